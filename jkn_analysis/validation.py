"""Data checks: every problem in a period's files, named by file, row and figure.

Hard errors stop the build (`DataValidationError`); soft checks become warnings printed in the
report's data-check appendix. Messages are in Indonesian or English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
import pandera.pandas as pa
from babel.numbers import format_decimal

from jkn_analysis.catalogue import Catalogue

Severity = Literal["error", "warning"]

REQUIRED_COLUMNS = ("period", "code", "value", "unit")
OPTIONAL_COLUMNS = ("status", "source", "note", "label")
STATUSES = ("", "reported", "derived")

# Problem texts. {placeholders} are filled from DataIssue.details.
MESSAGES: dict[str, dict[str, str]] = {
    "missing_column": {
        "id": "kolom '{column}' tidak ada",
        "en": "column '{column}' is missing",
    },
    "unknown_code": {
        "id": "kode figur '{code}' tidak dikenal di katalog",
        "en": "figure code '{code}' is not in the catalogue",
    },
    "duplicate": {
        "id": "figur '{code}' diisi lebih dari sekali (juga di {other})",
        "en": "figure '{code}' is given more than once (also at {other})",
    },
    "wrong_period": {
        "id": "baris untuk periode {found}, padahal berkas ini untuk {expected}",
        "en": "row is for period {found}, but this file is for {expected}",
    },
    "bad_status": {
        "id": "status '{found}' tidak dikenal; yang boleh: kosong, reported, derived",
        "en": "status '{found}' is unknown; allowed: empty, reported, derived",
    },
    "bad_number": {
        "id": "nilai tidak dapat dibaca sebagai angka: {reason}",
        "en": "value cannot be read as a number: {reason}",
    },
    "bad_unit": {
        "id": "satuan '{found}' tidak sesuai; diharapkan {expected}",
        "en": "unit '{found}' does not fit; expected {expected}",
    },
    "negative": {
        "id": "nilai negatif {found} untuk figur yang tidak boleh negatif",
        "en": "negative value {found} for a figure that cannot be negative",
    },
    "not_positive": {
        "id": "nilai harus lebih dari nol, ditemukan {found}",
        "en": "value must be above zero, found {found}",
    },
    "percent_range": {
        "id": "persentase harus antara 0 dan 100, ditemukan {found}",
        "en": "percentage must lie between 0 and 100, found {found}",
    },
    "not_integer": {
        "id": "figur ini menghitung satuan utuh, ditemukan {found}",
        "en": "this figure counts whole units, found {found}",
    },
    "unreadable": {
        "id": "berkas tidak dapat dibaca: {reason}",
        "en": "the file cannot be read: {reason}",
    },
    "parts_sum": {
        "id": "rincian {parts} berjumlah {found}, berbeda {difference} dari total {expected}",
        "en": "parts {parts} add up to {found}, {difference} away from the total {expected}",
    },
    "registered_vs_non_active": {
        "id": (
            "peserta terdaftar dikurangi peserta aktif = {expected}, sedangkan peserta non aktif "
            "menurut alasan = {found} (selisih {difference})"
        ),
        "en": (
            "registered minus active participants = {expected}, while non-active participants "
            "by reason = {found} (a gap of {difference})"
        ),
    },
    "undefined_indicator": {
        "id": "indikator {indicator} tidak dapat dihitung: {reason}",
        "en": "indicator {indicator} cannot be computed: {reason}",
    },
    "reported_vs_computed": {
        "id": "nilai dipublikasikan {found} berbeda dengan hasil hitung {expected}",
        "en": "published value {found} differs from the computed {expected}",
    },
}


@dataclass(frozen=True)
class DataIssue:
    """One problem found in the data, with enough context to find and fix it.

    Attributes
    ----------
    severity : {"error", "warning"}
        Errors stop the build; warnings are listed in the report.
    problem : str
        Key of `MESSAGES`.
    file : str
        The file (relative to the data folder when possible); empty for cross-file checks.
    row : int or None
        Spreadsheet row number (the header is row 1), when the problem has one row.
    code : str
        The figure code concerned, if any.
    period : str
        The period concerned.
    details : dict
        Values for the message placeholders (``expected``, ``found`` and others); numbers
        are formatted for the message language.
    sheet : str
        Worksheet name for XLSX files.
    """

    severity: Severity
    problem: str
    file: str = ""
    row: int | None = None
    code: str = ""
    period: str = ""
    details: dict[str, str | float] = field(default_factory=dict)
    sheet: str = ""

    def describe(self, language: str = "en", catalogue: Catalogue | None = None) -> str:
        """One line naming where the problem is and what was expected and found."""
        where = []
        if self.file:
            where.append(self.file)
        if self.sheet:
            where.append(f"sheet {self.sheet}" if language == "en" else f"lembar {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}" if language == "en" else f"baris {self.row}")
        figure = self.code
        if catalogue is not None and self.code in catalogue.figures:
            figure = f"{self.code} ({catalogue.figures[self.code].label[language]})"
        if figure:
            where.append(figure)
        if self.period and not self.file:
            where.append(self.period)
        details = {
            key: _exact(value, language) if isinstance(value, int | float) else value
            for key, value in self.details.items()
        }
        text = MESSAGES[self.problem][language].format(**details)
        return f"{', '.join(where)}: {text}" if where else text


def _exact(value: float, language: str) -> str:
    """A number in a message, in the message language, with every digit it has (no rounding)."""
    digits = repr(float(value)).split(".")[1] if "." in repr(float(value)) else ""
    decimals = 0 if digits in ("", "0") or "e" in digits else min(len(digits), 6)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=language, decimal_quantization=False)


class DataValidationError(ValueError):
    """The data cannot be built into a report; ``issues`` lists every hard error."""

    def __init__(self, issues: list[DataIssue], catalogue: Catalogue | None = None):
        self.issues = issues
        lines = [issue.describe("en", catalogue) for issue in issues]
        super().__init__(
            f"{len(issues)} problem(s) in the data:\n" + "\n".join(f"  - {line}" for line in lines)
        )


def raw_table_schema(catalogue: Catalogue) -> pa.DataFrameSchema:
    """Structure of a period file as read, before values are parsed (pandera schema).

    Every column is text; numbers are parsed afterwards by `jkn_analysis.numbers`.
    """
    return pa.DataFrameSchema(
        {
            "period": pa.Column(str),
            "code": pa.Column(str, pa.Check.isin(list(catalogue.figures)), nullable=False),
            "value": pa.Column(nullable=True),  # text (CSV) or numbers (XLSX): parsed later
            "unit": pa.Column(str, nullable=True),
            "status": pa.Column(str, pa.Check.isin(list(STATUSES))),
        },
        strict=False,
        coerce=False,
    )


def schema_issues(
    table: pd.DataFrame, catalogue: Catalogue, *, file: str, sheet: str = ""
) -> list[DataIssue]:
    """Run the pandera schema lazily and turn every failure into a `DataIssue`.

    ``table`` carries a ``row`` column with spreadsheet row numbers.
    """
    issues: list[DataIssue] = []
    try:
        raw_table_schema(catalogue).validate(table, lazy=True)
    except pa.errors.SchemaErrors as errors:
        for failure in errors.failure_cases.itertuples(index=False):
            index = failure.index
            row = int(table["row"].iloc[int(index)]) if pd.notna(index) else None
            column = failure.column
            found = str(failure.failure_case)
            if column == "code":
                issues.append(
                    DataIssue(
                        "error",
                        "unknown_code",
                        file,
                        row,
                        found,
                        details={"code": found},
                        sheet=sheet,
                    )
                )
            elif column == "status":
                code = str(table["code"].iloc[int(index)]) if row is not None else ""
                issues.append(
                    DataIssue(
                        "error",
                        "bad_status",
                        file,
                        row,
                        code,
                        details={"found": found},
                        sheet=sheet,
                    )
                )
            else:  # pragma: no cover - columns are checked for presence before the schema
                issues.append(
                    DataIssue(
                        "error",
                        "unreadable",
                        file,
                        row,
                        details={"reason": str(failure.check)},
                        sheet=sheet,
                    )
                )
    return issues
