"""Small findings of the reader's polish (issue 12): the timeline, the library, export, search.

pytest-asyncio is not installed: each test runs its own event loop through tests.test_reader.run.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Static

from tests.conftest import MINIMAL_SOURCE, Body, MakeProject, minimal_yaml, notices, run_reader
from tests.test_reader import panes, run
from tui.app import BriefingApp
from tui.describe import TIMELINE_LEGEND
from tui.loader import load_briefing
from tui.saving import SaveRefused, default_target, save, target_of
from tui.screens.library import LibraryScreen
from tui.sections import TIMELINE_NUMBER
from tui.widgets.outline import TIMELINE, Outline, item_of


def empty_yaml() -> str:
    """A valid briefing with no items at all."""
    text = minimal_yaml()
    return text[: text.index("parties:")] + "parties: []\n"


def test_item_commands_on_an_empty_briefing_say_why_they_do_nothing(
    make_project: MakeProject,
) -> None:
    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        screen, _outline, _detail, _source = panes(app)
        assert screen.place is None
        await pilot.press("y")
        await pilot.pause()
        assert notices(app) == ["No item selected: this briefing has no items"]
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")  # the first choice: copy this item
        await pilot.pause()
        assert notices(app) == ["No item selected: this briefing has no items"] * 2

    run(body, target=make_project(empty_yaml()))


def test_search_status_counts_one_item_in_the_singular(make_project: MakeProject) -> None:
    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        screen, *_ = panes(app)
        await pilot.press("slash", *"Alice", "enter")
        await pilot.pause()
        status = str(screen.query_one("#status").render())
        assert "(1 item, " in status, status

    run(body, target=make_project())


# --- 1. the timeline ------------------------------------------------------------------------


def outline_lines(outline: Outline) -> list[str]:
    """Every row of the outline as drawn (labels, before clipping to the pane)."""
    return [outline.get_option_at_index(i).prompt.plain for i in range(outline.option_count)]


def test_timeline_rows_align_mark_and_group_by_year() -> None:
    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        screen, outline, _detail, _source = panes(app)
        assert screen.links is not None
        start = outline.section_rows[TIMELINE]
        lines = outline_lines(outline)[start:]
        rows = outline.rows[start:]
        assert lines[1].strip() == TIMELINE_LEGEND
        assert not any("(inferred)" in line for line in lines)
        # Year headings, in order, that cannot be selected.
        years = [line.strip() for line, row in zip(lines, rows, strict=True) if row.kind == "year"]
        assert years == ["2013", "2014", "2015"]
        assert all(row.disabled for row in rows if row.kind == "year")
        items = [line for line, row in zip(lines, rows, strict=True) if not row.disabled]
        # Every label starts in the same column: the dates are one width, then a space.
        starts = {
            re.search(r"(Drill|Arms sale|Order|Delivery|Statement|Event|Agreement): ", x).start()
            for x in items
        }  # type: ignore[union-attr]
        assert len(starts) == 1, items
        column = starts.pop()
        assert all(x[column - 1] == " " for x in items)
        by_item = dict(zip((item_of(r.id) for r in rows if not r.disabled), items, strict=True))
        assert by_item["chelyabinsk-drills-2013"].startswith("   7 Aug ")  # stated: no mark
        assert by_item["sco-joint-drills-2014"].startswith("  ~Aug ")  # inferred
        assert by_item["apec-leaders-summit-2014"].startswith(" ›~7–11 Nov ")  # planned
        # "recently" has no value: it stands at its source's publication date, inferred, and
        # before the items dated that day, not after 2015.
        order = [item_of(r.id) for r in rows if not r.disabled]
        assert by_item["xi-visit-control-centre"].startswith("  ~“recently” ")
        assert (
            order.index("xi-visit-control-centre")
            == order.index("military-cooperation-agreements") - 1
        )
        assert order[-1] == "ww2-anniversary-celebrations"
        # The jump key lands on the first item, past the legend and the year heading.
        await pilot.press("tab", str(TIMELINE_NUMBER))
        assert outline.current_item == "chelyabinsk-drills-2013"

    run(body)


def test_a_date_of_words_without_a_publication_date_goes_last_as_undated(
    make_project: MakeProject,
) -> None:
    body_yaml = """events:
  - id: met
    kind: meeting
    title: Alice meets Bob
    date: {reported: on Monday}
    participants: [alice, bob]
    status: held
    confidence: high
    evidence:
      - {paragraph: 2, quote: Alice met Bob in Paris on Monday}
  - id: later
    kind: meeting
    title: A dated meeting
    date: {value: "2014-11-05"}
    participants: [alice, bob]
    status: held
    confidence: high
    evidence:
      - {paragraph: 2, quote: Alice met Bob}
