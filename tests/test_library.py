"""Pilot tests of the library: listing, filtering, opening, and invalid briefings among valid ones."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

from textual.widgets import DataTable, Input, OptionList, Static

from tests.conftest import SEED_BRIEFING, SEED_SOURCE, MakeProject
from tui.app import BriefingApp
from tui.describe import format_date_value
from tui.loader import BriefingError, Diagnostic, Loaded, load_briefing
from tui.screens.briefing import BriefingScreen, Place
from tui.screens.errors import ErrorScreen
from tui.screens.library import LibraryScreen

SECTION_ORDER = ("parties", "agreements", "drills", "arms_sales", "events", "statements")
BAD_YAML = "schema: 1\nid: bad\ntitle: [unclosed\n"


def make_library(make_project: MakeProject) -> Path:
    """briefings/ holding bad.yaml (invalid), the seed briefing and test.yaml (minimal)."""
    test = make_project()
    folder = test.parent
    shutil.copy(SEED_BRIEFING, folder / SEED_BRIEFING.name)
    shutil.copy(SEED_SOURCE, folder.parent / "seeds" / SEED_SOURCE.name)
    (folder / "bad.yaml").write_text(BAD_YAML, encoding="utf-8")
    (folder / "notes.txt").write_text("not a briefing", encoding="utf-8")
    return folder


def plain(cell: object) -> str:
    return str(getattr(cell, "plain", cell))


def table_rows(screen: LibraryScreen) -> list[list[str]]:
    table = screen.query_one("#table", DataTable)
    return [[plain(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def clipped_from(cell: str, full: str) -> bool:
    """The cell shows full, or the start of it cut with an ellipsis."""
    return cell == full or (cell.endswith("…") and full.startswith(cell[:-1]) and len(cell) > 10)


def assert_lists(row: list[str], loaded: Loaded) -> None:
    """A library row shows the briefing's title, source, date and item counts."""
    briefing = loaded.briefing
    source = briefing.sources[0]
    title, where, date, counts = row
    assert clipped_from(title, briefing.title)
    candidates = [source.outlet or "", source.title, Path(source.path).name]
    assert where and any(clipped_from(where, c) for c in candidates if c)
    assert date == (format_date_value(source.published) if source.published else "")
    numbers = [int(n) for n in re.findall(r"\d+", counts)]
    assert numbers[-6:] == [briefing.counts()[key] for key in SECTION_ORDER]


def bad_diagnostics(path: Path) -> list[Diagnostic]:
    try:
        load_briefing(path)
    except BriefingError as error:
        return error.diagnostics
    raise AssertionError(f"{path} should be invalid")


def test_library_lists_filters_and_opens(make_project: MakeProject) -> None:
    folder = make_library(make_project)
    seed = load_briefing(folder / SEED_BRIEFING.name)
    minimal = load_briefing(folder / "test.yaml")
    diagnostics = bad_diagnostics(folder / "bad.yaml")

    async def main() -> None:
        app = BriefingApp(folder)
        async with app.run_test(size=(120, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            library = app.screen
            assert isinstance(library, LibraryScreen)
            table = library.query_one("#table", DataTable)
            assert app.focused is table

            # Every YAML file, in name order; the invalid one with its first error.
            assert [e.path.name for e in library.entries] == [
                "bad.yaml",
                SEED_BRIEFING.name,
                "test.yaml",
            ]
            rows = table_rows(library)
            assert len(rows) == 3
            bad, seed_row, minimal_row = rows
            assert bad[0] == "bad.yaml" and bad[1:3] == ["", ""]
            first = diagnostics[0]
            assert bad[3].startswith("invalid: ")
            assert f"{first.line}:{first.column}" in bad[3] and first.message[:20] in bad[3]
            assert_lists(seed_row, seed)
            assert seed_row[2] == "5 Nov 2014"
            assert_lists(minimal_row, minimal)
            heading = str(library.query_one("#heading", Static).render())
            assert "3 of 3" in heading

            # Typing on the table filters it.
            await pilot.press(*"test")
            filter_input = library.query_one("#filter", Input)
            assert app.focused is filter_input and filter_input.value == "test"
            assert table_rows(library) == [minimal_row]
            assert "1 of 3" in str(library.query_one("#heading", Static).render())
            await pilot.press("backspace", "backspace", "backspace", "backspace", *"RUSSIA")
            assert table_rows(library) == [seed_row]
            # Enter leaves the filter for the table; Escape clears it.
            await pilot.press("enter")
            assert app.focused is table
            await pilot.press("escape")
            assert filter_input.value == "" and len(table_rows(library)) == 3
            await pilot.press("slash")
            assert app.focused is filter_input
            await pilot.press(*"nothing matches this", "enter")
            assert table_rows(library) == []
            await pilot.press("escape")
            assert len(table_rows(library)) == 3 and app.focused is table

            # Enter opens the briefing already loaded; Escape comes back to the library.
            await pilot.press("j")
            assert table.cursor_row == 1
            await pilot.press("enter")
            await pilot.pause()
            opened = app.screen
            assert isinstance(opened, BriefingScreen)
            assert opened.path == folder / SEED_BRIEFING.name
            assert opened.loaded is library.entries[1].loaded
            assert opened.place == Place("russia", 0)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is library

            # Enter on the invalid one shows its errors; Escape comes back.
            await pilot.press("k")
            assert table.cursor_row == 0
            await pilot.press("enter")
            await pilot.pause()
            errors = app.screen
            assert isinstance(errors, ErrorScreen)
            options = errors.query_one("#errors", OptionList)
            lines = [
                str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
            ]
            assert len(lines) == len(diagnostics)
            for line, diagnostic in zip(lines, diagnostics, strict=True):
                where = f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}: "
                assert line.startswith(where) and diagnostic.message in line
                assert "Traceback" not in line
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is library

            await pilot.press("q")
            await pilot.pause()
            assert not app.is_running

    asyncio.run(main())


def test_library_of_the_repository_lists_the_seed() -> None:
    seed = load_briefing(SEED_BRIEFING)

    async def main() -> None:
        app = BriefingApp(SEED_BRIEFING.parent)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            library = app.screen
            assert isinstance(library, LibraryScreen)
            rows = table_rows(library)
            assert len(rows) == 1
            assert_lists(rows[0], seed)

    asyncio.run(main())
