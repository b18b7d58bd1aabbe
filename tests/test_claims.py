"""Format 2 claims (issue 13, part `claims`): several reported values of a fact with their
sources, the analyst's assessment, attribution to several parties, anonymous sources and
chains, absence, modality, part-of links, statements in several languages, tagged aliases.

The example briefing is tests/data/format2/claims.yaml (a naval exercise, with its own tiny
source text); the other cases edit it one way at a time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import stix2

from tests.conftest import ROOT, MakeProject, run_reader
from tui.describe import CONFLICT_LEGEND, CONFLICT_MARK, describe
from tui.export import to_data, to_markdown, to_stix_bundle
from tui.links import Links
from tui.loader import BriefingError, Loaded, load_briefing
from tui.schema import conflicts

EXAMPLE = ROOT / "tests" / "data" / "format2" / "claims.yaml"
SOURCE = EXAMPLE.with_name("claims.txt")


def variant(tmp_path: Path, old: str, new: str) -> Path:
    """The example with one edit, beside a copy of its source."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text, old
    (tmp_path / "claims.txt").write_bytes(SOURCE.read_bytes())
    path = tmp_path / "claims.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def problems(path: Path) -> list[tuple[int, str, str]]:
    """(line, severity, message) of every diagnostic, loading or not."""
    try:
        loaded = load_briefing(path)
    except BriefingError as error:
        found = error.diagnostics
    else:
        found = loaded.diagnostics
    return [(d.line, d.severity, d.message) for d in found]


def line_of(path: Path, words: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if words in line)


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    return load_briefing(EXAMPLE)


def rows(loaded: Loaded, item_id: str) -> list[tuple[str, str, str | None, int | None]]:
    links = Links.build(loaded)
    return [
        (r.label, r.text, r.target, r.evidence)
        for r in describe(links.items[item_id], links, compact=True)
    ]


# --- the example ------------------------------------------------------------------------------


def test_the_example_validates_with_nothing_to_say(loaded: Loaded) -> None:
    assert loaded.briefing.schema_version == 2
    assert loaded.diagnostics == []


def test_claims_anchors_resolve_after_the_items_own(loaded: Loaded) -> None:
    drill = loaded.briefing.drills[0]
    resolved = loaded.evidence[drill.id]
    # Its own quote, a quote per claim, the refusal's quote: in that order.
    assert [e.anchor for e in resolved] == drill.anchors()
    assert [e.span.paragraph for e in resolved if e.span] == [2, 3, 3, 4]
    located = dict(loaded.anchored())
    assert ("drills", 0, "claims", 1) in located and ("drills", 0, "withheld", 0) in located


def test_the_detail_shows_the_values_side_by_side_with_their_sources(loaded: Loaded) -> None:
    shown = rows(loaded, "sarn-veland-exercise")
    claims = [r for r in shown if r[0] == "Claims"]
    assert claims == [("Claims", f"{CONFLICT_MARK} personnel: conflict", None, None)]
    start = shown.index(claims[0])
    first, second = shown[start + 1], shown[start + 2]
    assert first[1] == "about 2,400 personnel — Sarn navy ¶3" and first[3] == 1
    assert second[1].startswith("about 3,000 sailors")
    assert "anonymous: A senior Veland defence official (Veland), via Coastal Times ¶3" in second[1]
    assert second[3] == 2  # Enter shows the claim's own quote
    assert shown[start + 3][0] == "Assessment"
    assert ("Claimed by", "Sarn", "sarn", None) in shown
    assert ("", "Veland", "veland", None) in shown
    withheld = next(r for r in shown if r[0] == "Withheld")
    assert withheld[1] == "ships: declined to comment (Veland's defence ministry)"
    assert withheld[3] == 3


def test_part_of_shows_both_ways_and_modality_its_words(loaded: Loaded) -> None:
    part = rows(loaded, "live-fire-phase")
    assert ("Part of", "Blue Current manoeuvres", "blue-current-2026", None) in part
    assert ("Modality", "could (as reported: “could include”)", None, None) in part
    assert ("Claimed by", "anonymous: the official (Veland)", "veland", None) in part
    assert ("Via", "→ Coastal Times", "coastal-times", None) in part
    whole = rows(loaded, "blue-current-2026")
    assert ("Parts", "Live-fire phase of the exercise", "live-fire-phase", None) in whole
    assert not any(r[0] == "Cited in" for r in whole)  # the part is not listed twice


