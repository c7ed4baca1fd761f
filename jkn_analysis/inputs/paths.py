"""Where the pack finds its notebooks and its default data folder, checked out or installed.

The notebooks have one source, ``notebooks/`` at the repository root. A wheel carries them
inside the package as ``jkn_analysis/notebooks/`` (``pyproject.toml`` maps that folder), so
that ``jkn-report build`` works once installed; in a source checkout, the editable install
included, the checkout's own ``notebooks/`` is used, so an edited notebook takes effect at
once.

A notebook's ``data_dir`` parameter left empty means `default_data_dir`: the ``data/`` folder of
the checkout the package was imported from, whatever the kernel's working folder (papermill
runs from the repository root as well as from ``notebooks/``), or ``data/`` in the working
folder when the package is installed.
"""

from __future__ import annotations

import os
from pathlib import Path

from jkn_analysis.catalogue.wording import messages
from jkn_analysis.inputs.validation import MESSAGES, register_messages

PACKAGE_DIR = Path(__file__).resolve().parents[1]
REPORT_NOTEBOOK = "quarterly_report.ipynb"
PROJECTION_NOTEBOOK = "djs_projection.ipynb"

PATH_MESSAGES: dict[str, dict[str, str]] = messages("paths")
register_messages(PATH_MESSAGES)


class OutputFolderError(OSError):
    """``output_dir`` cannot be used: a file, a folder that cannot be created or written to."""


def source_root() -> Path | None:
    """The repository root when the package is imported from a source checkout, else ``None``.

    A checkout has ``pyproject.toml`` and ``notebooks/`` beside the package folder; an
    installed package sits in ``site-packages``, which has neither.
    """
    root = PACKAGE_DIR.parent
    if (root / "pyproject.toml").is_file() and (root / "notebooks" / REPORT_NOTEBOOK).is_file():
        return root
    return None


def notebook_dir() -> Path:
    """The folder of the notebooks: the checkout's ``notebooks/``, else the packaged copy."""
    root = source_root()
    return root / "notebooks" if root is not None else PACKAGE_DIR / "notebooks"


def notebook_path(name: str) -> Path:
    """The path of one notebook, such as ``quarterly_report.ipynb`` (it may not exist)."""
    return notebook_dir() / name


def default_data_dir() -> Path:
    """The data folder used when a notebook's ``data_dir`` is empty.

    The checkout's ``data/`` when the package runs from a source checkout, so the answer does
    not depend on the kernel's working folder; ``data/`` in the working folder otherwise.
    """
    root = source_root()
    return root / "data" if root is not None else Path.cwd() / "data"


def resolve_data_dir(data_dir: str | Path | None) -> Path:
    """``data_dir`` as given, or `default_data_dir` when it is empty or ``None``."""
    if data_dir is None or not str(data_dir):
        return default_data_dir()
    return Path(data_dir)


def prepare_output_dir(output_dir: str | Path | None, language: str = "id") -> Path | None:
    """Create ``output_dir`` at the start of a run, or refuse it, before any work is done.

    An empty ``output_dir`` means "write nothing" and gives ``None``. A missing folder is
    created with its parents; nothing that exists is changed.

    Raises
    ------
    OutputFolderError
        When ``output_dir`` is an existing file, or a folder that cannot be created or written
        to; the message names the folder, in ``language``.
    """
    if output_dir is None or not str(output_dir):
        return None
    folder = Path(output_dir)
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(
            MESSAGES["paths.output_dir.not_folder"][language].format(path=folder.resolve())
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputFolderError(
            MESSAGES["paths.output_dir.cannot_create"][language].format(
                path=folder.resolve(), reason=error.strerror or error
            )
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputFolderError(
            MESSAGES["paths.output_dir.not_writable"][language].format(path=folder.resolve())
        )
    return folder


# The folder the pack keeps what it can compute again (charts drawn, periods found too thin
# for a report of their own), for a faster next run: ``JKN_REPORT_CACHE`` when set (``off`` or
# an empty value: keep nothing), else the user's cache folder.
CACHE_VARIABLE = "JKN_REPORT_CACHE"


def cache_folder(kind: str) -> Path | None:
    """Where the pack keeps computed results of one ``kind`` (``charts``, ``readiness``).

    ``$JKN_REPORT_CACHE/<kind>`` when the variable is set, ``$XDG_CACHE_HOME/jkn-report/<kind>``
    or ``~/.cache/jkn-report/<kind>`` otherwise; ``None`` when the variable is ``off`` or empty.
    The folder may not exist yet, and may not be writable: whoever uses it must work without.
    Every entry is keyed by the content it was computed from, so a stale entry is never read.
    """
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen is not None:
        if chosen.strip().lower() in {"", "off"}:
            return None
        return Path(chosen).expanduser() / kind
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jkn-report" / kind
