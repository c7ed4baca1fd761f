"""The named drivers of the projection, their bounds, and overrides.

A driver is a number the projection's formulas use (a growth rate, a share, a yield). Its
default is derived from the data up to the origin (`jkn_analysis.projection.history`), or is a
documented assumption or fallback; an analyst or a scenario may override it within bounds that
keep the formulas meaningful (a growth of -100% or a collection rate of 150% is refused with a
message naming the driver, the bounds and the value).
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from jkn_analysis.projection.wording import Num, Pct, Text

# Payer groups of active participants. PBI (state budget) and PBPU/BP registered by local
# governments pay the government rate of the calendar; the others' contribution per member is
# derived from the premium income. "all" is the whole membership when the data lack the split.
GROUPS = ("pbi", "pbpu_pemda", "ppu", "pbpu", "bp")
GOVERNMENT_GROUPS = ("pbi", "pbpu_pemda")
ALL = "all"
# Service levels of claims: FKTP (capitation and other primary care), hospital outpatient
# (RJTL) and inpatient (RITL) care; "all" when the data lack the split.
HOSPITAL_LEVELS = ("rjtl", "ritl")
CLAIM_LEVELS = ("fktp", "rjtl", "ritl")


class ProjectionError(ValueError):
    """The figures do not hold what the projection needs, or a driver or parameter is invalid.

    ``text`` is the message as a `jkn_analysis.projection.wording.Text`; ``describe(language)``
    writes it in Indonesian or English, ``str()`` in English.
    """

    def __init__(self, text: Text):
        self.text = text
        super().__init__(text.render("en"))

    def describe(self, language: str) -> str:
        return self.text.render(language)


@dataclass(frozen=True)
class DriverSpec:
    """A driver's unit (``percent`` or ``months``) and the bounds an override must respect."""

    name: str
    unit: str
    low: float
    high: float

    def written(self, value: float) -> Any:
        """The value as a formatter: ``4,70%`` or ``1,50 bulan``."""
        return Pct(value) if self.unit == "percent" else Text("unit.months", value=Num(value, 2))


def _specs() -> dict[str, DriverSpec]:
    specs = [
        *(DriverSpec(f"member_growth_{group}", "percent", -20, 30) for group in (*GROUPS, ALL)),
        DriverSpec("registered_growth", "percent", -20, 30),
        DriverSpec("population_growth", "percent", -5, 5),
        DriverSpec("trend_fade", "percent", 0, 100),
        DriverSpec("government_collection", "percent", 50, 100),
        DriverSpec("premium_rate_growth", "percent", -20, 30),
        *(
            DriverSpec(f"utilisation_growth_{level}", "percent", -30, 60)
            for level in (*HOSPITAL_LEVELS, ALL)
        ),
        DriverSpec("utilisation_long_run", "percent", -10, 20),
        DriverSpec("medical_inflation", "percent", -10, 30),
        DriverSpec("investment_yield", "percent", 0, 20),
        DriverSpec("liability_months", "months", 0, 12),
        DriverSpec("operating_share", "percent", 0, 10),
        DriverSpec("other_share", "percent", -30, 30),
    ]
    return {spec.name: spec for spec in specs}


DRIVER_SPECS: dict[str, DriverSpec] = _specs()
BASES = ("derived", "assumption", "fallback", "override")


