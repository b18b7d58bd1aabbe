"""Loading briefings: positioned diagnostics, pydantic errors mapped to YAML nodes, anchors,
grounding of as-reported words, and drift when a source changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pydantic
import pytest

from tests.conftest import MINIMAL_SOURCE, SEED_BRIEFING, MakeProject, minimal_yaml
from tui.loader import BriefingError, Diagnostic, Loaded, load_briefing, parse_briefing
from tui.source import Span

# minimal_yaml's layout: line 13 is "  - id: alice", 18 is alice's evidence, 24 is bob's,
# and the body starts on line 25.


def found(path: Path) -> list[tuple[int, int, str, str]]:
    """(line, column, severity, message) of every diagnostic, loading or not."""
    try:
        diagnostics = load_briefing(path).diagnostics
    except BriefingError as error:
        diagnostics = error.diagnostics
    return [(d.line, d.column, d.severity, d.message) for d in diagnostics]


def only_error(path: Path) -> tuple[int, int, str]:
    with pytest.raises(BriefingError) as caught:
        load_briefing(path)
    errors = [d for d in caught.value.diagnostics if d.severity == "error"]
    assert len(errors) == 1, [d.format() for d in caught.value.diagnostics]
    return errors[0].line, errors[0].column, errors[0].message


EVENT = """events:
  - id: meeting
    kind: meeting
    title: Alice meets Bob
    status: held
    confidence: high
    participants: [alice, bob]
{extra}    evidence:
      - {{paragraph: 2, quote: "Alice met Bob in Paris on Monday"}}
