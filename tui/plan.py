"""The reader's first screen of a briefing, kept in the cache: a reopened briefing is shown at
once, before pydantic, the schema and YAML are imported (two-thirds of the time from the first
frame to a useful screen), and the full load replaces it when done.

A plan is what the briefing screen drew when it showed its first item: the header, the
outline's rows (labels for those near the selected one), the detail pane's rows, the source
and its highlighted quote, the status line. It is written by the screen after a full load,
under the loader's cache key of the very bytes loaded (with this code: the key covers the
core modules, the name of the entry the screens and widgets too), and authenticated by the
cache's HMAC like any entry. Reading one checks what the loader's own cache hit checks: the
briefing's bytes (by the key), every source's bytes (by their sha256), and the item the
screen would open at (the remembered place, else the first item). Any doubt is no plan: the
screen then loads as before. A briefing whose load withheld a source has no plan.

Only plain data here (text, style names, numbers): the screen makes its Content from them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import cache
from .files import BRIEFING_CAP, SOURCE_CAP, FileProblem, confine, read_bytes, tree_root
from .source import SourceText, Span

SUFFIX = "-plan"
LABELS_AROUND = 256
"""Outline labels kept before and after the selected row (and from the top): more than a
screen shows. Rows outside them draw blank until the full load (a fraction of a second)."""

Styled = tuple[str, list[tuple[int, int, str]]]
"""Text and its style spans (start, end, style name): what Textual's Content is made of."""

_ui_code: str | None = None


@dataclass(frozen=True, slots=True)
class PlanRow:
    """A detail row as describe.DetailRow has it."""

    label: str
    text: str
    target: str | None = None
    evidence: int | None = None


@dataclass
class Plan:
    """The first screen of one briefing, opened at one item."""

    path: Path
    """The briefing's resolved path (the key of the remembered place)."""
    item: str
    first: str
    """The item shown when no place is remembered."""
    header: Styled
    meta: Styled
    ids: list[str]
    kinds: dict[int, str]
    """Row index to 'section', 'year' or 'legend' for rows that cannot be selected."""
    labels: dict[int, Styled]
    highlighted: int
    outline_width: int
    """The width the outline's names asked for (wide screens give it that)."""
    title: str
    rows: list[PlanRow]
    source: SourceText | None
    withheld: str | None
    cited: set[int]
    span: Span | None
    status: str


def _screens_code() -> str:
    """The screens' and widgets' code: they draw what a plan holds (cache.key covers the
    rest of the package)."""
    global _ui_code
    if _ui_code is None:
        digest = hashlib.sha256()
        base = Path(__file__).parent
        for module in sorted([*base.glob("screens/*.py"), *base.glob("widgets/*.py")]):
            digest.update(f"\0{module.parent.name}/{module.name}\0".encode())
            try:
                digest.update(module.read_bytes())
            except OSError:
                digest.update(b"?")
        _ui_code = digest.hexdigest()[:16]
    return _ui_code


def name_for(key: str) -> str:
    """The plan's entry name beside the loader's entry of that key."""
    return f"{key}{SUFFIX}-{_screens_code()}"


@dataclass
class _Found:
    """A plan's cache entry and the bytes of the sources it names, as read."""

    real: Path
    root: Path
    entry: dict[str, Any]
    payload: bytes
    sources: dict[str, tuple[bytes, str]]
    """Each source's path as written to its bytes and their sha256."""


_ahead: tuple[Path, threading.Thread, list[_Found | None]] | None = None


def read_ahead(path: Path) -> None:
    """Start finding the plan of the briefing at path in a thread, for read to take.

    Called before the interface is imported: reading the files and hashing them give up the
    GIL, so the work overlaps the imports (0.1 s) instead of the first frames (a 43 MB
    briefing's read and hash took 80 ms in the loading thread while they were drawn). The
    entry is still checked by read, against the place the screen would open at, as ever.
    """
    global _ahead
    box: list[_Found | None] = [None]

    def find() -> None:
        try:
            box[0] = _find(path)
        except Exception:  # never a traceback over the screen: read finds no plan, loads
            box[0] = None

    thread = threading.Thread(target=find, name="plan-ahead", daemon=True)
    _ahead = (path, thread, box)
    thread.start()


def _take_ahead(path: Path) -> tuple[bool, _Found | None]:
    """(True, what read_ahead found) if it was started for path; (False, None) if not."""
    global _ahead
    if _ahead is None or _ahead[0] != path:
        return False, None
    _path, thread, box = _ahead
    _ahead = None
    thread.join()
    return True, box[0]


