"""What the user types in the library: free words and filters, and the FTS5 query they make.

User text never becomes FTS syntax: each term is quoted (see `fts_query`). Nothing here can
raise, whatever was typed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..sections import ALIASES, SECTION_KEYS


@dataclass
class Query:
    """What the user typed, split into free words and filters."""

    words: list[str] = field(default_factory=list)
    party: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    place: list[str] = field(default_factory=list)
    section: list[str] = field(default_factory=list)
    marks: dict[str, list[str]] = field(default_factory=dict)
    """Filters on format 2's fields, by kind (tlp, analyst, credibility, status, conflict,
    verdict): each entry one filter, its alternatives joined by "|"."""
    date_from: str | None = None
    date_to: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def filters(self) -> bool:
        """Whether anything beyond free words narrows the briefings."""
        return bool(
            self.party
            or self.country
            or self.place
            or self.section
            or self.marks
            or self.date_from
            or self.date_to
        )

    @property
    def text(self) -> str:
        return " ".join(self.words)


# --- parsing what the user types ------------------------------------------------------------

_TOKEN = re.compile(r'(?:(\w+):)?(?:"([^"]*)"?|(\S+))')
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
SECTION_ALIASES = ALIASES  # the registry's words for each section


def section_key(word: str) -> str | None:
    """A section key from what a user may type: drills, drill, arms, st… (a unique prefix)."""
    word = word.lower().replace("-", "_")
    if word in SECTION_KEYS:
        return word
    if word in SECTION_ALIASES:
        return SECTION_ALIASES[word]
    found = [key for key in SECTION_KEYS if key.startswith(word)]
    return found[0] if len(found) == 1 else None


def day_range(text: str) -> tuple[str, str] | None:
    """First and last day ('YYYY-MM-DD') a date of year, month or day precision covers."""
    import calendar
    import datetime as dt

    found = _DATE.match(text.strip())
    if not found:
        return None
    year = int(found.group(1))
    month = int(found.group(2)) if found.group(2) else None
    day = int(found.group(3)) if found.group(3) else None
    try:
        if month is None:
            return f"{year:04d}-01-01", f"{year:04d}-12-31"
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
        shown = dt.date(year, month, day).isoformat()
        return shown, shown
    except (ValueError, calendar.IllegalMonthError):
        return None


MARK_FILTERS = ("tlp", "analyst", "credibility", "status", "conflict", "verdict")
"""Filters on format 2's fields (tui/index/rows.py marks_of says what each matches)."""
_BARE_MARKS = {"conflict:": ("conflict", "*")}
"""Words that filter alone: `conflict:` (any claims in conflict). "disputed" stays a word to
search for: `verdict:disputed` is the filter."""
_TLP = ("clear", "green", "amber", "amber+strict", "red")
_VERDICTS = ("agreed", "corroborated", "conflict", "disputed")


def mark_value(kind: str, value: str) -> tuple[str, str | None]:
    """The stored value(s) a filter matches ("|" between alternatives), or a problem."""
    value = value.strip().lower()
    if kind == "analyst":
        return value.casefold(), None
    if kind == "tlp":
        value = value.removeprefix("tlp:").replace("white", "clear")
        if value in _TLP:
            return value, None
        return "", f"tlp: wants {', '.join(_TLP)}, not {value!r}"
    if kind == "credibility":
        found = re.fullmatch(r"([1-6])(?:-([1-6]))?", value)
        if not found:
            return "", f"credibility: wants 1-6 or a range such as 1-2, not {value!r}"
        low, high = int(found.group(1)), int(found.group(2) or found.group(1))
        return "|".join(str(n) for n in range(min(low, high), max(low, high) + 1)), None
    if kind == "verdict":
        if value in _VERDICTS:
            return value, None
        return "", f"verdict: wants {', '.join(_VERDICTS)}, not {value!r}"
    if kind == "conflict":
        return (value.replace("-", "_") if value not in ("", "any", "yes") else "*"), None
    return value.replace("-", "_").replace(" ", "_"), None  # status: any item's stage


FILTER_NAMES = frozenset(
    {"party", "p", "country", "c", "place", "section", "s", "in", *MARK_FILTERS}
    | {"from", "since", "after", "to", "until", "before"}
)
"""Every filter's name: `tlp:` typed alone is a filter on its way, not a word to search for
(which matched nothing: the table emptied at each filter typed, until its value came)."""


def parse_query(text: str) -> Query:
    """Split what was typed: `party:china country:CN place:beijing section:drills from:2014 to:2015-06`,
    `tlp:amber analyst:lund credibility:1-2 status:planned conflict:personnel verdict:disputed`
    (`conflict:` alone: any conflict), quoted values
    (`party:"xi jinping"`), and free words. Nothing here can raise."""
    query = Query()
    for found in _TOKEN.finditer(text):
        name, quoted, bare = found.group(1), found.group(2), found.group(3)
        value = (quoted if quoted is not None else bare or "").strip()
        kind = (name or "").lower()
        if kind in ("party", "p"):
            if value:
                query.party.append(value)
        elif kind in ("country", "c"):
            if value:
                query.country.append(value.upper())
        elif kind == "place":
            if value:
                query.place.append(value)
        elif kind in ("section", "s", "in"):
            if not value:
                continue
            key = section_key(value)
            if key is None:
                query.problems.append(f"no section {value!r}")
            else:
                query.section.append(key)
        elif kind in MARK_FILTERS or (kind == "" and value.lower() in _BARE_MARKS):
            kind, value = (kind, value) if kind else _BARE_MARKS[value.lower()]
            wanted, problem = mark_value(kind, value)
            if problem:
                query.problems.append(problem)
            elif wanted:
                query.marks.setdefault(kind, []).append(wanted)
        elif kind in ("from", "since", "after"):
            days = day_range(value) if value else None
            if days is None:
                query.problems.append(f"from: wants YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
            else:
                query.date_from = days[0]
        elif kind in ("to", "until", "before"):
            days = day_range(value) if value else None
            if days is None:
                query.problems.append(f"to: wants YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
            else:
                query.date_to = days[1]
        elif not kind and value.endswith(":") and value[:-1].lower() in FILTER_NAMES:
            continue  # a filter's name typed, its value not yet: nothing to filter by
        else:
            word = found.group(0) if name else value
            if word:
                query.words.append(word)
    return query


_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def fts_query(words: Sequence[str], prefix: bool = True) -> str | None:
    """An FTS5 query matching every word (AND), each a quoted string: never FTS syntax.

    With prefix, the last word also matches longer words (typing as you search). None when
    nothing searchable is left.
    """
    terms = []
    for word in words:
        word = _UNSAFE.sub(" ", word).strip()
        if not word or not re.search(r"\w", word):
            continue
        terms.append('"' + word.replace('"', '""') + '"')
    if not terms:
        return None
    if prefix:
        terms[-1] += "*"
    return " ".join(terms)
