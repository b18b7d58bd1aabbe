"""The outline: every section with its count and items, and a timeline, one line per row.

The timeline is grouped by year under headings that cannot be selected, as section headings
cannot; each row has two mark cells (planned, inferred: the legend row under the timeline's
heading says which is which) and its date in a column of one width, so labels line up.

Rows are drawn only when visible and built only when first drawn, so filling the outline with
10,000 items (and their timeline rows) costs a list of ids, not 20,000 measured widgets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, NamedTuple, overload

from rich.cells import cell_len
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets.option_list import Option

from ..safe_text import clean, clip
from ..sections import SECTION_KEYS, SINGULAR
from ..sections import TITLES as SECTION_TITLES

if TYPE_CHECKING:
    from ..links import Dated as TimelineRow
    from ..links import Links

TIMELINE = "timeline"
OUTLINE_SECTIONS = (*SECTION_KEYS, TIMELINE)
"""The outline's sections, in order and by number key: the briefing's, then the timeline."""
TITLES = {**SECTION_TITLES, TIMELINE: "Timeline"}
LABEL_LIMIT = 200
CACHED_ROWS = 4096
"""Rows whose label and strip are kept, the least recently drawn given up first."""
DATE_WIDTH = 14
"""The widest the timeline's date column grows ("7 Aug – 12 Sep"); a longer date pushes its
own label along rather than being cut."""
WIDTH_SCAN = 5000
"""Item labels measured for the outline's wanted width: enough for any real briefing's longest,
few enough that a 100,000-item load does not wait for it."""
WIDTH_ENOUGH = 120
"""A label this wide ends the scan: no screen gives the outline more (app.tcss caps it)."""


LOST_LEGEND_ID = "§lost:legend"
CONFLICT_LEGEND_ID = "§conflict:legend"


def item_option_id(item_id: str, section: str, part: str = "") -> str:
    """Row ids are unique: a timeline row repeats an item under another id, and an item with
    several timeline rows (an arms sale's order and deliveries) names the part after a '/'
    (ids are slugs, so a '/' is never theirs)."""
    if section != TIMELINE:
        return item_id
    return f"{TIMELINE}:{item_id}" + (f"/{part}" if part else "")


def item_of(option_id: str | None) -> str | None:
    """The item id of an outline row, or None for a section heading."""
    if option_id is None or option_id.startswith("§"):
        return None
    if option_id.startswith(f"{TIMELINE}:"):
        return option_id.split(":", 1)[1].split("/", 1)[0]
    return option_id


def short(text: str, limit: int = LABEL_LIMIT) -> str:
    """Cleaned, one line, at most limit characters."""
    return clip(clean(text), limit)


class OutlineRow(NamedTuple):
    """One outline row: its id, and whether it is a heading (not selectable)."""

    id: str
    disabled: bool
    kind: str = ""
    """'section', 'year' or 'legend' for rows that cannot be selected; '' for an item."""


class Dated(NamedTuple):
    """What a timeline row draws: its row of the timeline, the column's text for its date, and
    whether it stands at its source's publication date (a date of words only)."""

    row: TimelineRow
    text: str
    at_publication: bool


class Prepared(NamedTuple):
    """An outline's rows for a briefing, made away from the UI thread (prepare)."""

    links: Links
    rows: list[OutlineRow]
    row_index: dict[str, int]
    section_rows: dict[str, int]
    timeline: list[TimelineRow]
    dated: dict[int, Dated]
    date_width: int
    lost: set[str]
    """Items with a quote lost when the source changed: marked, a legend on the first row."""
    conflicts: set[str]
    """Items whose sources give values in conflict: marked (a lost quote's mark first)."""
    wanted_width: int


def prepare(links: Links) -> Prepared:
    """The rows of a briefing's outline: ids now, labels when drawn. Pure (no widget): the
    screen's loading thread calls it, as sorting the timeline of 100,000 items takes a second."""
    rows: list[OutlineRow] = []
    section_rows: dict[str, int] = {}
    briefing = links.loaded.briefing
    lost = {
        item_id
        for item_id, resolved in links.loaded.evidence.items()
        if any(e.lost for e in resolved)
    }
    if lost:
        rows.append(OutlineRow(LOST_LEGEND_ID, True, "legend"))
    from ..schema import conflicts as in_conflict  # loaded by now: not at the first frame

    conflicts = {item.id for item in links.items.values() if item.claims and in_conflict(item)}
    if conflicts - lost:
        rows.append(OutlineRow(CONFLICT_LEGEND_ID, True, "legend"))
    timeline = list(links.timeline())
    dated: dict[int, Dated] = {}
    for key in OUTLINE_SECTIONS:
        section_rows[key] = len(rows)
        rows.append(OutlineRow(f"§{key}", True, "section"))
        if key == TIMELINE:
            _timeline_rows(links, timeline, rows, dated)
        else:
            rows.extend(OutlineRow(item.id, False) for item in getattr(briefing, key))
    date_width = min(DATE_WIDTH, max((cell_len(d.text) for d in dated.values()), default=0))
    index = {row.id: n for n, row in enumerate(rows)}
    wanted = _width_of_names(links)
    return Prepared(
        links, rows, index, section_rows, timeline, dated, date_width, lost, conflicts, wanted
    )


def _width_of_names(links: Links) -> int:
    """Cells an item's row needs (its indent, the pane's padding and scrollbar included): the
    outline's width when the screen is wide (`width: auto` in app.tcss, within limits), so
    names are not cut while the detail pane has room to spare."""
    widest = 0
    for n, item_id in enumerate(links.items):
        if n >= WIDTH_SCAN or widest >= WIDTH_ENOUGH:
            break
        widest = max(widest, cell_len(clip(links.name(item_id), WIDTH_ENOUGH)))
    return widest + 2 + 2 + 1


def _timeline_rows(
    links: Links, timeline: list[TimelineRow], rows: list[OutlineRow], dated: dict[int, Dated]
) -> None:
    """The timeline's legend, then its items under a heading for each year."""
    from ..describe import timeline_date

    if timeline:
        rows.append(OutlineRow(f"§{TIMELINE}:legend", True, "legend"))
    year: int | None = -1
    for entry in timeline:
        date, item_id = entry.date, entry.item_id
        first, _last, _rank = links.timeline_place(date, item_id)
        # A date of words with no publication date to stand at goes last, as "Undated".
        now = None if first == dt.date.max else first.year
        if now != year:
            year = now
            rows.append(OutlineRow(f"§{TIMELINE}:{year or 'undated'}", True, "year"))
        at_publication = date.value is None and year is not None
        dated[len(rows)] = Dated(entry, timeline_date(date, year), at_publication)
        rows.append(OutlineRow(item_option_id(item_id, TIMELINE, entry.part), False))


class Planned(NamedTuple):
    """An outline's rows from a cached first screen (plan_rows)."""

    rows: Sequence[OutlineRow]
    row_index: dict[str, int]
    section_rows: dict[str, int]


class PlannedRows(Sequence[OutlineRow]):
    """A plan's rows, each made when asked for: the outline asks for those it draws and
    walks past, not all of them (making 150,000 at once took 0.1 s of a large briefing's
    reopening, before its first screen)."""

    __slots__ = ("_ids", "_kinds")

    def __init__(self, ids: list[str], kinds: dict[int, str]) -> None:
        self._ids = ids
        self._kinds = kinds

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> OutlineRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[OutlineRow]: ...
    def __getitem__(self, index: int | slice) -> OutlineRow | list[OutlineRow]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self._ids)))]
        row_id = self._ids[index]  # IndexError as a list's
        kind = self._kinds.get(index % len(self._ids))
        return OutlineRow(row_id, kind is not None, kind or "")


