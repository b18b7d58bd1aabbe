"""Values against their words: a number, sum, date or direct quote must say what its quote says.

Run by the loader on a briefing that validated, after its anchors resolved. Each check reads
the as-reported words (tui.reading) and compares them with the value the analyst wrote; a
disagreement is an error located at the value, and the message shows how the words read.
Words that cannot be read are a warning: a value is never passed silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .reading import (
    QUALIFIER_WORDS,
    Amount,
    Published,
    read_amount,
    read_currency,
    read_date,
)
from .safe_text import clip, clipped_repr
from .schema import (
    CURRENCY_CODES,
    Anchor,
    ArmsSale,
    Attribution,
    Briefing,
    Date,
    Duration,
    Item,
    Money,
    Problem,
    Quantity,
    Statement,
    parse_date_value,
    walk_values,
)
from .schema import _last_day as last_day
from .source import flatten

Loc = tuple[str | int, ...]

# What each reading's qualifier allows the value's qualifier to be.
_ALLOWED = {
    "exact": {"exact"},
    "more_than": {"more_than"},
    "at_least": {"at_least"},
    "about": {"about"},
    "at_most": {"at_most"},
    "less_than": {"less_than"},
    "nearly": {"about", "less_than", "at_most"},
}


def check_values(briefing: Briefing) -> list[Problem]:
    """Every value of every item against its words and its quotes."""
    problems: list[Problem] = []
    published = {s.id: _published(s.published) for s in briefing.sources}
    default = briefing.sources[0].id
    for loc, item in briefing.items():
        grounded = _Quotes(item.evidence).hold
        claims = item.claims
        # A claim's words stand in its own quotes, and its dates read from its own source.
        claim_quotes = [_Quotes(c.evidence) for c in claims] if claims else []
        for sub, value in walk_values(item):
            where = loc + sub
            holds, whose, cited = grounded, "this item's", item.evidence
            if claims and sub[0] == "claims" and isinstance(sub[1], int):
                holds, whose = claim_quotes[sub[1]].hold, "this claim's"
                cited = claims[sub[1]].evidence
            reported = value.reported
            if reported is not None and not holds(reported):
                problems.append(
                    Problem(
                        where + ("reported",),
                        f"as-reported words {reported!r} are not inside any of {whose} "
                        "quotes; quote the words the source uses",
                    )
                )
            if isinstance(value, Quantity):
                problems.extend(_check_amount(value, where, _designation(item, sub)))
            elif isinstance(value, Money):
                problems.extend(_check_money(value, where))
            elif isinstance(value, Duration):
                problems.extend(_check_duration(value, where))
            elif reported is not None and value.value is not None:
                # A date's words read from its source's publication date: the claim's own
                # source for a claim's date. (Without words or a value there is nothing to
                # check: _check_date returns at once.)
                at = cited[0].source or default
                problems.extend(_check_date(value, where, published.get(at)))
        original = isinstance(item, Statement) and item.original is not None
        if claims or item.via or original or not isinstance(item.attributed_to, str | None):
            problems.extend(_check_format2_words(item, loc, grounded, claim_quotes))
        for name in _reported_names(item):
            words = getattr(item, name)
            if words is not None and not grounded(words):
                problems.append(
                    Problem(
                        loc + (name,),
                        f"{name} {_quoted_words(words)} is not inside any of this item's quotes; "
                        "quote the words the source uses",
                    )
                )
        if isinstance(item, ArmsSale):
            problems.extend(_check_deliveries(item, loc, grounded))
        if isinstance(item, Statement) and item.mode == "direct" and not grounded(item.text):
            problems.append(
                Problem(
                    loc + ("text",),
                    f"a direct statement's text must stand word for word in one of its "
                    f"quotes; {_quoted_words(item.text)} does not (write mode: paraphrase for "
                    "words of your own)",
                )
            )
    return problems


def _check_deliveries(sale: ArmsSale, loc: Loc, grounded: Callable[[str], bool]) -> list[Problem]:
    """Each delivery's words stand in the sale's quotes, and its own reported date and count
    in its words: a delivery cites its own evidence, not the order's."""
    problems: list[Problem] = []
    for d, delivery in enumerate(sale.deliveries):
        where = loc + ("deliveries", d)
        for q, words in enumerate(delivery.quotes):
            if not grounded(words):
                problems.append(
                    Problem(
                        where + ("quotes", q),
                        f"{_quoted_words(words)} is not inside any of this item's quotes; a "
                        "delivery's words must be quoted in the sale's evidence",
                    )
                )
        for name in ("equipment", "designation"):
            named = getattr(delivery, name)
            listed = {getattr(line, name) for line in sale.items} - {None}
            if named is not None and listed and named not in listed:
                shown = ", ".join(repr(clip(x, 40)) for x in sorted(listed))
                problems.append(
                    Problem(
                        where + (name,),
                        f"delivery {name} {_quoted_words(named)} is not one of the sale's "
                        f"items ({shown})",
                    )
                )
        if not delivery.quotes:
            continue
        own = [flatten(words) for words in delivery.quotes]
        for name in ("date", "quantity"):
            value = getattr(delivery, name)
            if value is None or value.reported is None:
                continue
            if not any(flatten(value.reported) in words for words in own):
                problems.append(
                    Problem(
                        where + (name, "reported"),
                        f"as-reported words {_quoted_words(value.reported)} are not inside "
                        "this delivery's quotes; quote the words that report this delivery",
                    )
                )
    return problems


