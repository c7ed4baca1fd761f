"""All the pack's wording, from the catalogue's YAML, in Indonesian and English.

The report's own text (headings, captions, sentences) is ``text.yaml``; every other line the
pack writes (data-check and review messages, the command line's and the build's lines, the
preview's page, the data-entry workbook's comments) is in ``messages/<namespace>.yaml``, one
file per stage that speaks. Code never holds a sentence of its own nor branches on the
language: it looks the words up here by key and language.

A leaf of these files is a mapping with one entry per language (``{id: …, en: …}``); both
languages have the same ``{placeholders}`` (``tests/unit/test_wording.py``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jkn_analysis.catalogue.definitions import CATALOGUE_DIR, LANGUAGES
from jkn_analysis.catalogue.yamlfile import load_yaml

TEXT_FILE = CATALOGUE_DIR / "text.yaml"
MESSAGES_DIR = CATALOGUE_DIR / "messages"


@cache
def _read(path: Path) -> dict:
    document = load_yaml(path.read_text("utf-8"))
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a mapping of keys to wording")
    return document


def load_text() -> dict:
    """The report's wording (``text.yaml``): ``{key: {"id": …, "en": …}}`` and nested groups.

    A fresh copy each call: callers may add to it without changing anyone else's.
    """
    return _copy(_read(TEXT_FILE))


def messages(namespace: str) -> dict:
    """The wording of one stage that speaks, ``messages/<namespace>.yaml``, such as
    ``messages("validation")``: ``{key: {"id": …, "en": …}}`` (some files group keys)."""
    path = MESSAGES_DIR / f"{namespace}.yaml"
    if not path.is_file():
        raise KeyError(f"no wording file {path.name} in {MESSAGES_DIR}")
    return _copy(_read(path))


def namespaces() -> list[str]:
    """The wording files under ``messages/``, by namespace."""
    return sorted(path.stem for path in MESSAGES_DIR.glob("*.yaml"))


def is_leaf(value: object) -> bool:
    """A piece of wording: a mapping whose keys are exactly the report languages."""
    return isinstance(value, dict) and set(value) == set(LANGUAGES)


def _copy(value):
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value
