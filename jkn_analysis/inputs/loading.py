"""Load a period's figures from ``data/<QUARTER>/`` (CSV and XLSX, one figure per row).

Load, check, and either return every figure or raise with every problem at once: a report is
never built from data that failed a hard check. `validate_period` runs the same checks without
raising and adds the soft checks, for ``jkn-report validate``.

Rules of reading
----------------
- CSV: UTF-8 (with or without BOM), comma- or semicolon-separated (Indonesian Excel writes
  ``;``), header in row 1.
- XLSX: every worksheet is read; its header is the first row, within the first
  `HEADER_SEARCH_ROWS`, holding at least two of the required columns. A sheet without such a
  row (instructions, lists) is not a data sheet and is skipped, but a workbook must have at
  least one data sheet. A workbook made by the data-entry template (a sheet named `MARKER_SHEET`,
  or a sheet named after a report section) must hold one sheet per report section.
- A row whose value cell is empty is an unfilled row: skipped, the figure is simply missing.
  A formula cell without a stored result (a workbook written by a program, never saved by
  Excel) is not empty: it is an error, as is a header naming a column twice.
- A value is 0 or of a magnitude from `SMALLEST_VALUE` to `LARGEST_VALUE` (after the scale
  word); text with more digits than a float holds is refused, never rounded to 0 or infinity.
- Row numbers are spreadsheet row numbers (the header is row 1 in a CSV file).
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd

from jkn_analysis.catalogue.definitions import LANGUAGES, Catalogue, Figure, load_catalogue
from jkn_analysis.catalogue.numbers import NumberFormatError, parse_number, parse_scale
from jkn_analysis.catalogue.periods import PeriodError, Quarter
from jkn_analysis.inputs.figures import FigureSet
from jkn_analysis.inputs.sheets import section_sheet_titles
from jkn_analysis.inputs.validation import (
    MESSAGES,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    STATUSES,
    Amount,
    DataIssue,
    DataValidationError,
    Localized,
    Place,
    Range,
    UnitName,
    schema_issues,
)

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
    "sheet",
]
TEXT_COLUMNS = ("period", "code", "unit", "status", "source", "note")
# The hidden sheet by which the data-entry template marks its workbooks.
MARKER_SHEET = "_jkn"
# Rows searched for the header of a worksheet (a template may put a title above it).
HEADER_SEARCH_ROWS = 20
# Excel sheet names are at most 31 characters long.
SHEET_NAME_LENGTH = 31
# An encrypted (password-protected) XLSX is an OLE compound file, not a zip archive; so is a
# legacy .xls workbook, which holds a "Workbook" (or "Book") stream and no "EncryptionInfo".
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_OLE_ENCRYPTION = "EncryptionInfo".encode("utf-16-le")
_OLE_LEGACY_WORKBOOK = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
# Names of the columns the loader adds to a table as read: a file's own column of that name is
# ignored like any other extra column (it would clash with, or be taken for, the loader's).
RESERVED_COLUMNS = ("row", "xlsx_percent_format")
# Magnitudes a figure may take, in catalogue units after the scale word: 0, or from
# SMALLEST_VALUE to LARGEST_VALUE. No JKN figure comes near either limit (the largest, DJS
# flows, are about 2e14 rupiah; Indonesia's GDP is about 2e16), while values beyond them (a
# stray "1e300" cell, 5e-324 left by a formula, "triliun" on a figure already in rupiah) would
# overflow or divide into infinity in sums, growth rates and the report's number formatting.
SMALLEST_VALUE = 1e-6
LARGEST_VALUE = 1e16
# Powers of ten of the scale words a unit cell may carry (ribu, juta, miliar, triliun): a value
# outside its figure's bounds that one of them would bring inside was probably typed without
# its scale word, or with the wrong one.
SCALE_EXPONENTS = (0, 3, 6, 9, 12)
# Units whose values take no scale word (see _unit_issue).
UNSCALED_UNITS = ("percent", "months")
# A formula element in a worksheet's XML (<f>, <f t="shared" .../>, <x:f>), but not <formula>.
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


@dataclass(frozen=True)
class RawTable:
    """The cells of one CSV file or one XLSX sheet, with spreadsheet row numbers.

    ``table`` has lower-case column names, a ``row`` column, and for XLSX a
    ``xlsx_percent_format`` column telling whether the value cell is shown as a percentage.
    ``header_row`` is the spreadsheet row of the header.
    """

    file: str
    sheet: str
    table: pd.DataFrame
    header_row: int = 1


@dataclass(frozen=True)
class ParsedRow:
    """A filled row of a known figure for the period read: its place, and its record (in
    catalogue units) or ``None`` when the row has an error."""

    code: str
    place: Place
    record: dict | None


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


def _with_row_numbers(table: pd.DataFrame, first_row: int) -> pd.DataFrame:
    table = table.copy()
    table.columns = [str(column).strip().lower() for column in table.columns]
    table["row"] = range(first_row, first_row + len(table))
    return table.reset_index(drop=True)


def _column_names(header: list[str]) -> list[str]:
    """Column names of a header row: empty and reserved names become ``_column<n>``."""
    return [
        name if name and name not in RESERVED_COLUMNS else f"_column{number}"
        for number, name in enumerate(header, start=1)
    ]


def _repeated_columns(
    columns: list[str], display_name: str, header_row: int, sheet: str = ""
) -> list[DataIssue]:
    """An error for each column name given more than once in a header row: its cells could be
    read from either column, so the table is not read."""
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    return [
        DataIssue(
            "error",
            "duplicate_column",
            display_name,
            header_row,
            details={"column": name},
            sheet=sheet,
        )
        for name in repeated
    ]


def _unreadable(display_name: str, message: str, **details) -> DataIssue:
    row = details.pop("row", None)
    return DataIssue(
        "error", "unreadable", display_name, row, details=details, message=f"unreadable.{message}"
    )


def _read_csv(path: Path, display_name: str) -> tuple[list[RawTable], list[DataIssue]]:
    try:
        content = path.read_bytes()
    except OSError:
        return [], [_unreadable(display_name, "os")]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_unreadable(display_name, "not_utf8")]
    if not text.strip():
        return [], [_unreadable(display_name, "empty")]
    first_line = text.splitlines()[0]
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records = []
    first_line = 1  # of the record being read: a quoted cell may span lines
    try:
        for record in reader:
            records.append(record)
            first_line = reader.line_num + 1
    except csv.Error as error:
        # The csv module refuses a cell longer than its field limit (128 KiB), most often the
        # rest of the file swallowed by an unclosed quote: say so, rather than "broken CSV".
        if "field larger than field limit" in str(error):
            limit = csv.field_size_limit()
            return [], [_unreadable(display_name, "csv_field_limit", row=first_line, limit=limit)]
        return [], [_unreadable(display_name, "csv", row=reader.line_num)]
    header = [name.strip().lower() for name in records[0]]
    if not any(header):
        return [], [_unreadable(display_name, "empty")]
    issues = []
    rows = []
    for number, cells in enumerate(records[1:], start=2):  # spreadsheet rows: header is 1
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
            expected, found = len(header), len(cells)
            details = {"expected": expected, "found": found}
            issues.append(DataIssue("error", "extra_fields", display_name, number, details=details))
            cells = []  # not read: its cells cannot be matched with the columns
        rows.append([*cells[: len(header)], *[""] * (len(header) - len(cells))])
    columns = _column_names(header)
    repeated = _repeated_columns(columns, display_name, header_row=1)
    if repeated:
        return [], repeated
    table = pd.DataFrame(rows, columns=columns, dtype=str)
    return [RawTable(display_name, "", _with_row_numbers(table, first_row=2))], issues


def _cell_text(value: object) -> str:
    """A text cell of a worksheet as text (a number typed into a text column included)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_row(rows: list[tuple]) -> int | None:
    """Index of the first row holding at least two required column names, if any."""
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {_cell_text(cell.value).lower() for cell in cells}
        if len(names & set(REQUIRED_COLUMNS)) >= 2:
            return index
    return None


