"""Pilot tests of the library: listing, filtering, opening, and invalid briefings among valid ones."""

from __future__ import annotations

import asyncio
import re
import shutil
import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList, Static

from tests.conftest import SEED_BRIEFING, SEED_SOURCE, MakeProject, notices, reader, wait_loaded
from tui.describe import format_date_value
from tui.loader import BriefingError, Diagnostic, Loaded, load_briefing
from tui.screens.briefing import BriefingScreen, Place
from tui.screens.errors import ErrorScreen
from tui.screens.library import LibraryScreen
from tui.sections import SECTIONS

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
    inferred = " (inferred)" if source.published and source.published.inferred else ""
    assert date == (format_date_value(source.published) + inferred if source.published else "")
    # Every section of format 1 is counted; a section new in format 2 only when it has items.
    shown = {letter: int(n) for n, letter in re.findall(r"(\d+)([A-Za-z]+)", counts)}
    for section in SECTIONS:
        count = briefing.counts()[section.key]
        assert shown.get(section.short, 0) == count
        assert (section.short in shown) == (section.since == 1 or count > 0)


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
        async with reader(folder, (120, 24)) as (app, pilot):
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
            # The reason stands in the title's column, the widest.
            assert bad[1:] == ["", "", "invalid"]
            first = diagnostics[0]
            assert bad[0].startswith(f"bad.yaml: {first.message[:20]}")
            assert bad[0].endswith(f"(1 error, line {first.line})")
            assert_lists(seed_row, seed)
            assert seed_row[2] == "5 Nov 2014 (inferred)"  # as the reader's header says
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
            # Enter in the filter opens its first row; back in the filter, Escape clears it.
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, BriefingScreen)
            assert app.screen.path == folder / SEED_BRIEFING.name
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is library and app.focused is filter_input
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
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert opened.loaded is not None and opened.loaded.briefing.title == seed.briefing.title
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
        async with reader(SEED_BRIEFING.parent, (80, 24)) as (app, _pilot):
            library = app.screen
            assert isinstance(library, LibraryScreen)
            rows = table_rows(library)
            assert len(rows) == 1
            cells = list(library.entries[0].cells())
            assert_lists(cells, seed)
            # At 80 columns the Source column gives way to the title (the filter still reads it).
            title, _source, published, items = cells
            assert rows[0] == [title, published, items]

    asyncio.run(main())


def test_library_filters_by_party_country_section_and_date(make_project: MakeProject) -> None:
    folder = make_library(make_project)

    async def main() -> None:
        async with reader(folder, (120, 30), rounds=2) as (app, pilot):
            library = app.screen
            assert isinstance(library, LibraryScreen)
            filter_input = library.query_one("#filter", Input)

            async def shown(text: str) -> list[str]:
                filter_input.value = text
                await pilot.pause()
                table = library.query_one("#table", DataTable)
                return [Path(str(row.key.value)).name for row in table.ordered_rows]

            seed = SEED_BRIEFING.name
            assert await shown("party:china") == [seed]
            assert await shown("party:alice") == ["test.yaml"]
            assert await shown("country:RU section:drills") == [seed]
            assert await shown("section:statements") == [seed]
            assert await shown("from:2014-11 to:2014-11") == [seed]
            assert await shown("from:2020") == []
            assert await shown("party:china russia") == [seed]  # words and filters together
            assert await shown("party:china test") == []
            await shown("from:20x4")
            heading = str(library.query_one("#heading", Static).render())
            assert "from: wants YYYY" in heading
            assert len(await shown("")) == 3
            assert "Filter by words or party:" in str(library.query_one("#help", Static).render())

    asyncio.run(main())