def test_languages_of_a_statement_and_of_aliases(loaded: Loaded) -> None:
    said = rows(loaded, "tarn-ready")
    assert ("Original (fr)", "“Nous sommes prêts à agir ensemble.”", None, None) in said
    assert any(r[0] == "Translation (de)" for r in said)
    veland = rows(loaded, "veland")
    assert ("Also", "Веланд (ru), 韦兰 (zh-Hans)", None, None) in veland
    coastal = rows(loaded, "coastal-times")
    roles = [r[1] for r in coastal if r[0] in ("Takes part", "")]
    assert all("(relayed by)" in r for r in roles) and len(roles) == 2


# --- validation ---------------------------------------------------------------------------------


def test_a_claims_words_must_stand_in_its_own_quotes(tmp_path: Path) -> None:
    # "about 2,400 personnel" stands in the item's first claim, not in the second one.
    path = variant(tmp_path, 'reported: "some 3,000 sailors"', 'reported: "some 2,400 sailors"')
    found = problems(path)
    assert any(
        "'some 2,400 sailors' are not inside any of this claim's quotes" in m for _l, _s, m in found
    ), found


def test_a_claims_value_must_agree_with_its_words(tmp_path: Path) -> None:
    path = variant(tmp_path, "count: {value: 3000,", "count: {value: 300,")
    found = problems(path)
    line = line_of(path, "count: {value: 300,")
    assert (line, "error", "reported 'some 3,000 sailors' reads as about 3000; value is 300") in [
        (n, s, m) for n, s, m in found
    ], found


def test_a_claims_quote_is_resolved_in_the_source(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        '{paragraph: 3, quote: "The Sarn navy said about 2,400 personnel would take part."}',
        '{paragraph: 3, quote: "The Sarn navy said about 2,400 personnel would sail."}',
    )
    found = problems(path)
    line = line_of(path, "would sail.")
    assert any(n == line and s == "error" and "is not in the source" in m for n, s, m in found), (
        found
    )


@pytest.mark.parametrize(
    ("verdict", "message"),
    [
        ("agreed", "verdict agreed, but the claims on 'personnel' give different values"),
        ("corroborated", "verdict corroborated, but the claims on 'personnel' give different"),
    ],
)
def test_a_verdict_must_fit_the_values(tmp_path: Path, verdict: str, message: str) -> None:
    path = variant(tmp_path, "verdict: conflict", f"verdict: {verdict}")
    found = problems(path)
    line = line_of(path, f"verdict: {verdict}")
    assert any(n == line and message in m for n, _s, m in found), found


def test_conflict_needs_two_values_and_corroboration_independent_sources(tmp_path: Path) -> None:
    same = variant(
        tmp_path,
        'count: {value: 3000, qualifier: about, unit: sailors, reported: "some 3,000 sailors"}',
        'count: {value: 2400, qualifier: about, unit: personnel, reported: "about 2,400 personnel"}',
    )
    text = same.read_text(encoding="utf-8").replace(
        "at some 3,000 sailors.", "at some 3,000 sailors.\n              about 2,400 personnel"
    )
    same.write_text(text, encoding="utf-8")
    # (The claim's quote no longer resolves either; only the verdict's error matters here.)
    assert any(
        "verdict conflict, but the claims on 'personnel' give one value" in m
        for _n, _s, m in problems(same)
    )


def test_corroborated_through_one_outlet_is_refused(tmp_path: Path) -> None:
    from tui.schema import Assessment, Claim, Drill, check_claims

    def claim(party: str, via: list[str]) -> dict[str, Any]:
        return {
            "field": "personnel",
            "count": {"value": 2400, "qualifier": "about"},
            "attributed_to": party,
            "via": via,
            "evidence": [{"quote": "x"}],
        }

    base = {
        "id": "d",
        "participants": ["a"],
        "confidence": "high",
        "evidence": [{"quote": "x"}],
        "assessments": [{"field": "personnel", "verdict": "corroborated"}],
    }
    shared = Drill.model_validate({**base, "claims": [claim("a", ["wire"]), claim("b", ["wire"])]})
    apart = Drill.model_validate({**base, "claims": [claim("a", ["wire"]), claim("b", ["paper"])]})
    assert [p.message for p in check_claims(shared, ("drills", 0))] == [
        "verdict corroborated needs two claims whose sources share no party (attributed_to "
        "and via); write agreed"
    ]
    assert check_claims(apart, ("drills", 0)) == []
    assert isinstance(shared.claims[0], Claim) and isinstance(shared.assessments[0], Assessment)


