"""Analyst review of a period: decisions on the triggered recommendations, and commentary.

The rules (`jkn_analysis.recommendations.rules`) propose recommendations (`TriggeredRule`); the analyst decides
on each in ``data/<QUARTER>/review.yaml``, next to the period's figures (the loader reads only
``.csv``/``.xlsx`` files, so this file is never taken for figures). While any triggered
recommendation is undecided, the report is a draft ("DRAF" on every page, ``"status": "draft"``
in ``indicators.json``); once every one is confirmed, edited or dropped, it is final.

The file
--------
Read with a safe YAML loader (no Python tags). Every part is optional; a missing file is an
empty review::

    recommendations:                    # one entry per triggered rule, by rule id
      claim_ratio_above_100:
        decision: confirm               # shown as the rules wrote it
        note: "Dibahas dalam rapat pleno 12 Mei"   # optional, any decision; one text (taken as
                                                   # Indonesian) or {id: ..., en: ...}
      fktp_gatekeeper:
        decision: edit                  # shown with the analyst's wording (counts as decided)
        title: {id: "Judul baru", en: "New title"}  # both languages of what it replaces
        text:
          id: "Teks baru ..."
          en: "New text ..."
      specialist_supply_and_kris:
        decision: drop                  # left out of the report, kept in the audit trail
        reason: "Sudah ditangani Kemenkes"          # required, not empty
      compliance_enforcement: undecided # a decision alone may be written without a mapping

    added:                              # the analyst's own recommendations
      - id: analyst_followup_1          # letters, digits, "_" and "-"; unique in the file
        section: finance                # participation | facilities | finance
        title: {id: "...", en: "..."}
        text: {id: "...", en: "..."}
        note: "..."                     # optional

    commentary:                         # Markdown paragraphs, by report section
      summary: {id: "...", en: "..."}   # summary | participation | facilities | finance
      participation:
        id: |
          Paragraf pertama, dengan **tebal** dan [tautan](https://djsn.go.id).
        en: ""                          # empty or missing: no commentary in that language

Decisions: ``confirm``, ``edit``, ``drop`` (decided) and ``undecided`` (what
`write_review_template` writes). A decision for an id that is no rule of ``rules.yaml`` is an
error naming the closest rule id; one for a rule that did not fire this period, a warning.
``note`` and ``reason`` are one text, taken as Indonesian (shown as written, marked
``lang="id"``, in the English edition), or a text per language, ``{id: ..., en: ...}``.
``title``/``text`` are allowed only with ``edit`` (at least one of them), ``reason`` only with
``drop``.

Problems are `DataIssue` objects (file ``QUARTER/review.yaml``, ``row`` = the line in the
file), described in Indonesian or English by `REVIEW_MESSAGES` (keys ``review.*``, registered
into `jkn_analysis.inputs.validation.MESSAGES` so that `DataIssue.describe` finds them). Errors: a file
that cannot be read or parsed, unknown keys, sections, decisions or languages, wrong types, a
drop without a reason, an incomplete edit or added recommendation, a key or id given twice, a
decision for an unknown rule id. Warning: a decision for a rule that did not fire this period
(the data may have changed); it is ignored. An entry with an error is not applied, and a
review with any error keeps the report a draft, so that a final report never silently misses
part of the analyst's file.

Commentary is rendered by `render_markdown`: raw HTML comes out as text, images as their alt
text (the report fetches nothing), links keep their text and get an ``href`` only for
``http``, ``https`` and ``mailto`` addresses, and headings become bold paragraphs (they would
otherwise enter the report's outline).
"""

from __future__ import annotations

import difflib
import json
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

from jkn_analysis.catalogue.definitions import LANGUAGES, load_catalogue
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.catalogue.wording import messages
from jkn_analysis.inputs.validation import DataIssue, Place, register_messages
from jkn_analysis.recommendations.evidence import Recommendation, Status, TriggeredRule

