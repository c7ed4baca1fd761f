"""Section III, the financial health of the DJS, as data, in no language.

`finance_data` chooses what the section states from a `PeriodAnalysis`: premium income and
claims against their targets, the claim ratio and months of claims covered over time, the
year-to-date flows beside values they compare with (`comparable_flows`), the investment mix,
and the projection. Rows are codes and periods, never words: `jkn_analysis.report.finance`
words and renders them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jkn_analysis.analysis.facts import Facts, facts_of
from jkn_analysis.analysis.period import PeriodAnalysis
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.compute import INVESTMENT_INSTRUMENTS
from jkn_analysis.indicators.formulas import seasonal_share_of_year

# The indicators the section states: by name, (code, breakdown).
FACTS = {
    **{
        code: (code, {})
        for code in (
            "premium_income",
            "premium_income_vs_annual_target",
            "premium_income_vs_pro_rata_target",
            "claim_ratio",
            "djs_surplus",
            "months_of_claims_covered",
            "months_covered_corridor",
            "djs_investment_portfolio",
            "djs_investment_yield",
            "bpjs_investment_yield",
            "bopo",
        )
    },
    "claims_expense_total": ("claims_expense", {"service": "total"}),
    **{
        f"djs_investment_share_{key}": ("djs_investment_share", {"instrument": key})
        for key in INVESTMENT_INSTRUMENTS
    },
}
# Input figures quoted as supplied.
QUOTED = (
    "premium_income_target",
    "djs_investment_income",
    "djs_investment_yield_target",
    "bpjs_investment_yield_target",
    "bpjs_investment_return",
    "bpjs_investment_portfolio_average",
    "operational_fund_cap",
    "operational_fund_cap_share",
    *INVESTMENT_INSTRUMENTS.values(),
)
# The flows set beside each other: premium income and claims expense.
FLOWS = {
    "premium_income": ("premium_income", {}),
    "claims_expense": ("claims_expense", {"service": "total"}),
}
FLOW_COLUMNS = ["period", "label", "date", "series", "value", "estimated"]


@dataclass(frozen=True)
class Flows:
    """Year-to-date flows over the history, only ever beside values they compare with.

    Attributes
    ----------
    frame : pandas.DataFrame
        ``period`` (Quarter), ``label`` (how the period is named: ``year``, ``quarter`` or
        ``annualised``), ``date``, ``series`` (a key of `FLOWS`), ``value``, ``estimated``.
    caption : str
        The text key of the chart's caption.
    note : str
        The text key of a note for under the chart, ``""`` when none is needed.
    """

    frame: pd.DataFrame
    caption: str
    note: str = ""


def _flow_rows(period: Quarter, label: str, found: dict, share: float = 1.0) -> list[dict]:
    return [
        {
            "period": period,
            "label": label,
            "date": pd.Timestamp(period.end_date),
            "series": name,
            "value": value / share,
            "estimated": share != 1.0,
        }
        for name, value in found.items()
    ]


def comparable_flows(analysis: PeriodAnalysis, series: dict = FLOWS) -> Flows:
    """The flows of ``series`` (name to code and breakdown) as the chart may set them side by side.

    A flow accumulates from January, so the report's quarter is set beside the same
    quarter of earlier years when the history holds one; otherwise beside full years,
    annualised with the seasonal profile of the history (`seasonal_share_of_year`) and
    marked ``estimated``; without a profile it is left out of the chart, and the note says
    why. A fourth quarter is a full year, which compares with full years as it is.
    """
    q, history = analysis.quarter, analysis.history

    def values(period: Quarter) -> dict[str, float] | None:
        found = {name: history[period].value(code, **dims) for name, (code, dims) in series.items()}
        return None if any(v is None for v in found.values()) else found

    def frame(rows: list[dict]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=FLOW_COLUMNS)

    held = {period: found for period in sorted(history) if (found := values(period))}
    if q.quarter == 4:  # full years beside full years
        rows = [row for p in held if p.quarter == 4 for row in _flow_rows(p, "year", held[p])]
        return Flows(frame(rows), "caption_income_claims_full_years")
    same_quarter = [p for p in held if p.quarter == q.quarter and p <= q]
    if q in held and len(same_quarter) > 1:
        rows = [row for p in same_quarter for row in _flow_rows(p, "quarter", held[p])]
        return Flows(frame(rows), "caption_income_claims_chart")
    full_years = [p for p in held if p.quarter == 4 and p.year < q.year]
    rows = [row for p in full_years for row in _flow_rows(p, "year", held[p])]
    if q not in held:
        return Flows(frame(rows), "caption_income_claims_full_years")
    shares = {
        name: seasonal_share_of_year(
            {p.year: held[p][name] for p in same_quarter if p.year < q.year},
            {p.year: held[p][name] for p in full_years},
        )
        for name in series
    }
    if rows and all(share is not None for share in shares.values()):
        rows += [
            row
            for name in series
            for row in _flow_rows(q, "annualised", {name: held[q][name]}, shares[name])
        ]
        return Flows(frame(rows), "caption_income_claims_annualised")
    note = "flows_not_comparable" if rows else ""
    return Flows(frame(rows), "caption_income_claims_full_years", note)


@dataclass(frozen=True)
class FinanceData:
    """What section III states, as data.

    Attributes
    ----------
    quarter : Quarter
        The reporting period.
    facts : Facts
        The indicators of `FACTS`.
    figures : dict of str to float or None
        The figures of `QUOTED` in the period.
    claim_ratio : pandas.DataFrame
        The claim ratio over the history: ``period``, ``value``.
    flows : Flows
        Premium income and claims expense, comparable (`comparable_flows`).
    months_covered : pandas.DataFrame
        Months of claims covered over the history: ``period``, ``value``, ``reported``.
    investment : pandas.DataFrame
        The investment mix: ``instrument``, ``figure``, ``value``, ``share``.
    projection : ProjectionResults or Exception
        The projection from the period, or why there is none.
    """

    quarter: Quarter
    facts: Facts
    figures: dict[str, float | None]
    claim_ratio: pd.DataFrame
    flows: Flows
    months_covered: pd.DataFrame
    investment: pd.DataFrame
    projection: object

    @property
    def has_projection(self) -> bool:
        """Whether the projection could be made."""
        return not isinstance(self.projection, Exception)

    def parts(self) -> set[str]:
        """The section's tables and charts that have data (names of `report.sections`)."""
        present = {"djs_table", "investment_table"}
        for name, frame in (
            ("claim_ratio_chart", self.claim_ratio),
            ("flows_chart", self.flows.frame),
            ("months_chart", self.months_covered),
        ):
            if not frame.empty:
                present.add(name)
        if self.investment["share"].notna().all():
            present.add("investment_chart")
        if self.has_projection:
            present |= {
                "projection_start_table",
                "projection_drivers_table",
                "projection_calendar_table",
                "projection_scenarios_table",
                "projection_chart",
                "projection_outcome_table",
                "projection_baseline_table",
            }
        return present

    def _repr_html_(self) -> str:
        """The section's tables and chart data, for an analyst in JupyterLab."""
        tables = {
            "facts": self.facts.frame(),
            "claim_ratio": self.claim_ratio,
            "flows": self.flows.frame,
            "months_covered": self.months_covered,
            "investment": self.investment,
        }
        return "".join(f"<h4>{name}</h4>{frame.to_html()}" for name, frame in tables.items())


