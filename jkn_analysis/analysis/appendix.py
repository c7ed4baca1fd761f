"""The appendix as data: the input figures with their sources, what is missing, the values
used as published and the files read, in no language."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jkn_analysis.analysis.period import PeriodAnalysis
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.compute import Indicator

FIGURE_COLUMNS = ["code", "value", "unit", "status", "source", "note", "derived", "as_of"]


@dataclass(frozen=True)
class AppendixData:
    """What the appendix states about the period's inputs.

    Attributes
    ----------
    quarter : Quarter
        The reporting period.
    figures : pandas.DataFrame
        Every input figure of the period: ``code``, ``value``, ``unit`` (of the catalogue),
        ``status``, ``source`` and ``note`` as supplied, ``derived`` (a total made here from
        its parts), ``as_of`` (the month the source gives it at, ``None`` at the quarter's end).
    missing : dict of str to list of str
        By report section, the codes of the catalogue's figures the period lacks (sections
        without any left out).
    reported : tuple of Indicator
        The indicators taken as published rather than computed.
    files : tuple of (str, str)
        Each data file read, ``PERIOD/name``, with the SHA-256 of its bytes.
    """

    quarter: Quarter
    figures: pd.DataFrame
    missing: dict[str, list[str]]
    reported: tuple[Indicator, ...]
    files: tuple[tuple[str, str], ...]

    def _repr_html_(self) -> str:
        """The input figures and the files read, for an analyst in JupyterLab."""
        files = pd.DataFrame(list(self.files), columns=["file", "sha256"])
        return "".join(
            f"<h4>{name}</h4>{frame.to_html()}"
            for name, frame in (("figures", self.figures), ("files", files))
        )


def appendix_data(analysis: PeriodAnalysis) -> AppendixData:
    """The appendix's tables from the period's analysis."""
    q, catalogue, figures = analysis.quarter, analysis.catalogue, analysis.figures
    table = figures.period_table(q).reset_index()
    rows = [
        {
            "code": row.code,
            "value": row.value,
            "unit": catalogue.figure(row.code).unit,
            "status": row.status,
            "source": row.source,
            "note": row.note,
            "derived": figures.is_derived_sum(row.code, q),
            # The month the source gives the figure at, None at the quarter's end.
            "as_of": figures.as_of(row.code, q),
        }
        for row in table.itertuples(index=False)
    ]
    missing = {
        section: [
            figure.code
            for figure in catalogue.figures.values()
            if figure.section == section and not figures.has(figure.code, q)
        ]
        for section in catalogue.sections
    }
    return AppendixData(
        quarter=q,
        figures=pd.DataFrame(rows, columns=FIGURE_COLUMNS, dtype=object),
        missing={section: codes for section, codes in missing.items() if codes},
        reported=tuple(item for item in analysis.indicators if item.method == "reported"),
        files=analysis.input_files,
    )
