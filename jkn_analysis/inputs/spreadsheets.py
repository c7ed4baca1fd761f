"""A data file read as cells: a CSV file, or every data sheet of an XLSX workbook (`read_tables`).

Rules of reading
----------------
- CSV: UTF-8 (with or without BOM), comma- or semicolon-separated (Indonesian Excel writes
  ``;``), header in row 1.
- XLSX: every worksheet is read; its header is the first row, within the first
  `HEADER_SEARCH_ROWS`, holding at least two of the required columns. A sheet without such a
  row (instructions, lists) is not a data sheet and is skipped, but a workbook must have at
  least one data sheet. A workbook made by the data-entry template (a sheet named `MARKER_SHEET`,
  or a sheet named after a report section) must hold one sheet per report section.
- A formula cell without a stored result (a workbook written by a program, never saved by
  Excel) is an error, as is a header naming a column twice; a file that cannot be opened or a
  password-protected workbook is an error too, never an exception.
- Row numbers are spreadsheet row numbers (the header is row 1 in a CSV file).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd

from jkn_analysis.catalogue.definitions import Catalogue, load_catalogue
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.inputs.sheets import section_sheet_titles
from jkn_analysis.inputs.validation import (
    REQUIRED_COLUMNS,
    DataIssue,
)

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


def cell_text(value: object) -> str:
    """A text cell of a worksheet as text (a number typed into a text column included)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_row(rows: list[tuple]) -> int | None:
    """Index of the first row holding at least two required column names, if any."""
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {cell_text(cell.value).lower() for cell in cells}
        if len(names & set(REQUIRED_COLUMNS)) >= 2:
            return index
    return None


def _sheet_columns(rows: list[tuple], header_index: int) -> list[str]:
    return _column_names([cell_text(cell.value).lower() for cell in rows[header_index]])


def _sheet_table(rows: list[tuple], header_index: int) -> pd.DataFrame:
    columns = _sheet_columns(rows, header_index)
    records = []
    for cells in rows[header_index + 1 :]:
        values = {}
        for name, cell in zip(columns, cells, strict=False):
            values[name] = cell.value if name == "value" else cell_text(cell.value)
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
        cell_text(cells[0].value): cell_text(cells[1].value)
        for cells in rows[1:]
        if len(cells) >= 2 and cell_text(cells[0].value)
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
                code = cell_text(cells[code_index].value)
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
