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
        # Explicit nulls (`name: null`) come back too: editing an item keeps its lines.
        assert values == item, item["id"]


def test_contributions_and_deliveries_round_trip() -> None:
    contributions = [c for d in BUNDLE["drills"] for c in d.get("contributions") or []]
    assert contributions
    for contribution in contributions:
        assert _round_trip("contribution", contribution) == (contribution, {})
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


def test_a_null_stays_null_and_an_emptied_field_goes() -> None:
    sale = BUNDLE["arms_sales"][0]
    assert sale["recipient"] is None and "recipient" in sale
    specs = forms.specs_for("arms_sales", sale, PARTIES, taken=TAKEN)
    answers = {**forms.answers_of(specs), "recipient_reported": "", "value.basis": ""}
    values, errors = forms.values_from("arms_sales", specs, answers, taken=TAKEN)
    assert errors == {"value": "an inferred amount needs a basis"}
    answers["value.inferred"] = ""
    values, errors = forms.values_from("arms_sales", specs, answers, taken=TAKEN)
    assert errors == {}
    assert values["recipient"] is None and "recipient_reported" not in values
    assert values["value"] == {"value": 7700000000, "currency": "USD", "reported": "$7.7 billion"}
    # A group emptied of everything but nulls is left out, not kept as a value of nothing.
    contribution = BUNDLE["drills"][1]["contributions"][2]
    assert contribution["quantity"]["value"] is None
    specs = forms.specs_for("contribution", contribution, PARTIES)
    answers = {s.name: "" for s in specs if s.name.startswith("quantity.")}
    _values, errors = forms.values_from("contribution", specs, answers)
    assert errors == {"quantity": "Required"}


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


def test_a_version_1_briefing_is_offered_only_format_1_fields() -> None:
    specs = {s.name: s for s in forms.specs_for("drills", {}, PARTIES, version=1)}
    assert specs["confidence"].required and "stated" not in specs
    assert not {"status", "totals", "via", "credibility", "place"} & set(specs)
    contribution = {s.name for s in forms.specs_for("contribution", {}, PARTIES, version=1)}
    assert "party" in contribution and "parties" not in contribution
    # A format 2 field the item already has is kept, for the loader to judge.
    specs = {s.name: s for s in forms.specs_for("drills", {"status": "held"}, [], version=1)}
    assert specs["status"].kind == "kept"


def test_a_key_the_model_does_not_have_is_named_not_dropped() -> None:
    values, errors = _form(
        "parties", {}, {"name": "Sarn", "kind": "state", "stated": "plainly", "colour": "red"}
    )
    assert values["colour"] == "red"
    assert list(errors) == ["colour"]
    assert errors["colour"] == "unknown field 'colour'; did you mean 'country'?"  # a Party's field


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


# --- the screens -----------------------------------------------------------------------------

import asyncio  # noqa: E402
import functools  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from textual import events  # noqa: E402
from textual.app import App  # noqa: E402
from textual.content import Content  # noqa: E402
from textual.widgets import OptionList, Static  # noqa: E402

from tui.screens.form import ChoiceField, ItemForm, PartiesField, SectionPicker  # noqa: E402
from tui.screens.help import HelpScreen  # noqa: E402
from tui.screens.proposals import KEYS as PROPOSAL_KEYS  # noqa: E402
from tui.screens.proposals import ProposalsScreen  # noqa: E402
from tui.sections import SECTIONS  # noqa: E402


def synced(test: Any) -> Any:
    """An async test run to the end with asyncio.run (the suite has no async plugin)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
HOSTILE = schema.Party.model_validate(
    {
        "id": "evil",
        "kind": "group",
        "name": "[bold]x[/] \x1b[31mred",
        "stated": "plainly",
        "evidence": [{"quote": "x"}],
    }
)


class FormApp(App[None]):
    """A bare app that opens one screen and keeps what it is dismissed with."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self.make = make
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.make(), self.results.append)


def _form_app(kind: str = "drills", values: dict[str, Any] | None = None, **extra: Any) -> FormApp:
    parties = extra.pop("parties", PARTIES)
    return FormApp(
        lambda: ItemForm(f"New {kind}", kind, values or {}, parties, taken=TAKEN, **extra)
    )


def _spec_of(form: ItemForm, widget: object) -> forms.FieldSpec:
    return form._by_widget[getattr(widget, "id", "")]


def _widget(form: ItemForm, name: str) -> Any:
    (widget_id,) = [w for w, s in form._by_widget.items() if s.name == name]
    return form.query_one(f"#{widget_id}")


