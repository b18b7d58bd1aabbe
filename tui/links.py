"""The links of a loaded briefing, computed once: items by id, party activity, cited-by.

No UI here: the reader asks these maps, so following a link in either direction is a lookup.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from .loader import Evidence, Loaded
from .schema import (
    RELATIONSHIP_WORDS,
    ArmsSale,
    Date,
    Item,
    Relationship,
    plain_kind,
    references,
)


class Dated(NamedTuple):
    """One timeline row: a date of an item and what happened on it.

    An item is one row, at its own date (what ""); an arms sale of format 2 is a row for each
    of its order, first report, confirmation and deliveries, each at its own date, so that a
    sale ordered in 2025 and delivered from 2027 stands at both."""

    date: Date
    item_id: str
    what: str = ""
    """"" (the item itself), "order", "reported", "confirmed", "delivery" or "claim" (a date
    a claim gives that differs from the item's own)."""
    part: str = ""
    """Which of the item's rows: "" for its own date, else unique within the item."""
    planned: bool | None = None
    """Whether the row is still planned as of its source; None: as the item's status says."""


_ORDER_PENDING = ("proposed", "negotiating")
"""Sale stages at which the order itself is still to come."""


def item_dates(item: Item) -> list[Dated]:
    """An item's timeline rows, in the item's own order: its own date (an arms sale's order,
    reports and deliveries), then each claim of a date other than the item's own."""
    rows = _own_dates(item)
    if item.claims:
        rows.extend(_claimed_dates(item, rows))
    return rows


def _claimed_dates(item: Item, own: list[Dated]) -> list[Dated]:
    """A row per claim that dates the item differently from its own rows (and from an earlier
    claim): "the exercise would open on April 22" against the statement's April 20 stands at
    the 22nd, marked a claim, so a reader sees both dates where they fall."""
    seen = {(d.date.value, d.date.end) for d in own if d.date.value is not None}
    rows: list[Dated] = []
    for n, claim in enumerate(item.claims):
        date = claim.date
        if date is None or date.value is None or (date.value, date.end) in seen:
            continue
        seen.add((date.value, date.end))
        rows.append(Dated(date, item.id, "claim", f"claim-{n + 1}"))
    return rows


def _own_dates(item: Item) -> list[Dated]:
    if not isinstance(item, ArmsSale):
        date = item.when()
        return [] if date is None else [Dated(date, item.id)]
    rows: list[Dated] = []
    if item.period is not None:
        rows.append(Dated(item.period, item.id))
    if item.ordered is not None:
        pending = item.status in _ORDER_PENDING
        rows.append(Dated(item.ordered, item.id, "order", "order", pending))
    if item.first_report is not None:
        rows.append(Dated(item.first_report, item.id, "reported", "reported", False))
    if item.confirmed is not None:
        rows.append(Dated(item.confirmed, item.id, "confirmed", "confirmed", False))
    for n, delivery in enumerate(item.deliveries):
        if delivery.date is not None:
            planned = delivery.status == "planned"
            rows.append(Dated(delivery.date, item.id, "delivery", f"delivery-{n + 1}", planned))
    return rows


def row_evidence(item: Item, part: str) -> int:
    """Which of an item's evidence a timeline row shows first: a claim's row its claim's own
    quote ("the exercise would open on April 22"), any other row the item's first."""
    if not part.startswith("claim-"):
        return 0
    wanted = ("claims", int(part.removeprefix("claim-")) - 1)
    index = 0
    for sub, group in item.anchor_groups():
        if sub == wanted:
            return index if group else 0
        index += len(group)
    return 0


def role_name(item: Item, name: str | tuple[str | int, ...]) -> str:
    """The role a reference of an item reads as, by the field it stands in, as the item's
    model names it (else the field's name). Given a reference's whole sub-path, a party a
    claim came through (claims, 0, via) reads as relayed by, not as the claim's source."""
    if isinstance(name, tuple):
        name = "via" if "via" in name else str(name[0])
    return type(item).roles.get(name, name)


@dataclass
class Links:
    """Lookups over one loaded briefing."""

    loaded: Loaded
    items: dict[str, Item] = field(default_factory=dict)
    section_of: dict[str, str] = field(default_factory=dict)
    activity: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Party id to (role, item id) for every item that refers to it, in briefing order."""
    referenced_by: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Any item id to (role, item id) of the items that refer to it."""
    relations: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    """Party id to (how it reads from this party, the other party's id, the relationship's
    id) for every relationship it is in: ("Member of", "sco", "russia-in-sco")."""
    cited_by: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    """(source id, paragraph) to the ids of items whose evidence stands there."""
    _published: dict[str, Date | None] | None = field(default=None, repr=False)
    _timeline: list[Dated] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, loaded: Loaded) -> Links:
        links = cls(loaded)
        referenced: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
        cited: defaultdict[tuple[str, int], list[str]] = defaultdict(list)
        for (section, _index), item in loaded.briefing.items():
            links.items[item.id] = item
            links.section_of[item.id] = section
            seen: set[tuple[str, str]] = set()
            for sub, ref, _wanted in references(item):
                role = role_name(item, sub)
                if (role, ref) not in seen:
                    seen.add((role, ref))
                    referenced[ref].append((role, item.id))
            for evidence in loaded.evidence.get(item.id, ()):
                if evidence.span is not None:
                    key = (evidence.source, evidence.span.paragraph)
                    if not cited[key] or cited[key][-1] != item.id:
                        cited[key].append(item.id)
        links.referenced_by = dict(referenced)
        # A party's relationships are listed as such ("Member of: SCO"), not as activity.
        links.activity = {
            p.id: [
                r
                for r in referenced.get(p.id, [])
                if r[0] != "member" and links.section_of.get(r[1]) != "relationships"
            ]
            for p in loaded.briefing.parties
        }
        relations: defaultdict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for relationship in loaded.briefing.relationships:
            words = RELATIONSHIP_WORDS[relationship.kind]
            relations[relationship.party].append(
                (words.forward, relationship.other, relationship.id)
            )
            relations[relationship.other].append(
                (words.backward, relationship.party, relationship.id)
            )
        links.relations = dict(relations)
        links.cited_by = dict(cited)
        return links

    def evidence(self, item_id: str) -> list[Evidence]:
        return self.loaded.evidence.get(item_id, [])

    def citing(self, source_id: str, paragraph: int) -> list[str]:
        """Ids of the items whose evidence stands in a paragraph of a source, briefing order."""
        return self.cited_by.get((source_id, paragraph), [])

    def evidence_in(self, item_id: str, source_id: str, paragraph: int) -> int:
        """Which of an item's evidence stands in a paragraph of a source: its first there, or
        0 (its first evidence) when none does."""
        for n, evidence in enumerate(self.evidence(item_id)):
            span = evidence.span
            if evidence.source == source_id and span is not None and span.paragraph == paragraph:
                return n
        return 0

    def members(self, party_id: str) -> list[str]:
        """Parties affiliated to this one."""
        return [i for role, i in self.referenced_by.get(party_id, []) if role == "member"]

    def name(self, item_id: str) -> str:
        item = self.items.get(item_id)
        if isinstance(item, Relationship) and not item.title:
            # Its label names the parties by id; here their names are known.
            words = plain_kind(item.kind)
            return f"{self.name(item.party)} {words} {self.name(item.other)}"
        return item.label if item is not None else item_id

    def timeline(self) -> list[Dated]:
        """Every dated item (an arms sale's order and each delivery a row of its own), in the
        order of timeline_place, then briefing order, then the item's own order (sorted once:
        a second at 100,000 items; a new list each call)."""
        if self._timeline is None:
            self._timeline = self._sorted_timeline()
        return list(self._timeline)

    def _sorted_timeline(self) -> list[Dated]:
        dated: list[tuple[int, int, Dated]] = []
        for n, item in enumerate(self.items.values()):
            dated.extend((n, k, row) for k, row in enumerate(item_dates(item)))
        dated.sort(key=lambda each: (self.timeline_place(each[2].date, each[2].item_id), *each[:2]))
        return [row for _n, _k, row in dated]

    def timeline_place(self, date: Date, item_id: str) -> tuple[dt.date, dt.date, int]:
        """Where a date stands in the timeline: (first day, last day, 0 or 1).

        A date with a value stands over the days it covers. A date with only words
        ("recently", "last year") has no value, and such words are said relative to the
        publication of the source that reports them: it stands at that publication date (the
        latest it can be: the words look back from there), before the items dated that
        day (the trailing 0). Without a publication date either, it goes last.
        """
        if date.value is not None:
            first, last = date.sort_key
            return first, last, 1
        published = self.published(item_id)
        if published is None or published.value is None:
            return dt.date.max, dt.date.max, 0
        first, _last = published.sort_key
        return first, first, 0

    def published(self, item_id: str) -> Date | None:
        """The publication date of the source an item's first quote stands in (the first
        source with one if the item has no quote)."""
        if self._published is None:
            self._published = {s.id: s.published for s in self.loaded.briefing.sources}
        evidence = self.loaded.evidence.get(item_id)
        if evidence and self._published.get(evidence[0].source) is not None:
            return self._published[evidence[0].source]
        return next((d for d in self._published.values() if d is not None), None)


def item_date(item: Item) -> Date | None:
    """The date an item happened or was said, if it has one (its model says which)."""
    return item.when()
