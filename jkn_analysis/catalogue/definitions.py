"""The figure catalogue: one definition of every input figure and computed indicator.

The catalogue lives in ``catalogue/figures.yaml`` inside the package. It drives validation
(units and checks), the tables and charts (labels) and the report text (section names).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from jkn_analysis.catalogue.computations import (
    Computation,
    ComputationError,
    check_indicator_inputs,
    parse_computations,
)
from jkn_analysis.catalogue.numbers import SCALE_WORDS
from jkn_analysis.catalogue.yamlfile import load_yaml

Language = Literal["id", "en"]
LANGUAGES: tuple[Language, ...] = ("id", "en")
FIGURE_KINDS = ("stock", "flow", "target", "rate")
SECTIONS = ("participation", "facilities", "finance")
# Settings of the data checks that ``figures.yaml`` may give under ``settings:``, with the
# value used when it does not.
DEFAULT_SETTINGS: dict[str, float] = {
    # A stock (participants, facilities, rupiah) moving more than this percentage from the
    # quarter before is listed as a warning.
    "stock_change_warning_percent": 15.0,
}
# Read through the file system rather than importlib.resources: some editable installs
# register the package in a way importlib.resources cannot list.
CATALOGUE_DIR = Path(__file__).resolve().parent
# Indicators that carry no bounds: categories (the corridor position) and the projection's
# outputs, which jkn_analysis.projection derives from its drivers rather than from the figures.
UNBOUNDED_INDICATOR_UNITS = ("category",)
UNBOUNDED_INDICATOR_PREFIXES = ("projection_",)


class CatalogueError(ValueError):
    """The catalogue YAML is inconsistent (a programming error, caught by the tests)."""


@dataclass(frozen=True)
class Unit:
    """A unit of measure with its labels and whether values must be whole numbers."""

    code: str
    label: dict[str, str]
    integer: bool


@dataclass(frozen=True)
class Bounds:
    """The plausible range of a figure or indicator, in catalogue units, both ends included.

    A value outside it is a unit slip or a typing error rather than a fact about JKN (see the
    reasoning beside each range in ``figures.yaml``).
    """

    lowest: float
    highest: float

    def __contains__(self, value: float) -> bool:
        return self.lowest <= value <= self.highest


@dataclass(frozen=True)
class Figure:
    """One input figure as defined in the catalogue."""

    code: str
    label: dict[str, str]
    unit: str
    kind: str
    section: str
    parts: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    reported_indicator: str | None = None
    dimensions: dict[str, str] = field(default_factory=dict)
    bounds: Bounds | None = None

    @property
    def may_be_negative(self) -> bool:
        """Whether a negative value is legitimate (changes, surpluses, yields)."""
        return "may_be_negative" in self.checks


@dataclass(frozen=True)
class IndicatorDefinition:
    """Labels, unit and display precision of one computed indicator, and how it is computed
    (``computations``: none for an indicator only reported, or computed by the projection)."""

    code: str
    label: dict[str, str]
    unit: str
    decimals: int
    bounds: Bounds | None = None
    computations: tuple[Computation, ...] = ()


@dataclass(frozen=True)
class ReportRequirements:
    """What a period needs for a report of its own: a key figure in each of at least
    ``sections`` of the report sections (``key_figures`` lists them by section)."""

    sections: int = 0
    key_figures: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Catalogue:
    """All figures, indicators, units and sections of the report pack."""

    units: dict[str, Unit]
    sections: dict[str, dict[str, str]]
    figures: dict[str, Figure]
    indicators: dict[str, IndicatorDefinition]
    settings: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_SETTINGS))
    report_requirements: ReportRequirements = field(default_factory=ReportRequirements)

    def setting(self, name: str) -> float:
        """A data-check setting from the catalogue's ``settings:`` block, or its default."""
        if name in self.settings:
            return self.settings[name]
        try:
            return DEFAULT_SETTINGS[name]
        except KeyError:
            raise KeyError(f"unknown setting {name!r}") from None

    def figure(self, code: str) -> Figure:
        """Return the figure with this code, or raise ``KeyError`` naming it."""
        try:
            return self.figures[code]
        except KeyError:
            raise KeyError(f"unknown figure code {code!r}") from None

    def indicator(self, code: str) -> IndicatorDefinition:
        """Return the indicator definition with this code, or raise ``KeyError`` naming it."""
        try:
            return self.indicators[code]
        except KeyError:
            raise KeyError(f"unknown indicator code {code!r}") from None

    def parent_of(self, code: str) -> str | None:
        """Return the figure whose ``parts`` list ``code``, if any."""
        for figure in self.figures.values():
            if code in figure.parts:
                return figure.code
        return None


