"""A unit slip never reaches a report (issue 9, item 4).

Every figure and computed indicator has plausible bounds in the catalogue. The property tests
take the shipped data, scale one figure of 2024 Q1 by 100 or 1000 (or give a percentage as a
fraction) and expect an error or a warning naming that figure; whatever the slip, the data
check passes exactly when the report can be built, and never with an impossible indicator.
The command-line tests check that ``validate`` and ``build`` agree, in the same words and the
same language.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jkn_analysis.build import quarter as build_module
from jkn_analysis.build.quarter import DataCheckError, build_quarter
from jkn_analysis.catalogue.definitions import load_catalogue
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.cli import main
from jkn_analysis.indicators.checks import data_check, load_figures, validate_period
from jkn_analysis.indicators.compute import compute_history
from jkn_analysis.inputs.validation import (
    DataIssue,
    DataValidationError,
    ValidationResult,
    format_validation,
)
from jkn_analysis.report.quarterly import QuarterlyReport
from tests.datafiles import write_csv

DATA = Path(__file__).resolve().parents[1] / "data"
CATALOGUE = load_catalogue()
Q1 = Quarter(2024, 1)
PERIOD = str(Q1)
CSV = DATA / PERIOD / "figures.csv"
PERIODS = sorted(path.name for path in DATA.iterdir() if path.is_dir())

# Each example copies the shipped data and runs the whole data check; JKN_FUZZ_EXAMPLES=1000
# tries every slip of every figure (a few hundred of them).
EXAMPLES = int(os.environ.get("JKN_FUZZ_EXAMPLES", "40"))
SLIPS_SETTINGS = settings(
    max_examples=max(EXAMPLES // 2, 1), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# The periods a 2024Q1 figure is compared with: the previous December and quarter, the year
# before, and the latest earlier period of each figure (2022Q4 for the DJS finances). The
# earlier shipped periods hold registered participants and 2021 finances only, never the
# latest earlier value of a 2024Q1 figure, and are left out of the copies to halve the time.
COMPARED_PERIODS = ("2022Q4", "2023Q1", "2023Q4", PERIOD)


def shipped_rows() -> list[dict[str, str]]:
    with CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ROWS = shipped_rows()
CODES = [row["code"] for row in ROWS]
PERCENT_CODES = [code for code in CODES if CATALOGUE.figures[code].unit == "percent"]


def row(code: str, value, unit: str, *, period: str = PERIOD) -> list:
    return [period, code, value, unit, "", "test source", ""]


# ------------------------------------------------------------------------------------ helpers
def written(value: Decimal) -> str:
    """A number as an Indonesian value cell, without thousands separators: ``26950``,
    ``0,0167``, ``-21300``."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def cell_number(text: str) -> Decimal:
    """The number of a shipped value cell (``96.725.576``, ``43,32``, ``(2,177)``, ``-213``)."""
    negative = text.startswith("(") or text.startswith("-")
    digits = text.strip("()-").replace(".", "").replace(",", ".")
    return -Decimal(digits) if negative else Decimal(digits)


@contextlib.contextmanager
def shipped_data_with(code: str, factor: Decimal) -> Iterator[Path]:
    """A copy of the shipped data whose 2024Q1 value of ``code`` is multiplied by ``factor``
    (its unit cell, scale word included, left as it is)."""
    with tempfile.TemporaryDirectory(prefix="jkn-slip-") as directory:
        data_dir = Path(directory) / "data"
        for period in COMPARED_PERIODS:
            shutil.copytree(DATA / period, data_dir / period)
        rows = shipped_rows()
        for cells in rows:
            if cells["code"] == code:
                cells["value"] = written(cell_number(cells["value"]) * factor)
        buffer = io.StringIO(newline="")
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        (data_dir / PERIOD / "figures.csv").write_text(buffer.getvalue(), encoding="utf-8")
        yield data_dir


