"""What a refused briefing costs: hostile files against the valid 100,000-item briefing.

    uv run python -m tests.bench.refusal                  # every case, 3 runs each
    uv run python -m tests.bench.refusal --only keys-1m --runs 1
    uv run python -m tests.bench.refusal --list

Each run is a fresh `python -c` that imports the loader, then times load_briefing on the file
(cache off); its peak RSS is the child's own, from os.wait4 (the rusage getrusage(CHILDREN)
would give, but for this one child alone, not the largest so far). Figures are medians: the
load time in the child, the child's wall time from fork to exit, and its peak RSS. Files are
written once under --data and reused; the hostile ones are the shapes a briefing never has
(a million keys, millions of scalars in one list, a scalar of tens of megabytes), so each
must be refused (target: under 1.5 s and 200 MB) and the valid one must still open.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .generate import generate

ROOT = Path(__file__).resolve().parents[2]
HEAD = "schema: 1\nid: hostile\ntitle: Hostile\n"
TARGET_SECONDS = 1.5
TARGET_MB = 200

_CHILD = """
import resource, sys, time
from pathlib import Path
from tui.loader import BriefingError, load_briefing
start = time.perf_counter()
try:
    loaded = load_briefing(Path(sys.argv[1]))
    outcome, text = "opened", f"{sum(loaded.briefing.counts().values())} items"
except BriefingError as error:
    lines = [d.format() for d in error.diagnostics]
    longest = max(map(len, lines))
    outcome, text = "refused", f"{len(lines)} line(s), longest {longest}: {lines[0][:160]}"
seconds = time.perf_counter() - start
print(seconds, outcome, text, sep="\\t")
"""


def _lines(count: int, line: Callable[[int], str]) -> Iterator[str]:
    for n in range(count):
        yield line(n)


def _write(path: Path, parts: Iterator[str] | list[str]) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.writelines(parts)


def _keys(path: Path) -> None:
    """A mapping of one million keys (17 MB)."""
    _write(path, [HEAD, *_lines(1_000_000, lambda n: f"k{n:07d}: value\n")])


def _flow_zeros(path: Path) -> None:
    """One flow list of 4.9 million zeros (9.8 MB), the whole file."""
    _write(path, ["[", "0," * 4_900_000, "0]\n"])


def _section_zeros(path: Path) -> None:
    """A section that is a flow list of 4.9 million zeros (9.8 MB): each one a wrong item."""
    _write(path, [HEAD, "parties: [", "0," * 4_900_000, "0]\n"])


def _block_zeros(path: Path) -> None:
    """One block list of 4.9 million zeros (20 MB)."""
    _write(path, [HEAD, "parties:\n", "- 0\n" * 4_900_000])


def _lists_of_zeros(path: Path) -> None:
    """Short flow lists, 20 zeros each, 230,000 of them: 4.8 million nodes in small lists."""
    row = "- [" + "0," * 19 + "0]\n"
    _write(path, [HEAD, "parties:\n", row * 230_000])


def _nested_zeros(path: Path) -> None:
    """A section of 100,000 flow lists of 48 zeros: 4.9 million nodes, each list under its cap."""
    row = "- [" + "0," * 47 + "0]\n"
    _write(path, [HEAD, "parties:\n", row * 100_000])


def _plain_scalar(path: Path) -> None:
    """A 50 MB plain scalar on one line, under the 64 MiB file cap."""
    _write(path, [HEAD, "summary: ", "a" * 50_000_000, "\n"])


def _block_scalar(path: Path) -> None:
    """A 50 MB literal block scalar of short lines: no long line to find."""
    line = "  " + "words " * 13 + "\n"
    _write(path, [HEAD, "summary: |\n", line * (50_000_000 // len(line))])


def _quoted_scalar(path: Path) -> None:
    """A 50 MB double-quoted scalar folded over short lines."""
    line = "  words " + "words " * 12 + "\n"
    _write(path, [HEAD, 'summary: "', line * (50_000_000 // len(line)), '"\n'])


def _long_key(path: Path) -> None:
    """An unknown field whose name is one megabyte long."""
    _write(path, [HEAD, "? ", "k" * 1_000_000, "\n: 1\n"])  # explicit: plain keys stop at 1 KiB


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    make: Callable[[Path], None] | None
    expect: str  # "refused" or "opened"


CASES = (
    Case("valid-100k", "valid briefing, 100,000 items (45 MB)", None, "opened"),
    Case("keys-1m", "mapping of 1,000,000 keys (17 MB)", _keys, "refused"),
    Case("flow-zeros", "flow list of 4.9 million zeros (9.8 MB)", _flow_zeros, "refused"),
    Case(
        "section-zeros", "a section of 4.9 million zeros, flow (9.8 MB)", _section_zeros, "refused"
    ),
    Case("block-zeros", "block list of 4.9 million zeros (20 MB)", _block_zeros, "refused"),
    Case("lists-of-zeros", "230,000 flow lists of 20 zeros (10 MB)", _lists_of_zeros, "refused"),
    Case("nested-zeros", "100,000 flow lists of 48 zeros (10 MB)", _nested_zeros, "refused"),
    Case("plain-scalar", "one 50 MB plain scalar on one line", _plain_scalar, "refused"),
    Case("block-scalar", "one 50 MB block scalar of short lines", _block_scalar, "refused"),
    Case("quoted-scalar", "one 50 MB double-quoted scalar, folded", _quoted_scalar, "refused"),
    Case("long-key", "an unknown field named by 1 MB of text", _long_key, "refused"),
)


def make_file(case: Case, data: Path) -> Path:
    """The case's file under data, written once."""
    if case.make is None:
        path = data / "valid-100k" / "briefings" / "x.yaml"
        if not path.exists():
            print("generating the 100,000-item briefing", file=sys.stderr, flush=True)
            generate(100_000, 50_000, 1, data / "valid-100k")
        return path
    path = data / f"{case.name}.yaml"
    if not path.exists():
        print(f"writing {path.name}", file=sys.stderr, flush=True)
        partial = path.with_suffix(".part")
        case.make(partial)
        partial.replace(path)
    return path