def plan_rows(ids: list[str], kinds: dict[int, str]) -> Planned:
    """Rows from their ids and the kinds of the headings among them."""
    index = dict(zip(ids, range(len(ids)), strict=True))
    sections = {ids[n][1:]: n for n, kind in kinds.items() if kind == "section"}
    return Planned(PlannedRows(ids, kinds), index, sections)


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
        self.rows: Sequence[OutlineRow] = []
        self.section_rows: dict[str, int] = {}
        self._index: dict[str, int] = {}
        self._links: Links | None = None
        self._wanted_width = 0
        self._timeline: list[TimelineRow] = []
        self._lost: set[str] = set()
        self._conflicts: set[str] = set()
        self._dated: dict[int, Dated] = {}
        self._date_width = 0
        self._drawn: LRUCache[int, Content] = LRUCache(CACHED_ROWS)
        self._strips: LRUCache[tuple[int, bool], Strip] = LRUCache(CACHED_ROWS)
        self._strips_key: tuple[int, bool, str] | None = None

    # --- data in --------------------------------------------------------------------------

    def set_links(self, links: Links, prepared: Prepared | None = None) -> None:
        """Fill the outline from a briefing's links (rows made by prepare, if not given)."""
        if prepared is None or prepared.links is not links:
            prepared = prepare(links)
        self._links = links
        self.section_rows = prepared.section_rows
        self._timeline = prepared.timeline
        self._dated = prepared.dated
        self._date_width = prepared.date_width
        self.rows = prepared.rows
        self._index = prepared.row_index
        self._lost = prepared.lost
        self._wanted_width = prepared.wanted_width
        self._conflicts = prepared.conflicts
        self._drawn.clear()
        self._strips.clear()
        self.virtual_size = Size(0, len(self.rows))
        self.highlighted = None
        self.refresh(layout=True)  # wide, the pane is as wide as the names (app.tcss)
        self.refresh()

    def show_plan(
        self, planned: Planned, labels: dict[int, Content], highlighted: int, width: int
    ) -> None:
        """Rows and some labels from a cached first screen (tui/plan.py), until set_links.

        The highlight shows where the briefing opens; moving it waits for the links (a
        fraction of a second), as the detail and source could not follow it before.
        """
        self.section_rows = planned.section_rows
        self._links = None
        self.rows = planned.rows
        self._index = planned.row_index
        self._drawn.clear()
        for index, label in labels.items():
            self._drawn[index] = label
        self._strips.clear()
        self.virtual_size = Size(0, len(self.rows))
        self.highlighted = highlighted
        self._wanted_width = width
        self.refresh(layout=True)  # wide, as wide as the loaded outline will be

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
    def highlighted_option(self) -> OutlineRow | None:
        index = self.highlighted
        return None if index is None else self.rows[index]

    @property
    def current_item(self) -> str | None:
        option = self.highlighted_option
        return item_of(option.id if option is not None else None)

    @property
    def current_part(self) -> str:
        """Which of its item's timeline rows is highlighted ("claim-2"); "" for any other."""
        option = self.highlighted_option
        option_id = option.id if option is not None else None
        return option_id.partition("/")[2] if option_id else ""

    def first_in(self, section: str) -> int | None:
        """Row index of the first item of a section (None if it is empty)."""
        start = self.section_rows.get(section)
        if start is None:
            return None
        # Past the section's legend and year headings, but not into the next section.
        for index in range(start + 1, len(self.rows)):
            row = self.rows[index]
            if not row.disabled:
                return index
            if row.kind == "section":
                return None
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
        from ..describe import (
            CONFLICT_LEGEND,
            CONFLICT_MARK,
            LOST_LEGEND,
            LOST_MARK,
            TIMELINE_LEGEND,
            timeline_label,
            timeline_marks,
        )

        links = self._links
        row = self.rows[index]
        assert links is not None
        item_id = item_of(row.id)
        if item_id in self._lost:
            lost: str | tuple[str, str] = (LOST_MARK, "bold $text-error")
        elif item_id in self._conflicts:
            lost = (CONFLICT_MARK, "bold $text-warning")
        else:
            lost = " "
        if row.id == LOST_LEGEND_ID:
            label = Content.assemble((LOST_LEGEND, "bold $text-error"))
        elif row.id == CONFLICT_LEGEND_ID:
            label = Content.assemble((CONFLICT_LEGEND, "bold $text-warning"))
        elif row.kind == "legend":
            label = Content.assemble(" ", (TIMELINE_LEGEND, "dim"))
        elif row.kind == "year":
            label = Content(" " + row.id.rsplit(":", 1)[1].replace("undated", "Undated"))
        elif row.disabled:
            key = row.id[1:]
            count = (
                len(self._timeline) if key == TIMELINE else len(getattr(links.loaded.briefing, key))
            )
            number = OUTLINE_SECTIONS.index(key) + 1
            label = Content.assemble((f"{number} {TITLES[key]} ", "bold"), (f"({count})", "dim"))
        elif row.id.startswith(f"{TIMELINE}:"):
            item_id = item_of(row.id) or ""
            dated = self._dated[index]
            item = links.items[item_id]
            text = short(dated.text, 40)
            label = Content.assemble(
                lost,
                (timeline_marks(dated.row, item, dated.at_publication), "bold"),
                (text + " " * (self._date_width - cell_len(text)), "$text-accent"),
                " ",
                short(timeline_label(dated.row, item, SINGULAR[links.section_of[item_id]], links)),
            )
        else:
            label = Content.assemble(lost, " " + short(links.name(row.id)))
        self._drawn[index] = label
        return label

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        if index >= len(self.rows) or (self._links is None and index not in self._drawn):
            return Strip.blank(width, self.rich_style)
        highlighted = index == self.highlighted
        # Strips are kept per row while width, focus and theme stay: a key press redraws rows
        # from the cache instead of re-rendering every visible label.
        key = (width, self.has_focus, self.app.theme)
        if key != self._strips_key:
            self._strips_key = key
            self._strips.clear()
        cached = self._strips.get((index, highlighted))
        if cached is not None:
            return cached
        row = self.rows[index]
        classes = ["outline--heading"] if row.disabled and row.kind != "legend" else []
        if highlighted:
            classes.append("outline--highlight")
        style = self.get_visual_style(*classes)
        label = self._label(index).truncate(width, ellipsis=True)
        strips = label.to_strips(self, label, width, 1, style, pad=True)
        strip = (
            strips[0].extend_cell_length(width, style.rich_style) if strips else Strip.blank(width)
        )
        self._strips[(index, highlighted)] = strip
        return strip

    @property
    def wanted_width(self) -> int:
        """The cells its names ask for (`width: auto` on wide screens, within limits)."""
        return self._wanted_width

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """The width `width: auto` gives the pane: its names' (see _width_of_names)."""
        return self._wanted_width

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
            # The headings just above a section's first item (its legend and first year too, in
            # the timeline): keep them in sight.
            heading = index
            while heading > 0 and self.rows[heading - 1].disabled:
                heading -= 1
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
        if self._links is None:
            return  # a cached first screen (show_plan): nothing to follow a move yet
        if not self.rows:
            return
        current = self.highlighted if self.highlighted is not None else -step
        found = self._step(current + step, step)
        if found is not None:
            self.highlighted = found

    def action_first(self) -> None:
        if self._links is None:
            return  # a cached first screen (show_plan): nothing to follow a move yet
        found = self._step(0, 1)
        if found is not None:
            self.highlighted = found

    def action_last(self) -> None:
        if self._links is None:
            return  # a cached first screen (show_plan): nothing to follow a move yet
        found = self._step(len(self.rows) - 1, -1)
        if found is not None:
            self.highlighted = found

    def action_page(self, direction: int) -> None:
        if self._links is None:
            return  # a cached first screen (show_plan): nothing to follow a move yet
        if not self.rows:
            return
        height = max(1, self.scrollable_content_region.height - 1)
        current = self.highlighted or 0
        target = min(max(0, current + direction * height), len(self.rows) - 1)
        found = self._step(target, direction) or self._step(target, -direction)
        if found is not None:
            self.highlighted = found

    def action_select(self) -> None:
        if self._links is None:
            return  # a cached first screen (show_plan): nothing to follow a move yet
        if self.current_item is not None:
            self.post_message(self.Selected(self, self.current_item))
