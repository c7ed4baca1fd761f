"""The analysis as tables for an analyst in JupyterLab: the data checks and the rules.

What the published cells of the notebook word, shown here as pandas DataFrames of codes and
numbers, so that an analyst can sort, filter and look behind the report's sentences.
"""

from __future__ import annotations

import pandas as pd

from jkn_analysis.analysis.period import PeriodAnalysis
from jkn_analysis.catalogue.definitions import LANGUAGES

ISSUE_COLUMNS = ("severity", "problem", "code", "period", "file", "sheet", "row")


def data_checks(analysis: PeriodAnalysis) -> pd.DataFrame:
    """Every warning of the data checks and of the review file about the period: its codes
    (severity, problem, figure code, period, place) and its message in each language."""
    rows = []
    for issue in [*analysis.data_warnings, *analysis.review.issues]:
        record = issue.as_record(analysis.catalogue)
        messages = record.pop("message")
        rows.append(
            {
                **{column: record.get(column) for column in ISSUE_COLUMNS},
                **{f"message_{language}": messages[language] for language in LANGUAGES},
            }
        )
    columns = [*ISSUE_COLUMNS, *(f"message_{language}" for language in LANGUAGES)]
    return pd.DataFrame(rows, columns=columns)


def triggered_rules(analysis: PeriodAnalysis) -> pd.DataFrame:
    """The rules the period triggers, in report order: the rule, its section, the indicator
    it is shown beside, the evidence (indicators, and the phrase in each language) and the
    analyst's decision in ``review.yaml`` (``undecided`` when there is none)."""
    rows = []
    for rule in analysis.triggered:
        anchor = dict(rule.anchor)
        decision = analysis.review.decisions.get(rule.rule_id)
        evidence = rule.evidence.get(LANGUAGES[0], ())
        rows.append(
            {
                "rule_id": rule.rule_id,
                "section": rule.section,
                "indicator": anchor.pop("code", None),
                "breakdown": anchor or None,
                "evidence_indicators": ", ".join(item.indicator for item in evidence),
                **{
                    f"evidence_{language}": "; ".join(
                        item.text for item in rule.evidence.get(language, ())
                    )
                    for language in LANGUAGES
                },
                "decision": decision.decision if decision else "undecided",
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "rule_id",
            "section",
            "indicator",
            "breakdown",
            "evidence_indicators",
            *(f"evidence_{language}" for language in LANGUAGES),
            "decision",
        ],
    )
