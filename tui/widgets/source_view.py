"""The source pane: the article, paragraph-numbered, drawn line by line.

Only visible lines are rendered; each paragraph is wrapped once per width and cached, so a
jump costs the same at 5 or 5,000 paragraphs.

When `editable` (edit mode), the focused pane shows a caret that word and line motions move,
and `v` selects words from it (tui/selection.py has the motions); the reader leaves it off.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Label

from .. import selection as motion
from ..safe_text import INPUT_ALLOWED, clean, clip
from ..selection import Selection
from ..source import SourceText, Span
from .wrap import wrap_breaks

DIGITS = 4
"""Paragraph numbers take at least this many columns; longer sources widen the gutter."""


@dataclass(frozen=True, slots=True)
class Lines:
    """A source's paragraphs cleaned for the screen and wrapped for one width (prepare)."""

    source: SourceText
    display: list[str]
    width: int
    breaks: list[list[int]]
    starts: list[int]
    total: int


def _gutter_for(paragraphs: int) -> int:
    return max(DIGITS, len(str(paragraphs))) + 2  # "  12▌ "


def prepare(source: SourceText, pane_width: int) -> Lines:
    """What set_source and the first layout make of a source, made away from the UI thread
    (0.5 s for 50,000 paragraphs); used if the pane is that wide when it is shown."""
    display = [clean(p.text) for p in source.paragraphs]
    width = max(10, pane_width - _gutter_for(len(display)))
    breaks = [wrap_breaks(text, width) for text in display]
    starts, total = _starts(breaks)
    return Lines(source, display, width, breaks, starts, total)


def _starts(breaks: list[list[int]]) -> tuple[list[int], int]:
    """Each paragraph's first line, and the lines in all (a blank line after each)."""
    starts = []
    total = 0
    for lines in breaks:
        starts.append(total)
        total += len(lines) + 2  # the paragraph's lines and one blank line after
    return starts, total


