"""Help: every key of the reader, grouped."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
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
        Binding("g,home", "top", "First", show=False),
        Binding("G,end", "bottom", "Last", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
    ]
    # A key and its description side by side, so a description too long for its line wraps
    # under itself, not under the keys.
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        scrollbar-size-vertical: 1;
        border: round $accent; background: $surface; padding: 0 1;
    }
    HelpScreen .group { text-style: bold; color: $text-accent; }
    HelpScreen .group.-later { margin-top: 1; }
    HelpScreen .key-row { height: auto; }
    HelpScreen .keys { width: 24; padding-left: 2; text-style: bold; }
    HelpScreen .what { width: 1fr; }
    HelpScreen .closing { margin-top: 1; text-style: dim; }
    """

    def __init__(self, keys: tuple[KeyRow, ...]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        group = ""
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            for name, keys, _action, description, _footer in self.keys:
                if name != group:
                    classes = "group -later" if group else "group"
                    group = name
                    yield Static(Content(name), classes=classes)
                with Horizontal(classes="key-row"):
                    yield Static(Content(key_names(keys)), classes="keys")
                    yield Static(Content(description), classes="what")
            yield Static(Content("Esc or ? closes this help."), classes="closing")

    def action_scroll(self, step: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=step, animate=False)

    def action_top(self) -> None:
        self.query_one(VerticalScroll).scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.query_one(VerticalScroll).scroll_end(animate=False)

    def action_page(self, direction: int) -> None:
        scroll = self.query_one(VerticalScroll)
        step = max(1, scroll.scrollable_content_region.height - 1)
        scroll.scroll_relative(y=direction * step, animate=False)
