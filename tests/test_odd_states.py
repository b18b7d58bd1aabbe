"""The user's own folders and streams in odd states: each is a one-line notice, never an internal
error or a hang.

- a briefing whose file name is not UTF-8 in a library folder;
- an index file that cannot be used (a folder in its place, a read-only cache folder);
- a state file that is a FIFO, a symlink, too big, or nested 200,000 deep;
- SIGINT, SIGTERM, SIGHUP or a hang-up while a briefing loads (a real process on a pty);
- a closed pipe on standard output, and Ctrl+C, for the commands.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.bench import ptyrun
from tests.bench.generate import generate, title_for
from tests.conftest import ROOT, SEED_BRIEFING, MakeProject, notices, reader
from tui import cli, state
from tui.index import LibraryIndex, default_path
from tui.index import store as index_module
from tui.safe_text import clean
from tui.screens.briefing import BriefingScreen
from tui.screens.library import LibraryScreen

BAD_YAML = "schema: 1\nid: bad\ntitle: [unclosed\n"
VALID_ODD = os.fsdecode(b"\xff.yaml")
INVALID_ODD = os.fsdecode(b"bad-\xfe.yaml")


# --- 1. file names that are not UTF-8 -------------------------------------------------------


def odd_library(make_project: MakeProject) -> Path:
    """briefings/ holding test.yaml, a valid copy named b'\\xff.yaml' and an invalid
    b'bad-\\xfe.yaml'; skipped where the file system refuses such names."""
    folder = make_project().parent
    try:
        shutil.copy(folder / "test.yaml", folder / VALID_ODD)
        (folder / INVALID_ODD).write_text(BAD_YAML, encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    return folder


def test_the_index_keeps_names_that_are_not_utf8(make_project: MakeProject) -> None:
    folder = odd_library(make_project)
    with LibraryIndex() as index:
        assert index.path is not None and index.notice is None
        report = index.refresh(folder)
        assert len(report.read) == 3
        records = index.records(folder)
        # The file names themselves, each leading back to its file; in Python's name order.
        assert [r.name for r in records] == [INVALID_ODD, "test.yaml", VALID_ODD]
        assert all((folder / r.name).is_file() for r in records)
        assert [r.valid for r in records] == [False, True, True]
        invalid = records[0]
        assert invalid.error.startswith("invalid: ") and index.diagnostics(invalid.key)
        assert len({r.key for r in records}) == 3
        hits, problem = index.search(folder, "Alice")
        assert problem is None and {h.name for h in hits} == {"test.yaml", VALID_ODD}
    with LibraryIndex() as index:  # reopened: nothing to read again, nothing lost
        plan = index.plan(folder)
        assert plan.stale == [] and plan.dropped == 0
        assert [r.name for r in index.records(folder)] == [INVALID_ODD, "test.yaml", VALID_ODD]
    (folder / VALID_ODD).unlink()
    with LibraryIndex() as index:
        assert index.plan(folder).dropped == 1
        assert [r.name for r in index.records(folder)] == [INVALID_ODD, "test.yaml"]


def test_helper_processes_index_names_that_are_not_utf8(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = odd_library(make_project)
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 1)
    with LibraryIndex() as index:
        report = index.update_parallel(index.plan(folder), workers=1)
        assert len(report.read) == 3
        assert {r.name for r in index.records(folder)} == {INVALID_ODD, "test.yaml", VALID_ODD}


def test_the_library_lists_and_opens_names_that_are_not_utf8(make_project: MakeProject) -> None:
    folder = odd_library(make_project)

    async def main() -> None:
        async with reader(folder, (120, 24)) as (app, pilot):
            library = app.screen
            assert isinstance(library, LibraryScreen)
            table = library.query_one("#table", DataTable)
            rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
            assert len(rows) == 3
            assert rows[0][0].startswith("bad-\ufffd.yaml: ")  # the byte as U+FFFD, never raw
            assert all(cell == clean(cell) for row in rows for cell in row)
            table.move_cursor(row=2)
            await pilot.press("enter")
            await pilot.pause()
            opened = app.screen
            assert isinstance(opened, BriefingScreen) and opened.path == folder / VALID_ODD
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert opened.loaded is not None and opened.loaded.briefing.title == "Test briefing"

    asyncio.run(main())


@pytest.mark.parametrize(
    "stored",
    ["/../../etc/passwd", "../../etc/passwd", "/etc/passwd", "..", "", "a\x00b", "/\u0100"],
)
def test_a_tampered_index_name_never_leads_out_of_the_folder(
    stored: str, make_project: MakeProject
) -> None:
    folder = make_project().parent
    with LibraryIndex() as index:
        index.refresh(folder)
    with contextlib.closing(sqlite3.connect(str(default_path()))) as db, db:
        db.execute("UPDATE briefings SET name = ?", (stored,))
    with LibraryIndex() as index:
        [record] = index.records(folder)
    name = record.name
    assert name and name not in (".", "..") and "/" not in name and "\x00" not in name
    assert (folder / name).parent == folder


# --- 2. an index file that cannot be used ---------------------------------------------------


def index_file() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "briefing" / "library.sqlite3"


def test_a_folder_in_place_of_the_index_means_an_index_in_memory(
    make_project: MakeProject,
) -> None:
    folder = make_project().parent
    index_file().mkdir(parents=True)
    with LibraryIndex() as index:
        assert index.path is None
        assert index.notice and "in memory" in index.notice and "library.sqlite3" in index.notice
        assert len(index.refresh(folder).read) == 1
        assert [r.name for r in index.records(folder)] == ["test.yaml"]
        assert index.search(folder, "Alice")[0]
    assert index_file().is_dir() and not list(index_file().iterdir())


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes in read-only folders"
)
def test_a_read_only_cache_folder_means_an_index_in_memory(make_project: MakeProject) -> None:
    folder = make_project().parent
    cache = index_file().parent
    cache.mkdir(parents=True)
    cache.chmod(0o500)
    try:
        with LibraryIndex() as index:
            assert index.path is None and index.notice and "in memory" in index.notice
            assert len(index.refresh(folder).read) == 1
    finally:
        cache.chmod(0o700)


def test_the_library_opens_with_a_notice_when_the_index_cannot_be_used(
    make_project: MakeProject,
) -> None:
    folder = make_project().parent
    index_file().mkdir(parents=True)

    async def main() -> None:
        async with reader(folder, (120, 24), notifications=True) as (app, _pilot):
            library = app.screen
            assert isinstance(library, LibraryScreen)
            assert library.query_one("#table", DataTable).row_count == 1
            assert any("in memory" in note for note in notices(app))

    asyncio.run(main())


# --- 3. the state file ------------------------------------------------------------------------


def load_state_within(seconds: float) -> state.State:
    """State.load() in a thread: a hang fails the test instead of hanging it."""
    found: list[state.State | BaseException] = []

    def load() -> None:
        try:
            found.append(state.State.load())
        except BaseException as error:  # raised into the test, below
            found.append(error)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(seconds)
    assert found, f"State.load() did not return within {seconds} s"
    if isinstance(found[0], BaseException):
        raise found[0]
    return found[0]


def test_a_fifo_as_state_file_is_ignored_with_a_notice_and_replaced() -> None:
    target = state.path()
    target.parent.mkdir(parents=True)
    os.mkfifo(target)
    loaded = load_state_within(5)
    assert loaded.problem and "not a regular file" in loaded.problem
    assert loaded.theme is None and loaded.positions == {}

    async def main() -> list[str]:
        async with reader(SEED_BRIEFING, (100, 30), notifications=True) as (app, pilot):
            await pilot.press("2")
            return notices(app)

    notes = asyncio.run(main())
    assert any("not a regular file" in note for note in notes)
    # Saved by replacing the FIFO (temporary file, then rename), never by writing into it.
    assert target.is_file() and not target.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["positions"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[" * 200_000, "corrupt"),  # RecursionError in the JSON parser
        (b"{" * 200_000, "corrupt"),
        (b'[{"theme": "x"}]', "corrupt"),  # JSON, but not an object
        (b'{"theme": 3, "positions": {}}', "corrupt"),
        (b"\xff\xfe{}", "corrupt"),  # not text
        (None, "limit"),  # larger than any state file we write
    ],
    ids=["deep-lists", "deep-objects", "a-list", "theme-not-text", "not-utf8", "too-big"],
)
def test_a_bad_state_file_is_ignored_with_a_notice(content: bytes | None, expected: str) -> None:
    target = state.path()
    target.parent.mkdir(parents=True)
    if content is None:
        with target.open("wb") as out:
            out.truncate(state.CAP + 1)
    else:
        target.write_bytes(content)
    loaded = load_state_within(5)
    assert loaded.problem and expected in loaded.problem
    assert (loaded.theme, loaded.positions) == (None, {})


def test_a_symlinked_state_file_is_neither_followed_nor_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text('{"theme": "textual-light", "positions": {}}', encoding="utf-8")
    target = state.path()
    target.parent.mkdir(parents=True)
    target.symlink_to(elsewhere)
    loaded = load_state_within(5)
    assert loaded.problem and loaded.theme is None
    loaded.theme = "textual-dark"
    loaded.save()
    assert not target.is_symlink() and json.loads(target.read_text())["theme"] == "textual-dark"
    assert json.loads(elsewhere.read_text())["theme"] == "textual-light"


def test_positions_beyond_the_kept_number_are_dropped_on_load() -> None:
    target = state.path()
    target.parent.mkdir(parents=True)
    positions = {f"/b/{n}.yaml": f"item-{n}" for n in range(state.KEEP + 50)}
    target.write_text(json.dumps({"theme": None, "positions": positions}), encoding="utf-8")
    loaded = load_state_within(5)
    assert loaded.problem is None and len(loaded.positions) == state.KEEP
    assert loaded.position(Path(f"/b/{state.KEEP + 49}.yaml")) == f"item-{state.KEEP + 49}"


# --- 4. signals while a briefing loads --------------------------------------------------------

ENDLESS_LOAD = """
import os, sys
from pathlib import Path
import tui.loader

