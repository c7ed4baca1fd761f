"""The messages of `jkn-report validate`: every hard error and soft check, in both languages.

Each case writes a small data folder, runs `validate_period` and compares the full text of
`DataIssue.describe` in Indonesian and English (with catalogue labels, as the report prints
them): file, sheet, row, figure code and label, what was expected and what was found.
"""

from __future__ import annotations

import dataclasses
import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import openpyxl
import pytest

from jkn_analysis.catalogue.definitions import load_catalogue
from jkn_analysis.catalogue.numbers import NUMBER_REASONS
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.checks import validate_period
from jkn_analysis.inputs.validation import (
    MESSAGES,
    DataIssue,
    ValidationResult,
    format_validation,
)
from tests.datafiles import HEADER, write_csv, write_xlsx

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
CATALOGUE = load_catalogue()
Q1 = Quarter(2024, 1)


def row(code: str, value, unit: str, *, period: str = "2024Q1", status: str = "") -> list:
    return [period, code, value, unit, status, "test source", ""]


def texts(issue: DataIssue) -> tuple[str, str]:
    return issue.describe("id", CATALOGUE), issue.describe("en", CATALOGUE)


def only(issues: list[DataIssue]) -> DataIssue:
    assert len(issues) == 1, [issue.describe("en") for issue in issues]
    return issues[0]


TEMPLATE_SHEETS = ["I Kepesertaan", "II Kerja Sama Faskes", "III Kesehatan Keuangan DJS"]
TEMPLATE_METADATA = {
    "template": "jkn-data-entry",
    "quarter": "2024Q1",
    **{
        f"sheet.{key}": title
        for key, title in zip(CATALOGUE.sections, TEMPLATE_SHEETS, strict=True)
    },
}


