"""The fields of an item as a form: derived from the schema's models, read back and checked.

`specs_for` lists the fields of a section's item (or of a drill's contribution, or an arms
sale's delivery) with what the schema says of each: required or not, the choices of a
`Literal`, the parties a reference may name, the field's description as help. Nothing here
retypes a choice or a description: a new grade or status in `tui/schema.py` reaches the form
by itself.

A nested value (a date, a quantity, a sum, a duration, coordinates, a statement's original)
is a group of sub-fields named with a dot (`date.value`, `quantity.qualifier`); the group is
left out when all its sub-fields are empty. A field the form cannot edit (claims, a drill's
contributions, `inferred`, evidence) is kept as it is: its spec has kind `kept`, is not drawn,
and `values_from` passes its value through, so editing an item in the form never drops what the
form does not show.

`values_from` reads the answers (the text of each field) back into the item's values, in the
order a hand-written briefing uses (id first, the section's own fields in the model's order,
then the fields every item has, evidence last), and checks them with the model: errors come
back by field name with the model's own message.

Core: no Textual here.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ValidationError

from . import schema
from .loader import _message as loader_message
from .safe_text import clean, clip

__all__ = [
    "EXTRA_KINDS",
    "FieldSpec",
    "answer_of",
    "answers_of",
    "kinds",
    "propose_id",
    "specs_for",
    "values_from",
]


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form.

    kind is one of: text, long_text, id (the item's own id), choice, flag (true or left out),
    party (one of the briefing's parties), parties (several), ids (ids of other items, comma
    separated), texts (several short texts, separated by "; "), number, integer, date
    (YYYY, YYYY-MM or YYYY-MM-DD), scalar (a word or a number), kept (not drawn: the value
    is carried through unchanged).
    """

    name: str
    """The field's key; a sub-field of a nested value is `parent.key`."""
    label: str
    kind: str
    choices: tuple[tuple[str, str], ...]
    """(answer, label) pairs for choice, flag, party and parties."""
    required: bool
    value: object
    """The current value (from the values given), or None."""
    help: str
    """The schema's description of the field, cleaned for the terminal."""
    null: bool = False
    """The values wrote it as null (`name: null`, "the source gives none"): left empty, it
    stays null rather than being dropped, so that editing an item keeps its lines."""


EXTRA_KINDS: dict[str, tuple[type[schema.Item], str]] = {
    "contribution": (schema.Drill, "contributions"),
    "delivery": (schema.ArmsSale, "deliveries"),
}
"""Kinds that are not sections: an entry of a list field of a section's item."""

HEADER_KINDS: dict[str, tuple[type[schema.Model], tuple[str, ...]]] = {
    "briefing": (
        schema.Briefing,
        ("title", "summary", "analyst", "created", "modified", "tlp"),
    ),
    "source": (
        schema.Source,
        ("title", "outlet", "published", "language", "reliability", "reliability_basis"),
    ),
}
"""Kinds for the briefing's own fields and a source's: the fields the form edits (the others,
the id, the path and sha256, the sections, are the file's structure and stay as written)."""

_STAND_INS: dict[str, dict[str, object]] = {
    "briefing": {
        "schema": schema.SCHEMA_VERSION,
        "id": "briefing",
        "sources": [
            {
                "id": "s",
                "path": "s",
                "sha256": "0" * 64,
                "title": "s",
                "language": "en",
                "reliability": "F",
            }
        ],
    },
    "source": {"id": "source", "path": "source", "sha256": "0" * 64},
}
"""What a header kind's model requires beyond the form's fields, so that the model can check
those: valid stand-ins, never written (values_from returns only the form's fields)."""

GRADE_FIELDS = ("stated", "confidence")
"""Item._check_grade requires one of these (a validator, not the field, says so): the form asks
for `stated`, or for `confidence` in an item that already has it (a version 1 file)."""

LABEL_FIELDS = ("name", "title", "text")
"""The field an item's label comes from, whichever the model has: the id is proposed from it."""

