"""The field reference of the briefing format (docs/format.md), written from the schema itself.

Every field's meaning and example come from its pydantic `Field(description=..., examples=...)`
and its rules from the JSON Schema that editors use, so the reference cannot say other than
what `validate` checks. Regenerate it with:

    uv run python -m tui.format_doc > docs/format.md

(tests/test_format_doc.py fails while docs/format.md is stale.)
"""

from __future__ import annotations

import inspect
import sys
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .schema import (
    SECTIONS,
    Alias,
    Anchor,
    Assessment,
    Attribution,
    Briefing,
    Claim,
    Contribution,
    Coordinates,
    Date,
    Duration,
    Item,
    LangText,
    Money,
    PlaceName,
    Quantity,
    SaleLine,
    Source,
    SourceNote,
    Withheld,
    json_schema,
)
from .sections import SECTION_KEYS, TITLES

SLUG_PATTERN = "^[a-z0-9][a-z0-9-]*$"
COMMAND = "uv run python -m tui.format_doc > docs/format.md"

# Fields whose schema line another change owns: their meaning is given here until it moves
# into the schema (the reference must still say what every field is).
EXTRA: dict[tuple[str, str], tuple[str, list[Any]]] = {
    ("Source", "url"): (
        "Where the source was published on the web, for readers to find it; not fetched.",
        ["https://example.org/news/2014/11/05/cooperation"],
    ),
}

INTRO = """\
# The briefing format

<!-- Generated from the schema (tui/schema.py) by `{command}`; do not edit by hand. -->

A briefing is a YAML file: what one or more source texts report (the parties, agreements,
military drills, arms sales, events and statements, the places where they happen and the
relationships between parties), each item tied to the exact words of the source that support
it. `briefing new SOURCE.txt` writes a skeleton to start from, and
`briefing validate FILE` checks a briefing and says, with `file:line:col`, what is wrong.
`briefing validate --strict` also fails on warnings, such as a `TODO:` placeholder of the
skeleton left in. The same rules are in the JSON Schema `briefings/briefing.schema.json`,
which editors with yaml-language-server use for completion and hover help.

## Rules for every field

- Unknown fields are errors (a misspelt name is never ignored), and values are never
  converted: text where a number is expected, or a number where text is expected, is an error.
- YAML is read strictly: duplicate keys, anchors, aliases, merge keys and tags are errors;
  only `true` and `false` are booleans, only `null`, `~` or nothing is null, and `NO`, `010`
  or `2014-11-05` stay text. A number where text is wanted needs quotes: `title: "1984"`.
- Inside `{{...}}` (a flow mapping) a comma ends the value: write
  `{{reported: "about 2,500 personnel"}}`, in quotes.
- Ids are slugs: lower-case letters, digits and hyphens, starting with a letter or digit.
  Item ids are unique across the briefing's sections, source ids among its sources, and every
  reference must name an existing id of the right section (a party, mostly).
- Items say how they know: `evidence` quotes the source, `stated` grades how plainly the
  source says it (`confidence` in format 1), `credibility` how credible it is (format 2),
  `attributed_to` names whose claim it is, and `inferred` names each field the analyst worked
  out rather than read, with its basis.
- `schema: 1` and `schema: 2` are both read. A field marked "format 2" below is an error in a
  version 1 file; `briefing migrate FILE` rewrites a version 1 file as version 2 (only
  `schema` and the renamed `confidence` change: comments and layout stay), and
  `briefing migrate --check FILE` prints the change as a diff without writing. The reported words of dates, counts
  and sums (`reported`) must stand inside one of the item's own quotes.

## Quotes and how they match

Evidence is a list of anchors, each an exact quote in a source, with optional `paragraph`,
`prefix` and `suffix` to say which place is meant (see [Evidence](#evidence-anchors)).

- A source's paragraphs are its blocks of lines separated by blank lines, numbered from 1.
- A quote matches the source character for character: same letters, capitals and
  punctuation. Matching is case-sensitive, and a look-alike letter of another script (a Latin
  `a` in the Cyrillic `Лавров`) does not match.
- Any run of whitespace (spaces, tabs, line breaks) matches any other run, so a quote may be
  wrapped over several lines of YAML, as the source's text may be.
- A quote cannot cross paragraphs. Cite each paragraph's words in an anchor of its own.
- When the words occur more than once, say which: `paragraph: 12`, or `prefix` (the words
  just before the quote: the paragraph's text before the quote must end with them) or
  `suffix` (the words just after: the text after the quote must start with them). Whitespace
  between the quote and its prefix or suffix is ignored; both are case-sensitive and must
  stand in the quote's own paragraph.
- YAML folding (`>-`) joins a block's lines with a space, and `|-` keeps its line breaks,
  which match as spaces. For English that is what the source has; for Chinese, Japanese, Thai
  and other scripts written without spaces between words it is not, and the quote will not
  match. Write such a quote on one line, or in double quotes with each broken line ending in
  a backslash, which joins the lines with nothing between them:

  ```yaml
  evidence:
    - paragraph: 3
      quote: "中国和俄罗斯举行了联合军事演习。\\
        双方派出了大约两千五百名士兵参加演习。"
  ```

## Contents

{contents}
"""


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _anchor(title: str) -> str:
    """The GitHub-style anchor of a heading."""
    kept = "".join(c for c in title.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def _flow(value: Any) -> str:
    """A value written as YAML on one line, as a briefing would have it."""
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, width=1_000_000, sort_keys=False
    )
    return text.removesuffix("\n...\n").strip()


