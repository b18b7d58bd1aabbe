"""What the reader remembers between runs: the theme and the last item of each briefing.

It lives in `state.json` in the state folder (tui/places.py: `$XDG_STATE_HOME/briefing` on
Linux), private, written atomically (tui/files.py: a FIFO or a symlink in its place is
replaced, never written through). A corrupt file, or anything but a small regular file, is
ignored, and the reader says so once; briefings are never written.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .files import FileProblem, read_bytes, write_atomically
from .places import state_folder
from .safe_text import clip

KEEP = 200
"""Briefings whose last position is remembered."""
CAP = 4 * 1024 * 1024
"""Bytes of state file read at most: KEEP positions of long paths fit many times over."""
SHOWN_PATH = 80


def path() -> Path:
    return state_folder() / "state.json"


@dataclass
class State:
    theme: str | None = None
    positions: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    """Why the stored state was ignored, if it was."""

    @classmethod
    def load(cls) -> State:
        """The stored state; a fresh one, with the reason in `problem`, when the file is not
        a small regular file holding the expected JSON (a FIFO would block the reader's start,
        200,000 `[` overflow the JSON parser's recursion)."""
        target = path()
        shown = clip(str(target), SHOWN_PATH)
        try:
            raw = read_bytes(target, CAP)
        except FileProblem as problem:
            if not os.path.lexists(target):
                return cls()  # the first run
            return cls(problem=f"state file {shown} ignored ({problem}); starting afresh")
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            theme = data.get("theme")
            positions = data.get("positions", {})
            if not (theme is None or isinstance(theme, str)) or not isinstance(positions, dict):
                raise ValueError("unexpected shape")
            clean = {
                k: v for k, v in positions.items() if isinstance(k, str) and isinstance(v, str)
            }
        except (ValueError, RecursionError):
            return cls(problem=f"state file {shown} is corrupt and was ignored")
        # The most recent KEEP, as remember() would have kept them.
        return cls(theme=theme, positions=dict(list(clean.items())[-KEEP:]))

    def remember(self, briefing: Path, item_id: str) -> None:
        """Note the item shown; briefing is the resolved path the loader read (no syscalls:
        this runs on every move in the outline)."""
        key = str(briefing)
        if self.positions.get(key) == item_id:
            return
        self.positions.pop(key, None)
        self.positions[key] = item_id
        while len(self.positions) > KEEP:
            self.positions.pop(next(iter(self.positions)))

    def position(self, briefing: Path) -> str | None:
        """The last item shown of a briefing, by its resolved path."""
        return self.positions.get(str(briefing))

    def save(self) -> None:
        """Write atomically; a failure to save never disturbs the reader."""
        data = json.dumps({"theme": self.theme, "positions": self.positions}).encode("utf-8")
        with contextlib.suppress(OSError):
            write_atomically(state_folder(create=True) / "state.json", data, mode=0o600)
