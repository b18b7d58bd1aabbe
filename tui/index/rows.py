"""The rows the index keeps for one briefing file, read through the loader (and its cache).

Also how a path or file name is stored: SQLite holds only valid UTF-8, and a stored name comes
back as a plain file name whatever the index file holds (it is only a cache: anyone may edit it).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..sections import SECTION_KEYS
from .query import day_range

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..loader import Diagnostic, Loaded

StoredDiagnostic = tuple[int, int, Literal["error", "warning"], str, str]
"""(line, column, severity, message, file): a diagnostic as the index keeps it."""

MARK_START, MARK_END = "\x01", "\x02"
"""Snippet markers around matched words; stripped from the indexed text beforehand."""


KEY_MARK, NAME_MARK = "?", "/"
"""Start the stored form of a path or a file name that is not valid UTF-8 (see `_storable`);
an absolute path never starts with "?", and a file name never contains "/"."""


def _storable(text: str, mark: str) -> str:
    """text as SQLite can hold it: as is when it is valid UTF-8, else mark and its bytes read
    as Latin-1 (one character per byte, so the original is recovered exactly).

    A file name that is not valid UTF-8 (`$'\\xff.yaml'`) reaches Python with its bytes kept
    as lone surrogates, which SQLite refuses ("surrogates not allowed").
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return mark + os.fsencode(text).decode("latin-1")
    return text


_NOT_IN_NAMES = frozenset(c for c in (os.sep, os.altsep, "\x00") if c)


def _name(stored: str) -> str:
    """The file name a stored name stands for (undoing `_storable`).

    The index is only a cache and may have been tampered with: what is not a plain file name
    (a separator, NUL, `..`) comes back with those characters as U+FFFD, so that joined to
    the folder it can never name a file elsewhere.
    """
    name = stored
    if stored.startswith(NAME_MARK):
        with contextlib.suppress(UnicodeEncodeError):
            name = os.fsdecode(stored[len(NAME_MARK) :].encode("latin-1"))
    if name in ("", ".", "..") or any(c in name for c in _NOT_IN_NAMES):
        name = "".join("\ufffd" if c in _NOT_IN_NAMES or c == "." else c for c in name)
    return name or "\ufffd"


