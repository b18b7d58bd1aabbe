"""A cache of validated briefings under the XDG cache folder, keyed by content.

Parsing YAML strictly is the slow part of opening a big briefing; JSON read back with
`model_validate_json` (still fully validated: the folder is no trust boundary) is ten times
faster. Only valid briefings are cached, each entry is written atomically (temp file, then
rename), and a missing, corrupt or stale entry is simply a miss: deleting the folder is
always harmless.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

FORMAT = 3
"""2: a header line of JSON, then the payload (the briefing's JSON) as is, not escaped
inside the header: read back without decoding it twice. 3: validation reads values against
their words (value_checks); a briefing cached as valid under 2 may no longer be."""


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


def read(name: str) -> tuple[dict[str, Any], bytes] | None:
    """A cached entry and its payload, or None on any miss (absent, unreadable, corrupt)."""
    base = folder()
    if base is None:
        return None
    try:
        with open(base / f"{name}.json", "rb") as handle:
            # A header line of JSON (json.dumps never writes a raw line break), then the
            # payload, read on its own so it is not copied out of the whole.
            header = handle.readline()
            if not header.endswith(b"\n"):
                return None
            entry = json.loads(header)
            if not (isinstance(entry, dict) and entry.get("format") == FORMAT):
                return None
            payload = handle.read()
    except (OSError, ValueError):
        return None
    return entry, payload


def write(name: str, entry: dict[str, Any], payload: bytes) -> None:
    """Store an entry and its payload atomically; failing to cache never fails a load."""
    base = folder()
    if base is None:
        return
    try:
        base.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=base, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(json.dumps({"format": FORMAT, **entry}).encode("ascii"))
                out.write(b"\n")
                out.write(payload)
            os.replace(temporary, base / f"{name}.json")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass
