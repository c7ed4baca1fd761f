"""Compute every indicator of a period from a `FigureSet` (the orchestration layer).

An indicator whose inputs are missing is left out; where a figure carries the published value
of an indicator that cannot be computed, the published value is used and marked ``reported``.
A computed indicator outside its catalogue bounds is a hard error (`IndicatorSet.out_of_bounds`)
naming the figures it comes from and, where one exists, the unit slip that explains it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from jkn_analysis.catalogue.definitions import Catalogue
from jkn_analysis.catalogue.numbers import round_half_up
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators import formulas as ind
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

ACTIVE_SEGMENTS = {
    "total": "active_total",
    "pbi": "active_pbi",
    "non_pbi": "active_non_pbi",
    "ppu_pn": "active_ppu_pn",
    "ppu_non_pn": "active_ppu_non_pn",
    "ppu_bumn": "active_ppu_bumn",
    "ppu_private": "active_ppu_private",
    "pbpu": "active_pbpu",
    "bp": "active_bp",
    "bp_pn": "active_bp_pn",
    "bp_private": "active_bp_private",
    "pbpu_pemda": "active_pbpu_pemda",
}
ICK_SEGMENTS = ("ppu", "pbpu", "bp", "total")
NON_ACTIVE_REASONS = {
    "total": "non_active_total",
    "arrears": "non_active_arrears",
    "arrears_pbpu": "non_active_arrears_pbpu",
    "mutation": "non_active_mutation",
}
SERVICES = ("rjtp", "ritp", "rjtl", "ritl")
CLAIM_SERVICES = ("ritl", "rjtl", "rjtp", "ritp", "promotive")
INVESTMENT_INSTRUMENTS = {
    "deposits": "djs_investment_deposits",
    "government_bonds": "djs_investment_government_bonds",
}
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

    def add(
        self,
        code: str,
        function: Callable[..., float | str],
        inputs: dict[str, tuple[str, Quarter | None]],
        *,
        extra: tuple = (),
        **dimensions: str,
    ) -> None:
        """Compute ``code`` from the named figures (code, period) when all are available."""
        values = [self.value(figure, period) for figure, period in inputs.values()]
        if any(value is None for value in values):
            return
        try:
            result = function(*values, *extra)
        except ind.UndefinedIndicatorError as error:
            # A zero denominator leaves the indicator out; the data checks say why.
            self.undefined.append(
                DataIssue(
                    "warning",
                    "undefined_indicator",
                    code=code,
                    period=str(self.period),
                    details={
                        "indicator": code,
                        "inputs": ", ".join(name for name, _ in inputs.values()),
                        "value": error.denominator,
                    },
                    message="undefined_indicator.denominator",
                )
            )
            return
        unit = self.figures.catalogue.indicator(code).unit
        names = tuple(
            figure if period in (None, self.period) else f"{figure}@{period}"
            for figure, period in inputs.values()
        )
        self.items.append(
            Indicator(code, result, unit, str(self.period), dimensions, "computed", names)
        )
        places = [(figure, period or self.period) for figure, period in inputs.values()]
        self._check_bounds(code, function, places, values, extra, result, dimensions)

    def _check_bounds(
        self,
        code: str,
        function: Callable[..., float | str],
        places: list[tuple[str, Quarter]],
        values: list[float],
        extra: tuple,
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
        hints = self._rescalings(definition, function, places, values, extra)
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

    def _rescalings(self, definition, function, places, values, extra) -> list[Rescaled]:
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
                        outcome = function(*trial, *extra)
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

    def figure(self, code: str, figure: str, **dimensions: str) -> None:
        """Carry a figure as an indicator (a level such as active participants)."""
        self.add(code, float, {"value": (figure, None)}, **dimensions)

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

    Comparisons use the previous December (Q4 of the year before) and the same quarter a
    year earlier, when those periods are in ``figures``.

    Returns
    -------
    IndicatorSet
    """
    c = _Collector(figures, period)
    december, year_earlier = period.previous_december, period.year_earlier
    previous_quarter = period.previous_quarter
    now = None

    # I. Participation
    c.add(
        "registered_coverage",
        ind.registered_coverage,
        {"registered": ("registered_participants", now), "population": ("population", now)},
    )
    c.figure("registered_participants", "registered_participants")
    c.add(
        "registered_change_vs_december",
        ind.change,
        {
            "current": ("registered_participants", now),
            "previous": ("registered_participants", december),
        },
    )
    c.add(
        "registered_growth_vs_december",
        ind.growth,
        {
            "current": ("registered_participants", now),
            "previous": ("registered_participants", december),
        },
    )
    if c.value("registered_participants") is not None and c.value("population") is not None:
        c.add(
            "registered_coverage_gap_to_target",
            lambda target: ind.gap_to_target(
                ind.registered_coverage(c.value("registered_participants"), c.value("population")),
                target,
            ),
            {"target": ("registered_coverage_target", now)},
        )
    c.add(
        "active_share_of_population",
        ind.active_share_of_population,
        {"active": ("active_total", now), "population": ("population", now)},
    )
    c.add(
        "active_share_of_registered",
        ind.active_share_of_registered,
        {"active": ("active_total", now), "registered": ("registered_participants", now)},
    )
    for segment, figure in ACTIVE_SEGMENTS.items():
        c.figure("active_participants", figure, segment=segment)
        comparisons = [
            ("active_change_vs_december", ind.change, december),
            ("active_growth_vs_december", ind.growth, december),
            ("active_change_vs_year_earlier", ind.change, year_earlier),
            ("active_growth_vs_year_earlier", ind.growth, year_earlier),
        ]
        if previous_quarter != december:  # for Q1 the previous quarter is December itself
            comparisons += [
                ("active_change_vs_previous_quarter", ind.change, previous_quarter),
                ("active_growth_vs_previous_quarter", ind.growth, previous_quarter),
            ]
        for code, function, other in comparisons:
            c.add(
                code,
                function,
                {"current": (figure, now), "previous": (figure, other)},
                segment=segment,
            )
    for reason, figure in NON_ACTIVE_REASONS.items():
        c.figure("non_active_participants", figure, reason=reason)
    c.add(
        "non_active_share_of_registered",
        ind.non_active_share_of_registered,
        {"non_active": ("non_active_total", now), "registered": ("registered_participants", now)},
    )
    c.add(
        "non_active_change_vs_december",
        ind.change,
        {"current": ("non_active_total", now), "previous": ("non_active_total", december)},
    )
    for segment in ICK_SEGMENTS:
        c.add(
            "ick_attainment",
            ind.ick_attainment,
            {
                "realised": (f"ick_realised_{segment}", now),
                "target": (f"ick_target_{segment}", now),
            },
            segment=segment,
        )
        c.add(
            "ick_attainment_vs_path",
            ind.ick_attainment_vs_path,
            {
                "realised": (f"ick_realised_{segment}", now),
                "start": (f"ick_realised_{segment}", december),
                "target": (f"ick_target_{segment}", now),
            },
            extra=(period.months_elapsed,),
            segment=segment,
        )

    # II. Facilities and utilisation
    c.figure("fktp_count", "fktp_total")
    c.add(
        "fktp_change_vs_december",
        ind.change,
        {"current": ("fktp_total", now), "previous": ("fktp_total", december)},
    )
    c.add(
        "fktp_gap_to_target",
        ind.gap_to_target,
        {"actual": ("fktp_total", now), "target": ("fktp_target", now)},
    )
    for kind in ("doctor_practice", "primary_clinic"):
        c.add(
            f"fktp_{kind}_change_vs_december",
            ind.change,
            {"current": (f"fktp_{kind}", now), "previous": (f"fktp_{kind}", december)},
        )
    if previous_quarter != december:
        for facility in ("fktp", "fkrtl"):
            c.add(
                f"{facility}_change_vs_previous_quarter",
                ind.change,
                {
                    "current": (f"{facility}_total", now),
                    "previous": (f"{facility}_total", previous_quarter),
                },
            )
    c.figure("fkrtl_count", "fkrtl_total")
    c.add(
        "fkrtl_change_vs_december",
        ind.change,
        {"current": ("fkrtl_total", now), "previous": ("fkrtl_total", december)},
    )
    for service in SERVICES:
        c.figure("visits", f"visits_{service}", service=service)
        c.add(
            "visits_growth_yoy",
            ind.growth,
            {
                "current": (f"visits_{service}", now),
                "previous": (f"visits_{service}", year_earlier),
            },
            service=service,
        )
    c.figure("referrals", "referrals")
    c.add(
        "referral_growth_yoy",
        ind.growth,
        {"current": ("referrals", now), "previous": ("referrals", year_earlier)},
    )
    c.add(
        "referral_rate",
        ind.referral_rate,
        {"referrals": ("referrals", now), "fktp_visits": ("visits_rjtp", now)},
    )
    c.figure("claims_expense", "claims_expense_total", service="total")
    for service in CLAIM_SERVICES:
        figure = f"claims_expense_{service}"
        c.figure("claims_expense", figure, service=service)
        c.add(
            "claims_expense_share",
            ind.share_of_total,
            {"part": (figure, now), "total": ("claims_expense_total", now)},
            service=service,
        )
        c.add(
            "claims_expense_growth_yoy",
            ind.growth,
            {"current": (figure, now), "previous": (figure, year_earlier)},
            service=service,
        )
    c.add(
        "claims_expense_growth_yoy",
        ind.growth,
        {
            "current": ("claims_expense_total", now),
            "previous": ("claims_expense_total", year_earlier),
        },
        service="total",
    )

    # III. Finance
    c.figure("premium_income", "premium_income")
    c.add(
        "premium_income_vs_annual_target",
        ind.premium_income_vs_annual_target,
        {"income": ("premium_income", now), "target": ("premium_income_target", now)},
    )
    c.add(
        "premium_income_vs_pro_rata_target",
        ind.premium_income_vs_pro_rata_target,
        {"income": ("premium_income", now), "target": ("premium_income_target", now)},
        extra=(period.months_elapsed,),
    )
    c.add(
        "claim_ratio",
        ind.claim_ratio,
        {"claims": ("claims_expense_total", now), "premium": ("premium_income", now)},
    )
    c.add(
        "djs_surplus",
        ind.djs_surplus,
        {"revenue": ("djs_revenue_total", now), "expenses": ("djs_expense_total", now)},
    )
    c.figure("djs_net_assets", "djs_net_assets")
    c.add(
        "months_of_claims_covered",
        ind.months_of_claims_covered,
        {"net_assets": ("djs_net_assets", now), "claims": ("claims_expense_total", now)},
        extra=(period.months_elapsed,),
    )
    c.figure("djs_investment_portfolio", "djs_investment_total")
    for instrument, figure in INVESTMENT_INSTRUMENTS.items():
        c.add(
            "djs_investment_share",
            ind.share_of_total,
            {"part": (figure, now), "total": ("djs_investment_total", now)},
            instrument=instrument,
        )
    for owner in ("djs", "bpjs"):
        c.figure(f"{owner}_investment_yield", f"{owner}_investment_yield")
        c.add(
            f"{owner}_investment_yield_gap_to_target",
            ind.gap_to_target,
            {
                "actual": (f"{owner}_investment_yield", now),
                "target": (f"{owner}_investment_yield_target", now),
            },
        )

    c.reported()
    months = next((i for i in c.items if i.code == "months_of_claims_covered"), None)
    if months is not None:
        c.items.append(
            Indicator(
                "months_covered_corridor",
                ind.corridor_position(months.value),
                "category",
                str(period),
                {},
                months.method,
                ("months_of_claims_covered",),
            )
        )
    return IndicatorSet(period, c.items, figures.catalogue, c.undefined, c.out_of_bounds)


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
