"""Edit mode (tui/screens/edit.py) under Pilot: every key, undo of every kind of change, the
file changed on disk, and the plain reader that never writes.

pytest-asyncio is not installed: each test runs its own event loop (`edit`).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tui.app import BriefingApp

from .conftest import ROOT, SEED_BRIEFING, notices, wait_loaded


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """The bundled briefing and its source, copied: edit mode writes to the copy."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "briefings").mkdir()
    target = tmp_path / "briefings" / SEED_BRIEFING.name
    shutil.copy(SEED_BRIEFING, target)
    return target


@contextlib.asynccontextmanager
async def editor(
    target: Path, size: tuple[int, int] = (80, 24)
) -> AsyncIterator[tuple[BriefingApp, Pilot[Any]]]:
    from .conftest import _NOTICES

    app = BriefingApp(target, edit=True)
    _NOTICES[app] = heard = []
    real = app.notify

    def notify(message: str, **options: Any) -> None:
        heard.append(str(message))
        real(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await wait_loaded(pilot)
        yield app, pilot


Step = Callable[[BriefingApp, Pilot[Any]], Awaitable[None]]


def edit(target: Path, body: Step, size: tuple[int, int] = (80, 24)) -> None:
    """Open target in edit mode, wait for the load, run body."""

    async def main() -> None:
        async with editor(target, size) as (app, pilot):
            await body(app, pilot)

    asyncio.run(main())


async def settle(pilot: Pilot[Any]) -> None:
    """Let the app answer, and every change asked for be saved (they are saved in a thread,
    one at a time) and shown."""
    from tui.screens.edit import EditScreen

    await pilot.pause()
    for _ in range(2_000):  # a bound, not a time: each round is one trip through the loop
        editing = [s for s in pilot.app.screen_stack if isinstance(s, EditScreen)]
        if not editing or not editing[0].saving:
            break
        await pilot.pause(0.005)
    await pilot.pause()


def _screen(app: BriefingApp) -> Any:
    from tui.screens.edit import EditScreen

    screen = app.screen
    assert isinstance(screen, EditScreen)
    return screen


def test_the_header_says_editing(seed_copy: Path) -> None:
    async def body(app: BriefingApp, _pilot: Pilot[Any]) -> None:
        screen = _screen(app)
        assert str(screen.query_one("#editing").render()) == "EDITING"
        assert screen.place is not None and screen.place.item == "russia"

    edit(seed_copy, body)


def test_remove_asks_then_undo_and_redo(seed_copy: Path) -> None:
    before = seed_copy.read_bytes()

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        screen = _screen(app)
        screen.go_to("putin-ww2-allies")
        await pilot.press("d")
        await pilot.press("escape")  # no: nothing changes
        assert seed_copy.read_bytes() == before
        await pilot.press("d", "enter")
        await settle(pilot)
        assert b"id: putin-ww2-allies\n" not in seed_copy.read_bytes()
        assert screen.place is not None and screen.place.item == "putin-combat-comradeship"
        assert "Removed" in screen._status_text
        await pilot.press("u")
        await settle(pilot)
        assert seed_copy.read_bytes() == before
        assert screen.place is not None and screen.place.item == "putin-ww2-allies"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert b"id: putin-ww2-allies\n" not in seed_copy.read_bytes()

    edit(seed_copy, body)


def test_a_change_that_adds_errors_is_refused_with_the_reason(seed_copy: Path) -> None:
    before = seed_copy.read_bytes()

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        screen = _screen(app)
        assert screen.place is not None and screen.place.item == "russia"
        await pilot.press("d", "enter")  # other items name russia
        await settle(pilot)
        assert seed_copy.read_bytes() == before
        said = notices(app)[-1]
        assert said.startswith("Refused, nothing written:") and "russia" in said
        assert screen.place.item == "russia"

    edit(seed_copy, body)


def test_the_plain_reader_never_writes(seed_copy: Path) -> None:
    """`briefing FILE` has none of edit mode's keys: pressing them all writes nothing."""
    folder = seed_copy.parent
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}

    async def main() -> None:
        from tui.screens.edit import EditScreen

        app = BriefingApp(seed_copy)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_loaded(pilot)
            assert not isinstance(app.screen, EditScreen)
            assert not app.screen.query("#editing")
            for key in ("a", "c", "P", "f", "d", "enter", "x", "E", "u", "ctrl+r", "p", "y"):
                await pilot.press(key)
                await settle(pilot)
                while len(app.screen_stack) > 2:  # a screen a key opened (none should)
                    app.pop_screen()
                    await settle(pilot)

    asyncio.run(main())
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert after == before


