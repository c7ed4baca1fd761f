"""The live preview's report: kept warm in this process and rendered again on a change.

`LivePreview` holds the `QuarterlyReport` of one period and language (`PreviewReport`: a change
to ``review.yaml`` only reads the review again) and the latest page made from it. The page is
made as the build makes it: the notebook's published cells (`display_cells`, tagged ``report``)
are evaluated against the warm report, and their HTML outputs go through the build's nbconvert
export (`jkn_analysis.build.export.export_html`). Chart SVGs are kept by a hash of the chart
function and its data (`ChartCache`), so only charts whose data changed are drawn again. What
the page shows now, good or not, is a `PreviewStatus`; the preview's texts are `PREVIEW_MESSAGES`.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from types import CodeType

import pandas as pd

from jkn_analysis.build.export import REPORT_TAG, export_html, render_pdf
from jkn_analysis.build.notebook import NOTEBOOK
from jkn_analysis.catalogue.definitions import load_catalogue
from jkn_analysis.catalogue.formatting import format_number
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.catalogue.wording import messages
from jkn_analysis.inputs.validation import MESSAGES, DataValidationError, register_messages
from jkn_analysis.recommendations.review import review_path, review_period
from jkn_analysis.report.quarterly import QuarterlyReport

# Texts of the preview, in Indonesian and English (registered with the validation messages, so
# that every message of the pack is in one registry).
PREVIEW_MESSAGES: dict[str, dict[str, str]] = messages("preview")
register_messages(PREVIEW_MESSAGES)


def message(key: str, language: str, /, **values: object) -> str:
    """A preview text (`PREVIEW_MESSAGES`) in ``language`` with its placeholders filled."""
    return MESSAGES[key][language].format(**values)


# ----------------------------------------------------------------------------- chart cache
@dataclass(frozen=True)
class _CachedChart:
    """Stands for a chart whose SVG is cached; `chart_to_svg` turns it into that SVG.

    It answers what the report asks of a drawn chart besides its SVG, as the drawn one did:
    the data it was drawn from (``get_figure().jkn_data``, for the text alternative and the
    CSV download) and its axis titles.
    """

    key: str
    jkn_data: object = None
    ylabel: str = ""
    xlabel: str = ""

    def get_figure(self, root: bool = True) -> _CachedChart:
        return self

    def get_ylabel(self) -> str:
        return self.ylabel

    def get_xlabel(self) -> str:
        return self.xlabel


def _argument_text(value: object) -> str | None:
    """A chart argument as exact text for the cache key; ``None`` when it has no stable text."""
    if isinstance(value, pd.DataFrame):
        dtypes = ",".join(str(dtype) for dtype in value.dtypes)
        return f"DataFrame[{dtypes}]\n{value.to_csv()}"
    text = repr(value)
    # A default repr names an object by its address, and long sequences and arrays are shown
    # shortened: in both, equal text would not mean equal content.
    return None if " at 0x" in text or "..." in text else text


class ChartCache:
    """Chart SVGs by a hash of the chart function's name and of its arguments.

    The chart functions of `jkn_analysis.report.charts` are pure (the same data and options draw the
    same chart, `chart_to_svg` gives byte-identical SVG), so a chart whose inputs did not change
    need not be drawn again: only the charts of the last render are kept.
    """

    def __init__(self) -> None:
        self._svgs: dict[str, str] = {}
        # key -> what a cached chart answers besides its SVG (see `_CachedChart`)
        self._facts: dict[str, tuple[object, str, str]] = {}
        self.drawn = 0
        self.reused = 0

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        """Within the block, chart functions return cached charts where their inputs are known.

        The module's functions are replaced for the block only, and only one render runs at a
        time (the preview's main loop), so nothing else sees them.
        """
        from jkn_analysis.report import charts  # here: pyplot comes after the backend is chosen

        names = [
            name
            for name, value in vars(charts).items()
            if name.endswith("_chart")
            and callable(value)
            and getattr(value, "__module__", "") == charts.__name__
        ]
        originals = {name: getattr(charts, name) for name in names}
        to_svg = charts.chart_to_svg
        # id of a drawn figure -> its cache key and the figure (held, so the id is not reused)
        pending: dict[int, tuple[str, object]] = {}
        used: dict[str, str] = {}
        self.drawn = self.reused = 0

        def cached(name: str, draw: Callable) -> Callable:
            def chart(*args, **kwargs):
                parts = [_argument_text(value) for value in args]
                for keyword, value in sorted(kwargs.items()):
                    parts += [keyword, _argument_text(value)]
                if any(part is None for part in parts):
                    return draw(*args, **kwargs)
                key = hashlib.sha256("\0".join([name, *parts]).encode("utf-8")).hexdigest()
                if key in self._svgs or key in used:
                    return _CachedChart(key, *self._facts[key])
                ax = draw(*args, **kwargs)
                figure = ax.get_figure(root=True)
                pending[id(figure)] = (key, figure)
                self._facts[key] = (
                    getattr(figure, "jkn_data", None),
                    ax.get_ylabel(),
                    ax.get_xlabel(),
                )
                return ax

            return chart

        def chart_to_svg(chart) -> str:
            if isinstance(chart, _CachedChart):
                svg = used.get(chart.key) or self._svgs[chart.key]
                used[chart.key] = svg
                self.reused += 1
                return svg
            figure = chart.get_figure(root=True) if hasattr(chart, "get_figure") else chart
            key, _ = pending.pop(id(figure), (None, None))
            svg = to_svg(chart)
            self.drawn += 1
            if key is not None:
                used[key] = svg
            return svg

        for name, draw in originals.items():
            setattr(charts, name, cached(name, draw))
        charts.chart_to_svg = chart_to_svg
        try:
            yield
        except BaseException:
            self._svgs.update(used)  # a failed render keeps what it drew, for the next one
            raise
        else:
            self._svgs = used
        finally:
            for name, draw in originals.items():
                setattr(charts, name, draw)
            charts.chart_to_svg = to_svg


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
        self._charts = ChartCache()
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
        with self._charts.active():
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
