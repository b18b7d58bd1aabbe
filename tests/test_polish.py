"""Small findings of the reader's polish (issue 12): the timeline, the library, export, search.

pytest-asyncio is not installed: each test runs its own event loop through tests.test_reader.run.
"""

from __future__ import annotations

from textual.pilot import Pilot

from tests.conftest import MakeProject, minimal_yaml
from tests.test_reader import panes, run
from tui.app import BriefingApp


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
