"""The report's opening: the cover, the contents and the executive summary, in one language."""

from __future__ import annotations

from pathlib import Path

from jkn_analysis.analysis.summary import SummaryData
from jkn_analysis.catalogue.definitions import LANGUAGES
from jkn_analysis.report.edition import Edition
from jkn_analysis.report.filenames import report_paths
from jkn_analysis.report.fragment import Fragment
from jkn_analysis.report.rendering import dated, load_text


def render_cover(report: Edition) -> Fragment:
    """Title block: report title, period, publisher and data date, with links to the other
    editions (each worded in its own language) and to this edition's PDF (screen only).

    The links are relative: the editions and the PDF lie side by side in the period's folder.
    """
    text = load_text()
    others = [
        {
            "language": code,
            "href": report_paths(Path(), report.quarter, code)["html"].name,
            "label": text["read_edition"][code],
        }
        for code in LANGUAGES
        if code != report.language
    ]
    pdf = report_paths(Path(), report.quarter, report.language)["pdf"].name
    return report.render_section(
        "cover.html.j2", quarter=report.quarter, other_editions=others, pdf_href=pdf
    )


def render_contents(report: Edition) -> Fragment:
    """Table of contents with links to every section (PDF page numbers added in print)."""
    sections = [("summary", report.text("executive_summary"))]
    for key, spec in report.catalogue.sections.items():
        sections.append((key, f"{spec['number']}. {spec[report.language]}"))
    sections.append(("appendix", report.text("appendix")))
    return report.render_section("contents.html.j2", sections=sections)


def render_summary(data: SummaryData, report: Edition) -> Fragment:
    """Headline indicators as cards, with the paragraph that reads them together."""
    items = data.facts.items
    cards = [
        {
            # A headline the source gives at another date than the quarter's end says so.
            "label": dated(
                report.indicator_label(code), data.facts.as_of.get(name), report.language
            ),
            "value": report.fact_text(items[name], compact=code == "active_participants"),
        }
        for name, code in data.cards
    ]
    titles = {item.rule_id: item.title for item in report.review.recommendations}
    draft_rules = "; ".join(titles.get(rule, rule) for rule in report.review.undecided)
    facts = {"quarter": data.quarter, "f": items, "v": data.facts.values}
    return report.render_section(
        "summary.html.j2",
        cards=cards,
        draft_rules=draft_rules,
        commentary=report.review.commentary.get("summary"),
        narrative=report.narrative("summary", **facts),
    )
