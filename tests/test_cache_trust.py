"""The cache never changes an answer: no cache, a warm one, and a planted, tampered, truncated,
foreign or misplaced entry all give the same exit status, diagnostics and content."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED_BRIEFING, MakeProject, minimal_yaml
from tui import cache, loader
from tui.cli import main
from tui.loader import BriefingError, Loaded, load_briefing
from tui.schema import Briefing

BAD = minimal_yaml().replace("quote: Alice met Bob}", "quote: Alice met Carol}")
"""One quote that is not in the source (an error), and nothing else wrong."""


def snapshot(loaded: Loaded) -> tuple[Any, ...]:
    """Everything a reader or a tool sees of a load (SourceText keeps private caches)."""
    return (
        loaded.path,
        loaded.briefing,
        loaded.briefing.model_dump_json(by_alias=True),
        [(sid, s.text, s.digest) for sid, s in loaded.sources.items()],
        loaded.evidence,
        loaded.diagnostics,
    )


def answer(path: Path) -> tuple[Any, ...]:
    try:
        return ("valid", snapshot(load_briefing(path)))
    except BriefingError as error:
        return ("invalid", error.diagnostics)


def validate(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str, str]:
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


def cold(monkeypatch: pytest.MonkeyPatch, path: Path) -> tuple[Any, ...]:
    with monkeypatch.context() as patched:
        patched.setenv("BRIEFING_NO_CACHE", "1")
        return answer(path)


def entries() -> list[Path]:
    base = cache.folder()
    assert base is not None
    return sorted(base.glob("*.json"))


def names_asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The entry names the loader looks up, whatever the key function."""
    asked: list[str] = []
    real_read = cache.read

    def spy(name: str) -> Any:
        asked.append(name)
        return real_read(name)

    monkeypatch.setattr(cache, "read", spy)
    return asked


def resign(entry: Path, header: dict[str, Any], payload: bytes) -> None:
    """Rewrite an entry as this user's cache would: a valid MAC on altered content."""
    name = entry.stem
    for field in ("mac", "format"):
        header.pop(field, None)
    cache.write(name, header, payload)


# --- a planted entry ------------------------------------------------------------------------