class _Writer:
    def __init__(self) -> None:
        schema = json_schema()
        self.defs: dict[str, dict[str, Any]] = schema["$defs"]
        self.defs["Briefing"] = schema
        self.headings: dict[str, str] = {}

    def link(self, name: str) -> str:
        heading = self.headings.get(name)
        return f"[{heading}](#{_anchor(heading)})" if heading else f"`{name}`"

    def kind(self, schema: dict[str, Any]) -> str:
        """What a value must be, in words."""
        members = schema.get("anyOf")
        if members:
            kinds = [self.kind(m) for m in members if m.get("type") != "null"]
            if set(kinds) <= {"a whole number", "a number"}:
                return "a number"
            return " or ".join(dict.fromkeys(kinds))
        name = _ref_name(schema)
        if name:
            return f"a mapping: {self.link(name)}"
        if "const" in schema:
            return f"`{_flow(schema['const'])}`"
        if "enum" in schema:
            return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
        kind = schema.get("type")
        rules: list[str] = []
        if kind == "string" and schema.get("pattern") == SLUG_PATTERN:
            return "an id: lower-case letters, digits and hyphens (at most 100 characters)"
        if kind == "string":
            text = "text"
            low, high = schema.get("minLength"), schema.get("maxLength")
            if "pattern" in schema:
                rules.append(f"matching `{schema['pattern']}`")
            if low and high:
                rules.append(f"{low} to {high:,} characters")
            elif high:
                rules.append(f"at most {high:,} characters")
        elif kind == "integer":
            text = "a whole number"
            if "minimum" in schema:
                rules.append(f"at least {schema['minimum']}")
        elif kind == "number":
            text = "a number"
        elif kind == "boolean":
            text = "`true` or `false`"
        elif kind == "array":
            least = schema.get("minItems")
            text = f"a list of at least {least}" if least else "a list"
            return f"{text}, each {self.kind(schema.get('items', {}))}"
        elif kind == "object":
            values = schema.get("additionalProperties")
            text = "a mapping of field names to " + (
                self.kind(values).removeprefix("a ") if isinstance(values, dict) else "values"
            )
        else:
            text = "any value"
        return f"{text} ({', '.join(rules)})" if rules else text

    def field(
        self, model: str, name: str, prop: dict[str, Any], required: bool, info: FieldInfo
    ) -> list[str]:
        # Meaning and examples from the model itself: the JSON Schema sorts the keys of
        # examples, and a reader should see them in the order a briefing has them.
        description = info.description
        examples = info.examples
        if (model, name) in EXTRA:
            description, examples = EXTRA[model, name]
        lines = [f"#### `{name}`", ""]
        lines += [description or "", ""]
        extra = info.json_schema_extra
        if isinstance(extra, dict) and extra.get("since") == 2:
            lines += ["New in format 2: a version 1 file (`schema: 1`) may not use it.", ""]
        if required:
            need = "required"
        elif "default" in prop and prop["default"] not in (None, [], {}):
            need = f"optional, default `{_flow(prop['default'])}`"
        else:
            need = "optional"
        nullable = any(m.get("type") == "null" for m in prop.get("anyOf", []))
        rules = f"{need}; {self.kind(prop)}" + ("; or `null`" if nullable else "")
        if prop.get("since") == 2:
            rules += "; new in format 2"
        lines.append(f"- Rules: {rules}.")
        if examples:
            lines.append(f"- Example: `{name}: {_flow(examples[0])}`")
        else:
            items = _ref_name(prop.get("items", {}))
            lines.append(f"- Example: one mapping per item, as in {self.link(items or name)}")
        return lines + [""]

    def model(
        self,
        name: str,
        title: str,
        model: type[BaseModel],
        skip: frozenset[str] = frozenset(),
        level: str = "##",
    ) -> list[str]:
        # Item is only ever used through its sections: its own schema, references and all.
        schema = self.defs.get(name) or model.model_json_schema(by_alias=True)
        lines = [f"{level} {title}", ""]
        doc = inspect.cleandoc(model.__doc__ or "")
        if schema.get("since") == 2:
            doc += " New in format 2."
        if doc:
            lines += [doc, ""]
        required = set(schema.get("required", []))
        infos = {(info.alias or key): info for key, info in model.model_fields.items()}
        for field, prop in schema["properties"].items():
            if field not in skip:
                lines += self.field(name, field, prop, field in required, infos[field])
        return lines


