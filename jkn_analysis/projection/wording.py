"""Every sentence of the projection, in Indonesian and English, from ``catalogue/text.yaml``.

The projection's wording lives under the key ``projection:`` of the report's text catalogue.
Code never writes a sentence itself: it builds a `Text` (a key and its values) and renders it
in the language asked for. Values that read differently by language (numbers, rupiah, periods,
labels) are given as the small formatter objects below, so a `Text` holds no language at all
until it is rendered, and no code of the projection branches on the language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jkn_analysis.catalogue.definitions import CATALOGUE_DIR
from jkn_analysis.catalogue.formatting import format_compact, format_number, format_rupiah
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.catalogue.yamlfile import load_yaml

LANGUAGES = ("id", "en")


@cache
def _catalogue() -> dict:
    document = load_yaml((CATALOGUE_DIR / "text.yaml").read_text("utf-8"))
    return document["projection"]


def template(key: str) -> Mapping[str, str]:
    """The ``{"id": ..., "en": ...}`` entry of ``projection.<key>`` in ``text.yaml``.

    Raises
    ------
    KeyError
        If the key is not in the catalogue (a programming error the tests catch).
    """
    entry: Any = _catalogue()
    for part in key.split("."):
        if not isinstance(entry, Mapping) or part not in entry:
            raise KeyError(f"no wording projection.{key} in catalogue/text.yaml")
        entry = entry[part]
    if not isinstance(entry, Mapping) or set(entry) != set(LANGUAGES):
        raise KeyError(f"projection.{key} in catalogue/text.yaml is not an id/en text")
    return entry


def check_language(language: str) -> str:
    """``language`` itself, or `ValueError` when it is neither ``id`` nor ``en``."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    return language


def render(value: Any, language: str) -> str:
    """A value of a `Text` written in ``language``: formatters and texts render themselves."""
    if hasattr(value, "render"):
        return value.render(language)
    if isinstance(value, Mapping) and set(value) == set(LANGUAGES):
        return str(value[language])
    if isinstance(value, bool | float):
        # A bare float would be printed in Python's notation: always say how to write it.
        raise TypeError(f"give {value!r} as Num, Pct or Rp so that it is written per language")
    return str(value)


@dataclass(frozen=True)
class Text:
    """A sentence of the catalogue with its values: ``Text("start.net_assets", amount=Rp(x))``."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, key: str, /, **values: Any):
        template(key)  # fail early on a key that does not exist
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "values", dict(values))

    def render(self, language: str) -> str:
        check_language(language)
        values = {name: render(value, language) for name, value in self.values.items()}
        return template(self.key)[language].format(**values)

    def both(self) -> dict[str, str]:
        """``{"id": ..., "en": ...}``."""
        return {language: self.render(language) for language in LANGUAGES}


def say(key: str, language: str, /, **values: Any) -> str:
    """``Text(key, **values).render(language)``."""
    return Text(key, **values).render(language)


@dataclass(frozen=True)
class Joined:
    """Texts joined by a separator, each rendered in the same language."""

    parts: Sequence[Any]
    separator: str = " "

    def render(self, language: str) -> str:
        return self.separator.join(render(part, language) for part in self.parts if part != "")

    def both(self) -> dict[str, str]:
        """``{"id": ..., "en": ...}``."""
        return {language: self.render(language) for language in LANGUAGES}


# --- Formatters: a number and how to write it -----------------------------------------------------
@dataclass(frozen=True)
class Num:
    """A plain number with fixed decimals: ``3,98`` / ``3.98``."""

    value: float
    decimals: int = 0

    def render(self, language: str) -> str:
        return format_number(self.value, self.decimals, language=language)


@dataclass(frozen=True)
class Pct:
    """A percent value: ``4,70%`` / ``4.70%``."""

    value: float
    decimals: int = 2

    def render(self, language: str) -> str:
        return format_number(self.value, self.decimals, language=language) + "%"


@dataclass(frozen=True)
class Rp:
    """Rupiah with a scale word: ``Rp57,47 T``; ``decimals=None`` keeps a third decimal where
    the figure has one (``Rp1,388 T``)."""

    value: float
    decimals: int | None = 2

    def render(self, language: str) -> str:
        decimals = self.decimals
        if decimals is None:
            magnitude = abs(self.value)
            exponent = 3 * max(0, min(4, int(math.log10(magnitude or 1) // 3)))
            scaled = magnitude / 10**exponent
            decimals = 2 if abs(scaled * 100 - round(scaled * 100)) < 1e-6 else 3
        return format_rupiah(self.value, decimals, language=language)


@dataclass(frozen=True)
class RpFull:
    """Rupiah written in full, for amounts per participant: ``Rp42.000`` / ``IDR 42,000``."""

    value: float

    def render(self, language: str) -> str:
        return say("unit.rupiah_full", language, amount=Num(self.value))


@dataclass(frozen=True)
class People:
    """A number of people: ``214,5 juta`` / ``214.5 million``."""

    value: float
    decimals: int = 2

    def render(self, language: str) -> str:
        return format_compact(self.value, self.decimals, language=language)


@dataclass(frozen=True)
class Period:
    """A quarter as the report writes it: ``TW I 2024`` / ``Q1 2024``."""

    quarter: Quarter

    def render(self, language: str) -> str:
        return self.quarter.label(language)


@dataclass(frozen=True)
class Label:
    """A label of the catalogue, ``projection.<key>``, without values."""

    key: str

    def render(self, language: str) -> str:
        return template(self.key)[language]


class ProblemsError(ValueError):
    """A projection input file is invalid; ``problems`` lists every problem as a `Text`."""

    def __init__(self, problems: list[Text], source: str):
        self.problems = list(problems)
        self.source = source
        super().__init__(self.describe("en"))

    def describe(self, language: str) -> str:
        return f"{self.source}: " + "; ".join(p.render(language) for p in self.problems)
