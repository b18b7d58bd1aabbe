"""Strict YAML: untrusted text to plain data, remembering where every node stood.

Built from the event stream of PyYAML's C parser, so no node graph is ever shared:
- anchors, aliases and merge keys are refused (an alias bomb costs nothing to refuse);
- explicit tags (`!!python/object`, `!foo`, even `!!str`) are refused;
- duplicate keys are errors, not "last one wins";
- only `true`/`false` are booleans, only `null`/`~`/empty are null, and only plain decimal
  numbers are numbers: `NO`, `yes`, `010`, `1:30`, `0x1F` and `2014-11-05` stay strings;
- nesting depth, node count, keys per mapping, items per list, number length and the text
  any one value (or comment) spans are capped while the events stream in, before anything
  is built, so a refused file costs less than a valid one of its size; one document per file;
- numbers too big to be finite (`1e999`) stay strings, so `inf` and `nan` never appear.
"""

from __future__ import annotations

import gc
import math
import re
from array import array
from typing import Any

import yaml

from .safe_text import clipped_repr, is_clean

_Parser: type[Any]  # the C parser where PyYAML has libyaml
try:
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Parser

MAX_DEPTH = 40
MAX_NODES = 4_000_000
"""Scalars and containers per file: the 100,000-item benchmark briefing has 3.25 million. Each
costs the loader a microsecond or more, so this bounds the time a file of tiny nodes can take
(a file that passes every other cap and is refused only by the schema costs about what a
valid file of as many nodes does, plus a second parse to place the problems)."""
MAX_KEYS = 10_000
"""Keys in one mapping: a briefing's mappings hold a few fields each, never thousands."""
MAX_ITEMS = 100_000
"""Entries in one list: room for a 100,000-item briefing with every item in one section."""
MAX_SPAN = 1 << 20
"""Characters of text the parser may read without delivering a value: one scalar or comment
this long (the longest field a briefing allows is 20,000 characters) is refused before the
parser has built it, which for a 50 MB scalar would take seconds and hundreds of megabytes."""
_LOOKAHEAD = 1 << 16
"""What libyaml reads ahead of the token it is scanning (16 KiB buffers, 1 KiB key lookahead),
allowed on top of MAX_SPAN so that a value just under it is never refused."""
MAX_NUMBER_DIGITS = 30

BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""Line breaks as the C parser counts them (YAML 1.1), so every position agrees; the one
definition, for whatever maps the parser's positions to offsets (authoring's fixes too)."""


def line_starts(text: str) -> list[int]:
    """Offset of each line's start, counting line breaks as the parser does."""
    return [0] + [m.end() for m in BREAKS.finditer(text)]


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
    gives the same data). Each container's positions, keyed by its id, are one array of
    packed positions (line << 32 | column), in the container's order: per list, one for each
    value; per dict, two for each key (the key's, then its value's). An array costs 8 bytes
    a position where a tuple of ints cost some 80: a refused file of millions of values is
    located without taking more memory than it took to load.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._data: Any = None
        self._recorded = False
        self.root: Position = (0, 0)
        self.maps: dict[int, array[int]] = {}
        self.lists: dict[int, array[int]] = {}

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
                index = 2 * _key_index(node, part) + (not (at_key and depth == len(loc) - 1))
                position = _unpack(self.maps[id(node)][index])
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                position = _unpack(self.lists[id(node)][part])
                node = node[part]
            else:
                return position, depth
        return position, len(loc)


def _key_index(mapping: dict[str, Any], key: str) -> int:
    """Where key stands in the mapping's order (mappings are capped at MAX_KEYS keys)."""
    for index, found in enumerate(mapping):
        if found == key:
            return index
    raise KeyError(key)  # pragma: no cover - callers check the key is there


def _unpack(packed: int) -> Position:
    return (packed >> 32, packed & 0xFFFFFFFF)


def _position_of(text: str, index: int) -> Position:
    """The (line, column) of a character index, counting breaks as the parser does."""
    line = 0
    line_start = 0
    for found in BREAKS.finditer(text, 0, index):
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


