"""Tests for jkn_analysis.inputs.workbook: the data-entry files of a new quarter (XLSX and CSV)."""

from __future__ import annotations

import csv
import shutil
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from jkn_analysis.catalogue.definitions import load_catalogue
from jkn_analysis.catalogue.numbers import parse_scale
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.inputs.loading import load_period
from jkn_analysis.inputs.sheets import METADATA_SHEET, section_sheet_titles, sheet_title
from jkn_analysis.inputs.workbook import (
    COLUMNS,
    NOTE_REPORTED,
    PreviousValuesWarning,
    previous_quarter,
    write_data_entry_files,
)

REPOSITORY_DATA = Path(__file__).resolve().parents[1] / "data"
Q2 = Quarter(2024, 2)
SHEETS = {
    "id": ["I Kepesertaan", "II Kerja Sama Faskes", "III Kesehatan Keuangan DJS"],
    "en": ["I Participation", "II Health Facilities", "III Financial Health of the DJS"],
}
LOCKED = {"period", "code", "label", "previous"}
EDITABLE = {"unit", "value", "status", "source", "note", "as_of"}
# The header cell of the previous values, whose comment names their period.
PREVIOUS_HEADER = f"{openpyxl.utils.get_column_letter(COLUMNS.index('previous') + 1)}1"


def fill_value(code: str) -> float:
    """A value the figure accepts (its checks and its catalogue bounds): the lowest plausible
    value, or 0 where the range holds 0; in catalogue units."""
    bounds = load_catalogue().figures[code].bounds
    return 0.0 if bounds.lowest <= 0 else bounds.lowest


def fill_cell(code: str, unit_cell: str) -> float:
    """`fill_value` in the unit the template writes for the figure (``triliun rupiah``)."""
    scale, _ = parse_scale(unit_cell)
    return fill_value(code) / scale


def fill_text(code: str, unit_cell: str) -> str:
    """`fill_cell` as Indonesian text: ``200000000``, ``0,001``."""
    number = fill_cell(code, unit_cell)
    return str(int(number)) if number.is_integer() else repr(number).replace(".", ",")


def _loader_handles_templates() -> bool:
    """Whether the loader skips empty value cells (the change that also reads ``_jkn``).

    Until that change lands, a template with empty value cells cannot load without errors;
    the tests that need it are expected to fail (strict, so they must pass once it lands).
    """
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        period = Path(folder) / "2024Q2"
        period.mkdir()
        (period / "figures.csv").write_text(
            "period,code,value,unit\n2024Q2,population,,jiwa\n", encoding="utf-8"
        )
        _, issues = load_period(folder, Q2)
    return not issues


LOADER_READY = _loader_handles_templates()
needs_loader_change = pytest.mark.xfail(
    not LOADER_READY,
    reason="needs the loader change of issue 3: skip empty value cells and the _jkn sheet",
    strict=True,
)


def copy_data(target: Path, periods=("2023Q4", "2024Q1")) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for period in periods:
        shutil.copytree(REPOSITORY_DATA / period, target / period)
    return target


def section_sheets(workbook: openpyxl.Workbook) -> list:
    return [sheet for sheet in workbook.worksheets if sheet.title != METADATA_SHEET]


def sheet_rows(sheet) -> list[dict]:
    header = [cell.value for cell in sheet[1]]
    return [
        dict(zip(header, (cell.value for cell in row), strict=True))
        for row in sheet.iter_rows(min_row=2)
    ]


def workbook_cells(workbook: openpyxl.Workbook) -> dict[str, dict]:
    """Cells of each figure's row, by code: ``{code: {column: cell}}``."""
    cells = {}
    for sheet in section_sheets(workbook):
        for row in sheet.iter_rows(min_row=2):
            cells[row[1].value] = dict(zip(COLUMNS, row, strict=True))
    return cells


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def fill_workbook(path: Path, codes=None) -> dict[str, float]:
    """Enter a valid value for ``codes`` (default: every figure); return the expected values."""
    workbook = openpyxl.load_workbook(path)
    expected = {}
    for code, cells in workbook_cells(workbook).items():
        if codes is None or code in codes:
            cells["value"].value = fill_cell(code, cells["unit"].value)
            cells["source"].value = "test source"
            expected[code] = fill_value(code)
    workbook.save(path)
    return expected


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict:
    """Templates for 2024Q2 after a copy of the shipped 2023Q4 and 2024Q1, in id and en."""
    result = {}
    for language in ("id", "en"):
        data_dir = copy_data(tmp_path_factory.mktemp(f"data_{language}"))
        paths = write_data_entry_files(Q2, data_dir, language=language)
        result[language] = {
            "data_dir": data_dir,
            "paths": paths,
            "workbook": openpyxl.load_workbook(paths[0]),
        }
    return result


