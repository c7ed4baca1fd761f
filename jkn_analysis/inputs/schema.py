"""The structure of a period file as read, checked with pandera: known figure codes and statuses.

Apart from `jkn_analysis.inputs.validation` so that the messages and the `DataIssue` records can
be used (by ``jkn-report build`` deciding that nothing changed, for one) without importing pandas
and pandera, which take about 0,6 s.
"""

from __future__ import annotations

import difflib

import pandas as pd
import pandera.pandas as pa

from jkn_analysis.catalogue.definitions import Catalogue
from jkn_analysis.inputs.validation import STATUSES, DataIssue

# The columns the schema checks (the others a file may have are checked row by row).
RAW_COLUMNS = ("period", "code", "value", "unit", "status")


def raw_table_schema(catalogue: Catalogue) -> pa.DataFrameSchema:
    """Structure of a period file as read, before values are parsed (pandera schema).

    Every column is text; numbers are parsed afterwards by `jkn_analysis.catalogue.numbers`.
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
                close = difflib.get_close_matches(found, list(catalogue.figures), n=1)
                issues.append(
                    DataIssue(
                        "error",
                        "unknown_code",
                        file,
                        row,
                        found,
                        details={"code": found, **({"suggestion": close[0]} if close else {})},
                        sheet=sheet,
                        message="unknown_code.close" if close else "",
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
