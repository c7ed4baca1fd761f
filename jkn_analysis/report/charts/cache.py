"""Chart SVGs kept on disk by what draws them, so that an equal chart is never drawn twice.

The chart functions are pure (equal data and options draw the same chart) and `chart_to_svg`
is byte-identical for equal charts, so a chart is known by its key: a sha256 of the chart
function's name, the exact text of its arguments (`argument_text`) and a salt of everything
else that shapes the SVG (`code_salt`: this package's source, the number formatting, the
versions of the libraries that draw and format, the font files matplotlib resolves). A
`ChartRequest` names a chart without drawing it; `ChartCache.chart` gives its `DrawnChart` (the
SVG and what the report reads of the drawn chart: its data and axis titles), drawn only when
no equal chart was drawn before.

The cache folder is ``charts`` in the pack's cache folder
(`jkn_analysis.inputs.paths.cache_folder`: ``$JKN_REPORT_CACHE``, else
``$XDG_CACHE_HOME/jkn-report``, else ``~/.cache/jkn-report``; ``JKN_REPORT_CACHE`` empty or
``off`` turns the cache off). One JSON file an entry (`ENTRY_PATTERN`; no pickle), written
atomically, touched when read and pruned to the `MAX_ENTRIES` most recently used. A damaged
entry is drawn again and rewritten; a folder that cannot be made or written never fails a
build, the chart is drawn.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import os
import platform
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes

from jkn_analysis.inputs.memo import write_whole
from jkn_analysis.inputs.paths import cache_folder
from jkn_analysis.report.charts.frames import frame_from_record, frame_record

# An entry's format: a change of it makes every older entry a miss.
ENTRY_FORMAT = 1
ENTRY_PATTERN = re.compile(r"jkn-chart-([0-9a-f]{64})\.json")
# What a build killed while writing leaves behind; removed once it is this old.
TEMPORARY_PATTERN = re.compile(r"\.jkn-chart-[0-9a-f]{64}\.[A-Za-z0-9_]+\.tmp")
STALE_TEMPORARY_SECONDS = 3600
# About 20 builds of charts of distinct data (11 charts a language), some 40 MB of SVG.
MAX_ENTRIES = 400
CHARTS_FOLDER = Path(__file__).resolve().parent
CHARTS_PACKAGE = __name__.rpartition(".")[0]
# Outside this package, what writes the numbers on a chart: the formatting code and its words.
CATALOGUE_FOLDER = CHARTS_FOLDER.parents[1] / "catalogue"
SALT_SOURCES = ("formatting.py", "numbers.py", "messages/formatting.yaml")


class ChartRequest:
    """A chart to draw: a chart function of this package, its data and its options.

    Parameters
    ----------
    chart : callable
        A chart function (data first, keyword-only options, returns the Axes).
    data : pandas.DataFrame
        The tidy frame the chart draws.
    **options
        The chart's keyword options.

    Examples
    --------
    >>> request = ChartRequest(trend_chart, frame, language="en", unit="percent")
    >>> ax = request.draw()  # the same as trend_chart(frame, language="en", unit="percent")
    """

    __slots__ = ("chart", "data", "options")

    def __init__(self, chart: Callable[..., Axes], data: object, /, **options: object):
        self.chart = chart
        self.data = data
        self.options = options

    def draw(self) -> Axes:
        """Draw the chart: call the chart function."""
        return self.chart(self.data, **self.options)

    def key_text(self) -> str | None:
        """The chart function's name and its arguments' exact text; ``None`` (the chart is then
        drawn every time) when an argument has no stable text or the function is not one of
        this package's, whose source is in the salt (`code_salt`)."""
        name = _package_chart_name(self.chart)
        parts = [name, argument_text(self.data)]
        for keyword, value in sorted(self.options.items()):
            parts += [keyword, argument_text(value)]
        return None if any(part is None for part in parts) else "\0".join(parts)


@dataclass(frozen=True)
class DrawnChart:
    """A drawn chart as the report uses it: its SVG, the data it was drawn from
    (``figure.jkn_data``, ``None`` when it keeps none) and its y and x axis titles."""

    svg: str
    data: pd.DataFrame | None
    ylabel: str
    xlabel: str

    @classmethod
    def from_axes(cls, ax: Axes) -> DrawnChart:
        """The facts of a drawn chart, then its SVG (which closes the figure)."""
        from jkn_analysis.report.charts.svg import chart_to_svg

        data = getattr(ax.get_figure(root=True), "jkn_data", None)
        ylabel, xlabel = ax.get_ylabel(), ax.get_xlabel()
        return cls(chart_to_svg(ax), data, ylabel, xlabel)


