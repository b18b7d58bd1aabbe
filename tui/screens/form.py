"""The item form and the section picker: keyboard-only modals of the workbench (issue 14).

`ItemForm` asks for an item's fields as `tui/forms.py` derives them from the schema: Tab and
Shift+Tab move between fields, Enter saves when the model accepts the values (else each error
shows beside its field), Esc cancels. Every value, label and choice is drawn as Content, never
as markup, and cleaned of control characters: a briefing's names cannot style or escape the
terminal.

`SectionPicker` asks which section a new item goes to (or a contribution to the current
drill), for the workbench's `c`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..forms import FieldSpec, answer_of, propose_id, specs_for, values_from
from ..safe_text import INPUT_ALLOWED, clean, clip
from ..schema import SCHEMA_VERSION
from ..sections import SECTIONS

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ..schema import Party

# The form's keys. One table drives the bindings and the key line; the fields' own keys
# (typing, Left/Right on a choice, Space on a list) are listed with an empty action. No key of
# the form or of a field is a printable letter: a letter is always typed (in a choice, it jumps).
FORM_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("tab", "app.focus_next", "Next field", "tab next"),
    ("shift+tab", "app.focus_previous", "Previous field", "shift+tab back"),
    ("left,right", "", "Change a choice (or type its first letter)", "←→ choose"),
    ("space", "", "Tick or untick a party in a list", "space tick"),
    ("enter", "submit", "Save", "enter save"),
    ("escape", "cancel", "Cancel", "esc cancel"),
)
"""(keys, action, description, hint on the form's key line)."""

MOVES = ("tab", "shift+tab")
"""The keys that change which field the next keys go to (priority bindings: see ItemForm)."""

OWN_KEYS = frozenset({"tab", "shift+tab", "enter", "escape"})
"""The form's keys: a field never takes them."""


class KeysInTurn:
    """A field that runs its own key bindings as it takes each key from its queue, in the
    order typed, the way it inserts a typed character.

    Textual runs a widget's bindings only when the key has bubbled up to the app, and then for
    the widget focused at that moment: a character typed just after `home` was inserted before
    the cursor moved, and after Tab the keys bound in the field just left ran in the next."""

    async def _on_key(self, event: events.Key) -> None:
        # A mixin, not a Widget subclass: Textual reads CSS and component classes along the
        # class chain, and an empty Widget before OptionList would hide them.
        widget = cast("Widget", self)
        if event.key in OWN_KEYS:
            return
        for binding in widget._bindings.key_to_bindings.get(event.key, ()):
            if await widget.app.run_action(binding.action, widget):
                event.stop()
                event.prevent_default()  # the widget's own handling of the key is done
                return


LABEL_FIELDS = ("name", "title", "text")
"""The fields whose words the id is proposed from, while the id is not typed by hand."""


class ChoiceField(KeysInTurn, Widget, can_focus=True):
    """One choice of several, on one line: Left/Right (or Space) step through them, a typed
    letter or digit jumps to the next choice that starts with it (so that a repeated letter
    cycles through those choices). No letter is bound to a motion: `h` jumps to "held"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,space", "step(1)", "Next choice", show=False),
        Binding("left", "step(-1)", "Previous choice", show=False),
        Binding("home", "first", "First choice", show=False),
        Binding("end", "last", "Last choice", show=False),
    ]
    DEFAULT_CSS = """
    ChoiceField { height: 1; width: 1fr; padding: 0 1; background: $boost; }
    ChoiceField:focus { background: $accent 30%; }
    """
    index: reactive[int] = reactive(0)

    def __init__(
        self, choices: Sequence[tuple[str, str]], value: str, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.choices = [(key, clean(clip(label, 100))) for key, label in choices]
        keys = [key for key, _label in self.choices]
        self.set_reactive(ChoiceField.index, keys.index(value) if value in keys else 0)

    @property
    def value(self) -> str:
        return self.choices[self.index][0] if self.choices else ""

    def render(self) -> Content:
        if not self.choices:
            return Content("")
        label = self.choices[self.index][1]
        where = f"  {self.index + 1}/{len(self.choices)}"
        # Focus shows in the text's style as well as the background: it survives NO_COLOR.
        style = "bold reverse" if self.has_focus else "bold"
        return Content.assemble(("◂ ", "dim"), (label, style), (" ▸", "dim"), (where, "dim"))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_step(self, step: int) -> None:
        if self.choices:
            self.index = (self.index + step) % len(self.choices)

    def action_first(self) -> None:
        self.index = 0

    def action_last(self) -> None:
        self.index = max(0, len(self.choices) - 1)

    def on_key(self, event: events.Key) -> None:
        letter = event.character
        if letter is None or not letter.isalnum():
            return
        # A letter is typed, never passed on (no binding may take it), even when no choice
        # starts with it.
        event.stop()
        starts = [
            n
            for n, (key, label) in enumerate(self.choices)
            if key.lower().startswith(letter.lower()) or label.lower().startswith(letter.lower())
        ]
        if not starts:
            return
        if self.index in starts:  # the letter again: the next choice with it, round to the first
            self.index = starts[(starts.index(self.index) + 1) % len(starts)]
        else:
            self.index = starts[0]


class PartiesField(KeysInTurn, OptionList):
    """Several parties: Up/Down move, Space ticks or unticks; the value lists the ticked ones
    in the order they were ticked. A tick is drawn as "[x]", not only as colour."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "tick", "Tick or untick", show=False),
    ]
    DEFAULT_CSS = """
    PartiesField { height: auto; max-height: 6; width: 1fr; scrollbar-size-vertical: 1; }
    """

    def __init__(self, spec: FieldSpec, *, id: str | None = None) -> None:
        value = spec.value if isinstance(spec.value, list) else []
        self.ticked: list[str] = [v for v in value if isinstance(v, str)]
        self.names = dict(spec.choices)
        # The ticked parties first, in their order: the list's order is the value's.
        order = self.ticked + [key for key, _label in spec.choices if key not in self.ticked]
        super().__init__(*(Option(self._prompt(key), id=key) for key in order), id=id, compact=True)

    def _prompt(self, key: str) -> Content:
        box = "[x] " if key in self.ticked else "[ ] "
        return Content.assemble(box, _choice_label(self.names.get(key, key), key))

    @property
    def selected(self) -> list[str]:
        return list(self.ticked)

    def action_tick(self) -> None:
        if self.highlighted is None:
            return
        key = self.get_option_at_index(self.highlighted).id or ""
        if key in self.ticked:
            self.ticked.remove(key)
        else:
            self.ticked.append(key)
        self.replace_option_prompt(key, self._prompt(key))

    def action_select(self) -> None:
        # Enter is the form's (save), in its turn after the keys before it.
        raise SkipAction()