_NESTED: tuple[type[schema.Model], ...] = (
    schema.Date,
    schema.Quantity,
    schema.Money,
    schema.Duration,
    schema.Coordinates,
    schema.LangText,
)
"""Nested values shown as groups of sub-fields: models whose fields are all plain values."""

_NoneType = type(None)


def kinds() -> tuple[str, ...]:
    """Every kind a form can be made for: the sections, then the extra kinds."""
    return (*schema.MODELS, *EXTRA_KINDS, *HEADER_KINDS)


def _model(kind: str) -> type[schema.Model]:
    if kind in schema.MODELS:
        return schema.MODELS[kind]
    if kind in HEADER_KINDS:
        return HEADER_KINDS[kind][0]
    if kind in EXTRA_KINDS:
        parent, key = EXTRA_KINDS[kind]
        inner = _options(_annotation(parent.model_fields[key]))
        return typing.cast(type[schema.Model], typing.get_args(_unwrap(inner[0]))[0])
    raise ValueError(f"no form for {kind!r}: expected one of {', '.join(kinds())}")


# --- reading the annotations ---------------------------------------------------------------


def _annotation(info: Any) -> Any:
    """A field's type with its constraints: pydantic moves a plain field's Annotated
    metadata into info.metadata, and leaves an optional field's in its annotation."""
    if info.metadata:
        return Annotated[(info.annotation, *info.metadata)]
    return info.annotation


def _unwrap(annotation: Any) -> Any:
    while typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _options(annotation: Any) -> list[Any]:
    """The members of a (possibly optional, possibly annotated) union, None left out."""
    bare = _unwrap(annotation)
    if typing.get_origin(bare) in (typing.Union, types.UnionType):
        found: list[Any] = []
        for arg in typing.get_args(bare):
            found.extend(_options(arg))
        return found
    return [] if bare is _NoneType else [annotation]


def _max_length(annotation: Any) -> int | None:
    """The max_length of a constrained string, wherever the Annotated puts it."""
    stack = [annotation]
    while stack:
        current = stack.pop()
        if typing.get_origin(current) is Annotated:
            args = typing.get_args(current)
            for meta in args[1:]:
                length = getattr(meta, "max_length", None)
                if isinstance(length, int):
                    return length
            stack.append(args[0])
        elif typing.get_origin(current) in (typing.Union, types.UnionType):
            stack.extend(typing.get_args(current))
    return None


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(_unwrap(annotation)) is list


def _is_text(annotation: Any) -> bool:
    return _unwrap(annotation) is str


def _is_number(options: list[Any]) -> bool:
    return bool(options) and {_unwrap(o) for o in options} <= {int, float}


def _literal_choices(annotation: Any) -> tuple[tuple[str, str], ...]:
    values = typing.get_args(_unwrap(annotation))
    labels: Mapping[Any, str] = {}
    if set(values) == set(schema.CREDIBILITY):
        labels = schema.CREDIBILITY
    elif set(values) == set(schema.RELATIONSHIP_WORDS):
        labels = {k: w.forward for k, w in schema.RELATIONSHIP_WORDS.items()}
    elif set(values) == set(schema.PRECISION_WORDS):
        labels = schema.PRECISION_WORDS
    return tuple((str(v), f"{v} ({labels[v]})" if v in labels else str(v)) for v in values)


def _is_literal(annotation: Any) -> bool:
    return typing.get_origin(_unwrap(annotation)) is Literal


# --- references ----------------------------------------------------------------------------


def _reference_targets(kind: str) -> dict[str, str]:
    """Each reference field of the kind's model and the section its ids must be in ("any" for
    any item), read from the model's own `references()` walk: a model built unchecked with
    every id field filled answers which section each one wants."""
    model = _model(kind)
    if kind in HEADER_KINDS:
        return {}  # a source's or the briefing's own fields name no item
    holder: Any
    if kind in EXTRA_KINDS:
        parent, key = EXTRA_KINDS[kind]
        entry = model.model_construct(None, **_probe_ids(model))
        holder = parent.model_construct(None, **{**_probe_ids(parent), key: [entry]})
        prefix: tuple[str | int, ...] = (key, 0)
    else:
        holder = model.model_construct(None, **_probe_ids(model))
        prefix = ()
    found: dict[str, str] = {}
    try:
        references = list(holder.references())
    except (AttributeError, TypeError):  # a model whose walk needs more than ids
        return found
    for sub, _ref, wanted in references:
        if sub[: len(prefix)] == prefix and len(sub) > len(prefix):
            name = sub[len(prefix)]
            if isinstance(name, str):
                found.setdefault(name, wanted)
    return found


