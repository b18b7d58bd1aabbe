"""Textual's loading indicator, drawn at a pace a remote terminal and a busy loader can afford."""

from __future__ import annotations

from time import time

from textual.events import Mount
from textual.widgets import LoadingIndicator

FRAMES_PER_SECOND = 4


class Loading(LoadingIndicator):
    """The pulsing dots at 4 frames a second instead of 16.

    Each frame of the dots is a frame of the whole screen sent to the terminal (over SSH too),
    and the interface's work to draw it holds the GIL the loading thread needs: a large
    briefing's cached first screen, read in that thread, came 50 ms later with three panes of
    dots pulsing at 16 frames a second than with none.
    """

    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()  # LoadingIndicator's own would set 16 frames a second
        self._start_time = time()
        self.auto_refresh = 1 / FRAMES_PER_SECOND
