"""Charts of the quarterly JKN report, drawn with seaborn in a sober, official-statistics style.

Every function takes a tidy `pandas.DataFrame` first and keyword-only options after it, draws on
``ax`` (or on a new A4-sized figure) and returns the `matplotlib.axes.Axes`, as seaborn does.
Every number written on a chart (bar labels, tick labels) goes through `jkn_analysis.catalogue.formatting`,
so that charts round half up exactly like the text and the tables. The charts carry no titles and
no wording of their own: captions come from the HTML and axis or legend labels from the caller,
who reads them from the catalogue.

`chart_to_svg` turns a finished chart into an SVG string that is byte-identical for equal data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from functools import cache, partial, wraps
from io import StringIO

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import dates as mdates
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Annotation
from matplotlib.ticker import Formatter, MaxNLocator

from jkn_analysis.catalogue.formatting import (
    format_compact,
    format_number,
    format_percent,
    format_rupiah,
)

__all__ = [
    "ALERT_COLOUR",
    "COMPARISON_COLOUR",
    "CORRIDOR_COLOUR",
    "CURRENT_COLOUR",
    "FIGURE_SIZE_INCHES",
    "REPORTED_MARKER",
    "active_participants_chart",
    "chart_to_svg",
    "claim_ratio_chart",
    "claims_share_chart",
    "facilities_chart",
    "ick_attainment_chart",
    "investment_mix_chart",
    "months_covered_chart",
    "report_style",
    "visits_chart",
]

# --- Palette -------------------------------------------------------------------------------------
# Current period against a comparison period is told apart by lightness (dark teal against grey),
# which every kind of colour blindness preserves; the alert colour is Okabe-Ito vermillion, which
# stays distinct from the teal for deuteranopes and protanopes too.
CURRENT_COLOUR = "#1F5F7A"
COMPARISON_COLOUR = "#B4B4B4"
# Further, older comparison periods get lighter greys, oldest lightest.
OLDER_COMPARISON_COLOURS = ("#DADADA", "#C8C8C8")
# A published (reported) figure is drawn as a light tint of its colour with a hatch, so it reads
# as "same measure, different source" also when printed in black and white.
REPORTED_COLOUR = "#A9C4D0"
REPORTED_HATCH = "////"
ALERT_COLOUR = "#D55E00"
CORRIDOR_COLOUR = "#009E73"
CORRIDOR_ALPHA = 0.15
REFERENCE_COLOUR = "#4D4D4D"
TEXT_COLOUR = "#333333"
SPINE_COLOUR = "#9E9E9E"
GRID_COLOUR = "#E3E3E3"
GRID_WIDTH = 0.6
INSIDE_LABEL_COLOUR = "#FFFFFF"
# Bars lighter than this (relative luminance, 0-1) get dark labels inside them.
LIGHT_BAR_LUMINANCE = 0.5

# Suffix of a bar label whose figure is the published one rather than computed; the caption
# written by the caller explains it.
REPORTED_MARKER = "*"

# --- Sizes ---------------------------------------------------------------------------------------
# The text block of an A4 page with 2.5 cm margins is about 16 cm (6.3 in) wide.
FIGURE_SIZE_INCHES = (6.3, 3.0)
FONT_SIZE_POINTS = 8.5
TICK_FONT_SIZE_POINTS = 8.0
LABEL_FONT_SIZE_POINTS = 8.0
# Share of a category slot the bars fill: a pair of bars, or a lone bar.
GROUPED_BAR_WIDTH = 0.75
SINGLE_BAR_WIDTH = 0.6
# Distance between a bar end and its label, in points.
LABEL_PADDING_POINTS = 3.0
# Share of the value axis kept free beyond the longest label, so that a caller who later tightens
# the layout a little does not push labels out of the axes.
LABEL_ROOM_SLACK = 0.03
# Headroom above a reference line or corridor so it does not sit on the frame.
REFERENCE_HEADROOM = 1.08
MAX_TICK_DECIMALS = 3
# Nice tick steps; a step of 2.5 gets its decimal only where a tick needs it.
TICK_STEPS = (1, 2, 2.5, 5, 10)
TICK_BINS = 6
# Date axes: margin at each end as a share of the time spanned, and at least this many days.
DATE_AXIS_MARGIN = 1 / 12
DATE_AXIS_MIN_MARGIN_DAYS = 45.0
# Smallest gap between two stacked value labels of points on the same date, in points.
POINT_LABEL_GAP_POINTS = 1.0

PREFERRED_FONT = "Open Sans"
FALLBACK_FONT = "DejaVu Sans"  # ships with matplotlib, so it is always there
SVG_HASH_SALT = "jkn-analysis"

ValueWriter = Callable[[float, int], str]


# --- Style ---------------------------------------------------------------------------------------
@cache
def _report_font() -> str:
    """The font family the charts use: Open Sans when installed, else DejaVu Sans.

    Chosen explicitly among the fonts matplotlib knows, so it never warns "findfont".
    """
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return PREFERRED_FONT if PREFERRED_FONT in installed else FALLBACK_FONT


def _report_rc() -> dict[str, object]:
    return {
        # The family by name, not the generic "sans-serif": a text keeps its family from when
        # it was made, while a generic one would be resolved again whenever the figure is drawn,
        # maybe outside this style.
        "font.family": [_report_font()],
        "font.sans-serif": [_report_font()],
        "font.size": FONT_SIZE_POINTS,
        "axes.labelsize": FONT_SIZE_POINTS,
        "axes.titlesize": FONT_SIZE_POINTS,
        "xtick.labelsize": TICK_FONT_SIZE_POINTS,
        "ytick.labelsize": TICK_FONT_SIZE_POINTS,
        "legend.fontsize": TICK_FONT_SIZE_POINTS,
        "text.color": TEXT_COLOUR,
        "axes.labelcolor": TEXT_COLOUR,
        "xtick.color": TEXT_COLOUR,
        "ytick.color": TEXT_COLOUR,
        "axes.edgecolor": SPINE_COLOUR,
        "axes.linewidth": 0.8,
        "axes.facecolor": "white",
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "axes.spines.top": False,
        "axes.spines.right": False,
        # The grid is switched on per chart, on the value axis only.
        "axes.grid": False,
        "grid.color": GRID_COLOUR,
        "grid.linewidth": GRID_WIDTH,
        # Grid lines replace tick marks.
        "xtick.major.size": 0,
        "ytick.major.size": 0,
        "xtick.minor.size": 0,
        "ytick.minor.size": 0,
        "legend.frameon": False,
        "hatch.linewidth": 0.6,
        # Text stays text: a quarter of the size of glyph paths, a third faster to render
        # into the PDF, and searchable there. The pack installs the font (Open Sans).
        "svg.fonttype": "none",
        # Fixed ids in the SVG, so equal data gives byte-identical files.
        "svg.hashsalt": SVG_HASH_SALT,
    }


def report_style() -> AbstractContextManager[None]:
    """Fonts, sizes and colours of the report's charts, as a context manager.

    The chart functions apply it themselves; use it only around extra drawing of your own.

    Returns
    -------
    contextlib.AbstractContextManager
        A `matplotlib.rc_context` with the report's settings.

    Examples
    --------
    >>> with report_style():
    ...     figure, ax = plt.subplots()
    """
    return mpl.rc_context(_report_rc())


# --- Checks --------------------------------------------------------------------------------------
def _checked_frame(
    data: pd.DataFrame,
    chart: str,
    *,
    labels: Sequence[str],
    numeric: Sequence[str],
    flags: Sequence[str] = (),
) -> pd.DataFrame:
    """Refuse data a chart cannot draw truthfully, naming what is wrong, else return it to draw.

    Parameters
    ----------
    data : pandas.DataFrame
    chart : str
        Name of the chart function, for the message.
    labels : sequence of str
        Required columns of display labels, whose combination must not repeat (a repeated bar
        would be averaged silently).
    numeric : sequence of str
        Required columns that must hold finite numbers.
    flags : sequence of str
        Required columns that must hold booleans.

    Returns
    -------
    pandas.DataFrame
        A copy of ``data`` with the label columns as strings.

    Raises
    ------
    TypeError
        If ``data`` is not a DataFrame.
    ValueError
        If ``data`` is empty, lacks columns, or holds values of the wrong kind.
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{chart}: data must be a pandas DataFrame, not {type(data).__name__}")
    missing = [column for column in [*labels, *numeric, *flags] if column not in data.columns]
    if missing:
        names = ", ".join(repr(column) for column in missing)
        raise ValueError(f"{chart}: data is missing the column(s) {names}")
    if data.empty:
        raise ValueError(f"{chart}: data is empty, there is nothing to draw")
    for column in numeric:
        values = pd.to_numeric(data[column], errors="coerce").astype(float)
        if not np.isfinite(values).all():
            raise ValueError(f"{chart}: column {column!r} must hold finite numbers")
    for column in flags:
        if not data[column].isin([True, False]).all():
            raise ValueError(f"{chart}: column {column!r} must hold True or False")
    if data.duplicated(subset=list(labels)).any():
        names = ", ".join(repr(column) for column in labels)
        raise ValueError(f"{chart}: data has more than one row for the same {names}")
    return data.assign(**{column: data[column].astype(str) for column in labels})


