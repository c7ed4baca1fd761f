"""The indicators a section states (`Facts`) and series of values over the history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from jkn_analysis.analysis.period import PeriodAnalysis
from jkn_analysis.catalogue.definitions import load_catalogue
from jkn_analysis.catalogue.numbers import round_half_up
from jkn_analysis.indicators.compute import Indicator


@dataclass(frozen=True)
class Facts:
    """Indicators of the reporting period by the name a section's template gives them.

    Attributes
    ----------
    items : dict of str to Indicator or None
        Each indicator (its value, unit, breakdown and method), ``None`` when not available.
    recomputed : frozenset of tuple
        Keys (``Indicator.key()``) of those whose published value differs from the one
        computed here: the report marks them.
    as_of : dict of str to datetime.date or None
        The month each indicator stands at when the source gives it at another date than
        the quarter's end (`PeriodAnalysis.as_of`), ``None`` otherwise.
    """

    items: dict[str, Indicator | None]
    recomputed: frozenset
    as_of: dict[str, dt.date | None] = field(default_factory=dict)

    @property
    def values(self) -> dict[str, float | str | None]:
        """Each indicator's unrounded value, ``None`` when not available."""
        return {name: None if item is None else item.value for name, item in self.items.items()}

    def frame(self) -> pd.DataFrame:
        """The facts as a table: ``name``, ``code``, breakdown, ``value``, ``rounded`` (half
        up, to the catalogue's decimals: what the report prints), ``method``, ``recomputed``."""
        catalogue = load_catalogue()
        rows = []
        for name, item in self.items.items():
            row = dict.fromkeys(("code", "breakdown", "value", "rounded", "method"))
            if item is not None:
                decimals = catalogue.indicator(item.code).decimals
                row = {
                    "code": item.code,
                    "breakdown": dict(item.dimensions) or None,
                    "value": item.value,
                    "rounded": float(round_half_up(item.value, decimals))
                    if isinstance(item.value, float)
                    else item.value,
                    "method": item.method,
                }
            rows.append(
                {
                    "name": name,
                    **row,
                    "recomputed": item is not None and item.key() in self.recomputed,
                }
            )
        return pd.DataFrame(rows)


def fact_name(code: str, dimensions: dict) -> str:
    """The name a template gives an indicator: its code, then its breakdown's value
    (``claims_expense_share`` of ``ritl``: ``claims_expense_share_ritl``)."""
    return "_".join([code, *dimensions.values()])


def facts_of(analysis: PeriodAnalysis, wanted: dict[str, tuple[str, dict]]) -> Facts:
    """The indicators ``wanted`` (name to code and breakdown) of the reporting period."""
    return Facts(
        items={name: analysis.indicator(code, **dims) for name, (code, dims) in wanted.items()},
        recomputed=frozenset(analysis.recomputed),
        as_of={name: analysis.as_of(code, **dims) for name, (code, dims) in wanted.items()},
    )


def history_frame(analysis: PeriodAnalysis, series: dict[str, tuple[str, dict]]) -> pd.DataFrame:
    """Values of indicators over every period up to the report's: ``period``, ``date`` (the
    period's end), ``series`` (the name in ``series``), ``value``."""
    rows = [
        {
            "period": period,
            "date": pd.Timestamp(period.end_date),
            "series": name,
            "value": value,
        }
        for period, indicators in sorted(analysis.history.items())
        for name, (code, dimensions) in series.items()
        if (value := indicators.value(code, **dimensions)) is not None
    ]
    return pd.DataFrame(rows, columns=["period", "date", "series", "value"])
