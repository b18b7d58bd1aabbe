"""Plain-language text for briefing items: "over 1,000 troops", "US$7.7 billion", "Aug 2014".

Returns plain strings (raw from the briefing); the widgets clean them where they are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .links import Dated, Links
from .schema import (
    CREDIBILITY,
    PRECISION_WORDS,
    RELATIONSHIP_WORDS,
    Agreement,
    ArmsSale,
    Attribution,
    Claim,
    Coordinates,
    Date,
    Delivery,
    Drill,
    Duration,
    Event,
    Item,
    Money,
    Party,
    Place,
    PlaceName,
    PlaceRef,
    Quantity,
    Relationship,
    Statement,
    attributions,
    claims_by_field,
    conflicts,
    parse_date_value,
    place_ids,
)
from .sections import SINGULAR

if TYPE_CHECKING:
    from .loader import Evidence

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
QUALIFIER_WORDS = {
    "exact": "",
    "more_than": "over ",
    "at_least": "at least ",
    "about": "about ",
    "at_most": "at most ",
    "less_than": "under ",
}
CURRENCY_SIGNS = {"USD": "US$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥", "RUB": "₽"}


def quoted(words: str) -> str:
    """Source words between typographic quotes: the words themselves often hold straight
    ones ("\"Many cooperation projects…,\" said"), which a straight pair would double."""
    return f"“{words}”"


def _note(text: str) -> str:
    """A basis or note as one clause of a parenthesis: its closing full stop dropped, so
    clauses join as '…2014); as reported: …', not '…2014).; as reported: …'."""
    return text.rstrip().removesuffix(".")


@dataclass(frozen=True, slots=True)
class DetailRow:
    """One line of an item's detail: a label, its text, and where Enter leads."""

    label: str
    text: str
    target: str | None = None
    """Item id that Enter follows."""
    evidence: int | None = None
    """Index of the item's evidence that Enter shows."""
    quote: bool = False
    """A row of the item's quotes (the Evidence list): exports cite them as footnotes."""


def plain(word: str) -> str:
    """A schema word as prose: under_discussion -> under discussion."""
    return word.replace("_", " ")


