"""Surgical edits of a briefing's YAML text: every byte outside the lines a change touches stays.

Each function takes the whole text and returns the new one. Only the lines of the item, field
or entry it changes are written; comments, key order, quoting, flow or block style, blank lines
and line breaks (LF or CRLF, a final newline or none) elsewhere stay as they were. New text
follows the file's own indentation (a list's `-` under its key or indented past it).

Every function checks its own result: the new text is parsed again (strict YAML) and compared,
types and key order included, with the old data plus exactly the intended change. Any
difference raises EditError and returns nothing, so a surprise in the file is a refusal, never
a wrong file. Strings are written so that any YAML reader gets the same string back: quoted
where a plain scalar could be read as another type (`yes`, `1.0`, `null`, `2014-11-05`), with
control and format characters escaped, never raw.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from . import collector, strict_yaml
from .files import BRIEFING_CAP
from .safe_text import clipped_repr, is_clean
from .sections import SECTION_KEYS

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

WIDTH = 100
"""Longest line written for a flow value (`[a, b]`, `{value: 4, unit: jets}`) or a folded
line; a longer value is written in block style."""
FOLD_AT = 80
"""Strings longer than this are written folded (`>-`), as the bundled briefing writes them,
when folding reads back exactly; shorter ones stay on the key's line."""


class EditError(Exception):
    """Why an edit cannot be made; str(e) is for the user. Nothing is written."""


# --- values -------------------------------------------------------------------------------


def _plain_value(value: object, depth: int = 0, budget: list[int] | None = None) -> Any:
    """The value as the strict loader would give it back (tuples as lists), checked and
    measured before anything is built: EditError for what YAML cannot hold exactly."""
    if budget is None:
        budget = [BRIEFING_CAP]
    if depth > strict_yaml.MAX_DEPTH - 4:  # room for the briefing's own nesting
        raise EditError("the value is nested too deeply for a briefing")
    budget[0] -= 8
    if budget[0] < 0:
        raise EditError(f"the value is too large: a briefing is at most {BRIEFING_CAP:,} bytes")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if len(str(value)) > strict_yaml.MAX_NUMBER_DIGITS:
            raise EditError(f"the number {clipped_repr(str(value))} is too long to be kept exactly")
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EditError(f"{value!r} is not a number a briefing can hold")
        return float(value)
    if isinstance(value, str):
        budget[0] -= len(value)
        if budget[0] < 0:
            raise EditError(f"the text is too large: a briefing is at most {BRIEFING_CAP:,} bytes")
        if len(value) > strict_yaml.MAX_SPAN // 2:
            raise EditError("the text is too long for one value of a briefing")
        if _SURROGATE.search(value):
            raise EditError("the text holds a lone surrogate, which no file can hold")
        return str(value)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str) or not key:
                raise EditError(f"field names are text, not {clipped_repr(key)}")
            if key == "<<":  # a merge key to YAML, which the strict loader refuses
                raise EditError("'<<' cannot be a field name")
            out[_plain_value(key, depth + 1, budget)] = _plain_value(item, depth + 1, budget)
        return out
    if isinstance(value, list | tuple):
        return [_plain_value(item, depth + 1, budget) for item in value]
    raise EditError(f"a briefing cannot hold {type(value).__name__} values")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _same(a: Any, b: Any) -> bool:
    """Equal as data, with types (True is not 1, 1 is not 1.0) and key order."""
    if isinstance(a, dict):
        return (
            isinstance(b, dict) and list(a) == list(b) and all(_same(a[key], b[key]) for key in a)
        )
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int):
        return isinstance(b, int) and not isinstance(b, float) and a == b
    if isinstance(a, float):
        return isinstance(b, float) and a == b
    return type(a) is type(b) and a == b


# --- scalars ------------------------------------------------------------------------------

_INDICATOR_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")
_SUSPECT = re.compile(
    # What some YAML reader (1.1 or 1.2) takes for a number, boolean, null, date or time.
    r"[-+]?(\.?[0-9][0-9_:.,eE+\-oOxXa-fA-F]*|\.(inf|Inf|INF|nan|NaN|NAN))"
    r"|y|Y|n|N|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE"
    r"|null|Null|NULL|~|=|<<"
)
_RESOLVER = yaml.SafeLoader


def _plain_ok(text: str, flow: bool) -> bool:
    """Whether text may be written as a plain scalar and be read back as this string by any
    YAML reader: anything that could be another type, or that YAML could cut short or join,
    is quoted."""
    if not text or text != text.strip(" ") or text[0] in _INDICATOR_START:
        return False
    if not text.isprintable() or not is_clean(text) or "\t" in text:
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and (_FLOW_UNSAFE.search(text) or ":" in text):
        return False
    if _SUSPECT.fullmatch(text):
        return False
    tag = _RESOLVER.resolve(_RESOLVER, yaml.ScalarNode, text, (True, False))  # type: ignore[arg-type]  # a class method in all but name
    return bool(tag == "tag:yaml.org,2002:str")


