"""Refusing a file costs less than loading one, and says so in one short line.

The caps (a value's text, keys per mapping, entries per list) are tested with small values
set by monkeypatch and with work counts (how much text the parser was given), never with the
clock or with files of the real caps' size: `uv run python -m tests.bench.refusal` measures
those. The messages: one line each, at most about 300 characters, numbers quoted as written,
and only web addresses as a source's url.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MakeProject, minimal_yaml
from tui import loader, strict_yaml
from tui.cli import main
from tui.loader import BriefingError, load_briefing
from tui.schema import Quantity, Source


def problem(text: str) -> tuple[str, tuple[int, int]]:
    with pytest.raises(strict_yaml.YamlProblem) as caught:
        strict_yaml.load(text)
    return caught.value.message, caught.value.position


def diagnostics(path: Path) -> list[str]:
    """The formatted lines, each without its file name (whose length is the temp folder's)."""
    with pytest.raises(BriefingError) as caught:
        load_briefing(path)
    return [d.format().removeprefix(d.file) for d in caught.value.diagnostics]


@pytest.fixture
def fed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The most text (in characters) any parse handed to the C parser, appended per parse."""
    handed: list[int] = []

    class Counted(strict_yaml._Feed):
        __slots__ = ()

        def read(self, size: int) -> str:
            piece = super().read(size)
            if not handed or self.at > handed[-1]:
                handed.append(self.at)
            return piece

    monkeypatch.setattr(strict_yaml, "_Feed", Counted)
    return handed


# --- the text of one value ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "position"),
    [
        ("b: " + "x" * 300_000 + "\n", (1, 3)),
        ("b: |\n" + "  a short line\n" * 30_000, (1, 3)),
        ("b: >-\n" + "  a short line\n" * 30_000, (1, 3)),
        ('b: "' + "a short line\n" * 30_000 + '"\n', (1, 3)),
        ("b:\n  - '" + "x" * 300_000 + "'\n", (2, 4)),
        ("# " + "x" * 300_000 + "\nb: 1\n", (1, 0)),
    ],
    ids=["plain", "literal-block", "folded-block", "double-quoted", "in-a-list", "comment"],
)
def test_a_value_longer_than_the_cap_is_refused_where_it_starts(
    monkeypatch: pytest.MonkeyPatch, fed: list[int], body: str, position: tuple[int, int]
) -> None:
    monkeypatch.setattr(strict_yaml, "MAX_SPAN", 10_000)
    monkeypatch.setattr(strict_yaml, "_LOOKAHEAD", 0)
    message, where = problem("a: 1\n" + body)
    assert message == (
        "more than 10,000 characters from here to the next value: a value, comment or gap "
        "this long is too large for a briefing"
    )
    assert where == position
    # The parser stopped reading about one 16 KiB piece past the cap, not at the end.
    assert max(fed) <= 10_000 + 2 * 16_384


def test_a_value_under_the_cap_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(strict_yaml, "MAX_SPAN", 10_000)
    text = "a: 1\nb: |\n" + "  a short line\n" * 600 + "c: " + "x" * 9_000 + "\nd: 2\n"
    data, _positions = strict_yaml.load(text)
    assert data["c"] == "x" * 9_000 and data["d"] == 2 and data["b"].count("\n") == 600


def test_blank_text_past_the_cap_is_refused_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(strict_yaml, "MAX_SPAN", 10_000)
    monkeypatch.setattr(strict_yaml, "_LOOKAHEAD", 0)
    message, where = problem("a: 1\n" + "\n" * 100_000 + "b: 2\n")
    assert message.startswith("more than 10,000 characters from here to the next value")
    assert where == (0, 3)  # the parser had not yet delivered the 1, awaiting the next token


def test_the_real_cap_leaves_room_for_every_field() -> None:
    assert strict_yaml.MAX_SPAN >= 50 * 20_000  # fifty times the longest field allowed


def test_a_long_value_is_refused_through_the_loader_in_one_line(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(strict_yaml, "MAX_SPAN", 10_000)
    monkeypatch.setattr(strict_yaml, "_LOOKAHEAD", 0)
    text = minimal_yaml().replace("Alice and Bob met.", "x" * 100_000)
    lines = diagnostics(make_project(text))
    assert len(lines) == 1
    assert lines[0].startswith(
        ":4:10: error: more than 10,000 characters from here to the next "
        "value: a value, comment or gap this long is too large for a briefing"
    )


# --- keys per mapping, entries per list, nodes ----------------------------------------------


def test_a_mapping_with_too_many_keys_is_refused_at_the_first_key_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(strict_yaml, "MAX_KEYS", 5)
    monkeypatch.setattr(strict_yaml, "_CHECK_EVERY", 1)
    text = "top:\n" + "".join(f"  k{n}: {n}\n" for n in range(8))
    message, where = problem(text)
    assert message == "a mapping with more than 5 keys: too large to be a briefing"
    assert where == (7, 2)  # checked before the node is added: the seventh key, k6


def test_a_list_with_too_many_entries_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(strict_yaml, "MAX_ITEMS", 5)
    monkeypatch.setattr(strict_yaml, "_CHECK_EVERY", 1)
    message, where = problem("a: [0, 0, 0, 0, 0, 0, 0, 0]\n")
    assert message == "a list with more than 5 entries: too large to be a briefing"
    assert where == (0, 22)


def test_an_enclosing_mapping_over_its_cap_is_found_from_inside_a_nested_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(strict_yaml, "MAX_KEYS", 3)
    monkeypatch.setattr(strict_yaml, "_CHECK_EVERY", 1)
    text = "".join(f"k{n}:\n  - [1]\n" for n in range(6))
    message, _where = problem(text)
    assert message == "a mapping with more than 3 keys: too large to be a briefing"


def test_caps_are_checked_every_so_many_nodes_not_per_node(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cost per event stays one comparison: the counting runs once per _CHECK_EVERY nodes."""
    calls: list[int] = []
    check = strict_yaml._check

    def counted(event: Any, nodes: int, *rest: Any) -> int:
        calls.append(nodes)
        return check(event, nodes, *rest)

    monkeypatch.setattr(strict_yaml, "_check", counted)
    monkeypatch.setattr(strict_yaml, "_CHECK_EVERY", 100)
    strict_yaml.load("a: [" + "0, " * 1_000 + "0]\n")
    assert calls == list(range(101, 1_002, 100))


def test_a_mapping_and_a_list_at_their_caps_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(strict_yaml, "MAX_KEYS", 5)
    monkeypatch.setattr(strict_yaml, "MAX_ITEMS", 5)
    monkeypatch.setattr(strict_yaml, "_CHECK_EVERY", 1)
    text = "a: [0, 0, 0, 0, 0]\nb: {k0: 0, k1: 1, k2: 2, k3: 3}\nc: 1\nd: 2\n"
    data, _positions = strict_yaml.load(text)
    assert len(data) == 4 and len(data["a"]) == 5


def test_the_caps_leave_room_for_a_hundred_thousand_items() -> None:
    assert strict_yaml.MAX_ITEMS >= 100_000  # every item of the benchmark in one section
    assert strict_yaml.MAX_NODES >= 3_900_000  # the benchmark's 100,000 items take 3.25 million


# --- messages -------------------------------------------------------------------------------


def test_an_unknown_field_with_a_megabyte_name_gives_a_short_line(
    make_project: MakeProject,
) -> None:
    key = "k" * 1_000_000
    lines = diagnostics(make_project(minimal_yaml(body=f"? {key}\n: 1\n")))
    assert len(lines) == 1
    assert len(lines[0]) <= 260  # with a file name of 40 characters, within 300
    assert "unknown field 'kkkk" in lines[0] and "…'" in lines[0]


def test_a_long_key_in_a_free_mapping_is_clipped_in_its_field_name(
    make_project: MakeProject,
) -> None:
    key = "k" * 100_000  # an explicit key: a plain one is limited to 1,024 characters
    inferred = f"    inferred:\n      ? {key}\n      : 5\n"
    text = minimal_yaml().replace("    reliability: C\n", "    reliability: C\n" + inferred)
    lines = diagnostics(make_project(text))
    assert len(lines) == 1 and len(lines[0]) <= 260
    assert "kkk…: expected text, got int 5" in lines[0]


@pytest.mark.parametrize(
    ("written", "hint"),
    [("1.10", "'1.10'"), ("1e3", "'1e3'"), ("+5", "'+5'"), ("2.5", "'2.5'"), ("true", "'true'")],
)
def test_the_quote_hint_keeps_a_number_as_written(
    make_project: MakeProject, written: str, hint: str
) -> None:
    text = minimal_yaml().replace("title: Test briefing", f"title: {written}")
    lines = diagnostics(make_project(text))
    assert len(lines) == 1
    assert lines[0].endswith(
        f":3:8: error: title: expected text, got {_kind(written)}; write it in quotes: {hint}"
    )


def _kind(written: str) -> str:
    if written == "true":
        return "the boolean true"
    return ("int " if "." not in written and "e" not in written else "float ") + written


def test_numbers_written_differently_keep_their_text() -> None:
    data, _positions = strict_yaml.load("a: 1.10\nb: +5\nc: 1.5\nd: 7\n")
    assert data == {"a": 1.1, "b": 5, "c": 1.5, "d": 7}
    assert [strict_yaml.written(v) for v in data.values()] == ["1.10", "+5", "1.5", "7"]
    assert type(data["c"]) is float and type(data["d"]) is int  # the usual form: no wrapper


def test_a_written_float_becomes_a_plain_float_in_the_model() -> None:
    data, _positions = strict_yaml.load("value: 1.50\nqualifier: exact\n")
    quantity = Quantity.model_validate(data)
    assert type(quantity.value) is float and quantity.value == 1.5


def test_a_flood_of_problems_stops_after_the_first_hundred(make_project: MakeProject) -> None:
    body = "events:\n" + "  - 0\n" * 5_000
    lines = diagnostics(make_project(minimal_yaml(body=body)))
    assert len(lines) == loader.MAX_PROBLEMS + 1
    assert lines[-1].endswith("(and 4,899 more problems not shown)")
    assert all(len(line) <= 260 for line in lines)


# --- source urls ----------------------------------------------------------------------------


SOURCE = {
    "id": "src",
    "path": "a.txt",
    "sha256": "0" * 64,
    "title": "A source",
    "language": "en",
    "reliability": "C",
}


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/news/1?x=2#p3",
        "http://example.org",
        "HTTPS://EXAMPLE.ORG/",
        "https://[2001:db8::1]:8443/a",
    ],
)
def test_a_web_address_is_a_valid_url(url: str) -> None:
    assert Source.model_validate({**SOURCE, "url": url}).url == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://example.org/a",
        "https://",
        "http:///path-only",
        "//example.org/no-scheme",
        "example.org",
        "https://exa mple.org/",
        "https://example.org/\x1b[2J",
        "https://example.org:port/",
        "http://[::1",
    ],
)
def test_anything_else_is_not(url: str) -> None:
    with pytest.raises(ValueError, match="is not a web address: write an http:// or https:// URL"):
        Source.model_validate({**SOURCE, "url": url})


def test_a_javascript_url_is_refused_with_its_position(make_project: MakeProject) -> None:
    text = minimal_yaml().replace(
        "    reliability: C\n", "    reliability: C\n    url: javascript:alert(1)\n"
    )
    lines = diagnostics(make_project(text))
    assert len(lines) == 1
    assert lines[0].endswith(
        ":12:10: error: url: 'javascript:alert(1)' is not a web address: "
        "write an http:// or https:// URL with a host"
    )


def test_validate_prints_the_refusal_as_one_line(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(strict_yaml, "MAX_ITEMS", 10)
    monkeypatch.setattr(strict_yaml, "_CHECK_EVERY", 1)
    path = make_project(minimal_yaml(body="extra: [" + "0, " * 50 + "0]\n"))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and "a list with more than 10 entries" in out[0]