REVIEW_FILE = "review.yaml"
DECISIONS = ("confirm", "edit", "drop", "undecided")
DECIDED = ("confirm", "edit", "drop")
TOP_KEYS = ("recommendations", "added", "commentary")
DECISION_KEYS = ("decision", "title", "text", "reason", "note")
ADDED_KEYS = ("id", "section", "title", "text", "note")
ADDED_REQUIRED = ("id", "section", "title", "text")
# The executive summary takes commentary too; recommendations belong to sections I-III.
SUMMARY_SECTION = "summary"
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
SAFE_HREF = re.compile(r"^(?:https?|mailto):", re.IGNORECASE)

# Texts of review-file problems and of the review status, in Indonesian and English, in the style
# of `jkn_analysis.inputs.validation.MESSAGES` ({placeholders} come from DataIssue.details).
REVIEW_MESSAGES: dict[str, dict[str, str]] = messages("review")
register_messages(REVIEW_MESSAGES)


# ------------------------------------------------------------------------------- data types
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


# ------------------------------------------------------------------------- reading the YAML
class _Mapping(dict):
    """A YAML mapping with the line of each key (1-based) and of the mapping itself."""

    line: int | None = None
    key_lines: dict
    duplicates: list  # (key, line, first line)


class _Sequence(list):
    """A YAML sequence with its line and the line of each item."""

    line: int | None = None
    item_lines: list


# Nesting deeper than this is refused before PyYAML's recursive composer reaches Python's
# recursion limit (no review file comes near it).
MAX_DEPTH = 100


class _BadValue(yaml.YAMLError):
    """A scalar the safe loader recognises (by its tag or its form) but cannot build, such as
    ``2024-13-45`` (a date), ``!!int abc`` or ``!!bool maybe``."""

    def __init__(self, node: yaml.Node, reason: str):
        super().__init__(reason)
        self.found = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
        self.kind = node.tag.rsplit(":", 1)[-1]
        self.reason = reason
        self.line = node.start_mark.line + 1


class _TooDeep(yaml.YAMLError):
    """Brackets or indentation nested deeper than `MAX_DEPTH` levels."""

    def __init__(self, mark: yaml.Mark):
        super().__init__("nested too deeply")
        self.line = mark.line + 1


class _LineLoader(yaml.SafeLoader):
    """PyYAML's safe loader, keeping line numbers and reporting keys given twice.

    PyYAML's own constructors raise ValueError, IndexError and the like (not YAMLError) for some
    scalars; they come out as `_BadValue`, with the node's line.
    """

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, LookupError, AttributeError, ArithmeticError) as error:
            reason = str(error) or type(error).__name__
            raise _BadValue(node, reason) from None

    def compose_node(self, parent, index):
        # The composer recurses once per level of nesting: stop before Python's own limit.
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    mapping.duplicates = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                "found an unhashable key",
                key_node.start_mark,
            ) from None
        line = key_node.start_mark.line + 1
        if key in mapping:
            mapping.duplicates.append((key, line, mapping.key_lines[key]))
            continue
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _Sequence:
    sequence = _Sequence(loader.construct_object(item, deep=True) for item in node.value)
    sequence.line = node.start_mark.line + 1
    sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
    return sequence


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def _key_line(mapping: object, key: object) -> int | None:
    lines = getattr(mapping, "key_lines", None)
    return lines.get(key) if lines else getattr(mapping, "line", None)


def _found(value: object) -> str:
    """A value as the file shows it, shortened, for messages."""
    if value is None:
        return "null"
    if isinstance(value, str):
        text = value
    else:
        # Written piece by piece and only as far as shown: aliases can make a short file hold
        # a structure of billions of items ("billion laughs").
        text = ""
        for piece in _json_pieces(value):
            text += piece
            if len(text) > 60:
                break
    return text if len(text) <= 60 else text[:57] + "..."


def _json_pieces(value: object) -> Iterator[str]:
    """``value`` as JSON, lazily; keys JSON cannot hold (dates, numbers) are written as text."""
    if isinstance(value, dict):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            name = key if isinstance(key, str) else str(key)
            yield (", " if index else "") + json.dumps(name, ensure_ascii=False) + ": "
            yield from _json_pieces(item)
        yield "}"
    elif isinstance(value, list | tuple):
        yield "["
        for index, item in enumerate(value):
            yield ", " if index else ""
            yield from _json_pieces(item)
        yield "]"
    else:
        yield json.dumps(value, ensure_ascii=False, default=str)


