"""Recommendation rules: ``catalogue/rules.yaml`` evaluated on the computed indicators.

Each rule names the recommendation it makes (title and text in Indonesian and English), the
report section it belongs to, the indicator the report places it beside (``anchor``) and the
condition under which it applies. `evaluate` returns the rules whose condition holds for a
period, each with the formatted figures that made it hold (`Evidence`), in both languages.
`load_rules` reads and checks the file (`jkn_analysis.recommendations.rulebook`); the
conditions, their evaluation and their evidence are `jkn_analysis.recommendations.conditions`.

The file
--------
``thresholds:``
    name → ``{value, unit, source: {id, en}}`` and optionally ``decimals`` (how the value is
    printed; by default as written, ``1.5`` → ``1,5``) and ``from_year`` / ``until_year`` (the
    years the target applies to, both included: an RPJMN 2025-2029 target is ``from_year:
    2025``; a comparison with a threshold outside its years is unknown, so it never holds).
    ``unit`` is a catalogue unit and must be the unit of whatever the threshold is compared
    with. ``source`` says where the value comes from: a regulation, a DJSN target, or, where
    none exists, that it is this report's own warning level (never DJSN's).
``breakdowns:``
    breakdown key (``segment``, ``service``, ``reason``, ``instrument``) → value → ``{id, en}``
    label used in evidence, ``Peserta non aktif karena mutasi data``. Only these keys and values may
    appear in a rule.
``rules:``
    a list of ``{id, section, anchor, condition, title: {id, en}, text: {id, en}}``; ``section``
    is ``participation``, ``facilities`` or ``finance``; ``anchor`` is an indicator reference.

Conditions
----------
A condition is a YAML mapping, read by the small recursive evaluator of this module (never by
``eval``). An *indicator reference* is ``{indicator: code}`` plus breakdown keys, for example
``{indicator: claims_expense_growth_yoy, service: ritl}``.

``{all: [c, ...]}``, ``{any: [c, ...]}``, ``{not: c}``
    Combinations of conditions.
``{first_known: [c, ...]}``
    A fallback: the first condition that is known (its figures exist) decides, with its
    evidence; the better measure first (premium income against the seasonal target, else
    against the target pro rata to the months).
``{indicator: code, <breakdown>: value, op: OP, than: RIGHT}``
    Comparison. ``OP`` is one of ``>``, ``>=``, ``<``, ``<=``, ``==``. ``RIGHT`` is a threshold
    name or an indicator reference of the same unit. ``annualise: true`` first scales a
    year-to-date percentage to a full year (× 12 / months elapsed), for yields compared with an
    annual target.
``{ratio: {numerator: REF, denominator: REF}, op: OP, than: RIGHT}``
    numerator / denominator × 100 (percent; both of one unit), compared with a percent
    threshold or indicator.
``{growth: REF, versus: PERIOD, op: OP, than: RIGHT}``
    Growth of an indicator, in percent, computed from the history where no growth indicator
    exists. ``PERIOD`` is ``year_earlier`` (the only meaningful choice for year-to-date flows),
    ``previous_december`` or ``previous_quarter``.
``{trend: REF, direction: falling|rising, periods: n}``
    The indicator moved strictly in one direction over the last ``n`` (at least 2) periods of
    the history in which it is available, ending with the evaluated period itself.

``ratio`` and ``growth`` leaves accept ``decimals`` (default 2), the precision at which they are
printed and compared.

Semantics
---------
Values are compared as the report prints them: rounded half up to the catalogue's decimals
(ratios and growths to their ``decimals``), so ``100,0%`` never shows up as evidence of
``> 100%``. A leaf whose indicator is missing (or whose growth or ratio is undefined) is
*unknown*: it never holds, and ``not`` of an unknown is unknown too, so no rule fires without
figures behind it (three-valued logic: ``all`` is false when a part is false, else unknown when
a part is unknown; ``any`` is true when a part is true; ``first_known`` is its first known
part). Every leaf that holds yields one
`Evidence` per language: for ``all`` every leaf, for ``any`` only the parts that held; ``not``
yields none, so a rule must contain a leaf outside every ``not`` (checked at load time).
Unknown keys, operators, indicators, breakdowns and thresholds, and a string where a mapping is
expected, are errors raised by `load_rules` naming the rule.

Evidence
--------
Evidence is a sentence in words, never machinery: no comparison operators, no signed numbers
(`jkn_analysis.recommendations.evidence_words`, templates in ``messages/rules.yaml``). Labels
are the catalogue's indicator labels with their breakdown (reasons as a phrase, others in
brackets, totals left out); values are printed as the report prints them, rounded half up at
the catalogue's decimals, counts from a million up with their scale word. Thresholds are named
by their ``label``, with the regulation and year it gives. One template per kind of leaf
(Indonesian; English alike):

- threshold: ``Cakupan kepesertaan terhadap penduduk 96,00%, di bawah target 98% untuk 2024
  (Perpres 36/2023)``
- indicator: ``..., lebih tinggi dari pertumbuhan pemanfaatan 15,84%``
- annualised: ``YoI BPJS Kesehatan (disetahunkan) 6,00%, di bawah target ICK DJSN 2024
  sebesar 7% setahun``
- ratio: ``Peserta non aktif karena mutasi data 31,35 juta, 66,20% dari 47,36 juta peserta
  non aktif, lebih dari separuh``
- change or growth (growth leaves, and indicators listed under ``moves``): ``Peserta aktif PBI
  turun 28.148 jiwa sejak Desember``; ``Pendapatan iuran naik 7,22% dibanding tahun lalu, lebih
  rendah dari beban jaminan RITL (naik 31,0%)``. A zero threshold adds nothing (the rise or
  fall is the finding) or the context its label names.
- trend: ``Ketahanan dana DJS turun dalam 2 periode terakhir yang datanya tersedia: 5,98 bulan
  (TW IV 2022), lalu 3,98 bulan (TW I 2024)``
- an indicator with a sentence of its own (``indicator_sentences``), such as the projection's
  years to the floor: ``Menurut proyeksi (skenario dasar), ketahanan dana DJS turun di bawah
  1,5 bulan dalam 1 tahun, masih dalam cakupan proyeksi 5 tahun ke depan``

`Evidence.source` is the threshold's source in that language, and empty for leaves compared
with another indicator or a trend (no threshold).
"""

