"""Authoring: `briefing new`, `validate --watch` and `validate --propose-fixes`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_SOURCE, MakeProject, minimal_yaml
from tui import strict_yaml
from tui.authoring import comment_text, propose_fixes, skeleton, yaml_string
from tui.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main, watch
from tui.loader import BriefingError, load_briefing
from tui.safe_text import is_clean
from tui.schema import SECTIONS


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


# --- briefing new ------------------------------------------------------------------------------


def test_new_writes_a_skeleton_in_briefings_that_validates_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "briefings").mkdir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "briefings" / "briefing.schema.json").write_text("{}")
    (tmp_path / "seeds" / "Talks 2024.txt").write_text(MINIMAL_SOURCE)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "new", "seeds/Talks 2024.txt")
    assert (code, err) == (EXIT_OK, "")
    written = tmp_path / "briefings" / "Talks 2024.yaml"
    assert "wrote briefings/Talks 2024.yaml" in out
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=briefing.schema.json\n")
    assert "#   ¶2  Alice met Bob in Paris on Monday." in text
    # Format 2's provenance and marking, which a new writer did not know to add.
    assert "\n# analyst: " in text and "\n# tlp: clear  # or green" in text
    loaded = load_briefing(written)
    assert loaded.diagnostics == []
    briefing = loaded.briefing
    assert briefing.id == "talks-2024" and briefing.title == "Title line"
    assert briefing.sources[0].path == "../seeds/Talks 2024.txt"
    assert all(getattr(briefing, key) == [] for key, _m, _t in SECTIONS)
    data, _positions = strict_yaml.load(text)
    assert {key for key, _m, _t in SECTIONS} <= set(data)  # every section written out


def test_new_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no briefings/ here: the skeleton goes beside the source
    (tmp_path / "source.txt").write_text(MINIMAL_SOURCE)
    assert run(capsys, "new", "source.txt")[0] == EXIT_OK
    written = tmp_path / "source.yaml"
    written.write_text("mine\n")
    code, _out, err = run(capsys, "new", "source.txt")
    assert code == EXIT_INVALID
    assert "source.yaml already exists; it is never overwritten" in err
    assert written.read_text() == "mine\n"
    code, _out, err = run(capsys, "new", "source.txt", "-o", "source.yaml")
    assert code == EXIT_INVALID and written.read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["source.txt", "source.yaml"]


def test_new_refuses_a_source_outside_the_tree_and_a_missing_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "project" / "briefings").mkdir(parents=True)
    (tmp_path / "elsewhere" / "s.txt").write_text(MINIMAL_SOURCE)
    monkeypatch.chdir(tmp_path / "project")
    code, _out, err = run(capsys, "new", "../elsewhere/s.txt", "-o", "briefings")
    assert code == EXIT_INVALID and "outside the briefing's tree" in err
    assert not (tmp_path / "project" / "briefings" / "s.yaml").exists()
    # Without -o, a source outside the project's tree gets its briefing beside it (it went to
    # briefings/ and was refused, though nothing asked for that folder).
    code, _out, err = run(capsys, "new", "../elsewhere/s.txt")
    assert (code, err) == (EXIT_OK, "")
    assert (tmp_path / "elsewhere" / "s.yaml").is_file()
    assert not (tmp_path / "project" / "briefings" / "s.yaml").exists()
    assert run(capsys, "new", "missing.txt")[0] == EXIT_USAGE


def test_skeleton_comments_cannot_break_out() -> None:
    hostile = (
        "Title\x1b]0;x\x07\n\n"
        "a\x85b: 1\u2028c: 2\u2029d: 3\re: 4\x0bf\x0cg \ufeff\ufffe\U000e0041 [^1]\n\n"
        "tail: injected\n"
    )
    text = skeleton(hostile, "0" * 64, "s.txt", "s", "briefing.schema.json\ninjected: 1")
    data, _positions = strict_yaml.load(text)
    assert "injected" not in data and "tail" not in data
    for line in text.split("\n"):
        assert is_clean(line)
    assert data["title"] == "Title␛]0;x␇"
    assert comment_text("a\nb\u2028c\x1b") == "a b c␛"


def test_yaml_string_round_trips_anything() -> None:
    for value in [
        'say "hi" \\ there',
        "\x1b[31m\x85\u2028\u202e\U0001f600\ufffe",
        "# not a comment",
    ]:
        line = f"k: {yaml_string(value)}\n"
        assert is_clean(line, keep_lines=True)
        assert strict_yaml.load(line)[0] == {"k": value}


# --- validate --watch -----------------------------------------------------------------------------


def test_watch_validates_again_after_each_change(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_project()
    saves = iter(
        [
            lambda: path.write_text(minimal_yaml().replace("kind: person", "kind: persn", 1)),
            lambda: None,  # no change: no new run
            lambda: path.write_text(minimal_yaml() + "\n"),
        ]
    )
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        next(saves)()

    assert watch([path], polls=4, sleep=sleep) == EXIT_OK
    out = capsys.readouterr().out
    summaries = re.findall(r"^\[\d\d:\d\d:\d\d\] 1 file checked, (.*)$", out, re.MULTILINE)
    assert summaries == [
        "all valid: 0 errors, 0 warnings",
        "1 invalid: 1 errors, 0 warnings",
        "all valid: 0 errors, 0 warnings",
    ]
    assert "error: kind: 'persn' is not allowed" in out
    assert slept == [0.5, 0.5, 0.5]


def test_watch_ends_cleanly_on_ctrl_c(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupt(_seconds: float) -> None:
        raise KeyboardInterrupt

    assert watch([make_project()], sleep=interrupt) == EXIT_OK
    assert "all valid" in capsys.readouterr().out


# --- validate --propose-fixes -----------------------------------------------------------------

BODY = """arms_sales:
  - id: tanks
    title: Tanks for Alice
    supplier: bob
    recipient: alice
    status: delivered
    confidence: high
    evidence:
      - quote: Bob sold 3 tanks to Alice
        suffix: "."
      - {quote: Bob sold 3 tanks}
