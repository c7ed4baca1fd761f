"""Batch and incremental builds: `build --all` builds every period, a second run builds none,
and a changed input rebuilds exactly the periods that read it."""

from __future__ import annotations

import contextlib
import io
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest

from jkn_analysis.build.batch import plan, rebuild_reason
from jkn_analysis.build.quarter import NOTEBOOK
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
PERIODS = ("2023Q1", "2023Q4", "2024Q1")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """Three periods built once with `build --all`; returns (data, out, first run's output)."""
    root = tmp_path_factory.mktemp("batch")
    data, out = root / "data", root / "reports"
    for period in PERIODS:
        shutil.copytree(ROOT / "data" / period, data / period)
    stream = io.StringIO()
    with contextlib.redirect_stdout(stream):
        status = main(["build", "--all", "--data", str(data), "--out", str(out)])
    assert status == 0
    return data, out, stream.getvalue()


def _plan(data: Path, out: Path):
    return {
        str(item.quarter): item.reason
        for item in plan(
            [Quarter.parse(p) for p in PERIODS],
            data_dir=data,
            out_dir=out,
            languages=("id",),
            notebook=NOTEBOOK,
        )
    }


class TestBuildAll:
    def test_every_period_is_built_with_progress(self, workspace):
        _, out, printed = workspace
        for number, period in enumerate(PERIODS, start=1):
            assert f"[{number}/3] {period}: sedang dibuat (belum pernah dibuat)" in printed
            assert (out / period / f"laporan-kinerja-jkn-{period}.id.pdf").exists()
        assert "3 dibuat, 0 mutakhir, 0 gagal" in printed

    def test_second_run_rebuilds_nothing(self, workspace, capsys):
        data, out, _ = workspace
        assert main(["build", "--all", "--data", str(data), "--out", str(out)]) == 0
        printed = capsys.readouterr().out
        for period in PERIODS:
            assert f"{period}: mutakhir, dilewati" in printed
        assert "0 dibuat, 3 mutakhir, 0 gagal" in printed

    def test_index_links_every_report(self, workspace):
        _, out, _ = workspace

        class Links(HTMLParser):
            def __init__(self):
                super().__init__()
                self.links = []

            def handle_starttag(self, tag, attrs):
                if tag == "a":
                    self.links.append(dict(attrs)["href"])

        parser = Links()
        parser.feed((out / "index.html").read_text(encoding="utf-8"))
        for period in PERIODS:
            for suffix in ("html", "pdf"):
                link = f"{period}/laporan-kinerja-jkn-{period}.id.{suffix}"
                assert link in parser.links
                assert (out / link).exists()
        # The index shows the data-check warnings of each build (2024Q1 has some), in words.
        page = (out / "index.html").read_text(encoding="utf-8")
        assert "Peserta non aktif, 2024Q1" in page
        assert "non_active_total" not in page
        assert all((out / link).is_file() for link in parser.links)


class TestIncremental:
    def test_changing_one_input_rebuilds_exactly_its_dependants(self, workspace):
        data, out, _ = workspace
        csv = data / "2023Q4" / "figures.csv"
        original = csv.read_text(encoding="utf-8")
        try:
            csv.write_text(original.replace("23.626", "23.627"), encoding="utf-8")
            reasons = _plan(data, out)
            assert reasons["2023Q1"] is None
            assert reasons["2023Q4"] == "data changed: 2023Q4/figures.csv"
            assert reasons["2024Q1"] == "data changed: 2023Q4/figures.csv"
        finally:
            csv.write_text(original, encoding="utf-8")
        assert set(_plan(data, out).values()) == {None}

    def test_a_touched_but_unchanged_file_rebuilds_nothing(self, workspace):
        data, out, _ = workspace
        csv = data / "2024Q1" / "figures.csv"
        csv.write_text(csv.read_text(encoding="utf-8"), encoding="utf-8")
        assert set(_plan(data, out).values()) == {None}

    def test_new_language_rebuilds(self, workspace):
        data, out, _ = workspace
        reasons = plan(
            [Quarter(2024, 1)],
            data_dir=data,
            out_dir=out,
            languages=("id", "en"),
            notebook=NOTEBOOK,
        )
        # Only the new edition is built; the Indonesian one is up to date.
        assert reasons[0].languages == ("en",)
        assert reasons[0].reason == "en: no previous build"


def _record(fingerprint: dict) -> dict:
    """A build record holding one edition with this fingerprint."""
    edition = {"fingerprint": fingerprint, "files": [], "built_at": "", "warnings": []}
    return {"files": [], "editions": {fingerprint["language"]: edition}}


class TestRebuildReason:
    BASE: ClassVar[dict] = {"language": "id", "code": "abc", "data": {"2024Q1/figures.csv": "1"}}

    def test_no_record(self):
        assert rebuild_reason(self.BASE, None) == "no previous build"

    def test_same(self):
        assert rebuild_reason(self.BASE, _record(dict(self.BASE))) is None

    def test_other_edition_only(self):
        record = _record({**self.BASE, "language": "en"})
        assert rebuild_reason(self.BASE, record) == "no previous build"

    def test_code_changed(self):
        record = _record({**self.BASE, "code": "old"})
        assert rebuild_reason(self.BASE, record) == "code, templates or notebook changed"

    def test_new_period_file(self):
        current = {**self.BASE, "data": {**self.BASE["data"], "2024Q2/figures.csv": "2"}}
        assert rebuild_reason(current, _record(dict(self.BASE))) == (
            "data changed: 2024Q2/figures.csv"
        )

    def test_record_of_an_earlier_version_is_read_per_language(self):
        legacy = {
            "fingerprint": {**self.BASE, "languages": ["id", "en"]},
            "files": ["indicators.json", "laporan-kinerja-jkn-2024Q1.id.pdf"],
        }
        assert rebuild_reason(self.BASE, legacy) is None
        assert rebuild_reason({**self.BASE, "language": "en"}, legacy) is None