def finance_data(analysis: PeriodAnalysis) -> FinanceData:
    """Section III's tables, chart data and facts from the period's analysis."""
    history = sorted(analysis.history.items())
    claim_ratio = [(p, item) for p, s in history if (item := s.get("claim_ratio"))]
    months = [(p, item) for p, s in history if (item := s.get("months_of_claims_covered"))]
    return FinanceData(
        quarter=analysis.quarter,
        facts=facts_of(analysis, FACTS),
        figures={code: analysis.figure_value(code) for code in QUOTED},
        claim_ratio=pd.DataFrame(
            [{"period": p, "value": item.value} for p, item in claim_ratio],
            columns=["period", "value"],
        ),
        flows=comparable_flows(analysis),
        months_covered=pd.DataFrame(
            [
                {"period": p, "value": item.value, "reported": item.method == "reported"}
                for p, item in months
            ],
            columns=["period", "value", "reported"],
        ),
        investment=pd.DataFrame(
            [
                {
                    "instrument": key,
                    "figure": figure,
                    "value": analysis.figure_value(figure),
                    "share": analysis.value("djs_investment_share", instrument=key),
                }
                for key, figure in INVESTMENT_INSTRUMENTS.items()
            ],
            columns=["instrument", "figure", "value", "share"],
            dtype=object,
        ),
        projection=analysis.projection,
    )
