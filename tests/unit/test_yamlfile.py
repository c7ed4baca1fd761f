"""The pack's one YAML reader (`jkn_analysis.catalogue.yamlfile.load_yaml`)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jkn_analysis.catalogue import yamlfile

PACKAGE = Path(yamlfile.__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.yaml")), ids=lambda path: path.relative_to(PACKAGE).as_posix()
)
def test_every_shipped_file_reads_as_safe_load_reads_it(path):
    text = path.read_text("utf-8")
    assert yamlfile.load_yaml(text) == yaml.safe_load(text)


def test_a_malformed_document_is_worded_by_the_python_parser():
    text = "rules:\n  - id: a\n    title: [unclosed\n"
    with pytest.raises(yaml.YAMLError) as fast:
        yamlfile.load_yaml(text)
    with pytest.raises(yaml.YAMLError) as python:
        yaml.safe_load(text)
    assert str(fast.value) == str(python.value)


def test_only_safe_types():
    with pytest.raises(yaml.YAMLError):
        yamlfile.load_yaml("!!python/object/apply:os.system ['true']")


def test_without_libyaml_the_python_parser_reads(monkeypatch):
    monkeypatch.setattr(yamlfile, "_FAST_LOADER", None)
    assert yamlfile.load_yaml("a: 1,5\nb: [1, 2]") == {"a": "1,5", "b": [1, 2]}
