"""The detail pane: an item's fields in plain language, or the items citing a paragraph.

Each line is a row of a line-API list, so links and evidence are selectable with the keys.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets.option_list import Option

from ..safe_text import clean, clip
from .row_list import RowList
from .wrap import wrap_breaks

if TYPE_CHECKING:
    from ..describe import DetailRow

LABEL_WIDTH = 12
"""Cells for a row's label: the longest, "Participants", whole."""


def row_prompt(row: DetailRow, width: int, labelled: bool = True) -> Content:
    """A label and its value, the value wrapped with a hanging indent under the label.

    Wrapped here rather than by a table renderable: laying out Content is several times
    cheaper, and the detail pane is rebuilt on every move in the outline. Rows of a list with
    no labels (a paragraph's citations) take the whole width.
    """
    text = clean(row.text)
    indent = LABEL_WIDTH + 1 if labelled else 2  # unlabelled: a row's own lines still hang
    room = max(10, width - indent)
    edges = [0, *wrap_breaks(text, room), len(text)]
    style = "underline" if row.target else ("italic" if row.evidence is not None else "")
    parts: list[str | tuple[str, str]] = []
    if labelled:
        label = clip(row.label, LABEL_WIDTH)
        parts += [(label.ljust(LABEL_WIDTH), "bold $text-muted"), " "]
    for n, (start, end) in enumerate(itertools.pairwise(edges)):
        if n:
            parts.append("\n" + " " * indent)
        parts.append((text[start:end].rstrip(" "), style))
    return Content.assemble(*parts)


class Detail(RowList):
    """Rows of an item (or of a paragraph's citations); Enter on a link follows it."""

    # The scrollbar is always there, so rows are wrapped once for a width that does not
    # change when they turn out to be taller than the pane.
    # The highlighted row is underlined, bold when focused, as in the outline: visible without
    # colour.
    DEFAULT_CSS = """
    Detail { overflow-y: scroll; }
    Detail > .option-list--option-disabled { color: $text-muted; }
    Detail > .option-list--option-highlighted { text-style: underline; }
    Detail:focus > .option-list--option-highlighted { text-style: bold underline; }
    """

    # The pane's size never depends on its rows (1fr in app.tcss, the scrollbar always
    # shown), so a new item's rows change the scrolled extent, not the screen's layout. The
    # widget's reactive asks for a layout of the whole screen on every change (half the cost of
    # a move in the outline); the option list updates its scrollbars itself.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[DetailRow] = []
        self.mode = "empty"
        self._title = ""
        self._filled_width = 0

    def show_rows(self, title: str, rows: list[DetailRow], mode: str = "item") -> None:
        """Replace the pane's rows; links are underlined, evidence is marked.

        The title ("Drill: Unnamed drill (Aug 2014)") goes in the pane's border, on one line:
        as a row it took two or three of the pane's rows to repeat the name row below it.
        """
        self.rows = rows
        self.mode = mode
        self._title = title
        self.border_title = Content(clean(" ".join(title.split())))
        self._fill()
        self.highlighted = 0 if rows else None
        self.scroll_to(y=0, animate=False)

    def _wrap_width(self) -> int:
        """Cells an option's prompt gets: the list's width less each option's padding."""
        padding = self.get_component_styles("option-list--option").padding
        return max(20, self.scrollable_content_region.width - padding.left - padding.right)

    def _fill(self) -> None:
        width = self._wrap_width() if self.scrollable_content_region.width else 40
        self._filled_width = self.scrollable_content_region.width
        labelled = any(row.label for row in self.rows)
        options = [
            Option(row_prompt(row, width, labelled), id=f"row-{n}")
            for n, row in enumerate(self.rows)
        ]
        highlighted = self.highlighted
        self.set_options(options)
        if highlighted is not None and highlighted < len(options):
            self.highlighted = highlighted

    def on_resize(self) -> None:
        if self.rows and self.scrollable_content_region.width != self._filled_width:
            self._fill()

    @property
    def current_row(self) -> DetailRow | None:
        index = self.highlighted
        if index is None or index >= len(self.rows):
            return None
        return self.rows[index]

    def focus_row(self) -> None:
        """Highlight the first row with a link (used after Enter on a paragraph)."""
        for n, row in enumerate(self.rows):
            if row.target is not None:
                self.highlighted = n
                return
