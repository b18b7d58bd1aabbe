"""Source texts: paragraphs, evidence anchors resolved to offsets, and drift after edits.

A paragraph is a block of non-blank lines; blank lines separate them; they are numbered from 1.
This module is the one place that says so.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from .safe_text import clip

if TYPE_CHECKING:  # the reader imports this module before its first frame; pydantic can wait
    from .schema import Anchor

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w{3,}")

# A fuzzy relocation must be at least this similar, and the quote at least this long: a wrong
# highlight is worse than a lost one (Hypothesis re-anchors with no floor and lands on wrong words).
FUZZY_FLOOR = 0.85
FUZZY_MIN_LENGTH = 12
# Alignment costs about len(quote) x len(window); longer quotes get no closest-passage hint and
# no fuzzy relocation, so a hostile quote cannot stall loading.
FUZZY_MAX_LENGTH = 1_000
# A closest passage at least this alike is a near miss: the message shows where they differ.
NEAR_MISS = 0.6


@dataclass(frozen=True, slots=True)
class Paragraph:
    number: int
    start: int
    """Offset of the paragraph in the normalised text."""
    text: str


@dataclass(frozen=True, slots=True)
class Span:
    """A resolved quote: a paragraph and the character offsets within its text."""

    paragraph: int
    start: int
    end: int


class ResolveError(Exception):
    """An anchor that does not resolve; the message says why and what is closest.

    field names the anchor's field at fault ("quote" or "paragraph"), for positioning.
    """

    def __init__(self, message: str, field: str = "quote") -> None:
        super().__init__(message)
        self.field = field


def normalise(text: str) -> str:
    """Line ends to LF, byte-order mark dropped: the text every offset refers to."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_paragraphs(text: str) -> list[Paragraph]:
    """Blank-line separated blocks of a normalised text, numbered from 1."""
    paragraphs: list[Paragraph] = []
    offset = 0
    block_start = -1
    block_end = 0
    for line in text.split("\n"):
        if line.strip(" \t"):
            if block_start < 0:
                block_start = offset
            block_end = offset + len(line)
        elif block_start >= 0:
            paragraphs.append(
                Paragraph(len(paragraphs) + 1, block_start, text[block_start:block_end])
            )
            block_start = -1
        offset += len(line) + 1
    if block_start >= 0:
        paragraphs.append(Paragraph(len(paragraphs) + 1, block_start, text[block_start:block_end]))
    return paragraphs


def flatten(text: str) -> str:
    """Whitespace runs to one space, ends trimmed: how quotes and text are compared."""
    # str.split() splits on exactly the characters `\s` matches (str.isspace), runs at once.
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class _FlatMap:
    """Where the characters of a flattened paragraph stood in its text.

    Piecewise: flat offsets from starts[k] map to offsets from origins[k] onwards, one piece
    per run of text and one per whitespace run (its one space maps to the run's start).
    """

    starts: list[int]
    origins: list[int]
    lead: int
    """1 when the flat text lost a leading space (an indented first line): offsets shift."""
    length: int
    """Length of the flat text; offsets at or past it map to the end of the text."""
    end: int

    def offset(self, flat_offset: int) -> int:
        if flat_offset >= self.length:
            return self.end
        at = flat_offset + self.lead
        k = bisect.bisect_right(self.starts, at) - 1
        return self.origins[k] + at - self.starts[k]


def _flat_map(text: str) -> tuple[str, _FlatMap | None]:
    """The flattened text, and where its characters stood in text (None: at the same offsets).

    Most paragraphs have no whitespace but single inner spaces: flat text and text are then
    one and the same, and no map is made.
    """
    flat = flatten(text)
    if flat == text:
        return text, None
    starts: list[int] = []
    origins: list[int] = []
    length = 0
    position = 0
    for match in _WS.finditer(text):
        at = match.start()
        if at > position:
            starts.append(length)
            origins.append(position)
            length += at - position
        starts.append(length)
        origins.append(at)
        length += 1
        position = match.end()
    if position < len(text):
        starts.append(length)
        origins.append(position)
    # Paragraphs never start or end with whitespace after splitting, except for inner indents.
    lead = 1 if text[:1].isspace() else 0
    return flat, _FlatMap(starts, origins, lead, len(flat), len(text))


