"""Unit tests for jkn_analysis.catalogue.definitions: the shipped catalogue and the parser's
checks."""

from __future__ import annotations

import copy

import pytest

from jkn_analysis.catalogue.definitions import (
    DEFAULT_SETTINGS,
    FIGURE_KINDS,
    LANGUAGES,
    SECTIONS,
    UNBOUNDED_INDICATOR_PREFIXES,
    UNBOUNDED_INDICATOR_UNITS,
    Bounds,
    Catalogue,
    CatalogueError,
    _parse_catalogue,
    load_catalogue,
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _document() -> dict:
    """A small but valid catalogue document."""
    return {
        "units": {
            "persons": {"id": "jiwa", "en": "persons", "integer": True},
            "percent": {"id": "persen", "en": "percent", "integer": False},
            "category": {"id": "kategori", "en": "category", "integer": False},
        },
        "sections": {"participation": {"number": "I", "id": "Kepesertaan", "en": "Participation"}},
        "figures": [
            {
                "code": "total",
                "label": {"id": "Total", "en": "Total"},
                "unit": "persons",
                "kind": "stock",
                "section": "participation",
                "parts": ["part_a", "part_b"],
                "bounds": ["1 juta", "400 juta"],
            },
            {
                "code": "part_a",
                "label": {"id": "A", "en": "A"},
                "unit": "persons",
                "kind": "stock",
                "section": "participation",
                "bounds": [0, "200 juta"],
            },
            {
                "code": "part_b",
                "label": {"id": "B", "en": "B"},
                "unit": "persons",
                "kind": "stock",
                "section": "participation",
                "checks": ["may_be_negative"],
                "bounds": ["-1.5 juta", 1.5e8],
            },
            {
                "code": "share_reported",
                "label": {"id": "Porsi", "en": "Share"},
                "unit": "percent",
                "kind": "rate",
                "section": "participation",
                "reported_indicator": "share",
                "dimensions": {"segment": "a"},
                "bounds": [0, 100],
            },
        ],
        "indicators": {
            "share": {
                "unit": "percent",
                "decimals": 2,
                "bounds": [0, 100],
                "label": {"id": "Porsi", "en": "Share"},
            },
            "position": {"unit": "category", "decimals": 0, "label": {"id": "P", "en": "P"}},
            "projection_share": {
                "unit": "percent",
                "decimals": 2,
                "label": {"id": "Proyeksi", "en": "Projection"},
            },
        },
    }


class TestLoadCatalogue:
    def test_loads_and_is_cached(self, catalogue):
        assert isinstance(catalogue, Catalogue)
        assert load_catalogue() is catalogue
        assert len(catalogue.figures) > 50
        assert len(catalogue.indicators) > 30

    def test_every_figure_has_both_labels(self, catalogue):
        for figure in catalogue.figures.values():
            assert set(figure.label) == set(LANGUAGES), figure.code
            assert all(text.strip() for text in figure.label.values()), figure.code

    def test_every_figure_code_is_its_key(self, catalogue):
        for code, figure in catalogue.figures.items():
            assert figure.code == code

    def test_every_figure_has_known_unit_kind_and_section(self, catalogue):
        for figure in catalogue.figures.values():
            assert figure.unit in catalogue.units, figure.code
            assert figure.kind in FIGURE_KINDS, figure.code
            assert figure.section in SECTIONS, figure.code

    def test_every_part_exists_and_shares_the_unit(self, catalogue):
        for figure in catalogue.figures.values():
            for part in figure.parts:
                assert part in catalogue.figures, (figure.code, part)
                assert catalogue.figures[part].unit == figure.unit, (figure.code, part)

    def test_every_reported_indicator_is_known(self, catalogue):
        reported = [f for f in catalogue.figures.values() if f.reported_indicator]
        assert reported, "the catalogue should carry published indicator values"
        for figure in reported:
            assert figure.reported_indicator in catalogue.indicators, figure.code

    def test_every_indicator_has_labels_unit_and_decimals(self, catalogue):
        for code, indicator in catalogue.indicators.items():
            assert indicator.code == code
            assert set(indicator.label) == set(LANGUAGES), code
            assert indicator.unit in catalogue.units, code
            assert isinstance(indicator.decimals, int) and indicator.decimals >= 0, code

    def test_every_figure_and_checked_indicator_has_bounds(self, catalogue):
        assert all(figure.bounds is not None for figure in catalogue.figures.values())
        for code, indicator in catalogue.indicators.items():
            unbounded = indicator.unit in UNBOUNDED_INDICATOR_UNITS or code.startswith(
                UNBOUNDED_INDICATOR_PREFIXES
            )
            assert (indicator.bounds is None) == unbounded, code

    def test_a_published_indicator_value_within_its_figure_bounds_is_within_the_indicator_bounds(
        self, catalogue
    ):
        # Otherwise a published value would pass its row's check and fail the indicator's.
        for figure in catalogue.figures.values():
            if figure.reported_indicator:
                indicator = catalogue.indicator(figure.reported_indicator).bounds
                assert indicator.lowest <= figure.bounds.lowest, figure.code
                assert figure.bounds.highest <= indicator.highest, figure.code

    def test_a_part_is_never_bounded_above_its_total(self, catalogue):
        # A part larger than the largest possible total can only be a slip.
        for figure in catalogue.figures.values():
            for part in figure.parts:
                assert catalogue.figures[part].bounds.highest <= figure.bounds.highest, part

    def test_units_have_labels_and_integer_flag(self, catalogue):
        assert catalogue.units["persons"].integer is True
        assert catalogue.units["rupiah"].integer is False
        assert catalogue.units["percent"].label == {"id": "persen", "en": "percent"}

    def test_sections_have_labels(self, catalogue):
        assert set(catalogue.sections) == set(SECTIONS)
        for section in catalogue.sections.values():
            assert {"id", "en", "number"} <= set(section)

    def test_known_figures(self, catalogue):
        assert catalogue.figure("active_total").parts == (
            "active_pbi",
            "active_non_pbi",
            "active_pbpu_pemda",
        )
        assert catalogue.figure("djs_net_assets").may_be_negative
        assert not catalogue.figure("active_pbi").may_be_negative
        assert catalogue.indicator("claim_ratio").decimals == 1

    def test_unknown_codes_raise_key_error_naming_them(self, catalogue):
        with pytest.raises(KeyError, match="no_such_figure"):
            catalogue.figure("no_such_figure")
        with pytest.raises(KeyError, match="no_such_indicator"):
            catalogue.indicator("no_such_indicator")

    @pytest.mark.parametrize(
        ("code", "parent"),
        [
            ("active_pbi", "active_total"),
            ("active_ppu_bumn", "active_ppu_non_pn"),
            ("active_bp_pn", "active_bp"),
            ("djs_investment_deposits", "djs_investment_total"),
            ("active_total", None),
            ("population", None),
        ],
    )
    def test_parent_of(self, catalogue, code, parent):
        assert catalogue.parent_of(code) == parent


class TestParseCatalogue:
    def test_small_document_parses(self):
        catalogue = _parse_catalogue(_document())
        assert list(catalogue.figures) == ["total", "part_a", "part_b", "share_reported"]
        assert catalogue.figures["total"].parts == ("part_a", "part_b")
        assert catalogue.figures["part_b"].may_be_negative
        assert catalogue.figures["share_reported"].reported_indicator == "share"
        assert catalogue.figures["share_reported"].dimensions == {"segment": "a"}
        assert catalogue.indicators["share"].decimals == 2
        assert catalogue.units["persons"].integer is True

    def _broken(self, change) -> dict:
        document = copy.deepcopy(_document())
        change(document)
        return document

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (
                lambda d: d["figures"].append(copy.deepcopy(d["figures"][1])),
                "'part_a' is defined twice",
            ),
            (lambda d: d["figures"][1].update(unit="litres"), "unknown unit 'litres'"),
            (lambda d: d["figures"][1].update(kind="forecast"), "unknown kind 'forecast'"),
            (lambda d: d["figures"][1].update(section="budget"), "unknown section 'budget'"),
            (lambda d: d["figures"][1].update(label={"id": "A"}), "needs a label"),
            (
                lambda d: d["figures"][1].update(label={"id": "A", "en": "A", "fr": "A"}),
                "needs a label",
            ),
            (lambda d: d["figures"][0].update(parts=["part_a", "part_c"]), "unknown part 'part_c'"),
            (
                lambda d: d["figures"][3].update(reported_indicator="nothing"),
                "unknown indicator 'nothing'",
            ),
            (lambda d: d["indicators"]["share"].update(unit="litres"), "'share' has unknown unit"),
            (lambda d: d["figures"][1].pop("bounds"), "'part_a': bounds must be"),
            (lambda d: d["figures"][1].update(bounds=[0]), "'part_a': bounds must be"),
            (lambda d: d["figures"][1].update(bounds=[5, 5]), "are empty"),
            (lambda d: d["figures"][1].update(bounds=["5 juta", "1 juta"]), "are empty"),
            (lambda d: d["figures"][1].update(bounds=[0, "200 crore"]), "'200 crore' is not a"),
            (lambda d: d["figures"][1].update(bounds=[0, "lots"]), "'lots' is not a number"),
            (lambda d: d["figures"][1].update(bounds=[False, 1]), "must be numbers"),
            (lambda d: d["indicators"]["share"].pop("bounds"), "indicator 'share': bounds must"),
            (
                lambda d: d["indicators"]["position"].update(bounds=[0, 1]),
                "'position' is not checked against bounds",
            ),
            (
                lambda d: d["indicators"]["projection_share"].update(bounds=[0, 1]),
                "'projection_share' is not checked against bounds",
            ),
        ],
    )
    def test_inconsistencies_raise(self, change, message):
        with pytest.raises(CatalogueError, match=message):
            _parse_catalogue(self._broken(change))

    def test_bounds_take_numbers_and_scale_words(self):
        catalogue = _parse_catalogue(_document())
        assert catalogue.figures["total"].bounds == Bounds(1e6, 4e8)
        assert catalogue.figures["part_b"].bounds == Bounds(-1.5e6, 1.5e8)
        assert 4e8 in catalogue.figures["total"].bounds  # both ends included
        assert 1e6 - 1 not in catalogue.figures["total"].bounds
        assert catalogue.indicators["share"].bounds == Bounds(0, 100)
        assert catalogue.indicators["position"].bounds is None
        assert catalogue.indicators["projection_share"].bounds is None

    def test_catalogue_error_is_a_value_error(self):
        assert issubclass(CatalogueError, ValueError)


