"""Data-entry files for a new quarter: an XLSX workbook and its CSV equivalent.

`write_data_entry_files` writes ``data/<QUARTER>/figures.xlsx`` and ``figures.csv`` with every
figure of the catalogue on its own row, ready for the analyst to fill in the ``value`` (and
``source``) cells. Both files have the columns the loader reads (`jkn_analysis.inputs.loading`),
with the header in row 1; ``label`` and ``previous`` are there for the analyst and are not read.

The workbook has one sheet per report section and a hidden sheet ``_jkn`` of ``key``/``value``
rows (template version, quarter, language, catalogue, section sheet titles) by which the loader
recognises a workbook made from this template. Headers, periods, codes, labels and previous
values are locked (sheet protection without a password, grey cells); unit, value, status, source,
note and as_of (the month the source gives a figure at, when not the quarter's end) are
editable (light-yellow cells).

Existing data are never overwritten: a period folder that already holds a ``.csv`` or ``.xlsx``
file is refused with `FileExistsError`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import math
import os
import warnings
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from jkn_analysis import __version__
from jkn_analysis.catalogue.definitions import LANGUAGES, Catalogue, Figure, load_catalogue
from jkn_analysis.catalogue.formatting import format_number
from jkn_analysis.catalogue.numbers import written_decimals
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.catalogue.wording import messages
from jkn_analysis.inputs.loading import read_figures
from jkn_analysis.inputs.sheets import (
    METADATA_SHEET,
    section_sheet_titles,
)
from jkn_analysis.inputs.validation import MESSAGES, register_messages

register_messages(messages("workbook")["messages"])

TEMPLATE_NAME = "jkn-data-entry"
TEMPLATE_VERSION = "1"
# Hidden sheet of key/value rows marking a workbook made from this template.
METADATA_COLUMNS = ("key", "value")
# Metadata keys ``sheet.<section>`` give the title of each section's sheet.
SECTION_SHEET_KEY = "sheet."
FILE_STEM = "figures"
DATA_SUFFIXES = (".csv", ".xlsx")

COLUMNS = (
    "period",
    "code",
    "label",
    "unit",
    "value",
    "status",
    "source",
    "note",
    "as_of",
    "previous",
)
LOCKED_COLUMNS = frozenset({"period", "code", "label", "previous"})
EDITABLE_COLUMNS = frozenset(COLUMNS) - LOCKED_COLUMNS
STATUS_CHOICES = ("reported", "derived")


# Rupiah figures are entered in trillions, as BPJS Kesehatan publishes them.
_ENTRY_SCALE = {"rupiah": ("triliun", 10**12)}
# [$-421] is the Indonesian locale: LibreOffice shows 214.501.609 and 38,60 whatever the
# system locale; Excel shows the number with the system's separators.
_NUMBER_LOCALE = "[$-421]"
_MAX_PREVIOUS_DECIMALS = 4

_HEADER_FILL = PatternFill("solid", start_color="BFBFBF", end_color="BFBFBF")
_LOCKED_FILL = PatternFill("solid", start_color="E7E6E6", end_color="E7E6E6")
_EDITABLE_FILL = PatternFill("solid", start_color="FFF7CC", end_color="FFF7CC")
_BORDER = Border(*(Side(style="thin", color="A6A6A6"),) * 4)
_FONT = "Calibri"
_FONT_NORMAL = Font(name=_FONT, size=11)
_LOCKED_FONT = Font(name=_FONT, size=11, color="404040")
_WIDTHS = {
    "period": 9,
    "code": 30,  # widened to the longest code
    "label": 46,
    "unit": 15,
    "value": 18,
    "status": 11,
    "source": 40,
    "note": 50,
    "as_of": 10,
    "previous": 18,
}
_WRAPPED = frozenset({"label", "source", "note"})
_LINE_HEIGHT = 15  # points per line of 11-point text

NOTE_REPORTED = messages("workbook")["note_reported"]

_HEADER_COMMENTS = messages("workbook")["header_comments"]

_PREVIOUS_COMMENT = messages("workbook")["previous_comment"]
_PREVIOUS_NONE = messages("workbook")["previous_none"]
_PREVIOUS_FAILED = messages("workbook")["previous_failed"]
_PREVIOUS_CELL = messages("workbook")["previous_cell"]
_STATUS_PROMPT = messages("workbook")["status_prompt"]
_STATUS_ERROR = messages("workbook")["status_error"]


class PreviousValuesWarning(UserWarning):
    """Earlier periods could not be loaded, so the template shows no previous values."""


@dataclass(frozen=True)
class EntryRow:
    """One row of the data-entry files."""

    section: str
    period: str
    code: str
    label: str
    unit: str
    note: str
    previous: float | None
    previous_period: str
    previous_decimals: int

    def text(self) -> dict[str, str]:
        """The row as CSV text (previous value written the Indonesian way)."""
        previous = ""
        if self.previous is not None:
            previous = format_number(self.previous, self.previous_decimals, language="id")
        return {
            "period": self.period,
            "code": self.code,
            "label": self.label,
            "unit": self.unit,
            "value": "",
            "status": "",
            "source": "",
            "note": self.note,
            "as_of": "",
            "previous": previous,
        }


def previous_quarter(quarter: Quarter) -> Quarter:
    """The quarter before ``quarter`` (2024Q1 → 2023Q4)."""
    if quarter.quarter == 1:
        return Quarter(quarter.year - 1, 4)
    return Quarter(quarter.year, quarter.quarter - 1)


def entry_unit(figure: Figure, catalogue: Catalogue) -> tuple[str, int]:
    """The unit cell prefilled for a figure and its scale: ``("triliun rupiah", 10**12)``."""
    label = catalogue.units[figure.unit].label["id"]
    if figure.unit in _ENTRY_SCALE:
        word, scale = _ENTRY_SCALE[figure.unit]
        return f"{word} {label}", scale
    return label, 1


def catalogue_fingerprint(catalogue: Catalogue) -> str:
    """SHA-256 of what the template depends on: sections, figure codes, units and labels."""
    content = {
        "sections": catalogue.sections,
        "figures": [
            [figure.code, figure.unit, figure.section, figure.label, figure.reported_indicator]
            for figure in catalogue.figures.values()
        ],
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _created_at() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=0).isoformat()


def _describe(issue, language: str, catalogue: Catalogue) -> str:
    """An issue in words; never fails, since it only decorates a warning."""
    try:
        return issue.describe(language, catalogue)
    except Exception:  # a message that cannot be formatted must not stop the template
        place = ", ".join(str(part) for part in (issue.file, issue.row, issue.code) if part)
        return f"{place}: {issue.problem}"


def _previous_values(
    data_dir: Path, quarter: Quarter, catalogue: Catalogue, language: str
) -> tuple[dict[str, tuple[float, str]], str | None]:
    """Each figure's value in the latest earlier period that has it, and a warning text.

    Returns ``({code: (value in catalogue units, period)}, None)``, or ``({}, warning)`` when
    the earlier data cannot be loaded.
    """
    from jkn_analysis.inputs.validation import DataValidationError

    up_to = previous_quarter(quarter)
    try:
        figures = read_figures(data_dir, up_to=up_to, catalogue=catalogue)
    except DataValidationError as error:
        first = _describe(error.issues[0], language, catalogue) if error.issues else ""
        text = _PREVIOUS_FAILED[language].format(period=up_to, count=len(error.issues), first=first)
        return {}, text
    except Exception as error:  # previous values are a convenience: never stop the template
        first = f"{type(error).__name__}: {error}"
        return {}, _PREVIOUS_FAILED[language].format(period=up_to, count=1, first=first)
    periods = sorted(figures.periods, reverse=True)
    previous: dict[str, tuple[float, str]] = {}
    for code in catalogue.figures:
        for period in periods:
            value = figures.value(code, period)
            if value is not None:
                previous[code] = (value, str(period))
                break
    return previous, None


def _display(value: float, scale: int, integer: bool) -> tuple[float, int]:
    """A value converted to the prefilled unit, and the decimals to show it with."""
    shown = float(Decimal(repr(float(value))) / Decimal(scale)) if scale != 1 else float(value)
    if integer and scale == 1:
        return shown, 0
    return shown, max(2, min(written_decimals(round(shown, 6)), _MAX_PREVIOUS_DECIMALS))


def entry_rows(
    quarter: Quarter,
    catalogue: Catalogue,
    language: str,
    previous: dict[str, tuple[float, str]],
) -> list[EntryRow]:
    """Every figure of the catalogue as a data-entry row, sections in catalogue order."""
    rows = []
    for section in catalogue.sections:
        for figure in catalogue.figures.values():
            if figure.section != section:
                continue
            unit, scale = entry_unit(figure, catalogue)
            value, period = previous.get(figure.code, (None, ""))
            shown, decimals = (None, 0)
            if value is not None:
                shown, decimals = _display(value, scale, catalogue.units[figure.unit].integer)
            rows.append(
                EntryRow(
                    section=section,
                    period=str(quarter),
                    code=figure.code,
                    label=figure.label[language],
                    unit=unit,
                    note=NOTE_REPORTED[language] if figure.reported_indicator else "",
                    previous=shown,
                    previous_period=period,
                    previous_decimals=decimals,
                )
            )
    return rows


def _comment(text: str, width: int = 320, height: int = 110) -> Comment:
    comment = Comment(text, "jkn-report")
    comment.width, comment.height = width, height
    return comment


def _set_text(cell, text: str) -> None:
    """Write text that is never taken for a formula."""
    cell.value = text
    if text.startswith("="):
        cell.data_type = "s"


def _section_sheet(
    sheet: Worksheet,
    rows: list[EntryRow],
    language: str,
    previous_header: str,
    headline_period: str,
    quarter: Quarter,
) -> None:
    header_font = Font(name=_FONT, size=11, bold=True)
    for column, name in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=name)
        cell.font = header_font
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(vertical="center")
        cell.protection = Protection(locked=True)
        if name == "previous":
            cell.comment = _comment(previous_header, height=140)
        else:
            text = _HEADER_COMMENTS[name][language].format(quarter=quarter)
            cell.comment = _comment(text, height=150 if name == "value" else 110)
        width = _WIDTHS[name]
        if name == "code":
            width = max([width, *(len(row.code) + 2 for row in rows)])
        sheet.column_dimensions[get_column_letter(column)].width = width
    for index, row in enumerate(rows, start=2):
        values = row.text()
        for column, name in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=index, column=column)
            if name == "previous":
                if row.previous is not None:
                    cell.value = row.previous
                    decimals = "." + "0" * row.previous_decimals if row.previous_decimals else ""
                    cell.number_format = f"{_NUMBER_LOCALE}#,##0{decimals}"
                    if row.previous_period != headline_period:
                        text = _PREVIOUS_CELL[language].format(period=row.previous_period)
                        cell.comment = _comment(text, width=160, height=40)
            elif values[name]:
                _set_text(cell, values[name])
            if name == "as_of":
                # Text, so that a typed 2024-06 stays a month and is not turned into a date.
                cell.number_format = "@"
            locked = name in LOCKED_COLUMNS
            cell.protection = Protection(locked=locked)
            cell.fill = _LOCKED_FILL if locked else _EDITABLE_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=name in _WRAPPED)
            cell.font = _LOCKED_FONT if locked and name != "previous" else _FONT_NORMAL
        # Spreadsheet programs do not grow rows to wrapped text on opening: set the height.
        lines = max(
            math.ceil(len(values[name]) / (_WIDTHS[name] * 1.1)) if values[name] else 1
            for name in _WRAPPED
        )
        if lines > 1:
            sheet.row_dimensions[index].height = _LINE_HEIGHT * lines
    last = len(rows) + 1
    status_column = get_column_letter(COLUMNS.index("status") + 1)
    title, prompt = _STATUS_PROMPT[language]
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUS_CHOICES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="status",
        error=_STATUS_ERROR[language],
        promptTitle=title,
        prompt=prompt,
    )
    validation.add(f"{status_column}2:{status_column}{max(last, 2)}")
    sheet.add_data_validation(validation)
    sheet.freeze_panes = "D2"  # header row and period, code, label stay in view
    sheet.row_dimensions[1].height = 20
    sheet.protection = SheetProtection(
        sheet=True,
        formatColumns=False,  # False = allowed: analysts may widen columns and rows
        formatRows=False,
        selectLockedCells=False,
        selectUnlockedCells=False,
    )
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _metadata_rows(
    quarter: Quarter, language: str, catalogue: Catalogue, titles: dict[str, str]
) -> list[tuple[str, str]]:
    rows = [
        ("template", TEMPLATE_NAME),
        ("template_version", TEMPLATE_VERSION),
        ("quarter", str(quarter)),
        ("language", language),
        ("catalogue", "jkn_analysis/catalogue/figures.yaml"),
        ("catalogue_sha256", catalogue_fingerprint(catalogue)),
        ("figures", str(len(catalogue.figures))),
        ("package_version", __version__),
        ("created", _created_at()),
    ]
    rows += [(f"{SECTION_SHEET_KEY}{key}", title) for key, title in titles.items()]
    return rows


def build_workbook(
    quarter: Quarter,
    rows: list[EntryRow],
    *,
    language: str,
    catalogue: Catalogue,
    previous_warning: str | None = None,
) -> Workbook:
    """The data-entry workbook: one protected sheet per section and the hidden ``_jkn`` sheet."""
    titles = section_sheet_titles(language, catalogue)
    workbook = Workbook()
    workbook.remove(workbook.active)
    periods = [row.previous_period for row in rows if row.previous_period]
    headline = max(periods, key=Quarter.parse) if periods else ""
    if previous_warning:
        previous_header = previous_warning
    elif headline:
        previous_header = _PREVIOUS_COMMENT[language].format(period=headline)
    else:
        previous_header = _PREVIOUS_NONE[language]
    for key, title in titles.items():
        sheet = workbook.create_sheet(title)
        section_rows = [row for row in rows if row.section == key]
        _section_sheet(sheet, section_rows, language, previous_header, headline, quarter)
    meta = workbook.create_sheet(METADATA_SHEET)
    meta.append(list(METADATA_COLUMNS))
    for key, value in _metadata_rows(quarter, language, catalogue, titles):
        meta.append([key, value])
    meta.column_dimensions["A"].width = 22
    meta.column_dimensions["B"].width = 70
    meta.sheet_state = "hidden"
    meta.protection = SheetProtection(sheet=True)
    workbook.active = 0
    # Sheets cannot be added, removed, renamed or unhidden by accident (no password).
    workbook.security = WorkbookProtection(lockStructure=True)
    workbook.properties.title = f"JKN {quarter.title(language)}"
    workbook.properties.creator = "jkn-report"
    return workbook


def _existing_data_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        path for path in folder.iterdir() if path.suffix.lower() in DATA_SUFFIXES and path.is_file()
    )


def write_data_entry_files(
    quarter: Quarter,
    data_dir: Path,
    *,
    language: str = "id",
    catalogue: Catalogue | None = None,
) -> list[Path]:
    """Write ``data_dir/<QUARTER>/figures.xlsx`` and ``figures.csv`` for the analyst to fill in.

    Every figure of the catalogue gets a row with its period, code, label (in ``language``),
    prefilled unit (rupiah figures in ``triliun rupiah``), empty value, status, source and
    note (reported-indicator figures get a note saying when to fill them) and, for reference,
    its value in the latest earlier period that has it, converted to the prefilled unit.

    Parameters
    ----------
    quarter : Quarter
        The period to write the files for.
    data_dir : pathlib.Path
        The data folder (one sub-folder per period); ``<QUARTER>/`` is created if missing.
    language : {"id", "en"}, default "id"
        Language of labels, sheet titles, header comments and notes.
    catalogue : Catalogue, optional
        The figure catalogue (default: the shipped one).

    Returns
    -------
    list of pathlib.Path
        The workbook and the CSV file, in that order.

    Raises
    ------
    FileExistsError
        When the period folder already holds a ``.csv`` or ``.xlsx`` file; nothing is written.
    ValueError
        For an unknown language.

    Warns
    -----
    PreviousValuesWarning
        When earlier periods have data errors; the files are written without previous values.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
    catalogue = catalogue or load_catalogue()
    data_dir = Path(data_dir)
    folder = data_dir / str(quarter)
    existing = _existing_data_files(folder)
    if existing:
        names = ", ".join(path.name for path in existing)
        raise FileExistsError(
            MESSAGES["template.data_exists"][language].format(folder=folder, names=names)
        )
    previous, previous_warning = _previous_values(data_dir, quarter, catalogue, language)
    if previous_warning:
        warnings.warn(previous_warning, PreviousValuesWarning, stacklevel=2)
    rows = entry_rows(quarter, catalogue, language, previous)
    workbook = build_workbook(
        quarter, rows, language=language, catalogue=catalogue, previous_warning=previous_warning
    )
    folder.mkdir(parents=True, exist_ok=True)
    xlsx_path = folder / f"{FILE_STEM}.xlsx"
    csv_path = folder / f"{FILE_STEM}.csv"
    written: list[Path] = []
    try:
        with xlsx_path.open("xb") as handle:  # "x": fail rather than overwrite
            written.append(xlsx_path)
            workbook.save(handle)
        with csv_path.open("x", newline="", encoding="utf-8") as handle:
            written.append(csv_path)
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(row.text() for row in rows)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written
