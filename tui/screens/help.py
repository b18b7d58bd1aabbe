"""Help: every key of the reader, grouped."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import ComposeResult

KeyRow = tuple[str, str, str, str, str]


def key_names(keys: str) -> str:
    """'backspace,alt+left' -> 'backspace, alt+left'."""
    return keys.replace(",", ", ")


class HelpScreen(ModalScreen[None]):
    """Every binding of the briefing screen, by group."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, keys: tuple[KeyRow, ...]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        parts: list[Content | str | tuple[str, str]] = []
        group = ""
        for name, keys, _action, description, _footer in self.keys:
            if name != group:
                group = name
                parts.append(("\n" if parts else "") + "")
                parts.append((f"{name}\n", "bold $text-accent"))
            parts.append((f"  {key_names(keys):<22}", "bold"))
            parts.append(f"{description}\n")
        parts.append(("\nEsc or ? closes this help.", "dim"))
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            yield Static(Content.assemble(*parts))

    def action_scroll(self, step: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=step, animate=False)
