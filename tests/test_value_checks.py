"""Validation reads values against their words: each disagreement is an error at file:line:col."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from tests.conftest import SEED_BRIEFING, SEED_SOURCE
from tui.loader import BriefingError, load_briefing

SEED_TEXT = SEED_BRIEFING.read_text(encoding="utf-8")


def project(tmp_path: Path, briefing: str, source: str | None = None) -> Path:
    (tmp_path / "briefings").mkdir(exist_ok=True)
    (tmp_path / "seeds").mkdir(exist_ok=True)
    text = source if source is not None else SEED_SOURCE.read_text(encoding="utf-8")
    (tmp_path / "seeds" / SEED_SOURCE.name).write_text(text, encoding="utf-8", newline="")
    path = tmp_path / "briefings" / "b.yaml"
    path.write_text(briefing, encoding="utf-8")
    return path


def changed(old: str, new: str) -> str:
    assert SEED_TEXT.count(old) == 1, old
    return SEED_TEXT.replace(old, new)


def line_of(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


def diagnostics(path: Path) -> list[tuple[int, int, str, str]]:
    try:
        found = load_briefing(path).diagnostics
    except BriefingError as error:
        found = error.diagnostics
    return [(d.line, d.column, d.severity, d.message) for d in found]


def only_error(path: Path) -> tuple[int, int, str]:
    errors = [d for d in diagnostics(path) if d[2] == "error"]
    assert len(errors) == 1, errors
    return errors[0][0], errors[0][1], errors[0][3]


def test_the_bundled_briefing_is_still_valid(tmp_path: Path) -> None:
    assert diagnostics(project(tmp_path, SEED_TEXT)) == []


def test_a_count_that_contradicts_its_words(tmp_path: Path) -> None:
    text = changed("{value: 13, unit: battle tanks", "{value: 31, unit: battle tanks")
    line, column, message = only_error(project(tmp_path, text))
    assert (line, column) == (
        line_of(text, "{value: 31,"),
        text.split("\n")[line - 1].index("31") + 1,
    )
    assert message == "reported '13 battle tanks' reads as 13; value is 31"


def test_a_count_next_to_a_designation(tmp_path: Path) -> None:
    text = changed("{value: 4, unit: assault jets", "{value: 25, unit: assault jets")
    assert only_error(project(tmp_path, text))[2] == (
        "reported '4 Sukhoi Su-25 assault jets' reads as 4; value is 25"
    )


def test_a_qualifier_that_contradicts_its_words(tmp_path: Path) -> None:
    text = changed("value: 1000, qualifier: more_than", "value: 1000, qualifier: about")
    message = only_error(project(tmp_path, text))[2]
    assert message.startswith("reported 'over 1,000 troops' reads as more than 1000; qualifier")


def test_a_sum_that_contradicts_its_words(tmp_path: Path) -> None:
    text = changed("value: 7700000000", "value: 77")
    line, _column, message = only_error(project(tmp_path, text))
    assert line == line_of(text, "value: 77\n")
    assert message == "reported '$7.7 billion' reads as 7700000000 AUD/CAD/SGD/USD; value is 77"


def test_a_currency_that_contradicts_its_words(tmp_path: Path) -> None:
    text = changed("      currency: USD", "      currency: EUR")
    line, _column, message = only_error(project(tmp_path, text))
    assert line == line_of(text, "currency: EUR")
    assert message == "reported '$7.7 billion' reads as AUD/CAD/SGD/USD (from '$'); currency is EUR"


def test_a_euro_sum_given_in_dollars(tmp_path: Path) -> None:
    source = SEED_SOURCE.read_text(encoding="utf-8").replace("$7.7 billion", "€2.1 billion")
    digest = hashlib.sha256(source.encode()).hexdigest()
    text = re.sub(r"sha256: [0-9a-f]{64}", f"sha256: {digest}", SEED_TEXT).replace(
        "$7.7 billion", "€2.1 billion"
    )
    text = text.replace("value: 7700000000", "value: 2100")
    messages = sorted(d[3] for d in diagnostics(project(tmp_path, text, source)) if d[2] == "error")
    assert messages == [
        "reported '€2.1 billion' reads as 2100000000 EUR; value is 2100",
        "reported '€2.1 billion' reads as EUR (from '€'); currency is USD",
    ]


def test_a_date_that_contradicts_its_words(tmp_path: Path) -> None:
    text = changed('      value: "2015"', '      value: "2016"')
    assert (
        only_error(project(tmp_path, text))[2]
        == "reported 'next year' reads as 2015; value is 2016"
    )


def test_a_date_less_precise_than_its_words(tmp_path: Path) -> None:
    text = changed('value: "2013-08-07"', 'value: "2013-08"')
    assert only_error(project(tmp_path, text))[2] == (
        "reported 'Aug. 7, 2013' reads as 2013-08-07; value is 2013-08 (a day; value is a month)"
    )


def test_stated_days_stay_as_stated_when_the_year_is_inferred(tmp_path: Path) -> None:
    text = changed('      end: "2014-11-11"', '      end: "2014-11-10"')
    assert "reads as 2014-11-07 to 2014-11-11" in only_error(project(tmp_path, text))[2]


def test_a_relative_date_must_say_it_is_inferred(tmp_path: Path) -> None:
    old = """      reported: next year
      value: "2015"
      inferred: true
