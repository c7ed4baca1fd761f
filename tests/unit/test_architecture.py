"""The package's structure: stages that import one way, no import cycles, parts of readable size.

Each subpackage of ``jkn_analysis`` says in its docstring what it may import (a ``May import:``
line naming earlier stages). These tests read those lines and every import of the code (also
those inside functions, which are imports all the same) and hold one to the other.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "jkn_analysis"
# The order of the flow; the CLI sits on top of everything.
STAGES = (
    "catalogue",
    "inputs",
    "indicators",
    "recommendations",
    "projection",
    "analysis",
    "report",
    "build",
)
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 400
MAX_FUNCTION_LINES = 120


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path, module: str) -> set[str]:
    """Every module of the pack that ``module`` imports, anywhere in its code."""
    found = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            # `from jkn_analysis.report import charts` imports the module charts
            found |= {f"{prefix}.{alias.name}" for alias in node.names}
    modules = _modules()
    return {name for name in found if name in modules and name != module}


def _stage(module: str) -> str:
    """The stage a module belongs to: a subpackage's name, ``cli``, or ``jkn_analysis`` (the
    package's face, holding only the version)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _declared(stage: str) -> set[str]:
    docstring = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text("utf-8")))
    match = re.search(r"^May import: (.+?)\.$", docstring or "", re.M)
    assert match, f"jkn_analysis/{stage}/__init__.py: the docstring has no 'May import: …' line"
    names = match.group(1)
    return set() if names.startswith("nothing") else {n.strip() for n in names.split(",")}


GRAPH = {module: _imports(path, module) for module, path in _modules().items()}


def test_the_stages_are_the_packages():
    packages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert packages == set(STAGES)
    top_level = {path.stem for path in PACKAGE.glob("*.py")}
    assert top_level == {"__init__", "cli"}, "modules belong in a stage's package"


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_declares_only_earlier_stages(stage):
    declared = _declared(stage)
    assert declared <= set(STAGES[: STAGES.index(stage)]), declared


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_imports_only_what_its_docstring_allows(stage):
    allowed = _declared(stage) | {stage, "jkn_analysis"}
    wrong = sorted(
        f"{module} imports {imported}"
        for module, imported_modules in GRAPH.items()
        if _stage(module) == stage
        for imported in imported_modules
        if _stage(imported) not in allowed
    )
    assert not wrong, "\n".join(wrong)


def test_the_package_face_imports_no_stage():
    assert GRAPH["jkn_analysis"] == set()


def test_no_import_cycle():
    """Depth-first search for a back edge in the module graph."""
    state: dict[str, str] = {}
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for imported in sorted(GRAPH[module]):
            if state.get(imported) == "open":
                cycles.append(" -> ".join([*trail[trail.index(imported) :], imported]))
            elif imported not in state:
                visit(imported, [*trail, imported])
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)


def test_the_checker_sees_an_upward_import(tmp_path, monkeypatch):
    """The import reader itself: a catalogue module importing the report is caught."""
    source = tmp_path / "jkn_analysis" / "catalogue" / "wrong.py"
    source.parent.mkdir(parents=True)
    source.write_text(
        "def f():\n    from jkn_analysis.report import charts\n    from . import periods\n"
    )
    monkeypatch.setattr(
        sys.modules[__name__],
        "_modules",
        lambda: {
            "jkn_analysis.report.charts": Path(),
            "jkn_analysis.catalogue.periods": Path(),
            "jkn_analysis.catalogue.wrong": source,
        },
    )
    found = _imports(source, "jkn_analysis.catalogue.wrong")
    assert found == {"jkn_analysis.report.charts", "jkn_analysis.catalogue.periods"}
    assert _stage("jkn_analysis.report.charts") not in _declared("catalogue")


def _sizes():
    for module, path in _modules().items():
        lines = path.read_text("utf-8").count("\n")
        yield "module", module, lines, MAX_MODULE_LINES
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef):
                yield "class", f"{module}.{node.name}", _length(node), MAX_CLASS_LINES
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield "function", f"{module}.{node.name}", _length(node), MAX_FUNCTION_LINES


def _length(node: ast.AST) -> int:
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return node.end_lineno - first + 1


def test_parts_are_of_readable_size():
    too_long = [
        f"{kind} {name}: {lines} lines (at most {limit})"
        for kind, name, lines, limit in _sizes()
        if lines > limit
    ]
    assert not too_long, "\n".join(too_long)
