"""Saving an export of a briefing to a file the reader asks for: where, and what is refused.

No UI here: the reader's prompt gives the path typed, this module says where that is, refuses
to write over the briefing or its sources, and writes atomically (files.write_atomically).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .export import export
from .files import FileProblem, confine, tree_root, write_atomically
from .loader import Loaded
from .safe_text import clip

SUFFIXES = {"markdown": ".md", "json": ".json", "stix": ".stix.json"}
FORM_NAMES = {"markdown": "Markdown", "json": "JSON", "stix": "a STIX 2.1 bundle"}
PATH_LIMIT = 4096
"""Longest path the prompt takes (PATH_MAX on Linux)."""


class SaveRefused(Exception):
    """A save that was not made, and why, in words for the reader."""


@dataclass(frozen=True)
class Saved:
    path: Path
    replaced: bool
    """True when a file was already there (an earlier export, say) and was replaced."""


def default_name(loaded: Loaded, form: str) -> str:
    """The briefing's id with the form's suffix: 'russia-china-2014.md'."""
    return f"{loaded.briefing.id}{SUFFIXES[form]}"


def default_target(loaded: Loaded, form: str, folder: Path) -> Path:
    """Where the prompt proposes to save: the default name in folder (the working folder)."""
    return folder / default_name(loaded, form)


def target_of(loaded: Loaded, form: str, typed: str, folder: Path) -> Path:
    """The file a typed path names: `~` expanded, relative to folder, and an existing folder
    given the default name."""
    text = typed.strip()
    if not text:
        raise SaveRefused("No file name given: nothing saved")
    if len(text) > PATH_LIMIT or "\x00" in text:
        raise SaveRefused("That is not a usable path: nothing saved")
    try:
        path = Path(text).expanduser()
    except RuntimeError:  # `~name` of a user that does not exist, or no home folder
        home = clip(text.split("/", 1)[0], 60)
        raise SaveRefused(f"There is no home folder {home}: nothing saved") from None
    if not path.is_absolute():
        path = folder / path
    if path.is_dir():
        path = path / default_name(loaded, form)
    return Path(os.path.abspath(path))


@dataclass(frozen=True)
class Outcome:
    """What became of a save asked for in the reader, in words for its note."""

    message: str
    kind: Literal["saved", "refused", "failed"]
    """Saved; refused (SaveRefused: nothing was tried); or failed while writing (OSError)."""


def save_typed(loaded: Loaded, form: str, typed: str, folder: Path) -> Outcome:
    """Save the briefing in form to the path typed in the reader's prompt (folder: where a
    relative path stands), and say where it went or why it did not."""
    try:
        saved = save(loaded, form, target_of(loaded, form, typed, folder))
    except SaveRefused as refused:
        return Outcome(str(refused), "refused")
    except OSError as error:
        return Outcome(f"Export failed: {error.strerror or error}", "failed")
    verb = "Replaced" if saved.replaced else "Saved"
    return Outcome(f"{verb} {saved.path}", "saved")


def protected(loaded: Loaded) -> list[Path]:
    """The files a save must never replace: the briefing and each of its sources."""
    paths = [loaded.path]
    base = loaded.path.parent
    root = tree_root(loaded.path)
    for source in loaded.briefing.sources:
        with contextlib.suppress(FileProblem, OSError, ValueError):
            paths.append(confine(source.path, base, root))
    return paths


def is_input(loaded: Loaded, target: Path) -> bool:
    """Whether target is the briefing or one of its sources, by any name."""
    return any(_same(target, kept) for kept in protected(loaded))


def _same(one: Path, other: Path) -> bool:
    with contextlib.suppress(OSError, ValueError):
        if one.resolve() == other.resolve():
            return True
        # Another name for the same file (a hard link) is the same file.
        return one.exists() and other.exists() and os.path.samefile(one, other)
    return False


def save(loaded: Loaded, form: str, target: Path) -> Saved:
    """Write the briefing in form to target, unless that would replace the briefing or one of
    its sources, or target is not a regular file. Raises SaveRefused or OSError."""
    for kept in protected(loaded):
        if _same(target, kept):
            what = "the briefing itself" if kept == loaded.path else "a source of the briefing"
            raise SaveRefused(f"{target.name} is {what}: not overwritten, nothing saved")
    if target.exists() and not target.is_file():
        raise SaveRefused(f"{target.name} is not a regular file: nothing saved")
    if not target.parent.is_dir():
        raise SaveRefused(f"There is no folder {target.parent}: nothing saved")
    replaced = target.exists()
    write_atomically(target, export(loaded, form).encode("utf-8"))
    return Saved(target, replaced)


__all__ = [
    "FORM_NAMES",
    "SUFFIXES",
    "Outcome",
    "SaveRefused",
    "Saved",
    "default_target",
    "is_input",
    "save",
    "save_typed",
    "target_of",
]
