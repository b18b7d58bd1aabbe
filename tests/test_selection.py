"""Selecting words in the source: the caret's motions without a screen (tui/selection.py), then
the source pane's editable mode under Pilot, with snapshots of a selection."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.style import Style
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input

from tui import selection as motion
from tui.selection import Selection
from tui.source import SourceText, Span
from tui.widgets.source_view import FindWords, SourceView
from tui.widgets.wrap import wrap_breaks

from .conftest import SEED_BRIEFING, SEED_SOURCE, reader

# --- words -----------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The words `w` visits from the first, each as far as `e` takes it."""
    found = []
    at: int | None = 0 if text and not text[0].isspace() else motion.word_forward(text, 0)
    while at is not None:
        end = motion.word_end(text, at - 1) if at else motion.word_end(text, -1)
        assert end is not None
        found.append(text[at : end + 1])
        at = motion.word_forward(text, at)
    return found


def backwards(text: str) -> list[str]:
    """The word starts `b` visits from the end, as the words from there to the next start."""
    starts = []
    at = motion.word_back(text, len(text))
    while at is not None:
        starts.append(at)
        at = motion.word_back(text, at)
    return [text[a:b].rstrip() for a, b in zip(starts, [len(text), *starts], strict=False)]


def test_latin_words_keep_names_figures_and_designations_whole() -> None:
    text = SourceText(SEED_SOURCE.read_text(encoding="utf-8")).paragraph(12).text
    assert words(text)[:12] == [
        "Russia",
        "had",
        "sent",
        "over",
        "1,000",
        "troops",
        ",",
        "13",
        "battle",
        "tanks",
        ",",
        "BM-21",
    ]
    assert "Mi-8" in words(text) and "Su-25" in words(text) and "Il-76" in words(text)
    assert words(text)[-2:] == ["year", "."]


def test_punctuation_and_quotes_are_words_of_their_own() -> None:
    text = 'said "strategic cooperation". Russia\'s $7.7 billion (2014)'
    assert words(text) == [
        "said",
        '"',
        "strategic",
        "cooperation",
        '".',
        "Russia's",
        "$",
        "7.7",
        "billion",
        "(",
        "2014",
        ")",
    ]
    # A mark that joins only between letters or digits: at an edge it is punctuation.
    assert words("'quoted' 2014. -5 ,x") == ["'", "quoted", "'", "2014", ".", "-", "5", ",", "x"]
    assert words("Russia’s «Грады» — “so”") == ["Russia’s", "«", "Грады", "»", "—", "“", "so", "”"]


def test_cyrillic_words() -> None:
    text = "Россия направила 13 танков, «Грады» и т. д. Министр обороны Сергей Шойгу."
    assert words(text) == [
        "Россия",
        "направила",
        "13",
        "танков",
        ",",
        "«",
        "Грады",
        "»",
        "и",
        "т",
        ".",
        "д",
        ".",
        "Министр",
        "обороны",
        "Сергей",
        "Шойгу",
        ".",
    ]
    assert backwards(text)[:3] == [".", "Шойгу", "Сергей"]


def test_each_chinese_or_japanese_character_is_a_word() -> None:
    # Han and kana: a character a word, so that a quote can start and end anywhere in a clause;
    # digits stay one word, punctuation runs one word.
    assert words("俄罗斯派出13辆坦克。") == [
        "俄",
        "罗",
        "斯",
        "派",
        "出",
        "13",
        "辆",
        "坦",
        "克",
        "。",
    ]
    assert words("日本とロシアの会談」。") == [
        "日",
        "本",
        "と",
        "ロ",
        "シ",
        "ア",
        "の",
        "会",
        "談",
        "」。",
    ]
    # Hangul is written with spaces between words: a run is a word, as in Latin.
    assert words("러시아와 중국은 13대") == ["러시아와", "중국은", "13대"]
    assert backwards("坦克 tanks") == ["tanks", "克", "坦"]


