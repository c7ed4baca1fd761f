"""Build a period's report: check the data, run the notebook, export HTML, render the PDF.

The orchestrator of one period (`build_quarter`): the data checked as ``jkn-report validate``
checks them, ``notebooks/quarterly_report.ipynb`` executed for each language one after the
other in one kernel (`jkn_analysis.build.notebook`, launched with the pack preloaded before the
data check), each executed notebook turned into a self-contained HTML page
holding only the cells tagged ``report`` and that same HTML into an A4 PDF
(`jkn_analysis.build.export`), in a thread while the next language's notebook runs; the PDFs
after the first are rendered in a worker process, on the other core. All of
it is written to a temporary folder next to the target and moved into ``reports/<QUARTER>/``
only when every step succeeded, so a failed build never touches the previous report
(`jkn_analysis.build.outputs`). Each language is an edition of its own (its files, fingerprint
and build time in ``build.json``): building one language keeps the other. A failure names its
step and language (`jkn_analysis.build.errors`); Ctrl-C stops a build at the next step, its
kernel stopped at once (`jkn_analysis.build.interrupts`). `build_projection` renders the DJS
projection notebook the same way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

# The names other modules and the tests have used from here since the build was one module.
from jkn_analysis.build.errors import (  # noqa: F401
    BUILD_MESSAGES,
    BuildError,
    DataCheckError,
    UnsafeOutputError,
    message,
    one_line,
    step_words,
)
from jkn_analysis.build.export import (  # noqa: F401
    BUILD_TEMPLATES,
    REPORT_TAG,
    export_html,
    render_pdf,
    write_data_workbook,
)
from jkn_analysis.build.interrupts import (  # noqa: F401
    BuildInterrupted,
    install_interrupt_handler,
    interrupted,
    raise_if_interrupted,
    stop_on_interrupt,
)
from jkn_analysis.build.notebook import (  # noqa: F401
    NOTEBOOK,
    PROJECTION_NOTEBOOK,
    NotebookKernel,
    check_parameters,
    notebook_parameters,
    run_notebook,
)
from jkn_analysis.build.outputs import (  # noqa: F401
    BUILD_RECORD,
    INDICATORS,
    SHARED_FILES,
    WRITE_ERRORS,
    _install,
    cannot_write,
    check_output,
    create_workspace,
    editions_of,
    file_mode,
    folder_mode,
    foreign_files,
    indicators_document,
    read_record,
    remove_leftovers,
    report_status,
)
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.inputs.validation import validation_summary
from jkn_analysis.report.filenames import report_paths


@dataclass(frozen=True)
class BuildResult:
    """What one period's build wrote."""

    quarter: Quarter
    folder: Path
    files: tuple[Path, ...]


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
    raise_if_interrupted()
    # Launched before the data check and stopped at once whatever ends the build: the kernel
    # starts and imports the pack on the other core while this process imports pandas and
    # checks the data (about a second of each). Data that fail their check stop it unused.
    with NotebookKernel(NOTEBOOK.parent) as kernel:
        kernel.start()
        return _checked_build(
            quarter, languages, data_dir, out_dir, progress, fingerprints, words, kernel
        )


def _checked_build(
    quarter: Quarter,
    languages: tuple[str, ...],
    data_dir: Path,
    out_dir: Path,
    progress: Callable[[str], None],
    fingerprints: dict[str, dict] | None,
    words: str,
    kernel: NotebookKernel,
) -> BuildResult:
    """`build_quarter` from the data check on, with its kernel launched."""
    step = "data checks"
    progress(f"{quarter}: {message('build.progress.checking', words)}")
    from jkn_analysis.indicators.checks import data_check  # pandas: here, once the kernel starts

    # The check of `jkn-report validate`: the build proceeds exactly when validate exits 0.
    try:
        checked = data_check(data_dir, quarter)
    except Exception as error:
        raise BuildError(step, one_line(error)) from error
    if not checked.ok:  # hard errors stop here, before any notebook
        raise DataCheckError(checked, words)
    progress(f"{quarter}: {validation_summary(checked, words)}")
    if fingerprints is None:
        from jkn_analysis.build.fingerprint import fingerprint

        fingerprints = {code: fingerprint(quarter, data_dir, code, NOTEBOOK) for code in languages}
    raise_if_interrupted()
    workspace = create_workspace(out_dir, quarter)
    # Absolute: the kernel runs in the notebook's folder, and the renderer thread works on the
    # previous language meanwhile.
    out_dir = out_dir.resolve()
    workspace = workspace.resolve()
    target = out_dir / str(quarter)
    step = "notebook"
    try:
        editions = _run_editions(
            quarter, languages, data_dir, workspace, fingerprints, progress, words, kernel
        )
        raise_if_interrupted()
        step = INDICATORS
        if not (workspace / INDICATORS).exists():
            raise BuildError(step, message("build.no_indicators", "en"), key="build.no_indicators")
        step = "moving the report into place"
        files = _install(workspace, target, quarter, editions)
    except BaseException as error:
        shutil.rmtree(workspace, ignore_errors=True)
        if interrupted() or isinstance(error, KeyboardInterrupt):
            # Whatever the interrupt caused (a dead kernel, a cancelled render) is no failure.
            raise BuildInterrupted from None
        if isinstance(error, BuildError):
            raise
        if isinstance(error, OSError) and error.errno in WRITE_ERRORS:
            raise cannot_write(out_dir, error) from error
        raise BuildError(step, one_line(error)) from error
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
        if error.errno in WRITE_ERRORS:
            raise
        raise BuildError(name, one_line(error)) from error
    except Exception as error:
        raise BuildError(name, one_line(error)) from error


