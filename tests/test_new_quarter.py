"""The analyst's path for a new quarter: template, fill, validate, build.

The 2024Q2 values below are test inputs made up for the test, not published figures; they live
only in a temporary folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from jkn_analysis.cli import main

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

FILLED = {
    "active_pbi": "96.800.000",
    "active_ppu_pn": "18.150.000",
    "active_ppu_bumn": "1.366.000",
    "active_ppu_private": 34_400_000,  # a real numeric cell, as Excel stores it
    "active_pbpu": "16.300.000",
    "active_bp_pn": "4.700.000",
    "active_bp_private": "440.000",
    "active_pbpu_pemda": "42.900.000",
    "fktp_total": "23.300",
    "premium_income": "80,1",
    "claims_expense_total": "88,5",
}
MISTAKES = {
    "active_pbi": "96.8OO.000",  # the letter O for a zero
    "fktp_total": "-23.300",  # a negative count
    "premium_income": "1.234",  # ambiguous with the unit "triliun rupiah"
}


def _fill(workbook_path: Path, values: dict) -> None:
    workbook = openpyxl.load_workbook(workbook_path)
    for sheet in workbook.worksheets:
        if sheet.title == "_jkn":
            continue
        header = [cell.value for cell in sheet[1]]
        code_column, value_column = header.index("code") + 1, header.index("value") + 1
        for row in range(2, sheet.max_row + 1):
            code = sheet.cell(row, code_column).value
            if code in values:
                sheet.cell(row, value_column).value = values[code]
    workbook.save(workbook_path)


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    for period in ("2023Q1", "2023Q4", "2024Q1"):
        shutil.copytree(ROOT / "data" / period, folder / period)
    return folder


def test_golden_path(data, tmp_path, capsys):
    assert main(["new-quarter", "2024Q2", "--data", str(data)]) == 0
    workbook = data / "2024Q2" / "figures.xlsx"
    assert workbook.exists() and (data / "2024Q2" / "figures.csv").exists()
    _fill(workbook, FILLED)
    capsys.readouterr()
    assert main(["validate", "2024Q2", "--data", str(data)]) == 0
    assert "2024Q2: 0 kesalahan" in capsys.readouterr().out
    out = tmp_path / "reports"
    assert main(["build", "2024Q2", "--data", str(data), "--out", str(out)]) == 0
    document = json.loads((out / "2024Q2" / "indicators.json").read_text(encoding="utf-8"))
    found = {(i["code"], i.get("segment")): i for i in document["indicators"]}
    assert found[("active_participants", "total")]["value"] == 215_056_000
    change = found[("active_change_vs_previous_quarter", "total")]
    assert change["value"] == 215_056_000 - 214_501_609
    assert change["inputs"] == ["active_total", "active_total@2024Q1"]
    assert found[("fktp_change_vs_previous_quarter", None)]["value"] == 23_300 - 23_245
    assert found[("claim_ratio", None)]["value"] == 110.5
    # An incomplete period builds; what is missing is said where it would be, and listed.
    html = (out / "2024Q2" / "laporan-kinerja-jkn-2024Q2.id.html").read_text(encoding="utf-8")
    assert "data belum tersedia" in html
    assert "Data belum tersedia untuk periode ini" in html
    assert "Jumlah penduduk" in html.split("Data belum tersedia untuk periode ini")[1]
    # Totals derived from their parts are described in the report's language.
    assert "jumlah PPU Penyelenggara Negara + PPU Non Penyelenggara Negara + " in html
    assert "sum of" not in html


def test_three_planted_mistakes_are_named(data, capsys):
    assert main(["new-quarter", "2024Q2", "--data", str(data)]) == 0
    _fill(data / "2024Q2" / "figures.xlsx", {**FILLED, **MISTAKES})
    capsys.readouterr()
    assert main(["validate", "2024Q2", "--data", str(data), "--lang", "en"]) == 1
    printed = capsys.readouterr().out
    assert printed.startswith("2024Q2: 3 errors")
    assert "sheet I Participation" not in printed  # the template was written in Indonesian
    for code, found in MISTAKES.items():
        line = next(line for line in printed.splitlines() if f", {code} (" in line)
        assert "2024Q2/figures.xlsx, sheet " in line and ", row " in line
        assert repr(found) in line or found in line
    assert "'1.234' could mean" in printed  # both readings are shown, none is guessed


def test_both_files_filled_is_a_duplicate(data, capsys):
    assert main(["new-quarter", "2024Q2", "--data", str(data)]) == 0
    _fill(data / "2024Q2" / "figures.xlsx", {"fktp_total": "23.300"})
    csv = data / "2024Q2" / "figures.csv"
    csv.write_text(
        csv.read_text(encoding="utf-8").replace("2024Q2,fktp_total,", "2024Q2,fktp_total,", 1),
        encoding="utf-8",
    )
    lines = csv.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    for number, line in enumerate(lines):
        cells = line.split(",")
        if len(cells) > 1 and cells[1] == "fktp_total":
            cells[header.index("value")] = "23300"
            lines[number] = ",".join(cells)
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "2024Q2", "--data", str(data)]) == 1
    assert "fktp_total" in capsys.readouterr().out


def test_new_quarter_never_overwrites(data, capsys):
    before = (data / "2024Q1" / "figures.csv").read_bytes()
    assert main(["new-quarter", "2024Q1", "--data", str(data)]) == 1
    assert "sudah memuat berkas data" in capsys.readouterr().err
    assert (data / "2024Q1" / "figures.csv").read_bytes() == before
