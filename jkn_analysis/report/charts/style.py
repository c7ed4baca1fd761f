"""The charts' look: palette, sizes, the report's font and the matplotlib settings.

Every colour and size a chart uses is named here, so that the charts look alike and a change
of style is made in one place. `report_style` applies the settings; `period_palette` colours
periods (the current one in the report's teal, earlier ones grey).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from functools import cache

import matplotlib as mpl
import seaborn as sns
from matplotlib import font_manager

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
# Bars on a date axis: each fills this share of the shortest time between two bars (a quarter
# after a year end leaves room for bars about two months wide), a lone bar this many days.
TIME_BAR_GAP_SHARE = 0.75
TIME_BAR_LONE_WIDTH_DAYS = 90.0
# Smallest gap between two stacked value labels of points on the same date, in points.
POINT_LABEL_GAP_POINTS = 1.0

PREFERRED_FONT = "Open Sans"
FALLBACK_FONT = "DejaVu Sans"  # ships with matplotlib, so it is always there
SVG_HASH_SALT = "jkn-analysis"

# Colours of the series of a trend or flow chart, in order: the report's teal first.
SERIES_COLOURS = ("#1F5F7A", "#D55E00", "#009E73", "#7F7F7F")

ValueWriter = Callable[[float, int], str]


# --- Style ---------------------------------------------------------------------------------------
@cache
def report_font() -> str:
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
        "font.family": [report_font()],
        "font.sans-serif": [report_font()],
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


def period_palette(periods: Sequence[str]) -> dict[str, str]:
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