class _Checker:
    """Collects issues while reading one review file."""

    def __init__(self, file: str, period: str):
        self.file = file
        self.period = period
        self.issues: list[DataIssue] = []

    def add(
        self,
        problem: str,
        line: int | None,
        *,
        severity: str = "error",
        message: str = "",
        **details: object,
    ) -> None:
        self.issues.append(
            DataIssue(
                severity,  # type: ignore[arg-type]
                problem,
                self.file,
                line,
                period=self.period,
                details=dict(details),  # type: ignore[arg-type]
                message=message,
            )
        )

    def duplicates(self, mapping: _Mapping) -> None:
        for key, line, first in getattr(mapping, "duplicates", []):
            self.add("review.duplicate_key", line, key=str(key), other=str(first))

    def unknown_key(self, key: object, line: int | None, where: str, allowed: tuple) -> None:
        close = difflib.get_close_matches(str(key), list(allowed), n=1)
        self.add(
            "review.unknown_key",
            line,
            message="review.unknown_key.close" if close else "",
            key=str(key),
            where=where,
            expected=", ".join(allowed),
            **({"suggestion": close[0]} if close else {}),
        )

    def wrong_type(self, kind: str, value: object, line: int | None, where: str) -> None:
        self.add(
            "review.wrong_type",
            line,
            message=f"review.wrong_type.{kind}",
            where=where,
            found=_found(value),
        )

    def text(self, value: object, line: int | None, where: str) -> str | None:
        """A text value: a string, or None (reported) for anything else."""
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        self.wrong_type("text", value, line, where)
        return None

    def local_text(self, value: object, line: int | None, where: str) -> LocalText | None:
        """A remark (note, reason) given once, as a plain text, or per language as
        ``{id: ..., en: ...}`` with both given; None (reported) for anything else."""
        if isinstance(value, dict):
            texts = self.bilingual(value, line, where, required=True)
            return None if texts is None else {key: texts[key].strip() for key in LANGUAGES}
        if value is None or isinstance(value, str):
            return (value or "").strip()
        self.wrong_type("local_text", value, line, where)
        return None

    def bilingual(
        self, value: object, line: int | None, where: str, *, required: bool
    ) -> dict[str, str] | None:
        """An ``{id: ..., en: ...}`` mapping; both languages non-empty when ``required``."""
        if not isinstance(value, dict):
            self.wrong_type("mapping", value, line, where)
            return None
        self.duplicates(value)
        result: dict[str, str] = {}
        ok = True
        for key, text in value.items():
            key_line = _key_line(value, key)
            if key not in LANGUAGES:
                self.add("review.unknown_language", key_line, key=str(key), where=where)
                ok = False
                continue
            checked = self.text(
                text, key_line, _where("review.place.language", where=where, language=key)
            )
            if checked is None:
                ok = False
                continue
            result[key] = checked
        missing = [language for language in LANGUAGES if not result.get(language, "").strip()]
        if required and missing:
            self.add("review.missing_language", line, where=where, missing=", ".join(missing))
            ok = False
        return result if ok else None


def load_review(data_dir: Path | str, quarter: Quarter | str) -> tuple[Review, list[DataIssue]]:
    """Read and check ``data/<QUARTER>/review.yaml``.

    Returns
    -------
    Review, list of DataIssue
        The review, without the entries that have errors, and every problem found (also in
        ``Review.issues``). A missing file is an empty review and no problem.
    """
    quarter = Quarter.parse(str(quarter))
    path = review_path(data_dir, quarter)
    file = f"{quarter}/{REVIEW_FILE}"
    if not path.exists():
        return Review(file=file, period=str(quarter)), []
    check = _Checker(file, str(quarter))
    review = _read(path, check)
    review = Review(
        decisions=review.decisions,
        added=review.added,
        commentary=review.commentary,
        issues=tuple(check.issues),
        file=file,
        period=str(quarter),
        exists=True,
    )
    return review, list(check.issues)