def _probe_ids(model: type[BaseModel]) -> dict[str, object]:
    """A value for every field that can hold ids: one id, or a list of one."""
    values: dict[str, object] = {}
    for name, info in model.model_fields.items():
        options = _options(_annotation(info))
        if any(_is_slug(o) for o in options):
            values[name] = f"probe-{name}"
        elif len(options) == 1 and _is_list(options[0]):
            inner = _options(typing.get_args(_unwrap(options[0]))[0])
            if any(_is_slug(o) for o in inner):
                values[name] = [f"probe-{name}"]
    return values


# --- specs ---------------------------------------------------------------------------------


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _help(info: Any) -> str:
    return clean(info.description or "")


def propose_id(text: str, taken: Collection[str]) -> str:
    """A slug for an id from a name or title, its first words, unique among taken."""
    words = str(text).split()
    base = schema.slugify(" ".join(words[:8]))[:60].rstrip("-") or "item"
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def specs_for(
    kind: str,
    values: Mapping[str, object],
    parties: Sequence[schema.Party],
    *,
    taken: Collection[str] = (),
    version: int = schema.SCHEMA_VERSION,
) -> list[FieldSpec]:
    """The form's fields for an item of kind (a section key, "contribution" or "delivery")
    holding values: required fields first, then the others in the model's order, then the
    kept ones. `taken` is every id of the briefing, so that a proposed id is unique. In a
    version 1 briefing (`version`) the grade is `confidence` and the fields new in format 2
    are not offered (those the item already has are kept, for the loader to judge).

    A key of values that the model does not have is kept, so that the model's check names it
    rather than the form dropping it unseen."""
    model = _model(kind)
    targets = _reference_targets(kind)
    party_choices = tuple((p.id, clean(clip(p.name, 80))) for p in parties)
    specs: list[FieldSpec] = []
    older = version < 2 or ("confidence" in values and "stated" not in values)
    grade = "confidence" if older else "stated"
    header = HEADER_KINDS[kind][1] if kind in HEADER_KINDS else None
    for name in _order(model):
        if header is not None and name not in header:
            continue  # the file's structure (ids, sections): not the form's to change
        info = model.model_fields[name]
        value = values.get(name)
        since = (
            info.json_schema_extra.get("since", 1)
            if isinstance(info.json_schema_extra, dict)
            else 1
        )
        if isinstance(since, int) and since > version:
            if value is not None:
                specs.append(_kept(name, value))
            continue
        if name == "id":
            specs.append(_id_spec(model, values, parties, taken, _help(info)))
            continue
        if name in GRADE_FIELDS and name != grade:
            if value is not None:
                specs.append(_kept(name, value))
            continue
        required = info.is_required() or name == grade
        options = _options(_annotation(info))
        target = targets.get(name)
        base = {
            "name": name,
            "label": _label(name),
            "required": required,
            "help": _help(info),
            "null": name in values and value is None,
        }
        if name == "evidence":
            if value is not None:
                specs.append(_kept(name, value))
            continue
        if target == "parties":
            single = [o for o in options if _is_text(o)]
            lists = [o for o in options if _is_list(o)]
            if single and (value is None or isinstance(value, str)):
                specs.append(
                    FieldSpec(**base, kind="party", choices=party_choices, value=value)  # type: ignore[arg-type]
                )
            elif lists and not single and _all_text(value):
                specs.append(
                    FieldSpec(**base, kind="parties", choices=party_choices, value=value)  # type: ignore[arg-type]
                )
            elif value is not None:
                specs.append(_kept(name, value))
            continue
        if target is not None:
            if _all_text(value) or isinstance(value, str):
                specs.append(FieldSpec(**base, kind="ids", choices=(), value=value))  # type: ignore[arg-type]
            elif value is not None:
                specs.append(_kept(name, value))
            continue
        spec_kind = _scalar_kind(options)
        if spec_kind is not None:
            choices = (
                _literal_choices(options[0])
                if spec_kind == "choice"
                else (("", "no"), ("true", "yes"))
                if spec_kind == "flag"
                else ()
            )
            specs.append(FieldSpec(**base, kind=spec_kind, choices=choices, value=value))  # type: ignore[arg-type]
            continue
        nested = [o for o in options if isinstance(o, type) and issubclass(o, _NESTED)]
        if len(options) == 1 and nested and (value is None or isinstance(value, Mapping)):
            specs.extend(_group(name, nested[0], value or {}, required))
            continue
        lists = [o for o in options if _is_list(o)]
        if lists and len(options) == 1 and _all_text(value):
            inner = _options(typing.get_args(_unwrap(lists[0]))[0])
            if any(_is_text(o) for o in inner):
                specs.append(FieldSpec(**base, kind="texts", choices=(), value=value))  # type: ignore[arg-type]
                continue
        if value is not None:
            specs.append(_kept(name, value))
    if header is None:
        specs += [
            _kept(str(name), v) for name, v in values.items() if name not in model.model_fields
        ]
    shown = [s for s in specs if s.kind != "kept"]
    first = [s for s in shown if s.required]
    rest = [s for s in shown if not s.required]
    return first + rest + [s for s in specs if s.kind == "kept"]


