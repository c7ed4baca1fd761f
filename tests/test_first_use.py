"""First use, as a new analyst meets the pack on the command line: a period written by
``new-quarter`` and not yet filled, or holding too few figures, history-only periods, folders
named almost like a period, spreadsheets in formats the pack does not read, an over-long CSV
cell. Each gets a sentence naming what to do and a non-zero exit, never a traceback, and never
a report of "data belum tersedia" cards.

Where a test is about *which* periods ``build`` chooses, the notebook run itself is replaced by
a recorder (building a report takes tens of seconds; tests/test_batch.py and test_build.py
build real ones); every message printed is the command's own.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from jkn_analysis.build import quarter as build_module
from jkn_analysis.build.quarter import BuildError, BuildResult, build_quarter
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.cli import main
from jkn_analysis.indicators.checks import validate_period
from jkn_analysis.inputs.loading import available_periods, misnamed_period_issues
from tests.datafiles import write_csv

ROOT = Path(__file__).resolve().parents[1]
HISTORY_ONLY = ("2014Q4", "2015Q4", "2016Q4", "2017Q4", "2018Q4", "2021Q4")
BUILDABLE = ("2022Q4", "2023Q1", "2023Q4", "2024Q1")


def copy_data(target: Path, periods: tuple[str, ...] = ("2023Q4", "2024Q1")) -> Path:
    for period in periods:
        shutil.copytree(ROOT / "data" / period, target / period)
    return target


@pytest.fixture
def data(tmp_path) -> Path:
    return copy_data(tmp_path / "data")


@pytest.fixture
def recorded(monkeypatch):
    """Replace the notebook run of `build` by a recorder of the periods it was asked to build."""
    calls: list[str] = []

    def fake_build(quarter, *, out_dir, **_):
        calls.append(str(quarter))
        return BuildResult(quarter, Path(out_dir) / str(quarter), ())

    monkeypatch.setattr(build_module, "build_quarter", fake_build)
    return calls


def _fill(workbook_path: Path, values: dict[str, object]) -> None:
    workbook = openpyxl.load_workbook(workbook_path)
    for sheet in workbook.worksheets:
        if sheet.title == "_jkn":
            continue
        header = [cell.value for cell in sheet[1]]
        code_column, value_column = header.index("code") + 1, header.index("value") + 1
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row, code_column).value in values:
                sheet.cell(row, value_column).value = values[sheet.cell(row, code_column).value]
    workbook.save(workbook_path)


# ------------------------------------------------------------------ a template not yet filled
class TestUnfilledTemplate:
    def test_validate_says_nothing_is_filled_in(self, data, capsys):
        assert main(["new-quarter", "2024Q2", "--data", str(data)]) == 0
        capsys.readouterr()
        assert main(["validate", "2024Q2", "--data", str(data)]) == 1
        printed = capsys.readouterr()
        workbook, table = data / "2024Q2" / "figures.xlsx", data / "2024Q2" / "figures.csv"
        assert (
            f"  - 2024Q2: belum ada angka yang diisi di {workbook} atau {table}; isi kolom "
            "value di salah satu berkas itu, lalu jalankan lagi\n"
        ) in printed.out
        assert printed.out.endswith(
            "Laporan 2024Q2 tidak dapat dibuat sebelum kesalahan di atas diperbaiki.\n"
        )
        assert "Figur tanpa nilai" not in printed.out  # all 87 of them: the list says nothing
        assert "Traceback" not in printed.out + printed.err

    def test_validate_in_english(self, data, capsys):
        main(["new-quarter", "2024Q2", "--data", str(data)])
        capsys.readouterr()
        assert main(["validate", "2024Q2", "--data", str(data), "--lang", "en"]) == 1
        assert "2024Q2: no figure has been filled in yet in " in capsys.readouterr().out

    def test_build_refuses_it_and_writes_nothing(self, data, tmp_path, capsys, recorded):
        main(["new-quarter", "2024Q2", "--data", str(data)])
        capsys.readouterr()
        out = tmp_path / "reports"
        assert main(["build", "2024Q2", "--data", str(data), "--out", str(out)]) == 1
        printed = capsys.readouterr()
        assert "[tidak dibuat] 2024Q2: belum ada angka yang diisi di " in printed.err
        assert "Traceback" not in printed.out + printed.err
        assert recorded == [] and not (out / "2024Q2").exists()

    def test_review_refuses_it_with_the_same_sentence(self, data, capsys):
        main(["new-quarter", "2024Q2", "--data", str(data)])
        capsys.readouterr()
        assert main(["review", "2024Q2", "--data", str(data)]) == 1
        assert capsys.readouterr().err.startswith(
            "kesalahan: 2024Q2: belum ada angka yang diisi di "
        )
        assert not (data / "2024Q2" / "review.yaml").exists()

    def test_the_library_build_refuses_it_at_the_data_checks(self, data, tmp_path):
        main(["new-quarter", "2024Q2", "--data", str(data)])
        with pytest.raises(BuildError) as caught:
            build_quarter(Quarter(2024, 2), data_dir=data, out_dir=tmp_path / "out")
        assert caught.value.step == "data checks"
        assert "  - 2024Q2: belum ada angka yang diisi di " in caught.value.cause


class TestTooFewFigures:
    def test_one_section_filled_is_too_few(self, data, capsys):
        main(["new-quarter", "2024Q2", "--data", str(data)])
        # Test inputs for the test only, not published figures.
        _fill(
            data / "2024Q2" / "figures.xlsx",
            {"active_total": "215.000.000", "population": "280.000.000"},
        )
        capsys.readouterr()
        assert main(["validate", "2024Q2", "--data", str(data), "--lang", "en"]) == 1
        line = next(
            line for line in capsys.readouterr().out.splitlines() if "too few for a report" in line
        )
        assert line.startswith("  - 2024Q2: holds only 2 figure(s), too few for a report of its")
        assert "at least 2 of its 3 sections" in line
        assert "II. Health Facilities and Utilisation: fktp_total" in line
        assert "present: I. Participation." in line

    def test_two_sections_are_enough(self, data):
        main(["new-quarter", "2024Q2", "--data", str(data)])
        _fill(
            data / "2024Q2" / "figures.xlsx",
            {"active_total": "215.000.000", "fktp_total": "23.000"},
        )
        assert validate_period(data, Quarter(2024, 2), readiness=True).errors == []

    def test_history_period_asked_for_by_name_is_refused(self, tmp_path, capsys, recorded):
        data = copy_data(tmp_path / "data", ("2014Q4", "2024Q1"))
        assert main(["build", "2014Q4", "--data", str(data), "--out", str(tmp_path / "o")]) == 1
        error = capsys.readouterr().err
        assert "[tidak dibuat] 2014Q4: hanya memuat 1 angka, terlalu sedikit" in error
        assert "tetap dipakai untuk tren dan perbandingan" in error
        assert recorded == []


# --------------------------------------------------------------- which periods build chooses
class TestWhichPeriodsAreBuilt:
    def test_no_quarter_builds_the_latest_buildable_and_says_so(
        self, data, tmp_path, capsys, recorded
    ):
        main(["new-quarter", "2024Q2", "--data", str(data)])
        capsys.readouterr()
        assert main(["build", "--data", str(data), "--out", str(tmp_path / "out")]) == 0
        printed = capsys.readouterr().out
        assert "[dilewati] 2024Q2: belum ada angka yang diisi di " in printed
        assert (
            "Periode tidak disebut: dibuat laporan 2024Q1, periode terakhir yang dapat dibuat."
            in printed
        )
        assert recorded == ["2024Q1"]

    def test_no_quarter_in_english(self, data, tmp_path, capsys, recorded):
        main(["new-quarter", "2024Q2", "--data", str(data)])
        capsys.readouterr()
        main(["build", "--lang", "en", "--data", str(data), "--out", str(tmp_path / "out")])
        printed = capsys.readouterr().out
        assert "No period given: building 2024Q1, the latest period that can be built." in printed
        assert "[skipped] 2024Q2: no figure has been filled in yet" in printed

    def test_nothing_buildable_is_an_error(self, tmp_path, capsys, recorded):
        data = copy_data(tmp_path / "data", ("2014Q4", "2015Q4"))
        assert main(["build", "--data", str(data), "--out", str(tmp_path / "out")]) == 1
        printed = capsys.readouterr()
        assert printed.out.count("[dilewati] 201") == 2
        assert "tidak ada periode di " in printed.err and recorded == []

    def test_all_skips_history_periods_and_templates_listing_each(self, tmp_path, capsys, recorded):
        data = copy_data(tmp_path / "data", HISTORY_ONLY + BUILDABLE)
        main(["new-quarter", "2024Q2", "--data", str(data)])
        capsys.readouterr()
        assert main(["build", "--all", "--data", str(data), "--out", str(tmp_path / "o")]) == 0
        printed = capsys.readouterr().out
        assert recorded == list(BUILDABLE)
        for period in HISTORY_ONLY:
            line = next(line for line in printed.splitlines() if f"] {period}:" in line)
            assert line.startswith(f"[dilewati] {period}: hanya memuat ")
        # 2021Q4 holds the FY2021 DJS finances only: every figure in its file, one section.
        count = sum(1 for row in (data / "2021Q4" / "figures.csv").open() if row.startswith("2021"))
        assert f"[dilewati] 2021Q4: hanya memuat {count} angka" in printed
        assert "yang ada: III. Kesehatan Keuangan DJS." in printed  # 2021Q4: finance only
        assert "[dilewati] 2024Q2: belum ada angka yang diisi" in printed

    @pytest.mark.slow
    def test_history_periods_still_feed_the_trends(self, built):
        # The 2024 Q1 report's claim-ratio trend starts from 2021Q4, a history-only period.
        html = (built / "laporan-kinerja-jkn-2024Q1.id.html").read_text(encoding="utf-8")
        assert "TW IV 2021" in html  # a point of the trend charts
        from jkn_analysis.report.quarterly import QuarterlyReport

        report = QuarterlyReport("2024Q1", data_dir=ROOT / "data")
        assert {Quarter.parse(period) for period in HISTORY_ONLY} <= set(report.history)
        # FY2021: 90,33 / 143,31 T, published as 63,0%
        assert report.value_in(Quarter(2021, 4), "claim_ratio") == pytest.approx(63.03, abs=0.01)


# ------------------------------------------------------------- folders named almost a period
class TestNearMissFolders:
    @pytest.mark.parametrize("name", ["2024q2", "2024-Q2", "2024 Q2", "Q2 2024", "2024Q2 "])
    def test_misnamed_folder_is_named_with_the_expected_name(self, data, name, capsys):
        shutil.copytree(data / "2024Q1", data / name)
        assert Quarter(2024, 2) not in available_periods(data)  # not read under another name
        capsys.readouterr()
        assert main(["validate", "2024Q1", "--data", str(data)]) == 0
        assert (
            f"Peringatan: folder '{name}' tidak dibaca karena namanya bukan nama periode; ganti "
            "namanya menjadi '2024Q2' agar dibaca\n"
        ) in capsys.readouterr().out
        # Asked for by its expected name: the folder is missing, and the near miss is named.
        assert main(["validate", "2024Q2", "--data", str(data), "--lang", "en"]) == 2
        error = capsys.readouterr().err
        assert f"Warning: folder '{name}' is not read" in error and "rename it to '2024Q2'" in error

    def test_a_copy_beside_the_period_folder(self, data, tmp_path, capsys, recorded):
        shutil.copytree(data / "2024Q1", data / "2024Q1 (copy)")
        capsys.readouterr()
        main(["build", "--data", str(data), "--out", str(tmp_path / "out")])
        assert (
            "Peringatan: folder '2024Q1 (copy)' tidak dibaca: periode 2024Q1 dibaca dari folder "
            "'2024Q1' saja; pindahkan atau hapus folder ini bila tidak diperlukan\n"
        ) in capsys.readouterr().out
        assert recorded == ["2024Q1"]

    def test_new_quarter_names_a_misnamed_folder_of_the_same_period(self, data, capsys):
        (data / "2024-Q2").mkdir()
        assert main(["new-quarter", "2024Q2", "--data", str(data), "--lang", "en"]) == 0
        assert "Warning: folder '2024-Q2' is not read: period 2024Q2 is read from the folder" in (
            capsys.readouterr().out
        )

    def test_a_data_file_outside_its_folder(self, data):
        shutil.copy(data / "2024Q1" / "figures.csv", data / "2024Q2.csv")
        [issue] = misnamed_period_issues(data)
        assert issue.describe("en") == (
            "file '2024Q2.csv' is not read: the data files of a period go in the folder "
            "'2024Q2' (such as 2024Q2/figures.xlsx)"
        )

    def test_other_folders_and_files_are_left_alone(self, data):
        (data / "notes").mkdir()
        (data / "README.md").write_text("2024Q2 notes", encoding="utf-8")
        (data / ".2024Q2").mkdir()
        assert misnamed_period_issues(data) == []


# -------------------------------------------------------------- formats the pack does not read
class TestUnsupportedFormats:
    @pytest.mark.parametrize("suffix", [".ods", ".xls", ".xlsm"])
    def test_only_file_of_a_period(self, data, suffix, capsys):
        folder = data / "2024Q2"
        folder.mkdir()
        (folder / f"figures{suffix}").write_bytes(b"not read")
        capsys.readouterr()
        assert main(["validate", "2024Q2", "--data", str(data)]) == 1
        printed = capsys.readouterr().out
        assert (
            f"  - 2024Q2/figures{suffix}: berkas {suffix} tidak dibaca: paket ini hanya membaca "
            ".xlsx dan .csv; buka berkas ini di Excel atau LibreOffice lalu simpan sebagai Buku "
            "Kerja Excel (.xlsx)"
        ) in printed
        assert "tidak ada berkas .csv atau .xlsx" not in printed  # named, not "no data"

    def test_beside_a_data_file_it_stops_the_build(self, data, tmp_path, capsys):
        (data / "2024Q1" / "figures-revisi.xlsm").write_bytes(b"not read")
        out = tmp_path / "out"
        assert main(["build", "2024Q1", "--data", str(data), "--out", str(out)]) == 1
        error = capsys.readouterr().err
        assert error.startswith("GAGAL 2024Q1 pada langkah 'pemeriksaan data'")
        assert "2024Q1/figures-revisi.xlsm: berkas .xlsm tidak dibaca" in error
        assert not (out / "2024Q1").exists()

    def test_one_added_after_a_build_is_not_passed_over_as_up_to_date(self, data, tmp_path):
        from jkn_analysis.build.fingerprint import data_fingerprint

        before = data_fingerprint(data, Quarter(2024, 1))
        (data / "2024Q1" / "figures.ods").write_bytes(b"not read")
        assert data_fingerprint(data, Quarter(2024, 1)) != before

    def test_editor_lock_files_are_not_named(self, data):
        (data / "2024Q1" / "~$figures.xls").write_bytes(b"lock")
        (data / "2024Q1" / ".~lock.figures.ods#").write_bytes(b"lock")
        assert validate_period(data, Quarter(2024, 1)).errors == []


# ---------------------------------------------------------------- a CSV cell over the limit
class TestCsvFieldLimit:
    def _problem(self, tmp_path, content: str):
        folder = tmp_path / "2024Q1"
        folder.mkdir(parents=True)
        (folder / "figures.csv").write_text(content, encoding="utf-8")
        [issue] = validate_period(tmp_path, Quarter(2024, 1)).errors
        return issue

    def test_a_cell_longer_than_the_limit(self, tmp_path):
        limit = csv.field_size_limit()
        long_note = "x" * (limit + 1)
        content = (
            "period,code,value,unit,note\n"
            "2024Q1,fktp_total,23.245,faskes,\n"
            f'2024Q1,fkrtl_total,3.112,faskes,"{long_note}"\n'
        )
        issue = self._problem(tmp_path, content)
        assert (issue.message, issue.row) == ("unreadable.csv_field_limit", 3)
        shown = f"{limit:,}".replace(",", ".")  # 131.072, as Indonesian writes it
        assert issue.describe("id") == (
            "2024Q1/figures.csv, baris 3: berkas tidak dapat dibaca: sel yang dimulai di baris "
            f"ini lebih panjang dari {shown} karakter, batas pembaca CSV; biasanya tanda kutip "
            '(") yang dibuka tanpa ditutup membuat sisa berkas terbaca sebagai satu sel: tutup '
            "tanda kutipnya, atau perpendek isi sel itu"
        )

    def test_an_unclosed_quote_swallowing_the_rest_of_the_file(self, tmp_path):
        rows = "".join(f"2024Q1,fktp_total,{n},faskes,catatan panjang\n" for n in range(9000))
        content = f'period,code,value,unit,note\n2024Q1,fkrtl_total,3.112,faskes,"lupa\n{rows}'
        issue = self._problem(tmp_path, content)
        assert (issue.message, issue.row) == ("unreadable.csv_field_limit", 2)
        assert 'a quotation mark (") opened and never closed' in issue.describe("en")

    def test_a_short_unclosed_quote_keeps_its_own_message(self, tmp_path):
        write_csv(tmp_path, "2024Q1", [["2024Q1", "fktp_total", "23.245", "faskes"]])
        path = tmp_path / "2024Q1" / "figures.csv"
        path.write_text(path.read_text() + '2024Q1,fkrtl_total,"3.112,faskes\n')
        issue = validate_period(tmp_path, Quarter(2024, 1)).errors[0]
        assert issue.message == "unreadable.csv"


# ------------------------------------------------------------- every line in the build's language
# Words that only one of the two languages uses, as whole words, in the lines the commands print
# (paths, file names and figure codes taken out first).
ENGLISH_WORDS = (
    "built", "building", "up to date", "skipped", "failed", "FAILED", "at step", "error",
    "index", "checking", "running", "exporting", "rendering", "data checks", "no data",
    "available", "errors", "warnings", "the", "report", "previous", "details", "changed",
    "missing", "must", "give",
)  # fmt: skip
INDONESIAN_WORDS = (
    "dibuat", "sedang", "mutakhir", "dilewati", "gagal", "GAGAL", "pada langkah", "kesalahan",
    "indeks", "memeriksa", "menjalankan", "mengekspor", "membuat", "pemeriksaan", "tidak",
    "tersedia", "peringatan", "laporan", "sebelumnya", "rinciannya", "berubah", "berkas",
    "belum", "pernah", "paling", "sebutkan", "selesai", "detik", "dalam", "ada", "di",
)  # fmt: skip


def _words(text: str, root: Path) -> list[str]:
    """The printed lines with paths (anything holding a slash) and codes taken out."""
    import re

    text = text.replace(str(root), "")
    return [re.sub(r"\S*[/_.]\S*", " ", line) for line in text.splitlines()]


def _found(lines: list[str], words: tuple[str, ...]) -> list[str]:
    import re

    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")
    return [line for line in lines if pattern.search(line)]


@pytest.fixture
def fast_build(monkeypatch):
    """The real `build_quarter` (data checks, progress, build record) without a kernel, HTML
    export or PDF: each step writes a stand-in file."""

    def execute(quarter, language, data_dir, folder, kernel):
        paths = build_module.report_paths(folder, quarter, language)
        paths["notebook"].write_text("{}", encoding="utf-8")
        (folder / "indicators.json").write_text('{"status": "final"}', encoding="utf-8")
        (folder / "indicators.csv").write_text("code,value\n", encoding="utf-8")
        return paths["notebook"]

    monkeypatch.setattr(build_module, "_execute_notebook", execute)
    monkeypatch.setattr(build_module, "_import_renderers", lambda: None)
    monkeypatch.setattr(build_module, "export_html", lambda *args, **kwargs: "<html></html>")
    monkeypatch.setattr(build_module, "render_pdf", lambda html, target: target.write_bytes(b"%"))
    monkeypatch.setattr(
        build_module, "write_data_workbook", lambda html, folder, language, target: target.touch()
    )


@pytest.mark.parametrize(("language", "other"), [("id", ENGLISH_WORDS), ("en", INDONESIAN_WORDS)])
def test_build_speaks_one_language(data, tmp_path, capsys, fast_build, language, other):
    out = tmp_path / "out"
    build = ["build", "--data", str(data), "--out", str(out), "--lang"]
    both = {"id": "id,en", "en": "en,id"}[language]
    assert main([*build, language, "2024Q1"]) == 0  # built
    assert main([*build, language, "2024Q1"]) == 0  # up to date, skipped
    assert main([*build, both, "2024Q1", "--jobs", "1"]) == 0  # the other edition only
    assert main([*build, language, "2030Q1"]) == 2  # no data
    assert main([*build, language, "--jobs", "0"]) == 2
    assert main([*build, language, "--all", "2024Q1"]) == 2
    csv_file = data / "2024Q1" / "figures.csv"
    csv_file.write_text(
        csv_file.read_text(encoding="utf-8") + "2024Q1,active_total,abc,jiwa,,,\n",
        encoding="utf-8",
    )
    assert main([*build, language, "2024Q1"]) == 1  # the data checks fail
    printed = capsys.readouterr()
    lines = _words(printed.out + printed.err, tmp_path)
    assert _found(lines, other) == [], printed.out + printed.err
    # The failure names its step in the build's language; the code stays for logs and tests.
    headline = {
        "id": "GAGAL 2024Q1 pada langkah 'pemeriksaan data':",
        "en": "FAILED 2024Q1 at step 'data checks':",
    }
    assert headline[language] in printed.err
