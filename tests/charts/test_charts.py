"""Tests of `jkn_analysis.report.charts`: what each chart draws, not how its pixels look.

Values are those of the 2024 Q1 report.
"""

from __future__ import annotations

import ast
import inspect
import warnings
from itertools import pairwise
from pathlib import Path

import matplotlib
import matplotlib.dates

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from jkn_analysis.catalogue.formatting import format_compact
from jkn_analysis.report import charts
from jkn_analysis.report.charts.axes import ReportTickFormatter
from jkn_analysis.report.charts.style import FONT_SIZE_POINTS, report_font


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- Helpers -------------------------------------------------------------------------------------
def bars(ax: Axes) -> list[Rectangle]:
    """Bar patches, container by container (one container per hue level)."""
    return [bar for container in ax.containers for bar in container.patches]


def widths(ax: Axes) -> list[float]:
    return [bar.get_width() for bar in bars(ax)]


def heights(ax: Axes) -> list[float]:
    return [bar.get_height() for bar in bars(ax)]


def texts(ax: Axes) -> list[str]:
    return [text.get_text() for text in ax.texts]


def tick_labels(axis) -> list[str]:
    """Tick labels as drawn, inside the view limits."""
    ax = axis.axes
    ax.get_figure().canvas.draw()
    low, high = sorted(axis.get_view_interval())
    return [
        tick.label1.get_text()
        for tick in axis.get_major_ticks()
        if low - 1e-9 <= tick.get_loc() <= high + 1e-9
    ]


def legend_labels(ax: Axes) -> list[str]:
    legend = ax.get_legend()
    return [] if legend is None else [text.get_text() for text in legend.get_texts()]


def labels_inside_axes(ax: Axes) -> bool:
    """Every text label lies within the axes box (measured on the drawn figure)."""
    figure = ax.get_figure()
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    return all(
        box.x0 - 0.5 <= extent.x0
        and extent.x1 <= box.x1 + 0.5
        and box.y0 - 0.5 <= extent.y0
        and extent.y1 <= box.y1 + 0.5
        for extent in (text.get_window_extent(renderer) for text in ax.texts)
    )


# --- Data ----------------------------------------------------------------------------------------
@pytest.fixture
def active() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "segment": ["PBI JK", "PBI JK", "PBPU Pemda", "PBPU Pemda"],
            "period": ["Des-23", "Mar-24", "Des-23", "Mar-24"],
            "value": [96_753_724, 96_725_576, 42_051_687, 42_552_132],
        }
    )


@pytest.fixture
def ick() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "segment": ["PPU", "PBPU", "BP"],
            "target": [53_959_720, 55_683_454, 4_479_259],
            "realised": [52_196_033, 51_756_673, 4_185_730],
        }
    )
    return frame.assign(attainment=frame["realised"] / frame["target"] * 100)


@pytest.fixture
def facilities() -> pd.DataFrame:
    return pd.DataFrame({"period": ["Des-23", "Mar-24"], "value": [23_626, 23_245]})


@pytest.fixture
def visits() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "service": ["RJTP", "RITP", "RJTL", "RITL"],
            "period": ["Mar-24"] * 4,
            "value": [121_860_000, 703_700, 34_640_000, 4_300_000],
        }
    )


@pytest.fixture
def claims_share() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "service": ["RJTP", "RITP", "RJTL", "RITL", "Promotif preventif"],
            "share": [11.0, 1.0, 30.61, 57.06, 0.5],
            "reported": [True, True, False, False, True],
        }
    )


@pytest.fixture
def claim_ratio() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["2021", "2022", "TW I 2024"],
            "date": pd.to_datetime(["2021-12-31", "2022-12-31", "2024-03-31"]),
            "value": [63.03, 78.84, 112.23],
        }
    )


@pytest.fixture
def months() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["2021", "2022", "TW I 2024"],
            "date": pd.to_datetime(["2021-12-31", "2022-12-31", "2024-03-31"]),
            "value": [5.15, 5.98, 3.98],
            "reported": [False, False, True],
        }
    )


@pytest.fixture
def investment() -> pd.DataFrame:
    total = 79.16e12
    frame = pd.DataFrame({"instrument": ["Deposito", "SUN"], "value": [44.29e12, 34.8e12]})
    return frame.assign(share=frame["value"] / total * 100)


