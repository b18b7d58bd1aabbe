"""The library: every briefing in a folder, from the SQLite index; filterable; invalid ones
listed with their error.

The index (tui/index.py) is read in a thread: a warm index shows every row at once without
loading a briefing; new and changed files are read again and their rows appear as they are
indexed, the heading counting them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from ..safe_text import clean, clip
from ..sections import SECTIONS, SHORT
from .listing import ListScreen, typing_box
from .navigate import open_briefing

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from textual import events
    from textual.app import ComposeResult
    from textual.widgets.data_table import RowKey

    from ..index import LibraryIndex, Query, Record


COLUMNS = ("Title", "Source", "Published", "Items")
TITLE_MIN = 24
SOURCE_MIN = 10
SOURCE_SHARE = 0.2
"""Published and Items are as wide as they need, Source up to a fifth of the table (at least
SOURCE_MIN), and Title takes what is left; cells are cut with an ellipsis. Where that would
leave the title fewer than TITLE_MIN cells (80 columns), Source is left out: the title says
more, and the filter still reads the source."""
SHORT_SECTIONS = SHORT
"""Letters of the sections in the Items column, in registry order."""
SINCE = tuple(section.since for section in SECTIONS)
"""The format version each section is new in, in registry order."""
HELP_LINE = "Filter by words or party:China country:CN section:drills from:2014 to:2015-06"

# Every key of the library, grouped for help, as the briefing screen's KEYS: (group, keys,
# action, description, footer label). Keys whose action is empty belong to a widget.
KEYS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Move", "down,j / up,k", "", "Next / previous briefing", ""),
    ("Move", "pageup / pagedown", "", "Page up / down", ""),
    ("Filter", "/", "filter", "Filter (or just start typing) by", "Filter"),
    ("Filter", "", "", "words, party:China, country:CN,", ""),
    ("Filter", "", "", "section:drills, from:2014, to:2015-06,", ""),
    ("Filter", "", "", "tlp:amber, analyst:lund, credibility:1-2,", ""),
    ("Filter", "", "", "status:planned, conflict:personnel,", ""),
    ("Filter", "", "", "verdict:disputed", ""),
    ("Filter", "backspace", "", "Edit the filter", ""),
    ("Filter", "escape", "clear", "Clear the filter", ""),
    ("Open", "enter", "", "Open the highlighted briefing, from the", ""),
    ("Open", "", "", "table or the filter", ""),
    ("Find", "ctrl+f", "search", "Search all items and sources", "Search all"),
    ("Find", "ctrl+g", "pivot", "Party pivot: a party's briefings and items", "Party pivot"),
    ("Other", "?", "help", "Help", "Help"),
    ("Other", "q", "app.quit", "Quit", "Quit"),
)


class SizedTable(DataTable[Text]):
    """The library's table: every column is given its width (column_widths) and every row is
    one line, so there is nothing to measure.

    DataTable measures every cell of the new rows when idle (4,000 cells for 1,000 briefings,
    a third of what a warm library open does after Textual's start-up), for the widths of
    columns sized to their content, and renders rows of automatic height. With neither, only
    the virtual size is left to set, as DataTable sets it; otherwise DataTable does it all.
    """

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        rows = self.rows
        if (
            self._labelled_row_exists
            or any(column.auto_width for column in self.columns.values())
            or any(row.label is not None or row.auto_height for row in rows.values())
        ):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            width + self._row_label_column_width, self._total_row_height + header
        )


class FilterInput(Input):
    """The filter box: `?` opens help rather than being typed (no filter needs it)."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return key != "question_mark" and super().check_consume_key(key, character)


@dataclass
class Entry:
    """One briefing file as indexed."""

    folder: Path
    record: Record
    reason: str = ""
    """Why an invalid briefing is invalid, from its first error (empty: the index's text)."""

    @property
    def path(self) -> Path:
        # Made when opened: a Path for each of 1,000 briefings was 10 ms of a warm library.
        return self.folder / self.record.name

    @property
    def valid(self) -> bool:
        return self.record.valid

    @property
    def why(self) -> str:
        """Why an invalid briefing is invalid, cleaned ("" for a valid one)."""
        return "" if self.valid else clean(self.reason or self.record.error)

    @property
    def drifted(self) -> str:
        """Why a briefing the reader opens is not valid ("source changed: 2 quotes lost"),
        "" when it is valid or cannot be opened."""
        return clean(self.record.error) if self.valid else ""

    def cells(self) -> tuple[str, str, str, str]:
        record = self.record
        if not record.valid:
            # The reason in the widest column, the title's, where it can be read at 80 columns.
            return (clip(f"{clean(record.name)}: {self.why}", 400), "", "", "invalid")
        # A section new in format 2 is counted only when the briefing has some: a version 1
        # briefing's cell stays as it was, and the column no longer pushes Source out at 80.
        summary = f"{record.total}: " + " ".join(
            f"{count}{letter}"
            for count, letter, since in zip(record.counts, SHORT_SECTIONS, SINCE, strict=False)
            if count or since == 1
        )
        # Marked as the reader marks its lost quotes; the line under the table says why.
        mark = "! " if self.drifted else ""
        return (
            clip(mark + clean(record.title), 400),
            clip(clean(record.outlet), 60),
            clean(record.date),
            summary,
        )

    def text(self) -> str:
        return " ".join(self.cells()).lower() + " " + self.record.name.lower()


class LibraryScreen(ListScreen):
    """A table of the briefings in a folder; type to filter, Enter opens."""

    AUTO_FOCUS = "#table"
    LIST = "table"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Help from the filter box too: a priority binding, or the box would type the key.
        Binding(keys, action, footer or description, show=bool(footer), priority=keys == "?")
        for _group, keys, action, description, footer in KEYS
        if action
    ]
    DEFAULT_CSS = """
    LibraryScreen #heading { height: 1; }
    LibraryScreen #why { padding: 0 1; height: auto; max-height: 4; color: $text-error; }
    LibraryScreen #filter { dock: bottom; }
    """

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.entries: list[Entry] = []
        """Every indexed briefing, in file name order."""
        self.index: LibraryIndex | None = None
        self.progress: tuple[int, int] | None = None
        """(indexed, to index) while the index is being brought up to date."""
        self._by_key: dict[str, Entry] = {}
        self._shown: list[str] = []
        """Keys of the rows in the table, in order."""
        self._widths: list[int] = []
        self._query: Query | None = None
        self._matching: set[str] | None = None

    def heading(self) -> str:
        return f"Briefings in {self.folder}: reading the index…"

    def body(self) -> ComposeResult:
        table = SizedTable(id="table", classes="listing", cursor_type="row", zebra_stripes=True)
        yield table
        why = Static("", id="why")
        why.display = False
        yield why
        yield Static(Content.assemble(HELP_LINE, "\n", items_legend()), id="help")
        # Typing on the table moves to the box with the first character inserted.
        yield typing_box("filter", "Type to filter", kind=FilterInput)

    def on_mount(self) -> None:
        self._index()

    def on_unmount(self) -> None:
        if self.index is not None:
            self.index.close()

    # --- indexing ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index")
    def _index(self) -> None:
        from ..index import LibraryIndex

        worker = get_current_worker()
        index = LibraryIndex()
        plan = index.plan(self.folder)
        records = index.records(self.folder)
        if not self._call(self._start, index, records, len(plan.stale)):
            return

        def progress(done: int, total: int, batch: list[Record]) -> None:
            self._call(self._indexed, done, total, batch)

        index.update_parallel(plan, progress, cancelled=lambda: worker.is_cancelled)
        self._call(self._finished)

    def _call(self, callback: Callable[..., object], *args: object) -> bool:
        """Run callback on the UI thread; False when the app is gone."""
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:
            return False
        return True

    def _start(self, index: LibraryIndex, records: list[Record], stale: int) -> None:
        self.index = index
        if index.notice:
            self.notify(clean(index.notice), severity="warning", timeout=6, markup=False)
        self.progress = (0, stale) if stale else None
        self.entries = [self._entry(r) for r in records]
        self._by_key = {e.record.key: e for e in self.entries}
        self._fill(self.query_one("#filter", Input).value)

    def _entry(self, record: Record) -> Entry:
        entry = Entry(self.folder, record)
        if not record.valid and self.index is not None:
            from ..index.rows import invalid_reason

            # Empty (the index's own text then) when none of its stored list is as written.
            entry.reason = invalid_reason(self.index.diagnostics(record.key))
        return entry

    def _indexed(self, done: int, total: int, records: list[Record]) -> None:
        self.progress = (done, total)
        appended: list[Entry] = []
        changed = False
        for record in records:
            entry = self._entry(record)
            if record.key in self._by_key:
                old = self._by_key[record.key]
                old.record = record
                old.reason = entry.reason
                changed = True
            else:
                self._by_key[record.key] = entry
                if self.entries and self.entries[-1].record.name > record.name:
                    changed = True
                appended.append(entry)
        self.entries.extend(appended)
        if changed:
            self.entries.sort(key=lambda e: e.record.name)
        if self._query is not None and self._query.filters and self.index is not None:
            # New rows may pass the filters: ask the index again.
            self._matching = self.index.matching(self.folder, self._query)
        if changed or not self._append(appended):
            self._fill(self.query_one("#filter", Input).value, keep_query=True)
        else:
            self._heading()

    def _finished(self) -> None:
        self.progress = None
        self._heading()

    # --- the table --------------------------------------------------------------------------

    def _passes(self, entry: Entry, needle: list[str]) -> bool:
        if self._matching is not None and entry.record.key not in self._matching:
            return False
        if needle:
            text = entry.text()
            return all(word in text for word in needle)
        return True

    def _needle(self) -> list[str]:
        return [w.lower() for w in self._query.words] if self._query else []

    def _fill(self, value: str, keep_query: bool = False) -> None:
        from ..index import parse_query

        if not keep_query or self._query is None:
            self._query = parse_query(value)
            self._matching = (
                self.index.matching(self.folder, self._query) if self.index is not None else None
            )
        table = self.query_one("#table", DataTable)
        needle = self._needle()
        shown = [(e, e.cells()) for e in self.entries if self._passes(e, needle)]
        # Widths from the data, set once per fill, so the table never waits on a re-measure.
        cursor = table.cursor_row
        table.clear(columns=True)
        self._widths = column_widths(
            self._table_width(), [cells for _e, cells in shown], 2 * table.cell_padding
        )
        for header, width in zip(COLUMNS, self._widths, strict=True):
            if width:
                table.add_column(header, width=width)
        self._shown = []
        for entry, cells in shown:
            self._add_row(table, entry, cells)
        # A refill while indexing keeps the cursor; a new filter starts at its first row, the
        # one Enter in the filter opens.
        if shown and cursor and keep_query:
            table.move_cursor(row=min(cursor, len(shown) - 1))
        self._heading()
        self._show_why()

    def _add_row(self, table: DataTable[Text], entry: Entry, cells: tuple[str, ...]) -> None:
        # Rich Text, never a str: DataTable parses markup in plain strings.
        style = "" if entry.valid else "bold red"
        table.add_row(
            *(
                Text(c, style=style, no_wrap=True, overflow="ellipsis")
                for c, width in zip(cells, self._widths, strict=True)
                if width
            ),
            key=entry.record.key,
        )
        self._shown.append(entry.record.key)

    def _append(self, entries: list[Entry]) -> bool:
        """Add new rows at the end of the table; False when a refill is needed instead."""
        needle = self._needle()
        table = self.query_one("#table", DataTable)
        rows = [(e, e.cells()) for e in entries if self._passes(e, needle)]
        if not self._widths:
            return False
        # Only Published and Items are as wide as their cells: a wider one needs a refill.
        for _entry, cells in rows:
            if any(cell_len(cells[c]) > self._widths[c] for c in (2, 3)):
                return False
            if 0 < self._widths[1] < min(cell_len(cells[1]), self._source_cap()):
                return False
        for entry, cells in rows:
            self._add_row(table, entry, cells)
        return True

    def _table_width(self) -> int:
        """Cells the columns can share: the screen less each column's padding and the
        scrollbar."""
        table = self.query_one("#table", DataTable)
        return max(0, (self.size.width or 80) - 2 - 2 * table.cell_padding * len(COLUMNS))

    def _source_cap(self) -> int:
        return max(SOURCE_MIN, int(self._table_width() * SOURCE_SHARE))

    def _heading(self) -> None:
        shown = len(self._shown)
        rest = f": {shown} of {len(self.entries)}"
        if self.progress is not None:
            done, total = self.progress
            rest += f"  ·  Indexing {done}/{total}…"
        if self._query is not None and self._query.problems:
            rest += "  ·  " + "; ".join(self._query.problems)
        # One line: the folder gives way from its start, the counts stay in sight.
        room = (self.size.width or 80) - 2 - cell_len("Briefings in ") - cell_len(clean(rest))
        text = f"Briefings in {clip_start(clean(str(self.folder)), max(room, 12))}{clean(rest)}"
        self.set_heading(text)

    def on_resize(self) -> None:
        if self._query is not None:
            self._fill(self.query_one("#filter", Input).value, keep_query=True)
        else:
            self._heading()

    @on(DataTable.RowHighlighted, "#table")
    def _highlighted(self) -> None:
        self._show_why()

    def _show_why(self) -> None:
        """Under the table, the whole reason the highlighted briefing is invalid."""
        row = self.query_one("#table", DataTable).cursor_row
        entry = self._by_key.get(self._shown[row]) if 0 <= row < len(self._shown) else None
        why = self.query_one("#why", Static)
        why.display = entry is not None and (not entry.valid or bool(entry.drifted))
        if entry is not None and not entry.valid:
            why.update(Content(f"{clean(entry.record.name)}: {entry.why}  (Enter: every error)"))
        elif entry is not None and entry.drifted:
            # Without the file name (the highlighted row is it): one line at 80 columns.
            why.update(Content(f"{clean(entry.drifted)}  ·  Enter opens it, lost quotes marked !"))

    # --- keys -------------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        """Enter in the filter opens the highlighted row (the first after a new filter)."""
        table = self.query_one("#table", DataTable)
        if not self._shown:
            return
        row = min(max(0, table.cursor_row), len(self._shown) - 1)
        entry = self._by_key.get(self._shown[row])
        if entry is not None:
            open_briefing(self, entry.path, entry.record.key, entry.valid)

    def on_key(self, event: events.Key) -> None:
        table = self.query_one("#table")
        if not table.has_focus:
            return
        filter_input = self.query_one("#filter", Input)
        if event.key == "backspace" and filter_input.value:
            # Back from a briefing the table has focus: Backspace still edits the filter.
            filter_input.focus()
            filter_input.cursor_position = len(filter_input.value)
            filter_input.action_delete_left()
            event.stop()
        elif event.is_printable and event.character not in ("j", "k", "q", "/", "?"):
            filter_input.focus()
            filter_input.insert_text_at_cursor(event.character or "")
            event.stop()

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(KEYS))

    def action_filter(self) -> None:
        self.query_one("#filter").focus()

    def action_clear(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one("#table").focus()

    def action_search(self) -> None:
        if self.index is None:
            self.notify("The index is still opening", timeout=2)
            return
        from .search_results import SearchScreen

        query = self._query
        self.app.push_screen(SearchScreen(self.index, self.folder, query.text if query else ""))

    def action_pivot(self) -> None:
        if self.index is None:
            self.notify("The index is still opening", timeout=2)
            return
        from .pivot import PivotScreen

        party = self._query.party[0] if self._query is not None and self._query.party else ""
        self.app.push_screen(PivotScreen(self.index, self.folder, party))

    @on(DataTable.RowSelected, "#table")
    def _open(self, event: DataTable.RowSelected) -> None:
        entry = self._by_key.get(str(event.row_key.value))
        if entry is not None:
            open_briefing(self, entry.path, entry.record.key, entry.valid)


def column_widths(total: int, rows: Sequence[Sequence[str]], padding: int = 2) -> list[int]:
    """Widths of COLUMNS sharing total cells (each column's padding already taken off, padding
    given back when Source, width 0, is left out): see TITLE_MIN."""
    natural = [
        max([cell_len(header), *(cell_len(row[n]) for row in rows)])
        for n, header in enumerate(COLUMNS)
    ]
    published, items = natural[2], natural[3]
    source = min(natural[1], max(SOURCE_MIN, int(total * SOURCE_SHARE)))
    title = total - source - published - items
    if title < TITLE_MIN:
        source, title = 0, title + source + padding
    if title < TITLE_MIN:
        # Counts of many sections: the Items cell gives way (cut with an ellipsis) rather than
        # the table outgrow the screen.
        items = max(cell_len(COLUMNS[3]), items - (TITLE_MIN - title))
        title = TITLE_MIN
    return [max(TITLE_MIN, title), source, published, items]


def clip_start(text: str, limit: int) -> str:
    """Text cut to at most limit cells from its start, an ellipsis marking the cut: the end
    of a path says more than its beginning."""
    if cell_len(text) <= limit:
        return text
    kept = text
    while kept and cell_len(kept) > limit - 1:
        kept = kept[max(1, (cell_len(kept) - limit + 1) // 2) :]
    return "…" + kept


def items_legend() -> Content:
    """'Items: P parties Ag agreements …', the letters of the Items column in bold."""
    from ..sections import SECTION_KEYS, TITLES

    parts: list[str | tuple[str, str]] = [("Items:", "bold")]
    for letter, key in zip(SHORT_SECTIONS, SECTION_KEYS, strict=True):
        parts += [" ", (letter, "bold"), f" {TITLES[key].lower()}"]
    return Content.assemble(*parts)
