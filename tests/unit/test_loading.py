"""Unit tests for jkn_analysis.inputs.loading: reading and checking data/<QUARTER>/*.csv|xlsx."""

from __future__ import annotations

from pathlib import Path

import pytest

from jkn_analysis.catalogue.definitions import load_catalogue
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.checks import load_figures
from jkn_analysis.inputs.figures import FigureSet
from jkn_analysis.inputs.loading import FIGURE_COLUMNS, available_periods, load_period, period_files
from jkn_analysis.inputs.validation import DataIssue, DataValidationError, Place
from tests.datafiles import HEADER, write_csv, write_xlsx

Q1 = Quarter(2024, 1)


def row(code: str, value, unit: str, status: str = "", period: str = "2024Q1") -> list:
    return [period, code, value, unit, status, "test source", ""]


def load_errors(data_dir: Path) -> list[DataIssue]:
    with pytest.raises(DataValidationError) as caught:
        load_figures(data_dir)
    return caught.value.issues


def summary(issues: list[DataIssue]) -> set[tuple]:
    return {(issue.problem, issue.file, issue.row, issue.code) for issue in issues}


class TestLoadFiguresValid:
    @pytest.fixture
    def figures(self, tmp_path) -> FigureSet:
        write_csv(
            tmp_path,
            "2024Q1",
            [
                row("active_pbi", "96.725.576", "jiwa"),
                row("registered_participants", "269,5", "juta jiwa"),
                row("premium_income", "38,6", "triliun rupiah"),
                row("claims_expense_total", "43,32", "T"),
                row("bpjs_investment_return", "156,78", "miliar rupiah"),
                row("visits_ritp", "703,7", "ribu kunjungan"),
                row("non_active_share_of_registered_reported", "18,8", "persen", "Reported"),
                row("djs_investment_yield", "1,67%", "%"),
                row("djs_surplus_reported", "(2,177)", "triliun rupiah", "reported"),
                row("months_covered_reported", "3,98", "bulan", "reported"),
                row("bopo_reported", "101,21", "persen", "reported"),
                row("fktp_total", "23.245", "faskes"),
                row("population", "280.725.428", "persons"),
                row("premium_income_target", "160,42", "triliun idr"),
                row("djs_net_assets", "-1", "rupiah"),
            ],
        )
        return load_figures(tmp_path)

    @pytest.mark.parametrize(
        ("code", "expected"),
        [
            ("active_pbi", 96_725_576.0),
            ("registered_participants", 269_500_000.0),
            ("premium_income", 3.86e13),
            ("claims_expense_total", 4.332e13),
            ("bpjs_investment_return", 1.5678e11),
            ("visits_ritp", 703_700.0),
            ("non_active_share_of_registered_reported", 18.8),
            ("djs_investment_yield", 1.67),
            ("djs_surplus_reported", -2.177e12),
            ("months_covered_reported", 3.98),
            ("bopo_reported", 101.21),  # unbounded percent: above 100 is fine
            ("fktp_total", 23_245.0),
            ("population", 280_725_428.0),
            ("premium_income_target", 1.6042e14),
            ("djs_net_assets", -1.0),  # may be negative
        ],
    )
    def test_values_are_scaled_to_catalogue_units(self, figures, code, expected):
        assert figures.value(code, Q1) == expected  # exact: scaling goes through Decimal

    def test_record_names_file_row_and_status(self, figures):
        record = figures.record("premium_income", "2024Q1")
        assert record["file"] == "2024Q1/figures.csv"
        assert record["row"] == 4
        assert record["status"] == "observed"
        assert record["source"] == "test source"
        reported = figures.record("non_active_share_of_registered_reported", Q1)
        assert reported["status"] == "reported"  # lower-cased

    def test_absent_figures_are_none(self, figures):
        assert figures.value("active_total", Q1) is None
        assert figures.value("premium_income", "2023Q4") is None
        assert not figures.has("active_total", Q1)

    def test_periods(self, figures):
        assert figures.periods == [Q1]

    def test_reads_bom_and_extra_columns(self, tmp_path):
        path = tmp_path / "2024Q1" / "figures.csv"
        path.parent.mkdir()
        path.write_text(
            "\ufeffPeriod,Code,Value,Unit,Label\n2024Q1, fktp_total ,23.245,faskes,FKTP\n",
            encoding="utf-8",
        )
        assert load_figures(tmp_path).value("fktp_total", Q1) == 23_245.0

    def test_blank_rows_are_skipped(self, tmp_path):
        write_csv(tmp_path, "2024Q1", [row("fktp_total", "23.245", "faskes"), [""] * 7])
        assert load_figures(tmp_path).value("fktp_total", Q1) == 23_245.0

    def test_missing_optional_columns(self, tmp_path):
        write_csv(
            tmp_path,
            "2024Q1",
            [["2024Q1", "fktp_total", "23.245", "faskes"]],
            header=HEADER[:4],
        )
        record = load_figures(tmp_path).record("fktp_total", Q1)
        assert record["value"] == 23_245.0
        assert record["status"] == "observed"


