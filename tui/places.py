"""Where the reader keeps its own files: one cache folder and one state folder.

platformdirs picks each system's place (`~/Library/Caches` on macOS, `%LOCALAPPDATA%` on
Windows); on Linux it honours `XDG_CACHE_HOME` and `XDG_STATE_HOME`. Textual imports it
already, so it costs the first frame nothing. Both folders are private (0700): the cache
holds the secret its entries are signed with, the state the paths of what the user reads.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import platformdirs

APP = "briefing"


def cache_folder(create: bool = False) -> Path | None:
    """The cache folder (validated briefings, the library index); None when caching is off
    (BRIEFING_NO_CACHE=1). With create, made private if missing."""
    if os.environ.get("BRIEFING_NO_CACHE"):
        return None
    folder = platformdirs.user_cache_path(APP, appauthor=False)
    if create:
        make_private(folder)
    return folder


def state_folder(create: bool = False) -> Path:
    """The state folder (what the reader remembers, crash logs). With create, made private
    if missing."""
    folder = platformdirs.user_state_path(APP, appauthor=False)
    if create:
        make_private(folder)
    return folder


def make_private(folder: Path) -> None:
    """Make folder (and its parents) if missing, 0700; one of ours that others may read or
    enter (an older version made them so) is closed to them. Raises OSError.

    A folder another user owns, or that others may write (anything may have been planted
    there), is left as it is: whoever uses it refuses it (tui/cache.py).
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.stat(folder)
    getuid = getattr(os, "getuid", None)
    ours = getuid is None or info.st_uid == getuid()
    loose = info.st_mode & 0o077 and not info.st_mode & 0o022
    if ours and stat.S_ISDIR(info.st_mode) and loose:
        with contextlib.suppress(OSError):
            os.chmod(folder, stat.S_IMODE(info.st_mode) & 0o700)