# --- Building blocks -----------------------------------------------------------------------------
def _keeps_data(chart: Callable[..., Axes]) -> Callable[..., Axes]:
    """Keep on the figure the data a chart was drawn from (``figure.jkn_data``).

    The report words each chart's text alternative and offers its data as CSV from that frame,
    so what a screen reader hears and what a reader downloads are exactly what is drawn.
    """

    @wraps(chart)
    def draw(data: pd.DataFrame, *args, **kwargs) -> Axes:
        ax = chart(data, *args, **kwargs)
        ax.get_figure(root=True).jkn_data = data.copy()
        return ax

    return draw


def _axes_for(ax: Axes | None) -> Axes:
    """The caller's axes, or new axes on a figure the width of an A4 text block."""
    if ax is not None:
        return ax
    _, new_ax = plt.subplots(figsize=FIGURE_SIZE_INCHES)
    return new_ax


def _labels_in_order(values: pd.Series) -> list[str]:
    """Distinct display labels in the order the rows come in (the caller's order)."""
    return list(pd.unique(values))


def _period_palette(periods: Sequence[str]) -> dict[str, str]:
    """The last period is the current one; earlier ones are greys, the oldest lightest."""
    comparison = [*OLDER_COMPARISON_COLOURS, COMPARISON_COLOUR]
    earlier = periods[:-1]
    if len(earlier) > len(comparison):
        # Many periods: spread greys evenly rather than repeat them.
        greys = sns.light_palette(COMPARISON_COLOUR, n_colors=len(earlier) + 1)[1:]
        colours = [mpl.colors.to_hex(grey) for grey in greys]
    else:
        colours = comparison[len(comparison) - len(earlier) :]
    return {**dict(zip(earlier, colours, strict=True)), periods[-1]: CURRENT_COLOUR}


def _bars(ax: Axes) -> list[Rectangle]:
    """Bar patches of the axes, container by container (one container per hue level)."""
    return [bar for container in ax.containers for bar in container.patches]


def _bar_end(bar: Rectangle, orient: str) -> tuple[float, float]:
    """The middle of the bar's value end, in data coordinates."""
    if orient == "h":
        return bar.get_x() + bar.get_width(), bar.get_y() + bar.get_height() / 2
    return bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height()


def _bar_value(bar: Rectangle, orient: str) -> float:
    """The value a bar stands for, as a Python float.

    Numbers reach `jkn_analysis.catalogue.formatting` as Python floats: a NumPy scalar's ``repr``
    (``np.float64(…)``) is not a number `round_half_up` can read.
    """
    return float(bar.get_width() if orient == "h" else bar.get_height())


def _label_bars(
    ax: Axes,
    bars: Iterable[Rectangle],
    labels: Iterable[str],
    *,
    orient: str,
    inside: bool = False,
) -> list[Annotation]:
    """Write a label at the value end of each bar, outside it or just inside it."""
    padding = -LABEL_PADDING_POINTS if inside else LABEL_PADDING_POINTS
    if orient == "h":
        offset = (padding, 0)
        alignment = {"ha": "right" if inside else "left", "va": "center"}
    else:
        offset = (0, padding)
        alignment = {"ha": "center", "va": "top" if inside else "bottom"}
    return [
        ax.annotate(
            label,
            xy=_bar_end(bar, orient),
            xytext=offset,
            textcoords="offset points",
            fontsize=LABEL_FONT_SIZE_POINTS,
            color=_inside_label_colour(bar) if inside else TEXT_COLOUR,
            **alignment,
        )
        for bar, label in zip(bars, labels, strict=True)
    ]


