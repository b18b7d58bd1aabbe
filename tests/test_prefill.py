"""prefill and match_parties: what selected words say, filled in as the value checks read
those words, and never more."""

from __future__ import annotations

from typing import Any

import pytest

from tui.loader import Loaded, load_briefing
from tui.prefill import match_parties, prefill, read_date_fields, read_money, read_quantity
from tui.schema import (
    ArmsSale,
    Contribution,
    Date,
    Drill,
    Event,
    Money,
    Party,
    Quantity,
    Statement,
    walk_values,
)
from tui.value_checks import check_values

from .conftest import SEED_BRIEFING


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    return load_briefing(SEED_BRIEFING)


@pytest.fixture(scope="module")
def parties(loaded: Loaded) -> list[Party]:
    return list(loaded.briefing.parties)


def published(loaded: Loaded) -> str:
    date = loaded.briefing.sources[0].published
    assert date is not None and date.value is not None
    return date.value


# --- the words of the brief ------------------------------------------------------------------


def test_over_a_thousand_troops(parties: list[Party]) -> None:
    assert prefill("contribution", "over 1,000 troops", parties) == {
        "equipment": "troops",
        "quantity": {
            "value": 1000,
            "qualifier": "more_than",
            "unit": "troops",
            "reported": "over 1,000 troops",
        },
    }


def test_a_designation_is_no_count(parties: list[Party]) -> None:
    fields = prefill("contribution", "8 Mi-8 AMTSh helicopter gunships", parties)
    assert fields["designation"] == "Mi-8 AMTSh"
    assert fields["equipment"] == "helicopter gunship"
    assert fields["quantity"] == {
        "value": 8,
        "qualifier": "exact",
        "unit": "helicopter gunships",
        "reported": "8 Mi-8 AMTSh helicopter gunships",
    }
    # Named but not counted: the value is not given, and none is made up.
    fields = prefill("contribution", "BM-21 rocket launch systems", parties)
    assert fields["quantity"] == {
        "value": None,
        "qualifier": "unknown",
        "unit": "rocket launch systems",
        "reported": "BM-21 rocket launch systems",
    }


def test_a_sum_in_dollars_is_usd_marked_inferred(parties: list[Party]) -> None:
    fields = prefill("arms_sales", "secured $7.7 billion in arms contracts", parties)
    value = fields["value"]
    assert isinstance(value, dict)
    assert value["value"] == 7_700_000_000 and value["currency"] == "USD"
    assert value["qualifier"] == "exact" and value["reported"] == "$7.7 billion"
    assert value["inferred"] is True and '"$"' in str(value["basis"])
    # A currency named by one code is stated, not inferred.
    assert read_money("about 300 million euros") == {
        "value": 300_000_000,
        "qualifier": "about",
        "currency": "EUR",
        "reported": "about 300 million euros",
    }


def test_a_full_date_is_read_with_its_precision(parties: list[Party]) -> None:
    fields = prefill("drills", "joint drills in Chelyabinsk, Russia, Aug. 7, 2013", parties)
    assert fields["date"] == {"reported": "Aug. 7, 2013", "value": "2013-08-07"}
    assert read_date_fields("in August 2014") == {"reported": "in August 2014", "value": "2014-08"}
    assert read_date_fields("deliveries from 2027 to 2030") == {
        "reported": "from 2027 to 2030",
        "value": "2027",
        "end": "2030",
    }


def test_next_year_only_with_a_basis_or_left_out(parties: list[Party]) -> None:
    assert prefill("events", "joint celebrations next year", parties) == {
        "date": {"reported": "next year"}
    }
    fields = prefill("events", "joint celebrations next year", parties, published="2014-11-05")
    date = fields["date"]
    assert isinstance(date, dict)
    assert date["value"] == "2015" and date["inferred"] is True
    assert "2014-11-05" in str(date["basis"])
    # Words that give no date give only their words.
    assert read_date_fields("recently became", "2014-11-05") == {"reported": "recently"}


def test_words_that_say_nothing_fill_nothing(parties: list[Party]) -> None:
    assert prefill("events", "the two sides discussed", parties) == {}
    assert prefill("contribution", "", parties) == {}
    assert read_quantity("no figures were released") is None
    assert read_money("7.7 billion") is None


# --- parties ---------------------------------------------------------------------------------


def test_parties_are_matched_by_name_alias_and_demonym(parties: list[Party]) -> None:
    assert match_parties("Russian", parties) == ["russia"]
    assert match_parties("Russians and the Chinese", parties) == ["russia", "china"]
    assert match_parties("the People's Republic of China", parties) == ["china"]
    assert match_parties("other SCO-members", parties) == ["sco"]
    assert match_parties("Russian President Vladimir Putin", parties) == ["russia", "putin"]
    # The longer name wins where names overlap.
    assert match_parties("the Russian Defense Ministry's centre", parties) == [
        "russian-defense-ministry"
    ]
    assert match_parties("Russianness", parties) == []
    assert match_parties("russia", parties) == []  # case-sensitive, as quotes are


