"""Back-tests: the shipped data reproduce the published figures of the model report.

The model report is DJSN's *Laporan Kinerja Program JKN Triwulan I Tahun 2024*; the 2021 and
2022 figures are the published full-year figures. Every comparison is made at the precision
the report prints, rounded half up (`jkn_analysis.catalogue.numbers.round_half_up`).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jkn_analysis.catalogue.formatting import (
    format_compact,
    format_percent,
    format_rupiah,
    format_signed,
)
from jkn_analysis.catalogue.numbers import round_half_up
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.checks import load_figures
from jkn_analysis.indicators.compute import (
    IndicatorSet,
    compute_indicators,
    reported_vs_computed_issues,
)
from jkn_analysis.inputs.figures import FigureSet

DATA_DIR = Path(__file__).parents[1] / "data"
JUTA = 10**6
TRILIUN = 10**12


@pytest.fixture(scope="module")
def figures() -> FigureSet:
    return load_figures(DATA_DIR)


@pytest.fixture(scope="module")
def indicator_sets(figures) -> dict[str, IndicatorSet]:
    return {
        period: compute_indicators(figures, Quarter.parse(period))
        for period in ("2024Q1", "2023Q4", "2023Q1", "2022Q4", "2021Q4")
    }


def published(period, code, expected, decimals, *, scale=1, method="computed", marks=(), **dims):
    """One published figure: ``code`` (with ``dims``) / ``scale`` printed with ``decimals``."""
    label = "-".join([period, code, *dims.values()]) + f"={expected}"
    return pytest.param(
        period, code, dims, scale, decimals, expected, method, id=label, marks=marks
    )


SEGMENT_CHANGES_2024Q1 = {
    "total": "959421",
    "pbi": "-28148",
    "ppu_pn": "107394",
    "ppu_non_pn": "388116",
    "ppu_bumn": "-2046",
    "ppu_private": "390162",
    "pbpu": "64599",
    "bp": "-72985",
    "bp_pn": "-71797",
    "bp_private": "-1188",
    "non_pbi": "487124",
    "pbpu_pemda": "500445",
}

PUBLISHED = [
    # I. Participation, Q1 2024
    published("2024Q1", "active_share_of_population", "76.41", 2),
    published("2024Q1", "active_share_of_registered", "79.59", 2),
    published("2024Q1", "registered_coverage", "96", 0),
    published("2024Q1", "registered_change_vs_december", "2.18", 2, scale=JUTA),
    published("2024Q1", "registered_growth_vs_december", "0.82", 2),
    published("2024Q1", "active_participants", "214501609", 0, segment="total"),
    published("2024Q1", "active_growth_vs_december", "0.45", 2, segment="total"),
    *[
        published("2024Q1", "active_change_vs_december", change, 0, segment=segment)
        for segment, change in SEGMENT_CHANGES_2024Q1.items()
    ],
    # Q1 2023 against December 2022 (the report's comparison table)
    published("2023Q1", "active_change_vs_december", "502698", 0, segment="total"),
    published("2023Q1", "active_change_vs_december", "32886", 0, segment="pbi"),
    published("2023Q1", "active_change_vs_december", "-445282", 0, segment="ppu_pn"),
    published("2024Q1", "non_active_participants", "47.36", 2, scale=JUTA, reason="total"),
    published("2024Q1", "non_active_change_vs_december", "-6.4", 1, scale=JUTA),
    published("2024Q1", "ick_attainment", "94.8", 1, segment="total"),
    published("2024Q1", "ick_attainment", "96.7", 1, segment="ppu"),
    published("2024Q1", "ick_attainment", "92.9", 1, segment="pbpu"),
    published("2024Q1", "ick_attainment", "93.4", 1, segment="bp"),
    # II. Facilities and utilisation
    published("2024Q1", "fktp_count", "23245", 0),
    published("2024Q1", "fktp_change_vs_december", "-381", 0),
    published("2024Q1", "fktp_gap_to_target", "419", 0),
    published("2024Q1", "fkrtl_count", "3112", 0),
    published("2024Q1", "fkrtl_change_vs_december", "-8", 0),
    published("2024Q1", "referral_growth_yoy", "20", 0),
    published(
        "2024Q1",
        "visits_growth_yoy",
        "8",
        0,
        service="rjtp",
        marks=pytest.mark.xfail(
            strict=True,
            reason="DATA: 2023Q1 visits_rjtp is derived as 121,86 − 8,5 = 113,36 juta, which "
            "gives 7,498% (7% at 0 decimals); the report prints 8%",
        ),
    ),
    # III. Finance
    published("2024Q1", "claim_ratio", "112", 0),
    published("2024Q1", "claim_ratio", "112.2", 1),
    published("2024Q1", "premium_income_vs_annual_target", "24", 0),
    published("2024Q1", "claims_expense_share", "57", 0, service="ritl"),
    published("2024Q1", "claims_expense_share", "31", 0, service="rjtl"),
    published("2024Q1", "djs_investment_share", "56", 0, instrument="deposits"),
    published("2024Q1", "djs_investment_share", "44", 0, instrument="government_bonds"),
    published("2024Q1", "months_of_claims_covered", "3.98", 2, method="reported"),
    published("2024Q1", "bopo", "101.21", 2, method="reported"),
    published("2024Q1", "djs_surplus", "-2.177", 3, scale=TRILIUN, method="reported"),
    # Public full-year figures, computed from their inputs
    published("2021Q4", "months_of_claims_covered", "5.15", 2),
    published("2022Q4", "months_of_claims_covered", "5.98", 2),
    published("2021Q4", "djs_surplus", "44.45", 2, scale=TRILIUN),
    published("2022Q4", "djs_surplus", "17.7", 1, scale=TRILIUN),
    # FY2023 (shared/public-figures.md): months 57,76 / (158,85 / 12) = 4,36; claim ratio
    # 158,85 / 151,69 = 104,72%; registered coverage 267,32 / 279,12 juta = 95,77%
    published("2023Q4", "months_of_claims_covered", "4.36", 2),
    published("2023Q4", "claim_ratio", "104.72", 2),
    published("2023Q4", "registered_coverage", "95.77", 2),
    published("2023Q4", "djs_surplus", "0.157", 3, scale=TRILIUN, method="reported"),
]


@pytest.mark.parametrize(
    ("period", "code", "dimensions", "scale", "decimals", "expected", "method"), PUBLISHED
)
def test_published_figure(
    indicator_sets, period, code, dimensions, scale, decimals, expected, method
):
    item = indicator_sets[period].get(code, **dimensions)
    assert item is not None, f"{code} {dimensions} is missing for {period}"
    assert item.method == method
    assert round_half_up(item.value / scale, decimals) == Decimal(expected)


@pytest.mark.parametrize(
    ("code", "dimensions", "text"),
    [
        ("active_share_of_population", {}, "76,41%"),
        ("active_share_of_registered", {}, "79,59%"),
        ("active_growth_vs_december", {"segment": "total"}, "0,45%"),
        ("registered_growth_vs_december", {}, "0,82%"),
    ],
)
def test_printed_percentages(indicator_sets, code, dimensions, text):
    assert format_percent(indicator_sets["2024Q1"].value(code, **dimensions), 2) == text


def test_printed_changes_and_amounts(indicator_sets):
    q1 = indicator_sets["2024Q1"]
    assert format_signed(q1.value("active_change_vs_december", segment="total")) == "+959.421"
    assert format_signed(q1.value("active_change_vs_december", segment="pbi")) == "-28.148"
    assert format_compact(q1.value("registered_change_vs_december"), 2) == "2,18 juta"
    assert format_compact(q1.value("registered_participants")) == "269,5 juta"
    assert format_rupiah(q1.value("claims_expense", service="total")) == "Rp43,32 T"


def test_months_covered_sit_within_the_corridor(indicator_sets):
    for period in ("2024Q1", "2023Q4", "2022Q4", "2021Q4"):
        assert indicator_sets[period].value("months_covered_corridor") == "within", period


def test_2024q1_flags_only_the_published_non_active_share(figures, indicator_sets):
    indicators = indicator_sets["2024Q1"]
    issues = reported_vs_computed_issues(figures, indicators)
    assert [(issue.problem, issue.code) for issue in issues] == [
        ("reported_vs_computed", "non_active_share_of_registered_reported")
    ]
    (issue,) = issues
    assert issue.details["found"] == 18.8
    assert issue.details["expected"] == 17.6  # 17,57% at the published one decimal
    computed = indicators.get("non_active_share_of_registered")
    assert computed.method == "computed"
    assert round_half_up(computed.value, 2) == Decimal("17.57")


@pytest.mark.parametrize("period", ["2021Q4", "2022Q4", "2023Q4"])
def test_full_year_published_values_agree_with_computed(figures, indicator_sets, period):
    assert reported_vs_computed_issues(figures, indicator_sets[period]) == []


@pytest.mark.parametrize(
    ("period", "code", "dimensions"),
    [
        ("2024Q1", "djs_net_assets", {}),
        ("2024Q1", "claims_expense_growth_yoy", {"service": "total"}),
        ("2024Q1", "claims_expense", {"service": "rjtp"}),
        ("2024Q1", "visits_growth_yoy", {"service": "ritl"}),
        ("2023Q1", "claim_ratio", {}),
        ("2023Q1", "active_change_vs_year_earlier", {"segment": "total"}),
        ("2021Q4", "active_participants", {"segment": "total"}),
    ],
)
def test_indicators_without_inputs_are_absent(indicator_sets, period, code, dimensions):
    assert indicator_sets[period].get(code, **dimensions) is None


@pytest.mark.parametrize(
    ("code", "dimensions"),
    [
        ("months_of_claims_covered", {}),
        ("djs_surplus", {}),
        ("bopo", {}),
        ("claims_expense_share", {"service": "rjtp"}),
        ("fktp_doctor_practice_change_vs_december", {}),
    ],
)
def test_2024q1_uncomputable_indicators_are_only_reported(indicator_sets, code, dimensions):
    item = indicator_sets["2024Q1"].get(code, **dimensions)
    assert item is not None
    assert item.method == "reported"
    assert len(item.inputs) == 1 and item.inputs[0].endswith("_reported")


# --- The DJS projection against what was published ------------------------------------------------
# `jkn_analysis.projection.backtest`: the baseline from every origin the data allow, with only the
# figures up to that origin, against the published full years (also in the report's appendix).
@pytest.fixture(scope="module")
def projection_backtest(figures):
    from jkn_analysis.projection import load_calendar, run_backtest

    return run_backtest(figures, load_calendar())


CLAIMS_HELD = (
    "MEASURED: the claims of 2022 and 2023 rose 25,6% and 40,0%; the data up to 2021Q4 hold "
    "no claims of an earlier year, so no claims trend can be measured and the model holds claims "
    "per member-year (as the naive forecast holds the year): error -20,39%"
)
CLAIMS_FADED = (
    "MEASURED: the claims of 2023 rose 40,0% (hospital visits per member +30%, and Permenkes "
    "3/2023, which no source sizes); from 2022Q4 the model takes the growth of total claims "
    "2021 → 2022, 25,62%, less the participant growth it applies, 4,57%: 20,13% per member, "
    "half of which trend_fade keeps in 2023: error -18,70% (naive -10,27%)"
)
MONTHS_MISSED = (
    "MEASURED: with the claims under-projected (see the claims test), months covered are "
    "over-projected: error {error} months"
)


def _one_year_target(origin, quantity, reason=None):
    marks = pytest.mark.xfail(strict=True, reason=reason) if reason else ()
    return pytest.param(origin, quantity, id=f"{origin}-{quantity}", marks=marks)


@pytest.mark.parametrize(
    ("origin", "quantity"),
    [
        _one_year_target("2021Q4", "premium_income"),
        _one_year_target("2021Q4", "claims_expense", CLAIMS_HELD),
        _one_year_target("2021Q4", "months_covered", MONTHS_MISSED.format(error="+5,07")),
        _one_year_target("2022Q4", "premium_income"),
        _one_year_target("2022Q4", "claims_expense", CLAIMS_FADED),
        _one_year_target("2022Q4", "months_covered", MONTHS_MISSED.format(error="+1,89")),
    ],
)
def test_projection_one_year_ahead_meets_its_target(projection_backtest, origin, quantity):
    row = projection_backtest.get(origin, Quarter.parse(origin).year + 1, quantity)
    assert row.horizon == "one_year"
    # Targets of issue 12: claims within 6%, premium within 4%, months within 0,5.
    assert (
        row.target
        == {"premium_income": 4.0, "claims_expense": 6.0, "months_covered": 0.5}[quantity]
    )
    assert abs(row.error) <= row.target, f"{origin} {quantity}: error {row.error:.2f}"


@pytest.mark.parametrize(
    ("origin", "quantity", "error"),
    [
        ("2021Q4", "premium_income", -0.51),
        ("2021Q4", "claims_expense", -20.39),
        ("2021Q4", "months_covered", 5.07),
        ("2022Q4", "premium_income", -1.81),
        ("2022Q4", "claims_expense", -18.70),
        ("2022Q4", "months_covered", 1.89),
    ],
)
def test_projection_errors_as_measured(projection_backtest, origin, quantity, error):
    """The errors the xfail reasons quote, so that a change of the model shows here."""
    row = projection_backtest.get(origin, Quarter.parse(origin).year + 1, quantity)
    assert round_half_up(row.error, 2) == Decimal(str(error))


def test_projection_never_worse_than_naive_on_claims_without_saying_why(projection_backtest):
    from jkn_analysis.projection.backtest import worse_than_naive

    worse = [
        row
        for row in projection_backtest.rows
        if row.quantity == "claims_expense" and worse_than_naive(row)
    ]
    assert [(str(row.origin), row.year) for row in worse] == [("2022Q4", 2023)]
    assert len(projection_backtest.claims_worse) == len(worse)
    for row, text in zip(worse, projection_backtest.claims_worse, strict=True):
        english, indonesian = text.render("en"), text.render("id")
        assert english.startswith(f"{row.origin} → {row.year}, claims expense")
        assert indonesian.startswith(f"{row.origin} → {row.year}, beban jaminan")
        assert "trend_fade" in english and "Permenkes 3/2023" in english
    # From 2021Q4 the model and the naive forecast both hold the claims: equal, not worse.
    held = projection_backtest.get("2021Q4", 2022, "claims_expense")
    assert round(held.error, 2) == round(held.naive_error, 2)


def test_projection_in_year_origins_meet_their_target(projection_backtest):
    rows = projection_backtest.by_horizon("in_year")
    if not rows:
        pytest.skip(
            "no in-year origin has its year end in the data: "
            + ", ".join(str(q) for q in projection_backtest.in_year_without_year_end)
            + " (FY2024 is not in data/); 2023Q1 holds no DJS finances"
        )
    for row in rows:  # premium and claims within 3%, months within 0,25
        assert abs(row.error) <= row.target, (str(row.origin), row.quantity, row.error)


def test_projection_backtest_origins(projection_backtest):
    assert [str(q) for q in projection_backtest.origins] == ["2021Q4", "2022Q4"]
    assert [str(q) for q in projection_backtest.in_year_without_year_end] == ["2024Q1"]
    assert {(str(r.origin), r.year) for r in projection_backtest.rows} == {
        ("2021Q4", 2022),
        ("2021Q4", 2023),
        ("2022Q4", 2023),
    }


def test_projection_naive_forecast_holds_last_years_growth(projection_backtest):
    claims = projection_backtest.get("2022Q4", 2023, "claims_expense")
    assert claims.naive == pytest.approx(113.47 * TRILIUN * 113.47 / 90.33)
    # No year before 2021 in the data: the naive forecast from 2021 holds the year.
    assert projection_backtest.get("2021Q4", 2022, "premium_income").naive == pytest.approx(
        143.31 * TRILIUN
    )
    months = projection_backtest.get("2022Q4", 2023, "months_covered")
    assets = 56.51 * 56.51 / 38.76
    assert months.naive == pytest.approx(assets / (113.47 * 113.47 / 90.33 / 12))


def test_projection_backtest_sees_only_figures_up_to_its_origin(tmp_path, projection_backtest):
    """Changing every figure after 2022Q4 leaves the projection from 2022Q4 unchanged."""
    import shutil

    from jkn_analysis.projection import load_calendar, run_backtest

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    csv = data / "2023Q4" / "figures.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    changed = [line.replace('"151,69"', '"175,5"').replace('"158,85"', '"120"') for line in lines]
    csv.write_text("\n".join(changed) + "\n", encoding="utf-8")
    shutil.rmtree(data / "2024Q1")
    moved = run_backtest(load_figures(data), load_calendar())
    for quantity in ("premium_income", "claims_expense"):
        before = projection_backtest.get("2022Q4", 2023, quantity)
        after = moved.get("2022Q4", 2023, quantity)
        assert after.predicted == before.predicted
        assert after.actual != before.actual


def test_projection_in_year_machinery(tmp_path):
    """With a (test) March 2023 position, 2023Q1 becomes an in-year origin with its year end."""
    import shutil

    from jkn_analysis.projection import load_calendar, run_backtest

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    with (data / "2023Q1" / "figures.csv").open("a", encoding="utf-8") as handle:
        handle.write('2023Q1,premium_income,"37",triliun rupiah,,test,\n')
        handle.write('2023Q1,claims_expense_total,"36",triliun rupiah,,test,\n')
        handle.write('2023Q1,djs_net_assets,"57",triliun rupiah,,test,\n')
    backtest = run_backtest(load_figures(data), load_calendar())
    rows = {row.quantity: row for row in backtest.by_horizon("in_year")}
    assert set(rows) == {"premium_income", "claims_expense", "months_covered"}
    assert all(str(row.origin) == "2023Q1" and row.year == 2023 for row in rows.values())
    assert rows["premium_income"].target == 3.0 and rows["months_covered"].target == 0.25
    assert rows["premium_income"].actual == pytest.approx(151.69 * TRILIUN)