def _label_outside(
    ax: Axes, bars: Sequence[Rectangle], texts: Sequence[str], *, orient: str
) -> None:
    """Label each bar beyond its value end, extending the value axis so the labels fit."""
    _make_room_for_labels(ax, _label_bars(ax, bars, texts, orient=orient), orient=orient)


def _label_inside_or_above(ax: Axes, bars: Sequence[Rectangle], texts: Sequence[str]) -> None:
    """Label vertical bars inside their tops, or above a bar too short to hold its label."""
    renderer = _measuring_renderer(ax.get_figure())
    padding_pixels = renderer.points_to_pixels(LABEL_PADDING_POINTS)
    outside = []
    for bar, text in zip(bars, texts, strict=True):
        (label,) = _label_bars(ax, [bar], [text], orient="v", inside=True)
        bottom_pixels = ax.transData.transform((0, bar.get_y()))[1]
        if label.get_window_extent(renderer).y0 < bottom_pixels + padding_pixels:
            label.remove()
            outside += _label_bars(ax, [bar], [text], orient="v")
    _make_room_for_labels(ax, outside, orient="v")


def _inside_label_colour(bar: Rectangle) -> str:
    """White on a dark bar, dark text on a light one, whichever reads better."""
    red, green, blue, _ = bar.get_facecolor()
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return TEXT_COLOUR if luminance > LIGHT_BAR_LUMINANCE else INSIDE_LABEL_COLOUR


def _measuring_renderer(figure: Figure | SubFigure) -> RendererAgg:
    """A renderer to measure text with, whatever backend the figure's canvas belongs to."""
    root = figure.get_figure(root=True)
    width, height = root.bbox.size
    return RendererAgg(int(width), int(height), root.dpi)


def _make_room_for_labels(ax: Axes, labels: Sequence[Annotation], *, orient: str) -> None:
    """Extend the value axis so every label beyond a bar end stays inside the axes.

    A label's distance from its bar end is fixed in points, so the limit that keeps it inside
    can be solved for exactly: with limits (lower, upper) over a length L in pixels, the end
    ``a`` sits at ``(a - lower) / (upper - lower) * L``, which plus the label's extent must not
    pass the usable length.
    """
    if not labels:
        return
    renderer = _measuring_renderer(ax.get_figure())
    along = 0 if orient == "h" else 1  # index of the value coordinate in (x, y) pairs
    length = ax.get_window_extent(renderer).size[along]
    lower, upper = ax.get_xlim() if orient == "h" else ax.get_ylim()
    usable = length * (1 - LABEL_ROOM_SLACK)
    needed = upper
    for label in labels:
        anchor_pixels = ax.transData.transform(label.xy)[along]
        beyond = label.get_window_extent(renderer).p1[along] - anchor_pixels
        if beyond >= usable:  # a label longer than the axes cannot be helped by the limit
            continue
        needed = max(needed, lower + (label.xy[along] - lower) * length / (usable - beyond))
    if orient == "h":
        ax.set_xlim(lower, needed)
    else:
        ax.set_ylim(lower, needed)


def _scale_of(value: float) -> float:
    """The power of a thousand `format_compact` divides by (ribu, juta, miliar, triliun)."""
    for exponent in (12, 9, 6, 3):
        if abs(value) >= 10.0**exponent:
            return 10.0**exponent
    return 1.0


class _ReportTickFormatter(Formatter):
    """Tick labels written by `jkn_analysis.catalogue.formatting`, with as few decimals as ticks need.

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


def _style_value_axis(
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
    value_axis.set_major_formatter(_ReportTickFormatter(write, scaled=scaled))
    # Ticks are made anew whenever the figure is drawn, maybe outside `report_style`, so their
    # look is fixed on the axes rather than left to the settings of the moment.
    ax.tick_params(
        axis="both",
        labelsize=TICK_FONT_SIZE_POINTS,
        labelfontfamily=_report_font(),
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


def _legend(ax: Axes, handles: Sequence[Patch | object]) -> None:
    """A frameless legend in one row above the axes, where it cannot cover a bar."""
    ax.legend(
        handles=list(handles),
        loc="lower left",
        bbox_to_anchor=(0, 1.02),
        ncol=len(handles),
        frameon=False,
        borderaxespad=0,
        handlelength=1.2,
        handleheight=0.9,
        columnspacing=1.5,
    )


def _mark_reported(bar: Rectangle) -> None:
    """Draw a bar as a published figure: light tint with a hatch in the bar's own colour."""
    bar.set_facecolor(REPORTED_COLOUR)
    bar.set_edgecolor(CURRENT_COLOUR)
    bar.set_linewidth(0.6)
    bar.set_hatch(REPORTED_HATCH)


def _make_headroom(ax: Axes, level: float) -> None:
    """Raise the top of the vertical value axis, if need be, to leave room above ``level``."""
    ax.set_ylim(top=max(ax.get_ylim()[1], level * REFERENCE_HEADROOM))


def _reference_line(ax: Axes, level: float, label: str) -> Line2D:
    """A dashed horizontal line at ``level`` over the bars, with headroom above it."""
    line = ax.axhline(
        level, color=REFERENCE_COLOUR, linestyle="--", linewidth=1.0, zorder=3, label=label
    )
    _make_headroom(ax, level)
    return line


