"""The analyst's review as the pack holds it: decisions, added recommendations, commentary,
and the outcome of applying them to a period's triggered rules.

The format of ``review.yaml`` is described in `jkn_analysis.recommendations.review`; here are
its names (keys, decisions, sections), the path of a period's file, the places in the file that
messages name (`ReviewPlace`) and the wording of those messages (`REVIEW_MESSAGES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from jkn_analysis.catalogue.definitions import LANGUAGES, load_catalogue
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.catalogue.wording import messages
from jkn_analysis.inputs.validation import DataIssue, Place, register_messages
from jkn_analysis.recommendations.evidence import Recommendation, Status

REVIEW_FILE = "review.yaml"
DECISIONS = ("confirm", "edit", "drop", "undecided")
TOP_KEYS = ("recommendations", "added", "commentary")
DECISION_KEYS = ("decision", "title", "text", "reason", "note")
ADDED_KEYS = ("id", "section", "title", "text", "note")
ADDED_REQUIRED = ("id", "section", "title", "text")
# The executive summary takes commentary too; recommendations belong to sections I-III.
SUMMARY_SECTION = "summary"
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
# Texts of review-file problems and of the review status, in Indonesian and English, in the style
# of `jkn_analysis.inputs.validation.MESSAGES` ({placeholders} come from DataIssue.details).
REVIEW_MESSAGES: dict[str, dict[str, str]] = messages("review")
register_messages(REVIEW_MESSAGES)


# A remark of the analyst (note, reason): one text, taken as written in Indonesian (the pack's
# default language, `DEFAULT_LANGUAGE`), or a text per language.
LocalText = str | dict[str, str]
DEFAULT_LANGUAGE = LANGUAGES[0]


def in_language(value: LocalText, language: str) -> tuple[str, str]:
    """A remark in ``language`` and the language it is written in: its text in ``language``
    when given per language, otherwise the one text, in `DEFAULT_LANGUAGE`."""
    if isinstance(value, dict):
        return value.get(language, ""), language
    return value, DEFAULT_LANGUAGE


@dataclass(frozen=True)
class RuleDecision:
    """The analyst's decision on one triggered rule, as written in the review file.

    ``title`` and ``text`` hold the replacement wording of an ``edit`` (by language; empty
    when not replaced); ``reason`` is why it was dropped; ``note`` is a free remark; either is
    one text or a text per language (`LocalText`). ``line`` is the line of the entry in the
    file.
    """

    rule_id: str
    decision: str
    title: dict[str, str] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)
    reason: LocalText = ""
    note: LocalText = ""
    line: int | None = None


@dataclass(frozen=True)
class AddedRecommendation:
    """A recommendation the analyst wrote, for one report section (both languages)."""

    id: str
    section: str
    title: dict[str, str]
    text: dict[str, str]
    note: LocalText = ""
    line: int | None = None


@dataclass(frozen=True)
class Review:
    """What ``review.yaml`` holds, after checking: entries with errors are left out.

    ``commentary`` maps a section (`commentary_sections`) to its Markdown by language.
    ``issues`` are the problems found in the file (as `load_review` returns them); ``file``
    is the name used in them (``2024Q1/review.yaml``), ``period`` the quarter; ``exists``
    whether there was a file.
    """

    decisions: dict[str, RuleDecision] = field(default_factory=dict)
    added: tuple[AddedRecommendation, ...] = ()
    commentary: dict[str, dict[str, str]] = field(default_factory=dict)
    issues: tuple[DataIssue, ...] = ()
    file: str = ""
    period: str = ""
    exists: bool = False

    @property
    def has_errors(self) -> bool:
        """Whether the file has a hard error (the report then stays a draft)."""
        return any(issue.severity == "error" for issue in self.issues)


@dataclass(frozen=True)
class ReviewOutcome:
    """The review applied to a period's triggered rules, in one report language.

    Attributes
    ----------
    recommendations : list of Recommendation
        What the report shows: the triggered rules in their order (dropped ones left out,
        undecided ones included with decision ``"undecided"``), then the added ones.
    dropped : list of Recommendation
        Dropped recommendations with their reason, for the appendix's audit trail.
    undecided : list of str
        Rule ids of the triggered rules that are neither confirmed, edited nor dropped.
    status : {"draft", "final"}
        ``"draft"`` while any triggered rule is undecided or the review file has an error.
    commentary : dict of str to Markup
        Safe HTML of each section's commentary in the report language (non-empty only).
    issues : list of DataIssue
        The review file's problems plus those found against the triggered rules (decisions
        for rules that did not fire, added ids that clash with a rule).
    """

    recommendations: list[Recommendation]
    dropped: list[Recommendation]
    undecided: list[str]
    status: Status
    commentary: dict[str, Markup]
    issues: list[DataIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[DataIssue]:
        """The hard errors among ``issues``."""
        return [issue for issue in self.issues if issue.severity == "error"]

    @property
    def warnings(self) -> list[DataIssue]:
        """The warnings among ``issues``."""
        return [issue for issue in self.issues if issue.severity == "warning"]

    def section(self, section: str) -> list[Recommendation]:
        """The recommendations the report shows in one section, in order."""
        return [item for item in self.recommendations if item.section == section]


@dataclass(frozen=True)
class ReviewPlace(Place):
    """A part of the review file named inside a message (``the text of recommendation 'x'``).

    `DataIssue.describe` describes every `Place` detail in the message language; this one
    takes its words from `REVIEW_MESSAGES` (``key``, with ``values`` for its placeholders).
    """

    key: str = ""
    values: tuple[tuple[str, object], ...] = ()

    def describe(self, language: str = "en", catalogue: object = None) -> str:
        """The place in ``language`` (nested places too)."""
        values = {
            name: value.describe(language) if isinstance(value, Place) else value
            for name, value in self.values
        }
        return REVIEW_MESSAGES[self.key][language].format(**values)


def recommendation_sections() -> tuple[str, ...]:
    """Sections that hold recommendations: the catalogue's report sections."""
    return tuple(load_catalogue().sections)


def commentary_sections() -> tuple[str, ...]:
    """Sections that take commentary: the executive summary and the report sections."""
    return (SUMMARY_SECTION, *recommendation_sections())


def review_path(data_dir: Path | str, quarter: Quarter | str) -> Path:
    """``data/<QUARTER>/review.yaml`` (``quarter`` is checked to be ``YYYYQn``)."""
    return Path(data_dir) / str(Quarter.parse(str(quarter))) / REVIEW_FILE


def place_in_file(name: str, /, **values: str | ReviewPlace) -> ReviewPlace:
    """A place in the review file, named in the language of the message that shows it."""
    return ReviewPlace(key=name, values=tuple(values.items()))
