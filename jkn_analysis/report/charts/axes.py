"""The axes of a chart: value ticks written by the catalogue's formatting, grid, legend,
reference lines, the healthy corridor and the date axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import Formatter, MaxNLocator

from jkn_analysis.report.charts.style import (
    CORRIDOR_ALPHA,
    CORRIDOR_COLOUR,
    DATE_AXIS_MARGIN,
    DATE_AXIS_MIN_MARGIN_DAYS,
    GRID_COLOUR,
    GRID_WIDTH,
    MAX_TICK_DECIMALS,
    REFERENCE_COLOUR,
    REFERENCE_HEADROOM,
    TEXT_COLOUR,
    TICK_BINS,
    TICK_FONT_SIZE_POINTS,
    TICK_STEPS,
    ValueWriter,
    report_font,
)


def measuring_renderer(figure: Figure | SubFigure) -> RendererAgg:
    """A renderer to measure text with, whatever backend the figure's canvas belongs to."""
    root = figure.get_figure(root=True)
    width, height = root.bbox.size
    return RendererAgg(int(width), int(height), root.dpi)


def _scale_of(value: float) -> float:
    """The power of a thousand `format_compact` divides by (ribu, juta, miliar, triliun)."""
    for exponent in (12, 9, 6, 3):
        if abs(value) >= 10.0**exponent:
            return 10.0**exponent
    return 1.0


class ReportTickFormatter(Formatter):
    """Tick labels written by `jkn_analysis.catalogue.formatting`, as few decimals as ticks need.

    Parameters
    ----------
    write : callable
        ``write(value, decimals) -> str``, a function of `jkn_analysis.catalogue.formatting`.
    scaled : bool
        The writer divides by a scale word (``juta``, ``T``), so decimals count after scaling.
    """

    def __init__(self, write: ValueWriter, *, scaled: bool = False):
        self._write = write
        self._scaled = scaled
        self._tick_decimals: int | None = None

    def set_locs(self, locs: Sequence[float]) -> None:
        # All ticks share one number of decimals, the fewest that writes each of them exactly;
        # fewer would round a tick such as 2,5 juta to a misleading 3 juta.
        super().set_locs(locs)
        self._tick_decimals = self._decimals([float(location) for location in locs])

    def __call__(self, x: float, pos: int | None = None) -> str:
        decimals = self._tick_decimals if pos is not None else None
        if decimals is None:  # a lone value, outside a set of ticks
            decimals = self._decimals([float(x)])
        return self._write(float(x), decimals)

    def _decimals(self, locations: Sequence[float]) -> int:
        for decimals in range(MAX_TICK_DECIMALS + 1):
            if all(self._exact(location, decimals) for location in locations):
                return decimals
        return MAX_TICK_DECIMALS

    def _exact(self, location: float, decimals: int) -> bool:
        scaled = location / _scale_of(location) if self._scaled else location
        shifted = scaled * 10**decimals
        return abs(shifted - round(shifted)) < 1e-6


def style_value_axis(
    ax: Axes,
    *,
    orient: str,
    write: ValueWriter,
    scaled: bool = False,
    value_label: str | None,
) -> None:
    """Ticks written by formatting.py, a light grid on the value axis only, zero as baseline."""
    value_axis = ax.xaxis if orient == "h" else ax.yaxis
    value_axis.set_major_locator(MaxNLocator(nbins=TICK_BINS, steps=list(TICK_STEPS)))
    value_axis.set_major_formatter(ReportTickFormatter(write, scaled=scaled))
    # Ticks are made anew whenever the figure is drawn, maybe outside `report_style`, so their
    # look is fixed on the axes rather than left to the settings of the moment.
    ax.tick_params(
        axis="both",
        labelsize=TICK_FONT_SIZE_POINTS,
        labelfontfamily=report_font(),
        labelcolor=TEXT_COLOUR,
        length=0,
    )
    ax.grid(False)
    ax.grid(True, axis="x" if orient == "h" else "y", color=GRID_COLOUR, linewidth=GRID_WIDTH)
    ax.set_axisbelow(True)
    # Bars start at zero: a cut axis would exaggerate differences.
    if orient == "h":
        ax.set_xlim(left=0)
        ax.set_xlabel(value_label or "")
        ax.set_ylabel("")
    else:
        ax.set_ylim(bottom=0)
        ax.set_ylabel(value_label or "")
        ax.set_xlabel("")