def _single_series_bars(
    ax: Axes,
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    orient: str,
    write: ValueWriter,
    decimals: int,
    value_label: str | None,
    scaled: bool = False,
    colours: Iterable[str] | None = None,
    reported: Iterable[bool] | None = None,
) -> tuple[list[Rectangle], list[str]]:
    """One bar per row of ``frame``, in row order, on a value axis whose ticks ``write`` writes.

    The bars are `CURRENT_COLOUR` unless ``colours`` gives each its own. Bars flagged in
    ``reported`` are drawn as published figures and their labels carry `REPORTED_MARKER`.

    Returns the bars and their labels (each value written by ``write`` with ``decimals``)
    without writing the labels: the caller writes them after any reference line, so that a
    label is drawn over the line rather than crossed by it.
    """
    x, y = (value, category) if orient == "h" else (category, value)
    sns.barplot(
        data=frame,
        x=x,
        y=y,
        order=list(frame[category]),
        color=CURRENT_COLOUR,
        orient=orient,
        errorbar=None,
        saturation=1,
        width=SINGLE_BAR_WIDTH,
        ax=ax,
    )
    bars = _bars(ax)
    if colours is not None:
        for bar, colour in zip(bars, colours, strict=True):
            bar.set_facecolor(colour)
    texts = [write(_bar_value(bar, orient), decimals) for bar in bars]
    if reported is not None:
        for index, (bar, published) in enumerate(zip(bars, reported, strict=True)):
            if published:
                _mark_reported(bar)
                texts[index] += REPORTED_MARKER
    _style_value_axis(ax, orient=orient, write=write, scaled=scaled, value_label=value_label)
    return bars, texts


def _grouped_bars(
    ax: Axes,
    frame: pd.DataFrame,
    *,
    category: str,
    group: str,
    palette: dict[str, str],
    orient: str,
    write: ValueWriter,
    value_label: str | None,
) -> list[Annotation]:
    """Bars of column ``value`` per category, side by side per group, labelled beyond their ends.

    Categories come in row order, groups in the order and colours of ``palette``, which the
    legend shows. ``write`` writes a scaled number (``juta``, ``jt``) on the ticks and, with one
    decimal, on the bars. Returns the labels, for the caller to make room for together with any
    of its own.
    """
    x, y = ("value", category) if orient == "h" else (category, "value")
    sns.barplot(
        data=frame,
        x=x,
        y=y,
        hue=group,
        order=_labels_in_order(frame[category]),
        hue_order=list(palette),
        palette=palette,
        orient=orient,
        errorbar=None,
        saturation=1,
        width=GROUPED_BAR_WIDTH,
        legend=False,
        ax=ax,
    )
    _style_value_axis(ax, orient=orient, write=write, scaled=True, value_label=value_label)
    bars = _bars(ax)
    labels = _label_bars(
        ax, bars, [write(_bar_value(bar, orient), 1) for bar in bars], orient=orient
    )
    _legend(ax, [Patch(facecolor=colour, label=label) for label, colour in palette.items()])
    return labels


def _period_comparison_chart(
    data: pd.DataFrame,
    *,
    category: str,
    chart: str,
    ax: Axes | None,
    language: str,
    value_label: str | None,
) -> Axes:
    """Horizontal bars per category, one per period, with compact labels at the bar ends."""
    frame = _checked_frame(data, chart, labels=[category, "period"], numeric=["value"])
    with report_style():
        ax = _axes_for(ax)
        labels = _grouped_bars(
            ax,
            frame,
            category=category,
            group="period",
            palette=_period_palette(_labels_in_order(frame["period"])),
            orient="h",
            write=partial(format_compact, language=language),
            value_label=value_label,
        )
        _make_room_for_labels(ax, labels, orient="h")
    return ax


# --- Charts --------------------------------------------------------------------------------------
@_keeps_data
def active_participants_chart(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    language: str = "id",
    value_label: str | None = None,
) -> Axes:
    """Active JKN participants per segment, comparing periods.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per segment and period, with columns ``segment`` (display label), ``period``
        (display label such as ``"Des-23"``) and ``value`` (persons). Segments are drawn top to
        bottom and periods within a segment in the order of the rows; the last period is the
        current one and gets the report colour, earlier ones grey.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure of `FIGURE_SIZE_INCHES` when omitted.
    language : {"id", "en"}, default "id"
        Language of the numbers: ``96,8 juta`` or ``96.8 million``.
    value_label : str, optional
        Label of the value (x) axis.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, or repeats a segment and period.
    """
    return _period_comparison_chart(
        data,
        category="segment",
        chart="active_participants_chart",
        ax=ax,
        language=language,
        value_label=value_label,
    )


@_keeps_data
def visits_chart(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    language: str = "id",
    value_label: str | None = None,
) -> Axes:
    """Health service visits per type of service, comparing periods.

    Values range from under a million (inpatient primary care) to over a hundred million
    (outpatient primary care). The axis stays linear, so bar lengths compare honestly, and each
    bar carries its number, so the short bars still tell their value.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per service and period, with columns ``service`` (display label), ``period``
        (display label) and ``value`` (visits). Order as in `active_participants_chart`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure of `FIGURE_SIZE_INCHES` when omitted.
    language : {"id", "en"}, default "id"
        Language of the numbers: ``121,9 juta`` or ``121.9 million``.
    value_label : str, optional
        Label of the value (x) axis.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, or repeats a service and period.
    """
    return _period_comparison_chart(
        data,
        category="service",
        chart="visits_chart",
        ax=ax,
        language=language,
        value_label=value_label,
    )


@_keeps_data
def ick_attainment_chart(
    data: pd.DataFrame,
    *,
    target_label: str,
    realised_label: str,
    ax: Axes | None = None,
    language: str = "id",
    value_label: str | None = None,
) -> Axes:
    """Active-participation target (ICK) against its realisation per segment.

    Each bar carries its number in short compact form (``52,2 jt``, so that neighbouring labels
    do not collide) and each segment its attainment in bold above the pair (``96,7%``).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per segment, in drawing order, with columns ``segment`` (display label),
        ``target`` and ``realised`` (persons) and ``attainment`` (percent value, such as 96.73;
        the caller computes it so that chart and text show the same figure).
    target_label, realised_label : str
        Legend labels of the target and realised bars.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure of `FIGURE_SIZE_INCHES` when omitted.
    language : {"id", "en"}, default "id"
        Language of the numbers.
    value_label : str, optional
        Label of the value (y) axis.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, repeats a segment, or the two legend labels are
        equal (the bars could then not be told apart).
    """
    chart = "ick_attainment_chart"
    frame = _checked_frame(
        data, chart, labels=["segment"], numeric=["target", "realised", "attainment"]
    )
    if target_label == realised_label:
        raise ValueError(f"{chart}: target_label and realised_label must differ")
    long = frame.melt(
        id_vars="segment", value_vars=["target", "realised"], var_name="measure", value_name="value"
    )
    long["measure"] = long["measure"].map({"target": target_label, "realised": realised_label})
    with report_style():
        ax = _axes_for(ax)
        labels = _grouped_bars(
            ax,
            long,
            category="segment",
            group="measure",
            palette={target_label: COMPARISON_COLOUR, realised_label: CURRENT_COLOUR},
            orient="v",
            # Short scale words (jt, M) so that the labels of neighbouring bars do not collide.
            write=partial(format_compact, language=language, style="short"),
            value_label=value_label,
        )
        # The attainment sits above the bar labels of its pair: one label line plus a gap up.
        attainment_offset = LABEL_PADDING_POINTS + LABEL_FONT_SIZE_POINTS * 1.6
        for position, row in enumerate(frame.itertuples(index=False)):
            labels.append(
                ax.annotate(
                    format_percent(float(row.attainment), 1, language=language),
                    xy=(position, max(row.target, row.realised)),
                    xytext=(0, attainment_offset),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=FONT_SIZE_POINTS,
                    fontweight="bold",
                    color=TEXT_COLOUR,
                )
            )
        _make_room_for_labels(ax, labels, orient="v")
    return ax


