"""A changed source does not lock a briefing: the loader keeps the partial result, the reader
opens it with its lost quotes marked, the library lists it as openable, and nothing false is
ever shown as evidence. Evidence is resolved once, by the loader, for every tool."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from tests.conftest import SEED_BRIEFING, SEED_SOURCE, MakeProject, minimal_yaml, reader
from tui import authoring
from tui.cli import main
from tui.export import to_data, to_markdown, to_stix_bundle
from tui.loader import BriefingError, Loaded, load_briefing, parse_briefing
from tui.screens.briefing import BriefingScreen
from tui.screens.errors import ErrorScreen
from tui.screens.library import LibraryScreen
from tui.widgets.detail import Detail
from tui.widgets.outline import Outline
from tui.widgets.source_view import SourceView

INSERTED = "An inserted paragraph that says nothing about the matter at hand.\n\n"
LOST = ["putin", "xi-jinping"]
"""The seed's items whose quote, once a paragraph is inserted, stands in two places."""


def drifted_seed(tmp_path: Path) -> Path:
    """A copy of the bundled briefing whose source gained one paragraph near its start."""
    (tmp_path / "briefings").mkdir()
    (tmp_path / "seeds").mkdir()
    briefing = tmp_path / "briefings" / SEED_BRIEFING.name
    shutil.copy(SEED_BRIEFING, briefing)
    text = SEED_SOURCE.read_text(encoding="utf-8")
    at = text.index("Ahead of a meeting")
    (tmp_path / "seeds" / SEED_SOURCE.name).write_text(text[:at] + INSERTED + text[at:], "utf-8")
    return briefing


def partial_of(path: Path) -> BriefingError:
    with pytest.raises(BriefingError) as caught:
        load_briefing(path)
    return caught.value


# --- the loader -------------------------------------------------------------------------------


def test_a_drifted_briefing_is_invalid_but_openable_with_its_resolutions(tmp_path: Path) -> None:
    error = partial_of(drifted_seed(tmp_path))
    assert error.openable
    partial = error.partial
    assert partial is not None
    # Every anchor is resolved: items and source notes alike.
    briefing = partial.briefing
    assert list(partial.evidence) == [item.id for _loc, item in briefing.items()]
    assert [len(r) for r in partial.note_evidence] == [
        len(n.evidence) for n in briefing.source_notes
    ]
    lost = [item for item, resolved in partial.evidence.items() if any(e.lost for e in resolved)]
    assert lost == LOST
    for item in LOST:
        (evidence,) = partial.evidence[item]
        assert evidence.status == "lost" and evidence.span is None
        assert evidence.message.startswith("lost: it now occurs 2 times")
    statuses = {e.status for _loc, r in partial.anchored() for e in r}
    assert statuses == {"resolves", "moved", "lost"}
    moved = next(e for _loc, r in partial.anchored() for e in r if e.status == "moved")
    assert moved.span is not None and moved.span == moved.found and moved.score == 1.0
    assert partial.drift_reason() == "source changed: 2 quotes lost"
    # Errors first, then warnings, each in file order.
    severities = [d.severity for d in error.diagnostics]
    assert severities == sorted(severities, key=lambda s: s != "error")
    assert severities[:2] == ["error", "error"] and len(severities) > 30
    errors = [d for d in error.diagnostics if d.severity == "error"]
    assert all(d.drift for d in errors)
    assert [d.line for d in errors] == sorted(d.line for d in errors)


def test_validate_lists_errors_first_and_still_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["validate", str(drifted_seed(tmp_path))])
    lines = capsys.readouterr().out.splitlines()
    assert code != 0
    assert [": error: " in line for line in lines[:2]] == [True, True]
    assert not any(": error: " in line for line in lines[2:])
    assert "1 invalid: 2 errors" in lines[-1]


OLD = "Title line\n\nAlice met Bob in Paris on Monday.\n\nBob sold 3 tanks to Alice.\n"
TANKS = """arms_sales:
  - id: tanks
    title: Tanks for Alice
    supplier: bob
    recipient: alice
    status: delivered
    confidence: high
    evidence:
      - {paragraph: 3, quote: Bob sold 3 tanks to Alice}
"""


