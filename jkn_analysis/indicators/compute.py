"""Compute every indicator of a period from a `FigureSet` (the orchestration layer).

Which indicators there are, and from which figures and formula each is computed, is declared
in the catalogue (``figures.yaml``, its grammar at the top of the ``indicators:`` section);
`compute_indicators` goes through those declarations. An indicator whose inputs are missing
is left out; where a figure carries the published value
of an indicator that cannot be computed, the published value is used and marked ``reported``.
A computed indicator outside its catalogue bounds is a hard error (`IndicatorSet.out_of_bounds`)
naming the figures it comes from and, where one exists, the unit slip that explains it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from jkn_analysis.catalogue.computations import Computation, Input
from jkn_analysis.catalogue.definitions import Catalogue, load_catalogue
from jkn_analysis.catalogue.numbers import round_half_up
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators import formulas as ind
from jkn_analysis.indicators.declarations import breakdown, formula_of
from jkn_analysis.inputs.figures import FigureSet
from jkn_analysis.inputs.validation import (
    Amount,
    DataIssue,
    FigureValue,
    IndicatorName,
    Listing,
    Range,
    Rescaled,
)

# The breakdowns the report lays out, in the catalogue's order (figures.yaml declares them).
_CATALOGUE = load_catalogue()
ACTIVE_SEGMENTS = breakdown(_CATALOGUE, "active_participants", "segment")
ICK_SEGMENTS = tuple(breakdown(_CATALOGUE, "ick_attainment", "segment"))
NON_ACTIVE_REASONS = breakdown(_CATALOGUE, "non_active_participants", "reason")
SERVICES = tuple(breakdown(_CATALOGUE, "visits", "service"))
CLAIM_SERVICES = tuple(breakdown(_CATALOGUE, "claims_expense_share", "service"))
INVESTMENT_INSTRUMENTS = breakdown(_CATALOGUE, "djs_investment_share", "instrument")
# Powers of ten tried on each input of an indicator outside its bounds, smallest first: a
# figure typed ten times too small (38,6 read as 3,86), then a scale word left out or doubled.
RESCALE_EXPONENTS = (1, 2, 3, 6, 9, 12)


@dataclass(frozen=True)
class Indicator:
    """One indicator value of one period.

    ``dimensions`` holds the breakdown (``segment``, ``service``, ``reason``, ``instrument``);
    ``method`` is ``computed`` or ``reported``; ``inputs`` names the figures it came from.
    """

    code: str
    value: float | str
    unit: str
    period: str
    dimensions: dict[str, str] = field(default_factory=dict)
    method: str = "computed"
    inputs: tuple[str, ...] = ()

    def key(self) -> tuple:
        return (self.code, tuple(sorted(self.dimensions.items())))

    def as_json(self, decimals: int) -> dict:
        """The record written to ``indicators.json``, rounded as the report prints it."""
        value = self.value
        if isinstance(value, float):
            rounded = round_half_up(value, decimals)
            value = int(rounded) if decimals == 0 else float(rounded)
        record = {"code": self.code, "value": value, "unit": self.unit, "period": self.period}
        record.update(self.dimensions)
        record["method"] = self.method
        record["inputs"] = list(self.inputs)
        return record


class IndicatorSet:
    """Indicators of one period, looked up by code and breakdown."""

    def __init__(
        self,
        period: Quarter,
        items: Iterable[Indicator],
        catalogue: Catalogue,
        undefined: Iterable[DataIssue] = (),
        out_of_bounds: Iterable[DataIssue] = (),
    ):
        self.period = period
        self.catalogue = catalogue
        self.undefined = list(undefined)
        # Hard errors: computed indicators outside their catalogue bounds. No report is built
        # while there is one (jkn_analysis.indicators.checks.load_figures raises them).
        self.out_of_bounds = list(out_of_bounds)
        self._items = {item.key(): item for item in items}

    def __iter__(self):
        return iter(sorted(self._items.values(), key=lambda item: item.key()))

    def __len__(self) -> int:
        return len(self._items)

    def get(self, code: str, **dimensions: str) -> Indicator | None:
        """The indicator with this code and breakdown, or ``None`` when it is not available."""
        return self._items.get((code, tuple(sorted(dimensions.items()))))

    def value(self, code: str, **dimensions: str) -> float | str | None:
        """The indicator's unrounded value, or ``None``."""
        item = self.get(code, **dimensions)
        return None if item is None else item.value

    def as_json(self) -> list[dict]:
        """Every indicator as JSON records, in a stable order."""
        return [item.as_json(self.catalogue.indicator(item.code).decimals) for item in self]


