"""Tests of the chart cache (`jkn_analysis.report.charts.cache`): an equal chart is taken from
the cache folder without drawing, giving the same HTML; anything that changes the chart draws
it again; a damaged entry or a folder that cannot be written never fails a render."""

from __future__ import annotations

import datetime
import json
import os
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.figure
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from jkn_analysis.report import charts
from jkn_analysis.report.charts import ChartCache, ChartRequest
from jkn_analysis.report.charts.cache import (
    CHARTS_FOLDER,
    ENTRY_PATTERN,
    argument_text,
    code_salt,
    salt_of,
)
from jkn_analysis.report.charts.frames import frame_from_record, frame_record
from jkn_analysis.report.quarterly import QuarterlyReport

FRAME = pd.DataFrame({"period": ["TW IV 2023", "TW I 2024"], "value": [98.2, 112.2]})


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def figures_made(monkeypatch) -> list:
    """Every matplotlib figure made while the test runs (a drawn chart makes one)."""
    made = []
    original = matplotlib.figure.Figure.__init__

    def counting(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "__init__", counting)
    return made


def request(frame: pd.DataFrame = FRAME, **options) -> ChartRequest:
    return ChartRequest(charts.claim_ratio_chart, frame, **{"language": "id", **options})


def entries(folder: Path) -> list[Path]:
    return sorted(path for path in folder.iterdir() if ENTRY_PATTERN.fullmatch(path.name))


@pytest.fixture(scope="module")
def report():
    return QuarterlyReport("2024Q1", language="en")


class TestReport:
    def test_a_second_render_takes_every_chart_from_the_folder(
        self, report, tmp_path, figures_made
    ):
        report.chart_cache = ChartCache(None)
        uncached = report.finance().html
        drawn = len(figures_made)
        assert drawn >= 4  # claim ratio, flows, months covered, investment, projection
        report.chart_cache = ChartCache(tmp_path)
        first = report.finance().html
        assert len(figures_made) == 2 * drawn and len(entries(tmp_path)) == drawn
        report.chart_cache = ChartCache(tmp_path)  # a new build: nothing in memory
        again = report.finance().html
        assert len(figures_made) == 2 * drawn  # nothing drawn
        assert (report.chart_cache.drawn, report.chart_cache.reused) == (0, drawn)
        assert again == first == uncached

    def test_axes_drawn_by_the_caller_are_still_numbered(self, report, tmp_path):
        html = report.numbered_chart(
            charts.claim_ratio_chart(FRAME, language="en"), "1", "caption_claim_ratio_chart"
        )
        cached = report.numbered_chart(request(language="en"), "1", "caption_claim_ratio_chart")
        assert html == cached


class TestWhatIsDrawnAgain:
    def test_equal_requests_reuse_changed_data_or_options_draw(self, tmp_path, figures_made):
        cache = ChartCache(tmp_path)
        first = cache.chart(request())
        assert (cache.drawn, cache.reused, len(figures_made)) == (1, 0, 1)
        again = cache.chart(request(FRAME.copy()))
        assert (cache.drawn, cache.reused, len(figures_made)) == (1, 1, 1)
        assert again.svg == first.svg
        pd.testing.assert_frame_equal(again.data, first.data, check_exact=True)
        assert (again.ylabel, again.xlabel) == (first.ylabel, first.xlabel)
        changed = cache.chart(request(FRAME.assign(value=[98.2, 101.0])))
        assert changed.svg != first.svg
        english = cache.chart(request(language="en"))
        labelled = cache.chart(request(value_label="Rasio"))
        assert labelled.ylabel == "Rasio" and english.svg != labelled.svg
        assert (cache.drawn, cache.reused, len(entries(tmp_path))) == (4, 1, 4)

    def test_arguments_without_a_stable_text_are_drawn_every_time(self, tmp_path):
        cache = ChartCache(tmp_path)
        for _ in range(2):
            _, ax = plt.subplots()
            cache.chart(request(ax=ax))
        assert (cache.drawn, cache.reused, entries(tmp_path)) == (2, 0, [])

    def test_functions_not_of_the_package_are_drawn_every_time(self, tmp_path):
        def claim_ratio_chart(data, **options):  # the name of one, not its code
            return charts.claim_ratio_chart(data, **options)

        cache = ChartCache(tmp_path)
        for _ in range(2):
            cache.chart(ChartRequest(claim_ratio_chart, FRAME, language="id"))
        assert (cache.drawn, cache.reused, entries(tmp_path)) == (2, 0, [])

    def test_argument_texts(self):
        assert argument_text(pd.Series([1.23456789])) is None  # its repr rounds
        assert argument_text(object()) is None
        assert argument_text(("a", 1.5, None)) == "('a', 1.5, None)"
        as_text = pd.DataFrame({"as_of": ["2024-06-30"]}, dtype=object)
        as_date = pd.DataFrame({"as_of": [datetime.date(2024, 6, 30)]})
        assert argument_text(as_text) != argument_text(as_date)  # equal CSV, other data
        assert argument_text(FRAME) != argument_text(FRAME.iloc[::-1].reset_index(drop=True))
        assert argument_text(FRAME.iloc[1:]) is not None
        assert argument_text(FRAME.set_index("period")) is None

    def test_the_salt_changes_with_the_charts_source(self, tmp_path):
        copy = tmp_path / "charts"
        shutil.copytree(CHARTS_FOLDER, copy, ignore=shutil.ignore_patterns("__pycache__"))
        assert salt_of(copy) == salt_of(CHARTS_FOLDER) == code_salt()
        style = copy / "style.py"
        style.write_text(style.read_text("utf-8") + "\n# another look\n", encoding="utf-8")
        assert salt_of(copy) != code_salt()


