"""The benchmark runner: every figure as what the user sees, against a bare Textual app.

    uv run python -m tests.bench                  # all figures, 80x24, 5 runs each
    uv run python -m tests.bench --only load --only keys
    uv run python -m tests.bench --markdown       # the README table from one run
    uv run python -m tests.bench --big-window     # pty figures at 160x48 as well
    uv run python -m tests.bench --huge           # the 100,000-item figures too (slow)

Start-up and key figures replay the pty output through a terminal emulator (screen.py): start-up
is timed to a useful screen (outline, detail and source filled, no loading indicator) and a key
to its whole answer (the screen's settled state), not to the first bytes or frame. The bare
Textual app runs in the same run, its rounds interleaved with the reader's, because absolute
times drift by 25-40% on shared machines while ratios hold. Every figure is a median with its
p90 and max. Progress goes to stderr; the table (or --markdown) and one JSON line per figure to
stdout. A figure that cannot be measured is reported as `skipped: reason`.
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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import ptyrun, screen, seen
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


# --- start-up to a useful screen ----------------------------------------------------------------


@dataclass
class Startup:
    """Runs of the reader, each after a run of the baseline (rounds interleaved)."""

    useful: list[float] = field(default_factory=list)
    placeholder: list[float] = field(default_factory=list)
    base: list[float] = field(default_factory=list)
    hwm: list[int] = field(default_factory=list)
    base_hwm: list[int] = field(default_factory=list)
    skipped: str | None = None


def measure_startup(
    ctx: Context,
    path: Path,
    marker: str,
    window: tuple[int, int],
    items: int = 0,
    mode: str = "first",
) -> Startup:
    """Fresh readers on path to a useful screen, alternating with the bare app; memoised."""
    key = ("startup", path, window, mode)
    if key in ctx.memo:
        return ctx.memo[key]
    result = Startup()
    base_argv = ptyrun.python_argv(*BASELINE)
    argv = ptyrun.python_argv("-m", "tui", str(path))
    timeout = ctx.timeout(items)
    try:
        expect = expect_for(ctx, path)
    except RuntimeError as error:  # a briefing the bench cannot read has no useful screen
        result.skipped = f"cannot read {path.name}: {error}"
        ctx.memo[key] = result
        return result
    runs = ctx.args.huge_runs if items >= HUGE else ctx.runs
    for run in range(-1, runs):  # run -1 warms pyc files and the cache; it is not counted
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
        try:
            with ptyrun.spawn(argv, window, ROOT, ctx.env(mode)) as session:
                opened = seen.open_to_useful(session, window, expect, marker, timeout)
        except ptyrun.MarkerMissing as error:
            result.skipped = str(error)
            break
        if run < 0:
            ctx.log(f"    warm-up: useful {opened.useful:.3f} s")
            continue
        result.useful.append(opened.useful)
        if opened.placeholder is not None:
            result.placeholder.append(opened.placeholder)
        if opened.hwm_kb:
            result.hwm.append(opened.hwm_kb)
        ctx.log(
            f"    run {run + 1}: useful {opened.useful:.3f} s, placeholder "
            f"{opened.placeholder or float('nan'):.3f} s (bare app {result.base[-1]:.3f} s)"
        )
    ctx.memo[key] = result
    return result


def expect_for(ctx: Context, path: Path) -> screen.Expect:
    """What path's useful screen shows, worked out in a child process: loading a big briefing
    here would grow this process, and Linux carries a parent's peak RSS into its children's
    ru_maxrss (and makes the machine busier for the children measured after)."""
    key = ("expect", path)
    if key not in ctx.memo:
        code = (
            "import json, sys; from pathlib import Path; from tests.bench.screen import Expect;"
            "e = Expect.for_briefing(Path(sys.argv[1]));"
            "print(json.dumps([e.outline_rows, e.source_words]))"
        )
        done = subprocess.run(
            ptyrun.python_argv("-c", code, str(path)),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            tail = " | ".join(done.stderr.strip().splitlines()[-2:])
            raise RuntimeError(tail or f"exit status {done.returncode}")
        rows, words = json.loads(done.stdout)
        ctx.memo[key] = screen.Expect(rows, words)
    return ctx.memo[key]


def _spread(row: Row, values: list[float], scale: float = 1.0) -> None:
    """Median as the value; p90 and max beside it."""
    row.value = median(values) * scale
    row.extra["p90"] = p90(values) * scale
    row.extra["max"] = max(values) * scale


def _startup_row(
    figure: str, what: str, target: str, limit: float | None, times: list[float], result: Startup
) -> Row:
    row = Row(figure, what, target, runs=len(times))
    if result.base:
        row.baseline = median(result.base)
        row.extra["baseline_runs"] = len(result.base)
    if result.skipped or not times:
        row.skipped = result.skipped or "no runs"
        return row
    _spread(row, times)
    row.ratio = row.value / row.baseline if row.baseline and row.value else None
    row.ok = None if limit is None or row.ratio is None else row.ratio <= limit
    return row


MODES = {"first": "first open, empty cache", "cached": "reopened, cache warm"}
SHORT = {"first": "cold", "cached": "warm"}


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


def _useful_rows(
    ctx: Context,
    name: str,
    label: str,
    path: Path,
    marker: str,
    items: int,
    limits: tuple[float, float],
) -> list[Row]:
    """Start-up rows, cold then warm; limits are issue 15's targets (x the bare app), cold and
    warm."""
    rows = []
    for window in ctx.windows:
        for mode in MODES:
            ctx.log(f"{name}{_suffix(window)} ({MODES[mode]}): python -m tui {path.name}")
            result = measure_startup(ctx, path, marker, window, items, mode)
            figure = f"useful-{name}-{SHORT[mode]}{_suffix(window)}"
            what = f"useful screen, {label}, {SHORT[mode]} ({MODES[mode]})"
            limit = limits[0] if mode == "first" else limits[1]
            rows.append(
                _startup_row(figure, what, f"<={limit:g}x bare", limit, result.useful, result)
            )
    return rows


def _placeholder_rows(
    ctx: Context, name: str, label: str, path: Path, marker: str, items: int
) -> list[Row]:
    rows = []
    for window in ctx.windows:
        for mode in MODES:
            result = measure_startup(ctx, path, marker, window, items, mode)
            figure = f"placeholder-{name}-{SHORT[mode]}{_suffix(window)}"
            what = f"first frame (placeholder: title + loading indicators), {label}, {SHORT[mode]}"
            rows.append(_startup_row(figure, what, "-", None, result.placeholder, result))
    return rows


def fig_useful_seed(ctx: Context) -> list[Row]:
    if not SEED_BRIEFING.exists():
        return [Row("useful-seed", "seed briefing", "-", skipped="seed briefing missing")]
    marker = seed_marker()
    rows = _useful_rows(ctx, "seed", "seed briefing", SEED_BRIEFING, marker, 0, (1.5, 1.3))
    return rows + _placeholder_rows(ctx, "seed", "seed briefing", SEED_BRIEFING, marker, 0)


def fig_useful_10k(ctx: Context) -> list[Row]:
    path, title = ctx.briefing(10_000)
    label = "10,000 items / 5,000 paragraphs"
    rows = _useful_rows(ctx, "10k", label, path, title, 10_000, (2.5, 1.5))
    return rows + _placeholder_rows(ctx, "10k", label, path, title, 10_000)


def fig_useful_100k(ctx: Context) -> list[Row]:
    if not ctx.args.huge:
        return [Row("useful-100k", "100,000 items", "-", skipped="needs --huge (slow)")]
    path, title = ctx.briefing(HUGE)
    return _useful_rows(
        ctx, "100k", "100,000 items / 50,000 paragraphs", path, title, HUGE, (8.0, 3.0)
    )


def _rss_row(ctx: Context, items: int) -> Row:
    # Issue 15's target is for 100,000 items; 150 MB is the project's own for 10,000.
    limit = 350 if items > 10_000 else 150
    row = Row(
        f"rss-reader-{items // 1000}k",
        f"peak RSS of the reader (real process, interface up, useful screen, idle), "
        f"{items:,} items, first open",
        f"<={limit} MB",
        unit="MB",
    )
    if items > 10_000 and not ctx.args.huge:
        row.skipped = "needs --huge (slow)"
        return row
    path, title = ctx.briefing(items)
    result = measure_startup(ctx, path, title, (80, 24), items, "first")
    if result.base_hwm:
        row.baseline = median(result.base_hwm) / MB
    if result.skipped or not result.hwm:
        row.skipped = result.skipped or "VmHWM not readable"
        return row
    _spread(row, [kb / MB for kb in result.hwm])
    row.runs = len(result.hwm)
    row.ratio = row.value / row.baseline if row.baseline and row.value else None
    row.ok = row.value is not None and row.value <= limit
    return row


def fig_rss_reader(ctx: Context) -> list[Row]:
    return [_rss_row(ctx, 10_000), _rss_row(ctx, HUGE)]


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
    report = json.loads(out)
    # VmHWM from the child itself; wait4's ru_maxrss includes this parent's peak at fork.
    return report, report.get("vmhwm_kb", usage.ru_maxrss)


LOAD_MODES = {
    "off": "cache off (BRIEFING_NO_CACHE=1)",
    "first": "first load, empty cache (writes it)",
    "cached": "reload, cache warm",
}


@dataclass
class LoadRuns:
    load: list[float] = field(default_factory=list)
    compose: list[float] = field(default_factory=list)
    compose_gc_on: list[float] = field(default_factory=list)
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
        # load_briefing turns the cyclic GC off for its build: its baseline runs the same way.
        report, rss = run_probe("compose-nogc", path, plain)
        result.compose.append(report["seconds"])
        result.compose_rss.append(rss)
        line = (
            f"    run {run + 1}: load {result.load[-1]:.3f} s, compose (GC off) "
            f"{result.compose[-1]:.3f} s"
        )
        if mode == "off":
            result.compose_gc_on.append(run_probe("compose", path, plain)[0]["seconds"])
            line += f", compose (GC on) {result.compose_gc_on[-1]:.3f} s"
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
            f"load_briefing, {items:,} items, fresh process, {LOAD_MODES[mode]}; "
            "baseline yaml.compose (C loader), both with the GC off",
            "<=1.0x C compose" if big else "curve",
        )
        if result.skipped:
            row.skipped = result.skipped
            rows.append(row)
            continue
        _spread(row, result.load)
        row.baseline = median(result.compose)
        row.ratio = row.value / row.baseline
        row.ok = row.ratio <= 1.0 if big else None
        row.runs = len(result.load)
        if result.compose_gc_on:
            row.extra["compose_gc_on_s"] = median(result.compose_gc_on)
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
            name,
            f"peak RSS of a load-only child (no interface), 10k items, {LOAD_MODES[mode]}",
            "<=150 MB",
            unit="MB",
        )
        if result.skipped:
            row.skipped = result.skipped
            rows.append(row)
            continue
        _spread(row, [kb / MB for kb in result.load_rss])
        row.baseline = median(result.compose_rss) / MB
        row.ratio = row.value / row.baseline
        row.ok = row.value <= 150
        row.runs = len(result.load_rss)
        rows.append(row)
    return rows


# --- keys, to their whole answer on screen --------------------------------------------------


def _keyed(
    ctx: Context,
    path: Path | None,
    plan: list[str],
    window: tuple[int, int],
    items: int,
) -> list[seen.Keyed]:
    """The plan pressed in each of ctx.runs fresh processes (cache warm: start-up is not what
    is timed); path None: the bare app with --keys."""
    got: list[seen.Keyed] = []
    for _ in range(ctx.runs):
        if path is None:
            argv = ptyrun.python_argv(*BASELINE, "--keys")
            with ptyrun.spawn(argv, window, ROOT) as session:
                session.wait_for(BASELINE_MARKER, ctx.args.timeout)
                got += seen.press_plan(session, window, plan)
            continue
        expect = expect_for(ctx, path)
        argv = ptyrun.python_argv("-m", "tui", str(path))
        with ptyrun.spawn(argv, window, ROOT, ctx.env("cached")) as session:
            seen.open_to_useful(session, window, expect, "", ctx.timeout(items))
            got += seen.press_plan(session, window, plan)
    return got


def _key_row(figure: str, what: str, got: list[seen.Keyed], name: str, base: float | None) -> Row:
    row = Row(figure, what, "median <=16.7 ms, p90 <=25 ms, max <=50 ms", unit="ms", baseline=base)
    mine = [k for k in got if k.key == name]
    whole = [k.whole for k in mine if k.whole is not None]
    row.extra["presses"] = len(mine)
    row.extra["unchanged"] = len(mine) - len(whole)
    if not whole:
        row.skipped = "no key changed the screen"
        return row
    _spread(row, whole, 1000)
    row.runs = len(whole)
    firsts = [k.first_frame for k in mine if k.first_frame is not None]
    if firsts:
        row.extra["first_frame_median_ms"] = median(firsts) * 1000
        row.extra["first_frame_p90_ms"] = p90(firsts) * 1000
    row.ratio = row.value / base if base and row.value else None
    row.ok = (
        row.value is not None
        and row.value <= 16.7
        and row.extra["p90"] <= 25
        and row.extra["max"] <= 50
    )
    return row


def fig_keys(ctx: Context) -> list[Row]:
    rows = []
    presses = ctx.args.presses
    for window in ctx.windows:
        ctx.log(f"keys, bare app{_suffix(window)}: {presses} Downs x {ctx.runs}")
        try:
            bare = _keyed(ctx, None, ["down"] * presses, window, 0)
            wholes = [k.whole for k in bare if k.whole is not None]
            base = median(wholes) * 1000 if wholes else None
        except ptyrun.MarkerMissing as error:
            ctx.log(f"  baseline failed: {error}")
            base = None
        for items in KEY_SIZES:
            path, _title = ctx.briefing(items)
            ctx.log(f"key-down {items} items{_suffix(window)}: Down/Up runs, {presses} Downs")
            figure = f"key-down-{items}{_suffix(window)}"
            what = f"Down in the outline to its whole answer, {items:,} items"
            try:
                got = _keyed(ctx, path, seen.down_up_plan(items, presses), window, items)
            except ptyrun.MarkerMissing as error:
                rows.append(Row(figure, what, "-", skipped=str(error)))
                continue
            rows.append(_key_row(figure, what, got, "down", base))
        path, _title = ctx.briefing(10_000)
        ctx.log(f"jump 10,000 items / 5,000 paragraphs{_suffix(window)}: End/Home")
        figure = f"jump-10k{_suffix(window)}"
        what = (
            "item to source jump, first <-> last outline item (End/Home), "
            "5,000-paragraph source, whole answer"
        )
        try:
            got = _keyed(ctx, path, seen.jump_plan(presses), window, 10_000)
        except ptyrun.MarkerMissing as error:
            rows.append(Row(figure, what, "-", skipped=str(error)))
            continue
        row = _key_row(figure, what, [replace(k, key="jump") for k in got], "jump", base)
        row.extra["source_at"] = " / ".join(sorted({k.cited for k in got if k.cited}))
        if row.extra["source_at"]:
            row.what += f" (status after each jump: {row.extra['source_at']})"
        rows.append(row)
    return rows


# --- the runner -----------------------------------------------------------------------------

FIGURES: dict[str, tuple[str, Callable[[Context], list[Row]]]] = {
    "useful-seed": ("1. seed briefing to a useful screen (and the placeholder)", fig_useful_seed),
    "useful-10k": ("2. 10k items / 5k paragraphs to a useful screen", fig_useful_10k),
    "useful-100k": ("2. 100k items to a useful screen (--huge; slow)", fig_useful_100k),
    "load": ("3. load_briefing vs C compose, both GC off, 1,000 and 10,000 items", fig_load),
    "keys": ("4. Down at 10 / 10,000 items and a far jump, to the whole answer", fig_keys),
    "rss-reader": ("5. peak RSS of the reader, 10k (and 100k with --huge) items", fig_rss_reader),
    "rss-load": ("5. peak RSS of a load-only child (no interface)", fig_rss_load),
}

METHOD = (
    "Method: fresh processes on an 80x24 pty; every output chunk fed with its arrival time into "
    "a pyte screen of that size; start-up = fork to the first screen with no loading indicator, "
    f">={screen.OUTLINE_ROWS} outline rows, a filled detail pane and the first cited "
    "paragraph's words in the source "
    "pane; a key = key to the screen's settled state (whole answer, colours included), Down "
    "sampled in Down/Up runs that never reach the list's end, cache warm; load = in-process "
    "time, baseline yaml.compose (CSafeLoader), both with the GC off; bare app = one Static, "
    "rounds interleaved with the reader; median (p90, max)."
)


MODULES = [""]
"""How the children's modules were loaded (set by main: ptyrun.bytecode)."""


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    return f"{value:.0f} {unit}"


