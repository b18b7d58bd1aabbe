"""The library: every briefing in a folder, filterable; invalid ones listed with their error."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from ..safe_text import clean

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ..loader import Diagnostic, Loaded


COLUMNS = (("Title", 0.4), ("Source", 0.2), ("Published", 0.0), ("Items", 0.4))
"""Headers, and the share of the screen's width a column may take (0: as wide as it needs)."""
SHORT_SECTIONS = {
    "parties": "P",
    "agreements": "Ag",
    "drills": "D",
    "arms_sales": "AS",
    "events": "E",
    "statements": "St",
}


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Entry:
    """One briefing file: loaded, or the diagnostics that stopped it."""

    path: Path
    loaded: Loaded | None = None
    diagnostics: list[Diagnostic] | None = None

    def cells(self) -> tuple[str, str, str, str]:
        if self.loaded is None:
            first = self.diagnostics[0] if self.diagnostics else None
            error = f"invalid: {first.line}:{first.column} {first.message}" if first else "invalid"
            return (clean(self.path.name), "", "", clean(error))
        from ..describe import format_date_value

        briefing = self.loaded.briefing
        source = briefing.sources[0]
        date = format_date_value(source.published) if source.published else ""
        counts = briefing.counts()
        summary = f"{sum(counts.values())}: " + " ".join(
            f"{counts[key]}{letter}" for key, letter in SHORT_SECTIONS.items()
        )
        where = source.outlet or Path(source.path).name
        return (_clip(clean(briefing.title)), _clip(clean(where)), date, summary)

    def text(self) -> str:
        return " ".join(self.cells()).lower() + " " + self.path.name.lower()


class LibraryScreen(Screen[None]):
    """A table of the briefings in a folder; type to filter, Enter opens."""

    AUTO_FOCUS = "#table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
        Binding("escape", "clear", "Clear filter", show=False),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
        Binding("q", "app.quit", "Quit"),
    ]
    DEFAULT_CSS = """
    LibraryScreen #heading { padding: 0 1; text-style: bold; background: $panel; }
    LibraryScreen #table { height: 1fr; }
    LibraryScreen #filter { dock: bottom; }
    """

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.entries: list[Entry] = []

    def compose(self) -> ComposeResult:
        yield Static(Content(clean(f"Briefings in {self.folder}")), id="heading")
        table: DataTable[str] = DataTable(id="table", cursor_type="row", zebra_stripes=True)
        yield table
        # No select-all on focus: typing on the table moves here with the first character
        # inserted, and selecting it would let the second character replace it.
        yield Input(placeholder="Type to filter", id="filter", select_on_focus=False)
        yield Footer()

    def on_mount(self) -> None:
        self._scan()

    @work(thread=True, exclusive=True)
    def _scan(self) -> None:
        from ..cli import briefing_files
        from ..loader import BriefingError, load_briefing

        entries = []
        for path in briefing_files([self.folder]):
            try:
                entries.append(Entry(path, loaded=load_briefing(path)))
            except BriefingError as error:
                entries.append(Entry(path, diagnostics=error.diagnostics))
        self.app.call_from_thread(self._show, entries)

    def _show(self, entries: list[Entry]) -> None:
        self.entries = entries
        self._fill(self.query_one("#filter", Input).value)

    def _fill(self, query: str) -> None:
        table = self.query_one("#table", DataTable)
        needle = query.lower().strip()
        shown = [
            (n, entry, entry.cells())
            for n, entry in enumerate(self.entries)
            if not needle or needle in entry.text()
        ]
        # Widths from the data, set once per fill, so the table never waits on a re-measure.
        table.clear(columns=True)
        screen_width = self.size.width or 80
        for column, (header, share) in enumerate(COLUMNS):
            width = max([len(header), *(cell_len(cells[column]) for _n, _e, cells in shown)])
            limit = max(12, int(screen_width * share)) if share else width
            table.add_column(header, width=min(width, limit))
        for n, entry, cells in shown:
            # Rich Text, never a str: DataTable parses markup in plain strings.
            style = "bold red" if entry.loaded is None else ""
            table.add_row(*(Text(c, style=style, no_wrap=True) for c in cells), key=str(n))
        shown = table.row_count
        self.query_one("#heading", Static).update(
            Content(clean(f"Briefings in {self.folder}: {shown} of {len(self.entries)}"))
        )

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.query_one("#table").focus()

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        table = self.query_one("#table")
        if table.has_focus and event.is_printable and event.character not in ("j", "k", "q", "/"):
            filter_input = self.query_one("#filter", Input)
            filter_input.focus()
            filter_input.insert_text_at_cursor(event.character or "")
            event.stop()

    def action_filter(self) -> None:
        self.query_one("#filter").focus()

    def action_clear(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one("#table").focus()

    def action_cursor(self, direction: str) -> None:
        table = self.query_one("#table", DataTable)
        table.action_cursor_down() if direction == "down" else table.action_cursor_up()

    @on(DataTable.RowSelected, "#table")
    def _open(self, event: DataTable.RowSelected) -> None:
        entry = self.entries[int(str(event.row_key.value))]
        if entry.loaded is not None:
            from .briefing import BriefingScreen

            self.app.push_screen(BriefingScreen(entry.path, entry.loaded))
        else:
            from .errors import ErrorScreen

            self.app.push_screen(ErrorScreen(entry.path, entry.diagnostics or []))
