"""The editing session (tui/editing.py): validated changes, refusals with reasons, never a write
over someone else's edit, and undo/redo back to the very bytes."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SEED_BRIEFING, SEED_SOURCE
from tui import yaml_edit
from tui.authoring import new_briefing
from tui.editing import Refused, Session, Stale, new_errors
from tui.files import FileProblem
from tui.loader import BriefingError, load_briefing


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """A copy of the bundled briefing beside its source."""
    (tmp_path / "briefings").mkdir()
    (tmp_path / "seeds").mkdir()
    shutil.copy(SEED_SOURCE, tmp_path / "seeds" / SEED_SOURCE.name)
    target = tmp_path / "briefings" / SEED_BRIEFING.name
    shutil.copy(SEED_BRIEFING, target)
    return target


@pytest.fixture
def skeleton(tmp_path: Path) -> Path:
    """What `briefing new` writes for the bundled source."""
    (tmp_path / "briefings").mkdir()
    (tmp_path / "seeds").mkdir()
    source = tmp_path / "seeds" / SEED_SOURCE.name
    shutil.copy(SEED_SOURCE, source)
    return new_briefing(source, tmp_path / "briefings" / "new.yaml")


PARTY = {
    "id": "russian-soldiers",
    "kind": "group",
    "name": "Russian soldiers",
    "stated": "plainly",
    "evidence": [{"paragraph": 3, "quote": "Russian and Chinese soldiers"}],
}


def changes(text: str) -> list[tuple[str, str]]:
    """One change of each kind, each made on the text the one before it left."""
    steps: list[tuple[str, str]] = []
    text = yaml_edit.add_item(text, "parties", PARTY)
    steps.append(("add a party", text))
    text = yaml_edit.set_fields(
        text, "parties", "russian-soldiers", {"notes": "In a photo caption.", "kind": None}
    )
    text = yaml_edit.set_fields(text, "parties", "russian-soldiers", {"kind": "military"})
    steps.append(("set fields", text))
    anchor = {"paragraph": 12, "quote": "Russia had sent over 1,000 troops"}
    text = yaml_edit.add_entry(text, "parties", "russian-soldiers", "evidence", anchor)
    steps.append(("add evidence", text))
    text = yaml_edit.remove_entry(text, "parties", "russian-soldiers", "evidence", 0)
    steps.append(("remove evidence", text))
    text = yaml_edit.remove_item(text, "parties", "russian-soldiers")
    steps.append(("remove the party", text))
    return steps


def same_mtime_edit(path: Path, old: bytes, new: bytes) -> None:
    """Someone else's edit that keeps the file's size and modification time."""
    assert len(old) == len(new) and old != new
    info = path.stat()
    path.write_bytes(new)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns


# --- undo and redo --------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["bundled", "skeleton"])
def test_undo_and_redo_of_every_kind_of_change(which: str, request: pytest.FixtureRequest) -> None:
    path: Path = request.getfixturevalue(which)
    original = path.read_bytes()
    session = Session(path)
    assert not session.can_undo and not session.can_redo
    disk = [original]
    for label, text in changes(session.text):
        change = session.apply(text, label, line=3)
        assert change.after == text and change.label == label
        assert path.read_bytes() == text.encode() == session.text.encode()
        disk.append(path.read_bytes())
    assert session.can_undo and not session.can_redo
    for expected in reversed(disk[:-1]):
        change = session.undo()
        assert change is not None
        assert path.read_bytes() == expected  # the very bytes, each step back
        assert session.text.encode() == expected
    assert session.undo() is None and not session.can_undo
    assert path.read_bytes() == original
    for expected in disk[1:]:
        assert session.redo() is not None
        assert path.read_bytes() == expected
    assert session.redo() is None
    assert not session.diagnostics or all(d.severity == "warning" for d in session.diagnostics)


def test_a_new_change_clears_redo(bundled: Path) -> None:
    session = Session(bundled)
    label, text = changes(session.text)[0]
    session.apply(text, label)
    session.undo()
    assert session.can_redo
    session.apply(yaml_edit.set_fields(session.text, "parties", "russia", {"name": "RF"}), "x")
    assert not session.can_redo


def test_no_change_writes_nothing(bundled: Path) -> None:
    before = bundled.stat().st_mtime_ns
    session = Session(bundled)
    change = session.apply(session.text, "nothing")
    assert change.before == change.after and not session.can_undo
    assert bundled.stat().st_mtime_ns == before


# --- never over someone else's edit ---------------------------------------------------------


def test_stale_on_apply_even_with_same_size_and_time(bundled: Path) -> None:
    session = Session(bundled)
    original = bundled.read_bytes()
    theirs = original.replace(b"name: Russia\n", b"name: Rossia\n", 1)
    same_mtime_edit(bundled, original, theirs)
    assert session.changed_on_disk()
    text = yaml_edit.set_fields(session.text, "parties", "china", {"name": "PRC"})
    with pytest.raises(Stale, match="changed on disk"):
        session.apply(text, "rename")
    assert bundled.read_bytes() == theirs  # their edit stands
    assert not session.can_undo
    session.reload()
    assert session.text.encode() == theirs and not session.changed_on_disk()
    session.apply(yaml_edit.set_fields(session.text, "parties", "china", {"name": "PRC"}), "x")
    assert b"name: Rossia" in bundled.read_bytes() and b"name: PRC" in bundled.read_bytes()


def test_stale_on_undo_and_redo(bundled: Path) -> None:
    session = Session(bundled)
    label, text = changes(session.text)[0]
    session.apply(text, label)
    mine = bundled.read_bytes()
    theirs = mine.replace(b"name: Russia\n", b"name: Rossia\n", 1)
    same_mtime_edit(bundled, mine, theirs)
    with pytest.raises(Stale):
        session.undo()
    assert bundled.read_bytes() == theirs and session.can_undo
    same_mtime_edit(bundled, theirs, mine)  # put back: undo works again
    session.undo()
    assert session.can_redo
    after_undo = bundled.read_bytes()
    same_mtime_edit(
        bundled, after_undo, after_undo.replace(b"name: Russia\n", b"name: Rossia\n", 1)
    )
    with pytest.raises(Stale):
        session.redo()
    assert session.can_redo
    session.reload()
    assert not session.can_undo and not session.can_redo


def test_stale_when_the_file_is_gone(bundled: Path) -> None:
    session = Session(bundled)
    bundled.unlink()
    assert session.changed_on_disk()
    with pytest.raises(Stale):
        session.apply(changes(session.text)[0][1], "add")
    assert not bundled.exists()


def test_stale_when_the_file_changes_during_validation(
    bundled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check is made again just before writing: an edit saved while the new text was
    being validated is not overwritten."""
    import tui.editing

    session = Session(bundled)
    real = tui.editing.parse_briefing
    theirs = bundled.read_bytes() + b"# theirs\n"

    def slow(*args: object, **kwargs: object) -> object:
        bundled.write_bytes(theirs)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tui.editing, "parse_briefing", slow)
    with pytest.raises(Stale):
        session.apply(changes(session.text)[0][1], "add")
    assert bundled.read_bytes() == theirs


