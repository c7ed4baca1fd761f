"""Load a period's figures from ``data/<QUARTER>/`` (CSV and XLSX, one figure per row).

Load, check, and either return every figure or raise with every problem at once: a report is
never built from data that failed a hard check. `validate_period` runs the same checks without
raising and adds the soft checks, for ``jkn-report validate``.

The steps, each in its module: the period folders and their files (`folders`), a file read as
cells (`spreadsheets`), a table's rows checked and converted into figure records (`rows`); here
they are put together for one period (`load_period`) and for every period (`read_figures`),
and a period is asked whether it holds enough for a report of its own (`report_readiness`).
The names the rest of the pack uses from those steps are importable from here too.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from jkn_analysis.catalogue.definitions import LANGUAGES, Catalogue, load_catalogue
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.inputs.figures import FigureSet
from jkn_analysis.inputs.folders import (
    available_periods,
    misnamed_period_issues,
    period_files,
    unsupported_files,
)
from jkn_analysis.inputs.rows import FIGURE_COLUMNS, LARGEST_VALUE, ParsedRow, parse_table
from jkn_analysis.inputs.spreadsheets import read_tables
from jkn_analysis.inputs.validation import (
    MESSAGES,
    DataIssue,
    DataValidationError,
    Localized,
)

__all__ = [
    "FIGURE_COLUMNS",
    "LARGEST_VALUE",
    "available_periods",
    "figure_set",
    "load_period",
    "misnamed_period_issues",
    "period_files",
    "read_figures",
    "report_readiness",
    "unsupported_files",
]


def load_period(
    data_dir: Path | str, quarter: Quarter, catalogue: Catalogue | None = None
) -> tuple[pd.DataFrame, list[DataIssue]]:
    """Read and check every data file of one period.

    A figure given in more than one row (in one file or across files and sheets) is an
    error at every row after the first. Errors are in reading order: file by file (in name
    order), sheet by sheet (in workbook order), row by row.

    Returns
    -------
    (pandas.DataFrame, list of DataIssue)
        The figure records (columns `FIGURE_COLUMNS`) and every hard error found.
    """
    catalogue = catalogue or load_catalogue()
    data_dir = Path(data_dir)
    folder = data_dir / str(quarter)
    rows: list[ParsedRow] = []
    issues: list[DataIssue] = []
    order: dict[tuple[str, str], int] = {}  # (file, sheet) in reading order
    for path in unsupported_files(folder):
        display_name = f"{quarter}/{path.name}"
        order[(display_name, "")] = len(order)
        details = {"suffix": path.suffix.lower()}
        issues.append(DataIssue("error", "unsupported_format", display_name, details=details))
    for path in period_files(folder):
        display_name = f"{quarter}/{path.name}"
        order[(display_name, "")] = len(order)
        tables, file_issues = read_tables(path, display_name, quarter, catalogue)
        issues += file_issues
        for raw in tables:
            order[(raw.file, raw.sheet)] = len(order)
            table_rows, table_issues = parse_table(raw, quarter, catalogue)
            rows += table_rows
            issues += table_issues
    first: dict[str, ParsedRow] = {}
    for row in rows:
        if row.code not in first:
            first[row.code] = row
            continue
        issues.append(
            DataIssue(
                "error",
                "duplicate",
                row.place.file,
                row.place.row,
                row.code,
                str(quarter),
                {"code": row.code, "other": first[row.code].place},
                row.place.sheet,
            )
        )
    records = [row.record for row in first.values() if row.record is not None]
    frame = pd.DataFrame(records, columns=FIGURE_COLUMNS)

    def reading_order(issue: DataIssue) -> tuple[int, int]:
        place = order.get((issue.file, issue.sheet), order.get((issue.file, ""), len(order)))
        return place, -1 if issue.row is None else issue.row

    return frame, sorted(issues, key=reading_order)


def figure_set(frames: list[pd.DataFrame], catalogue: Catalogue) -> FigureSet:
    frames = [frame for frame in frames if not frame.empty]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FIGURE_COLUMNS)
    return FigureSet(table, catalogue)


def report_readiness(
    data_dir: Path | str, quarter: Quarter, catalogue: Catalogue | None = None
) -> DataIssue | None:
    """Why a period whose data passes its checks still cannot have a report of its own.

    ``not_filled`` when its files hold no value yet (a template just written by
    ``jkn-report new-quarter``); ``too_few_figures`` when it holds key figures of fewer report
    sections than the catalogue's ``report_requirements`` ask (a history period such as
    2014Q4, with one figure). ``None`` when it can be built, and also when it has no data files
    or hard errors: those are said by `validate_period` and the build.
    """
    catalogue = catalogue or load_catalogue()
    folder = Path(data_dir) / str(quarter)
    files = period_files(folder)
    if not files:
        return None
    frame, issues = load_period(data_dir, quarter, catalogue)
    if issues:
        return None
    if frame.empty:
        # The workbook first: it is the file new-quarter means to be filled in.
        names = [str(path) for path in sorted(files, key=lambda path: path.suffix != ".xlsx")]
        listed = Localized(
            tuple(
                (language, f" {MESSAGES['words.or'][language]} ".join(names))
                for language in LANGUAGES
            )
        )
        return DataIssue("error", "not_filled", period=str(quarter), details={"files": listed})
    requirements = catalogue.report_requirements
    figures = FigureSet(frame, catalogue)  # totals derived from complete parts count
    present = [
        section
        for section, codes in requirements.key_figures.items()
        if any(figures.has(code, quarter) for code in codes)
    ]
    if len(present) >= requirements.sections:
        return None

    def section_name(section: str, language: str) -> str:
        spec = catalogue.sections[section]
        return f"{spec['number']}. {spec[language]}"

    key_figures = Localized(
        tuple(
            (
                language,
                "; ".join(
                    f"{section_name(section, language)}: {', '.join(codes)}"
                    for section, codes in requirements.key_figures.items()
                ),
            )
            for language in LANGUAGES
        )
    )
    found = Localized(
        tuple(
            (
                language,
                ", ".join(section_name(section, language) for section in present)
                or MESSAGES["words.none"][language],
            )
            for language in LANGUAGES
        )
    )
    details = {
        "count": len(frame),
        "needed": requirements.sections,
        "total": len(requirements.key_figures),
        "key_figures": key_figures,
        "found": found,
    }
    return DataIssue("error", "too_few_figures", period=str(quarter), details=details)


def read_figures(
    data_dir: Path | str, *, up_to: Quarter | None = None, catalogue: Catalogue | None = None
) -> FigureSet:
    """Read every period in ``data_dir`` (up to and including ``up_to``) into a `FigureSet`,
    each figure checked; the indicators computed from them are checked by
    `jkn_analysis.indicators.checks.load_figures`, which the report uses.

    Raises
    ------
    DataValidationError
        With every hard error of every period read, when there is any.
    """
    catalogue = catalogue or load_catalogue()
    frames, issues = [], []
    periods = [q for q in available_periods(data_dir) if up_to is None or q <= up_to]
    for quarter in periods:
        frame, period_issues = load_period(data_dir, quarter, catalogue)
        frames.append(frame)
        issues += period_issues
    if issues:
        raise DataValidationError(issues, catalogue)
    return figure_set(frames, catalogue)
