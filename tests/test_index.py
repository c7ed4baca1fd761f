"""The landing page ``reports/index.html`` and the links between a report's editions.

The index lists every built period, newest first, with its status (draft or final), both
editions' HTML, PDF, data workbook and DJS projection, the shared indicator files, build times
in WIB (Jakarta, UTC+7) and the data-check warnings in words, not figure codes. Each report's
cover links its other edition and its own PDF (the latter on screen only).
"""

from __future__ import annotations

import json
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jkn_analysis.build.batch import INDEX_MARK, write_index
from jkn_analysis.build.quarter import BUILD_RECORD, file_mode, report_paths
from jkn_analysis.catalogue.definitions import load_catalogue
from jkn_analysis.catalogue.periods import Quarter

Q1 = Quarter(2024, 1)
Q4 = Quarter(2023, 4)
WARNING = {
    "code": "non_active_total",
    "message": {
        "en": "non_active_total (Non-active participants), 2024Q1: a gap of 7,638,391 "
        "against active_bp",
        "id": "non_active_total (Peserta non aktif), 2024Q1: selisih 7.638.391 terhadap active_bp",
    },
    "period": "2024Q1",
    "problem": "registered_vs_non_active",
    "severity": "warning",
}


class Page(HTMLParser):
    """The links and the visible text of a page."""

    def __init__(self, page: str):
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs)["href"])

    def handle_data(self, data):
        self.text.append(data)


def _period(out: Path, quarter: Quarter, status: str, built_at: str, warnings: list) -> None:
    """A built period as a build leaves it, with empty files (the index only links them)."""
    folder = out / str(quarter)
    folder.mkdir(parents=True)
    editions = {}
    for language in ("id", "en"):
        names = [
            path.name
            for kind, path in report_paths(folder, quarter, language).items()
            if kind != "notebook"
        ]
        for name in names:
            (folder / name).write_bytes(b"")
        editions[language] = {
            "fingerprint": {},
            "built_at": built_at,
            "warnings": warnings,
            "files": names,
        }
    (folder / "indicators.json").write_text(json.dumps({"status": status}), encoding="utf-8")
    (folder / "indicators.csv").write_text("code,value\n", encoding="utf-8")
    record = {"files": ["indicators.csv", "indicators.json"], "editions": editions}
    (folder / BUILD_RECORD).write_text(json.dumps(record), encoding="utf-8")


@pytest.fixture
def out(tmp_path):
    _period(tmp_path, Q1, "draft", "2026-12-01 14:30:00 UTC", [WARNING])
    _period(tmp_path, Q4, "final", "2026-11-30 23:05:00 UTC", [])
    (tmp_path / "projections").mkdir()
    (tmp_path / "projections" / "proyeksi-djs-2024Q1.id.html").write_text("", encoding="utf-8")
    return tmp_path


def test_the_page_is_the_packs_own_with_a_viewport_and_ordinary_mode(out):
    page = write_index(out).read_text(encoding="utf-8")
    assert INDEX_MARK in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert stat.S_IMODE((out / "index.html").stat().st_mode) == file_mode()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".index.")]


def test_every_link_points_at_a_file_that_exists(out):
    page = Page(write_index(out).read_text(encoding="utf-8"))
    for period in ("2024Q1", "2023Q4"):
        for language in ("id", "en"):
            for name in (
                f"laporan-kinerja-jkn-{period}.{language}.html",
                f"laporan-kinerja-jkn-{period}.{language}.pdf",
                f"lampiran-data-{period}.{language}.xlsx",
            ):
                assert f"{period}/{name}" in page.links
        assert f"{period}/indicators.json" in page.links
        assert f"{period}/indicators.csv" in page.links
    assert "projections/proyeksi-djs-2024Q1.id.html" in page.links
    assert page.links and all((out / link).is_file() for link in page.links)
    # Newest period first.
    assert page.links.index("2024Q1/indicators.json") < page.links.index("2023Q4/indicators.json")


