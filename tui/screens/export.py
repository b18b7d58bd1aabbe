"""Export from the reader: the selected item to the clipboard, or the whole briefing to a file."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..safe_text import INPUT_ALLOWED, clean

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


class SaveScreen(ModalScreen[str | None]):
    """Ask where to save: an input prefilled with a default path; Enter saves, Esc cancels.

    Returns the path as typed (tui/saving.py says where it is and what is refused)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    SaveScreen { align: center middle; }
    SaveScreen > Vertical {
        width: 76; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    SaveScreen #where { color: $text-muted; }
    """

    def __init__(self, what: str, default: str, folder: str) -> None:
        super().__init__()
        self.what = what
        self.default = default
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"Save {self.what}"
            box.border_subtitle = "Enter to save · Esc to cancel"
            yield Static(Content(clean(f"A path, or a file name in {self.folder}:")), id="where")
            yield Input(
                value=clean(self.default),
                id="path",
                restrict=INPUT_ALLOWED,
                select_on_focus=False,
            )

    @on(Input.Submitted, "#path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)
