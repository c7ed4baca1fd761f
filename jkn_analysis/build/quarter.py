"""Build a period's report: run the notebook with papermill, export HTML, render the PDF.

One orchestrator: check the data, execute ``notebooks/quarterly_report.ipynb`` once per
language, turn each executed notebook into a self-contained HTML page (nbconvert, with the
report template: no code, no prompts) and that same HTML into an A4 PDF (WeasyPrint). All of it
is written to a temporary folder next to the target and moved into ``reports/<QUARTER>/``
only when every step succeeded, so a failed build never touches the previous report.

The build replaces only what the pack wrote: a report folder is recognised by its build record
``build.json``, which lists every file of the folder; a folder holding anything else, or an
output folder that is, contains or lies inside the data folder, is refused before anything is
touched. Each language is an edition of its own (its files, fingerprint and build time in
``build.json``): building one language keeps the other. Folders and files get the usual modes
under the user's umask, so colleagues can open the reports from a shared drive. Ctrl-C stops a
build at the next step (its kernel is stopped at once), and what an interrupted or killed build
left behind (temporary folders, kernel sockets, connection files) is removed by the next one.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import difflib
import errno
import json
import logging
import multiprocessing
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jkn_analysis import __version__
from jkn_analysis.catalogue.definitions import LANGUAGES
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.catalogue.wording import messages
from jkn_analysis.indicators.checks import data_check
from jkn_analysis.inputs import paths
from jkn_analysis.inputs.validation import (
    MESSAGES,
    ValidationResult,
    format_validation,
    register_messages,
    validation_summary,
)
from jkn_analysis.report.filenames import report_paths

# jsonschema (imported by nbformat, under papermill and nbconvert) loads rfc3987-syntax when it
# is installed, and that module builds a Lark grammar at import: about a second on every build.
# JupyterLab needs the package (through jupyter-events), so it stays installed; this process
# never validates IRI formats, so it does without it.
sys.modules.setdefault("rfc3987_syntax", None)

# The checkout's notebooks/, or the copy the wheel carries once installed
# (jkn_analysis.inputs.paths).
# The nbconvert template that turns the executed notebook into the report page, and the
# preview's page shell (templates of the report itself are in jkn_analysis/report/templates).
BUILD_TEMPLATES = Path(__file__).resolve().parent / "templates"
NOTEBOOK = paths.notebook_path(paths.REPORT_NOTEBOOK)
PROJECTION_NOTEBOOK = paths.notebook_path(paths.PROJECTION_NOTEBOOK)
BUILD_RECORD = "build.json"
INDICATORS = "indicators.json"
# Written once per period by the notebook, for both editions: the indicators as JSON and CSV.
SHARED_FILES = (INDICATORS, "indicators.csv")
# The cell tag of the notebook's published sections: only their outputs reach the HTML and the
# PDF, so an exploratory ``df.head()`` an analyst adds stays in the notebook.
REPORT_TAG = "report"

# Texts of the build's refusals and faults, in Indonesian and English, in the style of
# `jkn_analysis.inputs.validation.MESSAGES` (where they are registered); {placeholders} come from
# the error's ``values``.
BUILD_MESSAGES: dict[str, dict[str, str]] = messages("build")
register_messages(BUILD_MESSAGES)


def message(key: str, language: str, **values: object) -> str:
    """The text of a `BUILD_MESSAGES` (or any registered) message in ``language``."""
    return MESSAGES[key][language].format(**values)


class BuildError(RuntimeError):
    """A build step failed; ``step`` names it and the message gives the one-line cause.

    ``key`` and ``values``, when given, name a registered message for `describe`, so that the
    command line can say the cause in the language of the build.
    """

    def __init__(self, step: str, cause: str, *, key: str = "", values: dict | None = None):
        super().__init__(f"{step}: {cause}")
        self.step = step
        self.cause = cause
        self.key = key
        self.values = values or {}

    def describe(self, language: str) -> str:
        """The cause in ``language`` (the English or raw cause when it has no message)."""
        return message(self.key, language, **self.values) if self.key else self.cause

    def step_words(self, language: str) -> str:
        """The step in ``language`` (``pemeriksaan data`` for ``data checks``)."""
        return step_words(self.step, language)


# A step of one edition: "notebook (en)".
_EDITION_STEP = re.compile(r"^(?P<step>.+) \((?P<edition>[a-z]{2})\)$")


def step_words(step: str, language: str) -> str:
    """A `BuildError.step` code worded in ``language``; an unknown step as it is."""
    match = _EDITION_STEP.match(step)
    base, edition = (match["step"], match["edition"]) if match else (step, "")
    key = f"build.step.{base}"
    if key not in MESSAGES:
        return step
    words = message(key, language)
    return (
        message("build.step.edition", language, step=words, edition=edition) if edition else words
    )


class UnsafeOutputError(BuildError):
    """The output folder is refused before anything is touched (it is or holds the data
    folder, holds files the pack did not write, or cannot be written)."""

    def __init__(self, key: str, **values: object):
        super().__init__("output folder", message(key, "en", **values), key=key, values=values)


class BuildInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) stopped the build; its temporary folder is already removed."""


