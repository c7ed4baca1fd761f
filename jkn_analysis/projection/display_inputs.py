"""What a projection starts from, written for readers: the starting point, the seasonal shares,
the drivers, the policy calendar and the scenarios (`InputsDisplay`), and the `Table` every
display returns.

Every cell is text already formatted in the language (numbers with Babel, half up), every
sentence from the catalogue (`wording`); `jkn_analysis.projection.display` adds the outcomes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from jkn_analysis.catalogue.formatting import format_compact, format_number, format_rupiah
from jkn_analysis.projection.drivers import DRIVER_SPECS, GROUPS
from jkn_analysis.projection.results import ProjectionResults
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


class InputsDisplay:
    """Tables and sentences of what one `ProjectionResults` starts from, in one language."""

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


def _figure_label(code: str) -> dict[str, str]:
    """The catalogue label of a figure, in both languages."""
    from jkn_analysis.catalogue.definitions import load_catalogue

    return dict(load_catalogue().figure(code).label)


@dataclass(frozen=True)
class _People:
    value: float

    def render(self, language: str) -> str:
        return format_compact(self.value, 2, language=language)


def signed(value: float, language: str, decimals: int = 2) -> str:
    text = format_number(abs(value), decimals, language=language)
    rounded = float(format_number(value, decimals, language="en").replace(",", ""))
    return ("+" if rounded > 0 else "-" if rounded < 0 else "") + text


def signed_rp(value: float, language: str) -> str:
    text = format_rupiah(abs(value), 2, language=language)
    return ("+" if value > 0 else "-" if value < 0 else "") + text
