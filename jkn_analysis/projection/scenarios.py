"""Scenarios of the projection (``catalogue/scenarios.yaml``): driver overrides, policies of the
calendar they switch on, a cut of claims growth, and participation targets.

Each scenario starts from the drivers derived from the data and may set:

- ``drivers``: overrides, within the drivers' bounds;
- ``policies``: ids of calendar steps that are not in the baseline (a premium review, KRIS);
- ``claims_growth_cut``: ``{points, from_year}``, the growth of claims per member-year lowered
  by ``points`` percentage points in every year from ``from_year`` on;
- ``registered_coverage_targets`` and ``active_share_targets``: ``{year: percent}`` of the
  population registered and of registered participants active, reached in that year (linear in
  between, held after the last year); they are minimums: a scenario never projects fewer
  participants than the baseline, and never more registered participants than the population.

``illustrative: true`` marks a scenario whose own parameters (the cut, a driver) are examples;
``source`` names where its parameters come from (a regulation).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from jkn_analysis.catalogue.definitions import CATALOGUE_DIR
from jkn_analysis.catalogue.yamlfile import load_yaml
from jkn_analysis.projection.calendar import PolicyCalendar
from jkn_analysis.projection.drivers import DRIVER_SPECS, ProjectionError, check_driver_value
from jkn_analysis.projection.wording import LANGUAGES, ProblemsError, Text, template

SCENARIO_FILE = CATALOGUE_DIR / "scenarios.yaml"
BASELINE = "baseline"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = {
    "label",
    "description",
    "illustrative",
    "source",
    "drivers",
    "policies",
    "claims_growth_cut",
    "registered_coverage_targets",
    "active_share_targets",
}


class ScenarioError(ProblemsError):
    """The scenario file is invalid; ``problems`` lists every problem as a `Text`."""

    def __init__(self, problems: list[Text], source: str = "scenarios"):
        super().__init__(problems, source)


@dataclass(frozen=True)
class Cut:
    """Claims growth lowered by ``points`` percentage points from ``from_year`` on."""

    points: float
    from_year: int


@dataclass(frozen=True)
class Scenario:
    """A named scenario (see the module documentation)."""

    name: str
    label: Mapping[str, str]
    description: Mapping[str, str]
    illustrative: bool = False
    source: str = ""
    drivers: Mapping[str, float] = field(default_factory=dict)
    policies: tuple[str, ...] = ()
    claims_growth_cut: Cut | None = None
    registered_coverage_targets: Mapping[int, float] = field(default_factory=dict)
    active_share_targets: Mapping[int, float] = field(default_factory=dict)


# The baseline a projection runs when it is given no scenario.
BASELINE_SCENARIO = Scenario(
    BASELINE,
    dict(template("scenarios.fallback_label")),
    dict(template("scenarios.fallback_description")),
)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_year(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 2000 <= value <= 2100


def _texts(value: Any, where: str, problems: list[Text]) -> dict[str, str]:
    if (
        not isinstance(value, dict)
        or set(value) != set(LANGUAGES)
        or not all(isinstance(value[lang], str) and value[lang].strip() for lang in LANGUAGES)
    ):
        problems.append(Text("problems.needs_texts", where=where))
        return {language: "" for language in LANGUAGES}
    return {language: str(value[language]) for language in LANGUAGES}


def _targets(body: dict, key: str, where: str, problems: list[Text]) -> dict[int, float]:
    targets = body.get(key) or {}
    if not isinstance(targets, dict):
        problems.append(Text("problems.targets", where=f"{where}.{key}"))
        return {}
    result = {}
    for year, share in targets.items():
        if not _is_year(year) or not _is_number(share) or not 0 < share <= 100:
            problems.append(Text("problems.targets", where=f"{where}.{key}"))
            continue
        result[int(year)] = float(share)
    return dict(sorted(result.items()))


def _scenario(name: str, body: Any, calendar: PolicyCalendar, problems: list[Text]):
    where = f"scenarios.{name}"
    if not _NAME.match(str(name)):
        problems.append(Text("problems.scenario_name", where=where))
    if not isinstance(body, dict):
        problems.append(Text("problems.entry_mapping", where=where))
        return None
    for key in sorted(set(body) - _KEYS):
        problems.append(Text("problems.unknown_key", where=where, key=key))
    label = _texts(body.get("label"), f"{where}.label", problems)
    description = _texts(body.get("description"), f"{where}.description", problems)
    illustrative = body.get("illustrative", False)
    if not isinstance(illustrative, bool):
        problems.append(Text("problems.boolean", where=f"{where}.illustrative"))
    source = body.get("source", "")
    if not isinstance(source, str):
        problems.append(Text("problems.needs_source", where=where))
        source = ""
    drivers = body.get("drivers") or {}
    if not isinstance(drivers, dict):
        problems.append(Text("problems.entry_mapping", where=f"{where}.drivers"))
        drivers = {}
    checked = {}
    for driver, value in drivers.items():
        try:
            checked[str(driver)] = check_driver_value(str(driver), value)
        except ProjectionError as error:
            problems.append(Text("problems.in_scenario", where=where, problem=error.text))
    policies = body.get("policies") or []
    if not isinstance(policies, list):
        problems.append(Text("problems.policies", where=where, ids=", ".join(calendar.steps)))
        policies = []
    for policy in policies:
        step = calendar.steps.get(policy)
        if step is None or step.in_baseline:
            choices = [s.id for s in calendar.steps.values() if not s.in_baseline]
            problems.append(Text("problems.policies", where=where, ids=", ".join(choices)))
    cut = None
    spec = body.get("claims_growth_cut")
    if spec is not None:
        if (
            not isinstance(spec, dict)
            or set(spec) != {"points", "from_year"}
            or not _is_number(spec["points"])
            or not 0 <= spec["points"] <= 50
            or not _is_year(spec["from_year"])
        ):
            problems.append(Text("problems.cut", where=f"{where}.claims_growth_cut"))
        else:
            cut = Cut(float(spec["points"]), spec["from_year"])
    return Scenario(
        name=str(name),
        label=label,
        description=description,
        illustrative=illustrative is True,
        source=source,
        drivers=checked,
        policies=tuple(str(p) for p in policies),
        claims_growth_cut=cut,
        registered_coverage_targets=_targets(body, "registered_coverage_targets", where, problems),
        active_share_targets=_targets(body, "active_share_targets", where, problems),
    )


def parse_scenarios(
    document: Any, calendar: PolicyCalendar, source: str = "scenarios"
) -> dict[str, Scenario]:
    """Scenarios from a loaded YAML document ``{"scenarios": {name: {...}}}``, baseline first.

    Raises
    ------
    ScenarioError
        With every problem found: unknown keys, drivers or policies, values out of bounds,
        missing texts, no ``baseline``.
    """
    if not isinstance(document, dict) or not isinstance(document.get("scenarios"), dict):
        raise ScenarioError([Text("problems.scenario_document")], source)
    problems: list[Text] = []
    for key in sorted(set(document) - {"scenarios"}):
        problems.append(Text("problems.unknown_key", where="scenarios", key=key))
    scenarios = {}
    for name, body in document["scenarios"].items():
        scenario = _scenario(str(name), body, calendar, problems)
        if scenario is not None:
            scenarios[str(name)] = scenario
    if BASELINE not in scenarios:
        problems.append(Text("problems.baseline_required", name=BASELINE))
    if problems:
        raise ScenarioError(problems, source)
    return {BASELINE: scenarios[BASELINE]} | {
        name: scenario for name, scenario in scenarios.items() if name != BASELINE
    }


def load_scenarios(
    path: Path | str | None = None, calendar: PolicyCalendar | None = None
) -> dict[str, Scenario]:
    """Scenarios of a YAML file (the packaged ``catalogue/scenarios.yaml`` by default).

    Raises
    ------
    ScenarioError
        If the file cannot be read or parsed, or is invalid (every problem at once).
    """
    from jkn_analysis.projection.calendar import load_calendar

    calendar = calendar or load_calendar()
    path = Path(path) if path else SCENARIO_FILE
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ScenarioError(
            [Text("problems.unreadable", reason=str(error).splitlines()[0])], str(path)
        ) from error
    return parse_scenarios(document, calendar, str(path))


__all__ = [
    "BASELINE",
    "BASELINE_SCENARIO",
    "DRIVER_SPECS",
    "Cut",
    "Scenario",
    "ScenarioError",
    "load_scenarios",
    "parse_scenarios",
]
