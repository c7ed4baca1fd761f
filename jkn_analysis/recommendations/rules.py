"""Recommendation rules: ``catalogue/rules.yaml`` evaluated on the computed indicators.

Each rule names the recommendation it makes (title and text in Indonesian and English), the
report section it belongs to, the indicator the report places it beside (``anchor``) and the
condition under which it applies. `evaluate` returns the rules whose condition holds for a
period, each with the formatted figures that made it hold (`Evidence`), in both languages.

The file
--------
``thresholds:``
    name → ``{value, unit, source: {id, en}}`` and optionally ``decimals`` (how the value is
    printed; by default as written, ``1.5`` → ``1,5``) and ``from_year`` / ``until_year`` (the
    years the target applies to, both included: an RPJMN 2025-2029 target is ``from_year:
    2025``; a comparison with a threshold outside its years is unknown, so it never holds).
    ``unit`` is a catalogue unit and must be the unit of whatever the threshold is compared
    with. ``source`` says where the value comes from: a regulation, a DJSN target, or, where
    none exists, that it is this report's own warning level (never DJSN's).
``breakdowns:``
    breakdown key (``segment``, ``service``, ``reason``, ``instrument``) → value → ``{id, en}``
    label used in evidence, ``Peserta non aktif (mutasi data)``. Only these keys and values may
    appear in a rule.
``rules:``
    a list of ``{id, section, anchor, condition, title: {id, en}, text: {id, en}}``; ``section``
    is ``participation``, ``facilities`` or ``finance``; ``anchor`` is an indicator reference.

Conditions
----------
A condition is a YAML mapping, read by the small recursive evaluator of this module (never by
``eval``). An *indicator reference* is ``{indicator: code}`` plus breakdown keys, for example
``{indicator: claims_expense_growth_yoy, service: ritl}``.

``{all: [c, ...]}``, ``{any: [c, ...]}``, ``{not: c}``
    Combinations of conditions.
``{indicator: code, <breakdown>: value, op: OP, than: RIGHT}``
    Comparison. ``OP`` is one of ``>``, ``>=``, ``<``, ``<=``, ``==``. ``RIGHT`` is a threshold
    name or an indicator reference of the same unit. ``annualise: true`` first scales a
    year-to-date percentage to a full year (× 12 / months elapsed), for yields compared with an
    annual target.
``{ratio: {numerator: REF, denominator: REF}, op: OP, than: RIGHT}``
    numerator / denominator × 100 (percent; both of one unit), compared with a percent
    threshold or indicator.
``{growth: REF, versus: PERIOD, op: OP, than: RIGHT}``
    Growth of an indicator, in percent, computed from the history where no growth indicator
    exists. ``PERIOD`` is ``year_earlier`` (the only meaningful choice for year-to-date flows),
    ``previous_december`` or ``previous_quarter``.
``{trend: REF, direction: falling|rising, periods: n}``
    The indicator moved strictly in one direction over the last ``n`` (at least 2) periods of
    the history in which it is available, ending with the evaluated period itself.

``ratio`` and ``growth`` leaves accept ``decimals`` (default 2), the precision at which they are
printed and compared.

Semantics
---------
Values are compared as the report prints them: rounded half up to the catalogue's decimals
(ratios and growths to their ``decimals``), so ``100,0%`` never shows up as evidence of
``> 100%``. A leaf whose indicator is missing (or whose growth or ratio is undefined) is
*unknown*: it never holds, and ``not`` of an unknown is unknown too, so no rule fires without
figures behind it (three-valued logic: ``all`` is false when a part is false, else unknown when
a part is unknown; ``any`` is true when a part is true). Every leaf that holds yields one
`Evidence` per language: for ``all`` every leaf, for ``any`` only the parts that held; ``not``
yields none, so a rule must contain a leaf outside every ``not`` (checked at load time).
Unknown keys, operators, indicators, breakdowns and thresholds, and a string where a mapping is
expected, are errors raised by `load_rules` naming the rule.

Evidence
--------
Labels are the catalogue's indicator labels with the breakdown labels in brackets; values go
through `jkn_analysis.catalogue.formatting.format_value` at the catalogue's decimals. One template per
leaf (Indonesian; English alike):

- threshold: ``Rasio klaim 112,2% (> 100%)``
- indicator: ``Pertumbuhan rujukan dibanding tahun lalu 20,10% (> pertumbuhan pemanfaatan
  dibanding tahun lalu (RJTP) 7,50%)``
- annualised: ``YoI BPJS Kesehatan (disetahunkan) 6,00% (< 7%)``
- ratio: ``Peserta non aktif (mutasi data) 31.350.000 = 66,20% dari peserta non aktif (total)
  47.360.000 (> 50%)``
- growth: ``Pertumbuhan pendapatan iuran dibanding tahun lalu 7,22% (< pertumbuhan beban
  jaminan dibanding tahun lalu (RITL) 31,0%)``
- trend: ``Ketahanan dana DJS turun dalam 2 periode terakhir yang datanya tersedia: 5,98 bulan
  (TW IV 2022) → 3,98 bulan (TW I 2024)``

`Evidence.source` is the threshold's source in that language, and empty for leaves compared
with another indicator or a trend (no threshold).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path

import yaml

from jkn_analysis.catalogue.definitions import (
    CATALOGUE_DIR,
    LANGUAGES,
    SECTIONS,
    Catalogue,
    load_catalogue,
)
from jkn_analysis.catalogue.formatting import format_value
from jkn_analysis.catalogue.numbers import round_half_up, written_decimals
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.catalogue.wording import messages
from jkn_analysis.indicators.compute import Indicator, IndicatorSet
from jkn_analysis.indicators.formulas import growth, share_of_total, years_to_floor
from jkn_analysis.recommendations.evidence import Evidence, TriggeredRule

RULES_PATH = CATALOGUE_DIR / "rules.yaml"

OPERATORS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
}
# How each operator is printed in evidence: ``(> 100%)``, ``(≥ 80%)``.
OPERATOR_SYMBOLS = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "==": "="}
DIRECTIONS = ("falling", "rising")
VERSUS: dict[str, Callable[[Quarter], Quarter]] = {
    "year_earlier": lambda period: period.year_earlier,
    "previous_december": lambda period: period.previous_december,
    "previous_quarter": lambda period: period.previous_quarter,
}
DEFAULT_DECIMALS = 2  # ratio and growth leaves
_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_NON_NUMERIC_UNITS = ("category",)

# Evidence wording, per language. ``{label}`` is the catalogue label with its breakdown.
_WORDS = {
    language: {key: words[language] for key, words in messages("rules").items()}
    for language in LANGUAGES
}


class RuleError(ValueError):
    """``rules.yaml`` is malformed, or a rule would fire without evidence."""


@dataclass(frozen=True)
class Threshold:
    """A named threshold with the regulation or target it comes from."""

    name: str
    value: Decimal
    unit: str
    decimals: int
    source: dict[str, str]
    from_year: int | None = None
    until_year: int | None = None

    def applies_to(self, year: int) -> bool:
        """Whether the threshold is in force for a period of ``year``."""
        if self.from_year is not None and year < self.from_year:
            return False
        return self.until_year is None or year <= self.until_year

    def text(self, language: str) -> str:
        """The threshold as evidence prints it: ``100%``, ``1,5 bulan``."""
        return format_value(float(self.value), self.unit, self.decimals, language=language)


@dataclass(frozen=True)
class IndicatorRef:
    """An indicator code with its breakdown, in the order the rule gives it."""

    code: str
    breakdown: tuple[tuple[str, str], ...] = ()

    @property
    def dimensions(self) -> dict[str, str]:
        """The breakdown as the keyword arguments of `IndicatorSet.get`."""
        return dict(self.breakdown)

    def as_anchor(self) -> dict[str, object]:
        """``{"code": ..., <breakdown>: ...}``, the form `TriggeredRule.anchor` takes."""
        return {"code": self.code, **self.dimensions}


@dataclass(frozen=True)
class Rule:
    """One rule of ``rules.yaml``, validated."""

    id: str
    section: str
    anchor: IndicatorRef
    condition: Node
    title: dict[str, str]
    text: dict[str, str]


@dataclass(frozen=True)
class RuleBook:
    """Every rule, threshold and breakdown label of a rules file, in file order."""

    rules: tuple[Rule, ...]
    thresholds: dict[str, Threshold]
    breakdowns: dict[str, dict[str, dict[str, str]]]
    catalogue: Catalogue
    path: Path

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id, or ``KeyError`` naming it."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(f"unknown rule {rule_id!r}")

    def label(self, ref: IndicatorRef, language: str) -> str:
        """``Peserta non aktif (mutasi data)``: catalogue label plus breakdown labels."""
        text = self.catalogue.indicator(ref.code).label[language]
        if ref.breakdown:
            parts = [self.breakdowns[key][value][language] for key, value in ref.breakdown]
            text += f" ({', '.join(parts)})"
        return text


# --- evaluation -----------------------------------------------------------------------------


class _Context:
    """The history a condition is evaluated on, and the period it is evaluated for."""

    def __init__(self, history: Mapping[Quarter, IndicatorSet], period: Quarter, book: RuleBook):
        self.history = history
        self.period = period
        self.book = book

    def raw(self, ref: IndicatorRef, period: Quarter | None = None) -> float | None:
        """The unrounded numeric value, or ``None`` when missing (or not a number)."""
        indicators = self.history.get(period or self.period)
        if indicators is None:
            return None
        value = indicators.value(ref.code, **ref.dimensions)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return None if not math.isfinite(value) else float(value)

    def printed(self, ref: IndicatorRef, period: Quarter | None = None) -> Decimal | None:
        """The value rounded half up to the catalogue's decimals, as the report prints it."""
        value = self.raw(ref, period)
        if value is None:
            return None
        return round_half_up(value, self.book.catalogue.indicator(ref.code).decimals)


