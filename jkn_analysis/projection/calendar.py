"""The policy calendar: dated contribution rates, tariff and premium steps and the cap on
BPJS Kesehatan's operational fund, each with its source (``catalogue/policy_calendar.yaml``).

The projection reads from it:

- the contribution per member per month of the participants whose contributions government
  pays (PBI from the state budget, PBPU/BP registered by local governments), Perpres 64/2020;
- the cap on the operational fund as a share of contributions (PMK 148/2023), applied from its
  year on;
- dated steps. A step ``in_baseline`` with a stated size moves contribution rates or unit costs
  in every scenario from its year; a step without a stated size (Permenkes 3/2023, whose effect
  the sources do not quantify) is not applied: it marks the years whose measured trends contain
  it. Steps that are not ``in_baseline`` are policies that scenarios may switch on (a premium
  review, KRIS under Perpres 59/2024); their sizes are marked ``illustrative`` unless a source
  gives them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from jkn_analysis.catalogue.definitions import CATALOGUE_DIR
from jkn_analysis.catalogue.yamlfile import load_yaml
from jkn_analysis.projection.wording import LANGUAGES, ProblemsError, Text

CALENDAR_FILE = CATALOGUE_DIR / "policy_calendar.yaml"
STEP_KINDS = ("premium", "tariff")
# Service levels a tariff step can apply to ("all" when the claims are not split by level).
LEVELS = ("fktp", "rjtl", "ritl")


class CalendarError(ProblemsError):
    """The policy calendar is invalid; ``problems`` lists every problem as a `Text`."""

    def __init__(self, problems: list[Text], source: str = "policy_calendar"):
        super().__init__(problems, source)


@dataclass(frozen=True)
class ContributionRate:
    """Contribution rules in force from ``from_year`` (Perpres 64/2020 and later).

    ``government_paid`` is rupiah per member per month for PBI and participants paid by local
    governments; the other rules (PBPU/BP classes, PPU wage share and cap) are shown for
    reference: the data hold neither the class mix nor wages, so those groups' contribution per
    member is derived from the premium income instead.
    """

    id: str
    from_year: int
    government_paid: float
    source: str
    label: Mapping[str, str]
    pbpu_bp_class: Mapping[str, float] = field(default_factory=dict)
    class_3_assistance: float | None = None
    ppu_wage_share: float | None = None
    ppu_wage_cap: float | None = None


@dataclass(frozen=True)
class OperatingCap:
    """The most BPJS Kesehatan may take from contributions as operational fund, from a year on."""

    id: str
    from_year: int
    share: float
    source: str
    label: Mapping[str, str]
    amount: float | None = None


@dataclass(frozen=True)
class Step:
    """A dated policy step: premium (contribution rates) or tariff (unit costs of some levels)."""

    id: str
    year: int
    kind: str
    percent: float | None
    in_baseline: bool
    illustrative: bool
    source: str
    label: Mapping[str, str]
    levels: tuple[str, ...] = LEVELS

    @property
    def sized(self) -> bool:
        """Whether the step has a stated size (only sized steps are applied)."""
        return self.percent is not None


@dataclass(frozen=True)
class PolicyCalendar:
    """Contribution rates, operating caps and steps, by year."""

    rates: tuple[ContributionRate, ...]
    caps: tuple[OperatingCap, ...]
    steps: Mapping[str, Step]
    source: str = "policy_calendar"

    def rate(self, year: int) -> ContributionRate | None:
        """The contribution rules in force in ``year`` (the latest from an earlier year)."""
        earlier = [rate for rate in self.rates if rate.from_year <= year]
        return max(earlier, key=lambda rate: rate.from_year) if earlier else None

    def cap(self, year: int) -> OperatingCap | None:
        """The operating cap in force in ``year``, held after its year until a later one."""
        earlier = [cap for cap in self.caps if cap.from_year <= year]
        return max(earlier, key=lambda cap: cap.from_year) if earlier else None

    def applied_steps(self, policies: tuple[str, ...] = ()) -> list[Step]:
        """Sized steps in the baseline plus the named scenario ``policies``, by year."""
        chosen = [
            step
            for step in self.steps.values()
            if step.sized and (step.in_baseline or step.id in policies)
        ]
        return sorted(chosen, key=lambda step: (step.year, step.id))

    def unsized_steps(self, first_year: int, last_year: int) -> list[Step]:
        """Baseline steps without a stated size dated from ``first_year`` to ``last_year``."""
        return [
            step
            for step in self.steps.values()
            if step.in_baseline and not step.sized and first_year <= step.year <= last_year
        ]


# --- Reading and checking ------------------------------------------------------------------------
def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _is_year(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 2000 <= value <= 2100


def _label(body: dict, where: str, problems: list[Text]) -> dict[str, str]:
    label = body.get("label")
    if (
        not isinstance(label, dict)
        or set(label) != set(LANGUAGES)
        or not all(isinstance(label[lang], str) and label[lang].strip() for lang in LANGUAGES)
    ):
        problems.append(Text("problems.needs_label", where=where))
        return {lang: where for lang in LANGUAGES}
    return dict(label)


def _source(body: dict, where: str, problems: list[Text]) -> str:
    source = body.get("source")
    if not isinstance(source, str) or not source.strip():
        problems.append(Text("problems.needs_source", where=where))
        return ""
    return source


def _unknown_keys(body: dict, known: set[str], where: str, problems: list[Text]) -> None:
    for key in sorted(set(body) - known):
        problems.append(Text("problems.unknown_key", where=where, key=key))


def _number(body, key, where, problems, *, low, high, required=True):
    value = body.get(key)
    if value is None and not required:
        return None
    if not _is_number(value) or not low <= value <= high:
        problems.append(
            Text("problems.number_range", where=f"{where}.{key}", low=str(low), high=str(high))
        )
        return None
    return float(value)


def _year(body, key, where, problems):
    value = body.get(key)
    if not _is_year(value):
        problems.append(Text("problems.year", where=f"{where}.{key}"))
        return None
    return value


def _rates(entries: Any, problems: list[Text]) -> list[ContributionRate]:
    rates = []
    if not isinstance(entries, dict) or not entries:
        problems.append(Text("problems.section_mapping", section="contribution_rates"))
        return rates
    known = {
        "from_year",
        "label",
        "source",
        "government_paid",
        "pbpu_bp_class",
        "class_3_assistance",
        "ppu_wage_share",
        "ppu_wage_cap",
    }
    for name, body in entries.items():
        where = f"contribution_rates.{name}"
        if not isinstance(body, dict):
            problems.append(Text("problems.entry_mapping", where=where))
            continue
        _unknown_keys(body, known, where, problems)
        year = _year(body, "from_year", where, problems)
        paid = _number(body, "government_paid", where, problems, low=1, high=1e7)
        classes = body.get("pbpu_bp_class") or {}
        if not isinstance(classes, dict) or not all(_is_number(v) for v in classes.values()):
            problems.append(Text("problems.entry_mapping", where=f"{where}.pbpu_bp_class"))
            classes = {}
        assistance = _number(
            body, "class_3_assistance", where, problems, low=0, high=1e7, required=False
        )
        share = _number(body, "ppu_wage_share", where, problems, low=0, high=100, required=False)
        cap = _number(body, "ppu_wage_cap", where, problems, low=0, high=1e12, required=False)
        label, source = _label(body, where, problems), _source(body, where, problems)
        if year is not None and paid is not None:
            rates.append(
                ContributionRate(
                    str(name), year, paid, source, label, dict(classes), assistance, share, cap
                )
            )
    return rates


def _caps(entries: Any, problems: list[Text]) -> list[OperatingCap]:
    caps = []
    if not isinstance(entries, dict):
        problems.append(Text("problems.section_mapping", section="operating_caps"))
        return caps
    for name, body in entries.items():
        where = f"operating_caps.{name}"
        if not isinstance(body, dict):
            problems.append(Text("problems.entry_mapping", where=where))
            continue
        _unknown_keys(body, {"from_year", "share", "amount", "label", "source"}, where, problems)
        year = _year(body, "from_year", where, problems)
        share = _number(body, "share", where, problems, low=0, high=100)
        amount = _number(body, "amount", where, problems, low=0, high=1e16, required=False)
        label, source = _label(body, where, problems), _source(body, where, problems)
        if year is not None and share is not None:
            caps.append(OperatingCap(str(name), year, share, source, label, amount))
    return caps


def _steps(entries: Any, problems: list[Text]) -> dict[str, Step]:
    steps: dict[str, Step] = {}
    if not isinstance(entries, dict):
        problems.append(Text("problems.section_mapping", section="steps"))
        return steps
    known = {"year", "kind", "percent", "in_baseline", "illustrative", "levels", "label", "source"}
    for name, body in entries.items():
        where = f"steps.{name}"
        if not isinstance(body, dict):
            problems.append(Text("problems.entry_mapping", where=where))
            continue
        _unknown_keys(body, known, where, problems)
        year = _year(body, "year", where, problems)
        kind = body.get("kind")
        if kind not in STEP_KINDS:
            problems.append(Text("problems.step_kind", where=where, kinds=", ".join(STEP_KINDS)))
        percent = body.get("percent")
        if percent is not None and (not _is_number(percent) or not -50 <= percent <= 100):
            problems.append(
                Text("problems.number_range", where=f"{where}.percent", low="-50", high="100")
            )
            percent = None
        flags = {}
        for flag in ("in_baseline", "illustrative"):
            flags[flag] = body.get(flag, False)
            if not isinstance(flags[flag], bool):
                problems.append(Text("problems.boolean", where=f"{where}.{flag}"))
        levels = body.get("levels", list(LEVELS))
        if (
            not isinstance(levels, list)
            or not levels
            or any(level not in LEVELS for level in levels)
        ):
            problems.append(Text("problems.levels", where=where, levels=", ".join(LEVELS)))
            levels = list(LEVELS)
        if not flags["in_baseline"] and percent is None:
            problems.append(Text("problems.scenario_step_size", where=where))
        label, source = _label(body, where, problems), _source(body, where, problems)
        if year is not None and kind in STEP_KINDS:
            steps[str(name)] = Step(
                str(name),
                year,
                kind,
                None if percent is None else float(percent),
                flags["in_baseline"] is True,
                flags["illustrative"] is True,
                source,
                label,
                tuple(levels),
            )
    return steps


def parse_calendar(document: Any, source: str = "policy_calendar") -> PolicyCalendar:
    """A `PolicyCalendar` from a loaded YAML document.

    Raises
    ------
    CalendarError
        With every problem found: unknown keys, missing labels or sources, numbers out of range,
        a scenario step without a size.
    """
    problems: list[Text] = []
    if not isinstance(document, dict):
        raise CalendarError([Text("problems.calendar_document")], source)
    for key in sorted(set(document) - {"contribution_rates", "operating_caps", "steps"}):
        problems.append(Text("problems.unknown_key", where="policy_calendar", key=key))
    rates = _rates(document.get("contribution_rates"), problems)
    caps = _caps(document.get("operating_caps") or {}, problems)
    steps = _steps(document.get("steps") or {}, problems)
    if problems:
        raise CalendarError(problems, source)
    return PolicyCalendar(
        tuple(sorted(rates, key=lambda rate: rate.from_year)),
        tuple(sorted(caps, key=lambda cap: cap.from_year)),
        steps,
        source,
    )


def load_calendar(path: Path | str | None = None) -> PolicyCalendar:
    """The policy calendar of a YAML file (the packaged one by default).

    Raises
    ------
    CalendarError
        If the file cannot be read or parsed, or is invalid (every problem at once).
    """
    path = Path(path) if path else CALENDAR_FILE
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CalendarError(
            [Text("problems.unreadable", reason=str(error).splitlines()[0])], str(path)
        ) from error
    return parse_calendar(document, str(path))
