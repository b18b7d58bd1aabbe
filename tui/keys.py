"""Terminal input the reader reads differently from Textual: Alt+arrows sent as Escape + arrow.

Many terminals (xterm with metaSendsEscape, rxvt, macOS Terminal with "Use Option as Meta")
send Alt+Left as `ESC ESC [ D`: an Escape, then the arrow's own sequence. Textual's parser
reads that as two keys, Escape and Left, so Alt+Left (back) would leave the briefing. Both
arrive in one read from the terminal, while a real Escape followed by Left is two reads (and
Textual's own Escape delay apart), so rewriting the pair to xterm's modified-key form
(`ESC [ 1 ; 3 D`, which Textual reads as alt+left) before parsing is exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual._xterm_parser import XTermParser
from textual.message import Message

_META_ARROW = re.compile("\x1b\x1b(?:\\[|O)([ABCD])")


def meta_arrows(data: str) -> str:
    """`ESC ESC [ D` (or `ESC ESC O D`) as `ESC [ 1 ; 3 D`, for each arrow."""
    return _META_ARROW.sub(lambda found: f"\x1b[1;3{found.group(1)}", data)


class MetaArrowParser(XTermParser):
    """Textual's parser, reading Meta-sends-Escape arrows as Alt+arrows."""

    def feed(self, data: str) -> Iterable[Message]:
        return super().feed(meta_arrows(data))


def install() -> None:
    """Have Textual's terminal drivers read input with MetaArrowParser.

    The drivers build their parser inside their input thread from a module-level name, with
    no hook to pass another: replacing that name is the one place to do it.
    """
    try:
        from textual.drivers import linux_driver
    except ImportError:  # Windows: its driver reads key events, not escape sequences
        return
    # The module's name for its parser class, rebound: mypy sees a class being assigned to.
    linux_driver.XTermParser = MetaArrowParser  # type: ignore[misc]