@dataclass(frozen=True)
class _Fact:
    """A leaf that held, with what it found; it writes its own evidence."""

    leaf: Leaf
    found: dict

    def evidence(self, language: str, book: RuleBook) -> Evidence:
        return self.leaf.evidence(self.found, language, book)


Outcome = tuple[bool | None, tuple[_Fact, ...]]


def _lower_first(label: str) -> str:
    """``Pertumbuhan rujukan`` → ``pertumbuhan rujukan``; acronyms (``YoI``, ``BOPO``) stay."""
    word = label.split(" ", 1)[0]
    if len(word) > 1 and word[0].isupper() and word[1:].islower():
        return label[0].lower() + label[1:]
    return label


def _format(book: RuleBook, ref: IndicatorRef, value: Decimal, language: str) -> str:
    definition = book.catalogue.indicator(ref.code)
    return format_value(float(value), definition.unit, definition.decimals, language=language)


def _percent(value: Decimal, decimals: int, language: str) -> str:
    return format_value(float(value), "percent", decimals, language=language)


@dataclass(frozen=True)
class _Right:
    """The right side of a comparison: a threshold or another indicator."""

    threshold: Threshold | None = None
    indicator: IndicatorRef | None = None

    def value(self, context: _Context) -> Decimal | None:
        if self.threshold is not None:
            # A target of other years is no yardstick for this period: unknown, never held.
            if not self.threshold.applies_to(context.period.year):
                return None
            return self.threshold.value
        return context.printed(self.indicator)

    def text(self, value: Decimal, language: str, book: RuleBook) -> str:
        if self.threshold is not None:
            return self.threshold.text(language)
        label = _lower_first(book.label(self.indicator, language))
        return f"{label} {_format(book, self.indicator, value, language)}"

    def source(self, language: str) -> str:
        return self.threshold.source[language] if self.threshold is not None else ""


