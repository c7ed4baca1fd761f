"""Figures the source gives at another date than the quarter's end are dated in the report.

The model report gives BOPO and the ICK realisation of its Q1 2024 edition "per Juni 2024"
(``as_of`` 2024-06 in ``data/2024Q1/figures.csv``): the table, the sentence, the chart, the
headline card and ``indicators.json`` say so, in either language; 2023Q4, with no such figure,
is worded as before.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path

import pytest

from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.report.quarterly import QuarterlyReport
from jkn_analysis.report.rendering import as_at, dated, month_name, stated_when

DATA = Path(__file__).resolve().parents[1] / "data"
JUNE = dt.date(2024, 6, 1)
WORDS = {
    "id": {
        "header": "Realisasi per Juni 2024",
        "sentence": "telah tercapai 94,8% pada Juni 2024.",
        "bopo_row": "BOPO per Juni 2024",
        "bopo_sentence": "(BOPO) per Juni 2024 berada di posisi 101,21%*",
        "caption": "Peserta Aktif 2024 dan Realisasi per Juni 2024",
        "legend": "Realisasi per Juni 2024",
        "quarter_header": "Realisasi Mar-24",
    },
    "en": {
        "header": "Realised as at June 2024",
        "sentence": "was 94.8% attained in June 2024.",
        "bopo_row": "BOPO (operating expense ratio) as at June 2024",
        "bopo_sentence": "(BOPO) stood at 101.21%* as at June 2024",
        "caption": "Active Participants, 2024, and Realisation as at June 2024",
        "legend": "Realised as at June 2024",
        "quarter_header": "Realised Mar-24",
    },
}


def plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture(scope="module", params=["id", "en"])
def edition(request) -> tuple[str, QuarterlyReport]:
    return request.param, QuarterlyReport("2024Q1", language=request.param, data_dir=DATA)


class TestWording:
    @pytest.mark.parametrize(
        ("language", "month", "as_at_words", "quarter"),
        [
            ("id", "Juni 2024", "per Juni 2024", "TW I 2024"),
            ("en", "June 2024", "as at June 2024", "Q1 2024"),
        ],
    )
    def test_helpers(self, language, month, as_at_words, quarter):
        assert month_name(JUNE, language) == month
        assert as_at(JUNE, language) == as_at_words
        assert as_at(None, language) == ""
        assert dated("BOPO", JUNE, language) == f"BOPO {as_at_words}"
        assert dated("BOPO", None, language) == "BOPO"
        assert stated_when(JUNE, Quarter(2024, 1), language) == month
        assert stated_when(None, Quarter(2024, 1), language) == quarter


class TestDated2024Q1:
    def test_ick_table_header_and_sentence(self, edition):
        language, report = edition
        html = report.participation().html
        words = WORDS[language]
        assert f'scope="col">{words["header"]}</th>' in html
        assert words["quarter_header"] not in html
        assert words["sentence"] in plain(html)

    def test_ick_chart_caption_and_legend(self, edition):
        language, report = edition
        html = report.participation().html
        assert WORDS[language]["caption"] in plain(html)
        # The legend is drawn in the SVG; its text is in the chart's drawing.
        images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
        drawn = [base64.b64decode(image).decode("utf-8") for image in images]
        assert any(WORDS[language]["legend"] in svg for svg in drawn)

    def test_bopo_row_and_sentence(self, edition):
        language, report = edition
        html = report.finance().html
        assert f'<th scope="row">{WORDS[language]["bopo_row"]}</th>' in html
        assert WORDS[language]["bopo_sentence"] in plain(html)

    def test_headline_card(self, edition):
        language, report = edition
        html = report.executive_summary().html
        assert as_at(JUNE, language) in html

    def test_appendix_value_cell(self, edition):
        language, report = edition
        html = report.appendix().html
        value = "101,21%" if language == "id" else "101.21%"
        assert f'<td class="num">{value} {as_at(JUNE, language)}</td>' in html

    def test_indicators_json_adds_as_of_only(self, edition):
        _, report = edition
        records = report.indicators_document()["indicators"]
        dated_codes = {
            (r["code"], r.get("segment")) for r in records if r.get("as_of") == "2024-06"
        }
        assert ("bopo", None) in dated_codes
        assert {("ick_attainment", s) for s in ("ppu", "pbpu", "bp", "total")} <= dated_codes
        assert all("as_of" not in r or r["as_of"] == "2024-06" for r in records)
        bopo = next(r for r in records if r["code"] == "bopo")
        assert bopo["value"] == 101.21 and bopo["method"] == "reported"


@pytest.mark.parametrize("language", ["id", "en"])
def test_2023q4_is_not_dated(language):
    report = QuarterlyReport("2023Q4", language=language, data_dir=DATA)
    html = report.participation().html + report.finance().html + report.executive_summary().html
    assert not re.search(r"\b(per|as at) [A-Z][a-z]+ \d{4}", plain(html))
    assert all("as_of" not in r for r in report.indicators_document()["indicators"])
