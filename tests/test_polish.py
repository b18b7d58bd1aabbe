"""Small findings of the reader's polish (issue 12): the timeline, the library, export, search.

pytest-asyncio is not installed: each test runs its own event loop through tests.test_reader.run.
"""

from __future__ import annotations

import re

from textual.pilot import Pilot

from tests.conftest import MakeProject, minimal_yaml
from tests.test_reader import panes, run
from tui.app import BriefingApp
from tui.describe import TIMELINE_LEGEND
from tui.widgets.outline import TIMELINE, Outline, item_of


def empty_yaml() -> str:
    """A valid briefing with no items at all."""
    text = minimal_yaml()
    return text[: text.index("parties:")] + "parties: []\n"


def notices(app: BriefingApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def test_item_commands_on_an_empty_briefing_say_why_they_do_nothing(
    make_project: MakeProject,
) -> None:
    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        screen, _outline, _detail, _source = panes(app)
        assert screen.place is None
        await pilot.press("y")
        await pilot.pause()
        assert notices(app) == ["No item selected: this briefing has no items"]
        app.clear_notifications()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")  # the first choice: copy this item
        await pilot.pause()
        assert notices(app) == ["No item selected: this briefing has no items"]

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
            re.search(r"(Drill|Arms sale|Statement|Event|Agreement): ", x).start() for x in items
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
        await pilot.press("tab", "7")
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