def format_number(value: float) -> str:
    """1000 -> 1,000; 7700000000 -> 7.7 billion."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            scaled = value / size
            text = f"{scaled:.2f}".rstrip("0").rstrip(".")
            return f"{text} {word}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _one_date(value: str) -> tuple[str, str, str]:
    """(day, month, year) words of a date value; missing parts empty."""
    first, precision = parse_date_value(value)
    day = str(first.day) if precision == "day" else ""
    month = MONTHS[first.month - 1] if precision != "year" else ""
    return day, month, str(first.year)


def format_date_value(date: Date) -> str:
    """The date alone at its own precision: "2014", "Aug 2014", "7–11 Nov 2014"."""
    if date.value is None:
        return "date unknown"
    day, month, year = _one_date(date.value)
    start = " ".join(p for p in (day, month, year) if p)
    if date.end is None:
        return start
    end_day, end_month, end_year = _one_date(date.end)
    if end_year == year and end_month == month and day and end_day:
        return f"{day}–{end_day} {month} {year}"
    if end_year == year:
        return f"{' '.join(p for p in (day, month) if p)} – {' '.join(p for p in (end_day, end_month) if p)} {year}"
    return f"{start} – {' '.join(p for p in (end_day, end_month, end_year) if p)}"


def format_date(date: Date, basis: bool = True) -> str:
    """A date with how it was got: 'Aug 2014 (inferred: …; as reported: "in August")'.

    Without basis, 'Aug 2014 (inferred; as reported: "in August")': the detail pane gives the
    basis a row of its own, after the facts, so that a long one does not push them off screen.
    """
    text = format_date_value(date)
    notes = []
    if date.inferred:
        notes.append(f"inferred: {_note(date.basis or '')}" if basis else "inferred")
    if date.reported:
        notes.append(f"as reported: {quoted(date.reported)}")
    return f"{text} ({'; '.join(notes)})" if notes else text


def format_quantity(quantity: Quantity, with_reported: bool = True) -> str:
    """'over 1,000 troops'; 'unknown number of BM-21 rocket launch systems'."""
    unit = quantity.unit or ""
    if quantity.value is None:
        text = f"unknown number of {unit}".strip()
    else:
        text = (
            f"{QUALIFIER_WORDS[quantity.qualifier]}{format_number(quantity.value)} {unit}".strip()
        )
    if with_reported and quantity.reported and quantity.reported != text:
        text += f" (as reported: {quoted(quantity.reported)})"
    return text


def format_money(money: Money, basis: bool = True) -> str:
    """'US$7.7 billion (as reported: "$7.7 billion"; currency inferred: …)'; without basis,
    '…; inferred)' (the basis has a row of its own, as for dates)."""
    if money.value is None:
        text = "amount unknown"
    else:
        sign = CURRENCY_SIGNS.get(
            money.currency or "", f"{money.currency} " if money.currency else ""
        )
        text = f"{QUALIFIER_WORDS[money.qualifier]}{sign}{format_number(money.value)}"
    notes = []
    if money.reported:
        notes.append(f"as reported: {quoted(money.reported)}")
    if money.inferred:
        notes.append(f"inferred: {_note(money.basis or '')}" if basis else "inferred")
    return f"{text} ({'; '.join(notes)})" if notes else text


def _what_else(quantity: Quantity, equipment: str, designation: str | None) -> str:
    """What a force line adds to its count: the equipment unless the count's unit already
    names it ("over 1,000 troops", not "over 1,000 troops — troops"), and the designation."""
    unit = (quantity.unit or "").casefold()
    shown = "" if equipment.casefold() in unit else equipment
    if designation and designation not in (quantity.reported or ""):
        return f"{shown} ({designation})" if shown else designation
    return shown


def format_duration(duration: Duration) -> str:
    """'5 years (as reported: “five-year”)'; the words alone when they give no number."""
    if duration.value is None or duration.unit is None:
        return quoted(duration.reported)
    unit = duration.unit if duration.value == 1 else f"{duration.unit}s"
    return f"{format_number(duration.value)} {unit} (as reported: {quoted(duration.reported)})"


def format_coordinates(coordinates: Coordinates) -> str:
    """'55.16° N, 61.4° E (somewhere in the city)'; a radius as 'within 5 km'."""
    lat, lon = coordinates.latitude, coordinates.longitude
    text = (
        f"{format_number(abs(lat))}° {'N' if lat >= 0 else 'S'}, "
        f"{format_number(abs(lon))}° {'E' if lon >= 0 else 'W'}"
    )
    precision = coordinates.precision
    if isinstance(precision, str):
        return f"{text} ({PRECISION_WORDS[precision]})"
    return f"{text} (within {format_number(precision)} km)"


def format_place_name(name: str | PlaceName) -> str:
    """An alias with its language tag: 'Челябинск (ru)'."""
    if isinstance(name, str):
        return name
    return f"{name.name} ({name.language})" if name.language else name.name


def format_span(start: Date | None, stop: Date | None) -> str:
    """When a relationship holds: 'since 2001', 'until 2014', '2001 – 2014', or ''."""

    def one(date: Date) -> str:
        return format_date_value(date) if date.value is not None else quoted(date.reported or "")

    if start is not None and stop is not None:
        return f"{one(start)} – {one(stop)}"
    if start is not None:
        return f"since {one(start)}"
    if stop is not None:
        return f"until {one(stop)}"
    return ""


def _place_rows(value: PlaceRef | None, links: Links) -> list[DetailRow]:
    return [
        DetailRow("Place" if n == 0 else "", links.name(i), target=i)
        for n, i in enumerate(place_ids(value))
    ]


def kind_of(links: Links, item_id: str) -> str:
    return SINGULAR.get(links.section_of.get(item_id, ""), "Item")


def _party_rows(label: str, ids: list[str], links: Links) -> list[DetailRow]:
    return [DetailRow(label if n == 0 else "", links.name(i), target=i) for n, i in enumerate(ids)]


Describer = Callable[[Any, Links], list[DetailRow]]
DESCRIBERS: dict[type[Item], Describer] = {}
"""Each section's model to the rows of its own fields (the common ones are added after)."""


def describes(model: type[Item]) -> Callable[[Describer], Describer]:
    """Register a function as the description of a section's items."""

    def register(function: Describer) -> Describer:
        DESCRIBERS[model] = function
        return function

    return register


@describes(Party)
def _party(item: Party, links: Links) -> list[DetailRow]:
    rows = [DetailRow("Name", item.name), DetailRow("Kind", plain(item.kind))]
    add = rows.append
    if item.aliases:
        names = [a if isinstance(a, str) else f"{a.name} ({a.lang})" for a in item.aliases]
        add(DetailRow("Also", ", ".join(names)))
    if item.role:
        add(DetailRow("Role", item.role))
    if item.country:
        add(DetailRow("Country", item.country))
    if item.affiliation:
        add(DetailRow("Part of", links.name(item.affiliation), target=item.affiliation))
    if item.wikidata:
        add(DetailRow("Wikidata", item.wikidata))
    members = links.members(item.id)
    rows.extend(_party_rows("Members", members, links))
    return rows