def test_a_missing_file_is_not_linked(out):
    (out / "2024Q1" / "lampiran-data-2024Q1.en.xlsx").unlink()
    page = Page(write_index(out).read_text(encoding="utf-8"))
    assert "2024Q1/lampiran-data-2024Q1.en.xlsx" not in page.links
    assert "2024Q1/lampiran-data-2024Q1.id.xlsx" in page.links
    assert "projections/proyeksi-djs-2024Q1.en.html" not in page.links


@pytest.mark.parametrize(
    ("language", "draft", "final", "time", "edition"),
    [
        ("id", "DRAF", "FINAL", "1 Desember 2026 21.30 WIB", "Bahasa Inggris"),
        ("en", "DRAFT", "FINAL", "1 December 2026, 21:30 WIB", "English"),
    ],
)
def test_status_editions_and_build_times_in_wib(out, language, draft, final, time, edition):
    page = write_index(out, language=language).read_text(encoding="utf-8")
    assert f'<span class="status status-draft">{draft}</span>' in page
    assert f'<span class="status status-final">{final}</span>' in page
    assert f'<time datetime="2026-12-01T21:30:00+07:00">{time}</time>' in page
    # 23.05 UTC on 30 November is the next day in Jakarta.
    assert '<time datetime="2026-12-01T06:05:00+07:00">' in page
    assert "UTC</" not in page
    assert f"<h3>{edition}</h3>" in page


@pytest.mark.parametrize("language", ["id", "en"])
def test_warnings_are_in_words_not_figure_codes(out, language):
    page = write_index(out, language=language).read_text(encoding="utf-8")
    text = "".join(Page(page).text)
    figures = load_catalogue().figures
    assert "non_active_total" not in text and "active_bp" not in text
    assert f"{figures['non_active_total'].label[language]}, 2024Q1" in text
    assert figures["active_bp"].label[language] in text


def test_a_projection_without_its_report_is_listed(out):
    (out / "projections" / "proyeksi-djs-2025Q2.en.html").write_text("", encoding="utf-8")
    page = Page(write_index(out).read_text(encoding="utf-8"))
    assert "projections/proyeksi-djs-2025Q2.en.html" in page.links


def test_an_empty_output_folder_says_so(tmp_path):
    page = write_index(tmp_path, language="en").read_text(encoding="utf-8")
    assert "No reports have been built yet." in page


@pytest.mark.slow
@pytest.mark.parametrize(("language", "other"), [("id", "en"), ("en", "id")])
def test_each_report_links_its_other_edition_and_its_pdf(built, language, other):
    from pypdf import PdfReader

    paths = report_paths(built, Q1, language)
    own, other_html = paths["html"], report_paths(built, Q1, other)["html"]
    page = own.read_text(encoding="utf-8")
    assert f'<a href="{other_html.name}" hreflang="{other}" lang="{other}">' in page
    assert f'<li class="screen-only"><a href="{paths["pdf"].name}"' in page
    assert other_html.exists() and paths["pdf"].exists()
    # In the PDF the link to the other edition stays relative (the build folder is temporary),
    # and the link to the PDF itself is hidden.
    uris = [
        annotation.get_object()["/A"].get("/URI")
        for pdf_page in PdfReader(paths["pdf"]).pages
        for annotation in pdf_page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    assert other_html.name in uris
    assert paths["pdf"].name not in uris
    assert not [uri for uri in uris if uri and uri.startswith("file:")]


def test_an_unchanged_page_is_left_as_it_is_and_a_changed_one_replaced(out):
    first = write_index(out)
    before = first.stat()
    assert write_index(out).stat().st_ino == before.st_ino  # nothing new: not even rewritten
    english = write_index(out, language="en")
    assert english.stat().st_ino != before.st_ino
    assert '<html lang="en">' in english.read_text(encoding="utf-8")
    assert not list(out.glob(".index.*"))
