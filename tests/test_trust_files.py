"""Which files a briefing may show: its tree, never the home folder, never hidden files, and
never a source that is neither the file it was written from nor holds any of its quotes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_SOURCE, minimal_yaml, reader
from tui.cli import EXIT_INVALID, EXIT_OK, main
from tui.files import tree_root
from tui.loader import BriefingError, load_briefing

SECRET = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
WRONG_SHA = "0" * 64


def two_sources(first_path: str, first_sha: str = WRONG_SHA, cited: str = "source.txt") -> str:
    """A briefing whose first source (the one the reader shows) no quote cites; every quote
    cites the second, genuine one."""
    text = minimal_yaml().replace(
        "sources:\n",
        f"sources:\n  - id: shown\n    path: {first_path}\n    sha256: {first_sha}\n"
        "    title: Shown\n    language: en\n    reliability: C\n",
        1,
    )
    text = text.replace("path: ../seeds/source.txt", f"path: {cited}")
    return text.replace("{paragraph: 2,", "{source: src, paragraph: 2,")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text(SECRET)
    (home / "notes.txt").write_text("My private notes\n")
    (home / "briefings").mkdir()
    (home / "briefings" / "source.txt").write_text(MINIMAL_SOURCE)
    monkeypatch.setenv("HOME", str(home))
    return home


def validate(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str]:
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out


def errors_of(path: Path) -> list[str]:
    with pytest.raises(BriefingError) as caught:
        load_briefing(path)
    return [d.message for d in caught.value.diagnostics if d.severity == "error"]


# --- the home folder ------------------------------------------------------------------------


def test_a_key_beside_briefings_in_home_is_refused(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = home / "briefings" / "evil.yaml"
    evil.write_text(two_sources("../.ssh/id_ed25519"))
    code, out = validate(capsys, evil)
    assert code == EXIT_INVALID, out
    assert "BEGIN OPENSSH" not in out
    (message,) = errors_of(evil)
    assert "hidden" in message and "'.ssh'" in message


def test_home_is_never_the_tree(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert tree_root(home / "briefings" / "evil.yaml") == home / "briefings"
    evil = home / "briefings" / "evil.yaml"
    evil.write_text(two_sources("../notes.txt"))
    code, out = validate(capsys, evil)
    assert code == EXIT_INVALID, out
    (message,) = errors_of(evil)
    assert "leads outside the briefing's tree" in message


def test_a_briefing_kept_directly_in_home_reads_no_source(home: Path) -> None:
    (home / "source.txt").write_text(MINIMAL_SOURCE)
    briefing = home / "b.yaml"
    briefing.write_text(minimal_yaml().replace("../seeds/source.txt", "source.txt"))
    (message,) = errors_of(briefing)
    assert "home folder" in message


def test_root_is_never_the_filesystem_root() -> None:
    assert tree_root(Path("/briefings/x.yaml")) == Path("/briefings")


# --- hidden files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written", ["../.git/config", "../seeds/.env", "../.hidden/../seeds/source.txt"]
)
def test_hidden_paths_as_written_are_refused(tmp_path: Path, written: str) -> None:
    (tmp_path / "briefings").mkdir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / ".hidden").mkdir()
    for where in (tmp_path / ".git" / "config", tmp_path / "seeds" / ".env"):
        where.write_text(MINIMAL_SOURCE)
    (tmp_path / "seeds" / "source.txt").write_text(MINIMAL_SOURCE)
    briefing = tmp_path / "briefings" / "b.yaml"
    briefing.write_text(minimal_yaml().replace("../seeds/source.txt", written))
    (message,) = errors_of(briefing)
    assert "is hidden" in message


def test_a_symlink_to_a_hidden_file_inside_the_tree_is_refused(tmp_path: Path) -> None:
    (tmp_path / "briefings").mkdir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text(MINIMAL_SOURCE)
    (tmp_path / "seeds" / "source.txt").symlink_to("../.git/config")
    briefing = tmp_path / "briefings" / "b.yaml"
    briefing.write_text(minimal_yaml())
    (message,) = errors_of(briefing)
    assert "leads to a hidden file or folder ('.git')" in message


# --- a symlinked briefing -------------------------------------------------------------------


def test_a_symlinked_briefing_does_not_move_the_tree(tmp_path: Path) -> None:
    # notes/b.yaml -> elsewhere/briefings/b.yaml: resolved, the tree would be elsewhere/.
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "briefings").mkdir(parents=True)
    (elsewhere / "private.txt").write_text(MINIMAL_SOURCE)
    target = elsewhere / "briefings" / "b.yaml"
    target.write_text(minimal_yaml().replace("../seeds/source.txt", "../private.txt"))
    assert load_briefing(target).diagnostics == []  # through its own path: its own tree
    (tmp_path / "notes").mkdir()
    link = tmp_path / "notes" / "b.yaml"
    link.symlink_to(target)
    assert tree_root(link) == tmp_path / "notes"
    (message,) = errors_of(link)
    assert "leads outside the briefing's tree" in message


def test_a_symlink_within_the_project_still_loads(tmp_path: Path) -> None:
    (tmp_path / "briefings").mkdir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "source.txt").write_text(MINIMAL_SOURCE)
    (tmp_path / "briefings" / "b.yaml").write_text(minimal_yaml())
    (tmp_path / "briefings" / "latest.yaml").symlink_to("b.yaml")
    assert load_briefing(tmp_path / "briefings" / "latest.yaml").diagnostics == []


# --- sources that are not shown -------------------------------------------------------------


def project(tmp_path: Path, text: str) -> Path:
    (tmp_path / "briefings").mkdir(exist_ok=True)
    (tmp_path / "seeds").mkdir(exist_ok=True)
    (tmp_path / "seeds" / "source.txt").write_text(MINIMAL_SOURCE)
    (tmp_path / "seeds" / "other.txt").write_text("Nothing any quote cites.\n")
    briefing = tmp_path / "briefings" / "b.yaml"
    briefing.write_text(text)
    return briefing


def test_a_source_matching_neither_its_sha256_nor_any_quote_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    briefing = project(tmp_path, two_sources("../seeds/other.txt", cited="../seeds/source.txt"))
    code, out = validate(capsys, briefing)
    assert code == EXIT_INVALID, out
    (message,) = errors_of(briefing)
    assert message == (
        "source '../seeds/other.txt' does not match its sha256 and none of its quotes is "
        "found in it; it is not shown"
    )


def test_the_same_source_pinned_by_its_sha256_is_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    digest = hashlib.sha256(b"Nothing any quote cites.\n").hexdigest()
    text = two_sources("../seeds/other.txt", digest, cited="../seeds/source.txt")
    briefing = project(tmp_path, text)
    code, out = validate(capsys, briefing)
    assert code == EXIT_OK, out
    assert set(load_briefing(briefing).sources) == {"shown", "src"}


def test_a_changed_source_whose_quotes_still_resolve_is_shown(tmp_path: Path) -> None:
    (tmp_path / "briefings").mkdir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "source.txt").write_text(MINIMAL_SOURCE + "\nA new paragraph.\n")
    briefing = tmp_path / "briefings" / "b.yaml"
    briefing.write_text(minimal_yaml())
    loaded = load_briefing(briefing)
    assert {d.severity for d in loaded.diagnostics} == {"warning"}
    assert set(loaded.sources) == {"src"}


# --- messages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("../seeds/nothing.txt", "source file '../seeds/nothing.txt' does not exist"),
        ("../seeds/.env", "source path '../seeds/.env' is hidden ('.env')"),
        ("/etc/passwd", "source path '/etc/passwd' is absolute"),
    ],
)
def test_source_messages_say_source_once(tmp_path: Path, written: str, expected: str) -> None:
    briefing = project(tmp_path, minimal_yaml().replace("../seeds/source.txt", written))
    (message,) = errors_of(briefing)
    assert message.startswith(expected), message
    assert "source source" not in message


# --- the reader -----------------------------------------------------------------------------


def test_the_source_pane_says_why_instead_of_showing_a_withheld_source(tmp_path: Path) -> None:
    import asyncio
    from dataclasses import replace

    from tui.screens.briefing import BriefingScreen
    from tui.widgets.source_view import SourceView

    briefing = project(tmp_path, minimal_yaml())
    loaded = load_briefing(briefing)
    withheld = replace(loaded, sources={})  # as if the source had not been vouched for

    async def main() -> list[str]:
        async with reader(briefing, (80, 24)) as (app, pilot):
            screen = app.screen
            assert isinstance(screen, BriefingScreen)
            screen.show_loaded(withheld)
            await pilot.pause()
            view = screen.query_one(SourceView)
            lines = [view.render_line(y).text for y in range(view.size.height)]
            await pilot.press("slash", "A", "l", "i", "c", "e", "enter")
            await pilot.pause()
            return lines

    text = " ".join(" ".join(asyncio.run(main())).split())
    assert "Source '../seeds/source.txt' is not shown" in text
    assert "Alice met Bob in Paris" not in text


def test_proposed_fixes_of_a_symlinked_briefing_read_nothing_outside_its_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--propose-fixes pins the digest of a changed source and quotes the words a quote moved
    to: through a symlink it must not read a source the link's own tree does not hold."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "briefings").mkdir(parents=True)
    private = MINIMAL_SOURCE.replace("Paris", "Parisian")
    (elsewhere / "private.txt").write_text(private)
    digest = hashlib.sha256(private.encode()).hexdigest()
    target = elsewhere / "briefings" / "b.yaml"
    target.write_text(minimal_yaml().replace("../seeds/source.txt", "../private.txt"))
    (tmp_path / "notes").mkdir()
    link = tmp_path / "notes" / "b.yaml"
    link.symlink_to(target)
    main(["validate", "--propose-fixes", str(target)])
    assert digest in "".join(capsys.readouterr())  # through its own path, it is read
    main(["validate", "--propose-fixes", str(link)])
    out, err = capsys.readouterr()
    assert digest not in out + err
    assert "Traceback" not in out + err
