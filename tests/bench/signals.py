"""How fast a signal ends the reader while it loads a large briefing.

    uv run python -m tests.bench.signals [--items 100000] [--runs 3] [--after 2 --after 8 ...]
                                         [--only SIGTERM]

For each of SIGINT, SIGTERM, SIGHUP and a hang-up (the pty's master closed): start `python -m tui BRIEFING` on a pty (cache off, so
the load is the loader's whole work), wait for the first frame (the briefing's title) and
`--after` seconds more (the load thread busy), send the signal, and time until the process
is reaped. Prints one line per run and the median and maximum per signal; the goal is under 1 s. Also says
whether the terminal was restored (the alternate screen left: `ESC[?1049l`) before exiting.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from . import ptyrun
from .generate import generate, title_for

LEAVE_ALT_SCREEN = b"\x1b[?1049l"


def time_to_exit(
    briefing: Path, title: str, number: int | None, after: float, limit: float = 120.0
) -> tuple[float, str, bool]:
    """(seconds from the signal to the reaped process, its status, terminal restored).

    number None: hang up instead (close the pty's master side, as a dropped SSH connection
    does); the kernel sends SIGHUP and the terminal is gone.
    """
    with tempfile.TemporaryDirectory() as scratch:
        env = ptyrun.child_env(
            {
                "XDG_CACHE_HOME": str(Path(scratch) / "cache"),
                "XDG_STATE_HOME": str(Path(scratch) / "state"),
                "BRIEFING_NO_CACHE": "1",
            }
        )
        with ptyrun.spawn(ptyrun.python_argv("-m", "tui", str(briefing)), env=env) as session:
            session.wait_for(title, 60.0)
            until = time.perf_counter() + after
            while (left := until - time.perf_counter()) > 0:
                session.read(left)  # drained: the loading indicators never stop drawing
            sent = time.perf_counter()
            if number is None:
                os.close(session.fd)
                session.exited = True
            else:
                os.kill(session.pid, number)
            deadline = sent + limit
            while time.perf_counter() < deadline:
                if number is None:
                    time.sleep(0.01)
                else:
                    session.read(0.01)
                pid, status = os.waitpid(session.pid, os.WNOHANG)
                if pid:
                    session.status = status
                    break
            elapsed = time.perf_counter() - sent
            if number is not None:
                session.settle(idle=0.05, limit=0.5)
            restored = LEAVE_ALT_SCREEN in session.output
            return elapsed, ptyrun.describe_status(session.status), restored


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.signals")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--after",
        type=float,
        action="append",
        help="seconds after the first frame to send the signal (repeat for several; default 2)",
    )
    parser.add_argument(
        "--only", choices=("SIGINT", "SIGTERM", "SIGHUP", "hang-up"), action="append"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as data:
        paragraphs = max(1, args.items // 2)
        generate(args.items, paragraphs, 1, Path(data))
        briefing = Path(data) / "briefings" / "x.yaml"
        title = title_for(args.items, paragraphs)
        afters = args.after or [2.0]
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, None):
            name = "hang-up" if number is None else number.name
            if args.only and name not in args.only:
                continue
            times = []
            for after in afters:
                for _ in range(args.runs):
                    elapsed, status, restored = time_to_exit(briefing, title, number, after)
                    times.append(elapsed)
                    print(
                        f"{name} at {after:g} s: {elapsed:.3f} s, {status}, "
                        f"terminal restored: {restored}",
                        file=sys.stderr,
                        flush=True,
                    )
            print(
                f"{name}: median {statistics.median(times):.3f} s, "
                f"max {max(times):.3f} s over {len(times)} runs"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
