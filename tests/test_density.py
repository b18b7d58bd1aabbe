"""Density at 80x24 (issue 12): every item of the bundled briefings, read without scrolling.

For each item the screen shows its name whole (in the detail or the outline), its key facts
(every row of its section's own fields: who, what, when, how many) and its first quote, whole
and marked, in the source. Read from what the compositor draws, not from widget state alone.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.pilot import Pilot

from tests.conftest import ROOT
from tui.app import BriefingApp
from tui.safe_text import clean
from tui.screens.briefing import BriefingScreen
from tui.screens.help import HelpScreen
from tui.sections import TIMELINE_NUMBER
from tui.widgets.detail import Detail
from tui.widgets.outline import Outline
from tui.widgets.source_view import SourceView

BRIEFINGS = [
    *sorted((ROOT / "briefings").glob("*.yaml")),
    ROOT / "tests" / "data" / "format2" / "transfers.yaml",  # totals, joint forces, deliveries
]
AFTER_THE_FACTS = {
    "Claimed by",
    "Via",
    "Claims",
    "Withheld",
    "Confidence",
    "Stated",
    "Credibility",
    "Inferred",
    "Notes",
    "Takes part",
    "Parts",
    "Cited in",
}
"""The labels of the rows every item has, after its own fields: not its key facts."""


def squeeze(text: str) -> str:
    return " ".join(text.split())


def lines_in(app: BriefingApp, region: Region) -> list[str]:
    """The text the compositor draws inside a region, a line each."""
    strips = app.screen._compositor.render_strips()
    return [
        strips[y].crop(region.x, region.right).text
        for y in range(region.y, min(region.bottom, len(strips)))
    ]


def marked_in(app: BriefingApp, region: Region) -> str:
    """The characters drawn bold and underlined (a quote's mark) inside a region."""
    strips = app.screen._compositor.render_strips()
    marked: list[str] = []
    for y in range(region.y, min(region.bottom, len(strips))):
        line: list[str] = []
        for segment in strips[y].crop(region.x, region.right):
            style = segment.style
            line.append(segment.text if style and style.bold and style.underline else " ")
        marked.append("".join(line))
    return squeeze("\n".join(marked))


async def read_every_item(app: BriefingApp, pilot: Pilot) -> list[str]:  # type: ignore[type-arg]
    """Each item in turn, as the palette or a link opens it; what is missing from the screen."""
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()
    screen = app.screen
    assert isinstance(screen, BriefingScreen) and screen.links is not None
    assert screen.loaded is not None
    links, loaded = screen.links, screen.loaded
    source = screen.query_one(SourceView)
    detail = screen.query_one(Detail)
    outline = screen.query_one(Outline)
    text = loaded.sources[loaded.briefing.sources[0].id]
    missing: list[str] = []
    for item_id, item in links.items.items():
        screen.go_to(item_id)
        await pilot.pause()
        # The detail's lines, its title rule (the pane's border) included.
        # (Not the scrollbar, whose thumb would stand between the words of a wrapped row.)
        title_rule = lines_in(app, detail.region)[0]
        rows_shown = lines_in(app, detail.scrollable_content_region)
        shown_detail = squeeze("\n".join([title_rule, *rows_shown]))
        outline_lines = [squeeze(line) for line in lines_in(app, outline.scrollable_content_region)]
        name = squeeze(clean(item.label))
        if name not in shown_detail and name not in outline_lines:
            missing.append(f"{item_id}: name {name!r}")
        # Key facts: the rows of the item's own fields (before those every item has), whole.
        for row in detail.rows:
            if row.label in AFTER_THE_FACTS:
                break
            wanted = squeeze(f"{row.label} {clean(row.text)}")
            if wanted not in shown_detail:
                missing.append(f"{item_id}: fact {wanted!r}")
        evidence = links.evidence(item_id)
        span = evidence[0].span if evidence else None
        if span is None:
            continue
        quote = squeeze(text.paragraphs[span.paragraph - 1].text[span.start : span.end])
        if source.highlight != span:
            missing.append(f"{item_id}: quote not marked in the source")
        elif marked_in(app, source.scrollable_content_region) != quote:
            missing.append(f"{item_id}: quote {quote[:40]!r}… not all on screen")
    return missing


@pytest.mark.parametrize("path", BRIEFINGS, ids=lambda p: Path(p).stem)
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_every_item_reads_without_scrolling(path: Path, size: tuple[int, int]) -> None:
    async def main() -> list[str]:
        app = BriefingApp(path)
        async with app.run_test(size=size) as pilot:
            return await read_every_item(app, pilot)

    missing = asyncio.run(main())
    assert not missing, "\n".join(missing)


def test_help_scrolls_with_the_pager_keys_and_wraps_under_the_description() -> None:
    async def main() -> None:
        app = BriefingApp(BRIEFINGS[0])
        async with app.run_test(size=(60, 24)) as pilot:
            for _ in range(2):
                await app.workers.wait_for_complete()
                await pilot.pause()
            await pilot.press("question_mark")
            await pilot.pause()
            help_screen = app.screen
            assert isinstance(help_screen, HelpScreen)
            scroll = help_screen.query_one(VerticalScroll)
            assert scroll.max_scroll_y > 0  # taller than 24 rows: there is something to scroll
            for key, wanted in (
                ("G", scroll.max_scroll_y),
                ("g", 0),
                ("end", scroll.max_scroll_y),
                ("home", 0),
                ("j", 1),
                ("k", 0),
            ):
                await pilot.press(key)
                await pilot.pause()
                assert scroll.scroll_offset.y == wanted, key
            # At 60 columns "Follow a link; on a paragraph, what cites it" wraps: its second
            # line starts under the description, not under the keys.
            lines = lines_in(app, scroll.scrollable_content_region)
            first = next(n for n, line in enumerate(lines) if "Follow a link" in line)
            column = lines[first].index("Follow a link")
            after = lines[first + 1]
            assert after[:column].strip() == "" and after[column:].strip(), lines[first : first + 2]

    asyncio.run(main())


def test_the_timeline_takes_rows_from_the_detail_at_80x24() -> None:
    """Five dated rows under the timeline's heading, legend and year; back to a section, the
    detail has its rows again."""

    async def main() -> None:
        app = BriefingApp(BRIEFINGS[0])
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(2):
                await app.workers.wait_for_complete()
                await pilot.pause()
            screen = app.screen
            outline, detail = screen.query_one(Outline), screen.query_one(Detail)
            facts_rows = detail.scrollable_content_region.height
            await pilot.press(str(TIMELINE_NUMBER))
            await pilot.pause()
            shown = lines_in(app, outline.scrollable_content_region)
            assert shown[0].strip() == f"{TIMELINE_NUMBER} Timeline (15)"
            dated = [line for line in shown if ": " in line]
            assert len(dated) >= 5, shown  # four on main, under its heading, legend and years
            await pilot.press("3")
            await pilot.pause()
            assert detail.scrollable_content_region.height == facts_rows >= 9

    asyncio.run(main())