def _relation_rows(item: Party, links: Links) -> list[DetailRow]:
    """A party's relationships, a label per kind ("Member of: SCO (since 2001)"), grouped in
    the order each kind first appears; Enter opens the relationship, whose quote is the
    evidence for it."""
    rows: list[DetailRow] = []
    grouped: dict[str, list[tuple[str, str, str]]] = {}
    for relation in links.relations.get(item.id, []):
        grouped.setdefault(relation[0], []).append(relation)
    shown = ""
    for words, other, relationship_id in (r for group in grouped.values() for r in group):
        relationship = links.items.get(relationship_id)
        span = (
            format_span(relationship.start, relationship.stop)
            if isinstance(relationship, Relationship)
            else ""
        )
        text = links.name(other) + (f" ({span})" if span else "")
        rows.append(DetailRow(words if words != shown else "", text, target=relationship_id))
        shown = words
    return rows


@describes(Agreement)
def _agreement(item: Agreement, links: Links) -> list[DetailRow]:
    rows = [DetailRow("Title", item.title), DetailRow("Status", plain(item.status))]
    if item.date:
        rows.append(DetailRow("Date", format_date(item.date, basis=False)))
    rows.extend(_party_rows("Parties", item.parties, links))
    rows.extend(_place_rows(item.place, links))
    if item.duration:
        rows.append(DetailRow("Duration", format_duration(item.duration)))
    rows.append(DetailRow("Terms", _terms(item, links)))
    rows.extend(_modality(item))
    return rows


def _terms(item: Agreement, links: Links) -> str:
    """An agreement's terms. terms left out defaults to "undisclosed", which says the source
    withheld them; format 2 says that with withheld:, so there a silent source reads as
    silent ("a five-year agreement … signed in Korval" discloses nothing and withholds
    nothing). Version 1 files read as they always did."""
    silent = (
        "terms" not in item.model_fields_set
        and links.loaded.briefing.schema_version == 2
        and not any(w.field == "terms" for w in item.withheld)
    )
    return "not stated in the source" if silent else item.terms


def contributors(ids: list[str] | tuple[str, ...], links: Links) -> str:
    """Whom a force line is given for: a party, several together ("Russia and China
    together"), or none the source names."""
    names = [links.name(p) for p in ids]
    if not names:
        return "unnamed party"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" and {names[-1]} together"


def _total_text(quantity: Quantity, equipment: str, designation: str | None) -> str:
    amount = format_quantity(quantity)
    what = _what_else(quantity, equipment, designation)
    return amount + (f" — {what}" if what else "")


@describes(Drill)
def _drill(item: Drill, links: Links) -> list[DetailRow]:
    rows = [DetailRow("Name", item.name or "not named in the source")]
    add = rows.append
    if item.status:
        add(DetailRow("Status", plain(item.status)))
    if item.framework:
        add(DetailRow("Framework", links.name(item.framework), target=item.framework))
    rows.extend(_place_rows(item.place, links))
    if item.location or not item.place:
        add(DetailRow("Location", item.location or "not stated"))
    if item.date:
        add(DetailRow("Date", format_date(item.date, basis=False)))
    rows.extend(_party_rows("Participants", item.participants, links))
    for n, t in enumerate(item.totals):
        add(
            DetailRow(
                "In all" if n == 0 else "", _total_text(t.quantity, t.equipment, t.designation)
            )
        )
    for n, c in enumerate(item.contributions):
        amount = format_quantity(c.quantity)
        what = _what_else(c.quantity, c.equipment, c.designation)
        add(
            DetailRow(
                "Forces" if n == 0 else "",
                f"{contributors(c.contributors, links)}: {amount}" + (f" — {what}" if what else ""),
                target=c.contributors[0] if c.contributors else None,
            )
        )
    return rows


@describes(ArmsSale)
def _arms_sale(item: ArmsSale, links: Links) -> list[DetailRow]:
    rows = [DetailRow("Title", item.title)]
    add = rows.append
    add(DetailRow("Supplier", links.name(item.supplier), target=item.supplier))
    if item.recipient:
        add(DetailRow("Recipient", links.name(item.recipient), target=item.recipient))
    else:
        reported = (
            f" (as reported: {quoted(item.recipient_reported)})" if item.recipient_reported else ""
        )
        add(DetailRow("Recipient", "unspecified" + reported))
    for n, line in enumerate(item.items):
        if line.quantity is None:
            what = line.equipment + (f" ({line.designation})" if line.designation else "")
        else:
            rest = _what_else(line.quantity, line.equipment, line.designation)
            what = format_quantity(line.quantity) + (f" — {rest}" if rest else "")
        add(DetailRow("Items" if n == 0 else "", what))
    if item.value:
        add(DetailRow("Value", format_money(item.value, basis=False)))
    if item.period:
        add(DetailRow("Period", format_date(item.period, basis=False)))
    rows.extend(_place_rows(item.place, links))
    add(DetailRow("Status", plain(item.status)))
    if item.uncertain:
        add(DetailRow("Uncertain", "yes: the source leaves the sale in doubt"))
    if item.ordered:
        add(DetailRow("Ordered", format_date(item.ordered, basis=False)))
    if item.first_report:
        add(DetailRow("Reported", format_date(item.first_report, basis=False)))
    if item.confirmed:
        add(DetailRow("Confirmed", format_date(item.confirmed, basis=False)))
    for n, delivery in enumerate(item.deliveries):
        # No evidence index on the row: rows with one are the evidence rows themselves (the
        # exports leave them out, the detail sets them in italics).
        add(DetailRow("Deliveries" if n == 0 else "", delivery_text(delivery)))
    if item.comments:
        add(DetailRow("Comments", item.comments))
    return rows


