"""The projection's starting point and default drivers, from the figures up to the origin only.

Every value here is either read from the figures of ``data/`` at or before the origin, or a
documented assumption or fallback; nothing later than the origin is looked at (the back-test
relies on it: `UpTo` hides later periods).

Conventions
-----------
- *Member-years* of a span: the mean of the active participants at its start and end times the
  span in years. Per-member rates (premium, claims, visits) are per member-year, so a year to
  date and a full year compare without annualising (``× 12/m``): within a year contribution
  rates and tariffs are fixed by regulation, and a flow grows with its participants.
- A trend is measured between two consecutive years (the origin's year to date counts as its
  year) on the participants in the data: on the mean basis when both years' start-of-year
  participants are known, else on year-end participants for both. A trend the data cannot
  measure falls back to a stated default; it is never measured from assumed values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.inputs.figures import FigureSet
from jkn_analysis.projection.calendar import PolicyCalendar
from jkn_analysis.projection.drivers import (
    ALL,
    CLAIM_LEVELS,
    GOVERNMENT_GROUPS,
    GROUPS,
    HOSPITAL_LEVELS,
    Drivers,
    ProjectionError,
)
from jkn_analysis.projection.wording import (
    Joined,
    Label,
    Num,
    Pct,
    People,
    Period,
    Rp,
    RpFull,
    Text,
)

# Figure codes of each payer group (PPU: state administrators and other employers).
GROUP_CODES: dict[str, tuple[str, ...]] = {
    "pbi": ("active_pbi",),
    "pbpu_pemda": ("active_pbpu_pemda",),
    "ppu": ("active_ppu_pn", "active_ppu_non_pn"),
    "pbpu": ("active_pbpu",),
    "bp": ("active_bp",),
}
VISIT_CODES = {"rjtl": "visits_rjtl", "ritl": "visits_ritl"}
CLAIM_CODES = {"rjtl": "claims_expense_rjtl", "ritl": "claims_expense_ritl"}
# Assumptions of the pack where the data cannot say (each is printed as illustrative).
TREND_FADE = 50.0  # share of a trend's excess over its long-run rate kept from one year to the next
UTILISATION_LONG_RUN = 0.0  # utilisation per member levels off once the recent surge has passed
GOVERNMENT_COLLECTION = 100.0  # government pays the contributions of the people it registers


class UpTo:
    """The figures of periods up to ``origin`` only: what was known at the origin."""

    def __init__(self, figures: FigureSet, origin: Quarter):
        self._figures = figures
        self.origin = origin

    @property
    def periods(self) -> list[Quarter]:
        return [p for p in self._figures.periods if p <= self.origin]

    def value(self, code: str, period: Quarter | str) -> float | None:
        if Quarter.parse(str(period)) > self.origin:
            return None
        return self._figures.value(code, period)


# --- Start ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Start:
    """The fund at the origin: the end of the base period.

    Attributes
    ----------
    period : Quarter
        The origin; flows run from 1 January to its end.
    premium, claims, investment : float
        Premium income, claims expense and DJS investment income, year to date, rupiah.
    claims_levels : mapping
        Claims year to date by level (``fktp``, ``rjtl``, ``ritl``; FKTP is the rest of the
        total), or ``{"all": claims}`` when the data do not split them.
    net_assets : float
        DJS net assets at the origin, rupiah.
    net_assets_source : str
        ``djs_net_assets``, or ``months_covered_reported`` when derived from the published
        months covered: ``net assets = months × claims year to date / m``.
    members : mapping
        Active participants by payer group at the origin (``{"all": n}`` without the split;
        ``{"all": 1.0}``, an index, when the data hold no participants at all).
    members_start : mapping or None
        The same at the previous December, when the data hold it.
    registered, population : float or None
        Registered participants at the origin; the latest population figure up to it.
    portfolio : float or None
        DJS investment portfolio at the origin (``djs_investment_total``).
    surplus, operating : float or None
        DJS surplus (deficit) and BPJS Kesehatan's operating expense, year to date.
    visits : mapping
        Hospital visits year to date by level (``rjtl``, ``ritl``) where in the data.
    """

    period: Quarter
    premium: float
    claims: float
    investment: float
    claims_levels: Mapping[str, float]
    net_assets: float
    net_assets_source: str
    members: Mapping[str, float]
    members_start: Mapping[str, float] | None = None
    members_known: bool = True
    registered: float | None = None
    population: float | None = None
    population_period: Quarter | None = None
    portfolio: float | None = None
    surplus: float | None = None
    operating: float | None = None
    visits: Mapping[str, float] = field(default_factory=dict)
    explanation: Mapping[str, Text] = field(default_factory=dict, compare=False, repr=False)

    @property
    def months_elapsed(self) -> int:
        return self.period.months_elapsed

    @property
    def in_year(self) -> bool:
        """Whether the origin is inside its year (a first to third quarter)."""
        return self.period.quarter < 4

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(self.members)

    @property
    def participants(self) -> float:
        return sum(self.members.values())

    @property
    def net_assets_derived(self) -> bool:
        return self.net_assets_source != "djs_net_assets"

    @property
    def months_covered(self) -> float:
        """Net assets / (claims year to date / months elapsed), the published indicator."""
        return self.net_assets / (self.claims / self.months_elapsed)

    @property
    def active_share(self) -> float | None:
        """Active / registered participants × 100, or ``None``."""
        if self.registered is None or not self.members_known:
            return None
        return self.participants / self.registered * 100


def _group_members(figures, period: Quarter, groups: tuple[str, ...]) -> dict[str, float] | None:
    """Active participants of ``groups`` at ``period``, or ``None`` when one is missing."""
    result = {}
    for group in groups:
        codes = GROUP_CODES.get(group, ("active_total",))
        values = [figures.value(code, period) for code in codes]
        if any(v is None for v in values):
            return None
        result[group] = float(sum(values))
    return result


def _groups_at(figures, period: Quarter) -> tuple[tuple[str, ...], bool]:
    """The payer groups the data split ``period`` into, and whether participants are known."""
    if _group_members(figures, period, GROUPS) is not None:
        return GROUPS, True
    if figures.value("active_total", period) is not None:
        return (ALL,), True
    return (ALL,), False


def _latest(figures, code: str, period: Quarter) -> tuple[float, Quarter] | tuple[None, None]:
    """The latest value of ``code`` at or before ``period``."""
    for p in sorted((p for p in figures.periods if p <= period), reverse=True):
        value = figures.value(code, p)
        if value is not None:
            return value, p
    return None, None


def derive_start(figures, period: Quarter | str) -> Start:
    """The projection's starting point from the figures of ``period`` (and the previous
    December for the start-of-year participants).

    Raises
    ------
    ProjectionError
        If premium income or claims expense are missing, or neither the net assets nor the
        published months covered are there.
    """
    period = Quarter.parse(str(period))
    m = period.months_elapsed
    value = figures.value
    missing = [c for c in ("premium_income", "claims_expense_total") if value(c, period) is None]
    if missing:
        raise ProjectionError(Text("errors.start_missing", period=period, codes=", ".join(missing)))
    premium = value("premium_income", period)
    claims = value("claims_expense_total", period)
    if not premium > 0 or not claims > 0:
        raise ProjectionError(Text("errors.start_not_positive", period=period))
    explanation: dict[str, Text] = {}
    investment = value("djs_investment_income", period)
    if investment is None:
        investment = 0.0
        explanation["investment"] = Text("start.investment_missing", period=Period(period))
    else:
        explanation["investment"] = Text("start.flow", period=Period(period), m=m)
    explanation["premium"] = Text("start.flow", period=Period(period), m=m)
    explanation["claims"] = Text("start.flow", period=Period(period), m=m)
    net_assets = value("djs_net_assets", period)
    if net_assets is not None:
        source = "djs_net_assets"
        explanation["net_assets"] = Text("start.net_assets_published", period=Period(period))
    else:
        published = value("months_covered_reported", period)
        if published is None:
            raise ProjectionError(Text("errors.start_net_assets", period=period))
        source = "months_covered_reported"
        net_assets = published * claims / m
        explanation["net_assets"] = Text(
            "start.net_assets_derived",
            period=Period(period),
            months=Num(published, 2),
            claims=Rp(claims),
            m=m,
            amount=Rp(net_assets),
        )
    rjtl, ritl = value(CLAIM_CODES["rjtl"], period), value(CLAIM_CODES["ritl"], period)
    if rjtl is not None and ritl is not None and rjtl + ritl <= claims:
        levels = {"fktp": claims - rjtl - ritl, "rjtl": rjtl, "ritl": ritl}
        explanation["claims_levels"] = Text(
            "start.claims_split",
            rjtl=Rp(rjtl),
            ritl=Rp(ritl),
            fktp=Rp(claims - rjtl - ritl),
        )
    else:
        levels = {ALL: claims}
        explanation["claims_levels"] = Text("start.claims_unsplit", period=Period(period))
    groups, known = _groups_at(figures, period)
    if known:
        members = _group_members(figures, period, groups)
        members_start = _group_members(figures, period.previous_december, groups)
        explanation["members"] = Text(
            "start.members_groups" if groups == GROUPS else "start.members_total",
            period=Period(period),
        )
        if members_start is None:
            explanation["members_start"] = Text(
                "start.members_start_backcast", december=Period(period.previous_december)
            )
    else:
        members, members_start = {ALL: 1.0}, {ALL: 1.0}
        explanation["members"] = Text("start.members_unknown", period=Period(period))
    population, population_period = _latest(figures, "population", period)
    portfolio = value("djs_investment_total", period)
    surplus = value("djs_surplus_reported", period)
    if surplus is None:
        revenue, expenses = value("djs_revenue_total", period), value("djs_expense_total", period)
        if revenue is not None and expenses is not None:
            surplus = revenue - expenses
    visits = {
        level: value(code, period)
        for level, code in VISIT_CODES.items()
        if value(code, period) is not None
    }
    return Start(
        period=period,
        premium=premium,
        claims=claims,
        investment=investment,
        claims_levels=levels,
        net_assets=net_assets,
        net_assets_source=source,
        members=members,
        members_start=members_start,
        members_known=known,
        registered=value("registered_participants", period),
        population=population,
        population_period=population_period,
        portfolio=portfolio,
        surplus=surplus,
        operating=value("bpjs_operating_expense", period),
        visits=visits,
        explanation=explanation,
    )


# --- Seasonality ---------------------------------------------------------------------------------
SEASONAL_FLOWS = {"premium": "premium_income", "claims": "claims_expense_total"}
# Flows whose in-year and full-year values test the member-year share where premium and claims
# have no in-year history.
CHECK_FLOWS = ("visits_rjtp", "visits_rjtl", "visits_ritl", "referrals")


@dataclass(frozen=True)
class SeasonalCheck:
    """A flow of an earlier year with both the origin's quarter and the December in the data."""

    code: str
    period: Quarter
    observed: float  # quarter's year to date / full year
    member_years: float | None  # the member-year share of that year, when participants allow