def test_library_shows_progress_while_indexing(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.index import LibraryIndex

    folder = make_library(make_project)
    real = LibraryIndex.update_parallel
    reported: list[int] = []
    go_on = threading.Event()

    def held_after_the_first_report(self, plan, progress=None, cancelled=None, **options):  # type: ignore[no-untyped-def]
        def report(done: int, total: int, records: list) -> None:  # type: ignore[type-arg]
            progress(done, total, records)  # returns once the screen has taken it
            if not reported:
                reported.append(done)
                go_on.wait(30)

        return real(self, plan, report, cancelled, **options)

    monkeypatch.setattr(LibraryIndex, "update_parallel", held_after_the_first_report)

    async def main() -> None:
        async with reader(folder, (120, 30), rounds=0) as (app, pilot):
            try:
                for _ in range(600):
                    if reported:
                        break
                    await pilot.pause(0.05)
                assert reported, "the index never reported"
                await pilot.pause()
                library = app.screen
                assert isinstance(library, LibraryScreen)
                done = reported[0]
                heading = str(library.query_one("#heading", Static).render())
                # The rows so far and a count, while the rest is read.
                assert f"Indexing {done}/3…" in heading and f"{done} of {done}" in heading
            finally:
                go_on.set()
            await wait_loaded(pilot, rounds=2)
            heading = str(library.query_one("#heading", Static).render())
            assert "Indexing" not in heading and "3 of 3" in heading

    asyncio.run(main())


def test_full_text_search_opens_the_item_or_the_paragraph(make_project: MakeProject) -> None:
    from textual.widgets import OptionList

    from tui.screens.search_results import SearchScreen
    from tui.widgets.outline import Outline
    from tui.widgets.source_view import SourceView

    folder = make_library(make_project)

    async def main() -> None:
        async with reader(folder, (120, 30), rounds=2) as (app, pilot):
            library = app.screen
            await pilot.press("ctrl+f")
            search = app.screen
            assert isinstance(search, SearchScreen)
            await pilot.press(*"billion")
            await pilot.pause()
            hits = search.hits
            assert hits and "hits in 1 briefing" in str(
                search.query_one("#heading", Static).render()
            )
            # The hit of an item: Enter opens the briefing at that item.
            target = next(n for n, h in enumerate(hits) if h.ref == "russia-arms-contracts-2014")
            await pilot.press("enter")
            options = search.query_one("#hits", OptionList)
            assert app.focused is options
            options.highlighted = target
            await pilot.press("enter")
            await wait_loaded(pilot, rounds=2)
            opened = app.screen
            assert isinstance(opened, BriefingScreen)
            assert opened.path == folder / SEED_BRIEFING.name
            assert opened.place is not None and opened.place.item == "russia-arms-contracts-2014"
            assert opened.query_one(Outline).current_item == "russia-arms-contracts-2014"
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is search
            # The hit of a paragraph: the source opens there, focused, with what cites it.
            target = next(n for n, h in enumerate(hits) if h.kind == "paragraph")
            paragraph = hits[target].start
            assert isinstance(paragraph, int)
            options.highlighted = target
            await pilot.press("enter")
            await wait_loaded(pilot, rounds=2)
            opened = app.screen
            assert isinstance(opened, BriefingScreen)
            source = opened.query_one(SourceView)
            assert app.focused is source and source.cursor == paragraph
            assert f"¶{paragraph} cited by" in str(opened.query_one("#status", Static).render())
            await pilot.press("escape")
            await pilot.pause()
            # Syntax a user may type is only words; Escape goes back to the library.
            await pilot.press("ctrl+f")
            query = search.query_one("#query", Input)
            assert app.focused is query
            query.value = 'NEAR("( AND *'
            await pilot.pause()
            assert isinstance(search.hits, list)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is library

    asyncio.run(main())


def test_party_pivot_lists_every_briefing_and_item(make_project: MakeProject) -> None:
    from textual.widgets import OptionList

    from tui.screens.pivot import PivotScreen

    folder = make_library(make_project)
    second = folder / "second.yaml"
    shutil.copy(folder / SEED_BRIEFING.name, second)

    async def main() -> None:
        async with reader(folder, (120, 30), rounds=2) as (app, pilot):
            library = app.screen
            # The party filter carries over to the pivot.
            await pilot.press(*"party:china")
            await pilot.press("ctrl+g")
            pivot = app.screen
            assert isinstance(pivot, PivotScreen)
            assert pivot.query_one("#party", Input).value == "china"
            assert [g.name for g in pivot.groups if g.party_name == "China"] == [
                SEED_BRIEFING.name,
                "second.yaml",
            ]
            heading = str(pivot.query_one("#heading", Static).render())
            assert "china: 2 briefings" in heading
            # Down to the list; the first choice is the party itself in the first briefing.
            await pilot.press("down")
            listing = pivot.query_one("#pivot", OptionList)
            assert app.focused is listing
            await pilot.press("j")
            target = pivot.targets[listing.highlighted or 0]
            assert isinstance(target, tuple)
            await pilot.press("enter")
            await wait_loaded(pilot, rounds=2)
            opened = app.screen
            assert isinstance(opened, BriefingScreen)
            assert opened.place is not None and opened.place.item == target[2]
            await pilot.press("escape")
            await pilot.pause()
            # With no name: the parties of the library; Enter on one pivots on it.
            party = pivot.query_one("#party", Input)
            party.value = ""
            await pilot.pause()
            assert "China" in pivot.targets and "Alice" in pivot.targets
            listing.highlighted = pivot.targets.index("Alice")
            listing.focus()
            await pilot.press("enter")
            await pilot.pause()
            assert party.value == "Alice"
            assert [g.name for g in pivot.groups] == ["test.yaml"]
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is library

    asyncio.run(main())


def test_library_reindexes_only_what_changed_and_says_when_replaced(
    make_project: MakeProject, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import tui.loader
    from tui.index import default_path

    folder = make_library(make_project)
    seen: list[str] = []
    real = tui.loader.load_briefing

    def counting(path: Path):  # type: ignore[no-untyped-def]
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(tui.loader, "load_briefing", counting)

    async def run() -> list[str]:
        async with reader(folder, (120, 30), rounds=2) as (app, _pilot):
            assert len(table_rows(app.screen)) == 3  # type: ignore[arg-type]
            return notices(app)

    asyncio.run(run())
    assert sorted(seen) == ["bad.yaml", SEED_BRIEFING.name, "test.yaml"]
    seen.clear()
    asyncio.run(run())
    assert seen == []
    path = default_path()
    assert path is not None
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(b"not a database" * 200)
    notes = asyncio.run(run())
    assert any("replaced" in note for note in notes)
    assert len(seen) == 3


def test_the_library_indexes_through_helper_processes(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As with a large folder: the helpers start from inside the running app, whose stderr
    is Textual's capture (no file descriptor behind it)."""
    import multiprocessing

    from tui.index import store

    folder = make_library(make_project)
    monkeypatch.setattr(store, "PARALLEL_MIN", 1)

    async def main() -> None:
        async with reader(folder, (120, 30), rounds=2) as (app, _pilot):
            library = app.screen
            assert isinstance(library, LibraryScreen)
            heading = str(library.query_one("#heading", Static).render())
            assert "Indexing" not in heading and "3 of 3" in heading

    asyncio.run(main())
    assert multiprocessing.active_children() == []
