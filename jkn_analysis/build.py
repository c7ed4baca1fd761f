"""Build a period's report: run the notebook with papermill, export HTML, render the PDF.

One orchestrator: check the data, execute ``notebooks/quarterly_report.ipynb`` once per
language, turn each executed notebook into a self-contained HTML page (nbconvert, with the
report template: no code, no prompts) and that same HTML into an A4 PDF (WeasyPrint). All of it
is written to a temporary folder next to the target and moved into ``reports/<QUARTER>/``
only when every step succeeded, so a failed build never touches the previous report.
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import json
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jkn_analysis import __version__, paths
from jkn_analysis.catalogue import LANGUAGES
from jkn_analysis.loading import data_check
from jkn_analysis.periods import Quarter
from jkn_analysis.validation import ValidationResult, format_validation, validation_summary

# jsonschema (imported by nbformat, under papermill and nbconvert) loads rfc3987-syntax when it
# is installed, and that module builds a Lark grammar at import: about a second on every build.
# JupyterLab needs the package (through jupyter-events), so it stays installed; this process
# never validates IRI formats, so it does without it.
sys.modules.setdefault("rfc3987_syntax", None)

# The checkout's notebooks/, or the copy the wheel carries once installed (jkn_analysis.paths).
NOTEBOOK = paths.notebook_path(paths.REPORT_NOTEBOOK)
PROJECTION_NOTEBOOK = paths.notebook_path(paths.PROJECTION_NOTEBOOK)
REPORT_STEM = "laporan-kinerja-jkn"
BUILD_RECORD = "build.json"


class BuildError(RuntimeError):
    """A build step failed; ``step`` names it and the message gives the one-line cause."""

    def __init__(self, step: str, cause: str):
        super().__init__(f"{step}: {cause}")
        self.step = step
        self.cause = cause


class DataCheckError(BuildError):
    """The data check failed: ``result`` holds what `jkn_analysis.loading.data_check` found
    and ``cause`` the same text ``jkn-report validate`` prints, in the build's language."""

    def __init__(self, result: ValidationResult, language: str):
        super().__init__("data checks", format_validation(result, language, show_missing=False))
        self.result = result


@dataclass(frozen=True)
class BuildResult:
    """What one period's build wrote."""

    quarter: Quarter
    folder: Path
    files: tuple[Path, ...]


def report_paths(folder: Path, quarter: Quarter, language: str) -> dict[str, Path]:
    """Names of the files a build writes for one language."""
    stem = f"{REPORT_STEM}-{quarter}.{language}"
    return {
        "notebook": folder / f"{stem}.ipynb",
        "html": folder / f"{stem}.html",
        "pdf": folder / f"{stem}.pdf",
        "workbook": folder / f"lampiran-data-{quarter}.{language}.xlsx",
    }