@_keeps_data
def facilities_chart(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    language: str = "id",
    target: float | None = None,
    target_label: str | None = None,
    value_label: str | None = None,
) -> Axes:
    """Number of contracted primary-care facilities (FKTP) per period, against a target.

    The axis starts at zero for honesty, so periods look alike when the counts are; the exact
    counts are written inside the bar tops, where the target line cannot cross them.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per period, in drawing order, with columns ``period`` (display label) and
        ``value`` (facilities). The last period is the current one.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure of `FIGURE_SIZE_INCHES` when omitted.
    language : {"id", "en"}, default "id"
        Language of the numbers: ``23.626`` or ``23,626``.
    target : float, optional
        Target count, drawn as a dashed horizontal line.
    target_label : str, optional
        Legend label of the target line, used as given (the caller writes any number in it
        with `format_number`, as in ``Target ICK 23.664``); without it the legend shows the
        target number alone.
    value_label : str, optional
        Label of the value (y) axis.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, or repeats a period.
    """
    frame = _checked_frame(data, "facilities_chart", labels=["period"], numeric=["value"])
    write = partial(format_number, language=language)
    with report_style():
        ax = _axes_for(ax)
        bars, texts = _single_series_bars(
            ax,
            frame,
            category="period",
            value="value",
            orient="v",
            write=write,
            decimals=0,
            value_label=value_label,
            colours=_period_palette(list(frame["period"])).values(),
        )
        if target is not None:
            _legend(ax, [_reference_line(ax, target, target_label or write(float(target), 0))])
        _label_inside_or_above(ax, bars, texts)
    return ax


@_keeps_data
def claims_share_chart(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    language: str = "id",
    value_label: str | None = None,
) -> Axes:
    """Share of each type of service in the claims paid, largest first.

    Shares the source publishes only as a rounded figure (``reported`` true) are drawn as a
    hatched light bar and their label carries `REPORTED_MARKER` (``11,0%*``); the caller's
    caption explains the asterisk.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per service with columns ``service`` (display label), ``share`` (percent value)
        and ``reported`` (bool: the share is the published figure, not computed). Bars are
        sorted by share, largest on top; equal shares keep the order of the rows.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure of `FIGURE_SIZE_INCHES` when omitted.
    language : {"id", "en"}, default "id"
        Language of the numbers: ``57,1%`` or ``57.1%``.
    value_label : str, optional
        Label of the value (x) axis.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, repeats a service or ``reported`` is not boolean.
    """
    frame = _checked_frame(
        data, "claims_share_chart", labels=["service"], numeric=["share"], flags=["reported"]
    ).sort_values("share", ascending=False, kind="mergesort")
    with report_style():
        ax = _axes_for(ax)
        bars, texts = _single_series_bars(
            ax,
            frame,
            category="service",
            value="share",
            orient="h",
            write=partial(format_percent, language=language),
            decimals=1,
            value_label=value_label,
            reported=frame["reported"],
        )
        _label_outside(ax, bars, texts, orient="h")
    return ax


@_keeps_data
def claim_ratio_chart(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    language: str = "id",
    value_label: str | None = None,
    threshold: float = 100.0,
    threshold_label: str | None = None,
) -> Axes:
    """Claim ratio per period, with the line above which claims exceed contributions.

    Bars above ``threshold`` are drawn in `ALERT_COLOUR`.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per period, in drawing order, with columns ``period`` (display label) and
        ``value`` (percent).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure of `FIGURE_SIZE_INCHES` when omitted.
    language : {"id", "en"}, default "id"
        Language of the numbers: ``112,2%`` or ``112.2%``.
    value_label : str, optional
        Label of the value (y) axis.
    threshold : float, default 100.0
        Percent at which the reference line is drawn.
    threshold_label : str, optional
        Legend label of the reference line; no legend when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, or repeats a period.
    """
    frame = _checked_frame(data, "claim_ratio_chart", labels=["period"], numeric=["value"])
    with report_style():
        ax = _axes_for(ax)
        bars, texts = _single_series_bars(
            ax,
            frame,
            category="period",
            value="value",
            orient="v",
            write=partial(format_percent, language=language),
            decimals=1,
            value_label=value_label,
            colours=[
                ALERT_COLOUR if value > threshold else CURRENT_COLOUR for value in frame["value"]
            ],
        )
        line = _reference_line(ax, threshold, threshold_label or "_threshold")
        if threshold_label:
            _legend(ax, [line])
        _label_outside(ax, bars, texts, orient="v")
    return ax


