"""Surgical YAML edits (tui/yaml_edit.py): only the intended lines change, and the data read
back is exactly the old data plus the intended change.

Run on the bundled briefing, on a skeleton from `briefing new`, on the bundled briefing written
by PyYAML (lists not indented under their keys, other quoting), with CRLF line breaks, and
without a final newline. The default Hypothesis budget is small; `--fuzz` runs a larger one.
"""

from __future__ import annotations

import copy
import functools
import hashlib
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SEED_BRIEFING, SEED_SOURCE
from tui import strict_yaml
from tui.authoring import skeleton
from tui.yaml_edit import (
    EditError,
    add_entry,
    add_item,
    item_lines,
    remove_entry,
    remove_item,
    set_fields,
    set_top_fields,
)

SMALL = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
LARGE = settings(max_examples=1_500, deadline=None, suppress_health_check=list(HealthCheck))

BUNDLED = SEED_BRIEFING.read_text(encoding="utf-8")
_SOURCE = SEED_SOURCE.read_text(encoding="utf-8")
SKELETON = skeleton(
    _SOURCE,
    hashlib.sha256(SEED_SOURCE.read_bytes()).hexdigest(),
    "../seeds/" + SEED_SOURCE.name,
    SEED_SOURCE.stem,
    "briefing.schema.json",
)
"""What `briefing new` writes: every section `[]`, double-quoted strings, comments."""


@functools.cache
def _data(text: str) -> Any:
    """The text's data (shared: never changed by a test)."""
    return strict_yaml.load(text.removeprefix("\ufeff"))[0]


INDENTLESS = yaml.safe_dump(
    _data(BUNDLED), sort_keys=False, allow_unicode=True, width=90, default_flow_style=False
)
"""The bundled briefing as PyYAML writes it: `key:` then `- a` at the key's own column."""
CRLF = BUNDLED.replace("\n", "\r\n")
NO_FINAL_NEWLINE = BUNDLED.rstrip("\n")
TEXTS = {
    "bundled": BUNDLED,
    "indentless": INDENTLESS,
    "crlf": CRLF,
    "no-final-newline": NO_FINAL_NEWLINE,
}

PARTY = {
    "id": "nato",
    "kind": "organisation",
    "name": "NATO",
    "aliases": ["North Atlantic Treaty Organization"],
    "evidence": [{"paragraph": 2, "quote": "© Xinhua"}],
}
ANCHOR = {"paragraph": 8, "quote": "military ties between Russia and China"}


def lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def changed(old: str, new: str) -> tuple[int, int, list[str]]:
    """The region of old that differs, as 0-based [first, end) lines, and the new lines that
    stand there: everything before and after it is identical, byte for byte."""
    a, b = lines(old), lines(new)
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    return prefix, len(a) - suffix, b[prefix : len(b) - suffix]


def items(text: str) -> list[tuple[str, str]]:
    """Every item of the bundled briefing; every third of its variants (they share items: the
    bundled run covers each, the variants each layout)."""
    data = _data(text)
    every = [
        (key, item["id"])
        for key, value in data.items()
        if isinstance(value, list)
        for item in value
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    ]
    return every if text is BUNDLED else every[::3]


def find(data: dict[str, Any], section: str, item_id: str) -> dict[str, Any]:
    return next(item for item in data[section] if item.get("id") == item_id)


def assert_within(old: str, new: str, section: str, item_id: str) -> None:
    """Only lines of the item (1-based first..last) differ; any line break written is the
    file's own."""
    if new == old:
        return
    first, last = item_lines(old, section, item_id)
    start, end, written = changed(old, new)
    assert first - 1 <= start and end <= last + 1, (first, last, start, end)
    newline = "\r\n" if "\r\n" in old else "\n"
    for line in written:
        body = line.rstrip("\r\n")
        assert line[len(body) :] in ("", newline)
    assert new.endswith("\n") == old.endswith("\n")


# --- every item of every text -------------------------------------------------------------


