"""Reading as-reported words: counts, sums of money and dates, as a careful reader would.

"over 1,000 troops" reads as more than 1000; "$7.7 billion" as 7700000000 in some dollar;
"on Wednesday" as the Wednesday nearest the source's publication date. The readings are
typed (a value or a range, a qualifier, the currencies a sign may mean, the days a date
covers) so the checks in value_checks can say exactly where a value and its words part.

Written here rather than taken from a library: none of number-parser, word2number or
dateparser is in the package index this project installs from, dateparser is heavy to import,
and none reads qualifiers ("over", "up to"), currency signs or arms-trade designations
("Su-25", "T-72B3"), which is most of the work. Pure functions on str; nothing of the UI.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# --- numbers ----------------------------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "mn": 1_000_000,
    "mln": 1_000_000,
    "m": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "tn": 1_000_000_000_000,
}
# Plural scale words read as vague ranges: "tens of thousands" is 10,000 to 99,999.
_VAGUE = {
    "several": (3, 9),
    "a few": (2, 5),
    "few": (2, 5),
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (100, 999),
    "thousands": (1_000, 9_999),
    "tens of thousands": (10_000, 99_999),
    "hundreds of thousands": (100_000, 999_999),
    "millions": (1_000_000, 9_999_999),
    "tens of millions": (10_000_000, 99_999_999),
    "hundreds of millions": (100_000_000, 999_999_999),
    "billions": (1_000_000_000, 9_999_999_999),
}

# Qualifier words, longest first, to the schema's qualifier they state. "nearly" is its own:
# nearly 1,000 is about, or just under, 1,000.
_QUALIFIERS = (
    ("no fewer than", "at_least"),
    ("no less than", "at_least"),
    ("a minimum of", "at_least"),
    ("at least", "at_least"),
    ("in excess of", "more_than"),
    ("upwards of", "more_than"),
    ("more than", "more_than"),
    ("greater than", "more_than"),
    ("exceeding", "more_than"),
    ("above", "more_than"),
    ("over", "more_than"),
    ("no more than", "at_most"),
    ("a maximum of", "at_most"),
    ("as many as", "at_most"),
    ("as much as", "at_most"),
    ("at most", "at_most"),
    ("up to", "at_most"),
    ("fewer than", "less_than"),
    ("less than", "less_than"),
    ("below", "less_than"),
    ("under", "less_than"),
    ("approximately", "about"),
    ("an estimated", "about"),
    ("some", "about"),
    ("about", "about"),
    ("around", "about"),
    ("roughly", "about"),
    ("circa", "about"),
    ("close to", "nearly"),
    ("nearly", "nearly"),
    ("almost", "nearly"),
    ("~", "about"),
)

QUALIFIER_WORDS = {
    "exact": "exactly",
    "more_than": "more than",
    "at_least": "at least",
    "about": "about",
    "at_most": "at most",
    "less_than": "less than",
    "nearly": "nearly",
    "range": "between",
    "vague": "vaguely",
    "unknown": "unknown",
}


@dataclass(frozen=True, slots=True)
class Amount:
    """A number as read: one value (low == high) or a range, and the qualifier of the words."""

    low: Decimal
    high: Decimal
    qualifier: str
    """exact, more_than, at_least, about, at_most, less_than, nearly, range or vague."""
    words: str
    """The words read, as they stand in the text."""

    @property
    def value(self) -> Decimal:
        return self.low

    def describe(self) -> str:
        if self.qualifier in ("range", "vague"):
            return f"between {_plain(self.low)} and {_plain(self.high)}"
        word = QUALIFIER_WORDS[self.qualifier]
        return _plain(self.low) if self.qualifier == "exact" else f"{word} {_plain(self.low)}"


def _plain(number: Decimal) -> str:
    """A number as digits, no exponent, no trailing zeros: 7700000000, 2.5 (clipped)."""
    text = format(number.normalize(), "f")
    return text if len(text) <= 40 else text[:39] + "…"


# A designation glued to letters ("Su-25", "Mi-8", "T-72B3", "052D", "17th") is a name, not
# a count: a number must not touch a letter, nor stand after a letter and a hyphen.
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_TENS = [k for k, v in _UNITS.items() if v >= 20]
_ONES = [k for k, v in _UNITS.items() if 0 < v < 10]
# Atomic groups and possessive repeats: "one one one ..." or "twenty five twenty five ..."
# has one reading, and a 500-character field must not make the matcher try them all.
_WORD_NUMBER = (
    r"(?>(?:" + "|".join(_TENS) + r")[- ](?:" + "|".join(_ONES) + r")(?!\w)"
    r"|(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")(?!\w))"
)
_SCALE = r"(?:hundred|thousand|million|billion|trillion|mn|mln|bn|tn)"
# "$5m" and "$2b" are scales only glued to their digits: "5 m" is five metres.
_NUMBER = (
    rf"(?:{_DIGITS}(?:(?:\s?{_SCALE}|[mb])(?!\w))?+(?:\s{_SCALE}(?!\w))*+"
    rf"|half\s+an?\s+{_SCALE}|an?\s+dozen|dozen"
    rf"|(?:an?|{_WORD_NUMBER})(?:(?:\s+and)?\s+(?:{_WORD_NUMBER}|{_SCALE}|dozen)(?!\w))*+)"
)
_BEFORE = r"(?<![\w.,/])(?<![A-Za-z]-)"
_NUMBER_RE = re.compile(rf"{_BEFORE}(?:{_NUMBER})(?!\w)(?![.,]\d)", re.IGNORECASE)
_FLAT = re.compile(r"\s+")


def _to_decimal(words: str) -> Decimal | None:
    """The value of one number in digits or words, or None when it is not one."""
    text = _FLAT.sub(" ", words.strip().lower()).replace(" and ", " ")
    match = re.match(r"^(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?(.*)$", text)
    if match:
        try:
            number = Decimal(match.group(1).replace(",", ""))
        except InvalidOperation:
            return None
        for scale in match.group(2).split():
            if scale not in _SCALES:
                return None
            number *= _SCALES[scale]
        return number
    if text.startswith("half a ") or text.startswith("half an "):
        rest = _to_decimal("a " + text.split(" ", 2)[2])
        return None if rest is None else rest / 2
    total = Decimal(0)
    current = Decimal(0)
    seen = False
    for word in re.split(r"[ -]", text):
        if word in ("a", "an"):
            current += 1
            seen = True
        elif word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word == "dozen":
            current = (current or Decimal(1)) * 12
            seen = True
        elif word == "hundred":
            current = (current or Decimal(1)) * 100
        elif word in _SCALES and word not in ("m", "b"):
            total += (current or 1) * _SCALES[word]
            current = Decimal(0)
        else:
            return None
    return total + current if seen else None


# Ranges are found from the numbers themselves (one compiled number pattern, not one per
# kind of range: those cost 40 ms to compile at import).
_NUMBER_WHOLE = re.compile(rf"(?:{_NUMBER})", re.IGNORECASE)
_DASH = re.compile(r"\s*(?:-|–|—|to)\s*", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_RANGE_START = re.compile(r"\b(between|from)\s+", re.IGNORECASE)


def _read_range(text: str) -> tuple[int, Amount] | None:
    """The first range stated: "2,000-3,000", "2 to 3 million", "between five and ten"."""
    for start in _RANGE_START.finditer(text):
        rest = start.end()
        joiner = _AND if start.group(1).lower() == "between" else _DASH
        for join in joiner.finditer(text, rest):
            # "between one hundred and twenty and two hundred": the first "and" that leaves
            # a whole number before it and a number after it.
            if not _NUMBER_WHOLE.fullmatch(text, rest, join.start()):
                continue
            after = _NUMBER_RE.match(text, join.end())
            if after is None:
                continue
            found = _range_of(text[rest : join.start()], after.group(0))
            if found is not None:
                words = text[start.start() : after.end()]
                return start.start(), Amount(found[0], found[1], "range", words)
    matches = list(_NUMBER_RE.finditer(text))
    for first, second in itertools.pairwise(matches):
        if _DASH.fullmatch(text, first.end(), second.start()):
            found = _range_of(first.group(0), second.group(0))
            if found is not None:
                words = text[first.start() : second.end()]
                return first.start(), Amount(found[0], found[1], "range", words)
    return None


def _range_of(a: str, b: str) -> tuple[Decimal, Decimal] | None:
    pair = _scaled_pair(a, b)
    return pair if pair is not None and pair[0] <= pair[1] else None


_VAGUE_RE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _VAGUE), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


# A currency written before the number ("about $900 million", "over USD 5 billion") stands
# between the qualifier and the number; without skipping it the qualifier was lost.
_SIGN_BEFORE_RE = re.compile(r"(?:\b[A-Z]{3}|\b[A-Z]{1,2}\$|[$€£¥₽₹₩₪₺₴])\s*$")


def _qualifier_before(text: str, start: int) -> tuple[str, int]:
    """The qualifier stated just before text[start:], and where its words begin."""
    before = text[:start].rstrip()
    sign = _SIGN_BEFORE_RE.search(before)
    if sign is not None:
        before = before[: sign.start()]
    before = before.rstrip().lower()
    for words, qualifier in _QUALIFIERS:
        if before.endswith(words) and (
            len(before) == len(words) or not before[-len(words) - 1].isalnum() or words == "~"
        ):
            return qualifier, len(before) - len(words)
    return "exact", start


def _scaled_pair(a: str, b: str) -> tuple[Decimal, Decimal] | None:
    """Both ends of a range; "2-3 million" scales its low end as its high."""
    high = _to_decimal(b)
    low = _to_decimal(a)
    if low is None or high is None:
        return None
    scale = re.search(rf"\s?{_SCALE}$", b.strip(), re.IGNORECASE)
    if scale and not re.search(rf"{_SCALE}$", a.strip(), re.IGNORECASE):
        factor = _to_decimal("1" + scale.group(0))
        if factor is not None and low * factor <= high:
            low *= factor
    return low, high


def read_amount(text: str) -> Amount | None:
    """The first count or sum stated in text (ranges and vague plurals included), or None."""
    found: list[tuple[int, Amount]] = []
    ranged = _read_range(text)
    if ranged is not None:
        found.append(ranged)
    match = _NUMBER_RE.search(text)
    while match is not None:
        number = _to_decimal(match.group(0))
        if number is not None:
            qualifier, begin = _qualifier_before(text, match.start())
            words = text[begin : match.end()]
            # Placed by the number, not its qualifier: a range at the same number wins.
            found.append((match.start(), Amount(number, number, qualifier, words)))
            break
        match = _NUMBER_RE.search(text, match.end())
    vague = _VAGUE_RE.search(text)
    if vague:
        low, high = _VAGUE[vague.group(1).lower()]
        found.append((vague.start(), Amount(Decimal(low), Decimal(high), "vague", vague.group(0))))
    if not found:
        return None
    # The earliest reading wins; at one place, a range over the single number inside it.
    found.sort(key=lambda f: (f[0], f[1].qualifier not in ("range",)))
    return found[0][1]


# --- currencies ------------------------------------------------------------------------------

_DOLLARS = frozenset({"USD", "CAD", "AUD", "SGD"})
_CURRENCY_SIGNS = (
    ("US$", frozenset({"USD"})),
    ("A$", frozenset({"AUD"})),
    ("C$", frozenset({"CAD"})),
    ("S$", frozenset({"SGD"})),
    ("R$", frozenset({"BRL"})),
    ("$", _DOLLARS),
    ("€", frozenset({"EUR"})),
    ("£", frozenset({"GBP", "EGP"})),
    ("¥", frozenset({"JPY", "CNY"})),
    ("₽", frozenset({"RUB"})),
    ("₹", frozenset({"INR"})),
    ("₩", frozenset({"KRW"})),
    ("₪", frozenset({"ILS"})),
    ("₺", frozenset({"TRY"})),
    ("₴", frozenset({"UAH"})),
)
_CURRENCY_NAMES = (
    ("us dollars", {"USD"}),
    ("u.s. dollars", {"USD"}),
    ("american dollars", {"USD"}),
    ("canadian dollars", {"CAD"}),
    ("australian dollars", {"AUD"}),
    ("singapore dollars", {"SGD"}),
    ("dollars", _DOLLARS),
    ("dollar", _DOLLARS),
    ("euros", {"EUR"}),
    ("euro", {"EUR"}),
    ("pounds sterling", {"GBP"}),
    ("sterling", {"GBP"}),
    ("egyptian pounds", {"EGP"}),
    ("pounds", {"GBP", "EGP"}),
    ("yen", {"JPY"}),
    ("renminbi", {"CNY"}),
    ("rmb", {"CNY"}),
    ("yuan", {"CNY"}),
    ("rubles", {"RUB"}),
    ("roubles", {"RUB"}),
    ("ruble", {"RUB"}),
    ("rouble", {"RUB"}),
    ("rupees", {"INR", "PKR"}),
    ("won", {"KRW", "KPW"}),
    ("swiss francs", {"CHF"}),
    ("francs", {"CHF"}),
    ("crowns", {"SEK", "NOK", "DKK", "CZK"}),
    ("kronor", {"SEK"}),
    ("kroner", {"NOK", "DKK"}),
    ("koruna", {"CZK"}),
    ("zloty", {"PLN"}),
    ("forint", {"HUF"}),
    ("lira", {"TRY"}),
    ("riyals", {"SAR", "IRR"}),
    ("rials", {"IRR"}),
    ("dirhams", {"AED"}),
    ("shekels", {"ILS"}),
    ("hryvnias", {"UAH"}),
    ("hryvnia", {"UAH"}),
    ("rand", {"ZAR"}),
    ("ringgit", {"MYR"}),
    ("baht", {"THB"}),
    ("rupiah", {"IDR"}),
    ("dong", {"VND"}),
    ("dinars", {"DZD"}),
    ("tenge", {"KZT"}),
    ("pesos", {"PHP"}),
    ("reais", {"BRL"}),
    ("special drawing rights", {"XDR"}),
)
_NAME_RE = re.compile(
    r"(?<![\w])("
    + "|".join(re.escape(n) for n, _ in sorted(_CURRENCY_NAMES, key=lambda c: -len(c[0])))
    + r")(?![\w])",
    re.IGNORECASE,
)
_NAMES = {name: frozenset(codes) for name, codes in _CURRENCY_NAMES}
_CODE_RE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")


@dataclass(frozen=True, slots=True)
class Currency:
    """The currencies the words may mean ("$": several dollars), and the words that say so."""

    codes: frozenset[str]
    words: str

    def describe(self) -> str:
        return "/".join(sorted(self.codes))


def read_currency(text: str, known_codes: frozenset[str] = frozenset()) -> Currency | None:
    """The currency the words state by sign, ISO code or name, or None when they state none."""
    best: tuple[int, Currency] | None = None
    for sign, codes in _CURRENCY_SIGNS:
        at = text.find(sign)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, Currency(codes, sign))
    name = _NAME_RE.search(text)
    if name and (best is None or name.start() < best[0]):
        best = (name.start(), Currency(_NAMES[name.group(1).lower()], name.group(1)))
    for code in _CODE_RE.finditer(text):
        if code.group(1) in known_codes and (best is None or code.start() < best[0]):
            best = (code.start(), Currency(frozenset({code.group(1)}), code.group(1)))
            break
    return None if best is None else best[1]


# --- dates -----------------------------------------------------------------------------------

_MONTH_NAMES = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_MONTH = r"(?P<{name}>" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{name}>(?:1[89]|2[01])\d\d)"


def _p(template: str, name: str) -> str:
    return template.format(name=name)


_DATE_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # Aug. 7, 2013 / August 7 2013 / Nov. 7-11, 2014 / Nov. 7-11
        rf"\b{_p(_MONTH, 'month')}\s+{_p(_DAY, 'day')}(?:\s*(?:-|–|to)\s*{_p(_DAY, 'day2')})?"
        rf"(?!\d)(?:,?\s+{_p(_YEAR, 'year')})?\b",
        # 7 August 2013 / 7-11 November 2014 / 7 August
        rf"\b{_p(_DAY, 'day')}(?:\s*(?:-|–|to)\s*{_p(_DAY, 'day2')})?\s+(?:of\s+)?"
        rf"{_p(_MONTH, 'month')}(?:,?\s+{_p(_YEAR, 'year')})?\b",
        # August 2013 / in August / August this year
        rf"\b{_p(_MONTH, 'month')}(?:,?\s+{_p(_YEAR, 'year')})?\b",
        # 2014-11-05 as written in ISO form
        rf"\b{_p(_YEAR, 'year')}-(?P<month_n>[01]\d)(?:-(?P<day_n>[0-3]\d))?\b",
        # 2027-2030 / from 2027 to 2030 / between 2027 and 2030 / 2027-30: a span of years
        rf"\b(?P<between>between\s+)?{_p(_YEAR, 'year')}\s*(?P<sep>-|–|—|to|and|through|until)\s*"
        rf"(?P<year2>(?:1[89]|2[01])\d\d|\d\d)\b",
        # Q3 2014 / the third quarter of 2014
        rf"\b(?:Q(?P<quarter>[1-4])|(?P<qword>first|second|third|fourth)\s+quarter(?:\s+of)?)"
        rf",?\s+{_p(_YEAR, 'year')}\b",
        # mid-2015, early 2014, 2014
        rf"\b(?:(?P<part>early|mid|late|the end of|the start of|the beginning of)[\s-]+)?"
        rf"{_p(_YEAR, 'year')}\b",
    )
)
_RELATIVE_YEAR = re.compile(
    r"\b(?P<part>earlier|later|early|late|mid|the end of|the start of)?[\s-]*"
    r"(?P<which>this|last|next|the current|the coming|the past)\s+year\b",
    re.IGNORECASE,
)
_RELATIVE_UNIT = re.compile(
    r"\b(?P<which>this|last|next|the current|the coming|the past)\s+(?P<unit>week|month)\b",
    re.IGNORECASE,
)
_DAY_WORDS = re.compile(r"\b(?P<word>today|yesterday|tomorrow|tonight)\b", re.IGNORECASE)
_WEEKDAY_RE = re.compile(
    r"\b(?:(?P<which>last|next|this|on|past|coming)\s+)?(?P<weekday>"
    + "|".join(_WEEKDAYS)
    + r")\b",
    re.IGNORECASE,
)
_VAGUE_DATE = re.compile(
    r"\b(recently|soon|earlier|later|in the past|in the future|shortly|lately|"
    r"previously|in recent (?:days|weeks|months|years)|in the coming (?:days|weeks|months|years)|"
    r"at the time|once|formerly|currently|now|ongoing)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Published:
    """A source's publication date: its first day and precision (day, month or year)."""

    first: dt.date
    precision: str