class TestSettings:
    def test_shipped_setting(self, catalogue):
        assert catalogue.setting("stock_change_warning_percent") == 15.0

    def test_default_when_the_document_has_no_settings(self):
        catalogue = _parse_catalogue(_document())
        assert (
            catalogue.setting("stock_change_warning_percent")
            == (DEFAULT_SETTINGS["stock_change_warning_percent"])
        )

    def test_document_setting_is_read(self):
        document = _document() | {"settings": {"stock_change_warning_percent": 7.5}}
        assert _parse_catalogue(document).setting("stock_change_warning_percent") == 7.5

    @pytest.mark.parametrize(
        ("settings", "message"),
        [
            ({"stock_change_percent": 10}, "unknown setting 'stock_change_percent'"),
            ({"stock_change_warning_percent": "10%"}, "must be a number"),
            ({"stock_change_warning_percent": -1}, "must be a number"),
            ({"stock_change_warning_percent": True}, "must be a number"),
        ],
    )
    def test_bad_settings_raise(self, settings, message):
        with pytest.raises(CatalogueError, match=message):
            _parse_catalogue(_document() | {"settings": settings})

    def test_unknown_setting_name_raises_key_error(self, catalogue):
        with pytest.raises(KeyError, match="no_such_setting"):
            catalogue.setting("no_such_setting")