class _Collector:
    """Collects indicators of one period, skipping those whose inputs are missing."""

    def __init__(self, figures: FigureSet, period: Quarter):
        self.figures = figures
        self.period = period
        self.items: list[Indicator] = []
        self.undefined: list[DataIssue] = []
        self.out_of_bounds: list[DataIssue] = []

    def value(self, code: str, period: Quarter | None = None) -> float | None:
        return self.figures.value(code, period or self.period)

    def period_of(self, item: Input) -> Quarter | None:
        """The period an input is taken from; ``None`` for the previous quarter of a first
        quarter, which is the previous December (an indicator against it would repeat the
        one since December)."""
        if item.offset is None:
            return self.period
        if item.offset == "previous_quarter" and self.period.quarter == 1:
            return None
        return getattr(self.period, item.offset)

    def given(self, computation: Computation) -> dict[str, object] | None:
        """The formula's further arguments, or ``None`` when a figure among them is missing
        (a history is missing when no earlier year holds the figure)."""
        values: dict[str, object] = {}
        for name, item in computation.given:
            if item.source == "period":
                values[name] = getattr(self.period, item.code)
                continue
            if item.is_history:
                history = self.history(item)
                if not history:
                    return None
                values[name] = history
                continue
            period = self.period_of(item)
            value = None if period is None else self.value(item.code, period)
            if value is None:
                return None
            values[name] = value
        return values

    def history(self, item: Input) -> dict[int, float]:
        """A figure's values in every year before the period's, by year: in the period's
        quarter (``same_quarter_of_earlier_years``) or in December
        (``december_of_earlier_years``); years without the figure are left out."""
        quarter = self.period.quarter if item.offset == "same_quarter_of_earlier_years" else 4
        return {
            period.year: value
            for period in self.figures.periods
            if period.year < self.period.year
            and period.quarter == quarter
            and (value := self.value(item.code, period)) is not None
        }

    def compute(self, computation: Computation) -> None:
        """Compute one declared indicator from the figures, when all its inputs exist."""
        function = formula_of(computation)
        inputs = {}
        for name, item in computation.inputs:
            period = self.period_of(item)
            if period is None:
                return
            inputs[name] = (item.code, period)
        given = self.given(computation)
        if given is None:
            return
        names = list(inputs)

        def formula(*values: float) -> float | str:
            return function(**dict(zip(names, values, strict=True)), **given)

        self.add(computation.indicator, formula, inputs, **dict(computation.dimensions))

    def compute_from_indicators(self, computation: Computation) -> None:
        """Compute a declared indicator from indicators of the period (the corridor position
        from the months covered). It is computed, or reported, as they are; not checked
        against bounds, since they were."""
        found = {item.key(): item for item in self.items}
        dimensions = dict(computation.dimensions)
        sources = {}
        for name, item in computation.inputs:
            source = found.get((item.code, tuple(sorted(dimensions.items()))))
            if source is None:
                return
            sources[name] = source
        given = self.given(computation)
        if given is None:
            return
        result = formula_of(computation)(
            **{name: source.value for name, source in sources.items()}, **given
        )
        methods = {source.method for source in sources.values()}
        self.items.append(
            Indicator(
                computation.indicator,
                result,
                self.figures.catalogue.indicator(computation.indicator).unit,
                str(self.period),
                dimensions,
                "reported" if "reported" in methods else "computed",
                tuple(source.code for source in sources.values()),
            )
        )

    def add(
        self,
        code: str,
        function: Callable[..., float | str | None],
        inputs: dict[str, tuple[str, Quarter]],
        **dimensions: str,
    ) -> None:
        """Compute ``code`` from the named figures (code, period) when all are available;
        ``function`` takes their values in that order."""
        values = [self.value(figure, period) for figure, period in inputs.values()]
        if any(value is None for value in values):
            return
        try:
            result = function(*values)
        except ind.UndefinedIndicatorError as error:
            # A zero denominator leaves the indicator out; the data checks say why.
            self.undefined.append(
                self._formula_issue(
                    "warning",
                    "undefined_indicator",
                    "undefined_indicator.denominator",
                    code,
                    inputs,
                    value=error.denominator,
                )
            )
            return
        except ind.InconsistentHistoryError as error:
            # Earlier years that contradict each other: a hard error naming the year, never a
            # traceback nor a seasonal basis quietly dropped. Seasonal profiles are of rupiah
            # flows (premium income), written in triliun.
            self.out_of_bounds.append(
                self._formula_issue(
                    "error",
                    "inconsistent_history",
                    "indicator.inconsistent_history",
                    code,
                    inputs,
                    year=str(error.year),  # a year, not a number to group
                    year_to_date=Amount(error.year_to_date, "rupiah", exponent=12),
                    full_year=Amount(error.full_year, "rupiah", exponent=12),
                )
            )
            return
        if result is None:
            # The formula has nothing to give from these figures (no earlier year holds both
            # values of a seasonal profile): the indicator is left out, as with a missing input.
            return
        unit = self.figures.catalogue.indicator(code).unit
        names = tuple(
            figure if period == self.period else f"{figure}@{period}"
            for figure, period in inputs.values()
        )
        self.items.append(
            Indicator(code, result, unit, str(self.period), dimensions, "computed", names)
        )
        places = list(inputs.values())
        self._check_bounds(code, function, places, values, result, dimensions)

    def _formula_issue(
        self,
        severity: str,
        problem: str,
        message: str,
        code: str,
        inputs: dict[str, tuple[str, Quarter]],
        **details: object,
    ) -> DataIssue:
        """A data check naming the indicator whose formula refused its inputs, and the inputs."""
        return DataIssue(
            severity,
            problem,
            code=code,
            period=str(self.period),
            details={
                "indicator": code,
                "inputs": ", ".join(name for name, _ in inputs.values()),
                **details,
            },
            message=message,
        )

    def _check_bounds(
        self,
        code: str,
        function: Callable[..., float | str],
        places: list[tuple[str, Quarter]],
        values: list[float],
        result: float | str,
        dimensions: dict[str, str],
    ) -> None:
        """An error when ``result`` lies outside the indicator's bounds, naming its inputs."""
        definition = self.figures.catalogue.indicator(code)
        if definition.bounds is None or isinstance(result, str) or result in definition.bounds:
            return
        figures = self.figures.catalogue.figures
        inputs = Listing(
            tuple(
                FigureValue(
                    self.figures.place(figure, period),
                    value,
                    figures[figure].unit,
                    str(self.period),
                )
                for (figure, period), value in zip(places, values, strict=True)
            )
        )
        hints = self._rescalings(definition, function, places, values)
        details = {
            "indicator": IndicatorName(code, tuple(sorted(dimensions.items()))),
            "found": Amount(result, definition.unit, definition.decimals),
            "bounds": Range(definition.bounds, definition.unit),
            "inputs": inputs,
        }
        if hints:
            details["hint"] = Listing(tuple(hints), "or")
        self.out_of_bounds.append(
            DataIssue(
                "error",
                "indicator_bounds",
                code=code,
                period=str(self.period),
                details=details,
                message="indicator_bounds.hint" if hints else "",
            )
        )

    def _rescalings(self, definition, function, places, values) -> list[Rescaled]:
        """The smallest rescalings of one input by a power of ten that keep that input within
        its own bounds and bring the indicator within its bounds: the likely slips."""
        figures = self.figures.catalogue.figures
        for exponent in RESCALE_EXPONENTS:
            found = []
            for index, ((figure, period), value) in enumerate(zip(places, values, strict=True)):
                for power in (exponent, -exponent):
                    candidate = float(Decimal(repr(float(value))) * Decimal(10) ** power)
                    bounds = figures[figure].bounds
                    if bounds is not None and candidate not in bounds:
                        continue
                    trial = [*values[:index], candidate, *values[index + 1 :]]
                    try:
                        outcome = function(*trial)
                    except (ArithmeticError, ValueError):
                        continue
                    if isinstance(outcome, str) or outcome not in definition.bounds:
                        continue
                    found.append(
                        Rescaled(
                            self.figures.place(figure, period, named=True),
                            10.0**power,
                            Amount(candidate, figures[figure].unit),
                            Amount(outcome, definition.unit, definition.decimals),
                            str(self.period),
                        )
                    )
            if found:
                return found
        return []

    def reported(self) -> None:
        """Use published values for indicators that could not be computed."""
        computed = {item.key() for item in self.items}
        for figure in self.figures.catalogue.figures.values():
            if not figure.reported_indicator:
                continue
            value = self.value(figure.code)
            key = (figure.reported_indicator, tuple(sorted(figure.dimensions.items())))
            if value is None or key in computed:
                continue
            unit = self.figures.catalogue.indicator(figure.reported_indicator).unit
            self.items.append(
                Indicator(
                    figure.reported_indicator,
                    value,
                    unit,
                    str(self.period),
                    dict(figure.dimensions),
                    "reported",
                    (figure.code,),
                )
            )


