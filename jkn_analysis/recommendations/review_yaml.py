"""Reading ``review.yaml`` with the line of every key and item, for messages that point at it.

`LineLoader` is PyYAML's safe loader (no Python tags) that keeps line numbers, reports keys
given twice, refuses nesting deeper than `MAX_DEPTH` (`TooDeep`) and turns the errors PyYAML's
constructors raise for some scalars into `BadValue`. `line_of` finds a key's line; `shown`
writes a value, shortened, as a message quotes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import yaml


class LineMapping(dict):
    """A YAML mapping with the line of each key (1-based) and of the mapping itself."""

    line: int | None = None
    key_lines: dict
    duplicates: list  # (key, line, first line)


class _LineSequence(list):
    """A YAML sequence with its line and the line of each item."""

    line: int | None = None
    item_lines: list


# Nesting deeper than this is refused before PyYAML's recursive composer reaches Python's
# recursion limit (no review file comes near it).
MAX_DEPTH = 100


class BadValue(yaml.YAMLError):
    """A scalar the safe loader recognises (by its tag or its form) but cannot build, such as
    ``2024-13-45`` (a date), ``!!int abc`` or ``!!bool maybe``."""

    def __init__(self, node: yaml.Node, reason: str):
        super().__init__(reason)
        self.found = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
        self.kind = node.tag.rsplit(":", 1)[-1]
        self.reason = reason
        self.line = node.start_mark.line + 1


class TooDeep(yaml.YAMLError):
    """Brackets or indentation nested deeper than `MAX_DEPTH` levels."""

    def __init__(self, mark: yaml.Mark):
        super().__init__("nested too deeply")
        self.line = mark.line + 1


class LineLoader(yaml.SafeLoader):
    """PyYAML's safe loader, keeping line numbers and reporting keys given twice.

    PyYAML's own constructors raise ValueError, IndexError and the like (not YAMLError) for some
    scalars; they come out as `BadValue`, with the node's line.
    """

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, LookupError, AttributeError, ArithmeticError) as error:
            reason = str(error) or type(error).__name__
            raise BadValue(node, reason) from None

    def compose_node(self, parent, index):
        # The composer recurses once per level of nesting: stop before Python's own limit.
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> LineMapping:
    loader.flatten_mapping(node)
    mapping = LineMapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    mapping.duplicates = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                "found an unhashable key",
                key_node.start_mark,
            ) from None
        line = key_node.start_mark.line + 1
        if key in mapping:
            mapping.duplicates.append((key, line, mapping.key_lines[key]))
            continue
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _construct_sequence(loader: LineLoader, node: yaml.SequenceNode) -> _LineSequence:
    sequence = _LineSequence(loader.construct_object(item, deep=True) for item in node.value)
    sequence.line = node.start_mark.line + 1
    sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
    return sequence


LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def line_of(mapping: object, key: object) -> int | None:
    """The line of ``key`` in a mapping `LineLoader` read, else the line of the value itself."""
    lines = getattr(mapping, "key_lines", None)
    return lines.get(key) if lines else getattr(mapping, "line", None)


def shown(value: object) -> str:
    """A value as the file shows it, shortened, for messages."""
    if value is None:
        return "null"
    if isinstance(value, str):
        text = value
    else:
        # Written piece by piece and only as far as shown: aliases can make a short file hold
        # a structure of billions of items ("billion laughs").
        text = ""
        for piece in _json_pieces(value):
            text += piece
            if len(text) > 60:
                break
    return text if len(text) <= 60 else text[:57] + "..."


def _json_pieces(value: object) -> Iterator[str]:
    """``value`` as JSON, lazily; keys JSON cannot hold (dates, numbers) are written as text."""
    if isinstance(value, dict):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            name = key if isinstance(key, str) else str(key)
            yield (", " if index else "") + json.dumps(name, ensure_ascii=False) + ": "
            yield from _json_pieces(item)
        yield "}"
    elif isinstance(value, list | tuple):
        yield "["
        for index, item in enumerate(value):
            yield ", " if index else ""
            yield from _json_pieces(item)
        yield "]"
    else:
        yield json.dumps(value, ensure_ascii=False, default=str)