events:
  - id: meeting
    kind: meeting
    title: Alice meets Bob
    participants: [alice, bob]
    status: held
    confidence: high
    evidence:
      - paragraph: 2
        quote: >-
          Alice met Bob in Paris
          on Monday.
"""
EDITED = "Title line\n\nAn added paragraph.\n\nAlice met Bob in Paris on Monday.\n\nBob sold 4 tanks to Alice.\n"


def test_propose_fixes_diff_applies_with_patch_and_validates_clean(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if shutil.which("patch") is None:
        pytest.skip("patch is not installed")
    path = make_project(minimal_yaml(body=BODY))
    assert load_briefing(path).diagnostics == []
    before = path.read_bytes()
    (path.parent.parent / "seeds" / "source.txt").write_text(EDITED)
    # The quote's number changed (3 became 4): an error until the briefing is fixed.
    with pytest.raises(BriefingError) as caught:
        load_briefing(path)
    assert any("touches a number ('3' became '4')" in d.message for d in caught.value.diagnostics)
    monkeypatch.chdir(path.parent.parent)
    code, diff, err = run(capsys, "validate", "--propose-fixes", "briefings/test.yaml")
    assert code == EXIT_OK, err
    assert path.read_bytes() == before  # the tool never rewrites the briefing
    assert diff.startswith("--- a/briefings/test.yaml\n+++ b/briefings/test.yaml\n")
    assert "quote changed: closest is paragraph 4" in err
    changed = [
        line[1:]
        for line in diff.splitlines()[2:]
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    for line in changed:  # only anchors' paragraph and quote lines, and the pinned sha256
        assert re.match(
            r"\s*(- )?(\{?paragraph: \d+|\{?quote: |sha256: |Alice met Bob|on Monday)", line
        ), line
    assert "+      - {paragraph: 3, quote: Alice met Bob}" in diff
    assert '+      - {paragraph: 4, quote: "Bob sold 4 tanks"}' in diff
    done = subprocess.run(
        ["patch", "-p1", "--quiet", "--no-backup-if-mismatch"],
        input=diff.encode(),
        cwd=path.parent.parent,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    fixed = load_briefing(path)
    assert fixed.diagnostics == []
    assert [e.span.paragraph for e in fixed.evidence["tanks"]] == [4, 4]  # type: ignore[union-attr]
    assert fixed.briefing.arms_sales[0].evidence[0].quote == "Bob sold 4 tanks to Alice"
    assert fixed.briefing.events[0].evidence[0].paragraph == 3


def test_propose_fixes_reports_lost_quotes_and_fails(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_project(minimal_yaml())
    (path.parent.parent / "seeds" / "source.txt").write_text(
        "Title line\n\nSomething else entirely.\n\nAlice met Bob in Paris on Monday.\n"
    )
    monkeypatch.chdir(path.parent.parent)
    proposal = propose_fixes(Path("briefings/test.yaml"))
    assert proposal.ok
    assert "sha256" in proposal.diff
    (path.parent.parent / "seeds" / "source.txt").write_text("Title line\n\nNothing here.\n")
    code, diff, err = run(capsys, "validate", "--propose-fixes", "briefings/test.yaml")
    assert code == EXIT_INVALID and diff == ""
    assert "quote lost" in err and "fix them by hand" in err


def test_propose_fixes_with_nothing_to_fix_and_usage(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_project()
    code, out, err = run(capsys, "validate", "--propose-fixes", str(path))
    assert (code, out) == (EXIT_OK, "") and "nothing to propose" in err
    assert run(capsys, "validate", "--propose-fixes", str(path), str(path))[0] == EXIT_USAGE
    assert run(capsys, "validate", "--propose-fixes", "--watch", str(path))[0] == EXIT_USAGE
    broken = make_project(minimal_yaml().replace("kind: person", "kind: persn", 1))
    code, out, err = run(capsys, "validate", "--propose-fixes", str(broken))
    assert code == EXIT_INVALID and "is not allowed" in err
    assert os.path.exists(broken)


def test_a_new_briefing_gets_the_usual_mode(tmp_path: Path) -> None:
    import os

    from tui.authoring import create_exclusive

    mask = os.umask(0o022)
    try:
        create_exclusive(tmp_path / "new.yaml", "schema: 1\n")
    finally:
        os.umask(mask)
    assert (tmp_path / "new.yaml").stat().st_mode & 0o777 == 0o644
