"""The projection notebook's view: `explore` loads and projects, `ProjectionView` shows it, one
method per cell, each returning rich HTML output."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.checks import load_figures
from jkn_analysis.inputs.paths import prepare_output_dir, resolve_data_dir
from jkn_analysis.projection import project_scenarios
from jkn_analysis.projection.display import Display, Table
from jkn_analysis.projection.model import DEFAULT_YEARS
from jkn_analysis.projection.results import ProjectionResults
from jkn_analysis.projection.wording import Period, Text, check_language, say
from jkn_analysis.report.fragment import Fragment

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
        from jkn_analysis.report.charts import ChartCache, ChartRequest, projection_chart

        band = self.results.band
        request = ChartRequest(
            projection_chart,
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
        # From the report's chart cache when the same projection was drawn before.
        svg = ChartCache.from_environment().chart(request).svg
        return Html(f'<figure class="chart">{svg}</figure>')

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


def explore(
    quarter: str,
    *,
    language: str = "id",
    data_dir: str | Path = "",
    scenario_file: str = "",
    calendar_file: str = "",
    horizon: int = DEFAULT_YEARS,
    overrides: str | Mapping[str, float] | None = "",
    output_dir: str | Path = "",
) -> ProjectionView:
    """Load the figures up to ``quarter`` and project every scenario (the notebook's call).

    Parameters
    ----------
    quarter : str
        The origin, ``YYYYQn``.
    language : {"id", "en"}
    data_dir : str or Path
        Folder of the period folders; empty: the checkout's ``data/`` (``./data`` when
        installed), see `jkn_analysis.inputs.paths.default_data_dir`.
    scenario_file, calendar_file : str
        A scenario or policy calendar YAML file; ``""`` uses the packaged one.
    horizon : int
        Years projected after the origin's year (1 to 30).
    overrides : str or mapping
        Driver overrides, such as ``'{"medical_inflation": 5.0}'``, within their bounds.
    output_dir : str or Path
        Folder `ProjectionView.write` will write to, created here, before any work, when
        missing; empty: nothing is written.

    Raises
    ------
    jkn_analysis.inputs.paths.OutputFolderError
        When ``output_dir`` is a file or cannot be created or written to.
    """
    check_language(language)
    period = Quarter.parse(quarter)
    # Refused or created first, so that a bad folder does not fail after the projection ran.
    prepare_output_dir(output_dir, language)
    figures = load_figures(resolve_data_dir(data_dir), up_to=period)
    results = project_scenarios(
        figures,
        period,
        scenarios=scenario_file or None,
        calendar=calendar_file or None,
        years=horizon,
        overrides=overrides,
    )
    return ProjectionView(results, language)