def test_a_reworded_number_is_lost_for_the_reader_but_found_for_the_writer(
    make_project: MakeProject,
) -> None:
    """'3' became '4': the passage says something else. Not evidence, but kept (found) for
    validate --propose-fixes."""
    new = OLD.replace("3 tanks", "4 tanks")
    error = partial_of(make_project(minimal_yaml(OLD, body=TANKS), new))
    assert error.openable and error.partial is not None
    (evidence,) = error.partial.evidence["tanks"]
    assert evidence.span is None and evidence.lost
    assert evidence.status == "moved" and evidence.found is not None
    assert evidence.changed is not None and "a number" in evidence.changed
    assert 0.85 <= evidence.score < 1.0
    assert error.partial.lost() == [evidence]
    # Nothing cites the reworded passage, and no export gives it a paragraph.
    markdown = to_markdown(error.partial)
    assert "quote lost: the source changed" in markdown and "¶3[^" not in markdown
    data = to_data(error.partial)
    assert data["briefing"]["arms_sales"][0]["evidence"][0]["resolved"] is None


def test_errors_that_are_not_drift_do_not_open_but_keep_the_partial(
    make_project: MakeProject,
) -> None:
    bad = minimal_yaml().replace("quote: Alice met Bob}", "quote: Alice met Carol}")
    error = partial_of(make_project(bad))
    assert not error.openable
    assert error.partial is not None  # the schema is valid: tools still get the resolutions
    (evidence,) = error.partial.evidence["alice"]
    assert evidence.status == "lost" and "not in the source" in evidence.message
    schema = partial_of(make_project(minimal_yaml().replace("kind: person", "kind: robot", 1)))
    assert schema.partial is None and not schema.openable


def test_a_withheld_source_stays_withheld(make_project: MakeProject) -> None:
    """A changed source in which no quote is found could be any file: never shown."""
    error = partial_of(make_project(minimal_yaml(OLD), "Something else entirely.\n"))
    assert error.openable and error.partial is not None
    assert error.partial.sources == {} and error.partial.withheld == ["src"]
    assert error.partial.drift_reason() == "source changed: 1 source withheld"


