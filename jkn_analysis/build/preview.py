"""Live preview of a period's report: ``jkn-report preview QUARTER``.

Serves the report on ``http://127.0.0.1:PORT/`` (loopback only), watches the period's data files,
its ``review.yaml`` and the files of the earlier periods it compares with, renders the report
again when one of them is saved, and makes the open page reload itself (server-sent events).

The analysis stays warm in this process rather than in a Jupyter kernel: the figures, the
indicators of every period and the triggered rules are kept, so that a change to
``review.yaml`` (commentary, a decision) only reads the review again and re-renders the
sections, and the chart SVGs are kept by a hash of the chart function and its data, so that only
charts whose data changed are drawn again. The page is made the way ``jkn-report build`` makes
it: the notebook's published cells are evaluated against the warm report and their HTML outputs
go through the same nbconvert export (`jkn_analysis.build.quarter.export_html`), so the report in
the preview is byte for byte the HTML the build writes (without the PDF, which the page renders
on demand). A warm kernel was measured as well: re-running the notebook in an already started kernel
still computes everything again and draws every chart, several times the refresh in process.

The report keeps its own Content-Security-Policy, which allows no script, so the preview page
holds it in a frame next to a small script of its own (``templates/preview``) that reloads the
frame, keeping the scroll position, and shows the problems of the current files above it. A
data error or a broken ``review.yaml`` never stops the server: the page lists the validation
messages in the preview's language and the frame keeps the last good version.
"""

from __future__ import annotations

import ast
import contextlib
import errno
import hashlib
import json
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import CodeType
from urllib.parse import urlsplit

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from jkn_analysis.build.export import REPORT_TAG, export_html, render_pdf
from jkn_analysis.build.notebook import NOTEBOOK
from jkn_analysis.catalogue.definitions import load_catalogue
from jkn_analysis.catalogue.formatting import format_number
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.catalogue.wording import messages
from jkn_analysis.inputs.loading import available_periods, period_files
from jkn_analysis.inputs.validation import MESSAGES, DataValidationError, register_messages
from jkn_analysis.recommendations.review import review_path, review_period
from jkn_analysis.report.quarterly import QuarterlyReport, load_text

HOST = "127.0.0.1"  # loopback only: the preview shows unpublished figures
DEFAULT_PORT = 8000
# How often the watched files are looked at (a stat call each; a dozen files).
POLL_SECONDS = 0.1
# After a change is seen, how long to wait for the rest of the same save (an editor writing a
# file in several steps), so that a half-written file is rarely rendered.
SETTLE_SECONDS = 0.03
# Server-sent events: a comment line this often keeps the connection open through proxies and
# lets the server notice pages that were closed.
KEEPALIVE_SECONDS = 15
TEMPLATES = Path(__file__).resolve().parent / "templates" / "preview"

# Texts of the preview, in Indonesian and English (registered with the validation messages, so
# that every message of the pack is in one registry).
PREVIEW_MESSAGES: dict[str, dict[str, str]] = messages("preview")
register_messages(PREVIEW_MESSAGES)


def message(key: str, language: str, /, **values: object) -> str:
    """A preview text (`PREVIEW_MESSAGES`) in ``language`` with its placeholders filled."""
    return MESSAGES[key][language].format(**values)


# --------------------------------------------------------------------------- watched files
def watched_files(data_dir: Path, quarter: Quarter) -> list[Path]:
    """The files the period's report reads: the data of the period and of every earlier period
    (comparisons and history charts), and the period's ``review.yaml`` (existing or not)."""
    files = [
        path
        for period in available_periods(data_dir)
        if period <= quarter
        for path in period_files(data_dir / str(period))
    ]
    return [*files, review_path(data_dir, quarter)]


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class Watcher:
    """Notices which watched files changed content since the last look.

    Modification times and sizes are compared on every poll (cheap); a file whose stat changed
    counts as changed only when its content hash did, so that saving without a change, or
    touching a file, renders nothing. A file modified in the last `RECENT_SECONDS` is hashed on
    every poll: on file systems with coarse timestamps, two saves of the same size within one
    tick leave the same stat.
    """

    RECENT_SECONDS = 2.0

    def __init__(self, data_dir: Path, quarter: Quarter):
        self.data_dir = Path(data_dir)
        self.quarter = quarter
        self._stats: dict[Path, tuple[int, int] | None] = {}
        self._digests: dict[Path, str | None] = {}
        self.poll()

    @property
    def files(self) -> list[Path]:
        """The files watched at the last poll."""
        return list(self._stats)

    def poll(self) -> set[Path]:
        """The watched files whose content changed (or that appeared or went) since last time."""
        stats = {path: _stat(path) for path in watched_files(self.data_dir, self.quarter)}
        recent = time.time_ns() - int(self.RECENT_SECONDS * 1e9)
        changed = set()
        for path in stats.keys() | self._stats.keys():
            stat = stats.get(path)
            settled = stat is None or stat[0] < recent
            if stat == self._stats.get(path) and path in self._digests and settled:
                continue
            digest = _digest(path) if path in stats else None
            if digest != self._digests.get(path):
                changed.add(path)
            self._digests[path] = digest
        for path in self._stats.keys() - stats.keys():
            self._digests.pop(path, None)
        self._stats = stats
        return changed


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