@pytest.fixture
def coverage_trend() -> pd.DataFrame:
    """The coverage trend of the 2024 Q1 report: one series in December 2022 and 2023, three
    in March 2024, two of them 3,2 points apart."""
    rows = [
        ("TW IV 2022", "2022-12-31", "Aktif/terdaftar", 82.15),
        ("TW IV 2023", "2023-12-31", "Aktif/terdaftar", 79.88),
        ("TW I 2024", "2024-03-31", "Aktif/terdaftar", 79.59),
        ("TW I 2024", "2024-03-31", "Cakupan", 96.00),
        ("TW I 2024", "2024-03-31", "Aktif/penduduk", 76.41),
    ]
    frame = pd.DataFrame(rows, columns=["period", "date", "series", "value"])
    return frame.assign(date=pd.to_datetime(frame["date"]))


@pytest.fixture
def flows() -> pd.DataFrame:
    # FY2021 and FY2022 (public figures), and a year marked as annualised.
    return pd.DataFrame(
        {
            "period": ["2021", "2021", "2022", "2022"] + ["2024 (disetahunkan)"] * 2,
            "series": ["Iuran", "Beban", "Iuran", "Beban", "Iuran", "Beban"],
            "estimated": [False, False, False, False, True, True],
            "value": [143.31e12, 90.33e12, 144.04e12, 113.47e12, 150e12, 160e12],
        }
    )


@pytest.fixture
def projection() -> pd.DataFrame:
    """A baseline that falls below the floor and below zero, and one measure that lifts it."""
    return pd.DataFrame(
        {
            "year": ["2025", "2026", "2027"] * 2,
            "scenario": ["Dasar"] * 3 + ["Kenaikan iuran"] * 3,
            "value": [3.53, 1.2, -0.8, 4.1, 3.9, 3.6],
            "baseline": [True] * 3 + [False] * 3,
        }
    )


# --- Shared behaviour ----------------------------------------------------------------------------
CHARTS = {
    "active": (charts.active_participants_chart, {}),
    "ick": (charts.ick_attainment_chart, {"target_label": "Target", "realised_label": "Realisasi"}),
    "facilities": (charts.facilities_chart, {"target": 23_664, "target_label": "Target"}),
    "visits": (charts.visits_chart, {}),
    "claims_share": (charts.claims_share_chart, {}),
    "claim_ratio": (charts.claim_ratio_chart, {}),
    "months": (charts.months_covered_chart, {"corridor_label": "Rentang sehat"}),
    "investment": (charts.investment_mix_chart, {}),
    "coverage_trend": (charts.trend_chart, {}),
    "flows": (charts.flow_comparison_chart, {}),
    "projection": (charts.projection_chart, {"corridor_label": "Rentang sehat"}),
}
# Charts whose value axis may not start at zero: lines over time, and a projection that may
# fall below zero.
LINE_CHARTS = {"coverage_trend", "projection"}


@pytest.fixture
def frames(
    active,
    ick,
    facilities,
    visits,
    claims_share,
    claim_ratio,
    months,
    investment,
    coverage_trend,
    flows,
    projection,
):
    return {
        "active": active,
        "ick": ick,
        "facilities": facilities,
        "visits": visits,
        "claims_share": claims_share,
        "claim_ratio": claim_ratio,
        "months": months,
        "investment": investment,
        "coverage_trend": coverage_trend,
        "flows": flows,
        "projection": projection,
    }


@pytest.mark.parametrize("name", sorted(name for name in charts.__all__ if name.endswith("_chart")))
def test_every_chart_takes_data_first_and_keyword_only_options(name):
    """The seaborn-style API: ``chart(data, *, ax=None, language="id", ...) -> Axes``."""
    parameters = list(inspect.signature(getattr(charts, name)).parameters.values())
    assert parameters[0].name == "data"
    assert parameters[0].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters[1:])
    options = {p.name: p.default for p in parameters[1:]}
    assert options["ax"] is None
    assert options["language"] == "id"
    assert inspect.signature(getattr(charts, name)).return_annotation == "Axes"
    assert name in CHARTS_BY_FUNCTION, "every chart is held to the shared behaviour below"


def test_no_chart_shows_or_saves_a_figure():
    """Drawing stays the caller's: only `chart_to_svg` saves, and nothing shows."""
    package = Path(charts.__file__).parent
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr != "show", path.name
                assert node.func.attr != "savefig" or path.name == "svg.py", path.name


def test_chart_functions_are_the_packages_own():
    """The preview's chart cache finds them by ``__module__`` and replaces them on the package."""
    for name in charts.__all__:
        if name.endswith("_chart"):
            assert getattr(charts, name).__module__ == charts.__name__


CHARTS_BY_FUNCTION = {function.__name__ for function, _ in CHARTS.values()}