def brief_date(date: Date) -> str:
    """A date without its words, which the source pane shows: 'Feb 2026 (inferred)'; the
    words themselves when they are all there is."""
    if date.value is None:
        return quoted(date.reported or "")
    return format_date_value(date) + (" (inferred)" if date.inferred else "")


def delivery_text(delivery: Delivery, with_reported: bool = True) -> str:
    """'planned, 2027 – 2030 (as reported: “from 2027 to 2030”): 4 frigates (Type 054A)'."""
    when = "date not stated"
    if delivery.date is not None:
        when = (
            format_date(delivery.date, basis=False) if with_reported else brief_date(delivery.date)
        )
    text = f"{plain(delivery.status)}, {when}"
    if delivery.quantity is not None:
        rest = _what_else(delivery.quantity, delivery.equipment or "", delivery.designation)
        amount = format_quantity(delivery.quantity, with_reported=with_reported)
        text += f": {amount}" + (f" — {rest}" if rest else "")
    elif delivery.equipment or delivery.designation:
        named = [
            delivery.equipment or "",
            f"({delivery.designation})" if delivery.designation else "",
        ]
        text += ": " + " ".join(p for p in named if p)
    if delivery.uncertain:
        text += " (uncertain)"
    return text


def timeline_label(row: Dated, item: Item, singular: str, links: Links | None = None) -> str:
    """A timeline row's words after its date: "Arms sale: …" for an item at its own date,
    "Order: …", "Delivery: … (4 frigates)" for the parts of a sale of format 2, "Claim: …
    (date, by Teo Varga)" for a date a claim gives (parties by name when links are given)."""
    # Links name an untitled relationship's parties ("Kestria member of Selm Sea Council");
    # its label names them by id.
    label = links.name(item.id) if links is not None else item.label
    if not row.what:
        return f"{singular}: {label}"
    text = f"{row.what.capitalize()}: {label}"
    if row.what == "claim":
        claim = item.claims[int(row.part.rsplit("-", 1)[1]) - 1]
        who = ", ".join(
            (links.name(a.party) if links else a.party) if a.party else (a.anonymous or "")
            for a in attributions(claim.attributed_to)
        )
        return f"Claim: {label} ({plain(claim.field)}" + (f", by {who})" if who else ")")
    if row.what == "delivery" and isinstance(item, ArmsSale):
        delivery = item.deliveries[int(row.part.rsplit("-", 1)[1]) - 1]
        if delivery.quantity is not None:
            text += f" ({format_quantity(delivery.quantity, with_reported=False)})"
    return text


@describes(Event)
def _event(item: Event, links: Links) -> list[DetailRow]:
    rows = [
        DetailRow("Title", item.title),
        DetailRow("Kind", plain(item.kind)),
        DetailRow("Status", plain(item.status)),
    ]
    if item.date:
        rows.append(DetailRow("Date", format_date(item.date, basis=False)))
    rows.extend(_place_rows(item.place, links))
    if item.location:
        rows.append(DetailRow("Location", item.location))
    rows.extend(_party_rows("Participants", item.participants, links))
    rows.extend(_modality(item))
    if item.part_of:
        rows.append(DetailRow("Part of", links.name(item.part_of), target=item.part_of))
    return rows


def parts(links: Links, event_id: str) -> list[str]:
    """The events that are part of this event or drill (their part_of names it)."""
    return [ref for role, ref in links.referenced_by.get(event_id, []) if role == "part"]


def _modality(item: Agreement | Event | Statement) -> list[DetailRow]:
    if item.modality is None:
        return []
    said = f" (as reported: {quoted(item.modality_reported)})" if item.modality_reported else ""
    return [DetailRow("Modality", plain(item.modality) + said)]


