"""Property-based tests: the loader fed malformed CSV, XLSX and review.yaml files (issue 5, 4).

Every case writes a period folder into a fresh temporary directory (hypothesis runs many
examples per test, so pytest's function-scoped ``tmp_path`` cannot be used) and checks that the
only outcomes are

(a) a valid load: ``validate_period(...).ok`` and `load_figures` returns a `FigureSet` whose
    values are finite floats consistent with the catalogue (counts whole and non-negative,
    percentages within 0-100 unless the figure allows otherwise) and can be printed, with no
    filled row silently left out; or
(b) a clear refusal: every error is a `DataIssue` whose Indonesian and English descriptions are
    non-empty and name the file, and `load_figures` raises `DataValidationError`.

Never another exception, never a report from bad data. ``review.yaml`` is read with a safe
loader: Python tags do nothing and give a clear `DataIssue`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import datetime as dt
import io
import math
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from jkn_analysis.catalogue.definitions import Bounds, load_catalogue
from jkn_analysis.catalogue.formatting import format_number, format_value
from jkn_analysis.catalogue.numbers import NumberFormatError, parse_number, round_half_up
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.checks import load_figures, validate_period
from jkn_analysis.inputs.figures import FigureSet
from jkn_analysis.inputs.loading import LARGEST_VALUE
from jkn_analysis.inputs.validation import DataIssue, DataValidationError, format_validation
from jkn_analysis.recommendations.evidence import TriggeredRule
from jkn_analysis.recommendations.review import apply_review, load_review

# openpyxl warns when a date-formatted cell holds a number beyond its dates (it reads "#VALUE!").
pytestmark = pytest.mark.filterwarnings("ignore:Cell .* is marked as a date:UserWarning")

CATALOGUE = load_catalogue()
QUARTER = Quarter(2024, 1)
PERIOD = str(QUARTER)
HEADER = ["period", "code", "value", "unit", "status", "source", "note"]
CODES = sorted(CATALOGUE.figures)
CSV_NAME = f"{PERIOD}/figures.csv"
XLSX_NAME = f"{PERIOD}/figures.xlsx"

# Few examples per test, no deadline (the first call of a test warms pandera and openpyxl): the
# whole module runs in a few seconds on two cores. JKN_FUZZ_EXAMPLES=1000 searches harder.
EXAMPLES = int(os.environ.get("JKN_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FEW = settings(FUZZ, max_examples=max(EXAMPLES // 3, 1))


# ------------------------------------------------------------------------------------ helpers
@contextlib.contextmanager
def data_folder() -> Iterator[Path]:
    """A fresh data directory with an empty ``2024Q1`` folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="jkn-fuzz-") as directory:
        data_dir = Path(directory) / "data"
        (data_dir / PERIOD).mkdir(parents=True)
        yield data_dir


def csv_bytes(rows: list[list[str]], header=HEADER, *, separator: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=separator)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def assert_allowed_outcome(
    data_dir: Path, files: set[str], quarter: Quarter = QUARTER, *, published_checks=False
) -> FigureSet | None:
    """Either a valid load consistent with the catalogue, or clear errors naming the file.

    ``published_checks`` also recomputes the indicators, as ``jkn-report validate`` does.
    Returns the figures of a valid load, ``None`` when the data was refused.
    """
    result = validate_period(data_dir, quarter, published_checks=published_checks)
    for language in ("id", "en"):  # what ``jkn-report validate`` prints
        assert format_validation(result, language, CATALOGUE).strip()
        for warning in result.warnings:
            assert warning.describe(language, CATALOGUE).strip()
    if result.ok:
        figures = load_figures(data_dir)
        assert_consistent(figures)
        return figures
    for issue in result.errors:
        assert isinstance(issue, DataIssue)
        assert issue.severity == "error"
        # An indicator outside its bounds names the files of its inputs rather than one file.
        named = issue.problem == "indicator_bounds"
        assert named or issue.file in files, issue
        for language in ("id", "en"):
            for catalogue in (CATALOGUE, None):
                text = issue.describe(language, catalogue)
                assert isinstance(text, str) and text.strip()
                if named:
                    assert any(file in text for file in files), text
                else:
                    assert issue.file in text, text
    with pytest.raises(DataValidationError) as raised:
        load_figures(data_dir)
    assert raised.value.issues
    assert all(isinstance(issue, DataIssue) for issue in raised.value.issues)
    return None


def assert_consistent(figures: FigureSet) -> None:
    """Every loaded value is a finite float that fits its catalogue figure and can be printed."""
    for (period, code), record in figures.table.iterrows():
        figure = CATALOGUE.figures[code]
        unit = CATALOGUE.units[figure.unit]
        value = figures.value(code, period)
        assert isinstance(value, float) and math.isfinite(value), (code, value)
        if not figure.may_be_negative:
            assert value >= 0, (code, value)
        if "positive" in figure.checks and not figures.is_derived_sum(code, period):
            assert value > 0, (code, value)
        if unit.integer:
            assert value.is_integer(), (code, value)
        if figure.unit == "percent" and "unbounded_percent" not in figure.checks:
            assert abs(value) <= 100, (code, value)
        for language in ("id", "en"):
            assert format_value(value, figure.unit, int(record["decimals"]), language=language)


