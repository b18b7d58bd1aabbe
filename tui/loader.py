"""Loading a briefing: strict YAML to models, sources read and anchors resolved.

Every problem becomes a Diagnostic with the file, line and column of the YAML node at fault,
pydantic's errors included. Nothing here knows of the screen.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import time
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import cache, collector, strict_yaml
from .files import BRIEFING_CAP, SOURCE_CAP, FileProblem, confine, read_bytes, tree_root
from .safe_text import clean, clip, clipped_repr
from .schema import (
    MODELS,
    SCHEMA_VERSION,
    SCHEMA_VERSIONS,
    Anchor,
    Briefing,
    Problem,
    check_references,
    closest,
)
from .sections import SECTION_KEYS
from .source import (
    DriftStatus,
    ResolveError,
    SourceText,
    Span,
    flatten,
    material_change,
    relocate,
)
from .versions import version_problems

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding, positioned in a file (line and column from 1)."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    drift: bool = False
    """An error only because a source changed under the briefing (a quote lost or reworded,
    a source withheld): the briefing can still be read, its lost quotes marked."""

    def format(self) -> str:
        """gcc style: `path:line:col: error: message`, safe to print on a terminal."""
        return clean(f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}")


class BriefingError(Exception):
    """A briefing that cannot be loaded; diagnostics say every reason found.

    partial is the briefing as far as it could be loaded when its schema is valid: its
    sources and every anchor's resolution, for tools that explain or fix what is wrong
    (`validate --propose-fixes`) and, when `openable`, for the reader.
    """

    def __init__(self, diagnostics: list[Diagnostic], partial: Loaded | None = None) -> None:
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics
        self.partial = partial

    @property
    def openable(self) -> bool:
        """Wrong only because a source changed: readable, its lost quotes marked as lost."""
        return self.partial is not None and all(
            d.drift for d in self.diagnostics if d.severity == "error"
        )


@dataclass(frozen=True, slots=True)
class Evidence:
    """An anchor resolved in its source: the one record of where a quote stands.

    span is where the quote stands as evidence, None when nothing may be shown as such: the
    quote is lost, or it was found again with words whose change touches a number, a
    negation or a name (`changed` says which), so the passage says something else.
    """

    anchor: Anchor
    source: str
    span: Span | None
    status: DriftStatus = "resolves"
    """"resolves", "moved" (in a changed source) or "lost" (not found, or not uniquely)."""
    message: str = ""
    """Why it moved or is lost, as the diagnostics say it ("" when it resolves)."""
    score: float = 1.0
    """How alike the passage found is (1.0: the same words)."""
    changed: str | None = None
    """What a reworded quote's change touches (a number, a negation, a name), if anything."""
    passage: Span | None = None
    """Where the passage closest to such a reworded quote stands: never shown as evidence."""

    @property
    def found(self) -> Span | None:
        """Where the quote, or the passage it became, stands: to propose a fix."""
        return self.span if self.span is not None else self.passage

    @property
    def lost(self) -> bool:
        """Nothing in the source may be shown as this quote."""
        return self.span is None


Located = tuple[tuple[str | int, ...], list[Evidence]]


@dataclass
class Loaded:
    """A briefing with its sources and every anchor resolved (items and source notes).

    Valid when returned by load_briefing; the partial result of a BriefingError otherwise,
    its diagnostics holding the errors too.
    """

    path: Path
    briefing: Briefing
    sources: dict[str, SourceText]
    evidence: dict[str, list[Evidence]]
    """Item id to its evidence, in the order written."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    note_evidence: list[list[Evidence]] = field(default_factory=list)
    """Each source note's evidence, in the order of briefing.source_notes."""
    withheld: list[str] = field(default_factory=list)
    """Ids of sources that changed and in which no quote is found: read, but never shown."""

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def anchored(self) -> Iterator[Located]:
        """(location in the briefing, evidence) of every list of anchors: each item's (its own,
        then its claims' and attributions'), then each source note's."""
        for loc, item in self.briefing.items():
            resolved = self.evidence.get(item.id, [])
            start = 0
            for sub, anchors in item.anchor_groups():  # claims' anchors at their own place
                yield loc + sub, resolved[start : start + len(anchors)]
                start += len(anchors)
        for i, resolved in enumerate(self.note_evidence):
            yield ("source_notes", i), resolved

    def lost(self) -> list[Evidence]:
        """Every quote that cannot be shown as evidence (empty for a valid briefing)."""
        return [e for _loc, resolved in self.anchored() for e in resolved if e.lost]

    def drift_reason(self) -> str:
        """Why a briefing opened after its source changed is not valid, in a few words."""
        lost = len(self.lost())
        if self.withheld:
            return f"source changed: {_count(len(self.withheld), 'source')} withheld"
        return f"source changed: {_count(lost, 'quote')} lost"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def internal_error(path: Path, error: Exception) -> Diagnostic:
    """A loader bug as one diagnostic on the file, so every caller shows it as a bad file is
    shown (never a traceback), in the same words and within the same length."""
    message = f"internal error while loading: {type(error).__name__}: {error}"
    return Diagnostic(display_path(path), 1, 1, "error", clip(message, MAX_MESSAGE))


