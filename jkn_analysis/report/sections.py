"""What each section shows, in order: its tables and charts, which numbers their captions.

A caption's number (``Tabel 1.2``, ``Grafik 3.1``) is the section's number and the place of
the table (or chart) among the section's tables (charts) that have data, in the order of
`PARTS`: the same however often, and in whatever order, a section is rendered.
"""

from __future__ import annotations

# The tables and charts of each section in the order the page shows them: (name, kind).
PARTS: dict[str, tuple[tuple[str, str], ...]] = {
    "participation": (
        ("coverage_table", "table"),
        ("trend_chart", "chart"),
        ("active_table", "table"),
        ("active_chart", "chart"),
        ("non_active_table", "table"),
        ("ick_table", "table"),
        ("ick_chart", "chart"),
    ),
}
SECTION_NUMBERS = {"participation": 1, "facilities": 2, "finance": 3}


def caption_numbers(section: str, present: set[str]) -> dict[str, str]:
    """The number of each part of ``section`` that is ``present``: ``{"active_table": "1.2"}``."""
    numbers, counts = {}, {}
    for name, kind in PARTS[section]:
        if name in present:
            counts[kind] = counts.get(kind, 0) + 1
            numbers[name] = f"{SECTION_NUMBERS[section]}.{counts[kind]}"
    return numbers