def _valid_utf8(text: str) -> str:
    """Text for display only, valid UTF-8: bytes that are not become U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "replace")
    return text


def _key(path: Path) -> str:
    """A briefing's (or folder's) key in the index: its absolute path, storable."""
    return _storable(os.path.abspath(path), KEY_MARK)


# --- building rows from a loaded briefing -------------------------------------------------


def _day_span(date: Any) -> tuple[str | None, str | None]:
    if date is None or getattr(date, "value", None) is None:
        return None, None
    first = day_range(date.value)
    last = day_range(date.end or date.value)
    return (first[0] if first else None), (last[1] if last else None)


def _item_text(item: Any) -> str:
    """Every string of an item but its evidence (the quotes are the source's own words)."""
    from ..schema import item_strings

    return _plain("\n".join(item_strings(item)))


def _plain(text: str) -> str:
    return text.replace(MARK_START, "\ufffd").replace(MARK_END, "\ufffd")


@dataclass
class Rows:
    """Everything the index stores for one briefing file."""

    record: tuple[Any, ...]
    items: list[tuple[Any, ...]] = field(default_factory=list)
    parties: list[tuple[Any, ...]] = field(default_factory=list)
    roles: list[tuple[Any, ...]] = field(default_factory=list)
    docs: list[tuple[Any, ...]] = field(default_factory=list)
    """(kind, ref, source, section, label, open_at, text)."""
    marks: list[tuple[Any, ...]] = field(default_factory=list)
    """(key, kind, value) that the tlp:, analyst:, credibility:, status:, conflict: and
    verdict: filters match (see marks_of)."""


_SOURCE_LINE = re.compile(r"^\s*-?\s*path:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", re.MULTILINE)


def _stat_key(path: Path) -> list[Any]:
    try:
        info = path.stat()
    except OSError:
        return [str(path), -1, -1]
    return [str(path), info.st_size, info.st_mtime_ns]


def _guess_sources(path: Path) -> list[Path]:
    """The source files an invalid briefing seems to name (so fixing one re-reads it)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")[:1_000_000]
    except OSError:
        return []
    found = []
    for relative in _SOURCE_LINE.findall(text)[:20]:
        candidate = path.parent / relative.strip()
        with contextlib.suppress(OSError, ValueError):
            if candidate.is_file():
                found.append(candidate.resolve())
    return found


def _valid_rows(
    key: str, folder: str, path: Path, info: os.stat_result, loaded: Loaded, note: str = ""
) -> Rows:
    """Rows of a briefing the reader opens; note says why it is read despite its errors
    (a source that changed: BriefingError.openable), "" for a valid one."""
    from ..describe import format_date_value
    from ..files import confine, tree_root
    from ..links import Links, item_dates

    briefing = loaded.briefing
    source = briefing.sources[0]
    deps = []
    root = tree_root(path)
    for each in briefing.sources:
        with contextlib.suppress(Exception):
            deps.append(_stat_key(confine(each.path, path.resolve().parent, root)))
    counts = briefing.counts()
    pub_min, pub_max = _day_span(source.published)
    shown_date = format_date_value(source.published) if source.published else ""
    if source.published is not None and source.published.inferred:
        shown_date += " (inferred)"  # as the reader's header says it
    rows = Rows(
        (
            key,
            folder,
            _storable(path.name, NAME_MARK),
            info.st_size,
            info.st_mtime_ns,
            json.dumps(deps),
            1,
            briefing.title,
            source.outlet or Path(source.path).name,
            shown_date,
            json.dumps([counts[k] for k in SECTION_KEYS]),
            note,
            store_diagnostics(loaded.diagnostics),
            pub_min,
            pub_max,
        )
    )
    links = Links.build(loaded)
    order: dict[str, int] = {}
    for n, ((section, _index), item) in enumerate(briefing.items()):
        order[item.id] = n
        # Every date of the item: an arms sale's runs from its order to its last delivery.
        spans = [_day_span(row.date) for row in item_dates(item)]
        firsts = [first for first, _last in spans if first]
        lasts = [last for _first, last in spans if last]
        date_min, date_max = min(firsts, default=None), max(lasts, default=None)
        label = links.name(item.id)  # a relationship's names its parties, not their ids
        rows.items.append((key, item.id, n, section, label, date_min, date_max))
        rows.docs.append(("item", item.id, "", section, label, item.id, _item_text(item)))
    rows.marks.extend((key, kind, value) for kind, value in sorted(marks_of(briefing)))
    for party in briefing.parties:
        folded = "\n".join([party.name, *party.alias_names]).casefold()
        rows.parties.append((key, party.id, party.name, folded, party.country))
        involved = [("entry", party.id)] + [
            (role, item_id) for role, item_id in links.referenced_by.get(party.id, [])
        ]
        seen: set[tuple[str, str]] = set()
        for role, item_id in involved:
            if (role, item_id) in seen:
                continue
            seen.add((role, item_id))
            rows.roles.append((key, party.id, item_id, role, len(seen)))
    shown_source = source.id
    for each in briefing.sources:
        text = loaded.sources.get(each.id)
        if text is None:
            continue
        for paragraph in text.paragraphs:
            if not paragraph.text.strip():
                continue
            open_at: str | None
            if each.id == shown_source:
                open_at = str(paragraph.number)
            else:
                citing = links.cited_by.get((each.id, paragraph.number), [])
                open_at = citing[0] if citing else None
            rows.docs.append(
                (
                    "paragraph",
                    str(paragraph.number),
                    each.id,
                    "",
                    each.title,
                    open_at,
                    _plain(paragraph.text),
                )
            )
    return rows


def marks_of(briefing: Any) -> set[tuple[str, str]]:
    """What the library's filters on format 2's fields match, as (kind, value): the TLP and
    the analyst (folded) of the briefing; each item's credibility, status (a sale's
    deliveries' too), verdicts, and the fields whose claims are in conflict ("*" for any)."""
    from ..schema import conflicts

    marks: set[tuple[str, str]] = set()
    if briefing.tlp:
        marks.add(("tlp", briefing.tlp))
    if briefing.analyst:
        marks.add(("analyst", briefing.analyst.casefold()))
    for _at, item in briefing.items():
        if item.credibility is not None:
            marks.add(("credibility", str(item.credibility)))
        status = getattr(item, "status", None)
        if isinstance(status, str):
            marks.add(("status", status))
        for delivery in getattr(item, "deliveries", ()):
            marks.add(("status", delivery.status))
        for assessment in item.assessments:
            marks.add(("verdict", assessment.verdict))
        for name in conflicts(item):
            marks.update({("conflict", name), ("conflict", "*")})
    return marks


def _invalid_rows(
    key: str, folder: str, path: Path, info: os.stat_result, diagnostics: list[Diagnostic]
) -> Rows:
    first = diagnostics[0] if diagnostics else None
    error = _valid_utf8(
        f"invalid: {first.line}:{first.column} {first.message}" if first else "invalid"
    )
    deps = [_stat_key(p) for p in _guess_sources(path)]
    return Rows(
        (
            key,
            folder,
            _storable(path.name, NAME_MARK),
            info.st_size,
            info.st_mtime_ns,
            json.dumps(deps),
            0,
            _valid_utf8(path.name),
            "",
            "",
            json.dumps([0] * len(SECTION_KEYS)),
            error,
            store_diagnostics(diagnostics),
            None,
            None,
        )
    )


def read_rows(path: Path, folder: str, info: os.stat_result) -> Rows:
    """Load one briefing (through the loader and its cache) into the rows the index keeps."""
    from ..loader import BriefingError, internal_error, load_briefing

    key = _key(path)
    try:
        loaded = load_briefing(path)
    except BriefingError as error:
        if error.openable and error.partial is not None:  # the reader opens it, quotes marked
            partial = error.partial
            return _valid_rows(
                key, folder, path, info, partial, _valid_utf8(partial.drift_reason())
            )
        return _invalid_rows(key, folder, path, info, error.diagnostics)
    except Exception as error:  # a loader bug still lists the file, never kills the index
        return _invalid_rows(key, folder, path, info, [internal_error(path, error)])
    return _valid_rows(key, folder, path, info, loaded)


# --- diagnostics as stored ------------------------------------------------------------------


def store_diagnostics(diagnostics: Sequence[Diagnostic]) -> str:
    """The diagnostics as the index keeps them: JSON, one StoredDiagnostic a list."""
    return json.dumps([[d.line, d.column, d.severity, d.message, d.file] for d in diagnostics])


def stored_diagnostics(text: str) -> list[StoredDiagnostic]:
    """The diagnostics the index kept, as written by `store_diagnostics`.

    The index is only a cache and anyone may edit it: an entry that is not what it should be
    is left out (a list that is not JSON gives none), and a severity other than "warning"
    reads as an error, so a tampered entry can never make an error look milder.
    """
    try:
        entries = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return []
    kept: list[StoredDiagnostic] = []
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, list) or len(entry) != 5:
            continue
        line, column, severity, message, file = entry
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in (line, column)):
            continue
        if not isinstance(message, str) or not isinstance(file, str):
            continue
        kept.append((line, column, "warning" if severity == "warning" else "error", message, file))
    return kept


def as_diagnostics(stored: Sequence[StoredDiagnostic]) -> list[Diagnostic]:
    """Stored diagnostics as the loader gave them, to show on the error screen."""
    from ..loader import Diagnostic

    return [
        Diagnostic(file, line, column, severity, message)
        for line, column, severity, message, file in stored
    ]


def invalid_reason(stored: Sequence[StoredDiagnostic]) -> str:
    """Why an invalid briefing is invalid, in one line for the library: its first error, not
    its first warning.

    The index keeps every diagnostic, and a changed source puts a warning first ("drift
    report: ..."), before dozens of "quote moved" warnings and the errors that count.
    """
    errors = [d for d in stored if d[2] == "error"]
    first = errors[0] if errors else (stored[0] if stored else None)
    if first is None:
        return ""
    line, _column, _severity, message, _file = first
    count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}" if errors else "invalid"
    # The message first: a narrow column shows its start.
    return f"{' '.join(message.split())} ({count}, line {line})"
