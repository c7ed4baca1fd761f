"""Charts of one series of bars: facilities, claims shares, claim ratio, months covered and
the investment mix.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from jkn_analysis.catalogue.formatting import format_number, format_percent, format_rupiah
from jkn_analysis.report.charts.axes import (
    legend_above,
    make_headroom,
    reference_line,
    shade_corridor,
    style_value_axis,
)
from jkn_analysis.report.charts.data import axes_for, check_corridor, checked_frame, keeps_data
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
    return bars, texts


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
        If ``data`` is empty, lacks a column, or repeats a period.
    """
    frame = checked_frame(data, "claim_ratio_chart", labels=["period"], numeric=["value"])
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
        If ``data`` is empty, lacks a column, repeats a period, ``reported`` is not boolean, or
        ``floor`` is above ``ceiling``.
    """
    chart = "months_covered_chart"
    frame = checked_frame(data, chart, labels=["period"], numeric=["value"], flags=["reported"])
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
