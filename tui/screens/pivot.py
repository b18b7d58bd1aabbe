"""The party pivot: for a party name, every briefing of the library and every item involving it.

With no name typed it lists the parties of the library, most often met first; Enter on one
pivots on it. Enter on an item opens its briefing at that item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from ..safe_text import clean, clip
from ..sections import SINGULAR
from .listing import QueryScreen
from .navigate import open_briefing

if TYPE_CHECKING:
    from pathlib import Path

    from ..index import LibraryIndex, PartyGroup


class PivotScreen(QueryScreen):
    """Every briefing and item involving a party, across the library."""

    AUTO_FOCUS = "#party"
    INPUT = "party"
    LIST = "pivot"
    PLACEHOLDER = "Party name"
    HELP_LINE = "Type a party's name or alias  ·  ↓ to the list, Enter opens the item"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+g", "focus_input", "Edit party"),
    ]

    def __init__(self, index: LibraryIndex, folder: Path, party: str = "") -> None:
        super().__init__(party)
        self.index = index
        self.folder = folder
        self.groups: list[PartyGroup] = []
        self.targets: list[tuple[str, str, str | None] | str] = []
        """Per option: (briefing key, file name, item id) to open, or a party name to pivot on."""

    def heading(self) -> str:
        return "Party pivot"

    def on_mount(self) -> None:
        self.pivot(self.initial)

    def update(self, text: str) -> None:
        self.pivot(text)

    def has_rows(self) -> bool:
        return any(self.targets)

    def pivot(self, name: str) -> None:
        """List what involves parties named like name; with no name, the library's parties."""
        options: list[Option] = []
        self.targets = []
        if not name.strip():
            self.groups = []
            names = self.index.party_names(self.folder, "")
            for party, count in names:
                options.append(
                    Option(
                        Content.assemble(
                            clean(party),
                            (f"  ·  {count} briefing{'s' if count != 1 else ''}", "dim"),
                        )
                    )
                )
                self.targets.append(party)
            heading = f"Party pivot: {len(names)} parties most often met; choose one or type"
        else:
            self.groups = self.index.pivot(self.folder, name)
            listing = self.query_one("#pivot", OptionList)
            width = (listing.size.width or self.size.width or 80) - 6
            for group in self.groups:
                country = f" [{group.country}]" if group.country else ""
                party = group.party_name + country
                file_name = "  " + clip(group.name, 28)
                title = clip(f" in {group.title}", max(10, width - len(party) - len(file_name)))
                options.append(
                    Option(
                        Content.assemble(
                            (clean(party), "bold $text-accent"),
                            (clean(title), "bold"),
                            (clean(file_name), "dim"),
                        ),
                        disabled=True,
                    )
                )
                self.targets.append("")
                for item in group.items:
                    role = "the party itself" if item.role == "entry" else item.role
                    options.append(
                        Option(
                            Content.assemble(
                                "  ",
                                (SINGULAR.get(item.section, item.section) + ": ", "dim"),
                                clean(clip(" ".join(item.label.split()), max(10, width - 36))),
                                (f"  ({clean(role)})", "italic"),
                            )
                        )
                    )
                    self.targets.append((group.key, group.name, item.item_id))
            items = sum(len(g.items) for g in self.groups)
            briefings = len({g.key for g in self.groups})
            heading = (
                f"Party pivot: {name.strip()}: {briefings} briefing"
                f"{'s' if briefings != 1 else ''}, {items} item{'s' if items != 1 else ''}"
            )
        listing = self.query_one("#pivot", OptionList)
        listing.clear_options()
        listing.add_options(options)
        first = next((n for n, t in enumerate(self.targets) if t), None)
        if first is not None:
            listing.highlighted = first
        self.set_heading(heading)

    @on(OptionList.OptionSelected, "#pivot")
    def _open(self, event: OptionList.OptionSelected) -> None:
        target = self.targets[event.option_index]
        if isinstance(target, str):
            if target:
                party = self.query_one("#party", Input)
                party.value = target  # pivots through Input.Changed
                party.cursor_position = len(target)
            return
        key, name, item_id = target
        open_briefing(self, self.folder / name, key, True, item_id)
