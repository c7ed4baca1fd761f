"""The analyst's review in the built report: draft mark while recommendations are undecided,
final once all are decided, and commentary rendered as inert text in HTML and PDF."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from jkn_analysis.build.quarter import build_quarter
from jkn_analysis.catalogue.periods import Quarter

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = (
    "Catatan <script>alert('x')</script> dan <img src=x onerror=alert(1)> "
    "![gambar](http://example.org/x.png) [tautan](javascript:alert(1))"
)

pytestmark = pytest.mark.slow


def test_shipped_review_leaves_the_new_rules_undecided(built):
    document = json.loads((built / "indicators.json").read_text(encoding="utf-8"))
    assert document["status"] == "draft"
    undecided = {r["rule_id"] for r in document["recommendations"] if r["decision"] == "undecided"}
    assert undecided == {"registration_coverage", "pbi_pemda_data_validation", "fktp_network"}
    html = (built / "laporan-kinerja-jkn-2024Q1.id.html").read_text(encoding="utf-8")
    english = (built / "laporan-kinerja-jkn-2024Q1.en.html").read_text(encoding="utf-8")
    for page, word in ((html, "DRAF"), (english, "DRAFT")):
        mark = page.split('class="draft-mark"')[1].split("</div>")[0]
        # Drawn as glyph outlines (a background image), never as text.
        assert "background-image: url('data:image/svg+xml;base64," in mark
        assert word not in mark
    reader = PdfReader(built / "laporan-kinerja-jkn-2024Q1.id.pdf")
    texts = [page.extract_text() for page in reader.pages]
    # Out of the text layer: only the draft banner and the undecided recommendations' own
    # "DRAF" tag say it in words (a watermark in the text would be on every page).
    assert 1 <= sum("DRAF" in text for text in texts) <= 1 + len(undecided)
    assert len(texts) > 1 + len(undecided)


@pytest.fixture(scope="module")
def decided(tmp_path_factory):
    """2024Q1 with every recommendation decided and a hostile commentary."""
    root = tmp_path_factory.mktemp("decided")
    data = root / "data"
    shutil.copytree(ROOT / "data", data)
    review_file = data / "2024Q1" / "review.yaml"
    review = yaml.safe_load(review_file.read_text(encoding="utf-8"))
    for rule_id, entry in review["recommendations"].items():
        if entry["decision"] == "undecided":
            review["recommendations"][rule_id] = {"decision": "drop", "reason": "uji"}
    review["commentary"]["participation"] = {"id": HOSTILE, "en": HOSTILE}
    review_file.write_text(yaml.safe_dump(review, allow_unicode=True), encoding="utf-8")
    result = build_quarter(Quarter(2024, 1), data_dir=data, out_dir=root / "reports")
    return result.folder


def test_final_once_every_recommendation_is_decided(decided):
    document = json.loads((decided / "indicators.json").read_text(encoding="utf-8"))
    assert document["status"] == "final"
    html = (decided / "laporan-kinerja-jkn-2024Q1.id.html").read_text(encoding="utf-8")
    assert "draft-mark" not in html.split("</style>")[1]
    dropped = {r["rule_id"] for r in document["recommendations"] if r["decision"] == "drop"}
    assert dropped == {"registration_coverage", "pbi_pemda_data_validation", "fktp_network"}
    # Dropped recommendations are left out of the body and listed in the audit trail.
    body, appendix = html.split('id="section-appendix"')
    assert 'id="rec-fktp_network"' not in body
    trail = appendix.split('id="audit-trail"')[1]
    assert "<code>fktp_network</code>" in trail
    assert "dibatalkan analis (tidak dimuat)" in trail


def test_body_reads_like_a_publication(built):
    """Recommendations show title, text and evidence; rule ids, decisions, analyst notes and
    threshold sources are only in the appendix's audit trail; a draft keeps its DRAF mark."""
    for language, draft, note in (
        ("id", "DRAF", "Dimuat dalam laporan DJSN"),
        ("en", "DRAFT", "Included in DJSN's published report"),
    ):
        html = (built / f"laporan-kinerja-jkn-2024Q1.{language}.html").read_text(encoding="utf-8")
        body, appendix = html.split("</style>")[-1].split('id="section-appendix"')
        for machinery in ("<code>", "fraud_prevention<", note, "Aturan"):
            assert machinery not in body, (language, machinery)
        # Threshold sources (RPJMN targets among them) stay out of the recommendation cards;
        # the projection's scenario table may name the RPJMN targets a scenario aims at.
        cards = body.split('<div class="recommendation')[1:]
        assert cards and not any("RPJMN" in card.split("</div>")[0] for card in cards)
        assert f'<span class="rec-draft">{draft}</span>' in body
        trail = appendix.split('id="audit-trail"')[1].split("</table>")[0]
        assert "<code>fraud_prevention</code>" in trail
        assert note in trail
        assert "RPJMN" in trail


def test_hostile_commentary_is_inert_text(decided):
    html = (decided / "laporan-kinerja-jkn-2024Q1.id.html").read_text(encoding="utf-8")
    body = html.split("</style>")[1]
    assert "<script" not in body
    assert "onerror=" not in body.replace("onerror=alert(1)&gt;", "")
    assert 'href="javascript:' not in body
    assert "&lt;script&gt;alert(" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    text = " ".join(
        p.extract_text() for p in PdfReader(decided / "laporan-kinerja-jkn-2024Q1.id.pdf").pages
    )
    assert "<script>alert('x')</script>" in text or "<script>alert(" in text
    assert "<img src=x onerror=alert(1)>" in text


def test_body_carries_the_model_reports_explanations(built):
    """Section II's RJTL paragraph and RITL cases in order, section III's explanation of the
    claim-ratio rise, and a footnote where the published non-active share is recomputed."""
    html = (built / "laporan-kinerja-jkn-2024Q1.id.html").read_text(encoding="utf-8")
    body = html.split("</style>")[-1].split('id="section-appendix"')[0]
    assert "Pembayaran manfaat RJTL sampai 31 Maret 2024 mencapai Rp13,26 triliun" in body
    assert "penyakit kronis kecil lain-lain, sejumlah 18,95 juta kasus" in body
    assert "prosedur dialisis sejumlah 1,7 juta kasus" in body
    assert "Kasus RITL terbanyak berturut-turut adalah nyeri abdomen" in body
    assert "Permenkes 3/2023" in body
    assert "PHK/pengunduran diri" in body
    assert "17,57%†" in body
    assert "menyebut peserta non aktif terhadap peserta terdaftar sebesar 18,8%" in body
    english = (built / "laporan-kinerja-jkn-2024Q1.en.html").read_text(encoding="utf-8")
    assert "primary outpatient care (RJTP)" in english
    assert "(rjtp)" not in english
    assert "Minister of Health Regulation 3/2023" in english
