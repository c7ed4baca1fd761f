"""Unit tests for jkn_analysis.indicators.formulas: one class per indicator function."""

from __future__ import annotations

import math

import pytest

from jkn_analysis.indicators import formulas as ind
from jkn_analysis.indicators.formulas import UndefinedIndicatorError

# Functions of the form f(numerator, denominator) = numerator / denominator × 100.
PERCENT_FUNCTIONS = [
    ind.registered_coverage,
    ind.active_share_of_population,
    ind.active_share_of_registered,
    ind.non_active_share_of_registered,
    ind.ick_attainment,
    ind.referral_rate,
    ind.share_of_total,
    ind.premium_income_vs_annual_target,
    ind.claim_ratio,
]


class TestPercentFunctions:
    """Behaviour shared by every numerator/denominator indicator."""

    @pytest.mark.parametrize("function", PERCENT_FUNCTIONS)
    def test_simple_ratio(self, function):
        assert function(25.0, 200.0) == pytest.approx(12.5)

    @pytest.mark.parametrize("function", PERCENT_FUNCTIONS)
    @pytest.mark.parametrize("denominator", [0, 0.0, -1.0, -280_725_428])
    def test_zero_or_negative_denominator_is_undefined(self, function, denominator):
        with pytest.raises(UndefinedIndicatorError, match="positive denominator"):
            function(1.0, denominator)

    @pytest.mark.parametrize("function", PERCENT_FUNCTIONS)
    def test_zero_numerator_gives_zero(self, function):
        assert function(0.0, 10.0) == 0.0

    def test_undefined_is_a_zero_division_error(self):
        assert issubclass(UndefinedIndicatorError, ZeroDivisionError)


class TestRegisteredCoverage:
    def test_published_case(self):
        # 269,5 juta registered / 280.725.428 population = 96%
        assert ind.registered_coverage(269_500_000, 280_725_428) == pytest.approx(96.0012785)

    def test_full_coverage_may_exceed_100(self):
        assert ind.registered_coverage(101.0, 100.0) == pytest.approx(101.0)

    def test_zero_population_is_undefined(self):
        with pytest.raises(UndefinedIndicatorError, match="population"):
            ind.registered_coverage(269_500_000, 0)


class TestActiveShareOfPopulation:
    def test_published_case(self):
        assert ind.active_share_of_population(214_501_609, 280_725_428) == pytest.approx(
            76.409754, abs=1e-6
        )

    def test_zero_population_is_undefined(self):
        with pytest.raises(UndefinedIndicatorError, match="population"):
            ind.active_share_of_population(1, 0)


class TestActiveShareOfRegistered:
    def test_published_case(self):
        assert ind.active_share_of_registered(214_501_609, 269_500_000) == pytest.approx(
            79.592434, abs=1e-6
        )

    def test_zero_registered_is_undefined(self):
        with pytest.raises(UndefinedIndicatorError, match="registered participants"):
            ind.active_share_of_registered(1, 0)


class TestChange:
    @pytest.mark.parametrize(
        ("current", "previous", "expected"),
        [
            (214_501_609, 213_542_188, 959_421),
            (96_725_576, 96_753_724, -28_148),
            (5, 5, 0),
            (-1.0, 2.0, -3.0),
            (0.0, 0.0, 0.0),  # no denominator, so zero is fine
        ],
    )
    def test_difference(self, current, previous, expected):
        assert ind.change(current, previous) == expected


class TestGrowth:
    @pytest.mark.parametrize(
        ("current", "previous", "expected"),
        [
            (110.0, 100.0, 10.0),
            (90.0, 100.0, -10.0),
            (100.0, 100.0, 0.0),
            (0.0, 100.0, -100.0),
            (214_501_609, 213_542_188, 0.449288737),
        ],
    )
    def test_relative_growth(self, current, previous, expected):
        assert ind.growth(current, previous) == pytest.approx(expected)

    @pytest.mark.parametrize("previous", [0.0, -5.0])
    def test_zero_or_negative_base_is_undefined(self, previous):
        with pytest.raises(UndefinedIndicatorError, match="comparison value"):
            ind.growth(10.0, previous)


class TestNonActiveShareOfRegistered:
    def test_published_inputs(self):
        assert ind.non_active_share_of_registered(47_360_000, 269_500_000) == pytest.approx(
            17.5732838, abs=1e-6
        )

    def test_zero_registered_is_undefined(self):
        with pytest.raises(UndefinedIndicatorError):
            ind.non_active_share_of_registered(1, 0)


