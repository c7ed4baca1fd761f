"""Whether a period can have a report of its own, remembered by the content of its files.

`jkn_analysis.inputs.loading.report_readiness` reads and checks a period's files to tell a
history-only period (2014Q4, with one figure) from one with a report; ``jkn-report build --all``
asks it of every period, which takes pandas, pandera and openpyxl and about a second even when
nothing changed. The answer depends only on the period's own files and on the pack's code, so
it is kept in the pack's cache folder (`jkn_analysis.inputs.memo.remembered`) under a hash of
both, worded in every language, and read back while neither changed. A missing, unreadable or
unwritable cache only makes the run slower.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from jkn_analysis.build.fingerprint import period_file_hashes
from jkn_analysis.catalogue.definitions import LANGUAGES
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.inputs.memo import remembered


def readiness_key(data_dir: Path, quarter: Quarter, code: str) -> str:
    """A hash of what a period's readiness depends on: the folder as named (the reason names
    its files), each file's name and content, and the pack's code (``code``, its hash)."""
    folder = Path(data_dir) / str(quarter)
    digest = hashlib.sha256(f"{code}\0{folder}".encode())
    for name, content in period_file_hashes(data_dir, quarter).items():
        digest.update(f"\0{name}\0{content}".encode())
    return digest.hexdigest()


def blocking_reason(data_dir: Path, quarter: Quarter, code: str) -> dict[str, str] | None:
    """Why ``quarter`` cannot have a report of its own, in every language; ``None`` when it can
    (`jkn_analysis.inputs.loading.report_readiness`), from the cache when its files and the
    code are those of an earlier answer."""

    def checked() -> dict[str, str] | None:
        from jkn_analysis.inputs.loading import report_readiness  # pandas and pandera: only here

        blocker = report_readiness(data_dir, quarter)
        return None if blocker is None else {lang: blocker.describe(lang) for lang in LANGUAGES}

    def valid(answer: object) -> bool:
        return answer is None or (isinstance(answer, dict) and set(answer) == set(LANGUAGES))

    key = readiness_key(data_dir, quarter, code)
    return remembered("readiness", str(quarter), key, checked, valid)