@dataclass
class SourceText:
    """A source's text split into paragraphs, with quote search over them."""

    text: str
    digest: str = ""
    """sha256 of the file's bytes, when read from a file."""
    paragraphs: list[Paragraph] = field(init=False)
    _flat: dict[int, tuple[str, _FlatMap | None]] = field(init=False, default_factory=dict)
    _joined: tuple[str, list[int]] | None = field(init=False, default=None)
    _spaced: str | None = field(init=False, default=None)
    """The joined text with spaces for its paragraph breaks: quotes that cross them."""

    def __post_init__(self) -> None:
        self.text = normalise(self.text)
        self.paragraphs = split_paragraphs(self.text)

    def paragraph(self, number: int) -> Paragraph:
        """Paragraph number (from 1); IndexError outside 1..len(paragraphs)."""
        if not 1 <= number <= len(self.paragraphs):
            raise IndexError(f"paragraph {number} is out of range 1..{len(self.paragraphs)}")
        return self.paragraphs[number - 1]

    def flat(self, number: int) -> str:
        """A paragraph's text flattened (see flatten), made once and kept."""
        return self._flat_of(number)[0]

    def _flat_of(self, number: int) -> tuple[str, _FlatMap | None]:
        cached = self._flat.get(number)
        if cached is None:
            cached = self._flat[number] = _flat_map(self.paragraph(number).text)
        return cached

    def _joined_flat(self) -> tuple[str, list[int]]:
        """Every paragraph flattened, joined by newlines, with each one's start offset."""
        if self._joined is None:
            starts: list[int] = []
            parts: list[str] = []
            position = 0
            for p in self.paragraphs:
                flat = flatten(p.text)
                starts.append(position)
                parts.append(flat)
                position += len(flat) + 1
            self._joined = ("\n".join(parts), starts)
        return self._joined

    def occurrences(self, quote: str, paragraph: int | None = None) -> list[tuple[int, int]]:
        """(paragraph, flat offset) of every occurrence of a flattened quote."""
        return self._occurrences(flatten(quote), paragraph)

    def _occurrences(self, needle: str, paragraph: int | None) -> list[tuple[int, int]]:
        if not needle:
            return []
        found: list[tuple[int, int]] = []
        if paragraph is not None:
            haystack = self.flat(paragraph)
            at = haystack.find(needle)
            while at >= 0:
                found.append((paragraph, at))
                at = haystack.find(needle, at + 1)
            return found
        joined, starts = self._joined_flat()
        at = joined.find(needle)
        while at >= 0:
            number = bisect.bisect_right(starts, at)
            found.append((number, at - starts[number - 1]))
            at = joined.find(needle, at + 1)
        return found

    def span(self, paragraph: int, flat_start: int, flat_length: int) -> Span:
        """Map a match in a paragraph's flat text back to offsets in its real text."""
        offsets = self._flat_of(paragraph)[1]
        if offsets is None:
            return Span(paragraph, flat_start, flat_start + flat_length)
        start = offsets.offset(flat_start)
        end = offsets.offset(flat_start + flat_length - 1) + 1
        return Span(paragraph, start, end)

    def _context_fits(self, anchor: Anchor, paragraph: int, at: int, length: int) -> bool:
        flat = self.flat(paragraph)
        if anchor.prefix is not None:
            before = flat[:at].rstrip(" ")
            if not before.endswith(flatten(anchor.prefix)):
                return False
        if anchor.suffix is not None:
            after = flat[at + length :].lstrip(" ")
            if not after.startswith(flatten(anchor.suffix)):
                return False
        return True

    def resolve(self, anchor: Anchor) -> Span:
        """The one place an anchor's quote stands, or ResolveError saying why not."""
        count = len(self.paragraphs)
        if anchor.paragraph is not None and anchor.paragraph > count:
            raise ResolveError(
                f"paragraph {anchor.paragraph} is out of range: the source has {count} paragraphs",
                "paragraph",
            )
        needle = flatten(anchor.quote)
        number = anchor.paragraph
        if (
            number is not None
            and needle
            and anchor.prefix is None
            and anchor.suffix is None
            and number >= 1
        ):
            # Most anchors: a paragraph, no prefix or suffix, the quote there once. The same
            # search as below without its lists and calls (13,000 anchors at 10,000 items);
            # anything else takes the full path, which finds the same and says why not.
            flat, offsets = self._flat_of(number)
            at = flat.find(needle)
            if at >= 0 and flat.find(needle, at + 1) < 0:
                if offsets is None:
                    return Span(number, at, at + len(needle))
                return Span(number, offsets.offset(at), offsets.offset(at + len(needle) - 1) + 1)
        hits = self._occurrences(needle, anchor.paragraph)
        fitting = [h for h in hits if self._context_fits(anchor, h[0], h[1], len(needle))]
        if len(fitting) == 1:
            return self.span(fitting[0][0], fitting[0][1], len(needle))
        short = _clip(anchor.quote)
        if len(fitting) > 1:
            where = ", ".join(sorted({str(p) for p, _ in fitting}))
            scope = f"paragraph {anchor.paragraph}" if anchor.paragraph else "the source"
            raise ResolveError(
                f"quote {short} occurs {len(fitting)} times in {scope} (paragraphs {where}); "
                "add a prefix or suffix, or a paragraph, to say which"
            )
        if hits:
            raise ResolveError(
                f"quote {short} is found, but not with the given prefix/suffix"
                + self._context_hint(anchor, needle, hits)
            )
        if anchor.paragraph is not None:
            elsewhere = self._occurrences(needle, None)
            if elsewhere:
                where = ", ".join(sorted({str(p) for p, _ in elsewhere}))
                raise ResolveError(
                    f"quote {short} is not in paragraph {anchor.paragraph}; "
                    f"it is in paragraph {where}",
                    "paragraph",
                )
        why = self._why_missing(needle)
        if why:
            raise ResolveError(f"quote {short} is not in the source: {why}")
        near = self.closest(anchor.quote, anchor.paragraph)
        odd = _odd_letters(needle)
        named = [f"{_named(c)} among {s} letters" for c, s in odd[:_NAMED]]
        note = "; " + "; ".join(named) + _more(len(odd)) if odd else ""
        if near is None:
            raise ResolveError(f"quote {short} is not in the source{note}")
        score, span = near
        passage = self.paragraph(span.paragraph).text[span.start : span.end]
        raise ResolveError(
            f"quote {short} is not in the source; closest passage is paragraph {span.paragraph} "
            f"({score:.0%} alike): {_clip(passage)}"
            + (_first_difference(needle, passage) if score >= NEAR_MISS else "")
            + note
        )

    def _why_missing(self, needle: str) -> str:
        """Why a quote found nowhere is not there, when a usual slip explains it; else ''.

        Each check looks for the quote as the writer probably meant it, so a hint is given
        only when it would make the quote match.
        """
        joined, starts = self._joined_flat()
        # Across a paragraph break: the joined text has a newline where the quote has a space.
        if self._spaced is None:
            self._spaced = joined.replace("\n", " ")
        spaced = self._spaced
        at = spaced.find(needle)
        if at >= 0:
            first = bisect.bisect_right(starts, at)
            last = bisect.bisect_right(starts, at + len(needle) - 1)
            parts = []
            for number in range(first, min(last, first + 2) + 1):
                begin = max(at, starts[number - 1])
                end = min(at + len(needle), starts[number - 1] + len(self.flat(number)))
                parts.append(f"{_clip(spaced[begin:end], 40)} (paragraph {number})")
            return (
                f"it runs from paragraph {first} into paragraph {last}, and a quote cannot "
                f"cross paragraphs; cite each part in an anchor of its own: {', '.join(parts)}"
                + (f" and {last - first - 2} more" if last - first > 2 else "")
            )
        # A line break folded into a space (YAML `>-`) inside a script written without spaces.
        unspaced = _folded_space().sub("", needle)
        if unspaced != needle and unspaced in joined:
            number = bisect.bisect_right(starts, joined.find(unspaced))
            return (
                f"without its spaces between {_NO_SPACE_NAME} characters it is in paragraph "
                f"{number}; a line break in a YAML block (folded by >-, or kept by |-) counts "
                "as a space, which text written without spaces does not have: write the quote "
                "on one line, or in double quotes ending each broken line with a backslash"
            )
        # A look-alike letter of another script (Latin a in a Cyrillic word).
        odd = _odd_letters(needle)
        if odd:
            mended = needle
            swaps = []
            for character, script in odd:
                twin = _look_alike().get((character, script))
                if twin is not None:
                    mended = mended.replace(character, twin)
                    swaps.append(
                        f"{_named(character)} among {script} letters; the source has {_named(twin)}"
                    )
            if swaps and mended in joined:
                number = bisect.bisect_right(starts, joined.find(mended))
                shown = "; and ".join(swaps[:_NAMED]) + _more(len(swaps))
                return f"it has {shown} (paragraph {number})"
        # Capitals: matching is case-sensitive.
        if len(needle) <= FUZZY_MAX_LENGTH:
            found = re.search(re.escape(needle), joined, re.IGNORECASE)
            if found:
                number = bisect.bisect_right(starts, found.start())
                return (
                    f"matching is case-sensitive, and paragraph {number} has {_clip(found.group())}"
                )
        return ""

    def _context_hint(self, anchor: Anchor, needle: str, hits: list[tuple[int, int]]) -> str:
        """What stands where the prefix or suffix was expected, and where they do fit."""
        notes: list[str] = []
        for name, given in (("prefix", anchor.prefix), ("suffix", anchor.suffix)):
            if given is None:
                continue
            context = flatten(given)
            number, at = hits[0]
            flat = self.flat(number)
            if any(
                self._context_fits(
                    anchor.model_copy(update={("suffix" if name == "prefix" else "prefix"): None}),
                    n,
                    a,
                    len(needle),
                )
                for n, a in hits
            ):
                continue  # this one fits somewhere; the other one is at fault
            together = (
                [context + " " + needle, context + needle]
                if name == "prefix"
                else [needle + " " + context, needle + context]
            )
            elsewhere = sorted({p for t in together for p, _ in self._occurrences(t, None)})
            if elsewhere:
                where = _paragraphs(elsewhere)
                scope = f", not {anchor.paragraph}" if anchor.paragraph else ""
                notes.append(f"with this {name} the quote is in paragraph {where}{scope}")
                continue
            if name == "prefix":
                around = _words_end(flat[:at].rstrip(" ")[::-1], len(context) + 10)[::-1]
                notes.append(
                    f"before it in paragraph {number} stands {_clip(around, 40)}"
                    if around
                    else f"it starts paragraph {number}"
                )
            else:
                around = _words_end(flat[at + len(needle) :].lstrip(" "), len(context) + 10)
                notes.append(
                    f"after it in paragraph {number} stands {_clip(around, 40)}"
                    if around
                    else f"it ends paragraph {number}"
                )
            standing = sorted({p for p, _ in self._occurrences(context, None)})
            if standing:
                where = _paragraphs(standing)
                notes[-1] += f"; the {name} is in paragraph {where}, but not next to the quote"
            elif re.search(re.escape(context), flat, re.IGNORECASE):
                notes[-1] += (
                    f"; the {name} matches only ignoring capitals (matching is case-sensitive)"
                )
        return "; " + "; ".join(notes) if notes else ""

    def ranked(self, quote: str, prefer: int | None = None) -> list[tuple[float, Span]]:
        """The best-aligned passage of each candidate paragraph, most alike first."""
        needle = flatten(quote)
        if not needle or len(needle) > FUZZY_MAX_LENGTH:
            return []
        words = set(_WORD.findall(needle.lower()))
        candidates: list[int] = list(range(1, len(self.paragraphs) + 1))
        if len(self.paragraphs) > 40 and words:
            shared = [
                (len(words & set(_WORD.findall(self.flat(n).lower()))), n) for n in candidates
            ]
            shared.sort(reverse=True)
            candidates = [n for _, n in shared[:20]]
            if prefer is not None and 1 <= prefer <= len(self.paragraphs):
                candidates.append(prefer)
        found: list[tuple[float, bool, int, int, int]] = []
        for number in dict.fromkeys(candidates):
            score, start, end = _align(needle, self.flat(number))
            if score > 0:
                found.append((score, number == prefer, number, start, end))
        found.sort(key=lambda f: (-f[0], not f[1], f[2]))
        return [(f[0], self.span(f[2], f[3], f[4] - f[3])) for f in found]

    def closest(self, quote: str, prefer: int | None = None) -> tuple[float, Span] | None:
        """The passage most like a quote, with its similarity from 0 to 1."""
        ranked = self.ranked(quote, prefer)
        return ranked[0] if ranked else None


