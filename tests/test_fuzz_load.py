"""Fuzzing the loader: whatever the bytes of a briefing or its source, only BriefingError escapes.

The default budget is small (CI has two cores); `--fuzz` (or `-m fuzz`) runs a larger one, still under a
minute.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL_SOURCE, minimal_yaml
from tui import strict_yaml
from tui.loader import BriefingError, load_briefing, parse_briefing

SEED = minimal_yaml().encode()
SMALL = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
LARGE = settings(max_examples=2_500, deadline=None, suppress_health_check=list(HealthCheck))

# Pieces that mean something to YAML, to terminals, or to Unicode handling.
TOKENS = [
    "&a ",
    "*a",
    "<<: ",
    "!!python/object/apply:os.system ",
    "!x ",
    "? ",
    ": ",
    "- ",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    "|",
    ">",
    '"',
    "'",
    "\\",
    "\\e",
    "\\u009b",
    "\\ud800",
    "\\x00",
    "\t",
    "\r",
    "\r\n",
    "\n",
    "\ufeff",
    "\u202e",
    "\u200b",
    "\u2028",
    "\x85",
    "\x1b]52;c;x\x07",
    "\x9b",
    "\x00",
    "NO",
    "yes",
    "010",
    "1:30",
    "1e999",
    "9" * 40,
    "2014-02-30",
    "null",
    "~",
    "true",
    "schema: 1\n",
    "../",
    "/etc/passwd",
    " " * 8,
    "中文",
    "😀",
    "e\u0301",
]


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    for position, length, insert in edits:
        at = position % (len(data) + 1)
        data = data[:at] + insert + data[at + length :]
    return data


random_bytes = st.lists(
    st.tuples(st.integers(0, 10_000), st.integers(0, 8), st.binary(max_size=8)), max_size=6
)
yaml_edits = st.lists(
    st.tuples(
        st.integers(0, 10_000),
        st.integers(0, 4),
        st.sampled_from(TOKENS).map(lambda t: t.encode("utf-8", "surrogatepass")),
    ),
    max_size=6,
)
unicode_edits = st.lists(
    st.tuples(
        st.integers(0, 10_000),
        st.integers(0, 4),
        st.text(st.characters(codec="utf-8"), max_size=4).map(str.encode),
    ),
    max_size=6,
)


def only_briefing_error(raw: bytes, tmp: Path) -> None:
    try:
        parse_briefing(raw, tmp / "briefings" / "test.yaml")
    except BriefingError as error:
        for diagnostic in error.diagnostics:
            assert diagnostic.line >= 1 and diagnostic.column >= 1
            assert "\x1b" not in diagnostic.format()


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "briefings").mkdir()
    (root / "seeds").mkdir()
    (root / "seeds" / "source.txt").write_text(MINIMAL_SOURCE)
    return root


def check_yaml(tree: Path, edits: list[tuple[int, int, bytes]]) -> None:
    only_briefing_error(mutate(SEED, edits), tree)


def check_source(tree: Path, edits: list[tuple[int, int, bytes]]) -> None:
    source = mutate(MINIMAL_SOURCE.encode(), edits)
    (tree / "seeds" / "source.txt").write_bytes(source)
    briefing = tree / "briefings" / "test.yaml"
    briefing.write_text(minimal_yaml(sha=hashlib.sha256(source).hexdigest()))
    with contextlib.suppress(BriefingError):
        load_briefing(briefing)


@SMALL
@given(edits=random_bytes)
def test_random_bytes_in_the_briefing(tree: Path, edits: list[tuple[int, int, bytes]]) -> None:
    check_yaml(tree, edits)


@SMALL
@given(edits=yaml_edits)
def test_yaml_edits_in_the_briefing(tree: Path, edits: list[tuple[int, int, bytes]]) -> None:
    check_yaml(tree, edits)


@SMALL
@given(edits=unicode_edits)
def test_unicode_in_the_briefing(tree: Path, edits: list[tuple[int, int, bytes]]) -> None:
    check_yaml(tree, edits)


@SMALL
@given(edits=st.one_of(random_bytes, unicode_edits, yaml_edits))
def test_mutated_source(tree: Path, edits: list[tuple[int, int, bytes]]) -> None:
    check_source(tree, edits)


@pytest.mark.fuzz
@LARGE
@given(edits=st.one_of(random_bytes, yaml_edits, unicode_edits))
def test_briefing_larger_budget(tree: Path, edits: list[tuple[int, int, bytes]]) -> None:
    check_yaml(tree, edits)


@pytest.mark.fuzz
@LARGE
@given(edits=st.one_of(random_bytes, unicode_edits, yaml_edits))
def test_source_larger_budget(tree: Path, edits: list[tuple[int, int, bytes]]) -> None:
    check_source(tree, edits)


@SMALL
@given(
    text=st.lists(st.sampled_from([*TOKENS, "a", "b", ":", "-", "0", " ", "\n"]), max_size=40).map(
        "".join
    )
)
def test_strict_yaml_raises_only_yaml_problem(text: str) -> None:
    try:
        strict_yaml.load(text)
    except strict_yaml.YamlProblem as problem:
        line, column = problem.position
        assert line >= 0 and column >= 0
