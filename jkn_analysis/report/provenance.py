"""Where an edition comes from: its date stamp, the checkout's commit, the input files' hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from functools import cache
from pathlib import Path


def source_date() -> dt.datetime:
    """The report's date stamp, the same for the same inputs (reproducible builds).

    ``SOURCE_DATE_EPOCH`` when set; otherwise the time of the checkout's last commit; outside
    a git checkout, now (UTC). The wall-clock time of each build is kept apart, in
    ``build.json`` and ``reports/index.html``, which byte comparisons of reports leave out.
    """
    return _source_date(os.environ.get("SOURCE_DATE_EPOCH"))[0]


def source_date_origin() -> str:
    """Where `source_date` came from: ``SOURCE_DATE_EPOCH``, ``commit`` or ``now``."""
    return _source_date(os.environ.get("SOURCE_DATE_EPOCH"))[1]


@cache
def _source_date(epoch: str | None) -> tuple[dt.datetime, str]:
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC), "SOURCE_DATE_EPOCH"
    try:
        result = subprocess.run(
            ["git", "-C", str(Path(__file__).resolve().parent), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if result.returncode == 0 and result.stdout.strip():
            return dt.datetime.fromtimestamp(int(result.stdout), tz=dt.UTC), "commit"
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0), "now"


def git_commit(directory: Path) -> str | None:
    """The commit of the checkout holding ``directory``, or ``None`` outside a git checkout."""
    try:
        result = subprocess.run(
            ["git", "-C", str(directory), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, for the provenance appendix."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
