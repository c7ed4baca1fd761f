"""The optional ``as_of`` cell of a figure row: the month the source gives the figure at.

A source sometimes states a figure of its quarterly report at another date than the quarter's
end (the Q1 2024 report gives BOPO and the ICK realisation "per Juni 2024"). The cell holds a
month, ``YYYY-MM``; empty means the end of the reporting quarter. `parse_as_of` reads the cell
and returns the month or the `MESSAGES` key and details of what is wrong with it.
"""

from __future__ import annotations

import datetime as dt
import re

from jkn_analysis.catalogue.periods import Quarter

# A month as the cell holds it; an XLSX cell Excel turned into a date reads as its first day.
_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})(?:-01(?:[ T]00:00:00)?)?$")
# How far from the quarter's last month a figure's date may lie: a quarterly report states a
# figure at the latest a few months after its quarter (the model report's June for Q1), and a
# figure a year older or newer than its quarter is a typing slip in the year.
MONTHS_BEFORE = 11
MONTHS_AFTER = 12


def month_text(month: dt.date) -> str:
    """A month as the ``as_of`` cell writes it: ``2024-06``."""
    return f"{month.year:04d}-{month.month:02d}"


def _shifted(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def allowed_months(quarter: Quarter) -> tuple[dt.date, dt.date]:
    """The first and last month an ``as_of`` cell of ``quarter`` may name."""
    end = quarter.end_date.replace(day=1)
    return _shifted(end, -MONTHS_BEFORE), _shifted(end, MONTHS_AFTER)


def parse_as_of(cell: str, quarter: Quarter) -> dt.date | tuple[str, dict] | None:
    """The month of an ``as_of`` cell (its first day), ``None`` when empty, or the message key
    and details of the error: ``bad_as_of`` (not a month) or ``bad_as_of.range``."""
    text = cell.strip()
    if not text:
        return None
    first, last = allowed_months(quarter)
    matched = _MONTH.match(text)
    if not matched or not 1 <= int(matched["month"]) <= 12:
        return "bad_as_of", {"found": text, "example": month_text(quarter.end_date)}
    month = dt.date(int(matched["year"]), int(matched["month"]), 1)
    if not first <= month <= last:
        details = {"found": text, "first": month_text(first), "last": month_text(last)}
        return "bad_as_of.range", details
    return month