@describes(Statement)
def _statement(item: Statement, links: Links) -> list[DetailRow]:
    rows = [
        DetailRow("Speaker", links.name(item.speaker), target=item.speaker),
        DetailRow("Mode", "direct quote" if item.mode == "direct" else "paraphrase"),
        DetailRow("Says", quoted(item.text) if item.mode == "direct" else item.text),
    ]
    if item.lang:
        rows.append(DetailRow("Language", item.lang))
    if item.original:
        basis = f" ({_note(item.original.basis)})" if item.original.basis else ""
        rows.append(
            DetailRow(f"Original ({item.original.lang})", quoted(item.original.text) + basis)
        )
    for translation in item.translations:
        basis = f" ({_note(translation.basis)})" if translation.basis else ""
        rows.append(DetailRow(f"Translation ({translation.lang})", translation.text + basis))
    rows.extend(_modality(item))
    if item.date:
        rows.append(DetailRow("Date", format_date(item.date, basis=False)))
    for n, ref in enumerate(item.about):
        rows.append(
            DetailRow(
                "About" if n == 0 else "", f"{kind_of(links, ref)}: {links.name(ref)}", target=ref
            )
        )
    return rows


@describes(Place)
def _place(item: Place, links: Links) -> list[DetailRow]:
    name = item.name + (f" ({item.language})" if item.language else "")
    rows = [DetailRow("Name", name)]
    add = rows.append
    for n, alias in enumerate(item.aliases):
        add(DetailRow("Also" if n == 0 else "", format_place_name(alias)))
    if item.kind:
        add(DetailRow("Kind", plain(item.kind)))
    if item.country:
        add(DetailRow("Country", item.country))
    if item.region:
        add(DetailRow("Region", item.region.replace("-", " ")))
    if item.coordinates:
        add(DetailRow("Coordinates", format_coordinates(item.coordinates)))
    return rows


@describes(Relationship)
def _relationship(item: Relationship, links: Links) -> list[DetailRow]:
    words = RELATIONSHIP_WORDS[item.kind]
    rows = [
        DetailRow("Party", links.name(item.party), target=item.party),
        DetailRow("Relation", plain(item.kind) + (" (both ways)" if words.symmetric else "")),
        DetailRow("Other", links.name(item.other), target=item.other),
    ]
    if item.start:
        rows.append(DetailRow("Since", format_date(item.start, basis=False)))
    if item.stop:
        rows.append(DetailRow("Until", format_date(item.stop, basis=False)))
    return rows


def _fields(item: Item, links: Links) -> list[DetailRow]:
    """A section with no description of its own still shows every field it has, plainly:
    its references as links, dates, counts and sums in words, anything else as text. (The
    registry test fails on such a section, so this is a net, not a way to add one.)"""
    targets: dict[tuple[str, str | int | None], str] = {}
    for sub, ref, _wanted in item.references():
        if len(sub) <= 2:
            targets[(str(sub[0]), sub[1] if len(sub) == 2 else None)] = ref
    rows: list[DetailRow] = []
    for name in type(item).model_fields:
        if name in Item.model_fields:
            continue
        value = getattr(item, name)
        values = value if isinstance(value, list) else [value]
        label = plain(name).capitalize()
        for n, each in enumerate(v for v in values if v is not None):
            target = targets.get((name, n if isinstance(value, list) else None))
            if target is not None:
                text = links.name(target)
            elif isinstance(each, Date):
                text = format_date(each, basis=False)
            elif isinstance(each, Quantity):
                text = format_quantity(each)
            elif isinstance(each, Money):
                text = format_money(each, basis=False)
            elif isinstance(each, str):
                text = plain(each) if each.isidentifier() and each.islower() else each
            else:
                text = str(each)
            rows.append(DetailRow(label if n == 0 else "", text, target=target))
    return rows


def _bases(item: Item) -> list[DetailRow]:
    """How each inferred date or sum of the item was worked out, a row each: said after the
    facts rather than inside them ("Aug 2014 (inferred)"), as a basis runs to a few lines. A
    sale's deliveries are named by their number ("delivery 2")."""
    rows: list[DetailRow] = []
    for name in type(item).model_fields:
        if name in Item.model_fields:
            continue
        value = getattr(item, name)
        for n, each in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(each, Delivery):
                named, each = f"delivery {n + 1}", each.date
            else:
                named = plain(name)
            if isinstance(each, Date | Money) and each.inferred and each.basis:
                rows.append(DetailRow("Inferred", f"{named}: {each.basis}"))
    return rows


def _quantity_brief(quantity: Quantity, equipment: str, designation: str | None) -> str:
    """'8 helicopter gunships (Mi-8 AMTSh)': the count in words of the analyst, the source's
    own words being the quote marked in the source beside it."""
    amount = format_quantity(quantity, with_reported=False)
    unit = (quantity.unit or "").casefold()
    if equipment.casefold() not in unit:
        amount += f" {equipment}"
    return f"{amount} ({designation})" if designation else amount