def _sheet_columns(rows: list[tuple], header_index: int) -> list[str]:
    return _column_names([_cell_text(cell.value).lower() for cell in rows[header_index]])


def _sheet_table(rows: list[tuple], header_index: int) -> pd.DataFrame:
    columns = _sheet_columns(rows, header_index)
    records = []
    for cells in rows[header_index + 1 :]:
        values = {}
        for name, cell in zip(columns, cells, strict=False):
            values[name] = cell.value if name == "value" else _cell_text(cell.value)
            if name == "value":
                number_format = getattr(cell, "number_format", "") or ""
                values["xlsx_percent_format"] = isinstance(cell.value, int | float) and (
                    "%" in number_format
                )
        records.append(values)
    table = pd.DataFrame(records, columns=[*columns, "xlsx_percent_format"], dtype=object)
    for column in columns:
        if column != "value":
            table[column] = table[column].fillna("")
    if "value" in table.columns:  # without it, parse_table reports the missing column
        table["value"] = table["value"].where(table["value"].notna(), "") if len(table) else ""
    table["xlsx_percent_format"] = table["xlsx_percent_format"].fillna(False).astype(bool)
    return _with_row_numbers(table, first_row=header_index + 2)


def section_sheet_names(catalogue: Catalogue) -> dict[str, list[str]]:
    """Sheet names that stand for each report section in a template workbook.

    The first name is the one the Indonesian data-entry template gives the sheet
    (`jkn_analysis.inputs.sheets.section_sheet_titles`, such as ``I Kepesertaan``); its English
    titles, the section key and the section's plain names are accepted too.
    """
    titles = {language: section_sheet_titles(language, catalogue) for language in ("id", "en")}
    names = {}
    for key, section in catalogue.sections.items():
        candidates = [titles["id"][key], titles["en"][key], key]
        for language in ("id", "en"):
            candidates += [section[language], f"{section['number']}. {section[language]}"]
        names[key] = list(dict.fromkeys(name[:SHEET_NAME_LENGTH] for name in candidates))
    return names


