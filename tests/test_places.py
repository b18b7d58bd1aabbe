"""Places and relationships (format 2): the models, references to places, durations, the
detail pane, the links, the exports and the library's place: filter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import stix2

from tests.conftest import SEED_BRIEFING, MakeProject, minimal_yaml, run_reader
from tui.describe import describe
from tui.export import stix_id, to_data, to_markdown, to_stix_bundle
from tui.index import LibraryIndex
from tui.index.query import parse_query
from tui.links import Links
from tui.loader import BriefingError, Diagnostic, Loaded, load_briefing
from tui.migrate import migrate_text
from tui.schema import MODELS, SCHEMA_VERSION, Briefing

EXAMPLE = Path(__file__).parent / "data" / "format2" / "places.yaml"

SOURCE = (
    "Title line\n\n"
    "Alice met Bob in Paris on Monday.\n\n"
    "Alice, a member of the Club since 2019, signed a five-year deal in Paris.\n"
)


def errors(loaded: Loaded) -> list[str]:
    return [f"{d.line}:{d.message}" for d in loaded.diagnostics if d.severity == "error"]


def v2(text: str) -> str:
    """A briefing in the current format version (these fields are new in format 2), as
    `briefing migrate` writes it."""
    assert SCHEMA_VERSION == 2
    return migrate_text(text).new


def project(make_project: MakeProject, body: str, version: int | None = None) -> Loaded:
    text = minimal_yaml(SOURCE, body)
    text = v2(text) if version in (None, 2) else text.replace("schema: 1\n", f"schema: {version}\n")
    return load_briefing(make_project(text, SOURCE))


def refused(make_project: MakeProject, body: str) -> list[Diagnostic]:
    """The diagnostics of a briefing that does not load."""
    with pytest.raises(BriefingError) as caught:
        project(make_project, body)
    return caught.value.diagnostics


PARIS = """places:
  - id: paris
    name: Paris
    aliases: [{name: Париж, language: ru}]
    country: FR
    confidence: high
    evidence:
      - {paragraph: 2, quote: Bob in Paris}
"""


@pytest.fixture(scope="module")
def example() -> Loaded:
    return load_briefing(EXAMPLE)


# --- the example and the versioning marks -----------------------------------------------------


def test_the_example_validates_with_nothing_to_say(example: Loaded) -> None:
    assert example.diagnostics == []
    assert [p.id for p in example.briefing.places] == ["sarn", "gulf-of-veld", "kessel-base"]
    assert [r.kind for r in example.briefing.relationships] == ["member_of", "commands"]


def _marked(model: Any, name: str) -> bool:
    extra = model.model_fields[name].json_schema_extra
    return isinstance(extra, dict) and extra.get("since") == 2


def test_every_new_field_is_marked_new_in_format_2() -> None:
    # The core part's check reads these marks to refuse them in a version 1 file.
    assert _marked(Briefing, "places") and _marked(Briefing, "relationships")
    for section in ("agreements", "drills", "arms_sales", "events"):
        assert _marked(MODELS[section], "place"), section
    assert _marked(MODELS["agreements"], "duration")
    schema = Briefing.model_json_schema(by_alias=True)
    assert schema["properties"]["places"]["since"] == 2


def test_a_version_1_briefing_has_no_places_and_no_relationships() -> None:
    loaded = load_briefing(SEED_BRIEFING)
    drill = loaded.briefing.drills[0]
    assert drill.place == "chelyabinsk" and drill.location == "Chelyabinsk, Russia"


# --- references to places -------------------------------------------------------------------


def test_a_drill_event_agreement_and_sale_name_one_place_or_several(
    make_project: MakeProject,
) -> None:
    body = (
        PARIS
        + """events:
  - id: meeting
    kind: meeting
    title: Alice meets Bob
    place: [paris]
    participants: [alice, bob]
    status: held
    confidence: high
    evidence:
      - {paragraph: 2, quote: Alice met Bob in Paris}
