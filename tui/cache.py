"""A cache of validated briefings under the XDG cache folder, keyed by content.

Parsing YAML strictly is the slow part of opening a big briefing; JSON read back with
`model_validate_json` is tens of times faster. Only valid briefings are cached, each entry is
written atomically (temp file, then rename), and a missing, corrupt or stale entry is simply
a miss: deleting the folder is always harmless.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

FORMAT = 1


def folder() -> Path | None:
    """The cache folder, or None when caching is turned off (BRIEFING_NO_CACHE=1)."""
    if os.environ.get("BRIEFING_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefing"


def key(raw: bytes, path: Path) -> str:
    """Same bytes at the same place: sources resolve relative to the file, so both count."""
    digest = hashlib.sha256(raw)
    digest.update(b"\0" + str(path).encode("utf-8", "surrogateescape"))
    digest.update(f"\0{FORMAT}".encode())
    return digest.hexdigest()


def read(name: str) -> dict[str, Any] | None:
    """A cached entry, or None on any miss (absent, unreadable, corrupt)."""
    base = folder()
    if base is None:
        return None
    try:
        with open(base / f"{name}.json", "rb") as handle:
            entry = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) and entry.get("format") == FORMAT else None


def write(name: str, entry: dict[str, Any]) -> None:
    """Store an entry atomically; failing to cache never fails a load."""
    base = folder()
    if base is None:
        return
    try:
        base.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=base, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"format": FORMAT, **entry}, out, ensure_ascii=False)
            os.replace(temporary, base / f"{name}.json")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass
