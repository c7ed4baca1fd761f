"""The live preview's report: kept warm in this process and rendered again on a change.

`LivePreview` holds the `QuarterlyReport` of one period and language (`PreviewReport`: a change
to ``review.yaml`` only reads the review again) and the latest page made from it. The page is
made as the build makes it: the notebook's published cells (`display_cells`, tagged ``report``)
are evaluated against the warm report, and their HTML outputs go through the build's nbconvert
export (`jkn_analysis.build.export.export_html`). Charts come from the report's chart cache
(`jkn_analysis.report.charts.ChartCache`, on disk and here also in memory), so only charts
whose data changed are drawn again. What
the page shows now, good or not, is a `PreviewStatus`; the preview's texts are `PREVIEW_MESSAGES`.
"""

from __future__ import annotations

import ast
import json
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING

from jkn_analysis.build.export import REPORT_TAG, export_html, render_pdf
from jkn_analysis.build.notebook import NOTEBOOK
from jkn_analysis.catalogue.definitions import load_catalogue
from jkn_analysis.catalogue.formatting import format_number
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.catalogue.wording import messages
from jkn_analysis.inputs.validation import MESSAGES, DataValidationError, register_messages
from jkn_analysis.recommendations.review import review_path, review_period
from jkn_analysis.report.quarterly import QuarterlyReport

if TYPE_CHECKING:
    from jkn_analysis.report.charts import ChartCache

# Texts of the preview, in Indonesian and English (registered with the validation messages, so
# that every message of the pack is in one registry).
PREVIEW_MESSAGES: dict[str, dict[str, str]] = messages("preview")
register_messages(PREVIEW_MESSAGES)


def message(key: str, language: str, /, **values: object) -> str:
    """A preview text (`PREVIEW_MESSAGES`) in ``language`` with its placeholders filled."""
    return MESSAGES[key][language].format(**values)


# ----------------------------------------------------------------------------- chart cache
# Charts the preview keeps in memory besides the disk cache: those of a few renders (a
# report has a dozen), so that a refresh reads no chart file at all.
PREVIEW_MEMORY_CHARTS = 64


def preview_chart_cache() -> ChartCache:
    """The report's chart cache (its folder from the environment) with a memory layer."""
    from jkn_analysis.report.charts import ChartCache  # here: after the backend is chosen

    return ChartCache.from_environment(memory_entries=PREVIEW_MEMORY_CHARTS)