def _scalar(value: Any, flow: bool = False) -> str:
    """One scalar on one line."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        written = repr(value)
        if "." not in written and "e" not in written:  # pragma: no cover - repr always has one
            written += ".0"
        return written
    text = str(value)
    if _plain_ok(text, flow):
        return text
    if (
        ("'" not in text and text.isprintable() and is_clean(text))
        and text == text.strip(" ")
        and ('"' in text or "\\" in text)
    ):
        return f"'{text}'"  # words in double quotes, as the bundled briefing writes them
    return strict_yaml.double_quoted(text)


def _key(key: str) -> str:
    return (
        key
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", key) and _plain_ok(key, True)
        else (strict_yaml.double_quoted(key))
    )


def _foldable(text: str) -> bool:
    """Long single-spaced printable text, which a folded scalar reads back exactly."""
    return (
        len(text) > FOLD_AT
        and text.isprintable()
        and is_clean(text)
        and text == text.strip()
        and "  " not in text
        and "\t" not in text
    )


def _fold(text: str, width: int) -> list[str] | None:
    """Words of text as lines of at most width characters (a word longer stays whole)."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if not word:
            return None
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines


def _flat(value: Any) -> bool:
    if isinstance(value, dict):
        return all(not isinstance(v, dict | list) for v in value.values())
    if isinstance(value, list):
        return all(not isinstance(v, dict | list) for v in value)
    return True


def _flow(value: Any) -> str:
    """A flat list or mapping on one line: `[a, b]`, `{value: 4, unit: jets}`."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {_scalar(v, True)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(_scalar(v, True) for v in value) + "]"


# --- rendering ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    step: int = 2
    """Columns a nested mapping's keys stand past their parent key."""
    seq_offset: int = 2
    """Columns a list's `-` stands past its key (0: `key:` then `- a` under it)."""


def _entry_lines(
    key: str, value: Any, col: int, style: _Style, prefix: str | None = None, flow: bool = False
) -> list[str]:
    """`key: value` with the key at column col; prefix, when given, replaces the col spaces
    before it (the `  - ` of an item's first key). flow prefers a one-line `[..]`/`{..}`."""
    head = (" " * col if prefix is None else prefix) + _key(key) + ":"
    if isinstance(value, dict | list):
        if not value:
            return [head + (" {}" if isinstance(value, dict) else " []")]
        prefer_flow = flow or (isinstance(value, list) and _flat(value))
        if prefer_flow and _flat(value):
            line = f"{head} {_flow(value)}"
            if len(line) <= WIDTH:
                return [line]
        if isinstance(value, dict):
            return [head, *_map_lines(value, col + style.step, style)]
        return [head, *_seq_lines(value, col + style.seq_offset, style)]
    if isinstance(value, str) and _foldable(value):
        indent = col + style.step
        folded = _fold(value, max(40, WIDTH - indent))
        if folded is not None and len(folded) > 1:
            return [f"{head} >-", *(" " * indent + line for line in folded)]
    return [f"{head} {_scalar(value)}"]


def _map_lines(
    mapping: Mapping[str, Any],
    col: int,
    style: _Style,
    prefix: str | None = None,
    flow_keys: frozenset[str] = frozenset(),
) -> list[str]:
    """A block mapping's lines; values of flow_keys are written `{..}`/`[..]` when flat."""
    lines: list[str] = []
    for n, (key, value) in enumerate(mapping.items()):
        lines += _entry_lines(
            key, value, col, style, prefix if n == 0 else None, flow=key in flow_keys
        )
    return lines


def _seq_lines(
    items: Iterable[Any],
    dash: int,
    style: _Style,
    flow: bool = False,
    flow_keys: frozenset[str] = frozenset(),
) -> list[str]:
    """A block list with its `-` at column dash; flow writes flat mappings as `- {..}`, and
    flow_keys the values of those keys in its mappings."""
    lines: list[str] = []
    lead = " " * dash + "- "
    for item in items:
        if isinstance(item, dict) and item:
            if flow and _flat(item) and len(lead + _flow(item)) <= WIDTH:
                lines.append(lead + _flow(item))
            else:
                lines += _map_lines(item, dash + 2, style, lead, flow_keys)
        elif isinstance(item, list) and item:
            inner = _seq_lines(item, dash + 2, style)
            lines += [lead + inner[0][dash + 2 :], *inner[1:]]
        elif isinstance(item, dict | list):
            lines.append(lead + ("{}" if isinstance(item, dict) else "[]"))
        else:
            lines.append(lead + _scalar(item))
    return lines


# --- the text and where its nodes stand -----------------------------------------------------


@dataclass
class _Node:
    """Where a node stands, as offsets into the text (BOM excluded)."""

    kind: str  # "map", "seq" or "scalar"
    start: int
    """Its first character (a block mapping's: its first key)."""
    end: int
    """Just past its last character of content (trailing blanks and breaks excluded)."""
    flow: bool
    """A flow collection, or a scalar not in block style."""
    key_start: int | None = None
    key_end: int | None = None
    omitted: bool = False
    """A mapping's value left empty (`key:`): null, standing at its key."""