def _read(path: Path, check: _Checker) -> Review:
    try:
        content = path.read_bytes()
    except OSError as error:
        check.add("review.unreadable", None, reason=error.strerror or type(error).__name__)
        return Review()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        check.add("review.not_utf8", None)
        return Review()
    try:
        document = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass: no Python tags
    except _BadValue as error:
        check.add(
            "review.bad_value",
            error.line,
            found=_found(error.found),
            kind=error.kind,
            reason=error.reason,
        )
        return Review()
    except _TooDeep as error:
        check.add("review.too_deep", error.line, depth=str(MAX_DEPTH))
        return Review()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        check.add("review.syntax", mark.line + 1 if mark else None, reason=reason)
        return Review()
    if document is None:
        return Review()
    if not isinstance(document, dict):
        check.add(
            "review.not_mapping",
            getattr(document, "line", 1),
            expected=", ".join(TOP_KEYS),
            found=_found(document),
        )
        return Review()
    check.duplicates(document)
    for key in document:
        if key not in TOP_KEYS:
            check.unknown_key(key, _key_line(document, key), _where("review.place.file"), TOP_KEYS)
    decisions = _read_decisions(document, check)
    added = _read_added(document, check, taken=set(decisions) | set(_decision_keys(document)))
    commentary = _read_commentary(document, check)
    return Review(decisions=decisions, added=added, commentary=commentary)


def _where(name: str, /, **values: str | ReviewPlace) -> ReviewPlace:
    """A place in the review file, named in the language of the message that shows it."""
    return ReviewPlace(key=name, values=tuple(values.items()))


def _decision_keys(document: dict) -> list[str]:
    block = document.get("recommendations")
    return [str(key) for key in block] if isinstance(block, dict) else []


def _read_decisions(document: dict, check: _Checker) -> dict[str, RuleDecision]:
    block = document.get("recommendations")
    line = _key_line(document, "recommendations")
    if block is None:
        return {}
    if not isinstance(block, dict):
        check.wrong_type("mapping", block, line, _where("review.place.recommendations"))
        return {}
    check.duplicates(block)
    decisions: dict[str, RuleDecision] = {}
    for rule, entry in block.items():
        rule_id = str(rule)
        entry_line = _key_line(block, rule)
        decision = _read_decision(rule_id, entry, entry_line, check)
        if decision is not None:
            decisions[rule_id] = decision
    return decisions


def _read_decision(
    rule_id: str, entry: object, line: int | None, check: _Checker
) -> RuleDecision | None:
    if isinstance(entry, str):  # the short form: ``rule_id: confirm``
        entry = {"decision": entry}
        key_lines = {"decision": line}
    elif isinstance(entry, dict):
        check.duplicates(entry)
        key_lines = getattr(entry, "key_lines", {})
    else:
        check.wrong_type("mapping", entry, line, _where("review.place.rule", rule=rule_id))
        return None
    ok = True
    for key in entry:
        if key not in DECISION_KEYS:
            check.unknown_key(
                key,
                key_lines.get(key, line),
                _where("review.place.rule", rule=rule_id),
                DECISION_KEYS,
            )
            ok = False
    decision = entry.get("decision")
    if decision is None:
        check.add("review.missing_decision", line, rule=rule_id, expected=", ".join(DECISIONS))
        return None
    decision_line = key_lines.get("decision", line)
    if not isinstance(decision, str) or decision.strip().lower() not in DECISIONS:
        # Only a text can be a misspelt decision (str() of an aliased list could be huge).
        found = decision.strip() if isinstance(decision, str) else ""
        close = difflib.get_close_matches(found, list(DECISIONS), n=1)
        check.add(
            "review.unknown_decision",
            decision_line,
            message="review.unknown_decision.close" if close else "",
            rule=rule_id,
            found=_found(decision),
            expected=", ".join(DECISIONS),
            **({"suggestion": close[0]} if close else {}),
        )
        return None
    decision = decision.strip().lower()
    allowed = {"title": "edit", "text": "edit", "reason": "drop"}
    for key, only in allowed.items():
        if key in entry and decision != only:
            check.add(
                "review.field_not_allowed",
                key_lines.get(key, line),
                key=key,
                rule=rule_id,
                allowed=only,
                decision=decision,
            )
            ok = False
    note = check.local_text(
        entry.get("note"),
        key_lines.get("note", line),
        _where("review.place.field", key="note", rule=rule_id),
    )
    ok = ok and note is not None
    title: dict[str, str] = {}
    text: dict[str, str] = {}
    reason: LocalText = ""
    if decision == "drop":
        value = check.local_text(
            entry.get("reason"),
            key_lines.get("reason", line),
            _where("review.place.field", key="reason", rule=rule_id),
        )
        if value is None:
            ok = False
        elif not value:
            check.add("review.drop_without_reason", key_lines.get("reason", line), rule=rule_id)
            ok = False
        else:
            reason = value
    if decision == "edit":
        if "title" not in entry and "text" not in entry:
            check.add("review.edit_without_change", line, rule=rule_id)
            ok = False
        for key, target in (("title", title), ("text", text)):
            if key in entry:
                value = check.bilingual(
                    entry[key],
                    key_lines.get(key, line),
                    _where("review.place.field", key=key, rule=rule_id),
                    required=True,
                )
                if value is None:
                    ok = False
                else:
                    target.update({language: value[language].strip() for language in LANGUAGES})
    if not ok:
        return None
    return RuleDecision(
        rule_id=rule_id,
        decision=decision,
        title=title,
        text=text,
        reason=reason,
        note=note or "",
        line=line,
    )


