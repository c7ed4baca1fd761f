"""Unit tests for jkn_analysis.inputs.paths: notebooks and the default data folder, checked out or
installed, and the output folder made or refused before any work."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jkn_analysis.inputs import paths
from jkn_analysis.inputs.paths import OutputFolderError, prepare_output_dir

ROOT = Path(__file__).resolve().parents[2]


class TestSourceCheckout:
    def test_the_checkout_is_found(self):
        assert paths.source_root() == ROOT

    def test_notebooks_are_the_checkouts_own(self):
        assert paths.notebook_dir() == ROOT / "notebooks"
        assert paths.notebook_path(paths.REPORT_NOTEBOOK).is_file()
        assert paths.notebook_path(paths.PROJECTION_NOTEBOOK).is_file()

    @pytest.mark.parametrize("working_folder", ["root", "notebooks", "elsewhere"])
    def test_default_data_folder_does_not_depend_on_the_working_folder(
        self, working_folder, tmp_path, monkeypatch
    ):
        folder = {"root": ROOT, "notebooks": ROOT / "notebooks", "elsewhere": tmp_path}
        monkeypatch.chdir(folder[working_folder])
        assert paths.default_data_dir() == ROOT / "data"
        assert paths.resolve_data_dir("") == ROOT / "data"
        assert paths.resolve_data_dir(None) == ROOT / "data"

    def test_a_given_data_folder_is_used_as_given(self, tmp_path):
        assert paths.resolve_data_dir(str(tmp_path)) == tmp_path
        assert paths.resolve_data_dir("../data") == Path("../data")


def test_installed_layout_uses_the_packaged_notebooks_and_the_working_folders_data(tmp_path):
    """The package copied alone into a site folder, as a wheel installs it (no pyproject.toml
    or notebooks/ beside it): notebooks from inside the package, data from ./data."""
    site = tmp_path / "site-packages"
    shutil.copytree(
        ROOT / "jkn_analysis",
        site / "jkn_analysis",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copytree(ROOT / "notebooks", site / "jkn_analysis" / "notebooks")
    work = tmp_path / "work"
    work.mkdir()
    script = (
        "import json, jkn_analysis.inputs.paths as p; print(json.dumps([p.__file__, "
        "str(p.source_root()), str(p.notebook_dir()), str(p.default_data_dir())]))"
    )
    environment = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=work,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    module, root, notebooks, data = json.loads(result.stdout)
    assert Path(module).is_relative_to(site)
    assert root == "None"
    assert Path(notebooks) == site / "jkn_analysis" / "notebooks"
    assert Path(data) == work / "data"


class TestOutputFolder:
    def test_empty_means_write_nothing(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        assert prepare_output_dir("") is None
        assert prepare_output_dir(None) is None
        assert list(tmp_path.iterdir()) == []

    def test_a_missing_folder_is_created_with_its_parents(self, tmp_path):
        target = tmp_path / "a" / "b" / "c"
        assert prepare_output_dir(str(target)) == target
        assert target.is_dir()

    def test_an_existing_folder_and_its_files_are_left_alone(self, tmp_path):
        (tmp_path / "notes.txt").write_text("the analyst's", encoding="utf-8")
        assert prepare_output_dir(tmp_path) == tmp_path
        assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "the analyst's"

    @pytest.mark.parametrize(
        ("language", "words"), [("id", "adalah berkas, bukan folder"), ("en", "is a file")]
    )
    def test_a_file_is_refused_naming_it(self, tmp_path, language, words):
        existing = tmp_path / "indicators"
        existing.write_text("not a folder", encoding="utf-8")
        with pytest.raises(OutputFolderError) as raised:
            prepare_output_dir(existing, language)
        assert str(existing) in str(raised.value) and words in str(raised.value)
        assert existing.read_text(encoding="utf-8") == "not a folder"

    @pytest.mark.parametrize(
        ("language", "words"), [("id", "tidak dapat dibuat"), ("en", "cannot be created")]
    )
    def test_a_folder_under_a_file_is_refused_naming_it(self, tmp_path, language, words):
        (tmp_path / "file").write_text("", encoding="utf-8")
        target = tmp_path / "file" / "reports"
        with pytest.raises(OutputFolderError) as raised:
            prepare_output_dir(target, language)
        assert str(target) in str(raised.value) and words in str(raised.value)

    @pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
    def test_a_read_only_folder_is_refused(self, tmp_path):
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        try:
            with pytest.raises(OutputFolderError, match="cannot be"):
                prepare_output_dir(locked / "new", "en")
            with pytest.raises(OutputFolderError, match="cannot be written to"):
                prepare_output_dir(locked, "en")
        finally:
            locked.chmod(0o755)