# --------------------------------------------------------------------------- hard errors: rows
ROW_CASES = [
    (
        "unknown_code",
        [row("bogus_code", "5", "jiwa")],
        "2024Q1/figures.csv, baris 2, bogus_code: kode figur 'bogus_code' tidak dikenal di katalog",
        "2024Q1/figures.csv, row 2, bogus_code: figure code 'bogus_code' is not in the catalogue",
    ),
    (
        "unknown_code",
        [row("active_pbii", "5", "jiwa")],
        "2024Q1/figures.csv, baris 2, active_pbii: kode figur 'active_pbii' tidak dikenal di "
        "katalog; mungkin maksudnya 'active_pbi'",
        "2024Q1/figures.csv, row 2, active_pbii: figure code 'active_pbii' is not in the "
        "catalogue; did you mean 'active_pbi'?",
    ),
    (
        "missing_code",
        [["2024Q1", "", "96.725.576", "jiwa", "", "", ""]],
        "2024Q1/figures.csv, baris 2: baris ini berisi nilai '96.725.576', tetapi kolom code "
        "kosong; diharapkan kode figur",
        "2024Q1/figures.csv, row 2: this row holds the value '96.725.576', but its code cell is "
        "empty; expected a code",
    ),
    (
        "duplicate",
        [row("fktp_total", "23.245", "faskes"), row("fktp_total", "23.254", "faskes")],
        "2024Q1/figures.csv, baris 3, fktp_total (FKTP bekerja sama): figur 'fktp_total' diisi "
        "lebih dari sekali (juga di 2024Q1/figures.csv, baris 2)",
        "2024Q1/figures.csv, row 3, fktp_total (Contracted primary care facilities (FKTP)): "
        "figure 'fktp_total' is given more than once (also at 2024Q1/figures.csv, row 2)",
    ),
    (
        "bad_number",
        [row("premium_income", "abc", "triliun rupiah")],
        "2024Q1/figures.csv, baris 2, premium_income (Pendapatan iuran): nilai tidak dapat "
        "dibaca sebagai angka: 'abc' bukan angka; diharapkan angka seperti 96.701.058, 38,6, "
        "(28.148) atau 76,41%",
        "2024Q1/figures.csv, row 2, premium_income (Premium income): value cannot be read as a "
        "number: 'abc' is not a number; expected a number such as 96.701.058, 38,6, (28.148) or "
        "76,41%",
    ),
    (
        "bad_number",
        [row("claims_expense_total", "1.234", "triliun")],
        "2024Q1/figures.csv, baris 2, claims_expense_total (Beban jaminan kesehatan): nilai "
        "tidak dapat dibaca sebagai angka: '1.234' dapat berarti 1.234 (titik sebagai pemisah "
        "ribuan) atau 1,234 (titik sebagai tanda desimal); tulis '1,234' dengan koma desimal "
        "atau '1234' tanpa pemisah",
        "2024Q1/figures.csv, row 2, claims_expense_total (Claims expense): value cannot be read "
        "as a number: '1.234' could mean 1,234 (dot as thousands separator) or 1.234 (dot as "
        "decimal point); write '1,234' with a decimal comma or '1234' without separators",
    ),
    (
        "bad_number",
        [row("bopo_reported", "101.210", "persen", status="reported")],
        "2024Q1/figures.csv, baris 2, bopo_reported (Rasio beban terhadap dana operasional dan "
        "pendapatan investasi (BOPO)): nilai tidak dapat dibaca sebagai angka: '101.210' dapat "
        "berarti 101.210 (titik sebagai pemisah ribuan) atau 101,21 (titik sebagai tanda "
        "desimal); tulis '101,210' dengan koma desimal atau '101210' tanpa pemisah",
        "2024Q1/figures.csv, row 2, bopo_reported (Operating expense to operational fund and "
        "investment income (BOPO)): value cannot be read as a number: '101.210' could mean "
        "101,210 (dot as thousands separator) or 101.21 (dot as decimal point); write '101,210' "
        "with a decimal comma or '101210' without separators",
    ),
    (
        "bad_number",
        [row("fktp_total", "(-5)", "faskes")],
        "2024Q1/figures.csv, baris 2, fktp_total (FKTP bekerja sama): nilai tidak dapat dibaca "
        "sebagai angka: '(-5)' bertanda negatif dua kali; diharapkan (28.148) atau -28.148",
        "2024Q1/figures.csv, row 2, fktp_total (Contracted primary care facilities (FKTP)): "
        "value cannot be read as a number: '(-5)' is negative twice; expected (28.148) or "
        "-28.148",
    ),
    (
        "bad_number",
        [row("active_pbi", "38.6", "jiwa")],
        "2024Q1/figures.csv, baris 2, active_pbi (Penerima Bantuan Iuran (PBI)): nilai tidak "
        "dapat dibaca sebagai angka: '38.6' memuat pecahan, padahal figur ini menghitung "
        "satuan utuh",
        "2024Q1/figures.csv, row 2, active_pbi (Contribution assistance recipients (PBI)): value "
        "cannot be read as a number: '38.6' has a fraction, but this figure counts whole units",
    ),
    (
        "negative",
        [row("fkrtl_total", "(3.112)", "faskes")],
        "2024Q1/figures.csv, baris 2, fkrtl_total (FKRTL bekerja sama): nilai negatif (3.112) "
        "untuk figur yang tidak boleh negatif",
        "2024Q1/figures.csv, row 2, fkrtl_total (Contracted referral facilities (FKRTL)): "
        "negative value (3.112) for a figure that cannot be negative",
    ),
    (
        "percent_range",
        [row("registered_coverage_target", "120,5", "persen")],
        "2024Q1/figures.csv, baris 2, registered_coverage_target (Target cakupan kepesertaan "
        "terhadap penduduk): persentase harus antara 0 dan 100, ditemukan 120,5",
        "2024Q1/figures.csv, row 2, registered_coverage_target (Registered coverage target): "
        "percentage must lie between 0 and 100, found 120,5",
    ),
    (
        "percent_range",
        [row("djs_investment_yield_target", "101%", "%")],
        "2024Q1/figures.csv, baris 2, djs_investment_yield_target (Target YoI DJS (ICK)): "
        "persentase harus antara 0 dan 100, ditemukan 101%",
        "2024Q1/figures.csv, row 2, djs_investment_yield_target (DJS YoI target (ICK)): "
        "percentage must lie between 0 and 100, found 101%",
    ),
    (
        "not_positive",
        [row("population", "0", "jiwa")],
        "2024Q1/figures.csv, baris 2, population (Jumlah penduduk): nilai harus lebih dari nol, "
        "ditemukan 0",
        "2024Q1/figures.csv, row 2, population (Population): value must be above zero, found 0",
    ),
    (
        "not_integer",
        [row("active_bp", "5.150.013,5", "jiwa")],
        "2024Q1/figures.csv, baris 2, active_bp (Bukan Pekerja (BP)): figur ini menghitung "
        "satuan utuh, ditemukan 5.150.013,5",
        "2024Q1/figures.csv, row 2, active_bp (Non-workers (BP)): this figure counts whole "
        "units, found 5.150.013,5",
    ),
    (
        "bad_unit",
        [row("population", "280.725.428", "persen")],
        "2024Q1/figures.csv, baris 2, population (Jumlah penduduk): satuan 'persen' tidak "
        "sesuai; diharapkan jiwa / persons",
        "2024Q1/figures.csv, row 2, population (Population): unit 'persen' does not fit; "
        "expected jiwa / persons",
    ),
    (
        "bad_unit",
        [row("djs_investment_yield", "1,67", "juta persen")],
        "2024Q1/figures.csv, baris 2, djs_investment_yield (Imbal hasil investasi (YoI) DJS): "
        "satuan 'juta persen' tidak sesuai; diharapkan persen / percent tanpa kata skala (ribu, "
        "juta, miliar, triliun)",
        "2024Q1/figures.csv, row 2, djs_investment_yield (DJS yield on investment (YoI)): unit "
        "'juta persen' does not fit; expected persen / percent without a scale word (thousand, "
        "million, billion, trillion)",
    ),
    (
        "bad_unit",
        [row("fktp_target", "1,5%", "faskes")],
        "2024Q1/figures.csv, baris 2, fktp_target (Target ICK FKTP bekerja sama): nilai '1,5%' "
        "bertanda persen, padahal satuan figur ini faskes / facilities",
        "2024Q1/figures.csv, row 2, fktp_target (ICK target for contracted FKTPs): value '1,5%' "
        "carries a percent sign, but this figure is in faskes / facilities",
    ),
    (
        "bad_status",
        [row("active_pbi", "96.725.576", "jiwa", status="final")],
        "2024Q1/figures.csv, baris 2, active_pbi (Penerima Bantuan Iuran (PBI)): status 'final' "
        "tidak dikenal; yang boleh: kosong, reported, derived",
        "2024Q1/figures.csv, row 2, active_pbi (Contribution assistance recipients (PBI)): "
        "status 'final' is unknown; allowed: empty, reported, derived",
    ),
    (
        "wrong_period",
        [row("fktp_total", "23.245", "faskes", period="2023Q4")],
        "2024Q1/figures.csv, baris 2, fktp_total (FKTP bekerja sama): baris untuk periode "
        "2023Q4, padahal berkas ini untuk 2024Q1",
        "2024Q1/figures.csv, row 2, fktp_total (Contracted primary care facilities (FKTP)): row "
        "is for period 2023Q4, but this file is for 2024Q1",
    ),
    (
        "wrong_period",
        [row("fktp_total", "23.245", "faskes", period="")],
        "2024Q1/figures.csv, baris 2, fktp_total (FKTP bekerja sama): kolom period kosong; "
        "diharapkan 2024Q1",
        "2024Q1/figures.csv, row 2, fktp_total (Contracted primary care facilities (FKTP)): the "
        "period cell is empty; expected 2024Q1",
    ),
    (
        "file_period",
        [
            row("fktp_total", "23.245", "faskes", period="2024Q2"),
            row("fkrtl_total", "3.112", "faskes", period="2024Q2"),
        ],
        "2024Q1/figures.csv: semua baris di sini untuk periode 2024Q2, padahal berkas ini dibaca "
        "untuk 2024Q1 (folder 2024Q1/)",
        "2024Q1/figures.csv: every row here is for period 2024Q2, but this file is read for "
        "2024Q1 (folder 2024Q1/)",
    ),
    (
        "extra_fields",
        [["2024Q1", "fktp_total", "23", "245", "faskes", "", "test source", "catatan"]],
        "2024Q1/figures.csv, baris 2: baris ini berisi 8 kolom, padahal baris judul berisi 7; "
        "baris ini tidak dibaca (ada pemisah atau tanda kutip yang berlebih?)",
        "2024Q1/figures.csv, row 2: this row has 8 fields, but the header row has 7; the row is "
        "not read (a stray separator or quote?)",
    ),
]


