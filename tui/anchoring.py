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

    def fits(prefix: str | None, suffix: str | None, in_paragraph: bool) -> bool:
        probe = Anchor.model_construct(quote=quote, prefix=prefix, suffix=suffix)
        found = [
            (number, offset)
            for number, offset in hits
            if (not in_paragraph or number == paragraph)
            and source._context_fits(probe, number, offset, len(quote))
        ]
        return found == [(paragraph, at)]

    def written(prefix: str | None, suffix: str | None, in_paragraph: bool) -> dict[str, object]:
        anchor: dict[str, object] = {}
        if in_paragraph:
            anchor["paragraph"] = paragraph
        anchor["quote"] = quote
        if prefix is not None:
            anchor["prefix"] = prefix
        if suffix is not None:
            anchor["suffix"] = suffix
        return anchor

    # A prefix or suffix takes 500 characters, so at most 250 words of either side.
    before = before[-CONTEXT_LIMIT // 2 :]
    after = after[: CONTEXT_LIMIT // 2]

    def candidates() -> Iterator[tuple[str | None, str | None]]:
        yield None, None
        for words in range(1, len(before) + len(after) + 1):
            for p in [words, 0, *range(1, words)]:
                s = words - p
                if p > len(before) or s > len(after):
                    continue
                prefix = " ".join(before[len(before) - p :]) if p else None
                suffix = " ".join(after[:s]) if s else None
                if len(prefix or "") > CONTEXT_LIMIT or len(suffix or "") > CONTEXT_LIMIT:
                    continue
                yield prefix, suffix

    chosen: dict[str, object] | None = None
    for prefix, suffix in candidates():
        for in_paragraph in (False, True):
            if fits(prefix, suffix, in_paragraph):
                chosen = written(prefix, suffix, in_paragraph)
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
