"""An editing session on one briefing file: validated, never over someone else's edit, undoable.

A change is a whole new text (made by tui/yaml_edit.py). The session validates it with the
loader, as `briefing validate` would, and refuses it when it has an error the current text does
not have (errors compared by message and by the item they are in, as lines shift). Before
writing, it checks that the file on disk still holds exactly the bytes it last read or wrote
(compared byte for byte: a size and a time can stay the same across an edit), then writes
atomically. Undo and redo restore exact text snapshots, with the same checks.

Validating the bundled briefing takes about 4 ms once the loader's modules are imported, so
each text is validated afresh: no cache can change an answer here.
"""

from __future__ import annotations

import bisect
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import strict_yaml
from .files import BRIEFING_CAP, FileProblem, read_bytes, tree_root, write_atomically
from .loader import BriefingError, Diagnostic, Loaded, display_path, parse_briefing
from .safe_text import clip


class Stale(Exception):
    """The file changed on disk since the session read or last wrote it; nothing written."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "the file changed on disk since it was opened or last saved; nothing was "
            "written: reload it to edit what is there now"
        )


class Refused(Exception):
    """The change would add errors to the briefing; diagnostics are those new errors."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else None
        more = len(diagnostics) - 1
        reason = f"line {first.line}: {first.message}" if first else "it would be invalid"
        if more > 0:
            reason += f" (and {more} more error{'s' if more > 1 else ''})"
        super().__init__(f"not changed: the briefing would have a new error: {reason}")


@dataclass(frozen=True)
class Change:
    """One change as applied (or undone, or redone): the text before and after it."""

    label: str
    before: str
    after: str
    line: int | None
    """The 1-based line to show after it, if any."""