class TestDamageAndFolders:
    def test_a_corrupt_entry_is_drawn_again_and_rewritten(self, tmp_path, figures_made):
        first = ChartCache(tmp_path).chart(request())
        (entry,) = entries(tmp_path)
        whole = entry.read_text("utf-8")
        damages = [
            whole[: len(whole) // 2],  # truncated
            "\x00\xff not json",
            whole.replace("<svg", "<svx", 1),  # another SVG than its checksum
            json.dumps({**json.loads(whole), "data": {"index": [0, 2, 1]}}),
        ]
        for damaged in damages:
            entry.write_text(damaged, encoding="utf-8")
            cache = ChartCache(tmp_path)
            assert cache.chart(request()).svg == first.svg
            assert (cache.drawn, cache.reused) == (1, 0)
            assert entry.read_text("utf-8") == whole  # rewritten
        entry.write_bytes(b"\xff\xfe\x00")  # not UTF-8
        assert ChartCache(tmp_path).chart(request()).svg == first.svg

    def test_an_unwritable_folder_still_renders(self, tmp_path):
        blocked = tmp_path / "a-file"
        blocked.write_text("not a folder", encoding="utf-8")
        for folder in (blocked, blocked / "charts"):
            cache = ChartCache(folder)
            assert cache.chart(request()).svg.startswith("<svg")
            assert cache.chart(request()).svg.startswith("<svg")
            assert (cache.drawn, cache.reused) == (2, 0)
        assert list(tmp_path.iterdir()) == [blocked]

    def test_a_missing_folder_is_made(self, tmp_path):
        cache = ChartCache(tmp_path / "new" / "charts")
        cache.chart(request())
        assert len(entries(tmp_path / "new" / "charts")) == 1

    def test_off_draws_every_time(self, monkeypatch, figures_made):
        for value in ("off", "", "OFF"):
            monkeypatch.setenv("JKN_REPORT_CACHE", value)
            cache = ChartCache.from_environment()
            assert cache.folder is None
            cache.chart(request())
            cache.chart(request())
            assert (cache.drawn, cache.reused) == (2, 0)
        assert len(figures_made) == 6

    def test_the_folder_is_the_packs_cache_folder_for_charts(self, tmp_path, monkeypatch):
        monkeypatch.setenv("JKN_REPORT_CACHE", str(tmp_path))
        assert ChartCache.from_environment().folder == tmp_path / "charts"

    def test_only_the_most_recently_used_entries_are_kept(self, tmp_path):
        foreign = [tmp_path / "notes.txt", tmp_path / "jkn-chart-mine.json"]
        for path in foreign:
            path.write_text("the user's", encoding="utf-8")
        cache = ChartCache(tmp_path, max_entries=2)
        first, second, third = (request(FRAME.assign(value=[1.0, v])) for v in (2.0, 3.0, 4.0))
        cache.chart(first)
        (first_entry,) = entries(tmp_path)
        cache.chart(second)
        (second_entry,) = set(entries(tmp_path)) - {first_entry}
        os.utime(first_entry, ns=(10**18, 10**18))  # the first written long ago ...
        os.utime(second_entry, ns=(15 * 10**17, 15 * 10**17))
        ChartCache(tmp_path, max_entries=2).chart(first)  # ... and read now: kept
        cache.chart(third)
        kept = entries(tmp_path)
        assert len(kept) == 2 and first_entry in kept and second_entry not in kept
        assert all(path.read_text("utf-8") == "the user's" for path in foreign)

    def test_memory_only(self, figures_made):
        cache = ChartCache(None, memory_entries=4)
        first = cache.chart(request())
        assert cache.chart(request()).svg == first.svg
        assert (cache.drawn, cache.reused, len(figures_made)) == (1, 1, 1)


class TestFrames:
    def test_the_data_charts_keep_reads_back_exactly(self):
        frame = pd.DataFrame(
            {
                "period": ["TW I 2024", "TW II 2024", "TW III 2024"],
                "date": pd.to_datetime(["2024-03-31", "2024-06-30", "NaT"]).astype("datetime64[s]"),
                "value": [1.1, float("nan"), -0.0],
                "estimated": [True, False, True],
                "count": [1, 2, 3],
                "as_of": pd.Series([datetime.date(2024, 6, 30), None, "text"], dtype=object),
            }
        ).iloc[1:]
        record = json.loads(json.dumps(frame_record(frame)))
        pd.testing.assert_frame_equal(frame_from_record(record), frame, check_exact=True)

    def test_what_cannot_be_kept_exactly_is_not_kept(self):
        assert frame_record(FRAME.set_index("period")) is None
        assert frame_record(FRAME.assign(period=pd.Categorical(FRAME["period"]))) is None
        assert frame_record(FRAME.assign(thing=[object(), object()])) is None
