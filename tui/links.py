"""The links of a loaded briefing, computed once: items by id, party activity, cited-by.

No UI here: the reader asks these maps, so following a link in either direction is a lookup.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from .loader import Evidence, Loaded
from .schema import Date, Item, references


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
    cited_by: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    """(source id, paragraph) to the ids of items whose evidence stands there."""
    _published: dict[str, Date | None] | None = field(default=None, repr=False)

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
        links.activity = {
            p.id: [r for r in referenced.get(p.id, []) if r[0] != "member"]
            for p in loaded.briefing.parties
        }
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
        return item.label if item is not None else item_id

    def timeline(self) -> list[tuple[Date, str]]:
        """Every dated item, in the order of timeline_place, then briefing order."""
        dated: list[tuple[Date, str]] = []
        for item_id, item in self.items.items():
            date = item_date(item)
            if date is not None:
                dated.append((date, item_id))
        order = {item_id: n for n, item_id in enumerate(self.items)}
        dated.sort(key=lambda pair: (self.timeline_place(*pair), order[pair[1]]))
        return dated

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