def names(issue: DataIssue, code: str) -> bool:
    """Whether the issue is about ``code``: its own figure, or one it names (the inputs of an
    indicator, the parts of a total), in both languages."""
    return issue.code == code or all(
        f"{code} (" in issue.describe(language, CATALOGUE) for language in ("id", "en")
    )


def out_of_bounds(data_dir: Path) -> list[str]:
    """Figures and indicators outside their bounds, computed independently of the checks."""
    figures = load_figures(data_dir, up_to=Q1)
    found = []
    for (period, code), value in figures.table["value"].items():
        if float(value) not in CATALOGUE.figures[code].bounds:
            found.append(f"{code} {period} = {value}")
    for period, indicators in compute_history(figures).items():
        for item in indicators:
            bounds = CATALOGUE.indicator(item.code).bounds
            if bounds is not None and isinstance(item.value, float) and item.value not in bounds:
                found.append(f"{item.code} {item.dimensions} {period} = {item.value}")
    return found


def assert_check_agrees_with_the_report(data_dir: Path, result: ValidationResult) -> None:
    """The data check passes exactly when the figures load for the report, and then no figure
    or indicator of any period is outside its bounds."""
    if result.ok:
        assert out_of_bounds(data_dir) == []
    else:
        with pytest.raises(DataValidationError):
            load_figures(data_dir, up_to=Q1)


def bounds_check(data_dir: Path, quarter: Quarter) -> ValidationResult:
    """The build's data check without its readiness step: the small data sets written here
    hold a few figures only, too few for a report of their own, which is not what is tested."""
    return validate_period(data_dir, quarter, published_checks=True)


# ---------------------------------------------------------------------------- shipped data
@pytest.mark.parametrize("period", PERIODS)
def test_every_shipped_period_passes_within_its_bounds(period):
    data_dir = DATA
    result = data_check(data_dir, Quarter.parse(period))
    # History-only periods (2014Q4-2018Q4, 2021Q4) are too thin for a report of their own;
    # that is not a bounds error, and their figures still feed the later reports.
    assert [e for e in result.errors if e.problem not in ("not_filled", "too_few_figures")] == []
    assert not [w for w in result.warnings if w.problem.startswith(("period_", "percent_"))]
    figures = load_figures(data_dir, up_to=Quarter.parse(period))
    for (_, code), value in figures.table["value"].items():
        assert float(value) in CATALOGUE.figures[code].bounds, code
    for item in compute_history(figures)[Quarter.parse(period)]:
        bounds = CATALOGUE.indicator(item.code).bounds
        if bounds is not None:
            assert item.value in bounds, (item.code, item.dimensions, item.value)


# ------------------------------------------------------------------------- property tests
@SLIPS_SETTINGS
@given(code=st.sampled_from(CODES), factor=st.sampled_from(["100", "1000"]))
def test_a_figure_scaled_by_100_or_1000_is_named(code, factor):
    with shipped_data_with(code, Decimal(factor)) as data_dir:
        result = data_check(data_dir, Q1)
        named = [issue for issue in result.errors + result.warnings if names(issue, code)]
        assert named, format_validation(result, "en")
        assert_check_agrees_with_the_report(data_dir, result)


@SLIPS_SETTINGS
@given(code=st.sampled_from(PERCENT_CODES))
def test_a_percentage_given_as_a_fraction_is_named(code):
    with shipped_data_with(code, Decimal("0.01")) as data_dir:
        result = data_check(data_dir, Q1)
        named = [issue for issue in result.errors + result.warnings if names(issue, code)]
        assert named, format_validation(result, "en")
        assert_check_agrees_with_the_report(data_dir, result)


@SLIPS_SETTINGS
@given(
    code=st.sampled_from(CODES),
    exponent=st.sampled_from([-12, -9, -6, -3, -2, -1, 1, 2, 3, 6, 9, 12]),
)
def test_any_slip_passes_the_check_only_with_plausible_numbers(code, exponent):
    """Slips of any power of ten, smaller ones too: some give numbers that are still plausible
    (a yield ten times smaller), but a check that passes never leaves an impossible one."""
    with shipped_data_with(code, Decimal(10) ** exponent) as data_dir:
        assert_check_agrees_with_the_report(data_dir, data_check(data_dir, Q1))


