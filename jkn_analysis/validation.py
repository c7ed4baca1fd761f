"""Data checks: every problem in a period's files, named by file, row and figure.

Hard errors stop the build (`DataValidationError`); soft checks become warnings printed in the
report's data-check appendix. Messages are in Indonesian or English (`MESSAGES`).
`jkn_analysis.loading.validate_period` checks a period without raising and returns a
`ValidationResult`; `format_validation` prints it for ``jkn-report validate``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Literal, Protocol

import pandas as pd
import pandera.pandas as pa
from babel.numbers import format_decimal

from jkn_analysis.catalogue import LANGUAGES, Bounds, Catalogue, load_catalogue
from jkn_analysis.formatting import format_compact, format_number
from jkn_analysis.numbers import written_decimals

if TYPE_CHECKING:
    pass

Severity = Literal["error", "warning"]

REQUIRED_COLUMNS = ("period", "code", "value", "unit")
OPTIONAL_COLUMNS = ("status", "source", "note", "label")
STATUSES = ("", "reported", "derived")

# Texts of problems and of the validation report, in Indonesian and English. {placeholders} are
# filled from DataIssue.details. A DataIssue's ``problem`` is its category (stable, for programs
# and tests); its ``message``, when set, is the key of a more specific text, such as
# ``bad_number.ambiguous`` for the ``bad_number`` problem.
MESSAGES: dict[str, dict[str, str]] = {
    # --- files and sheets --------------------------------------------------------------------
    "unreadable": {
        "id": "berkas tidak dapat dibaca: {reason}",
        "en": "the file cannot be read: {reason}",
    },
    "unreadable.xlsx": {
        "id": (
            "berkas tidak dapat dibaca: bukan buku kerja XLSX yang utuh (rusak atau berformat "
            "lain); buka di Excel lalu simpan ulang sebagai .xlsx"
        ),
        "en": (
            "the file cannot be read: it is not an intact XLSX workbook (damaged, or another "
            "format); open it in Excel and save it again as .xlsx"
        ),
    },
    "unreadable.xls": {
        "id": (
            "berkas tidak dapat dibaca: ini buku kerja Excel 97-2003 (.xls) yang diberi nama "
            ".xlsx; buka di Excel lalu simpan ulang sebagai .xlsx"
        ),
        "en": (
            "the file cannot be read: it is an Excel 97-2003 workbook (.xls) named .xlsx; open "
            "it in Excel and save it again as .xlsx"
        ),
    },
    "unreadable.not_utf8": {
        "id": 'berkas tidak dapat dibaca: teksnya bukan UTF-8; simpan ulang sebagai "CSV UTF-8"',
        "en": 'the file cannot be read: its text is not UTF-8; save it again as "CSV UTF-8"',
    },
    "unreadable.empty": {
        "id": (
            "berkas tidak dapat dibaca: berkas kosong; diharapkan baris judul dengan kolom "
            "period, code, value, unit"
        ),
        "en": (
            "the file cannot be read: it is empty; expected a header row with the columns "
            "period, code, value, unit"
        ),
    },
    "unreadable.csv": {
        "id": (
            "berkas tidak dapat dibaca: susunan CSV-nya rusak di baris ini atau sebelumnya "
            "(misalnya tanda kutip yang tidak ditutup); simpan ulang dari Excel sebagai CSV UTF-8"
        ),
        "en": (
            "the file cannot be read: its CSV structure breaks at this row or before (an "
            "unclosed quote, for example); save it again from Excel as CSV UTF-8"
        ),
    },
    "unreadable.csv_field_limit": {
        "id": (
            "berkas tidak dapat dibaca: sel yang dimulai di baris ini lebih panjang dari {limit} "
            'karakter, batas pembaca CSV; biasanya tanda kutip (") yang dibuka tanpa ditutup '
            "membuat sisa berkas terbaca sebagai satu sel: tutup tanda kutipnya, atau perpendek "
            "isi sel itu"
        ),
        "en": (
            "the file cannot be read: the cell starting at this row is longer than {limit} "
            'characters, the limit of the CSV reader; usually a quotation mark (") opened and '
            "never closed makes the rest of the file one cell: close the quote, or shorten the "
            "cell"
        ),
    },
    "unreadable.os": {
        "id": "berkas tidak dapat dibaca: berkas tidak dapat dibuka (periksa izin aksesnya)",
        "en": "the file cannot be read: it cannot be opened (check its access rights)",
    },
    "extra_fields": {
        "id": (
            "baris ini berisi {found} kolom, padahal baris judul berisi {expected}; baris ini "
            "tidak dibaca (ada pemisah atau tanda kutip yang berlebih?)"
        ),
        "en": (
            "this row has {found} fields, but the header row has {expected}; the row is not "
            "read (a stray separator or quote?)"
        ),
    },
    "password_protected": {
        "id": (
            "berkas dilindungi kata sandi, sehingga tidak dapat dibaca; diharapkan buku kerja "
            "tanpa kata sandi: buka di Excel, hapus kata sandinya, lalu simpan"
        ),
        "en": (
            "the file is protected with a password, so it cannot be read; expected a workbook "
            "without a password: open it in Excel, remove the password and save it"
        ),
    },
    "missing_sheet": {
        "id": (
            "lembar '{sheet_name}' tidak ada; buku kerja templat harus memuat lembar "
            "{expected}; ditemukan: {found}"
        ),
        "en": (
            "sheet '{sheet_name}' is missing; a template workbook must hold the sheets "
            "{expected}; found: {found}"
        ),
    },
    "no_data_sheet": {
        "id": (
            "tidak ada lembar dengan baris judul period, code, value, unit; lembar yang "
            "ditemukan: {found}"
        ),
        "en": "no sheet has a header row with period, code, value, unit; sheets found: {found}",
    },
    "missing_column": {
        "id": "kolom '{column}' tidak ada",
        "en": "column '{column}' is missing",
    },
    "duplicate_column": {
        "id": (
            "kolom '{column}' muncul lebih dari sekali di baris judul, sehingga tabel ini tidak "
            "dibaca; hapus atau ganti nama salah satunya"
        ),
        "en": (
            "column '{column}' appears more than once in the header row, so this table is not "
            "read; remove or rename one of them"
        ),
    },
    "formula_without_value": {
        "id": (
            "sel {column} berisi rumus {formula} tanpa hasil hitung yang tersimpan (berkas "
            "dibuat oleh program, bukan disimpan dari Excel?); buka di Excel lalu simpan ulang, "
            "atau ketik nilainya"
        ),
        "en": (
            "the {column} cell holds the formula {formula} without a stored result (a file "
            "written by a program rather than saved by Excel?); open it in Excel and save it "
            "again, or type the value"
        ),
    },
    "file_period": {
        "id": (
            "semua baris di sini untuk periode {found}, padahal berkas ini dibaca untuk "
            "{expected} (folder {expected}/)"
        ),
        "en": (
            "every row here is for period {found}, but this file is read for {expected} "
            "(folder {expected}/)"
        ),
    },
    "no_data": {
        "id": "tidak ada berkas .csv atau .xlsx untuk periode {expected} (folder {folder})",
        "en": "there are no .csv or .xlsx files for period {expected} (folder {folder})",
    },
    "unsupported_format": {
        "id": (
            "berkas {suffix} tidak dibaca: paket ini hanya membaca .xlsx dan .csv; buka berkas "
            "ini di Excel atau LibreOffice lalu simpan sebagai Buku Kerja Excel (.xlsx), atau "
            "pindahkan berkas ini keluar dari folder bila tidak diperlukan"
        ),
        "en": (
            "the {suffix} file is not read: the pack reads only .xlsx and .csv; open the file in "
            "Excel or LibreOffice and save it as an Excel Workbook (.xlsx), or move it out of "
            "the folder if it is not needed"
        ),
    },
    "not_filled": {
        "id": (
            "belum ada angka yang diisi di {files}; isi kolom value di salah satu berkas itu, "
            "lalu jalankan lagi"
        ),
        "en": (
            "no figure has been filled in yet in {files}; fill the value column of one of "
            "those files, then run this again"
        ),
    },
    "too_few_figures": {
        "id": (
            "hanya memuat {count} angka, terlalu sedikit untuk laporan tersendiri: laporan "
            "memerlukan angka utama dari sedikitnya {needed} dari {total} bagian ({key_figures}); "
            "yang ada: {found}. Angka periode ini tetap dipakai untuk tren dan perbandingan "
            "laporan periode lain"
        ),
        "en": (
            "holds only {count} figure(s), too few for a report of its own: a report needs "
            "the key figures of at least {needed} of its {total} sections ({key_figures}); "
            "present: {found}. The period's figures still feed the trends and comparisons of "
            "other periods' reports"
        ),
    },
    "misnamed_folder": {
        "id": (
            "folder '{found}' tidak dibaca karena namanya bukan nama periode; ganti namanya "
            "menjadi '{expected}' agar dibaca"
        ),
        "en": (
            "folder '{found}' is not read because its name is not a period name; rename it to "
            "'{expected}' to have it read"
        ),
    },
    "misnamed_folder.copy": {
        "id": (
            "folder '{found}' tidak dibaca: periode {expected} dibaca dari folder '{expected}' "
            "saja; pindahkan atau hapus folder ini bila tidak diperlukan"
        ),
        "en": (
            "folder '{found}' is not read: period {expected} is read from the folder "
            "'{expected}' only; move or delete this folder if it is not needed"
        ),
    },
    "misnamed_folder.file": {
        "id": (
            "berkas '{found}' tidak dibaca: berkas data sebuah periode disimpan di folder "
            "'{expected}' (misalnya {expected}/figures.xlsx)"
        ),
        "en": (
            "file '{found}' is not read: the data files of a period go in the folder "
            "'{expected}' (such as {expected}/figures.xlsx)"
        ),
    },
    # --- rows ---------------------------------------------------------------------------------
    "unknown_code": {
        "id": "kode figur '{code}' tidak dikenal di katalog",
        "en": "figure code '{code}' is not in the catalogue",
    },
    "unknown_code.close": {
        "id": "kode figur '{code}' tidak dikenal di katalog; mungkin maksudnya '{suggestion}'",
        "en": "figure code '{code}' is not in the catalogue; did you mean '{suggestion}'?",
    },
    "missing_code": {
        "id": "baris ini berisi nilai '{found}', tetapi kolom code kosong; diharapkan kode figur",
        "en": "this row holds the value '{found}', but its code cell is empty; expected a code",
    },
    "duplicate": {
        "id": "figur '{code}' diisi lebih dari sekali (juga di {other})",
        "en": "figure '{code}' is given more than once (also at {other})",
    },
    "wrong_period": {
        "id": "baris untuk periode {found}, padahal berkas ini untuk {expected}",
        "en": "row is for period {found}, but this file is for {expected}",
    },
    "wrong_period.empty": {
        "id": "kolom period kosong; diharapkan {expected}",
        "en": "the period cell is empty; expected {expected}",
    },
    "bad_status": {
        "id": "status '{found}' tidak dikenal; yang boleh: kosong, reported, derived",
        "en": "status '{found}' is unknown; allowed: empty, reported, derived",
    },
    "bad_number": {
        "id": "nilai tidak dapat dibaca sebagai angka: '{found}'",
        "en": "value cannot be read as a number: '{found}'",
    },
    "bad_number.empty": {
        "id": "nilai tidak dapat dibaca sebagai angka: sel nilai kosong",
        "en": "value cannot be read as a number: the value cell is empty",
    },
    "bad_number.not_a_number": {
        "id": (
            "nilai tidak dapat dibaca sebagai angka: '{found}' bukan angka; diharapkan angka "
            "seperti 96.701.058, 38,6, (28.148) atau 76,41%"
        ),
        "en": (
            "value cannot be read as a number: '{found}' is not a number; expected a number "
            "such as 96.701.058, 38,6, (28.148) or 76,41%"
        ),
    },
    "bad_number.not_finite": {
        "id": "nilai tidak dapat dibaca sebagai angka: '{found}' bukan angka terhingga",
        "en": "value cannot be read as a number: '{found}' is not a finite number",
    },
    "bad_number.negative_twice": {
        "id": (
            "nilai tidak dapat dibaca sebagai angka: '{found}' bertanda negatif dua kali; "
            "diharapkan (28.148) atau -28.148"
        ),
        "en": (
            "value cannot be read as a number: '{found}' is negative twice; expected (28.148) "
            "or -28.148"
        ),
    },
    "bad_number.ambiguous": {
        "id": (
            "nilai tidak dapat dibaca sebagai angka: '{found}' dapat berarti {thousands} (titik "
            "sebagai pemisah ribuan) atau {decimal} (titik sebagai tanda desimal); tulis "
            "'{as_decimal}' dengan koma desimal atau '{as_thousands}' tanpa pemisah"
        ),
        "en": (
            "value cannot be read as a number: '{found}' could mean {thousands} (dot as "
            "thousands separator) or {decimal} (dot as decimal point); write '{as_decimal}' "
            "with a decimal comma or '{as_thousands}' without separators"
        ),
    },
    "bad_number.fraction_in_whole_units": {
        "id": (
            "nilai tidak dapat dibaca sebagai angka: '{found}' memuat pecahan, padahal figur "
            "ini menghitung satuan utuh"
        ),
        "en": (
            "value cannot be read as a number: '{found}' has a fraction, but this figure "
            "counts whole units"
        ),
    },
    "bad_number.out_of_range": {
        "id": (
            "nilai tidak dapat dibaca sebagai angka: '{found}' terlalu besar atau terlalu kecil "
            "untuk disimpan sebagai angka"
        ),
        "en": (
            "value cannot be read as a number: '{found}' is too large or too small to be held "
            "as a number"
        ),
    },
    "bad_unit": {
        "id": "satuan '{found}' tidak sesuai; diharapkan {expected}",
        "en": "unit '{found}' does not fit; expected {expected}",
    },
    "bad_unit.scale_word": {
        "id": (
            "satuan '{found}' tidak sesuai; diharapkan {expected} tanpa kata skala (ribu, juta, "
            "miliar, triliun)"
        ),
        "en": (
            "unit '{found}' does not fit; expected {expected} without a scale word (thousand, "
            "million, billion, trillion)"
        ),
    },
    "bad_unit.percent_sign": {
        "id": "nilai '{found}' bertanda persen, padahal satuan figur ini {expected}",
        "en": "value '{found}' carries a percent sign, but this figure is in {expected}",
    },
    "negative": {
        "id": "nilai negatif {found} untuk figur yang tidak boleh negatif",
        "en": "negative value {found} for a figure that cannot be negative",
    },
    "not_positive": {
        "id": "nilai harus lebih dari nol, ditemukan {found}",
        "en": "value must be above zero, found {found}",
    },
    "percent_range": {
        "id": "persentase harus antara 0 dan 100, ditemukan {found}",
        "en": "percentage must lie between 0 and 100, found {found}",
    },
    "out_of_range": {
        "id": (
            "nilai {found} di luar rentang figur JKN: diharapkan 0 atau nilai mutlak antara "
            "{smallest} dan {largest} (setelah kata skala di kolom unit diterapkan)"
        ),
        "en": (
            "value {found} lies outside the range of a JKN figure: expected 0 or a magnitude "
            "between {smallest} and {largest} (after the scale word of the unit cell)"
        ),
    },
    "figure_bounds": {
        "id": (
            "nilai {found} di luar rentang wajar {bounds} (batas di katalog figures.yaml); "
            "periksa satuan dan angkanya"
        ),
        "en": (
            "value {found} is outside the plausible range {bounds} (bounds in the catalogue "
            "figures.yaml); check its unit and digits"
        ),
    },
    "figure_bounds.scale": {
        "id": (
            "nilai {found} di luar rentang wajar {bounds}; mungkin maksudnya {suggestion} "
            "(satuan '{unit}')?"
        ),
        "en": (
            "value {found} is outside the plausible range {bounds}; did you mean {suggestion} "
            "(unit '{unit}')?"
        ),
    },
    "figure_bounds.fraction": {
        "id": (
            "nilai {found} di luar rentang wajar {bounds}; persentase ini tampaknya ditulis "
            "sebagai pecahan (0,98 untuk 98%): mungkin maksudnya {suggestion}?"
        ),
        "en": (
            "value {found} is outside the plausible range {bounds}; this percentage looks "
            "written as a fraction (0.98 for 98%): did you mean {suggestion}?"
        ),
    },
    "not_integer": {
        "id": "figur ini menghitung satuan utuh, ditemukan {found}",
        "en": "this figure counts whole units, found {found}",
    },
    # --- soft checks (warnings) ---------------------------------------------------------------
    "parts_sum": {
        "id": "rincian {parts} berjumlah {found}, berbeda {difference} dari total {expected}",
        "en": "parts {parts} add up to {found}, {difference} away from the total {expected}",
    },
    "registered_vs_non_active": {
        "id": (
            "peserta terdaftar dikurangi peserta aktif = {expected}, sedangkan peserta non aktif "
            "menurut alasan = {found} (selisih {difference})"
        ),
        "en": (
            "registered minus active participants = {expected}, while non-active participants "
            "by reason = {found} (a gap of {difference})"
        ),
    },
    "flow_decrease": {
        "id": (
            "nilai kumulatif sejak Januari {found} lebih kecil daripada {expected} pada {other}; "
            "nilai kumulatif tidak dapat turun dalam tahun yang sama"
        ),
        "en": (
            "year-to-date value {found} is smaller than {expected} in {other}; a total from "
            "1 January cannot fall within the year"
        ),
    },
    "stock_change": {
        "id": (
            "nilai {found} berubah {change}% dibanding {expected} pada {other}; perubahan lebih "
            "dari {threshold}% dalam satu triwulan perlu diperiksa"
        ),
        "en": (
            "value {found} changed by {change}% from {expected} in {other}; a change of more "
            "than {threshold}% in one quarter should be checked"
        ),
    },
    "ick_copy": {
        "id": (
            "realisasi ICK {found} sama persis dengan nilai {other}; mungkin tersalin dari angka "
            "lain di laporan sumber"
        ),
        "en": (
            "ICK realisation {found} is exactly the value of {other}; possibly copied from "
            "another figure in the source report"
        ),
    },
    "period_factor": {
        "id": (
            "nilai {found} sekitar {factor} kali {expected} pada {other}; selisih sebesar itu "
            "biasanya salah satuan (ribu, juta, persen sebagai pecahan) di salah satu periode"
        ),
        "en": (
            "value {found} is about {factor} times {expected} in {other}; a difference that "
            "large is usually a unit slip (thousand, million, a percentage as a fraction) in one "
            "of the two periods"
        ),
    },
    "period_factor.smaller": {
        "id": (
            "nilai {found} sekitar 1/{factor} dari {expected} pada {other}; selisih sebesar itu "
            "biasanya salah satuan (ribu, juta, persen sebagai pecahan) di salah satu periode"
        ),
        "en": (
            "value {found} is about 1/{factor} of {expected} in {other}; a difference that "
            "large is usually a unit slip (thousand, million, a percentage as a fraction) in one "
            "of the two periods"
        ),
    },
    "percent_fraction": {
        "id": (
            "nilai {found} kurang dari 1%; jika persentase ini ditulis sebagai pecahan (0,98 "
            "untuk 98%), maksudnya {suggestion}: tulis nilainya dalam persen"
        ),
        "en": (
            "value {found} is under 1%; if this percentage was written as a fraction (0.98 for "
            "98%), it means {suggestion}: write the value in percent"
        ),
    },
    "indicator_bounds": {
        "id": "{indicator} = {found} di luar rentang wajar {bounds}; dihitung dari {inputs}",
        "en": "{indicator} = {found} is outside the plausible range {bounds}; computed from "
        "{inputs}",
    },
    "indicator_bounds.hint": {
        "id": (
            "{indicator} = {found} di luar rentang wajar {bounds}; dihitung dari {inputs}; "
            "mungkin salah satuan: {hint}"
        ),
        "en": (
            "{indicator} = {found} is outside the plausible range {bounds}; computed from "
            "{inputs}; a likely unit slip: {hint}"
        ),
    },
    "undefined_indicator": {
        "id": "indikator {indicator} tidak dapat dihitung: {reason}",
        "en": "indicator {indicator} cannot be computed: {reason}",
    },
    "undefined_indicator.denominator": {
        "id": (
            "indikator {indicator} tidak dapat dihitung dari {inputs}: penyebutnya bernilai "
            "{value}, padahal indikator ini memerlukan penyebut positif"
        ),
        "en": (
            "indicator {indicator} cannot be computed from {inputs}: its denominator is "
            "{value}, but the indicator needs a positive denominator"
        ),
    },
    "reported_vs_computed": {
        "id": "nilai dipublikasikan {found} berbeda dengan hasil hitung {expected}",
        "en": "published value {found} differs from the computed {expected}",
    },
    # --- amounts, ranges and indicators named inside messages (see Amount) ----------------------
    "range": {"id": "{lowest} sampai {highest}", "en": "{lowest} to {highest}"},
    "figure_value": {"id": "{figure} = {value} ({where})", "en": "{figure} = {value} ({where})"},
    "rescaled": {
        "id": "{figure} {factor} ({value}) memberi {result}",
        "en": "{figure} {factor} ({value}) gives {result}",
    },
    "or": {"id": " atau ", "en": " or "},
    "scale.3": {"id": "ribu", "en": "thousand"},
    "scale.6": {"id": "juta", "en": "million"},
    "scale.9": {"id": "miliar", "en": "billion"},
    "scale.12": {"id": "triliun", "en": "trillion"},
    "months": {"id": "bulan", "en": "months"},
    # --- places named inside messages (see Place) ----------------------------------------------
    "place.sheet": {"id": "lembar {sheet}", "en": "sheet {sheet}"},
    "place.row": {"id": "baris {row}", "en": "row {row}"},
    "place.derived": {"id": "jumlah rinciannya", "en": "the sum of its parts"},
    "place.figure_period": {"id": "{figure} periode {period}", "en": "{figure} for {period}"},
    # --- words joining the parts of a message (see Localized) ----------------------------------
    "words.or": {"id": "atau", "en": "or"},
    "words.none": {"id": "tidak ada", "en": "none"},
    # --- the validation report (format_validation) ---------------------------------------------
    "report.counts": {
        "id": "{period}: {errors} kesalahan, {warnings} peringatan",
        "en": "{period}: {errors} {error_word}, {warnings} {warning_word}",
    },
    "report.errors": {
        "id": "Kesalahan (laporan tidak dapat dibuat sebelum diperbaiki):",
        "en": "Errors (the report cannot be built until they are fixed):",
    },
    "report.warnings": {
        "id": "Peringatan (dicantumkan di lampiran laporan):",
        "en": "Warnings (listed in the report's appendix):",
    },
    "report.missing": {
        "id": "Figur tanpa nilai untuk {period} ({count}):",
        "en": "Figures without a value for {period} ({count}):",
    },
    "report.folder_warning": {"id": "Peringatan: {text}", "en": "Warning: {text}"},
    # --- which periods ``jkn-report build`` builds -----------------------------------------------
    "build.skipped": {"id": "[dilewati] {reason}", "en": "[skipped] {reason}"},
    "build.not_built": {"id": "[tidak dibuat] {reason}", "en": "[not built] {reason}"},
    "build.latest": {
        "id": "Periode tidak disebut: dibuat laporan {period}, periode terakhir yang dapat dibuat.",
        "en": "No period given: building {period}, the latest period that can be built.",
    },
    "build.none_buildable": {
        "id": "tidak ada periode di {folder} yang dapat dibuat laporannya (alasannya di atas)",
        "en": "no period in {folder} can be built (the reasons are above)",
    },
    "report.ok": {
        "id": "Laporan {period} dapat dibuat.",
        "en": "The report of {period} can be built.",
    },
    "report.not_ok": {
        "id": "Laporan {period} tidak dapat dibuat sebelum kesalahan di atas diperbaiki.",
        "en": "The report of {period} cannot be built until the errors above are fixed.",
    },
}


def register_messages(messages: dict[str, dict[str, str]]) -> None:
    """Add another module's problem texts (``review.*``) to `MESSAGES`, so `DataIssue.describe`
    finds them; a key already used with other words is a programming error."""
    clash = [key for key in messages if key in MESSAGES and MESSAGES[key] != messages[key]]
    if clash:
        raise RuntimeError(f"message keys already used with other words: {clash}")
    MESSAGES.update(messages)


@dataclass(frozen=True)
class Place:
    """Where a figure is, named inside a message (the other place of a duplicate, the value
    an ICK realisation equals): file, sheet and row, and optionally figure code and period.
    """

    file: str = ""
    sheet: str = ""
    row: int | None = None
    code: str = ""
    period: str = ""

    def describe(self, language: str = "en", catalogue: Catalogue | None = None) -> str:
        """``2024Q1/figures.csv, baris 2``; with a code, ``active_bp (label) periode 2023Q1
        (2023Q1/figures.csv, baris 8)``; a derived value names the sum of its parts."""
        where = self.location(language)
        if not self.code and not self.period:
            return where
        return f"{self.head(language, catalogue)} ({where})"

    def location(self, language: str = "en") -> str:
        """File, sheet and row (``2024Q1/figures.csv, baris 2``), or the sum of the parts."""
        location = [self.file] if self.file else []
        if self.sheet:
            location.append(MESSAGES["place.sheet"][language].format(sheet=self.sheet))
        if self.row is not None:
            location.append(MESSAGES["place.row"][language].format(row=self.row))
        return ", ".join(location) or MESSAGES["place.derived"][language]

    def head(
        self, language: str = "en", catalogue: Catalogue | None = None, *, context: str = ""
    ) -> str:
        """The figure and period (``active_bp (label) periode 2023Q1``), or the period; the
        period is left out when it is ``context``, the period the message is about."""
        if not self.code:
            return self.period
        figure = _figure_name(self.code, language, catalogue)
        if self.period == context:
            return figure
        return MESSAGES["place.figure_period"][language].format(figure=figure, period=self.period)


class Described(Protocol):
    """A message detail that words itself in the message language (a `Place`, an `Amount`)."""

    def describe(self, language: str = "en", catalogue: Catalogue | None = None) -> str: ...


def _unit_suffix(unit: str, language: str, catalogue: Catalogue | None) -> str:
    """What follows a number of this unit: ``%``, `` bulan``, `` jiwa``."""
    if unit == "percent":
        return "%"
    if unit == "months":
        return " " + MESSAGES["months"][language]
    return " " + (catalogue or load_catalogue()).units[unit].label[language]


@dataclass(frozen=True)
class Amount:
    """A value with its unit, named inside a message: ``281 jiwa``, ``0,98%``, ``1.122,3%``.

    ``decimals`` rounds it half up as the report prints it (every digit is shown without);
    ``exponent`` writes it with a scale word: 281e6 with exponent 6 is ``281 juta jiwa``.
    """

    value: float
    unit: str
    decimals: int | None = None
    exponent: int = 0

    def describe(self, language: str = "en", catalogue: Catalogue | None = None) -> str:
        if self.exponent:
            scaled = float(Decimal(repr(float(self.value))) / Decimal(10) ** self.exponent)
            word = MESSAGES[f"scale.{self.exponent}"][language]
            number = f"{_exact(scaled, language)} {word}"
        elif self.decimals is not None:
            number = format_number(self.value, self.decimals, language=language)
        else:
            number = _exact(self.value, language)
        return number + _unit_suffix(self.unit, language, catalogue)


@dataclass(frozen=True)
class UnitName:
    """A unit cell as an analyst would write it: ``juta jiwa``, ``million persons``, ``jiwa``."""

    unit: str
    exponent: int = 0

    def describe(self, language: str = "en", catalogue: Catalogue | None = None) -> str:
        label = (catalogue or load_catalogue()).units[self.unit].label[language]
        return f"{MESSAGES[f'scale.{self.exponent}'][language]} {label}" if self.exponent else label


def _bound_text(value: float, language: str) -> str:
    """One end of a range: in full below a million, with a scale word above (``200 juta``)."""
    if abs(value) < 1e6:
        return _exact(value, language)
    exponent = next(e for e in (12, 9, 6) if abs(value) >= 10**e)
    decimals = min(
        written_decimals(float(Decimal(repr(float(value))) / Decimal(10) ** exponent)), 3
    )
    return format_compact(value, decimals, language=language, style="long")


@dataclass(frozen=True)
class Range:
    """A figure's or indicator's plausible range: ``200 juta sampai 400 juta jiwa``."""

    bounds: Bounds
    unit: str

    def describe(self, language: str = "en", catalogue: Catalogue | None = None) -> str:
        suffix = _unit_suffix(self.unit, language, catalogue)
        lowest = _bound_text(self.bounds.lowest, language) + (suffix if suffix == "%" else "")
        highest = _bound_text(self.bounds.highest, language) + suffix
        return MESSAGES["range"][language].format(lowest=lowest, highest=highest)


@dataclass(frozen=True)
class FigureValue:
    """An input figure of an indicator: ``premium_income (Pendapatan iuran) = 3.860.000.000.000
    rupiah (2024Q1/figures.csv, baris 57)``, with its period when it is not ``context``."""

    place: Place
    value: float
    unit: str
    context: str = ""

    def describe(self, language: str = "en", catalogue: Catalogue | None = None) -> str:
        return MESSAGES["figure_value"][language].format(
            figure=self.place.head(language, catalogue, context=self.context),
            value=Amount(self.value, self.unit).describe(language, catalogue),
            where=self.place.location(language),
        )


@dataclass(frozen=True)
class Rescaled:
    """An input figure multiplied or divided by a power of ten, and what the indicator would
    then be: ``premium_income ×10 (38.600.000.000.000 rupiah) memberi 112,2%`` (with its
    period when it is not ``context``)."""

    place: Place
    factor: float
    value: Amount
    result: Amount
    context: str = ""

    def describe(self, language: str = "en", catalogue: Catalogue | None = None) -> str:
        if self.factor >= 1:
            factor = "×" + _exact(self.factor, language)
        else:
            factor = "÷" + _exact(round(1 / self.factor), language)
        # The code alone: the inputs listed before the hint carry the labels.
        figure = Place(code=self.place.code, period=self.place.period)
        return MESSAGES["rescaled"][language].format(
            figure=figure.head(language, None, context=self.context),
            factor=factor,
            value=self.value.describe(language, catalogue),
            result=self.result.describe(language, catalogue),
        )


@dataclass(frozen=True)
class IndicatorName:
    """An indicator's label in the message language, with its breakdown: ``Rasio klaim``,
    ``Pertumbuhan peserta aktif sejak Desember (pbi)``."""

    code: str
    dimensions: tuple[tuple[str, str], ...] = ()

    def describe(self, language: str = "en", catalogue: Catalogue | None = None) -> str:
        label = (catalogue or load_catalogue()).indicator(self.code).label[language]
        if self.dimensions:
            label += f" ({', '.join(value for _, value in self.dimensions)})"
        return label


@dataclass(frozen=True)
class Listing:
    """Several details in one placeholder, joined by ``, `` or by a word of `MESSAGES`
    (``or``: ``a atau b``)."""

    items: tuple[Described, ...]
    word: str = ""

    def describe(self, language: str = "en", catalogue: Catalogue | None = None) -> str:
        joiner = MESSAGES[self.word][language] if self.word else ", "
        return joiner.join(item.describe(language, catalogue) for item in self.items)


@dataclass(frozen=True)
class Localized:
    """A detail of a message worded in each language (section names, a list of files joined
    with the language's own words), described in the language of the message that shows it."""

    texts: tuple[tuple[str, str], ...]

    def describe(self, language: str = "en", catalogue: Catalogue | None = None) -> str:
        """The text in ``language``."""
        return dict(self.texts)[language]


def _figure_name(code: str, language: str, catalogue: Catalogue | None) -> str:
    if catalogue is not None and code in catalogue.figures:
        return f"{code} ({catalogue.figures[code].label[language]})"
    return code


@dataclass(frozen=True)
class DataIssue:
    """One problem found in the data, with enough context to find and fix it.

    Attributes
    ----------
    severity : {"error", "warning"}
        Errors stop the build; warnings are listed in the report.
    problem : str
        What kind of problem (``bad_number``, ``duplicate``...): a key of `MESSAGES`.
    file : str
        The file (relative to the data folder when possible); empty for cross-file checks.
    row : int or None
        Spreadsheet row number (the header is row 1), when the problem has one row.
    code : str
        The figure code concerned, if any.
    period : str
        The period concerned.
    details : dict
        Values for the message placeholders (``expected``, ``found`` and others); numbers
        are formatted for the message language; a `Described` detail (`Place`, `Amount`,
        `Range`...) words itself in it.
    sheet : str
        Worksheet name for XLSX files.
    message : str
        Key of `MESSAGES` for a more specific text than the problem's own (such as
        ``bad_number.ambiguous``); empty to use ``problem``.
    """

    severity: Severity
    problem: str
    file: str = ""
    row: int | None = None
    code: str = ""
    period: str = ""
    details: dict[str, str | float | Described] = field(default_factory=dict)
    sheet: str = ""
    message: str = ""

    def as_record(self, catalogue: Catalogue | None = None) -> dict[str, object]:
        """The issue for ``indicators.json`` and ``build.json``: its stable codes (severity,
        problem, figure code, period, place) and its message in every language."""
        record: dict[str, object] = {"severity": self.severity, "problem": self.problem}
        for name in ("code", "period", "file", "sheet", "row"):
            value = getattr(self, name)
            if value not in ("", None):
                record[name] = value
        record["message"] = {language: self.describe(language, catalogue) for language in LANGUAGES}
        return record

    def describe(self, language: str = "en", catalogue: Catalogue | None = None) -> str:
        """One line naming where the problem is and what was expected and found."""
        where = []
        if self.file:
            where.append(self.file)
        if self.sheet:
            where.append(MESSAGES["place.sheet"][language].format(sheet=self.sheet))
        if self.row is not None:
            where.append(MESSAGES["place.row"][language].format(row=self.row))
        if self.code:
            where.append(_figure_name(self.code, language, catalogue))
        if self.period and not self.file:
            where.append(self.period)
        details = {
            key: _detail_text(value, language, catalogue) for key, value in self.details.items()
        }
        text = MESSAGES[self.message or self.problem][language].format(**details)
        return f"{', '.join(where)}: {text}" if where else text


def _detail_text(value: object, language: str, catalogue: Catalogue | None) -> object:
    if hasattr(value, "describe"):  # a Place, an Amount, a Range: worded in the language
        return value.describe(language, catalogue)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _exact(value, language)
    return value


def _exact(value: float, language: str) -> str:
    """A number in a message, in the message language, with every digit it has (no rounding)."""
    digits = repr(float(value)).split(".")[1] if "." in repr(float(value)) else ""
    decimals = 0 if digits in ("", "0") or "e" in digits else min(len(digits), 6)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    # Babel quantizes in the current decimal context (28 digits), too few for a stray 1e300
    # or 5e-324 that a message must still be able to show.
    with localcontext() as context:
        context.prec = 1000
        return format_decimal(value, format=pattern, locale=language, decimal_quantization=False)


class DataValidationError(ValueError):
    """The data cannot be built into a report; ``issues`` lists every hard error."""

    def __init__(self, issues: list[DataIssue], catalogue: Catalogue | None = None):
        self.issues = issues
        lines = [issue.describe("en", catalogue) for issue in issues]
        super().__init__(
            f"{len(issues)} problem(s) in the data:\n" + "\n".join(f"  - {line}" for line in lines)
        )


def raw_table_schema(catalogue: Catalogue) -> pa.DataFrameSchema:
    """Structure of a period file as read, before values are parsed (pandera schema).

    Every column is text; numbers are parsed afterwards by `jkn_analysis.numbers`.
    """
    return pa.DataFrameSchema(
        {
            "period": pa.Column(str),
            "code": pa.Column(str, pa.Check.isin(list(catalogue.figures)), nullable=False),
            "value": pa.Column(nullable=True),  # text (CSV) or numbers (XLSX): parsed later
            "unit": pa.Column(str, nullable=True),
            "status": pa.Column(str, pa.Check.isin(list(STATUSES))),
        },
        strict=False,
        coerce=False,
    )


def schema_issues(
    table: pd.DataFrame, catalogue: Catalogue, *, file: str, sheet: str = ""
) -> list[DataIssue]:
    """Run the pandera schema lazily and turn every failure into a `DataIssue`.

    ``table`` carries a ``row`` column with spreadsheet row numbers.
    """
    issues: list[DataIssue] = []
    try:
        raw_table_schema(catalogue).validate(table, lazy=True)
    except pa.errors.SchemaErrors as errors:
        for failure in errors.failure_cases.itertuples(index=False):
            index = failure.index
            row = int(table["row"].iloc[int(index)]) if pd.notna(index) else None
            column = failure.column
            found = str(failure.failure_case)
            if column == "code":
                close = difflib.get_close_matches(found, list(catalogue.figures), n=1)
                issues.append(
                    DataIssue(
                        "error",
                        "unknown_code",
                        file,
                        row,
                        found,
                        details={"code": found, **({"suggestion": close[0]} if close else {})},
                        sheet=sheet,
                        message="unknown_code.close" if close else "",
                    )
                )
            elif column == "status":
                code = str(table["code"].iloc[int(index)]) if row is not None else ""
                issues.append(
                    DataIssue(
                        "error",
                        "bad_status",
                        file,
                        row,
                        code,
                        details={"found": found},
                        sheet=sheet,
                    )
                )
            else:  # pragma: no cover - columns are checked for presence before the schema
                issues.append(
                    DataIssue(
                        "error",
                        "unreadable",
                        file,
                        row,
                        details={"reason": str(failure.check)},
                        sheet=sheet,
                    )
                )
    return issues


@dataclass(frozen=True)
class ValidationResult:
    """What `jkn_analysis.loading.validate_period` found for one period.

    Attributes
    ----------
    errors : list of DataIssue
        Hard errors of the period and of the earlier periods it is compared with: the report
        cannot be built while there is any.
    warnings : list of DataIssue
        Soft checks of the period (as listed in the report's data-check appendix).
    missing : list of str
        Catalogue figure codes without a value for the period, in catalogue order.
    period : str
        The period checked.
    """

    errors: list[DataIssue]
    warnings: list[DataIssue]
    missing: list[str]
    period: str = ""

    @property
    def ok(self) -> bool:
        """Whether the period can be built: no hard errors."""
        return not self.errors


def validation_summary(result: ValidationResult, language: str = "id") -> str:
    """One line of `format_validation`'s words: the counts and whether the report can be built
    (``0 kesalahan, 3 peringatan. Laporan 2024Q1 dapat dibuat.``), for ``jkn-report build``."""
    lines = format_validation(result, language, show_missing=False).splitlines()
    counts = lines[0].split(": ", 1)[1]
    return f"{counts}. {lines[-1]}"


def format_validation(
    result: ValidationResult,
    language: str = "id",
    catalogue: Catalogue | None = None,
    *,
    show_missing: bool = True,
) -> str:
    """The validation result as a readable multi-line report in Indonesian or English.

    A count header (``2024Q1: 3 kesalahan, 2 peringatan``), the errors, then the warnings,
    one `DataIssue.describe` line each, then (``show_missing``) the figures without a value,
    and a last line saying whether the report can be built.
    """
    if language not in MESSAGES["report.counts"]:
        raise ValueError(f"language must be 'id' or 'en', got {language!r}")
    catalogue = catalogue or load_catalogue()
    period = result.period or "?"
    n_errors, n_warnings = len(result.errors), len(result.warnings)
    lines = [
        MESSAGES["report.counts"][language].format(
            period=period,
            errors=n_errors,
            warnings=n_warnings,
            error_word="error" if n_errors == 1 else "errors",
            warning_word="warning" if n_warnings == 1 else "warnings",
        )
    ]
    for key, issues in (("report.errors", result.errors), ("report.warnings", result.warnings)):
        if issues:
            lines += ["", MESSAGES[key][language]]
            lines += [f"  - {issue.describe(language, catalogue)}" for issue in issues]
    # Of a period where nothing is filled in, every figure is missing: the list says nothing.
    unfilled = any(issue.problem == "not_filled" for issue in result.errors)
    if show_missing and result.missing and not unfilled:
        lines += [
            "",
            MESSAGES["report.missing"][language].format(period=period, count=len(result.missing)),
        ]
        lines += [f"  - {_figure_name(code, language, catalogue)}" for code in result.missing]
    lines += [
        "",
        MESSAGES["report.ok" if result.ok else "report.not_ok"][language].format(period=period),
    ]
    return "\n".join(lines) + "\n"