def _read_added(
    document: dict, check: _Checker, taken: set[str]
) -> tuple[AddedRecommendation, ...]:
    block = document.get("added")
    line = _key_line(document, "added")
    if block is None:
        return ()
    if not isinstance(block, list):
        check.wrong_type("list", block, line, _where("review.place.added"))
        return ()
    item_lines = getattr(block, "item_lines", [line] * len(block))
    sections = recommendation_sections()
    added: list[AddedRecommendation] = []
    seen: dict[str, int | None] = {}
    for number, (entry, entry_line) in enumerate(zip(block, item_lines, strict=True), start=1):
        identifier = entry.get("id") if isinstance(entry, dict) else None
        name = (
            f"'{identifier}'"
            if isinstance(identifier, str) and identifier.strip()
            else _where("review.place.number", number=number)
        )
        where = _where("review.place.added_item", name=name)
        if not isinstance(entry, dict):
            check.wrong_type("mapping", entry, entry_line, where)
            continue
        check.duplicates(entry)
        key_lines = getattr(entry, "key_lines", {})
        ok = True
        for key in entry:
            if key not in ADDED_KEYS:
                check.unknown_key(key, key_lines.get(key, entry_line), where, ADDED_KEYS)
                ok = False
        for key in ADDED_REQUIRED:
            if entry.get(key) in (None, ""):
                check.add("review.added_missing", entry_line, name=name, key=key)
                ok = False
        if entry.get("id") not in (None, ""):
            identifier = check.text(entry["id"], key_lines.get("id"), where)
            if identifier is None:
                ok = False
            elif not ID_PATTERN.match(identifier):
                check.add("review.bad_id", key_lines.get("id"), found=identifier)
                ok = False
            elif identifier in taken or identifier in seen:
                other = (
                    _where("review.place.rule", rule=identifier)
                    if identifier in taken
                    else _where("review.place.line", line=seen[identifier])
                )
                check.add("review.duplicate_id", key_lines.get("id"), found=identifier, other=other)
                ok = False
            else:
                seen[identifier] = key_lines.get("id")
        section = entry.get("section")
        if section not in (None, ""):
            section = check.text(section, key_lines.get("section"), where)
            if section is None:
                ok = False
            elif section not in sections:
                _unknown_section(check, section, key_lines.get("section"), where, sections)
                ok = False
        texts = {}
        for key in ("title", "text"):
            if entry.get(key) in (None, ""):
                continue
            texts[key] = check.bilingual(
                entry[key],
                key_lines.get(key),
                _where("review.place.added_field", key=key, name=name),
                required=True,
            )
            ok = ok and texts[key] is not None
        note = check.local_text(
            entry.get("note"),
            key_lines.get("note"),
            _where("review.place.added_field", key="note", name=name),
        )
        if not ok or note is None:
            continue
        added.append(
            AddedRecommendation(
                id=identifier,
                section=section,
                title={language: texts["title"][language].strip() for language in LANGUAGES},
                text={language: texts["text"][language].strip() for language in LANGUAGES},
                note=note,
                line=entry_line,
            )
        )
    return tuple(added)


