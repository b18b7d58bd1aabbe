"""Edit mode: the reader that writes, keyboard only (`briefing edit FILE`, `briefing new SOURCE
--edit`).

The screen is the reader's (BriefingScreen) with a session (tui/editing.py) behind it. Every
change is a new text of the briefing made by tui/yaml_edit.py (surgical: untouched lines stay
byte for byte), which the session validates, refuses if it adds an error, writes atomically
unless the file changed on disk meanwhile, and keeps for undo. After each change the screen is
drawn again from the new text with the changed item current; errors show in the item's detail
and are counted on the status line. A refused change says why and changes nothing.

What each change does to the text (ids, prefill, the item written, a form's changes, a
proposal accepted) is decided in tui/changes.py, tested without a screen; this screen gathers
keys, shows forms and calls it.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from .. import changes
from ..safe_text import clean, clip
from ..sections import SINGULAR
from ..widgets.key_bar import KeyBar
from ..widgets.outline import Outline
from ..widgets.source_view import SourceView
from .briefing import KEYS, BriefingScreen, Ready

if TYPE_CHECKING:
    from collections.abc import Mapping

    from textual.app import ComposeResult

    from ..describe import DetailRow
    from ..editing import Session
    from ..loader import Diagnostic, Loaded
    from ..schema import Party

KeyRow = tuple[str, str, str, str, str]

# Edit mode's own keys, in the form of briefing.KEYS: (group, keys, action, description, footer
# label). The bindings, the footer and help all come from this table.
EDIT_KEYS: tuple[KeyRow, ...] = (
    ("Select", "v", "", "In the source: start (or end) a selection at the caret", ""),
    ("Select", "w / b / e", "", "Next word / previous word / end of the word", ""),
    ("Select", "0 / $", "", "Start / end of the line (j / k: next / previous line)", ""),
    ("Select", "/", "", "In the source: find words; while selecting, extend to them", ""),
    ("Select", "o", "", "Go to the selection's other end", ""),
    ("Select", "escape", "", "Cancel the selection", ""),
    ("Edit", "a", "attach", "Attach the selection as evidence of the item", "Attach"),
    ("Edit", "c", "create", "Create an item from the selection (section, then form)", "Create"),
    ("Edit", "P", "new_party", "New party from the selected name (then Enter)", ""),
    ("Edit", "f", "fields", "Edit the item's fields in a form", "Edit"),
    ("Edit", "H", "header", "Edit the briefing's header, then its source's", "Header"),
    ("Edit", "d", "remove", "Remove the item (asks first)", ""),
    ("Edit", "x", "remove_evidence", "Remove the evidence shown", ""),
    ("Edit", "E", "editor", "Open $EDITOR at the item's line; reload on return", ""),
    ("Edit", "u", "undo", "Undo the last change", "Undo"),
    ("Edit", "ctrl+r", "redo", "Redo", ""),
    (
        "Edit",
        "p",
        "proposals",
        "Proposals from the text: A accept, X reject, Enter edit",
        "Propose",
    ),
)
READER_FOOTER = {"?", "q"}
"""Of the reader's keys, those the footer keeps in edit mode (at 80 columns the edit keys
need the room)."""
ALL_KEYS: tuple[KeyRow, ...] = (*KEYS, *EDIT_KEYS)
"""What help lists in edit mode."""

EDITOR_FALLBACK = "vi"

MAX_QUEUED = 16
"""Changes waiting behind the one being saved; a key past that is refused with a note."""


@dataclass(frozen=True)
class _Job:
    """A change to make in the saving thread: apply (make gives the new text from the
    current one), undo or redo; what to show when it lands, and what to call then."""

    kind: str  # "apply" | "undo" | "redo"
    make: Callable[[str], str] | None = None
    label: str = ""
    section: str | None = None
    item_id: str | None = None
    evidence: int = 0
    done: Callable[[], None] | None = None
    failed: Callable[[], None] | None = None


def _shown(text: object, limit: int = 60) -> str:
    """Untrusted text for a notice: one line, cleaned, clipped."""
    return clip(clean(" ".join(str(text).split())), limit)


class Confirm(ModalScreen[bool]):
    """A yes/no question: Enter or y answers yes; Esc or n, no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "dismiss(True)", "Yes"),
        Binding("escape,n", "dismiss(False)", "No"),
    ]
    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical {
        width: 64; max-width: 100%; height: auto;
        border: round $warning; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, title: str, question: str, yes: str = "Enter: yes") -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(clean(self.title_text))
            box.border_subtitle = Content(f"{self.yes} · Esc: no")
            yield Static(Content(clean(self.question)))