@pytest.mark.parametrize(
    ("problem", "rows", "indonesian", "english"),
    ROW_CASES,
    ids=[f"{case[0]}-{number}" for number, case in enumerate(ROW_CASES)],
)
def test_row_error_message(tmp_path, problem, rows, indonesian, english):
    write_csv(tmp_path, "2024Q1", rows)
    result = validate_period(tmp_path, Q1)
    issue = only(result.errors)
    assert issue.problem == problem
    assert issue.severity == "error"
    assert texts(issue) == (indonesian, english)
    assert not result.ok


# -------------------------------------------------------------------- hard errors: files, sheets
def _password_protected(data_dir: Path) -> None:
    folder = data_dir / "2024Q1"
    folder.mkdir(parents=True)
    (folder / "figures.xlsx").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00junk" * 200)


def _corrupt_xlsx(data_dir: Path) -> None:
    path = write_xlsx(data_dir, "2024Q1", {"data": [row("fktp_total", 23_245, "faskes")[:4]]})
    path.write_bytes(path.read_bytes()[:300])  # a zip cut short


def _legacy_xls(data_dir: Path) -> None:
    folder = data_dir / "2024Q1"
    folder.mkdir(parents=True)
    directory = "Workbook".encode("utf-16-le")
    (folder / "figures.xlsx").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + directory * 4)


def _latin1_csv(data_dir: Path) -> None:
    folder = data_dir / "2024Q1"
    folder.mkdir(parents=True)
    text = "period,code,value,unit,note\n2024Q1,fktp_total,23.245,faskes,Kementerian Kesehatan é\n"
    (folder / "figures.csv").write_bytes(text.encode("latin-1"))


def _empty_csv(data_dir: Path) -> None:
    folder = data_dir / "2024Q1"
    folder.mkdir(parents=True)
    (folder / "figures.csv").write_text("\n", encoding="utf-8")


def _broken_quote_csv(data_dir: Path) -> None:
    folder = data_dir / "2024Q1"
    folder.mkdir(parents=True)
    (folder / "figures.csv").write_text(
        'period,code,value,unit\n2024Q1,fktp_total,"23.245"x,faskes\n', encoding="utf-8"
    )


def _missing_column(data_dir: Path) -> None:
    write_csv(data_dir, "2024Q1", [["2024Q1", "fktp_total", "23.245"]], header=HEADER[:3])


def _missing_sheet(data_dir: Path) -> None:
    sheets = {name: [] for name in TEMPLATE_SHEETS[:2]}
    sheets["I Kepesertaan"] = [row("active_pbi", 96_725_576, "jiwa")[:4]]
    write_xlsx(data_dir, "2024Q1", sheets, metadata=TEMPLATE_METADATA)


def _section_sheet_without_header(data_dir: Path) -> None:
    sheets = {name: [] for name in TEMPLATE_SHEETS}
    sheets["III Kesehatan Keuangan DJS"] = [["Isian keuangan"]]
    write_xlsx(data_dir, "2024Q1", sheets, header=(), metadata=None)
    workbook = openpyxl.load_workbook(data_dir / "2024Q1" / "figures.xlsx")
    for name in TEMPLATE_SHEETS[:2]:
        workbook[name].append(["period", "code", "value", "unit"])
    workbook.save(data_dir / "2024Q1" / "figures.xlsx")


def _no_data_sheet(data_dir: Path) -> None:
    write_xlsx(data_dir, "2024Q1", {"Catatan": [["Data menyusul"]]}, header=())


def _template_of_another_quarter(data_dir: Path) -> None:
    metadata = {**TEMPLATE_METADATA, "quarter": "2024Q2"}
    write_xlsx(data_dir, "2024Q1", {name: [] for name in TEMPLATE_SHEETS}, metadata=metadata)


def _duplicate_across_files(data_dir: Path) -> None:
    write_csv(data_dir, "2024Q1", [row("fktp_total", "23.245", "faskes")])
    write_xlsx(data_dir, "2024Q1", {"data": [["2024Q1", "fktp_total", 23_245, "faskes"]]})


def _no_files(data_dir: Path) -> None:
    (data_dir / "2024Q1").mkdir(parents=True)
    (data_dir / "2024Q1" / "notes.txt").write_text("later", encoding="utf-8")