"""


def event(extra: str = "") -> str:
    return EVENT.format(extra=extra)


# --- a valid briefing ----------------------------------------------------------------------


def test_minimal_briefing_loads_with_resolved_evidence(make_project: MakeProject) -> None:
    path = make_project(minimal_yaml(body=event()))
    loaded = load_briefing(path)
    assert isinstance(loaded, Loaded)
    assert loaded.diagnostics == []
    assert loaded.briefing.id == "test-briefing"
    assert set(loaded.sources) == {"src"}
    assert [e.span for e in loaded.evidence["alice"]] == [Span(2, 0, 13)]
    assert [e.span for e in loaded.evidence["bob"]] == [Span(2, 10, 22)]
    assert [e.span for e in loaded.evidence["meeting"]] == [Span(2, 0, 32)]
    assert loaded.evidence["meeting"][0].source == "src"


def test_parse_briefing_reads_bytes_and_strips_a_bom(make_project: MakeProject) -> None:
    path = make_project()
    raw = b"\xef\xbb\xbf" + path.read_bytes()
    loaded = parse_briefing(raw, path)
    assert loaded.briefing.title == "Test briefing"


# --- YAML-level errors ---------------------------------------------------------------------


def test_yaml_syntax_error_has_its_position(make_project: MakeProject) -> None:
    path = make_project(minimal_yaml().replace("title: Test briefing", "title: [unclosed"))
    # The parser notices at the next line's colon, still inside the flow sequence.
    assert only_error(path) == (
        4,
        8,
        "YAML syntax: while parsing a flow sequence: did not find expected ',' or ']'",
    )


def test_duplicate_key_is_positioned_at_the_second_key(make_project: MakeProject) -> None:
    path = make_project(minimal_yaml().replace("name: Alice\n", "name: Alice\n    name: Al\n"))
    assert only_error(path) == (
        16,
        5,
        "duplicate key 'name' (first at line 15, column 5)",
    )


def test_aliases_are_refused_at_the_anchor(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("title: Test briefing", "title: &t Test briefing")
    assert only_error(make_project(text)) == (
        3,
        8,
        "anchors (&t) are not allowed: write each value out",
    )


def test_briefing_not_utf8_names_line_and_column(make_project: MakeProject) -> None:
    path = make_project()
    path.write_bytes(path.read_bytes().replace(b"Test briefing", b"Test \xff briefing"))
    line, column, message = only_error(path)
    assert (line, column) == (3, 13)
    assert message.startswith("not UTF-8: byte 0xFF")


def test_empty_file_is_an_error(make_project: MakeProject) -> None:
    assert only_error(make_project("")) == (1, 1, "the file is empty: expected a briefing mapping")


def test_top_level_list_is_an_error(make_project: MakeProject) -> None:
    assert only_error(make_project("- a\n- b\n")) == (
        1,
        1,
        "a briefing is a mapping of fields, not a list",
    )


def test_missing_schema_version(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("schema: 1\n", "")
    line, column, message = only_error(make_project(text))
    assert (line, column) == (1, 1)
    assert "missing 'schema: 2'" in message


def test_unknown_schema_version_points_at_the_value(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("schema: 1", "schema: 3")
    assert only_error(make_project(text)) == (
        1,
        9,
        "schema 3 is not a version this reader knows; expected 1 or 2",
    )


def test_the_format_version_is_one_constant_the_model_and_the_loader_share() -> None:
    from typing import get_args

    from tui.schema import SCHEMA_VERSION, SCHEMA_VERSIONS, Briefing

    assert get_args(Briefing.model_fields["schema_version"].annotation) == SCHEMA_VERSIONS
    assert max(SCHEMA_VERSIONS) == SCHEMA_VERSION
    schema = Briefing.model_json_schema(by_alias=True)["properties"]["schema"]
    assert schema["enum"] == list(SCHEMA_VERSIONS)
    assert str(SCHEMA_VERSION) in schema["description"]


# --- pydantic errors, positioned -----------------------------------------------------------


def test_unknown_key_at_the_key_with_closest_suggestion(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("    name: Alice\n", "    name: Alice\n    rol: envoy\n")
    assert only_error(make_project(text)) == (16, 5, "unknown field 'rol'; did you mean 'role'?")


def test_unknown_key_in_a_flow_mapping(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("{paragraph: 2, quote: Alice met Bob}", "{paragrap: 2, quote: x}")
    errors = found(make_project(text))
    assert (18, 10, "error", "unknown field 'paragrap'; did you mean 'paragraph'?") in errors


def test_unknown_key_with_nothing_close_lists_the_fields(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("summary: Alice and Bob met.", "summary: x\nzzzz: 1")
    line, column, message = only_error(make_project(text))
    assert (line, column) == (5, 1)
    assert message.startswith("unknown field 'zzzz'; expected one of: ")
    assert "agreements" in message and "parties" in message


def test_top_level_typo_suggests_the_section(make_project: MakeProject) -> None:
    text = minimal_yaml(body="event: []\n")
    assert only_error(make_project(text)) == (
        25,
        1,
        "unknown field 'event'; did you mean 'events'?",
    )


def test_missing_field_points_at_its_mapping(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("    name: Alice\n", "")
    assert only_error(make_project(text)) == (13, 5, "missing required field 'name'")


def test_bad_choice_names_the_choices_and_the_closest(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("kind: person\n    name: Alice", "kind: persn\n    name: Alice")
    line, column, message = only_error(make_project(text))
    assert (line, column) == (14, 11)
    assert message == (
        "kind: 'persn' is not allowed; expected 'state', 'organisation', 'military', "
        "'person' or 'group'; did you mean 'person'?"
    )


def test_wrong_type_says_what_was_expected(make_project: MakeProject) -> None:
    text = minimal_yaml().replace(
        "{paragraph: 2, quote: Alice met Bob}", "{paragraph: two, quote: x}"
    )
    assert only_error(make_project(text)) == (
        18,
        21,
        "paragraph: expected a whole number, got text 'two'",
    )


def test_number_where_text_is_expected_suggests_quotes(make_project: MakeProject) -> None:
    text = minimal_yaml(body=event("    date: {value: 2014}\n"))
    assert only_error(make_project(text)) == (
        32,
        19,
        "value: expected text, got int 2014; write it in quotes: '2014'",
    )


def test_list_expected(make_project: MakeProject) -> None:
    text = minimal_yaml(body="drills: {}\n")
    assert only_error(make_project(text)) == (25, 9, "drills: expected a list, got a mapping")


def test_validator_errors_point_at_the_field(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("    name: Alice\n", "    name: Alice\n    country: XX\n")
    assert only_error(make_project(text)) == (
        16,
        14,
        "country: 'XX' is not an ISO 3166-1 alpha-2 country code",
    )


def test_impossible_calendar_date_points_at_the_value(make_project: MakeProject) -> None:
    text = minimal_yaml(body=event("    date: {value: '2014-02-30'}\n"))
    assert only_error(make_project(text)) == (
        32,
        19,
        "value: '2014-02-30' is not a real calendar date",
    )


def test_date_span_ending_before_it_starts(make_project: MakeProject) -> None:
    text = minimal_yaml(body=event("    date: {value: '2015', end: '2014'}\n"))
    assert only_error(make_project(text)) == (32, 11, "date: end 2014 is before value 2015")


def test_pattern_error_explains_the_form(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("  - id: alice", "  - id: Alice_1")
    assert only_error(make_project(text))[:2] == (13, 9)
    # ... and the references to the old id are not checked while the model is invalid.
    assert only_error(make_project(text))[2] == (
        "id: 'Alice_1' is not a valid id: use lower-case letters, digits and hyphens"
    )


def test_several_errors_are_all_reported_in_file_order(make_project: MakeProject) -> None:
    text = (
        minimal_yaml()
        .replace("kind: person\n    name: Bob", "kind: human\n    name: Bob")
        .replace("reliability: C", "reliability: G")
        .replace("    name: Alice\n", "    name: Alice\n    colour: red\n")
    )
    with pytest.raises(BriefingError) as caught:
        load_briefing(make_project(text))
    where = [(d.line, d.column) for d in caught.value.diagnostics]
    assert where == [(11, 18), (16, 5), (21, 11)]
    assert where == sorted(where)


# --- anchors -------------------------------------------------------------------------------


def test_quote_not_found_names_the_closest_passage(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("quote: Bob in Paris}", "quote: Bob in Rome}")
    line, column, message = only_error(make_project(text))
    assert (line, column) == (24, 31)
    assert message.startswith('quote "Bob in Rome" is not in the source; closest passage is ')
    assert "paragraph 2" in message


def test_ambiguous_quote_is_an_error_at_the_quote(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("{paragraph: 2, quote: Bob in Paris}", "{quote: Bob}")
    line, column, message = only_error(make_project(text))
    assert (line, column) == (24, 17)
    assert message == (
        'quote "Bob" occurs 2 times in the source (paragraphs 2, 3); '
        "add a prefix or suffix, or a paragraph, to say which"
    )


def test_suffix_disambiguates(make_project: MakeProject) -> None:
    text = minimal_yaml().replace(
        "{paragraph: 2, quote: Bob in Paris}", "{quote: Bob, suffix: sold 3 tanks}"
    )
    loaded = load_briefing(make_project(text))
    assert loaded.evidence["bob"][0].span == Span(3, 0, 3)


def test_paragraph_out_of_range_points_at_the_paragraph(make_project: MakeProject) -> None:
    text = minimal_yaml().replace(
        "{paragraph: 2, quote: Bob in Paris}", "{paragraph: 7, quote: Bob}"
    )
    assert only_error(make_project(text)) == (
        24,
        21,
        "paragraph 7 is out of range: the source has 3 paragraphs",
    )


def test_quote_in_another_paragraph_points_at_the_paragraph(make_project: MakeProject) -> None:
    text = minimal_yaml().replace(
        "{paragraph: 2, quote: Bob in Paris}", "{paragraph: 3, quote: Bob in Paris}"
    )
    assert only_error(make_project(text)) == (
        24,
        21,
        'quote "Bob in Paris" is not in paragraph 3; it is in paragraph 2',
    )


def test_quote_with_a_line_break_in_the_source_resolves(make_project: MakeProject) -> None:
    source = "Title\n\nAlice met Bob\nin Paris.\n"
    text = minimal_yaml(source).replace("quote: Bob in Paris", "quote: Bob in Paris.")
    loaded = load_briefing(make_project(text, source))
    assert loaded.evidence["bob"][0].span == Span(2, 10, 23)


def test_unknown_anchor_source_is_suggested(make_project: MakeProject) -> None:
    text = minimal_yaml().replace(
        "{paragraph: 2, quote: Bob in Paris}", "{paragraph: 2, quote: Bob in Paris, source: srcc}"
    )
    assert only_error(make_project(text)) == (
        24,
        53,
        "unknown source id 'srcc'; did you mean 'src'?",
    )


def test_source_note_anchors_are_checked_too(make_project: MakeProject) -> None:
    body = """source_notes:
  - kind: typo
    note: The source says Monday twice.
    evidence:
      - {source: nope, quote: Monday}
