"""Format versions: version 1 files load as before; a field new in format 2 in a version 1
file is one positioned error; `briefing migrate` rewrites only what format 2 renamed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from pydantic import Field

from tests.conftest import MakeProject, minimal_yaml
from tui import cli
from tui.loader import BriefingError, load_briefing
from tui.migrate import MigrateError, migrate_file, migrate_text
from tui.schema import SINCE_2, Item, Model
from tui.versions import new_in_2_message, version_problems


def errors(path: Path) -> list[tuple[int, int, str]]:
    with pytest.raises(BriefingError) as caught:
        load_briefing(path)
    return [
        (d.line, d.column, d.message) for d in caught.value.diagnostics if d.severity == "error"
    ]


def v2(text: str) -> str:
    return migrate_text(text).new


def test_a_version_1_file_loads_as_before(make_project: MakeProject) -> None:
    loaded = load_briefing(make_project())
    assert loaded.briefing.schema_version == 1
    alice = loaded.briefing.parties[0]
    assert (alice.confidence, alice.stated, alice.how_stated) == ("high", None, "plainly")


def test_a_briefing_field_new_in_format_2_is_one_error_at_its_key(
    make_project: MakeProject,
) -> None:
    text = minimal_yaml().replace("summary:", "tlp: amber\nsummary:")
    assert errors(make_project(text)) == [(4, 1, new_in_2_message("tlp"))]
    assert new_in_2_message("tlp") == "tlp is new in format 2: write `schema: 2` at the top"


def test_an_item_field_new_in_format_2_is_one_error_at_its_key(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("    name: Alice\n", "    name: Alice\n    credibility: 2\n", 1)
    assert errors(make_project(text)) == [(16, 5, new_in_2_message("credibility"))]


def test_the_version_check_is_generic_over_marked_fields() -> None:
    """Any model's field marked since 2, however deep, is found: a dummy one proves it."""

    class Inner(Model):
        shiny: str | None = Field(None, json_schema_extra=SINCE_2)

    class Outer(Model):
        inner: list[Inner] = Field(default_factory=list)

    from tui import versions

    data = {"inner": [{}, {"shiny": "x"}]}
    original = versions.Briefing
    versions.Briefing = Outer  # type: ignore[misc]
    try:
        found = version_problems(data, 1)
        assert version_problems(data, 2) == []
    finally:
        versions.Briefing = original  # type: ignore[misc]
    assert [(p.loc, p.message, p.at_key) for p in found] == [
        (("inner", 1, "shiny"), new_in_2_message("shiny"), True)
    ]