class Node:
    """A condition: `evaluate` gives true, false or ``None`` (unknown) and the facts found."""

    def evaluate(self, context: _Context) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    def guarantees_evidence(self) -> bool:
        """Whether the condition can only hold with at least one leaf holding."""
        return True


@dataclass(frozen=True)
class AllOf(Node):
    """``all: [...]``: holds when every part holds; evidence from every part."""

    parts: tuple[Node, ...]

    def evaluate(self, context: _Context) -> Outcome:
        outcomes = [part.evaluate(context) for part in self.parts]
        states = [state for state, _ in outcomes]
        if False in states:
            return False, ()
        if None in states:
            return None, ()
        return True, tuple(fact for _, facts in outcomes for fact in facts)

    def guarantees_evidence(self) -> bool:
        return any(part.guarantees_evidence() for part in self.parts)


@dataclass(frozen=True)
class AnyOf(Node):
    """``any: [...]``: holds when a part holds; evidence from the parts that held."""

    parts: tuple[Node, ...]

    def evaluate(self, context: _Context) -> Outcome:
        outcomes = [part.evaluate(context) for part in self.parts]
        held = [facts for state, facts in outcomes if state is True]
        if held:
            return True, tuple(fact for facts in held for fact in facts)
        if any(state is None for state, _ in outcomes):
            return None, ()
        return False, ()

    def guarantees_evidence(self) -> bool:
        return all(part.guarantees_evidence() for part in self.parts)


@dataclass(frozen=True)
class Not(Node):
    """``not: {...}``: holds when the part is false (not when it is unknown); no evidence."""

    part: Node

    def evaluate(self, context: _Context) -> Outcome:
        state, _ = self.part.evaluate(context)
        return (None if state is None else not state), ()

    def guarantees_evidence(self) -> bool:
        return False


