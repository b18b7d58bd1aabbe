"""The reader application: a library of briefings, or one briefing, keyboard first."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from .palette import GoToItem
from .state import State


class BriefingApp(App[int]):
    """Opens a folder in the library, or a briefing file directly."""

    TITLE = "briefing"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {GoToItem}
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+c", "quit", "Quit", show=False)]

    def __init__(self, target: Path) -> None:
        super().__init__()
        self.target = target
        self.state = State.load()
        if self.state.theme in self.available_themes:
            self.theme = self.state.theme

    def on_mount(self) -> None:
        # A dropped SSH connection (SIGHUP) or a kill (SIGTERM) still restores the terminal.
        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, partial(self.exit, return_code=128 + number))
        if self.state.problem:
            self.notify(self.state.problem, severity="warning")
        if self.target.is_dir():
            from .screens.library import LibraryScreen

            self.push_screen(LibraryScreen(self.target))
        else:
            from .screens.briefing import BriefingScreen

            self.push_screen(BriefingScreen(self.target))

    def watch_theme(self, theme: str) -> None:
        self.state.theme = theme

    def on_unmount(self) -> None:
        self.state.save()
