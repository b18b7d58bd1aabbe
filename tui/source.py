"""Source texts: paragraphs, evidence anchors resolved to offsets, and drift after edits.

A paragraph is a block of non-blank lines; blank lines separate them; they are numbered from 1.
This module is the one place that says so.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass, field
from typing import Literal

from .schema import Anchor

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w{3,}")

# A fuzzy relocation must be at least this similar, and the quote at least this long: a wrong
# highlight is worse than a lost one (Hypothesis re-anchors with no floor and lands on wrong words).
FUZZY_FLOOR = 0.85
FUZZY_MIN_LENGTH = 12


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
    """An anchor that does not resolve; the message says why and what is closest."""


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
    return _WS.sub(" ", text).strip()


def _flat_map(text: str) -> tuple[str, list[int]]:
    """The flattened text and, for each of its characters, the offset in the original."""
    out: list[str] = []
    index: list[int] = []
    position = 0
    for match in _WS.finditer(text):
        if match.start() > position:
            out.append(text[position : match.start()])
            index.extend(range(position, match.start()))
        out.append(" ")
        index.append(match.start())
        position = match.end()
    out.append(text[position:])
    index.extend(range(position, len(text)))
    flat = "".join(out)
    # Paragraphs never start or end with whitespace after splitting, except for inner indents.
    lead = len(flat) - len(flat.lstrip(" "))
    flat_stripped = flat.strip(" ")
    return flat_stripped, index[lead : lead + len(flat_stripped)] + [len(text)]


@dataclass
class SourceText:
    """A source's text split into paragraphs, with quote search over them."""

    text: str
    paragraphs: list[Paragraph] = field(init=False)
    _flat: dict[int, tuple[str, list[int]]] = field(init=False, default_factory=dict)
    _joined: tuple[str, list[int]] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.text = normalise(self.text)
        self.paragraphs = split_paragraphs(self.text)

    def paragraph(self, number: int) -> Paragraph:
        return self.paragraphs[number - 1]

    def flat(self, number: int) -> tuple[str, list[int]]:
        cached = self._flat.get(number)
        if cached is None:
            cached = self._flat[number] = _flat_map(self.paragraphs[number - 1].text)
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
        needle = flatten(quote)
        if not needle:
            return []
        found: list[tuple[int, int]] = []
        if paragraph is not None:
            haystack = self.flat(paragraph)[0]
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
        index = self.flat(paragraph)[1]
        start = index[flat_start]
        end = index[flat_start + flat_length - 1] + 1
        return Span(paragraph, start, end)

    def _context_fits(self, anchor: Anchor, paragraph: int, at: int, length: int) -> bool:
        flat = self.flat(paragraph)[0]
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
                f"paragraph {anchor.paragraph} is out of range: the source has {count} paragraphs"
            )
        needle = flatten(anchor.quote)
        hits = self.occurrences(needle, anchor.paragraph)
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
            elsewhere = self.occurrences(needle)
            if elsewhere:
                where = ", ".join(sorted({str(p) for p, _ in elsewhere}))
                raise ResolveError(
                    f"quote {short} is not in paragraph {anchor.paragraph}; it is in paragraph {where}"
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

    def closest(self, quote: str, prefer: int | None = None) -> tuple[float, Span] | None:
        """The passage most like a quote, with its similarity from 0 to 1."""
        needle = flatten(quote)
        if not needle:
            return None
        words = set(_WORD.findall(needle.lower()))
        candidates = range(1, len(self.paragraphs) + 1)
        if len(self.paragraphs) > 40 and words:
            shared = [
                (len(words & set(_WORD.findall(self.flat(n)[0].lower()))), n) for n in candidates
            ]
            shared.sort(reverse=True)
            candidates = [n for _, n in shared[:20]]
            if prefer is not None and prefer <= len(self.paragraphs):
                candidates.append(prefer)
        best: tuple[float, int, int, int] | None = None
        for number in candidates:
            flat = self.flat(number)[0]
            score, start, end = _align(needle, flat)
            if best is None or score > best[0] or (score == best[0] and number == prefer):
                best = (score, number, start, end)
        if best is None or best[0] <= 0:
            return None
        score, number, start, end = best
        return score, self.span(number, start, end - start)


def _align(needle: str, flat: str) -> tuple[float, int, int]:
    """Similarity of needle to its best-aligned region of flat, and that region."""
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


def relocate(source: SourceText, anchor: Anchor) -> Relocation:
    """Where an anchor stands in a source that changed: in place, moved, or lost."""
    try:
        span = source.resolve(anchor)
    except ResolveError:
        pass
    else:
        if anchor.paragraph is None or span.paragraph == anchor.paragraph:
            return Relocation("resolves", span, 1.0, "still resolves")
        return Relocation("moved", span, 1.0, f"moved to paragraph {span.paragraph}")
    if anchor.paragraph is not None:
        moved = source.occurrences(anchor.quote)
        if len(moved) == 1:
            number, at = moved[0]
            span = source.span(number, at, len(flatten(anchor.quote)))
            return Relocation("moved", span, 1.0, f"moved to paragraph {number}")
    if len(flatten(anchor.quote)) >= FUZZY_MIN_LENGTH:
        near = source.closest(anchor.quote, anchor.paragraph)
        if near is not None and near[0] >= FUZZY_FLOOR:
            score, span = near
            text = source.paragraph(span.paragraph).text[span.start : span.end]
            return Relocation(
                "moved",
                span,
                score,
                f"changed: closest is paragraph {span.paragraph} ({score:.0%} alike): {_clip(text)}",
            )
    return Relocation("lost", None, 0.0, "lost: no passage is close enough to relocate it")


def _clip(text: str, limit: int = 80) -> str:
    flat = flatten(text)
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f'"{flat}"'


def contains_loosely(haystack: str, needle: str) -> bool:
    """Whether needle occurs in haystack with whitespace runs matching loosely."""
    return flatten(needle) in flatten(haystack)
