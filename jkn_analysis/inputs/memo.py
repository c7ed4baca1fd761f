"""Small answers remembered on disk by the hash of what they were computed from.

`remembered` keeps a JSON-able answer in a folder of the pack's cache
(`jkn_analysis.inputs.paths.cache_folder`), one file an answer named by its key, written whole
(a temporary file moved into place) and read back while the key is the same: which periods
can have a report (`jkn_analysis.build.readiness`), the report notebook's parameters
(`jkn_analysis.build.notebook`). A missing, damaged, unreadable or unwritable cache only means
the answer is computed again; the chart cache (`jkn_analysis.report.charts.cache`) keeps larger
entries its own way.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from jkn_analysis.inputs.paths import cache_folder

# Answers kept per group (a period, a notebook): enough for a few data folders at once.
ENTRIES_PER_GROUP = 20


def remembered(
    kind: str,
    group: str,
    key: str,
    compute: Callable[[], object],
    valid: Callable[[object], bool] = lambda answer: True,
) -> object:
    """``compute()``, or its answer of an earlier call with the same ``key``.

    Parameters
    ----------
    kind : str
        The cache's sub-folder (``readiness``, ``parameters``).
    group : str
        What the answer is about (a period, a notebook's name): the file's name starts with it,
        and only the group's `ENTRIES_PER_GROUP` newest answers are kept.
    key : str
        A hash of everything the answer depends on.
    compute : callable
        Gives the answer, as JSON-able values, when none is remembered.
    valid : callable
        Whether a remembered answer has the expected shape; one that has not is computed again.
    """
    folder = cache_folder(kind)
    entry = None if folder is None else folder / f"{group}-{key}.json"
    if entry is not None:
        with contextlib.suppress(OSError, ValueError):
            known = json.loads(entry.read_text(encoding="utf-8"))
            if isinstance(known, dict) and known.get("key") == key and valid(known["answer"]):
                return known["answer"]
    answer = compute()
    if entry is not None:
        _write(entry, group, {"key": key, "answer": answer})
    return answer


def write_whole(path: Path, text: str, *, prefix: str, suffix: str = "") -> bool:
    """Write ``text`` to ``path`` whole or not at all: a temporary file named ``prefix…suffix``
    in the same folder, moved into place, so a reader sees the old file, none or the new one,
    and a killed run leaves at most the temporary file. ``False`` when it could not be written
    (the folder made if need be); nothing is left behind then."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
        temporary = None
        return True
    except OSError:
        return False
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _write(entry: Path, group: str, content: dict) -> None:
    """Write ``content`` to ``entry`` whole, then drop the group's oldest entries beyond
    `ENTRIES_PER_GROUP`; any failure leaves the cache as it was."""
    if not write_whole(entry, json.dumps(content, ensure_ascii=False), prefix=f".{group}."):
        return
    with contextlib.suppress(OSError):
        entries = sorted(
            entry.parent.glob(f"{group}-*.json"), key=lambda path: path.stat().st_mtime
        )
        for old in entries[:-ENTRIES_PER_GROUP]:
            old.unlink(missing_ok=True)
