"""Recommendations: what the rules found (`TriggeredRule`) and what the analyst decided.

`jkn_analysis.recommendations.rules` evaluates ``catalogue/rules.yaml`` on the computed
indicators and returns `TriggeredRule` objects; `jkn_analysis.recommendations.review` applies
the analyst's decisions from ``data/<QUARTER>/review.yaml`` and says whether the report is a
draft or final. The report renders `Recommendation` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Decision = Literal["confirm", "edit", "drop", "undecided", "added"]
Status = Literal["draft", "final"]


@dataclass(frozen=True)
class Evidence:
    """One figure that made a rule fire, formatted for the report.

    ``text`` is the whole sentence, in words, such as ``Rasio klaim 112,2%, di atas titik impas
    100%``; ``source`` names where the threshold comes from (regulation, DJSN target or this
    report's own warning level), in the report language.
    """

    indicator: str
    dimensions: dict[str, str]
    text: str
    source: str = ""


@dataclass(frozen=True)
class TriggeredRule:
    """A rule whose condition holds for the period, with its evidence (never empty)."""

    rule_id: str
    section: str
    title: dict[str, str]
    text: dict[str, str]
    evidence: dict[str, tuple[Evidence, ...]]  # by language
    anchor: dict[str, object] = field(default_factory=dict)  # indicator code and breakdown


@dataclass(frozen=True)
class Recommendation:
    """A recommendation as the report shows it, after the analyst's decision."""

    rule_id: str
    section: str
    title: str
    text: str
    evidence: tuple[Evidence, ...]
    decision: Decision
    reason: str = ""  # why it was dropped, or the analyst's note
    # The language ``reason`` is written in ("" without a reason): a note given in one
    # language only is shown as written, marked with its language, in the other edition.
    reason_language: str = ""