class EditScreen(BriefingScreen):
    """The reader in edit mode: the briefing is a session's text, and keys change it."""

    # A binding of the same key replaces the reader's: its footer labels, except help and
    # quit, give way to the edit keys.
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                keys,
                # Quitting waits for a change being saved (EditScreen.action_quit).
                "quit" if action == "app.quit" else action,
                footer or description,
                show=bool(footer) and keys in READER_FOOTER,
            )
            for _group, keys, action, description, footer in KEYS
            if action
        ),
        *(
            Binding(keys, action, footer or description, show=bool(footer))
            for _group, keys, action, description, footer in EDIT_KEYS
            if action
        ),
    ]

    DEFAULT_CSS = """
    EditScreen #editing {
        width: auto; height: 1; padding: 0 1;
        text-style: bold reverse;
        text-wrap: nowrap;
    }
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.session: Session | None = None
        self._lines_of: tuple[str, dict[tuple[str, str], tuple[int, int] | None]] | None = None
        """The lines of the items looked up in one text (the text, then by section and id)."""
        self._view: tuple[str, list[Diagnostic]] = ("", [])
        """The session's text and diagnostics as last drawn, which the detail's errors, their
        lines and the status line's counts are read from. The saving thread changes the
        session one attribute at a time; the screen shows the text it drew until the change
        lands (else the new text's errors could show against the old view)."""
        self._focus: dict[tuple[int, int], tuple[str | None, int]] = {}
        """(hash of the text before, after) of each change made here, each way: the item to
        show with that text (the one current before the change once it is undone, the changed
        one once it is redone), and which of its evidence."""
        self._saving_job: _Job | None = None
        """The change being saved in the saving thread, if any."""
        self._queue: deque[_Job] = deque()
        """Changes asked for while one is saved, made in order once it lands."""
        self._quit_when_saved = False
        self._status_text_now = ""
        self._todos = 0
        """Placeholders (`TODO:`) left in the file as last shown."""
        """The status line's own text, without the counts: shown again once saved."""

    # --- opening --------------------------------------------------------------------------

    def on_mount(self) -> None:
        # Textual runs the reader's on_mount too (handlers are called along the MRO).
        self.query_one("#header-bar").mount(
            Static(Content("EDITING"), id="editing"), before="#header"
        )
        self.query_one(SourceView).editable = True  # the caret and selection (tui/selection.py)
        # ctrl+p still opens the palette; its footer label gives way to the edit keys.
        self.query_one(KeyBar).show_command_palette = False

    def _read_plan(self, limit: int | None = None) -> None:
        """No cached first screen: edit mode shows the text it will change, read now."""
        return None

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> Ready | list[Diagnostic]:
        """The session (the file read and validated), in the loading thread."""
        painted = getattr(self.app, "painted", None)
        if painted is not None:
            painted.wait(timeout=2.0)
        from ..editing import Session
        from ..loader import BriefingError, internal_error

        try:
            session = Session(self.path)
        except BriefingError as error:
            return error.diagnostics
        except Exception as error:  # a bug: shown as a bad file is, never a traceback
            return [internal_error(self.path, error)]
        self.session = session  # read on the UI thread only once this worker has finished
        return self._prepare(session.loaded)

    def show_loaded(self, loaded: Loaded, ready: Ready | None = None) -> None:
        from ..authoring import placeholders

        # The skeleton's `TODO:` placeholders (validate warns, --strict fails), counted on the
        # status line so that they are not forgotten: H fixes the header's.
        self._todos = len(placeholders(self.path))
        if self.session is not None:  # on the UI thread, no change being written
            self._view = (self.session.text, self.session.diagnostics)
        super().show_loaded(loaded, ready)
        self._status_changed("")

    def _show_cited(self, paragraph: int) -> None:
        """In the source the detail keeps the item a, x, f and d act on; the status line
        says what cites the paragraph (Enter lists them, as in the reader)."""
        if self.links is None or self.loaded is None:
            return
        citing = self.links.citing(self.loaded.briefing.sources[0].id, paragraph)
        cited = f"¶{paragraph}: cited by {len(citing)} (Enter)" if citing else f"¶{paragraph}"
        target = (
            f"a attaches to {clean(self.links.name(self.place.item))}"
            if self.place is not None and self.place.item in self.links.items
            else "c creates an item"
        )
        self.set_status(f"{cited}  ·  v select  ·  {target}")

    @on(SourceView.SelectionChanged)
    def _selection_changed(self, event: SourceView.SelectionChanged) -> None:
        """The status line says what is selected and what the keys would do with it."""
        selection = event.selection
        view = self.query_one(SourceView)
        if selection is None or view.source is None:
            return
        words = view.source.paragraph(selection.paragraph).text[selection.start : selection.end]
        target = (
            f"  ·  a attach to {clean(self.links.name(self.place.item))}"
            if self.links is not None
            and self.place is not None
            and self.place.item in self.links.items
            else ""
        )
        self.set_status(
            f"¶{selection.paragraph} “{_shown(words, 40)}”  ·  c create  ·  P party{target}"
        )

    def _say_errors(self, loaded: Loaded) -> None:
        """Errors show in place (the item's detail) and are counted on the status line."""

    # --- what the screen shows of the session --------------------------------------------

    def _counts(self) -> str:
        diagnostics = self._view[1]
        errors = sum(d.severity == "error" for d in diagnostics)
        warnings = len(diagnostics) - errors
        parts = []
        if errors:
            parts.append(f"{errors} error{'s' if errors != 1 else ''}")
        if warnings:
            parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
        if self._todos:
            parts.append(f"{self._todos} TODO{'s' if self._todos != 1 else ''}")
        return ", ".join(parts)

    def set_status(self, text: str) -> None:
        self._status_text_now = text
        counts = self._counts()
        if self.saving:
            counts = f"saving…  ·  {counts}" if counts else "saving…"
        super().set_status(f"{counts}  ·  {text}" if counts and text else counts or text)

    def _status_changed(self, text: str) -> None:
        self.set_status(text or "Tab to the source, v select, then c create · a attach · P party")

    def _extra_rows(self, item_id: str) -> list[DetailRow]:
        """The item's errors and warnings, by the lines the item takes in the text."""
        diagnostics = self._view[1]
        if self.links is None or not diagnostics:
            return []
        from ..describe import DetailRow

        lines = self._item_lines(self.links.section_of[item_id], item_id)
        if lines is None:
            return []
        first, last = lines
        return [
            DetailRow(d.severity.capitalize(), f"line {d.line}: {clean(d.message)}")
            for d in diagnostics
            if first <= d.line <= last
        ]

    def _item_lines(
        self, section: str, item_id: str, text: str | None = None
    ) -> tuple[int, int] | None:
        """The item's first and last lines in text (the one drawn by default), or None."""
        if text is None:
            text = self._view[0]
            if not text:
                return None
        # Each look-up parses the text: kept per text, as the detail asks on every move.
        if self._lines_of is None or self._lines_of[0] is not text:
            self._lines_of = (text, {})
        known = self._lines_of[1]
        if (section, item_id) not in known:
            known[section, item_id] = changes.item_lines(text, section, item_id)
        return known[section, item_id]

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(ALL_KEYS))

    # --- the current item, the selection ---------------------------------------------------

    def _current(self) -> tuple[str, str] | None:
        """(section, id) of the item shown, or None (said to the user)."""
        if self.links is None or self.place is None or self.place.item not in self.links.items:
            self._no_item()
            return None
        return self.links.section_of[self.place.item], self.place.item

    def _selection(self) -> tuple[dict[str, object], str] | None:
        """The source's selection as the shortest anchor that resolves to it, and its words;
        None (said to the user) without one."""
        view = self.query_one(SourceView)
        selection = getattr(view, "selection", None)
        if selection is None or view.source is None or self.loaded is None:
            self.notify("Select words first: Tab to the source, v, then w or e", timeout=3)
            return None
        from ..anchoring import shortest_anchor

        try:
            anchor = shortest_anchor(
                view.source, selection.paragraph, selection.start, selection.end
            )
        except ValueError as error:
            self.notify(_shown(error), severity="error", timeout=4, markup=False)
            return None
        if len(self.loaded.briefing.sources) > 1:
            shown = changes.source_id(self.loaded, view.source)
            if shown is None:
                self.notify("The source shown is not one of the briefing's", timeout=4)
                return None
            anchor["source"] = shown
        words = " ".join(str(anchor["quote"]).split())
        return anchor, words

    def _clear_selection(self) -> None:
        clear = getattr(self.query_one(SourceView), "clear_selection", None)
        if clear is not None:
            clear()

    def _parties(self) -> list[Party]:
        return [] if self.loaded is None else list(self.loaded.briefing.parties)

    def _taken(self) -> set[str]:
        return changes.taken_ids(self.loaded)

    def _raw_item(self, section: str, item_id: str) -> dict[str, Any]:
        assert self.session is not None
        return changes.raw_item(self.session.text, section, item_id)

    # --- applying a change ------------------------------------------------------------------

    def _apply(
        self,
        make: Callable[[str], str],
        label: str,
        section: str | None,
        item_id: str | None,
        evidence: int = 0,
        *,
        done: Callable[[], None] | None = None,
        failed: Callable[[], None] | None = None,
    ) -> bool:
        """Make the change make(current text) gives, in the saving thread, then show the new
        text with item_id current and call done (failed when it is not made).

        A change that cannot be made, that the session refuses, or that would overwrite a file
        changed on disk is said and leaves everything as it was. False when it is not even
        queued (no session, or too many waiting)."""
        return self._submit(_Job("apply", make, label, section, item_id, evidence, done, failed))

    @property
    def saving(self) -> bool:
        """A change is being saved or waits to be."""
        return self._saving_job is not None or bool(self._queue)

    def _submit(self, job: _Job) -> bool:
        """Run job now, or after the changes already asked for: in order, so that each
        applies to the text the one before it left (a form answered while a change is saved
        is not lost, and `u` pressed twice undoes two changes)."""
        if self.session is None:
            return False
        if self._saving_job is None:
            self._start(job)
            return True
        if len(self._queue) >= MAX_QUEUED:
            self.notify("Still saving: that change was not made; try again", timeout=3)
            if job.failed is not None:
                job.failed()
            return False
        self._queue.append(job)
        self.set_status(f"{len(self._queue)} more to save")
        return True

    def _start(self, job: _Job) -> None:
        self._saving_job = job
        # What the change did is said once it is written: meanwhile only "saving…".
        self.set_status(self._status_text_now)
        self._save_change(job)

    @work(thread=True, group="save", exit_on_error=False)
    def _save_change(self, job: _Job) -> None:
        """Validate and write in the saving thread (1.9 s a change at 10,000 items): keys
        keep their answers meanwhile. The outcome is shown on the UI thread."""
        outcome = self._made(job)
        # The app gone (a quit), the file is written or not, whole (files.write_atomically).
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(self._landed, job, *outcome)

    def _made(self, job: _Job) -> tuple[str, Any]:
        """(outcome, payload): ok with the Change, same (nothing to change), none (nothing to
        undo or redo), or why not: edit, refused, stale, file, bug."""
        from ..editing import Refused, Stale
        from ..files import FileProblem
        from ..yaml_edit import EditError, item_lines

        session = self.session
        assert session is not None
        try:
            if job.kind == "undo":
                change = session.undo()
                return ("ok", change) if change is not None else ("none", None)
            if job.kind == "redo":
                change = session.redo()
                return ("ok", change) if change is not None else ("none", None)
            assert job.make is not None
            text = job.make(session.text)
            if text == session.text:
                return "same", None
            line = None
            if job.section is not None and job.item_id is not None:
                try:
                    line = item_lines(text, job.section, job.item_id)[0]
                except (EditError, KeyError, ValueError):
                    line = None
            return "ok", session.apply(text, job.label, line)
        except EditError as error:
            return "edit", error
        except Refused as refused:
            return "refused", refused
        except Stale:
            return "stale", None
        except FileProblem as problem:
            return "file", problem
        except Exception as error:  # a bug: said, never a traceback; nothing was written
            return "bug", error

    def _landed(self, job: _Job, outcome: str, payload: Any) -> None:
        """A change saved (or not): show it, then start the next one asked for."""
        self._saving_job = None
        try:
            if outcome == "ok":
                self._show_change(job, payload)
                if job.done is not None:
                    job.done()
            else:
                self._not_made(job, outcome, payload)
                if job.failed is not None:
                    job.failed()
        finally:
            if self._queue:
                self._start(self._queue.popleft())
            elif self._quit_when_saved:
                self.app.exit()
            else:
                self.set_status(self._status_text_now)

    def _show_change(self, job: _Job, change: Any) -> None:
        if job.kind == "apply":
            was = (self.place.item, self.place.evidence) if self.place is not None else (None, 0)
            self._focus[(hash(change.before), hash(change.after))] = (job.item_id, job.evidence)
            self._focus[(hash(change.after), hash(change.before))] = was
            self._show_session(job.item_id, job.evidence)
            self._status_changed(f"{_shown(job.label)}  ·  u undo")
            return
        undo = job.kind == "undo"
        # The Change goes from the text left to the text now written (undo's reversed).
        item_id, evidence = self._focus.get((hash(change.before), hash(change.after)), (None, 0))
        self._show_session(item_id, evidence)
        self._status_changed(
            f"{'Undid' if undo else 'Redid'}: {_shown(change.label)}  ·  "
            f"{'ctrl+r redo' if undo else 'u undo'}"
        )

    def _not_made(self, job: _Job, outcome: str, payload: Any) -> None:
        if outcome == "same":
            self.notify("No field changed" if job.label else "Nothing changed", timeout=2)
        elif outcome == "none":
            self.notify("Nothing to undo" if job.kind == "undo" else "Nothing to redo", timeout=2)
        elif outcome == "edit":
            self.notify(
                f"Not changed: {_shown(payload, 160)}", severity="error", timeout=6, markup=False
            )
        elif outcome == "refused":
            self._refused(payload)
        elif outcome == "stale":
            self._queue.clear()  # made against a text that is no longer the file's
            self._stale()
        elif outcome == "file":
            self.notify(
                f"Not written: {_shown(payload, 160)}", severity="error", timeout=6, markup=False
            )
        else:
            self.notify(
                f"Not changed (internal error): {_shown(payload, 160)}",
                severity="error",
                timeout=8,
                markup=False,
            )

    def action_quit(self) -> None:
        """Quit; while a change is saved, once it (and those asked for after it) is written."""
        if self.saving:
            self._quit_when_saved = True
            self.set_status("quitting once saved")
            return
        self.app.exit()

    def _refused(self, refused: Exception) -> None:
        diagnostics = getattr(refused, "diagnostics", [])
        reasons = "; ".join(f"line {d.line}: {d.message}" for d in diagnostics[:2])
        more = f" (+{len(diagnostics) - 2} more)" if len(diagnostics) > 2 else ""
        why = reasons + more if reasons else str(refused)
        self.notify(
            f"Refused, nothing written: {_shown(why, 240)}",
            severity="error",
            timeout=8,
            markup=False,
        )

    def _stale(self) -> None:
        """The file changed on disk: reload it (the change is not made) or keep the screen;
        never write over it."""
        name = _shown(self.path.name)

        def answer(reload: bool | None) -> None:
            if reload:
                self._reload()
            else:
                self.notify(
                    f"Nothing written: {name} changed on disk; your change is not made",
                    severity="warning",
                    timeout=6,
                    markup=False,
                )

        self.app.push_screen(
            Confirm(
                "Changed on disk",
                f"{name} changed on disk since it was read. Reload it? Your change is not made, "
                "and undo starts afresh.",
                "Enter: reload",
            ),
            answer,
        )

    def _reload(self) -> None:
        from ..loader import BriefingError

        assert self.session is not None
        keep = self.place.item if self.place is not None else None
        try:
            self.session.reload()
        except BriefingError as error:
            first = error.diagnostics[0].format() if error.diagnostics else str(error)
            self.notify(
                f"Cannot reload: {_shown(first, 200)}; E opens it to fix",
                severity="error",
                timeout=8,
                markup=False,
            )
            return
        self._focus.clear()
        self._show_session(keep)
        self._status_changed(f"Reloaded {_shown(self.path.name)} from disk")

    def _show_session(self, item_id: str | None, evidence: int = 0) -> None:
        """Draw the session's text, with item_id current (else the item current before)."""
        assert self.session is not None
        before = self.place
        focused = self.focused
        # Showing the new text moves the outline to its first item and the source's cursor to
        # ¶1 before the changed item is shown: their messages, handled after, would show
        # those over it and the change's note.
        with self.prevent(SourceView.CursorMoved, Outline.Highlighted):
            self.show_loaded(self.session.loaded)
        links = self.links
        assert links is not None
        target = item_id if item_id in links.items else None
        if target is None and before is not None and before.item in links.items:
            target, evidence = before.item, before.evidence
        if target is not None:
            self.go_to(target, evidence)
        if focused is not None and focused.is_attached:
            focused.focus()

    # --- the keys -----------------------------------------------------------------------------

    def action_attach(self) -> None:
        current = self._current()
        if current is None:
            return
        chosen = self._selection()
        if chosen is None:
            return
        anchor, words = chosen
        section, item_id = current
        from ..yaml_edit import add_entry

        assert self.session is not None
        count = changes.evidence_count(self.session.text, section, item_id)
        name = self.links.name(item_id) if self.links else item_id
        self._apply(
            lambda text: add_entry(text, section, item_id, "evidence", anchor),
            f"Attached “{words}” to {name}",
            section,
            item_id,
            count,
            done=self._clear_selection,
        )

    def action_create(self) -> None:
        chosen = self._selection()
        if chosen is None:
            return
        from .form import SectionPicker

        drill = self._current_drill()
        self.app.push_screen(
            SectionPicker(
                contribution=drill is not None, title=f"New item from “{clip(chosen[1], 24)}”"
            ),
            lambda kind: self._create_kind(kind, chosen, drill),
        )

    def _create_kind(
        self, kind: str | None, chosen: tuple[dict[str, object], str], drill: str | None
    ) -> None:
        if kind is None:
            return
        anchor, words = chosen
        from .form import ItemForm

        values = changes.prefilled(kind, words, anchor, self.loaded)
        title = (
            f"Contribution to {self.links.name(drill)}"
            if kind == "contribution" and drill and self.links
            else f"New {SINGULAR.get(kind, kind).lower()}"
        )
        self.app.push_screen(
            ItemForm(title, kind, values, self._parties(), taken=self._taken()),
            lambda answers: self._created(kind, answers, anchor, words, drill),
        )

    def _created(
        self,
        kind: str,
        values: Mapping[str, object] | None,
        anchor: dict[str, object],
        words: str,
        drill: str | None,
        failed: Callable[[], None] | None = None,
    ) -> None:
        """Write the item the form gave (nothing when it was cancelled); failed is called
        when nothing is written."""
        if values is None:
            if failed is not None:
                failed()
            return
        if kind == "contribution":
            if drill is None:
                if failed is not None:
                    failed()
                return
            cited = changes.cites(self.query_one(SourceView).source, self.loaded, drill, anchor)
            assert self.session is not None
            count = changes.evidence_count(self.session.text, "drills", drill)
            given = dict(values)
            self._apply(
                lambda text: changes.add_contribution(text, drill, given, anchor, cited=cited),
                f"Added a contribution to {self.links.name(drill) if self.links else drill}",
                "drills",
                drill,
                0 if cited else count,
                done=self._clear_selection,
                failed=failed,
            )
            return
        item = changes.item_from(kind, values, anchor, words, self._taken())
        self._apply(
            lambda text: changes.add_new_item(text, kind, item),
            f"Created {SINGULAR.get(kind, kind).lower()} {_shown(item['id'])}",
            kind,
            str(item["id"]),
            done=self._clear_selection,
            failed=failed,
        )

    def action_new_party(self) -> None:
        chosen = self._selection()
        if chosen is None:
            return
        anchor, words = chosen
        from .form import ItemForm

        values = changes.prefilled("parties", words, anchor, self.loaded)
        values.setdefault("name", words)
        self.app.push_screen(
            ItemForm("New party", "parties", values, self._parties(), taken=self._taken()),
            lambda answers: self._created("parties", answers, anchor, words, None),
        )

    def action_fields(self) -> None:
        current = self._current()
        if current is None:
            return
        section, item_id = current
        from .form import ItemForm

        raw = self._raw_item(section, item_id)
        name = self.links.name(item_id) if self.links else item_id
        self.app.push_screen(
            ItemForm(f"Edit {clean(name)}", section, raw, self._parties(), taken=self._taken()),
            lambda answers: self._fields_changed(section, item_id, raw, answers),
        )

    def _fields_changed(
        self,
        section: str,
        item_id: str,
        raw: Mapping[str, object],
        answers: Mapping[str, object] | None,
    ) -> None:
        if answers is None:
            return
        from ..yaml_edit import set_fields

        changed = changes.field_changes(raw, answers)
        if not changed:
            self.notify("No field changed", timeout=2)
            return
        new_id = str(changed.get("id") or item_id)
        self._apply(
            lambda text: set_fields(text, section, item_id, changed),
            f"Changed {', '.join(sorted(changed))} of {_shown(new_id)}",
            section,
            new_id,
        )

    def action_header(self) -> None:
        """The briefing's own fields in the form, then the shown source's: the skeleton's
        placeholders (summary, the source's language and grade) are fixed here."""
        session = self.session
        if session is None or self.loaded is None:
            return
        from .form import ItemForm

        raw = changes.raw_header(session.text)
        self.app.push_screen(
            ItemForm(
                "The briefing",
                "briefing",
                raw,
                self._parties(),
                version=self.loaded.briefing.schema_version,
            ),
            lambda answers: self._header_changed(raw, answers),
        )

    def _header_changed(
        self, raw: Mapping[str, object], answers: Mapping[str, object] | None
    ) -> None:
        if answers is None:
            return  # Esc: neither form changes anything
        from ..yaml_edit import set_top_fields

        given, changed = changes.header_changes(raw, answers)
        self._apply(
            lambda text: set_top_fields(text, given),
            f"Changed {', '.join(changed)} of the briefing"
            if changed
            else "Confirmed the briefing's fields",
            None,
            None,
        )
        self._source_form()

    def _source_form(self) -> None:
        """The form of the source shown (the briefing's first)."""
        session = self.session
        if session is None or self.loaded is None:
            return
        from .form import ItemForm

        source_id = self.loaded.briefing.sources[0].id
        raw = changes.raw_source(session.text, source_id)
        if raw is None:
            return
        self.app.push_screen(
            ItemForm(
                f"The source {clean(clip(str(raw.get('title') or source_id), 40))}",
                "source",
                raw,
                self._parties(),
                version=self.loaded.briefing.schema_version,
            ),
            lambda answers: self._source_changed(source_id, raw, answers),
        )

    def _source_changed(
        self, source_id: str, raw: Mapping[str, object], answers: Mapping[str, object] | None
    ) -> None:
        if answers is None:
            return
        from ..yaml_edit import set_fields

        given, changed = changes.header_changes(raw, answers, kind="source")
        self._apply(
            lambda text: set_fields(text, "sources", source_id, given),
            f"Changed {', '.join(changed)} of the source"
            if changed
            else "Confirmed the source's fields",
            None,
            None,
        )

    def action_remove(self) -> None:
        current = self._current()
        if current is None:
            return
        section, item_id = current
        name = self.links.name(item_id) if self.links else item_id
        self.app.push_screen(
            Confirm(
                "Remove",
                f"Remove the {SINGULAR[section].lower()} {clean(name)}? u undoes it.",
                "Enter: remove",
            ),
            lambda yes: self._remove(section, item_id) if yes else None,
        )

    def _remove(self, section: str, item_id: str) -> None:
        from ..yaml_edit import remove_item

        assert self.loaded is not None
        ids = [item.id for item in getattr(self.loaded.briefing, section)]
        following = changes.after_removal(ids, item_id)
        section_of_next = section if following else None
        self._apply(
            lambda text: remove_item(text, section, item_id),
            f"Removed {_shown(self.links.name(item_id) if self.links else item_id)}",
            section_of_next,
            following,
        )

    def action_remove_evidence(self) -> None:
        current = self._current()
        if current is None or self.place is None:
            return
        section, item_id = current
        assert self.session is not None
        written = changes.evidence_count(self.session.text, section, item_id)
        total = len(self.links.evidence(item_id)) if self.links else 0
        if not total:
            self.notify("This item has no evidence shown", timeout=2)
            return
        index = self.place.evidence % total
        if index >= written:
            self.notify(
                "This quote belongs to a claim or attribution: E edits it in $EDITOR", timeout=4
            )
            return
        from ..yaml_edit import remove_entry

        self._apply(
            lambda text: remove_entry(text, section, item_id, "evidence", index),
            f"Removed evidence {index + 1} of {_shown(self.links.name(item_id) if self.links else item_id)}",
            section,
            item_id,
            max(0, index - 1),
        )

    def action_undo(self) -> None:
        self._history(undo=True)

    def action_redo(self) -> None:
        self._history(undo=False)

    def _history(self, *, undo: bool) -> None:
        self._submit(_Job("undo" if undo else "redo"))

    def action_editor(self) -> None:
        session = self.session
        if session is None:
            return
        from ..editing import Stale

        if self.saving:  # the file is being written: $EDITOR would read it half-changed
            self.notify("Still saving: E again once saved", timeout=3)
            return
        if session.changed_on_disk():
            self._stale()
            return
        line = 1
        if (
            self.place is not None
            and self.links is not None
            and self.place.item in self.links.items
        ):
            lines = self._item_lines(self.links.section_of[self.place.item], self.place.item)
            line = lines[0] if lines else 1
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or EDITOR_FALLBACK
        try:
            command = [*shlex.split(editor), f"+{line}", str(self.path)]
        except ValueError:
            command = [editor, f"+{line}", str(self.path)]
        problem = self.run_editor(command)
        if problem:
            self.notify(
                f"$EDITOR did not run: {_shown(problem, 160)}",
                severity="error",
                timeout=6,
                markup=False,
            )
        try:
            changed = session.changed_on_disk()
        except Stale:  # pragma: no cover - changed_on_disk answers, it does not raise
            changed = True
        if changed:
            self._reload()
        else:
            self._status_changed("Back from $EDITOR: no change")

    def run_editor(self, command: list[str]) -> str | None:
        """Run the editor on the real terminal, the reader suspended; a problem, or None."""
        try:
            with self.app.suspend():
                subprocess.run(command, check=False)
        except OSError as error:
            return error.strerror or str(error)
        except Exception as error:  # SuspendNotSupported: no terminal to hand over (a browser)
            return f"{type(error).__name__}: cannot hand the terminal over here"
        return None

    def action_proposals(self) -> None:
        if self.loaded is None:
            return
        view = self.query_one(SourceView)
        if view.source is None:
            self.notify("No source shown: nothing to propose", timeout=3)
            return
        from ..drafting import propose
        from .proposals import ProposalsScreen

        published = self.loaded.briefing.sources[0].published
        try:
            found = propose(view.source, published=published.value if published else None)
        except ValueError as error:
            self.notify(_shown(error, 200), severity="error", timeout=6, markup=False)
            return
        proposals = changes.unnamed(found, self.loaded)
        if not proposals:
            self.notify("No proposals left in this source", timeout=3)
            return
        self.app.push_screen(ProposalsScreen(proposals, self._decide))

    def _current_drill(self) -> str | None:
        if self.links is None or self.place is None:
            return None
        return changes.current_drill(self.links.section_of, self.place.item)

    def _decide(self, proposal: Any, decision: str) -> str | None:
        """What the proposals screen asks: accept (written now), edit (the form first) or
        reject; an error message (the proposal stays listed), or None when decided."""
        if decision == "reject":
            return None
        section, words, anchor, values = changes.proposal_values(proposal)
        drill = self._current_drill() if section == "contribution" else None
        if section == "contribution" and drill is None:
            return changes.NEED_A_DRILL
        if decision == "edit":
            from .form import ItemForm

            title = (
                "Contribution"
                if section == "contribution"
                else f"New {SINGULAR.get(section, section).lower()}"
            )
            # Cancelled in the form, or not written, the proposal comes back to the list.
            self.app.push_screen(
                ItemForm(title, section, values, self._parties(), taken=self._taken()),
                lambda answers: self._created(
                    section, answers, anchor, words, drill, lambda: self._undecided(proposal)
                ),
            )
            return None
        checked, error = changes.accepted(section, values, self._parties(), self._taken())
        if error is not None:
            return error
        # Written in the saving thread: a refusal (said in a notice) puts it back in the list.
        self._created(section, checked, anchor, words, drill, lambda: self._undecided(proposal))
        return None

    def _undecided(self, proposal: Any) -> None:
        """Put a proposal back in the proposals list (its form cancelled, or not written)."""
        from .proposals import ProposalsScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, ProposalsScreen) and screen.decide == self._decide:
                screen.restore(proposal)