def _check_format2_words(
    item: Item,
    loc: Loc,
    grounded: Callable[[str], bool],
    claim_quotes: list[_Quotes],
) -> list[Problem]:
    """Words of format 2 that are the source's: a claim's value in words, an anonymous
    source's description, a statement's original that the source prints."""
    problems: list[Problem] = []
    for i, claim in enumerate(item.claims):
        if claim.reported is not None and not claim_quotes[i].hold(claim.reported):
            problems.append(
                Problem(
                    loc + ("claims", i, "reported"),
                    f"reported {_quoted_words(claim.reported)} is not inside any of this "
                    "claim's quotes; quote the words the source uses",
                )
            )
    places: list[tuple[Loc, Any, Callable[[str], bool]]] = [
        (("attributed_to",), item.attributed_to, grounded),
        (("via",), item.via, grounded),
    ]
    for i, claim in enumerate(item.claims):
        places.append((("claims", i, "attributed_to"), claim.attributed_to, claim_quotes[i].hold))
        places.append((("claims", i, "via"), claim.via, claim_quotes[i].hold))
    for sub, value, holds in places:
        entries = value if isinstance(value, list) else [value]
        for k, entry in enumerate(entries):
            if not isinstance(entry, Attribution) or entry.anonymous is None:
                continue
            own = _Quotes(entry.evidence).hold
            if not holds(entry.anonymous) and not own(entry.anonymous):
                at = sub + (k,) if isinstance(value, list) else sub
                problems.append(
                    Problem(
                        loc + at + ("anonymous",),
                        f"anonymous {_quoted_words(entry.anonymous)} is not inside the quotes; "
                        "describe the source in the text's own words",
                    )
                )
    if isinstance(item, Statement) and item.original is not None:
        original = item.original
        if original.basis is None and not grounded(original.text):
            problems.append(
                Problem(
                    loc + ("original", "text"),
                    f"original {_quoted_words(original.text)} is not inside any of this item's "
                    "quotes; give a basis saying where the words come from",
                )
            )
    return problems


class _Quotes:
    """Quotes, flattened when first asked (most items have no words to check)."""

    __slots__ = ("anchors", "flat")

    def __init__(self, anchors: list[Anchor]) -> None:
        self.anchors = anchors
        self.flat: list[str] | None = None

    def hold(self, words: str) -> bool:
        """The words stand inside one of the quotes (whitespace runs loosely)."""
        flat = self.flat
        if flat is None:
            flat = self.flat = [flatten(a.quote) for a in self.anchors]
        found = flatten(words)
        return any(found in quote for quote in flat)


def _published(date: Date | None) -> Published | None:
    if date is None or date.value is None:
        return None
    first, precision = parse_date_value(date.value)
    return Published(first, precision)


_reported_cache: dict[type, tuple[str, ...]] = {}