"""
    )
    loaded = project(make_project, body)
    assert errors(loaded) == []
    links = Links.build(loaded)
    assert links.referenced_by["paris"] == [("place", "meeting")]
    rows = describe(links.items["paris"], links)
    assert [(r.label, r.text, r.target) for r in rows if r.target == "meeting"] == [
        ("Here", "Event: Alice meets Bob", "meeting")
    ]
    assert ("Also", "Париж (ru)") in [(r.label, r.text) for r in rows]
    meeting = describe(links.items["meeting"], links)
    assert ("Place", "Paris", "paris") in [(r.label, r.text, r.target) for r in meeting]


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ("parris", "unknown place id 'parris'; did you mean 'paris'?"),
        ("alice", "'alice' is in parties, but a place id is expected here; expected one of: paris"),
    ],
)
def test_a_place_reference_must_name_a_place(
    make_project: MakeProject, place: str, message: str
) -> None:
    body = (
        PARIS
        + f"""events:
  - id: meeting
    kind: meeting
    title: Alice meets Bob
    place: {place}
    participants: [alice, bob]
    status: held
    confidence: high
    evidence:
      - {{paragraph: 2, quote: Alice met Bob in Paris}}
"""
    )
    diagnostics = refused(make_project, body)
    assert [d.message for d in diagnostics] == [message]
    (diagnostic,) = diagnostics
    assert (
        diagnostic.line == minimal_yaml(SOURCE, body).splitlines().index(f"    place: {place}") + 1
    )


def test_a_party_reference_given_a_place_says_a_party_is_wanted(
    make_project: MakeProject,
) -> None:
    body = (
        PARIS
        + """events:
  - id: meeting
    kind: meeting
    title: Alice meets Bob
    participants: [alice, paris]
    status: held
    confidence: high
    evidence:
      - {paragraph: 2, quote: Alice met Bob in Paris}
"""
    )
    (message,) = [d.message for d in refused(make_project, body)]
    assert message.startswith("'paris' is in places, but a party id is expected here")


def test_a_place_says_where_it_is(make_project: MakeProject) -> None:
    body = """places:
  - id: paris
    name: Paris
    confidence: high
    evidence:
      - {paragraph: 2, quote: Bob in Paris}
"""
    (message,) = [d.message for d in refused(make_project, body)]
    assert "a place needs a country, a region or coordinates" in message


@pytest.mark.parametrize(
    ("coordinates", "message"),
    [
        ("{latitude: 91, longitude: 2, precision: city}", "less than or equal to 90"),
        (
            "{latitude: 48.9, longitude: 2.35, precision: town}",
            "precision 'town' is neither exact, site, city, region or country nor a radius",
        ),
        (
            "{latitude: 48.9, longitude: 2.35, precision: 0}",
            "precision 0 is neither exact, site, city, region or country nor a radius",
        ),
    ],
)
def test_coordinates_are_checked(make_project: MakeProject, coordinates: str, message: str) -> None:
    body = f"""places:
  - id: paris
    name: Paris
    coordinates: {coordinates}
    confidence: high
    evidence:
      - {{paragraph: 2, quote: Bob in Paris}}
"""
    diagnostics = refused(make_project, body)
    assert diagnostics and any(message in d.message for d in diagnostics), diagnostics


# --- durations ------------------------------------------------------------------------------

DEAL = """agreements:
  - id: deal
    title: The deal
    parties: [alice]
    status: signed
    duration: {duration}
    confidence: high
    evidence:
      - {{paragraph: 3, quote: signed a five-year deal in Paris}}