def _member_year_share(figures, period: Quarter, groups) -> float | None:
    points = [
        _group_members(figures, p, groups)
        for p in (period.previous_december, period, Quarter(period.year, 4))
    ]
    if any(p is None for p in points):
        return None
    start, then, end = (sum(p.values()) for p in points)
    return (start + then) / 2 * period.months_elapsed / 12 / ((start + end) / 2)


def seasonal_history(figures, start: Start) -> tuple[dict[str, float], list[SeasonalCheck]]:
    """Shares of the year elapsed at the origin's quarter observed in earlier years.

    Returns the mean observed share of premium income and claims expense (only where the data
    hold earlier years with the quarter and the December), and, for the other flows, each
    observation beside the member-year share of its year (a check of that share).
    """
    origin = start.period
    shares: dict[str, float] = {}
    checks: list[SeasonalCheck] = []
    if not start.in_year:
        return shares, checks
    years = range(2000, origin.year)
    for flow, code in SEASONAL_FLOWS.items():
        observed = [
            figures.value(code, Quarter(y, origin.quarter)) / figures.value(code, Quarter(y, 4))
            for y in years
            if figures.value(code, Quarter(y, origin.quarter)) is not None
            and figures.value(code, Quarter(y, 4))
        ]
        if observed:
            shares[flow] = sum(observed) / len(observed)
    for code in CHECK_FLOWS:
        for y in years:
            part, whole = (
                figures.value(code, Quarter(y, origin.quarter)),
                figures.value(code, Quarter(y, 4)),
            )
            if part is not None and whole:
                period = Quarter(y, origin.quarter)
                share = _member_year_share(figures, period, start.groups)
                checks.append(SeasonalCheck(code, period, part / whole, share))
    return shares, checks


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


