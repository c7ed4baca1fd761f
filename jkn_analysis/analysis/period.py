"""One period's analysis (`PeriodAnalysis`), made once per set of input files (`analyse`).

Nothing here depends on a report language: the editions word what this computes. A
`PeriodAnalysis` is shared by every edition made from the same files in one process, so it
is never changed once made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from jkn_analysis.catalogue.definitions import Catalogue, load_catalogue
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.checks import load_figures
from jkn_analysis.indicators.compute import (
    Indicator,
    IndicatorSet,
    compute_history,
    period_warnings,
)
from jkn_analysis.inputs.figures import FigureSet
from jkn_analysis.inputs.loading import available_periods, period_files, report_readiness
from jkn_analysis.inputs.paths import resolve_data_dir
from jkn_analysis.inputs.validation import DataIssue
from jkn_analysis.recommendations.evidence import TriggeredRule
from jkn_analysis.recommendations.review import Review, load_review
from jkn_analysis.recommendations.rules import evaluate, load_rules, with_projection

# How many analyses the process keeps (the latest ones): a preview or a batch moves on from
# one set of files to the next, and an old analysis is not asked for again.
KEPT_ANALYSES = 8


class ReportNotReadyError(ValueError):
    """The period's data passes its checks but cannot have a report of its own (a template
    not filled in yet, a history period): `blocker` says why, in any language."""

    def __init__(self, blocker: DataIssue, catalogue: Catalogue):
        super().__init__(blocker.describe("en", catalogue))
        self.blocker = blocker
        self.catalogue = catalogue


@dataclass(frozen=True, eq=False)
class PeriodAnalysis:
    """What the report of one period states, computed once and in no language.

    Attributes
    ----------
    quarter : Quarter
        The reporting period.
    data_dir : Path
        The folder of the period folders the figures were read from (resolved).
    catalogue : Catalogue
        The figure and indicator catalogue.
    figures : FigureSet
        The input figures of every period up to ``quarter``, checked.
    history : dict of Quarter to IndicatorSet
        The indicators of every period of ``figures``.
    projection : ProjectionResults or Exception
        The DJS projection from ``quarter``, or the error saying why it cannot be made
        (its ``describe(language)`` words it).
    triggered : tuple of TriggeredRule
        The rules the period triggers, the projection's first year below the floor included.
    review : Review
        The analyst's ``review.yaml`` as read (``Review()`` when there is none).
    data_warnings : tuple of DataIssue
        The data checks' warnings about the period.
    """

    quarter: Quarter
    data_dir: Path
    catalogue: Catalogue
    figures: FigureSet
    history: dict[Quarter, IndicatorSet]
    projection: object
    triggered: tuple[TriggeredRule, ...]
    review: Review
    data_warnings: tuple[DataIssue, ...]

    @property
    def indicators(self) -> IndicatorSet:
        """The indicators of the reporting period."""
        return self.history[self.quarter]

    @property
    def anchors(self) -> dict[str, dict]:
        """Each triggered rule's indicator (``code`` and breakdown), by rule id."""
        return {rule.rule_id: rule.anchor for rule in self.triggered}

    def value(self, code: str, **dimensions) -> float | str | None:
        """An indicator's unrounded value in the reporting period, or ``None``."""
        return self.indicators.value(code, **dimensions)

    def value_in(self, period: Quarter, code: str, **dimensions) -> float | str | None:
        """An indicator's value in another period (a comparison period), or ``None``."""
        indicators = self.history.get(period)
        return None if indicators is None else indicators.value(code, **dimensions)

    def figure_value(self, code: str, period: Quarter | None = None) -> float | None:
        """An input figure's value for the reporting period (or ``period``)."""
        return self.figures.value(code, period or self.quarter)

    def figure_as_of(self, code: str) -> dt.date | None:
        """The month an input figure of the reporting period is given at, ``None`` when it is
        the quarter's end (see `jkn_analysis.inputs.as_of`)."""
        return self.figures.as_of(code, self.quarter)

    def as_of(self, code: str, **dimensions) -> dt.date | None:
        """The month an indicator of the reporting period stands at: the latest month its
        input figures of the period are given at, ``None`` when all are at the quarter's end.
        Inputs of other periods (``@previous_december``) do not date it."""
        item = self.indicator(code, **dimensions)
        months = [
            month
            for name in (item.inputs if item is not None else ())
            if "@" not in name and (month := self.figure_as_of(name)) is not None
        ]
        return max(months, default=None)

    def indicator(self, code: str, **dimensions) -> Indicator | None:
        """An indicator of the reporting period, or ``None`` when it is not available."""
        return self.indicators.get(code, **dimensions)

    @cached_property
    def input_files(self) -> tuple[tuple[str, str], ...]:
        """Each data file of every period read, ``PERIOD/name``, with the SHA-256 of its
        bytes, for the appendix's provenance."""
        return tuple(
            (f"{period}/{path.name}", hashlib.sha256(path.read_bytes()).hexdigest())
            for period in self.figures.periods
            for path in period_files(self.data_dir / str(period))
        )

    @cached_property
    def recomputed(self) -> dict[tuple, dict]:
        """Indicators whose published value differs from the one computed here, by
        ``(code, sorted dimensions)``, from the ``reported_vs_computed`` data checks.

        Each holds the report ``section``, the ``dimensions``, the ``published`` value, the
        ``unit`` of the figure holding it and the ``decimals`` the source wrote it with.
        """
        found = {}
        for issue in self.data_warnings:
            if issue.problem != "reported_vs_computed" or issue.period != str(self.quarter):
                continue
            figure = self.catalogue.figure(issue.code)
            record = self.figures.record(issue.code, self.quarter)
            decimals = record["decimals"] if record and not pd.isna(record["decimals"]) else None
            key = (figure.reported_indicator, tuple(sorted(figure.dimensions.items())))
            found[key] = {
                "section": figure.section,
                "dimensions": dict(figure.dimensions),
                "published": self.figure_value(issue.code),
                "unit": figure.unit,
                "decimals": self.catalogue.indicator(figure.reported_indicator).decimals
                if decimals is None
                else int(decimals),
            }
        return found


