"""The cold load's shortcuts (issue 15) give the answers of the general paths they skip.

Each shortcut is checked against the path it stands in for, and by the work it saves (calls
counted, never the clock).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui import strict_yaml, value_checks
from tui.loader import load_briefing
from tui.schema import Anchor, Date
from tui.source import ResolveError, SourceText, Span

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = ROOT / "tests" / "data" / "format2" / "claims.yaml"

TEXT = (
    "Headline of the story\n"
    "\n"
    "Russia will sell 24 fighter jets\n"
    "to China, officials said on Wednesday.\n"
    "\n"
    "China said the jets arrive next year. Russia said the jets arrive soon.\n"
    "\n"
    "  An  indented\tparagraph, with   odd  spacing.\n"
)


def outcome(source: SourceText, anchor: Anchor) -> tuple[str, Any]:
    try:
        return "span", source.resolve(anchor)
    except ResolveError as error:
        return "error", (str(error), error.field)


def general(anchor: Anchor) -> Anchor:
    """The same anchor through the general search: an empty prefix fits every occurrence,
    and any prefix keeps the anchor off the shortcut."""
    return anchor.model_copy(update={"prefix": ""})


# --- resolving ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "quote"),
    [
        (2, "24 fighter jets to China"),  # across a line break
        (2, "fighter   jets\n\tto"),  # loose whitespace in the quote
        (3, "Russia said"),  # once in its paragraph
        (3, "the jets arrive"),  # twice in its paragraph: an error
        (2, "the jets arrive"),  # in another paragraph: an error naming it
        (4, "indented paragraph,"),  # a paragraph whose flat text is mapped back
        (4, "odd spacing."),
        (1, "Headline of the story"),
        (1, "nowhere at all"),  # not in the source: the closest passage
        (3, "Russia"),
    ],
)
def test_a_paragraphs_quote_resolves_as_the_general_search_does(paragraph: int, quote: str) -> None:
    source = SourceText(TEXT)
    anchor = Anchor(paragraph=paragraph, quote=quote)
    assert outcome(source, anchor) == outcome(SourceText(TEXT), general(anchor))


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.sampled_from(["a", "ab", "b", "ba", "a b"]), min_size=1, max_size=12),
    gaps=st.lists(st.sampled_from([" ", "  ", "\n", "\t", " \n "]), min_size=12, max_size=12),
    start=st.integers(0, 11),
    length=st.integers(1, 4),
    paragraph=st.integers(1, 3),
)
def test_any_quote_resolves_as_the_general_search_does(
    words: list[str], gaps: list[str], start: int, length: int, paragraph: int
) -> None:
    body = "".join(w + g for w, g in zip(words, gaps, strict=False)).strip()
    text = f"{body}\n\nb a ab\n\n  {body}"
    quote = " ".join(words[start : start + length]) or "a"
    anchor = Anchor(paragraph=paragraph, quote=quote)
    assert outcome(SourceText(text), anchor) == outcome(SourceText(text), general(anchor))


def test_a_quote_once_in_its_paragraph_takes_no_general_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    searches: list[Any] = []
    original = SourceText._occurrences

    def counted(self: SourceText, needle: str, paragraph: int | None) -> list[tuple[int, int]]:
        searches.append((needle, paragraph))
        return original(self, needle, paragraph)

    monkeypatch.setattr(SourceText, "_occurrences", counted)
    source = SourceText(TEXT)
    assert source.resolve(Anchor(paragraph=3, quote="Russia said")) == Span(3, 38, 49)
    assert searches == []
    # With a prefix, twice in the paragraph, or with no paragraph: the general search.
    source.resolve(Anchor(paragraph=3, quote="jets arrive soon", prefix="the"))
    with pytest.raises(ResolveError):
        source.resolve(Anchor(paragraph=3, quote="the jets arrive"))
    source.resolve(Anchor(quote="Russia said"))
    assert len(searches) == 3


# --- strict YAML ----------------------------------------------------------------------------


def test_ampersands_and_bangs_in_values_are_text_and_anchors_and_tags_are_still_refused() -> None:
    # Text with & or ! looks for anchors and tags on every node; text with neither has none.
    data, _ = strict_yaml.load('a: "AT&T!"\nb: [x&y, "!z"]\nc: Q&A\n')
    assert data == {"a": "AT&T!", "b": ["x&y", "!z"], "c": "Q&A"}
    with pytest.raises(strict_yaml.YamlProblem) as anchor:
        strict_yaml.load("a: 1\nb: &x 2\n")
    assert (anchor.value.message, anchor.value.position) == (
        "anchors (&x) are not allowed: write each value out",
        (1, 3),
    )
    with pytest.raises(strict_yaml.YamlProblem) as tag:
        strict_yaml.load("a: 1\nb: !x 2\n")
    assert (tag.value.message, tag.value.position) == (
        "tags such as '!x' are not allowed",
        (1, 3),
    )
    with pytest.raises(strict_yaml.YamlProblem) as mapping:
        strict_yaml.load("a: 1\nb: &m {c: 1}\n")
    assert mapping.value.message == "anchors (&m) are not allowed: write each value out"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("0", 0),
        ("7", 7),
        ("12", 12),
        ("007", "007"),  # a leading zero: text
        ("00", "00"),
        ("+5", 5),
        ("-0", 0),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("1" * 32, "1" * 32),  # too long to be a number
        ("1" * 31, int("1" * 31)),
        ("١٢", "١٢"),  # digits, but not ASCII ones
        ("1١", "1١"),
        ("12a", "12a"),
    ],
)
def test_plain_numbers_read_as_before(written: str, expected: Any) -> None:
    data, _ = strict_yaml.load(f"n: {written}\n")
    assert data["n"] == expected
    assert isinstance(data["n"], type(expected))
    assert strict_yaml.written(data["n"]) == written


# --- value checks ---------------------------------------------------------------------------


def test_a_claims_date_reads_from_its_own_sources_publication(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loaded = load_briefing(CLAIMS)
    briefing = loaded.briefing
    article = briefing.sources[0]
    other = article.model_copy(
        update={
            "id": "other",
            "published": article.published.model_copy(update={"value": "2025-01-06"}),
        }
    )
    drill = briefing.drills[0]
    claim = drill.claims[0]
    dated = claim.model_copy(
        update={
            "date": Date.model_construct(reported="on March 9", value="2026-03-09"),
            "evidence": [claim.evidence[0].model_copy(update={"source": "other"})],
        }
    )
    drill = drill.model_copy(update={"claims": [dated, *drill.claims[1:]]})
    briefing = briefing.model_copy(
        update={"sources": [article, other], "drills": [drill, *briefing.drills[1:]]}
    )
    seen: dict[tuple[str | int, ...], Any] = {}

    def spy(d: Date, loc: tuple[str | int, ...], published: Any) -> list[Any]:
        seen[loc] = published
        return []

    monkeypatch.setattr(value_checks, "_check_date", spy)
    value_checks.check_values(briefing)
    assert seen[("drills", 0, "claims", 0, "date")].first.isoformat() == "2025-01-06"
    assert seen[("drills", 0, "date")].first.isoformat() == "2026-03-02"
