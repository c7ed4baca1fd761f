"""The pack's wording (`jkn_analysis.catalogue.wording`): every piece in both languages, with the
same placeholders, and no sentence left in the code."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from jkn_analysis.catalogue import wording
from jkn_analysis.catalogue.definitions import LANGUAGES

PACKAGE = Path(wording.__file__).resolve().parents[1]


def _leaves(document, trail=()):
    if wording.is_leaf(document):
        yield trail, document
    elif isinstance(document, dict):
        for key, value in document.items():
            yield from _leaves(value, (*trail, str(key)))


def _placeholders(text) -> set[str]:
    """The fields a text needs, less ``{…_word}`` ones: English plural forms ("error" or
    "errors"), which Indonesian does not inflect and so does not use."""
    if not isinstance(text, str):
        return set()
    fields = [name for _, name, _, _ in string.Formatter().parse(text) if name]
    names = {name.split(".")[0].split("[")[0] for name in fields}
    return {name for name in names if name and not name.endswith("_word")}


DOCUMENTS = {"text": wording.load_text()} | {
    namespace: wording.messages(namespace) for namespace in wording.namespaces()
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_piece_has_both_languages_with_the_same_placeholders(name):
    leaves = list(_leaves(DOCUMENTS[name]))
    assert leaves, f"{name}: no wording found"
    wrong = [
        ".".join(trail)
        for trail, leaf in leaves
        if _placeholders(leaf["id"]) != _placeholders(leaf["en"])
    ]
    assert not wrong, f"{name}: placeholders differ between the languages: {wrong}"


@pytest.mark.parametrize("namespace", wording.namespaces())
def test_message_files_hold_only_wording(namespace):
    """Each top-level entry is a piece of wording or a group of pieces, nothing half-translated."""

    def check(value, trail):
        if wording.is_leaf(value):
            return []
        if isinstance(value, dict) and value and not set(value) & set(LANGUAGES):
            return [
                problem for key, item in value.items() for problem in check(item, (*trail, key))
            ]
        return [".".join(map(str, trail))]

    problems = check(wording.messages(namespace), ())
    assert not problems, problems


def test_an_unknown_namespace_is_refused():
    with pytest.raises(KeyError, match=r"no wording file nothing\.yaml"):
        wording.messages("nothing")


def test_callers_get_their_own_copy():
    first = wording.messages("cli")
    first.clear()
    assert wording.messages("cli")


def _language_dicts(path: Path):
    """Dict literals in the code keyed by both languages: wording that belongs in the YAML."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Dict):
            texts = {
                key.value
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant) and isinstance(value, ast.Constant | ast.JoinedStr)
            }
            if set(LANGUAGES) <= texts:
                yield node.lineno


def test_no_wording_left_in_the_code():
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line in _language_dicts(path)
    ]
    assert not found, "wording in the code, move it to catalogue/messages: " + ", ".join(found)