"""
    assert only_error(make_project(minimal_yaml(body=body))) == (
        29,
        18,
        "unknown source id 'nope'; expected one of: src",
    )


# --- sources -------------------------------------------------------------------------------


def test_missing_source_file_points_at_its_path(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("../seeds/source.txt", "../seeds/nothing.txt")
    assert only_error(make_project(text)) == (
        7,
        11,
        "source file '../seeds/nothing.txt' does not exist",
    )


def test_source_outside_the_tree_is_refused(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("../seeds/source.txt", "../../../../etc/passwd")
    line, column, message = only_error(make_project(text))
    assert (line, column) == (7, 11)
    assert "outside the briefing's tree" in message or "does not exist" in message


def test_source_not_utf8(make_project: MakeProject) -> None:
    raw = MINIMAL_SOURCE.encode() + b"\xff"
    text = minimal_yaml(sha=hashlib.sha256(raw).hexdigest())
    assert only_error(make_project(text, raw)) == (
        7,
        11,
        f"source is not UTF-8 (bad byte at offset {len(raw) - 1})",
    )


# --- grounding -----------------------------------------------------------------------------


def test_reported_words_inside_a_quote_are_grounded(make_project: MakeProject) -> None:
    text = minimal_yaml(
        body=event(
            "    date: {reported: on Monday, value: '2014-11-03', inferred: true, basis: a guess}\n"
        )
    )
    loaded = load_briefing(make_project(text))
    assert loaded.briefing.events[0].date is not None
    assert loaded.briefing.events[0].date.reported == "on Monday"


def test_reported_words_outside_the_quotes_are_an_error(make_project: MakeProject) -> None:
    text = minimal_yaml(
        body=event(
            "    date: {reported: on Tuesday, value: '2014-11-03', inferred: true, basis: a guess}\n"
        )
    )
    assert only_error(make_project(text)) == (
        32,
        22,
        "as-reported words 'on Tuesday' are not inside any of this item's quotes; "
        "quote the words the source uses",
    )


def test_reported_words_in_the_source_but_not_the_items_quotes_fail(
    make_project: MakeProject,
) -> None:
    # "3 tanks" is in the source, but not in the quotes of this item.
    body = (
        event(
            "    date: {reported: on Monday, value: '2014-11-03', inferred: true, basis: a guess}\n"
        )
        + """arms_sales:
  - id: sale
    title: Tanks for Alice
    supplier: bob
    recipient: alice
    status: delivered
    confidence: high
    items:
      - {equipment: battle tank, quantity: {value: 3, reported: 3 tanks}}
    value: {value: 5, currency: USD, reported: five dollars}
    evidence:
      - {paragraph: 3, quote: Bob sold 3 tanks}