class FieldInput(KeysInTurn, Input):
    """A text field whose Enter is the form's: it saves, in its turn after the keys before it."""

    async def action_submit(self) -> None:
        raise SkipAction()


def _choice_label(name: str, key: str) -> Content:
    return Content.assemble(clean(clip(name, 80)), (f" ({clean(clip(key, 40))})", "dim"))


class ItemForm(ModalScreen[dict[str, object] | None]):
    """The fields of an item of `kind`, starting from `values`; dismissed with the checked
    values or None when cancelled.

    The values dismissed hold every key the item is to have: what the form shows, as
    answered (an emptied optional field is absent), and what it keeps as it was given (the
    evidence, claims, a drill's contributions). Evidence is not asked for: a new item's comes
    from the selection. `taken` is every id of the briefing; `version` the file's format."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter saves from any field (the fields skip their own Enter). Not a priority binding:
        # the app runs those as soon as it reads the key, while the keys before it still wait
        # in the focused field's queue, so Enter saved before a Space's tick was applied.
        # Tab and Shift+Tab are: the app sends each key to the field focused when it reads
        # it, so the focus must move then, for the keys after them to reach the next field.
        Binding(keys, action, description, show=False, priority=keys in MOVES)
        for keys, action, description, _hint in FORM_KEYS
        if action
    ]
    DEFAULT_CSS = """
    ItemForm { align: center middle; }
    ItemForm > #form {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ItemForm #fields { height: auto; scrollbar-size-vertical: 1; }
    ItemForm .row { height: auto; }
    ItemForm .label { width: 22; padding-right: 1; }
    ItemForm .label.-required { text-style: bold; }
    ItemForm Input { width: 1fr; }
    ItemForm .error { color: $text-error; padding-left: 22; height: auto; }
    ItemForm .error.-hidden { display: none; }
    ItemForm #problem { color: $text-error; height: auto; }
    ItemForm #problem.-hidden { display: none; }
    ItemForm #help { height: 3; color: $text-muted; border-top: solid $primary 50%; }
    ItemForm #keys { height: 1; color: $text-muted; }
    """

    def __init__(
        self,
        title: str,
        kind: str,
        values: Mapping[str, object],
        parties: Sequence[Party],
        *,
        taken: Collection[str] = (),
        version: int = SCHEMA_VERSION,
    ) -> None:
        super().__init__()
        self.form_title = title
        self.kind = kind
        self.taken = set(taken)
        self.used_ids = self.taken | {p.id for p in parties}
        self.specs = specs_for(kind, values, parties, taken=self.taken, version=version)
        self.shown = [s for s in self.specs if s.kind != "kept"]
        self._by_widget: dict[str, FieldSpec] = {}
        # Text shown cleaned (a line break as a space, an escape as ␛) and the value it stands
        # for: left as shown, the field answers the value, so that saving changes nothing.
        self._originals: dict[str, tuple[str, str]] = {}
        # The id follows the name while the user has not typed one and the item had none.
        self._id_follows = "id" in (s.name for s in self.shown) and not values.get("id")
        self.errors: dict[str, str] = {}

    # --- building -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form") as box:
            box.border_title = clean(clip(self.form_title, 80))
            box.border_subtitle = "* required"
            with VerticalScroll(id="fields"):
                for n, spec in enumerate(self.shown):
                    widget_id = f"field-{n}"
                    self._by_widget[widget_id] = spec
                    with Horizontal(classes="row"):
                        label = clean(spec.label) + (" *" if spec.required else "")
                        classes = "label -required" if spec.required else "label"
                        yield Static(Content(label), classes=classes)
                        yield self._widget(spec, widget_id)
                    yield Static(Content(""), id=f"error-{n}", classes="error -hidden")
            yield Static(Content(""), id="problem", classes="-hidden")
            yield Static(Content(""), id="help")
            parts: list[str | tuple[str, str]] = []
            for row in FORM_KEYS:
                key, _space, what = row[3].partition(" ")
                parts += [(key, "bold"), f" {what}  "]
            yield Static(Content.assemble(*parts).rstrip(), id="keys")

    def _widget(self, spec: FieldSpec, widget_id: str) -> Widget:
        answer = answer_of(spec)
        if spec.kind in ("choice", "flag", "party"):
            choices = list(spec.choices)
            if spec.kind != "flag":
                choices.insert(0, ("", "—"))
            if answer not in (key for key, _label in choices):
                # A value the choices lack (an id no party has) stays, to be seen and fixed:
                # stepping to "—" in its place would drop it unseen.
                what = "not a party of this briefing" if spec.kind == "party" else "not a choice"
                choices.append((answer, f"{answer} ({what})"))
            return ChoiceField(choices, answer, id=widget_id)
        if spec.kind == "parties":
            return PartiesField(spec, id=widget_id)
        placeholder = {
            "date": "YYYY, YYYY-MM or YYYY-MM-DD",
            "number": "a number: 1000 or 7.5",
            "integer": "a whole number",
            "ids": "ids, separated by commas",
            "texts": "separated by ;",
        }.get(spec.kind, "")
        shown = clean(answer)
        if shown != answer:
            self._originals[widget_id] = (shown, answer)
        return FieldInput(
            shown,
            placeholder=placeholder,
            restrict=INPUT_ALLOWED,
            id=widget_id,
            compact=True,
        )

    def on_resize(self) -> None:
        # The help and the key line stay in view; the fields scroll in what is left.
        fields = self.query_one("#fields")
        fields.styles.max_height = max(3, self.size.height - 7)

    def on_mount(self) -> None:
        self.on_resize()
        answers = self.answers()
        # An id that follows the name is filled by typing the name: start on what is not.
        start = next(
            (
                w
                for w, s in self._by_widget.items()
                if s.required
                and not answers.get(s.name)
                and not (s.name == "id" and self._id_follows and self._label_field())
            ),
            next(iter(self._by_widget), None),
        )
        if start is not None:
            self.query_one(f"#{start}").focus()

    # --- reading --------------------------------------------------------------------------

    def answers(self) -> dict[str, str]:
        """The text of every shown field, as values_from reads it."""
        found: dict[str, str] = {}
        for widget_id, spec in self._by_widget.items():
            widget = self.query_one(f"#{widget_id}")
            if isinstance(widget, Input):
                shown, original = self._originals.get(widget_id, (None, ""))
                found[spec.name] = original if widget.value == shown else widget.value
            elif isinstance(widget, ChoiceField):
                found[spec.name] = widget.value
            elif isinstance(widget, PartiesField):
                found[spec.name] = ", ".join(widget.selected)
        return found

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        spec = self._by_widget.get(event.widget.id or "")
        if spec is not None:
            self.query_one("#help", Static).update(Content(spec.help or " "))

    def on_input_changed(self, event: Input.Changed) -> None:
        spec = self._by_widget.get(event.input.id or "")
        if spec is None or not self._id_follows:
            return
        if spec.name == "id":
            if event.value != self._proposed_id():
                self._id_follows = False  # typed by hand: the name no longer sets it
        elif spec.name in LABEL_FIELDS:
            self._set_id(propose_id(event.value, self.used_ids) if event.value.strip() else "")

    def _label_field(self) -> str | None:
        """The field the id is proposed from, if the form has one."""
        return next((s.name for s in self.shown if s.name in LABEL_FIELDS), None)

    def _proposed_id(self) -> str:
        answers = self.answers()
        label = next((answers[f] for f in LABEL_FIELDS if answers.get(f, "").strip()), "")
        return propose_id(label, self.used_ids) if label.strip() else ""

    def _set_id(self, value: str) -> None:
        for widget_id, spec in self._by_widget.items():
            if spec.name == "id":
                self.query_one(f"#{widget_id}", Input).value = value

    # --- actions --------------------------------------------------------------------------

    def action_submit(self) -> None:
        values, errors = values_from(self.kind, self.specs, self.answers(), taken=self.taken)
        self.show_errors(errors)
        if not errors:
            self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Each error beside its field (a group's by its first sub-field); one not on a field
        above the help; focus on the first field in error."""
        self.errors = dict(errors)
        placed: set[str] = set()
        first: Widget | None = None
        for n, spec in enumerate(self.shown):
            group = spec.name.partition(".")[0] if "." in spec.name else None
            message = errors.get(spec.name)
            if message is None and group is not None and group not in placed:
                message = errors.get(group)
                if message is not None:
                    placed.add(group)
            line = self.query_one(f"#error-{n}", Static)
            if message:
                line.update(Content("↑ " + clean(message)))
                line.remove_class("-hidden")
                if first is None:
                    first = self.query_one(f"#field-{n}")
            else:
                line.update(Content(""))
                line.add_class("-hidden")
        # What is not on a shown field (the item as a whole, a field the form keeps as it is)
        # shows above the help, so that Enter never fails without a word.
        shown = {s.name for s in self.shown} | {s.name.partition(".")[0] for s in self.shown}
        others = [
            (f"{name}: " if name else "") + message
            for name, message in errors.items()
            if name not in shown
        ]
        problem = self.query_one("#problem", Static)
        problem.update(Content(clean("; ".join(others))))
        problem.set_class(not others, "-hidden")
        if first is not None:
            first.focus()


class SectionPicker(ModalScreen[str | None]):
    """Which kind of item to create: a section of the briefing, or (when a drill is current)
    a contribution to it. Dismissed with the section key or "contribution", None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False),
    ]
    DEFAULT_CSS = """
    SectionPicker { align: center middle; }
    SectionPicker > OptionList {
        width: 44; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface;
    }
    """

    def __init__(self, *, contribution: bool = True, title: str = "New item in") -> None:
        super().__init__()
        self.contribution = contribution
        self.picker_title = title

    def compose(self) -> ComposeResult:
        options = [
            Option(Content.assemble((f"{n} ", "dim"), s.singular), id=s.key)
            for n, s in enumerate(SECTIONS, 1)
        ]
        if self.contribution:
            options.append(Option(Content("Contribution to the current drill"), id="contribution"))
        picker = OptionList(*options)
        picker.border_title = clean(self.picker_title)
        yield picker

    def on_key(self, event: events.Key) -> None:
        # A section's number picks it at once, as the reader's number keys jump to it.
        if event.character and event.character.isdigit():
            n = int(event.character)
            if 1 <= n <= len(SECTIONS):
                event.stop()
                self.dismiss(SECTIONS[n - 1].key)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