def test_a_file_changed_on_disk_is_reloaded_or_refused_never_overwritten(seed_copy: Path) -> None:
    theirs = seed_copy.read_text(encoding="utf-8").replace(
        "title: Russia and China", "title: THEIRS Russia and China", 1
    )
    assert "THEIRS" in theirs

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        from tui.screens.edit import Confirm

        screen = _screen(app)
        screen.go_to("putin-ww2-allies")
        seed_copy.write_text(theirs, encoding="utf-8")  # someone else's edit
        await pilot.press("d", "enter")  # remove: asked, then the file is found changed
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("escape")  # keep the screen: nothing written
        await settle(pilot)
        assert seed_copy.read_text(encoding="utf-8") == theirs
        assert "changed on disk" in notices(app)[-1]
        await pilot.press("d", "enter")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("enter")  # reload: theirs is shown, still nothing written
        await settle(pilot)
        assert seed_copy.read_text(encoding="utf-8") == theirs
        assert screen.loaded is not None and screen.loaded.briefing.title.startswith("THEIRS")
        assert screen.place is not None and screen.place.item == "putin-ww2-allies"
        await pilot.press("d", "enter")  # now the change is made on their text
        await settle(pilot)
        text = seed_copy.read_text(encoding="utf-8")
        assert "THEIRS" in text and "id: putin-ww2-allies" not in text

    edit(seed_copy, body)