def _find(path: Path, limit: int | None = None) -> _Found | None:
    """The cache entry of the plan for the bytes at path now, and its sources' bytes (None
    if they are more than limit bytes with the briefing's)."""
    if cache.folder() is None:
        return None
    try:
        real = path.resolve(strict=True)
        raw = read_bytes(real, BRIEFING_CAP)
        root = tree_root(path)
        found = cache.read(name_for(cache.key(raw, real, root)))
        del raw
        if found is None:
            return None
        entry, payload = found
        if limit is not None and _size(real, root, entry) > limit:
            return None
        sources: dict[str, tuple[bytes, str]] = {}
        for _sid, where, _digest in entry["sources"]:
            data = read_bytes(confine(str(where), real.parent, root), SOURCE_CAP)
            sources[str(where)] = (data, hashlib.sha256(data).hexdigest())
    except (FileProblem, OSError, KeyError, IndexError, TypeError, ValueError):
        return None
    return _Found(real, root, entry, payload, sources)


def read(
    path: Path, position: Callable[[Path], str | None], limit: int | None = None
) -> Plan | None:
    """The plan of the briefing at path, if one is cached for its bytes and sources and for
    the item the screen would open at (position: the remembered item of a resolved path).
    With a limit, None too if the briefing and its sources are more bytes than that (to be
    read elsewhere than before the first frame)."""
    if cache.folder() is None:
        return None
    try:
        if limit is not None and path.resolve(strict=True).stat().st_size > limit:
            return None  # a read ahead is left for the read without a limit
    except OSError:
        return None
    started, found = _take_ahead(path)
    if not started:
        found = _find(path, limit)
    if found is None:
        return None
    try:
        return _plan(found, position, limit)
    except (FileProblem, OSError, KeyError, IndexError, TypeError, ValueError, AttributeError):
        return None


def _size(real: Path, root: Path, entry: dict[str, Any]) -> int:
    """Bytes of the briefing and of the sources its plan names, as they are now."""
    size = real.stat().st_size
    for _sid, where, _digest in entry["sources"]:
        size += confine(str(where), real.parent, root).stat().st_size
    return size


def _plan(found: _Found, position: Callable[[Path], str | None], limit: int | None) -> Plan | None:
    real, entry = found.real, found.entry
    if limit is not None and _size(real, found.root, entry) > limit:
        return None  # read ahead, but too large to draw before the first frame
    data = json.loads(found.payload)
    ids = [str(i) for i in data["ids"]]
    item, first = str(data["item"]), str(data["first"])
    remembered = position(real)
    # As the screen chooses: the remembered row if the outline has it, else the first item.
    wanted = remembered if remembered is not None and remembered in set(ids) else first
    if wanted != item:
        return None
    shown: SourceText | None = None
    for sid, where, digest in entry["sources"]:
        raw, actual = found.sources[str(where)]
        if actual != digest:
            return None
        if sid == entry["shown"]:
            shown = SourceText(raw.decode("utf-8"), digest)
    if entry["shown"] is not None and shown is None:
        return None
    span = data["span"]
    return Plan(
        path=real,
        item=item,
        first=first,
        header=_styled(data["header"]),
        meta=_styled(data["meta"]),
        ids=ids,
        kinds={int(k): str(v) for k, v in data["kinds"].items()},
        labels={int(k): _styled(v) for k, v in data["labels"].items()},
        highlighted=int(data["highlighted"]),
        outline_width=int(data["outline_width"]),
        title=str(data["title"]),
        rows=[PlanRow(str(a), str(b), c, d) for a, b, c, d in data["rows"]],
        source=shown,
        withheld=None if data["withheld"] is None else str(data["withheld"]),
        cited={int(p) for p in data["cited"]},
        span=None if span is None else Span(int(span[0]), int(span[1]), int(span[2])),
        status=str(data["status"]),
    )


def _styled(value: Any) -> Styled:
    text, spans = value
    return str(text), [(int(a), int(b), str(c)) for a, b, c in spans]


def write(
    key: str,
    sources: list[tuple[str, str, str]],
    shown: str | None,
    data: dict[str, Any],
) -> None:
    """Store a plan under the loader's cache key; sources are (id, path as written, sha256)
    of every source of the briefing, shown the id of the one drawn (None if withheld)."""
    with contextlib.suppress(TypeError, ValueError):  # not JSON: no plan, never a failure
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        cache.write(name_for(key), {"sources": sources, "shown": shown}, payload)