class DataCheckError(BuildError):
    """The data check failed: ``result`` holds what `jkn_analysis.indicators.checks.data_check`
    found and ``cause`` the same text ``jkn-report validate`` prints, in the build's language."""

    def __init__(self, result: ValidationResult, language: str):
        super().__init__("data checks", format_validation(result, language, show_missing=False))
        self.result = result


@dataclass(frozen=True)
class BuildResult:
    """What one period's build wrote."""

    quarter: Quarter
    folder: Path
    files: tuple[Path, ...]


def export_html(
    notebook_path: Path,
    quarter: Quarter,
    language: str,
    status: str = "final",
    *,
    cell_tag: str = REPORT_TAG,
) -> str:
    """Turn an executed notebook into the report page: HTML outputs only, styles inline.

    Only the outputs of the code cells tagged ``cell_tag`` (cell metadata ``tags``) are kept;
    an empty ``cell_tag`` keeps every cell's. A ``draft`` report carries the draft mark on every
    page (screen and print).
    """
    import nbformat
    from nbconvert import HTMLExporter

    from jkn_analysis.report.quarterly import TEMPLATE_DIR, load_text
    from jkn_analysis.report.tabledata import draft_mark_uri

    text = load_text()
    exporter = HTMLExporter(
        template_name="jkn_report",
        extra_template_basedirs=[str(BUILD_TEMPLATES / "nbconvert")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    notebook = nbformat.read(notebook_path, as_version=4)
    css = (TEMPLATE_DIR / "report.css").read_text("utf-8")
    body, _ = exporter.from_notebook_node(
        notebook,
        resources={
            "jkn": {
                "language": language,
                "cell_tag": cell_tag,
                "title": f"{text['report_title'][language]} {quarter.title(language)}",
                "css": css,
                "version": __version__,
                "page_word": text["page"][language],
                "of_word": text["of"][language],
                "status": status,
                "draft_word": text["draft_word"][language],
                "draft_mark": draft_mark_uri(text["draft_word"][language]),
                "author": text["publisher"][language],
                "subject": text["pdf_subject"][language].format(period=quarter.title(language)),
            }
        },
    )
    return body


def _document(folder: Path) -> dict:
    """``indicators.json`` as the notebook wrote it (empty when it is missing)."""
    try:
        return json.loads((folder / "indicators.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _status(folder: Path) -> str:
    """``draft`` or ``final``, as the notebook wrote it into ``indicators.json``."""
    return _document(folder).get("status", "final")


def render_pdf(html: str, target: Path) -> None:
    """Render the report HTML to an A4 PDF with WeasyPrint (print stylesheet, outline).

    The PDF is tagged to PDF/UA-1 (structure tags, the charts' text alternatives, the page's
    language) with the title, author and subject of the page's ``<title>`` and ``<meta>``
    elements, and opens with its outline shown.
    """
    from weasyprint import HTML

    def open_with_outline(document, pdf) -> None:
        pdf.catalog["PageMode"] = "/UseOutlines"

    options = {"pdf_variant": "pdf/ua-1"}
    document = HTML(string=html, base_url=str(target.parent)).render(**options)
    # Links to the files beside the PDF (the other edition) stay relative: WeasyPrint makes them
    # absolute against the temporary build folder, which is gone once the report is installed.
    folder = target.parent.resolve().as_uri() + "/"
    for page in document.pages:
        page.links = [
            (kind, destination.removeprefix(folder) if kind == "external" else destination, *rest)
            for kind, destination, *rest in page.links
        ]
    document.write_pdf(target, finisher=open_with_outline, **options)


# ------------------------------------------------------------------ modes, leftovers, Ctrl-C

_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    """The process's umask, read without changing it where the system allows.

    ``os.umask`` can only be read by setting it, which would briefly change the mode of files
    other threads create; Linux shows it in ``/proc/self/status``.
    """
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def folder_mode() -> int:
    """The mode of a folder made with ``mkdir`` under the user's umask (0755 under 022)."""
    return 0o777 & ~_umask()


def file_mode() -> int:
    """The mode of a file made with ``open`` under the user's umask (0644 under 022)."""
    return 0o666 & ~_umask()


def _host() -> str:
    """This machine's name as it may appear in a file name (output folders can be shared)."""
    return re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname()) or "host"


# Temporary names carry the owner's host and process id, so the next build can tell the
# leftovers of a killed build (owner gone) from the folders of a build still running, on this
# machine or on another one writing to the same shared drive.
_LEFTOVER = re.compile(r"^\.(?P<quarter>\d{4}Q[1-4])\.(?P<kind>building|old)-(?P<owner>.+)$")
_KERNEL_FILE = re.compile(r"^jkn-kernel-(?P<pid>\d+)-[0-9a-f]{12}(?:\.json|-\d+)$")


def _owner_tag() -> str:
    return f"{_host()}-{os.getpid()}"


def _alive(pid: int) -> bool:
    """Whether a process of this machine is running (another user's counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _dead_owner(owner: str) -> bool:
    """Whether ``host-pid[-...]`` names a process of this machine that no longer runs."""
    host = _host()
    if not owner.startswith(f"{host}-"):
        return False
    pid = owner[len(host) + 1 :].split("-", 1)[0]
    return pid.isdigit() and not _alive(int(pid))


def remove_leftovers(out_dir: Path) -> None:
    """Remove what interrupted or killed builds left: their temporary report folders in
    ``out_dir`` and their kernel sockets and connection files in the temporary folder.

    Only names this pack gives, owned by a process of this machine that is gone. A report moved
    aside for a swap that never finished is put back when its period has no report.
    """
    with contextlib.suppress(OSError):
        for entry in out_dir.iterdir():
            match = _LEFTOVER.match(entry.name)
            if match is None or not _dead_owner(match["owner"]):
                continue
            target = out_dir / match["quarter"]
            if match["kind"] == "old" and not target.exists():
                with contextlib.suppress(OSError):
                    entry.rename(target)
                    continue
            shutil.rmtree(entry, ignore_errors=True)
    temporary = Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for entry in temporary.iterdir():
            match = _KERNEL_FILE.match(entry.name)
            if match is None or _alive(int(match["pid"])):
                continue
            with contextlib.suppress(OSError):
                if entry.lstat().st_uid == os.getuid():
                    entry.unlink()


# Set by Ctrl-C (see `stop_on_interrupt`): builds stop at their next step, and no kernel starts.
_INTERRUPTED = threading.Event()
# Process ids of the kernels this process runs, stopped at once on Ctrl-C.
_KERNEL_PIDS: set[int] = set()


def _quiet_after_interrupt(record: logging.LogRecord) -> bool:
    """Logging filter: after Ctrl-C, the notebook client's complaints about the kernel it lost
    ("Kernel died before replying") are expected, not news."""
    return not _INTERRUPTED.is_set()


for _logger in ("papermill", "traitlets"):
    logging.getLogger(_logger).addFilter(_quiet_after_interrupt)


def interrupted() -> bool:
    """Whether Ctrl-C (or SIGTERM) was received while `stop_on_interrupt` was active."""
    return _INTERRUPTED.is_set()


def _raise_if_interrupted() -> None:
    if _INTERRUPTED.is_set():
        raise BuildInterrupted


def _stop_kernels() -> None:
    """Kill this process's kernels (each leads its own process group, started that way by
    jupyter_client); the notebook client then sees a dead kernel and the build unwinds."""
    for pid in list(_KERNEL_PIDS):
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)


def _on_interrupt(signum, frame) -> None:
    """Signal handler: remember the interrupt, stop the kernels, pass it on to worker processes.

    It raises nothing: an exception thrown into papermill's event loop leaves half-finished
    asyncio tasks ("Task exception was never retrieved") and a kernel behind. The build checks
    `interrupted` between steps instead.
    """
    if _INTERRUPTED.is_set():
        return  # a second Ctrl-C while cleaning up: the first one is being handled
    _INTERRUPTED.set()
    _stop_kernels()
    for child in multiprocessing.active_children():
        with contextlib.suppress(OSError):
            os.kill(child.pid, signal.SIGINT)


def install_interrupt_handler() -> None:
    """Handle Ctrl-C and SIGTERM as `_on_interrupt` does, for good (worker processes)."""
    _INTERRUPTED.clear()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, _on_interrupt)


@contextlib.contextmanager
def stop_on_interrupt() -> Iterator[None]:
    """While active, Ctrl-C and SIGTERM stop the builds of this process at their next step.

    `build_quarter` then raises `BuildInterrupted` after removing its temporary folder; the
    previous handlers are restored on exit.
    """
    previous = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    install_interrupt_handler()
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        _INTERRUPTED.clear()


def _ipc_kernel_manager():
    """A kernel manager talking to its kernel over Unix sockets rather than TCP ports.

    Kernels started at the same moment by parallel builds each pick free TCP ports, and two can
    pick the same one (papermill issue #511); socket files named after each kernel's own
    connection file cannot collide. Sockets and connection file live in the temporary folder
    under a name carrying this process's id, so that the next build can remove them when a kill
    left them behind; no kernel starts once Ctrl-C was pressed.
    """
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            # Without an explicit path every kernel would use "kernel-ipc-N" in the working
            # directory, which parallel builds share. Short: a socket path has ~100 bytes.
            stem = f"jkn-kernel-{os.getpid()}-{uuid.uuid4().hex[:12]}"
            self.ip = os.path.join(tempfile.gettempdir(), stem)
            self.connection_file = f"{self.ip}.json"

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            if _INTERRUPTED.is_set():
                # The connection file is written already; no kernel will use it.
                self.cleanup_connection_file()
                self.cleanup_ipc_files()
                raise BuildInterrupted
            await super()._async_launch_kernel(kernel_cmd, **kw)
            pid = self.provisioner.pid
            _KERNEL_PIDS.add(pid)
            if _INTERRUPTED.is_set():  # Ctrl-C came while the kernel was starting
                _stop_kernels()

        async def _async_cleanup_resources(self, restart=False):
            if self.provisioner is not None:
                _KERNEL_PIDS.discard(self.provisioner.pid)
            await super()._async_cleanup_resources(restart=restart)

        @property
        def kernel_spec(self):
            # The interpreter running this build, never a "python3" kernelspec found in the
            # user's Jupyter folders or another environment, which may lack jkn_analysis or
            # hold another version of it (an installed pack must build with itself).
            if self._kernel_spec is None:
                from ipykernel.kernelspec import RESOURCES, get_kernel_dict
                from jupyter_client.kernelspec import KernelSpec

                self._kernel_spec = KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())
            return self._kernel_spec

    return IPCKernelManager


@cache
def notebook_parameters(notebook: Path = NOTEBOOK) -> dict[str, object]:
    """The names and default values of the notebook's ``parameters`` cell (read, not run).

    papermill's own reading of the cell (`papermill.inspect_notebook`), the one it uses for
    ``papermill --help-notebook``; each default is the literal the cell assigns.
    """
    from papermill import inspect_notebook

    inferred = inspect_notebook(notebook)
    if not inferred:
        raise BuildError("parameters", f"{notebook.name} needs a 'parameters' cell")
    return {name: ast.literal_eval(entry["default"]) for name, entry in inferred.items()}


def check_parameters(parameters: dict[str, object], notebook: Path = NOTEBOOK) -> None:
    """Refuse unknown or invalid notebook parameters before any kernel starts.

    Raises
    ------
    BuildError
        For a misspelled name (with a "did you mean"), a quarter that is not ``YYYYQn`` or an
        unknown language.
    """
    known = notebook_parameters(notebook)
    for name, value in parameters.items():
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(known)}"
            raise BuildError("parameters", f"unknown parameter '{name}'{hint}")
        if not isinstance(value, type(known[name])):
            raise BuildError(
                "parameters",
                f"parameter '{name}' must be {type(known[name]).__name__}, got {value!r}",
            )
    try:
        Quarter.parse(str(parameters.get("quarter", known["quarter"])))
    except ValueError as error:
        raise BuildError("parameters", str(error)) from None
    if parameters.get("language", known["language"]) not in LANGUAGES:
        raise BuildError(
            "parameters",
            f"language must be one of {', '.join(LANGUAGES)}, got {parameters.get('language')!r}",
        )


def _execute_notebook(
    quarter: Quarter, language: str, data_dir: Path, folder: Path, kernel: NotebookKernel
) -> Path:
    path = report_paths(folder, quarter, language)["notebook"]
    parameters = {
        "quarter": str(quarter),
        "language": language,
        "data_dir": str(data_dir.resolve()),
        "output_dir": str(folder.resolve()),
    }
    check_parameters(parameters)
    kernel.run(NOTEBOOK, path, parameters)
    return path


# The kernel's own log (TCP transport notice, shutdown messages) is noise for analysts; errors
# in cells still reach the build. The history of a kernel that runs unattended stays in memory:
# parallel builds would otherwise queue on the lock of one history file.
_KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.hist_file=:memory:"]
# Run in the kernel after each notebook: the next notebook finds an empty namespace and counts
# its cells from 1, as in a fresh kernel, while the modules stay imported (and what they keep).
_FRESH_NAMESPACE = "get_ipython().reset(new_session=True)"


class NotebookKernel:
    """One kernel for the notebooks of a build, run one after the other as papermill runs them.

    The kernel starts on the first `run`, in ``cwd``, and is stopped by `close` (or on leaving
    the ``with`` block). Between notebooks its namespace is emptied (`_FRESH_NAMESPACE`), so each
    notebook runs as in a fresh kernel, but the process, its imports and what the analysis keeps
    in it are reused: the second edition of a period does not start, import and compute again.
    """

    def __init__(self, cwd: Path):
        self.cwd = cwd
        self._manager = None

    def __enter__(self) -> NotebookKernel:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _start(self):
        from jupyter_core.utils import run_sync

        manager = _ipc_kernel_manager()(kernel_name="python3")
        self._manager = manager
        run_sync(manager.start_kernel)(extra_arguments=_KERNEL_ARGUMENTS, cwd=str(self.cwd))
        return manager

    def run(self, notebook: Path, output: Path, parameters: dict[str, object]) -> None:
        """Execute ``notebook`` with ``parameters`` into ``output``, as `papermill.execute_notebook`
        does: the parameters injected after the ``parameters`` cell, papermill's metadata and
        cell timings, and an error in a cell raised as papermill's `PapermillExecutionError`
        (after the notebook is written, with its error marker)."""
        from papermill.clientwrap import PapermillNotebookClient
        from papermill.engines import NotebookExecutionManager
        from papermill.execute import (
            prepare_notebook_metadata,
            raise_for_execution_errors,
            remove_error_markers,
        )
        from papermill.iorw import load_notebook_node, write_ipynb
        from papermill.parameterize import parameterize_notebook

        executed = load_notebook_node(str(notebook))
        if parameters:  # as papermill: without any, no cell is injected
            executed = parameterize_notebook(executed, parameters, kernel_name="python3")
        executed = remove_error_markers(
            prepare_notebook_metadata(executed, str(notebook), str(output))
        )
        manager = self._manager or self._start()
        tracker = NotebookExecutionManager(executed, progress_bar=False, log_output=False)
        tracker.notebook_start()
        client = PapermillNotebookClient(
            tracker, km=manager, kernel_name="python3", log=logging.getLogger("papermill")
        )
        try:
            client.execute()
            client.wait_for_reply(client.kc.execute(_FRESH_NAMESPACE, silent=True))
        finally:
            tracker.cleanup_pbar()
            tracker.notebook_complete()
            if client.kc is not None:
                client.kc.stop_channels()
        raise_for_execution_errors(executed, str(output))
        write_ipynb(executed, str(output))

    def close(self) -> None:
        """Stop the kernel (at once: its work is done or abandoned) and remove its files."""
        manager, self._manager = self._manager, None
        if manager is None:
            return
        from jupyter_core.utils import run_sync

        if manager.has_kernel:
            with contextlib.suppress(Exception):  # a kernel Ctrl-C killed is gone already
                run_sync(manager.shutdown_kernel)(now=True)
        manager.cleanup_connection_file()
        manager.cleanup_ipc_files()


def run_notebook(notebook: Path, output: Path, parameters: dict[str, object]) -> None:
    """Execute a notebook as papermill does, in a kernel of its own, from its own folder."""
    with NotebookKernel(notebook.parent) as kernel:
        kernel.run(notebook, output, parameters)


def _import_renderers() -> None:
    """Import WeasyPrint ahead of use (half a second, off the critical path).

    Only WeasyPrint: it shares no modules with papermill and nbconvert, which the main thread
    imports, and two threads importing the same package can see it half-initialised.
    """
    import weasyprint  # noqa: F401


def _render_language(
    workspace: Path,
    quarter: Quarter,
    language: str,
    status: str,
    progress: Callable[[str], None],
    words: str = "en",
) -> list[Path]:
    """Export one executed notebook to HTML and render its PDF; failures name their step.

    ``words`` is the language of the progress lines."""
    paths = report_paths(workspace, quarter, language)
    step = f"HTML export ({language})"
    try:
        progress(f"{quarter}: {message('build.progress.html', words, edition=language)}")
        html = export_html(paths["notebook"], quarter, language, status)
        paths["html"].write_text(html, encoding="utf-8")
        step = f"PDF rendering ({language})"
        progress(f"{quarter}: {message('build.progress.pdf', words, edition=language)}")
        render_pdf(html, paths["pdf"])
        step = f"data workbook ({language})"
        write_data_workbook(html, workspace, language, paths["workbook"])
    except Exception as error:
        raise BuildError(step, _one_line(error)) from error
    return [paths["html"], paths["pdf"], paths["workbook"], paths["notebook"]]


def write_data_workbook(html: str, folder: Path, language: str, target: Path) -> None:
    """The data behind the report beside its PDF: one sheet per table, one of the indicators."""
    from jkn_analysis.catalogue.definitions import load_catalogue
    from jkn_analysis.report.quarterly import load_text
    from jkn_analysis.report.tabledata import write_workbook

    text, catalogue = load_text(), load_catalogue()

    def wording(key: str) -> str:
        entry = text
        for part in key.split("."):
            entry = entry[part]
        return entry[language]

    def label(code: str) -> str:
        return catalogue.indicator(code).label[language]

    write_workbook(html, _document(folder).get("indicators", []), target, language, wording, label)


def _one_line(error: BaseException) -> str:
    """The cause of a failure in one line (papermill errors carry the kernel's exception)."""
    name = getattr(error, "ename", None) or type(error).__name__
    value = getattr(error, "evalue", None) or str(error)
    first = value.strip().splitlines()[0] if value.strip() else ""
    return f"{name}: {first}" if first else name


# ------------------------------------------------------------------ what the pack wrote


def read_record(folder: Path) -> dict | None:
    """The ``build.json`` of a built report, or ``None`` when there is none or it is unreadable
    (or is not a build record of this pack)."""
    try:
        record = json.loads((folder / BUILD_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("files"), list):
        return None
    return record


def editions_of(record: dict | None) -> dict[str, dict]:
    """The editions of a build record, by language, in the order of `LANGUAGES`.

    Each edition holds its ``fingerprint``, ``built_at``, ``warnings`` and ``files``. A record
    written before editions existed (one fingerprint for all its languages) is read as one
    edition per language, so that its reports are kept, listed and rebuilt like any other.
    """
    if record is None:
        return {}
    editions = record.get("editions")
    if not isinstance(editions, dict):
        legacy = record.get("fingerprint", {})
        editions = {
            language: {
                "fingerprint": {**legacy, "language": language},
                "built_at": record.get("built_at", ""),
                "warnings": record.get("warnings", []),
                "files": [name for name in record["files"] if f".{language}." in name],
            }
            for language in legacy.get("languages", [])
        }
    return {
        language: editions[language]
        for language in LANGUAGES
        if isinstance(editions.get(language), dict)
        and isinstance(editions[language].get("files"), list)
    }


def foreign_files(folder: Path) -> list[str]:
    """Names in a report folder that the pack did not write; empty for a missing or empty folder.

    The pack's own files are ``build.json`` and the files it lists; without a readable build
    record every name is foreign.

    Raises
    ------
    UnsafeOutputError
        When ``folder`` is a file or a link rather than a folder.
    """
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise UnsafeOutputError("build.not_a_report_folder", folder=folder)
    if not folder.exists():
        return []
    names = sorted(entry.name for entry in folder.iterdir())
    record = read_record(folder)
    ours = {BUILD_RECORD, *record["files"]} if record is not None else set()
    return [name for name in names if name not in ours]


def _refuse_foreign(folder: Path) -> None:
    foreign = foreign_files(folder)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" (+{len(foreign) - 5})" if len(foreign) > 5 else "")
        raise UnsafeOutputError("build.foreign_files", folder=folder, names=shown)


def check_output(out_dir: Path, data_dir: Path, quarters: Iterable[Quarter]) -> None:
    """Refuse, before anything is touched, an output folder the build could damage.

    Raises
    ------
    UnsafeOutputError
        When ``out_dir`` is a file, or cannot be written (read-only, no permission); when it
        is, contains or lies inside ``data_dir`` (links followed); when a period's folder
        ``out_dir/<QUARTER>/`` holds files the pack did not write, or is a file or a link.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise UnsafeOutputError("build.not_a_folder", option="--out", path=out_dir)
    existing = Path(os.path.abspath(out_dir))
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent  # where the output folder would be created
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UnsafeOutputError("build.read_only", path=out_dir)
    out, data = Path(os.path.realpath(out_dir)), Path(os.path.realpath(data_dir))
    relation = (
        "build.out_is_data"
        if out == data
        else "build.out_inside_data"
        if out.is_relative_to(data)
        else "build.out_contains_data"
        if data.is_relative_to(out)
        else None
    )
    if relation is not None:
        raise UnsafeOutputError(relation, out=out_dir, data=data_dir)
    for quarter in quarters:
        _refuse_foreign(out_dir / str(quarter))


@contextlib.contextmanager
def _period_lock(target: Path) -> Iterator[None]:
    """A lock per period: two builds of one period finishing together swap one after the other,
    leaving one whole report, never a mix."""
    import fcntl

    locks = target.parent / ".locks"
    locks.mkdir(exist_ok=True)
    with open(locks / f"{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _install(
    workspace: Path, target: Path, quarter: Quarter, editions: dict[str, dict]
) -> tuple[str, ...]:
    """Write the build record and move the finished build into place, under the period's lock.

    The editions of the previous report that were not rebuilt (another language) are copied
    into the new folder with their record, so that building one language keeps the other; the
    old folder is removed only after the move, and only when it holds nothing but the pack's
    files (checked again here: an analyst may have saved a file into it meanwhile). Returns the
    names of every file of the new folder but ``build.json``.
    """
    with _period_lock(target):
        _refuse_foreign(target)
        kept = {}
        for language, edition in editions_of(read_record(target)).items():
            if language in editions:
                continue
            if all((target / name).is_file() for name in edition["files"]):
                for name in edition["files"]:
                    # copyfile, not copy2: the copy gets this build's modes (umask), not the old.
                    shutil.copyfile(target / name, workspace / name)
                kept[language] = edition
        merged = {**kept, **editions}
        files = sorted({*SHARED_FILES, *(name for e in merged.values() for name in e["files"])})
        record = {
            "generator": f"jkn-analysis {__version__}",
            "period": str(quarter),
            "editions": {code: merged[code] for code in LANGUAGES if code in merged},
            "files": files,
        }
        (workspace / BUILD_RECORD).write_text(
            json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        _swap(workspace, target)
    return tuple(files)


def _swap(source: Path, target: Path) -> None:
    backup = None
    if target.exists():
        backup = target.with_name(f".{target.name}.old-{_owner_tag()}")
        target.rename(backup)
    try:
        source.rename(target)
    except OSError:
        if backup is not None:
            backup.rename(target)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


# Errors of writing the report (a full disk or quota, a read-only or forbidden folder), told as
# such rather than as the step's exception.
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG}


def _cannot_write(out_dir: Path, error: OSError) -> BuildError:
    reason = error.strerror or str(error)
    return BuildError(
        "output folder",
        message("build.cannot_write", "en", path=out_dir, reason=reason),
        key="build.cannot_write",
        values={"path": out_dir, "reason": reason},
    )


def _create_workspace(out_dir: Path, quarter: Quarter) -> Path:
    """The temporary build folder inside ``out_dir``, with the modes of an ordinary folder.

    ``mkdtemp`` makes it 0700 whatever the umask; it becomes the report folder, which colleagues
    must be able to open.

    Raises
    ------
    BuildError
        When the output folder cannot be created or written (read-only, full, no permission).
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        remove_leftovers(out_dir)
        workspace = Path(
            tempfile.mkdtemp(prefix=f".{quarter}.building-{_owner_tag()}-", dir=out_dir)
        )
        os.chmod(workspace, folder_mode())
    except OSError as error:
        raise _cannot_write(out_dir, error) from error
    return workspace


def build_quarter(
    quarter: Quarter,
    *,
    languages: tuple[str, ...] = ("id",),
    data_dir: Path = Path("data"),
    out_dir: Path = Path("reports"),
    progress: Callable[[str], None] = lambda message: None,
    fingerprints: dict[str, dict] | None = None,
    message_language: str | None = None,
) -> BuildResult:
    """Build the report of one period in the given languages.

    Parameters
    ----------
    quarter : Quarter
        The period to build; ``data_dir/<quarter>/`` must hold its data files.
    languages : tuple of str
        The editions to build, ``"id"`` and/or ``"en"``; the period's other editions already
        in ``out_dir/<quarter>/`` are kept.
    data_dir, out_dir : Path
        Where the data are read and where ``<quarter>/`` is written.
    progress : callable
        Receives one line per step, for the command line to show.
    fingerprints : dict, optional
        What each edition depends on, by language (`jkn_analysis.build.batch.fingerprint`, computed
        when not given), kept in ``build.json`` so that an unchanged edition is not rebuilt.
    message_language : str, optional
        The language of the progress lines and of a failed data check (default: the first of
        ``languages``); the command line passes the first of its ``--lang``.

    Raises
    ------
    UnsafeOutputError
        Before anything is touched, when ``out_dir`` is, contains or lies inside ``data_dir``,
        or when ``out_dir/<quarter>/`` holds files the pack did not write.
    BuildError
        Naming the failed step. The previous report of the period is left untouched. A failed
        data check is a `DataCheckError` worded as ``jkn-report validate`` words it, in
        ``message_language``.
    BuildInterrupted
        After Ctrl-C under `stop_on_interrupt`; the temporary folder is removed.
    """
    words = message_language or languages[0]
    for language in languages:
        check_parameters({"quarter": str(quarter), "language": language})
    if not NOTEBOOK.exists():
        raise BuildError(
            "notebook",
            message("build.notebook_missing", "en", path=NOTEBOOK),
            key="build.notebook_missing",
            values={"path": NOTEBOOK},
        )
    check_output(out_dir, data_dir, [quarter])
    step = "data checks"
    progress(f"{quarter}: {message('build.progress.checking', words)}")
    # The check of `jkn-report validate`: the build proceeds exactly when validate exits 0.
    try:
        checked = data_check(data_dir, quarter)
    except Exception as error:
        raise BuildError(step, _one_line(error)) from error
    if not checked.ok:  # hard errors stop here, before any kernel
        raise DataCheckError(checked, words)
    progress(f"{quarter}: {validation_summary(checked, words)}")
    if fingerprints is None:
        from jkn_analysis.build.fingerprint import fingerprint

        fingerprints = {code: fingerprint(quarter, data_dir, code, NOTEBOOK) for code in languages}
    _raise_if_interrupted()
    workspace = _create_workspace(out_dir, quarter)
    # Absolute: the kernel runs in the notebook's folder, and the renderer thread works on the
    # previous language meanwhile.
    out_dir = out_dir.resolve()
    workspace = workspace.resolve()
    target = out_dir / str(quarter)
    step = "notebook"
    try:
        editions = _run_editions(
            quarter, languages, data_dir, workspace, fingerprints, progress, words
        )
        _raise_if_interrupted()
        step = INDICATORS
        if not (workspace / INDICATORS).exists():
            raise BuildError(step, message("build.no_indicators", "en"), key="build.no_indicators")
        step = "moving the report into place"
        files = _install(workspace, target, quarter, editions)
    except BaseException as error:
        shutil.rmtree(workspace, ignore_errors=True)
        if _INTERRUPTED.is_set() or isinstance(error, KeyboardInterrupt):
            # Whatever the interrupt caused (a dead kernel, a cancelled render) is no failure.
            raise BuildInterrupted from None
        if isinstance(error, BuildError):
            raise
        if isinstance(error, OSError) and error.errno in _WRITE_ERRORS:
            raise _cannot_write(out_dir, error) from error
        raise BuildError(step, _one_line(error)) from error
    return BuildResult(quarter, target, tuple(target / name for name in files))


@contextlib.contextmanager
def _step(name: str) -> Iterator[None]:
    """A failure inside is a `BuildError` of step ``name`` (one already is stays as it is, and a
    write error is left to `build_quarter` to tell as such)."""
    try:
        yield
    except BuildError:
        raise
    except OSError as error:
        if error.errno in _WRITE_ERRORS:
            raise
        raise BuildError(name, _one_line(error)) from error
    except Exception as error:
        raise BuildError(name, _one_line(error)) from error


def _run_editions(
    quarter: Quarter,
    languages: tuple[str, ...],
    data_dir: Path,
    workspace: Path,
    fingerprints: dict[str, dict],
    progress: Callable[[str], None],
    words: str,
) -> dict[str, dict]:
    """Run the notebook for each language and export and render each edition into ``workspace``;
    the editions' entries of the build record, by language.

    The notebooks run one after the other in one kernel (another process), so the second
    edition reuses the first one's imports and analysis; HTML export and PDF rendering run in a
    thread meanwhile, so the next language's notebook overlaps with the previous language's PDF,
    and WeasyPrint is imported while the first notebook runs.
    """
    import nbconvert  # noqa: F401 - before the renderer thread starts: see _import_renderers
    import papermill  # noqa: F401

    editions: dict[str, dict] = {}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="render") as renderer:
        warming = renderer.submit(_import_renderers)
        renders = []
        try:
            with NotebookKernel(NOTEBOOK.parent) as kernel:
                for language in languages:
                    _raise_if_interrupted()
                    running = message("build.progress.notebook", words, edition=language)
                    progress(f"{quarter}: {running}")
                    with _step(f"notebook ({language})"):
                        _execute_notebook(quarter, language, data_dir, workspace, kernel)
                    status = _status(workspace)
                    renders.append(
                        renderer.submit(
                            _render_language, workspace, quarter, language, status, progress, words
                        )
                    )
                    editions[language] = {
                        "fingerprint": fingerprints[language],
                        # The wall-clock time of this build (the reports themselves carry a
                        # reproducible date stamp; see jkn_analysis.report.quarterly.source_date).
                        "built_at": dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
                        "warnings": _document(workspace).get("data_checks", []),
                    }
            with _step(f"PDF rendering ({languages[0]})"):
                warming.result()
            for language, render in zip(languages, renders, strict=True):
                _raise_if_interrupted()
                editions[language]["files"] = sorted(p.name for p in render.result())
        finally:
            for render in renders:
                render.cancel()  # after a failure or Ctrl-C, renders not yet begun
    return editions


def build_projection(
    quarter: Quarter,
    *,
    language: str = "id",
    data_dir: Path = Path("data"),
    out_dir: Path = Path("reports"),
    scenario_file: str = "",
    horizon: int = 5,
    overrides: str = "",
    calendar_file: str = "",
) -> Path:
    """Run the DJS projection notebook and write its HTML to ``out_dir/projections/``.

    The horizon and the driver overrides are checked against their bounds before the kernel
    starts. The page is written to a temporary file and moved into place, so a failure leaves
    the previous page untouched. Returns the page's path.
    """
    from jkn_analysis.projection import ProjectionError, check_horizon, parse_overrides

    parameters = {
        "quarter": str(quarter),
        "language": language,
        "data_dir": str(data_dir.resolve()),
        "scenario_file": str(Path(scenario_file).resolve()) if scenario_file else "",
        "calendar_file": str(Path(calendar_file).resolve()) if calendar_file else "",
        "horizon": horizon,
        "overrides": overrides,
    }
    check_parameters(parameters, PROJECTION_NOTEBOOK)
    try:
        check_horizon(horizon)
        parse_overrides(overrides)
    except ProjectionError as error:
        raise BuildError("parameters", error.describe(language)) from None
    folder = out_dir.resolve() / "projections"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"proyeksi-djs-{quarter}.{language}.html"
    with tempfile.TemporaryDirectory(dir=folder, prefix=".building-") as workspace:
        executed = Path(workspace) / "projection.ipynb"
        step = "projection notebook"
        try:
            run_notebook(PROJECTION_NOTEBOOK, executed, parameters)
            step = "HTML export"
            # Every cell: the projection notebook's sections carry no ``report`` tag yet.
            html = export_html(executed, quarter, language, cell_tag="")
        except Exception as error:
            raise BuildError(step, _one_line(error)) from error
        page = Path(workspace) / target.name
        page.write_text(html, encoding="utf-8")
        os.replace(page, target)
    return target
