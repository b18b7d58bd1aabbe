"""Messages that point at the fix: each slip a writer makes, and what the error says about it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import MakeProject, minimal_yaml
from tui.cli import EXIT_INVALID, EXIT_OK, main
from tui.loader import BriefingError, load_briefing
from tui.schema import Anchor
from tui.source import ResolveError, SourceText

SOURCE = (
    "Title line\n\n"
    "Alice met Bob in Paris on Monday. They talked for an hour.\n\n"
    "Bob sold 3 tanks to Alice. The deal was signed in Berlin.\n\n"
    "Russian Foreign Minister Сергей Лавров said the talks went well.\n\n"
    "中国和俄罗斯举行了联合军事演习。双方派出了大约两千五百名士兵参加演习。\n"
)


def refusal(source: SourceText, anchor: Anchor) -> str:
    with pytest.raises(ResolveError) as caught:
        source.resolve(anchor)
    return str(caught.value)


def only_error(path: Path) -> tuple[int, int, str]:
    with pytest.raises(BriefingError) as caught:
        load_briefing(path)
    (diagnostic,) = caught.value.diagnostics
    return diagnostic.line, diagnostic.column, diagnostic.message


# --- a comma inside a flow mapping ---------------------------------------------------------------


def test_a_comma_in_a_flow_mapping_says_to_quote_the_value(make_project: MakeProject) -> None:
    # Was: "unknown field '500 personnel'; expected one of: affiliation, aliases, ..."
    text = minimal_yaml() + (
        "events:\n"
        "  - {id: talks, kind: talks, title: Talks, status: held, confidence: high,\n"
        "     location: about 2,500 personnel, evidence: [{quote: met Bob}]}\n"
    )
    line, column, message = only_error(make_project(text))
    assert (line, column) == (27, 24)  # the key the comma made, where it stands
    assert message == (
        "unknown field '500 personnel': a comma inside {...} ends the value of 'location'; "
        "if 'location' is 'about 2,500 personnel', put the value in quotes: "
        "location: 'about 2,500 personnel'"
    )


def test_an_unknown_field_with_a_value_keeps_its_usual_message(make_project: MakeProject) -> None:
    text = minimal_yaml().replace("name: Alice\n", "name: Alice\n    rol: envoy\n", 1)
    _line, _column, message = only_error(make_project(text))
    assert message.startswith("unknown field 'rol'; did you mean 'role'?")


# --- quotes -------------------------------------------------------------------------------------


def test_a_quote_across_two_paragraphs_says_quotes_cannot_cross_them() -> None:
    # Was: "closest passage is paragraph 3 (71% alike)" and nothing about paragraphs.
    message = refusal(
        SourceText(SOURCE), Anchor(quote="The deal was signed in Berlin. Russian Foreign Minister")
    )
    assert "it runs from paragraph 3 into paragraph 4, and a quote cannot cross paragraphs" in (
        message
    )
    assert '"The deal was signed in Berlin." (paragraph 3)' in message
    assert '"Russian Foreign Minister" (paragraph 4)' in message


def test_a_long_near_miss_shows_where_the_two_texts_differ() -> None:
    # Both strings are clipped at 80 characters: past that, they looked the same.
    long = "They met in the capital for the seventeenth round of talks on military cooperation"
    source = SourceText(f"Title\n\n{long}, and agreed to meet again in spring.\n")
    quote = long + ", and agreed to meet again in summer."
    message = refusal(source, Anchor(quote=quote))
    assert "closest passage is paragraph 2" in message
    assert (
        "they first differ at character 114: quote '…t again in summer.', "
        "source '…t again in spring.'"
    ) in message


def test_a_look_alike_letter_is_named_with_its_script() -> None:
    # Latin "a" inside Cyrillic "Лавров"; in a long source the word filter used to miss the
    # paragraph altogether ("closest passage ... (33% alike)").
    filler = "\n\n".join(f"Paragraph {n} is about Ruritanian Foreign affairs." for n in range(60))
    source = SourceText(f"{filler}\n\n{SOURCE}")
    message = refusal(source, Anchor(quote="Сергей Лaвров"))
    assert message == (
        'quote "Сергей Лaвров" is not in the source: it has '
        "'a' (U+0061 LATIN SMALL LETTER A) among Cyrillic letters; "
        "the source has 'а' (U+0430 CYRILLIC SMALL LETTER A) (paragraph 64)"
    )


def test_a_look_alike_letter_without_a_twin_is_still_named() -> None:
    message = refusal(SourceText(SOURCE), Anchor(quote="Сергей Лавров saiд"))
    assert "'д' (U+0434 CYRILLIC SMALL LETTER DE) among Latin letters" in message


def test_japanese_mixing_scripts_is_not_a_look_alike() -> None:
    message = refusal(
        SourceText("Title\n\n日本とロシアの会談。\n"), Anchor(quote="日本とロシアの首脳")
    )
    assert "among" not in message


def test_a_prefix_that_fits_in_another_paragraph_says_which() -> None:
    message = refusal(SourceText(SOURCE), Anchor(paragraph=2, quote="Alice", prefix="tanks to"))
    assert message == (
        'quote "Alice" is found, but not with the given prefix/suffix; '
        "with this prefix the quote is in paragraph 3, not 2"
    )


def test_a_prefix_that_does_not_fit_shows_what_stands_there() -> None:
    message = refusal(SourceText(SOURCE), Anchor(paragraph=2, quote="Bob", prefix="Alice saw"))
    assert message.endswith('before it in paragraph 2 stands "Alice met"')
    message = refusal(SourceText(SOURCE), Anchor(paragraph=2, quote="Bob", suffix="on Monday"))
    assert 'after it in paragraph 2 stands "in Paris on Monday."' in message
    assert "the suffix is in paragraph 2, but not next to the quote" in message


def test_matching_is_case_sensitive_and_says_so() -> None:
    message = refusal(SourceText(SOURCE), Anchor(paragraph=2, quote="Bob", prefix="alice met"))
    assert "the prefix matches only ignoring capitals (matching is case-sensitive)" in message
    message = refusal(SourceText(SOURCE), Anchor(quote="alice met bob"))
    assert message.endswith('matching is case-sensitive, and paragraph 2 has "Alice met Bob"')


@pytest.mark.parametrize("block", [">-", "|-"])
def test_a_quote_folded_in_a_script_without_spaces_says_to_drop_the_spaces(
    make_project: MakeProject, block: str
) -> None:
    digest = hashlib.sha256(SOURCE.encode()).hexdigest()
    text = minimal_yaml(SOURCE, sha=digest) + (
        "events:\n"
        "  - id: drill\n    kind: other\n    title: Drill\n    status: held\n"
        "    confidence: high\n    evidence:\n"
        f"      - quote: {block}\n"
        "          中国和俄罗斯举行了联合军事演习。\n"
        "          双方派出了大约两千五百名士兵参加演习。\n"
    )
    _line, _column, message = only_error(make_project(text, SOURCE))
    assert (
        "without its spaces between Chinese, Japanese or Thai characters it is in paragraph 5"
        in (message)
    )
    assert "YAML block (folded by >-, or kept by |-) counts as a space" in message
    # The fix it names works: double quotes, each broken line ending with a backslash.
    fixed = text.replace(
        f"quote: {block}\n          中国和俄罗斯举行了联合军事演习。\n",
        'quote: "中国和俄罗斯举行了联合军事演习。\\\n          ',
    ).replace("参加演习。\n", '参加演习。"\n')
    assert load_briefing(make_project(fixed, SOURCE)).diagnostics == []


# --- wikidata -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("Q0", "'Q0' is not a Wikidata item id: item ids start at Q1 (there is no Q0)"),
        ("Q0159", "'Q0159' is not a Wikidata item id: no leading zeros: Q159"),
        ("q159", "'q159' is not a Wikidata item id: a capital Q: Q159"),
        ("https://www.wikidata.org/wiki/Q159", "write the id alone: Q159"),
        ("P31", "P ids are properties; a party is an item, whose id starts with Q"),
    ],
)
def test_a_bad_wikidata_id_says_what_is_wrong(
    make_project: MakeProject, given: str, says: str
) -> None:
    # Was: "'Q0' is not a valid wikidata: Q followed by digits" (and Q0 is).
    text = minimal_yaml().replace("name: Alice\n", f"name: Alice\n    wikidata: {given}\n", 1)
    _line, _column, message = only_error(make_project(text))
    assert message.startswith("wikidata: ") and says in message


# --- the skeleton's placeholders ----------------------------------------------------------------


def test_placeholders_left_in_are_warnings_and_strict_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "talks.txt").write_text("Title\n\nTODO: a source may say this.\n")
    assert main(["new", "talks.txt"]) == EXIT_OK
    capsys.readouterr()
    assert main(["validate", "talks.yaml"]) == EXIT_OK
    out = capsys.readouterr().out
    assert (
        "talks.yaml:10:11: warning: placeholder left in: 'TODO: the bottom line up front.'; "
        in (out)
    )
    assert (
        "warning: placeholder left in: 'TODO: the language tag of the text'; check the value"
        in (out)
    )
    assert out.count("placeholder left in") == 4  # not the source's own words listed below
    assert out.endswith("1 file checked, all valid: 0 errors, 4 warnings\n")
    assert main(["validate", "--strict", "talks.yaml"]) == EXIT_INVALID
    out = capsys.readouterr().out
    assert "talks.yaml:10:11: error: placeholder left in" in out
    assert out.endswith("1 file checked, 1 invalid: 4 errors, 0 warnings\n")


def test_a_filled_in_briefing_has_no_placeholders_and_passes_strict(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.authoring import placeholders

    path = make_project()
    assert placeholders(path) == []
    assert main(["validate", "--strict", str(path)]) == EXIT_OK
    assert capsys.readouterr().out.endswith("all valid: 0 errors, 0 warnings\n")


def test_strict_fails_on_any_warning(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_project(minimal_yaml(sha="0" * 64))  # a changed source is a warning
    assert main(["validate", str(path)]) == EXIT_OK
    capsys.readouterr()
    assert main(["validate", "--strict", "--format", "json", str(path)]) == EXIT_INVALID
    assert '"severity": "warning"' not in capsys.readouterr().out


def test_many_look_alike_letters_name_a_few_and_count_the_rest() -> None:
    # A hostile quote full of mixed words: the message stays short.
    quote = " ".join(f"Ла{latin}ров" for latin in "aceopxy" * 100)
    message = refusal(SourceText(SOURCE), Anchor(quote=quote))
    assert message.count("U+") == 3 and "(and 4 more)" in message
    assert len(message) < 600


def test_placeholders_are_placed_with_any_line_ends_and_capped(tmp_path: Path) -> None:
    from tui.authoring import MAX_PLACEHOLDERS, placeholders

    path = tmp_path / "b.yaml"
    path.write_bytes("a: 1\r\nsummary: 'TODO: say it'\r\n\u2028# TODO: check\nnoTODO: x\n".encode())
    found = [(d.line, d.column, d.message) for d in placeholders(path)]
    assert found == [
        (2, 11, "placeholder left in: 'TODO: say it'; write the real value"),
        (4, 3, "placeholder left in: 'TODO: check'; check the value, then delete this comment"),
    ]
    path.write_text("# TODO: x\n" * 10_000)
    found = placeholders(path)
    assert len(found) == MAX_PLACEHOLDERS
    assert found[-1].message.endswith("(and more placeholders after it)")


def test_a_comma_in_a_number_says_to_drop_it(make_project: MakeProject) -> None:
    text = minimal_yaml() + (
        "drills:\n"
        "  - id: drill\n    participants: [alice]\n    confidence: high\n"
        "    evidence: [{quote: met Bob}]\n"
        "    contributions:\n"
        "      - {party: alice, equipment: troops, quantity: {value: 2,500 troops}}\n"
    )
    _line, _column, message = only_error(make_project(text))
    assert message == (
        "unknown field '500 troops': a comma inside {...} ends the value of 'value'; "
        "write the number without its comma: value: 2500"
    )


def test_only_the_context_at_fault_is_named() -> None:
    anchor = Anchor(quote="Bob", prefix="Alice met", suffix="in Rome")
    message = refusal(SourceText(SOURCE), anchor)
    assert "prefix" not in message.split("prefix/suffix", 1)[1]
    assert 'after it in paragraph 2 stands "in Paris on Monday."' in message