class TestReportRequirements:
    def test_shipped_requirements(self, catalogue):
        requirements = catalogue.report_requirements
        assert requirements.sections == 2
        assert set(requirements.key_figures) == set(catalogue.sections)
        for section, codes in requirements.key_figures.items():
            assert all(catalogue.figures[code].section == section for code in codes)

    def test_none_given_asks_for_nothing(self):
        requirements = _parse_catalogue(_document()).report_requirements
        assert (requirements.sections, requirements.key_figures) == (0, {})

    def test_document_requirements_are_read(self):
        spec = {"sections": 1, "key_figures": {"participation": ["total"]}}
        requirements = _parse_catalogue(_document() | {"report_requirements": spec})
        assert requirements.report_requirements.key_figures == {"participation": ("total",)}

    @pytest.mark.parametrize(
        ("spec", "message"),
        [
            ({"sections": 1, "key_figures": {"participation": ["nope"]}}, "'nope' is not a"),
            ({"sections": 1, "key_figures": {"finance": ["total"]}}, "of section 'finance'"),
            ({"sections": 1, "key_figures": {"participation": []}}, "lists no figure"),
            ({"sections": 2, "key_figures": {"participation": ["total"]}}, "from 0 to 1"),
            ({"sections": "2", "key_figures": {"participation": ["total"]}}, "whole number"),
        ],
    )
    def test_bad_requirements_raise(self, spec, message):
        with pytest.raises(CatalogueError, match=message):
            _parse_catalogue(_document() | {"report_requirements": spec})
