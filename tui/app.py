"""The reader application: a library of briefings, or one briefing, keyboard first.

An unexpected exception ends the reader with the terminal restored, exit status 1 and one short
line on stderr; the full traceback goes to a crash log under `$XDG_STATE_HOME/briefing`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import os
import signal
import sys
import tempfile
import traceback
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from . import state as state_file
from .palette import GoToItem
from .safe_text import clean, clip
from .state import State

MESSAGE_LIMIT = 200
"""Characters of an exception's message shown on exit (the log keeps all of it)."""


def write_crash_log(error: BaseException) -> Path:
    """Write the traceback of error to a new crash log, atomically; its path. Raises OSError."""
    folder = state_file.path().parent
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    target = folder / f"crash-{now:%Y%m%dT%H%M%S.%fZ}-{os.getpid()}.log"
    from textual import __version__ as textual_version

    lines = [
        f"briefing crashed at {now.isoformat()}",
        f"command: {' '.join(sys.argv)}",
        f"python {sys.version.split()[0]}, textual {textual_version}",
        "",
        *traceback.format_exception(error),
    ]
    # Exception messages quote briefing text: keep the log as safe to `cat` as the screen.
    text = clean("\n".join(line.rstrip("\n") for line in lines) + "\n", keep_lines=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".crash-", suffix=".log")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors="replace") as out:
            out.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def crash_message(error: BaseException, log: Path | None, problem: str = "") -> str:
    """One line for the restored terminal: what failed and where the details are."""
    detail = clip(clean(str(error)).strip(), MESSAGE_LIMIT)
    what = f"{type(error).__name__}: {detail}" if detail else type(error).__name__
    where = (
        f"details in {log}" if log is not None else f"the details could not be saved ({problem})"
    )
    return clean(f"briefing: internal error: {what}; {where}")


class BriefingApp(App[int]):
    """Opens a folder in the library, or a briefing file directly."""

    TITLE = "briefing"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {GoToItem}
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+c", "quit", "Quit", show=False)]

    def __init__(self, target: Path) -> None:
        super().__init__()
        self.target = target
        self._crash_message: str | None = None
        self.state = State.load()
        if self.state.theme in self.available_themes:
            self.theme = self.state.theme

    def get_driver_class(self):  # type: ignore[no-untyped-def]
        from .keys import install

        install()  # Alt+Left sent as Escape + Left is Alt+Left, not Escape (tui/keys.py)
        return super().get_driver_class()

    def on_mount(self) -> None:
        # A dropped SSH connection (SIGHUP) or a kill (SIGTERM) still restores the terminal.
        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, partial(self.exit, return_code=128 + number))
        if self.state.problem:
            self.notify(clean(self.state.problem), severity="warning", markup=False)
        if self.target.is_dir():
            from .screens.library import LibraryScreen

            self.push_screen(LibraryScreen(self.target))
        else:
            from .screens.briefing import BriefingScreen

            self.push_screen(BriefingScreen(self.target))

    def _handle_exception(self, error: Exception) -> None:
        """An unhandled exception: exit 1 with one readable line instead of Textual's traceback.

        Textual's own handler prints a rich traceback with locals (briefing text included) over
        the restored terminal; here the traceback goes to a crash log instead.
        """
        self._return_code = 1
        if self._exception is None:
            # run_test re-raises the first exception, so test frameworks still see it.
            self._exception = error
            self._exception_event.set()
            from textual.worker import WorkerFailed

            cause: BaseException = error.error if isinstance(error, WorkerFailed) else error
            log: Path | None = None
            problem = ""
            try:
                log = write_crash_log(cause)
            except Exception as failure:  # the crash handler itself must never fail
                problem = getattr(failure, "strerror", None) or type(failure).__name__
            self._crash_message = crash_message(cause, log, problem)
        self._close_messages_no_wait()

    def _print_error_renderables(self) -> None:
        """After the terminal is restored: the crash line, written as is.

        Rich's error console would wrap it at 80 columns when stderr is not a terminal.
        """
        if self._crash_message is None:
            super()._print_error_renderables()
            return
        self._exit_renderables.clear()
        encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
        line = self._crash_message.encode(encoding, "replace").decode(encoding)
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(line + "\n")
            sys.stderr.flush()

    def watch_theme(self, theme: str) -> None:
        self.state.theme = theme

    def on_unmount(self) -> None:
        self.state.save()
