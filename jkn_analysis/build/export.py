"""The executed notebook turned into the publication: the HTML page, its PDF, the data workbook.

`export_html` keeps only the outputs of the cells tagged ``report`` (`REPORT_TAG`), through the
report's nbconvert template (``templates/nbconvert/jkn_report``: no code, no prompts, styles
inline), so an exploratory cell an analyst adds never reaches the HTML or the PDF; the preview
makes its page with the same function. `render_pdf` renders that HTML to a tagged A4 PDF with
WeasyPrint, and `write_data_workbook` writes the data behind the report beside it.
"""

from __future__ import annotations

from pathlib import Path

from jkn_analysis import __version__
from jkn_analysis.build.outputs import indicators_document
from jkn_analysis.catalogue.periods import Quarter

# The nbconvert template that turns the executed notebook into the report page, and the
# preview's page shell (templates of the report itself are in jkn_analysis/report/templates).
BUILD_TEMPLATES = Path(__file__).resolve().parent / "templates"
# The cell tag of the notebook's published sections: only their outputs reach the HTML and the
# PDF, so an exploratory ``df.head()`` an analyst adds stays in the notebook.
REPORT_TAG = "report"


def export_html(
    notebook_path: Path,
    quarter: Quarter,
    language: str,
    status: str = "final",
    *,
    cell_tag: str = REPORT_TAG,
) -> str:
    """Turn an executed notebook into the report page: HTML outputs only, styles inline.

    Only the outputs of the code cells tagged ``cell_tag`` (cell metadata ``tags``) are kept;
    an empty ``cell_tag`` keeps every cell's. A ``draft`` report carries the draft mark on every
    page (screen and print).
    """
    import nbformat
    from nbconvert import HTMLExporter

    from jkn_analysis.report.filenames import REPORT_CSS
    from jkn_analysis.report.quarterly import load_text
    from jkn_analysis.report.tabledata import draft_mark_uri

    text = load_text()
    exporter = HTMLExporter(
        template_name="jkn_report",
        extra_template_basedirs=[str(BUILD_TEMPLATES / "nbconvert")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    notebook = nbformat.read(notebook_path, as_version=4)
    css = REPORT_CSS.read_text("utf-8")
    body, _ = exporter.from_notebook_node(
        notebook,
        resources={
            "jkn": {
                "language": language,
                "cell_tag": cell_tag,
                "title": f"{text['report_title'][language]} {quarter.title(language)}",
                "css": css,
                "version": __version__,
                "page_word": text["page"][language],
                "of_word": text["of"][language],
                "status": status,
                "draft_word": text["draft_word"][language],
                "draft_mark": draft_mark_uri(text["draft_word"][language]),
                "author": text["publisher"][language],
                "subject": text["pdf_subject"][language].format(period=quarter.title(language)),
            }
        },
    )
    return body


def render_pdf(html: str, target: Path) -> None:
    """Render the report HTML to an A4 PDF with WeasyPrint (print stylesheet, outline).

    The PDF is tagged to PDF/UA-1 (structure tags, the charts' text alternatives, the page's
    language) with the title, author and subject of the page's ``<title>`` and ``<meta>``
    elements, and opens with its outline shown.
    """
    from weasyprint import HTML

    def open_with_outline(document, pdf) -> None:
        pdf.catalog["PageMode"] = "/UseOutlines"

    options = {"pdf_variant": "pdf/ua-1"}
    document = HTML(string=html, base_url=str(target.parent)).render(**options)
    # Links to the files beside the PDF (the other edition) stay relative: WeasyPrint makes them
    # absolute against the temporary build folder, which is gone once the report is installed.
    folder = target.parent.resolve().as_uri() + "/"
    for page in document.pages:
        page.links = [
            (kind, destination.removeprefix(folder) if kind == "external" else destination, *rest)
            for kind, destination, *rest in page.links
        ]
    document.write_pdf(target, finisher=open_with_outline, **options)


def write_data_workbook(html: str, folder: Path, language: str, target: Path) -> None:
    """The data behind the report beside its PDF: one sheet per table, one of the indicators."""
    from jkn_analysis.catalogue.definitions import load_catalogue
    from jkn_analysis.report.quarterly import load_text
    from jkn_analysis.report.tabledata import write_workbook

    text, catalogue = load_text(), load_catalogue()

    def wording(key: str) -> str:
        entry = text
        for part in key.split("."):
            entry = entry[part]
        return entry[language]

    def label(code: str) -> str:
        return catalogue.indicator(code).label[language]

    indicators = indicators_document(folder).get("indicators", [])
    write_workbook(html, indicators, target, language, wording, label)
