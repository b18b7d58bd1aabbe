"""Pilot tests of the briefing screen: every binding, and every link in both directions.

pytest-asyncio is not installed: each test is a plain function running its own event loop.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

from textual.binding import Binding, BindingsMap
from textual.command import CommandList, CommandPalette
from textual.widgets import Input, OptionList, Static

from tests.conftest import SEED_BRIEFING, Body, MakeProject, minimal_yaml, reader, run_reader
from tui.app import BriefingApp
from tui.describe import describe
from tui.finding import Hit
from tui.loader import BriefingError, load_briefing
from tui.screens.briefing import KEYS, THEMES, BriefingScreen, Place
from tui.screens.errors import ErrorScreen
from tui.screens.help import HelpScreen, key_names
from tui.sections import TIMELINE_NUMBER
from tui.widgets.detail import Detail
from tui.widgets.outline import OUTLINE_SECTIONS, TIMELINE, Outline, item_of
from tui.widgets.source_view import SourceView


def run(*bodies: Body, target: Path = SEED_BRIEFING, size: tuple[int, int] = (80, 24)) -> None:
    """The seed briefing (or target) in the reader, then the bodies in turn (`run_reader`)."""
    run_reader(target, *bodies, size=size)


def panes(app: BriefingApp) -> tuple[BriefingScreen, Outline, Detail, SourceView]:
    screen = app.screen
    assert isinstance(screen, BriefingScreen)
    return screen, screen.query_one(Outline), screen.query_one(Detail), screen.query_one(SourceView)


def assert_centred(source: SourceView, paragraph: int, start: int, end: int | None = None) -> None:
    """The quote from start to end (or the line of start) is on screen whole, in the middle
    unless the scroll is clamped, its paragraph's first line too when that fits; a quote taller
    than the pane starts at its top."""
    first = source.line_of(paragraph, 0)
    top = source.line_of(paragraph, start)
    last = source.line_of(paragraph, max(start, (end or start + 1) - 1))
    height = source.scrollable_content_region.height
    y = source.scroll_offset.y
    if last - top >= height:
        assert y == min(top, source.max_scroll_y)
        return
    assert y <= top and last < y + height
    shown = first if last - first < height else top
    assert y <= shown
    if 0 < y < source.max_scroll_y:  # not clamped: as many lines above as below, near enough
        assert abs((shown - y) - (y + height - 1 - last)) <= 1


def rendered(source: SourceView, line: int) -> str:
    """The text drawn on a virtual line of the source (which must be on screen)."""
    return source.render_line(line - source.scroll_offset.y).text


def assert_shows(screen: BriefingScreen, item_id: str, evidence: int = 0) -> None:
    """Detail, outline and source all show evidence number `evidence` of an item."""
    assert screen.links is not None and screen.loaded is not None
    outline, detail, source = (
        screen.query_one(Outline),
        screen.query_one(Detail),
        screen.query_one(SourceView),
    )
    assert screen.place == Place(item_id, evidence)
    assert outline.current_item == item_id
    assert detail.mode == "item"
    assert detail.rows == describe(screen.links.items[item_id], screen.links, compact=True)
    chosen = screen.loaded.evidence[item_id][evidence]
    assert chosen.span is not None
    assert source.highlight == chosen.span
    text = screen.loaded.sources[chosen.source].paragraphs[chosen.span.paragraph - 1].text
    assert text[chosen.span.start : chosen.span.end] == chosen.anchor.quote
    assert source.cursor == chosen.span.paragraph
    assert_centred(source, chosen.span.paragraph, chosen.span.start, chosen.span.end)


async def highlight_detail_row(pilot, detail: Detail, wanted: Callable) -> None:  # type: ignore[no-untyped-def,type-arg]
    """Press down in the (focused) detail pane until the highlighted row matches."""
    for _ in range(len(detail.rows) + 1):
        row = detail.current_row
        if row is not None and wanted(row):
            return
        await pilot.press("down")
    raise AssertionError("no such row in the detail pane")


# --- opening ---------------------------------------------------------------------------------


def test_opens_on_first_party_with_its_evidence() -> None:
    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen, outline, _detail, _source = panes(app)
        assert screen.loaded is not None
        briefing = screen.loaded.briefing
        assert app.focused is outline
        assert outline.highlighted == outline.first_in("parties") == 1
        assert_shows(screen, briefing.parties[0].id)
        assert screen.history == [] and screen.future == []
        header = str(screen.query_one("#header", Static).render())
        meta = str(screen.query_one("#header-meta", Static).render())
        assert briefing.title in header and "reliability F" in meta and "5 Nov 2014" in meta

    run(body, stacked_at_80_columns, escape_stays, tab_cycles_focus)


# --- item -> source ------------------------------------------------------------------------


def test_item_highlights_its_quote_and_centres_it() -> None:
    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen, outline, _detail, source = panes(app)
        assert screen.links is not None
        # Every item of the six sections, in outline order; j and k move between them (a
        # few by key, the rest by highlighting the row: pressing costs a render each).
        items = [
            item_of(outline.get_option_at_index(i).id)
            for i in range(outline.first_in(TIMELINE) or 0)
            if not outline.get_option_at_index(i).disabled
        ]
        assert items == list(screen.links.items)
        for n, item in enumerate(items):
            if 0 < n < 4:
                await pilot.press("j")
            elif n:
                outline.highlighted = outline.get_option_index(item)
                await pilot.pause()
            assert_shows(screen, item)
            # The quote is drawn on its line.
            span = source.highlight
            assert span is not None
            line = source.line_of(span.paragraph, span.start)
            quote = screen.loaded.evidence[item][0].anchor.quote  # type: ignore[union-attr]
            assert quote.split()[0] in rendered(source, line) + rendered(source, line + 1)
        # Moving in the outline is not history.
        assert screen.history == []

    run(body)


def test_evidence_keys_cycle_through_an_items_evidence() -> None:
    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen, _outline, _detail, _source = panes(app)
        screen.go_to("xi-putin-talks")
        await pilot.pause()
        assert_shows(screen, "xi-putin-talks", 0)
        await pilot.press("right_square_bracket")
        assert_shows(screen, "xi-putin-talks", 1)
        await pilot.press("]")
        assert_shows(screen, "xi-putin-talks", 2)
        await pilot.press("]")  # wraps around
        assert_shows(screen, "xi-putin-talks", 0)
        await pilot.press("[")
        assert_shows(screen, "xi-putin-talks", 2)
        assert "evidence 3 of 3: ¶9" in str(screen.query_one("#status", Static).render())

    run(body, copy_quote)


def test_enter_on_an_evidence_row_shows_that_evidence() -> None:
    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen, _outline, detail, _source = panes(app)
        await pilot.press("enter")  # outline -> detail
        assert app.focused is detail
        await highlight_detail_row(pilot, detail, lambda row: row.evidence == 1)
        await pilot.press("enter")
        assert_shows(screen, "russia", 1)
        assert screen.history == []

    run(body)


# --- links between items -------------------------------------------------------------------


def test_party_lists_its_activity_and_enter_follows_it() -> None:
    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen, outline, detail, _source = panes(app)
        assert screen.links is not None
        activity = screen.links.activity["russia"]
        rows = [r for r in detail.rows if r.target in {ref for _role, ref in activity}]
        assert [r.target for r in rows] == [ref for _role, ref in activity]
        assert rows[0].label == "Takes part"
        assert "(supplier)" in next(
            r.text for r in rows if r.target == "russia-arms-contracts-2014"
        )
        await pilot.press("enter")
        await highlight_detail_row(
            pilot, detail, lambda row: row.target == "russia-arms-contracts-2014"
        )
        await pilot.press("enter")
        await pilot.pause()
        assert_shows(screen, "russia-arms-contracts-2014")
        assert screen.history == [Place("russia", 0)]
        assert app.focused is detail
        # And back from the sale to its supplier.
        await highlight_detail_row(pilot, detail, lambda row: row.label == "Supplier")
        assert detail.current_row is not None and detail.current_row.target == "russia"
        await pilot.press("enter")
        await pilot.pause()
        assert_shows(screen, "russia")
        assert outline.highlighted == outline.get_option_index("russia")
        assert screen.history == [Place("russia", 0), Place("russia-arms-contracts-2014", 0)]

    run(body)


# --- source -> items -----------------------------------------------------------------------


def test_source_paragraph_lists_citing_items() -> None:
    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen, _outline, detail, source = panes(app)
        assert screen.links is not None
        await pilot.press("tab", "tab")
        assert app.focused is source
        assert source.cursor == 1
        for paragraph in range(1, 8):
            citing = screen.links.cited_by.get(("article", paragraph), [])
            assert detail.mode == "cited"
            assert [r.target for r in detail.rows] == citing
            assert f"¶{paragraph} cited by {len(citing)}" in str(detail.border_title)
            await pilot.press("j")
        assert source.cursor == 8
        assert [r.target for r in detail.rows] == ["russia", "china", "gerasimov-mutual-trust"]
        # The cursor stays on screen.
        top = source.line_of(8)
        assert source.scroll_offset.y <= top < source.scroll_offset.y + source.size.height
        # An uncited paragraph (the "Categories:" footer: only a source note quotes it) lists
        # nothing. (The photo credit is cited since Xinhua became a party, issue 13.)
        await pilot.press("G")
        assert source.cursor == 15 and detail.rows == []

    run(body)


def test_enter_on_a_paragraph_cited_once_goes_to_the_item(make_project: MakeProject) -> None:
    # (The seed cites every paragraph more than once since its places cite them too.)
    sale = """arms_sales:
  - id: tanks
    title: Tanks for Alice
    supplier: bob
    recipient: alice
    status: contracted
    confidence: high
    evidence:
      - {paragraph: 3, quote: Bob sold 3 tanks to Alice.}
