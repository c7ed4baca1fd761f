"""The data a chart takes and the axes it draws on.

`checked_frame` refuses data a chart cannot draw truthfully; `keeps_data` keeps the drawn data
on the figure for the report's text alternative and CSV download; `axes_for` gives the caller's
axes or new ones; `date_positions` places periods on a date axis.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes

from jkn_analysis.report.charts.style import FIGURE_SIZE_INCHES


def checked_frame(
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


def keeps_data(chart: Callable[..., Axes]) -> Callable[..., Axes]:
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


def axes_for(ax: Axes | None) -> Axes:
    """The caller's axes, or new axes on a figure the width of an A4 text block."""
    if ax is not None:
        return ax
    _, new_ax = plt.subplots(figsize=FIGURE_SIZE_INCHES)
    return new_ax


def labels_in_order(values: pd.Series) -> list[str]:
    """Distinct display labels in the order the rows come in (the caller's order)."""
    return list(pd.unique(values))


def date_positions(frame: pd.DataFrame, chart: str) -> dict[str, float]:
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


def check_corridor(chart: str, floor: float, ceiling: float) -> None:
    """Refuse a healthy corridor whose floor is above its ceiling."""
    if floor > ceiling:
        raise ValueError(f"{chart}: floor ({floor}) is above ceiling ({ceiling})")
