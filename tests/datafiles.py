"""Small data for tests: a period folder with a CSV file or an XLSX workbook, or a made-up
`FigureSet` in memory (tests only, never data/)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd

from jkn_analysis.catalogue.definitions import load_catalogue
from jkn_analysis.inputs.figures import FigureSet
from jkn_analysis.inputs.loading import FIGURE_COLUMNS

HEADER = ["period", "code", "value", "unit", "status", "source", "note"]


def write_csv(
    data_dir: Path,
    period: str,
    rows: list[list],
    name: str = "figures.csv",
    header: list[str] = HEADER,
) -> Path:
    folder = data_dir / period
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(
    data_dir: Path,
    period: str,
    sheets: dict[str, list[list]],
    name: str = "figures.xlsx",
    header: tuple[str, ...] = ("period", "code", "value", "unit"),
    metadata: dict[str, str] | None = None,
) -> Path:
    """A workbook with one sheet per entry (``header`` first) and, given ``metadata``, a hidden
    ``_jkn`` sheet of key/value rows as the data-entry template writes it."""
    folder = data_dir / period
    folder.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        if header:
            sheet.append(list(header))
        for cells in rows:
            sheet.append(cells)
    if metadata is not None:
        sheet = workbook.create_sheet("_jkn")
        sheet.append(["key", "value"])
        for key, value in metadata.items():
            sheet.append([key, value])
        sheet.sheet_state = "hidden"
    path = folder / name
    workbook.save(path)
    return path


def made_up_figures(periods: dict[str, dict[str, float]]) -> FigureSet:
    """A `FigureSet` of ``{period: {code: value}}``, each value observed, in catalogue units."""
    rows = [
        {
            "period": period,
            "code": code,
            "value": float(value),
            "status": "observed",
            "source": "",
            "note": "",
            "file": "",
            "row": 2,
        }
        for period, values in periods.items()
        for code, value in values.items()
    ]
    return FigureSet(pd.DataFrame(rows, columns=FIGURE_COLUMNS), load_catalogue())