@dataclass(frozen=True, slots=True)
class DateReading:
    """What date words say: the days they may cover, each a (first, last) pair.

    Several alternatives when the words fit more than one ("in August" with no year), none
    when they need a publication date the source does not give. relative: some part of the
    date comes from the publication date, not the words. vague: the words give no date.
    """

    words: str
    alternatives: tuple[tuple[dt.date, dt.date], ...]
    precision: str
    """day, week, month or year: the precision of the words."""
    relative: bool = False
    vague: bool = False

    def describe(self) -> str:
        if self.vague:
            return "no date"
        if not self.alternatives:
            return f"a {self.precision} relative to a publication date the source does not give"
        return " or ".join(_span_words(a, b, self.precision) for a, b in self.alternatives[:3])


def _span_words(first: dt.date, last: dt.date, precision: str) -> str:
    if first == last:
        return first.isoformat()
    whole_year = (first.month, first.day, last.month, last.day) == (1, 1, 12, 31)
    if precision == "year" and whole_year:
        return str(first.year) if first.year == last.year else f"{first.year} to {last.year}"
    if precision == "month" and first.day == 1 and _month_end(first) == last:
        return first.strftime("%Y-%m")
    return f"{first.isoformat()} to {last.isoformat()}"


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _year_span(year: int, part: str | None = None) -> tuple[dt.date, dt.date]:
    del part  # "mid-2015" narrows nothing a year value says; a finer value must be inferred
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest_years(published: Published | None) -> tuple[int, ...]:
    """Years a yearless date may be in: the publication year and those either side."""
    if published is None:
        return ()
    year = published.first.year
    return (year, year - 1, year + 1)


