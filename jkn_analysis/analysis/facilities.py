"""Section II, health facilities and their use, as data, in no language.

`facilities_data` chooses what the section states from a `PeriodAnalysis`: contracted
facilities against their target, visits by service a year apart, referrals, claims expense by
service, the most frequent cases, and the facts its paragraphs tell. Rows are codes (services,
figures), never words: `jkn_analysis.report.facilities` words and renders them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jkn_analysis.analysis.facts import Facts, fact_name, facts_of
from jkn_analysis.analysis.period import PeriodAnalysis
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.compute import CLAIM_SERVICES, SERVICES

TOP_CASES = (
    "rjtl_cases_chronic_minor",
    "rjtl_cases_physiotherapy",
    "rjtl_cases_dialysis",
    "ritl_cases_abdominal",
    "ritl_cases_caesarean",
    "ritl_cases_pneumonia",
)
SUPPORTING = ("main_clinics", "pharmacies", "opticians")
# Services in the order the paragraphs rank them from.
CLAIM_RANKING = ("ritl", "rjtl", "rjtp", "ritp", "promotive")
# The indicators the section's tables and paragraphs state: (code, breakdown). A template
# names each ``code`` or, with a breakdown, ``code_<value>`` (``claims_expense_share_ritl``).
STATED = (
    ("fktp_count", {}),
    ("fktp_change_vs_december", {}),
    ("fktp_gap_to_target", {}),
    ("fktp_doctor_practice_change_vs_december", {}),
    ("fktp_primary_clinic_change_vs_december", {}),
    ("fkrtl_count", {}),
    ("fkrtl_change_vs_december", {}),
    ("referrals", {}),
    ("referral_growth_yoy", {}),
    ("referral_rate", {}),
    ("utilisation_growth_yoy", {}),
    ("claims_expense_growth_yoy", {"service": "ritl"}),
    *(("visits", {"service": s}) for s in SERVICES),
    *(("visits_growth_yoy", {"service": s}) for s in SERVICES),
    *(("claims_expense", {"service": s}) for s in (*CLAIM_SERVICES, "total")),
    *(("claims_expense_share", {"service": s}) for s in CLAIM_SERVICES),
)
# Input figures quoted as supplied, in the period and a year earlier.
QUOTED = (
    "fktp_target",
    *SUPPORTING,
    "referrals",
    "visits_rjtp",
    "visits_rjtl",
    "claims_expense_rjtl",
    "claims_expense_ritl",
)


@dataclass(frozen=True)
class FacilitiesData:
    """What section II states, as data.

    Attributes
    ----------
    quarter : Quarter
        The reporting period.
    facts : Facts
        The indicators of `STATED`, by `fact_name`.
    figures, figures_year_earlier : dict of str to float or None
        The figures of `QUOTED` in the period and in the same quarter a year earlier.
    ranked : dict of str to list of (str, float)
        ``claims_expense_share`` and ``visits`` by service, largest first.
    facilities : pandas.DataFrame
        Contracted facilities: ``facility`` (fktp, fkrtl), ``figure``, ``before`` (the
        December before), ``now``, ``change``, ``target``, ``gap``.
    supporting : pandas.DataFrame
        Supporting facilities: ``code``, ``value``.
    fktp_points : pandas.DataFrame
        The FKTP chart: ``period``, ``value``.
    visits : pandas.DataFrame
        Visits by service: ``service``, ``now``, ``before`` (a year earlier), ``growth``.
    visits_chart : pandas.DataFrame
        ``service``, ``period``, ``value``.
    claims : pandas.DataFrame
        Claims expense by service: ``service``, ``amount``, ``share``, ``reported``.
    top_cases : pandas.DataFrame
        The most frequent cases: ``code``, ``value`` (`TOP_CASES` order).
    cases : dict of str to list of (int, str, float)
        The cases of ``rjtl`` and ``ritl``, ranked: ``(rank, figure code, value)``.
    """

    quarter: Quarter
    facts: Facts
    figures: dict[str, float | None]
    figures_year_earlier: dict[str, float | None]
    ranked: dict[str, list[tuple[str, float]]]
    facilities: pd.DataFrame
    supporting: pd.DataFrame
    fktp_points: pd.DataFrame
    visits: pd.DataFrame
    visits_chart: pd.DataFrame
    claims: pd.DataFrame
    top_cases: pd.DataFrame
    cases: dict[str, list[tuple[int, str, float]]]

    def parts(self) -> set[str]:
        """The section's tables and charts that have data (names of `report.sections`)."""
        present = set()
        for name, frame in (
            ("facilities_table", self.facilities),
            ("fktp_chart", self.fktp_points),
            ("utilisation_table", self.visits),
            ("visits_chart", self.visits),
            ("claims_table", self.claims),
            ("claims_chart", self.claims),
            ("top_cases_table", self.top_cases),
        ):
            if not frame.empty:
                present.add(name)
        return present

    def _repr_html_(self) -> str:
        """The section's tables and chart data, for an analyst in JupyterLab."""
        tables = {
            "facts": self.facts.frame(),
            "facilities": self.facilities,
            "supporting": self.supporting,
            "visits": self.visits,
            "claims": self.claims,
            "top_cases": self.top_cases,
            "fktp_chart": self.fktp_points,
            "visits_chart": self.visits_chart,
        }
        return "".join(f"<h4>{name}</h4>{frame.to_html()}" for name, frame in tables.items())