@pytest.mark.parametrize("name", CHARTS)
class TestEveryChart:
    def test_returns_the_axes_it_was_given(self, name, frames):
        function, options = CHARTS[name]
        _, ax = plt.subplots()
        assert function(frames[name], ax=ax, **options) is ax

    def test_creates_an_a4_sized_figure_without_ax(self, name, frames):
        function, options = CHARTS[name]
        ax = function(frames[name], **options)
        assert isinstance(ax, Axes)
        assert tuple(ax.get_figure().get_size_inches()) == pytest.approx(charts.FIGURE_SIZE_INCHES)

    def test_has_no_title_and_a_clean_frame(self, name, frames):
        function, options = CHARTS[name]
        ax = function(frames[name], **options)
        assert ax.get_title() == ""
        assert not ax.spines["top"].get_visible()
        assert not ax.spines["right"].get_visible()

    def test_missing_column_is_named(self, name, frames):
        function, options = CHARTS[name]
        data = frames[name]
        column = data.columns[-1]
        with pytest.raises(ValueError, match=repr(column)):
            function(data.drop(columns=column), **options)

    def test_empty_data_is_refused(self, name, frames):
        function, options = CHARTS[name]
        with pytest.raises(ValueError, match="empty"):
            function(frames[name].iloc[0:0], **options)

    def test_labels_stay_inside_the_axes(self, name, frames):
        function, options = CHARTS[name]
        assert labels_inside_axes(function(frames[name], **options))

    def test_draws_without_warnings(self, name, frames):
        function, options = CHARTS[name]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            charts.chart_to_svg(function(frames[name], **options))

    def test_keeps_the_data_it_drew_on_the_figure(self, name, frames):
        function, options = CHARTS[name]
        ax = function(frames[name], **options)
        pd.testing.assert_frame_equal(ax.get_figure().jkn_data, frames[name])


@pytest.mark.parametrize("name", [name for name in CHARTS if name not in LINE_CHARTS])
def test_bars_start_at_zero(name, frames):
    function, options = CHARTS[name]
    ax = function(frames[name], **options)
    horizontal = name in {"active", "visits", "claims_share", "investment"}
    lower = ax.get_xlim()[0] if horizontal else ax.get_ylim()[0]
    assert lower == 0


# --- One class per chart -------------------------------------------------------------------------
class TestActiveParticipantsChart:
    def test_one_bar_per_segment_and_period(self, active):
        ax = charts.active_participants_chart(active)
        # First container holds the first period's bars, in segment order.
        assert widths(ax) == [96_753_724, 42_051_687, 96_725_576, 42_552_132]

    def test_bar_labels_are_compact_indonesian(self, active):
        ax = charts.active_participants_chart(active)
        assert texts(ax) == ["96,8 juta", "42,1 juta", "96,7 juta", "42,6 juta"]

    def test_tick_labels_are_compact(self, active):
        ax = charts.active_participants_chart(active)
        labels = tick_labels(ax.xaxis)
        assert labels[0] == "0"
        assert "100 juta" in labels

    def test_current_period_gets_the_report_colour(self, active):
        ax = charts.active_participants_chart(active)
        first, second = ax.containers
        assert matplotlib.colors.to_hex(second.patches[0].get_facecolor()) == (
            charts.CURRENT_COLOUR.lower()
        )
        assert matplotlib.colors.to_hex(first.patches[0].get_facecolor()) == (
            charts.COMPARISON_COLOUR.lower()
        )

    def test_legend_keeps_row_order_and_has_no_frame(self, active):
        ax = charts.active_participants_chart(active)
        assert legend_labels(ax) == ["Des-23", "Mar-24"]
        assert not ax.get_legend().get_frame_on()

    def test_segments_in_row_order(self, active):
        ax = charts.active_participants_chart(active)
        assert [label.get_text() for label in ax.get_yticklabels()] == ["PBI JK", "PBPU Pemda"]

    def test_value_label_on_the_value_axis(self, active):
        ax = charts.active_participants_chart(active, value_label="Peserta aktif")
        assert ax.get_xlabel() == "Peserta aktif"
        assert ax.get_ylabel() == ""

    def test_english(self, active):
        ax = charts.active_participants_chart(active, language="en")
        assert texts(ax)[0] == "96.8 million"

    def test_grid_on_the_value_axis_only(self, active):
        ax = charts.active_participants_chart(active)
        assert any(line.get_visible() for line in ax.get_xgridlines())
        assert not any(line.get_visible() for line in ax.get_ygridlines())

    def test_repeated_segment_and_period_is_refused(self, active):
        with pytest.raises(ValueError, match="more than one row"):
            charts.active_participants_chart(pd.concat([active, active.iloc[[0]]]))

    def test_missing_value_is_refused(self, active):
        with pytest.raises(ValueError, match="'value'"):
            charts.active_participants_chart(active.assign(value=[1.0, None, 2.0, 3.0]))

    def test_not_a_dataframe(self):
        with pytest.raises(TypeError):
            charts.active_participants_chart([1, 2, 3])