def _compact(item: Item, links: Links, rows: list[DetailRow]) -> list[DetailRow]:
    """The detail pane's rows: a drill's totals on one row, its forces a row per party (or
    per group of parties given one figure together), its status before its date, and no name
    or location row that only says the source gives none (its title, "Unnamed drill (…)",
    says so for the name)."""
    if isinstance(item, ArmsSale):
        return _compact_sale(item, rows)
    if not isinstance(item, Drill):
        return rows
    rows = [row for row in rows if not (row.label == "Name" and not item.name)]
    # Rows that only say nothing is known give way, and the status joins the date ("held
    # Aug 2014"): at 80x24 the forces, the facts that take room, must stay in sight.
    rows = [row for row in rows if not (row.label == "Location" and not item.location)]
    if item.status and item.date:
        rows = [
            DetailRow("Date", f"{plain(item.status)} {row.text}") if row.label == "Date" else row
            for row in rows
            if row.label != "Status"
        ]
    totals = (
        [
            DetailRow(
                "In all",
                "; ".join(
                    _quantity_brief(t.quantity, t.equipment, t.designation) for t in item.totals
                ),
            )
        ]
        if item.totals
        else []
    )
    by_party: dict[tuple[str, ...], list[str]] = {}
    for c in item.contributions:
        by_party.setdefault(tuple(c.contributors), []).append(
            _quantity_brief(c.quantity, c.equipment, c.designation)
        )
    forces = [
        DetailRow(
            "Forces" if n == 0 else "",
            f"{contributors(party, links)}: {'; '.join(what)}",
            target=party[0] if party else None,
        )
        for n, (party, what) in enumerate(by_party.items())
    ]
    # The totals' and forces' rows stand together, each list's continuation rows (no label)
    # after its first: replace the whole run.
    start = next((n for n, row in enumerate(rows) if row.label in ("In all", "Forces")), len(rows))
    end = start + len(item.totals) + len(item.contributions)
    kept = rows[:start] + rows[end:]
    return kept[:start] + totals + forces + kept[start:]


def _compact_sale(item: ArmsSale, rows: list[DetailRow]) -> list[DetailRow]:
    """A sale in the detail pane: its stage with the dates that got it there on one row
    ("contracted: ordered 2025; reported Feb 2026 (inferred)"), items and deliveries without
    the as-reported words (the source beside them shows the quote), so that an order and its
    deliveries fit above the source at 80x24."""
    dates = [
        (word, date)
        for word, date in (
            ("ordered", item.ordered),
            ("reported", item.first_report),
            ("confirmed", item.confirmed),
        )
        if date is not None
    ]
    items = iter(item.items)
    deliveries = iter(item.deliveries)
    out: list[DetailRow] = []
    for row in rows:
        if row.label in ("Ordered", "Reported", "Confirmed"):
            continue
        if row.label == "Status" and dates:
            stages = "; ".join(f"{word} {brief_date(date)}" for word, date in dates)
            row = DetailRow("Status", f"{plain(item.status)}: {stages}")
        elif row.label == "Items" or (row.label == "" and _in_run(out, "Items")):
            line = next(items)
            if line.quantity is not None:
                row = DetailRow(
                    row.label, _quantity_brief(line.quantity, line.equipment, line.designation)
                )
        elif row.label == "Deliveries" or (row.label == "" and _in_run(out, "Deliveries")):
            row = DetailRow(row.label, delivery_text(next(deliveries), with_reported=False))
        out.append(row)
    return out


def _in_run(rows: list[DetailRow], label: str) -> bool:
    """Whether the last labelled row is label: an unlabelled row continues it."""
    return next((row.label for row in reversed(rows) if row.label), None) == label


