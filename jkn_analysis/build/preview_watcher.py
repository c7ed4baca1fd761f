"""What the live preview watches: the files a period's report reads, and which of them changed.

`watched_files` lists the data files of the period and of every earlier period (comparisons and
history charts) and the period's ``review.yaml``; `Watcher` compares their stats on every poll
and their contents only when a stat changed, so that a save without a change renders nothing.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.inputs.loading import available_periods, period_files
from jkn_analysis.recommendations.review import review_path


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