"""


def test_a_duration_agrees_with_its_words(make_project: MakeProject) -> None:
    good = DEAL.format(duration="{reported: five-year, value: 5, unit: year}")
    assert project(make_project, good).diagnostics == []
    wrong = DEAL.format(duration="{reported: five-year, value: 4, unit: year}")
    (problem,) = refused(make_project, wrong)
    assert problem.message == "reported 'five-year' reads as 5; value is 4"
    unquoted = DEAL.format(duration="{reported: ten-year, value: 10, unit: year}")
    (problem,) = refused(make_project, unquoted)
    assert "'ten-year' are not inside any of this item's quotes" in problem.message


def test_a_duration_gives_value_and_unit_together(make_project: MakeProject) -> None:
    body = DEAL.format(duration="{reported: five-year, value: 5}")
    (problem,) = refused(make_project, body)
    assert "value and unit go together" in problem.message


# --- relationships --------------------------------------------------------------------------

CLUB = """  - id: club
    kind: organisation
    name: The Club
    confidence: high
    evidence:
      - {paragraph: 3, quote: the Club}
"""


def _relationship(extra: str = "") -> str:
    return (
        CLUB
        + """relationships:
  - id: alice-in-club
    party: alice
    kind: member_of
    other: club
    start: {reported: since 2019, value: "2019"}
"""
        + extra
        + """    confidence: high
    evidence:
      - {paragraph: 3, quote: "Alice, a member of the Club since 2019"}
