"""Writing briefings: a skeleton for a new source, and fixes proposed after a source changed.

No UI here, and nothing here rewrites a briefing: `new_briefing` creates a file that does not
exist yet, and `propose_fixes` returns a unified diff for the user to apply.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import strict_yaml
from .files import (
    BRIEFING_CAP,
    SOURCE_CAP,
    FileProblem,
    read_bytes,
    read_text,
    tree_root,
    write_atomically,
)
from .loader import (
    BriefingError,
    Diagnostic,
    Loaded,
    display_path,
    load_briefing,
    parse_briefing,
)
from .safe_text import clean, clip, is_clean
from .schema import SCHEMA_VERSION, SECTIONS, Anchor, slugify
from .source import ResolveError, SourceText, flatten

SCHEMA_FILE = "briefing.schema.json"
COMMENT_WIDTH = 100
"""Characters of a paragraph shown in the skeleton's reference comments."""
TITLE_WIDTH = 200


class AuthoringError(Exception):
    """A request that cannot be carried out; the message is for the user."""


# --- YAML text that cannot break out ---------------------------------------------------------

# What PyYAML accepts in a stream (YAML 1.1 printable), less the line breaks a comment must not
# contain; anything else in a comment becomes U+FFFD.
_NOT_IN_COMMENT = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def comment_text(text: str) -> str:
    """Text safe inside a `#` comment: one line, visible, every character YAML accepts."""
    return _NOT_IN_COMMENT.sub("\ufffd", clean(flatten(text)))


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar meaning exactly text, with no raw unsafe character."""
    return strict_yaml.double_quoted(text)


# --- briefing new ----------------------------------------------------------------------------


def default_output(source: Path, cwd: Path | None = None) -> Path:
    """`briefings/<stem>.yaml` when the working folder has `briefings/` and the source is in
    that folder's tree, else beside the source (a source elsewhere could not be cited from
    `briefings/`: the file would be refused as outside the tree)."""
    name = f"{source.stem}.yaml"
    inside = (cwd or Path.cwd()) / "briefings" / name
    if inside.parent.is_dir():
        try:
            if source.resolve().is_relative_to(tree_root(inside).resolve()):
                return inside
        except OSError:
            pass
    return source.parent / name


def _schema_path(out: Path) -> str | None:
    """The committed JSON Schema, relative to the new briefing's folder."""
    from .files import bundled_briefings

    for candidate in (
        out.parent / SCHEMA_FILE,
        Path.cwd() / "briefings" / SCHEMA_FILE,
        bundled_briefings() / SCHEMA_FILE,
    ):
        if candidate.is_file():
            return Path(os.path.relpath(candidate.resolve(), out.parent.resolve())).as_posix()
    return None


def skeleton(source_text: str, digest: str, relative: str, stem: str, schema: str | None) -> str:
    """The text of a skeleton briefing for a source (validates as it is)."""
    text = SourceText(source_text)
    first = text.paragraphs[0].text.split("\n", 1)[0] if text.paragraphs else ""
    title = clip(clean(flatten(first)), TITLE_WIDTH) or stem
    lines: list[str] = []
    if schema is not None:
        lines.append(f"# yaml-language-server: $schema={comment_text(schema)}")
    lines += [
        "# A new briefing. Write the bottom line in summary, check the source's language and",
        "# grade its reliability (A reliable .. F cannot be judged), then add items to the",
        "# sections below; each needs evidence such as {paragraph: 4, quote: exact words}.",
        "# Each TODO is a placeholder: `briefing validate` warns while one is left in, and",
        "# `briefing validate --strict` fails.",
        f"schema: {SCHEMA_VERSION}",
        f"id: {slugify(stem)}",
        f"title: {yaml_string(title)}",
        'summary: "TODO: the bottom line up front."',
        "# Who wrote it, when, and how it may be shared (TLP 2.0); uncomment to use:",
        "# analyst: your name or desk",
        '# created: "2026-01-31T09:00Z"  # and modified: when last changed',
        "# tlp: clear  # or green, amber, amber+strict, red",
        "sources:",
        "  - id: source",
        f"    path: {yaml_string(relative)}",
        f"    sha256: {digest}",
        f"    title: {yaml_string(title)}",
        "    language: en  # TODO: the language tag of the text",
        "    reliability: F  # TODO: Admiralty grade A-F",
        '    reliability_basis: "TODO: why this grade."',
    ]
    count = len(text.paragraphs)
    if count:
        lines += [
            "#",
            f"# The source's {count} paragraph{'s' if count != 1 else ''}, for reference "
            f"(clipped to {COMMENT_WIDTH} characters):",
        ]
        width = len(str(count))
        for paragraph in text.paragraphs:
            shown = clip(comment_text(paragraph.text), COMMENT_WIDTH)
            lines.append(f"#   ¶{paragraph.number:<{width}}  {shown}".rstrip())
        lines.append("#")
    lines.append("source_notes: []")
    lines += [f"{key}: []" for key, _model, _title in SECTIONS]
    return "\n".join(lines) + "\n"