class Session:
    """One briefing file being edited: its current text, what it loads to, and its history."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._shown = display_path(path)
        self._root = tree_root(path)
        raw = self._read()
        self.text = ""
        self.diagnostics: list[Diagnostic] = []
        self._disk = b""
        self._undo: list[Change] = []
        self._redo: list[Change] = []
        self.loaded = self._adopt(raw)

    # --- state ------------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def changed_on_disk(self) -> bool:
        """Whether the file no longer holds the bytes last read or written (gone included)."""
        try:
            return self._read_raw() != self._disk
        except FileProblem:
            return True

    # --- changes ----------------------------------------------------------------------------

    def apply(self, text: str, label: str, line: int | None = None) -> Change:
        """Validate text, then write it in place of the current one.

        Refused when it has an error the current text has not; Stale when the file changed on
        disk; FileProblem when it cannot be written. Nothing is written in each case.
        """
        if text == self.text:
            return Change(label, text, text, line)
        self._check_fresh()
        try:
            raw = text.encode("utf-8")
        except UnicodeEncodeError:
            raise Refused(
                [self._diagnostic("the text holds a character no file can hold")]
            ) from None
        if len(raw) > BRIEFING_CAP:
            raise Refused(
                [self._diagnostic(f"the briefing would be over the {BRIEFING_CAP:,}-byte limit")]
            )
        loaded, diagnostics = self._validate(raw, refuse=True)
        added = new_errors(self.text, self.diagnostics, text, diagnostics)
        if added:
            raise Refused(added)
        change = Change(label, self.text, text, line)
        self._write(raw)
        self._set(text, raw, loaded, diagnostics)
        self._undo.append(change)
        self._redo.clear()
        return change

    def undo(self) -> Change | None:
        """Restore the text before the last change; the Change returned goes from the current
        text to it. None when there is nothing to undo."""
        if not self._undo:
            return None
        change = self._undo[-1]
        self._restore(change.before)
        self._redo.append(self._undo.pop())
        return Change(change.label, change.after, change.before, change.line)

    def redo(self) -> Change | None:
        """Apply again the last change undone. None when there is nothing to redo."""
        if not self._redo:
            return None
        change = self._redo[-1]
        self._restore(change.after)
        self._undo.append(self._redo.pop())
        return change

    def reload(self) -> None:
        """Adopt what the file holds now (after $EDITOR, or when the user chooses it); the
        history, made of texts the file no longer holds, is cleared. BriefingError when the
        file cannot be loaded at all: the session is then left as it was."""
        raw = self._read()
        self.loaded = self._adopt(raw)
        self._undo.clear()
        self._redo.clear()

    # --- inside -----------------------------------------------------------------------------

    def _restore(self, text: str) -> None:
        """Write a snapshot back: a text this session held before, so never refused."""
        self._check_fresh()
        raw = text.encode("utf-8")
        loaded, diagnostics = self._validate(raw, refuse=False)
        self._write(raw)
        self._set(text, raw, loaded, diagnostics)

    def _adopt(self, raw: bytes) -> Loaded:
        loaded, diagnostics = self._validate(raw, refuse=False)
        self._set(raw.decode("utf-8"), raw, loaded, diagnostics)
        return loaded

    def _set(self, text: str, raw: bytes, loaded: Loaded, diagnostics: list[Diagnostic]) -> None:
        self.text = text
        self._disk = raw
        self.loaded = loaded
        self.diagnostics = diagnostics

    def _validate(self, raw: bytes, refuse: bool) -> tuple[Loaded, list[Diagnostic]]:
        """The load of raw, partial when it has errors; BriefingError (or Refused, when
        refuse) when nothing can be loaded from it."""
        try:
            loaded = parse_briefing(raw, self._real(), self._shown, root=self._root)
            return loaded, loaded.diagnostics
        except BriefingError as error:
            if error.partial is None:
                if refuse:
                    raise Refused(error.diagnostics) from None
                raise
            return error.partial, error.diagnostics

    def _real(self) -> Path:
        try:
            return self.path.resolve(strict=True)
        except (OSError, RuntimeError):
            return Path(os.path.abspath(self.path))

    def _read_raw(self) -> bytes:
        return read_bytes(self._real(), BRIEFING_CAP)

    def _read(self) -> bytes:
        try:
            return self._read_raw()
        except FileProblem as problem:
            raise BriefingError([self._diagnostic(f"briefing file {problem}")]) from None

    def _check_fresh(self) -> None:
        if self.changed_on_disk():
            raise Stale()

    def _write(self, raw: bytes) -> None:
        """Replace the file atomically, keeping its permissions; the file a symlink points
        to is written, so the link stays."""
        real = self._real()
        self._check_fresh()
        try:
            mode = real.stat().st_mode & 0o777
            write_atomically(real, raw, mode=mode)
        except OSError as error:
            raise FileProblem(
                f"{self._shown}: cannot be written: {error.strerror or error}; nothing changed"
            ) from None

    def _diagnostic(self, message: str) -> Diagnostic:
        return Diagnostic(self._shown, 1, 1, "error", clip(message, 240))


# --- comparing errors -----------------------------------------------------------------------

_WHERE = re.compile(r"\b(line|column) \d+")


def new_errors(
    old_text: str, old: list[Diagnostic], new_text: str, new: list[Diagnostic]
) -> list[Diagnostic]:
    """The errors of new that old does not have, compared by message and the item they are
    in, not by line: an edit above an error moves it without adding it. An item is known by
    its section and id; an error left over after that is matched by the item's place in its
    section, so renaming an item does not make its errors new."""
    if not any(d.severity == "error" for d in new):
        return []
    old_places = _places(old_text)
    old_keys = [_error_keys(d, old_places) for d in old if d.severity == "error"]
    places = _places(new_text)
    new_keys = [(d, _error_keys(d, places)) for d in new if d.severity == "error"]
    by_id = Counter(keys[0] for keys in old_keys)
    unmatched: list[tuple[Diagnostic, tuple[object, ...]]] = []
    for diagnostic, (key, by_place) in new_keys:
        if by_id[key] > 0:
            by_id[key] -= 1
        else:
            unmatched.append((diagnostic, by_place))
    # What stays of the old errors, known by place, for the errors not matched by id.
    left: Counter[tuple[object, ...]] = Counter()
    spare = Counter(by_id)
    for key, by_place in old_keys:
        if spare[key] > 0:
            spare[key] -= 1
            left[by_place] += 1
    added: list[Diagnostic] = []
    for diagnostic, by_place in unmatched:
        if left[by_place] > 0:
            left[by_place] -= 1
        else:
            added.append(diagnostic)
    return added


_Places = tuple[list[int], list[tuple[tuple[object, ...], tuple[object, ...]]]]


def _places(text: str) -> _Places:
    """The 1-based first line of each top-level key and of each item in a list under one,
    in order, each with what it is: (key,), or (key, id) and (key, its number)."""
    body = text[1:] if text.startswith("\ufeff") else text
    try:
        data, positions = strict_yaml.load(body)
    except strict_yaml.YamlProblem:
        return [], []
    if not isinstance(data, dict):
        return [], []
    lines: list[int] = []
    names: list[tuple[tuple[object, ...], tuple[object, ...]]] = []
    for key, value in data.items():
        (line, _column), _found = positions.locate((key,), at_key=True)
        lines.append(line + 1)
        names.append(((key,), (key,)))
        if isinstance(value, list):
            for n, item in enumerate(value):
                (line, _column), _found = positions.locate((key, n))
                lines.append(line + 1)
                ident = item.get("id") if isinstance(item, dict) else None
                names.append(((key, ident if isinstance(ident, str) else n), (key, n)))
    return lines, names


def _error_keys(
    diagnostic: Diagnostic, places: _Places
) -> tuple[tuple[object, ...], tuple[object, ...]]:
    """The error as (item by id, message) and as (item by place, message)."""
    lines, names = places
    at = bisect.bisect_right(lines, diagnostic.line) - 1
    by_id, by_place = names[at] if at >= 0 else ((), ())
    # What follows a `;` is advice (the ids one may use, say), which other items change.
    message = _WHERE.sub(r"\1 N", diagnostic.message.split(";", 1)[0])
    return (*by_id, message), (*by_place, message)