def export_html(notebook_path: Path, quarter: Quarter, language: str, status: str = "final") -> str:
    """Turn an executed notebook into the report page: HTML outputs only, styles inline.

    A ``draft`` report carries the draft mark on every page (screen and print).
    """
    import nbformat
    from nbconvert import HTMLExporter

    from jkn_analysis.report import TEMPLATE_DIR, load_text
    from jkn_analysis.tabledata import draft_mark_uri

    text = load_text()
    templates = TEMPLATE_DIR
    exporter = HTMLExporter(
        template_name="jkn_report",
        extra_template_basedirs=[str(templates / "nbconvert")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    notebook = nbformat.read(notebook_path, as_version=4)
    css = (templates / "report.css").read_text("utf-8")
    body, _ = exporter.from_notebook_node(
        notebook,
        resources={
            "jkn": {
                "language": language,
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

    HTML(string=html, base_url=str(target.parent)).write_pdf(
        target, finisher=open_with_outline, pdf_variant="pdf/ua-1"
    )


def _ipc_kernel_manager():
    """A kernel manager talking to its kernel over Unix sockets rather than TCP ports.

    Kernels started at the same moment by parallel builds each pick free TCP ports, and two can
    pick the same one (papermill issue #511); socket files named after each kernel's own
    connection file cannot collide.
    """
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            # Without an explicit path every kernel would use "kernel-ipc-N" in the working
            # directory, which parallel builds share.
            self.ip = os.path.join(tempfile.gettempdir(), f"jkn-kernel-{uuid.uuid4().hex}")

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
    """The names and default values of the notebook's ``parameters`` cell (parsed, not run)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise BuildError("parameters", f"{notebook.name} needs exactly one 'parameters' cell")
    source = "".join(tagged[0]["source"])
    return {
        statement.target.id: ast.literal_eval(statement.value)
        for statement in ast.parse(source).body
        if isinstance(statement, ast.AnnAssign)
    }


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


def _execute_notebook(quarter: Quarter, language: str, data_dir: Path, folder: Path) -> Path:
    path = report_paths(folder, quarter, language)["notebook"]
    parameters = {
        "quarter": str(quarter),
        "language": language,
        "data_dir": str(data_dir.resolve()),
        "output_dir": str(folder.resolve()),
    }
    check_parameters(parameters)
    run_notebook(NOTEBOOK, path, parameters)
    return path


def run_notebook(notebook: Path, output: Path, parameters: dict[str, object]) -> None:
    """Execute a notebook with papermill in a fresh kernel, from the notebook's own folder."""
    import papermill

    papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        cwd=str(notebook.parent),
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
        # The kernel's own log (TCP transport notice, shutdown messages) is noise for analysts;
        # errors in cells still reach the build through papermill.
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        kernel_manager_class=_ipc_kernel_manager(),
    )


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
) -> list[Path]:
    """Export one executed notebook to HTML and render its PDF; failures name their step."""
    paths = report_paths(workspace, quarter, language)
    step = f"HTML export ({language})"
    try:
        progress(f"{quarter}: exporting HTML ({language})")
        html = export_html(paths["notebook"], quarter, language, status)
        paths["html"].write_text(html, encoding="utf-8")
        step = f"PDF rendering ({language})"
        progress(f"{quarter}: rendering PDF ({language})")
        render_pdf(html, paths["pdf"])
        step = f"data workbook ({language})"
        write_data_workbook(html, workspace, language, paths["workbook"])
    except Exception as error:
        raise BuildError(step, _one_line(error)) from error
    return [paths["html"], paths["pdf"], paths["workbook"], paths["notebook"]]


def write_data_workbook(html: str, folder: Path, language: str, target: Path) -> None:
    """The data behind the report beside its PDF: one sheet per table, one of the indicators."""
    from jkn_analysis.catalogue import load_catalogue
    from jkn_analysis.report import load_text
    from jkn_analysis.tabledata import write_workbook

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


def _replace_folder(source: Path, target: Path) -> None:
    """Move a finished build into place; the old report is removed only after the move.

    A lock per period serialises the swap, so two builds of the same period finishing together
    leave one whole report, never a mix.
    """
    import fcntl

    locks = target.parent / ".locks"
    locks.mkdir(exist_ok=True)
    with open(locks / f"{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _swap(source, target)


def _swap(source: Path, target: Path) -> None:
    backup = None
    if target.exists():
        backup = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(backup)
    try:
        source.rename(target)
    except OSError:
        if backup is not None:
            backup.rename(target)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def build_quarter(
    quarter: Quarter,
    *,
    languages: tuple[str, ...] = ("id",),
    data_dir: Path = Path("data"),
    out_dir: Path = Path("reports"),
    progress: Callable[[str], None] = lambda message: None,
    fingerprint: dict | None = None,
) -> BuildResult:
    """Build the report of one period in the given languages.

    Parameters
    ----------
    quarter : Quarter
        The period to build; ``data_dir/<quarter>/`` must hold its data files.
    languages : tuple of str
        ``"id"`` and/or ``"en"``.
    data_dir, out_dir : Path
        Where the data are read and where ``<quarter>/`` is written.
    progress : callable
        Receives one line per step, for the command line to show.
    fingerprint : dict, optional
        What the report depends on (`jkn_analysis.batch.fingerprint`), kept in ``build.json``
        so that an unchanged period is not rebuilt.

    Raises
    ------
    BuildError
        Naming the failed step. The previous report of the period is left untouched. A failed
        data check is a `DataCheckError` worded as ``jkn-report validate`` words it, in the
        first of ``languages``.
    """
    for language in languages:
        check_parameters({"quarter": str(quarter), "language": language})
    if not NOTEBOOK.exists():
        raise BuildError("notebook", f"{NOTEBOOK} not found")
    step = "data checks"
    progress(f"{quarter}: checking data")
    # The check of `jkn-report validate`: the build proceeds exactly when validate exits 0.
    try:
        checked = data_check(data_dir, quarter)
    except Exception as error:
        raise BuildError(step, _one_line(error)) from error
    if not checked.ok:  # hard errors stop here, before any kernel
        raise DataCheckError(checked, languages[0])
    progress(f"{quarter}: {validation_summary(checked, languages[0])}")
    out_dir.mkdir(parents=True, exist_ok=True)
    # Absolute: papermill changes the working directory while a kernel runs, and the renderer
    # thread works on the previous language meanwhile.
    out_dir = out_dir.resolve()
    workspace = Path(tempfile.mkdtemp(prefix=f".{quarter}.building-", dir=out_dir))
    written: list[Path] = []
    try:
        # Notebooks run one after the other in kernels (other processes); HTML export and PDF
        # rendering run in a thread meanwhile, so the next language's kernel overlaps with the
        # previous language's PDF, and WeasyPrint is imported while the first kernel runs.
        import nbconvert  # noqa: F401 - before the renderer thread starts: see _import_renderers
        import papermill  # noqa: F401

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="render") as renderer:
            warming = renderer.submit(_import_renderers)
            renders = []
            for language in languages:
                step = f"notebook ({language})"
                progress(f"{quarter}: running the notebook ({language})")
                _execute_notebook(quarter, language, data_dir, workspace)
                renders.append(
                    renderer.submit(
                        _render_language, workspace, quarter, language, _status(workspace), progress
                    )
                )
            warming.result()
            for render in renders:
                written += render.result()
        step = "indicators.json"
        if not (workspace / "indicators.json").exists():
            raise BuildError(step, "the notebook did not write indicators.json")
        written.append(workspace / "indicators.json")
        if (workspace / "indicators.csv").exists():
            written.append(workspace / "indicators.csv")
        record = {
            "fingerprint": fingerprint or {"quarter": str(quarter), "languages": list(languages)},
            # The wall-clock time of this build (the reports themselves carry a reproducible
            # date stamp; see jkn_analysis.report.source_date).
            "built_at": dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            "warnings": _document(workspace).get("data_checks", []),
            "files": sorted(path.name for path in written),
        }
        (workspace / BUILD_RECORD).write_text(
            json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        step = "moving the report into place"
        target = out_dir / str(quarter)
        _replace_folder(workspace, target)
    except BuildError:
        shutil.rmtree(workspace, ignore_errors=True)
        raise
    except Exception as error:
        shutil.rmtree(workspace, ignore_errors=True)
        raise BuildError(step, _one_line(error)) from error
    return BuildResult(quarter, target, tuple(target / path.name for path in written))


def build_projection(
    quarter: Quarter,
    *,
    language: str = "id",
    data_dir: Path = Path("data"),
    out_dir: Path = Path("reports"),
    scenario_file: str = "",
    horizon: int = 5,
    overrides: str = "",
) -> Path:
    """Run the DJS projection notebook and write its HTML to ``out_dir/projections/``.

    The page is written to a temporary file and moved into place, so a failure leaves the
    previous page untouched. Returns the page's path.
    """
    parameters = {
        "quarter": str(quarter),
        "language": language,
        "data_dir": str(data_dir.resolve()),
        "scenario_file": str(Path(scenario_file).resolve()) if scenario_file else "",
        "horizon": horizon,
        "overrides": overrides,
    }
    check_parameters(parameters, PROJECTION_NOTEBOOK)
    folder = out_dir.resolve() / "projections"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"proyeksi-djs-{quarter}.{language}.html"
    with tempfile.TemporaryDirectory(dir=folder, prefix=".building-") as workspace:
        executed = Path(workspace) / "projection.ipynb"
        step = "projection notebook"
        try:
            run_notebook(PROJECTION_NOTEBOOK, executed, parameters)
            step = "HTML export"
            html = export_html(executed, quarter, language)
        except Exception as error:
            raise BuildError(step, _one_line(error)) from error
        page = Path(workspace) / target.name
        page.write_text(html, encoding="utf-8")
        os.replace(page, target)
    return target
