"""The data behind the report's tables and charts: accessible markup, CSV downloads, workbook.

Tables are written by the section templates; this module turns each rendered table into what
screen readers and reusers need without the templates having to repeat it: the caption above
the table becomes its ``<caption>``, header cells get ``scope``, the first cell of every body
row becomes a row header, the table scrolls in its own box on narrow screens, and a link
offers the table's data as CSV inline (a ``data:`` URI, nothing fetched). The same reading of
a table gives the sheets of the data workbook written beside the PDF.

Numbers in the CSV and the workbook are read back from the text the table shows
(``269,5 juta`` → 269500000, ``76,41%`` → 76.41), so they are exactly the figures the reader
sees, as numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote

from babel.numbers import get_decimal_symbol, get_group_symbol
from bs4 import BeautifulSoup, Tag

from jkn_analysis.catalogue.formatting import _scale_word

# The earliest time a zip entry can carry.
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
CSV_BOM = "\ufeff"  # spreadsheet programs read the CSV as UTF-8 with it
# Cells that stand for "no value" in the tables.
EMPTY_MARKS = {"", "–", "-", "—"}


@dataclass(frozen=True)
class TableData:
    """One table as text rows: its caption, header rows and body rows (spans expanded)."""

    caption: str
    header: list[list[str]]
    body: list[list[str]]


def _scale_words(language: str) -> dict[str, int]:
    """Scale words the report writes after a number (``juta``, ``jt``, ``T``, ``million``)."""
    words = {}
    for exponent in (3, 6, 9, 12):
        for style in ("short", "long"):
            words[_scale_word(exponent, language, style).lower()] = exponent
    return words


def read_displayed(text: str, language: str) -> float | int | None:
    """The number a table cell shows, or None when the cell is not one number.

    ``214.501.609`` → 214501609, ``+0,45%`` → 0.45, ``Rp43,32 T`` → 43320000000000,
    ``269,5 juta`` → 269500000 (id; the English separators in ``en``). A trailing ``*``
    (a published value) is ignored.
    """
    value = text.strip().rstrip("*").strip().replace("\u2212", "-")
    if value in EMPTY_MARKS:
        return None
    value = re.sub(r"^(Rp|IDR)\s*", "", value)
    value = value.removesuffix("%").strip()
    exponent = 0
    parts = value.rsplit(" ", 1)
    if len(parts) == 2 and parts[1].lower() in _scale_words(language):
        value, exponent = parts[0], _scale_words(language)[parts[1].lower()]
    group, decimal = get_group_symbol(language), get_decimal_symbol(language)
    if not re.fullmatch(rf"[+-]?\d{{1,3}}(\{group}\d{{3}})*(\{decimal}\d+)?|[+-]?\d+", value):
        return None
    try:
        number = Decimal(value.replace(group, "").replace(decimal, ".")).scaleb(exponent)
    except InvalidOperation:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def _cell_text(cell: Tag) -> str:
    return " ".join(cell.get_text(" ").split())


def read_table(table: Tag) -> TableData:
    """The text of a rendered table, row by row, each spanned cell repeated over its span."""
    caption = table.find("caption")
    rows: dict[str, list[list[str]]] = {"thead": [], "tbody": []}
    for part in rows:
        pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still spanned)
        for row in table.select(f":scope > {part} > tr"):
            cells, column = [], 0
            queue = list(row.find_all(["th", "td"], recursive=False))
            while queue or column in pending:
                if column in pending:
                    text, left = pending.pop(column)
                    if left > 1:
                        pending[column] = (text, left - 1)
                    cells.append(text)
                    column += 1
                    continue
                cell = queue.pop(0)
                text = _cell_text(cell)
                for _ in range(int(cell.get("colspan", 1))):
                    if int(cell.get("rowspan", 1)) > 1:
                        pending[column] = (text, int(cell["rowspan"]) - 1)
                    cells.append(text)
                    column += 1
            rows[part].append(cells)
    return TableData(_cell_text(caption) if caption else "", rows["thead"], rows["tbody"])


def tables_in(html: str) -> list[TableData]:
    """Every captioned data table of a report page, in order."""
    soup = BeautifulSoup(html, "html.parser")
    return [read_table(table) for table in soup.find_all("table") if table.find("caption")]


def table_records(table: TableData, language: str) -> list[list[object]]:
    """Header rows as text, body rows with each number read back as a number."""
    body = [
        [cell if (number := read_displayed(cell, language)) is None else number for cell in row]
        for row in table.body
    ]
    return [*table.header, *body]


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV text, numbers written plainly (a dot for the decimal)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue()


def csv_data_uri(rows: Iterable[Sequence[object]]) -> str:
    """A ``data:`` URI holding the rows as CSV, for a download link that fetches nothing."""
    return "data:text/csv;charset=utf-8," + quote(CSV_BOM + csv_text(rows), safe="")


def file_name(caption: str) -> str:
    """``Tabel 1.2 Jumlah …`` → ``tabel-1-2.csv``: the caption's kind and number."""
    words = caption.split()
    stem = "-".join(words[:2]) if len(words) > 1 else (words[0] if words else "data")
    return re.sub(r"[^0-9a-z-]+", "-", stem.lower()).strip("-") + ".csv"


