"""The projection written for readers: tables as rows of text in one language.

The report's section III (Jinja templates) and the standalone notebook both take their tables
from here, so the two never disagree: what the projection starts from (`display_inputs`), and
here what comes out of it. Every cell is text already formatted in the language
(numbers with Babel, half up), every sentence from the catalogue (`wording`).
"""

from __future__ import annotations

import math

from jkn_analysis.projection.display_inputs import InputsDisplay, Table, signed, signed_rp
from jkn_analysis.projection.drivers import ALL
from jkn_analysis.projection.scenarios import BASELINE
from jkn_analysis.projection.wording import Period


class Display(InputsDisplay):
    """Tables and sentences of one `ProjectionResults` in one language: what it starts from
    (`InputsDisplay`) and what comes out, scenario by scenario."""

    def key_years(self) -> list[int]:
        years = self.results.baseline.years
        return sorted({years[0], years[1], years[len(years) // 2], years[-1]})

    def outcome_table(self) -> Table:
        """Per scenario: months covered in key years, first years, the last year's gap."""
        never = self.label("values.never")
        years = self.key_years()
        last = self.results.baseline.years[-1]
        rows = []
        for p in self.results.values():
            table = p.table.set_index("year")
            rows.append(
                (
                    p.scenario.label[self.language],
                    *(self.num(table.at[y, "months_covered"]) for y in years),
                    str(p.first_year_below_floor or never),
                    str(p.first_year_exhausted or never),
                    self.rp(table.at[last, "funding_gap"]),
                )
            )
        head = (
            self.label("columns.scenario"),
            *(self._year_mark(y) for y in years),
            self.label("columns.below_floor"),
            self.label("columns.exhausted"),
            self.say("columns.gap_in", year=last),
        )
        numeric = (False, *([True] * len(years)), True, True, True)
        return Table(head, tuple(rows), numeric, (0,))

    def _year_mark(self, year: int) -> str:
        first = self.results.baseline.table.iloc[0]
        return f"{year}*" if int(first["year"]) == year else str(year)

    def yearly_table(self, name: str = BASELINE) -> Table:
        """The yearly table of a scenario, a row per step of the formulas, a column per year."""
        p = self.results[name]
        band = self.results.band if name == BASELINE else None
        columns = (
            "participants",
            "premium_income",
            "claims_expense",
            "investment_income",
            "operating_cost",
            "other_net",
            "surplus",
            "net_assets",
            "months_covered",
            "funding_gap",
        )
        rows = []
        for column in columns:
            values = p.column(column)
            if column == "participants":
                cells = [self.people(v) if p.start.members_known else "–" for v in values]
            elif column == "months_covered":
                cells = [self.num(v) for v in values]
            else:
                cells = [self.rp(v) for v in values]
            rows.append((self.label(f"columns.{column}"), *cells))
        if band is not None:
            rows.append(
                (
                    self.label("columns.band"),
                    *(
                        f"{self.num(low)}–{self.num(high)}"
                        for low, high in zip(band.low, band.high, strict=True)
                    ),
                )
            )
        head = (self.label("columns.item"), *(self._year_mark(y) for y in p.years))
        numeric = (False, *([True] * len(p.years)))
        strong = (columns.index("net_assets"), columns.index("months_covered"))
        return Table(head, tuple(rows), numeric, strong)

    def year_note(self) -> str:
        start = self.results.start
        key = "values.estimate_mark" if start.in_year else "values.observed_mark"
        return self.say(key, period=Period(start.period))

    def summaries(self) -> list[str]:
        return list(self.results.summaries(self.language).values())

    def notes(self, name: str = BASELINE) -> list[str]:
        return [note.render(self.language) for note in self.results[name].notes]

    def all_notes(self) -> list[str]:
        """Notes of the baseline, then those particular to other scenarios, with their label."""
        baseline = [note.render(self.language) for note in self.results.baseline.notes]
        seen = list(baseline)
        for name, p in self.results.items():
            if name == BASELINE:
                continue
            for note in p.notes:
                text = note.render(self.language)
                if text not in baseline:
                    labelled = self.say(
                        "notes.of_scenario", label=dict(p.scenario.label), note=text
                    )
                    if labelled not in seen:
                        seen.append(labelled)
        return seen

    def band_text(self) -> str:
        band = self.results.band
        return "" if band is None else band.describe().render(self.language)

    def sensitivity_table(self) -> Table | None:
        sensitivity = self.results.sensitivity
        if sensitivity is None:
            return None
        year = sensitivity.year
        rows = [
            (
                self.text(row["label"]),
                self.text(row["change"]),
                signed(row["first_months"], self.language),
                signed_rp(row["net_assets"], self.language),
            )
            for row in sensitivity.rows
        ]
        head = (
            self.label("columns.driver"),
            self.label("columns.change"),
            self.say("columns.months_delta", year=sensitivity.first_year),
            self.say("columns.assets_delta", year=year),
        )
        return Table(head, tuple(rows), (False, False, True, True))

    def sensitivity_text(self) -> str:
        sensitivity = self.results.sensitivity
        return "" if sensitivity is None else sensitivity.describe().render(self.language)

    def backtest_table(self) -> Table | None:
        backtest = self.results.backtest
        if backtest is None:
            return None
        rows = []
        for row in backtest.rows:
            months = row.quantity == "months_covered"
            value = self.num if months else self.rp

            def error(e, months=months):
                if math.isnan(e):
                    return "–"
                return signed(e, self.language) if months else signed(e, self.language) + "%"

            target = "–" if row.target is None else ("±" + self.num(row.target, 2 if months else 0))
            met = (
                "–"
                if row.met is None
                else self.label("values.answer_yes" if row.met else "values.answer_no")
            )
            rows.append(
                (
                    str(row.origin),
                    str(row.year),
                    self.label(f"backtest.quantities.{row.quantity}"),
                    value(row.predicted),
                    value(row.actual),
                    error(row.error),
                    "–" if math.isnan(row.naive) else value(row.naive),
                    error(row.naive_error),
                    target + ("%" if row.target is not None and not months else ""),
                    met,
                )
            )
        head = tuple(
            self.label(f"columns.{k}")
            for k in (
                "origin",
                "target_year",
                "quantity",
                "predicted",
                "actual",
                "error",
                "naive",
                "naive_error",
                "target",
                "met",
            )
        )
        return Table(head, tuple(rows), (False, False, False, *([True] * 7)))

    def backtest_texts(self) -> list[str]:
        backtest = self.results.backtest
        if backtest is None:
            return []
        texts = [self.label("backtest.intro")]
        if not [row for row in backtest.rows if row.horizon == "in_year"]:
            origins = ", ".join(str(o) for o in backtest.in_year_without_year_end)
            texts.append(
                self.say("backtest.no_in_year", origins=origins or self.label("backtest.none"))
            )
        texts.extend(text.render(self.language) for text in backtest.claims_worse)
        return texts


__all__ = ["ALL", "Display", "Table"]
