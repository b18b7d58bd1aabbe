"""The outline: every section with its count and items, and a timeline, in one line-API list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets.option_list import Option

from ..safe_text import clean
from .row_list import RowList

if TYPE_CHECKING:
    from ..links import Links

TIMELINE = "timeline"
SECTION_KEYS = ("parties", "agreements", "drills", "arms_sales", "events", "statements", TIMELINE)
LABEL_LIMIT = 120


def item_option_id(item_id: str, section: str) -> str:
    """Option ids are unique per row: a timeline row repeats an item under another id."""
    return f"{TIMELINE}:{item_id}" if section == TIMELINE else item_id


def item_of(option_id: str | None) -> str | None:
    """The item id of an outline row, or None for a section heading."""
    if option_id is None or option_id.startswith("§"):
        return None
    return option_id.split(":", 1)[1] if option_id.startswith(f"{TIMELINE}:") else option_id


def short(text: str, limit: int = LABEL_LIMIT) -> str:
    """Cleaned, one line, at most limit characters."""
    text = clean(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Outline(RowList):
    """Sections with counts, their items, and the timeline; headings are not selectable."""

    DEFAULT_CSS = """
    Outline { text-wrap: nowrap; text-overflow: ellipsis; }
    Outline > .option-list--option-disabled { color: $text-accent; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.section_rows: dict[str, int] = {}

    def set_links(self, links: Links) -> None:
        """Fill the outline from a briefing's links."""
        from ..describe import SINGULAR, timeline_label

        titles = {
            "parties": "Parties",
            "agreements": "Agreements",
            "drills": "Drills",
            "arms_sales": "Arms sales",
            "events": "Events",
            "statements": "Statements",
        }
        options: list[Option] = []
        self.section_rows = {}
        briefing = links.loaded.briefing
        for number, key in enumerate(SECTION_KEYS, start=1):
            if key == TIMELINE:
                rows = links.timeline()
                title = "Timeline"
            else:
                rows = getattr(briefing, key)
                title = titles[key]
            self.section_rows[key] = len(options)
            heading = Content.assemble((f"{number} {title} ", "bold"), (f"({len(rows)})", "dim"))
            options.append(Option(heading, id=f"§{key}", disabled=True))
            if key == TIMELINE:
                for date, item_id in rows:
                    item = links.items[item_id]
                    when = timeline_label(date, item, links)
                    label = Content.assemble(
                        ("  ", ""),
                        (short(when, 40), "$text-accent"),
                        (" ", ""),
                        (short(f"{SINGULAR[links.section_of[item_id]]}: {item.label}"), ""),
                    )
                    options.append(Option(label, id=item_option_id(item_id, key)))
            else:
                for item in rows:
                    options.append(Option(Content("  " + short(item.label)), id=item.id))
        self.set_options(options)

    def first_in(self, section: str) -> int | None:
        """Row index of the first item of a section (None if it is empty)."""
        start = self.section_rows.get(section)
        if start is None:
            return None
        index = start + 1
        if index < self.option_count and not self.get_option_at_index(index).disabled:
            return index
        return None

    def select_item(self, item_id: str) -> bool:
        """Highlight an item's row in its own section."""
        try:
            index = self.get_option_index(item_id)
        except Exception:
            return False
        self.highlighted = index
        return True

    @property
    def current_item(self) -> str | None:
        option = self.highlighted_option
        return item_of(option.id if option is not None else None)
