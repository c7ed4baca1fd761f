"""Indicators declared in the catalogue: the loop of jkn_analysis.indicators.compute computes
what figures.yaml declares, and a declaration naming what does not exist is refused."""

from __future__ import annotations

import copy
from functools import cache

import pandas as pd
import pytest
import yaml

from jkn_analysis.catalogue.definitions import (
    CATALOGUE_DIR,
    Catalogue,
    CatalogueError,
    _parse_catalogue,
    load_catalogue,
)
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.indicators.compute import ACTIVE_SEGMENTS, compute_indicators
from jkn_analysis.indicators.declarations import check_declarations
from jkn_analysis.inputs.figures import FigureSet
from jkn_analysis.inputs.loading import FIGURE_COLUMNS

Q1 = Quarter(2024, 1)
Q2 = Quarter(2024, 2)
LABEL = {"id": "Uji", "en": "Test"}


@cache
def _shipped_document() -> dict:
    return yaml.safe_load((CATALOGUE_DIR / "figures.yaml").read_text("utf-8"))


def catalogue_with(**indicators: dict) -> Catalogue:
    """The shipped catalogue with further indicators declared."""
    document = copy.deepcopy(_shipped_document())
    for code, spec in indicators.items():
        bounds = {} if spec.get("unit") == "category" else {"bounds": [-1000, 1000]}
        document["indicators"][code] = {
            "unit": "percent",
            "decimals": 2,
            "label": LABEL,
            **bounds,
            **spec,
        }
    return _parse_catalogue(document)


def figure_set(catalogue: Catalogue, periods: dict[Quarter, dict[str, float]]) -> FigureSet:
    rows = [
        {
            "period": str(period),
            "code": code,
            "value": float(value),
            "status": "observed",
            "source": "",
            "note": "",
            "file": "",
            "row": 2,
        }
        for period, values in periods.items()
        for code, value in values.items()
    ]
    return FigureSet(pd.DataFrame(rows, columns=FIGURE_COLUMNS), catalogue)


class TestTheLoopComputesWhatIsDeclared:
    def test_a_new_indicator_is_one_entry(self):
        catalogue = catalogue_with(
            pbi_share_of_active={
                "formula": "share_of_total",
                "inputs": {"part": "active_pbi", "total": "active_total"},
            }
        )
        figures = figure_set(catalogue, {Q1: {"active_pbi": 96e6, "active_total": 240e6}})
        item = compute_indicators(figures, Q1).get("pbi_share_of_active")
        assert item.value == pytest.approx(40.0)
        assert (item.method, item.inputs, item.period) == (
            "computed",
            ("active_pbi", "active_total"),
            "2024Q1",
        )

    def test_a_breakdown_with_an_offset_and_a_period_value(self):
        catalogue = catalogue_with(
            segment_growth_pro_rata={
                "formula": "premium_income_vs_pro_rata_target",
                "inputs": {
                    "premium_income": "active_{segment}",
                    "annual_target": "active_{segment}@previous_quarter",
                },
                "given": {"months_elapsed": "period:months_elapsed"},
                "for": {"segment": ["pbi", "bp"]},
            }
        )
        values = {"active_pbi": 100.0e6, "active_bp": 5e6}
        figures = figure_set(catalogue, {Q1: values, Q2: values})
        indicators = compute_indicators(figures, Q2)
        # 100 / (100 × 6 / 12) × 100
        assert indicators.value("segment_growth_pro_rata", segment="pbi") == pytest.approx(200)
        assert indicators.get("segment_growth_pro_rata", segment="bp").inputs == (
            "active_bp",
            "active_bp@2024Q1",
        )
        # In a first quarter the previous quarter is December: the indicator is left out.
        assert compute_indicators(figures, Q1).get("segment_growth_pro_rata", segment="pbi") is None

    def test_an_indicator_in_more_than_one_way_and_from_an_indicator(self):
        catalogue = catalogue_with(
            coverage_twice={
                "computed": [
                    {
                        "formula": "registered_coverage",
                        "inputs": {
                            "registered": "registered_participants",
                            "population": "population",
                        },
                        "dimensions": {"basis": "registered"},
                    },
                    {
                        "formula": "active_share_of_population",
                        "inputs": {"active": "active_total", "population": "population"},
                        "dimensions": {"basis": "active"},
                    },
                ],
            },
            coverage_level={
                "unit": "category",
                "formula": "corridor_position",
                "inputs": {"months": "indicator:registered_coverage"},
                "given": {"floor": "active_total", "ceiling": "registered_participants"},
            },
        )
        values = {"registered_participants": 270e6, "active_total": 220e6, "population": 280e6}
        indicators = compute_indicators(figure_set(catalogue, {Q1: values}), Q1)
        assert indicators.value("coverage_twice", basis="registered") == pytest.approx(96.43, 0.01)
        assert indicators.value("coverage_twice", basis="active") == pytest.approx(78.57, 0.01)
        # 96,4 lies below a floor of 220 juta
        item = indicators.get("coverage_level")
        assert (item.value, item.inputs) == ("below", ("registered_coverage",))

    def test_the_shipped_declarations_resolve(self):
        check_declarations(load_catalogue())

    def test_the_report_breakdowns_come_from_the_catalogue(self):
        assert ACTIVE_SEGMENTS["total"] == "active_total"
        assert list(ACTIVE_SEGMENTS)[:3] == ["total", "pbi", "non_pbi"]


