"""The benchmark harness works: generated briefings are valid, the pty measurement runs.

The benchmark itself is not a test: `uv run python -m tests.bench`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.bench import ptyrun, runner, screen, seen
from tests.bench.baseline_app import MARKER
from tests.bench.generate import SECTION_KEYS, generate, section_counts
from tui.loader import load_briefing

ROOT = Path(__file__).resolve().parent.parent


def test_generated_briefing_is_valid_with_counts_per_section(tmp_path: Path) -> None:
    made = generate(5 * len(SECTION_KEYS), 20, seed=1, out_dir=tmp_path)
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
    # 13 items over the sections: each gets its share, the first ones one more each.
    base, extra = divmod(13, len(SECTION_KEYS))
    counts = section_counts(13)
    assert list(counts) == list(SECTION_KEYS)
    assert list(counts.values()) == [base + 1] * extra + [base] * (len(SECTION_KEYS) - extra)
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


# --- the method: what counts as a useful screen and a whole answer ---------------------------

WIDTH, HEIGHT = 80, 24
FILLED_OUTLINE = ["1 Parties (13)", "  Russia", "  China", "  Vladimir Putin", "  Xi Jinping"]
FILLED_DETAIL = ["Party: Russia", "Name        Russia"]
FILLED_SOURCE = [
    "  1▌ Russia and China boost military cooperation, reach critical",
    "     agreements",
]
EXPECT = screen.Expect(outline_rows=5, source_words="Russia and China boost")


def _box(title: str, width: int, height: int, rows: list[str]) -> list[str]:
    inner = width - 2
    top = f"╭─ {title} " + "─" * (width - len(title) - 5) + "╮"
    body = [
        f"│{(rows[i] if i < len(rows) else '').ljust(inner)[:inner]}│" for i in range(height - 2)
    ]
    return [top, *body, "╰" + "─" * inner + "╯"]


def _frame(
    outline: list[str], detail: list[str], source: list[str], loading: bool = False
) -> bytes:
    """A reader-like screen as bytes: title, outline and detail side by side, source, footer."""
    left = _box("Outline", 32, 10, outline)
    right = _box("Detail", 48, 10, detail)
    lines = [" Russia and China boost military cooperation"]
    lines += [a + b for a, b in zip(left, right, strict=True)]
    lines += _box("Source", 80, 11, source)
    if loading:
        lines[5] = "           ● ● ● ● ●".ljust(WIDTH)
    lines.append(" q Quit")
    return b"\x1b[H\x1b[2J" + "\r\n".join(lines).encode("utf-8")


def _display(data: bytes) -> list[str]:
    replay = screen.Replay((WIDTH, HEIGHT))
    replay.feed(data)
    return replay.display()


def test_a_filled_screen_is_useful() -> None:
    assert screen.is_useful(_display(_frame(FILLED_OUTLINE, FILLED_DETAIL, FILLED_SOURCE)), EXPECT)


def test_a_placeholder_or_half_filled_screen_is_not_useful() -> None:
    placeholder = b"\x1b[H\x1b[2J Russia and China boost  \xc2\xb7  loading\xe2\x80\xa6\r\n\r\n  \xe2\x97\x8f \xe2\x97\x8f"
    assert not screen.is_useful(_display(placeholder), EXPECT)
    cases = {
        "loading indicator": _frame(FILLED_OUTLINE, FILLED_DETAIL, FILLED_SOURCE, loading=True),
        "outline short": _frame(FILLED_OUTLINE[:3], FILLED_DETAIL, FILLED_SOURCE),
        "detail empty": _frame(FILLED_OUTLINE, [], FILLED_SOURCE),
        "source empty": _frame(FILLED_OUTLINE, FILLED_DETAIL, []),
        "other paragraph": _frame(FILLED_OUTLINE, FILLED_DETAIL, ["  2  © Xinhua"]),
    }
    for why, data in cases.items():
        assert not screen.is_useful(_display(data), EXPECT), why


def test_a_focused_pane_with_a_heavy_border_is_read_too() -> None:
    data = _frame(FILLED_OUTLINE, FILLED_DETAIL, FILLED_SOURCE)
    heavy = data.decode("utf-8")
    heavy = heavy.replace("╭─ Outline ", "┏━ Outline ").replace(
        "╰" + "─" * 30 + "╯╰", "┗" + "━" * 30 + "┛╰"
    )
    display = _display(heavy.encode("utf-8"))
    assert display[1].startswith("┏━ Outline ") and display[10].startswith("┗")
    assert screen.pane(display, "Outline") == screen.pane(_display(data), "Outline")
    assert screen.is_useful(display, EXPECT)


def test_source_words_are_found_across_the_gutter_and_a_wrap() -> None:
    rows = ["  12▌ Ref 12: officials of the", "      Joint Council took part.", ""]
    assert screen.source_text(rows) == "Ref 12: officials of the Joint Council took part."


def test_first_useful_is_the_chunk_that_completes_the_screen() -> None:
    chunks = [
        (1.0, b"\x1b[H\x1b[2J Russia and China boost \r\n  \xe2\x97\x8f \xe2\x97\x8f"),
        (2.0, _frame(FILLED_OUTLINE, [], FILLED_SOURCE)),
        (3.0, _frame(FILLED_OUTLINE, FILLED_DETAIL, FILLED_SOURCE)),
        (4.0, b"\x1b[24;1H q Quit  ? Help"),
    ]
    assert screen.first_showing(chunks, (WIDTH, HEIGHT), "Russia and China") == 1.0
    assert screen.first_useful(chunks, (WIDTH, HEIGHT), EXPECT) == 3.0
    assert screen.first_useful(chunks[:2], (WIDTH, HEIGHT), EXPECT) is None


def test_whole_answer_is_the_last_change_not_the_first() -> None:
    replay = screen.Replay((WIDTH, HEIGHT))
    replay.feed(_frame(FILLED_OUTLINE, FILLED_DETAIL, FILLED_SOURCE))
    # The outline highlight moves first (colours only), the detail and source come later, then
    # a chunk that changes nothing.
    highlight = b"\x1b[4;2H\x1b[7m  China\x1b[0m"
    detail = b"\x1b[3;34HParty: China "
    source = b"\x1b[13;2H  3\xe2\x96\x8c Russian and Chinese soldiers"
    answer = screen.whole_answer(
        replay, 10.0, [(10.01, highlight), (10.02, detail), (10.05, source), (10.06, b"")]
    )
    assert answer.changed
    assert answer.whole is not None and abs(answer.whole - 0.05) < 1e-9


def test_a_highlight_only_change_is_an_answer_and_no_change_is_none() -> None:
    replay = screen.Replay((WIDTH, HEIGHT))
    replay.feed(_frame(FILLED_OUTLINE, FILLED_DETAIL, FILLED_SOURCE))
    moved = screen.whole_answer(replay, 0.0, [(0.02, b"\x1b[4;2H\x1b[7m  China\x1b[0m")])
    assert moved.changed and moved.whole == 0.02
    same = screen.whole_answer(replay, 1.0, [(1.03, b"\x1b[4;2H\x1b[7m  China\x1b[0m")])
    assert not same.changed and same.whole is None
    assert screen.whole_answer(replay, 2.0, []) == screen.Answer(None, False)


@pytest.mark.parametrize("items", [2, 3, 10, 10_000])
@pytest.mark.parametrize("downs", [1, 7, 20, 100])
def test_the_down_sample_never_reaches_the_end_of_the_list(items: int, downs: int) -> None:
    plan = seen.down_up_plan(items, downs)
    assert plan.count("down") == downs
    at = 0
    for key in plan:
        if key == "down":
            assert at < items - 1  # this Down has somewhere to go
            at += 1
        else:
            assert at > 0  # and so has this Up
            at -= 1
    assert at == 0


def test_the_jump_sample_alternates_far_ends() -> None:
    assert seen.jump_plan(5) == ["end", "home", "end", "home", "end"]


def test_expect_for_the_seed_reads_its_first_cited_paragraph() -> None:
    expect = screen.Expect.for_briefing(
        ROOT / "briefings" / "russia-china-military-cooperation-2014.yaml"
    )
    assert expect == screen.Expect(screen.OUTLINE_ROWS, "Russia and China boost")


def test_markdown_table_has_the_spread_and_the_method() -> None:
    rows = [
        runner.Row(
            "a",
            "useful | screen",
            "<=1x",
            value=1.0,
            baseline=0.5,
            ratio=2.0,
            runs=5,
            extra={"p90": 1.5, "max": 2.0},
        ),
        runner.Row("b", "other", "<=1x", skipped="needs --huge (slow)"),
    ]
    text = runner.markdown(rows)
    assert "| useful \\| screen | 1.000 s | 1.500 s | 2.000 s | 0.500 s | 2.00x | <=1x |" in text
    assert "skipped: needs --huge (slow)" in text
    assert text.rstrip().endswith(runner.METHOD)


def test_a_real_80x24_reader_screen_is_useful() -> None:
    """A tmux capture of the reader at 80x24 (stacked panes under one-row rules, the detail
    titled with its item): the bench's test must see it as useful, or every start-up figure
    is skipped, as it was when the layout changed."""
    from tests.conftest import ROOT

    lines = (ROOT / "tests" / "data" / "reader_80x24.txt").read_text(encoding="utf-8")
    display = [line.ljust(80) for line in lines.split("\n")[:24]]
    expect = screen.Expect(screen.OUTLINE_ROWS, "Russia had sent over")
    assert screen.is_useful(display, expect)
    assert not screen.is_useful(display, screen.Expect(screen.OUTLINE_ROWS, "words not shown"))
