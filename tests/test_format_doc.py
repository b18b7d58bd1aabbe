"""docs/format.md: written from the schema, current, and saying what writers need to know."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter

from tests.conftest import ROOT
from tui import format_doc
from tui.schema import (
    SECTIONS,
    Alias,
    Anchor,
    Assessment,
    Attribution,
    Briefing,
    Claim,
    Contribution,
    Date,
    Item,
    LangText,
    Money,
    Quantity,
    SaleLine,
    Source,
    SourceNote,
    Withheld,
)

DOC = ROOT / "docs" / "format.md"
MODELS: list[type[BaseModel]] = [
    Briefing,
    Source,
    SourceNote,
    Item,
    *(model for _key, model, _title in SECTIONS),
    Anchor,
    Claim,
    Assessment,
    Attribution,
    Withheld,
    LangText,
    Alias,
    Date,
    Quantity,
    Money,
    Contribution,
    SaleLine,
]


def test_docs_format_md_is_current() -> None:
    written = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    assert written == format_doc.render(), (
        f"docs/format.md is stale: regenerate it with `{format_doc.COMMAND}`"
    )


def test_the_command_prints_the_reference() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui.format_doc"], cwd=ROOT, capture_output=True, check=True
    )
    assert done.stdout.decode("utf-8") == format_doc.render()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_has_a_meaning_and_a_valid_example(model: type[BaseModel]) -> None:
    for name, info in model.model_fields.items():
        if (model.__name__, name) in format_doc.EXTRA:
            continue
        where = f"{model.__name__}.{name}"
        assert info.description, f"{where} has no description"
        section_list = model is Briefing and name in {key for key, _m, _t in SECTIONS}
        if section_list and not info.examples:
            continue  # the section's own fields give the examples
        assert info.examples, f"{where} has no example"
        adapter: TypeAdapter[Any] = TypeAdapter(info.annotation)
        for example in info.examples:
            adapter.validate_python(example, strict=True)  # an example that is not valid misleads


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_is_in_the_reference(model: type[BaseModel]) -> None:
    text = format_doc.render()
    for name, info in model.model_fields.items():
        assert f"#### `{info.alias or name}`" in text


@pytest.mark.parametrize(
    "explained",
    [
        "`stated` grades how plainly the\n  source says it (`confidence` in format 1)",
        "How plainly the source states the item, not whether it is true",
        "Not a statement's speaker: speaker is who said the words",
        "The time the sale covers, not the day it was reported",
        "Matching is case-sensitive",
        "the paragraph's text before the quote must end with them",
        "the text after the quote must start with them",
        "A quote cannot cross paragraphs.",
        "YAML folding (`>-`) joins a block's lines with a space",
        "Chinese, Japanese, Thai",
        "Write such a quote on one line",
        "Q and a number from 1, no leading zeros",
    ],
)
def test_the_reference_explains(explained: str) -> None:
    assert explained in format_doc.render()


def test_examples_in_the_reference_are_yaml_a_briefing_would_hold() -> None:
    from tui import strict_yaml

    for line in format_doc.render().splitlines():
        if line.startswith("- Example: `") and line.endswith("`"):
            strict_yaml.load(line.removeprefix("- Example: `").removesuffix("`"))
