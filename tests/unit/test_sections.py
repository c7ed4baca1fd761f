"""Sections as data: each section's tables, chart data and facts from the period's analysis,
tested without rendering, against the published figures of the model report (2024 Q1); and
the caption numbers that the section specification gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from jkn_analysis.analysis.appendix import appendix_data
from jkn_analysis.analysis.facilities import facilities_data
from jkn_analysis.analysis.finance import finance_data
from jkn_analysis.analysis.participation import SEGMENT_ROWS, participation_data
from jkn_analysis.analysis.period import analyse
from jkn_analysis.analysis.summary import summary_data
from jkn_analysis.catalogue.numbers import round_half_up
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.report.sections import PARTS, caption_numbers

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def participation():
    return participation_data(analyse("2024Q1", ROOT / "data"))


def rounded(value: float, decimals: int) -> float:
    return float(round_half_up(value, decimals))


def test_participation_segment_table_matches_the_model_report(participation):
    table = participation.segments.set_index("segment")
    assert list(table.index) == [row[0] for row in SEGMENT_ROWS]
    assert participation.table_periods[-1] == Quarter(2024, 1)
    assert participation.change_periods == (Quarter(2023, 1), Quarter(2024, 1))
    # Model report: Total B 75.223.901 in Mar-24, change +487.124; Total 214.501.609, +959.421.
    assert table.loc["non_pbi", "2024Q1"] == 75_223_901
    assert table.loc["non_pbi", "change 2024Q1"] == 487_124
    assert table.loc["total", "2024Q1"] == 214_501_609
    assert table.loc["total", "change 2024Q1"] == 959_421
    # The heading row of the B segments carries no figures.
    heading = table.loc["non_pbi_heading"]
    assert heading["heading"] and heading["2024Q1"] is None and heading["change 2024Q1"] is None


def test_participation_ick_and_non_active(participation):
    ick = participation.ick.set_index("segment")["attainment"]
    published = {"total": 94.8, "ppu": 96.7, "pbpu": 92.9, "bp": 93.4}
    assert {segment: rounded(value, 1) for segment, value in ick.items()} == published
    non_active = participation.non_active.set_index("reason")["value"]
    assert rounded(non_active["total"] / 1e6, 2) == 47.36
    assert list(non_active.index) == ["total", "arrears", "arrears_pbpu", "mutation"]


def test_participation_facts_are_codes_and_numbers(participation):
    values = participation.facts.values
    assert rounded(values["active_share_of_population"], 2) == 76.41
    assert rounded(values["active_share_of_registered"], 2) == 79.59
    assert rounded(values["registered_coverage"], 0) == 96
    assert rounded(values["active_growth"], 2) == 0.45
    assert rounded(values["non_active_change"] / 1e6, 1) == -6.4
    frame = participation.facts.frame().set_index("name")
    assert frame.loc["active_share_of_population", "rounded"] == 76.41
    # Drivers of the change since December, largest first, as the paragraph names them.
    assert participation.drivers[0] == ("pbpu_pemda", 500_445)
    assert [value for _, value in participation.drivers] == sorted(
        (value for _, value in participation.drivers), reverse=True
    )


def test_participation_chart_data_hold_codes_not_words(participation):
    assert set(participation.trend["series"]) == {
        "registered_coverage",
        "active_share_of_registered",
        "active_share_of_population",
    }
    assert set(participation.active_chart["period"]) == {Quarter(2023, 4), Quarter(2024, 1)}
    assert "pbpu_pemda" in set(participation.active_chart["segment"])
    assert participation.parts() == {name for name, _ in PARTS["participation"]}


def test_the_same_data_for_both_editions():
    analysis = analyse("2024Q1", ROOT / "data")
    first, second = participation_data(analysis), participation_data(analysis)
    assert first.segments.equals(second.segments)
    assert first.facts == second.facts


def test_caption_numbers_follow_the_section_specification():
    every = {name for name, _ in PARTS["participation"]}
    assert caption_numbers("participation", every) == {
        "coverage_table": "1.1",
        "trend_chart": "1.1",
        "active_table": "1.2",
        "active_chart": "1.2",
        "non_active_table": "1.3",
        "ick_table": "1.4",
        "ick_chart": "1.3",
    }
    # A part without data takes no number: the next of its kind moves up.
    numbers = caption_numbers("participation", every - {"non_active_table", "trend_chart"})
    assert numbers["ick_table"] == "1.3" and numbers["active_chart"] == "1.1"
    assert "non_active_table" not in numbers


@pytest.fixture(scope="module")
def facilities():
    return facilities_data(analyse("2024Q1", ROOT / "data"))


def test_facilities_table_matches_the_model_report(facilities):
    table = facilities.facilities.set_index("facility")
    # Model report: 23.245 FKTP (-381 since December, 419 short of the target), 3.112 FKRTL (-8).
    assert table.loc["fktp", "now"] == 23_245
    assert table.loc["fktp", "change"] == -381
    assert table.loc["fktp", "gap"] == 419
    assert table.loc["fkrtl", "now"] == 3_112
    assert table.loc["fkrtl", "change"] == -8
    assert table.loc["fkrtl", "target"] is None


def test_facilities_claims_and_facts(facilities):
    shares = facilities.claims.set_index("service")["share"]
    assert rounded(shares["ritl"], 0) == 57 and rounded(shares["rjtl"], 0) == 31
    assert facilities.ranked["claims_expense_share"][0][0] == "ritl"
    assert rounded(facilities.facts.values["referral_growth_yoy"], 0) == 20
    assert rounded(facilities.facts.values["fktp_count"], 0) == 23_245
    # Cases ranked by count within each service, by figure code.
    ranks = [rank for rank, _, _ in facilities.cases["rjtl"]]
    assert ranks == list(range(1, len(ranks) + 1))
    assert all(code.startswith("ritl_cases_") for _, code, _ in facilities.cases["ritl"])


def test_facilities_parts_and_numbers(facilities):
    numbers = caption_numbers("facilities", facilities.parts())
    assert numbers["facilities_table"] == "2.1" and numbers["fktp_chart"] == "2.1"
    assert numbers["top_cases_table"] == "2.4"


@pytest.fixture(scope="module")
def finance():
    return finance_data(analyse("2024Q1", ROOT / "data"))


def test_finance_facts_match_the_model_report(finance):
    values, items = finance.facts.values, finance.facts.items
    assert rounded(values["claim_ratio"], 1) == 112.2
    assert rounded(values["premium_income_vs_annual_target"], 0) == 24
    assert rounded(values["months_of_claims_covered"], 2) == 3.98
    assert items["months_of_claims_covered"].method == "reported"
    assert rounded(values["djs_surplus"] / 1e12, 3) == -2.177
    shares = finance.investment.set_index("instrument")["share"]
    assert rounded(shares["deposits"], 0) == 56 and rounded(shares["government_bonds"], 0) == 44


def test_finance_flows_beside_full_years_only(finance):
    # 2024 Q1: full years 2021-2023 but no earlier first quarter and no seasonal profile.
    assert finance.flows.caption == "caption_income_claims_full_years"
    assert finance.flows.note == "flows_not_comparable"
    assert set(finance.flows.frame["series"]) == {"premium_income", "claims_expense"}
    assert Quarter(2024, 1) not in set(finance.flows.frame["period"])


def test_finance_parts_and_numbers(finance):
    assert finance.has_projection
    numbers = caption_numbers("finance", finance.parts())
    assert numbers["djs_table"] == "3.1" and numbers["investment_table"] == "3.2"
    assert numbers["projection_start_table"] == "3.3"
    assert numbers["claim_ratio_chart"] == "3.1"


def test_summary_cards_are_the_headline_indicators():
    summary = summary_data(analyse("2024Q1", ROOT / "data"))
    codes = [code for _, code in summary.cards]
    assert codes[0] == "registered_coverage" and "claim_ratio" in codes
    values = summary.facts.values
    assert rounded(values["claim_ratio"], 1) == 112.2
    assert values["active_participants_total"] == 214_501_609


def test_appendix_figures_and_files():
    analysis = analyse("2024Q1", ROOT / "data")
    appendix = appendix_data(analysis)
    figures = appendix.figures.set_index("code")
    assert figures.loc["active_total", "value"] == 214_501_609
    assert figures.loc["active_total", "unit"] == "persons"
    assert any(name.startswith("2024Q1/") for name, _ in appendix.files)
    assert all(len(digest) == 64 for _, digest in appendix.files)
    # The files are hashed once per analysis, for both editions.
    assert appendix.files is appendix_data(analysis).files
    assert all(item.method == "reported" for item in appendix.reported)
