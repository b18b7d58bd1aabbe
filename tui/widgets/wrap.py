"""Word wrapping by offsets, shared by the panes that lay out long text themselves."""

from __future__ import annotations

import re

from rich.cells import cell_len, chop_cells

_WORD = re.compile(r"\s*\S+\s*")


def wrap_breaks(text: str, width: int) -> list[int]:
    """Offsets where each wrapped line after the first starts.

    ASCII text (nearly every source) is wrapped a line at a time with str.rfind, about a hundred
    times faster than word by word, which stays for text whose cell widths differ from its
    length (CJK, emoji, combining marks).
    """
    if not text.isascii():
        return divide_line(text, width)
    breaks: list[int] = []
    start = 0
    end = len(text)
    while end - start > width:
        space = text.rfind(" ", start + 1, start + width + 1)
        start = space + 1 if space > start else start + width
        breaks.append(start)
    return breaks


def divide_line(text: str, width: int) -> list[int]:
    """Offsets to break text at so that each line fits width cells; long words are folded.

    Rich's `rich._wrap.divide_line` (MIT, Textualize), copied with folding always on: that
    module is private, and wrapping must not break when Rich reorganises it.
    """
    breaks: list[int] = []
    offset = 0  # cells used on the current line
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = cell_len(word.rstrip())
        if width - offset >= length:
            offset += cell_len(word)
        elif length > width:
            pieces = chop_cells(word, width)
            for n, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if n == len(pieces) - 1:
                    offset = cell_len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks
