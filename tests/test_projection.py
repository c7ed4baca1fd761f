"""Tests of `jkn_analysis.projection` (the DJS projection) and its chart,
`jkn_analysis.report.charts.projection_chart`.

Hand computations write money in triliun rupiah (T) and people in full; the code works in
rupiah. The back-test against published figures is in ``tests/test_backtest.py``.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import shutil
import string
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
from matplotlib.collections import PolyCollection
from matplotlib.patches import Rectangle

from jkn_analysis import projection as pj
from jkn_analysis.catalogue.definitions import CATALOGUE_DIR
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.checks import load_figures
from jkn_analysis.projection import wording
from jkn_analysis.report import charts
from jkn_analysis.report.projection_view import explore

ROOT = Path(__file__).resolve().parents[1]
T = 1e12
Q1 = Quarter(2024, 1)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def figures():
    return load_figures(ROOT / "data")


@pytest.fixture(scope="module")
def calendar():
    return pj.load_calendar()


@pytest.fixture(scope="module")
def results(figures):
    return pj.project_scenarios(figures, Q1)


@pytest.fixture(scope="module")
def start(figures):
    return pj.derive_start(pj.UpTo(figures, Q1), Q1)


@pytest.fixture(scope="module")
def drivers(figures, start, calendar):
    return pj.derive_drivers(figures, start, calendar)


# --- Synthetic starts for the formulas ----------------------------------------------------------
ZERO = {
    "member_growth_all": 0.0,
    "registered_growth": 0.0,
    "population_growth": 0.0,
    "trend_fade": 50.0,
    "government_collection": 100.0,
    "premium_rate_growth": 0.0,
    "utilisation_growth_all": 0.0,
    "utilisation_long_run": 0.0,
    "medical_inflation": 0.0,
    "investment_yield": 0.0,
    "liability_months": 0.0,
    "operating_share": 0.0,
    "other_share": 0.0,
}


def made_drivers(**values) -> pj.Drivers:
    merged = ZERO | values
    return pj.Drivers(merged, {name: "derived" for name in merged})


def made_start(**changes) -> pj.Start:
    """A December start, one payer group: 1.000 members all year, premium 120, claims 100."""
    values = {
        "period": Quarter(2023, 4),
        "premium": 120.0,
        "claims": 100.0,
        "investment": 0.0,
        "claims_levels": {"all": 100.0},
        "net_assets": 50.0,
        "net_assets_source": "djs_net_assets",
        "members": {"all": 1000.0},
        "members_start": {"all": 1000.0},
    }
    return pj.Start(**(values | changes))


def scenario(**parts) -> pj.Scenario:
    return pj.Scenario("test", {"id": "Uji", "en": "Test"}, {"id": "Uji", "en": "Test"}, **parts)


def run(calendar, years=4, start=None, scenario_=None, **driver_values) -> pj.Projection:
    return pj.project(
        start or made_start(), made_drivers(**driver_values), calendar, scenario_, years
    )


# --- Wording -------------------------------------------------------------------------------------
def _texts(node, path=()):
    if isinstance(node, dict) and set(node) == {"id", "en"}:
        yield ".".join(path), node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, (*path, str(key)))


class TestWording:
    def test_every_text_has_both_languages_with_the_same_placeholders(self):
        document = yaml.safe_load((CATALOGUE_DIR / "text.yaml").read_text("utf-8"))
        entries = list(_texts(document["projection"]))
        assert len(entries) > 150
        for key, entry in entries:
            fields = {
                lang: {name for _, name, _, _ in string.Formatter().parse(entry[lang]) if name}
                for lang in ("id", "en")
            }
            assert fields["id"] == fields["en"], key
            assert entry["id"].strip() and entry["en"].strip(), key

    def test_no_language_branches_in_the_projection_code(self):
        for path in (ROOT / "jkn_analysis" / "projection").glob("*.py"):
            source = path.read_text("utf-8")
            assert not re.search(r"lang(uage)?\s*==|==\s*['\"](id|en)['\"]", source), path.name

    def test_a_text_renders_numbers_per_language(self):
        text = wording.Text(
            "start.net_assets_derived",
            period=wording.Period(Q1),
            months=wording.Num(3.98, 2),
            claims=wording.Rp(43.32 * T),
            m=3,
            amount=wording.Rp(57.4712 * T),
        )
        assert "3,98 × Rp43,32 T / 3 = Rp57,47 T" in text.render("id")
        assert "3.98 × IDR 43.32 T / 3 = IDR 57.47 T" in text.render("en")
        assert text.render("id").startswith("TURUNAN") and text.render("en").startswith("DERIVED")

    def test_a_bare_float_is_refused(self):
        with pytest.raises(TypeError, match="Num, Pct or Rp"):
            wording.Text("unit.months", value=1.5).render("id")

    def test_unknown_key_and_language(self):
        with pytest.raises(KeyError, match=r"projection\.nothing"):
            wording.Text("nothing")
        with pytest.raises(ValueError, match="language"):
            wording.Text("unit.months_word").render("fr")


# --- Start ---------------------------------------------------------------------------------------
class TestDeriveStart:
    def test_2024q1_net_assets_derived_from_published_months_covered(self, start):
        # 3,98 × 43,32 T / 3 = 3,98 × 14,44 T = 57,4712 T
        assert start.net_assets == pytest.approx(57.4712 * T, abs=1)
        assert start.net_assets_source == "months_covered_reported"
        assert start.net_assets_derived
        assert start.months_covered == pytest.approx(3.98)
        assert "3,98" in start.explanation["net_assets"].render("id")
        assert start.explanation["net_assets"].render("en").startswith("DERIVED")

    def test_2024q1_flows_members_and_claims_split(self, start):
        assert (start.premium, start.claims, start.investment) == (
            pytest.approx(38.6 * T),
            pytest.approx(43.32 * T),
            pytest.approx(1.388 * T),
        )
        assert start.groups == ("pbi", "pbpu_pemda", "ppu", "pbpu", "bp")
        assert start.members["ppu"] == 18_107_072 + 35_687_469
        assert start.participants == 214_501_609
        assert start.members_start["pbpu_pemda"] == 42_051_687  # December 2023
        # FKTP and other = 43,32 − 13,26 − 24,72 = 5,34 T
        assert start.claims_levels["fktp"] == pytest.approx(5.34 * T)
        assert start.portfolio == pytest.approx(79.16 * T)
        assert start.population == 280_725_428 and start.population_period == Q1

    def test_2023q4_uses_the_published_net_assets(self, figures):
        start = pj.derive_start(figures, "2023Q4")
        assert start.net_assets == pytest.approx(57.76 * T)
        assert not start.net_assets_derived
        # 57,76 / (158,85 / 12) = 4,36, as published
        assert start.months_covered == pytest.approx(4.3634, abs=1e-4)
        assert start.claims_levels == {"all": pytest.approx(158.85 * T)}
        assert start.population == pytest.approx(279.12e6)

    def test_2021q4_has_no_participants(self, figures):
        start = pj.derive_start(figures, "2021Q4")
        assert not start.members_known and start.members == {"all": 1.0}
        assert "indeks 1" in start.explanation["members"].render("id")

    def test_missing_flows_are_named_in_both_languages(self, figures):
        with pytest.raises(pj.ProjectionError, match="premium_income, claims_expense_total") as e:
            pj.derive_start(figures, "2023Q1")
        assert e.value.describe("id").startswith("proyeksi dari 2023Q1 memerlukan angka")

    def test_missing_net_assets_and_months_covered(self, figures):
        table = figures.table.reset_index()
        table = table[~table["code"].isin(["months_covered_reported"])]
        reduced = type(figures)(table, figures.catalogue)
        with pytest.raises(pj.ProjectionError, match="djs_net_assets"):
            pj.derive_start(reduced, "2024Q1")

    def test_later_periods_are_never_seen(self, figures):
        known = pj.UpTo(figures, Quarter(2022, 4))
        assert known.value("premium_income", "2023Q4") is None
        assert max(known.periods) == Quarter(2022, 4)


# --- Drivers -------------------------------------------------------------------------------------
class TestDeriveDrivers2024Q1:
    def test_member_growth_year_on_year(self, drivers):
        # PBPU Pemda 36.597.305 (March 2023) → 42.552.132 (March 2024)
        assert drivers["member_growth_pbpu_pemda"] == pytest.approx(
            (42_552_132 / 36_597_305 - 1) * 100
        )
        assert drivers["member_growth_pbi"] == pytest.approx((96_725_576 / 96_733_944 - 1) * 100)
        assert "Q1 2023 → Q1 2024" in drivers.explanation["member_growth_ppu"].render("en")

    def test_registered_growth_annualised_from_a_quarter(self, drivers):
        # 267,32 juta (December 2023) → 269,5 juta (March 2024), a quarter: × 4 compounded
        assert drivers["registered_growth"] == pytest.approx(((269.5 / 267.32) ** 4 - 1) * 100)

    def test_population_growth_falls_back(self, drivers):
        assert drivers["population_growth"] == 0.0
        assert drivers.basis["population_growth"] == "fallback"
        assert "Juni 2023" in drivers.explanation["population_growth"].render("id")

    def test_premium_rate_of_the_other_groups_by_hand(self, drivers):
        government = 12 * 42_000
        # 2023: PBI + Pemda mean of December 2022 and 2023, others likewise.
        gov_2023 = ((96_701_058 + 36_233_942) + (96_753_724 + 42_051_687)) / 2
        other_2023 = ((204_369_682 - 132_935_000) + (213_542_188 - 138_805_411)) / 2
        rate_2023 = (151.69 * T - government * gov_2023) / other_2023
        # 2024 to March: a quarter of the mean of December 2023 and March 2024.
        gov_2024 = (138_805_411 + 96_725_576 + 42_552_132) / 2 / 4
        other_2024 = (74_736_777 + (214_501_609 - 96_725_576 - 42_552_132)) / 2 / 4
        rate_2024 = (38.6 * T - government * gov_2024) / other_2024
        assert rate_2023 == pytest.approx(1_138_545, abs=1)
        assert rate_2024 == pytest.approx(1_124_602, abs=1)
        assert drivers["premium_rate_growth"] == pytest.approx((rate_2024 / rate_2023 - 1) * 100)

    def test_utilisation_and_medical_inflation_by_hand(self, drivers):
        years_2023 = (204_369_682 + 213_542_188) / 2
        years_2024 = (213_542_188 + 214_501_609) / 2 / 4
        rjtl = (34.64e6 / years_2024) / (129.9e6 / years_2023) - 1
        ritl = (4.3e6 / years_2024) / (16.3e6 / years_2023) - 1
        assert drivers["utilisation_growth_rjtl"] == pytest.approx(rjtl * 100)
        assert drivers["utilisation_growth_ritl"] == pytest.approx(ritl * 100)
        claims = (43.32 * T / years_2024) / (158.85 * T / years_2023)
        weighted = 13.26 / 43.32 * rjtl + 24.72 / 43.32 * ritl  # FKTP: capitation, no utilisation
        assert drivers["medical_inflation"] == pytest.approx((claims / (1 + weighted) - 1) * 100)
        assert drivers["medical_inflation"] == pytest.approx(3.4065, abs=1e-3)

    def test_investment_on_the_portfolio(self, drivers):
        assert drivers["investment_yield"] == pytest.approx(1.67 * 4)
        # (79,16 − 57,4712) / (43,32 / 3) months of claims held for liabilities
        assert drivers["liability_months"] == pytest.approx((79.16 - 57.4712) / 14.44)

    def test_operating_and_other_shares(self, drivers):
        assert drivers["operating_share"] == pytest.approx(4.32 / 151.69 * 100)
        share = 4.32 / 151.69
        others = [
            (44.45 - (143.31 - 90.33 + 1.42 - 4.09)) / 143.31,
            (17.7 - (144.04 - 113.47 + 2.89 - 4.03)) / 144.04,
            (0.15722 - (151.69 - 158.85 + 5.71 - 4.32)) / 151.69,
            (-2.177 - (38.6 - 43.32 + 1.388 - share * 38.6)) / 38.6,
        ]
        assert drivers["other_share"] == pytest.approx(sum(others) / 4 * 100)
        assert drivers.spread["other_share"] == pytest.approx(tuple(o * 100 for o in others))

    def test_every_driver_is_explained_with_a_basis(self, drivers):
        assert set(drivers.names()) == set(drivers.values)
        for name in drivers.names():
            assert drivers.basis[name] in ("derived", "assumption", "fallback")
            texts = [drivers.explanation[name].render(lang) for lang in ("id", "en")]
            assert all(texts) and texts[0] != texts[1], name
        assert drivers.basis["trend_fade"] == "assumption"


class TestDeriveDriversElsewhere:
    def test_2022q4_takes_claims_per_participant_from_total_claims(self, figures, calendar):
        known = pj.UpTo(figures, Quarter(2022, 4))
        start = pj.derive_start(known, Quarter(2022, 4))
        drivers = pj.derive_drivers(known, start, calendar)
        # No active participants before December 2022: registered 2018 → 2022 stands in.
        proxy = ((248_771_083 / 208_054_199) ** (1 / 4) - 1) * 100
        assert drivers["member_growth_pbi"] == pytest.approx(proxy)
        # No per-member-year trend (no participants or visits of 2021), but total claims
        # 90,33 T → 113,47 T: their growth less the participant growth, not 0%.
        per_member = ((113.47 / 90.33) / (1 + proxy / 100) - 1) * 100
        assert per_member == pytest.approx(20.128, abs=1e-3)
        assert drivers["utilisation_growth_all"] == pytest.approx(per_member)
        assert drivers.basis["utilisation_growth_all"] == "derived"
        texts = {
            lang: drivers.explanation["utilisation_growth_all"].render(lang)
            for lang in ("id", "en")
        }
        assert (
            "25,62%" in texts["id"]
            and "20,13%" in texts["id"]
            and "tidak dianggap 0%" in texts["id"]
        )
        assert (
            "25.62%" in texts["en"] and "4.57%" in texts["en"] and "not taken as 0%" in texts["en"]
        )
        assert (drivers["medical_inflation"], drivers.basis["medical_inflation"]) == (
            0.0,
            "fallback",
        )
        assert "twice" in drivers.explanation["medical_inflation"].render("en")
        assert (drivers["premium_rate_growth"], drivers.basis["premium_rate_growth"]) == (
            0.0,
            "fallback",
        )
        assert drivers["investment_yield"] == pytest.approx(2.89 / 38.76 * 100)

    def test_2021q4_has_no_claims_trend_to_measure(self, figures, calendar):
        known = pj.UpTo(figures, Quarter(2021, 4))
        start = pj.derive_start(known, Quarter(2021, 4))
        drivers = pj.derive_drivers(known, start, calendar)
        # Only the 2021 claims up to the origin: nothing to measure a growth from.
        assert (drivers["utilisation_growth_all"], drivers.basis["utilisation_growth_all"]) == (
            0.0,
            "fallback",
        )
        assert "two consecutive years" in drivers.explanation["utilisation_growth_all"].render("en")

    def test_claims_per_registered_participant_where_both_years_hold_them(self, figures, calendar):
        """With registered participants at both year ends, claims per registered participant."""
        table = figures.table.reset_index()
        extra = table[(table["period"] == "2022Q4") & (table["code"] == "registered_participants")]
        extra = extra.assign(period="2021Q4", value=240e6)
        changed = type(figures)(pd.concat([table, extra], ignore_index=True), figures.catalogue)
        known = pj.UpTo(changed, Quarter(2022, 4))
        start = pj.derive_start(known, Quarter(2022, 4))
        drivers = pj.derive_drivers(known, start, calendar)
        expected = ((113.47 / 248_771_083) / (90.33 / 240e6) - 1) * 100
        assert drivers["utilisation_growth_all"] == pytest.approx(expected)
        assert "registered participant" in drivers.explanation["utilisation_growth_all"].render(
            "en"
        )

    def test_2023q4_flags_the_unsized_tariff_step(self, figures, calendar):
        start = pj.derive_start(figures, "2023Q4")
        drivers = pj.derive_drivers(figures, start, calendar)
        # Year-end basis (no December 2021 participants): RJTL 95,9/204,37 → 129,9/213,54 juta
        rjtl = (129.9 / 213_542_188) / (95.9 / 204_369_682) - 1
        ritl = (16.3 / 213_542_188) / (12 / 204_369_682) - 1
        assert drivers["utilisation_growth_all"] == pytest.approx((rjtl + ritl) / 2 * 100)
        assert "Permenkes 3/2023" in drivers.explanation["medical_inflation"].render("en")


# --- Overrides -----------------------------------------------------------------------------------
class TestOverrides:
    def test_json_and_mapping(self):
        assert pj.parse_overrides('{"medical_inflation": 5}') == {"medical_inflation": 5.0}
        assert pj.parse_overrides({"trend_fade": 25}) == {"trend_fade": 25.0}
        assert pj.parse_overrides("") == {} and pj.parse_overrides(None) == {}

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            (
                '{"medical_inflatoin": 5}',
                "unknown driver 'medical_inflatoin' ('medical_inflation'?)",
            ),
            ('{"medical_inflation": 80}', "from -10 to 30 (percent), found 80"),
            ('{"trend_fade": -1}', "from 0 to 100"),
            ('{"government_collection": 150}', "from 50 to 100"),
            ('{"liability_months": 13}', "(months)"),
            ('{"investment_yield": true}', "found True"),
            ('{"investment_yield": "high"}', "found 'high'"),
            ("[1, 2]", "JSON object"),
            ("{medical", "JSON object such as"),
        ],
    )
    def test_bad_overrides_are_named(self, overrides, message):
        with pytest.raises(pj.ProjectionError) as error:
            pj.parse_overrides(overrides)
        assert message in str(error.value)
        assert error.value.describe("id") != str(error.value)

    def test_a_driver_not_used_at_the_origin(self, drivers):
        with pytest.raises(pj.ProjectionError, match="not used at this origin"):
            drivers.with_overrides({"utilisation_growth_all": 5.0})

    def test_overrides_reach_every_scenario_and_say_so(self, figures):
        results = pj.project_scenarios(
            figures, Q1, overrides='{"medical_inflation": 5}', with_band=False
        )
        assert results.default_drivers["medical_inflation"] == pytest.approx(3.4065, abs=1e-3)
        for p in results.values():
            assert p.drivers["medical_inflation"] == 5.0
        assert results.drivers.basis["medical_inflation"] == "override"
        assert "Ditetapkan analis: 5,00%" in results.drivers.explanation[
            "medical_inflation"
        ].render("id")


# --- Formulas ------------------------------------------------------------------------------------
class TestFormulas:
    def test_zero_growth_keeps_flows_and_assets_linear(self, calendar):
        p = run(calendar)
        assert p.years == [2023, 2024, 2025, 2026, 2027]
        assert p.table["kind"].tolist() == ["observed"] + ["projection"] * 4
        assert p.column("premium_income") == pytest.approx([120.0] * 5)
        assert p.column("claims_expense") == pytest.approx([100.0] * 5)
        assert p.column("net_assets") == pytest.approx([50, 70, 90, 110, 130])
        # months covered = net assets / (claims / 12): the December indicator
        assert p.column("months_covered") == pytest.approx([6.0, 8.4, 10.8, 13.2, 15.6])
        assert p.first_year_below_floor is None and p.first_year_exhausted is None

    def test_a_deficit_runs_out_with_a_funding_gap_and_never_negative_months(self, calendar):
        p = run(
            calendar,
            start=made_start(premium=100.0, claims=120.0, claims_levels={"all": 120.0}),
            investment_yield=10.0,
        )
        # 50 → 50 − 20 + 5 = 35 → 35 − 20 + 3,5 = 18,5 → 18,5 − 20 + 1,85 = 0,35 → 0,35 − 20 + 0,035
        assert p.column("net_assets") == pytest.approx([50, 35, 18.5, 0.35, -19.615])
        assert p.column("investment_income")[1:] == pytest.approx([5.0, 3.5, 1.85, 0.035])
        assert p.column("months_covered")[-1] == 0.0
        assert p.column("funding_gap") == pytest.approx([0, 0, 0, 0, 19.615])
        assert (p.first_year_below_floor, p.first_year_exhausted) == (2026, 2027)
        assert min(p.column("months_covered")) >= 0

    def test_no_investment_income_on_a_negative_balance(self, calendar):
        p = run(
            calendar,
            years=6,
            start=made_start(premium=100.0, claims=160.0, claims_levels={"all": 160.0}),
            investment_yield=10.0,
            liability_months=1.0,
        )
        rows = p.rows
        for before, after in itertools.pairwise(rows):
            portfolio = max(0.0, before["net_assets"] + 1.0 * before["claims_expense"] / 12)
            assert after["investment_income"] == pytest.approx(0.1 * portfolio)
        assert p.column("investment_income")[-1] == 0.0

    def test_trends_fade_by_the_share_kept(self, calendar):
        p = run(
            calendar, member_growth_all=10.0, utilisation_growth_all=20.0, medical_inflation=5.0
        )
        members = p.column("participants")
        # 10% fading by half a year: 5%, 2,5%, 1,25%...
        assert members[1:3] == pytest.approx([1050.0, 1050.0 * 1.025])
        claims_rate = p.column("claims_rate")
        assert claims_rate[1] / claims_rate[0] == pytest.approx(1.10 * 1.05)
        assert claims_rate[2] / claims_rate[1] == pytest.approx(1.05 * 1.05)
        # premium per member-year held (no drift): premium = 0,12 × member-years
        assert p.column("premium_income")[1] == pytest.approx(0.12 * (1000 + 1050) / 2)

    def test_premium_drift_fades_to_none(self, calendar):
        p = run(calendar, premium_rate_growth=4.0)
        rates = p.column("premium_rate_other")
        assert [rates[k] / rates[k - 1] for k in (1, 2, 3)] == pytest.approx([1.02, 1.01, 1.005])

    def test_surplus_and_assets_identities(self, results):
        for p in results.values():
            rows = p.rows
            for index, row in enumerate(rows):
                total = (
                    row["premium_income"]
                    - row["claims_expense"]
                    + row["investment_income"]
                    - row["operating_cost"]
                    + row["other_net"]
                )
                assert row["surplus"] == pytest.approx(total, rel=1e-9, abs=1)
                assert row["funding_gap"] == pytest.approx(max(0.0, -row["net_assets"]))
                assert row["months_covered"] == pytest.approx(
                    max(0.0, row["net_assets"]) / (row["claims_expense"] / 12)
                )
                if index:
                    previous = rows[index - 1]
                    assert row["net_assets"] == pytest.approx(
                        previous["net_assets"] + row["surplus"]
                    )

    def test_years_out_of_range(self, calendar):
        for years in (0, 31, 2.5, True):
            with pytest.raises(pj.ProjectionError, match="horizon"):
                run(calendar, years=years)


class TestCrossings:
    @staticmethod
    def deficit(premium: float, claims: float, assets: float) -> pj.Start:
        return made_start(
            premium=premium, claims=claims, claims_levels={"all": claims}, net_assets=assets
        )

    @pytest.mark.parametrize("k", [1, 2, 3, 4])
    def test_exactly_at_the_floor_is_not_below(self, calendar, k):
        # Claims 12 a year = 1 a month, so months covered = net assets. Premiums 11: −1 a year.
        # Start at 1,5 + k: year k ends at exactly 1,5 (within the corridor), year k + 1 below.
        p = run(calendar, years=6, start=self.deficit(11.0, 12.0, 1.5 + k))
        assert p.row(2023 + k)["months_covered"] == pytest.approx(1.5)
        assert p.row(2023 + k)["corridor"] == "within"
        assert p.first_year_below_floor == 2023 + k + 1
        assert p.first_year_exhausted == 2023 + k + 2  # 1,5 → 0,5 → −0,5

    def test_net_assets_of_exactly_zero_are_exhausted(self, calendar):
        # 4,5 → 3 → 1,5 → 0: runs out at the end of 2026, with no months and no gap.
        p = run(calendar, years=5, start=self.deficit(10.5, 12.0, 4.5))
        assert p.row(2026)["net_assets"] == pytest.approx(0.0)
        assert p.row(2026)["funding_gap"] == pytest.approx(0.0, abs=1e-12)
        assert (p.first_year_below_floor, p.first_year_exhausted) == (2026, 2026)

    def test_never(self, calendar):
        p = run(calendar)
        assert p.first_year_below_floor is None and p.first_year_exhausted is None
        assert "stay at 1.5 or more until the end of 2027" in p.summary().render("en")

    def test_below_in_the_origin_year(self, calendar):
        p = run(calendar, start=self.deficit(110.0, 120.0, 12.0))  # 12 / (120 / 12) = 1,2
        assert p.first_year_below_floor == 2023
        assert p.first_year_exhausted == 2025  # 12 → 2 → −8

    def test_summary_names_the_years_and_the_gap(self, calendar):
        # 3,5 → 2,5 → 1,5 → 0,5 (2026, below) → −0,5 (2027, run out)
        p = run(calendar, start=self.deficit(11.0, 12.0, 3.5), scenario_=scenario())
        assert (
            p.summary()
            .render("id")
            .startswith(
                "Uji: ketahanan dana turun di bawah 1,5 bulan pada akhir 2026 dan aset neto habis "
                "pada 2027; kekurangan dana pada akhir 2027"
            )
        )
        english = p.summary().render("en")
        assert english.startswith("Test: months covered fall below 1.5 at the end of 2026")
        assert "net assets run out in 2027" in english


class TestPolicies:
    def test_premium_step_lasts_from_its_year(self, calendar):
        p = run(calendar, scenario_=scenario(policies=("premium_review_2025",)))
        rates = p.column("premium_rate_other")
        assert rates[1] == pytest.approx(0.12) and rates[2] == pytest.approx(0.132)
        assert rates[3] == pytest.approx(0.132)

    def test_tariff_step_on_its_levels(self, calendar, start, drivers):
        base = pj.project(start, drivers, calendar, None, 3)
        kris = pj.project(start, drivers, calendar, scenario(policies=("kris_2025",)), 3)
        assert kris.row(2025)["claims_ritl"] == pytest.approx(base.row(2025)["claims_ritl"] * 1.05)
        assert kris.row(2025)["claims_rjtl"] == pytest.approx(base.row(2025)["claims_rjtl"])

    def test_claims_growth_cut_from_its_year(self, calendar):
        p = run(
            calendar, medical_inflation=5.0, scenario_=scenario(claims_growth_cut=pj.Cut(2.0, 2025))
        )
        rates = p.column("claims_rate")
        assert rates[1] / rates[0] == pytest.approx(1.05)
        assert rates[2] / rates[1] == pytest.approx(1.03)

    def test_a_policy_dated_before_the_origin_is_taken_as_observed(self, calendar):
        p = run(
            calendar,
            start=made_start(period=Quarter(2025, 4)),
            scenario_=scenario(policies=("premium_review_2025",)),
        )
        assert p.column("premium_rate_other")[1] == pytest.approx(p.column("premium_rate_other")[0])
        assert "tidak diterapkan lagi" in p.notes[0].render("id")

    def test_an_unsized_step_is_noted_not_applied(self, figures, calendar):
        known = pj.UpTo(figures, Quarter(2022, 4))
        start = pj.derive_start(known, Quarter(2022, 4))
        p = pj.project(start, pj.derive_drivers(known, start, calendar), calendar)
        assert any("Permenkes 3/2023" in note.render("en") for note in p.notes)

    def test_operating_cost_within_the_cap(self, calendar):
        p = run(calendar, operating_share=5.0)
        # PMK 148/2023: 3,66% of contributions from 2024 on
        assert p.column("operating_cost")[1:] == pytest.approx([0.0366 * 120.0] * 4)
        assert any("PMK 148/2023" in note.render("en") for note in p.notes)


class TestParticipants:
    def test_registered_never_above_the_population(self, calendar):
        start = made_start(registered=1250.0, population=1300.0, population_period=Quarter(2023, 4))
        p = run(calendar, start=start, member_growth_all=20.0, registered_growth=20.0)
        assert max(p.column("registered")) == pytest.approx(1300.0)
        assert all(
            a <= r + 1e-9
            for a, r in zip(p.column("participants"), p.column("registered"), strict=True)
        )
        assert any("penduduk" in note.render("id") for note in p.notes)

    def test_targets_raise_participants_within_the_population(self, calendar):
        start = made_start(registered=1250.0, population=1500.0, population_period=Quarter(2023, 4))
        targets = scenario(
            registered_coverage_targets={2025: 90.0}, active_share_targets={2025: 90.0}
        )
        p = run(calendar, start=start, scenario_=targets)
        # 2025: registered 90% of 1.500 = 1.350; active 90% of that = 1.215; 2024 half-way.
        assert p.row(2025)["registered"] == pytest.approx(1350.0)
        assert p.row(2025)["participants"] == pytest.approx(1215.0)
        # 2024 half-way: registered (83,33% + 90%) / 2 of 1.500 = 1.300, active 85% of it
        assert p.row(2024)["registered"] == pytest.approx(1300.0)
        assert p.row(2024)["participants"] == pytest.approx(0.85 * 1300.0)

    def test_targets_already_met_leave_the_baseline_unchanged(self, calendar):
        start = made_start(registered=1000.0, population=1000.0, population_period=Quarter(2023, 4))
        p = run(calendar, start=start, scenario_=scenario(active_share_targets={2025: 90.0}))
        assert p.column("participants") == pytest.approx([1000.0] * 5)
        assert any("sama dengan skenario dasar" in note.render("id") for note in p.notes)

    def test_shipped_scenarios_never_exceed_the_population(self, results):
        for p in results.values():
            for row in p.rows:
                assert row["participants"] <= row["registered"] + 1 <= row["population"] + 2
                assert row["months_covered"] >= 0


# --- The 2024 Q1 baseline ------------------------------------------------------------------------
class TestBaseline2024Q1:
    def test_the_rest_of_2024_by_member_years(self, results, start):
        baseline = results.baseline
        row = baseline.row(2024)
        assert row["kind"] == "estimate"
        # The year to March is not multiplied by four: its share of the year is member-years
        # to March over member-years of the year, below a quarter as participants grow.
        share = baseline.seasonal["premium"]
        assert share == pytest.approx(38.6 * T / row["premium_income"])
        assert 0.24 < share < 0.25 and baseline.seasonal_basis == "member_years"
        # 1,388 T to March + 6,68% × 79,16 T × 9/12
        assert row["investment_income"] == pytest.approx(1.388 * T + 0.0668 * 79.16 * T * 0.75)

    def test_2024_net_assets_add_the_rest_of_the_year(self, results, drivers):
        row = results.baseline.row(2024)
        share = drivers["operating_share"] / 100
        rest_premium = row["premium_income"] - 38.6 * T
        rest = (
            rest_premium
            - (row["claims_expense"] - 43.32 * T)
            + (row["investment_income"] - 1.388 * T)
            - share * rest_premium
            + drivers["other_share"] / 100 * rest_premium
        )
        assert row["net_assets"] == pytest.approx(57.4712 * T + rest, rel=1e-9)

    def test_scenarios_move_the_way_their_measures_push(self, results):
        months = {name: p.row(2025)["months_covered"] for name, p in results.items()}
        gaps = {name: p.row(2029)["funding_gap"] for name, p in results.items()}
        assert months["premium_adjustment"] > months["baseline"]
        assert months["cost_containment"] > months["baseline"]
        assert months["kris"] < months["baseline"]
        assert gaps["combined"] < gaps["premium_adjustment"] < gaps["baseline"] < gaps["kris"]

    def test_seven_scenarios_labels_kept(self, results):
        assert list(results) == [
            "baseline",
            "premium_adjustment",
            "cost_containment",
            "active_participation",
            "kris",
            "combined",
        ]

    def test_crossings_and_summaries(self, results):
        crossings = results.crossings().set_index("scenario")
        for name, p in results.items():
            assert crossings.at[name, "first_year_below_floor"] == p.first_year_below_floor
        summaries = results.summaries("en")
        assert all(
            text.startswith(results[name].scenario.label["en"]) for name, text in summaries.items()
        )
        assert results.summaries("id") != summaries


# --- Seasonality ---------------------------------------------------------------------------------
class TestSeasonality:
    def test_observed_shares_are_used_when_the_data_hold_them(self, tmp_path):
        # A March 2023 with premium and claims (test values) makes 2023 a year with both the
        # quarter and the December: its shares replace the member-year share.
        data = tmp_path / "data"
        shutil.copytree(ROOT / "data", data)
        with (data / "2023Q1" / "figures.csv").open("a", encoding="utf-8") as handle:
            handle.write('2023Q1,premium_income,"30",triliun rupiah,,test,\n')
            handle.write('2023Q1,claims_expense_total,"35",triliun rupiah,,test,\n')
        loaded = load_figures(data)
        shares, _ = pj.seasonal_history(pj.UpTo(loaded, Q1), pj.derive_start(loaded, Q1))
        assert shares == {
            "premium": pytest.approx(30 / 151.69),
            "claims": pytest.approx(35 / 158.85),
        }
        results = pj.project_scenarios(loaded, Q1, with_band=False, with_backtest=False)
        assert results.baseline.seasonal_basis == "observed"
        assert results.baseline.row(2024)["premium_income"] == pytest.approx(
            38.6 * T / (30 / 151.69)
        )
        assert "observed in earlier years" in pj.Display(results, "en").seasonal()

    def test_the_member_year_share_is_checked_on_visits(self, results):
        (check,) = [c for c in results.seasonal_checks if c.code == "visits_rjtp"]
        # RJTP visits 2023: 113,36 juta to March of 239,5 + 223,8 juta in the year
        assert check.observed == pytest.approx(113.36 / 463.3)
        assert check.member_years == pytest.approx(
            (204_369_682 + 204_872_380) / 2 / 4 / ((204_369_682 + 213_542_188) / 2)
        )

    def test_a_december_origin_has_no_rest_of_year(self, figures):
        results = pj.project_scenarios(figures, "2023Q4", with_band=False, with_backtest=False)
        assert results.baseline.seasonal == {}
        assert results.baseline.row(2023)["kind"] == "observed"
        assert results.baseline.row(2023)["net_assets"] == pytest.approx(57.76 * T)


# --- Calendar ------------------------------------------------------------------------------------
def write_yaml(tmp_path, document, name="file.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    return path


class TestCalendar:
    def test_packaged_calendar(self, calendar):
        assert calendar.rate(2024).government_paid == 42_000
        assert calendar.rate(2020) is None
        assert calendar.cap(2029).share == 3.66 and calendar.cap(2023) is None
        permenkes = calendar.steps["permenkes_3_2023"]
        assert permenkes.in_baseline and not permenkes.sized
        for step in calendar.steps.values():
            assert step.source
            if not step.in_baseline:
                assert step.sized and step.illustrative
        assert calendar.applied_steps() == []
        assert [s.id for s in calendar.applied_steps(("kris_2025",))] == ["kris_2025"]

    def test_problems_are_listed_together(self, tmp_path):
        document = yaml.safe_load((CATALOGUE_DIR / "policy_calendar.yaml").read_text("utf-8"))
        document["steps"]["kris_2025"]["percent"] = None
        document["steps"]["kris_2025"]["levles"] = ["ritl"]
        del document["operating_caps"]["pmk_148_2023"]["source"]
        with pytest.raises(pj.CalendarError) as error:
            pj.load_calendar(write_yaml(tmp_path, document))
        message = error.value.describe("en")
        assert "unknown key 'levles'" in message
        assert "a scenario-only step needs a size" in message
        assert "operating_caps.pmk_148_2023: a source text is required" in message
        assert len(error.value.problems) == 3
        assert "wajib" in error.value.describe("id")

    def test_unreadable_calendar(self, tmp_path):
        with pytest.raises(pj.CalendarError, match="cannot be read"):
            pj.load_calendar(tmp_path / "missing.yaml")


# --- Scenario file -------------------------------------------------------------------------------
LABELS = {"label": {"id": "Uji", "en": "Test"}, "description": {"id": "Uji", "en": "Test"}}


class TestScenarioFile:
    def test_packaged_scenarios(self, calendar):
        scenarios = pj.load_scenarios(calendar=calendar)
        assert next(iter(scenarios)) == "baseline"
        assert scenarios["premium_adjustment"].policies == ("premium_review_2025",)
        assert scenarios["kris"].policies == ("kris_2025",)
        assert scenarios["cost_containment"].claims_growth_cut == pj.Cut(2.0, 2025)
        assert scenarios["cost_containment"].illustrative
        active = scenarios["active_participation"]
        assert active.active_share_targets == {2025: 80.0, 2029: 83.5}
        assert active.registered_coverage_targets == {2025: 98.0, 2029: 99.0}
        assert "RPJMN" in active.source and not active.illustrative
        for s in scenarios.values():
            assert s.label["id"] and s.label["en"] and s.description["id"] and s.description["en"]
            # every parameter has its source or is illustrative
            assert s.source or s.illustrative or s.policies or s.name == "baseline"

    def test_problems_are_listed_together(self, tmp_path, calendar):
        path = write_yaml(
            tmp_path,
            {
                "scenarios": {
                    "baseline": LABELS,
                    "odd": {
                        **LABELS,
                        "premium_increse": 5,
                        "drivers": {"medical_inflatoin": 3.0, "trend_fade": 200},
                        "policies": ["permenkes_3_2023"],
                    },
                }
            },
        )
        with pytest.raises(pj.ScenarioError) as error:
            pj.load_scenarios(path, calendar)
        message = error.value.describe("en")
        assert "unknown key 'premium_increse'" in message
        assert "unknown driver 'medical_inflatoin' ('medical_inflation'?)" in message
        assert "'trend_fade' must be a number from 0 to 100" in message
        assert "policies must list calendar steps outside the baseline" in message
        assert len(error.value.problems) == 4

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"label": {"id": "x"}, "description": {"id": "x", "en": "x"}}, "id and en"),
            ({**LABELS, "claims_growth_cut": {"points": 5}}, "points (0-50) and from_year"),
            ({**LABELS, "claims_growth_cut": {"points": 60, "from_year": 2025}}, "points (0-50)"),
            ({**LABELS, "active_share_targets": {2025: 120}}, "percentages above 0 up to 100"),
            ({**LABELS, "registered_coverage_targets": {"soon": 80}}, "map years"),
            ({**LABELS, "illustrative": "yes"}, "true or false"),
            ("not a mapping", "must be a mapping"),
        ],
    )
    def test_invalid_scenario(self, tmp_path, calendar, body, message):
        path = write_yaml(tmp_path, {"scenarios": {"baseline": LABELS, "bad": body}})
        with pytest.raises(pj.ScenarioError, match=re.escape(message)):
            pj.load_scenarios(path, calendar)

    def test_baseline_is_required_and_first(self, tmp_path, calendar):
        with pytest.raises(pj.ScenarioError, match="'baseline' is required"):
            pj.load_scenarios(write_yaml(tmp_path, {"scenarios": {"other": LABELS}}), calendar)
        path = write_yaml(tmp_path, {"scenarios": {"zeta": LABELS, "baseline": LABELS}})
        assert list(pj.load_scenarios(path, calendar)) == ["baseline", "zeta"]

    def test_not_a_scenario_document(self, calendar, tmp_path):
        with pytest.raises(pj.ScenarioError, match="scenarios:"):
            pj.parse_scenarios(["baseline"], calendar)
        broken = tmp_path / "broken.yaml"
        broken.write_text("scenarios: [", "utf-8")
        with pytest.raises(pj.ScenarioError, match="cannot be read"):
            pj.load_scenarios(broken, calendar)


# --- Band and sensitivity ------------------------------------------------------------------------
class TestUncertainty:
    def test_band_is_reproducible_ordered_and_never_negative(
        self, results, start, drivers, calendar
    ):
        band = results.band
        assert band.years == tuple(results.baseline.years)
        assert all(0 <= low <= high for low, high in zip(band.low, band.high, strict=True))
        again = pj.band(start, drivers, calendar, 5)
        assert again.low == band.low and again.high == band.high

    def test_drawn_drivers_are_those_with_a_history(self, results, drivers):
        assert set(results.band.drawn) == {
            name for name in drivers.names() if (drivers.standard_deviation(name) or 0) > 0
        }
        assert "other_share" in results.band.drawn and "trend_fade" not in results.band.drawn
        sd = results.band.drawn["other_share"]
        assert sd == pytest.approx(pd.Series(drivers.spread["other_share"]).std())

    def test_without_history_the_band_is_the_baseline(self, calendar):
        drivers = made_drivers()
        band = pj.band(made_start(), drivers, calendar, 3)
        reference = pj.project(made_start(), drivers, calendar, None, 3)
        assert band.drawn == {} and band.low == band.high == tuple(
            reference.column("months_covered")
        )

    def test_sensitivity_signs(self, results):
        rows = {row["driver"]: row for row in results.sensitivity.rows}
        assert rows["utilisation"]["net_assets"] < 0 and rows["medical_inflation"]["net_assets"] < 0
        assert rows["other_share"]["net_assets"] > 0 and rows["investment_yield"]["net_assets"] >= 0
        assert results.sensitivity.year == 2029 and results.sensitivity.first_year == 2025


# --- Results -------------------------------------------------------------------------------------
class TestResults:
    def test_indicators_for_every_scenario_and_year(self, results):
        items = results.indicators()
        codes = {
            "projection_premium_income",
            "projection_claims_expense",
            "projection_investment_income",
            "projection_surplus",
            "projection_net_assets",
            "projection_months_covered",
            "projection_funding_gap",
        }
        for name in results:
            for year in range(2024, 2030):
                found = {
                    item.code
                    for item in items
                    if item.dimensions.get("scenario") == name
                    and item.dimensions.get("year") == str(year)
                }
                assert codes <= found, (name, year)
        band = [item for item in items if item.code == "projection_months_covered_band"]
        assert len(band) == 2 * 6
        errors = [item for item in items if item.code.startswith("projection_backtest_")]
        assert {item.dimensions["origin"] for item in errors} == {"2021Q4", "2022Q4"}
        drivers = [item for item in items if item.code == "projection_driver"]
        assert {item.dimensions["basis"] for item in drivers} == {
            "derived",
            "assumption",
            "fallback",
        }

    def test_as_json_is_serialisable(self, results):
        document = json.loads(json.dumps(results.as_json()))
        assert document["start"]["net_assets_derived"] is True
        assert len(document["scenarios"]["baseline"]["table"]) == 6
        assert document["band"]["percentiles"] == [10, 90]
        assert document["backtest"][0]["origin"] == "2021Q4"

    def test_chart_and_band_data(self, results):
        data = results.chart_data("en")
        assert set(data["scenario"]) == {p.scenario.label["en"] for p in results.values()}
        assert results.band_data()["year"].tolist() == [str(y) for y in range(2024, 2030)]


class TestDisplay:
    def test_tables_in_both_languages(self, results):
        for language in ("id", "en"):
            display = pj.Display(results, language)
            for table in (
                display.start_table(),
                display.drivers_table(),
                display.calendar_table(),
                display.scenarios_table(),
                display.outcome_table(),
                display.yearly_table(),
                display.sensitivity_table(),
                display.backtest_table(),
            ):
                assert all(len(row) == len(table.head) for row in table.rows)
                assert not re.search(r"\bnan\b", table.to_html(), re.IGNORECASE)

    def test_start_table_flags_the_derived_net_assets(self, results):
        table = pj.Display(results, "id").start_table()
        (row,) = [table.rows[i] for i in table.strong]
        assert row[1] == "Rp57,47 T" and row[2].startswith("TURUNAN")

    def test_yearly_table_is_written_as_the_report_writes(self, results):
        table = pj.Display(results, "id").yearly_table()
        assert table.head[:2] == ("Pos", "2024*")
        months = dict((row[0], row[1:]) for row in table.rows)["Ketahanan dana (bulan)"]
        assert all(re.fullmatch(r"\d+,\d\d", value) for value in months)

    def test_backtest_says_why_the_model_misses_claims_more_than_the_naive(self, results):
        for language, words in (("en", "claims expense"), ("id", "beban jaminan")):
            texts = pj.Display(results, language).backtest_texts()
            (why,) = [text for text in texts if text.startswith("2022Q4 → 2023")]
            assert words in why and "trend_fade" in why and "Permenkes 3/2023" in why

    def test_seasonality_names_the_shares(self, results):
        text = pj.Display(results, "en").seasonal()
        assert "not 25.00%" in text and "RJTP visits" in text


class TestView:
    def test_cells_render(self, tmp_path):
        view = explore("2024Q1", language="en", data_dir=ROOT / "data")
        assert "Laporan Kinerja Program JKN" in view.introduction().html
        assert "IDR 57.47 T" in view.start_table().html
        assert "6.68%" in view.drivers_table().html
        assert "Permenkes 3/2023" in view.calendar_table().html
        assert "(illustrative)" in view.scenarios_table().html
        assert view.summary().html.count("<li>") == len(view.results)
        assert view.chart().html.startswith('<figure class="chart"><svg')
        assert view.tables().html.count("<table") == len(view.results)
        assert "2022Q4" in view.backtest_table().html
        assert view.write("").html == ""
        view.write(str(tmp_path / "out"))
        document = json.loads((tmp_path / "out" / "projection.json").read_text("utf-8"))
        assert document["period"] == "2024Q1"


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


@pytest.fixture
def band_data() -> pd.DataFrame:
    return pd.DataFrame(
        {"year": ["2024", "2025", "2026"], "low": [3.0, 0.0, 0.0], "high": [4.0, 2.5, 7.5]}
    )


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

    def test_corridor_span(self, chart_data):
        ax = charts.projection_chart(chart_data, floor=1.5, ceiling=6.0, corridor_label="Koridor")
        spans = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_label() == "Koridor"]
        assert len(spans) == 1
        assert (spans[0].get_y(), spans[0].get_y() + spans[0].get_height()) == (1.5, 6.0)

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

    def test_band_is_shaded_behind_the_lines_and_in_the_legend(self, chart_data, band_data):
        ax = charts.projection_chart(
            chart_data, band=band_data, band_label="P10–P90", corridor_label="Koridor"
        )
        (shade,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
        assert shade.get_label() == "P10–P90"
        assert shade.get_zorder() < min(line.get_zorder() for line in scenario_lines(ax))
        labels = [text.get_text() for text in ax.get_legend().get_texts()]
        assert labels[:2] == ["Koridor", "P10–P90"]
        assert ax.get_ylim()[1] >= 7.5

    def test_refuses_a_bad_band(self, chart_data, band_data):
        with pytest.raises(ValueError, match="not in the data"):
            charts.projection_chart(
                chart_data, band=band_data.assign(year=["2024", "2025", "2030"])
            )
        with pytest.raises(ValueError, match="low above high"):
            charts.projection_chart(chart_data, band=band_data.assign(low=[5.0, 0.0, 0.0]))
        with pytest.raises(ValueError, match="'high'"):
            charts.projection_chart(chart_data, band=band_data.drop(columns="high"))

    def test_baseline_values_written_in_the_language(self, chart_data):
        ax = charts.projection_chart(chart_data, language="en")
        assert [text.get_text() for text in ax.texts] == ["3.53", "0.21", "-4.10"]
        ax = charts.projection_chart(chart_data)
        assert [text.get_text() for text in ax.texts] == ["3,53", "0,21", "-4,10"]

    def test_labels_stay_inside_the_axes(self, chart_data, band_data):
        ax = charts.projection_chart(chart_data, band=band_data)
        figure = ax.get_figure()
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        box = ax.get_window_extent(renderer)
        for text in ax.texts:
            extent = text.get_window_extent(renderer)
            assert box.x0 - 0.5 <= extent.x0 and extent.x1 <= box.x1 + 0.5
            assert box.y0 - 0.5 <= extent.y0 and extent.y1 <= box.y1 + 0.5

    def test_draws_without_warnings_as_deterministic_svg(self, chart_data, band_data):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            first = charts.chart_to_svg(charts.projection_chart(chart_data, band=band_data))
        assert first == charts.chart_to_svg(charts.projection_chart(chart_data, band=band_data))

    @pytest.mark.parametrize("column", ["year", "scenario", "value", "baseline"])
    def test_missing_column_is_named(self, chart_data, column):
        with pytest.raises(ValueError, match=repr(column)):
            charts.projection_chart(chart_data.drop(columns=column))

    def test_refuses_bad_data(self, chart_data):
        with pytest.raises(ValueError, match="empty"):
            charts.projection_chart(chart_data.iloc[0:0])
        with pytest.raises(ValueError, match="more than one baseline"):
            charts.projection_chart(chart_data.assign(baseline=True))
        with pytest.raises(ValueError, match="finite"):
            charts.projection_chart(chart_data.assign(value=math.nan))
        with pytest.raises(ValueError, match="floor"):
            charts.projection_chart(chart_data, floor=7.0)

    def test_from_the_projection(self, results):
        ax = charts.projection_chart(results.chart_data("en"), band=results.band_data())
        assert len(scenario_lines(ax)) == len(results)
        assert min(line.get_ydata().min() for line in scenario_lines(ax)) >= 0


# --- Properties ----------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(
    premium=st.floats(50, 200),
    claims=st.floats(50, 200),
    growth=st.floats(-20, 30),
    inflation=st.floats(-10, 30),
    yield_=st.floats(0, 20),
    assets=st.floats(-100, 100),
)
def test_months_never_negative_and_gap_matches_assets(
    premium, claims, growth, inflation, yield_, assets
):
    calendar = pj.load_calendar()
    start = made_start(
        premium=premium, claims=claims, claims_levels={"all": claims}, net_assets=assets
    )
    p = pj.project(
        start,
        made_drivers(
            member_growth_all=growth, medical_inflation=inflation, investment_yield=yield_
        ),
        calendar,
        None,
        6,
    )
    for row in p.rows:
        assert row["months_covered"] >= 0
        assert row["funding_gap"] == pytest.approx(max(0.0, -row["net_assets"]))
        assert row["investment_income"] >= 0


@settings(max_examples=40, deadline=None)
@given(raise_=st.floats(0, 50), cut=st.floats(0, 10))
def test_measures_never_lower_months_covered(raise_, cut):
    calendar = pj.load_calendar()
    base = run(calendar, medical_inflation=5.0)
    measured = pj.project(
        made_start(),
        made_drivers(medical_inflation=5.0, premium_rate_growth=raise_ / 10),
        calendar,
        scenario(claims_growth_cut=pj.Cut(cut, 2025)),
        4,
    )
    for before, after in zip(base.rows, measured.rows, strict=True):
        assert after["months_covered"] >= before["months_covered"] - 1e-9


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
            "overrides": '{"medical_inflation": 5.0}',
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
    assert document["drivers"]["medical_inflation"]["value"] == 5.0
    assert len(document["scenarios"]["baseline"]["table"]) == 4


def test_notebook_cells_are_one_call_each_without_definitions():
    notebook = json.loads((ROOT / "notebooks" / "djs_projection.ipynb").read_text("utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    parameters = "".join(code[0]["source"])
    assert code[0]["metadata"]["tags"] == ["parameters"]
    for line in parameters.splitlines():
        assert re.match(r"^\w+: (str|int) = .+  # .+", line), line
    for cell in code[1:]:
        source = "".join(cell["source"])
        assert "def " not in source and "lambda" not in source
