"""Five-year projection of the DJS Kesehatan (the JKN social security fund), by scenario.

DJSN's report asks that the fund be managed "berdasarkan penilaian aktuaria, dengan
mempertimbangkan proyeksi DJS Kesehatan untuk setidaknya 5 tahun ke depan". This module is a
transparent projection for that purpose, not an actuarial valuation: every step is a plain
formula a reviewer can redo by hand, and every driver is a named number whose default is derived
from the figures in ``data/`` (or, where the history is too thin, a documented fallback).

The model
---------
Money is in rupiah, percentages are percent values (4.70, not 0.047), as everywhere in the pack.
``m`` is the number of months elapsed in the base period (3 for a first quarter).

Start (`derive_start`), at the end of the base period:

- flows of the year to date: premium income ``P_ytd``, claims expense ``C_ytd``, DJS investment
  income ``I_ytd``; active participants ``N`` and registered participants ``R`` at the period end;
- net assets ``A_start``: the figure ``djs_net_assets`` when present; otherwise derived from the
  published months covered ``M_pub`` (``months_covered_reported``), by the definition of that
  indicator: ``A_start = M_pub × C_ytd / m`` (2024 Q1: 3,98 × 43,32 T / 3 = 57,4712 T).

Year 0 is the base year itself (2024 for 2024 Q1), estimated at the year-to-date run rate;
years 1 to ``years`` are projected (2025-2029: the RPJMN 2025-2029 period):

- year 0: ``P_0 = P_ytd × 12/m``, ``C_0 = C_ytd × 12/m``, ``I_0 = I_ytd × 12/m``,
  ``O_0 = o/100 × P_0``, ``S_0 = P_0 − C_0 + I_0 + O_0`` and, since ``m`` months of the year are
  already in ``A_start``, ``A_0 = A_start + S_0 × (12 − m)/12``.
- year t ≥ 1, with drivers in percent (`Drivers`):

  - participants ``N_t = N_{t−1} × (1 + g_N/100) × s_t / s_{t−1}`` (``s``: the active share of
    registered participants; constant except in a scenario with ``active_share_targets``);
  - premium income ``P_t = P_{t−1} × N_t/N_{t−1} × (1 + g_p/100) × (1 + a_t/100)``, where
    ``a_t`` is a scenario's contribution increase in the year it takes effect (0 otherwise);
  - claims expense ``C_t = C_{t−1} × N_t/N_{t−1} × (1 + (g_c − k_t)/100)``, where ``k_t`` is a
    scenario's cut of claims growth, in points, from the year it takes effect;
  - investment income ``I_t = y/100 × A_{t−1}`` (net assets at the start of the year);
  - other income less non-claims expenses ``O_t = o/100 × P_t``;
  - surplus (deficit) ``S_t = P_t − C_t + I_t + O_t``;
  - net assets at the year end ``A_t = A_{t−1} + S_t``;
  - months covered ``M_t = A_t / (C_t / 12)``, the indicator
    `jkn_analysis.indicators.months_of_claims_covered` at a December (12 months elapsed).

A projection reports the first year whose ``M_t`` falls below the PP 53/2018 floor of 1,5 months
(strictly below, as `jkn_analysis.indicators.corridor_position` says ``"below"``: 1,5 itself is
within the corridor) and the first year whose net assets run out (``A_t ≤ 0``), or ``None``.

Scenarios (`load_scenarios`, ``catalogue/scenarios.yaml``) override drivers and add the three
adjustments above. The order of precedence is: defaults derived from the data, then the analyst's
overrides (`project_scenarios` ``overrides``), then a scenario's own ``drivers``.
"""

from __future__ import annotations

import difflib
import html
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from jkn_analysis import indicators as ind
from jkn_analysis.compute import Indicator
from jkn_analysis.figures import FigureSet
from jkn_analysis.formatting import format_compact, format_number, format_percent, format_rupiah
from jkn_analysis.fragment import Fragment
from jkn_analysis.periods import Quarter

SCENARIO_FILE = Path(__file__).resolve().parent / "catalogue" / "scenarios.yaml"
DEFAULT_YEARS = 5
MAX_YEARS = 30
LANGUAGES = ("id", "en")
BASELINE = "baseline"

# Fallbacks where the data are too thin to derive a driver; each is explained where it is used.
# DJSN's performance target (ICK) 2024 for the DJS yield on investment, a yearly rate.
FALLBACK_INVESTMENT_YIELD = 5.7
FALLBACK_INVESTMENT_YIELD_SOURCE = "ICK DJSN 2024"
# Year the health-service tariffs of Permenkes 3/2023 took effect: a one-off step in claims per
# participant that a growth rate measured across it carries into every projected year.
TARIFF_STEP_YEAR = 2023

# Columns of `Projection.table`, in order.
TABLE_COLUMNS = (
    "year",
    "kind",
    "participants",
    "active_share",
    "premium_income",
    "claims_expense",
    "investment_income",
    "other_net",
    "surplus",
    "net_assets",
    "months_covered",
    "corridor",
)


class ProjectionError(ValueError):
    """The figures of a period do not hold what the projection needs, or a driver is invalid."""


class ScenarioError(ValueError):
    """The scenario file is invalid; the message lists every problem found."""

    def __init__(self, problems: list[str], source: str = "scenarios"):
        self.problems = list(problems)
        super().__init__(f"{source}: " + "; ".join(self.problems))


# --- Small helpers -------------------------------------------------------------------------------
def _check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    return language


def _pct(value: float, language: str, decimals: int = 2) -> str:
    return format_percent(value, decimals, language=language)


def _num(value: float, language: str, decimals: int = 0) -> str:
    return format_number(value, decimals, language=language)


def _rp(value: float, language: str, decimals: int = 2) -> str:
    return format_rupiah(value, decimals, language=language)


