"""Proposals from a source's text: the parties, counts, sums and dates a briefing of it would
hold, each with its as-reported words and an anchor that resolves to them; and how well they
match a briefing of the same source (precision and recall).

Nothing here enters a briefing: a proposal is a candidate the analyst accepts, edits or
rejects. The rules are plain and general (a country list with demonyms, titles before or
after a name, the readings of numbers, money and dates the value checks use); none knows the
bundled article.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import countries, reading
from .anchoring import HITS_LIMIT, shortest_anchor
from .prefill import (
    _NOT_NAMES,
    APPOSED,
    TITLED,
    _after_number,
    _checked_date,
    _checked_money,
    _person_name,
    prefill,
    read_date_fields,
    read_money,
)
from .schema import Date, Money, Party, Quantity, walk_values
from .source import SourceText, Span, flatten

if TYPE_CHECKING:
    from .loader import Loaded

KINDS = ("state", "organisation", "person", "quantity", "money", "date")
SECTION_OF = {
    "state": "parties",
    "organisation": "parties",
    "person": "parties",
    "quantity": "contribution",
    "money": "arms_sales",
    "date": "events",
}
"""Where accepting a proposal of each kind puts it (a section key, or a drill's contribution)."""
MAX_PROPOSALS = 1_000
"""Proposals made at most: a hostile source of a million numbers gets the first thousand."""
MAX_REFUSED = 50
"""Proposals whose words no anchor can tell apart, after which no more are anchored."""
MAX_TEXT = 1_000_000
"""Characters of source text proposals are drawn from at most (ValueError beyond)."""


@dataclass(frozen=True)
class Proposal:
    """A candidate item found in the text, with its words and the anchor that cites them."""

    kind: str
    """state, organisation, person, quantity, money or date."""
    paragraph: int
    words: str
    """The words as the source has them (whitespace runs as one space)."""
    anchor: dict[str, object]
    section: str
    """Where accepting it puts it: a section key, or "contribution" (a drill's)."""
    fields: dict[str, object]
    """The item's fields the words give (prefill), for the form to start from."""
    start: int = 0
    end: int = 0
    """The words' offsets in the paragraph's text (a source.Span's coordinates)."""


@dataclass(frozen=True)
class Score:
    """How proposals match a briefing: precision over proposals, recall over its targets
    (each party, and each as-reported count, sum and date of its items)."""

    proposals: int
    matched: int
    """Proposals that match a party or value of the briefing."""
    targets: int
    found: int
    """Targets some proposal matches."""
    by_kind: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    """kind: (proposals, matched, targets, found); parties are kind "party"."""

    @property
    def precision(self) -> float:
        return self.matched / self.proposals if self.proposals else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.targets if self.targets else 0.0

    def describe(self) -> str:
        return (
            f"precision {self.precision:.2f} ({self.matched}/{self.proposals} proposals match "
            f"the briefing), recall {self.recall:.2f} ({self.found}/{self.targets} of its "
            "parties and reported values proposed)"
        )


# --- finding ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Found:
    kind: str
    paragraph: int
    start: int
    end: int
    key: tuple[object, ...]
    """Proposals with the same key are one: a party once, a value once per place."""
    fields: dict[str, object]


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.cache
def _listed() -> re.Pattern[str]:
    """Every listed name, alias and demonym, longest first, as whole words."""
    return re.compile(rf"(?<![\w.])(?:{_alternation(list(countries.by_word()))})(?![\w])")


_BODIES = (
    r"(?:People's\s+)?(?:Liberation\s+Army|Armed\s+Forces|Army|Navy|Air\s+Force|Coast\s+Guard"
    r"|(?:Defen[cs]e|Foreign|Interior)\s+Ministry|Ministry\s+of\s+(?:Defen[cs]e|Foreign\s+Affairs)"
    r"|General\s+Staff|state\s+(?:news\s+)?agency|[Nn]ews\s+[Aa]gency)"
)


@functools.cache
def _institution() -> re.Pattern[str]:
    """A state's body: "Russian Armed Forces", "China's state agency"."""
    states = [e for e in countries.entries() if e.kind == "state"]
    owners = [d for e in states for d in e.demonyms] + [f"{n}'s" for e in states for n in e.names]
    return re.compile(rf"\b(?:{_alternation(owners)})\s+{_BODIES}\b")


_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)*")
_SENTENCE_END = re.compile(r"(?:^|[.!?:\"“”]\s*)$")
_DEFINITE = re.compile(r"\b(?:the|these|those|their|its|his|her|our|both|all)\s+$", re.IGNORECASE)
_TO_NUMBER = re.compile(r"\s*(?:-|–|—|to)\s*")
_VAGUE_KEPT = re.compile(
    r"\b(?:recently|soon|shortly|lately|previously|in recent (?:days|weeks|months|years)"
    r"|in the coming (?:days|weeks|months|years))\b",
    re.IGNORECASE,
)
_MONTHS_AND_DAYS = frozenset(
    """January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday""".split()
)