def test_combining_marks_stay_with_their_letter() -> None:
    text = "cafe\u0301 noir, Ha\u0300 No\u0323i"
    assert words(text) == ["cafe\u0301", "noir", ",", "Ha\u0300", "No\u0323i"]
    # A hostile run of marks is looked through a bounded way, and is still one word.
    run = "a" + "\u0301" * 3_000 + " b"
    assert words(run) == [run[:-2], "b"]


def test_a_motion_looks_a_bounded_way(monkeypatch: pytest.MonkeyPatch) -> None:
    # A hostile paragraph of one long word, or one long run of spaces: each key looks at most
    # SCAN_LIMIT characters (counted), and the caret stops where it stopped looking.
    looked = 0
    real = motion.char_class

    def counted(text: str, i: int) -> int:
        nonlocal looked
        looked += 1
        return real(text, i)

    monkeypatch.setattr(motion, "char_class", counted)
    size = 50 * motion.SCAN_LIMIT
    for text in ("x" * size, "a" + " " * size + "b"):
        for step, at in (
            (motion.word_forward, 0),
            (motion.word_end, 0),
            (motion.word_back, len(text) - 1),
        ):
            looked = 0
            moved = step(text, at)
            assert moved is not None and moved != at
            assert looked <= motion.SCAN_LIMIT + 2
    assert motion.word_forward("x" * size, 0) == motion.SCAN_LIMIT - 1


def test_word_end_and_back_from_the_middle_of_a_word() -> None:
    text = "over 1,000 troops"
    assert motion.word_end(text, 6) == 9  # inside "1,000": its end
    assert motion.word_end(text, 9) == 16  # at its end: the next word's
    assert motion.word_back(text, 8) == 5  # inside: its start
    assert motion.word_back(text, 5) == 0  # at its start: the previous word's
    assert motion.word_forward(text, 12) is None  # in the last word
    assert motion.word_end(text, 16) is None
    assert motion.word_back(text, 0) is None
    assert motion.word_forward("", 0) is None


@given(st.text(alphabet=st.sampled_from("ab1,.'- \n俄«»坦\u0301é"), max_size=40), st.data())
@settings(max_examples=300, deadline=None)
def test_motions_stay_in_the_text_and_move_one_way(text: str, data: st.DataObject) -> None:
    if not text:
        return
    at = data.draw(st.integers(0, len(text) - 1))
    forward = motion.word_forward(text, at)
    assert forward is None or (at < forward < len(text) and not text[forward].isspace())
    end = motion.word_end(text, at)
    assert end is None or (at < end < len(text) and not text[end].isspace())
    back = motion.word_back(text, at)
    assert back is None or (0 <= back < at and not text[back].isspace())
    # A word from its start to where e takes it never starts or ends in a space.
    if forward is not None:
        last = motion.word_end(text, forward - 1)
        assert last is not None and forward <= last
        assert text[forward : last + 1] == text[forward : last + 1].strip()


# --- screen lines ----------------------------------------------------------------------------


def test_line_motions_keep_the_column_in_cells() -> None:
    # Wide characters take two cells: the column is kept in cells, not offsets.
    text = "俄罗斯派出 battle tanks 13辆坦克 went"
    breaks = wrap_breaks(text, 12)
    rows = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)], strict=True)]
    assert rows == ["俄罗斯派出 ", "battle tanks ", "13辆坦克 ", "went"]
    at = text.index("斯")
    assert motion.column_of(text, breaks, at) == 4  # two wide characters before it
    down = motion.line_down(text, breaks, at, 4)
    assert down == text.index("battle") + 4  # "l", the fifth cell
    # A line down: the wide character over cell 4; up again: the same letter.
    low = motion.line_down(text, breaks, down, 4)
    assert low == text.index("坦")
    assert motion.line_up(text, breaks, low, 4) == down
    # The second half of a wide character is that character.
    assert motion.line_down(text, breaks, down + 1, 5) == text.index("坦")
    assert motion.line_up(text, breaks, text.index("坦"), 5) == down + 1
    assert motion.at_column(text, 0, breaks[0], 5) == at
    assert motion.line_up(text, breaks, down, 9) == text.index("出")
    # Past a short line's end: its last visible character, not the space it wrapped at.
    assert motion.line_up(text, breaks, down, 11) == text.index("出")
    assert motion.line_down(text, breaks, low, 8) == len(text) - 1
    assert motion.line_down(text, breaks, len(text) - 1, 0) is None
    assert motion.line_up(text, breaks, 0, 0) is None


