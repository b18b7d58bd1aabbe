"""tui/changes.py without a screen: what each edit-mode change does to a briefing's text, from
the bundled briefing and its seed's words (the selection made as the screen makes it, by
tui/anchoring.py's shortest anchor)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tui import changes, strict_yaml
from tui.anchoring import shortest_anchor
from tui.drafting import Proposal
from tui.loader import Loaded, load_briefing
from tui.prefill import prefill
from tui.source import SourceText
from tui.yaml_edit import set_fields, set_top_fields

from .conftest import ROOT, SEED_BRIEFING, MakeProject

TEXT = SEED_BRIEFING.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    return load_briefing(SEED_BRIEFING)


@pytest.fixture(scope="module")
def source(loaded: Loaded) -> SourceText:
    return loaded.sources[loaded.briefing.sources[0].id]


def select(source: SourceText, words: str, paragraph: int | None = None) -> dict[str, object]:
    """The anchor the screen makes of a selection of words (their first place, or in
    paragraph)."""
    numbers = [paragraph] if paragraph else range(1, len(source.paragraphs) + 1)
    for number in numbers:
        at = source.paragraph(number).text.find(words)
        if at >= 0:
            return shortest_anchor(source, number, at, at + len(words))
    raise AssertionError(f"{words!r} is not in the source")


def seed_copy(tmp_path: Path, text: str) -> Path:
    """The seed's source and text as a briefing on disk, to load what a change wrote."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "briefings").mkdir()
    target = tmp_path / "briefings" / SEED_BRIEFING.name
    target.write_text(text, encoding="utf-8")
    return target


# --- ids -----------------------------------------------------------------------------------------


def test_taken_holds_the_ids_of_every_section(loaded: Loaded) -> None:
    taken = changes.taken_ids(loaded)
    assert {"russia", "chelyabinsk-drills-2013", "sco-joint-drills-2014"} <= taken
    assert len(taken) == sum(loaded.briefing.counts().values())
    assert changes.taken_ids(None) == set()


def test_a_new_id_differs_from_every_section(loaded: Loaded) -> None:
    taken = changes.taken_ids(loaded)
    # A party's id and a drill's id: either is taken for a new item of any section.
    assert changes.new_id("Russia", taken) == "russia-2"
    assert changes.new_id("Chelyabinsk drills 2013", taken) == "chelyabinsk-drills-2013-2"
    assert changes.new_id("Chelyabinsk drills 2013", {*taken, "chelyabinsk-drills-2013-2"}) == (
        "chelyabinsk-drills-2013-3"
    )
    assert changes.new_id("Novel name", taken) == "novel-name"
    assert changes.new_id("!!!", taken) == "item"


# --- prefill from the seed's words ---------------------------------------------------------------


def test_a_drill_prefilled_from_the_seed(loaded: Loaded, source: SourceText) -> None:
    words = "joint drills with China and other SCO-members in August this year"
    anchor = select(source, words)
    values = changes.prefilled("drills", words, anchor, loaded)
    assert values["evidence"] == [anchor] == [{"quote": words}]
    assert values["stated"] == "plainly"
    assert values["participants"] == ["china", "sco"]
    date = values["date"]
    assert isinstance(date, dict) and date["value"] == "2014-08"  # the source's publication
    # An unnamed drill: its id is proposed from the words, free among every section's.
    assert values["id"] == "joint-drills-with-china-and-other-sco-members-in"
    assert values["id"] not in changes.taken_ids(loaded)


def test_a_party_prefilled_with_the_shortest_anchor(loaded: Loaded, source: SourceText) -> None:
    # "China" stands in many paragraphs: the anchor needs more than the quote to be its own.
    anchor = select(source, "China", paragraph=12)
    assert set(anchor) > {"quote"}
    values = changes.prefilled("parties", "China", anchor, loaded)
    assert values["evidence"] == [anchor]
    assert values["name"] == "China"
    assert values["stated"] == "plainly"
    assert "id" not in values  # named: the form proposes the id from the name


def test_a_contribution_prefilled_carries_no_evidence(loaded: Loaded, source: SourceText) -> None:
    anchor = select(source, "over 1,000 troops")
    values = changes.prefilled("contribution", "over 1,000 troops", anchor, loaded)
    assert values == prefill("contribution", "over 1,000 troops", list(loaded.briefing.parties))
    assert "evidence" not in values and "stated" not in values