FILE_CASES: list[tuple[str, Callable[[Path], None], str, str]] = [
    (
        "password_protected",
        _password_protected,
        "2024Q1/figures.xlsx: berkas dilindungi kata sandi, sehingga tidak dapat dibaca; "
        "diharapkan buku kerja tanpa kata sandi: buka di Excel, hapus kata sandinya, lalu simpan",
        "2024Q1/figures.xlsx: the file is protected with a password, so it cannot be read; "
        "expected a workbook without a password: open it in Excel, remove the password and "
        "save it",
    ),
    (
        "unreadable",
        _corrupt_xlsx,
        "2024Q1/figures.xlsx: berkas tidak dapat dibaca: bukan buku kerja XLSX yang utuh (rusak "
        "atau berformat lain); buka di Excel lalu simpan ulang sebagai .xlsx",
        "2024Q1/figures.xlsx: the file cannot be read: it is not an intact XLSX workbook "
        "(damaged, or another format); open it in Excel and save it again as .xlsx",
    ),
    (
        "unreadable",
        _legacy_xls,
        "2024Q1/figures.xlsx: berkas tidak dapat dibaca: ini buku kerja Excel 97-2003 (.xls) "
        "yang diberi nama .xlsx; buka di Excel lalu simpan ulang sebagai .xlsx",
        "2024Q1/figures.xlsx: the file cannot be read: it is an Excel 97-2003 workbook (.xls) "
        "named .xlsx; open it in Excel and save it again as .xlsx",
    ),
    (
        "unreadable",
        _latin1_csv,
        "2024Q1/figures.csv: berkas tidak dapat dibaca: teksnya bukan UTF-8; simpan ulang "
        'sebagai "CSV UTF-8"',
        "2024Q1/figures.csv: the file cannot be read: its text is not UTF-8; save it again as "
        '"CSV UTF-8"',
    ),
    (
        "unreadable",
        _empty_csv,
        "2024Q1/figures.csv: berkas tidak dapat dibaca: berkas kosong; diharapkan baris judul "
        "dengan kolom period, code, value, unit",
        "2024Q1/figures.csv: the file cannot be read: it is empty; expected a header row with "
        "the columns period, code, value, unit",
    ),
    (
        "unreadable",
        _broken_quote_csv,
        "2024Q1/figures.csv, baris 2: berkas tidak dapat dibaca: susunan CSV-nya rusak di baris "
        "ini atau sebelumnya (misalnya tanda kutip yang tidak ditutup); simpan ulang dari Excel "
        "sebagai CSV UTF-8",
        "2024Q1/figures.csv, row 2: the file cannot be read: its CSV structure breaks at this "
        "row or before (an unclosed quote, for example); save it again from Excel as CSV UTF-8",
    ),
    (
        "missing_column",
        _missing_column,
        "2024Q1/figures.csv, baris 1: kolom 'unit' tidak ada",
        "2024Q1/figures.csv, row 1: column 'unit' is missing",
    ),
    (
        "missing_sheet",
        _missing_sheet,
        "2024Q1/figures.xlsx: lembar 'III Kesehatan Keuangan DJS' tidak ada; buku kerja templat "
        "harus memuat lembar 'I Kepesertaan', 'II Kerja Sama Faskes', 'III Kesehatan "
        "Keuangan DJS'; ditemukan: 'I Kepesertaan', 'II Kerja Sama Faskes'",
        "2024Q1/figures.xlsx: sheet 'III Kesehatan Keuangan DJS' is missing; a template workbook "
        "must hold the sheets 'I Kepesertaan', 'II Kerja Sama Faskes', 'III Kesehatan "
        "Keuangan DJS'; found: 'I Kepesertaan', 'II Kerja Sama Faskes'",
    ),
    (
        "no_data_sheet",
        _no_data_sheet,
        "2024Q1/figures.xlsx: tidak ada lembar dengan baris judul period, code, value, unit; "
        "lembar yang ditemukan: 'Catatan'",
        "2024Q1/figures.xlsx: no sheet has a header row with period, code, value, unit; sheets "
        "found: 'Catatan'",
    ),
    (
        "file_period",
        _template_of_another_quarter,
        "2024Q1/figures.xlsx: semua baris di sini untuk periode 2024Q2, padahal berkas ini "
        "dibaca untuk 2024Q1 (folder 2024Q1/)",
        "2024Q1/figures.xlsx: every row here is for period 2024Q2, but this file is read for "
        "2024Q1 (folder 2024Q1/)",
    ),
    (
        "duplicate",
        _duplicate_across_files,
        "2024Q1/figures.xlsx, lembar data, baris 2, fktp_total (FKTP bekerja sama): figur "
        "'fktp_total' diisi lebih dari sekali (juga di 2024Q1/figures.csv, baris 2)",
        "2024Q1/figures.xlsx, sheet data, row 2, fktp_total (Contracted primary care facilities "
        "(FKTP)): figure 'fktp_total' is given more than once (also at 2024Q1/figures.csv, row "
        "2)",
    ),
]


@pytest.mark.parametrize(
    ("problem", "setup", "indonesian", "english"),
    FILE_CASES,
    ids=[case[1].__name__.strip("_") for case in FILE_CASES],
)
def test_file_error_message(tmp_path, problem, setup, indonesian, english):
    setup(tmp_path)
    issue = only(validate_period(tmp_path, Q1).errors)  # reported, not raised
    assert issue.problem == problem
    assert texts(issue) == (indonesian, english)


def test_missing_sheets_are_each_reported(tmp_path):
    # Marked by the hidden _jkn sheet; its section sheet titles are the ones required.
    write_xlsx(tmp_path, "2024Q1", {"I Kepesertaan": []}, metadata=TEMPLATE_METADATA)
    errors = validate_period(tmp_path, Q1).errors
    assert [issue.details["sheet_name"] for issue in errors] == TEMPLATE_SHEETS[1:]


def test_a_sheet_named_after_a_section_marks_a_template_workbook(tmp_path):
    write_xlsx(tmp_path, "2024Q1", {"Kepesertaan": [["2024Q1", "fktp_total", 23245, "faskes"]]})
    errors = validate_period(tmp_path, Q1).errors
    assert [issue.details["sheet_name"] for issue in errors] == TEMPLATE_SHEETS[1:]


def test_the_data_entry_template_validates_filled_or_not(tmp_path):
    from jkn_analysis.inputs.workbook import write_data_entry_files

    xlsx, csv_path = write_data_entry_files(Q1, tmp_path, language="en")
    result = validate_period(tmp_path, Q1)
    assert (result.errors, result.warnings) == ([], [])
    assert result.missing == list(CATALOGUE.figures)
    workbook = openpyxl.load_workbook(xlsx)
    del workbook[workbook.sheetnames[1]]  # "II Health Facilities"
    workbook.save(xlsx)
    issue = only(validate_period(tmp_path, Q1).errors)
    assert issue.describe("en").startswith(
        "2024Q1/figures.xlsx: sheet 'II Health Facilities' is missing; a template workbook must "
        "hold the sheets 'I Participation', 'II Health Facilities', "
    )
    assert csv_path.exists()


def test_template_section_sheet_without_header(tmp_path):
    _section_sheet_without_header(tmp_path)
    errors = validate_period(tmp_path, Q1).errors
    assert [(issue.problem, issue.sheet, issue.row) for issue in errors] == [
        ("missing_column", "III Kesehatan Keuangan DJS", 1)
    ] * 4
    assert texts(errors[0]) == (
        "2024Q1/figures.xlsx, lembar III Kesehatan Keuangan DJS, baris 1: kolom 'period' tidak ada",
        "2024Q1/figures.xlsx, sheet III Kesehatan Keuangan DJS, row 1: column 'period' is missing",
    )


