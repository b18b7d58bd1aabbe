"""The STIX export of the bundled briefing and of every format 2 example passes the stix2
library's parser (no custom content) and the OASIS stix2-validator with no errors (issue 13).

The validator's warnings are left alone: every id is a uuid5 of the briefing and item ids
(stable exports), where it recommends uuid4, and a grouping is not among its suggested sources
of `located-at`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tui.export import to_stix
from tui.loader import load_briefing

BRIEFINGS = sorted(
    [
        *(ROOT / "briefings").glob("*.yaml"),
        *(ROOT / "tests" / "data" / "format2").glob("*.yaml"),
        *(ROOT / "tests" / "data" / "format2" / "naval").glob("*.yaml"),
    ]
)


def test_every_example_is_checked() -> None:
    names = {p.name for p in BRIEFINGS}
    assert {"iron-tide.yaml", "border-talks.yaml", "claims.yaml", "places.yaml"} <= names


@pytest.mark.parametrize("path", BRIEFINGS, ids=lambda p: p.name)
def test_stix_export_passes_the_parser_and_the_oasis_validator(path: Path) -> None:
    # Imported here: the validator's import takes 2.3 s, paid by every test worker at
    # collection when at the top of the module.
    import stix2
    from stix2validator import ValidationOptions, validate_string

    text = to_stix(load_briefing(path))
    stix2.parse(text, allow_custom=False)
    result = validate_string(text, ValidationOptions(version="2.1"))
    assert [str(e) for e in result.errors] == []
    assert result.is_valid
