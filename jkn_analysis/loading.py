"""Load a period's figures from ``data/<QUARTER>/`` (CSV and XLSX, one figure per row).

Load, check, and either return every figure or raise with every problem at once: a report is
never built from data that failed a hard check.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from jkn_analysis.catalogue import Catalogue, Figure, load_catalogue
from jkn_analysis.figures import FigureSet
from jkn_analysis.numbers import NumberFormatError, parse_number, parse_scale
from jkn_analysis.periods import PeriodError, Quarter
from jkn_analysis.validation import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    DataIssue,
    DataValidationError,
    schema_issues,
)

DATA_SUFFIXES = (".csv", ".xlsx")
FIGURE_COLUMNS = [
    "period",
    "code",
    "value",
    "status",
    "source",
    "note",
    "file",
    "row",
    "scale",
    "decimals",
]


@dataclass(frozen=True)
class RawTable:
    """The text of one CSV file or one XLSX sheet, with spreadsheet row numbers."""

    file: str
    sheet: str
    table: pd.DataFrame


def available_periods(data_dir: Path | str) -> list[Quarter]:
    """Quarters that have a folder with at least one data file, oldest first."""
    periods = []
    for folder in Path(data_dir).iterdir() if Path(data_dir).is_dir() else []:
        try:
            quarter = Quarter.parse(folder.name)
        except PeriodError:
            continue
        if folder.is_dir() and period_files(folder):
            periods.append(quarter)
    return sorted(periods)


def period_files(folder: Path) -> list[Path]:
    """Data files of one period folder, in name order (editor lock files are skipped)."""
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix.lower() in DATA_SUFFIXES
        and not path.name.startswith(("~$", ".", ".~lock"))
        and path.is_file()
    )


def _with_row_numbers(table: pd.DataFrame, first_row: int) -> pd.DataFrame:
    table = table.copy()
    table.columns = [str(column).strip().lower() for column in table.columns]
    table["row"] = range(first_row, first_row + len(table))
    return table.reset_index(drop=True)


def read_tables(path: Path, display_name: str) -> list[RawTable]:
    """Read a CSV file, or every sheet of an XLSX workbook, as text cells.

    Raises
    ------
    DataValidationError
        When the file cannot be opened or parsed at all.
    """
    try:
        if path.suffix.lower() == ".csv":
            table = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
                skip_blank_lines=False,  # keep blank lines so that row numbers match the file
            )
            return [RawTable(display_name, "", _with_row_numbers(table, first_row=2))]
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
    except (
        UnicodeDecodeError,
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        zipfile.BadZipFile,
        ValueError,
        OSError,
    ) as error:
        issue = DataIssue("error", "unreadable", display_name, details={"reason": str(error)})
        raise DataValidationError([issue]) from error
    tables = []
    for sheet, table in sheets.items():
        table = table.where(table.notna(), "")
        tables.append(RawTable(display_name, sheet, _with_row_numbers(table, first_row=2)))
    return tables


def _unit_issue(figure: Figure, unit_cell: str, catalogue: Catalogue) -> tuple[int, str | None]:
    """Return the scale of a unit cell and an error text if the unit does not fit."""
    scale, rest = parse_scale(unit_cell)
    unit = catalogue.units[figure.unit]
    accepted = {figure.unit, unit.label["id"], unit.label["en"], ""}
    if figure.unit == "percent":
        accepted |= {"%"}
    if figure.unit == "rupiah":
        accepted |= {"rp", "idr"}
    if rest not in {text.lower() for text in accepted}:
        return scale, f"{unit.label['id']} / {unit.label['en']}"
    if scale != 1 and figure.unit in {"percent", "months"}:
        return scale, f"{unit.label['id']} / {unit.label['en']} (without a scale word)"
    return scale, None


def parse_table(
    raw: RawTable, quarter: Quarter, catalogue: Catalogue
) -> tuple[list[dict], list[DataIssue]]:
    """Check one table and convert its rows into figure records (value in catalogue units)."""
    table = raw.table
    issues: list[DataIssue] = []
    missing = [column for column in REQUIRED_COLUMNS if column not in table.columns]
    if missing:
        return [], [
            DataIssue(
                "error", "missing_column", raw.file, 1, details={"column": column}, sheet=raw.sheet
            )
            for column in missing
        ]
    for column in OPTIONAL_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    table = table.astype({c: str for c in ("period", "code", "unit", "status", "source", "note")})
    for column in ("period", "code", "unit", "status", "source", "note"):
        table[column] = table[column].str.strip()
    table = table[(table["code"] != "") | (table["value"].astype(str).str.strip() != "")]
    table = table.reset_index(drop=True)  # the schema reports positions; keep them aligned
    table["status"] = table["status"].str.lower()
    issues += schema_issues(table, catalogue, file=raw.file, sheet=raw.sheet)
    records = []
    for row in table.itertuples(index=False):
        if row.code not in catalogue.figures:
            continue  # reported by the schema
        figure = catalogue.figures[row.code]

        def issue(problem: str, _row=row, **details: str) -> None:
            issues.append(
                DataIssue(
                    "error",
                    problem,
                    raw.file,
                    _row.row,
                    _row.code,
                    str(quarter),
                    details,
                    raw.sheet,
                )
            )

        if row.period != str(quarter):
            issue("wrong_period", found=row.period or "(kosong/empty)", expected=str(quarter))
            continue
        scale, unit_problem = _unit_issue(figure, row.unit, catalogue)
        if unit_problem:
            issue("bad_unit", found=row.unit, expected=unit_problem)
            continue
        unit = catalogue.units[figure.unit]
        try:
            whole_units = unit.integer and scale == 1
            parsed = parse_number(row.value, integer_unit=whole_units, scaled=not whole_units)
        except NumberFormatError as error:
            issue("bad_number", reason=str(error))
            continue
        if parsed.percent_sign and figure.unit != "percent":
            issue("bad_unit", found=f"{row.value}", expected=unit.label["en"])
            continue
        value = float(Decimal(repr(parsed.value)) * scale)
        if value < 0 and not figure.may_be_negative:
            issue("negative", found=str(row.value))
            continue
        if value <= 0 and "positive" in figure.checks:
            issue("not_positive", found=str(row.value))
            continue
        if (
            figure.unit == "percent"
            and "unbounded_percent" not in figure.checks
            and not (0 <= abs(value) <= 100)
        ):
            issue("percent_range", found=str(row.value))
            continue
        if unit.integer and value != round(value):
            issue("not_integer", found=str(row.value))
            continue
        records.append(
            {
                "period": str(quarter),
                "code": row.code,
                "value": value,
                "status": row.status or "observed",
                "source": row.source,
                "note": row.note,
                "file": raw.file + (f" [{raw.sheet}]" if raw.sheet else ""),
                "row": int(row.row),
                "scale": scale,
                "decimals": parsed.decimals,
            }
        )
    return records, issues


def load_period(
    data_dir: Path | str, quarter: Quarter, catalogue: Catalogue | None = None
) -> tuple[pd.DataFrame, list[DataIssue]]:
    """Read and check every data file of one period.

    Returns
    -------
    (pandas.DataFrame, list of DataIssue)
        The figure records (columns `FIGURE_COLUMNS`) and every hard error found.
    """
    catalogue = catalogue or load_catalogue()
    data_dir = Path(data_dir)
    folder = data_dir / str(quarter)
    records: list[dict] = []
    issues: list[DataIssue] = []
    for path in period_files(folder):
        display_name = f"{quarter}/{path.name}"
        try:
            tables = read_tables(path, display_name)
        except DataValidationError as error:
            issues += error.issues
            continue
        for raw in tables:
            table_records, table_issues = parse_table(raw, quarter, catalogue)
            records += table_records
            issues += table_issues
    seen: dict[str, dict] = {}
    for record in records:
        if record["code"] in seen:
            first = seen[record["code"]]
            issues.append(
                DataIssue(
                    "error",
                    "duplicate",
                    record["file"],
                    record["row"],
                    record["code"],
                    str(quarter),
                    {"code": record["code"], "other": f"{first['file']} row {first['row']}"},
                )
            )
        else:
            seen[record["code"]] = record
    frame = pd.DataFrame(list(seen.values()), columns=FIGURE_COLUMNS)
    return frame, issues


def load_figures(
    data_dir: Path | str, *, up_to: Quarter | None = None, catalogue: Catalogue | None = None
) -> FigureSet:
    """Load every period in ``data_dir`` (up to and including ``up_to``) into a `FigureSet`.

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
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FIGURE_COLUMNS)
    return FigureSet(table, catalogue)