class TestDerivedTotals:
    def test_total_derived_from_complete_parts_across_levels(self, tmp_path):
        write_csv(
            tmp_path,
            "2024Q1",
            [
                row("active_pbi", "96.725.576", "jiwa"),
                row("active_ppu_pn", "18.107.072", "jiwa"),
                row("active_ppu_bumn", "1.365.398", "jiwa"),
                row("active_ppu_private", "34.322.071", "jiwa"),
                row("active_pbpu", "16.279.347", "jiwa"),
                row("active_bp_pn", "4.710.300", "jiwa"),
                row("active_bp_private", "439.713", "jiwa"),
                row("active_pbpu_pemda", "42.552.132", "jiwa"),
            ],
        )
        figures = load_figures(tmp_path)
        expected = {
            "active_ppu_non_pn": 35_687_469.0,
            "active_bp": 5_150_013.0,
            "active_non_pbi": 75_223_901.0,
            "active_total": 214_501_609.0,  # a total of derived sub-totals
        }
        for code, value in expected.items():
            record = figures.record(code, Q1)
            assert record is not None, code
            assert record["value"] == value, code
            assert record["status"] == "derived", code
            assert record["note"].startswith("sum of "), code

    def test_no_total_when_a_part_is_missing(self, tmp_path):
        write_csv(
            tmp_path,
            "2024Q1",
            [
                row("djs_investment_deposits", "44,29", "triliun rupiah"),
                row("active_ppu_bumn", "1.365.398", "jiwa"),
            ],
        )
        figures = load_figures(tmp_path)
        assert figures.value("djs_investment_total", Q1) is None
        assert figures.value("active_ppu_non_pn", Q1) is None

    def test_given_total_is_kept(self, tmp_path):
        write_csv(
            tmp_path,
            "2024Q1",
            [
                row("djs_investment_total", "79,16", "triliun rupiah"),
                row("djs_investment_deposits", "44,29", "triliun rupiah"),
                row("djs_investment_government_bonds", "34,8", "triliun rupiah"),
            ],
        )
        record = load_figures(tmp_path).record("djs_investment_total", Q1)
        assert record["value"] == 79.16e12
        assert record["status"] == "observed"