def download_link(
    soup: BeautifulSoup, caption: str, rows: list[list[object]], label: str, name: str
) -> Tag:
    """``<p class="data-download"><a download=…>label</a></p>`` for the rows as CSV."""
    paragraph = soup.new_tag("p", attrs={"class": "data-download"})
    link = soup.new_tag(
        "a", attrs={"href": csv_data_uri(rows), "download": file_name(caption), "type": "text/csv"}
    )
    link.string = label
    # Several links read alike; the accessible name says which table or chart each one gives.
    link["aria-label"] = name
    paragraph.append(link)
    return paragraph


def accessible_tables(html: str, language: str, text: Callable[..., str]) -> str:
    """Rewrite the data tables of a rendered fragment for screen readers and reuse.

    Parameters
    ----------
    html : str
        A rendered report fragment.
    language : str
        The report language, for reading numbers back.
    text : callable
        The report wording (`jkn_analysis.report.quarterly.QuarterlyReport.text`).
    """
    if "<table" not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    for table in soup.find_all("table"):
        if table.find_parent("table") is not None:
            continue
        previous = table.find_previous_sibling()
        caption_text = None
        if previous is not None and "table-caption" in previous.get("class", []):
            caption = soup.new_tag("caption")
            caption.extend(list(previous.contents))
            previous.decompose()
            table.insert(0, caption)
            caption_text = _cell_text(caption)
        elif (heading := table.find_previous_sibling(["h2", "h3", "h4"])) is not None:
            # A table under its heading and an introduction (the appendix): the heading names
            # it; the caption repeats it for screen readers only.
            caption = soup.new_tag("caption", attrs={"class": "visually-hidden"})
            caption.string = _cell_text(heading)
            table.insert(0, caption)
            caption_text = caption.string
        for cell in table.select(":scope > thead > tr > th"):
            cell["scope"] = "colgroup" if int(cell.get("colspan", 1)) > 1 else "col"
        for row in table.select(":scope > tbody > tr, :scope > tr"):
            first = row.find(["td", "th"], recursive=False)
            if first is None:
                continue
            if first.name == "td":
                first.name = "th"
            first["scope"] = "row"
        if caption_text is None:
            continue
        # Wide tables scroll inside their own box on narrow screens, not the whole page; the
        # box is focusable so keyboard users can scroll it too.
        box = soup.new_tag(
            "div",
            attrs={
                "class": "table-scroll",
                "role": "region",
                "tabindex": "0",
                "aria-label": caption_text,
            },
        )
        table.wrap(box)
        rows = table_records(read_table(table), language)
        box.insert_after(
            download_link(
                soup,
                caption_text,
                rows,
                text("download_data"),
                text("download_data_of", caption=caption_text),
            )
        )
    return str(soup)


# --- Charts --------------------------------------------------------------------------------------
# Columns of the charts' data frames (`jkn_analysis.report.charts`) that hold display labels, in the
# order a reader names a point: the category first, then its period.
CHART_LABEL_COLUMNS = ("segment", "service", "instrument", "series", "scenario", "period", "year")
CHART_TIME_COLUMNS = ("period", "year")
# Beyond this many points a series is described by its trend rather than point by point.
MOST_POINTS_LISTED = 6


