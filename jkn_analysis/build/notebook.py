"""Notebooks run as papermill runs them, in kernels of this pack's own, and their parameters.

`NotebookKernel` runs the notebooks of one build in one kernel, one after the other: each with
its parameters injected by papermill (`papermill.parameterize.parameterize_notebook`), executed
by papermill's notebook client (an nbclient `NotebookClient` given the kernel manager), timed,
marked and raised on error as `papermill.execute_notebook` does; between two notebooks the
kernel's namespace is emptied, so each runs as in a fresh kernel while the process, its imports
and what the analysis keeps in it serve both editions of a period. The kernel talks over Unix
sockets named after this process (`_ipc_kernel_manager`), is stopped at once on Ctrl-C
(`jkn_analysis.build.interrupts`) and leaves no files behind. `check_parameters` refuses unknown
or invalid parameters, read from the notebook's ``parameters`` cell, before any kernel starts.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import hashlib
import logging
import os
import tempfile
from functools import cache
from pathlib import Path

from jkn_analysis.build.errors import BuildError
from jkn_analysis.build.interrupts import (
    BuildInterrupted,
    interrupted,
    kernel_started,
    kernel_stopped,
)
from jkn_analysis.build.outputs import kernel_file_stem
from jkn_analysis.catalogue.definitions import LANGUAGES
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.inputs import paths
from jkn_analysis.inputs.memo import remembered

# The checkout's notebooks/, or the copy the wheel carries once installed
# (jkn_analysis.inputs.paths).
NOTEBOOK = paths.notebook_path(paths.REPORT_NOTEBOOK)
PROJECTION_NOTEBOOK = paths.notebook_path(paths.PROJECTION_NOTEBOOK)


@cache
def notebook_parameters(notebook: Path = NOTEBOOK) -> dict[str, object]:
    """The names and default values of the notebook's ``parameters`` cell (read, not run).

    papermill's own reading of the cell (`papermill.inspect_notebook`), the one it uses for
    ``papermill --help-notebook``; each default is the literal the cell assigns. Remembered in
    the pack's cache by a hash of the notebook and papermill's version
    (`jkn_analysis.inputs.memo.remembered`): importing papermill to read it takes 0,4 s, which
    would otherwise delay every build's kernel (parameters are checked before it starts).
    """
    from importlib.metadata import version

    def inspected() -> dict[str, str]:
        from papermill import inspect_notebook

        return {name: entry["default"] for name, entry in inspect_notebook(notebook).items()}

    def valid(answer: object) -> bool:
        return isinstance(answer, dict) and all(isinstance(v, str) for v in answer.values())

    content = hashlib.sha256(notebook.read_bytes())
    content.update(f"\0papermill {version('papermill')}".encode())
    key = content.hexdigest()
    defaults = remembered("parameters", notebook.stem, key, inspected, valid)
    if not defaults:
        raise BuildError("parameters", f"{notebook.name} needs a 'parameters' cell")
    return {name: ast.literal_eval(default) for name, default in defaults.items()}


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


# The kernel's own log (TCP transport notice, shutdown messages) is noise for analysts; errors
# in cells still reach the build. The history of a kernel that runs unattended stays in memory:
# parallel builds would otherwise queue on the lock of one history file.
_KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.hist_file=:memory:"]
# Run in the kernel after each notebook: the next notebook finds an empty namespace and counts
# its cells from 1, as in a fresh kernel, while the modules stay imported (and what they keep).
_FRESH_NAMESPACE = "get_ipython().reset(new_session=True)"
# Sent to a kernel launched ahead of its first notebook (`NotebookKernel.start`): the C YAML
# parser, the notebook's modules imported and the garbage collector quieted, while the command
# line checks the data. A failure here is silent; the notebook's own imports then say it.
_PRELOAD = "from jkn_analysis.build.speedups import prepare_kernel; prepare_kernel()"


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
        self._preload_client = None

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

    def start(self) -> None:
        """Launch the kernel now, and have it load the report notebook's modules, without
        waiting for either: the caller goes on with its own work (the data check) meanwhile,
        and the first `run` finds the kernel ready and the pack imported
        (`jkn_analysis.build.speedups.prepare_kernel`).

        The request waits in the kernel's queue until the kernel listens; the first notebook's
        requests queue behind it."""
        if self._manager is not None:
            return
        manager = self._start()
        # Blocking: sent at once, not left pending on an event loop nobody runs.
        client = manager.blocking_client()
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        client.execute(_PRELOAD, silent=True, store_history=False)
        self._preload_client = client

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
        client, self._preload_client = self._preload_client, None
        if client is not None:
            client.stop_channels()
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
            self.ip = os.path.join(tempfile.gettempdir(), kernel_file_stem())
            self.connection_file = f"{self.ip}.json"

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            if interrupted():
                # The connection file is written already; no kernel will use it.
                self.cleanup_connection_file()
                self.cleanup_ipc_files()
                raise BuildInterrupted
            await super()._async_launch_kernel(kernel_cmd, **kw)
            kernel_started(self.provisioner.pid)

        async def _async_cleanup_resources(self, restart=False):
            if self.provisioner is not None:
                kernel_stopped(self.provisioner.pid)
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