# --- refusals -------------------------------------------------------------------------------


def test_a_change_adding_an_error_is_refused_with_the_reason(bundled: Path) -> None:
    session = Session(bundled)
    original = bundled.read_bytes()
    text = yaml_edit.set_fields(session.text, "parties", "putin", {"affiliation": "nobody"})
    with pytest.raises(Refused) as refused:
        session.apply(text, "affiliation")
    assert "unknown party id 'nobody'" in str(refused.value)
    assert next(d.message for d in refused.value.diagnostics).startswith("unknown party id")
    assert bundled.read_bytes() == original and not session.can_undo
    bad_quote = {"paragraph": 4, "quote": "words the article never says"}
    with pytest.raises(Refused, match="quote"):
        session.apply(
            yaml_edit.add_entry(session.text, "parties", "putin", "evidence", bad_quote), "quote"
        )
    with pytest.raises(Refused, match=r"line 3: YAML syntax"):
        session.apply("schema: 2\nid: [\n", "broken")
    with pytest.raises(Refused, match="kind"):
        session.apply(
            yaml_edit.set_fields(session.text, "parties", "putin", {"kind": "planet"}), "kind"
        )
    assert bundled.read_bytes() == original


def test_errors_already_there_do_not_block_other_changes(bundled: Path) -> None:
    text = yaml_edit.set_fields(bundled.read_text(), "parties", "xinhua", {"affiliation": "nobody"})
    bundled.write_text(text)
    session = Session(bundled)  # opens, with its error
    assert next(d.message for d in session.diagnostics if d.severity == "error").startswith(
        "unknown party id 'nobody'"
    )
    # Lines above the error move: the same error in the same item is not a new one.
    moved = yaml_edit.set_fields(session.text, "parties", "russia", {"aliases": ["RF", "Rus"]})
    moved = yaml_edit.set_fields(moved, "parties", "russia", {"notes": "x " * 100 + "y"})
    session.apply(moved, "aliases")
    # A new party changes the ids the error's advice lists: still the same error.
    session.apply(yaml_edit.add_item(session.text, "parties", PARTY), "party")
    # The same message in another item is new.
    with pytest.raises(Refused):
        session.apply(
            yaml_edit.set_fields(session.text, "parties", "apec", {"affiliation": "nobody"}), "x"
        )