def _cause(error: BaseException) -> str:
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
                lines = [_cause(error)]
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
        """The report page, as `jkn_analysis.build.quarter.export_html` makes it from the
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


# ------------------------------------------------------------------------------- the server
@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _title(preview: LivePreview) -> str:
    title = (
        f"{load_text()['report_title'][preview.language]} {preview.quarter.title(preview.language)}"
    )
    return message("preview.title", preview.language, title=title)


def banner_html(preview: LivePreview, status: PreviewStatus) -> str:
    """The problems of the current files, for the top of the page (empty when there are none)."""
    if status.state != "error":
        return ""
    language = preview.language
    has_good = status.report_version > 0
    return (
        _environment()
        .get_template("banner.html.j2")
        .render(
            heading=status.heading,
            messages=status.messages,
            footer=message("preview.last_good", language, time=status.good_at)
            if has_good
            else message("preview.no_good", language),
            link=message("preview.open_last_good", language) if has_good else "",
        )
    )


def shell_html(preview: LivePreview) -> str:
    """The preview page: toolbar, banner and the report in a frame."""
    status = preview.status
    return (
        _environment()
        .get_template("shell.html.j2")
        .render(
            language=preview.language,
            title=_title(preview),
            open_alone=message("preview.open_alone", preview.language),
            state=preview.state_text(status),
            banner=Markup(banner_html(preview, status)),
            report_version=status.report_version,
        )
    )


def _placeholder_html(preview: LivePreview, status: PreviewStatus) -> str:
    key = "preview.placeholder_error" if status.state == "error" else "preview.placeholder"
    return (
        _environment()
        .get_template("placeholder.html.j2")
        .render(
            language=preview.language, title=_title(preview), text=message(key, preview.language)
        )
    )


class PreviewServer(ThreadingHTTPServer):
    """The preview's HTTP server, bound to the loopback interface only."""

    daemon_threads = True  # open event streams must not keep the process alive

    def __init__(self, port: int, preview: LivePreview):
        super().__init__((HOST, port), _Handler)
        self.preview = preview

    def handle_error(self, request, client_address) -> None:
        """A page closed while it was being answered is normal; anything else gets one line."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            print(f"preview server: {_cause(error)}", file=sys.stderr, flush=True)


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "jkn-preview"

    def log_message(self, format: str, *args) -> None:
        """Requests are not logged: the terminal shows the renders."""

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or HOST).rsplit(":", 1)[0]
        if host not in (HOST, "localhost"):
            # Another name for this address (DNS rebinding): never serve unpublished figures.
            self._send(403, b"forbidden\n", "text/plain")
            return
        preview = self.server.preview
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            self._send(200, shell_html(preview).encode("utf-8"), "text/html")
        elif path == "/report.html":
            status, html = preview.page()
            if html is None:
                self._send(503, _placeholder_html(preview, status).encode("utf-8"), "text/html")
            else:
                self._send(200, html.encode("utf-8"), "text/html")
        elif path == "/preview.js":
            script = (TEMPLATES / "preview.js").read_bytes()
            self._send(200, script, "text/javascript")
        elif path == "/banner":
            self._send(200, banner_html(preview, preview.status).encode("utf-8"), "text/html")
        elif path == "/status.json":
            self._send(200, self._status_json(preview.status), "application/json")
        elif path == "/events":
            self._events()
        elif path == "/report.pdf":
            self._pdf()
        else:
            self._send(404, b"not found\n", "text/plain")

    def _status_json(self, status: PreviewStatus) -> bytes:
        preview = self.server.preview
        document = {
            "version": status.version,
            "report_version": status.report_version,
            "state": status.state,
            "state_text": preview.state_text(status),
            "heading": status.heading,
            "messages": list(status.messages),
            "checked_at": status.checked_at,
            "good_at": status.good_at,
        }
        return json.dumps(document, ensure_ascii=False).encode("utf-8")

    def _send(self, code: int, body: bytes, content_type: str) -> None:
        self.send_response(code)
        charset = "" if content_type == "application/pdf" else "; charset=utf-8"
        self.send_header("Content-Type", content_type + charset)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "SAMEORIGIN")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: an ``update`` with the status whenever it changes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.server.preview
        self.wfile.write(b"retry: 1000\n\n")  # reconnect within a second after a restart
        seen = None
        while True:
            status = preview.wait(seen, KEEPALIVE_SECONDS)
            if status is None:
                return
            if status.version == seen:
                self.wfile.write(b": keep-alive\n\n")
            else:
                self.wfile.write(b"event: update\ndata: " + self._status_json(status) + b"\n\n")
                seen = status.version
            self.wfile.flush()

    def _pdf(self) -> None:
        preview = self.server.preview
        try:
            pdf = preview.pdf()
        except Exception as error:
            text = message("preview.pdf_failed", preview.language, cause=_cause(error))
            self._send(500, text.encode("utf-8"), "text/plain")
            return
        if pdf is None:
            self._send(503, message("preview.pdf_none", preview.language).encode(), "text/plain")
        else:
            self._send(200, pdf, "application/pdf")


# --------------------------------------------------------------------------------- command
def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(
    quarter: Quarter,
    *,
    language: str = "id",
    data_dir: Path = Path("data"),
    port: int = DEFAULT_PORT,
    poll_seconds: float = POLL_SECONDS,
) -> int:
    """Run the preview until Ctrl-C (or SIGTERM); the exit status of ``jkn-report preview``.

    Returns 0 after a clean stop, 2 when the period has no data or the port cannot be opened.
    """
    data_dir = Path(data_dir)

    def say(key: str, stream=sys.stdout, /, **values: object) -> None:
        print(message(key, language, **values), file=stream, flush=True)

    periods = available_periods(data_dir)
    if quarter not in periods:
        say(
            "preview.no_data",
            sys.stderr,
            period=quarter,
            folder=data_dir.resolve(),
            available=", ".join(map(str, periods)) or "-",
        )
        return 2
    # The charts are drawn off screen, as in the build's kernel (and equal to its SVGs).
    import matplotlib

    matplotlib.use("agg")
    preview = LivePreview(quarter, language=language, data_dir=data_dir)
    try:
        server = PreviewServer(port, preview)
    except (OSError, OverflowError) as error:  # OverflowError: a port outside 0-65535
        preview.close()
        if getattr(error, "errno", None) == errno.EADDRINUSE:
            say("preview.port_in_use", sys.stderr, port=port)
        else:
            reason = getattr(error, "strerror", None) or error
            say("preview.cannot_listen", sys.stderr, port=port, reason=reason)
        return 2
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="preview-server"
    )
    thread.daemon = True
    thread.start()
    # Ctrl-C and SIGTERM stop the preview, also when it was started with SIGINT ignored (in the
    # background of a script), as its one way to stop is documented as Ctrl-C.
    main_thread = threading.current_thread() is threading.main_thread()
    stops = (signal.SIGINT, signal.SIGTERM) if main_thread else ()
    previous = {number: signal.signal(number, _interrupt) for number in stops}
    try:
        say("preview.serving", period=quarter, language=language, url=_url(server))
        watcher = Watcher(data_dir, quarter)
        say("preview.watching", count=len(watcher.files), period=quarter)
        _announce(preview.refresh(None), message("preview.everything", language), language)
        while True:
            time.sleep(poll_seconds)
            changed = watcher.poll()
            if not changed:
                continue
            time.sleep(SETTLE_SECONDS)
            changed |= watcher.poll()
            what = ", ".join(sorted(_relative(path, data_dir) for path in changed))
            _announce(preview.refresh(changed), what, language)
    except KeyboardInterrupt:
        pass
    finally:
        for number in stops:  # a second Ctrl-C must not interrupt the clean-up
            signal.signal(number, signal.SIG_IGN)
        preview.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        for number, handler in previous.items():
            signal.signal(number, handler)
    say("preview.stopped")
    return 0


def _url(server: PreviewServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/"


def _relative(path: Path, data_dir: Path) -> str:
    try:
        return path.relative_to(data_dir).as_posix()
    except ValueError:
        return str(path)


def _announce(status: PreviewStatus, what: str, language: str) -> None:
    """One line per render on the terminal, with the messages when it failed."""
    if status.state == "ok":
        seconds = format_number(status.seconds, 1, language=language)
        print(
            message("preview.updated", language, time=status.good_at, seconds=seconds, what=what),
            flush=True,
        )
        return
    key = "preview.not_updated" if status.report_version else "preview.not_made"
    print(message(key, language, time=status.checked_at, what=what), flush=True)
    print(f"  {status.heading}", flush=True)
    for line in status.messages:
        print(f"  - {line}", flush=True)