def project(figures: FigureSet, quarter: Quarter) -> object:
    """The DJS projection from ``quarter``, or the error that says why there is none."""
    from jkn_analysis.projection import (
        CalendarError,
        ProjectionError,
        ScenarioError,
        project_scenarios,
    )

    try:
        return project_scenarios(figures, quarter)
    except (ProjectionError, ScenarioError, CalendarError) as error:
        return error


def first_year_below_floor(projection: object) -> int | None:
    """The baseline projection's first year below 1,5 months, for the actuarial rule."""
    from jkn_analysis.projection import BASELINE

    projections = getattr(projection, "projections", None)
    baseline = None if projections is None else projections.get(BASELINE)
    return None if baseline is None else baseline.first_year_below_floor


def triggered_rules(
    history: dict[Quarter, IndicatorSet], quarter: Quarter, projection: object
) -> list[TriggeredRule]:
    """The rules the period's indicators trigger, the projection's first year below
    1,5 months included (the actuarial rule reads it)."""
    return evaluate(
        load_rules(),
        with_projection(history, quarter, first_year_below_floor(projection)),
        quarter,
    )


def compute_analysis(quarter: Quarter, data_dir: Path) -> PeriodAnalysis:
    """The analysis of ``quarter`` from the files in ``data_dir``, computed now (see `analyse`).

    Raises
    ------
    FileNotFoundError
        When ``data_dir`` has no folder of data files for ``quarter``.
    jkn_analysis.inputs.validation.DataValidationError
        When the data of the period, or of a period it compares with, fails a hard check.
    ReportNotReadyError
        When the period's files are not filled in, or hold too few figures for a report.
    """
    if quarter not in available_periods(data_dir):
        raise FileNotFoundError(
            f"no data files for {quarter} in {data_dir.resolve()}"
            f" (expected a folder {quarter}/ holding .csv or .xlsx files)"
        )
    catalogue = load_catalogue()
    figures = load_figures(data_dir, up_to=quarter, catalogue=catalogue)
    blocker = report_readiness(data_dir, quarter, catalogue)
    if blocker is not None:  # nothing filled in yet, or a history period: no report
        raise ReportNotReadyError(blocker, catalogue)
    history = compute_history(figures)
    projection = project(figures, quarter)
    review, _ = load_review(data_dir, quarter)
    return PeriodAnalysis(
        quarter=quarter,
        data_dir=data_dir,
        catalogue=catalogue,
        figures=figures,
        history=history,
        projection=projection,
        triggered=tuple(triggered_rules(history, quarter, projection)),
        review=review,
        data_warnings=tuple(period_warnings(figures, quarter)),
    )


def files_stamp(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under ``data_dir`` with its size and modification time: what an analysis
    read (figures of every period, ``review.yaml``), so that an edited file is read again."""
    if not data_dir.is_dir():
        return ()
    stamps = []
    for path in sorted(data_dir.rglob("*")):
        try:
            status = path.stat()
        except OSError:  # removed while listing: the next stamp will not have it
            continue
        if path.is_file():
            stamps.append((str(path.relative_to(data_dir)), status.st_size, status.st_mtime_ns))
    return tuple(stamps)


_ANALYSES: dict[tuple, PeriodAnalysis] = {}


def analyse(quarter: Quarter | str, data_dir: str | Path = "") -> PeriodAnalysis:
    """The analysis of ``quarter``, computed once per set of input files in the process.

    Parameters
    ----------
    quarter : Quarter or str
        The reporting period, ``YYYYQn``.
    data_dir : str or Path
        Folder with one sub-folder of data files per period; empty: the checkout's ``data/``
        (see `jkn_analysis.inputs.paths.default_data_dir`).

    Returns
    -------
    PeriodAnalysis
        The same object for the same period, folder and files (their names, sizes and
        modification times); a fresh one when a file was added, removed or edited.

    Raises
    ------
    FileNotFoundError, jkn_analysis.inputs.validation.DataValidationError, ReportNotReadyError
        See `compute_analysis`; nothing is kept then.
    """
    quarter = Quarter.parse(str(quarter))
    # Resolved: a kept analysis reads its files later (the appendix hashes them), perhaps
    # from another working folder.
    folder = resolve_data_dir(data_dir).resolve()
    key = (quarter, str(folder), files_stamp(folder))
    if key not in _ANALYSES:
        while len(_ANALYSES) >= KEPT_ANALYSES:
            del _ANALYSES[next(iter(_ANALYSES))]
        _ANALYSES[key] = compute_analysis(quarter, folder)
    return _ANALYSES[key]


def forget_analyses() -> None:
    """Drop every kept analysis (for tests that change what is not in the data folder)."""
    _ANALYSES.clear()
