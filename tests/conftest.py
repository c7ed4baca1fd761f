"""Shared fixtures: the 2024 Q1 report built once per test session, in both languages.

The pack's cache (the chart SVGs of `jkn_analysis.report.charts.cache`, the readiness of
`jkn_analysis.build.readiness`) of every test, and of the notebook kernels and commands the
tests start (they inherit the environment), is a folder of this session's, never ``~/.cache``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from jkn_analysis.build.quarter import build_quarter
from jkn_analysis.catalogue.periods import Quarter

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config):
    """Keep the pack's cache (`jkn_analysis.inputs.paths.cache_folder`) in a folder of this run,
    not in the user's home: the builds and the notebook kernels they start inherit it."""
    config._jkn_cache = tempfile.mkdtemp(prefix="jkn-test-cache-")
    config._jkn_previous_cache = os.environ.get("JKN_REPORT_CACHE")
    os.environ["JKN_REPORT_CACHE"] = config._jkn_cache


def pytest_unconfigure(config):
    folder = getattr(config, "_jkn_cache", None)
    if folder:
        previous = config._jkn_previous_cache
        if previous is None:
            os.environ.pop("JKN_REPORT_CACHE", None)
        else:
            os.environ["JKN_REPORT_CACHE"] = previous
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The folder of the 2024Q1 report built from the shipped data (id and en)."""
    out = tmp_path_factory.mktemp("reports")
    result = build_quarter(
        Quarter(2024, 1), languages=("id", "en"), data_dir=ROOT / "data", out_dir=out
    )
    return result.folder