def _package_chart_name(chart: Callable) -> str | None:
    """A chart function's name as the package exports it, ``None`` for any other function (a
    notebook's own, whose code is not in the salt, even when it bears a chart's name)."""
    name = getattr(chart, "__name__", "")
    code = getattr(inspect.unwrap(chart), "__code__", None)
    if (
        getattr(chart, "__module__", None) != CHARTS_PACKAGE
        or not name.endswith("_chart")
        or code is None
        or Path(code.co_filename).resolve().parent != CHARTS_FOLDER
    ):
        return None
    return f"{CHARTS_PACKAGE}.{name}"


def argument_text(value: object) -> str | None:
    """A chart argument as exact text for a cache key; ``None`` when it has no stable text.

    Frames as the record the cache keeps of a chart's data (`frame_record`: every value with
    its dtype, each value of an ``object`` column with its type, the index), exact by
    construction; numbers, text, ``None`` and tuples, lists and dicts of them by their
    ``repr``, which is exact for them. Anything else (axes, arrays and series, whose ``repr``
    rounds and shortens, frames `frame_record` cannot keep) has no stable text.
    """
    if isinstance(value, pd.DataFrame):
        record = frame_record(value)
        return None if record is None else f"DataFrame {json.dumps(record, sort_keys=True)}"
    return repr(value) if _plain(value) else None


def _plain(value: object) -> bool:
    """Whether ``repr(value)`` is exact: numbers, text, ``None`` and containers of them."""
    if value is None or type(value) in (str, bool, int, float):
        return True
    if type(value) in (tuple, list):
        return all(_plain(item) for item in value)
    if type(value) is dict:
        return all(_plain(key) and _plain(item) for key, item in value.items())
    return False


@cache
def code_salt() -> str:
    """`salt_of` this package, once a process (the code does not change while it runs)."""
    return salt_of(CHARTS_FOLDER)