# Paragraphs longer than this are aligned only in the windows sharing most words with the
# quote: difflib is quadratic-ish, and a source may be megabytes on one paragraph.
_WHOLE_ALIGN_LIMIT = 4_000
_WINDOWS_ALIGNED = 4


def _align(needle: str, flat: str) -> tuple[float, int, int]:
    """Similarity of needle to its best-aligned region of flat, and that region."""
    if len(flat) <= max(_WHOLE_ALIGN_LIMIT, 4 * len(needle)):
        return _align_region(needle, flat)
    size = 2 * len(needle) + 200
    step = max(1, size // 2)
    words = set(_WORD.findall(needle.lower()))
    windows = []
    for w0 in range(0, len(flat), step):
        shared = len(words & set(_WORD.findall(flat[w0 : w0 + size].lower())))
        windows.append((-shared, w0))
    windows.sort()
    best = (0.0, 0, 0)
    for _, w0 in windows[:_WINDOWS_ALIGNED]:
        score, start, end = _align_region(needle, flat[w0 : w0 + size])
        if score > best[0]:
            best = (score, start + w0, end + w0)
    return best


def _align_region(needle: str, flat: str) -> tuple[float, int, int]:
    if not flat:
        return 0.0, 0, 0
    matcher = difflib.SequenceMatcher(None, flat, needle, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return 0.0, 0, 0
    # Trim stray single-character blocks far from the main body of the match.
    main = max(blocks, key=lambda b: b.size)
    kept = [b for b in blocks if b.size >= 3 or abs(b.a - main.a) <= len(needle)]
    start = min(b.a for b in kept)
    end = max(b.a + b.size for b in kept)
    start = max(0, min(start, main.a - main.b))
    end = min(len(flat), max(end, main.a + (len(needle) - main.b)))
    region = flat[start:end]
    score = difflib.SequenceMatcher(None, region, needle, autojunk=False).ratio()
    return score, start, end


DriftStatus = Literal["resolves", "moved", "lost"]


@dataclass(frozen=True, slots=True)
class Relocation:
    status: DriftStatus
    span: Span | None
    score: float
    message: str


# A fuzzy relocation must also beat the runner-up by this much: two near-equal passages are
# an ambiguity, and picking one would be a guess.
FUZZY_MARGIN = 0.05


def relocate(source: SourceText, anchor: Anchor) -> Relocation:
    """Where an anchor stands in a source that changed: in place, moved, or lost.

    A quote that resolves as written still resolves. Its exact words standing in one other
    place (its prefix/suffix deciding between several) have moved. Otherwise a passage at
    least FUZZY_FLOOR alike, clearly ahead of any other, is where it moved, its words changed.
    Anything else is lost: a wrong highlight is worse than none.
    """
    try:
        span = source.resolve(anchor)
    except ResolveError:
        pass
    else:
        return Relocation("resolves", span, 1.0, "still resolves")
    needle = flatten(anchor.quote)
    hits = source.occurrences(needle)
    if hits:
        fitting = [h for h in hits if source._context_fits(anchor, h[0], h[1], len(needle))]
        if len(fitting) == 1 or (len(hits) == 1 and not fitting):
            number, at = (fitting or hits)[0]
            span = source.span(number, at, len(needle))
            return Relocation("moved", span, 1.0, f"moved to paragraph {number}")
        where = ", ".join(sorted({str(p) for p, _ in (fitting or hits)}, key=int))
        return Relocation(
            "lost",
            None,
            0.0,
            f"lost: it now occurs {len(fitting or hits)} times (paragraphs {where}); "
            "add a prefix, suffix or paragraph to say which",
        )
    if len(needle) >= FUZZY_MIN_LENGTH:
        ranked = source.ranked(anchor.quote, anchor.paragraph)
        if ranked and ranked[0][0] >= FUZZY_FLOOR:
            score, span = ranked[0]
            text = source.paragraph(span.paragraph).text[span.start : span.end]
            if len(ranked) > 1 and ranked[1][0] > score - FUZZY_MARGIN:
                other = ranked[1][1].paragraph
                return Relocation(
                    "lost",
                    None,
                    0.0,
                    f"lost: paragraphs {span.paragraph} and {other} are equally close; "
                    "cannot tell which it moved to",
                )
            return Relocation(
                "moved",
                span,
                score,
                f"changed: closest is paragraph {span.paragraph} ({score:.0%} alike): "
                + _clip(text),
            )
    return Relocation("lost", None, 0.0, "lost: no passage is close enough to relocate it")


def _clip(text: str, limit: int = 80) -> str:
    return f'"{clip(flatten(text), limit)}"'


def _first_difference(needle: str, passage: str, width: int = 12) -> str:
    """Where a quote first differs from its closest passage, shown in a window of both."""
    flat = flatten(passage)
    if flat == needle:
        return ""
    at = next((i for i, (a, b) in enumerate(zip(needle, flat, strict=False)) if a != b), None)
    if at is None:
        at = min(len(needle), len(flat))
    start = max(0, at - width)

    def window(text: str) -> str:
        piece = text[start : at + width]
        return ("…" if start else "") + piece + ("…" if at + width < len(text) else "")

    text = (
        f"; they first differ at character {at + 1}: "
        f"quote {window(needle)!r}, source {window(flat)!r}"
    )
    if at < len(needle) and at < len(flat) and needle[at].isalpha() and flat[at].isalpha():
        ours, theirs = _script(needle[at]), _script(flat[at])
        if ours != theirs:
            text += f" ({_named(needle[at])} where the source has {_named(flat[at])})"
    return text


def _words_end(text: str, length: int) -> str:
    """The first length characters of text, run on to the end of a word cut (20 at most)."""
    end = text.find(" ", length, length + 20)
    return text[: end if end >= 0 else length]


def _paragraphs(numbers: list[int], limit: int = 5) -> str:
    """Paragraph numbers for a message, the first few of many."""
    more = f" and {len(numbers) - limit} more" if len(numbers) > limit else ""
    return ", ".join(map(str, numbers[:limit])) + more


_NAMED = 3
"""Look-alike letters named in one message; a quote may have hundreds."""


def _more(count: int) -> str:
    return f" (and {count - _NAMED} more)" if count > _NAMED else ""


def _named(character: str) -> str:
    """A character as a message shows it: itself, its code point and its Unicode name."""
    import unicodedata

    return f"{character!r} (U+{ord(character):04X} {unicodedata.name(character, 'unnamed')})"


def _script(character: str) -> str:
    """The script of a letter, from its Unicode name: Latin, Cyrillic, Greek, Cjk..."""
    import unicodedata

    return unicodedata.name(character, "unknown").split(" ", 1)[0].capitalize()


# Scripts whose letters are confused with each other, and the look-alikes among them.
_ALPHABETS = frozenset({"Latin", "Cyrillic", "Greek"})
_LOOK_ALIKES = (
    "aа AАΑ BВΒ cс CСϹ eе EЕΕ HНΗ iі IІΙ jј JЈ KКΚ MМΜ NΝ oоο OОΟ pрρ PРΡ sѕ SЅ TТΤ "
    "xх XХΧ yу YΥ ZΖ vν"
).split()


@functools.cache
def _look_alike() -> dict[tuple[str, str], str]:
    """(letter, script wanted) to the letter of that script it looks like; made when first
    needed, as the reader imports this module before its first frame."""
    return {
        (one, _script(other)): other
        for group in _LOOK_ALIKES
        for one in group
        for other in group
        if _script(one) != _script(other)
    }


def _odd_letters(text: str) -> list[tuple[str, str]]:
    """Letters of one alphabet inside a word of another: (letter, the word's script)."""
    found: list[tuple[str, str]] = []
    for word in re.findall(r"[^\W\d_]+", text):
        scripts = [_script(c) for c in word]
        if len(set(scripts)) < 2:
            continue
        counts = {s: scripts.count(s) for s in set(scripts)}
        main = max(counts, key=lambda s: counts[s])
        if main not in _ALPHABETS or list(counts.values()).count(counts[main]) > 1:
            continue
        for character, script in zip(word, scripts, strict=True):
            if script != main and script in _ALPHABETS and (character, main) not in found:
                found.append((character, main))
    return found


# Scripts written without spaces between words, and a space standing between two of their
# characters (what YAML folding leaves where a line was broken).
_NO_SPACE_NAME = "Chinese, Japanese or Thai"
_NO_SPACE = (
    "\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3000-\u303f"
    "\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff00-\uffef\U00020000-\U0003134f"
)


@functools.cache
def _folded_space() -> re.Pattern[str]:
    return re.compile(f"(?<=[{_NO_SPACE}]) (?=[{_NO_SPACE}])")


_TOKEN = re.compile(r"\w+(?:['’.,]\w+)*")
_NEGATIONS = frozenset(
    "not no never nor none neither nobody nothing nowhere without cannot".split()
)
# Capitalised only for starting a sentence: a change to one of these is no change of name.
_SENTENCE_STARTS = frozenset(
    "The A An This That These Those It Its He She They We I In On At But And Or If As".split()
)


def material_change(old: str, new: str) -> str | None:
    """What a changed quote's edit touches that can change its meaning, or None.

    A number, a negation or a capitalised name edited between the words quoted and the words
    now found makes the relocated passage say something else ("Q3" became "Q4"): highlighting
    it as the evidence would be wrong.
    """
    a = _TOKEN.findall(flatten(old))
    b = _TOKEN.findall(flatten(new))
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before, after = a[i1:i2], b[j1:j2]
        shown = f"{' '.join(before) or '(nothing)'!r} became {' '.join(after) or '(nothing)'!r}"
        touched = before + after
        if any(any(c.isdigit() for c in t) for t in touched):
            return f"a number ({shown})"
        if any(t.lower() in _NEGATIONS or t.lower().endswith("n't") for t in touched):
            return f"a negation ({shown})"
        if any(t[:1].isupper() and t not in _SENTENCE_STARTS for t in touched):
            return f"a capitalised name ({shown})"
    return None