real = tui.loader.load_keyed  # what the reader's screen calls

def endless(path):
    # The real load of a 2,000-item briefing, over and over: a load that is always under way
    # (Python and pydantic contending for the GIL as in a real one), on any machine.
    Path(os.environ["LOAD_STARTED"]).touch()
    while True:
        real(path)

tui.loader.load_keyed = endless
from tui.cli import main
raise SystemExit(main(sys.argv[1:]))
"""
EXIT_BOUND = 5.0
"""Seconds the test allows; the goal is 1 s (see tests/bench/signals.py for the figure)."""


@pytest.fixture(scope="module")
def big_briefing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    folder = tmp_path_factory.mktemp("big")
    generate(2_000, 1_000, 1, folder)
    yield folder / "briefings" / "x.yaml", title_for(2_000, 1_000)


def reaped_within(session: ptyrun.Session, seconds: float, drain: bool) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            pid, status = os.waitpid(session.pid, os.WNOHANG)
            if pid:
                session.status = status
                return True
        if drain:
            session.read(0.02)
        else:
            time.sleep(0.02)
    return False


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and pseudo-terminals")
@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM", "SIGHUP", "hang-up"])
def test_a_signal_mid_load_ends_the_reader_with_the_terminal_restored(
    big_briefing: tuple[Path, str], tmp_path: Path, how: str
) -> None:
    briefing, title = big_briefing
    started = tmp_path / "load-started"
    env = ptyrun.child_env(
        {"BRIEFING_NO_CACHE": "1", "LOAD_STARTED": str(started), "PYTHONPATH": str(ROOT)}
    )
    argv = ptyrun.python_argv("-c", ENDLESS_LOAD, str(briefing))
    with ptyrun.spawn(argv, cwd=ROOT, env=env) as session:
        session.wait_for(title, 60.0)
        deadline = time.monotonic() + 60.0
        while not started.exists() and time.monotonic() < deadline:
            session.read(0.05)
        assert started.exists(), "the load never started"
        session.read(0.2)  # well into it
        mark = len(session.output)
        number = signal.SIGHUP if how == "hang-up" else getattr(signal, how)
        if how == "hang-up":  # a dropped SSH connection: the terminal is gone
            os.close(session.fd)
            session.exited = True
            session.fd = os.open(os.devnull, os.O_RDONLY)  # for close() to close
        else:
            os.kill(session.pid, number)
        assert reaped_within(session, EXIT_BOUND, drain=how != "hang-up"), (
            f"still running {EXIT_BOUND} s after {how}"
        )
        assert session.status is not None
        assert os.waitstatus_to_exitcode(session.status) == 128 + number
        if how != "hang-up":
            session.settle(idle=0.05, limit=1.0)
            assert b"\x1b[?1049l" in session.output[mark:], "the terminal was not restored"


# --- 5. closed pipes and Ctrl+C for the commands ---------------------------------------------


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["schema"], cli.EXIT_INVALID),
        (["--help"], cli.EXIT_OK),  # argparse itself ignores a write that fails
        (["validate", str(SEED_BRIEFING)], cli.EXIT_INVALID),
        (["export", str(SEED_BRIEFING), "--format", "json"], cli.EXIT_INVALID),
    ],
    ids=["schema", "help", "validate", "export"],
)
def test_a_closed_pipe_ends_a_command_quietly(argv: list[str], status: int) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # `briefing schema | head -5`, once head has gone
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tui", *argv],
            stdout=write_end,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=60,
        )
    finally:
        os.close(write_end)
    errors = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in errors and "BrokenPipe" not in errors, errors
    assert "Exception ignored" not in errors, errors
    assert result.returncode == status


def test_ctrl_c_ends_a_command_quietly_with_status_130(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "validate", interrupted)
    try:
        status = cli.main(["validate", str(SEED_BRIEFING)])
    except KeyboardInterrupt:
        pytest.fail("Ctrl+C left main() as a KeyboardInterrupt: a traceback on the terminal")
    assert status == 130
