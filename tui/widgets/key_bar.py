"""The key bar at the bottom of a screen: the keys the focused pane answers, in one widget."""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from textual import events
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget


class _Key(NamedTuple):
    start: int
    end: int
    key: str
    enabled: bool


class KeyBar(Widget, can_focus=False):
    """What Textual's Footer shows, drawn as one line of one widget.

    Footer makes a widget for every key and composes them all again whenever the bindings
    change, which is at every change of focus: at start-up its two compositions of eight keys
    were 13 ms of the reader's first frame, and with it a reopened briefing's useful screen came
    at 1.8x a bare Textual app, without it at 1.5x. This bar only repaints: a change of focus
    costs one line. A click on a key presses it, as on Footer; a key its pane cannot take now
    is dimmed.
    """

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--palette-rule {
            color: $foreground 20%;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--palette-rule",
    }

    show_command_palette = reactive(True)
    """Show the command palette's key on the right, as Footer does."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: list[_Key] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def render(self) -> Content:
        width = self.size.width
        parts, palette = self._line()
        room = width if palette is None else max(0, width - palette.cell_length)
        # Whole keys only: a key cut at the edge ("? H") reads as another key.
        self._keys, shown, at = [], [], 0
        for key, enabled, part in parts:
            if at + part.cell_length > room:
                break
            self._keys.append(_Key(at, at + part.cell_length, key, enabled))
            shown.append(part)
            at += part.cell_length
        line = Content("").join(shown)
        if palette is None:
            return line
        self._keys.append(_Key(room, width, self.app.COMMAND_PALETTE_BINDING, True))
        return (line.truncate(room, pad=True) + palette).truncate(width)

    def _line(self) -> tuple[list[tuple[str, bool, Content]], Content | None]:
        """Each shown key, whether it is enabled, and its label; the command palette's label."""
        key_style = Style.from_rich_style(self.get_component_rich_style("key-bar--key"))
        text_style = Style.from_rich_style(self.get_component_rich_style("key-bar--description"))
        parts: list[tuple[str, bool, Content]] = []
        palette: Content | None = None
        palette_key = self.app.COMMAND_PALETTE_BINDING
        actions: set[str] = set()
        for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if key == palette_key and self.app.ENABLE_COMMAND_PALETTE:
                if self.show_command_palette:
                    rule = Style.from_rich_style(
                        self.get_component_rich_style("key-bar--palette-rule")
                    )
                    palette = Content.assemble(
                        ("▏", rule),
                        (self.app.get_key_display(binding), key_style),
                        (f" {binding.description} ", text_style),
                    )
                continue
            if not binding.show or binding.action in actions:
                continue  # keys of one action show once, as the first (Footer's rule)
            actions.add(binding.action)
            part = Content.assemble(
                (f" {self.app.get_key_display(binding)} ", key_style),
                (f"{binding.description} ", text_style),
            )
            if not enabled:
                part = part.stylize(Style(dim=True))
            parts.append((binding.key, enabled, part))
        return parts, palette

    def on_click(self, event: events.Click) -> None:
        for key in self._keys:
            if key.start <= event.x < key.end:
                if key.enabled:
                    self.app.simulate_key(key.key)
                else:
                    self.app.bell()
                return