# ------------------------------------------------------------------------ figure bounds
class TestFigureBounds:
    def _error(self, tmp_path, *rows) -> DataIssue:
        write_csv(tmp_path, PERIOD, list(rows))
        (issue,) = bounds_check(tmp_path, Q1).errors
        assert issue.problem == "figure_bounds"
        return issue

    def test_population_in_millions_without_the_scale_word(self, tmp_path):
        issue = self._error(tmp_path, row("population", "281", "jiwa"))
        assert issue.describe("id", CATALOGUE) == (
            "2024Q1/figures.csv, baris 2, population (Jumlah penduduk): nilai 281 jiwa di luar "
            "rentang wajar 200 juta sampai 400 juta jiwa; mungkin maksudnya 281 juta jiwa "
            "(satuan 'juta jiwa')?"
        )
        assert issue.describe("en", CATALOGUE) == (
            "2024Q1/figures.csv, row 2, population (Population): value 281 persons is outside "
            "the plausible range 200 million to 400 million persons; did you mean 281 million "
            "persons (unit 'million persons')?"
        )

    def test_a_fraction_of_millions_is_the_scale_word_not_a_fraction_of_a_person(self, tmp_path):
        issue = self._error(tmp_path, row("registered_participants", "269,5", "jiwa"))
        assert issue.message == "figure_bounds.scale"
        assert "mungkin maksudnya 269,5 juta jiwa" in issue.describe("id", CATALOGUE)

    def test_a_superfluous_scale_word(self, tmp_path):
        issue = self._error(tmp_path, row("population", "280.725.428", "juta jiwa"))
        assert issue.describe("en", CATALOGUE).endswith(
            "did you mean 280,725,428 persons (unit 'persons')?"
        )

    def test_the_wrong_scale_word_for_rupiah(self, tmp_path):
        issue = self._error(tmp_path, row("claims_expense_total", "43,32", "juta rupiah"))
        assert issue.describe("id", CATALOGUE).endswith(
            "mungkin maksudnya 43,32 triliun rupiah (satuan 'triliun rupiah')?"
        )

    def test_a_target_given_as_a_fraction(self, tmp_path):
        issue = self._error(tmp_path, row("registered_coverage_target", "0,98", "persen"))
        assert issue.describe("id", CATALOGUE) == (
            "2024Q1/figures.csv, baris 2, registered_coverage_target (Target cakupan kepesertaan "
            "terhadap penduduk): nilai 0,98% di luar rentang wajar 50% sampai 100%; persentase "
            "ini tampaknya ditulis sebagai pecahan (0,98 untuk 98%): mungkin maksudnya 98%?"
        )
        assert issue.describe("en", CATALOGUE).endswith(
            "this percentage looks written as a fraction (0.98 for 98%): did you mean 98%?"
        )

    def test_no_scale_word_explains_it(self, tmp_path):
        issue = self._error(tmp_path, row("fkrtl_total", "31.120", "faskes"))
        assert issue.message == ""
        assert issue.describe("en", CATALOGUE).endswith(
            "value 31,120 facilities is outside the plausible range 500 to 10,000 facilities "
            "(bounds in the catalogue figures.yaml); check its unit and digits"
        )

    def test_the_ends_of_the_range_are_plausible(self, tmp_path):
        write_csv(
            tmp_path,
            PERIOD,
            [row("population", "200.000.000", "jiwa"), row("fkrtl_total", "10.000", "faskes")],
        )
        assert bounds_check(tmp_path, Q1).errors == []