"""
    path = make_project(minimal_yaml(body=sale))

    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen, outline, _detail, source = panes(app)
        await pilot.press("tab", "tab", "j", "j")
        assert source.cursor == 3
        await pilot.press("enter")
        await pilot.pause()
        assert_shows(screen, "tanks")
        assert app.focused is outline
        assert screen.history == [Place("alice", 0)]

    run(body, target=path)


def test_enter_on_a_paragraph_cited_many_times_picks_from_the_detail() -> None:
    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen, outline, detail, source = panes(app)
        await pilot.press("tab", "tab", "j", "j", "j", "j")
        assert source.cursor == 5
        await pilot.press("enter")
        assert app.focused is detail
        assert detail.current_row is not None and detail.current_row.target == "gerasimov"
        await highlight_detail_row(
            pilot, detail, lambda row: row.target == "military-cooperation-agreements"
        )
        await pilot.press("enter")
        await pilot.pause()
        # The agreement's evidence in paragraph 5 (its third), not its first.
        assert_shows(screen, "military-cooperation-agreements", 2)
        assert app.focused is outline
        assert screen.history == [Place("russia", 0)]

    run(body)


def test_source_movement_keys() -> None:
    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        _screen, _outline, _detail, source = panes(app)
        count = len(source.source.paragraphs)  # type: ignore[union-attr]
        await pilot.press("tab", "tab")
        await pilot.press("G")
        assert source.cursor == count
        assert source.scroll_offset.y == source.max_scroll_y
        await pilot.press("k")
        assert source.cursor == count - 1
        await pilot.press("home")
        assert source.cursor == 1 and source.scroll_offset.y == 0
        await pilot.press("pagedown")
        after_page = source.cursor
        assert after_page > 1
        first_line = source.line_of(after_page)
        assert source.scroll_offset.y <= first_line < source.scroll_offset.y + source.size.height
        await pilot.press("pageup")
        assert source.cursor < after_page
        await pilot.press("end")
        assert source.cursor == count
        await pilot.press("down")
        assert source.cursor == count

    run(body)


# --- history -------------------------------------------------------------------------------


def test_back_and_forward_restore_item_and_evidence() -> None:
    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen, _outline, _detail, _source = panes(app)
        await pilot.press("]")  # russia, evidence 2 (¶8)
        assert_shows(screen, "russia", 1)
        screen.go_to("putin")
        await pilot.pause()
        screen.go_to("xi-putin-talks", 1)
        await pilot.pause()
        assert_shows(screen, "xi-putin-talks", 1)
        assert screen.history == [Place("russia", 1), Place("putin", 0)]
        await pilot.press("backspace")
        assert_shows(screen, "putin")
        await pilot.press("alt+left")
        assert_shows(screen, "russia", 1)
        assert screen.history == []
        assert screen.future == [Place("xi-putin-talks", 1), Place("putin", 0)]
        await pilot.press("backspace")  # nothing further back
        assert_shows(screen, "russia", 1)
        await pilot.press("alt+right")
        assert_shows(screen, "putin")
        await pilot.press("alt+right")
        assert_shows(screen, "xi-putin-talks", 1)
        await pilot.press("alt+right")  # nothing further forward
        assert_shows(screen, "xi-putin-talks", 1)
        assert screen.history == [Place("russia", 1), Place("putin", 0)]
        # A new jump after going back drops the future.
        await pilot.press("backspace")
        screen.go_to("sco")
        await pilot.pause()
        assert screen.history == [Place("russia", 1), Place("putin", 0)]
        assert screen.future == []
        # Going to the item already shown is not a new place.
        screen.go_to("sco")
        await pilot.pause()
        assert screen.history == [Place("russia", 1), Place("putin", 0)]

    run(body)


# --- search --------------------------------------------------------------------------------


def test_search_finds_items_and_source_spans_and_n_cycles() -> None:
    async def no_hits(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen, _outline, _detail, _source = panes(app)
        await pilot.press("slash", *"zzqx", "enter")
        assert screen.hits == [] and screen.search_query == "zzqx"
        assert "no hits" in str(screen.query_one("#status", Static).render())
        assert screen.place == Place("russia", 0) and screen.history == []

    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen, outline, _detail, source = panes(app)
        assert screen.loaded is not None and screen.links is not None
        assert not any(box.display for box in screen.query("#search"))
        await pilot.press("slash")
        search = screen.query_one("#search", Input)
        assert search.display and app.focused is search
        search.value = ""
        await pilot.press(*"XINHUA", "enter")
        await pilot.pause()
        assert not search.display and app.focused is outline
        text = screen.loaded.sources["article"]
        spans = [
            Hit(paragraph=p.number, start=m.start(), end=m.end())
            for p in text.paragraphs
            for m in re.finditer("xinhua", p.text, re.IGNORECASE)
        ]
        assert spans, "the seed cites Xinhua in the source"
        items = [h for h in screen.hits if h.item is not None]
        assert items and all(
            "xinhua" in repr(screen.links.items[h.item].model_dump()).lower() for h in items
        )
        assert screen.hits == items + spans
        # The first hit is an item: shown like a jump.
        assert screen.hit_index == 0
        assert_shows(screen, items[0].item)  # type: ignore[arg-type]
        assert screen.history == [Place("russia", 0)]
        status = str(screen.query_one("#status", Static).render())
        assert f"hit 1 of {len(screen.hits)}" in status
        for _ in range(len(items) - 1):
            await pilot.press("n")
        # n to the first source hit: marked current and centred.
        await pilot.press("n")
        hit = spans[0]
        assert screen.hit_index == len(items)
        assert source.current_hit == (hit.paragraph, hit.start, hit.end)
        assert source.cursor == hit.paragraph
        assert_centred(source, hit.paragraph, hit.start, hit.end)
        found = text.paragraphs[hit.paragraph - 1].text[hit.start : hit.end]
        assert found.lower() == "xinhua"
        assert source.hits[hit.paragraph][0] == (hit.start, hit.end)
        # N goes back, and wraps from the first hit to the last.
        await pilot.press("N")
        assert screen.hit_index == len(items) - 1
        for _ in range(len(items)):
            await pilot.press("N")
        assert screen.hit_index == len(screen.hits) - 1
        # / again shows the last query; Escape closes the box, a second Escape clears the hits.
        await pilot.press("slash")
        assert search.value == "XINHUA"
        await pilot.press("escape")
        assert not search.display and app.focused is outline
        assert screen.hits
        await pilot.press("escape")
        assert screen.hits == [] and source.hits == {} and source.current_hit is None
        await pilot.press("n")  # no search: a notice, nothing moves
        assert screen.hit_index == -1

    run(no_hits, body)


# --- palette -------------------------------------------------------------------------------


def test_palette_jumps_to_an_item() -> None:
    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen, outline, _detail, _source = panes(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        commands = palette.query_one(CommandList)
        await pilot.press(*"wang guanzhong")
        for _ in range(100):
            await pilot.pause(0.02)
            if commands.option_count and "Wang" in str(commands.get_option_at_index(0).prompt):
                break
        assert "Party: Wang Guanzhong" in str(commands.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert_shows(screen, "wang-guanzhong")
        assert screen.history == [Place("russia", 0)]
        assert app.focused is outline

    run(body)


# --- copy, theme, help, quit ---------------------------------------------------------------


async def copy_quote(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """y copies the shown evidence: the quote and its paragraph; ] then y the next one."""
    screen = app.screen
    assert isinstance(screen, BriefingScreen) and screen.loaded is not None
    title = screen.loaded.briefing.sources[0].title
    assert screen.place is not None
    item, first = screen.place.item, screen.place.evidence
    for step in range(2):
        evidence = screen.loaded.evidence[item]
        chosen = evidence[(first + step) % len(evidence)]
        assert chosen.span is not None
        await pilot.press("y")
        paragraph = chosen.span.paragraph
        assert app.clipboard == f"“{chosen.anchor.quote}” ({title}, paragraph {paragraph})"
        await pilot.press("]")


def test_theme_cycles_help_lists_every_binding_and_q_quits() -> None:
    async def theme(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        start = app.theme
        assert start == THEMES[0]
        seen = []
        for _ in THEMES:
            await pilot.press("t")
            seen.append(app.theme)
        assert seen == [*THEMES[1:], THEMES[0]]

    async def help_(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen = app.screen
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = "\n".join(str(each.render()) for each in help_screen.query(Static))
        for group, keys, _action, description, _shown in KEYS:
            assert group in text
            assert f"{key_names(keys)}" in text and description in text
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("?")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("?")
        assert app.screen is screen

    run(theme, help_, q_quits)


def test_keys_table_covers_every_binding_of_the_screen() -> None:
    listed: set[str] = set()
    for _group, keys, _action, _description, _shown in KEYS:
        for token in re.split(r" / |,", keys):
            token = token.strip()
            if token == f"1-{TIMELINE_NUMBER}":
                listed.update(str(n) for n in range(1, TIMELINE_NUMBER + 1))
            elif token:
                listed.update(BindingsMap([Binding(token, "x")]).key_to_bindings)
    bound = set(BindingsMap(BriefingScreen.BINDINGS).key_to_bindings)
    assert bound <= listed, bound - listed
    for widget in (Outline, Detail, SourceView):
        own = {k for k in BindingsMap(widget.BINDINGS).key_to_bindings if k != "home"}
        own.discard("end")
        if widget is SourceView:  # keys of edit mode only, listed by its own key table
            own -= set(BindingsMap(SourceView.EDITING_BINDINGS).key_to_bindings)
        assert own <= listed, (widget.__name__, own - listed)


async def q_quits(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
    assert app.is_running
    await pilot.press("q")
    await pilot.pause()
    assert not app.is_running
    assert app.return_code == 0


async def escape_stays(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Escape on a briefing opened directly: nothing to go back to."""
    screen = app.screen
    await pilot.press("escape")
    assert app.screen is screen and app.is_running


