"""The briefing's header in edit mode: the form's fields for the briefing and a source,
derived from the schema (tui/forms.py)."""

from __future__ import annotations

import typing

from tui import schema
from tui.forms import specs_for, values_from


def test_briefing_form_fields_and_choices_come_from_the_schema() -> None:
    specs = specs_for("briefing", {"title": "T", "summary": "TODO: x"}, [])
    assert [s.name for s in specs] == ["title", "summary", "analyst", "created", "modified", "tlp"]
    tlp = next(s for s in specs if s.name == "tlp")
    assert [key for key, _label in tlp.choices] == list(typing.get_args(schema.Tlp))
    values, errors = values_from("briefing", specs, {"summary": "Real.", "tlp": "amber"})
    assert errors == {}
    assert values == {"title": "T", "summary": "Real.", "tlp": "amber"}  # nothing else written
    _values, errors = values_from("briefing", specs, {"tlp": "blue", "created": "yesterday"})
    assert set(errors) == {"tlp", "created"}


def test_source_form_fields_and_checks() -> None:
    raw = {
        "id": "source",
        "path": "a.txt",
        "sha256": "a" * 64,
        "title": "S",
        "language": "en",
        "reliability": "F",
        "reliability_basis": "TODO: why",
    }
    specs = specs_for("source", raw, [])
    shown = [s.name for s in specs if s.kind != "kept"]
    assert "path" not in shown and "sha256" not in shown and "id" not in shown
    assert {"title", "outlet", "language", "reliability", "reliability_basis"} <= set(shown)
    reliability = next(s for s in specs if s.name == "reliability")
    assert [key for key, _label in reliability.choices] == list(typing.get_args(schema.Reliability))
    values, errors = values_from("source", specs, {"reliability": "C", "language": "english"})
    assert set(errors) == {"language"}
    values, errors = values_from(
        "source", specs, {"reliability": "B", "reliability_basis": "Known."}
    )
    assert errors == {} and values["reliability"] == "B" and "path" not in values