def level(value: str, formula: str = "level") -> dict:
    return {"formula": formula, "inputs": {"value": value}}


class TestAWrongDeclarationIsRefused:
    @pytest.mark.parametrize(
        ("spec", "message"),
        [
            (
                {"formula": "level", "inputs": {"value": "active_nobody"}},
                "unknown figure 'active_nobody'",
            ),
            (
                {
                    "formula": "change",
                    "inputs": {"current": "fktp_total", "previous": "fktp_total@last_week"},
                },
                "unknown offset 'last_week'",
            ),
            (
                {
                    "formula": "level",
                    "inputs": {"value": "premium_income@same_quarter_of_earlier_years"},
                },
                "a history .* may only be given",
            ),
            ({"formula": "level", "inputs": {"value": "period:weeks"}}, "unknown period value"),
            (
                {"formula": "level", "inputs": {"value": "indicator:nothing"}},
                "no indicator 'nothing'",
            ),
            (
                {"formula": "level", "inputs": {"value": "active_{segment}"}},
                "no breakdown 'segment'",
            ),
            ({"formula": "level"}, "needs inputs"),
            ({**level("active_{segment}"), "for": {"segment": "pbi"}}, "a list of values"),
            (
                {
                    "computed": [
                        {"formula": "level", "inputs": {"value": "population"}, "unit": "x"}
                    ]
                },
                "unknown keys",
            ),
        ],
    )
    def test_when_the_catalogue_is_read(self, spec, message):
        with pytest.raises(CatalogueError, match=f"indicator 'wrong'.*{message}"):
            catalogue_with(wrong=spec)

    @pytest.mark.parametrize(
        ("spec", "message"),
        [
            (
                {"formula": "no_such_formula", "inputs": {"value": "population"}},
                "unknown formula 'no_such_formula'",
            ),
            ({"formula": "change", "inputs": {"current": "population"}}, r"missing \['previous'\]"),
            (
                {"formula": "level", "inputs": {"amount": "population"}},
                r"unknown parameters \['amount'\]",
            ),
            ({"formula": "Mapping", "inputs": {"value": "population"}}, "unknown formula"),
            ({"formula": "_percent", "inputs": {"value": "population"}}, "unknown formula"),
        ],
    )
    def test_when_the_first_period_is_computed(self, spec, message):
        catalogue = catalogue_with(wrong=spec)
        with pytest.raises(CatalogueError, match=f"indicator 'wrong'.*{message}"):
            check_declarations(catalogue)
        with pytest.raises(CatalogueError, match=message):
            compute_indicators(figure_set(catalogue, {Q1: {"population": 280e6}}), Q1)
