"""The library at scale: 1,000 small briefings, cold and warm, against a bare Textual app.

    uv run python -m tests.bench.library              # 3 warm runs, 1 cold run
    uv run python -m tests.bench.library --runs 5 --cold-runs 2 --count 1000

Each run is a fresh `python -m tui FOLDER` on a pseudo-terminal (tests/bench/ptyrun.py) with
its own XDG folders, timed from fork to text on the screen, alternating with the bare app of
tests/bench/baseline_app.py; figures are medians and ratios against the bare app's median.

- cold, first rows: empty cache and index, to the first indexed row on screen;
- cold, complete: to the heading counting every briefing (`N of N`);
- warm: index and loader cache filled by a previous run, to `N of N` (nothing to re-read);
  also as CPU time (user and system, from /proc) against the bare app's to its marker, a
  figure that barely moves when other processes share the cores;
- index only, warm: in this process, LibraryIndex() + plan + records of the folder.

Briefings come from tests/bench/generate.py (24 items, 12 paragraphs each, seeds 0..N-1),
written once under --data and reused.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from . import ptyrun
from .baseline_app import MARKER as BASELINE_MARKER
from .generate import generate, title_for

ROOT = Path(__file__).resolve().parents[2]
ITEMS, PARAGRAPHS = 24, 12


def make_library(data: Path, count: int) -> Path:
    """DATA/lib-COUNT/briefings with count generated briefings (made once)."""
    base = data / f"lib-{count}x{ITEMS}"
    folder = base / "briefings"
    done = base / ".complete"
    if not done.exists():
        print(f"generating {count} briefings in {base}", file=sys.stderr, flush=True)
        for n in range(count):
            generate(ITEMS, PARAGRAPHS, n, base, f"b{n:05d}")
        done.write_text("ok")
    return folder


def _env(cache: Path, state: Path) -> dict[str, str]:
    return ptyrun.child_env(
        {"XDG_CACHE_HOME": str(cache), "XDG_STATE_HOME": str(state), "XDG_CONFIG_HOME": str(state)}
    )


CPU: dict[str, list[float]] = {"bare": [], "warm": []}
"""CPU seconds of the bare app to its marker, and of the reader to a warm full table."""


def _baseline(timeout: float) -> float:
    argv = ptyrun.python_argv("-m", "tests.bench.baseline_app")
    with ptyrun.spawn(argv, (80, 24), ROOT) as session:
        elapsed = session.wait_for(BASELINE_MARKER, timeout)
        cpu = session.cpu_seconds()
        if cpu is not None:
            CPU["bare"].append(cpu)
        return elapsed


def _library(
    folder: Path, env: dict[str, str], markers: list[str], timeout: float, cpu: str = ""
) -> list[float]:
    """Seconds from fork to each marker in turn; the CPU time at the last kept in CPU[cpu]."""
    argv = ptyrun.python_argv("-m", "tui", str(folder))
    with ptyrun.spawn(argv, (80, 24), ROOT, env) as session:
        times = [session.wait_for(marker, timeout) for marker in markers]
        used = session.cpu_seconds()
        if cpu and used is not None:
            CPU[cpu].append(used)
        return times


def _index_only(folder: Path, cache: Path) -> float:
    """LibraryIndex() + plan + records in a fresh process (a warm index)."""
    code = (
        "import time, sys; from pathlib import Path; t = time.perf_counter(); "
        "from tui.index import LibraryIndex; i = LibraryIndex(); p = i.plan(Path(sys.argv[1])); "
        "r = i.records(Path(sys.argv[1])); "
        "print(time.perf_counter() - t, len(p.stale), len(r))"
    )
    import subprocess

    env = ptyrun.child_env({"XDG_CACHE_HOME": str(cache)})
    out = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    ).stdout.split()
    assert out[1] == "0", f"warm index had {out[1]} stale files"
    return float(out[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.library", description=__doc__)
    parser.add_argument("--count", type=int, default=1_000, help="briefings (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="warm runs (default 3)")
    parser.add_argument("--cold-runs", type=int, default=1, help="cold runs (default 1)")
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "briefing-bench-library"
    )
    parser.add_argument(
        "--source-only", action="store_true", help="children compile every module (no bytecode)"
    )
    args = parser.parse_args(argv)
    modules = ptyrun.bytecode(args.source_only)
    folder = make_library(args.data, args.count)
    scratch = Path(tempfile.mkdtemp(prefix="run-", dir=args.data))
    title = title_for(ITEMS, PARAGRAPHS)
    done = f"{args.count} of {args.count}"
    base: list[float] = []
    cold_first: list[float] = []
    cold_done: list[float] = []
    warm: list[float] = []
    shared = scratch / "shared-cache"
    for run in range(args.cold_runs):
        base.append(_baseline(args.timeout))
        cache = shared if run == 0 else Path(tempfile.mkdtemp(prefix="cold-", dir=scratch))
        env = _env(cache, Path(tempfile.mkdtemp(prefix="state-", dir=scratch)))
        first, complete = _library(folder, env, [title, done], args.timeout)
        cold_first.append(first)
        cold_done.append(complete)
        print(
            f"cold run {run + 1}: first rows {first:.3f} s, all {args.count} indexed "
            f"{complete:.3f} s (bare {base[-1]:.3f} s)",
            file=sys.stderr,
            flush=True,
        )
    for run in range(args.runs):
        base.append(_baseline(args.timeout))
        env = _env(shared, Path(tempfile.mkdtemp(prefix="state-", dir=scratch)))
        (elapsed,) = _library(folder, env, [done], args.timeout, cpu="warm")
        warm.append(elapsed)
        print(
            f"warm run {run + 1}: {elapsed:.3f} s (bare {base[-1]:.3f} s)",
            file=sys.stderr,
            flush=True,
        )
    index_only = statistics.median(_index_only(folder, shared) for _ in range(3))
    bare = statistics.median(base)
    figures = {
        "library-cold-first-rows": statistics.median(cold_first),
        "library-cold-complete": statistics.median(cold_done),
        "library-warm": statistics.median(warm),
    }
    print(f"\n{args.count} briefings of {ITEMS} items; bare Textual app {bare:.3f} s (median)")
    print(f"  {modules}")
    for name, value in figures.items():
        print(f"  {name:<26} {value:7.3f} s  {value / bare:5.2f}x bare")
    print(f"  {'index open + plan + rows':<26} {index_only * 1000:7.1f} ms (warm, in process)")
    if CPU["bare"] and CPU["warm"]:
        # CPU time, which the other processes on a shared machine barely change.
        cpu_bare, cpu_warm = statistics.median(CPU["bare"]), statistics.median(CPU["warm"])
        print(
            f"  {'library-warm, CPU':<26} {cpu_warm:7.3f} s  {cpu_warm / cpu_bare:5.2f}x the "
            f"bare app's CPU ({cpu_bare:.3f} s)"
        )
        figures_cpu = {"figure": "library-warm-cpu", "value": cpu_warm, "bare": cpu_bare}
        print(json.dumps(figures_cpu))
    for name, value in figures.items():
        print(
            json.dumps({"figure": name, "value": round(value, 4), "ratio": round(value / bare, 3)})
        )
    print(json.dumps({"figure": "library-index-warm", "value": round(index_only, 4)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