# ------------------------------------------------------------------------------ warm report
class PreviewReport(QuarterlyReport):
    """A `QuarterlyReport` whose ``review.yaml`` can be read again (`reload_review`) without
    computing the figures, indicators and rules again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # QuarterlyReport lists the data-check warnings, then the review's issues.
        self._data_warnings = self.warnings[: len(self.warnings) - len(self.review.issues)]

    def reload_review(self) -> None:
        """Read ``review.yaml`` again: decisions, added recommendations, commentary.

        What `QuarterlyReport.__init__` does with the review, on the figures and indicators
        already computed (the review changes neither).
        """
        triggered = self.triggered_rules()
        self.review = review_period(self.data_dir, self.quarter, triggered, self.language)
        self.warnings = self._data_warnings + list(self.review.issues)


# ------------------------------------------------------------------------ notebook cells
@dataclass(frozen=True)
class DisplayCell:
    """A notebook cell that displays a value: its statements, then the displayed expression."""

    setup: CodeType | None
    expression: CodeType


@cache
def display_cells(notebook: Path = NOTEBOOK) -> tuple[DisplayCell, ...]:
    """The notebook's published cells (tagged `REPORT_TAG`) that display something, compiled,
    in order.

    Only those reach the build's HTML, so only those are evaluated: the ``parameters`` cell, the
    creation of ``report`` (the preview's warm report takes its place) and an analyst's
    exploratory cells are left out. A cell displays its last statement when that is an
    expression not ended by ``;``, as in Jupyter.
    """
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    compiled = []
    for number, cell in enumerate(cells, start=1):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] != "code" or REPORT_TAG not in tags:
            continue
        source = "".join(cell["source"])
        tree = ast.parse(source)
        if not tree.body or not isinstance(tree.body[-1], ast.Expr) or source.rstrip()[-1] == ";":
            continue
        name = f"<{notebook.name} cell {number}>"
        statements = ast.Module(body=tree.body[:-1], type_ignores=[])
        compiled.append(
            DisplayCell(
                compile(statements, name, "exec") if statements.body else None,
                compile(ast.Expression(tree.body[-1].value), name, "eval"),
            )
        )
    return tuple(compiled)


# --------------------------------------------------------------------------------- status
@dataclass(frozen=True)
class PreviewStatus:
    """What the preview shows now.

    Attributes
    ----------
    version : int
        Changes whenever anything the page shows changes (state, messages, report).
    report_version : int
        The number of the report served at ``/report.html``: 0 before the first good render.
    state : {"starting", "ok", "error"}
        ``error`` while the current files cannot be made into a report.
    heading : str
        What kind of problem (in the preview language); empty when there is none.
    messages : tuple of str
        The validation messages (or the cause of a failure), in the preview language.
    checked_at, good_at : str
        Time of day of the last render attempt and of the last good render.
    seconds : float
        How long the last render attempt took.
    """

    version: int = 0
    report_version: int = 0
    state: str = "starting"
    heading: str = ""
    messages: tuple[str, ...] = ()
    checked_at: str = ""
    good_at: str = ""
    seconds: float = 0.0


class _ProblemError(Exception):
    """The current files cannot be made into a report: a heading and the messages to show."""

    def __init__(self, heading: str, messages: list[str]):
        super().__init__(heading)
        self.heading = heading
        self.messages = messages


def cause_line(error: BaseException) -> str:
    """A failure in one line, for the page and the terminal: its type and first line."""
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0]}" if text else type(error).__name__


class LivePreview:
    """The warm report of one period and language, and the latest page made from it.

    `refresh` renders again after a change (from the main loop); the HTTP server's threads read
    `status`, `page` and `pdf`, and wait for the next change with `wait`.
    """

    def __init__(self, quarter: Quarter, *, language: str = "id", data_dir: Path = Path("data")):
        self.quarter = quarter
        self.language = language
        self.data_dir = Path(data_dir)
        self._condition = threading.Condition()
        self._status = PreviewStatus()
        self._html: str | None = None
        self._closed = False
        self._report = None
        self._charts: ChartCache | None = None
        self._workspace = Path(tempfile.mkdtemp(prefix="jkn-preview-"))
        self._pdf_lock = threading.Lock()
        self._pdf: tuple[int, bytes] | None = None

    # --------------------------------------------------------------- read by the server
    @property
    def status(self) -> PreviewStatus:
        """The current status (a snapshot)."""
        with self._condition:
            return self._status

    def page(self) -> tuple[PreviewStatus, str | None]:
        """The status and the HTML of the last good report (``None`` before the first)."""
        with self._condition:
            return self._status, self._html

    def wait(self, version: int | None, timeout: float) -> PreviewStatus | None:
        """The status once its version differs from ``version`` or ``timeout`` passed;
        ``None`` when the preview is closing."""
        with self._condition:
            self._condition.wait_for(
                lambda: self._closed or self._status.version != version, timeout
            )
            return None if self._closed else self._status

    def pdf(self) -> bytes | None:
        """The PDF of the last good report, rendered on the first request for each version."""
        with self._pdf_lock:
            status, html = self.page()
            if html is None:
                return None
            if self._pdf is None or self._pdf[0] != status.report_version:
                target = self._workspace / "preview.pdf"
                render_pdf(html, target)
                self._pdf = (status.report_version, target.read_bytes())
            return self._pdf[1]

    def state_text(self, status: PreviewStatus) -> str:
        """One line for the page's toolbar."""
        if status.state == "starting":
            return message("preview.state_starting", self.language)
        if status.state == "error":
            key = "preview.state_error" if status.report_version else "preview.state_error_first"
            return message(key, self.language, time=status.checked_at)
        seconds = format_number(status.seconds, 1, language=self.language)
        return message("preview.state_ok", self.language, time=status.good_at, seconds=seconds)

    # ----------------------------------------------------------------- the main loop's
    def refresh(self, changed: Iterable[Path] | None = None) -> PreviewStatus:
        """Render the report again after ``changed`` files changed (``None``: everything).

        When only ``review.yaml`` changed, the figures, indicators and rules are kept and only
        the review is read again. Never raises for bad input: the status then carries the
        messages and the last good page stays.
        """
        started = time.perf_counter()
        try:
            report = self._warm_report(None if changed is None else set(changed))
            errors = [issue for issue in report.review.issues if issue.severity == "error"]
            if errors:
                raise _ProblemError(
                    message("preview.review_errors", self.language, period=self.quarter),
                    [issue.describe(self.language, report.catalogue) for issue in errors],
                )
            html = self._render(report)
        except _ProblemError as problem:
            return self._failed(problem.heading, problem.messages, started)
        except Exception as error:  # bad data, or anything else: shown, never fatal
            self._report = None  # read everything again next time
            if isinstance(error, DataValidationError):
                heading = message("preview.data_errors", self.language, period=self.quarter)
                lines = [issue.describe(self.language, load_catalogue()) for issue in error.issues]
            else:
                heading = message("preview.failed", self.language, period=self.quarter)
                lines = [cause_line(error)]
            return self._failed(heading, lines, started)
        now = time.strftime("%H:%M:%S")
        with self._condition:
            self._html = html
            status = self._status
            self._status = PreviewStatus(
                version=status.version + 1,
                report_version=status.report_version + 1,
                state="ok",
                checked_at=now,
                good_at=now,
                seconds=time.perf_counter() - started,
            )
            self._condition.notify_all()
            return self._status

    def _failed(self, heading: str, lines: list[str], started: float) -> PreviewStatus:
        with self._condition:
            self._status = replace(
                self._status,
                version=self._status.version + 1,
                state="error",
                heading=heading,
                messages=tuple(lines),
                checked_at=time.strftime("%H:%M:%S"),
                seconds=time.perf_counter() - started,
            )
            self._condition.notify_all()
            return self._status

    def _warm_report(self, changed: set[Path] | None):
        only_review = (
            self._report is not None
            and changed is not None
            and changed <= {review_path(self.data_dir, self.quarter)}
        )
        if only_review:
            self._report.reload_review()
        else:
            self._report = None
            self._report = PreviewReport(
                str(self.quarter), language=self.language, data_dir=self.data_dir
            )
            # One cache for every report the preview makes: its memory outlives a report.
            if self._charts is None:
                self._charts = preview_chart_cache()
            self._report.chart_cache = self._charts
        return self._report

    def _render(self, report) -> str:
        """The report page, as `jkn_analysis.build.export.export_html` makes it from the
        notebook."""
        namespace = {
            "report": report,
            "quarter": str(self.quarter),
            "language": self.language,
            "data_dir": str(self.data_dir.resolve()),
            "output_dir": "",  # the preview writes no indicators.json
        }
        outputs = []
        if self._charts is not None:
            self._charts.reset_counts()
        for cell in display_cells():
            if cell.setup is not None:
                exec(cell.setup, namespace)
            value = eval(cell.expression, namespace)
            html = value._repr_html_() if hasattr(value, "_repr_html_") else None
            if html is not None:
                outputs.append(html)
        # Written as plain JSON: nbformat's constructors validate every cell against the schema,
        # a tenth of a second each render, and export_html validates the whole file anyway.
        notebook = {
            "cells": [
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "id": f"cell-{number}",
                    "metadata": {"tags": [REPORT_TAG]},
                    "outputs": [
                        {"output_type": "display_data", "data": {"text/html": html}, "metadata": {}}
                    ],
                    "source": "",
                }
                for number, html in enumerate(outputs, start=1)
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        path = self._workspace / "preview.ipynb"
        path.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
        return export_html(path, self.quarter, self.language, report.review.status)

    def close(self) -> None:
        """Wake the waiting event streams so that they end, and remove the temporary files."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()
        shutil.rmtree(self._workspace, ignore_errors=True)