def test_line_start_and_end_then_the_paragraphs() -> None:
    text = "Russia had sent over 1,000 troops, 13 battle tanks"
    breaks = wrap_breaks(text, 20)
    assert breaks == [21, 38]  # "Russia had sent over ", "1,000 troops, 13 ", "battle tanks"
    middle = text.index("troops")
    assert motion.line_start(text, breaks, middle) == 21
    assert motion.line_start(text, breaks, 21) == 0  # again: the paragraph's start
    assert motion.line_end(text, breaks, middle) == text.index("13") + 1  # not the space
    assert motion.line_end(text, breaks, 36) == len(text) - 1  # again: the paragraph's end
    assert motion.line_end(text + "  ", wrap_breaks(text + "  ", 80), 0) == len(text) - 1


def test_finding_words() -> None:
    text = "Russia had sent 13 battle\ntanks and 13 Battle Tanks"
    assert motion.find_words(text, "battle  tanks") == (19, 31)  # across the line break
    assert motion.find_words(text, "BATTLE TANKS", 20) == (39, 51)
    assert motion.find_words(text, "ships") is None
    assert motion.find_words(text, "   ") is None
    assert motion.find_words(text, "a" * (motion.WORDS_LIMIT + 1)) is None
    assert motion.find_words(text, "(13") is None  # typed characters are words, not a pattern
    texts = ["alpha beta", "gamma", "beta delta"]
    assert motion.next_match(texts, 1, 6, "beta") == (3, 0, 4)  # the next, not the one under it
    assert motion.next_match(texts, 3, 0, "alpha") == (1, 0, 5)  # round past the end
    assert motion.next_match(texts, 2, 0, "gamma") == (2, 0, 5)  # the only one, where it is
    assert motion.next_match(texts, 2, 0, "omega") is None


# --- the pane, in a small app ----------------------------------------------------------------


class PaneApp(App[None]):
    """One source pane on a source, editable, recording the selections it posts."""

    CSS = "SourceView { height: 1fr; }"
    AUTO_FOCUS = "SourceView"
    BINDINGS: ClassVar = [("escape", "screen_escape", "")]

    def __init__(self, text: str, editable: bool = True) -> None:
        super().__init__()
        self.text = text
        self.start_editable = editable
        self.changes: list[Selection | None] = []
        self.escapes = 0

    def compose(self) -> ComposeResult:
        yield SourceView()

    def on_mount(self) -> None:
        pane = self.query_one(SourceView)
        pane.set_source(SourceText(self.text), set())
        pane.editable = self.start_editable

    def on_source_view_selection_changed(self, event: SourceView.SelectionChanged) -> None:
        self.changes.append(event.selection)

    def action_screen_escape(self) -> None:
        self.escapes += 1


def run_pane(
    text: str,
    body: Callable[[PaneApp, SourceView, Pilot[Any]], Any],
    size: tuple[int, int] = (40, 12),
    editable: bool = True,
) -> None:
    async def main() -> None:
        app = PaneApp(text, editable)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await body(app, app.query_one(SourceView), pilot)

    asyncio.run(main())


async def find(pilot: Pilot[Any], *keys: str) -> None:
    """/ then keys in the prompt."""
    await pilot.press("slash")
    await pilot.pause()
    await pilot.press(*("space" if key == " " else key for key in keys))
    await pilot.pause()


