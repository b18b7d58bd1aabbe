"""What selected words already say, as the fields of a new item: the reading of numbers, sums
and dates the value checks use (tui/reading.py), and parties matched by name, alias or demonym.

Never invents: a field the words do not give is left out, and every value filled in is checked
here by the value checks themselves (tui/value_checks.py) against the same words, so a
prefilled item never carries a value its evidence would refuse. A value they would refuse is
left out, with its words, for the analyst to give.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from . import countries
from .reading import Published, read_amount, read_currency, read_date
from .schema import CURRENCY_CODES, Date, Money, Party, Quantity, parse_date_value
from .source import flatten

# --- parties ----------------------------------------------------------------------------------

_TITLE_WORDS = (
    r"(?:(?:First\s+)?(?:Deputy|Vice|Acting|Former)\s+)?"
    r"(?:President|Prime\s+Minister|Premier|Chancellor|King|Queen|Emperor|Crown\s+Prince|Emir"
    r"|(?:Defen[cs]e|Foreign|Interior|Finance|Trade|Economy|Energy)\s+(?:Minister|Secretary)"
    r"|Minister(?:\s+of\s+(?:the\s+)?[A-Z][a-z]+(?:\s+Affairs)?)?"
    r"|Secretary[-\s]General|Secretary\s+of\s+State|General\s+Secretary|Secretary"
    r"|Chairman|Chairwoman|Chairperson|Ambassador|Envoy|Spokes(?:man|woman|person)"
    r"|Chief\s+of\s+(?:the\s+)?General\s+Staff|Chief\s+of\s+Staff|Chief|Commander(?:-in-Chief)?"
    r"|(?:Lieutenant\s+|Major\s+|Brigadier\s+)?General|(?:Vice\s+|Rear\s+)?Admiral"
    r"|(?:Lieutenant\s+)?Colonel|Marshal|Director|Senator|Governor|Mayor)"
)
# Capitalised words that end a name: an office, a body, a month, or a word that starts one.
_NOT_NAMES = frozenset(
    """
    Staff Assembly Army Forces Force Ministry Council Committee Agency Summit Organisation
    Organization Union Party Navy Command Department Office House Leaders Cooperation Affairs
    Republic State States Kingdom Federation Government Parliament Congress Senate Court Bank
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December The This That These Those It He She
    They We But And Or If As In On At Of For With By From To After Before Meanwhile However
    President Minister Secretary General Chief Commander Deputy Vice Prime Defense Defence
    """.split()
)
_NAME_WORD = r"(?:[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?|[A-Z]\.)"
_NAME = rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
_OF_BODY = (
    r"(?:\s+of\s+(?:the\s+)?(?:[A-Z][\w'’]*)(?:\s+(?:[A-Z][\w'’]*|of|the|and)){0,8}"
    r"(?:\s+\([A-Z]{2,}\))?)?"
)
# "Russian President Vladimir Putin", "Defense Minister Sergei Shoigu"
_TITLE_START = (
    r"(?!(?:Defen[cs]e|Foreign|Interior|Finance|Trade|Economy|Energy|Prime|Deputy|Vice|First"
    r"|Acting|Former|Crown|Lieutenant|Major|Brigadier|Rear|Secretary|General)\b)"
)
TITLED = re.compile(
    rf"\b(?P<role>(?:(?P<of>{_TITLE_START}[A-Z][a-z]+(?:'s)?)\s+)?{_TITLE_WORDS})\s+{_NAME}"
)
# "Valery Gerasimov, Chief of the General Staff of the Russian Armed Forces"
APPOSED = re.compile(
    rf"\b{_NAME},\s+(?P<role>(?:the\s+)?(?:[A-Z][a-z]+\s+)?{_TITLE_WORDS}{_OF_BODY})"
)


def _person_name(name: str) -> str | None:
    """The name with the words that cannot be part of one cut off its end; None if none left."""
    words = name.split()
    while words and words[-1] in _NOT_NAMES:
        words.pop()
    if not words or words[0] in _NOT_NAMES:
        return None
    return " ".join(words)


def read_person(words: str) -> tuple[str, str] | None:
    """(name, role) of a person named with a title in words, or None."""
    text = flatten(words)
    for pattern in (APPOSED, TITLED):
        match = pattern.search(text)
        if match is None:
            continue
        name = _person_name(match.group("name"))
        if name is None:
            continue
        role = flatten(match.group("role"))
        if pattern is TITLED:
            of = match.group("of")
            if of and of not in _DEMONYM_OK and not countries.lookup(of.removesuffix("'s")):
                role = role[len(of) :].strip()  # "Meanwhile, President": not part of the role
        return name, role.removeprefix("the ")
    return None


_DEMONYM_OK = frozenset({"Former", "Acting"})

_MILITARY = re.compile(r"\b(?:Army|Armed Forces|Navy|Air Force|Marines|Coast Guard|Militia)\b")
_ORGANISATION = re.compile(
    r"\b(?:Ministry|Agency|Organi[sz]ation|Council|Committee|Union|Bank|Office|Department|"
    r"Commission|Service|Corporation|Company|Group|Institute|Party|agency)\b"
)


def _party_fields(words: str, parties: Sequence[Party]) -> dict[str, object]:
    text = flatten(words)
    person = read_person(text)
    if person is not None:
        name, role = person
        fields: dict[str, object] = {"kind": "person", "name": name, "role": role}
        affiliated = [
            pid for pid in match_parties(role, parties) if _kind_of(pid, parties) != "person"
        ]
        if len(affiliated) == 1:
            fields["affiliation"] = affiliated[0]
        return fields
    bare = re.sub(r"^(?:the|The)\s+", "", text).removesuffix("'s").removesuffix("’s")
    entries = countries.lookup(bare)
    if len(entries) == 1:
        entry = entries[0]
        name = bare if bare in entry.names else entry.name
        return {"kind": entry.kind, "name": name}
    fields = {"name": bare}
    if _MILITARY.search(bare):
        fields["kind"] = "military"
    elif _ORGANISATION.search(bare):
        fields["kind"] = "organisation"
    return fields


def _kind_of(party_id: str, parties: Sequence[Party]) -> str | None:
    return next((p.kind for p in parties if p.id == party_id), None)


def _party_names(party: Party) -> list[tuple[str, int]]:
    """What a party may be called in a text, each with its weight: full names over the
    demonyms of a state and the single words of a person's name."""
    found = [(name, 2) for name in (party.name, *party.alias_names)]
    if party.kind == "state":
        entries = [countries.state(party.country)] if party.country else []
        entries += [e for n in (party.name, *party.alias_names) for e in countries.lookup(n)]
        for entry in entries:
            if entry is not None and entry.kind == "state":
                found += [(n, 2) for n in entry.names]
                found += [(d, 1) for d in entry.demonyms]
    elif party.kind == "person":
        words = party.name.split()
        if len(words) > 1:
            found += [(w, 1) for w in words if len(w) >= 2 and w[:1].isupper()]
    return found


