"""The projection's formulas: one year at a time, each step a plain formula.

Notation: year ``Y`` is the origin's year, ``t`` a projected year, ``k = t − Y``; ``N`` active
participants at a year end by payer group ``g``; ``MY = (N_{t−1} + N_t)/2`` member-years; growth
rates in percent. A trend ``x_0`` measured at the origin fades towards its long-run rate
``x_LR`` with the share ``φ`` (``trend_fade``) of its excess kept each year:
``x_t = x_LR + (x_0 − x_LR) · φ^k``.

1. Participants: ``N_g,t = N_g,t−1 · (1 + n_g,t)``, ``n_g`` fading towards population growth;
   registered participants likewise, never above the population; active never above registered
   (or the population); scenario targets raise them, within those bounds (the added active
   participants join PBPU, the segment of nearly all contribution arrears).
2. Premium income ``P_t = Σ_g MY_g,t · r_g,t``: ``r_g = 12 × the calendar's contribution per
   member per month × collection`` for PBI and Pemda-paid participants; for the other groups
   one rate per member-year derived from the premium income at the origin, growing by
   ``premium_rate_growth``; premium steps multiply every rate from their year.
3. Claims ``C_t = Σ_s MY_t · c_s,t`` per service level ``s``: ``c_s,t = c_s,t−1 · ((1 + u_s,t)
   (1 + π)(1 + τ_s,t) − cut_t)``, utilisation growth ``u`` fading towards its long-run rate
   (none for FKTP, paid by capitation per member), medical inflation ``π``, tariff steps ``τ``
   of the calendar, a scenario's cut of claims growth.
4. Investment income ``I_t = y · max(0, A_{t−1} + ℓ · C_{t−1}/12)``: the yield on the invested
   portfolio, net assets plus the ``ℓ`` months of claims of liabilities it also holds; never on
   a negative balance.
5. Operational fund ``O_t = min(o, cap_t) · P_t``, the cap of the calendar (PMK 148/2023).
6. Other income less other non-claims expenses ``X_t = x · P_t``.
7. Surplus ``S_t = P_t − C_t + I_t − O_t + X_t``; net assets ``A_t = A_{t−1} + S_t``.
8. Months covered ``M_t = max(0, A_t) / (C_t / 12)``; funding gap ``max(0, −A_t)``.

From an in-year origin the rest of year ``Y`` runs at the rates measured over the year to
date, on the year's member-years: the year's flow is ``rate × MY_Y``, so the share of the year
elapsed at the origin (the *seasonal share*) is ``MY_ytd / MY_Y``, or a share observed in
earlier years' data when the data hold the same quarter and December of one year.

`project` runs these steps through `jkn_analysis.projection.years.YearByYear`, which carries
each year's state to the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from jkn_analysis.indicators import formulas as ind
from jkn_analysis.projection.calendar import PolicyCalendar
from jkn_analysis.projection.drivers import (
    Drivers,
    ProjectionError,
)
from jkn_analysis.projection.history import Start
from jkn_analysis.projection.scenarios import BASELINE_SCENARIO, Scenario
from jkn_analysis.projection.wording import Num, Rp, Text
from jkn_analysis.projection.years import YearByYear

DEFAULT_YEARS = 5
MAX_YEARS = 30

TABLE_COLUMNS = (
    "year",
    "kind",
    "participants",
    "registered",
    "population",
    "member_years",
    "premium_income",
    "premium_government",
    "premium_other",
    "premium_rate_other",
    "claims_expense",
    "claims_rate",
    "claims_fktp",
    "claims_rjtl",
    "claims_ritl",
    "claims_all",
    "investment_income",
    "portfolio",
    "operating_cost",
    "operating_share",
    "other_net",
    "surplus",
    "net_assets",
    "months_covered",
    "funding_gap",
    "corridor",
)


@dataclass(frozen=True)
class Projection:
    """One scenario's projection: a row per year and the years it crosses the thresholds.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per year, `TABLE_COLUMNS`: ``kind`` is ``observed`` (the origin's year at a
        December), ``estimate`` (the origin's year from an in-year origin) or ``projection``.
        Money in rupiah for the year (net assets, portfolio and the funding gap at the year
        end; ``portfolio`` at the start of the year, the base of the investment income).
    first_year_below_floor, first_year_exhausted : int or None
        First year with months covered below ``floor``; with net assets at or below zero.
    seasonal : mapping
        From an in-year origin: ``premium`` and ``claims`` → share of the year elapsed at the
        origin, with ``"observed"`` or ``"member_years"`` as ``seasonal_basis``.
    notes : tuple of Text
        What the projection did that a reader should know (caps reached, steps not applied).
    """

    scenario: Scenario
    start: Start
    drivers: Drivers
    rows: tuple[Mapping[str, Any], ...]
    first_year_below_floor: int | None
    first_year_exhausted: int | None
    floor: float = ind.CORRIDOR_FLOOR_MONTHS
    seasonal: Mapping[str, float] = field(default_factory=dict)
    seasonal_basis: str = ""
    notes: tuple[Text, ...] = ()

    @cached_property
    def table(self) -> pd.DataFrame:
        """The rows as a table, `TABLE_COLUMNS`."""
        return pd.DataFrame(list(self.rows), columns=list(TABLE_COLUMNS))

    @property
    def years(self) -> list[int]:
        return [int(row["year"]) for row in self.rows]

    def row(self, year: int) -> dict[str, Any]:
        """The row of ``year`` as a dict."""
        for row in self.rows:
            if row["year"] == year:
                return dict(row)
        raise KeyError(f"no year {year} in the projection ({self.years[0]}-{self.years[-1]})")

    def column(self, name: str) -> list:
        """One column of the rows, in year order."""
        return [row[name] for row in self.rows]

    def summary(self) -> Text:
        """One sentence on the scenario's outcome."""
        last = self.row(self.years[-1])
        values = {
            "label": dict(self.scenario.label),
            "year": self.years[-1],
            "floor": Num(self.floor, 1),
            "months": Num(last["months_covered"], 2),
            "assets": Rp(last["net_assets"]),
            "gap": Rp(last["funding_gap"]),
        }
        if self.first_year_below_floor is None:
            return Text("summary.healthy", **values)
        if self.first_year_exhausted is None:
            return Text("summary.below", below=self.first_year_below_floor, **values)
        return Text(
            "summary.exhausted",
            below=self.first_year_below_floor,
            exhausted=self.first_year_exhausted,
            **values,
        )


def check_horizon(years: object) -> int:
    """``years`` when it is a whole number from 1 to `MAX_YEARS`, else `ProjectionError`."""
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= MAX_YEARS:
        raise ProjectionError(Text("errors.years", high=MAX_YEARS, found=repr(years)))
    return years


def project(
    start: Start,
    drivers: Drivers,
    calendar: PolicyCalendar,
    scenario: Scenario | None = None,
    years: int = DEFAULT_YEARS,
    *,
    floor: float = ind.CORRIDOR_FLOOR_MONTHS,
    seasonal_shares: Mapping[str, float] | None = None,
) -> Projection:
    """Project the fund from ``start`` over the origin's year and ``years`` further years.

    Parameters
    ----------
    start : Start
    drivers : Drivers
        Drivers before the scenario's own overrides.
    calendar : PolicyCalendar
    scenario : Scenario, optional
        The baseline when omitted.
    years : int, default 5
        Years projected after the origin's year.
    floor : float, default 1.5
        Months covered below which the fund is unhealthy (PP 53/2018).
    seasonal_shares : mapping, optional
        ``premium``/``claims`` → the share of the year elapsed at the origin, observed in the
        data of earlier years (`jkn_analysis.projection.history.observed_seasonal_shares`);
        otherwise the member-year share.

    Raises
    ------
    ProjectionError
        If ``years`` is out of range, the premium income is below what the government-paid
        groups alone contribute, or a growth rate reaches -100%.
    """
    check_horizon(years)
    scenario = scenario or BASELINE_SCENARIO
    run = YearByYear(start, drivers, calendar, scenario, years)
    rows = [run.origin_row(seasonal_shares)]
    rows += [run.projected_row(k) for k in range(1, years + 1)]
    notes = run.closing_notes()
    below = [row["year"] for row in rows if row["months_covered"] < floor]
    exhausted = [row["year"] for row in rows if row["net_assets"] <= 0]
    return Projection(
        scenario=scenario,
        start=start,
        drivers=run.d,
        rows=tuple(rows),
        first_year_below_floor=below[0] if below else None,
        first_year_exhausted=exhausted[0] if exhausted else None,
        floor=floor,
        seasonal=run.seasonal,
        seasonal_basis=run.seasonal_basis,
        notes=tuple(notes),
    )


__all__ = ["DEFAULT_YEARS", "MAX_YEARS", "TABLE_COLUMNS", "Projection", "check_horizon", "project"]