@pytest.fixture(scope="module")
def workbook(written) -> openpyxl.Workbook:
    return written["id"]["workbook"]


class TestPreviousQuarter:
    @pytest.mark.parametrize(
        ("quarter", "expected"),
        [(Quarter(2024, 2), Quarter(2024, 1)), (Quarter(2024, 1), Quarter(2023, 4))],
    )
    def test_expected(self, quarter, expected):
        assert previous_quarter(quarter) == expected


class TestSheetTitle:
    def test_short_title_kept(self):
        assert sheet_title("I", "Kepesertaan") == "I Kepesertaan"

    def test_long_title_writes_dan_as_ampersand(self):
        assert sheet_title("II", "Kerjasama Faskes dan Utilisasi") == (
            "II Kerjasama Faskes & Utilisasi"
        )

    def test_still_too_long_drops_whole_words(self):
        assert sheet_title("II", "Health Facilities and Utilisation") == "II Health Facilities"

    def test_forbidden_characters_dropped(self):
        assert sheet_title("III", "Keuangan/DJS: [aset]?*") == "III Keuangan DJS aset"

    def test_single_long_word_cut(self):
        assert len(sheet_title("I", "x" * 40)) == 31

    def test_titles_unique_and_valid(self):
        for language in ("id", "en"):
            titles = list(section_sheet_titles(language).values())
            assert len(set(titles)) == len(titles)
            assert all(len(title) <= 31 for title in titles)
            assert not any(set(title) & set("/\\?*[]:") for title in titles)


