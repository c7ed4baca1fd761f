"""Bilingual editions from one source: no Indonesian in the English edition, no English in the
Indonesian one. Every visible text node is checked against the other language's common words,
less a short allow-list of proper names, acronyms and terms the model report itself uses.

Skipped: identifiers (snake_case codes, in <code> or in data-check messages) and cells marked
``translate="no"``, which quote the data files' source and note columns as supplied.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.slow

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
    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "meta", "link", "hr", "input"):
            return
        quoted = dict(attrs).get("translate") == "no" or tag in ("code", "style", "script", "title")
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
    parser = _VisibleText()
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


@pytest.mark.parametrize(("language", "foreign"), [("en", INDONESIAN), ("id", ENGLISH)])
def test_no_text_from_the_other_language(built, language, foreign):
    path = built / f"laporan-kinerja-jkn-2024Q1.{language}.html"
    assert _leaks(path, foreign) == []
