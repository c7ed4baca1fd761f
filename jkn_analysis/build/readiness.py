"""Whether a period can have a report of its own, remembered by the content of its files.

`jkn_analysis.inputs.loading.report_readiness` reads and checks a period's files to tell a
history-only period (2014Q4, with one figure) from one with a report; ``jkn-report build --all``
asks it of every period, which takes pandas, pandera and openpyxl and about a second even when
nothing changed. The answer depends only on the period's own files and on the pack's code, so
it is kept in the pack's cache folder (`jkn_analysis.inputs.paths.cache_folder`) under a hash of
both, worded in every language, and read back while neither changed. A missing, unreadable or
unwritable cache only makes the run slower.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path

from jkn_analysis.catalogue.definitions import LANGUAGES
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.inputs.folders import period_files, unsupported_files
from jkn_analysis.inputs.paths import cache_folder

# Entries kept per period: enough for a few data folders (tests, a colleague's copy) at once.
ENTRIES_PER_PERIOD = 20


def readiness_key(data_dir: Path, quarter: Quarter, code: str) -> str:
    """A hash of what a period's readiness depends on: the folder as named (the reason names
    its files), each file's name and content, and the pack's code (``code``, its hash)."""
    folder = Path(data_dir) / str(quarter)
    digest = hashlib.sha256(f"{code}\0{folder}".encode())
    for path in [*period_files(folder), *unsupported_files(folder)]:
        digest.update(f"\0{path.name}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def blocking_reason(data_dir: Path, quarter: Quarter, code: str) -> dict[str, str] | None:
    """Why ``quarter`` cannot have a report of its own, in every language; ``None`` when it can
    (`jkn_analysis.inputs.loading.report_readiness`), from the cache when its files and the
    code are those of an earlier answer."""
    key = readiness_key(data_dir, quarter, code)
    folder = cache_folder("readiness")
    entry = None if folder is None else folder / f"{quarter}-{key}.json"
    if entry is not None:
        with contextlib.suppress(OSError, ValueError):
            known = json.loads(entry.read_text(encoding="utf-8"))
            if known.get("key") == key and known.get("quarter") == str(quarter):
                reason = known.get("reason")
                if reason is None or set(reason) == set(LANGUAGES):
                    return reason
    from jkn_analysis.inputs.loading import report_readiness  # pandas and pandera: only here

    blocker = report_readiness(data_dir, quarter)
    reason = None if blocker is None else {lang: blocker.describe(lang) for lang in LANGUAGES}
    if entry is not None:
        _remember(entry, {"quarter": str(quarter), "key": key, "reason": reason})
    return reason


def _remember(entry: Path, answer: dict) -> None:
    """Write ``answer`` to ``entry`` whole (a temporary file moved into place), then drop the
    period's oldest entries beyond `ENTRIES_PER_PERIOD`; any failure leaves the cache as it was."""
    temporary = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".readiness.", dir=entry.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(answer, stream, ensure_ascii=False)
        os.replace(temporary, entry)
        temporary = None
        quarter = answer["quarter"]
        entries = sorted(
            entry.parent.glob(f"{quarter}-*.json"), key=lambda path: path.stat().st_mtime
        )
        for old in entries[:-ENTRIES_PER_PERIOD]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
