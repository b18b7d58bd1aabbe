"""Opening a briefing from a list: the library, its full-text search and the party pivot."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from textual.screen import Screen

    from ..index import LibraryIndex


def open_briefing(
    screen: Screen[Any],
    path: Path,
    key: str,
    valid: bool,
    start: str | int | None = None,
    mark: Sequence[str] = (),
) -> None:
    """Push the briefing (at start, the words of mark marked as search hits in its source), or
    its stored errors when it is invalid."""
    if valid:
        from .briefing import BriefingScreen

        screen.app.push_screen(BriefingScreen(path, start=start, mark=mark))
        return
    from ..index.rows import as_diagnostics
    from .errors import ErrorScreen

    index: LibraryIndex | None = getattr(screen, "index", None)
    stored = index.diagnostics(key) if index is not None else []
    screen.app.push_screen(ErrorScreen(path, as_diagnostics(stored)))
