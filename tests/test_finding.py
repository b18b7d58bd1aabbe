"""Search in one briefing (tui/finding.py) and citation queries (tui/links.py), without a screen."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from tests.conftest import MINIMAL_SOURCE, MakeProject, minimal_yaml
from tui.finding import MARK_WORDS, Finder, Found, Hit, marked_words
from tui.links import Links
from tui.loader import load_briefing

# A second source, cited by Bob's second quote: its paragraph 2 is not the first source's.
OTHER_SOURCE = "Other title\n\nBob sold tanks.\n"
TWO_SOURCES = """  - id: other
    path: ../seeds/other.txt
    sha256: {digest}
    title: Other source
    language: en
    reliability: B
"""


def links_of(path: Path) -> Links:
    return Links.build(load_briefing(path))


def two_source_project(make_project: MakeProject) -> Path:
    import hashlib

    text = minimal_yaml().replace(
        "parties:\n",
        TWO_SOURCES.format(digest=hashlib.sha256(OTHER_SOURCE.encode()).hexdigest()) + "parties:\n",
        1,
    )
    # Bob: a quote in paragraph 2 of the other source first, then one in the first source's.
    text = text.replace("{paragraph: 2,", "{source: src, paragraph: 2,").replace(
        "      - {source: src, paragraph: 2, quote: Bob in Paris}",
        "      - {source: other, paragraph: 2, quote: Bob sold tanks}\n"
        "      - {source: src, paragraph: 2, quote: Bob in Paris}",
    )
    path = make_project(text)
    (path.parent.parent / "seeds" / "other.txt").write_text(OTHER_SOURCE, encoding="utf-8")
    return path


# --- search -----------------------------------------------------------------------------------


def test_items_come_first_then_the_source_spans_in_reading_order(
    make_project: MakeProject,
) -> None:
    found = Finder(links_of(make_project())).find("bob")
    assert found.hits == [
        Hit(item="bob"),
        Hit(paragraph=2, start=10, end=13),
        Hit(paragraph=3, start=0, end=3),
    ]
    assert found.marks == {2: [(10, 13)], 3: [(0, 3)]}
    assert found.items == 1 and found.index == -1


def test_a_blank_query_finds_nothing(make_project: MakeProject) -> None:
    finder = Finder(links_of(make_project()))
    assert finder.find("  ").hits == [] and finder.find("zzqx").hits == []


def test_offsets_fall_on_the_paragraphs_own_characters(make_project: MakeProject) -> None:
    """Lowering 'İ' makes two characters of one: a match after it must not shift."""
    source = "Title\n\nİİİ Alice met Bob in Paris.\n"
    found = Finder(links_of(make_project(minimal_yaml(source), source))).find("bob")
    (span,) = [h for h in found.hits if h.item is None]
    assert source.split("\n\n")[1][span.start : span.end] == "Bob"


def test_stepping_goes_round_both_ends_and_counts_say_where() -> None:
    found = Found("x", [Hit(item="a"), Hit(paragraph=1, end=1), Hit(paragraph=2, end=1)])
    assert found.step(1) == Hit(item="a") and found.counts() == "hit 1 of 3 (1 item, 2 in source)"
    assert found.step(-1) == Hit(paragraph=2, end=1) and found.index == 2
    assert found.step(1) == Hit(item="a") and found.index == 0
    assert Found("x").step(1) is None


def test_marked_words_start_words_and_the_longer_of_two_wins(make_project: MakeProject) -> None:
    finder = Finder(links_of(make_project()))
    # "Bo" marks where a word starts ("Bob"), not inside one; "Bob" wins over "Bo".
    assert finder.marks(["Bo", "Bob", " "]) == {2: [(10, 13)], 3: [(0, 3)]}
    assert finder.marks(["ob"]) == {}
    assert marked_words(["w"] * (MARK_WORDS + 5) + [""]) == ("w",) * MARK_WORDS


def test_a_withheld_source_has_no_hits_and_no_marks(make_project: MakeProject) -> None:
    loaded = load_briefing(make_project())
    finder = Finder(Links.build(replace(loaded, sources={})))
    assert finder.source is None
    assert finder.find("bob").hits == [Hit(item="bob")]
    assert finder.marks(["Bob"]) == {}


def test_a_library_search_opening_a_withheld_source_does_not_crash(
    make_project: MakeProject,
) -> None:
    """Words of a library search are marked in the source: with none shown, nothing is marked
    (this raised KeyError in the screen, ending the reader with a traceback)."""
    from tui.app import BriefingApp
    from tui.screens.briefing import BriefingScreen

    path = make_project()
    withheld = replace(load_briefing(path), sources={})

    async def main() -> str | None:
        app = BriefingApp(path)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await app.push_screen(BriefingScreen(path, withheld, start="bob", mark=("Bob",)))
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, BriefingScreen)
            return screen.place.item if screen.place else None

    assert asyncio.run(main()) == "bob"


# --- citations --------------------------------------------------------------------------------


def test_citing_lists_the_items_of_a_paragraph_of_a_source(make_project: MakeProject) -> None:
    links = links_of(two_source_project(make_project))
    assert links.citing("src", 2) == ["alice", "bob"]
    assert links.citing("other", 2) == ["bob"]
    assert links.citing("src", 3) == [] and links.citing("nowhere", 2) == []


def test_evidence_in_is_the_items_quote_in_that_source(make_project: MakeProject) -> None:
    links = links_of(two_source_project(make_project))
    assert links.evidence_in("bob", "other", 2) == 0
    # The same paragraph number in the first source is Bob's second quote, not his first.
    assert links.evidence_in("bob", "src", 2) == 1
    assert links.evidence_in("bob", "src", 3) == 0  # none there: the first evidence


def test_the_minimal_source_is_what_the_offsets_above_assume() -> None:
    assert MINIMAL_SOURCE.split("\n\n")[1].index("Bob") == 10
