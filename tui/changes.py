"""What each edit-mode change does to a briefing's text: pure functions from the current text,
the loaded briefing and the user's choice to a new text (or the values to write) and a label.

Edit mode (tui/screens/edit.py) gathers keys, shows forms and calls these; every decision it
makes about a briefing lives here so that a test reaches it without a screen. Nothing here
imports Textual (tests/test_layers.py), and nothing here writes a file: a change is a text
made by tui/yaml_edit.py, which tui/editing.py's session validates and writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .safe_text import clip
from .sections import SINGULAR

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping, Sequence

    from .drafting import Proposal
    from .loader import Loaded
    from .schema import Party
    from .source import SourceText

NEED_A_DRILL = "a count is a drill's contribution: select the drill first (3, then j/k)"
"""Said when a contribution is asked for while no drill is shown: it has nowhere to go."""


# --- the briefing as written -------------------------------------------------------------------


def taken_ids(loaded: Loaded | None) -> set[str]:
    """Every item id in the briefing, whatever its section: ids are one namespace (a reference
    names an id without its section), so a new one must differ from all of them."""
    if loaded is None:
        return set()
    return {item.id for _where, item in loaded.briefing.items()}


def new_id(base: str, taken: Collection[str]) -> str:
    """A free id made from base (a name, a section): its slug, then `-2`, `-3`... until it
    differs from every id taken."""
    from .schema import slugify

    stem = slugify(base)[:40].strip("-") or "item"
    if stem not in taken:
        return stem
    n = 2
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def raw_item(text: str, section: str, item_id: str) -> dict[str, Any]:
    """The item as written (plain data, not the model's defaults), so a form shows exactly what
    is there and a change compares against it; {} when the text has no such item."""
    from . import strict_yaml

    data, _positions = strict_yaml.load(text)
    for entry in data.get(section) or []:
        if isinstance(entry, dict) and entry.get("id") == item_id:
            return dict(entry)
    return {}


def raw_source(text: str, source_id: str) -> dict[str, Any] | None:
    """The source's entry as written, for its form; None when the text has none of that id."""
    from . import strict_yaml

    data, _positions = strict_yaml.load(text)
    return next(
        (
            dict(entry)
            for entry in data.get("sources") or []
            if isinstance(entry, dict) and entry.get("id") == source_id
        ),
        None,
    )


def raw_header(text: str) -> dict[str, Any]:
    """The briefing's own fields as written (those the header form shows)."""
    from . import strict_yaml
    from .forms import HEADER_KINDS

    data, _positions = strict_yaml.load(text)
    fields = HEADER_KINDS["briefing"][1]
    return {key: data[key] for key in fields if key in data}


def item_lines(text: str, section: str, item_id: str) -> tuple[int, int] | None:
    """The item's first and last lines in text (1-based), or None when they cannot be found:
    the item's errors are shown by these lines, and $EDITOR opens at the first."""
    from .yaml_edit import EditError
    from .yaml_edit import item_lines as lines

    try:
        return lines(text, section, item_id)
    except (EditError, KeyError, ValueError):
        return None


def evidence_count(text: str, section: str, item_id: str) -> int:
    """How many pieces of evidence the item itself writes: an entry appended lands at this
    index, and one shown past it belongs to a claim or attribution, not to the item's list."""
    return len(raw_item(text, section, item_id).get("evidence") or [])


def current_drill(section_of: Mapping[str, str], item_id: str | None) -> str | None:
    """The drill a contribution goes to: the item shown when it is a drill, else none."""
    if item_id is not None and section_of.get(item_id) == "drills":
        return item_id
    return None


# --- a new item from selected words ------------------------------------------------------------


def labelled(kind: str, values: Mapping[str, object]) -> bool:
    """Whether the form will propose the item's id: from a label it has, or one the model
    requires (typed in the form)."""
    from .schema import MODELS

    fields = MODELS[kind].model_fields
    return any(
        values.get(name) or (name in fields and fields[name].is_required())
        for name in ("name", "title", "text")
    )


def prefilled(
    kind: str, words: str, anchor: Mapping[str, object], loaded: Loaded | None
) -> dict[str, object]:
    """What the selected words say of a new item (tui/prefill.py), with the selection as its
    evidence. A grade is asked for by the form; `plainly` is offered, as the item comes from
    words the source states. A contribution carries neither: the drill holds the evidence."""
    from .prefill import prefill

    parties: list[Party] = [] if loaded is None else list(loaded.briefing.parties)
    published = None
    if loaded is not None:
        date = loaded.briefing.sources[0].published
        published = date.value if date is not None else None
    values = prefill(kind, words, parties, published=published)
    if kind in SINGULAR:  # an item, not a contribution: it carries evidence and a grade
        version = loaded.briefing.schema_version if loaded is not None else 2
        values.setdefault(
            "stated" if version >= 2 else "confidence", "plainly" if version >= 2 else "high"
        )
        values["evidence"] = [dict(anchor)]
        if not labelled(kind, values):
            # Nothing the form could propose an id from (a drill, which may be unnamed, or a
            # relationship): the words. A title still to be typed proposes its own.
            from .forms import propose_id

            values["id"] = propose_id(words, taken_ids(loaded))
    return values


def item_from(
    kind: str,
    values: Mapping[str, object],
    anchor: Mapping[str, object] | None,
    words: str,
    taken: Collection[str],
) -> dict[str, object]:
    """An item to write: its id first (made from its name if the form gave none), its fields,
    then its evidence (the selection's anchor unless the form gave some), last as the bundled
    briefing writes it."""
    fields = dict(values)
    given = fields.pop("id", None)
    base = str(fields.get("name") or fields.get("text") or words or SINGULAR.get(kind, kind))
    item_id = str(given) if given else new_id(clip(base, 40), taken)
    item: dict[str, object] = {"id": item_id, **fields}
    if "evidence" not in item and anchor is not None:
        item["evidence"] = [dict(anchor)]
    elif "evidence" in item:
        item["evidence"] = item.pop("evidence")
    return item


def cites(
    source: SourceText | None,
    loaded: Loaded | None,
    item_id: str,
    anchor: Mapping[str, object],
) -> bool:
    """Whether one of the item's quotes already holds the anchored words (in source, the one
    shown): a contribution's reported words must stand inside one of its drill's quotes, and
    a quote that already holds them needs no second."""
    if loaded is None or source is None:
        return False
    from .schema import Anchor
    from .source import ResolveError

    try:
        words = source.resolve(Anchor.model_validate(dict(anchor)))
    except (ResolveError, ValueError):
        return False
    shown = source_id(loaded, source)
    return any(
        evidence.source == shown
        and evidence.span is not None
        and evidence.span.paragraph == words.paragraph
        and evidence.span.start <= words.start
        and words.end <= evidence.span.end
        for evidence in loaded.evidence.get(item_id, [])
    )


def source_id(loaded: Loaded, source: SourceText) -> str | None:
    """The id of the briefing's source whose text this is: a selection's words are in the
    source shown, which in a briefing of several sources need not be the first, and a quote
    of another source with the same paragraph and offsets is other words."""
    return next((key for key, text in loaded.sources.items() if text is source), None)


def add_contribution(
    text: str,
    drill: str,
    values: Mapping[str, object],
    anchor: Mapping[str, object],
    *,
    cited: bool,
) -> str:
    """The text with a contribution added to the drill; unless the drill already cites the
    words (cited, from `cites`), the selection is added to its evidence too, as a
    contribution's reported words must stand inside one of the drill's quotes."""
    from .yaml_edit import add_entry

    text = add_entry(text, "drills", drill, "contributions", dict(values))
    if not cited:
        text = add_entry(text, "drills", drill, "evidence", dict(anchor))
    return text


def add_new_item(text: str, kind: str, item: Mapping[str, object]) -> str:
    """The text with item (from `item_from`) appended to its section."""
    from .yaml_edit import add_item

    return add_item(text, kind, item)


# --- a form's answers against what is written --------------------------------------------------


def field_changes(
    raw: Mapping[str, object], answers: Mapping[str, object]
) -> dict[str, object | None]:
    """The item's fields to set (None: remove) for a form's answers: only those that differ
    from what is written, so an unchanged field keeps its bytes. The form gives back every
    field it keeps (tui/forms.py): one it no longer gives was emptied in it."""
    changes: dict[str, object | None] = {
        key: value for key, value in answers.items() if raw.get(key) != value
    }
    changes.update({key: None for key in raw if key not in answers})
    return changes


def header_changes(
    raw: Mapping[str, object], answers: Mapping[str, object], kind: str = "briefing"
) -> tuple[dict[str, object | None], list[str]]:
    """What to write of a header form's answers (kind "briefing" or "source"), and the names
    of the fields changed.

    Every answered value is given, even one unchanged: given again, a value under a skeleton's
    `# TODO:` comment is confirmed and the comment goes (yaml_edit leaves any other unchanged
    value as written). A field the form emptied is removed."""
    from .forms import HEADER_KINDS

    fields = HEADER_KINDS[kind][1]
    changes: dict[str, object | None] = {
        key: value
        for key, value in answers.items()
        if key in fields and (value is not None or raw.get(key) is not None)
    }
    changes.update({key: None for key in fields if key in raw and key not in answers})
    changed = [key for key in changes if raw.get(key) != changes[key]]
    return changes, changed


# --- removing ----------------------------------------------------------------------------------


def after_removal(ids: Sequence[str], item_id: str) -> str | None:
    """The item to show once item_id is removed from its section (ids, in order): the next,
    else the one before, else none (the section is then empty)."""
    if item_id not in ids:
        return None
    index = list(ids).index(item_id)
    others = [*ids[index + 1 :], *ids[:index][::-1]]
    return others[0] if others else None


# --- proposals -----------------------------------------------------------------------------------


def unnamed(proposals: Sequence[Proposal], loaded: Loaded) -> list[Proposal]:
    """The proposals left once those the briefing already holds are dropped: a party it names
    (by name or alias, any case) is no proposal."""
    named = {
        str(name).casefold()
        for party in loaded.briefing.parties
        for name in (party.name, *(getattr(a, "name", a) for a in party.aliases))
    }
    return [
        p
        for p in proposals
        if not (p.section == "parties" and str(p.fields.get("name", "")).casefold() in named)
    ]


def proposal_values(proposal: Proposal) -> tuple[str, str, dict[str, object], dict[str, object]]:
    """(section, words, anchor, values) for a proposal: its fields as a new item's, with the
    `plainly` grade and its anchor as evidence when it becomes an item (not a contribution)."""
    section = str(proposal.section)
    words = " ".join(str(proposal.words).split())
    anchor = dict(proposal.anchor)
    values = dict(proposal.fields)
    if section in SINGULAR:
        values.setdefault("stated", "plainly")
        values.setdefault("evidence", [anchor])
    return section, words, anchor, values


def accepted(
    section: str,
    values: Mapping[str, object],
    parties: Sequence[Party],
    taken: Collection[str],
) -> tuple[dict[str, object], str | None]:
    """A proposal's values accepted as they are, checked as the form would check them: the
    item's values, and the first error to say ("field: message; Enter edits it") or None."""
    from .forms import specs_for, values_from

    specs = specs_for(section, values, parties, taken=taken)
    checked, errors = values_from(section, specs, {}, taken=taken)
    if errors:
        field, message = next(iter(errors.items()))
        return checked, f"{field or 'item'}: {message}; Enter edits it"
    return checked, None
