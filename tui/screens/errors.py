"""A briefing that failed validation: every error with its file:line:col, no traceback."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ..safe_text import clean

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ..loader import Diagnostic


class ErrorScreen(Screen[None]):
    """The diagnostics of an invalid briefing."""

    AUTO_FOCUS = "#errors"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
    ]
    DEFAULT_CSS = """
    ErrorScreen #heading { padding: 0 1; background: $error 30%; text-style: bold; }
    ErrorScreen #errors { height: 1fr; }
    """

    def __init__(self, path: Path, diagnostics: list[Diagnostic]) -> None:
        super().__init__()
        self.path = path
        # Errors first (each kind in file order): they are why the briefing does not open,
        # and a changed source can put dozens of "quote moved" warnings before them.
        self.diagnostics = sorted(diagnostics, key=lambda d: d.severity != "error")

    def compose(self) -> ComposeResult:
        errors = sum(d.severity == "error" for d in self.diagnostics)
        warnings = len(self.diagnostics) - errors
        counts = f"{errors} error{'s' if errors != 1 else ''}"
        if warnings:
            counts += f", {warnings} warning{'s' if warnings != 1 else ''}"
        yield Static(
            Content(clean(f"{self.path.name} is not a valid briefing: {counts}")),
            id="heading",
        )
        options = []
        for diagnostic in self.diagnostics:
            style = "bold $error" if diagnostic.severity == "error" else "$warning"
            where = clean(f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}: ")
            options.append(
                Option(
                    Content.assemble(
                        (where, "dim"),
                        (f"{diagnostic.severity}: ", style),
                        clean(diagnostic.message),
                    )
                )
            )
        yield OptionList(*options, id="errors")
        yield Footer()

    def action_cursor(self, direction: str) -> None:
        errors = self.query_one(OptionList)
        errors.action_cursor_down() if direction == "down" else errors.action_cursor_up()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