def test_warm_and_cold_loads_of_a_drifted_valid_briefing_agree(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Moved quotes (statuses, messages, source notes) read back from the cache as they were."""
    note = (
        "source_notes:\n  - kind: other\n    note: A note.\n"
        "    evidence:\n      - {paragraph: 3, quote: Bob sold 3 tanks}\n"
    )
    path = make_project(minimal_yaml(OLD, body=note), "Title\n\nNew.\n\n" + OLD.split("\n\n", 1)[1])

    def seen(loaded: Loaded) -> tuple[object, ...]:
        return (loaded.evidence, loaded.note_evidence, loaded.withheld, loaded.diagnostics)

    with monkeypatch.context() as patched:
        patched.setenv("BRIEFING_NO_CACHE", "1")
        cold = seen(load_briefing(path))
    assert seen(load_briefing(path)) == cold  # writes the entry
    assert seen(load_briefing(path)) == cold  # reads it
    (moved,) = cold[1][0]
    assert moved.status == "moved" and moved.message == "moved to paragraph 4"


# --- export and authoring read the loader's resolutions -------------------------------------


def test_export_and_fixes_read_the_loaded_resolutions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither export nor propose-fixes relocates a quote itself: after the load, relocating
    fails the test."""
    import tui.loader
    import tui.source

    path = drifted_seed(tmp_path)
    error = partial_of(path)
    assert error.partial is not None

    relocate, ranked, parse = tui.source.relocate, tui.source.SourceText.ranked, parse_briefing
    checking = [False]  # True while propose-fixes validates its patched text (a new load)

    def refuse(original: Callable[..., object]) -> Callable[..., object]:
        def patched(*args: object, **kwargs: object) -> object:
            assert checking[0], "relocated again"
            return original(*args, **kwargs)

        return patched

    def load(_path: Path) -> Loaded:
        raise error

    def check(*args: Any, **kwargs: Any) -> Loaded:
        checking[0] = True
        try:
            return parse(*args, **kwargs)
        finally:
            checking[0] = False

    monkeypatch.setattr(tui.source, "relocate", refuse(relocate))
    monkeypatch.setattr(tui.loader, "relocate", refuse(relocate))
    monkeypatch.setattr(tui.source.SourceText, "ranked", refuse(ranked))
    monkeypatch.setattr(authoring, "load_briefing", load)
    monkeypatch.setattr(authoring, "parse_briefing", check)
    to_markdown(error.partial), to_data(error.partial), to_stix_bundle(error.partial)
    proposal = authoring.propose_fixes(path)
    assert not proposal.ok and proposal.diff  # moved ones fixed, the two lost ones by hand
    end = next(n for n, note in enumerate(proposal.notes) if note.startswith("some quotes"))
    assert sum(": quote lost: " in note for note in proposal.notes[:end]) == 2


# --- the reader and the library ---------------------------------------------------------------


def test_the_reader_opens_a_drifted_briefing_with_lost_quotes_marked(tmp_path: Path) -> None:
    path = drifted_seed(tmp_path)

    async def main() -> None:
        async with reader(path) as (app, pilot):
            screen = app.screen
            assert isinstance(screen, BriefingScreen), type(screen).__name__
            outline = screen.query_one(Outline)
            labels = [outline.get_option_at_index(i).prompt for i in range(outline.option_count)]
            texts = [str(getattr(label, "plain", label)) for label in labels]
            assert texts[0] == "! quote lost in the source"  # the legend
            marked = [t for t in texts if t.startswith("! ")][1:]
            assert marked == ["! Vladimir Putin", "! Xi Jinping"]
            assert "  Russia" in texts  # unmarked rows keep their indent
            assert any(
                n.message.startswith("source changed: 2 quotes lost") for n in app._notifications
            )
            source = screen.query_one(SourceView)
            assert outline.select_item("xi-jinping")
            await pilot.pause()
            assert screen.place is not None and screen.place.item == "xi-jinping"
            detail = screen.query_one(Detail)
            rows = [r.text for r in detail.rows]
            (lost,) = [r for r in rows if "quote lost" in r]
            assert rows[0] == lost  # first: at 80x24 the evidence rows were below the fold
            assert lost.startswith("! quote lost: the source changed; it now occurs 2 times")
            assert lost.endswith("as written: “Chinese President Xi Jinping”")
            assert source.highlight is None  # nothing in the source is shown as the quote
            status = str(screen.query_one("#status", Static).render())
            assert "quote lost" in status and "¶" not in status
            screen.action_evidence(1)
            await pilot.pause()
            assert source.highlight is None
            screen.action_copy()  # the quote as written, said to be lost: no paragraph cited
            assert app.clipboard.endswith(", quote lost: the source changed)")
            # A moved quote is still shown where it now stands.
            assert outline.select_item("china")
            await pilot.pause()
            assert source.highlight is not None

    asyncio.run(main())


def test_the_library_lists_a_drifted_briefing_as_openable(tmp_path: Path) -> None:
    path = drifted_seed(tmp_path)

    async def main() -> None:
        async with reader(path.parent, rounds=3) as (app, pilot):
            screen = app.screen
            assert isinstance(screen, LibraryScreen)
            table = screen.query_one("#table", DataTable)
            (row,) = [[str(getattr(c, "plain", c)) for c in table.get_row_at(0)]]
            assert row[0].startswith("! Russia and China") and "invalid" not in row
            why = str(screen.query_one("#why", Static).render())
            assert "source changed: 2 quotes lost" in why and "invalid" not in why
            assert screen.query_one("#why", Static).size.height == 1  # one line at 80 columns
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, BriefingScreen)
            assert not isinstance(app.screen, ErrorScreen)

    asyncio.run(main())


def test_the_index_row_of_a_drifted_briefing(tmp_path: Path) -> None:
    import os

    from tui.index.rows import read_rows

    path = drifted_seed(tmp_path)
    rows = read_rows(path, str(path.parent), os.stat(path))
    record = rows.record
    assert record[6] == 1  # valid: the reader opens it
    assert record[11] == "source changed: 2 quotes lost"
    stored = json.loads(record[12])
    assert stored[0][2] == "error"
    assert rows.items  # its items are searchable like any other briefing's


def test_the_reader_opens_a_withheld_source_without_showing_it(make_project: MakeProject) -> None:
    secret = "PRIVATE KEY 1234 do not show\n"
    path = make_project(minimal_yaml(OLD), secret)

    async def main() -> None:
        async with reader(path) as (app, _pilot):
            screen = app.screen
            assert isinstance(screen, BriefingScreen)
            source = screen.query_one(SourceView)
            assert source.source is None  # withheld: its text is never drawn
            shown = "".join(
                source.render_line(y).text for y in range(source.scrollable_content_region.height)
            )
            assert "is not shown" in shown and "PRIVATE" not in shown
            assert screen.loaded is not None and not screen.loaded.sources

    asyncio.run(main())
    # Nor does the library's full-text index hold a word of it.
    import os

    from tui.index.rows import read_rows

    rows = read_rows(path, str(path.parent), os.stat(path))
    assert not [doc for doc in rows.docs if doc[0] == "paragraph"]
    assert "PRIVATE" not in repr(rows)
