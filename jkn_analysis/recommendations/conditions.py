"""The conditions of a recommendation rule, evaluated on indicators and worded as evidence.

A condition is a tree of combinators (`AllOf`, `AnyOf`, `FirstKnown`, `Not`) over leaves
(`Comparison`, `Ratio`, `Growth`, `Trend`) that compare indicators (`IndicatorRef`) with thresholds
(`Threshold`) or with other indicators. `Node.evaluate` gives true, false or unknown with the
facts found, in the three-valued logic that `jkn_analysis.recommendations.rules` describes; each
leaf that held writes its own `Evidence` in either language.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Protocol

from jkn_analysis.catalogue.definitions import Catalogue
from jkn_analysis.catalogue.formatting import format_value
from jkn_analysis.catalogue.numbers import round_half_up
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.compute import IndicatorSet
from jkn_analysis.indicators.formulas import growth, share_of_total
from jkn_analysis.recommendations import evidence_words as words
from jkn_analysis.recommendations.evidence import Evidence

OPERATORS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
}
DIRECTIONS = ("falling", "rising")
VERSUS: dict[str, Callable[[Quarter], Quarter]] = {
    "year_earlier": lambda period: period.year_earlier,
    "previous_december": lambda period: period.previous_december,
    "previous_quarter": lambda period: period.previous_quarter,
}
DEFAULT_DECIMALS = 2  # ratio and growth leaves


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
    # How evidence names it, ``{value}`` its value and ``{year}`` the period's year:
    # ``target {value} untuk 2024 (Perpres 36/2023)``. Without one, evidence gives the value.
    label: dict[str, str] | None = None

    def applies_to(self, year: int) -> bool:
        """Whether the threshold is in force for a period of ``year``."""
        if self.from_year is not None and year < self.from_year:
            return False
        return self.until_year is None or year <= self.until_year

    def text(self, language: str) -> str:
        """The threshold as evidence prints it: ``100%``, ``1,5 bulan``."""
        return format_value(float(self.value), self.unit, self.decimals, language=language)

    def named(self, year: int, language: str) -> str:
        """The threshold as evidence names it: ``target 98% untuk 2024 (Perpres 36/2023)``."""
        return words.threshold_name(self.label, self.text(language), year, language)


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


class Vocabulary(Protocol):
    """What a condition needs of its rule book: the catalogue and the labels of references.

    `jkn_analysis.recommendations.rulebook.RuleBook` is one.
    """

    catalogue: Catalogue

    def label(self, ref: IndicatorRef, language: str) -> str:
        """``Peserta non aktif karena mutasi data``: catalogue label with its breakdown."""
        ...  # pragma: no cover - a protocol

    def breakdown_text(self, ref: IndicatorRef, language: str) -> str:
        """``PBI``: the breakdown's labels alone (empty for totals)."""
        ...  # pragma: no cover - a protocol


class Context:
    """The history a condition is evaluated on, and the period it is evaluated for."""

    def __init__(self, history: Mapping[Quarter, IndicatorSet], period: Quarter, book: Vocabulary):
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
class Fact:
    """A leaf that held, with what it found; it writes its own evidence."""

    leaf: Leaf
    found: dict

    def evidence(self, language: str, book: Vocabulary) -> Evidence:
        return self.leaf.evidence(self.found, language, book)


Outcome = tuple[bool | None, tuple[Fact, ...]]


def _format(book: Vocabulary, ref: IndicatorRef, value: Decimal, language: str) -> str:
    """A value of ``ref`` as evidence prints it (``31,35 juta``, ``76,41%``)."""
    definition = book.catalogue.indicator(ref.code)
    return words.number(value, definition.unit, definition.decimals, language)


@dataclass(frozen=True)
class RightSide:
    """The right side of a comparison: a threshold or another indicator."""

    threshold: Threshold | None = None
    indicator: IndicatorRef | None = None

    def value(self, context: Context) -> Decimal | None:
        if self.threshold is not None:
            # A target of other years is no yardstick for this period: unknown, never held.
            if not self.threshold.applies_to(context.period.year):
                return None
            return self.threshold.value
        return context.printed(self.indicator)

    def named(self, found: dict, language: str, book: Vocabulary) -> str:
        """The threshold by its label, or the other indicator with its value."""
        if self.threshold is not None:
            return self.threshold.named(found["year"], language)
        label = words.lower_first(book.label(self.indicator, language))
        return f"{label} {_format(book, self.indicator, found['right'], language)}"

    def source(self, language: str) -> str:
        return self.threshold.source[language] if self.threshold is not None else ""