def _ranked(analysis: PeriodAnalysis, code: str, keys: tuple[str, ...]) -> list[tuple[str, float]]:
    """Breakdown values of an indicator by service, largest first."""
    pairs = [(key, analysis.value(code, service=key)) for key in keys]
    return sorted([(k, v) for k, v in pairs if v is not None], key=lambda kv: -kv[1])


def _facility_table(analysis: PeriodAnalysis) -> pd.DataFrame:
    december = analysis.quarter.previous_december
    rows = [
        {
            "facility": key,
            "figure": figure,
            "before": analysis.figure_value(figure, december),
            "now": analysis.figure_value(figure),
            "change": analysis.value(change),
            "target": analysis.figure_value("fktp_target") if key == "fktp" else None,
            "gap": analysis.value("fktp_gap_to_target") if key == "fktp" else None,
        }
        for key, figure, change in (
            ("fktp", "fktp_total", "fktp_change_vs_december"),
            ("fkrtl", "fkrtl_total", "fkrtl_change_vs_december"),
        )
        if analysis.figure_value(figure) is not None
    ]
    columns = ["facility", "figure", "before", "now", "change", "target", "gap"]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def _visit_tables(analysis: PeriodAnalysis) -> tuple[pd.DataFrame, pd.DataFrame]:
    q, figures = analysis.quarter, analysis.figures
    rows = [
        {
            "service": s,
            "now": figures.value(f"visits_{s}", q),
            "before": figures.value(f"visits_{s}", q.year_earlier),
            "growth": analysis.value("visits_growth_yoy", service=s),
        }
        for s in SERVICES
        if figures.value(f"visits_{s}", q) is not None
    ]
    chart = [
        {"service": s, "period": p, "value": figures.value(f"visits_{s}", p)}
        for s in SERVICES
        for p in (q.year_earlier, q)
        if figures.has(f"visits_{s}", p) and figures.has(f"visits_{s}", q)
    ]
    return (
        pd.DataFrame(rows, columns=["service", "now", "before", "growth"], dtype=object),
        pd.DataFrame(chart, columns=["service", "period", "value"]),
    )


def _cases(analysis: PeriodAnalysis, service: str) -> list[tuple[int, str, float]]:
    """The most frequent cases of ``service`` with their rank, largest first."""
    cases = [
        (code, value)
        for code in TOP_CASES
        if code.startswith(f"{service}_cases_")
        and (value := analysis.figure_value(code)) is not None
    ]
    ranked = sorted(cases, key=lambda case: -case[1])
    return [(rank, code, value) for rank, (code, value) in enumerate(ranked, start=1)]


def facilities_data(analysis: PeriodAnalysis) -> FacilitiesData:
    """Section II's tables, chart data and facts from the period's analysis."""
    q = analysis.quarter
    visits, visits_chart = _visit_tables(analysis)
    claims = [
        {
            "service": s,
            "amount": analysis.figure_value(f"claims_expense_{s}"),
            "share": item.value,
            "reported": item.method == "reported",
        }
        for s in CLAIM_SERVICES
        if (item := analysis.indicator("claims_expense_share", service=s)) is not None
    ]
    fktp_points = [
        {"period": p, "value": analysis.figure_value("fktp_total", p)}
        for p in (q.previous_december, q)
        if analysis.figures.has("fktp_total", p)
    ]
    return FacilitiesData(
        quarter=q,
        facts=facts_of(analysis, {fact_name(c, d): (c, d) for c, d in STATED}),
        figures={code: analysis.figure_value(code) for code in QUOTED},
        figures_year_earlier={code: analysis.figure_value(code, q.year_earlier) for code in QUOTED},
        ranked={
            "claims_expense_share": _ranked(analysis, "claims_expense_share", CLAIM_RANKING),
            "visits": _ranked(analysis, "visits", SERVICES),
        },
        facilities=_facility_table(analysis),
        supporting=pd.DataFrame(
            [
                {"code": code, "value": analysis.figure_value(code)}
                for code in SUPPORTING
                if analysis.figure_value(code) is not None
            ],
            columns=["code", "value"],
        ),
        fktp_points=pd.DataFrame(fktp_points, columns=["period", "value"]),
        visits=visits,
        visits_chart=visits_chart,
        claims=pd.DataFrame(
            claims, columns=["service", "amount", "share", "reported"], dtype=object
        ),
        top_cases=pd.DataFrame(
            [
                {"code": code, "value": analysis.figure_value(code)}
                for code in TOP_CASES
                if analysis.figure_value(code) is not None
            ],
            columns=["code", "value"],
        ),
        cases={service: _cases(analysis, service) for service in ("rjtl", "ritl")},
    )