"""
    )
    assert found(make_project(minimal_yaml(body=body))) == [
        (
            44,
            48,
            "error",
            "as-reported words 'five dollars' are not inside any of this item's quotes; "
            "quote the words the source uses",
        )
    ]


def test_grounding_is_loose_about_whitespace_only(make_project: MakeProject) -> None:
    source = "Title\n\nAlice met Bob in Paris on\nMonday.\n\nBob sold 3 tanks to Alice.\n"
    loose = minimal_yaml(
        source,
        body=event(
            "    date: {reported: 'on  Monday', value: '2014', inferred: true, basis: a guess}\n"
        ),
    )
    loose = loose.replace('"Alice met Bob in Paris on Monday"', '"in Paris on Monday"')
    assert load_briefing(make_project(loose, source)).briefing.events[0].date is not None
    upper = loose.replace("reported: 'on  Monday'", "reported: 'On Monday'")
    assert only_error(make_project(upper, source))[:2] == (32, 22)


def test_reported_words_spread_over_two_quotes_are_not_grounded(
    make_project: MakeProject,
) -> None:
    text = minimal_yaml(
        body=event(
            "    date: {reported: Paris on Monday, value: '2014', inferred: true, basis: a guess}\n"
        )
    )
    text = text.replace(
        '{paragraph: 2, quote: "Alice met Bob in Paris on Monday"}',
        "{paragraph: 2, quote: Bob in Paris}\n      - {paragraph: 2, quote: on Monday}",
    )
    assert only_error(make_project(text))[:2] == (32, 22)


# --- drift ---------------------------------------------------------------------------------

OLD_SOURCE = MINIMAL_SOURCE
DRIFT_BODY = """events:
  - id: meeting
    kind: meeting
    title: Alice meets Bob
    status: held
    confidence: high
    evidence:
      - {paragraph: 2, quote: in Paris on Monday}
      - {paragraph: 3, quote: Bob sold 3 tanks to Alice}
