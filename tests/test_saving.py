"""Saving from the reader's prompt (tui/saving.py), without a screen: what the note says."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MakeProject
from tui.loader import load_briefing
from tui.saving import Outcome, save_typed


def test_a_typed_name_is_saved_in_the_folder_then_replaced(
    make_project: MakeProject, tmp_path: Path
) -> None:
    loaded = load_briefing(make_project())
    out = tmp_path / "out"
    out.mkdir()
    assert save_typed(loaded, "json", "x.json", out) == Outcome(f"Saved {out / 'x.json'}", "saved")
    assert save_typed(loaded, "json", str(out), tmp_path) == Outcome(
        f"Saved {out / 'test-briefing.json'}", "saved"
    )
    again = save_typed(loaded, "json", " x.json ", out)
    assert again == Outcome(f"Replaced {out / 'x.json'}", "saved")
    assert (out / "x.json").read_text(encoding="utf-8").startswith("{")


def test_refusals_and_failures_say_why_and_write_nothing(
    make_project: MakeProject, tmp_path: Path
) -> None:
    briefing = make_project()
    loaded = load_briefing(briefing)
    kept = briefing.read_bytes()
    refused = save_typed(loaded, "markdown", str(briefing), tmp_path)
    assert refused.kind == "refused" and "the briefing itself" in refused.message
    assert save_typed(loaded, "markdown", "", tmp_path).kind == "refused"
    assert briefing.read_bytes() == kept
    # A path through a plain file: no such folder, said before anything is tried.
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    blocked = save_typed(loaded, "markdown", "plain/x.md", tmp_path)
    assert blocked.kind == "refused" and "There is no folder" in blocked.message


def test_a_home_folder_of_nobody_is_refused_not_raised(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """`~name/...` of a user who does not exist made expanduser raise RuntimeError, which the
    screen did not catch: the reader ended with a traceback."""
    loaded = load_briefing(make_project())
    outcome = save_typed(loaded, "json", "~no-such-user-zq/x.json", tmp_path)
    assert outcome == Outcome("There is no home folder ~no-such-user-zq: nothing saved", "refused")
    assert list(tmp_path.glob("**/x.json")) == []


def test_a_write_that_fails_is_a_failure_with_the_systems_words(
    make_project: MakeProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.saving

    def refuse(path: Path, data: bytes) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tui.saving, "write_atomically", refuse)
    loaded = load_briefing(make_project())
    assert save_typed(loaded, "json", "x.json", tmp_path) == Outcome(
        "Export failed: Permission denied", "failed"
    )