class TestWrittenFiles:
    def test_returns_workbook_and_csv(self, written):
        data_dir = written["id"]["data_dir"]
        folder = data_dir / "2024Q2"
        assert written["id"]["paths"] == [folder / "figures.xlsx", folder / "figures.csv"]
        assert all(path.is_file() for path in written["id"]["paths"])

    @pytest.mark.parametrize("language", ["id", "en"])
    def test_sheet_names(self, written, language):
        workbook = written[language]["workbook"]
        assert workbook.sheetnames == [*SHEETS[language], METADATA_SHEET]
        assert workbook[METADATA_SHEET].sheet_state == "hidden"
        assert all(sheet.sheet_state == "visible" for sheet in section_sheets(workbook))
        assert workbook.active.title == SHEETS[language][0]

    def test_header_row_exact(self, workbook, written):
        for sheet in section_sheets(workbook):
            assert [cell.value for cell in sheet[1]] == [
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
            ]
            assert sheet.freeze_panes == "D2"
            assert all(cell.font.b for cell in sheet[1])
            assert all(cell.comment is not None for cell in sheet[1])
        with written["id"]["paths"][1].open(encoding="utf-8") as handle:
            assert handle.readline().strip() == ",".join(COLUMNS)

    def test_one_row_per_figure_in_catalogue_order(self, workbook):
        catalogue = load_catalogue()
        codes = [row["code"] for sheet in section_sheets(workbook) for row in sheet_rows(sheet)]
        assert codes == list(catalogue.figures)
        for sheet, section in zip(section_sheets(workbook), catalogue.sections, strict=True):
            assert {catalogue.figures[row["code"]].section for row in sheet_rows(sheet)} == {
                section
            }

    def test_prefilled_cells(self, workbook):
        rows = {row["code"]: row for s in section_sheets(workbook) for row in sheet_rows(s)}
        assert {row["period"] for row in rows.values()} == {"2024Q2"}
        assert all(row[c] is None for row in rows.values() for c in ("value", "status", "source"))
        units = {code: row["unit"] for code, row in rows.items()}
        assert units["active_total"] == "jiwa"
        assert units["fktp_total"] == "faskes"
        assert units["visits_rjtl"] == "kunjungan"
        assert units["rjtl_cases_dialysis"] == "kasus"
        assert units["premium_income"] == "triliun rupiah"
        assert units["djs_investment_yield"] == "persen"
        assert units["months_covered_reported"] == "bulan"

    def test_reported_indicators_get_a_note(self, workbook):
        catalogue = load_catalogue()
        rows = [row for s in section_sheets(workbook) for row in sheet_rows(s)]
        for row in rows:
            reported = catalogue.figures[row["code"]].reported_indicator
            assert row["note"] == (NOTE_REPORTED["id"] if reported else None)
        assert NOTE_REPORTED["id"] == "isi hanya bila dipublikasikan tanpa data masukan"

    def test_labels_in_each_language(self, written):
        id_cells = workbook_cells(written["id"]["workbook"])
        en_cells = workbook_cells(written["en"]["workbook"])
        assert id_cells["active_total"]["label"].value == "Total peserta aktif"
        assert en_cells["active_total"]["label"].value == "Total active participants"
        assert en_cells["bopo_reported"]["note"].value == (
            "fill only when published without its inputs"
        )
        assert en_cells["active_total"]["unit"].value == "jiwa"  # data units stay Indonesian
        header_value = written["en"]["workbook"]["I Participation"]["E1"]
        assert "Enter the number" in header_value.comment.text
        assert "Isi angka" in written["id"]["workbook"]["I Kepesertaan"]["E1"].comment.text

    def test_locked_and_unlocked_cells(self, workbook):
        for sheet in section_sheets(workbook):
            assert sheet.protection.sheet is True
            assert not sheet.protection.password
            assert all(cell.protection.locked for cell in sheet[1])
            for row in sheet.iter_rows(min_row=2):
                for name, cell in zip(COLUMNS, row, strict=True):
                    assert cell.protection.locked is (name in LOCKED), (sheet.title, name)
                    colour = cell.fill.start_color.rgb
                    assert colour == ("00E7E6E6" if name in LOCKED else "00FFF7CC")
        assert workbook.security.lockStructure
        assert not workbook.security.workbookPassword

    def test_status_validation_list(self, workbook):
        for sheet in section_sheets(workbook):
            (validation,) = sheet.data_validations.dataValidation
            assert validation.type == "list"
            assert validation.formula1 == '"reported,derived"'
            assert validation.allow_blank
            assert str(validation.sqref) == f"F2:F{sheet.max_row}"

    def test_no_formulas(self, workbook):
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                assert all(cell.data_type != "f" for cell in row)

    def test_csv_has_the_same_rows(self, written):
        workbook = written["id"]["workbook"]
        rows = read_csv(written["id"]["paths"][1])
        cells = workbook_cells(workbook)
        assert [row["code"] for row in rows] == list(cells)
        for row in rows:
            for name in ("period", "code", "label", "unit", "note"):
                assert row[name] == (cells[row["code"]][name].value or "")
            assert row["value"] == row["status"] == row["source"] == ""
        by_code = {row["code"]: row for row in rows}
        assert by_code["active_total"]["previous"] == "214.501.609"
        assert by_code["claims_expense_total"]["previous"] == "43,32"

    def test_metadata_sheet(self, workbook):
        sheet = workbook[METADATA_SHEET]
        assert [cell.value for cell in sheet[1]] == ["key", "value"]
        meta = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2)}
        assert meta["template"] == "jkn-data-entry"
        assert meta["template_version"] == "1"
        assert meta["quarter"] == "2024Q2"
        assert meta["language"] == "id"
        assert len(meta["catalogue_sha256"]) == 64
        assert [meta[f"sheet.{key}"] for key in load_catalogue().sections] == SHEETS["id"]
        assert sheet.protection.sheet

    def test_pandas_reads_every_sheet_with_header_in_row_one(self, written):
        sheets = pd.read_excel(written["id"]["paths"][0], sheet_name=None, dtype=object)
        assert list(sheets) == [*SHEETS["id"], METADATA_SHEET]
        for title in SHEETS["id"]:
            assert list(sheets[title].columns) == list(COLUMNS)
            assert sheets[title]["value"].isna().all()


