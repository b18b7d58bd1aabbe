"""The benchmark harness works: generated briefings are valid, the pty measurement runs.

The benchmark itself is not a test: `uv run python -m tests.bench`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.bench import ptyrun, runner
from tests.bench.baseline_app import MARKER
from tests.bench.generate import SECTION_KEYS, generate, section_counts
from tui.loader import load_briefing

ROOT = Path(__file__).resolve().parent.parent


def test_generated_briefing_is_valid_with_counts_per_section(tmp_path: Path) -> None:
    made = generate(30, 20, seed=1, out_dir=tmp_path)
    assert made.briefing == tmp_path / "briefings" / "x.yaml"
    assert made.source == tmp_path / "seeds" / "x.txt"
    loaded = load_briefing(made.briefing)
    assert loaded.diagnostics == []
    assert loaded.briefing.counts() == {key: 5 for key in SECTION_KEYS}
    assert len(loaded.sources["src"].paragraphs) == 20
    assert loaded.briefing.title == made.title
    assert all(e.span is not None for spans in loaded.evidence.values() for e in spans)


def test_generator_is_deterministic_and_spreads_remainders(tmp_path: Path) -> None:
    a = generate(13, 7, seed=3, out_dir=tmp_path / "a")
    b = generate(13, 7, seed=3, out_dir=tmp_path / "b")
    assert a.briefing.read_bytes() == b.briefing.read_bytes()
    assert a.source.read_bytes() == b.source.read_bytes()
    assert section_counts(13) == {
        "parties": 3,
        "agreements": 2,
        "drills": 2,
        "arms_sales": 2,
        "events": 2,
        "statements": 2,
    }
    assert load_briefing(a.briefing).briefing.counts() == section_counts(13)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pty and /proc are Linux's")
def test_time_to_marker_on_a_pty_with_the_baseline_app() -> None:
    argv = ptyrun.python_argv("-m", "tests.bench.baseline_app")
    elapsed, hwm = ptyrun.time_to_marker(argv, MARKER, (80, 24), timeout=20, cwd=ROOT)
    assert 0 < elapsed < 20
    assert hwm is None or hwm > 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pty is POSIX")
def test_a_missing_marker_is_reported_not_hung() -> None:
    argv = ptyrun.python_argv("-c", "print('something else')")
    with pytest.raises(ptyrun.MarkerMissing, match="exited"):
        ptyrun.time_to_marker(argv, "never shown", timeout=5, cwd=ROOT)


def test_table_shows_skipped_figures_with_their_reason() -> None:
    rows = [
        runner.Row("a", "thing", "<=1x", value=1.0, baseline=2.0, ratio=0.5, ok=True, runs=5),
        runner.Row("b", "other", "<=1x", skipped="marker never shown"),
    ]
    text = runner.table(rows)
    assert "skipped: marker never shown" in text
    assert '"skipped": "marker never shown"' in rows[1].json()