class TestIckAttainmentChart:
    def draw(self, data, **options):
        return charts.ick_attainment_chart(
            data, target_label="Target", realised_label="Realisasi", **options
        )

    def test_target_then_realised_bars(self, ick):
        ax = self.draw(ick)
        assert heights(ax) == [
            53_959_720,
            55_683_454,
            4_479_259,
            52_196_033,
            51_756_673,
            4_185_730,
        ]

    def test_attainment_above_each_segment(self, ick):
        ax = self.draw(ick)
        assert {"96,7%", "92,9%", "93,4%"} <= set(texts(ax))
        attainment = next(text for text in ax.texts if text.get_text() == "96,7%")
        assert attainment.xy == (0, 53_959_720)

    def test_bar_labels_in_short_compact_form(self, ick):
        ax = self.draw(ick)
        assert {"54,0 jt", "52,2 jt", "4,5 jt", "4,2 jt"} <= set(texts(ax))

    def test_legend_uses_the_callers_labels(self, ick):
        assert legend_labels(self.draw(ick)) == ["Target", "Realisasi"]

    def test_english(self, ick):
        ax = self.draw(ick, language="en")
        assert {"96.7%", "92.9%", "93.4%"} <= set(texts(ax))

    def test_equal_legend_labels_are_refused(self, ick):
        with pytest.raises(ValueError, match="must differ"):
            charts.ick_attainment_chart(ick, target_label="X", realised_label="X")

    def test_legend_labels_are_required(self, ick):
        with pytest.raises(TypeError):
            charts.ick_attainment_chart(ick)


class TestFacilitiesChart:
    def test_bars_and_exact_labels(self, facilities):
        ax = charts.facilities_chart(facilities)
        assert heights(ax) == [23_626, 23_245]
        assert texts(ax) == ["23.626", "23.245"]

    def test_target_line_dashed_with_label(self, facilities):
        ax = charts.facilities_chart(facilities, target=23_664, target_label="Target ICK 23.664")
        (line,) = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
        assert set(line.get_ydata()) == {23_664}
        assert legend_labels(ax) == ["Target ICK 23.664"]

    def test_target_without_label_shows_the_number(self, facilities):
        ax = charts.facilities_chart(facilities, target=23_664)
        assert legend_labels(ax) == ["23.664"]

    def test_numpy_target(self, facilities):
        ax = charts.facilities_chart(facilities, target=np.float64(23_664))
        assert legend_labels(ax) == ["23.664"]

    def test_no_target_no_line(self, facilities):
        ax = charts.facilities_chart(facilities)
        assert ax.get_lines() == []
        assert ax.get_legend() is None

    def test_axis_starts_at_zero_and_shows_the_target(self, facilities):
        ax = charts.facilities_chart(facilities, target=30_000)
        low, high = ax.get_ylim()
        assert low == 0
        assert high > 30_000

    def test_english_thousands_separator(self, facilities):
        ax = charts.facilities_chart(facilities, language="en")
        assert texts(ax) == ["23,626", "23,245"]

    def test_tick_labels_through_formatting(self, facilities):
        ax = charts.facilities_chart(facilities)
        assert "20.000" in tick_labels(ax.yaxis)

    def test_short_bar_labelled_above(self):
        data = pd.DataFrame({"period": ["A", "B"], "value": [10_000, 50]})
        ax = charts.facilities_chart(data)
        short = next(text for text in ax.texts if text.get_text() == "50")
        assert short.get_va() == "bottom"
        tall = next(text for text in ax.texts if text.get_text() == "10.000")
        assert tall.get_va() == "top"


class TestVisitsChart:
    def test_bars_equal_the_data(self, visits):
        ax = charts.visits_chart(visits)
        assert widths(ax) == [121_860_000, 703_700, 34_640_000, 4_300_000]

    def test_small_bars_still_show_their_number(self, visits):
        ax = charts.visits_chart(visits)
        assert texts(ax) == ["121,9 juta", "703,7 ribu", "34,6 juta", "4,3 juta"]

    def test_linear_axis(self, visits):
        assert charts.visits_chart(visits).get_xscale() == "linear"

    def test_two_periods(self, visits):
        earlier = visits.assign(period="Mar-23", value=visits["value"] * 0.9)
        ax = charts.visits_chart(pd.concat([earlier, visits]))
        assert len(bars(ax)) == 8
        assert legend_labels(ax) == ["Mar-23", "Mar-24"]