def test_a_period_without_files(tmp_path):
    _no_files(tmp_path)
    result = validate_period(tmp_path, Q1)
    issue = only(result.errors)
    folder = tmp_path / "2024Q1"
    assert texts(issue) == (
        f"tidak ada berkas .csv atau .xlsx untuk periode 2024Q1 (folder {folder})",
        f"there are no .csv or .xlsx files for period 2024Q1 (folder {folder})",
    )
    assert result.missing == list(CATALOGUE.figures)


def test_sheets_without_a_header_are_not_data_sheets(tmp_path):
    write_xlsx(
        tmp_path,
        "2024Q1",
        {
            "Petunjuk": [["Isi kolom value dengan angka"], ["lalu simpan"]],
            "data": [
                ["period", "code", "value", "unit"],
                ["2024Q1", "fktp_total", 23_245, "faskes"],
            ],
        },
        header=(),
    )
    result = validate_period(tmp_path, Q1)
    assert result.errors == []
    assert "fktp_total" not in result.missing


def test_header_below_a_title_keeps_row_numbers(tmp_path):
    write_xlsx(
        tmp_path,
        "2024Q1",
        {
            "data": [
                ["Data JKN triwulan I 2024"],
                [],
                ["period", "code", "value", "unit"],
                ["2024Q1", "fktp_total", -5, "faskes"],
            ]
        },
        header=(),
    )
    issue = only(validate_period(tmp_path, Q1).errors)
    assert (issue.problem, issue.sheet, issue.row) == ("negative", "data", 4)


# ------------------------------------------------------------------- everything reported at once
def test_every_planted_mistake_is_reported_at_once(tmp_path):
    write_csv(
        tmp_path,
        "2024Q1",
        [
            row("active_pbi", "96.725.576", "jiwa"),  # 2: fine
            row("bogus_code", "5", "jiwa"),  # 3
            row("fkrtl_total", "-5", "faskes"),  # 4
            row("active_pbpu", "", "jiwa"),  # 5: unfilled, skipped
            [""] * 7,  # 6: empty row, skipped
            row("premium_income", "1.234", "triliun rupiah"),  # 7
            row("registered_coverage_target", "120", "persen"),  # 8
            row("fktp_total", "23.245", "faskes", period="2023Q4"),  # 9
        ],
    )
    write_xlsx(
        tmp_path,
        "2024Q1",
        {
            "keuangan": [
                ["2024Q1", "active_pbi", 96_725_576, "jiwa"],  # 2: given in the CSV too
                ["2024Q1", "claims_expense_total", "banyak", "triliun rupiah"],  # 3
                [None, None, None, None],  # 4
                ["2024Q1", "population", 0, "jiwa"],  # 5
            ]
        },
    )
    (tmp_path / "2024Q1" / "locked.xlsx").write_bytes(bytes.fromhex("D0CF11E0") + b"x" * 64)
    write_csv(tmp_path, "2023Q4", [row("fktp_total", "x", "faskes", period="2023Q4")])
    result = validate_period(tmp_path, Q1)
    assert [(issue.problem, issue.file, issue.sheet, issue.row) for issue in result.errors] == [
        ("unknown_code", "2024Q1/figures.csv", "", 3),
        ("negative", "2024Q1/figures.csv", "", 4),
        ("bad_number", "2024Q1/figures.csv", "", 7),
        ("percent_range", "2024Q1/figures.csv", "", 8),
        ("wrong_period", "2024Q1/figures.csv", "", 9),
        ("duplicate", "2024Q1/figures.xlsx", "keuangan", 2),
        ("bad_number", "2024Q1/figures.xlsx", "keuangan", 3),
        ("not_positive", "2024Q1/figures.xlsx", "keuangan", 5),
        ("password_protected", "2024Q1/locked.xlsx", "", None),
        # an earlier period the report compares with: reported too, after the period's own
        ("bad_number", "2023Q4/figures.csv", "", 2),
    ]
    report = format_validation(result, "id", show_missing=False)
    assert report.startswith("2024Q1: 10 kesalahan, 0 peringatan\n")
    for issue in result.errors:
        assert f"  - {issue.describe('id', CATALOGUE)}\n" in report
    assert report.endswith(
        "Laporan 2024Q1 tidak dapat dibuat sebelum kesalahan di atas diperbaiki.\n"
    )


def test_errors_follow_the_workbook_order_of_sheets(tmp_path):
    write_xlsx(
        tmp_path,
        "2024Q1",
        {
            "zeta": [["2024Q1", "fktp_total", -1, "faskes"]],
            "alpha": [
                ["2024Q1", "fkrtl_total", -1, "faskes"],
                ["2024Q1", "fktp_total", 23245, ""],
            ],
        },
    )
    errors = validate_period(tmp_path, Q1).errors
    assert [(issue.sheet, issue.row, issue.problem) for issue in errors] == [
        ("zeta", 2, "negative"),
        ("alpha", 2, "negative"),
        ("alpha", 3, "duplicate"),
    ]


def test_a_duplicated_figure_is_not_listed_as_missing(tmp_path):
    write_csv(tmp_path, "2024Q1", [row("fktp_total", "23.245", "faskes")] * 2)
    result = validate_period(tmp_path, Q1)
    assert [issue.problem for issue in result.errors] == ["duplicate"]
    assert "fktp_total" not in result.missing


# ------------------------------------------------------------------------- unfilled rows, numbers
def test_empty_value_cells_are_skipped(tmp_path):
    write_csv(
        tmp_path,
        "2024Q1",
        [
            row("active_pbi", "", "jiwa"),
            row("active_pbpu", "   ", "jiwa", status="reported"),
            ["2024Q1", "bogus_code", "", "jiwa", "", "", ""],  # an unfilled row is not read
            [""] * 7,
            row("fkrtl_total", "-5", "faskes"),  # row 6
        ],
    )
    write_xlsx(
        tmp_path,
        "2024Q1",
        {"data": [["2024Q1", "fktp_total", None, "faskes"], [None] * 4, ["2024Q1", "x", " ", ""]]},
    )
    result = validate_period(tmp_path, Q1)
    issue = only(result.errors)
    assert (issue.problem, issue.row) == ("negative", 6)
    for code in ("active_pbi", "active_pbpu", "fktp_total"):
        assert code in result.missing


