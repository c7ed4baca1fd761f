"""Back-test: the baseline run from every origin the data allow, with only the figures up to
that origin, against what was published later.

For each origin (a period with premium income, claims expense and net assets or published
months covered) and each later December with published premium income, claims expense and
months covered, the table compares the projected and published values:

- premium income and claims expense, error in percent of the published value;
- months covered, error in months.

Beside it, a naive forecast: last year's growth of each flow (and of net assets) held; where
the data hold no earlier year, no change. Targets: one year ahead from a December, claims
within 6%, premium within 4%, months within 0,5; from an in-year origin to its own year end,
premium and claims within 3% and months within 0,25. Drivers are derived by the same rules at
every origin, from its own past only (`jkn_analysis.projection.history.UpTo`); nothing is tuned
on the outcome tested.

Where the model's claims error is larger than the naive forecast's, the back-test says why
(`Backtest.claims_worse`, printed in the report's appendix): the growth each forecast gives, the
per-member trend the model measured at the origin, what the fading of trends (``trend_fade``)
takes from it, and the calendar's steps of those years that no source sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.projection.calendar import PolicyCalendar
from jkn_analysis.projection.defaults import derive_drivers
from jkn_analysis.projection.drivers import ProjectionError
from jkn_analysis.projection.history import UpTo, derive_start
from jkn_analysis.projection.model import project
from jkn_analysis.projection.wording import Joined, Label, Pct, Rp, Text

QUANTITIES = ("premium_income", "claims_expense", "months_covered")
FIGURE_OF = {"premium_income": "premium_income", "claims_expense": "claims_expense_total"}
# Error targets: (horizon kind, quantity) -> largest absolute error (percent, or months).
TARGETS = {
    ("one_year", "premium_income"): 4.0,
    ("one_year", "claims_expense"): 6.0,
    ("one_year", "months_covered"): 0.5,
    ("in_year", "premium_income"): 3.0,
    ("in_year", "claims_expense"): 3.0,
    ("in_year", "months_covered"): 0.25,
}


@dataclass(frozen=True)
class BacktestRow:
    """One origin, target year and quantity."""

    origin: Quarter
    year: int
    horizon: str  # "in_year", "one_year", or "<n>_years"
    quantity: str
    predicted: float
    actual: float
    naive: float

    @property
    def error(self) -> float:
        return _error(self.quantity, self.predicted, self.actual)

    @property
    def naive_error(self) -> float:
        return _error(self.quantity, self.naive, self.actual)

    @property
    def target(self) -> float | None:
        return TARGETS.get((self.horizon, self.quantity))

    @property
    def met(self) -> bool | None:
        return None if self.target is None else abs(self.error) <= self.target


def _error(quantity: str, value: float, actual: float) -> float:
    if quantity == "months_covered":
        return value - actual
    return (value - actual) / actual * 100


@dataclass(frozen=True)
class Backtest:
    """The rows, the in-year origins whose year end is not (yet) in the data, and why the model
    misses the claims by more than the naive forecast where it does (one `Text` per such row)."""

    rows: tuple[BacktestRow, ...]
    origins: tuple[Quarter, ...]
    in_year_without_year_end: tuple[Quarter, ...]
    claims_worse: tuple[Text, ...] = ()

    def get(self, origin: str, year: int, quantity: str) -> BacktestRow:
        for row in self.rows:
            if str(row.origin) == origin and row.year == year and row.quantity == quantity:
                return row
        raise KeyError(f"no back-test row {origin} → {year} {quantity}")

    def by_horizon(self, horizon: str) -> list[BacktestRow]:
        return [row for row in self.rows if row.horizon == horizon]


def _published(figures, year: int) -> dict[str, float] | None:
    """Published premium, claims and months covered of a December, or ``None``."""
    december = Quarter(year, 4)
    premium = figures.value("premium_income", december)
    claims = figures.value("claims_expense_total", december)
    months = figures.value("months_covered_reported", december)
    if months is None:
        assets = figures.value("djs_net_assets", december)
        months = None if assets is None or not claims else assets / (claims / 12)
    if premium is None or claims is None or months is None:
        return None
    return {"premium_income": premium, "claims_expense": claims, "months_covered": months}


def _naive(figures, origin: Quarter, year: int) -> dict[str, float]:
    """Last year's growth held; no change where no earlier year is in the data."""

    def flow(code, period):
        return figures.value(code, period)

    if origin.quarter == 4:
        base, previous, steps = origin, origin.year_earlier, year - origin.year
    else:
        base, previous, steps = origin.previous_december, Quarter(origin.year - 2, 4), 1
    result = {}
    grown = {}
    for quantity, code in (*FIGURE_OF.items(), ("net_assets", "djs_net_assets")):
        now = flow(code, base)
        if quantity == "net_assets" and now is None:
            months = flow("months_covered_reported", base)
            claims = flow("claims_expense_total", base)
            now = None if months is None or claims is None else months * claims / 12
        before = flow(code, previous)
        growth = now / before - 1 if now is not None and before else 0.0
        grown[quantity] = None if now is None else now * (1 + growth) ** steps
    result["premium_income"] = grown["premium_income"]
    result["claims_expense"] = grown["claims_expense"]
    assets, claims = grown["net_assets"], grown["claims_expense"]
    result["months_covered"] = (
        None if assets is None or not claims else max(0.0, assets) / (claims / 12)
    )
    return result