def _run_editions(
    quarter: Quarter,
    languages: tuple[str, ...],
    data_dir: Path,
    workspace: Path,
    fingerprints: dict[str, dict],
    progress: Callable[[str], None],
    words: str,
    kernel: NotebookKernel,
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

    from jkn_analysis.build.speedups import quiet_garbage_collector

    quiet_garbage_collector()

    editions: dict[str, dict] = {}
    # One renderer thread per edition (at most two), so that the second edition's HTML export
    # does not wait for the first one's PDF; the PDFs after the first are rendered in a worker
    # process (`_pdf_worker`), on the other core, while this process renders the first one.
    threads = min(len(languages), 2)
    with (
        ThreadPoolExecutor(max_workers=threads, thread_name_prefix="render") as renderer,
        _pdf_worker(len(languages) > 1) as worker,
    ):
        warming = renderer.submit(_import_renderers)
        renders = []
        try:
            for language in languages:
                raise_if_interrupted()
                running = message("build.progress.notebook", words, edition=language)
                progress(f"{quarter}: {running}")
                with _step(f"notebook ({language})"):
                    _execute_notebook(quarter, language, data_dir, workspace, kernel)
                status = report_status(workspace)
                renders.append(
                    renderer.submit(
                        _render_language,
                        workspace,
                        quarter,
                        language,
                        status,
                        progress,
                        words,
                        worker if renders else None,
                    )
                )
                editions[language] = {
                    "fingerprint": fingerprints[language],
                    # The wall-clock time of this build (the reports themselves carry a
                    # reproducible date stamp; see jkn_analysis.report.quarterly.source_date).
                    "built_at": dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
                    "warnings": indicators_document(workspace).get("data_checks", []),
                }
            # Its work is done: stopped now, while the renderer works on.
            kernel.close()
            with _step(f"PDF rendering ({languages[0]})"):
                warming.result()
            for language, render in zip(languages, renders, strict=True):
                raise_if_interrupted()
                editions[language]["files"] = sorted(p.name for p in render.result())
        finally:
            for render in renders:
                render.cancel()  # after a failure or Ctrl-C, renders not yet begun
    return editions


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


def _import_renderers() -> None:
    """Import WeasyPrint ahead of use (half a second, off the critical path).

    Only WeasyPrint: it shares no modules with papermill and nbconvert, which the main thread
    imports, and two threads importing the same package can see it half-initialised.
    """
    import weasyprint  # noqa: F401


@contextlib.contextmanager
def _pdf_worker(wanted: bool) -> Iterator[ProcessPoolExecutor | None]:
    """A worker process for the PDFs of the editions after the first (``None`` when not
    ``wanted``: one edition), started now and importing WeasyPrint while the notebooks run.

    Spawned, not forked: this process runs threads. Ctrl-C reaches it as it reaches every
    process of the command (and `jkn_analysis.build.interrupts` passes it on to child
    processes): a render under way stops with `KeyboardInterrupt`, which the build reports as
    interrupted; an idle worker ignores it and is stopped by this process. After a failure or
    Ctrl-C the worker is not waited for.
    """
    if not wanted:
        yield None
        return
    import multiprocessing

    worker = ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=signal.signal,
        initargs=(signal.SIGINT, signal.SIG_IGN),
    )
    worker.submit(_warm_pdf_worker)
    try:
        yield worker
    except BaseException:
        processes = list((worker._processes or {}).values())  # before shutdown forgets them
        worker.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        raise
    worker.shutdown()


def _warm_pdf_worker() -> None:
    """Run first in the PDF worker process: WeasyPrint and the pack imported ahead of use."""
    import jkn_analysis.build.export  # noqa: F401

    _import_renderers()


def _pdf(html: str, target: Path, worker: ProcessPoolExecutor | None) -> None:
    """`render_pdf` in ``worker`` when one is given, in this process otherwise.

    A `render_pdf` replaced here (the tests' stand-ins, which cannot be sent to another
    process) renders in this process."""
    from jkn_analysis.build import export

    if worker is None or render_pdf is not export.render_pdf:
        render_pdf(html, target)
    else:
        worker.submit(_render_pdf_in_worker, html, target).result()


def _render_pdf_in_worker(html: str, target: Path) -> None:
    """`render_pdf` in the PDF worker, Ctrl-C stopping it (an idle worker ignores Ctrl-C)."""
    from jkn_analysis.build.export import render_pdf

    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        render_pdf(html, target)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _render_language(
    workspace: Path,
    quarter: Quarter,
    language: str,
    status: str,
    progress: Callable[[str], None],
    words: str = "en",
    worker: ProcessPoolExecutor | None = None,
) -> list[Path]:
    """Export one executed notebook to HTML and render its PDF; failures name their step.

    ``words`` is the language of the progress lines; the PDF is rendered in ``worker`` when one
    is given (`_pdf`)."""
    paths = report_paths(workspace, quarter, language)
    step = f"HTML export ({language})"
    try:
        progress(f"{quarter}: {message('build.progress.html', words, edition=language)}")
        html = export_html(paths["notebook"], quarter, language, status)
        paths["html"].write_text(html, encoding="utf-8")
        step = f"PDF rendering ({language})"
        progress(f"{quarter}: {message('build.progress.pdf', words, edition=language)}")
        _pdf(html, paths["pdf"], worker)
        step = f"data workbook ({language})"
        write_data_workbook(html, workspace, language, paths["workbook"])
    except Exception as error:
        raise BuildError(step, one_line(error)) from error
    return [paths["html"], paths["pdf"], paths["workbook"], paths["notebook"]]


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
            raise BuildError(step, one_line(error)) from error
        page = Path(workspace) / target.name
        page.write_text(html, encoding="utf-8")
        os.replace(page, target)
    return target
