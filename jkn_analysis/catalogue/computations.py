"""How each indicator is computed, as ``figures.yaml`` declares it (its grammar is written at the
top of the file's ``indicators:`` section).

This module reads the declarations into `Computation` records and checks what the catalogue
can check alone: that every input names a known figure, offset or indicator. Which formula
functions exist is checked where they live (`jkn_analysis.indicators.declarations`), since the
catalogue imports nothing of the pack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import Literal

# Periods an input may be taken from, relative to the period computed (the ``@`` of an input).
OFFSETS = ("previous_december", "year_earlier", "previous_quarter")
# Offsets that give a figure's history rather than one value: {year: value} over every year
# before the period's, in its same quarter or in its December (a seasonal profile is measured
# from them). Only a ``given:`` may take one: an indicator's inputs are single values.
HISTORY_OFFSETS = ("same_quarter_of_earlier_years", "december_of_earlier_years")
# Values of the period itself a ``given:`` may pass (``period:months_elapsed``).
PERIOD_VALUES = ("months_elapsed",)
# Keys an entry of an indicator's computation may hold.
ENTRY_KEYS = ("formula", "inputs", "given", "for", "dimensions")

InputSource = Literal["figure", "indicator", "period"]


class ComputationError(ValueError):
    """An indicator's declaration in ``figures.yaml`` is malformed or names what is unknown."""


@dataclass(frozen=True)
class Input:
    """One argument of a formula: a figure (at an offset), an indicator, or a period value."""

    source: InputSource
    code: str
    offset: str | None = None

    def __str__(self) -> str:
        if self.source == "figure":
            return self.code if self.offset is None else f"{self.code}@{self.offset}"
        return f"{self.source}:{self.code}"

    @property
    def is_history(self) -> bool:
        """Whether the input is a figure's history over the earlier years, not one value."""
        return self.offset in HISTORY_OFFSETS


@dataclass(frozen=True)
class Computation:
    """One way of computing an indicator: a formula, its inputs and one breakdown.

    ``inputs`` are the indicator's inputs (listed in ``indicators.json``, tried rescaled in the
    unit-slip hints), in the declared order; ``given`` are further arguments of the formula
    that are not (the months elapsed, figures a formula needs but reports no slip of).
    """

    indicator: str
    formula: str
    inputs: tuple[tuple[str, Input], ...]
    given: tuple[tuple[str, Input], ...] = ()
    dimensions: tuple[tuple[str, str], ...] = field(default=())

    @property
    def from_indicators(self) -> bool:
        """Whether an input is another indicator (computed after those from figures)."""
        return any(item.source == "indicator" for _, item in self.inputs)


def parse_computations(code: str, spec: dict, figures: set[str]) -> tuple[Computation, ...]:
    """The computations declared for indicator ``code``: none for an indicator computed
    elsewhere (the projection's), one per breakdown value for an entry with ``for:``.

    Raises
    ------
    ComputationError
        Naming the indicator and what is wrong (an unknown key, figure, offset or value).
    """
    if "computed" in spec and "formula" in spec:
        raise ComputationError(f"indicator {code!r}: give either formula or computed, not both")
    entries = spec.get("computed") or ([spec] if "formula" in spec else [])
    computations = []
    for entry in entries:
        unknown = sorted(set(entry) - set(ENTRY_KEYS))
        if entry is not spec and unknown:  # the flat form shares its mapping with the label
            raise ComputationError(f"indicator {code!r}: unknown keys {unknown} in computed")
        computations.extend(_parse_entry(code, entry, figures))
    return tuple(computations)


def _parse_entry(code: str, entry: dict, figures: set[str]) -> list[Computation]:
    formula = entry.get("formula")
    if not isinstance(formula, str) or not formula:
        raise ComputationError(f"indicator {code!r}: an entry needs a formula (a function name)")
    inputs = entry.get("inputs") or {}
    if not isinstance(inputs, dict) or not inputs:
        raise ComputationError(f"indicator {code!r}: formula {formula!r} needs inputs")
    given = entry.get("given") or {}
    breakdown = entry.get("for") or {}
    if not isinstance(breakdown, dict) or not all(
        isinstance(values, list) and values for values in breakdown.values()
    ):
        raise ComputationError(f"indicator {code!r}: for must map a dimension to a list of values")
    fixed = {str(name): str(value) for name, value in (entry.get("dimensions") or {}).items()}
    names = list(breakdown)
    computations = []
    for values in product(*(breakdown[name] for name in names)):
        dimensions = {**fixed, **dict(zip(names, map(str, values), strict=True))}
        computations.append(
            Computation(
                indicator=code,
                formula=formula,
                inputs=_parse_inputs(code, inputs, dimensions, figures, history=False),
                given=_parse_inputs(code, given, dimensions, figures, history=True),
                dimensions=tuple(dimensions.items()),
            )
        )
    return computations


def _parse_inputs(
    code: str, spec: dict, dimensions: dict[str, str], figures: set[str], history: bool
) -> tuple[tuple[str, Input], ...]:
    return tuple(
        (str(name), _parse_input(code, str(text), dimensions, figures, history))
        for name, text in spec.items()
    )


def _parse_input(
    code: str, text: str, dimensions: dict[str, str], figures: set[str], history: bool
) -> Input:
    """One input as written: ``figure``, ``figure@offset``, ``indicator:code`` or
    ``period:value``, with ``{dimension}`` replaced by the breakdown's value."""
    where = f"indicator {code!r}, input {text!r}"
    try:
        text = text.format(**dimensions)
    except KeyError as error:
        raise ComputationError(f"{where}: no breakdown {error} to fill in") from None
    source, _, name = text.rpartition(":")
    if source == "indicator":
        return Input("indicator", name)
    if source == "period":
        if name not in PERIOD_VALUES:
            raise ComputationError(f"{where}: unknown period value; known: {PERIOD_VALUES}")
        return Input("period", name)
    if source:
        raise ComputationError(f"{where}: unknown source {source!r}; known: indicator, period")
    figure, _, offset = text.partition("@")
    if figure not in figures:
        raise ComputationError(f"{where}: unknown figure {figure!r}")
    if offset in HISTORY_OFFSETS and not history:
        raise ComputationError(f"{where}: a history ({offset}) may only be given, not an input")
    if offset and offset not in OFFSETS + HISTORY_OFFSETS:
        known = OFFSETS + HISTORY_OFFSETS
        raise ComputationError(f"{where}: unknown offset {offset!r}; known: {known}")
    return Input("figure", figure, offset or None)


def check_indicator_inputs(computations: dict[str, tuple[Computation, ...]]) -> None:
    """Refuse an input naming an indicator that is not computed from the figures itself."""
    for items in computations.values():
        for computation in items:
            for _, item in computation.inputs + computation.given:
                if item.source != "indicator":
                    continue
                found = computations.get(item.code, ())
                if not found or any(other.from_indicators for other in found):
                    raise ComputationError(
                        f"indicator {computation.indicator!r}, input {str(item)!r}: no indicator"
                        f" {item.code!r} computed from figures"
                    )