# ------------------------------------------------------------------ warnings that name a slip
class TestSlipWarnings:
    def _warnings(self, tmp_path, periods: dict[str, list[list]]) -> list[DataIssue]:
        for period, rows in periods.items():
            write_csv(tmp_path, period, rows)
        result = bounds_check(tmp_path, Q1)
        assert result.errors == []
        return [w for w in result.warnings if w.problem in ("period_factor", "percent_fraction")]

    def test_a_yield_given_as_a_fraction(self, tmp_path):
        (issue,) = self._warnings(tmp_path, {PERIOD: [row("djs_investment_yield", "0,0167", "%")]})
        assert issue.describe("id", CATALOGUE) == (
            "2024Q1/figures.csv, baris 2, djs_investment_yield (Imbal hasil investasi (YoI) DJS): "
            "nilai 0,0167% kurang dari 1%; jika persentase ini ditulis sebagai pecahan (0,98 "
            "untuk 98%), maksudnya 1,67%: tulis nilainya dalam persen"
        )
        assert issue.describe("en", CATALOGUE).endswith(
            "value 0.0167% is under 1%; if this percentage was written as a fraction (0.98 for "
            "98%), it means 1.67%: write the value in percent"
        )

    def test_a_small_share_that_cannot_be_a_fraction_is_not_named(self, tmp_path):
        # 0,5% of claims for promotive care: read as a fraction it would be 50%, beyond the
        # share's bounds (10%), so it is a true small share.
        periods = {PERIOD: [row("claims_expense_share_promotive_reported", "0,5", "persen")]}
        assert self._warnings(tmp_path, periods) == []

    def test_a_figure_100_times_its_earlier_value(self, tmp_path):
        periods = {
            "2023Q4": [row("fktp_class_d_hospital", "5", "faskes", period="2023Q4")],
            PERIOD: [row("fktp_class_d_hospital", "500", "faskes")],
        }
        (issue,) = self._warnings(tmp_path, periods)
        assert issue.describe("id", CATALOGUE) == (
            "2024Q1/figures.csv, baris 2, fktp_class_d_hospital (RS D pratama): nilai 500 sekitar "
            "100 kali 5 pada 2023Q4 (2023Q4/figures.csv, baris 2); selisih sebesar itu biasanya "
            "salah satuan (ribu, juta, persen sebagai pecahan) di salah satu periode"
        )

    def test_a_figure_a_thousandth_of_an_earlier_period_some_years_before(self, tmp_path):
        periods = {  # no 2023 figure: compared with the latest earlier period that has one
            "2022Q4": [row("djs_investment_deposits", "44,29", "triliun", period="2022Q4")],
            PERIOD: [row("djs_investment_deposits", "44,29", "miliar")],
        }
        (issue,) = self._warnings(tmp_path, periods)
        assert issue.message == "period_factor.smaller"
        assert issue.describe("en", CATALOGUE) == (
            "2024Q1/figures.csv, row 2, djs_investment_deposits (Time deposits): value "
            "44,290,000,000 is about 1/1,000 of 44,290,000,000,000 in 2022Q4 "
            "(2022Q4/figures.csv, row 2); a difference that large is usually a unit slip "
            "(thousand, million, a percentage as a fraction) in one of the two periods"
        )

    def test_moves_under_a_factor_of_100_are_left_to_the_stock_check(self, tmp_path):
        periods = {
            "2023Q4": [row("fktp_class_d_hospital", "10", "faskes", period="2023Q4")],
            PERIOD: [row("fktp_class_d_hospital", "500", "faskes")],
        }
        assert self._warnings(tmp_path, periods) == []


