"""Bilingual editions from one source: no Indonesian in the English edition, no English in the
Indonesian one. Every visible text node is checked against the other language's common words,
less a short allow-list of proper names, acronyms and terms the model report itself uses.

Skipped: identifiers (snake_case codes, in <code> or in data-check messages) and text marked
as being in another language (``lang="id"`` in the English edition: the data files' source and
note columns, quoted as supplied, and analyst notes given in Indonesian only). Being quoted
(``translate="no"``) is no excuse: what is not marked must be in the edition's language.

Besides 2024Q1, the report of 2023Q4 (a period with few figures, whose sections say more about
missing data) is built in both languages.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jkn_analysis.build.quarter import build_quarter, editions_of
from jkn_analysis.catalogue.periods import Quarter

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]

INDONESIAN = {
    "dan",
    "yang",
    "dari",
    "dengan",
    "untuk",
    "peserta",
    "pada",
    "atau",
    "tidak",
    "sebesar",
    "dibanding",
    "juta",
    "ribu",
    "triliun",
    "miliar",
    "jiwa",
    "bulan",
    "tahun",
    "sumber",
    "dalam",
    "belum",
    "tersedia",
    "naik",
    "turun",
    "kunjungan",
    "beban",
    "jaminan",
    "iuran",
    "rasio",
    "klaim",
    "halaman",
    "lampiran",
    "tabel",
    "grafik",
    "sebagai",
    "oleh",
    "ini",
    "telah",
    "masih",
    "agar",
    "perlu",
    "aktif",
    "terdaftar",
    "penduduk",
    "segmen",
    "rujukan",
    "keuangan",
    "kesimpulan",
    "rekomendasi",
    "ringkasan",
    "indikator",
    "capaian",
    "perubahan",
    "pertumbuhan",
    "porsi",
    "selisih",
    "berkas",
    "nilai",
    "dipublikasikan",
    "turunan",
}
ENGLISH = {
    "the",
    "and",
    "of",
    "with",
    "for",
    "participants",
    "from",
    "by",
    "is",
    "are",
    "was",
    "million",
    "billion",
    "trillion",
    "source",
    "table",
    "chart",
    "page",
    "appendix",
    "not",
    "yet",
    "available",
    "year",
    "months",
    "claims",
    "premium",
    "income",
    "growth",
    "share",
    "active",
    "registered",
    "population",
    "visits",
    "referrals",
    "recommendation",
    "summary",
    "published",
    "derived",
    "value",
    "change",
    "than",
    "since",
    "below",
    "above",
    "within",
}
# Proper names, acronyms and terms used as such in both editions.
ALLOWED_PHRASES = (
    "Laporan Kinerja Program JKN Triwulan I Tahun 2024",  # DJSN's report, cited by its title
    "Laporan Kinerja Program JKN",  # the title of DJSN's report, cited by name
    "ability to pay",
    "gatekeeper",
    "fraud",
    "prospective",
    "concurrent",
    "retrospective",
    "Dewan Jaminan Sosial Nasional",
    "Jaminan Kesehatan Nasional",
    "BPJS Kesehatan",
    "Kelas Rawat Inap Standar",
    "Penerima Bantuan Iuran",
    "Pekerja Bukan Penerima Upah",
    "Pekerja Penerima Upah",
    "Bukan Pekerja",
    "Surat Utang Negara",
    "Dana Jaminan Sosial",
)


class _VisibleText(HTMLParser):
    """Visible text of the page in ``language``; text marked as another language is left out."""

    def __init__(self, language: str):
        super().__init__()
        self.language = language
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "meta", "link", "hr", "input"):
            return
        marked = dict(attrs).get("lang") not in (None, self.language)
        quoted = marked or tag in ("code", "style", "script", "title")
        self.stack.append((tag, quoted))

    def handle_startendtag(self, tag, attrs):
        """``<br/>``, ``<img/>``: nothing opens, so nothing may close."""

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not any(quoted for _, quoted in self.stack) and data.strip():
            self.texts.append(" ".join(data.split()))


def _leaks(path, foreign: set[str]) -> list[tuple[str, str]]:
    parser = _VisibleText("en" if foreign is INDONESIAN else "id")
    parser.feed(path.read_text(encoding="utf-8"))
    leaks = []
    for text in parser.texts:
        cleaned = text
        for phrase in ALLOWED_PHRASES:
            cleaned = cleaned.replace(phrase, " ")
        for word in re.findall(r"[A-Za-zÀ-ÿ_]+", cleaned):
            if "_" not in word and word.lower() in foreign:
                leaks.append((word, text[:120]))
    return leaks


EDITIONS = [("en", INDONESIAN), ("id", ENGLISH)]


@pytest.mark.parametrize(("language", "foreign"), EDITIONS)
def test_no_text_from_the_other_language(built, language, foreign):
    path = built / f"laporan-kinerja-jkn-2024Q1.{language}.html"
    assert _leaks(path, foreign) == []


@pytest.fixture(scope="module")
def built_2023q4(tmp_path_factory):
    """The 2023Q4 report from the shipped data, in both languages."""
    out = tmp_path_factory.mktemp("reports-2023Q4")
    return build_quarter(
        Quarter(2023, 4), languages=("id", "en"), data_dir=ROOT / "data", out_dir=out
    ).folder


# The projection section's sentence when its inputs are missing quotes the projection module's
# English reason in every edition: fixed with the projection (issue 12), tested apart below.
PROJECTION_UNAVAILABLE = ("Proyeksi belum dapat dihitung:", "The projection cannot be computed:")


@pytest.mark.parametrize(("language", "foreign"), EDITIONS)
def test_no_text_from_the_other_language_in_a_thin_period(built_2023q4, language, foreign):
    path = built_2023q4 / f"laporan-kinerja-jkn-2023Q4.{language}.html"
    leaks = [
        leak for leak in _leaks(path, foreign) if not leak[1].startswith(PROJECTION_UNAVAILABLE)
    ]
    assert leaks == []


def test_the_projection_reason_is_in_the_edition_language(built_2023q4):
    path = built_2023q4 / "laporan-kinerja-jkn-2023Q4.id.html"
    assert _leaks(path, ENGLISH) == []


class _MarkedText(HTMLParser):
    """The text of each element, with the language it is marked with (None: the page's)."""

    def __init__(self):
        super().__init__()
        self.stack: list[str | None] = []
        self.texts: list[tuple[str | None, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "img", "meta", "link", "hr", "input"):
            self.stack.append(dict(attrs).get("lang") or (self.stack[-1] if self.stack else None))

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if data.strip():
            self.texts.append((self.stack[-1] if self.stack else None, " ".join(data.split())))


def _marked(path) -> list[tuple[str | None, str]]:
    parser = _MarkedText()
    parser.feed(path.read_text(encoding="utf-8").split("<body", 1)[1])
    return parser.texts


def test_quoted_indonesian_is_marked_in_the_english_edition(built):
    texts = _marked(built / "laporan-kinerja-jkn-2024Q1.en.html")
    marked = [text for language, text in texts if language == "id"]
    # The data files' sources and notes, quoted as supplied.
    assert any(text.startswith("DJSN, Laporan Kinerja Program JKN Triwulan I") for text in marked)
    assert any(text.startswith("Laporan menyebut angka ini") for text in marked)
    # The shipped review gives its notes in both languages: the English one, not marked.
    note = "Included in DJSN's published report for Quarter 1, 2024"
    assert (None, note) in texts and note not in marked
    # The Indonesian edition marks as English only the cover's link to the English edition,
    # worded in that edition's language; its quotes are in its own language.
    texts = _marked(built / "laporan-kinerja-jkn-2024Q1.id.html")
    assert {language for language, _ in texts} <= {None, "id", "en"}
    assert [text for language, text in texts if language == "en"] == ["Read in English"]


def test_data_checks_carry_codes_and_both_languages(built):
    document = json.loads((built / "indicators.json").read_text(encoding="utf-8"))
    record = json.loads((built / "build.json").read_text(encoding="utf-8"))
    checks = document["data_checks"]
    # Each edition's record carries the same data checks as indicators.json.
    assert checks and all(e["warnings"] == checks for e in editions_of(record).values())
    for check in checks:
        assert check["severity"] in ("error", "warning") and check["problem"]
        assert set(check["message"]) == {"id", "en"}
        assert check["message"]["id"] != check["message"]["en"]
    gap = next(check for check in checks if check["problem"] == "registered_vs_non_active")
    assert gap["code"] == "non_active_total" and gap["period"] == "2024Q1"
    assert gap["message"]["en"].startswith("non_active_total (Non-active participants), 2024Q1:")
