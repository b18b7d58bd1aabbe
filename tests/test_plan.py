"""The cached first screen (tui/plan.py): a reopened briefing is drawn before the full load,
and what it draws is exactly what the full load draws; any doubt about the files, the entry or
the place to open at means no plan (the loading indicators, as on a first open)."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED_BRIEFING, MakeProject, minimal_yaml
from tui import cache, loader, plan
from tui.app import BriefingApp
from tui.screens import briefing as briefing_screen
from tui.screens.briefing import BriefingScreen
from tui.state import State
from tui.widgets.outline import Outline

SIZE = (100, 30)


PATIENCE = 120
"""Seconds a wait for another thread gives up after: a bound for a hang, never reached by a
slow machine (5 and 10 s were, once, on 2 cores under a load average of 14)."""


def screenshot(app: BriefingApp) -> str:
    """The screen as SVG, without its id: a hash of how Rich's segments are split, which
    differs between frames that draw the same characters in the same styles."""
    return re.sub(r"terminal-\d+", "terminal", app.export_screenshot())


def plans() -> list[Path]:
    base = cache.folder()
    return sorted(base.glob(f"*{plan.SUFFIX}-*.json")) if base else []


async def open_once(path: Path, size: tuple[int, int] = SIZE) -> str:
    """Open path as a user would (the cold open writes the plan); the settled screen."""
    app = BriefingApp(path)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        deadline = time.monotonic() + PATIENCE
        while not plans() and time.monotonic() < deadline:  # written in a thread
            await pilot.pause(0.02)
        return screenshot(app)


async def open_held(
    path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int] = SIZE
) -> tuple[str | None, str]:
    """Open path with the full load held back: the screen before it (None if it shows the
    loading indicators, as without a plan), and the settled screen after it."""
    release = threading.Event()
    real = loader.load_keyed

    def held(target: Path) -> tuple[loader.Loaded, str]:
        release.wait(PATIENCE)
        return real(target)

    monkeypatch.setattr(loader, "load_keyed", held)
    app = BriefingApp(path)
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, BriefingScreen) and screen.links is None
            threaded = briefing_screen.PLAN_INLINE < 1024 * 1024
            deadline = time.monotonic() + (PATIENCE if threaded else 0)
            while screen.query_one(Outline).loading and time.monotonic() < deadline:
                await pilot.pause(0.02)  # a plan read in the loading thread
            before = None if screen.query_one(Outline).loading else screenshot(app)
            if before is not None:
                # Keys wait for the links, and change nothing meanwhile.
                await pilot.press("down", "j", "G", "2", "enter")
                assert screenshot(app) == before
            release.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert screen.links is not None
            return before, screenshot(app)
    finally:
        release.set()


@pytest.mark.parametrize("inline", ["all", "none", "not the source"])
def test_the_cached_first_screen_is_what_the_load_draws(
    monkeypatch: pytest.MonkeyPatch, inline: str
) -> None:
    # Read before the first frame, or (as a large briefing's, or a small one's with a large
    # source) in the loading thread.
    if inline != "all":
        limit = 0 if inline == "none" else SEED_BRIEFING.stat().st_size + 1
        monkeypatch.setattr(briefing_screen, "PLAN_INLINE", limit)
    cold = asyncio.run(open_once(SEED_BRIEFING))
    assert len(plans()) == 1
    before, after = asyncio.run(open_held(SEED_BRIEFING, monkeypatch))
    assert before is not None, "the reopened briefing waited for its load"
    assert before == cold
    assert after == cold


def test_the_cached_first_screen_is_what_the_load_draws_on_a_wide_screen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Wide, the outline is as wide as its names: the plan's frame must not be narrower and
    then jump (and the source be wrapped again) when the load arrives."""
    cold = asyncio.run(open_once(SEED_BRIEFING, (160, 48)))
    before, after = asyncio.run(open_held(SEED_BRIEFING, monkeypatch, (160, 48)))
    assert before == cold
    assert after == cold


async def open_and_move(path: Path) -> str:
    app = BriefingApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("down", "down", "down")
        await pilot.pause()
        return screenshot(app)


