"""The loader's fast paths give what the plain ones gave.

Positions found lazily by a second parse, paragraphs that are their own flat text, the walk
of only the fields that can report words, the collector paused while loading, and cache
entries (format 2) read back equal to a cold load.
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from tests.conftest import MINIMAL_SOURCE, SEED_BRIEFING, MakeProject, minimal_yaml
from tui import cache, strict_yaml
from tui.loader import BriefingError, load_briefing, parse_briefing
from tui.schema import (
    Anchor,
    Briefing,
    Date,
    Money,
    Party,
    Quantity,
    reporting_fields,
    walk_reported,
)
from tui.source import SourceText, Span, _flat_map, flatten, split_paragraphs

# --- strict_yaml: positions on demand --------------------------------------------------------

NESTED = """\
a: 1
b:
  - x
  - {c: true, d: [1, 2.5, ~]}
  -
    e: 'quoted'
    f: |
      block
"""


def test_positions_are_found_on_demand_and_exact() -> None:
    data, positions = strict_yaml.load(NESTED)
    assert data == {
        "a": 1,
        "b": ["x", {"c": True, "d": [1, 2.5, None]}, {"e": "quoted", "f": "block\n"}],
    }
    assert positions.locate(()) == ((0, 0), 0)
    assert positions.locate(("a",)) == ((0, 3), 1)
    assert positions.locate(("a",), at_key=True) == ((0, 0), 1)
    assert positions.locate(("b", 0)) == ((2, 4), 2)
    assert positions.locate(("b", 1, "d", 1)) == ((3, 21), 4)
    assert positions.locate(("b", 1, "c"), at_key=True) == ((3, 5), 3)
    assert positions.locate(("b", 2, "f")) == ((6, 7), 3)
    # A path that leaves the data stops at the deepest node found.
    assert positions.locate(("b", 1, "nope", 3)) == ((3, 4), 2)
    assert positions.locate(("b", 9)) == ((2, 2), 1)  # a block list starts at its first dash


def test_a_duplicate_key_names_where_the_first_stood() -> None:
    with pytest.raises(strict_yaml.YamlProblem) as caught:
        strict_yaml.load("top:\n  a: 1\n  b: 2\n  a: 3\n")
    assert caught.value.position == (3, 2)
    assert caught.value.message == "duplicate key 'a' (first at line 2, column 3)"


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("text", [NESTED, "a: [1\n", "a: &x 1\n", "a: 1\na: 2\n"])
def test_the_collector_is_left_as_it_was(enabled: bool, text: str) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with contextlib.suppress(strict_yaml.YamlProblem):
            strict_yaml.load(text)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_parse_briefing_leaves_the_collector_on(make_project: MakeProject) -> None:
    path = make_project()
    assert gc.isenabled()
    parse_briefing(path.read_bytes(), path)
    assert gc.isenabled()
    with pytest.raises(BriefingError):
        parse_briefing(b"schema: 1\nid: [\n", path)
    assert gc.isenabled()


def test_an_error_found_after_validation_is_positioned(make_project: MakeProject) -> None:
    """Reference errors come after pydantic: their positions come from the second parse."""
    body = "events:\n  - id: e\n    kind: meeting\n    title: T\n    status: held\n"
    body += "    confidence: high\n    participants: [alice, carol]\n"
    body += "    evidence:\n      - {paragraph: 2, quote: Alice met Bob}\n"
    with pytest.raises(BriefingError) as caught:
        load_briefing(make_project(minimal_yaml(body=body)))
    (found,) = caught.value.diagnostics
    assert (found.line, found.column) == (31, 27)
    assert found.message.startswith("unknown party id 'carol'")


# --- source: flat text and its offsets -------------------------------------------------------


def _reference_map(text: str) -> tuple[str, list[int]]:
    """The per-character offsets the map replaces: flat character i stood at index[i]."""
    out: list[str] = []
    index: list[int] = []
    position = 0
    for match in re.finditer(r"\s+", text):
        out.append(text[position : match.start()])
        index.extend(range(position, match.start()))
        out.append(" ")
        index.append(match.start())
        position = match.end()
    out.append(text[position:])
    index.extend(range(position, len(text)))
    flat = "".join(out)
    lead = len(flat) - len(flat.lstrip(" "))
    stripped = flat.strip(" ")
    return stripped, index[lead : lead + len(stripped)] + [len(text)]


@pytest.mark.parametrize(
    "text",
    [
        "plain words with single spaces",
        "two  spaces",
        "a tab\there",
        "lines\nbroken\n  and indented",
        "  indented first line\nthen more",
        "no-break\u00a0space and\u2028separator",
        "trailing space ",
        "x",
    ],
)
def test_flat_map_agrees_with_per_character_offsets(text: str) -> None:
    flat, offsets = _flat_map(text)
    expected_flat, index = _reference_map(text)
    assert flat == expected_flat == flatten(text)
    assert (offsets is None) == (flat == text)
    source = SourceText(text)
    (paragraph,) = source.paragraphs
    assert paragraph.text == text.strip("\n")
    for start in range(len(flat)):
        for length in range(1, len(flat) - start + 1):
            assert source.span(1, start, length) == Span(
                1, index[start], index[start + length - 1] + 1
            )


def test_quotes_resolve_across_irregular_whitespace() -> None:
    source = SourceText("Intro.\n\nAlice  met\tBob\n  in Paris.\n")
    span = source.resolve(_anchor("met Bob in Paris"))
    assert source.paragraphs[1].text[span.start : span.end] == "met\tBob\n  in Paris"


def test_flatten_is_whitespace_runs_to_one_space() -> None:
    for text in ["", " ", "a", " a  b\t\nc \u3000", "\x1c\x1dx\x1e\x1f", "a\u200bb"]:
        assert flatten(text) == re.sub(r"\s+", " ", text).strip()


def test_split_paragraphs_numbers_blocks() -> None:
    found = split_paragraphs("One\n  \nTwo\nlines\n\t\n\nThree")
    assert [(p.number, p.start, p.text) for p in found] == [
        (1, 0, "One"),
        (2, 7, "Two\nlines"),
        (3, 20, "Three"),
    ]


def _anchor(quote: str) -> Anchor:
    return Anchor(quote=quote)


# --- schema: the walk of as-reported words ---------------------------------------------------


def _full_walk(item: BaseModel) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """The walk over every field, which walk_reported narrows."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), item)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, Date | Quantity | Money):
            if value.reported is not None:
                yield path + ("reported",), value.reported
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                if name != "evidence":
                    stack.append((path + (name,), getattr(value, name)))
        elif isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in enumerate(value))


