"""Reading and checking a period's ``review.yaml`` (`load_review`).

Every problem is a `DataIssue` with the line it is on, collected by a `Checker`; an entry with
an error is left out of the `Review`, which keeps the problems in ``Review.issues``.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

import yaml

from jkn_analysis.catalogue.definitions import LANGUAGES
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.inputs.validation import DataIssue
from jkn_analysis.recommendations.decisions import (
    ADDED_KEYS,
    ADDED_REQUIRED,
    DECISION_KEYS,
    DECISIONS,
    ID_PATTERN,
    REVIEW_FILE,
    TOP_KEYS,
    AddedRecommendation,
    LocalText,
    Review,
    RuleDecision,
    commentary_sections,
    place_in_file,
    recommendation_sections,
    review_path,
)
from jkn_analysis.recommendations.review_yaml import (
    MAX_DEPTH,
    BadValue,
    LineLoader,
    LineMapping,
    TooDeep,
    line_of,
    shown,
)


class Checker:
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

    def duplicates(self, mapping: LineMapping) -> None:
        for key, line, first in getattr(mapping, "duplicates", []):
            self.add("review.duplicate_key", line, key=str(key), other=str(first))

    def unknown(
        self,
        problem: str,
        line: int | None,
        *,
        name: str,
        known: Sequence[str],
        list_known: bool = True,
        **details: object,
    ) -> None:
        """An unknown ``name`` (``problem``): with the closest of ``known`` as ``suggestion``
        (and the message ``<problem>.close``) when one is close, and ``known`` as ``expected``
        unless ``list_known`` is false."""
        close = difflib.get_close_matches(name, list(known), n=1)
        if list_known:
            details["expected"] = ", ".join(known)
        if close:
            details["suggestion"] = close[0]
        self.add(problem, line, message=f"{problem}.close" if close else "", **details)

    def unknown_key(self, key: object, line: int | None, where: str, allowed: tuple) -> None:
        self.unknown(
            "review.unknown_key", line, name=str(key), known=allowed, key=str(key), where=where
        )

    def wrong_type(self, kind: str, value: object, line: int | None, where: str) -> None:
        self.add(
            "review.wrong_type",
            line,
            message=f"review.wrong_type.{kind}",
            where=where,
            found=shown(value),
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
            key_line = line_of(value, key)
            if key not in LANGUAGES:
                self.add("review.unknown_language", key_line, key=str(key), where=where)
                ok = False
                continue
            checked = self.text(
                text, key_line, place_in_file("review.place.language", where=where, language=key)
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
    check = Checker(file, str(quarter))
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


def _read(path: Path, check: Checker) -> Review:
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
        document = yaml.load(text, Loader=LineLoader)  # a SafeLoader subclass: no Python tags
    except BadValue as error:
        check.add(
            "review.bad_value",
            error.line,
            found=shown(error.found),
            kind=error.kind,
            reason=error.reason,
        )
        return Review()
    except TooDeep as error:
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
            found=shown(document),
        )
        return Review()
    check.duplicates(document)
    for key in document:
        if key not in TOP_KEYS:
            check.unknown_key(
                key, line_of(document, key), place_in_file("review.place.file"), TOP_KEYS
            )
    decisions = _read_decisions(document, check)
    added = _read_added(document, check, taken=set(decisions) | set(_decision_keys(document)))
    commentary = _read_commentary(document, check)
    return Review(decisions=decisions, added=added, commentary=commentary)


def _decision_keys(document: dict) -> list[str]:
    block = document.get("recommendations")
    return [str(key) for key in block] if isinstance(block, dict) else []


def _top_mapping(document: dict, key: str, check: Checker) -> dict:
    """The file's part ``key`` (``recommendations``, ``commentary``): a mapping, checked for
    keys given twice; empty when absent or, reported, when it is not a mapping."""
    block = document.get(key)
    if block is None:
        return {}
    if not isinstance(block, dict):
        where = place_in_file(f"review.place.{key}")
        check.wrong_type("mapping", block, line_of(document, key), where)
        return {}
    check.duplicates(block)
    return block


def _read_decisions(document: dict, check: Checker) -> dict[str, RuleDecision]:
    block = _top_mapping(document, "recommendations", check)
    decisions: dict[str, RuleDecision] = {}
    for rule, entry in block.items():
        rule_id = str(rule)
        entry_line = line_of(block, rule)
        decision = _read_decision(rule_id, entry, entry_line, check)
        if decision is not None:
            decisions[rule_id] = decision
    return decisions


def _read_decision(
    rule_id: str, entry: object, line: int | None, check: Checker
) -> RuleDecision | None:
    if isinstance(entry, str):  # the short form: ``rule_id: confirm``
        entry = {"decision": entry}
        key_lines = {"decision": line}
    elif isinstance(entry, dict):
        check.duplicates(entry)
        key_lines = getattr(entry, "key_lines", {})
    else:
        check.wrong_type("mapping", entry, line, place_in_file("review.place.rule", rule=rule_id))
        return None
    ok = True
    for key in entry:
        if key not in DECISION_KEYS:
            check.unknown_key(
                key,
                key_lines.get(key, line),
                place_in_file("review.place.rule", rule=rule_id),
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
        check.unknown(
            "review.unknown_decision",
            decision_line,
            name=decision.strip() if isinstance(decision, str) else "",
            known=DECISIONS,
            rule=rule_id,
            found=shown(decision),
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
        place_in_file("review.place.field", key="note", rule=rule_id),
    )
    ok = ok and note is not None
    title: dict[str, str] = {}
    text: dict[str, str] = {}
    reason: LocalText = ""
    if decision == "drop":
        value = check.local_text(
            entry.get("reason"),
            key_lines.get("reason", line),
            place_in_file("review.place.field", key="reason", rule=rule_id),
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
                    place_in_file("review.place.field", key=key, rule=rule_id),
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


def _read_added(document: dict, check: Checker, taken: set[str]) -> tuple[AddedRecommendation, ...]:
    block = document.get("added")
    line = line_of(document, "added")
    if block is None:
        return ()
    if not isinstance(block, list):
        check.wrong_type("list", block, line, place_in_file("review.place.added"))
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
            else place_in_file("review.place.number", number=number)
        )
        where = place_in_file("review.place.added_item", name=name)
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
                    place_in_file("review.place.rule", rule=identifier)
                    if identifier in taken
                    else place_in_file("review.place.line", line=seen[identifier])
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
                place_in_file("review.place.added_field", key=key, name=name),
                required=True,
            )
            ok = ok and texts[key] is not None
        note = check.local_text(
            entry.get("note"),
            key_lines.get("note"),
            place_in_file("review.place.added_field", key="note", name=name),
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
    check: Checker, section: str, line: int | None, where: str, allowed: tuple[str, ...]
) -> None:
    check.unknown(
        "review.unknown_section", line, name=section, known=allowed, found=section, where=where
    )


def _read_commentary(document: dict, check: Checker) -> dict[str, dict[str, str]]:
    block = _top_mapping(document, "commentary", check)
    sections = commentary_sections()
    commentary: dict[str, dict[str, str]] = {}
    for section, texts in block.items():
        section_line = line_of(block, section)
        if section not in sections:
            _unknown_section(
                check,
                str(section),
                section_line,
                place_in_file("review.place.commentary"),
                sections,
            )
            continue
        if texts is None:
            continue
        where = place_in_file("review.place.commentary_section", section=section)
        value = check.bilingual(texts, section_line, where, required=False)
        if value is not None:
            commentary[section] = {k: v for k, v in value.items() if v.strip()}
    return commentary
