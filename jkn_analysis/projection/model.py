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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from typing import Any

import pandas as pd

from jkn_analysis.indicators import formulas as ind
from jkn_analysis.projection.calendar import PolicyCalendar
from jkn_analysis.projection.drivers import (
    ALL,
    GOVERNMENT_GROUPS,
    HOSPITAL_LEVELS,
    Drivers,
    ProjectionError,
)
from jkn_analysis.projection.history import Start
from jkn_analysis.projection.scenarios import BASELINE_SCENARIO, Scenario
from jkn_analysis.projection.wording import Num, Pct, Period, Rp, Text

DEFAULT_YEARS = 5
MAX_YEARS = 30
# Where added active participants go in a participation scenario: PBPU holds 15,65 of the
# 16,01 juta participants in arrears (2024Q1 non_active_arrears_pbpu / non_active_arrears).
REACTIVATED_GROUP = "pbpu"

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


def _path(points: list[tuple[float, float]], year: int) -> float:
    """Linear through ``(year, value)`` points, held after the last."""
    if year >= points[-1][0]:
        return points[-1][1]
    for (y0, v0), (y1, v1) in pairwise(points):
        if y0 <= year < y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return points[0][1]


def _faded(start: float, long_run: float, fade: float, k: int) -> float:
    return long_run + (start - long_run) * fade**k