def _year_points(figures, origin: Quarter, groups: tuple[str, ...]) -> list[YearPoint]:
    """Each December before the origin's year, and the origin itself, with participants."""
    candidates = [Quarter(y, 4) for y in range(2000, origin.year)] + [origin]
    points = []
    for period in candidates:
        members = _group_members(figures, period, groups)
        if members is None:
            continue
        start = _group_members(figures, period.previous_december, groups)
        points.append(YearPoint(period, members, start, period.months_elapsed / 12))
    return points


def _pairs(points: list[YearPoint]) -> list[tuple[YearPoint, YearPoint, str]]:
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


def _registered_growth(figures, start: Start):
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


def _member_growth(figures, start: Start, registered: tuple) -> dict[str, tuple]:
    """Growth of each payer group: year on year, else the latest earlier period, else the
    registered participants' growth, else 0."""
    origin = start.period
    out = {}
    if not start.members_known:
        out[ALL] = (0.0, "fallback", Text("drivers.member_growth.unknown"), ())
        return out
    groups = start.groups

    def at(p):
        return _group_members(figures, p, groups)

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


def _population_growth(figures, start: Start):
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


def _premium_rate_growth(figures, start: Start, pairs, calendar):
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


def _utilisation_and_inflation(figures, start: Start, pairs, calendar, member_growth):
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