_BREAK_CHARS = "\r\n\x85\u2028\u2029"
_BLANKS = " \t" + _BREAK_CHARS


class _Doc:
    """The text split in lines (breaks kept apart), its data, and its nodes' places."""

    def __init__(self, text: str, want: str | None = None) -> None:
        self.bom = "\ufeff" if text.startswith("\ufeff") else ""
        body = text[len(self.bom) :]
        try:
            self.data, _positions = strict_yaml.load(body)
        except strict_yaml.YamlProblem as problem:
            line, column = problem.position
            raise EditError(
                f"the file is not valid YAML (line {line + 1}, column {column + 1}: "
                f"{problem.message}); fix it first"
            ) from None
        if not isinstance(self.data, dict):
            raise EditError("the file is not a briefing: its top level is not a mapping of fields")
        self.text = body
        self.starts = strict_yaml.line_starts(body)
        if len(self.starts) > 1 and self.starts[-1] == len(body):
            self.starts.pop()  # the empty "line" after a final break
        self.lines: list[str] = []
        self.breaks: list[str] = []
        for n, start in enumerate(self.starts):
            stop = self.starts[n + 1] if n + 1 < len(self.starts) else len(body)
            whole = body[start:stop]
            cut = 2 if whole.endswith("\r\n") else 1 if whole and whole[-1] in _BREAK_CHARS else 0
            self.lines.append(whole[: len(whole) - cut])
            self.breaks.append(whole[len(whole) - cut :])
        first = next((b for b in self.breaks if b), "\n")
        self.newline = first if first in ("\n", "\r\n", "\r") else "\n"
        self.nodes: dict[tuple[str | int, ...], _Node] = {}
        self.style = _Style()
        self._index(want)
        if self.nodes[()].flow:
            raise EditError(
                "the file is written as one {...} mapping; write it in block style by hand first"
            )

    # positions

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def column_of(self, offset: int) -> int:
        return offset - self.starts[self.line_of(offset)]

    def _offset(self, mark: Any) -> int:
        return (
            self.starts[mark.line] + mark.column if mark.line < len(self.starts) else len(self.text)
        )

    def _index(self, want: str | None) -> None:
        """The place of the root, of each top-level value and of every node under the key
        want (all nodes when None), from the parser's events (the text is known to be strict).
        Nodes elsewhere only pass on where they end: a 10,000-item file is walked in a
        fraction of the time it takes to record it all."""
        text = self.text
        starts = self.starts
        # Per open container: [path or None (not recorded), is mapping, flow, pending key,
        # key start, key end, next index, running end, node or None]
        stack: list[list[Any]] = []
        step: int | None = None
        seq_offset: int | None = None
        nodes = self.nodes
        scalar_event, mapping_start = yaml.ScalarEvent, yaml.MappingStartEvent
        sequence_start = yaml.SequenceStartEvent
        block_styles = ("|", ">")
        event: Any
        path: tuple[str | int, ...] | None
        with collector.paused():
            for event in yaml.parse(text, Loader=_Parser):
                kind = type(event)
                if kind is scalar_event:
                    if not stack:
                        continue
                    mark = event.end_mark
                    end = starts[mark.line] + mark.column if mark.line < len(starts) else len(text)
                    mark = event.start_mark
                    start = starts[mark.line] + mark.column
                    style = event.style
                    if style in block_styles:
                        end = self._block_end(start, end)
                    frame = stack[-1]
                    if frame[1] and frame[3] is None:
                        frame[3], frame[4], frame[5] = event.value, start, end
                        if end > frame[7]:
                            frame[7] = end
                        continue
                    path, key_start, key_end = self._place(frame, want)
                    if path is not None:
                        omitted = event.value == "" and not style
                        if omitted:
                            start = end = key_end if key_end is not None else start
                        nodes[path] = _Node(
                            "scalar",
                            start,
                            end,
                            style not in block_styles,
                            key_start,
                            key_end,
                            omitted,
                        )
                    if end > frame[7]:
                        frame[7] = end
                elif kind is mapping_start or kind is sequence_start:
                    start = self._offset(event.start_mark)
                    flow = bool(event.flow_style)
                    is_map = kind is mapping_start
                    if stack:
                        frame = stack[-1]
                        path, key_start, key_end = self._place(frame, want)
                        if (
                            (step is None or seq_offset is None)
                            and frame[1]
                            and not frame[2]
                            and not flow
                            and key_start is not None
                        ):
                            column = self.column_of(start) - self.column_of(key_start)
                            if is_map and step is None and column > 0:
                                step = column
                            if not is_map and seq_offset is None and column >= 0:
                                seq_offset = column
                    else:
                        path, key_start, key_end = (), None, None
                    node = None
                    if path is not None:
                        node = _Node(
                            "map" if is_map else "seq", start, start, flow, key_start, key_end
                        )
                        nodes[path] = node
                    stack.append([path, is_map, flow, None, None, None, 0, start, node])
                elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                    frame = stack.pop()
                    end = frame[7]
                    if frame[2]:
                        end = max(end, self._offset(event.end_mark))
                    if frame[8] is not None:
                        frame[8].end = end
                    if stack and end > stack[-1][7]:
                        stack[-1][7] = end
        self.style = _Style(step or 2, 2 if seq_offset is None else seq_offset)

    @staticmethod
    def _place(
        frame: list[Any], want: str | None
    ) -> tuple[tuple[str | int, ...] | None, int | None, int | None]:
        """The path of the node the frame's container receives next (None when it is not
        recorded), with its key's place."""
        parent = frame[0]
        if frame[1]:
            part, key_start, key_end = frame[3], frame[4], frame[5]
            frame[3] = None
        else:
            part, key_start, key_end = frame[6], None, None
            frame[6] += 1
        if parent is None or (parent and want is not None and parent[0] != want):
            return None, key_start, key_end
        return (*parent, part), key_start, key_end

    def _block_end(self, start: int, end: int) -> int:
        """A block scalar's end: its mark stands past trailing breaks and the next line's
        indentation; with `+` (keep) its trailing breaks are its own."""
        header = self.text[start : start + 3]
        if "+" in header:
            while end > start and self.text[end - 1] in " \t":
                end -= 1
            return end
        while end > start and self.text[end - 1] in _BLANKS:
            end -= 1
        return end

    # lines

    def indent(self, line: int) -> int:
        content = self.lines[line]
        return len(content) - len(content.lstrip(" "))

    def is_blank(self, line: int) -> bool:
        return not self.lines[line].strip()

    def is_comment(self, line: int) -> bool:
        return self.lines[line].lstrip(" \t").startswith("#")

    def tail(self, offset: int) -> str:
        """What follows offset (the end of something) on the line it ends: '' or a comment
        with the blanks before it."""
        line = self.line_of(max(offset - 1, 0))
        rest = self.lines[line][offset - self.starts[line] :]
        if not rest.strip():
            return ""
        if rest.lstrip(" \t").startswith("#"):
            return rest
        raise _Unusual(line)

    def replace(self, edits: list[tuple[int, int, list[str]]]) -> str:
        """The text with lines [first, end) of each edit replaced by new lines."""
        contents = list(self.lines)
        breaks = list(self.breaks)
        final = bool(breaks[-1])
        for first, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            contents[first:end] = new
            breaks[first:end] = [self.newline] * len(new)
        for n in range(len(breaks) - 1):
            if not breaks[n]:
                breaks[n] = self.newline
        if breaks:
            breaks[-1] = (breaks[-1] or self.newline) if final else ""
        return self.bom + "".join(c + b for c, b in zip(contents, breaks, strict=True))


