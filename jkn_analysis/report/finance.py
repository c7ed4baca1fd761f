"""Section III, the financial health of the DJS, rendered: `FinanceData` in one language.

The rows and facts come from `jkn_analysis.analysis.finance`; here they get their labels,
their caption numbers (`jkn_analysis.report.sections`) and their charts, the projection its
tables (`jkn_analysis.projection.Display`), and the templates ``finance.html.j2`` and
``narrative/finance_*`` write them.
"""

from __future__ import annotations

import pandas as pd

from jkn_analysis.analysis.finance import FinanceData
from jkn_analysis.indicators.formulas import CORRIDOR_CEILING_MONTHS, CORRIDOR_FLOOR_MONTHS
from jkn_analysis.report.edition import Edition
from jkn_analysis.report.fragment import Fragment
from jkn_analysis.report.sections import caption_numbers, table_captions

SECTION = "finance"
CAPTIONS = {
    "djs_table": "caption_djs",
    "claim_ratio_chart": "caption_claim_ratio_chart",
    "months_chart": "caption_months_chart",
    "investment_table": "caption_investment",
    "investment_chart": "caption_investment_chart",
    "projection_start_table": "projection.report.caption_start",
    "projection_drivers_table": "projection.report.caption_drivers",
    "projection_calendar_table": "projection.report.caption_calendar",
    "projection_scenarios_table": "projection.report.caption_scenarios",
    "projection_chart": "projection.report.caption_chart",
    "projection_outcome_table": "projection.report.caption_outcome",
    "projection_baseline_table": "projection.report.caption_baseline",
    "projection_sensitivity_table": "projection.report.caption_sensitivity",
}


