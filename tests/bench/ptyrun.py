"""Measuring a terminal app in a real pseudo-terminal.

`pty.fork()` the command with a window size set and TERM=xterm-256color, answer the app's
synchronized-output query the way a modern terminal does, and time:

- from fork to the bytes of a marker (text the first frame must show) arriving on the pty;
- from writing a key's bytes to the end of the frame that answers it (Textual brackets each
  frame with `ESC[?2026h` ... `ESC[?2026l` once the terminal says it supports that mode), with
  the app idle (no output for IDLE seconds) before each press.

Then the child is killed (SIGTERM, then SIGKILL) and reaped; its peak RSS (VmHWM) is read from
/proc before that.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

SYNC_START = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"  # DECRPM: mode 2026 known, currently reset
IDLE = 0.1
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
_ENV_DROP = ("COLUMNS", "LINES", "NO_COLOR", "COLORTERM", "TERM_PROGRAM", "PYTHONPYCACHEPREFIX")
_SOURCE_ONLY: str | None = None
"""An empty folder that children look in for bytecode (and write none): see `bytecode`."""


@dataclass(frozen=True, slots=True)
class Press:
    """A key's latency: to the end of the first frame after it, and to its last byte."""

    frame: float
    settled: float
    bracketed: bool


class MarkerMissing(Exception):
    """The marker never showed: the reason says why (timeout, or the child exited)."""


@dataclass
class Session:
    """A child running on a pty; `output` holds every byte it wrote."""

    pid: int
    fd: int
    started: float
    output: bytearray = field(default_factory=bytearray)
    exited: bool = False
    status: int | None = None
    last_output: float = 0.0
    """When the last byte arrived (perf_counter)."""
    chunks: list[tuple[float, bytes]] = field(default_factory=list)
    """Every chunk read, with its arrival time (perf_counter), for replay in an emulator."""
    _answered: int = 0

    def read(self, timeout: float) -> tuple[bytes, float]:
        """Bytes that arrive within timeout (b"" if none) and the time they arrived."""
        if self.exited:
            return b"", time.perf_counter()
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        now = time.perf_counter()
        if not ready:
            return b"", now
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError as error:
            if error.errno != errno.EIO:
                raise
            chunk = b""
        if not chunk:
            self.exited = True
            return b"", now
        self.output += chunk
        self.chunks.append((now, chunk))
        self.last_output = now
        self._answer_queries()
        return chunk, now

    def _answer_queries(self) -> None:
        # A query may straddle two reads: count complete ones in the whole output.
        asked = self.output.count(SYNC_QUERY)
        while self._answered < asked:
            self.write(SYNC_REPLY)
            self._answered += 1

    def write(self, data: bytes) -> None:
        with contextlib.suppress(OSError):
            os.write(self.fd, data)

    def text(self) -> str:
        """The output with escape sequences removed, as text."""
        return _ESCAPES.sub(b"", bytes(self.output)).decode("utf-8", "replace")

    def wait_for(self, marker: str, timeout: float) -> float:
        """Seconds from fork until the marker's bytes have arrived; MarkerMissing if never."""
        raw = marker.encode("utf-8")
        deadline = time.perf_counter() + timeout
        scanned = 0
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise MarkerMissing(f"marker {marker!r} not shown within {timeout:g} s")
            chunk, at = self.read(min(left, 0.5))
            if chunk:
                # Raw search over the new bytes (plus an overlap), then without escapes.
                if raw in self.output[max(0, scanned - len(raw)) :] or marker in self.text():
                    return at - self.started
                scanned = len(self.output)
            elif self.exited:
                self.reap()
                tail = self.text().strip()[-300:]
                raise MarkerMissing(
                    f"process exited ({describe_status(self.status)}) before showing "
                    f"{marker!r}; last output: {tail!r}"
                )

    def settle(self, idle: float = IDLE, limit: float = 10.0) -> bool:
        """Read until no output for idle seconds; False if still busy after limit seconds."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            chunk, _ = self.read(idle)
            if not chunk:
                return True
        return False

    def press(self, key: bytes, timeout: float = 5.0) -> Press | None:
        """Write key; time the end of the first frame after it, and the last byte before idle.

        The first frame is the one closed by a synchronized-output end; when the app writes no
        brackets, it is taken to end at the last byte before output goes idle. None when
        nothing answered within timeout.
        """
        mark = len(self.output)
        sent = time.perf_counter()
        self.write(key)
        deadline = sent + timeout
        first: float | None = None
        last: float | None = None
        while time.perf_counter() < deadline:
            chunk, at = self.read(min(deadline - time.perf_counter(), IDLE))
            if chunk:
                last = at
                if first is None:
                    new = self.output[mark:]
                    opened = new.find(SYNC_START)
                    if opened >= 0 and new.find(SYNC_END, opened) >= 0:
                        first = at
            elif self.exited or last is not None:
                break  # idle (or gone) after the answer
        if last is None:
            return None
        return Press((first or last) - sent, last - sent, first is not None)

    def vm_hwm_kb(self) -> int | None:
        """Peak resident set size of the child so far, from /proc (Linux only)."""
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return None
        found = re.search(r"^VmHWM:\s+(\d+)\s+kB", status, re.MULTILINE)
        return int(found.group(1)) if found else None

    def cpu_seconds(self) -> float | None:
        """CPU time (user and system, every thread) the child has used so far, from /proc
        (Linux only; in clock ticks, 10 ms): unlike wall time, it barely moves when other
        processes share the cores."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def reap(self) -> None:
        if self.status is None:
            with contextlib.suppress(ChildProcessError):
                _, self.status = os.waitpid(self.pid, 0)

    def close(self) -> None:
        """SIGTERM, then SIGKILL after a second; reap the child and close the pty."""
        if self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            deadline = time.perf_counter() + 1.0
            while self.status is None and time.perf_counter() < deadline:
                with contextlib.suppress(ChildProcessError):
                    pid, status = os.waitpid(self.pid, os.WNOHANG)
                    if pid:
                        self.status = status
                        break
                self.read(0.02)  # drain, so a child blocked on a full pty can die
            if self.status is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                self.reap()
        with contextlib.suppress(OSError):
            os.close(self.fd)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def describe_status(status: int | None) -> str:
    if status is None:
        return "status unknown"
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured child: TERM set, Textual's dev switches off."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL") and k not in _ENV_DROP
    }
    env["TERM"] = "xterm-256color"
    if _SOURCE_ONLY is not None:
        env["PYTHONPYCACHEPREFIX"] = _SOURCE_ONLY
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra or {})
    return env