@_keeps_data
def months_covered_chart(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    language: str = "id",
    floor: float = 1.5,
    ceiling: float = 6.0,
    corridor_label: str | None = None,
    value_label: str | None = None,
) -> Axes:
    """Months of claims the Social Security Fund's assets cover, against the healthy corridor.

    The corridor between ``floor`` and ``ceiling`` is shaded; published figures (``reported``
    true) are drawn and marked as in `claims_share_chart` (``3,98*``).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per period, in drawing order, with columns ``period`` (display label),
        ``value`` (months) and ``reported`` (bool).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure of `FIGURE_SIZE_INCHES` when omitted.
    language : {"id", "en"}, default "id"
        Language of the numbers: ``5,15`` or ``5.15``.
    floor, ceiling : float, default 1.5 and 6.0
        Bounds of the corridor, in months.
    corridor_label : str, optional
        Legend label of the corridor; no legend when omitted.
    value_label : str, optional
        Label of the value (y) axis.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, repeats a period, ``reported`` is not boolean, or
        ``floor`` is above ``ceiling``.
    """
    chart = "months_covered_chart"
    frame = _checked_frame(data, chart, labels=["period"], numeric=["value"], flags=["reported"])
    if floor > ceiling:
        raise ValueError(f"{chart}: floor ({floor}) is above ceiling ({ceiling})")
    with report_style():
        ax = _axes_for(ax)
        bars, texts = _single_series_bars(
            ax,
            frame,
            category="period",
            value="value",
            orient="v",
            write=partial(format_number, language=language),
            decimals=2,
            value_label=value_label,
            reported=frame["reported"],
        )
        # Behind the bars and the grid, so the corridor tints the background only.
        corridor = ax.axhspan(
            floor,
            ceiling,
            facecolor=CORRIDOR_COLOUR,
            alpha=CORRIDOR_ALPHA,
            linewidth=0,
            zorder=0,
            label=corridor_label or "_corridor",
        )
        _make_headroom(ax, ceiling)
        if corridor_label:
            _legend(ax, [corridor])
        _label_outside(ax, bars, texts, orient="v")
    return ax


@_keeps_data
def investment_mix_chart(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    language: str = "id",
    value_label: str | None = None,
) -> Axes:
    """Investments of the Social Security Fund by instrument, with amount and share.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per instrument, in drawing order (top to bottom), with columns ``instrument``
        (display label), ``value`` (rupiah) and ``share`` (percent of the total, computed by the
        caller against the published total). A total row must not be included.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure of `FIGURE_SIZE_INCHES` when omitted.
    language : {"id", "en"}, default "id"
        Language of the numbers: ``Rp44,29 T (55,9%)`` or ``IDR 44.29 T (55.9%)``.
    value_label : str, optional
        Label of the value (x) axis.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, or repeats an instrument.
    """
    frame = _checked_frame(
        data, "investment_mix_chart", labels=["instrument"], numeric=["value", "share"]
    )
    with report_style():
        ax = _axes_for(ax)
        bars, amounts = _single_series_bars(
            ax,
            frame,
            category="instrument",
            value="value",
            orient="h",
            write=partial(format_rupiah, language=language),
            decimals=2,
            scaled=True,
            value_label=value_label,
        )
        shares = [format_percent(float(share), 1, language=language) for share in frame["share"]]
        texts = [f"{amount} ({share})" for amount, share in zip(amounts, shares, strict=True)]
        _label_outside(ax, bars, texts, orient="h")
    return ax


# --- Output --------------------------------------------------------------------------------------
def chart_to_svg(chart: Axes | Figure | SubFigure) -> str:
    """Render a chart's figure as an SVG string for embedding in HTML, then close the figure.

    The output is deterministic: fixed element ids (``svg.hashsalt``), no date, glyphs as paths,
    so equal data gives byte-identical SVG. The XML declaration and DOCTYPE are removed.

    Parameters
    ----------
    chart : matplotlib.axes.Axes or matplotlib.figure.Figure
        Any axes of the figure, or the figure itself.

    Returns
    -------
    str
        The SVG document, starting with ``<svg``.
    """
    figure = chart.get_figure(root=True) if isinstance(chart, Axes | SubFigure) else chart
    buffer = StringIO()
    try:
        with report_style():
            figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    finally:
        # Figures are large; the report draws dozens of them.
        plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


# Colours of the series in a trend chart, in order: the report's teal first.
SERIES_COLOURS = ("#1F5F7A", "#D55E00", "#009E73", "#7F7F7F")


@_keeps_data
def trend_chart(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    language: str = "id",
    unit: str = "percent",
    value_label: str | None = None,
) -> Axes:
    """Headline indicators over every period available: one line with markers per series.

    The time axis is a date axis: each point sits at the date its period ends, so a year
    between two points takes four times the room of a quarter. Each point carries its value;
    where points of several series share a date, their labels are stacked so that none
    overlaps another (the highest above its point, the lowest below).

    Parameters
    ----------
    data : pandas.DataFrame
        Columns ``period`` (display label such as ``TW I 2024``, the tick label), ``date``
        (the date the period ends), ``series`` (display label of the indicator) and ``value``.
        A series may skip periods; its points are then joined across the gap.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; new axes the width of an A4 text block when omitted.
    language : {"id", "en"}
        Language of the numbers.
    unit : {"percent", "rupiah", "number"}
        How values and ticks are written: ``76,41%``, ``Rp43,32 T`` or ``269,5 juta``.
    value_label : str, optional
        Label of the value (y) axis.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, repeats a period and series, gives one period two
        dates, holds a date that is not one, or ``unit`` is unknown.
    """
    writers = {
        "percent": partial(format_percent, language=language),
        "rupiah": partial(format_rupiah, language=language),
        "number": partial(format_compact, language=language),
    }
    if unit not in writers:
        raise ValueError(f"trend_chart: unit must be one of {sorted(writers)}, not {unit!r}")
    write = writers[unit]
    frame = _checked_frame(data, "trend_chart", labels=["period", "series"], numeric=["value"])
    frame = frame.assign(value=frame["value"].astype(float))
    positions = _date_positions(frame, "trend_chart")
    with report_style():
        ax = _axes_for(ax)
        handles = []
        labels_by_date: dict[float, list[Annotation]] = {}
        for colour, series in zip(SERIES_COLOURS, _labels_in_order(frame["series"]), strict=False):
            points = frame[frame["series"] == series].assign(
                x=lambda rows: rows["period"].map(positions)
            )
            points = points.sort_values("x", kind="mergesort")
            (line,) = ax.plot(
                points["x"],
                points["value"],
                marker="o",
                markersize=4,
                linewidth=1.6,
                color=colour,
                label=series,
            )
            handles.append(line)
            for x_position, value in zip(points["x"], points["value"], strict=True):
                label = ax.annotate(
                    write(float(value), 2 if unit != "number" else 1),
                    (x_position, value),
                    xytext=(0, 0),
                    textcoords="offset points",
                    ha="center",
                    va="top",
                    fontsize=LABEL_FONT_SIZE_POINTS,
                    color=colour,
                )
                labels_by_date.setdefault(float(x_position), []).append(label)
        _date_axis(ax, positions)
        _style_value_axis(
            ax, orient="v", write=write, scaled=unit != "percent", value_label=value_label
        )
        _make_headroom(ax, float(frame["value"].max()) * 1.05)
        groups = list(labels_by_date.values())
        _stack_point_labels(ax, groups)
        _make_room_for_labels(ax, [label for group in groups for label in group], orient="v")
        # The room above may have squeezed the axis a little: stack again on the final scale.
        _stack_point_labels(ax, groups)
        _legend(ax, handles)
    return ax