def _population(start: Start, growth: float, year: int) -> float | None:
    """Population at 31 December of ``year``, grown from the latest figure."""
    if start.population is None:
        return None
    months = (year - start.population_period.year) * 12 + 12
    months -= start.population_period.months_elapsed
    return start.population * (1 + growth / 100) ** (months / 12)


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
    d = drivers.with_overrides(dict(scenario.drivers), by="scenario")
    origin_year, m = start.period.year, start.months_elapsed
    in_year = start.in_year
    fade = d["trend_fade"] / 100
    population_growth = d["population_growth"]
    groups = start.groups
    others = [g for g in groups if g not in GOVERNMENT_GROUPS]
    government = [g for g in groups if g in GOVERNMENT_GROUPS]
    growth0 = {g: d[f"member_growth_{g}"] for g in groups}
    notes: list[Text] = []

    # Steps: sized baseline steps and the scenario's policies after the origin's year; those
    # dated earlier are already in the figures.
    steps = calendar.applied_steps(scenario.policies)
    for step in steps:
        if step.year <= origin_year and step.id in scenario.policies:
            notes.append(
                Text("notes.step_in_figures", step=step.label, period=Period(start.period))
            )
    steps = [step for step in steps if step.year > origin_year]
    for step in calendar.unsized_steps(origin_year + 1, origin_year + years):
        notes.append(Text("notes.step_unsized", step=step.label, year=step.year))

    def premium_factor(year: int) -> float:
        factor = 1.0
        for step in steps:
            if step.kind == "premium" and step.year == year:
                factor *= 1 + step.percent / 100
        return factor

    def tariff_factor(level: str, year: int) -> float:
        factor = 1.0
        for step in steps:
            if (
                step.kind == "tariff"
                and step.year == year
                and (level == ALL or level in step.levels)
            ):
                factor *= 1 + step.percent / 100
        return factor

    # --- Participants ------------------------------------------------------------------------
    if start.members_start is not None:
        members_start = dict(start.members_start)
    else:
        members_start = {g: start.members[g] / (1 + growth0[g] / 100) ** (m / 12) for g in groups}
    rest = (12 - m) / 12
    population_0 = _population(start, population_growth, origin_year)
    share_points = coverage_points = None
    if scenario.active_share_targets and start.active_share is not None:
        share_points = [(origin_year, start.active_share)] + [
            (y, s) for y, s in scenario.active_share_targets.items() if y > origin_year
        ]
    if scenario.registered_coverage_targets and start.registered and population_0:
        coverage_points = [(origin_year, start.registered / population_0 * 100)] + [
            (y, s) for y, s in scenario.registered_coverage_targets.items() if y > origin_year
        ]
    if (scenario.active_share_targets or scenario.registered_coverage_targets) and (
        share_points is None and coverage_points is None
    ):
        notes.append(Text("notes.targets_not_applied", period=Period(start.period)))
    capped_years: list[int] = []
    registered_capped: list[int] = []
    raised_years: list[int] = []

    def bounded(year: int, members: dict, registered: float | None):
        """Apply the population bound and the scenario's targets at the end of ``year``."""
        population = _population(start, population_growth, year)
        if registered is not None and population is not None:
            if coverage_points is not None:
                wanted = _path(coverage_points, year) / 100 * population
                if wanted > registered:
                    registered = wanted
                    raised_years.append(year)
            if registered > population:
                registered = population
                registered_capped.append(year)
        ceiling = registered if registered is not None else population
        total = sum(members.values())
        if share_points is not None and registered is not None and start.members_known:
            wanted = _path(share_points, year) / 100 * registered
            if wanted > total:
                raised_years.append(year)
                group = REACTIVATED_GROUP if REACTIVATED_GROUP in members else next(iter(members))
                members = {**members, group: members[group] + wanted - total}
                total = wanted
        if ceiling is not None and start.members_known and total > ceiling:
            members = {g: n * ceiling / total for g, n in members.items()}
            capped_years.append(year)
        return members, registered, population

    members_end = (
        {g: start.members[g] * (1 + growth0[g] / 100) ** rest for g in groups}
        if in_year
        else dict(start.members)
    )
    registered_end = start.registered
    if registered_end is not None and in_year:
        registered_end *= (1 + d["registered_growth"] / 100) ** rest
    members_end, registered_end, population_end = bounded(origin_year, members_end, registered_end)

    def member_years(before: Mapping[str, float], after: Mapping[str, float], subset) -> float:
        return sum((before[g] + after[g]) / 2 for g in subset)

    # --- Rates at the origin -----------------------------------------------------------------
    collection = d["government_collection"] / 100

    def government_rate(year: int) -> float:
        rate = calendar.rate(year)
        if rate is None:
            raise ProjectionError(Text("errors.no_contribution_rate", year=year))
        factor = 1.0
        for step_year in range(origin_year + 1, year + 1):
            factor *= premium_factor(step_year)
        return rate.government_paid * 12 * collection * factor

    elapsed = m / 12
    ytd_years = {g: (members_start[g] + start.members[g]) / 2 * elapsed for g in groups}
    year_years = {g: (members_start[g] + members_end[g]) / 2 for g in groups}
    basis_years = ytd_years if in_year else year_years
    paid = (
        sum(government_rate(origin_year) * basis_years[g] for g in government)
        if government
        else 0.0
    )
    other_years = sum(basis_years[g] for g in others)
    if start.premium - paid <= 0 or other_years <= 0:
        raise ProjectionError(
            Text("errors.premium_below_government", period=start.period, paid=Rp(paid))
        )
    rate_other = (start.premium - paid) / other_years
    total_basis = sum(basis_years.values())
    claim_rates = {level: value / total_basis for level, value in start.claims_levels.items()}
    levels = list(start.claims_levels)

    # The origin's year.
    premium_government = sum(government_rate(origin_year) * year_years[g] for g in government)
    premium_other = rate_other * sum(year_years[g] for g in others)
    premium = premium_government + premium_other
    total_years = sum(year_years.values())
    claims_by_level = {level: claim_rates[level] * total_years for level in levels}
    claims = sum(claims_by_level.values())
    seasonal: dict[str, float] = {}
    seasonal_basis = ""
    if in_year:
        seasonal = {"premium": start.premium / premium, "claims": start.claims / claims}
        seasonal_basis = "member_years"
        if seasonal_shares:
            seasonal_basis = "observed"
            for flow, share in seasonal_shares.items():
                if flow == "premium":
                    scale = start.premium / share / premium
                    premium_government, premium_other = (
                        premium_government * scale,
                        premium_other * scale,
                    )
                    rate_other *= scale
                    premium *= scale
                elif flow == "claims":
                    scale = start.claims / share / claims
                    claims_by_level = {k: v * scale for k, v in claims_by_level.items()}
                    claim_rates = {k: v * scale for k, v in claim_rates.items()}
                    claims *= scale
                seasonal[flow] = share
    else:
        premium, claims = start.premium, start.claims
    liability = d["liability_months"]
    yield_rate = d["investment_yield"] / 100
    if (
        start.portfolio is not None
        and drivers.basis.get("liability_months") == "derived"
        and (d.basis.get("liability_months") != "override")
    ):
        portfolio_origin = start.portfolio
    else:
        portfolio_origin = max(0.0, start.net_assets + liability * start.claims / m)
    cap = calendar.cap(origin_year)
    operating_share = d["operating_share"]
    caps = [calendar.cap(y) for y in range(origin_year, origin_year + years + 1)]
    binding = [c for c in caps if c is not None and operating_share > c.share]
    if binding:
        notes.append(
            Text("notes.operating_capped", cap=binding[0].label, share=Pct(operating_share))
        )
    share_used = min(operating_share, cap.share) if cap is not None else operating_share
    x = d["other_share"] / 100
    if in_year:
        rest_premium, rest_claims = premium - start.premium, claims - start.claims
        investment_rest = yield_rate * portfolio_origin * rest
        operating_ytd = (
            start.operating if start.operating is not None else share_used / 100 * start.premium
        )
        model_ytd = start.premium - start.claims + start.investment - operating_ytd
        other_ytd = start.surplus - model_ytd if start.surplus is not None else x * start.premium
        investment = start.investment + investment_rest
        operating = operating_ytd + share_used / 100 * rest_premium
        other = other_ytd + x * rest_premium
        surplus_rest = (
            rest_premium
            - rest_claims
            + investment_rest
            - share_used / 100 * rest_premium
            + x * rest_premium
        )
        net_assets = start.net_assets + surplus_rest
        surplus = model_ytd + other_ytd + surplus_rest
        kind = "estimate"
    else:
        investment = start.investment
        operating = start.operating if start.operating is not None else share_used / 100 * premium
        model = premium - claims + investment - operating
        other = start.surplus - model if start.surplus is not None else x * premium
        surplus = model + other
        net_assets = start.net_assets
        kind = "observed"
    rows = [
        _row(
            origin_year,
            kind,
            members_end,
            registered_end,
            population_end,
            total_years,
            premium_government,
            premium_other,
            rate_other,
            claims_by_level,
            total_years,
            investment,
            portfolio_origin,
            operating,
            operating / premium * 100,
            other,
            surplus,
            net_assets,
        )
    ]

    # --- Projected years ---------------------------------------------------------------------
    members_before, registered = members_end, registered_end
    utilisation0 = {
        level: d.get(f"utilisation_growth_{level}", 0.0) for level in levels if level != "fktp"
    }
    long_run = d["utilisation_long_run"]
    inflation = d["medical_inflation"]
    cut = scenario.claims_growth_cut
    growth_registered = d["registered_growth"]
    for k in range(1, years + 1):
        year = origin_year + k
        members_after = {
            g: members_before[g] * (1 + _faded(growth0[g], population_growth, fade, k) / 100)
            for g in groups
        }
        if registered is not None:
            registered = registered * (
                1 + _faded(growth_registered, population_growth, fade, k) / 100
            )
        members_after, registered, population = bounded(year, members_after, registered)
        years_g = {g: (members_before[g] + members_after[g]) / 2 for g in groups}
        total_years = sum(years_g.values())
        # Contribution rates change by regulation (calendar steps): the measured drift of the
        # derived rate (wages, class mix, collection) fades towards none.
        drift = _faded(d["premium_rate_growth"], 0.0, fade, k)
        rate_other *= (1 + drift / 100) * premium_factor(year)
        premium_government = sum(government_rate(year) * years_g[g] for g in government)
        premium_other = rate_other * sum(years_g[g] for g in others)
        premium = premium_government + premium_other
        for level in levels:
            utilisation = 0.0 if level == "fktp" else _faded(utilisation0[level], long_run, fade, k)
            growth = (1 + utilisation / 100) * (1 + inflation / 100) * tariff_factor(level, year)
            if cut is not None and year >= cut.from_year:
                growth -= cut.points / 100
            if growth <= 0:
                raise ProjectionError(Text("errors.claims_growth", year=year))
            claim_rates[level] *= growth
        claims_by_level = {level: claim_rates[level] * total_years for level in levels}
        claims_before = claims
        claims = sum(claims_by_level.values())
        portfolio = max(0.0, net_assets + liability * claims_before / 12)
        investment = yield_rate * portfolio
        cap = calendar.cap(year)
        share_used = min(operating_share, cap.share) if cap is not None else operating_share
        operating = share_used / 100 * premium
        other = x * premium
        surplus = premium - claims + investment - operating + other
        net_assets += surplus
        rows.append(
            _row(
                year,
                "projection",
                members_after,
                registered,
                population,
                total_years,
                premium_government,
                premium_other,
                rate_other,
                claims_by_level,
                total_years,
                investment,
                portfolio,
                operating,
                share_used,
                other,
                surplus,
                net_assets,
            )
        )
        members_before = members_after
    if capped_years:
        notes.append(Text("notes.members_capped", year=min(capped_years)))
    if registered_capped:
        notes.append(Text("notes.registered_capped", year=min(registered_capped)))
    if start.population is None and start.members_known:
        notes.append(Text("notes.no_population"))
    if (share_points or coverage_points) and not raised_years:
        notes.append(Text("notes.targets_not_binding"))
    below = [row["year"] for row in rows if row["months_covered"] < floor]
    exhausted = [row["year"] for row in rows if row["net_assets"] <= 0]
    return Projection(
        scenario=scenario,
        start=start,
        drivers=d,
        rows=tuple(rows),
        first_year_below_floor=below[0] if below else None,
        first_year_exhausted=exhausted[0] if exhausted else None,
        floor=floor,
        seasonal=seasonal,
        seasonal_basis=seasonal_basis,
        notes=tuple(notes),
    )