def render() -> str:
    """docs/format.md, from the schema."""
    writer = _Writer()
    models = {key: model for key, model, _title in SECTIONS}
    parts: list[tuple[str, str, type[BaseModel], frozenset[str]]] = [
        ("Briefing", "The briefing", Briefing, frozenset()),
        ("Source", "Sources", Source, frozenset()),
        ("SourceNote", "Source notes", SourceNote, frozenset()),
        ("Item", "Fields every item has", Item, frozenset()),
    ]
    common = frozenset(Item.model_fields)
    for key in SECTION_KEYS:
        model = models[key]
        parts.append((model.__name__, f"{TITLES[key]} (`{key}`)", model, common))
    for part, title in (
        (Anchor, "Evidence anchors"),
        (Date, "Dates"),
        (Quantity, "Quantities"),
        (Money, "Sums of money"),
        (Duration, "Durations"),
        (Contribution, "Drill contributions"),
        (SaleLine, "Arms sale lines"),
        (PlaceName, "Place names"),
        (Coordinates, "Coordinates"),
        (Claim, "Claims"),
        (Assessment, "Assessments"),
        (Attribution, "Attributions"),
        (Withheld, "Withheld facts"),
        (LangText, "Words in a language"),
        (Alias, "Aliases with a language"),
    ):
        parts.append((part.__name__, title, part, frozenset()))
    writer.headings = {name: title for name, title, _m, _s in parts}
    contents = "\n".join(f"- [{title}](#{_anchor(title)})" for _n, title, _m, _s in parts)
    lines = [INTRO.format(command=COMMAND, contents=contents)]
    for name, title, shown, skip in parts:
        lines += writer.model(name, title, shown, skip, level="##")
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    sys.stdout.buffer.write(render().encode("utf-8"))