def chart_columns(frame) -> tuple[list[str], list[str]]:
    """The label columns and the number columns (not the True/False flags) of a chart's data."""
    labels = [column for column in CHART_LABEL_COLUMNS if column in frame.columns]
    numbers = [
        column
        for column in frame.columns
        if column not in labels
        and frame[column].dtype.kind in "iuf"  # booleans (kind "b") are flags, not data
    ]
    return labels, numbers


def chart_records(frame, header: Callable[[str], str]) -> list[list[object]]:
    """A chart's data as rows: a header row (worded by ``header``), then one row per point."""
    labels, numbers = chart_columns(frame)
    rows: list[list[object]] = [[header(column) for column in [*labels, *numbers]]]
    for record in frame.to_dict("records"):
        rows.append([str(record[c]) for c in labels] + [_plain_number(record[c]) for c in numbers])
    return rows


def _plain_number(value) -> float | int:
    number = float(value)
    return int(number) if number.is_integer() else number


def chart_description(
    frame,
    write: Callable[[float], str],
    header: Callable[[str], str],
    text: Callable[..., str],
) -> str:
    """What a chart shows in words, from its data: each point, or each series' trend.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data the chart was drawn from.
    write : callable
        Writes a number as the report writes it.
    header : callable
        The report's name of a data column.
    text : callable
        The report wording (`jkn_analysis.report.quarterly.QuarterlyReport.text`).
    """
    labels, numbers = chart_columns(frame)
    time = next((column for column in labels if column in CHART_TIME_COLUMNS), None)
    groups = [column for column in labels if column != time]

    def values_of(record) -> str:
        if len(numbers) == 1:
            return write(record[numbers[0]])
        return ", ".join(f"{header(column)} {write(record[column])}" for column in numbers)

    parts = []
    if time is not None and len(numbers) == 1:
        keys = list(dict.fromkeys(tuple(r[c] for c in groups) for r in frame.to_dict("records")))
        for key in keys:
            records = [r for r in frame.to_dict("records") if tuple(r[c] for c in groups) == key]
            name = " ".join(str(part) for part in key)
            value = numbers[0]
            if len(records) > MOST_POINTS_LISTED:
                high = max(records, key=lambda r: r[value])
                low = min(records, key=lambda r: r[value])
                points = text(
                    "chart_alt_trend",
                    first=write(records[0][value]),
                    first_period=records[0][time],
                    last=write(records[-1][value]),
                    last_period=records[-1][time],
                    high=write(high[value]),
                    high_period=high[time],
                    low=write(low[value]),
                    low_period=low[time],
                )
            else:
                points = "; ".join(f"{r[time]} {write(r[value])}" for r in records)
            parts.append(f"{name}: {points}" if name else points)
    else:
        for record in frame.to_dict("records"):
            name = " ".join(str(record[column]) for column in labels)
            parts.append(f"{name}: {values_of(record)}")
    return ". ".join(parts)


# --- Draft mark ----------------------------------------------------------------------------------
def draft_mark_uri(word: str) -> str:
    """The draft mark (``DRAF``) as an SVG image of glyph outlines, as a ``data:`` URI.

    Outlines rather than text: the mark is seen on every page but never copied with the text
    of the PDF nor read out (the draft banner says it in words).
    """
    import base64

    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path as GlyphPath
    from matplotlib.textpath import TextPath

    outline = TextPath(
        (0, 0), word, size=100, prop=FontProperties(family="DejaVu Sans", weight="bold")
    )
    extent = outline.get_extents()
    commands = {
        GlyphPath.MOVETO: "M",
        GlyphPath.LINETO: "L",
        GlyphPath.CURVE3: "Q",
        GlyphPath.CURVE4: "C",
        GlyphPath.CLOSEPOLY: "Z",
    }
    steps = []
    for points, code in outline.iter_segments():
        coordinates = " ".join(
            f"{points[i]:.1f} {extent.y1 - points[i + 1]:.1f}" for i in range(0, len(points), 2)
        )
        steps.append(commands[code] + ("" if code == GlyphPath.CLOSEPOLY else coordinates))
    width, height = extent.x1 + extent.x0, extent.y1 - min(extent.y0, 0)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}">'
        f'<path fill="#a23b2a" fill-opacity="0.13" d="{" ".join(steps)}"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


# --- Data workbook -------------------------------------------------------------------------------
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LENGTH = 31  # the most a spreadsheet sheet name may hold