def describe(item: Item, links: Links, compact: bool = False) -> list[DetailRow]:
    """Every field of an item as rows of plain language, links and evidence included.

    compact: for the detail pane, where the facts must fit above the source at 80x24 (a
    drill's forces a row per party, without the as-reported words its quote shows).
    """
    own = DESCRIBERS.get(type(item), _fields)
    rows = own(item, links)
    if compact:
        rows = _compact(item, links, rows)
    add = rows.append
    starts = evidence_starts(item)
    rows.extend(_attribution_rows("Claimed by", attributions(item.attributed_to), links))
    rows.extend(_attribution_rows("Via", attributions(item.via), links, chain=True))
    rows.extend(claim_rows(item, links, starts))
    for n, withheld in enumerate(item.withheld):
        what = plain(withheld.field) if withheld.field else "the item"
        by = f" ({links.name(withheld.by)})" if withheld.by else ""
        add(
            DetailRow(
                "Withheld" if n == 0 else "",
                f"{what}: {plain(withheld.reason)}{by}",
                evidence=starts.get(("withheld", n)),
            )
        )
    if item.confidence is not None:  # a version 1 file: its own name for the grade
        add(DetailRow("Confidence", item.confidence))
    else:
        add(DetailRow("Stated", item.how_stated))
    if item.credibility is not None:
        add(DetailRow("Credibility", f"{item.credibility}, {CREDIBILITY[item.credibility]}"))
    for name, basis in item.inferred.items():
        add(DetailRow("Inferred", f"{plain(name)}: {basis}"))
    rows.extend(_likely_bases(item, links))
    rows.extend(_bases(item))
    if item.notes:
        add(DetailRow("Notes", item.notes))
    if isinstance(item, Party):
        # Its relationships with the links, not the facts: what it is linked to, as what it
        # takes part in, after what it is.
        rows.extend(_relation_rows(item, links))
        activity = links.activity.get(item.id, [])
        for n, (role, ref) in enumerate(activity):
            add(
                DetailRow(
                    "Takes part" if n == 0 else "",
                    f"{kind_of(links, ref)}: {links.name(ref)} ({role})",
                    target=ref,
                )
            )
    elif isinstance(item, Place):
        # What happened there, as a party's detail lists what it took part in.
        here = [ref for role, ref in links.referenced_by.get(item.id, []) if role == "place"]
        for n, ref in enumerate(here):
            add(
                DetailRow(
                    "Here" if n == 0 else "",
                    f"{kind_of(links, ref)}: {links.name(ref)}",
                    target=ref,
                )
            )
    if not isinstance(item, Party):
        # An event's or a drill's parts: a reverse link, like Cited in, listed apart from it.
        if isinstance(item, Event | Drill):
            rows.extend(_party_rows("Parts", parts(links, item.id), links))
        cited = [
            ref
            for role, ref in links.referenced_by.get(item.id, [])
            if role != "part" and not (isinstance(item, Place) and role == "place")
        ]
        for n, ref in enumerate(cited):
            add(
                DetailRow(
                    "Cited in" if n == 0 else "",
                    f"{kind_of(links, ref)}: {links.name(ref)}",
                    target=ref,
                )
            )
    quotes: list[DetailRow] = []
    for n, evidence in enumerate(links.evidence(item.id)):
        if evidence.lost:
            text = f"{LOST_MARK} {lost_text(evidence)}"
        else:
            where = f"¶{evidence.span.paragraph}" if evidence.span else "¶?"
            text = f"{where} {quoted(evidence.anchor.quote)}"
        quotes.append(DetailRow("Evidence" if n == 0 else "", text, evidence=n, quote=True))
    if compact and any(e.lost for e in links.evidence(item.id)):
        # A lost quote first: the source pane has nothing to show for it, and at 80x24 the
        # evidence rows are otherwise below the fold.
        return quotes + rows
    return rows + quotes


def evidence_starts(item: Item) -> dict[tuple[str | int, ...], int]:
    """Where each list of anchors of an item begins in its resolved evidence."""
    starts: dict[tuple[str | int, ...], int] = {}
    count = 0
    for sub, anchors in item.anchor_groups():
        starts[sub] = count
        count += len(anchors)
    return starts


def attribution_text(entry: Attribution, links: Links, basis: bool = False) -> str:
    """'Xinhua (likely)', 'anonymous: a senior official (Russia)'; with basis, 'Xinhua
    (likely: …)' (the detail pane gives a basis a row of its own, after the facts)."""
    if entry.party is not None:
        name = links.name(entry.party)
        if not entry.likely:
            return name
        return f"{name} (likely: {_note(entry.basis or '')})" if basis else f"{name} (likely)"
    of = f" ({links.name(entry.affiliation)})" if entry.affiliation else ""
    return f"anonymous: {entry.anonymous}{of}"


def _attribution_rows(
    label: str, entries: list[Attribution], links: Links, chain: bool = False
) -> list[DetailRow]:
    rows = []
    for n, entry in enumerate(entries):
        text = attribution_text(entry, links)
        rows.append(
            DetailRow(
                label if n == 0 else "",
                ("→ " if chain else "") + text,
                target=entry.party or entry.affiliation,
            )
        )
    return rows


def _likely_bases(item: Item, links: Links) -> list[DetailRow]:
    """Why each party the text does not name is the likely one, a row each."""
    found = [("claimed by", a) for a in attributions(item.attributed_to)]
    found += [("via", a) for a in attributions(item.via)]
    for claim in item.claims:
        found += [
            (f"{plain(claim.field)} claimed by", a) for a in attributions(claim.attributed_to)
        ]
        found += [(f"{plain(claim.field)} via", a) for a in attributions(claim.via)]
    return [
        DetailRow("Inferred", f"{how} {links.name(a.party)}: {a.basis}")
        for how, a in found
        if a.likely and a.party is not None and a.basis
    ]