# --------------------------------------------------------------------- indicator bounds
class TestIndicatorBounds:
    def test_premiums_ten_times_too_small_make_an_impossible_claim_ratio(self, tmp_path):
        write_csv(
            tmp_path,
            PERIOD,
            [
                row("claims_expense_total", "43,32", "triliun rupiah"),
                row("premium_income", "3,86", "triliun rupiah"),  # 38,6 typed as 3,86
            ],
        )
        (issue,) = bounds_check(tmp_path, Q1).errors
        assert (issue.problem, issue.code, issue.period) == (
            "indicator_bounds",
            "claim_ratio",
            PERIOD,
        )
        assert issue.describe("id", CATALOGUE) == (
            "claim_ratio, 2024Q1: Rasio klaim = 1.122,3% di luar rentang wajar 40% sampai 200%; "
            "dihitung dari claims_expense_total (Beban jaminan kesehatan) = 43.320.000.000.000 "
            "rupiah (2024Q1/figures.csv, baris 2), premium_income (Pendapatan iuran) = "
            "3.860.000.000.000 rupiah (2024Q1/figures.csv, baris 3); mungkin salah satuan: "
            "claims_expense_total ÷10 (4.332.000.000.000 rupiah) memberi 112,2% atau "
            "premium_income ×10 (38.600.000.000.000 rupiah) memberi 112,2%"
        )
        assert issue.describe("en", CATALOGUE) == (
            "claim_ratio, 2024Q1: Claim ratio = 1,122.3% is outside the plausible range 40% to "
            "200%; computed from claims_expense_total (Claims expense) = 43,320,000,000,000 "
            "rupiah (2024Q1/figures.csv, row 2), premium_income (Premium income) = "
            "3,860,000,000,000 rupiah (2024Q1/figures.csv, row 3); a likely unit slip: "
            "claims_expense_total ÷10 (4,332,000,000,000 rupiah) gives 112.2% or premium_income "
            "×10 (38,600,000,000,000 rupiah) gives 112.2%"
        )
        with pytest.raises(DataValidationError, match="claim_ratio"):
            load_figures(tmp_path)

    def test_an_input_of_an_earlier_period_is_named_with_its_period(self, tmp_path):
        write_csv(
            tmp_path, "2023Q4", [row("active_bp_pn", "478.200", "jiwa", period="2023Q4")]
        )  # 4.782.000 with a digit lost
        write_csv(tmp_path, PERIOD, [row("active_bp_pn", "4.710.300", "jiwa")])
        errors = bounds_check(tmp_path, Q1).errors
        growth = next(e for e in errors if e.code == "active_growth_vs_december")
        text = growth.describe("en", CATALOGUE)
        assert text.startswith(
            "active_growth_vs_december, 2024Q1: Growth of active participants since December "
            "(bp_pn) = 885.01% is outside the plausible range -80% to 400%; computed from "
            "active_bp_pn (Non-workers, state administrators (BP PN)) = 4,710,300 persons "
            "(2024Q1/figures.csv, row 2), active_bp_pn (Non-workers, state administrators (BP "
            "PN)) for 2023Q4 = 478,200 persons (2023Q4/figures.csv, row 2)"
        )
        assert "active_bp_pn for 2023Q4 ×10 (4,782,000 persons) gives -1.50%" in text

    def test_an_earlier_period_s_impossible_indicator_stops_the_later_report(self, tmp_path):
        write_csv(
            tmp_path,
            "2023Q4",
            [
                row("claims_expense_total", "158,85", "triliun rupiah", period="2023Q4"),
                row("premium_income", "15,169", "triliun rupiah", period="2023Q4"),
            ],
        )
        write_csv(tmp_path, PERIOD, [row("fktp_total", "23.245", "faskes")])
        result = bounds_check(tmp_path, Q1)
        assert [(e.code, e.period) for e in result.errors] == [("claim_ratio", "2023Q4")]
        with pytest.raises(DataValidationError):
            QuarterlyReport(PERIOD, data_dir=tmp_path)

    def test_without_a_rescaling_that_explains_it_no_slip_is_guessed(self, tmp_path):
        write_csv(
            tmp_path,
            PERIOD,
            [row("active_total", "250.000.000", "jiwa"), row("population", "210.000.000", "jiwa")],
        )
        (issue,) = bounds_check(tmp_path, Q1).errors
        assert (issue.code, issue.message) == ("active_share_of_population", "")
        assert issue.describe("en", CATALOGUE).endswith("(2024Q1/figures.csv, row 3)")