@pytest.mark.parametrize("name", TEXTS)
def test_each_item_removed_touches_only_its_lines(name: str) -> None:
    text = TEXTS[name]
    old = _data(text)
    for section, item_id in items(text):
        first, last = item_lines(text, section, item_id)
        new = remove_item(text, section, item_id)
        start, end, written = changed(text, new)
        expected = copy.deepcopy(old)
        expected[section] = [i for i in old[section] if i.get("id") != item_id]
        assert _data(new) == expected
        if expected[section] and (text.endswith("\n") or last < len(lines(text))):
            assert (start, end, written) == (first - 1, last, []), (section, item_id)
        elif expected[section]:  # the line before loses its break, as the file ends without one
            assert new == "".join(lines(text)[: first - 1]).removesuffix("\n")
        else:  # the key's line says `[]` now
            assert written[0].rstrip("\r\n").endswith(f"{section}: []")


@pytest.mark.parametrize("name", TEXTS)
def test_each_item_set_fields_touches_only_its_lines(name: str) -> None:
    text = TEXTS[name]
    for section, item_id in items(text):
        item = find(_data(text), section, item_id)
        changes: dict[str, object] = {"notes": 'A "new" note: #1, yes'}
        dropped = next((k for k in item if k not in ("id", "evidence", "notes")), None)
        if dropped is not None and len(item) > 2:
            changes[dropped] = None
        new = set_fields(text, section, item_id, changes)
        assert_within(text, new, section, item_id)
        after = find(_data(new), section, item_id)
        assert after["notes"] == changes["notes"]
        assert dropped is None or len(item) <= 2 or dropped not in after


@pytest.mark.parametrize("name", TEXTS)
def test_each_item_gets_and_loses_evidence(name: str) -> None:
    text = TEXTS[name]
    for section, item_id in items(text):
        new = add_entry(text, section, item_id, "evidence", ANCHOR)
        assert_within(text, new, section, item_id)
        before = find(_data(text), section, item_id).get("evidence", [])
        assert find(_data(new), section, item_id)["evidence"] == [*before, ANCHOR]
        removed = remove_entry(new, section, item_id, "evidence", len(before))
        if before:
            assert removed == text  # the entry added, then removed: the very bytes again
            fewer = remove_entry(text, section, item_id, "evidence", 0)
            assert_within(text, fewer, section, item_id)
            assert find(_data(fewer), section, item_id)["evidence"] == before[1:]


@pytest.mark.parametrize("name", TEXTS)
def test_add_item_only_inserts(name: str) -> None:
    text = TEXTS[name]
    for section in ("parties", "places", "relationships"):
        new = add_item(text, section, {**PARTY, "id": f"new-{section}"})
        start, end, _written = changed(text, new)
        if text.endswith("\n"):
            assert start == end, "only lines inserted"
        else:  # the last line gains the line break it lacked
            assert end - start <= 1
        data = _data(new)
        assert data[section][-1] == {**PARTY, "id": f"new-{section}"}
        assert remove_item(new, section, f"new-{section}") == text


def test_indentless_lists_stay_indentless() -> None:
    new = add_item(INDENTLESS, "parties", PARTY)
    _start, _end, written = changed(INDENTLESS, new)
    assert written[0] == "- id: nato\n"
    assert "  evidence:\n" in written and "  - paragraph: 2\n" in written
    bundled = add_item(BUNDLED, "parties", PARTY)
    _start, _end, written = changed(BUNDLED, bundled)
    assert written[0] == "  - id: nato\n"
    assert "      - paragraph: 2\n" in written


def test_crlf_is_kept() -> None:
    new = add_item(CRLF, "parties", PARTY)
    assert "\n" not in new.replace("\r\n", "")
    new = set_fields(new, "parties", "nato", {"notes": "x " * 80 + "end"})
    assert "\n" not in new.replace("\r\n", "")


def test_old_mac_line_breaks_are_kept() -> None:
    text = "schema: 2\rparties:\r  - id: a\r    name: A\r"
    new = add_item(text, "parties", {"id": "b", "name": "B"})
    assert new == text + "  - id: b\r    name: B\r"


def test_byte_order_mark_is_kept() -> None:
    text = "\ufeff" + BUNDLED
    new = set_fields(text, "parties", "russia", {"name": "Russian Federation"})
    assert new.startswith("\ufeffschema:") or new.startswith("\ufeff#")
    assert find(_data(new), "parties", "russia")["name"] == "Russian Federation"


# --- the skeleton of `briefing new` ---------------------------------------------------------


