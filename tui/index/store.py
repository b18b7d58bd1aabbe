"""The library index in SQLite: what is stored, how it is brought up to date, what it answers.

See the package's docstring (tui/index/__init__.py) for the rules it keeps.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cache import code_version
from ..files import folder_briefings
from ..places import cache_folder, make_private
from ..sections import SECTION_KEYS
from .query import Query, fts_query, parse_query
from .rows import (
    MARK_END,
    MARK_START,
    Rows,
    StoredDiagnostic,
    _key,
    _name,
    _stat_key,
    read_rows,
    stored_diagnostics,
)

TABLES = 4
"""Version of the tables below and of what their rows hold: raise it when either changes (4:
relationships' labels name their parties)."""


def layout_key(section_keys: Sequence[str]) -> str:
    """The layout an index is written in: the tables' version and the sections, in order.

    Stored rows depend on the section registry (tui/sections.py): a briefing's counts are a
    list in the registry's order, and items are stored under their section's key. An index
    written under another registry (a section added, removed, renamed or moved) would be
    misread, so it counts as another layout and is rebuilt. Aliases are not stored (a filter's
    word becomes a key when the query is parsed), so they do not count.
    """
    digest = hashlib.sha256("\0".join(section_keys).encode()).hexdigest()[:16]
    return f"{TABLES}:{digest}"


LAYOUT = layout_key(SECTION_KEYS)
"""This program's layout; an index of another is dropped and rebuilt."""
FILE_NAME = "library.sqlite3"
BUSY_TIMEOUT_MS = 10_000
SEARCH_LIMIT = 200
PARALLEL_MIN = 40
"""Files to read before the work is shared with helper processes (each costs ~0.5 s to start)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS briefings(
    path TEXT PRIMARY KEY,
    folder TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    deps TEXT NOT NULL,
    valid INTEGER NOT NULL,
    title TEXT NOT NULL,
    outlet TEXT NOT NULL,
    date_shown TEXT NOT NULL,
    counts TEXT NOT NULL,
    error TEXT NOT NULL,
    diagnostics TEXT NOT NULL,
    pub_min TEXT,
    pub_max TEXT
);
CREATE INDEX IF NOT EXISTS briefings_folder ON briefings(folder, name);
CREATE TABLE IF NOT EXISTS items(
    path TEXT NOT NULL, item_id TEXT NOT NULL, ord INTEGER NOT NULL, section TEXT NOT NULL,
    label TEXT NOT NULL, date_min TEXT, date_max TEXT,
    PRIMARY KEY(path, item_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS parties(
    path TEXT NOT NULL, party_id TEXT NOT NULL, name TEXT NOT NULL, folded TEXT NOT NULL,
    country TEXT,
    PRIMARY KEY(path, party_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS roles(
    path TEXT NOT NULL, party_id TEXT NOT NULL, item_id TEXT NOT NULL, role TEXT NOT NULL,
    ord INTEGER NOT NULL,
    PRIMARY KEY(path, party_id, ord)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS docs(
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL,
    source TEXT NOT NULL,
    section TEXT NOT NULL,
    label TEXT NOT NULL,
    open_at TEXT
);
CREATE INDEX IF NOT EXISTS docs_path ON docs(path);
CREATE TABLE IF NOT EXISTS marks(
    path TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY(path, kind, value)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    text, tokenize = 'unicode61 remove_diacritics 2'
);
"""
_TABLES = ("meta", "briefings", "items", "parties", "roles", "docs", "marks", "fts")


def default_path() -> Path | None:
    """Where the index lives; None (in memory) when caching is off (BRIEFING_NO_CACHE=1)."""
    folder = cache_folder()
    return None if folder is None else folder / FILE_NAME


# --- what the index answers ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Record:
    """One briefing file as the library lists it (raw strings: clean them to show them)."""

    key: str
    """Opaque: what `records_for` and `diagnostics` take; not always the path itself."""
    name: str
    """The file name in the folder (its bytes kept as lone surrogates when not UTF-8)."""
    valid: bool
    title: str
    outlet: str
    date: str
    counts: tuple[int, ...]
    error: str

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True, slots=True)
class LibraryHit:
    """A full-text search hit: an item of a briefing, or a paragraph of one of its sources."""

    key: str
    name: str
    title: str
    kind: str
    """"item" or "paragraph"."""
    ref: str
    """The item id, or the paragraph number as text."""
    source: str
    section: str
    label: str
    snippet: list[tuple[str, bool]]
    """The matching words in context: (text, matched) pieces."""
    start: str | int | None
    """Where the briefing opens: an item id, a paragraph number of the shown source, or None."""


