"""Export from the reader: the selected item to the clipboard, or the whole briefing to a file."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from textual.app import ComposeResult

# (choice id, what it does): the ids are what the screen returns.
CHOICES: tuple[tuple[str, str], ...] = (
    ("item", "Copy this item as Markdown, quotes footnoted (clipboard)"),
    ("markdown", "Save the briefing as Markdown"),
    ("json", "Save the briefing as JSON, every anchor resolved"),
    ("stix", "Save the briefing as a STIX 2.1 bundle"),
)


class ExportScreen(ModalScreen[str | None]):
    """Pick what to export; returns the choice, or None when closed."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > OptionList {
        width: 64; max-width: 100%; height: auto;
        border: round $accent; background: $surface;
    }
    """

    def compose(self) -> ComposeResult:
        options = OptionList(*(Option(Content(text), id=key) for key, text in CHOICES))
        options.border_title = "Export"
        options.border_subtitle = "Enter to choose · Esc to close"
        yield options

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
