"""The parts of the chart functions' docstrings that every chart shares, written once.

As seaborn's ``DocstringComponents``: a docstring names a shared part with a line that holds
only ``{name}``, and `documented` writes the part there, at that line's indentation, so that
the parameters every chart takes are described alike everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

Function = TypeVar("Function", bound=Callable)

PARTS = {
    "ax": """\
ax : matplotlib.axes.Axes, optional
    Axes to draw on; a new figure of `FIGURE_SIZE_INCHES` (the width of an A4 text block)
    when omitted.""",
    "value_label_x": """\
value_label : str, optional
    Label of the value (x) axis.""",
    "value_label_y": """\
value_label : str, optional
    Label of the value (y) axis.""",
    "corridor": """\
floor, ceiling : float, default 1.5 and 6.0
    Bounds of the healthy corridor (PP 53/2018), in months.""",
    "returns": """\
Returns
-------
matplotlib.axes.Axes
    The axes drawn on.""",
}
_PLACE = re.compile(r"^(?P<indent>[ \t]*)\{(?P<name>\w+)\}$", re.MULTILINE)


def documented(function: Function) -> Function:
    """Write the shared parts (`PARTS`) into ``function``'s docstring where it names them.

    Raises
    ------
    KeyError
        If the docstring names a part that does not exist (at import, not when reading help).
    """

    def part(match: re.Match) -> str:
        lines = PARTS[match["name"]].splitlines()
        return "\n".join(match["indent"] + line if line else line for line in lines)

    if function.__doc__:  # None under ``python -OO``
        function.__doc__ = _PLACE.sub(part, function.__doc__)
    return function
