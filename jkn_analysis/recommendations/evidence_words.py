"""The evidence of a condition leaf worded as a sentence (``catalogue/messages/rules.yaml``).

Each kind of leaf (a figure against a threshold or another figure, a share of a total, a change
or growth, a trend, the projection's years to the floor) has its sentence template in both
languages. Changes are worded as rises or falls ("turun 28.148 jiwa"), never with a sign, and
thresholds by how the figure stands to them ("di bawah target 98% untuk 2024 (Perpres
36/2023)"), never with a comparison operator.
"""

from __future__ import annotations

from decimal import Decimal

from jkn_analysis.catalogue.formatting import format_compact, format_value
from jkn_analysis.catalogue.wording import messages

WORDS = messages("rules")
# Counts from a million up are written with their scale word, as the report's prose writes
# them ("31,35 juta"); smaller counts in full ("28.148").
_COMPACT_FROM = 1_000_000
_COUNT_UNITS = ("persons", "facilities", "visits", "cases")
# The period a change indicator is measured against, by the end of its code.
_VERSUS_OF_CODE = {
    "_vs_december": "previous_december",
    "_vs_previous_quarter": "previous_quarter",
    "_vs_year_earlier": "year_earlier",
    "_yoy": "year_earlier",
}


def word(key: str, language: str, **fields: object) -> str:
    """The piece ``key`` (``sentences.threshold``, ``moved.rising``) filled in."""
    piece = WORDS
    for part in key.split("."):
        piece = piece[part]
    return " ".join(piece[language].format(**fields).split())


def joiner(language: str) -> str:
    """``, lalu `` / ``, then ``: between the steps of a trend (spaces kept)."""
    return WORDS["sentences"]["then"][language]


def relation(kind: str, op: str, language: str) -> str:
    """``di bawah`` / ``below``: how a figure stands to a ``kind`` of right side."""
    return WORDS["relations"][kind][op][language]


def upper_first(text: str) -> str:
    """The sentence with its first letter capitalised (``claims expense`` → ``Claims ...``)."""
    return text[:1].upper() + text[1:]


def lower_first(label: str) -> str:
    """``Pertumbuhan rujukan`` → ``pertumbuhan rujukan``; acronyms (``YoI``, ``BOPO``) stay."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return label[0].lower() + label[1:]
    return label


def number(value: Decimal, unit: str, decimals: int, language: str) -> str:
    """A value as the report's prose prints it: ``76,41%``, ``31,35 juta``, ``28.148 jiwa``."""
    if unit in _COUNT_UNITS and abs(value) >= _COMPACT_FROM:
        text = format_compact(float(value), 2, language=language)
    else:
        text = format_value(float(value), unit, decimals, language=language)
    return text


def is_move(code: str) -> bool:
    """Whether the indicator is a change or growth rate, worded as a rise or fall."""
    return code in WORDS["moves"]


def versus_of(code: str) -> str:
    """The period a change indicator compares with, read from its code."""
    for ending, versus in _VERSUS_OF_CODE.items():
        if code.endswith(ending):
            return versus
    raise KeyError(f"{code!r}: no period to compare with in its code")


def move_subject(code: str, breakdown: str, language: str) -> str:
    """``Peserta aktif PBI`` / ``Active PBI participants``: what rose or fell."""
    return word(f"moves.{code}", language, breakdown=breakdown)


def moved(value: Decimal, unit: str, decimals: int, language: str) -> str:
    """``naik 20,10%`` / ``fell by 28,148``: the change without its sign."""
    if value == 0:
        return word("moved.unchanged", language)
    direction = "rising" if value > 0 else "falling"
    amount = number(abs(value), unit, decimals, language)
    if unit in WORDS["amounts"]:  # "28.148 jiwa": what was counted
        amount = WORDS["amounts"][unit][language].format(number=amount)
    return word(f"moved.{direction}", language, amount=amount)


def threshold_name(label: dict[str, str] | None, value_text: str, year: int, language: str) -> str:
    """The threshold as evidence names it: its label with its value and the period's year."""
    if label is None:
        return value_text
    return " ".join(label[language].format(value=value_text, year=year).split())