def salt_of(folder: Path) -> str:
    """A sha256 of what shapes a chart's SVG besides its arguments.

    The source of every module of ``folder`` (this package) and of the catalogue's number
    formatting with its words, the versions of Python, matplotlib, seaborn, pandas, numpy and
    Babel (its locale data formats the numbers), and the font
    files matplotlib resolves for the charts' font, with their sizes and times: the SVG keeps
    text as text, but where labels go is measured with the font.
    """
    import babel
    import matplotlib
    import numpy
    import seaborn
    from matplotlib import font_manager

    from jkn_analysis.report.charts.style import report_font

    digest = hashlib.sha256(f"format {ENTRY_FORMAT}\0".encode())
    sources = [*sorted(Path(folder).glob("*.py")), *(CATALOGUE_FOLDER / n for n in SALT_SOURCES)]
    for path in sources:
        digest.update(f"{path.name}\0".encode() + path.read_bytes() + b"\0")
    versions = (platform.python_version(), matplotlib, seaborn, pd, numpy, babel)
    for version in versions:
        digest.update(f"{getattr(version, '__version__', version)}\0".encode())
    for weight in ("normal", "bold"):
        properties = font_manager.FontProperties(family=report_font(), weight=weight)
        font = Path(font_manager.findfont(properties, fallback_to_default=True))
        with contextlib.suppress(OSError):
            stat = font.stat()
            digest.update(f"{font}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


class ChartCache:
    """Drawn charts by key, in a folder (``None``: none) and, optionally, in memory.

    Parameters
    ----------
    folder : Path or None
        Where entries are kept; created on the first write. ``None``: no disk cache.
    memory_entries : int
        How many charts to keep in memory as well, most recently used first (the preview keeps
        its last renders' charts there); 0: none.
    max_entries : int
        How many entries the folder keeps, the most recently used.

    Attributes
    ----------
    drawn, reused : int
        Charts drawn, and charts taken from the cache, since creation or `reset_counts`.
    """

    def __init__(
        self,
        folder: Path | None,
        *,
        memory_entries: int = 0,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self.folder = None if folder is None else Path(folder)
        self.memory_entries = memory_entries
        self.max_entries = max_entries
        self._memory: OrderedDict[str, DrawnChart] = OrderedDict()
        self.drawn = 0
        self.reused = 0

    @classmethod
    def from_environment(cls, **options) -> ChartCache:
        """A cache in the pack's cache folder for charts, with ``options``: ``charts`` in
        `jkn_analysis.inputs.paths.cache_folder` (``$JKN_REPORT_CACHE``, else the user's cache
        folder; none when ``JKN_REPORT_CACHE`` is empty or ``off``)."""
        return cls(cache_folder("charts"), **options)

    def reset_counts(self) -> None:
        """Count drawn and reused charts from zero again."""
        self.drawn = self.reused = 0

    def chart(self, request: ChartRequest) -> DrawnChart:
        """The request's chart: from memory or the folder when an equal one was drawn, else
        drawn (and kept)."""
        key = self.key(request)
        if key is not None:
            found = self._memory.get(key) or self._read(key)
            if found is not None:
                self.reused += 1
                self._remember(key, found)
                return _copied(found)
        drawn = DrawnChart.from_axes(request.draw())
        self.drawn += 1
        if key is not None:
            self._remember(key, drawn)
            self._write(key, drawn)
            drawn = _copied(drawn)
        return drawn

    def key(self, request: ChartRequest) -> str | None:
        """The request's key (a sha256, hex), ``None`` when it is not cached at all."""
        if self.folder is None and not self.memory_entries:
            return None
        text = request.key_text()
        if text is None:
            return None
        return hashlib.sha256(f"{code_salt()}\0{text}".encode()).hexdigest()

    def entry_path(self, key: str) -> Path | None:
        """The file of a key's entry (whether it exists or not); ``None`` without a folder."""
        return None if self.folder is None else self.folder / f"jkn-chart-{key}.json"

    # ------------------------------------------------------------------------ memory
    def _remember(self, key: str, drawn: DrawnChart) -> None:
        if not self.memory_entries:
            return
        self._memory[key] = drawn
        self._memory.move_to_end(key)
        while len(self._memory) > self.memory_entries:
            self._memory.popitem(last=False)

    # -------------------------------------------------------------------------- disk
    def _read(self, key: str) -> DrawnChart | None:
        """The entry of ``key``, ``None`` when missing, unreadable or damaged in any way."""
        path = self.entry_path(key)
        if path is None:
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            drawn = _entry_chart(entry, key)
        except (OSError, UnicodeError, ValueError, TypeError, KeyError, AttributeError):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept by the pruning
        return drawn

    def _write(self, key: str, drawn: DrawnChart) -> None:
        """Keep ``drawn`` as ``key``'s entry: whole or not at all, never failing the build."""
        path = self.entry_path(key)
        entry = _chart_entry(drawn, key)
        if path is None or entry is None:
            return
        text = json.dumps(entry, ensure_ascii=False, sort_keys=True)
        if write_whole(path, text, prefix=f".jkn-chart-{key}.", suffix=".tmp"):
            self._prune()

    def _prune(self) -> None:
        """Remove the least recently used entries beyond `max_entries`, and temporary files
        of killed builds; only files of the cache's own name patterns, in its own folder."""
        entries, now = [], time.time()
        try:
            with os.scandir(self.folder) as found:
                for item in found:
                    if not item.is_file(follow_symlinks=False):
                        continue
                    if ENTRY_PATTERN.fullmatch(item.name):
                        entries.append((item.stat().st_mtime_ns, item.name))
                    elif (
                        TEMPORARY_PATTERN.fullmatch(item.name)
                        and now - item.stat().st_mtime > STALE_TEMPORARY_SECONDS
                    ):
                        with contextlib.suppress(OSError):
                            os.unlink(item.path)
        except OSError:
            return
        entries.sort()
        for _, name in entries[: max(len(entries) - self.max_entries, 0)]:
            with contextlib.suppress(OSError):
                os.unlink(self.folder / name)


def _copied(drawn: DrawnChart) -> DrawnChart:
    """A chart whose data the caller may change without changing the cache's."""
    data = None if drawn.data is None else drawn.data.copy()
    return DrawnChart(drawn.svg, data, drawn.ylabel, drawn.xlabel)


def _chart_entry(drawn: DrawnChart, key: str) -> dict | None:
    """A drawn chart as a cache entry, ``None`` when its data cannot be kept exactly."""
    data = None
    if drawn.data is not None:
        if not isinstance(drawn.data, pd.DataFrame):
            return None
        data = frame_record(drawn.data)
        if data is None:
            return None
    return {
        "format": ENTRY_FORMAT,
        "key": key,
        "svg": drawn.svg,
        "svg_sha256": hashlib.sha256(drawn.svg.encode("utf-8")).hexdigest(),
        "data": data,
        "ylabel": drawn.ylabel,
        "xlabel": drawn.xlabel,
    }


def _entry_chart(entry: dict, key: str) -> DrawnChart:
    """The chart of a cache entry; raises ``ValueError`` (or another) for a damaged one."""
    svg = entry["svg"]
    if (
        entry["format"] != ENTRY_FORMAT
        or entry["key"] != key
        or not isinstance(svg, str)
        or not svg.startswith("<svg")
        or hashlib.sha256(svg.encode("utf-8")).hexdigest() != entry["svg_sha256"]
        or not isinstance(entry["ylabel"], str)
        or not isinstance(entry["xlabel"], str)
    ):
        raise ValueError("not an entry of this key and format")
    data = None if entry["data"] is None else frame_from_record(entry["data"])
    return DrawnChart(svg, data, entry["ylabel"], entry["xlabel"])
