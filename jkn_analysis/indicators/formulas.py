"""JKN performance indicators: one pure, documented function each.

Every function takes plain numbers and returns a plain number (or a category). Units follow
the catalogue: percentages are percent values (76.41, not 0.7641), money is in rupiah and counts
are whole numbers. A zero or negative denominator raises `UndefinedIndicatorError` rather
than returning a silently wrong value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

# PP 53/2018, Pasal 37 ayat (1): DJS net assets are healthy when they cover between 1,5 and 6
# months of estimated claims.
CORRIDOR_FLOOR_MONTHS = 1.5
CORRIDOR_CEILING_MONTHS = 6.0

CorridorPosition = Literal["below", "within", "above"]


class InconsistentHistoryError(ValueError):
    """Earlier years' flows that contradict each other: by a quarter's end of ``year`` more had
    accumulated (``year_to_date``) than in the whole year (``full_year``), or a year's flow is
    not positive. The data checks name the year and both values."""

    def __init__(self, message: str, year: int, year_to_date: float, full_year: float):
        super().__init__(message)
        self.year = year
        self.year_to_date = year_to_date
        self.full_year = full_year


class UndefinedIndicatorError(ZeroDivisionError):
    """An indicator's denominator is zero or negative, so the indicator is undefined.

    ``denominator`` is the value found, for messages in the report's language.
    """

    def __init__(self, message: str, denominator: float):
        super().__init__(message)
        self.denominator = denominator


def _percent(numerator: float, denominator: float, *, denominator_name: str) -> float:
    if not denominator > 0:  # also refuses NaN
        raise UndefinedIndicatorError(
            f"{denominator_name} is {denominator!r}; the indicator needs a positive denominator",
            denominator,
        )
    return 100.0 * numerator / denominator


def level(value: float) -> float:
    """A figure carried as an indicator (registered participants, claims expense): its value.

    Unit: that of the figure.
    """
    return float(value)


def registered_coverage(registered: float, population: float) -> float:
    """Registered coverage of the population (cakupan kepesertaan).

    Formula: registered participants / population × 100. Unit: percent.

    Parameters
    ----------
    registered : float
        Numerator: participants registered with BPJS Kesehatan at the period end (terdaftar).
    population : float
        Denominator: population (Dukcapil), positive.
    """
    return _percent(registered, population, denominator_name="population")


def registered_coverage_gap_to_target(target: float, registered: float, population: float) -> float:
    """How far registered coverage falls short of its target, in percentage points.

    Formula: target − `registered_coverage` (negative when exceeded). Unit: percentage points.

    Parameters
    ----------
    target : float
        The coverage target, percent of the population.
    registered : float
        Registered participants at the period end.
    population : float
        Population (Dukcapil), positive.
    """
    return gap_to_target(registered_coverage(registered, population), target)


def active_share_of_population(active: float, population: float) -> float:
    """Active participants as a share of the population (cakupan kepesertaan aktif).

    Formula: active participants / population × 100. Unit: percent. This is the indicator
    defined in the health-planning indicator sheet (seed 001) and the RPJMN 2025-2029.

    Parameters
    ----------
    active : float
        Numerator: participants with the right to benefits at the period end (aktif).
    population : float
        Denominator: population (Dukcapil), positive.
    """
    return _percent(active, population, denominator_name="population")


def active_share_of_registered(active: float, registered: float) -> float:
    """Active participants as a share of registered participants.

    Formula: active participants / registered participants × 100. Unit: percent.

    Parameters
    ----------
    active : float
        Numerator: active participants at the period end.
    registered : float
        Denominator: registered participants at the period end, positive.
    """
    return _percent(active, registered, denominator_name="registered participants")


def change(current: float, previous: float) -> float:
    """Absolute change between two periods: current − previous, in the figures' unit."""
    return current - previous


def growth(current: float, previous: float) -> float:
    """Relative growth between two periods.

    Formula: (current − previous) / previous × 100. Unit: percent.

    Parameters
    ----------
    current : float
        Value in the period reported on.
    previous : float
        Value in the comparison period (previous December, or a year earlier), positive.
    """
    return _percent(current - previous, previous, denominator_name="the comparison value")


def non_active_share_of_registered(non_active: float, registered: float) -> float:
    """Non-active participants as a share of registered participants.

    Formula: non-active participants (all reasons) / registered participants × 100.
    Unit: percent.
    """
    return _percent(non_active, registered, denominator_name="registered participants")


def ick_attainment(realised: float, target: float) -> float:
    """Attainment of a DJSN performance target (Indikator Capaian Kinerja, ICK).

    Formula: realised / target × 100. Unit: percent (100 = target met).

    Parameters
    ----------
    realised : float
        Numerator: the realised value (active participants of the segment).
    target : float
        Denominator: the ICK target for the year, positive.
    """
    return _percent(realised, target, denominator_name="the ICK target")


