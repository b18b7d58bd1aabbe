"""Screens fixed as SVG snapshots at 80x24 and 160x48.

Update with `uv run pytest tests/test_snapshots.py --snapshot-update`, then look at every
changed SVG as a picture before committing it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tui.app import BriefingApp
from tui.sections import TIMELINE_NUMBER

from .conftest import ROOT, SEED_BRIEFING

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


async def _loaded(pilot: Pilot) -> None:
    """Wait for the background load, then for the screen to settle."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _keys(*keys: str):  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot) -> None:
        await _loaded(pilot)
        await pilot.press(*keys)
        await pilot.pause()

    return run


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A library folder: the seed briefing, and a broken copy of it.

    The working folder moves there so that shown paths are relative and the same every run.
    """
    (tmp_path / "briefings").mkdir()
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(SEED_BRIEFING, tmp_path / "briefings" / SEED_BRIEFING.name)
    broken = SEED_BRIEFING.read_text(encoding="utf-8").replace("reliability: F", "reliability: Z")
    (tmp_path / "briefings" / "broken.yaml").write_text(broken, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return Path("briefings")


@pytest.mark.parametrize("size", SIZES)
def test_library(snap_compare, library: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(BriefingApp(library), terminal_size=size, run_before=_keys())


@pytest.mark.parametrize("size", SIZES)
def test_briefing_on_open(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(BriefingApp(SEED_BRIEFING), terminal_size=size, run_before=_keys())


@pytest.mark.parametrize("size", SIZES)
def test_drill_quote_highlighted(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    # 3 jumps to the drills; j to the August 2014 drill with its equipment list.
    app = BriefingApp(SEED_BRIEFING)
    assert snap_compare(app, terminal_size=size, run_before=_keys("3", "j"))


@pytest.mark.parametrize("size", SIZES)
def test_cited_by_in_source(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    # Focus the source pane and move to paragraph 4, which several items cite.
    keys = ("tab", "tab", "g", "j", "j", "j")
    assert snap_compare(BriefingApp(SEED_BRIEFING), terminal_size=size, run_before=_keys(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_party_pivot(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    # Vladimir Putin: everything he takes part in, in the detail pane, zoomed to read it whole.
    keys = ("1", "j", "j", "tab", "z")
    assert snap_compare(BriefingApp(SEED_BRIEFING), terminal_size=size, run_before=_keys(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_timeline(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        BriefingApp(SEED_BRIEFING), terminal_size=size, run_before=_keys(str(TIMELINE_NUMBER))
    )


@pytest.mark.parametrize("size", SIZES)
def test_search_results(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    keys = ("slash", *"billion", "enter", "n", "n")
    assert snap_compare(BriefingApp(SEED_BRIEFING), terminal_size=size, run_before=_keys(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        BriefingApp(SEED_BRIEFING), terminal_size=size, run_before=_keys("question_mark")
    )


@pytest.mark.parametrize("size", SIZES)
def test_invalid_briefing(snap_compare, library: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = BriefingApp(library / "broken.yaml")
    assert snap_compare(app, terminal_size=size, run_before=_keys())


@pytest.mark.parametrize("size", SIZES)
def test_library_filtered(snap_compare, library: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    keys = tuple("party:china")  # Enter would open the first row
    assert snap_compare(BriefingApp(library), terminal_size=size, run_before=_keys(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_library_search(snap_compare, library: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    keys = ("ctrl+f", *"billion", "enter")
    assert snap_compare(BriefingApp(library), terminal_size=size, run_before=_keys(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_library_pivot(snap_compare, library: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    keys = ("ctrl+g", *"china", "down")
    assert snap_compare(BriefingApp(library), terminal_size=size, run_before=_keys(*keys))


NAVAL = ROOT / "tests" / "data" / "format2" / "naval" / "iron-tide.yaml"
"""Issue 13's naval-exercise briefing, written from the README and the schema alone."""


@pytest.mark.parametrize("size", SIZES)
def test_naval_conflict_in_outline(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    # 3: the drill, marked ≠ in the outline (its claims conflict), its totals and forces.
    assert snap_compare(BriefingApp(NAVAL), terminal_size=size, run_before=_keys("3"))


@pytest.mark.parametrize("size", SIZES)
def test_naval_claims_side_by_side(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    # The drill's detail zoomed: each claim's value under the other, with who gives it.
    keys = ("3", "tab", "z")
    assert snap_compare(BriefingApp(NAVAL), terminal_size=size, run_before=_keys(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_naval_timeline(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    # 9 then down to Varga's date: the sale's order, report and confirmation are rows of their
    # own, the drill's claimed date stands as a claim, with its quote in the source.
    keys = (str(TIMELINE_NUMBER), *("j" * 8))
    assert snap_compare(BriefingApp(NAVAL), terminal_size=size, run_before=_keys(*keys))