def test_a_first_format_briefing_is_offered_a_confidence(make_project: MakeProject) -> None:
    loaded = load_briefing(make_project())  # schema: 1
    values = changes.prefilled("events", "Alice met Bob", {"quote": "Alice met Bob"}, loaded)
    assert values["confidence"] == "high" and "stated" not in values


def test_labelled() -> None:
    assert changes.labelled("parties", {})  # a party's name is required: the form asks it
    assert not changes.labelled("drills", {})  # a drill may be unnamed
    assert changes.labelled("drills", {"name": "Joint Sea"})


# --- items and contributions ---------------------------------------------------------------------


def test_item_from_puts_the_id_first_and_the_evidence_last(loaded: Loaded) -> None:
    anchor = {"quote": "Sukhoi"}
    item = changes.item_from(
        "parties", {"kind": "organisation", "name": "Russia"}, anchor, "Sukhoi",
        changes.taken_ids(loaded),
    )  # fmt: skip
    assert list(item) == ["id", "kind", "name", "evidence"]
    assert item["id"] == "russia-2" and item["evidence"] == [anchor]
    given = changes.item_from(
        "parties", {"evidence": [{"quote": "x"}], "id": "mine", "name": "N"}, anchor, "w", set()
    )
    assert list(given) == ["id", "name", "evidence"]
    assert given["id"] == "mine" and given["evidence"] == [{"quote": "x"}]


def test_cites(loaded: Loaded, source: SourceText) -> None:
    troops = select(source, "over 1,000 troops")
    assert changes.cites(source, loaded, "sco-joint-drills-2014", troops)
    assert not changes.cites(source, loaded, "chelyabinsk-drills-2013", troops)
    assert not changes.cites(None, loaded, "sco-joint-drills-2014", troops)
    assert not changes.cites(source, loaded, "sco-joint-drills-2014", {"quote": "not there"})


@pytest.mark.parametrize("cited", [True, False])
def test_a_contribution_adds_the_evidence_only_when_not_cited(cited: bool) -> None:
    drill = "chelyabinsk-drills-2013"
    anchor = {"paragraph": 12, "quote": "13 battle tanks"}
    values = {"party": "russia", "equipment": "battle tank"}
    before = changes.raw_item(TEXT, "drills", drill)
    after = changes.raw_item(
        changes.add_contribution(TEXT, drill, values, anchor, cited=cited), "drills", drill
    )
    assert after["contributions"] == [*before.get("contributions", []), values]
    added = [] if cited else [anchor]
    assert after["evidence"] == [*before["evidence"], *added]


def test_current_drill() -> None:
    section_of = {"sco-joint-drills-2014": "drills", "russia": "parties"}
    assert changes.current_drill(section_of, "sco-joint-drills-2014") == "sco-joint-drills-2014"
    assert changes.current_drill(section_of, "russia") is None
    assert changes.current_drill(section_of, None) is None


# --- a proposal accepted ---------------------------------------------------------------------------


def test_a_proposal_accepted_into_parties(
    tmp_path: Path, loaded: Loaded, source: SourceText
) -> None:
    parties = list(loaded.briefing.parties)
    anchor = select(source, "Sukhoi")
    fields = {"kind": "organisation", **prefill("parties", "Sukhoi", parties)}
    proposal = Proposal("organisation", 12, "Sukhoi", anchor, "parties", fields)
    (kept,) = changes.unnamed([proposal], loaded)
    section, words, anchor, values = changes.proposal_values(kept)
    assert (section, words) == ("parties", "Sukhoi")
    assert values["stated"] == "plainly" and values["evidence"] == [anchor]
    taken = changes.taken_ids(loaded)
    checked, error = changes.accepted(section, values, parties, taken)
    assert error is None
    item = changes.item_from(section, checked, anchor, words, taken)
    written = load_briefing(seed_copy(tmp_path, changes.add_new_item(TEXT, section, item)))
    party = next(p for p in written.briefing.parties if p.id == item["id"])
    assert party.name == "Sukhoi"
    (evidence,) = written.evidence[party.id]
    assert evidence.span is not None
    paragraph = source.paragraph(evidence.span.paragraph).text
    assert paragraph[evidence.span.start : evidence.span.end] == "Sukhoi"


