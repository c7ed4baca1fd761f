"""Live preview of a period's report: ``jkn-report preview QUARTER``.

Serves the report on ``http://127.0.0.1:PORT/`` (loopback only), watches the period's data files,
its ``review.yaml`` and the files of the earlier periods it compares with (`preview_watcher`),
renders the report again when one of them is saved (`preview_rendering`), and makes the open page
reload itself (server-sent events). This module is the server and the command's loop.

The analysis stays warm in this process rather than in a Jupyter kernel: the figures, the
indicators of every period and the triggered rules are kept, so that a change to
``review.yaml`` (commentary, a decision) only reads the review again and re-renders the
sections, and only charts whose data changed are drawn again. The report in the preview is byte
for byte the HTML the build writes (without the PDF, which the page renders on demand). A warm
kernel was measured as well: re-running the notebook in an already started kernel still computes
everything again and draws every chart, several times the refresh in process.

The report keeps its own Content-Security-Policy, which allows no script, so the preview page
holds it in a frame next to a small script of its own (``templates/preview``) that reloads the
frame, keeping the scroll position, and shows the problems of the current files above it. A
data error or a broken ``review.yaml`` never stops the server: the page lists the validation
messages in the preview's language and the frame keeps the last good version.
"""

from __future__ import annotations

import errno
import json
import signal
import sys
import threading
import time
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from jkn_analysis.build.preview_rendering import (  # noqa: F401 - names used from here
    PREVIEW_MESSAGES,
    LivePreview,
    PreviewReport,
    PreviewStatus,
    cause_line,
    display_cells,
    message,
    preview_chart_cache,
)
from jkn_analysis.build.preview_watcher import Watcher, watched_files  # noqa: F401
from jkn_analysis.catalogue.formatting import format_number
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.inputs.loading import available_periods
from jkn_analysis.report.quarterly import load_text

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
            print(f"preview server: {cause_line(error)}", file=sys.stderr, flush=True)


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
            text = message("preview.pdf_failed", preview.language, cause=cause_line(error))
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
