"""Section I, participation, rendered: `ParticipationData` worded in one language.

The rows and facts come from `jkn_analysis.analysis.participation`; here they get their labels,
their caption numbers (`jkn_analysis.report.sections`) and their charts, and the templates
``participation.html.j2`` and ``narrative/participation_*`` write them.
"""

from __future__ import annotations

import pandas as pd

from jkn_analysis.analysis.participation import ParticipationData
from jkn_analysis.indicators.compute import ACTIVE_SEGMENTS
from jkn_analysis.report.edition import Edition
from jkn_analysis.report.fragment import Fragment
from jkn_analysis.report.rendering import as_at, dated
from jkn_analysis.report.sections import caption_numbers, table_captions

SECTION = "participation"
# Each part's caption, a key of text.yaml.
CAPTIONS = {
    "coverage_table": "caption_coverage",
    "trend_chart": "caption_active_trend",
    "active_table": "caption_active_table",
    "active_chart": "caption_active_chart",
    "non_active_table": "caption_non_active",
    "ick_table": "caption_ick",
    "ick_chart": "caption_ick",
}


# The total rows are named as totals; every other row by its segment's figure.
TOTAL_LABELS = {"non_pbi": "segment_total_b", "total": "segment_total"}


def segment_rows(data: ParticipationData, report: Edition) -> list[dict]:
    """The segment table's rows as the template writes them: label, layout, figures."""
    rows = []
    for row in data.segments.to_dict("records"):
        heading = row["heading"]
        total = None if heading else TOTAL_LABELS.get(row["segment"])
        rows.append(
            {
                "label": report.text(total) if total else report.figure_label(row["figure"]),
                "marker": row["marker"],
                "indent": row["indent"],
                "bold": row["bold"],
                "heading": heading,
                "values": [] if heading else [row[str(p)] for p in data.table_periods],
                "changes": [] if heading else [row[f"change {p}"] for p in data.change_periods],
            }
        )
    return rows


def _charts(data: ParticipationData, report: Edition, numbers: dict) -> dict:
    """The section's charts, drawn and captioned, by part name (those with data)."""
    from jkn_analysis.report import charts

    language, text = report.language, report.text
    drawn = {}
    if "trend_chart" in numbers:
        trend = data.trend.assign(
            period=[p.label(language) for p in data.trend["period"]],
            series=[report.indicator_label(code) for code in data.trend["series"]],
        )
        drawn["trend_chart"] = report.numbered_chart(
            charts.ChartRequest(
                charts.trend_chart,
                trend,
                language=language,
                unit="percent",
                value_label=text("axis_percent"),
            ),
            numbers["trend_chart"],
            CAPTIONS["trend_chart"],
            "source_dukcapil_bpjs",
        )
    if "active_chart" in numbers:
        frame = data.active_chart.assign(
            segment=[
                report.figure_label(ACTIVE_SEGMENTS[s]).split(" (")[0]
                for s in data.active_chart["segment"]
            ],
            period=[p.month_label(language) for p in data.active_chart["period"]],
        )
        drawn["active_chart"] = report.numbered_chart(
            charts.ChartRequest(
                charts.active_participants_chart,
                frame,
                language=language,
                value_label=text("axis_persons"),
            ),
            numbers["active_chart"],
            CAPTIONS["active_chart"],
        )
    if "ick_chart" in numbers:
        segments = data.ick[data.ick["segment"] != "total"]
        drawn["ick_chart"] = report.numbered_chart(
            charts.ChartRequest(
                charts.ick_attainment_chart,
                pd.DataFrame(
                    segments.assign(
                        segment=[text(f"ick_segments.{s}") for s in segments["segment"]]
                    ).to_dict("records")
                ),
                language=language,
                target_label=text("legend_target"),
                realised_label=dated(text("legend_realised"), data.ick_as_of, language),
                value_label=text("axis_persons"),
            ),
            numbers["ick_chart"],
            # Dated as the source dates its chart ("dan Realisasi per Juni 2024").
            "caption_ick_as_of" if data.ick_as_of else CAPTIONS["ick_chart"],
            "source_bpjs",
            year=data.quarter.year,
            **({"as_at": as_at(data.ick_as_of, language)} if data.ick_as_of else {}),
        )
    return drawn


def render_participation(data: ParticipationData, report: Edition) -> Fragment:
    """Section I in the report's language: coverage, active participants by segment,
    non-active participants, ICK, with the section's recommendations."""
    language, text, q = report.language, report.text, data.quarter
    numbers = caption_numbers(SECTION, data.parts())
    captions = table_captions(
        language,
        numbers,
        CAPTIONS,
        active_table={"period": q.label(language)},
        ick_table={"year": q.year},
    )
    facts = {
        "quarter": q,
        "f": data.facts.items,
        "v": data.facts.values,
        "figures": data.figures,
        "earlier": data.earlier_change,
        "drivers": list(data.drivers),
        "as_of": data.facts.as_of,
    }
    narratives = {
        f"narrative_{name}": report.narrative(f"participation_{name}", **facts)
        for name in ("coverage", "active", "ick", "conclusion")
    }
    return report.render_section(
        "participation.html.j2",
        section=report.catalogue.sections[SECTION],
        captions=captions,
        charts=_charts(data, report, numbers),
        table_periods=[p.month_label(language) for p in data.table_periods],
        change_periods=[p.month_label(language) for p in data.change_periods],
        segment_rows=segment_rows(data, report),
        non_active_rows=[
            (text(f"non_active_reasons.{row.reason}"), row.value)
            for row in data.non_active.itertuples()
        ],
        ick_rows=[
            {
                **row,
                "segment": text(f"ick_segments.{row['segment']}"),
                # A row at another date than the column's says so in its cell.
                "as_of": row["as_of"] if row["as_of"] != data.ick_as_of else None,
            }
            for row in data.ick.to_dict("records")
        ],
        ick_as_of=data.ick_as_of,
        recomputed_notes=report.recomputed_notes(SECTION),
        recommendations=report.recommendations(SECTION),
        commentary=report.review.commentary.get(SECTION),
        **narratives,
        **facts,
    )
