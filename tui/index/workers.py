"""Helper processes that read briefings into the index file while the reader stays free.

A concurrent.futures process pool, started with "spawn" on every system: the reader runs
threads (Textual's), which a forked child would inherit in whatever state they were. Each
helper opens the same index file (WAL: one writer at a time, each transaction short) and
stores a batch of files in one transaction, returning their keys; the reader then lists the
rows it is told about. A helper that fails loses nothing: its files are read in the reader.

Helpers never outlive the reader: cancelling kills them at once (a transaction cut short is
rolled back by SQLite), and each one ends itself when its parent is gone (a signal ended the
reader with os._exit, which runs no clean-up). They write nothing to the reader's terminal.

Spawn starts a fresh interpreter that imports the main module again (as `__mp_main__`): a
script that indexes a large folder keeps its work under `if __name__ == "__main__":`, as the
`briefing` command does (`python -m tui` is not imported again).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store import LibraryIndex, Plan

BATCH = 16
"""Files per task at most: one transaction each, and a progress report."""
PARENT_CHECK = 0.5
"""Seconds between a helper's checks that the reader is still there."""

QUIET_TRACKER = "ignore::UserWarning:multiprocessing.resource_tracker"

_index: LibraryIndex | None = None


def read_in_helpers(
    opener: type[LibraryIndex],
    database: Path,
    plan: Plan,
    count: int,
    reported: Callable[[int, list[str]], None],
    cancelled: Callable[[], bool] | None = None,
    every: float = 0.1,
) -> list[str]:
    """Read plan's stale files in count helper processes into the index at database (each
    opens it with opener, LibraryIndex: passed in, not imported, so that store.py, which calls
    this, and this module do not import each other); the keys stored, in the order
    reported. reported(done, new keys) about every `every` seconds and at the end. Stops,
    helpers killed, as soon as cancelled() says so. Helpers that cannot be started read
    nothing: the caller reads what is not reported."""
    import multiprocessing

    # The pool's queues use named semaphores, which multiprocessing's resource tracker (a
    # process of its own, started with the next pool, writing to this terminal) unlinks
    # when this process ends without doing so, as it does after a signal (os._exit), with a
    # warning about "leaked semaphore objects" printed over the user's shell. The tracker
    # takes this process's -W options: that warning is not the user's business.
    if QUIET_TRACKER not in sys.warnoptions:
        sys.warnoptions.append(QUIET_TRACKER)
    paths = [str(path) for path, _info in plan.stale]
    # Small enough tasks that every helper gets several (progress, and a fair share).
    size = max(1, min(BATCH, -(-len(paths) // (count * 4))))
    read: list[str] = []
    batch: list[str] = []
    finished = False
    pool: ProcessPoolExecutor | None = None
    try:
        # Started with a sys.stderr that has a file behind it: in the app it is Textual's
        # capture, whose fileno() is -1, which the resource tracker hands to its process
        # ("bad value(s) in fds_to_keep"). Textual draws on sys.__stderr__, not on this.
        with open(os.devnull, "w") as nowhere, contextlib.redirect_stderr(nowhere):
            pool = ProcessPoolExecutor(
                max_workers=count,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(opener, str(database), os.getpid()),
            )
            pending: set[Future[list[str]]] = {
                pool.submit(_read, paths[start : start + size], plan.folder)
                for start in range(0, len(paths), size)
            }
    except Exception:  # no helpers to be had (no processes left, ...): the caller reads all
        if pool is not None:
            _stop(pool, kill=True)
        return []
    try:
        last = time.monotonic()
        while pending:
            if cancelled is not None and cancelled():
                break
            done, pending = wait(pending, timeout=max(every, 0.02), return_when=FIRST_COMPLETED)
            for future in done:
                with contextlib.suppress(Exception):  # a helper failed: read here after
                    keys = future.result()
                    read += keys
                    batch += keys
            now = time.monotonic()
            if batch and now - last >= every:
                reported(len(read), batch)
                batch = []
                last = now
        else:
            finished = True
        if batch and finished:
            reported(len(read), batch)
    finally:
        _stop(pool, kill=not finished)
    return read


def _stop(pool: ProcessPoolExecutor, kill: bool) -> None:
    """Shut the pool down, its helpers gone; with kill, killed first rather than waited for
    (a batch of large briefings takes seconds)."""
    if kill:
        # The pool has no public way to end a running task: its processes, by their handles
        # (shutdown forgets them). The pool sees them die and stops its own thread.
        processes = getattr(pool, "_processes", None) or {}
        for process in list(processes.values()):
            with contextlib.suppress(Exception):
                process.kill()
    pool.shutdown(wait=True, cancel_futures=True)


# --- in the helper process ----------------------------------------------------------------


def _start(opener: type[LibraryIndex], database: str, parent: int) -> None:
    """Open the index; output to nowhere (the terminal is the reader's); end with the parent."""
    global _index
    with contextlib.suppress(OSError):
        nowhere = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nowhere, 1)
        os.dup2(nowhere, 2)
        os.close(nowhere)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    index = opener(Path(database))
    if index.path is None:
        # The file could not be opened here: rows stored in memory would be lost, and the
        # reader reads the files it is not told were stored itself.
        index.close()
        return
    _index = index


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(0)


def _read(paths: Sequence[str], folder: str) -> list[str]:
    """Store these briefings' rows in one transaction; their keys. None stored: []."""
    from .rows import read_rows

    if _index is None:
        return []
    many = []
    for name in paths:
        path = Path(name)
        try:
            info = path.stat()
        except OSError:
            continue
        many.append(read_rows(path, folder, info))
    _index.store_many(many)
    return [rows.record[0] for rows in many]