"""
    text = changed(old, old.replace("inferred: true", "inferred: false"))
    assert only_error(project(tmp_path, text))[2] == (
        "reported 'next year' is relative to the publication date; value 2015 must be marked "
        "inferred: true with a basis"
    )


def test_an_as_reported_field_outside_the_quotes(tmp_path: Path) -> None:
    text = changed("recipient_reported: global clients", "recipient_reported: Atlantis")
    line, column, message = only_error(project(tmp_path, text))
    assert (line, column) == (line_of(text, "Atlantis"), 25)
    assert message == (
        "recipient_reported 'Atlantis' is not inside any of this item's quotes; "
        "quote the words the source uses"
    )


def test_a_direct_quote_not_in_the_source(tmp_path: Path) -> None:
    text = changed(
        "text: Many cooperation projects in critical areas",
        "text: Few cooperation projects in critical areas",
    )
    line, _column, message = only_error(project(tmp_path, text))
    assert line == line_of(text, "text: Few")
    assert message.startswith("a direct statement's text must stand word for word in one of")


def test_a_paraphrase_is_free(tmp_path: Path) -> None:
    text = changed(
        "text: Russian-Chinese combat comradeship had long-standing traditions.",
        "text: The comradeship of the two armies is old, Putin said.",
    )
    assert diagnostics(project(tmp_path, text)) == []


def test_unreadable_words_are_a_warning_not_a_pass(tmp_path: Path) -> None:
    text = changed(
        "{value: 13, unit: battle tanks, reported: 13 battle tanks}",
        "{value: 13, unit: battle tanks, reported: battle tanks}",
    )
    found = diagnostics(project(tmp_path, text))
    assert [(d[2], d[3]) for d in found] == [
        ("warning", "could not read 'battle tanks' as a number; check value 13 by hand")
    ]


def drifted(tmp_path: Path, old: str, new: str) -> list[tuple[int, int, str, str]]:
    source = SEED_SOURCE.read_text(encoding="utf-8")
    assert source.count(old) == 1
    return diagnostics(project(tmp_path, SEED_TEXT, source.replace(old, new)))


@pytest.mark.parametrize(
    ("old", "new", "touches"),
    [
        ("13 battle tanks", "31 battle tanks", "a number ('13' became '31')"),
        ("could help enhance", "could not help enhance", "a negation ("),
        ("Valery Gerasimov, Chief", "Sergei Shoigu, Chief", "a capitalised name ("),
    ],
)
def test_a_changed_quote_is_an_error_when_the_change_matters(
    tmp_path: Path, old: str, new: str, touches: str
) -> None:
    found = drifted(tmp_path, old, new)
    changed = [d for d in found if "quote changed: closest is paragraph" in d[3]]
    assert changed, found
    assert all(d[2] == "error" and f"the change touches {touches}" in d[3] for d in changed)


def test_a_changed_quote_stays_a_warning_when_the_change_is_slight(tmp_path: Path) -> None:
    found = drifted(tmp_path, "long-standing traditions", "longstanding traditions")
    assert [d for d in found if d[2] == "error"] == []
    assert any("quote changed: closest is paragraph" in d[3] for d in found)


def test_values_that_are_no_number_or_huge_are_errors_clipped() -> None:
    from tui.reading import read_amount
    from tui.value_checks import _compare

    reading = read_amount("13 tanks")
    nan = _compare("13 tanks", reading, float("nan"), "exact", ("v",), "", inferred=False)
    assert [p.message for p in nan] == ["reported '13 tanks' reads as 13; value is NaN"]
    huge = _compare("13 tanks", reading, 10**5000, "exact", ("v",), "", inferred=False)
    assert len(huge[0].message) < 120
