"""All scenarios of one origin, with the band, the sensitivity table and the back-test, and
their records for ``indicators.json``."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from jkn_analysis.indicators.compute import Indicator
from jkn_analysis.projection.backtest import Backtest
from jkn_analysis.projection.calendar import PolicyCalendar
from jkn_analysis.projection.drivers import DRIVER_SPECS, Drivers
from jkn_analysis.projection.history import Start
from jkn_analysis.projection.model import Projection
from jkn_analysis.projection.scenarios import BASELINE
from jkn_analysis.projection.uncertainty import Band, Sensitivity
from jkn_analysis.projection.wording import LANGUAGES, check_language

# indicators.json: code -> (table column, unit), per scenario and year.
YEARLY_RECORDS = {
    "projection_participants": ("participants", "persons"),
    "projection_premium_income": ("premium_income", "rupiah"),
    "projection_claims_expense": ("claims_expense", "rupiah"),
    "projection_investment_income": ("investment_income", "rupiah"),
    "projection_operating_cost": ("operating_cost", "rupiah"),
    "projection_surplus": ("surplus", "rupiah"),
    "projection_net_assets": ("net_assets", "rupiah"),
    "projection_months_covered": ("months_covered", "months"),
    "projection_funding_gap": ("funding_gap", "rupiah"),
}
BACKTEST_RECORDS = {
    "premium_income": ("projection_backtest_premium_error", "percent"),
    "claims_expense": ("projection_backtest_claims_error", "percent"),
    "months_covered": ("projection_backtest_months_error", "months"),
}
INPUTS = (
    "premium_income",
    "claims_expense_total",
    "djs_investment_income",
    "active_total",
    "registered_participants",
    "population",
)


@dataclass(frozen=True)
class ProjectionResults(Mapping[str, Projection]):
    """Projections of every scenario from one start: scenario name → `Projection`.

    Attributes
    ----------
    start : Start
    drivers : Drivers
        Drivers after the analyst's overrides, before each scenario's own.
    default_drivers : Drivers
        Drivers as derived from the data.
    calendar : PolicyCalendar
    projections : mapping
        Scenario name → `Projection`, baseline first.
    band, sensitivity, backtest : optional
        The baseline's percentile band, the sensitivity table, the back-test over every origin.
    """

    start: Start
    drivers: Drivers
    default_drivers: Drivers
    calendar: PolicyCalendar
    projections: Mapping[str, Projection]
    band: Band | None = None
    sensitivity: Sensitivity | None = None
    backtest: Backtest | None = None
    seasonal_checks: tuple = ()

    def __getitem__(self, name: str) -> Projection:
        return self.projections[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.projections)

    def __len__(self) -> int:
        return len(self.projections)

    @property
    def baseline(self) -> Projection:
        return self.projections[BASELINE]

    def summaries(self, language: str = "id") -> dict[str, str]:
        """Scenario name → one sentence on its outcome."""
        check_language(language)
        return {name: p.summary().render(language) for name, p in self.projections.items()}

    def crossings(self) -> pd.DataFrame:
        """One row per scenario: first years below the floor and exhausted (``None``: never),
        and the last year's months covered, net assets and funding gap."""
        rows = []
        for name, p in self.projections.items():
            last = p.row(p.years[-1])
            rows.append(
                {
                    "scenario": name,
                    "first_year_below_floor": p.first_year_below_floor,
                    "first_year_exhausted": p.first_year_exhausted,
                    "last_year": p.years[-1],
                    "months_covered": last["months_covered"],
                    "net_assets": last["net_assets"],
                    "funding_gap": last["funding_gap"],
                }
            )
        return pd.DataFrame(rows).astype(
            {"first_year_below_floor": object, "first_year_exhausted": object}
        )

    def chart_data(self, language: str = "id") -> pd.DataFrame:
        """Months covered per scenario and year, for
        `jkn_analysis.report.charts.projection_chart`."""
        check_language(language)
        return pd.DataFrame(
            [
                {
                    "year": str(int(year)),
                    "scenario": p.scenario.label[language],
                    "value": float(months),
                    "baseline": name == BASELINE,
                }
                for name, p in self.projections.items()
                for year, months in zip(p.table["year"], p.table["months_covered"], strict=True)
            ]
        )

    def band_data(self) -> pd.DataFrame | None:
        """The band as ``year`` (text), ``low``, ``high``, or ``None`` without a band."""
        if self.band is None:
            return None
        return pd.DataFrame(
            {
                "year": [str(year) for year in self.band.years],
                "low": list(self.band.low),
                "high": list(self.band.high),
            }
        )

    def indicators(self) -> list[Indicator]:
        """Records for ``indicators.json``, period = the origin (see `YEARLY_RECORDS`)."""
        period = str(self.start.period)
        inputs = (*INPUTS, self.start.net_assets_source)
        items = []
        for name, p in self.projections.items():
            for row in p.table.to_dict("records"):
                dims = {"scenario": name, "year": str(int(row["year"]))}
                for code, (column, unit) in YEARLY_RECORDS.items():
                    items.append(
                        Indicator(code, float(row[column]), unit, period, dims, "computed", inputs)
                    )
            for code, year in (
                ("projection_first_year_below_floor", p.first_year_below_floor),
                ("projection_first_year_exhausted", p.first_year_exhausted),
            ):
                items.append(
                    Indicator(
                        code,
                        "none" if year is None else str(year),
                        "category",
                        period,
                        {"scenario": name},
                        "computed",
                        ("projection_months_covered",),
                    )
                )
        if self.band is not None:
            for year, low, high in zip(self.band.years, self.band.low, self.band.high, strict=True):
                for percentile, value in zip(self.band.percentiles, (low, high), strict=True):
                    items.append(
                        Indicator(
                            "projection_months_covered_band",
                            float(value),
                            "months",
                            period,
                            {
                                "scenario": BASELINE,
                                "year": str(year),
                                "percentile": str(percentile),
                            },
                            "computed",
                            ("projection_months_covered",),
                        )
                    )
        for name in self.drivers.names():
            items.append(
                Indicator(
                    "projection_driver",
                    float(self.drivers[name]),
                    DRIVER_SPECS[name].unit,
                    period,
                    {"driver": name, "basis": self.drivers.basis.get(name, "")},
                    "computed",
                    inputs,
                )
            )
        if self.backtest is not None:
            for row in self.backtest.rows:
                code, unit = BACKTEST_RECORDS[row.quantity]
                for forecast, value in (("model", row.error), ("naive", row.naive_error)):
                    if math.isnan(value):
                        continue
                    items.append(
                        Indicator(
                            code,
                            float(value),
                            unit,
                            period,
                            {
                                "origin": str(row.origin),
                                "year": str(row.year),
                                "forecast": forecast,
                            },
                            "computed",
                            (FIGURE_CODES[row.quantity],),
                        )
                    )
        return items

    def as_json(self) -> dict:
        """Everything as JSON-ready data: start, drivers, scenarios with their tables, band,
        sensitivity and back-test."""
        start = self.start
        document = {
            "period": str(start.period),
            "start": {
                "premium_income": start.premium,
                "claims_expense": start.claims,
                "investment_income": start.investment,
                "net_assets": start.net_assets,
                "net_assets_source": start.net_assets_source,
                "net_assets_derived": start.net_assets_derived,
                "participants": dict(start.members),
                "registered": start.registered,
                "population": start.population,
                "months_covered": start.months_covered,
                "explanation": {k: v.both() for k, v in start.explanation.items()},
            },
            "drivers": {
                name: {
                    "value": self.drivers[name],
                    "default": self.default_drivers.get(name),
                    "unit": DRIVER_SPECS[name].unit,
                    "basis": self.drivers.basis.get(name, ""),
                    "explanation": self.drivers.explanation[name].both()
                    if name in self.drivers.explanation
                    else {},
                    "history": list(self.drivers.spread.get(name, ())),
                }
                for name in self.drivers.names()
            },
            "scenarios": {
                name: {
                    "label": dict(p.scenario.label),
                    "illustrative": p.scenario.illustrative,
                    "drivers": dict(p.drivers.values),
                    "first_year_below_floor": p.first_year_below_floor,
                    "first_year_exhausted": p.first_year_exhausted,
                    "seasonal_shares": dict(p.seasonal),
                    "summary": p.summary().both(),
                    "notes": [note.both() for note in p.notes],
                    "table": json.loads(p.table.to_json(orient="records")),
                }
                for name, p in self.projections.items()
            },
        }
        if self.band is not None:
            document["band"] = {
                "percentiles": list(self.band.percentiles),
                "years": list(self.band.years),
                "low": list(self.band.low),
                "high": list(self.band.high),
                "drawn": dict(self.band.drawn),
                "simulations": self.band.simulations,
            }
        if self.sensitivity is not None:
            document["sensitivity"] = [
                {
                    "driver": row["driver"],
                    "change": {lang: row["change"].render(lang) for lang in LANGUAGES},
                    "months_covered": row["months"],
                    "net_assets": row["net_assets"],
                    "funding_gap": row["funding_gap"],
                }
                for row in self.sensitivity.rows
            ]
        if self.backtest is not None:
            document["backtest"] = [
                {
                    "origin": str(row.origin),
                    "year": row.year,
                    "horizon": row.horizon,
                    "quantity": row.quantity,
                    "predicted": row.predicted,
                    "actual": row.actual,
                    "error": row.error,
                    "naive": None if math.isnan(row.naive) else row.naive,
                    "naive_error": None if math.isnan(row.naive_error) else row.naive_error,
                    "target": row.target,
                    "met": row.met,
                }
                for row in self.backtest.rows
            ]
        return document


FIGURE_CODES = {
    "premium_income": "premium_income",
    "claims_expense": "claims_expense_total",
    "months_covered": "months_covered_reported",
}