def create_exclusive(path: Path, text: str) -> None:
    """Write a new file atomically; FileExistsError if path exists (it is never replaced)."""
    write_atomically(path, text.encode("utf-8"), exclusive=True)


def new_briefing(source: Path, out: Path | None = None) -> Path:
    """Write a skeleton briefing for source; return its path. AuthoringError says why not."""
    if out is None:
        out = default_output(source)
    elif out.is_dir():
        out = out / f"{source.stem}.yaml"
    shown_out = display_path(out)
    if out.exists() or out.is_symlink():
        raise AuthoringError(f"{shown_out} already exists; it is never overwritten")
    if not out.parent.is_dir():
        raise AuthoringError(f"{display_path(out.parent)}: no such folder")
    try:
        real = source.resolve(strict=True)
        raw, text = read_text(real, SOURCE_CAP)
    except FileProblem as problem:
        raise AuthoringError(f"{display_path(source)}: {problem}") from None
    except OSError as error:
        raise AuthoringError(f"{display_path(source)}: {error.strerror or error}") from None
    root = tree_root(out)
    if not real.is_relative_to(root):
        raise AuthoringError(
            f"{display_path(source)} is outside the briefing's tree ({display_path(root)}); "
            "put sources beside the briefing (or in seeds/ beside briefings/)"
        )
    relative = Path(os.path.relpath(real, out.parent.resolve())).as_posix()
    body = skeleton(text, hashlib.sha256(raw).hexdigest(), relative, source.stem, _schema_path(out))
    try:
        create_exclusive(out, body)
    except FileExistsError:
        raise AuthoringError(f"{shown_out} already exists; it is never overwritten") from None
    except OSError as error:
        raise AuthoringError(f"{shown_out}: cannot write: {error.strerror or error}") from None
    return out


PLACEHOLDER = "TODO:"
"""How the skeleton marks what is left to write, in values and in comments alike."""
MAX_PLACEHOLDERS = 100
"""Placeholders listed per file: a file of a million TODOs gets no million warnings."""
_SOURCE_LISTING = re.compile(r"#\s+¶\d+ ")


