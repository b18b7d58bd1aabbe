"""Strict YAML: untrusted text to plain data, remembering where every node stood.

Built from the event stream of PyYAML's C parser, so no node graph is ever shared:
- anchors, aliases and merge keys are refused (an alias bomb costs nothing to refuse);
- explicit tags (`!!python/object`, `!foo`, even `!!str`) are refused;
- duplicate keys are errors, not "last one wins";
- only `true`/`false` are booleans, only `null`/`~`/empty are null, and only plain decimal
  numbers are numbers: `NO`, `yes`, `010`, `1:30`, `0x1F` and `2014-11-05` stay strings;
- nesting depth, node count and number length are capped; one document per file;
- numbers too big to be finite (`1e999`) stay strings, so `inf` and `nan` never appear.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

MAX_DEPTH = 40
MAX_NODES = 5_000_000
"""Scalars and containers per file: a 100,000-item briefing has about 3.5 million. Each costs
the loader a microsecond or two, so this bounds the time a file of tiny nodes can take."""
MAX_NUMBER_DIGITS = 30
MAX_SHOWN = 60
"""Characters of a key, tag or anchor name quoted in a message."""

_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""Line breaks as the C parser counts them (YAML 1.1), so every position agrees."""

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(
    r"[-+]?(0|[1-9][0-9]*)\.[0-9]+([eE][-+]?[0-9]+)?|[-+]?[1-9][0-9]*[eE][-+]?[0-9]+"
)

Position = tuple[int, int]
"""Zero-based (line, column)."""


class YamlProblem(Exception):
    """A YAML text that cannot be accepted, with the zero-based position of the cause."""

    def __init__(self, message: str, position: Position) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass
class Positions:
    """Where each node of the loaded data stood in the text.

    Keyed by the id of each dict or list in the data (they live as long as the data does):
    a dict maps each key to (key position, value position); a list has a value position each.
    """

    root: Position = (0, 0)
    maps: dict[int, dict[str, tuple[Position, Position]]] = field(default_factory=dict)
    lists: dict[int, list[Position]] = field(default_factory=dict)

    def locate(
        self, data: Any, loc: tuple[str | int, ...], at_key: bool = False
    ) -> tuple[Position, int]:
        """The position of the node at loc (or of its key), and how much of loc was found."""
        position = self.root
        node = data
        for depth, part in enumerate(loc):
            if isinstance(node, dict) and isinstance(part, str) and part in node:
                key_position, value_position = self.maps[id(node)][part]
                last = depth == len(loc) - 1
                position = key_position if (at_key and last) else value_position
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                position = self.lists[id(node)][part]
                node = node[part]
            else:
                return position, depth
        return position, len(loc)


def _scalar(value: str, plain: bool) -> Any:
    if not plain:
        return value
    if value in ("", "~", "null"):
        return None
    if value == "true":
        return True
    if value == "false":
        return False
    if len(value) <= MAX_NUMBER_DIGITS + 1:
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            number = float(value)
            return number if math.isfinite(number) else value
    return value


def _shown(text: str) -> str:
    """A key or name for a message: quoted, and clipped when long (cleaned when printed)."""
    if len(text) > MAX_SHOWN:
        text = text[: MAX_SHOWN - 1] + "…"
    return repr(text)


def _position_of(text: str, index: int) -> Position:
    """The (line, column) of a character index, counting breaks as the parser does."""
    line = 0
    line_start = 0
    for found in _BREAKS.finditer(text, 0, index):
        line += 1
        line_start = found.end()
    return (line, max(0, index - line_start))


def _reader_position(text: str, offset: int) -> Position:
    """Where a reader error stood: the C parser reports a byte offset into the UTF-8 text."""
    if _Parser is yaml.SafeLoader:  # pragma: no cover - the pure-Python reader counts characters
        return _position_of(text, offset)
    prefix = text.encode("utf-8", "surrogatepass")[:offset]
    return _position_of(text, len(prefix.decode("utf-8", "ignore")))


def _at(mark: Any) -> Position:
    return (mark.line, mark.column)