class TestIckAttainment:
    @pytest.mark.parametrize(
        ("realised", "target", "expected"),
        [(108_138_436, 114_122_433, 94.756511), (50.0, 50.0, 100.0), (60.0, 50.0, 120.0)],
    )
    def test_attainment(self, realised, target, expected):
        assert ind.ick_attainment(realised, target) == pytest.approx(expected)

    def test_zero_target_is_undefined(self):
        with pytest.raises(UndefinedIndicatorError, match="ICK target"):
            ind.ick_attainment(1, 0)


class TestGapToTarget:
    @pytest.mark.parametrize(
        ("actual", "target", "expected"),
        [(23_245, 23_664, 419), (25_000, 23_664, -1_336), (1.67, 5.7, 4.03), (5, 5, 0)],
    )
    def test_target_minus_actual(self, actual, target, expected):
        assert ind.gap_to_target(actual, target) == pytest.approx(expected)

    def test_zero_target_is_allowed(self):
        assert ind.gap_to_target(3.0, 0.0) == -3.0


class TestReferralRate:
    def test_published_inputs(self):
        assert ind.referral_rate(9_440_000, 121_860_000) == pytest.approx(7.7465945, abs=1e-6)

    def test_zero_visits_is_undefined(self):
        with pytest.raises(UndefinedIndicatorError, match="FKTP visits"):
            ind.referral_rate(1, 0)


class TestShareOfTotal:
    @pytest.mark.parametrize(
        ("part", "total", "expected"),
        [(24.72e12, 43.32e12, 57.0637119), (44.29e12, 79.16e12, 55.9499747), (5.0, 5.0, 100.0)],
    )
    def test_share(self, part, total, expected):
        assert ind.share_of_total(part, total) == pytest.approx(expected)

    def test_zero_total_is_undefined(self):
        with pytest.raises(UndefinedIndicatorError, match="total"):
            ind.share_of_total(0, 0)


class TestPremiumIncomeVsAnnualTarget:
    def test_published_inputs(self):
        assert ind.premium_income_vs_annual_target(38.6e12, 160.42e12) == pytest.approx(
            24.0618377, abs=1e-6
        )

    def test_zero_target_is_undefined(self):
        with pytest.raises(UndefinedIndicatorError, match="annual target"):
            ind.premium_income_vs_annual_target(1.0, 0.0)


class TestPremiumIncomeVsProRataTarget:
    @pytest.mark.parametrize(
        ("income", "target", "months", "expected"),
        [
            (38.6e12, 160.42e12, 3, 96.2473507),
            (30.0, 120.0, 3, 100.0),
            (120.0, 120.0, 12, 100.0),
            (10.0, 120.0, 1, 100.0),
        ],
    )
    def test_pro_rata(self, income, target, months, expected):
        assert ind.premium_income_vs_pro_rata_target(income, target, months) == pytest.approx(
            expected
        )

    @pytest.mark.parametrize("months", [0, 13, -3])
    def test_months_outside_the_year_are_refused(self, months):
        with pytest.raises(ValueError, match="between 1 and 12"):
            ind.premium_income_vs_pro_rata_target(1.0, 1.0, months)

    @pytest.mark.parametrize("target", [0.0, -1.0])
    def test_zero_or_negative_target_is_undefined(self, target):
        with pytest.raises(UndefinedIndicatorError):
            ind.premium_income_vs_pro_rata_target(1.0, target, 3)


class TestClaimRatio:
    @pytest.mark.parametrize(
        ("claims", "premium", "expected"),
        [
            (43.32e12, 38.6e12, 112.2279793),
            (90.33e12, 143.31e12, 63.0311911),
            (100.0, 100.0, 100.0),
            (0.0, 100.0, 0.0),
        ],
    )
    def test_ratio(self, claims, premium, expected):
        assert ind.claim_ratio(claims, premium) == pytest.approx(expected)

    @pytest.mark.parametrize("premium", [0.0, -38.6e12])
    def test_zero_or_negative_premium_is_undefined(self, premium):
        with pytest.raises(UndefinedIndicatorError, match="premium income"):
            ind.claim_ratio(43.32e12, premium)


class TestDjsSurplus:
    @pytest.mark.parametrize(
        ("revenue", "expenses", "expected"),
        [
            (146.58e12, 102.13e12, 44.45e12),
            (148.1e12, 130.4e12, 17.7e12),
            (100.0, 130.0, -30.0),  # a deficit is negative
            (0.0, 0.0, 0.0),
        ],
    )
    def test_revenue_minus_expenses(self, revenue, expenses, expected):
        assert ind.djs_surplus(revenue, expenses) == pytest.approx(expected)


