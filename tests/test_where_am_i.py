"""Where am I: the selected row, the focused pane and the current hit stay in sight.

Pilot tests of issue 12's findings; each failed before its fix.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from tests.conftest import (
    SEED_BRIEFING,
    SEED_SOURCE,
    Body,
    MakeProject,
    notices,
    run_reader,
    wait_loaded,
)
from tui.app import BriefingApp
from tui.screens.briefing import BriefingScreen
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.widgets.detail import Detail
from tui.widgets.outline import Outline
from tui.widgets.source_view import SourceView


def run(body: Body, target: Path = SEED_BRIEFING, size: tuple[int, int] = (80, 24)) -> None:
    """The seed briefing (or target) in the reader, loaded and indexed, then body."""
    run_reader(target, body, size=size, rounds=2)


def library(make_project: MakeProject) -> Path:
    """briefings/ holding the seed briefing (and the minimal test.yaml)."""
    folder = make_project().parent
    shutil.copy(SEED_BRIEFING, folder / SEED_BRIEFING.name)
    shutil.copy(SEED_SOURCE, folder.parent / "seeds" / SEED_SOURCE.name)
    return folder


def visible_rows(outline: Outline) -> range:
    top = outline.scroll_offset.y
    return range(top, top + outline.scrollable_content_region.height)


def briefing(app: BriefingApp) -> tuple[BriefingScreen, Outline, Detail, SourceView]:
    screen = app.screen
    assert isinstance(screen, BriefingScreen)
    return screen, screen.query_one(Outline), screen.query_one(Detail), screen.query_one(SourceView)


# --- 1. the outline shows the selected row when a briefing opens ------------------------------


def test_pivot_opens_the_briefing_with_the_item_on_screen(make_project: MakeProject) -> None:
    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        await pilot.press("ctrl+g", *"PLA")
        await pilot.pause()
        await pilot.press("down", "enter")  # the first item: the PLA itself, row 8
        await wait_loaded(pilot, rounds=2)
        screen, outline, _detail, _source = briefing(app)
        assert screen.place is not None and screen.place.item == "pla"
        assert outline.current_item == "pla"
        assert outline.highlighted in visible_rows(outline)

    run(body, target=library(make_project))


def test_a_remembered_item_far_down_is_on_screen_when_reopened() -> None:
    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        screen, outline, _detail, _source = briefing(app)
        outline.focus()
        await pilot.press("6", "G")  # the last row of the timeline
        await pilot.pause()
        remembered = screen.place
        app.push_screen(BriefingScreen(SEED_BRIEFING))
        await wait_loaded(pilot, rounds=2)
        screen, outline, _detail, _source = briefing(app)
        assert remembered is not None and outline.current_item == remembered.item
        assert outline.highlighted in visible_rows(outline)

    run(body)


# --- 2. the detail follows the pane the user is in --------------------------------------------


def test_tab_through_the_source_keeps_the_items_detail() -> None:
    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        screen, outline, detail, source = briefing(app)
        await pilot.press("3")
        await pilot.pause()
        drill = outline.current_item
        assert drill is not None and drill in str(screen.place)
        await pilot.press("shift+tab")  # into the source: what cites its paragraph
        await pilot.pause()
        assert app.focused is source and detail.mode == "cited"
        await pilot.press("shift+tab")  # on to the detail: the drill again
        await pilot.pause()
        assert app.focused is detail
        title = detail.border_title  # the detail's title, in its border: what it shows
        assert detail.mode == "item" and "Drill:" in str(title)
        assert screen.place is not None and screen.place.item == drill
        await pilot.press("tab", "tab")  # through the source back to the outline
        await pilot.pause()
        assert app.focused is outline
        assert detail.mode == "item" and screen.place.item == drill

    run(body)


def test_enter_on_a_paragraph_still_lists_its_citations_in_the_detail() -> None:
    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        screen, _outline, detail, source = briefing(app)
        source.focus()
        await pilot.pause()
        assert screen.links is not None
        many = next(p for (_s, p), items in sorted(screen.links.cited_by.items()) if len(items) > 1)
        source.cursor = many
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is detail and detail.mode == "cited"
        # Help over it and back: still the citations, the user did not change panes.
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is detail and detail.mode == "cited"

    run(body)


# --- 3. a section key keeps the section's heading on screen -----------------------------------


def test_section_keys_show_the_heading_row() -> None:
    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        _screen, outline, _detail, _source = briefing(app)
        for key in "3172":
            await pilot.press(key)
            await pilot.pause()
            heading = outline.highlighted - 1  # type: ignore[operator]
            assert outline.rows[heading].disabled
            assert heading in visible_rows(outline), key
            assert outline.highlighted in visible_rows(outline)

    run(body)


# --- 4. the library: Enter in the filter opens, Backspace edits it, ? is help -----------------


def test_library_filter_enter_backspace_and_help(make_project: MakeProject) -> None:
    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        filter_input = screen.query_one("#filter", Input)
        await pilot.press(*"russia")
        await pilot.pause()
        assert app.focused is filter_input and filter_input.value == "russia"
        await pilot.press("enter")
        await wait_loaded(pilot, rounds=2)
        opened = app.screen
        assert isinstance(opened, BriefingScreen)
        assert opened.path.name == SEED_BRIEFING.name
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        # Back on the table (as after Enter on a row): Backspace edits the filter.
        screen.query_one("#table", DataTable).focus()
        await pilot.press("backspace")
        await pilot.pause()
        assert filter_input.value == "russi" and app.focused is filter_input
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert filter_input.value == "russi"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen

    run(body, target=library(make_project))


# --- 5. Alt+Left sent as ESC ESC [ D is Alt+Left ----------------------------------------------


def test_meta_sends_escape_alt_left_goes_back_and_stays_in_the_briefing(
    make_project: MakeProject,
) -> None:
    from textual.drivers import linux_driver

    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        await pilot.press("enter")  # the first briefing from the table
        await wait_loaded(pilot, rounds=2)
        screen, outline, _detail, _source = briefing(app)
        first = screen.place
        screen.go_to("pla")
        await pilot.pause()
        # The keys the app's terminal parser reads from what such a terminal sends.
        parser = linux_driver.XTermParser()
        keys = [event.key for event in parser.feed("\x1b\x1b[D")]
        await pilot.press(*keys)
        await pilot.pause()
        assert app.screen is screen
        assert screen.place == first and outline.current_item == first.item  # type: ignore[union-attr]
        keys = [event.key for event in parser.feed("\x1b\x1b[C")]
        await pilot.press(*keys)
        await pilot.pause()
        assert app.screen is screen and screen.place is not None and screen.place.item == "pla"
        # A lone Escape is still Escape, and the arrows' own sequences still the arrows.
        assert [e.key for e in parser.feed("\x1b[D")] == ["left"]
        assert [e.key for e in [*parser.feed("\x1b"), *parser.tick()]] in ([], ["escape"])

    folder = library(make_project)
    (folder / "test.yaml").unlink()
    run(body, target=folder)


# --- 6. n after a search without hits says so -------------------------------------------------


def test_next_hit_after_a_search_without_hits_names_the_search() -> None:
    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        screen, _outline, _detail, _source = briefing(app)
        await pilot.press("slash", *"zzzz", "enter")
        await pilot.pause()
        assert "/zzzz: no hits" in str(screen.query_one("#status", Static).render())
        await pilot.press("n")
        await pilot.pause()
        messages = notices(app)
        assert "No hits for 'zzzz'" in messages
        assert not any("No search" in m for m in messages)

    run(body)


# --- 7. a library search marks its words in the source; snippets are the item's own words -----


def test_library_search_marks_the_words_and_shows_the_items_own_words(
    make_project: MakeProject,
) -> None:
    from textual.widgets import OptionList

    from tui.loader import load_briefing
    from tui.schema import item_strings
    from tui.screens.search_results import SearchScreen, hit_prompt

    seed = load_briefing(SEED_BRIEFING)

    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        await pilot.press("ctrl+f", *"tanks")
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        drill = next(n for n, h in enumerate(search.hits) if h.ref == "sco-joint-drills-2014")
        hit = search.hits[drill]
        # The words under the hit are one of the drill's own strings, not index words.
        words = hit_prompt(hit, 200).plain.splitlines()[2].strip().strip("…").strip()
        assert "tanks" in words.lower()
        strings = item_strings(seed.briefing.drills[1])
        assert any(words in " ".join(s.split()) for s in strings), words
        await pilot.press("enter")
        options = search.query_one("#hits", OptionList)
        options.highlighted = drill
        await pilot.press("enter")
        await wait_loaded(pilot, rounds=2)
        screen, _outline, _detail, source = briefing(app)
        assert screen.place is not None and screen.place.item == "sco-joint-drills-2014"
        outline = screen.query_one(Outline)
        assert outline.current_item == "sco-joint-drills-2014"
        assert outline.highlighted in visible_rows(outline)
        marked = {
            (p, source.source.paragraphs[p - 1].text[a:b].lower())  # type: ignore[union-attr]
            for p, spans in source.hits.items()
            for a, b in spans
        }
        assert marked and all(word == "tanks" for _p, word in marked)
        quote = source.highlight
        assert quote is not None and (quote.paragraph, "tanks") in marked

    run(body, target=library(make_project))


# --- 8. a changed source: errors before warnings, a readable reason in the library ------------


def test_drifted_source_lists_errors_first_with_a_readable_reason(
    make_project: MakeProject,
) -> None:

    folder = library(make_project)
    (folder / "test.yaml").unlink()
    source = folder.parent / "seeds" / SEED_SOURCE.name
    paragraphs = source.read_text(encoding="utf-8").split("\n\n")
    paragraphs.insert(3, "An inserted paragraph about nothing in particular.")
    source.write_text("\n\n".join(paragraphs), encoding="utf-8")

    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        from tui.screens.briefing import BriefingScreen

        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        [entry] = screen.entries
        # Only its source changed: the library lists it as openable, with a readable reason,
        # and keeps its diagnostics with every error before every warning.
        assert entry.valid and entry.drifted == "source changed: 2 quotes lost"
        assert screen.index is not None
        stored = screen.index.diagnostics(entry.record.key)
        kinds = [severity == "error" for _line, _column, severity, _message, _file in stored]
        assert kinds[0] and any(not k for k in kinds)
        assert kinds == sorted(kinds, reverse=True)  # every error before every warning
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)

    run(body, target=folder)


# --- seeing without colour --------------------------------------------------------------------


def test_quote_hit_and_current_hit_differ_by_attributes_in_every_theme() -> None:
    from tui.screens.briefing import THEMES

    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        _screen, _outline, _detail, source = briefing(app)
        for theme in THEMES:
            app.theme = theme
            await pilot.pause()
            looks = {
                role: (style.bold, style.underline, style.reverse)
                for role in ("quote", "hit", "current-hit")
                for style in [source.get_component_rich_style(f"source-view--{role}")]
            }
            assert len(set(looks.values())) == 3, (theme, looks)
            assert all(any(look) for look in looks.values()), (theme, looks)

    run(body)


def test_t_names_the_themes_help_lists() -> None:
    from tui.screens.briefing import KEYS, THEME_NAMES, THEMES

    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        [described] = [description for _g, keys, _a, description, _f in KEYS if keys == "t"]
        assert list(THEME_NAMES) == list(THEMES)
        assert all(name in described for name in THEME_NAMES.values())
        seen = []
        for _ in THEMES:
            await pilot.press("t")
            await pilot.pause()
            seen.append(app.theme)
            assert notices(app)[-1] == f"Theme: {THEME_NAMES[app.theme]}"
        assert sorted(seen) == sorted(THEMES)

    run(body)


def test_selected_row_and_focused_pane_show_without_colour() -> None:
    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        _screen, outline, detail, source = briefing(app)
        await pilot.press("j")
        await pilot.pause()

        def row_style(focused: bool) -> tuple[bool, bool]:
            assert outline.highlighted is not None
            strip = outline.render_line(outline.highlighted - outline.scroll_offset.y)
            styles = [s.style for s in strip if s.text.strip() and s.style is not None]
            return (all(s.underline for s in styles), all(s.bold for s in styles))

        assert app.focused is outline
        focused = row_style(True)
        detail.focus()
        await pilot.pause()
        blurred = row_style(False)
        assert blurred[0] and focused[0]  # the selected row is underlined, focused or not
        assert focused != blurred  # and focus shows in its attributes too
        for pane in (outline, detail, source):
            pane.focus()
            await pilot.pause()
            types = {p: p.styles.border.top[0] for p in (outline, detail, source)}
            assert types[pane] != types[next(p for p in types if p is not pane)]
            assert "reverse" in str(pane.styles.border_title_style)

    run(body)


@pytest.mark.parametrize("theme", ["ansi-dark", "ansi-light", "textual-dark"])
def test_without_colour_no_text_takes_its_backgrounds_colour(
    theme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual's Monochrome filter made the terminal's default colour black: under the ANSI
    # themes, whose text and background are the defaults, every pane was black on black.
    from rich.color import Color as RichColor
    from textual.filter import Monochrome

    monkeypatch.setenv("NO_COLOR", "1")

    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        app.theme = theme
        await pilot.pause()
        assert not any(isinstance(f, Monochrome) for f in app._filters)
        shown = 0
        for strip in app.screen._compositor.render_strips():  # as sent, the filters applied
            for segment in strip:
                style = segment.style
                if not segment.text.strip() or style is None:
                    continue
                shown += 1
                colour = style.color or RichColor.default()
                ground = style.bgcolor or RichColor.default()
                assert colour.is_default or colour != ground, (theme, segment.text)
        assert shown > 20

    run(body)


def test_without_colour_a_themes_colours_are_greys_and_the_terminals_its_default() -> None:
    from rich.style import Style

    from tui.app import _grey

    assert _grey(Style(color="default", bgcolor="default")) == Style(
        color="default", bgcolor="default"
    )
    assert _grey(Style(color="red", bgcolor="bright_black", bold=True)) == Style(
        color="default", bgcolor="default", bold=True
    )
    grey = _grey(Style(color="#ff0000", bgcolor="#000080"))
    assert grey is not None and grey.color is not None and grey.bgcolor is not None
    assert len(set(grey.color.get_truecolor())) == 1  # r = g = b
    assert len(set(grey.bgcolor.get_truecolor())) == 1
    assert _grey(None) is None
