"""The item form: fields derived from the schema (tui/forms.py), the form and proposals screens.

The core half round-trips every item of the bundled briefing through the form's answers and
checks that bad answers come back as errors on the right field; the screen half drives every
key of ItemForm and ProposalsScreen under Pilot with a fake `decide`, and fixes both as
snapshots at 80x24 and 160x48.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import pytest
import yaml

from tui import forms, schema

from .conftest import SEED_BRIEFING


def _bundle() -> dict[str, Any]:
    data = yaml.safe_load(SEED_BRIEFING.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


BUNDLE = _bundle()
PARTIES = [schema.Party.model_validate(p, context={"version": 2}) for p in BUNDLE["parties"]]
TAKEN = {item["id"] for key in schema.MODELS for item in BUNDLE.get(key) or []}


def _round_trip(kind: str, values: dict[str, Any]) -> tuple[dict[str, object], dict[str, str]]:
    specs = forms.specs_for(kind, values, PARTIES, taken=TAKEN)
    return forms.values_from(kind, specs, forms.answers_of(specs), taken=TAKEN)


def _without_nulls(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: _without_nulls(v) if isinstance(v, dict) else v
        for k, v in values.items()
        if v is not None
    }


def _form(kind: str, answers: dict[str, str], values: dict[str, Any] | None = None) -> Any:
    specs = forms.specs_for(kind, values or {}, PARTIES, taken=TAKEN)
    filled = {**forms.answers_of(specs), **answers}
    return forms.values_from(kind, specs, filled, taken=TAKEN)


# --- the core: specs_for and values_from ----------------------------------------------------


@pytest.mark.parametrize("section", list(schema.MODELS))
def test_every_item_of_the_bundle_round_trips(section: str) -> None:
    items = BUNDLE.get(section) or []
    assert items, f"the bundled briefing has no {section}: the round trip would test nothing"
    for item in items:
        values, errors = _round_trip(section, item)
        assert errors == {}, item["id"]
        # Explicit nulls (`name: null`) are left out: an empty optional field is not written.
        assert values == _without_nulls(item), item["id"]


def test_contributions_and_deliveries_round_trip() -> None:
    contributions = [c for d in BUNDLE["drills"] for c in d.get("contributions") or []]
    assert contributions
    for contribution in contributions:
        assert _round_trip("contribution", contribution) == (_without_nulls(contribution), {})
    delivery = {
        "status": "planned",
        "date": {"reported": "from 2027 to 2030", "value": "2027", "end": "2030"},
        "quantity": {"value": 4, "unit": "frigates", "reported": "the first four frigates"},
        "equipment": "frigate",
        "uncertain": True,
        "quotes": ["deliveries to run from 2027 to 2030"],
    }
    assert _round_trip("delivery", delivery) == (delivery, {})
    several = {
        "parties": ["russia", "china"],
        "equipment": "ship",
        "quantity": {"value": 9, "qualifier": "about", "reported": "about 9 ships"},
    }
    assert _round_trip("contribution", several) == (several, {})


def test_the_values_come_back_in_the_order_a_briefing_is_written() -> None:
    drill = BUNDLE["drills"][1]
    values, errors = _round_trip("drills", drill)
    assert errors == {}
    keys = list(values)
    assert keys[0] == "id" and keys[-1] == "evidence"
    own = [k for k in keys if k not in schema.Item.model_fields]
    assert own == [k for k in schema.Drill.model_fields if k in own]
    assert keys.index("participants") < keys.index("stated") < keys.index("notes")
    assert list(values["date"]) == ["reported", "value", "inferred", "basis"]  # type: ignore[call-overload]


def test_choices_come_from_the_schema_types() -> None:
    specs = {s.name: s for s in forms.specs_for("parties", {}, PARTIES)}
    assert [k for k, _ in specs["kind"].choices] == list(typing.get_args(schema.PartyKind))
    assert [k for k, _ in specs["stated"].choices] == list(typing.get_args(schema.Stated))
    assert specs["kind"].required and specs["stated"].required and specs["name"].required
    assert specs["affiliation"].kind == "party"
    assert specs["affiliation"].choices == tuple((p.id, p.name) for p in PARTIES)
    credibility = dict(specs["credibility"].choices)
    assert credibility["2"] == f"2 ({schema.CREDIBILITY[2]})"
    drill = {s.name: s for s in forms.specs_for("drills", {}, PARTIES)}
    assert [k for k, _ in drill["status"].choices] == list(typing.get_args(schema.DrillStatus))
    assert drill["participants"].kind == "parties" and drill["participants"].required
    assert drill["framework"].kind == "party" and drill["place"].kind == "ids"
    assert drill["date.value"].kind == "date" and drill["date.inferred"].kind == "flag"
    # Help is the schema's description, never retyped.
    assert drill["status"].help == schema.Drill.model_fields["status"].description
    statement = {s.name: s for s in forms.specs_for("statements", {}, PARTIES)}
    assert statement["speaker"].kind == "party" and statement["about"].kind == "ids"
    contribution = {s.name: s for s in forms.specs_for("contribution", {}, PARTIES)}
    assert contribution["party"].kind == "party" and contribution["parties"].kind == "parties"
    assert [k for k, _ in contribution["quantity.qualifier"].choices] == list(
        typing.get_args(schema.Qualifier)
    )
    delivery = {s.name: s for s in forms.specs_for("delivery", {}, PARTIES)}
    assert [k for k, _ in delivery["status"].choices] == list(
        typing.get_args(schema.DeliveryStatus)
    )
    assert "evidence" not in drill and "id" not in contribution


def test_required_fields_come_first() -> None:
    for kind in forms.kinds():
        shown = [s for s in forms.specs_for(kind, {}, PARTIES) if s.kind != "kept"]
        flags = [s.required for s in shown]
        assert flags == sorted(flags, reverse=True), kind


def test_the_id_is_proposed_from_the_name_and_unique() -> None:
    specs = forms.specs_for("parties", {"name": "Russia"}, PARTIES, taken=TAKEN)
    assert specs[0].name == "id" and specs[0].value == "russia-2"
    specs = forms.specs_for("events", {"title": "Talks in Sarn"}, PARTIES, taken=TAKEN)
    assert specs[0].value == "talks-in-sarn"
    # An item's own id is kept, not re-proposed.
    specs = forms.specs_for("parties", BUNDLE["parties"][0], PARTIES, taken=TAKEN)
    assert specs[0].value == "russia"
    assert forms.propose_id("  ", set()) == "item"


def test_a_new_party_from_a_name_is_valid_at_once() -> None:
    values, errors = _form("parties", {}, {"name": "Sarn", "kind": "state", "stated": "plainly"})
    assert errors == {}
    assert values == {"id": "sarn", "kind": "state", "name": "Sarn", "stated": "plainly"}


def test_an_empty_form_names_each_required_field() -> None:
    _values, errors = _form("drills", {})
    assert errors == {"id": "Required", "participants": "Required", "stated": "Required"}
    _values, errors = _form("contribution", {})
    assert errors == {"equipment": "Required", "quantity": "Required"}


GOOD_DRILL = {"id": "new-drill", "participants": "russia, china", "stated": "plainly"}


@pytest.mark.parametrize(
    ("answers", "field", "words"),
    [
        ({"date.value": "2014-13"}, "date.value", "2014-13"),
        ({"date.value": "14 August"}, "date.value", "YYYY-MM-DD"),
        ({"date.value": "2014-08", "date.end": "2013"}, "date", "before"),
        ({"date.inferred": "true", "date.value": "2014"}, "date", "basis"),
        ({"participants": "russia, narnia"}, "participants", "narnia"),
        ({"framework": "narnia"}, "framework", "not a party"),
        ({"credibility": "9"}, "credibility", "expected one of"),
        ({"stated": "surely"}, "stated", "expected one of"),
        ({"id": "New Drill"}, "id", "New Drill"),
        ({"id": "russia"}, "id", "already the id"),
        ({"place": "Gulf of Veld"}, "place", "not an id"),
    ],
)
def test_bad_answers_give_errors_on_their_field(
    answers: dict[str, str], field: str, words: str
) -> None:
    _values, errors = _form("drills", {**GOOD_DRILL, **answers})
    assert list(errors) == [field]
    assert words in errors[field]


@pytest.mark.parametrize(
    ("answers", "field", "words"),
    [
        ({"quantity.value": "many"}, "quantity.value", "write a number"),
        ({"quantity.value": "-3"}, "quantity", "negative"),
        ({"quantity.qualifier": "unknown", "quantity.value": "3"}, "quantity", "unknown"),
        ({"party": "russia", "parties": "russia, china"}, "", "not both"),
    ],
)
def test_bad_contributions_give_errors_on_their_field(
    answers: dict[str, str], field: str, words: str
) -> None:
    good = {"equipment": "troops", "quantity.value": "1,000", "quantity.qualifier": "more_than"}
    values, errors = _form("contribution", {**good, **answers})
    assert list(errors) == [field]
    assert words in errors[field]
    values, errors = _form("contribution", good)
    assert errors == {}
    assert values == {"equipment": "troops", "quantity": {"value": 1000, "qualifier": "more_than"}}


def test_fields_the_form_does_not_show_are_kept() -> None:
    drill = BUNDLE["drills"][1]
    specs = forms.specs_for("drills", drill, PARTIES, taken=TAKEN)
    kept = {s.name for s in specs if s.kind == "kept"}
    assert {"contributions", "evidence"} <= kept
    answers = {**forms.answers_of(specs), "name": "Peace Mission 2014"}
    values, errors = forms.values_from("drills", specs, answers, taken=TAKEN)
    assert errors == {}
    assert values["contributions"] == drill["contributions"]
    assert values["evidence"] == drill["evidence"]
    assert values["name"] == "Peace Mission 2014"


def test_a_version_1_item_keeps_confidence() -> None:
    party = {"id": "alice", "kind": "person", "name": "Alice", "confidence": "high"}
    specs = {s.name: s for s in forms.specs_for("parties", party, [])}
    assert "stated" not in specs and specs["confidence"].required
    assert _round_trip("parties", party) == (party, {})


def test_hostile_party_names_are_cleaned_in_choices() -> None:
    hostile = schema.Party.model_validate(
        {
            "id": "evil",
            "kind": "group",
            "name": "[bold]x[/] \x1b[31mred",
            "stated": "plainly",
            "evidence": [{"quote": "x"}],
        }
    )
    specs = {s.name: s for s in forms.specs_for("drills", {}, [hostile])}
    (label,) = [label for key, label in specs["framework"].choices if key == "evil"]
    assert "\x1b" not in label and "[bold]x[/]" in label


def test_the_core_module_is_listed_in_the_import_contract() -> None:
    text = (Path(__file__).parent / "test_layers.py").read_text(encoding="utf-8")
    assert '"tui.forms"' in text
