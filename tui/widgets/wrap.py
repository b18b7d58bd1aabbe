"""Word wrapping by offsets, shared by the panes that lay out long text themselves."""

from __future__ import annotations

from rich._wrap import divide_line


def wrap_breaks(text: str, width: int) -> list[int]:
    """Offsets where each wrapped line after the first starts.

    ASCII text (nearly every source) is wrapped a line at a time with str.rfind, about a hundred
    times faster than Rich's word-by-word divide_line, which stays for text whose cell widths
    differ from its length (CJK, emoji, combining marks).
    """
    if not text.isascii():
        return divide_line(text, width, fold=True)
    breaks: list[int] = []
    start = 0
    end = len(text)
    while end - start > width:
        space = text.rfind(" ", start + 1, start + width + 1)
        start = space + 1 if space > start else start + width
        breaks.append(start)
    return breaks