def _unknown_section(
    check: _Checker, section: str, line: int | None, where: str, allowed: tuple[str, ...]
) -> None:
    close = difflib.get_close_matches(section, list(allowed), n=1)
    check.add(
        "review.unknown_section",
        line,
        message="review.unknown_section.close" if close else "",
        found=section,
        where=where,
        expected=", ".join(allowed),
        **({"suggestion": close[0]} if close else {}),
    )


def _read_commentary(document: dict, check: _Checker) -> dict[str, dict[str, str]]:
    block = document.get("commentary")
    line = _key_line(document, "commentary")
    if block is None:
        return {}
    if not isinstance(block, dict):
        check.wrong_type("mapping", block, line, _where("review.place.commentary"))
        return {}
    check.duplicates(block)
    sections = commentary_sections()
    commentary: dict[str, dict[str, str]] = {}
    for section, texts in block.items():
        section_line = _key_line(block, section)
        if section not in sections:
            _unknown_section(
                check, str(section), section_line, _where("review.place.commentary"), sections
            )
            continue
        if texts is None:
            continue
        where = _where("review.place.commentary_section", section=section)
        value = check.bilingual(texts, section_line, where, required=False)
        if value is not None:
            commentary[section] = {k: v for k, v in value.items() if v.strip()}
    return commentary


# ----------------------------------------------------------------------- applying a review
def rule_ids() -> tuple[str, ...]:
    """The ids of every rule of the shipped rules file, whether it fires or not."""
    from jkn_analysis.recommendations.rules import (
        load_rules,  # here: the rules need the computed indicators
    )

    return tuple(rule.id for rule in load_rules())


