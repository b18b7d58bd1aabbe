"""A briefing that failed validation: every error with its file:line:col, no traceback."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..safe_text import clean
from .listing import ListScreen

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ..loader import Diagnostic


class ErrorScreen(ListScreen):
    """The diagnostics of an invalid briefing."""

    AUTO_FOCUS = "#errors"
    LIST = "errors"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "app.quit", "Quit")]
    DEFAULT_CSS = """
    ErrorScreen #heading { background: $error 30%; }
    """

    def __init__(self, path: Path, diagnostics: list[Diagnostic]) -> None:
        super().__init__()
        self.path = path
        # Errors first (each kind in file order): they are why the briefing does not open,
        # and a changed source can put dozens of "quote moved" warnings before them.
        self.diagnostics = sorted(diagnostics, key=lambda d: d.severity != "error")

    def heading(self) -> str:
        errors = sum(d.severity == "error" for d in self.diagnostics)
        warnings = len(self.diagnostics) - errors
        counts = f"{errors} error{'s' if errors != 1 else ''}"
        if warnings:
            counts += f", {warnings} warning{'s' if warnings != 1 else ''}"
        return f"{self.path.name} is not a valid briefing: {counts}"

    def body(self) -> ComposeResult:
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
        yield OptionList(*options, id="errors", classes="listing")