def _reported_names(item: Item) -> tuple[str, ...]:
    """Text fields named *_reported: words the source uses, so they must be quoted."""
    model = type(item)
    names = _reported_cache.get(model)
    if names is None:
        names = _reported_cache[model] = tuple(
            n for n in model.model_fields if n.endswith("_reported")
        )
    return names


def _designation(item: Item, sub: Loc) -> str | None:
    """The designation beside a quantity ("Mi-8 AMTSh"): its digits are no count."""
    node: object = item
    for part in sub[:-1]:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) else None
        else:
            node = getattr(node, part, None)
    return getattr(node, "designation", None)


def _quoted_words(words: str) -> str:
    """Words of the briefing quoted in a message, on one line."""
    return clipped_repr(flatten(words), 80)


def _number(value: int | float) -> Decimal:
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def _plain(value: int | float | None) -> str:
    if value is None:
        return "null"
    return clip(format(_number(value).normalize(), "f"), 40)  # a hostile 5,000 digits: clipped


def _read_count(words: str, designation: str | None) -> Amount | None:
    text = words
    if designation:
        text = text.replace(designation, " ")
    return read_amount(text)


def _check_amount(q: Quantity, loc: Loc, designation: str | None) -> list[Problem]:
    if q.reported is None:
        return []
    reading = _read_count(q.reported, designation)
    return _compare(q.reported, reading, q.value, q.qualifier, loc, "", inferred=False)


def _compare(
    words: str,
    reading: Amount | None,
    value: int | float | None,
    qualifier: str,
    loc: Loc,
    unit: str,
    inferred: bool,
) -> list[Problem]:
    """A value and its qualifier against the reading of its words.

    Words that give no number leave an inferred value (with its basis) to the analyst; words
    that do give one must agree with it, inferred or not: inferred covers a currency read
    from a sign, never a different number.
    """
    if reading is None:
        if value is None or inferred:
            return []
        return [
            Problem(
                loc + ("value",),
                f"could not read {_quoted_words(words)} as a number; check value {_plain(value)} by hand",
                "warning",
            )
        ]
    if value is None:
        return [Problem(loc + ("value",), f"{_reads(words, reading, unit)}; value is null")]
    number = _number(value)
    if not number.is_finite():  # NaN does not even compare; neither agrees with words
        return [
            Problem(loc + ("value",), f"{_reads(words, reading, unit)}; value is {_plain(value)}")
        ]
    if reading.qualifier in ("range", "vague"):
        if not reading.low <= number <= reading.high:
            return [
                Problem(
                    loc + ("value",), f"{_reads(words, reading, unit)}; value is {_plain(value)}"
                )
            ]
        allowed = {"about", "more_than", "at_least", "at_most", "less_than"}
        if reading.low == reading.high:
            allowed.add("exact")
        if qualifier not in allowed:
            return [
                Problem(
                    loc + ("qualifier",),
                    f"{_reads(words, reading, unit)}; qualifier is {qualifier}",
                )
            ]
        return []
    if number != reading.value:
        return [
            Problem(loc + ("value",), f"{_reads(words, reading, unit)}; value is {_plain(value)}")
        ]
    if qualifier not in _ALLOWED[reading.qualifier]:
        wanted = " or ".join(sorted(_ALLOWED[reading.qualifier]))
        return [
            Problem(
                loc + ("qualifier",),
                f"{_reads(words, reading, unit)}; qualifier is {qualifier} "
                f"({QUALIFIER_WORDS.get(qualifier, qualifier)}), expected {wanted}",
            )
        ]
    return []


def _reads(words: str, reading: Amount, unit: str = "") -> str:
    """How words read, for a message: made only when there is a problem to tell."""
    return f"reported {_quoted_words(words)} reads as {reading.describe()}{unit}"


