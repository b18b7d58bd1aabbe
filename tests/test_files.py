"""Writing files whole (files.write_atomically) and the reader's own folders (places)."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui import places
from tui.files import write_atomically

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes, FIFOs, symlinks")


@pytest.fixture
def umask_022() -> Iterator[None]:
    mask = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(mask)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@posix_only
def test_a_new_file_gets_the_usual_mode_and_a_private_one_0600(
    tmp_path: Path, umask_022: None
) -> None:
    write_atomically(tmp_path / "shared.md", b"text")
    write_atomically(tmp_path / "private.json", (b"head\n", b"", b"payload"), mode=0o600)
    assert (tmp_path / "shared.md").read_bytes() == b"text"
    assert (tmp_path / "private.json").read_bytes() == b"head\npayload"
    assert mode(tmp_path / "shared.md") == 0o644
    assert mode(tmp_path / "private.json") == 0o600
    assert leftovers(tmp_path) == []


@posix_only
def test_replacing_keeps_neither_the_old_mode_nor_the_old_bytes(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"old and longer")
    os.chmod(target, 0o666)
    write_atomically(target, b"new", mode=0o600)
    assert target.read_bytes() == b"new" and mode(target) == 0o600


@posix_only
def test_a_symlink_at_the_target_is_replaced_never_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"precious")
    target = tmp_path / "out.md"
    target.symlink_to(elsewhere)
    write_atomically(target, b"export")
    assert not target.is_symlink() and target.read_bytes() == b"export"
    assert elsewhere.read_bytes() == b"precious"


@posix_only
def test_a_fifo_at_the_target_is_replaced_without_blocking(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    os.mkfifo(target)
    write_atomically(target, b"{}")  # opening the FIFO to write would block forever
    assert stat.S_ISREG(os.lstat(target).st_mode) and target.read_bytes() == b"{}"


@posix_only
def test_exclusive_never_replaces_anything(tmp_path: Path) -> None:
    existing = tmp_path / "old.yaml"
    existing.write_bytes(b"mine")
    with pytest.raises(FileExistsError):
        write_atomically(existing, b"theirs", exclusive=True)
    assert existing.read_bytes() == b"mine"
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to(tmp_path / "nowhere.yaml")
    with pytest.raises(FileExistsError):
        write_atomically(dangling, b"theirs", exclusive=True)
    assert not (tmp_path / "nowhere.yaml").exists()
    write_atomically(tmp_path / "new.yaml", b"fresh", exclusive=True)
    assert (tmp_path / "new.yaml").read_bytes() == b"fresh"
    assert leftovers(tmp_path) == []


@posix_only
def test_exclusive_without_hard_links_still_refuses_an_existing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_022: None
) -> None:
    def no_links(*_args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    write_atomically(tmp_path / "new.yaml", b"fresh", exclusive=True)
    assert (tmp_path / "new.yaml").read_bytes() == b"fresh"
    assert mode(tmp_path / "new.yaml") == 0o644
    with pytest.raises(FileExistsError):
        write_atomically(tmp_path / "new.yaml", b"again", exclusive=True)
    assert (tmp_path / "new.yaml").read_bytes() == b"fresh"
    assert leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.md"
    target.write_bytes(b"old")

    def full(*_args: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError, match="No space"):
        write_atomically(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []
    (tmp_path / "folder").mkdir()
    with pytest.raises(OSError):
        write_atomically(tmp_path / "folder", b"new")  # a folder is never replaced
    assert leftovers(tmp_path) == []


# --- places ---------------------------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG variables are Linux's")
def test_the_folders_follow_xdg_and_caching_can_be_turned_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = places.cache_folder()
    assert cache == Path(os.environ["XDG_CACHE_HOME"]) / "briefing"
    assert places.state_folder() == Path(os.environ["XDG_STATE_HOME"]) / "briefing"
    assert not cache.exists()  # asking never creates
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    assert places.cache_folder(create=True) is None


@posix_only
def test_the_folders_are_made_private_and_loose_ones_closed(umask_022: None) -> None:
    cache = places.cache_folder(create=True)
    assert cache is not None and mode(cache) == 0o700
    state = places.state_folder()
    state.mkdir(parents=True)
    os.chmod(state, 0o755)  # as an older version left it
    assert places.state_folder(create=True) == state and mode(state) == 0o700
    open_folder = places.cache_folder()
    assert open_folder is not None
    os.chmod(open_folder, 0o777)  # anything may have been planted: left for the cache to refuse
    places.cache_folder(create=True)
    assert mode(open_folder) == 0o777