def test_renaming_an_item_keeps_its_errors_its_own(bundled: Path) -> None:
    extra = {**PARTY, "id": "extra", "affiliation": "nobody"}
    bundled.write_text(yaml_edit.add_item(bundled.read_text(), "parties", extra))
    session = Session(bundled)
    assert len(session.loaded.errors) == 1
    session.apply(yaml_edit.set_fields(session.text, "parties", "extra", {"id": "extra-2"}), "id")
    assert "id: extra-2" in bundled.read_text()


def test_new_errors_compare_by_item_and_message() -> None:
    from tui.loader import Diagnostic

    old_text = "parties:\n  - id: a\n    x: 1\n  - id: b\n    x: 1\n"
    new_text = "# moved\nparties:\n  - id: a\n    x: 1\n  - id: b\n    x: 1\n"

    def error(line: int, message: str = "unknown field 'x'") -> Diagnostic:
        return Diagnostic("f.yaml", line, 5, "error", message)

    assert new_errors(old_text, [error(3)], new_text, [error(4)]) == []
    assert new_errors(old_text, [error(3)], new_text, [error(4), error(6)]) == [error(6)]
    assert new_errors(old_text, [], new_text, [Diagnostic("f", 1, 1, "warning", "w")]) == []
    dup = "duplicate key 'x' (first at line {}, column 5)"
    assert (
        new_errors(old_text, [error(3, dup.format(3))], new_text, [error(4, dup.format(4))]) == []
    )


# --- opening --------------------------------------------------------------------------------


def test_a_file_that_is_not_yaml_gives_its_position(bundled: Path) -> None:
    bundled.write_text("schema: 2\nid: x\ntitle: [unclosed\nsummary: y\n")
    with pytest.raises(BriefingError) as error:
        Session(bundled)
    shown = error.value.diagnostics[0].format()
    assert f"{bundled.name}:" in shown and ": error: YAML syntax" in shown
    line, column = shown.split(f"{bundled.name}:", 1)[1].split(":")[:2]
    assert line.isdigit() and column.isdigit()


def test_a_file_that_is_not_utf8_gives_its_position(bundled: Path) -> None:
    bundled.write_bytes(b"schema: 2\nid: \xff\n")
    with pytest.raises(BriefingError, match=r":2:5: error: not UTF-8"):
        Session(bundled)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BriefingError, match="does not exist"):
        Session(tmp_path / "none.yaml")


def test_reload_of_a_broken_file_leaves_the_session(bundled: Path) -> None:
    session = Session(bundled)
    text = session.text
    bundled.write_text("schema: [\n")
    with pytest.raises(BriefingError):
        session.reload()
    assert session.text == text and session.changed_on_disk()


# --- how it writes --------------------------------------------------------------------------


def test_permissions_and_symlinks_are_kept(bundled: Path) -> None:
    bundled.chmod(0o640)
    link = bundled.with_name("link.yaml")
    link.symlink_to(bundled.name)
    session = Session(link)
    session.apply(changes(session.text)[0][1], "add")
    assert link.is_symlink()
    assert stat.S_IMODE(bundled.stat().st_mode) == 0o640
    assert b"russian-soldiers" in bundled.read_bytes()
    assert not list(bundled.parent.glob(".*.tmp"))  # no temporary file left