def _check_money(m: Money, loc: Loc) -> list[Problem]:
    if m.reported is None:
        return []
    problems: list[Problem] = []
    currency = read_currency(m.reported, CURRENCY_CODES)
    reading = read_amount(m.reported)
    unit = f" {currency.describe()}" if currency else ""
    problems.extend(_compare(m.reported, reading, m.value, m.qualifier, loc, unit, m.inferred))
    if m.currency is not None:
        if currency is None:
            if not m.inferred:
                problems.append(
                    Problem(
                        loc + ("currency",),
                        f"reported {_quoted_words(m.reported)} names no currency; "
                        f"currency {m.currency} must be marked inferred: true with a basis",
                    )
                )
        elif m.currency not in currency.codes:
            problems.append(
                Problem(
                    loc + ("currency",),
                    f"reported {_quoted_words(m.reported)} reads as {currency.describe()} "
                    f"(from {currency.words!r}); currency is {m.currency}",
                )
            )
    elif currency is not None and m.value is not None:
        problems.append(
            Problem(
                loc + ("currency",),
                f"reported {_quoted_words(m.reported)} reads as {currency.describe()}; "
                "currency is not given",
            )
        )
    return problems


def _check_date(d: Date, loc: Loc, published: Published | None) -> list[Problem]:
    if d.reported is None or d.value is None:
        return []
    reading = read_date(d.reported, published)
    if reading is None:
        if d.inferred:
            return []  # the basis, not the words, gives the value
        return [
            Problem(
                loc + ("value",),
                f"could not read {_quoted_words(d.reported)} as a date; check value {d.value} by hand",
                "warning",
            )
        ]
    shown_value = d.value + (f" to {d.end}" if d.end else "")
    if reading.vague or reading.relative:
        if not d.inferred:
            why = "gives no date" if reading.vague else "is relative to the publication date"
            return [
                Problem(
                    loc + ("inferred",) if "inferred" in d.model_fields_set else loc + ("value",),
                    f"reported {_quoted_words(d.reported)} {why}; value {shown_value} must be "
                    "marked inferred: true with a basis",
                )
            ]
        if reading.vague or not reading.alternatives:
            return []  # inferred, with a basis; the words cannot check it further
    first = parse_date_value(d.value)[0]
    last = last_day(d.end or d.value)
    # An inferred value may narrow words coarser than a day ("this week" to the days a basis
    # gives); days the words state ("Nov. 7-11") stay as stated, inferred year or not.
    narrows = d.inferred and reading.precision != "day"
    fits = (
        (lambda a, b: a <= first and last <= b)
        if narrows
        else (lambda a, b: (a, b) == (first, last))
    )
    if any(fits(a, b) for a, b in reading.alternatives):
        return []
    precision = d.precision or ""
    detail = "" if narrows else f" (a {reading.precision}; value is a {precision})"
    if narrows and any(a <= first <= b for a, b in reading.alternatives):
        detail = " (the value runs past what the words cover)"
    return [
        Problem(
            loc + ("value",),
            f"reported {_quoted_words(d.reported)} reads as {reading.describe()}; "
            f"value is {shown_value}"
            + (detail if precision != reading.precision or narrows else ""),
        )
    ]


def _check_duration(d: Duration, loc: Loc) -> list[Problem]:
    """A duration's number against its words ("five-year" is 5): the unit is the analyst's
    reading of the words, the number must be theirs. Words with no number ("long-term")
    leave value null."""
    reading = read_amount(d.reported)
    if reading is None:
        if d.value is None:
            return []
        return [
            Problem(
                loc + ("value",),
                f"could not read {_quoted_words(d.reported)} as a number; check value "
                f"{_plain(d.value)} by hand",
                "warning",
            )
        ]
    if d.value is None:
        return [Problem(loc + ("value",), f"{_reads(d.reported, reading)}; value is null")]
    number = _number(d.value)
    if not number.is_finite() or not reading.low <= number <= reading.high:
        return [
            Problem(loc + ("value",), f"{_reads(d.reported, reading)}; value is {_plain(d.value)}")
        ]
    # The unit is read too when the words name one: "five-year" with unit month is 5 months.
    named = {m.group(1) for m in _DURATION_UNIT_RE.finditer(d.reported.lower())}
    if named and d.unit not in named:
        return [
            Problem(
                loc + ("unit",),
                f"reported {_quoted_words(d.reported)} counts in "
                f"{' and '.join(sorted(u + 's' for u in named))}; unit is {d.unit}",
            )
        ]
    return []


_DURATION_UNIT_RE = re.compile(r"\b(day|week|month|year)s?\b")