def worse_than_naive(row: BacktestRow) -> bool:
    """Whether the model's error is larger than the naive forecast's at the printed precision."""
    if row.naive_error != row.naive_error:  # no naive forecast
        return False
    return round(abs(row.error), 2) > round(abs(row.naive_error), 2)


def _growth(now: float, before: float) -> Pct:
    return Pct((now / before - 1) * 100)


def _why_claims_worse(row: BacktestRow, projection, unfaded, calendar, base: float) -> Text:
    """Why the model's claims of ``row`` are further from the published figure than the naive
    forecast's: the figures of both forecasts and of the model's claims trend at the origin."""
    origin_row, target = projection.row(row.origin.year), projection.row(row.year)
    drivers = projection.drivers
    trend = [
        drivers.explanation[name]
        for name in drivers.names()
        if name.startswith("utilisation_growth_") or name == "medical_inflation"
    ]
    steps = calendar.unsized_steps(row.origin.year + 1, row.year)
    unfaded_claims = unfaded.row(row.year)["claims_expense"]
    return Text(
        "backtest.claims_worse",
        origin=str(row.origin),
        year=row.year,
        error=Pct(row.error),
        naive_error=Pct(row.naive_error),
        model=_growth(row.predicted, base),
        member_years=_growth(target["member_years"], origin_row["member_years"]),
        per_member=_growth(target["claims_rate"], origin_row["claims_rate"]),
        naive=_growth(row.naive, base),
        actual=_growth(row.actual, base),
        trend=Joined(trend, " "),
        fade=Pct(drivers["trend_fade"], 0),
        unfaded=Rp(unfaded_claims),
        unfaded_error=Pct(_error(row.quantity, unfaded_claims, row.actual)),
        steps=Joined([Text("backtest.claims_worse_step", step=s.label, year=s.year) for s in steps])
        if steps
        else Label("backtest.claims_worse_no_step"),
    )


def run_backtest(figures, calendar: PolicyCalendar) -> Backtest:
    """The back-test over every origin of ``figures`` (see the module documentation)."""
    rows = []
    origins = []
    without_year_end = []
    claims_worse = []
    last_year = max((p.year for p in figures.periods if p.quarter == 4), default=None)
    for origin in figures.periods:
        known = UpTo(figures, origin)
        try:
            start = derive_start(known, origin)
        except ProjectionError:
            continue
        targets = [
            year
            for year in range(origin.year if origin.quarter < 4 else origin.year + 1, 2101)
            if last_year is not None and year <= last_year and _published(figures, year)
        ]
        if origin.quarter < 4 and origin.year not in targets:
            without_year_end.append(origin)
        if not targets:
            continue
        origins.append(origin)
        drivers = derive_drivers(known, start, calendar)
        horizon_years = max(1, max(targets) - origin.year)
        projection = project(start, drivers, calendar, None, horizon_years)
        for year in targets:
            published = _published(figures, year)
            naive = _naive(known, origin, year)
            row = projection.row(year)
            distance = year - origin.year
            horizon = (
                "in_year" if distance == 0 else "one_year" if distance == 1 else f"{distance}_years"
            )
            for quantity in QUANTITIES:
                item = BacktestRow(
                    origin,
                    year,
                    horizon,
                    quantity,
                    float(row[quantity]),
                    published[quantity],
                    float("nan") if naive[quantity] is None else naive[quantity],
                )
                rows.append(item)
                if quantity == "claims_expense" and worse_than_naive(item):
                    # The same drivers with every trend kept whole: what the fading takes.
                    unfaded = project(
                        start,
                        drivers.with_overrides({"trend_fade": 100.0}),
                        calendar,
                        None,
                        horizon_years,
                    )
                    base = projection.row(origin.year)["claims_expense"]
                    claims_worse.append(
                        _why_claims_worse(item, projection, unfaded, calendar, base)
                    )
    return Backtest(tuple(rows), tuple(origins), tuple(without_year_end), tuple(claims_worse))
