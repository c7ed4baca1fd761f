"""What each section shows, in order: its tables and charts, which numbers their captions.

A caption's number (``Tabel 1.2``, ``Grafik 3.1``) is the section's number and the place of
the table (or chart) among the section's tables (charts) that have data, in the order of
`PARTS`: the same however often, and in whatever order, a section is rendered.
"""

from __future__ import annotations

from jkn_analysis.report.rendering import text

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
    "facilities": (
        ("facilities_table", "table"),
        ("fktp_chart", "chart"),
        ("utilisation_table", "table"),
        ("visits_chart", "chart"),
        ("claims_table", "table"),
        ("claims_chart", "chart"),
        ("top_cases_table", "table"),
    ),
    "finance": (
        ("djs_table", "table"),
        ("claim_ratio_chart", "chart"),
        ("flows_chart", "chart"),
        ("months_chart", "chart"),
        ("investment_table", "table"),
        ("investment_chart", "chart"),
        ("projection_start_table", "table"),
        ("projection_drivers_table", "table"),
        ("projection_calendar_table", "table"),
        ("projection_scenarios_table", "table"),
        ("projection_chart", "chart"),
        ("projection_outcome_table", "table"),
        ("projection_baseline_table", "table"),
        ("projection_sensitivity_table", "table"),
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


def table_captions(
    language: str, numbers: dict[str, str], keys: dict[str, str], **values: dict
) -> dict[str, str]:
    """The captions of a section's tables that have data: ``Tabel 1.2 Jumlah Peserta …``.

    ``keys`` gives each part's caption (a key of ``text.yaml``), ``values`` the placeholders
    of those that have some, by part name.
    """
    return {
        name: f"{text(language, 'table')} {number} "
        + text(language, keys[name], **values.get(name, {}))
        for name, number in numbers.items()
        if name.endswith("_table")
    }