def match_parties(words: str, parties: Sequence[Party]) -> list[str]:
    """The ids of the parties words name, by name, alias or demonym ("Russian" -> russia), in
    the order they are named. Case-sensitive, whole words; where two names overlap ("Russian
    Defense Ministry" holds "Russian") the longer one wins."""
    text = flatten(words)
    if not text:
        return []
    spans: list[tuple[int, int, int, str]] = []
    for party in parties:
        for name, weight in _party_names(party):
            name = flatten(name)
            if not name:
                continue
            for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                spans.append((match.start(), match.end(), weight, party.id))
    spans.sort(key=lambda s: (-(s[1] - s[0]), -s[2], s[0]))
    taken: list[tuple[int, int, str]] = []
    for start, end, _weight, pid in spans:
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, pid))
    taken.sort()
    return list(dict.fromkeys(pid for _, _, pid in taken))


# --- quantities and sums ----------------------------------------------------------------------

_STOP = frozenset(
    """
    and or for in with to of from at on by that which who were was had have has is are be been
    as than but into onto over under during after before this these those its their his her
    """.split()
)
_TOKEN = re.compile(r"\S+")
_COUNTED_AS_IS = frozenset({"troops", "personnel", "forces", "arms", "people", "police"})


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _after_number(text: str, end: int) -> tuple[str | None, str | None, int]:
    """The designation and unit that follow a count ending at end ("8 Mi-8 AMTSh helicopter
    gunships"), and where the unit ends."""
    # The words right after the count, not the rest of a paragraph that may be megabytes.
    window = _TOKEN.finditer(text, end, min(len(text), end + 400))
    tokens = [(m.group(), m.start(), m.end()) for m in window]
    designation: list[tuple[str, int, int]] = []
    k = 0
    while k < len(tokens) and (
        tokens[k][0][:1].isupper() or any(c.isdigit() for c in tokens[k][0])
    ):
        if tokens[k][0][-1:] in ",.;:":
            break
        designation.append(tokens[k])
        k += 1
    if not any(any(c.isdigit() for c in t[0]) for t in designation):
        designation, k = [], 0
        while k < len(tokens) and tokens[k][0][:1].isupper() and tokens[k][0][-1:] not in ",.;:":
            k += 1  # "1,000 Russian troops": capitalised words before the unit are its own
    unit: list[tuple[str, int, int]] = []
    while k < len(tokens):
        word, start, _stop = tokens[k]
        bare = word.rstrip(",.;:!?)\"'”")
        if not bare or not re.fullmatch(r"[a-z][a-z-]*", bare) or bare in _STOP:
            break
        unit.append((bare, start, start + len(bare)))
        if bare != word or (bare.endswith("s") and not bare.endswith("ss")):
            break  # a plural noun ends what is counted ("13 battle tanks took part")
        k += 1
    if unit and not (unit[-1][0].endswith("s") and not unit[-1][0].endswith("ss")):
        unit = unit[:1]  # no plural: the first word alone ("1,000 personnel", "one tank")
    named = " ".join(t[0] for t in designation) or None
    if not unit:
        return named, None, designation[-1][2] if designation else end
    return named, " ".join(t[0] for t in unit), unit[-1][2]