class TestClaimsShareChart:
    def test_sorted_descending(self, claims_share):
        ax = charts.claims_share_chart(claims_share)
        assert widths(ax) == [57.06, 30.61, 11.0, 1.0, 0.5]
        assert [label.get_text() for label in ax.get_yticklabels()] == [
            "RITL",
            "RJTL",
            "RJTP",
            "RITP",
            "Promotif preventif",
        ]

    def test_labels_with_marker_on_reported_shares(self, claims_share):
        ax = charts.claims_share_chart(claims_share)
        assert texts(ax) == ["57,1%", "30,6%", "11,0%*", "1,0%*", "0,5%*"]

    def test_reported_bars_are_hatched(self, claims_share):
        ax = charts.claims_share_chart(claims_share)
        assert [bool(bar.get_hatch()) for bar in bars(ax)] == [False, False, True, True, True]

    def test_tick_labels_are_percent(self, claims_share):
        ax = charts.claims_share_chart(claims_share)
        labels = tick_labels(ax.xaxis)
        assert labels[0] == "0%"
        assert all(label.endswith("%") for label in labels)

    def test_english(self, claims_share):
        ax = charts.claims_share_chart(claims_share, language="en")
        assert texts(ax)[:3] == ["57.1%", "30.6%", "11.0%*"]

    def test_reported_must_be_boolean(self, claims_share):
        with pytest.raises(ValueError, match="'reported'"):
            charts.claims_share_chart(claims_share.assign(reported=["ya"] * 5))


class TestClaimRatioChart:
    def test_bars_and_labels(self, claim_ratio):
        ax = charts.claim_ratio_chart(claim_ratio)
        assert heights(ax) == [63.03, 78.84, 112.23]
        assert texts(ax) == ["63,0%", "78,8%", "112,2%"]

    def test_reference_line_at_100(self, claim_ratio):
        ax = charts.claim_ratio_chart(claim_ratio)
        lines = [line for line in ax.get_lines() if isinstance(line, Line2D)]
        assert [set(line.get_ydata()) for line in lines] == [{100.0}]
        assert ax.get_ylim()[1] > 112.23

    def test_bars_above_the_threshold_in_alert_colour(self, claim_ratio):
        ax = charts.claim_ratio_chart(claim_ratio)
        colours = [matplotlib.colors.to_hex(bar.get_facecolor()) for bar in bars(ax)]
        current, alert = charts.CURRENT_COLOUR.lower(), charts.ALERT_COLOUR.lower()
        assert colours == [current, current, alert]

    def test_other_threshold(self, claim_ratio):
        ax = charts.claim_ratio_chart(claim_ratio, threshold=70.0, threshold_label="Batas")
        colours = [matplotlib.colors.to_hex(bar.get_facecolor()) for bar in bars(ax)]
        assert colours[0] == charts.CURRENT_COLOUR.lower()
        assert colours[1] == charts.ALERT_COLOUR.lower()
        assert legend_labels(ax) == ["Batas"]

    def test_english(self, claim_ratio):
        ax = charts.claim_ratio_chart(claim_ratio, language="en")
        assert texts(ax) == ["63.0%", "78.8%", "112.2%"]

    def test_percent_ticks(self, claim_ratio):
        ax = charts.claim_ratio_chart(claim_ratio)
        assert "100%" in tick_labels(ax.yaxis)


class TestMonthsCoveredChart:
    def test_bars_and_labels(self, months):
        ax = charts.months_covered_chart(months)
        assert heights(ax) == [5.15, 5.98, 3.98]
        assert texts(ax) == ["5,15", "5,98", "3,98*"]

    def test_corridor_covers_floor_to_ceiling(self, months):
        ax = charts.months_covered_chart(months, corridor_label="Rentang sehat")
        (corridor,) = [patch for patch in ax.patches if patch not in bars(ax)]
        bottom = corridor.get_y()
        assert (bottom, bottom + corridor.get_height()) == pytest.approx((1.5, 6.0))
        assert corridor.get_alpha() == pytest.approx(0.15)
        assert legend_labels(ax) == ["Rentang sehat"]
        assert ax.get_ylim()[1] > 6.0

    def test_reported_value_hatched(self, months):
        ax = charts.months_covered_chart(months)
        assert [bool(bar.get_hatch()) for bar in bars(ax)] == [False, False, True]

    def test_no_corridor_label_no_legend(self, months):
        assert charts.months_covered_chart(months).get_legend() is None

    def test_english(self, months):
        ax = charts.months_covered_chart(months, language="en")
        assert texts(ax) == ["5.15", "5.98", "3.98*"]

    def test_floor_above_ceiling_is_refused(self, months):
        with pytest.raises(ValueError, match="floor"):
            charts.months_covered_chart(months, floor=7, ceiling=6)