def _all_text(value: object) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _scalar_kind(options: list[Any]) -> str | None:
    if len(options) == 1:
        option = options[0]
        if _is_literal(option):
            return "choice"
        if _unwrap(option) is bool:
            return "flag"
        if _is_text(option):
            if _is_date(option):
                return "date"
            return "long_text" if (_max_length(option) or 0) > 500 else "text"
        if _unwrap(option) is int:
            return "integer"
        return None
    if _is_number(options):
        return "number"
    if any(_is_literal(o) for o in options) and any(_unwrap(o) in (int, float) for o in options):
        return "scalar"
    return None


def _pattern(annotation: Any) -> str | None:
    """The pattern of a constrained string, wherever the Annotated puts it."""
    while typing.get_origin(annotation) is Annotated:
        args = typing.get_args(annotation)
        for meta in args[1:]:
            pattern = getattr(meta, "pattern", None)
            if isinstance(pattern, str):
                return pattern
        annotation = args[0]
    return None


def _is_date(annotation: Any) -> bool:
    """Whether a string field is a schema.DateValue (it has that type's pattern)."""
    return _is_text(annotation) and _pattern(annotation) == _pattern(schema.DateValue)


def _is_slug(annotation: Any) -> bool:
    """Whether a string field holds an id (it has schema.Slug's pattern)."""
    return _is_text(annotation) and _pattern(annotation) == _pattern(schema.Slug)


def _kept(name: str, value: object) -> FieldSpec:
    return FieldSpec(name, _label(name), "kept", (), False, value, "")


def _group(
    name: str, model: type[BaseModel], value: Mapping[str, object], required: bool
) -> list[FieldSpec]:
    specs: list[FieldSpec] = []
    for sub, info in model.model_fields.items():
        options = _options(_annotation(info))
        spec_kind = _scalar_kind(options) or "text"
        choices: tuple[tuple[str, str], ...] = ()
        if spec_kind == "choice":
            choices = _literal_choices(options[0])
        elif spec_kind == "flag":
            choices = (("", "no"), ("true", "yes"))
        specs.append(
            FieldSpec(
                name=f"{name}.{sub}",
                label=f"{_label(name)} {sub.replace('_', ' ')}",
                kind=spec_kind,
                choices=choices,
                required=required and info.is_required(),
                value=value.get(sub),
                help=_help(info),
                null=sub in value and value.get(sub) is None,
            )
        )
    return specs


