"""Section II, health facilities and their use, rendered: `FacilitiesData` in one language.

The rows and facts come from `jkn_analysis.analysis.facilities`; here they get their labels,
their caption numbers (`jkn_analysis.report.sections`) and their charts, and the templates
``facilities.html.j2`` and ``narrative/facilities_*`` write them.
"""

from __future__ import annotations

import pandas as pd

from jkn_analysis.analysis.facilities import FacilitiesData
from jkn_analysis.catalogue.formatting import format_number
from jkn_analysis.report.edition import Edition
from jkn_analysis.report.fragment import Fragment
from jkn_analysis.report.sections import caption_numbers, table_captions

SECTION = "facilities"
CAPTIONS = {
    "facilities_table": "caption_facilities",
    "fktp_chart": "caption_fktp_chart",
    "utilisation_table": "caption_utilisation",
    "visits_chart": "caption_visits_chart",
    "claims_table": "caption_claims",
    "claims_chart": "caption_claims_chart",
    "top_cases_table": "caption_top_cases",
}


def _charts(data: FacilitiesData, report: Edition, numbers: dict) -> dict:
    """The section's charts, drawn and captioned, by part name (those with data)."""
    from jkn_analysis.report import charts

    language, text = report.language, report.text
    drawn = {}
    if "fktp_chart" in numbers:
        target = data.figures["fktp_target"]
        drawn["fktp_chart"] = report.numbered_chart(
            charts.ChartRequest(
                charts.facilities_chart,
                data.fktp_points.assign(
                    period=[p.month_label(language) for p in data.fktp_points["period"]]
                ),
                language=language,
                target=target,
                target_label=(
                    text("legend_target_fktp", value=format_number(target, language=language))
                    if target is not None
                    else None
                ),
                value_label=text("axis_facilities"),
            ),
            numbers["fktp_chart"],
            CAPTIONS["fktp_chart"],
        )
    if "visits_chart" in numbers:
        frame = data.visits_chart.assign(
            service=[text(f"services.{s}") for s in data.visits_chart["service"]],
            period=[p.month_label(language) for p in data.visits_chart["period"]],
        )
        drawn["visits_chart"] = report.numbered_chart(
            charts.ChartRequest(
                charts.visits_chart, frame, language=language, value_label=text("axis_visits")
            ),
            numbers["visits_chart"],
            CAPTIONS["visits_chart"],
        )
    if "claims_chart" in numbers:
        frame = pd.DataFrame(
            [
                {
                    "service": text(f"services.{row.service}"),
                    "share": row.share,
                    "reported": row.reported,
                }
                for row in data.claims.itertuples()
            ]
        )
        drawn["claims_chart"] = report.numbered_chart(
            charts.ChartRequest(
                charts.claims_share_chart, frame, language=language, value_label=text("axis_share")
            ),
            numbers["claims_chart"],
            CAPTIONS["claims_chart"],
        )
    return drawn


def render_facilities(data: FacilitiesData, report: Edition) -> Fragment:
    """Section II in the report's language: contracted facilities, utilisation, referrals,
    claims expense and the most frequent cases, with the section's recommendations."""
    language, text, q = report.language, report.text, data.quarter
    numbers = caption_numbers(SECTION, data.parts())
    facts = {
        "quarter": q,
        "f": data.facts.items,
        "v": data.facts.values,
        "figures": data.figures,
        "year_earlier": data.figures_year_earlier,
        "ranked": data.ranked,
        "cases": {
            service: [
                (rank, report.figure_label(code).split(": ", 1)[-1], value)
                for rank, code, value in cases
            ]
            for service, cases in data.cases.items()
        },
    }
    narratives = {
        f"narrative_{name}": report.narrative(f"facilities_{name}", **facts)
        for name in ("contracts", "utilisation", "claims", "cases", "conclusion")
    }
    return report.render_section(
        "facilities.html.j2",
        section=report.catalogue.sections[SECTION],
        captions=table_captions(language, numbers, CAPTIONS),
        charts=_charts(data, report, numbers),
        december=q.previous_december.month_label(language),
        now_label=q.month_label(language),
        before_label=q.year_earlier.month_label(language),
        facility_rows=[
            {**row, "label": text(f"facility_rows.{row['facility']}")}
            for row in data.facilities.to_dict("records")
        ],
        supporting=[
            (text(f"facility_rows.{row.code}"), row.value) for row in data.supporting.itertuples()
        ],
        visit_rows=[
            {**row, "label": text(f"service_names.{row['service']}")}
            for row in data.visits.to_dict("records")
        ],
        claim_rows=[
            {**row, "label": text(f"service_names.{row['service']}")}
            for row in data.claims.to_dict("records")
        ],
        top_cases=[
            (report.figure_label(row.code), row.value) for row in data.top_cases.itertuples()
        ],
        recomputed_notes=report.recomputed_notes(SECTION),
        recommendations=report.recommendations(SECTION),
        commentary=report.review.commentary.get(SECTION),
        **narratives,
        **facts,
    )
