"""Text typed or pasted into the reader's inputs, and loader bugs, never break the screen."""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual.widgets import Input

from tui import loader
from tui.screens.errors import ErrorScreen

from .conftest import SEED_BRIEFING, reader


def test_a_pasted_escape_sequence_is_refused_by_the_search_box() -> None:
    async def run() -> tuple[str, str]:
        async with reader(SEED_BRIEFING, (100, 30)) as (app, pilot):
            await pilot.press("slash")
            search = app.screen.query_one("#search", Input)
            search.post_message(events.Paste("\x1b]52;c;aGk=\x07tanks"))
            await pilot.pause()
            hostile = search.value
            search.post_message(events.Paste("tanks"))
            await pilot.pause()
            return hostile, search.value

    hostile, plain = asyncio.run(run())
    assert hostile == ""
    assert plain == "tanks"


def test_a_loader_bug_is_shown_as_an_error_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: object) -> None:
        raise TypeError("an unexpected \x1b[2J bug")

    monkeypatch.setattr(loader, "load_keyed", broken)  # what the reader calls

    async def run() -> tuple[object, list[str]]:
        async with reader(SEED_BRIEFING, (100, 30)) as (app, _pilot):
            screen = app.screen
            messages = [d.message for d in getattr(screen, "diagnostics", [])]
            return screen, messages

    screen, messages = asyncio.run(run())
    assert isinstance(screen, ErrorScreen)
    assert messages == ["internal error while loading: TypeError: an unexpected \x1b[2J bug"]
