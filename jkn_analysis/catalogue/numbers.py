"""Reading numbers as Indonesian spreadsheets hold them, and the one rounding rule.

Indonesian writes ``96.701.058`` (dot for thousands), ``38,6`` (comma for decimals),
``(28.148)`` for a negative and ``76,41%`` for a percentage. Spreadsheet cells may also hold
real numbers. A text that could be read two ways is refused with both readings, never guessed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

# Scale words an analyst may write in the unit cell ("triliun rupiah", "juta jiwa").
SCALE_WORDS: dict[str, int] = {
    "ribu": 10**3,
    "rb": 10**3,
    "thousand": 10**3,
    "juta": 10**6,
    "jt": 10**6,
    "million": 10**6,
    "miliar": 10**9,
    "milyar": 10**9,
    "m": 10**9,
    "billion": 10**9,
    "triliun": 10**12,
    "t": 10**12,
    "trillion": 10**12,
}

_GROUPED_INTEGER = re.compile(r"^\d{1,3}(\.\d{3})+$")
_GROUPED_DECIMAL = re.compile(r"^\d{1,3}(\.\d{3})*,\d+$")
_PLAIN_INTEGER = re.compile(r"^\d+$")
_COMMA_DECIMAL = re.compile(r"^\d+,\d+$")
_DOT_DECIMAL = re.compile(r"^\d+\.\d+$")


class NumberFormatError(ValueError):
    """A value cell cannot be read as exactly one number.

    The exception text is a short English explanation for developers; messages for people
    are built from ``reason`` and ``params`` (see `jkn_analysis.inputs.validation.MESSAGES`, keys
    ``bad_number.<reason>``), in Indonesian or English.

    Attributes
    ----------
    reason : str
        Why the cell was refused, one of `NUMBER_REASONS`.
    found : str
        The text as found in the cell.
    readings : tuple of float
        The possible readings when the text is ambiguous (empty when it is not a number).
    params : dict
        Values a message about the refusal may show (for ``ambiguous``: ``thousands`` and
        ``decimal``, the two readings, and ``as_decimal`` and ``as_thousands``, the two ways to
        write the cell unambiguously).
    """

    def __init__(
        self,
        reason: str,
        found: str,
        readings: tuple[float, ...] = (),
        **params: str | float,
    ):
        if reason not in NUMBER_REASONS:
            raise ValueError(f"unknown reason {reason!r}; use one of {NUMBER_REASONS}")
        self.reason = reason
        self.found = found
        self.readings = readings
        self.params = params
        super().__init__(NUMBER_REASONS[reason].format(found=found, **params))


# Why a cell is not a number, with the developer-facing English text of the exception.
NUMBER_REASONS: dict[str, str] = {
    "empty": "the value is empty",
    "not_a_number": "{found!r} is not a number",
    "not_finite": "{found!r} is not a finite number",
    "negative_twice": "{found!r} is negative twice",
    "ambiguous": (
        "{found!r} can be read as {thousands:g} (dot for thousands) or as {decimal:g} (dot for "
        "decimals); write it with a decimal comma, such as {as_decimal}, or without separators"
    ),
    "fraction_in_whole_units": "{found!r} has a fraction, but this figure counts whole units",
    # Digits beyond what a float holds: 400 nines would become infinity, 0,000…01 with 400
    # zeros would become 0. Refused rather than silently changed.
    "out_of_range": "{found!r} is too large or too small to be held as a number",
}


@dataclass(frozen=True)
class ParsedValue:
    """A number read from a cell: its value, whether it carried a percent sign, and the
    number of decimals it was written with (``17,70`` has 2), which is its published precision.
    """

    value: float
    percent_sign: bool = False
    decimals: int = 0


def round_half_up(value: float, decimals: int = 0) -> Decimal:
    """Round half away from zero, the rule used for every number the report prints.

    The float is first converted through its shortest ``repr`` so that 76.405 rounds to 76.41
    (binary floating point would store it as 76.40499…).

    Parameters
    ----------
    value : float
        The number to round.
    decimals : int, default 0
        Digits after the decimal separator.

    Returns
    -------
    decimal.Decimal
        The rounded value with exactly ``decimals`` digits.

    Raises
    ------
    ValueError
        If ``value`` is not finite.
    """
    if isinstance(value, Decimal):
        exact = value
    elif isinstance(value, int) and not isinstance(value, bool):
        exact = Decimal(value)
    else:  # float, NumPy scalars and anything else float() accepts
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"cannot round {value!r}: not a finite number")
        exact = Decimal(repr(number))
    # quantize needs every digit of the result within the context precision (28 by default),
    # which 1e300 to 2 decimals or 0.1234567890123456 to 20 decimals exceed: widen it.
    with localcontext() as context:
        context.prec = max(context.prec, exact.adjusted() + decimals + 2)
        return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def written_decimals(value: float) -> int:
    """Decimals of a number as its shortest form writes it: 17.7 → 1, 17.0 → 0, 5.976 → 3."""
    text = repr(float(value))
    if "e" in text or "." not in text:
        return 0
    digits = text.split(".")[1]
    return 0 if digits == "0" else len(digits)


def parse_scale(unit_cell: str | None) -> tuple[int, str]:
    """Split a unit cell such as ``"triliun rupiah"`` into a multiplier and the rest.

    Returns
    -------
    tuple of (int, str)
        The multiplier (1 when no scale word is given) and the remaining unit text, lower case.
    """
    words = str(unit_cell or "").strip().lower().split()
    if words and words[0] in SCALE_WORDS:
        return SCALE_WORDS[words[0]], " ".join(words[1:])
    return 1, " ".join(words)


def parse_number(
    cell: object, *, integer_unit: bool = False, scaled: bool = False, percent_format: bool = False
) -> ParsedValue:
    """Read one value cell.

    Parameters
    ----------
    cell : object
        A number (from a spreadsheet) or text such as ``"96.701.058"``, ``"(28.148)"``,
        ``"76,41%"`` or ``"38,6"``.
    integer_unit : bool, default False
        The figure counts whole things (persons, facilities): a reading with a fraction is
        impossible, which settles ``"1.234"`` as one thousand two hundred and thirty-four.
    scaled : bool, default False
        Fractions are expected (a scale word such as ``triliun`` in the unit cell, or a unit
        such as months or percent), so ``"1.234"`` is ambiguous and refused.
    percent_format : bool, default False
        The cell is a spreadsheet number shown with a percent format: Excel holds ``76,41%``
        as 0.7641, so the number is multiplied by 100 and read as carrying a percent sign.

    Returns
    -------
    ParsedValue

    Raises
    ------
    NumberFormatError
        Empty, non-numeric, non-finite or ambiguous values.
    """
    if isinstance(cell, bool):
        raise NumberFormatError("not_a_number", str(cell))
    if isinstance(cell, int | float):
        try:
            number = float(cell)
        except OverflowError:  # an integer cell with more than 308 digits
            raise NumberFormatError("out_of_range", str(cell)) from None
        if not math.isfinite(number):
            raise NumberFormatError("not_finite", str(cell))
        if percent_format:
            value = float(Decimal(repr(number)) * 100)
            if not math.isfinite(value):  # 1e308 shown as a percentage
                raise NumberFormatError("out_of_range", str(cell))
            return ParsedValue(value, percent_sign=True, decimals=written_decimals(value))
        return ParsedValue(number, decimals=written_decimals(number))
    text = "" if cell is None else str(cell)
    found = text
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        raise NumberFormatError("empty", found)
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    percent_sign = text.endswith("%")
    if percent_sign:
        text = text[:-1]
    if text[:1] in "-−":
        if negative:
            raise NumberFormatError("negative_twice", found)
        negative, text = True, text[1:]
    if text.lower().startswith("rp"):
        text = text[2:]
    sign = -1.0 if negative else 1.0

    def as_float(canonical: str) -> float:
        try:
            exact = Decimal(canonical)
        except InvalidOperation:  # pragma: no cover - patterns below only admit digits
            raise NumberFormatError("not_a_number", found) from None
        value = float(exact)
        # float() gives infinity past 1.8e308 and 0 below 5e-324, without an error.
        if not math.isfinite(value) or (value == 0 and exact != 0):
            raise NumberFormatError("out_of_range", found)
        return sign * value

    if _PLAIN_INTEGER.match(text):
        return ParsedValue(as_float(text), percent_sign)
    if _GROUPED_DECIMAL.match(text) or _COMMA_DECIMAL.match(text):
        decimals = len(text.split(",")[1])
        return ParsedValue(
            as_float(text.replace(".", "").replace(",", ".")), percent_sign, decimals
        )
    if _GROUPED_INTEGER.match(text):
        thousands = as_float(text.replace(".", ""))
        if text.count(".") == 1 and not integer_unit and (scaled or percent_sign):
            decimal_reading = as_float(text)
            raise NumberFormatError(
                "ambiguous",
                found,
                (thousands, decimal_reading),
                thousands=thousands,
                decimal=decimal_reading,
                as_decimal=found.strip().replace(".", ","),
                as_thousands=found.strip().replace(".", ""),
            )
        return ParsedValue(thousands, percent_sign)
    if _DOT_DECIMAL.match(text):
        # Not a valid thousands grouping (such as 38.6), so the dot can only be a decimal point.
        if integer_unit:
            raise NumberFormatError("fraction_in_whole_units", found)
        return ParsedValue(as_float(text), percent_sign, len(text.split(".")[1]))
    raise NumberFormatError("not_a_number", found)
