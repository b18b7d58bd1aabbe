"""The scaffold of the screens that are a list: the library, the party pivot, the search of
all briefings and a briefing's errors.

Each is a heading, what the screen puts under it (a box to type in, a help line, its list),
and the footer; j and k move the list, Escape goes back. A screen gives its body and its list
and keeps only what differs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from ..safe_text import INPUT_ALLOWED, clean
from ..widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.widgets import DataTable


class ListScreen(Screen[None]):
    """A heading, the screen's body, a footer; j and k move the list (its id in LIST)."""

    LIST: ClassVar[str]
    """The id of the list j and k move."""
    CURSOR_NEEDS_FOCUS: ClassVar[bool] = False
    """j and k move the list only while it has the focus (else a box to type in has it)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
    ]
    DEFAULT_CSS = """
    ListScreen #heading { padding: 0 1; text-style: bold; background: $panel; }
    ListScreen #help { padding: 0 1; color: $text-muted; height: auto; }
    ListScreen .listing { height: 1fr; }
    """

    def heading(self) -> str:
        """The heading's first text (cleaned when shown)."""
        return ""

    def body(self) -> ComposeResult:
        """What stands between the heading and the footer, the list among it."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield Static(Content(clean(self.heading())), id="heading")
        yield from self.body()
        yield KeyBar()

    def set_heading(self, text: str) -> None:
        self.query_one("#heading", Static).update(Content(clean(text)))

    def action_cursor(self, direction: str) -> None:
        listing = cast("OptionList | DataTable[Any]", self.query_one(f"#{self.LIST}"))
        if self.CURSOR_NEEDS_FOCUS and not listing.has_focus:
            return
        listing.action_cursor_down() if direction == "down" else listing.action_cursor_up()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:  # the first screen has nothing to go back to
            self.app.pop_screen()


def typing_box(box_id: str, placeholder: str, value: str = "", kind: type[Input] = Input) -> Input:
    """The box a list screen is typed in: no markup, no escape sequences (INPUT_ALLOWED), and
    no select-all on focus (the next character typed would replace what is there)."""
    return kind(
        value=value,
        placeholder=placeholder,
        id=box_id,
        select_on_focus=False,
        restrict=INPUT_ALLOWED,
    )


class QueryScreen(ListScreen):
    """A box to type in, a help line and the list of what it finds, updated as one types;
    Enter or Down in the box goes to the list."""

    INPUT: ClassVar[str]
    """The id of the box."""
    PLACEHOLDER: ClassVar[str] = ""
    HELP_LINE: ClassVar[str] = ""
    CURSOR_NEEDS_FOCUS = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_list", "List", show=False),
    ]

    def __init__(self, initial: str = "") -> None:
        super().__init__()
        self.initial = initial

    def body(self) -> ComposeResult:
        yield typing_box(self.INPUT, self.PLACEHOLDER, self.initial)
        yield Static(Content(self.HELP_LINE), id="help")
        yield OptionList(id=self.LIST, classes="listing")

    def update(self, text: str) -> None:
        """List what text finds."""
        raise NotImplementedError

    def has_rows(self) -> bool:
        """Whether the list has a row to go to."""
        raise NotImplementedError

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input.id == self.INPUT:
            self.update(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == self.INPUT:
            self.action_to_list()

    def action_to_list(self) -> None:
        if self.has_rows():
            self.query_one(f"#{self.LIST}", OptionList).focus()

    def action_focus_input(self) -> None:
        self.query_one(f"#{self.INPUT}", Input).focus()