# ------------------------------------------------------------------- validate and build agree
@pytest.fixture
def slipped(tmp_path) -> Path:
    """The shipped data with the population typed in juta without the scale word."""
    data_dir = tmp_path / "data"
    shutil.copytree(DATA, data_dir)
    text = CSV.read_text(encoding="utf-8").replace(
        "2024Q1,population,280.725.428,jiwa", '2024Q1,population,"280,7",jiwa'
    )
    (data_dir / PERIOD / "figures.csv").write_text(text, encoding="utf-8")
    return data_dir


@pytest.mark.parametrize("language", ["id", "en"])
def test_validate_and_build_refuse_in_the_same_words(slipped, tmp_path, capsys, language):
    assert main(["validate", PERIOD, "--data", str(slipped), "--lang", language]) == 1
    validated = capsys.readouterr().out
    out = tmp_path / "out"
    languages = "id,en" if language == "id" else "en,id"  # messages follow the first
    assert (
        main(["build", PERIOD, "--data", str(slipped), "--out", str(out), "--lang", languages]) == 1
    )
    refused = capsys.readouterr().err
    headline = {
        "id": "GAGAL {} pada langkah 'pemeriksaan data':",
        "en": "FAILED {} at step 'data checks':",
    }
    assert refused.startswith(headline[language].format(PERIOD) + "\n")
    report = format_validation(data_check(slipped, Q1), language, show_missing=False)
    assert report in refused
    # Validate adds the list of missing figures; every other line is the same.
    for line in report.splitlines():
        assert line in validated.splitlines()
    verdict = {
        "id": "Laporan 2024Q1 tidak dapat dibuat sebelum kesalahan di atas diperbaiki.",
        "en": "The report of 2024Q1 cannot be built until the errors above are fixed.",
    }[language]
    assert verdict in refused and verdict in validated
    assert "mungkin maksudnya 280,7 juta jiwa" in refused or "did you mean 280.7 million" in refused
    assert not (out / PERIOD).exists()


def test_a_build_that_proceeds_says_so_in_validate_s_words(monkeypatch, tmp_path, capsys):
    def stop(*args, **kwargs):  # after the data check, before any kernel
        raise build_module.BuildError("notebook (id)", "stopped by the test")

    monkeypatch.setattr(build_module, "_execute_notebook", stop)
    for language, verdict in (
        ("id", "0 kesalahan, 4 peringatan. Laporan 2024Q1 dapat dibuat."),
        ("en", "0 errors, 4 warnings. The report of 2024Q1 can be built."),
    ):
        messages: list[str] = []
        with pytest.raises(build_module.BuildError):
            build_quarter(
                Q1, languages=(language,), data_dir=DATA, out_dir=tmp_path, progress=messages.append
            )
        checking = {"id": "memeriksa data", "en": "checking data"}[language]
        assert messages[:2] == [f"{PERIOD}: {checking}", f"{PERIOD}: {verdict}"]
        assert main(["validate", PERIOD, "--lang", language]) == 0
        printed = capsys.readouterr().out
        assert verdict.split(". ")[1] in printed


def test_the_build_error_carries_the_check(slipped, tmp_path):
    with pytest.raises(DataCheckError) as caught:
        build_quarter(Q1, languages=("en",), data_dir=slipped, out_dir=tmp_path / "out")
    assert caught.value.step == "data checks"
    assert [issue.code for issue in caught.value.result.errors] == ["population"]
    assert caught.value.cause.startswith("2024Q1: 1 error, ")


def test_review_file_errors_keep_a_draft_but_do_not_stop_validate(tmp_path, capsys):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA, data_dir)
    (data_dir / PERIOD / "review.yaml").write_text("recommendations: [unclosed\n", "utf-8")
    assert data_check(data_dir, Q1).ok  # what the build checks: it builds a draft
    assert main(["validate", PERIOD, "--data", str(data_dir), "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "The report of 2024Q1 can be built." in printed
    assert "2024Q1/review.yaml, row 2: the YAML structure is broken" in printed
    assert "2024Q1: the report is a DRAFT" in printed