def test_a_remembered_place_is_drawn_from_its_own_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    moved = asyncio.run(open_and_move(SEED_BRIEFING))
    # Opened at another item than the plan's: no plan, the load draws it.
    before, after = asyncio.run(open_held(SEED_BRIEFING, monkeypatch))
    assert before is None
    assert after == moved
    # That open kept a plan for where it opened (in place of the other); the next one draws
    # from it.
    deadline = time.monotonic() + PATIENCE
    while plan.read(SEED_BRIEFING, State.load().position) is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert len(plans()) == 1
    before, after = asyncio.run(open_held(SEED_BRIEFING, monkeypatch))
    assert before == moved
    assert after == moved


def edit_source(project: Path) -> None:
    source = project.parent.parent / "seeds" / "source.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new paragraph.\n")


def edit_briefing(project: Path) -> None:
    project.write_text(project.read_text(encoding="utf-8") + "\n# a comment\n")


def tamper(project: Path) -> None:
    for entry in plans():
        data = bytearray(entry.read_bytes())
        data[-2] ^= 1  # inside the payload: the MAC no longer matches
        entry.write_bytes(bytes(data))


def plant(project: Path) -> None:
    for entry in plans():
        entry.write_bytes(entry.read_bytes().replace(b"Alice", b"Mallory"))


@pytest.mark.parametrize("change", [edit_source, edit_briefing, tamper, plant])
def test_no_plan_when_anything_it_stands_for_changed(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, change: Any
) -> None:
    path = make_project(minimal_yaml())
    asyncio.run(open_once(path))
    assert plans()
    change(path)
    before, _after = asyncio.run(open_held(path, monkeypatch))
    assert before is None


def test_plan_read_checks_the_remembered_place(make_project: MakeProject) -> None:
    path = make_project(minimal_yaml())
    asyncio.run(open_once(path))
    first = plan.read(path, lambda _p: None)  # nothing remembered: the first item, the plan's
    assert first is not None
    assert plan.read(path, State.load().position) is not None
    assert plan.read(path, lambda _p: "no-such-item") is not None  # opens at the first item
    other = next(i for i in first.ids if not i.startswith("§") and i != first.item)
    assert plan.read(path, lambda _p: other) is None


def test_a_plan_read_ahead_is_the_plan_read_then(make_project: MakeProject) -> None:
    path = make_project(minimal_yaml())
    asyncio.run(open_once(path))

    def shown(found: plan.Plan | None) -> tuple[Any, ...]:
        assert found is not None
        assert found.source is not None
        return (found.ids, found.header, found.rows, found.source.text, found.span, found.status)

    direct = shown(plan.read(path, lambda _p: None))
    plan.read_ahead(path)
    assert shown(plan.read(path, lambda _p: None)) == direct
    # Taken once; one started for another file is not taken for this one.
    plan.read_ahead(path.with_name("other.yaml"))
    assert shown(plan.read(path, lambda _p: None)) == direct
    assert plan._take_ahead(path.with_name("other.yaml")) == (True, None)
    # Over the limit before the first frame: left for the loading thread's read.
    plan.read_ahead(path)
    assert plan.read(path, lambda _p: None, limit=10) is None
    assert shown(plan.read(path, lambda _p: None)) == direct
    # Read ahead, then the file changed: the plan is of the bytes read, which the full load
    # replaces; a plan read after the change is none.
    plan.read_ahead(path)
    assert plan._ahead is not None
    plan._ahead[1].join()  # read before the change
    edit_briefing(path)
    assert shown(plan.read(path, lambda _p: None)) == direct
    assert plan.read(path, lambda _p: None) is None


def test_no_plan_without_a_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    assert plan.read(SEED_BRIEFING, lambda _p: None) is None


