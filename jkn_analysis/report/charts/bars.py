"""Charts of one series of bars: facilities, claims shares, claim ratio, months covered and
the investment mix.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from jkn_analysis.catalogue.formatting import format_number, format_percent, format_rupiah
from jkn_analysis.report.charts.axes import (
    date_axis,
    legend_above,
    make_headroom,
    reference_line,
    shade_corridor,
    style_value_axis,
)
from jkn_analysis.report.charts.data import (
    axes_for,
    check_corridor,
    checked_frame,
    date_positions,
    keeps_data,
)
from jkn_analysis.report.charts.docs import documented
from jkn_analysis.report.charts.labels import (
    bar_patches,
    bar_value,
    label_inside_or_above,
    label_outside,
)
from jkn_analysis.report.charts.style import (
    ALERT_COLOUR,
    CURRENT_COLOUR,
    REPORTED_COLOUR,
    REPORTED_HATCH,
    REPORTED_MARKER,
    SINGLE_BAR_WIDTH,
    TIME_BAR_GAP_SHARE,
    TIME_BAR_LONE_WIDTH_DAYS,
    ValueWriter,
    period_palette,
    report_style,
)


def _mark_reported(bar: Rectangle) -> None:
    """Draw a bar as a published figure: light tint with a hatch in the bar's own colour."""
    bar.set_facecolor(REPORTED_COLOUR)
    bar.set_edgecolor(CURRENT_COLOUR)
    bar.set_linewidth(0.6)
    bar.set_hatch(REPORTED_HATCH)


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
    positions: dict[str, float] | None = None,
) -> tuple[list[Rectangle], list[str]]:
    """One bar per row of ``frame``, in row order, on a value axis whose ticks ``write`` writes.

    Given ``positions`` (`date_positions` of the periods), vertical bars stand on a date axis
    (`_bars_in_time`); otherwise they are evenly spaced categories.

    The bars are `CURRENT_COLOUR` unless ``colours`` gives each its own. Bars flagged in
    ``reported`` are drawn as published figures and their labels carry `REPORTED_MARKER`.

    Returns the bars and their labels (each value written by ``write`` with ``decimals``)
    without writing the labels: the caller writes them after any reference line, so that a
    label is drawn over the line rather than crossed by it.
    """
    if positions is not None:
        bar_width = _bars_in_time(ax, frame, positions, category=category, value=value)
    else:
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
    bars = bar_patches(ax)
    if colours is not None:
        for bar, colour in zip(bars, colours, strict=True):
            bar.set_facecolor(colour)
    texts = [write(bar_value(bar, orient), decimals) for bar in bars]
    if reported is not None:
        for index, (bar, published) in enumerate(zip(bars, reported, strict=True)):
            if published:
                _mark_reported(bar)
                texts[index] += REPORTED_MARKER
    style_value_axis(ax, orient=orient, write=write, scaled=scaled, value_label=value_label)
    if positions is not None:
        # After the value axis is styled: the tick labels are measured at their drawn size.
        date_axis(ax, positions, bar_width=bar_width)
    return bars, texts


def _time_positions(frame: pd.DataFrame, chart: str) -> dict[str, float] | None:
    """The periods' places on a date axis when the data gives their dates, else ``None``.

    Two periods on one date would draw one bar over the other: refused.
    """
    if "date" not in frame.columns:
        return None
    positions = date_positions(frame, chart)
    if len(set(positions.values())) < len(positions):
        raise ValueError(f"{chart}: two periods have the same date")
    return positions


def _bars_in_time(
    ax: Axes, frame: pd.DataFrame, positions: dict[str, float], *, category: str, value: str
) -> float:
    """One bar per row at its ``date`` (the end of its period), in row order.

    A quarter after a year end then stands a quarter of a year's room from it, not a whole
    slot. Every bar has the same width, `TIME_BAR_GAP_SHARE` of the shortest time between two
    bars, so that neighbours never touch. Returns the width, in days.
    """
    x = [positions[period] for period in frame[category]]
    gaps = np.diff(sorted(set(x)))
    width = float(gaps.min()) * TIME_BAR_GAP_SHARE if len(gaps) else TIME_BAR_LONE_WIDTH_DAYS
    ax.bar(
        x,
        frame[value].astype(float),
        width=width,
        color=CURRENT_COLOUR,
        linewidth=0,
        label="_bars",
    )
    return width


