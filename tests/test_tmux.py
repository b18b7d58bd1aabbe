"""The real `briefing` command on a real terminal (tmux at 80x24): keys in, screen read back."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys

import pytest

from .conftest import SEED_BRIEFING
from .tmux import Terminal

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _parties() -> str:
    from tests.conftest import SEED_BRIEFING
    from tui.loader import load_briefing

    return f"1 Parties ({len(load_briefing(SEED_BRIEFING).briefing.parties)})"


PARTIES = _parties()
"""The outline's first heading for the bundled briefing."""


@pytest.fixture
def reader():  # type: ignore[no-untyped-def]
    command = f"{shlex.quote(sys.executable)} -m tui {shlex.quote(str(SEED_BRIEFING))}"
    session = Terminal(f"TERM=xterm-256color {command}", pause=0.15)
    yield session
    session.close()


def test_reader_on_a_real_terminal(reader: Terminal) -> None:
    # The outline is filled a frame before the detail shows its first item.
    first = reader.wait_for(lambda s: PARTIES in s and "Party: Russia" in s)
    lines = first.splitlines()
    assert lines[0].startswith(" Russia and China boost…")  # cut at 80 columns
    assert lines[0].rstrip().endswith("5 Nov 2014 (inferred)  ·  reliability F  TLP:CLEAR")
    assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
    # The detail pane's title is the item it shows.
    assert "Source" in first and "Party: Russia" in first and "Outline" in first

    reader.keys("3", "j")  # the August 2014 drill: its quote is in paragraph 12
    screen = reader.wait_for(lambda s: "evidence: ¶12" in s)
    assert "Drill: Unnamed drill (Aug 2014)" in screen
    assert "12▌ Russia had sent over 1,000 troops" in screen

    reader.keys("?")
    assert "Next evidence" in reader.wait_for(lambda s: "Keys" in s)
    reader.keys("Escape", "q")
    assert "EXITED 0" in reader.wait_for(lambda s: "EXITED" in s)


def test_sigterm_restores_the_terminal(reader: Terminal) -> None:
    reader.wait_for(lambda s: PARTIES in s)
    pid = reader.pane_pid()
    # The pane runs a shell; the reader is its child.
    children = subprocess.run(
        ["pgrep", "-P", pid], capture_output=True, text=True, timeout=10
    ).stdout.split()
    assert children, "the reader process was not found"
    for child in children:
        subprocess.run(["kill", "-TERM", child], timeout=10)
    screen = reader.wait_for(lambda s: "EXITED" in s)
    assert "EXITED 143" in screen
    assert "Outline" not in screen, "the alternate screen was not left"