def loaded_codes(figures: FigureSet) -> set[str]:
    """Codes read from a file (not derived as the sum of their parts) for the period."""
    return {
        code
        for period, code in figures.table.index
        if period == PERIOD and not figures.is_derived_sum(code, period)
    }


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.replace("\u00a0", "").strip()


def plausible_text(code: str) -> str:
    """A value cell within the figure's bounds: its lowest plausible value, or 0 where its
    range holds 0, so that any combination of such figures gives plausible indicators too."""
    bounds = CATALOGUE.figures[code].bounds
    value = 0.0 if bounds.lowest <= 0 else bounds.lowest
    return str(int(value)) if value.is_integer() else str(value).replace(".", ",")


# --------------------------------------------------------------------------------- strategies
VALUE_TOKENS = [
    *"0123456789",
    "12",
    "123",
    "1.234",
    "1.234.567",
    "96.701.058",
    "38,6",
    ",",
    ".",
    " ",
    "\u00a0",
    "%",
    "(",
    ")",
    "-",
    "\u2212",  # the minus sign
    "+",
    "Rp",
    "rp",
    "IDR",
    "e",
    "E",
    "1e400",
    "1e-400",
    "1E5",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "abc",
    "juta",
    "'",
    '"',
    "9" * 400,
    "0," + "0" * 400 + "1",
    "0," + "1" * 60,
    "1" + ".000" * 120,
    "#DIV/0!",
    "=1/0",
]
value_grammar = st.lists(st.sampled_from(VALUE_TOKENS), max_size=6).map("".join)
formatted_number = st.builds(
    format_number,
    st.floats(min_value=-1e20, max_value=1e20, allow_nan=False),
    st.integers(min_value=0, max_value=4),
)
value_text = st.one_of(
    value_grammar,
    formatted_number,
    formatted_number.map(lambda text: f"({text.lstrip('-')})"),
    formatted_number.map(lambda text: text + "%"),
    st.text(max_size=12),
)
SCALE_PREFIXES = ["", "", "ribu ", "juta ", "jt ", "miliar ", "triliun ", "T ", "million ", "x "]
PERIOD_CELLS = ["", " 2024Q1 ", "2024q1", "2024Q2", "2023Q4", "2024Q5", "Q1 2024", "2024-Q1"]
STATUS_CELLS = ["", "", "reported", "derived", "REPORTED", "Derived ", "observed", "x"]
JUNK_CODES = ["", "bogus_code", "population ", "POPULATION", "active_pbii", "1.234", "=A1"]


def unit_names(code: str) -> list[str]:
    """The unit cells the catalogue accepts for a figure (before any scale word)."""
    figure = CATALOGUE.figures.get(code)
    if figure is None:
        return ["jiwa"]
    unit = CATALOGUE.units[figure.unit]
    names = [figure.unit, unit.label["id"], unit.label["en"], ""]
    names += {"percent": ["%"], "rupiah": ["Rp", "IDR"]}.get(figure.unit, [])
    return names


@st.composite
def unit_cell(draw, code: str) -> str:
    if draw(st.integers(0, 4)) == 0:  # nonsense, now and then
        return draw(st.one_of(st.text(max_size=10), st.sampled_from(["jiwa", "persen", "kg"])))
    prefix = draw(st.sampled_from(SCALE_PREFIXES))
    return prefix + draw(st.sampled_from(unit_names(code)))


@st.composite
def period_cell(draw, period: str = PERIOD) -> str:
    if draw(st.integers(0, 5)) == 0:
        return draw(st.one_of(st.sampled_from(PERIOD_CELLS), st.text(max_size=8)))
    return period


@st.composite
def code_cell(draw) -> str:
    if draw(st.integers(0, 6)) == 0:
        return draw(st.one_of(st.sampled_from(JUNK_CODES), st.text(max_size=10)))
    return draw(st.sampled_from(CODES))


@st.composite
def csv_rows(draw, max_rows: int = 8, period: str = PERIOD) -> list[list[str]]:
    rows = []
    for _ in range(draw(st.integers(1, max_rows))):
        code = draw(code_cell())
        status = draw(st.sampled_from(STATUS_CELLS))
        source = draw(st.text(max_size=15))  # quotes, separators, new lines, NUL...
        cells = [draw(period_cell(period)), code, draw(value_text), draw(unit_cell(code))]
        rows.append([*cells, status, source, ""])
    return rows


