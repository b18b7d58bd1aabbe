"""The work a move in the outline does: one frame, and no layout of the screen.

A layout pass re-measures and re-renders every widget (about half the cost of a key at 80x24);
nothing a move changes can change a widget's size, so none is needed. The screen is drawn on a
60 Hz clock: a second frame for the detail and source would come a tick (17 ms) after the
outline's. Counted, not timed.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.screen import Screen
from textual.widgets import Static

from tests.conftest import SEED_BRIEFING, reader
from tui.screens.briefing import BriefingScreen
from tui.widgets.detail import Detail
from tui.widgets.outline import Outline

PRESSES = 12


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_a_move_in_the_outline_lays_nothing_out(
    size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts: list[str] = []
    frames: list[int] = []
    real = Screen._refresh_layout
    real_frame = Screen._compositor_refresh

    def counted(self: Screen, *args: object, **kwargs: object) -> None:
        layouts.append(type(self).__name__)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    def drawn(self: Screen) -> None:
        if frames:
            frames[-1] += 1
        real_frame(self)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    monkeypatch.setattr(Screen, "_compositor_refresh", drawn)
    heights: set[int] = set()
    statuses: set[str] = set()

    async def main() -> None:
        async with reader(SEED_BRIEFING, size) as (app, pilot):
            screen = app.screen
            assert isinstance(screen, BriefingScreen)
            detail = screen.query_one(Detail)
            status = screen.query_one("#status", Static)
            screen.query_one(Outline).focus()
            await pilot.pause()
            layouts.clear()
            for _ in range(PRESSES):
                frames.append(0)
                await pilot.press("down")
                await pilot.pause()
                await pilot.pause()
                heights.add(detail.virtual_size.height)
                statuses.add(str(status.render()))
                # Without a layout the pane still scrolls over exactly its rows: the scrollbar
                # and the scroll limit follow the new rows.
                region = detail.scrollable_content_region
                assert detail.max_scroll_y == max(0, detail.virtual_size.height - region.height)
                bar = detail.vertical_scrollbar
                assert bar.window_virtual_size == detail.virtual_size.height
                assert bar.window_size == region.height
            frames.append(0)  # what comes after (scrolling, closing the app) is not a move's
            detail.scroll_end(animate=False)
            await pilot.pause()
            assert detail.scroll_offset.y == detail.max_scroll_y

    asyncio.run(main())
    # The moves did change what the detail and status show (and the detail's extent) ...
    assert len(heights) > 1 and len(statuses) > 1
    # ... each in a single frame, and not one of them laid the screen out.
    assert frames[:PRESSES] == [1] * PRESSES
    assert layouts == []