@pytest.mark.parametrize(
    ("code", "value", "unit", "expected"),
    [
        ("active_pbi", "96.701.058", "jiwa", 96_701_058.0),
        ("active_pbi", 96_701_058, "jiwa", 96_701_058.0),
        ("fktp_doctor_practice_change_reported", "(2.148)", "faskes", -2_148.0),
        ("djs_investment_yield", "5,41%", "persen", 5.41),
        ("djs_investment_yield", "5,41", "%", 5.41),
        ("premium_income", "38,6", "triliun", 38.6e12),
        ("premium_income", "38,6", "triliun rupiah", 38.6e12),
        ("premium_income", 38.6, "Triliun Rupiah", 38.6e12),
        ("registered_participants", "269,5", "juta jiwa", 269_500_000.0),
    ],
)
def test_indonesian_numbers_are_read(tmp_path, code, value, unit, expected):
    if isinstance(value, str):
        write_csv(tmp_path, "2024Q1", [row(code, value, unit)])
    else:
        write_xlsx(tmp_path, "2024Q1", {"data": [["2024Q1", code, value, unit]]})
    result = validate_period(tmp_path, Q1)
    assert result.errors == []
    assert code not in result.missing


def test_percent_formatted_cells_and_semicolon_csv(tmp_path):
    path = write_xlsx(
        tmp_path, "2024Q1", {"data": [["2024Q1", "djs_investment_yield", 0.0541, "persen"]]}
    )
    workbook = openpyxl.load_workbook(path)
    workbook["data"]["C2"].number_format = "0.00%"  # Excel holds 5,41% as 0.0541
    workbook.save(path)
    folder = tmp_path / "2024Q1"
    (folder / "more.csv").write_text(
        "period;code;value;unit\n2024Q1;premium_income;38,6;triliun rupiah\n", encoding="utf-8"
    )
    from jkn_analysis.indicators.checks import load_figures

    figures = load_figures(tmp_path)
    assert figures.value("djs_investment_yield", Q1) == 5.41
    assert figures.value("premium_income", Q1) == 38.6e12


# --------------------------------------------------------------------------------- soft checks
def _warnings(tmp_path, periods: dict[str, list[list]], quarter: Quarter = Q1, **options):
    for period, rows in periods.items():
        write_csv(tmp_path, period, rows)
    result = validate_period(tmp_path, quarter, **options)
    assert result.errors == []
    return result.warnings


SOFT_CASES = [
    (
        "parts_sum",
        {
            "2024Q1": [
                row("djs_investment_total", "79,16", "triliun rupiah"),
                row("djs_investment_deposits", "44,29", "triliun rupiah"),
                row("djs_investment_government_bonds", "34,8", "triliun rupiah"),
            ]
        },
        "djs_investment_total (Dana investasi DJS), 2024Q1: rincian djs_investment_deposits + "
        "djs_investment_government_bonds berjumlah 79.090.000.000.000, berbeda "
        "-70.000.000.000 dari total 79.160.000.000.000",
        "djs_investment_total (DJS investment portfolio), 2024Q1: parts djs_investment_deposits "
        "+ djs_investment_government_bonds add up to 79,090,000,000,000, -70,000,000,000 away "
        "from the total 79,160,000,000,000",
    ),
    (
        "registered_vs_non_active",
        {
            "2024Q1": [
                row("registered_participants", "269,5", "juta jiwa"),
                row("active_total", "214.501.609", "jiwa"),
                row("non_active_total", "47,36", "juta jiwa"),
            ]
        },
        "non_active_total (Peserta non aktif), 2024Q1: peserta terdaftar dikurangi peserta "
        "aktif = 54.998.391, sedangkan peserta non aktif menurut alasan = 47.360.000 (selisih "
        "7.638.391)",
        "non_active_total (Non-active participants), 2024Q1: registered minus active "
        "participants = 54,998,391, while non-active participants by reason = 47,360,000 (a gap "
        "of 7,638,391)",
    ),
    (
        "flow_decrease",
        {
            "2024Q1": [row("claims_expense_total", "43,32", "triliun rupiah")],
            "2024Q2": [row("claims_expense_total", "40,1", "triliun rupiah", period="2024Q2")],
        },
        "2024Q2/figures.csv, baris 2, claims_expense_total (Beban jaminan kesehatan): nilai "
        "kumulatif sejak Januari 40.100.000.000.000 lebih kecil daripada 43.320.000.000.000 pada "
        "2024Q1 (2024Q1/figures.csv, baris 2); nilai kumulatif tidak dapat turun dalam tahun "
        "yang sama",
        "2024Q2/figures.csv, row 2, claims_expense_total (Claims expense): year-to-date value "
        "40,100,000,000,000 is smaller than 43,320,000,000,000 in 2024Q1 (2024Q1/figures.csv, "
        "row 2); a total from 1 January cannot fall within the year",
    ),
    (
        "stock_change",
        {
            "2023Q4": [row("fktp_total", "20.000", "faskes", period="2023Q4")],
            "2024Q1": [row("fktp_total", "23.245", "faskes")],
        },
        "2024Q1/figures.csv, baris 2, fktp_total (FKTP bekerja sama): nilai 23.245 berubah "
        "16,2% dibanding 20.000 pada 2023Q4 (2023Q4/figures.csv, baris 2); perubahan lebih dari "
        "15% dalam satu triwulan perlu diperiksa",
        "2024Q1/figures.csv, row 2, fktp_total (Contracted primary care facilities (FKTP)): "
        "value 23,245 changed by 16.2% from 20,000 in 2023Q4 (2023Q4/figures.csv, row 2); a "
        "change of more than 15% in one quarter should be checked",
    ),
    (
        "ick_copy",
        {
            "2023Q1": [row("active_bp", "4.185.730", "jiwa", period="2023Q1")],
            "2024Q1": [
                row("ick_target_bp", "4.479.259", "jiwa"),
                row("ick_realised_bp", "4.185.730", "jiwa"),
            ],
        },
        "2024Q1/figures.csv, baris 3, ick_realised_bp (Realisasi ICK peserta aktif BP): "
        "realisasi ICK 4.185.730 sama persis dengan nilai active_bp (Bukan Pekerja (BP)) "
        "periode 2023Q1 (2023Q1/figures.csv, baris 2); mungkin tersalin dari angka lain di "
        "laporan sumber",
        "2024Q1/figures.csv, row 3, ick_realised_bp (ICK active participants realised, BP): "
        "ICK realisation 4,185,730 is exactly the value of active_bp (Non-workers (BP)) for "
        "2023Q1 (2023Q1/figures.csv, row 2); possibly copied from another figure in the source "
        "report",
    ),
]


