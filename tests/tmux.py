"""A tmux server of the tests' own (never the user's sessions), driven as a person would:
keys sent, keys counted, and the screen read until it shows what a step waits for — never a
time tied to the machine's speed."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from .conftest import ROOT


class Terminal:
    """One command in one tmux window of its own; `EXITED <status>` shows when it ends."""

    def __init__(
        self,
        command: str,
        size: tuple[int, int] = (80, 24),
        folder: Path = ROOT,
        pause: float = 0.0,
    ) -> None:
        self.folder = folder
        self.pause = pause
        """Seconds between keys, for a test that sends keys faster than a person types."""
        self.socket = f"briefing-test-{uuid.uuid4().hex[:8]}"
        self.pressed = 0
        width, height = size
        self._run(
            "new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height),
            f"{command}; echo EXITED $?; sleep 60",
        )  # fmt: skip

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
            cwd=self.folder,
        )
        return result.stdout

    def pane_pid(self) -> str:
        return self._run("list-panes", "-t", "t", "-F", "#{pane_pid}").strip()

    def shown(self, variable: str) -> str:
        """A tmux format variable of the pane, e.g. `#{pane_title}`."""
        return self._run("display-message", "-p", "-t", "t", variable)

    def screen(self) -> str:
        return self._run("capture-pane", "-p", "-t", "t")

    def keys(self, *keys: str) -> None:
        """Named keys (Tab, Enter, Escape) or single characters: one key each."""
        for key in keys:
            self._run("send-keys", "-t", "t", key)
            self.pressed += 1
            if self.pause:
                time.sleep(self.pause)

    def type(self, text: str) -> None:
        """Text typed into a field: a key a character."""
        self._run("send-keys", "-t", "t", "-l", text)
        self.pressed += len(text)

    def wait_for(self, check: Callable[[str], bool], timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"screen never matched; last screen:\n{screen}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=10)