class TestHardErrors:
    @pytest.fixture
    def issues(self, tmp_path) -> list[DataIssue]:
        write_csv(
            tmp_path,
            "2024Q1",
            [
                row("active_pbi", "96.725.576", "jiwa"),  # row 2: fine
                row("bogus_code", "5", "jiwa"),  # row 3
                row("active_pbi", "96.725.576", "jiwa"),  # row 4: duplicate of row 2
                row("fktp_total", "23.245", "faskes", period="2023Q4"),  # row 5
                row("population", "280.725.428", "persen"),  # row 6
                row("fkrtl_total", "-5", "faskes"),  # row 7
                row("registered_coverage_target", "120", "persen"),  # row 8
                row("premium_income", "abc", "triliun rupiah"),  # row 9
                row("claims_expense_total", "1.234", "triliun rupiah"),  # row 10
                row("active_ppu_pn", "18.107.072", "jiwa", status="final"),  # row 11
                row("active_bp", "5.150.013,5", "jiwa"),  # row 12
                row("population", "0", "jiwa"),  # row 13
                row("fktp_target", "1,5%", "faskes"),  # row 14
                row("djs_investment_yield", "1,67", "juta persen"),  # row 15
                row("active_pbpu", "", "jiwa"),  # row 16: unfilled, skipped
            ],
        )
        return load_errors(tmp_path)

    def test_every_error_is_reported_at_once(self, issues):
        file = "2024Q1/figures.csv"
        assert summary(issues) == {
            ("unknown_code", file, 3, "bogus_code"),
            ("duplicate", file, 4, "active_pbi"),
            ("wrong_period", file, 5, "fktp_total"),
            ("bad_unit", file, 6, "population"),
            ("negative", file, 7, "fkrtl_total"),
            ("percent_range", file, 8, "registered_coverage_target"),
            ("bad_number", file, 9, "premium_income"),
            ("bad_number", file, 10, "claims_expense_total"),
            ("bad_status", file, 11, "active_ppu_pn"),
            ("not_integer", file, 12, "active_bp"),
            ("not_positive", file, 13, "population"),
            ("duplicate", file, 13, "population"),  # also at row 6, whose unit is wrong
            ("bad_unit", file, 14, "fktp_target"),
            ("bad_unit", file, 15, "djs_investment_yield"),
        }
        assert len(issues) == 14
        assert all(issue.severity == "error" for issue in issues)

    def by_row(self, issues, number) -> DataIssue:
        found = [issue for issue in issues if issue.row == number]
        if len(found) > 1:  # row 13 is also a duplicate of row 6
            found = [issue for issue in found if issue.problem != "duplicate"]
        (issue,) = found
        return issue

    @pytest.mark.parametrize(
        ("number", "english", "indonesian"),
        [
            (
                3,
                "2024Q1/figures.csv, row 3, bogus_code: figure code 'bogus_code' is not in the "
                "catalogue",
                "2024Q1/figures.csv, baris 3, bogus_code: kode figur 'bogus_code' tidak dikenal "
                "di katalog",
            ),
            (
                4,
                "2024Q1/figures.csv, row 4, active_pbi: figure 'active_pbi' is given more than "
                "once (also at 2024Q1/figures.csv, row 2)",
                "2024Q1/figures.csv, baris 4, active_pbi: figur 'active_pbi' diisi lebih dari "
                "sekali (juga di 2024Q1/figures.csv, baris 2)",
            ),
            (
                5,
                "2024Q1/figures.csv, row 5, fktp_total: row is for period 2023Q4, but this file "
                "is for 2024Q1",
                "2024Q1/figures.csv, baris 5, fktp_total: baris untuk periode 2023Q4, padahal "
                "berkas ini untuk 2024Q1",
            ),
            (
                6,
                "2024Q1/figures.csv, row 6, population: unit 'persen' does not fit; expected "
                "jiwa / persons",
                "2024Q1/figures.csv, baris 6, population: satuan 'persen' tidak sesuai; "
                "diharapkan jiwa / persons",
            ),
            (
                7,
                "2024Q1/figures.csv, row 7, fkrtl_total: negative value -5 for a figure that "
                "cannot be negative",
                "2024Q1/figures.csv, baris 7, fkrtl_total: nilai negatif -5 untuk figur yang "
                "tidak boleh negatif",
            ),
            (
                8,
                "2024Q1/figures.csv, row 8, registered_coverage_target: percentage must lie "
                "between 0 and 100, found 120",
                "2024Q1/figures.csv, baris 8, registered_coverage_target: persentase harus "
                "antara 0 dan 100, ditemukan 120",
            ),
            (
                9,
                "2024Q1/figures.csv, row 9, premium_income: value cannot be read as a number: "
                "'abc' is not a number; expected a number such as 96.701.058, 38,6, (28.148) or "
                "76,41%",
                "2024Q1/figures.csv, baris 9, premium_income: nilai tidak dapat dibaca sebagai "
                "angka: 'abc' bukan angka; diharapkan angka seperti 96.701.058, 38,6, (28.148) "
                "atau 76,41%",
            ),
            (
                11,
                "2024Q1/figures.csv, row 11, active_ppu_pn: status 'final' is unknown; allowed: "
                "empty, reported, derived",
                "2024Q1/figures.csv, baris 11, active_ppu_pn: status 'final' tidak dikenal; "
                "yang boleh: kosong, reported, derived",
            ),
            (
                12,
                "2024Q1/figures.csv, row 12, active_bp: this figure counts whole units, found "
                "5.150.013,5",
                "2024Q1/figures.csv, baris 12, active_bp: figur ini menghitung satuan utuh, "
                "ditemukan 5.150.013,5",
            ),
            (
                13,
                "2024Q1/figures.csv, row 13, population: value must be above zero, found 0",
                "2024Q1/figures.csv, baris 13, population: nilai harus lebih dari nol, ditemukan 0",
            ),
        ],
    )
    def test_messages_name_file_row_and_figure(self, issues, number, english, indonesian):
        issue = self.by_row(issues, number)
        assert issue.describe("en") == english
        assert issue.describe("id") == indonesian

    def test_ambiguous_value_lists_both_readings(self, issues):
        issue = self.by_row(issues, 10)
        assert issue.details["thousands"] == 1234.0
        assert issue.details["decimal"] == 1.234
        assert "could mean 1,234 (dot as thousands separator) or 1.234 (dot as decimal point)" in (
            issue.describe("en")
        )
        assert "dapat berarti 1.234 (titik sebagai pemisah ribuan) atau 1,234 (titik" in (
            issue.describe("id")
        )

    def test_describe_with_catalogue_adds_the_label(self, issues):
        issue = self.by_row(issues, 7)
        catalogue = load_catalogue()
        labels = catalogue.figure("fkrtl_total").label
        assert issue.describe("en", catalogue).startswith(
            f"2024Q1/figures.csv, row 7, fkrtl_total ({labels['en']}): negative value -5"
        )
        assert issue.describe("id", catalogue).startswith(
            f"2024Q1/figures.csv, baris 7, fkrtl_total ({labels['id']}): nilai negatif -5"
        )

    def test_exception_message_lists_every_problem(self, tmp_path):
        write_csv(tmp_path, "2024Q1", [row("bogus", "1", "jiwa"), row("fktp_total", "-1", "")])
        with pytest.raises(DataValidationError) as caught:
            load_figures(tmp_path)
        message = str(caught.value)
        assert message.startswith("2 problem(s) in the data:")
        assert "row 2, bogus" in message
        assert "row 3, fktp_total" in message
        assert isinstance(caught.value, ValueError)

    def test_errors_of_every_period_are_collected(self, tmp_path):
        write_csv(tmp_path, "2023Q4", [row("fktp_total", "x", "faskes", period="2023Q4")])
        write_csv(tmp_path, "2024Q1", [row("fktp_total", "-1", "faskes")])
        issues = load_errors(tmp_path)
        assert summary(issues) == {
            ("bad_number", "2023Q4/figures.csv", 2, "fktp_total"),
            ("negative", "2024Q1/figures.csv", 2, "fktp_total"),
        }

    def test_up_to_skips_later_periods(self, tmp_path):
        write_csv(tmp_path, "2023Q4", [row("fktp_total", "23.626", "faskes", period="2023Q4")])
        write_csv(tmp_path, "2024Q1", [row("fktp_total", "-1", "faskes")])
        figures = load_figures(tmp_path, up_to=Quarter(2023, 4))
        assert figures.value("fktp_total", "2023Q4") == 23_626.0
        assert figures.periods == [Quarter(2023, 4)]

    @pytest.mark.parametrize("missing", ["period", "code", "value", "unit"])
    def test_missing_column(self, tmp_path, missing):
        header = [column for column in HEADER if column != missing]
        write_csv(tmp_path, "2024Q1", [["x"] * len(header)], header=header)
        (issue,) = load_errors(tmp_path)
        assert issue.problem == "missing_column"
        assert issue.row == 1
        assert issue.describe("en") == f"2024Q1/figures.csv, row 1: column '{missing}' is missing"
        assert issue.describe("id") == f"2024Q1/figures.csv, baris 1: kolom '{missing}' tidak ada"

    def test_two_missing_columns_are_both_reported(self, tmp_path):
        write_csv(tmp_path, "2024Q1", [["2024Q1", "x"]], header=["period", "code"])
        issues = load_errors(tmp_path)
        assert sorted(issue.details["column"] for issue in issues) == ["unit", "value"]

    def test_garbage_xlsx_is_unreadable(self, tmp_path):
        folder = tmp_path / "2024Q1"
        folder.mkdir()
        (folder / "figures.xlsx").write_bytes(b"this is not a workbook")
        (issue,) = load_errors(tmp_path)
        assert issue.problem == "unreadable"
        assert issue.file == "2024Q1/figures.xlsx"
        assert issue.describe("en").startswith("2024Q1/figures.xlsx: the file cannot be read: ")
        assert issue.describe("id").startswith("2024Q1/figures.xlsx: berkas tidak dapat dibaca: ")

    def test_empty_csv_is_unreadable(self, tmp_path):
        folder = tmp_path / "2024Q1"
        folder.mkdir()
        (folder / "figures.csv").write_bytes(b"")
        (issue,) = load_errors(tmp_path)
        assert issue.problem == "unreadable"

    def test_non_utf8_csv_is_unreadable(self, tmp_path):
        folder = tmp_path / "2024Q1"
        folder.mkdir()
        (folder / "figures.csv").write_bytes(
            "period,code,value,unit\n2024Q1,fktp_total,23.245,faskes \xe9\n".encode("latin-1")
        )
        (issue,) = load_errors(tmp_path)
        assert issue.problem == "unreadable"

    def test_unreadable_file_does_not_hide_errors_in_others(self, tmp_path):
        folder = tmp_path / "2024Q1"
        folder.mkdir()
        (folder / "a.xlsx").write_bytes(b"garbage")
        write_csv(tmp_path, "2024Q1", [row("fktp_total", "-1", "faskes")], name="b.csv")
        assert summary(load_errors(tmp_path)) == {
            ("unreadable", "2024Q1/a.xlsx", None, ""),
            ("negative", "2024Q1/b.csv", 2, "fktp_total"),
        }

    def test_duplicate_across_files(self, tmp_path):
        write_csv(tmp_path, "2024Q1", [row("fktp_total", "23.245", "faskes")], name="a.csv")
        write_csv(tmp_path, "2024Q1", [row("fktp_total", "23.245", "faskes")], name="b.csv")
        (issue,) = load_errors(tmp_path)
        assert issue.problem == "duplicate"
        assert (issue.file, issue.row) == ("2024Q1/b.csv", 2)
        assert issue.details["other"] == Place("2024Q1/a.csv", "", 2)

    def test_row_numbers_after_an_empty_line(self, tmp_path):
        path = tmp_path / "2024Q1" / "figures.csv"
        path.parent.mkdir()
        path.write_text(
            "period,code,value,unit\n2024Q1,fktp_total,23.245,faskes\n\n"
            "2024Q1,fkrtl_total,-5,faskes\n",
            encoding="utf-8",
        )
        (issue,) = load_errors(tmp_path)
        assert issue.row == 4

    def test_unknown_code_after_a_blank_row(self, tmp_path):
        write_csv(
            tmp_path,
            "2024Q1",
            [row("fktp_total", "23.245", "faskes"), [""] * 7, row("bogus_code", "1", "jiwa")],
        )
        (issue,) = load_errors(tmp_path)
        assert (issue.problem, issue.row) == ("unknown_code", 4)

    @pytest.mark.parametrize(
        ("code", "value", "unit"),
        [("months_covered_reported", "3.980", "bulan"), ("bopo_reported", "101.210", "persen")],
    )
    def test_ambiguous_value_in_a_fractional_unit(self, tmp_path, code, value, unit):
        write_csv(tmp_path, "2024Q1", [row(code, value, unit, "reported")])
        (issue,) = load_errors(tmp_path)
        assert issue.problem == "bad_number"