def test_skeleton_empty_section_becomes_a_block_list() -> None:
    new = add_item(SKELETON, "parties", PARTY)
    start, end, written = changed(SKELETON, new)
    assert [line.rstrip("\n") for line in lines(SKELETON)[start:end]] == ["parties: []"]
    assert written[0] == "parties:\n" and written[1] == "  - id: nato\n"
    assert _data(new)["parties"] == [PARTY]
    # The rest of the skeleton, comments and the yaml-language-server line included, stays.
    assert lines(new)[:start] == lines(SKELETON)[:start]
    assert lines(new)[start + len(written) :] == lines(SKELETON)[end:]
    assert remove_item(new, "parties", "nato") == SKELETON


def test_skeleton_every_section() -> None:
    text = SKELETON
    for n, section in enumerate(("parties", "agreements", "drills", "statements", "places")):
        text = add_item(text, section, {"id": f"item-{n}", "name": "x"})
    for n, section in enumerate(("parties", "agreements", "drills", "statements", "places")):
        text = remove_item(text, section, f"item-{n}")
    assert text == SKELETON


def test_missing_section_is_made_in_registry_order() -> None:
    text = SKELETON.replace("places: []\n", "")
    new = add_item(text, "places", {"id": "moscow", "name": "Moscow"})
    start, end, written = changed(text, new)
    assert start == end
    assert written == ["places:\n", "  - id: moscow\n", "    name: Moscow\n"]
    assert list(_data(new)).index("places") == list(_data(SKELETON)).index("places")
    last = SKELETON.replace("relationships: []\n", "")
    new = add_item(last, "relationships", {"id": "r", "party": "a", "kind": "member_of"})
    assert new.startswith(last) and list(_data(new))[-1] == "relationships"


def test_null_and_comment_on_the_section_line() -> None:
    for value in ("", " null", " ~", " []"):
        text = SKELETON.replace("parties: []\n", f"parties:{value}  # who is who\n")
        new = add_item(text, "parties", PARTY)
        start, end, written = changed(text, new)
        if value:
            assert end - start == 1 and written[0] == "parties:  # who is who\n"
        else:  # the key's line stays as it is
            assert end == start and written[0] == "  - id: nato\n"
        assert _data(new)["parties"] == [PARTY]


def test_last_item_of_a_file_without_final_newline() -> None:
    text = "schema: 2\nparties:\n  - id: a\n    name: A\n  - id: b\n    name: B"
    assert remove_item(text, "parties", "b") == "schema: 2\nparties:\n  - id: a\n    name: A"
    assert remove_item(text, "parties", "a") == "schema: 2\nparties:\n  - id: b\n    name: B"
    added = add_item(text, "parties", {"id": "c", "name": "C"})
    assert added == text + "\n  - id: c\n    name: C"
    assert set_fields(text, "parties", "b", {"name": "Bee"}).endswith("name: Bee")
    only = "parties:\n  - id: a\n    name: A"
    assert remove_item(only, "parties", "a") == "parties: []"


# --- values ---------------------------------------------------------------------------------


def test_flow_values_are_replaced_whole_in_their_style() -> None:
    new = set_fields(
        BUNDLED, "drills", "sco-joint-drills-2014", {"participants": ["russia", "china"]}
    )
    _start, _end, written = changed(BUNDLED, new)
    assert written == ["    participants: [russia, china]\n"]
    new = add_entry(BUNDLED, "drills", "sco-joint-drills-2014", "participants", "pla")
    _start, _end, written = changed(BUNDLED, new)
    assert written == ["    participants: [russia, china, other-sco-members, pla]\n"]
    new = remove_entry(BUNDLED, "drills", "sco-joint-drills-2014", "participants", 2)
    _start, _end, written = changed(BUNDLED, new)
    assert written == ["    participants: [russia, china]\n"]
    text = "parties:\n  - id: a\n    date: {value: '2014', reported: in 2014}  # when\n"
    new = set_fields(text, "parties", "a", {"date": {"value": "2015", "reported": "2015"}})
    assert new == 'parties:\n  - id: a\n    date: {value: "2015", reported: "2015"}  # when\n'


