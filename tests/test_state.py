"""The reader remembers the theme and the last item per briefing, and survives a bad state file."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tui import state
from tui.screens.briefing import BriefingScreen

from .conftest import SEED_BRIEFING, notices, reader


async def _open(keys: tuple[str, ...] = ()) -> tuple[str | None, str, list[str]]:
    async with reader(SEED_BRIEFING, (100, 30), notifications=True) as (app, pilot):
        await pilot.press(*keys)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        place = screen.place.item if screen.place else None
        theme = app.theme
    return place, theme, notices(app)


def test_position_and_theme_are_remembered_atomically() -> None:
    first, theme, _ = asyncio.run(_open(("3", "t")))
    assert first is not None and first != "russia"
    stored = json.loads(state.path().read_text(encoding="utf-8"))
    assert stored["theme"] == theme != "textual-dark"
    assert stored["positions"][str(SEED_BRIEFING.resolve())] == first
    assert not list(state.path().parent.glob(".*.tmp")), "a temporary file was left behind"
    again, theme_again, _ = asyncio.run(_open())
    assert (again, theme_again) == (first, theme)


def test_corrupt_state_is_ignored_with_a_notice() -> None:
    target = state.path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"{not json\x1b]52;c;aGk=\x07")
    place, theme, heard = asyncio.run(_open())
    assert place == "russia" and theme == "textual-dark"
    assert any("corrupt" in n for n in heard)
    assert json.loads(target.read_text(encoding="utf-8"))["positions"]


def test_the_reader_never_writes_the_briefing_or_source(tmp_path: Path) -> None:
    before = {
        p: p.read_bytes() for p in (SEED_BRIEFING, *SEED_BRIEFING.parent.parent.glob("seeds/*"))
    }
    asyncio.run(_open(("2", "j", "t", "y")))
    assert {p: p.read_bytes() for p in before} == before
