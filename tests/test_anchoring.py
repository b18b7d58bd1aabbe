"""shortest_anchor: the anchor written for a selection resolves to exactly that selection, and
is no longer than it must be."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.anchoring import shortest_anchor
from tui.schema import Anchor
from tui.source import SourceText, Span

from .conftest import ROOT

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SEED = SourceText(SEEDS[0].read_text(encoding="utf-8"))
# Words repeated within and across paragraphs, indents, tabs and runs of spaces: every
# selection needs the context rules.
REPEATS = SourceText(
    "the troops the troops  the troops\n"
    "   and the\ttroops the\n"
    "\n"
    "the troops the the troops troops\n"
    "\n"
    "aaa aa a aaa a\n"
    "\n"
    "troops"
)


def select(source: SourceText, paragraph: int, words: str, nth: int = 0) -> tuple[int, int]:
    text = source.paragraph(paragraph).text
    at = -1
    for _ in range(nth + 1):
        at = text.index(words, at + 1)
    return at, at + len(words)


def resolved(source: SourceText, anchor: dict[str, object]) -> Span:
    return source.resolve(Anchor.model_validate(anchor))


def test_a_unique_quote_is_the_quote_alone() -> None:
    start, end = select(SEED, 12, "13 battle tanks")
    assert shortest_anchor(SEED, 12, start, end) == {"quote": "13 battle tanks"}


def test_a_quote_repeated_in_other_paragraphs_gets_its_paragraph() -> None:
    start, end = select(SEED, 4, "on Wednesday")
    anchor = shortest_anchor(SEED, 4, start, end)
    assert anchor == {"paragraph": 4, "quote": "on Wednesday"}
    assert list(anchor) == ["paragraph", "quote"]


def test_a_quote_repeated_in_its_paragraph_gets_the_fewest_words_of_context() -> None:
    # Paragraph 1 flattened: "the troops the [troops] the troops and the troops the". Every
    # "troops" follows "the"; "troops the" precedes the third too, "the troops" follows the
    # first too, and "the ... the" fits the first and fourth: three words are the fewest.
    start, end = select(REPEATS, 1, "troops", nth=1)
    anchor = shortest_anchor(REPEATS, 1, start, end)
    assert resolved(REPEATS, anchor) == Span(1, start, end)
    words = len(str(anchor.get("prefix", "")).split()) + len(str(anchor.get("suffix", "")).split())
    assert words == 3
    assert list(anchor) == [k for k in ("paragraph", "quote", "prefix", "suffix") if k in anchor]


def test_whitespace_around_a_selection_is_trimmed_and_line_breaks_read_as_spaces() -> None:
    text = REPEATS.paragraph(1).text
    start = text.index("  the troops\n")
    end = text.index("the\ttroops") + 4
    anchor = shortest_anchor(REPEATS, 1, start, end)
    assert anchor["quote"] == "the troops and the"
    assert resolved(REPEATS, anchor) == Span(1, start + 2, end - 1)


@pytest.mark.parametrize(
    ("paragraph", "start", "end"),
    [(0, 0, 1), (99, 0, 1), (1, 5, 4), (1, 0, 10_000), (1, -1, 2)],
)
def test_a_selection_outside_the_source_is_refused(paragraph: int, start: int, end: int) -> None:
    with pytest.raises(ValueError):
        shortest_anchor(REPEATS, paragraph, start, end)


def test_an_empty_or_blank_selection_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        shortest_anchor(REPEATS, 1, 3, 3)
    text = REPEATS.paragraph(1).text
    at = text.index("  the")
    with pytest.raises(ValueError, match="empty"):
        shortest_anchor(REPEATS, 1, at, at + 2)


def _property(source: SourceText, data: st.DataObject) -> None:
    paragraph = data.draw(st.integers(1, len(source.paragraphs)), "paragraph")
    text = source.paragraph(paragraph).text
    start = data.draw(st.integers(0, len(text) - 1), "start")
    end = data.draw(st.integers(start + 1, min(len(text), start + 120)), "end")
    if not text[start:end].strip():
        with pytest.raises(ValueError):
            shortest_anchor(source, paragraph, start, end)
        return
    while text[start].isspace():
        start += 1
    while text[end - 1].isspace():
        end -= 1
    anchor = shortest_anchor(source, paragraph, start, end)
    assert resolved(source, anchor) == Span(paragraph, start, end)
    # No shorter form would do: the quote alone resolves only when it is the anchor.
    if len(anchor) > 1:
        alone = {"quote": anchor["quote"]}
        try:
            assert resolved(source, alone) != Span(paragraph, start, end)
        except Exception as error:  # it does not resolve at all: as good
            assert "ResolveError" in type(error).__name__


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_selection_of_the_seed_resolves_to_itself(data: st.DataObject) -> None:
    _property(SEED, data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_selection_of_a_source_of_repeats_resolves_to_itself(data: st.DataObject) -> None:
    _property(REPEATS, data)


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet="ab \n\t.", min_size=1, max_size=60).filter(lambda t: t.strip()),
    data=st.data(),
)
def test_any_selection_of_any_small_text_resolves_to_itself(text: str, data: st.DataObject) -> None:
    _property(SourceText(text), data)


def test_every_seed_is_a_source_here() -> None:
    assert SEEDS and all(isinstance(p, Path) for p in SEEDS)