def compute_indicators(figures: FigureSet, period: Quarter) -> IndicatorSet:
    """Compute every indicator of ``period`` whose inputs exist in ``figures``.

    Goes through the indicators the catalogue declares (``figures.yaml``), each computed by
    its formula from its inputs; then carries published values where an indicator could not
    be computed; then those computed from other indicators. Comparisons use the previous
    December, the previous quarter and the same quarter a year earlier, when those periods are
    in ``figures``.

    Returns
    -------
    IndicatorSet
    """
    collector = _Collector(figures, period)
    from_indicators = []
    for definition in figures.catalogue.indicators.values():
        for computation in definition.computations:
            if computation.from_indicators:
                from_indicators.append(computation)
            else:
                collector.compute(computation)
    collector.reported()
    for computation in from_indicators:
        collector.compute_from_indicators(computation)
    return IndicatorSet(
        period, collector.items, figures.catalogue, collector.undefined, collector.out_of_bounds
    )


def reported_vs_computed_issues(figures: FigureSet, indicators: IndicatorSet) -> list[DataIssue]:
    """Warnings where a published indicator value differs from the one computed from inputs,
    and for indicators left out because their denominator was zero.

    The published value is compared at the precision it was written with in the data file
    (``17,7`` triliun has one decimal in triliun; ``17,70`` has two), so 5,98 against a
    computed 5,976 agrees while 18,8 against 17,57 does not.
    """
    issues = list(indicators.undefined)
    period = indicators.period
    for figure in figures.catalogue.figures.values():
        if not figure.reported_indicator:
            continue
        published = figures.value(figure.code, period)
        item = indicators.get(figure.reported_indicator, **figure.dimensions)
        if published is None or item is None or item.method != "computed":
            continue
        record = figures.record(figure.code, period)
        scale, decimals = record["scale"], record["decimals"]
        if decimals is None or pd.isna(decimals):
            continue
        computed = round_half_up(item.value / scale, int(decimals))
        if computed != round_half_up(published / scale, int(decimals)):
            issues.append(
                DataIssue(
                    "warning",
                    "reported_vs_computed",
                    code=figure.code,
                    period=str(period),
                    details={"found": published / scale, "expected": float(computed)},
                )
            )
    return issues


def period_warnings(figures: FigureSet, period: Quarter) -> list[DataIssue]:
    """Every soft-check warning of a period: data checks and published-versus-computed."""
    return figures.soft_check_issues(period) + reported_vs_computed_issues(
        figures, compute_indicators(figures, period)
    )


def compute_history(figures: FigureSet) -> dict[Quarter, IndicatorSet]:
    """The indicators of every period in ``figures``: comparisons, trends and rules use them."""
    return {period: compute_indicators(figures, period) for period in figures.periods}