def _value_cell(row: Row) -> str:
    value = _fmt(row.value, row.unit)
    if "p90" in row.extra:
        value += (
            f" (p90 {_fmt(row.extra['p90'], row.unit)}, max {_fmt(row.extra['max'], row.unit)})"
        )
    return value


def table(rows: list[Row]) -> str:
    header = ("figure", "median (p90, max)", "baseline", "ratio", "target", "ok", "runs")
    lines = []
    for row in rows:
        if row.skipped:
            base = f" (baseline {_fmt(row.baseline, row.unit)})" if row.baseline else ""
            lines.append((row.figure, f"skipped: {row.skipped}{base}"))
            continue
        ok = "-" if row.ok is None else ("yes" if row.ok else "NO")
        ratio = "-" if row.ratio is None else f"{row.ratio:.2f}x"
        cells = (row.figure, _value_cell(row), _fmt(row.baseline, row.unit), ratio, row.target, ok)
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
    out.append(f"{METHOD} {MODULES[0]}")
    return "\n".join(out)


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(rows: list[Row]) -> str:
    """The README table from one run: what, median, p90, max, against the bare app, target."""
    out = [
        "| figure | median | p90 | max | baseline (median) | ratio | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row.skipped:
            out.append(f"| {_md(row.what)} | skipped: {_md(row.skipped)} | | | | | |")
            continue
        cells = (
            row.what,
            _fmt(row.value, row.unit),
            _fmt(row.extra.get("p90"), row.unit),
            _fmt(row.extra.get("max"), row.unit),
            _fmt(row.baseline, row.unit),
            "-" if row.ratio is None else f"{row.ratio:.2f}x",
            row.target,
        )
        out.append("| " + " | ".join(_md(c) for c in cells) + " |")
    out.append("")
    out.append(f"{METHOD} {MODULES[0]}")
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
    parser.add_argument("--big-window", action="store_true", help="also measure at 160x48")
    parser.add_argument("--huge", action="store_true", help="add the 100,000-item figures")
    parser.add_argument(
        "--huge-runs", type=int, default=3, help="runs per 100,000-item figure (3: slow)"
    )
    parser.add_argument(
        "--markdown", action="store_true", help="print the README table (markdown) to stdout"
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to a useful screen")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--source-only",
        action="store_true",
        help="start every child without bytecode, compiling each module (as figures before "
        "this option were taken under PYTHONDONTWRITEBYTECODE=1)",
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
    MODULES[0] = ptyrun.bytecode(args.source_only)
    ctx = Context(args)
    started = time.perf_counter()
    rows: list[Row] = []
    try:
        for name in chosen:
            rows.extend(FIGURES[name][1](ctx))
    finally:
        ctx.cleanup()
    ctx.log(f"done in {time.perf_counter() - started:.0f} s")
    print(markdown(rows) if args.markdown else table(rows))
    for row in rows:
        print(row.json())
    return 0
