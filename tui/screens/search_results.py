"""Full-text search across every briefing of a library: items and source paragraphs.

Results come from the index's FTS5 table as the user types; Enter opens the briefing at the
matching item, or at the matching paragraph of its source.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from ..safe_text import clean, clip
from ..sections import SINGULAR
from .listing import QueryScreen
from .navigate import open_briefing

if TYPE_CHECKING:
    from pathlib import Path

    from ..index import LibraryHit, LibraryIndex


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def own_words(hit: LibraryHit) -> list[tuple[str, bool]]:
    """The snippet of a hit as the briefing wrote it.

    An item's indexed text is its field values one per line (name, unit, the reported words,
    precision...): the snippet around a match runs across several of them and reads as a list
    of index words. Keep the one value holding the first match, the item's own words.
    """
    if hit.kind != "item":
        return hit.snippet
    first = next((n for n, (_text, marked) in enumerate(hit.snippet) if marked), None)
    if first is None:
        return hit.snippet
    pieces = list(hit.snippet)
    before, after = pieces[:first], pieces[first + 1 :]
    kept: list[tuple[str, bool]] = []
    for text, marked in reversed(before):
        if not marked and "\n" in text:
            kept.insert(0, (text.rsplit("\n", 1)[1], False))
            break
        kept.insert(0, (text, marked))
    kept.append(pieces[first])
    for text, marked in after:
        if not marked and "\n" in text:
            kept.append((text.split("\n", 1)[0], False))
            break
        kept.append((text, marked))
    return [(text, marked) for text, marked in kept if text]


def hit_prompt(hit: LibraryHit, width: int = 76) -> Content:
    """Three lines within width: what matched, in which briefing, the words in context."""
    if hit.kind == "item":
        where = f"{SINGULAR.get(hit.section, hit.section)}: {_one_line(hit.label)}"
    else:
        where = f"¶{hit.ref} of the source {_one_line(hit.label)}"
    width = max(20, width)
    inside = f"in {_one_line(hit.title)}"
    name = "  " + clip(hit.name, 28)
    inside = clip(inside, max(10, width - 2 - len(name)))
    snippet: list[tuple[str, str] | str] = ["  "]
    room = width - 2
    for text, marked in own_words(hit):
        shown = clean(_one_line(text))[: max(0, room)]
        room -= len(shown)
        snippet.append((shown, "bold reverse") if marked else shown)
    return Content.assemble(
        (clean(clip(where, width)), "bold"),
        "\n  ",
        clean(inside),
        (clean(name), "dim"),
        "\n",
        *snippet,
    )


class SearchScreen(QueryScreen):
    """Search every briefing's items and sources; Enter opens at the hit."""

    AUTO_FOCUS = "#query"
    INPUT = "query"
    LIST = "hits"
    PLACEHOLDER = "Words to find in every briefing and its sources"
    HELP_LINE = "All words are found; narrow with party: country: section: from: to:  ·  ↓ to hits"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+f", "focus_input", "Edit search"),
    ]

    def __init__(self, index: LibraryIndex, folder: Path, query: str = "") -> None:
        super().__init__(query)
        self.index = index
        self.folder = folder
        self.hits: list[LibraryHit] = []

    def heading(self) -> str:
        return f"Search all briefings in {self.folder}"

    def on_mount(self) -> None:
        if self.initial:
            self.search(self.initial)

    def update(self, text: str) -> None:
        self.search(text)

    def has_rows(self) -> bool:
        return bool(self.hits)

    def search(self, text: str) -> None:
        """Run a search and list its hits (best first)."""
        hits, problem = self.index.search(self.folder, text)
        self.hits = hits
        options = self.query_one("#hits", OptionList)
        options.clear_options()
        width = (options.size.width or self.size.width or 80) - 6
        options.add_options([Option(hit_prompt(hit, width)) for hit in hits])
        if hits:
            options.highlighted = 0
        briefings = len({hit.key for hit in hits})
        if not text.strip():
            heading = f"Search all briefings in {self.folder}"
        else:
            more = "+" if len(hits) >= 200 else ""
            heading = (
                f"{len(hits)}{more} hit{'s' if len(hits) != 1 else ''} in {briefings} "
                f"briefing{'s' if briefings != 1 else ''}"
            )
        if problem:
            heading += f"  ·  {problem}"
        self.set_heading(heading)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # j, k and Down are for the list; in the search box they type (or do nothing).
        if action in ("cursor", "to_list") and self.query_one("#query", Input).has_focus:
            return action == "to_list"
        return True

    @on(OptionList.OptionSelected, "#hits")
    def _open(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[event.option_index]
        from ..index import parse_query

        # The searched words are marked in the source, as a search in the briefing marks them.
        words = parse_query(self.query_one("#query", Input).value).words
        open_briefing(self, self.folder / hit.name, hit.key, True, hit.start, mark=words)
