"""The source pane: the article, paragraph-numbered, drawn line by line.

Only visible lines are rendered; each paragraph is wrapped once per width and cached, so a
jump costs the same at 5 or 5,000 paragraphs.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..safe_text import clean
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
    """
    # Quotes and hits differ by attribute, not only colour (NO_COLOR, ANSI themes): a quote is
    # bold and underlined, a search hit reversed, the current hit reversed and bold.
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "source-view--gutter",
        "source-view--cited",
        "source-view--current",
        "source-view--cursor",
        "source-view--quote",
        "source-view--hit",
        "source-view--current-hit",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor(1)", "Next paragraph", show=False),
        Binding("up,k", "cursor(-1)", "Previous paragraph", show=False),
        Binding("home,g", "first", "First paragraph", show=False),
        Binding("end,G", "last", "Last paragraph", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("enter", "follow", "Cited by", show=True),
    ]

    cursor: reactive[int] = reactive(1, init=False)
    """Paragraph number under the cursor (from 1)."""

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
        if not ranges:
            return [Segment(text[start:end].rstrip("\n"), background)]
        cuts = {start, end}
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
            segments.append(Segment(text[a:b], style))
        return segments

    # --- keys -----------------------------------------------------------------------------

    def watch_cursor(self, paragraph: int) -> None:
        if self.source is None:
            return
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
        self.refresh()
        if self._count():
            self.post_message(self.CursorMoved(self.cursor))

    def on_blur(self) -> None:
        self.refresh()
