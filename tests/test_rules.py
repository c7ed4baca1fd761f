"""Tests for jkn_analysis.recommendations.rules: the recommendation rules and their evidence.

Table-driven: hand-made indicator values → the rules that fire and their exact evidence in both
languages; boundaries at every threshold; trends; missing figures; malformed rule files; and the
shipped data of 2024Q1, which must fire the model report's ten recommendations.
"""

from __future__ import annotations

import ast
import builtins
import copy
import re
from pathlib import Path

import pytest
import yaml

from jkn_analysis.catalogue.definitions import LANGUAGES, load_catalogue
from jkn_analysis.catalogue.formatting import format_percent
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators import compute
from jkn_analysis.indicators.checks import load_figures
from jkn_analysis.indicators.compute import Indicator, IndicatorSet, compute_indicators
from jkn_analysis.inputs.loading import available_periods
from jkn_analysis.recommendations.conditions import (
    AllOf,
    AnyOf,
    Comparison,
    FirstKnown,
    Growth,
    IndicatorRef,
    Node,
    Not,
    Ratio,
    Trend,
)
from jkn_analysis.recommendations.evidence import Evidence, TriggeredRule
from jkn_analysis.recommendations.rulebook import RULES_PATH, Rule, RuleBook, RuleError, load_rules
from jkn_analysis.recommendations.rules import evaluate, with_projection
from tests.datafiles import made_up_figures as figures_of

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
Q1 = Quarter(2024, 1)
MODEL_REPORT_RULES = (
    "compliance_enforcement",
    "ppu_small_business_option",
    "migrant_worker_data_update",
    "fktp_gatekeeper",
    "fraud_prevention",
    "specialist_supply_and_kris",
    "premium_revenue_and_investment",
    "actuarial_projection",
    "operational_efficiency",
    "quality_and_cost_control",
)


WITHOUT_EVIDENCE_2024Q1 = ("compliance_enforcement", "ppu_small_business_option")


def indicator_set(period: Quarter, values: dict[str, float]) -> IndicatorSet:
    """Indicators from ``{"code": value, "code/key=value": value}``, units from the catalogue."""
    catalogue = load_catalogue()
    items = []
    for key, value in values.items():
        code, _, breakdown = key.partition("/")
        dimensions = dict(part.split("=") for part in breakdown.split(",")) if breakdown else {}
        unit = catalogue.indicator(code).unit
        items.append(Indicator(code, float(value), unit, str(period), dimensions))
    return IndicatorSet(period, items, catalogue)


def history(values: dict[Quarter, dict[str, float]]) -> dict[Quarter, IndicatorSet]:
    return {
        period: indicator_set(period, period_values) for period, period_values in values.items()
    }


def fired(book: RuleBook, values: dict[Quarter, dict[str, float]], period: Quarter = Q1) -> dict:
    """``{rule id: {language: (evidence text, ...)}}`` of the rules that fire."""
    return {
        rule.rule_id: {
            language: tuple(item.text for item in rule.evidence[language]) for language in LANGUAGES
        }
        for rule in evaluate(book, history(values), period)
    }


def texts(id_texts: list[str], en_texts: list[str]) -> dict[str, tuple[str, ...]]:
    return {"id": tuple(id_texts), "en": tuple(en_texts)}


@pytest.fixture(scope="module")
def shipped() -> RuleBook:
    return load_rules()


# --- the shipped rules on hand-made indicators ------------------------------------------------

