"""The briefing screen: outline, detail and source, linked both ways.

Wide terminals show the three panes side by side; narrower ones put the source below.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.content import Content
from textual.content import Span as ContentSpan
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.worker import Worker, WorkerState

from .. import collector
from ..finding import Finder, Found, Hit, marked_words
from ..safe_text import INPUT_ALLOWED, clean, clip
from ..sections import SINGULAR, TIMELINE_NUMBER
from ..widgets.detail import Detail
from ..widgets.header_title import HeaderTitle
from ..widgets.key_bar import KeyBar
from ..widgets.outline import OUTLINE_SECTIONS, Outline, item_of, plan_rows
from ..widgets.source_view import SourceView

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual.app import ComposeResult

    from ..describe import DetailRow
    from ..links import Links
    from ..loader import Diagnostic, Loaded
    from ..plan import Plan, Styled
    from ..state import State
    from ..widgets.outline import Planned, Prepared
    from ..widgets.source_view import Lines

PLAN_INLINE = 16 * 1024 * 1024
"""Bytes of a briefing and its sources up to which its cached first screen (tui/plan.py) is
read before the first frame, which is then the useful screen (CPU time: the seed 2 ms, 10,000
items 30 ms). A larger one's is read in the loading thread after that frame, its source wrapped
there (100,000 items: 0.3 s, which would delay the first frame)."""
THEMES = ("textual-dark", "textual-light", "ansi-dark", "ansi-light")
THEME_NAMES = {
    "textual-dark": "dark",
    "textual-light": "light",
    "ansi-dark": "ANSI dark",
    "ansi-light": "ANSI light",
}
"""What `t` cycles through, and the names help, the note and the README give them."""


TLP_STYLE = {
    "clear": "bold #ffffff on #000000",
    "green": "bold #33ff00 on #000000",
    "amber": "bold #ffc000 on #000000",
    "amber+strict": "bold #ffc000 on #000000",
    "red": "bold #ff2b2b on #000000",
}
"""TLP 2.0's colours (FIRST's RGB values), each on black."""


@dataclass(frozen=True, slots=True)
class Place:
    """A point in the history: an item and which of its evidence is shown."""

    item: str
    evidence: int = 0


@dataclass(frozen=True, slots=True)
class Ready:
    """A loaded briefing with what the screen shows of it, made in the loading thread: the
    links and the outline's rows (2-3 s at 100,000 items), the source wrapped."""

    loaded: Loaded
    links: Links
    outline: Prepared
    lines: Lines | None
    cited: set[int]
    """Paragraphs of the source shown that some item cites."""


# Every key of the screen, grouped for help: (group, keys, action, description, footer label).
# Keys whose action is empty belong to the focused widget; a footer label shows the key there.
KEYS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Move", "down,j / up,k", "", "Next / previous row or paragraph", ""),
    ("Move", "g / G", "", "First / last row", ""),
    ("Move", "pageup / pagedown", "", "Page up / down", ""),
    (
        "Move",
        f"1-{TIMELINE_NUMBER}",
        "",
        f"Jump to a section ({TIMELINE_NUMBER} is the timeline)",
        "",
    ),
    ("Panes", "tab", "", "Next pane", ""),
    ("Panes", "shift+tab", "", "Previous pane", ""),
    ("Panes", "z", "zoom", "Zoom the focused pane (again to restore)", "Zoom"),
    ("Links", "enter", "", "Follow a link; on a paragraph, what cites it", ""),
    ("Links", "]", "evidence(1)", "Next evidence of the item", "Evidence"),
    ("Links", "[", "evidence(-1)", "Previous evidence of the item", ""),
    ("Links", "backspace,alt+left", "back", "Back through jumps", "Back"),
    ("Links", "alt+right", "forward", "Forward through jumps", ""),
    ("Find", "/", "search", "Search items and source", "Search"),
    ("Find", "n", "hit(1)", "Next hit", ""),
    ("Find", "N", "hit(-1)", "Previous hit", ""),
    ("Find", "ctrl+p", "", "Command palette: go to any item", ""),
    ("Other", "y", "copy", "Copy the quote with its citation", "Copy quote"),
    ("Other", "e", "export", "Export the item or the whole briefing", ""),
    ("Other", "t", "theme", "Theme: dark, light, ANSI dark, ANSI light", ""),
    ("Other", "?", "help", "Help", "Help"),
    ("Other", "escape", "escape", "Close search, clear hits, back to library", ""),
    ("Other", "q", "app.quit", "Quit", "Quit"),
)