# --- Claim ratio and months covered: bars on a date axis ----------------------------------------
@pytest.fixture
def four_periods() -> pd.DataFrame:
    """Three year ends and the first quarter after the last: the report's history."""
    return pd.DataFrame(
        {
            "period": ["2021", "2022", "2023", "TW I 2024"],
            "value": [63.03, 78.84, 104.7, 112.23],
            "reported": [False, False, False, True],
            "date": pd.to_datetime(["2021-12-31", "2022-12-31", "2023-12-31", "2024-03-31"]),
        }
    )


def bar_middles(ax: Axes) -> list[float]:
    return [bar.get_x() + bar.get_width() / 2 for bar in bars(ax)]


def tick_boxes(ax: Axes):
    figure = ax.get_figure()
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    return [label.get_window_extent(renderer) for label in ax.get_xticklabels()]


TIME_BAR_CHARTS = [charts.claim_ratio_chart, charts.months_covered_chart]


@pytest.mark.parametrize("chart", TIME_BAR_CHARTS, ids=lambda chart: chart.__name__)
class TestBarsInTime:
    def test_each_bar_stands_at_its_period_end(self, chart, four_periods):
        ax = chart(four_periods)
        expected = matplotlib.dates.date2num(four_periods["date"])
        assert bar_middles(ax) == pytest.approx(list(expected))
        assert list(ax.get_xticks()) == pytest.approx(list(expected))
        assert [label.get_text() for label in ax.get_xticklabels()] == list(four_periods["period"])

    def test_a_quarter_takes_a_quarter_of_a_years_room(self, chart, four_periods):
        x = bar_middles(chart(four_periods))
        year, quarter = x[2] - x[1], x[3] - x[2]
        assert year == pytest.approx(x[1] - x[0])
        assert quarter / year == pytest.approx(91 / 365)

    def test_bars_are_alike_apart_and_inside_the_axes(self, chart, four_periods):
        ax = chart(four_periods)
        drawn = bars(ax)
        assert len(set(widths(ax))) == 1
        # Wide enough to read: more than a month, yet clear of the bar a quarter away.
        assert 30 < widths(ax)[0] < 91
        for left, right in pairwise(drawn):
            assert left.get_x() + left.get_width() < right.get_x()
        low, high = ax.get_xlim()
        assert low < drawn[0].get_x() and drawn[-1].get_x() + drawn[-1].get_width() < high

    def test_tick_and_value_labels_do_not_overlap(self, chart, four_periods):
        ax = chart(four_periods)
        for boxes in (tick_boxes(ax), list(text_boxes(ax).values())):
            for left, right in pairwise(boxes):
                assert left.x1 < right.x0, (left, right)
        assert labels_inside_axes(ax)

    def test_crowded_tick_labels_go_over_two_lines(self, chart, four_periods):
        _, ax = plt.subplots(figsize=(4.5, 2.5))
        chart(four_periods, ax=ax)
        labels = [label.get_text() for label in ax.get_xticklabels()]
        assert labels[-1] == "TW I\n2024"
        boxes = tick_boxes(ax)
        for left, right in pairwise(boxes):
            assert left.x1 < right.x0, (left, right)

    def test_data_kept_with_its_dates(self, chart, four_periods):
        kept = chart(four_periods).get_figure().jkn_data
        pd.testing.assert_frame_equal(kept, four_periods)

    def test_without_dates_the_bars_are_evenly_spaced(self, chart, four_periods):
        ax = chart(four_periods.drop(columns="date"))
        assert bar_middles(ax) == pytest.approx([0, 1, 2, 3])

    def test_two_periods_on_one_date_are_refused(self, chart, four_periods):
        frame = four_periods.assign(
            date=four_periods["date"].replace(
                pd.Timestamp("2024-03-31"), pd.Timestamp("2023-12-31")
            )
        )
        with pytest.raises(ValueError, match="same date"):
            chart(frame)

    def test_a_date_that_is_not_one_is_refused(self, chart, four_periods):
        with pytest.raises(ValueError, match="'date'"):
            chart(four_periods.assign(date=["2021", "2022", "2023", "kemarin"]))


