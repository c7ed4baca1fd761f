"""Trends between consecutive years, measured on the figures up to the origin: members by payer
group, registered participants and population, contribution rates, and utilisation and unit
costs of claims (see `jkn_analysis.projection.history` for the conventions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.projection.calendar import PolicyCalendar
from jkn_analysis.projection.drivers import (
    ALL,
    GOVERNMENT_GROUPS,
    HOSPITAL_LEVELS,
)
from jkn_analysis.projection.history import (
    CLAIM_CODES,
    GOVERNMENT_COLLECTION,
    VISIT_CODES,
    Start,
    group_members,
)
from jkn_analysis.projection.wording import (
    Joined,
    Label,
    Pct,
    People,
    Period,
    Rp,
    RpFull,
    Text,
)


# --- Measurements between consecutive years ------------------------------------------------------
@dataclass(frozen=True)
class YearPoint:
    """One year (a December, or the origin's year to date) as the trends see it.

    ``members`` and ``members_start`` by group; ``years`` is the span in years (m/12).
    """

    period: Quarter
    members: Mapping[str, float]
    members_start: Mapping[str, float] | None
    years: float

    def member_years(self, groups, basis: str) -> float:
        """Member-years of ``groups``: mean basis, or year-end participants (``end``)."""
        end = sum(self.members[g] for g in groups)
        if basis == "end":
            return end * self.years
        start = sum(self.members_start[g] for g in groups)
        return (start + end) / 2 * self.years


def year_points(figures, origin: Quarter, groups: tuple[str, ...]) -> list[YearPoint]:
    """Each December before the origin's year, and the origin itself, with participants."""
    candidates = [Quarter(y, 4) for y in range(2000, origin.year)] + [origin]
    points = []
    for period in candidates:
        members = group_members(figures, period, groups)
        if members is None:
            continue
        start = group_members(figures, period.previous_december, groups)
        points.append(YearPoint(period, members, start, period.months_elapsed / 12))
    return points


def consecutive_pairs(points: list[YearPoint]) -> list[tuple[YearPoint, YearPoint, str]]:
    """Consecutive years (the later one year after the earlier) and the common basis."""
    by_year = {p.period.year: p for p in points}
    pairs = []
    for later in points:
        earlier = by_year.get(later.period.year - 1)
        if earlier is None or earlier.period.quarter != 4:
            continue
        basis = (
            "mean"
            if earlier.members_start is not None and later.members_start is not None
            else "end"
        )
        pairs.append((earlier, later, basis))
    return pairs


def _span(earlier: YearPoint, later: YearPoint) -> Text:
    """``2023 → 2024 (s.d. TW I)``: the years of a measurement."""
    if later.period.quarter == 4:
        return Text("history.span_years", first=earlier.period.year, last=later.period.year)
    return Text(
        "history.span_to_date",
        first=earlier.period.year,
        last=later.period.year,
        period=Period(later.period),
    )


def _basis_text(basis: str) -> Label:
    return Label(f"history.basis_{basis}")


# --- Drivers -------------------------------------------------------------------------------------
def _growth(now: float, before: float, months: int) -> float:
    """Yearly growth rate, percent, of ``before`` → ``now`` over ``months``."""
    return ((now / before) ** (12 / months) - 1) * 100


def _months_between(earlier: Quarter, later: Quarter) -> int:
    return (later.year - earlier.year) * 12 + later.months_elapsed - earlier.months_elapsed


def _earlier_value(figures, code_values, origin: Quarter):
    """The same quarter a year earlier, else the latest earlier period, with a value."""
    if code_values(origin.year_earlier) is not None:
        return origin.year_earlier
    earlier = [p for p in figures.periods if p < origin and code_values(p) is not None]
    return max(earlier) if earlier else None


def measure_registered_growth(figures, start: Start):
    origin = start.period
    now = figures.value("registered_participants", origin)

    def at(p):
        return figures.value("registered_participants", p)

    reference = _earlier_value(figures, at, origin) if now is not None else None
    if reference is None:
        return 0.0, "fallback", Text("drivers.registered_growth.fallback"), ()
    months = _months_between(reference, origin)
    rate = _growth(now, at(reference), months)
    text = Text(
        "drivers.registered_growth.derived",
        first=Period(reference),
        last=Period(origin),
        before=People(at(reference)),
        now=People(now),
        months=months,
        rate=Pct(rate),
    )
    return rate, "derived", text, ()


def measure_member_growth(figures, start: Start, registered: tuple) -> dict[str, tuple]:
    """Growth of each payer group: year on year, else the latest earlier period, else the
    registered participants' growth, else 0."""
    origin = start.period
    out = {}
    if not start.members_known:
        out[ALL] = (0.0, "fallback", Text("drivers.member_growth.unknown"), ())
        return out
    groups = start.groups

    def at(p):
        return group_members(figures, p, groups)

    reference = _earlier_value(figures, at, origin)
    # Year-on-year observations for the spread: every period with one a year earlier.
    history: dict[str, list[float]] = {g: [] for g in groups}
    for p in figures.periods:
        if p <= origin and at(p) is not None and at(p.year_earlier) is not None:
            for g in groups:
                history[g].append(_growth(at(p)[g], at(p.year_earlier)[g], 12))
    for group in groups:
        if reference is not None:
            months = _months_between(reference, origin)
            before, now = at(reference)[group], start.members[group]
            rate = _growth(now, before, months)
            text = Text(
                "drivers.member_growth.derived",
                group=Label(f"groups.{group}"),
                first=Period(reference),
                last=Period(origin),
                before=People(before),
                now=People(now),
                months=months,
                rate=Pct(rate),
            )
            out[group] = (rate, "derived", text, tuple(history[group]))
        elif registered[1] == "derived":
            text = Text("drivers.member_growth.registered_proxy", rate=Pct(registered[0]))
            out[group] = (registered[0], "derived", text, ())
        else:
            out[group] = (0.0, "fallback", Text("drivers.member_growth.fallback"), ())
    return out


def measure_population_growth(figures, start: Start):
    points = [
        (p, figures.value("population", p))
        for p in figures.periods
        if p <= start.period and figures.value("population", p) is not None
    ]
    if len(points) >= 2:
        last_period, last = points[-1]
        for period, value in reversed(points[:-1]):
            months = _months_between(period, last_period)
            if months >= 12:
                rate = _growth(last, value, months)
                text = Text(
                    "drivers.population_growth.derived",
                    first=Period(period),
                    last=Period(last_period),
                    before=People(value),
                    now=People(last),
                    rate=Pct(rate),
                )
                return rate, "derived", text, ()
    periods = ", ".join(str(p) for p, _ in points) or "-"
    return 0.0, "fallback", Text("drivers.population_growth.fallback", periods=periods), ()


def _government_rate(calendar: PolicyCalendar, year: int) -> float | None:
    rate = calendar.rate(year)
    return None if rate is None else rate.government_paid * 12


def _other_rate(figures, point: YearPoint, groups, basis: str, calendar, collection: float):
    """Premium per member-year of the groups that are not government-paid (or of all)."""
    premium = figures.value("premium_income", point.period)
    if premium is None:
        return None
    others = [g for g in groups if g not in GOVERNMENT_GROUPS]
    government = [g for g in groups if g in GOVERNMENT_GROUPS]
    paid = 0.0
    if government:
        rate = _government_rate(calendar, point.period.year)
        if rate is None:
            return None
        paid = rate * collection / 100 * point.member_years(government, basis)
    member_years = point.member_years(others, basis)
    if member_years <= 0 or premium - paid <= 0:
        return None
    return (premium - paid) / member_years


def measure_premium_rate_growth(figures, start: Start, pairs, calendar):
    groups = start.groups
    observations = []
    for earlier, later, basis in pairs:
        before = _other_rate(figures, earlier, groups, basis, calendar, GOVERNMENT_COLLECTION)
        now = _other_rate(figures, later, groups, basis, calendar, GOVERNMENT_COLLECTION)
        if before and now:
            observations.append((earlier, later, basis, before, now, (now / before - 1) * 100))
    if not observations:
        rate = calendar.rate(start.period.year)
        name = rate.label if rate is not None else Label("drivers.no_calendar_rate")
        return 0.0, "fallback", Text("drivers.premium_rate_growth.fallback", rules=name), ()
    earlier, later, basis, before, now, rate = observations[-1]
    who = "others" if ALL not in groups else "all"
    text = Text(
        f"drivers.premium_rate_growth.derived_{who}",
        span=_span(earlier, later),
        before=RpFull(before),
        now=RpFull(now),
        rate=Pct(rate),
        basis=_basis_text(basis),
    )
    return rate, "derived", text, tuple(o[-1] for o in observations)


def _claims_weights(figures, start: Start) -> tuple[dict[str, float], Text]:
    """Claims shares by level used to weigh utilisation: the origin's split, else the latest
    split up to it, else equal weights of RJTL and RITL applied to all claims."""
    levels = start.claims_levels
    if ALL not in levels:
        total = sum(levels.values())
        return {k: v / total for k, v in levels.items()}, Text("history.weights_origin")
    for period in sorted((p for p in figures.periods if p <= start.period), reverse=True):
        rjtl, ritl = (figures.value(CLAIM_CODES[k], period) for k in ("rjtl", "ritl"))
        total = figures.value("claims_expense_total", period)
        if rjtl is not None and ritl is not None and total:
            weights = {"fktp": (total - rjtl - ritl) / total, "rjtl": rjtl / total}
            weights["ritl"] = ritl / total
            return weights, Text("history.weights_latest", period=Period(period))
    return {"fktp": 0.0, "rjtl": 0.5, "ritl": 0.5}, Text("history.weights_equal")


def _visit_rates(figures, point: YearPoint, groups, basis):
    member_years = point.member_years(groups, basis)
    rates = {}
    for level, code in VISIT_CODES.items():
        visits = figures.value(code, point.period)
        if visits is not None and member_years > 0:
            rates[level] = visits / member_years
    return rates


@dataclass(frozen=True)
class _Measured:
    """Utilisation and claims per member-year of one pair of consecutive years."""

    earlier: YearPoint
    later: YearPoint
    basis: str
    utilisation: Mapping[str, float]  # hospital level -> growth, percent
    claims_before: float | None  # claims per member-year
    claims_now: float | None

    @property
    def claims_growth(self) -> float | None:
        if not self.claims_before or not self.claims_now:
            return None
        return (self.claims_now / self.claims_before - 1) * 100

    @property
    def complete(self) -> bool:
        return len(self.utilisation) == len(HOSPITAL_LEVELS) and self.claims_growth is not None

    def weighted(self, weights: Mapping[str, float]) -> float:
        """Utilisation growth of all claims: FKTP (capitation) counts with no utilisation."""
        return sum(weights[k] * self.utilisation[k] for k in HOSPITAL_LEVELS)

    def unit_cost(self, weights: Mapping[str, float]) -> float:
        return ((1 + self.claims_growth / 100) / (1 + self.weighted(weights) / 100) - 1) * 100


def _measure(figures, pairs, groups) -> list[_Measured]:
    measured = []
    for earlier, later, basis in pairs:
        before = _visit_rates(figures, earlier, groups, basis)
        now = _visit_rates(figures, later, groups, basis)
        growth = {
            k: (now[k] / before[k] - 1) * 100 for k in HOSPITAL_LEVELS if k in before and k in now
        }
        rates = []
        for point in (earlier, later):
            claims = figures.value("claims_expense_total", point.period)
            member_years = point.member_years(groups, basis)
            rates.append(claims / member_years if claims and member_years > 0 else None)
        measured.append(_Measured(earlier, later, basis, growth, *rates))
    return measured


def measure_utilisation_and_inflation(figures, start: Start, pairs, calendar, member_growth):
    """Utilisation growth per hospital level (or for all claims) and medical inflation, each
    from the latest pair of years the data measure, with the history of each."""
    weights, weights_text = _claims_weights(figures, start)
    measured = _measure(figures, pairs, start.groups)
    split = ALL not in start.claims_levels
    out: dict[str, tuple] = {}
    complete = [item for item in measured if item.complete]
    if complete:
        latest = complete[-1]
        span, basis = _span(latest.earlier, latest.later), _basis_text(latest.basis)
        if split:
            for level in HOSPITAL_LEVELS:
                text = Text(
                    "drivers.utilisation_growth.derived",
                    level=Label(f"levels.{level}"),
                    span=span,
                    rate=Pct(latest.utilisation[level]),
                    basis=basis,
                )
                history = tuple(item.utilisation[level] for item in complete)
                out[f"utilisation_growth_{level}"] = (
                    latest.utilisation[level],
                    "derived",
                    text,
                    history,
                )
        else:
            text = Text(
                "drivers.utilisation_growth.derived_all",
                span=span,
                rjtl=Pct(latest.utilisation["rjtl"]),
                ritl=Pct(latest.utilisation["ritl"]),
                rate=Pct(latest.weighted(weights)),
                weights=weights_text,
                basis=basis,
            )
            history = tuple(item.weighted(weights) for item in complete)
            out[f"utilisation_growth_{ALL}"] = (latest.weighted(weights), "derived", text, history)
        year = latest.later.period.year
        unit = latest.unit_cost(weights)
        notes = []
        for step in calendar.applied_steps():
            if step.kind == "tariff" and step.year == year:
                unit = ((1 + unit / 100) / (1 + step.percent / 100) - 1) * 100
                notes.append(
                    Text(
                        "drivers.medical_inflation.sized_step",
                        step=step.label,
                        percent=Pct(step.percent, 1),
                    )
                )
        for step in calendar.unsized_steps(year, year):
            notes.append(Text("drivers.medical_inflation.unsized_step", step=step.label))
        text = Joined(
            [
                Text(
                    "drivers.medical_inflation.derived",
                    span=span,
                    before=RpFull(latest.claims_before),
                    now=RpFull(latest.claims_now),
                    claims=Pct(latest.claims_growth),
                    utilisation=Pct(latest.weighted(weights)),
                    weights=weights_text,
                    rate=Pct(unit),
                ),
                *notes,
            ]
        )
        history = tuple(item.unit_cost(weights) for item in complete)
        out["medical_inflation"] = (unit, "derived", text, history)
        return out
    # Without visits, a measured trend of claims per member-year is taken as the fading trend:
    # medical inflation cannot be told apart from it. Without a per-member-year trend either,
    # the growth of total claims per participant (`_claims_per_participant`) stands in, so that
    # a measured rise of claims is never held flat.
    with_claims = [item for item in measured if item.claims_growth is not None]
    total = None if with_claims else _claims_per_participant(figures, start, member_growth)
    for level in HOSPITAL_LEVELS if split else (ALL,):
        if with_claims:
            latest = with_claims[-1]
            text = Text(
                "drivers.utilisation_growth.claims_only",
                span=_span(latest.earlier, latest.later),
                rate=Pct(latest.claims_growth),
                basis=_basis_text(latest.basis),
            )
            out[f"utilisation_growth_{level}"] = (latest.claims_growth, "derived", text, ())
        elif total is not None:
            out[f"utilisation_growth_{level}"] = total
        else:
            fallback = Text("drivers.utilisation_growth.fallback")
            out[f"utilisation_growth_{level}"] = (0.0, "fallback", fallback, ())
    key = "in_claims_trend" if with_claims or total is not None else "fallback"
    out["medical_inflation"] = (0.0, "fallback", Text(f"drivers.medical_inflation.{key}"), ())
    return out


def _claims_per_participant(figures, start: Start, member_growth: Mapping[str, float]):
    """Growth of claims per participant where no per-member-year trend is measurable.

    Total claims of the latest period up to the origin (a December, or the origin) and of the
    same quarter a year earlier: per registered participant (year ends) when the data hold
    registered participants at both; else total claims growth less the participant growth the
    projection applies at the origin (``member_growth``: the member-growth drivers by group,
    weighted by the origin's participants). ``None`` when the data hold no such pair of claims.
    Returns a driver item ``(value, basis, explanation, history)``.
    """
    origin = start.period

    def claims(p):
        return figures.value("claims_expense_total", p)

    def registered(p):
        return figures.value("registered_participants", p)

    later_periods = [
        p
        for p in figures.periods
        if (p.quarter == 4 or p == origin) and claims(p) and claims(p.year_earlier)
    ]
    if not later_periods:
        return None
    observations = []
    for later in later_periods:
        earlier = later.year_earlier
        growth = (claims(later) / claims(earlier) - 1) * 100
        if registered(later) and registered(earlier):
            participants = (registered(later) / registered(earlier) - 1) * 100
            how = "registered"
        else:
            weights = start.members
            participants = sum(weights[g] * member_growth[g] for g in weights) / sum(
                weights.values()
            )
            how = "member_growth"
        rate = ((1 + growth / 100) / (1 + participants / 100) - 1) * 100
        observations.append((earlier, later, growth, participants, how, rate))
    earlier, later, growth, participants, how, rate = observations[-1]
    span = (
        Text("history.span_years", first=earlier.year, last=later.year)
        if later.quarter == 4
        else Text("history.span_to_date", first=earlier.year, last=later.year, period=Period(later))
    )
    values = {
        "span": span,
        "before": Rp(claims(earlier)),
        "now": Rp(claims(later)),
        "claims": Pct(growth),
        "participants": Pct(participants),
        "rate": Pct(rate),
    }
    if how == "registered":
        values |= {"first": People(registered(earlier)), "last": People(registered(later))}
    text = Text(f"drivers.utilisation_growth.total_claims_{how}", **values)
    return rate, "derived", text, tuple(o[-1] for o in observations)
