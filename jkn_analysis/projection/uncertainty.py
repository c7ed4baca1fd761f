"""Uncertainty of the projection: a percentile band from the spread of the drivers' history,
and a sensitivity table of the main drivers.

Band: every driver whose history holds two or more observations (``Drivers.spread``) is drawn
from a normal distribution around its value with the sample standard deviation of its history,
once per simulation (the uncertainty of a driver's level; a drawn trend fades as the model
fades it), clipped to the driver's bounds; the other drivers are held. The band is the 10th and
90th percentile of the baseline's months covered per year over `SIMULATIONS` runs with a fixed
seed, so the same inputs always give the same band.

Sensitivity: one standard change of each main driver (its history's standard deviation, or
one percentage point where the history is shorter), the others held, and its effect on the
last year's months covered, net assets and funding gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jkn_analysis.projection.calendar import PolicyCalendar
from jkn_analysis.projection.drivers import DRIVER_SPECS, Drivers
from jkn_analysis.projection.history import Start
from jkn_analysis.projection.model import Projection, project
from jkn_analysis.projection.scenarios import BASELINE_SCENARIO, Scenario
from jkn_analysis.projection.wording import Joined, Label, Text

SIMULATIONS = 500
SEED = 20_240_331  # fixed, so that builds are reproducible
PERCENTILES = (10, 90)
# Main drivers of the sensitivity table: a name, or a family changed together.
SENSITIVITY_DRIVERS = (
    ("members", "member_growth_"),
    ("premium_rate_growth", "premium_rate_growth"),
    ("utilisation", "utilisation_growth_"),
    ("medical_inflation", "medical_inflation"),
    ("investment_yield", "investment_yield"),
    ("operating_share", "operating_share"),
    ("other_share", "other_share"),
)


@dataclass(frozen=True)
class Band:
    """Percentiles of months covered per year (``low``, ``high``), and the drivers drawn."""

    years: tuple[int, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    drawn: dict[str, float]
    simulations: int
    percentiles: tuple[int, int] = PERCENTILES

    def describe(self) -> Text:
        if not self.drawn:
            return Text("band.none")
        drivers = Joined(
            [
                Text(
                    "band.driver",
                    label=Label(f"driver_labels.{name}"),
                    sd=DRIVER_SPECS[name].written(sd),
                )
                for name, sd in self.drawn.items()
            ],
            "; ",
        )
        low, high = self.percentiles
        return Text("band.text", low=low, high=high, n=self.simulations, drivers=drivers)


def band(
    start: Start,
    drivers: Drivers,
    calendar: PolicyCalendar,
    years: int,
    scenario: Scenario | None = None,
    *,
    simulations: int = SIMULATIONS,
    seed: int = SEED,
) -> Band:
    """The percentile band of months covered (see the module documentation)."""
    scenario = scenario or BASELINE_SCENARIO
    generator = np.random.default_rng(seed)
    drawn = {
        name: sd
        for name in drivers.names()
        if drivers.basis.get(name) != "override"
        and (sd := drivers.standard_deviation(name)) is not None
        and sd > 0
    }
    runs = []
    for _ in range(simulations):
        changes = {}
        for name, sd in drawn.items():
            spec = DRIVER_SPECS[name]
            changes[name] = float(np.clip(generator.normal(drivers[name], sd), spec.low, spec.high))
        projection = project(start, drivers.with_values(changes), calendar, scenario, years)
        runs.append(projection.column("months_covered"))
    values = np.array(runs, dtype=float)
    low, high = (np.percentile(values, q, axis=0) for q in PERCENTILES)
    reference = project(start, drivers, calendar, scenario, years)
    return Band(
        tuple(reference.years),
        tuple(float(v) for v in low),
        tuple(float(v) for v in high),
        drawn,
        simulations,
    )


@dataclass(frozen=True)
class Sensitivity:
    """One row per main driver: the change applied and its effect on the last year."""

    year: int
    first_year: int
    rows: tuple[dict, ...]

    def describe(self) -> Text:
        return Text("sensitivity.text", year=self.year, first=self.first_year)


def sensitivity(
    start: Start,
    drivers: Drivers,
    calendar: PolicyCalendar,
    years: int,
    reference: Projection | None = None,
) -> Sensitivity:
    """Effect on the last year of one standard change of each main driver."""
    reference = reference or project(start, drivers, calendar, BASELINE_SCENARIO, years)
    last = reference.row(reference.years[-1])
    first_year = reference.years[1]
    first = reference.row(first_year)
    rows = []
    for key, prefix in SENSITIVITY_DRIVERS:
        names = [n for n in drivers.names() if n == prefix or n.startswith(prefix)]
        if not names:
            continue
        deviations = [drivers.standard_deviation(n) for n in names]
        by_deviation = all(sd is not None and sd > 0 for sd in deviations)
        steps = {n: (sd if by_deviation else 1.0) for n, sd in zip(names, deviations, strict=True)}
        changes = {}
        for name, step in steps.items():
            spec = DRIVER_SPECS[name]
            changes[name] = min(spec.high, drivers[name] + step)
        changed = project(start, drivers.with_values(changes), calendar, BASELINE_SCENARIO, years)
        row, first_row = changed.row(changed.years[-1]), changed.row(first_year)
        label = (
            Label(f"sensitivity.{key}")
            if key in ("members", "utilisation")
            else Label(f"driver_labels.{key}")
        )
        if by_deviation:
            written = [DRIVER_SPECS[n].written(s) for n, s in steps.items()]
            change = Text("sensitivity.sd", value=Joined(written, " / "))
        else:
            change = Text("sensitivity.point")
        rows.append(
            {
                "driver": key,
                "label": label,
                "change": change,
                "months": row["months_covered"] - last["months_covered"],
                "first_months": first_row["months_covered"] - first["months_covered"],
                "net_assets": row["net_assets"] - last["net_assets"],
                "funding_gap": row["funding_gap"] - last["funding_gap"],
            }
        )
    return Sensitivity(reference.years[-1], first_year, tuple(rows))