class SourceView(ScrollView, can_focus=True):
    """A source text with a paragraph cursor, a highlighted quote and search hits."""

    DEFAULT_CSS = """
    SourceView {
        background: $surface;
        overflow-x: hidden;
    }
    SourceView > .source-view--gutter { color: $text-muted; }
    SourceView > .source-view--cited { color: $accent; text-style: bold; }
    SourceView > .source-view--current { background: $boost; }
    SourceView > .source-view--cursor { background: $primary 20%; }
    SourceView > .source-view--quote { text-style: bold underline; color: $text-accent; }
    SourceView > .source-view--hit { text-style: reverse; }
    SourceView > .source-view--current-hit { text-style: reverse bold; color: $warning; }
    SourceView > .source-view--selection { background: $primary; color: auto 90%; }
    SourceView > .source-view--caret { background: $error; color: auto 90%; }
    """
    # Quotes and hits differ by attribute, not only colour (NO_COLOR, ANSI themes): a quote is
    # bold and underlined, a search hit reversed, the current hit reversed and bold. A
    # selection is reversed and underlined but never bold, over whatever it covers; the caret
    # is a bold block of its own colour; without colour it turns reverse video on, or off over
    # a hit or the selection, as a terminal's block cursor does. The two take their colours
    # from the classes above, swapped to be drawn reversed (_reversed).
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "source-view--gutter",
        "source-view--cited",
        "source-view--current",
        "source-view--cursor",
        "source-view--quote",
        "source-view--hit",
        "source-view--current-hit",
        "source-view--selection",
        "source-view--caret",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor(1)", "Next paragraph", show=False),
        Binding("up", "cursor(-1)", "Previous paragraph", show=False),
        # j/k move by paragraph in the reader, by wrapped line when editable.
        Binding("j", "line(1)", "Next paragraph or line", show=False),
        Binding("k", "line(-1)", "Previous paragraph or line", show=False),
        Binding("home,g", "first", "First paragraph", show=False),
        Binding("end,G", "last", "Last paragraph", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("enter", "follow", "Cited by", show=True),
    ]
    EDITING_BINDINGS: ClassVar[list[BindingType]] = [
        # Editable only (check_action): otherwise the keys reach the screen (e exports, /
        # searches, Esc closes). Edit mode's key table lists them.
        Binding("w", "word(1)", "Next word", show=False),
        Binding("b", "word(-1)", "Previous word", show=False),
        Binding("e", "word_end", "End of word", show=False),
        Binding("0", "line_edge(-1)", "Start of line", show=False),
        Binding("dollar_sign", "line_edge(1)", "End of line", show=False),
        Binding("v", "select", "Select", show=False),
        Binding("o", "swap", "Other end", show=False),
        Binding("slash", "find", "Find words", show=False),
        Binding("escape", "cancel", "Cancel selection", show=False),
    ]
    BINDINGS += EDITING_BINDINGS
    EDITING_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"word", "word_end", "line_edge", "select", "swap", "find", "cancel"}
    )

    cursor: reactive[int] = reactive(1, init=False)
    """Paragraph number under the cursor (from 1)."""

    editable: reactive[bool] = reactive(False, init=False)
    """Edit mode: a caret, word and line motions, and selecting words (off in the reader)."""

    class CursorMoved(Message):
        """The paragraph cursor moved: the screen shows what cites it."""

        def __init__(self, paragraph: int) -> None:
            super().__init__()
            self.paragraph = paragraph

    class Follow(Message):
        """Enter on a paragraph: follow its citations."""

        def __init__(self, paragraph: int) -> None:
            super().__init__()
            self.paragraph = paragraph

    class SelectionChanged(Message):
        """The selection started, changed or ended (selection None)."""

        def __init__(self, selection: Selection | None) -> None:
            super().__init__()
            self.selection = selection

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.source: SourceText | None = None
        self._display: list[str] = []
        self._cited: set[int] = set()
        self._highlight: Span | None = None
        self._hits: dict[int, list[tuple[int, int]]] = {}
        self._current_hit: tuple[int, int, int] | None = None
        self._wrap_width = -1
        self._breaks: list[list[int]] = []
        self._starts: list[int] = []
        self._total = 0
        self._gutter = DIGITS + 2
        self._withheld: str | None = None
        self._prepared: Lines | None = None
        self._known_width = 0
        self._caret: tuple[int, int] = (1, 0)
        """(paragraph, offset) of the caret, on a character of the paragraph."""
        self._anchor: int | None = None
        """Offset, in the caret's paragraph, where the selection started (None: none)."""
        self._column: int | None = None
        """The cell column j/k keep, set by the first of a run of them."""

    # --- data in --------------------------------------------------------------------------

    def set_source(self, source: SourceText, cited: set[int], lines: Lines | None = None) -> None:
        """Show a source; cited paragraphs get a gutter mark. lines: the source prepared."""
        if lines is not None and lines.source is not source:
            lines = None
        self.source = source
        self._withheld = None
        self._display = (
            lines.display if lines is not None else [clean(p.text) for p in source.paragraphs]
        )
        self._prepared = lines
        self._gutter = _gutter_for(len(self._display))
        self._cited = cited
        self._highlight = None
        self._hits = {}
        self._wrap_width = -1
        self._drop_selection()
        self._caret = (1, 0)
        self._relayout()
        self.cursor = 1
        self.scroll_to(y=0, animate=False)

    def set_withheld(self, reason: str) -> None:
        """Say why there is no source to show, in place of its text."""
        self.source = None
        self._withheld = clean(reason)
        self._display = []
        self._cited = set()
        self._highlight = None
        self._hits = {}
        self._drop_selection()
        self._caret = (1, 0)
        self._wrap_width = -1
        self._relayout()
        self.scroll_to(y=0, animate=False)

    def show_span(self, span: Span | None, paragraph: int | None = None) -> None:
        """Highlight a quote (or just a paragraph) and scroll it to the middle of the pane."""
        self._highlight = span
        target = span.paragraph if span is not None else paragraph
        if target is not None and self.source is not None:
            self.set_reactive(SourceView.cursor, target)
            self._centre(target, span)
            if self._anchor is None and 0 < target <= len(self._display):
                # The caret waits at the evidence shown; a selection stays where it was made.
                self._caret = (target, span.start if span is not None else 0)
        self.refresh()

    def set_hits(
        self, hits: dict[int, list[tuple[int, int]]], current: tuple[int, int, int] | None
    ) -> None:
        """Mark search hits (paragraph to offset ranges); current is (paragraph, start, end)."""
        self._hits = hits
        self._current_hit = current
        if current is not None:
            self.set_reactive(SourceView.cursor, current[0])
            self._centre(current[0], Span(*current))
            if self._anchor is None and 0 < current[0] <= len(self._display):
                self._caret = (current[0], current[1])
        self.refresh()

    @property
    def highlight(self) -> Span | None:
        return self._highlight

    @property
    def hits(self) -> dict[int, list[tuple[int, int]]]:
        """The search hits marked: paragraph to (start, end) offsets (a copy)."""
        return {paragraph: list(spans) for paragraph, spans in self._hits.items()}

    @property
    def current_hit(self) -> tuple[int, int, int] | None:
        """The hit marked current: (paragraph, start, end)."""
        return self._current_hit

    # --- layout ---------------------------------------------------------------------------

    @property
    def pane_width(self) -> int:
        """Cells of a line, gutter included, with a vertical scrollbar shown (what prepare is
        given: a long source has one); 0 if not known yet."""
        region = self.region
        # Under its loading indicator the pane is not laid out (Textual lays out the indicator
        # in its place), which has the pane's region.
        cover = getattr(self, "_cover_widget", None)
        if not region.width and cover is not None:
            region = cover.region
        if not region.width:
            return self._known_width  # between a loading indicator and the next layout
        styles = self.styles
        self._known_width = max(
            0, region.width - styles.gutter.width - styles.scrollbar_size_vertical
        )
        return self._known_width

    @property
    def _width_under_scrollbar(self) -> int:
        """_text_width once a vertical scrollbar shows (whether it shows now or not)."""
        width = self.content_region.width - self.styles.scrollbar_size_vertical
        return max(10, width - self._gutter)

    @property
    def _text_width(self) -> int:
        return max(10, self.scrollable_content_region.width - self._gutter)

    def _relayout(self) -> None:
        if not self.is_mounted:
            return
        if not self.scrollable_content_region.width:
            # Not laid out (under a loading indicator, or shown a moment ago): wrapped for the
            # width it had there, if known, so that the first frame shows the scrollbar (the
            # next layout sees the lines); else once laid out, not at a made-up width first.
            if not self._known_width or self._withheld is not None:
                return
            width = max(10, self._known_width - self._gutter)
        else:
            width = self._text_width
        if (
            self.scrollable_content_region.width
            and self._withheld is None
            and 2 * len(self._display) > self.content_region.height
        ):
            # Two lines a paragraph at least: taller than the pane at any width, so the
            # scrollbar shows. Wrapped for the width beside it at once, not once without it
            # and again when it appears (twice the work, on the UI thread).
            width = self._width_under_scrollbar
        if width == self._wrap_width:
            return
        self._wrap_width = width
        if self._withheld is not None:
            self._total = len(wrap_breaks(self._withheld, width)) + 1
            self.virtual_size = Size(0, self._total)
            return
        prepared, self._prepared = self._prepared, None
        if prepared is not None and prepared.width == width:
            self._breaks, self._starts, self._total = (
                prepared.breaks,
                prepared.starts,
                prepared.total,
            )
        else:
            self._breaks = [wrap_breaks(text, width) for text in self._display]
            self._starts, self._total = _starts(self._breaks)
        self.virtual_size = Size(0, self._total)

    def on_resize(self) -> None:
        self._relayout()
        if self._highlight is not None:
            self._centre(self._highlight.paragraph, self._highlight)

    def on_mount(self) -> None:
        self._relayout()

    def line_of(self, paragraph: int, offset: int = 0) -> int:
        """The virtual line where an offset of a paragraph is drawn."""
        self._relayout()
        index = paragraph - 1
        if not 0 <= index < len(self._breaks):
            return 0  # not laid out yet
        line = bisect.bisect_right(self._breaks[index], offset)
        return self._starts[index] + line

    def _centre(self, paragraph: int, span: Span | None) -> None:
        if not self._starts or paragraph > len(self._starts):
            return
        # The whole quote in the middle of the pane, with its paragraph's first line (the
        # number) when that fits too: centring the quote's first line alone left the rest of a
        # long quote below a short pane (80x24).
        first = self.line_of(paragraph, 0)
        top = self.line_of(paragraph, span.start) if span else first
        last = self.line_of(paragraph, max(span.start, span.end - 1)) if span else top
        height = self.scrollable_content_region.height
        if last - first < height:
            top = first
        elif last - top >= height:
            last = top  # taller than the pane: its start at the top
        y = top - max(0, height - (last - top + 1)) // 2
        self.scroll_to(y=max(0, y), animate=False, immediate=True)

    # --- drawing --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        self._relayout()
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        base = self.rich_style
        if self._withheld is not None:
            return self._withheld_line(line, width, base)
        if line >= self._total or not self._starts:
            return Strip.blank(width, base)
        index = bisect.bisect_right(self._starts, line) - 1
        row = line - self._starts[index]
        breaks = self._breaks[index]
        if row > len(breaks):  # the blank line after a paragraph
            return Strip.blank(width, base)
        number = index + 1
        background = base
        if self._highlight is not None and self._highlight.paragraph == number:
            background = base + self.get_component_rich_style("source-view--current")
        elif number == self.cursor and self.has_focus:
            background = base + self.get_component_rich_style("source-view--cursor")
        if row == 0:
            cited = number in self._cited
            role = "source-view--cited" if cited else "source-view--gutter"
            style = base + self.get_component_rich_style(role)
            if number == self.cursor and self.has_focus:
                # The cursor's paragraph number is reversed: the cursor shows without colour.
                style += Style(reverse=True, bold=True)
            gutter = Segment(f"{number:>{self._gutter - 2}}{'▌' if cited else ' '} ", style)
        else:
            gutter = Segment(" " * self._gutter, base)
        text = self._display[index]
        edges = [0, *breaks, len(text)]
        segments = [gutter, *self._styled(number, text, edges[row], edges[row + 1], background)]
        return Strip(segments).crop_extend(0, width, background)

    def _withheld_line(self, line: int, width: int, base: Style) -> Strip:
        text = self._withheld or ""
        edges = [0, *wrap_breaks(text, self._text_width), len(text)]
        if line + 1 >= len(edges):
            return Strip.blank(width, base)
        words = text[edges[line] : edges[line + 1]].strip()
        style = base + self.get_component_rich_style("source-view--gutter")
        return Strip([Segment(" " * self._gutter, base), Segment(words, style)]).crop_extend(
            0, width, base
        )

    def _styled(
        self, number: int, text: str, start: int, end: int, background: Style
    ) -> list[Segment]:
        """Segments for text[start:end], with quote and hit ranges styled."""
        ranges: list[tuple[int, int, Style]] = []
        hit_style = self.get_component_rich_style("source-view--hit")
        for a, b in self._hits.get(number, ()):
            ranges.append((a, b, hit_style))
        if self._current_hit is not None and self._current_hit[0] == number:
            _, a, b = self._current_hit
            ranges.append((a, b, self.get_component_rich_style("source-view--current-hit")))
        if self._highlight is not None and self._highlight.paragraph == number:
            quote = self.get_component_rich_style("source-view--quote")
            ranges.append((self._highlight.start, self._highlight.end, quote))
        selection = self.selection
        if selection is not None and selection.paragraph == number:
            # Last, and never bold: the selection looks the same over a quote or a hit.
            chosen = _reversed(self.get_component_rich_style("source-view--selection"))
            ranges.append((selection.start, selection.end, chosen + Style(underline=True)))
        caret = self._caret[1] if self._caret_shown(number) else None
        if not ranges and caret is None:
            return [Segment(text[start:end].rstrip("\n"), background)]
        cuts = {start, end}
        if caret is not None:
            cuts.update(edge for edge in (caret, caret + 1) if start < edge < end)
        for a, b, _ in ranges:
            for edge in (a, b):
                if start < edge < end:
                    cuts.add(edge)
        ordered = sorted(cuts)
        segments = []
        for a, b in itertools.pairwise(ordered):
            style = background
            for ra, rb, extra in ranges:
                if ra <= a and b <= rb:
                    style = style + extra
            if a == caret:
                if self.app.no_color and style.reverse:
                    # A gap in a hit or the selection, bold alone: unlike any of them or a quote.
                    style += Style(reverse=False, bold=True, underline=False)
                else:
                    colours = self.get_component_rich_style("source-view--caret")
                    style += _reversed(colours) + Style(bold=True)
            segments.append(Segment(text[a:b], style))
        return segments

    def _caret_shown(self, number: int) -> bool:
        return (
            self.editable
            and self._caret[0] == number
            and self.has_focus
            and self.source is not None
            and self._withheld is None
        )

    # --- keys -----------------------------------------------------------------------------

    def watch_cursor(self, paragraph: int) -> None:
        if self.source is None:
            return
        if self._caret[0] != paragraph:
            # A paragraph motion (Up/Down, g/G, PgUp/PgDn) takes the caret along; a quote
            # cannot cross paragraphs, so a selection ends there.
            self.clear_selection()
            self._caret = (paragraph, 0)
            self._column = None
        top = self.line_of(paragraph)
        height = self.scrollable_content_region.height
        bottom = self.line_of(paragraph, len(self._display[paragraph - 1])) + 1
        if top < self.scroll_offset.y or bottom > self.scroll_offset.y + height:
            self.scroll_to(y=max(0, top - height // 3), animate=False, immediate=True)
        self.refresh()
        self.post_message(self.CursorMoved(paragraph))

    def _count(self) -> int:
        return len(self._display)

    def action_cursor(self, step: int) -> None:
        if self._count():
            self.cursor = min(self._count(), max(1, self.cursor + step))

    def action_first(self) -> None:
        if self._count():
            self.cursor = 1

    def action_last(self) -> None:
        if self._count():
            self.cursor = self._count()

    def action_page(self, direction: int) -> None:
        if not self._count():
            return
        height = self.scrollable_content_region.height
        target_line = self.line_of(self.cursor) + direction * max(1, height - 2)
        target_line = min(max(0, target_line), max(0, self._total - 1))
        index = bisect.bisect_right(self._starts, target_line) - 1
        self.cursor = min(self._count(), max(1, index + 1))

    def action_follow(self) -> None:
        if self._count():
            self.post_message(self.Follow(self.cursor))

    def on_focus(self) -> None:
        if self.editable:
            self._caret_to_cursor()
        self.refresh()
        if self._count():
            self.post_message(self.CursorMoved(self.cursor))

    def on_blur(self) -> None:
        self.refresh()

    # --- caret and selection (editable) ---------------------------------------------------

    @property
    def selection(self) -> Selection | None:
        """The words selected: from the anchor to the caret, both characters included."""
        if self._anchor is None:
            return None
        paragraph, caret = self._caret
        return Selection(paragraph, min(self._anchor, caret), max(self._anchor, caret) + 1)

    @property
    def caret(self) -> tuple[int, int]:
        """(paragraph, offset) of the caret."""
        return self._caret

    def clear_selection(self) -> None:
        """End the selection, if there is one (posts SelectionChanged(None))."""
        selection = self.selection
        if selection is None:
            return
        self._anchor = None
        self._refresh_offsets(selection.paragraph, selection.start, selection.end - 1)
        self.post_message(self.SelectionChanged(None))

    def _drop_selection(self) -> None:
        self.clear_selection()
        self._column = None

    def watch_editable(self, editable: bool) -> None:
        if editable:
            self._caret_to_cursor()
        else:
            self.clear_selection()
        self.refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.EDITING_ACTIONS:
            if not self.editable or self.source is None or not self._display:
                return False  # the key goes on to the screen
            if action in ("cancel", "swap"):
                return self._anchor is not None
        return True

    def _text(self, paragraph: int) -> str:
        return self._display[paragraph - 1]

    def _breaks_of(self, paragraph: int) -> list[int]:
        self._relayout()
        index = paragraph - 1
        return self._breaks[index] if 0 <= index < len(self._breaks) else []

    def _refresh_offsets(self, paragraph: int, first: int, last: int) -> None:
        """Redraw the lines between two offsets of a paragraph, and only those."""
        if not 0 < paragraph <= len(self._display):
            return
        top = self.line_of(paragraph, min(first, last))
        bottom = self.line_of(paragraph, max(first, last))
        self.refresh_lines(top, bottom - top + 1)

    def _refresh_paragraph(self, paragraph: int) -> None:
        if 0 < paragraph <= len(self._display):
            self._refresh_offsets(paragraph, 0, len(self._text(paragraph)))

    def _place(self, paragraph: int, offset: int, *, keep_column: bool = False) -> None:
        """Move the caret, redrawing what changes, and keep it in view."""
        old_paragraph, old_offset = self._caret
        before = self.selection
        offset = motion.clamp(self._text(paragraph), offset)
        self._caret = (paragraph, offset)
        if not keep_column:
            self._column = None
        if paragraph != self.cursor:
            previous = self.cursor
            self.set_reactive(SourceView.cursor, paragraph)
            self._refresh_paragraph(previous)
            self._refresh_paragraph(paragraph)
            self.post_message(self.CursorMoved(paragraph))
        if paragraph == old_paragraph:
            # A selection changes between the old and new caret only.
            self._refresh_offsets(paragraph, old_offset, offset)
        else:
            self._refresh_offsets(old_paragraph, old_offset, old_offset)
            self._refresh_offsets(paragraph, offset, offset)
        self._follow_caret()
        after = self.selection
        if after != before:
            self.post_message(self.SelectionChanged(after))

    def _follow_caret(self) -> None:
        line = self.line_of(*self._caret)
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height
        if line < top:
            self.scroll_to(y=line, animate=False, immediate=True)
        elif height and line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False, immediate=True)

    def _caret_to_cursor(self) -> tuple[int, int]:
        """The caret, brought to the cursor's paragraph when no selection holds it elsewhere
        (the evidence of an item chosen since then moved the cursor), and returned."""
        if (
            self._anchor is None
            and self._caret[0] != self.cursor
            and 0 < self.cursor <= len(self._display)
        ):
            self._caret = (self.cursor, 0)
            self._column = None
        return self._caret

    def _next_paragraph(self, step: int) -> int | None:
        """The paragraph a caret motion goes on to, when it may leave its own."""
        target = self._caret[0] + step
        if self._anchor is not None or not 0 < target <= len(self._display):
            return None
        return target

    def action_line(self, step: int) -> None:
        if not self.editable or self.source is None or not self._display:
            self.action_cursor(step)
            return
        paragraph, offset = self._caret_to_cursor()
        text, breaks = self._text(paragraph), self._breaks_of(paragraph)
        if self._column is None:
            self._column = motion.column_of(text, breaks, offset)
        go = motion.line_down if step > 0 else motion.line_up
        moved = go(text, breaks, offset, self._column)
        if moved is not None:
            self._place(paragraph, moved, keep_column=True)
            return
        target = self._next_paragraph(step)
        if target is None:
            return
        text, breaks = self._text(target), self._breaks_of(target)
        row = 0 if step > 0 else len(breaks)
        start, end = motion.line_bounds(text, breaks, row)
        self._place(target, motion.at_column(text, start, end, self._column), keep_column=True)

    def action_word(self, step: int) -> None:
        paragraph, offset = self._caret_to_cursor()
        text = self._text(paragraph)
        moved = motion.word_forward(text, offset) if step > 0 else motion.word_back(text, offset)
        if moved is not None:
            self._place(paragraph, moved)
            return
        target = self._next_paragraph(step)
        if target is not None:
            following = self._text(target)
            if step < 0:
                moved = motion.word_back(following, len(following))
            elif following and motion.char_class(following, 0) != motion.SPACE:
                moved = 0
            else:
                moved = motion.word_forward(following, 0)
            self._place(target, moved or 0)
        elif step > 0 and self._anchor is not None:
            # Selecting: the last word's end, so that w can take a selection to the last word.
            self._place(paragraph, motion.last_visible(text, 0, len(text)))

    def action_word_end(self) -> None:
        paragraph, offset = self._caret_to_cursor()
        moved = motion.word_end(self._text(paragraph), offset)
        if moved is not None:
            self._place(paragraph, moved)
            return
        target = self._next_paragraph(1)
        if target is not None:
            self._place(target, motion.word_end(self._text(target), -1) or 0)

    def action_line_edge(self, direction: int) -> None:
        paragraph, offset = self._caret_to_cursor()
        text, breaks = self._text(paragraph), self._breaks_of(paragraph)
        edge = motion.line_end if direction > 0 else motion.line_start
        self._place(paragraph, edge(text, breaks, offset))

    def action_select(self) -> None:
        """v: start a selection at the caret; v again ends it."""
        if self._anchor is not None:
            self.clear_selection()
            return
        paragraph, offset = self._caret_to_cursor()
        self._place(paragraph, offset)
        self._anchor = self._caret[1]
        self._refresh_offsets(paragraph, self._anchor, self._anchor)
        self.post_message(self.SelectionChanged(self.selection))

    def action_swap(self) -> None:
        """o: the caret goes to the selection's other end."""
        if self._anchor is None:
            return
        paragraph, offset = self._caret
        anchor, self._anchor = self._anchor, offset
        self._place(paragraph, anchor)

    def action_cancel(self) -> None:
        self.clear_selection()

    def action_find(self) -> None:
        """/: words to find; the caret moves to the next place they occur, or a selection
        extends to its end (in the selection's paragraph)."""
        self.app.push_screen(FindWords(self._anchor is not None), self._find)

    def _find(self, words: str | None) -> None:
        if not words or not words.strip() or not self._display:
            return
        paragraph, offset = self._caret_to_cursor()
        shown = clip(clean(" ".join(words.split())), 40)
        if self._anchor is not None:
            found = motion.find_words(self._text(paragraph), words, offset)
            if found is None:
                self.notify(f"'{shown}' is not further in ¶{paragraph}", timeout=3, markup=False)
                return
            self._place(paragraph, found[1] - 1)
            return
        match = motion.next_match(self._display, paragraph, offset, words)
        if match is None:
            self.notify(f"'{shown}' is not in the source", timeout=3, markup=False)
            return
        self._place(match[0], match[1])


def _reversed(style: Style) -> Style:
    """Reverse video showing style's colours: under NO_COLOR the reversal is what is left."""
    return Style(reverse=True, bold=False, color=style.bgcolor, bgcolor=style.color)


class FindWords(ModalScreen[str | None]):
    """The one-line prompt of the source pane's `/`: the words to find."""

    # One line over the status line, the footer left in view: the text stays readable above.
    DEFAULT_CSS = """
    FindWords { background: transparent; }
    FindWords > #find-bar { dock: bottom; height: 1; margin-bottom: 1; background: $boost; }
    FindWords #find-label { width: auto; padding: 0 1; text-style: bold; }
    FindWords Input, FindWords Input:focus {
        border: none;
        height: 1;
        padding: 0;
        width: 1fr;
        background: $boost;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Cancel", show=False)]

    def __init__(self, extend: bool) -> None:
        super().__init__()
        self.extend = extend

    def compose(self) -> ComposeResult:
        goal = "extend the selection to them" if self.extend else "go to them"
        with Horizontal(id="find-bar"):
            yield Label("Find words:", id="find-label")
            yield Input(
                placeholder=f"Enter to {goal}, Esc to cancel",
                restrict=INPUT_ALLOWED,  # a pasted escape sequence must not reach the screen
                max_length=motion.WORDS_LIMIT,
                id="find-words",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_close(self) -> None:
        self.dismiss(None)