def placeholders(path: Path) -> list[Diagnostic]:
    """A warning for each placeholder (`TODO:`) left in a briefing file, at its position."""
    try:
        raw = read_bytes(path.resolve(strict=True), BRIEFING_CAP)
        if PLACEHOLDER.encode() not in raw:  # the usual case, at memchr speed
            return []
        text = raw.decode("utf-8")
    except (OSError, FileProblem, UnicodeDecodeError):
        return []  # the loader reports an unreadable file
    shown = display_path(path)
    found: list[Diagnostic] = []
    line, line_start, scanned = 1, 0, 0
    at = text.find(PLACEHOLDER)
    plain = not any(c in text for c in "\r\x85\u2028\u2029")  # only \n breaks lines
    while at >= 0:
        if plain:  # str.count is a hundred times faster than the regex on a big file
            line += text.count("\n", scanned, at)
            line_start = max(line_start, text.rfind("\n", scanned, at) + 1)
        else:
            for match in strict_yaml.BREAKS.finditer(text, scanned, at):
                line, line_start = line + 1, match.end()
        scanned = at
        before = text[line_start:at]
        glued = at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")
        # The skeleton's copy of a source paragraph is the source's words, not a placeholder.
        if not glued and not _SOURCE_LISTING.match(before):
            if len(found) == MAX_PLACEHOLDERS:
                found[-1] = dataclasses.replace(
                    found[-1], message=found[-1].message + " (and more placeholders after it)"
                )
                break
            rest = strict_yaml.BREAKS.split(text[at : at + 200], 1)[0].rstrip("'\" ")
            fix = (
                "check the value, then delete this comment"
                if "#" in before and not before.lstrip().startswith(("'", '"'))
                else "write the real value"
            )
            message = f"placeholder left in: {clip(rest, 60)!r}; {fix}"
            found.append(Diagnostic(shown, line, len(before) + 1, "warning", message))
        at = text.find(PLACEHOLDER, at + 1)
    return found


# --- drift: proposed fixes --------------------------------------------------------------------


@dataclass
class Fix:
    """One anchor relocated in a changed source, and where it stands in the YAML."""

    loc: tuple[str | int, ...]
    status: str
    """"resolves", "moved" or "lost" (as in the loader's drift report)."""
    message: str
    anchor: Anchor
    paragraph: int | None = None
    """The new paragraph, for a moved anchor."""
    quote: str | None = None
    """The new quote, when its words changed (a fuzzy relocation)."""


@dataclass
class Proposal:
    """What `validate --propose-fixes` prints: a diff, notes about it, and an exit status."""

    diff: str = ""
    notes: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ok: bool = True


def relocations(loaded: Loaded, changed: set[str]) -> list[Fix]:
    """The fix for every anchor in a changed source, from the loader's resolutions."""
    fixes: list[Fix] = []
    for loc, resolved in loaded.anchored():
        for j, evidence in enumerate(resolved):
            if evidence.source not in changed:
                continue
            anchor = evidence.anchor
            fix = Fix(loc + ("evidence", j), evidence.status, evidence.message, anchor)
            text = loaded.sources.get(evidence.source)
            span = evidence.found
            if evidence.status == "moved" and span is not None and text is not None:
                words = text.paragraph(span.paragraph).text[span.start : span.end]
                fix.paragraph = span.paragraph
                if flatten(words) != flatten(anchor.quote):
                    fix.quote = flatten(words)
                try:  # the fixed anchor must resolve as written, or it is no fix
                    text.resolve(
                        anchor.model_copy(
                            update={"paragraph": fix.paragraph, "quote": fix.quote or anchor.quote}
                        )
                    )
                except ResolveError as error:
                    fix.status = "lost"
                    fix.message = f"moved, but {error} (fix it by hand)"
            fixes.append(fix)
    return fixes


def _content_indent(text: str, start: int, end: int) -> int:
    """The indentation of a block scalar's first content line."""
    body = text[start:end].split("\n", 1)
    lines = [line for line in (body[1] if len(body) > 1 else "").split("\n") if line.strip()]
    return len(lines[0]) - len(lines[0].lstrip(" ")) if lines else 2


def _folded(quote: str, indent: int, width: int = 96) -> str:
    """A folded block scalar (`>-`) reading as quote, lines wrapped; else a quoted scalar."""
    import textwrap

    if quote != flatten(quote) or not all(
        is_clean(c) and 0x20 <= ord(c) < 0xFFFE and c != "\x7f" for c in quote
    ):
        return yaml_string(quote) + "\n"
    lines = textwrap.wrap(
        quote,
        max(40, width - indent),
        break_long_words=False,
        break_on_hyphens=False,
        expand_tabs=False,
        replace_whitespace=False,
        drop_whitespace=True,
    )
    return ">-\n" + "".join(f"{' ' * indent}{line}\n" for line in lines)


