"""`Edition`: what a section's render step asks of the report it words a section for.

A render step (`jkn_analysis.report.participation`, ``facilities``, ``finance``, ``opening``,
``appendix``) takes the section's data and an edition: the period's analysis worded in one
language. `jkn_analysis.report.quarterly.QuarterlyReport` is the edition; the render steps
name only this protocol, so that they do not import the report they are part of.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from markupsafe import Markup

from jkn_analysis.analysis.period import PeriodAnalysis
from jkn_analysis.catalogue.definitions import Catalogue
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.compute import Indicator, IndicatorSet
from jkn_analysis.inputs.figures import FigureSet
from jkn_analysis.recommendations.review import ReviewOutcome
from jkn_analysis.report.fragment import Fragment


class Edition(Protocol):
    """One period's report in one language, as its render steps use it."""

    quarter: Quarter
    language: str
    analysis: PeriodAnalysis
    catalogue: Catalogue
    figures: FigureSet
    indicators: IndicatorSet
    data_dir: Path
    review: ReviewOutcome
    warnings: list
    projection: object

    def text(self, key: str, **values: object) -> str: ...

    def figure_label(self, code: str) -> str: ...

    def indicator_label(self, code: str) -> str: ...

    def indicator_caption(self, code: str, dimensions: dict) -> str: ...

    def indicator_text(self, code: str, **options) -> str: ...

    def fact_text(self, item: Indicator | None, **options) -> str: ...

    def foreign(self, language: str) -> str: ...

    def recomputed_notes(self, section: str) -> list[str]: ...

    def recommendations(self, section: str) -> list[dict]: ...

    def render_section(self, template: str, **context) -> Fragment: ...

    def narrative(self, name: str, **facts) -> Markup: ...

    def numbered_chart(
        self,
        chart,
        number: str,
        caption_key: str,
        source_key: str = "source_bpjs",
        note: str = "",
        **values: object,
    ) -> Markup: ...
