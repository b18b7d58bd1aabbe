"""Opening a briefing from a list: the library, its full-text search and the party pivot."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Literal

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
    from ..loader import Diagnostic
    from .errors import ErrorScreen

    index: LibraryIndex | None = getattr(screen, "index", None)
    stored = index.diagnostics(key) if index is not None else []
    diagnostics = []
    for line, column, severity, message, file in stored:
        with contextlib.suppress(TypeError, ValueError):
            level: Literal["error", "warning"] = "warning" if severity == "warning" else "error"
            diagnostics.append(Diagnostic(str(file), int(line), int(column), level, message))
    screen.app.push_screen(ErrorScreen(path, diagnostics))
