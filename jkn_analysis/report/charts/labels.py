"""The numbers written on a chart: labels at bar ends, inside bar tops or beside points,
placed so that they stay inside the axes and do not overlap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation

from jkn_analysis.report.charts.axes import measuring_renderer
from jkn_analysis.report.charts.style import (
    INSIDE_LABEL_COLOUR,
    LABEL_FONT_SIZE_POINTS,
    LABEL_PADDING_POINTS,
    LABEL_ROOM_SLACK,
    LIGHT_BAR_LUMINANCE,
    POINT_LABEL_GAP_POINTS,
    TEXT_COLOUR,
)


def bar_patches(ax: Axes) -> list[Rectangle]:
    """Bar patches of the axes, container by container (one container per hue level)."""
    return [bar for container in ax.containers for bar in container.patches]


def _bar_end(bar: Rectangle, orient: str) -> tuple[float, float]:
    """The middle of the bar's value end, in data coordinates."""
    if orient == "h":
        return bar.get_x() + bar.get_width(), bar.get_y() + bar.get_height() / 2
    return bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height()


def bar_value(bar: Rectangle, orient: str) -> float:
    """The value a bar stands for, as a Python float.

    Numbers reach `jkn_analysis.catalogue.formatting` as Python floats: a NumPy scalar's ``repr``
    (``np.float64(…)``) is not a number `round_half_up` can read.
    """
    return float(bar.get_width() if orient == "h" else bar.get_height())


def label_bars(
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


def label_outside(
    ax: Axes, bars: Sequence[Rectangle], texts: Sequence[str], *, orient: str
) -> None:
    """Label each bar beyond its value end, extending the value axis so the labels fit."""
    make_room_for_labels(ax, label_bars(ax, bars, texts, orient=orient), orient=orient)


def label_inside_or_above(ax: Axes, bars: Sequence[Rectangle], texts: Sequence[str]) -> None:
    """Label vertical bars inside their tops, or above a bar too short to hold its label."""
    renderer = measuring_renderer(ax.get_figure())
    padding_pixels = renderer.points_to_pixels(LABEL_PADDING_POINTS)
    outside = []
    for bar, text in zip(bars, texts, strict=True):
        (label,) = label_bars(ax, [bar], [text], orient="v", inside=True)
        bottom_pixels = ax.transData.transform((0, bar.get_y()))[1]
        if label.get_window_extent(renderer).y0 < bottom_pixels + padding_pixels:
            label.remove()
            outside += label_bars(ax, [bar], [text], orient="v")
    make_room_for_labels(ax, outside, orient="v")


def _inside_label_colour(bar: Rectangle) -> str:
    """White on a dark bar, dark text on a light one, whichever reads better."""
    red, green, blue, _ = bar.get_facecolor()
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return TEXT_COLOUR if luminance > LIGHT_BAR_LUMINANCE else INSIDE_LABEL_COLOUR


def make_room_for_labels(ax: Axes, labels: Sequence[Annotation], *, orient: str) -> None:
    """Extend the value axis so every label beyond a bar end stays inside the axes.

    A label's distance from its bar end is fixed in points, so the limit that keeps it inside
    can be solved for exactly: with limits (lower, upper) over a length L in pixels, the end
    ``a`` sits at ``(a - lower) / (upper - lower) * L``, which plus the label's extent must not
    pass the usable length.
    """
    if not labels:
        return
    renderer = measuring_renderer(ax.get_figure())
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


def stack_point_labels(ax: Axes, groups: Sequence[Sequence[Annotation]]) -> None:
    """Place the value labels of points that share a date so that no two overlap.

    In each group the label of the highest point goes above it, that of the lowest (when
    there are several) below it, and the others above theirs; going down from the top, a
    label that would overlap the one above it moves down until a gap separates them.
    Positions are solved in pixels on the current scale and kept as offsets in points.
    """
    renderer = measuring_renderer(ax.get_figure())
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
