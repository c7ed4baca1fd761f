"""Analyst review of a period: decisions on the triggered recommendations, and commentary.

The rules (`jkn_analysis.recommendations.rules`) propose recommendations (`TriggeredRule`); the
analyst decides on each in ``data/<QUARTER>/review.yaml``, next to the period's figures (the
loader reads only ``.csv``/``.xlsx`` files, so this file is never taken for figures). While any
triggered recommendation is undecided, the report is a draft ("DRAF" on every page, ``"status":
"draft"`` in ``indicators.json``); once every one is confirmed, edited or dropped, it is final.

This module applies a review to the triggered rules (`apply_review`) and states the status
(`format_review_status`). What a review holds is in `jkn_analysis.recommendations.decisions`,
reading and checking the file in `jkn_analysis.recommendations.review_reading`, the
commentary's HTML in `jkn_analysis.recommendations.commentary` and the skeleton the analyst
fills in in `jkn_analysis.recommendations.review_template`.

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

Problems are `DataIssue` objects (file ``QUARTER/review.yaml``, ``row`` = the line in the file),
described in Indonesian or English by `REVIEW_MESSAGES` (keys ``review.*``, registered into
`jkn_analysis.inputs.validation.MESSAGES` so that `DataIssue.describe` finds them). Errors: a
file that cannot be read or parsed, unknown keys, sections, decisions or languages, wrong types,
a drop without a reason, an incomplete edit or added recommendation, a key or id given twice, a
decision for an unknown rule id. Warning: a decision for a rule that did not fire this period
(the data may have changed); it is ignored. An entry with an error is not applied, and a review
with any error keeps the report a draft, so that a final report never silently misses part of
the analyst's file.

Commentary is rendered by `render_markdown`: raw HTML comes out as text, images as their alt
text (the report fetches nothing), links keep their text and get an ``href`` only for
``http``, ``https`` and ``mailto`` addresses, and headings become bold paragraphs (they would
otherwise enter the report's outline).
"""

from __future__ import annotations

from pathlib import Path

from jkn_analysis.catalogue.definitions import LANGUAGES
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.recommendations.commentary import render_markdown
from jkn_analysis.recommendations.decisions import (
    REVIEW_FILE,
    REVIEW_MESSAGES,
    Review,
    ReviewOutcome,
    in_language,
    place_in_file,
    review_path,
)
from jkn_analysis.recommendations.evidence import Recommendation, TriggeredRule
from jkn_analysis.recommendations.review_reading import Checker, load_review
from jkn_analysis.recommendations.review_template import write_review_template

# What the command line, the report and the build use, from the review's face.
__all__ = [
    "apply_review",
    "format_review_status",
    "load_review",
    "review_path",
    "review_period",
    "rule_ids",
    "write_review_template",
]


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
    check = Checker(review.file, review.period)
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
        check.unknown(
            "review.unknown_rule",
            decision.line,
            name=rule_id,
            known=sorted(known),
            list_known=False,  # every rule id of the pack: too many to list
            rule=rule_id,
        )
    for item in review.added:
        if item.id in fired:
            other = place_in_file("review.place.rule", rule=item.id)
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