"""

    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        _screen, outline, _detail, _source = panes(app)
        start = outline.section_rows[TIMELINE]
        lines = [x.strip() for x in outline_lines(outline)[start + 2 :]]
        assert lines[0] == "2014"
        assert lines[1].startswith("5 Nov ")
        assert lines[2] == "Undated"
        # Nothing to stand at: not marked inferred.
        assert lines[3].startswith("“on Monday” Event: Alice meets Bob")

    run(body, target=make_project(minimal_yaml(body=body_yaml)))


# --- 2. the library -------------------------------------------------------------------------

LONG_TITLE = "A much longer title " + "that goes on and on " * 6 + "to its end"


def long_library(make_project: MakeProject) -> Path:
    """A folder deep enough that its path cannot fit one line, holding an invalid briefing,
    one with a long title and the minimal one."""
    make_project()
    deep = make_project().parent.parent / ("a-folder-with-a-long-name-" * 8) / "briefings"
    deep.mkdir(parents=True)
    (deep.parent / "seeds").mkdir()
    (deep.parent / "seeds" / "source.txt").write_text(MINIMAL_SOURCE, encoding="utf-8")
    (deep / "test.yaml").write_text(minimal_yaml(), encoding="utf-8")
    (deep / "long.yaml").write_text(
        minimal_yaml().replace("title: Test briefing", f"title: {LONG_TITLE}"), encoding="utf-8"
    )
    bad = minimal_yaml().replace("kind: person\n    name: Bob", "kind: persn\n    name: Bob")
    (deep / "bad.yaml").write_text(bad, encoding="utf-8")
    return deep


def drawn(widget: Widget) -> list[str]:
    """The lines a widget shows, as text."""
    return [widget.render_line(y).text for y in range(widget.scrollable_content_region.height)]


def test_library_fits_80_and_160_columns(make_project: MakeProject) -> None:
    folder = long_library(make_project)

    def check(width: int, with_source: bool) -> Body:
        async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
            library = app.screen
            assert isinstance(library, LibraryScreen)
            table = library.query_one("#table", DataTable)
            headers = [str(c.label) for c in table.columns.values()]
            assert headers == (
                ["Title", "Source", "Published", "Items"]
                if with_source
                else ["Title", "Published", "Items"]
            )
            # The columns fit the screen, the title taking what is left.
            assert table.virtual_size.width <= width - 2
            assert table.virtual_size.width >= width - 4
            lines = drawn(table)
            # bad.yaml, long.yaml, test.yaml in name order: the long title cut with an ellipsis.
            long_row = lines[2]
            assert long_row.startswith(" A much longer title that go")
            assert "… " in long_row and LONG_TITLE not in long_row
            assert "invalid" in lines[1]
            # The whole reason for the highlighted invalid row, under the table.
            why = " ".join(x.strip() for x in drawn(library.query_one("#why", Static)))
            assert why.startswith("bad.yaml: kind: 'persn' is not allowed;")
            assert "(1 error, line " in why
            # A legend for the Items letters.
            help_text = " ".join(drawn(library.query_one("#help", Static)))
            assert "Items: P parties Ag agreements D drills AS arms sales E events" in help_text
            # The heading is one line: the path gives way, the count stays.
            heading = drawn(library.query_one("#heading", Static))
            assert len(heading) == 1 and heading[0].rstrip().endswith(": 3 of 3")
            assert heading[0].startswith("Briefings in …")
            await pilot.press("j")
            await pilot.pause()
            assert not library.query_one("#why").display

        return body

    run_reader(folder, check(80, with_source=True), size=(80, 24))
    run_reader(folder, check(160, with_source=True), size=(160, 48))


# --- 3. saving an export --------------------------------------------------------------------


def test_saving_refuses_the_briefing_and_its_sources_and_replaces_an_earlier_export(
    make_project: MakeProject, tmp_path: Path
) -> None:
    briefing = make_project()
    loaded = load_briefing(briefing)
    out = tmp_path / "out"
    out.mkdir()
    # The default: the briefing's id and the form's suffix, in the folder given.
    assert default_target(loaded, "markdown", out) == out / "test-briefing.md"
    with pytest.raises(SaveRefused, match="No file name"):
        target_of(loaded, "markdown", "  ", out)
    # A folder gets the default name; a relative path is taken from the folder.
    assert target_of(loaded, "json", str(out), tmp_path) == out / "test-briefing.json"
    assert target_of(loaded, "json", "out/x.json", tmp_path) == out / "x.json"
    first = save(loaded, "markdown", out / "test-briefing.md")
    again = save(loaded, "markdown", out / "test-briefing.md")
    assert (first.replaced, again.replaced) == (False, True)
    assert sorted(p.name for p in out.iterdir()) == ["test-briefing.md"]
    # Never the briefing, a source, nor either under another name.
    source = briefing.parent.parent / "seeds" / "source.txt"
    (out / "link.yaml").symlink_to(briefing)
    os.link(source, out / "hard.txt")
    kept = {p: p.read_bytes() for p in (briefing, source)}
    for target, what in (
        (briefing, "the briefing itself"),
        (source, "a source of the briefing"),
        (out / "link.yaml", "the briefing itself"),
        (out / "hard.txt", "a source of the briefing"),
        (briefing.parent / ".." / "briefings" / briefing.name, "the briefing itself"),
    ):
        with pytest.raises(SaveRefused, match=what):
            save(loaded, "json", target_of(loaded, "json", str(target), tmp_path))
    assert {p: p.read_bytes() for p in kept} == kept
    with pytest.raises(SaveRefused, match="There is no folder"):
        save(loaded, "json", out / "missing" / "x.json")


@pytest.mark.parametrize(("width", "outlet"), [(120, False), (160, True)])
def test_the_header_shows_the_outlet_whole_or_not_at_all(width: int, outlet: bool) -> None:
    """At 120 columns the header ended in "·…": an outlet cut to nothing, a stub that says
    nothing. The outlet shows when it has room; the date and grade always do."""
    from tests.conftest import SEED_BRIEFING
    from tests.test_density import lines_in

    async def body(app: BriefingApp, pilot: Pilot[object]) -> None:
        line = lines_in(app, app.screen.query_one("#header-bar").region)[0].rstrip()
        assert "·…" not in line and "·  …" not in line
        assert ("outlet not stated" in line) is outlet
        assert line.endswith("5 Nov 2014 (inferred)  ·  reliability F  TLP:CLEAR")

    run_reader(SEED_BRIEFING, body, size=(width, 30))
