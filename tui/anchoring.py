"""The shortest anchor for a selection of a source: the words selected, and only as much
context (a paragraph number, a prefix or suffix of whole words) as makes them resolve there.

Anchors are resolved by `SourceText.resolve` (quotes flattened, case-sensitive, a prefix
ending the paragraph's text before the quote, a suffix starting the text after it); the
candidates here are tried by the same rules (`SourceText._context_fits`) and the answer is
checked by `resolve` itself, so an anchor this module writes always resolves to its selection.
"""

from __future__ import annotations

from collections.abc import Iterator

from .schema import Anchor
from .source import SourceText, Span, flatten

QUOTE_LIMIT = 5_000
"""The longest quote the format takes (Anchor.quote)."""
CONTEXT_LIMIT = 500
"""The longest prefix or suffix the format takes."""
COMPARE_LIMIT = 20_000
"""Words of context compared with other places at most (see the budget below)."""
HITS_LIMIT = 20_000
"""Places of the same words weighed at most: words standing more often are refused (ValueError),
as telling one of a hundred thousand apart costs more than a selection should."""


def trimmed(source: SourceText, paragraph: int, start: int, end: int) -> Span:
    """The selection without the whitespace around it; ValueError when empty or outside."""
    if not 1 <= paragraph <= len(source.paragraphs):
        raise ValueError(f"paragraph {paragraph} is out of range 1..{len(source.paragraphs)}")
    text = source.paragraph(paragraph).text
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"selection {start}..{end} is outside paragraph {paragraph}")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValueError("the selection is empty")
    return Span(paragraph, start, end)


def _flat_offset(text: str, offset: int) -> int:
    """Where text[offset] (not whitespace) stands in flatten(text)."""
    before = text[:offset]
    flat = flatten(before)
    return len(flat) + (1 if flat and before[-1].isspace() else 0)


def shortest_anchor(source: SourceText, paragraph: int, start: int, end: int) -> dict[str, object]:
    """The shortest anchor that resolves to exactly the selected words (see the module).

    Tried in order: the quote alone, with its paragraph, then with a prefix or suffix (or
    both) of the fewest whole words, each without and then with the paragraph. Keys are in
    the order paragraph, quote, prefix, suffix. ValueError for an empty or out-of-range
    selection, or one too long for a quote.
    """
    span = trimmed(source, paragraph, start, end)
    text = source.paragraph(paragraph).text
    quote = flatten(text[span.start : span.end])
    if len(quote) > QUOTE_LIMIT:
        raise ValueError(f"the selection is {len(quote)} characters; a quote takes {QUOTE_LIMIT}")
    flat = source.flat(paragraph)
    at = _flat_offset(text, span.start)
    before = flat[:at].rstrip(" ").split(" ") if flat[:at].strip() else []
    after = (
        flat[at + len(quote) :].lstrip(" ").split(" ") if flat[at + len(quote) :].strip() else []
    )
    hits = source.occurrences(quote)
    if len(hits) > HITS_LIMIT:
        raise ValueError(
            f"these words stand {len(hits):,} times in the source; select more of them"
        )
    # A prefix or suffix takes 500 characters, so at most 250 words of either side.
    before = before[-CONTEXT_LIMIT // 2 :]
    after = after[: CONTEXT_LIMIT // 2]
    prefixes = [" ".join(before[len(before) - p :]) for p in range(len(before) + 1)]
    suffixes = [" ".join(after[:s]) for s in range(len(after) + 1)]

    # How many words of the prefix and of the suffix each other place shares: the longer a
    # prefix's words, the fewer places its text ends (resolve's test), so a place is told
    # apart by p words exactly when p is more than it shares (and likewise for suffixes).
    others: list[tuple[bool, int, int]] = []
    budget = COMPARE_LIMIT
    for number, offset in hits:
        if (number, offset) == (paragraph, at):
            continue
        other = source.flat(number)
        # Only as much text as a prefix or suffix can take: a paragraph may be megabytes.
        ahead = other[max(0, offset - CONTEXT_LIMIT - 2) : offset].rstrip(" ")
        behind = other[offset + len(quote) : offset + len(quote) + CONTEXT_LIMIT + 2].lstrip(" ")
        if budget <= 0:
            # Past the budget, a place is taken to share every word: an anchor may come out
            # longer, or not at all, but never resolve elsewhere.
            others.append((number == paragraph, len(before), len(after)))
            continue
        shared_p = 0
        while shared_p < len(before) and ahead.endswith(prefixes[shared_p + 1]):
            shared_p += 1
        shared_s = 0
        while shared_s < len(after) and behind.startswith(suffixes[shared_s + 1]):
            shared_s += 1
        budget -= 1 + shared_p + shared_s
        others.append((number == paragraph, shared_p, shared_s))

    def needed(in_paragraph: bool) -> list[int]:
        """For each number of prefix words, the fewest suffix words that tell the selection
        apart from every other place (len(after) + 1: none do)."""
        most = [0] * (len(before) + 2)
        for same, shared_p, shared_s in others:
            if same or not in_paragraph:
                most[shared_p] = max(most[shared_p], shared_s + 1)
        # A place sharing p words of prefix shares every fewer number of them too.
        for p in range(len(before) - 1, -1, -1):
            most[p] = max(most[p], most[p + 1])
        return most

    need = {False: needed(False), True: needed(True)}

    def unique(p: int, s: int, in_paragraph: bool) -> bool:
        return s >= need[in_paragraph][p]

    def written(p: int, s: int, in_paragraph: bool) -> dict[str, object]:
        anchor: dict[str, object] = {}
        if in_paragraph:
            anchor["paragraph"] = paragraph
        anchor["quote"] = quote
        if p:
            anchor["prefix"] = prefixes[p]
        if s:
            anchor["suffix"] = suffixes[s]
        return anchor

    def candidates() -> Iterator[tuple[int, int]]:
        yield 0, 0
        for words in range(1, len(before) + len(after) + 1):
            for p in [words, 0, *range(1, words)]:
                s = words - p
                if p > len(before) or s > len(after):
                    continue
                if len(prefixes[p]) > CONTEXT_LIMIT or len(suffixes[s]) > CONTEXT_LIMIT:
                    continue
                yield p, s

    def fits(p: int, in_paragraph: bool) -> bool:
        s = need[in_paragraph][p]
        return s <= len(after) and max(len(prefixes[p]), len(suffixes[s])) <= CONTEXT_LIMIT

    chosen: dict[str, object] | None = None
    if not any(fits(p, i) for p in range(len(before) + 1) for i in (False, True)):
        raise ValueError(
            "these words cannot be told apart from the same words elsewhere in the paragraph "
            "by a prefix or suffix the format takes"
        )
    for p, s in candidates():
        for in_paragraph in (False, True):
            if unique(p, s, in_paragraph):
                chosen = written(p, s, in_paragraph)
                break
        if chosen is not None:
            break
    if chosen is None:
        raise ValueError(
            "these words cannot be told apart from the same words elsewhere in the paragraph "
            "by a prefix or suffix the format takes"
        )
    # The one judge of an anchor is the resolver: never hand out one it would not accept.
    if source.resolve(Anchor.model_validate(chosen)) != span:  # pragma: no cover - a bug
        raise ValueError("the anchor made for this selection does not resolve to it")
    return chosen
