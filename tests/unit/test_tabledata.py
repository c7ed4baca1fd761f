"""The data behind tables and charts: numbers read back as shown, accessible table markup."""

from __future__ import annotations

import pandas as pd
import pytest

from jkn_analysis.catalogue.formatting import (
    format_compact,
    format_percent,
    format_rupiah,
    format_signed,
)
from jkn_analysis.report.quarterly import load_text
from jkn_analysis.report.tabledata import (
    accessible_tables,
    chart_description,
    chart_records,
    csv_text,
    draft_mark_uri,
    read_displayed,
    tables_in,
)


def wording(language):
    def text(key, **values):
        entry = load_text()
        for part in key.split("."):
            entry = entry[part]
        return entry[language].format(**values) if values else entry[language]

    return text


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (lambda lang: format_compact(269_500_000, 1, language=lang), 269_500_000),
        (lambda lang: format_percent(76.41, language=lang), 76.41),
        (lambda lang: format_rupiah(43.32e12, language=lang), 43_320_000_000_000),
        (lambda lang: format_signed(-28148, language=lang), -28148),
        (lambda lang: format_signed(0.45, 2, language=lang, percent=True), 0.45),
    ],
)
def test_numbers_are_read_back_as_the_report_writes_them(language, written, expected):
    assert read_displayed(written(language), language) == pytest.approx(expected)


@pytest.mark.parametrize("cell", ["Peserta aktif", "–", "", "TW I 2024", "1.234,5,6"])
def test_cells_that_are_not_one_number_stay_text(cell):
    assert read_displayed(cell, "id") is None


def test_a_captioned_table_gets_caption_scopes_row_headers_and_its_csv():
    html = (
        '<p class="table-caption">Tabel 1.1 Cakupan</p>'
        '<table class="data"><thead><tr><th>Indikator</th><th colspan="2">Nilai</th></tr></thead>'
        "<tbody><tr><td>Peserta aktif</td><td>214.501.609</td><td>76,41%</td></tr></tbody></table>"
    )
    result = accessible_tables(html, "id", wording("id"))
    assert 'class="table-caption"' not in result
    assert "<caption>Tabel 1.1 Cakupan</caption>" in result
    assert '<th scope="col">Indikator</th>' in result
    assert '<th colspan="2" scope="colgroup">Nilai</th>' in result
    assert '<th scope="row">Peserta aktif</th>' in result
    assert 'class="table-scroll"' in result and 'download="tabel-1-1.csv"' in result
    (table,) = tables_in(result)
    assert table.header == [["Indikator", "Nilai", "Nilai"]]
    assert table.body == [["Peserta aktif", "214.501.609", "76,41%"]]
    assert "214501609,76.41" in csv_text([[*table.body[0][:1], 214501609, 76.41]])


def test_chart_text_alternative_states_each_value_or_the_trend():
    text = wording("en")
    short = pd.DataFrame({"period": ["Dec-23", "Mar-24"], "value": [23626, 23245]})
    described = chart_description(short, str, lambda column: column, text)
    assert described == "Dec-23 23626; Mar-24 23245"
    long = pd.DataFrame(
        {
            "period": [f"Q{i}" for i in range(8)],
            "series": "ratio",
            "value": [1, 5, 3, 9, 2, 4, 6, 7],
        }
    )
    described = chart_description(long, str, lambda column: column, text)
    assert described == "ratio: from 1 (Q0) to 7 (Q7); highest 9 (Q3), lowest 1 (Q0)"
    rows = chart_records(long.assign(reported=False), lambda column: column.title())
    assert rows[0] == ["Series", "Period", "Value"]  # the True/False flag is not data


def test_the_draft_mark_is_outlines_not_text():
    import base64

    svg = base64.b64decode(draft_mark_uri("DRAF").split(",", 1)[1]).decode()
    assert "<path" in svg and "DRAF" not in svg and "<text" not in svg


def test_the_data_workbook_is_the_same_file_for_the_same_inputs(tmp_path, monkeypatch):
    import time
    import zipfile

    import openpyxl

    from jkn_analysis.report.tabledata import write_workbook

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1711843201")  # 2024-03-31 00:00:01 UTC
    html = (
        "<table><caption>Tabel 1.1 Peserta</caption><thead><tr><th>Segmen</th><th>Jiwa</th>"
        "</tr></thead><tbody><tr><th>PBI</th><td>96.738.800</td></tr></tbody></table>"
    )
    indicators = [{"code": "active_share", "value": 76.41, "unit": "percent", "period": "2024Q1"}]
    paths = [tmp_path / "first.xlsx", tmp_path / "second.xlsx"]
    for path in paths:
        write_workbook(html, indicators, path, "id", lambda key: key, lambda code: code)
        time.sleep(2.1)  # a zip entry's time has two-second steps: saved later, stamped alike
    assert paths[0].read_bytes() == paths[1].read_bytes()
    with zipfile.ZipFile(paths[0]) as saved:
        assert {entry.date_time for entry in saved.infolist()} == {(2024, 3, 31, 0, 0, 0)}
    workbook = openpyxl.load_workbook(paths[0])
    assert workbook.properties.created.isoformat().startswith("2024-03-31T00:00:01")
    assert workbook.properties.modified.isoformat().startswith("2024-03-31T00:00:01")
    assert workbook.worksheets[0]["A1"].value == "Tabel 1.1 Peserta"