@dataclass(frozen=True, slots=True)
class Node:
    """Where a node stands in the YAML text: zero-based (line, column) positions."""

    start: tuple[int, int]
    end: tuple[int, int]
    key: tuple[int, int] | None
    """Where its key stands, for a value in a mapping."""


def node_index(text: str) -> dict[tuple[str | int, ...], Node]:
    """Every node of a YAML document by its path, from the parser's events.

    For text that strict_yaml.load accepted (no aliases, tags or merge keys).
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    index: dict[tuple[str | int, ...], Node] = {}
    # Per open container: [path, is mapping, pending key, its position, next list index].
    stack: list[list[Any]] = []

    def place(event: Any) -> tuple[str | int, ...] | None:
        """The path of the node an event starts, or None when it is a mapping's key."""
        if not stack:
            return ()
        frame = stack[-1]
        if frame[1]:
            if frame[2] is None:
                frame[2], frame[3] = event.value, (event.start_mark.line, event.start_mark.column)
                return None
            path, key_position = (*frame[0], frame[2]), frame[3]
            frame[2] = None
        else:
            path, key_position = (*frame[0], frame[4]), None
            frame[4] += 1
        index[path] = Node(
            (event.start_mark.line, event.start_mark.column),
            (event.end_mark.line, event.end_mark.column),
            key_position,
        )
        return path

    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.ScalarEvent):
            place(event)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            path = place(event)
            mark = event.start_mark
            if path == () and mark is not None:
                index[()] = Node((mark.line, mark.column), (0, 0), None)
            stack.append([path or (), isinstance(event, yaml.MappingStartEvent), None, None, 0])
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            stack.pop()
    return index