"""


def drifted(make_project: MakeProject, new_source: str) -> Path:
    return make_project(minimal_yaml(OLD_SOURCE, body=DRIFT_BODY), new_source)


def test_changed_source_is_a_warning_with_a_drift_report(make_project: MakeProject) -> None:
    new = OLD_SOURCE + "\nA closing line.\n"
    loaded = load_briefing(drifted(make_project, new))
    digest = hashlib.sha256(new.encode()).hexdigest()
    assert [(d.line, d.column, d.severity, d.message) for d in loaded.diagnostics] == [
        (6, 3, "warning", "drift report: 4 quotes still resolve, 0 moved, 0 lost"),
        (
            8,
            13,
            "warning",
            "source '../seeds/source.txt' has changed since the briefing was written "
            f"(sha256 is now {digest}); anchors are checked for drift",
        ),
    ]
    assert loaded.warnings == loaded.diagnostics


def test_drift_reports_moved_and_lost_quotes(make_project: MakeProject) -> None:
    new = (
        "Title line\n\nA new paragraph.\n\nAlice met Bob in Paris on Monday.\n\n"
        "Bob sold 30 rifles to Carol.\n"
    )
    assert found(drifted(make_project, new)) == [
        # The error first: it is what must be fixed.
        (33, 31, "error", "quote lost: no passage is close enough to relocate it"),
        (6, 3, "warning", "drift report: 0 quotes still resolve, 3 moved, 1 lost"),
        (8, 13, "warning", found(drifted(make_project, new))[2][3]),
        (18, 31, "warning", "quote moved to paragraph 3"),
        (24, 31, "warning", "quote moved to paragraph 3"),
        (32, 31, "warning", "quote moved to paragraph 3"),
    ]


def test_drift_with_replaced_words_is_lost_not_relocated(make_project: MakeProject) -> None:
    new = OLD_SOURCE.replace("Bob sold 3 tanks to Alice.", "Bob sold 40 rifles to Carol.")
    with pytest.raises(BriefingError) as caught:
        load_briefing(drifted(make_project, new))
    errors = [d for d in caught.value.diagnostics if d.severity == "error"]
    assert [(d.line, d.column, d.message) for d in errors] == [
        (33, 31, "quote lost: no passage is close enough to relocate it")
    ]
    report = [d.message for d in caught.value.diagnostics if "drift report" in d.message]
    assert report == ["drift report: 3 quotes still resolve, 0 moved, 1 lost"]


# --- diagnostics ---------------------------------------------------------------------------


def test_diagnostic_format_is_gcc_style_and_terminal_safe() -> None:
    diagnostic = Diagnostic("b.yaml", 3, 7, "error", "bad \x1b]52;c;x\x07 value\nsecond line")
    formatted = diagnostic.format()
    assert formatted.startswith("b.yaml:3:7: error: bad ")
    assert "\x1b" not in formatted and "\x07" not in formatted and "\n" not in formatted


def test_briefing_error_message_lists_every_diagnostic(make_project: MakeProject) -> None:
    text = (
        minimal_yaml()
        .replace("reliability: C", "reliability: G")
        .replace(
            "confidence: high\n    evidence:\n      - {paragraph: 2, quote: Bob",
            "confidence: sure\n    evidence:\n      - {paragraph: 2, quote: Bob",
        )
    )
    with pytest.raises(BriefingError) as caught:
        load_briefing(make_project(text))
    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(
        ":11:18: error: reliability: 'G' is not allowed; expected 'A', 'B', 'C', 'D', 'E' or 'F'"
    )
    assert ":22:17: error: confidence: 'sure' is not allowed" in lines[1]


def test_unreadable_briefing_is_a_diagnostic(tmp_path: Path) -> None:
    with pytest.raises(BriefingError) as caught:
        load_briefing(tmp_path / "absent.yaml")
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.severity) == (1, 1, "error")
    assert "briefing file" in diagnostic.message


def test_long_sections_validate_in_chunks_to_the_same_model_and_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long section is validated a chunk at a time (the GIL let go between, for signals
    and the interface): the model, and every error with its place, are those of one call."""
    from tui import loader, strict_yaml
    from tui.schema import Briefing

    data = strict_yaml.load(SEED_BRIEFING.read_text(encoding="utf-8"))[0]
    whole = Briefing.model_validate(data)
    monkeypatch.setattr(loader, "VALIDATE_CHUNK", 2)
    chunked = loader._validate(data)
    assert chunked == whole and chunked.model_fields_set == whole.model_fields_set
    assert chunked.model_dump_json(exclude_unset=True) == whole.model_dump_json(exclude_unset=True)

    broken = SEED_BRIEFING.read_text(encoding="utf-8")
    broken = broken.replace("kind: person", "kind: persona", 2).replace("title:", "titel:", 1)
    bad = strict_yaml.load(broken)[0]
    with pytest.raises(pydantic.ValidationError) as caught:
        Briefing.model_validate(bad)
    expected = sorted((tuple(d["loc"]), d["type"]) for d in caught.value.errors())
    with pytest.raises(loader._Invalid) as chunk_caught:
        loader._validate(bad)
    found = sorted((tuple(d["loc"]), d["type"]) for d in chunk_caught.value.details)
    assert found == expected and len(found) >= 3