class TestPreviousValues:
    def test_from_latest_earlier_period(self, workbook):
        cells = workbook_cells(workbook)
        assert cells["active_total"]["previous"].value == 214_501_609
        assert cells["fktp_total"]["previous"].value == 23_245
        assert cells["fkrtl_total"]["previous"].value == 3_112  # 2024Q1, not 2023Q4's 3.120
        assert cells["registered_participants"]["previous"].value == 269_500_000

    def test_converted_to_the_prefilled_unit(self, workbook):
        cells = workbook_cells(workbook)
        assert cells["claims_expense_total"]["previous"].value == pytest.approx(43.32)
        assert cells["djs_surplus_reported"]["previous"].value == pytest.approx(-2.177)
        assert cells["djs_investment_yield"]["previous"].value == pytest.approx(1.67)

    def test_numbers_formatted_indonesian_style(self, workbook):
        cells = workbook_cells(workbook)
        assert cells["active_total"]["previous"].data_type == "n"
        assert cells["active_total"]["previous"].number_format == "[$-421]#,##0"
        assert cells["claims_expense_total"]["previous"].number_format == "[$-421]#,##0.00"
        assert cells["djs_surplus_reported"]["previous"].number_format == "[$-421]#,##0.000"

    def test_missing_figure_left_empty(self, workbook):
        # Neither 2023Q4 nor 2024Q1 has the FKTP types.
        assert workbook_cells(workbook)["fktp_puskesmas"]["previous"].value is None

    def test_header_names_the_period(self, workbook):
        comment = workbook["I Kepesertaan"][PREVIOUS_HEADER].comment.text
        assert comment.startswith("Nilai 2024Q1")

    def test_falls_back_to_an_older_period(self, tmp_path):
        data_dir = copy_data(tmp_path)
        q1_file = data_dir / "2024Q1" / "figures.csv"
        lines = q1_file.read_text("utf-8").splitlines(keepends=True)
        q1_file.write_text("".join(x for x in lines if ",fkrtl_total," not in x), "utf-8")
        xlsx, _ = write_data_entry_files(Q2, data_dir)
        cell = workbook_cells(openpyxl.load_workbook(xlsx))["fkrtl_total"]["previous"]
        assert cell.value == 3_120
        assert cell.comment.text == "Nilai 2023Q4"

    def test_later_periods_are_not_used(self, tmp_path):
        data_dir = copy_data(tmp_path)
        xlsx, _ = write_data_entry_files(Quarter(2023, 3), data_dir)
        cells = workbook_cells(openpyxl.load_workbook(xlsx))
        assert all(cells[code]["previous"].value is None for code in cells)

    def test_no_earlier_data(self, tmp_path):
        xlsx, csv_path = write_data_entry_files(Q2, tmp_path / "new-data", language="en")
        workbook = openpyxl.load_workbook(xlsx)
        assert all(row["previous"].value is None for row in workbook_cells(workbook).values())
        assert (
            workbook["I Participation"][PREVIOUS_HEADER].comment.text
            == "No earlier period has data."
        )
        assert {row["previous"] for row in read_csv(csv_path)} == {""}

    def test_earlier_data_with_errors_leaves_previous_empty(self, tmp_path):
        data_dir = copy_data(tmp_path)
        q1_file = data_dir / "2024Q1" / "figures.csv"
        text = q1_file.read_text("utf-8").replace("2024Q1,fktp_total,23.245", "2024Q1,fktp_total,x")
        q1_file.write_text(text, "utf-8")
        with pytest.warns(PreviousValuesWarning, match="fktp_total"):
            xlsx, csv_path = write_data_entry_files(Q2, data_dir)
        workbook = openpyxl.load_workbook(xlsx)
        assert all(row["previous"].value is None for row in workbook_cells(workbook).values())
        assert workbook["I Kepesertaan"][PREVIOUS_HEADER].comment.text.startswith("PERHATIAN")
        assert len(read_csv(csv_path)) == len(load_catalogue().figures)


class TestNeverOverwrites:
    def test_second_run_refused_and_files_untouched(self, tmp_path):
        xlsx, csv_path = write_data_entry_files(Q2, tmp_path)
        csv_path.write_text(csv_path.read_text("utf-8") + "# analyst's work\n", "utf-8")
        before = {path: path.read_bytes() for path in (xlsx, csv_path)}
        with pytest.raises(FileExistsError) as caught:
            write_data_entry_files(Q2, tmp_path)
        message = str(caught.value)
        assert str(tmp_path / "2024Q2") in message
        assert "figures.csv" in message and "figures.xlsx" in message
        assert "hapus" in message  # in the default language, Indonesian: "or delete them"
        assert {path: path.read_bytes() for path in (xlsx, csv_path)} == before

    @pytest.mark.parametrize("name", ["bpjs.xlsx", "figures.csv", "Data.CSV"])
    def test_any_data_file_blocks_and_nothing_is_written(self, tmp_path, name):
        folder = tmp_path / "2024Q2"
        folder.mkdir()
        (folder / name).write_text("period,code,value,unit\n", "utf-8")
        with pytest.raises(FileExistsError, match=name.replace(".", r"\.")):
            write_data_entry_files(Q2, tmp_path)
        assert sorted(path.name for path in folder.iterdir()) == [name]

    def test_other_files_do_not_block(self, tmp_path):
        folder = tmp_path / "2024Q2"
        folder.mkdir()
        (folder / "README.txt").write_text("sumber: BPJS Kesehatan", "utf-8")
        paths = write_data_entry_files(Q2, tmp_path)
        assert sorted(path.name for path in folder.iterdir()) == [
            "README.txt",
            "figures.csv",
            "figures.xlsx",
        ]
        assert paths[0].parent == folder

    def test_unknown_language(self, tmp_path):
        with pytest.raises(ValueError, match="language"):
            write_data_entry_files(Q2, tmp_path, language="fr")
        assert not (tmp_path / "2024Q2").exists()


