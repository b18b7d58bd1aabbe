"""What the user sees: the pty output replayed through a terminal emulator (pyte).

Times taken from bytes on the pty flatter an app that writes a placeholder first: the first
frame after a key may move only a highlight, and a title with loading indicators is not a
screen anyone can read. So every chunk the child writes is kept with its arrival time and fed,
in order, into a `pyte.Screen` of the pty's size; a figure is the arrival time of the chunk
after which the emulated screen first shows what the figure names:

- **useful screen** (start-up): no loading indicator anywhere; the Outline pane shows at least
  `min(OUTLINE_ROWS, items)` non-blank rows; the detail pane (titled with its item) shows at least one non-blank row;
  the Source pane shows the first words of the paragraph that the first item's first evidence
  cites (see `Expect`).
- **whole answer** (a key): the screen (characters and their colours and attributes, so a moved
  highlight counts) equals the screen once the app has gone idle after the key.

Chunks are fed after they were read, never while reading, so emulation does not delay the
arrival times it measures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyte

OUTLINE_ROWS = 4
"""At 80x24 the stacked outline shows four rows (nine in the timeline): all of them filled."""
SOURCE_WORDS = 4
LOADING = "●"  # Textual's LoadingIndicator draws rows of these
_GUTTER = re.compile(r"^\s*(?:\d+\s*)?[▌▐┃]?\s*")

Snapshot = tuple[tuple[tuple[object, ...], ...], ...]


class Replay:
    """A terminal of columns x rows fed with a child's output."""

    def __init__(self, size: tuple[int, int]) -> None:
        columns, rows = size
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)

    def feed(self, chunk: bytes) -> None:
        self.stream.feed(chunk)

    def display(self) -> list[str]:
        return list(self.screen.display)

    def snapshot(self) -> Snapshot:
        """Every cell with its character and attributes: a moved highlight changes it."""
        buffer = self.screen.buffer
        return tuple(
            tuple(tuple(buffer[y][x]) for x in range(self.screen.columns))
            for y in range(self.screen.lines)
        )


_TOP_LEFT = "╭┏┌╔"
_TOP_RIGHT = "╮┓┐╗"
_BOTTOM_LEFT = "╰┗└╚"
_LINE = "─━═"


def panes(display: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Every pane on screen, top to bottom: (title, inner rows without borders and without
    the last inner column, a scrollbar's). A pane is a box (`╭─ Title ──╮` ... `╰──╯`; a
    focused one's heavy `┏━ Title ━━┓` and other Textual borders too) or, at 80 columns, a
    one-row rule with its title over rows that run to the next pane's rule."""
    head = re.compile(f"[{_TOP_LEFT}][{_LINE}] (.+?) [{_LINE}]")
    found: list[tuple[str, list[str]]] = []
    for top, line in enumerate(display):
        for match in head.finditer(line):
            left = match.start()
            right = next((i for i in range(match.end(), len(line)) if line[i] in _TOP_RIGHT), -1)
            if right < 0:
                continue
            rows = []
            for line_below in display[top + 1 :]:
                corner = line_below[left : left + 1]
                if corner == "" or corner in _BOTTOM_LEFT or corner in _TOP_LEFT:
                    break
                rows.append(line_below[left + 1 : right - 1])
            found.append((match.group(1), rows))
    return found


def pane(display: Sequence[str], title: str) -> list[str] | None:
    """The inner rows of the pane titled `title` (see panes); None when it is not on screen."""
    return next((rows for name, rows in panes(display) if name == title), None)


def _words(text: str) -> list[str]:
    return text.split()


@dataclass(frozen=True, slots=True)
class Expect:
    """What a useful screen of one briefing shows."""

    outline_rows: int
    source_words: str
    """The first words of the paragraph the first item's first evidence cites."""

    @classmethod
    def for_briefing(cls, path: Path) -> Expect:
        """Read the briefing with the reader's own loader (here, in the bench process)."""
        from tui.loader import load_briefing

        loaded = load_briefing(path)
        items = sum(loaded.briefing.counts().values())
        for _location, item in loaded.briefing.items():
            for evidence in loaded.evidence.get(item.id, []):
                if evidence.span is None:
                    continue
                paragraph = loaded.sources[evidence.source].paragraph(evidence.span.paragraph)
                words = " ".join(_words(paragraph.text)[:SOURCE_WORDS])
                return cls(min(OUTLINE_ROWS, items), words)
            break  # the screen opens on the first item: only its evidence counts
        raise ValueError(f"{path}: the first item cites no resolved evidence")


def source_text(rows: Sequence[str]) -> str:
    """A Source pane's text with the paragraph gutter removed, rows joined, spaces collapsed."""
    return " ".join(" ".join(_words(_GUTTER.sub("", row))) for row in rows if row.strip())


def is_useful(display: Sequence[str], expect: Expect) -> bool:
    """The useful-screen test of the module docstring."""
    if any(LOADING in line for line in display):
        return False
    shown = panes(display)
    outline = pane(display, "Outline")
    source = pane(display, "Source")
    # The detail pane's title is the item it shows ("Party: Russia").
    detail = next((rows for name, rows in shown if name not in ("Outline", "Source")), None)
    if outline is None or detail is None or source is None:
        return False
    if sum(1 for row in outline if row.strip()) < expect.outline_rows:
        return False
    if not any(row.strip() for row in detail):
        return False
    return expect.source_words in source_text(source)


def first_useful(
    chunks: Sequence[tuple[float, bytes]], size: tuple[int, int], expect: Expect
) -> float | None:
    """Arrival time of the chunk after which the screen is first useful; None if never."""
    replay = Replay(size)
    for at, chunk in chunks:
        replay.feed(chunk)
        if is_useful(replay.display(), expect):
            return at
    return None


def first_showing(
    chunks: Sequence[tuple[float, bytes]], size: tuple[int, int], marker: str
) -> float | None:
    """Arrival time of the chunk after which marker is first on screen (the placeholder)."""
    replay = Replay(size)
    for at, chunk in chunks:
        replay.feed(chunk)
        if any(marker in line for line in replay.display()):
            return at
    return None


@dataclass(frozen=True, slots=True)
class Answer:
    """A key's answer on screen: when the last change landed, and whether anything changed."""

    whole: float | None
    """Seconds from the key to the chunk after which the screen equals its settled state."""
    changed: bool


def whole_answer(replay: Replay, sent: float, chunks: Sequence[tuple[float, bytes]]) -> Answer:
    """Feed one key's chunks into replay (holding the screen before the key)."""
    before = replay.snapshot()
    states: list[tuple[float, Snapshot]] = []
    for at, chunk in chunks:
        replay.feed(chunk)
        states.append((at, replay.snapshot()))
    if not states:
        return Answer(None, False)
    final = states[-1][1]
    if final == before:
        return Answer(None, False)
    # The first chunk after which the screen stays at its final state.
    landed = states[-1][0]
    for at, state in reversed(states):
        if state != final:
            break
        landed = at
    return Answer(landed - sent, True)
