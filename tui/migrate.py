"""`briefing migrate`: a version 1 briefing rewritten as version 2, byte for byte elsewhere.

Only the tokens format 2 changes are replaced, at the positions the strict YAML parser gives:
the `1` of `schema: 1`, and each renamed key of an item with its value's new name (format 1's
`confidence: high` is format 2's `stated: plainly`). Comments, key order, quoting, blank lines
and line breaks stay as they were, and the result is parsed again and compared with what the
rewrite meant, so a surprise in the file is a refusal, never a wrong file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import strict_yaml
from .files import BRIEFING_CAP, FileProblem, read_bytes, write_atomically
from .schema import SCHEMA_VERSION, SCHEMA_VERSIONS
from .sections import SECTION_KEYS
from .versions import RENAMED


class MigrateError(Exception):
    """Why a file cannot be migrated, with its 1-based line and column when it has one."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@dataclass
class Migration:
    """The text before and after; changed is False for a file already at the newest version."""

    old: str
    new: str
    renamed: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old != self.new


def migrate_text(text: str) -> Migration:
    """The version 2 text of a version 1 briefing (MigrateError when it cannot be done)."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    try:
        data, positions = strict_yaml.load(body)
    except strict_yaml.YamlProblem as problem:
        line, column = problem.position
        raise MigrateError(problem.message, line + 1, column + 1) from None
    if not isinstance(data, dict) or "schema" not in data:
        raise MigrateError("not a briefing: no 'schema:' at the top level")
    version = data["schema"]
    if isinstance(version, bool) or version not in SCHEMA_VERSIONS:
        (line, column), _ = positions.locate(("schema",))
        if isinstance(version, int) and not isinstance(version, bool) and version > 2:
            message = f"schema {version} is newer than this program knows; left as it is"
        else:
            message = f"schema {strict_yaml.written(version)!s} is not a version to migrate"
        raise MigrateError(message, line + 1, column + 1)
    starts = strict_yaml.line_starts(body)
    edits: list[tuple[int, str, str]] = []  # (offset, old token, new token)

    def offset(loc: tuple[str | int, ...], at_key: bool) -> int:
        (line, column), _found = positions.locate(loc, at_key)
        return starts[line] + column

    # A version 2 file may still use format 1's names (written before they changed): it is
    # renamed the same way, its version left as it is.
    if version != SCHEMA_VERSION:
        edits.append((offset(("schema",), False), str(version), str(SCHEMA_VERSION)))
    expected: dict[str, Any] = {**data, "schema": SCHEMA_VERSION}
    renamed = 0
    for key in SECTION_KEYS:
        items = data.get(key)
        if not isinstance(items, list):
            continue
        new_items: list[Any] = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                new_items.append(item)
                continue
            new_item: dict[str, Any] = {}
            for name, value in item.items():
                if name == "inferred" and isinstance(value, dict):
                    # The basis of a renamed field is named by its new name too.
                    value = {
                        _renamed_basis(edits, offset, (key, index, name, field)): basis
                        for field, basis in value.items()
                    }
                if name not in RENAMED:
                    new_item[name] = value
                    continue
                new_name, values = RENAMED[name]
                if new_name in item:
                    (line, column), _ = positions.locate((key, index, new_name), True)
                    raise MigrateError(
                        f"{name} and {new_name} both given; keep one", line + 1, column + 1
                    )
                edits.append((offset((key, index, name), True), name, new_name))
                if isinstance(value, str) and value in values:
                    edits.append((offset((key, index, name), False), value, values[value]))
                    value = values[value]
                new_item[new_name] = value
                renamed += 1
            new_items.append(new_item)
        expected[key] = new_items
    if not edits:
        return Migration(text, text, notes=[f"already schema {SCHEMA_VERSION}"])
    new_body = _apply(body, edits)
    check, _ = strict_yaml.load(new_body)
    if check != expected or list(_keys(check)) != list(_keys(expected)):
        raise MigrateError("the rewrite would change more than it should; nothing written")
    return Migration(text, bom + new_body, renamed)


def _renamed_basis(
    edits: list[tuple[int, str, str]],
    offset: Any,
    loc: tuple[str | int, ...],
) -> Any:
    """The key of an `inferred` entry after migration, its edit recorded when renamed."""
    field = loc[-1]
    if not isinstance(field, str) or field not in RENAMED:
        return field
    new_name = RENAMED[field][0]
    edits.append((offset(loc, True), field, new_name))
    return new_name


def _apply(text: str, edits: list[tuple[int, str, str]]) -> str:
    """Replace each token at its offset, keeping its quotes; MigrateError when the text there
    is not the token (a form this rewrite does not know, such as a multi-line key)."""
    out = text
    for at, old, new in sorted(edits, reverse=True):
        quote = out[at] if out[at : at + 1] in ("'", '"') else ""
        start = at + len(quote)
        if out[start : start + len(old)] != old or (
            quote and out[start + len(old) : start + len(old) + 1] != quote
        ):
            line = out.count("\n", 0, at) + 1
            column = at - (out.rfind("\n", 0, at) + 1) + 1
            raise MigrateError(f"cannot rewrite {old!r} here: not written plainly", line, column)
        out = out[:start] + new + out[start + len(old) :]
    return out


def _keys(node: Any) -> Any:
    """Every mapping key in document order, for comparing order as well as content."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)


def migrate_file(path: Path, *, write: bool = True) -> Migration:
    """Migrate the briefing at path, replacing it atomically when write and it changed."""
    try:
        raw = read_bytes(path, BRIEFING_CAP)
    except FileProblem as problem:
        raise MigrateError(str(problem)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MigrateError(f"not UTF-8: byte 0x{raw[error.start]:02X} cannot be decoded") from None
    migration = migrate_text(text)
    if write and migration.changed:
        # Saved by an editor meanwhile: its text is newer than what was migrated.
        if read_bytes(path, BRIEFING_CAP) != raw:
            raise MigrateError("the file changed while it was migrated; nothing written")
        mode = path.stat().st_mode & 0o777
        write_atomically(path, migration.new.encode("utf-8"), mode=mode)
    return migration