def chosen(pane: SourceView) -> str:
    selection = pane.selection
    assert selection is not None and pane.source is not None
    return pane.source.paragraph(selection.paragraph).text[selection.start : selection.end]


def test_v_e_o_and_escape_in_a_small_pane() -> None:
    async def body(app: PaneApp, pane: SourceView, pilot: Pilot[Any]) -> None:
        assert pane.caret == (1, 0) and pane.selection is None
        await pilot.press("w", "v", "e", "w", "e")
        assert chosen(pane) == "met Bob"
        assert pane.caret == (1, 12)
        assert app.changes[-1] == Selection(1, 6, 13)
        await pilot.press("o")  # the caret to the other end; the selection is the same
        assert pane.caret == (1, 6) and chosen(pane) == "met Bob"
        await pilot.press("b")  # now the start moves
        assert chosen(pane) == "Alice met Bob"
        count = len(app.changes)
        await pilot.press("escape")
        assert pane.selection is None and app.changes[count:] == [None]
        assert app.escapes == 0  # the first Esc ends the selection only
        await pilot.press("escape")
        assert app.escapes == 1  # a second one reaches what is behind the pane
        await pilot.press("v", "v")  # v again ends a selection too
        assert pane.selection is None and app.changes[-2:] == [Selection(1, 0, 1), None]

    run_pane("Alice met Bob in Paris on Monday.\n\nBob sold 3 tanks to Alice.\n", body)


def test_a_selection_stays_in_its_paragraph() -> None:
    async def body(app: PaneApp, pane: SourceView, pilot: Pilot[Any]) -> None:
        await pilot.press("dollar_sign", "dollar_sign")
        assert pane.caret == (1, 32)  # the full stop
        await pilot.press("w")  # no selection: on to the next paragraph
        assert pane.caret == (2, 0) and pane.cursor == 2
        await pilot.press("b")
        assert pane.caret == (1, 32) and pane.cursor == 1
        await pilot.press("b", "v", "w", "w", "e", "j", "j")
        assert chosen(pane) == "Monday."  # none of them leaves the paragraph
        await pilot.press("down")  # a paragraph motion ends the selection
        assert pane.selection is None and pane.caret == (2, 0)
        await pilot.press("k")  # and k, with no selection, goes up into the paragraph above
        assert pane.caret[0] == 1

    run_pane("Alice met Bob in Paris on Monday.\n\nBob sold 3 tanks to Alice.\n", body)


def test_0_and_dollar_go_to_the_line_then_the_paragraph() -> None:
    text = "Russia had sent over 1,000 troops, 13 battle tanks and BM-21 rocket launch systems"

    async def body(app: PaneApp, pane: SourceView, pilot: Pilot[Any]) -> None:
        breaks = pane._breaks_of(1)
        assert len(breaks) >= 2  # it wraps in the pane
        await pilot.press("j", "w")
        second = breaks[0]
        assert motion.line_of(breaks, pane.caret[1]) == 1
        await pilot.press("0")
        assert pane.caret == (1, second)
        await pilot.press("0")
        assert pane.caret == (1, 0)
        await pilot.press("j", "dollar_sign")
        end_of_second = motion.last_visible(text, second, breaks[1])
        assert pane.caret == (1, end_of_second)
        await pilot.press("dollar_sign")
        assert pane.caret == (1, len(text) - 1)

    run_pane(text, body, size=(40, 12))


