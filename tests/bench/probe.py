"""The child process of the load figures: one operation on one file, timed in-process.

    python -m tests.bench.probe load PATH      # tui.loader.load_briefing(PATH)
    python -m tests.bench.probe compose PATH   # yaml.compose(text, Loader=yaml.CSafeLoader)
    python -m tests.bench.probe compose-nogc PATH   # the same with the cyclic GC off, as
                                                    # load_briefing turns it off for its build
    python -m tests.bench.probe events PATH    # the C parser's events, nothing built
    python -m tests.bench.probe profile PATH [--top N]   # cProfile of load_briefing
    python -m tests.bench.probe phases PATH    # each step of load_briefing timed on its own

load, compose and events print one JSON line: the seconds the operation took (imports excluded; they
are timed apart), and the process's peak RSS. The file is read inside the timed part in both,
so the two do the same I/O.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path


def _load(path: Path) -> float:
    from tui.loader import load_briefing

    started = time.perf_counter()
    load_briefing(path)
    return time.perf_counter() - started


def _compose(path: Path) -> float:
    import yaml

    started = time.perf_counter()
    text = path.read_bytes().decode("utf-8")
    yaml.compose(text, Loader=yaml.CSafeLoader)
    return time.perf_counter() - started


def _events(path: Path) -> float:
    """The bare C event stream, nothing built: the true floor of any PyYAML-based reader."""
    import yaml

    started = time.perf_counter()
    parser = yaml.CSafeLoader(path.read_bytes().decode("utf-8"))
    try:
        while parser.check_event():
            parser.get_event()
    finally:
        parser.dispose()
    return time.perf_counter() - started


def _compose_nogc(path: Path) -> float:
    """compose with the cyclic GC off, as load_briefing runs its own build: the same state."""
    import gc

    gc.disable()
    try:
        return _compose(path)
    finally:
        gc.enable()


OPERATIONS = {
    "load": _load,
    "compose": _compose,
    "compose-nogc": _compose_nogc,
    "events": _events,
}


def _area(filename: str) -> str:
    """Which part of the stack a profiled function belongs to."""
    name = filename.replace("\\", "/")
    for part, area in (
        ("/tui/strict_yaml.py", "strict_yaml (YAML events to data + positions)"),
        ("/tui/schema.py", "schema (validators, reference checks, walk_reported)"),
        ("/tui/source.py", "source (paragraphs, anchor resolution)"),
        ("/tui/loader.py", "loader (orchestration, grounding)"),
        ("/tui/", "tui (other)"),
        ("/yaml/", "PyYAML (Python side of the C parser)"),
        ("/pydantic", "pydantic"),
    ):
        if part in name:
            return area
    if name.startswith("<built-in") or name == "~":
        return "builtins (C calls: parser events, str ops, regex, hashing)"
    return "other Python"


def profile(path: Path, top: int) -> None:
    """cProfile of load_briefing: time by area (self time) and the top functions."""
    import cProfile
    import pstats

    from tui.loader import load_briefing

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    load_briefing(path)
    profiler.disable()
    wall = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    by_area: dict[str, float] = {}
    total = 0.0
    rows = stats.stats  # type: ignore[attr-defined]
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in rows.items():
        area = _area(filename)
        by_area[area] = by_area.get(area, 0.0) + tottime
        total += tottime
    print(f"load_briefing({path}): {wall:.3f} s under cProfile (self time {total:.3f} s)")
    print("self time by area:")
    for area, seconds in sorted(by_area.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds:7.3f} s  {seconds / total:6.1%}  {area}")
    print(f"\ntop {top} by cumulative time:")
    stats.sort_stats("cumulative").print_stats(top)
    print(f"top {top} by self time:")
    stats.sort_stats("tottime").print_stats(top)


def phases(path: Path) -> None:
    """load_briefing's steps timed one by one without a profiler (whose overhead inflates
    code made of many small calls), in CPU seconds, with the cyclic GC off as load_briefing
    runs them; each step the best of three."""
    import copy
    import gc

    import yaml

    from tui import loader, strict_yaml
    from tui.files import tree_root
    from tui.schema import check_references
    from tui.source import SourceText
    from tui.value_checks import check_values
    from tui.versions import version_problems

    def timed(label: str, fn, *args):  # type: ignore[no-untyped-def]
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            value = fn(*args)
            best = min(best, time.process_time() - started)
        print(f"  {best:7.3f} s  {label}")
        return value, best

    raw = path.read_bytes()
    text = raw.decode("utf-8")
    root = tree_root(path)
    print(f"{path} ({len(raw):,} bytes), CPU seconds, GC off")
    gc.disable()
    try:
        timed("parse_briefing, all of it", loader.parse_briefing, raw, path)
        print("steps:")
        timed("C parser events only (floor)", _events, path)
        timed("yaml.compose, CSafeLoader (the baseline)", yaml.compose, text, yaml.CSafeLoader)
        (data, _positions), parse = timed(
            "strict_yaml.load (events to data)", strict_yaml.load, text
        )
        _, versions = timed("version_problems", version_problems, data, data.get("schema"))
        copies = [copy.deepcopy(data) for _ in range(3)]
        briefing, validate = timed(
            "pydantic (loader._validate)", lambda: loader._validate(copies.pop(), release=True)
        )
        _, refs = timed("check_references", check_references, briefing)

        def read() -> tuple[dict[str, SourceText], set[str]]:
            sources: dict[str, SourceText] = {}
            drifted: set[str] = set()
            loader._read_sources(briefing, path, sources, drifted, root)
            return sources, drifted

        _, reading = timed("_read_sources (read, sha256, split paragraphs)", read)

        def resolve() -> None:
            sources, drifted = read()
            loader._resolve_all(briefing, sources, drifted, {}, [], [])

        _, resolving = timed("_read_sources + _resolve_all (anchors)", resolve)
        _, checks = timed("check_values", check_values, briefing)
    finally:
        gc.enable()
    total = parse + versions + validate + refs + resolving + checks
    print(
        f"shares of the steps ({total:.3f} s): parse {parse / total:.0%}, versions "
        f"{versions / total:.0%}, pydantic {validate / total:.0%}, references "
        f"{refs / total:.0%}, sources and resolving {resolving / total:.0%} (reading "
        f"{reading / total:.0%}), value checks {checks / total:.0%}"
    )


def _vm_hwm_kb() -> int | None:
    """This process's own peak RSS. ru_maxrss is not: Linux carries the forking parent's peak
    across fork and exec, so a big bench parent would show as the child's peak."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.probe")
    parser.add_argument("operation", choices=(*OPERATIONS, "profile", "phases"))
    parser.add_argument("path", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    if args.operation == "phases":
        phases(args.path)
        return 0
    if args.operation == "profile":
        profile(args.path, args.top)
        return 0
    started = time.perf_counter()
    if args.operation == "load":
        import tui.loader  # noqa: F401
    else:
        import yaml  # noqa: F401
    imports = time.perf_counter() - started
    seconds = OPERATIONS[args.operation](args.path)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = {"seconds": seconds, "import_seconds": imports, "maxrss_kb": peak_kb}
    hwm = _vm_hwm_kb()
    if hwm is not None:
        report["vmhwm_kb"] = hwm
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