def test_block_scalars_are_replaced_and_removed() -> None:
    item = "agreements", "military-cooperation-agreements"
    new = set_fields(BUNDLED, *item, {"notes": "Short now."})
    start, end, written = changed(BUNDLED, new)
    assert written == ["    notes: Short now.\n"]
    assert end - start == 6  # `notes: >-` and its five lines
    gone = set_fields(BUNDLED, *item, {"notes": None})
    start, end, written = changed(BUNDLED, gone)
    assert written == [] and end - start == 6
    long = "A long note " * 12 + "ends here."
    folded = set_fields(BUNDLED, *item, {"notes": long})
    assert find(_data(folded), *item)["notes"] == long
    assert "    notes: >-\n      A long note A long" in folded
    keep = "parties:\n  - id: a\n    notes: |+\n      kept\n\n  - id: b\n"
    assert _data(set_fields(keep, "parties", "a", {"notes": "x"}))["parties"][0]["notes"] == "x"


def test_comment_after_a_value_is_kept() -> None:
    text = SKELETON.replace("# TODO: the language tag of the text", "# as the outlet says")
    new = set_fields(text, "sources", "source", {"language": "fr"})
    _start, _end, written = changed(text, new)
    assert written == ["    language: fr  # as the outlet says\n"]


def test_a_placeholder_comment_goes_when_its_value_is_replaced() -> None:
    # The skeleton's `# TODO:` comment asks for the value to be checked: replaced, it is done.
    new = set_fields(SKELETON, "sources", "source", {"language": "fr"})
    _start, _end, written = changed(SKELETON, new)
    assert written == ["    language: fr\n"]


def test_a_placeholder_comment_goes_when_its_value_is_confirmed() -> None:
    # Given again as it is, a value under a TODO is confirmed: only the comment goes.
    new = set_fields(SKELETON, "sources", "source", {"language": "en", "title": "Same"})
    assert "# TODO: the language tag" not in new
    assert "    language: en\n" in new
    unchanged = set_fields(SKELETON, "sources", "source", {"path": "x"})
    assert "# TODO: the language tag" in unchanged


def test_first_field_removed_moves_the_dash() -> None:
    text = "parties:\n  - id: a\n    kind: state\n    name: A\n"
    assert set_fields(text, "parties", "a", {"id": None}) == (
        "parties:\n  - kind: state\n    name: A\n"
    )
    assert set_fields(text, "parties", "a", {"id": None, "kind": None, "x": 1}) == (
        "parties:\n  - name: A\n    x: 1\n"
    )
    with pytest.raises(EditError, match="remove the item"):
        set_fields(text, "parties", "a", {"id": None, "kind": None, "name": None})


def test_new_fields_go_before_a_final_evidence() -> None:
    new = set_fields(BUNDLED, "parties", "russia", {"aliases": ["Russian Federation"]})
    start, _end, written = changed(BUNDLED, new)
    assert written == ["    aliases: [Russian Federation]\n"]
    assert lines(BUNDLED)[start] == "    evidence:\n"
    assert list(find(_data(new), "parties", "russia"))[-2:] == ["aliases", "evidence"]


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "No",
        "null",
        "~",
        "1.0",
        "010",
        "0x1F",
        "1:30",
        "2014-11-05",
        "2014-11-05T10:00:00Z",
        ".inf",
        "-",
        "- a",
        "a: b",
        "a #b",
        "#a",
        "'",
        '"',
        "",
        " padded ",
        "@x",
        "%x",
        "!x",
        "&a",
        "*a",
        "{a}",
        "[a]",
        "a\nb",
        "a\u2028b",
        "a\x85b",
        "\x1b[31mred",
        "\u202eevil",
        "\ufeff",
        "tab\there",
        "\\",
        "back\\slash 'q' \"d\"",
        "12",
        "=",
        "<<",
        "y",
        "N",
    ],
)
def test_strings_stay_strings(value: str) -> None:
    for key in ("name", "aliases"):
        written_value: object = value if key == "name" else [value, "b"]
        new = set_fields(BUNDLED, "parties", "russia", {key: written_value})
        assert find(_data(new), "parties", "russia")[key] == written_value
        # Any YAML 1.1 reader (PyYAML's) reads the same string: a date stays a string.
        assert (
            find(yaml.load(new, Loader=yaml.CSafeLoader), "parties", "russia")[key] == written_value
        )
        _start, _end, written = changed(BUNDLED, new)
        assert all(line.rstrip("\n").isprintable() for line in written)