def ick_path_level(start: float, annual_target: float, months_elapsed: int) -> float:
    """The level on a straight path from December's realisation to the year-end ICK target.

    An ICK target for active participants is a year-end stock, so any attainment before Q4 is
    below 100% by construction; the path says where the segment should stand by now.
    Formula: start + (annual target − start) × months elapsed / 12. Unit: that of the figures.

    Parameters
    ----------
    start : float
        The realisation at the previous 31 December (same ICK definition as the target).
    annual_target : float
        The ICK target for 31 December of the year.
    months_elapsed : int
        Months of the year elapsed at the period end, 1 to 12.
    """
    if not 1 <= months_elapsed <= 12:
        raise ValueError(f"months elapsed must lie between 1 and 12, got {months_elapsed}")
    return start + (annual_target - start) * months_elapsed / 12


def ick_attainment_vs_path(
    realised: float, start: float, annual_target: float, months_elapsed: int
) -> float:
    """Realisation against the straight path to the year-end ICK target (`ick_path_level`).

    Formula: realised / path level × 100. Unit: percent (100 = on the path; in Q4 the path is
    the target itself, so this equals `ick_attainment`).

    Parameters
    ----------
    realised : float
        Numerator: the realisation at the period end.
    start : float
        The realisation at the previous 31 December.
    annual_target : float
        The year-end ICK target.
    months_elapsed : int
        Months of the year elapsed at the period end, 1 to 12.
    """
    path = ick_path_level(start, annual_target, months_elapsed)
    return _percent(realised, path, denominator_name="the ICK path level")


def years_to_floor(first_year_below_floor: int, base_year: int) -> int:
    """Years from the period's year to the projection's first year below the 1,5-month floor.

    Formula: first year below floor − base year (0 = the current year). Unit: years. The
    projection gives the first projected year in which DJS net assets cover fewer than
    `CORRIDOR_FLOOR_MONTHS` months of claims (PP 53/2018, Pasal 37 ayat (1)).

    Parameters
    ----------
    first_year_below_floor : int
        A calendar year of the projection, not before ``base_year``.
    base_year : int
        The year of the period the projection starts from.
    """
    if first_year_below_floor < base_year:
        raise ValueError(
            f"the first year below the floor ({first_year_below_floor}) precedes the base year "
            f"{base_year}"
        )
    return first_year_below_floor - base_year


def gap_to_target(actual: float, target: float) -> float:
    """How far a level falls short of its target: target − actual (negative when exceeded).

    Unit: the unit of the figures (facilities, or percentage points for rates).
    """
    return target - actual


def referral_rate(referrals: float, fktp_visits: float) -> float:
    """Referrals from primary care per 100 primary-care visits (rasio rujukan).

    Formula: referrals / FKTP (RJTP) visits × 100, both year to date. Unit: percent.
    A rising rate signals a weaker gatekeeper role of FKTP.
    """
    return _percent(referrals, fktp_visits, denominator_name="FKTP visits")


def share_of_total(part: float, total: float) -> float:
    """A part's share of its total (claims expense by service, investment by instrument).

    Formula: part / total × 100. Unit: percent.
    """
    return _percent(part, total, denominator_name="the total")


def premium_income_vs_annual_target(premium_income: float, annual_target: float) -> float:
    """Year-to-date premium income against the full-year target.

    Formula: premium income (year to date) / annual target × 100. Unit: percent.
    """
    return _percent(premium_income, annual_target, denominator_name="the annual target")


def premium_income_vs_pro_rata_target(
    premium_income: float, annual_target: float, months_elapsed: int
) -> float:
    """Year-to-date premium income against the target pro rata to the months elapsed.

    Formula: premium income / (annual target × months elapsed / 12) × 100. Unit: percent
    (100 = on track for the annual target).
    """
    if not 1 <= months_elapsed <= 12:
        raise ValueError(f"months elapsed must lie between 1 and 12, got {months_elapsed}")
    return _percent(
        premium_income, annual_target * months_elapsed / 12, denominator_name="the annual target"
    )


