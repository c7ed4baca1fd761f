"""Charts of the quarterly JKN report, drawn with seaborn in a sober, official-statistics style.

Every chart function takes a tidy `pandas.DataFrame` first and keyword-only options after it,
draws on ``ax`` (or on a new A4-sized figure) and returns the `matplotlib.axes.Axes`, as seaborn
does; none shows or saves a figure. Every number written on a chart (bar labels, tick labels)
goes through `jkn_analysis.catalogue.formatting`, so that charts round half up exactly like the
text and the tables. The charts carry no titles and no wording of their own: captions come from
the HTML and axis or legend labels from the caller, who reads them from the catalogue.

`chart_to_svg` turns a finished chart into an SVG string that is byte-identical for equal data.
The report asks for its charts as a `ChartRequest` (a chart function, its data and options)
through a `ChartCache`, which gives a `DrawnChart` (the SVG, the data and the axis titles) from
its folder on disk when an equal chart was drawn before, in this or an earlier build.

Modules
-------
``bars``
    Charts of one series of bars: facilities, claims shares, claim ratio, months covered,
    investment mix.
``comparisons``
    Bars side by side: periods per segment or service, ICK target against realisation,
    money flows per period.
``lines``
    Line charts: headline indicators over time, the projection per scenario.
``style``
    Palette, sizes, font and matplotlib settings (`report_style`).
``data``
    The data a chart takes (checked, kept on the figure) and the axes it draws on.
``axes``
    Value ticks, grid, legend, reference lines, corridor and date axis.
``labels``
    Numbers written on bars and points, kept inside the axes and apart.
``docs``
    The docstring parts every chart shares.
``svg``
    `chart_to_svg`.
``cache``
    `ChartRequest`, `DrawnChart` and `ChartCache`: chart SVGs on disk, by a hash of the chart
    function, its arguments and the code and fonts that draw it.
``frames``
    A chart's data as JSON that reads back exactly, for the cache.

The chart functions are this package's own: their ``__module__`` is this package, where they
are imported from (and the name the chart cache keys them by).
"""

from __future__ import annotations

from jkn_analysis.report.charts.bars import (
    claim_ratio_chart,
    claims_share_chart,
    facilities_chart,
    investment_mix_chart,
    months_covered_chart,
)
from jkn_analysis.report.charts.cache import ChartCache, ChartRequest, DrawnChart
from jkn_analysis.report.charts.comparisons import (
    active_participants_chart,
    flow_comparison_chart,
    ick_attainment_chart,
    visits_chart,
)
from jkn_analysis.report.charts.lines import projection_chart, trend_chart
from jkn_analysis.report.charts.style import (
    ALERT_COLOUR,
    COMPARISON_COLOUR,
    CORRIDOR_COLOUR,
    CURRENT_COLOUR,
    FIGURE_SIZE_INCHES,
    REPORTED_MARKER,
    report_style,
)
from jkn_analysis.report.charts.svg import chart_to_svg

__all__ = [
    "ALERT_COLOUR",
    "COMPARISON_COLOUR",
    "CORRIDOR_COLOUR",
    "CURRENT_COLOUR",
    "FIGURE_SIZE_INCHES",
    "REPORTED_MARKER",
    "ChartCache",
    "ChartRequest",
    "DrawnChart",
    "active_participants_chart",
    "chart_to_svg",
    "claim_ratio_chart",
    "claims_share_chart",
    "facilities_chart",
    "flow_comparison_chart",
    "ick_attainment_chart",
    "investment_mix_chart",
    "months_covered_chart",
    "projection_chart",
    "report_style",
    "trend_chart",
    "visits_chart",
]

# Shown, documented and keyed (by the chart cache) by where they are imported from.
for _function in (
    active_participants_chart,
    chart_to_svg,
    claim_ratio_chart,
    claims_share_chart,
    facilities_chart,
    flow_comparison_chart,
    ick_attainment_chart,
    investment_mix_chart,
    months_covered_chart,
    projection_chart,
    report_style,
    trend_chart,
    visits_chart,
):
    _function.__module__ = __name__
del _function