class BriefingScreen(Screen[None]):
    """One briefing: outline, detail and source panes."""

    # Textual declares it "ClassVar[...] | None", which mypy reads as an instance variable.
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012
    AUTO_FOCUS = "#outline"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(n), f"section({n})", f"Section {n}", show=False)
            for n in range(1, TIMELINE_NUMBER + 1)
        ),
        *(
            Binding(keys, action, footer or description, show=bool(footer))
            for _group, keys, action, description, footer in KEYS
            if action
        ),
    ]

    def __init__(
        self,
        path: Path,
        loaded: Loaded | None = None,
        start: str | int | None = None,
        mark: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.path = path
        self.loaded = loaded
        self.start = start
        """Where to open: an item id, or a paragraph number of the shown source."""
        self.mark = marked_words(mark)
        """Words of a library search to mark in the source as search hits."""
        self.links: Links | None = None
        self.history: list[Place] = []
        self.future: list[Place] = []
        self.place: Place | None = None
        self.finder: Finder | None = None
        self.found: Found | None = None
        """The last search's hits, None once cleared."""
        self.search_query = ""
        self._following = False
        self._keep_cited = False
        """The detail was focused to pick one of a paragraph's citations: keep them shown."""
        self._holding = False
        """This screen keeps its briefing frozen out of the garbage collector (collector.py)."""
        self._moves_shown = 0
        """Outline moves already shown by _outline_changed, whose messages are to be dropped."""
        self._plan_key: str | None = None
        """The loader's cache key of the bytes loaded: the first item shown is kept under it
        (tui/plan.py) while set."""
        self._planned: dict[str, object] = {}
        """What show_loaded drew that a plan keeps (header, cited paragraphs, first item)."""
        self._status_text = ""
        self._source_view: SourceView | None = None
        self._planned_shown = False

    @property
    def hits(self) -> list[Hit]:
        return self.found.hits if self.found is not None else []

    @property
    def hit_index(self) -> int:
        """Which hit is current (-1: none)."""
        return self.found.index if self.found is not None else -1

    @property
    def app_state(self) -> State | None:
        """The app's remembered state, when the app keeps one."""
        return getattr(self.app, "state", None)

    def compose(self) -> ComposeResult:
        from ..files import peek_title

        # The title from the file's first bytes, so the first frame names what is loading.
        title = peek_title(self.path) if self.loaded is None else None
        header = (
            Content.assemble((clean(title), "bold"), ("  ·  loading…", "dim"))
            if title
            else Content("Loading…")
        )
        with Horizontal(id="header-bar"):
            yield HeaderTitle(header, id="header")
            yield Static(id="header-meta")
        # The detail and the source together: beside the outline when wide, under it when
        # narrow (app.tcss).
        with Container(id="panes"):
            yield Outline(id="outline").add_class("pane")
            with Container(id="reading"):
                yield Detail(id="detail").add_class("pane")
                yield SourceView(id="source").add_class("pane")
        yield Static(Content(""), id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#outline").border_title = "Outline"
        self.query_one("#detail").border_title = "Detail"
        self.query_one("#source").border_title = "Source"
        self._source_view = self.query_one(SourceView)
        self.watch(self.query_one(Outline), "highlighted", self._outline_changed, init=False)
        self.watch(self.query_one(Outline), "highlighted", self._timeline_room, init=False)
        if self.loaded is None:
            # A reopened briefing is drawn from its cached first screen, which the full load
            # then replaces with the same. The load starts now (so anyone waiting on workers
            # waits for it) but holds off until the app's first frame has been written
            # (BriefingApp.painted): its imports and parsing would contend for the GIL and
            # delay that frame. A large briefing's cached screen is read in that thread
            # without waiting: it is what the user waits for, not the placeholder frame.
            with collector.paused():  # see _plan_in_thread
                plan = self._read_plan(PLAN_INLINE)
                if plan is not None:
                    self._show_plan(plan)
            if plan is None:
                self._set_loading(True)
            self._load()
        else:
            self.show_loaded(self.loaded)

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> Ready | list[Diagnostic]:
        """The loaded briefing, or the diagnostics to show instead.

        Returned rather than handed over with call_from_thread: switching to the error
        screen removes this one and cancels its workers, so a switch made while the worker
        still runs ends it CANCELLED (and `workers.wait_for_complete()` raises). The result
        is acted on in `on_worker_state_changed`, once the worker has finished.
        """
        if not self._planned_shown:
            self._plan_in_thread()  # none, or too large to read before the first frame
        self._wait_for_first_frame()
        from ..loader import BriefingError, internal_error, load_keyed

        try:
            loaded, self._plan_key = load_keyed(self.path)
        except BriefingError as error:
            if error.openable and error.partial is not None:
                # Only its source changed: read with lost quotes marked.
                return self._prepare(error.partial)
            return error.diagnostics
        except Exception as error:  # a loader bug: shown like validate shows it, not a crash
            return [internal_error(self.path, error)]
        # Not a loader bug: one here ends the reader with its own name (the crash handler),
        # as it did when this was built on the UI thread.
        return self._prepare(loaded)

    def _prepare(self, loaded: Loaded) -> Ready:
        """In the loading thread: what show_loaded would otherwise build on the UI thread,
        keys waiting meanwhile. The source is wrapped for the pane's width now; if it is
        another when shown (a resize meanwhile), show_loaded wraps it again."""
        from ..links import Links
        from ..widgets.outline import prepare as prepare_outline
        from ..widgets.source_view import prepare as prepare_lines

        with collector.paused():
            links = Links.build(loaded)
            outline = prepare_outline(links)
            shown = loaded.sources.get(loaded.briefing.sources[0].id)
            # Read from this thread: a stale width only means wrapping again when shown.
            width = self._source_view.pane_width if self._source_view is not None else 0
            lines = prepare_lines(shown, width) if shown is not None and width else None
            cited = cited_in(links, loaded.briefing.sources[0].id)
        return Ready(loaded, links, outline, lines, cited)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "load" or event.state != WorkerState.SUCCESS:
            return
        result = event.worker.result
        if isinstance(result, list):
            self._failed(result)
        elif isinstance(result, Ready):
            self.show_loaded(result.loaded, result)

    def _failed(self, diagnostics: list[Diagnostic]) -> None:
        from .errors import ErrorScreen

        self.app.switch_screen(ErrorScreen(self.path, diagnostics))

    def _set_loading(self, loading: bool) -> None:
        """Loading indicators on the panes while the briefing is read in the background."""
        for pane in self.query(".pane"):
            pane.loading = loading

    def show_loaded(self, loaded: Loaded, ready: Ready | None = None) -> None:
        """Fill the panes from a loaded briefing and select its first item (with what the
        loading thread made of it, if given)."""
        if ready is not None and ready.loaded is not loaded:
            ready = None
        self._set_loading(False)
        if not self._holding:
            # Frozen before the links are built: their allocations start full collections,
            # each a walk of the whole briefing otherwise (1 s at 100,000 items, holding the
            # GIL: keys and even signals waited for it).
            self._holding = True
            collector.hold()
        from ..links import Links

        self.loaded = loaded
        self.links = links = Links.build(loaded) if ready is None else ready.links
        self.finder = Finder(links)
        briefing = loaded.briefing
        source = briefing.sources[0]
        date = ""
        if source.published is not None:
            from ..describe import format_date_value

            date = format_date_value(source.published) + (
                " (inferred)" if source.published.inferred else ""
            )
        # The title and outlet are cut on a narrow screen; the date and the reliability
        # grade, which say how far to trust the rest, stay whole on the right.
        header = HeaderTitle.assemble(briefing.title, source.outlet or "outlet not stated")
        # The TLP marking in words (TLP:AMBER), so that it reads without colour; its colour
        # is the TLP 2.0 one, on black as the standard asks.
        marking: list[tuple[str, str] | str] = []
        if briefing.tlp:
            # Two blanks, not the dotted separator: the marked box sets it apart, and at 80
            # columns the three cells go to the title.
            marking = ["  ", (f"TLP:{briefing.tlp.upper()}", TLP_STYLE[briefing.tlp])]
        meta = Content.assemble(
            ("  ·  ", "dim"),
            date or "undated",
            ("  ·  ", "dim"),
            f"reliability {source.reliability}",
            *marking,
        )
        self.query_one(HeaderTitle).set_parts(briefing.title, source.outlet or "outlet not stated")
        self.query_one("#header-meta", Static).update(meta)
        outline = self.query_one(Outline)
        outline.set_links(links, None if ready is None else ready.outline)
        cited = cited_in(links, source.id) if ready is None else ready.cited
        shown = loaded.sources.get(source.id)
        if shown is None:  # a source the loader would not vouch for is never drawn
            self.query_one(SourceView).set_withheld(
                f"Source {source.path!r} is not shown: it could not be read as UTF-8 text, or it "
                "matches neither its sha256 nor any quote of this briefing."
            )
        else:
            lines = None if ready is None else ready.lines
            self.query_one(SourceView).set_source(shown, cited, lines)
        first = outline.first_in("parties") or next(
            (outline.first_in(k) for k in OUTLINE_SECTIONS if outline.first_in(k) is not None), None
        )
        remembered = self.app_state.position(loaded.path) if self.app_state else None
        first_item = None if first is None else item_of(outline.rows[first].id)
        if self._plan_key is not None and self.start is None and not self.mark:
            # Kept by show_item, once it has drawn the first item (tui/plan.py).
            self._planned = {"header": header, "meta": meta, "cited": cited, "first": first_item}
        if remembered is not None and outline.select_item(remembered):
            pass
        elif first is not None:
            outline.highlighted = first
        self.set_status(f"{clean(briefing.summary)}")
        self._say_errors(loaded)
        start, self.start = self.start, None
        if isinstance(start, str) and start in links.items:
            self.go_to(start)
            self._mark_words(None)
        elif isinstance(start, int) and shown is not None and 1 <= start <= len(shown.paragraphs):
            # After the first item's highlight is handled: it would move the source again.
            self.call_after_refresh(self._open_at_paragraph, start)
        else:
            self._mark_words(None)
        # What was just built (links, rows) lives as long as this screen: frozen with it.
        collector.freeze_more()

    def _say_errors(self, loaded: Loaded) -> None:
        """A briefing shown with errors: the reader opens one only after its source changed
        (BriefingError.openable). Edit mode shows its errors in place instead."""
        if loaded.errors:
            from ..describe import LOST_MARK

            self.notify(
                f"{loaded.drift_reason()} (items marked {LOST_MARK})",
                severity="warning",
                timeout=4,  # the outline's legend row keeps saying it; the toast covers text
                markup=False,
            )

    # --- the cached first screen (tui/plan.py) ---------------------------------------------

    def _read_plan(self, limit: int | None = None) -> Plan | None:
        """The briefing's plan; None if there is none, or if the briefing and its sources
        are more than limit bytes."""
        if self.start is not None or self.mark:
            return None  # opened at a search hit or a paragraph: not the first screen kept
        from .. import plan

        state = self.app_state
        position = state.position if state is not None else lambda _p: None
        return plan.read(self.path, position, limit)

    def _wait_for_first_frame(self) -> None:
        """In the loading thread: wait until the app's first frame is written (see _load)."""
        painted = getattr(self.app, "painted", None)
        if painted is not None:
            painted.wait(timeout=2.0)  # a terminal that never takes a frame must not stall it

    def _plan_in_thread(self) -> None:
        """In the loading thread: a large briefing's plan, its source wrapped here."""
        from ..widgets.source_view import prepare as prepare_lines

        # The collector paused while the plan's objects are made (50,000 paragraphs and their
        # lines at 100,000 items): its collections walked the objects made so far again and
        # again, and the plan's source was split and wrapped in 0.19 s instead of 0.11.
        with collector.paused():
            plan = self._read_plan()
        if plan is None:
            return
        self._wait_for_first_frame()  # the source pane's width is known from then on
        width = self._source_view.pane_width if self._source_view is not None else 0
        with collector.paused():
            lines = prepare_lines(plan.source, width) if plan.source is not None and width else None
            rows = plan_rows(plan.ids, plan.kinds)
        with contextlib.suppress(RuntimeError):  # the app is closing
            self.app.call_from_thread(self._show_plan, plan, lines, rows)

    def _show_plan(
        self, plan: Plan, lines: Lines | None = None, rows: Planned | None = None
    ) -> None:
        """Draw a plan as show_loaded and the first show_item draw the briefing itself."""
        if self.links is not None:
            return  # loaded meanwhile
        self._planned_shown = True
        self._set_loading(False)
        self.query_one(HeaderTitle).show(_content(plan.header))
        self.query_one("#header-meta", Static).update(_content(plan.meta))
        labels = {index: _content(label) for index, label in plan.labels.items()}
        if rows is None:
            rows = plan_rows(plan.ids, plan.kinds)
        self.query_one(Outline).show_plan(rows, labels, plan.highlighted, plan.outline_width)
        if plan.source is None:
            self.query_one(SourceView).set_withheld(plan.withheld or "")
        else:
            self.query_one(SourceView).set_source(plan.source, plan.cited, lines)
        # The detail pane reads a row's four fields, which a plan's rows have: describe.DetailRow
        # itself would import the schema (pydantic), what the plan is there to wait for.
        self.query_one(Detail).show_rows(plan.title, cast("list[DetailRow]", plan.rows))
        if plan.span is not None:
            self.query_one(SourceView).show_span(plan.span)
        self.set_status(plan.status)

    def _keep_plan(self, item_id: str, title: str, rows: Sequence[DetailRow]) -> None:
        """Keep the screen just drawn as the briefing's plan, written in a thread."""
        planned, self._planned = self._planned, {}
        key, loaded = self._plan_key, self.loaded
        outline = self.query_one(Outline)
        index = outline.highlighted
        if key is None or loaded is None or index is None or outline.current_item != item_id:
            return
        from .. import plan

        sources = []
        for source in loaded.briefing.sources:
            text = loaded.sources.get(source.id)
            if text is None:
                return  # a source withheld, or unread: no plan
            sources.append((source.id, source.path, text.digest))
        header, meta = planned["header"], planned["meta"]
        assert isinstance(header, Content) and isinstance(meta, Content)
        near = range(max(0, index - plan.LABELS_AROUND), index + plan.LABELS_AROUND)
        shown = {*range(min(plan.LABELS_AROUND, len(outline.rows))), *near}
        labels = {}
        for n in sorted(shown):
            if n < len(outline.rows):
                prompt = outline.get_option_at_index(n).prompt
                styled = _styled(prompt) if isinstance(prompt, Content) else None
                if styled is None:
                    return
                labels[n] = styled
        styled_header, styled_meta = _styled(header), _styled(meta)
        if styled_header is None or styled_meta is None:
            return
        span = self.query_one(SourceView).highlight
        cited = planned["cited"]
        assert isinstance(cited, set)
        data = {
            "item": item_id,
            "first": planned["first"],
            "header": styled_header,
            "meta": styled_meta,
            "ids": [row.id for row in outline.rows],
            "kinds": {n: row.kind for n, row in enumerate(outline.rows) if row.disabled},
            "labels": labels,
            "highlighted": index,
            "outline_width": outline.wanted_width,
            "title": title,
            "rows": [[row.label, row.text, row.target, row.evidence] for row in rows],
            "withheld": None,
            "cited": sorted(cited),
            "span": None if span is None else [span.paragraph, span.start, span.end],
            "status": self._status_text,
        }
        if any(row.disabled != bool(row.kind) for row in outline.rows):
            return
        shown_id = loaded.briefing.sources[0].id
        # Written in a thread: at 100,000 items the rows make megabytes of JSON.
        threading.Thread(
            target=plan.write, args=(key, sources, shown_id, data), daemon=True
        ).start()

    def on_unmount(self) -> None:
        if self._holding:
            self._holding = False
            if collector.release():
                # The closed briefing is collected after the next screen has been drawn, not
                # before it (a full collection: 0.1-0.3 s at 10,000 items).
                self.app.call_after_refresh(collector.collect)

    def _open_at_paragraph(self, paragraph: int) -> None:
        """The source focused at a paragraph, the detail pane listing what cites it."""
        source = self.query_one(SourceView)
        source.focus()
        source.show_span(None, paragraph)
        self._show_cited(paragraph)
        self._mark_words(paragraph)

    def _mark_words(self, paragraph: int | None) -> None:
        """Mark the words of a library search in the source, as / marks its hits; the first
        one in paragraph (the paragraph opened at) is the current hit."""
        if not self.mark or self.finder is None:
            return
        marked = self.finder.marks(self.mark)
        current = None
        if paragraph is not None and marked.get(paragraph):
            current = (paragraph, *marked[paragraph][0])
        self.query_one(SourceView).set_hits(marked, current)

    # --- showing items --------------------------------------------------------------------

    def set_status(self, text: str) -> None:
        # The status line is one row of fixed height whatever it says (app.tcss): a new text
        # needs a repaint, not a layout of the whole screen (half the cost of a key).
        self._status_text = text
        self.query_one("#status", Static).update(Content(text), layout=False)

    def show_item(self, item_id: str, evidence: int = 0, remember: bool = False) -> None:
        """Show an item in the detail pane and its evidence in the source."""
        if self.links is None or item_id not in self.links.items:
            return
        from ..describe import describe

        if remember and self.place is not None and self.place.item != item_id:
            self.history.append(self.place)
            self.future.clear()
        links = self.links
        item = links.items[item_id]
        self.place = Place(item_id, evidence)
        if self.app_state is not None:
            self.app_state.remember(links.loaded.path, item_id)
        title = f"{SINGULAR[links.section_of[item_id]]}: {links.name(item_id)}"
        rows = [*describe(item, links, compact=True), *self._extra_rows(item_id)]
        self.query_one(Detail).show_rows(title, rows)
        self._show_evidence(item_id, evidence)
        if self._planned:
            self._keep_plan(item_id, title, rows)

    def _extra_rows(self, item_id: str) -> list[DetailRow]:
        """Rows shown after an item's own (edit mode: its errors)."""
        return []

    def _show_evidence(self, item_id: str, index: int) -> None:
        assert self.links is not None
        evidence = self.links.evidence(item_id)
        source = self.query_one(SourceView)
        if not evidence:
            return
        index %= len(evidence)
        self.place = Place(item_id, index)
        chosen = evidence[index]
        source.show_span(chosen.span)
        count = f"evidence {index + 1} of {len(evidence)}" if len(evidence) > 1 else "evidence"
        where = f"¶{chosen.span.paragraph}" if chosen.span else "quote lost: the source changed"
        self.set_status(f"{count}: {where}  ·  ] next evidence  ·  y copy quote")

    def go_to(self, item_id: str, evidence: int = 0) -> None:
        """Jump to an item (a link, the palette, a citation): remembered in the history."""
        outline = self.query_one(Outline)
        self._following = True
        try:
            self.show_item(item_id, evidence, remember=True)
            # The highlight message arrives after this returns: drop it, or it would re-show
            # the item at its first evidence.
            with self.prevent(Outline.Highlighted):
                outline.select_item(item_id)
        finally:
            self._following = False

    def _outline_changed(self, old: int | None, new: int | None) -> None:
        """A move in the outline shows its item at once, in the frame that draws the move.

        Left to the Highlighted message, the detail, source and status were drawn a frame
        after the outline's highlight: the screen updates on a 60 Hz clock, so every key
        waited one more tick (17 ms) for its whole answer. Not before the first item is shown
        (show_loaded sets the status after selecting it) nor while the screen moves the
        outline itself (go_to and back/forward show the item themselves).
        """
        if new is None or new == old or self._following or self.place is None:
            return
        self._moves_shown += 1  # the outline posts one Highlighted for this move
        self._show_highlighted()

    def _timeline_room(self, _old: int | None, new: int | None) -> None:
        """In the timeline the outline takes rows from the detail when narrow (app.tcss): read
        four rows at a time, under its heading, legend and year, it was no list. Only a move
        into or out of the timeline changes the class, and so the layout."""
        start = self.query_one(Outline).section_rows.get("timeline")
        self.set_class(new is not None and start is not None and new >= start, "-timeline")

    def _show_highlighted(self) -> None:
        """Show the outline's highlighted item: a claim's timeline row with its claim's quote."""
        outline = self.query_one(Outline)
        item_id = outline.current_item
        if item_id is None:
            return
        part = outline.current_part
        evidence = 0
        if part and self.links is not None and item_id in self.links.items:
            from ..links import row_evidence

            evidence = row_evidence(self.links.items[item_id], part)
        self.show_item(item_id, evidence, remember=False)

    @on(Outline.Highlighted, "#outline")
    def _outline_moved(self, event: Outline.Highlighted) -> None:
        if self._moves_shown:
            self._moves_shown -= 1
            return
        if self._following:
            return
        self._show_highlighted()

    @on(Outline.Selected, "#outline")
    def _outline_enter(self, event: Outline.Selected) -> None:
        self.query_one(Detail).focus()

    @on(OptionList.OptionSelected, "#detail")
    def _detail_enter(self, event: OptionList.OptionSelected) -> None:
        row = self.query_one(Detail).current_row
        if row is None or self.links is None:
            return
        if row.target is not None:
            # go_to replaces the rows, so ask first whether they were a paragraph's citations.
            cited = self.query_one(Detail).mode == "cited"
            # A citation row carries the index of the item's evidence in that paragraph.
            self.go_to(row.target, row.evidence or 0)
            if cited:
                self.query_one(Outline).focus()
        elif row.evidence is not None and self.place is not None:
            self._show_evidence(self.place.item, row.evidence)

    @on(SourceView.CursorMoved)
    def _paragraph_moved(self, event: SourceView.CursorMoved) -> None:
        source = self.query_one(SourceView)
        if not source.has_focus or self.links is None:
            return
        self._show_cited(event.paragraph)

    def _show_cited(self, paragraph: int) -> None:
        """The source's cursor moved to a paragraph: the detail lists what cites it."""
        self._list_cited(paragraph)

    def _list_cited(self, paragraph: int) -> None:
        from ..describe import DetailRow, kind_of

        assert self.links is not None and self.loaded is not None
        source_id = self.loaded.briefing.sources[0].id
        citing = self.links.citing(source_id, paragraph)
        rows = [
            DetailRow(
                "",
                f"{kind_of(self.links, i)}: {self.links.name(i)}",
                target=i,
                evidence=self.links.evidence_in(i, source_id, paragraph),
            )
            for i in citing
        ]
        title = f"¶{paragraph} cited by {len(citing)} item{'s' if len(citing) != 1 else ''}"
        self.query_one(Detail).show_rows(title, rows, mode="cited")
        self.set_status(title + ("  ·  Enter to go to it" if citing else ""))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The detail follows the pane the user is in: a paragraph's citations while in the
        source, the selected item again when Tab or a click leaves it for another pane."""
        detail = self.query_one(Detail)
        if detail.mode != "cited" or isinstance(event.widget, SourceView):
            return
        if event.widget is detail and self._keep_cited:
            self._keep_cited = False
            return
        if self.place is not None:
            self.show_item(self.place.item, self.place.evidence)

    @on(SourceView.Follow)
    def _paragraph_follow(self, event: SourceView.Follow) -> None:
        assert self.links is not None and self.loaded is not None
        source_id = self.loaded.briefing.sources[0].id
        citing = self.links.citing(source_id, event.paragraph)
        if len(citing) == 1:
            self.go_to(citing[0], self.links.evidence_in(citing[0], source_id, event.paragraph))
            self.query_one(Outline).focus()
        elif citing:
            detail = self.query_one(Detail)
            if detail.mode != "cited":  # edit mode keeps the item shown while in the source
                self._list_cited(event.paragraph)
            self._keep_cited = True
            detail.focus()
            detail.focus_row()

    # --- actions --------------------------------------------------------------------------

    def action_section(self, number: int) -> None:
        if self.links is None:
            return  # still the cached first screen: its outline does not move yet
        outline = self.query_one(Outline)
        key = OUTLINE_SECTIONS[number - 1]
        index = outline.first_in(key)
        if index is None:
            self.notify(f"Section {number} is empty", timeout=2)
            return
        outline.focus()
        outline.highlighted = index
        outline.scroll_to_highlight(top=True)

    def action_evidence(self, step: int) -> None:
        if self.place is not None:
            self._show_evidence(self.place.item, self.place.evidence + step)

    def action_back(self) -> None:
        if self.history and self.place is not None:
            self.future.append(self.place)
            self._restore(self.history.pop())

    def action_forward(self) -> None:
        if self.future and self.place is not None:
            self.history.append(self.place)
            self._restore(self.future.pop())

    def _restore(self, place: Place) -> None:
        self._following = True
        try:
            self.show_item(place.item, place.evidence)
            with self.prevent(Outline.Highlighted):
                self.query_one(Outline).select_item(place.item)
        finally:
            self._following = False

    def action_zoom(self) -> None:
        focused = self.focused
        if self.maximized is not None:
            self.minimize()
        elif focused is not None:
            self.maximize(focused, container=False)

    def _no_item(self) -> None:
        """Say why a command about the selected item did nothing."""
        empty = self.links is not None and not self.links.items
        self.notify(
            "No item selected" + (": this briefing has no items" if empty else ""), timeout=2
        )

    def action_copy(self) -> None:
        if self.links is None or self.loaded is None:
            return
        if self.place is None:
            self._no_item()
            return
        evidence = self.links.evidence(self.place.item)
        if not evidence:
            self.notify("This item has no quote to copy", timeout=2)
            return
        chosen = evidence[self.place.evidence % len(evidence)]
        source = next(s for s in self.loaded.briefing.sources if s.id == chosen.source)
        where = (
            f", paragraph {chosen.span.paragraph}"
            if chosen.span
            else ", quote lost: the source changed"
        )
        payload = clean(f"“{chosen.anchor.quote}” ({source.title}{where})")
        self.app.copy_to_clipboard(payload)
        self.notify("Copied the quote with its citation", timeout=2)

    def action_export(self) -> None:
        if self.loaded is None:
            return
        from .export import ExportScreen

        self.app.push_screen(ExportScreen(), self._export)

    def _export(self, choice: str | None) -> None:
        """Copy the item as Markdown, or save the briefing beside the working folder's files."""
        if choice is None or self.loaded is None or self.links is None:
            return
        from ..export import item_markdown

        if choice == "item":
            if self.place is None:
                self._no_item()
                return
            self.app.copy_to_clipboard(item_markdown(self.loaded, self.links, self.place.item))
            self.notify("Copied the item as Markdown", timeout=3)
            return
        from ..saving import FORM_NAMES, default_target
        from .export import SaveScreen

        folder = Path.cwd()
        default = default_target(self.loaded, choice, folder)
        self.app.push_screen(
            SaveScreen(f"the briefing as {FORM_NAMES[choice]}", default.name, str(folder)),
            lambda typed: self._save(choice, typed, folder),
        )

    def _save(self, form: str, typed: str | None, folder: Path) -> None:
        """Save to the path typed in the prompt (None: cancelled) and say where it went."""
        if typed is None or self.loaded is None:
            return
        from ..saving import save_typed

        outcome = save_typed(self.loaded, form, typed, folder)
        message = clean(outcome.message)
        if outcome.kind == "saved":
            self.notify(message, timeout=6, markup=False)
        elif outcome.kind == "refused":
            self.notify(message, severity="error", timeout=6, markup=False)
        else:
            self.notify(message, severity="error", markup=False)

    def action_theme(self) -> None:
        current = self.app.theme
        following = (
            THEMES[(THEMES.index(current) + 1) % len(THEMES)] if current in THEMES else THEMES[0]
        )
        self.app.theme = following
        self.notify(f"Theme: {THEME_NAMES[following]}", timeout=2)

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(KEYS))

    def _search_box(self) -> Input | None:
        """The search line, if it has been opened."""
        found = self.query("#search")
        return found.first(Input) if found else None

    def action_escape(self) -> None:
        search = self._search_box()
        if search is not None and search.display:
            search.display = False
            self.query_one(Outline).focus()
        elif self.hits:
            self._clear_hits()
        elif len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    # --- search ---------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self._search_box()
        if search is None:
            # Made when first asked for: an Input's styles and bindings cost the first frame.
            search = Input(
                placeholder="Search items and source; Enter to search, Esc to close",
                id="search",
                restrict=INPUT_ALLOWED,  # a pasted escape sequence must not reach the screen
            )
            self.mount(search, before=self.query_one(KeyBar))
        search.display = True
        search.value = self.search_query
        search.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.input.display = False
        self.search(event.value)
        self.query_one(Outline).focus()

    def search(self, query: str) -> None:
        """Find query (case-insensitive) in items and the source; show the first hit."""
        self.search_query = query
        if not query.strip() or self.finder is None:
            self._clear_hits()
            return
        self.found = self.finder.find(query)
        if not self.found.hits:
            self.query_one(SourceView).set_hits({}, None)
            self.set_status(f"/{clean(query)}: no hits")
            return
        self.action_hit(1)

    def action_hit(self, step: int) -> None:
        found = self.found
        hit = found.step(step) if found is not None else None
        if found is None or hit is None:
            if self.search_query.strip():
                # The status already says so: the note must not claim there was no search.
                query = clip(clean(" ".join(self.search_query.split())), 60)
                self.notify(f"No hits for '{query}'", timeout=2, markup=False)
            else:
                self.notify("No search: press / to search", timeout=2)
            return
        source = self.query_one(SourceView)
        if hit.item is not None:
            self.go_to(hit.item)
            source.set_hits(found.marks, None)
        else:
            source.set_hits(found.marks, (hit.paragraph, hit.start, hit.end))
        where = (
            f"item {self.links.name(hit.item)}" if hit.item and self.links else f"¶{hit.paragraph}"
        )
        self.set_status(f"/{clean(self.search_query)}: {found.counts()}  ·  {clean(where)}  ·  n/N")

    def _clear_hits(self) -> None:
        self.found = None
        self.query_one(SourceView).set_hits({}, None)
        self.set_status("")


def cited_in(links: Links, source_id: str) -> set[int]:
    """The paragraphs of a source that some item cites."""
    return {p for (sid, p) in links.cited_by if sid == source_id}


def _styled(content: Content) -> Styled | None:
    """Content as plain data, if its styles are all names (as those the screen makes are)."""
    spans = []
    for span in content.spans:
        if not isinstance(span.style, str):
            return None
        spans.append((span.start, span.end, span.style))
    return content.plain, spans


def _content(styled: Styled) -> Content:
    text, spans = styled
    return Content(text, spans=[ContentSpan(*span) for span in spans])