class TestXlsx:
    def test_real_numeric_cells_and_text_cells(self, tmp_path):
        write_xlsx(
            tmp_path,
            "2024Q1",
            {
                "peserta": [
                    ["2024Q1", "active_pbi", 96_725_576, "jiwa"],
                    ["2024Q1", "fktp_total", "23.245", "faskes"],
                ],
                "keuangan": [
                    ["2024Q1", "premium_income", 38.6, "triliun rupiah"],
                    ["2024Q1", "claims_expense_total", 41.234, "triliun rupiah"],  # not ambiguous
                    ["2024Q1", "djs_investment_yield", 1.67, "persen"],
                    ["2024Q1", "djs_surplus_reported", -2.177, "triliun rupiah"],
                ],
            },
        )
        figures = load_figures(tmp_path)
        assert figures.value("active_pbi", Q1) == 96_725_576.0
        assert figures.value("fktp_total", Q1) == 23_245.0
        assert figures.value("premium_income", Q1) == 3.86e13
        assert figures.value("claims_expense_total", Q1) == 41.234e12
        assert figures.value("djs_investment_yield", Q1) == 1.67
        assert figures.value("djs_surplus_reported", Q1) == -2.177e12
        record = figures.record("premium_income", Q1)
        assert record["file"] == "2024Q1/figures.xlsx [keuangan]"
        assert record["row"] == 2

    def test_errors_name_the_sheet(self, tmp_path):
        write_xlsx(
            tmp_path,
            "2024Q1",
            {
                "data": [
                    ["2024Q1", "active_pbi", 96_725_576, "jiwa"],
                    ["2024Q1", "fktp_total", -5, "faskes"],
                    ["2024Q1", "active_bp", 5_150_013.5, "jiwa"],
                    ["2024Q1", "bogus", 1, "jiwa"],
                ]
            },
        )
        issues = load_errors(tmp_path)
        assert summary(issues) == {
            ("negative", "2024Q1/figures.xlsx", 3, "fktp_total"),
            ("not_integer", "2024Q1/figures.xlsx", 4, "active_bp"),
            ("unknown_code", "2024Q1/figures.xlsx", 5, "bogus"),
        }
        assert {issue.sheet for issue in issues} == {"data"}
        negative = next(issue for issue in issues if issue.problem == "negative")
        assert negative.describe("en") == (
            "2024Q1/figures.xlsx, sheet data, row 3, fktp_total: negative value -5 for a "
            "figure that cannot be negative"
        )
        assert negative.describe("id").startswith("2024Q1/figures.xlsx, lembar data, baris 3, ")

    def test_row_numbers_count_blank_rows(self, tmp_path):
        write_xlsx(
            tmp_path,
            "2024Q1",
            {
                "data": [
                    ["2024Q1", "active_pbi", 96_725_576, "jiwa"],
                    [None, None, None, None],
                    ["2024Q1", "fktp_total", -5, "faskes"],
                ]
            },
        )
        (issue,) = load_errors(tmp_path)
        assert issue.row == 4

    def test_duplicate_between_sheets(self, tmp_path):
        write_xlsx(
            tmp_path,
            "2024Q1",
            {
                "a": [["2024Q1", "fktp_total", 23_245, "faskes"]],
                "b": [["2024Q1", "fktp_total", 23_245, "faskes"]],
            },
        )
        (issue,) = load_errors(tmp_path)
        assert issue.problem == "duplicate"
        assert issue.details["other"] == Place("2024Q1/figures.xlsx", "a", 2)
        assert (issue.file, issue.sheet, issue.row) == ("2024Q1/figures.xlsx", "b", 2)
        assert issue.describe("id").endswith("(juga di 2024Q1/figures.xlsx, lembar a, baris 2)")


