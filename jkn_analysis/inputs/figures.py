"""`FigureSet`: the checked figures of every period, looked up by code and period."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pandas as pd

from jkn_analysis.catalogue.definitions import Catalogue
from jkn_analysis.catalogue.numbers import round_half_up, written_decimals
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.inputs.validation import Amount, DataIssue, Place

# Parts published rounded (0,01 T; 0,1 juta) may miss their total by this much, relative to
# the total, before the data checks call it a gap.
PARTS_RELATIVE_TOLERANCE = 1e-9
# Units of the stocks whose quarter-on-quarter change is checked.
STOCK_CHANGE_UNITS = ("persons", "facilities", "rupiah")
# Prefix of the ICK realisations checked for values copied from elsewhere.
ICK_REALISED_PREFIX = "ick_realised_"
# An ICK realisation counts active participants: it may equal an active-participant figure of
# its own period, but not a value of another period or another kind of figure.
SAME_PERIOD_EQUAL_OK = ("active_",)
# A figure this many times larger (or smaller) than in the latest earlier period holding it is
# a likely unit slip (juta for ribu, a percentage as a fraction) in one of the two: no JKN
# figure that cannot be negative moves by a factor of 100 between the periods of this pack.
PERIOD_FACTOR_WARNING = 100


def as_quarter(period: Quarter | str) -> Quarter:
    """A period as a `Quarter`, whether given as one or written (``"2024Q1"``)."""
    return period if isinstance(period, Quarter) else Quarter.parse(period)


def _common(months) -> str:
    """The one month all of ``months`` name, else empty."""
    distinct = set(months)
    return distinct.pop() if len(distinct) == 1 else ""


def _with_derived_totals(table: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
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
        months = dict(
            zip(zip(table["period"], table["code"], strict=True), table["as_of"], strict=True)
        )
        months |= {(r["period"], r["code"]): r["as_of"] for r in derived_rows}
        new_rows = []
        for period in sorted(set(table["period"])):
            for figure in catalogue.figures.values():
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
                            "sheet": "",
                            # A total is at its parts' date when they share one.
                            "as_of": _common(months[(period, p)] for p in figure.parts),
                        }
                    )
        if not new_rows:
            break
        derived_rows += new_rows
    if derived_rows:
        table = pd.concat([table, pd.DataFrame(derived_rows)], ignore_index=True)
    return table


class FigureSet:
    """Figures of all loaded periods, with totals derived from complete parts.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per (period, code) with columns ``value``, ``status``, ``source``, ``note``,
        ``file`` and ``row`` (see `jkn_analysis.inputs.loading.FIGURE_COLUMNS`).
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
        sheets = table["sheet"] if "sheet" in table.columns else [""] * len(table)
        table["sheet"] = [sheet if isinstance(sheet, str) else "" for sheet in sheets]
        # The month the source gives a figure at, empty for the end of the quarter.
        as_of = table["as_of"] if "as_of" in table.columns else [""] * len(table)
        table["as_of"] = [month if isinstance(month, str) else "" for month in as_of]
        self.table = _with_derived_totals(table, catalogue).set_index(["period", "code"])
        self.table = self.table.sort_index()
        # Indicators look figures up thousands of times: a plain dict keyed by (Quarter, code),
        # not pandas indexing. The table keeps the periods as written (``2024Q1``).
        periods = set(self.table.index.get_level_values("period"))
        quarters = {period: Quarter.parse(period) for period in periods}
        self._values = {
            (quarters[period], code): float(value)
            for (period, code), value in self.table["value"].items()
        }
        self._periods = sorted({quarter for quarter, _ in self._values})
        # The same for the soft checks, which ask of every figure whether it was derived here.
        self._derived_sums = {
            (quarters[key[0]], key[1])
            for key, status, note, file in zip(
                self.table.index,
                self.table["status"],
                self.table["note"],
                self.table["file"],
                strict=True,
            )
            if status == "derived"
            and str(note).startswith("sum of")
            and not (isinstance(file, str) and file)
        }

    def as_of(self, code: str, period: Quarter | str) -> dt.date | None:
        """The month (its first day) the source gives the figure at, or ``None`` when that is
        the end of the period (no ``as_of`` given, or the quarter's last month)."""
        key = (str(period), code)
        if key not in self.table.index:
            return None
        month = self.table.at[key, "as_of"]
        if not month:
            return None
        date = dt.date.fromisoformat(month + "-01")
        return None if date == as_quarter(period).end_date.replace(day=1) else date

    @property
    def periods(self) -> list[Quarter]:
        """Periods with at least one figure, oldest first."""
        return list(self._periods)

    def has(self, code: str, period: Quarter | str) -> bool:
        """Whether the figure is available for the period."""
        return (as_quarter(period), code) in self._values

    def value(self, code: str, period: Quarter | str) -> float | None:
        """The figure's value in catalogue units, or ``None`` when it is not available."""
        return self._values.get((as_quarter(period), code))

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

    def is_derived_sum(self, code: str, period: Quarter | str) -> bool:
        """Whether the figure was derived here as the sum of its parts (not read from a file)."""
        return (as_quarter(period), code) in self._derived_sums

    def place(self, code: str, period: Quarter | str, *, named: bool = True) -> Place:
        """Where a figure's value comes from (file, sheet, row), for messages; ``named`` adds
        the code and period."""
        record = self.record(code, period) or {}
        sheet, file, row = record.get("sheet"), record.get("file"), record.get("row")
        sheet = sheet if isinstance(sheet, str) else ""
        file = file.removesuffix(f" [{sheet}]") if isinstance(file, str) else ""
        return Place(
            file,
            sheet,
            None if row is None or pd.isna(row) else int(row),
            code if named else "",
            str(period),
        )

    def _located(
        self, problem: str, code: str, period: Quarter, details: dict, message: str = ""
    ) -> DataIssue:
        """A warning placed at the figure's file and row (or at its period when derived)."""
        place = self.place(code, period)
        return DataIssue(
            "warning",
            problem,
            place.file,
            place.row,
            code,
            str(period),
            details,
            place.sheet,
            message,
        )

    def soft_check_issues(
        self, period: Quarter | str, *, max_stock_change_percent: float | None = None
    ) -> list[DataIssue]:
        """Warnings for one period (soft checks: the report is built, and lists them).

        - parts that miss their total;
        - registered minus active participants far from non-active participants by reason;
        - a year-to-date flow smaller than in an earlier quarter of the same year;
        - a stock (persons, facilities, rupiah) moving more than ``max_stock_change_percent``
          (default: the catalogue setting ``stock_change_warning_percent``) from the quarter
          immediately before, when that quarter is loaded;
        - an ICK realisation exactly equal to the value of a figure of another period (up to
          this one), or of another figure of its period other than active participants (a
          likely copy from elsewhere in the source report);
        - a figure that cannot be negative, `PERIOD_FACTOR_WARNING` times larger or smaller
          than in the latest earlier period holding it (a unit slip in one of the two);
        - a percentage under 1 that, multiplied by 100, would still lie within its bounds
          (``0,98`` typed for 98%; a true 0,5% share of a figure bounded at 10% is not named).
        """
        period = as_quarter(period)
        return (
            self._parts_issues(period)
            + self._registered_gap_issues(period)
            + self._flow_decrease_issues(period)
            + self._stock_change_issues(period, max_stock_change_percent)
            + self._ick_copy_issues(period)
            + self._period_factor_issues(period)
            + self._percent_fraction_issues(period)
        )

    def _period_factor_issues(self, period: Quarter) -> list[DataIssue]:
        earlier_periods = [other for other in reversed(self._periods) if other < period]
        issues = []
        for figure in self.catalogue.figures.values():
            value = self.value(figure.code, period)
            if (
                figure.may_be_negative
                or not value  # None or 0: nothing to compare
                or self.is_derived_sum(figure.code, period)
            ):
                continue
            earlier = next((q for q in earlier_periods if self.value(figure.code, q)), None)
            if earlier is None or self.is_derived_sum(figure.code, earlier):
                continue
            previous = self.value(figure.code, earlier)
            ratio = value / previous
            if 1 / PERIOD_FACTOR_WARNING < ratio < PERIOD_FACTOR_WARNING:
                continue
            larger = ratio >= 1
            factor = ratio if larger else 1 / ratio
            issues.append(
                self._located(
                    "period_factor",
                    figure.code,
                    period,
                    {
                        "found": value,
                        "expected": previous,
                        # Two significant digits: "about 1.000 times", not "998,7 times".
                        "factor": float(round_half_up(factor, 2 - len(str(int(factor))))),
                        "other": self.place(figure.code, earlier, named=False),
                    },
                    "" if larger else "period_factor.smaller",
                )
            )
        return issues

    def _percent_fraction_issues(self, period: Quarter) -> list[DataIssue]:
        issues = []
        for figure in self.catalogue.figures.values():
            value = self.value(figure.code, period)
            if figure.unit != "percent" or value is None or not 0 < abs(value) < 1:
                continue
            percent = float(Decimal(repr(value)) * 100)
            if figure.bounds is not None and percent not in figure.bounds:
                continue  # below 1 is usual for this figure (a 0,5% share bounded at 10%)
            issues.append(
                self._located(
                    "percent_fraction",
                    figure.code,
                    period,
                    {
                        "found": Amount(value, "percent"),
                        "suggestion": Amount(percent, "percent"),
                    },
                )
            )
        return issues

    def _parts_issues(self, period: Quarter) -> list[DataIssue]:
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
                        period=str(period),
                        details={
                            "parts": " + ".join(figure.parts),
                            "found": sum(parts),
                            "expected": total,
                            "difference": difference,
                        },
                    )
                )
        return issues

    def _registered_gap_issues(self, period: Quarter) -> list[DataIssue]:
        issues = []
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
                        period=str(period),
                        details={
                            "expected": registered - active,
                            "found": non_active,
                            "difference": gap,
                        },
                    )
                )
        return issues

    def _flow_decrease_issues(self, period: Quarter) -> list[DataIssue]:
        quarter = period
        issues = []
        for figure in self.catalogue.figures.values():
            if figure.kind != "flow" or figure.may_be_negative:
                continue
            value = self.value(figure.code, period)
            if value is None or self.is_derived_sum(figure.code, period):
                continue
            earlier = [
                Quarter(quarter.year, q)
                for q in range(quarter.quarter - 1, 0, -1)
                if self.has(figure.code, Quarter(quarter.year, q))
            ]
            if not earlier:
                continue
            previous = self.value(figure.code, earlier[0])
            if value < previous and not math.isclose(value, previous, rel_tol=1e-12):
                issues.append(
                    self._located(
                        "flow_decrease",
                        figure.code,
                        period,
                        {
                            "found": value,
                            "expected": previous,
                            "other": self.place(figure.code, earlier[0], named=False),
                        },
                    )
                )
        return issues

    def _stock_change_issues(self, period: Quarter, threshold: float | None) -> list[DataIssue]:
        if threshold is None:
            threshold = self.catalogue.setting("stock_change_warning_percent")
        previous_quarter = period.previous_quarter
        issues = []
        for figure in self.catalogue.figures.values():
            if (
                figure.kind != "stock"
                or figure.unit not in STOCK_CHANGE_UNITS
                or figure.reported_indicator
            ):
                continue
            value = self.value(figure.code, period)
            previous = self.value(figure.code, previous_quarter)
            if value is None or previous in (None, 0) or self.is_derived_sum(figure.code, period):
                continue
            change = (value - previous) / abs(previous) * 100
            if abs(change) > threshold:
                issues.append(
                    self._located(
                        "stock_change",
                        figure.code,
                        period,
                        {
                            "found": value,
                            "expected": previous,
                            "change": float(round_half_up(change, 1)),
                            "threshold": float(threshold),
                            "other": self.place(figure.code, previous_quarter, named=False),
                        },
                    )
                )
        return issues

    def _ick_copy_issues(self, period: Quarter) -> list[DataIssue]:
        candidates = [
            (key, value)
            for key, value in self._values.items()
            if key[0] <= period and key not in self._derived_sums
        ]
        issues = []
        for figure in self.catalogue.figures.values():
            if not figure.code.startswith(ICK_REALISED_PREFIX):
                continue
            value = self.value(figure.code, period)
            if not value or self.is_derived_sum(figure.code, period):
                continue
            unit = figure.unit
            for (other_period, other_code), other_value in candidates:
                if other_value != value or self.catalogue.figures[other_code].unit != unit:
                    continue
                if other_period == period and (
                    other_code == figure.code or other_code.startswith(SAME_PERIOD_EQUAL_OK)
                ):
                    continue
                issues.append(
                    self._located(
                        "ick_copy",
                        figure.code,
                        period,
                        {"found": value, "other": self.place(other_code, other_period)},
                    )
                )
        return issues
