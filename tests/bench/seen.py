"""Sessions timed by what the emulated screen shows (see screen.py): start-up to a useful
screen, and keys to their whole answer, over a key sample that never reaches a list's end."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from . import ptyrun, screen

KEY_IDLE = 0.3
"""Quiet time that ends a key's answer: above the ~35 ms between a key's first and last frame
and above a full collection's pause (~0.2 s at 10,000 items), so a late pane is not missed."""
DOWN_RUN = 8
"""Downs in a row before as many Ups (the sample alternates runs, so it stays inside the list)."""
BACKLOG = 2_000
_CITED = re.compile(r"evidence \d+ of \d+: ¶\d+")
KEY_BYTES = {
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "home": b"g",
    "end": b"G",
}


@dataclass
class Opened:
    """Seconds from fork: to the placeholder (title on screen) and to the useful screen."""

    placeholder: float | None
    useful: float
    hwm_kb: int | None


class Watcher:
    """Feeds a session's chunks into an emulated screen, only when asked (never mid-read)."""

    def __init__(self, session: ptyrun.Session, size: tuple[int, int]) -> None:
        self.session = session
        self.replay = screen.Replay(size)
        self.fed = 0

    def pending(self) -> list[tuple[float, bytes]]:
        return self.session.chunks[self.fed :]

    def catch_up(self) -> None:
        for _at, chunk in self.pending():
            self.replay.feed(chunk)
        self.fed = len(self.session.chunks)


def open_to_useful(
    session: ptyrun.Session,
    size: tuple[int, int],
    expect: screen.Expect,
    marker: str,
    timeout: float,
) -> Opened:
    """Read until the screen is useful and the app idle; MarkerMissing if it never is."""
    watcher = Watcher(session, size)
    placeholder: float | None = None
    useful: float | None = None
    deadline = session.started + timeout
    while time.perf_counter() < deadline:
        chunk, _ = session.read(ptyrun.IDLE)
        if chunk and len(watcher.pending()) < BACKLOG:
            continue
        if session.exited:
            session.reap()
            raise ptyrun.MarkerMissing(
                f"process exited ({ptyrun.describe_status(session.status)}) before a useful "
                f"screen; last screen: {' | '.join(watcher.replay.display()).strip()[-300:]!r}"
            )
        for at, data in watcher.pending():
            watcher.replay.feed(data)
            if placeholder is None or useful is None:
                display = watcher.replay.display()
                if placeholder is None and any(marker in line for line in display):
                    placeholder = at - session.started
                if useful is None and screen.is_useful(display, expect):
                    useful = at - session.started
        watcher.fed = len(session.chunks)
        if useful is not None and not chunk:
            return Opened(placeholder, useful, session.vm_hwm_kb())
    last = " | ".join(watcher.replay.display())
    raise ptyrun.MarkerMissing(f"no useful screen within {timeout:g} s; last: {last[-300:]!r}")


def down_up_plan(items: int, downs: int) -> list[str]:
    """Runs of Down then as many Ups, `downs` Downs in all, the cursor never past item
    `items - 1` (0-based) from the first item: every Down can move."""
    if items < 2:
        raise ValueError("a Down/Up sample needs a list of at least two items")
    run = min(DOWN_RUN, items - 1)
    plan: list[str] = []
    while plan.count("down") < downs:
        step = min(run, downs - plan.count("down"))
        plan += ["down"] * step + ["up"] * step
    return plan


def jump_plan(presses: int) -> list[str]:
    """End then Home, alternating: first item to last and back, each a far source jump."""
    return ["end" if n % 2 == 0 else "home" for n in range(presses)]


@dataclass(frozen=True, slots=True)
class Keyed:
    key: str
    first_frame: float | None
    """Seconds to the end of the first synchronized frame after the key (the old figure)."""
    whole: float | None
    """Seconds to the screen's settled state (None: the screen did not change)."""
    cited: str = ""
    """The settled screen's "¶N" evidence mark, if any: where the source pane stands."""


def _first_frame(chunks: Sequence[tuple[float, bytes]], sent: float) -> float | None:
    seen = bytearray()
    for at, chunk in chunks:
        seen += chunk
        opened = seen.find(ptyrun.SYNC_START)
        if opened >= 0 and seen.find(ptyrun.SYNC_END, opened) >= 0:
            return at - sent
    return None


def press_plan(
    session: ptyrun.Session,
    size: tuple[int, int],
    plan: Sequence[str],
    idle: float = KEY_IDLE,
    timeout: float = 5.0,
) -> list[Keyed]:
    """Each key of plan with the app idle before it; timed to its whole answer on screen."""
    watcher = Watcher(session, size)
    session.settle(idle, limit=30.0)
    watcher.catch_up()
    results = []
    for name in plan:
        mark = len(session.chunks)
        sent = time.perf_counter()
        session.write(KEY_BYTES[name])
        deadline = sent + timeout
        while time.perf_counter() < deadline:
            chunk, _ = session.read(min(idle, max(0.0, deadline - time.perf_counter())))
            if not chunk and (session.exited or len(session.chunks) > mark):
                break
        new = session.chunks[mark:]
        answer = screen.whole_answer(watcher.replay, sent, new)
        watcher.fed = len(session.chunks)
        cited = next(
            (m.group(0) for line in watcher.replay.display() if (m := _CITED.search(line))), ""
        )
        results.append(Keyed(name, _first_frame(new, sent), answer.whole, cited))
    return results