# (case, indicators of 2024Q1 (or {Quarter: indicators}), {rule id: evidence id/en})
SHIPPED_CASES = [
    (
        "claim ratio above 100%",
        {"claim_ratio": 112.2279792746114},
        {
            "quality_and_cost_control": texts(
                ["Rasio klaim 112,2%, di atas titik impas 100%"],
                ["Claim ratio 112.2%, above break-even at 100%"],
            )
        },
    ),
    ("claim ratio equal to 100%", {"claim_ratio": 100.0}, {}),
    ("claim ratio printed as 100,0%", {"claim_ratio": 100.04}, {}),
    (
        "claim ratio printed as 100,1%",
        {"claim_ratio": 100.05},
        {
            "quality_and_cost_control": texts(
                ["Rasio klaim 100,1%, di atas titik impas 100%"],
                ["Claim ratio 100.1%, above break-even at 100%"],
            )
        },
    ),
    (
        "premium income behind the pro-rata target, no seasonal profile",
        {"premium_income_vs_pro_rata_target": 96.24735070440094},
        {
            "premium_revenue_and_investment": texts(
                [
                    "Pendapatan iuran 96,25% dibanding target pro rata bulan, karena data belum "
                    "memuat profil musiman, di bawah jalur target tahunan (100%)"
                ],
                [
                    "Premium income 96.25% against the target pro rata to the months, since the "
                    "data hold no seasonal profile yet, below the path to the annual target "
                    "(100%)"
                ],
            )
        },
    ),
    ("premium income on the pro-rata target", {"premium_income_vs_pro_rata_target": 100.0}, {}),
    (
        "premium income behind the seasonal target: the seasonal basis decides",
        {"premium_income_vs_seasonal_target": 97.5, "premium_income_vs_pro_rata_target": 120.0},
        {
            "premium_revenue_and_investment": texts(
                [
                    "Pendapatan iuran 97,50% dibanding target secara musiman, di bawah jalur "
                    "target tahunan (100%)"
                ],
                [
                    "Premium income 97.50% against the seasonal target, below the path to the "
                    "annual target (100%)"
                ],
            )
        },
    ),
    (
        "premium income on the seasonal target though behind pro rata: silent",
        {"premium_income_vs_seasonal_target": 100.0, "premium_income_vs_pro_rata_target": 80.0},
        {},
    ),
    (
        "months covered below the PP 53/2018 floor",
        {"months_of_claims_covered": 1.2},
        {
            "actuarial_projection": texts(
                [
                    "Ketahanan dana DJS 1,20 bulan, di bawah batas bawah 1,5 bulan (PP 53/2018)",
                    "Ketahanan dana DJS 1,20 bulan, di bawah batas peringatan laporan ini "
                    "sebesar 3 bulan",
                ],
                [
                    "Months of claims covered by DJS net assets 1.20 months, below the "
                    "floor of 1.5 months (PP 53/2018)",
                    "Months of claims covered by DJS net assets 1.20 months, below this "
                    "report's warning level of 3 months",
                ],
            )
        },
    ),
    (
        "months covered at the floor: only the warning level",
        {"months_of_claims_covered": 1.5},
        {
            "actuarial_projection": texts(
                [
                    "Ketahanan dana DJS 1,50 bulan, di bawah batas peringatan laporan ini "
                    "sebesar 3 bulan"
                ],
                [
                    "Months of claims covered by DJS net assets 1.50 months, below this "
                    "report's warning level of 3 months"
                ],
            )
        },
    ),
    ("months covered at the warning level", {"months_of_claims_covered": 3.0}, {}),
    ("months covered within the corridor", {"months_of_claims_covered": 3.98}, {}),
    # RPJMN 2025-2029 targets are not applied to a 2024 quarter (see TestRedesignedRules).
    (
        "active share of the population below the RPJMN 2025 target, in 2024",
        {"active_share_of_population": 76.41},
        {},
    ),
    (
        "active share of registered below the RPJMN 2025 target, in 2024",
        {"active_share_of_registered": 79.59},
        {},
    ),
    (
        "arrears concentrated in self-paying PBPU: structural, not a finding",
        {
            "non_active_participants/reason=arrears": 16_010_000,
            "non_active_participants/reason=arrears_pbpu": 15_650_000,
        },
        {},
    ),
    (
        "non-active mostly by data mutation: the PMI rule only",
        {
            "non_active_participants/reason=total": 47_360_000,
            "non_active_participants/reason=mutation": 31_350_000,
        },
        {
            "migrant_worker_data_update": texts(
                [
                    "Peserta non aktif karena mutasi data 31,35 juta, 66,20% dari 47,36 "
                    "juta peserta non aktif, lebih dari separuh"
                ],
                [
                    "Non-active participants because of data mutation 31.35 million, "
                    "66.20% of 47.36 million non-active participants, more than half"
                ],
            )
        },
    ),
    (
        "non-active by mutation exactly half",
        {
            "non_active_participants/reason=total": 40_000_000,
            "non_active_participants/reason=mutation": 20_000_000,
        },
        {},
    ),
    (
        "FKTP falling since December",
        {"fktp_change_vs_december": -381},
        {
            "fktp_network": texts(
                ["FKTP bekerja sama turun 381 sejak Desember"],
                ["Contracted FKTPs fell by 381 since December"],
            )
        },
    ),
    ("FKTP unchanged since December", {"fktp_change_vs_december": 0}, {}),
    (
        "FKTP below the ICK target",
        {"fktp_gap_to_target": 419},
        {
            "fktp_network": texts(
                ["Jumlah FKTP bekerja sama kurang 419 dari target ICK DJSN tahun ini"],
                ["The number of contracted FKTPs is 419 short of DJSN's ICK target for the year"],
            )
        },
    ),
    ("FKTP at the ICK target", {"fktp_gap_to_target": 0}, {}),
    ("FKTP above the ICK target", {"fktp_gap_to_target": -12}, {}),
    (
        "referrals growing faster than FKTP visits",
        {"referral_growth_yoy": 20.10178117048346, "visits_growth_yoy/service=rjtp": 7.498},
        {
            "fktp_gatekeeper": texts(
                [
                    "Rujukan dari FKTP naik 20,10% dibanding tahun lalu, lebih tinggi dari "
                    "kunjungan RJTP (naik 7,50%)"
                ],
                [
                    "Referrals from FKTP rose by 20.10% year on year, higher than RJTP "
                    "visits (rose by 7.50%)"
                ],
            )
        },
    ),
    (
        "referrals growing as fast as FKTP visits (as printed)",
        {"referral_growth_yoy": 7.501, "visits_growth_yoy/service=rjtp": 7.498},
        {},
    ),
    ("referral growth without FKTP visit growth", {"referral_growth_yoy": 20.1}, {}),
    (
        "inpatient claims growing faster than service use",
        {"claims_expense_growth_yoy/service=ritl": 31.0, "utilisation_growth_yoy": 15.84},
        {
            "fraud_prevention": texts(
                [
                    "Beban jaminan RITL naik 31,0% dibanding tahun lalu, lebih tinggi dari "
                    "total pemanfaatan layanan (naik 15,84%)"
                ],
                [
                    "RITL claims expense rose by 31.0% year on year, higher than total "
                    "service use (rose by 15.84%)"
                ],
            )
        },
    ),
    (
        "inpatient claims growing faster than premium income (growth from history)",
        {
            Quarter(2023, 1): {"premium_income": 36.0e12},
            Q1: {"premium_income": 38.6e12, "claims_expense_growth_yoy/service=ritl": 31.0},
        },
        {
            "fraud_prevention": texts(
                [
                    "Pendapatan iuran naik 7,22% dibanding tahun lalu, lebih rendah dari "
                    "beban jaminan RITL (naik 31,0%)"
                ],
                [
                    "Premium income rose by 7.22% year on year, lower than RITL claims "
                    "expense (rose by 31.0%)"
                ],
            )
        },
    ),
    (
        "premium income growing faster than inpatient claims",
        {
            Quarter(2023, 1): {"premium_income": 30.0e12},
            Q1: {"premium_income": 45.0e12, "claims_expense_growth_yoy/service=ritl": 31.0},
        },
        {},
    ),
    (
        "premium income growth without the year-earlier figure",
        {Q1: {"premium_income": 38.6e12, "claims_expense_growth_yoy/service=ritl": 31.0}},
        {},
    ),
    (
        "all claims growing faster than premium income",
        {
            Quarter(2023, 1): {"premium_income": 36.0e12},
            Q1: {"premium_income": 38.6e12, "claims_expense_growth_yoy/service=total": 12.5},
        },
        {
            "quality_and_cost_control": texts(
                [
                    "Pendapatan iuran naik 7,22% dibanding tahun lalu, lebih rendah dari "
                    "beban jaminan (naik 12,5%)"
                ],
                [
                    "Premium income rose by 7.22% year on year, lower than claims expense "
                    "(rose by 12.5%)"
                ],
            )
        },
    ),
    (
        "DJS yield annualised below target",
        {"djs_investment_yield": 1.2},
        {
            "premium_revenue_and_investment": texts(
                [
                    "YoI DJS (disetahunkan) 4,80%, di bawah target ICK DJSN 2024 sebesar 5,7% "
                    "setahun"
                ],
                [
                    "DJS yield on investment (annualised) 4.80%, below DJSN's 2024 ICK target "
                    "of 5.7% a year"
                ],
            )
        },
    ),
    ("DJS yield annualised at target", {"djs_investment_yield": 1.425}, {}),
    ("DJS yield of 2024Q1 annualised above target", {"djs_investment_yield": 1.67}, {}),
    (
        "BPJS Kesehatan yield annualised below target",
        {"bpjs_investment_yield": 1.5},
        {
            "operational_efficiency": texts(
                [
                    "YoI BPJS Kesehatan (disetahunkan) 6,00%, di bawah target ICK DJSN 2024 "
                    "sebesar 7% setahun"
                ],
                [
                    "BPJS Kesehatan yield on investment (annualised) 6.00%, below DJSN's 2024 "
                    "ICK target of 7% a year"
                ],
            )
        },
    ),
    ("BPJS Kesehatan yield annualised at target", {"bpjs_investment_yield": 1.75}, {}),
    (
        "BOPO above 100%",
        {"bopo": 101.21},
        {
            "operational_efficiency": texts(
                ["BOPO 101,21%, di atas titik impas 100%"],
                ["BOPO (operating expense ratio) 101.21%, above break-even at 100%"],
            )
        },
    ),
    ("BOPO at 100%", {"bopo": 100.0}, {}),
    ("DJS deficit alone: no longer the actuarial rule", {"djs_surplus": -2.177e12}, {}),
    ("DJS break-even", {"djs_surplus": 0.0}, {}),
    # Below 100% of the year-end target in Q1 is no finding (see TestRedesignedRules).
    (
        "ICK attainment of PPU below the year-end target in Q1",
        {"ick_attainment/segment=ppu": 96.7314748853404},
        {},
    ),
    ("ICK attainment of PPU printed as 100,0%", {"ick_attainment/segment=ppu": 99.96}, {}),
    ("ICK attainment of another segment", {"ick_attainment/segment=pbpu": 92.9}, {}),
    (
        "FKRTL falling since December",
        {"fkrtl_change_vs_december": -8},
        {
            "specialist_supply_and_kris": texts(
                [
                    "FKRTL bekerja sama turun 8 sejak Desember, selama masa penerapan KRIS "
                    "(Perpres 59/2024)"
                ],
                [
                    "Contracted hospitals (FKRTL) fell by 8 since December, during the KRIS "
                    "roll-out (Perpres 59/2024)"
                ],
            )
        },
    ),
    (
        "registered coverage below the Perpres 36/2023 target",
        {"registered_coverage": 96.00127851617346},
        {
            "registration_coverage": texts(
                [
                    "Cakupan kepesertaan terhadap penduduk 96,00%, di bawah target 98% untuk "
                    "2024 (Perpres 36/2023)"
                ],
                [
                    "Registered coverage of the population 96.00%, below the 2024 target of "
                    "98% (Perpres 36/2023)"
                ],
            )
        },
    ),
    ("no indicators at all", {}, {}),
]


@pytest.mark.parametrize(
    ("values", "expected"),
    [pytest.param(values, expected, id=case) for case, values, expected in SHIPPED_CASES],
)
def test_shipped_rules_on_hand_made_indicators(shipped, values, expected):
    if not values or not isinstance(next(iter(values)), Quarter):
        values = {Q1: values}
    assert fired(shipped, values) == expected