_THIS_YEAR = re.compile(r"\s*(?:of\s+)?(?:this|last|next)\s+year\b", re.IGNORECASE)
_BARE_YEAR = re.compile(
    r"(?:early|mid|late|the end of|the start of|the beginning of)?[\s-]*\d{4}", re.IGNORECASE
)


def _date_spans(text: str) -> list[tuple[int, int]]:
    """Where text states dates, longest readings first, none overlapping."""
    patterns = [
        *reading._DATE_PATTERNS,
        reading._RELATIVE_YEAR,
        reading._RELATIVE_UNIT,
        reading._DAY_WORDS,
        reading._WEEKDAY_RE,
        _VAGUE_KEPT,
    ]
    spans: list[tuple[int, int]] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            while start < end and text[start].isspace():
                start += 1
            words = text[start:end]
            if not words.strip():
                continue
            # A bare year counts something when a noun follows ("2000 troops").
            if _BARE_YEAR.fullmatch(words) and re.match(r"\s+[a-z]", text[end:]):
                continue
            if pattern in reading._DATE_PATTERNS:
                # "in August this year": one date, as read_date reads it.
                year = _THIS_YEAR.match(text, end)
                if year is not None:
                    end = year.end()
            spans.append((start, end))
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if all(end <= a or start >= b for a, b in kept):
            kept.append((start, end))
    return sorted(kept)


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether start..end overlaps one of spans (sorted, none overlapping another)."""
    k = bisect.bisect_left(spans, (end, -1)) - 1
    return k >= 0 and spans[k][1] > start


def _find_people(number: int, text: str) -> Iterator[_Found]:
    for pattern in (APPOSED, TITLED):
        for match in pattern.finditer(text):
            name = _person_name(match.group("name"))
            if name is None:
                continue
            if pattern is TITLED:
                start = match.start("role")
                of = match.group("of")
                if of and not countries.lookup(of.removesuffix("'s")):
                    start = match.start("role") + len(of) + 1
                end = match.start("name") + len(name)
            else:
                start = match.start("name")
                end = match.end("role")
            while start < end and text[start].isspace():
                start += 1
            fields = prefill("parties", text[start:end], [])
            if fields.get("kind") != "person":
                continue
            yield _Found("person", number, start, end, ("person", fields["name"]), fields)


def _find_listed(number: int, text: str) -> Iterator[_Found]:
    for match in _listed().finditer(text):
        entries = countries.lookup(match.group())
        if len(entries) != 1:
            continue  # a demonym of two states ("Congolese") says neither
        entry = entries[0]
        named = match.group() in entry.names
        fields: dict[str, object] = {
            "kind": entry.kind,
            "name": match.group() if named else entry.name,
        }
        # A mention by name anchors the party better than a demonym: sorted first below.
        yield _Found(
            entry.kind, number, match.start(), match.end(), (entry.code, not named), fields
        )


def _find_institutions(number: int, text: str) -> Iterator[_Found]:
    for match in _institution().finditer(text):
        words = flatten(match.group())
        fields = prefill("parties", words, [])
        yield _Found("organisation", number, match.start(), match.end(), ("org", words), fields)


def _locate(text: str, words: str, begin: int, end: int) -> tuple[int, int] | None:
    """Where flattened words stand in text[begin:end] (whitespace runs loosely)."""
    pattern = r"\s+".join(re.escape(w) for w in words.split())
    match = re.compile(pattern).search(text, begin, end) if pattern else None
    return None if match is None else (match.start(), match.end())


def _find_money(number: int, text: str, dates: Sequence[tuple[int, int]]) -> Iterator[_Found]:
    for match in reading._NUMBER_RE.finditer(text):
        if not any(c.isdigit() for c in match.group()):
            continue
        if _overlaps(match.start(), match.end(), dates):
            continue
        start = match.start()
        sign = _SIGN.search(text, max(0, start - 4), start)
        if sign is not None:
            start = sign.start()
        end = match.end()
        named = _CURRENCY_AFTER.match(text, end)
        if named is not None:
            end = named.end()
        money = _checked_money(read_money(text[start:end]))
        if money is None or "value" not in money:
            continue
        place = _locate(text, str(money["reported"]), start, end)
        if place is None:
            continue
        yield _Found("money", number, *place, ("money", number, place[0]), {"value": money})


_SIGN = re.compile(r"(?:US\$|[A-Z]\$|[$€£¥₽₹₩₪₺₴]|\b[A-Z]{3}\s?)$")
_CURRENCY_AFTER = re.compile(r"\s+(?:US\s+|U\.S\.\s+)?[a-z]+(?:\s+[a-z]+)?")


def _find_quantities(number: int, text: str, taken: Sequence[tuple[int, int]]) -> Iterator[_Found]:
    for match in reading._NUMBER_RE.finditer(text):
        if match.group().lower() in ("a", "an") or _overlaps(match.start(), match.end(), taken):
            continue
        ahead = max(0, match.start() - 40)  # the words before, not the whole paragraph
        if _DEFINITE.search(text, ahead, match.start()):
            continue  # "the two sides": a reference, not a count reported
        _qualifier, start = reading._qualifier_before(
            text[ahead : match.start()], match.start() - ahead
        )
        start += ahead
        end = match.end()
        ranged = _TO_NUMBER.match(text, end)
        if ranged:
            second = reading._NUMBER_RE.match(text, ranged.end())
            if second:
                end = second.end()
        _designation, unit, stop = _after_number(text, end)
        if unit is None:
            continue
        fields = prefill("contribution", text[start:stop], [])
        quantity = fields.get("quantity")
        if not isinstance(quantity, dict) or quantity.get("value") is None:
            continue
        place = _locate(text, str(quantity["reported"]), start, stop)
        if place is None:
            continue
        yield _Found("quantity", number, *place, ("quantity", number, place[0]), fields)


_DESIGNATED = re.compile(r"(?<![\w-])[A-Z][A-Za-z]*-\d+[A-Za-z0-9]*(?:\s+[A-Z][A-Za-z0-9-]*)*")


def _find_uncounted(number: int, text: str, taken: Sequence[tuple[int, int]]) -> Iterator[_Found]:
    """Equipment named by its designation with no count ("BM-21 rocket launch systems"):
    a quantity the source leaves unstated, proposed with its words and no value."""
    for match in _DESIGNATED.finditer(text):
        if _overlaps(match.start(), match.end(), taken):
            continue
        _designation, unit, stop = _after_number(text, match.start())
        if unit is None or not unit.endswith("s") or unit.endswith("ss"):
            continue  # a plural says several were there, however many
        fields = prefill("contribution", text[match.start() : stop], [])
        if "quantity" not in fields:
            continue
        yield _Found(
            "quantity", number, match.start(), stop, ("quantity", number, match.start()), fields
        )


_BEFORE_DATE = re.compile(r"\b(?:on|in|from|since|until|by|during)\s+$", re.IGNORECASE)


def _find_dates(
    number: int, text: str, dates: Sequence[tuple[int, int]], published: str | None
) -> Iterator[_Found]:
    for start, end in dates:
        before = _BEFORE_DATE.search(text, max(0, start - 12), start)
        begin = before.start() if before else start
        fields = _checked_date(read_date_fields(text[begin:end], published), published)
        if fields is None:
            continue
        place = _locate(text, str(fields["reported"]), begin, end)
        if place is None:
            continue
        yield _Found("date", number, *place, ("date", number, place[0]), {"date": fields})


def _find_repeated(source: SourceText, known: set[str]) -> Iterator[_Found]:
    """Capitalised names the text uses more than once and no other rule found."""
    runs: Counter[str] = Counter()
    first: dict[str, tuple[int, int, int]] = {}
    for p in source.paragraphs:
        for match in _RUN.finditer(p.text):
            words = match.group()
            names = words.split()
            if _SENTENCE_END.search(p.text[: match.start()]) and len(names) == 1:
                continue  # a word capitalised to start a sentence
            while names and names[0] in _NOT_NAMES:
                names.pop(0)
            if not names:
                continue
            name = " ".join(names)
            if any(c.isdigit() for c in name) or name in _MONTHS_AND_DAYS:
                continue
            runs[name] += 1
            if name not in first:
                at = match.start() + words.index(names[0])
                first[name] = (p.number, at, at + len(name))
    for name, count in runs.items():
        if count < 2 or any(w in known for w in re.split(r"[\s-]+", name)):
            continue
        if _listed().search(name) or _institution().search(name):
            continue
        number, start, end = first[name]
        fields = prefill("parties", name, [])
        yield _Found("organisation", number, start, end, ("org", name), fields)


def _words_of(source: SourceText, found: _Found) -> str:
    return source.paragraph(found.paragraph).text[found.start : found.end]


def propose(
    source: SourceText, *, published: str | None = None, limit: int = MAX_PROPOSALS
) -> list[Proposal]:
    """Candidate parties, counts, sums and dates in the text, in reading order, each anchored.

    published (YYYY[-MM[-DD]]) resolves relative dates ("next year"), marked inferred; without
    it they are proposed with their words alone. ValueError for a text over MAX_TEXT.
    """
    if len(source.text) > MAX_TEXT:
        raise ValueError(
            f"the source is {len(source.text):,} characters; proposals are drawn from at most "
            f"{MAX_TEXT:,}"
        )
    found: list[_Found] = []
    budget = 4 * limit  # found before deduplication; a hostile text stops here
    for p in source.paragraphs:
        dates = _date_spans(p.text)
        people = list(itertools.islice(_find_people(p.number, p.text), budget))
        money = list(itertools.islice(_find_money(p.number, p.text, dates), budget))
        named = sorted((x.start, x.end) for x in people)
        listed = (
            f
            for f in _find_listed(p.number, p.text)
            if f.kind == "state" or not _overlaps(f.start, f.end, named)
        )
        taken = sorted([*dates, *((m.start, m.end) for m in money)])
        counted = list(itertools.islice(_find_quantities(p.number, p.text, taken), budget))
        taken = sorted([*taken, *((q.start, q.end) for q in counted)])
        for finder in (
            people,
            _find_institutions(p.number, p.text),
            listed,
            money,
            counted,
            _find_uncounted(p.number, p.text, taken),
            _find_dates(p.number, p.text, dates, published),
        ):
            found += itertools.islice(finder, max(0, budget - len(found)))
        if len(found) >= budget:
            break
    known = {w for f in found if f.kind == "person" for w in str(f.fields["name"]).split()}
    found += _find_repeated(source, known)
    # One proposal per party (its first mention by name, else by demonym), each value once.
    order = sorted(
        found, key=lambda f: (f.key[1] if f.kind == "state" else False, f.paragraph, f.start)
    )
    chosen: dict[tuple[object, ...], _Found] = {}
    for f in order:
        key = (f.key[0],) if f.kind in ("state", "organisation") and f.key[0] != "org" else f.key
        chosen.setdefault(key, f)
    proposals: list[Proposal] = []
    joined = "\n".join(source.flat(n) for n in range(1, len(source.paragraphs) + 1))
    crowded: dict[str, bool] = {}
    refused = 0
    for f in sorted(chosen.values(), key=lambda f: (f.paragraph, f.start, f.kind)):
        if len(proposals) >= limit:
            break
        quote = flatten(_words_of(source, f))
        if quote not in crowded:
            crowded[quote] = joined.count(quote) > HITS_LIMIT
        if crowded[quote]:
            continue  # anchoring would refuse it, after a search through every place
        if refused >= MAX_REFUSED:
            break  # a text that repeats itself this much is no article: stop the search
        try:
            anchor = shortest_anchor(source, f.paragraph, f.start, f.end)
        except ValueError:
            refused += 1
            continue
        words = str(anchor["quote"])
        proposals.append(
            Proposal(
                f.kind, f.paragraph, words, anchor, SECTION_OF[f.kind], f.fields, f.start, f.end
            )
        )
    return proposals


# --- scoring ----------------------------------------------------------------------------------

_VALUE_KIND = {Quantity: "quantity", Money: "money", Date: "date"}


def _party_names(party: Party) -> set[str]:
    return {flatten(n) for n in (party.name, *party.alias_names)}


def _proposal_names(proposal: Proposal) -> set[str]:
    names = {proposal.words, str(proposal.fields.get("name", ""))}
    for name in list(names):
        for entry in countries.lookup(name):
            names.update(entry.names)
    names.discard("")
    return {flatten(n) for n in names}


@dataclass(frozen=True, slots=True)
class _Target:
    kind: str
    """party, quantity, money or date."""
    party: Party | None = None
    reported: str = ""
    spans: tuple[Span, ...] = ()


def score(proposals: Sequence[Proposal], loaded: Loaded) -> Score:
    """Proposals against a briefing of the same source.

    A state, organisation or person proposal matches a party one of whose names (name or
    alias) it is, by its words, its name, or the listed names of the state or organisation it
    names. A quantity, sum or date proposal matches an item's value of that kind whose
    as-reported words contain the proposal's words or stand inside them, at the proposal's
    place, within one of the item's resolved quotes. Precision is the share of proposals that
    match; recall the share of the briefing's parties and reported values some proposal
    matches.
    """
    briefing = loaded.briefing
    source = next(iter(loaded.sources.values()), None)
    targets: list[_Target] = [_Target("party", party=p) for p in briefing.parties]
    for _loc, item in briefing.items():
        spans = tuple(e.span for e in loaded.evidence.get(item.id, []) if e.span is not None)
        for _sub, value in walk_values(item):
            kind = _VALUE_KIND.get(type(value))
            if kind is not None and value.reported is not None:
                targets.append(_Target(kind, reported=flatten(value.reported), spans=spans))
    found: set[int] = set()
    matched = 0
    by_kind: dict[str, list[int]] = {}
    for proposal in proposals:
        hit = False
        for index, target in enumerate(targets):
            if target.party is not None:
                if proposal.kind in ("state", "organisation", "person") and (
                    _proposal_names(proposal) & _party_names(target.party)
                ):
                    hit = True
                    found.add(index)
            elif (
                target.kind == proposal.kind
                and source is not None
                and _value_matches(proposal, target, source)
            ):
                hit = True
                found.add(index)
        matched += hit
        counts = by_kind.setdefault(proposal.kind, [0, 0, 0, 0])
        counts[0] += 1
        counts[1] += hit
    for index, target in enumerate(targets):
        counts = by_kind.setdefault(target.kind, [0, 0, 0, 0])
        counts[2] += 1
        counts[3] += index in found
    return Score(
        len(proposals),
        matched,
        len(targets),
        len(found),
        {k: (v[0], v[1], v[2], v[3]) for k, v in by_kind.items()},
    )


def _value_matches(proposal: Proposal, target: _Target, source: SourceText) -> bool:
    words = flatten(proposal.words)
    reported = target.reported
    if not (words in reported or reported in words):
        return False
    inside = any(
        s.paragraph == proposal.paragraph and s.start <= proposal.start and proposal.end <= s.end
        for s in target.spans
    )
    if not inside:
        return False
    for number, at in source.occurrences(reported, proposal.paragraph):
        span = source.span(number, at, len(reported))
        if span.start < proposal.end and proposal.start < span.end:
            return True
    return False


# --- the command ------------------------------------------------------------------------------

SOURCE_BYTES = 8 * 1024 * 1024
"""The largest source file `briefing draft` reads (MAX_TEXT characters, with room)."""
WORDS_SHOWN = 160
"""Characters of a proposal's words on its line."""


