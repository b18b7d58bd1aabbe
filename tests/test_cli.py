"""The `briefing` command: validate (text and JSON) and schema, exit codes, no tracebacks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import SEED_BRIEFING, MakeProject, minimal_yaml
from tui import loader
from tui.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main

GCC = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.+)$"
)

BROKEN = minimal_yaml().replace("kind: person\n    name: Bob", "kind: persn\n    name: Bob")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    return code, out, err


def test_validate_valid_file(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_project()
    code, out, err = run(capsys, "validate", str(path))
    assert code == EXIT_OK
    assert out == "1 file checked, all valid: 0 errors, 0 warnings\n"
    assert err == ""


def test_validate_invalid_file_prints_gcc_lines_and_summary(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_project(BROKEN)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == EXIT_INVALID
    lines = out.splitlines()
    assert len(lines) == 2
    match = GCC.match(lines[0])
    assert match is not None, lines[0]
    assert Path(match["path"]).resolve() == path.resolve()
    assert (match["line"], match["col"], match["sev"]) == ("20", "11", "error")
    assert match["msg"].startswith("kind: 'persn' is not allowed")
    assert lines[1] == "1 file checked, 1 invalid: 1 errors, 0 warnings"


def test_validate_prints_warnings_and_stays_valid(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_project(minimal_yaml(), "Title line\n\nAlice met Bob in Paris on Monday.\n")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == EXIT_OK  # only the sha256 changed; every quote still resolves
    lines = out.splitlines()
    assert [GCC.match(line)["sev"] for line in lines[:-1]] == ["warning", "warning"]  # type: ignore[index]
    assert lines[-1] == "1 file checked, all valid: 0 errors, 2 warnings"


def test_validate_folder_checks_each_yaml_file(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_project()
    (path.parent / "second.yml").write_text(BROKEN, encoding="utf-8")
    (path.parent / "notes.txt").write_text("not a briefing", encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path.parent))
    assert code == EXIT_INVALID
    lines = out.splitlines()
    assert len(lines) == 2
    assert "second.yml:20:11: error:" in lines[0]
    assert lines[-1] == "2 files checked, 1 invalid: 1 errors, 0 warnings"


def test_validate_json(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    good = make_project()
    bad = good.parent / "bad.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    code, out, _ = run(capsys, "validate", "--format", "json", str(good), str(bad))
    assert code == EXIT_INVALID
    report = json.loads(out)
    assert report["errors"] == 1 and report["warnings"] == 0
    assert [entry["valid"] for entry in report["files"]] == [True, False]
    (diagnostic,) = report["files"][1]["diagnostics"]
    assert (diagnostic["line"], diagnostic["column"], diagnostic["severity"]) == (20, 11, "error")
    assert diagnostic["message"].startswith("kind: 'persn' is not allowed")
    assert report["files"][0]["diagnostics"] == []


def test_validate_missing_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "validate", str(tmp_path / "nowhere.yaml"))
    assert code == EXIT_USAGE
    assert out == ""
    assert "nowhere.yaml: no such file or folder" in err


def test_validate_folder_without_briefings_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "validate", str(tmp_path))
    assert code == EXIT_USAGE
    assert out == ""
    assert "no briefing files" in err


def test_validate_without_paths_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate")
    assert code == EXIT_USAGE
    assert "usage:" in err


def test_bad_option_is_a_usage_error(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_project()
    code, _, err = run(capsys, "validate", "--format", "xml", str(path))
    assert code == EXIT_USAGE
    assert "invalid choice: 'xml'" in err
    code, _, err = run(capsys, "validate", "--frobnicate", str(path))
    assert code == EXIT_USAGE
    assert "unrecognized arguments: --frobnicate" in err


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == EXIT_OK
    assert "validate" in out and "schema" in out
    # The usage line names the default command's argument: `briefing PATH` opens the reader.
    assert out.splitlines()[0].startswith("usage: briefing [-h] [--version] [PATH]")


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["read", "--version"],
        ["some.yaml", "--version"],
        ["validate", "--version"],
        ["schema", "--version"],
        ["export", "--version"],
        ["new", "--version"],
        ["serve", "--version"],
    ],
)
def test_version_on_every_command(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    code, out, err = run(capsys, *args)
    assert (code, out, err) == (EXIT_OK, f"briefing {version('briefing')}\n", "")
    assert out == "briefing 0.1.0\n"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff\xfe not utf-8",
        b"schema: 1\nid: [",
        b"a: &x 1\nb: *x\n",
        b"schema: 1\n" + b"[" * 200 + b"]" * 200,
        b"schema: 1\nid: \x1b]0;pwned\x07\n",
        b"- just\n- a list\n",
    ],
)
def test_hostile_files_never_print_a_traceback(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_bytes(content)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == EXIT_INVALID
    assert "\x1b" not in out and "\x07" not in out
    assert GCC.match(out.splitlines()[0]) is not None, out


def test_a_bug_while_loading_is_a_diagnostic_not_a_traceback(
    make_project: MakeProject,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = make_project()

    def explode(_path: Path) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(loader, "load_briefing", explode)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == EXIT_INVALID
    assert ":1:1: error: internal error while loading: RuntimeError: boom" in out


def test_schema_prints_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == EXIT_OK
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    properties = schema["properties"]
    for section in ("schema", "sources", "parties", "agreements", "drills", "arms_sales"):
        assert section in properties
    for section in ("events", "statements", "source_notes"):
        assert section in properties
    assert {"schema", "id", "title", "summary", "sources"} <= set(schema["required"])
    assert schema["additionalProperties"] is False
    assert "quote" in schema["$defs"]["Anchor"]["properties"]


@pytest.mark.skipif(not SEED_BRIEFING.exists(), reason="the seed briefing is not written yet")
def test_the_seed_briefing_validates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(SEED_BRIEFING))
    assert code == EXIT_OK, out
    assert "all valid: 0 errors" in out.splitlines()[-1]