class Node:
    """A condition: `evaluate` gives true, false or ``None`` (unknown) and the facts found."""

    def evaluate(self, context: Context) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    def guarantees_evidence(self) -> bool:
        """Whether the condition can only hold with at least one leaf holding."""
        return True


@dataclass(frozen=True)
class AllOf(Node):
    """``all: [...]``: holds when every part holds; evidence from every part."""

    parts: tuple[Node, ...]

    def evaluate(self, context: Context) -> Outcome:
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

    def evaluate(self, context: Context) -> Outcome:
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
class FirstKnown(Node):
    """``first_known: [...]``: the first part that is known decides, with its evidence.

    A fallback: a better measure where the data allow it, a plainer one otherwise (premium
    income against its seasonal target, else against the target pro rata to the months).
    Unknown only when every part is.
    """

    parts: tuple[Node, ...]

    def evaluate(self, context: Context) -> Outcome:
        for part in self.parts:
            state, facts = part.evaluate(context)
            if state is not None:
                return state, facts
        return None, ()

    def guarantees_evidence(self) -> bool:
        return all(part.guarantees_evidence() for part in self.parts)


@dataclass(frozen=True)
class Not(Node):
    """``not: {...}``: holds when the part is false (not when it is unknown); no evidence."""

    part: Node

    def evaluate(self, context: Context) -> Outcome:
        state, _ = self.part.evaluate(context)
        return (None if state is None else not state), ()

    def guarantees_evidence(self) -> bool:
        return False


class Leaf(Node):
    """A condition on figures; when it holds it records one fact, formatted as evidence."""

    def evidence(self, found: dict, language: str, book: Vocabulary) -> Evidence:
        raise NotImplementedError  # pragma: no cover - abstract


class ComparingLeaf(Leaf):
    """A leaf that compares a value it computes with its right side (``op``, ``than``).

    Subclasses are dataclasses with the fields ``op`` (a key of `OPERATORS`) and ``right`` (a
    `RightSide`); they declare them themselves, so that each keeps its fields in its own order.
    """

    op: str
    right: RightSide

    def compare(self, context: Context, value: Decimal, right: Decimal, **found: object) -> Outcome:
        """True with the fact found (``value``, ``right``, the period's ``year`` and ``found``)
        when ``value`` op ``right`` holds, else false."""
        if not OPERATORS[self.op](value, right):
            return False, ()
        fact = {"value": value, "right": right, "year": context.period.year, **found}
        return True, (Fact(self, fact),)

    def worded(self, ref: IndicatorRef, text: str, language: str) -> Evidence:
        """Evidence on ``ref``: the sentence, with the source of its threshold."""
        return Evidence(
            indicator=ref.code,
            dimensions=ref.dimensions,
            text=words.upper_first(text),
            source=self.right.source(language),
        )

    def against(
        self, subject: str, value: str, found: dict, language: str, book: Vocabulary
    ) -> str:
        """``{subject} {value}, di bawah target 98% ...``: a figure against its right side."""
        kind = "threshold" if self.right.threshold is not None else "indicator"
        if kind == "threshold":
            return words.word(
                "sentences.threshold",
                language,
                subject=subject,
                value=value,
                relation=words.relation(kind, self.op, language),
                threshold=self.right.named(found, language, book),
            )
        other = self.right.indicator
        return words.word(
            "sentences.indicator",
            language,
            subject=subject,
            value=value,
            relation=words.relation(kind, self.op, language),
            other=words.lower_first(book.label(other, language)),
            other_value=_format(book, other, found["right"], language),
        )

    def move(
        self, subject: str, moved: str, versus: str, found: dict, language: str, book: Vocabulary
    ) -> str:
        """``Peserta aktif PBI turun 28.148 jiwa sejak Desember``, with what it is set against:
        nothing more for a zero threshold (the fall is the finding), else the threshold or the
        other change."""
        move = words.word(
            "sentences.move",
            language,
            subject=subject,
            moved=moved,
            versus=words.word(versus, language),
        )
        threshold, other = self.right.threshold, self.right.indicator
        if threshold is not None and threshold.value == 0:
            if threshold.label is None:
                return move
            named = threshold.named(found["year"], language)
            return words.word("sentences.move_context", language, move=move, threshold=named)
        if threshold is not None or not words.is_move(other.code):
            return words.word(
                "sentences.move_threshold",
                language,
                move=move,
                relation=words.relation(
                    "threshold" if threshold else "indicator", self.op, language
                ),
                threshold=self.right.named(found, language, book),
            )
        definition = book.catalogue.indicator(other.code)
        return words.word(
            "sentences.move_indicator",
            language,
            move=move,
            relation=words.relation("indicator", self.op, language),
            other=words.lower_first(
                words.move_subject(other.code, book.breakdown_text(other, language), language)
            ),
            other_moved=words.moved(found["right"], definition.unit, definition.decimals, language),
        )


