"""The reader application: a library of briefings, or one briefing, keyboard first.

An unexpected exception ends the reader with the terminal restored, exit status 1 and one short
line on stderr; the full traceback goes to a private crash log in the state folder
(tui/places.py: `$XDG_STATE_HOME/briefing` on Linux).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import os
import signal
import sys
import threading
import time
import traceback
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.color import Color as RichColor
from rich.color import ColorType
from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.filter import LineFilter, Monochrome

from .files import write_atomically
from .palette import GoToItem
from .places import state_folder
from .safe_text import clean, clip
from .state import State

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.driver import Driver
    from textual.screen import Screen
    from textual.widget import Widget

MESSAGE_LIMIT = 200
"""Characters of an exception's message shown on exit (the log keeps all of it)."""
EXIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""Each ends the reader with exit status 128 + its number."""
EXIT_DEADLINE = 0.5
"""Seconds after such a signal by which the process is gone, however busy or stuck it is. A
clean exit takes 0.2-0.3 s; past this the UI thread is busy (filling 100,000 items' panes
takes seconds) and the watchdog restores the terminal itself: measured end 0.65-0.75 s."""
EXIT_GRACE = 0.2
"""Seconds an exit waits for worker threads (an index writing its last rows) to finish."""
RESTORE_TERMINAL = (
    "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l"  # mouse reports off
    "\x1b[?2004l\x1b[?2048l\x1b[?7h\x1b[<u"  # bracketed paste, resize reports off; wrap on
    "\x1b[?1049l\x1b[?25h\x1b[?1004l"  # main screen, cursor shown, focus reports off
)
"""What Textual's Linux driver writes when it leaves application mode."""


def write_crash_log(error: BaseException) -> Path:
    """Write the traceback of error to a new crash log, atomically; its path. Raises OSError."""
    folder = state_folder(create=True)
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
    write_atomically(target, text.encode("utf-8", "replace"), mode=0o600)
    return target


def restore_terminal(driver: object) -> None:
    """Leave application mode as Textual's Linux driver does, without its writer thread (which
    may be stuck on a terminal that is gone). Best effort: nothing here raises."""
    try:
        import termios

        from textual.drivers.linux_driver import LinuxDriver
    except ImportError:  # not a POSIX terminal: nothing of ours to undo
        return
    if not isinstance(driver, LinuxDriver):
        return  # headless, or a web browser's stream: no terminal to restore
    attributes = getattr(driver, "attrs_before", None)
    if attributes is not None:
        with contextlib.suppress(termios.error, OSError, ValueError):
            termios.tcsetattr(driver.fileno, termios.TCSANOW, attributes)
    stderr = sys.__stderr__
    if stderr is not None:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.write(stderr.fileno(), RESTORE_TERMINAL.encode())


def crash_message(error: BaseException, log: Path | None, problem: str = "") -> str:
    """One line for the restored terminal: what failed and where the details are."""
    detail = clip(clean(str(error)).strip(), MESSAGE_LIMIT)
    what = f"{type(error).__name__}: {detail}" if detail else type(error).__name__
    where = (
        f"details in {log}" if log is not None else f"the details could not be saved ({problem})"
    )
    return clean(f"briefing: internal error: {what}; {where}")


class Greys(LineFilter):
    """NO_COLOR's filter: a theme's colours to greys, as Textual's Monochrome, and the
    terminal's own (its default and its 16 named colours) to its default. Monochrome makes
    the default black: with the ANSI themes, whose text and background are the terminal's
    defaults, every pane was black on black."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [Segment(text, _grey(style), None) for text, style, _ in segments]


@lru_cache(1024)
def _grey(style: Style | None) -> Style | None:
    if style is None:
        return None
    return style + Style.from_color(_grey_colour(style.color), _grey_colour(style.bgcolor))


def _grey_colour(colour: RichColor | None) -> RichColor | None:
    """A grey, the terminal's default, or None (no colour, and the default, stay)."""
    if colour is None or colour.type is ColorType.DEFAULT:
        return None
    if colour.type in (ColorType.STANDARD, ColorType.WINDOWS):
        return DEFAULT_COLOUR  # the terminal's palette: its foreground or background
    return Color.from_rich_color(colour).monochrome.rich_color


DEFAULT_COLOUR = RichColor.default()


