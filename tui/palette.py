"""Command palette provider: "go to item" with fuzzy search over every item."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from .safe_text import clean
from .sections import SINGULAR


def _highlight(matcher: Matcher, label: str) -> Content:
    """Matcher.highlight, for plain text: it parses its candidate as markup, and a label from
    a briefing holding `[bold]` or an unbalanced `[/bold]` would be styled or raise."""
    content = Content(label)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, label)
    for offset in offsets:
        if not label[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class GoToItem(Provider):
    """Every item of the open briefing, by its label."""

    def _targets(self) -> list[tuple[str, str, str]]:
        from .screens.briefing import BriefingScreen

        screen = self.screen
        if not isinstance(screen, BriefingScreen) or screen.links is None:
            return []
        links = screen.links
        return [
            (
                item_id,
                clean(f"{SINGULAR[links.section_of[item_id]]}: {links.name(item_id)}")[:200],
                item_id,
            )
            for item_id in links.items
        ]

    def _go(self, item_id: str) -> None:
        from .screens.briefing import BriefingScreen

        screen = self.screen
        if isinstance(screen, BriefingScreen):
            screen.go_to(item_id)
            screen.query_one("#outline").focus()

    async def discover(self) -> Hits:
        for item_id, label, _ in self._targets()[:50]:
            # Content, never a str: the palette parses a str prompt as markup.
            yield DiscoveryHit(
                Content(label), partial(self._go, item_id), text=label, help="Go to item"
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for item_id, label, _ in self._targets():
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, label),
                    partial(self._go, item_id),
                    text=label,
                    help="Go to item",
                )
