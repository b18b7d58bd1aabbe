"""The benchmark runner: every figure as a median of fresh processes, against a baseline.

    uv run python -m tests.bench                  # all figures, 80x24, 5 runs each
    uv run python -m tests.bench --only load --only key-down
    uv run python -m tests.bench --big-window     # pty figures at 160x48 as well
    uv run python -m tests.bench --huge           # the start-up curve at 100,000 items too

Absolute times drift by 25-40% on shared machines, so each figure's runs alternate with runs
of its baseline and the figure is the ratio of the two medians. Progress goes to stderr; the
table and then one JSON line per figure go to stdout. A figure whose marker never shows (the
reader not written yet, a crash, a timeout) is reported as `skipped: reason`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import ptyrun
from .baseline_app import MARKER as BASELINE_MARKER
from .generate import generate, title_for

ROOT = Path(__file__).resolve().parents[2]
SEED_BRIEFING = ROOT / "briefings" / "russia-china-military-cooperation-2014.yaml"
SEED_MARKER = "Russia and China boost"
BASELINE = ("-m", "tests.bench.baseline_app")
MB = 1024  # kB per MB, for RSS figures
CURVE = (100, 1_000, 10_000)
HUGE = 100_000
LOAD_SIZES = (1_000, 10_000)
KEY_SIZES = (10, 10_000)
KEYS = {"down": b"\x1b[B", "j": b"j"}


@dataclass
class Row:
    """One line of the table and one JSON line."""

    figure: str
    what: str
    target: str
    value: float | None = None
    unit: str = "s"
    baseline: float | None = None
    ratio: float | None = None
    ok: bool | None = None
    runs: int = 0
    skipped: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def json(self) -> str:
        data: dict[str, Any] = {"figure": self.figure, "what": self.what, "target": self.target}
        if self.skipped:
            data["skipped"] = self.skipped
        data.update(
            value=_round(self.value),
            unit=self.unit,
            baseline=_round(self.baseline),
            ratio=_round(self.ratio),
            ok=self.ok,
            runs=self.runs,
        )
        data.update({k: _round(v) for k, v in self.extra.items()})
        return json.dumps(data)


def _round(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def p90(values: Iterable[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


class Context:
    """Options, generated data and measurements shared between figures."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.runs: int = args.runs
        self.windows: list[tuple[int, int]] = [(80, 24)] + ([(160, 48)] if args.big_window else [])
        stamp = hashlib.sha256(Path(__file__).with_name("generate.py").read_bytes()).hexdigest()
        self.data = Path(args.data) / f"gen-{stamp[:10]}-seed{args.seed}"
        self.memo: dict[tuple[Any, ...], Any] = {}
        self.data.mkdir(parents=True, exist_ok=True)
        self.scratch = Path(tempfile.mkdtemp(prefix="caches-", dir=self.data))

    def env(self, mode: str) -> dict[str, str]:
        """A child's environment for a cache mode; never the user's own cache folder.

        first: a new empty cache per run (a briefing opened for the first time, cache written);
        cached: one cache shared by the runs, filled by the warm-up run (a briefing reopened);
        off: BRIEFING_NO_CACHE=1 (the loader's own work, nothing read or written).
        Saved reader state is always fresh.
        """
        if mode == "cached":
            folder = self.scratch / "shared"
        else:
            folder = Path(tempfile.mkdtemp(prefix=f"{mode}-", dir=self.scratch))
        # The reader's saved state (last place, theme) must not carry over between runs.
        state = Path(tempfile.mkdtemp(prefix="state-", dir=self.scratch))
        extra = {
            "XDG_CACHE_HOME": str(folder),
            "XDG_STATE_HOME": str(state),
            "XDG_CONFIG_HOME": str(state),
        }
        if mode == "off":
            extra["BRIEFING_NO_CACHE"] = "1"
        return ptyrun.child_env(extra)

    def cleanup(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)

    def log(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    def briefing(self, items: int, paragraphs: int | None = None) -> tuple[Path, str]:
        """A generated briefing (made once, kept in the data folder) and its title."""
        paragraphs = paragraphs if paragraphs is not None else max(1, items // 2)
        name = f"bench-{items}x{paragraphs}"
        path = self.data / "briefings" / f"{name}.yaml"
        if not path.exists() or not (self.data / "seeds" / f"{name}.txt").exists():
            self.log(f"  generating {items} items / {paragraphs} paragraphs in {self.data}")
            generate(items, paragraphs, self.args.seed, self.data, name)
        return path, title_for(items, paragraphs)

    def timeout(self, items: int = 0) -> float:
        return self.args.timeout + items / 1_000 * 2.0


def _suffix(window: tuple[int, int]) -> str:
    return "" if window == (80, 24) else f"@{window[0]}x{window[1]}"


# --- start-up to first frame ------------------------------------------------------------------


@dataclass
class Startup:
    """Alternating runs of a command and the baseline, to a marker on the pty."""

    times: list[float] = field(default_factory=list)
    base: list[float] = field(default_factory=list)
    hwm: list[int] = field(default_factory=list)
    base_hwm: list[int] = field(default_factory=list)
    settled: list[float] = field(default_factory=list)
    skipped: str | None = None


def _one_startup(
    ctx: Context,
    argv: list[str],
    marker: str,
    window: tuple[int, int],
    timeout: float,
    mode: str,
) -> tuple[float, int | None, float | None]:
    """(seconds to marker, VmHWM kB once idle, seconds until idle after the marker)."""
    with ptyrun.spawn(argv, window, ROOT, ctx.env(mode)) as session:
        elapsed = session.wait_for(marker, timeout)
        calm = session.settle(limit=timeout)
        settled = (session.last_output - session.started) if calm else None
        return elapsed, session.vm_hwm_kb(), settled


def measure_startup(
    ctx: Context,
    argv: list[str] | None,
    marker: str,
    window: tuple[int, int],
    items: int = 0,
    mode: str = "first",
) -> Startup:
    """Runs of argv (None: baseline only) alternating with the baseline; memoised."""
    key = ("startup", tuple(argv or ()), marker, window, mode)
    if key in ctx.memo:
        return ctx.memo[key]
    result = Startup()
    base_argv = ptyrun.python_argv(*BASELINE)
    timeout = ctx.timeout(items)
    if argv is None:
        result.skipped = "no command to measure"
    for run in range(-1, ctx.runs):  # run -1 warms pyc files and the cache; it is not counted
        try:
            with ptyrun.spawn(base_argv, window, ROOT) as session:
                elapsed = session.wait_for(BASELINE_MARKER, ctx.args.timeout)
                hwm = session.vm_hwm_kb()
        except ptyrun.MarkerMissing as error:
            result.skipped = f"baseline failed: {error}"
            break
        if run >= 0:
            result.base.append(elapsed)
            if hwm:
                result.base_hwm.append(hwm)
        if argv is None or result.skipped:
            continue
        try:
            elapsed, hwm, settled = _one_startup(ctx, argv, marker, window, timeout, mode)
        except ptyrun.MarkerMissing as error:
            result.skipped = str(error)
            continue
        if run < 0:
            ctx.log(f"    warm-up: {elapsed:.3f} s")
            continue
        result.times.append(elapsed)
        if hwm:
            result.hwm.append(hwm)
        if settled is not None:
            result.settled.append(settled)
        ctx.log(f"    run {run + 1}: {elapsed:.3f} s (baseline {result.base[-1]:.3f} s)")
    ctx.memo[key] = result
    return result


def _startup_row(
    figure: str, what: str, target: str, limit: float | None, result: Startup, why: str = ""
) -> Row:
    """A row for a start-up figure; limit None: a curve point with no target of its own."""
    row = Row(figure, what, target, runs=len(result.times))
    if result.base:
        row.baseline = median(result.base)
        row.extra["baseline_runs"] = len(result.base)
    if result.skipped or not result.times:
        row.skipped = why or result.skipped or "no runs"
        return row
    row.value = median(result.times)
    row.ratio = row.value / row.baseline if row.baseline else None
    row.ok = None if limit is None or row.ratio is None else row.ratio <= limit
    row.extra["min"] = min(result.times)
    row.extra["max"] = max(result.times)
    if result.settled:
        row.extra["idle_after_s"] = median(result.settled)
    return row


MODES = {"first": "first open, empty cache", "cached": "reopened, cache warm"}


def seed_marker() -> str:
    """The seed briefing's title as the first frame shows it (its first words)."""
    try:
        import yaml

        title = yaml.safe_load(SEED_BRIEFING.read_text(encoding="utf-8")).get("title")
    except Exception:
        return SEED_MARKER
    if not isinstance(title, str) or not title.strip():
        return SEED_MARKER
    return SEED_MARKER if title.startswith(SEED_MARKER) else " ".join(title.split()[:4])


def fig_cold_start(ctx: Context) -> list[Row]:
    rows = []
    shown = SEED_BRIEFING.relative_to(ROOT)
    exists = SEED_BRIEFING.exists()
    argv = ptyrun.python_argv("-m", "tui", str(SEED_BRIEFING)) if exists else None
    why = "" if exists else f"{shown} does not exist yet (baseline measured only)"
    for window in ctx.windows:
        for mode, what in MODES.items():
            ctx.log(f"cold-start{_suffix(window)} ({what}): python -m tui {shown}")
            result = measure_startup(ctx, argv, seed_marker(), window, 0, mode)
            name = "cold-start" + ("" if mode == "first" else "-cached") + _suffix(window)
            what_ = f"seed briefing to first frame, {what}"
            rows.append(_startup_row(name, what_, "<=1.3x bare", 1.3, result, why))
            if not exists:
                break
    return rows


def _open(ctx: Context, items: int, window: tuple[int, int], mode: str = "first") -> Startup:
    path, title = ctx.briefing(items)
    ctx.log(f"open {items} items{_suffix(window)} ({MODES[mode]}): python -m tui {path.name}")
    marker = ctx.args.open_marker or title
    argv = ptyrun.python_argv("-m", "tui", str(path))
    return measure_startup(ctx, argv, marker, window, items, mode)


def fig_open_10k(ctx: Context) -> list[Row]:
    rows = []
    for window in ctx.windows:
        for mode, what in MODES.items():
            result = _open(ctx, 10_000, window, mode)
            name = "open-10k" + ("" if mode == "first" else "-cached") + _suffix(window)
            what_ = f"10,000 items / 5,000 paragraphs to first frame, {what}"
            rows.append(_startup_row(name, what_, "<=3x bare", 3.0, result))
    return rows


def fig_open_curve(ctx: Context) -> list[Row]:
    sizes = CURVE + ((HUGE,) if ctx.args.huge else ())
    rows = []
    for window in ctx.windows:
        for items in sizes:
            result = _open(ctx, items, window)
            big = items == 10_000
            rows.append(
                _startup_row(
                    f"open-{items}{_suffix(window)}",
                    f"{items:,} items / {max(1, items // 2):,} paragraphs, first open",
                    "<=3x bare" if big else "curve",
                    3.0 if big else None,
                    result,
                )
            )
    return rows


def fig_rss_reader(ctx: Context) -> list[Row]:
    result = _open(ctx, 10_000, (80, 24))
    row = Row(
        "rss-reader", "reader VmHWM, 10k briefing first open, once idle", "<=150 MB", unit="MB"
    )
    if result.base_hwm:
        row.baseline = median(result.base_hwm) / MB
    if result.skipped or not result.hwm:
        row.skipped = result.skipped or "VmHWM not readable"
        return [row]
    row.value = median(result.hwm) / MB
    row.runs = len(result.hwm)
    row.ratio = row.value / row.baseline if row.baseline else None
    row.ok = row.value <= 150
    return [row]


# --- loading without the UI ---------------------------------------------------------------


def run_probe(operation: str, path: Path, env: dict[str, str]) -> tuple[dict[str, Any], int]:
    """One fresh process of tests.bench.probe: its report and its peak RSS (kB) from wait4.

    wait4 gives this child's own rusage: what getrusage(RUSAGE_CHILDREN).ru_maxrss reads in a
    parent that has had only this child.
    """
    process = subprocess.Popen(
        ptyrun.python_argv("-m", "tests.bench.probe", operation, str(path)),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    out = process.stdout.read()
    err = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise RuntimeError(f"probe {operation} failed ({process.returncode}): {' | '.join(tail)}")
    return json.loads(out), usage.ru_maxrss


LOAD_MODES = {
    "off": "cache off (BRIEFING_NO_CACHE=1)",
    "first": "first load, empty cache (writes it)",
    "cached": "reload, cache warm",
}


@dataclass
class LoadRuns:
    load: list[float] = field(default_factory=list)
    compose: list[float] = field(default_factory=list)
    events: list[float] = field(default_factory=list)
    load_rss: list[int] = field(default_factory=list)
    compose_rss: list[int] = field(default_factory=list)
    imports: list[float] = field(default_factory=list)
    skipped: str | None = None


def measure_load(ctx: Context, items: int, mode: str = "off") -> LoadRuns:
    """load_briefing in fresh processes, each run alternating with the C compose baseline."""
    key = ("load", items, mode)
    if key in ctx.memo:
        return ctx.memo[key]
    path, _title = ctx.briefing(items)
    ctx.log(f"load {items} items, {LOAD_MODES[mode]}: {ctx.runs} runs")
    result = LoadRuns()
    plain = ptyrun.child_env()
    for run in range(-1 if mode == "cached" else 0, ctx.runs):
        try:
            report, rss = run_probe("load", path, ctx.env(mode))
        except RuntimeError as error:
            result.skipped = str(error)
            break
        if run < 0:
            continue  # the warm-up that fills the cache
        result.load.append(report["seconds"])
        result.imports.append(report["import_seconds"])
        result.load_rss.append(rss)
        report, rss = run_probe("compose", path, plain)
        result.compose.append(report["seconds"])
        result.compose_rss.append(rss)
        line = (
            f"    run {run + 1}: load {result.load[-1]:.3f} s, compose {result.compose[-1]:.3f} s"
        )
        if mode == "off":
            result.events.append(run_probe("events", path, plain)[0]["seconds"])
            line += f", C events {result.events[-1]:.3f} s"
        ctx.log(line)
    ctx.memo[key] = result
    return result


def fig_load(ctx: Context) -> list[Row]:
    rows = []
    plan = [(1_000, "off"), (10_000, "off"), (10_000, "first"), (10_000, "cached")]
    for items, mode in plan:
        result = measure_load(ctx, items, mode)
        big = items == 10_000
        name = f"load-{items}" + ("" if mode == "off" else f"-{mode}")
        row = Row(
            name,
            f"load_briefing, {items:,} items, fresh process, {LOAD_MODES[mode]}",
            "<=1.2x C compose" if big else "curve",
        )
        if result.skipped:
            row.skipped = result.skipped
            rows.append(row)
            continue
        row.value = median(result.load)
        row.baseline = median(result.compose)
        row.ratio = row.value / row.baseline
        row.ok = row.ratio <= 1.2 if big else None
        row.runs = len(result.load)
        if result.events:
            row.extra["c_events_s"] = median(result.events)
            row.extra["vs_c_events"] = row.value / median(result.events)
        row.extra["import_s"] = median(result.imports)
        rows.append(row)
    return rows


def fig_rss_load(ctx: Context) -> list[Row]:
    rows = []
    for mode in ("off", "cached"):
        result = measure_load(ctx, 10_000, mode)
        name = "rss-load" + ("" if mode == "off" else f"-{mode}")
        row = Row(
            name, f"peak RSS, child loading 10k items, {LOAD_MODES[mode]}", "<=150 MB", unit="MB"
        )
        if result.skipped:
            row.skipped = result.skipped
            rows.append(row)
            continue
        row.value = median(result.load_rss) / MB
        row.baseline = median(result.compose_rss) / MB
        row.ratio = row.value / row.baseline
        row.ok = row.value <= 150
        row.runs = len(result.load_rss)
        rows.append(row)
    return rows


# --- keypress to frame ----------------------------------------------------------------------


def _presses(
    ctx: Context, argv: list[str], marker: str, key: bytes, window: tuple[int, int], items: int
) -> list[ptyrun.Press | None]:
    """Presses over ctx.runs fresh processes (cache warm: start-up is not what is timed)."""
    got: list[ptyrun.Press | None] = []
    for _ in range(ctx.runs):
        got += ptyrun.key_latencies(
            argv,
            marker,
            key,
            ctx.args.presses,
            window,
            ctx.timeout(items),
            ROOT,
            ctx.env("cached"),
        )
    return got


def fig_key_down(ctx: Context) -> list[Row]:
    key = KEYS.get(ctx.args.key, ctx.args.key.encode())
    rows = []
    for window in ctx.windows:
        ctx.log(f"key-down baseline{_suffix(window)}: {ctx.args.presses} presses x {ctx.runs}")
        base_argv = ptyrun.python_argv(*BASELINE, "--keys")
        try:
            base = [p.frame for p in _presses(ctx, base_argv, BASELINE_MARKER, key, window, 0) if p]
        except ptyrun.MarkerMissing as error:
            base = []
            ctx.log(f"  baseline failed: {error}")
        for items in KEY_SIZES:
            path, title = ctx.briefing(items)
            ctx.log(f"key-down {items} items{_suffix(window)}")
            row = Row(
                f"key-down-{items}{_suffix(window)}",
                f"Down to frame in the outline, {items:,} items",
                "median <=16.7 ms, p90 <=33 ms",
                unit="ms",
            )
            if base:
                row.baseline = median(base) * 1000
            argv = ptyrun.python_argv("-m", "tui", str(path))
            marker = ctx.args.open_marker or title
            try:
                got = _presses(ctx, argv, marker, key, window, items)
            except ptyrun.MarkerMissing as error:
                row.skipped = str(error)
                rows.append(row)
                continue
            answered = [p for p in got if p is not None]
            if not answered:
                row.skipped = "no frame answered the key"
                rows.append(row)
                continue
            frames = [p.frame for p in answered]
            settled = [p.settled for p in answered]
            row.value = median(frames) * 1000
            row.runs = ctx.runs
            row.ratio = row.value / row.baseline if row.baseline else None
            row.extra["p90_ms"] = p90(frames) * 1000
            row.extra["max_ms"] = max(frames) * 1000
            row.extra["settled_median_ms"] = median(settled) * 1000
            row.extra["settled_p90_ms"] = p90(settled) * 1000
            row.extra["presses"] = len(got)
            row.extra["unanswered"] = len(got) - len(answered)
            row.extra["bracketed"] = sum(p.bracketed for p in answered)
            row.ok = row.value <= 16.7 and row.extra["p90_ms"] <= 33
            rows.append(row)
    return rows


# --- the runner -----------------------------------------------------------------------------

FIGURES: dict[str, tuple[str, Callable[[Context], list[Row]]]] = {
    "cold-start": ("1. seed briefing cold start vs bare Textual", fig_cold_start),
    "open-10k": ("2. 10k items / 5k paragraphs to first frame", fig_open_10k),
    "open-curve": (
        "2. first frame at 100 / 1,000 / 10,000 items (--huge: 100,000)",
        fig_open_curve,
    ),
    "load": ("3. load_briefing vs C compose at 1,000 and 10,000 items", fig_load),
    "key-down": ("4. Down key to frame at 10 and 10,000 items", fig_key_down),
    "rss-load": ("5. peak RSS of a child loading 10k items", fig_rss_load),
    "rss-reader": ("5. reader VmHWM with 10k items", fig_rss_reader),
}


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    return f"{value:.0f} {unit}"


def table(rows: list[Row]) -> str:
    header = ("figure", "value", "baseline", "ratio", "target", "ok", "runs")
    lines = []
    for row in rows:
        if row.skipped:
            base = f" (baseline {_fmt(row.baseline, row.unit)})" if row.baseline else ""
            lines.append((row.figure, f"skipped: {row.skipped}{base}"))
            continue
        value = _fmt(row.value, row.unit)
        if "p90_ms" in row.extra:
            value += f" (p90 {row.extra['p90_ms']:.1f})"
        ok = "-" if row.ok is None else ("yes" if row.ok else "NO")
        ratio = "-" if row.ratio is None else f"{row.ratio:.2f}x"
        cells = (row.figure, value, _fmt(row.baseline, row.unit), ratio, row.target, ok)
        lines.append((*cells, str(row.runs)))
    full = [line for line in lines if len(line) == len(header)]
    widths = [max(len(c[i]) for c in [header, *full]) for i in range(len(header))]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    out.append("  ".join("-" * w for w in widths))
    for line in lines:
        if len(line) == len(header):
            out.append("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)))
        else:
            out.append(f"{line[0].ljust(widths[0])}  {line[1]}")
    return "\n".join(out)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench",
        description="Benchmark the briefing reader against a bare Textual app.",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="run only this figure (repeatable, or comma-separated): " + ", ".join(FIGURES),
    )
    parser.add_argument("--list", action="store_true", help="list the figures and exit")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per figure (5)")
    parser.add_argument("--presses", type=int, default=20, help="key presses per process (20)")
    parser.add_argument("--key", default="down", help="down (ESC [ B), j, or literal bytes")
    parser.add_argument("--big-window", action="store_true", help="also measure at 160x48")
    parser.add_argument("--huge", action="store_true", help="add 100,000 items to the curve")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to the marker")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--open-marker",
        help="text the reader's first frame must show (default: the generated title)",
    )
    parser.add_argument(
        "--data",
        default=os.path.join(tempfile.gettempdir(), "briefing-bench"),
        help="where generated briefings are kept (default: %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list:
        for name, (what, _fn) in FIGURES.items():
            print(f"{name:12} {what}")
        return 0
    chosen = [n for part in args.only for n in re.split(r"[,\s]+", part) if n] or list(FIGURES)
    unknown = [n for n in chosen if n not in FIGURES]
    if unknown:
        print(
            f"unknown figure(s): {', '.join(unknown)}; known: {', '.join(FIGURES)}", file=sys.stderr
        )
        return 2
    if args.runs < 5:
        print(f"note: {args.runs} runs per figure; the figures want at least 5", file=sys.stderr)
    ctx = Context(args)
    started = time.perf_counter()
    rows: list[Row] = []
    try:
        for name in chosen:
            rows.extend(FIGURES[name][1](ctx))
    finally:
        ctx.cleanup()
    ctx.log(f"done in {time.perf_counter() - started:.0f} s")
    print(table(rows))
    for row in rows:
        print(row.json())
    return 0
