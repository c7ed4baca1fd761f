"""Unit tests for jkn_analysis.indicators.compute: indicators of a period from a FigureSet."""

from __future__ import annotations

import pytest

from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.checks import load_figures
from jkn_analysis.indicators.compute import (
    Indicator,
    IndicatorSet,
    compute_indicators,
    reported_vs_computed_issues,
)
from jkn_analysis.inputs.figures import FigureSet
from tests.datafiles import made_up_figures as figure_set

Q1 = Quarter(2024, 1)


def compute(periods: dict[str, dict[str, float]], period: Quarter = Q1) -> IndicatorSet:
    return compute_indicators(figure_set(periods), period)


class TestComputeIndicators:
    def test_ratio_indicator_with_inputs(self):
        indicators = compute(
            {"2024Q1": {"claims_expense_total": 43.32e12, "premium_income": 38.6e12}}
        )
        item = indicators.get("claim_ratio")
        assert item.value == pytest.approx(112.2279793)
        assert item.unit == "percent"
        assert item.period == "2024Q1"
        assert item.method == "computed"
        assert item.inputs == ("claims_expense_total", "premium_income")
        assert item.dimensions == {}

    def test_missing_inputs_leave_the_indicator_out(self):
        indicators = compute({"2024Q1": {"claims_expense_total": 43.32e12}})
        assert indicators.get("claim_ratio") is None
        assert indicators.value("claim_ratio") is None
        assert indicators.value("claims_expense", service="total") == 43.32e12

    def test_comparison_with_previous_december_names_the_period(self):
        indicators = compute({"2024Q1": {"fktp_total": 23_245}, "2023Q4": {"fktp_total": 23_626}})
        item = indicators.get("fktp_change_vs_december")
        assert item.value == -381.0
        assert item.inputs == ("fktp_total", "fktp_total@2023Q4")

    def test_comparison_with_year_earlier(self):
        indicators = compute(
            {"2024Q1": {"referrals": 9_440_000}, "2023Q1": {"referrals": 7_860_000}}
        )
        assert indicators.value("referral_growth_yoy") == pytest.approx(20.1017812)

    def test_no_comparison_without_the_earlier_period(self):
        indicators = compute({"2024Q1": {"fktp_total": 23_245}})
        assert indicators.value("fktp_count") == 23_245.0
        assert indicators.get("fktp_change_vs_december") is None

    def test_segments_as_dimensions(self):
        indicators = compute(
            {
                "2024Q1": {"active_pbi": 96_725_576, "active_ppu_pn": 18_107_072},
                "2023Q4": {"active_pbi": 96_753_724},
            }
        )
        assert indicators.value("active_participants", segment="pbi") == 96_725_576.0
        assert indicators.value("active_change_vs_december", segment="pbi") == -28_148.0
        assert indicators.value("active_change_vs_december", segment="ppu_pn") is None
        assert indicators.value("active_participants") is None  # needs its dimension

    def test_seasonal_target_uses_the_same_quarter_of_every_earlier_year(self):
        # A made-up history: by March 2022 and 2023 a quarter and a fifth of the year's
        # premium income had come in (mean 22,5%); 2021 has no first quarter and is not used.
        indicators = compute(
            {
                "2021Q4": {"premium_income": 140e12},
                "2022Q1": {"premium_income": 36e12},
                "2022Q4": {"premium_income": 144e12},
                "2023Q1": {"premium_income": 30e12},
                "2023Q4": {"premium_income": 150e12},
                "2024Q1": {"premium_income": 38.6e12, "premium_income_target": 160.42e12},
            }
        )
        share = (36 / 144 + 30 / 150) / 2
        item = indicators.get("premium_income_vs_seasonal_target")
        assert item.value == pytest.approx(38.6 / (160.42 * share) * 100)
        assert item.inputs == ("premium_income", "premium_income_target")
        assert indicators.out_of_bounds == []

    def test_seasonal_target_in_a_fourth_quarter_equals_pro_rata(self):
        values = {"premium_income": 150e12, "premium_income_target": 160e12}
        indicators = compute(
            {"2022Q4": {"premium_income": 144e12}, "2023Q4": values}, Quarter(2023, 4)
        )
        assert indicators.value("premium_income_vs_seasonal_target") == pytest.approx(
            indicators.value("premium_income_vs_pro_rata_target")
        )

    @pytest.mark.parametrize(
        "history",
        [
            {},  # no earlier year at all
            {"2023Q4": {"premium_income": 150e12}},  # no earlier first quarter (as data/ holds)
            {"2023Q1": {"premium_income": 30e12}},  # a first quarter without its full year
            {"2024Q1": {"premium_income": 1e12}},  # the period itself is not history
        ],
    )
    def test_seasonal_target_left_out_without_a_profile(self, history):
        values = {"premium_income": 38.6e12, "premium_income_target": 160.42e12}
        periods = {**history, "2024Q1": {**history.get("2024Q1", {}), **values}}
        indicators = compute(periods)
        assert indicators.value("premium_income_vs_seasonal_target") is None
        assert indicators.value("premium_income_vs_pro_rata_target") == pytest.approx(96.2473507)
        assert indicators.undefined == []

    def test_seasonal_target_refuses_an_inconsistent_history(self):
        periods = {
            "2023Q1": {"premium_income": 160e12},  # more by March than in the whole year
            "2023Q4": {"premium_income": 150e12},
            "2024Q1": {"premium_income": 38.6e12, "premium_income_target": 160.42e12},
        }
        indicators = compute(periods)
        assert indicators.value("premium_income_vs_seasonal_target") is None
        (issue,) = [i for i in indicators.out_of_bounds if i.problem == "inconsistent_history"]
        assert issue.severity == "error" and issue.details["year"] == "2023"
        for language, words in (("id", "160 triliun"), ("en", "160 trillion")):
            text = issue.describe(language)
            assert "2023" in text and words in text and "150" in text, text

    def test_pro_rata_target_uses_months_elapsed(self):
        values = {"premium_income": 38.6e12, "premium_income_target": 160.42e12}
        q1 = compute({"2024Q1": values})
        q2 = compute({"2024Q2": values}, Quarter(2024, 2))
        assert q1.value("premium_income_vs_pro_rata_target") == pytest.approx(96.2473507)
        assert q2.value("premium_income_vs_pro_rata_target") == pytest.approx(48.1236754)
        assert q1.value("premium_income_vs_annual_target") == pytest.approx(24.0618377)

    def test_months_covered_and_corridor(self):
        indicators = compute(
            {"2022Q4": {"djs_net_assets": 56.51e12, "claims_expense_total": 113.47e12}},
            Quarter(2022, 4),
        )
        assert indicators.value("months_of_claims_covered") == pytest.approx(5.9762052)
        corridor = indicators.get("months_covered_corridor")
        assert corridor.value == "within"
        assert corridor.method == "computed"
        assert corridor.unit == "category"

    def test_negative_net_assets_are_below_the_corridor(self):
        indicators = compute({"2024Q1": {"djs_net_assets": -5e12, "claims_expense_total": 30e12}})
        assert indicators.value("months_of_claims_covered") == pytest.approx(-0.5)
        assert indicators.value("months_covered_corridor") == "below"

    def test_months_covered_in_q1_uses_three_months(self):
        indicators = compute({"2024Q1": {"djs_net_assets": 10e12, "claims_expense_total": 15e12}})
        assert indicators.value("months_of_claims_covered") == pytest.approx(2.0)

    def test_reported_value_used_when_not_computable(self):
        indicators = compute({"2024Q1": {"months_covered_reported": 3.98}})
        item = indicators.get("months_of_claims_covered")
        assert item.value == 3.98
        assert item.method == "reported"
        assert item.inputs == ("months_covered_reported",)
        assert item.unit == "months"
        corridor = indicators.get("months_covered_corridor")
        assert (corridor.value, corridor.method) == ("within", "reported")

    def test_computed_value_wins_over_reported(self):
        indicators = compute(
            {
                "2024Q1": {
                    "non_active_total": 47_360_000,
                    "registered_participants": 269_500_000,
                    "non_active_share_of_registered_reported": 18.8,
                }
            }
        )
        item = indicators.get("non_active_share_of_registered")
        assert item.method == "computed"
        assert item.value == pytest.approx(17.5732839)

    def test_reported_keeps_its_dimensions(self):
        indicators = compute({"2024Q1": {"claims_expense_share_rjtp_reported": 11.0}})
        item = indicators.get("claims_expense_share", service="rjtp")
        assert (item.value, item.method) == (11.0, "reported")
        assert indicators.get("claims_expense_share") is None

    def test_investment_shares(self):
        indicators = compute(
            {
                "2024Q1": {
                    "djs_investment_deposits": 44.29e12,
                    "djs_investment_government_bonds": 34.8e12,
                }
            }
        )
        # the total is derived from its parts, so the shares add up to 100
        deposits = indicators.value("djs_investment_share", instrument="deposits")
        bonds = indicators.value("djs_investment_share", instrument="government_bonds")
        assert deposits + bonds == pytest.approx(100.0)

    def test_registered_coverage_gap(self):
        indicators = compute(
            {
                "2024Q1": {
                    "registered_participants": 269_500_000,
                    "population": 280_725_428,
                    "registered_coverage_target": 98,
                }
            }
        )
        assert indicators.value("registered_coverage_gap_to_target") == pytest.approx(1.9987215)
        item = indicators.get("registered_coverage_gap_to_target")
        assert item.unit == "percentage_points"

    def test_empty_period_gives_empty_set(self):
        indicators = compute({"2023Q4": {"fktp_total": 1}})
        assert len(indicators) == 0
        assert list(indicators) == []
        assert indicators.as_json() == []


