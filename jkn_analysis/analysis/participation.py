"""Section I, participation, as data: its tables, chart data and facts, in no language.

`participation_data` chooses what the section states from a `PeriodAnalysis`: the coverage
table's indicators, the active participants by segment over the comparison periods, the
non-active participants by reason, the ICK attainment by segment, the coverage trend and the
facts its paragraphs tell. Rows and columns are codes (segments, reasons, periods), never
words: `jkn_analysis.report.participation` words and renders them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jkn_analysis.analysis.facts import Facts, facts_of, history_frame
from jkn_analysis.analysis.period import PeriodAnalysis
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.compute import ACTIVE_SEGMENTS, ICK_SEGMENTS, NON_ACTIVE_REASONS

# Rows of the active-participant table, laid out like the model report's: (segment key, list
# marker, indent level, bold). The "B" segments sit under a heading row without figures and
# above their total ("Total B"); the grand total comes last. A heading row has the key of the
# total it heads and the marker "B."; its total row has no marker.
SEGMENT_ROWS = (
    ("pbi", "A.", 0, False),
    ("non_pbi_heading", "B.", 0, False),
    ("ppu_pn", "1", 1, False),
    ("ppu_non_pn", "2", 1, False),
    ("ppu_bumn", "a.", 2, False),
    ("ppu_private", "b.", 2, False),
    ("pbpu", "3", 1, False),
    ("bp", "4", 1, False),
    ("bp_pn", "a.", 2, False),
    ("bp_private", "b.", 2, False),
    ("non_pbi", "", 0, True),
    ("pbpu_pemda", "C.", 0, False),
    ("total", "", 0, True),
)
# Segments drawn in the active-participant chart (the main blocks of the table).
CHART_SEGMENTS = ("pbi", "ppu_pn", "ppu_non_pn", "pbpu", "bp", "pbpu_pemda")
# Segments whose change since December the paragraph names, largest first.
DRIVER_SEGMENTS = ("pbpu_pemda", "ppu_pn", "ppu_non_pn", "pbpu", "bp", "pbi")
# The indicators the section's table and paragraphs state, by the name they use.
FACTS = {
    "registered_participants": ("registered_participants", {}),
    "registered_coverage": ("registered_coverage", {}),
    "coverage_gap": ("registered_coverage_gap_to_target", {}),
    "registered_change": ("registered_change_vs_december", {}),
    "registered_growth": ("registered_growth_vs_december", {}),
    "active_total": ("active_participants", {"segment": "total"}),
    "active_share_of_population": ("active_share_of_population", {}),
    "active_share_of_registered": ("active_share_of_registered", {}),
    "active_change": ("active_change_vs_december", {"segment": "total"}),
    "active_growth": ("active_growth_vs_december", {"segment": "total"}),
    "active_change_quarter": ("active_change_vs_previous_quarter", {"segment": "total"}),
    "active_growth_quarter": ("active_growth_vs_previous_quarter", {"segment": "total"}),
    "non_active_total": ("non_active_participants", {"reason": "total"}),
    "non_active_arrears": ("non_active_participants", {"reason": "arrears"}),
    "non_active_arrears_pbpu": ("non_active_participants", {"reason": "arrears_pbpu"}),
    "non_active_mutation": ("non_active_participants", {"reason": "mutation"}),
    "non_active_share": ("non_active_share_of_registered", {}),
    "non_active_change": ("non_active_change_vs_december", {}),
    **{f"ick_{segment}": ("ick_attainment", {"segment": segment}) for segment in ICK_SEGMENTS},
}
# Coverage trend: the indicators charted over every period.
TREND = ("registered_coverage", "active_share_of_registered", "active_share_of_population")


@dataclass(frozen=True)
class ParticipationData:
    """What section I states, as data.

    Attributes
    ----------
    quarter : Quarter
        The reporting period.
    facts : Facts
        The indicators of `FACTS` (``facts.items``) and their values (``facts.values``).
    figures : dict of str to float or None
        Input figures quoted as supplied: ``population``, ``registered_coverage_target``.
    earlier_change : float or None
        The change in active participants since December, a year earlier.
    drivers : tuple of (str, float)
        Each segment's change since December, largest first (`DRIVER_SEGMENTS`).
    table_periods, change_periods : tuple of Quarter
        The columns of the segment table: participants at, and change up to, each period.
    segments : pandas.DataFrame
        The segment table: ``segment``, ``figure``, ``marker``, ``indent``, ``bold``,
        ``heading``, then one column of participants per table period (``"2024Q1"``) and one
        of change since December per change period (``"change 2024Q1"``).
    non_active : pandas.DataFrame
        Non-active participants: ``reason``, ``value``.
    ick : pandas.DataFrame
        ICK by segment: ``segment``, ``target``, ``realised``, ``attainment`` (percent),
        ``as_of`` (the month the realisation is given at, ``None`` at the quarter's end).
    trend : pandas.DataFrame
        Coverage over every period: ``period``, ``date``, ``series`` (a code), ``value``.
    active_chart : pandas.DataFrame
        The chart of active participants: ``segment``, ``period``, ``value``.
    """

    quarter: Quarter
    facts: Facts
    figures: dict[str, float | None]
    earlier_change: float | None
    drivers: tuple[tuple[str, float], ...]
    table_periods: tuple[Quarter, ...]
    change_periods: tuple[Quarter, ...]
    segments: pd.DataFrame
    non_active: pd.DataFrame
    ick: pd.DataFrame
    trend: pd.DataFrame
    active_chart: pd.DataFrame

    @property
    def ick_as_of(self):
        """The month every ICK realisation is given at, ``None`` when that is the quarter's
        end or when they differ (then each row is dated on its own)."""
        months = set(self.ick["as_of"])
        return months.pop() if len(months) == 1 else None

    def parts(self) -> set[str]:
        """The section's tables and charts that have data (names of `report.sections`)."""
        present = {"coverage_table"}
        if not self.trend.empty:
            present.add("trend_chart")
        if self.table_periods:
            present.add("active_table")
        if not self.active_chart.empty:
            present.add("active_chart")
        if not self.non_active.empty:
            present.add("non_active_table")
        if not self.ick.empty:
            present |= {"ick_table", "ick_chart"}
        return present

    def _repr_html_(self) -> str:
        """The section's tables and chart data, for an analyst in JupyterLab."""
        tables = {
            "facts": self.facts.frame(),
            "segments": self.segments,
            "non_active": self.non_active,
            "ick": self.ick,
            "trend": self.trend,
            "active_chart": self.active_chart,
        }
        return "".join(f"<h4>{name}</h4>{frame.to_html()}" for name, frame in tables.items())


def _table_periods(analysis: PeriodAnalysis) -> tuple[list[Quarter], list[Quarter]]:
    """The segment table's periods (those with active participants) and, among the period
    and a year earlier, those with a December before them to compare with."""
    q, figures = analysis.quarter, analysis.figures
    periods = sorted(
        {
            q.year_earlier.previous_december,
            q.year_earlier,
            q.previous_december,
            q.previous_quarter,
            q,
        }
    )
    periods = [p for p in periods if figures.has("active_total", p)]
    changes = [
        p
        for p in (q.year_earlier, q)
        if p in periods and figures.has("active_total", p.previous_december)
    ]
    return periods, changes


def segment_table(
    analysis: PeriodAnalysis, periods: list[Quarter], changes: list[Quarter]
) -> pd.DataFrame:
    """Active participants by segment (`SEGMENT_ROWS`) at each period, and their change since
    the December before each change period; a heading row has no figures."""
    figures = analysis.figures
    rows = []
    for segment, marker, indent, bold in SEGMENT_ROWS:
        heading = segment == "non_pbi_heading"
        figure = ACTIVE_SEGMENTS["non_pbi" if heading else segment]
        row = {
            "segment": segment,
            "figure": figure,
            "marker": marker,
            "indent": indent,
            "bold": bold or heading,
            "heading": heading,
        }
        for p in periods:
            row[str(p)] = None if heading else figures.value(figure, p)
        for p in changes:
            now, before = figures.value(figure, p), figures.value(figure, p.previous_december)
            missing = heading or now is None or before is None
            row[f"change {p}"] = None if missing else now - before
        rows.append(row)
    return pd.DataFrame(rows, dtype=object)


def participation_data(analysis: PeriodAnalysis) -> ParticipationData:
    """Section I's tables, chart data and facts from the period's analysis."""
    q, figures = analysis.quarter, analysis.figures
    periods, changes = _table_periods(analysis)
    chart_periods = [p for p in (q.previous_december, q) if p in periods]
    active_chart = pd.DataFrame(
        [
            {"segment": s, "period": p, "value": figures.value(ACTIVE_SEGMENTS[s], p)}
            for s in CHART_SEGMENTS
            for p in chart_periods
            if figures.has(ACTIVE_SEGMENTS[s], p)
        ],
        columns=["segment", "period", "value"],
    )
    ick = pd.DataFrame(
        [
            {
                "segment": s,
                "target": analysis.figure_value(f"ick_target_{s}"),
                "realised": analysis.figure_value(f"ick_realised_{s}"),
                "attainment": analysis.value("ick_attainment", segment=s),
                # The month the realisation is given at, None at the quarter's end.
                "as_of": analysis.figure_as_of(f"ick_realised_{s}"),
            }
            for s in ICK_SEGMENTS
            if analysis.value("ick_attainment", segment=s) is not None
        ],
        columns=["segment", "target", "realised", "attainment", "as_of"],
    )
    non_active = pd.DataFrame(
        [
            {"reason": reason, "value": item.value}
            for reason in NON_ACTIVE_REASONS
            if (item := analysis.indicator("non_active_participants", reason=reason))
        ],
        columns=["reason", "value"],
    )
    drivers = [
        (s, value)
        for s in DRIVER_SEGMENTS
        if (value := analysis.value("active_change_vs_december", segment=s)) is not None
    ]
    return ParticipationData(
        quarter=q,
        facts=facts_of(analysis, FACTS),
        figures={
            code: analysis.figure_value(code)
            for code in ("population", "registered_coverage_target")
        },
        earlier_change=analysis.value_in(
            q.year_earlier, "active_change_vs_december", segment="total"
        ),
        drivers=tuple(sorted(drivers, key=lambda pair: -pair[1])),
        table_periods=tuple(periods),
        change_periods=tuple(changes),
        segments=segment_table(analysis, periods, changes),
        non_active=non_active,
        ick=ick,
        trend=history_frame(analysis, {code: (code, {}) for code in TREND}),
        active_chart=active_chart,
    )