def apply_review(
    triggered: list[TriggeredRule],
    review: Review,
    language: str,
    known_rules: tuple[str, ...] | None = None,
) -> ReviewOutcome:
    """The report's recommendations and status after the analyst's decisions.

    Parameters
    ----------
    triggered : list of TriggeredRule
        The rules that fired for the period, in report order.
    review : Review
        The analyst's review (`load_review`; ``Review()`` when there is none).
    language : {"id", "en"}
        The report language: titles, texts, evidence and commentary are taken in it.
    known_rules : tuple of str, optional
        Every rule id there is (default: the shipped rules, `rule_ids`). A decision for one
        that did not fire is a warning; for an id that is no rule at all, an error with the
        closest id.

    Returns
    -------
    ReviewOutcome
        Status ``"final"`` exactly when every triggered rule is confirmed, edited or dropped
        and the review file has no error (no triggered rule and no file: final).
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    check = _Checker(review.file, review.period)
    check.issues = list(review.issues)
    fired = {rule.rule_id for rule in triggered}
    shown: list[Recommendation] = []
    dropped: list[Recommendation] = []
    undecided: list[str] = []
    for rule in triggered:
        decision = review.decisions.get(rule.rule_id)
        kind = decision.decision if decision else "undecided"
        title = rule.title[language]
        text = rule.text[language]
        if kind == "edit":
            title = decision.title.get(language) or title
            text = decision.text.get(language) or text
        remark = decision.reason if kind == "drop" else decision.note if decision else ""
        reason, reason_language = in_language(remark, language)
        recommendation = Recommendation(
            rule_id=rule.rule_id,
            section=rule.section,
            title=title,
            text=text,
            evidence=tuple(rule.evidence.get(language, ())),
            decision=kind,  # type: ignore[arg-type]
            reason=reason,
            reason_language=reason_language if reason else "",
        )
        if kind == "drop":
            dropped.append(recommendation)
        else:
            shown.append(recommendation)
        if kind == "undecided":
            undecided.append(rule.rule_id)
    known = set(rule_ids() if known_rules is None else known_rules) | fired
    for rule_id, decision in review.decisions.items():
        if rule_id in fired:
            continue
        if rule_id in known:
            check.add("review.not_triggered", decision.line, severity="warning", rule=rule_id)
            continue
        close = difflib.get_close_matches(rule_id, sorted(known), n=1)
        check.add(
            "review.unknown_rule",
            decision.line,
            message="review.unknown_rule.close" if close else "",
            rule=rule_id,
            **({"suggestion": close[0]} if close else {}),
        )
    for item in review.added:
        if item.id in fired:
            other = _where("review.place.rule", rule=item.id)
            check.add("review.duplicate_id", item.line, found=item.id, other=other)
            continue
        note, note_language = in_language(item.note, language)
        shown.append(
            Recommendation(
                rule_id=item.id,
                section=item.section,
                title=item.title[language],
                text=item.text[language],
                evidence=(),
                decision="added",
                reason=note,
                reason_language=note_language if note else "",
            )
        )
    has_errors = any(issue.severity == "error" for issue in check.issues)
    commentary = {
        section: render_markdown(texts[language])
        for section, texts in review.commentary.items()
        if texts.get(language, "").strip()
    }
    return ReviewOutcome(
        recommendations=shown,
        dropped=dropped,
        undecided=undecided,
        status="draft" if undecided or has_errors else "final",
        commentary=commentary,
        issues=check.issues,
    )


def review_period(
    data_dir: Path | str, quarter: Quarter | str, triggered: list[TriggeredRule], language: str
) -> ReviewOutcome:
    """`load_review` then `apply_review`: what the report and ``validate`` need in one call."""
    review, _ = load_review(data_dir, quarter)
    return apply_review(triggered, review, language)


def undecided_issues(outcome: ReviewOutcome, file: str = "") -> list[DataIssue]:
    """One warning per undecided recommendation (``review.undecided``), for listings."""
    return [
        DataIssue(
            "warning",
            "review.undecided",
            file,
            details={"rule": item.rule_id, "title": item.title},
        )
        for item in outcome.recommendations
        if item.decision == "undecided"
    ]


def format_review_status(
    outcome: ReviewOutcome,
    quarter: Quarter | str,
    language: str = "id",
    review: Review | None = None,
) -> str:
    """The review status for ``jkn-report validate``: draft with every undecided one, or final.

    Each undecided recommendation is one line, ``  - rule_id: title (baris 7)``, with its line
    in the review file when it is there. The review file's own problems are not repeated here
    (print ``outcome.issues`` with `DataIssue.describe`).
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    period = str(Quarter.parse(str(quarter)))
    file = f"{period}/{REVIEW_FILE}"
    words = {key: REVIEW_MESSAGES[key][language] for key in REVIEW_MESSAGES}
    if outcome.undecided:
        lines = [
            words["review.status.draft"].format(
                period=period, count=len(outcome.undecided), file=file
            )
        ]
        for item in outcome.recommendations:
            if item.decision != "undecided":
                continue
            line = _entry_line(review, item.rule_id)
            where = (
                words["review.place.line"].format(line=line)
                if line
                else words["review.status.not_in_file"]
            )
            lines.append(f"  - {item.rule_id}: {item.title} ({where})")
    elif outcome.status == "draft":
        lines = [words["review.status.draft_errors"].format(period=period, file=file)]
    else:
        lines = [words["review.status.final"].format(period=period)]
    return "\n".join(lines) + "\n"


def _entry_line(review: Review | None, rule_id: str) -> int | None:
    if review is None:
        return None
    decision = review.decisions.get(rule_id)
    return decision.line if decision else None


