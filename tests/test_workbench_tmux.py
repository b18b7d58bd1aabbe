"""The workbench on a real terminal: `briefing new SOURCE --edit` in tmux at 80x24, a briefing
built with the keys alone (a party, a drill with a contribution, a statement), then
`briefing validate` on what was written. Each step waits for the screen that answers it, never
for a time tied to the machine's speed; the keys are counted and the count printed."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.loader import load_briefing

from .conftest import SEED_SOURCE
from .tmux import Terminal

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _status(screen: str) -> str:
    """The status line: the row above the footer."""
    return screen.rstrip("\n").splitlines()[-2]


def select(term: Terminal, start: str, end: str) -> None:
    """In the source: / to the words start begins with, v, / to extend to the end of end."""
    term.keys("/")
    term.wait_for(lambda s: "Find words" in s)
    term.type(start)
    term.keys("Enter")
    term.wait_for(lambda s: "Find words" not in s and "Extend" not in s)
    term.keys("v")
    term.wait_for(lambda s: "“" in _status(s))
    term.keys("/")
    term.wait_for(lambda s: "Find words" in s or "Extend" in s)
    term.type(end)
    term.keys("Enter")


def selected(words: str) -> Callable[[str], bool]:
    """The status line names the selection (clipped to 40 characters)."""
    shown = words if len(words) <= 40 else words[:39]
    return lambda s: f"“{shown}" in _status(s)


def test_a_briefing_built_with_the_keys_alone(tmp_path: Path) -> None:
    source = tmp_path / "article.txt"
    shutil.copy(SEED_SOURCE, source)
    command = f"TERM=xterm-256color {shlex.quote(sys.executable)} -m tui new article.txt --edit"
    term = Terminal(command, folder=tmp_path)
    try:
        term.wait_for(lambda s: "EDITING" in s and "1 Parties (0)" in s)
        term.keys("Tab", "Tab")  # to the source
        term.wait_for(lambda s: "┏━ Source" in s)

        # A party: Russia, from ¶12, in two keys once selected.
        select(term, "Russia had", "Russia")
        term.wait_for(selected("Russia"))
        term.keys("P")
        term.wait_for(lambda s: "New party" in s)
        term.keys("Enter")
        term.wait_for(lambda s: "Created party russia" in _status(s))

        # A drill, Russia ticked as a participant (the form starts on that field).
        select(term, "drills with China", "this year")
        term.wait_for(selected("drills with China and other SCO-members in August this year"))
        term.keys("c")
        term.wait_for(lambda s: "New item from" in s)
        term.keys("3")  # Drill
        term.wait_for(lambda s: "New drill" in s)
        term.keys("space")
        term.wait_for(lambda s: "[x] Russia" in s)
        term.keys("Enter")
        term.wait_for(lambda s: "Created drill" in _status(s))

        # Its contribution: Russia's troops, the party matched from the words.
        select(term, "Russia had", "troops")
        term.wait_for(selected("Russia had sent over 1,000 troops"))
        term.keys("c")
        term.wait_for(lambda s: "Contribution to the current drill" in s)
        term.keys("End", "Enter")
        term.wait_for(lambda s: "Contribution to" in s and "Equipment" in s)
        term.keys("Enter")
        term.wait_for(lambda s: "Added a contribution" in _status(s))

        # A speaker, then what he said: speaker, words and mode read from the quote.
        select(term, "Russian President Vladimir Putin said Russian", "Putin")
        term.wait_for(selected("Russian President Vladimir Putin"))
        term.keys("P")
        term.wait_for(lambda s: "New party" in s)
        term.keys("Enter")
        term.wait_for(lambda s: "Created party vladimir-putin" in _status(s))
        select(term, '"We remember', "Putin said")
        term.wait_for(selected('"We remember that in the Second World War'))
        term.keys("c")
        term.wait_for(lambda s: "New item from" in s)
        term.keys("6")  # Statement
        term.wait_for(lambda s: "New statement" in s)
        term.keys("Enter")
        term.wait_for(lambda s: "Created statement" in _status(s))

        term.keys("q")
        term.wait_for(lambda s: "EXITED 0" in s)
    finally:
        term.close()
    print(f"\nkeys pressed: {term.pressed}")

    briefing = tmp_path / "article.yaml"
    checked = subprocess.run(
        [sys.executable, "-m", "tui", "validate", str(briefing)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = load_briefing(briefing).briefing
    assert [p.id for p in built.parties] == ["russia", "vladimir-putin"]
    (drill,) = built.drills
    assert drill.participants == ["russia"]
    (troops,) = drill.contributions
    assert (troops.party, troops.equipment, troops.quantity.value) == ("russia", "troops", 1000)
    (said,) = built.statements
    assert (said.speaker, said.mode) == ("vladimir-putin", "direct")