def load(text: str, *, mapped_entries: bool = False) -> tuple[Any, Positions]:
    """Parse one YAML document strictly into dicts, lists and scalars, with positions.

    The positions are found only when first asked for (see Positions): loading records none.
    With mapped_entries, no entry of a list that is a value of the top-level mapping may be
    a list (a briefing's sections and sources hold items): a file of millions of small lists
    is refused at its first, not built for the schema to refuse. (Single values there are
    left to the schema, which names the field; MAX_ITEMS bounds how many.)
    """
    # isascii() is free (CPython knows it of every string); the search takes 0.1 s per 50 MB.
    surrogate = None if text.isascii() else _SURROGATE.search(text)
    if surrogate is not None:
        raise YamlProblem(
            f"character U+{ord(surrogate.group()):04X} (a lone surrogate) is not allowed in YAML text",
            _position_of(text, surrogate.start()),
        )
    try:
        return _parse(text, None, mapped_entries), Positions(text)
    except _Duplicate:
        pass
    # Saying where the first of two equal keys stood takes the positions: parse again, recording.
    _parse(text, Positions(text), mapped_entries)
    raise AssertionError("unreachable: the duplicate key is found again")  # pragma: no cover


_SURROGATE = re.compile("[\ud800-\udfff]")


class _Duplicate(Exception):
    """A duplicate key met while not recording positions: parse again, recording."""


