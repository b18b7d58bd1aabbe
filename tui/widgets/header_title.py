"""The header's left part: the briefing's title, then its outlet when there is room for it."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import RenderResult
from textual.content import Content
from textual.widgets import Static

from ..safe_text import clean

SEPARATOR = "  ·  "
OUTLET_AT_LEAST = 12
"""Cells the outlet must get to be shown: fewer leave a stub ("·…") that says nothing."""


class HeaderTitle(Static):
    """Title and outlet; the title is cut (with an ellipsis, by CSS) before the outlet is.

    The outlet is dropped whole when the title leaves it less than `OUTLET_AT_LEAST` cells:
    at about 120 columns the header otherwise ended in "·…".
    """

    def __init__(self, content: Content | str = "", *, id: str | None = None) -> None:
        super().__init__(content, id=id)
        self._parts: tuple[str, str] | None = None

    def set_parts(self, title: str, outlet: str) -> None:
        """Show a title and an outlet (both untrusted: cleaned here)."""
        self._parts = (clean(title), clean(outlet))
        self.refresh()

    @staticmethod
    def assemble(title: str, outlet: str) -> Content:
        """Title and outlet as one line (what a cached first screen keeps: tui/plan.py)."""
        return Content.assemble((clean(title), "bold"), (SEPARATOR, "dim"), clean(outlet))

    def show(self, content: Content) -> None:
        """Show a line made by `assemble`: its bold first span is the title."""
        title = next((s for s in content.spans if s.start == 0 and s.style == "bold"), None)
        plain = content.plain
        if title is None or plain[title.end : title.end + len(SEPARATOR)] != SEPARATOR:
            self._parts = None
            self.update(content)
            return
        self.set_parts(plain[: title.end], plain[title.end + len(SEPARATOR) :])

    def render(self) -> RenderResult:
        if self._parts is None:
            return super().render()
        title, outlet = self._parts
        room = self.content_region.width - cell_len(title) - len(SEPARATOR)
        if room < min(cell_len(outlet), OUTLET_AT_LEAST):
            return Content.styled(title, "bold")
        return Content.assemble((title, "bold"), (SEPARATOR, "dim"), outlet)
