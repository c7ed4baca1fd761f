"""The quarterly report of one period in one language: its sections as HTML fragments.

`QuarterlyReport` takes the period's analysis (`jkn_analysis.analysis.analyse`, shared by
both editions made in one process), applies the analyst's review in its language and renders
each section: the section's data (`jkn_analysis.analysis.participation`, ``facilities``,
``finance``, ``summary``) worded by its render step (`jkn_analysis.report.participation`,
``facilities``, ``finance``, ``opening``, ``appendix``). The notebook displays one section per
cell; the build turns the executed notebook into the HTML page and PDF (see
`jkn_analysis.build.quarter`).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from markupsafe import Markup

from jkn_analysis import __version__
from jkn_analysis.analysis.appendix import appendix_data
from jkn_analysis.analysis.facilities import facilities_data
from jkn_analysis.analysis.finance import finance_data
from jkn_analysis.analysis.participation import participation_data
from jkn_analysis.analysis.period import ReportNotReadyError, analyse
from jkn_analysis.analysis.summary import summary_data
from jkn_analysis.catalogue.definitions import LANGUAGES
from jkn_analysis.catalogue.formatting import format_compact, format_number, format_value
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.compute import Indicator, IndicatorSet
from jkn_analysis.inputs.as_of import month_text
from jkn_analysis.inputs.paths import prepare_output_dir
from jkn_analysis.recommendations.review import apply_review
from jkn_analysis.report.appendix import render_appendix
from jkn_analysis.report.facilities import render_facilities
from jkn_analysis.report.finance import render_finance
from jkn_analysis.report.fragment import Fragment
from jkn_analysis.report.opening import render_contents, render_cover, render_summary
from jkn_analysis.report.participation import render_participation
from jkn_analysis.report.provenance import (  # noqa: F401 (importable from here, as before)
    file_sha256,
    git_commit,
    source_date,
    source_date_origin,
)
from jkn_analysis.report.rendering import (  # noqa: F401 (importable from here, as before)
    RECOMPUTED_MARK,
    TEMPLATE_DIR,
    indicator_text,
    load_text,
    lower_first,
    narrative,
    render_fragment,
)
from jkn_analysis.report.tabledata import (
    chart_description,
    chart_records,
    csv_data_uri,
    file_name,
    indicators_csv,
)

COUNT_UNITS = ("persons", "facilities", "visits", "cases")
COMPACT_FROM = 1_000_000  # counts from a million on are written compactly ("214,5 juta")
FORMAT_OPTIONS = ("compact", "style", "signed", "decimals")  # of `indicator_text`


class QuarterlyReport:
    """The JKN quarterly performance report of one period in one language.

    The period's analysis (``analysis``, a `jkn_analysis.analysis.PeriodAnalysis`) is taken
    from `jkn_analysis.analysis.analyse`: computed once for the files of ``data_dir`` and
    shared with the other edition made in the same process. Only the review is applied here,
    in the report's language.

    Parameters
    ----------
    quarter : str
        The reporting period, ``YYYYQn`` (for example ``"2024Q1"``).
    language : {"id", "en"}
        Report language: Indonesian (default) or English.
    data_dir : str or Path
        Folder with one sub-folder of data files per period; empty: the checkout's ``data/``
        (``./data`` when installed), see `jkn_analysis.inputs.paths.default_data_dir`.
    output_dir : str or Path
        Folder `write_indicators` will write to, created here, before any work, when missing;
        empty: nothing is written.

    Raises
    ------
    FileNotFoundError
        When ``data_dir`` has no data files for the period.
    ValueError
        When the period's files are not filled in yet or hold too few figures for a report
        (the reason in the report's language).
    jkn_analysis.inputs.validation.DataValidationError
        When the data of the period, or of a period it compares with, fails a hard check.
    jkn_analysis.inputs.paths.OutputFolderError
        When ``output_dir`` is a file or cannot be created or written to.
    """

    def __init__(
        self,
        quarter: str,
        language: str = "id",
        data_dir: str | Path = "",
        output_dir: str | Path = "",
    ):
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
        self.quarter = Quarter.parse(quarter)
        self.language = language
        # Refused or created first, so that a bad folder does not fail after every section ran.
        self.output_dir = prepare_output_dir(output_dir, language)
        try:
            self.analysis = analyse(self.quarter, data_dir)
        except ReportNotReadyError as refusal:
            raise ValueError(refusal.blocker.describe(language, refusal.catalogue)) from None
        self.data_dir = self.analysis.data_dir
        self.catalogue = self.analysis.catalogue
        self.figures = self.analysis.figures
        self.history: dict[Quarter, IndicatorSet] = self.analysis.history
        self.indicators = self.analysis.indicators
        self.anchors = self.analysis.anchors
        self.review = apply_review(list(self.analysis.triggered), self.analysis.review, language)
        self.warnings = list(self.analysis.data_warnings) + list(self.review.issues)

    # ------------------------------------------------------------------------ wording
    def text(self, key: str, **values: object) -> str:
        """A wording from ``text.yaml`` in the report language, with ``{placeholders}`` filled."""
        entry = load_text()
        for part in key.split("."):
            entry = entry[part]
        return entry[self.language].format(**values) if values else entry[self.language]

    def indicator_text(self, code: str, **options) -> str:
        """An indicator of the period formatted by its catalogue unit (`fact_text`); options
        (``compact``, ``style``, ``signed``, ``decimals``) and the breakdown are keywords."""
        formatting = {k: options.pop(k) for k in FORMAT_OPTIONS if k in options}
        return self.fact_text(self.indicators.get(code, **options), **formatting)

    def fact_text(self, item: Indicator | None, **options) -> str:
        """An indicator formatted by its catalogue unit; ``*`` marks a published value, and
        `RECOMPUTED_MARK` one the report recomputes differently from the published one."""
        marked = item is not None and item.key() in self._recomputed_keys
        return indicator_text(item, self.language, recomputed=marked, **options)

    @cached_property
    def _recomputed_keys(self) -> frozenset:
        return frozenset(self.analysis.recomputed)

    def recomputed_notes(self, section: str) -> list[str]:
        """Footnotes of the section's indicators that the report recomputes differently from
        the published value: both values, so the body says so, not only the appendix."""
        notes = []
        for (code, _), entry in self.analysis.recomputed.items():
            if entry["section"] != section:
                continue
            dimensions = entry["dimensions"]
            published = format_value(
                entry["published"], entry["unit"], entry["decimals"], language=self.language
            )
            notes.append(
                self.text(
                    "recomputed_note",
                    mark=RECOMPUTED_MARK,
                    label=lower_first(self.indicator_caption(code, dimensions)),
                    published=published,
                    computed=self.indicator_text(code, **dimensions).rstrip(RECOMPUTED_MARK),
                )
            )
        return notes

    def value(self, code: str, **dimensions) -> float | str | None:
        """An indicator's unrounded value, or ``None`` when it is not available."""
        return self.indicators.value(code, **dimensions)

    def value_in(self, period: Quarter, code: str, **dimensions) -> float | str | None:
        """An indicator's value in another period (a comparison period), or ``None``."""
        return self.analysis.value_in(period, code, **dimensions)

    def figure_value(self, code: str, period: Quarter | None = None) -> float | None:
        """An input figure's value for the report period (or ``period``)."""
        return self.figures.value(code, period or self.quarter)

    def figure_label(self, code: str) -> str:
        """A figure's label in the report language."""
        return self.catalogue.figure(code).label[self.language]

    def indicator_label(self, code: str) -> str:
        """An indicator's label in the report language."""
        return self.catalogue.indicator(code).label[self.language]

    # ---------------------------------------------------------------------- rendering
    def render_section(self, template: str, **context) -> Fragment:
        """A section's template, given its prepared rows and facts, in the report language."""
        return render_fragment(template, self.language, self._recomputed_keys, **context)

    def narrative(self, name: str, **facts) -> Markup:
        """A paragraph (``narrative/<name>.<language>.html.j2``) given its facts, on one line."""
        return Markup(narrative(name, self.language, self._recomputed_keys, **facts))

    @cached_property
    def chart_cache(self):
        """Where the charts come from when an equal one was drawn before
        (`jkn_analysis.report.charts.ChartCache`, its folder from the environment); made on the
        first chart, as the charts' import chooses matplotlib's backend."""
        from jkn_analysis.report.charts import ChartCache

        return ChartCache.from_environment()

    def numbered_chart(
        self,
        chart,
        number: str,
        caption_key: str,
        source_key: str = "source_bpjs",
        note: str = "",
        **values: object,
    ) -> Markup:
        """A chart as HTML, captioned ``Grafik <number> …``, with its data described for
        screen readers and offered as a CSV download.

        ``chart`` is a `jkn_analysis.report.charts.ChartRequest`, drawn only when the chart
        cache (`chart_cache`) holds no equal chart, or axes already drawn.
        """
        from jkn_analysis.report.charts import ChartRequest, DrawnChart

        if isinstance(chart, ChartRequest):
            drawn = self.chart_cache.chart(chart)
        else:
            drawn = DrawnChart.from_axes(chart)
        caption = f"{self.text('chart')} {number} {self.text(caption_key, **values)}"
        data = drawn.data
        header = None if data is None else self._chart_column_header(drawn)
        description, download = caption, None
        if data is not None:
            description = self.text(
                "chart_alt",
                caption=caption,
                values=chart_description(data, self._chart_number, header, self.text),
            )
            download = {
                "href": csv_data_uri(chart_records(data, header)),
                "file": file_name(caption),
                "label": self.text("download_data"),
                "name": self.text("download_data_of", caption=caption),
            }
        fragment = self.render_section(
            "chart.html.j2",
            caption=caption,
            description=description,
            download=download,
            image=base64.b64encode(drawn.svg.encode("utf-8")).decode("ascii"),
            source=self.text(source_key),
            note=note,
        )
        return Markup(fragment.html)

    def _chart_number(self, value: float) -> str:
        """A chart value in words: large ones with a scale word, others to two decimals."""
        number = float(value)
        if abs(number) >= 1e6:
            return format_compact(number, 2 if abs(number) >= 1e12 else 1, language=self.language)
        return format_number(number, 0 if number.is_integer() else 2, language=self.language)

    def _chart_column_header(self, drawn) -> Callable[[str], str]:
        """Names of a chart's data columns; the value column carries the value axis' title."""
        axis_title = next((label for label in (drawn.ylabel, drawn.xlabel) if label), "")

        def header(column: str) -> str:
            name = self.text(f"chart_data_columns.{column}")
            return f"{name} ({axis_title})" if column == "value" and axis_title else name

        return header

    def recommendations(self, section: str) -> list[dict]:
        """The section's recommendations as a reader sees them, beside their indicator.

        Only the title, the text and the evidence in words: the rule, the analyst's decision
        and note, and where each threshold comes from are in the appendix (`audit_trail`).
        An undecided recommendation keeps the draft mark.
        """
        items = []
        for recommendation in self.review.section(section):
            anchor = dict(self.anchors.get(recommendation.rule_id, {}))
            code = anchor.pop("code", None)
            item = {
                "id": recommendation.rule_id,
                "title": recommendation.title,
                "text": recommendation.text,
                # Each piece of evidence is a sentence of its own, capital first: joined as
                # sentences, not with semicolons (which would leave capitals mid-sentence).
                "evidence": "".join(
                    f"{e.text.rstrip('.')}. " for e in recommendation.evidence
                ).strip(),
                "draft": recommendation.decision == "undecided",
                "indicator_label": None,
                "indicator_value": None,
            }
            if code is not None and self.indicators.get(code, **anchor) is not None:
                unit = self.catalogue.indicator(code).unit
                value = self.value(code, **anchor)
                # Millions read better as "47,36 juta"; a few thousand facilities exactly.
                compact = unit in COUNT_UNITS and abs(value) >= COMPACT_FROM
                item["indicator_label"] = self.indicator_caption(code, anchor)
                item["indicator_value"] = self.indicator_text(code, compact=compact, **anchor)
            items.append(item)
        return items

    def foreign(self, language: str) -> str:
        """``language`` when a quoted text is in another language than the report, else ""."""
        return language if language and language != self.language else ""

    def indicator_caption(self, code: str, dimensions: dict) -> str:
        """An indicator's label with its breakdown in brackets: "Rasio klaim (RITL)"."""
        label = self.indicator_label(code)
        for key, value in dimensions.items():
            group = {
                "segment": "ick_segments",
                "service": "services",
                "reason": "non_active_reasons",
            }.get(key)
            if group:
                label += f" ({self.text(f'{group}.{value}').strip()})"
        return label

    # ----------------------------------------------------------------------- sections
    def cover(self) -> Fragment:
        """Title block with links to the other editions and to this edition's PDF."""
        return render_cover(self)

    def contents(self) -> Fragment:
        """Table of contents with links to every section (PDF page numbers added in print)."""
        return render_contents(self)

    def executive_summary(self) -> Fragment:
        """Headline indicators as cards, with one sentence each."""
        return render_summary(summary_data(self.analysis), self)

    def participation(self) -> Fragment:
        """Section I: coverage, active participants by segment, non-active, ICK."""
        return render_participation(participation_data(self.analysis), self)

    def facilities(self) -> Fragment:
        """Section II: contracted facilities, utilisation, referrals, claims expense."""
        return render_facilities(facilities_data(self.analysis), self)

    def finance(self) -> Fragment:
        """Section III: premium income, claims, claim ratio, surplus, months covered, investment."""
        return render_finance(finance_data(self.analysis), self)

    def appendix(self, *, parameters: dict | None = None) -> Fragment:
        """Data checks, values used as published, input figures with sources, and provenance."""
        return render_appendix(appendix_data(self.analysis), self, parameters)

    @cached_property
    def projection(self):
        """The DJS projection from this period (`jkn_analysis.projection.ProjectionResults`),
        or the reason it cannot be made, in the report's language."""
        results = self.analysis.projection
        return results.describe(self.language) if isinstance(results, Exception) else results

    def triggered_rules(self) -> list:
        """The rules the period's indicators trigger, the projection's first year below
        1,5 months included (the actuarial rule reads it)."""
        return list(self.analysis.triggered)

    def indicators_document(self) -> dict:
        """The content of ``indicators.json``: every indicator of the period, sorted."""
        return {
            "report": "laporan-kinerja-jkn",
            "period": str(self.quarter),
            "generator": f"jkn-analysis {__version__}",
            "status": self.review.status,
            # Codes and the message in each language, for programs and for either edition.
            "data_checks": [issue.as_record(self.catalogue) for issue in self.warnings],
            "recommendations": [
                {"rule_id": item.rule_id, "section": item.section, "decision": item.decision}
                for item in [*self.review.recommendations, *self.review.dropped]
            ],
            "indicators": self._dated_indicators_json() + self._projection_json(),
        }

    def _dated_indicators_json(self) -> list[dict]:
        """The period's indicators as records, with ``as_of`` (``YYYY-MM``) added to those
        whose input figures the source gives at another date than the quarter's end; the
        other keys are as `IndicatorSet.as_json` writes them."""
        records = self.indicators.as_json()
        for item, record in zip(self.indicators, records, strict=True):
            month = self.analysis.as_of(item.code, **item.dimensions)
            if month is not None:
                record["as_of"] = month_text(month)
        return records

    def _projection_json(self) -> list[dict]:
        if isinstance(self.projection, str):
            return []
        return [
            item.as_json(self.catalogue.indicator(item.code).decimals)
            for item in self.projection.indicators()
        ]

    def write_indicators(self, output_dir: str | Path) -> Path | None:
        """Write ``indicators.json`` into ``output_dir``; an empty ``output_dir`` writes nothing.

        The notebook's default leaves ``output_dir`` empty, so running it in JupyterLab never
        touches a built report; ``jkn-report build`` passes its temporary build folder.
        """
        if not str(output_dir):
            return None
        path = Path(output_dir) / "indicators.json"
        text = json.dumps(self.indicators_document(), ensure_ascii=False, indent=2, sort_keys=True)
        path.write_text(text + "\n", encoding="utf-8")
        # The same indicators as a table, for spreadsheets.
        (Path(output_dir) / "indicators.csv").write_text(
            indicators_csv(self.indicators_document()["indicators"]), encoding="utf-8"
        )
        return path
