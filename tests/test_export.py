"""`briefing export`: Markdown footnotes, JSON offsets, a STIX 2.1 bundle, and the command."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import stix2

from tests.conftest import SEED_BRIEFING, MakeProject, minimal_yaml, notices, reader
from tui import cli
from tui.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from tui.export import FORMATS, stix_id, to_data, to_markdown, to_stix, to_stix_bundle
from tui.loader import Loaded, load_briefing
from tui.safe_text import is_clean
from tui.schema import SECTIONS, Briefing
from tui.source import flatten

FOOTNOTE = re.compile(r"^\[\^(\d+)\]: “(.*)” \((.*), ¶(\d+)\)$", re.MULTILINE)


@pytest.fixture(scope="module")
def seed() -> Loaded:
    return load_briefing(SEED_BRIEFING)


def anchors(loaded: Loaded) -> list[tuple[str, int]]:
    """(flattened quote, paragraph) of every anchor, items and source notes, in YAML order."""
    briefing = loaded.briefing
    found = [(flatten(a.quote), a.paragraph) for n in briefing.source_notes for a in n.evidence]
    found += [
        (flatten(a.quote), a.paragraph) for _loc, item in briefing.items() for a in item.anchors()
    ]
    return found  # type: ignore[return-value]


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_formats_agree_between_cli_and_exporter() -> None:
    assert cli.FORMATS == FORMATS


def test_markdown_footnotes_every_quote_with_its_paragraph(seed: Loaded) -> None:
    text = to_markdown(seed)
    notes = FOOTNOTE.findall(text)
    assert [int(n) for n, *_ in notes] == list(range(1, len(notes) + 1))
    title = seed.briefing.sources[0].title
    assert all(unescape(source) == title for _n, _q, source, _p in notes)
    cited = [(unescape(quote), int(paragraph)) for _n, quote, _s, paragraph in notes]
    assert sorted(cited) == sorted(anchors(seed))
    for number, *_ in notes:  # every footnote is referred to from the text
        assert f"[^{number}]" in text.split("\n---\n")[0]
    assert "¶12[^" in text


def test_markdown_has_title_bottom_line_source_and_every_item(seed: Loaded) -> None:
    text = to_markdown(seed)
    briefing = seed.briefing
    assert text.startswith(f"# {briefing.title}\n")
    assert "\n\nBottom line: Russian and Chinese" in text and "**Bottom line.** Bottom" not in text
    assert "**Reliability:** **F** (reliability cannot be judged)" in text
    assert "**Inferred published:**" in text
    headings = [unescape(h) for h in re.findall(r"^### (.*)$", text, re.MULTILINE)]
    assert headings.pop(0) == "Notes on the source text"
    labels = [flatten(item.label) for _loc, item in briefing.items()]
    assert len(headings) == len(labels)
    for heading, label in zip(headings, labels, strict=True):
        assert label.startswith(heading[:-1]) if heading.endswith("…") else heading == label
    assert "- **Forces:**\n  - Russia: over 1,000 troops\n" in text
    assert is_clean(text, keep_lines=True)


def test_json_offsets_slice_the_source_back_to_each_quote(seed: Loaded) -> None:
    data = json.loads(cli_free_json(seed))
    assert data["format"] == "briefing-export"
    assert data["schema"] == seed.briefing.schema_version
    source = data["sources"][0]
    assert source["sha256"] == source["sha256_read"] == seed.briefing.sources[0].sha256
    assert source["changed"] is False
    text = seed.sources["article"].text
    checked = 0
    evidence_lists = [n["evidence"] for n in data["briefing"]["source_notes"]]
    # Every evidence list of every item, however deep (a claim's, a chain's entry's).
    stack: list[Any] = [data["briefing"][key] for key, _m, _t in SECTIONS]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("evidence"), list):
                evidence_lists.append(node["evidence"])
            stack.extend(v for k, v in node.items() if k != "evidence")
        elif isinstance(node, list):
            stack.extend(node)
    for evidence in evidence_lists:
        for anchor in evidence:
            resolved = anchor["resolved"]
            assert resolved["status"] == "resolves"
            exact = text[resolved["text_start"] : resolved["text_end"]]
            assert exact == resolved["text"]
            paragraph = seed.sources["article"].paragraph(resolved["paragraph"]).text
            assert paragraph[resolved["start"] : resolved["end"]] == exact
            assert flatten(exact) == flatten(anchor["quote"])
            checked += 1
    assert checked == len(anchors(seed))


def cli_free_json(loaded: Loaded) -> str:
    from tui.export import to_json

    return to_json(loaded)


def test_json_is_the_validated_model(seed: Loaded) -> None:
    data = to_data(seed)["briefing"]
    # Every anchor, however deep (a claim's, a chain's), gained "resolved".
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            node.pop("resolved", None)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    assert Briefing.model_validate_json(json.dumps(data)) == seed.briefing


def test_json_escapes_terminal_controls_and_keeps_them(make_project: MakeProject) -> None:
    hostile = minimal_yaml().replace("title: Test briefing", 'title: "Evil \\e]52;c;x\\a \\u202e"')
    loaded = load_briefing(make_project(hostile))
    text = cli_free_json(loaded)
    assert is_clean(text, keep_lines=True)
    assert json.loads(text)["briefing"]["title"] == "Evil \x1b]52;c;x\x07 \u202e"
    markdown = to_markdown(loaded)
    assert "\x1b" not in markdown and is_clean(markdown, keep_lines=True)


def test_stix_bundle_parses_with_stix2_and_covers_the_briefing(seed: Loaded) -> None:
    text = to_stix(seed)
    bundle = stix2.parse(text, allow_custom=False)
    objects = bundle.objects
    by_type: dict[str, list[object]] = {}
    for obj in objects:
        by_type.setdefault(obj.type, []).append(obj)
    briefing = seed.briefing
    identities = [i for i in by_type["identity"] if "analyst" not in i.get("roles", [])]
    assert len(identities) == len(briefing.parties)
    assert sorted(i.name for i in identities) == sorted(p.name for p in briefing.parties)
    kinds = {p.name: p.kind for p in briefing.parties}
    for identity in identities:
        assert identity.identity_class == {
            "person": "individual",
            "group": "group",
        }.get(kinds[identity.name], "organization")
    (report,) = by_type["report"]
    listed = {o.id for o in objects if o.type not in ("report", "marking-definition")}
    assert set(report.object_refs) == listed
    assert len(report.object_refs) == len(listed)
    assert report.published == stix2.utils.parse_into_datetime("2014-11-05T00:00:00Z")
    assert report.external_references[0].hashes["SHA-256"] == briefing.sources[0].sha256
    statements = [n for n in by_type["note"] if "statement" in n.get("labels", [])]
    assert len(statements) == len(briefing.statements)
    groupings = by_type["grouping"]
    assert len(groupings) == sum(
        len(getattr(briefing, k)) for k in ("agreements", "drills", "arms_sales", "events")
    )
    ids = {o.id for o in objects}
    for relationship in by_type["relationship"]:
        assert relationship.source_ref in ids and relationship.target_ref in ids
    drill = next(g for g in groupings if "13 battle tanks" in g.description)
    quotes = [ref.description for ref in drill.external_references]
    assert any(q.startswith("¶12: ") for q in quotes)


def test_stix_ids_are_deterministic(seed: Loaded) -> None:
    first = to_stix(seed)
    assert first == to_stix(load_briefing(SEED_BRIEFING))
    bundle = to_stix_bundle(seed)
    russia = next(o for o in bundle["objects"] if o.get("name") == "Russia")
    assert russia["id"] == stix_id("identity", seed.briefing.id, "russia")
    assert russia["sectors"] == ["government-national"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_export_command_to_stdout_and_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "export", str(SEED_BRIEFING), "--format", "json")
    assert code == EXIT_OK and err == ""
    assert json.loads(out)["id"] == "russia-china-military-cooperation-2014"
    target = tmp_path / "out.stix.json"
    code, out, err = run(
        capsys, "export", str(SEED_BRIEFING), "--format", "stix", "-o", str(target)
    )
    assert (code, out, err) == (EXIT_OK, "", "")
    stix2.parse(target.read_text(encoding="utf-8"), allow_custom=False)
    assert [p.name for p in tmp_path.iterdir()] == ["out.stix.json"]  # no temporary left


def test_export_refuses_to_overwrite_its_input(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_project()
    before = path.read_bytes()
    code, _out, err = run(capsys, "export", str(path), "-o", str(path))
    assert code == EXIT_USAGE and "refusing to overwrite the input" in err
    source = path.parent.parent / "seeds" / "source.txt"
    code, _out, err = run(capsys, "export", str(path), "--format", "json", "-o", str(source))
    assert code == EXIT_USAGE and "refusing" in err
    assert path.read_bytes() == before and source.read_text() != ""


def test_export_of_an_invalid_briefing_prints_its_diagnostics(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_project(minimal_yaml().replace("kind: person", "kind: persn", 1))
    code, out, err = run(capsys, "export", str(path), "--format", "stix")
    assert code == EXIT_INVALID and out == ""
    assert "error: kind: 'persn' is not allowed" in err


def test_export_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "export", str(SEED_BRIEFING), "--format", "pdf")[0] == EXIT_USAGE
    assert run(capsys, "export", str(tmp_path / "missing.yaml"))[0] == EXIT_USAGE
    assert run(capsys, "export", str(SEED_BRIEFING), "-o", str(tmp_path))[0] == EXIT_USAGE


def test_json_after_drift_gives_the_moved_offsets(make_project: MakeProject) -> None:
    path = make_project()
    edited = "Title line\n\r\nAdded.\n\nAlice  met Bob in Paris on Monday.\n\nBob sold 3 tanks to Alice.\n"
    (path.parent.parent / "seeds" / "source.txt").write_text(edited, newline="")
    loaded = load_briefing(path)
    data = to_data(loaded)
    assert data["sources"][0]["changed"] is True
    text = loaded.sources["src"].text
    for party in data["briefing"]["parties"]:
        resolved = party["evidence"][0]["resolved"]
        assert (resolved["status"], resolved["paragraph"]) == ("moved", 3)
        sliced = text[resolved["text_start"] : resolved["text_end"]]
        assert flatten(sliced) == party["evidence"][0]["quote"]


def test_the_reader_exports_the_item_and_the_briefing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from textual.widgets import Input

    from tui.screens.export import ExportScreen, SaveScreen

    # A copy of the seed: the test tries to save over it.
    (tmp_path / "p" / "briefings").mkdir(parents=True)
    (tmp_path / "p" / "seeds").mkdir()
    briefing = tmp_path / "p" / "briefings" / SEED_BRIEFING.name
    shutil.copy(SEED_BRIEFING, briefing)
    for source in SEED_BRIEFING.parent.parent.joinpath("seeds").iterdir():
        shutil.copy(source, tmp_path / "p" / "seeds" / source.name)
    before = briefing.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)

    async def run() -> tuple[str, list[str], list[str]]:
        async with reader(briefing, (100, 30)) as (app, pilot):
            await pilot.press("3", "j", "e")
            assert isinstance(app.screen, ExportScreen)
            await pilot.press("enter")  # the first choice: this item to the clipboard
            clipboard = app.clipboard
            # The briefing as Markdown: a prompt asks where, prefilled with a default name in
            # the working folder; Enter saves there, and a second save replaces the first.
            for _ in range(2):
                await pilot.press("e", "down", "enter")
                await pilot.pause()
                assert isinstance(app.screen, SaveScreen)
                prompt = app.screen.query_one(Input)
                assert prompt.value == "russia-china-military-cooperation-2014.md"
                await pilot.press("enter")
                await pilot.pause()
            # Esc cancels: nothing written.
            await pilot.press("e", "down", "enter")
            await pilot.pause()
            app.screen.query_one(Input).value = "cancelled.md"
            await pilot.press("escape")
            await pilot.pause()
            # The briefing itself is refused, and said so.
            await pilot.press("e", "down", "down", "enter")  # JSON
            await pilot.pause()
            app.screen.query_one(Input).value = str(briefing)
            await pilot.press("enter")
            await pilot.pause()
            said = list(notices(app))
        return clipboard, sorted(p.name for p in out.iterdir()), said

    clipboard, files, said = asyncio.run(run())
    assert clipboard.startswith("### Unnamed drill (Aug 2014)")
    assert "“Russia had sent over 1,000 troops" in clipboard and "¶12[^1]" in clipboard
    stem = "russia-china-military-cooperation-2014"
    assert files == [f"{stem}.md"]
    text = (out / f"{stem}.md").read_text(encoding="utf-8")
    assert text.startswith("# Russia and China boost military cooperation")
    where = out.resolve() / f"{stem}.md"
    assert f"Saved {where}" in said and f"Replaced {where}" in said
    assert f"{SEED_BRIEFING.name} is the briefing itself: not overwritten, nothing saved" in said
    assert briefing.read_bytes() == before


def test_an_export_file_gets_the_usual_mode(tmp_path: Path) -> None:
    import os

    from tui.files import write_atomically

    mask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "out.md", b"text")
    finally:
        os.umask(mask)
    assert (tmp_path / "out.md").stat().st_mode & 0o777 == 0o644


def test_markdown_and_detail_read_cleanly(seed: Loaded) -> None:
    """Glitches seen in the seed's export: doubled labels and quotes, stray full stops,
    words repeated in a force line, a drill named after words out of their sentence."""
    text = to_markdown(seed)
    for glitch in (").;", ".;", "**Bottom line.** Bottom line", '""', "Claimed according"):
        assert glitch not in text, glitch
    assert "Unnamed drill (in August" not in text and "Unnamed drill (Aug 2014)" in text
    assert "troops — troops" not in text and "  - Russia: over 1,000 troops\n" in text
    assert "— battle tank" not in text and "(Mi-8 AMTSh)" not in text
    assert "**Claimed by:** Vladimir Putin" in text
