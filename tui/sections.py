"""The briefing's sections: their keys in display order and their names. Plain data, no imports,
so screens that must start fast can name sections without loading the schema."""

from __future__ import annotations

KEYS = ("parties", "agreements", "drills", "arms_sales", "events", "statements")
"""Section keys in the order they are shown and numbered (1-6; the timeline is 7)."""

TITLES = {
    "parties": "Parties",
    "agreements": "Agreements",
    "drills": "Drills",
    "arms_sales": "Arms sales",
    "events": "Events",
    "statements": "Statements",
}
SINGULAR = {
    "parties": "Party",
    "agreements": "Agreement",
    "drills": "Drill",
    "arms_sales": "Arms sale",
    "events": "Event",
    "statements": "Statement",
}
