"""Period folders in ``data/`` and the data files in each: found, and those misnamed or in
a format the pack does not read named rather than passed over.
"""

from __future__ import annotations

import re
from pathlib import Path

from jkn_analysis.catalogue.periods import PeriodError, Quarter
from jkn_analysis.inputs.validation import DataIssue

DATA_SUFFIXES = (".csv", ".xlsx")
# Spreadsheet formats an analyst may save figures in that the pack does not read: named as an
# error with a hint to save the file as .xlsx, never silently passed over (the figures in them
# would be missing from the report). .xlsm and .xlsb are Excel's macro and binary workbooks.
UNSUPPORTED_SUFFIXES = (".xls", ".xlsm", ".xlsb", ".ods", ".fods", ".numbers")
# Names that are almost a period folder's: 2024q2, 2024-Q2, "2024Q2 (copy)", "2024Q2 " (a
# trailing space), "Q2 2024". The year comes first or last; separators and case vary.
_NEAR_PERIOD = (
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)\s*[-_. ]?\s*[qQ]\s*(?P<quarter>[1-4])(?!\d)"),
    re.compile(r"(?<![A-Za-z])[qQ]\s*(?P<quarter>[1-4])\s*[-_. ]?\s*(?P<year>(?:19|20)\d\d)(?!\d)"),
)


def available_periods(data_dir: Path | str) -> list[Quarter]:
    """Quarters that have a folder, named exactly ``YYYYQn``, with at least one data file (or a
    spreadsheet in a format the pack does not read, which its checks then name), oldest first.

    A folder whose name is only close to a period's (``2024q2``, ``2024Q2 (copy)``) is not a
    period: `misnamed_period_issues` names it.
    """
    periods = []
    for folder in Path(data_dir).iterdir() if Path(data_dir).is_dir() else []:
        try:
            quarter = Quarter.parse(folder.name)
        except PeriodError:
            continue
        if str(quarter) != folder.name:  # Quarter.parse forgives spaces around the name
            continue
        if folder.is_dir() and (period_files(folder) or unsupported_files(folder)):
            periods.append(quarter)
    return sorted(periods)


def _spreadsheets(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix.lower() in suffixes
        and not path.name.startswith(("~$", ".", ".~lock"))
        and path.is_file()
    )


def period_files(folder: Path) -> list[Path]:
    """Data files of one period folder, in name order (editor lock files are skipped)."""
    return _spreadsheets(folder, DATA_SUFFIXES)


def unsupported_files(folder: Path) -> list[Path]:
    """Spreadsheets of a period folder in a format the pack does not read (`UNSUPPORTED_SUFFIXES`),
    in name order."""
    return _spreadsheets(folder, UNSUPPORTED_SUFFIXES)


def misnamed_period_issues(data_dir: Path | str) -> list[DataIssue]:
    """A warning for every folder (or data file) in ``data_dir`` whose name is close to a
    period's but is not one, so is not read: ``2024q2``, ``2024-Q2``, ``2024Q2 (copy)``, a
    trailing space, ``Q2 2024``; and for a data file put directly in ``data_dir``. Each names
    the expected folder name, and says when that folder exists too (a copy left beside it).
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return []
    issues = []
    for entry in sorted(data_dir.iterdir()):
        name = entry.name
        if name.startswith((".", "~$")):
            continue
        is_file = entry.is_file()
        if is_file and entry.suffix.lower() not in DATA_SUFFIXES + UNSUPPORTED_SUFFIXES:
            continue
        if not is_file and not entry.is_dir():
            continue
        match = next((m for pattern in _NEAR_PERIOD if (m := pattern.search(name))), None)
        if match is None:
            continue
        expected = f"{match['year']}Q{match['quarter']}"
        if name == expected:
            continue  # a period folder (files named exactly like one are reported below)
        if is_file:
            message = "misnamed_folder.file"
        elif (data_dir / expected).is_dir():
            message = "misnamed_folder.copy"
        else:
            message = ""
        issues.append(
            DataIssue(
                "warning",
                "misnamed_folder",
                details={"found": name, "expected": expected},
                message=message,
            )
        )
    return issues