def test_a_planted_entry_cannot_make_a_bad_briefing_valid(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_project()
    good = load_briefing(path)  # valid: writes an entry
    (good_entry,) = entries()
    path.write_text(BAD)
    expected = cold(monkeypatch, path)
    assert expected[0] == "invalid"
    expected_validate = validate(capsys, path)
    assert expected_validate[0] == 1
    asked = names_asked(monkeypatch)
    assert answer(path) == expected
    # Plant the good briefing's entry under the name the bad one is looked up by.
    shutil.copyfile(good_entry, good_entry.with_name(f"{asked[-1]}.json"))
    assert answer(path) == expected
    assert validate(capsys, path) == expected_validate
    assert good.briefing.parties[0].name == "Alice"


def test_an_entry_with_altered_content_is_a_miss(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_project()
    expected = cold(monkeypatch, path)
    expected_validate = validate(capsys, path)
    (entry,) = entries()
    raw = entry.read_bytes()
    for forged in (
        raw.replace(b'"name":"Alice"', b'"name":"Mallory"'),
        raw.replace(b'"quote":"Alice met Bob"', b'"quote":"Alice met Bob in Paris"'),
        raw.replace(b'"spans": [[2, 0, 13]', b'"spans": [[2, 0, 27]'),
        raw.replace(b'"diagnostics": []', b'"diagnostics": [[1, 1, "warning", "planted"]]'),
    ):
        assert forged != raw
        entry.write_bytes(forged)
        assert answer(path) == expected
        assert validate(capsys, path) == expected_validate
        assert entry.read_bytes() == raw  # a miss: loaded cold and written again


@pytest.mark.parametrize("cut", [0, 1, 70, -1, -100])
def test_a_truncated_entry_is_a_miss(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, cut: int
) -> None:
    path = make_project()
    expected = cold(monkeypatch, path)
    assert answer(path) == expected
    (entry,) = entries()
    raw = entry.read_bytes()
    entry.write_bytes(raw[:cut])
    assert answer(path) == expected
    assert entry.read_bytes() == raw


def test_an_entry_from_another_cache_is_a_miss(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = make_project()
    expected = cold(monkeypatch, path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-cache"))
    load_briefing(path)
    (foreign,) = entries()
    forged = foreign.read_bytes().replace(b'"name":"Alice"', b'"name":"Mallory"')
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "own-cache"))
    load_briefing(path)
    (entry,) = entries()
    raw = entry.read_bytes()
    entry.write_bytes(forged)  # the other user's secret signed it, not ours
    assert answer(path) == expected
    assert entry.read_bytes() == raw


def test_an_entry_moved_to_another_name_is_a_miss(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = make_project()
    other = path.with_name("other.yaml")
    other.write_text(minimal_yaml().replace("name: Alice", "name: Mallory"))
    load_briefing(other)
    (other_entry,) = entries()
    expected = cold(monkeypatch, path)
    load_briefing(path)
    (entry,) = (e for e in entries() if e != other_entry)
    raw = entry.read_bytes()
    shutil.copyfile(other_entry, entry)
    assert answer(path) == expected
    assert entry.read_bytes() == raw


# --- hits are checked again -----------------------------------------------------------------


def test_a_signed_entry_whose_span_misses_its_quote_is_a_miss(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_project()
    expected = cold(monkeypatch, path)
    load_briefing(path)
    (entry,) = entries()
    raw = entry.read_bytes()
    header, _, payload = raw.partition(b"\n")
    fields = json.loads(header)
    assert fields["spans"][0] == [2, 0, 13]
    fields["spans"][0] = [2, 10, 22]  # Bob's words under Alice's quote
    resign(entry, fields, payload)
    assert answer(path) == expected


def test_an_entry_written_by_other_code_is_a_miss(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_project()
    load_briefing(path)
    (old,) = entries()
    monkeypatch.setattr(cache, "_code", "another version of the checks")
    asked = names_asked(monkeypatch)
    load_briefing(path)
    assert asked and asked[-1] != old.stem


def test_warm_and_cold_loads_are_identical(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = cold(monkeypatch, SEED_BRIEFING)
    with monkeypatch.context() as patched:
        patched.setenv("BRIEFING_NO_CACHE", "1")
        expected_validate = validate(capsys, SEED_BRIEFING)
    first = answer(SEED_BRIEFING)
    asked = names_asked(monkeypatch)
    warm = answer(SEED_BRIEFING)
    assert asked and (cache.folder() / f"{asked[-1]}.json").exists()  # type: ignore[operator]
    assert first == warm == expected
    assert validate(capsys, SEED_BRIEFING) == expected_validate
    (entry,) = entries()
    payload = entry.read_bytes().partition(b"\n")[2]
    assert Briefing.model_validate_json(payload) == load_briefing(SEED_BRIEFING).briefing


def test_a_warm_load_keeps_its_warnings(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_project(minimal_yaml(), "Title line\n\nAlice met Bob in Paris on Monday.\n")
    expected = cold(monkeypatch, path)
    assert expected[0] == "valid" and expected[1][-1]  # warnings, no errors
    assert answer(path) == expected
    assert answer(path) == expected


# --- who may write the cache ----------------------------------------------------------------


def test_the_folder_the_secret_and_entries_are_private(make_project: MakeProject) -> None:
    load_briefing(make_project())
    base = cache.folder()
    assert base is not None
    assert stat.S_IMODE(base.stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE((base / cache.SECRET).stat().st_mode) == 0o600
    (entry,) = entries()
    assert stat.S_IMODE(entry.stat().st_mode) & 0o077 == 0


def test_an_entry_others_may_write_is_ignored(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_project()
    load_briefing(path)
    (entry,) = entries()
    entry.chmod(0o664)
    asked = names_asked(monkeypatch)
    counting = count_cold_loads(monkeypatch)
    load_briefing(path)
    assert asked and counting.calls == 1  # read cold, not from the open entry
    assert stat.S_IMODE(entry.stat().st_mode) & 0o077 == 0  # and rewritten private


def test_a_foreign_secret_or_entry_is_ignored(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_project()
    load_briefing(path)
    someone_else = os.getuid() + 1
    monkeypatch.setattr(cache.os, "getuid", lambda: someone_else)  # all of it is theirs
    counting = count_cold_loads(monkeypatch)
    load_briefing(path)
    assert counting.calls == 1


def test_a_secret_others_can_read_is_not_used(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_project()
    load_briefing(path)
    base = cache.folder()
    assert base is not None
    (base / cache.SECRET).chmod(0o644)
    counting = count_cold_loads(monkeypatch)
    load_briefing(path)
    assert counting.calls == 1


def test_a_folder_others_can_write_is_not_used(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    open_base = tmp_path / "open-cache"
    (open_base / "briefing").mkdir(parents=True)
    (open_base / "briefing").chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(open_base))
    path = make_project()
    expected = cold(monkeypatch, path)
    assert answer(path) == expected
    assert list((open_base / "briefing").iterdir()) == []  # nothing written there


class Counting:
    """Stands in for parse_briefing and counts the cold loads."""

    def __init__(self, function: Any) -> None:
        self.function = function
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.function(*args, **kwargs)


def count_cold_loads(monkeypatch: pytest.MonkeyPatch) -> Counting:
    counting = Counting(loader.parse_briefing)
    monkeypatch.setattr(loader, "parse_briefing", counting)
    return counting
