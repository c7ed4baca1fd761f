"""Reproducible output, safe concurrent builds and parameters checked before any kernel."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from jkn_analysis.build.quarter import BuildError, build_quarter, check_parameters, report_paths
from jkn_analysis.catalogue.periods import Quarter

ROOT = Path(__file__).resolve().parents[1]
JKN_REPORT = Path(sys.executable).parent / "jkn-report"
Q1 = Quarter(2024, 1)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _compared(folder: Path) -> dict[str, str]:
    """Hashes of what must be byte-identical: the indicators (JSON and CSV), and the HTML, the
    PDF and the data workbook of each language."""
    names = ["indicators.json", "indicators.csv"]
    for language in ("id", "en"):
        paths = report_paths(folder, Q1, language)
        names += [paths["html"].name, paths["pdf"].name, paths["workbook"].name]
    return {name: _digest(folder / name) for name in names}


@pytest.mark.slow
class TestReproducible:
    def test_same_inputs_give_identical_files(self, built, tmp_path):
        # Its charts come from the session's chart cache (tests/conftest.py), which `built` filled.
        again = build_quarter(Q1, languages=("id", "en"), data_dir=ROOT / "data", out_dir=tmp_path)
        assert _compared(again.folder) == _compared(built)

    def test_charts_drawn_without_the_cache_give_identical_files(
        self, built, tmp_path, monkeypatch
    ):
        cache = Path(os.environ["JKN_REPORT_CACHE"]) / "charts"
        assert len(list(cache.glob("jkn-chart-*.json"))) >= 22  # `built` kept its charts there
        monkeypatch.setenv("JKN_REPORT_CACHE", "off")
        drawn = build_quarter(Q1, languages=("id", "en"), data_dir=ROOT / "data", out_dir=tmp_path)
        assert _compared(drawn.folder) == _compared(built)

    def test_source_date_epoch_sets_the_date_stamp(self, tmp_path, monkeypatch):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1711843200")  # 2024-03-31 00:00 UTC
        result = build_quarter(Q1, data_dir=ROOT / "data", out_dir=tmp_path)
        html = report_paths(result.folder, Q1, "id")["html"].read_text(encoding="utf-8")
        assert "2024-03-31 00:00:00 UTC" in html and "dari SOURCE_DATE_EPOCH" in html
        # The wall-clock time is kept outside the compared files.
        record = json.loads((result.folder / "build.json").read_text(encoding="utf-8"))
        assert not record["editions"]["id"]["built_at"].startswith("2024-03-31")


@pytest.mark.slow
class TestConcurrentBuilds:
    def test_two_builds_of_one_period_leave_one_whole_report(self, built, tmp_path):
        out = tmp_path / "reports"
        command = [
            str(JKN_REPORT),
            "build",
            "2024Q1",
            "--force",
            "--lang",
            "id,en",
            "--out",
            str(out),
        ]
        processes = [
            subprocess.Popen(
                command,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=os.environ.copy(),
            )
            for _ in range(2)
        ]
        for process in processes:
            _, error = process.communicate(timeout=300)
            assert process.returncode == 0, error.decode()
        # Whichever finished last, the report is whole and equal to a build made alone.
        assert _compared(out / "2024Q1") == _compared(built)
        assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".locks"]

    def test_different_periods_in_parallel(self, tmp_path):
        out = tmp_path / "reports"
        result = subprocess.run(
            [str(JKN_REPORT), "build", "2023Q4", "2024Q1", "--jobs", "2", "--out", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "2 dibuat, 0 mutakhir, 0 gagal" in result.stdout
        for period in ("2023Q4", "2024Q1"):
            document = json.loads((out / period / "indicators.json").read_text("utf-8"))
            assert document["period"] == period


class TestCheckParameters:
    @pytest.mark.parametrize(
        ("parameters", "message"),
        [
            ({"langauge": "en"}, "unknown parameter 'langauge'; did you mean 'language'?"),
            ({"quater": "2024Q1"}, "unknown parameter 'quater'; did you mean 'quarter'?"),
            ({"colour": "red"}, "unknown parameter 'colour'; known: quarter, language, "),
            ({"quarter": "2024Q5"}, "'2024Q5' is not a quarter of the form YYYYQn"),
            ({"quarter": "24Q1"}, "'24Q1' is not a quarter of the form YYYYQn"),
            ({"language": "fr"}, "language must be one of id, en, got 'fr'"),
            ({"data_dir": 3}, "parameter 'data_dir' must be str, got 3"),
        ],
    )
    def test_refused_before_any_kernel(self, parameters, message):
        with pytest.raises(BuildError) as caught:
            check_parameters(parameters)
        assert caught.value.step == "parameters"
        assert message in caught.value.cause

    def test_valid_parameters_pass(self):
        check_parameters(
            {"quarter": "2024Q1", "language": "en", "data_dir": "/data", "output_dir": ""}
        )

    def test_build_refuses_a_bad_language_before_reading_data(self, tmp_path):
        with pytest.raises(BuildError) as caught:
            build_quarter(Q1, languages=("fr",), data_dir=tmp_path / "missing", out_dir=tmp_path)
        assert caught.value.step == "parameters"
        assert not any(tmp_path.iterdir())


class TestOnlyPublishedCellsReachThePage:
    """An exploratory cell an analyst adds (``df.head()``) never leaks into the HTML or PDF:
    only the outputs of cells tagged ``report`` are exported."""

    @staticmethod
    def _notebook(tmp_path: Path) -> Path:
        import nbformat
        import pandas as pd

        def cell(frame: pd.DataFrame, tags: list[str]) -> nbformat.NotebookNode:
            output = nbformat.v4.new_output(
                "execute_result", data={"text/html": frame.to_html()}, execution_count=1
            )
            return nbformat.v4.new_code_cell(
                "frame.head()", metadata={"tags": tags}, outputs=[output]
            )

        notebook = nbformat.v4.new_notebook(
            cells=[
                cell(pd.DataFrame({"published_column": [1]}), ["report"]),
                cell(pd.DataFrame({"exploratory_column": [2]}), []),
                cell(pd.DataFrame({"parameter_column": [3]}), ["parameters"]),
            ]
        )
        path = tmp_path / "executed.ipynb"
        nbformat.write(notebook, path)
        return path

    def test_an_untagged_cell_is_left_out_a_tagged_one_kept(self, tmp_path):
        from jkn_analysis.build.quarter import export_html

        html = export_html(self._notebook(tmp_path), Q1, "en")
        assert "published_column" in html
        assert "exploratory_column" not in html and "parameter_column" not in html

    def test_the_preview_evaluates_only_tagged_cells(self, tmp_path):
        from jkn_analysis.build import preview

        notebook = json.loads(self._notebook(tmp_path).read_text("utf-8"))
        notebook["cells"][1]["source"] = "report.exploration()"
        path = tmp_path / "with_exploration.ipynb"
        path.write_text(json.dumps(notebook), encoding="utf-8")
        cells = preview.display_cells(path)
        assert [cell.expression.co_names for cell in cells] == [("frame", "head")]


class TestOneKernelForBothEditions:
    """Both editions of a period run in one kernel: the second reuses the process (and what the
    analysis keeps in it) but starts from an empty namespace, its cells counted from 1."""

    def test_two_notebooks_in_one_kernel_run_as_in_fresh_kernels(self, tmp_path):
        import nbformat

        from jkn_analysis.build.quarter import NotebookKernel

        notebook = nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_code_cell(
                    'language: str = "id"', metadata={"tags": ["parameters"]}
                ),
                nbformat.v4.new_code_cell(
                    "import os\nseen = globals().get('earlier', 'none')\nearlier = language"
                ),
                nbformat.v4.new_code_cell("print(os.getpid(), seen, language)"),
            ]
        )
        notebook.metadata["kernelspec"] = {"name": "python3", "language": "python"}
        source = tmp_path / "two.ipynb"
        nbformat.write(notebook, source)
        printed = {}
        with NotebookKernel(tmp_path) as kernel:
            for language in ("id", "en"):
                output = tmp_path / f"two.{language}.ipynb"
                kernel.run(source, output, {"language": language})
                executed = nbformat.read(output, as_version=4)
                assert executed.metadata.papermill.parameters == {"language": language}
                assert [c.execution_count for c in executed.cells if c.cell_type == "code"] == [
                    1,
                    2,
                    3,
                    4,
                ]
                printed[language] = executed.cells[-1].outputs[0].text.split()
        assert printed["id"][0] == printed["en"][0]  # one process
        assert printed["id"][1:] == ["none", "id"] and printed["en"][1:] == ["none", "en"]

    def test_an_error_in_a_cell_is_papermills_error(self, tmp_path):
        import nbformat
        from papermill.exceptions import PapermillExecutionError

        from jkn_analysis.build.quarter import run_notebook

        notebook = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell("raise ValueError('planted')")]
        )
        source = tmp_path / "fails.ipynb"
        nbformat.write(notebook, source)
        with pytest.raises(PapermillExecutionError) as caught:
            run_notebook(source, tmp_path / "failed.ipynb", {})
        assert caught.value.ename == "ValueError" and caught.value.evalue == "planted"
        assert "papermill-error-cell-tag" in (tmp_path / "failed.ipynb").read_text("utf-8")
        assert not list(Path(tempfile.gettempdir()).glob(f"jkn-kernel-{os.getpid()}-*"))
