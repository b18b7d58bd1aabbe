"""An unexpected exception inside the reader: a short readable message, a crash log, exit 1.

Textual's own handler prints a long rich traceback with locals (briefing text among them) on
the restored terminal. The reader prints one cleaned line on stderr naming a crash log under
`$XDG_STATE_HOME/briefing` instead, and exits with status 1.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import MakeProject
from tui import app as app_module
from tui.app import BriefingApp, crash_message
from tui.screens.briefing import BriefingScreen

HOSTILE_MESSAGE = "boom \x1b]0;pwned\x07 [bold]x[/bold] \x9b2J \u202e" + "y" * 500
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
MESSAGE = re.compile(
    r"^briefing: internal error: (?P<type>\w+): (?P<text>.*); details in (?P<log>\S+crash-\S+\.log)$"
)


def crash_logs() -> list[Path]:
    folder = Path(os.environ["XDG_STATE_HOME"]) / "briefing"
    return sorted(folder.glob("crash-*.log")) if folder.is_dir() else []


def run_until_crash(target: Path, keys: tuple[str, ...]) -> BriefingApp:
    app = BriefingApp(target)

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press(*keys)
            await pilot.pause()

    # run_test re-raises the first exception for test frameworks; a real run does not.
    with pytest.raises(Exception) as raised:
        asyncio.run(main())
    app.raised = raised.value  # type: ignore[attr-defined]
    return app


def one_line(capsys: pytest.CaptureFixture[str]) -> re.Match[str]:
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err and "╭" not in err
    assert UNSAFE.search(err) is None, repr(err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    match = MESSAGE.match(lines[0])
    assert match is not None, lines[0]
    return match


def test_exception_in_an_action_ends_with_one_line_and_a_crash_log(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(self: BriefingScreen) -> None:
        raise RuntimeError(HOSTILE_MESSAGE)

    monkeypatch.setattr(BriefingScreen, "action_theme", broken)
    app = run_until_crash(make_project(), ("t",))
    assert isinstance(app.raised, RuntimeError)  # type: ignore[attr-defined]
    assert app.return_code == 1
    match = one_line(capsys)
    assert match["type"] == "RuntimeError"
    # Cleaned (control pictures, markup literal) and clipped.
    assert match["text"].startswith("boom ␛]0;pwned␇ [bold]x[/bold] \ufffd2J ⌧yyy")
    assert match["text"].endswith("…") and len(match["text"]) == 200
    [log] = crash_logs()
    assert match["log"] == str(log)
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last):" in text
    assert "in broken" in text and "RuntimeError: boom ␛]0;pwned␇" in text
    assert "y" * 500 in text  # the log keeps the whole message
    assert UNSAFE.search(text) is None
    assert not [p for p in log.parent.iterdir() if p.name.endswith(".tmp")]  # no temp left


def test_exception_while_showing_a_loaded_briefing_names_the_real_error(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A loader bug is shown on the error screen (test_input_safety); a bug after the load,
    # while the panes are filled, ends the reader with its own name, not a wrapper's.
    def broken(loaded: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("tui.links.Links.build", broken)
    app = run_until_crash(make_project(), ())
    assert app.return_code == 1
    match = one_line(capsys)
    assert (match["type"], match["text"]) == ("ZeroDivisionError", "division by zero")
    [log] = crash_logs()
    assert "ZeroDivisionError: division by zero" in log.read_text(encoding="utf-8")


def test_unwritable_state_folder_still_ends_with_one_line(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))

    def broken(self: BriefingScreen) -> None:
        raise KeyError("k")

    monkeypatch.setattr(BriefingScreen, "action_theme", broken)
    app = run_until_crash(make_project(), ("t",))
    assert app.return_code == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip().startswith("briefing: internal error: KeyError: 'k'; the details could")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_crash_message_of_an_empty_exception() -> None:
    assert crash_message(ValueError(), Path("/x/crash.log")) == (
        "briefing: internal error: ValueError; details in /x/crash.log"
    )
    assert app_module.MESSAGE_LIMIT == 200


# --- on a real terminal -----------------------------------------------------------------------

CRASHING_READER = """
import sys
from tui.cli import main
from tui.screens.briefing import BriefingScreen

def broken(self):
    raise RuntimeError("boom \\x1b]0;pwned\\x07")

BriefingScreen.action_theme = broken
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_crash_on_a_real_terminal_restores_it(make_project: MakeProject, tmp_path: Path) -> None:
    from tests.tmux import Terminal

    script = tmp_path / "crashing.py"
    script.write_text(CRASHING_READER)
    state = tmp_path / "state"
    command = (
        f"XDG_STATE_HOME={shlex.quote(str(state))} TERM=xterm-256color "
        f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} "
        f"{shlex.quote(str(make_project()))}"
    )
    session = Terminal(command, size=(100, 30))
    try:
        session.wait_for(lambda s: "1 Parties (2)" in s)
        session.keys("t")
        screen = session.wait_for(lambda s: "EXITED" in s)
        title = session.shown("#{pane_title}")
        in_alternate = session.shown("#{alternate_on}")
    finally:
        session.close()
    assert "EXITED 1" in screen
    assert "Outline" not in screen, "the alternate screen was not left"
    assert in_alternate.strip() == "0"
    assert "Traceback" not in screen and "╭" not in screen
    assert "briefing: internal error: RuntimeError: boom ␛]0;pwned␇; details in" in screen
    assert "pwned" not in title
    [log] = sorted((state / "briefing").glob("crash-*.log"))
    assert "RuntimeError: boom" in log.read_text(encoding="utf-8")
