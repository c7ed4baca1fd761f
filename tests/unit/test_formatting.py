"""Unit tests for jkn_analysis.catalogue.formatting: numbers as the report prints them."""

from __future__ import annotations

import pytest

from jkn_analysis.catalogue.formatting import (
    format_compact,
    format_number,
    format_percent,
    format_points,
    format_rupiah,
    format_signed,
    format_value,
)


class TestFormatNumber:
    @pytest.mark.parametrize(
        ("value", "decimals", "language", "expected"),
        [
            (214_501_609, 0, "id", "214.501.609"),
            (214_501_609, 0, "en", "214,501,609"),
            (23_245.0, 0, "id", "23.245"),
            (3.98, 2, "id", "3,98"),
            (3.98, 2, "en", "3.98"),
            (3.9, 2, "id", "3,90"),  # fixed number of decimals
            (0.0, 0, "id", "0"),
            (999.5, 0, "id", "1.000"),
            (-28_148, 0, "id", "-28.148"),
            (1_234_567.891, 1, "id", "1.234.567,9"),
        ],
    )
    def test_formats_with_locale_separators(self, value, decimals, language, expected):
        assert format_number(value, decimals, language=language) == expected

    @pytest.mark.parametrize(
        ("value", "decimals", "expected"),
        [(0.125, 2, "0,13"), (2.5, 0, "3"), (76.405, 2, "76,41"), (-2.5, 0, "-3")],
    )
    def test_rounds_half_up_not_to_even(self, value, decimals, expected):
        assert format_number(value, decimals) == expected


class TestFormatPercent:
    @pytest.mark.parametrize(
        ("value", "decimals", "language", "expected"),
        [
            (0.125, 2, "id", "0,13%"),  # Babel alone would round to even: 0,12%
            (0.125, 2, "en", "0.13%"),
            (76.40975401772297, 2, "id", "76,41%"),
            (76.405, 2, "id", "76,41%"),
            (96.00127851617346, 0, "id", "96%"),
            (112.2279792746114, 1, "id", "112,2%"),
            (100.0, 2, "id", "100,00%"),
            (-1.5, 1, "id", "-1,5%"),
        ],
    )
    def test_formats_percent(self, value, decimals, language, expected):
        assert format_percent(value, decimals, language=language) == expected

    def test_default_is_two_decimals_in_indonesian(self):
        assert format_percent(79.59243376623377) == "79,59%"


class TestFormatPoints:
    @pytest.mark.parametrize(
        ("value", "language", "expected"),
        [
            (1.998721483826543, "id", "2,00 poin persen"),
            (1.998721483826543, "en", "2.00 percentage points"),
            (-0.5, "id", "-0,50 poin persen"),
        ],
    )
    def test_formats_points(self, value, language, expected):
        assert format_points(value, language=language) == expected


class TestFormatSigned:
    @pytest.mark.parametrize(
        ("value", "decimals", "language", "percent", "expected"),
        [
            (959_421, 0, "id", False, "+959.421"),
            (-28_148, 0, "id", False, "-28.148"),
            (959_421, 0, "en", False, "+959,421"),
            (-28_148, 0, "en", False, "-28,148"),
            (0, 0, "id", False, "0"),
            (0.4492887372681599, 2, "id", True, "+0,45%"),
            (-0.02909242025660945, 2, "id", True, "-0,03%"),
            (-0.004, 2, "id", False, "0,00"),  # rounds to zero: no sign
            (0.004, 2, "id", True, "0,00%"),
            (0.005, 2, "id", False, "+0,01"),  # half up, then signed
            (-0.005, 2, "id", False, "-0,01"),
        ],
    )
    def test_formats_change_with_sign(self, value, decimals, language, percent, expected):
        result = format_signed(value, decimals, language=language, percent=percent)
        assert result == expected


