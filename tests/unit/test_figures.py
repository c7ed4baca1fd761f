"""Unit tests for jkn_analysis.inputs.figures.FigureSet: lookups, derived totals and soft checks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from jkn_analysis.catalogue.definitions import load_catalogue
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.checks import load_figures
from jkn_analysis.inputs.figures import FigureSet
from jkn_analysis.inputs.loading import FIGURE_COLUMNS

DATA_DIR = Path(__file__).parents[2] / "data"
Q1 = Quarter(2024, 1)


def figure_set(values: dict[str, float], period: str = "2024Q1", **statuses: str) -> FigureSet:
    rows = [
        {
            "period": period,
            "code": code,
            "value": float(value),
            "status": statuses.get(code, "observed"),
            "source": "test",
            "note": "",
            "file": f"{period}/figures.csv",
            "row": number,
        }
        for number, (code, value) in enumerate(values.items(), start=2)
    ]
    return FigureSet(pd.DataFrame(rows, columns=FIGURE_COLUMNS), load_catalogue())


class TestLookups:
    @pytest.fixture
    def figures(self) -> FigureSet:
        return figure_set({"fktp_total": 23_245, "fkrtl_total": 3_112})

    def test_value_by_quarter_or_text(self, figures):
        assert figures.value("fktp_total", Q1) == 23_245.0
        assert figures.value("fktp_total", "2024Q1") == 23_245.0
        assert isinstance(figures.value("fktp_total", Q1), float)

    def test_absent_value_is_none(self, figures):
        assert figures.value("population", Q1) is None
        assert figures.value("fktp_total", "2023Q4") is None
        assert figures.record("population", Q1) is None

    def test_has(self, figures):
        assert figures.has("fktp_total", Q1)
        assert not figures.has("fktp_total", Quarter(2023, 4))

    def test_record(self, figures):
        record = figures.record("fkrtl_total", Q1)
        assert record["period"] == "2024Q1"
        assert record["code"] == "fkrtl_total"
        assert record["value"] == 3_112.0
        assert record["file"] == "2024Q1/figures.csv"
        assert record["row"] == 3

    def test_period_table(self, figures):
        table = figures.period_table(Q1)
        assert sorted(table.index) == ["fkrtl_total", "fktp_total"]
        assert figures.period_table("2023Q4").empty

    def test_periods_sorted(self):
        rows = [
            {
                "period": period,
                "code": "fktp_total",
                "value": 1.0,
                "status": "observed",
                "source": "",
                "note": "",
                "file": "",
                "row": 2,
            }
            for period in ("2024Q1", "2022Q4", "2023Q4")
        ]
        figures = FigureSet(pd.DataFrame(rows, columns=FIGURE_COLUMNS), load_catalogue())
        assert figures.periods == [Quarter(2022, 4), Quarter(2023, 4), Quarter(2024, 1)]


class TestDerivedTotals:
    def test_missing_total_is_derived(self):
        figures = figure_set({"non_active_arrears": 16_010_000, "non_active_mutation": 31_350_000})
        record = figures.record("non_active_total", Q1)
        assert record["value"] == 47_360_000.0
        assert record["status"] == "derived"
        assert record["note"] == "sum of non_active_arrears + non_active_mutation"

    def test_incomplete_parts_derive_nothing(self):
        figures = figure_set({"non_active_arrears": 16_010_000})
        assert figures.value("non_active_total", Q1) is None

    def test_derived_per_period(self):
        rows = [
            {"period": "2024Q1", "code": "non_active_arrears", "value": 1.0},
            {"period": "2024Q1", "code": "non_active_mutation", "value": 2.0},
            {"period": "2023Q4", "code": "non_active_arrears", "value": 5.0},
        ]
        table = pd.DataFrame(
            [
                {**r, "status": "observed", "source": "", "note": "", "file": "", "row": 2}
                for r in rows
            ],
            columns=FIGURE_COLUMNS,
        )
        figures = FigureSet(table, load_catalogue())
        assert figures.value("non_active_total", "2024Q1") == 3.0
        assert figures.value("non_active_total", "2023Q4") is None


class TestSoftChecks:
    def test_parts_not_summing_to_total_warn(self):
        figures = figure_set(
            {
                "djs_investment_total": 79.16e12,
                "djs_investment_deposits": 44.29e12,
                "djs_investment_government_bonds": 34.8e12,
            }
        )
        (issue,) = figures.soft_check_issues(Q1)
        assert issue.severity == "warning"
        assert issue.problem == "parts_sum"
        assert issue.code == "djs_investment_total"
        assert issue.period == "2024Q1"
        assert issue.details["found"] == pytest.approx(79.09e12)
        assert issue.details["expected"] == 79.16e12
        assert issue.details["difference"] == pytest.approx(-0.07e12)
        assert issue.describe("en") == (
            "djs_investment_total, 2024Q1: parts djs_investment_deposits + "
            "djs_investment_government_bonds add up to 79,090,000,000,000, "
            "-70,000,000,000 away from the total 79,160,000,000,000"
        )
        assert issue.describe("id") == (
            "djs_investment_total, 2024Q1: rincian djs_investment_deposits + "
            "djs_investment_government_bonds berjumlah 79.090.000.000.000, berbeda "
            "-70.000.000.000 dari total 79.160.000.000.000"
        )

    def test_parts_summing_to_total_do_not_warn(self):
        figures = figure_set(
            {
                "non_active_total": 47_360_000,
                "non_active_arrears": 16_010_000,
                "non_active_mutation": 31_350_000,
            }
        )
        assert figures.soft_check_issues(Q1) == []

    def test_float_noise_is_tolerated(self):
        figures = figure_set(
            {
                "djs_investment_total": 0.3,
                "djs_investment_deposits": 0.1,
                "djs_investment_government_bonds": 0.2,
            }
        )
        assert figures.soft_check_issues(Q1) == []

    def test_incomplete_parts_are_not_checked(self):
        figures = figure_set({"djs_investment_total": 79.16e12, "djs_investment_deposits": 1.0})
        assert figures.soft_check_issues(Q1) == []

    def test_derived_totals_are_not_checked_against_themselves(self):
        figures = figure_set(
            {"djs_investment_deposits": 1.0, "djs_investment_government_bonds": 2.0}
        )
        assert figures.soft_check_issues(Q1) == []

    def test_nested_parts_each_checked(self):
        figures = figure_set({"active_bp": 100, "active_bp_pn": 60, "active_bp_private": 30})
        issues = figures.soft_check_issues(Q1)
        assert [(i.problem, i.code, i.details["difference"]) for i in issues] == [
            ("parts_sum", "active_bp", -10.0)
        ]

    def test_registered_minus_active_far_from_non_active_warns(self):
        figures = figure_set(
            {
                "registered_participants": 1_000_000,
                "active_total": 800_000,
                "non_active_total": 150_000,
            }
        )
        (issue,) = figures.soft_check_issues(Q1)
        assert issue.problem == "registered_vs_non_active"
        assert issue.code == "non_active_total"
        assert issue.details == {"expected": 200_000.0, "found": 150_000.0, "difference": 50_000.0}
        assert issue.describe("id") == (
            "non_active_total, 2024Q1: peserta terdaftar dikurangi peserta aktif = 200.000, "
            "sedangkan peserta non aktif menurut alasan = 150.000 (selisih 50.000)"
        )

    @pytest.mark.parametrize(
        ("non_active", "warns"),
        [(199_000, False), (198_999, True), (201_000, False), (201_001, True)],
    )
    def test_registered_gap_tolerance_is_a_tenth_of_a_percent(self, non_active, warns):
        figures = figure_set(
            {
                "registered_participants": 1_000_000,
                "active_total": 800_000,
                "non_active_total": non_active,
            }
        )
        assert bool(figures.soft_check_issues(Q1)) is warns

    def test_no_data_no_warnings(self):
        figures = figure_set({"fktp_total": 1})
        assert figures.soft_check_issues("2023Q4") == []


@pytest.fixture(scope="module")
def shipped() -> FigureSet:
    return load_figures(DATA_DIR)


class TestShippedData:
    def test_2024q1_gives_exactly_the_three_known_warnings(self, shipped):
        issues = shipped.soft_check_issues(Q1)
        assert sorted((issue.problem, issue.code) for issue in issues) == [
            ("ick_copy", "ick_realised_bp"),  # = active_bp of 2023Q1 (checked in detail below)
            ("parts_sum", "djs_investment_total"),
            ("registered_vs_non_active", "non_active_total"),
        ]
        gap = next(issue for issue in issues if issue.problem == "registered_vs_non_active")
        assert gap.details["difference"] == 7_638_391.0
        assert gap.details["expected"] == 54_998_391.0  # 269,5 juta − 214.501.609
        assert gap.details["found"] == 47_360_000.0
        assert "(selisih 7.638.391)" in gap.describe("id")
        assert "(a gap of 7,638,391)" in gap.describe("en")
        parts = next(issue for issue in issues if issue.problem == "parts_sum")
        assert parts.details["difference"] == pytest.approx(-0.07e12)

    def test_2024q1_active_totals_are_given_not_derived(self, shipped):
        for code in ("active_total", "active_non_pbi", "active_ppu_non_pn", "active_bp"):
            record = shipped.record(code, Q1)
            assert record["status"] == "observed", code