def test_offsets_are_the_paragraphs_own_in_hostile_text() -> None:
    # Control characters are shown as one visible character each (safe_text.clean), so the
    # offsets of what is selected on screen are those of the source's own text.
    text = "Alice \x1b[31mmet\tBob\x07 in\nParis\n\nnext\n"

    async def body(app: PaneApp, pane: SourceView, pilot: Pilot[Any]) -> None:
        await pilot.press("v", "dollar_sign", "dollar_sign")
        assert chosen(pane) == "Alice \x1b[31mmet\tBob\x07 in\nParis"
        await pilot.press("o", "w", "w")  # Alice, then the escape shown as a mark, then 31mmet
        assert chosen(pane) == "31mmet\tBob\x07 in\nParis"
        drawn = "".join(segment.text for y in range(3) for segment in pane.render_line(y))
        assert "\x1b" not in drawn and "\x07" not in drawn and "␛[31mmet Bob␇" in drawn

    run_pane(text, body)


def test_j_and_k_keep_the_column_over_wide_characters() -> None:
    text = "俄罗斯派出 battle tanks 13辆坦克 went"

    async def body(app: PaneApp, pane: SourceView, pilot: Pilot[Any]) -> None:
        assert pane._breaks_of(1) == wrap_breaks(text, 12)
        await pilot.press("w", "w")  # each character a word
        assert pane.caret == (1, 2)
        await pilot.press("j")
        assert pane.caret == (1, text.index("battle") + 4)  # the fifth cell
        await pilot.press("j")
        assert pane.caret == (1, text.index("坦"))
        await pilot.press("j")  # "went" is shorter: its last letter
        assert pane.caret == (1, len(text) - 1)
        await pilot.press("k", "k", "k")
        assert pane.caret == (1, 2)  # the column was kept through the lines

    # 12 cells of text beside a six-cell gutter.
    run_pane(text, body, size=(6 + 12, 12))


def test_slash_moves_to_words_or_extends_the_selection() -> None:
    text = "Alice met Bob in Paris on Monday.\n\nBob sold 3 tanks to Alice.\n"

    async def body(app: PaneApp, pane: SourceView, pilot: Pilot[Any]) -> None:
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, FindWords)
        await pilot.press("3", "space", *"TANKS", "enter")
        await pilot.pause()
        assert pane.caret == (2, 9) and pane.cursor == 2
        await find(pilot, *"alice", "enter")
        assert pane.caret == (2, 20)
        await find(pilot, *"alice", "enter")  # round past the end
        assert pane.caret == (1, 0)
        await pilot.press("v")
        await find(pilot, *"paris", "enter")
        assert chosen(pane) == "Alice met Bob in Paris"
        await find(pilot, *"alice", "enter")  # not further in this paragraph
        assert chosen(pane) == "Alice met Bob in Paris"
        await find(pilot, *"monday", "escape")  # Esc in the prompt: nothing moves
        assert not isinstance(app.screen, FindWords)
        assert chosen(pane) == "Alice met Bob in Paris"
        await pilot.press("slash")
        prompt = app.screen.query_one(Input)
        assert prompt.restrict is not None and prompt.max_length == motion.WORDS_LIMIT

    run_pane(text, body)


def test_keys_reach_the_app_when_the_pane_is_not_editable() -> None:
    async def body(app: PaneApp, pane: SourceView, pilot: Pilot[Any]) -> None:
        await pilot.press("w", "v", "e", "slash")
        assert pane.selection is None and not isinstance(app.screen, FindWords)
        await pilot.press("j")  # j and k move by paragraph, as in the reader
        assert pane.cursor == 2
        await pilot.press("escape")
        assert app.escapes == 1
        pane.editable = True
        await pilot.press("v")
        assert pane.selection is not None
        pane.editable = False  # leaving edit mode ends the selection
        await pilot.pause()
        assert pane.selection is None and app.changes[-1] is None

    run_pane("Alice met Bob.\n\nBob sold 3 tanks.\n", body, editable=False)