def _on_time_axis(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """A frame of periods (`Quarter`) with each period's label and end date: its bar stands at
    the period's end, so that the axis is spaced by time."""
    return frame.assign(
        period=[p.label(language) for p in frame["period"]],
        date=[pd.Timestamp(p.end_date) for p in frame["period"]],
    )


def _history_charts(data: FinanceData, report: Edition, numbers: dict) -> dict:
    """The claim ratio, the flows and the months covered over time, drawn and captioned."""
    from jkn_analysis.report import charts

    language, text = report.language, report.text
    drawn = {}
    if "claim_ratio_chart" in numbers:
        frame = _on_time_axis(data.claim_ratio, language)
        drawn["claim_ratio_chart"] = report.numbered_chart(
            charts.ChartRequest(
                charts.claim_ratio_chart,
                frame,
                language=language,
                value_label=text("axis_claim_ratio"),
            ),
            numbers["claim_ratio_chart"],
            CAPTIONS["claim_ratio_chart"],
            "source_public",
        )
    if "flows_chart" in numbers:
        flows = data.flows
        names = {
            "year": lambda p: str(p.year),
            "quarter": lambda p: p.label(language),
            "annualised": lambda p: text("annualised_label", year=p.year),
        }
        frame = pd.DataFrame(
            {
                "period": [
                    names[kind](p)
                    for p, kind in zip(flows.frame["period"], flows.frame["label"], strict=True)
                ],
                "date": flows.frame["date"],
                "series": [report.indicator_label(code) for code in flows.frame["series"]],
                "value": flows.frame["value"],
                "estimated": flows.frame["estimated"],
            }
        )
        q = data.quarter
        drawn["flows_chart"] = report.numbered_chart(
            charts.ChartRequest(
                charts.flow_comparison_chart,
                frame,
                language=language,
                value_label=text("axis_rupiah"),
            ),
            numbers["flows_chart"],
            flows.caption,
            "source_public",
            note=text(flows.note, period=q.label(language)) if flows.note else "",
            period=q.label(language),
            year=q.year,
        )
    if "months_chart" in numbers:
        frame = _on_time_axis(data.months_covered, language)
        drawn["months_chart"] = report.numbered_chart(
            charts.ChartRequest(
                charts.months_covered_chart,
                frame,
                language=language,
                floor=CORRIDOR_FLOOR_MONTHS,
                ceiling=CORRIDOR_CEILING_MONTHS,
                corridor_label=text("corridor_label"),
                value_label=text("axis_months"),
            ),
            numbers["months_chart"],
            CAPTIONS["months_chart"],
            "source_public",
        )
    return drawn


def _investment_chart(data: FinanceData, report: Edition, numbers: dict) -> dict:
    from jkn_analysis.report import charts

    if "investment_chart" not in numbers:
        return {}
    frame = pd.DataFrame(
        [
            {
                "instrument": report.text(f"instruments.{row.instrument}"),
                "value": row.value,
                "share": row.share,
            }
            for row in data.investment.itertuples()
        ]
    )
    return {
        "investment_chart": report.numbered_chart(
            charts.ChartRequest(charts.investment_mix_chart, frame, language=report.language),
            numbers["investment_chart"],
            CAPTIONS["investment_chart"],
        )
    }


def projection_context(
    data: FinanceData, report: Edition, display, numbers: dict, captions: dict
) -> dict:
    """Section III's actuarial note: formulas, start, drivers, calendar, scenarios, chart
    with its band, outcome, the baseline year by year and the sensitivity table."""
    from jkn_analysis.report import charts

    results, language, text = data.projection, report.language, report.text
    if display is None:
        reason = results.describe(language)
        return {"unavailable": text("projection.report.unavailable", reason=reason)}
    band = results.band
    chart = report.numbered_chart(
        charts.ChartRequest(
            charts.projection_chart,
            results.chart_data(language),
            language=language,
            corridor_label=text("corridor_label"),
            value_label=text("axis_months"),
            band=results.band_data(),
            band_label=None
            if band is None
            else text(
                "projection.report.legend_band", low=band.percentiles[0], high=band.percentiles[1]
            ),
        ),
        numbers["projection_chart"],
        CAPTIONS["projection_chart"],
        "projection.report.source",
    )
    return {
        "method": display.method(),
        "start": display.start_table(),
        "caption_start": captions["projection_start_table"],
        "seasonal": display.seasonal(),
        "drivers": display.drivers_table(),
        "caption_drivers": captions["projection_drivers_table"],
        "calendar": display.calendar_table(),
        "caption_calendar": captions["projection_calendar_table"],
        "scenarios": display.scenarios_table(),
        "caption_scenarios": captions["projection_scenarios_table"],
        "chart": chart,
        "outcome": display.outcome_table(),
        "caption_outcome": captions["projection_outcome_table"],
        "sentences": display.summaries(),
        "notes": display.all_notes(),
        "baseline": display.yearly_table(),
        "caption_baseline": captions["projection_baseline_table"],
        "year_note": display.year_note(),
        "band_text": display.band_text(),
        "sensitivity": display.sensitivity_table(),
        "sensitivity_text": display.sensitivity_text(),
        "caption_sensitivity": captions.get("projection_sensitivity_table"),
    }


def render_finance(data: FinanceData, report: Edition) -> Fragment:
    """Section III in the report's language: premium income, claims, claim ratio, surplus,
    months covered, investment and the projection, with the section's recommendations."""
    from jkn_analysis.projection import Display

    language, text, q = report.language, report.text, data.quarter
    display = Display(data.projection, language) if data.has_projection else None
    present = data.parts()
    if display is not None and display.sensitivity_table():
        present.add("projection_sensitivity_table")
    numbers = caption_numbers(SECTION, present)
    captions = table_captions(language, numbers, CAPTIONS)
    charts = {
        **_history_charts(data, report, numbers),
        **_investment_chart(data, report, numbers),
    }
    facts = {
        "quarter": q,
        "f": data.facts.items,
        "v": data.facts.values,
        "figures": data.figures,
        "as_of": data.facts.as_of,
    }
    narratives = {
        f"narrative_{name}": report.narrative(f"finance_{name}", **facts)
        for name in ("income", "sustainability", "investment", "conclusion")
    }
    corridor = data.facts.values["months_covered_corridor"]
    return report.render_section(
        "finance.html.j2",
        projection=projection_context(data, report, display, numbers, captions),
        section=report.catalogue.sections[SECTION],
        captions=captions,
        charts=charts,
        corridor_text=text(f"corridor_{corridor}") if corridor else None,
        instruments=[
            (text(f"instruments.{row.instrument}"), row.value, row.instrument)
            for row in data.investment.itertuples()
            if row.value
        ],
        recomputed_notes=report.recomputed_notes(SECTION),
        recommendations=report.recommendations(SECTION),
        commentary=report.review.commentary.get(SECTION),
        **narratives,
        **facts,
    )