def test_format_2_wants_stated_not_confidence(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("schema: 1", "schema: 2")
    found = errors(make_project(text))
    assert [(line, column) for line, column, _m in found] == [(16, 5), (22, 5)]
    assert found[0][2].startswith("confidence is called stated in format 2 (high is plainly,")
    # and without it, `stated` is what is missing (a version 1 file misses `confidence`)
    text = text.replace("    confidence: high\n", "")
    assert {m for _l, _c, m in errors(make_project(text))} == {"missing required field 'stated'"}
    text1 = minimal_yaml().replace("    confidence: high\n", "", 1)
    assert [m for _l, _c, m in errors(make_project(text1))] == [
        "missing required field 'confidence'"
    ]


def test_a_migrated_file_loads_with_the_same_items(make_project: MakeProject) -> None:
    before = load_briefing(make_project()).briefing
    after = load_briefing(make_project(v2(minimal_yaml()))).briefing
    assert after.schema_version == 2
    assert [i.how_stated for _l, i in after.items()] == [i.how_stated for _l, i in before.items()]
    assert [i.stated for _l, i in after.items()] == ["plainly"] * len(list(after.items()))


def test_migrate_changes_only_the_tokens_format_2_renamed() -> None:
    text = (
        "\ufeff# a comment\r\n"
        "schema: 1   # version\r\n"
        "id: x\r\n"
        "parties:\r\n"
        "  - {id: a, 'confidence': \"moderate\", kind: person}  # flow\r\n"
        "  - id: b\r\n"
        "    confidence: low # why\r\n"
        "    notes: 'confidence: high is only text'\r\n"
    )
    new = v2(text)
    assert new == (
        "\ufeff# a comment\r\n"
        "schema: 2   # version\r\n"
        "id: x\r\n"
        "parties:\r\n"
        "  - {id: a, 'stated': \"unclearly\", kind: person}  # flow\r\n"
        "  - id: b\r\n"
        "    stated: implied # why\r\n"
        "    notes: 'confidence: high is only text'\r\n"
    )


def test_migrate_on_the_bundled_briefing_differs_only_in_the_renamed_lines() -> None:
    text = (Path(__file__).parent / "data" / "russia-china-v1.yaml").read_text(encoding="utf-8")
    new = v2(text)
    old_lines, new_lines = text.splitlines(keepends=True), new.splitlines(keepends=True)
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert changed[0] == ("schema: 1\n", "schema: 2\n")
    wanted = {"high": "plainly", "moderate": "unclearly", "low": "implied"}
    for a, b in changed[1:]:
        indent, _, value = a.partition("confidence: ")
        assert b == f"{indent}stated: {wanted[value.strip()]}\n"
    assert len(changed) == 1 + text.count("confidence: ")


def test_migrate_refuses_a_newer_file_and_leaves_it(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(b"schema: 3\nid: x\n")
    with pytest.raises(MigrateError, match="newer") as caught:
        migrate_file(path)
    assert (caught.value.line, caught.value.column) == (1, 9)
    assert path.read_bytes() == b"schema: 3\nid: x\n"
    assert cli.main(["migrate", str(path)]) == cli.EXIT_INVALID


def test_migrate_keeps_a_version_2_file_and_refuses_both_names() -> None:
    assert not migrate_text("schema: 2\nid: x\n").changed
    with pytest.raises(MigrateError, match="both given"):
        migrate_text("schema: 1\nparties:\n  - {id: a, confidence: low, stated: implied}\n")


def test_migrate_writes_in_place_keeping_the_mode_and_check_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "b.yaml"
    text = "schema: 1\nparties:\n  - id: a\n    confidence: high\n"
    path.write_text(text)
    os.chmod(path, 0o640)
    assert cli.main(["migrate", "--check", str(path)]) == cli.EXIT_INVALID
    out = capsys.readouterr().out
    assert "-schema: 1\n+schema: 2\n" in out and "+    stated: plainly\n" in out
    assert path.read_text() == text
    assert cli.main(["migrate", str(path)]) == cli.EXIT_OK
    assert path.read_text() == text.replace("schema: 1", "schema: 2").replace(
        "confidence: high", "stated: plainly"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert cli.main(["migrate", "--check", str(path)]) == cli.EXIT_OK


def test_item_needs_one_grade_name() -> None:
    with pytest.raises(ValueError, match="not both"):
        Item.model_validate(
            {"id": "a", "evidence": [{"quote": "x"}], "confidence": "high", "stated": "plainly"}
        )


def test_migrate_renames_the_basis_of_a_renamed_field() -> None:
    text = "schema: 1\nparties:\n  - id: a\n    confidence: low\n    inferred: {confidence: why}\n"
    assert v2(text) == (
        "schema: 2\nparties:\n  - id: a\n    stated: implied\n    inferred: {stated: why}\n"
    )


def test_provenance_times_are_real_and_in_order(make_project: MakeProject) -> None:
    head = "schema: 2\nid: test-briefing\n"
    text = v2(minimal_yaml()).replace(
        head, head + 'created: "2026-03-04T10:00Z"\nmodified: "2026-03-04T09:00Z"\n'
    )
    assert errors(make_project(text)) == [
        (4, 11, "modified 2026-03-04T09:00Z is before created 2026-03-04T10:00Z")
    ]
    ok = text.replace("T09:00Z", "T11:00+01:00")  # 10:00Z: the same moment is not before
    assert load_briefing(make_project(ok)).briefing.modified == "2026-03-04T11:00+01:00"
    bad = text.replace("2026-03-04T10:00Z", "2026-02-30")
    assert errors(make_project(bad)) == [
        (3, 10, "created: '2026-02-30' is not a real date and time")
    ]


def test_an_inferred_basis_names_a_field_of_the_files_version(make_project: MakeProject) -> None:
    text = minimal_yaml().replace(
        "    name: Alice\n", "    name: Alice\n    inferred: {credibility: why}\n", 1
    )
    assert errors(make_project(text)) == [(16, 16, new_in_2_message("credibility"))]
    text2 = v2(minimal_yaml()).replace(
        "    name: Alice\n", "    name: Alice\n    inferred: {confidence: why}\n", 1
    )
    ((line, column, message),) = errors(make_project(text2))
    assert (line, column) == (16, 16) and message.startswith("confidence is called stated")


def test_migrate_reports_a_broken_file_at_its_place_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(b"schema: 1\nparties: [\n")
    assert cli.main(["migrate", str(path)]) == cli.EXIT_INVALID
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:3:1: error: ") and err[-1] == "\n"
    assert path.read_bytes() == b"schema: 1\nparties: [\n"


def test_migrate_never_writes_over_a_file_saved_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui import migrate

    path = tmp_path / "b.yaml"
    path.write_text("schema: 1\nid: x\n")
    real = migrate.migrate_text

    def racing(text: str) -> migrate.Migration:
        path.write_text("schema: 1\nid: saved-by-the-editor\n")
        return real(text)

    monkeypatch.setattr(migrate, "migrate_text", racing)
    with pytest.raises(MigrateError, match="changed while"):
        migrate_file(path)
    assert path.read_text() == "schema: 1\nid: saved-by-the-editor\n"


def test_migrate_renames_format_1_names_left_in_a_version_2_file() -> None:
    text = "schema: 2\nparties:\n  - id: a\n    confidence: moderate\n"
    assert v2(text) == "schema: 2\nparties:\n  - id: a\n    stated: unclearly\n"
