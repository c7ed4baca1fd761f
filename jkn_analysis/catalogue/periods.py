"""Reporting periods: calendar quarters written ``2024Q1``."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, total_ordering

from babel.dates import format_date

from jkn_analysis.catalogue.wording import messages

_QUARTER_PATTERN = re.compile(r"^(?P<year>(19|20)\d\d)Q(?P<quarter>[1-4])$")


class PeriodError(ValueError):
    """A period string is not of the form ``YYYYQn``."""


@total_ordering
@dataclass(frozen=True)
class Quarter:
    """A calendar quarter, the unit of reporting.

    Figures of a quarter are stocks at its last day or flows from 1 January to its last day.
    """

    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Parse ``"2024Q1"``; anything else (``"2024Q5"``, ``"24Q1"``) raises `PeriodError`."""
        match = _QUARTER_PATTERN.match(str(text).strip())
        if not match:
            raise PeriodError(
                f"period {text!r} is not a quarter of the form YYYYQn, such as 2024Q1"
            )
        return cls(int(match["year"]), int(match["quarter"]))

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"

    def __lt__(self, other: Quarter) -> bool:
        return (self.year, self.quarter) < (other.year, other.quarter)

    @property
    def months_elapsed(self) -> int:
        """Months from 1 January to the end of the quarter (3, 6, 9 or 12)."""
        return 3 * self.quarter

    @property
    def end_date(self) -> dt.date:
        """The last day of the quarter, the date stocks refer to."""
        month = self.months_elapsed
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def previous_december(self) -> Quarter:
        """The fourth quarter of the previous year (for Q4 itself, the year before)."""
        return Quarter(self.year - 1, 4)

    @property
    def previous_quarter(self) -> Quarter:
        """The quarter before this one (for Q1, the previous year's Q4)."""
        if self.quarter == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.quarter - 1)

    @property
    def year_earlier(self) -> Quarter:
        """The same quarter one year earlier."""
        return Quarter(self.year - 1, self.quarter)

    def label(self, language: str) -> str:
        """Short label: ``TW I 2024`` in Indonesian, ``Q1 2024`` in English."""
        return self._named("label", language)

    def title(self, language: str) -> str:
        """Title form: ``Triwulan I Tahun 2024`` or ``Quarter 1, 2024``."""
        return self._named("title", language)

    def _named(self, form: str, language: str) -> str:
        """The quarter in one of the forms of ``catalogue/messages/periods.yaml``."""
        words = _words()
        number = words["numbers"][str(self.quarter)][language]
        return words[form][language].format(number=number, year=self.year)

    def month_label(self, language: str) -> str:
        """The month the quarter ends in, as column headers show it: ``Mar-24``, ``Des-23``."""
        return format_date(self.end_date, "MMM-yy", locale=language)

    def end_date_text(self, language: str) -> str:
        """The end date in words: ``31 Maret 2024`` or ``31 March 2024``."""
        return format_date(self.end_date, "d MMMM y", locale=language)


@cache
def _words() -> dict:
    return messages("periods")
