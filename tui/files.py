"""Reading untrusted files safely: confined to a tree, regular files only, size capped.

Measured hazards this guards against: `folder / "/etc/passwd"` drops the folder, `../` and
symlinks leave the tree, a FIFO blocks `open()` forever, `/dev/zero` reads until MemoryError.
Also which briefing files a command means: those named, a folder's, or the bundled ones.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from .safe_text import clipped_repr

BRIEFING_CAP = 64 * 1024 * 1024
"""Room for the 100,000-item benchmark briefing (45 MB); strict_yaml.MAX_NODES bounds the work."""
SOURCE_CAP = 32 * 1024 * 1024
SHOWN_PATH = 80
"""Characters of a path quoted in a message."""


def _quoted_path(path: str) -> str:
    return clipped_repr(path, SHOWN_PATH)


class FileProblem(Exception):
    """A file that cannot be read as asked; the message is for the user."""


def tree_root(briefing: Path) -> Path:
    """The folder a briefing's sources must stay inside.

    It is the folder holding the briefing; when that folder is called `briefings`, its parent,
    so that a project keeps `briefings/` and `seeds/` side by side, unless that parent is the
    home folder or `/` (`~/briefings/x.yaml` must not open the whole home folder).

    Computed from the path as given (made absolute, `..` folded, symlinks not followed): a
    symlinked briefing cannot move the tree to wherever the link points. confine resolves it.
    """
    folder = Path(os.path.abspath(briefing)).parent
    if folder.name == "briefings" and not _too_wide(folder.parent):
        return folder.parent
    return folder


def _too_wide(folder: Path) -> bool:
    """The home folder or `/`: never a tree sources may come from."""
    wide = {Path("/")}
    try:
        home = Path.home()
    except (KeyError, RuntimeError):  # no HOME and no passwd entry
        home = None
    if home is not None:
        wide |= {home, Path(os.path.abspath(home))}
    try:
        real = folder.resolve()
        if home is not None:
            wide.add(home.resolve())
    except (OSError, RuntimeError):
        return True
    return folder in wide or real in wide


def _hidden(parts: tuple[str, ...]) -> str | None:
    """The first hidden component (`.ssh`, `.git`, `.env`...), `.` and `..` aside."""
    return next((p for p in parts if p.startswith(".") and p not in (".", "..")), None)


def confine(relative: str, base: Path, root: Path) -> Path:
    """Resolve a path written in a briefing against its folder, refusing to leave root.

    Also refused: hidden files and folders, as written or once resolved (keys, `.git`,
    `.env` live there), and any tree that is the home folder or `/`.
    """
    if "\x00" in relative:
        raise FileProblem("path contains a NUL character")
    candidate = Path(relative)
    if candidate.is_absolute() or relative.startswith(("/", "\\")) or candidate.drive:
        raise FileProblem(
            f"path {_quoted_path(relative)} is absolute; give it relative to the briefing"
        )
    hidden = _hidden(candidate.parts)
    if hidden is not None:
        raise FileProblem(
            f"path {_quoted_path(relative)} is hidden ({_quoted_path(hidden)}); {_NOT_HIDDEN}"
        )
    if _too_wide(root):
        raise FileProblem(
            f"path {_quoted_path(relative)} is not read: the briefing's tree would be "
            f"{'/' if root == Path('/') else 'the home folder'}; keep the briefing in a folder "
            "of its own, with its sources"
        )
    root = root.resolve()
    joined = base / candidate
    try:
        resolved = joined.resolve(strict=True)
    except FileNotFoundError:
        raise FileProblem(f"file {_quoted_path(relative)} does not exist") from None
    except (OSError, RuntimeError, ValueError) as error:
        reason = getattr(error, "strerror", None) or "a symlink loop or an invalid name"
        raise FileProblem(f"file {_quoted_path(relative)} cannot be resolved: {reason}") from None
    if not resolved.is_relative_to(root):
        raise FileProblem(
            f"path {_quoted_path(relative)} leads outside the briefing's tree ({root.name}/); "
            "sources must live beside the briefing"
        )
    hidden = _hidden(resolved.relative_to(root).parts)
    if hidden is not None:
        raise FileProblem(
            f"path {_quoted_path(relative)} leads to a hidden file or folder ({_quoted_path(hidden)}); "
            + _NOT_HIDDEN
        )
    return resolved


_NOT_HIDDEN = "hidden files and folders (.ssh, .git, .env...) are never sources"


def read_text(path: Path, cap: int) -> tuple[bytes, str]:
    """A text file's bytes and their UTF-8 text (read_bytes' rules), or FileProblem saying, in
    words that follow the file's name, why it is not text."""
    raw = read_bytes(path, cap)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileProblem(
            f"is not UTF-8 text (bad byte at offset {error.start}); save it as UTF-8"
        ) from None
    return raw, text


