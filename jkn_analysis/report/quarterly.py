"""The quarterly report: sections rendered to HTML fragments for the notebook to display.

`QuarterlyReport` loads and checks the data, computes the indicators and renders each section
with Jinja2 templates from ``templates/report``. The notebook displays one section per cell;
the build turns the executed notebook into the HTML page and PDF (see `jkn_analysis.build.quarter`).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import subprocess
from collections.abc import Callable
from functools import cache, cached_property
from pathlib import Path

import pandas as pd
import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from jkn_analysis import __version__
from jkn_analysis.analysis.facilities import facilities_data
from jkn_analysis.analysis.finance import finance_data
from jkn_analysis.analysis.participation import participation_data
from jkn_analysis.analysis.period import ReportNotReadyError, analyse
from jkn_analysis.catalogue.definitions import CATALOGUE_DIR, LANGUAGES
from jkn_analysis.catalogue.formatting import (
    format_compact,
    format_number,
    format_percent,
    format_rupiah,
    format_signed,
    format_value,
)
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.compute import (
    IndicatorSet,
)
from jkn_analysis.inputs.loading import period_files
from jkn_analysis.inputs.paths import prepare_output_dir
from jkn_analysis.recommendations.review import apply_review
from jkn_analysis.report.facilities import render_facilities
from jkn_analysis.report.finance import render_finance
from jkn_analysis.report.fragment import Fragment
from jkn_analysis.report.participation import render_participation
from jkn_analysis.report.rendering import narrative, render_fragment
from jkn_analysis.report.tabledata import (
    accessible_tables,
    chart_description,
    chart_records,
    csv_data_uri,
    file_name,
    indicators_csv,
)

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
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
# The language of the data files' source and note columns, which the appendix quotes as
# supplied: the shipped data and the data-entry template's notes are Indonesian. The English
# edition marks them lang="id", so that they are read (and hyphenated, and translated) as such.
DATA_LANGUAGE = "id"
COUNT_UNITS = ("persons", "facilities", "visits", "cases")
# Marks a value the report recomputes differently from the published one (see recomputed_notes).
RECOMPUTED_MARK = "†"
COMPACT_FROM = 1_000_000  # counts from a million on are written compactly ("214,5 juta")
# Segments drawn in the active-participant chart (the main blocks of the table).
CHART_SEGMENTS = ("pbi", "ppu_pn", "ppu_non_pn", "pbpu", "bp", "pbpu_pemda")
TOP_CASES = (
    "rjtl_cases_chronic_minor",
    "rjtl_cases_physiotherapy",
    "rjtl_cases_dialysis",
    "ritl_cases_abdominal",
    "ritl_cases_caesarean",
    "ritl_cases_pneumonia",
)


@cache
def load_text() -> dict:
    """Report wording (headings, captions) from ``catalogue/text.yaml``."""
    return yaml.safe_load((CATALOGUE_DIR / "text.yaml").read_text("utf-8"))


def lower_first(text: str) -> str:
    """``text`` with its first letter in lower case, for a label used mid-sentence.

    Unlike Jinja's ``lower`` it keeps abbreviations: "Primary outpatient care (RJTP)" becomes
    "primary outpatient care (RJTP)", not "(rjtp)".
    """
    return text[:1].lower() + text[1:]


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


def source_date() -> dt.datetime:
    """The report's date stamp, the same for the same inputs (reproducible builds).

    ``SOURCE_DATE_EPOCH`` when set; otherwise the time of the checkout's last commit; outside
    a git checkout, now (UTC). The wall-clock time of each build is kept apart, in
    ``build.json`` and ``reports/index.html``, which byte comparisons of reports leave out.
    """
    return _source_date(os.environ.get("SOURCE_DATE_EPOCH"))[0]


def source_date_origin() -> str:
    """Where `source_date` came from: ``SOURCE_DATE_EPOCH``, ``commit`` or ``now``."""
    return _source_date(os.environ.get("SOURCE_DATE_EPOCH"))[1]


@cache
def _source_date(epoch: str | None) -> tuple[dt.datetime, str]:
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC), "SOURCE_DATE_EPOCH"
    try:
        result = subprocess.run(
            ["git", "-C", str(Path(__file__).resolve().parent), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if result.returncode == 0 and result.stdout.strip():
            return dt.datetime.fromtimestamp(int(result.stdout), tz=dt.UTC), "commit"
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0), "now"


def git_commit(directory: Path) -> str | None:
    """The commit of the checkout holding ``directory``, or ``None`` outside a git checkout."""
    try:
        result = subprocess.run(
            ["git", "-C", str(directory), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, for the provenance appendix."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


class NumberedWhenWritten:
    """A chart or table caption for a section's template, numbered when first written.

    Sections prepare their charts (and the projection its tables) before their template runs,
    not in the order the page shows them; numbering when written keeps the numbers in order of
    appearance. Jinja2 writes an object through its ``__html__``; the HTML is made once and
    kept, so that writing it twice does not number it twice.

    Parameters
    ----------
    render : callable
        Returns the HTML, numbering its caption; called once.
    """

    def __init__(self, render: Callable[[], str]):
        self._render = render
        self._html: str | None = None

    def __html__(self) -> str:
        if self._html is None:
            self._html = self._render()
        return self._html

    def __str__(self) -> str:
        return self.__html__()


class QuarterlyReport:
    """The JKN quarterly performance report of one period in one language.

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
        self._counters: dict[str, dict[str, int]] = {"table": {}, "chart": {}}

    # ----------------------------------------------------------------- helpers for templates
    def text(self, key: str, **values: object) -> str:
        """A wording from ``text.yaml`` in the report language, with ``{placeholders}`` filled."""
        entry = load_text()
        for part in key.split("."):
            entry = entry[part]
        return entry[self.language].format(**values) if values else entry[self.language]

    def indicator_text(
        self,
        code: str,
        *,
        compact: bool = False,
        style: str = "short",
        signed: bool = False,
        decimals: int | None = None,
        **dimensions,
    ) -> str:
        """An indicator formatted by its catalogue unit; ``*`` marks a published value."""
        item = self.indicators.get(code, **dimensions)
        if item is None:
            return self.text("not_available")
        definition = self.catalogue.indicator(code)
        places = definition.decimals if decimals is None else decimals
        if definition.unit == "category":  # the corridor position: below, within, above
            text = self.text(f"corridor_{item.value}")
        elif signed and isinstance(item.value, float):
            text = format_signed(
                item.value, places, language=self.language, percent=definition.unit == "percent"
            )
        else:
            text = format_value(
                item.value,
                definition.unit,
                places,
                language=self.language,
                compact=compact,
                style=style,
            )
        marker = "*" if item.method == "reported" else ""
        if (code, tuple(sorted(dimensions.items()))) in self._recomputed:
            marker += RECOMPUTED_MARK
        return text + marker

    @cached_property
    def _recomputed(self) -> dict[tuple, dict]:
        """Indicators whose published value differs from the one computed here, by
        ``(code, dimensions)``: the section, the published value as the source wrote it and
        the figure holding it (from the ``reported_vs_computed`` data checks)."""
        found = {}
        for issue in self.warnings:
            if issue.problem != "reported_vs_computed" or issue.period != str(self.quarter):
                continue
            figure = self.catalogue.figure(issue.code)
            record = self.figures.record(issue.code, self.quarter)
            decimals = record["decimals"] if record and not pd.isna(record["decimals"]) else None
            key = (figure.reported_indicator, tuple(sorted(figure.dimensions.items())))
            found[key] = {
                "section": figure.section,
                "dimensions": dict(figure.dimensions),
                "published": format_value(
                    self.figure_value(issue.code),
                    figure.unit,
                    self.catalogue.indicator(figure.reported_indicator).decimals
                    if decimals is None
                    else int(decimals),
                    language=self.language,
                ),
            }
        return found

    def recomputed_notes(self, section: str) -> list[str]:
        """Footnotes of the section's indicators that the report recomputes differently from
        the published value: both values, so the body says so, not only the appendix."""
        notes = []
        for (code, _), entry in self._recomputed.items():
            if entry["section"] != section:
                continue
            dimensions = entry["dimensions"]
            notes.append(
                self.text(
                    "recomputed_note",
                    mark=RECOMPUTED_MARK,
                    label=lower_first(self._indicator_caption(code, dimensions)),
                    published=entry["published"],
                    computed=self.indicator_text(code, **dimensions).rstrip(RECOMPUTED_MARK),
                )
            )
        return notes

    def value(self, code: str, **dimensions) -> float | str | None:
        """An indicator's unrounded value, or ``None`` when it is not available."""
        return self.indicators.value(code, **dimensions)

    def value_in(self, period: Quarter, code: str, **dimensions) -> float | str | None:
        """An indicator's value in another period (a comparison period), or ``None``."""
        indicators = self.history.get(period)
        return None if indicators is None else indicators.value(code, **dimensions)

    def ranked(self, code: str, dimension: str, keys: list[str]) -> list[tuple[str, float]]:
        """Breakdown values of an indicator, largest first: ``[("rjtp", 121860000.0), …]``."""
        pairs = [(key, self.value(code, **{dimension: key})) for key in keys]
        return sorted([(k, v) for k, v in pairs if v is not None], key=lambda kv: -kv[1])

    def figure_value(self, code: str, period: Quarter | None = None) -> float | None:
        """An input figure's value for the report period (or ``period``)."""
        return self.figures.value(code, period or self.quarter)

    def top_cases(self, service: str) -> list[tuple[int, str, float]]:
        """The most frequent cases of ``service`` (``"rjtl"`` or ``"ritl"``) with their rank:
        ``[(1, "penyakit kronis kecil lain-lain", 18950000.0), …]``, largest first."""
        prefix = f"{service}_cases_"
        cases = [
            (self.figure_label(code).split(": ", 1)[-1], value)
            for code in TOP_CASES
            if code.startswith(prefix) and (value := self.figure_value(code)) is not None
        ]
        ranked = sorted(cases, key=lambda case: -case[1])
        return [(rank, label, value) for rank, (label, value) in enumerate(ranked, start=1)]

    def figure_label(self, code: str) -> str:
        """A figure's label in the report language."""
        return self.catalogue.figure(code).label[self.language]

    def indicator_label(self, code: str) -> str:
        """An indicator's label in the report language."""
        return self.catalogue.indicator(code).label[self.language]

    def caption(self, kind: str, section: str, key: str, **values) -> str:
        """``Tabel 1.2 Jumlah Peserta Aktif …``: numbered per section, in order of appearance."""
        number = {"participation": 1, "facilities": 2, "finance": 3}[section]
        counter = self._counters[kind]
        counter[section] = counter.get(section, 0) + 1
        return f"{self.text(kind)} {number}.{counter[section]} {self.text(key, **values)}"

    def _start_section(self, section: str) -> None:
        """Restart caption numbering, so that re-running a notebook cell numbers alike."""
        for counter in self._counters.values():
            counter[section] = 0

    def _render(self, template: str, **context) -> Fragment:
        language = self.language
        template_context = {
            "r": self,
            "t": self.text,
            "ind": self.indicator_text,
            "quarter": self.quarter,
            "language": language,
            "num": lambda v, d=0: format_number(v, d, language=language),
            "pct": lambda v, d=2: format_percent(v, d, language=language),
            "compact": lambda v, d=1: format_compact(v, d, language=language),
            "rp": lambda v, d=2, style="short": format_rupiah(v, d, language=language, style=style),
            "signed": lambda v, d=0, percent=False: format_signed(
                v, d, language=language, percent=percent
            ),
            **context,
        }
        html = _environment().get_template(template).render(**template_context)
        # Captions into <caption>, header scopes, row headers, a CSV of each table's data.
        return Fragment(accessible_tables(html, language, self.text))

    def _narrative(self, section: str, **context) -> Markup:
        fragment = self._render(f"narrative/{section}.{self.language}.html.j2", **context)
        return Markup(" ".join(fragment.html.split()))

    def render_section(self, template: str, **context) -> Fragment:
        """A section's template, given its prepared rows and facts, in the report language."""
        return render_fragment(template, self.language, self._recomputed_keys, **context)

    def narrative(self, name: str, **facts) -> Markup:
        """A paragraph (``narrative/<name>.<language>.html.j2``) given its facts, on one line."""
        return Markup(narrative(name, self.language, self._recomputed_keys, **facts))

    @cached_property
    def _recomputed_keys(self) -> frozenset:
        return frozenset(self.analysis.recomputed)

    def numbered_chart(
        self,
        ax,
        number: str,
        caption_key: str,
        source_key: str = "source_bpjs",
        note: str = "",
        **values: object,
    ) -> Markup:
        """A drawn chart as HTML, captioned ``Grafik <number> …``."""
        caption = f"{self.text('chart')} {number} {self.text(caption_key, **values)}"
        return Markup(str(self._chart(ax, "", caption_key, source_key, note, caption=caption)))

    def _chart(
        self,
        ax,
        section: str,
        caption_key: str,
        source_key: str = "source_bpjs",
        note: str = "",
        caption: str | None = None,
        **values: object,
    ) -> NumberedWhenWritten:
        """A drawn chart, captioned ``Grafik 1.2 …`` once its section's template writes it.

        Sections draw their charts before their template runs, not in the order the page shows
        them; numbering when written keeps the numbers in order of appearance.
        """
        from jkn_analysis.report.charts import chart_to_svg

        data = getattr(ax.get_figure(root=True), "jkn_data", None)
        svg = chart_to_svg(ax)
        encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        source = self.text(source_key)
        # The axis titles are read now: the figure is closed once its SVG is drawn.
        header = None if data is None else self._chart_column_header(ax)

        given = caption

        def render() -> str:
            caption = given or self.caption("chart", section, caption_key, **values)
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
            return self._render(
                "chart.html.j2",
                caption=caption,
                description=description,
                download=download,
                image=encoded,
                source=source,
                note=note,
            ).html

        return NumberedWhenWritten(render)

    def _chart_number(self, value: float) -> str:
        """A chart value in words: large ones with a scale word, others to two decimals."""
        number = float(value)
        if abs(number) >= 1e6:
            return format_compact(number, 2 if abs(number) >= 1e12 else 1, language=self.language)
        return format_number(number, 0 if number.is_integer() else 2, language=self.language)

    def _chart_column_header(self, ax) -> Callable[[str], str]:
        """Names of a chart's data columns; the value column carries the value axis' title."""
        axis_title = next((label for label in (ax.get_ylabel(), ax.get_xlabel()) if label), "")

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
                "evidence": "; ".join(e.text for e in recommendation.evidence),
                "draft": recommendation.decision == "undecided",
                "indicator_label": None,
                "indicator_value": None,
            }
            if code is not None and self.indicators.get(code, **anchor) is not None:
                unit = self.catalogue.indicator(code).unit
                value = self.value(code, **anchor)
                # Millions read better as "47,36 juta"; a few thousand facilities exactly.
                compact = unit in COUNT_UNITS and abs(value) >= COMPACT_FROM
                item["indicator_label"] = self._indicator_caption(code, anchor)
                item["indicator_value"] = self.indicator_text(code, compact=compact, **anchor)
            items.append(item)
        return items

    def audit_trail(self) -> list[dict]:
        """Every recommendation's rule, decision, analyst's note and threshold sources, for the
        appendix "Jejak audit rekomendasi": what the body leaves out so that it reads as a
        publication, kept for the reviewer who signs the report off."""
        decision_text = {
            "confirm": self.text("decision_confirm"),
            "edit": self.text("decision_edit"),
            "undecided": self.text("decision_undecided"),
            "added": self.text("decision_added"),
            "drop": self.text("decision_drop"),
        }
        rows = []
        for recommendation in [*self.review.recommendations, *self.review.dropped]:
            sources = []
            for evidence in recommendation.evidence:
                if evidence.source and evidence.source not in sources:
                    sources.append(evidence.source)
            rows.append(
                {
                    "id": recommendation.rule_id,
                    "title": recommendation.title,
                    "section": "{number}. {name}".format(
                        number=self.catalogue.sections[recommendation.section]["number"],
                        name=self.catalogue.sections[recommendation.section][self.language],
                    ),
                    "shown": recommendation.decision != "drop",
                    "decision": recommendation.decision,
                    "decision_text": decision_text[recommendation.decision],
                    "note": recommendation.reason,
                    "note_lang": self._foreign(recommendation.reason_language),
                    "sources": sources,
                }
            )
        return rows

    def _foreign(self, language: str) -> str:
        """``language`` when a quoted text is in another language than the report, else ""."""
        return language if language and language != self.language else ""

    def _figure_note(self, code: str, note: str) -> dict[str, str]:
        """A figure's ``note`` for the appendix and the language to mark it with (``note_lang``):
        a total derived here from its parts is described in the report language; other notes
        are quoted from the data file, in `DATA_LANGUAGE`."""
        if self.figures.is_derived_sum(code, self.quarter):
            parts = " + ".join(
                self.figure_label(part) for part in self.catalogue.figure(code).parts
            )
            return {"note": self.text("derived_sum_note", parts=parts), "note_lang": ""}
        return {"note": note, "note_lang": self._foreign(DATA_LANGUAGE) if note else ""}

    def _indicator_caption(self, code: str, dimensions: dict) -> str:
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

    def _period_label(self, period: Quarter) -> str:
        return period.month_label(self.language)

    def _history_label(self, period: Quarter) -> str:
        return period.label(self.language)

    # ----------------------------------------------------------------------------- sections
    def cover(self) -> Fragment:
        """Title block: report title, period, publisher and data date, with links to the other
        editions (each worded in its own language) and to this edition's PDF (screen only).

        The links are relative: the editions and the PDF lie side by side in the period's folder.
        """
        from jkn_analysis.report.filenames import report_paths

        text = load_text()
        others = [
            {
                "language": code,
                "href": report_paths(Path(), self.quarter, code)["html"].name,
                "label": text["read_edition"][code],
            }
            for code in LANGUAGES
            if code != self.language
        ]
        pdf = report_paths(Path(), self.quarter, self.language)["pdf"].name
        return self._render("cover.html.j2", other_editions=others, pdf_href=pdf)

    def contents(self) -> Fragment:
        """Table of contents with links to every section (PDF page numbers added in print)."""
        sections = [("summary", self.text("executive_summary"))]
        for key, spec in self.catalogue.sections.items():
            sections.append((key, f"{spec['number']}. {spec[self.language]}"))
        sections.append(("appendix", self.text("appendix")))
        return self._render("contents.html.j2", sections=sections)

    def executive_summary(self) -> Fragment:
        """Headline indicators as cards, with one sentence each."""
        cards = [
            ("registered_coverage", {}),
            ("active_share_of_population", {}),
            ("active_share_of_registered", {}),
            ("active_participants", {"segment": "total"}),
            ("ick_attainment", {"segment": "total"}),
            ("fktp_count", {}),
            ("claim_ratio", {}),
            ("premium_income_vs_annual_target", {}),
            ("months_of_claims_covered", {}),
        ]
        items = [
            {
                "label": self._indicator_caption(code, {})
                if not dims
                else self.indicator_label(code),
                "value": self.indicator_text(code, compact=code == "active_participants", **dims),
            }
            for code, dims in cards
        ]
        titles = {item.rule_id: item.title for item in self.review.recommendations}
        draft_rules = "; ".join(titles.get(rule, rule) for rule in self.review.undecided)
        return self._render(
            "summary.html.j2",
            cards=items,
            draft_rules=draft_rules,
            commentary=self.review.commentary.get("summary"),
            narrative=self._narrative("summary"),
        )

    def participation(self) -> Fragment:
        """Section I: coverage, active participants by segment, non-active, ICK."""
        return render_participation(participation_data(self.analysis), self)

    def facilities(self) -> Fragment:
        """Section II: contracted facilities, utilisation, referrals, claims expense."""
        return render_facilities(facilities_data(self.analysis), self)

    def finance(self) -> Fragment:
        """Section III: premium income, claims, claim ratio, surplus, months covered, investment."""
        return render_finance(finance_data(self.analysis), self)

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

    def _backtest_context(self) -> dict | None:
        """The appendix's back-test table of the projection, or ``None``."""
        from jkn_analysis.projection import Display

        results = self.projection
        if isinstance(results, str) or results.backtest is None:
            return None
        display = Display(results, self.language)
        return {
            "texts": display.backtest_texts(),
            "table": display.backtest_table(),
        }

    def appendix(self, *, parameters: dict | None = None) -> Fragment:
        """Data checks, values used as published, input figures with sources, and provenance."""
        files = []
        for period in self.figures.periods:
            for path in period_files(self.data_dir / str(period)):
                files.append((f"{period}/{path.name}", file_sha256(path)))
        reported = [item for item in self.indicators if item.method == "reported"]
        figures_table = self.figures.period_table(self.quarter).reset_index()
        commit = git_commit(Path(__file__).resolve().parent)
        sources: dict[str, int] = {}  # each distinct source once, numbered as first cited
        missing = {
            self.catalogue.sections[section][self.language]: [
                figure.label[self.language]
                for figure in self.catalogue.figures.values()
                if figure.section == section and not self.figures.has(figure.code, self.quarter)
            ]
            for section in self.catalogue.sections
        }
        return self._render(
            "appendix.html.j2",
            backtest=self._backtest_context(),
            missing={section: labels for section, labels in missing.items() if labels},
            audit=self.audit_trail(),
            warnings=[issue.describe(self.language, self.catalogue) for issue in self.warnings],
            reported=[
                (
                    self._indicator_caption(item.code, item.dimensions),
                    self.indicator_text(item.code, **item.dimensions),
                )
                for item in reported
            ],
            figures_rows=[
                {
                    "code": row.code,
                    "label": self.figure_label(row.code),
                    "value": format_value(
                        row.value,
                        self.catalogue.figure(row.code).unit,
                        2 if self.catalogue.figure(row.code).unit in ("percent", "months") else 0,
                        language=self.language,
                    ),
                    "status": self.text(f"status_{row.status}"),
                    "source": sources.setdefault(row.source, len(sources) + 1)
                    if row.source
                    else None,
                    **self._figure_note(row.code, row.note),
                }
                for row in figures_table.itertuples(index=False)
            ],
            sources=sources,
            sources_lang=self._foreign(DATA_LANGUAGE),
            files=files,
            parameters=parameters or {"quarter": str(self.quarter), "language": self.language},
            version=__version__,
            commit=commit or self.text("not_a_git_checkout"),
            build_time=source_date().strftime("%Y-%m-%d %H:%M:%S UTC"),
            build_time_origin=self.text(f"date_origin_{source_date_origin().lower()}"),
        )

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
            "indicators": self.indicators.as_json() + self._projection_json(),
        }

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

    def all_sections(self) -> list[Fragment]:
        """Every part of the report in order (what the notebook displays cell by cell)."""
        return [
            self.cover(),
            self.contents(),
            self.executive_summary(),
            self.participation(),
            self.facilities(),
            self.finance(),
            self.appendix(),
        ]
