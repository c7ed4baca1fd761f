"""Line charts: headline indicators over time, and the projection of months covered per
scenario against the healthy corridor.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

from jkn_analysis.catalogue.formatting import (
    format_compact,
    format_number,
    format_percent,
    format_rupiah,
)
from jkn_analysis.report.charts.axes import (
    date_axis,
    legend_above,
    make_headroom,
    shade_corridor,
    style_value_axis,
)
from jkn_analysis.report.charts.data import (
    axes_for,
    check_corridor,
    checked_frame,
    date_positions,
    keeps_data,
    labels_in_order,
)
from jkn_analysis.report.charts.docs import documented
from jkn_analysis.report.charts.labels import make_room_for_labels, stack_point_labels
from jkn_analysis.report.charts.style import (
    CURRENT_COLOUR,
    LABEL_FONT_SIZE_POINTS,
    LABEL_PADDING_POINTS,
    REFERENCE_COLOUR,
    REFERENCE_HEADROOM,
    SERIES_COLOURS,
    ValueWriter,
    report_style,
)


@keeps_data
@documented
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
    {ax}
    language : {"id", "en"}
        Language of the numbers.
    unit : {"percent", "rupiah", "number"}
        How values and ticks are written: ``76,41%``, ``Rp43,32 T`` or ``269,5 juta``.
    {value_label_y}

    {returns}

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
    frame = checked_frame(data, "trend_chart", labels=["period", "series"], numeric=["value"])
    frame = frame.assign(value=frame["value"].astype(float))
    positions = date_positions(frame, "trend_chart")
    with report_style():
        ax = axes_for(ax)
        handles = []
        labels_by_date: dict[float, list[Annotation]] = {}
        for colour, series in zip(SERIES_COLOURS, labels_in_order(frame["series"]), strict=False):
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
        date_axis(ax, positions)
        style_value_axis(
            ax, orient="v", write=write, scaled=unit != "percent", value_label=value_label
        )
        make_headroom(ax, float(frame["value"].max()) * 1.05)
        groups = list(labels_by_date.values())
        stack_point_labels(ax, groups)
        make_room_for_labels(ax, [label for group in groups for label in group], orient="v")
        # The room above may have squeezed the axis a little: stack again on the final scale.
        stack_point_labels(ax, groups)
        legend_above(ax, handles)
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


@keeps_data
@documented
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
    {ax}
    language : {"id", "en"}, default "id"
        Language of the numbers: ``3,53`` or ``3.53``.
    {corridor}
    corridor_label : str, optional
        Legend label of the corridor; left out of the legend when omitted.
    {value_label_y}
    band : pandas.DataFrame, optional
        An uncertainty band of the baseline, shaded behind the lines: columns ``year`` (labels
        of ``data``), ``low`` and ``high`` (months, ``low <= high``).
        `jkn_analysis.projection.ProjectionResults.band_data` gives this frame.
    band_label : str, optional
        Legend label of the band.

    {returns}

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, repeats a year and scenario, ``baseline`` is not
        boolean or marks more than one scenario, ``floor`` is above ``ceiling``, or the band
        lacks a column, names a year the data lack, or has ``low`` above ``high``.
    """
    chart = "projection_chart"
    frame = checked_frame(
        data, chart, labels=["year", "scenario"], numeric=["value"], flags=["baseline"]
    )
    check_corridor(chart, floor, ceiling)
    frame = frame.assign(value=frame["value"].astype(float))
    baselines = labels_in_order(frame.loc[frame["baseline"].astype(bool), "scenario"])
    if len(baselines) > 1:
        raise ValueError(f"{chart}: more than one baseline scenario: {', '.join(baselines)}")
    years = labels_in_order(frame["year"])
    positions = {year: index for index, year in enumerate(years)}
    if band is not None:
        band = _checked_band(band, chart, positions)
    write = partial(format_number, language=language)
    with report_style():
        ax = axes_for(ax)
        corridor = shade_corridor(ax, floor, ceiling, corridor_label)
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
        handles += _scenario_lines(ax, frame, positions, baselines=baselines, write=write)
        lowest, highest = float(frame["value"].min()), float(frame["value"].max())
        if band is not None:
            highest = max(highest, float(band["high"].astype(float).max()))
        if lowest < 0:
            ax.axhline(0, color=REFERENCE_COLOUR, linewidth=0.8, zorder=1)
        ax.set_xticks(range(len(years)), years)
        ax.set_xlim(-0.4, len(years) - 0.6)
        style_value_axis(ax, orient="v", write=write, value_label=value_label)
        # Values may be negative: the axis runs from below the lowest value (or zero), with room
        # for the baseline's labels, to above the corridor and the highest value.
        span = max(ceiling, highest) - min(0.0, lowest)
        ax.set_ylim(
            min(0.0, lowest) - 0.15 * span,
            max(ceiling * REFERENCE_HEADROOM, highest + 0.05 * span),
        )
        # Up to three entries a row, with long handles so that the dashes can be told apart.
        legend_above(
            ax, handles, columns=min(3, len(handles)), handle_length=2.4, handle_height=0.7
        )
    return ax


def _checked_band(band: pd.DataFrame, chart: str, positions: dict[str, int]) -> pd.DataFrame:
    """The uncertainty band, refused when it names a year the data lack or has low above high."""
    band = checked_frame(band, chart, labels=["year"], numeric=["low", "high"])
    unknown = [year for year in band["year"] if year not in positions]
    if unknown:
        raise ValueError(f"{chart}: band years {unknown} are not in the data")
    if (band["low"].astype(float) > band["high"].astype(float)).any():
        raise ValueError(f"{chart}: band has low above high")
    return band


def _scenario_lines(
    ax: Axes,
    frame: pd.DataFrame,
    positions: dict[str, int],
    *,
    baselines: list[str],
    write: ValueWriter,
) -> list[Line2D]:
    """One line per scenario, the baseline first, thick and with its values below its points.

    The other scenarios take the `PROJECTION_STYLES` in turn. Returns the lines, for the legend.
    """
    scenarios = baselines + [s for s in labels_in_order(frame["scenario"]) if s not in baselines]
    others = iter(PROJECTION_STYLES * (1 + len(scenarios) // len(PROJECTION_STYLES)))
    lines = []
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
        lines.append(line)
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
    return lines
