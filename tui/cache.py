"""A cache of validated briefings under the XDG cache folder, keyed by content.

Parsing YAML strictly is the slow part of opening a big briefing; JSON read back with
`model_validate_json` (still fully validated) is ten times faster. Only valid briefings are
cached, each entry is written atomically (temp file, then rename), and a missing, corrupt,
stale or unauthenticated entry is simply a miss: deleting the folder is always harmless.

The cache must never change an answer, so an entry is trusted only if this user's cache
wrote it for this very key: each carries an HMAC-SHA256, keyed by a secret kept in the folder
(0600), over its name, header and payload. A planted, copied, renamed, edited or truncated
entry fails it. The folder is made private (0700); a folder or file another user owns, or
that others may write, is not used. The loader checks the cheap parts of a hit again besides.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import importlib.util
import json
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .files import write_atomically
from .places import cache_folder, make_private

FORMAT = 3
"""3: a header line of JSON that opens with its MAC, then the payload (the briefing's JSON)
as is, not escaped inside the header: read back without decoding it twice."""

SECRET = "secret"
SECRET_BYTES = 32
_MAC_OPEN = b'{"mac": "'
_MAC_HEX = 64
_UNSET_MAC = b"0" * _MAC_HEX
"""The MAC's place while the MAC is computed: the header signs itself with it blanked."""

_code: str | None = None


def folder() -> Path | None:
    """The cache folder, or None when caching is turned off (BRIEFING_NO_CACHE=1)."""
    return cache_folder()


def code_version() -> str:
    """What the answer depends on besides the files: this program and its validator.

    An entry written by another version of the checks is a miss, not that version's verdict.
    Every module of the package's top level counts (the checks may live in any of them; the
    screens and widgets do not): 230 kB hashed in under a millisecond, once per process.
    """
    global _code
    if _code is None:
        digest = hashlib.sha256(f"{FORMAT}\0{sys.version}".encode())
        # pydantic's version by its file, not by importing it: the reader's warm start
        # (tui/plan.py) computes this key before its first frame, without pydantic.
        digest.update(_version_file("pydantic"))
        digest.update(_version_file("pydantic_core"))
        for module in sorted(Path(__file__).parent.glob("*.py")):
            digest.update(f"\0{module.name}\0".encode())
            try:
                digest.update(module.read_bytes())
            except OSError:
                digest.update(b"?")
        _code = digest.hexdigest()
    return _code


def _version_file(package: str) -> bytes:
    """The bytes of a package's version module (which names its version), found without
    importing the package; b"?" when there is none."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return b"?"
    for place in (spec.submodule_search_locations or []) if spec else []:
        for name in ("version.py", "__init__.pyi", "__init__.py"):
            with contextlib.suppress(OSError):
                return (Path(place) / name).read_bytes()
    return b"?"


def key(raw: bytes, path: Path, root: Path | None = None) -> str:
    """Same bytes at the same place, in the same tree, read by the same code.

    Sources resolve relative to the file and must stay inside its tree, so both count.
    """
    digest = hashlib.sha256(raw)
    digest.update(b"\0" + str(path).encode("utf-8", "surrogateescape"))
    digest.update(b"\0" + str(root).encode("utf-8", "surrogateescape"))
    digest.update(f"\0{code_version()}".encode())
    return digest.hexdigest()


def _mine(info: os.stat_result, group_may_write: bool = False) -> bool:
    """Owned by this user, and not writable by others (nor by the group, unless allowed)."""
    getuid = getattr(os, "getuid", None)
    if getuid is not None and info.st_uid != getuid():
        return False
    return not info.st_mode & (0o002 if group_may_write else 0o022)


def _usable(base: Path, create: bool) -> bool:
    """The folder exists (made private if asked to create it), is ours and closed to others."""
    if create:
        try:
            make_private(base)
        except OSError:
            return False
    try:
        info = os.stat(base)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and _mine(info, group_may_write=True)


def _open_own(path: Path) -> int | None:
    """A descriptor on a regular file of ours that others cannot write; None otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
    except OSError:
        os.close(fd)
        return None
    if not (stat.S_ISREG(info.st_mode) and _mine(info)):
        os.close(fd)
        return None
    return fd


def _read_secret(base: Path) -> bytes | None:
    fd = _open_own(base / SECRET)
    if fd is None:
        return None
    try:
        if os.fstat(fd).st_mode & 0o077:
            return None  # readable by others: no longer a secret
        secret = os.read(fd, SECRET_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return secret if len(secret) == SECRET_BYTES else None


def _secret(base: Path, create: bool) -> bytes | None:
    """This user's cache secret; made once, atomically, when create is set."""
    secret = _read_secret(base)
    if secret is not None or not create or (base / SECRET).is_symlink():
        return secret
    try:
        # Written whole, then linked into place, which fails if another process got there
        # first: never a half-written secret.
        with contextlib.suppress(FileExistsError):  # the other process's secret wins
            write_atomically(base / SECRET, os.urandom(SECRET_BYTES), mode=0o600, exclusive=True)
    except OSError:
        return None
    return _read_secret(base)


def _mac(secret: bytes, name: str, header: bytes, payload: bytes | Sequence[bytes]) -> bytes:
    """Over the name too: an entry moved to another key's name does not verify. A payload in
    pieces is signed as the bytes they make one after the other."""
    signer = hmac.new(secret, name.encode("ascii", "replace") + b"\0", hashlib.sha256)
    signer.update(header)
    for piece in [payload] if isinstance(payload, bytes) else payload:
        signer.update(piece)
    return signer.hexdigest().encode("ascii")


def read(name: str) -> tuple[dict[str, Any], bytes] | None:
    """A cached entry and its payload, or None on any miss (absent, foreign, corrupt, forged)."""
    base = folder()
    if base is None or not _usable(base, create=False):
        return None
    secret = _secret(base, create=False)
    if secret is None:
        return None
    fd = _open_own(base / f"{name}.json")
    if fd is None:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            # A header line of JSON (json.dumps never writes a raw line break), then the
            # payload, read on its own so it is not copied out of the whole.
            header = handle.readline()
            payload = handle.read()
    except OSError:
        return None
    end = len(_MAC_OPEN) + _MAC_HEX
    if not (header.endswith(b"\n") and header.startswith(_MAC_OPEN)):
        return None
    mac = header[len(_MAC_OPEN) : end]
    blank = header[: len(_MAC_OPEN)] + _UNSET_MAC + header[end:]
    if not hmac.compare_digest(mac, _mac(secret, name, blank, payload)):
        return None
    try:
        entry = json.loads(header)
    except ValueError:
        return None
    if not (isinstance(entry, dict) and entry.get("format") == FORMAT):
        return None
    return entry, payload


def write(name: str, entry: dict[str, Any], payload: bytes | Sequence[bytes]) -> None:
    """Store an entry and its payload (bytes, or pieces that follow one another) atomically;
    failing to cache never fails a load."""
    base = folder()
    if base is None or not _usable(base, create=True):
        return
    secret = _secret(base, create=True)
    if secret is None:
        return
    blank = json.dumps({"mac": _UNSET_MAC.decode(), "format": FORMAT, **entry}).encode("ascii")
    blank += b"\n"
    header = blank.replace(_UNSET_MAC, _mac(secret, name, blank, payload), 1)
    # Not synced: an entry a crash left unwritten fails its MAC, a miss like any other.
    with contextlib.suppress(OSError):
        pieces = [payload] if isinstance(payload, bytes) else list(payload)
        write_atomically(base / f"{name}.json", [header, *pieces], mode=0o600, sync=False)