class TestShippedTrends:
    def test_months_covered_lower_than_the_last_period_with_data(self, shipped):
        values = {
            Quarter(2021, 4): {"months_of_claims_covered": 5.149},
            Quarter(2022, 4): {"months_of_claims_covered": 5.976},
            Quarter(2023, 4): {},  # net assets not published: skipped
            Q1: {"months_of_claims_covered": 3.98},
        }
        assert fired(shipped, values) == {
            "actuarial_projection": texts(
                [
                    "Ketahanan dana DJS turun dalam 2 periode terakhir yang datanya tersedia: "
                    "5,98 bulan (TW IV 2022), lalu 3,98 bulan (TW I 2024)"
                ],
                [
                    "Months of claims covered by DJS net assets fell over the last 2 periods "
                    "with data: 5.98 months (Q4 2022), then 3.98 months (Q1 2024)"
                ],
            )
        }

    def test_months_covered_unchanged_as_printed_is_not_falling(self, shipped):
        values = {
            Quarter(2023, 4): {"months_of_claims_covered": 3.982},
            Q1: {"months_of_claims_covered": 3.98},
        }
        assert fired(shipped, values) == {}

    def test_claim_ratio_rising_over_three_periods(self, shipped):
        values = {
            Quarter(2021, 4): {"claim_ratio": 63.03},
            Quarter(2022, 4): {"claim_ratio": 78.78},
            Q1: {"claim_ratio": 99.0},
        }
        assert fired(shipped, values) == {
            "actuarial_projection": texts(
                [
                    "Rasio klaim naik dalam 3 periode terakhir yang datanya tersedia: "
                    "63,0% (TW IV 2021), lalu 78,8% (TW IV 2022), lalu 99,0% (TW I 2024)"
                ],
                [
                    "Claim ratio rose over the last 3 periods with data: "
                    "63.0% (Q4 2021), then 78.8% (Q4 2022), then 99.0% (Q1 2024)"
                ],
            )
        }


Q1_2025 = Quarter(2025, 1)


class TestRedesignedRules:
    """Issue 11, item 9: each redesigned rule fires and stays silent on realistic figures."""

    @pytest.mark.parametrize(
        ("period", "values", "expected"),
        [
            pytest.param(
                Q1_2025,
                {"active_share_of_registered": 79.59},
                {
                    "compliance_enforcement": texts(
                        [
                            "Peserta aktif terhadap peserta terdaftar 79,59%, di bawah target "
                            "keaktifan 80% untuk 2025 (RPJMN 2025-2029)"
                        ],
                        [
                            "Active participants as a share of registered 79.59%, below the "
                            "2025 target of 80% active (RPJMN 2025-2029)"
                        ],
                    )
                },
                id="RPJMN active share applies from 2025",
            ),
            pytest.param(Q1_2025, {"active_share_of_registered": 80.2}, {}, id="RPJMN met"),
            pytest.param(
                Q1_2025,
                {"active_share_of_population": 76.41},
                {
                    "compliance_enforcement": texts(
                        [
                            "Peserta aktif terhadap penduduk 76,41%, di bawah target 78,4% "
                            "untuk 2025 (diturunkan dari RPJMN 2025-2029)"
                        ],
                        [
                            "Active participants as a share of the population 76.41%, below "
                            "the 2025 target of 78.4% (derived from RPJMN 2025-2029)"
                        ],
                    )
                },
                id="RPJMN-derived active share of the population from 2025",
            ),
            pytest.param(
                Quarter(2030, 1), {"active_share_of_registered": 79.59}, {}, id="RPJMN ended"
            ),
            pytest.param(
                Q1_2025,
                {"registered_coverage": 97.5},
                {
                    "registration_coverage": texts(
                        [
                            "Cakupan kepesertaan terhadap penduduk 97,50%, di bawah target "
                            "98% untuk 2025 (RPJMN 2025-2029)"
                        ],
                        [
                            "Registered coverage of the population 97.50%, below the 2025 "
                            "target of 98% (RPJMN 2025-2029)"
                        ],
                    )
                },
                id="registered coverage against RPJMN 98% in 2025",
            ),
            pytest.param(
                Quarter(2029, 2),
                {"registered_coverage": 98.5},
                {
                    "registration_coverage": texts(
                        [
                            "Cakupan kepesertaan terhadap penduduk 98,50%, di bawah target "
                            "99% untuk 2029 (RPJMN 2025-2029)"
                        ],
                        [
                            "Registered coverage of the population 98.50%, below the 2029 "
                            "target of 99% (RPJMN 2025-2029)"
                        ],
                    )
                },
                id="registered coverage against RPJMN 99% in 2029",
            ),
            pytest.param(
                Q1_2025, {"registered_coverage": 98.2}, {}, id="registered coverage met 2025"
            ),
            pytest.param(
                Q1,
                {
                    Quarter(2023, 4): {"non_active_participants/reason=arrears_pbpu": 15_000_000},
                    Q1: {"non_active_participants/reason=arrears_pbpu": 15_650_000},
                },
                {
                    "compliance_enforcement": texts(
                        [
                            "Peserta non aktif PBPU mandiri yang menunggak iuran naik "
                            "4,33% sejak Desember"
                        ],
                        [
                            "Non-active participants among self-paying PBPU in arrears "
                            "rose by 4.33% since December"
                        ],
                    )
                },
                id="arrears of self-paying PBPU growing since December",
            ),
            pytest.param(
                Q1,
                {
                    Quarter(2023, 4): {"non_active_participants/reason=arrears_pbpu": 16_000_000},
                    Q1: {"non_active_participants/reason=arrears_pbpu": 15_650_000},
                },
                {},
                id="arrears of self-paying PBPU falling since December",
            ),
            pytest.param(
                Q1,
                {"ick_attainment_vs_path/segment=ppu": 99.44008879417443},
                {
                    "ppu_small_business_option": texts(
                        [
                            "Capaian ICK peserta aktif terhadap jalur target tahunan (PPU) "
                            "99,4%, di bawah jalur menuju target ICK akhir tahun (100%)"
                        ],
                        [
                            "ICK active participants against the path to the annual target "
                            "(PPU) 99.4%, below the path to the year-end ICK target (100%)"
                        ],
                    )
                },
                id="PPU behind the path to the year-end ICK target",
            ),
            pytest.param(
                Q1,
                {"ick_attainment_vs_path/segment=ppu": 100.15562335016088},
                {},
                id="PPU ahead of the path although below the year-end target",
            ),
            pytest.param(
                Q1,
                {"projection_years_to_floor": 1},
                {
                    "actuarial_projection": texts(
                        [
                            "Menurut proyeksi (skenario dasar), ketahanan dana DJS turun "
                            "di bawah 1,5 bulan dalam 1 tahun, masih dalam cakupan "
                            "proyeksi 5 tahun ke depan"
                        ],
                        [
                            "In the projection (baseline scenario), DJS net assets cover "
                            "less than 1.5 months of claims in 1 year, still within the "
                            "projection horizon of 5 years"
                        ],
                    )
                },
                id="projection below the floor next year",
            ),
            pytest.param(Q1, {"projection_years_to_floor": 6}, {}, id="floor beyond five years"),
            pytest.param(
                Q1,
                {"active_change_vs_december/segment=pbi": -28_148},
                {
                    "pbi_pemda_data_validation": texts(
                        ["Peserta aktif PBI turun 28.148 jiwa sejak Desember"],
                        ["Active PBI participants fell by 28,148 since December"],
                    )
                },
                id="PBI losing active participants since December",
            ),
            pytest.param(
                Q1,
                {
                    "active_change_vs_december/segment=pbi": 12_000,
                    "active_change_vs_december/segment=pbpu_pemda": 500_445,
                },
                {},
                id="PBI and PBPU Pemda growing",
            ),
            pytest.param(
                Quarter(2026, 1),
                {"fkrtl_change_vs_december": -8},
                {},
                id="FKRTL falling after the KRIS roll-out of Perpres 59/2024",
            ),
        ],
    )
    def test_fires_and_stays_silent(self, shipped, period, values, expected):
        if not values or not isinstance(next(iter(values)), Quarter):
            values = {period: values}
        assert fired(shipped, values, period) == expected

    def test_projection_result_becomes_the_rule_indicator(self, shipped):
        base = history({Q1: {}})
        assert fired_on(shipped, with_projection(base, Q1, 2025)) == {"actuarial_projection"}
        assert fired_on(shipped, with_projection(base, Q1, "2026")) == {"actuarial_projection"}

    @pytest.mark.parametrize("first_year", [None, "none", "", 2023])
    def test_no_projection_or_no_floor_year_keeps_the_rule_silent(self, shipped, first_year):
        base = history({Q1: {}})
        assert fired_on(shipped, with_projection(base, Q1, first_year)) == set()

    def test_thresholds_of_other_years_are_refused_by_years(self, shipped):
        threshold = shipped.thresholds["active_share_of_registered_target"]
        assert not threshold.applies_to(2024)
        assert threshold.applies_to(2025) and threshold.applies_to(2029)
        assert shipped.thresholds["registered_coverage_target_2024"].applies_to(2024)
        assert not shipped.thresholds["registered_coverage_target_2024"].applies_to(2025)

    def test_no_threshold_of_this_pack_is_called_djsn_s(self, shipped):
        for threshold in shipped.thresholds.values():
            assert "peringatan DJSN" not in threshold.source["id"], threshold.name
            assert "set by DJSN analysts" not in threshold.source["en"], threshold.name


