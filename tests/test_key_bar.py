"""The key bar: the keys of the focused pane, repainted (not recomposed) when focus moves."""

from __future__ import annotations

import asyncio

from textual.errors import NoWidget

from tests.conftest import SEED_BRIEFING, reader
from tui.screens.briefing import BriefingScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.outline import Outline
from tui.widgets.source_view import SourceView


def _line(bar: KeyBar) -> str:
    return str(bar.render())


def test_the_bar_follows_focus_without_new_widgets() -> None:
    lines: dict[str, str] = {}

    async def main() -> None:
        async with reader(SEED_BRIEFING, (100, 30)) as (app, pilot):
            screen = app.screen
            assert isinstance(screen, BriefingScreen)
            bar = screen.query_one(KeyBar)
            screen.query_one(Outline).focus()
            await pilot.pause()
            lines["outline"] = _line(bar)
            widgets = list(screen.query("*"))
            screen.query_one(SourceView).focus()
            await pilot.pause()
            await pilot.pause()
            lines["source"] = _line(bar)
            # Footer composed a widget per key again here.
            assert list(screen.query("*")) == widgets

    asyncio.run(main())
    assert "⏎ Cited by" not in lines["outline"]
    assert lines["source"].startswith(" ⏎ Cited by ")
    for line in lines.values():
        assert " q Quit " in line and line.rstrip().endswith("▏^p palette")


def test_a_key_that_does_not_fit_is_left_out_whole() -> None:
    lines: list[str] = []

    async def main() -> None:
        async with reader(SEED_BRIEFING, (80, 24)) as (app, pilot):
            screen = app.screen
            screen.query_one(SourceView).focus()
            await pilot.pause()
            await pilot.pause()
            lines.append(_line(screen.query_one(KeyBar)))

    asyncio.run(main())
    (line,) = lines
    assert len(line) == 80
    labels = line[: line.index("▏")].split()
    # Each label left is a key followed by its description, never a key cut short ("? H").
    assert labels[:4] == ["⏎", "Cited", "by", "z"]
    assert "?" not in labels and "H" not in labels
    assert line.endswith("▏^p palette ")


def test_a_click_on_a_key_presses_it() -> None:
    shown: list[str] = []

    async def main() -> None:
        async with reader(SEED_BRIEFING, (100, 30)) as (app, pilot):
            bar = app.screen.query_one(KeyBar)
            line = _line(bar)
            at = line.index(" ? Help ")
            await pilot.click(KeyBar, offset=(at + 2, 0))
            await pilot.pause()
            shown.append(type(app.screen).__name__)

    asyncio.run(main())
    assert shown == ["HelpScreen"]


def test_a_zoomed_pane_keeps_the_bar() -> None:
    shown: list[bool] = []

    async def main() -> None:
        async with reader(SEED_BRIEFING, (80, 24)) as (app, pilot):
            screen = app.screen
            screen.query_one(Outline).focus()
            await pilot.press("z")
            await pilot.pause()
            assert screen.maximized is not None
            bar = screen.query_one(KeyBar)
            try:
                shown.append(screen.find_widget(bar).region.y == 23)
            except NoWidget:
                shown.append(False)

    asyncio.run(main())
    assert shown == [True]