class _Feed:
    """The text handed to the C parser a piece at a time, as a stream it reads from.

    Given the whole string, libyaml would first copy it to UTF-8 (as large again as the file)
    and would scan a 50 MB scalar to its end before anything could look at it. Read from here,
    it asks for 16 KiB at a time; once it has read more than MAX_SPAN characters past the end
    of the last event _build received, one value or comment is that long, and the feed ends
    the text there: the parse stops at once, and _parse reports the overlong stretch.
    """

    __slots__ = ("at", "last", "limit", "overlong", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.last: Any = None
        """The last event _build received (set by it, for each event)."""
        self.limit = MAX_SPAN + _LOOKAHEAD  # read per parse: tests lower MAX_SPAN
        self.overlong: Any = None
        """Once found, the end mark of the last event before the overlong stretch."""

    def read(self, size: int) -> str:
        if self.overlong is not None:
            return ""
        start = self.at
        if self.last is not None and start - self.last.end_mark.index > self.limit:
            self.overlong = self.last.end_mark
            return ""
        self.at = start + size
        return self.text[start : start + size]


_STRETCH_START = re.compile(r"[\s:?,\-\[\]{}]*")
"""What may stand between the last event and the next value: blanks and indicators."""


def _overlong(text: str, feed: _Feed) -> YamlProblem:
    """The problem of a stretch too long, placed where it starts after the last event.

    The parser may not have delivered the value just before (it looks for the next token
    first), so the message says what is certain: from here, the next value is too far off.
    """
    mark = feed.overlong
    line, column = _at(mark)
    start = _STRETCH_START.match(text, mark.index, mark.index + MAX_SPAN)
    gap = text[mark.index : start.end() if start is not None else mark.index]
    if len(gap) < MAX_SPAN:
        # Counted with str methods: a regex match per line break of a long blank run is slow.
        breaks = sum(gap.count(b) for b in "\n\r\x85\u2028\u2029") - gap.count("\r\n")
        if breaks:
            line += breaks
            column = len(gap) - 1 - max(gap.rfind(b) for b in "\n\r\x85\u2028\u2029")
        else:
            column += len(gap)
    return YamlProblem(
        f"more than {MAX_SPAN:,} characters from here to the next value: a value, comment "
        "or gap this long is too large for a briefing",
        (line, column),
    )


def _parse(text: str, positions: Positions | None, mapped_entries: bool = False) -> Any:
    """The data of one document; positions, when given, are filled in on the way."""
    feed = _Feed(text)
    parser = _Parser(feed)
    enabled = gc.isenabled()
    if enabled:
        # Tens of thousands of new containers, none of them garbage: collecting while they
        # are built only walks them again and again (a third of the time of a big file).
        gc.disable()
    try:
        data = _build(parser, positions, feed, mapped_entries)
    except (yaml.YAMLError, YamlProblem, _Duplicate) as error:
        # Once the feed has cut the text short, any other complaint is about the cut.
        if feed.overlong is not None:
            raise _overlong(text, feed) from None
        if isinstance(error, YamlProblem | _Duplicate):
            raise
        raise _parser_problem(text, error) from None
    finally:
        if enabled:
            gc.enable()
        parser.dispose()
    if feed.overlong is not None:
        raise _overlong(text, feed)
    return data


def _parser_problem(text: str, error: yaml.YAMLError) -> YamlProblem:
    """An error of the C parser as a YamlProblem, with its position."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        where = _at(mark) if mark is not None else (0, 0)
        message = error.problem or error.context or "malformed YAML"
        if error.context and error.problem:
            message = f"{error.context}: {error.problem}"
        return YamlProblem(f"YAML syntax: {message}", where)
    if isinstance(error, yaml.reader.ReaderError):
        character = error.character
        code = character if isinstance(character, int) else ord(character[:1] or "\0")
        return YamlProblem(
            f"character U+{code:04X} is not allowed in YAML text ({error.reason})",
            _reader_position(text, error.position),
        )
    return YamlProblem(f"YAML syntax: {error}", (0, 0))


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


def _build(parser: Any, positions: Positions | None, feed: _Feed, mapped_entries: bool) -> Any:
    """Events to data. One loop for speed: scalars first (most events), the open container,
    its pending key and its positions kept in locals, the enclosing ones saved on a stack.

    The caps on nodes, keys and items cost nothing per event: the node count is compared
    with one number, the next checkpoint, and _check (every _CHECK_EVERY nodes, or for a
    node with an anchor or tag) counts the open containers' entries."""
    get_event = parser.get_event
    record = positions is not None
    next_check = min(_CHECK_EVERY, MAX_NODES)  # read per call: tests lower them
    max_number = MAX_NUMBER_DIGITS + 1
    plain_values = _PLAIN
    number_start = _NUMBER_START
    no_key = _NO_KEY
    # An anchor or a tag is written with & or !: text with neither has none to look for.
    marked = "&" in feed.text or "!" in feed.text
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
        feed.last = event
        kind = type(event)
        if kind is _Scalar:
            nodes += 1
            if nodes > next_check or (
                marked and (event.anchor is not None or event.tag is not None)
            ):
                next_check = _check(event, nodes, top, is_map, stack)
            value = event.value
            if not event.style:
                if value in plain_values:
                    value = plain_values[value]
                elif value[0] in number_start and len(value) <= max_number:
                    # Most numbers are plain counts ("paragraph: 12"): int() at once, as
                    # _number would make them (ASCII digits, no leading zero).
                    if value.isdigit() and value.isascii() and (value[0] != "0" or len(value) == 1):
                        value = int(value)
                    else:
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
                    entry.append(key_line << 32 | key_column)
                    entry.append(mark.line << 32 | mark.column)
                key = no_key
            elif top is not None:
                top.append(value)
                if record:
                    mark = event.start_mark
                    entry.append(mark.line << 32 | mark.column)
            else:
                root, have_root = value, True
                if record:
                    positions.root = _at(event.start_mark)  # type: ignore[union-attr]  # record implies positions
            continue
        if kind is _MappingEnd or kind is _SequenceEnd:
            top, is_map, key, key_line, key_column, entry = stack.pop()
            continue
        if kind is _MappingStart or kind is _SequenceStart:
            nodes += 1
            if nodes > next_check or (
                marked and (event.anchor is not None or event.tag is not None)
            ):
                next_check = _check(event, nodes, top, is_map, stack)
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", _at(event.start_mark))
            opening = kind is _MappingStart
            container: Any = {} if opening else []
            new_entry: Any = None
            if record:
                new_entry = array("q")
                if opening:
                    positions.maps[id(container)] = new_entry  # type: ignore[union-attr]  # record implies positions
                else:
                    positions.lists[id(container)] = new_entry  # type: ignore[union-attr]  # record implies positions
            if is_map:
                if key is no_key:
                    _bad_key(container, event, top, entry)
                top[key] = container
                if record:
                    mark = event.start_mark
                    entry.append(key_line << 32 | key_column)
                    entry.append(mark.line << 32 | mark.column)
                key = no_key
            elif top is not None:
                if mapped_entries and not opening and len(stack) == 2 and type(stack[1][0]) is dict:
                    _not_an_item(event)
                top.append(container)
                if record:
                    mark = event.start_mark
                    entry.append(mark.line << 32 | mark.column)
            else:
                root, have_root = container, True
                if record:
                    positions.root = _at(event.start_mark)  # type: ignore[union-attr]  # record implies positions
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
                f"aliases (*{clipped_repr(event.anchor)[1:-1]}) are not allowed: write the value out",
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


class WrittenFloat(float):
    """A number whose usual form differs from the text written (`1.10`, `1e3`), keeping it.

    Only a message uses the text: `title: 1.10` must be told to write '1.10', not '1.1',
    or following the hint changes the title. Pydantic turns these into plain floats in the
    models it builds, so nothing downstream sees the difference.
    """

    __slots__ = ("text",)
    text: str


class WrittenInt(int):
    """A whole number written with a sign that its usual form drops (`+5`, `-0`)."""

    text: str


def _not_an_item(event: Any) -> None:
    raise YamlProblem(
        "each entry of this list is a mapping of fields (an item), not a list",
        _at(event.start_mark),
    )


def _number(value: str) -> Any:
    """A plain scalar that may be a number (it starts with a sign or digit, and is short)."""
    if _INT.fullmatch(value):
        whole = int(value)
        if value[0] in "+-" and str(whole) != value:
            whole = WrittenInt(whole)
            whole.text = value
        return whole
    if _FLOAT.fullmatch(value):
        number = float(value)
        if not math.isfinite(number):
            return value
        if repr(number) != value:
            number = WrittenFloat(number)
            number.text = value
        return number
    return value


def written(value: Any) -> str:
    """A loaded scalar as it was written in the file: numbers keep their own text."""
    text = getattr(value, "text", None)
    if isinstance(text, str):
        return text
    if isinstance(value, bool):
        return str(value).lower()
    return value if isinstance(value, str) else str(value)


_CHECK_EVERY = 4096
"""Nodes between two counts of the open containers: a mapping or list over its cap is refused
at most this many nodes after it passed it (tests lower it to 1 to find the exact node)."""


def _check(
    event: Any,
    nodes: int,
    top: Any,
    is_map: bool,
    stack: list[tuple[Any, bool, Any, int, int, Any]],
) -> int:
    """Raise for a node over the cap, one with an anchor or a tag, or an open mapping or list
    over its cap (checked in that order); else return the node count of the next check."""
    position = _at(event.start_mark)
    if nodes > MAX_NODES:
        raise YamlProblem(f"more than {MAX_NODES:,} values: too large to be a briefing", position)
    if event.anchor is not None:
        raise YamlProblem(
            f"anchors (&{clipped_repr(event.anchor)[1:-1]}) are not allowed: write each value out",
            position,
        )
    if event.tag is not None:
        raise YamlProblem(f"tags such as {clipped_repr(event.tag)} are not allowed", position)
    for container, mapping in [(top, is_map), *((entry[0], entry[1]) for entry in stack)]:
        if container is None:
            continue
        if mapping and len(container) > MAX_KEYS:
            raise YamlProblem(
                f"a mapping with more than {MAX_KEYS:,} keys: too large to be a briefing",
                position,
            )
        if not mapping and len(container) > MAX_ITEMS:
            raise YamlProblem(
                f"a list with more than {MAX_ITEMS:,} entries: too large to be a briefing",
                position,
            )
    return min(nodes + _CHECK_EVERY - 1, MAX_NODES)


def _bad_key(value: Any, event: Any, container: dict[str, Any], entry: Any) -> None:
    """Raise for a key that is not text, is a merge key, or is already in the mapping."""
    position = _at(event.start_mark)
    if not isinstance(value, str):
        shown = (
            "a mapping"
            if isinstance(value, dict)
            else "a list"
            if isinstance(value, list)
            else clipped_repr(repr(value))[1:-1]
        )
        raise YamlProblem(f"keys must be plain text, not {shown}", position)
    if value == "<<":
        raise YamlProblem("merge keys (<<) are not allowed: write the fields out", position)
    if entry is None:
        raise _Duplicate
    line, column = _unpack(entry[2 * _key_index(container, value)])
    raise YamlProblem(
        f"duplicate key {clipped_repr(value)} (first at line {line + 1}, column {column + 1})",
        position,
    )


def double_quoted(text: str) -> str:
    """A double-quoted scalar meaning exactly text, every unsafe character escaped: control,
    C1, format and bidi characters never reach the file raw (one rule for the skeleton,
    fixes and edit mode)."""
    out = ['"']
    for character in text:
        code = ord(character)
        if character in '"\\':
            out.append("\\" + character)
        elif 0x20 <= code < 0x7F or (
            code > 0x9F and character.isprintable() and is_clean(character)
        ):
            out.append(character)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)
