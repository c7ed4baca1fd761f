"""Unit tests for jkn_analysis.catalogue.numbers: reading Indonesian numbers and the one
rounding rule."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest

from jkn_analysis.catalogue.numbers import (
    NUMBER_REASONS,
    SCALE_WORDS,
    NumberFormatError,
    parse_number,
    parse_scale,
    round_half_up,
)


class TestRoundHalfUp:
    @pytest.mark.parametrize(
        ("value", "decimals", "expected"),
        [
            (76.405, 2, "76.41"),  # binary float 76.40499… must still round up
            (0.125, 2, "0.13"),  # banker's rounding would give 0.12
            (2.5, 0, "3"),  # banker's rounding would give 2
            (3.5, 0, "4"),
            (1.005, 2, "1.01"),
            (112.2279792746114, 0, "112"),
            (112.2279792746114, 1, "112.2"),
            (76.40975401772297, 2, "76.41"),
            (0.0, 2, "0.00"),
            (1.0, 2, "1.00"),  # always exactly `decimals` digits
            (5, 0, "5"),  # an int passes through
            (5, 2, "5.00"),
            (1234.5678, -2, "1.2E+3"),  # negative decimals round to hundreds
        ],
    )
    def test_rounds_half_away_from_zero(self, value, decimals, expected):
        result = round_half_up(value, decimals)
        assert isinstance(result, Decimal)
        assert result == Decimal(expected)
        assert str(result) == expected

    @pytest.mark.parametrize(
        ("value", "decimals", "expected"),
        [(-2.5, 0, "-3"), (-76.405, 2, "-76.41"), (-0.125, 2, "-0.13"), (-28148.0, 0, "-28148")],
    )
    def test_negative_values_round_away_from_zero(self, value, decimals, expected):
        assert str(round_half_up(value, decimals)) == expected

    def test_default_is_zero_decimals(self):
        assert round_half_up(95.5) == Decimal("96")

    def test_below_half_rounds_down(self):
        assert round_half_up(76.4049, 2) == Decimal("76.40")

    @pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
    def test_non_finite_is_refused(self, value):
        with pytest.raises(ValueError, match="not a finite number"):
            round_half_up(value, 2)

    def test_numpy_float_is_rounded_like_a_float(self):
        assert round_half_up(np.float64(76.405), 2) == Decimal("76.41")


class TestParseScale:
    @pytest.mark.parametrize(
        ("cell", "expected"),
        [
            ("triliun rupiah", (10**12, "rupiah")),
            ("Triliun Rupiah", (10**12, "rupiah")),
            ("juta jiwa", (10**6, "jiwa")),
            ("jt jiwa", (10**6, "jiwa")),
            ("ribu kunjungan", (10**3, "kunjungan")),
            ("miliar rupiah", (10**9, "rupiah")),
            ("milyar rupiah", (10**9, "rupiah")),
            ("T", (10**12, "")),
            ("million persons", (10**6, "persons")),
            ("  juta   jiwa  ", (10**6, "jiwa")),
            ("jiwa", (1, "jiwa")),
            ("persen", (1, "persen")),
            ("rupiah triliun", (1, "rupiah triliun")),  # the scale word must come first
            ("", (1, "")),
            (None, (1, "")),
        ],
    )
    def test_splits_scale_word_and_unit(self, cell, expected):
        assert parse_scale(cell) == expected

    def test_every_scale_word_is_a_power_of_a_thousand(self):
        for word, multiplier in SCALE_WORDS.items():
            assert multiplier in (10**3, 10**6, 10**9, 10**12), word


class TestParseNumber:
    @pytest.mark.parametrize(
        ("cell", "expected"),
        [
            ("96.701.058", 96_701_058.0),
            ("214.501.609", 214_501_609.0),
            ("(28.148)", -28_148.0),
            ("-28.148", -28_148.0),
            ("\u221228.148", -28_148.0),  # typographic minus sign
            ("38,6", 38.6),
            ("(2,177)", -2.177),
            ("1.234,5", 1234.5),
            ("1.234.567,89", 1_234_567.89),
            ("98", 98.0),
            ("0", 0.0),
            ("38.6", 38.6),  # not a valid thousands grouping: the dot is a decimal point
            ("0.5", 0.5),
            ("1.2345", 1.2345),  # four digits after the dot: not a grouping
            (" 23.245 ", 23_245.0),
            ("1 234", 1234.0),
            ("\u00a01.234", 1234.0),
            ("Rp1.234.567", 1_234_567.0),
            ("rp 5", 5.0),
        ],
    )
    def test_reads_indonesian_text(self, cell, expected):
        parsed = parse_number(cell)
        assert (parsed.value, parsed.percent_sign) == (expected, False)

    @pytest.mark.parametrize(
        ("cell", "expected"),
        [("76,41%", 76.41), ("18,8 %", 18.8), ("100%", 100.0), ("(1,5%)", -1.5), ("-1,5%", -1.5)],
    )
    def test_reads_percentages_and_flags_the_sign(self, cell, expected):
        parsed = parse_number(cell)
        assert (parsed.value, parsed.percent_sign) == (expected, True)

    def test_grouped_integer_with_integer_unit_is_thousands(self):
        assert parse_number("1.234", integer_unit=True).value == 1234.0

    def test_grouped_integer_without_hints_is_thousands(self):
        assert parse_number("1.234").value == 1234.0

    def test_integer_unit_wins_over_scaled(self):
        assert parse_number("1.234", integer_unit=True, scaled=True).value == 1234.0

    def test_grouped_integer_with_scaled_unit_is_ambiguous(self):
        with pytest.raises(NumberFormatError) as caught:
            parse_number("1.234", scaled=True)
        error = caught.value
        assert error.readings == (1234.0, 1.234)
        assert error.found == "1.234"
        assert "1234" in str(error)
        assert "1.234" in str(error)

    def test_grouped_integer_with_percent_sign_is_ambiguous(self):
        with pytest.raises(NumberFormatError) as caught:
            parse_number("1.234%")
        assert caught.value.readings == (1234.0, 1.234)

    def test_negative_ambiguous_value_gives_negative_readings(self):
        with pytest.raises(NumberFormatError) as caught:
            parse_number("(1.234)", scaled=True)
        assert caught.value.readings == (-1234.0, -1.234)

    def test_two_groups_are_not_ambiguous_even_when_scaled(self):
        assert parse_number("1.234.567", scaled=True).value == 1_234_567.0

    def test_decimal_comma_is_never_ambiguous(self):
        assert parse_number("1,234", scaled=True).value == 1.234

    def test_dot_fraction_in_integer_unit_is_refused(self):
        with pytest.raises(NumberFormatError, match="whole units") as caught:
            parse_number("38.6", integer_unit=True)
        assert caught.value.readings == ()

    @pytest.mark.parametrize("cell", ["", "   ", None, "\u00a0"])
    def test_empty_is_refused(self, cell):
        with pytest.raises(NumberFormatError, match="empty") as caught:
            parse_number(cell)
        assert caught.value.readings == ()

    @pytest.mark.parametrize(
        "cell",
        ["abc", "12abc", "1.23.4", "1,234,567", "12.34.56", "%", "-", "Rp", "--5", "n/a"],
    )
    def test_non_numbers_are_refused(self, cell):
        with pytest.raises(NumberFormatError) as caught:
            parse_number(cell)
        assert caught.value.found == cell
        assert caught.value.readings == ()

    @pytest.mark.parametrize("cell", ["(-5)", "(\u22125)"])
    def test_double_negative_is_refused(self, cell):
        with pytest.raises(NumberFormatError, match="negative twice"):
            parse_number(cell)

    @pytest.mark.parametrize(
        ("cell", "expected"),
        [(96_701_058, 96_701_058.0), (38.6, 38.6), (-28_148, -28_148.0), (0, 0.0), (1.234, 1.234)],
    )
    def test_real_numeric_cells_pass_through(self, cell, expected):
        parsed = parse_number(cell, integer_unit=True, scaled=True)
        assert (parsed.value, parsed.percent_sign) == (expected, False)
        assert isinstance(parsed.value, float)

    def test_numpy_numbers_pass_through(self):
        assert parse_number(np.float64(38.6)).value == 38.6
        assert parse_number(np.int64(1234), scaled=True).value == 1234.0

    @pytest.mark.parametrize("cell", [math.nan, math.inf, -math.inf, np.float64("nan")])
    def test_non_finite_numbers_are_refused(self, cell):
        with pytest.raises(NumberFormatError, match="finite"):
            parse_number(cell)

    @pytest.mark.parametrize("cell", ["nan", "inf", "NaN", "Infinity"])
    def test_non_finite_text_is_refused(self, cell):
        with pytest.raises(NumberFormatError, match="not a number"):
            parse_number(cell)

    @pytest.mark.parametrize("cell", [True, False])
    def test_booleans_are_refused(self, cell):
        with pytest.raises(NumberFormatError):
            parse_number(cell)

    def test_error_is_a_value_error(self):
        assert issubclass(NumberFormatError, ValueError)

    @pytest.mark.parametrize(
        ("cell", "options", "reason"),
        [
            ("", {}, "empty"),
            ("abc", {}, "not_a_number"),
            (math.inf, {}, "not_finite"),
            ("(-5)", {}, "negative_twice"),
            ("1.234", {"scaled": True}, "ambiguous"),
            ("38.6", {"integer_unit": True}, "fraction_in_whole_units"),
            (True, {}, "not_a_number"),
        ],
    )
    def test_error_carries_a_reason_key(self, cell, options, reason):
        with pytest.raises(NumberFormatError) as caught:
            parse_number(cell, **options)
        assert caught.value.reason == reason
        assert reason in NUMBER_REASONS

    def test_ambiguous_error_carries_both_readings_and_both_spellings(self):
        with pytest.raises(NumberFormatError) as caught:
            parse_number(" 38.600 ", scaled=True)
        assert caught.value.params == {
            "thousands": 38_600.0,
            "decimal": 38.6,
            "as_decimal": "38,600",
            "as_thousands": "38600",
        }

    def test_unknown_reason_is_a_programming_error(self):
        with pytest.raises(ValueError, match="unknown reason"):
            NumberFormatError("strange", "x")


class TestPercentFormattedCells:
    @pytest.mark.parametrize(
        ("cell", "expected", "decimals"),
        [(0.7641, 76.41, 2), (0.188, 18.8, 1), (1, 100.0, 0), (-0.015, -1.5, 1), (0.5, 50.0, 0)],
    )
    def test_excel_percent_cells_are_multiplied_by_100(self, cell, expected, decimals):
        parsed = parse_number(cell, percent_format=True)
        assert (parsed.value, parsed.percent_sign, parsed.decimals) == (expected, True, decimals)

    def test_text_cells_ignore_the_percent_format(self):
        parsed = parse_number("76,41", percent_format=True)
        assert (parsed.value, parsed.percent_sign) == (76.41, False)