def test_editor_opens_at_the_item_line_and_reloads_on_return(
    seed_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[list[str]] = []

    def fake_editor(self: Any, command: list[str]) -> None:
        ran.append(command)
        text = seed_copy.read_text(encoding="utf-8")
        seed_copy.write_text(text.replace("name: China\n", "name: Cathay\n", 1), encoding="utf-8")

    monkeypatch.setenv("EDITOR", "myeditor --wait")
    monkeypatch.delenv("VISUAL", raising=False)
    from tui.screens.edit import EditScreen

    monkeypatch.setattr(EditScreen, "run_editor", fake_editor)

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        screen = _screen(app)
        screen.go_to("china")
        await pilot.press("E")
        await settle(pilot)
        line = seed_copy.read_text(encoding="utf-8").splitlines().index("  - id: china") + 1
        assert ran == [["myeditor", "--wait", f"+{line}", str(seed_copy)]]
        assert screen.links is not None and screen.links.name("china") == "Cathay"
        assert screen.place is not None and screen.place.item == "china"
        await pilot.press("E")  # no change this time: nothing reloaded, nothing written
        await settle(pilot)

    edit(seed_copy, body)


def _item(path: Path, item_id: str) -> Any:
    """An item of the briefing as now written."""
    from tui.loader import load_briefing

    return next(item for _loc, item in load_briefing(path).briefing.items() if item.id == item_id)


async def select(pilot: Pilot[Any], words: str, start: str = "", end: str = "") -> None:
    """Select words in the source with the keys alone: / finds them (or start, words they
    begin with: the caret to their start), v starts the selection, / again extends it to
    their end (or to the end of end, words they end with)."""
    from tui.widgets.source_view import SourceView

    view = pilot.app.screen.query_one(SourceView)
    view.focus()
    await settle(pilot)
    if view.selection is not None:  # one left from a creation cancelled
        await pilot.press("escape")
    for typed in (start or words, "", end or words):
        if not typed:
            await pilot.press("v")
            continue
        await pilot.press("slash")
        await settle(pilot)
        # The words go into the prompt at once: a key a character cost 0.1 s under Pilot.
        from textual.widgets import Input

        pilot.app.screen.query_one(Input).value = typed
        await pilot.press("enter")
        await settle(pilot)
    assert view.selection is not None
    assert view.source is not None
    text = view.source.paragraph(view.selection.paragraph).text
    assert text[view.selection.start : view.selection.end] == words


def test_attach_writes_the_shortest_anchor_and_undo_restores_the_bytes(seed_copy: Path) -> None:
    before = seed_copy.read_bytes()

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        screen = _screen(app)
        screen.go_to("china")
        await pilot.press("a")  # no selection: said, nothing written
        await settle(pilot)
        assert "Select words first" in notices(app)[-1]
        await select(pilot, "Chinese Presidents")
        await pilot.press("a")
        await settle(pilot)
        added = _item(seed_copy, "china").evidence[-1]
        assert added.model_dump(exclude_none=True) == {"quote": "Chinese Presidents"}
        assert screen.place is not None and screen.place.item == "china"
        assert screen.place.evidence == 2  # the new, third piece of evidence is shown
        assert screen.links is not None and len(screen.links.evidence("china")) == 3
        await pilot.press("u")
        await settle(pilot)
        assert seed_copy.read_bytes() == before

    edit(seed_copy, body)


def test_x_removes_the_evidence_shown_and_undo_puts_it_back(seed_copy: Path) -> None:
    before = seed_copy.read_bytes()

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        screen = _screen(app)
        screen.go_to("china")
        await pilot.press("]")  # the second quote: "military ties between Russia and China"
        await pilot.press("x")
        await settle(pilot)
        quotes = [a.quote for a in _item(seed_copy, "china").evidence]
        assert quotes == ["Russia and China boost military cooperation"]
        assert screen.links is not None and len(screen.links.evidence("china")) == 1
        await pilot.press("x")  # the last one: the item would have no evidence
        await settle(pilot)
        assert notices(app)[-1].startswith("Refused, nothing written:")
        await pilot.press("u")
        await settle(pilot)
        assert seed_copy.read_bytes() == before

    edit(seed_copy, body)


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """What `briefing new` writes for a copy of the bundled article: every section empty."""
    from tui.authoring import new_briefing

    source = tmp_path / "article.txt"
    shutil.copy(ROOT / "seeds" / "russia-china-military-cooperation-2014.txt", source)
    return new_briefing(source, tmp_path / "article.yaml")


def test_new_party_in_two_keys_and_undo(fresh: Path) -> None:
    before = fresh.read_bytes()

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        from tui.screens.form import ItemForm

        screen = _screen(app)
        assert screen.place is None
        await select(pilot, "Russian President Vladimir Putin")
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, ItemForm)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        putin = _item(fresh, "vladimir-putin")
        assert (putin.kind, putin.name, putin.role) == (
            "person",
            "Vladimir Putin",
            "Russian President",
        )
        assert putin.evidence[0].quote == "Russian President Vladimir Putin"
        assert screen.place is not None and screen.place.item == "vladimir-putin"
        # The file is what it was plus the item: every line before `parties:` is unchanged.
        old, new = before.decode().splitlines(), fresh.read_text(encoding="utf-8").splitlines()
        cut = old.index("parties: []")
        assert new[:cut] == old[:cut] and new[new.index("agreements: []") :] == old[cut + 1 :]
        await pilot.press("u")
        await settle(pilot)
        assert fresh.read_bytes() == before
        assert screen.place is None or screen.links is None or not screen.links.items

    edit(fresh, body)


async def _russia_and_putin(pilot: Pilot[Any]) -> None:
    """Make the two parties the drill and the statement name, each from its selected name."""
    for name in ("Russia", "Russian President Vladimir Putin"):
        await select(pilot, name)
        await pilot.press("P", "enter")
        await settle(pilot)
    parties = _screen(pilot.app).loaded.briefing.parties
    assert {p.id for p in parties} == {"russia", "vladimir-putin"}


def test_create_a_drill_and_its_contribution(fresh: Path) -> None:
    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        from tui.screens.form import ItemForm, SectionPicker

        screen = _screen(app)
        await _russia_and_putin(pilot)

        await select(
            pilot,
            "joint drills with China and other SCO-members in August this year",
            "joint drills with",
            "this year",
        )
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, SectionPicker)
        await pilot.press("3")  # drills
        await settle(pilot)
        assert isinstance(app.screen, ItemForm)
        await pilot.press("space")  # on the first field asked: participants, Russia ticked
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen, [str(e) for e in app.screen.query(".error")]
        drill_id = screen.place.item
        drill = _item(fresh, drill_id)
        assert drill.date.reported == "in August this year"  # no publication date: no value
        assert drill.participants == ["russia"]

        await select(pilot, "Russia had sent over 1,000 troops", "Russia had", "troops")
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("end", "enter")  # the last choice: a contribution to this drill
        await settle(pilot)
        assert isinstance(app.screen, ItemForm)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        drill = _item(fresh, drill_id)
        (troops,) = drill.contributions
        assert (troops.party, troops.equipment, troops.quantity.value) == ("russia", "troops", 1000)
        assert [a.quote for a in drill.evidence][-1] == "Russia had sent over 1,000 troops"
        assert screen.place.item == drill_id

        for _ in range(2):  # the contribution, the drill
            await pilot.press("u")
            await settle(pilot)
        assert [p.id for p in screen.loaded.briefing.parties] == ["russia", "vladimir-putin"]
        assert not screen.loaded.briefing.drills

    edit(fresh, body)


