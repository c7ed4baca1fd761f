"""The executive summary as data: its headline indicators and the facts of its paragraph."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jkn_analysis.analysis.facts import Facts, fact_name, facts_of
from jkn_analysis.analysis.period import PeriodAnalysis
from jkn_analysis.catalogue.periods import Quarter

# The headline indicators shown as cards, in order: (code, breakdown).
CARDS = (
    ("registered_coverage", {}),
    ("active_share_of_population", {}),
    ("active_share_of_registered", {}),
    ("active_participants", {"segment": "total"}),
    ("ick_attainment", {"segment": "total"}),
    ("fktp_count", {}),
    ("claim_ratio", {}),
    ("premium_income_vs_annual_target", {}),
    ("months_of_claims_covered", {}),
)
# Further indicators the paragraph states.
STATED = (
    ("registered_participants", {}),
    ("months_covered_corridor", {}),
    ("fktp_gap_to_target", {}),
)


@dataclass(frozen=True)
class SummaryData:
    """What the executive summary states: ``facts`` by `fact_name`, ``cards`` (the name and
    code of each headline indicator, in order) and the period."""

    quarter: Quarter
    facts: Facts
    cards: tuple[tuple[str, str], ...]

    def _repr_html_(self) -> str:
        """The headline indicators, for an analyst in JupyterLab."""
        frame: pd.DataFrame = self.facts.frame()
        return frame.to_html()


def summary_data(analysis: PeriodAnalysis) -> SummaryData:
    """The executive summary's headline indicators and facts from the period's analysis."""
    wanted = {fact_name(code, dims): (code, dims) for code, dims in (*CARDS, *STATED)}
    return SummaryData(
        quarter=analysis.quarter,
        facts=facts_of(analysis, wanted),
        cards=tuple((fact_name(code, dims), code) for code, dims in CARDS),
    )
