"""Five-year projection of the DJS Kesehatan (the JKN social security fund), by scenario.

DJSN's report asks that the fund be managed "berdasarkan penilaian aktuaria, dengan
mempertimbangkan proyeksi DJS Kesehatan untuk setidaknya 5 tahun ke depan". This package is a
component projection for that purpose, written so that a reviewer can check it by hand:

- `history`: the starting point, from the figures up to the origin only (participants by
  payer group, the seasonal profile of a year's flows), and the conventions of measuring;
- `trends`, `fund`, `defaults`: the default drivers from the same figures: trends between
  consecutive years (members, contribution rates, utilisation and unit costs), the fund's
  yield and shares of its statements, and all of them with the pack's assumptions;
- `calendar`: the policy calendar (``catalogue/policy_calendar.yaml``): contribution rates of
  Perpres 64/2020, the operating cap of PMK 148/2023, dated tariff and premium steps;
- `model`: the formulas, one year at a time (members, premium, claims by service level,
  investment on the portfolio, operational fund, other items, net assets, months covered,
  funding gap);
- `years`: those formulas run, the state of each year carried to the next;
- `scenarios`: ``catalogue/scenarios.yaml``;
- `uncertainty`: the percentile band and the sensitivity table;
- `backtest`: the model from every origin the data allow, against what was published;
- `results`, `display_inputs`, `display`: all scenarios together, ``indicators.json``
  records, tables for the report and the notebook (which shows them through
  `jkn_analysis.report.projection_view`): what the projection starts from, then what comes out;
- `wording`: every sentence, in Indonesian and English, from ``catalogue/text.yaml``.

May import: catalogue, inputs, indicators.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.projection.backtest import Backtest, BacktestRow, run_backtest
from jkn_analysis.projection.calendar import (
    CalendarError,
    PolicyCalendar,
    load_calendar,
    parse_calendar,
)
from jkn_analysis.projection.defaults import derive_drivers
from jkn_analysis.projection.display import Display, Table
from jkn_analysis.projection.drivers import (
    DRIVER_SPECS,
    Drivers,
    ProjectionError,
    check_driver_value,
    parse_overrides,
)
from jkn_analysis.projection.history import (
    SeasonalCheck,
    Start,
    UpTo,
    derive_start,
    seasonal_history,
)
from jkn_analysis.projection.model import (
    DEFAULT_YEARS,
    MAX_YEARS,
    Projection,
    check_horizon,
    project,
)
from jkn_analysis.projection.results import ProjectionResults
from jkn_analysis.projection.scenarios import (
    BASELINE,
    BASELINE_SCENARIO,
    Cut,
    Scenario,
    ScenarioError,
    load_scenarios,
    parse_scenarios,
)
from jkn_analysis.projection.uncertainty import Band, Sensitivity, band, sensitivity
from jkn_analysis.projection.wording import LANGUAGES, Text


def project_scenarios(
    figures,
    period: Quarter | str,
    *,
    scenarios: Mapping[str, Scenario] | Path | str | None = None,
    calendar: PolicyCalendar | Path | str | None = None,
    years: int = DEFAULT_YEARS,
    overrides: str | Mapping[str, float] | None = None,
    with_band: bool = True,
    with_backtest: bool = True,
) -> ProjectionResults:
    """Project every scenario from the figures of ``period``: the entry point for the report.

    Parameters
    ----------
    figures : FigureSet
        Figures up to ``period`` at least (later periods are never looked at).
    period : Quarter or str
        The origin.
    scenarios : mapping, path or str, optional
        Scenarios, or a scenario file; the packaged one when omitted or ``""``.
    calendar : PolicyCalendar, path or str, optional
        The policy calendar, or its file; the packaged one when omitted or ``""``.
    years : int, default 5
        Years projected after the origin's year.
    overrides : mapping or JSON string, optional
        Driver overrides applied to every scenario (before each scenario's own), within the
        drivers' bounds.
    with_band, with_backtest : bool, default True
        Compute the percentile band (and the sensitivity table) and the back-test.

    Raises
    ------
    ProjectionError, ScenarioError, CalendarError
        With a message naming what is missing or invalid.
    """
    period = Quarter.parse(str(period))
    if not isinstance(calendar, PolicyCalendar):
        calendar = load_calendar(calendar or None)
    if scenarios is None or isinstance(scenarios, str | Path):
        scenarios = load_scenarios(scenarios or None, calendar)
    known = UpTo(figures, period)
    start = derive_start(known, period)
    defaults = derive_drivers(known, start, calendar)
    drivers = defaults.with_overrides(parse_overrides(overrides))
    shares, checks = seasonal_history(known, start)
    projections = {
        name: project(start, drivers, calendar, scenario, years, seasonal_shares=shares)
        for name, scenario in scenarios.items()
    }
    if BASELINE not in projections:
        baseline = project(start, drivers, calendar, None, years, seasonal_shares=shares)
        projections = {BASELINE: baseline} | projections
    spread = sens = None
    if with_band:
        spread = band(start, drivers, calendar, years)
        sens = sensitivity(start, drivers, calendar, years, projections[BASELINE])
    backtest = run_backtest(known, calendar) if with_backtest else None
    return ProjectionResults(
        start, drivers, defaults, calendar, projections, spread, sens, backtest, tuple(checks)
    )


__all__ = [
    "BASELINE",
    "BASELINE_SCENARIO",
    "DEFAULT_YEARS",
    "DRIVER_SPECS",
    "LANGUAGES",
    "MAX_YEARS",
    "Backtest",
    "BacktestRow",
    "Band",
    "CalendarError",
    "Cut",
    "Display",
    "Drivers",
    "PolicyCalendar",
    "Projection",
    "ProjectionError",
    "ProjectionResults",
    "Scenario",
    "ScenarioError",
    "SeasonalCheck",
    "Sensitivity",
    "Start",
    "Table",
    "Text",
    "UpTo",
    "band",
    "check_driver_value",
    "check_horizon",
    "derive_drivers",
    "derive_start",
    "load_calendar",
    "load_scenarios",
    "parse_calendar",
    "parse_overrides",
    "parse_scenarios",
    "project",
    "project_scenarios",
    "run_backtest",
    "seasonal_history",
    "sensitivity",
]