# ------------------------------------------------------------------ whole files: bytes, encodings
def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _ole(*streams: str) -> bytes:
    """An OLE compound-file header followed by the UTF-16 names of some streams."""
    body = b"".join(name.encode("utf-16-le") for name in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + body


VALID_ROWS = [
    [PERIOD, "population", "280.725.428", "jiwa", "", "Dukcapil (é, ñ, “kutip”, €)", ""],
    [PERIOD, "fktp_total", "23.245", "faskes", "", "BPJS Kesehatan", "catatan: señal"],
]
VALID_TEXT = csv_bytes(VALID_ROWS).decode("utf-8")
SPECIAL_FILES = {
    "empty": b"",
    "blank lines": b"\r\n \n\t\n",
    "bom only": codecs.BOM_UTF8,
    "utf-8": VALID_TEXT.encode("utf-8"),
    "utf-8 with BOM": codecs.BOM_UTF8 + VALID_TEXT.encode("utf-8"),
    "utf-16 with BOM": VALID_TEXT.encode("utf-16"),
    "utf-16-le without BOM": VALID_TEXT.encode("utf-16-le"),
    "utf-32": VALID_TEXT.encode("utf-32"),
    "latin-1": VALID_TEXT.replace("“", '"').replace("”", '"').replace("€", "EUR").encode("latin-1"),
    "cp1252": VALID_TEXT.encode("cp1252"),
    "semicolons": csv_bytes(VALID_ROWS, separator=";"),
    "NUL bytes": VALID_TEXT.replace("BPJS", "BP\x00JS").encode("utf-8"),
    "unclosed quote": (VALID_TEXT + '2024Q1,fktp_total,"23.245,faskes\n').encode("utf-8"),
    "header only": b"period,code,value,unit\n",
    "huge field": b"period,code,value,unit\n2024Q1,population," + b"9" * 200_000 + b",jiwa\n",
    "zip, not a workbook": _zip({"hello.txt": b"not a workbook"}),
    "zip with a broken workbook": _zip(
        {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook><sheets>"}
    ),
    "empty zip": _zip({}),
    "truncated zip": _zip({"xl/workbook.xml": b"x" * 1000})[:60],
    "encrypted (OLE)": _ole("EncryptionInfo", "EncryptedPackage"),
    "legacy xls (OLE)": _ole("Workbook"),
    "bare OLE magic": b"\xd0\xcf\x11\xe0",
    "PDF": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("kind", list(SPECIAL_FILES))
def test_special_files_load_or_give_a_clear_error(kind, suffix):
    name = f"{PERIOD}/figures{suffix}"
    with data_folder() as data_dir:
        (data_dir / name).write_bytes(SPECIAL_FILES[kind])
        figures = assert_allowed_outcome(data_dir, {name})
    if kind in ("utf-8", "utf-8 with BOM", "semicolons") and suffix == ".csv":
        assert figures is not None
        assert loaded_codes(figures) == {"population", "fktp_total"}
        assert figures.record("population", PERIOD)["source"] == VALID_ROWS[0][5]
    if kind.startswith(("utf-16", "utf-32", "latin-1", "cp1252")) or suffix == ".xlsx":
        assert figures is None  # other encodings are refused, never read as mojibake


@FUZZ
@given(content=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx"]))
@example(content=b"\xff\xfe\x00", suffix=".csv")
@example(content=b"PK\x03\x04" + b"\x00" * 40, suffix=".xlsx")
def test_random_bytes_load_or_give_a_clear_error(content, suffix):
    name = f"{PERIOD}/figures{suffix}"
    with data_folder() as data_dir:
        (data_dir / name).write_bytes(content)
        assert_allowed_outcome(data_dir, {name})


@FUZZ
@given(text=st.text(max_size=400), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_random_text_in_a_csv_file(text, encoding):
    with data_folder() as data_dir:
        (data_dir / CSV_NAME).write_bytes(("period,code,value,unit\n" + text).encode(encoding))
        assert_allowed_outcome(data_dir, {CSV_NAME})


# -------------------------------------------------------------------------- CSV rows and cells
@FUZZ
@given(rows=csv_rows(), separator=st.sampled_from([",", ";"]), bom=st.booleans())
@example(rows=[[PERIOD, "population", "9" * 400, "jiwa", "", "", ""]], separator=",", bom=False)
@example(
    rows=[[PERIOD, "utilisation_growth_yoy_reported", "1" + ".000" * 120, "persen", "", "", ""]],
    separator=",",
    bom=False,
)
@example(
    rows=[[PERIOD, "premium_income", "0," + "0" * 400 + "1", "triliun rupiah", "", "", ""]],
    separator=",",
    bom=False,
)
@example(
    rows=[[PERIOD, "premium_income", "0," + "1" * 60, "rupiah", "", "", ""]],
    separator=",",
    bom=False,
)
def test_csv_rows_with_fuzzed_cells(rows, separator, bom):
    content = csv_bytes(rows, separator=separator)
    with data_folder() as data_dir:
        (data_dir / CSV_NAME).write_bytes((codecs.BOM_UTF8 if bom else b"") + content)
        figures = assert_allowed_outcome(data_dir, {CSV_NAME})
    if figures is not None:  # no filled row is silently left out
        assert loaded_codes(figures) == {row[1] for row in rows if not is_blank(row[2])}


HEADER_NAMES = [*HEADER, "label", "VALUE", " Code ", "", "row", "xlsx_percent_format", "scale"]


@FUZZ
@given(
    header=st.lists(st.sampled_from(HEADER_NAMES), min_size=1, max_size=9),
    cells=st.lists(st.sampled_from(["2024Q1", "population", "1.000", "jiwa", "", "x"]), max_size=9),
    rows=st.integers(0, 3),
)
@example(
    header=["period", "code", "value", "unit", "value"], cells=["2024Q1", "population"], rows=1
)
@example(header=["period", "code", "code", "value", "unit"], cells=["2024Q1"], rows=2)
@example(header=["period", "code", "value", "unit", "row"], cells=["2024Q1"], rows=1)
def test_csv_headers_with_missing_repeated_and_reserved_columns(header, cells, rows):
    with data_folder() as data_dir:
        (data_dir / CSV_NAME).write_bytes(csv_bytes([cells] * rows, header))
        assert_allowed_outcome(data_dir, {CSV_NAME})


@FEW
@given(
    earlier=csv_rows(max_rows=12, period="2024Q1"),
    later=csv_rows(max_rows=12, period="2024Q2"),
    also_xlsx=st.booleans(),
)
@example(  # a stock from 1e-6 to 1e16 in a quarter, a flow falling within the year
    earlier=[
        ["2024Q1", "djs_net_assets", "0,000001", "rupiah", "", "", ""],
        ["2024Q1", "premium_income", "10000", "triliun rupiah", "", "", ""],
    ],
    later=[
        ["2024Q2", "djs_net_assets", "10000", "triliun rupiah", "", "", ""],
        ["2024Q2", "premium_income", "0,000001", "rupiah", "", "", ""],
    ],
    also_xlsx=True,
)
def test_periods_compared_with_earlier_ones(earlier, later, also_xlsx):
    """Soft checks compare with the quarter before and with earlier quarters of the year; an
    error in an earlier period stops the build too. With ``also_xlsx`` the later period's rows
    are repeated in a workbook: a figure given twice is an error."""
    names = {"2024Q1/figures.csv", "2024Q2/figures.csv"}
    with data_folder() as data_dir:
        (data_dir / "2024Q2").mkdir()
        (data_dir / "2024Q1" / "figures.csv").write_bytes(csv_bytes(earlier))
        (data_dir / "2024Q2" / "figures.csv").write_bytes(csv_bytes(later))
        (data_dir / "2024Q2" / "~$figures.xlsx").write_bytes(b"lock file: never read")
        if also_xlsx:
            workbook = openpyxl.Workbook()
            for cells in [HEADER, *later]:
                workbook.active.append([_storable(value) for value in cells])
            workbook.save(data_dir / "2024Q2" / "figures.xlsx")
            names.add("2024Q2/figures.xlsx")
        figures = assert_allowed_outcome(data_dir, names, Quarter(2024, 2), published_checks=True)
    if figures is not None and also_xlsx:
        assert all(is_blank(row[2]) for row in later)


@pytest.mark.parametrize(
    ("smallest", "largest", "ok"),
    [
        ("0,000001", "10000", True),  # the limits: a stock changing by 1e24 %
        ("0,0000001", "10000", False),  # beyond them: refused before any comparison
        ("0,000001", "10000,01", False),
    ],
)
def test_extreme_values_within_the_limits_reach_the_soft_checks(smallest, largest, ok):
    earlier = [
        ["2024Q1", "djs_net_assets", smallest, "rupiah", "", "", ""],
        ["2024Q1", "premium_income", largest, "triliun rupiah", "", "", ""],
    ]
    later = [
        ["2024Q2", "djs_net_assets", largest, "triliun rupiah", "", "", ""],
        ["2024Q2", "premium_income", smallest, "rupiah", "", "", ""],
    ]
    names = {"2024Q1/figures.csv", "2024Q2/figures.csv"}
    # The figures' plausible bounds refuse such values; without them (a catalogue whose
    # bounds reach the magnitude limits), the values reach the soft checks.
    unbounded = dataclasses.replace(
        CATALOGUE,
        figures={
            code: dataclasses.replace(figure, bounds=Bounds(-LARGEST_VALUE, LARGEST_VALUE))
            for code, figure in CATALOGUE.figures.items()
        },
        indicators={
            code: dataclasses.replace(indicator, bounds=None)
            for code, indicator in CATALOGUE.indicators.items()
        },
    )
    with data_folder() as data_dir:
        (data_dir / "2024Q2").mkdir()
        (data_dir / "2024Q1" / "figures.csv").write_bytes(csv_bytes(earlier))
        (data_dir / "2024Q2" / "figures.csv").write_bytes(csv_bytes(later))
        assert_allowed_outcome(data_dir, names, Quarter(2024, 2), published_checks=True)
        shipped = validate_period(data_dir, Quarter(2024, 2))
        result = validate_period(data_dir, Quarter(2024, 2), catalogue=unbounded)
    if ok:
        assert {issue.problem for issue in shipped.errors} == {"figure_bounds"}
        assert result.errors == []
        assert {"stock_change", "flow_decrease"} <= {issue.problem for issue in result.warnings}
    else:
        assert "out_of_range" in {issue.problem for issue in shipped.errors}
        assert {issue.problem for issue in result.errors} == {"out_of_range"}


# ------------------------------------------------------------------------------ XLSX workbooks
# Numbers that openpyxl cannot write (it writes NaN and infinity as empty cells) are written as
# a placeholder number and then put into the sheet XML as they are.
RAW_NUMBERS = {
    "1e400": 7_000_001,  # infinity when read
    "-1e400": 7_000_002,
    "1e-400": 7_000_003,  # zero when read
    "9" * 400: 7_000_004,  # an integer too large for a float
    "1.7976931348623157e308": 7_000_005,
    "4.9e-324": 7_000_006,
    "nan": 7_000_007,  # openpyxl cannot even read it
}
NUMBER_FORMATS = ["General", "General", "0%", "0.00%", "#,##0", "0.00", "dd/mm/yyyy", "@"]
FORMULAS = ["=1/0", "=SUM(C2:C3)", "=C2*2", '="1.234"', "=NA()", "=TRUE"]


def numeric_cell() -> st.SearchStrategy:
    return st.one_of(
        st.floats(allow_nan=False, allow_infinity=False),
        st.floats(min_value=-1e20, max_value=1e20),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.sampled_from([0, 0.0, -0.0, 1e-300, 1e300, 5e-324, 1.7976931348623157e308, 0.7641]),
    )


xlsx_value = st.one_of(
    numeric_cell(),
    numeric_cell(),
    value_text,
    st.none(),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.sampled_from(FORMULAS),
    st.sampled_from(list(RAW_NUMBERS)).map(lambda text: ("raw", text)),
)
junk_cell = st.one_of(st.none(), st.text(max_size=8), st.integers(), st.floats(), st.booleans())
junk_row = st.one_of(
    st.lists(junk_cell, max_size=5),
    st.sampled_from(  # rows of the template's hidden sheet, headers of data sheets
        [
            ["key", "value"],
            ["quarter", "2024Q1"],
            ["quarter", "2023Q4"],
            ["quarter", None],
            ["sheet.finance", "Data"],
            ["sheet.participation", "Tidak ada"],
            ["template", "jkn-data-entry"],
            ["period", "code", "value", "unit"],
            ["period", "code"],
            ["PERIOD", "CODE", "VALUE", "UNIT", "VALUE"],
            ["2024Q1", "population", "1", "jiwa"],
        ]
    ),
)
SHEET_NAMES = ["Data", "Catatan", "Sheet 2", "_jkn", "I Kepesertaan", "x" * 31, "'quoted'"]


@st.composite
def workbooks(draw, max_rows: int = 8) -> dict:
    """A workbook description: data rows, formats, merges, title rows and junk sheets."""
    rows = []
    for _ in range(draw(st.integers(0, max_rows))):
        code = draw(code_cell())
        rows.append(
            {
                "cells": [draw(period_cell()), code, draw(xlsx_value), draw(unit_cell(code))],
                "format": draw(st.sampled_from(NUMBER_FORMATS)),
            }
        )
    merges = draw(
        st.lists(
            st.tuples(st.integers(0, max(len(rows) - 1, 0)), st.integers(1, 3), st.booleans()),
            max_size=2,
        )
    )
    junk = draw(
        st.lists(
            st.tuples(
                st.sampled_from(SHEET_NAMES),
                st.lists(junk_row, max_size=5),
            ),
            max_size=3,
        )
    )
    return {
        "rows": rows,
        "title_rows": draw(st.integers(0, 2)),
        "header": draw(st.booleans() | st.just(True)),
        "merges": merges,
        "junk": junk,
        "junk_first": draw(st.booleans()),
    }


def _storable(value: object) -> object:
    """A cell value without the control characters that XLSX cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def write_workbook(path: Path, spec: dict) -> dict[int, object]:
    """Write the workbook; return the value cell of each data row as the file holds it, by row
    number (merged-away cells left out)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    for number in range(spec["title_rows"]):
        sheet.append([f"Laporan JKN {PERIOD} ({number})"])
    if spec["header"]:
        sheet.append(["period", "code", "value", "unit"])
    first = sheet.max_row + 1 if sheet.max_row > 1 or sheet["A1"].value else 1
    values: dict[int, object] = {}
    raw: dict[int, str] = {}
    for offset, row in enumerate(spec["rows"]):
        number = first + offset
        cells = [_storable(value) for value in row["cells"]]
        if isinstance(cells[2], tuple):  # a raw number, written as its placeholder
            raw[RAW_NUMBERS[cells[2][1]]] = cells[2][1]
            cells[2] = RAW_NUMBERS[cells[2][1]]
        for column, value in enumerate(cells, start=1):
            sheet.cell(number, column, value)
        sheet.cell(number, 3).number_format = row["format"]
        values[number] = cells[2] if not isinstance(row["cells"][2], tuple) else row["cells"][2]
    for start, length, across in spec["merges"]:
        if not spec["rows"]:
            break
        top = first + start
        if across:  # value and unit cells merged
            sheet.merge_cells(start_row=top, start_column=3, end_row=top, end_column=4)
        else:  # the value cell merged down over the next rows
            bottom = min(top + length, first + len(spec["rows"]) - 1)
            if bottom > top:
                sheet.merge_cells(start_row=top, start_column=3, end_row=bottom, end_column=3)
                for number in range(top + 1, bottom + 1):
                    values[number] = None
    for index, (name, junk_rows) in enumerate(spec["junk"]):
        title = f"{name[:28]}{index}" if name in workbook.sheetnames else name
        junk_sheet = workbook.create_sheet(title, 0 if spec["junk_first"] else None)
        for cells in junk_rows:
            junk_sheet.append([_storable(value) for value in cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    if raw:
        content = _replace_numbers(content, raw)
    path.write_bytes(content)
    return values


def _replace_numbers(content: bytes, raw: dict[int, str]) -> bytes:
    def replace(data: bytes) -> bytes:
        for placeholder, text in raw.items():
            data = data.replace(f"<v>{placeholder}</v>".encode(), f"<v>{text}</v>".encode())
        return data

    return _edit_sheets(content, replace)


def _edit_sheets(content: bytes, edit) -> bytes:
    """The workbook with ``edit`` applied to the XML of every worksheet."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = edit(data)
            target.writestr(item, data)
    return buffer.getvalue()


def _rewrite_sheets(path: Path, edit) -> None:
    path.write_bytes(_edit_sheets(path.read_bytes(), edit))


def _is_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith("=")


@FUZZ
@given(spec=workbooks())
@example(
    spec={
        "rows": [
            {"cells": [PERIOD, "population", "=1/0", "jiwa"], "format": "General"},
            {"cells": [PERIOD, "fktp_total", "=SUM(C2:C3)", "faskes"], "format": "General"},
        ],
        "title_rows": 0,
        "header": True,
        "merges": [],
        "junk": [],
        "junk_first": False,
    }
)
@example(
    spec={
        "rows": [
            {"cells": [PERIOD, "population", 1e300, "triliun jiwa"], "format": "General"},
            {"cells": [PERIOD, "premium_income", 5e-324, "rupiah"], "format": "General"},
            {
                "cells": [PERIOD, "utilisation_growth_yoy_reported", 1e308, "persen"],
                "format": "0.00%",
            },
            {"cells": [PERIOD, "fktp_total", ("raw", "9" * 400), "faskes"], "format": "General"},
        ],
        "title_rows": 1,
        "header": True,
        "merges": [(0, 2, False)],
        "junk": [("Catatan", [["period", "code", "x"]])],
        "junk_first": True,
    }
)
def test_xlsx_with_fuzzed_cells_formats_merges_and_sheets(spec):
    with data_folder() as data_dir:
        values = write_workbook(data_dir / XLSX_NAME, spec)
        figures = assert_allowed_outcome(data_dir, {XLSX_NAME})
    if figures is not None and spec["header"]:
        # A formula without a stored result is never read as a number, nor silently skipped.
        assert not any(_is_formula(value) for value in values.values())
        filled = {
            row["cells"][1]
            for number, row in zip(values, spec["rows"], strict=True)
            if not is_blank(values[number]) and not isinstance(values[number], tuple)
        }
        assert filled <= loaded_codes(figures)


@pytest.mark.parametrize("formula", FORMULAS)
def test_formula_without_a_stored_result_is_refused_clearly(formula):
    spec = {
        "rows": [{"cells": [PERIOD, "population", formula, "jiwa"], "format": "General"}],
        "title_rows": 0,
        "header": True,
        "merges": [],
        "junk": [],
        "junk_first": False,
    }
    with data_folder() as data_dir:
        write_workbook(data_dir / XLSX_NAME, spec)
        assert assert_allowed_outcome(data_dir, {XLSX_NAME}) is None
        [issue] = validate_period(data_dir, QUARTER).errors
    assert issue.row == 2 and issue.code == "population"
    assert formula in issue.describe("en") and formula in issue.describe("id")


@pytest.mark.parametrize(
    ("cell", "loaded"),
    [
        # As Excel saves a formula: with its result, which is read.
        ('<c r="C2"><f>A1/1</f><v>280725428</v></c>', 280725428.0),
        ('<c r="C2" t="e"><f>A1/0</f><v>#DIV/0!</v></c>', None),  # an error is not a number
    ],
)
def test_formula_with_a_stored_result_is_read_as_its_result(cell, loaded):
    spec = {
        "rows": [{"cells": [PERIOD, "population", "=A1/1", "jiwa"], "format": "General"}],
        "title_rows": 0,
        "header": True,
        "merges": [],
        "junk": [],
        "junk_first": False,
    }
    written = b'<c r="C2"><f>A1/1</f><v /></c>'
    with data_folder() as data_dir:
        path = data_dir / XLSX_NAME
        write_workbook(path, spec)
        assert written in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
        _rewrite_sheets(path, lambda xml: xml.replace(written, cell.encode()))
        figures = assert_allowed_outcome(data_dir, {XLSX_NAME})
        errors = validate_period(data_dir, QUARTER).errors
    if loaded is None:
        assert [issue.message for issue in errors] == ["bad_number.not_a_number"]
    else:
        assert figures.value("population", PERIOD) == loaded


# ------------------------------------------------------------------------- thousands of rows
@settings(FUZZ, max_examples=3)
@given(
    filled=st.lists(st.sampled_from(CODES), max_size=20, unique=True),
    junk_value=st.sampled_from(["", "", "abc", "1.234"]),
    suffix=st.sampled_from([".csv", ".xlsx"]),
)
def test_thousands_of_rows(filled, junk_value, suffix):
    rows = [
        [PERIOD, code, plausible_text(code), unit_names(code)[1], "", "", ""] for code in filled
    ]
    rows += [[PERIOD, CODES[n % len(CODES)], junk_value, "", "", "", ""] for n in range(3000)]
    name = f"{PERIOD}/figures{suffix}"
    with data_folder() as data_dir:
        if suffix == ".csv":
            (data_dir / name).write_bytes(csv_bytes(rows))
        else:
            workbook = openpyxl.Workbook(write_only=True)
            sheet = workbook.create_sheet("Data")
            sheet.append(HEADER)
            for cells in rows:
                sheet.append(cells)
            workbook.save(data_dir / name)
        figures = assert_allowed_outcome(data_dir, {name})
    if junk_value:
        assert figures is None
    else:
        assert figures is not None and loaded_codes(figures) == set(filled)


# ------------------------------------------------------------------------------- review.yaml
YAML_TOKENS = [
    "recommendations:",
    "added:",
    "commentary:",
    "summary:",
    "claim_ratio_above_100:",
    "\n",
    "\n",
    "  ",
    "    ",
    "- ",
    "id: ",
    "en: ",
    "decision: ",
    "confirm",
    "drop",
    "edit",
    "reason: ",
    "title: ",
    "section: ",
    "finance",
    "&a ",
    "*a",
    "<<: *a",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!timestamp ",
    "!!binary ",
    "!!set ",
    "!!omap ",
    "!!str ",
    "!!python/object/apply:os.system ",
    "!foo ",
    "2024-13-45",
    "2024-02-30",
    "2024-01-01",
    "? ",
    ": ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "'",
    '"',
    "|",
    ">",
    "# ",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "\t",
    "~",
    "null",
    "1e400",
    ".inf",
    ".nan",
    "0x1F",
    "yes",
    "é",
    "\ufeff",
    "\x00",
]
REVIEW_KEYS = [
    "recommendations",
    "added",
    "commentary",
    "decision",
    "title",
    "text",
    "reason",
    "note",
    "id",
    "en",
    "section",
    "summary",
    "finance",
    "claim_ratio_above_100",
    "fktp_gatekeeper",
    "confirm",
    "drop",
]
yaml_scalar = st.one_of(
    st.sampled_from([*REVIEW_KEYS, "edit", "undecided", "", " ", "<script>x</script>"]),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.dates(),
    st.text(max_size=20),
)
yaml_data = st.recursive(
    yaml_scalar,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(REVIEW_KEYS) | yaml_scalar, children, max_size=4),
    ),
    max_leaves=25,
)
yaml_text = st.one_of(
    st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join),
    st.text(max_size=200),
    # Well-formed YAML made of the review file's words: reaches the checks of every part.
    st.dictionaries(st.sampled_from(REVIEW_KEYS[:3]), yaml_data, max_size=3).map(
        lambda document: yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    ),
)


TRIGGERED = [
    TriggeredRule(
        rule_id=rule_id,
        section=section,
        title={"id": f"Judul {rule_id}", "en": f"Title {rule_id}"},
        text={"id": f"Teks {rule_id}.", "en": f"Text {rule_id}."},
        evidence={},
        anchor={"code": "claim_ratio"},
    )
    for rule_id, section in (
        ("claim_ratio_above_100", "finance"),
        ("fktp_gatekeeper", "facilities"),
    )
]


def assert_review_outcome(data_dir: Path, text: str | bytes) -> list[DataIssue]:
    path = data_dir / PERIOD / "review.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    review, issues = load_review(data_dir, QUARTER)
    assert list(review.issues) == issues
    for issue in issues:
        assert isinstance(issue, DataIssue)
        assert issue.file == f"{PERIOD}/review.yaml"
        for language in ("id", "en"):
            text_ = issue.describe(language)
            assert isinstance(text_, str) and text_.strip() and issue.file in text_
    for language in ("id", "en"):
        outcome = apply_review(TRIGGERED, review, language)
        assert outcome.status in ("draft", "final")
        for issue in outcome.issues:
            assert issue.describe(language).strip()
    return issues


@FUZZ
@given(text=yaml_text)
@example(text="a: 2024-13-45")
@example(text="recommendations: !!int abc")
@example(text="added: !!bool maybe")
@example(text="commentary: !!timestamp yesterday")
@example(text="added: {2024-01-01: x}")
@example(text="recommendations:\n  rule: {decision: !!binary aGVsbG8=}")
@example(text="recommendations: &a [*a]")
def test_random_review_yaml_gives_issues_not_exceptions(text):
    with data_folder() as data_dir:
        assert_review_outcome(data_dir, text)


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        ("commentary:\n  summary: {id: 2024-13-45}", "review.bad_value", 2),  # not a date
        ("added:\n  - id: !!int abc", "review.bad_value", 2),
        ("added:\n\n  - id: !!int", "review.bad_value", 3),
        ("recommendations: !!bool maybe", "review.bad_value", 1),
        ("recommendations: !!timestamp yesterday", "review.bad_value", 1),
        ("added: {2024-01-01: x}", "review.wrong_type", 1),  # a date key, shown in the message
        ("recommendations:\n  x: [[[[" + "[" * 200, "review.too_deep", 2),
    ],
)
def test_review_values_pyyaml_cannot_build_are_named_with_their_line(text, problem, line):
    with data_folder() as data_dir:
        [issue] = assert_review_outcome(data_dir, text)
    assert (issue.problem, issue.row) == (problem, line)


PYTHON_TAGS = [
    '!!python/object/apply:os.system ["touch {marker}"]',
    "recommendations: !!python/object/apply:os.system ['touch {marker}']",
    "recommendations:\n  x: !!python/object/apply:subprocess.check_output [[touch, '{marker}']]",
    "!!python/object/new:os.system [touch {marker}]",
    "added:\n  - !!python/name:os.system\n",
    "commentary: !<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
]


@pytest.mark.parametrize("template", PYTHON_TAGS)
def test_python_tags_in_review_yaml_do_nothing_and_give_a_clear_issue(template):
    with data_folder() as data_dir:
        marker = data_dir / "pwned"
        issues = assert_review_outcome(data_dir, template.format(marker=marker))
        assert not marker.exists()
    assert [issue.problem for issue in issues] == ["review.syntax"]
    assert "python/" in issues[0].describe("en")


def test_deeply_nested_review_yaml_gives_a_clear_issue():
    with data_folder() as data_dir:
        [issue] = assert_review_outcome(data_dir, "recommendations: " + "[" * 5000)
    assert issue.severity == "error"


def test_alias_bomb_in_review_yaml_is_refused_quickly():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    lines += ["recommendations: *a9", "added: *a9", "commentary: *a9"]
    lines += ["recommendations2: {decision: *a9}"]
    with data_folder() as data_dir:
        issues = assert_review_outcome(data_dir, "\n".join(lines))
    assert {issue.problem for issue in issues} >= {"review.wrong_type", "review.unknown_key"}
    assert all(len(issue.describe("en")) < 600 for issue in issues)


@FEW
@given(text=yaml_text, encoding=st.sampled_from(["utf-16", "latin-1", "cp1252"]))
def test_review_yaml_in_other_encodings(text, encoding):
    content = ("commentary:\n  summary: {id: 'señal é', en: ''}\n" + text).encode(
        encoding, errors="replace"
    )
    with data_folder() as data_dir:
        issues = assert_review_outcome(data_dir, content)
    assert issues  # not UTF-8: refused (or broken YAML), never read as mojibake


# ---------------------------------------------------------------------------------- numbers
def indonesian(rounded: Decimal) -> str:
    """A rounded number written as `format_number` writes it: ``-1.234.567,50``."""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return ("-" if rounded < 0 else "") + grouped + ("," + fraction if fraction else "")


@settings(max_examples=300, deadline=None)
@given(
    x=st.floats(allow_nan=False, allow_infinity=False),
    decimals=st.integers(min_value=0, max_value=6),
)
@example(x=1e300, decimals=2)
@example(x=-1.7976931348623157e308, decimals=6)
@example(x=5e-324, decimals=6)
@example(x=76.405, decimals=2)
@example(x=-0.0004, decimals=3)
def test_parse_number_reads_back_the_indonesian_rendering(x, decimals):
    rounded = round_half_up(x, decimals)
    text = indonesian(rounded)
    if abs(x) < 1e20:  # beyond, `indonesian` (the hand rendering) writes exponents its own way
        assert format_number(x, decimals) in (text, "-" + text)  # Babel may keep "-0"
        text = format_number(x, decimals)
    assert parse_number(text).value == float(rounded)
    assert parse_number(f"({text.lstrip('-')})").value == -abs(float(rounded))


def test_format_number_of_huge_values():
    assert format_number(1e300, 2).endswith(",00")


NUMBER_TEXT = st.one_of(value_grammar, st.text(max_size=30), formatted_number)


@settings(max_examples=400, deadline=None)
@given(
    cell=st.one_of(
        NUMBER_TEXT,
        st.floats(),
        st.integers(min_value=-(10**400), max_value=10**400),
        st.booleans(),
        st.none(),
    ),
    integer_unit=st.booleans(),
    scaled=st.booleans(),
    percent_format=st.booleans(),
)
@example(cell="9" * 400, integer_unit=False, scaled=False, percent_format=False)
@example(cell="0," + "0" * 400 + "1", integer_unit=False, scaled=False, percent_format=False)
@example(cell=10**400, integer_unit=False, scaled=False, percent_format=False)
@example(cell=1.7976931348623157e308, integer_unit=False, scaled=False, percent_format=True)
def test_whatever_parse_number_accepts_is_a_finite_float(
    cell, integer_unit, scaled, percent_format
):
    try:
        parsed = parse_number(
            cell, integer_unit=integer_unit, scaled=scaled, percent_format=percent_format
        )
    except NumberFormatError as error:
        assert error.reason and str(error)
        return
    assert isinstance(parsed.value, float) and math.isfinite(parsed.value)
    assert parsed.decimals >= 0
    if isinstance(cell, str) and re.fullmatch(r"[\d.,]+", cell):
        assert parsed.value >= 0