# -------------------------------------------------------------------------- safe Markdown
def _strip_unsafe_links(state) -> None:
    """Keep a link's text; drop the link itself unless it goes to http(s) or mailto."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children = []
        dropping = False
        for child in token.children:
            if child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                if not SAFE_HREF.match(href):
                    dropping = True
                    continue
                child.attrs = {"href": href}  # nothing else: no title, no target
            elif child.type == "link_close" and dropping:
                dropping = False  # links do not nest in CommonMark
                continue
            children.append(child)
        token.children = children


def _image_as_alt_text(self, tokens, idx, options, env) -> str:
    """An image is shown as its alt text: the report fetches nothing."""
    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


def _heading_open(self, tokens, idx, options, env) -> str:
    return '<p class="commentary-heading"><strong>'


def _heading_close(self, tokens, idx, options, env) -> str:
    return "</strong></p>\n"


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    # Every link is parsed (so that its text is kept), then unsafe ones lose their href.
    md.validateLink = lambda url: True
    md.core.ruler.push("jkn_safe_links", _strip_unsafe_links)
    md.add_render_rule("image", _image_as_alt_text)
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    return md


def render_markdown(text: str) -> Markup:
    """Analyst Markdown (CommonMark) as safe HTML for the report.

    Raw HTML is escaped and shown as text; images become their alt text; links keep their
    text, with an ``href`` only for ``http:``, ``https:`` and ``mailto:`` addresses; headings
    become bold paragraphs so that they stay out of the report's outline.
    """
    return Markup(_markdown().render(text or ""))


# --------------------------------------------------------------------------- the template
TEMPLATE_WORDS: dict[str, dict[str, str]] = messages("review_template")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _yaml_key(key: str) -> str:
    return key if _PLAIN_KEY.match(key) and key.lower() not in _YAML_WORDS else json.dumps(key)


_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _comment(text: str, indent: str) -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in str(text).splitlines() or [""]]


def write_review_template(
    data_dir: Path | str,
    quarter: Quarter | str,
    triggered: list[TriggeredRule],
    language: str = "id",
) -> Path:
    """Write a ``review.yaml`` skeleton for the period and return its path.

    Every triggered rule is listed with ``decision: undecided``, its section, title and
    evidence as comments (in ``language``); ``added`` is empty and ``commentary`` has an empty
    entry per section, in both languages.

    Raises
    ------
    FileExistsError
        When the period already has a review file (it is never overwritten).
    FileNotFoundError
        When the period has no folder in ``data_dir``.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    path = review_path(data_dir, quarter)
    period = path.parent.name
    if not path.parent.is_dir():
        raise FileNotFoundError(f"no folder for {period} in {Path(data_dir).resolve()}")
    catalogue_sections = load_catalogue().sections
    lines = TEMPLATE_WORDS["header"][language].format(period=period).splitlines()
    lines.append("")
    if triggered:
        lines.append("recommendations:")
    else:
        lines += ["recommendations: {}", TEMPLATE_WORDS["none"][language]]
    for rule in triggered:
        spec = catalogue_sections.get(rule.section, {})
        section = f"{spec['number']}. {spec[language]}" if spec else rule.section
        lines.append("")
        lines += _comment(f"{section} — {rule.title[language]}", "  ")
        evidence = rule.evidence.get(language, ())
        if evidence:
            lines += _comment(TEMPLATE_WORDS["evidence"][language], "  ")
            for item in evidence:
                source = f" ({item.source})" if item.source else ""
                wrapped = textwrap.wrap(f"{item.text}{source}", 88) or [""]
                lines += _comment(f"  - {wrapped[0]}", "  ")
                lines += [line for part in wrapped[1:] for line in _comment(f"    {part}", "  ")]
        lines += _comment(TEMPLATE_WORDS["text"][language], "  ")
        for paragraph in rule.text[language].splitlines():
            for part in textwrap.wrap(paragraph, 90) or [""]:
                lines += _comment("  " + part, "  ")
        lines.append(f"  {_yaml_key(rule.rule_id)}:")
        lines.append("    decision: undecided")
    lines += ["", "added: []"]
    lines += TEMPLATE_WORDS["added"][language].splitlines()
    lines += ["", "commentary:"]
    lines += ["  " + line for line in TEMPLATE_WORDS["commentary"][language].splitlines()]
    for section in commentary_sections():
        spec = catalogue_sections.get(section)
        name = f"{spec['number']}. {spec[language]}" if spec else TEMPLATE_WORDS[section][language]
        lines += [f"  # {name}", f"  {section}:", '    id: ""', '    en: ""']
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(lines) + "\n")
    return path