def _rp_exact(value: float, language: str) -> str:
    """Rupiah with 2 decimals of its scale word, or 3 where a figure has them (Rp1,388 T)."""
    scaled = abs(value) / 10 ** (3 * max(0, min(4, int(math.log10(abs(value) or 1) // 3))))
    decimals = 2 if abs(scaled * 100 - round(scaled * 100)) < 1e-6 else 3
    return _rp(value, language, decimals)


def _both(build) -> dict[str, str]:
    """``{"id": build("id"), "en": build("en")}``: one text in both languages."""
    return {language: build(language) for language in LANGUAGES}


def _did_you_mean(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- Start ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Start:
    """The fund at the end of the base period: the projection's starting point.

    Parameters
    ----------
    period : Quarter
        The base period; flows run from 1 January to its end.
    premium_income, claims_expense, investment_income : float
        Premium income, claims expense and DJS investment income, year to date, rupiah.
    net_assets : float
        DJS net assets at the period end, rupiah.
    participants : float
        Active participants at the period end (those whose contributions are paid).
    registered : float, optional
        Registered participants at the period end; needed by ``active_share_targets``.
    population : float, optional
        Population (Dukcapil); a projection whose active participants pass it gets a note.
    net_assets_source : str
        The figure code the net assets come from: ``"djs_net_assets"``, or
        ``"months_covered_reported"`` when derived from the published months covered.
    explanation : mapping
        Start value → ``{"id": text, "en": text}``: where it comes from.
    """

    period: Quarter
    premium_income: float
    claims_expense: float
    investment_income: float
    net_assets: float
    participants: float
    registered: float | None = None
    population: float | None = None
    net_assets_source: str = "djs_net_assets"
    explanation: Mapping[str, Mapping[str, str]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self):
        for name in ("premium_income", "claims_expense", "investment_income", "net_assets"):
            if not math.isfinite(getattr(self, name)):
                raise ProjectionError(f"start {name} must be a finite number")
        if not self.claims_expense > 0:
            raise ProjectionError("start claims expense must be positive")
        if not self.participants > 0:
            raise ProjectionError("start active participants must be positive")
        if self.registered is not None and not self.registered > 0:
            raise ProjectionError("start registered participants must be positive")

    @property
    def months_elapsed(self) -> int:
        """Months from 1 January to the end of the base period."""
        return self.period.months_elapsed

    @property
    def net_assets_derived(self) -> bool:
        """Whether the net assets were derived rather than read from ``djs_net_assets``."""
        return self.net_assets_source != "djs_net_assets"

    def annualised(self, flow: str) -> float:
        """A year-to-date flow × 12 / months elapsed (the year at the year-to-date run rate)."""
        return getattr(self, flow) * 12 / self.months_elapsed

    @property
    def months_covered(self) -> float:
        """Months covered at the period end: net assets / (claims year to date / months)."""
        return ind.months_of_claims_covered(
            self.net_assets, self.claims_expense, self.months_elapsed
        )

    @property
    def active_share(self) -> float | None:
        """Active participants / registered participants × 100, or ``None``."""
        if self.registered is None:
            return None
        return ind.active_share_of_registered(self.participants, self.registered)


def derive_start(figures: FigureSet, period: Quarter | str) -> Start:
    """The projection's starting point from the figures of ``period``.

    Net assets come from the figure ``djs_net_assets`` when present; otherwise they are derived
    from the published months covered: ``months_covered_reported × claims_expense_total / m``.

    Raises
    ------
    ProjectionError
        If premium income, claims expense or active participants are missing, or neither the
        net assets nor the published months covered are there.
    """
    period = Quarter.parse(str(period))
    m = period.months_elapsed
    value = figures.value
    needed = ("premium_income", "claims_expense_total", "active_total")
    missing = [code for code in needed if value(code, period) is None]
    if missing:
        raise ProjectionError(
            f"the projection from {period} needs the figure(s) {', '.join(missing)}"
        )
    premium = value("premium_income", period)
    claims = value("claims_expense_total", period)
    participants = value("active_total", period)
    registered = value("registered_participants", period)
    investment = value("djs_investment_income", period)
    explanation: dict[str, dict[str, str]] = {}
    if investment is None:
        investment = 0.0
        explanation["investment_income"] = {
            "id": f"Pendapatan investasi DJS {period} tidak tersedia: dianggap nol.",
            "en": f"DJS investment income for {period} is not available: taken as zero.",
        }
    net_assets = value("djs_net_assets", period)
    if net_assets is not None:
        source = "djs_net_assets"
        explanation["net_assets"] = _both(
            lambda lang: (
                f"Aset neto DJS per akhir {period}: {_rp(net_assets, lang)} (angka data)."
                if lang == "id"
                else f"DJS net assets at the end of {period}: {_rp(net_assets, lang)} (a figure)."
            )
        )
    else:
        published = value("months_covered_reported", period)
        if published is None:
            raise ProjectionError(
                f"the projection from {period} needs the DJS net assets (djs_net_assets) or the "
                "published months covered (months_covered_reported)"
            )
        source = "months_covered_reported"
        net_assets = published * claims / m

        def text(lang: str) -> str:
            formula = (
                f"{_num(published, lang, 2)} × {_rp(claims, lang)} / {m} = {_rp(net_assets, lang)}"
            )
            if lang == "id":
                return (
                    f"Aset neto {period} tidak dipublikasikan: diturunkan dari ketahanan dana "
                    f"yang dipublikasikan, {formula}."
                )
            return (
                f"Net assets for {period} are not published: derived from the published months "
                f"covered, {formula}."
            )

        explanation["net_assets"] = _both(text)
    for name, amount in (
        ("premium_income", premium),
        ("claims_expense", claims),
        ("investment_income", investment),
    ):
        explanation.setdefault(
            name,
            _both(
                lambda lang, amount=amount: (
                    f"Realisasi s.d. {period}; setahun: {_rp_exact(amount, lang)} × 12/{m} = "
                    f"{_rp_exact(amount * 12 / m, lang)}."
                    if lang == "id"
                    else f"Year to {period}; a year: {_rp_exact(amount, lang)} × 12/{m} = "
                    f"{_rp_exact(amount * 12 / m, lang)}."
                )
            ),
        )
    return Start(
        period=period,
        premium_income=premium,
        claims_expense=claims,
        investment_income=investment,
        net_assets=net_assets,
        participants=participants,
        registered=registered,
        population=value("population", period),
        net_assets_source=source,
        explanation=explanation,
    )


# --- Drivers -------------------------------------------------------------------------------------
# Driver name → (unit text id, unit text en, label id, label en).
DRIVER_LABELS: dict[str, dict[str, str]] = {
    "participant_growth": {
        "id": "Pertumbuhan peserta aktif (% per tahun)",
        "en": "Growth of active participants (% a year)",
    },
    "premium_per_participant_growth": {
        "id": "Pertumbuhan iuran per peserta aktif (% per tahun)",
        "en": "Growth of premium income per active participant (% a year)",
    },
    "claims_per_participant_growth": {
        "id": "Pertumbuhan beban jaminan per peserta aktif (% per tahun)",
        "en": "Growth of claims expense per active participant (% a year)",
    },
    "investment_yield": {
        "id": "Imbal hasil investasi atas aset neto awal tahun (% per tahun)",
        "en": "Investment yield on net assets at the start of the year (% a year)",
    },
    "other_net_share": {
        "id": "Pendapatan lain dikurangi beban non-klaim (% dari pendapatan iuran)",
        "en": "Other income less non-claims expenses (% of premium income)",
    },
}


@dataclass(frozen=True)
class Drivers:
    """The named drivers of the projection, in percent.

    Parameters
    ----------
    participant_growth : float
        ``g_N``, growth of active participants, percent a year. Default: year-on-year growth of
        ``active_total`` (2024 Q1 against 2023 Q1: 4,70%).
    premium_per_participant_growth : float
        ``g_p``, growth of premium income per active participant, percent a year (wage growth
        of PPU, changes of segment mix; contribution rate changes belong to scenarios).
        Default: full year of the latest earlier Q4 against the base year annualised, per
        active participant at the period end, as a yearly rate (2022 → 2024: 1,06%).
    claims_per_participant_growth : float
        ``g_c``, growth of claims expense per active participant, percent a year (tariffs and
        utilisation). Default: as ``g_p`` (2022 → 2024: 20,62%, which includes the tariff
        increase of Permenkes 3/2023).
    investment_yield : float
        ``y``, investment income per rupiah of net assets at the start of the year, percent a
        year. Default: the published DJS yield on investment (YoI), year to date, × 12/m
        (2024 Q1: 1,67% × 4 = 6,68%).
    other_net_share : float
        ``o``, other income less non-claims expenses (the operational fund, which regulation
        sets as a share of contributions, and other lines), percent of premium income. Default:
        the published DJS surplus less premium − claims + investment income, over premium
        income (2024 Q1: 2,99%), so that the base year reproduces the published deficit.
    explanation : mapping
        Driver → ``{"id": text, "en": text}``: formula and inputs of its value.
    basis : mapping
        Driver → ``"derived"`` (from the data), ``"fallback"`` (a documented default) or
        ``"override"`` (set by the analyst or a scenario).
    """

    participant_growth: float = 0.0
    premium_per_participant_growth: float = 0.0
    claims_per_participant_growth: float = 0.0
    investment_yield: float = 0.0
    other_net_share: float = 0.0
    explanation: Mapping[str, Mapping[str, str]] = field(
        default_factory=dict, compare=False, repr=False
    )
    basis: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        for name in driver_names():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ProjectionError(f"driver {name} must be a number, not {value!r}")
            if not math.isfinite(value):
                raise ProjectionError(f"driver {name} must be a finite number, not {value!r}")
            if value <= -100:
                raise ProjectionError(
                    f"driver {name} is {value}%: it must be above -100% (a factor 1 + x/100 "
                    "that stays positive)"
                )

    def values(self) -> dict[str, float]:
        """The drivers by name, in percent."""
        return {name: float(getattr(self, name)) for name in driver_names()}

    def with_overrides(self, overrides: Mapping[str, float], *, by: str = "analyst") -> Drivers:
        """These drivers with some replaced; unknown names raise `ProjectionError`.

        The explanation of a replaced driver says who set it and what the default was.
        """
        names = driver_names()
        unknown = [name for name in overrides if name not in names]
        if unknown:
            raise ProjectionError(
                "unknown driver(s): "
                + ", ".join(f"{name!r}{_did_you_mean(name, list(names))}" for name in unknown)
                + f"; drivers are {', '.join(names)}"
            )
        if not overrides:
            return self
        explanation = dict(self.explanation)
        basis = dict(self.basis)
        for name, value in overrides.items():
            before = getattr(self, name)
            who = {"analyst": ("analis", "the analyst"), "scenario": ("skenario", "the scenario")}
            who_id, who_en = who.get(by, (by, by))
            explanation[name] = {
                "id": f"Ditetapkan oleh {who_id}: {_pct(value, 'id')} (nilai dasar "
                f"{_pct(before, 'id')}).",
                "en": f"Set by {who_en}: {_pct(value, 'en')} (default {_pct(before, 'en')}).",
            }
            basis[name] = "override"
        changed = {name: value for name, value in overrides.items()}
        return replace(self, **changed, explanation=explanation, basis=basis)


def driver_names() -> tuple[str, ...]:
    """Names of the drivers, in the order of `Drivers`."""
    return tuple(f.name for f in fields(Drivers) if f.name not in ("explanation", "basis"))


def _reference_year(figures: FigureSet, period: Quarter, codes: tuple[str, ...]) -> Quarter | None:
    """The latest fourth quarter of an earlier year holding all ``codes`` (a full year)."""
    candidates = [
        q
        for q in figures.periods
        if q.quarter == 4
        and q.year < period.year
        and all(figures.value(code, q) is not None for code in codes)
    ]
    return max(candidates) if candidates else None


def _yearly_rate(ratio: float, years: float) -> float:
    """The constant yearly growth, percent, that multiplies a value by ``ratio`` in ``years``."""
    return (ratio ** (1 / years) - 1) * 100


def _participant_growth(figures: FigureSet, period: Quarter, start: Start):
    now = start.participants
    earlier = [
        q
        for q in figures.periods
        if q < period and figures.value("active_total", q) is not None and q <= period.year_earlier
    ]
    if figures.value("active_total", period.year_earlier) is not None:
        reference = period.year_earlier
    elif earlier:
        reference = max(earlier)
    else:
        reference = None
    if reference is None:
        return (
            0.0,
            "fallback",
            {
                "id": "Riwayat peserta aktif kurang dari setahun: pertumbuhan dianggap 0% per "
                "tahun; tetapkan nilainya bila ada sumber lain.",
                "en": "Less than a year of active-participant history: growth taken as 0% a "
                "year; set it where another source exists.",
            },
        )
    before = figures.value("active_total", reference)
    months = (period.year - reference.year) * 12 + period.months_elapsed - reference.months_elapsed
    years = months / 12
    rate = _yearly_rate(now / before, years)

    def text(lang: str) -> str:
        if years == 1:
            formula = f"({_num(now, lang)} / {_num(before, lang)} − 1) × 100 = {_pct(rate, lang)}"
        else:
            formula = (
                f"(({_num(now, lang)} / {_num(before, lang)})^(12/{months}) − 1) × 100 = "
                f"{_pct(rate, lang)}"
            )
        if lang == "id":
            return f"Pertumbuhan peserta aktif {reference} → {period}: {formula}."
        return f"Growth of active participants {reference} → {period}: {formula}."

    return rate, "derived", _both(text)


def _per_participant_growth(figures: FigureSet, period: Quarter, start: Start, flow: str):
    """Growth per active participant of a flow: reference full year → base year annualised."""
    code = {"premium_income": "premium_income", "claims_expense": "claims_expense_total"}[flow]
    reference = _reference_year(figures, period, (code, "active_total"))
    noun = {
        "premium_income": ("pendapatan iuran", "premium income"),
        "claims_expense": ("beban jaminan", "claims expense"),
    }[flow]
    if reference is None:
        if flow == "premium_income":
            note = {
                "id": "Tidak ada tahun penuh sebelumnya dengan pendapatan iuran dan peserta aktif: "
                "iuran per peserta dianggap tetap (0% per tahun), sebagaimana besaran iuran "
                "Perpres 64/2020 berlaku sampai diubah.",
                "en": "No earlier full year with premium income and active participants: premium "
                "per participant held constant (0% a year), as the contribution rates of "
                "Perpres 64/2020 apply until changed.",
            }
        else:
            note = {
                "id": "Tidak ada tahun penuh sebelumnya dengan beban jaminan dan peserta aktif: "
                "beban per peserta dianggap tetap (0% per tahun); angka sementara, tetapkan "
                "nilainya.",
                "en": "No earlier full year with claims expense and active participants: claims "
                "per participant held constant (0% a year); a placeholder, set it.",
            }
        return 0.0, "fallback", note
    then_total = figures.value(code, reference)
    then_participants = figures.value("active_total", reference)
    then = then_total / then_participants
    now_total = start.annualised(flow)
    now = now_total / start.participants
    years = period.year - reference.year
    rate = _yearly_rate(now / then, years)
    m = start.months_elapsed

    def text(lang: str) -> str:
        then_text = (
            f"{_rp(then_total, lang)} / {_num(then_participants, lang)} = {_rp_unit(then, lang)}"
        )
        now_text = (
            f"{_rp(getattr(start, flow), lang)} × 12/{m} / {_num(start.participants, lang)} = "
            f"{_rp_unit(now, lang)}"
        )
        root = "" if years == 1 else f"^(1/{years})"
        formula = (
            f"(({_rp_unit(now, lang)} / {_rp_unit(then, lang)}){root} − 1) × 100 = "
            f"{_pct(rate, lang)}"
        )
        tariff = reference.year < TARIFF_STEP_YEAR <= period.year
        if lang == "id":
            note = (
                " Rentang ini memuat kenaikan tarif Permenkes 3/2023 (mulai 2023), kenaikan sekali "
                "jadi: bila tidak berulang, tren ini pesimistis."
                if tariff and flow == "claims_expense"
                else ""
            )
            return (
                f"{noun[0].capitalize()} per peserta aktif: tahun {reference.year} "
                f"{then_text}; tahun {period.year} (s.d. {period}, disetahunkan) {now_text}; "
                f"pertumbuhan per tahun {formula}.{note}"
            )
        note = (
            " The span includes the tariff increase of Permenkes 3/2023 (from 2023), a one-off "
            "step: if it is not repeated, this trend is pessimistic."
            if tariff and flow == "claims_expense"
            else ""
        )
        return (
            f"{noun[1].capitalize()} per active participant: {reference.year} {then_text}; "
            f"{period.year} (year to {period}, annualised) {now_text}; growth a year "
            f"{formula}.{note}"
        )

    return rate, "derived", _both(text)


def _rp_unit(value: float, language: str) -> str:
    """Rupiah per participant, written in full: ``Rp719.808``."""
    body = _num(value, language)
    return f"Rp{body}" if language == "id" else f"IDR {body}"


def _investment_yield(figures: FigureSet, period: Quarter, start: Start):
    m = start.months_elapsed
    published = figures.value("djs_investment_yield", period)
    if published is not None:
        rate = published * 12 / m

        def text(lang: str) -> str:
            formula = f"{_pct(published, lang)} × 12/{m} = {_pct(rate, lang)}"
            if lang == "id":
                return (
                    f"YoI DJS s.d. {period} disetahunkan: {formula}, dikenakan pada aset neto "
                    "awal tahun. Dana investasi juga memuat dana untuk kewajiban; hasilnya tidak "
                    "dihitung (pilihan hati-hati)."
                )
            return (
                f"DJS yield on investment to {period}, annualised: {formula}, applied to the "
                "net assets at the start of each year. The portfolio also holds funds backing "
                "liabilities; their income is left out (a prudent choice)."
            )

        return rate, "derived", _both(text)
    if start.investment_income and start.net_assets > 0:
        annual = start.annualised("investment_income")
        rate = annual / start.net_assets * 100

        def text(lang: str) -> str:
            formula = (
                f"{_rp_exact(start.investment_income, lang)} × 12/{m} / "
                f"{_rp(start.net_assets, lang)} × 100 = {_pct(rate, lang)}"
            )
            if lang == "id":
                return f"Pendapatan investasi disetahunkan terhadap aset neto {period}: {formula}."
            return f"Annualised investment income over the net assets of {period}: {formula}."

        return rate, "derived", _both(text)
    target = figures.value("djs_investment_yield_target", period)
    rate = FALLBACK_INVESTMENT_YIELD if target is None else target
    return (
        rate,
        "fallback",
        _both(
            lambda lang: (
                f"YoI DJS tidak tersedia untuk {period}: dipakai target YoI "
                f"{FALLBACK_INVESTMENT_YIELD_SOURCE}, {_pct(rate, lang)} per tahun."
                if lang == "id"
                else f"No DJS yield on investment for {period}: the YoI target of "
                f"{FALLBACK_INVESTMENT_YIELD_SOURCE}, {_pct(rate, lang)} a year, is used."
            )
        ),
    )


def _other_net_share(figures: FigureSet, period: Quarter, start: Start):
    premium, claims, investment = (
        start.premium_income,
        start.claims_expense,
        start.investment_income,
    )
    surplus = figures.value("djs_surplus_reported", period)
    revenue = figures.value("djs_revenue_total", period)
    expenses = figures.value("djs_expense_total", period)
    if surplus is None and revenue is not None and expenses is not None:
        surplus = revenue - expenses
    if surplus is None or not premium > 0:
        return (
            0.0,
            "fallback",
            {
                "id": f"Surplus (defisit) DJS {period} tidak tersedia: hanya iuran, beban "
                "jaminan dan pendapatan investasi yang dihitung (0%).",
                "en": f"No DJS surplus (deficit) for {period}: only premiums, claims and "
                "investment income are counted (0%).",
            },
        )
    other = surplus - (premium - claims + investment)
    rate = other / premium * 100

    def text(lang: str) -> str:
        p, c, i = (_rp_exact(v, lang) for v in (premium, claims, investment))
        formula = (
            f"({_rp_exact(surplus, lang)} − ({p} − {c} + {i})) / {p} × 100 = {_pct(rate, lang)}"
        )
        if lang == "id":
            return (
                f"Pendapatan lain dikurangi beban selain jaminan (antara lain dana operasional, "
                f"yang ditetapkan sebagai porsi iuran) terhadap iuran, s.d. {period}: {formula}. "
                "Dengan nilai ini, perkiraan tahun berjalan sama dengan surplus (defisit) yang "
                "dipublikasikan, disetahunkan."
            )
        return (
            f"Other income less expenses other than claims (among them the operational fund, "
            f"set as a share of contributions) over premium income, year to {period}: {formula}. "
            "With it, the current year's estimate equals the published surplus (deficit), "
            "annualised."
        )

    return rate, "derived", _both(text)


def derive_drivers(
    figures: FigureSet, period: Quarter | str, start: Start | None = None
) -> Drivers:
    """Default drivers derived from the history in ``figures`` up to ``period``.

    Each driver's ``explanation`` gives its formula and inputs in Indonesian and English;
    ``basis`` says whether it was derived or fell back to a documented default.

    Parameters
    ----------
    figures : FigureSet
        Figures of the base period and earlier periods.
    period : Quarter or str
        The base period.
    start : Start, optional
        The starting point (`derive_start`); derived here when omitted.
    """
    period = Quarter.parse(str(period))
    start = start or derive_start(figures, period)
    derived = {
        "participant_growth": _participant_growth(figures, period, start),
        "premium_per_participant_growth": _per_participant_growth(
            figures, period, start, "premium_income"
        ),
        "claims_per_participant_growth": _per_participant_growth(
            figures, period, start, "claims_expense"
        ),
        "investment_yield": _investment_yield(figures, period, start),
        "other_net_share": _other_net_share(figures, period, start),
    }
    return Drivers(
        **{name: value for name, (value, _, _) in derived.items()},
        explanation={name: text for name, (_, _, text) in derived.items()},
        basis={name: basis for name, (_, basis, _) in derived.items()},
    )


# --- Scenarios -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """An adjustment taking effect from a year on: ``amount`` (percent or points), ``from_year``."""

    amount: float
    from_year: int


@dataclass(frozen=True)
class Scenario:
    """A named scenario: driver overrides and adjustments (see ``catalogue/scenarios.yaml``).

    Parameters
    ----------
    name : str
        Identifier (``baseline``, ``premium_adjustment``...).
    label, description : dict
        ``{"id": ..., "en": ...}``.
    illustrative : bool
        Its parameters are examples chosen to show an effect, not a decided policy.
    source : str
        Where its parameters come from (a regulation), or ``""``.
    drivers : dict
        Driver overrides, percent.
    premium_increase : Step, optional
        Contribution increase of ``amount`` percent, once, in ``from_year`` (a lasting step).
    claims_growth_cut : Step, optional
        Claims-per-participant growth lowered by ``amount`` points from ``from_year`` on.
    active_share_targets : dict
        Year → active share of registered participants, percent, reached that year.
    """

    name: str
    label: Mapping[str, str]
    description: Mapping[str, str]
    illustrative: bool = False
    source: str = ""
    drivers: Mapping[str, float] = field(default_factory=dict)
    premium_increase: Step | None = None
    claims_growth_cut: Step | None = None
    active_share_targets: Mapping[int, float] = field(default_factory=dict)


BASELINE_SCENARIO = Scenario(
    BASELINE,
    {"id": "Dasar", "en": "Baseline"},
    {"id": "Tren terkini.", "en": "Recent trends."},
)

_SCENARIO_KEYS = {
    "label",
    "description",
    "illustrative",
    "source",
    "drivers",
    "premium_increase",
    "claims_growth_cut",
    "active_share_targets",
}
_STEP_KEYS = {
    "premium_increase": ("percent", "from_year"),
    "claims_growth_cut": ("points", "from_year"),
}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_year(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 2000 <= value <= 2100


def _texts(value: Any, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != set(LANGUAGES):
        problems.append(f"{where} must give a text for each of id and en")
        return {language: "" for language in LANGUAGES}
    for language in LANGUAGES:
        if not isinstance(value[language], str) or not value[language].strip():
            problems.append(f"{where}.{language} must be a non-empty text")
    return {language: str(value[language]) for language in LANGUAGES}


def _scenario(name: str, body: Any, problems: list[str]) -> Scenario | None:
    where = f"scenario {name!r}"
    if not _NAME.match(str(name)):
        problems.append(f"{where}: a name is lower case letters, digits and _")
    if not isinstance(body, dict):
        problems.append(f"{where} must be a mapping")
        return None
    unknown = sorted(set(body) - _SCENARIO_KEYS)
    for key in unknown:
        problems.append(f"{where}: unknown key {key!r}{_did_you_mean(key, sorted(_SCENARIO_KEYS))}")
    for key in ("label", "description"):
        if key not in body:
            problems.append(f"{where}: {key} is missing")
    label = _texts(body.get("label"), f"{where}.label", problems) if "label" in body else {}
    description = (
        _texts(body.get("description"), f"{where}.description", problems)
        if "description" in body
        else {}
    )
    illustrative = body.get("illustrative", False)
    if not isinstance(illustrative, bool):
        problems.append(f"{where}.illustrative must be true or false")
    source = body.get("source", "")
    if not isinstance(source, str):
        problems.append(f"{where}.source must be a text")
    drivers = body.get("drivers") or {}
    if not isinstance(drivers, dict):
        problems.append(f"{where}.drivers must map driver names to numbers")
        drivers = {}
    names = list(driver_names())
    for driver, value in drivers.items():
        if driver not in names:
            problems.append(
                f"{where}.drivers: unknown driver {driver!r}{_did_you_mean(str(driver), names)}"
                f"; drivers are {', '.join(names)}"
            )
        elif not _is_number(value) or value <= -100:
            problems.append(f"{where}.drivers.{driver} must be a number above -100")
    steps: dict[str, Step | None] = {}
    for key, (amount_key, year_key) in _STEP_KEYS.items():
        spec = body.get(key)
        steps[key] = None
        if spec is None:
            continue
        if not isinstance(spec, dict) or set(spec) != {amount_key, year_key}:
            problems.append(f"{where}.{key} must have exactly {amount_key} and {year_key}")
            continue
        amount, year = spec[amount_key], spec[year_key]
        if not _is_number(amount) or (key == "premium_increase" and amount <= -100):
            problems.append(f"{where}.{key}.{amount_key} must be a number (above -100)")
            continue
        if not _is_year(year):
            problems.append(f"{where}.{key}.{year_key} must be a year (2000-2100)")
            continue
        steps[key] = Step(float(amount), year)
    targets = body.get("active_share_targets") or {}
    if not isinstance(targets, dict):
        problems.append(f"{where}.active_share_targets must map years to percentages")
        targets = {}
    for year, share in targets.items():
        if not _is_year(year):
            problems.append(f"{where}.active_share_targets: {year!r} is not a year (2000-2100)")
        if not _is_number(share) or not 0 < share <= 100:
            problems.append(f"{where}.active_share_targets.{year} must be a percentage in (0, 100]")
    return Scenario(
        name=str(name),
        label=label,
        description=description,
        illustrative=illustrative is True,
        source=source if isinstance(source, str) else "",
        drivers={k: float(v) for k, v in drivers.items() if k in names and _is_number(v)},
        premium_increase=steps["premium_increase"],
        claims_growth_cut=steps["claims_growth_cut"],
        active_share_targets={
            int(y): float(s) for y, s in sorted(targets.items()) if _is_year(y) and _is_number(s)
        },
    )


def parse_scenarios(document: Any, source: str = "scenarios") -> dict[str, Scenario]:
    """Scenarios from a loaded YAML document ``{"scenarios": {name: {...}}}``, baseline first.

    Raises
    ------
    ScenarioError
        With every problem found: unknown keys or driver names (with a suggestion), missing
        labels, values of the wrong kind, no ``baseline``.
    """
    problems: list[str] = []
    if not isinstance(document, dict) or not isinstance(document.get("scenarios"), dict):
        raise ScenarioError(
            ["the file must hold a mapping 'scenarios:' of named scenarios"], source
        )
    for key in sorted(set(document) - {"scenarios"}):
        problems.append(f"unknown top-level key {key!r}")
    scenarios = {}
    for name, body in document["scenarios"].items():
        scenario = _scenario(name, body, problems)
        if scenario is not None:
            scenarios[str(name)] = scenario
    if BASELINE not in document["scenarios"]:
        problems.append(f"a scenario named {BASELINE!r} is required")
    if problems:
        raise ScenarioError(problems, source)
    return {BASELINE: scenarios[BASELINE]} | {
        name: scenario for name, scenario in scenarios.items() if name != BASELINE
    }


def load_scenarios(path: Path | str | None = None) -> dict[str, Scenario]:
    """Scenarios of a YAML file (the packaged ``catalogue/scenarios.yaml`` by default).

    Raises
    ------
    ScenarioError
        If the file cannot be read or parsed, or is invalid (every problem at once).
    """
    path = Path(path) if path else SCENARIO_FILE
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ScenarioError([f"cannot read the scenario file: {error}"], str(path)) from error
    return parse_scenarios(document, str(path))


# --- Projection ----------------------------------------------------------------------------------
def _share_path(
    start: Start, targets: Mapping[int, float], years: list[int]
) -> dict[int, float] | None:
    """Active share per year: linear from the start share in the base year through the targets,
    held after the last target; never below the start share (a target is a minimum)."""
    if not targets:
        return None
    if start.active_share is None:
        raise ProjectionError(
            "active_share_targets need the registered participants of the base period "
            "(registered_participants)"
        )
    base = start.period.year
    points = [(base, start.active_share)] + [(y, s) for y, s in sorted(targets.items()) if y > base]
    path = {}
    for year in years:
        if year >= points[-1][0]:
            share = points[-1][1]
        else:
            (y0, s0), (y1, s1) = next(
                (points[i], points[i + 1])
                for i in range(len(points) - 1)
                if points[i][0] <= year < points[i + 1][0]
            )
            share = s0 + (s1 - s0) * (year - y0) / (y1 - y0)
        path[year] = max(share, start.active_share)
    return path


@dataclass(frozen=True)
class Projection:
    """A scenario's projection: a table per year and the years it crosses the thresholds.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per year (`TABLE_COLUMNS`): ``year``; ``kind`` (``"estimate"`` for the base year
        at its year-to-date run rate, ``"projection"`` after it); ``participants`` (active);
        ``active_share`` (of registered, percent; NaN when registered participants are not
        known); ``premium_income``, ``claims_expense``, ``investment_income``, ``other_net``,
        ``surplus`` (rupiah, for the year); ``net_assets`` (rupiah, at the year end);
        ``months_covered``; ``corridor`` (``below``/``within``/``above``).
    first_year_below_floor : int or None
        First year whose months covered are strictly below ``floor``.
    first_year_exhausted : int or None
        First year whose net assets at the year end are zero or negative.
    """

    scenario: Scenario
    start: Start
    drivers: Drivers
    table: pd.DataFrame
    first_year_below_floor: int | None
    first_year_exhausted: int | None
    floor: float = ind.CORRIDOR_FLOOR_MONTHS
    notes: tuple[Mapping[str, str], ...] = ()

    @property
    def years(self) -> list[int]:
        """The years of the table, base year first."""
        return [int(year) for year in self.table["year"]]

    def row(self, year: int) -> dict[str, Any]:
        """The table's row of ``year`` as a dict."""
        rows = self.table[self.table["year"] == year]
        if rows.empty:
            raise KeyError(f"no year {year} in the projection ({self.years[0]}-{self.years[-1]})")
        return rows.iloc[0].to_dict()

    def summary(self, language: str = "id") -> str:
        """One sentence on the scenario's outcome, ready for the report's text."""
        _check_language(language)
        label = self.scenario.label[language]
        last = self.row(self.years[-1])
        floor = _num(self.floor, language, 1)
        months = _num(last["months_covered"], language, 2)
        assets = _rp(last["net_assets"], language)
        year_end = self.years[-1]
        below, out = self.first_year_below_floor, self.first_year_exhausted
        if language == "id":
            if below is None:
                return (
                    f"{label}: ketahanan dana tetap sekurang-kurangnya {floor} bulan sampai "
                    f"akhir {year_end} ({months} bulan; aset neto {assets})."
                )
            text = f"{label}: ketahanan dana turun di bawah {floor} bulan pada akhir {below}"
            if out is not None:
                text += f" dan aset neto habis pada {out}"
            return text + f"; pada akhir {year_end} aset neto {assets}."
        if below is None:
            return (
                f"{label}: months covered stay at {floor} or more until the end of {year_end} "
                f"({months} months; net assets {assets})."
            )
        text = f"{label}: months covered fall below {floor} at the end of {below}"
        if out is not None:
            text += f" and net assets run out in {out}"
        return text + f"; net assets at the end of {year_end}: {assets}."

    def display_table(self, language: str = "id") -> pd.DataFrame:
        """The table with labelled columns and values written as the report writes them."""
        _check_language(language)
        frame = self.table
        rupiah = ("premium_income", "claims_expense", "investment_income", "other_net")
        out = pd.DataFrame(
            {
                COLUMN_LABELS["year"][language]: [
                    f"{year}*" if kind == "estimate" else str(year)
                    for year, kind in zip(frame["year"], frame["kind"], strict=True)
                ],
                COLUMN_LABELS["participants"][language]: [
                    format_compact(v, 1, language=language) for v in frame["participants"]
                ],
                **{
                    COLUMN_LABELS[c][language]: [_rp(v, language) for v in frame[c]] for c in rupiah
                },
                COLUMN_LABELS["surplus"][language]: [_rp(v, language) for v in frame["surplus"]],
                COLUMN_LABELS["net_assets"][language]: [
                    _rp(v, language) for v in frame["net_assets"]
                ],
                COLUMN_LABELS["months_covered"][language]: [
                    _num(v, language, 2) for v in frame["months_covered"]
                ],
            }
        )
        return out

    def to_html(self, language: str = "id") -> str:
        """The table as an HTML ``<table>`` with its summary and footnote."""
        frame = self.display_table(language)
        m = self.start.months_elapsed
        note = (
            f"* Perkiraan: realisasi s.d. {self.start.period.label('id')} × 12/{m}."
            if language == "id"
            else f"* Estimate: year to {self.start.period.label('en')} × 12/{m}."
        )
        notes = [note] + [n[language] for n in self.notes]
        return (
            f'<section class="projection" id="projection-{html.escape(self.scenario.name)}">'
            f"<h3>{html.escape(self.scenario.label[language])}</h3>"
            f"<p>{html.escape(self.summary(language))}</p>"
            + _html_table(frame)
            + "".join(f'<p class="note">{html.escape(n)}</p>' for n in notes)
            + "</section>"
        )

    def _repr_html_(self) -> str:
        return self.to_html("id")


COLUMN_LABELS: dict[str, dict[str, str]] = {
    "year": {"id": "Tahun", "en": "Year"},
    "participants": {"id": "Peserta aktif", "en": "Active participants"},
    "premium_income": {"id": "Pendapatan iuran", "en": "Premium income"},
    "claims_expense": {"id": "Beban jaminan", "en": "Claims expense"},
    "investment_income": {"id": "Pendapatan investasi", "en": "Investment income"},
    "other_net": {"id": "Lain-lain neto", "en": "Other, net"},
    "surplus": {"id": "Surplus (defisit)", "en": "Surplus (deficit)"},
    "net_assets": {"id": "Aset neto akhir tahun", "en": "Net assets at year end"},
    "months_covered": {"id": "Ketahanan dana (bulan)", "en": "Months covered"},
}


def _html_table(frame: pd.DataFrame, *, first_column_header: bool = True) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for position, value in enumerate(values):
            tag = "th" if first_column_header and position == 0 else "td"
            cells.append(f"<{tag}>{html.escape(str(value))}</{tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def project(
    start: Start,
    drivers: Drivers,
    years: int = DEFAULT_YEARS,
    scenario: Scenario | None = None,
    *,
    floor: float = ind.CORRIDOR_FLOOR_MONTHS,
) -> Projection:
    """Project the fund from ``start`` over the base year and ``years`` further years.

    The formulas are those of the module documentation; ``scenario`` (the baseline, with no
    adjustment, when omitted) adds its driver overrides and adjustments. A contribution increase
    dated in or before the base year is taken as already in the observed figures and is not
    applied again (the projection's ``notes`` say so); a cut of claims growth is a lasting
    change of rate, applied in every projected year from its year on (so in all of them when it
    is dated earlier).

    Parameters
    ----------
    start : Start
        The fund at the end of the base period.
    drivers : Drivers
        Drivers before the scenario's own overrides.
    years : int, default 5
        Years projected after the base year (the table has ``years + 1`` rows).
    scenario : Scenario, optional
        The scenario; the baseline when omitted.
    floor : float, default 1.5
        Months covered below which the fund is unhealthy (PP 53/2018).

    Returns
    -------
    Projection

    Raises
    ------
    ProjectionError
        If ``years`` is out of range, the scenario needs a figure the start lacks, or claims
        growth after a cut is -100% or lower.
    """
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= MAX_YEARS:
        raise ProjectionError(f"years must be a whole number from 1 to {MAX_YEARS}, not {years!r}")
    scenario = scenario or BASELINE_SCENARIO
    drivers = drivers.with_overrides(dict(scenario.drivers), by="scenario")
    base = start.period.year
    calendar = [base + t for t in range(years + 1)]
    notes: list[dict[str, str]] = []
    step = scenario.premium_increase
    if step is not None and step.from_year <= base:
        notes.append(
            {
                "id": f"Kenaikan iuran mulai {step.from_year} dianggap sudah tercermin dalam "
                f"realisasi {start.period}: tidak diterapkan lagi.",
                "en": f"The contribution increase from {step.from_year} is taken as already in "
                f"the figures of {start.period}: not applied again.",
            }
        )
    shares = _share_path(start, scenario.active_share_targets, calendar)
    g_n, g_p, g_c = (
        drivers.participant_growth,
        drivers.premium_per_participant_growth,
        drivers.claims_per_participant_growth,
    )
    y, o = drivers.investment_yield, drivers.other_net_share
    m = start.months_elapsed

    # Year 0: the base year at its year-to-date run rate.
    participants = start.participants
    premium = start.annualised("premium_income")
    claims = start.annualised("claims_expense")
    investment = start.annualised("investment_income")
    other = o / 100 * premium
    surplus = premium - claims + investment + other
    net_assets = start.net_assets + surplus * (12 - m) / 12
    share = start.active_share
    rows = [
        {
            "year": base,
            "kind": "estimate",
            "participants": participants,
            "active_share": share,
            "premium_income": premium,
            "claims_expense": claims,
            "investment_income": investment,
            "other_net": other,
            "surplus": surplus,
            "net_assets": net_assets,
        }
    ]
    for year in calendar[1:]:
        growth_n = 1 + g_n / 100
        if shares is not None:
            growth_n *= shares[year] / shares[year - 1]
            share = shares[year]
        # Otherwise the active share stays as it is: registered participants grow alike.
        participants *= growth_n
        step = scenario.premium_increase
        increase = step.amount if step is not None and step.from_year == year else 0.0
        premium *= growth_n * (1 + g_p / 100) * (1 + increase / 100)
        cut = scenario.claims_growth_cut
        claims_rate = g_c - (cut.amount if cut is not None and year >= cut.from_year else 0.0)
        if claims_rate <= -100:
            raise ProjectionError(
                f"claims per participant growth in {year} is {claims_rate}% after the cut: "
                "it must stay above -100%"
            )
        claims *= growth_n * (1 + claims_rate / 100)
        investment = y / 100 * net_assets
        other = o / 100 * premium
        surplus = premium - claims + investment + other
        net_assets += surplus
        rows.append(
            {
                "year": year,
                "kind": "projection",
                "participants": participants,
                "active_share": share,
                "premium_income": premium,
                "claims_expense": claims,
                "investment_income": investment,
                "other_net": other,
                "surplus": surplus,
                "net_assets": net_assets,
            }
        )
    table = pd.DataFrame(rows)
    if start.population is not None and (table["participants"] > start.population).any():
        year = int(table.loc[table["participants"] > start.population, "year"].iloc[0])
        people = _num(start.population, "id"), _num(start.population, "en")
        notes.append(
            {
                "id": f"Peserta aktif melampaui jumlah penduduk {start.period} ({people[0]}) pada "
                f"{year}: pertumbuhan peserta terlalu tinggi untuk jangka ini; tetapkan lebih "
                "rendah bila beralasan.",
                "en": f"Active participants pass the population of {start.period} ({people[1]}) "
                f"in {year}: participant growth is too high for this horizon; set it lower "
                "where justified.",
            }
        )
    table["active_share"] = table["active_share"].astype(float)
    table["months_covered"] = [
        ind.months_of_claims_covered(a, c, 12)
        for a, c in zip(table["net_assets"], table["claims_expense"], strict=True)
    ]
    table["corridor"] = [ind.corridor_position(value) for value in table["months_covered"]]
    below = [
        int(year)
        for year, months in zip(table["year"], table["months_covered"], strict=True)
        if ind.corridor_position(months, floor=floor, ceiling=max(floor, 6.0)) == "below"
    ]
    exhausted = [
        int(year)
        for year, assets in zip(table["year"], table["net_assets"], strict=True)
        if assets <= 0
    ]
    return Projection(
        scenario=scenario,
        start=start,
        drivers=drivers,
        table=table,
        first_year_below_floor=below[0] if below else None,
        first_year_exhausted=exhausted[0] if exhausted else None,
        floor=floor,
        notes=tuple(notes),
    )


# --- All scenarios of a period -------------------------------------------------------------------
def parse_overrides(overrides: str | Mapping[str, float] | None) -> dict[str, float]:
    """Driver overrides from a mapping or a JSON object string (``""`` or ``None``: none).

    Raises
    ------
    ProjectionError
        If the string is not a JSON object of numbers.
    """
    if overrides is None or (isinstance(overrides, str) and not overrides.strip()):
        return {}
    if isinstance(overrides, str):
        try:
            overrides = json.loads(overrides)
        except json.JSONDecodeError as error:
            raise ProjectionError(
                f"overrides must be a JSON object such as "
                f"'{{\"claims_per_participant_growth\": 5.0}}': {error}"
            ) from error
    if not isinstance(overrides, Mapping):
        raise ProjectionError("overrides must be a JSON object of driver names and numbers")
    for name, value in overrides.items():
        if not _is_number(value):
            raise ProjectionError(f"override {name!r} must be a number, not {value!r}")
    return {str(name): float(value) for name, value in overrides.items()}


@dataclass(frozen=True)
class ProjectionResults(Mapping[str, Projection]):
    """Projections of every scenario from one start: scenario name → `Projection`.

    Attributes
    ----------
    start : Start
    drivers : Drivers
        Drivers after the analyst's overrides, before each scenario's own.
    default_drivers : Drivers
        Drivers as derived from the data.
    projections : dict
        Scenario name → `Projection`, baseline first.
    """

    start: Start
    drivers: Drivers
    default_drivers: Drivers
    projections: Mapping[str, Projection]

    def __getitem__(self, name: str) -> Projection:
        return self.projections[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.projections)

    def __len__(self) -> int:
        return len(self.projections)

    @property
    def baseline(self) -> Projection:
        return self.projections[BASELINE]

    def summaries(self, language: str = "id") -> dict[str, str]:
        """Scenario name → one sentence on its outcome (`Projection.summary`)."""
        return {name: p.summary(language) for name, p in self.projections.items()}

    def crossings(self) -> pd.DataFrame:
        """One row per scenario: ``scenario``, ``first_year_below_floor``,
        ``first_year_exhausted`` (``None`` when never), months covered and net assets at the
        end of the last year."""
        rows = []
        for name, p in self.projections.items():
            last = p.row(p.years[-1])
            rows.append(
                {
                    "scenario": name,
                    "first_year_below_floor": p.first_year_below_floor,
                    "first_year_exhausted": p.first_year_exhausted,
                    "last_year": p.years[-1],
                    "months_covered": last["months_covered"],
                    "net_assets": last["net_assets"],
                }
            )
        return pd.DataFrame(rows).astype(
            {"first_year_below_floor": object, "first_year_exhausted": object}
        )

    def chart_data(self, language: str = "id") -> pd.DataFrame:
        """Months covered per scenario and year, for `jkn_analysis.charts.projection_chart`:
        columns ``year`` (text), ``scenario`` (label), ``value`` (months), ``baseline``."""
        _check_language(language)
        rows = [
            {
                "year": str(int(year)),
                "scenario": p.scenario.label[language],
                "value": float(months),
                "baseline": name == BASELINE,
            }
            for name, p in self.projections.items()
            for year, months in zip(p.table["year"], p.table["months_covered"], strict=True)
        ]
        return pd.DataFrame(rows)

    def indicators(self) -> list[Indicator]:
        """Records for ``indicators.json``, period = the base period.

        Codes (dimensions ``scenario`` and, per year, ``year``): ``projection_months_covered``
        (months), ``projection_net_assets`` and ``projection_surplus`` (rupiah),
        ``projection_first_year_below_floor`` and ``projection_first_year_exhausted`` (a year,
        or ``"none"``), and ``projection_driver`` (percent, dimension ``driver``).
        """
        period = str(self.start.period)
        inputs = (
            "premium_income",
            "claims_expense_total",
            "djs_investment_income",
            self.start.net_assets_source,
            "active_total",
        )
        items = []
        for name, p in self.projections.items():
            for row in p.table.itertuples(index=False):
                dims = {"scenario": name, "year": str(int(row.year))}
                for code, value, unit in (
                    ("projection_months_covered", row.months_covered, "months"),
                    ("projection_net_assets", row.net_assets, "rupiah"),
                    ("projection_surplus", row.surplus, "rupiah"),
                ):
                    items.append(
                        Indicator(code, float(value), unit, period, dims, "computed", inputs)
                    )
            for code, year in (
                ("projection_first_year_below_floor", p.first_year_below_floor),
                ("projection_first_year_exhausted", p.first_year_exhausted),
            ):
                items.append(
                    Indicator(
                        code,
                        "none" if year is None else str(year),
                        "category",
                        period,
                        {"scenario": name},
                        "computed",
                        ("projection_months_covered",),
                    )
                )
        for driver, value in self.drivers.values().items():
            items.append(
                Indicator(
                    "projection_driver",
                    value,
                    "percent",
                    period,
                    {"driver": driver},
                    "computed" if self.drivers.basis.get(driver) == "derived" else "reported",
                    inputs,
                )
            )
        return items

    def as_json(self) -> dict:
        """Everything as plain JSON-ready data: start, drivers, scenarios with their tables."""
        start = self.start
        return {
            "period": str(start.period),
            "start": {
                "premium_income": start.premium_income,
                "claims_expense": start.claims_expense,
                "investment_income": start.investment_income,
                "net_assets": start.net_assets,
                "net_assets_source": start.net_assets_source,
                "participants": start.participants,
                "registered": start.registered,
                "months_covered": start.months_covered,
                "explanation": {k: dict(v) for k, v in start.explanation.items()},
            },
            "drivers": {
                name: {
                    "value": value,
                    "default": self.default_drivers.values()[name],
                    "basis": self.drivers.basis.get(name, ""),
                    "explanation": dict(self.drivers.explanation.get(name, {})),
                }
                for name, value in self.drivers.values().items()
            },
            "scenarios": {
                name: {
                    "label": dict(p.scenario.label),
                    "illustrative": p.scenario.illustrative,
                    "drivers": p.drivers.values(),
                    "first_year_below_floor": p.first_year_below_floor,
                    "first_year_exhausted": p.first_year_exhausted,
                    "summary": {lang: p.summary(lang) for lang in LANGUAGES},
                    "table": json.loads(p.table.to_json(orient="records")),
                }
                for name, p in self.projections.items()
            },
        }


def project_scenarios(
    figures: FigureSet,
    period: Quarter | str,
    *,
    scenarios: Mapping[str, Scenario] | Path | str | None = None,
    years: int = DEFAULT_YEARS,
    overrides: str | Mapping[str, float] | None = None,
) -> ProjectionResults:
    """Project every scenario from the figures of ``period``: the entry point for the report.

    Parameters
    ----------
    figures : FigureSet
        Figures up to ``period`` (`jkn_analysis.loading.load_figures`).
    period : Quarter or str
        The base period.
    scenarios : mapping, path or str, optional
        Scenarios, or a scenario file; the packaged ``catalogue/scenarios.yaml`` when omitted
        or ``""``.
    years : int, default 5
        Years projected after the base year.
    overrides : mapping or JSON string, optional
        Driver overrides applied to every scenario (before each scenario's own).

    Returns
    -------
    ProjectionResults
    """
    period = Quarter.parse(str(period))
    if scenarios is None or isinstance(scenarios, str | Path):
        scenarios = load_scenarios(scenarios or None)
    start = derive_start(figures, period)
    defaults = derive_drivers(figures, period, start)
    drivers = defaults.with_overrides(parse_overrides(overrides))
    projections = {
        name: project(start, drivers, years, scenario) for name, scenario in scenarios.items()
    }
    return ProjectionResults(start, drivers, defaults, projections)


# --- Notebook ------------------------------------------------------------------------------------
Html = Fragment  # the notebook's rich outputs, as in the quarterly report


START_LABELS = {
    "premium_income": {"id": "Pendapatan iuran", "en": "Premium income"},
    "claims_expense": {"id": "Beban jaminan", "en": "Claims expense"},
    "investment_income": {"id": "Pendapatan investasi DJS", "en": "DJS investment income"},
    "net_assets": {"id": "Aset neto DJS", "en": "DJS net assets"},
}
BASIS_LABELS = {
    "derived": {"id": "dari data", "en": "from the data"},
    "fallback": {"id": "nilai bawaan", "en": "default"},
    "override": {"id": "ditetapkan", "en": "set"},
}


@dataclass(frozen=True)
class ProjectionView:
    """The projection of one period in one language, as the notebook shows it, cell by cell."""

    results: ProjectionResults
    language: str = "id"
    scenario_file: str = ""

    def introduction(self) -> Html:
        """Title and what the projection is (and is not)."""
        start = self.results.start
        years = self.results.baseline.years
        if self.language == "id":
            title = f"Proyeksi DJS Kesehatan {years[1]}-{years[-1]}"
            text = (
                f"Pendamping Laporan Kinerja Program JKN {start.period.title('id')}: proyeksi "
                f"sederhana dan terbuka dari posisi {start.period.label('id')}, per skenario. "
                "Setiap langkah adalah rumus yang dapat dihitung ulang; ini bukan penilaian "
                "aktuaria."
            )
        else:
            title = f"DJS Kesehatan projection {years[1]}-{years[-1]}"
            text = (
                f"Companion to the Laporan Kinerja Program JKN, {start.period.title('en')}: a "
                f"simple, open projection from {start.period.label('en')}, by scenario. Each "
                "step is a formula that can be redone by hand; this is not an actuarial "
                "valuation."
            )
        return Html(f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>")

    def start_table(self) -> Html:
        """The starting values, year to date and annualised, with where each comes from."""
        lang, start = self.language, self.results.start
        head = (
            ("Posisi awal", "s.d. periode", "Setahun", "Sumber")
            if lang == "id"
            else ("Start", "Year to date", "A year", "Source")
        )
        rows = []
        for name, label in START_LABELS.items():
            value = getattr(start, name)
            annual = "" if name == "net_assets" else _rp_exact(start.annualised(name), lang)
            source = start.explanation.get(name, {}).get(lang, "")
            rows.append((label[lang], _rp_exact(value, lang), annual, source))
        rows.append(
            (
                "Peserta aktif" if lang == "id" else "Active participants",
                _num(start.participants, lang),
                "",
                "active_total",
            )
        )
        rows.append(
            (
                "Ketahanan dana (bulan)" if lang == "id" else "Months covered",
                _num(start.months_covered, lang, 2),
                "",
                "",
            )
        )
        return Html(_html_table(pd.DataFrame(rows, columns=list(head))))

    def drivers_table(self) -> Html:
        """Each driver: value, basis (from the data, default, set) and its derivation."""
        lang, drivers = self.language, self.results.drivers
        head = (
            ("Pendorong", "Nilai", "Dasar", "Cara penurunan")
            if lang == "id"
            else ("Driver", "Value", "Basis", "Derivation")
        )
        rows = [
            (
                DRIVER_LABELS[name][lang],
                _pct(value, lang),
                BASIS_LABELS.get(drivers.basis.get(name, ""), {}).get(lang, ""),
                drivers.explanation.get(name, {}).get(lang, ""),
            )
            for name, value in drivers.values().items()
        ]
        return Html(_html_table(pd.DataFrame(rows, columns=list(head))))

    def scenarios_table(self) -> Html:
        """Each scenario: label, description, parameters, and whether they are illustrative."""
        lang = self.language
        head = (
            ("Skenario", "Uraian", "Parameter")
            if lang == "id"
            else ("Scenario", "Description", "Parameters")
        )
        rows = []
        for p in self.results.values():
            s = p.scenario
            parts = [f"{name} = {_pct(v, lang)}" for name, v in s.drivers.items()]
            if s.premium_increase:
                rise = s.premium_increase
                parts.append(
                    f"iuran +{_pct(rise.amount, lang)} mulai {rise.from_year}"
                    if lang == "id"
                    else f"contributions +{_pct(rise.amount, lang)} from {rise.from_year}"
                )
            if s.claims_growth_cut:
                cut = s.claims_growth_cut
                parts.append(
                    f"pertumbuhan beban per peserta −{_num(cut.amount, lang, 1)} poin mulai "
                    f"{cut.from_year}"
                    if lang == "id"
                    else f"claims growth per participant −{_num(cut.amount, lang, 1)} points "
                    f"from {cut.from_year}"
                )
            for year, share in s.active_share_targets.items():
                parts.append(
                    f"peserta aktif {_pct(share, lang, 1)} dari terdaftar pada {year}"
                    if lang == "id"
                    else f"active {_pct(share, lang, 1)} of registered by {year}"
                )
            if s.illustrative:
                parts.append("(ilustratif)" if lang == "id" else "(illustrative)")
            if s.source:
                parts.append(f"[{s.source}]")
            rows.append((s.label[lang], s.description[lang], "; ".join(parts) or "-"))
        return Html(_html_table(pd.DataFrame(rows, columns=list(head))))

    def summary(self) -> Html:
        """One sentence per scenario: when it leaves the corridor or runs out, if ever."""
        items = "".join(
            f"<li>{html.escape(text)}</li>"
            for text in self.results.summaries(self.language).values()
        )
        return Html(f"<ul>{items}</ul>")

    def chart(self) -> Html:
        """Months covered per scenario against the PP 53/2018 corridor, as inline SVG."""
        from jkn_analysis.charts import chart_to_svg, projection_chart

        lang = self.language
        ax = projection_chart(
            self.results.chart_data(lang),
            language=lang,
            corridor_label="Koridor PP 53/2018" if lang == "id" else "PP 53/2018 corridor",
            value_label="Ketahanan dana (bulan)" if lang == "id" else "Months covered",
        )
        return Html(f'<figure class="chart">{chart_to_svg(ax)}</figure>')

    def tables(self) -> Html:
        """The yearly table of every scenario."""
        return Html("".join(p.to_html(self.language) for p in self.results.values()))

    def write(self, output_dir: str) -> Html:
        """Write ``projection.json`` into ``output_dir``; ``""`` writes nothing."""
        if not output_dir:
            return Html("")
        folder = Path(output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "projection.json"
        path.write_text(
            json.dumps(self.results.as_json(), ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
        return Html(f"<p>{html.escape(str(path))}</p>")


def explore(
    quarter: str,
    *,
    language: str = "id",
    data_dir: str | Path = "",
    scenario_file: str = "",
    horizon: int = DEFAULT_YEARS,
    overrides: str | Mapping[str, float] | None = "",
    output_dir: str | Path = "",
) -> ProjectionView:
    """Load the figures up to ``quarter`` and project every scenario (the notebook's call).

    Parameters
    ----------
    quarter : str
        Base period, ``YYYYQn``.
    language : {"id", "en"}
    data_dir : str or Path
        Folder of the period folders; empty: the checkout's ``data/`` (``./data`` when
        installed), see `jkn_analysis.paths.default_data_dir`.
    scenario_file : str
        A scenario YAML file; ``""`` uses the packaged one.
    horizon : int
        Years projected after the base year.
    overrides : str or mapping
        Driver overrides, such as ``'{"claims_per_participant_growth": 5.0}'``.
    output_dir : str or Path
        Folder `ProjectionView.write` will write to, created here, before any work, when
        missing; empty: nothing is written.

    Raises
    ------
    jkn_analysis.paths.OutputFolderError
        When ``output_dir`` is a file or cannot be created or written to.
    """
    from jkn_analysis.loading import load_figures
    from jkn_analysis.paths import prepare_output_dir, resolve_data_dir

    _check_language(language)
    period = Quarter.parse(quarter)
    # Refused or created first, so that a bad folder does not fail after the projection ran.
    prepare_output_dir(output_dir, language)
    figures = load_figures(resolve_data_dir(data_dir), up_to=period)
    results = project_scenarios(
        figures, period, scenarios=scenario_file or None, years=horizon, overrides=overrides
    )
    return ProjectionView(results, language, scenario_file)