def seasonal_share_of_year(
    year_to_date: Mapping[int, float], full_year: Mapping[int, float]
) -> float | None:
    """Share of a full year's flow reached by the same point of the year, from the history.

    Premium income and claims do not arrive evenly over the year (in 2014 the first half
    brought Rp16 T of a year's Rp40,7 T, 39%, not 50%), so a year-to-date flow is annualised
    with this profile rather than with the months elapsed.

    Formula: mean over the years holding both values of year-to-date flow / full-year flow.
    Unit: a fraction (0-1].

    Parameters
    ----------
    year_to_date : mapping of int to float
        Year -> the flow from January to the same quarter's end (e.g. every March).
    full_year : mapping of int to float
        Year -> the flow of the whole year.

    Returns
    -------
    float or None
        The mean share, or ``None`` when no year holds both values (no profile to use).

    Raises
    ------
    InconsistentHistoryError
        A `ValueError`: if a full-year value is not positive, or a year-to-date value is not
        positive or exceeds its full year (a flow that accumulates cannot shrink).

    Examples
    --------
    >>> round(seasonal_share_of_year({2014: 16.0}, {2014: 40.7}), 3)
    0.393
    """
    shares = []
    for year in sorted(set(year_to_date) & set(full_year)):
        if full_year[year] <= 0 or not 0 < year_to_date[year] <= full_year[year]:
            raise InconsistentHistoryError(
                f"the year-to-date flow of {year} ({year_to_date[year]!r}) must lie above 0"
                f" and at most at its full year ({full_year[year]!r}), which must be above 0",
                year,
                year_to_date[year],
                full_year[year],
            )
        shares.append(year_to_date[year] / full_year[year])
    return sum(shares) / len(shares) if shares else None


def premium_income_vs_seasonal_target(
    premium_income: float,
    annual_target: float,
    year_to_date_history: Mapping[int, float],
    full_year_history: Mapping[int, float],
) -> float | None:
    """Year-to-date premium income against the annual target scaled by the seasonal profile.

    Formula: premium income / (annual target × seasonal share) × 100, the seasonal share
    being `seasonal_share_of_year` of the earlier years' premium income by the same quarter
    and in the whole year. Unit: percent (100 = on track for the annual target). Premium
    income does not arrive evenly (39% of 2014's in its first half), so this is the fairer
    yardstick than `premium_income_vs_pro_rata_target` wherever the history holds a profile.

    Parameters
    ----------
    premium_income : float
        Premium income from 1 January to the period end, rupiah.
    annual_target : float
        The year's premium income target, rupiah.
    year_to_date_history, full_year_history : mapping of int to float
        Year -> premium income by the same quarter's end, and in the whole year, of earlier
        years.

    Returns
    -------
    float or None
        ``None`` when no earlier year holds both values: there is no profile to use.

    Raises
    ------
    ValueError
        When the history is inconsistent (see `seasonal_share_of_year`).

    Examples
    --------
    >>> round(premium_income_vs_seasonal_target(39.0, 100.0, {2023: 40.0}, {2023: 100.0}), 2)
    97.5
    """
    share = seasonal_share_of_year(year_to_date_history, full_year_history)
    if share is None:
        return None
    return _percent(premium_income, annual_target * share, denominator_name="the annual target")


def claim_ratio(claims_expense: float, premium_income: float) -> float:
    """Claim ratio (rasio klaim) of the DJS Kesehatan.

    Formula: claims expense (beban jaminan kesehatan) / premium income (pendapatan iuran)
    × 100, both year to date. Unit: percent; above 100 the premiums do not cover the claims.
    """
    return _percent(claims_expense, premium_income, denominator_name="premium income")


def djs_surplus(revenue: float, expenses: float) -> float:
    """Surplus (positive) or deficit (negative) of the DJS Kesehatan: revenue − expenses.

    Both year to date, in rupiah.
    """
    return revenue - expenses


def months_of_claims_covered(
    net_assets: float, claims_expense: float, months_elapsed: int
) -> float:
    """Months of claims covered by the DJS net assets (ketahanan dana).

    Formula: net assets / (claims expense year to date / months elapsed). Unit: months.
    Reproduces the published 5,15 (2021) and 5,98 (2022).

    Parameters
    ----------
    net_assets : float
        DJS net assets (aset neto) at the period end, rupiah.
    claims_expense : float
        Claims expense from 1 January to the period end, rupiah, positive.
    months_elapsed : int
        Months from 1 January to the period end (3, 6, 9 or 12).
    """
    if not 1 <= months_elapsed <= 12:
        raise ValueError(f"months elapsed must lie between 1 and 12, got {months_elapsed}")
    if not claims_expense > 0:
        raise UndefinedIndicatorError(
            f"claims expense is {claims_expense!r}; months covered need positive claims",
            claims_expense,
        )
    return net_assets / (claims_expense / months_elapsed)


def corridor_position(
    months: float,
    floor: float = CORRIDOR_FLOOR_MONTHS,
    ceiling: float = CORRIDOR_CEILING_MONTHS,
) -> CorridorPosition:
    """Where months covered sit in the PP 53/2018 corridor of 1,5 to 6 months.

    Returns ``"below"`` (under the floor: unhealthy), ``"within"`` (healthy, bounds included)
    or ``"above"`` (more than six months: funds idle).
    """
    if floor > ceiling:
        raise ValueError(f"corridor floor {floor} lies above its ceiling {ceiling}")
    if months != months:  # NaN compares unequal to itself
        raise ValueError("months covered is NaN; the corridor position is undefined")
    if months < floor:
        return "below"
    if months > ceiling:
        return "above"
    return "within"