def _id_spec(
    model: type[BaseModel],
    values: Mapping[str, object],
    parties: Sequence[schema.Party],
    taken: Collection[str],
    help: str,
) -> FieldSpec:
    value = values.get("id")
    if not isinstance(value, str) or not value:
        label = next(
            (values[f] for f in LABEL_FIELDS if f in model.model_fields and values.get(f)), None
        )
        used = set(taken) | {p.id for p in parties}
        value = propose_id(str(label), used) if label else None
    return FieldSpec("id", "Id", "id", (), True, value, help)


# --- answers -------------------------------------------------------------------------------


def answer_of(spec: FieldSpec) -> str:
    """The text a field starts with: its value written as the form reads it back."""
    value = spec.value
    if value is None or spec.kind == "kept":
        return ""
    if spec.kind == "flag":
        return "true" if value is True else ""
    if isinstance(value, list):
        separator = "; " if spec.kind == "texts" else ", "
        return separator.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)
    return str(value)


def answers_of(specs: Sequence[FieldSpec]) -> dict[str, str]:
    return {spec.name: answer_of(spec) for spec in specs if spec.kind != "kept"}


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _number(text: str, integer: bool = False) -> int | float:
    plain = text.replace(",", "").replace("_", "").replace(" ", "")
    if not _NUMBER.fullmatch(plain):
        raise ValueError("write a whole number" if integer else "write a number: 1000 or 7.5")
    if re.fullmatch(r"[+-]?\d+", plain):
        return int(plain)
    if integer:
        raise ValueError("write a whole number")
    return float(plain)


def _parse(spec: FieldSpec, text: str) -> object:
    """The value of an answer (stripped, not empty) for its spec; ValueError with a message."""
    kind = spec.kind
    if kind in ("choice", "flag", "party"):
        keys = [key for key, _label in spec.choices]
        if text not in keys:
            if kind == "party":
                raise ValueError(f"{clip(text, 40)!r} is not a party of this briefing")
            raise ValueError("expected one of: " + ", ".join(k for k in keys if k))
        if kind == "flag":
            return text == "true"
        if kind == "choice" and all(key.isdigit() for key in keys):
            return int(text)  # a Literal of numbers: credibility
        return text
    if kind == "parties":
        ids = _split(text, ",")
        known = {key for key, _label in spec.choices}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ValueError(f"{clip(unknown[0], 40)!r} is not a party of this briefing")
        return ids
    if kind == "ids":
        ids = _split(text, ",")
        # A place written as one id stays one id, as a hand-written briefing has it.
        return ids[0] if len(ids) == 1 and not isinstance(spec.value, list) else ids
    if kind == "texts":
        return _split(text, ";")
    if kind == "number":
        return _number(text)
    if kind == "integer":
        return _number(text, integer=True)
    if kind == "scalar":
        try:
            return _number(text)
        except ValueError:
            return text
    return text


def _split(text: str, separator: str) -> list[str]:
    return [part.strip() for part in text.split(separator) if part.strip()]


def _order(model: type[BaseModel]) -> list[str]:
    """The keys of an item in the order a hand-written briefing has them: id first, the
    section's own fields, the fields every item has, evidence last."""
    names = list(model.model_fields)
    if not issubclass(model, schema.Item):
        return names
    common = [n for n in schema.Item.model_fields if n not in ("id", "evidence")]
    own = [n for n in names if n not in schema.Item.model_fields]
    return ["id", *own, *common, "evidence"]


