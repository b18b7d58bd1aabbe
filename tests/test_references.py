"""Cross-references: ids resolve, to the right section, no duplicates, no affiliation cycles."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MakeProject, minimal_yaml
from tui.loader import BriefingError, load_briefing
from tui.schema import Briefing, Drill, Party, Statement, references


def errors(path: Path) -> list[tuple[int, int, str]]:
    with pytest.raises(BriefingError) as caught:
        load_briefing(path)
    return [
        (d.line, d.column, d.message) for d in caught.value.diagnostics if d.severity == "error"
    ]


def event(participants: str, item_id: str = "meeting") -> str:
    return f"""  - id: {item_id}
    kind: meeting
    title: Alice meets Bob
    status: held
    confidence: high
    participants: {participants}
    evidence:
      - {{paragraph: 2, quote: Alice met Bob}}
"""


def test_valid_references_load(make_project: MakeProject) -> None:
    body = "events:\n" + event("[alice, bob]")
    loaded = load_briefing(make_project(minimal_yaml(body=body)))
    assert loaded.briefing.events[0].participants == ["alice", "bob"]


def test_unknown_party_id_suggests_the_closest(make_project: MakeProject) -> None:
    body = "events:\n" + event("[alice, bobb]")
    assert errors(make_project(minimal_yaml(body=body))) == [
        (31, 27, "unknown party id 'bobb'; did you mean 'bob'?")
    ]


def test_unknown_id_with_nothing_close_lists_the_valid_ones(make_project: MakeProject) -> None:
    body = "events:\n" + event("[zebra]")
    assert errors(make_project(minimal_yaml(body=body))) == [
        (31, 20, "unknown party id 'zebra'; expected one of: alice, bob")
    ]


def test_party_field_pointing_at_an_event_is_an_error(make_project: MakeProject) -> None:
    body = "events:\n" + event("[alice, bob]") + event("[alice, meeting]", "second")
    assert errors(make_project(minimal_yaml(body=body))) == [
        (
            39,
            27,
            "'meeting' is in events, but a party id is expected here; expected one of: alice, bob",
        )
    ]


def test_statement_about_may_name_any_item_but_must_exist(make_project: MakeProject) -> None:
    body = (
        "events:\n"
        + event("[alice]")
        + """statements:
  - id: remark
    speaker: alice
    text: We met.
    mode: paraphrase
    confidence: moderate
    about: [meeting, bob, meetin]
    evidence:
      - {paragraph: 2, quote: Alice met Bob}
"""
    )
    assert errors(make_project(minimal_yaml(body=body))) == [
        (40, 27, "unknown item id 'meetin'; did you mean 'meeting'?")
    ]


def test_duplicate_ids_across_sections(make_project: MakeProject) -> None:
    body = "events:\n" + event("[alice]", "bob")
    assert errors(make_project(minimal_yaml(body=body))) == [
        (26, 9, "duplicate id 'bob' (first used in parties)")
    ]


def test_duplicate_source_ids(make_project: MakeProject) -> None:
    text = minimal_yaml().replace(
        "parties:",
        """  - id: src
    path: ../seeds/source.txt
    sha256: {sha}
    title: Again
    language: en
    reliability: C
parties:""".replace("{sha}", minimal_yaml().split("sha256: ")[1].split("\n")[0]),
    )
    found = errors(make_project(text))
    assert (12, 9, "duplicate source id 'src'") in found


def test_several_sources_need_each_anchor_to_name_one(make_project: MakeProject) -> None:
    sha = minimal_yaml().split("sha256: ")[1].split("\n")[0]
    text = minimal_yaml().replace(
        "parties:",
        f"""  - id: copy
    path: ../seeds/source.txt
    sha256: {sha}
    title: A copy
    language: en
    reliability: C
parties:""",
    )
    text = text.replace(
        "{paragraph: 2, quote: Bob in Paris}", "{paragraph: 2, quote: Bob in Paris, source: copy}"
    )
    assert errors(make_project(text)) == [
        (
            24,
            9,
            "this briefing has several sources: name one with 'source:'; "
            "expected one of: copy, src",
        )
    ]


def test_self_affiliation_is_reported_once(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("    name: Alice\n", "    name: Alice\n    affiliation: alice\n")
    assert errors(make_project(text)) == [(16, 18, "'alice' refers to itself")]


def test_affiliation_cycle_is_reported_once_with_its_path(make_project: MakeProject) -> None:
    text = (
        minimal_yaml()
        .replace("    name: Alice\n", "    name: Alice\n    affiliation: bob\n")
        .replace("    name: Bob\n", "    name: Bob\n    affiliation: alice\n")
    )
    assert errors(make_project(text)) == [(16, 18, "affiliation cycle: alice -> bob -> alice")]


def test_affiliation_chain_without_a_cycle_is_fine(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("    name: Alice\n", "    name: Alice\n    affiliation: bob\n")
    loaded = load_briefing(make_project(text))
    assert loaded.briefing.parties[0].affiliation == "bob"


def test_references_walk_names_every_reference() -> None:
    drill = Drill.model_validate(
        {
            "id": "d",
            "confidence": "low",
            "evidence": [{"quote": "x"}],
            "framework": "sco",
            "participants": ["ru", "cn"],
            "contributions": [{"party": "cn", "equipment": "troops", "quantity": {"value": 1000}}],
            "attributed_to": "xinhua",
        }
    )
    assert references(drill) == [
        (("attributed_to",), "xinhua", "parties"),
        (("framework",), "sco", "parties"),
        (("participants", 0), "ru", "parties"),
        (("participants", 1), "cn", "parties"),
        (("contributions", 0, "party"), "cn", "parties"),
    ]
    statement = Statement.model_validate(
        {
            "id": "s",
            "confidence": "low",
            "evidence": [{"quote": "x"}],
            "speaker": "ru",
            "text": "words",
            "mode": "direct",
            "about": ["d"],
        }
    )
    assert references(statement) == [
        (("speaker",), "ru", "parties"),
        (("about", 0), "d", "any"),
    ]


def test_items_walks_sections_in_order() -> None:
    party = {
        "id": "p",
        "kind": "state",
        "name": "P",
        "confidence": "high",
        "evidence": [{"quote": "x"}],
    }
    briefing = Briefing.model_validate(
        {
            "schema": 1,
            "id": "b",
            "title": "B",
            "summary": "S",
            "sources": [
                {
                    "id": "s",
                    "path": "s.txt",
                    "sha256": "0" * 64,
                    "title": "S",
                    "language": "en",
                    "reliability": "A",
                }
            ],
            "parties": [party, {**party, "id": "q"}],
        }
    )
    assert [(loc, item.id) for loc, item in briefing.items()] == [
        (("parties", 0), "p"),
        (("parties", 1), "q"),
    ]
    assert isinstance(next(briefing.items())[1], Party)
