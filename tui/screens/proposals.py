"""Proposals: what `tui/drafting.py` found in the source, for the analyst to accept, edit or
reject one by one (issue 14). Nothing proposed enters the briefing until accepted: the screen
only lists, and hands each decision to `decide`, which the workbench supplies."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar, Generic, Protocol, TypeVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..safe_text import clean, clip
from ..sections import TITLES
from ..widgets.key_bar import KeyBar
from .help import HelpScreen

if TYPE_CHECKING:
    from textual.app import ComposeResult

KIND_WIDTH = 12
"""The kind column: the longest kind, organisation, fits."""


class ProposalLike(Protocol):
    """What the screen reads of a `tui.drafting.Proposal`."""

    @property
    def kind(self) -> str: ...
    @property
    def paragraph(self) -> int: ...
    @property
    def words(self) -> str: ...
    @property
    def section(self) -> str: ...
    @property
    def fields(self) -> Mapping[str, object]: ...


P = TypeVar("P", bound=ProposalLike)

# Every key of the screen: (group, keys, action, description, footer label). One table drives
# the bindings, the footer and the help (as KEYS does for the briefing screen). Keys whose
# action is empty belong to the list.
KEYS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Move", "down,j / up,k", "", "Next / previous proposal", ""),
    ("Move", "home,g / end,G", "", "First / last proposal", ""),
    ("Decide", "A", "decide('accept')", "Accept: add it to the briefing as it is", "Accept"),
    ("Decide", "X", "decide('reject')", "Reject: drop it", "Reject"),
    ("Decide", "enter", "decide('edit')", "Edit its fields in the form, then add it", "Edit"),
    ("Other", "?", "help", "Help", "Help"),
    ("Other", "escape", "close", "Close: the proposals left stay for later", "Close"),
)

_MOVES: list[BindingType] = [
    Binding("j", "move(1)", "Down", show=False),
    Binding("k", "move(-1)", "Up", show=False),
    Binding("g", "first", "First", show=False),
    Binding("G", "last", "Last", show=False),
]


class ProposalsScreen(Screen[None], Generic[P]):
    """The proposals left, one a line (kind, ¶N, the words), with the decisions' keys.

    `decide(proposal, "accept" | "edit" | "reject")` returns an error message, shown as a
    notification with the proposal kept, or None: the proposal is decided and leaves the list,
    the cursor staying on the same row. `restore` puts one back (an edit the form cancelled)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(keys, action, footer or description, show=bool(footer), priority=True)
            for _group, keys, action, description, footer in KEYS
            if action
        ),
        *_MOVES,
    ]
    DEFAULT_CSS = """
    ProposalsScreen #title { height: 1; padding: 0 1; text-style: bold; background: $panel; }
    ProposalsScreen OptionList { height: 1fr; border: none; }
    ProposalsScreen #detail { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
    ProposalsScreen #empty { padding: 1 2; }
    ProposalsScreen #empty.-hidden { display: none; }
    """

    def __init__(self, proposals: Sequence[P], decide: Callable[[P, str], str | None]) -> None:
        super().__init__()
        self.proposals: list[P] = list(proposals)
        """The proposals not yet decided, in the order shown."""
        self.decide = decide
        self.decided: list[tuple[P, str]] = []
        """Each decision taken here, in order: (proposal, "accept" | "edit" | "reject")."""
        self._places = {id(p): n for n, p in enumerate(proposals)}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(""), id="title")
            yield OptionList(*(self._option(p) for p in self.proposals), id="list")
            yield Static(Content("No proposals left. Esc closes."), id="empty", classes="-hidden")
            yield Static(Content(""), id="detail")
        yield KeyBar()

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        if self.proposals:
            listing.highlighted = 0
        listing.focus()
        self._refresh()

    @staticmethod
    def _option(proposal: ProposalLike) -> Option:
        """Kind, paragraph and words in columns: words that wrap go on under the words."""
        from rich.table import Table
        from rich.text import Text

        words = clean(clip(" ".join(proposal.words.split()), 300))
        row = Table.grid(padding=(0, 1, 0, 0))
        row.add_column(width=KIND_WIDTH, no_wrap=True)
        row.add_column(width=6, overflow="fold")  # ¶ and 5 digits; more folds, never cut
        row.add_column(ratio=1)
        # Text, never str: a cell given a str would be read as markup.
        row.add_row(
            Text(clean(clip(proposal.kind, KIND_WIDTH)), style="bold"),
            Text(f"¶{proposal.paragraph}", style="dim"),
            Text(words),
        )
        return Option(row)

    def _refresh(self) -> None:
        listing = self.query_one(OptionList)
        count = len(self.proposals)
        word = "proposal" if count == 1 else "proposals"
        title = f"Proposals from the source: {count} {word} left"
        if self.decided:
            title += f", {len(self.decided)} decided"
        self.query_one("#title", Static).update(Content(title))
        self.query_one("#empty").set_class(bool(count), "-hidden")
        listing.display = bool(count)
        self.query_one("#detail", Static).update(self._detail())

    def _detail(self) -> Content:
        proposal = self.current
        if proposal is None:
            return Content("")
        where = TITLES.get(proposal.section, proposal.section.replace("_", " "))
        if proposal.section == "contribution":
            where = "the current drill's contributions"
        shown = ", ".join(
            f"{clean(str(k))}: {clean(clip(_short(v), 40))}" for k, v in proposal.fields.items()
        )
        text = f"A adds it to {where}" + (f" ({clip(shown, 200)})" if shown else "")
        return Content(text + "; Enter edits it first, X rejects it.")

    @property
    def current(self) -> P | None:
        """The highlighted proposal, if any is left."""
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.proposals):
            return None
        return self.proposals[index]

    def on_option_list_option_highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self.query_one("#detail", Static).update(self._detail())

    def action_decide(self, how: str) -> None:
        proposal = self.current
        if proposal is None:
            return
        problem = self.decide(proposal, how)
        if problem is not None:
            self.notify(clean(clip(problem, 300)), severity="error", markup=False)
            return
        self.decided.append((proposal, how))
        listing = self.query_one(OptionList)
        index = self.proposals.index(proposal)
        del self.proposals[index]
        listing.remove_option_at_index(index)
        if self.proposals:
            listing.highlighted = min(index, len(self.proposals) - 1)
        self._refresh()

    def restore(self, proposal: P) -> None:
        """Put a decided proposal back in its place (an edit whose form was cancelled)."""
        if proposal in self.proposals:
            return
        self.decided = [(p, how) for p, how in self.decided if p is not proposal]
        place = self._places.get(id(proposal), len(self.proposals))
        index = sum(1 for p in self.proposals if self._places.get(id(p), 0) < place)
        self.proposals.insert(index, proposal)
        listing = self.query_one(OptionList)
        listing.add_option(self._option(proposal))
        # OptionList appends: rebuild the order when it does not go last.
        if index != len(self.proposals) - 1:
            listing.clear_options()
            listing.add_options([self._option(p) for p in self.proposals])
        listing.highlighted = index
        self._refresh()

    def action_move(self, step: int) -> None:
        listing = self.query_one(OptionList)
        if step > 0:
            listing.action_cursor_down()
        else:
            listing.action_cursor_up()

    def action_first(self) -> None:
        self.query_one(OptionList).action_first()

    def action_last(self) -> None:
        self.query_one(OptionList).action_last()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(KEYS))

    def action_close(self) -> None:
        self.dismiss(None)


def _short(value: object) -> str:
    if isinstance(value, Mapping):
        reported = value.get("reported")
        if isinstance(reported, str):
            return reported
        return " ".join(str(v) for v in value.values())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