@dataclass(frozen=True)
class Comparison(ComparingLeaf):
    """``{indicator: code, op, than}``: an indicator against a threshold or indicator."""

    left: IndicatorRef
    op: str
    right: RightSide
    annualise: bool = False

    def evaluate(self, context: Context) -> Outcome:
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
        return self.compare(context, value, right)

    def evidence(self, found: dict, language: str, book: Vocabulary) -> Evidence:
        code = self.left.code
        definition = book.catalogue.indicator(code)
        value = _format(book, self.left, found["value"], language)
        if code in words.WORDS["indicator_sentences"]:
            kind = "years" if definition.unit == "years" else "threshold"
            text = words.word(
                f"indicator_sentences.{code}",
                language,
                value=value,
                relation=words.relation(kind, self.op, language),
                threshold=self.right.named(found, language, book),
            )
        elif words.is_move(code):
            subject = words.move_subject(code, book.breakdown_text(self.left, language), language)
            moved = words.moved(found["value"], definition.unit, definition.decimals, language)
            text = self.move(subject, moved, words.versus_of(code), found, language, book)
        else:
            subject = book.label(self.left, language)
            if self.annualise:
                subject = words.word("annualised", language, subject=subject)
            text = self.against(subject, value, found, language, book)
        return self.worded(self.left, text, language)


@dataclass(frozen=True)
class Ratio(ComparingLeaf):
    """``{ratio: {numerator, denominator}, op, than}``: a share in percent."""

    numerator: IndicatorRef
    denominator: IndicatorRef
    op: str
    right: RightSide
    decimals: int = DEFAULT_DECIMALS

    def evaluate(self, context: Context) -> Outcome:
        numerator, denominator = context.raw(self.numerator), context.raw(self.denominator)
        right = self.right.value(context)
        if numerator is None or denominator is None or right is None or not denominator > 0:
            return None, ()
        value = round_half_up(share_of_total(numerator, denominator), self.decimals)
        return self.compare(
            context,
            value,
            right,
            numerator=context.printed(self.numerator),
            denominator=context.printed(self.denominator),
        )

    def evidence(self, found: dict, language: str, book: Vocabulary) -> Evidence:
        text = words.word(
            "sentences.share",
            language,
            subject=book.label(self.numerator, language),
            part=_format(book, self.numerator, found["numerator"], language),
            share=format_value(float(found["value"]), "percent", self.decimals, language=language),
            whole=_format(book, self.denominator, found["denominator"], language),
            whole_subject=words.lower_first(book.label(self.denominator, language)),
            relation=words.relation("share", self.op, language),
            threshold=self.right.named(found, language, book),
        )
        return self.worded(self.numerator, text, language)


@dataclass(frozen=True)
class Growth(ComparingLeaf):
    """``{growth: ref, versus, op, than}``: growth computed from the history, in percent."""

    ref: IndicatorRef
    versus: str
    op: str
    right: RightSide
    decimals: int = DEFAULT_DECIMALS

    def evaluate(self, context: Context) -> Outcome:
        current = context.raw(self.ref)
        previous = context.raw(self.ref, VERSUS[self.versus](context.period))
        right = self.right.value(context)
        if current is None or previous is None or right is None or not previous > 0:
            return None, ()
        value = round_half_up(growth(current, previous), self.decimals)
        return self.compare(context, value, right)

    def evidence(self, found: dict, language: str, book: Vocabulary) -> Evidence:
        moved = words.moved(found["value"], "percent", self.decimals, language)
        subject = book.label(self.ref, language)
        text = self.move(subject, moved, self.versus, found, language, book)
        return self.worded(self.ref, text, language)


@dataclass(frozen=True)
class Trend(Leaf):
    """``{trend: ref, direction, periods}``: strictly falling or rising over n periods."""

    ref: IndicatorRef
    direction: str
    periods: int

    def evaluate(self, context: Context) -> Outcome:
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
        return True, (Fact(self, {"series": tuple(series)}),)

    def evidence(self, found: dict, language: str, book: Vocabulary) -> Evidence:
        steps = words.joiner(language).join(
            words.word(
                "sentences.step",
                language,
                value=_format(book, self.ref, value, language),
                period=quarter.label(language),
            )
            for quarter, value in found["series"]
        )
        text = words.word(
            "sentences.trend",
            language,
            subject=book.label(self.ref, language),
            direction=words.word(self.direction, language),
            n=self.periods,
            steps=steps,
        )
        return Evidence(
            indicator=self.ref.code, dimensions=self.ref.dimensions, text=words.upper_first(text)
        )
