"""Keeping a briefing that is being read out of the cyclic garbage collector's walks.

A loaded briefing is hundreds of thousands of objects that live exactly as long as its screen.
Left to the collector, each full collection walks them all (138 ms at 10,000 items, 1.2 s at
100,000), a stall on whatever key it lands on. Frozen (`gc.freeze`), they are skipped by every
collection; reference counting still frees what dies among them, only cycles wait. Released
when the last holder goes: thawed and collected once, so a briefing that was closed (its
screen's widgets are cycles) is freed then, not carried into the next one.

No Textual here: the screen says when it holds and releases.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_holders = 0


def hold() -> None:
    """Freeze every object alive now (the briefing just shown); count the holder."""
    global _holders
    _holders += 1
    gc.freeze()


def freeze_more() -> None:
    """Freeze what a holder built since it started holding (it lives as long as the hold)."""
    if _holders:
        gc.freeze()


def release() -> bool:
    """Forget a holder; with none left, thaw the frozen objects and say so (then collect)."""
    global _holders
    if _holders <= 0:
        return False
    _holders -= 1
    if _holders:
        return False
    gc.unfreeze()
    return True


def collect() -> None:
    """A full collection, unless a holder froze objects again since the release."""
    if _holders == 0:
        gc.collect()


def holders() -> int:
    """How many holders keep objects frozen (for tests)."""
    return _holders


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection while a briefing, or what its screen shows, is built.

    Loading makes hundreds of thousands of objects and no garbage worth collecting; each
    collection would only walk them all again (a third of the load time of a big briefing,
    half of a cached one). Re-enabled after, and only if it was on. What was built lives as
    long as the briefing is read, so it goes straight to the oldest generation (freeze, then
    unfreeze: documented as putting the frozen objects back there) rather than being walked by
    the first young collection after (60 ms for 10,000 items). Skipped if something else keeps
    objects frozen, not to thaw them."""
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
