"""The notebooks: committed clean, thin, with a papermill parameters cell, and runnable as
JupyterLab would run them (their default parameters, from the notebooks folder)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
class TestNotebookHygiene:
    def test_committed_without_outputs(self, path):
        for cell in _cells(path):
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None

    def test_one_parameters_cell_of_typed_literals_with_comments(self, path):
        tagged = [c for c in _cells(path) if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1
        source = _source(tagged[0])
        names = []
        for statement in ast.parse(source).body:
            assert isinstance(statement, ast.AnnAssign), ast.dump(statement)
            assert isinstance(statement.value, ast.Constant)
            names.append(statement.target.id)
        for line in source.splitlines():
            assert "  # " in line, f"parameter without a comment: {line}"
        assert {"quarter", "language", "data_dir", "output_dir"} <= set(names)

    def test_thin_cells_without_definitions(self, path):
        for cell in _cells(path):
            if cell["cell_type"] != "code":
                continue
            tree = ast.parse(_source(cell))
            for node in ast.walk(tree):
                assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda)
            calls = [n for n in tree.body if isinstance(n, ast.Expr | ast.Assign)]
            assert len(calls) <= 1, _source(cell)


@pytest.mark.slow
def test_runs_with_its_defaults_like_jupyterlab(tmp_path):
    import papermill

    for path in NOTEBOOKS:
        output = tmp_path / path.name
        papermill.execute_notebook(
            str(path),
            str(output),
            cwd=str(path.parent),
            kernel_name="python3",
            progress_bar=False,
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )
        executed = json.loads(output.read_text(encoding="utf-8"))
        outputs = [o for c in executed["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
        assert not [o for o in outputs if o["output_type"] == "error"]
        html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
        assert any("Laporan Kinerja Program JKN" in "".join(h) for h in html)
    # Run with its defaults, the notebook writes nothing next to the built reports.
    assert not (ROOT / "notebooks" / "indicators.json").exists()


def _papermill(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    """Stock papermill's command line, as a Jupyter user types it (the environment's own)."""
    command = [str(Path(sys.executable).with_name("papermill")), *arguments, "--no-progress-bar"]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)


def _outputs(path: Path) -> list[list[dict]]:
    return [c["outputs"] for c in _cells(path) if c["cell_type"] == "code"]


@pytest.mark.slow
class TestStockPapermill:
    """`papermill notebooks/<notebook> out.ipynb -p ...` from the repository root or any other
    folder: the default data folder is the checkout's, and ``output_dir`` is made at the start."""

    def test_report_from_the_repository_root_into_a_new_output_folder(self, tmp_path):
        output = tmp_path / "out.ipynb"
        folder = tmp_path / "new" / "indicators"
        result = _papermill(
            "notebooks/quarterly_report.ipynb",
            str(output),
            "-p",
            "quarter",
            "2024Q1",
            "-p",
            "output_dir",
            str(folder),
            cwd=ROOT,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        outputs = [o for cell in _outputs(output) for o in cell]
        assert not [o for o in outputs if o["output_type"] == "error"]
        html = "".join(
            "".join(o["data"]["text/html"]) for o in outputs if "text/html" in o.get("data", {})
        )
        assert "Laporan Kinerja Program JKN" in html
        indicators = json.loads((folder / "indicators.json").read_text(encoding="utf-8"))
        assert indicators["period"] == "2024Q1"
        assert not (ROOT / "indicators.json").exists()

    def test_projection_from_another_folder(self, tmp_path):
        output = tmp_path / "projection.ipynb"
        folder = tmp_path / "projection"
        result = _papermill(
            str(ROOT / "notebooks" / "djs_projection.ipynb"),
            str(output),
            "-p",
            "output_dir",
            str(folder),
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        assert json.loads((folder / "projection.json").read_text(encoding="utf-8"))

    @pytest.mark.parametrize("notebook", ["quarterly_report.ipynb", "djs_projection.ipynb"])
    def test_an_unusable_output_folder_is_refused_in_the_first_cell(self, tmp_path, notebook):
        occupied = tmp_path / "occupied"
        occupied.write_text("the analyst's file", encoding="utf-8")
        output = tmp_path / "out.ipynb"
        result = _papermill(
            f"notebooks/{notebook}", str(output), "-p", "output_dir", str(occupied), cwd=ROOT
        )
        assert result.returncode != 0
        assert f"output_dir {occupied} adalah berkas, bukan folder" in result.stderr
        # The error is raised by the first call, before any section or projection ran.
        code = [c for c in _cells(output) if c["cell_type"] == "code"]
        failed = [c for c in code if any(o["output_type"] == "error" for o in c["outputs"])]
        assert len(failed) == 1
        assert any(call in _source(failed[0]) for call in ("QuarterlyReport(", "explore("))
        later = code[code.index(failed[0]) + 1 :]
        assert later and all(c["execution_count"] is None for c in later)
        assert occupied.read_text(encoding="utf-8") == "the analyst's file"


# The calls whose output the report publishes; the build keeps only cells tagged "report".
PUBLISHED_CALLS = (
    "report.cover()",
    "report.contents()",
    "report.executive_summary()",
    "report.participation()",
    "report.facilities()",
    "report.finance()",
    "report.appendix()",
    "report.write_indicators(output_dir)",
)


def test_published_cells_are_tagged_report_and_only_they():
    cells = _cells(ROOT / "notebooks" / "quarterly_report.ipynb")
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    tagged = [_source(c).strip() for c in code if "report" in c["metadata"].get("tags", [])]
    assert tagged == list(PUBLISHED_CALLS)
    # The cells for the analyst (tables as DataFrames) follow their section, untagged.
    inspecting = [c for c in code if c.get("id", "").startswith("inspect-")]
    assert inspecting and all("tags" not in c["metadata"] for c in inspecting)
    assert all("report.analysis" in _source(c) for c in inspecting)