# --- panes ---------------------------------------------------------------------------------


async def tab_cycles_focus(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
    _screen, outline, detail, source = panes(app)
    assert app.focused is outline
    order = []
    for _ in range(3):
        await pilot.press("tab")
        order.append(app.focused)
    assert order == [detail, source, outline]
    order = []
    for _ in range(2):
        await pilot.press("shift+tab")
        order.append(app.focused)
    assert order == [source, detail]


def test_number_keys_jump_to_sections_and_the_timeline_is_in_date_order() -> None:
    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen, outline, _detail, _source = panes(app)
        assert screen.loaded is not None and screen.links is not None
        briefing = screen.loaded.briefing
        await pilot.press("tab")  # from anywhere: the jump focuses the outline
        for number, key in enumerate(OUTLINE_SECTIONS, start=1):
            await pilot.press(str(number))
            await pilot.pause()
            assert app.focused is outline
            assert outline.highlighted == outline.first_in(key)
            first = (
                screen.links.timeline()[0].item_id
                if key == TIMELINE
                else getattr(briefing, key)[0].id
            )
            assert outline.current_item == first
            assert screen.place == Place(first, 0)
            heading = outline.get_option_at_index(outline.section_rows[key])
            assert str(heading.prompt).startswith(f"{number} ")
        # Walk the timeline: every dated item once, dates never going backwards.
        await pilot.press(str(TIMELINE_NUMBER))
        rows = []
        selectable = [
            index
            for index in range(outline.first_in(TIMELINE) or 0, outline.option_count)
            if not outline.get_option_at_index(index).disabled  # year headings are skipped
        ]
        for n, index in enumerate(selectable):
            assert outline.highlighted == index
            option = outline.get_option_at_index(index)
            assert option.id is not None and option.id.startswith(f"{TIMELINE}:")
            rows.append(item_of(option.id))
            assert screen.place == Place(rows[-1], 0)
            if n < len(selectable) - 1:
                await pilot.press("j")
        timeline = screen.links.timeline()
        assert rows == [row.item_id for row in timeline]
        keys = [screen.links.timeline_place(row.date, row.item_id)[:2] for row in timeline]
        assert keys == sorted(keys)
        assert len(rows) >= 10
        assert rows[0] == "chelyabinsk-drills-2013"
        assert outline.current_item == rows[-1]
        await pilot.press("g")
        assert outline.highlighted == 1  # the first item, headings are skipped
        await pilot.press("G")
        assert outline.current_item == rows[-1]

    run(body)


def test_z_zooms_the_focused_pane() -> None:
    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen, outline, detail, source = panes(app)
        for pane in (outline, detail, source):
            pane.focus()
            await pilot.press("z")
            await pilot.pause()
            assert screen.maximized is pane
            assert pane.region.width == 80 and pane.region.height >= 20
            others = [p for p in (outline, detail, source) if p is not pane]
            assert all(p.region.area == 0 for p in others)
            await pilot.press("z")
            await pilot.pause()
            assert screen.maximized is None
            assert all(p.region.area > 0 for p in (outline, detail, source))

    run(body)


async def stacked_at_80_columns(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """80x24: outline, detail and source stacked, each across the width under a one-row rule."""
    _screen, outline, detail, source = panes(app)
    assert app.size == (80, 24)
    o, d, s = outline.region, detail.region, source.region
    assert o.bottom == d.y and d.bottom == s.y and o.x == d.x == s.x == 0
    assert o.width == d.width == s.width == 80
    assert (o.height, d.height, s.height) == (5, 10, 6)


def test_layout_is_side_by_side_at_160_columns() -> None:
    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        _screen, outline, detail, source = panes(app)
        o, d, s = outline.region, detail.region, source.region
        # The outline down the left; the detail above the source, both the width left over.
        assert o.x == 0 and o.right == d.x == s.x and d.right == s.right == 160
        assert o.y == d.y and d.bottom == s.y and s.bottom == o.bottom
        assert 40 <= o.width <= 64 and o.width < d.width
        # The highlight is centred in the taller pane too.
        span = source.highlight
        assert span is not None
        assert_centred(source, span.paragraph, span.start, span.end)

    run(body, size=(160, 40))


def test_resizing_relayouts_and_keeps_the_highlight_centred() -> None:
    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen, outline, detail, source = panes(app)
        screen.go_to("xi-visit-control-centre")
        await pilot.pause()
        assert_shows(screen, "xi-visit-control-centre")
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert outline.region.y == detail.region.y and detail.region.x == source.region.x
        assert source.region.x > 0 and source.region.right == 160
        assert_shows(screen, "xi-visit-control-centre")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert source.region.x == 0 and source.region.y >= outline.region.bottom
        assert_shows(screen, "xi-visit-control-centre")

    run(body)


# --- errors --------------------------------------------------------------------------------


def test_invalid_briefing_opened_directly_shows_its_errors(make_project: MakeProject) -> None:
    path = make_project(
        minimal_yaml().replace("confidence: high", "confidence: certain", 1) + "bogus: 1\n"
    )
    try:
        load_briefing(path)
    except BriefingError as error:
        diagnostics = error.diagnostics
    else:
        raise AssertionError("the briefing should be invalid")
    assert len(diagnostics) >= 2

    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        screen = app.screen
        assert isinstance(screen, ErrorScreen)
        assert len(app.screen_stack) == 2
        heading = str(screen.query_one("#heading", Static).render())
        assert "test.yaml is not a valid briefing" in heading
        errors = screen.query_one("#errors", OptionList)
        lines = [str(errors.get_option_at_index(i).prompt) for i in range(errors.option_count)]
        assert len(lines) == len(diagnostics)
        for line, diagnostic in zip(lines, diagnostics, strict=True):
            assert line.startswith(f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}: ")
            assert re.match(r"^.+:\d+:\d+: (error|warning): ", line)
            assert "Traceback" not in line
        await pilot.press("escape")  # nowhere to go back to
        assert app.screen is screen
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running

    run(body, target=path)


def test_the_gutter_widens_for_sources_of_more_than_9999_paragraphs() -> None:
    from tui.source import SourceText
    from tui.widgets.source_view import SourceView

    async def run() -> list[str]:
        async with reader(SEED_BRIEFING, (80, 24)) as (app, pilot):
            source = app.screen.query_one(SourceView)
            text = "\n\n".join(f"Paragraph {n} text." for n in range(1, 12_001))
            source.set_source(SourceText(text), {12_000})
            source.show_span(None, 12_000)
            await pilot.pause()
            return [source.render_line(y).text for y in range(source.size.height)]

    lines = asyncio.run(run())
    assert any(line.startswith("12000▌ Paragraph 12000 text.") for line in lines), lines
    assert any(line.startswith("11999  Paragraph 11999 text.") for line in lines), lines


def test_search_offsets_stay_on_the_paragraphs_own_characters(make_project: MakeProject) -> None:
    # "İ".lower() is two characters: hits found in a lowered copy would land one to the right.
    source = "Title line\n\nİİ Alice met Bob in Paris on Monday.\n\nBob sold 3 tanks to Alice.\n"
    path = make_project(minimal_yaml(source), source)

    async def run() -> list[tuple[int, str]]:
        async with reader(path, (100, 30)) as (app, _pilot):
            screen = app.screen
            assert isinstance(screen, BriefingScreen)
            screen.search("paris")
            text = screen.loaded.sources["src"].paragraph(2).text
            return [(h.paragraph, text[h.start : h.end]) for h in screen.hits if h.item is None]

    assert asyncio.run(run()) == [(2, "Paris")]


def test_a_failed_load_switches_screens_only_after_its_worker_ended(
    make_project: MakeProject, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Switching away removes the briefing screen and cancels its workers: a load still
    running then ends CANCELLED and `workers.wait_for_complete()` raises. The switch must
    wait until the load's worker has finished, whatever the threads' timing."""
    from textual.worker import WorkerState

    path = make_project(minimal_yaml() + "bogus: 1\n")
    states: list[list[WorkerState]] = []
    original = BriefingApp.switch_screen

    def switch_screen(self: BriefingApp, screen):  # type: ignore[no-untyped-def]
        states.append([worker.state for worker in self.workers])
        return original(self, screen)

    monkeypatch.setattr(BriefingApp, "switch_screen", switch_screen)

    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(app.screen, ErrorScreen)

    run(body, target=path)
    assert states and all(state != WorkerState.RUNNING for state in states[0]), states


def test_the_header_keeps_the_date_and_reliability_at_80_columns() -> None:
    """The title is what gets cut on a narrow screen, never the publication date or the
    source's reliability grade: they say how far to trust what follows."""

    async def body(app: BriefingApp, pilot) -> None:  # type: ignore[no-untyped-def]
        top = app.screen._compositor.render_strips()[0].text
        assert "5 Nov 2014 (inferred)" in top and "reliability F" in top, top
        assert "Russia and China boost" in top, top
        assert ("…" in top) == (app.size.width < 140), top  # cut only where it must be

    run(body, size=(80, 24))
    run(body, size=(160, 48))


def test_detail_labels_are_never_cut() -> None:
    """'Participan…' was cut on every drill and event: the label column fits every label."""
    from tui.widgets.detail import LABEL_WIDTH

    loaded = load_briefing(SEED_BRIEFING)
    from tui.links import Links

    links = Links.build(loaded)
    labels = {row.label for _loc, item in loaded.briefing.items() for row in describe(item, links)}
    assert "Participants" in labels
    assert max(map(len, labels)) <= LABEL_WIDTH, sorted(labels, key=len)[-3:]
