"""The projection written for readers: tables as rows of text in one language.

The report's section III (Jinja templates) and the standalone notebook both take their tables
from here, so the two never disagree. Every cell is text already formatted in the language
(numbers with Babel, half up), every sentence from the catalogue (`wording`).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from jkn_analysis.catalogue.formatting import format_compact, format_number, format_rupiah
from jkn_analysis.projection.drivers import ALL, DRIVER_SPECS, GROUPS
from jkn_analysis.projection.results import ProjectionResults
from jkn_analysis.projection.scenarios import BASELINE
from jkn_analysis.projection.wording import (
    Joined,
    Label,
    Num,
    Pct,
    Period,
    Rp,
    RpFull,
    Text,
    check_language,
    say,
    template,
)

METHOD_KEYS = ("members", "fade", "premium", "claims", "investment", "operating", "assets")


@dataclass(frozen=True)
class Table:
    """A table as text: ``head`` (column titles), ``rows`` (cells), ``numeric`` (per column,
    right-aligned), ``strong`` (indices of rows to set in bold)."""

    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    strong: tuple[int, ...] = ()
    quoted: tuple[int, ...] = ()  # columns quoting a source as written (not translated)
    # The language of those quotes: the data files and the policy calendar cite their sources
    # in Indonesian, so the English edition marks them (lang="id") rather than translating.
    quoted_language: str = "id"

    def to_html(self, css_class: str = "data small") -> str:
        def cell(tag: str, text: str, numeric: bool, quoted: bool = False) -> str:
            classes = ["num"] if numeric else []
            if numeric and text.startswith("-"):
                classes.append("negative")
            attribute = f' class="{" ".join(classes)}"' if classes else ""
            attribute += f' translate="no" lang="{self.quoted_language}"' if quoted else ""
            return f"<{tag}{attribute}>{html.escape(text)}</{tag}>"

        head = "".join(cell("th", h, n) for h, n in zip(self.head, self.numeric, strict=True))
        body = []
        for index, row in enumerate(self.rows):
            cells = "".join(
                cell("td", c, n, position in self.quoted)
                for position, (c, n) in enumerate(zip(row, self.numeric, strict=True))
            )
            strong = ' class="strong"' if index in self.strong else ""
            body.append(f"<tr{strong}>{cells}</tr>")
        return (
            f'<table class="{css_class}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )


class Display:
    """Tables and sentences of one `ProjectionResults` in one language."""

    def __init__(self, results: ProjectionResults, language: str = "id"):
        self.results = results
        self.language = check_language(language)

    # --- small helpers ---------------------------------------------------------------------
    def say(self, key: str, **values) -> str:
        return say(key, self.language, **values)

    def label(self, key: str) -> str:
        return template(key)[self.language]

    def text(self, value) -> str:
        return value.render(self.language) if hasattr(value, "render") else str(value)

    def rp(self, value: float) -> str:
        return format_rupiah(value, 2, language=self.language)

    def num(self, value: float, decimals: int = 2) -> str:
        return format_number(value, decimals, language=self.language)

    def people(self, value: float) -> str:
        return format_compact(value, 2, language=self.language)

    # --- pieces ----------------------------------------------------------------------------
    def method(self) -> list[str]:
        """The formulas, one sentence each."""
        return [self.label(f"method.{key}") for key in METHOD_KEYS]

    def start_table(self) -> Table:
        """The starting values: what, value, how obtained (derived values say so)."""
        start = self.results.start
        explain = start.explanation
        rows = [
            (
                self.label("start.labels.premium"),
                self.rp(start.premium),
                self.text(explain["premium"]),
            ),
            (
                self.label("start.labels.claims"),
                self.rp(start.claims),
                self.text(Joined([explain["claims"], explain["claims_levels"]])),
            ),
            (
                self.label("start.labels.investment"),
                format_rupiah(start.investment, 3, language=self.language),
                self.text(explain["investment"]),
            ),
            (
                self.label("start.labels.net_assets"),
                self.rp(start.net_assets),
                self.text(explain["net_assets"]),
            ),
            (
                self.label("start.labels.months"),
                self.num(start.months_covered),
                self.say("start.months_text", m=start.months_elapsed),
            ),
        ]
        if start.members_known:
            parts = (
                Joined(
                    [
                        Text(
                            "start.group_item",
                            group=Label(f"groups.{g}"),
                            value=_People(start.members[g]),
                        )
                        for g in start.groups
                    ],
                    "; ",
                )
                if start.groups == GROUPS
                else ""
            )
            rows.append(
                (
                    self.label("start.labels.members"),
                    self.people(start.participants),
                    self.text(
                        Joined([explain["members"], parts, explain.get("members_start", "")])
                    ),
                )
            )
        else:
            rows.append((self.label("start.labels.members"), "–", self.text(explain["members"])))
        for key, value, code, period in (
            ("registered", start.registered, "registered_participants", start.period),
            ("population", start.population, "population", start.population_period),
            ("portfolio", start.portfolio, "djs_investment_total", start.period),
        ):
            if value is None:
                continue
            written = self.rp(value) if key == "portfolio" else self.people(value)
            rows.append(
                (
                    self.label(f"start.labels.{key}"),
                    written,
                    self.say("start.figure", figure=_figure_label(code), period=Period(period)),
                )
            )
        head = tuple(self.label(f"columns.{k}") for k in ("item", "value", "source"))
        derived = (3,) if start.net_assets_derived else ()
        return Table(head, tuple(rows), (False, True, False), derived)

    def seasonal(self) -> str:
        """How the rest of the origin's year is obtained."""
        start = self.results.start
        baseline = self.results.baseline
        if not start.in_year:
            return self.say(
                "seasonal.full_year",
                period=Period(start.period),
                year=start.period.year,
                next=start.period.year + 1,
            )
        shares = baseline.seasonal
        values = {
            "period": Period(start.period),
            "year": start.period.year,
            "premium": Pct(shares["premium"] * 100),
            "claims": Pct(shares["claims"] * 100),
        }
        if baseline.seasonal_basis == "observed":
            text = self.say("seasonal.observed", **values)
        else:
            text = self.say(
                "seasonal.member_years",
                even=Pct(start.months_elapsed / 12 * 100),
                m=start.months_elapsed,
                **values,
            )
        checks = [
            self.say(
                "seasonal.check",
                flow=self.label(f"seasonal.flows.{check.code}"),
                period=Period(check.period),
                year=check.period.year,
                observed=Pct(check.observed * 100),
                member_years=Pct(check.member_years * 100),
            )
            for check in self.results.seasonal_checks
            if check.member_years is not None
        ]
        return " ".join([text, *checks])

    def drivers_table(self) -> Table:
        drivers = self.results.drivers
        rows = []
        for name in drivers.names():
            spec = DRIVER_SPECS[name]
            rows.append(
                (
                    self.label(f"driver_labels.{name}"),
                    self.text(spec.written(drivers[name])),
                    self.label(f"bases.{drivers.basis.get(name, 'derived')}"),
                    self.text(drivers.explanation[name]) if name in drivers.explanation else "",
                )
            )
        head = tuple(self.label(f"columns.{k}") for k in ("driver", "value", "basis", "derivation"))
        return Table(head, tuple(rows), (False, True, False, False))

    def calendar_table(self) -> Table:
        calendar = self.results.calendar
        users: dict[str, list[str]] = {}
        for p in self.results.values():
            for policy in p.scenario.policies:
                users.setdefault(policy, []).append(p.scenario.label[self.language])
        rows = []
        for rate in calendar.rates:
            classes = rate.pbpu_bp_class
            effect = self.say(
                "calendar.rate",
                paid=RpFull(rate.government_paid),
                class_1=RpFull(classes.get("class_1", 0)),
                class_2=RpFull(classes.get("class_2", 0)),
                class_3=RpFull(classes.get("class_3", 0)),
                assistance=RpFull(rate.class_3_assistance or 0),
                wage_share=Pct(rate.ppu_wage_share or 0, 0),
                wage_cap=RpFull(rate.ppu_wage_cap or 0),
            )
            rows.append(
                (
                    str(rate.from_year),
                    rate.label[self.language],
                    effect,
                    self.label("values.baseline"),
                    rate.source,
                )
            )
        for cap in calendar.caps:
            effect = self.say(
                "calendar.cap",
                share=Pct(cap.share),
                amount=Rp(cap.amount or 0),
                year=cap.from_year,
            )
            rows.append(
                (
                    str(cap.from_year),
                    cap.label[self.language],
                    effect,
                    self.label("values.baseline"),
                    cap.source,
                )
            )
        for step in sorted(calendar.steps.values(), key=lambda s: (s.year, s.id)):
            if not step.sized:
                effect = self.say("calendar.step_unsized", year=step.year)
                use = self.label("values.not_applied")
            else:
                if step.kind == "premium":
                    effect = self.say(
                        "calendar.step_premium", percent=Pct(step.percent, 1), year=step.year
                    )
                else:
                    levels = Joined([Label(f"levels.{level}") for level in step.levels], ", ")
                    effect = self.say(
                        "calendar.step_tariff",
                        levels=levels,
                        percent=Pct(step.percent, 1),
                        year=step.year,
                    )
                if step.in_baseline:
                    use = self.label("values.baseline")
                else:
                    use = self.say(
                        "values.scenario_only", names=", ".join(users.get(step.id, ["–"]))
                    )
                if step.illustrative:
                    use += " " + self.label("values.illustrative")
            rows.append((str(step.year), step.label[self.language], effect, use, step.source))
        head = tuple(
            self.label(f"columns.{k}") for k in ("year", "policy", "effect", "use", "source")
        )
        return Table(head, tuple(rows), (False, False, False, False, False), quoted=(4,))

    def scenarios_table(self) -> Table:
        lang = self.language
        calendar = self.results.calendar
        rows = []
        for p in self.results.values():
            s = p.scenario
            parts = []
            for name, value in s.drivers.items():
                parts.append(
                    self.say(
                        "scenarios.driver",
                        label=Label(f"driver_labels.{name}"),
                        value=DRIVER_SPECS[name].written(value),
                    )
                )
            for policy in s.policies:
                step = calendar.steps[policy]
                parts.append(self.say("scenarios.policy", label=step.label))
            if s.claims_growth_cut:
                parts.append(
                    self.say(
                        "scenarios.cut",
                        points=Num(s.claims_growth_cut.points, 1),
                        year=s.claims_growth_cut.from_year,
                    )
                )
            for year, share in s.registered_coverage_targets.items():
                parts.append(self.say("scenarios.coverage", share=Pct(share, 1), year=year))
            for year, share in s.active_share_targets.items():
                parts.append(self.say("scenarios.share", share=Pct(share, 1), year=year))
            if s.illustrative:
                parts.append(self.label("values.illustrative"))
            if s.source:
                parts.append(f"[{s.source}]")
            rows.append(
                (
                    s.label[lang],
                    s.description[lang],
                    "; ".join(parts) or self.label("scenarios.none"),
                )
            )
        head = tuple(self.label(f"columns.{k}") for k in ("scenario", "description", "parameters"))
        return Table(head, tuple(rows), (False, False, False))

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
                _signed(row["first_months"], self.language),
                _signed_rp(row["net_assets"], self.language),
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
                return _signed(e, self.language) if months else _signed(e, self.language) + "%"

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


def _figure_label(code: str) -> dict[str, str]:
    """The catalogue label of a figure, in both languages."""
    from jkn_analysis.catalogue.definitions import load_catalogue

    return dict(load_catalogue().figure(code).label)


@dataclass(frozen=True)
class _People:
    value: float

    def render(self, language: str) -> str:
        return format_compact(self.value, 2, language=language)


def _signed(value: float, language: str, decimals: int = 2) -> str:
    text = format_number(abs(value), decimals, language=language)
    rounded = float(format_number(value, decimals, language="en").replace(",", ""))
    return ("+" if rounded > 0 else "-" if rounded < 0 else "") + text


def _signed_rp(value: float, language: str) -> str:
    text = format_rupiah(abs(value), 2, language=language)
    return ("+" if value > 0 else "-" if value < 0 else "") + text


__all__ = ["ALL", "Display", "Table"]