class TestMonthsOfClaimsCovered:
    @pytest.mark.parametrize(
        ("net_assets", "claims", "months", "expected"),
        [
            (38.76e12, 90.33e12, 12, 5.1491199),  # published 5,15 (2021)
            (56.51e12, 113.47e12, 12, 5.9762052),  # published 5,98 (2022)
            (30.0, 30.0, 3, 3.0),
            (10.0, 10.0, 1, 1.0),
            (-12.0, 12.0, 12, -12.0),  # negative net assets: negative months
            (0.0, 12.0, 12, 0.0),
        ],
    )
    def test_months(self, net_assets, claims, months, expected):
        result = ind.months_of_claims_covered(net_assets, claims, months)
        assert result == pytest.approx(expected)

    @pytest.mark.parametrize("claims", [0.0, -1.0])
    def test_zero_or_negative_claims_is_undefined(self, claims):
        with pytest.raises(UndefinedIndicatorError, match="positive claims"):
            ind.months_of_claims_covered(10.0, claims, 3)

    @pytest.mark.parametrize("months", [0, 13, -1])
    def test_months_outside_the_year_are_refused(self, months):
        with pytest.raises(ValueError, match="between 1 and 12"):
            ind.months_of_claims_covered(10.0, 10.0, months)


class TestCorridorPosition:
    @pytest.mark.parametrize(
        ("months", "expected"),
        [
            (1.5, "within"),  # floor included
            (6.0, "within"),  # ceiling included
            (3.98, "within"),
            (5.98, "within"),
            (1.4999, "below"),
            (0.0, "below"),
            (-2.0, "below"),
            (6.0001, "above"),
            (12.0, "above"),
            (math.inf, "above"),
        ],
    )
    def test_default_corridor_of_pp_53_2018(self, months, expected):
        assert ind.corridor_position(months) == expected

    def test_corridor_constants(self):
        assert ind.CORRIDOR_FLOOR_MONTHS == 1.5
        assert ind.CORRIDOR_CEILING_MONTHS == 6.0

    @pytest.mark.parametrize(
        ("months", "expected"), [(1.9, "below"), (2.0, "within"), (4.0, "within"), (4.1, "above")]
    )
    def test_custom_corridor(self, months, expected):
        assert ind.corridor_position(months, floor=2.0, ceiling=4.0) == expected

    def test_degenerate_corridor_of_one_point(self):
        assert ind.corridor_position(3.0, floor=3.0, ceiling=3.0) == "within"

    def test_floor_above_ceiling_is_refused(self):
        with pytest.raises(ValueError, match="floor"):
            ind.corridor_position(3.0, floor=6.0, ceiling=1.5)


class TestSeasonalShareOfYear:
    def test_2014_first_half(self):
        # Public figures: first half of 2014 Rp16 T of a year's Rp40,7 T.
        assert ind.seasonal_share_of_year({2014: 16e12}, {2014: 40.7e12}) == pytest.approx(
            16 / 40.7
        )

    def test_mean_over_the_years_holding_both(self):
        share = ind.seasonal_share_of_year(
            {2014: 16.0, 2015: 30.0, 2016: 5.0}, {2014: 40.0, 2015: 60.0}
        )
        assert share == pytest.approx((0.4 + 0.5) / 2)

    def test_no_common_year_no_profile(self):
        assert ind.seasonal_share_of_year({2023: 38.0}, {2021: 143.0, 2022: 144.0}) is None

    def test_year_to_date_above_its_full_year_is_refused(self):
        with pytest.raises(ValueError, match="2014"):
            ind.seasonal_share_of_year({2014: 50.0}, {2014: 40.7})


class TestPremiumIncomeVsSeasonalTarget:
    def test_target_scaled_by_the_profile(self):
        # Earlier years had 40% of their premium income by this quarter: 39 of a 100 target
        # is 97,5% of the seasonal path (pro rata to three months it would be 156%).
        value = ind.premium_income_vs_seasonal_target(39.0, 100.0, {2023: 40.0}, {2023: 100.0})
        assert value == pytest.approx(97.5)

    def test_no_year_holding_both_values_gives_none(self):
        value = ind.premium_income_vs_seasonal_target(39.0, 100.0, {2023: 40.0}, {2022: 90.0})
        assert value is None

    def test_an_inconsistent_history_is_refused(self):
        with pytest.raises(ValueError, match="2023"):
            ind.premium_income_vs_seasonal_target(39.0, 100.0, {2023: 140.0}, {2023: 100.0})