PREFILLED_DRILL = {
    k: v for k, v in BUNDLE["drills"][1].items() if k not in ("evidence", "contributions")
}


@synced
async def test_a_prefilled_form_is_accepted_with_one_enter() -> None:
    app = _form_app("drills", PREFILLED_DRILL)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    (result,) = app.results
    assert result == PREFILLED_DRILL


@synced
async def test_tab_and_shift_tab_move_and_the_help_follows() -> None:
    app = _form_app("drills", PREFILLED_DRILL)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        names = [s.name for s in form.shown]
        seen = [_spec_of(form, app.focused).name]
        for _ in range(4):
            await pilot.press("tab")
            seen.append(_spec_of(form, app.focused).name)
        assert seen == names[:5]
        help_text = str(form.query_one("#help", Static).render())
        assert help_text == form.shown[4].help
        await pilot.press("shift+tab")
        assert _spec_of(form, app.focused).name == names[3]


@synced
async def test_focus_starts_on_the_first_empty_required_field() -> None:
    app = _form_app("drills", {"participants": ["russia", "china"]})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        # The id follows the name as it is typed: the first field to fill is the next one.
        assert _spec_of(form, app.focused).name == "stated"
    app = _form_app("contribution", {"party": "russia"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert _spec_of(app.screen, app.focused).name == "equipment"  # type: ignore[arg-type]
    app = _form_app("relationships", {"party": "russia", "other": "china", "stated": "plainly"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # The id follows the (optional) title too: the first field to fill is the kind.
        assert _spec_of(app.screen, app.focused).name == "kind"  # type: ignore[arg-type]


@synced
async def test_enter_on_errors_shows_each_beside_its_field() -> None:
    app = _form_app("drills", {"date": {"value": "2014-08", "end": "2013"}})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm) and app.results == []
        assert set(form.errors) == {"id", "participants", "stated", "date"}
        shown = {
            form.shown[int(str(s.id).rsplit("-", 1)[1])].name: str(s.render())
            for s in form.query(".error")
            if not s.has_class("-hidden")
        }
        assert shown["id"] == "↑ Required"
        assert "before" in shown["date.reported"]  # the date's own check, by its first field
        assert _spec_of(form, app.focused).name == "id"  # focus on the first field in error
        # Fixing them and pressing Enter again saves.
        await pilot.press(*"new-drill")
        _widget(form, "participants").highlighted = 0
        _widget(form, "participants").focus()
        await pilot.press("space")
        _widget(form, "stated").focus()
        await pilot.press("right")
        _widget(form, "date.end").focus()
        await pilot.press("ctrl+a", "ctrl+k", "enter")
        await pilot.pause()
    assert app.results == [
        {
            "id": "new-drill",
            "date": {"value": "2014-08"},
            "participants": ["russia"],
            "stated": "plainly",
        }
    ]


@synced
async def test_errors_off_the_shown_fields_show_above_the_help() -> None:
    for values, words in [
        ({"equipment": "tank", "colour": "red"}, "colour: unknown field 'colour'"),
        ({"party": "russia", "parties": ["russia", "china"], "equipment": "tank"}, "not both"),
    ]:
        app = _form_app("contribution", {**values, "quantity": {"value": 3}})
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, ItemForm) and app.results == []
            problem = form.query_one("#problem", Static)
            assert not problem.has_class("-hidden")
            assert words in str(problem.render())


@synced
async def test_a_reference_to_no_party_is_shown_not_dropped() -> None:
    values = {"name": "Sarn navy", "kind": "military", "stated": "plainly", "affiliation": "sarn"}
    app = _form_app("parties", values)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        affiliation = _widget(form, "affiliation")
        assert affiliation.value == "sarn"
        assert "sarn (not a party of this briefing)" in affiliation.render().plain
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [] and "not a party" in form.errors["affiliation"]


@synced
async def test_text_shown_cleaned_is_saved_as_it_was_unless_edited() -> None:
    notes = "First line.\nSecond line, with \x1b[31m in it."
    values = {"id": "sarn", "name": "Sarn", "kind": "state", "stated": "plainly", "notes": notes}
    app = _form_app("parties", values)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        assert _widget(form, "notes").value == "First line. Second line, with ␛[31m in it."
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [values]
    app = _form_app("parties", values)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        _widget(app.screen, "notes").focus()  # type: ignore[arg-type]
        await pilot.press("end", "!", "enter")
        await pilot.pause()
    assert app.results == [{**values, "notes": "First line. Second line, with ␛[31m in it.!"}]


@synced
async def test_escape_cancels() -> None:
    app = _form_app("drills", PREFILLED_DRILL)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


@synced
async def test_a_choice_steps_with_left_right_and_jumps_by_letter() -> None:
    app = _form_app("parties", {"name": "Sarn"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        kind = _widget(form, "kind")
        assert isinstance(kind, ChoiceField) and app.focused is kind  # first empty required
        assert kind.value == ""
        await pilot.press("right")
        assert kind.value == "state"
        await pilot.press("space")
        assert kind.value == "organisation"
        await pilot.press("left", "left")
        assert kind.value == ""
        await pilot.press("p")
        assert kind.value == "person"
        await pilot.press("end")
        assert kind.value == "group"
        await pilot.press("home")
        assert kind.value == ""
        await pilot.press("m")
        assert kind.value == "military"


@synced
async def test_a_list_of_parties_ticks_in_order() -> None:
    app = _form_app("drills", {"id": "d", "participants": ["china"]})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        listing = _widget(form, "participants")
        assert isinstance(listing, PartiesField)
        listing.focus()
        listing.highlighted = 0
        # China, ticked, comes first; then the others in the briefing's order.
        await pilot.press("down", "space", "down", "space", "up", "up", "space")
        assert listing.selected == ["russia", "putin"]
        prompt = str(listing.get_option_at_index(1).prompt)
        assert prompt.startswith("[x] Russia")


@synced
async def test_the_id_follows_the_name_until_typed() -> None:
    app = _form_app("parties", {"kind": "state", "stated": "plainly"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        name = _widget(form, "name")
        ident = _widget(form, "id")
        assert app.focused is name  # the id comes from it
        await pilot.press(*"Russia")
        assert ident.value == "russia-2"  # russia is taken
        ident.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"rus")
        name.focus()
        await pilot.press("end", "x")
        assert ident.value == "rus"
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [{"id": "rus", "kind": "state", "name": "Russiax", "stated": "plainly"}]


@synced
async def test_hostile_names_are_drawn_as_text() -> None:
    values = {"id": "d", "participants": ["evil"], "framework": "evil", "name": "\x1b]0;t\x07"}
    app = _form_app("drills", values, parties=[*PARTIES, HOSTILE])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        choice = _widget(form, "framework").render()
        assert isinstance(choice, Content)
        assert "[bold]x[/] ␛[31mred" in choice.plain
        listing = _widget(form, "participants")
        assert "[bold]x[/] ␛[31mred" in str(listing.get_option_at_index(0).prompt)
        assert _widget(form, "name").value == "␛]0;t␇"
        screen = app.export_screenshot()
        assert "\x1b" not in screen and "[bold]x[/]" in screen


@synced
async def test_the_form_scrolls_at_80x24() -> None:
    app = _form_app("arms_sales", {"title": "A sale"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        box = form.query_one("#form")
        assert box.region.height <= 24 and box.region.width <= 80
        last = form.query_one(f"#field-{len(form.shown) - 1}")
        last.focus()
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        assert box.region.contains_region(last.region)  # scrolled into view
        assert form.query_one("#keys").region.bottom <= 24


@synced
async def test_the_section_picker() -> None:
    app = FormApp(SectionPicker)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
    assert app.results == [SECTIONS[2].key]
    app = FormApp(SectionPicker)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("end", "enter")
        await pilot.pause()
        app.push_screen(SectionPicker(contribution=False), app.results.append)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == ["contribution", None]


@dataclass(frozen=True)
class FakeProposal:
    kind: str
    paragraph: int
    words: str
    anchor: dict[str, object] = field(default_factory=dict)
    section: str = "parties"
    fields: dict[str, object] = field(default_factory=dict)


PROPOSALS = [
    FakeProposal("state", 1, "Russia", section="parties", fields={"name": "Russia"}),
    FakeProposal("quantity", 12, "over 1,000 troops", section="contribution"),
    FakeProposal("money", 14, "$7.7 billion", section="arms_sales"),
    FakeProposal("person", 4, "Chinese President Xi Jinping", fields={"name": "Xi Jinping"}),
    FakeProposal("date", 9, "from Nov. 7-11", section="events"),
]


class Decider:
    """A fake decide: records each call, refuses what it is told to."""

    def __init__(self, refuse: str = "") -> None:
        self.calls: list[tuple[str, str]] = []
        self.refuse = refuse

    def __call__(self, proposal: FakeProposal, how: str) -> str | None:
        self.calls.append((proposal.words, how))
        if proposal.words == self.refuse:
            return "no arms sale to put it in \x1b[31m[red]"
        return None


def _proposals_app(decide: Decider) -> FormApp:
    return FormApp(lambda: ProposalsScreen(PROPOSALS, decide))


def _listed(screen: Any) -> list[str]:
    return [p.words for p in screen.proposals]


@pytest.mark.parametrize(("key", "how"), [("A", "accept"), ("X", "reject"), ("enter", "edit")])
@synced
async def test_each_decision_key_calls_decide_and_the_cursor_stays(key: str, how: str) -> None:
    decide = Decider()
    app = _proposals_app(decide)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("j", "j")
        await pilot.press(key)
        await pilot.pause()
        assert decide.calls == [("$7.7 billion", how)]
        assert "$7.7 billion" not in _listed(screen)
        assert screen.query_one(OptionList).highlighted == 2
        assert screen.current.words == "Chinese President Xi Jinping"  # type: ignore[attr-defined]
        assert "A adds it to Parties (name: Xi Jinping)" in str(
            screen.query_one("#detail").render()
        )
        await pilot.press("G", key)
        await pilot.pause()
        # The last row decided: the cursor stays on the (new) last row.
        assert _listed(screen) == ["Russia", "over 1,000 troops", "Chinese President Xi Jinping"]
        assert screen.query_one(OptionList).highlighted == 2


@synced
async def test_an_error_from_decide_is_a_notification_and_the_proposal_stays() -> None:
    decide = Decider(refuse="$7.7 billion")
    app = _proposals_app(decide)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("down", "down", "A")
        await pilot.pause()
        assert _listed(screen) == [p.words for p in PROPOSALS]
        (notice,) = app._notifications
        assert notice.severity == "error" and not notice.markup
        assert "\x1b" not in notice.message and "[red]" in notice.message


@synced
async def test_moves_help_restore_and_close() -> None:
    decide = Decider()
    app = _proposals_app(decide)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProposalsScreen)
        listing = screen.query_one(OptionList)
        await pilot.press("G")
        assert listing.highlighted == 4
        await pilot.press("k")
        assert listing.highlighted == 3
        await pilot.press("g")
        assert listing.highlighted == 0
        await pilot.press("j", "down", "up")
        assert listing.highlighted == 1
        await pilot.press("enter")
        assert _listed(screen)[1] == "$7.7 billion"
        screen.restore(PROPOSALS[1])  # the edit's form was cancelled
        assert _listed(screen) == [p.words for p in PROPOSALS] and listing.highlighted == 1
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen.keys == PROPOSAL_KEYS
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        for _ in PROPOSALS:
            await pilot.press("X")
        await pilot.pause()
        assert screen.proposals == [] and not screen.query_one("#empty").has_class("-hidden")
        await pilot.press("A", "enter")  # nothing left to decide: nothing happens
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]
    assert [how for _w, how in decide.calls] == ["edit"] + ["reject"] * len(PROPOSALS)


def test_one_key_table_drives_the_bindings_and_the_footer() -> None:
    bound = {
        (b.key, b.action): b
        for b in ProposalsScreen.BINDINGS
        if not isinstance(b, tuple) and not isinstance(b, str)
    }
    for _group, keys, action, description, footer in PROPOSAL_KEYS:
        if action:
            binding = bound[(keys, action)]
            assert binding.show == bool(footer)
            assert binding.description == (footer or description)


# --- snapshots ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_form_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(_form_app("drills", PREFILLED_DRILL), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_proposals_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(_proposals_app(Decider()), terminal_size=size, press=["j"])


async def _listed_lines(proposal: FakeProposal, count: int) -> list[str]:
    """The first count lines the proposals list draws for proposal alone, 60 columns wide."""
    app = FormApp(lambda: ProposalsScreen([proposal], Decider()))
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        listing = app.screen.query_one(OptionList)
        return [listing.render_line(y).text for y in range(count)]


@synced
async def test_a_long_proposal_wraps_under_its_words() -> None:
    # Markup in the words stays text (a Rich cell given a str would read it as markup).
    words = "Valery Gerasimov, Chief of the General Staff of the Russian [b]Armed[/b] Forces"
    long = FakeProposal("person", 5, words, fields={"name": "Valery Gerasimov"})
    first, *rest = [line for line in await _listed_lines(long, 4) if line.strip()]
    column = first.index("Valery")
    assert first[:column].split() == ["person", "¶5"]
    assert rest and all(line[:column].strip() == "" for line in rest)
    assert "[b]Armed[/b] Forces" in " ".join(line.strip() for line in rest)


@synced
async def test_a_long_paragraph_number_folds_and_is_never_cut() -> None:
    far = FakeProposal("date", 123456, "in 2014", section="events")
    first, second = await _listed_lines(far, 2)
    assert "¶12345" in first and second.split()[0] == "6"


async def _at_once(app: App[Any], *keys: str) -> None:
    """Send keys as a terminal does when they come together (tmux send-keys, a paste, a fast
    typist): all queued before any is handled. Pilot.press waits for idle after each key, so
    it cannot show a key overtaking another."""
    chars = {"space": " ", "enter": "\r", "tab": "\t"}
    driver = app._driver
    assert driver is not None
    for key in keys:
        event = events.Key(key, chars.get(key, key if len(key) == 1 else None))
        event.set_sender(app)
        driver.send_message(event)
    await asyncio.sleep(0)


@synced
async def test_enter_sees_the_keys_typed_before_it() -> None:
    # Keys that come together are applied in order: Enter saves what Space ticked, what was
    # typed and what was chosen just before it (a priority Enter saved before the tick).
    for together in (False, True):  # one at a time (this always worked), then at once
        app = _form_app("drills", {"id": "d", "stated": "plainly"})
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            form = app.screen
            assert isinstance(form, ItemForm)
            listing = _widget(form, "participants")
            listing.focus()
            listing.highlighted = 0
            await pilot.pause()
            if together:
                await _at_once(app, "space", "enter")
            else:
                await pilot.press("space", "enter")
            await pilot.pause()
        assert app.results == [{"id": "d", "participants": ["russia"], "stated": "plainly"}]
    base = {"id": "d", "stated": "plainly", "participants": ["russia"]}
    for name, keys, value in [
        ("location", [*"Minsk"], "Minsk"),
        ("status", ["right"], "planned"),
        ("status", ["h"], "held"),
    ]:
        app = _form_app("drills", base)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            _widget(app.screen, name).focus()  # type: ignore[arg-type]
            await pilot.pause()
            await _at_once(app, *keys, "enter")
            await pilot.pause()
        assert app.results == [{**base, name: value}], name


@synced
async def test_a_typed_letter_jumps_even_when_it_is_h_or_l() -> None:
    # h and l are letters to type, not motions: `h` in the status goes to "held" (it went to
    # the previous choice, "cancelled"), and a repeated letter cycles through its choices.
    app = _form_app("drills", {"id": "d", "stated": "plainly", "participants": ["russia"]})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        status = _widget(form, "status")
        status.focus()
        assert status.value == ""
        await pilot.press("h")
        assert status.value == "held"
        await pilot.press("h")
        assert status.value == "held"  # the only choice with an h
        await pilot.press("p")
        assert status.value == "planned"
        await pilot.press("p")
        assert status.value == "postponed"
        await pilot.press("p")
        assert status.value == "planned"
        await pilot.press("l")
        assert status.value == "planned"  # no choice starts with l: nothing moves
        await pilot.press("right")
        assert status.value == "under_way"
        await pilot.press("left")
        assert status.value == "planned"
        await pilot.press("H", "enter")
        await pilot.pause()
    assert app.results == [
        {"id": "d", "participants": ["russia"], "stated": "plainly", "status": "held"}
    ]


@synced
async def test_keys_sent_together_are_applied_in_the_order_typed() -> None:
    # A field's own keys (Home, Ctrl+A, an arrow) run in their turn among the typed characters,
    # and after Tab the keys go to the next field: Textual ran a field's bindings only when the
    # key had bubbled to the app, after the characters typed later, for the field focused then.
    base = {"id": "d", "stated": "plainly", "participants": ["russia"], "name": "Sarn"}
    for name, keys, changes in [
        ("name", ["home", "X"], {"name": "XSarn"}),
        ("name", ["ctrl+a", "ctrl+k", *"Ny"], {"name": "Ny"}),
        ("name", ["end", "X", "tab", "tab", "M"], {"name": "SarnX", "location": "M"}),
        ("name", ["end", "X", "tab", "enter"], {"name": "SarnX"}),
        ("via", ["down", "space", "tab", "2"], {"via": ["china"], "credibility": 2}),
        ("via", ["space", "shift+tab", "r"], {"via": ["russia"], "attributed_to": "russia"}),
    ]:
        app = _form_app("drills", base)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            widget = _widget(app.screen, name)  # type: ignore[arg-type]
            widget.focus()
            if isinstance(widget, PartiesField):
                widget.highlighted = 0
            await pilot.pause()
            await _at_once(app, *keys, "enter")
            await pilot.pause()
        assert app.results == [{**base, **changes}], keys