def _date_positions(frame: pd.DataFrame, chart: str) -> dict[str, float]:
    """Each period's position on a date axis (matplotlib's day numbers), from column ``date``.

    Raises
    ------
    ValueError
        If the column is missing, holds something that is not a date, or gives one period two
        dates.
    """
    if "date" not in frame.columns:
        raise ValueError(f"{chart}: data is missing the column(s) 'date'")
    dates = pd.to_datetime(frame["date"], errors="coerce")
    if dates.isna().any():
        raise ValueError(f"{chart}: column 'date' must hold dates")
    pairs = pd.DataFrame({"period": frame["period"], "date": dates}).drop_duplicates()
    if pairs["period"].duplicated().any():
        raise ValueError(f"{chart}: a period has more than one date")
    return {
        period: float(mdates.date2num(date))
        for period, date in zip(pairs["period"], pairs["date"], strict=True)
    }


def _date_axis(ax: Axes, positions: dict[str, float]) -> None:
    """Ticks at the periods' dates, labelled with the periods, with a margin at both ends."""
    ordered = sorted(positions.items(), key=lambda item: item[1])
    dates = [position for _, position in ordered]
    ax.set_xticks(dates, [period for period, _ in ordered])
    # A margin of a twelfth of the span (a month at least) keeps end labels inside the axes.
    margin = max((dates[-1] - dates[0]) * DATE_AXIS_MARGIN, DATE_AXIS_MIN_MARGIN_DAYS)
    ax.set_xlim(dates[0] - margin, dates[-1] + margin)


def _stack_point_labels(ax: Axes, groups: Sequence[Sequence[Annotation]]) -> None:
    """Place the value labels of points that share a date so that no two overlap.

    In each group the label of the highest point goes above it, that of the lowest (when
    there are several) below it, and the others above theirs; going down from the top, a
    label that would overlap the one above it moves down until a gap separates them.
    Positions are solved in pixels on the current scale and kept as offsets in points.
    """
    renderer = _measuring_renderer(ax.get_figure())
    pixels_per_point = renderer.points_to_pixels(1.0)
    padding = LABEL_PADDING_POINTS * pixels_per_point
    gap = POINT_LABEL_GAP_POINTS * pixels_per_point
    for group in groups:
        ordered = sorted(group, key=lambda label: -float(label.xy[1]))
        bottom_of_previous: float | None = None
        for index, label in enumerate(ordered):
            anchor = ax.transData.transform(label.xy)[1]
            height = label.get_window_extent(renderer).height
            below = len(ordered) > 1 and index == len(ordered) - 1
            top = anchor - padding if below else anchor + padding + height
            if bottom_of_previous is not None:
                top = min(top, bottom_of_previous - gap)
            label.xyann = (0, (top - anchor) / pixels_per_point)
            bottom_of_previous = top - height


@_keeps_data
def flow_comparison_chart(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    language: str = "id",
    value_label: str | None = None,
) -> Axes:
    """Year-to-date money flows side by side per period, such as premium income and claims.

    Flows accumulate from January, so a first-quarter value is not comparable with a full
    year's: the caller sets side by side only values that compare (the same quarter of each
    year, or full years), and marks a value annualised from part of a year as ``estimated``,
    drawn hatched.

    Parameters
    ----------
    data : pandas.DataFrame
        Columns ``period`` (display label, rows oldest first), ``series`` (display label of the
        flow) and ``value`` (rupiah); optionally ``estimated`` (bool, true for an annualised
        value, drawn with a hatch).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; new axes the width of an A4 text block when omitted.
    language : {"id", "en"}
        Language of the numbers: ``Rp43,3 T`` or ``IDR 43.3 T``.
    value_label : str, optional
        Label of the value (y) axis.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, or repeats a period and series.
    """
    flags = ["estimated"] if "estimated" in data.columns else []
    frame = _checked_frame(
        data, "flow_comparison_chart", labels=["period", "series"], numeric=["value"], flags=flags
    )
    series = _labels_in_order(frame["series"])
    periods = _labels_in_order(frame["period"])
    marked = frame[frame["estimated"].astype(bool)] if flags else frame.iloc[0:0]
    estimated = set(zip(marked["period"], marked["series"], strict=True))
    palette = dict(zip(series, SERIES_COLOURS, strict=False))
    with report_style():
        ax = _axes_for(ax)
        labels = _grouped_bars(
            ax,
            frame,
            category="period",
            group="series",
            palette=palette,
            orient="v",
            write=partial(format_rupiah, language=language),
            value_label=value_label,
        )
        # One container per series, in palette order; a bar's category is its rounded centre.
        for name, container in zip(palette, ax.containers, strict=False):
            for bar in container.patches:
                period = periods[round(bar.get_x() + bar.get_width() / 2)]
                if (period, name) in estimated:
                    bar.set_hatch(REPORTED_HATCH)
                    bar.set_edgecolor(INSIDE_LABEL_COLOUR)
                    bar.set_linewidth(0)
        _make_room_for_labels(ax, labels, orient="v")
    return ax


# Line styles of the scenarios other than the baseline, in order: colour, dash and marker differ,
# so the lines stay apart for colour-blind readers and in black and white.
# Okabe-Ito colours other than the corridor's green.
PROJECTION_STYLES = (
    ("#D55E00", "--", "s"),
    ("#CC79A7", "-.", "^"),
    ("#7F7F7F", ":", "D"),
    ("#E69F00", (0, (5, 1, 1, 1, 1, 1)), "v"),
    ("#0072B2", (0, (1, 2)), "P"),
)


