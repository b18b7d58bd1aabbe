"""Reading as-reported words: numbers, ranges, qualifiers, currencies and dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tui.reading import Published, read_amount, read_currency, read_date

PUBLISHED = Published(dt.date(2014, 11, 5), "day")  # a Wednesday


@pytest.mark.parametrize(
    ("words", "low", "high", "qualifier"),
    [
        ("1,000 troops", 1000, 1000, "exact"),
        ("over 1,000 troops", 1000, 1000, "more_than"),
        ("more than 500", 500, 500, "more_than"),
        ("$7.7 billion", 7_700_000_000, 7_700_000_000, "exact"),
        ("two Il-76 military transport airplanes", 2, 2, "exact"),
        ("a dozen tanks", 12, 12, "exact"),
        ("half a million rounds", 500_000, 500_000, "exact"),
        ("tens of thousands of troops", 10_000, 99_999, "vague"),
        ("2,000-3,000 troops", 2000, 3000, "range"),
        ("between 5 and 10 ships", 5, 10, "range"),
        ("2-3 million", 2_000_000, 3_000_000, "range"),
        ("about 40 jets", 40, 40, "about"),
        ("nearly 500", 500, 500, "nearly"),
        ("up to 40 jets", 40, 40, "at_most"),
        ("at least 12", 12, 12, "at_least"),
        ("some 300 troops", 300, 300, "about"),
        ("fewer than 20 ships", 20, 20, "less_than"),
        ("one hundred and twenty-five", 125, 125, "exact"),
        ("twenty-five tanks", 25, 25, "exact"),
        ("US$5m deal", 5_000_000, 5_000_000, "exact"),
        ("1.5bn", 1_500_000_000, 1_500_000_000, "exact"),
        # A designation's digits are a name, not a count.
        ("8 Mi-8 AMTSh helicopter gunships", 8, 8, "exact"),
        ("4 Sukhoi Su-25 assault jets", 4, 4, "exact"),
        ("8 Gripen-class fighters", 8, 8, "exact"),
    ],
)
def test_amounts(words: str, low: int, high: int, qualifier: str) -> None:
    found = read_amount(words)
    assert found is not None
    assert (found.low, found.high, found.qualifier) == (Decimal(low), Decimal(high), qualifier)


@pytest.mark.parametrize(
    "words", ["BM-21 rocket launch systems", "the 17th round", "Type 052D", "T-72B3", "中文", ""]
)
def test_no_count_in_names_ordinals_or_other_text(words: str) -> None:
    assert read_amount(words) is None


def test_amount_describes_itself_as_a_message_shows_it() -> None:
    assert read_amount("over 1,000 troops").describe() == "more than 1000"  # type: ignore[union-attr]
    assert read_amount("$7.7 billion").describe() == "7700000000"  # type: ignore[union-attr]
    assert read_amount("2,000-3,000").describe() == "between 2000 and 3000"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("words", "codes"),
    [
        ("$7.7 billion", {"USD", "CAD", "AUD", "SGD"}),
        ("US$7.7 billion", {"USD"}),
        ("€2.1 billion", {"EUR"}),
        ("£300 million", {"GBP", "EGP"}),
        ("¥10 billion", {"JPY", "CNY"}),
        ("RMB 5 billion", {"CNY"}),
        ("5 billion yuan", {"CNY"}),
        ("300 billion rubles", {"RUB"}),
        ("2 billion crowns", {"SEK", "NOK", "DKK", "CZK"}),
        ("USD 40 million", {"USD"}),
    ],
)
def test_currencies(words: str, codes: set[str]) -> None:
    found = read_currency(words, frozenset({"USD", "EUR", "CNY"}))
    assert found is not None and found.codes == codes


def test_no_currency() -> None:
    assert read_currency("13 battle tanks") is None


def day(text: str) -> tuple[dt.date, dt.date]:
    first = dt.date.fromisoformat(text)
    return first, first


@pytest.mark.parametrize(
    ("words", "alternatives", "precision", "relative"),
    [
        ("Aug. 7, 2013", [day("2013-08-07")], "day", False),
        ("on 5 March 2012", [day("2012-03-05")], "day", False),
        ("7-11 November 2014", [(dt.date(2014, 11, 7), dt.date(2014, 11, 11))], "day", False),
        ("on Wednesday", [day("2014-11-05")], "day", True),
        ("yesterday", [day("2014-11-04")], "day", True),
        ("this week", [(dt.date(2014, 11, 3), dt.date(2014, 11, 9))], "week", True),
        ("this year", [(dt.date(2014, 1, 1), dt.date(2014, 12, 31))], "year", True),
        ("next year", [(dt.date(2015, 1, 1), dt.date(2015, 12, 31))], "year", True),
        ("in August this year", [(dt.date(2014, 8, 1), dt.date(2014, 8, 31))], "month", True),
        ("mid-2015", [(dt.date(2015, 1, 1), dt.date(2015, 12, 31))], "year", False),
        ("Q3 2014", [(dt.date(2014, 7, 1), dt.date(2014, 9, 30))], "quarter", False),
        (
            "in August",
            [(dt.date(2014, 8, 1), dt.date(2014, 8, 31))],  # the August nearest publication
            "month",
            True,
        ),
    ],
)
def test_dates(
    words: str, alternatives: list[tuple[dt.date, dt.date]], precision: str, relative: bool
) -> None:
    found = read_date(words, PUBLISHED)
    assert found is not None
    assert list(found.alternatives) == alternatives
    assert (found.precision, found.relative) == (precision, relative)


def test_a_yearless_date_is_the_one_nearest_publication() -> None:
    found = read_date("in December", Published(dt.date(2015, 1, 10), "day"))
    assert found is not None
    assert found.alternatives == ((dt.date(2014, 12, 1), dt.date(2014, 12, 31)),)


def test_relative_dates_without_a_publication_date_are_unresolved() -> None:
    found = read_date("on Wednesday", None)
    assert found is not None and found.relative and found.alternatives == ()


def test_vague_and_unreadable_dates() -> None:
    vague = read_date("recently", PUBLISHED)
    assert vague is not None and vague.vague
    assert read_date("中文", PUBLISHED) is None
    assert read_date("Feb. 31, 2014", PUBLISHED) is None


@pytest.mark.parametrize(
    "junk",
    [
        "\x1b]52;c;aGk=\x07",
        "9" * 5000,
        "between and",
        "$ billion",
        # Runs of number words: one reading each, never an exponential search.
        "one " * 125,
        "twenty five " * 40,
        "a " * 250,
    ],
)
def test_hostile_text_never_crashes(junk: str) -> None:
    found = read_amount(junk)
    assert found is None or len(found.describe()) < 100
    read_currency(junk)
    read_date(junk, PUBLISHED)


@pytest.mark.parametrize(
    ("words", "qualifier", "value"),
    [
        ("about $900 million", "about", 900_000_000),
        ("over $7.7 billion", "more_than", 7_700_000_000),
        ("some US$900 million", "about", 900_000_000),
        ("nearly USD 5 billion", "nearly", 5_000_000_000),
        ("$7.7 billion", "exact", 7_700_000_000),
    ],
)
def test_a_qualifier_before_a_currency_sign_is_read(words: str, qualifier: str, value: int) -> None:
    # "about $900 million" was read as exact: the sign stood between the qualifier and the number.
    amount = read_amount(words)
    assert amount is not None and (amount.qualifier, amount.low) == (qualifier, value)