def test_an_unwritable_folder_is_a_file_problem(bundled: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    session = Session(bundled)
    bundled.parent.chmod(0o500)
    try:
        with pytest.raises(FileProblem, match="cannot be written"):
            session.apply(changes(session.text)[0][1], "add")
    finally:
        bundled.parent.chmod(0o700)
    assert not session.can_undo


def test_a_briefing_built_from_a_skeleton_validates(skeleton: Path) -> None:
    """A party, a drill with a contribution and a statement, each with evidence, made through
    the session on what `briefing new` wrote: `validate` passes."""
    session = Session(skeleton)
    text = session.text
    for party, quote in (("russia", "Russia had sent"), ("china", "with China")):
        text = yaml_edit.add_item(
            text,
            "parties",
            {
                "id": party,
                "kind": "state",
                "name": party.title(),
                "stated": "plainly",
                "evidence": [{"paragraph": 12, "quote": quote}],
            },
        )
        session.apply(text, f"party {party}")
    text = yaml_edit.add_item(
        text,
        "drills",
        {
            "id": "sco-drills",
            "participants": ["russia", "china"],
            "stated": "plainly",
            "evidence": [{"paragraph": 12, "quote": "joint drills"}],
        },
    )
    session.apply(text, "drill")
    anchor = {"paragraph": 12, "quote": "13 battle tanks"}
    text = yaml_edit.add_entry(text, "drills", "sco-drills", "evidence", anchor)
    session.apply(text, "evidence")
    contribution = {
        "party": "russia",
        "equipment": "battle tank",
        "quantity": {"value": 13, "unit": "battle tanks", "reported": "13 battle tanks"},
    }
    text = yaml_edit.add_entry(text, "drills", "sco-drills", "contributions", contribution)
    session.apply(text, "contribution")
    text = yaml_edit.add_item(
        text,
        "statements",
        {
            "id": "gerasimov-projects",
            "speaker": "russia",
            "text": "Many cooperation projects in critical areas were agreed upon",
            "mode": "direct",
            "stated": "plainly",
            "evidence": [{"quote": "Many cooperation projects in critical areas were agreed upon"}],
        },
    )
    session.apply(text, "statement")
    assert session.loaded.errors == []
    assert load_briefing(skeleton).errors == []
    assert len(session.loaded.briefing.drills[0].contributions) == 1


def test_crlf_and_byte_order_mark_survive_changes_and_undo(bundled: Path) -> None:
    original = b"\xef\xbb\xbf" + bundled.read_bytes().replace(b"\n", b"\r\n")
    bundled.write_bytes(original)
    session = Session(bundled)
    for label, text in changes(session.text):
        session.apply(text, label)
        raw = bundled.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\n" not in raw.replace(b"\r\n", b"")
    while session.undo() is not None:
        pass
    assert bundled.read_bytes() == original


def test_a_failed_write_changes_nothing(bundled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.editing

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    session = Session(bundled)
    before = session.text
    monkeypatch.setattr(tui.editing, "write_atomically", full)
    with pytest.raises(FileProblem, match="No space left on device; nothing changed"):
        session.apply(changes(session.text)[0][1], "add")
    assert session.text == before and not session.can_undo
    assert bundled.read_text() == before and not session.changed_on_disk()


# --- any sequence of changes, undos and redos ------------------------------------------------

STEPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "set", "evidence", "unevidence", "remove", "undo", "redo"]),
        st.integers(0, 3),
        st.text(max_size=30),
    ),
    max_size=8,
)
QUOTES = ["Russia and China", "military cooperation", "Xi Jinping", "Vladimir Putin"]


def run_steps(path: Path, steps: list[tuple[str, int, str]]) -> None:
    original = path.read_bytes()
    session = Session(path)
    for kind, n, words in steps:
        item_id = f"party-{n}"
        text = session.text
        try:
            if kind == "undo":
                session.undo()
            elif kind == "redo":
                session.redo()
            else:
                if kind == "add":
                    item = {**PARTY, "id": item_id, "name": words or "x"}
                    text = yaml_edit.add_item(text, "parties", item)
                elif kind == "set":
                    text = yaml_edit.set_fields(text, "parties", item_id, {"notes": words or None})
                elif kind == "evidence":
                    anchor = {"quote": QUOTES[n]}
                    text = yaml_edit.add_entry(text, "parties", item_id, "evidence", anchor)
                elif kind == "unevidence":
                    text = yaml_edit.remove_entry(text, "parties", item_id, "evidence", 0)
                else:
                    text = yaml_edit.remove_item(text, "parties", item_id)
                session.apply(text, kind)
        except (yaml_edit.EditError, Refused):
            pass
        assert path.read_bytes() == session.text.encode("utf-8")
        assert not any(d.severity == "error" for d in session.diagnostics)
    while session.undo() is not None:
        pass
    assert path.read_bytes() == original


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(STEPS)
def test_any_steps_undo_to_the_original_bytes(steps: list[tuple[str, int, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        run_steps(_project(Path(folder)), steps)


@pytest.mark.fuzz
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(STEPS)
def test_any_steps_undo_to_the_original_bytes_large(steps: list[tuple[str, int, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        run_steps(_project(Path(folder)), steps)


def _project(folder: Path) -> Path:
    (folder / "briefings").mkdir()
    (folder / "seeds").mkdir()
    source = folder / "seeds" / SEED_SOURCE.name
    shutil.copy(SEED_SOURCE, source)
    return new_briefing(source, folder / "briefings" / "new.yaml")