@pytest.mark.parametrize(
    "value", [0, -3, 10**29, 1.5, 1e16, -0.25, True, False, None, {"a": [1, {"b": None}]}]
)
def test_other_values_read_back_with_their_types(value: object) -> None:
    new = set_fields(BUNDLED, "parties", "russia", {"extra": value})
    if value is None:
        assert new == BUNDLED  # nothing to remove
        return
    got = find(_data(new), "parties", "russia")["extra"]
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), 10**40, {1: 2}, {"<<": 1}, b"x", object()]
)
def test_values_a_briefing_cannot_hold_are_refused(value: object) -> None:
    with pytest.raises(EditError):
        set_fields(BUNDLED, "parties", "russia", {"extra": value})


def test_oversized_entry_is_refused_before_it_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.yaml_edit

    monkeypatch.setattr(tui.yaml_edit, "BRIEFING_CAP", 1000)
    with pytest.raises(EditError, match="too large"):
        add_entry(BUNDLED, "parties", "russia", "evidence", {"quote": "x" * 2000})
    with pytest.raises(EditError, match="too large"):
        add_item(BUNDLED, "parties", {"id": "x", "aliases": ["y"] * 500})


# --- refusals -------------------------------------------------------------------------------


def test_refusals_say_why() -> None:
    with pytest.raises(EditError, match="no item 'nobody' in parties"):
        set_fields(BUNDLED, "parties", "nobody", {"name": "x"})
    with pytest.raises(EditError, match="already has an item 'russia'"):
        add_item(BUNDLED, "parties", {"id": "russia", "name": "x"})
    with pytest.raises(EditError, match="needs an id"):
        add_item(BUNDLED, "parties", {"name": "x"})
    with pytest.raises(EditError, match="no entry 99"):
        remove_entry(BUNDLED, "parties", "russia", "evidence", 98)
    with pytest.raises(EditError, match="not a list"):
        add_entry(BUNDLED, "parties", "russia", "name", "x")
    with pytest.raises(EditError, match=r"not valid YAML \(line 3, column 4"):
        set_fields("parties:\n  - id: a\n   bad: [\n", "parties", "a", {"x": 1})
    twice = "parties:\n  - id: a\n  - id: a\n"
    with pytest.raises(EditError, match="2 items"):
        remove_item(twice, "parties", "a")
    flow = "parties: [{id: a, name: A}]\n"
    with pytest.raises(EditError, match="flow list"):
        add_item(flow, "parties", {"id": "b"})
    assert item_lines(flow, "parties", "a") == (1, 1)
    with pytest.raises(EditError, match=r"one \{\.\.\.\} mapping"):
        add_item("{schema: 2, parties: []}\n", "parties", {"id": "b"})
    one_line = "parties:\n  - {id: a, name: A}\n"
    with pytest.raises(EditError, match="on one line"):
        set_fields(one_line, "parties", "a", {"name": "B"})
    assert remove_item(one_line, "parties", "a") == "parties: []\n"