"""
    )


def test_a_party_shows_its_relationships_and_enter_opens_them(make_project: MakeProject) -> None:
    loaded = project(make_project, _relationship())
    assert errors(loaded) == []
    links = Links.build(loaded)
    alice = [(r.label, r.text, r.target) for r in describe(links.items["alice"], links)]
    assert ("Member of", "The Club (since 2019)", "alice-in-club") in alice
    club = [(r.label, r.text, r.target) for r in describe(links.items["club"], links)]
    assert ("Members", "Alice (since 2019)", "alice-in-club") in club
    # A relationship is not activity: it is listed as itself, once.
    assert all(ref != "alice-in-club" for _role, ref in links.activity["alice"])
    assert links.name("alice-in-club") == "Alice member of The Club"
    assert [row.item_id for row in links.timeline()] == ["alice-in-club"]

    async def body(app: Any, pilot: Any) -> None:
        from tui.screens.briefing import BriefingScreen
        from tui.widgets.detail import Detail

        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        detail = screen.query_one(Detail)
        await pilot.press("enter")  # the outline's first item, Alice: to the detail
        for _ in range(len(detail.rows)):
            if detail.current_row and detail.current_row.target == "alice-in-club":
                break
            await pilot.press("down")
        assert detail.current_row is not None and detail.current_row.label == "Member of"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.place is not None and screen.place.item == "alice-in-club"
        assert [r.label for r in detail.rows][:4] == ["Party", "Relation", "Other", "Since"]

    run_reader(loaded.path, body)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('    stop: {reported: until 2014, value: "2014"}\n', "stop 2014 is before start 2019"),
    ],
)
def test_a_relationship_is_checked(make_project: MakeProject, extra: str, message: str) -> None:
    diagnostics = refused(make_project, _relationship(extra))
    assert any(message in d.message for d in diagnostics), diagnostics


def test_a_relationship_kind_is_one_of_the_documented_list(make_project: MakeProject) -> None:
    body = _relationship().replace("kind: member_of", "kind: friend_of")
    (problem,) = refused(make_project, body)
    assert "'friend_of' is not allowed" in problem.message
    assert "member_of" in problem.message and "counterpart_of" in problem.message


def test_a_relationship_links_two_different_parties(make_project: MakeProject) -> None:
    body = _relationship().replace("other: club", "other: alice")
    messages = [d.message for d in refused(make_project, body)]
    assert any("a relationship links two different parties" in m for m in messages), messages


# --- exports --------------------------------------------------------------------------------


def test_stix_has_locations_and_relationships_and_parses_strictly(example: Loaded) -> None:
    bundle = to_stix_bundle(example)
    stix2.parse(json.dumps(bundle), allow_custom=False)
    objects = {o["id"]: o for o in bundle["objects"]}
    bid = example.briefing.id
    sarn = objects[stix_id("location", bid, "sarn")]
    assert (sarn["name"], sarn["latitude"], sarn["longitude"]) == ("Sarn", 59.3, 24.1)
    assert "precision" not in sarn  # "city" has no number of metres
    assert "somewhere in the city" in sarn["description"]
    kessel = objects[stix_id("location", bid, "kessel-base")]
    assert kessel["precision"] == 5000.0  # 5 km, in metres
    gulf = objects[stix_id("location", bid, "gulf-of-veld")]
    assert gulf["region"] == "northern-europe" and "country" not in gulf
    member = objects[stix_id("relationship", bid, "ostrava-in-pact")]
    assert member["relationship_type"] == "related-to"
    assert member["labels"] == ["relationship", "member-of"]
    assert member["source_ref"] == stix_id("identity", bid, "ostrava")
    assert member["target_ref"] == stix_id("identity", bid, "coastal-security-pact")
    assert member["start_time"] == "2019-01-01T00:00:00.000Z" and "stop_time" not in member
    drill = stix_id("grouping", bid, "northern-tide")
    located = {
        o["target_ref"]
        for o in bundle["objects"]
        if o["type"] == "relationship"
        and o["relationship_type"] == "located-at"
        and o["source_ref"] == drill
    }
    assert located == {gulf["id"], kessel["id"]}


def test_a_relationship_that_ended_stops_at_the_end_of_its_stop_date(
    make_project: MakeProject,
) -> None:
    extra = '    stop: {reported: until 2019, value: "2019"}\n'
    body = _relationship(extra).replace(
        'since 2019"}', 'since 2019 until 2019"}'
    )  # the words of both dates in the quote
    source = SOURCE.replace("since 2019,", "since 2019 until 2019,")
    loaded = load_briefing(make_project(v2(minimal_yaml(source, body)), source))
    assert errors(loaded) == [], loaded.diagnostics
    bundle = to_stix_bundle(loaded)
    stix2.parse(json.dumps(bundle), allow_custom=False)  # stop_time after start_time
    (member,) = [o for o in bundle["objects"] if o.get("labels", [""])[-1] == "member-of"]
    assert member["start_time"] == "2019-01-01T00:00:00.000Z"
    assert member["stop_time"] == "2019-12-31T23:59:59.999Z"


def test_markdown_and_json_carry_both_sections(example: Loaded) -> None:
    markdown = to_markdown(example)
    assert "## Places (3)" in markdown and "## Relationships (2)" in markdown
    assert "- **Also:**\n  - Сарн (ru)\n  - SARN\n" in markdown
    assert "- **Member of:** Coastal Security Pact (since 2019)" in markdown
    assert "- **Duration:** 5 years (as reported: “five-year”)" in markdown
    data = to_data(example)["briefing"]
    assert data["places"][0]["aliases"][0] == {"name": "Сарн", "language": "ru"}
    assert data["relationships"][0]["evidence"][0]["resolved"]["paragraph"] == 3
    assert data["drills"][0]["place"] == ["gulf-of-veld", "kessel-base"]


# --- the library ----------------------------------------------------------------------------


def test_the_library_filters_by_place_in_any_script(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "places.yaml")
    shutil.copy(EXAMPLE.with_suffix(".txt"), folder / "places.txt")
    with LibraryIndex() as index:
        index.refresh(folder)
        for typed, found in (
            ("place:Sarn", True),
            ("place:Сарн", True),
            ('place:"naval base"', True),
            ("place:Kess", True),  # as typed: the last word is a prefix
            ("place:Paris", False),
            ("place:Veldara", False),  # a party, not a place
        ):
            keys = index.matching(folder, parse_query(typed))
            assert bool(keys) is found, typed
        hits, problem = index.search(folder, "place:Sarn Northern")
        assert problem is None and "northern-tide" in [h.ref for h in hits]
        hits, _problem = index.search(folder, "place:Paris Northern")
        assert hits == []


def test_the_library_table_fits_80_columns_with_every_section_counted() -> None:
    from tui.screens.library import TITLE_MIN, column_widths

    # The bundled briefing's row: eight sections counted, at 80 columns (70 cells to share).
    row = (
        "Russia and China boost",
        "",
        "5 Nov 2014 (inferred)",
        "37: 13P 1Ag 2D 1AS 6E 7St 3Pl 4R",
    )
    widths = column_widths(70, [row])
    assert sum(widths) <= 70 + 2  # Source (left out) gives its padding back
    assert widths[0] == TITLE_MIN and widths[1] == 0 and widths[2] == len(row[2])
    assert 5 <= widths[3] < len(row[3])  # cut with an ellipsis, not pushed off screen


def test_a_version_1_export_has_no_trace_of_the_new_fields(make_project: MakeProject) -> None:
    meeting = """events:
  - id: meeting
    kind: meeting
    title: Alice meets Bob
    location: Paris
    participants: [alice, bob]
    status: held
    confidence: high
    evidence:
      - {paragraph: 2, quote: Alice met Bob in Paris}
