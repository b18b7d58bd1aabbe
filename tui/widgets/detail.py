"""The detail pane: an item's fields in plain language, or the items citing a paragraph.

Each line is a row of a line-API list, so links and evidence are selectable with the keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.content import Content
from textual.widgets.option_list import Option

from ..safe_text import clean
from .row_list import RowList

if TYPE_CHECKING:
    from ..describe import Row

LABEL_WIDTH = 11


class Detail(RowList):
    """Rows of an item (or of a paragraph's citations); Enter on a link follows it."""

    DEFAULT_CSS = """
    Detail > .option-list--option-disabled { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.mode = "empty"

    def show_rows(self, title: str, rows: list[Row], mode: str = "item") -> None:
        """Replace the pane's rows; links are underlined, evidence is marked."""
        self.rows = rows
        self.mode = mode
        options = [Option(Content.styled(clean(title), "bold"), id="title", disabled=True)]
        for n, row in enumerate(rows):
            # A two-column grid gives wrapped values a hanging indent under their label.
            grid = Table.grid(padding=(0, 1), expand=True)
            grid.add_column(width=LABEL_WIDTH, no_wrap=True)
            grid.add_column(ratio=1)
            style = "underline" if row.target else ("italic" if row.evidence is not None else "")
            grid.add_row(Text(row.label, style="bold dim"), Text(clean(row.text), style=style))
            options.append(Option(grid, id=f"row-{n}"))
        self.set_options(options)
        self.highlighted = 1 if rows else None
        self.scroll_to(y=0, animate=False)

    @property
    def current_row(self) -> Row | None:
        index = self.highlighted
        if index is None or index < 1 or index - 1 >= len(self.rows):
            return None
        return self.rows[index - 1]

    def focus_row(self) -> None:
        """Highlight the first row with a link (used after Enter on a paragraph)."""
        for n, row in enumerate(self.rows):
            if row.target is not None:
                self.highlighted = n + 1
                return