@dataclass
class Run:
    load: float
    wall: float
    rss_mb: float
    outcome: str
    text: str


def _limit_memory(megabytes: int) -> Callable[[], None]:
    def limit() -> None:
        size = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return limit


def run_once(path: Path, cache: Path, timeout: float, memory_mb: int) -> Run:
    """One fresh process loading path; its own peak RSS from wait4.

    The machine is shared: a child past timeout seconds is killed, and one past memory_mb of
    address space fails with MemoryError (both reported as such, not as figures)."""
    env = dict(os.environ, BRIEFING_NO_CACHE="1", XDG_CACHE_HOME=str(cache))
    with tempfile.TemporaryFile("w+") as output, tempfile.TemporaryFile("w+") as errors:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(path)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=errors,
            text=True,
            preexec_fn=_limit_memory(memory_mb),
        )
        timer = threading.Timer(timeout, child.kill)
        timer.start()
        try:
            # Reaped here, by wait4 (not by Popen), for this child's own rusage.
            _pid, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        out = output.read()
        errors.seek(0)
        err = errors.read()
    if child.returncode != 0 or not out.strip():
        if wall >= timeout:
            tail = [f"killed after {timeout:.0f} s"]
        elif "MemoryError" in err:
            tail = [f"MemoryError at the {memory_mb} MB limit"]
        else:
            tail = err.strip().splitlines()[-1:] or ["no output"]
        return Run(float("nan"), wall, usage.ru_maxrss / 1024, "failed", tail[0])
    seconds, outcome, text = out.rstrip("\n").split("\t", 2)
    return Run(float(seconds), wall, usage.ru_maxrss / 1024, outcome, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.refusal", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", action="append", default=[], metavar="CASE")
    parser.add_argument("--list", action="store_true", help="name the cases and exit")
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds before a run is killed"
    )
    parser.add_argument("--memory-mb", type=int, default=3000, help="address space a run may take")
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(tempfile.gettempdir()) / "briefing-bench-refusal",
        help="where the files are written once and reused",
    )
    args = parser.parse_args(argv)
    if args.list:
        for case in CASES:
            print(f"{case.name:16} {case.what}")
        return 0
    unknown = set(args.only) - {c.name for c in CASES}
    if unknown:
        parser.error(f"unknown case(s): {', '.join(sorted(unknown))}")
    cases = [c for c in CASES if not args.only or c.name in args.only]
    args.data.mkdir(parents=True, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory() as cache:
        for case in cases:
            path = make_file(case, args.data)
            runs = []
            for n in range(args.runs):
                print(f"{case.name}: run {n + 1}/{args.runs}", file=sys.stderr, flush=True)
                runs.append(run_once(path, Path(cache), args.timeout, args.memory_mb))
            outcome = runs[0].outcome
            load = statistics.median(r.load for r in runs)
            wall = statistics.median(r.wall for r in runs)
            rss = statistics.median(r.rss_mb for r in runs)
            refused_ok = load < TARGET_SECONDS and rss < TARGET_MB
            ok = outcome == case.expect and (case.expect == "opened" or refused_ok)
            rows.append((case, path.stat().st_size, outcome, load, wall, rss, ok, runs[0].text))
    print("| case | file | outcome | load | process | peak RSS | ok |")
    print("|---|---|---|---|---|---|---|")
    for case, size, outcome, load, wall, rss, ok, _text in rows:
        print(
            f"| {case.what} | {size / 1e6:.1f} MB | {outcome} | {load:.2f} s | {wall:.2f} s "
            f"| {rss:.0f} MB | {'yes' if ok else 'NO'} |"
        )
    for case, size, outcome, load, wall, rss, ok, text in rows:
        print(
            json.dumps(
                {
                    "case": case.name,
                    "bytes": size,
                    "outcome": outcome,
                    "load_s": round(load, 3),
                    "process_s": round(wall, 3),
                    "peak_rss_mb": round(rss, 1),
                    "ok": ok,
                    "message": text,
                }
            )
        )
    return 0 if all(row[6] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
