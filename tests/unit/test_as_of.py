"""The optional ``as_of`` cell: the month the source gives a figure at (inputs.as_of).

Read and checked by the loader, carried on the figure's record, dating the indicators computed
from it; an empty cell means the end of the reporting quarter.
"""

from __future__ import annotations

import datetime as dt

import pytest

from jkn_analysis.catalogue.definitions import load_catalogue
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.checks import load_figures
from jkn_analysis.inputs.as_of import allowed_months, parse_as_of
from jkn_analysis.inputs.loading import load_period
from jkn_analysis.inputs.validation import DataValidationError
from tests.datafiles import HEADER, write_csv, write_xlsx

Q1 = Quarter(2024, 1)
AS_OF_HEADER = [*HEADER, "as_of"]


def row(code: str, value: str, unit: str, as_of: str, status: str = "") -> list:
    return ["2024Q1", code, value, unit, status, "test source", "", as_of]


class TestParse:
    @pytest.mark.parametrize(
        ("cell", "expected"),
        [
            ("2024-06", dt.date(2024, 6, 1)),
            (" 2024-06 ", dt.date(2024, 6, 1)),
            # An XLSX cell that Excel turned into a date reads as its first day.
            ("2024-06-01 00:00:00", dt.date(2024, 6, 1)),
            ("2023-04", dt.date(2023, 4, 1)),  # the first month allowed
            ("2025-03", dt.date(2025, 3, 1)),  # the last
            ("", None),
        ],
    )
    def test_months(self, cell, expected):
        assert parse_as_of(cell, Q1) == expected

    @pytest.mark.parametrize("cell", ["Juni 2024", "2024-6", "2024-13", "06-2024", "2024-06-15"])
    def test_malformed(self, cell):
        assert parse_as_of(cell, Q1) == ("bad_as_of", {"found": cell, "example": "2024-03"})

    @pytest.mark.parametrize("cell", ["2023-03", "2025-04", "2042-06"])
    def test_out_of_range(self, cell):
        problem, details = parse_as_of(cell, Q1)
        assert problem == "bad_as_of.range"
        assert details == {"found": cell, "first": "2023-04", "last": "2025-03"}

    def test_range_follows_the_quarter(self):
        assert allowed_months(Quarter(2023, 4)) == (dt.date(2023, 1, 1), dt.date(2024, 12, 1))


class TestRead:
    def test_carried_on_the_record_and_looked_up(self, tmp_path):
        write_csv(
            tmp_path,
            "2024Q1",
            [
                row("bopo_reported", "101,21", "persen", "2024-06", "reported"),
                row("fktp_total", "23.245", "faskes", ""),
                row("fkrtl_total", "3.112", "faskes", "2024-03"),
            ],
            header=AS_OF_HEADER,
        )
        figures = load_figures(tmp_path)
        assert figures.record("bopo_reported", Q1)["as_of"] == "2024-06"
        assert figures.as_of("bopo_reported", Q1) == dt.date(2024, 6, 1)
        assert figures.as_of("fktp_total", Q1) is None  # empty: the end of the quarter
        assert figures.as_of("fkrtl_total", Q1) is None  # the quarter's own last month
        assert figures.as_of("population", Q1) is None  # not given at all

    def test_without_the_column(self, tmp_path):
        write_csv(tmp_path, "2024Q1", [row("fktp_total", "23.245", "faskes", "")[:7]])
        assert load_figures(tmp_path).as_of("fktp_total", Q1) is None

    def test_derived_total_takes_its_parts_date(self, tmp_path):
        parts = load_catalogue().figure("ick_realised_total").parts
        write_csv(
            tmp_path,
            "2024Q1",
            [row(code, "30", "juta jiwa", "2024-06") for code in parts],
            header=AS_OF_HEADER,
        )
        figures = load_figures(tmp_path)
        assert figures.record("ick_realised_total", Q1)["status"] == "derived"
        assert figures.as_of("ick_realised_total", Q1) == dt.date(2024, 6, 1)

    def test_xlsx_date_cell(self, tmp_path):
        write_xlsx(
            tmp_path,
            "2024Q1",
            {"keuangan": [["2024Q1", "bopo_reported", 101.21, "persen", dt.datetime(2024, 6, 1)]]},
            header=("period", "code", "value", "unit", "as_of"),
        )
        records, issues = load_period(tmp_path, Q1)
        assert not issues
        assert records.set_index("code").at["bopo_reported", "as_of"] == "2024-06"


class TestErrors:
    @pytest.fixture
    def issues(self, tmp_path):
        write_csv(
            tmp_path,
            "2024Q1",
            [
                row("bopo_reported", "101,21", "persen", "Juni 2024", "reported"),
                row("fktp_total", "23.245", "faskes", "2042-06"),
            ],
            header=AS_OF_HEADER,
        )
        with pytest.raises(DataValidationError) as caught:
            load_figures(tmp_path)
        return caught.value.issues

    def test_one_error_per_bad_cell(self, issues):
        assert [(i.problem, i.file, i.row, i.code) for i in issues] == [
            ("bad_as_of", "2024Q1/figures.csv", 2, "bopo_reported"),
            ("bad_as_of", "2024Q1/figures.csv", 3, "fktp_total"),
        ]

    def test_malformed_message_in_both_languages(self, issues):
        catalogue = load_catalogue()
        english = issues[0].describe("en", catalogue)
        indonesian = issues[0].describe("id", catalogue)
        for words in (english, indonesian):
            assert "2024Q1/figures.csv" in words and "2" in words and "bopo_reported" in words
            assert "'Juni 2024'" in words and "YYYY-MM" in words and "2024-03" in words
        assert "cannot be read" in english
        assert "tidak dapat dibaca" in indonesian

    def test_range_message_in_both_languages(self, issues):
        english = issues[1].describe("en")
        indonesian = issues[1].describe("id")
        assert "2042-06" in english and "from 2023-04 to 2025-03" in english
        assert "2042-06" in indonesian and "dari 2023-04 sampai 2025-03" in indonesian
        assert "fktp_total" in english and "fktp_total" in indonesian