def test_differing_claims_with_no_assessment_warn_and_still_flag(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("    assessments:")
    end = text.index("    withheld:")
    path = variant(tmp_path, text[start:end], "")
    found = problems(path)
    assert [(s, m) for _n, s, m in found] == [
        (
            "warning",
            "the claims on 'personnel' differ (2400 about vs 3000 about) and no "
            "assessment reads them: add one to assessments (verdict conflict or disputed)",
        )
    ]
    loaded = load_briefing(path)
    assert conflicts(loaded.briefing.drills[0]) == ["personnel"]


def test_an_assessment_of_no_claim(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        "      - field: personnel\n        verdict",
        "      - field: ships\n        verdict",
    )
    found = problems(path)
    assert any(
        "no claim of this item is on 'ships'; expected one of: personnel" in m
        for _n, _s, m in found
    ), found


def test_anonymous_words_must_be_the_sources(tmp_path: Path) -> None:
    path = variant(tmp_path, "anonymous: the official,", "anonymous: a navy spokesman,")
    found = problems(path)
    line = line_of(path, "a navy spokesman")
    assert (line, "error") in [(n, s) for n, s, m in found if "anonymous 'a navy spokesman'" in m]


def test_a_bare_anonymous_is_told_how_to_write_one(tmp_path: Path) -> None:
    path = variant(tmp_path, "attributed_to: [sarn, veland]", "attributed_to: [sarn, anonymous]")
    found = problems(path)
    assert any(
        "unknown party id 'anonymous'; for an unnamed source write {anonymous: who" in m
        for _n, _s, m in found
    ), found


def test_part_of_must_name_an_event_and_make_no_cycle(tmp_path: Path) -> None:
    path = variant(tmp_path, "part_of: blue-current-2026", "part_of: sarn")
    found = problems(path)
    assert any(
        "'sarn' is in parties, but an event or drill id is expected here" in m
        for _n, _s, m in found
    ), found
    cycle = variant(
        tmp_path,
        "    status: planned\n    stated: plainly\n    evidence:\n      - {paragraph: 5,",
        "    status: planned\n    part_of: live-fire-phase\n    stated: plainly\n    evidence:\n      - {paragraph: 5,",
    )
    assert any("part_of cycle: " in m for _n, _s, m in problems(cycle))


def test_an_original_not_in_the_quotes_needs_a_basis(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        "original: {text: Nous sommes prêts à agir ensemble., lang: fr}",
        "original: {text: Nous sommes prêts à agir, lang: fr}",
    )
    assert problems(path) == []  # "Nous sommes prêts." stands inside the quote
    path = variant(
        tmp_path,
        "original: {text: Nous sommes prêts à agir ensemble., lang: fr}",
        "original: {text: Nous voilà prêts., lang: fr}",
    )
    found = problems(path)
    assert any(
        "original 'Nous voilà prêts.' is not inside any of this item's quotes" in m
        for _n, _s, m in found
    ), found
    path = variant(
        tmp_path,
        "original: {text: Nous sommes prêts à agir ensemble., lang: fr}",
        "original: {text: Nous voilà prêts., lang: fr, basis: The ministry's French text.}",
    )
    assert problems(path) == []


@pytest.mark.parametrize(
    ("edit", "what"),
    [
        (
            ("    name: Alice\n", "    name: Alice\n    attributed_to: [bob, alice]\n"),
            "attributed_to as a list is new in format 2",
        ),
        (
            ("    name: Bob\n", "    name: Bob\n    aliases: [{name: Боб, lang: ru}]\n"),
            "an alias with a language tag is new in format 2",
        ),
    ],
)
def test_format_2_forms_in_a_version_1_file(
    make_project: MakeProject, edit: tuple[str, str], what: str
) -> None:
    """A version 1 file (otherwise valid) that writes a form only format 2 reads."""
    from tests.conftest import MINIMAL_SOURCE, minimal_yaml

    text = minimal_yaml(MINIMAL_SOURCE).replace(*edit, 1)
    assert text.startswith("schema: 1\n") and edit[1] in text
    found = problems(make_project(text, MINIMAL_SOURCE))
    assert any(what in m and "write `schema: 2` at the top" in m for _n, _s, m in found), found


# --- exports ------------------------------------------------------------------------------------


def test_stix_has_a_note_per_claim_an_opinion_and_language_content(loaded: Loaded) -> None:
    bundle = to_stix_bundle(loaded)
    parsed = stix2.parse(json.dumps(bundle), allow_custom=False)
    kinds = [o.type for o in parsed.objects]
    opinion = next(o for o in parsed.objects if o.type == "opinion")
    assert opinion.opinion == "neutral" and "personnel: conflict" in opinion.explanation
    claims = [o for o in parsed.objects if o.type == "note" and "claim" in (o.get("labels") or [])]
    assert len(claims) == 2 and all(c.id in opinion.object_refs for c in claims)
    assert "anonymous: A senior Veland defence official" in claims[1].content
    contents = [o.contents for o in parsed.objects if o.type == "language-content"]
    assert {
        "fr": {"abstract": "Nous sommes prêts à agir ensemble."},
        "de": {"abstract": "Wir sind bereit, gemeinsam zu handeln."},
    } in contents
    assert {"ru": {"name": "Веланд"}, "zh": {"name": "韦兰"}} in contents
    report = parsed.objects[0]
    assert all(not ref.startswith("language-content--") for ref in report.object_refs)
    assert kinds.count("language-content") == 2
    assert any(
        o.type == "relationship"
        and o.description == "Live-fire phase of the exercise is part of Blue Current manoeuvres"
        for o in parsed.objects
    )


def test_json_resolves_each_claims_quote_in_place(loaded: Loaded) -> None:
    data = to_data(loaded)
    drill = data["briefing"]["drills"][0]
    assert drill["claims"][1]["evidence"][0]["resolved"]["paragraph"] == 3
    assert drill["withheld"][0]["evidence"][0]["resolved"]["paragraph"] == 4
    assert drill["attributed_to"] == ["sarn", "veland"]


def test_markdown_lists_the_claims(loaded: Loaded) -> None:
    text = to_markdown(loaded)
    assert (
        "- **Claims:**\n  - ≠ personnel: conflict\n  - about 2,400 personnel — Sarn navy ¶3" in text
    )
    assert "- **Withheld:** ships: declined to comment (Veland's defence ministry)" in text


def test_a_version_1_json_export_has_no_format_2_fields(make_project: MakeProject) -> None:
    # Version 1 exports keep their shape: the new fields (their defaults) are left out.
    data = to_data(load_briefing(make_project()))
    assert data["schema"] == 1
    text = json.dumps(data)
    for key in ("via", "claims", "assessments", "withheld", "part_of", "modality", "original"):
        assert f'"{key}"' not in text
    assert '"attributed_to"' in text  # a version 1 field stays, null or not


# --- the reader ---------------------------------------------------------------------------------


def test_the_outline_marks_a_conflict_with_a_legend_and_enter_shows_a_claims_quote() -> None:
    from tui.screens.briefing import BriefingScreen
    from tui.widgets.detail import Detail
    from tui.widgets.outline import CONFLICT_LEGEND_ID, Outline
    from tui.widgets.source_view import SourceView

    async def body(app: Any, pilot: Any) -> None:
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        outline = screen.query_one(Outline)
        assert outline.rows[0].id == CONFLICT_LEGEND_ID
        assert outline.get_option_at_index(0).prompt.plain == CONFLICT_LEGEND  # type: ignore[union-attr]
        index = outline.get_option_index("sarn-veland-exercise")
        assert outline.get_option_at_index(index).prompt.plain.startswith(CONFLICT_MARK)  # type: ignore[union-attr]
        other = outline.get_option_index("blue-current-2026")
        assert outline.get_option_at_index(other).prompt.plain.startswith(" ")  # type: ignore[union-attr]
        outline.highlighted = index
        await pilot.pause()
        detail = screen.query_one(Detail)
        detail.focus()
        await pilot.pause()
        for _ in range(len(detail.rows)):
            row = detail.current_row
            if row is not None and row.text.startswith("about 3,000 sailors"):
                break
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        source = screen.query_one(SourceView)
        chosen = screen.loaded.evidence["sarn-veland-exercise"][2]  # type: ignore[union-attr]
        assert source.highlight == chosen.span and chosen.span.paragraph == 3  # type: ignore[union-attr]

    run_reader(EXAMPLE, body)


def test_a_cached_load_resolves_claims_anchors_as_a_cold_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tui import cache

    cold = load_briefing(EXAMPLE)  # writes the cache entry
    base = cache.folder()
    assert base is not None and list(base.glob("*.json"))
    warm = load_briefing(EXAMPLE)
    assert warm.briefing == cold.briefing and warm.evidence == cold.evidence
    assert len(warm.evidence["sarn-veland-exercise"]) == 4
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    assert load_briefing(EXAMPLE).evidence == cold.evidence