def fired_on(book: RuleBook, indicators: dict[Quarter, IndicatorSet]) -> set[str]:
    return {rule.rule_id for rule in evaluate(book, indicators, Q1)}


# --- the grammar, on small rule files -----------------------------------------------------------


def rule_document(condition: object, **rule) -> dict:
    """A valid rules document with one rule ``r1`` on ``condition``."""
    return {
        "thresholds": {
            "hundred": {
                "value": 100,
                "unit": "percent",
                "label": {"id": "titik impas {value}", "en": "break-even at {value}"},
                "source": {"id": "Titik impas", "en": "Break-even"},
            },
            "floor": {
                "value": 1.5,
                "unit": "months",
                "label": {
                    "id": "batas bawah {value} (PP 53/2018)",
                    "en": "the floor of {value} (PP 53/2018)",
                },
                "source": {"id": "PP 53/2018 Pasal 37 ayat (1)", "en": "PP 53/2018, Art. 37(1)"},
            },
        },
        "breakdowns": {"service": {"ritl": {"id": "RITL", "en": "RITL"}}},
        "rules": [
            {
                "id": "r1",
                "section": "finance",
                "anchor": {"code": "claim_ratio"},
                "condition": condition,
                "title": {"id": "Judul", "en": "Title"},
                "text": {"id": "Teks.", "en": "Text."},
                **rule,
            }
        ],
    }


