"""How long the UI thread goes unanswered while a briefing opens: the longest gap between
10 ms ticks of a timer on the app, from mount to the settled screen.

    uv run python -m tests.bench.stall                    # 100,000 items, cold then warm
    uv run python -m tests.bench.stall --items 10000 --runs 3

Headless (run_test) and in a fresh process per open, so a closed briefing's collection is not
counted in the next; a key pressed during the open waits at most this long for its turn. The
briefing comes from tests/bench/generate.py, kept under --data as the runner keeps it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .generate import generate

CHILD = """
import asyncio, sys, time
from pathlib import Path
from tui.app import BriefingApp

async def main() -> None:
    app = BriefingApp(Path(sys.argv[1]))
    gaps = []
    last = [time.perf_counter()]
    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
    start = time.perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        app.set_interval(0.01, tick)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        total = time.perf_counter() - start
    print(f"{total:.3f} {max(gaps):.3f}")

asyncio.run(main())
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.stall")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2, help="warm opens (default 2)")
    parser.add_argument(
        "--data", default=os.path.join(tempfile.gettempdir(), "briefing-bench-stall")
    )
    args = parser.parse_args(argv)
    data = Path(args.data)
    name = f"stall-{args.items}"
    path = data / "briefings" / f"{name}.yaml"
    if not path.exists():
        generate(args.items, max(1, args.items // 2), 1, data, name)
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "XDG_CACHE_HOME": str(Path(scratch) / "cache"),
            "XDG_STATE_HOME": str(Path(scratch) / "state"),
        }
        for run in range(1 + args.runs):
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(path)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            total, gap = (float(x) for x in done.stdout.split())
            what = "cold (empty cache)" if run == 0 else f"warm {run}"
            print(
                f"{args.items} items, {what}: open {total:.2f} s, longest UI gap {gap * 1000:.0f} ms"
            )
            time.sleep(0.5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
