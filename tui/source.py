"""Source texts: paragraphs, evidence anchors resolved to offsets, and drift after edits.

A paragraph is a block of non-blank lines; blank lines separate them; they are numbered from 1.
This module is the one place that says so.
"""

from __future__ import annotations

import bisect
import difflib
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
            raise ResolveError(f"quote {short} is found, but not with the given prefix/suffix")
        if anchor.paragraph is not None:
            elsewhere = self._occurrences(needle, None)
            if elsewhere:
                where = ", ".join(sorted({str(p) for p, _ in elsewhere}))
                raise ResolveError(
                    f"quote {short} is not in paragraph {anchor.paragraph}; "
                    f"it is in paragraph {where}",
                    "paragraph",
                )
        near = self.closest(anchor.quote, anchor.paragraph)
        if near is None:
            raise ResolveError(f"quote {short} is not in the source")
        score, span = near
        passage = self.paragraph(span.paragraph).text[span.start : span.end]
        raise ResolveError(
            f"quote {short} is not in the source; closest passage is paragraph {span.paragraph} "
            f"({score:.0%} alike): {_clip(passage)}"
        )

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


def contains_loosely(haystack: str, needle: str) -> bool:
    """Whether needle occurs in haystack with whitespace runs matching loosely."""
    return flatten(needle) in flatten(haystack)


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
