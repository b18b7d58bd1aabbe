"""Plain-language text for briefing items: "over 1,000 troops", "US$7.7 billion", "Aug 2014".

Returns plain strings (raw from the briefing); the widgets clean them where they are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .links import Links
from .schema import (
    CREDIBILITY,
    Agreement,
    ArmsSale,
    Date,
    Drill,
    Event,
    Item,
    Money,
    Party,
    Quantity,
    Statement,
    parse_date_value,
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
        add(DetailRow("Also", ", ".join(item.aliases)))
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


@describes(Agreement)
def _agreement(item: Agreement, links: Links) -> list[DetailRow]:
    rows = [DetailRow("Title", item.title), DetailRow("Status", plain(item.status))]
    if item.date:
        rows.append(DetailRow("Date", format_date(item.date, basis=False)))
    rows.extend(_party_rows("Parties", item.parties, links))
    rows.append(DetailRow("Terms", item.terms))
    return rows


@describes(Drill)
def _drill(item: Drill, links: Links) -> list[DetailRow]:
    rows = [DetailRow("Name", item.name or "not named in the source")]
    add = rows.append
    if item.framework:
        add(DetailRow("Framework", links.name(item.framework), target=item.framework))
    add(DetailRow("Location", item.location or "not stated"))
    if item.date:
        add(DetailRow("Date", format_date(item.date, basis=False)))
    rows.extend(_party_rows("Participants", item.participants, links))
    for n, c in enumerate(item.contributions):
        amount = format_quantity(c.quantity)
        what = _what_else(c.quantity, c.equipment, c.designation)
        add(
            DetailRow(
                "Forces" if n == 0 else "",
                f"{links.name(c.party)}: {amount}" + (f" — {what}" if what else ""),
                target=c.party,
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
    add(DetailRow("Status", plain(item.status)))
    return rows


@describes(Event)
def _event(item: Event, links: Links) -> list[DetailRow]:
    rows = [
        DetailRow("Title", item.title),
        DetailRow("Kind", plain(item.kind)),
        DetailRow("Status", plain(item.status)),
    ]
    if item.date:
        rows.append(DetailRow("Date", format_date(item.date, basis=False)))
    if item.location:
        rows.append(DetailRow("Location", item.location))
    rows.extend(_party_rows("Participants", item.participants, links))
    return rows


@describes(Statement)
def _statement(item: Statement, links: Links) -> list[DetailRow]:
    rows = [
        DetailRow("Speaker", links.name(item.speaker), target=item.speaker),
        DetailRow("Mode", "direct quote" if item.mode == "direct" else "paraphrase"),
        DetailRow("Says", quoted(item.text) if item.mode == "direct" else item.text),
    ]
    if item.date:
        rows.append(DetailRow("Date", format_date(item.date, basis=False)))
    for n, ref in enumerate(item.about):
        rows.append(
            DetailRow(
                "About" if n == 0 else "", f"{kind_of(links, ref)}: {links.name(ref)}", target=ref
            )
        )
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
    facts rather than inside them ("Aug 2014 (inferred)"), as a basis runs to a few lines."""
    rows: list[DetailRow] = []
    for name in type(item).model_fields:
        if name in Item.model_fields:
            continue
        value = getattr(item, name)
        for each in value if isinstance(value, list) else [value]:
            if isinstance(each, Date | Money) and each.inferred and each.basis:
                rows.append(DetailRow("Inferred", f"{plain(name)}: {each.basis}"))
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
    """The detail pane's rows: a drill's forces a row per party, and no name row that only
    says the drill has none (its title, "Unnamed drill (…)", says so)."""
    if not isinstance(item, Drill):
        return rows
    rows = [row for row in rows if not (row.label == "Name" and not item.name)]
    start = next((n for n, row in enumerate(rows) if row.label == "Forces"), None)
    if start is None:
        return rows
    by_party: dict[str, list[str]] = {}
    for c in item.contributions:
        by_party.setdefault(c.party, []).append(
            _quantity_brief(c.quantity, c.equipment, c.designation)
        )
    forces = [
        DetailRow(
            "Forces" if n == 0 else "", f"{links.name(party)}: {'; '.join(what)}", target=party
        )
        for n, (party, what) in enumerate(by_party.items())
    ]
    return rows[:start] + forces + rows[start + len(item.contributions) :]


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
    if item.attributed_to:
        add(DetailRow("Claimed by", links.name(item.attributed_to), target=item.attributed_to))
    if item.confidence is not None:  # a version 1 file: its own name for the grade
        add(DetailRow("Confidence", item.confidence))
    else:
        add(DetailRow("Stated", item.how_stated))
    if item.credibility is not None:
        add(DetailRow("Credibility", f"{item.credibility}, {CREDIBILITY[item.credibility]}"))
    for name, basis in item.inferred.items():
        add(DetailRow("Inferred", f"{plain(name)}: {basis}"))
    rows.extend(_bases(item))
    if item.notes:
        add(DetailRow("Notes", item.notes))
    if isinstance(item, Party):
        activity = links.activity.get(item.id, [])
        for n, (role, ref) in enumerate(activity):
            add(
                DetailRow(
                    "Takes part" if n == 0 else "",
                    f"{kind_of(links, ref)}: {links.name(ref)} ({role})",
                    target=ref,
                )
            )
    else:
        cited = [ref for _role, ref in links.referenced_by.get(item.id, [])]
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
        quotes.append(DetailRow("Evidence" if n == 0 else "", text, evidence=n))
    if compact and any(e.lost for e in links.evidence(item.id)):
        # A lost quote first: the source pane has nothing to show for it, and at 80x24 the
        # evidence rows are otherwise below the fold.
        return quotes + rows
    return rows + quotes


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


def timeline_marks(date: Date, item: Item, at_publication: bool = False) -> str:
    """Two cells before a row's date: planned (the item has not happened as of its source),
    then inferred (the value is worked out, or the row stands at its source's publication date
    because the date is only words: at_publication)."""
    planned = PLANNED_MARK if getattr(item, "status", None) == "planned" else " "
    inferred = INFERRED_MARK if date.inferred or at_publication else " "
    return planned + inferred


__all__ = [
    "DetailRow",
    "describe",
    "format_date",
    "format_money",
    "format_quantity",
    "timeline_date",
    "timeline_marks",
]