class TestLoadPeriod:
    def test_returns_records_and_issues_without_raising(self, tmp_path):
        write_csv(
            tmp_path,
            "2024Q1",
            [row("fktp_total", "23.245", "faskes"), row("fkrtl_total", "-1", "faskes")],
        )
        frame, issues = load_period(tmp_path, Q1)
        assert list(frame.columns) == FIGURE_COLUMNS
        assert frame["code"].tolist() == ["fktp_total"]
        assert [issue.problem for issue in issues] == ["negative"]


class TestPeriodDiscovery:
    def test_available_periods(self, tmp_path):
        write_csv(tmp_path, "2024Q1", [])
        write_csv(tmp_path, "2023Q4", [])
        (tmp_path / "2022Q4").mkdir()  # no data file
        (tmp_path / "notes").mkdir()
        (tmp_path / "2024Q5").mkdir()
        write_csv(tmp_path, "archive", [])
        assert available_periods(tmp_path) == [Quarter(2023, 4), Quarter(2024, 1)]

    def test_missing_data_dir(self, tmp_path):
        assert available_periods(tmp_path / "nowhere") == []

    def test_period_files_skip_lock_and_other_files(self, tmp_path):
        folder = tmp_path / "2024Q1"
        folder.mkdir()
        for name in [
            "b.xlsx",
            "a.csv",
            "~$b.xlsx",
            ".~lock.a.csv#",
            ".hidden.csv",
            "notes.txt",
            "C.CSV",
        ]:
            (folder / name).write_text("")
        (folder / "dir.csv").mkdir()
        assert [path.name for path in period_files(folder)] == ["C.CSV", "a.csv", "b.xlsx"]

    def test_empty_data_dir_gives_empty_figure_set(self, tmp_path):
        figures = load_figures(tmp_path)
        assert figures.periods == []
        assert figures.value("fktp_total", Q1) is None
