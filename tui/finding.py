"""Finding words in one loaded briefing: the reader's `/` search, and the words of a library
search marked in the source it opens.

No UI here: the briefing screen asks for the hits and shows them; a test asks the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .links import Links
    from .schema import Item
    from .source import SourceText

Marks = dict[int, list[tuple[int, int]]]
"""Paragraph number to the (start, end) offsets marked in its text."""

MARK_WORDS = 20
"""At most this many words of a library search are marked in the source."""


@dataclass(frozen=True, slots=True)
class Hit:
    """A search hit: an item, or a span of a source paragraph."""

    item: str | None = None
    paragraph: int = 0
    start: int = 0
    end: int = 0


@dataclass
class Found:
    """The hits of one search, items first (in briefing order), then the source's spans in
    reading order; and which of them is current (-1: none yet)."""

    query: str
    hits: list[Hit] = field(default_factory=list)
    marks: Marks = field(default_factory=dict)
    """The source's hits by paragraph, as the source pane marks them."""
    index: int = -1

    @property
    def items(self) -> int:
        """How many of the hits are items."""
        return sum(hit.item is not None for hit in self.hits)

    def step(self, step: int) -> Hit | None:
        """Move step hits on (back when negative), round the ends; the hit now current."""
        if not self.hits:
            return None
        self.index = (self.index + step) % len(self.hits)
        return self.hits[self.index]

    def counts(self) -> str:
        """'hit 2 of 5 (1 item, 4 in source)'."""
        return (
            f"hit {self.index + 1} of {len(self.hits)} "
            f"({counted(self.items, 'item')}, {len(self.hits) - self.items} in source)"
        )


class Finder:
    """Finds text in one briefing's items and its shown source (its first)."""

    def __init__(self, links: Links) -> None:
        self.links = links
        self._texts: dict[str, str] | None = None
        """Each item's strings, joined and lowered: made at the first search, not before."""

    @property
    def source(self) -> SourceText | None:
        """The shown source's text; None when the loader withheld it."""
        loaded = self.links.loaded
        return loaded.sources.get(loaded.briefing.sources[0].id)

    def find(self, query: str) -> Found:
        """The hits of query (case-insensitive); none for a blank query."""
        found = Found(query)
        if not query.strip():
            return found
        needle = query.lower()
        if self._texts is None:
            self._texts = {i: searchable(item).lower() for i, item in self.links.items.items()}
        found.hits = [Hit(item=i) for i, text in self._texts.items() if needle in text]
        # A case-insensitive pattern, not lower(): lowering can change a text's length (İ),
        # and the offsets must fall on the paragraph's own characters.
        pattern = re.compile(re.escape(query), re.IGNORECASE)
        source = self.source
        for paragraph in source.paragraphs if source is not None else ():
            for match in pattern.finditer(paragraph.text):
                found.hits.append(
                    Hit(paragraph=paragraph.number, start=match.start(), end=match.end())
                )
                found.marks.setdefault(paragraph.number, []).append(match.span())
        return found

    def marks(self, words: Sequence[str]) -> Marks:
        """Where the words of a library search stand in the shown source (nothing when it is
        withheld). A word matches where a word starts, as the library's full-text search
        matches prefixes; of two overlapping matches the longer wins."""
        source = self.source
        kept = sorted(marked_words(words), key=len, reverse=True)
        if source is None or not kept:
            return {}
        pattern = re.compile("|".join(r"(?<!\w)" + re.escape(word) for word in kept), re.I)
        marked: Marks = {}
        for paragraph in source.paragraphs:
            spans = [m.span() for m in pattern.finditer(paragraph.text) if m.end() > m.start()]
            if spans:
                marked[paragraph.number] = spans
        return marked


def marked_words(words: Sequence[str]) -> tuple[str, ...]:
    """The words of a library search worth marking: blank ones left out, at most MARK_WORDS."""
    return tuple(word for word in words if word.strip())[:MARK_WORDS]


def searchable(item: Item) -> str:
    """Every string in an item, joined: what `/` searches."""
    from .schema import item_strings

    return "\n".join(item_strings(item))


def counted(number: int, word: str) -> str:
    """'1 item', '2 items'."""
    return f"{number} {word}{'' if number == 1 else 's'}"
