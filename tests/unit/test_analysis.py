"""The period's analysis (`jkn_analysis.analysis.period`): made once per set of input files,
shared by both editions, in no language."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from jkn_analysis.analysis.period import PeriodAnalysis, analyse, forget_analyses
from jkn_analysis.catalogue.periods import Quarter

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the shipped data, up to 2024 Q1, that a test may edit."""
    folder = tmp_path / "data"
    for period in (ROOT / "data").iterdir():
        if period.is_dir() and period.name <= "2024Q1":
            shutil.copytree(period, folder / period.name)
    return folder


def test_the_same_inputs_give_the_same_analysis(data):
    first = analyse("2024Q1", data)
    assert isinstance(first, PeriodAnalysis)
    assert analyse(Quarter(2024, 1), str(data)) is first
    assert first.quarter == Quarter(2024, 1)
    assert first.indicators is first.history[first.quarter]
    assert first.triggered, "the shipped 2024 Q1 triggers rules"


def test_both_editions_share_one_analysis(data):
    from jkn_analysis.report.quarterly import QuarterlyReport

    indonesian = QuarterlyReport("2024Q1", language="id", data_dir=data)
    english = QuarterlyReport("2024Q1", language="en", data_dir=data)
    assert indonesian.analysis is english.analysis
    assert indonesian.figures is english.figures


def test_an_edited_file_gives_a_fresh_analysis(data):
    first = analyse("2024Q1", data)
    review = data / "2024Q1" / "review.yaml"
    review.write_text("# the analyst has not decided yet\n", encoding="utf-8")
    second = analyse("2024Q1", data)
    assert second is not first
    assert analyse("2024Q1", data) is second
    # A figures file rewritten with a later time stamp is read again as well.
    figures = sorted((data / "2024Q1").glob("*.csv"))[0]
    stamp = figures.stat().st_mtime_ns + 1_000_000_000
    os.utime(figures, ns=(stamp, stamp))
    assert analyse("2024Q1", data) is not second


def test_another_period_or_folder_is_another_analysis(data, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(data, other)
    assert analyse("2024Q1", data) is not analyse("2024Q1", other)
    assert analyse("2023Q4", data) is not analyse("2024Q1", data)


def test_nothing_is_kept_of_a_failure(tmp_path):
    with pytest.raises(FileNotFoundError):
        analyse("2024Q1", tmp_path)


def test_forget_analyses(data):
    first = analyse("2024Q1", data)
    forget_analyses()
    assert analyse("2024Q1", data) is not first


def test_a_relative_folder_is_the_same_analysis(data, monkeypatch):
    first = analyse("2024Q1", data)
    monkeypatch.chdir(data.parent)
    assert analyse("2024Q1", "data") is first
    assert first.data_dir.is_absolute()