class Leaf(Node):
    """A condition on figures; when it holds it records one fact, formatted as evidence."""

    def evidence(self, found: dict, language: str, book: RuleBook) -> Evidence:
        raise NotImplementedError  # pragma: no cover - abstract


@dataclass(frozen=True)
class Comparison(Leaf):
    """``{indicator: code, op, than}``: an indicator against a threshold or indicator."""

    left: IndicatorRef
    op: str
    right: _Right
    annualise: bool = False

    def evaluate(self, context: _Context) -> Outcome:
        if self.annualise:
            raw = context.raw(self.left)
            decimals = context.book.catalogue.indicator(self.left.code).decimals
            value = (
                None
                if raw is None
                else round_half_up(raw * 12 / context.period.months_elapsed, decimals)
            )
        else:
            value = context.printed(self.left)
        right = self.right.value(context)
        if value is None or right is None:
            return None, ()
        if not OPERATORS[self.op](value, right):
            return False, ()
        return True, (_Fact(self, {"value": value, "right": right}),)

    def evidence(self, found: dict, language: str, book: RuleBook) -> Evidence:
        label = book.label(self.left, language)
        if self.annualise:
            label += f" ({_WORDS[language]['annualised']})"
        value = _format(book, self.left, found["value"], language)
        right = self.right.text(found["right"], language, book)
        return Evidence(
            indicator=self.left.code,
            dimensions=self.left.dimensions,
            text=f"{label} {value} ({OPERATOR_SYMBOLS[self.op]} {right})",
            source=self.right.source(language),
        )


@dataclass(frozen=True)
class Ratio(Leaf):
    """``{ratio: {numerator, denominator}, op, than}``: a share in percent."""

    numerator: IndicatorRef
    denominator: IndicatorRef
    op: str
    right: _Right
    decimals: int = DEFAULT_DECIMALS

    def evaluate(self, context: _Context) -> Outcome:
        numerator, denominator = context.raw(self.numerator), context.raw(self.denominator)
        right = self.right.value(context)
        if numerator is None or denominator is None or right is None or not denominator > 0:
            return None, ()
        value = round_half_up(share_of_total(numerator, denominator), self.decimals)
        if not OPERATORS[self.op](value, right):
            return False, ()
        found = {
            "value": value,
            "right": right,
            "numerator": context.printed(self.numerator),
            "denominator": context.printed(self.denominator),
        }
        return True, (_Fact(self, found),)

    def evidence(self, found: dict, language: str, book: RuleBook) -> Evidence:
        numerator = book.label(self.numerator, language)
        denominator = _lower_first(book.label(self.denominator, language))
        text = (
            f"{numerator} {_format(book, self.numerator, found['numerator'], language)}"
            f" = {_percent(found['value'], self.decimals, language)}"
            f" {_WORDS[language]['of']} {denominator}"
            f" {_format(book, self.denominator, found['denominator'], language)}"
            f" ({OPERATOR_SYMBOLS[self.op]} {self.right.text(found['right'], language, book)})"
        )
        return Evidence(
            indicator=self.numerator.code,
            dimensions=self.numerator.dimensions,
            text=text,
            source=self.right.source(language),
        )


@dataclass(frozen=True)
class Growth(Leaf):
    """``{growth: ref, versus, op, than}``: growth computed from the history, in percent."""

    ref: IndicatorRef
    versus: str
    op: str
    right: _Right
    decimals: int = DEFAULT_DECIMALS

    def evaluate(self, context: _Context) -> Outcome:
        current = context.raw(self.ref)
        previous = context.raw(self.ref, VERSUS[self.versus](context.period))
        right = self.right.value(context)
        if current is None or previous is None or right is None or not previous > 0:
            return None, ()
        value = round_half_up(growth(current, previous), self.decimals)
        if not OPERATORS[self.op](value, right):
            return False, ()
        return True, (_Fact(self, {"value": value, "right": right}),)

    def evidence(self, found: dict, language: str, book: RuleBook) -> Evidence:
        words = _WORDS[language]
        label = words["growth"].format(
            label=_lower_first(book.label(self.ref, language)), versus=words[self.versus]
        )
        right = self.right.text(found["right"], language, book)
        text = (
            f"{label} {_percent(found['value'], self.decimals, language)}"
            f" ({OPERATOR_SYMBOLS[self.op]} {right})"
        )
        return Evidence(
            indicator=self.ref.code,
            dimensions=self.ref.dimensions,
            text=text,
            source=self.right.source(language),
        )