class DraftError(Exception):
    """Why `briefing draft` cannot run: one line for the user, no traceback."""


def read_source(path: Path) -> SourceText:
    """A source file as text, or DraftError saying why it cannot be one."""
    from .files import FileProblem, read_text
    from .loader import display_path

    shown = display_path(path)
    try:
        raw, text = read_text(path.resolve(strict=True), SOURCE_BYTES)
    except FileProblem as problem:
        raise DraftError(f"{shown}: {problem}") from None
    except OSError as error:
        raise DraftError(f"{shown}: {error.strerror or error}") from None
    if "\x00" in text:
        raise DraftError(f"{shown} looks binary (a NUL byte at offset {text.index(chr(0))})")
    if len(text) > MAX_TEXT:
        raise DraftError(f"{shown} is {len(text):,} characters; draft reads at most {MAX_TEXT:,}")
    import hashlib

    return SourceText(text, hashlib.sha256(raw).hexdigest())


def draft_lines(source_path: Path, briefing_path: Path | None = None) -> list[str]:
    """`briefing draft`'s output: one proposal a line (kind, ¶N, the words), and with a
    briefing a last line with precision and recall. Lines are cleaned for the terminal;
    DraftError for a source or briefing that cannot be read."""
    from .loader import BriefingError, load_briefing
    from .safe_text import clean, clip

    source = read_source(source_path)
    loaded = None
    published = None
    if briefing_path is not None:
        try:
            loaded = load_briefing(briefing_path)
        except BriefingError as error:
            first = error.diagnostics[0].format() if error.diagnostics else str(briefing_path)
            more = len(error.diagnostics) - 1
            raise DraftError(first + (f" (and {more} more)" if more > 0 else "")) from None
        cited = {s.digest for s in loaded.sources.values()}
        if source.digest not in cited:
            raise DraftError(
                clean(
                    f"{briefing_path} does not cite {source_path} (no source of it has its sha256)"
                )
            )
        date = loaded.briefing.sources[0].published
        published = date.value if date is not None else None
    proposals = propose(source, published=published)
    lines = [
        clean(f"{p.kind:<12} ¶{p.paragraph:<4} {clip(p.words, WORDS_SHOWN)}") for p in proposals
    ]
    if loaded is not None:
        # Scored against the briefing's own text of the source (the same bytes).
        lines.append(score(proposals, loaded).describe())
    return lines