@pytest.mark.parametrize("reopened", [False, True])
def test_the_ui_thread_only_hands_over_what_the_loading_thread_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reopened: bool
) -> None:
    """Links, the outline's rows and the source's wrapping are made off the UI thread (at
    100,000 items they held keys for 3 s there); work counts, not times."""
    from tests.bench.generate import generate
    from tui import links
    from tui.widgets import outline, source_view

    generate(400, 300, 1, tmp_path, "gen")
    path = tmp_path / "briefings" / "gen.yaml"
    if reopened:  # the plan, read in the loading thread as a large briefing's is
        asyncio.run(open_once(path))
        monkeypatch.setattr(briefing_screen, "PLAN_INLINE", 0)
    on_ui: list[str] = []

    def counted(module: Any, name: str) -> None:
        real = getattr(module, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is threading.main_thread():
                on_ui.append(name)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, call)

    counted(links.Links, "build")
    counted(outline, "prepare")
    counted(outline, "plan_rows")
    counted(source_view, "wrap_breaks")

    async def body() -> None:
        app = BriefingApp(path)
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, BriefingScreen) and app.screen.links is not None

    asyncio.run(body())
    # The pane wraps nothing itself: 300 paragraphs were wrapped in the loading thread.
    assert on_ui == []


def test_planned_rows_are_the_rows_a_list_would_hold() -> None:
    from tui.widgets.outline import OutlineRow, plan_rows

    ids = ["§legend", "§parties", "russia", "china", "§timeline", "§timeline:2014", "drill/ordered"]
    kinds = {0: "legend", 1: "section", 4: "section", 5: "year"}
    planned = plan_rows(ids, kinds)
    made = [OutlineRow(row_id, n in kinds, kinds.get(n, "")) for n, row_id in enumerate(ids)]
    assert len(planned.rows) == len(made)
    assert list(planned.rows) == made
    assert [planned.rows[n] for n in range(-len(ids), 0)] == made
    assert planned.rows[2:5] == made[2:5] and planned.rows[::-2] == made[::-2]
    with pytest.raises(IndexError):
        planned.rows[len(ids)]
    assert planned.row_index == {row_id: n for n, row_id in enumerate(ids)}
    assert planned.section_rows == {"parties": 1, "timeline": 4}


def test_the_loading_dots_pulse_at_four_frames_a_second() -> None:
    from tui.widgets.loading import FRAMES_PER_SECOND, Loading

    async def body() -> None:
        app = BriefingApp(SEED_BRIEFING)
        async with app.run_test(size=SIZE) as pilot:
            dots = app.get_loading_widget()
            assert isinstance(dots, Loading)
            await app.screen.mount(dots)
            await pilot.pause()
            assert dots.auto_refresh == 1 / FRAMES_PER_SECOND == 0.25

    asyncio.run(body())


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_briefing_reads_a_files_plan_ahead_and_a_bug_there_is_no_plan(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui import cli

    path = make_project(minimal_yaml())
    asyncio.run(open_once(path))
    monkeypatch.setattr(BriefingApp, "run", lambda self: None)
    assert cli.read(path) == 0
    assert plan._take_ahead(path)[0]  # started for the file, before the app
    assert cli.read(path.parent) == 0
    assert plan._ahead is None  # a folder is the library: no plan to read ahead

    def broken(*_args: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(plan, "_find", broken)
    plan.read_ahead(path)
    assert plan._take_ahead(path) == (True, None)
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("inline", [True, False])
def test_a_plan_is_built_with_the_collector_paused(
    monkeypatch: pytest.MonkeyPatch, inline: bool
) -> None:
    """Its objects (at 100,000 items, 50,000 paragraphs and their lines) are made with no
    cyclic collection walking them again and again: the cached screen of 100,000 items came
    80 ms later with it."""
    import gc

    from tui.widgets import outline

    if not inline:
        monkeypatch.setattr(briefing_screen, "PLAN_INLINE", 0)
    asyncio.run(open_once(SEED_BRIEFING))
    seen: list[tuple[str, bool]] = []

    def recording(name: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            seen.append((name, gc.isenabled()))
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(plan, "_plan", recording("read", plan._plan))
    monkeypatch.setattr(briefing_screen, "plan_rows", recording("rows", outline.plan_rows))
    before, _after = asyncio.run(open_held(SEED_BRIEFING, monkeypatch))
    assert before is not None
    assert ("read", False) in seen and ("rows", False) in seen
    assert all(not enabled for name, enabled in seen if name == "read")
    assert gc.isenabled()