@dataclass(frozen=True)
class Trend(Leaf):
    """``{trend: ref, direction, periods}``: strictly falling or rising over n periods."""

    ref: IndicatorRef
    direction: str
    periods: int

    def evaluate(self, context: _Context) -> Outcome:
        if context.printed(self.ref) is None:
            return None, ()
        series = [
            (quarter, value)
            for quarter in sorted(q for q in context.history if q <= context.period)
            if (value := context.printed(self.ref, quarter)) is not None
        ][-self.periods :]
        if len(series) < self.periods:
            return None, ()
        step = operator.lt if self.direction == "falling" else operator.gt
        values = [value for _, value in series]
        if not all(step(later, earlier) for earlier, later in pairwise(values)):
            return False, ()
        return True, (_Fact(self, {"series": tuple(series)}),)

    def evidence(self, found: dict, language: str, book: RuleBook) -> Evidence:
        words = _WORDS[language]
        steps = " → ".join(
            f"{_format(book, self.ref, value, language)} ({quarter.label(language)})"
            for quarter, value in found["series"]
        )
        text = words["trend"].format(
            label=book.label(self.ref, language),
            direction=words[self.direction],
            n=self.periods,
            steps=steps,
        )
        return Evidence(indicator=self.ref.code, dimensions=self.ref.dimensions, text=text)


PROJECTION_FACT = "projection_years_to_floor"


def with_projection(
    history: Mapping[Quarter, IndicatorSet], period: Quarter, first_year_below_floor: object
) -> dict[Quarter, IndicatorSet]:
    """The history with the projection's result added to ``period`` as a rule indicator.

    The actuarial rule reads ``projection_years_to_floor``: the years from the period's year
    to the baseline projection's first year below the 1,5-month floor of PP 53/2018. A
    projection that could not be made, or that stays above the floor (``None`` or ``"none"``),
    adds nothing, so the rule's projection leaf stays unknown and never fires on a missing
    figure.

    Parameters
    ----------
    history : mapping of Quarter to IndicatorSet
        As `evaluate` takes it; not modified.
    period : Quarter
        The period the projection starts from.
    first_year_below_floor : int, str or None
        The baseline projection's first year below the floor, as the projection gives it.
    """
    result = dict(history)
    try:
        year = int(first_year_below_floor)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return result
    if period not in history or year < period.year:
        return result
    indicators = history[period]
    item = Indicator(
        PROJECTION_FACT,
        float(years_to_floor(year, period.year)),
        indicators.catalogue.indicator(PROJECTION_FACT).unit,
        str(period),
        inputs=("projection_first_year_below_floor",),
    )
    result[period] = IndicatorSet(
        period,
        [*indicators, item],
        indicators.catalogue,
        indicators.undefined,
        indicators.out_of_bounds,
    )
    return result


def evaluate(
    rulebook: RuleBook, history: Mapping[Quarter, IndicatorSet], period: Quarter
) -> list[TriggeredRule]:
    """The rules whose condition holds for ``period``, in file order, with their evidence.

    Parameters
    ----------
    rulebook : RuleBook
        From `load_rules`.
    history : mapping of Quarter to IndicatorSet
        The indicators of ``period`` and of any earlier periods (growths and trends use them).
    period : Quarter
        The period evaluated; it must be in ``history``.

    Returns
    -------
    list of TriggeredRule
        Each with ``evidence[language]``, one `Evidence` per leaf that held, never empty.

    Raises
    ------
    KeyError
        If ``period`` is not in ``history``.
    """
    if period not in history:
        raise KeyError(f"no indicators for {period}; the history holds {sorted(map(str, history))}")
    context = _Context(history, period, rulebook)
    triggered = []
    for rule in rulebook.rules:
        state, facts = rule.condition.evaluate(context)
        if state is not True:
            continue
        if not facts:  # load_rules refuses such rules; never show a recommendation bare
            raise RuleError(f"rule {rule.id!r} held for {period} without any evidence")
        triggered.append(
            TriggeredRule(
                rule_id=rule.id,
                section=rule.section,
                title=dict(rule.title),
                text=dict(rule.text),
                evidence={
                    language: tuple(fact.evidence(language, rulebook) for fact in facts)
                    for language in LANGUAGES
                },
                anchor=rule.anchor.as_anchor(),
            )
        )
    return triggered


