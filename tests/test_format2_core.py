"""Format 2's provenance, marking and grades: the example briefing validates, the reader's
header shows its TLP in words, the detail its credibility, and every export carries them."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import stix2
from textual.widgets import Static

from tests.conftest import MakeProject, minimal_yaml, reader
from tui.cli import EXIT_OK, main
from tui.export import TLP_MARKINGS, tlp_marking, to_data, to_markdown, to_stix_bundle
from tui.loader import load_briefing
from tui.widgets.detail import Detail

EXAMPLE = Path(__file__).parent / "data" / "format2" / "core.yaml"
AMBER_STRICT = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"


def test_the_example_validates() -> None:
    assert main(["validate", "--strict", str(EXAMPLE)]) == EXIT_OK
    briefing = load_briefing(EXAMPLE).briefing
    assert (briefing.analyst, briefing.tlp) == ("Desk B", "amber+strict")
    assert briefing.drills[0].credibility == 3 and briefing.drills[0].how_stated == "plainly"


def test_the_reader_shows_the_marking_in_words_and_the_credibility_with_its_meaning() -> None:
    async def main_() -> None:
        async with reader(EXAMPLE) as (app, pilot):
            screen = app.screen
            meta = str(screen.query_one("#header-meta", Static).render())
            assert meta.endswith("reliability C  TLP:AMBER+STRICT")
            assert "3 Mar 2026" in meta  # the date and grade stay whole at 80 columns
            await pilot.press("3")  # the drills
            await pilot.pause()
            rows = {(r.label, r.text) for r in screen.query_one(Detail).rows}
            assert ("Stated", "plainly") in rows
            assert ("Credibility", "3, possibly true") in rows

    asyncio.run(main_())


def test_stix_marks_every_object_with_the_official_tlp_2_marking() -> None:
    loaded = load_briefing(EXAMPLE)
    bundle = to_stix_bundle(loaded)
    stix2.parse(json.dumps(bundle), allow_custom=False)
    marking, *rest = bundle["objects"]
    assert marking == tlp_marking("amber+strict")
    assert marking["id"] == AMBER_STRICT == TLP_MARKINGS["amber+strict"]
    assert marking["name"] == "TLP:AMBER+STRICT"
    assert marking["extensions"] == {
        "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
            "extension_type": "property-extension",
            "tlp_2_0": "amber+strict",
        }
    }
    (analyst,) = [o for o in rest if o.get("roles") == ["analyst"]]
    assert analyst["name"] == "Desk B" and analyst["type"] == "identity"
    for obj in rest:
        assert obj["object_marking_refs"] == [AMBER_STRICT], obj["id"]
        assert obj["created_by_ref"] == analyst["id"], obj["id"]
        # the briefing's times, in UTC; modified 08:00+01:00 is 07:00Z
        assert (obj["created"], obj["modified"]) == (
            "2026-03-03T09:30:00.000Z",
            "2026-03-04T07:00:00.000Z",
        )
    drill = next(o for o in rest if o.get("name") == "Sea Shield 2026")
    assert drill["confidence"] == 50  # credibility 3, possibly true (STIX appendix A)


def test_markdown_and_json_carry_the_marking_and_grades() -> None:
    loaded = load_briefing(EXAMPLE)
    markdown = to_markdown(loaded)
    lines = markdown.splitlines()
    assert lines[2] == "**TLP:AMBER+STRICT**"  # the label first, before any text
    assert "Analyst: Desk B; created 2026-03-03T09:30Z" in markdown
    assert "- **Credibility:** 3, possibly true" in markdown
    data = to_data(loaded)
    assert data["schema"] == 2
    briefing = data["briefing"]
    assert (briefing["tlp"], briefing["analyst"]) == ("amber+strict", "Desk B")
    drill = briefing["drills"][0]
    assert (drill["stated"], drill["credibility"]) == ("plainly", 3)
    assert "confidence" not in drill  # format 1's name is not in a format 2 export


def test_a_version_1_export_has_no_format_2_keys(make_project: MakeProject) -> None:
    loaded = load_briefing(make_project(minimal_yaml()))
    data = to_data(loaded)["briefing"]
    for key in ("analyst", "created", "modified", "tlp"):
        assert key not in data
    for party in data["parties"]:
        assert "stated" not in party and "credibility" not in party
        assert party["confidence"] == "high"
    bundle = to_stix_bundle(loaded)
    assert all("object_marking_refs" not in o for o in bundle["objects"])
    assert all("created_by_ref" not in o for o in bundle["objects"])
    assert {o.get("confidence") for o in bundle["objects"] if o["type"] == "identity"} == {85}
    assert "TLP:" not in to_markdown(loaded)