@pytest.mark.parametrize(
    ("problem", "periods", "indonesian", "english"), SOFT_CASES, ids=[c[0] for c in SOFT_CASES]
)
def test_soft_check_message(tmp_path, problem, periods, indonesian, english):
    quarter = Quarter.parse(max(periods))
    issue = only(_warnings(tmp_path, periods, quarter))
    assert (issue.severity, issue.problem) == ("warning", problem)
    assert texts(issue) == (indonesian, english)


class TestFlowDecrease:
    def flows(self, tmp_path, values: dict[str, str], code="visits_rjtp", unit="juta kunjungan"):
        periods = {p: [row(code, v, unit, period=p)] for p, v in values.items()}
        return _warnings(tmp_path, periods, Quarter.parse(max(values)))

    def test_first_quarter_is_not_compared_with_the_year_before(self, tmp_path):
        assert self.flows(tmp_path, {"2023Q4": "500", "2024Q1": "130"}) == []

    def test_compared_with_the_latest_earlier_quarter_of_the_year(self, tmp_path):
        issue = only(self.flows(tmp_path, {"2024Q1": "130", "2024Q2": "260", "2024Q3": "250"}))
        assert issue.details["other"].period == "2024Q2"
        issue = only(self.flows(tmp_path / "gap", {"2024Q1": "130", "2024Q3": "120"}))
        assert issue.details["other"].period == "2024Q1"

    def test_equal_or_growing_totals_are_fine(self, tmp_path):
        assert self.flows(tmp_path, {"2024Q1": "130", "2024Q2": "130", "2024Q3": "390"}) == []

    def test_flows_that_may_be_negative_are_not_checked(self, tmp_path):
        values = {"2024Q1": "(1,2)", "2024Q2": "(2,5)"}
        warnings = self.flows(tmp_path, values, "djs_surplus_reported", "triliun rupiah")
        assert warnings == []


class TestStockChange:
    PERIODS: ClassVar[dict[str, list[list]]] = {
        "2023Q4": [row("fktp_total", "20.000", "faskes", period="2023Q4")],
        "2024Q1": [row("fktp_total", "23.245", "faskes")],
    }

    def test_threshold_argument_overrides_the_setting(self, tmp_path):
        assert _warnings(tmp_path, self.PERIODS, max_stock_change_percent=20) == []
        issue = only(validate_period(tmp_path, Q1, max_stock_change_percent=5).warnings)
        assert issue.details["threshold"] == 5.0
        assert "more than 5% in one quarter" in issue.describe("en")

    def test_setting_of_the_catalogue(self, tmp_path):
        assert CATALOGUE.setting("stock_change_warning_percent") == 15.0
        strict = dataclasses.replace(CATALOGUE, settings={"stock_change_warning_percent": 1.0})
        for period, rows in self.PERIODS.items():
            write_csv(
                tmp_path, period, [*rows, row("fkrtl_total", "3.100", "faskes", period=period)]
            )
        warnings = validate_period(tmp_path, Q1, catalogue=strict).warnings
        assert [issue.code for issue in warnings] == ["fktp_total"]  # fkrtl: 0%

    def test_only_the_quarter_immediately_before(self, tmp_path):
        periods = {
            "2023Q3": [row("fktp_total", "20.000", "faskes", period="2023Q3")],
            "2024Q1": [row("fktp_total", "23.245", "faskes")],
        }
        assert _warnings(tmp_path, periods) == []

    def test_falls_are_checked_too(self, tmp_path):
        periods = {
            "2023Q4": [row("active_total", "213.542.188", "jiwa", period="2023Q4")],
            "2024Q1": [row("active_total", "150.000.000", "jiwa")],
        }
        issue = only(_warnings(tmp_path, periods))
        assert issue.details["change"] == -29.8

    def test_published_changes_and_percentages_are_not_stocks_to_check(self, tmp_path):
        periods = {
            "2023Q4": [
                row("fktp_doctor_practice_change_reported", "100", "faskes", period="2023Q4"),
                row("djs_investment_yield", "5", "persen", period="2023Q4"),
            ],
            "2024Q1": [
                row("fktp_doctor_practice_change_reported", "(300)", "faskes"),
                row("djs_investment_yield", "1,67", "persen"),
            ],
        }
        assert _warnings(tmp_path, periods) == []


class TestIckCopy:
    def test_same_figure_of_an_earlier_period(self, tmp_path):
        periods = {
            "2023Q4": [row("ick_realised_ppu", "52.196.033", "jiwa", period="2023Q4")],
            "2024Q1": [row("ick_realised_ppu", "52.196.033", "jiwa")],
        }
        issue = only(_warnings(tmp_path, periods))
        assert issue.details["other"].period == "2023Q4"
        assert issue.details["other"].code == "ick_realised_ppu"

    def test_later_periods_and_other_units_are_not_compared(self, tmp_path):
        periods = {
            "2024Q1": [
                row("ick_realised_pbpu", "41.756.673", "jiwa"),
                row("visits_ritp", "41.756.673", "kunjungan"),
            ],
            "2024Q2": [row("active_pbpu", "41.756.673", "jiwa", period="2024Q2")],
        }
        assert _warnings(tmp_path, periods) == []

    def test_active_participants_of_the_same_period_may_be_equal(self, tmp_path):
        periods = {
            "2024Q1": [
                row("active_bp", "5.150.013", "jiwa"),
                row("ick_realised_bp", "5.150.013", "jiwa"),
                row("ick_target_pbpu", "51.756.673", "jiwa"),
                row("ick_realised_pbpu", "51.756.673", "jiwa"),  # realised = target: copied?
            ]
        }
        issue = only(_warnings(tmp_path, periods))
        assert (issue.code, issue.details["other"].code) == ("ick_realised_pbpu", "ick_target_pbpu")

    def test_different_values_do_not_warn(self, tmp_path):
        periods = {
            "2024Q1": [
                row("active_bp", "5.150.013", "jiwa"),
                row("ick_realised_bp", "5.150.014", "jiwa"),
            ]
        }
        assert _warnings(tmp_path, periods) == []