def read_bytes(path: Path, cap: int) -> bytes:
    """Read a regular file of at most cap bytes without blocking on FIFOs or devices."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileProblem("file does not exist") from None
    except IsADirectoryError:
        raise FileProblem("is a directory, not a file") from None
    except PermissionError:
        raise FileProblem("permission denied") from None
    except OSError as error:
        raise FileProblem(f"cannot open: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem("is not a regular file (a FIFO, socket or device)")
        if info.st_size > cap:
            raise FileProblem(f"is {info.st_size:,} bytes, over the {cap:,}-byte limit")
        chunks: list[bytes] = []
        total = 0
        # The size it has now, and a byte more to see it grow, in one read: each read gives up
        # the GIL and waits to take it back, up to 5 ms when the UI thread is drawing (a 43 MB
        # briefing read in 1 MB pieces took 106 ms in the loading thread, 20 ms alone).
        want = info.st_size + 1
        while True:
            chunk = os.read(fd, min(max(want, 1 << 16), cap + 1 - total))
            want = 1 << 20
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > cap:
                raise FileProblem(f"grew past the {cap:,}-byte limit while being read")
        return b"".join(chunks)
    except OSError as error:
        raise FileProblem(f"cannot read: {error.strerror or error}") from None
    finally:
        os.close(fd)


_TITLE = re.compile(rb"^title:[ \t]*(.+?)[ \t]*$", re.MULTILINE)


def peek_title(path: Path, limit: int = 64 * 1024) -> str | None:
    """A briefing's top-level title from its first bytes, for the first frame only.

    Shown while the real load runs, then replaced by the validated title; never trusted
    beyond that (the caller cleans it like any other text).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        head = os.read(fd, limit)
    except OSError:
        return None
    finally:
        os.close(fd)
    found = _TITLE.search(head)
    if found is None:
        return None
    title = found.group(1).decode("utf-8", "replace")
    if len(title) >= 2 and title[0] == title[-1] and title[0] in "\"'":
        title = title[1:-1]
    return title or None


def usual_mode() -> int:
    """The mode a newly created file gets: 0666 less the umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomically(
    path: Path,
    data: bytes | Sequence[bytes],
    mode: int | None = None,
    exclusive: bool = False,
    sync: bool = True,
) -> None:
    """Put data (bytes, or pieces written in turn) in path whole or not at all.

    Written to a temporary file in the same folder (mkstemp: O_EXCL, never an existing file),
    then renamed over path, which replaces a symlink, FIFO or file there rather than writing
    through it; a crash leaves the old file or the new one, never half of one.

    mode: None gives the usual mode of a new file (0666 less the umask), right for briefings
    and exports the user shares; 0o600 keeps caches, state and logs private.
    exclusive: path is never replaced; FileExistsError if anything is there, whatever the
    race (the temporary file is hard-linked into place).
    sync: fsync before the rename, so the new name never points at unwritten data after a
    power cut; a cache entry (a miss when damaged) may skip it.
    Raises OSError (the temporary file removed).
    """
    pieces: Sequence[bytes] = [data] if isinstance(data, bytes) else data
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        try:
            for piece in pieces:
                view = memoryview(piece)
                while view:
                    view = view[os.write(fd, view) :]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temporary, usual_mode() if mode is None else mode)
        if not exclusive:
            os.replace(temporary, path)
            return
        try:
            os.link(temporary, path)  # fails if path exists, a dangling symlink included
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: O_EXCL still never replaces
            _write_new(path, pieces, usual_mode() if mode is None else mode)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _write_new(path: Path, pieces: Sequence[bytes], mode: int) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), mode)
    with os.fdopen(fd, "wb") as out:
        for piece in pieces:
            out.write(piece)


BRIEFING_SUFFIXES = (".yaml", ".yml")


def folder_briefings(folder: Path) -> list[Path]:
    """The briefing files (YAML) directly inside a folder, in name order; none if unreadable."""
    try:
        return sorted(p for p in folder.iterdir() if p.suffix in BRIEFING_SUFFIXES)
    except OSError:
        return []


def bundled_briefings() -> Path:
    """The seed briefings: package data in a wheel, the repository's folder in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "bundled" / "briefings"
    return packaged if packaged.is_dir() else here.parent / "briefings"


def default_target() -> Path:
    """`./briefings` when the working folder has one, else the bundled briefings."""
    local = Path("briefings")
    return local if local.is_dir() else bundled_briefings()


def briefing_files(paths: Sequence[Path]) -> Iterator[Path]:
    """The briefing files named, folders expanded to the YAML files directly inside them."""
    for path in paths:
        if path.is_dir():
            yield from folder_briefings(path)
        else:
            yield path