class BriefingApp(App[int]):
    """Opens a folder in the library, or a briefing file directly."""

    TITLE = "briefing"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {GoToItem}
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+c", "quit", "Quit", show=False)]
    ALLOW_IN_MAXIMIZED_VIEW: ClassVar[str] = "KeyBar"  # a zoomed pane keeps its keys in view

    def __init__(self, target: Path, *, edit: bool = False) -> None:
        super().__init__()
        self._filters = [Greys() if isinstance(f, Monochrome) else f for f in self._filters]
        self.target = target
        self.edit = edit
        """Open the briefing file in edit mode (tui/screens/edit.py); the reader never writes."""
        self._crash_message: str | None = None
        self.state = State.load()
        if self.state.theme in self.available_themes:
            self.theme = self.state.theme
        self._previous_handlers: dict[int, Any] = {}
        self._exit_code: int | None = None
        self._exit_at = 0.0
        self._exit_requested = threading.Event()
        self.painted = threading.Event()
        """Set once the app's first frame has gone to the terminal (Textual's Ready event)."""
        self._loop_for_signals: asyncio.AbstractEventLoop | None = None

    # --- signals ------------------------------------------------------------------------------
    #
    # A kill (SIGTERM), a dropped SSH connection (SIGHUP) or `kill -INT` (in raw mode Ctrl+C
    # is a key, not a signal) must end the reader within a second, terminal restored, even
    # while a large briefing loads. asyncio's add_signal_handler runs its callback only when
    # the event loop gets a turn, which a long callback on the UI thread (filling the panes
    # with 30,000 items) delays by seconds. A handler set with signal.signal runs in the main
    # thread at the next bytecode, whatever it is doing; it asks for the usual exit (terminal
    # restored by Textual, state saved) and a watchdog thread ends the process at
    # EXIT_DEADLINE if that has not happened by then (the UI thread busy, or Textual's writer
    # stuck on a terminal that is gone). No handler runs while another thread holds the GIL
    # in one long C call (pydantic validating a whole briefing): that delay remains.

    def _catch_exit_signals(self) -> None:
        """From before the terminal enters application mode until it has left it. Only a real
        run (run_async) does this: never a test under run_test, whose process keeps Ctrl+C."""
        self._loop_for_signals = asyncio.get_running_loop()
        for number in EXIT_SIGNALS:
            with contextlib.suppress(ValueError, OSError):  # ValueError: not the main thread
                self._previous_handlers[number] = signal.signal(number, self._on_exit_signal)
        if self._previous_handlers:
            threading.Thread(target=self._watch_exit, name="briefing-exit", daemon=True).start()

    def _on_exit_signal(self, number: int, _frame: object) -> None:
        code = 128 + number
        if self._exit_code is not None:  # asked twice: no more waiting
            self._leave_now(code)
        self._exit_code = code
        self._exit_at = time.monotonic() + EXIT_DEADLINE
        self._exit_requested.set()
        loop = self._loop_for_signals
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop is closed: the exit is under way
                loop.call_soon_threadsafe(partial(self.exit, return_code=code))

    def _watch_exit(self) -> None:
        # Blocked here, SIGTTOU cannot stop the whole process when this thread restores the
        # terminal from a background process group.
        with contextlib.suppress(AttributeError, ValueError, OSError):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTTOU, signal.SIGTTIN})
        self._exit_requested.wait()
        if self._exit_code is None:
            return  # the reader ended without a signal
        time.sleep(max(0.0, self._exit_at - time.monotonic()))
        self._leave_now(self._exit_code)

    def _leave_now(self, code: int) -> None:
        """End the process at once: state saved, terminal restored, no thread waited for."""
        with contextlib.suppress(Exception):
            self.state.save()
        restore_terminal(self._driver)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)

    def _release_exit_signals(self) -> None:
        """Signals back to their usual effect (the terminal is restored by now); the watchdog
        stopped if no signal came."""
        for number, handler in self._previous_handlers.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(number, handler)
        self._previous_handlers.clear()
        self._exit_requested.set()

    async def run_async(self, **options: Any) -> int | None:
        """As App.run_async, then the process ends at once after a signal, or when a worker
        thread is still busy.

        Textual runs thread workers in asyncio's default executor, which asyncio.run and the
        interpreter join at exit: a quit or a signal during the load of a large briefing kept
        the process alive until the load ended (15 s at 100,000 items). After a signal, the
        interpreter's own teardown (0.2-0.5 s on a busy machine) is skipped too. By then the
        terminal is restored, the state saved and any crash line printed.
        """
        self._catch_exit_signals()
        try:
            result = await super().run_async(**options)
        finally:
            self._release_exit_signals()
        if self._exit_code is None:
            loop = asyncio.get_running_loop()
            shutdown = asyncio.ensure_future(loop.shutdown_default_executor())
            done, _pending = await asyncio.wait({shutdown}, timeout=EXIT_GRACE)
            if done:
                return result
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(self.return_code or self._exit_code or 0)

    def get_driver_class(self) -> type[Driver]:
        from .keys import install

        install()  # Alt+Left sent as Escape + Left is Alt+Left, not Escape (tui/keys.py)
        return super().get_driver_class()

    def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
        """Textual's frame writer, noting the first frame that reaches the driver.

        No public hook fires after a frame is written: call_after_refresh, the layout-refresh
        signal and Ready all come before it (Textual skips writing while a batch is open and
        before the app runs). A briefing's load waits for `painted`, so that its imports do
        not hold the GIL while the first frame is still being written (measured: tui.loader
        and pydantic were imported before the title frame went out).
        """
        super()._display(screen, renderable)
        if renderable is not None and not self.painted.is_set() and not self._batch_count:
            self.painted.set()

    def get_loading_widget(self) -> Widget:
        from .widgets.loading import Loading

        return Loading()

    def on_mount(self) -> None:
        if self.is_headless:  # no frame is ever written: the first layout is as good
            self.call_after_refresh(self.painted.set)
        if self.state.problem:
            self.notify(clean(self.state.problem), severity="warning", markup=False)
        if self.target.is_dir():
            from .screens.library import LibraryScreen

            self.push_screen(LibraryScreen(self.target))
        elif self.edit:
            from .screens.edit import EditScreen

            self.push_screen(EditScreen(self.target))
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
