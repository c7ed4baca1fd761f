"""Numbers as Indonesians (or English readers) read them: ``269,5 juta``, ``Rp43,32 T``, ``76,41%``.

Every number the report prints goes through this module, so text, tables and charts round the
same way: half up (`jkn_analysis.catalogue.numbers.round_half_up`), then Babel formats the
rounded value. The words Babel has no unit for (percentage points, the rupiah sign, months) are
in ``catalogue/messages/formatting.yaml``.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from functools import cache

from babel.numbers import format_compact_decimal, format_decimal
from babel.units import format_unit

from jkn_analysis.catalogue.numbers import round_half_up
from jkn_analysis.catalogue.wording import messages

MINUS = "-"
WORDS = messages("formatting")


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def format_number(value: float, decimals: int = 0, *, language: str = "id") -> str:
    """``214501609`` → ``214.501.609`` (id) or ``214,501,609`` (en); fixed ``decimals``."""
    rounded = round_half_up(value, decimals)
    # Babel quantizes in the current decimal context (28 digits by default): give it room for
    # every digit of the rounded value, however large.
    with localcontext() as context:
        context.prec = max(context.prec, len(rounded.as_tuple().digits) + decimals + 2)
        return format_decimal(
            rounded, format=_pattern(decimals), locale=language, decimal_quantization=True
        )


def format_percent(value: float, decimals: int = 2, *, language: str = "id") -> str:
    """A percent value (76.409…) → ``76,41%`` (id) or ``76.41%`` (en)."""
    return format_number(value, decimals, language=language) + "%"


def format_points(value: float, decimals: int = 2, *, language: str = "id") -> str:
    """Percentage points: ``2,00 poin persen`` / ``2.00 percentage points``."""
    number = format_number(value, decimals, language=language)
    return WORDS["points"][language].format(number=number)


def format_signed(
    value: float, decimals: int = 0, *, language: str = "id", percent: bool = False
) -> str:
    """A change with its sign: ``+959.421``, ``-28.148``, ``+0,45%``."""
    rounded = round_half_up(value, decimals)
    sign = "+" if rounded > 0 else (MINUS if rounded < 0 else "")
    text = format_number(abs(rounded), decimals, language=language)
    return f"{sign}{text}{'%' if percent else ''}"


@cache
def _scale_word(exponent: int, language: str, style: str) -> str:
    """The word Babel's locale data uses for 10**exponent: ``juta``, ``T``, ``million``."""
    sample = format_compact_decimal(10**exponent, format_type=style, locale=language)
    return sample.replace("1", "", 1).strip()


def _scale_exponent(value: float) -> int:
    magnitude = abs(Decimal(repr(float(value))))
    for exponent in (12, 9, 6, 3):
        if magnitude >= Decimal(10) ** exponent:
            return exponent
    return 0


def format_compact(
    value: float, decimals: int = 1, *, language: str = "id", style: str = "long"
) -> str:
    """Large numbers with a scale word: ``269,5 juta``, ``959,4 ribu``, ``43,32 T``.

    Parameters
    ----------
    value : float
        The number in units (persons, rupiah).
    decimals : int, default 1
        Decimals of the scaled number, rounded half up.
    language : {"id", "en"}
    style : {"long", "short"}
        ``long`` writes ``juta``/``triliun`` (prose), ``short`` writes ``jt``/``T`` (tables).
    """
    exponent = _scale_exponent(value)
    if exponent == 0:
        return format_number(value, 0, language=language)
    scaled = round_half_up(float(Decimal(repr(float(value))) / Decimal(10) ** exponent), decimals)
    if abs(scaled) >= 1000 and exponent < 12:  # 999,96 ribu rounds up to the next scale word
        return format_compact(
            float(scaled) * 10**exponent, decimals, language=language, style=style
        )
    number = format_decimal(
        scaled, format=_pattern(decimals), locale=language, decimal_quantization=True
    )
    return f"{number} {_scale_word(exponent, language, style)}"


def format_rupiah(
    value: float, decimals: int = 2, *, language: str = "id", style: str = "short"
) -> str:
    """Money: ``Rp43,32 T`` (short) or ``Rp43,32 triliun`` (long); ``IDR 43.32 trillion`` in en."""
    negative = round_half_up(value, 0) < 0
    body = format_compact(abs(value), decimals, language=language, style=style)
    text = WORDS["rupiah"][language].format(number=body)
    return f"{MINUS}{text}" if negative else text


# Units printed with their word after the number (``3,98 bulan``) are in the wording file.
# Years take CLDR's unit names through Babel (``1 tahun``, ``1 year``, ``2 years``) so English
# gets its plural right.
_CLDR_UNITS = {"years": "duration-year"}


def format_value(
    value: float | str,
    unit: str,
    decimals: int,
    *,
    language: str = "id",
    compact: bool = False,
    style: str = "short",
) -> str:
    """Format an indicator value by its catalogue unit (the one entry point for templates).

    Counts (persons, facilities, visits, cases) are written in full unless ``compact``;
    rupiah always compact; percent with a % sign; months with the month word.
    """
    if isinstance(value, str):
        return value
    if unit == "percent":
        return format_percent(value, decimals, language=language)
    if unit == "percentage_points":
        return format_points(value, decimals, language=language)
    if unit == "rupiah":
        return format_rupiah(value, max(decimals, 2), language=language, style=style)
    if unit in WORDS["units"]:
        number = format_number(value, decimals, language=language)
        return WORDS["units"][unit][language].format(number=number)
    if unit in _CLDR_UNITS:
        rounded = round_half_up(value, decimals)  # the pack's one rounding rule, then Babel
        return format_unit(
            rounded, _CLDR_UNITS[unit], length="long", format=_pattern(decimals), locale=language
        )
    if compact:
        return format_compact(value, 1 if abs(value) < 1e9 else 2, language=language, style="long")
    return format_number(value, decimals, language=language)