def test_a_contribution_names_its_party_or_parties(parties: list[Party]) -> None:
    assert prefill("contribution", "Russia had sent over 1,000 troops", parties)["party"] == (
        "russia"
    )
    fields = prefill("contribution", "Russia and China sent 9 ships", parties)
    assert fields["parties"] == ["russia", "china"] and "party" not in fields


def test_a_person_with_a_title(parties: list[Party]) -> None:
    assert prefill("parties", "Russian President Vladimir Putin", parties) == {
        "kind": "person",
        "name": "Vladimir Putin",
        "role": "Russian President",
        "affiliation": "russia",
    }
    fields = prefill(
        "parties",
        "Valery Gerasimov, Chief of the General Staff of the Russian Armed Forces",
        parties,
    )
    assert fields["name"] == "Valery Gerasimov"
    assert fields["role"] == "Chief of the General Staff of the Russian Armed Forces"
    assert prefill("parties", "Defense Minister Sergei Shoigu", []) == {
        "kind": "person",
        "name": "Sergei Shoigu",
        "role": "Defense Minister",
    }


def test_a_state_or_organisation_from_the_list(parties: list[Party]) -> None:
    assert prefill("parties", "Russians", []) == {"kind": "state", "name": "Russia"}
    assert prefill("parties", "U.S.", []) == {"kind": "state", "name": "U.S."}
    assert prefill("parties", "NATO", []) == {"kind": "organisation", "name": "NATO"}
    assert prefill("parties", "the Russian Armed Forces", []) == {
        "name": "Russian Armed Forces",
        "kind": "military",
    }


# --- against the bundled briefing's own evidence ---------------------------------------------


def _set(data: Any, path: tuple[str | int, ...], value: object) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _prefilled(value: Quantity | Money | Date, published_on: str) -> dict[str, Any] | None:
    assert value.reported is not None
    if isinstance(value, Quantity):
        read = read_quantity(value.reported)
        return None if read is None else read["quantity"]
    if isinstance(value, Money):
        return read_money(value.reported)
    return read_date_fields(value.reported, published_on)


def test_every_reported_value_of_the_bundle_prefills_to_what_its_evidence_accepts(
    loaded: Loaded,
) -> None:
    """Each as-reported value of the bundled briefing, filled in again from its words alone:
    the value checks accept it against the item's own evidence, and where the briefing states
    it (not inferred) it is the briefing's own value."""
    briefing = loaded.briefing
    on = published(loaded)
    checked = same = 0
    for loc, item in briefing.items():
        for sub, value in walk_values(item):
            if value.reported is None or not isinstance(value, Quantity | Money | Date):
                continue
            fields = _prefilled(value, on)
            assert fields is not None, (loc, sub, value.reported)
            data = item.model_dump(exclude_unset=True)
            _set(data, sub, fields)
            again = type(item).model_validate(data, context={"version": 2})
            section = list(getattr(briefing, str(loc[0])))
            section[int(loc[1])] = again
            problems = check_values(briefing.model_copy(update={str(loc[0]): section}))
            assert [p for p in problems if p.severity == "error"] == [], (loc, sub, fields)
            checked += 1
            mine = type(value).model_validate(fields)
            if not getattr(value, "inferred", False) and mine.value is not None:
                assert mine == value, (loc, sub)
                same += 1
            if isinstance(value, Date) and value.inferred and mine.value is not None:
                assert getattr(mine, "inferred", False) and mine.basis
    assert checked >= 20 and same >= 6


def test_every_contribution_of_the_bundle_prefills_from_its_words(loaded: Loaded) -> None:
    parties = list(loaded.briefing.parties)
    drill = next(d for d in loaded.briefing.drills if d.contributions)
    for contribution in drill.contributions:
        assert contribution.quantity.reported is not None
        fields = prefill("contribution", contribution.quantity.reported, parties)
        made = Contribution.model_validate({"party": "russia", **fields})
        assert made.quantity == contribution.quantity
        assert made.designation == contribution.designation or (
            contribution.designation == "Sukhoi Su-25" and made.designation == "Sukhoi Su-25"
        )


@pytest.mark.parametrize(
    ("kind", "model"),
    [("drills", Drill), ("events", Event), ("statements", Statement), ("arms_sales", ArmsSale)],
)
def test_prefilled_fields_are_fields_of_the_kind(kind: str, model: type, loaded: Loaded) -> None:
    words = (
        "Meanwhile, Russian President Vladimir Putin said Wednesday Moscow has secured $7.7 "
        "billion in arms contracts with global clients this year"
    )
    fields = prefill(kind, words, list(loaded.briefing.parties), published="2014-11-05")
    assert set(fields) <= set(model.model_fields)
    assert fields


def test_what_is_counted_ends_at_its_plural_noun() -> None:
    read = read_quantity("13 battle tanks took part")
    assert read is not None and read["quantity"]["unit"] == "battle tanks"
    read = read_quantity("about 2,400 personnel joined")
    assert read is not None and read["quantity"]["unit"] == "personnel"
    assert read["quantity"]["qualifier"] == "about"