def test_a_cache_entry_of_chunks_reads_back_the_same_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Long sections are cached a chunk to a line, read back a chunk at a time: the warm
    model is the cold one, and a chunk line that does not belong is a miss, not a model."""
    from tui import loader

    monkeypatch.setattr(loader, "VALIDATE_CHUNK", 2)
    cold = load_briefing(SEED_BRIEFING).briefing
    payload = loader._to_payload(cold)
    assert payload.count(b"\n") >= 6  # 13 parties and 7 statements, two to a line
    warm = loader._from_payload(payload)
    assert warm == cold and warm.model_fields_set == cold.model_fields_set
    assert warm.model_dump_json(exclude_unset=True) == cold.model_dump_json(exclude_unset=True)
    assert load_briefing(SEED_BRIEFING).briefing == cold  # through the cache itself
    first, rest = payload.split(b"\n", 1)
    for bad in (b"nosuchsection\t[]", b"parties[]", first):
        with pytest.raises(ValueError):
            loader._from_payload(first + b"\n" + bad + b"\n" + rest)


def test_a_loader_bug_is_one_diagnostic_of_bounded_length() -> None:
    """validate, the library and the reader all show a loader bug through internal_error."""
    from tui.loader import MAX_MESSAGE, internal_error

    diagnostic = internal_error(Path("x.yaml"), ValueError("word " * 10_000))
    assert (diagnostic.line, diagnostic.column, diagnostic.severity) == (1, 1, "error")
    assert diagnostic.message.startswith("internal error while loading: ValueError: word")
    assert len(diagnostic.message) <= MAX_MESSAGE