class TestLoadsWithTheLoader:
    def test_filled_workbook_yields_every_figure(self, tmp_path):
        xlsx, csv_path = write_data_entry_files(Q2, copy_data(tmp_path))
        csv_path.unlink()  # an analyst fills one of the two files
        expected = fill_workbook(xlsx)
        frame, issues = load_period(tmp_path, Q2)
        # Section sheets load cleanly; the hidden _jkn sheet is the loader's to skip.
        assert [issue for issue in issues if issue.sheet != METADATA_SHEET] == []
        loaded = dict(zip(frame["code"], frame["value"], strict=True))
        assert loaded == pytest.approx(expected)
        assert set(loaded) == set(load_catalogue().figures)
        assert set(frame["source"]) == {"test source"}

    @needs_loader_change
    def test_filled_workbook_loads_without_errors(self, tmp_path):
        xlsx, csv_path = write_data_entry_files(Q2, tmp_path)
        csv_path.unlink()
        fill_workbook(xlsx)
        _, issues = load_period(tmp_path, Q2)
        assert issues == []

    def test_filled_csv_round_trips(self, tmp_path):
        xlsx, csv_path = write_data_entry_files(Q2, tmp_path)
        xlsx.unlink()
        rows = read_csv(csv_path)
        for row in rows:
            row["value"] = fill_text(row["code"], row["unit"])
        with csv_path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        frame, issues = load_period(tmp_path, Q2)
        assert issues == []
        assert dict(zip(frame["code"], frame["value"], strict=True)) == pytest.approx(
            {row["code"]: fill_value(row["code"]) for row in rows}
        )

    @needs_loader_change
    def test_unfilled_files_load_as_an_empty_period(self, tmp_path):
        write_data_entry_files(Q2, copy_data(tmp_path))
        frame, issues = load_period(tmp_path, Q2)
        assert issues == []
        assert frame.empty

    @needs_loader_change
    def test_partly_filled_workbook_beside_unfilled_csv(self, tmp_path):
        xlsx, _ = write_data_entry_files(Q2, copy_data(tmp_path))
        expected = fill_workbook(xlsx, codes={"active_total", "claims_expense_total"})
        frame, issues = load_period(tmp_path, Q2)
        assert issues == []
        assert dict(zip(frame["code"], frame["value"], strict=True)) == pytest.approx(expected)
        assert expected == {"active_total": 50e6, "claims_expense_total": 1e12}


def test_written_without_warnings(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_data_entry_files(Q2, copy_data(tmp_path))


class TestAsOfColumn:
    """The ``as_of`` column: the month the source gives a figure at, read back by the loader."""

    @pytest.mark.parametrize(
        ("language", "words"),
        [
            ("id", "Kosongkan untuk akhir triwulan."),
            ("en", "Leave empty for the end of the quarter."),
        ],
    )
    def test_header_comment(self, written, language, words):
        sheet = section_sheets(written[language]["workbook"])[0]
        header = sheet.cell(row=1, column=COLUMNS.index("as_of") + 1)
        assert header.value == "as_of"
        assert "YYYY-MM" in header.comment.text and "2024Q2" in header.comment.text
        assert header.comment.text.endswith(words)

    def test_cells_are_editable_text(self, workbook):
        cells = workbook_cells(workbook)["bopo_reported"]["as_of"]
        assert cells.value is None
        assert cells.number_format == "@"  # a typed 2024-06 stays a month, not a date
        assert cells.protection.locked is False

    def test_csv_has_the_column_empty(self, written):
        with written["id"]["paths"][1].open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert all(row["as_of"] == "" for row in rows)

    def test_filled_month_is_read_back(self, tmp_path):
        data_dir = copy_data(tmp_path)
        xlsx, csv_path = write_data_entry_files(Q2, data_dir, language="id")
        csv_path.unlink()
        workbook = openpyxl.load_workbook(xlsx)
        for sheet in section_sheets(workbook):
            for cells in sheet.iter_rows(min_row=2):
                by_name = dict(zip(COLUMNS, cells, strict=True))
                if by_name["code"].value == "fktp_total":
                    by_name["value"].value = 23_300
                    by_name["as_of"].value = "2024-08"
        workbook.save(xlsx)
        records, issues = load_period(data_dir, Q2)
        assert not issues
        assert records.set_index("code").at["fktp_total", "as_of"] == "2024-08"
