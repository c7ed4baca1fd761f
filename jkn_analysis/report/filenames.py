"""Names of the files a build writes for one edition (language) of a period's report, and where
the report's templates and stylesheet are (light: the index page and the build read them without
Jinja2 or pandas)."""

from __future__ import annotations

from pathlib import Path

from jkn_analysis.catalogue.periods import Quarter

REPORT_STEM = "laporan-kinerja-jkn"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
# The report's one stylesheet, which the index page shares.
REPORT_CSS = TEMPLATE_DIR / "report.css"


def report_paths(folder: Path, quarter: Quarter, language: str) -> dict[str, Path]:
    """Names of the files a build writes for one language."""
    stem = f"{REPORT_STEM}-{quarter}.{language}"
    return {
        "notebook": folder / f"{stem}.ipynb",
        "html": folder / f"{stem}.html",
        "pdf": folder / f"{stem}.pdf",
        "workbook": folder / f"lampiran-data-{quarter}.{language}.xlsx",
    }