def display_path(path: Path) -> str:
    """A path as the user would write it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_briefing(path: Path) -> Loaded:
    """Load, validate and resolve a briefing file, or raise BriefingError."""
    return load_keyed(path)[0]


def load_keyed(path: Path) -> tuple[Loaded, str]:
    """load_briefing, with the cache key of the very bytes loaded (tui/plan.py keys the
    reader's first screen by it: re-reading the file after could see other bytes)."""
    shown = display_path(path)
    try:
        real = path.resolve(strict=True)
        raw = read_bytes(real, BRIEFING_CAP)
    except FileProblem as problem:
        raise BriefingError(
            [Diagnostic(shown, 1, 1, "error", f"briefing file {problem}")]
        ) from None
    except OSError as error:
        raise BriefingError(
            [Diagnostic(shown, 1, 1, "error", f"briefing file cannot be read: {error.strerror}")]
        ) from None
    # The tree comes from the path as given: a symlink to the briefing cannot widen it. The
    # same bytes reached through another path may have another tree, so the key holds it too.
    root = tree_root(path)
    name = cache.key(raw, real, root)
    # No cyclic collection while a briefing is built: a load makes hundreds of thousands of
    # objects and no garbage, and each collection would walk them all again.
    with collector.paused():
        loaded = _from_cache(name, real, shown, root)
        if loaded is None:
            # The bytes go once decoded: at 100,000 items they are 46 MB more at the peak.
            text = _decode(raw, shown)
            del raw
            loaded = parse_briefing(text, real, shown, root=root)
            del text
            _to_cache(name, loaded)
    return loaded, name


def _from_cache(name: str, path: Path, shown: str, root: Path) -> Loaded | None:
    """A briefing validated before, if its entry is authentic and every source still matches.

    The entry is authenticated by the cache (its secret, its name, the code that wrote it);
    what is cheap to check is checked again besides: every source's bytes, and that every
    span holds its quote (3 ms for 13,000 anchors). The references are not: 33 ms, a third
    of a warm load. Any doubt is a miss, and a miss is loaded cold.
    """
    found = cache.read(name)
    if found is None:
        return None
    entry, payload = found
    try:
        briefing = _from_payload(payload)
        sources: dict[str, SourceText] = {}
        drifted: set[str] = set()
        for source in briefing.sources:
            raw = read_bytes(confine(source.path, path.parent, root), SOURCE_CAP)
            digest = hashlib.sha256(raw).hexdigest()
            if digest != entry["sources"][source.id]:
                return None
            if digest != source.sha256:
                drifted.add(source.id)  # relocated spans may hold reworded quotes
            sources[source.id] = SourceText(raw.decode("utf-8"), digest)
        default = briefing.sources[0].id
        spans = iter(entry["spans"])  # every anchor's span, items then source notes, in order
        # By position in spans: [score, message] of each quote that moved in a changed source.
        moves: dict[int, Any] = {int(n): move for n, move in entry["moved"].items()}
        count = 0

        def resolved(anchors: list[Anchor]) -> list[Evidence] | None:
            nonlocal count
            out: list[Evidence] = []
            for anchor in anchors:
                sid = anchor.source or default
                number, start, end = next(spans)
                move = moves.get(count) if moves else None
                count += 1
                if move is not None and sid not in drifted:
                    return None  # only a changed source moves a quote
                # The span holds the quote (whitespace runs loosely), on its paragraph: a
                # relocated one only when its words are the same (score 1). Inline: 13,000
                # anchors in a warm load that takes 110 ms.
                if number < 1:
                    return None
                text = sources[sid].paragraphs[number - 1].text
                if not 0 <= start <= end <= len(text):
                    return None
                score, message = (1.0, "") if move is None else (float(move[0]), str(move[1]))
                if score == 1.0:
                    if move is None and anchor.paragraph is not None and anchor.paragraph != number:
                        return None
                    words = text[start:end]
                    if words != anchor.quote and flatten(words) != flatten(anchor.quote):
                        return None
                elif sid not in drifted:
                    return None
                span = Span(number, start, end)
                out.append(
                    Evidence(anchor, sid, span)
                    if move is None
                    else Evidence(anchor, sid, span, "moved", message, score)
                )
            return out

        evidence: dict[str, list[Evidence]] = {}
        for _loc, item in briefing.items():
            got = resolved(item.anchors())
            if got is None:
                return None
            evidence[item.id] = got
        notes: list[list[Evidence]] = []
        for note in briefing.source_notes:
            got = resolved(note.evidence)
            if got is None:
                return None
            notes.append(got)
        if next(spans, None) is not None or len(moves) > count:
            return None
        diagnostics = [Diagnostic(shown, *d) for d in entry["diagnostics"]]
    except (FileProblem, IndexError, KeyError, TypeError, ValueError, StopIteration):
        return None
    if any(d.severity == "error" for d in diagnostics):
        return None
    return Loaded(path, briefing, sources, evidence, diagnostics, notes)


def _to_cache(name: str, loaded: Loaded) -> None:
    if cache.folder() is None:
        return  # caching is off: the payload would be made for nothing (40 ms at 10,000 items)
    # Every anchor's evidence in anchored()'s order (items', then source notes'): a valid
    # briefing's evidence lists hold each item's anchors in that order, whole, so they are
    # joined as they are rather than cut again per group of anchors.
    every: list[Evidence] = []
    for _loc, item in loaded.briefing.items():
        every += loaded.evidence.get(item.id, ())
    for resolved in loaded.note_evidence:
        every += resolved
    if any(e.span is None for e in every):
        return  # a valid briefing resolves every quote; anything else is loaded cold
    cache.write(
        name,
        {
            "sources": {sid: s.digest for sid, s in loaded.sources.items()},
            "spans": [[e.span.paragraph, e.span.start, e.span.end] for e in every if e.span],
            "moved": {
                str(n): [e.score, e.message] for n, e in enumerate(every) if e.status != "resolves"
            },
            "diagnostics": [[d.line, d.column, d.severity, d.message] for d in loaded.diagnostics],
        },
        _payload_pieces(loaded.briefing),
    )


def _to_payload(briefing: Briefing) -> bytes:
    """The cache payload of a briefing, whole (see _payload_pieces)."""
    return b"".join(_payload_pieces(briefing))


def _payload_pieces(briefing: Briefing) -> list[bytes]:
    """The briefing as lines of JSON: the briefing with its long sections empty, then each
    chunk of VALIDATE_CHUNK items as `section<TAB>[...]`. Read back a chunk at a time, with
    the GIL let go between, as a cold load validates (one call for 100,000 items held it for
    0.8 s). Fields left out of the YAML stay out: a third less JSON to read back, and the
    models read back have the same fields set as those written. JSON holds no raw newline.

    In pieces, the lines and the newlines between them, written and signed in turn: the whole
    payload of 100,000 items (about 40 MB) is never one more copy in memory."""
    long = [key for key in SECTION_KEYS if len(getattr(briefing, key)) > VALIDATE_CHUNK]
    shell = briefing.model_copy(update={key: [] for key in long}) if long else briefing
    lines = [shell.model_dump_json(by_alias=True, exclude_unset=True).encode("utf-8")]
    for key in long:
        adapter = _section_adapter(key)
        items = getattr(briefing, key)
        for start in range(0, len(items), VALIDATE_CHUNK):
            chunk = adapter.dump_json(
                items[start : start + VALIDATE_CHUNK], by_alias=True, exclude_unset=True
            )
            lines.append(key.encode("ascii") + b"\t" + chunk)
            time.sleep(0)  # a turn for the other threads
    pieces = [b"\n"] * (2 * len(lines) - 1)
    pieces[::2] = lines
    return pieces


def _from_payload(payload: bytes) -> Briefing:
    """A briefing from _to_payload's lines; ValueError (pydantic's included) when malformed."""
    first, *chunks = payload.split(b"\n")
    briefing = Briefing.model_validate_json(first)
    validated: dict[str, list[Any]] = {}
    for line in chunks:
        name, tab, chunk = line.partition(b"\t")
        key = name.decode("ascii", "replace")
        if not tab or key not in SECTION_KEYS or getattr(briefing, key):
            raise ValueError("not a chunk of a long section")
        validated.setdefault(key, []).extend(
            _section_adapter(key).validate_json(chunk, strict=True)
        )
        time.sleep(0)  # a turn for the other threads
    for key, section in validated.items():
        briefing.__dict__[key] = section  # frozen model: as validation itself sets fields
    return briefing


def _decode(raw: bytes, shown: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise BriefingError(
            [
                Diagnostic(
                    shown,
                    line,
                    column,
                    "error",
                    f"not UTF-8: byte 0x{raw[error.start]:02X} cannot be decoded; "
                    "save the file as UTF-8",
                )
            ]
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


@collector.paused()
def parse_briefing(
    raw: bytes | str, path: Path, shown: str | None = None, *, root: Path | None = None
) -> Loaded:
    """Validate a briefing's bytes (or its text, already decoded by _decode: load_keyed lets
    the bytes go first); path says where its sources are looked for.

    root is the tree they must stay in (files.tree_root of the path the user gave; by default
    that of path).
    """
    shown = shown or display_path(path)
    text = raw if isinstance(raw, str) else _decode(raw, shown)
    del raw
    try:
        data, positions = strict_yaml.load(text, mapped_entries=True)
    except strict_yaml.YamlProblem as problem:
        line, column = problem.position
        raise BriefingError(
            [Diagnostic(shown, line + 1, column + 1, "error", problem.message)]
        ) from None

    def at(problem: Problem) -> Diagnostic:
        (line, column), _found = positions.locate(problem.loc, problem.at_key)
        return Diagnostic(shown, line + 1, column + 1, problem.severity, problem.message)

    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise BriefingError([at(Problem((), f"a briefing is a mapping of fields, not {kind}"))])
    version = data.get("schema")
    if version not in SCHEMA_VERSIONS or isinstance(version, bool):
        message = (
            f"missing 'schema: {SCHEMA_VERSION}' (the format version) at the top of the file"
            if "schema" not in data
            else f"schema {clipped_repr(data['schema'])} is not a version this reader knows; "
            f"expected {' or '.join(map(str, SCHEMA_VERSIONS))}"
        )
        raise BriefingError([at(Problem(("schema",), message))])
    misused = version_problems(data, version)
    try:
        briefing = _validate(data, release=True)
    except _Invalid as invalid:
        problems = [*misused, *pydantic_problems(invalid.details, data)]
        raise BriefingError(sorted(map(at, problems), key=_order)) from None
    if misused:
        raise BriefingError(sorted(map(at, misused), key=_order))
    del data  # the models hold what is needed; positions, if asked for, parse their own

    problems = check_references(briefing)
    sources: dict[str, SourceText] = {}
    evidence: dict[str, list[Evidence]] = {}
    notes: list[list[Evidence]] = []
    drifted: set[str] = set()
    drift: list[Problem] = []  # errors only because a source changed
    problems.extend(_read_sources(briefing, path, sources, drifted, root))
    problems.extend(_resolve_all(briefing, sources, drifted, evidence, notes, drift))
    withheld = _withhold_unfounded(briefing, sources, drifted, evidence, notes)
    drift.extend(problem for _sid, problem in withheld)
    from .value_checks import check_values  # the validation path only: not at reader start

    problems.extend(check_values(briefing))
    diagnostics = sorted(
        [*map(at, problems), *(dataclasses.replace(at(p), drift=True) for p in drift)],
        key=_order,
    )
    loaded = Loaded(
        path, briefing, sources, evidence, diagnostics, notes, [sid for sid, _p in withheld]
    )
    if any(d.severity == "error" for d in diagnostics):
        raise BriefingError(diagnostics, loaded)
    return loaded


def _order(diagnostic: Diagnostic) -> tuple[bool, int, int]:
    """Errors first, each kind in file order: the errors are what must be fixed, and a
    changed source adds a warning for every quote that moved."""
    return diagnostic.severity != "error", diagnostic.line, diagnostic.column


def _read_sources(
    briefing: Briefing,
    path: Path,
    sources: dict[str, SourceText],
    drifted: set[str],
    root: Path | None = None,
) -> list[Problem]:
    """Read each source inside the briefing's tree; note those whose sha256 changed.

    A source that cannot be read as UTF-8 text is an error and is not kept: nothing shows it.
    """
    problems: list[Problem] = []
    root = tree_root(path) if root is None else root
    for i, source in enumerate(briefing.sources):
        try:
            real = confine(source.path, path.parent, root)
            raw = read_bytes(real, SOURCE_CAP)
        except FileProblem as problem:
            problems.append(Problem(("sources", i, "path"), f"source {problem}"))
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(
                Problem(
                    ("sources", i, "path"),
                    f"source is not UTF-8 (bad byte at offset {error.start})",
                )
            )
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest != source.sha256:
            drifted.add(source.id)
            problems.append(
                Problem(
                    ("sources", i, "sha256"),
                    f"source {source.path!r} has changed since the briefing was written "
                    f"(sha256 is now {digest}); anchors are checked for drift",
                    "warning",
                )
            )
        sources[source.id] = SourceText(text, digest)
    return problems


def _withhold_unfounded(
    briefing: Briefing,
    sources: dict[str, SourceText],
    drifted: set[str],
    evidence: dict[str, list[Evidence]],
    notes: list[list[Evidence]],
) -> list[tuple[str, Problem]]:
    """A source that matches neither its sha256 nor any of its quotes is not shown.

    Nothing then says it is the file the briefing was written from: it could be any file in
    the tree (a key, say), and showing it would be reading it out. Its quotes, none of which
    is found, are all lost already.
    """
    if not drifted:
        return []
    founded: set[str] = set()
    for cited in [*evidence.values(), *notes]:
        founded.update(e.source for e in cited if e.found is not None)
    withheld: list[tuple[str, Problem]] = []
    for i, source in enumerate(briefing.sources):
        if source.id in drifted and source.id not in founded:
            sources.pop(source.id, None)
            message = (
                f"source {clipped_repr(source.path)} does not match its sha256 and none of its "
                "quotes is found in it; it is not shown"
            )
            withheld.append((source.id, Problem(("sources", i, "sha256"), message)))
    return withheld


def _resolve_all(
    briefing: Briefing,
    sources: dict[str, SourceText],
    drifted: set[str],
    evidence: dict[str, list[Evidence]],
    notes: list[list[Evidence]],
    drift: list[Problem],
) -> list[Problem]:
    """Resolve every anchor, items' and source notes', into evidence and notes.

    Returns the problems; those that are errors only because a source changed go to drift.
    """
    problems: list[Problem] = []
    default = briefing.sources[0].id
    tally = {"resolves": 0, "moved": 0, "lost": 0}
    for loc, item in briefing.items():
        # An item's own evidence, then its claims' and attributions' (anchor_groups' order).
        found: list[Evidence] = []
        for sub, anchors in item.anchor_groups():
            for j, anchor in enumerate(anchors):
                source_id = anchor.source or default
                source = sources.get(source_id)
                if source is None or source_id in drifted:
                    found.append(
                        _resolve_one(
                            anchor,
                            default,
                            sources,
                            drifted,
                            loc + sub + ("evidence", j),
                            problems,
                            drift,
                            tally,
                        )
                    )
                    continue
                # _resolve_one's rule for a source that has not changed, inline: nearly every
                # anchor takes it (13,000 at 10,000 items), and the call cost a third as much
                # as the search.
                try:
                    span = source.resolve(anchor)
                except ResolveError as error:
                    found.append(
                        _unresolved(anchor, source_id, error, loc + sub + ("evidence", j), problems)
                    )
                    continue
                tally["resolves"] += 1
                found.append(Evidence(anchor, source_id, span))
        evidence[item.id] = found
    for i, note in enumerate(briefing.source_notes):
        notes.append(
            [
                _resolve_one(
                    anchor,
                    default,
                    sources,
                    drifted,
                    ("source_notes", i, "evidence", j),
                    problems,
                    drift,
                    tally,
                )
                for j, anchor in enumerate(note.evidence)
            ]
        )
    if drifted:
        problems.append(
            Problem(
                ("sources",),
                f"drift report: {tally['resolves']} quotes still resolve, {tally['moved']} moved, "
                f"{tally['lost']} lost",
                "warning",
            )
        )
    return problems


def _resolve_one(
    anchor: Anchor,
    default: str,
    sources: dict[str, SourceText],
    drifted: set[str],
    loc: tuple[str | int, ...],
    problems: list[Problem],
    drift: list[Problem],
    tally: dict[str, int],
) -> Evidence:
    """The rule, in one place: resolve, or relocate when the source changed."""
    source_id = anchor.source or default
    source = sources.get(source_id)
    if source is None:  # the source itself is already reported
        return Evidence(anchor, source_id, None, "lost", "its source cannot be read", 0.0)
    if source_id in drifted:
        found = relocate(source, anchor)
        tally[found.status] += 1
        span, touched = found.span, None
        if found.status == "moved" and span is not None and found.score < 1.0:
            # Changed words: an edit to a number, a negation or a name makes the passage
            # found say something else, and highlighting it would show false evidence.
            now = source.paragraph(span.paragraph).text[span.start : span.end]
            touched = material_change(anchor.quote, now)
        if touched is not None:
            message = f"quote {found.message}; the change touches {touched}"
            drift.append(Problem(loc + ("quote",), message))
            return Evidence(
                anchor, source_id, None, found.status, found.message, found.score, touched, span
            )
        if found.status == "lost":
            drift.append(Problem(loc + ("quote",), f"quote {found.message}"))
        elif found.status == "moved":
            problems.append(Problem(loc + ("quote",), f"quote {found.message}", "warning"))
        else:
            return Evidence(anchor, source_id, span)
        return Evidence(anchor, source_id, span, found.status, found.message, found.score)
    try:
        span = source.resolve(anchor)
    except ResolveError as error:
        return _unresolved(anchor, source_id, error, loc, problems)
    tally["resolves"] += 1
    return Evidence(anchor, source_id, span)


def _unresolved(
    anchor: Anchor,
    source_id: str,
    error: ResolveError,
    loc: tuple[str | int, ...],
    problems: list[Problem],
) -> Evidence:
    """A quote that does not resolve in a source that has not changed: an error, lost."""
    problems.append(Problem(loc + (error.field,), str(error)))
    return Evidence(anchor, source_id, None, "lost", str(error), 0.0)


# --- pydantic errors to positioned problems -------------------------------------------------


MAX_PROBLEMS = 100
"""Problems reported from one validation: a file wrong in a hundred thousand places gets the
first hundred and a count of the rest, not a hundred thousand lines."""
MAX_MESSAGE = 240
"""Characters of one message: with `file:line:col: error: ` a line stays about 300 long."""


VALIDATE_CHUNK = 2_000
"""Items of a section validated per call. pydantic holds the GIL for a whole call: a
100,000-item briefing validated in one kept signal handlers and the interface waiting
0.6 s on an idle machine and up to 2.6 s on a busy one; 2,000 items take about 20 ms."""


class _Invalid(Exception):
    def __init__(self, details: list[Any]) -> None:
        super().__init__(f"{len(details)} validation errors")
        self.details = details


def _validate(data: dict[str, Any], release: bool = False) -> Briefing:
    """Briefing.model_validate(data), its long sections a chunk at a time with the GIL let go
    in between; the same model, and the same errors at the same places, as in one call. The
    file's version is the models' context: it says which name of a renamed field is required.

    With release, each chunk that validates is dropped from data (its entries become None):
    the caller drops data after, and only the places of problems are read in it, which lie in
    chunks that did not validate. The parsed mappings of 100,000 items (about 200 MB) are then
    freed as their models are made, rather than held beside them all to the end.
    """
    version = data.get("schema")
    long = [
        key
        for key in SECTION_KEYS
        if isinstance(data.get(key), list) and len(data[key]) > VALIDATE_CHUNK
    ]
    if not long:
        try:
            return Briefing.model_validate(data, context={"version": version})
        except ValidationError as error:
            raise _Invalid(error.errors(include_url=False)) from None
    details: list[Any] = []
    briefing: Briefing | None = None
    try:  # everything else, the long sections left empty
        briefing = Briefing.model_validate(
            {**data, **{key: [] for key in long}}, context={"version": version}
        )
    except ValidationError as error:
        details.extend(error.errors(include_url=False))
    validated: dict[str, list[Any]] = {}
    for key in long:
        adapter = _section_adapter(key)
        items = data[key]
        done: list[Any] = []
        for start in range(0, len(items), VALIDATE_CHUNK):
            chunk = items[start : start + VALIDATE_CHUNK]
            try:
                done += adapter.validate_python(chunk, strict=True, context={"version": version})
            except ValidationError as error:
                for detail in error.errors(include_url=False):
                    index, *rest = detail["loc"]
                    detail["loc"] = (key, start + int(index), *rest)
                    details.append(detail)
            else:
                if release:
                    items[start : start + len(chunk)] = [None] * len(chunk)
            del chunk
            time.sleep(0)  # a turn for the other threads: signal handlers, the interface
        validated[key] = done
    if details or briefing is None:
        raise _Invalid(details)
    for key, section in validated.items():
        briefing.__dict__[key] = section  # frozen model: as validation itself sets fields
    return briefing


@functools.cache
def _section_adapter(key: str) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[MODELS[key]])  # type: ignore[valid-type]  # a model per key


def pydantic_problems(details: Iterable[Any], data: Any) -> list[Problem]:
    """Turn pydantic's errors into problems located in the data, one per place.

    At most MAX_PROBLEMS + 1: past MAX_PROBLEMS, the next one says how many more places were
    wrong (nothing is dropped silently) and the rest are only counted.
    """
    seen: set[tuple[str | int, ...]] = set()
    problems: list[Problem] = []
    previous: dict[int, dict[Any, Any]] = {}  # per mapping, each key's previous key
    more = 0
    for detail in details:
        raw = tuple(detail["loc"])
        loc = _data_path(raw, data)
        if _text_member_of_a_mapping(detail, raw):
            continue
        if loc in seen:
            continue
        seen.add(loc)
        if len(problems) > MAX_PROBLEMS:
            more += 1
            continue
        at_key = detail["type"] == "extra_forbidden"
        comma = at_key and _comma_in_flow(data, loc, previous)
        message = clip(comma, MAX_MESSAGE) if comma else _message(detail, loc)
        problems.append(Problem(loc, message, at_key=at_key))
    if more:
        last = problems[-1]
        message = f"{clip(last.message, MAX_MESSAGE - 50)} (and {more:,} more problems not shown)"
        problems[-1] = Problem(last.loc, message, last.severity, last.at_key)
    return problems


def _text_member_of_a_mapping(detail: Any, raw: tuple[Any, ...]) -> bool:
    """Whether an error is a text-or-mapping union's text member refusing a mapping (an alias
    written {name, language}): the mapping member says what is wrong with it, and "expected
    text, got a mapping" came first and took the place's one message."""
    return (
        detail["type"] == "string_type"
        and isinstance(detail.get("input"), dict)
        and bool(raw)
        and raw[-1] in ("str", "constrained-str")  # pydantic's tag of a union's text member
    )


def _comma_in_flow(
    data: Any, loc: tuple[str | int, ...], previous: dict[int, dict[Any, Any]]
) -> str | None:
    """The unknown field a comma makes of a value's tail in `{role: about 2,500 men}`, or None.

    A key with no value after one whose value is text or a number is what a comma inside a
    flow mapping leaves: `role: about 2` and a key `500 men`. Block mappings need the colon.
    """
    node: Any = data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    if not isinstance(node, dict) or node.get(loc[-1], 0) is not None:
        return None
    if id(node) not in previous:  # once per mapping: a million unknown keys stay linear
        keys = list(node)
        previous[id(node)] = dict(zip(keys[1:], keys, strict=False))
    before = previous[id(node)].get(loc[-1])
    if before is None:
        return None
    value = node[before]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    tail = str(loc[-1])
    digits = tail[: len(tail) - len(tail.lstrip("0123456789"))]
    if isinstance(value, int | float) and digits:
        return (
            f"unknown field {clipped_repr(loc[-1])}: a comma inside {{...}} ends the value of "
            f"{clipped_repr(before)}; write the number without its comma: "
            f"{clip(str(before), 60)}: {value}{digits}"
        )
    whole = f"{value},{'' if digits else ' '}{tail}"
    return (
        f"unknown field {clipped_repr(loc[-1])}: a comma inside {{...}} ends the value of "
        f"{clipped_repr(before)}; if {clipped_repr(before)} is {clipped_repr(whole)}, put the value in quotes: "
        f"{clip(str(before), 60)}: {clipped_repr(whole)}"
    )


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[str | int, ...]:
    """The part of pydantic's loc that exists in the data (drops union member tags)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and len(path) == len(loc) - 1:
            path.append(part)  # a missing field: point at its mapping, name it
            break
        else:
            continue
        path.append(part)
    return tuple(path)


def _model_at(path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that validates the mapping at path, if one does."""
    current: Any = Briefing
    for part in path:
        if isinstance(part, int):
            current = _unwrap(current, list_item=True)
        else:
            model = _unwrap(current)
            if model is None or not (isinstance(model, type) and issubclass(model, BaseModel)):
                return None
            fields = model.model_fields
            name = next((n for n, f in fields.items() if (f.alias or n) == part), None)
            if name is None:
                return None
            current = fields[name].annotation
    model = _unwrap(current)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any, list_item: bool = False) -> Any:
    """Strip Optional/Annotated/list wrappers to the model inside, if any."""
    for _ in range(6):
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin is list and list_item:
            annotation = typing.get_args(annotation)[0]
            list_item = False
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
            annotation = models[0] if models else (members[0] if members else None)
        else:
            return annotation
    return annotation


def _message(detail: Any, loc: tuple[str | int, ...]) -> str:
    """One message for one pydantic error, at most MAX_MESSAGE characters long."""
    return clip(_full_message(detail, loc), MAX_MESSAGE)


_HINT_LENGTH = 100
"""Longest word offered to closest(): difflib indexes every character of what it is given,
and no field or option name is anywhere near this long."""


def _full_message(detail: Any, loc: tuple[str | int, ...]) -> str:
    kind = detail["type"]
    field_name = _shown_name(loc[-1]) if loc and isinstance(loc[-1], str) else None
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        known = sorted((f.alias or n) for n, f in model.model_fields.items()) if model else []
        name = str(loc[-1])
        hint = closest(name, known) if known and len(name) <= _HINT_LENGTH else None
        text = f"unknown field {clipped_repr(name)}"
        if hint:
            return f"{text}; did you mean {hint!r}?"
        return text + (f"; expected one of: {', '.join(known)}" if known else "")
    if kind == "missing":
        wanted = detail["loc"][-1]
        return f"missing required field {wanted!r}"
    message = str(detail["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        given = detail.get("input")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        hint = (
            closest(given, options)
            if isinstance(given, str) and len(given) <= _HINT_LENGTH
            else None
        )
        message = f"{clipped_repr(given)} is not allowed; expected {expected}"
        if hint:
            message += f"; did you mean {hint!r}?"
    elif kind == "string_pattern_mismatch" and field_name:
        help_text = _PATTERN_HELP.get(field_name, message)
        message = f"{clipped_repr(detail.get('input'))} is not a valid {field_name}: {help_text}"
    elif kind in ("greater_than_equal", "less_than_equal", "too_short", "too_long"):
        message = f"{message[0].lower()}{message[1:]} (got {_kind_of(detail.get('input'))})"
    elif kind in _EXPECTED:
        given = detail.get("input")
        what = _EXPECTED[kind]
        if kind in ("int_type", "float_type") and detail["loc"][-1] in ("int", "float"):
            what = "a number"
        message = f"expected {what}, got {_kind_of(given)}"
        if kind == "string_type" and isinstance(given, int | float):
            # As written (1.10, not 1.1): following the hint must not change the text.
            shown = strict_yaml.written(given)
            quote = '"' if "'" in shown else "'"
            message += f"; write it in quotes: {quote}{shown}{quote}"
    return (
        f"{field_name}: {message}" if field_name and not message.startswith(field_name) else message
    )


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "dict_type": "a mapping",
}

_PATTERN_HELP = {
    "id": "use lower-case letters, digits and hyphens",
    "sha256": "64 lower-case hex digits",
    "value": "write YYYY, YYYY-MM or YYYY-MM-DD",
    "end": "write YYYY, YYYY-MM or YYYY-MM-DD",
    "country": "two capital letters (ISO 3166-1 alpha-2)",
    "currency": "three capital letters (ISO 4217)",
    "wikidata": "Q followed by digits",
    "language": "a language tag such as en or zh-Hans",
}


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = clip(value, 40)
        return f"text {shown!r}"
    if isinstance(value, int | float):
        kind = "int" if isinstance(value, int) else "float"
        return f"{kind} {strict_yaml.written(value)}"
    return f"{type(value).__name__} {clipped_repr(value)}"


def _shown_name(name: str) -> str:
    """A key from the file named in a message (unquoted, as field names are), clipped."""
    return clip(name, 60)