class TestIndicatorSet:
    @pytest.fixture
    def indicators(self) -> IndicatorSet:
        return compute(
            {
                "2024Q1": {
                    "claims_expense_total": 43.32e12,
                    "premium_income": 38.6e12,
                    "fktp_total": 23_245,
                    "months_covered_reported": 3.98,
                },
            }
        )

    def test_len_and_stable_order(self, indicators):
        items = list(indicators)
        assert len(items) == len(indicators)
        assert [item.key() for item in items] == sorted(item.key() for item in items)

    def test_as_json_rounds_at_catalogue_precision(self, indicators):
        records = {(r["code"], r.get("service")): r for r in indicators.as_json()}
        claim_ratio = records[("claim_ratio", None)]
        assert claim_ratio["value"] == 112.2  # 1 decimal in the catalogue
        assert claim_ratio["method"] == "computed"
        assert claim_ratio["inputs"] == ["claims_expense_total", "premium_income"]
        count = records[("fktp_count", None)]
        assert count["value"] == 23_245
        assert isinstance(count["value"], int)  # 0 decimals → int
        claims = records[("claims_expense", "total")]
        assert claims["value"] == 43_320_000_000_000
        assert records[("months_covered_corridor", None)]["value"] == "within"
        assert records[("months_of_claims_covered", None)]["method"] == "reported"

    def test_indicator_as_json_rounds_half_up(self):
        item = Indicator("claims_expense_share", 57.05, "percent", "2024Q1", {"service": "ritl"})
        record = item.as_json(1)
        assert record["value"] == 57.1
        assert record["service"] == "ritl"
        assert record["method"] == "computed"


