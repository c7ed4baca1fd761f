"""Data checks: every problem in a period's files, named by file, row and figure.

Hard errors stop the build (`DataValidationError`); soft checks become warnings printed in the
report's data-check appendix. Messages are in Indonesian or English (`MESSAGES`).
`jkn_analysis.indicators.checks.validate_period` checks a period without raising and returns a
`ValidationResult`; `format_validation` prints it for ``jkn-report validate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Literal, Protocol

from babel.numbers import format_decimal

from jkn_analysis.catalogue.definitions import LANGUAGES, Bounds, Catalogue, load_catalogue
from jkn_analysis.catalogue.formatting import format_compact, format_number
from jkn_analysis.catalogue.numbers import written_decimals
from jkn_analysis.catalogue.wording import messages

Severity = Literal["error", "warning"]

REQUIRED_COLUMNS = ("period", "code", "value", "unit")
OPTIONAL_COLUMNS = ("status", "source", "note", "label", "as_of")
STATUSES = ("", "reported", "derived")

# Texts of problems and of the validation report, in Indonesian and English. {placeholders} are
# filled from DataIssue.details. A DataIssue's ``problem`` is its category (stable, for programs
# and tests); its ``message``, when set, is the key of a more specific text, such as
# ``bad_number.ambiguous`` for the ``bad_number`` problem.
MESSAGES: dict[str, dict[str, str]] = messages("validation")


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


@dataclass(frozen=True)
class ValidationResult:
    """What `jkn_analysis.indicators.checks.validate_period` found for one period.

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