def test_a_proposal_of_a_named_party_is_dropped(loaded: Loaded) -> None:
    named = Proposal("state", 1, "RUSSIA", {"quote": "Russia"}, "parties", {"name": "RUSSIA"})
    count = Proposal("quantity", 12, "13 battle tanks", {}, "contribution", {"equipment": "x"})
    assert changes.unnamed([named, count], loaded) == [count]


def test_a_proposal_that_fails_the_form_says_why(loaded: Loaded) -> None:
    values = {"kind": "planet", "name": "Sukhoi", "stated": "plainly"}  # no such kind
    _checked, error = changes.accepted("parties", values, [], changes.taken_ids(loaded))
    assert error is not None and error.startswith("kind: ") and error.endswith("; Enter edits it")


# --- a form's answers ----------------------------------------------------------------------------


def test_a_field_change_leaves_the_other_fields_alone() -> None:
    raw = changes.raw_item(TEXT, "drills", "chelyabinsk-drills-2013")
    answers = {**raw, "location": "Chelyabinsk"}
    del answers["notes"]  # emptied in the form
    changed = changes.field_changes(raw, answers)
    assert changed == {"location": "Chelyabinsk", "notes": None}
    after = changes.raw_item(
        set_fields(TEXT, "drills", "chelyabinsk-drills-2013", changed),
        "drills",
        "chelyabinsk-drills-2013",
    )
    assert after == {k: v for k, v in answers.items()}
    assert changes.field_changes(raw, dict(raw)) == {}


def test_header_changes_give_every_answer_and_name_those_changed() -> None:
    raw = changes.raw_header(TEXT)
    assert "title" in raw and "summary" in raw
    answers = {**raw, "title": "A new title", "id": "ignored", "tlp": None}
    answers.pop("analyst", None)
    given, changed = changes.header_changes(raw, answers)
    # Unchanged answers are given again (a TODO under them goes); only changes are named.
    assert given["summary"] == raw["summary"] and "summary" not in changed
    assert given["title"] == "A new title" and "title" in changed
    assert "id" not in given  # not a header field: the file's structure
    assert ("tlp" in given) == ("tlp" in raw)  # None for an absent field: nothing to write
    if "analyst" in raw:
        assert given["analyst"] is None and "analyst" in changed
    after = strict_yaml.load(set_top_fields(TEXT, given))[0]
    assert after["title"] == "A new title" and after["summary"] == raw["summary"]


def test_source_header_changes() -> None:
    source_id = "src"
    raw = {"id": source_id, "title": "T", "language": "en", "reliability": "C"}
    given, changed = changes.header_changes(raw, {"title": "T", "language": "fr"}, kind="source")
    assert given == {"title": "T", "language": "fr", "reliability": None}
    assert changed == ["language", "reliability"]


def test_raw_source_and_lines(loaded: Loaded) -> None:
    source_id = loaded.briefing.sources[0].id
    raw = changes.raw_source(TEXT, source_id)
    assert raw is not None and raw["id"] == source_id
    assert changes.raw_source(TEXT, "no-such-source") is None
    lines = changes.item_lines(TEXT, "drills", "chelyabinsk-drills-2013")
    assert lines is not None
    first, last = lines
    assert TEXT.splitlines()[first - 1].strip() == "- id: chelyabinsk-drills-2013"
    assert first < last
    assert changes.item_lines(TEXT, "drills", "no-such-drill") is None
    assert changes.evidence_count(TEXT, "drills", "chelyabinsk-drills-2013") == 1
    assert changes.raw_item(TEXT, "drills", "no-such-drill") == {}


def test_after_removal() -> None:
    assert changes.after_removal(["a", "b", "c"], "b") == "c"
    assert changes.after_removal(["a", "b", "c"], "c") == "b"
    assert changes.after_removal(["a"], "a") is None
    assert changes.after_removal(["a"], "z") is None


def test_cites_compares_the_source_too(make_project: MakeProject) -> None:
    from .test_finding import two_source_project

    loaded = load_briefing(two_source_project(make_project))
    first, other = loaded.sources["src"], loaded.sources["other"]
    # Bob's first quote is ¶2 of the other source, characters 0-14 ("Bob sold tanks"); the
    # same paragraph and characters of the first source are other words.
    assert changes.cites(other, loaded, "bob", select(other, "Bob sold", 2))
    assert not changes.cites(first, loaded, "bob", select(first, "Alice met", 2))
    assert changes.source_id(loaded, other) == "other"
    assert changes.source_id(loaded, SourceText("not one of them")) is None