def test_the_caret_shows_when_editable_and_focused() -> None:
    async def body(app: PaneApp, pane: SourceView, pilot: Pilot[Any]) -> None:
        def caret_cells() -> list[str]:
            strip = pane.render_line(0)
            return [s.text for s in strip if s.style is not None and s.style.bold and s.text]

        await pilot.press("w")
        assert "m" in caret_cells()  # "met": the caret is its first letter, alone
        pane.blur()
        await pilot.pause()
        assert "m" not in caret_cells()
        pane.focus()
        pane.editable = False
        await pilot.pause()
        assert "m" not in caret_cells()

    run_pane("Alice met Bob.\n", body)


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
def test_the_selection_looks_unlike_quotes_and_hits(
    no_color: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # By attribute, which NO_COLOR keeps: a quote is bold and underlined, a hit reversed, the
    # selection reversed and underlined but not bold (over the quote too), the caret bold.
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    text = "Alice met Bob in Paris on Monday."

    async def body(app: PaneApp, pane: SourceView, pilot: Pilot[Any]) -> None:
        assert app.no_color is no_color
        pane.show_span(Span(1, 0, 9))  # "Alice met", a quote
        pane.set_hits({1: [(17, 22)]}, None)  # "Paris", a search hit
        await pilot.press("w", "v", "e", "w", "e")  # "met Bob" over the quote's end
        await pilot.pause()
        assert chosen(pane) == "met Bob"
        styles: list[Style] = []
        for segment in pane.render_line(0):
            styles.extend([segment.style or Style()] * len(segment.text))
        at = styles[6:]  # after the gutter

        def looks(i: int) -> tuple[bool, bool, bool]:
            return bool(at[i].bold), bool(at[i].underline), bool(at[i].reverse)

        quote, selected, caret, hit, plain = looks(0), looks(6), looks(12), looks(17), looks(14)
        assert quote == (True, True, False)
        assert selected == (False, True, True)
        assert hit == (False, False, True)
        assert plain == (False, False, False)
        assert caret[0] and caret[2] is not no_color  # a gap in the selection without colour
        assert len({quote, selected, hit, plain, caret}) == 5
        if not no_color:
            colours = {at[i].bgcolor if at[i].reverse else at[i].color for i in (0, 6, 12, 17)}
            assert len(colours) == 4  # and each has a colour of its own

    run_pane(text, body)


def test_a_move_redraws_only_the_lines_that_change() -> None:
    text = " ".join(f"word{n}" for n in range(80))

    async def body(app: PaneApp, pane: SourceView, pilot: Pilot[Any]) -> None:
        drawn: list[int] = []
        real = pane.render_line

        def spy(y: int) -> Any:
            drawn.append(y)
            return real(y)

        pane.render_line = spy  # type: ignore[method-assign]
        height = pane.scrollable_content_region.height
        await pilot.press("w")
        await pilot.pause()
        assert set(drawn) == {0}  # one line of the ten shown
        drawn.clear()
        await pilot.press("v", "j", "j")
        await pilot.pause()
        assert set(drawn) <= {0, 1, 2} and len(set(drawn)) < height

    run_pane(text, body)


def test_the_caret_follows_into_view() -> None:
    text = "\n\n".join(" ".join(f"p{p}w{n}" for n in range(20)) for p in range(1, 4))

    async def body(app: PaneApp, pane: SourceView, pilot: Pilot[Any]) -> None:
        height = pane.scrollable_content_region.height
        last = pane.line_of(3, len(pane._text(3)) - 1)
        assert last >= 2 * height  # the text is taller than the pane
        for step in ("j", "k"):
            for _ in range(last):
                await pilot.press(step)
                line = pane.line_of(*pane.caret)
                assert pane.scroll_offset.y <= line < pane.scroll_offset.y + height
            assert pane.caret[0] == (3 if step == "j" else 1)

    run_pane(text, body, size=(40, 6))


# --- in the reader ---------------------------------------------------------------------------


async def _editable_source(app: Any, pilot: Pilot[Any], paragraph: int) -> SourceView:
    """The reader's source pane made editable (as edit mode will), focused, at a paragraph."""
    pane = app.screen.query_one(SourceView)
    pane.editable = True
    pane.focus()
    await pilot.press("g")
    for _ in range(paragraph - 1):
        await pilot.press("down")
    await pilot.pause()
    return pane


def test_select_13_battle_tanks_in_the_seed() -> None:
    async def main() -> None:
        async with reader(SEED_BRIEFING) as (app, pilot):
            pane = await _editable_source(app, pilot, 12)
            assert pane.caret == (12, 0)
            await pilot.press(*"w" * 7)
            await pilot.press("v", "e", "w", "e", "w", "e")
            assert chosen(pane) == "13 battle tanks"
            assert pane.selection == Selection(12, 35, 50)
            # The screen's keys still work beside it: Up/Down by paragraph end the selection.
            await pilot.press("up")
            assert pane.selection is None and pane.cursor == 11

    asyncio.run(main())


def test_a_selection_stays_while_another_item_is_shown() -> None:
    # Edit mode attaches the selection to the item chosen in the outline: choosing it shows
    # that item's evidence elsewhere in the source, and the selection must stay.
    async def main() -> None:
        async with reader(SEED_BRIEFING) as (app, pilot):
            pane = await _editable_source(app, pilot, 12)
            await pilot.press(*"w" * 7, "v", "e", "w", "e", "w", "e")
            app.screen.query_one("#outline").focus()
            await pilot.press("j")
            await pilot.pause()
            assert pane.cursor != 12 and pane.highlight is not None
            assert pane.selection == Selection(12, 35, 50)
            pane.focus()
            await pilot.press("w")  # the selection's caret, in its paragraph
            assert pane.selection == Selection(12, 35, 51) and pane.cursor == 12
            app.screen.query_one("#outline").focus()
            await pilot.press("k")
            await pilot.pause()
            pane.focus()
            shown = pane.cursor
            await pilot.press("escape", "w")  # no selection: the caret starts where shown
            assert pane.selection is None and pane.caret[0] == shown

    asyncio.run(main())


def test_esc_twice_in_the_reader_ends_the_selection_then_the_search() -> None:
    async def main() -> None:
        async with reader(SEED_BRIEFING) as (app, pilot):
            screen = app.screen
            await find(pilot, *"tanks", "enter")
            await pilot.pause()
            assert screen.hits
            pane = await _editable_source(app, pilot, 12)
            await pilot.press("v", "e")
            assert chosen(pane) == "Russia"
            await pilot.press("escape")
            assert pane.selection is None and screen.hits  # the selection only
            await pilot.press("escape")
            assert not screen.hits  # the screen's Esc, as today

    asyncio.run(main())


def test_e_and_slash_stay_the_readers_when_not_editable() -> None:
    async def main() -> None:
        async with reader(SEED_BRIEFING) as (app, pilot):
            pane = app.screen.query_one(SourceView)
            pane.focus()
            await pilot.press("slash")
            assert app.screen.query_one("#search", Input).display  # the screen's search
            await pilot.press("escape")
            pane.focus()
            await pilot.press("e")
            await pilot.pause()
            assert app.screen is not pane.screen  # the export prompt
            assert pane.selection is None and not pane.editable

    asyncio.run(main())


# --- snapshots -------------------------------------------------------------------------------


THIRTEEN_BATTLE_TANKS = ("w",) * 7 + ("v", "e", "w", "e", "w", "e")


def test_snapshot_selection_without_colour(snap_compare, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    # The drill's quote (bold, underlined) around the selection (reversed, underlined, never
    # bold) and the caret (bold, a gap in the selection): told apart without colour.
    from tui.app import BriefingApp

    monkeypatch.setenv("NO_COLOR", "1")
    app = BriefingApp(SEED_BRIEFING)
    keys = ("3", "j", *THIRTEEN_BATTLE_TANKS)

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("3", "j")
        await pilot.pause()
        pane = pilot.app.screen.query_one(SourceView)
        pane.editable = True
        pane.focus()
        await pilot.press("0", "0", *keys[2:])
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run)
