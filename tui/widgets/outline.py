"""The outline: every section with its count and items, and a timeline, one line per row.

Rows are drawn only when visible and built only when first drawn, so filling the outline with
10,000 items (and their timeline rows) costs a list of ids, not 20,000 measured widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets.option_list import Option

from ..safe_text import clean, clip
from ..sections import KEYS, SINGULAR
from ..sections import TITLES as SECTION_TITLES

if TYPE_CHECKING:
    from ..links import Links

TIMELINE = "timeline"
SECTION_KEYS = (*KEYS, TIMELINE)
TITLES = {**SECTION_TITLES, TIMELINE: "Timeline"}
LABEL_LIMIT = 200


def item_option_id(item_id: str, section: str) -> str:
    """Row ids are unique: a timeline row repeats an item under another id."""
    return f"{TIMELINE}:{item_id}" if section == TIMELINE else item_id


def item_of(option_id: str | None) -> str | None:
    """The item id of an outline row, or None for a section heading."""
    if option_id is None or option_id.startswith("§"):
        return None
    return option_id.split(":", 1)[1] if option_id.startswith(f"{TIMELINE}:") else option_id


def short(text: str, limit: int = LABEL_LIMIT) -> str:
    """Cleaned, one line, at most limit characters."""
    return clip(clean(text), limit)


class Row(NamedTuple):
    """One outline row: its id, and whether it is a heading (not selectable)."""

    id: str
    disabled: bool


class Outline(ScrollView, can_focus=True):
    """Sections with counts, their items, and the timeline; headings are not selectable."""

    DEFAULT_CSS = """
    Outline { overflow-x: hidden; padding: 0 1; }
    Outline > .outline--heading { color: $text-accent; text-style: bold; }
    Outline > .outline--date { color: $text-accent; }
    Outline > .outline--highlight {
        background: $block-cursor-blurred-background;
        text-style: underline;
    }
    Outline:focus > .outline--highlight {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold underline;
    }
    """
    # The selected row is underlined, and bold while the pane has focus: it must show without
    # colour too (NO_COLOR, ANSI themes, where the unfocused background is the default one).
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "outline--heading",
        "outline--date",
        "outline--highlight",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    highlighted: reactive[int | None] = reactive(None, init=False)

    class Highlighted(Message):
        """The highlight moved (item_id is None on a heading)."""

        def __init__(self, outline: Outline, item_id: str | None) -> None:
            super().__init__()
            self.outline = outline
            self.item_id = item_id

        @property
        def control(self) -> Outline:
            return self.outline

    class Selected(Message):
        """Enter on an item's row."""

        def __init__(self, outline: Outline, item_id: str) -> None:
            super().__init__()
            self.outline = outline
            self.item_id = item_id

        @property
        def control(self) -> Outline:
            return self.outline

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.section_rows: dict[str, int] = {}
        self._index: dict[str, int] = {}
        self._links: Links | None = None
        self._timeline: list[tuple[object, str]] = []
        self._drawn: dict[int, Content] = {}
        self._strips: dict[tuple[int, bool], Strip] = {}
        self._strips_key: tuple[int, bool, str] | None = None

    # --- data in --------------------------------------------------------------------------

    def set_links(self, links: Links) -> None:
        """Fill the outline from a briefing's links: ids now, labels when drawn."""
        rows: list[Row] = []
        self.section_rows = {}
        briefing = links.loaded.briefing
        self._links = links
        self._timeline = list(links.timeline())
        for key in SECTION_KEYS:
            self.section_rows[key] = len(rows)
            rows.append(Row(f"§{key}", True))
            if key == TIMELINE:
                rows.extend(Row(item_option_id(i, key), False) for _d, i in self._timeline)
            else:
                rows.extend(Row(item.id, False) for item in getattr(briefing, key))
        self.rows = rows
        self._index = {row.id: n for n, row in enumerate(rows)}
        self._drawn = {}
        self._strips = {}
        self.virtual_size = Size(0, len(rows))
        self.highlighted = None
        self.refresh()

    @property
    def option_count(self) -> int:
        return len(self.rows)

    def get_option_at_index(self, index: int) -> Option:
        """The row at index as an Option (its prompt is the drawn label)."""
        row = self.rows[index]
        return Option(self._label(index), id=row.id, disabled=row.disabled)

    def get_option_index(self, row_id: str) -> int:
        return self._index[row_id]

    @property
    def highlighted_option(self) -> Row | None:
        index = self.highlighted
        return None if index is None else self.rows[index]

    @property
    def current_item(self) -> str | None:
        option = self.highlighted_option
        return item_of(option.id if option is not None else None)

    def first_in(self, section: str) -> int | None:
        """Row index of the first item of a section (None if it is empty)."""
        start = self.section_rows.get(section)
        if start is None:
            return None
        index = start + 1
        if index < len(self.rows) and not self.rows[index].disabled:
            return index
        return None

    def select_item(self, item_id: str) -> bool:
        """Highlight an item's row in its own section."""
        index = self._index.get(item_id)
        if index is None:
            return False
        self.highlighted = index
        return True

    # --- drawing --------------------------------------------------------------------------

    def _label(self, index: int) -> Content:
        drawn = self._drawn.get(index)
        if drawn is not None:
            return drawn
        from ..describe import timeline_label

        links = self._links
        row = self.rows[index]
        assert links is not None
        if row.disabled:
            key = row.id[1:]
            count = (
                len(self._timeline) if key == TIMELINE else len(getattr(links.loaded.briefing, key))
            )
            number = SECTION_KEYS.index(key) + 1
            label = Content.assemble((f"{number} {TITLES[key]} ", "bold"), (f"({count})", "dim"))
        elif row.id.startswith(f"{TIMELINE}:"):
            item_id = item_of(row.id) or ""
            date = self._timeline[index - self.section_rows[TIMELINE] - 1][0]
            item = links.items[item_id]
            label = Content.assemble(
                "  ",
                (short(timeline_label(date, item, links), 40), "$text-accent"),  # type: ignore[arg-type]
                " ",
                short(f"{SINGULAR[links.section_of[item_id]]}: {item.label}"),
            )
        else:
            label = Content("  " + short(links.items[row.id].label))
        if len(self._drawn) > 4096:
            self._drawn.clear()
        self._drawn[index] = label
        return label

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        if index >= len(self.rows) or self._links is None:
            return Strip.blank(width, self.rich_style)
        highlighted = index == self.highlighted
        # Strips are kept per row while width, focus and theme stay: a key press redraws rows
        # from the cache instead of re-rendering every visible label.
        key = (width, self.has_focus, self.app.theme)
        if key != self._strips_key:
            self._strips_key = key
            self._strips = {}
        cached = self._strips.get((index, highlighted))
        if cached is not None:
            return cached
        classes = ["outline--heading"] if self.rows[index].disabled else []
        if highlighted:
            classes.append("outline--highlight")
        style = self.get_visual_style(*classes)
        label = self._label(index).truncate(width, ellipsis=True)
        strips = label.to_strips(self, label, width, 1, style, pad=True)
        strip = (
            strips[0].extend_cell_length(width, style.rich_style) if strips else Strip.blank(width)
        )
        if len(self._strips) > 4096:
            self._strips = {}
        self._strips[(index, highlighted)] = strip
        return strip

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.rows))
        # A briefing opened at an item (a search hit, a pivot, a remembered place) selects it
        # before the pane has its size: bring the row on screen once the size is known.
        self.scroll_to_highlight()

    # --- keys -----------------------------------------------------------------------------

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        top = self.scroll_offset.y
        if new is not None:
            self.scroll_to_highlight()
        if self.scroll_offset.y == top and old is not None and new is not None:
            self.refresh_line(old)  # only the two rows that changed
            self.refresh_line(new)
        else:
            self.refresh()
        if new is not None and new != old:
            self.post_message(self.Highlighted(self, self.current_item))

    def validate_highlighted(self, index: int | None) -> int | None:
        if index is None or not self.rows:
            return None
        return min(max(0, index), len(self.rows) - 1)

    def scroll_to_highlight(self, top: bool = False) -> None:
        """Bring the highlighted row on screen; top puts its section's heading on the top row."""
        index = self.highlighted
        if index is None:
            return
        height = self.scrollable_content_region.height
        if not height:
            return  # not laid out yet: on_resize scrolls once it is
        if top:
            # The heading is the row just above a section's first item: keep it in sight.
            heading = index - 1 if index > 0 and self.rows[index - 1].disabled else index
            self.scroll_to(y=heading, animate=False, immediate=True)
        elif index < self.scroll_offset.y:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= self.scroll_offset.y + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True)

    def _step(self, start: int, step: int) -> int | None:
        """The nearest selectable row from start in the direction of step."""
        index = start
        while 0 <= index < len(self.rows):
            if not self.rows[index].disabled:
                return index
            index += step
        return None

    def action_cursor(self, step: int) -> None:
        if not self.rows:
            return
        current = self.highlighted if self.highlighted is not None else -step
        found = self._step(current + step, step)
        if found is not None:
            self.highlighted = found

    def action_first(self) -> None:
        found = self._step(0, 1)
        if found is not None:
            self.highlighted = found

    def action_last(self) -> None:
        found = self._step(len(self.rows) - 1, -1)
        if found is not None:
            self.highlighted = found

    def action_page(self, direction: int) -> None:
        if not self.rows:
            return
        height = max(1, self.scrollable_content_region.height - 1)
        current = self.highlighted or 0
        target = min(max(0, current + direction * height), len(self.rows) - 1)
        found = self._step(target, direction) or self._step(target, -direction)
        if found is not None:
            self.highlighted = found

    def action_select(self) -> None:
        if self.current_item is not None:
            self.post_message(self.Selected(self, self.current_item))
