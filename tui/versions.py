"""Format versions: what a version 1 file may not use, and what format 2 renamed.

Every field new in format 2 is marked on its pydantic Field with `json_schema_extra=SINCE_2`;
this module finds the marks by walking the raw data alongside the models, so a field added by
any section is checked without a word here. It imports nothing of Textual.
"""

from __future__ import annotations

import functools
import typing
from typing import Any

from pydantic import BaseModel

from .schema import STATED_OF_CONFIDENCE, Briefing, Item, Problem

RENAMED: dict[str, tuple[str, dict[str, str]]] = {
    "confidence": ("stated", dict(STATED_OF_CONFIDENCE)),
}
"""An item's format 1 field: its format 2 name, and its values' new names."""

MAX_VERSION_PROBLEMS = 50
"""Past this many, the walk stops: one mark per misuse is plenty to act on."""


def since(info: Any) -> int:
    """The version a field first appears in (1 for the fields of format 1)."""
    extra = getattr(info, "json_schema_extra", None)
    return int(extra.get("since", 1)) if isinstance(extra, dict) else 1


def new_in_2_message(name: str) -> str:
    return f"{name} is new in format 2: write `schema: 2` at the top"


def renamed_message(old: str) -> str:
    new, values = RENAMED[old]
    pairs = ", ".join(f"{a} is {b}" for a, b in values.items())
    return (
        f"{old} is called {new} in format 2 ({pairs}); "
        "`briefing migrate FILE` renames it, or write `schema: 1`"
    )


def version_problems(data: dict[str, Any], version: int) -> list[Problem]:
    """Each use, in a file of this version, of a field its version does not have."""
    problems: list[Problem] = []
    stack: list[tuple[tuple[str | int, ...], Any, type[BaseModel]]] = [((), data, Briefing)]
    while stack and len(problems) < MAX_VERSION_PROBLEMS:
        path, node, model = stack.pop()
        if not isinstance(node, dict):
            continue
        fields = _fields(model)
        for key, value in node.items():
            found = fields.get(key) if isinstance(key, str) else None
            if found is None:
                continue  # pydantic reports unknown keys
            first, inner = found
            if version < first:
                problems.append(Problem(path + (key,), new_in_2_message(key), at_key=True))
                continue
            if version >= 2 and key in RENAMED and issubclass(model, Item):
                problems.append(Problem(path + (key,), renamed_message(key), at_key=True))
                continue
            if key == "inferred" and isinstance(value, dict) and issubclass(model, Item):
                problems.extend(_inferred_problems(path + (key,), value, fields, version))
            if inner is None or not _worth_walking(inner):
                continue
            if isinstance(value, list):
                stack.extend((path + (key, i), v, inner) for i, v in enumerate(value))
            else:
                stack.append((path + (key,), value, inner))
    return problems


def _inferred_problems(
    path: tuple[str | int, ...],
    inferred: dict[Any, Any],
    fields: dict[str, tuple[int, type[BaseModel] | None]],
    version: int,
) -> list[Problem]:
    """An `inferred` entry must name a field of the file's version, under that version's name."""
    found: list[Problem] = []
    for name in inferred:
        if not isinstance(name, str) or name not in fields:
            continue  # the model reports a name that is no field at all
        if version < fields[name][0]:
            found.append(Problem(path + (name,), new_in_2_message(name), at_key=True))
        elif version >= 2 and name in RENAMED:
            found.append(Problem(path + (name,), renamed_message(name), at_key=True))
    return found


@functools.cache
def _worth_walking(model: type[BaseModel]) -> bool:
    """Whether a model, or one inside it, has a field that is not in every version: the walk
    skips the rest (evidence anchors, most of a large briefing)."""
    return issubclass(model, Item) or any(
        first > 1 or (inner is not None and inner is not model and _worth_walking(inner))
        for first, inner in _fields(model).values()
    )


@functools.cache
def _fields(model: type[BaseModel]) -> dict[str, tuple[int, type[BaseModel] | None]]:
    """A model's keys as written (aliases), each with its first version and the model its
    value (or each of its list's values) is validated by, if any."""
    return {
        (info.alias or name): (since(info), _model_in(info.annotation))
        for name, info in model.model_fields.items()
    }


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field's value, or its list's items, are validated by: through Optional,
    Annotated and list. None for plain values and mappings."""
    for _ in range(8):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        origin = typing.get_origin(annotation)
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if origin is dict or not args:
            return None
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        annotation = models[0] if models else args[0]
    return None


def dump_for_version(dumped: dict[str, Any], version: int) -> dict[str, Any]:
    """A briefing's model_dump(by_alias=True) with only its version's fields: a version 1
    briefing's export has no format 2 keys (not even as null), a version 2 one no format 1
    names. Changes dumped in place and returns it."""
    stack: list[tuple[Any, type[BaseModel]]] = [(dumped, Briefing)]
    while stack:
        node, model = stack.pop()
        if not isinstance(node, dict):
            continue
        for key, (first, inner) in _fields(model).items():
            if key not in node:
                continue
            if version < first or (version >= 2 and key in RENAMED and issubclass(model, Item)):
                del node[key]
            elif inner is not None:
                value = node[key]
                stack.extend((v, inner) for v in (value if isinstance(value, list) else [value]))
    return dumped
