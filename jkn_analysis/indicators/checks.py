"""The period's figures with their indicators checked: loading that refuses an impossible
indicator, and the one data check of ``jkn-report validate`` and ``build``.

Each input figure is checked where it is read (`jkn_analysis.inputs`); an indicator can be
impossible while each of its figures is plausible (a claim ratio of 1.122% from premiums typed
ten times too small), so the checks that need the computed indicators live here, above both.
"""

from __future__ import annotations

from pathlib import Path

from jkn_analysis.catalogue.definitions import Catalogue, load_catalogue
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.compute import compute_history, reported_vs_computed_issues
from jkn_analysis.inputs.figures import FigureSet
from jkn_analysis.inputs.loading import (
    available_periods,
    figure_set,
    load_period,
    period_files,
    read_figures,
    report_readiness,
    unsupported_files,
)
from jkn_analysis.inputs.validation import DataIssue, DataValidationError, ValidationResult


def load_figures(
    data_dir: Path | str, *, up_to: Quarter | None = None, catalogue: Catalogue | None = None
) -> FigureSet:
    """Load every period in ``data_dir`` (up to and including ``up_to``) into a `FigureSet`.

    Raises
    ------
    DataValidationError
        With every hard error of every period read, when there is any: first those of the
        files, then (when the files have none) computed indicators outside their bounds.
    """
    catalogue = catalogue or load_catalogue()
    figures = read_figures(data_dir, up_to=up_to, catalogue=catalogue)
    impossible = [issue for issues in indicator_errors(figures).values() for issue in issues]
    if impossible:
        raise DataValidationError(impossible, catalogue)
    return figures


def indicator_errors(figures: FigureSet) -> dict[Quarter, list[DataIssue]]:
    """The computed indicators outside their catalogue bounds, by period (every period of
    ``figures``: the report compares with earlier periods and charts their history)."""
    return {period: item.out_of_bounds for period, item in compute_history(figures).items()}


def validate_period(
    data_dir: Path | str,
    quarter: Quarter,
    *,
    catalogue: Catalogue | None = None,
    max_stock_change_percent: float | None = None,
    published_checks: bool = False,
    readiness: bool = False,
) -> ValidationResult:
    """Check a period as the build would, and report everything found, without raising.

    Reads the period and every earlier period in ``data_dir`` (the build compares with them
    and refuses a hard error in any of them).

    Parameters
    ----------
    data_dir : Path or str
        Folder with one sub-folder of data files per period.
    quarter : Quarter
        The period to check.
    catalogue : Catalogue, optional
        The figure catalogue (default: the shipped one).
    max_stock_change_percent : float, optional
        Warn when a stock moves more than this from the quarter before (default: the
        catalogue setting ``stock_change_warning_percent``).
    published_checks : bool, default False
        Also compute the period's indicators and warn where a published indicator value
        differs from the recomputed one, or an indicator cannot be computed
        (`jkn_analysis.indicators.compute.reported_vs_computed_issues`, as in the report's
        appendix).
    readiness : bool, default False
        Also refuse a period that has no value filled in yet or too few figures for a report
        of its own (`report_readiness`), as ``jkn-report validate`` and ``build`` do: one more
        error.

    Returns
    -------
    ValidationResult
        ``errors``: hard errors, those of ``quarter`` first, then those of earlier periods (their
        file names start with the period), computed indicators outside their bounds included;
        ``warnings``: the soft checks of ``quarter``; ``missing``: catalogue codes without a
        value for ``quarter``.
    """
    catalogue = catalogue or load_catalogue()
    data_dir = Path(data_dir)
    own: list[DataIssue] = []
    others: list[DataIssue] = []
    folder = data_dir / str(quarter)
    if not period_files(folder) and not unsupported_files(folder):
        own.append(
            DataIssue("error", "no_data", details={"expected": str(quarter), "folder": str(folder)})
        )
    frames = []
    for period in [q for q in available_periods(data_dir) if q <= quarter]:
        frame, issues = load_period(data_dir, period, catalogue)
        frames.append(frame)
        (own if period == quarter else others).extend(issues)
    if readiness and not own:
        blocker = report_readiness(data_dir, quarter, catalogue)
        own += [blocker] if blocker else []
    figures = figure_set(frames, catalogue)
    # Indicators come from the rows that passed; a row with an error names its own slip.
    history = compute_history(figures)
    for period, indicators in history.items():
        (own if period == quarter else others).extend(indicators.out_of_bounds)
    warnings = figures.soft_check_issues(quarter, max_stock_change_percent=max_stock_change_percent)
    if published_checks and quarter in history:
        warnings += reported_vs_computed_issues(figures, history[quarter])
    missing = [code for code in catalogue.figures if not figures.has(code, quarter)]
    return ValidationResult(own + others, warnings, missing, str(quarter))


def data_check(
    data_dir: Path | str,
    quarter: Quarter,
    *,
    catalogue: Catalogue | None = None,
    max_stock_change_percent: float | None = None,
) -> ValidationResult:
    """The one data check of ``jkn-report validate`` and ``jkn-report build``.

    `validate_period` with the published-versus-computed comparison of the report's appendix
    and the check that the period holds enough figures for a report of its own. ``validate``
    prints it and exits 0 exactly when ``result.ok``; ``build`` proceeds exactly when
    ``result.ok`` and otherwise prints the same `jkn_analysis.inputs.validation.format_validation`.
    """
    return validate_period(
        data_dir,
        quarter,
        catalogue=catalogue,
        max_stock_change_percent=max_stock_change_percent,
        published_checks=True,
        readiness=True,
    )
