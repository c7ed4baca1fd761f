"""Reading a rules file (``catalogue/rules.yaml``) into a validated `RuleBook`.

The file's format is described in `jkn_analysis.recommendations.rules`. `load_rules` reads it
with a safe YAML loader and `_Parser` checks every part, raising `RuleError` naming the rule and
what is wrong, so that a rule that loads can be evaluated without surprises.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from jkn_analysis.catalogue.definitions import (
    CATALOGUE_DIR,
    LANGUAGES,
    SECTIONS,
    Catalogue,
    load_catalogue,
)
from jkn_analysis.catalogue.numbers import round_half_up, written_decimals
from jkn_analysis.catalogue.yamlfile import load_yaml
from jkn_analysis.recommendations.conditions import (
    DEFAULT_DECIMALS,
    DIRECTIONS,
    OPERATORS,
    VERSUS,
    AllOf,
    AnyOf,
    Comparison,
    FirstKnown,
    Growth,
    IndicatorRef,
    Node,
    Not,
    Ratio,
    RightSide,
    Threshold,
    Trend,
)

RULES_PATH = CATALOGUE_DIR / "rules.yaml"
_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_NON_NUMERIC_UNITS = ("category",)
# Breakdowns whose labels read as a phrase after the indicator's ("Peserta non aktif karena
# mutasi data"); the others (segments, services) follow it in brackets.
_INLINE_BREAKDOWNS = frozenset({"reason"})


class RuleError(ValueError):
    """``rules.yaml`` is malformed, or a rule would fire without evidence."""


@dataclass(frozen=True)
class Rule:
    """One rule of ``rules.yaml``, validated."""

    id: str
    section: str
    anchor: IndicatorRef
    condition: Node
    title: dict[str, str]
    text: dict[str, str]


@dataclass(frozen=True)
class RuleBook:
    """Every rule, threshold and breakdown label of a rules file, in file order."""

    rules: tuple[Rule, ...]
    thresholds: dict[str, Threshold]
    breakdowns: dict[str, dict[str, dict[str, str]]]
    catalogue: Catalogue
    path: Path

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id, or ``KeyError`` naming it."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(f"unknown rule {rule_id!r}")

    def label(self, ref: IndicatorRef, language: str) -> str:
        """The catalogue label with its breakdown, as evidence writes it: ``Peserta non aktif
        karena mutasi data``, ``Capaian ICK ... (PPU)``; a total adds nothing."""
        text = self.catalogue.indicator(ref.code).label[language]
        inline = [
            self.breakdowns[key][value][language]
            for key, value in ref.breakdown
            if key in _INLINE_BREAKDOWNS and value != "total"
        ]
        bracketed = self.breakdown_text(
            IndicatorRef(
                ref.code, tuple(p for p in ref.breakdown if p[0] not in _INLINE_BREAKDOWNS)
            ),
            language,
        )
        text = " ".join([text, *inline])
        return f"{text} ({bracketed})" if bracketed else text

    def breakdown_text(self, ref: IndicatorRef, language: str) -> str:
        """``PBI``, ``RITL``: the labels of the breakdown alone (empty for a total)."""
        return ", ".join(
            self.breakdowns[key][value][language]
            for key, value in ref.breakdown
            if value != "total"
        )


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Parser:
    """Turns the YAML document into a `RuleBook`, naming the rule of every error."""

    def __init__(self, catalogue: Catalogue, source: str):
        self.catalogue = catalogue
        self.source = source
        self.where = source
        self.thresholds: dict[str, Threshold] = {}
        self.breakdowns: dict[str, dict[str, dict[str, str]]] = {}

    def fail(self, message: str) -> RuleError:
        return RuleError(f"{self.where}: {message}")

    def mapping(self, value: object, what: str, keys: set[str], required: set[str]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(f"{what} must be a mapping, got {_describe(value)}")
        unknown = set(value) - keys
        if unknown:
            raise self.fail(f"{what} has unknown key(s) {sorted(map(str, unknown))}")
        missing = required - set(value)
        if missing:
            raise self.fail(f"{what} lacks {sorted(missing)}")
        return value

    def texts(self, value: object, what: str) -> dict[str, str]:
        value = self.mapping(value, what, set(LANGUAGES), set(LANGUAGES))
        for language in LANGUAGES:
            if not isinstance(value[language], str) or not value[language].strip():
                raise self.fail(f"{what}.{language} must be a non-empty text")
        return {language: " ".join(value[language].split()) for language in LANGUAGES}

    def number(self, value: object, what: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"{what} must be a number, got {_describe(value)}")
        if not math.isfinite(value):
            raise self.fail(f"{what} must be finite")
        return value

    def decimals(self, value: object, what: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
            raise self.fail(f"{what} must be a whole number from 0 to 6, got {_describe(value)}")
        return value

    # -- document ---------------------------------------------------------------------------

    def document(self, document: object, path: Path) -> RuleBook:
        document = self.mapping(
            document, "the file", {"thresholds", "breakdowns", "rules"}, {"thresholds", "rules"}
        )
        self.breakdowns = self.parse_breakdowns(document.get("breakdowns") or {})
        thresholds = (
            self.mapping(document["thresholds"], "thresholds", set(), set())
            if not (isinstance(document["thresholds"], dict))
            else document["thresholds"]
        )
        for name, spec in thresholds.items():
            self.where = f"{self.source}, threshold {name!r}"
            self.thresholds[str(name)] = self.threshold(str(name), spec)
        self.where = self.source
        if not isinstance(document["rules"], list) or not document["rules"]:
            raise self.fail("rules must be a non-empty list")
        rules, seen = [], set()
        for index, spec in enumerate(document["rules"], start=1):
            self.where = f"{self.source}, rule {index}"
            if isinstance(spec, dict) and isinstance(spec.get("id"), str):
                self.where = f"{self.source}, rule {spec['id']!r}"
            rule = self.rule(spec)
            if rule.id in seen:
                raise self.fail(f"rule id {rule.id!r} is used twice")
            seen.add(rule.id)
            rules.append(rule)
        return RuleBook(tuple(rules), self.thresholds, self.breakdowns, self.catalogue, path)

    def parse_breakdowns(self, spec: object) -> dict[str, dict[str, dict[str, str]]]:
        self.where = f"{self.source}, breakdowns"
        if not isinstance(spec, dict):
            raise self.fail(f"breakdowns must be a mapping, got {_describe(spec)}")
        result = {}
        for key, values in spec.items():
            if not isinstance(values, dict) or not values:
                raise self.fail(f"breakdown {key!r} must map values to labels")
            result[str(key)] = {
                str(value): self.texts(label, f"breakdown {key}.{value}")
                for value, label in values.items()
            }
        return result

    def threshold(self, name: str, spec: object) -> Threshold:
        spec = self.mapping(
            spec,
            "the threshold",
            {"value", "unit", "source", "label", "decimals", "from_year", "until_year"},
            {"value", "unit", "source"},
        )
        years = {}
        for key in ("from_year", "until_year"):
            year = spec.get(key)
            if year is not None and (
                isinstance(year, bool) or not isinstance(year, int) or not 2014 <= year <= 2100
            ):
                raise self.fail(f"{key} must be a year from 2014 to 2100, got {_describe(year)}")
            years[key] = year
        if None not in years.values() and years["from_year"] > years["until_year"]:
            raise self.fail(f"from_year {years['from_year']} is after until_year")
        value = self.number(spec["value"], "value")
        if spec["unit"] not in self.catalogue.units or spec["unit"] in _NON_NUMERIC_UNITS:
            raise self.fail(
                f"unknown unit {_describe(spec['unit'])}; known: {sorted(self.catalogue.units)}"
            )
        decimals = (
            self.decimals(spec["decimals"], "decimals")
            if "decimals" in spec
            else written_decimals(value)
        )
        if decimals < written_decimals(value):
            raise self.fail(f"decimals {decimals} would print {value} rounded")
        return Threshold(
            name=name,
            value=round_half_up(value, decimals),
            unit=spec["unit"],
            decimals=decimals,
            source=self.texts(spec["source"], "source"),
            label=self.threshold_label(spec["label"]) if "label" in spec else None,
            **years,
        )

    def threshold_label(self, spec: object) -> dict[str, str]:
        """How evidence names the threshold; only ``{value}`` and ``{year}`` may be filled in."""
        label = self.texts(spec, "label")
        for language, text in label.items():
            try:
                text.format(value="", year="")
            except (KeyError, IndexError, ValueError) as error:
                raise self.fail(
                    f"label.{language}: only {{value}} and {{year}} may be filled in ({error})"
                ) from error
        return label

    def rule(self, spec: object) -> Rule:
        keys = {"id", "section", "anchor", "condition", "title", "text"}
        spec = self.mapping(spec, "the rule", keys, keys)
        rule_id = spec["id"]
        if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
            raise self.fail(f"id must be snake_case text, got {_describe(rule_id)}")
        if spec["section"] not in SECTIONS:
            raise self.fail(f"unknown section {_describe(spec['section'])}; known: {SECTIONS}")
        anchor = self.reference(spec["anchor"], "anchor", key="code")
        condition = self.condition(spec["condition"], "condition")
        if not condition.guarantees_evidence():
            raise self.fail(
                "the condition could hold without any leaf holding (only `not` parts); "
                "add a comparison, ratio, growth or trend that gives the evidence"
            )
        return Rule(
            id=rule_id,
            section=spec["section"],
            anchor=anchor,
            condition=condition,
            title=self.texts(spec["title"], "title"),
            text=self.texts(spec["text"], "text"),
        )

    # -- conditions -------------------------------------------------------------------------

    def reference(
        self, spec: object, what: str, *, key: str = "indicator", extra: frozenset = frozenset()
    ) -> IndicatorRef:
        """An indicator reference ``{indicator: code, <breakdown>: value}``."""
        if not isinstance(spec, dict):
            raise self.fail(f"{what} must be a mapping, got {_describe(spec)}")
        if key not in spec:
            raise self.fail(f"{what} lacks {key!r}")
        code = spec[key]
        if not isinstance(code, str) or code not in self.catalogue.indicators:
            raise self.fail(f"{what}: unknown indicator {_describe(code)}")
        if self.catalogue.indicator(code).unit in _NON_NUMERIC_UNITS:
            raise self.fail(f"{what}: indicator {code!r} is not a number")
        breakdown = []
        for name, value in spec.items():
            if name == key or name in extra:
                continue
            if name not in self.breakdowns:
                known = sorted(extra | set(self.breakdowns))
                raise self.fail(f"{what} has unknown key {_describe(name)}; known: {known}")
            if not isinstance(value, str) or value not in self.breakdowns[name]:
                raise self.fail(
                    f"{what}: unknown {name} {_describe(value)}; "
                    f"known: {sorted(self.breakdowns[name])}"
                )
            breakdown.append((name, value))
        return IndicatorRef(code, tuple(breakdown))

    def unit(self, ref: IndicatorRef) -> str:
        return self.catalogue.indicator(ref.code).unit

    def op(self, spec: dict, what: str) -> str:
        if "op" not in spec:
            raise self.fail(f"{what} lacks 'op'; known: {list(OPERATORS)}")
        op = spec["op"]
        if not isinstance(op, str) or op not in OPERATORS:
            raise self.fail(f"{what}: unknown op {_describe(op)}; known: {list(OPERATORS)}")
        return op

    def right(self, spec: object, unit: str, what: str) -> RightSide:
        if isinstance(spec, str):
            threshold = self.thresholds.get(spec)
            if threshold is None:
                raise self.fail(
                    f"{what}: unknown threshold {_describe(spec)}; known: {sorted(self.thresholds)}"
                )
            if threshold.unit != unit:
                raise self.fail(
                    f"{what}: threshold {spec!r} is in {threshold.unit}, the left side in {unit}"
                )
            return RightSide(threshold=threshold)
        ref = self.reference(spec, f"{what} (than)")
        if self.unit(ref) != unit:
            raise self.fail(f"{what}: {ref.code!r} is in {self.unit(ref)}, the left side in {unit}")
        return RightSide(indicator=ref)

    def condition(self, spec: object, what: str) -> Node:
        if not isinstance(spec, dict) or not spec:
            raise self.fail(f"{what} must be a mapping, got {_describe(spec)}")
        for combinator in ("all", "any", "first_known"):
            if combinator in spec:
                self.mapping(spec, what, {combinator}, {combinator})
                parts = spec[combinator]
                if not isinstance(parts, list) or not parts:
                    raise self.fail(f"{what}: {combinator} needs a non-empty list of conditions")
                nodes = tuple(
                    self.condition(part, f"{what}.{combinator}[{index}]")
                    for index, part in enumerate(parts)
                )
                return {"all": AllOf, "any": AnyOf, "first_known": FirstKnown}[combinator](nodes)
        if "not" in spec:
            self.mapping(spec, what, {"not"}, {"not"})
            return Not(self.condition(spec["not"], f"{what}.not"))
        if "indicator" in spec:
            return self.comparison(spec, what)
        if "ratio" in spec:
            return self.ratio(spec, what)
        if "growth" in spec:
            return self.growth(spec, what)
        if "trend" in spec:
            return self.trend(spec, what)
        raise self.fail(
            f"{what}: expected one of all, any, first_known, not, indicator, ratio, growth or "
            f"trend; got keys {sorted(map(str, spec))}"
        )

    def comparison(self, spec: dict, what: str) -> Comparison:
        if "than" not in spec:
            raise self.fail(f"{what} lacks 'than'")
        left = self.reference(spec, what, extra=frozenset({"op", "than", "annualise"}))
        annualise = spec.get("annualise", False)
        if not isinstance(annualise, bool):
            raise self.fail(f"{what}: annualise must be true or false")
        if annualise and self.unit(left) != "percent":
            raise self.fail(f"{what}: only a percentage can be annualised, not {left.code!r}")
        op = self.op(spec, what)
        return Comparison(left, op, self.right(spec["than"], self.unit(left), what), annualise)

    def ratio(self, spec: dict, what: str) -> Ratio:
        spec = self.mapping(
            spec, what, {"ratio", "op", "than", "decimals"}, {"ratio", "op", "than"}
        )
        parts = self.mapping(
            spec["ratio"],
            f"{what}.ratio",
            {"numerator", "denominator"},
            {"numerator", "denominator"},
        )
        numerator = self.reference(parts["numerator"], f"{what}.ratio.numerator")
        denominator = self.reference(parts["denominator"], f"{what}.ratio.denominator")
        if self.unit(numerator) != self.unit(denominator):
            raise self.fail(f"{what}: numerator and denominator must share a unit")
        op = self.op(spec, what)
        decimals = self.decimals(spec.get("decimals", DEFAULT_DECIMALS), f"{what}.decimals")
        return Ratio(
            numerator, denominator, op, self.right(spec["than"], "percent", what), decimals
        )

    def growth(self, spec: dict, what: str) -> Growth:
        spec = self.mapping(
            spec,
            what,
            {"growth", "versus", "op", "than", "decimals"},
            {"growth", "versus", "op", "than"},
        )
        ref = self.reference(spec["growth"], f"{what}.growth")
        if spec["versus"] not in VERSUS:
            raise self.fail(
                f"{what}: unknown versus {_describe(spec['versus'])}; known: {list(VERSUS)}"
            )
        op = self.op(spec, what)
        decimals = self.decimals(spec.get("decimals", DEFAULT_DECIMALS), f"{what}.decimals")
        return Growth(ref, spec["versus"], op, self.right(spec["than"], "percent", what), decimals)

    def trend(self, spec: dict, what: str) -> Trend:
        spec = self.mapping(
            spec, what, {"trend", "direction", "periods"}, {"trend", "direction", "periods"}
        )
        ref = self.reference(spec["trend"], f"{what}.trend")
        if spec["direction"] not in DIRECTIONS:
            raise self.fail(
                f"{what}: unknown direction {_describe(spec['direction'])}; known: {DIRECTIONS}"
            )
        periods = spec["periods"]
        if isinstance(periods, bool) or not isinstance(periods, int) or periods < 2:
            raise self.fail(f"{what}: periods must be a whole number of at least 2")
        return Trend(ref, spec["direction"], periods)


def _load(path: Path, catalogue: Catalogue) -> RuleBook:
    try:
        document = load_yaml(path.read_text("utf-8"))
    except yaml.YAMLError as error:
        raise RuleError(f"{path.name}: not valid YAML: {error}") from error
    return _Parser(catalogue, path.name).document(document, path)


@cache
def _default_rulebook() -> RuleBook:
    return _load(RULES_PATH, load_catalogue())


def load_rules(path: Path | str | None = None) -> RuleBook:
    """Load and validate a rules file (``catalogue/rules.yaml`` by default, then cached).

    Parameters
    ----------
    path : path-like, optional
        Another rules file, read afresh on every call (tests, drafts).

    Returns
    -------
    RuleBook

    Raises
    ------
    RuleError
        Naming the rule and what is wrong: unknown keys, operators, indicators, breakdowns or
        thresholds, units that do not match, a string where a mapping is expected.
    """
    if path is None:
        return _default_rulebook()
    return _load(Path(path), load_catalogue())