class TestInvestmentMixChart:
    def test_bars_equal_the_data(self, investment):
        ax = charts.investment_mix_chart(investment)
        assert widths(ax) == [44.29e12, 34.8e12]

    def test_labels_combine_money_and_share(self, investment):
        ax = charts.investment_mix_chart(investment)
        assert texts(ax) == ["Rp44,29 T (55,9%)", "Rp34,80 T (44,0%)"]

    def test_english(self, investment):
        ax = charts.investment_mix_chart(investment, language="en")
        assert texts(ax) == ["IDR 44.29 T (55.9%)", "IDR 34.80 T (44.0%)"]

    def test_tick_labels_in_rupiah(self, investment):
        ax = charts.investment_mix_chart(investment)
        labels = tick_labels(ax.xaxis)
        assert "Rp40 T" in labels


class TestChartToSvg:
    def test_identical_for_equal_input(self, months):
        first = charts.chart_to_svg(charts.months_covered_chart(months, corridor_label="R"))
        second = charts.chart_to_svg(charts.months_covered_chart(months, corridor_label="R"))
        assert first == second
        assert first.startswith("<svg")
        assert "<?xml" not in first
        assert "DOCTYPE" not in first

    def test_accepts_a_figure_and_closes_it(self, claim_ratio):
        figure = charts.claim_ratio_chart(claim_ratio).get_figure()
        assert figure.number in plt.get_fignums()
        svg = charts.chart_to_svg(figure)
        assert svg.startswith("<svg")
        assert figure.number not in plt.get_fignums()

    def test_no_date_in_metadata(self, claim_ratio):
        svg = charts.chart_to_svg(charts.claim_ratio_chart(claim_ratio))
        assert "<dc:date>" not in svg


class TestReportStyle:
    def test_font_is_installed_and_explicit(self):
        with charts.report_style():
            families = matplotlib.rcParams["font.sans-serif"]
            assert families in (["Open Sans"], ["DejaVu Sans"])
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                matplotlib.font_manager.findfont(matplotlib.font_manager.FontProperties())

    def test_charts_keep_the_font_outside_the_style(self, active):
        # Drawing happens later (notebook display, savefig), outside `report_style`.
        ax = charts.active_participants_chart(active, value_label="Peserta")
        ax.get_figure().canvas.draw()
        font = report_font()
        assert ax.texts[0].get_fontfamily() == [font]
        assert ax.xaxis.label.get_fontfamily() == [font]
        assert ax.get_legend().get_texts()[0].get_fontfamily() == [font]
        assert {tick.label1.get_fontfamily()[0] for tick in ax.xaxis.get_major_ticks()} == {font}
        assert {tick.label1.get_fontfamily()[0] for tick in ax.yaxis.get_major_ticks()} == {font}

    def test_leaves_global_settings_alone(self):
        before = matplotlib.rcParams["font.size"]
        with charts.report_style():
            assert matplotlib.rcParams["font.size"] == FONT_SIZE_POINTS
        assert matplotlib.rcParams["font.size"] == before


class TestTickFormatter:
    @pytest.mark.parametrize(
        ("locations", "expected"),
        [
            ([0.0, 2.5e6, 5e6, 7.5e6], ["0", "2,5 juta", "5,0 juta", "7,5 juta"]),
            ([0.0, 20e6, 40e6], ["0", "20 juta", "40 juta"]),
        ],
    )
    def test_decimals_only_where_ticks_need_them(self, locations, expected):
        formatter = ReportTickFormatter(
            lambda value, decimals: format_compact(value, decimals), scaled=True
        )
        assert formatter.format_ticks(locations) == expected


# --- Trend chart: a date axis, labels that do not overlap ------------------------------------
def text_boxes(ax: Axes):
    figure = ax.get_figure()
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    return {text.get_text(): text.get_window_extent(renderer) for text in ax.texts}