def test_a_mismatch_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check compares types: a value that reads back as another type is a refusal."""
    import tui.yaml_edit

    monkeypatch.setattr(tui.yaml_edit, "_scalar", lambda value, flow=False: str(value))
    with pytest.raises(EditError, match="change more than it should"):
        set_fields(BUNDLED, "parties", "russia", {"name": "2014"})
    monkeypatch.setattr(tui.yaml_edit, "_scalar", lambda value, flow=False: "[" + str(value))
    with pytest.raises(EditError, match="not be valid YAML"):
        set_fields(BUNDLED, "parties", "russia", {"name": "x"})


def test_item_lines() -> None:
    first, last = item_lines(BUNDLED, "parties", "china")
    text = lines(BUNDLED)
    assert text[first - 1] == "  - id: china\n"
    assert text[last].startswith("  - id: ")  # the next item
    assert text[last - 1].strip() == "quote: military ties between Russia and China"


def test_comments_between_items_stay() -> None:
    text = (
        "parties:\n  - id: a\n    name: A\n    # about a\n\n"
        "  # about b\n  - id: b\n    name: B\n# the end\n"
    )
    assert item_lines(text, "parties", "a") == (2, 4)
    assert remove_item(text, "parties", "a") == (
        "parties:\n\n  # about b\n  - id: b\n    name: B\n# the end\n"
    )
    assert add_item(text, "parties", {"id": "c"}) == text.replace(
        "# the end", "  - id: c\n# the end"
    )


# --- hostile strings, round trip ------------------------------------------------------------

HOSTILE = st.text(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.sampled_from(list(":#-?[]{},&*!|>'\"%@`\\\t\r\n\x85\u2028\u2029\ufeff\u202e\x1b\x00 ")),
    ),
    max_size=120,
)
EDITS: list[Callable[[str, str], str]] = [
    lambda text, s: set_fields(text, "parties", "putin", {"notes": s, "role": s}),
    lambda text, s: set_fields(text, "parties", "putin", {"aliases": [s, s + "x"]}),
    lambda text, s: add_entry(text, "parties", "putin", "evidence", {"paragraph": 1, "quote": s}),
    lambda text, s: add_item(text, "places", {"id": "p", "name": s, "aliases": [s]}),
    lambda text, s: add_item(text, "parties", {"id": "p", "name": s}),
]


def round_trip(text: str, value: str, edit: int) -> None:
    new = EDITS[edit](text, value)
    # The edit checked itself; check again from outside, against what was asked.
    data = _data(new)
    if edit <= 2:
        item = find(data, "parties", "putin")
        if edit == 0:
            assert item["notes"] == value and item["role"] == value
        elif edit == 1:
            assert item["aliases"] == [value, value + "x"]
        else:
            assert item["evidence"][-1] == {"paragraph": 1, "quote": value}
        assert_within(text, new, "parties", "putin")
    else:
        section = "places" if edit == 3 else "parties"
        assert data[section][-1]["name"] == value
        start, end, _written = changed(text, new)
        assert start == end or (not text.endswith("\n") and end - start == 1)
    # Nothing raw that a terminal could act on; and another YAML reader (PyYAML, YAML 1.1)
    # reads the same data.
    for line in changed(text, new)[2]:
        assert line.rstrip("\r\n").isprintable(), repr(line)
    assert yaml.load(new, Loader=yaml.CSafeLoader) == data


@SMALL
@given(HOSTILE, st.integers(0, len(EDITS) - 1), st.sampled_from(["bundled", "crlf", "indentless"]))
def test_hostile_strings_round_trip(value: str, edit: int, name: str) -> None:
    round_trip(TEXTS[name], value, edit)


@pytest.mark.fuzz
@LARGE
@given(HOSTILE, st.integers(0, len(EDITS) - 1), st.sampled_from(list(TEXTS)))
def test_hostile_strings_round_trip_large(value: str, edit: int, name: str) -> None:
    round_trip(TEXTS[name], value, edit)


def test_a_new_entry_is_written_as_its_siblings_are() -> None:
    text = (
        "drills:\n  - id: d\n    contributions:\n"
        "      - {party: a, equipment: tank}\n"
        "      - party: b\n        equipment: jet\n        quantity: {value: 4, unit: jets}\n"
    )
    entry = {"party": "c", "equipment": "ship", "quantity": {"value": 2, "unit": "ships"}}
    new = add_entry(text, "drills", "d", "contributions", entry)
    assert new == text + (
        "      - party: c\n        equipment: ship\n        quantity: {value: 2, unit: ships}\n"
    )
    flat = add_entry(text.split("      - party: b")[0], "drills", "d", "contributions", entry)
    assert flat.endswith(
        "      - party: c\n        equipment: ship\n        quantity:\n"
        "          value: 2\n          unit: ships\n"
    )
    evidence = "parties:\n  - id: a\n    evidence:\n      - {paragraph: 2, quote: Alice met Bob}\n"
    new = add_entry(evidence, "parties", "a", "evidence", {"paragraph": 3, "quote": "a: b"})
    assert new == evidence + '      - {paragraph: 3, quote: "a: b"}\n'


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    HOSTILE,
)
KEYS = HOSTILE.filter(lambda key: bool(key) and key != "<<")
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(KEYS, inner, max_size=3),
    ),
    max_leaves=8,
)


def nested_round_trip(text: str, fields: dict[str, Any], replace: dict[str, Any]) -> None:
    item = {"id": "fuzzed", **fields}
    added = add_item(text, "parties", item)
    assert _data(added)["parties"][-1] == item
    assert remove_item(added, "parties", "fuzzed") == text
    changes = {key: value for key, value in replace.items() if key != "id"}
    try:
        edited = set_fields(added, "parties", "fuzzed", changes)
    except EditError as error:
        assert "lose all its fields" in str(error)
        return
    after = _data(edited)["parties"][-1]
    for key, value in changes.items():
        assert after.get(key) == value
    assert_within(added, edited, "parties", "fuzzed")


@SMALL
@given(
    st.dictionaries(KEYS.filter(lambda key: key != "id"), VALUES, max_size=4),
    st.dictionaries(KEYS, VALUES, max_size=3),
    st.sampled_from(["bundled", "indentless"]),
)
def test_nested_values_round_trip(
    fields: dict[str, Any], replace: dict[str, Any], name: str
) -> None:
    nested_round_trip(TEXTS[name], fields, replace)


@pytest.mark.fuzz
@LARGE
@given(
    st.dictionaries(KEYS.filter(lambda key: key != "id"), VALUES, max_size=4),
    st.dictionaries(KEYS, VALUES, max_size=3),
    st.sampled_from(list(TEXTS)),
)
def test_nested_values_round_trip_large(
    fields: dict[str, Any], replace: dict[str, Any], name: str
) -> None:
    nested_round_trip(TEXTS[name], fields, replace)


def test_a_list_replaced_keeps_its_own_indentation() -> None:
    text = "parties:\n  - id: a\n    evidence:\n    - {paragraph: 1, quote: x}\n"
    new = set_fields(text, "parties", "a", {"evidence": [{"paragraph": 2, "quote": "z"}]})
    assert new == "parties:\n  - id: a\n    evidence:\n    - paragraph: 2\n      quote: z\n"


def test_values_given_as_they_are_stay_as_written() -> None:
    item = find(_data(BUNDLED), "drills", "sco-joint-drills-2014")
    item = {key: value for key, value in item.items() if value is not None}  # None removes
    assert set_fields(BUNDLED, "drills", "sco-joint-drills-2014", dict(item)) == BUNDLED
    same = {**item, "status": "planned"}
    new = set_fields(BUNDLED, "drills", "sco-joint-drills-2014", same)
    assert changed(BUNDLED, new)[2] == ["    status: planned\n"]


# --- the briefing's own fields (set_top_fields) ---------------------------------------------


def test_top_fields_replace_a_placeholder_and_touch_nothing_else() -> None:
    new = set_top_fields(SKELETON, {"summary": "Two navies drilled; no terms were given."})
    start, end, written = changed(SKELETON, new)
    assert written == ["summary: Two navies drilled; no terms were given.\n"]
    assert end - start == 1 and lines(SKELETON)[start].startswith('summary: "TODO:')
    assert strict_yaml.load(new)[0]["summary"] == "Two navies drilled; no terms were given."


def test_top_fields_new_keys_go_after_the_header() -> None:
    new = set_top_fields(SKELETON, {"analyst": "J. Doe", "tlp": "amber+strict"})
    start, end, written = changed(SKELETON, new)
    assert start == end  # inserted only
    assert written == ["analyst: J. Doe\n", "tlp: amber+strict\n"]
    assert lines(SKELETON)[start - 1].startswith("summary:")
    data = strict_yaml.load(new)[0]
    assert list(data)[:6] == ["schema", "id", "title", "summary", "analyst", "tlp"]


def test_top_fields_remove_keep_comments_and_confirm_placeholders() -> None:
    text = SKELETON.replace('summary: "TODO: the bottom line up front."', "summary: S  # ok")
    text = text.replace("title: ", "analyst: A  # TODO: your name\ntitle: ", 1)
    # Replaced: a plain comment stays; the same value given again keeps the line as it is.
    new = set_top_fields(text, {"summary": "T", "title": strict_yaml.load(text)[0]["title"]})
    assert "summary: T  # ok\n" in new
    assert changed(text, new)[2] == ["summary: T  # ok\n"]
    # Confirmed under a TODO: only the comment goes.
    confirmed = set_top_fields(text, {"analyst": "A"})
    assert changed(text, confirmed)[2] == ["analyst: A\n"]
    removed = set_top_fields(text, {"analyst": None})
    assert "analyst" not in strict_yaml.load(removed)[0]
    assert set_top_fields(text, {}) == text


def test_top_fields_check_their_result() -> None:
    with pytest.raises(EditError):
        set_top_fields("title: [unclosed\n", {"title": "x"})
    # A value whose text would change the data otherwise is written so that it reads back.
    tricky = 'a: b # not a comment\n"quoted": yes'
    new = set_top_fields(SKELETON, {"summary": tricky})
    assert strict_yaml.load(new)[0]["summary"] == tricky