def _singular(unit: str) -> str:
    words = unit.split()
    last = words[-1]
    if last in _COUNTED_AS_IS or not last.endswith("s") or last.endswith("ss"):
        return unit
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith(("ches", "shes", "xes", "sses")):
        last = last[:-2]
    else:
        last = last[:-1]
    return " ".join([*words[:-1], last])


def read_quantity(words: str) -> dict[str, Any] | None:
    """A quantity's fields from the first count in words, with its designation and equipment
    when they follow it; None when words state no count and name nothing counted."""
    text = flatten(words)
    amount = read_amount(text)
    if amount is None:
        # "BM-21 rocket launch systems": something counted, its number not given.
        designation, unit, stop = _after_number(text, 0)
        if unit is None or designation is None:
            return None
        quantity: dict[str, Any] = {
            "value": None,
            "qualifier": "unknown",
            "unit": unit,
            "reported": text[:stop],
        }
        return {"equipment": _singular(unit), "designation": designation, "quantity": quantity}
    begin = text.find(amount.words)
    designation, unit, stop = _after_number(text, begin + len(amount.words))
    value = amount.value
    qualifier = amount.qualifier
    if qualifier == "nearly":
        qualifier = "about"
    elif qualifier in ("range", "vague"):
        qualifier = "at_least"  # the low end is what the words say for certain
    quantity = {"value": _number(value), "qualifier": qualifier}
    if unit is not None:
        quantity["unit"] = unit
    quantity["reported"] = text[begin:stop]
    result: dict[str, Any] = {}
    if unit is not None:
        result["equipment"] = _singular(unit)
    if designation is not None:
        result["designation"] = designation
    result["quantity"] = quantity
    return result


# Where a sign or name stands for several currencies, the one it usually means; the value is
# then marked inferred with that basis (as the format asks of a bare "$").
_USUAL = {"$": "USD", "£": "GBP", "dollars": "USD", "dollar": "USD", "pounds": "GBP"}


def read_money(words: str) -> dict[str, Any] | None:
    """A sum's fields from words: value, currency and qualifier as the value checks read
    them; None when the words name no currency."""
    text = flatten(words)
    currency = read_currency(text, CURRENCY_CODES)
    if currency is None:
        return None
    amount = read_amount(text)
    start = text.find(currency.words)
    if amount is None:
        return None
    begin = min(start, text.find(amount.words))
    end = max(start + len(currency.words), text.find(amount.words) + len(amount.words))
    reported = text[begin:end]
    # "$7.7 billion in arms": the currency name may follow ("7.7 billion dollars").
    qualifier = {"nearly": "about", "range": "at_least", "vague": "at_least"}.get(
        amount.qualifier, amount.qualifier
    )
    money: dict[str, Any] = {"value": _number(amount.value), "qualifier": qualifier}
    if len(currency.codes) == 1:
        money["currency"] = next(iter(currency.codes))
    else:
        usual = _USUAL.get(currency.words.lower())
        if usual is None:
            return {"reported": reported}
        money["currency"] = usual
        money["inferred"] = True
        money["basis"] = f'The currency is given only as "{currency.words}"; read as {usual}.'
    money["reported"] = reported
    return money


# --- dates ------------------------------------------------------------------------------------

_PREPOSITION = re.compile(r"(?:\b(?:on|in|from|since|until|by|during|of|at)\s+)$", re.IGNORECASE)


def _published(value: str | None) -> Published | None:
    if value is None:
        return None
    first, precision = parse_date_value(value)
    return Published(first, precision)


def _date_value(first: Any, last: Any, precision: str) -> dict[str, str]:
    form = {"day": 10, "week": 10, "month": 7, "quarter": 7, "year": 4}.get(precision, 10)
    value = first.isoformat()[:form]
    end = last.isoformat()[:form]
    return {"value": value} if end == value else {"value": value, "end": end}