def test_create_a_statement(fresh: Path) -> None:
    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        from tui.screens.form import ItemForm

        screen = _screen(app)
        await _russia_and_putin(pilot)

        words = "Moscow has secured $7.7 billion in arms contracts with global clients this year"
        await select(pilot, words, "Moscow has", "this year")
        await pilot.press("c", "6")  # statements
        await settle(pilot)
        assert isinstance(app.screen, ItemForm)
        await pilot.press("enter")  # speaker, text and mode are asked: not given by the words
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ItemForm) and form.errors
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert not screen.loaded.briefing.statements

        quoted = (
            '"We remember that in the Second World War years our countries were allies and '
            'fought with the aggressor together," Putin said'
        )
        await select(pilot, quoted, '"We remember', "Putin said")
        await pilot.press("c", "6", "enter")  # speaker, words and mode read from the quote
        await settle(pilot)
        assert app.screen is screen
        (said,) = screen.loaded.briefing.statements
        assert (said.speaker, said.mode) == ("vladimir-putin", "direct")
        assert said.text.startswith("We remember that in the Second World War years")
        assert screen.place.item == said.id

        await pilot.press("u")
        await settle(pilot)
        assert [p.id for p in screen.loaded.briefing.parties] == ["russia", "vladimir-putin"]
        assert not screen.loaded.briefing.statements

    edit(fresh, body)


