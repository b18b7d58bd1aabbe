"""Command palette provider: "go to item" with fuzzy search over every item."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .safe_text import clean


class GoToItem(Provider):
    """Every item of the open briefing, by its label."""

    def _targets(self) -> list[tuple[str, str, str]]:
        from .describe import SINGULAR
        from .screens.briefing import BriefingScreen

        screen = self.screen
        if not isinstance(screen, BriefingScreen) or screen.links is None:
            return []
        links = screen.links
        return [
            (item_id, clean(f"{SINGULAR[links.section_of[item_id]]}: {item.label}")[:200], item_id)
            for item_id, item in links.items.items()
        ]

    def _go(self, item_id: str) -> None:
        from .screens.briefing import BriefingScreen

        screen = self.screen
        if isinstance(screen, BriefingScreen):
            screen.go_to(item_id)
            screen.query_one("#outline").focus()

    async def discover(self) -> Hits:
        for item_id, label, _ in self._targets()[:50]:
            yield DiscoveryHit(label, partial(self._go, item_id), help="Go to item")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for item_id, label, _ in self._targets():
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    partial(self._go, item_id),
                    text=label,
                    help="Go to item",
                )
