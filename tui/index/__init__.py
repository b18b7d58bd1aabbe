"""The library index: every briefing of a folder in SQLite, with full-text search.

Data layer only (no Textual here). The index lives at `library.sqlite3` in the cache folder
(tui/places.py; in memory when `BRIEFING_NO_CACHE=1`) and is only a cache:

- each briefing is keyed by its path, size and modification time, and by those of the source
  files it reads; `refresh` re-reads only the files whose key changed or that are new, and
  drops the rows of files that are gone;
- WAL mode, a busy timeout and one short transaction per briefing let two readers (two
  processes, or two connections) index and query the same file at once: the rows written for
  a briefing are the same whoever writes them;
- a missing index is recreated; one that is not a database, or is damaged, is replaced and
  `notice` says so; one of another layout (its tables' version, or the section registry it
  was written under: `layout_key`) is rebuilt.

Rows hold raw strings from the briefings: whoever displays them must clean them.

Searching uses FTS5 over item labels and text fields and over source paragraphs. User text
never becomes FTS syntax: each term is quoted (see `fts_query`), and a failing query returns
no hits with a message instead of raising. Filters (`party:`, `country:`, `section:`, `from:`,
`to:`) are parsed by `parse_query` and apply to the table, the search and nothing else.

query.py: what the user types; rows.py: the rows of one briefing; store.py: the SQLite index;
workers.py: the helper processes that index a large folder.
"""

from __future__ import annotations

from .query import SECTION_ALIASES, Query, day_range, fts_query, parse_query, section_key
from .rows import Rows, read_rows
from .store import (
    FILE_NAME,
    LAYOUT,
    PARALLEL_MIN,
    SEARCH_LIMIT,
    Involvement,
    LibraryHit,
    LibraryIndex,
    PartyGroup,
    Plan,
    Record,
    Report,
    default_path,
)

__all__ = [
    "FILE_NAME",
    "LAYOUT",
    "PARALLEL_MIN",
    "SEARCH_LIMIT",
    "SECTION_ALIASES",
    "Involvement",
    "LibraryHit",
    "LibraryIndex",
    "PartyGroup",
    "Plan",
    "Query",
    "Record",
    "Report",
    "Rows",
    "day_range",
    "default_path",
    "fts_query",
    "parse_query",
    "read_rows",
    "section_key",
]