def _sheet_name(caption: str, taken: set[str]) -> str:
    """``Tabel 1.2``: the caption's kind and number, unique and valid as a sheet name."""
    words = SHEET_NAME_FORBIDDEN.sub(" ", caption).split()
    name = " ".join(words[:2])[:SHEET_NAME_LENGTH] or "Data"
    candidate, number = name, 2
    while candidate.lower() in taken:
        candidate = f"{name[: SHEET_NAME_LENGTH - 4]} ({number})"
        number += 1
    taken.add(candidate.lower())
    return candidate


def _number_format(value: float | int) -> str:
    return "#,##0" if isinstance(value, int) else "#,##0.00"


def write_workbook(
    html: str,
    indicators: list[dict],
    target,
    language: str,
    text: Callable[[str], str],
    label: Callable[[str], str],
) -> None:
    """Write the data workbook beside the PDF: one sheet per table, one of every indicator.

    Parameters
    ----------
    html : str
        The report page, whose captioned tables become sheets (caption in the first row).
    indicators : list of dict
        The indicators of ``indicators.json``.
    target : path
        The ``.xlsx`` file to write.
    language : str
        The edition's language: sheet names, headers and numbers read as the tables show them.
    text : callable
        The report wording for a key of ``text.yaml``, in ``language``.
    label : callable
        An indicator's label for its code, in ``language``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    bold = Font(bold=True)

    def fill(sheet, title: str, rows: list[list[object]], header_rows: int) -> None:
        sheet.append([title])
        sheet["A1"].font = bold
        for index, row in enumerate(rows):
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if index < header_rows:
                    cell.font = bold
                elif isinstance(cell.value, int | float):
                    cell.number_format = _number_format(cell.value)
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column[1:]) if column[1:] else 10
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)

    for table in tables_in(html):
        sheet = workbook.create_sheet(_sheet_name(table.caption, taken))
        fill(sheet, table.caption, table_records(table, language), len(table.header))

    columns = ["code", "label", "value", "unit", "period", "detail", "method"]
    rows = [[text(f"workbook_columns.{column}") for column in columns]]
    for item in indicators:
        rows.append(indicator_row(item, label))
    title = text("workbook_indicators")
    fill(workbook.create_sheet(_sheet_name(title, taken)), title, rows, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    Path(target).write_bytes(_dated_workbook(buffer.getvalue()))


def _dated_workbook(saved: bytes) -> bytes:
    """A saved workbook with its times set to the report's date stamp, so that the same inputs
    give the same file: openpyxl stamps the document's creation and modification and each part
    of the zip with the time of saving."""
    import zipfile

    from jkn_analysis.report.provenance import source_date

    stamp = source_date().astimezone(dt.UTC)
    # A zip entry's time has two-second steps and starts in 1980.
    entry_time = max(stamp.replace(second=stamp.second // 2 * 2), ZIP_EPOCH).timetuple()[:6]
    w3c = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    dated = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(saved)) as source,
        zipfile.ZipFile(dated, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    lambda found: found.group(1) + w3c.encode() + found.group(2),
                    content,
                )
            copy.writestr(
                zipfile.ZipInfo(entry.filename, date_time=entry_time),
                content,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return dated.getvalue()


DETAIL_KEYS = ("segment", "service", "reason", "instrument")


def indicator_row(item: dict, label: Callable[[str], str]) -> list[object]:
    """One indicator of ``indicators.json`` as a row: code, label, value, unit, period, detail."""
    detail = ", ".join(str(item[key]) for key in DETAIL_KEYS if item.get(key) is not None)
    value = item.get("value")
    return [
        item.get("code"),
        label(item.get("code")),
        value,
        item.get("unit"),
        item.get("period"),
        detail,
        item.get("method"),
    ]


INDICATOR_CSV_COLUMNS = (
    "code",
    "value",
    "unit",
    "period",
    *DETAIL_KEYS,
    "method",
    "inputs",
)


def indicators_csv(indicators: list[dict]) -> str:
    """``indicators.csv``: each indicator of ``indicators.json`` as a row, its keys as columns."""
    rows = [list(INDICATOR_CSV_COLUMNS)]
    for item in indicators:
        row = [item.get(column) for column in INDICATOR_CSV_COLUMNS[:-1]]
        rows.append([*row, " ".join(item.get("inputs", []))])
    return csv_text(rows)
