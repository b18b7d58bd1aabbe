"""A briefing being read is frozen out of the garbage collector's walks, and thawed when closed.

Counted, not timed: whether the collector would walk the briefing (gc.get_objects lists what
the collector tracks, frozen objects excluded) and what stays frozen afterwards.
"""

from __future__ import annotations

import asyncio
import gc

from tests.conftest import SEED_BRIEFING, reader
from tui import collector
from tui.screens.briefing import BriefingScreen
from tui.screens.library import LibraryScreen


def walked(obj: object) -> bool:
    """Whether a collection would walk obj (it is tracked and not frozen)."""
    return any(tracked is obj for tracked in gc.get_objects())


def test_the_briefing_is_frozen_while_read_and_thawed_when_closed() -> None:
    async def main() -> None:
        async with reader(SEED_BRIEFING.parent, (80, 24)) as (app, pilot):
            assert isinstance(app.screen, LibraryScreen)
            for _ in range(3):  # several briefings in a row, as from the library
                screen = BriefingScreen(SEED_BRIEFING)
                app.push_screen(screen)
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert screen.loaded is not None
                briefing = screen.loaded.briefing
                assert gc.is_tracked(briefing)
                assert not walked(briefing) and not walked(briefing.parties)
                assert collector.holders() == 1
                await pilot.press("down", "down")
                await pilot.pause()
                app.pop_screen()
                await pilot.pause()
                await pilot.pause()
                assert isinstance(app.screen, LibraryScreen)
                # Nothing stays frozen: what the closed briefing leaves is collectable again.
                assert collector.holders() == 0 and gc.get_freeze_count() == 0
                assert walked(briefing)

    asyncio.run(main())
    assert gc.get_freeze_count() == 0


def test_quitting_from_a_briefing_leaves_nothing_frozen() -> None:
    async def main() -> None:
        async with reader(SEED_BRIEFING, (80, 24)) as (_app, _pilot):
            assert collector.holders() == 1 and gc.get_freeze_count() > 0

    asyncio.run(main())
    assert collector.holders() == 0 and gc.get_freeze_count() == 0


def test_release_without_hold_thaws_nothing_of_others() -> None:
    kept = [object() for _ in range(3)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert collector.release() is False
        collector.collect()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    del kept