def _row(
    year,
    kind,
    members,
    registered,
    population,
    member_years,
    premium_government,
    premium_other,
    rate_other,
    claims_by_level,
    claims_years,
    investment,
    portfolio,
    operating,
    operating_share,
    other,
    surplus,
    net_assets,
) -> dict:
    premium = premium_government + premium_other
    claims = sum(claims_by_level.values())
    # Never negative: once net assets run out the fund covers no months; the gap says how much.
    months = ind.months_of_claims_covered(max(0.0, net_assets), claims, 12)
    return {
        "year": year,
        "kind": kind,
        "participants": sum(members.values()),
        "registered": float("nan") if registered is None else registered,
        "population": float("nan") if population is None else population,
        "member_years": member_years,
        "premium_income": premium,
        "premium_government": premium_government,
        "premium_other": premium_other,
        "premium_rate_other": rate_other,
        "claims_expense": claims,
        "claims_rate": claims / claims_years,
        **{
            f"claims_{level}": claims_by_level.get(level, float("nan"))
            for level in ("fktp", *HOSPITAL_LEVELS, ALL)
        },
        "investment_income": investment,
        "portfolio": portfolio,
        "operating_cost": operating,
        "operating_share": operating_share,
        "other_net": other,
        "surplus": surplus,
        "net_assets": net_assets,
        "months_covered": months,
        "funding_gap": max(0.0, -net_assets),
        "corridor": ind.corridor_position(months),
    }


__all__ = ["DEFAULT_YEARS", "MAX_YEARS", "TABLE_COLUMNS", "Projection", "check_horizon", "project"]
