"""The notebooks: committed clean, thin, with a papermill parameters cell, and runnable as
JupyterLab would run them (their default parameters, from the notebooks folder)."""

from __future__ import annotations

import ast
import json
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
