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

import gc
import math
import re
from typing import Any

import yaml

from .safe_text import clip

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


class Positions:
    """Where each node of the loaded data stood in the text, found when first asked.

    A valid briefing never needs a position, so load() records none: the first locate()
    parses the text again, recording, into its own copy of the data (the same text always
    gives the same data). Per dict, each key maps to (key line, key column, value line,
    value column); per list, each value has (line, column); both keyed by the container's id.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._data: Any = None
        self._recorded = False
        self.root: Position = (0, 0)
        self.maps: dict[int, dict[str, tuple[int, int, int, int]]] = {}
        self.lists: dict[int, list[Position]] = {}

    def _record(self) -> None:
        if not self._recorded:
            self._data = _parse(self._text, self)
            self._recorded = True

    def locate(self, loc: tuple[str | int, ...], at_key: bool = False) -> tuple[Position, int]:
        """The position of the node at loc (or of its key), and how much of loc was found."""
        self._record()
        position = self.root
        node = self._data
        for depth, part in enumerate(loc):
            if isinstance(node, dict) and isinstance(part, str) and part in node:
                key_line, key_column, line, column = self.maps[id(node)][part]
                if at_key and depth == len(loc) - 1:
                    position = (key_line, key_column)
                else:
                    position = (line, column)
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                position = self.lists[id(node)][part]
                node = node[part]
            else:
                return position, depth
        return position, len(loc)


def _shown(text: str) -> str:
    """A key or name for a message: quoted, and clipped when long (cleaned when printed)."""
    return repr(clip(text, MAX_SHOWN))


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
    """Parse one YAML document strictly into dicts, lists and scalars, with positions.

    The positions are found only when first asked for (see Positions): loading records none.
    """
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        raise YamlProblem(
            f"character U+{ord(surrogate.group()):04X} (a lone surrogate) is not allowed in YAML text",
            _position_of(text, surrogate.start()),
        )
    try:
        return _parse(text, None), Positions(text)
    except _Duplicate:
        pass
    # Saying where the first of two equal keys stood takes the positions: parse again, recording.
    _parse(text, Positions(text))
    raise AssertionError("unreachable: the duplicate key is found again")  # pragma: no cover


_SURROGATE = re.compile("[\ud800-\udfff]")


class _Duplicate(Exception):
    """A duplicate key met while not recording positions: parse again, recording."""


def _parse(text: str, positions: Positions | None) -> Any:
    """The data of one document; positions, when given, are filled in on the way."""
    parser = _Parser(text)
    enabled = gc.isenabled()
    if enabled:
        # Tens of thousands of new containers, none of them garbage: collecting while they
        # are built only walks them again and again (a third of the time of a big file).
        gc.disable()
    try:
        return _build(parser, positions)
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
        if enabled:
            gc.enable()
        parser.dispose()


_NO_KEY: Any = object()
_PLAIN = {"": None, "~": None, "null": None, "true": True, "false": False}
_NUMBER_START = frozenset("+-0123456789")

_Scalar = yaml.ScalarEvent
_MappingStart = yaml.MappingStartEvent
_SequenceStart = yaml.SequenceStartEvent
_MappingEnd = yaml.MappingEndEvent
_SequenceEnd = yaml.SequenceEndEvent
_StreamStart = yaml.StreamStartEvent
_StreamEnd = yaml.StreamEndEvent
_DocumentStart = yaml.DocumentStartEvent
_DocumentEnd = yaml.DocumentEndEvent
_Alias = yaml.AliasEvent


def _build(parser: Any, positions: Positions | None) -> Any:
    """Events to data. One loop for speed: scalars first (most events), the open container,
    its pending key and its positions kept in locals, the enclosing ones saved on a stack."""
    get_event = parser.get_event
    record = positions is not None
    max_nodes = MAX_NODES  # read per call: tests lower it
    max_number = MAX_NUMBER_DIGITS + 1
    plain_values = _PLAIN
    number_start = _NUMBER_START
    no_key = _NO_KEY
    # The open container (None at the top level), whether it is a dict, its pending key and
    # that key's position, and its positions entry; the enclosing ones are saved on the stack.
    top: Any = None
    is_map = False
    key: Any = no_key
    key_line = key_column = 0
    entry: Any = None
    stack: list[tuple[Any, bool, Any, int, int, Any]] = []
    root: Any = None
    have_root = False
    documents = 0
    nodes = 0
    while True:
        event = get_event()
        kind = type(event)
        if kind is _Scalar:
            nodes += 1
            if nodes > max_nodes or event.anchor is not None or event.tag is not None:
                _refuse_node(event, nodes, max_nodes)
            value = event.value
            if not event.style:
                if value in plain_values:
                    value = plain_values[value]
                elif value[0] in number_start and len(value) <= max_number:
                    value = _number(value)
            if is_map:
                if key is no_key:
                    if type(value) is not str or value == "<<" or value in top:
                        _bad_key(value, event, top, entry)
                    key = value
                    if record:
                        mark = event.start_mark
                        key_line = mark.line
                        key_column = mark.column
                    continue
                top[key] = value
                if record:
                    mark = event.start_mark
                    entry[key] = (key_line, key_column, mark.line, mark.column)
                key = no_key
            elif top is not None:
                top.append(value)
                if record:
                    mark = event.start_mark
                    entry.append((mark.line, mark.column))
            else:
                root, have_root = value, True
                if record:
                    positions.root = _at(event.start_mark)  # type: ignore[union-attr]
            continue
        if kind is _MappingEnd or kind is _SequenceEnd:
            top, is_map, key, key_line, key_column, entry = stack.pop()
            continue
        if kind is _MappingStart or kind is _SequenceStart:
            nodes += 1
            if nodes > max_nodes or event.anchor is not None or event.tag is not None:
                _refuse_node(event, nodes, max_nodes)
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", _at(event.start_mark))
            opening = kind is _MappingStart
            container: Any = {} if opening else []
            new_entry: Any = None
            if record:
                new_entry = {} if opening else []
                if opening:
                    positions.maps[id(container)] = new_entry  # type: ignore[union-attr]
                else:
                    positions.lists[id(container)] = new_entry  # type: ignore[union-attr]
            if is_map:
                if key is no_key:
                    _bad_key(container, event, top, entry)
                top[key] = container
                if record:
                    mark = event.start_mark
                    entry[key] = (key_line, key_column, mark.line, mark.column)
                key = no_key
            elif top is not None:
                top.append(container)
                if record:
                    mark = event.start_mark
                    entry.append((mark.line, mark.column))
            else:
                root, have_root = container, True
                if record:
                    positions.root = _at(event.start_mark)  # type: ignore[union-attr]
            stack.append((top, is_map, key, key_line, key_column, entry))
            top, is_map, key, entry = container, opening, no_key, new_entry
            continue
        if kind is _StreamEnd:
            break
        if kind is _DocumentStart:
            documents += 1
            if documents > 1:
                raise YamlProblem(
                    "a briefing file holds one YAML document; found a second one",
                    _at(event.start_mark),
                )
            continue
        if kind is _Alias:
            raise YamlProblem(
                f"aliases (*{_shown(event.anchor)[1:-1]}) are not allowed: write the value out",
                _at(event.start_mark),
            )
        if kind is _StreamStart or kind is _DocumentEnd:
            continue
        raise YamlProblem(  # pragma: no cover - the parser emits no other events
            f"unexpected YAML event {kind.__name__}", _at(event.start_mark)
        )
    if not have_root:
        raise YamlProblem("the file is empty: expected a briefing mapping", (0, 0))
    return root


def _number(value: str) -> Any:
    """A plain scalar that may be a number (it starts with a sign or digit, and is short)."""
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        number = float(value)
        return number if math.isfinite(number) else value
    return value


def _refuse_node(event: Any, nodes: int, max_nodes: int) -> None:
    """Raise for a node over the cap, or one with an anchor or a tag (checked in that order)."""
    position = _at(event.start_mark)
    if nodes > max_nodes:
        raise YamlProblem(f"more than {max_nodes:,} values: too large to be a briefing", position)
    if event.anchor is not None:
        raise YamlProblem(
            f"anchors (&{_shown(event.anchor)[1:-1]}) are not allowed: write each value out",
            position,
        )
    raise YamlProblem(f"tags such as {_shown(event.tag)} are not allowed", position)


def _bad_key(value: Any, event: Any, container: dict[str, Any], entry: Any) -> None:
    """Raise for a key that is not text, is a merge key, or is already in the mapping."""
    position = _at(event.start_mark)
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
    if entry is None:
        raise _Duplicate
    first = entry[value]
    raise YamlProblem(
        f"duplicate key {_shown(value)} (first at line {first[0] + 1}, column {first[1] + 1})",
        position,
    )