def test_walk_reported_finds_what_the_full_walk_finds() -> None:
    briefing = load_briefing(SEED_BRIEFING).briefing
    found = 0
    for _loc, item in briefing.items():
        walked = list(walk_reported(item))
        assert walked == list(_full_walk(item))
        found += len(walked)
    assert found > 0
    assert list(walk_reported(briefing)) == list(_full_walk(briefing))


def test_reporting_fields_are_only_those_that_can_report() -> None:
    # A party's own fields hold no date, count or sum; its claims (format 2, on every item) may.
    assert reporting_fields(Party) == ("claims",)
    assert "sources" in reporting_fields(Briefing)  # a source's published date
    assert "source_notes" not in reporting_fields(Briefing)


# --- cache, format 2 -------------------------------------------------------------------------


def _entries() -> list[Path]:
    base = cache.folder()
    assert base is not None
    return sorted(base.glob("*.json"))


def _same(a: Any, b: Any) -> None:
    assert a.briefing == b.briefing
    assert a.evidence == b.evidence
    assert a.diagnostics == b.diagnostics
    assert a.sources.keys() == b.sources.keys()
    for key in a.sources:
        assert a.sources[key].text == b.sources[key].text
        assert a.sources[key].digest == b.sources[key].digest


def test_a_cached_load_equals_a_cold_one(monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_briefing(SEED_BRIEFING)  # cold, writes the entry
    (entry,) = _entries()
    header, _, payload = entry.read_bytes().partition(b"\n")
    assert json.loads(header)["format"] == cache.FORMAT
    assert Briefing.model_validate_json(payload) == first.briefing
    second = load_briefing(SEED_BRIEFING)
    _same(first, second)
    pairs = zip(first.briefing.items(), second.briefing.items(), strict=True)
    for (_loc, cold), (_loc2, cached) in pairs:
        assert cold.model_fields_set == cached.model_fields_set  # only what the YAML set
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    _same(first, load_briefing(SEED_BRIEFING))


def test_a_cached_load_keeps_its_warnings(make_project: MakeProject) -> None:
    path = make_project(minimal_yaml(MINIMAL_SOURCE), MINIMAL_SOURCE + "\nMore.\n")
    first = load_briefing(path)
    assert first.warnings
    second = load_briefing(path)
    _same(first, second)


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],
        lambda raw: b"",
        lambda raw: raw.replace(b"\n", b" ", 1),
        lambda raw: raw.replace(b'"format": 3', b'"format": 1', 1),
        lambda raw: raw.replace(b'"spans": [', b'"spans": [null, ', 1),
        lambda raw: raw.replace(b'"spans": [[', b'"spans": [[9, 9, 9], [', 1)[:-1] + b"x",
        lambda raw: re.sub(rb'"spans": \[\[[0-9, ]*\], ', b'"spans": [', raw, count=1),
    ],
)
def test_a_damaged_entry_is_a_miss(make_project: MakeProject, damage: Any) -> None:
    path = make_project()
    first = load_briefing(path)
    (entry,) = _entries()
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    _same(first, load_briefing(path))
    assert entry.read_bytes() == good  # a miss: loaded cold and written again


def test_loading_thaws_nothing_it_did_not_freeze(make_project: MakeProject) -> None:
    path = make_project()
    load_briefing(path)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    kept = [object() for _ in range(3)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        load_briefing(path)
        assert gc.get_freeze_count() == frozen  # someone else's frozen objects stay frozen
    finally:
        gc.unfreeze()
    del kept
