"""The appendix: data checks, values used as published, the audit trail of the
recommendations, input figures with their sources, the projection's back-test, provenance."""

from __future__ import annotations

from pathlib import Path

from jkn_analysis import __version__
from jkn_analysis.analysis.appendix import AppendixData
from jkn_analysis.catalogue.formatting import format_value
from jkn_analysis.report.edition import Edition
from jkn_analysis.report.fragment import Fragment
from jkn_analysis.report.provenance import git_commit, source_date, source_date_origin
from jkn_analysis.report.rendering import dated

# The language of the data files' source and note columns, which the appendix quotes as
# supplied: the shipped data and the data-entry template's notes are Indonesian. The English
# edition marks them lang="id", so that they are read (and hyphenated, and translated) as such.
DATA_LANGUAGE = "id"


def audit_trail(report: Edition) -> list[dict]:
    """Every recommendation's rule, decision, analyst's note and threshold sources, for the
    appendix "Jejak audit rekomendasi": what the body leaves out so that it reads as a
    publication, kept for the reviewer who signs the report off."""
    decision_text = {
        "confirm": report.text("decision_confirm"),
        "edit": report.text("decision_edit"),
        "undecided": report.text("decision_undecided"),
        "added": report.text("decision_added"),
        "drop": report.text("decision_drop"),
    }
    rows = []
    for recommendation in [*report.review.recommendations, *report.review.dropped]:
        sources = []
        for evidence in recommendation.evidence:
            if evidence.source and evidence.source not in sources:
                sources.append(evidence.source)
        rows.append(
            {
                "id": recommendation.rule_id,
                "title": recommendation.title,
                "section": "{number}. {name}".format(
                    number=report.catalogue.sections[recommendation.section]["number"],
                    name=report.catalogue.sections[recommendation.section][report.language],
                ),
                "shown": recommendation.decision != "drop",
                "decision": recommendation.decision,
                "decision_text": decision_text[recommendation.decision],
                "note": recommendation.reason,
                "note_lang": report.foreign(recommendation.reason_language),
                "sources": sources,
            }
        )
    return rows


def figure_note(report: Edition, row) -> dict[str, str]:
    """A figure's ``note`` for the appendix and the language to mark it with (``note_lang``):
    a total derived here from its parts is described in the report language; other notes
    are quoted from the data file, in `DATA_LANGUAGE`."""
    if row.derived:
        parts = " + ".join(
            report.figure_label(part) for part in report.catalogue.figure(row.code).parts
        )
        return {"note": report.text("derived_sum_note", parts=parts), "note_lang": ""}
    note = row.note
    return {"note": note, "note_lang": report.foreign(DATA_LANGUAGE) if note else ""}


def backtest_context(report: Edition) -> dict | None:
    """The appendix's back-test table of the projection, or ``None``."""
    from jkn_analysis.projection import Display

    results = report.projection
    if isinstance(results, str) or results.backtest is None:
        return None
    display = Display(results, report.language)
    return {
        "texts": display.backtest_texts(),
        "table": display.backtest_table(),
    }


def render_appendix(
    data: AppendixData, report: Edition, parameters: dict | None = None
) -> Fragment:
    """Data checks, values used as published, input figures with sources, and provenance."""
    language, catalogue = report.language, report.catalogue
    sources: dict[str, int] = {}  # each distinct source once, numbered as first cited
    missing = {
        catalogue.sections[section][language]: [
            catalogue.figure(code).label[language] for code in codes
        ]
        for section, codes in data.missing.items()
    }
    commit = git_commit(Path(__file__).resolve().parent)
    return report.render_section(
        "appendix.html.j2",
        backtest=backtest_context(report),
        missing=missing,
        audit=audit_trail(report),
        warnings=[issue.describe(language, catalogue) for issue in report.warnings],
        reported=[
            (report.indicator_caption(item.code, item.dimensions), report.fact_text(item))
            for item in data.reported
        ],
        figures_rows=[
            {
                "code": row.code,
                "label": report.figure_label(row.code),
                "value": dated(
                    format_value(
                        row.value,
                        row.unit,
                        2 if row.unit in ("percent", "months") else 0,
                        language=language,
                    ),
                    row.as_of,
                    language,
                ),
                "status": report.text(f"status_{row.status}"),
                "source": sources.setdefault(row.source, len(sources) + 1) if row.source else None,
                **figure_note(report, row),
            }
            for row in data.figures.itertuples(index=False)
        ],
        sources=sources,
        sources_lang=report.foreign(DATA_LANGUAGE),
        files=list(data.files),
        parameters=parameters or {"quarter": str(report.quarter), "language": language},
        version=__version__,
        commit=commit or report.text("not_a_git_checkout"),
        build_time=source_date().strftime("%Y-%m-%d %H:%M:%S UTC"),
        build_time_origin=report.text(f"date_origin_{source_date_origin().lower()}"),
    )
