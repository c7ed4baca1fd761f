"""Charts of bars side by side: periods compared per segment or service, target against
realisation, and money flows per period.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.text import Annotation

from jkn_analysis.catalogue.formatting import format_compact, format_percent, format_rupiah
from jkn_analysis.report.charts.axes import legend_above, style_value_axis
from jkn_analysis.report.charts.data import axes_for, checked_frame, keeps_data, labels_in_order
from jkn_analysis.report.charts.docs import documented
from jkn_analysis.report.charts.labels import (
    bar_patches,
    bar_value,
    label_bars,
    make_room_for_labels,
)
from jkn_analysis.report.charts.style import (
    COMPARISON_COLOUR,
    CURRENT_COLOUR,
    FONT_SIZE_POINTS,
    GROUPED_BAR_WIDTH,
    INSIDE_LABEL_COLOUR,
    LABEL_FONT_SIZE_POINTS,
    LABEL_PADDING_POINTS,
    REPORTED_HATCH,
    SERIES_COLOURS,
    TEXT_COLOUR,
    ValueWriter,
    period_palette,
    report_style,
)


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
        order=labels_in_order(frame[category]),
        hue_order=list(palette),
        palette=palette,
        orient=orient,
        errorbar=None,
        saturation=1,
        width=GROUPED_BAR_WIDTH,
        legend=False,
        ax=ax,
    )
    style_value_axis(ax, orient=orient, write=write, scaled=True, value_label=value_label)
    bars = bar_patches(ax)
    labels = label_bars(ax, bars, [write(bar_value(bar, orient), 1) for bar in bars], orient=orient)
    legend_above(ax, [Patch(facecolor=colour, label=label) for label, colour in palette.items()])
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
    frame = checked_frame(data, chart, labels=[category, "period"], numeric=["value"])
    with report_style():
        ax = axes_for(ax)
        labels = _grouped_bars(
            ax,
            frame,
            category=category,
            group="period",
            palette=period_palette(labels_in_order(frame["period"])),
            orient="h",
            write=partial(format_compact, language=language),
            value_label=value_label,
        )
        make_room_for_labels(ax, labels, orient="h")
    return ax


@keeps_data
@documented
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
    {ax}
    language : {"id", "en"}, default "id"
        Language of the numbers: ``96,8 juta`` or ``96.8 million``.
    {value_label_x}

    {returns}

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


@keeps_data
@documented
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
    {ax}
    language : {"id", "en"}, default "id"
        Language of the numbers: ``121,9 juta`` or ``121.9 million``.
    {value_label_x}

    {returns}

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


@keeps_data
@documented
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
    {ax}
    language : {"id", "en"}, default "id"
        Language of the numbers.
    {value_label_y}

    {returns}

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, repeats a segment, or the two legend labels are
        equal (the bars could then not be told apart).
    """
    chart = "ick_attainment_chart"
    frame = checked_frame(
        data, chart, labels=["segment"], numeric=["target", "realised", "attainment"]
    )
    if target_label == realised_label:
        raise ValueError(f"{chart}: target_label and realised_label must differ")
    long = frame.melt(
        id_vars="segment", value_vars=["target", "realised"], var_name="measure", value_name="value"
    )
    long["measure"] = long["measure"].map({"target": target_label, "realised": realised_label})
    with report_style():
        ax = axes_for(ax)
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
        make_room_for_labels(ax, labels, orient="v")
    return ax


@keeps_data
@documented
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
    {ax}
    language : {"id", "en"}
        Language of the numbers: ``Rp43,3 T`` or ``IDR 43.3 T``.
    {value_label_y}

    {returns}

    Raises
    ------
    ValueError
        If ``data`` is empty, lacks a column, or repeats a period and series.
    """
    flags = ["estimated"] if "estimated" in data.columns else []
    frame = checked_frame(
        data, "flow_comparison_chart", labels=["period", "series"], numeric=["value"], flags=flags
    )
    series = labels_in_order(frame["series"])
    periods = labels_in_order(frame["period"])
    marked = frame[frame["estimated"].astype(bool)] if flags else frame.iloc[0:0]
    estimated = set(zip(marked["period"], marked["series"], strict=True))
    palette = dict(zip(series, SERIES_COLOURS, strict=False))
    with report_style():
        ax = axes_for(ax)
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
        make_room_for_labels(ax, labels, orient="v")
    return ax
