"""Ctrl-C and SIGTERM during a build: remembered, the kernels stopped at once, no new one.

The signal handler raises nothing (an exception thrown into the notebook client's event loop
leaves half-finished tasks and a kernel behind): it sets a flag the build checks between its
steps (`raise_if_interrupted`) and kills the kernels this process runs, so that the step
running now unwinds at once. Worker processes of parallel builds install the same handler.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator

# Set by Ctrl-C (see `stop_on_interrupt`): builds stop at their next step, and no kernel starts.
_INTERRUPTED = threading.Event()
# Process ids of the kernels this process runs, stopped at once on Ctrl-C.
_KERNEL_PIDS: set[int] = set()


class BuildInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) stopped the build; its temporary folder is already removed."""


def _quiet_after_interrupt(record: logging.LogRecord) -> bool:
    """Logging filter: after Ctrl-C, the notebook client's complaints about the kernel it lost
    ("Kernel died before replying") are expected, not news."""
    return not _INTERRUPTED.is_set()


for _logger in ("papermill", "traitlets"):
    logging.getLogger(_logger).addFilter(_quiet_after_interrupt)


def interrupted() -> bool:
    """Whether Ctrl-C (or SIGTERM) was received while `stop_on_interrupt` was active."""
    return _INTERRUPTED.is_set()


def raise_if_interrupted() -> None:
    """Raise `BuildInterrupted` once Ctrl-C was received: the build stops at this step."""
    if _INTERRUPTED.is_set():
        raise BuildInterrupted


def stop_kernels() -> None:
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
    stop_kernels()
    for child in multiprocessing.active_children():
        with contextlib.suppress(OSError):
            os.kill(child.pid, signal.SIGINT)


def install_interrupt_handler() -> None:
    """Handle Ctrl-C and SIGTERM as `_on_interrupt` does, for good (worker processes)."""
    _INTERRUPTED.clear()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, _on_interrupt)


def kernel_started(pid: int) -> None:
    """Remember a kernel this process started, to stop it at once on Ctrl-C."""
    _KERNEL_PIDS.add(pid)
    if _INTERRUPTED.is_set():  # Ctrl-C came while the kernel was starting
        stop_kernels()


def kernel_stopped(pid: int) -> None:
    """Forget a kernel that was shut down."""
    _KERNEL_PIDS.discard(pid)


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
