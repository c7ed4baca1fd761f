"""Rendering a section's prepared data in one language: the templates, their filters, and
the one way an indicator is written.

Templates receive rows and facts (indicators, figures) already chosen by the analysis
(`jkn_analysis.analysis`) and word them with the filters set here; they call back into no
object.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from jkn_analysis.catalogue.definitions import load_catalogue
from jkn_analysis.catalogue.formatting import (
    format_compact,
    format_number,
    format_percent,
    format_rupiah,
    format_signed,
    format_value,
)
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.catalogue.wording import load_text as fresh_text
from jkn_analysis.indicators.compute import Indicator
from jkn_analysis.report.filenames import TEMPLATE_DIR
from jkn_analysis.report.fragment import Fragment
from jkn_analysis.report.tabledata import accessible_tables

# Marks a value the report recomputes differently from the published one (see recomputed_notes).
RECOMPUTED_MARK = "†"


@cache
def load_text() -> dict:
    """Report wording (headings, captions) from ``catalogue/text.yaml``, read once: callers
    only read it."""
    return fresh_text()


def text(language: str, key: str, **values: object) -> str:
    """A wording from ``text.yaml`` in ``language``, with ``{placeholders}`` filled."""
    entry = load_text()
    for part in key.split("."):
        entry = entry[part]
    return entry[language].format(**values) if values else entry[language]


def month_name(month: dt.date, language: str) -> str:
    """A month in words, as the report dates a figure: ``Juni 2024``, ``June 2024``."""
    return format_date(month, "MMMM y", locale=language)


def as_at(month: dt.date | None, language: str) -> str:
    """The date a figure stands at, after its label or value (``per Juni 2024``, ``as at
    June 2024``); empty for ``None``, a figure at the end of the reporting quarter."""
    return "" if month is None else text(language, "as_at", month=month_name(month, language))


def dated(words: str, month: dt.date | None, language: str) -> str:
    """``words`` (a label, a column header) followed by the date it stands at, if any."""
    return f"{words} {as_at(month, language)}" if month is not None else words


def stated_when(month: dt.date | None, quarter: Quarter, language: str) -> str:
    """When a figure was observed, as a sentence says it: the month the source gives it at
    (``Juni 2024``), or else the quarter (``TW I 2024``, ``Q1 2024``)."""
    return month_name(month, language) if month is not None else quarter.label(language)


def lower_first(words: str) -> str:
    """``words`` with its first letter in lower case, for a label used mid-sentence.

    Unlike Jinja's ``lower`` it keeps abbreviations: "Primary outpatient care (RJTP)" becomes
    "primary outpatient care (RJTP)", not "(rjtp)".
    """
    return words[:1].lower() + words[1:]


def indicator_text(
    item: Indicator | None,
    language: str,
    *,
    recomputed: bool = False,
    compact: bool = False,
    style: str = "short",
    signed: bool = False,
    decimals: int | None = None,
) -> str:
    """An indicator formatted by its catalogue unit; ``*`` marks a published value and
    `RECOMPUTED_MARK` one the report recomputes differently; "not available" for ``None``."""
    if item is None:
        return text(language, "not_available")
    definition = load_catalogue().indicator(item.code)
    places = definition.decimals if decimals is None else decimals
    if definition.unit == "category":  # the corridor position: below, within, above
        words = text(language, f"corridor_{item.value}")
    elif signed and isinstance(item.value, float):
        words = format_signed(
            item.value, places, language=language, percent=definition.unit == "percent"
        )
    else:
        words = format_value(
            item.value,
            definition.unit,
            places,
            language=language,
            compact=compact,
            style=style,
        )
    marker = "*" if item.method == "reported" else ""
    return words + marker + (RECOMPUTED_MARK if recomputed else "")


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR / "report"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    environment.filters["lower_first"] = lower_first
    return environment


def helpers(language: str, recomputed: frozenset = frozenset()) -> dict:
    """What every template may use to word its data in ``language``: ``t`` (a wording),
    ``num``, ``pct``, ``compact``, ``rp``, ``signed`` (numbers), ``fmt`` (an indicator, marked
    when it is in ``recomputed``, a set of ``(code, sorted dimensions)``), ``figure_label``
    and ``indicator_label`` (catalogue labels of a code), ``as_at``, ``dated`` and ``when``
    (the date a figure stands at, when the source gives it at another than the quarter's
    end)."""
    catalogue = load_catalogue()

    def fmt(item: Indicator | None, **options) -> str:
        marked = item is not None and item.key() in recomputed
        return indicator_text(item, language, recomputed=marked, **options)

    return {
        "t": lambda key, **values: text(language, key, **values),
        "language": language,
        "num": lambda v, d=0: format_number(v, d, language=language),
        "pct": lambda v, d=2: format_percent(v, d, language=language),
        "compact": lambda v, d=1: format_compact(v, d, language=language),
        "rp": lambda v, d=2, style="short": format_rupiah(v, d, language=language, style=style),
        "signed": lambda v, d=0, percent=False: format_signed(
            v, d, language=language, percent=percent
        ),
        "fmt": fmt,
        "figure_label": lambda code: catalogue.figure(code).label[language],
        "indicator_label": lambda code: catalogue.indicator(code).label[language],
        "as_at": lambda month: as_at(month, language),
        "dated": lambda words, month: dated(words, month, language),
        "when": lambda month, quarter: stated_when(month, quarter, language),
    }


def render(template: str, language: str, recomputed: frozenset = frozenset(), **context) -> str:
    """A template rendered in ``language`` with the `helpers` and ``context``, as HTML whose
    tables are made accessible (captions, header scopes, a CSV of each table's data)."""
    html = (
        _environment().get_template(template).render(**{**helpers(language, recomputed), **context})
    )
    return accessible_tables(html, language, lambda key, **values: text(language, key, **values))


def render_fragment(
    template: str, language: str, recomputed: frozenset = frozenset(), **context
) -> Fragment:
    """`render` as a `Fragment`, for the notebook to display."""
    return Fragment(render(template, language, recomputed, **context))


def narrative(template: str, language: str, recomputed: frozenset = frozenset(), **context) -> str:
    """A paragraph's template rendered on one line (``narrative/<name>.<language>.html.j2``)."""
    html = render(f"narrative/{template}.{language}.html.j2", language, recomputed, **context)
    return " ".join(html.split())