def _investment(figures, start: Start):
    """Investment yield and the months of claims the portfolio holds beyond net assets."""
    origin, m = start.period, start.months_elapsed
    monthly_claims = start.claims / m
    out = {}
    if start.portfolio is not None:
        months = max(0.0, (start.portfolio - start.net_assets) / monthly_claims)
        out["liability_months"] = (
            months,
            "derived",
            Text(
                "drivers.liability_months.derived",
                portfolio=Rp(start.portfolio),
                assets=Rp(start.net_assets),
                claims=Rp(start.claims),
                m=m,
                months=Num(months, 2),
            ),
            (),
        )
        published = figures.value("djs_investment_yield", origin)
        if published is not None:
            rate = published * 12 / m
            text = Text(
                "drivers.investment_yield.published",
                period=Period(origin),
                published=Pct(published),
                m=m,
                rate=Pct(rate),
            )
        else:
            rate = start.investment * 12 / m / start.portfolio * 100
            text = Text(
                "drivers.investment_yield.portfolio",
                income=Rp(start.investment, None),
                m=m,
                portfolio=Rp(start.portfolio),
                rate=Pct(rate),
            )
        out["investment_yield"] = (rate, "derived", text, ())
        return out
    out["liability_months"] = (0.0, "fallback", Text("drivers.liability_months.fallback"), ())
    december = origin.previous_december
    assets_before = figures.value("djs_net_assets", december)
    history = []
    for p in figures.periods:
        if p <= origin and p.quarter == 4:
            income, before = (
                figures.value("djs_investment_income", p),
                figures.value("djs_net_assets", p.previous_december),
            )
            if income is not None and before and before > 0:
                history.append(income / before * 100)
    if start.investment > 0 and assets_before and assets_before > 0:
        rate = start.investment * 12 / m / assets_before * 100
        text = Text(
            "drivers.investment_yield.net_assets",
            income=Rp(start.investment, None),
            m=m,
            december=Period(december),
            assets=Rp(assets_before),
            rate=Pct(rate),
        )
        return out | {"investment_yield": (rate, "derived", text, tuple(history))}
    if start.investment > 0 and start.net_assets > 0:
        rate = start.investment * 12 / m / start.net_assets * 100
        text = Text(
            "drivers.investment_yield.net_assets",
            income=Rp(start.investment, None),
            m=m,
            december=Period(origin),
            assets=Rp(start.net_assets),
            rate=Pct(rate),
        )
        return out | {"investment_yield": (rate, "derived", text, tuple(history))}
    target = _latest(figures, "djs_investment_yield_target", origin)[0]
    rate = 0.0 if target is None else target
    key = "fallback" if target is None else "target"
    return out | {
        "investment_yield": (
            rate,
            "fallback",
            Text(f"drivers.investment_yield.{key}", rate=Pct(rate)),
            (),
        )
    }