def write_rules(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    return path


def book_for(tmp_path: Path, condition: object) -> RuleBook:
    return load_rules(write_rules(tmp_path, rule_document(condition)))


CLAIMS_ABOVE = {"indicator": "claim_ratio", "op": ">", "than": "hundred"}
MONTHS_BELOW = {"indicator": "months_of_claims_covered", "op": "<", "than": "floor"}
FALLING_3 = {
    "trend": {"indicator": "months_of_claims_covered"},
    "direction": "falling",
    "periods": 3,
}


class TestOperators:
    @pytest.mark.parametrize(
        ("op", "value", "holds"),
        [
            (">", 100.0, False),
            (">", 100.1, True),
            (">=", 100.0, True),
            (">=", 99.9, False),
            ("<", 100.0, False),
            ("<", 99.9, True),
            ("<=", 100.0, True),
            ("<=", 100.1, False),
            ("==", 100.0, True),
            ("==", 100.04, True),  # printed 100,0%
            ("==", 100.1, False),
        ],
    )
    def test_operator_boundaries(self, tmp_path, op, value, holds):
        book = book_for(tmp_path, {"indicator": "claim_ratio", "op": op, "than": "hundred"})
        result = fired(book, {Q1: {"claim_ratio": value}})
        assert ("r1" in result) is holds

    @pytest.mark.parametrize(
        ("op", "value", "id_words", "en_words"),
        [
            (">=", 100.0, "paling sedikit", "at least"),
            ("<=", 100.0, "paling tinggi", "at most"),
            ("==", 100.0, "sama dengan", "equal to"),
            (">", 112.2, "di atas", "above"),
            ("<", 90.0, "di bawah", "below"),
        ],
    )
    def test_operators_in_words(self, tmp_path, op, value, id_words, en_words):
        book = book_for(tmp_path, {"indicator": "claim_ratio", "op": op, "than": "hundred"})
        result = fired(book, {Q1: {"claim_ratio": value}})
        printed = {"id": format_percent(value, 1), "en": format_percent(value, 1, language="en")}
        assert result["r1"] == texts(
            [f"Rasio klaim {printed['id']}, {id_words} titik impas 100%"],
            [f"Claim ratio {printed['en']}, {en_words} break-even at 100%"],
        )


class TestCombinations:
    def test_all_gives_every_leaf_as_evidence(self, tmp_path):
        book = book_for(tmp_path, {"all": [CLAIMS_ABOVE, MONTHS_BELOW]})
        result = fired(book, {Q1: {"claim_ratio": 112.2, "months_of_claims_covered": 1.2}})
        assert result["r1"] == texts(
            [
                "Rasio klaim 112,2%, di atas titik impas 100%",
                "Ketahanan dana DJS 1,20 bulan, di bawah batas bawah 1,5 bulan (PP 53/2018)",
            ],
            [
                "Claim ratio 112.2%, above break-even at 100%",
                "Months of claims covered by DJS net assets 1.20 months, below the floor "
                "of 1.5 months (PP 53/2018)",
            ],
        )

    def test_all_fails_when_one_part_fails(self, tmp_path):
        book = book_for(tmp_path, {"all": [CLAIMS_ABOVE, MONTHS_BELOW]})
        assert fired(book, {Q1: {"claim_ratio": 112.2, "months_of_claims_covered": 4.0}}) == {}

    def test_first_known_decides_by_its_first_known_part(self, tmp_path):
        book = book_for(tmp_path, {"first_known": [CLAIMS_ABOVE, MONTHS_BELOW]})
        # The first part is known and false: the second is not asked, though it would hold.
        assert fired(book, {Q1: {"claim_ratio": 90.0, "months_of_claims_covered": 1.2}}) == {}
        result = fired(book, {Q1: {"claim_ratio": 112.2, "months_of_claims_covered": 1.2}})
        assert result["r1"]["id"] == ("Rasio klaim 112,2%, di atas titik impas 100%",)

    def test_first_known_falls_back_when_the_first_part_is_unknown(self, tmp_path):
        book = book_for(tmp_path, {"first_known": [CLAIMS_ABOVE, MONTHS_BELOW]})
        result = fired(book, {Q1: {"months_of_claims_covered": 1.2}})
        assert result["r1"]["id"] == (
            "Ketahanan dana DJS 1,20 bulan, di bawah batas bawah 1,5 bulan (PP 53/2018)",
        )
        assert fired(book, {Q1: {"months_of_claims_covered": 4.0}}) == {}
        assert fired(book, {Q1: {"bopo": 5.0}}) == {}  # neither part known

    def test_any_gives_only_the_parts_that_held(self, tmp_path):
        book = book_for(tmp_path, {"any": [CLAIMS_ABOVE, MONTHS_BELOW]})
        result = fired(book, {Q1: {"claim_ratio": 90.0, "months_of_claims_covered": 1.2}})
        assert result["r1"]["id"] == (
            "Ketahanan dana DJS 1,20 bulan, di bawah batas bawah 1,5 bulan (PP 53/2018)",
        )

    def test_any_fails_when_no_part_holds(self, tmp_path):
        book = book_for(tmp_path, {"any": [CLAIMS_ABOVE, MONTHS_BELOW]})
        assert fired(book, {Q1: {"claim_ratio": 90.0, "months_of_claims_covered": 4.0}}) == {}

    def test_not_guards_without_evidence_of_its_own(self, tmp_path):
        book = book_for(tmp_path, {"all": [CLAIMS_ABOVE, {"not": MONTHS_BELOW}]})
        result = fired(book, {Q1: {"claim_ratio": 112.2, "months_of_claims_covered": 4.0}})
        assert result["r1"]["id"] == ("Rasio klaim 112,2%, di atas titik impas 100%",)
        assert fired(book, {Q1: {"claim_ratio": 112.2, "months_of_claims_covered": 1.2}}) == {}

    def test_nested_combinations(self, tmp_path):
        condition = {"any": [{"all": [CLAIMS_ABOVE, MONTHS_BELOW]}, FALLING_3]}
        book = book_for(tmp_path, condition)
        assert fired(book, {Q1: {"claim_ratio": 112.2, "months_of_claims_covered": 4.0}}) == {}
        result = fired(book, {Q1: {"claim_ratio": 112.2, "months_of_claims_covered": 1.0}})
        assert len(result["r1"]["id"]) == 2


class TestMissingIndicators:
    def test_missing_indicator_never_fires(self, tmp_path):
        book = book_for(tmp_path, CLAIMS_ABOVE)
        assert fired(book, {Q1: {"months_of_claims_covered": 1.0}}) == {}

    def test_missing_right_side_indicator_never_fires(self, tmp_path):
        condition = {
            "indicator": "referral_growth_yoy",
            "op": ">",
            "than": {"indicator": "claims_expense_growth_yoy", "service": "ritl"},
        }
        book = book_for(tmp_path, condition)
        assert fired(book, {Q1: {"referral_growth_yoy": 20.0}}) == {}

    def test_not_of_a_missing_indicator_does_not_hold(self, tmp_path):
        book = book_for(tmp_path, {"all": [CLAIMS_ABOVE, {"not": MONTHS_BELOW}]})
        assert fired(book, {Q1: {"claim_ratio": 112.2}}) == {}

    def test_all_with_a_missing_part_does_not_hold(self, tmp_path):
        book = book_for(tmp_path, {"all": [CLAIMS_ABOVE, MONTHS_BELOW]})
        assert fired(book, {Q1: {"claim_ratio": 112.2}}) == {}

    def test_any_with_a_missing_part_fires_on_the_other(self, tmp_path):
        book = book_for(tmp_path, {"any": [CLAIMS_ABOVE, MONTHS_BELOW]})
        result = fired(book, {Q1: {"claim_ratio": 112.2}})
        assert result["r1"]["en"] == ("Claim ratio 112.2%, above break-even at 100%",)

    def test_ratio_with_a_zero_denominator_does_not_hold(self, tmp_path):
        condition = {
            "ratio": {
                "numerator": {"indicator": "claims_expense", "service": "ritl"},
                "denominator": {"indicator": "premium_income"},
            },
            "op": ">",
            "than": "hundred",
        }
        book = book_for(tmp_path, condition)
        values = {"claims_expense/service=ritl": 5.0e12, "premium_income": 0.0}
        assert fired(book, {Q1: values}) == {}

    def test_evaluating_a_period_outside_the_history_is_an_error(self, tmp_path):
        book = book_for(tmp_path, CLAIMS_ABOVE)
        with pytest.raises(KeyError, match="2024Q2"):
            evaluate(book, history({Q1: {"claim_ratio": 112.2}}), Quarter(2024, 2))


class TestTrend:
    PERIODS = (Quarter(2023, 2), Quarter(2023, 3), Quarter(2023, 4), Q1)

    def run(self, tmp_path, values: list[float | None], condition=FALLING_3) -> dict:
        book = book_for(tmp_path, condition)
        data = {
            period: ({} if value is None else {"months_of_claims_covered": value})
            for period, value in zip(self.PERIODS[-len(values) :], values, strict=True)
        }
        return fired(book, data)

    def test_falling_over_three_periods_fires(self, tmp_path):
        result = self.run(tmp_path, [9.0, 5.0, 4.0, 3.5])
        assert result["r1"] == texts(
            [
                "Ketahanan dana DJS turun dalam 3 periode terakhir yang datanya tersedia: "
                "5,00 bulan (TW III 2023), lalu 4,00 bulan (TW IV 2023), lalu 3,50 bulan "
                "(TW I 2024)"
            ],
            [
                "Months of claims covered by DJS net assets fell over the last 3 periods with "
                "data: 5.00 months (Q3 2023), then 4.00 months (Q4 2023), then 3.50 months "
                "(Q1 2024)"
            ],
        )

    def test_only_the_last_n_periods_count(self, tmp_path):
        assert "r1" in self.run(tmp_path, [1.0, 5.0, 4.0, 3.5])

    def test_flat_does_not_fire(self, tmp_path):
        assert self.run(tmp_path, [5.0, 4.0, 4.0]) == {}

    def test_flat_as_printed_does_not_fire(self, tmp_path):
        assert self.run(tmp_path, [5.0, 4.002, 4.0]) == {}

    def test_rising_does_not_fire_a_falling_trend(self, tmp_path):
        assert self.run(tmp_path, [3.0, 4.0, 5.0]) == {}

    def test_rising_trend(self, tmp_path):
        rising = {**FALLING_3, "direction": "rising"}
        result = self.run(tmp_path, [3.0, 4.0, 5.0], rising)
        assert result["r1"]["id"][0].startswith("Ketahanan dana DJS naik dalam 3 periode")

    def test_too_few_periods_does_not_fire(self, tmp_path):
        assert self.run(tmp_path, [5.0, 4.0]) == {}

    def test_periods_without_the_indicator_are_skipped(self, tmp_path):
        result = self.run(tmp_path, [5.0, None, 4.0, 3.5])
        assert (
            "(TW II 2023), lalu 4,00 bulan (TW IV 2023), lalu 3,50 bulan (TW I 2024)"
            in (result["r1"]["id"][0])
        )

    def test_missing_current_period_does_not_fire(self, tmp_path):
        assert self.run(tmp_path, [6.0, 5.0, 4.0, None]) == {}

    def test_later_periods_of_the_history_are_ignored(self, tmp_path):
        book = book_for(tmp_path, FALLING_3)
        data = {
            Quarter(2023, 2): {"months_of_claims_covered": 6.0},
            Quarter(2023, 3): {"months_of_claims_covered": 5.0},
            Quarter(2023, 4): {"months_of_claims_covered": 4.0},
            Q1: {"months_of_claims_covered": 9.0},
        }
        assert "r1" in fired(book, data, Quarter(2023, 4))
        assert fired(book, data) == {}


class TestGrowthAndRatio:
    @pytest.mark.parametrize(
        ("versus", "earlier", "words"),
        [
            ("year_earlier", Quarter(2023, 1), "dibanding tahun lalu"),
            ("previous_december", Quarter(2023, 4), "sejak Desember"),
            ("previous_quarter", Quarter(2023, 4), "dibanding triwulan sebelumnya"),
        ],
    )
    def test_growth_against_each_earlier_period(self, tmp_path, versus, earlier, words):
        condition = {
            "growth": {"indicator": "registered_participants"},
            "versus": versus,
            "op": ">",
            "than": "hundred",
        }
        book = book_for(tmp_path, condition)
        data = {earlier: {"registered_participants": 100.0}, Q1: {"registered_participants": 250.0}}
        assert fired(book, data)["r1"]["id"] == (
            f"Peserta terdaftar naik 150,00% {words}, di atas titik impas 100%",
        )

    def test_growth_at_the_threshold_does_not_fire(self, tmp_path):
        condition = {
            "growth": {"indicator": "registered_participants"},
            "versus": "year_earlier",
            "op": ">",
            "than": "hundred",
        }
        book = book_for(tmp_path, condition)
        data = {
            Quarter(2023, 1): {"registered_participants": 100.0},
            Q1: {"registered_participants": 200.0},
        }
        assert fired(book, data) == {}

    def test_ratio_decimals(self, tmp_path):
        condition = {
            "ratio": {
                "numerator": {"indicator": "claims_expense", "service": "ritl"},
                "denominator": {"indicator": "premium_income"},
            },
            "op": ">",
            "than": "hundred",
            "decimals": 1,
        }
        book = book_for(tmp_path, condition)
        values = {"claims_expense/service=ritl": 40.0e12, "premium_income": 38.6e12}
        assert fired(book, {Q1: values})["r1"] == texts(
            [
                "Beban jaminan kesehatan (RITL) Rp40,00 T, 103,6% dari Rp38,60 T pendapatan "
                "iuran, lebih dari titik impas 100%"
            ],
            [
                "Claims expense (RITL) IDR 40.00 T, 103.6% of IDR 38.60 T premium income, more "
                "than break-even at 100%"
            ],
        )


class TestTriggeredRule:
    def test_fields_and_evidence_records(self, tmp_path):
        book = book_for(tmp_path, CLAIMS_ABOVE)
        (rule,) = evaluate(book, history({Q1: {"claim_ratio": 112.2}}), Q1)
        assert isinstance(rule, TriggeredRule)
        assert rule.rule_id == "r1"
        assert rule.section == "finance"
        assert rule.title == {"id": "Judul", "en": "Title"}
        assert rule.text == {"id": "Teks.", "en": "Text."}
        assert rule.anchor == {"code": "claim_ratio"}
        assert rule.evidence["id"] == (
            Evidence(
                "claim_ratio", {}, "Rasio klaim 112,2%, di atas titik impas 100%", "Titik impas"
            ),
        )
        assert rule.evidence["en"][0].source == "Break-even"

    def test_a_rule_holding_without_evidence_is_refused(self, tmp_path):
        class Bare(Node):
            def evaluate(self, context):
                return True, ()

        good = book_for(tmp_path, CLAIMS_ABOVE)
        rule = Rule("bare", "finance", IndicatorRef("claim_ratio"), Bare(), {}, {})
        book = RuleBook((rule,), good.thresholds, good.breakdowns, good.catalogue, good.path)
        with pytest.raises(RuleError, match="without any evidence"):
            evaluate(book, history({Q1: {}}), Q1)

    def test_rules_come_in_file_order(self, tmp_path):
        document = rule_document(MONTHS_BELOW)
        second = copy.deepcopy(document["rules"][0])
        second.update(id="r0", condition=CLAIMS_ABOVE)
        document["rules"].append(second)
        book = load_rules(write_rules(tmp_path, document))
        values = {Q1: {"claim_ratio": 112.2, "months_of_claims_covered": 1.0}}
        assert list(fired(book, values)) == ["r1", "r0"]


# --- malformed rule files ------------------------------------------------------------------------

EXPLOIT = "__import__('os').system('touch {marker}')"


def _malformed(tmp_path: Path) -> list[tuple[str, object, str]]:
    """(case, document, expected message) for every kind of mistake."""
    marker = tmp_path / "executed"
    exploit = EXPLOIT.format(marker=marker)

    def with_condition(condition):
        return rule_document(condition)

    def edited(change):
        document = rule_document(CLAIMS_ABOVE)
        change(document)
        return document

    return [
        ("unknown op", with_condition({**CLAIMS_ABOVE, "op": "=>"}), "unknown op '=>'"),
        ("missing op", with_condition({"indicator": "claim_ratio", "than": "hundred"}), "'op'"),
        (
            "unknown indicator",
            with_condition({**CLAIMS_ABOVE, "indicator": "claims_ratio"}),
            "unknown indicator 'claims_ratio'",
        ),
        (
            "unknown threshold",
            with_condition({**CLAIMS_ABOVE, "than": "one_hundred"}),
            "unknown threshold 'one_hundred'",
        ),
        ("condition is code", with_condition(exploit), "must be a mapping"),
        ("threshold name is code", with_condition({**CLAIMS_ABOVE, "than": exploit}), "unknown"),
        ("op is code", with_condition({**CLAIMS_ABOVE, "op": exploit}), "unknown op"),
        ("any of code", with_condition({"any": [exploit]}), "must be a mapping"),
        ("any not a list", with_condition({"any": exploit}), "non-empty list"),
        (
            "unknown breakdown value",
            with_condition(
                {
                    "indicator": "claims_expense_share",
                    "service": "rawat",
                    "op": ">",
                    "than": "hundred",
                }
            ),
            "unknown service 'rawat'",
        ),
        (
            "unknown key",
            with_condition({**CLAIMS_ABOVE, "treshold": 5}),
            "unknown key 'treshold'",
        ),
        ("unknown leaf", with_condition({"average": "claim_ratio"}), "expected one of"),
        (
            "threshold in another unit",
            with_condition({**CLAIMS_ABOVE, "than": "floor"}),
            "threshold 'floor' is in months",
        ),
        (
            "indicator in another unit",
            with_condition({**CLAIMS_ABOVE, "than": {"indicator": "months_of_claims_covered"}}),
            "is in months",
        ),
        (
            "annualised count",
            with_condition({**MONTHS_BELOW, "annualise": True}),
            "only a percentage",
        ),
        ("trend of one period", with_condition({**FALLING_3, "periods": 1}), "at least 2"),
        ("unknown direction", with_condition({**FALLING_3, "direction": "down"}), "direction"),
        (
            "unknown versus",
            with_condition(
                {
                    "growth": {"indicator": "premium_income"},
                    "versus": "last_year",
                    "op": ">",
                    "than": "hundred",
                }
            ),
            "unknown versus 'last_year'",
        ),
        ("only a not", with_condition({"not": CLAIMS_ABOVE}), "without any leaf holding"),
        (
            "unknown section",
            edited(lambda d: d["rules"][0].update(section="keuangan")),
            "unknown section",
        ),
        (
            "missing English text",
            edited(lambda d: d["rules"][0].update(text={"id": "Teks."})),
            "lacks ['en']",
        ),
        (
            "unknown anchor",
            edited(lambda d: d["rules"][0].update(anchor={"code": "ratio_klaim"})),
            "unknown indicator 'ratio_klaim'",
        ),
        (
            "duplicate id",
            edited(lambda d: d["rules"].append(copy.deepcopy(d["rules"][0]))),
            "used twice",
        ),
        (
            "threshold without source",
            edited(lambda d: d["thresholds"]["hundred"].pop("source")),
            "lacks ['source']",
        ),
        (
            "threshold value is code",
            edited(lambda d: d["thresholds"]["hundred"].update(value=exploit)),
            "must be a number",
        ),
        (
            "threshold label with an unknown field",
            edited(
                lambda d: d["thresholds"]["hundred"].update(
                    label={"id": "target {nilai}", "en": "the target of {value}"}
                )
            ),
            "only {value} and {year}",
        ),
        (
            "threshold label in one language",
            edited(lambda d: d["thresholds"]["hundred"].update(label={"id": "target {value}"})),
            "label lacks ['en']",
        ),
        (
            "threshold rounded away",
            edited(lambda d: d["thresholds"]["floor"].update(decimals=0)),
            "rounded",
        ),
        ("rules is code", edited(lambda d: d.update(rules=exploit)), "non-empty list"),
        ("document is code", exploit, "must be a mapping"),
    ]


MALFORMED_CASES = [case for case, _, _ in _malformed(Path("/unused"))]


@pytest.mark.parametrize("case", MALFORMED_CASES)
def test_malformed_rules_raise_a_clear_error_and_execute_nothing(tmp_path, monkeypatch, case):
    cases = {name: (document, message) for name, document, message in _malformed(tmp_path)}
    document, message = cases[case]

    def refuse(*args, **kwargs):
        raise AssertionError("eval/exec called while loading rules")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    with pytest.raises(RuleError) as error:
        load_rules(write_rules(tmp_path, document))
    assert message in str(error.value)
    assert "rules.yaml" in str(error.value)
    assert not (tmp_path / "executed").exists()


def test_errors_name_the_rule(tmp_path):
    with pytest.raises(RuleError, match=r"rule 'r1'.*unknown op"):
        load_rules(write_rules(tmp_path, rule_document({**CLAIMS_ABOVE, "op": "=>"})))


def test_invalid_yaml_is_a_rule_error(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules: [\n  - id: r1\n  condition: {", "utf-8")
    with pytest.raises(RuleError, match="not valid YAML"):
        load_rules(path)


def test_yaml_tags_that_construct_objects_are_refused(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules: !!python/object/apply:os.system ['touch executed']\n", "utf-8")
    with pytest.raises(RuleError, match="not valid YAML"):
        load_rules(path)
    assert not (tmp_path / "executed").exists()


@pytest.mark.parametrize("module", ["rules", "rulebook", "conditions"])
def test_the_modules_never_call_eval_or_exec(module):
    source = (ROOT / "jkn_analysis" / "recommendations" / f"{module}.py").read_text("utf-8")
    calls = {
        node.func.id
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not calls & {"eval", "exec", "compile", "__import__"}


# --- the shipped rules file -----------------------------------------------------------------------


def _leaves(node: Node):
    if isinstance(node, AllOf | AnyOf | FirstKnown):
        for part in node.parts:
            yield from _leaves(part)
    elif isinstance(node, Not):
        yield from _leaves(node.part)
    else:
        yield node


def _codes(leaf) -> set[str]:
    if isinstance(leaf, Comparison):
        right = leaf.right.indicator
        return {leaf.left.code} | ({right.code} if right else set())
    if isinstance(leaf, Ratio):
        return {leaf.numerator.code, leaf.denominator.code}
    if isinstance(leaf, Growth):
        right = leaf.right.indicator
        return {leaf.ref.code} | ({right.code} if right else set())
    assert isinstance(leaf, Trend)
    return {leaf.ref.code}


class TestShippedRuleFile:
    def test_default_rules_are_cached(self):
        assert load_rules() is load_rules()
        assert load_rules().path == RULES_PATH

    def test_every_model_report_rule_is_present(self, shipped):
        ids = [rule.id for rule in shipped]
        assert set(MODEL_REPORT_RULES) <= set(ids)
        assert ids[: len(MODEL_REPORT_RULES)] == list(MODEL_REPORT_RULES)

    @pytest.mark.parametrize(
        ("rule_id", "code"),
        [
            ("quality_and_cost_control", "claim_ratio"),  # claim ratio above 100%
            ("premium_revenue_and_investment", "premium_income_vs_pro_rata_target"),
            ("premium_revenue_and_investment", "premium_income_vs_seasonal_target"),
            ("actuarial_projection", "months_of_claims_covered"),  # below warning, falling
            ("compliance_enforcement", "active_share_of_population"),
            ("compliance_enforcement", "active_share_of_registered"),
            ("compliance_enforcement", "non_active_participants"),  # arrears of PBPU mandiri
            ("pbi_pemda_data_validation", "active_change_vs_december"),  # PBI, PBPU Pemda
            ("migrant_worker_data_update", "non_active_participants"),  # mutation
            ("actuarial_projection", "projection_years_to_floor"),
            ("ppu_small_business_option", "ick_attainment_vs_path"),
            ("fktp_network", "fktp_change_vs_december"),
            ("fktp_network", "fktp_gap_to_target"),
            ("fktp_gatekeeper", "referral_growth_yoy"),
            ("fktp_gatekeeper", "visits_growth_yoy"),
            ("fraud_prevention", "premium_income"),  # RITL claims faster than premium income
            ("quality_and_cost_control", "premium_income"),
            ("premium_revenue_and_investment", "djs_investment_yield"),
            ("operational_efficiency", "bpjs_investment_yield"),
            ("operational_efficiency", "bopo"),
        ],
    )
    def test_required_conditions_are_covered(self, shipped, rule_id, code):
        codes = set().union(*(_codes(leaf) for leaf in _leaves(shipped.rule(rule_id).condition)))
        assert code in codes

    def test_thresholds_name_their_source_in_both_languages(self, shipped):
        assert shipped.thresholds["months_covered_floor"].source["id"].startswith("PP 53/2018")
        assert (
            "98% dikali tingkat keaktifan 80%, yaitu 78,4%"
            in (shipped.thresholds["active_share_of_population_target"].source["id"])
        )
        for threshold in shipped.thresholds.values():
            for language in LANGUAGES:
                assert len(threshold.source[language]) > 20

    def test_every_threshold_is_used(self, shipped):
        used = {
            leaf.right.threshold.name
            for rule in shipped
            for leaf in _leaves(rule.condition)
            if not isinstance(leaf, Trend) and leaf.right.threshold is not None
        }
        assert used == set(shipped.thresholds)

    def test_breakdown_labels_cover_every_computed_breakdown(self, shipped):
        expected = {
            "segment": set(compute.ACTIVE_SEGMENTS) | set(compute.ICK_SEGMENTS),
            "service": set(compute.SERVICES) | set(compute.CLAIM_SERVICES) | {"total"},
            "reason": set(compute.NON_ACTIVE_REASONS),
            "instrument": set(compute.INVESTMENT_INSTRUMENTS),
        }
        assert {key: set(values) for key, values in shipped.breakdowns.items()} == expected


# --- the shipped data ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_history() -> dict[Quarter, IndicatorSet]:
    figures = load_figures(DATA_DIR, up_to=Q1)
    return {q: compute_indicators(figures, q) for q in available_periods(DATA_DIR) if q <= Q1}


# Earlier years had a fifth of their premium income by March: 38,6 of a 160,42 target is 120% of
# the seasonal path but 96% of the path pro rata to three months.
EARLIER = {
    "2022Q1": {"premium_income": 28.8e12},
    "2022Q4": {"premium_income": 144e12},
    "2023Q1": {"premium_income": 30e12},
    "2023Q4": {"premium_income": 150e12},
}


class TestPremiumIncomeBasis:
    """The premium rule on computed indicators: the seasonal basis where the history gives a
    first-quarter profile, else pro rata to the months, each saying so."""

    def run(self, shipped, periods) -> dict:
        figures = figures_of(periods)
        history = {q: compute_indicators(figures, q) for q in figures.periods}
        result = {rule.rule_id: rule for rule in evaluate(shipped, history, Q1)}
        rule = result.get("premium_revenue_and_investment")
        return {} if rule is None else {lang: rule.evidence[lang] for lang in LANGUAGES}

    def test_on_the_seasonal_path_stays_silent_though_behind_pro_rata(self, shipped):
        current = {"premium_income": 38.6e12, "premium_income_target": 160.42e12}
        assert self.run(shipped, {**EARLIER, "2024Q1": current}) == {}

    def test_behind_the_seasonal_path_fires_on_the_seasonal_basis(self, shipped):
        current = {"premium_income": 30e12, "premium_income_target": 160.42e12}
        evidence = self.run(shipped, {**EARLIER, "2024Q1": current})
        assert [item.text for item in evidence["id"]] == [
            "Pendapatan iuran 93,50% dibanding target secara musiman, di bawah jalur target "
            "tahunan (100%)"
        ]
        assert "against the seasonal target" in evidence["en"][0].text

    def test_without_a_profile_falls_back_to_pro_rata(self, shipped):
        current = {"premium_income": 38.6e12, "premium_income_target": 160.42e12}
        periods = {"2023Q4": {"premium_income": 150e12}, "2024Q1": current}
        evidence = self.run(shipped, periods)
        assert "dibanding target pro rata bulan, karena data belum memuat profil musiman" in (
            evidence["id"][0].text
        )
        assert "since the data hold no seasonal profile yet" in evidence["en"][0].text

    def test_without_a_profile_on_the_pro_rata_path_stays_silent(self, shipped):
        current = {"premium_income": 41e12, "premium_income_target": 160.42e12}
        assert self.run(shipped, {"2024Q1": current}) == {}


class TestShippedData:
    def test_2024q1_has_no_first_quarter_profile(self, shipped_history):
        # data/2023Q1 holds no DJS finances: no earlier first quarter, so the pro-rata basis.
        assert shipped_history[Q1].value("premium_income_vs_seasonal_target") is None
        assert shipped_history[Q1].value("premium_income_vs_pro_rata_target") is not None

    def test_the_model_report_recommendations_fire_for_2024q1(self, shipped, shipped_history):
        # Two published recommendations have no evidence in the shipped figures once their rules
        # stop firing whatever the data: the RPJMN targets apply from 2025 and the arrears of
        # PBPU mandiri and the ICK realisation at December 2023 are not in data/.
        triggered = {rule.rule_id for rule in evaluate(shipped, shipped_history, Q1)}
        assert set(MODEL_REPORT_RULES) - triggered == set(WITHOUT_EVIDENCE_2024Q1)

    def test_every_triggered_rule_carries_evidence_in_both_languages(
        self, shipped, shipped_history
    ):
        for rule in evaluate(shipped, shipped_history, Q1):
            assert set(rule.evidence) == set(LANGUAGES)
            assert rule.evidence["id"], rule.rule_id
            assert len(rule.evidence["id"]) == len(rule.evidence["en"])
            for id_item, en_item in zip(rule.evidence["id"], rule.evidence["en"], strict=True):
                assert id_item.text and en_item.text and id_item.text != en_item.text
                assert (id_item.indicator, id_item.dimensions) == (
                    en_item.indicator,
                    en_item.dimensions,
                )
            code = rule.anchor["code"]
            dimensions = {k: v for k, v in rule.anchor.items() if k != "code"}
            assert shipped_history[Q1].get(code, **dimensions) is not None, rule.rule_id

    def test_evidence_of_2024q1(self, shipped, shipped_history):
        evidence = {
            rule.rule_id: [item.text for item in rule.evidence["id"]]
            for rule in evaluate(shipped, shipped_history, Q1)
        }
        assert evidence == {
            "migrant_worker_data_update": [
                "Peserta non aktif karena mutasi data 31,35 juta, 66,20% dari 47,36 juta "
                "peserta non aktif, lebih dari separuh"
            ],
            "fktp_gatekeeper": [
                "Rujukan dari FKTP naik 20,10% dibanding tahun lalu, lebih tinggi dari "
                "kunjungan RJTP (naik 7,50%)"
            ],
            "fraud_prevention": [
                "Beban jaminan RITL naik 31,0% dibanding tahun lalu, lebih tinggi dari "
                "total pemanfaatan layanan (naik 15,84%)"
            ],
            "specialist_supply_and_kris": [
                "FKRTL bekerja sama turun 8 sejak Desember, "
                "selama masa penerapan KRIS (Perpres 59/2024)"
            ],
            "premium_revenue_and_investment": [
                "Pendapatan iuran 96,25% dibanding target pro rata bulan, karena data belum "
                "memuat profil musiman, di bawah jalur target tahunan (100%)"
            ],
            "actuarial_projection": [
                "Ketahanan dana DJS turun dalam 2 periode terakhir yang datanya tersedia: "
                "4,36 bulan (TW IV 2023), lalu 3,98 bulan (TW I 2024)",
                "Rasio klaim naik dalam 3 periode terakhir yang datanya tersedia: "
                "78,8% (TW IV 2022), lalu 104,7% (TW IV 2023), lalu 112,2% (TW I 2024)",
            ],
            "operational_efficiency": [
                "BOPO 101,21%, di atas titik impas 100%",
                "YoI BPJS Kesehatan (disetahunkan) 6,00%, di bawah target ICK DJSN 2024 "
                "sebesar 7% setahun",
            ],
            "quality_and_cost_control": ["Rasio klaim 112,2%, di atas titik impas 100%"],
            "registration_coverage": [
                "Cakupan kepesertaan terhadap penduduk 96,00%, di "
                "bawah target 98% untuk 2024 (Perpres 36/2023)"
            ],
            "pbi_pemda_data_validation": ["Peserta aktif PBI turun 28.148 jiwa sejak Desember"],
            "fktp_network": [
                "FKTP bekerja sama turun 381 sejak Desember",
                "Jumlah FKTP bekerja sama kurang 419 dari target ICK DJSN tahun ini",
            ],
        }

    def test_evidence_agrees_with_the_indicators_json(self, shipped, shipped_history):
        """Evidence prints the value indicators.json carries (same rounding, same decimals)."""
        records = {
            (record["code"], record.get("service"), record.get("segment")): record["value"]
            for record in shipped_history[Q1].as_json()
        }
        assert records[("claim_ratio", None, None)] == 112.2
        assert records[("months_of_claims_covered", None, None)] == 3.98
        assert records[("ick_attainment", None, "ppu")] == 96.7

    def test_earlier_periods_evaluate_without_errors(self, shipped, shipped_history):
        for period in shipped_history:
            for rule in evaluate(shipped, shipped_history, period):
                assert rule.evidence["id"] and rule.evidence["en"]


# --- evidence in words (issue 11, item 1) -------------------------------------------------------

# Comparison operators, arrows and signed numbers are machinery, not words.
MACHINERY = re.compile(r"[<>=≤≥→]|(?<![\w)])[-+−]\s?\d")


def _machinery_free(text: str) -> bool:
    return MACHINERY.search(text) is None


class TestEvidenceInWords:
    """Each kind of leaf reads as a sentence in both languages, as a DJSN reviewer reads it."""

    @pytest.mark.parametrize(
        ("condition", "values", "expected"),
        [
            pytest.param(
                {"indicator": "claim_ratio", "op": ">", "than": {"indicator": "bopo"}},
                {"claim_ratio": 112.2, "bopo": 101.21},
                texts(
                    ["Rasio klaim 112,2%, lebih tinggi dari BOPO 101,21%"],
                    ["Claim ratio 112.2%, higher than BOPO (operating expense ratio) 101.21%"],
                ),
                id="indicator against another",
            ),
            pytest.param(
                {
                    "indicator": "fktp_change_vs_december",
                    "op": "<",
                    "than": {"indicator": "fktp_change_vs_previous_quarter"},
                },
                {"fktp_change_vs_december": -381, "fktp_change_vs_previous_quarter": -20},
                texts(
                    [
                        "FKTP bekerja sama turun 381 sejak Desember, lebih rendah dari FKTP "
                        "bekerja sama (turun 20)"
                    ],
                    [
                        "Contracted FKTPs fell by 381 since December, lower than contracted "
                        "FKTPs (fell by 20)"
                    ],
                ),
                id="change against another change",
            ),
        ],
    )
    def test_comparisons_with_another_indicator(self, tmp_path, condition, values, expected):
        assert fired(book_for(tmp_path, condition), {Q1: values})["r1"] == expected

    def test_a_fall_of_a_growth_rate_is_a_fall(self, tmp_path):
        condition = {
            "growth": {"indicator": "premium_income"},
            "versus": "year_earlier",
            "op": "<",
            "than": "hundred",
        }
        data = {Quarter(2023, 1): {"premium_income": 40e12}, Q1: {"premium_income": 36e12}}
        assert fired(book_for(tmp_path, condition), data)["r1"] == texts(
            ["Pendapatan iuran turun 10,00% dibanding tahun lalu, di bawah titik impas 100%"],
            ["Premium income fell by 10.00% year on year, below break-even at 100%"],
        )

    @pytest.mark.parametrize(
        ("values", "rule_id", "id_fall", "en_fall"),
        [
            ({"fktp_change_vs_december": -381}, "fktp_network", "turun 381", "fell by 381"),
            (
                {"active_change_vs_december/segment=pbi": -28148},
                "pbi_pemda_data_validation",
                "turun 28.148 jiwa",
                "fell by 28,148",
            ),
            (
                {"fkrtl_change_vs_december": -8},
                "specialist_supply_and_kris",
                "turun 8",
                "fell by 8",
            ),
        ],
    )
    def test_negative_changes_are_worded_as_falls(self, shipped, values, rule_id, id_fall, en_fall):
        evidence = fired(shipped, {Q1: values})[rule_id]
        assert id_fall in evidence["id"][0] and en_fall in evidence["en"][0]
        assert all(_machinery_free(text) for text in evidence["id"] + evidence["en"])

    @pytest.mark.parametrize(
        ("period", "value", "id_words", "en_words"),
        [
            (
                Q1,
                96.0,
                "target 98% untuk 2024 (Perpres 36/2023)",
                "2024 target of 98% (Perpres 36/2023)",
            ),
            (
                Q1_2025,
                97.5,
                "target 98% untuk 2025 (RPJMN 2025-2029)",
                "2025 target of 98% (RPJMN 2025-2029)",
            ),
        ],
    )
    def test_the_threshold_names_its_source_and_year(
        self, shipped, period, value, id_words, en_words
    ):
        evidence = fired(shipped, {period: {"registered_coverage": value}}, period)
        worded = evidence["registration_coverage"]
        assert id_words in worded["id"][0] and en_words in worded["en"][0]
        assert worded["id"][0].startswith("Cakupan kepesertaan terhadap penduduk")
        assert ", di bawah target" in worded["id"][0] and ", below the " in worded["en"][0]

    def test_every_threshold_of_the_shipped_rules_is_named_in_both_languages(self, shipped):
        for threshold in shipped.thresholds.values():
            if threshold.label is None:  # zero thresholds of a change: the fall is the finding
                assert threshold.value == 0, threshold.name
                continue
            for language in LANGUAGES:
                named = threshold.named(2024, language)
                assert _machinery_free(named) and "{" not in named, threshold.name

    @pytest.mark.parametrize(
        ("case", "values", "expected"),
        [pytest.param(*case, id=case[0]) for case in SHIPPED_CASES if case[2]],
    )
    def test_every_shipped_case_reads_without_machinery(self, case, values, expected):
        for rule in expected.values():
            for language in LANGUAGES:
                for text in rule[language]:
                    assert _machinery_free(text), text
                    assert text[0].isupper(), text

    def test_the_2024q1_evidence_reads_without_machinery(self, shipped, shipped_history):
        for rule in evaluate(shipped, shipped_history, Q1):
            for language in LANGUAGES:
                for item in rule.evidence[language]:
                    assert _machinery_free(item.text), item.text