"""
    loaded = project(make_project, meeting, version=1)
    data = to_data(loaded)["briefing"]
    assert "places" not in data and "relationships" not in data
    assert "place" not in data["events"][0] and data["events"][0]["location"] == "Paris"
    bundle = to_stix_bundle(loaded)
    assert {o["type"] for o in bundle["objects"]} == {
        "report",
        "identity",
        "grouping",
        "relationship",
    }


def test_the_example_shows_its_places_and_what_happened_there() -> None:
    from tui.screens.briefing import BriefingScreen
    from tui.sections import NUMBERS
    from tui.widgets.detail import Detail
    from tui.widgets.outline import Outline

    async def body(app: Any, pilot: Any) -> None:
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        outline, detail = screen.query_one(Outline), screen.query_one(Detail)
        await pilot.press(str(NUMBERS["places"]))
        await pilot.press("down", "down")  # from Sarn, past the gulf, to Kessel
        await pilot.pause()
        assert outline.current_item == "kessel-base"
        shown = [(r.label, r.text) for r in detail.rows]
        assert ("Coordinates", "59.66° N, 24.1° E (within 5 km)") in shown
        assert ("Here", "Drill: Northern Tide") in shown
        await pilot.press("enter")  # to the detail
        for _ in range(len(detail.rows)):
            if detail.current_row is not None and detail.current_row.label == "Here":
                break
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert outline.current_item == "northern-tide"
        places = [
            (r.label, r.text, r.target)
            for r in detail.rows
            if r.target in ("gulf-of-veld", "kessel-base")
        ]
        assert places == [
            ("Place", "Gulf of Veld", "gulf-of-veld"),
            ("", "naval base at Kessel", "kessel-base"),
        ]

    run_reader(EXAMPLE, body, size=(80, 24))


@pytest.mark.parametrize(
    ("place", "message"),
    [
        (
            "Paris",
            "place: 'Paris' is not an id: ids are lower-case letters, digits and hyphens ('paris'?)",
        ),
        (
            "[paris, Big Apple]",
            "place: 'Big Apple' is not an id: ids are lower-case letters, digits and hyphens ('big-apple'?)",
        ),
        ("{id: paris}", "place: write a place id, or a list of place ids: [sarn, gulf-of-veld]"),
    ],
)
def test_a_place_that_is_no_id_gets_one_message(
    make_project: MakeProject, place: str, message: str
) -> None:
    body = (
        PARIS
        + f"""events:
  - id: meeting
    kind: meeting
    title: Alice meets Bob
    place: {place}
    participants: [alice, bob]
    status: held
    confidence: high
    evidence:
      - {{paragraph: 2, quote: Alice met Bob in Paris}}
"""
    )
    assert [d.message for d in refused(make_project, body)] == [message]


def test_a_radius_too_large_for_the_earth_is_refused(make_project: MakeProject) -> None:
    # 1e308 km would be an infinite number of metres in STIX, which JSON cannot write.
    body = """places:
  - id: paris
    name: Paris
    coordinates: {latitude: 48.9, longitude: 2.35, precision: 1.0e+308}
    confidence: high
    evidence:
      - {paragraph: 2, quote: Bob in Paris}
"""
    (problem,) = refused(make_project, body)
    assert "at most 20,000" in problem.message
