"""`FigureSet`: the checked figures of every period, looked up by code and period."""

from __future__ import annotations

import math

import pandas as pd

from jkn_analysis.catalogue import Catalogue
from jkn_analysis.numbers import written_decimals
from jkn_analysis.periods import Quarter
from jkn_analysis.validation import DataIssue

# Parts published rounded (0,01 T; 0,1 juta) may miss their total by this much, relative to
# the total, before the data checks call it a gap.
PARTS_RELATIVE_TOLERANCE = 1e-9


class FigureSet:
    """Figures of all loaded periods, with totals derived from complete parts.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per (period, code) with columns ``value``, ``status``, ``source``, ``note``,
        ``file`` and ``row`` (see `jkn_analysis.loading.FIGURE_COLUMNS`).
    catalogue : Catalogue
        The figure catalogue.
    """

    def __init__(self, table: pd.DataFrame, catalogue: Catalogue):
        self.catalogue = catalogue
        table = table.copy()
        # Figures built in code rather than read from a file: unscaled, at the precision
        # their shortest form writes them.
        scale = table["scale"] if "scale" in table.columns else pd.Series(index=table.index)
        table["scale"] = scale.fillna(1).astype(int)
        decimals = table["decimals"] if "decimals" in table.columns else scale * float("nan")
        table["decimals"] = [
            written_decimals(value) if pd.isna(given) else int(given)
            for value, given in zip(table["value"], decimals, strict=True)
        ]
        self.table = self._with_derived_totals(table).set_index(["period", "code"])
        self.table = self.table.sort_index()

    def _with_derived_totals(self, table: pd.DataFrame) -> pd.DataFrame:
        """Add a total that is missing when all of its parts are present (status ``derived``)."""
        derived_rows = []
        # Repeat so that a total of derived sub-totals is derived too.
        for _ in range(3):
            present = set(zip(table["period"], table["code"], strict=True)) | {
                (r["period"], r["code"]) for r in derived_rows
            }
            values = dict(
                zip(zip(table["period"], table["code"], strict=True), table["value"], strict=True)
            )
            values |= {(r["period"], r["code"]): r["value"] for r in derived_rows}
            new_rows = []
            for period in sorted(set(table["period"])):
                for figure in self.catalogue.figures.values():
                    if not figure.parts or (period, figure.code) in present:
                        continue
                    if all((period, part) in present for part in figure.parts):
                        new_rows.append(
                            {
                                "period": period,
                                "code": figure.code,
                                "value": sum(values[(period, p)] for p in figure.parts),
                                "status": "derived",
                                "source": "",
                                "note": "sum of " + " + ".join(figure.parts),
                                "file": "",
                                "row": None,
                                "scale": 1,
                                "decimals": None,
                            }
                        )
            if not new_rows:
                break
            derived_rows += new_rows
        if derived_rows:
            table = pd.concat([table, pd.DataFrame(derived_rows)], ignore_index=True)
        return table

    @property
    def periods(self) -> list[Quarter]:
        """Periods with at least one figure, oldest first."""
        return sorted({Quarter.parse(p) for p in self.table.index.get_level_values("period")})

    def has(self, code: str, period: Quarter | str) -> bool:
        """Whether the figure is available for the period."""
        return (str(period), code) in self.table.index

    def value(self, code: str, period: Quarter | str) -> float | None:
        """The figure's value in catalogue units, or ``None`` when it is not available."""
        key = (str(period), code)
        if key not in self.table.index:
            return None
        return float(self.table.at[key, "value"])

    def record(self, code: str, period: Quarter | str) -> dict | None:
        """The whole row (value, status, source, note, file, row) or ``None``."""
        key = (str(period), code)
        if key not in self.table.index:
            return None
        return {"period": str(period), "code": code, **self.table.loc[key].to_dict()}

    def period_table(self, period: Quarter | str) -> pd.DataFrame:
        """All figures of one period, indexed by code."""
        if str(period) not in self.table.index.get_level_values("period"):
            return self.table.iloc[0:0].droplevel("period")
        return self.table.xs(str(period), level="period")

    def soft_check_issues(self, period: Quarter | str) -> list[DataIssue]:
        """Warnings for one period: parts that miss their total, and the non-active gap."""
        period = str(period)
        issues = []
        for figure in self.catalogue.figures.values():
            if not figure.parts or not self.has(figure.code, period):
                continue
            record = self.record(figure.code, period)
            if record["status"] == "derived" and record["note"].startswith("sum of"):
                continue
            parts = [self.value(part, period) for part in figure.parts]
            if any(part is None for part in parts):
                continue
            total = self.value(figure.code, period)
            difference = sum(parts) - total
            if not math.isclose(sum(parts), total, rel_tol=PARTS_RELATIVE_TOLERANCE):
                issues.append(
                    DataIssue(
                        "warning",
                        "parts_sum",
                        code=figure.code,
                        period=period,
                        details={
                            "parts": " + ".join(figure.parts),
                            "found": sum(parts),
                            "expected": total,
                            "difference": difference,
                        },
                    )
                )
        registered = self.value("registered_participants", period)
        active = self.value("active_total", period)
        non_active = self.value("non_active_total", period)
        if None not in (registered, active, non_active):
            gap = registered - active - non_active
            if abs(gap) > 0.001 * registered:
                issues.append(
                    DataIssue(
                        "warning",
                        "registered_vs_non_active",
                        code="non_active_total",
                        period=period,
                        details={
                            "expected": registered - active,
                            "found": non_active,
                            "difference": gap,
                        },
                    )
                )
        return issues