def _normal(sheet_name: str) -> str:
    """A sheet name compared without case, repeated spaces or characters past Excel's 31."""
    return " ".join(sheet_name.lower().split())[:SHEET_NAME_LENGTH]


def _metadata(rows: list[tuple]) -> dict[str, str]:
    """The ``key``/``value`` rows of the template's hidden sheet."""
    return {
        _cell_text(cells[0].value): _cell_text(cells[1].value)
        for cells in rows[1:]
        if len(cells) >= 2 and _cell_text(cells[0].value)
    }


def _formula_cells(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """The formula of every formula cell, by sheet title and (row, column).

    Read because openpyxl, asked for values (``data_only``), gives ``None`` for a formula whose
    result the file does not store (a workbook written by a program rather than saved by Excel),
    exactly as for an empty cell. Workbooks without any formula are not read a second time.
    """
    with zipfile.ZipFile(path) as archive:
        if not any(
            _FORMULA_TAG.search(archive.read(name))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        ):
            return {}
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        formulas: dict[str, dict[tuple[int, int], str]] = {}
        for sheet in workbook.worksheets:
            cells = formulas.setdefault(sheet.title, {})
            for row in sheet.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        text = getattr(cell.value, "text", None) or cell.value  # ArrayFormula
                        cells[(cell.row, cell.column)] = str(text)
        return formulas
    finally:
        workbook.close()


def _formula_issues(
    rows: list[tuple],
    header_index: int,
    formulas: dict[tuple[int, int], str],
    display_name: str,
    sheet: str,
) -> list[DataIssue]:
    """An error for each cell of a named column that holds a formula without a stored result:
    read as empty, the row would be skipped or read without that cell, silently."""
    if not formulas:
        return []
    columns = _sheet_columns(rows, header_index)
    code_index = columns.index("code") if "code" in columns else None
    issues = []
    for cells in rows[header_index + 1 :]:
        for name, cell in zip(columns, cells, strict=False):
            row, column = getattr(cell, "row", None), getattr(cell, "column", None)
            if (
                name.startswith("_column")
                or cell.value is not None
                or (row, column) not in formulas
            ):
                continue
            code = ""
            if code_index is not None and code_index < len(cells):
                code = _cell_text(cells[code_index].value)
            details = {"column": name, "formula": formulas[(row, column)]}
            issues.append(
                DataIssue(
                    "error",
                    "formula_without_value",
                    display_name,
                    row,
                    code,
                    details=details,
                    sheet=sheet,
                )
            )
    return issues


def _read_xlsx(
    path: Path, display_name: str, quarter: Quarter, catalogue: Catalogue
) -> tuple[list[RawTable], list[DataIssue]]:
    try:
        with path.open("rb") as handle:
            head = handle.read(len(OLE_MAGIC))
        if head == OLE_MAGIC:
            content = path.read_bytes()
            legacy = any(mark in content for mark in _OLE_LEGACY_WORKBOOK)
            if legacy and _OLE_ENCRYPTION not in content:
                return [], [_unreadable(display_name, "xls")]
            return [], [DataIssue("error", "password_protected", display_name)]
    except OSError:
        return [], [_unreadable(display_name, "os")]
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
        sheets = {ws.title: list(ws.iter_rows(min_row=1)) for ws in workbook.worksheets}
        formulas = _formula_cells(path)
    except Exception:  # any failure of the XLSX parser means the file cannot be read
        return [], [_unreadable(display_name, "xlsx")]
    by_name = {_normal(name): name for name in sheets}
    marker = by_name.get(_normal(MARKER_SHEET))
    metadata = _metadata(sheets[marker]) if marker else {}
    if metadata.get("quarter", str(quarter)) != str(quarter):
        details = {"found": metadata["quarter"], "expected": str(quarter)}
        return [], [DataIssue("error", "file_period", display_name, details=details)]
    sections = section_sheet_names(catalogue)
    for key in sections:  # the titles the template wrote come first
        title = metadata.get(f"sheet.{key}")
        if title:
            sections[key] = [title, *(name for name in sections[key] if name != title)]
    found_sections = {
        key: next((by_name[_normal(n)] for n in names if _normal(n) in by_name), None)
        for key, names in sections.items()
    }
    section_sheets = {name for name in found_sections.values() if name}
    tables: list[RawTable] = []
    issues: list[DataIssue] = []
    for name, rows in sheets.items():
        if name == marker:
            continue
        header_index = _header_row(rows)
        if header_index is None:
            if name in section_sheets:  # a template section sheet must hold data columns
                issues += [
                    DataIssue(
                        "error",
                        "missing_column",
                        display_name,
                        1,
                        details={"column": column},
                        sheet=name,
                    )
                    for column in REQUIRED_COLUMNS
                ]
            continue
        repeated = _repeated_columns(
            _sheet_columns(rows, header_index), display_name, header_index + 1, name
        )
        if repeated:
            issues += repeated
            continue
        issues += _formula_issues(rows, header_index, formulas.get(name, {}), display_name, name)
        table = _sheet_table(rows, header_index)
        tables.append(RawTable(display_name, name, table, header_index + 1))
    listed = ", ".join(f"'{name}'" for name in sheets if name != marker) or "-"
    if marker or section_sheets:  # a template workbook: every section has its sheet
        expected = ", ".join(f"'{names[0]}'" for names in sections.values())
        for key, sheet in found_sections.items():
            if sheet is None:
                details = {"sheet_name": sections[key][0], "expected": expected, "found": listed}
                issues.append(DataIssue("error", "missing_sheet", display_name, details=details))
    if not tables and not issues:
        issues.append(DataIssue("error", "no_data_sheet", display_name, details={"found": listed}))
    return tables, issues


def read_tables(
    path: Path, display_name: str, quarter: Quarter, catalogue: Catalogue | None = None
) -> tuple[list[RawTable], list[DataIssue]]:
    """Read a CSV file, or every data sheet of an XLSX workbook, as cells.

    Never raises for a bad file: a file that cannot be opened or parsed, a password-protected
    workbook, a template workbook without one of its section sheets or a workbook without any
    data sheet gives `DataIssue` errors instead.

    Returns
    -------
    (list of RawTable, list of DataIssue)
    """
    catalogue = catalogue or load_catalogue()
    if path.suffix.lower() == ".csv":
        return _read_csv(path, display_name)
    return _read_xlsx(path, display_name, quarter, catalogue)


def _unit_issue(figure: Figure, unit_cell: str, catalogue: Catalogue) -> tuple[int, str | None]:
    """Return the scale of a unit cell and the `MESSAGES` key of what is wrong with it."""
    scale, rest = parse_scale(unit_cell)
    unit = catalogue.units[figure.unit]
    accepted = {figure.unit, unit.label["id"], unit.label["en"], ""}
    if figure.unit == "percent":
        accepted |= {"%"}
    if figure.unit == "rupiah":
        accepted |= {"rp", "idr"}
    if rest not in {text.lower() for text in accepted}:
        return scale, "bad_unit"
    if scale != 1 and figure.unit in {"percent", "months"}:
        return scale, "bad_unit.scale_word"
    return scale, None


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and not value.strip().replace("\u00a0", "")


def parse_table(
    raw: RawTable, quarter: Quarter, catalogue: Catalogue
) -> tuple[list[ParsedRow], list[DataIssue]]:
    """Check one table and convert its filled rows into figure records (catalogue units).

    Rows whose value cell is empty are unfilled: skipped without a word. Returns the filled
    rows of known figures for ``quarter`` (record ``None`` when the row has an error;
    duplicates are found by the caller, across files and sheets) and every error found.
    """
    table = raw.table
    missing = [column for column in REQUIRED_COLUMNS if column not in table.columns]
    if missing:
        return [], [
            DataIssue(
                "error",
                "missing_column",
                raw.file,
                raw.header_row,
                details={"column": column},
                sheet=raw.sheet,
            )
            for column in missing
        ]
    filled = [not _is_empty(value) for value in table["value"]]
    table = table.loc[pd.Series(filled, index=table.index, dtype=bool)].copy()  # unfilled rows
    for column in OPTIONAL_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    if "xlsx_percent_format" not in table.columns:
        table["xlsx_percent_format"] = False
    for column in TEXT_COLUMNS:
        table[column] = [_cell_text(cell) for cell in table[column]]
    table = table.astype({column: str for column in TEXT_COLUMNS})
    table["status"] = table["status"].str.lower()

    def issue(problem: str, row, code: str = "", message: str = "", **details) -> DataIssue:
        return DataIssue(
            "error",
            problem,
            raw.file,
            int(row.row),
            code,
            str(quarter),
            details,
            raw.sheet,
            message,
        )

    issues = [
        issue("missing_code", row, found=_cell_text(row.value))
        for row in table[table["code"] == ""].itertuples(index=False)
    ]
    table = table[table["code"] != ""].reset_index(drop=True)  # the schema reports positions
    periods = set(table["period"])
    if len(table) >= 2 and len(periods) == 1 and not periods & {"", str(quarter)}:
        issues.append(
            DataIssue(
                "error",
                "file_period",
                raw.file,
                details={"found": periods.pop(), "expected": str(quarter)},
                sheet=raw.sheet,
            )
        )
        return [], issues
    issues += schema_issues(table, catalogue, file=raw.file, sheet=raw.sheet)
    rows: list[ParsedRow] = []
    for row in table.itertuples(index=False):
        if row.code not in catalogue.figures or row.status not in STATUSES:
            continue  # reported by the schema
        if row.period != str(quarter):
            if row.period:
                issues.append(
                    issue("wrong_period", row, row.code, found=row.period, expected=str(quarter))
                )
            else:
                issues.append(
                    issue(
                        "wrong_period", row, row.code, "wrong_period.empty", expected=str(quarter)
                    )
                )
            continue
        outcome = _row_record(row, catalogue.figures[row.code], catalogue)
        if isinstance(outcome, dict):
            record = {
                "period": str(quarter),
                "code": row.code,
                **outcome,
                "status": row.status or "observed",
                "source": row.source,
                "note": row.note,
                "file": raw.file + (f" [{raw.sheet}]" if raw.sheet else ""),
                "row": int(row.row),
                "sheet": raw.sheet,
            }
        else:
            problem, message, details = outcome
            issues.append(issue(problem, row, row.code, message, **details))
            record = None
        rows.append(ParsedRow(row.code, Place(raw.file, raw.sheet, int(row.row)), record))
    return rows, issues


def _row_record(row, figure: Figure, catalogue: Catalogue) -> dict | tuple[str, str, dict]:
    """The value, scale and decimals of one row, or (problem, message key, details)."""
    unit = catalogue.units[figure.unit]
    labels = f"{unit.label['id']} / {unit.label['en']}"
    scale, unit_problem = _unit_issue(figure, row.unit, catalogue)
    if unit_problem:
        return "bad_unit", unit_problem, {"found": row.unit, "expected": labels}
    try:
        whole_units = unit.integer and scale == 1
        parsed = parse_number(
            row.value,
            integer_unit=whole_units,
            scaled=not whole_units,
            percent_format=bool(row.xlsx_percent_format),
        )
    except NumberFormatError as error:
        return "bad_number", f"bad_number.{error.reason}", {"found": error.found, **error.params}
    # As written in a text cell; a numeric cell is shown in the message's number format.
    found = row.value.strip() if isinstance(row.value, str) else parsed.value
    if parsed.percent_sign and figure.unit != "percent":
        shown = found if isinstance(found, str) else f"{parsed.value:g}%"
        return "bad_unit", "bad_unit.percent_sign", {"found": shown, "expected": labels}
    value = float(Decimal(repr(parsed.value)) * scale)
    if not math.isfinite(value) or not (
        value == 0 or SMALLEST_VALUE <= abs(value) <= LARGEST_VALUE
    ):
        shown = found if isinstance(found, str) else f"{parsed.value:g}"
        details = {"found": shown, "smallest": SMALLEST_VALUE, "largest": LARGEST_VALUE}
        return "out_of_range", "", details
    problem = None
    if value < 0 and not figure.may_be_negative:
        problem = "negative"
    elif value <= 0 and "positive" in figure.checks:
        problem = "not_positive"
    elif (
        figure.unit == "percent"
        and "unbounded_percent" not in figure.checks
        and not (0 <= abs(value) <= 100)
    ):
        problem = "percent_range"
    elif figure.bounds is not None and value not in figure.bounds:
        # Before the whole-units check: "280,7 jiwa" is the population in juta, not a fraction.
        return _bounds_problem(value, scale, figure)
    elif unit.integer and value != round(value):
        problem = "not_integer"
    if problem:
        return problem, "", {"found": found}
    return {"value": value, "scale": scale, "decimals": parsed.decimals}


def _bounds_problem(value: float, scale: int, figure: Figure) -> tuple[str, str, dict]:
    """The error of a value outside its figure's bounds, with the slip it most likely is: a
    percentage written as a fraction, or a missing, superfluous or wrong scale word."""
    details = {"found": Amount(value, figure.unit), "bounds": Range(figure.bounds, figure.unit)}
    if figure.unit == "percent" and value * 100 in figure.bounds:
        return (
            "figure_bounds",
            "figure_bounds.fraction",
            {
                **details,
                "suggestion": Amount(float(Decimal(repr(value)) * 100), "percent"),
            },
        )
    if figure.unit in UNSCALED_UNITS:
        return "figure_bounds", "", details
    written = Decimal(repr(value)) / scale
    current = round(math.log10(scale))
    # The scale word nearest the one written first: "ribu" for "juta" before "triliun".
    for exponent in sorted(SCALE_EXPONENTS, key=lambda exponent: abs(exponent - current)):
        candidate = float(written * 10**exponent)
        if exponent != current and candidate in figure.bounds:
            return (
                "figure_bounds",
                "figure_bounds.scale",
                {
                    **details,
                    "suggestion": Amount(candidate, figure.unit, exponent=exponent),
                    "unit": UnitName(figure.unit, exponent),
                },
            )
    return "figure_bounds", "", details


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