class _Unusual(Exception):
    """A layout this editor does not rewrite (on the 0-based line)."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _unusual(line: int) -> EditError:
    return EditError(
        f"line {line + 1} is laid out in a way this editor does not rewrite; "
        "edit it by hand (E opens $EDITOR there)"
    )


def _checked(doc: _Doc, new: str, expected: dict[str, Any]) -> str:
    """new, once it is known to hold exactly expected (and to fit a briefing file)."""
    if len(new) > BRIEFING_CAP // 4 and len(new.encode("utf-8")) > BRIEFING_CAP:
        raise EditError(f"the briefing would be over the {BRIEFING_CAP:,}-byte limit")
    body = new[len(doc.bom) :]
    try:
        data, _positions = strict_yaml.load(body)
    except strict_yaml.YamlProblem as problem:
        line, column = problem.position
        raise EditError(
            f"the edit would not be valid YAML (line {line + 1}, column {column + 1}: "
            f"{problem.message}); nothing written"
        ) from None
    if not _same(data, expected):
        raise EditError("the edit would change more than it should; nothing written")
    return new


# --- finding items ------------------------------------------------------------------------


def _section(doc: _Doc, section: str) -> list[Any] | None:
    value = doc.data.get(section)
    if section in doc.data and value is not None and not isinstance(value, list):
        raise EditError(f"{section} is not a list in this file")
    return value


def _item_index(doc: _Doc, section: str, item_id: str) -> int:
    items = _section(doc, section) or []
    found = [
        n for n, item in enumerate(items) if isinstance(item, dict) and item.get("id") == item_id
    ]
    if not found:
        raise EditError(f"no item {clipped_repr(item_id)} in {section}")
    if len(found) > 1:
        raise EditError(f"{len(found)} items in {section} have the id {clipped_repr(item_id)}")
    return found[0]


def _entry_extent(doc: _Doc, seq: _Node, entry: _Node) -> tuple[int, int]:
    """First and last line (0-based) of a block list's entry: from its `-` to its last line
    of content, with comments indented past the `-` that follow it."""
    line = doc.line_of(entry.start)
    before = doc.lines[line][: entry.start - doc.starts[line]]
    stripped = before.rstrip(" ")
    if not stripped.endswith("-") or stripped[:-1].strip():
        raise _Unusual(line)
    dash = len(stripped) - 1
    if dash != doc.column_of(seq.start):
        raise _Unusual(line)
    last = doc.line_of(max(entry.end - 1, entry.start))
    doc.tail(max(entry.end, entry.start))
    following = last + 1
    while following < len(doc.lines):
        if doc.is_blank(following):
            following += 1
        elif doc.is_comment(following) and doc.indent(following) > dash:
            last = following
            following += 1
        else:
            break
    return line, last


def _item_node(doc: _Doc, section: str, item_id: str) -> tuple[int, _Node, _Node]:
    index = _item_index(doc, section, item_id)
    seq = doc.nodes[(section,)]
    item = doc.nodes[(section, index)]
    if seq.flow:
        raise EditError(
            f"{section} is written as a flow list [...]; write it as a block list by hand first"
        )
    return index, seq, item


def item_lines(text: str, section: str, item_id: str) -> tuple[int, int]:
    """The first and last line (1-based) of an item, from its `-` to its last line."""
    doc = _Doc(text, section)
    index = _item_index(doc, section, item_id)
    seq = doc.nodes[(section,)]
    item = doc.nodes[(section, index)]
    if seq.flow:
        return doc.line_of(item.start) + 1, doc.line_of(max(item.end - 1, item.start)) + 1
    try:
        first, last = _entry_extent(doc, seq, item)
    except _Unusual as unusual:
        raise _unusual(unusual.line) from None
    return first + 1, last + 1


# --- edits --------------------------------------------------------------------------------


def _empty_value_line(doc: _Doc, value: _Node) -> tuple[int, str, str]:
    """For a key whose value is empty (`key:`, `key: null`, `key: []`): its line, the text up
    to and with the colon, and the comment after the value (with its blanks), if any."""
    assert value.key_start is not None and value.key_end is not None
    line = doc.line_of(value.key_start)
    if doc.line_of(value.end) != line or (not value.omitted and doc.line_of(value.start) != line):
        raise _Unusual(line)
    start = doc.starts[line]
    content = doc.lines[line]
    colon = content.find(":", value.key_end - start)
    if colon < 0 or content[value.key_end - start : colon].strip():
        raise _Unusual(line)
    return line, content[: colon + 1], doc.tail(max(value.end, start + colon + 1))


def add_item(text: str, section: str, item: Mapping[str, object]) -> str:
    """The text with item appended to section: `section: []` becomes a block list, and the
    section key is made (in the registry's order) when absent."""
    new_item = _plain_value(item)
    if not isinstance(new_item, dict) or not isinstance(new_item.get("id"), str):
        raise EditError("a new item needs an id")
    doc = _Doc(text, section)
    items = _section(doc, section)
    if items is not None and any(
        isinstance(old, dict) and old.get("id") == new_item["id"] for old in items
    ):
        raise EditError(f"{section} already has an item {clipped_repr(new_item['id'])}")
    try:
        return _add_item(doc, section, new_item)
    except _Unusual as unusual:
        raise _unusual(unusual.line) from None


def _add_item(doc: _Doc, section: str, item: dict[str, Any]) -> str:
    style = doc.style
    expected = dict(doc.data)
    if section not in doc.data:
        root_column = doc.column_of(doc.nodes[()].start)
        after, position = _section_place(doc, section)
        lines = [" " * root_column + _key(section) + ":"]
        lines += _seq_lines([item], root_column + style.seq_offset, style)
        keys = list(doc.data)
        keys.insert(position, section)
        expected = {
            key: doc.data.get(key, [item]) if key == section else doc.data[key] for key in keys
        }
        return _checked(doc, doc.replace([(after, after, lines)]), expected)
    expected[section] = [*(doc.data[section] or []), item]
    value = doc.nodes[(section,)]
    if value.kind == "seq" and not value.flow:
        last = doc.nodes[(section, len(doc.data[section]) - 1)]
        _first, end = _entry_extent(doc, value, last)
        dash = doc.column_of(value.start)
        flow_keys = _flow_keys(doc, (section, len(doc.data[section]) - 1))
        lines = _seq_lines([item], dash, style, flow_keys=flow_keys)
        return _checked(doc, doc.replace([(end + 1, end + 1, lines)]), expected)
    if doc.data[section]:
        raise EditError(
            f"{section} is written as a flow list [...]; write it as a block list by hand first"
        )
    line, head, comment = _empty_value_line(doc, value)
    key_column = doc.column_of(value.key_start or 0)
    lines = [head + comment, *_seq_lines([item], key_column + style.seq_offset, style)]
    return _checked(doc, doc.replace([(line, line + 1, lines)]), expected)


def _section_place(doc: _Doc, section: str) -> tuple[int, int]:
    """Where a missing section goes: the line to insert before, and its place among the
    top-level keys. Before the first section that the registry puts after it, else last."""
    keys = list(doc.data)
    rank = SECTION_KEYS.index(section) if section in SECTION_KEYS else len(SECTION_KEYS)
    position = len(keys)
    for n, key in enumerate(keys):
        if key in SECTION_KEYS and SECTION_KEYS.index(key) > rank:
            position = n
            break
    if position == 0:
        first = doc.nodes[(keys[0],)]
        return doc.line_of(first.key_start or 0), 0
    previous = doc.nodes[(keys[position - 1],)]
    end = previous.end if not previous.omitted else (previous.key_end or 0)
    line = doc.line_of(max(end - 1, 0))
    # Comments indented under the previous key are its own: the new key goes after them.
    root_column = doc.column_of(doc.nodes[()].start)
    following = line + 1
    while following < len(doc.lines):
        if doc.is_blank(following):
            following += 1
        elif doc.is_comment(following) and doc.indent(following) > root_column:
            line = following
            following += 1
        else:
            break
    return line + 1, position


def _item_mapping(doc: _Doc, section: str, item_id: str) -> tuple[int, _Node, _Node]:
    index, seq, item = _item_node(doc, section, item_id)
    if item.kind != "map" or item.flow:
        raise EditError(
            f"{clipped_repr(item_id)} is written on one line as {{...}}; "
            "write it as a block by hand first"
        )
    _entry_extent(doc, seq, item)
    return index, seq, item


def _key_line(doc: _Doc, value: _Node, item: _Node) -> tuple[int, str]:
    """The line of a field's key and the text before the key (spaces, or the item's `- `)."""
    assert value.key_start is not None
    line = doc.line_of(value.key_start)
    before = doc.lines[line][: value.key_start - doc.starts[line]]
    if before.strip() and not (value.key_start == item.start and before.strip() == "-"):
        raise _Unusual(line)
    return line, before


def _value_last_line(doc: _Doc, value: _Node) -> int:
    end = value.key_end if value.omitted else value.end
    assert end is not None
    return doc.line_of(max(end - 1, 0))


def set_fields(text: str, section: str, item_id: str, changes: Mapping[str, object | None]) -> str:
    """The text with the item's top-level fields set (None removes one); each value set is
    written whole, in the style of the one it replaces where it stays flat."""
    plain = _plain_value(dict(changes))
    doc = _Doc(text, section)
    try:
        return _set_fields(doc, section, item_id, plain)
    except _Unusual as unusual:
        raise _unusual(unusual.line) from None


def _set_fields(doc: _Doc, section: str, item_id: str, changes: dict[str, Any]) -> str:
    index, _seq, item = _item_mapping(doc, section, item_id)
    old: dict[str, Any] = doc.data[section][index]
    new_item, edits = _set_map(doc, (section, index), item, old, changes, None)
    if new_item is None:
        return doc.bom + doc.text
    expected = dict(doc.data)
    expected[section] = [*doc.data[section]]
    expected[section][index] = new_item
    return _checked(doc, doc.replace(_merge(edits)), expected)


def set_top_fields(text: str, changes: Mapping[str, object | None]) -> str:
    """The text with the briefing's own top-level fields set (None removes one), with the
    guarantees of set_fields. A new key goes after the last key of the header (the keys before
    the first list or mapping, such as `sources`), where a hand-written briefing has them."""
    plain = _plain_value(dict(changes))
    doc = _Doc(text, "")  # only the top-level values' places are needed
    try:
        root = doc.nodes[()]
        if root.kind != "map":  # pragma: no cover - _Doc refuses a non-mapping
            raise EditError("the file is not a briefing")
        old: dict[str, Any] = doc.data
        header = [key for key in old if isinstance(key, str)]
        for n, key in enumerate(header):
            if isinstance(old[key], (list, dict)):
                header = header[:n]
                break
        new_data, edits = _set_map(doc, (), root, old, plain, header[-1] if header else None)
    except _Unusual as unusual:
        raise _unusual(unusual.line) from None
    if new_data is None:
        return doc.bom + doc.text
    # New keys stand after the header: the data's key order follows the text's.
    return _checked(doc, doc.replace(_merge(edits)), new_data)


TODO = "TODO:"
"""A placeholder, as tui/authoring.py's PLACEHOLDER marks one in a value or a comment."""


def _set_map(
    doc: _Doc,
    path: tuple[str | int, ...],
    item: _Node,
    old: dict[str, Any],
    changes: dict[str, Any],
    insert_after: str | None,
) -> tuple[dict[str, Any] | None, list[tuple[int, int, list[str]]]]:
    """The mapping at path (its node item, its data old) with changes made: its new data
    (None when nothing changes) and the line edits. New keys go after insert_after (after the
    last key when None, or before a final `evidence`).

    A key given the value it has stays as written, unless its line carries a `# TODO:`
    comment: giving the value again confirms it, and the placeholder comment goes."""

    def todo_on(key: str) -> bool:
        value = doc.nodes[(*path, key)]
        line, _before = _key_line(doc, value, item)
        return TODO in _kept_comment(doc, value, line, _value_last_line(doc, value))

    # A value given as it already is stays as it is written, comments and style included.
    changes = {
        key: value
        for key, value in changes.items()
        # None removes a key, even one written `key: null`.
        if not (value is not None and key in old and _same(old[key], value) and not todo_on(key))
        and not (key not in old and value is None)
    }
    if not changes:
        return None, []
    style = doc.style
    key_column = doc.column_of(item.start)
    dash_line = doc.line_of(item.start)
    dash_prefix = doc.lines[dash_line][:key_column]
    keys = list(old)
    remaining = [key for key in keys if not (key in changes and changes[key] is None)]
    if not remaining:
        raise EditError("an item cannot lose all its fields; remove the item instead")
    new_keys = [key for key, value in changes.items() if key not in old and value is not None]
    # The new item's keys, in order: the old ones where they stood, new ones last, or before
    # a final `evidence` (where the bundled briefing keeps it), or after insert_after.
    if insert_after is not None and insert_after in remaining:
        at = remaining.index(insert_after) + 1
        order = [*remaining[:at], *new_keys, *remaining[at:]]
        before_evidence = False
    else:
        before_evidence = bool(new_keys) and keys[-1] == "evidence" and "evidence" in remaining
        order = [key for key in remaining if not (before_evidence and key == "evidence")]
        order += new_keys + (["evidence"] if before_evidence else [])
        insert_after = None
    new_item = {key: changes[key] if key in changes else old[key] for key in order}
    edits: list[tuple[int, int, list[str]]] = []
    first_removed = keys[0] not in remaining
    for key in keys:
        if key not in changes:
            continue
        value = doc.nodes[(*path, key)]
        line, before = _key_line(doc, value, item)
        last = _value_last_line(doc, value)
        if changes[key] is None:
            edits.append((line, last + 1, []))
            continue
        prefix = dash_prefix if key == order[0] else before
        own = style
        if value.kind == "seq" and not value.flow:  # a list written as this one was
            own = _Style(style.step, doc.column_of(value.start) - key_column)
        lines = _entry_lines(
            key,
            changes[key],
            key_column,
            own,
            prefix,
            flow=value.flow and value.kind != "scalar",
        )
        comment = _kept_comment(doc, value, line, last)
        # A placeholder's comment says the value is still to be checked: replaced, it is.
        if comment and TODO not in comment:
            lines[0] += comment
        edits.append((line, last + 1, lines))
    if new_keys:
        if insert_after is not None:
            insert_at = _value_last_line(doc, doc.nodes[(*path, insert_after)]) + 1
        elif before_evidence:
            insert_at, _before = _key_line(doc, doc.nodes[(*path, "evidence")], item)
        else:
            insert_at = _value_last_line(doc, doc.nodes[(*path, keys[-1])]) + 1
        lines = []
        for key in new_keys:
            lines += _entry_lines(
                key, changes[key], key_column, style, dash_prefix if key == order[0] else None
            )
        edits.append((insert_at, insert_at, lines))
    if first_removed and order[0] in old and order[0] not in changes:
        # The item's `-` moves to the line of its new first key.
        line, _before = _key_line(doc, doc.nodes[(*path, order[0])], item)
        edits.append((line, line + 1, [dash_prefix + doc.lines[line][key_column:]]))
    return new_item, edits


def _kept_comment(doc: _Doc, value: _Node, line: int, last: int) -> str:
    """The comment (with the blanks before it) kept when a field's value is replaced: the
    one after a value on the key's line, or after the key of a block value below it."""
    if value.omitted or (
        value.kind != "scalar" and not value.flow and doc.line_of(value.start) != line
    ):
        return _after_colon(doc, value)
    if last == line:
        comment = doc.tail(value.end)
        return comment if comment.strip() else ""
    return ""


def _after_colon(doc: _Doc, value: _Node) -> str:
    """The comment after a key's colon when nothing else follows it on the line, or ''."""
    assert value.key_end is not None
    line = doc.line_of(value.key_end)
    rest = doc.lines[line][value.key_end - doc.starts[line] :]
    colon = rest.find(":")
    if colon < 0 or rest[:colon].strip():
        raise _Unusual(line)
    after = rest[colon + 1 :]
    if not after.strip():
        return ""
    if after.lstrip(" \t").startswith("#"):
        return after
    if value.omitted:
        raise _Unusual(line)
    return ""


def _colon_only(doc: _Doc, value: _Node) -> bool:
    """The key's line holds only the key, its colon and perhaps a comment."""
    assert value.key_end is not None
    line = doc.line_of(value.key_end)
    rest = doc.lines[line][value.key_end - doc.starts[line] :].lstrip(" ")
    return rest.startswith(":") and (not rest[1:].strip() or rest[1:].lstrip(" \t").startswith("#"))


def _merge(edits: list[tuple[int, int, list[str]]]) -> list[tuple[int, int, list[str]]]:
    """Edits in line order; an insertion at the line where a replacement starts goes first."""
    out: list[tuple[int, int, list[str]]] = []
    for first, end, lines in sorted(edits, key=lambda e: (e[0], e[1])):
        if out and first < out[-1][1]:  # pragma: no cover - fields never overlap
            raise EditError("the edit would change overlapping lines; nothing written")
        if out and first == out[-1][0] == out[-1][1]:
            previous = out.pop()
            out.append((first, end, [*previous[2], *lines]))
            continue
        out.append((first, end, lines))
    return out


def add_entry(text: str, section: str, item_id: str, key: str, entry: object) -> str:
    """The text with entry appended to the item's list field key (made when absent)."""
    new_entry = _plain_value(entry)
    doc = _Doc(text, section)
    try:
        index, _seq, _item = _item_mapping(doc, section, item_id)
        old = doc.data[section][index]
        if key not in old or old[key] is None:
            return _set_fields(doc, section, item_id, {key: [new_entry]})
        if not isinstance(old[key], list):
            raise EditError(f"{key} of {clipped_repr(item_id)} is not a list")
        value = doc.nodes[(section, index, key)]
        if value.flow or not old[key]:
            return _set_fields(doc, section, item_id, {key: [*old[key], new_entry]})
        last_node = doc.nodes[(section, index, key, len(old[key]) - 1)]
        _first, end = _entry_extent(doc, value, last_node)
        flow = last_node.flow and last_node.kind == "map"
        lines = _seq_lines(
            [new_entry],
            doc.column_of(value.start),
            doc.style,
            flow=flow,
            flow_keys=_flow_keys(doc, (section, index, key, len(old[key]) - 1)),
        )
        expected = dict(doc.data)
        expected[section] = [*doc.data[section]]
        expected[section][index] = {**old, key: [*old[key], new_entry]}
        return _checked(doc, doc.replace([(end + 1, end + 1, lines)]), expected)
    except _Unusual as unusual:
        raise _unusual(unusual.line) from None


def _flow_keys(doc: _Doc, path: tuple[str | int, ...]) -> frozenset[str]:
    """The keys of the mapping at path whose values are written flow (`quantity: {..}`): a
    new sibling entry writes its own the same way."""
    data: Any = doc.data
    for part in path:
        data = data[part]
    if not isinstance(data, dict):
        return frozenset()
    return frozenset(
        key
        for key in data
        if doc.nodes[(*path, key)].flow and doc.nodes[(*path, key)].kind != "scalar"
    )


def remove_item(text: str, section: str, item_id: str) -> str:
    """The text without the item; a section left empty is written `section: []`."""
    doc = _Doc(text, section)
    try:
        index, seq, item = _item_node(doc, section, item_id)
        first, last = _entry_extent(doc, seq, item)
        edits: list[tuple[int, int, list[str]]] = [(first, last + 1, [])]
        if len(doc.data[section]) == 1:
            edits.append(_emptied(doc, doc.nodes[(section,)]))
        expected = dict(doc.data)
        expected[section] = [old for n, old in enumerate(doc.data[section]) if n != index]
        return _checked(doc, doc.replace(edits), expected)
    except _Unusual as unusual:
        raise _unusual(unusual.line) from None


def _emptied(doc: _Doc, value: _Node) -> tuple[int, int, list[str]]:
    """The edit writing `key: []` on the line of a block list's key (its comment kept)."""
    assert value.key_start is not None and value.key_end is not None
    line = doc.line_of(value.key_end)
    if not _colon_only(doc, value):
        raise _Unusual(line)
    content = doc.lines[line]
    colon = content.index(":", value.key_end - doc.starts[line])
    return (line, line + 1, [content[: colon + 1] + " []" + content[colon + 1 :]])


def remove_entry(text: str, section: str, item_id: str, key: str, index: int) -> str:
    """The text without entry number index (from 0) of the item's list field key; a list
    left empty is written `key: []`."""
    doc = _Doc(text, section)
    try:
        item_index, _seq, _item = _item_mapping(doc, section, item_id)
        old = doc.data[section][item_index]
        entries = old.get(key)
        if not isinstance(entries, list):
            raise EditError(f"{clipped_repr(item_id)} has no list {key}")
        if isinstance(index, bool) or not 0 <= index < len(entries):
            raise EditError(f"{key} of {clipped_repr(item_id)} has no entry {index + 1}")
        value = doc.nodes[(section, item_index, key)]
        rest = [entry for n, entry in enumerate(entries) if n != index]
        if value.flow:
            return _set_fields(doc, section, item_id, {key: rest})
        first, last = _entry_extent(doc, value, doc.nodes[(section, item_index, key, index)])
        edits: list[tuple[int, int, list[str]]] = [(first, last + 1, [])]
        if not rest:
            edits.append(_emptied(doc, value))
        expected = dict(doc.data)
        expected[section] = [*doc.data[section]]
        expected[section][item_index] = {**old, key: rest}
        return _checked(doc, doc.replace(edits), expected)
    except _Unusual as unusual:
        raise _unusual(unusual.line) from None
