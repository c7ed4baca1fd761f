"""Unit tests for jkn_analysis.catalogue.periods.Quarter."""

from __future__ import annotations

import datetime as dt

import pytest

from jkn_analysis.catalogue.periods import PeriodError, Quarter


class TestParse:
    @pytest.mark.parametrize(
        ("text", "year", "quarter"),
        [
            ("2024Q1", 2024, 1),
            ("2023Q4", 2023, 4),
            ("2014Q4", 2014, 4),
            ("1999Q2", 1999, 2),
            (" 2024Q3 ", 2024, 3),
        ],
    )
    def test_parses_valid_quarters(self, text, year, quarter):
        assert Quarter.parse(text) == Quarter(year, quarter)

    @pytest.mark.parametrize(
        "text",
        [
            "2024Q5",
            "2024Q0",
            "24Q1",
            "2024-Q1",
            "2024 Q1",
            "2024q1",
            "Q1 2024",
            "TW I 2024",
            "1899Q1",
            "2100Q1",
            "2024Q12",
            "",
            "2024",
        ],
    )
    def test_refuses_anything_else(self, text):
        with pytest.raises(PeriodError, match="YYYYQn"):
            Quarter.parse(text)

    def test_period_error_is_a_value_error(self):
        assert issubclass(PeriodError, ValueError)

    def test_str_round_trips(self):
        assert str(Quarter.parse("2024Q1")) == "2024Q1"


class TestOrdering:
    def test_orders_by_year_then_quarter(self):
        quarters = [Quarter(2024, 1), Quarter(2022, 4), Quarter(2023, 1), Quarter(2023, 4)]
        assert sorted(quarters) == [
            Quarter(2022, 4),
            Quarter(2023, 1),
            Quarter(2023, 4),
            Quarter(2024, 1),
        ]

    def test_comparisons(self):
        assert Quarter(2023, 4) < Quarter(2024, 1)
        assert Quarter(2024, 1) <= Quarter(2024, 1)
        assert Quarter(2024, 2) > Quarter(2024, 1)
        assert not Quarter(2024, 1) < Quarter(2024, 1)

    def test_hashable_and_equal_by_value(self):
        assert {Quarter(2024, 1), Quarter.parse("2024Q1")} == {Quarter(2024, 1)}


class TestMonthsAndDates:
    @pytest.mark.parametrize(("quarter", "months"), [(1, 3), (2, 6), (3, 9), (4, 12)])
    def test_months_elapsed(self, quarter, months):
        assert Quarter(2024, quarter).months_elapsed == months

    @pytest.mark.parametrize(
        ("quarter", "expected"),
        [
            (Quarter(2024, 1), dt.date(2024, 3, 31)),
            (Quarter(2024, 2), dt.date(2024, 6, 30)),
            (Quarter(2024, 3), dt.date(2024, 9, 30)),
            (Quarter(2023, 4), dt.date(2023, 12, 31)),
        ],
    )
    def test_end_date(self, quarter, expected):
        assert quarter.end_date == expected


class TestComparisonPeriods:
    @pytest.mark.parametrize(
        ("period", "expected"),
        [("2024Q1", "2023Q4"), ("2024Q3", "2023Q4"), ("2023Q4", "2022Q4"), ("2023Q1", "2022Q4")],
    )
    def test_previous_december(self, period, expected):
        assert Quarter.parse(period).previous_december == Quarter.parse(expected)

    @pytest.mark.parametrize(
        ("period", "expected"), [("2024Q1", "2023Q1"), ("2023Q4", "2022Q4"), ("2000Q2", "1999Q2")]
    )
    def test_year_earlier(self, period, expected):
        assert Quarter.parse(period).year_earlier == Quarter.parse(expected)


class TestLabels:
    @pytest.mark.parametrize(
        ("period", "language", "expected"),
        [
            ("2024Q1", "id", "TW I 2024"),
            ("2024Q1", "en", "Q1 2024"),
            ("2023Q4", "id", "TW IV 2023"),
            ("2023Q4", "en", "Q4 2023"),
            ("2024Q2", "id", "TW II 2024"),
            ("2024Q3", "id", "TW III 2024"),
        ],
    )
    def test_label(self, period, language, expected):
        assert Quarter.parse(period).label(language) == expected

    @pytest.mark.parametrize(
        ("period", "language", "expected"),
        [
            ("2024Q1", "id", "Triwulan I Tahun 2024"),
            ("2024Q1", "en", "Quarter 1, 2024"),
            ("2023Q4", "id", "Triwulan IV Tahun 2023"),
        ],
    )
    def test_title(self, period, language, expected):
        assert Quarter.parse(period).title(language) == expected

    @pytest.mark.parametrize(
        ("period", "language", "expected"),
        [
            ("2024Q1", "id", "Mar-24"),
            ("2024Q1", "en", "Mar-24"),
            ("2023Q4", "id", "Des-23"),
            ("2023Q4", "en", "Dec-23"),
            ("2024Q2", "id", "Jun-24"),
            ("2022Q4", "id", "Des-22"),
        ],
    )
    def test_month_label(self, period, language, expected):
        assert Quarter.parse(period).month_label(language) == expected

    @pytest.mark.parametrize(
        ("period", "language", "expected"),
        [
            ("2024Q1", "id", "31 Maret 2024"),
            ("2024Q1", "en", "31 March 2024"),
            ("2023Q4", "id", "31 Desember 2023"),
            ("2024Q2", "en", "30 June 2024"),
        ],
    )
    def test_end_date_text(self, period, language, expected):
        assert Quarter.parse(period).end_date_text(language) == expected