def _bound_value(value: object, where: str) -> float:
    """One end of a range: a number, or a number with a scale word (``200 juta``, ``1.5 T``)."""
    if isinstance(value, bool):
        raise CatalogueError(f"{where}: bounds must be numbers, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    words = str(value).split()
    try:
        number = float(words[0])
        if len(words) == 1:
            return number
        if len(words) == 2 and words[1].lower() in SCALE_WORDS:
            return number * SCALE_WORDS[words[1].lower()]
    except (IndexError, ValueError):
        pass
    raise CatalogueError(
        f"{where}: bound {value!r} is not a number or a number with a scale word (200 juta)"
    )


def _parse_bounds(spec: object, where: str) -> Bounds:
    if not isinstance(spec, list | tuple) or len(spec) != 2:
        raise CatalogueError(f"{where}: bounds must be [lowest, highest], got {spec!r}")
    lowest, highest = (_bound_value(value, where) for value in spec)
    if not lowest < highest:
        raise CatalogueError(f"{where}: bounds {spec!r} are empty (lowest not below highest)")
    return Bounds(lowest, highest)


def _parse_catalogue(document: dict) -> Catalogue:
    units = {
        code: Unit(code=code, label={"id": spec["id"], "en": spec["en"]}, integer=spec["integer"])
        for code, spec in document["units"].items()
    }
    sections = document["sections"]
    figures: dict[str, Figure] = {}
    for spec in document["figures"]:
        code = spec["code"]
        if code in figures:
            raise CatalogueError(f"figure {code!r} is defined twice")
        figure = Figure(
            code=code,
            label=dict(spec["label"]),
            unit=spec["unit"],
            kind=spec["kind"],
            section=spec["section"],
            parts=tuple(spec.get("parts", ())),
            checks=tuple(spec.get("checks", ())),
            reported_indicator=spec.get("reported_indicator"),
            dimensions=dict(spec.get("dimensions", {})),
            bounds=_parse_bounds(spec.get("bounds"), f"figure {code!r}"),
        )
        if figure.unit not in units:
            raise CatalogueError(f"figure {code!r} has unknown unit {figure.unit!r}")
        if figure.kind not in FIGURE_KINDS:
            raise CatalogueError(f"figure {code!r} has unknown kind {figure.kind!r}")
        if figure.section not in sections:
            raise CatalogueError(f"figure {code!r} has unknown section {figure.section!r}")
        if set(figure.label) != set(LANGUAGES):
            raise CatalogueError(f"figure {code!r} needs a label in each of {LANGUAGES}")
        figures[code] = figure
    for figure in figures.values():
        for part in figure.parts:
            if part not in figures:
                raise CatalogueError(f"figure {figure.code!r} lists unknown part {part!r}")
    indicators = {}
    for code, spec in document["indicators"].items():
        unbounded = spec["unit"] in UNBOUNDED_INDICATOR_UNITS or code.startswith(
            UNBOUNDED_INDICATOR_PREFIXES
        )
        if unbounded and "bounds" in spec:
            raise CatalogueError(f"indicator {code!r} is not checked against bounds; remove them")
        indicators[code] = IndicatorDefinition(
            code=code,
            label=dict(spec["label"]),
            unit=spec["unit"],
            decimals=spec["decimals"],
            bounds=None if unbounded else _parse_bounds(spec.get("bounds"), f"indicator {code!r}"),
            computations=_computations(code, spec, figures),
        )
    try:
        check_indicator_inputs({code: item.computations for code, item in indicators.items()})
    except ComputationError as error:
        raise CatalogueError(str(error)) from None
    for indicator in indicators.values():
        if indicator.unit not in units:
            raise CatalogueError(f"indicator {indicator.code!r} has unknown unit")
    for figure in figures.values():
        if figure.reported_indicator and figure.reported_indicator not in indicators:
            raise CatalogueError(
                f"figure {figure.code!r} reports unknown indicator {figure.reported_indicator!r}"
            )
    settings = dict(DEFAULT_SETTINGS)
    for name, value in (document.get("settings") or {}).items():
        if name not in DEFAULT_SETTINGS:
            raise CatalogueError(f"unknown setting {name!r}; known: {sorted(DEFAULT_SETTINGS)}")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise CatalogueError(f"setting {name!r} must be a number of at least 0, got {value!r}")
        settings[name] = float(value)
    return Catalogue(
        units=units,
        sections=sections,
        figures=figures,
        indicators=indicators,
        settings=settings,
        report_requirements=_parse_requirements(document.get("report_requirements"), figures),
    )


def _computations(code: str, spec: dict, figures: dict[str, Figure]) -> tuple[Computation, ...]:
    try:
        return parse_computations(code, spec, set(figures))
    except ComputationError as error:
        raise CatalogueError(str(error)) from None


def _parse_requirements(spec: dict | None, figures: dict[str, Figure]) -> ReportRequirements:
    """The ``report_requirements:`` block: a section count and key figures by section."""
    if spec is None:
        return ReportRequirements()
    key_figures = {
        section: tuple(codes) for section, codes in (spec.get("key_figures") or {}).items()
    }
    for section, codes in key_figures.items():
        if not codes:
            raise CatalogueError(f"report_requirements: section {section!r} lists no figure")
        for code in codes:
            if code not in figures or figures[code].section != section:
                raise CatalogueError(
                    f"report_requirements: {code!r} is not a figure of section {section!r}"
                )
    count = spec.get("sections")
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= len(key_figures):
        raise CatalogueError(
            f"report_requirements: sections must be a whole number from 0 to "
            f"{len(key_figures)}, got {count!r}"
        )
    return ReportRequirements(sections=count, key_figures=key_figures)


@cache
def load_catalogue() -> Catalogue:
    """Load and check the catalogue shipped with the package (cached; it never changes).

    Returns
    -------
    Catalogue
        Units, sections, figures and indicator definitions.
    """
    text = (CATALOGUE_DIR / "figures.yaml").read_text("utf-8")
    return _parse_catalogue(load_yaml(text))