# --- loading and validation -----------------------------------------------------------------


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Parser:
    """Turns the YAML document into a `RuleBook`, naming the rule of every error."""

    def __init__(self, catalogue: Catalogue, source: str):
        self.catalogue = catalogue
        self.source = source
        self.where = source
        self.thresholds: dict[str, Threshold] = {}
        self.breakdowns: dict[str, dict[str, dict[str, str]]] = {}

    def fail(self, message: str) -> RuleError:
        return RuleError(f"{self.where}: {message}")

    def mapping(self, value: object, what: str, keys: set[str], required: set[str]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(f"{what} must be a mapping, got {_describe(value)}")
        unknown = set(value) - keys
        if unknown:
            raise self.fail(f"{what} has unknown key(s) {sorted(map(str, unknown))}")
        missing = required - set(value)
        if missing:
            raise self.fail(f"{what} lacks {sorted(missing)}")
        return value

    def texts(self, value: object, what: str) -> dict[str, str]:
        value = self.mapping(value, what, set(LANGUAGES), set(LANGUAGES))
        for language in LANGUAGES:
            if not isinstance(value[language], str) or not value[language].strip():
                raise self.fail(f"{what}.{language} must be a non-empty text")
        return {language: " ".join(value[language].split()) for language in LANGUAGES}

    def number(self, value: object, what: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"{what} must be a number, got {_describe(value)}")
        if not math.isfinite(value):
            raise self.fail(f"{what} must be finite")
        return value

    def decimals(self, value: object, what: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
            raise self.fail(f"{what} must be a whole number from 0 to 6, got {_describe(value)}")
        return value

    # -- document ---------------------------------------------------------------------------

    def document(self, document: object, path: Path) -> RuleBook:
        document = self.mapping(
            document, "the file", {"thresholds", "breakdowns", "rules"}, {"thresholds", "rules"}
        )
        self.breakdowns = self.parse_breakdowns(document.get("breakdowns") or {})
        thresholds = (
            self.mapping(document["thresholds"], "thresholds", set(), set())
            if not (isinstance(document["thresholds"], dict))
            else document["thresholds"]
        )
        for name, spec in thresholds.items():
            self.where = f"{self.source}, threshold {name!r}"
            self.thresholds[str(name)] = self.threshold(str(name), spec)
        self.where = self.source
        if not isinstance(document["rules"], list) or not document["rules"]:
            raise self.fail("rules must be a non-empty list")
        rules, seen = [], set()
        for index, spec in enumerate(document["rules"], start=1):
            self.where = f"{self.source}, rule {index}"
            if isinstance(spec, dict) and isinstance(spec.get("id"), str):
                self.where = f"{self.source}, rule {spec['id']!r}"
            rule = self.rule(spec)
            if rule.id in seen:
                raise self.fail(f"rule id {rule.id!r} is used twice")
            seen.add(rule.id)
            rules.append(rule)
        return RuleBook(tuple(rules), self.thresholds, self.breakdowns, self.catalogue, path)

    def parse_breakdowns(self, spec: object) -> dict[str, dict[str, dict[str, str]]]:
        self.where = f"{self.source}, breakdowns"
        if not isinstance(spec, dict):
            raise self.fail(f"breakdowns must be a mapping, got {_describe(spec)}")
        result = {}
        for key, values in spec.items():
            if not isinstance(values, dict) or not values:
                raise self.fail(f"breakdown {key!r} must map values to labels")
            result[str(key)] = {
                str(value): self.texts(label, f"breakdown {key}.{value}")
                for value, label in values.items()
            }
        return result

    def threshold(self, name: str, spec: object) -> Threshold:
        spec = self.mapping(
            spec,
            "the threshold",
            {"value", "unit", "source", "decimals", "from_year", "until_year"},
            {"value", "unit", "source"},
        )
        years = {}
        for key in ("from_year", "until_year"):
            year = spec.get(key)
            if year is not None and (
                isinstance(year, bool) or not isinstance(year, int) or not 2014 <= year <= 2100
            ):
                raise self.fail(f"{key} must be a year from 2014 to 2100, got {_describe(year)}")
            years[key] = year
        if None not in years.values() and years["from_year"] > years["until_year"]:
            raise self.fail(f"from_year {years['from_year']} is after until_year")
        value = self.number(spec["value"], "value")
        if spec["unit"] not in self.catalogue.units or spec["unit"] in _NON_NUMERIC_UNITS:
            raise self.fail(
                f"unknown unit {_describe(spec['unit'])}; known: {sorted(self.catalogue.units)}"
            )
        decimals = (
            self.decimals(spec["decimals"], "decimals")
            if "decimals" in spec
            else written_decimals(value)
        )
        if decimals < written_decimals(value):
            raise self.fail(f"decimals {decimals} would print {value} rounded")
        return Threshold(
            name=name,
            value=round_half_up(value, decimals),
            unit=spec["unit"],
            decimals=decimals,
            source=self.texts(spec["source"], "source"),
            **years,
        )

    def rule(self, spec: object) -> Rule:
        keys = {"id", "section", "anchor", "condition", "title", "text"}
        spec = self.mapping(spec, "the rule", keys, keys)
        rule_id = spec["id"]
        if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
            raise self.fail(f"id must be snake_case text, got {_describe(rule_id)}")
        if spec["section"] not in SECTIONS:
            raise self.fail(f"unknown section {_describe(spec['section'])}; known: {SECTIONS}")
        anchor = self.reference(spec["anchor"], "anchor", key="code")
        condition = self.condition(spec["condition"], "condition")
        if not condition.guarantees_evidence():
            raise self.fail(
                "the condition could hold without any leaf holding (only `not` parts); "
                "add a comparison, ratio, growth or trend that gives the evidence"
            )
        return Rule(
            id=rule_id,
            section=spec["section"],
            anchor=anchor,
            condition=condition,
            title=self.texts(spec["title"], "title"),
            text=self.texts(spec["text"], "text"),
        )

    # -- conditions -------------------------------------------------------------------------

    def reference(
        self, spec: object, what: str, *, key: str = "indicator", extra: frozenset = frozenset()
    ) -> IndicatorRef:
        """An indicator reference ``{indicator: code, <breakdown>: value}``."""
        if not isinstance(spec, dict):
            raise self.fail(f"{what} must be a mapping, got {_describe(spec)}")
        if key not in spec:
            raise self.fail(f"{what} lacks {key!r}")
        code = spec[key]
        if not isinstance(code, str) or code not in self.catalogue.indicators:
            raise self.fail(f"{what}: unknown indicator {_describe(code)}")
        if self.catalogue.indicator(code).unit in _NON_NUMERIC_UNITS:
            raise self.fail(f"{what}: indicator {code!r} is not a number")
        breakdown = []
        for name, value in spec.items():
            if name == key or name in extra:
                continue
            if name not in self.breakdowns:
                known = sorted(extra | set(self.breakdowns))
                raise self.fail(f"{what} has unknown key {_describe(name)}; known: {known}")
            if not isinstance(value, str) or value not in self.breakdowns[name]:
                raise self.fail(
                    f"{what}: unknown {name} {_describe(value)}; "
                    f"known: {sorted(self.breakdowns[name])}"
                )
            breakdown.append((name, value))
        return IndicatorRef(code, tuple(breakdown))

    def unit(self, ref: IndicatorRef) -> str:
        return self.catalogue.indicator(ref.code).unit

    def op(self, spec: dict, what: str) -> str:
        if "op" not in spec:
            raise self.fail(f"{what} lacks 'op'; known: {list(OPERATORS)}")
        op = spec["op"]
        if not isinstance(op, str) or op not in OPERATORS:
            raise self.fail(f"{what}: unknown op {_describe(op)}; known: {list(OPERATORS)}")
        return op

    def right(self, spec: object, unit: str, what: str) -> _Right:
        if isinstance(spec, str):
            threshold = self.thresholds.get(spec)
            if threshold is None:
                raise self.fail(
                    f"{what}: unknown threshold {_describe(spec)}; known: {sorted(self.thresholds)}"
                )
            if threshold.unit != unit:
                raise self.fail(
                    f"{what}: threshold {spec!r} is in {threshold.unit}, the left side in {unit}"
                )
            return _Right(threshold=threshold)
        ref = self.reference(spec, f"{what} (than)")
        if self.unit(ref) != unit:
            raise self.fail(f"{what}: {ref.code!r} is in {self.unit(ref)}, the left side in {unit}")
        return _Right(indicator=ref)

    def condition(self, spec: object, what: str) -> Node:
        if not isinstance(spec, dict) or not spec:
            raise self.fail(f"{what} must be a mapping, got {_describe(spec)}")
        for combinator in ("all", "any"):
            if combinator in spec:
                self.mapping(spec, what, {combinator}, {combinator})
                parts = spec[combinator]
                if not isinstance(parts, list) or not parts:
                    raise self.fail(f"{what}: {combinator} needs a non-empty list of conditions")
                nodes = tuple(
                    self.condition(part, f"{what}.{combinator}[{index}]")
                    for index, part in enumerate(parts)
                )
                return AllOf(nodes) if combinator == "all" else AnyOf(nodes)
        if "not" in spec:
            self.mapping(spec, what, {"not"}, {"not"})
            return Not(self.condition(spec["not"], f"{what}.not"))
        if "indicator" in spec:
            return self.comparison(spec, what)
        if "ratio" in spec:
            return self.ratio(spec, what)
        if "growth" in spec:
            return self.growth(spec, what)
        if "trend" in spec:
            return self.trend(spec, what)
        raise self.fail(
            f"{what}: expected one of all, any, not, indicator, ratio, growth or trend; "
            f"got keys {sorted(map(str, spec))}"
        )

    def comparison(self, spec: dict, what: str) -> Comparison:
        if "than" not in spec:
            raise self.fail(f"{what} lacks 'than'")
        left = self.reference(spec, what, extra=frozenset({"op", "than", "annualise"}))
        annualise = spec.get("annualise", False)
        if not isinstance(annualise, bool):
            raise self.fail(f"{what}: annualise must be true or false")
        if annualise and self.unit(left) != "percent":
            raise self.fail(f"{what}: only a percentage can be annualised, not {left.code!r}")
        op = self.op(spec, what)
        return Comparison(left, op, self.right(spec["than"], self.unit(left), what), annualise)

    def ratio(self, spec: dict, what: str) -> Ratio:
        spec = self.mapping(
            spec, what, {"ratio", "op", "than", "decimals"}, {"ratio", "op", "than"}
        )
        parts = self.mapping(
            spec["ratio"],
            f"{what}.ratio",
            {"numerator", "denominator"},
            {"numerator", "denominator"},
        )
        numerator = self.reference(parts["numerator"], f"{what}.ratio.numerator")
        denominator = self.reference(parts["denominator"], f"{what}.ratio.denominator")
        if self.unit(numerator) != self.unit(denominator):
            raise self.fail(f"{what}: numerator and denominator must share a unit")
        op = self.op(spec, what)
        decimals = self.decimals(spec.get("decimals", DEFAULT_DECIMALS), f"{what}.decimals")
        return Ratio(
            numerator, denominator, op, self.right(spec["than"], "percent", what), decimals
        )

    def growth(self, spec: dict, what: str) -> Growth:
        spec = self.mapping(
            spec,
            what,
            {"growth", "versus", "op", "than", "decimals"},
            {"growth", "versus", "op", "than"},
        )
        ref = self.reference(spec["growth"], f"{what}.growth")
        if spec["versus"] not in VERSUS:
            raise self.fail(
                f"{what}: unknown versus {_describe(spec['versus'])}; known: {list(VERSUS)}"
            )
        op = self.op(spec, what)
        decimals = self.decimals(spec.get("decimals", DEFAULT_DECIMALS), f"{what}.decimals")
        return Growth(ref, spec["versus"], op, self.right(spec["than"], "percent", what), decimals)

    def trend(self, spec: dict, what: str) -> Trend:
        spec = self.mapping(
            spec, what, {"trend", "direction", "periods"}, {"trend", "direction", "periods"}
        )
        ref = self.reference(spec["trend"], f"{what}.trend")
        if spec["direction"] not in DIRECTIONS:
            raise self.fail(
                f"{what}: unknown direction {_describe(spec['direction'])}; known: {DIRECTIONS}"
            )
        periods = spec["periods"]
        if isinstance(periods, bool) or not isinstance(periods, int) or periods < 2:
            raise self.fail(f"{what}: periods must be a whole number of at least 2")
        return Trend(ref, spec["direction"], periods)


def _load(path: Path, catalogue: Catalogue) -> RuleBook:
    try:
        document = yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as error:
        raise RuleError(f"{path.name}: not valid YAML: {error}") from error
    return _Parser(catalogue, path.name).document(document, path)


@cache
def _default_rulebook() -> RuleBook:
    return _load(RULES_PATH, load_catalogue())


def load_rules(path: Path | str | None = None) -> RuleBook:
    """Load and validate a rules file (``catalogue/rules.yaml`` by default, then cached).

    Parameters
    ----------
    path : path-like, optional
        Another rules file, read afresh on every call (tests, drafts).

    Returns
    -------
    RuleBook

    Raises
    ------
    RuleError
        Naming the rule and what is wrong: unknown keys, operators, indicators, breakdowns or
        thresholds, units that do not match, a string where a mapping is expected.
    """
    if path is None:
        return _default_rulebook()
    return _load(Path(path), load_catalogue())