def test_f_edits_fields_in_the_form_changing_only_their_lines(seed_copy: Path) -> None:
    before = seed_copy.read_text(encoding="utf-8")

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        from textual.widgets import Input

        from tui.screens.form import ItemForm

        screen = _screen(app)
        screen.go_to("china")
        await pilot.press("f")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ItemForm)
        await pilot.press("enter")  # nothing changed: said, nothing written
        await settle(pilot)
        assert app.screen is screen and notices(app)[-1] == "No field changed"
        assert seed_copy.read_text(encoding="utf-8") == before
        await pilot.press("f")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ItemForm)
        (name,) = [w for w, spec in form._by_widget.items() if spec.name == "name"]
        field = form.query_one(f"#{name}", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"PRC", "enter")
        await settle(pilot)
        assert app.screen is screen
        after = seed_copy.read_text(encoding="utf-8")
        changed = [
            (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
        ]
        assert changed == [("    name: China", "    name: PRC")]
        assert screen.links is not None and screen.links.name("china") == "PRC"
        assert screen.place is not None and screen.place.item == "china"
        await pilot.press("u")
        await settle(pilot)
        assert seed_copy.read_text(encoding="utf-8") == before

    edit(seed_copy, body)


def test_proposals_accept_reject_and_edit(fresh: Path) -> None:
    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        from tui.screens.form import ItemForm
        from tui.screens.proposals import ProposalsScreen

        screen = _screen(app)
        await pilot.press("p")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, ProposalsScreen)
        first = listing.proposals[0]
        assert (first.kind, first.words) == ("state", "Russia")
        await pilot.press("A")  # Russia: accepted, written at once
        await settle(pilot)
        assert [p.name for p in screen.loaded.briefing.parties] == ["Russia"]
        assert listing.proposals[0].words == "China"
        await pilot.press("X")  # China: rejected, nothing written
        await settle(pilot)
        assert [p.name for p in screen.loaded.briefing.parties] == ["Russia"]
        await pilot.press("enter")  # Xinhua: the form first
        await settle(pilot)
        assert isinstance(app.screen, ItemForm)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is listing
        assert [p.name for p in screen.loaded.briefing.parties] == ["Russia", "Xinhua"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("p")  # again: what the briefing names is no longer proposed
        await settle(pilot)
        names = [p.words for p in app.screen.proposals if p.section == "parties"]
        assert "Russia" not in names and "Xinhua" not in names and "China" in names
        await pilot.press("escape")
        await pilot.press("u", "u")
        await settle(pilot)
        assert not screen.loaded.briefing.parties

    edit(fresh, body)


def test_errors_show_in_the_item_and_are_counted(seed_copy: Path) -> None:
    text = seed_copy.read_text(encoding="utf-8")
    broken = text.replace("    speaker: senior-military-officials\n", "    speaker: nobody\n", 1)
    assert broken != text
    seed_copy.write_text(broken, encoding="utf-8")

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        from tui.widgets.detail import Detail

        screen = _screen(app)
        assert "1 error" in screen._status_text
        screen.go_to("officials-agreements-reached")
        rows = screen.query_one(Detail).rows
        errors = [row for row in rows if row.label == "Error"]
        assert errors and "nobody" in errors[0].text
        screen.go_to("putin-ww2-allies")  # a change that adds no error is made
        await pilot.press("d", "enter")
        await settle(pilot)
        assert "id: putin-ww2-allies" not in seed_copy.read_text(encoding="utf-8")
        assert "1 error" in screen._status_text

    edit(seed_copy, body)


def test_the_key_table_covers_every_binding_and_help_lists_it(seed_copy: Path) -> None:
    import re

    from textual.binding import Binding, BindingsMap
    from textual.keys import _character_to_key

    from tui.screens.edit import ALL_KEYS, EditScreen

    listed: set[str] = set()
    for _group, keys, _action, _description, _footer in ALL_KEYS:
        for token in re.split(r" / |,", keys):
            token = token.strip()
            if token.startswith("1-"):
                listed.update(str(n) for n in range(1, int(token[2:]) + 1))
            elif token:
                key = _character_to_key(token) if len(token) == 1 else token
                listed.update(BindingsMap([Binding(key, "x")]).key_to_bindings)
    from tui.screens.briefing import BriefingScreen

    bound = set(BindingsMap([*BriefingScreen.BINDINGS, *EditScreen.BINDINGS]).key_to_bindings)
    assert bound <= listed, bound - listed

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        from textual.widgets import Static

        from tui.screens.help import HelpScreen

        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(str(each.render()) for each in app.screen.query(Static))
        for _group, _keys, _action, description, _footer in ALL_KEYS:
            assert description in shown

    edit(seed_copy, body)


# --- snapshots (update: pytest tests/test_workbench.py -k snapshot --snapshot-update) --------

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_edit_mode_on_open(snap_compare, seed_copy: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def loaded(pilot: Pilot[Any]) -> None:
        await wait_loaded(pilot, 2)

    app = BriefingApp(seed_copy, edit=True)
    assert snap_compare(app, terminal_size=size, run_before=loaded)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_selection(snap_compare, seed_copy: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def selecting(pilot: Pilot[Any]) -> None:
        await wait_loaded(pilot, 2)
        await pilot.press("3", "j")  # the August 2014 drill, its quote in ¶12
        await select(pilot, "13 battle tanks")
        await settle(pilot)

    app = BriefingApp(seed_copy, edit=True)
    assert snap_compare(app, terminal_size=size, run_before=selecting)


def test_editor_runs_with_the_terminal_handed_over(
    seed_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run_editor itself: $EDITOR's words, then +LINE and the file, inside App.suspend."""
    import sys

    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        "line, path = sys.argv[-2], pathlib.Path(sys.argv[-1])\n"
        "assert line.startswith('+') and int(line[1:]) > 1\n"
        "path.write_text(path.read_text().replace('name: China\\n', 'name: Zhongguo\\n', 1))\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    suspended: list[bool] = []

    @contextlib.contextmanager
    def suspend(self: Any) -> Any:
        suspended.append(True)
        yield

    monkeypatch.setattr(BriefingApp, "suspend", suspend)

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        screen = _screen(app)
        screen.go_to("china")
        await pilot.press("E")
        await settle(pilot)
        assert suspended == [True]
        assert screen.links is not None and screen.links.name("china") == "Zhongguo"
        assert "Reloaded" in screen._status_text
        monkeypatch.setenv("VISUAL", str(tmp_path / "no-such-editor"))
        await pilot.press("E")
        await settle(pilot)
        assert notices(app)[-1].startswith("$EDITOR did not run:")

    edit(seed_copy, body)


def test_the_commands_open_edit_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui import cli

    opened: list[tuple[Path, bool]] = []

    def run(self: BriefingApp, *args: Any, **kwargs: Any) -> None:
        opened.append((self.target, self.edit))

    monkeypatch.setattr(BriefingApp, "run", run)
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "seeds" / "russia-china-military-cooperation-2014.txt", "article.txt")
    assert cli.main(["new", "article.txt", "--edit"]) == cli.EXIT_OK
    assert opened == [(Path("article.yaml"), True)]
    assert cli.main(["edit", "article.yaml"]) == cli.EXIT_OK
    assert cli.main(["article.yaml"]) == cli.EXIT_OK  # the reader: not edit mode
    assert opened[1:] == [(Path("article.yaml"), True), (Path("article.yaml"), False)]
    assert cli.main(["edit", "missing.yaml"]) == cli.EXIT_USAGE
    assert cli.main(["edit", "."]) == cli.EXIT_USAGE
    assert cli.main(["new", "article.txt", "--edit"]) == cli.EXIT_INVALID  # never overwrites
    assert len(opened) == 3


def test_the_reader_is_mounted_once(seed_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual calls on_mount along the MRO: edit mode must not call the reader's again (two
    loads started, the first cancelled)."""
    from tui.screens.briefing import BriefingScreen

    mounted: list[object] = []
    real = BriefingScreen.on_mount

    def counted(self: BriefingScreen) -> None:
        mounted.append(self)
        real(self)

    monkeypatch.setattr(BriefingScreen, "on_mount", counted)

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        assert mounted == [app.screen]
        assert len(app.screen.query("#editing")) == 1

    edit(seed_copy, body)


# --- the header (H), changes saved in a thread, a proposal's cancelled form -----------------


def _field(form: Any, name: str) -> Any:
    (widget_id,) = [w for w, spec in form._by_widget.items() if spec.name == name]
    return form.query_one(f"#{widget_id}")


def _choose(form: Any, name: str, key: str) -> None:
    field = _field(form, name)
    field.index = [k for k, _label in field.choices].index(key)


def test_header_fixes_the_skeleton_placeholders_and_strict_validate_passes(
    fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    before = fresh.read_text(encoding="utf-8")
    assert main(["validate", "--strict", str(fresh)]) != 0  # the skeleton's four TODOs
    capsys.readouterr()

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        from tui.screens.form import ItemForm

        screen = _screen(app)
        assert screen._status_text.startswith("4 TODOs")
        await pilot.press("H")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ItemForm) and form.kind == "briefing"
        assert [s.name for s in form.shown] == [
            "title",
            "summary",
            "analyst",
            "created",
            "modified",
            "tlp",
        ]
        _field(form, "summary").value = "Russia and China agreed closer ties; no terms given."
        _choose(form, "tlp", "amber")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ItemForm) and form.kind == "source"
        _choose(form, "reliability", "C")
        _field(form, "reliability_basis").value = "A state agency: accurate on what was said."
        await pilot.press("enter")  # language: en is kept, which confirms it
        await settle(pilot)
        assert app.screen is screen
        assert screen.loaded.briefing.tlp == "amber"
        assert screen.loaded.briefing.sources[0].reliability == "C"
        assert "TODO:" not in fresh.read_text(encoding="utf-8").split("#\n", 1)[0]
        assert main(["validate", "--strict", str(fresh)]) == 0
        assert "TODO" not in screen._status_text
        # Two changes, each undone: the skeleton's bytes again.
        await pilot.press("u", "u")
        await settle(pilot)
        assert fresh.read_text(encoding="utf-8") == before

    edit(fresh, body)


def test_header_escape_changes_nothing(fresh: Path) -> None:
    before = fresh.read_bytes()

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        screen = _screen(app)
        await pilot.press("H")
        await settle(pilot)
        _field(app.screen, "summary").value = "Not kept."
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and fresh.read_bytes() == before

    edit(fresh, body)


class _Gate:
    """Holds the session's writes until opened: a change is then still being saved."""

    def __init__(self, session: Any) -> None:
        import threading

        self.open = threading.Event()
        self.entered = threading.Event()
        self.calls: list[str] = []
        real = session.apply

        def apply(text: str, label: str, line: int | None = None) -> Any:
            self.calls.append(label)
            self.entered.set()
            self.open.wait(timeout=30)
            return real(text, label, line)

        session.apply = apply


def test_a_second_change_waits_for_the_first_and_neither_is_lost(seed_copy: Path) -> None:
    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        from tui.screens.form import ItemForm

        screen = _screen(app)
        gate = _Gate(screen.session)
        screen.go_to("china")
        await pilot.press("f")
        await pilot.pause()
        _field(app.screen, "name").value = "PRC"
        await pilot.press("enter")
        await pilot.pause()
        while not gate.entered.is_set():
            await pilot.pause(0.005)
        assert screen.saving and "saving…" in screen._status_text
        assert b"name: China\n" in seed_copy.read_bytes()  # not yet written
        # A second change key while the first is saved: queued, made after it, on its text.
        screen.go_to("russia")
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ItemForm)
        _field(app.screen, "name").value = "Russian Federation"
        await pilot.press("enter")
        await pilot.pause()
        assert gate.calls == ["Changed name of china"]  # one at a time
        gate.open.set()
        await settle(pilot)
        assert gate.calls == ["Changed name of china", "Changed name of russia"]
        written = seed_copy.read_text(encoding="utf-8")
        assert "    name: PRC\n" in written and "    name: Russian Federation\n" in written
        assert screen.links is not None and screen.links.name("china") == "PRC"
        await pilot.press("u")
        await settle(pilot)
        written = seed_copy.read_text(encoding="utf-8")
        assert "    name: PRC\n" in written and "    name: Russia\n" in written
        assert "saving…" not in screen._status_text

    edit(seed_copy, body)


def test_quit_during_a_change_writes_it_whole_first(seed_copy: Path) -> None:
    before = seed_copy.read_text(encoding="utf-8")

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        screen = _screen(app)
        gate = _Gate(screen.session)
        screen.go_to("china")
        await pilot.press("f")
        await pilot.pause()
        _field(app.screen, "name").value = "PRC"
        await pilot.press("enter")
        await pilot.pause()
        while not gate.entered.is_set():
            await pilot.pause(0.005)
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and "quitting once saved" in screen._status_text
        assert seed_copy.read_text(encoding="utf-8") == before  # old, whole
        gate.open.set()
        for _ in range(2_000):
            if not app.is_running:
                break
            await pilot.pause(0.005)

    edit(seed_copy, body)
    after = seed_copy.read_text(encoding="utf-8")
    assert after == before.replace("    name: China\n", "    name: PRC\n", 1)  # new, whole


def test_a_proposal_edited_then_cancelled_comes_back(fresh: Path) -> None:
    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        from tui.screens.form import ItemForm
        from tui.screens.proposals import ProposalsScreen

        screen = _screen(app)
        await pilot.press("p")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, ProposalsScreen)
        shown = [p.words for p in listing.proposals]
        await pilot.press("enter")  # the first, in the form
        await settle(pilot)
        assert isinstance(app.screen, ItemForm)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is listing
        assert [p.words for p in listing.proposals] == shown  # back, in its place
        assert not screen.loaded.briefing.parties

    edit(fresh, body)


def test_snapshot_header_form(snap_compare, fresh: Path) -> None:  # type: ignore[no-untyped-def]
    async def header(pilot: Pilot[Any]) -> None:
        await wait_loaded(pilot, 2)
        await pilot.press("H")
        await settle(pilot)

    app = BriefingApp(fresh, edit=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=header)


def test_the_screen_reads_the_text_it_drew_while_a_change_is_written(
    seed_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The saving thread replaces the session's text, then its diagnostics: the status line
    # and the detail's errors are read from what the screen drew until the change lands.
    from tui.editing import Session
    from tui.screens.edit import _Job

    held, release = threading.Event(), threading.Event()
    real = Session._set

    def slow(self: Session, *args: Any) -> None:
        real(self, *args)
        held.set()
        release.wait(10)

    async def body(app: BriefingApp, pilot: Pilot[Any]) -> None:
        screen = _screen(app)
        before = screen._counts()
        assert before == "" and not screen.session.diagnostics
        monkeypatch.setattr(Session, "_set", slow)
        # Another sha256 for the source: two warnings (it changed; the drift report).
        other = re.sub(r"sha256: \S+", "sha256: " + "0" * 64, seed_copy.read_text(encoding="utf-8"))
        screen._submit(_Job("apply", lambda _text: other, "sha256"))
        assert await asyncio.to_thread(held.wait, 10)
        assert len(screen.session.diagnostics) == 2  # written, not yet drawn
        assert screen._counts() == before
        release.set()
        await settle(pilot)
        assert screen._counts() == "2 warnings"

    edit(seed_copy, body)