class TestFormatCompact:
    @pytest.mark.parametrize(
        ("value", "decimals", "language", "style", "expected"),
        [
            (269_500_000, 1, "id", "long", "269,5 juta"),
            (269_500_000, 1, "en", "long", "269.5 million"),
            (959_421, 1, "id", "long", "959,4 ribu"),
            (959_421, 1, "en", "long", "959.4 thousand"),
            (2_180_000, 2, "id", "long", "2,18 juta"),
            (-6_400_000, 1, "id", "long", "-6,4 juta"),
            (-28_148, 1, "id", "long", "-28,1 ribu"),
            (43.32e12, 2, "id", "long", "43,32 triliun"),
            (43.32e12, 2, "en", "long", "43.32 trillion"),
            (43.32e12, 2, "id", "short", "43,32 T"),
            (1.388e12, 2, "id", "long", "1,39 triliun"),
            (156.78e9, 2, "id", "long", "156,78 miliar"),
            (156.78e9, 2, "en", "long", "156.78 billion"),
            (1_000, 1, "id", "long", "1,0 ribu"),
            (1e9, 1, "id", "short", "1,0 M"),
            (999_960, 1, "id", "long", "1,0 juta"),  # 999,96 ribu rounds up to the next word
            (999_949, 1, "id", "long", "999,9 ribu"),
            (999, 1, "id", "long", "999"),  # below a thousand: written in full
            (0, 1, "id", "long", "0"),
        ],
    )
    def test_scales_with_locale_word(self, value, decimals, language, style, expected):
        assert format_compact(value, decimals, language=language, style=style) == expected

    def test_default_is_one_decimal_long_indonesian(self):
        assert format_compact(269_500_000) == "269,5 juta"

    def test_rounds_half_up(self):
        # 2,125 juta: banker's rounding would give 2,12
        assert format_compact(2_125_000, 2) == "2,13 juta"

    def test_trillions_do_not_roll_over(self):
        assert format_compact(1_234e12, 1) == "1.234,0 triliun"


class TestFormatRupiah:
    @pytest.mark.parametrize(
        ("value", "language", "style", "expected"),
        [
            (43.32e12, "id", "short", "Rp43,32 T"),
            (43.32e12, "en", "short", "IDR 43.32 T"),
            (43.32e12, "id", "long", "Rp43,32 triliun"),
            (43.32e12, "en", "long", "IDR 43.32 trillion"),
            (-2.177e12, "id", "short", "-Rp2,18 T"),
            (-2.177e12, "en", "short", "-IDR 2.18 T"),
            (5.7e12, "id", "short", "Rp5,70 T"),
            (156.78e9, "id", "short", "Rp156,78 M"),
        ],
    )
    def test_formats_money(self, value, language, style, expected):
        assert format_rupiah(value, language=language, style=style) == expected

    def test_decimals(self):
        assert format_rupiah(44.45e12, 1) == "Rp44,5 T"  # half up: 44,45 → 44,5


class TestFormatValue:
    @pytest.mark.parametrize(
        ("value", "unit", "decimals", "kwargs", "expected"),
        [
            (76.40975401772297, "percent", 2, {}, "76,41%"),
            (76.40975401772297, "percent", 2, {"language": "en"}, "76.41%"),
            (1.998721483826543, "percentage_points", 2, {}, "2,00 poin persen"),
            (43.32e12, "rupiah", 0, {}, "Rp43,32 T"),  # money gets at least two decimals
            (43.32e12, "rupiah", 0, {"style": "long"}, "Rp43,32 triliun"),
            (3.98, "months", 2, {}, "3,98 bulan"),
            (3.98, "months", 2, {"language": "en"}, "3.98 months"),
            (214_501_609.0, "persons", 0, {}, "214.501.609"),
            (214_501_609.0, "persons", 0, {"compact": True}, "214,5 juta"),
            (23_245.0, "facilities", 0, {}, "23.245"),
            (1_500_000_000.0, "visits", 0, {"compact": True}, "1,50 miliar"),
            ("within", "category", 0, {}, "within"),
        ],
    )
    def test_formats_by_unit(self, value, unit, decimals, kwargs, expected):
        assert format_value(value, unit, decimals, **kwargs) == expected


class TestYears:
    @pytest.mark.parametrize(
        ("value", "language", "expected"),
        [(1, "en", "1 year"), (2, "en", "2 years"), (1, "id", "1 tahun"), (5, "id", "5 tahun")],
    )
    def test_years_take_their_plural_from_cldr(self, value, language, expected):
        assert format_value(value, "years", 0, language=language) == expected

    def test_years_round_half_up(self):
        assert format_value(2.5, "years", 0, language="en") == "3 years"
