"""The projection carried from one year to the next (`YearByYear`), as `model` states its
formulas: the origin's year first, from the figures at the origin, then each projected year
from the one before.

What a year hands on to the next is the state of the run: active participants by payer group,
registered participants, the premium rate of the groups that pay their own, the claims rates by
service level, the year's claims and the net assets at its end.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

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
from jkn_analysis.projection.scenarios import Scenario
from jkn_analysis.projection.wording import Pct, Period, Rp, Text

# Where added active participants go in a participation scenario: PBPU holds 15,65 of the
# 16,01 juta participants in arrears (2024Q1 non_active_arrears_pbpu / non_active_arrears).
REACTIVATED_GROUP = "pbpu"


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


class YearByYear:
    """One scenario's run from ``start``: `origin_row`, then `projected_row` for each year.

    ``drivers`` are those before the scenario's overrides; ``d`` those the run uses. ``notes``
    collects what a reader should know, in the order the run meets it.
    """

    def __init__(
        self,
        start: Start,
        drivers: Drivers,
        calendar: PolicyCalendar,
        scenario: Scenario,
        years: int,
    ):
        self.start, self.calendar, self.scenario, self.years = start, calendar, scenario, years
        self.drivers = drivers
        self.d = d = drivers.with_overrides(dict(scenario.drivers), by="scenario")
        self.origin_year, self.m = start.period.year, start.months_elapsed
        self.in_year = start.in_year
        self.fade = d["trend_fade"] / 100
        self.population_growth = d["population_growth"]
        self.groups = start.groups
        self.others = [g for g in self.groups if g not in GOVERNMENT_GROUPS]
        self.government = [g for g in self.groups if g in GOVERNMENT_GROUPS]
        self.growth0 = {g: d[f"member_growth_{g}"] for g in self.groups}
        self.notes: list[Text] = []
        self.seasonal: dict[str, float] = {}
        self.seasonal_basis = ""
        self.capped_years: list[int] = []
        self.registered_capped: list[int] = []
        self.raised_years: list[int] = []
        self.steps = self._steps()
        self._targets()

    # --- The calendar --------------------------------------------------------------------------
    def _steps(self) -> list:
        """Sized baseline steps and the scenario's policies after the origin's year; those
        dated earlier are already in the figures."""
        steps = self.calendar.applied_steps(self.scenario.policies)
        for step in steps:
            if step.year <= self.origin_year and step.id in self.scenario.policies:
                self.notes.append(
                    Text("notes.step_in_figures", step=step.label, period=Period(self.start.period))
                )
        steps = [step for step in steps if step.year > self.origin_year]
        last = self.origin_year + self.years
        for step in self.calendar.unsized_steps(self.origin_year + 1, last):
            self.notes.append(Text("notes.step_unsized", step=step.label, year=step.year))
        return steps

    def premium_factor(self, year: int) -> float:
        factor = 1.0
        for step in self.steps:
            if step.kind == "premium" and step.year == year:
                factor *= 1 + step.percent / 100
        return factor

    def tariff_factor(self, level: str, year: int) -> float:
        factor = 1.0
        for step in self.steps:
            if (
                step.kind == "tariff"
                and step.year == year
                and (level == ALL or level in step.levels)
            ):
                factor *= 1 + step.percent / 100
        return factor

    def government_rate(self, year: int) -> float:
        """Contribution per member-year of the government-paid groups in ``year``."""
        rate = self.calendar.rate(year)
        if rate is None:
            raise ProjectionError(Text("errors.no_contribution_rate", year=year))
        factor = 1.0
        for step_year in range(self.origin_year + 1, year + 1):
            factor *= self.premium_factor(step_year)
        return rate.government_paid * 12 * self.collection * factor

    @property
    def collection(self) -> float:
        return self.d["government_collection"] / 100

    # --- Participants --------------------------------------------------------------------------
    def _targets(self) -> None:
        """The paths of the scenario's participation targets, from the origin's values."""
        start, scenario, origin_year = self.start, self.scenario, self.origin_year
        population_0 = _population(start, self.population_growth, origin_year)
        self.share_points = self.coverage_points = None
        if scenario.active_share_targets and start.active_share is not None:
            self.share_points = [(origin_year, start.active_share)] + [
                (y, s) for y, s in scenario.active_share_targets.items() if y > origin_year
            ]
        if scenario.registered_coverage_targets and start.registered and population_0:
            self.coverage_points = [(origin_year, start.registered / population_0 * 100)] + [
                (y, s) for y, s in scenario.registered_coverage_targets.items() if y > origin_year
            ]
        if (scenario.active_share_targets or scenario.registered_coverage_targets) and (
            self.share_points is None and self.coverage_points is None
        ):
            self.notes.append(Text("notes.targets_not_applied", period=Period(start.period)))

    def bounded(self, year: int, members: dict, registered: float | None):
        """Apply the population bound and the scenario's targets at the end of ``year``."""
        start = self.start
        population = _population(start, self.population_growth, year)
        if registered is not None and population is not None:
            if self.coverage_points is not None:
                wanted = _path(self.coverage_points, year) / 100 * population
                if wanted > registered:
                    registered = wanted
                    self.raised_years.append(year)
            if registered > population:
                registered = population
                self.registered_capped.append(year)
        ceiling = registered if registered is not None else population
        total = sum(members.values())
        if self.share_points is not None and registered is not None and start.members_known:
            wanted = _path(self.share_points, year) / 100 * registered
            if wanted > total:
                self.raised_years.append(year)
                group = REACTIVATED_GROUP if REACTIVATED_GROUP in members else next(iter(members))
                members = {**members, group: members[group] + wanted - total}
                total = wanted
        if ceiling is not None and start.members_known and total > ceiling:
            members = {g: n * ceiling / total for g, n in members.items()}
            self.capped_years.append(year)
        return members, registered, population

    # --- The origin's year ---------------------------------------------------------------------
    def _origin_members(self) -> None:
        """Participants at the start and the end of the origin's year."""
        start, d, groups, m = self.start, self.d, self.groups, self.m
        if start.members_start is not None:
            self.members_start = dict(start.members_start)
        else:
            self.members_start = {
                g: start.members[g] / (1 + self.growth0[g] / 100) ** (m / 12) for g in groups
            }
        self.rest = rest = (12 - m) / 12
        members_end = (
            {g: start.members[g] * (1 + self.growth0[g] / 100) ** rest for g in groups}
            if self.in_year
            else dict(start.members)
        )
        registered_end = start.registered
        if registered_end is not None and self.in_year:
            registered_end *= (1 + d["registered_growth"] / 100) ** rest
        self.members, self.registered, self.population_end = self.bounded(
            self.origin_year, members_end, registered_end
        )

    def _origin_rates(self) -> None:
        """The premium rate of the groups paying their own and the claims rates, per
        member-year, from the flows at the origin."""
        start, groups = self.start, self.groups
        elapsed = self.m / 12
        ytd_years = {g: (self.members_start[g] + start.members[g]) / 2 * elapsed for g in groups}
        self.year_years = {g: (self.members_start[g] + self.members[g]) / 2 for g in groups}
        basis_years = ytd_years if self.in_year else self.year_years
        paid = (
            sum(self.government_rate(self.origin_year) * basis_years[g] for g in self.government)
            if self.government
            else 0.0
        )
        other_years = sum(basis_years[g] for g in self.others)
        if start.premium - paid <= 0 or other_years <= 0:
            raise ProjectionError(
                Text("errors.premium_below_government", period=start.period, paid=Rp(paid))
            )
        self.rate_other = (start.premium - paid) / other_years
        total_basis = sum(basis_years.values())
        self.claim_rates = {
            level: value / total_basis for level, value in start.claims_levels.items()
        }
        self.levels = list(start.claims_levels)

    def _origin_flows(self, seasonal_shares: Mapping[str, float] | None) -> None:
        """Premium and claims of the origin's year: observed at a December, else the rates
        on the year's member-years, scaled to an observed seasonal share when there is one."""
        start, year_years = self.start, self.year_years
        self.premium_government = sum(
            self.government_rate(self.origin_year) * year_years[g] for g in self.government
        )
        self.premium_other = self.rate_other * sum(year_years[g] for g in self.others)
        premium = self.premium_government + self.premium_other
        self.total_years = sum(year_years.values())
        self.claims_by_level = {
            level: self.claim_rates[level] * self.total_years for level in self.levels
        }
        claims = sum(self.claims_by_level.values())
        if not self.in_year:
            self.premium, self.claims = start.premium, start.claims
            return
        self.seasonal = {"premium": start.premium / premium, "claims": start.claims / claims}
        self.seasonal_basis = "member_years"
        if seasonal_shares:
            self.seasonal_basis = "observed"
            for flow, share in seasonal_shares.items():
                if flow == "premium":
                    scale = start.premium / share / premium
                    self.premium_government, self.premium_other = (
                        self.premium_government * scale,
                        self.premium_other * scale,
                    )
                    self.rate_other *= scale
                    premium *= scale
                elif flow == "claims":
                    scale = start.claims / share / claims
                    self.claims_by_level = {k: v * scale for k, v in self.claims_by_level.items()}
                    self.claim_rates = {k: v * scale for k, v in self.claim_rates.items()}
                    claims *= scale
                self.seasonal[flow] = share
        self.premium, self.claims = premium, claims

    def _fund_settings(self) -> None:
        """Yield, liabilities, operating and other shares, and the portfolio at the origin."""
        start, d = self.start, self.d
        self.liability = d["liability_months"]
        self.yield_rate = d["investment_yield"] / 100
        if (
            start.portfolio is not None
            and self.drivers.basis.get("liability_months") == "derived"
            and (d.basis.get("liability_months") != "override")
        ):
            self.portfolio_origin = start.portfolio
        else:
            self.portfolio_origin = max(
                0.0, start.net_assets + self.liability * start.claims / self.m
            )
        self.operating_share = d["operating_share"]
        caps = [
            self.calendar.cap(y) for y in range(self.origin_year, self.origin_year + self.years + 1)
        ]
        binding = [c for c in caps if c is not None and self.operating_share > c.share]
        if binding:
            self.notes.append(
                Text(
                    "notes.operating_capped", cap=binding[0].label, share=Pct(self.operating_share)
                )
            )
        self.x = d["other_share"] / 100

    def origin_row(self, seasonal_shares: Mapping[str, float] | None = None) -> dict:
        """The origin's year: ``observed`` at a December, else an ``estimate`` of the rest of
        the year at the rates of the year to date."""
        self._origin_members()
        self._origin_rates()
        self._origin_flows(seasonal_shares)
        self._fund_settings()
        start, premium, claims, x = self.start, self.premium, self.claims, self.x
        cap = self.calendar.cap(self.origin_year)
        share_used = (
            min(self.operating_share, cap.share) if cap is not None else self.operating_share
        )
        if self.in_year:
            rest_premium, rest_claims = premium - start.premium, claims - start.claims
            investment_rest = self.yield_rate * self.portfolio_origin * self.rest
            operating_ytd = (
                start.operating if start.operating is not None else share_used / 100 * start.premium
            )
            model_ytd = start.premium - start.claims + start.investment - operating_ytd
            other_ytd = (
                start.surplus - model_ytd if start.surplus is not None else x * start.premium
            )
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
            self.net_assets = start.net_assets + surplus_rest
            surplus = model_ytd + other_ytd + surplus_rest
            kind = "estimate"
        else:
            investment = start.investment
            operating = (
                start.operating if start.operating is not None else share_used / 100 * premium
            )
            model = premium - claims + investment - operating
            other = start.surplus - model if start.surplus is not None else x * premium
            surplus = model + other
            self.net_assets = start.net_assets
            kind = "observed"
        return _row(
            self.origin_year,
            kind,
            self.members,
            self.registered,
            self.population_end,
            self.total_years,
            self.premium_government,
            self.premium_other,
            self.rate_other,
            self.claims_by_level,
            self.total_years,
            investment,
            self.portfolio_origin,
            operating,
            operating / premium * 100,
            other,
            surplus,
            self.net_assets,
        )

    # --- Projected years -----------------------------------------------------------------------
    def projected_row(self, k: int) -> dict:
        """Year ``origin + k``, from the year before (`origin_row` first)."""
        d, fade, groups, population_growth = self.d, self.fade, self.groups, self.population_growth
        year = self.origin_year + k
        members_before = self.members
        members_after = {
            g: members_before[g] * (1 + _faded(self.growth0[g], population_growth, fade, k) / 100)
            for g in groups
        }
        registered = self.registered
        if registered is not None:
            registered = registered * (
                1 + _faded(d["registered_growth"], population_growth, fade, k) / 100
            )
        members_after, registered, population = self.bounded(year, members_after, registered)
        years_g = {g: (members_before[g] + members_after[g]) / 2 for g in groups}
        total_years = sum(years_g.values())
        # Contribution rates change by regulation (calendar steps): the measured drift of the
        # derived rate (wages, class mix, collection) fades towards none.
        drift = _faded(d["premium_rate_growth"], 0.0, fade, k)
        self.rate_other *= (1 + drift / 100) * self.premium_factor(year)
        premium_government = sum(self.government_rate(year) * years_g[g] for g in self.government)
        premium_other = self.rate_other * sum(years_g[g] for g in self.others)
        premium = premium_government + premium_other
        self._grow_claim_rates(year, k)
        claims_by_level = {level: self.claim_rates[level] * total_years for level in self.levels}
        claims_before = self.claims
        self.claims = claims = sum(claims_by_level.values())
        portfolio = max(0.0, self.net_assets + self.liability * claims_before / 12)
        investment = self.yield_rate * portfolio
        cap = self.calendar.cap(year)
        share_used = (
            min(self.operating_share, cap.share) if cap is not None else self.operating_share
        )
        operating = share_used / 100 * premium
        other = self.x * premium
        surplus = premium - claims + investment - operating + other
        self.net_assets += surplus
        self.members, self.registered = members_after, registered
        return _row(
            year,
            "projection",
            members_after,
            registered,
            population,
            total_years,
            premium_government,
            premium_other,
            self.rate_other,
            claims_by_level,
            total_years,
            investment,
            portfolio,
            operating,
            share_used,
            other,
            surplus,
            self.net_assets,
        )

    def _grow_claim_rates(self, year: int, k: int) -> None:
        """Claims rates by service level from the year before (step 3 of `model`)."""
        d, cut = self.d, self.scenario.claims_growth_cut
        long_run, inflation = d["utilisation_long_run"], d["medical_inflation"]
        for level in self.levels:
            if level == "fktp":
                utilisation = 0.0
            else:
                start = d.get(f"utilisation_growth_{level}", 0.0)
                utilisation = _faded(start, long_run, self.fade, k)
            growth = (
                (1 + utilisation / 100) * (1 + inflation / 100) * self.tariff_factor(level, year)
            )
            if cut is not None and year >= cut.from_year:
                growth -= cut.points / 100
            if growth <= 0:
                raise ProjectionError(Text("errors.claims_growth", year=year))
            self.claim_rates[level] *= growth

    def closing_notes(self) -> list[Text]:
        """The notes of the whole run: caps reached, targets that changed nothing."""
        if self.capped_years:
            self.notes.append(Text("notes.members_capped", year=min(self.capped_years)))
        if self.registered_capped:
            self.notes.append(Text("notes.registered_capped", year=min(self.registered_capped)))
        if self.start.population is None and self.start.members_known:
            self.notes.append(Text("notes.no_population"))
        if (self.share_points or self.coverage_points) and not self.raised_years:
            self.notes.append(Text("notes.targets_not_binding"))
        return self.notes


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
