"""The registry of the briefing's sections: one entry per section, in display order.

Everything about a section that is not its model lives here, and every consumer (the schema's
`Briefing` fields, the reader's outline and number keys, the library's Items column, the
index's section words, the STIX mapping) derives from it. The section's model is found in
`schema` by its `section` class variable; what its items look like in the detail pane is in
`describe`. tests/test_registry.py fails when a section is missing from any of them.

Plain data, no imports beyond the standard library, so screens that must start fast can name
sections without loading the schema (pydantic).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Section:
    """One section of a briefing: the key it is written under and how it is named."""

    key: str
    """The briefing's key for the section's list, and the section's id everywhere."""
    title: str
    """Plural, as a heading: "Arms sales"."""
    singular: str
    """One item of it: "Arms sale"."""
    short: str
    """Its letters in the library's Items column ("3AS")."""
    stix_type: str
    """The STIX 2.1 object an item exports as: identity, grouping, note, location or
    relationship."""
    stix_label: str
    """The label on that STIX object."""
    description: str
    """What the section holds: the description of its list in the JSON Schema."""
    aliases: tuple[str, ...] = ()
    """Other words a user may type for it in a library filter (section:exercise)."""
    since: int = 1
    """The format version that introduced the section (a version 1 briefing cannot use a
    section of version 2)."""


SECTIONS: tuple[Section, ...] = (
    Section(
        key="parties",
        title="Parties",
        singular="Party",
        short="P",
        stix_type="identity",
        stix_label="party",
        description="States, organisations, militaries, people and groups.",
        aliases=("party",),
    ),
    Section(
        key="agreements",
        title="Agreements",
        singular="Agreement",
        short="Ag",
        stix_type="grouping",
        stix_label="agreement",
        description="Agreements, treaties and deals.",
        aliases=("agreement",),
    ),
    Section(
        key="drills",
        title="Drills",
        singular="Drill",
        short="D",
        stix_type="grouping",
        stix_label="drill",
        description="Military exercises.",
        aliases=("drill", "exercise", "exercises"),
    ),
    Section(
        key="arms_sales",
        title="Arms sales",
        singular="Arms sale",
        short="AS",
        stix_type="grouping",
        stix_label="arms-sale",
        description="Transfers of arms.",
        aliases=("arms", "sale", "sales", "arms-sales"),
    ),
    Section(
        key="events",
        title="Events",
        singular="Event",
        short="E",
        stix_type="grouping",
        stix_label="event",
        description="Meetings, summits, visits and the like.",
        aliases=("event",),
    ),
    Section(
        key="statements",
        title="Statements",
        singular="Statement",
        short="St",
        stix_type="note",
        stix_label="statement",
        description="What parties said.",
        aliases=("statement",),
    ),
    Section(
        key="places",
        title="Places",
        singular="Place",
        short="Pl",
        stix_type="location",
        stix_label="place",
        description="Places where things happen: cities, bases, seas, regions.",
        aliases=("place", "location", "locations"),
        since=2,
    ),
    Section(
        key="relationships",
        title="Relationships",
        singular="Relationship",
        short="R",
        stix_type="relationship",
        stix_label="relationship",
        description="Typed links between two parties: member of, allied with, commands...",
        aliases=("relationship", "relation", "relations"),
        since=2,
    ),
)

# Derived views, for the many places that need only one of them.
BY_KEY: dict[str, Section] = {section.key: section for section in SECTIONS}
SECTION_KEYS: tuple[str, ...] = tuple(BY_KEY)
"""Section keys in the order they are shown and numbered (1 to N; the timeline is N+1)."""
TITLES: dict[str, str] = {s.key: s.title for s in SECTIONS}
SINGULAR: dict[str, str] = {s.key: s.singular for s in SECTIONS}
SHORT: tuple[str, ...] = tuple(s.short for s in SECTIONS)
ALIASES: dict[str, str] = {alias: s.key for s in SECTIONS for alias in s.aliases}
NUMBERS: dict[str, int] = {key: n for n, key in enumerate(SECTION_KEYS, 1)}
"""The number key that jumps to each section in the reader."""
TIMELINE_NUMBER = len(SECTION_KEYS) + 1
"""The reader's timeline comes after the sections, under the next number key."""
