"""The baseline: a bare Textual app showing one Static, which exits after its first refresh.

Every start-up figure is a ratio against this app, run the same way (`python -m`) in the same
run, because absolute times drift by 25-40% on shared machines while ratios hold.

With `--keys` it stays open instead, and Down or `j` rewrites the Static: the floor for a key
to frame in Textual.
"""

from __future__ import annotations

import sys
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

MARKER = "Bench baseline ready"


class BaselineApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("down,j", "bump", "Bump")]

    def __init__(self, stay: bool = False) -> None:
        super().__init__()
        self.stay = stay
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static(MARKER, id="text")

    def on_mount(self) -> None:
        if not self.stay:
            self.call_after_refresh(self.exit)

    def action_bump(self) -> None:
        self.count += 1
        self.query_one("#text", Static).update(f"{MARKER} {self.count}")


def main() -> None:
    BaselineApp(stay="--keys" in sys.argv[1:]).run()


if __name__ == "__main__":
    main()