def _operating_share(figures, start: Start, calendar: PolicyCalendar):
    history = []
    for p in figures.periods:
        if p <= start.period:
            expense, premium = (
                figures.value("bpjs_operating_expense", p),
                figures.value("premium_income", p),
            )
            if expense is not None and premium:
                history.append((p, expense, premium, expense / premium * 100))
    if history:
        period, expense, premium, share = history[-1]
        text = Text(
            "drivers.operating_share.derived",
            period=Period(period),
            expense=Rp(expense),
            premium=Rp(premium),
            share=Pct(share),
        )
        return share, "derived", text, tuple(h[-1] for h in history)
    cap = calendar.cap(start.period.year)
    if cap is not None:
        return cap.share, "assumption", Text("drivers.operating_share.at_cap", cap=cap.label), ()
    return 0.0, "fallback", Text("drivers.operating_share.fallback"), ()


def _other_share(figures, start: Start, operating_share: float):
    """Other income less other non-claims expenses, share of premium: mean of the history."""
    observations = []
    for p in figures.periods:
        if p > start.period:
            continue
        surplus = figures.value("djs_surplus_reported", p)
        if surplus is None:
            revenue, expenses = (
                figures.value("djs_revenue_total", p),
                figures.value("djs_expense_total", p),
            )
            surplus = None if revenue is None or expenses is None else revenue - expenses
        premium, claims = (
            figures.value("premium_income", p),
            figures.value("claims_expense_total", p),
        )
        if surplus is None or not premium or claims is None:
            continue
        investment = figures.value("djs_investment_income", p) or 0.0
        operating = figures.value("bpjs_operating_expense", p)
        operating = operating_share / 100 * premium if operating is None else operating
        other = surplus - (premium - claims + investment - operating)
        observations.append((p, other, premium, other / premium * 100))
    if not observations:
        return 0.0, "fallback", Text("drivers.other_share.fallback"), ()
    shares = [o[-1] for o in observations]
    mean = sum(shares) / len(shares)
    items = Joined(
        [
            Text("drivers.other_share.item", period=Period(p), other=Rp(o), share=Pct(s))
            for p, o, _, s in observations
        ],
        "; ",
    )
    text = Text("drivers.other_share.derived", items=items, n=len(shares), rate=Pct(mean))
    return mean, "derived", text, tuple(shares)


def derive_drivers(figures, start: Start, calendar: PolicyCalendar) -> Drivers:
    """Default drivers from the figures up to ``start.period`` (see the module documentation).

    Each driver's explanation gives its formula and inputs, or why it falls back; ``basis``
    says ``derived``, ``assumption`` or ``fallback``; ``spread`` keeps its history where the
    data give it more than once.
    """
    figures = figures if isinstance(figures, UpTo) else UpTo(figures, start.period)
    derived: dict[str, tuple] = {}
    registered = _registered_growth(figures, start)
    for group, item in _member_growth(figures, start, registered).items():
        derived[f"member_growth_{group}"] = item
    derived["registered_growth"] = registered
    derived["population_growth"] = _population_growth(figures, start)
    derived["trend_fade"] = (
        TREND_FADE,
        "assumption",
        Text("drivers.trend_fade.assumption", rate=Pct(TREND_FADE, 0)),
        (),
    )
    derived["government_collection"] = (
        GOVERNMENT_COLLECTION,
        "assumption",
        Text("drivers.government_collection.assumption"),
        (),
    )
    points = _year_points(figures, start.period, start.groups) if start.members_known else []
    pairs = _pairs(points)
    derived["premium_rate_growth"] = _premium_rate_growth(figures, start, pairs, calendar)
    member_growth = {group: derived[f"member_growth_{group}"][0] for group in start.groups}
    derived |= _utilisation_and_inflation(figures, start, pairs, calendar, member_growth)
    derived["utilisation_long_run"] = (
        UTILISATION_LONG_RUN,
        "assumption",
        Text("drivers.utilisation_long_run.assumption", rate=Pct(UTILISATION_LONG_RUN, 0)),
        (),
    )
    derived |= _investment(figures, start)
    derived["operating_share"] = _operating_share(figures, start, calendar)
    derived["other_share"] = _other_share(figures, start, derived["operating_share"][0])
    return Drivers(
        values={name: float(item[0]) for name, item in derived.items()},
        basis={name: item[1] for name, item in derived.items()},
        explanation={name: item[2] for name, item in derived.items()},
        spread={name: tuple(item[3]) for name, item in derived.items() if len(item[3]) >= 2},
    )


__all__ = ["CLAIM_LEVELS", "Start", "UpTo", "derive_drivers", "derive_start"]
