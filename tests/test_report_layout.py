"""The report's layout as a careful editor leaves it: numbering of captions, Table 1.2.

Rendered from the shipped data of 2024 Q1, section by section (no notebook, no PDF).
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jkn_analysis.analysis.finance import comparable_flows
from jkn_analysis.report.quarterly import QuarterlyReport

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("participation", "facilities", "finance")
NUMBERS = {"participation": 1, "facilities": 2, "finance": 3}


@pytest.fixture(scope="module", params=["id", "en"])
def report(request) -> QuarterlyReport:
    return QuarterlyReport("2024Q1", language=request.param, data_dir=ROOT / "data")


def captions(html: str, word: str) -> list[str]:
    """Caption numbers of one kind (``Tabel`` or ``Grafik``) in the order the page first shows
    them (a chart's caption is also its image's alt text)."""
    return list(dict.fromkeys(re.findall(rf"{word} (\d+\.\d+) ", html)))


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("kind", ["table", "chart"])
def test_captions_numbered_in_order_of_appearance(report, section, kind):
    html = getattr(report, section)().html
    found = captions(html, report.text(kind))
    expected = [f"{NUMBERS[section]}.{index}" for index in range(1, len(found) + 1)]
    assert found, f"no {kind} captions in {section}"
    assert found == expected


def test_a_rendered_section_numbers_alike_when_rendered_again(report):
    first = report.participation().html
    assert report.participation().html == first


def test_chart_written_twice_keeps_its_number(report):
    html = report.participation().html
    # The caption is written in the figcaption, the image's text alternative and the data
    # download's label: each time with the same number, one chart after the other.
    numbers = re.findall(rf"{report.text('chart')} (\d+\.\d+) ", html)
    runs = [number for number, _ in itertools.groupby(numbers)]
    assert runs == captions(html, report.text("chart"))
    assert all(numbers.count(number) >= 2 for number in runs)


class SegmentTable(HTMLParser):
    """Rows of the active-participant table (Table 1.2) as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._inside = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "segments" in (dict(attrs).get("class") or ""):
            self._inside = True
        elif self._inside and tag == "tr":
            self.rows.append([])
        elif self._inside and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._inside = False
        elif self._inside and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def segment_rows(report: QuarterlyReport) -> list[list[str]]:
    parser = SegmentTable()
    parser.feed(report.participation().html)
    return [
        row for row in parser.rows if row and not row[0].startswith(report.text("column_segment"))
    ]


def test_segment_table_laid_out_like_the_model_report():
    report = QuarterlyReport("2024Q1", data_dir=ROOT / "data")
    rows = segment_rows(report)
    # Header rows hold no segment; the body starts with A. PBI.
    body = rows[[row[0] for row in rows].index("A. Penerima Bantuan Iuran (PBI)") :]
    labels = [row[0] for row in body]
    assert labels == [
        "A. Penerima Bantuan Iuran (PBI)",
        "B. Bukan Penerima Bantuan Iuran",
        "1 PPU Penyelenggara Negara",
        "2 PPU Non Penyelenggara Negara",
        "a. BUMN",
        "b. BU Swasta",
        "3 Pekerja Bukan Penerima Upah (PBPU)",
        "4 Bukan Pekerja (BP)",
        "a. BP Penyelenggara Negara (BP PN)",
        "b. BP Swasta (BP Non PN)",
        "Total B",
        "C. PBPU Pemda",
        "Total Peserta",
    ]
    heading, total_b, grand_total = body[1], body[10], body[12]
    # The heading carries no figures; the totals carry them, under their parts (model report:
    # Total B 75.223.901 in Mar-24, change +487.124; Total Peserta 214.501.609, +959.421).
    assert all(cell == "" for cell in heading[1:])
    assert total_b[4] == "75.223.901" and total_b[-1] == "+487.124"
    assert grand_total[4] == "214.501.609" and grand_total[-1] == "+959.421"


def test_year_to_date_flows_never_beside_full_years(report):
    """2024 Q1: the data hold full years 2021-2023 but no first quarter of an earlier year
    and no seasonal profile, so TW I 2024 is not drawn beside them and the note says why."""
    flows = comparable_flows(report.analysis)
    assert flows.caption == "caption_income_claims_full_years"
    assert [period.year for period in flows.frame["period"].unique()] == [2021, 2022, 2023]
    assert set(flows.frame["label"]) == {"year"}
    assert not flows.frame["estimated"].any()
    assert flows.note == "flows_not_comparable"
    note = report.text(flows.note, period=report.quarter.label(report.language))
    html = report.finance().html
    assert report.text("caption_income_claims_full_years") in html
    assert note.split()[0] in html
