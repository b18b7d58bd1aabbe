"""Source texts: paragraphs, anchor resolution, and drift relocation."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tui.schema import Anchor
from tui.source import (
    FUZZY_FLOOR,
    ResolveError,
    SourceText,
    Span,
    flatten,
    relocate,
    split_paragraphs,
)

TEXT = (
    "Headline of the story\n"
    "\n"
    "Russia will sell 24 fighter jets\n"
    "to China, officials said on Wednesday.\n"
    "\n"
    "   \t\n"
    "China said the jets arrive next year. Russia said the jets arrive soon.\n"
    "\n"
    "The talks ended.\n"
)


def quoted(source: SourceText, span: Span) -> str:
    return source.paragraph(span.paragraph).text[span.start : span.end]


# --- paragraphs ----------------------------------------------------------------------------


def test_paragraphs_are_blank_line_separated_blocks_numbered_from_one() -> None:
    source = SourceText(TEXT)
    assert [p.number for p in source.paragraphs] == [1, 2, 3, 4]
    assert source.paragraph(2).text == (
        "Russia will sell 24 fighter jets\nto China, officials said on Wednesday."
    )
    # A line of spaces and tabs separates paragraphs like an empty one.
    assert source.paragraph(3).text.startswith("China said")
    assert source.paragraph(4).text == "The talks ended."
    # Each paragraph's start is its offset in the (normalised) text.
    for paragraph in source.paragraphs:
        assert source.text[paragraph.start :].startswith(paragraph.text)


def test_crlf_and_bom_are_normalised_before_offsets() -> None:
    source = SourceText("\ufeffOne\r\n\r\nTwo words\r\nhere\r\n")
    assert source.text == "One\n\nTwo words\nhere\n"
    assert [p.text for p in source.paragraphs] == ["One", "Two words\nhere"]
    assert source.resolve(Anchor(quote="words here")) == Span(2, 4, 14)


def test_paragraph_numbers_outside_the_source_raise() -> None:
    source = SourceText(TEXT)
    with pytest.raises(IndexError):
        source.paragraph(0)  # not the last paragraph, as a bare list index would give
    with pytest.raises(IndexError):
        source.paragraph(5)


def test_split_paragraphs_of_empty_text_is_empty() -> None:
    assert split_paragraphs("") == []
    assert split_paragraphs("\n\n  \n") == []


# --- resolution ----------------------------------------------------------------------------


def test_quote_resolves_to_paragraph_and_offsets() -> None:
    source = SourceText(TEXT)
    span = source.resolve(Anchor(paragraph=4, quote="talks ended"))
    assert span == Span(4, 4, 15)
    assert quoted(source, span) == "talks ended"


def test_paragraph_is_optional_when_the_quote_is_unique() -> None:
    source = SourceText(TEXT)
    assert source.resolve(Anchor(quote="officials said")) == Span(2, 43, 57)


def test_whitespace_runs_match_loosely_across_line_breaks() -> None:
    source = SourceText(TEXT)
    # The source breaks the line after "jets"; the quote has a single space there.
    span = source.resolve(Anchor(quote="24 fighter jets to China"))
    assert span == Span(2, 17, 41)
    assert quoted(source, span) == "24 fighter jets\nto China"
    # Extra whitespace in the quote is loose too.
    assert source.resolve(Anchor(quote="fighter   jets\n\tto")) == Span(2, 20, 35)


@pytest.mark.parametrize(
    "quote",
    [
        "russia will sell",  # case
        "Russia will sell 24 fighter-jets",  # punctuation
        "Russia will sell 24 fighter jets,",  # a comma that is not there
        "Russia  wil sell",  # a letter missing
    ],
)
def test_everything_but_whitespace_matches_exactly(quote: str) -> None:
    with pytest.raises(ResolveError, match="is not in the source"):
        SourceText(TEXT).resolve(Anchor(quote=quote))


def test_a_quote_occurring_twice_is_an_error_naming_both_paragraphs() -> None:
    source = SourceText(TEXT)
    with pytest.raises(ResolveError) as caught:
        source.resolve(Anchor(quote="Russia"))
    assert str(caught.value) == (
        'quote "Russia" occurs 2 times in the source (paragraphs 2, 3); '
        "add a prefix or suffix, or a paragraph, to say which"
    )
    assert caught.value.field == "quote"


def test_a_quote_occurring_twice_in_its_paragraph_is_an_error() -> None:
    source = SourceText(TEXT)
    with pytest.raises(ResolveError, match=r"occurs 2 times in paragraph 3"):
        source.resolve(Anchor(paragraph=3, quote="the jets arrive"))


def test_paragraph_decides_between_occurrences() -> None:
    source = SourceText(TEXT)
    assert source.resolve(Anchor(paragraph=2, quote="Russia")) == Span(2, 0, 6)
    assert source.resolve(Anchor(paragraph=3, quote="Russia")) == Span(3, 38, 44)


def test_prefix_decides_between_occurrences() -> None:
    source = SourceText(TEXT)
    span = source.resolve(Anchor(quote="the jets arrive", prefix="Russia said"))
    assert span == Span(3, 50, 65)
    assert source.paragraph(3).text[span.end :].startswith(" soon")


def test_suffix_decides_between_occurrences() -> None:
    source = SourceText(TEXT)
    span = source.resolve(Anchor(quote="the jets arrive", suffix="next year"))
    assert span == Span(3, 11, 26)


def test_prefix_and_suffix_must_both_fit() -> None:
    source = SourceText(TEXT)
    with pytest.raises(ResolveError, match="not with the given prefix/suffix"):
        source.resolve(Anchor(quote="the jets arrive", prefix="Russia said", suffix="next year"))


def test_quote_not_found_names_the_closest_passage_and_its_paragraph() -> None:
    source = SourceText(TEXT)
    with pytest.raises(ResolveError) as caught:
        source.resolve(Anchor(quote="officials said on Thursday"))
    message = str(caught.value)
    assert message.startswith('quote "officials said on Thursday" is not in the source; ')
    assert "closest passage is paragraph 2" in message
    assert '"officials said on Wednesday"' in message


def test_quote_in_another_paragraph_says_which() -> None:
    source = SourceText(TEXT)
    with pytest.raises(ResolveError) as caught:
        source.resolve(Anchor(paragraph=4, quote="officials said"))
    assert str(caught.value) == (
        'quote "officials said" is not in paragraph 4; it is in paragraph 2'
    )
    assert caught.value.field == "paragraph"


def test_paragraph_out_of_range_is_an_error_on_the_paragraph() -> None:
    with pytest.raises(ResolveError) as caught:
        SourceText(TEXT).resolve(Anchor(paragraph=9, quote="Russia"))
    assert str(caught.value) == "paragraph 9 is out of range: the source has 4 paragraphs"
    assert caught.value.field == "paragraph"


def test_closest_in_a_very_long_paragraph_is_found() -> None:
    filler = " ".join(f"word{i}" for i in range(40_000))  # one paragraph of ~300 KB
    text = f"{filler} the convoy reached Chelyabinsk at dawn {filler}"
    source = SourceText(text)
    score, span = source.closest("the convoy reached Chelyabinsk at dusk")
    assert score >= 0.85
    assert quoted(source, span).startswith("the convoy reached Chelyabinsk at d")


# --- drift ---------------------------------------------------------------------------------

OLD = (
    "Intro.\n\n"
    "The ministry said Russia will deliver 24 Su-35 fighter jets to China by 2016.\n\n"
    "Xi met Putin in Beijing."
)


def test_unchanged_quote_still_resolves() -> None:
    changed = SourceText(OLD + "\n\nA new closing paragraph.")
    found = relocate(changed, Anchor(paragraph=3, quote="Xi met Putin"))
    assert (found.status, found.span) == ("resolves", Span(3, 0, 12))


def test_quote_in_a_new_paragraph_has_moved() -> None:
    changed = SourceText("Intro.\n\nAn inserted paragraph.\n\n" + OLD.split("\n\n", 1)[1])
    found = relocate(changed, Anchor(paragraph=3, quote="Xi met Putin"))
    assert found.status == "moved"
    assert found.span == Span(4, 0, 12)
    assert found.message == "moved to paragraph 4"


def test_quote_whose_words_were_replaced_is_lost_not_relocated() -> None:
    # The sentence keeps its frame, but the facts the quote anchored are gone: relocating
    # onto "12 S-400 missile systems to India" would be a wrong anchor.
    changed = SourceText(
        OLD.replace("24 Su-35 fighter jets to China", "12 S-400 missile systems to India")
    )
    anchor = Anchor(paragraph=2, quote="Russia will deliver 24 Su-35 fighter jets to China")
    found = relocate(changed, anchor)
    assert found.status == "lost"
    assert found.span is None
    # It was close enough to be tempting: the best passage scores above zero, below the floor.
    near = changed.closest(anchor.quote, 2)
    assert near is not None and 0.3 < near[0] < FUZZY_FLOOR


def test_short_quote_whose_word_changed_is_lost() -> None:
    changed = SourceText(OLD.replace("Xi met Putin", "Xi met Modi"))
    found = relocate(changed, Anchor(paragraph=3, quote="met Putin"))
    assert found.status == "lost"


def test_quote_with_a_small_correction_is_relocated_as_changed() -> None:
    changed = SourceText(OLD.replace("fighter jets", "fighter-jets"))
    anchor = Anchor(quote="Russia will deliver 24 Su-35 fighter jets to China by 2016")
    found = relocate(changed, anchor)
    assert found.status == "moved"
    assert found.score >= FUZZY_FLOOR
    assert found.span is not None
    assert quoted(changed, found.span).startswith("Russia will deliver 24 Su-35 fighter")
    assert found.message.startswith("changed: closest is paragraph 2")


def test_quote_that_now_occurs_twice_is_lost_not_guessed() -> None:
    changed = SourceText(OLD + "\n\nXi met Putin in Beijing.")
    found = relocate(changed, Anchor(quote="Xi met Putin"))
    assert found.status == "lost"
    assert "now occurs 2 times (paragraphs 3, 4)" in found.message


def test_fuzzy_relocation_between_two_equal_passages_is_lost() -> None:
    body = "The ministry said Russia will deliver 24 Su-35 fighter-jets to China by 2016."
    changed = SourceText(f"Intro.\n\n{body}\n\nLater: {body}")
    anchor = Anchor(quote="Russia will deliver 24 Su-35 fighter jets to China")
    found = relocate(changed, anchor)
    assert found.status == "lost"
    assert "equally close" in found.message


# --- properties ----------------------------------------------------------------------------

WORDS = ["tank", "troops", "Russia", "China", "drill", "the", "of", "2014", "$7.7", "sold"]
SPACE = st.sampled_from([" ", " ", " ", "  ", "\t", "\n"])


@st.composite
def paragraph_text(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25))
    out = words[0]
    for word in words[1:]:
        out += draw(SPACE) + word
    return out


@st.composite
def source_and_slice(draw: st.DrawFn) -> tuple[str, int, int]:
    """A multi-paragraph text and a slice of it lying inside one paragraph."""
    paragraphs = draw(st.lists(paragraph_text(), min_size=1, max_size=6))
    separators = [draw(st.sampled_from(["\n\n", "\n\n\n", "\n \n"])) for _ in paragraphs]
    text = "".join(p + s for p, s in zip(paragraphs, separators, strict=True))
    source = SourceText(text)
    paragraph = draw(st.sampled_from(source.paragraphs))
    start = draw(st.integers(0, len(paragraph.text) - 1))
    end = draw(st.integers(start + 1, len(paragraph.text)))
    return text, paragraph.start + start, paragraph.start + end


def expected_span(source: SourceText, start: int, end: int) -> Span:
    """The slice with surrounding whitespace trimmed, as paragraph offsets."""
    piece = source.text[start:end]
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    paragraph = next(p for p in source.paragraphs if p.start <= start < p.start + len(p.text))
    return Span(paragraph.number, start - paragraph.start, end - paragraph.start)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source_and_slice())
def test_any_slice_with_full_context_resolves_to_its_own_offsets(
    case: tuple[str, int, int],
) -> None:
    text, start, end = case
    source = SourceText(text)
    quote = text[start:end]
    assume(quote.strip())
    want = expected_span(source, start, end)
    body = source.paragraph(want.paragraph)
    anchor = Anchor(
        quote=quote,
        prefix=body.text[: want.start] or None,
        suffix=body.text[want.end :] or None,
    )
    with_paragraph = anchor.model_copy(update={"paragraph": want.paragraph})
    assert source.resolve(with_paragraph) == want
    # Without the paragraph, context at a paragraph's edge may fit elsewhere too ("t" + "ank"
    # starts "tank" in several paragraphs): then the resolver must say so, never pick one.
    try:
        assert source.resolve(anchor) == want
    except ResolveError as error:
        assert "occurs" in str(error) and "times in the source" in str(error)
        assert len(source.occurrences(quote)) >= 2


@settings(max_examples=150, deadline=None)
@given(source_and_slice(), st.integers(0, 12), st.integers(0, 12))
def test_a_slice_with_some_context_resolves_to_itself_or_is_called_ambiguous(
    case: tuple[str, int, int], before: int, after: int
) -> None:
    """With a paragraph and a little context, a slice either resolves to its own offsets or
    the resolver says it occurs several times; it never resolves somewhere else."""
    text, start, end = case
    source = SourceText(text)
    quote = text[start:end]
    assume(quote.strip())
    want = expected_span(source, start, end)
    body = source.paragraph(want.paragraph)
    anchor = Anchor(
        quote=quote,
        paragraph=want.paragraph,
        prefix=body.text[max(0, want.start - before) : want.start] or None,
        suffix=body.text[want.end : want.end + after] or None,
    )
    try:
        span = source.resolve(anchor)
    except ResolveError as error:
        assert "occurs" in str(error), str(error)
        needle = flatten(quote)
        assert flatten(body.text).count(needle) >= 1
    else:
        if span != want:
            # Only a genuinely repeated passage may resolve elsewhere, and then it must be an
            # identical passage in the same paragraph.
            assert flatten(quoted(source, span)) == flatten(quote)
            assert span.paragraph == want.paragraph
            assert flatten(body.text).count(flatten(quote)) >= 2


def test_a_huge_missing_quote_gets_no_costly_closest_passage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tui import source as module
    from tui.schema import Anchor
    from tui.source import FUZZY_MAX_LENGTH, ResolveError, SourceText

    def refuse(*_args: object) -> tuple[float, int, int]:
        raise AssertionError("a quote over FUZZY_MAX_LENGTH was aligned against the source")

    monkeypatch.setattr(module, "_align", refuse)
    monkeypatch.setattr(module, "_align_region", refuse)
    source = SourceText(" ".join(f"word{n}" for n in range(400_000)))
    quote = " ".join(f"other{n}" for n in range(FUZZY_MAX_LENGTH // 5))
    with pytest.raises(ResolveError, match="not in the source"):
        source.resolve(Anchor(quote=quote))
