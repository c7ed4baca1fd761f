"""One table's rows checked and converted into figure records, in catalogue units (`parse_table`).

- A row whose value cell is empty is an unfilled row: skipped, the figure is simply missing.
- The unit cell may carry a scale word (ribu, juta, miliar, triliun) that multiplies the value;
  a value outside its figure's bounds names the scale word that would bring it inside.
- The ``as_of`` cell, when filled, names the month the source gives the figure at (`as_of`).
- A value is 0 or of a magnitude from `SMALLEST_VALUE` to `LARGEST_VALUE` (after the scale
  word); text with more digits than a float holds is refused, never rounded to 0 or infinity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from jkn_analysis.catalogue.definitions import Catalogue, Figure
from jkn_analysis.catalogue.numbers import NumberFormatError, parse_number, parse_scale
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.inputs.as_of import month_text, parse_as_of
from jkn_analysis.inputs.schema import schema_issues
from jkn_analysis.inputs.spreadsheets import RawTable, cell_text
from jkn_analysis.inputs.validation import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    STATUSES,
    Amount,
    DataIssue,
    Place,
    Range,
    UnitName,
)

FIGURE_COLUMNS = [
    "period",
    "code",
    "value",
    "status",
    "source",
    "note",
    "file",
    "row",
    "scale",
    "decimals",
    "sheet",
    "as_of",
]
TEXT_COLUMNS = ("period", "code", "unit", "status", "source", "note", "as_of")
# Magnitudes a figure may take, in catalogue units after the scale word: 0, or from
# SMALLEST_VALUE to LARGEST_VALUE. No JKN figure comes near either limit (the largest, DJS
# flows, are about 2e14 rupiah; Indonesia's GDP is about 2e16), while values beyond them (a
# stray "1e300" cell, 5e-324 left by a formula, "triliun" on a figure already in rupiah) would
# overflow or divide into infinity in sums, growth rates and the report's number formatting.
SMALLEST_VALUE = 1e-6
LARGEST_VALUE = 1e16
# Powers of ten of the scale words a unit cell may carry (ribu, juta, miliar, triliun): a value
# outside its figure's bounds that one of them would bring inside was probably typed without
# its scale word, or with the wrong one.
SCALE_EXPONENTS = (0, 3, 6, 9, 12)
# Units whose values take no scale word (see _unit_issue).
UNSCALED_UNITS = ("percent", "months")


@dataclass(frozen=True)
class ParsedRow:
    """A filled row of a known figure for the period read: its place, and its record (in
    catalogue units) or ``None`` when the row has an error."""

    code: str
    place: Place
    record: dict | None


def _unit_issue(figure: Figure, unit_cell: str, catalogue: Catalogue) -> tuple[int, str | None]:
    """Return the scale of a unit cell and the `MESSAGES` key of what is wrong with it."""
    scale, rest = parse_scale(unit_cell)
    unit = catalogue.units[figure.unit]
    accepted = {figure.unit, unit.label["id"], unit.label["en"], ""}
    if figure.unit == "percent":
        accepted |= {"%"}
    if figure.unit == "rupiah":
        accepted |= {"rp", "idr"}
    if rest not in {text.lower() for text in accepted}:
        return scale, "bad_unit"
    if scale != 1 and figure.unit in {"percent", "months"}:
        return scale, "bad_unit.scale_word"
    return scale, None


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and not value.strip().replace("\u00a0", "")


def parse_table(
    raw: RawTable, quarter: Quarter, catalogue: Catalogue
) -> tuple[list[ParsedRow], list[DataIssue]]:
    """Check one table and convert its filled rows into figure records (catalogue units).

    Rows whose value cell is empty are unfilled: skipped without a word. Returns the filled
    rows of known figures for ``quarter`` (record ``None`` when the row has an error;
    duplicates are found by the caller, across files and sheets) and every error found.
    """
    table = raw.table
    missing = [column for column in REQUIRED_COLUMNS if column not in table.columns]
    if missing:
        return [], [
            DataIssue(
                "error",
                "missing_column",
                raw.file,
                raw.header_row,
                details={"column": column},
                sheet=raw.sheet,
            )
            for column in missing
        ]
    filled = [not _is_empty(value) for value in table["value"]]
    table = table.loc[pd.Series(filled, index=table.index, dtype=bool)].copy()  # unfilled rows
    for column in OPTIONAL_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    if "xlsx_percent_format" not in table.columns:
        table["xlsx_percent_format"] = False
    for column in TEXT_COLUMNS:
        table[column] = [cell_text(cell) for cell in table[column]]
    table = table.astype({column: str for column in TEXT_COLUMNS})
    table["status"] = table["status"].str.lower()

    def issue(problem: str, row, code: str = "", message: str = "", **details) -> DataIssue:
        return DataIssue(
            "error",
            problem,
            raw.file,
            int(row.row),
            code,
            str(quarter),
            details,
            raw.sheet,
            message,
        )

    issues = [
        issue("missing_code", row, found=cell_text(row.value))
        for row in table[table["code"] == ""].itertuples(index=False)
    ]
    table = table[table["code"] != ""].reset_index(drop=True)  # the schema reports positions
    periods = set(table["period"])
    if len(table) >= 2 and len(periods) == 1 and not periods & {"", str(quarter)}:
        issues.append(
            DataIssue(
                "error",
                "file_period",
                raw.file,
                details={"found": periods.pop(), "expected": str(quarter)},
                sheet=raw.sheet,
            )
        )
        return [], issues
    issues += schema_issues(table, catalogue, file=raw.file, sheet=raw.sheet)
    rows: list[ParsedRow] = []
    for row in table.itertuples(index=False):
        if row.code not in catalogue.figures or row.status not in STATUSES:
            continue  # reported by the schema
        if row.period != str(quarter):
            if row.period:
                issues.append(
                    issue("wrong_period", row, row.code, found=row.period, expected=str(quarter))
                )
            else:
                issues.append(
                    issue(
                        "wrong_period", row, row.code, "wrong_period.empty", expected=str(quarter)
                    )
                )
            continue
        outcome = _row_record(row, catalogue.figures[row.code], catalogue)
        as_of = parse_as_of(row.as_of, quarter)
        if isinstance(outcome, dict) and isinstance(as_of, tuple):
            outcome = ("bad_as_of", *as_of)
        if isinstance(outcome, dict):
            record = {
                "period": str(quarter),
                "code": row.code,
                **outcome,
                "status": row.status or "observed",
                "source": row.source,
                "note": row.note,
                "file": raw.file + (f" [{raw.sheet}]" if raw.sheet else ""),
                "row": int(row.row),
                "sheet": raw.sheet,
                "as_of": month_text(as_of) if as_of else "",
            }
        else:
            problem, message, details = outcome
            issues.append(issue(problem, row, row.code, message, **details))
            record = None
        rows.append(ParsedRow(row.code, Place(raw.file, raw.sheet, int(row.row)), record))
    return rows, issues


def _row_record(row, figure: Figure, catalogue: Catalogue) -> dict | tuple[str, str, dict]:
    """The value, scale and decimals of one row, or (problem, message key, details)."""
    unit = catalogue.units[figure.unit]
    labels = f"{unit.label['id']} / {unit.label['en']}"
    scale, unit_problem = _unit_issue(figure, row.unit, catalogue)
    if unit_problem:
        return "bad_unit", unit_problem, {"found": row.unit, "expected": labels}
    try:
        whole_units = unit.integer and scale == 1
        parsed = parse_number(
            row.value,
            integer_unit=whole_units,
            scaled=not whole_units,
            percent_format=bool(row.xlsx_percent_format),
        )
    except NumberFormatError as error:
        return "bad_number", f"bad_number.{error.reason}", {"found": error.found, **error.params}
    # As written in a text cell; a numeric cell is shown in the message's number format.
    found = row.value.strip() if isinstance(row.value, str) else parsed.value
    if parsed.percent_sign and figure.unit != "percent":
        shown = found if isinstance(found, str) else f"{parsed.value:g}%"
        return "bad_unit", "bad_unit.percent_sign", {"found": shown, "expected": labels}
    value = float(Decimal(repr(parsed.value)) * scale)
    if not math.isfinite(value) or not (
        value == 0 or SMALLEST_VALUE <= abs(value) <= LARGEST_VALUE
    ):
        shown = found if isinstance(found, str) else f"{parsed.value:g}"
        details = {"found": shown, "smallest": SMALLEST_VALUE, "largest": LARGEST_VALUE}
        return "out_of_range", "", details
    problem = None
    if value < 0 and not figure.may_be_negative:
        problem = "negative"
    elif value <= 0 and "positive" in figure.checks:
        problem = "not_positive"
    elif (
        figure.unit == "percent"
        and "unbounded_percent" not in figure.checks
        and not (0 <= abs(value) <= 100)
    ):
        problem = "percent_range"
    elif figure.bounds is not None and value not in figure.bounds:
        # Before the whole-units check: "280,7 jiwa" is the population in juta, not a fraction.
        return _bounds_problem(value, scale, figure)
    elif unit.integer and value != round(value):
        problem = "not_integer"
    if problem:
        return problem, "", {"found": found}
    return {"value": value, "scale": scale, "decimals": parsed.decimals}


def _bounds_problem(value: float, scale: int, figure: Figure) -> tuple[str, str, dict]:
    """The error of a value outside its figure's bounds, with the slip it most likely is: a
    percentage written as a fraction, or a missing, superfluous or wrong scale word."""
    details = {"found": Amount(value, figure.unit), "bounds": Range(figure.bounds, figure.unit)}
    if figure.unit == "percent" and value * 100 in figure.bounds:
        return (
            "figure_bounds",
            "figure_bounds.fraction",
            {
                **details,
                "suggestion": Amount(float(Decimal(repr(value)) * 100), "percent"),
            },
        )
    if figure.unit in UNSCALED_UNITS:
        return "figure_bounds", "", details
    written = Decimal(repr(value)) / scale
    current = round(math.log10(scale))
    # The scale word nearest the one written first: "ribu" for "juta" before "triliun".
    for exponent in sorted(SCALE_EXPONENTS, key=lambda exponent: abs(exponent - current)):
        candidate = float(written * 10**exponent)
        if exponent != current and candidate in figure.bounds:
            return (
                "figure_bounds",
                "figure_bounds.scale",
                {
                    **details,
                    "suggestion": Amount(candidate, figure.unit, exponent=exponent),
                    "unit": UnitName(figure.unit, exponent),
                },
            )
    return "figure_bounds", "", details
