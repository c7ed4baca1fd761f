"""A finished chart as an SVG string for the HTML report, byte-identical for equal data."""

from __future__ import annotations

from io import StringIO

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure

from jkn_analysis.report.charts.style import report_style


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