@keeps_data
@documented
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
    {ax}
    language : {"id", "en"}, default "id"
        Language of the numbers: ``23.626`` or ``23,626``.
    target : float, optional
        Target count, drawn as a dashed horizontal line.
    target_label : str, optional
        Legend label of the target line, used as given (the caller writes any number in it
        with `format_number`, as in ``Target ICK 23.664``); without it the legend shows the
        target number alone.
    {value_label_y}

    {returns}

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, or repeats a period.
    """
    frame = checked_frame(data, "facilities_chart", labels=["period"], numeric=["value"])
    write = partial(format_number, language=language)
    with report_style():
        ax = axes_for(ax)
        bars, texts = _single_series_bars(
            ax,
            frame,
            category="period",
            value="value",
            orient="v",
            write=write,
            decimals=0,
            value_label=value_label,
            colours=period_palette(list(frame["period"])).values(),
        )
        if target is not None:
            legend_above(ax, [reference_line(ax, target, target_label or write(float(target), 0))])
        label_inside_or_above(ax, bars, texts)
    return ax


@keeps_data
@documented
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
    {ax}
    language : {"id", "en"}, default "id"
        Language of the numbers: ``57,1%`` or ``57.1%``.
    {value_label_x}

    {returns}

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, repeats a service or ``reported`` is not boolean.
    """
    frame = checked_frame(
        data, "claims_share_chart", labels=["service"], numeric=["share"], flags=["reported"]
    ).sort_values("share", ascending=False, kind="mergesort")
    with report_style():
        ax = axes_for(ax)
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
        label_outside(ax, bars, texts, orient="h")
    return ax


@keeps_data
@documented
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
        With a column ``date`` (the date each period ends) each bar stands at its date, so
        the time between bars shows the time between periods (a quarter after a year end
        sits close to it); without it the bars are evenly spaced.
    {ax}
    language : {"id", "en"}, default "id"
        Language of the numbers: ``112,2%`` or ``112.2%``.
    {value_label_y}
    threshold : float, default 100.0
        Percent at which the reference line is drawn.
    threshold_label : str, optional
        Legend label of the reference line; no legend when omitted.

    {returns}

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, repeats a period, or has a ``date`` that is not
        one or two periods share.
    """
    frame = checked_frame(data, "claim_ratio_chart", labels=["period"], numeric=["value"])
    positions = _time_positions(frame, "claim_ratio_chart")
    with report_style():
        ax = axes_for(ax)
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
            positions=positions,
        )
        line = reference_line(ax, threshold, threshold_label or "_threshold")
        if threshold_label:
            legend_above(ax, [line])
        label_outside(ax, bars, texts, orient="v")
    return ax


@keeps_data
@documented
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
        With a column ``date`` (the date each period ends) each bar stands at its date, so
        the time between bars shows the time between periods (a quarter after a year end
        sits close to it); without it the bars are evenly spaced.
    {ax}
    language : {"id", "en"}, default "id"
        Language of the numbers: ``5,15`` or ``5.15``.
    {corridor}
    corridor_label : str, optional
        Legend label of the corridor; no legend when omitted.
    {value_label_y}

    {returns}

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, repeats a period, has a ``date`` that is not one or
        that two periods share, ``reported`` is not boolean, or ``floor`` is above ``ceiling``.
    """
    chart = "months_covered_chart"
    frame = checked_frame(data, chart, labels=["period"], numeric=["value"], flags=["reported"])
    positions = _time_positions(frame, chart)
    check_corridor(chart, floor, ceiling)
    with report_style():
        ax = axes_for(ax)
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
            positions=positions,
        )
        corridor = shade_corridor(ax, floor, ceiling, corridor_label)
        make_headroom(ax, ceiling)
        if corridor_label:
            legend_above(ax, [corridor])
        label_outside(ax, bars, texts, orient="v")
    return ax


@keeps_data
@documented
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
    {ax}
    language : {"id", "en"}, default "id"
        Language of the numbers: ``Rp44,29 T (55,9%)`` or ``IDR 44.29 T (55.9%)``.
    {value_label_x}

    {returns}

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, or repeats an instrument.
    """
    frame = checked_frame(
        data, "investment_mix_chart", labels=["instrument"], numeric=["value", "share"]
    )
    with report_style():
        ax = axes_for(ax)
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
        label_outside(ax, bars, texts, orient="h")
    return ax
