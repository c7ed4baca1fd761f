"""Shared fixtures: the 2024 Q1 report built once per test session, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from jkn_analysis.build.quarter import build_quarter
from jkn_analysis.catalogue.periods import Quarter

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The folder of the 2024Q1 report built from the shipped data (id and en)."""
    out = tmp_path_factory.mktemp("reports")
    result = build_quarter(
        Quarter(2024, 1), languages=("id", "en"), data_dir=ROOT / "data", out_dir=out
    )
    return result.folder