class TestReportedVsComputed:
    def test_published_value_off_at_its_precision_is_flagged(self):
        figures = figure_set(
            {
                "2024Q1": {
                    "non_active_total": 47_360_000,
                    "registered_participants": 269_500_000,
                    "non_active_share_of_registered_reported": 18.8,
                }
            }
        )
        (issue,) = reported_vs_computed_issues(figures, compute_indicators(figures, Q1))
        assert issue.severity == "warning"
        assert issue.problem == "reported_vs_computed"
        assert issue.code == "non_active_share_of_registered_reported"
        assert issue.details == {"found": 18.8, "expected": 17.6}
        assert issue.describe("id") == (
            "non_active_share_of_registered_reported, 2024Q1: nilai dipublikasikan 18,8 "
            "berbeda dengan hasil hitung 17,6"
        )

    @pytest.mark.parametrize(
        ("published", "flagged"),
        [(5.98, False), (5.976, False), (5.97, True), (6.0, False), (5.9, True), (6, False)],
    )
    def test_compared_at_the_published_precision(self, published, flagged):
        figures = figure_set(
            {
                "2022Q4": {
                    "djs_net_assets": 56.51e12,
                    "claims_expense_total": 113.47e12,
                    "months_covered_reported": published,
                }
            }
        )
        issues = reported_vs_computed_issues(figures, compute_indicators(figures, Quarter(2022, 4)))
        assert bool(issues) is flagged

    def test_reported_only_indicators_are_not_compared(self):
        figures = figure_set({"2024Q1": {"months_covered_reported": 3.98}})
        assert reported_vs_computed_issues(figures, compute_indicators(figures, Q1)) == []

    def test_surplus_agrees_when_exact(self):
        figures = figure_set(
            {
                "2022Q4": {
                    "djs_revenue_total": 148.1e12,
                    "djs_expense_total": 130.4e12,
                    "djs_surplus_reported": 17.7e12,
                }
            }
        )
        indicators = compute_indicators(figures, Quarter(2022, 4))
        assert reported_vs_computed_issues(figures, indicators) == []

    @staticmethod
    def _load(tmp_path, period: str, rows: list[str]) -> FigureSet:
        folder = tmp_path / period
        folder.mkdir()
        lines = ["period,code,value,unit", *(f"{period},{row}" for row in rows)]
        (folder / "figures.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return load_figures(tmp_path)

    def test_scaled_published_value_is_compared_at_its_written_precision(self, tmp_path):
        figures = self._load(
            tmp_path,
            "2022Q4",
            [
                'djs_revenue_total,"148,14",triliun rupiah',
                'djs_expense_total,"130,4",triliun',
                'djs_surplus_reported,"17,7",triliun rupiah',
            ],
        )
        # computed 17,74 T; published 17,7 T agrees at 0,1 T
        indicators = compute_indicators(figures, Quarter(2022, 4))
        assert reported_vs_computed_issues(figures, indicators) == []

    def test_trailing_zeros_of_the_published_value_count(self, tmp_path):
        figures = self._load(
            tmp_path,
            "2024Q1",
            [
                "non_active_total,47.360.000,jiwa",
                "registered_participants,269.500.000,jiwa",
                'non_active_share_of_registered_reported,"17,60",persen',
            ],
        )
        # computed 17,57; published 17,60 differs at two decimals
        indicators = compute_indicators(figures, Q1)
        assert len(reported_vs_computed_issues(figures, indicators)) == 1


class TestUndefinedIndicator:
    def test_a_zero_denominator_is_said_in_each_language(self):
        # A premium income of 0 (as a FigureSet built in code can hold): no claim ratio.
        figures = figure_set({"2024Q1": {"claims_expense_total": 43.32e12, "premium_income": 0}})
        indicators = compute_indicators(figures, Q1)
        assert indicators.get("claim_ratio") is None
        issue = next(
            i for i in reported_vs_computed_issues(figures, indicators) if i.code == "claim_ratio"
        )
        assert issue.describe("id") == (
            "claim_ratio, 2024Q1: indikator claim_ratio tidak dapat dihitung dari "
            "claims_expense_total, premium_income: penyebutnya bernilai 0, padahal indikator ini "
            "memerlukan penyebut positif"
        )
        assert issue.describe("en") == (
            "claim_ratio, 2024Q1: indicator claim_ratio cannot be computed from "
            "claims_expense_total, premium_income: its denominator is 0, but the indicator needs "
            "a positive denominator"
        )


class TestBounds:
    def test_plausible_indicators_carry_no_error(self):
        indicators = compute(
            {"2024Q1": {"claims_expense_total": 43.32e12, "premium_income": 38.6e12}}
        )
        assert indicators.out_of_bounds == []

    def test_an_indicator_outside_its_bounds_is_an_error_naming_its_inputs(self):
        indicators = compute(
            {"2024Q1": {"claims_expense_total": 43.32e12, "premium_income": 3.86e12}}
        )
        (issue,) = indicators.out_of_bounds
        assert (issue.severity, issue.problem, issue.code) == (
            "error",
            "indicator_bounds",
            "claim_ratio",
        )
        assert issue.message == "indicator_bounds.hint"
        inputs = [item.place.code for item in issue.details["inputs"].items]
        assert inputs == ["claims_expense_total", "premium_income"]
        hints = {(hint.place.code, hint.factor) for hint in issue.details["hint"].items}
        assert hints == {("claims_expense_total", 0.1), ("premium_income", 10.0)}
        # Still computed, so the data check can show it; the loader refuses to build on it.
        assert indicators.value("claim_ratio") == pytest.approx(1122.279793)

    def test_the_smallest_rescaling_is_the_hint(self):
        # 400 T of net assets against 4,332 T of claims in a quarter: 277 months. Neither
        # figure ten times off explains it (27,7 months); a hundred times does (2,77), and so
        # would a thousand (0,28), which is not offered.
        indicators = compute(
            {"2024Q1": {"djs_net_assets": 400e12, "claims_expense_total": 4.332e12}}
        )
        (issue,) = [i for i in indicators.out_of_bounds if i.code == "months_of_claims_covered"]
        hints = {(hint.place.code, hint.factor) for hint in issue.details["hint"].items}
        assert hints == {("djs_net_assets", 0.01), ("claims_expense_total", 100.0)}

    def test_no_hint_when_no_rescaling_of_one_input_explains_it(self):
        indicators = compute({"2024Q1": {"active_total": 250e6, "population": 210e6}})
        (issue,) = indicators.out_of_bounds
        assert (issue.code, issue.message) == ("active_share_of_population", "")
        assert "hint" not in issue.details

    def test_categories_and_reported_values_are_not_checked_here(self):
        # A published value is bounded as a figure, on its row (jkn_analysis.inputs.loading).
        indicators = compute({"2024Q1": {"months_covered_reported": 3.98, "bopo_reported": 101.21}})
        assert indicators.get("months_covered_corridor").value == "within"
        assert indicators.out_of_bounds == []