def did_you_mean(name: str, choices: list[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or ``""``."""
    close = difflib.get_close_matches(name, choices, n=1)
    return f" ({close[0]!r}?)" if close else ""


def check_driver_value(name: str, value: Any) -> float:
    """``value`` as a float when it is a number within the bounds of driver ``name``.

    Raises
    ------
    ProjectionError
        If the name is unknown, or the value is not a finite number within the bounds.
    """
    if name not in DRIVER_SPECS:
        names = sorted(DRIVER_SPECS)
        raise ProjectionError(
            Text(
                "errors.unknown_driver",
                name=name,
                suggestion=did_you_mean(name, names),
                names=", ".join(names),
            )
        )
    spec = DRIVER_SPECS[name]
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not spec.low <= value <= spec.high
    ):
        raise ProjectionError(
            Text(
                "errors.driver_bounds",
                name=name,
                low=Num(spec.low, 0),
                high=Num(spec.high, 0),
                unit=Text(f"unit.{spec.unit}_word"),
                found=repr(value),
            )
        )
    return float(value)


@dataclass(frozen=True)
class Drivers:
    """Driver values of one origin, with how each was obtained.

    Attributes
    ----------
    values : mapping
        Driver name → value (percent, or months for ``liability_months``); only the drivers
        that apply at the origin (``member_growth_all`` when the data lack payer groups...).
    basis : mapping
        Driver → ``derived`` (from the data), ``assumption`` (a documented assumption of the
        pack, illustrative), ``fallback`` (not measurable from the data) or ``override``.
    explanation : mapping
        Driver → `Text`: formula and inputs, or why it falls back.
    spread : mapping
        Driver → the historical values it was measured from, when there are at least two: their
        standard deviation is the driver's spread for the band and the sensitivity table.
    """

    values: Mapping[str, float]
    basis: Mapping[str, str] = field(default_factory=dict)
    explanation: Mapping[str, Text] = field(default_factory=dict)
    spread: Mapping[str, tuple[float, ...]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> float:
        return self.values[name]

    def get(self, name: str, default: float | None = None) -> float | None:
        return self.values.get(name, default)

    def names(self) -> list[str]:
        """Driver names in the order of `DRIVER_SPECS`."""
        return [name for name in DRIVER_SPECS if name in self.values]

    def standard_deviation(self, name: str) -> float | None:
        """The sample standard deviation of the driver's history, or ``None`` (fewer than 2)."""
        history = self.spread.get(name, ())
        if len(history) < 2:
            return None
        mean = sum(history) / len(history)
        return math.sqrt(sum((v - mean) ** 2 for v in history) / (len(history) - 1))

    def with_values(self, changes: Mapping[str, float]) -> Drivers:
        """These drivers with some values replaced, explanations kept (for band draws)."""
        return replace(self, values={**self.values, **changes})

    def with_overrides(self, overrides: Mapping[str, float], *, by: str = "analyst") -> Drivers:
        """These drivers with some set by the analyst or a scenario, within their bounds.

        Raises
        ------
        ProjectionError
            If a name is unknown or does not apply at this origin, or a value is out of bounds.
        """
        if not overrides:
            return self
        values, basis, explanation = dict(self.values), dict(self.basis), dict(self.explanation)
        for name, value in overrides.items():
            number = check_driver_value(name, value)
            if name not in values:
                applicable = self.names()
                raise ProjectionError(
                    Text(
                        "errors.driver_not_used",
                        name=name,
                        suggestion=did_you_mean(name, applicable),
                        names=", ".join(applicable),
                    )
                )
            spec = DRIVER_SPECS[name]
            explanation[name] = Text(
                f"drivers.set_by_{by}",
                value=spec.written(number),
                default=spec.written(values[name]),
            )
            values[name] = number
            basis[name] = "override"
        return Drivers(values, basis, explanation, self.spread)


def parse_overrides(overrides: str | Mapping[str, float] | None) -> dict[str, float]:
    """Driver overrides from a mapping or a JSON object string (``""`` or ``None``: none).

    Every name and value is checked against `DRIVER_SPECS` (whether the driver applies at a
    given origin is checked when the overrides are applied).

    Raises
    ------
    ProjectionError
        If the string is not a JSON object, or a name or value is invalid.
    """
    if overrides is None or (isinstance(overrides, str) and not overrides.strip()):
        return {}
    if isinstance(overrides, str):
        try:
            overrides = json.loads(overrides)
        except json.JSONDecodeError as error:
            raise ProjectionError(Text("errors.overrides_json", reason=str(error))) from error
    if not isinstance(overrides, Mapping):
        raise ProjectionError(Text("errors.overrides_object"))
    return {str(name): check_driver_value(str(name), value) for name, value in overrides.items()}