class TestTrendChart:
    def test_one_line_per_series_in_the_series_colours(self, coverage_trend):
        ax = charts.trend_chart(coverage_trend)
        drawn = [(line.get_label(), list(line.get_ydata())) for line in ax.get_lines()]
        assert drawn == [
            ("Aktif/terdaftar", [82.15, 79.88, 79.59]),
            ("Cakupan", [96.00]),
            ("Aktif/penduduk", [76.41]),
        ]
        assert [line.get_color() for line in ax.get_lines()] == ["#1F5F7A", "#D55E00", "#009E73"]
        assert legend_labels(ax) == ["Aktif/terdaftar", "Cakupan", "Aktif/penduduk"]

    def test_every_point_carries_its_value(self, coverage_trend):
        ax = charts.trend_chart(coverage_trend)
        assert texts(ax) == ["82,15%", "79,88%", "79,59%", "96,00%", "76,41%"]
        # Persons in compact form with one decimal, money in rupiah with two.
        persons = coverage_trend.assign(value=coverage_trend["value"] * 1e6)
        assert texts(charts.trend_chart(persons, unit="number"))[0] == "82,2 juta"
        money = coverage_trend.assign(value=coverage_trend["value"] * 1e12)
        assert texts(charts.trend_chart(money, unit="rupiah"))[0] == "Rp82,15 T"

    def test_unknown_unit_is_refused(self, coverage_trend):
        with pytest.raises(ValueError, match="unit"):
            charts.trend_chart(coverage_trend, unit="months")

    def test_points_sit_at_their_dates(self, coverage_trend):
        ax = charts.trend_chart(coverage_trend)
        expected = matplotlib.dates.date2num(pd.to_datetime(["2022-12-31", "2023-12-31"]))
        first_line = ax.get_lines()[0]
        x = first_line.get_xdata()
        assert list(x[:2]) == pytest.approx(list(expected))
        # A year between the first two points, a quarter between the last two: 4 to 1.
        assert (x[1] - x[0]) / (x[2] - x[1]) == pytest.approx(365 / 91)

    def test_ticks_at_the_dates_with_period_labels(self, coverage_trend):
        ax = charts.trend_chart(coverage_trend)
        assert [tick.get_text() for tick in ax.get_xticklabels()] == [
            "TW IV 2022",
            "TW IV 2023",
            "TW I 2024",
        ]
        ticks = ax.get_xticks()
        assert ticks[1] - ticks[0] > 3.5 * (ticks[2] - ticks[1])

    def test_labels_of_close_points_do_not_overlap(self, coverage_trend):
        ax = charts.trend_chart(coverage_trend)
        boxes = list(text_boxes(ax).values())
        assert len(boxes) == 5
        for index, box in enumerate(boxes):
            for other in boxes[index + 1 :]:
                assert not box.overlaps(other), (box, other)

    def test_highest_label_above_its_point_lowest_below(self, coverage_trend):
        ax = charts.trend_chart(coverage_trend)
        boxes = text_boxes(ax)
        to_pixels = ax.transData.transform
        march = matplotlib.dates.date2num(pd.Timestamp("2024-03-31"))
        assert boxes["96,00%"].y0 > to_pixels((march, 96.00))[1]
        assert boxes["76,41%"].y1 < to_pixels((march, 76.41))[1]

    def test_labels_stay_inside_the_axes(self, coverage_trend):
        assert labels_inside_axes(charts.trend_chart(coverage_trend))

    def test_date_is_required(self, coverage_trend):
        with pytest.raises(ValueError, match="'date'"):
            charts.trend_chart(coverage_trend.drop(columns="date"))

    def test_a_period_with_two_dates_is_refused(self, coverage_trend):
        frame = coverage_trend.copy()
        frame.loc[4, "date"] = pd.Timestamp("2024-06-30")
        with pytest.raises(ValueError, match="more than one date"):
            charts.trend_chart(frame)


class TestFlowComparisonChart:
    def test_bars_side_by_side_per_period(self, flows):
        ax = charts.flow_comparison_chart(flows)
        # One container per series, in row order; within it the periods oldest first.
        assert heights(ax) == [143.31e12, 144.04e12, 150e12, 90.33e12, 113.47e12, 160e12]
        assert [label.get_text() for label in ax.get_xticklabels()] == [
            "2021",
            "2022",
            "2024 (disetahunkan)",
        ]
        assert legend_labels(ax) == ["Iuran", "Beban"]
        colours = [matplotlib.colors.to_hex(c.patches[0].get_facecolor()) for c in ax.containers]
        assert colours == [charts.CURRENT_COLOUR.lower(), charts.ALERT_COLOUR.lower()]

    def test_bar_labels_in_rupiah(self, flows):
        ax = charts.flow_comparison_chart(flows)
        assert texts(ax) == [
            "Rp143,3 T",
            "Rp144,0 T",
            "Rp150,0 T",
            "Rp90,3 T",
            "Rp113,5 T",
            "Rp160,0 T",
        ]
        english = charts.flow_comparison_chart(flows, language="en")
        assert texts(english)[0] == "IDR 143.3 T"

    def test_only_estimated_bars_are_hatched(self, flows):
        ax = charts.flow_comparison_chart(flows)
        hatched = sorted(bar.get_height() for bar in bars(ax) if bar.get_hatch())
        assert hatched == [150e12, 160e12]

    def test_without_the_column_nothing_is_hatched(self, flows):
        ax = charts.flow_comparison_chart(flows.drop(columns="estimated"))
        assert not any(bar.get_hatch() for bar in bars(ax))
