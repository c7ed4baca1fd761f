"""Answers remembered by the content they depend on (`jkn_analysis.inputs.memo`): whether a
period can have a report (`jkn_analysis.build.readiness`), the notebook's parameters; and the
pack's cache folder (`jkn_analysis.inputs.paths.cache_folder`)."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jkn_analysis.build import readiness
from jkn_analysis.build.notebook import NOTEBOOK, notebook_parameters
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.inputs import loading, memo
from jkn_analysis.inputs.paths import cache_folder

ROOT = Path(__file__).resolve().parents[2]
HISTORY_ONLY = Quarter(2014, 4)
WITH_REPORT = Quarter(2024, 1)
CODE = "code-hash"


@pytest.fixture
def data(tmp_path):
    """A copy of a history-only period and of one with a report of its own."""
    for quarter in (HISTORY_ONLY, WITH_REPORT):
        shutil.copytree(ROOT / "data" / str(quarter), tmp_path / "data" / str(quarter))
    return tmp_path / "data"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("JKN_REPORT_CACHE", str(folder))
    return folder / "readiness"


@pytest.fixture
def asked(monkeypatch):
    """The periods `report_readiness` was asked about (it still answers)."""
    periods = []
    answer = loading.report_readiness

    def counted(data_dir, quarter, catalogue=None):
        periods.append(quarter)
        return answer(data_dir, quarter, catalogue)

    monkeypatch.setattr(loading, "report_readiness", counted)
    return periods


class TestCacheFolder:
    def test_the_variable_names_the_folder(self, tmp_path, monkeypatch):
        monkeypatch.setenv("JKN_REPORT_CACHE", str(tmp_path))
        assert cache_folder("charts") == tmp_path / "charts"

    @pytest.mark.parametrize("value", ["", "off", " OFF "])
    def test_off_or_empty_keeps_nothing(self, value, monkeypatch):
        monkeypatch.setenv("JKN_REPORT_CACHE", value)
        assert cache_folder("charts") is None

    def test_without_the_variable_the_users_cache_folder(self, tmp_path, monkeypatch):
        monkeypatch.delenv("JKN_REPORT_CACHE")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        assert cache_folder("readiness") == tmp_path / "jkn-report" / "readiness"
        monkeypatch.delenv("XDG_CACHE_HOME")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert cache_folder("readiness") == tmp_path / "home" / ".cache/jkn-report/readiness"


class TestRemembered:
    def test_the_answer_is_the_checks_in_every_language(self, data, cache, asked):
        reason = readiness.blocking_reason(data, HISTORY_ONLY, CODE)
        blocker = loading.report_readiness(data, HISTORY_ONLY)
        assert reason == {"id": blocker.describe("id"), "en": blocker.describe("en")}
        assert reason["id"].startswith("2014Q4: hanya memuat 1 angka, terlalu sedikit")
        assert readiness.blocking_reason(data, WITH_REPORT, CODE) is None

    def test_asked_again_the_files_are_not_read_again(self, data, cache, asked):
        first = [readiness.blocking_reason(data, q, CODE) for q in (HISTORY_ONLY, WITH_REPORT)]
        assert asked == [HISTORY_ONLY, WITH_REPORT]
        again = [readiness.blocking_reason(data, q, CODE) for q in (HISTORY_ONLY, WITH_REPORT)]
        assert again == first
        assert asked == [HISTORY_ONLY, WITH_REPORT]  # both answers came from the cache
        assert len(list(cache.glob("*.json"))) == 2

    def test_a_changed_file_is_checked_again(self, data, cache, asked):
        assert readiness.blocking_reason(data, WITH_REPORT, CODE) is None
        figures = data / str(WITH_REPORT) / "figures.csv"
        lines = figures.read_text(encoding="utf-8").splitlines(keepends=True)
        # Only the header and the first figure left: too few figures for a report.
        figures.write_text("".join(lines[:2]), encoding="utf-8")
        for path in (data / str(WITH_REPORT)).iterdir():
            if path.name not in {"figures.csv", "review.yaml"}:
                path.unlink()
        reason = readiness.blocking_reason(data, WITH_REPORT, CODE)
        assert asked == [WITH_REPORT, WITH_REPORT]
        assert reason is not None and "too few for a report" in reason["en"]

    def test_another_code_is_checked_again(self, data, cache, asked):
        readiness.blocking_reason(data, HISTORY_ONLY, CODE)
        readiness.blocking_reason(data, HISTORY_ONLY, "other code")
        assert asked == [HISTORY_ONLY, HISTORY_ONLY]

    def test_a_corrupt_entry_is_checked_again_and_rewritten(self, data, cache, asked):
        expected = readiness.blocking_reason(data, HISTORY_ONLY, CODE)
        (entry,) = cache.glob("2014Q4-*.json")
        entry.write_text('{"key": "', encoding="utf-8")  # cut short
        assert readiness.blocking_reason(data, HISTORY_ONLY, CODE) == expected
        assert len(asked) == 2
        assert json.loads(entry.read_text(encoding="utf-8"))["answer"] == expected

    def test_an_entry_of_other_words_is_not_trusted(self, data, cache, asked):
        readiness.blocking_reason(data, HISTORY_ONLY, CODE)
        (entry,) = cache.glob("2014Q4-*.json")
        known = json.loads(entry.read_text(encoding="utf-8"))
        entry.write_text(json.dumps({**known, "answer": {"id": "x"}}), encoding="utf-8")
        assert readiness.blocking_reason(data, HISTORY_ONLY, CODE)["en"].startswith("2014Q4:")
        assert len(asked) == 2

    def test_an_unusable_cache_only_costs_time(self, data, tmp_path, monkeypatch, asked):
        blocked = tmp_path / "a file"
        blocked.write_text("not a folder", encoding="utf-8")
        monkeypatch.setenv("JKN_REPORT_CACHE", str(blocked))
        for _ in range(2):
            assert readiness.blocking_reason(data, HISTORY_ONLY, CODE)["en"].startswith("2014Q4")
        assert asked == [HISTORY_ONLY, HISTORY_ONLY]
        assert blocked.read_text(encoding="utf-8") == "not a folder"

    def test_switched_off_nothing_is_written(self, data, tmp_path, monkeypatch, asked):
        monkeypatch.setenv("JKN_REPORT_CACHE", "off")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        for _ in range(2):
            readiness.blocking_reason(data, HISTORY_ONLY, CODE)
        assert len(asked) == 2 and not (tmp_path / "xdg").exists()

    def test_old_entries_of_a_period_are_dropped(self, data, cache, monkeypatch):
        monkeypatch.setattr(memo, "ENTRIES_PER_GROUP", 2)
        for number in range(4):
            readiness.blocking_reason(data, HISTORY_ONLY, f"code {number}")
        readiness.blocking_reason(data, WITH_REPORT, CODE)
        assert len(list(cache.glob("2014Q4-*.json"))) == 2
        assert len(list(cache.glob("2024Q1-*.json"))) == 1
        assert not list(cache.glob(".*"))  # no temporary file left


class TestNotebookParameters:
    @pytest.fixture
    def notebook(self, tmp_path):
        copy = tmp_path / "report.ipynb"
        shutil.copy(NOTEBOOK, copy)
        return copy

    def test_remembered_as_papermill_reads_them(self, notebook, cache, monkeypatch):
        import papermill

        expected = {
            name: ast.literal_eval(entry["default"])
            for name, entry in papermill.inspect_notebook(notebook).items()
        }
        assert notebook_parameters.__wrapped__(notebook) == expected
        monkeypatch.setattr(papermill, "inspect_notebook", _not_called)
        assert notebook_parameters.__wrapped__(notebook) == expected  # from the cache
        assert list((cache.parent / "parameters").glob("report-*.json"))

    def test_an_edited_notebook_is_read_again(self, notebook, cache):
        assert notebook_parameters.__wrapped__(notebook)["language"] == "id"
        document = json.loads(notebook.read_text(encoding="utf-8"))
        cell = next(c for c in document["cells"] if "parameters" in c["metadata"].get("tags", []))
        cell["source"] = [line.replace('"id"', '"en"') for line in cell["source"]]
        notebook.write_text(json.dumps(document), encoding="utf-8")
        assert notebook_parameters.__wrapped__(notebook)["language"] == "en"

    def test_switched_off_papermill_reads_them(self, notebook, monkeypatch):
        monkeypatch.setenv("JKN_REPORT_CACHE", "off")
        assert set(notebook_parameters.__wrapped__(notebook)) >= {"quarter", "language"}


def _not_called(*args, **kwargs):
    raise AssertionError("read again, although the notebook did not change")


@pytest.mark.slow
def test_a_rebuild_with_nothing_to_do_reads_no_data(tmp_path):
    """An up-to-date ``build --all`` decides from hashes alone: pandas, pandera and openpyxl
    are not even imported (they are most of the time such a run took)."""
    data, out = tmp_path / "data", tmp_path / "reports"
    for quarter in (HISTORY_ONLY, Quarter(2023, 4)):
        shutil.copytree(ROOT / "data" / str(quarter), data / str(quarter))
    command = ["build", "--all", "--data", str(data), "--out", str(out)]
    script = (
        "import sys; from jkn_analysis.cli import main; status = main(sys.argv[1:]); "
        "heavy = sorted({'pandas', 'pandera', 'openpyxl', 'matplotlib'} & set(sys.modules)); "
        "print('heavy:', heavy); sys.exit(status)"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, *command], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    ]
    assert "1 dibuat, 0 mutakhir, 0 gagal" in runs[0]
    assert "[dilewati] 2014Q4: hanya memuat 1 angka" in runs[1]
    assert "0 dibuat, 1 mutakhir, 0 gagal" in runs[1]
    assert "heavy: []" in runs[1]