def read_date_fields(words: str, published: str | None = None) -> dict[str, Any] | None:
    """A date's fields from words: reported always; a value when the words give one day,
    month or year (relative words only against a publication date, marked inferred with the
    basis); None when the words hold no date."""
    text = flatten(words)
    base = _published(published)
    reading = read_date(text, base)
    if reading is None or not reading.words:
        return None
    at = text.find(reading.words)
    before = _PREPOSITION.search(text[:at]) if at > 0 else None
    reported = text[before.start() : at + len(reading.words)] if before else reading.words
    fields: dict[str, Any] = {"reported": reported}
    if reading.vague or len(reading.alternatives) != 1:
        return fields
    first, last = reading.alternatives[0]
    fields.update(_date_value(first, last, reading.precision))
    if reading.relative:
        fields["inferred"] = True
        fields["basis"] = f'"{reported}" resolved against the publication date ({published}).'
    return fields


# --- checked against the value checks ---------------------------------------------------------


def _passes(model: type[Quantity | Money | Date], fields: dict[str, Any], **context: Any) -> bool:
    """Whether the value is valid and the value checks accept it against its own words."""
    from . import value_checks

    try:
        value = model.model_validate(fields)
    except ValueError:
        return False
    if isinstance(value, Quantity):
        designation = context.get("designation")
        return not value_checks._check_amount(value, (), designation)
    if isinstance(value, Money):
        return not value_checks._check_money(value, ())
    return not value_checks._check_date(value, (), _published(context.get("published")))


def _checked_quantity(read: dict[str, Any] | None) -> dict[str, Any]:
    if read is None:
        return {}
    quantity = read["quantity"]
    if not _passes(Quantity, quantity, designation=read.get("designation")):
        read = {k: v for k, v in read.items() if k != "quantity"}
        read["quantity"] = {"reported": quantity["reported"]}
    return read


def _checked_money(money: dict[str, Any] | None) -> dict[str, Any] | None:
    if money is None or "value" not in money:
        return money
    return money if _passes(Money, money) else {"reported": money["reported"]}


def _checked_date(date: dict[str, Any] | None, published: str | None) -> dict[str, Any] | None:
    if date is None or "value" not in date:
        return date
    return date if _passes(Date, date, published=published) else {"reported": date["reported"]}


# --- by kind ----------------------------------------------------------------------------------

_DATED = {"agreements": "date", "drills": "date", "events": "date", "statements": "date"}
_QUOTED = re.compile(r"[\"“](?P<text>[^\"”]{3,})[\"”]")


def prefill(
    kind: str, words: str, parties: Sequence[Party], *, published: str | None = None
) -> dict[str, object]:
    """The fields of a new item of kind (a section key, "contribution" or "delivery") that
    the words give. published (YYYY, YYYY-MM or YYYY-MM-DD), when known, resolves relative
    dates ("next year"), which are then marked inferred with their basis."""
    text = flatten(words)
    fields: dict[str, object] = {}
    if not text:
        return fields
    named = match_parties(text, parties)
    if kind in ("parties", "places"):
        if kind == "places":
            return {"name": re.sub(r"^(?:the|The)\s+", "", text)}
        return _party_fields(text, parties)
    if kind in ("contribution", "delivery"):
        if kind == "contribution":
            if len(named) == 1:
                fields["party"] = named[0]
            elif len(named) > 1:
                fields["parties"] = named
        else:
            date = _checked_date(read_date_fields(text, published), published)
            if date is not None:
                fields["date"] = date
        fields.update(_checked_quantity(read_quantity(text)))
        if kind == "delivery":
            fields["quotes"] = [text]
        return fields
    if kind in ("agreements", "drills", "events") and named:
        fields["parties" if kind == "agreements" else "participants"] = named
    if kind == "statements":
        speakers = [p for p in named if _kind_of(p, parties) == "person"]
        if len(speakers) == 1:
            fields["speaker"] = speakers[0]
        quoted = _QUOTED.search(text)
        if quoted is not None:
            fields["text"] = quoted.group("text").strip().rstrip(",")
            fields["mode"] = "direct"
    if kind == "relationships" and len(named) == 2:
        fields["party"], fields["other"] = named
    if kind == "arms_sales":
        money = _checked_money(read_money(text))
        if money is not None:
            fields["value"] = money
    date = _checked_date(read_date_fields(text, published), published)
    if date is not None:
        where = _DATED.get(kind, "ordered" if kind == "arms_sales" else None)
        if where is not None:
            fields[where] = date
    return fields
