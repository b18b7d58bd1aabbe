"""Nothing heavy is imported before the first frame reaches the terminal, and a reopened
briefing's first frame is already its useful screen (tui/plan.py), still without them.

test_startup.py checks what importing the screens pulls in; this runs the real reader on a pty
and looks at sys.modules at the moment its first frame (the one showing the title) is written,
so an import moved into start-up code (not only into a module body) is caught too.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest

from tests.bench import ptyrun

from .conftest import ROOT, SEED_BRIEFING

HEAVY = ("pydantic", "yaml", "tui.schema", "tui.loader")
TITLE = "Russia and China boost"
DETAIL = "Party: Russia"
"""The detail pane's title for the seed's first item: in the first frame of a reopening."""

# Runs the reader's own entry point, with the driver's write wrapped: on the first write that
# carries the title, the heavy modules already imported go to a file.
PROBE = """
import sys
out, marker, path, preload = sys.argv[1:5]
if preload:
    __import__(preload)
from textual.drivers.linux_driver import LinuxDriver
HEAVY = {heavy!r}
original = LinuxDriver.write
seen = []
def write(self, data):
    if not seen and marker in data:
        seen.append(True)
        loaded = sorted(name for name in HEAVY if name in sys.modules)
        if {detail!r} in data:
            loaded.append("+detail")
        with open(out, "w", encoding="utf-8") as file:
            file.write(" ".join(loaded) + "\\n")
    return original(self, data)
LinuxDriver.write = write
from tui.cli import main
sys.exit(main([path]))
"""


def heavy_at_first_frame(tmp_path: Path, preload: str = "") -> list[str]:
    out = tmp_path / "heavy.txt"
    argv = ptyrun.python_argv(
        "-c", PROBE.format(heavy=HEAVY, detail=DETAIL), str(out), TITLE, str(SEED_BRIEFING), preload
    )
    env = ptyrun.child_env(
        {
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "XDG_STATE_HOME": str(tmp_path / "state"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
        }
    )
    with ptyrun.spawn(argv, (80, 24), ROOT, env) as session:
        deadline = time.monotonic() + 60
        while not out.exists() or not out.read_text(encoding="utf-8").endswith("\n"):
            assert time.monotonic() < deadline, session.text()[-500:]
            session.read(0.05)  # drain, so the child never blocks on a full pty
            assert not session.exited, session.text()[-500:]
    return out.read_text(encoding="utf-8").split()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the reader's pty driver")
def test_nothing_heavy_is_imported_before_the_first_frame(tmp_path: Path) -> None:
    assert heavy_at_first_frame(tmp_path) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the reader's pty driver")
def test_the_probe_sees_a_heavy_import_made_before_the_first_frame(tmp_path: Path) -> None:
    # The guard itself works: with the loader imported up front, it is reported.
    assert "tui.loader" in heavy_at_first_frame(tmp_path, preload="tui.loader")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the reader's pty driver")
def test_a_reopened_briefing_shows_its_item_in_the_first_frame_without_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.app import BriefingApp

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))

    async def first_open() -> None:  # as a user's first open: the load keeps the first screen
        app = BriefingApp(SEED_BRIEFING)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            deadline = time.monotonic() + 120  # a bound for a hang, not a speed
            while not list((tmp_path / "cache").rglob("*-plan-*.json")):
                assert time.monotonic() < deadline
                await pilot.pause(0.02)

    asyncio.run(first_open())
    assert heavy_at_first_frame(tmp_path) == ["+detail"]