@_keeps_data
def projection_chart(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    language: str = "id",
    floor: float = 1.5,
    ceiling: float = 6.0,
    corridor_label: str | None = None,
    value_label: str | None = None,
    band: pd.DataFrame | None = None,
    band_label: str | None = None,
) -> Axes:
    """Projected months of claims covered per scenario, year by year, against the corridor.

    One line per scenario; the baseline is drawn thick in the report's colour with its values
    written below its points (the other scenarios are mostly measures that lift the line), the
    other scenarios thinner, each with its own colour, dash and marker. The healthy corridor
    between ``floor`` and ``ceiling`` (PP 53/2018) is shaded, and a line marks zero (net assets
    exhausted) when a value falls below it. The value axis is not cut at zero: months covered
    turn negative once net assets do.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per scenario and year, years in drawing order, with columns ``year`` (display
        label such as ``2025``), ``scenario`` (display label), ``value`` (months covered) and
        ``baseline`` (bool, true on the rows of the one baseline scenario).
        `jkn_analysis.projection.ProjectionResults.chart_data` gives this frame.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure of `FIGURE_SIZE_INCHES` when omitted.
    language : {"id", "en"}, default "id"
        Language of the numbers: ``3,53`` or ``3.53``.
    floor, ceiling : float, default 1.5 and 6.0
        Bounds of the corridor, in months.
    corridor_label : str, optional
        Legend label of the corridor; left out of the legend when omitted.
    value_label : str, optional
        Label of the value (y) axis.
    band : pandas.DataFrame, optional
        An uncertainty band of the baseline, shaded behind the lines: columns ``year`` (labels
        of ``data``), ``low`` and ``high`` (months, ``low <= high``).
        `jkn_analysis.projection.ProjectionResults.band_data` gives this frame.
    band_label : str, optional
        Legend label of the band.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, repeats a year and scenario, ``baseline`` is not
        boolean or marks more than one scenario, ``floor`` is above ``ceiling``, or the band
        lacks a column, names a year the data lack, or has ``low`` above ``high``.
    """
    chart = "projection_chart"
    frame = _checked_frame(
        data, chart, labels=["year", "scenario"], numeric=["value"], flags=["baseline"]
    )
    if floor > ceiling:
        raise ValueError(f"{chart}: floor ({floor}) is above ceiling ({ceiling})")
    frame = frame.assign(value=frame["value"].astype(float))
    baselines = _labels_in_order(frame.loc[frame["baseline"].astype(bool), "scenario"])
    if len(baselines) > 1:
        raise ValueError(f"{chart}: more than one baseline scenario: {', '.join(baselines)}")
    years = _labels_in_order(frame["year"])
    positions = {year: index for index, year in enumerate(years)}
    scenarios = baselines + [s for s in _labels_in_order(frame["scenario"]) if s not in baselines]
    if band is not None:
        band = _checked_frame(band, chart, labels=["year"], numeric=["low", "high"])
        unknown = [year for year in band["year"] if year not in positions]
        if unknown:
            raise ValueError(f"{chart}: band years {unknown} are not in the data")
        if (band["low"].astype(float) > band["high"].astype(float)).any():
            raise ValueError(f"{chart}: band has low above high")
    write = partial(format_number, language=language)
    with report_style():
        ax = _axes_for(ax)
        corridor = ax.axhspan(
            floor,
            ceiling,
            facecolor=CORRIDOR_COLOUR,
            alpha=CORRIDOR_ALPHA,
            linewidth=0,
            zorder=0,
            label=corridor_label or "_corridor",
        )
        handles: list[object] = [corridor] if corridor_label else []
        if band is not None:
            shade = ax.fill_between(
                [positions[year] for year in band["year"]],
                band["low"].astype(float),
                band["high"].astype(float),
                color=CURRENT_COLOUR,
                alpha=0.15,
                linewidth=0,
                zorder=1,
                label=band_label or "_band",
            )
            if band_label:
                handles.append(shade)
        others = iter(PROJECTION_STYLES * (1 + len(scenarios) // len(PROJECTION_STYLES)))
        for scenario in scenarios:
            points = frame[frame["scenario"] == scenario]
            x = [positions[year] for year in points["year"]]
            if scenario in baselines:
                style = {"color": CURRENT_COLOUR, "linewidth": 2.4, "marker": "o", "zorder": 4}
            else:
                colour, dashes, marker = next(others)
                style = {
                    "color": colour,
                    "linestyle": dashes,
                    "linewidth": 1.3,
                    "marker": marker,
                    "zorder": 3,
                }
            (line,) = ax.plot(x, points["value"], markersize=4, label=scenario, **style)
            handles.append(line)
            if scenario in baselines:
                for x_position, value in zip(x, points["value"], strict=True):
                    ax.annotate(
                        write(float(value), 2),
                        (x_position, value),
                        xytext=(0, -(LABEL_PADDING_POINTS + 3)),
                        textcoords="offset points",
                        ha="center",
                        va="top",
                        fontsize=LABEL_FONT_SIZE_POINTS,
                        color=CURRENT_COLOUR,
                        zorder=5,
                    )
        lowest, highest = float(frame["value"].min()), float(frame["value"].max())
        if band is not None:
            highest = max(highest, float(band["high"].astype(float).max()))
        if lowest < 0:
            ax.axhline(0, color=REFERENCE_COLOUR, linewidth=0.8, zorder=1)
        ax.set_xticks(range(len(years)), years)
        ax.set_xlim(-0.4, len(years) - 0.6)
        _style_value_axis(ax, orient="v", write=write, value_label=value_label)
        # Values may be negative: the axis runs from below the lowest value (or zero), with room
        # for the baseline's labels, to above the corridor and the highest value.
        span = max(ceiling, highest) - min(0.0, lowest)
        ax.set_ylim(
            min(0.0, lowest) - 0.15 * span,
            max(ceiling * REFERENCE_HEADROOM, highest + 0.05 * span),
        )
        ax.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0, 1.02),
            ncol=min(3, len(handles)),
            frameon=False,
            borderaxespad=0,
            handlelength=2.4,
            columnspacing=1.5,
        )
    return ax
