"""Worksheet titles shared by the data-entry workbook (`workbook`) and the reader (`loading`):
one per report section, valid in Excel, in the workbook's language."""

from __future__ import annotations

from jkn_analysis.catalogue.definitions import Catalogue, load_catalogue

# The hidden sheet by which the data-entry template marks its workbooks.
METADATA_SHEET = "_jkn"
SHEET_TITLE_MAX = 31  # Excel's limit
_SHEET_TITLE_FORBIDDEN = set("/\\?*[]:")


def sheet_title(number: str, name: str) -> str:
    """A valid worksheet title ``"<number> <name>"`` of at most 31 characters.

    Characters Excel forbids (``/\\?*[]:``) are dropped; a title that is too long first writes
    "dan"/"and" as "&", then drops whole words from the end.
    """
    clean = "".join(" " if char in _SHEET_TITLE_FORBIDDEN else char for char in name)
    words = clean.split()
    title = " ".join([number, *words]).strip().strip("'")
    if len(title) > SHEET_TITLE_MAX:
        words = ["&" if word.lower() in {"dan", "and"} else word for word in words]
        title = " ".join([number, *words])
    while len(title) > SHEET_TITLE_MAX and len(words) > 1:
        words = words[:-1]
        while len(words) > 1 and words[-1] in {"&", ",", "-"}:
            words = words[:-1]
        title = " ".join([number, *words])
    return title[:SHEET_TITLE_MAX].strip()


def section_sheet_titles(language: str = "id", catalogue: Catalogue | None = None) -> dict:
    """Sheet title of each report section, in catalogue order: ``{"participation": "I ..."}``."""
    catalogue = catalogue or load_catalogue()
    titles: dict[str, str] = {}
    for key, section in catalogue.sections.items():
        title = sheet_title(str(section.get("number", "")), section[language])
        base, counter = title, 2
        while title.lower() in {t.lower() for t in titles.values()} or title == METADATA_SHEET:
            suffix = f" ({counter})"
            title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
            counter += 1
        titles[key] = title
    return titles
