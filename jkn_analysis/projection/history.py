"""The projection's starting point, from the figures up to the origin only, and the conventions
by which its default drivers are measured (`trends`, `fund`, `defaults`).

Every value here and there is either read from the figures of ``data/`` at or before the
origin, or a documented assumption or fallback; nothing later than the origin is looked at
(the back-test relies on it: `UpTo` hides later periods).

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
from jkn_analysis.inputs.figures import FigureSet, as_quarter
from jkn_analysis.projection.drivers import (
    ALL,
    GROUPS,
    ProjectionError,
)
from jkn_analysis.projection.wording import (
    Num,
    Period,
    Rp,
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
        if as_quarter(period) > self.origin:
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


def group_members(figures, period: Quarter, groups: tuple[str, ...]) -> dict[str, float] | None:
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
    if group_members(figures, period, GROUPS) is not None:
        return GROUPS, True
    if figures.value("active_total", period) is not None:
        return (ALL,), True
    return (ALL,), False


def latest_value(figures, code: str, period: Quarter) -> tuple[float, Quarter] | tuple[None, None]:
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
        members = group_members(figures, period, groups)
        members_start = group_members(figures, period.previous_december, groups)
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
    population, population_period = latest_value(figures, "population", period)
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
        group_members(figures, p, groups)
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
