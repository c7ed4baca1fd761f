"""The pack as installed: `jkn-report` alone and `--version`, the lock of every resolved
dependency, and a wheel built, installed into a fresh environment and run from another folder.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]
# The console command of the environment running the tests (.venv/bin/jkn-report).
COMMAND = Path(sys.executable).with_name("jkn-report")


def _run(command: list[str], **options) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=600, **options)


class TestCommandLine:
    def test_alone_it_prints_its_help(self, tmp_path):
        result = _run([str(COMMAND)], cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("usage: jkn-report")
        for command in ("new-quarter", "validate", "review", "projection", "build"):
            assert command in result.stdout
        assert "'jkn-report COMMAND --help' lists the options" in " ".join(result.stdout.split())
        assert result.stderr == ""
        assert list(tmp_path.iterdir()) == []

    def test_version(self, tmp_path):
        result = _run([str(COMMAND), "--version"], cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"jkn-report {VERSION}\n"


def _lock() -> list[Requirement]:
    lines = LOCK.read_text(encoding="utf-8").splitlines()
    return [Requirement(line) for line in lines if line.strip() and line[0] not in "# "]


def _applicable() -> dict[str, str]:
    """Name and locked version of every package the lock gives this Python and platform."""
    locked = {}
    for requirement in _lock():
        if requirement.marker is None or requirement.marker.evaluate():
            (specifier,) = requirement.specifier
            assert specifier.operator == "==", requirement
            locked[requirement.name] = specifier.version
    return locked


class TestLock:
    def test_every_direct_pin_is_locked_at_its_version(self):
        direct = PYPROJECT["project"]["dependencies"] + [
            pin for pins in PYPROJECT["project"]["optional-dependencies"].values() for pin in pins
        ]
        locked = _applicable()
        for pin in map(Requirement, direct):
            (specifier,) = pin.specifier
            assert locked.get(pin.name) == specifier.version, pin

    def test_one_version_per_package_on_this_python_and_platform(self):
        names = [r.name for r in _lock() if r.marker is None or r.marker.evaluate()]
        assert len(names) == len(set(names))

    def test_this_environment_is_the_locked_one(self):
        """Every locked package installed at its locked version: `./tasks` installs the lock as
        constraints, so a drifted environment (or lock) shows here."""
        drift = {}
        for name, version in _applicable().items():
            try:
                installed = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                installed = None
            if installed != version:
                drift[name] = (version, installed)
        assert drift == {}, "locked vs installed; run ./tasks install"

    def test_conda_installs_from_the_same_lock(self):
        environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
        (pip,) = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict)]
        assert pip[0] == f"-c {LOCK.name}"
        assert any(line.startswith("-e ") for line in pip)


def _copy_source(target: Path) -> Path:
    """The project as a clone has it (no environment, reports, caches or build leftovers)."""
    anywhere = shutil.ignore_patterns("*.egg-info", "__pycache__", ".*_cache", ".hypothesis")
    # Only at the top: jkn_analysis/build is the package's build stage, not a build leftover.
    top_level = {".git", ".venv", "reports", "build", "dist"}

    def ignore(folder: str, names: list[str]) -> set[str]:
        ignored = anywhere(folder, names)
        return ignored | (top_level & set(names)) if Path(folder) == ROOT else ignored

    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def _clean_environment(**extra: str) -> dict[str, str]:
    """The user's environment without anything pointing at this checkout or its venv."""
    drop = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSAFEPATH"}
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **extra}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = _copy_source(tmp_path_factory.mktemp("clone") / "jkn-report")
    out = tmp_path_factory.mktemp("wheel")
    result = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", str(source), "-w", str(out)],
        env=_clean_environment(),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (built,) = out.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel and the locked dependencies (pip's cache
    is reused; nothing from this checkout or its environment is visible)."""
    try:
        import ensurepip  # noqa: F401
    except ImportError:
        pytest.skip("this Python has no ensurepip, so no virtual environment can be made")
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    environment = _clean_environment()
    result = _run([sys.executable, "-m", "venv", str(venv)], env=environment)
    assert result.returncode == 0, result.stderr
    # --no-compile: byte-compiling all of JupyterLab and friends would take longer than the
    # build itself; the modules a build imports are compiled when first imported.
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile"]
    result = subprocess.run(
        [*pip, "--constraint", str(LOCK), str(wheel)],
        capture_output=True,
        text=True,
        timeout=1800,
        env=environment,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return venv


@pytest.mark.slow
class TestWheel:
    def test_carries_the_notebooks_and_everything_the_build_reads(self, wheel):
        names = set(zipfile.ZipFile(wheel).namelist())
        for notebook in (ROOT / "notebooks").glob("*.ipynb"):
            assert f"jkn_analysis/notebooks/{notebook.name}" in names
        package = ROOT / "jkn_analysis"
        files = {
            path.relative_to(ROOT).as_posix()
            for path in package.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        }
        assert files - names == set()

    def test_installed_from_another_folder(self, installed, tmp_path):
        """`jkn-report` and `jkn-report build 2024Q1 --data DIR --out DIR` from a folder that
        is not the checkout, the package imported from the environment; a decoy "python3"
        kernel in the user's Jupyter path must not be the one that runs the notebook."""
        work = tmp_path / "analyst"
        shutil.copytree(ROOT / "data", work / "figures")
        decoy = tmp_path / "jupyter" / "kernels" / "python3"
        decoy.mkdir(parents=True)
        (decoy / "kernel.json").write_text(
            json.dumps(
                {
                    "argv": [
                        "/nonexistent/python",
                        "-m",
                        "ipykernel_launcher",
                        "-f",
                        "{connection_file}",
                    ],
                    "display_name": "another Python",
                    "language": "python",
                }
            ),
            encoding="utf-8",
        )
        environment = _clean_environment(JUPYTER_PATH=str(tmp_path / "jupyter"))
        command = str(installed / "bin" / "jkn-report")

        where = _run(
            [
                str(installed / "bin" / "python"),
                "-c",
                "import jkn_analysis; print(jkn_analysis.__file__)",
            ],
            cwd=work,
            env=environment,
        )
        assert Path(where.stdout.strip()).is_relative_to(installed), where.stderr

        alone = _run([command], cwd=work, env=environment)
        assert alone.returncode == 0 and alone.stdout.startswith("usage: jkn-report")
        version = _run([command, "--version"], cwd=work, env=environment)
        assert version.stdout == f"jkn-report {VERSION}\n"

        build = _run(
            [command, "build", "2024Q1", "--data", "figures", "--out", "reports"],
            cwd=work,
            env=environment,
        )
        assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-3000:]
        folder = work / "reports" / "2024Q1"
        for suffix in ("html", "pdf"):
            assert (folder / f"laporan-kinerja-jkn-2024Q1.id.{suffix}").stat().st_size > 10_000
        html = (folder / "laporan-kinerja-jkn-2024Q1.id.html").read_text(encoding="utf-8")
        assert "Laporan Kinerja Program JKN" in html
        indicators = json.loads((folder / "indicators.json").read_text(encoding="utf-8"))
        assert indicators["period"] == "2024Q1" and indicators["indicators"]

        projection = _run(
            [command, "projection", "2024Q1", "--data", "figures", "--out", "reports"],
            cwd=work,
            env=environment,
        )
        assert projection.returncode == 0, projection.stderr[-3000:]
        assert (work / "reports" / "projections" / "proyeksi-djs-2024Q1.id.html").is_file()