# ------------------------------------------------------------------------------- shipped data
@pytest.mark.parametrize(
    "quarter", sorted(path.name for path in DATA_DIR.iterdir() if path.is_dir())
)
def test_shipped_data_has_no_errors(quarter):
    assert validate_period(DATA_DIR, Quarter.parse(quarter)).errors == []


def test_shipped_2024q1_gives_the_known_warnings():
    result = validate_period(DATA_DIR, Q1)
    assert result.ok
    assert [(issue.problem, issue.code) for issue in result.warnings] == [
        ("parts_sum", "djs_investment_total"),
        ("registered_vs_non_active", "non_active_total"),
        ("ick_copy", "ick_realised_bp"),
    ]
    assert texts(result.warnings[2]) == (
        "2024Q1/figures.csv, baris 27, ick_realised_bp (Realisasi ICK peserta aktif BP): "
        "realisasi ICK 4.185.730 sama persis dengan nilai active_bp (Bukan Pekerja (BP)) "
        "periode 2023Q1 (2023Q1/figures.csv, baris 8); mungkin tersalin dari angka lain di "
        "laporan sumber",
        "2024Q1/figures.csv, row 27, ick_realised_bp (ICK active participants realised, BP): "
        "ICK realisation 4,185,730 is exactly the value of active_bp (Non-workers (BP)) for "
        "2023Q1 (2023Q1/figures.csv, row 8); possibly copied from another figure in the source "
        "report",
    )
    assert "claims_expense_rjtp" in result.missing
    assert "claims_expense_total" not in result.missing


def test_published_checks_add_the_appendix_comparison_of_published_values():

    result = validate_period(DATA_DIR, Q1, published_checks=True)
    assert [issue.problem for issue in result.warnings] == [
        "parts_sum",
        "registered_vs_non_active",
        "ick_copy",
        "reported_vs_computed",
    ]
    assert texts(result.warnings[-1]) == (
        "non_active_share_of_registered_reported (Persentase peserta non aktif (dipublikasikan)), "
        "2024Q1: nilai dipublikasikan 18,8 berbeda dengan hasil hitung 17,6",
        "non_active_share_of_registered_reported (Non-active share of registered (as "
        "published)), 2024Q1: published value 18.8 differs from the computed 17.6",
    )


def test_shipped_2024q1_at_ten_percent_also_flags_non_active_participants():
    result = validate_period(DATA_DIR, Q1, max_stock_change_percent=10)
    assert len(result.warnings) == 4
    (issue,) = [issue for issue in result.warnings if issue.problem == "stock_change"]
    assert (issue.problem, issue.code) == ("stock_change", "non_active_total")
    assert issue.describe("id", CATALOGUE).endswith(
        "nilai 47.360.000 berubah -11,9% dibanding 53.760.000 pada 2023Q4 (2023Q4/figures.csv, "
        "baris 15); perubahan lebih dari 10% dalam satu triwulan perlu diperiksa"
    )


# ------------------------------------------------------------------------- the printed report
class TestFormatValidation:
    def test_shipped_2024q1_in_both_languages(self):
        result = validate_period(DATA_DIR, Q1)
        indonesian = format_validation(result, "id")
        english = format_validation(result, "en")
        assert indonesian.splitlines()[0] == "2024Q1: 0 kesalahan, 3 peringatan"
        assert english.splitlines()[0] == "2024Q1: 0 errors, 3 warnings"
        assert "Peringatan (dicantumkan di lampiran laporan):" in indonesian
        assert "Warnings (listed in the report's appendix):" in english
        assert "Kesalahan" not in indonesian
        assert f"Figur tanpa nilai untuk 2024Q1 ({len(result.missing)}):" in indonesian
        assert "  - claims_expense_rjtp (Beban jaminan RJTP)\n" in indonesian
        assert "  - claims_expense_rjtp (Claims expense, RJTP)\n" in english
        assert indonesian.endswith("\nLaporan 2024Q1 dapat dibuat.\n")
        assert english.endswith("\nThe report of 2024Q1 can be built.\n")

    def test_errors_come_before_warnings_and_english_counts_are_singular(self):
        error = DataIssue(
            "error", "negative", "2024Q1/figures.csv", 4, "fkrtl_total", "2024Q1", {"found": "-5"}
        )
        warning = DataIssue(
            "warning",
            "parts_sum",
            code="active_bp",
            period="2024Q1",
            details={"parts": "a + b", "found": 1.0, "expected": 2.0, "difference": -1.0},
        )
        result = ValidationResult([error], [warning], [], "2024Q1")
        assert not result.ok
        assert format_validation(result, "en", show_missing=False) == (
            "2024Q1: 1 error, 1 warning\n"
            "\n"
            "Errors (the report cannot be built until they are fixed):\n"
            "  - 2024Q1/figures.csv, row 4, fkrtl_total (Contracted referral facilities "
            "(FKRTL)): negative value -5 for a figure that cannot be negative\n"
            "\n"
            "Warnings (listed in the report's appendix):\n"
            "  - active_bp (Non-workers (BP)), 2024Q1: parts a + b add up to 1, -1 away from the "
            "total 2\n"
            "\n"
            "The report of 2024Q1 cannot be built until the errors above are fixed.\n"
        )

    def test_unknown_language_is_refused(self):
        with pytest.raises(ValueError, match="language"):
            format_validation(ValidationResult([], [], [], "2024Q1"), "fr")


# ----------------------------------------------------------------------------- message table
def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_exists_in_both_languages_with_the_same_placeholders(key):
    assert set(MESSAGES[key]) == {"id", "en"}
    if key != "report.counts":  # English adds its plural words
        assert _placeholders(MESSAGES[key]["id"]) == _placeholders(MESSAGES[key]["en"])
    indonesian = re.sub(r"\{[^}]*\}", "", MESSAGES[key]["id"])  # English words in Indonesian?
    assert not re.search(r"\b(row|sheet|file|found|expected|cannot)\b", indonesian)


@pytest.mark.parametrize("reason", sorted(NUMBER_REASONS))
def test_every_number_reason_has_a_message(reason):
    assert f"bad_number.{reason}" in MESSAGES