def load(text: str) -> tuple[Any, Positions]:
    """Parse one YAML document strictly into dicts, lists and scalars, with positions."""
    positions = Positions()
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        raise YamlProblem(
            f"character U+{ord(surrogate.group()):04X} (a lone surrogate) is not allowed in YAML text",
            _position_of(text, surrogate.start()),
        )
    parser = _Parser(text)
    try:
        return _build(parser, positions), positions
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = _at(mark) if mark is not None else (0, 0)
        message = error.problem or error.context or "malformed YAML"
        if error.context and error.problem:
            message = f"{error.context}: {error.problem}"
        raise YamlProblem(f"YAML syntax: {message}", where) from None
    except yaml.reader.ReaderError as error:
        character = error.character
        code = character if isinstance(character, int) else ord(character[:1] or "\0")
        raise YamlProblem(
            f"character U+{code:04X} is not allowed in YAML text ({error.reason})",
            _reader_position(text, error.position),
        ) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"YAML syntax: {error}", (0, 0)) from None
    finally:
        parser.dispose()


_SURROGATE = re.compile("[\ud800-\udfff]")


def _build(parser: Any, positions: Positions) -> Any:
    # Containers under construction: [container, pending key, key position] per level.
    stack: list[list[Any]] = []
    root: Any = None
    have_root = False
    documents = 0
    nodes = 0
    while parser.check_event():
        event = parser.get_event()
        kind = type(event)
        if kind is yaml.StreamStartEvent or kind is yaml.StreamEndEvent:
            continue
        if kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise YamlProblem(
                    "a briefing file holds one YAML document; found a second one",
                    _at(event.start_mark),
                )
            continue
        if kind is yaml.DocumentEndEvent:
            continue
        position = _at(event.start_mark)
        if kind is yaml.AliasEvent:
            raise YamlProblem(
                f"aliases (*{_shown(event.anchor)[1:-1]}) are not allowed: write the value out",
                position,
            )
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = stack.pop()[0]
        else:
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlProblem(
                    f"more than {MAX_NODES:,} values: too large to be a briefing", position
                )
            if event.anchor is not None:
                raise YamlProblem(
                    f"anchors (&{_shown(event.anchor)[1:-1]}) are not allowed: "
                    "write each value out",
                    position,
                )
            tag = event.tag
            if tag is not None:
                raise YamlProblem(f"tags such as {_shown(tag)} are not allowed", position)
            if kind is yaml.ScalarEvent:
                value = _scalar(event.value, not event.style)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", position)
                container: Any = {} if kind is yaml.MappingStartEvent else []
                if kind is yaml.MappingStartEvent:
                    positions.maps[id(container)] = {}
                else:
                    positions.lists[id(container)] = []
                _place(stack, container, position, positions)
                if not stack:
                    root, have_root = container, True
                    positions.root = position
                stack.append([container, _NO_KEY, None])
                continue
            else:  # pragma: no cover - the parser emits no other events
                raise YamlProblem(f"unexpected YAML event {kind.__name__}", position)
            _place(stack, value, position, positions)
            if not stack:
                root, have_root = value, True
                positions.root = position
            continue
        # A finished container was already placed in its parent when it started.
    if not have_root:
        raise YamlProblem("the file is empty: expected a briefing mapping", (0, 0))
    return root


_NO_KEY = object()


def _place(stack: list[list[Any]], value: Any, position: Position, positions: Positions) -> None:
    """Put a value (scalar or new container) into the container on top of the stack."""
    if not stack:
        return
    frame = stack[-1]
    container = frame[0]
    if isinstance(container, list):
        container.append(value)
        positions.lists[id(container)].append(position)
        return
    if frame[1] is _NO_KEY:
        if not isinstance(value, str):
            shown = (
                "a mapping"
                if isinstance(value, dict)
                else "a list"
                if isinstance(value, list)
                else _shown(repr(value))[1:-1]
            )
            raise YamlProblem(f"keys must be plain text, not {shown}", position)
        if value == "<<":
            raise YamlProblem("merge keys (<<) are not allowed: write the fields out", position)
        if value in container:
            first = positions.maps[id(container)][value][0]
            raise YamlProblem(
                f"duplicate key {_shown(value)} "
                f"(first at line {first[0] + 1}, column {first[1] + 1})",
                position,
            )
        frame[1] = value
        frame[2] = position
        return
    key = frame[1]
    container[key] = value
    positions.maps[id(container)][key] = (frame[2], position)
    frame[1] = _NO_KEY