@dataclass(frozen=True, slots=True)
class Involvement:
    """One item of a briefing in which a party takes part."""

    item_id: str
    section: str
    label: str
    role: str
    """"entry" for the party's own entry; else the fields it stands in ("supplier", …)."""


@dataclass
class PartyGroup:
    """A party of one briefing and every item involving it."""

    key: str
    name: str
    title: str
    party_id: str
    party_name: str
    country: str | None
    items: list[Involvement] = field(default_factory=list)


@dataclass
class Report:
    """What a refresh did: the files read again, the rows dropped, the files listed."""

    read: list[str] = field(default_factory=list)
    dropped: int = 0
    total: int = 0


@dataclass
class Plan:
    """A folder compared with the index: what must be read, what is current."""

    folder: str
    files: list[tuple[Path, os.stat_result]]
    stale: list[tuple[Path, os.stat_result]]
    dropped: int


# --- the index -------------------------------------------------------------------------------


def _is_corruption(error: sqlite3.DatabaseError) -> bool:
    if isinstance(error, sqlite3.OperationalError):
        text = str(error).lower()
        return "malformed" in text or "not a database" in text or "no such table" in text
    return not isinstance(error, sqlite3.IntegrityError | sqlite3.ProgrammingError)


class LibraryIndex:
    """The SQLite index of briefing folders. Thread-safe: one connection behind a lock."""

    def __init__(self, path: Path | str | None = "default") -> None:
        self.path: Path | None = (
            default_path() if path == "default" else Path(path) if path else None
        )
        self.notice: str | None = None
        self._lock = threading.RLock()
        self._db = self._open()

    # --- opening --------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        target = ":memory:" if self.path is None else str(self.path)
        if self.path is not None:
            if self.path == default_path():
                make_private(self.path.parent)  # the cache folder: its secret lives there too
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(
            target, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None
        )
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            db.close()
            raise
        return db

    def _open(self) -> sqlite3.Connection:
        if self.path is None:
            return self._connect_prepared()
        try:
            return self._open_file()
        except (sqlite3.Error, OSError) as error:
            # No index file to be had: a read-only cache folder, a folder where the file should
            # be, no room. The library still works from an index in memory; say so.
            reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
            self.notice = f"library index kept in memory: {self.path} cannot be used ({reason})"
            self.path = None
            return self._connect_prepared()

    def _open_file(self) -> sqlite3.Connection:
        """The index file opened; one that is not a database, or is damaged, is replaced."""
        try:
            return self._connect_prepared()
        except sqlite3.DatabaseError as error:
            if not _is_corruption(error):
                raise
        self._replace_file()
        self.notice = "The library index was damaged; it was replaced and is being rebuilt"
        return self._connect_prepared()

    def _connect_prepared(self) -> sqlite3.Connection:
        db = self._connect()
        try:
            self._prepare(db)
        except BaseException:
            db.close()
            raise
        return db

    def _replace_file(self) -> None:
        assert self.path is not None
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(str(self.path) + suffix)

    def _prepare(self, db: sqlite3.Connection) -> None:
        """Tables made if missing; an index of another layout dropped and made again."""
        with _transaction(db):
            names = {
                row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            written: dict[str, str] = {}
            if "meta" in names:
                written = dict(db.execute("SELECT key, value FROM meta").fetchall())
            # Rows hold the loader's verdicts (valid or not, the first error), so an index
            # written by other code is as stale as another layout: an upgrade must not keep
            # showing the old program's answer until each file changes.
            code = code_version()
            if names and (written.get("layout") != LAYOUT or written.get("code") != code):
                for table in _TABLES:
                    db.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('layout', ?)", (LAYOUT,))
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('code', ?)", (code,))
            # Touch every table once: a damaged file fails here, not in the middle of a query.
            for table in _TABLES:
                db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()

    def close(self) -> None:
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._db.close()

    def __enter__(self) -> LibraryIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run work on the connection; a damaged file is replaced once and work run again."""
        with self._lock:
            try:
                return work(self._db)
            except sqlite3.DatabaseError as error:
                if self.path is None or not _is_corruption(error):
                    raise
                with contextlib.suppress(sqlite3.Error):
                    self._db.close()
                self._replace_file()
                self.notice = "The library index was damaged; it was replaced and is being rebuilt"
                self._db = self._connect()
                self._prepare(self._db)
                return work(self._db)

    # --- building ---------------------------------------------------------------------------

    def plan(self, folder: Path) -> Plan:
        """Compare a folder with the index: drop rows of files gone, list what must be read."""
        folder_key = _key(folder)
        files: list[tuple[Path, os.stat_result]] = []
        for path in folder_briefings(folder):
            with contextlib.suppress(OSError):
                files.append((path, path.stat()))

        def known(db: sqlite3.Connection) -> dict[str, tuple[int, int, str]]:
            rows = db.execute(
                "SELECT path, size, mtime_ns, deps FROM briefings WHERE folder = ?", (folder_key,)
            )
            return {row[0]: (row[1], row[2], row[3]) for row in rows}

        stored = self._run(known)
        present = {_key(path) for path, _info in files}
        gone = [key for key in stored if key not in present]
        if gone:
            self.forget(gone)
        stale = []
        dep_keys: dict[str, list[Any]] = {}
        for path, info in files:
            found = stored.get(_key(path))
            if found is None or found[0] != info.st_size or found[1] != info.st_mtime_ns:
                stale.append((path, info))
                continue
            try:
                deps = json.loads(found[2])
            except ValueError:
                stale.append((path, info))
                continue
            for dep in deps:
                name = str(dep[0])
                if name not in dep_keys:
                    dep_keys[name] = _stat_key(Path(name))
                if dep_keys[name] != list(dep):
                    stale.append((path, info))
                    break
        return Plan(folder_key, files, stale, len(gone))

    def forget(self, keys: Sequence[str]) -> None:
        """Drop every row of these briefing files."""

        def work(db: sqlite3.Connection) -> None:
            with _transaction(db):
                for key in keys:
                    _delete(db, key)

        self._run(work)

    def store(self, rows: Rows) -> None:
        """Replace one briefing's rows, in one transaction."""
        self.store_many([rows])

    def store_many(self, many: Sequence[Rows]) -> None:
        """Replace the rows of several briefings, in one transaction."""

        def work(db: sqlite3.Connection) -> None:
            with _transaction(db):
                for rows in many:
                    _insert(db, rows)

        self._run(work)

    def update(
        self,
        plan: Plan,
        progress: Callable[[int, int, list[Record]], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        every: float = 0.1,
        read: Callable[[Path, str, os.stat_result], Rows] = read_rows,
    ) -> Report:
        """Read every stale file of a plan into the index; progress(done, total, new records)
        about every `every` seconds and at the end. Stops early when cancelled() says so."""
        report = Report(dropped=plan.dropped, total=len(plan.files))
        batch: list[str] = []
        last = time.monotonic()
        total = len(plan.stale)
        for done, (path, info) in enumerate(plan.stale, 1):
            if cancelled is not None and cancelled():
                break
            rows = read(path, plan.folder, info)
            self.store(rows)
            report.read.append(rows.record[0])
            batch.append(rows.record[0])
            now = time.monotonic()
            if progress is not None and (now - last >= every or done == total):
                progress(done, total, self.records_for(batch))
                batch = []
                last = now
        if progress is not None and batch:
            progress(len(report.read), total, self.records_for(batch))
        return report

    def update_parallel(
        self,
        plan: Plan,
        progress: Callable[[int, int, list[Record]], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        workers: int | None = None,
        every: float = 0.1,
    ) -> Report:
        """As update, the files read by helper processes that write to the same index:
        parsing runs on every core and leaves this process (and its UI) free.

        Falls back to update in this thread for an index in memory, a few files, or one core;
        files a helper did not report (it failed) are read here after. See workers.py.
        """
        # One core is left to the reader's UI: on two cores, one helper.
        count = workers or max(1, min(4, (os.cpu_count() or 1) - 1))
        if self.path is None or len(plan.stale) < PARALLEL_MIN or count < 1:
            return self.update(plan, progress, cancelled, every)
        from .workers import read_in_helpers

        report = Report(dropped=plan.dropped, total=len(plan.files))
        total = len(plan.stale)

        def reported(done: int, keys: list[str]) -> None:
            if progress is not None:
                progress(done, total, self.records_for(keys))

        report.read += read_in_helpers(
            type(self), self.path, plan, count, reported, cancelled, every
        )
        if cancelled is not None and cancelled():
            return report
        done = set(report.read)
        left = [(p, i) for p, i in plan.stale if _key(p) not in done]
        if left:
            rest = self.update(
                Plan(plan.folder, plan.files, left, 0),
                None
                if progress is None
                else lambda n, _t, records: progress(len(done) + n, total, records),
                cancelled,
                every,
            )
            report.read += rest.read
        return report

    def refresh(
        self,
        folder: Path,
        progress: Callable[[int, int, list[Record]], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Report:
        """Bring a folder's rows up to date: read new and changed files, drop deleted ones."""
        return self.update(self.plan(folder), progress, cancelled)

    # --- asking -------------------------------------------------------------------------------

    def records(self, folder: Path) -> list[Record]:
        """Every indexed briefing of a folder, in file name order."""
        return self._records("folder = ?", (_key(folder),))

    def records_for(self, keys: Sequence[str]) -> list[Record]:
        found: list[Record] = []
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            found += self._records(f"path IN ({marks})", chunk)
        return found

    def _records(self, where: str, params: Sequence[Any]) -> list[Record]:
        def work(db: sqlite3.Connection) -> list[Record]:
            rows = db.execute(
                "SELECT path, name, valid, title, outlet, date_shown, counts, error "
                f"FROM briefings WHERE {where} ORDER BY name",
                params,
            )
            # Sorted again by the file names themselves: a name stored in another form (not
            # UTF-8) sorts where Python, which orders the rows read afresh, puts it.
            return sorted((_record(row) for row in rows), key=lambda record: record.name)

        return self._run(work)

    def diagnostics(self, key: str) -> list[StoredDiagnostic]:
        """A briefing's stored diagnostics (those not as written left out: rows.py)."""

        def work(db: sqlite3.Connection) -> list[StoredDiagnostic]:
            row = db.execute("SELECT diagnostics FROM briefings WHERE path = ?", (key,)).fetchone()
            return stored_diagnostics(row[0]) if row else []

        return self._run(work)

    def matching(self, folder: Path, query: Query) -> set[str] | None:
        """Keys of the briefings that pass the query's filters; None when it has none."""
        if not query.filters:
            return None
        where, params = _filter_sql(query)

        def work(db: sqlite3.Connection) -> set[str]:
            rows = db.execute(
                f"SELECT b.path FROM briefings b WHERE b.folder = ? AND {where}",
                (_key(folder), *params),
            )
            return {row[0] for row in rows}

        return self._run(work)

    def search(
        self, folder: Path, text: str, limit: int = SEARCH_LIMIT
    ) -> tuple[list[LibraryHit], str | None]:
        """Full-text hits in a folder's briefings, best first, and a problem to show (or None).

        text may hold filters as the table's does (section: keeps items of that section).
        """
        query = parse_query(text)
        match = fts_query(query.words)
        problem = "; ".join(query.problems) or None
        if match is None:
            return [], problem
        where = ["fts MATCH ?", "b.folder = ?"]
        params: list[Any] = [match, _key(folder)]
        if query.filters:
            filter_where, filter_params = _filter_sql(query, sections=False)
            where.append(filter_where)
            params += filter_params
        if query.section:
            where.append(f"d.section IN ({', '.join('?' * len(query.section))})")
            params += query.section
        sql = (
            "SELECT d.path, b.name, b.title, d.kind, d.ref, d.source, d.section, d.label, "
            f"d.open_at, snippet(fts, 0, '{MARK_START}', '{MARK_END}', '…', 12) "
            "FROM fts JOIN docs d ON d.id = fts.rowid JOIN briefings b ON b.path = d.path "
            f"WHERE {' AND '.join(where)} ORDER BY fts.rank LIMIT ?"
        )
        params.append(limit)

        def work(db: sqlite3.Connection) -> list[LibraryHit]:
            return [_hit(row) for row in db.execute(sql, params)]

        try:
            return self._run(work), problem
        except sqlite3.OperationalError as error:
            return [], f"search failed: {error}"

    def party_names(self, folder: Path, needle: str, limit: int = 50) -> list[tuple[str, int]]:
        """Distinct party names matching needle (name or alias) and in how many briefings."""
        folded = needle.strip().casefold()

        def work(db: sqlite3.Connection) -> list[tuple[str, int]]:
            rows = db.execute(
                "SELECT p.name, COUNT(DISTINCT p.path) FROM parties p "
                "JOIN briefings b ON b.path = p.path "
                "WHERE b.folder = ? AND instr(p.folded, ?) > 0 "
                "GROUP BY p.name ORDER BY COUNT(DISTINCT p.path) DESC, p.name LIMIT ?",
                (_key(folder), folded, limit),
            )
            return [(row[0], row[1]) for row in rows]

        return self._run(work)

    def pivot(self, folder: Path, needle: str) -> list[PartyGroup]:
        """Every briefing of a folder with a party whose name or alias contains needle, and
        every item involving that party, in briefing order."""
        folded = needle.strip().casefold()
        if not folded:
            return []

        def work(db: sqlite3.Connection) -> list[PartyGroup]:
            groups: list[PartyGroup] = []
            rows = db.execute(
                "SELECT p.path, b.name, b.title, p.party_id, p.name, p.country FROM parties p "
                "JOIN briefings b ON b.path = p.path "
                "WHERE b.folder = ? AND instr(p.folded, ?) > 0 ORDER BY b.name, p.name",
                (_key(folder), folded),
            ).fetchall()
            for key, name, title, party_id, party_name, country in rows:
                group = PartyGroup(key, _name(name), title, party_id, party_name, country)
                involved = db.execute(
                    "SELECT r.item_id, i.section, i.label, r.role FROM roles r "
                    "JOIN items i ON i.path = r.path AND i.item_id = r.item_id "
                    "WHERE r.path = ? AND r.party_id = ? ORDER BY r.role != 'entry', i.ord",
                    (key, party_id),
                )
                merged: dict[str, list[str]] = {}
                labels: dict[str, tuple[str, str]] = {}
                for item_id, section, label, role in involved:
                    merged.setdefault(item_id, [])
                    if role not in merged[item_id]:
                        merged[item_id].append(role)
                    labels[item_id] = (section, label)
                group.items = [
                    Involvement(item_id, *labels[item_id], ", ".join(roles))
                    for item_id, roles in merged.items()
                ]
                groups.append(group)
            return groups

        return self._run(work)


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE (the write lock up front, waiting out the busy timeout), then COMMIT;
    ROLLBACK on any error."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _insert(db: sqlite3.Connection, rows: Rows) -> None:
    key = rows.record[0]
    _delete(db, key)
    db.execute(f"INSERT INTO briefings VALUES ({', '.join('?' * 15)})", rows.record)
    db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?)", rows.items)
    db.executemany("INSERT INTO parties VALUES (?, ?, ?, ?, ?)", rows.parties)
    db.executemany("INSERT OR IGNORE INTO roles VALUES (?, ?, ?, ?, ?)", rows.roles)
    db.executemany("INSERT OR IGNORE INTO marks VALUES (?, ?, ?)", rows.marks)
    if not rows.docs:
        return
    # Two statements for all of a briefing's docs, not two a doc (most of the time indexing
    # spent in SQLite). The ids are those SQLite would give one at a time (the largest plus
    # one): the caller holds the write lock (store_many's BEGIN IMMEDIATE), so none is taken
    # meanwhile.
    (first,) = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM docs").fetchone()
    numbered = list(enumerate(rows.docs, first))
    db.executemany(
        "INSERT INTO docs(id, path, kind, ref, source, section, label, open_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(n, key, *doc[:6]) for n, doc in numbered],
    )
    db.executemany(
        "INSERT INTO fts(rowid, text) VALUES (?, ?)", [(n, doc[6]) for n, doc in numbered]
    )


def _delete(db: sqlite3.Connection, key: str) -> None:
    db.execute(
        "DELETE FROM fts WHERE rowid IN (SELECT id FROM docs WHERE path = ?)",
        (key,),
    )
    for table in ("docs", "roles", "marks", "parties", "items", "briefings"):
        db.execute(f"DELETE FROM {table} WHERE path = ?", (key,))


def _record(row: Sequence[Any]) -> Record:
    key, name, valid, title, outlet, date, counts, error = row
    try:
        numbers = tuple(int(n) for n in json.loads(counts))
    except (ValueError, TypeError):
        numbers = (0,) * len(SECTION_KEYS)
    return Record(key, _name(name), bool(valid), title, outlet, date, numbers, error)


def _hit(row: Sequence[Any]) -> LibraryHit:
    key, name, title, kind, ref, source, section, label, open_at, snippet = row
    pieces: list[tuple[str, bool]] = []
    marked = False
    for part in re.split(f"([{MARK_START}{MARK_END}])", snippet or ""):
        if part == MARK_START:
            marked = True
        elif part == MARK_END:
            marked = False
        elif part:
            pieces.append((part, marked))
    start: str | int | None = open_at
    if kind == "paragraph" and open_at is not None and open_at.isdigit():
        start = int(open_at)
    return LibraryHit(key, _name(name), title, kind, ref, source, section, label, pieces, start)


def _filter_sql(query: Query, sections: bool = True) -> tuple[str, list[Any]]:
    """A WHERE clause on briefings (as b) for the query's filters, and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    for party in query.party:
        clauses.append(
            "EXISTS (SELECT 1 FROM parties p WHERE p.path = b.path AND instr(p.folded, ?) > 0)"
        )
        params.append(party.strip().casefold())
    for country in query.country:
        clauses.append("EXISTS (SELECT 1 FROM parties p WHERE p.path = b.path AND p.country = ?)")
        params.append(country)
    for place in query.place:
        # A place's words (its names in any script, aliases, country) are in the full-text
        # index already: the words of place entries, matched as typed words are.
        match = fts_query(place.split())
        if match is None:
            clauses.append("0")
            continue
        clauses.append(
            "EXISTS (SELECT 1 FROM docs dp WHERE dp.path = b.path AND dp.section = 'places' "
            "AND dp.kind = 'item' AND dp.id IN (SELECT rowid FROM fts WHERE fts MATCH ?))"
        )
        params.append(match)
    for kind, values in query.marks.items():
        # One clause per filter; the values of one filter are alternatives
        # (credibility:1-2 is credibility 1 or 2).
        if kind == "analyst":
            for words in values:
                clauses.append(
                    "EXISTS (SELECT 1 FROM marks m WHERE m.path = b.path AND m.kind = ? "
                    "AND instr(m.value, ?) > 0)"
                )
                params += [kind, words]
            continue
        for alternatives in values:
            wanted = alternatives.split("|")
            clauses.append(
                "EXISTS (SELECT 1 FROM marks m WHERE m.path = b.path AND m.kind = ? "
                f"AND m.value IN ({', '.join('?' * len(wanted))}))"
            )
            params += [kind, *wanted]
    if sections:
        for section in query.section:
            clauses.append("EXISTS (SELECT 1 FROM items i WHERE i.path = b.path AND i.section = ?)")
            params.append(section)
    if query.date_from or query.date_to:
        low = query.date_from or "0000-01-01"
        high = query.date_to or "9999-12-31"
        clauses.append(
            "((b.pub_max >= ? AND b.pub_min <= ?) OR EXISTS (SELECT 1 FROM items i "
            "WHERE i.path = b.path AND i.date_max >= ? AND i.date_min <= ?))"
        )
        params += [low, high, low, high]
    return " AND ".join(clauses) or "1", params