def read_date(text: str, published: Published | None = None) -> DateReading | None:
    """What date words say, resolved against the publication date; None if not read as one."""
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        found = _absolute(match, text, published)
        if found is _IMPOSSIBLE:
            return None  # "Feb. 31": a date that is none; the caller says it cannot be read
        if found is not None:
            return found
    match = _RELATIVE_YEAR.search(text)
    if match:
        offset = {"last": -1, "the past": -1, "next": 1, "the coming": 1}.get(
            match.group("which").lower(), 0
        )
        if published is None:
            return DateReading(match.group(0).strip(), (), "year", relative=True)
        return DateReading(
            match.group(0).strip(),
            (_year_span(published.first.year + offset),),
            "year",
            relative=True,
        )
    match = _RELATIVE_UNIT.search(text)
    if match:
        unit = match.group("unit").lower()
        offset = {"last": -1, "the past": -1, "next": 1, "the coming": 1}.get(
            match.group("which").lower(), 0
        )
        words = match.group(0)
        need = "day" if unit == "week" else "month"
        if published is None or (need == "day" and published.precision != "day"):
            return DateReading(words, (), unit, relative=True)
        if published.precision == "year":
            return DateReading(words, (), unit, relative=True)
        base = published.first
        if unit == "week":
            monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(weeks=offset)
            return DateReading(
                words, ((monday, monday + dt.timedelta(days=6)),), "week", relative=True
            )
        month_index = base.year * 12 + base.month - 1 + offset
        first = dt.date(month_index // 12, month_index % 12 + 1, 1)
        return DateReading(words, ((first, _month_end(first)),), "month", relative=True)
    match = _DAY_WORDS.search(text)
    if match:
        if published is None or published.precision != "day":
            return DateReading(match.group(0), (), "day", relative=True)
        shift = {"yesterday": -1, "tomorrow": 1}.get(match.group("word").lower(), 0)
        day = published.first + dt.timedelta(days=shift)
        return DateReading(match.group(0), ((day, day),), "day", relative=True)
    match = _WEEKDAY_RE.search(text)
    if match:
        if published is None or published.precision != "day":
            return DateReading(match.group(0), (), "day", relative=True)
        weekday = _WEEKDAYS[match.group("weekday").lower()]
        which = (match.group("which") or "").lower()
        base = published.first
        # Last/next Wednesday: the one before/after; a bare or "on" Wednesday: within six days
        # either way (news says "on Wednesday" of the day before as of the day after).
        window = {"last": (-13, -1), "past": (-13, -1), "next": (1, 13), "coming": (1, 13)}
        low, high = window.get(which, (-6, 6))
        days = tuple(
            (d, d)
            for k in range(low, high + 1)
            if (d := base + dt.timedelta(days=k)).weekday() == weekday
        )
        return DateReading(match.group(0), days, "day", relative=True)
    match = _VAGUE_DATE.search(text)
    if match:
        return DateReading(match.group(0), (), "none", relative=True, vague=True)
    return None


_IMPOSSIBLE = DateReading("", (), "none")


def _absolute(match: re.Match[str], text: str, published: Published | None) -> DateReading | None:
    groups = match.groupdict()
    words = match.group(0).strip()
    month_word = groups.get("month")
    month = _MONTH_NAMES[month_word.lower()] if month_word else None
    if groups.get("month_n"):
        month = int(groups["month_n"])
    day = groups.get("day") or groups.get("day_n")
    day2 = groups.get("day2")
    year_text = groups.get("year")
    if month_word and month_word.lower() in ("may", "mar") and not (day or year_text):
        # "may" is a verb more often than a month; "in May" still reads.
        before = text[: match.start()].rstrip().lower()
        if not before.endswith(("in", "of", "since", "until", "by", "from")):
            return None
    quarter = groups.get("quarter") or groups.get("qword")
    if quarter and year_text:
        index = int(quarter) if quarter.isdigit() else _QUARTERS[quarter.lower()]
        first = dt.date(int(year_text), 3 * index - 2, 1)
        last = _month_end(dt.date(int(year_text), 3 * index, 1))
        return DateReading(words, ((first, last),), "quarter")
    if month is None:  # a bare year
        if year_text is None:
            return None
        if groups.get("year2") and (groups["sep"].lower() != "and" or groups.get("between")):
            start = int(year_text)
            end_text = groups["year2"]
            end = int(end_text) if len(end_text) == 4 else start // 100 * 100 + int(end_text)
            if end <= start:
                return None
            return DateReading(words, ((dt.date(start, 1, 1), dt.date(end, 12, 31)),), "year")
        return DateReading(words, (_year_span(int(year_text)),), "year")
    years: tuple[int, ...] = (int(year_text),) if year_text else ()
    relative = False
    if not years:
        relative = True
        after = text[match.end() :].lower()
        this_year = re.match(r"\s*(?:of\s+)?this\s+year\b", after)
        if this_year:
            words += text[match.end() :][: this_year.end()]
            years = (published.first.year,) if published else ()
        elif re.match(r"\s*(?:of\s+)?(?:last|next)\s+year\b", after) and published:
            years = (published.first.year + (1 if "next" in after[:12] else -1),)
        else:
            years = _nearest_years(published)
    alternatives: list[tuple[dt.date, dt.date]] = []
    precision = "day" if day else "month"
    for year in years:
        if day:
            first_day = _safe_date(year, month, int(day))
            last_day = _safe_date(year, month, int(day2)) if day2 else first_day
            if first_day is None or last_day is None or last_day < first_day:
                continue
            first, last = first_day, last_day
            alternatives.append((first, last))
        else:
            first = dt.date(year, month, 1)
            alternatives.append((first, _month_end(first)))
    if day and not alternatives and years:
        return _IMPOSSIBLE
    if len(alternatives) > 1 and published is not None:
        # A yearless date is the occurrence nearest the publication: "in August" written in
        # November 2014 is August 2014, "in December" written in January 2015 is December 2014.
        alternatives = [min(alternatives, key=lambda a: _distance(a, published.first))]
    return DateReading(words, tuple(alternatives), precision, relative=relative)


def _distance(span: tuple[dt.date, dt.date], day: dt.date) -> int:
    first, last = span
    return 0 if first <= day <= last else min(abs((first - day).days), abs((last - day).days))