def legend_above(
    ax: Axes,
    handles: Sequence[Patch | object],
    *,
    columns: int | None = None,
    handle_length: float = 1.2,
    handle_height: float = 0.9,
) -> None:
    """A frameless legend above the axes, where it cannot cover a bar or a line.

    One row of entries unless ``columns`` says how many a row takes.
    """
    ax.legend(
        handles=list(handles),
        loc="lower left",
        bbox_to_anchor=(0, 1.02),
        ncol=len(handles) if columns is None else columns,
        frameon=False,
        borderaxespad=0,
        handlelength=handle_length,
        handleheight=handle_height,
        columnspacing=1.5,
    )


def shade_corridor(ax: Axes, floor: float, ceiling: float, label: str | None) -> Rectangle:
    """Shade the healthy corridor between ``floor`` and ``ceiling`` (months covered).

    Behind the bars, lines and grid, so the corridor tints the background only; without a
    label it stays out of the legend.
    """
    return ax.axhspan(
        floor,
        ceiling,
        facecolor=CORRIDOR_COLOUR,
        alpha=CORRIDOR_ALPHA,
        linewidth=0,
        zorder=0,
        label=label or "_corridor",
    )


def make_headroom(ax: Axes, level: float) -> None:
    """Raise the top of the vertical value axis, if need be, to leave room above ``level``."""
    ax.set_ylim(top=max(ax.get_ylim()[1], level * REFERENCE_HEADROOM))


def reference_line(ax: Axes, level: float, label: str) -> Line2D:
    """A dashed horizontal line at ``level`` over the bars, with headroom above it."""
    line = ax.axhline(
        level, color=REFERENCE_COLOUR, linestyle="--", linewidth=1.0, zorder=3, label=label
    )
    make_headroom(ax, level)
    return line


def date_axis(ax: Axes, positions: dict[str, float], *, bar_width: float = 0.0) -> None:
    """Ticks at the periods' dates, labelled with the periods, with a margin at both ends.

    ``bar_width`` (days) widens the margin so that bars centred on the first and last dates
    stay inside the axes. Tick labels that would run into each other (a quarter after a year
    end sits close to it) are broken over two lines at their last space.
    """
    ordered = sorted(positions.items(), key=lambda item: item[1])
    dates = [position for _, position in ordered]
    ax.set_xticks(dates, [period for period, _ in ordered])
    # A margin of a twelfth of the span (a month at least) keeps end labels inside the axes.
    margin = max(
        (dates[-1] - dates[0]) * DATE_AXIS_MARGIN, DATE_AXIS_MIN_MARGIN_DAYS, bar_width * 0.75
    )
    ax.set_xlim(dates[0] - margin, dates[-1] + margin)
    if _ticks_overlap(ax):
        ax.set_xticks(dates, [_two_lines(period) for period, _ in ordered])


def _ticks_overlap(ax: Axes) -> bool:
    """Whether two neighbouring tick labels of the x axis would touch when drawn."""
    renderer = measuring_renderer(ax.get_figure())
    gap = renderer.points_to_pixels(TICK_FONT_SIZE_POINTS) / 2
    extents = sorted(
        (label.get_window_extent(renderer) for label in ax.get_xticklabels() if label.get_text()),
        key=lambda extent: extent.x0,
    )
    return any(right.x0 - left.x1 < gap for left, right in pairwise(extents))


def _two_lines(label: str) -> str:
    """A tick label broken at its last space: ``TW I 2024`` over ``TW I`` and ``2024``."""
    head, _, tail = label.rpartition(" ")
    return f"{head}\n{tail}" if head else label