from __future__ import annotations

from collections.abc import Mapping

from jkn_analysis.catalogue.definitions import LANGUAGES
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.compute import Indicator, IndicatorSet
from jkn_analysis.indicators.formulas import years_to_floor
from jkn_analysis.recommendations.conditions import Context
from jkn_analysis.recommendations.evidence import TriggeredRule
from jkn_analysis.recommendations.rulebook import RuleBook, RuleError, load_rules

__all__ = ["PROJECTION_FACT", "evaluate", "load_rules", "with_projection"]

PROJECTION_FACT = "projection_years_to_floor"


def with_projection(
    history: Mapping[Quarter, IndicatorSet], period: Quarter, first_year_below_floor: object
) -> dict[Quarter, IndicatorSet]:
    """The history with the projection's result added to ``period`` as a rule indicator.

    The actuarial rule reads ``projection_years_to_floor``: the years from the period's year
    to the baseline projection's first year below the 1,5-month floor of PP 53/2018. A
    projection that could not be made, or that stays above the floor (``None`` or ``"none"``),
    adds nothing, so the rule's projection leaf stays unknown and never fires on a missing
    figure.

    Parameters
    ----------
    history : mapping of Quarter to IndicatorSet
        As `evaluate` takes it; not modified.
    period : Quarter
        The period the projection starts from.
    first_year_below_floor : int, str or None
        The baseline projection's first year below the floor, as the projection gives it.
    """
    result = dict(history)
    try:
        year = int(first_year_below_floor)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return result
    if period not in history or year < period.year:
        return result
    indicators = history[period]
    item = Indicator(
        PROJECTION_FACT,
        float(years_to_floor(year, period.year)),
        indicators.catalogue.indicator(PROJECTION_FACT).unit,
        str(period),
        inputs=("projection_first_year_below_floor",),
    )
    result[period] = IndicatorSet(
        period,
        [*indicators, item],
        indicators.catalogue,
        indicators.undefined,
        indicators.out_of_bounds,
    )
    return result


def evaluate(
    rulebook: RuleBook, history: Mapping[Quarter, IndicatorSet], period: Quarter
) -> list[TriggeredRule]:
    """The rules whose condition holds for ``period``, in file order, with their evidence.

    Parameters
    ----------
    rulebook : RuleBook
        From `load_rules`.
    history : mapping of Quarter to IndicatorSet
        The indicators of ``period`` and of any earlier periods (growths and trends use them).
    period : Quarter
        The period evaluated; it must be in ``history``.

    Returns
    -------
    list of TriggeredRule
        Each with ``evidence[language]``, one `Evidence` per leaf that held, never empty.

    Raises
    ------
    KeyError
        If ``period`` is not in ``history``.
    """
    if period not in history:
        raise KeyError(f"no indicators for {period}; the history holds {sorted(map(str, history))}")
    context = Context(history, period, rulebook)
    triggered = []
    for rule in rulebook.rules:
        state, facts = rule.condition.evaluate(context)
        if state is not True:
            continue
        if not facts:  # load_rules refuses such rules; never show a recommendation bare
            raise RuleError(f"rule {rule.id!r} held for {period} without any evidence")
        triggered.append(
            TriggeredRule(
                rule_id=rule.id,
                section=rule.section,
                title=dict(rule.title),
                text=dict(rule.text),
                evidence={
                    language: tuple(fact.evidence(language, rulebook) for fact in facts)
                    for language in LANGUAGES
                },
                anchor=rule.anchor.as_anchor(),
            )
        )
    return triggered
