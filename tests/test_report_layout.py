"""The report's layout as a careful editor leaves it: numbering of captions, Table 1.2.

Rendered from the shipped data of 2024 Q1, section by section (no notebook, no PDF).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jkn_analysis.report import QuarterlyReport

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
    # The caption is written in the figcaption and in the image's alt text: same number.
    numbers = re.findall(rf"{report.text('chart')} (\d+\.\d+) ", html)
    assert numbers == [number for number in captions(html, report.text("chart")) for _ in (1, 2)]
