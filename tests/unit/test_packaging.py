"""What the wheel carries, read from pyproject.toml without building it (the slow install test
builds and installs it): every package of the source tree and every file the code reads."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]


def _source_dir(package: str) -> Path:
    mapped = SETTINGS.get("package-dir", {})
    if package in mapped:
        return ROOT / mapped[package]
    return ROOT / package.replace(".", "/")


def test_every_package_is_listed():
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "jkn_analysis").rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    listed = set(SETTINGS["packages"])
    assert on_disk <= listed, f"packages missing from pyproject.toml: {sorted(on_disk - listed)}"
    assert all(_source_dir(package).is_dir() for package in listed)


def _shipped(package: str, path: Path) -> bool:
    """As setuptools reads package-data: glob patterns (``*`` stays within a folder)."""
    folder = _source_dir(package)
    patterns = SETTINGS["package-data"].get(package, [])
    return any(path in set(folder.glob(pattern)) for pattern in patterns)


def test_every_data_file_is_shipped():
    """YAML, templates, stylesheets: each file under a package that is not Python code is
    matched by that package's package-data globs (the nearest listed package holds it)."""
    packages = sorted(SETTINGS["packages"], key=len, reverse=True)
    missing = []
    for path in sorted((ROOT / "jkn_analysis").rglob("*")):
        if path.is_dir() or path.suffix in {".py", ".pyc"} or "__pycache__" in path.parts:
            continue
        owner = next(
            package
            for package in packages
            if _source_dir(package) in path.parents and not _source_dir(package).samefile(ROOT)
        )
        if not _shipped(owner, path):
            missing.append(str(path.relative_to(ROOT)))
    assert not missing, f"files the wheel would leave out: {missing}"


def test_the_notebooks_are_shipped():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    assert all(_shipped("jkn_analysis.notebooks", path) for path in notebooks)
