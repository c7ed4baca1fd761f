"""`Fragment`: a piece of HTML that notebooks display as rich output."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fragment:
    """A piece of a report as HTML; JupyterLab and nbconvert display it as rich output."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html