def claim_value(claim: Claim) -> str:
    """A claim's value in words: 'about 2,400 personnel', 'Mar 2026'."""
    if claim.count is not None:
        return format_quantity(claim.count)
    if claim.amount is not None:
        return format_money(claim.amount)
    if claim.date is not None:
        return format_date(claim.date)
    said = f" (as reported: {quoted(claim.reported)})" if claim.reported else ""
    return f"{claim.value}{said}"


def claim_source(claim: Claim, links: Links) -> str:
    """Who a claim comes from, through whom: 'Navy via Reuters'; 'the source' when it states
    the value itself."""
    who = [attribution_text(a, links) for a in attributions(claim.attributed_to)]
    text = " and ".join(who) if who else "the source"
    via = [attribution_text(a, links) for a in attributions(claim.via)]
    return text + (f", via {' → '.join(via)}" if via else "")


CONFLICT_MARK = "≠"
"""Marks an item whose sources give values in conflict (in the outline), and the fact in the
detail: one cell that reads without colour."""
CONFLICT_LEGEND = f"{CONFLICT_MARK} sources disagree"


def claim_rows(
    item: Item, links: Links, starts: dict[tuple[str | int, ...], int]
) -> list[DetailRow]:
    """Each claimed fact, its values one under another with who gives them (Enter shows the
    claim's quote), then the analyst's assessment."""
    rows: list[DetailRow] = []
    verdicts = {a.field: a for a in item.assessments}
    in_conflict = set(conflicts(item))
    for name, claims in claims_by_field(item).items():
        assessment = verdicts.get(name)
        verdict = (
            assessment.verdict if assessment else ("values differ" if name in in_conflict else "")
        )
        mark = f"{CONFLICT_MARK} " if name in in_conflict else ""
        rows.append(
            DetailRow("Claims", f"{mark}{plain(name)}" + (f": {verdict}" if verdict else ""))
        )
        for claim in claims:
            index = item.claims.index(claim)
            note = f" ({_note(claim.notes)})" if claim.notes else ""
            first = starts.get(("claims", index))
            resolved = links.evidence(item.id)
            span = resolved[first].span if first is not None and first < len(resolved) else None
            where = f" ¶{span.paragraph}" if span is not None else ""
            rows.append(
                DetailRow(
                    "",
                    f"{claim_value(claim)} — {claim_source(claim, links)}{where}{note}",
                    evidence=first,
                )
            )
        if assessment and assessment.note:
            rows.append(DetailRow("Assessment", f"{plain(name)}: {assessment.note}"))
    return rows


LOST_MARK = "!"
"""Marks an item whose quote is lost (in the outline) and the quote itself (in the detail):
one cell that draws in any terminal font, and reads without colour."""
LOST_LEGEND = f"{LOST_MARK} quote lost in the source"


def lost_text(evidence: Evidence) -> str:
    """Why a quote is not shown in its source, with the quote as the briefing writes it."""
    if evidence.changed is not None:
        why = (
            "quote lost: the source changed, and the passage closest to it now says something "
            f"else (the change touches {evidence.changed})"
        )
    elif evidence.status == "lost" and evidence.message.startswith("lost: "):
        # What was found, not the writer's fix ("add a prefix..."): that is validate's to say.
        found = evidence.message.removeprefix("lost: ").split(";", 1)[0]
        why = f"quote lost: the source changed; {found}"
    else:
        why = "quote lost: the source changed"
    return f"{why}; as written: {quoted(evidence.anchor.quote)}"


INFERRED_MARK = "~"
PLANNED_MARK = "›"
TIMELINE_LEGEND = f"{INFERRED_MARK} inferred  {PLANNED_MARK} planned"
"""The marks of a timeline row, single cells that draw in any terminal font; the legend says
what they mean where the timeline is shown."""


def timeline_date(date: Date, year: int | None = None) -> str:
    """The date column of a timeline row: 'Aug 2014', or 'Aug' under the heading 2014 (a year
    alone, or a span over two years, keeps its years); the source's words when it has no value.
    """
    if date.value is None:
        return quoted(date.reported or "")
    text = format_date_value(date)
    if year is not None and text != str(year):
        shown = f" {year}"
        if text.endswith(shown) and text.count(str(year)) == 1:
            text = text.removesuffix(shown)
    return text


def timeline_marks(row: Dated, item: Item, at_publication: bool = False) -> str:
    """Two cells before a row's date: planned (the row has not happened as of its source: the
    item's status, or for a sale's order or delivery its own), then inferred (the value is
    worked out, or the row stands at its source's publication date because the date is only
    words: at_publication)."""
    planned = row.planned
    if planned is None:
        planned = getattr(item, "status", None) == "planned"
    inferred = row.date.inferred or at_publication
    return (PLANNED_MARK if planned else " ") + (INFERRED_MARK if inferred else " ")


__all__ = [
    "DetailRow",
    "describe",
    "format_date",
    "format_money",
    "format_quantity",
    "timeline_date",
    "timeline_marks",
]