def bytecode(source_only: bool = False) -> str:
    """Start children as an installed program starts: its modules' bytecode (`.pyc`) written
    beforehand, for the program, the bare app and every library alike; what to say so.

    With PYTHONDONTWRITEBYTECODE set (as in some shells and CI), no run writes any, and every
    start compiles every module it imports from source: Textual's own import then takes most
    of the bare app's time (0.36 s against 0.14 s), which hides the product's cost in the
    ratio. source_only measures that way on purpose (the children look for bytecode in an
    empty folder and write none), to compare with figures taken so.
    """
    global _SOURCE_ONLY
    if source_only:
        import tempfile

        _SOURCE_ONLY = tempfile.mkdtemp(prefix="no-pyc-")
        return "Modules: compiled from source at every start (--source-only: no bytecode)."
    import compileall
    import site

    _SOURCE_ONLY = None
    folders = [Path(__file__).resolve().parents[2] / "tui", *map(Path, site.getsitepackages())]
    with open(os.devnull, "w") as nowhere, contextlib.redirect_stdout(nowhere):
        for folder in folders:
            compileall.compile_dir(folder, quiet=2, workers=1)
    return "Modules: bytecode compiled beforehand, as an installed program has it."


def spawn(
    argv: Sequence[str],
    size: tuple[int, int] = (80, 24),
    cwd: Path | str | None = None,
    env: dict[str, str] | None = None,
) -> Session:
    """Fork argv on a new pty of size (columns, rows); argv[0] is an executable path."""
    columns, rows = size
    environment = child_env() if env is None else env
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: size the terminal before anything can ask for it
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            if cwd is not None:
                os.chdir(cwd)
            os.execve(argv[0], list(argv), environment)
        except BaseException as error:  # pragma: no cover - only reached on exec failure
            os.write(2, f"exec failed: {error}\n".encode())
        finally:
            os._exit(127)
    return Session(pid, fd, started)


def time_to_marker(
    argv: Sequence[str],
    marker: str,
    size: tuple[int, int] = (80, 24),
    timeout: float = 30.0,
    cwd: Path | str | None = None,
    env: dict[str, str] | None = None,
) -> tuple[float, int | None]:
    """One run: (seconds from fork to the marker on the pty, peak RSS in kB at that point).

    Raises MarkerMissing when the marker does not show within timeout.
    """
    with spawn(argv, size, cwd, env) as session:
        elapsed = session.wait_for(marker, timeout)
        return elapsed, session.vm_hwm_kb()


def key_latencies(
    argv: Sequence[str],
    marker: str,
    key: bytes,
    presses: int,
    size: tuple[int, int] = (80, 24),
    timeout: float = 30.0,
    cwd: Path | str | None = None,
    env: dict[str, str] | None = None,
) -> list[Press | None]:
    """One process: wait for the marker and for idle, then press key `presses` times, the app
    idle before each press. One entry per press (None: nothing answered)."""
    with spawn(argv, size, cwd, env) as session:
        session.wait_for(marker, timeout)
        session.settle(limit=timeout)
        results: list[Press | None] = []
        for _ in range(presses):
            results.append(session.press(key))
            session.settle()
        return results


def python_argv(*args: str) -> list[str]:
    """This interpreter (the project's venv) running args, skipping uv's own start-up."""
    return [sys.executable, *args]
