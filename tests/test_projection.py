"""Tests of `jkn_analysis.projection` (the five-year DJS projection) and its chart,
`jkn_analysis.charts.projection_chart`.

Money in the hand computations is in triliun rupiah (T); the code works in rupiah.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from jkn_analysis import charts
from jkn_analysis import indicators as ind
from jkn_analysis import projection as pj
from jkn_analysis.loading import load_figures
from jkn_analysis.periods import Quarter

ROOT = Path(__file__).resolve().parents[1]
T = 1e12


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def figures():
    return load_figures(ROOT / "data", up_to=Quarter(2024, 1))


@pytest.fixture(scope="module")
def results(figures):
    return pj.project_scenarios(figures, Quarter(2024, 1))


def start_q4(**changes) -> pj.Start:
    """A start at a December (12 months elapsed: the base year is the year itself)."""
    values = {
        "period": Quarter(2023, 4),
        "premium_income": 110.0,
        "claims_expense": 120.0,
        "investment_income": 0.0,
        "net_assets": 50.0,
        "participants": 1000.0,
        "registered": 1250.0,
    }
    return pj.Start(**(values | changes))


def scenario(**parts) -> pj.Scenario:
    return pj.Scenario("test", {"id": "Uji", "en": "Test"}, {"id": "Uji", "en": "Test"}, **parts)


ZERO = pj.Drivers()


# --- Start ---------------------------------------------------------------------------------------
class TestDeriveStart:
    def test_2024q1_net_assets_derived_from_published_months_covered(self, figures):
        start = pj.derive_start(figures, "2024Q1")
        # 3,98 × 43,32 T / 3 = 3,98 × 14,44 T = 57,4712 T
        assert start.net_assets == pytest.approx(57.4712 * T, abs=1)
        assert start.net_assets_source == "months_covered_reported"
        assert start.net_assets_derived
        assert start.months_covered == pytest.approx(3.98)
        assert "3,98" in start.explanation["net_assets"]["id"]
        assert "3.98" in start.explanation["net_assets"]["en"]

    def test_2024q1_flows_and_participants(self, figures):
        start = pj.derive_start(figures, Quarter(2024, 1))
        assert (start.premium_income, start.claims_expense, start.investment_income) == (
            pytest.approx(38.6 * T),
            pytest.approx(43.32 * T),
            pytest.approx(1.388 * T),
        )
        assert start.participants == 214_501_609
        assert start.registered == 269_500_000
        assert start.population == 280_725_428
        # 214.501.609 / 269.500.000 = 79,59%
        assert start.active_share == pytest.approx(79.5924338, rel=1e-8)
        assert start.annualised("premium_income") == pytest.approx(154.4 * T)

    def test_prefers_the_net_assets_figure(self, figures):
        start = pj.derive_start(figures, "2022Q4")
        assert start.net_assets == pytest.approx(56.51 * T)
        assert start.net_assets_source == "djs_net_assets"
        assert not start.net_assets_derived
        # 56,51 / (113,47 / 12) = 5,98, as published
        assert start.months_covered == pytest.approx(5.976, abs=5e-4)

    def test_missing_flows_are_named(self, figures):
        with pytest.raises(pj.ProjectionError, match="premium_income, claims_expense_total"):
            pj.derive_start(figures, "2023Q1")

    def test_missing_net_assets_and_months_covered(self, figures):
        table = figures.table.reset_index()
        table = table[~table["code"].isin(["months_covered_reported"])]
        reduced = type(figures)(table, figures.catalogue)
        with pytest.raises(pj.ProjectionError, match="djs_net_assets"):
            pj.derive_start(reduced, "2024Q1")

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("claims_expense", 0.0, "claims expense must be positive"),
            ("participants", 0.0, "participants must be positive"),
            ("registered", -1.0, "registered participants must be positive"),
            ("net_assets", float("nan"), "finite"),
        ],
    )
    def test_invalid_start(self, field, value, message):
        with pytest.raises(pj.ProjectionError, match=message):
            start_q4(**{field: value})


# --- Drivers -------------------------------------------------------------------------------------
class TestDeriveDrivers:
    def test_2024q1_defaults_by_hand(self, figures):
        drivers = pj.derive_drivers(figures, "2024Q1")
        # Active participants 2023Q1 → 2024Q1: 214.501.609 / 204.872.380 − 1 = 4,700110869%
        assert drivers.participant_growth == pytest.approx(4.700110869, rel=1e-9)
        # Premium per participant: 2022 144,04 T / 204.369.682 = Rp704.801,21;
        # 2024 38,6 T × 4 / 214.501.609 = Rp719.808,12; (719.808,12 / 704.801,21)^(1/2) − 1
        # = 1,059012248%
        assert drivers.premium_per_participant_growth == pytest.approx(1.059012248, rel=1e-8)
        # Claims per participant: 2022 113,47 T / 204.369.682 = Rp555.219,34;
        # 2024 43,32 T × 4 / 214.501.609 = Rp807.826,11; (807.826,11 / 555.219,34)^(1/2) − 1
        # = 20,62203460%
        assert drivers.claims_per_participant_growth == pytest.approx(20.6220346, rel=1e-8)
        # YoI 1,67% × 12/3 = 6,68%
        assert drivers.investment_yield == pytest.approx(6.68)
        # (−2,177 − (38,6 − 43,32 + 1,388)) / 38,6 = 1,155 / 38,6 = 2,992227979%
        assert drivers.other_net_share == pytest.approx(2.992227979, rel=1e-9)
        assert set(drivers.basis.values()) == {"derived"}

    def test_every_driver_is_explained_in_both_languages(self, figures):
        drivers = pj.derive_drivers(figures, "2024Q1")
        assert set(drivers.explanation) == set(pj.driver_names())
        for texts in drivers.explanation.values():
            assert set(texts) == {"id", "en"} and all(texts.values())
        assert "2023Q1 → 2024Q1" in drivers.explanation["participant_growth"]["en"]
        assert "4,70%" in drivers.explanation["participant_growth"]["id"]
        assert "Permenkes 3/2023" in drivers.explanation["claims_per_participant_growth"]["en"]
        assert "1,67% × 12/3 = 6,68%" in drivers.explanation["investment_yield"]["id"]

    def test_fallbacks_where_history_is_thin(self, figures):
        # 2022Q4: no active participants a year earlier, no earlier full year with them, no YoI.
        drivers = pj.derive_drivers(figures, "2022Q4")
        assert drivers.participant_growth == 0.0
        assert drivers.premium_per_participant_growth == 0.0
        assert drivers.claims_per_participant_growth == 0.0
        for name in (
            "participant_growth",
            "premium_per_participant_growth",
            "claims_per_participant_growth",
        ):
            assert drivers.basis[name] == "fallback"
        # Investment income / net assets: 2,89 / 56,51 = 5,114139%
        assert drivers.investment_yield == pytest.approx(5.1141391, rel=1e-7)
        assert drivers.basis["investment_yield"] == "derived"
        # (17,7 − (144,04 − 113,47 + 2,89)) / 144,04 = −15,76 / 144,04 = −10,941405%
        assert drivers.other_net_share == pytest.approx(-10.9414052, rel=1e-7)

    def test_investment_yield_falls_back_to_the_ick_target(self, figures):
        table = figures.table.reset_index()
        table = table[
            ~((table["period"] == "2024Q1") & table["code"].isin(["djs_investment_yield"]))
            & ~((table["period"] == "2024Q1") & (table["code"] == "djs_investment_income"))
        ]
        reduced = type(figures)(table, figures.catalogue)
        drivers = pj.derive_drivers(reduced, "2024Q1")
        assert drivers.investment_yield == pytest.approx(5.7)
        assert drivers.basis["investment_yield"] == "fallback"
        assert "ICK" in drivers.explanation["investment_yield"]["en"]


class TestDrivers:
    def test_overrides_replace_and_explain(self):
        drivers = pj.Drivers(claims_per_participant_growth=20.0)
        changed = drivers.with_overrides({"claims_per_participant_growth": 5.0})
        assert changed.claims_per_participant_growth == 5.0
        assert changed.basis["claims_per_participant_growth"] == "override"
        assert "default 20.00%" in changed.explanation["claims_per_participant_growth"]["en"]
        assert drivers.claims_per_participant_growth == 20.0  # frozen: a new object

    def test_unknown_override_suggests_a_name(self):
        with pytest.raises(pj.ProjectionError, match="did you mean 'participant_growth'"):
            ZERO.with_overrides({"participants_growth": 1.0})

    @pytest.mark.parametrize("value", [-100.0, -150.0, float("nan"), float("inf"), "5", True])
    def test_invalid_values(self, value):
        with pytest.raises(pj.ProjectionError, match="investment_yield"):
            pj.Drivers(investment_yield=value)

    def test_values_in_order(self):
        assert list(ZERO.values()) == list(pj.driver_names())


# --- Closed forms --------------------------------------------------------------------------------
class TestClosedForms:
    def test_constant_growth_gives_geometric_series(self):
        drivers = pj.Drivers(
            participant_growth=2.0,
            premium_per_participant_growth=3.0,
            claims_per_participant_growth=5.0,
        )
        table = pj.project(start_q4(), drivers, years=5).table
        for t, row in enumerate(table.itertuples()):
            assert row.year == 2023 + t
            assert row.participants == pytest.approx(1000 * 1.02**t, rel=1e-12)
            assert row.premium_income == pytest.approx(110 * (1.02 * 1.03) ** t, rel=1e-12)
            assert row.claims_expense == pytest.approx(120 * (1.02 * 1.05) ** t, rel=1e-12)
        # Net assets add up the yearly gaps: A_5 = 50 + Σ_{t=1..5} (P_t − C_t).
        gaps = sum(110 * (1.02 * 1.03) ** t - 120 * (1.02 * 1.05) ** t for t in range(1, 6))
        assert table["net_assets"].iloc[-1] == pytest.approx(50 + gaps, rel=1e-12)

    def test_zero_growth_keeps_the_gap_constant_and_assets_linear(self):
        table = pj.project(start_q4(), ZERO, years=5).table
        # P − C = 110 − 120 = −10 every year; A_t = 50 − 10 t
        assert list(table["surplus"]) == [-10.0] * 6
        assert list(table["net_assets"]) == [50.0 - 10 * t for t in range(6)]
        assert list(table["premium_income"]) == [110.0] * 6

    def test_zero_growth_from_a_first_quarter(self):
        start = start_q4(
            period=Quarter(2024, 1), premium_income=27.5, claims_expense=30.0, net_assets=60.0
        )
        table = pj.project(start, ZERO, years=3).table
        # Year 0: 27,5 × 4 = 110 and 30 × 4 = 120, gap −10; 9 of 12 months are still to come:
        # A_2024 = 60 − 10 × 9/12 = 52,5; then −10 a year.
        assert table["premium_income"].iloc[0] == 110.0
        assert table["claims_expense"].iloc[0] == 120.0
        assert list(table["net_assets"]) == [52.5, 42.5, 32.5, 22.5]
        assert list(table["kind"]) == ["estimate", "projection", "projection", "projection"]

    def test_investment_and_other_lines(self):
        start = start_q4(investment_income=4.0)
        drivers = pj.Drivers(investment_yield=10.0, other_net_share=-5.0)
        table = pj.project(start, drivers, years=2).table
        # Year 0: 110 − 120 + 4 (observed) − 5% × 110 = −11.5; A_0 = 50 (12 months elapsed).
        assert table["surplus"].iloc[0] == pytest.approx(-11.5)
        assert table["net_assets"].iloc[0] == pytest.approx(50.0)
        # Year 1: I = 10% × 50 = 5; O = −5,5; S = 110 − 120 + 5 − 5,5 = −10,5; A = 39,5.
        assert table["investment_income"].iloc[1] == pytest.approx(5.0)
        assert table["other_net"].iloc[1] == pytest.approx(-5.5)
        assert table["net_assets"].iloc[1] == pytest.approx(39.5)
        # Year 2: I = 10% × 39,5 = 3,95; A = 39,5 − 10 + 3,95 − 5,5 = 27,95.
        assert table["net_assets"].iloc[2] == pytest.approx(27.95)

    def test_months_covered_is_the_december_indicator(self):
        table = pj.project(start_q4(), pj.Drivers(claims_per_participant_growth=7.0)).table
        for row in table.itertuples():
            assert row.months_covered == pytest.approx(
                ind.months_of_claims_covered(row.net_assets, row.claims_expense, 12)
            )
            assert row.corridor == ind.corridor_position(row.months_covered)

    @pytest.mark.parametrize("years", [0, 31, 2.5, True])
    def test_years_out_of_range(self, years):
        with pytest.raises(pj.ProjectionError, match="years"):
            pj.project(start_q4(), ZERO, years=years)


# --- Crossing years ------------------------------------------------------------------------------
class TestCrossings:
    @pytest.mark.parametrize("k", [1, 2, 3, 4])
    def test_exactly_at_the_floor_is_not_below(self, k):
        # Claims 12 a year = 1 a month, so months covered = net assets. Premiums 11: −1 a year.
        # Start at 1,5 + k: year k ends at exactly 1,5 (within the corridor, as
        # corridor_position says), year k + 1 at 0,5, below.
        start = start_q4(premium_income=11.0, claims_expense=12.0, net_assets=1.5 + k)
        projection = pj.project(start, ZERO, years=6)
        assert projection.row(2023 + k)["months_covered"] == 1.5
        assert ind.corridor_position(1.5) == "within"
        assert projection.row(2023 + k)["corridor"] == "within"
        assert projection.first_year_below_floor == 2023 + k + 1
        assert projection.first_year_exhausted == 2023 + k + 2  # 1,5 → 0,5 → −0,5

    def test_net_assets_of_exactly_zero_are_exhausted(self):
        # 4,5 → 3 → 1,5 → 0: runs out at the end of year 3.
        start = start_q4(premium_income=10.5, claims_expense=12.0, net_assets=4.5)
        projection = pj.project(start, ZERO, years=5)
        assert projection.row(2026)["net_assets"] == 0.0
        assert projection.first_year_exhausted == 2026
        assert projection.first_year_below_floor == 2026

    def test_never(self):
        projection = pj.project(start_q4(premium_income=130.0), ZERO)
        assert projection.first_year_below_floor is None
        assert projection.first_year_exhausted is None
        assert "stay at 1.5 or more until the end of 2028" in projection.summary("en")

    def test_below_in_the_base_year(self):
        start = start_q4(net_assets=12.0)  # 12 / (120 / 12) = 1,2 months
        projection = pj.project(start, ZERO)
        assert projection.first_year_below_floor == 2023
        assert projection.first_year_exhausted == 2025  # 12 → 2 → −8

    def test_summary_names_the_years(self):
        # 3,5 → 2,5 → 1,5 → 0,5 (2026, below) → −0,5 (2027, run out)
        start = start_q4(premium_income=11.0, claims_expense=12.0, net_assets=3.5)
        projection = pj.project(start, ZERO, scenario=scenario())
        assert projection.summary("id").startswith(
            "Uji: ketahanan dana turun di bawah 1,5 bulan pada akhir 2026 dan aset neto habis "
            "pada 2027;"
        )
        assert projection.summary("en").startswith(
            "Test: months covered fall below 1.5 at the end of 2026 and net assets run out in 2027;"
        )


# --- Scenario adjustments ------------------------------------------------------------------------
class TestAdjustments:
    def test_premium_increase_is_a_lasting_step_in_its_year(self):
        drivers = pj.Drivers(participant_growth=1.0, premium_per_participant_growth=2.0)
        base = pj.project(start_q4(), drivers).table
        raised = pj.project(
            start_q4(), drivers, scenario=scenario(premium_increase=pj.Step(10.0, 2025))
        ).table
        ratio = raised["premium_income"] / base["premium_income"]
        assert list(ratio.round(12)) == [1.0, 1.0, 1.1, 1.1, 1.1, 1.1]
        assert (raised["claims_expense"] == base["claims_expense"]).all()

    def test_claims_growth_cut_from_its_year(self):
        drivers = pj.Drivers(participant_growth=1.0, claims_per_participant_growth=12.0)
        table = pj.project(
            start_q4(), drivers, scenario=scenario(claims_growth_cut=pj.Step(5.0, 2026))
        ).table
        growth = (table["claims_expense"] / table["claims_expense"].shift()).iloc[1:]
        # 2024, 2025: 1,01 × 1,12; from 2026: 1,01 × 1,07
        assert list(growth.round(12)) == pytest.approx(
            [1.01 * 1.12, 1.01 * 1.12, 1.01 * 1.07, 1.01 * 1.07, 1.01 * 1.07]
        )

    def test_cut_below_minus_100_is_refused(self):
        with pytest.raises(pj.ProjectionError, match="after the cut"):
            pj.project(start_q4(), ZERO, scenario=scenario(claims_growth_cut=pj.Step(100, 2024)))

    def test_adjustment_in_the_base_year_is_taken_as_observed(self):
        projection = pj.project(
            start_q4(), ZERO, scenario=scenario(premium_increase=pj.Step(10.0, 2023))
        )
        assert list(projection.table["premium_income"]) == [110.0] * 6
        assert any("already in the figures" in note["en"] for note in projection.notes)

    def test_claims_growth_cut_dated_earlier_applies_in_every_projected_year(self):
        drivers = pj.Drivers(claims_per_participant_growth=10.0)
        projection = pj.project(
            start_q4(), drivers, scenario=scenario(claims_growth_cut=pj.Step(4.0, 2020))
        )
        growth = projection.table["claims_expense"] / projection.table["claims_expense"].shift()
        assert list(growth.iloc[1:]) == pytest.approx([1.06] * 5)
        assert projection.notes == ()

    def test_active_share_targets(self):
        # Start share 1000 / 1250 = 80%; targets 84% in 2025, 90% in 2027.
        targets = {2025: 84.0, 2027: 90.0}
        projection = pj.project(
            start_q4(),
            pj.Drivers(participant_growth=2.0),
            scenario=scenario(active_share_targets=targets),
        )
        table = projection.table
        assert list(table["active_share"]) == pytest.approx([80, 82, 84, 87, 90, 90])
        # N_t = 1000 × 1,02^t × s_t / 80
        expected = [1000 * 1.02**t * s / 80 for t, s in enumerate([80, 82, 84, 87, 90, 90])]
        assert list(table["participants"]) == pytest.approx(expected, rel=1e-12)
        # Premiums and claims follow participants.
        assert list(table["premium_income"] / table["participants"]) == pytest.approx([0.11] * 6)

    def test_targets_never_lower_the_share(self):
        projection = pj.project(
            start_q4(), ZERO, scenario=scenario(active_share_targets={2025: 70.0})
        )
        assert list(projection.table["active_share"]) == [80.0] * 6

    def test_targets_need_registered_participants(self):
        with pytest.raises(pj.ProjectionError, match="registered"):
            pj.project(
                start_q4(registered=None),
                ZERO,
                scenario=scenario(active_share_targets={2025: 90.0}),
            )

    def test_scenario_driver_overrides_win(self):
        projection = pj.project(
            start_q4(),
            pj.Drivers(participant_growth=5.0),
            scenario=scenario(drivers={"participant_growth": 0.0}),
        )
        assert projection.drivers.participant_growth == 0.0
        assert projection.drivers.basis["participant_growth"] == "override"

    def test_participants_passing_the_population_get_a_note(self):
        start = start_q4(population=1100.0)
        projection = pj.project(start, pj.Drivers(participant_growth=5.0))
        assert any("in 2025" in note["en"] for note in projection.notes)  # 1000 × 1,05² > 1100


# --- Sensitivity ---------------------------------------------------------------------------------
growth = st.floats(min_value=-20, max_value=30, allow_nan=False)


class TestSensitivity:
    @settings(max_examples=150, deadline=None)
    @given(
        g_n=growth,
        g_p=growth,
        g_c=growth,
        y=st.floats(min_value=0, max_value=15),
        o=st.floats(min_value=-30, max_value=10),
        low=st.floats(min_value=0, max_value=50),
        extra=st.floats(min_value=0, max_value=50),
        from_year=st.integers(min_value=2024, max_value=2030),
        net_assets=st.floats(min_value=-100, max_value=200),
    )
    def test_higher_premium_adjustment_never_lowers_months_covered(
        self, g_n, g_p, g_c, y, o, low, extra, from_year, net_assets
    ):
        drivers = pj.Drivers(g_n, g_p, g_c, y, o)
        start = start_q4(net_assets=net_assets, investment_income=1.0)
        lower = pj.project(
            start, drivers, scenario=scenario(premium_increase=pj.Step(low, from_year))
        )
        higher = pj.project(
            start, drivers, scenario=scenario(premium_increase=pj.Step(low + extra, from_year))
        )
        for a, b in zip(lower.table["months_covered"], higher.table["months_covered"], strict=True):
            assert b >= a - 1e-9 * max(1.0, abs(a))
        below = (lower.first_year_below_floor, higher.first_year_below_floor)
        if below[0] is not None and below[1] is not None:
            assert below[1] >= below[0]

    @settings(max_examples=100, deadline=None)
    @given(g_c=growth, cut=st.floats(min_value=0, max_value=20), y=st.floats(0, 15))
    def test_a_claims_growth_cut_never_lowers_months_covered(self, g_c, cut, y):
        drivers = pj.Drivers(claims_per_participant_growth=g_c, investment_yield=y)
        base = pj.project(start_q4(), drivers)
        cut_ = pj.project(
            start_q4(), drivers, scenario=scenario(claims_growth_cut=pj.Step(cut, 2025))
        )
        for a, b in zip(base.table["months_covered"], cut_.table["months_covered"], strict=True):
            assert b >= a - 1e-9 * max(1.0, abs(a))


# --- Scenario file -------------------------------------------------------------------------------
def write_scenarios(tmp_path: Path, scenarios: dict) -> Path:
    path = tmp_path / "scenarios.yaml"
    path.write_text(yaml.safe_dump({"scenarios": scenarios}, allow_unicode=True), "utf-8")
    return path


LABELS = {"label": {"id": "Dasar", "en": "Baseline"}, "description": {"id": "x", "en": "x"}}


class TestScenarioFile:
    def test_packaged_scenarios(self):
        scenarios = pj.load_scenarios()
        assert next(iter(scenarios)) == "baseline"
        assert {"premium_adjustment", "cost_containment", "active_participation"} <= set(scenarios)
        assert scenarios["premium_adjustment"].premium_increase == pj.Step(10.0, 2025)
        assert scenarios["premium_adjustment"].illustrative
        assert scenarios["cost_containment"].claims_growth_cut == pj.Step(10.0, 2025)
        assert scenarios["active_participation"].active_share_targets == {2025: 80.0, 2029: 83.5}
        assert "RPJMN" in scenarios["active_participation"].source
        assert not scenarios["active_participation"].illustrative
        for s in scenarios.values():
            assert s.label["id"] and s.label["en"] and s.description["id"] and s.description["en"]

    def test_unknown_key_and_driver_are_errors_named_together(self, tmp_path):
        path = write_scenarios(
            tmp_path,
            {
                "baseline": LABELS,
                "odd": {
                    **LABELS,
                    "premium_increse": {"percent": 5, "from_year": 2025},
                    "drivers": {"claim_growth": 3.0},
                },
            },
        )
        with pytest.raises(pj.ScenarioError) as error:
            pj.load_scenarios(path)
        message = str(error.value)
        assert "unknown key 'premium_increse' (did you mean 'premium_increase'?)" in message
        assert "unknown driver 'claim_growth'" in message
        assert len(error.value.problems) == 2

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"label": {"id": "x"}, "description": {"id": "x", "en": "x"}}, "id and en"),
            ({"description": {"id": "x", "en": "x"}}, "label is missing"),
            ({**LABELS, "premium_increase": {"percent": 5}}, "exactly percent and from_year"),
            ({**LABELS, "premium_increase": {"percent": -100, "from_year": 2025}}, "above -100"),
            ({**LABELS, "claims_growth_cut": {"points": 5, "from_year": "2025"}}, "a year"),
            ({**LABELS, "active_share_targets": {2025: 120}}, "percentage in (0, 100]"),
            ({**LABELS, "active_share_targets": {"soon": 80}}, "not a year"),
            ({**LABELS, "drivers": {"investment_yield": "high"}}, "number above -100"),
            ({**LABELS, "illustrative": "yes"}, "true or false"),
            ("not a mapping", "must be a mapping"),
        ],
    )
    def test_invalid_scenario(self, tmp_path, body, message):
        path = write_scenarios(tmp_path, {"baseline": LABELS, "bad": body})
        with pytest.raises(pj.ScenarioError, match=re.escape(message)):
            pj.load_scenarios(path)

    def test_baseline_is_required(self, tmp_path):
        with pytest.raises(pj.ScenarioError, match="'baseline' is required"):
            pj.load_scenarios(write_scenarios(tmp_path, {"other": LABELS}))

    def test_not_a_scenario_document(self):
        with pytest.raises(pj.ScenarioError, match="scenarios:"):
            pj.parse_scenarios(["baseline"])
        with pytest.raises(pj.ScenarioError, match="unknown top-level key 'extra'"):
            pj.parse_scenarios({"scenarios": {"baseline": LABELS}, "extra": 1})

    def test_unreadable_file(self, tmp_path):
        with pytest.raises(pj.ScenarioError, match="cannot read"):
            pj.load_scenarios(tmp_path / "missing.yaml")
        broken = tmp_path / "broken.yaml"
        broken.write_text("scenarios: [", "utf-8")
        with pytest.raises(pj.ScenarioError, match="cannot read"):
            pj.load_scenarios(broken)

    def test_baseline_comes_first(self, tmp_path):
        path = write_scenarios(tmp_path, {"zeta": LABELS, "baseline": LABELS})
        assert list(pj.load_scenarios(path)) == ["baseline", "zeta"]


# --- The shipped data: baseline from 2024 Q1 -----------------------------------------------------
class TestBaseline2024Q1:
    def test_base_year_by_hand(self, results):
        row = results.baseline.row(2024)
        assert row["kind"] == "estimate"
        # Annualised from Q1 (× 12/3): 38,6 × 4 = 154,4 T; 43,32 × 4 = 173,28 T;
        # 1,388 × 4 = 5,552 T; other 2,9922% × 154,4 = 1,155 × 4 = 4,62 T
        assert row["premium_income"] == pytest.approx(154.4 * T, abs=1)
        assert row["claims_expense"] == pytest.approx(173.28 * T, abs=1)
        assert row["investment_income"] == pytest.approx(5.552 * T, abs=1)
        assert row["other_net"] == pytest.approx(4.62 * T, abs=1)
        # Surplus 154,4 − 173,28 + 5,552 + 4,62 = −8,708 T: the published deficit −2,177 T × 4
        assert row["surplus"] == pytest.approx(-8.708 * T, abs=1)
        # Net assets at the end of 2024: 57,4712 − 8,708 × 9/12 = 57,4712 − 6,531 = 50,9402 T
        assert row["net_assets"] == pytest.approx(50.9402 * T, abs=1)
        # Months covered 50,9402 / (173,28 / 12) = 50,9402 / 14,44 = 3,5277 bulan
        assert row["months_covered"] == pytest.approx(3.527714681, rel=1e-9)

    def test_2025_by_hand(self, results):
        row = results.baseline.row(2025)
        # N = 214.501.609 × 1,04700111 = 224.583.422
        assert round(row["participants"]) == 224_583_422
        # P = 154,4 × 1,04700111 × 1,01059012 = 154,4 × 1,05808898 = 163,3689 T
        assert row["premium_income"] / T == pytest.approx(163.368938, abs=1e-6)
        # C = 173,28 × 1,04700111 × 1,20622035 = 173,28 × 1,26291403 = 218,8377 T
        assert row["claims_expense"] / T == pytest.approx(218.837745, abs=1e-6)
        # I = 6,68% × 50,9402 = 3,402805 T
        assert row["investment_income"] / T == pytest.approx(3.40280536, abs=1e-8)
        # O = 2,9922280% × 163,3689 = 4,888371 T
        assert row["other_net"] / T == pytest.approx(4.888371, abs=1e-6)
        # S = 163,3689 − 218,8377 + 3,4028 + 4,8884 = −47,1776 T; A = 50,9402 − 47,1776 = 3,7626 T
        assert row["surplus"] / T == pytest.approx(-47.177630, abs=1e-6)
        assert row["net_assets"] / T == pytest.approx(3.762570, abs=1e-6)
        # M = 3,7626 × 12 / 218,8377 = 0,2063 bulan: below the floor of 1,5
        assert row["months_covered"] == pytest.approx(0.20632108, abs=1e-8)
        assert row["corridor"] == "below"

    def test_crossing_years_per_scenario(self, results):
        crossings = results.crossings().set_index("scenario")
        assert crossings.loc["baseline", "first_year_below_floor"] == 2025
        assert crossings.loc["baseline", "first_year_exhausted"] == 2026
        for name in ("premium_adjustment", "cost_containment", "active_participation"):
            assert crossings.loc[name, "first_year_below_floor"] == 2025
            assert crossings.loc[name, "first_year_exhausted"] == 2026
        assert crossings.loc["combined", "first_year_below_floor"] == 2026
        assert crossings.loc["combined", "first_year_exhausted"] == 2027

    def test_measures_lift_months_covered(self, results):
        base = results.baseline.table["months_covered"]
        for name in ("premium_adjustment", "cost_containment", "combined"):
            assert (results[name].table["months_covered"] >= base - 1e-12).all()
        # 2025 with contributions +10%: P = 163,3689 × 1,1 = 179,7058 T
        assert results["premium_adjustment"].row(2025)["premium_income"] / T == pytest.approx(
            179.705832, abs=1e-6
        )

    def test_years_and_rows(self, results):
        assert results.baseline.years == [2024, 2025, 2026, 2027, 2028, 2029]
        assert list(results.baseline.table.columns) == list(pj.TABLE_COLUMNS)


# --- Results for the report ----------------------------------------------------------------------
class TestResults:
    def test_mapping_of_scenarios(self, results):
        assert next(iter(results)) == "baseline"
        assert len(results) == len(pj.load_scenarios())
        assert results.baseline is results["baseline"]

    def test_summaries(self, results):
        summaries = results.summaries("id")
        assert summaries["baseline"] == (
            "Dasar (tren terkini): ketahanan dana turun di bawah 1,5 bulan pada akhir 2025 dan "
            "aset neto habis pada 2026; pada akhir 2029 aset neto -Rp900,79 T."
        )
        assert results.summaries("en")["combined"].startswith(
            "Combined: months covered fall below 1.5 at the end of 2026 and net assets run out "
            "in 2027"
        )

    def test_overrides_reach_every_scenario(self, figures):
        results = pj.project_scenarios(
            figures, "2024Q1", years=3, overrides='{"claims_per_participant_growth": 5.0}'
        )
        assert results.drivers.claims_per_participant_growth == 5.0
        assert results.default_drivers.claims_per_participant_growth == pytest.approx(20.6220346)
        assert results["cost_containment"].drivers.claims_per_participant_growth == 5.0
        assert results.baseline.years == [2024, 2025, 2026, 2027]

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [("{", "JSON object"), ("[1]", "JSON object"), ('{"x": "a"}', "must be a number")],
    )
    def test_bad_overrides(self, overrides, message):
        with pytest.raises(pj.ProjectionError, match=message):
            pj.parse_overrides(overrides)

    def test_empty_overrides(self):
        assert pj.parse_overrides("") == pj.parse_overrides(None) == {}

    def test_chart_data(self, results):
        data = results.chart_data("en")
        assert list(data.columns) == ["year", "scenario", "value", "baseline"]
        assert len(data) == 6 * len(results)
        assert set(data.loc[data["baseline"], "scenario"]) == {"Baseline (recent trends)"}

    def test_indicators(self, results):
        records = results.indicators()
        months = [
            r
            for r in records
            if r.code == "projection_months_covered" and r.dimensions["scenario"] == "baseline"
        ]
        assert [r.dimensions["year"] for r in months] == [str(y) for y in range(2024, 2030)]
        assert months[1].as_json(2)["value"] == 0.21
        first = {
            (r.code, r.dimensions["scenario"]): r.value
            for r in records
            if r.code.startswith("projection_first_year")
        }
        assert first[("projection_first_year_below_floor", "baseline")] == "2025"
        assert first[("projection_first_year_exhausted", "combined")] == "2027"
        drivers = {r.dimensions["driver"]: r for r in records if r.code == "projection_driver"}
        assert drivers["investment_yield"].as_json(2)["value"] == 6.68
        assert all(r.period == "2024Q1" for r in records)

    def test_as_json_is_serialisable(self, results):
        document = json.loads(json.dumps(results.as_json()))
        assert document["start"]["net_assets_source"] == "months_covered_reported"
        assert document["scenarios"]["baseline"]["first_year_exhausted"] == 2026
        assert len(document["scenarios"]["baseline"]["table"]) == 6


class TestView:
    def test_cells_render(self, tmp_path):
        view = pj.explore("2024Q1", language="en", data_dir=ROOT / "data")
        assert "Laporan Kinerja Program JKN" in view.introduction()._repr_html_()
        assert "57.471 T" in view.start_table().html
        assert "6.68%" in view.drivers_table().html
        assert "(illustrative)" in view.scenarios_table().html
        assert view.summary().html.count("<li>") == len(view.results)
        assert view.chart().html.startswith('<figure class="chart"><svg')
        assert view.tables().html.count("<table>") == len(view.results)
        assert view.write("").html == ""
        view.write(str(tmp_path / "out"))
        assert json.loads((tmp_path / "out" / "projection.json").read_text("utf-8"))["period"] == (
            "2024Q1"
        )

    def test_indonesian_table(self, results):
        table = results.baseline.display_table("id")
        assert table.iloc[0, 0] == "2024*"
        assert table["Ketahanan dana (bulan)"].tolist()[:2] == ["3,53", "0,21"]
        assert table["Aset neto akhir tahun"].iloc[0] == "Rp50,94 T"

    def test_unknown_language(self, results):
        with pytest.raises(ValueError, match="language"):
            results.baseline.summary("fr")


# --- Chart ---------------------------------------------------------------------------------------
@pytest.fixture
def chart_data() -> pd.DataFrame:
    rows = []
    for scenario_label, values, baseline in (
        ("Dasar", [3.53, 0.21, -4.10], True),
        ("Penyesuaian iuran", [3.53, 1.13, -2.54], False),
        ("Kendali biaya", [3.53, 1.31, -1.60], False),
    ):
        for year, value in zip(["2024", "2025", "2026"], values, strict=True):
            rows.append(
                {"year": year, "scenario": scenario_label, "value": value, "baseline": baseline}
            )
    return pd.DataFrame(rows)


def scenario_lines(ax: Axes):
    return [line for line in ax.get_lines() if not line.get_label().startswith("_")]


class TestProjectionChart:
    def test_one_line_per_scenario_baseline_first_and_thickest(self, chart_data):
        ax = charts.projection_chart(chart_data)
        lines = scenario_lines(ax)
        assert [line.get_label() for line in lines] == [
            "Dasar",
            "Penyesuaian iuran",
            "Kendali biaya",
        ]
        assert list(lines[0].get_ydata()) == [3.53, 0.21, -4.10]
        assert lines[0].get_linewidth() > max(line.get_linewidth() for line in lines[1:])
        assert lines[0].get_color() == charts.CURRENT_COLOUR
        assert len({line.get_linestyle() for line in lines[1:]}) == 2

    def test_corridor_span(self, chart_data):
        ax = charts.projection_chart(chart_data, floor=1.5, ceiling=6.0, corridor_label="Koridor")
        spans = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_label() == "Koridor"]
        assert len(spans) == 1
        assert (spans[0].get_y(), spans[0].get_y() + spans[0].get_height()) == (1.5, 6.0)
        low, high = ax.get_ylim()
        assert low < -4.10 and high >= 6.0

    def test_legend_and_zero_line(self, chart_data):
        ax = charts.projection_chart(chart_data, corridor_label="Koridor PP 53/2018")
        labels = [text.get_text() for text in ax.get_legend().get_texts()]
        assert labels == ["Koridor PP 53/2018", "Dasar", "Penyesuaian iuran", "Kendali biaya"]
        zero = [line for line in ax.get_lines() if list(line.get_ydata()) == [0, 0]]
        assert len(zero) == 1

    def test_no_zero_line_when_all_positive(self, chart_data):
        data = chart_data.assign(value=chart_data["value"].abs() + 1)
        ax = charts.projection_chart(data)
        assert not [line for line in ax.get_lines() if list(line.get_ydata()) == [0, 0]]
        assert ax.get_ylim()[0] < 0 < ax.get_ylim()[1]  # room below for the baseline's labels

    def test_baseline_values_written_in_the_language(self, chart_data):
        ax = charts.projection_chart(chart_data, language="en")
        assert [text.get_text() for text in ax.texts] == ["3.53", "0.21", "-4.10"]
        ax = charts.projection_chart(chart_data)
        assert [text.get_text() for text in ax.texts] == ["3,53", "0,21", "-4,10"]

    def test_year_ticks_are_written_as_years(self, chart_data):
        ax = charts.projection_chart(chart_data, value_label="Bulan")
        ax.get_figure().canvas.draw()
        assert [tick.get_text() for tick in ax.get_xticklabels()] == ["2024", "2025", "2026"]
        assert ax.get_ylabel() == "Bulan"

    def test_returns_given_axes_or_an_a4_figure(self, chart_data):
        _, ax = plt.subplots()
        assert charts.projection_chart(chart_data, ax=ax) is ax
        new = charts.projection_chart(chart_data)
        assert tuple(new.get_figure().get_size_inches()) == pytest.approx(charts.FIGURE_SIZE_INCHES)
        assert new.get_title() == ""

    def test_labels_stay_inside_the_axes(self, chart_data):
        ax = charts.projection_chart(chart_data)
        figure = ax.get_figure()
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        box = ax.get_window_extent(renderer)
        for text in ax.texts:
            extent = text.get_window_extent(renderer)
            assert box.x0 - 0.5 <= extent.x0 and extent.x1 <= box.x1 + 0.5
            assert box.y0 - 0.5 <= extent.y0 and extent.y1 <= box.y1 + 0.5

    def test_draws_without_warnings_as_deterministic_svg(self, chart_data):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            first = charts.chart_to_svg(charts.projection_chart(chart_data))
        assert first == charts.chart_to_svg(charts.projection_chart(chart_data))

    @pytest.mark.parametrize("column", ["year", "scenario", "value", "baseline"])
    def test_missing_column_is_named(self, chart_data, column):
        with pytest.raises(ValueError, match=repr(column)):
            charts.projection_chart(chart_data.drop(columns=column))

    def test_refuses_bad_data(self, chart_data):
        with pytest.raises(ValueError, match="empty"):
            charts.projection_chart(chart_data.iloc[0:0])
        with pytest.raises(ValueError, match="more than one baseline"):
            charts.projection_chart(chart_data.assign(baseline=True))
        with pytest.raises(ValueError, match="True or False"):
            charts.projection_chart(chart_data.assign(baseline="yes"))
        with pytest.raises(ValueError, match="more than one row"):
            charts.projection_chart(pd.concat([chart_data, chart_data.iloc[:1]]))
        with pytest.raises(ValueError, match="finite"):
            charts.projection_chart(chart_data.assign(value=math.nan))
        with pytest.raises(ValueError, match="floor"):
            charts.projection_chart(chart_data, floor=7.0)

    def test_from_the_projection(self, results):
        ax = charts.projection_chart(results.chart_data("en"))
        assert len(scenario_lines(ax)) == len(results)


# --- Notebook ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_notebook_runs_with_papermill_parameters(tmp_path):
    import papermill

    output = tmp_path / "djs_projection.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "djs_projection.ipynb"),
        str(output),
        cwd=str(ROOT / "notebooks"),
        kernel_name="python3",
        progress_bar=False,
        parameters={
            "language": "en",
            "horizon": 3,
            "overrides": '{"claims_per_participant_growth": 5.0}',
            "output_dir": str(tmp_path / "out"),
        },
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
    )
    executed = json.loads(output.read_text(encoding="utf-8"))
    outputs = [o for c in executed["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    html = "".join(
        "".join(o["data"]["text/html"]) for o in outputs if "text/html" in o.get("data", {})
    )
    assert "DJS Kesehatan projection 2025-2027" in html and "<svg" in html
    document = json.loads((tmp_path / "out" / "projection.json").read_text("utf-8"))
    assert document["drivers"]["claims_per_participant_growth"]["value"] == 5.0
    assert len(document["scenarios"]["baseline"]["table"]) == 4