def values_from(
    kind: str,
    specs: Sequence[FieldSpec],
    answers: Mapping[str, str],
    *,
    taken: Collection[str] = (),
) -> tuple[dict[str, object], dict[str, str]]:
    """The item's values from the answers (the text of each field by name), and the errors
    by field name ("" for the item as a whole), checked against the schema's model. `taken`
    is every id of the briefing: an id already used (other than the spec's own) is an error."""
    model = _model(kind)
    errors: dict[str, str] = {}
    flat: dict[str, object] = {}
    for spec in specs:
        if spec.kind == "kept":
            flat[spec.name] = spec.value
            continue
        text = str(answers.get(spec.name, answer_of(spec))).strip()
        if not text:
            if spec.required:
                errors[spec.name] = "Required"
            elif spec.null:
                flat[spec.name] = None
            continue
        try:
            flat[spec.name] = _parse(spec, text)
        except ValueError as problem:
            errors[spec.name] = clean(str(problem))
        if spec.kind == "id" and text != spec.value and text in set(taken):
            errors[spec.name] = f"{clip(text, 40)!r} is already the id of another item"
    values = _nest(model, flat)
    check = {**_STAND_INS.get(kind, {}), **values}
    if issubclass(model, schema.Item) and "evidence" not in check:
        # Evidence comes from the selection, not the form: a stand-in lets the rest be checked.
        check["evidence"] = [{"quote": "evidence"}]
    try:
        model.model_validate(check, context={"version": schema.SCHEMA_VERSION})
    except ValidationError as invalid:
        # Fields whose answers could not be read, left out of the check (not empty ones).
        unread = {name for name, message in errors.items() if message != "Required"}
        for error in invalid.errors():
            field = _field_of(tuple(error["loc"]), specs)
            # A check of the whole item, or of a group, that read a field left out for its own
            # error would blame the wrong field: that error is the one to fix first.
            if field == "" and unread:
                continue
            if any(name.startswith(field + ".") for name in unread):
                continue
            if field not in errors:
                errors[field] = _message(error, _place_of(kind))
    return values, errors


def _nest(model: type[BaseModel], flat: Mapping[str, object]) -> dict[str, object]:
    grouped: dict[str, dict[str, object]] = {}
    top: dict[str, object] = {}
    for name, value in flat.items():
        parent, dot, sub = name.partition(".")
        if dot:
            grouped.setdefault(parent, {})[sub] = value
        else:
            top[name] = value
    for parent, subs in grouped.items():
        if all(v is None for v in subs.values()):
            continue  # only nulls left: the group is emptied, not a value of nothing
        sub_model = _options(_annotation(model.model_fields[parent]))[0]
        order = list(sub_model.model_fields)
        top[parent] = {k: subs[k] for k in sorted(subs, key=order.index)}
    order = _order(model)
    return {k: top[k] for k in sorted(top, key=lambda k: order.index(k) if k in order else 999)}


def _field_of(loc: tuple[object, ...], specs: Sequence[FieldSpec]) -> str:
    """The field an error's location is on: the longest dotted name of a spec that starts
    it, else the group it names ("date" for a date's own check: the form shows it by the
    group's first sub-field), else "" (the item as a whole)."""
    names = {s.name for s in specs}
    strings = [str(part) for part in loc]
    for length in range(min(len(strings), 2), 0, -1):
        candidate = ".".join(strings[:length])
        if candidate in names:
            return candidate
    if strings and any(n.startswith(strings[0] + ".") for n in names):
        return strings[0]
    return ""


def _place_of(kind: str) -> tuple[str | int, ...]:
    """Where an item of kind stands in a briefing: the path `validate`'s wording reads the
    model from (which fields a misspelt one could mean)."""
    if kind in EXTRA_KINDS:
        parent, key = EXTRA_KINDS[kind]
        return (parent.section, 0, key, 0)
    if kind == "briefing":
        return ()
    if kind == "source":
        return ("sources", 0)
    return (kind, 0)


def _message(error: Any, place: tuple[str | int, ...]) -> str:
    """The model's message, worded as `validate` words it (one wording for both)."""
    if error.get("type") == "missing":
        return "Required"
    message = loader_message(error, place + tuple(error.get("loc", ())))
    loc = error.get("loc", ())
    # Beside its field the form needs no "value: " in front to say which.
    if loc and message.startswith(f"{loc[-1]}: "):
        message = message[len(f"{loc[-1]}: ") :]
    return clean(message)
