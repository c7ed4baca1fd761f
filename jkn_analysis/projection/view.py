"""The standalone notebook's view: one method per cell, each returning rich HTML output."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

from jkn_analysis.fragment import Fragment
from jkn_analysis.projection.display import Display, Table
from jkn_analysis.projection.results import ProjectionResults
from jkn_analysis.projection.wording import Period, Text, say

Html = Fragment


def _paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{html.escape(text)}</p>" for text in texts if text)


def _table(table: Table | None) -> str:
    return "" if table is None else table.to_html("data small")


@dataclass(frozen=True)
class ProjectionView:
    """The projection of one origin in one language, as the notebook shows it, cell by cell."""

    results: ProjectionResults
    language: str = "id"

    @property
    def display(self) -> Display:
        return Display(self.results, self.language)

    def introduction(self) -> Html:
        """Title, what the projection is, and its formulas."""
        start = self.results.start
        years = self.results.baseline.years
        title = say("notebook.title", self.language, first=years[1], last=years[-1])
        text = say(
            "notebook.intro",
            self.language,
            title=start.period.title(self.language),
            period=Period(start.period),
        )
        formulas = "".join(f"<li>{html.escape(t)}</li>" for t in self.display.method())
        return Html(f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p><ul>{formulas}</ul>")

    def start_table(self) -> Html:
        """The starting values and how each was obtained (derived values flagged)."""
        return Html(_table(self.display.start_table()))

    def seasonality(self) -> Html:
        """The share of the year elapsed at the origin, and how the rest of the year is made."""
        return Html(_paragraphs([self.display.seasonal()]))

    def drivers_table(self) -> Html:
        """Each driver's value, basis and derivation."""
        return Html(_table(self.display.drivers_table()))

    def calendar_table(self) -> Html:
        """The policy calendar, with each entry's source and use."""
        return Html(_table(self.display.calendar_table()))

    def scenarios_table(self) -> Html:
        """Each scenario: label, description, parameters with their sources."""
        return Html(_table(self.display.scenarios_table()))

    def summary(self) -> Html:
        """One sentence per scenario, and the notes of the projection."""
        display = self.display
        items = "".join(f"<li>{html.escape(t)}</li>" for t in display.summaries())
        return Html(f"<ul>{items}</ul>" + _paragraphs(display.all_notes()))

    def chart(self) -> Html:
        """Months covered per scenario against the PP 53/2018 corridor, with the band."""
        from jkn_analysis.charts import chart_to_svg, projection_chart

        band = self.results.band
        ax = projection_chart(
            self.results.chart_data(self.language),
            language=self.language,
            corridor_label=say("report.caption_chart", self.language),
            value_label=say("columns.months_covered", self.language),
            band=self.results.band_data(),
            band_label=None
            if band is None
            else say(
                "report.legend_band",
                self.language,
                low=band.percentiles[0],
                high=band.percentiles[1],
            ),
        )
        return Html(f'<figure class="chart">{chart_to_svg(ax)}</figure>')

    def outcome_table(self) -> Html:
        """Key years per scenario: months covered, first years, funding gap."""
        return Html(_table(self.display.outcome_table()))

    def tables(self) -> Html:
        """The yearly table of every scenario."""
        display = self.display
        parts = []
        for name, p in self.results.items():
            parts.append(f"<h3>{html.escape(p.scenario.label[self.language])}</h3>")
            parts.append(_paragraphs([p.summary().render(self.language)]))
            parts.append(_table(display.yearly_table(name)))
        parts.append(_paragraphs([display.year_note(), display.band_text()]))
        return Html("".join(parts))

    def sensitivity_table(self) -> Html:
        """One standard change of each main driver and its effect on the last year."""
        display = self.display
        return Html(_paragraphs([display.sensitivity_text()]) + _table(display.sensitivity_table()))

    def backtest_table(self) -> Html:
        """The back-test from every origin the data allow."""
        display = self.display
        return Html(_paragraphs(display.backtest_texts()) + _table(display.backtest_table()))

    def write(self, output_dir: str) -> Html:
        """Write ``projection.json`` into ``output_dir``; ``""`` writes nothing."""
        if not output_dir:
            return Html("")
        folder = Path(output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "projection.json"
        path.write_text(
            json.dumps(self.results.as_json(), ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
        written = Text("notebook.written", path=str(path)).render(self.language)
        return Html(f"<p>{html.escape(written)}</p>")