def _unified(old: str, new: str, name: str) -> str:
    """A unified diff that `patch -p1` and `git apply` accept, missing final newlines marked."""

    def lines(text: str) -> list[str]:
        return re.findall(r"[^\n]*\n|[^\n]+$", text)

    out: list[str] = []
    for line in difflib.unified_diff(lines(old), lines(new), f"a/{name}", f"b/{name}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _diff_name(path: Path) -> str:
    shown = display_path(path)
    return Path(shown).as_posix().lstrip("/")


def propose_fixes(path: Path) -> Proposal:
    """A diff relocating the quotes of changed sources; the briefing file is only read."""
    proposal = Proposal()
    shown = display_path(path)
    loaded: Loaded | None
    try:
        loaded = load_briefing(path)
        proposal.diagnostics = loaded.diagnostics
    except BriefingError as error:  # its partial result holds the resolutions all the same
        proposal.diagnostics = error.diagnostics
        loaded = error.partial
    if loaded is None or any(
        s.id not in loaded.sources and s.id not in loaded.withheld for s in loaded.briefing.sources
    ):
        proposal.ok = False  # the loader's diagnostics say why
        return proposal
    briefing = loaded.briefing
    try:
        real = path.resolve(strict=True)
        original = read_bytes(real, BRIEFING_CAP).decode("utf-8")
        bom = "\ufeff" if original.startswith("\ufeff") else ""
        text = original[len(bom) :]
        data = strict_yaml.load(text)[0]
    except (OSError, FileProblem, UnicodeDecodeError, strict_yaml.YamlProblem):
        proposal.ok = False  # changed since it was loaded: the next run says why
        return proposal
    sources = loaded.sources
    changed = [
        s for s in briefing.sources if s.id in loaded.withheld or sources[s.id].digest != s.sha256
    ]
    if not changed:
        proposal.notes.append(f"{shown}: no source has changed; nothing to propose")
        proposal.ok = not any(d.severity == "error" for d in proposal.diagnostics)
        return proposal

    fixes = relocations(loaded, {s.id for s in changed})
    starts = strict_yaml.line_starts(text)
    nodes = node_index(text)
    edits: list[tuple[int, int, str]] = []  # (start offset, end offset, replacement)

    def offset(position: tuple[int, int]) -> int:
        return starts[position[0]] + position[1]

    def value_span(loc: tuple[str | int, ...]) -> tuple[int, int, tuple[int, int]]:
        node = nodes[loc]
        return offset(node.start), offset(node.end), node.key or node.start

    located: list[tuple[tuple[int, int], str]] = []

    def note(loc: tuple[str | int, ...], message: str) -> None:
        while loc not in nodes:
            loc = loc[:-1]
        line, column = nodes[loc].start
        located.append(((line, column), f"{shown}:{line + 1}:{column + 1}: {message}"))

    lost_in: set[str] = set()
    default = briefing.sources[0].id
    for fix in fixes:
        if fix.status == "lost":
            lost_in.add(fix.anchor.source or default)
            note(fix.loc + ("quote",), f"quote {fix.message}")
            continue
        if fix.status != "moved":
            continue
        node: Any = data
        for part in fix.loc:
            node = node[part]
        if fix.quote is not None:
            start, end, _key = value_span((*fix.loc, "quote"))
            if end > start and text[end - 1] in "\r\n" and text[start] in ">|":
                replacement = _folded(fix.quote, _content_indent(text, start, end))
            else:
                replacement = yaml_string(fix.quote)
                if end > start and text[end - 1] in "\r\n":
                    replacement += "\n"
            edits.append((start, end, replacement))
        if fix.paragraph is not None and fix.paragraph != fix.anchor.paragraph:
            if "paragraph" in node:
                start, end, _key = value_span((*fix.loc, "paragraph"))
                edits.append((start, end, str(fix.paragraph)))
            else:
                _start, end, (key_line, key_column) = value_span((*fix.loc, "quote"))
                if text[offset(nodes[fix.loc].start)] == "{":
                    at = offset((key_line, key_column))
                    edits.append((at, at, f"paragraph: {fix.paragraph}, "))
                elif end > 0 and text[end - 1] in "\r\n":
                    edits.append((end, end, f"{' ' * key_column}paragraph: {fix.paragraph}\n"))
                else:
                    edits.append((end, end, f"\n{' ' * key_column}paragraph: {fix.paragraph}"))
        note(fix.loc + ("quote",), f"quote {fix.message}")
    # A source whose every quote is placed again is pinned to its new text.
    for i, source in enumerate(briefing.sources):
        if source in changed and source.id not in lost_in and source.id in sources:
            start, end, _key = value_span(("sources", i, "sha256"))
            edits.append((start, end, sources[source.id].digest))
            note(("sources", i, "sha256"), "sha256 pinned to the changed source")
    proposal.notes += [message for _position, message in sorted(located)]
    if lost_in:
        proposal.ok = False
        proposal.notes.append(
            "some quotes are lost: fix them by hand; the sha256 of their source is left as it is"
        )
    if not edits:
        return proposal
    fixed = text
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        fixed = fixed[:start] + replacement + fixed[end:]
    proposal.diff = _unified(original, bom + fixed, _diff_name(path))
    try:
        after = parse_briefing((bom + fixed).encode("utf-8"), real, shown).diagnostics
    except BriefingError as error:
        after = error.diagnostics
    remaining = [d for d in after if d.severity == "error"]
    if remaining:
        proposal.ok = False
        proposal.notes.append(f"with this patch, {len(remaining)} errors remain:")
        proposal.notes += [d.format() for d in remaining]
    return proposal


__all__ = [
    "AuthoringError",
    "Fix",
    "Proposal",
    "comment_text",
    "default_output",
    "new_briefing",
    "placeholders",
    "propose_fixes",
    "relocations",
    "skeleton",
    "yaml_string",
]
