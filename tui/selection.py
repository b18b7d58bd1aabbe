"""Selecting words in a source: the selection, and the caret's motions over one paragraph.

Every motion is a pure function of a paragraph's text (as the source pane shows it: `clean`
keeps offsets) and, for the line motions, the offsets where the pane wraps it (`wrap_breaks`),
so each is tested without a screen. Offsets count characters; columns count terminal cells,
which differ for wide characters (CJK, emoji): j/k keep the column in cells.

A word, for `w`, `b` and `e` (as in vim, changed where quoting reports needs it):
- a run of letters, digits, underscores and combining marks is one word, in any script with
  spaces between words (Latin, Cyrillic, Greek, Hangul, ...);
- a run of other visible characters (punctuation, quotes, symbols) is one word;
- an apostrophe between letters ("Russia's"), a hyphen between letters or digits ("BM-21",
  "Su-25") and a comma or full stop between digits ("1,000", "7.7") belong to the word, so
  that a name, a designation or a figure is one motion;
- each Chinese or Japanese character (Han, kana) is a word of its own: those scripts put no
  spaces between words, so a run would be a whole clause and a quote could not start or end
  inside it.

The caret is always on a character (its offset is below the text's length), and a selection
covers the characters from its anchor to its caret, both included: `v` on the first letter
of "13" then `e`, `w`, `e`, `w`, `e` selects exactly "13 battle tanks".
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import get_character_cell_size

SPACE = 0
PUNCTUATION = 1
WORD = 2
IDEOGRAPH = 3
"""Each character of this class is a word of its own."""

APOSTROPHES = "'\u2019"
HYPHENS = "-\u2010\u2011"
DIGIT_MARKS = ".,"
SCAN_LIMIT = 4096
"""Characters a word motion looks through: in a hostile paragraph of one word or one run of
spaces (a source may hold 32 MB) the caret stops there rather than the key taking seconds."""
MARKS_LIMIT = 16
"""Combining marks looked through to find the character they belong to."""
WORDS_LIMIT = 500
"""Characters of words typed to find: more is refused rather than compiled into a pattern."""

_IDEOGRAPHS = (
    (0x2E80, 0x2FDF),  # CJK and Kangxi radicals
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3100, 0x312F),  # bopomofo
    (0x31A0, 0x31FF),  # bopomofo extended, katakana extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFF66, 0xFF9F),  # halfwidth katakana
    (0x20000, 0x3134F),  # CJK extensions B-G and compatibility supplement
)
_IDEOGRAPH_STARTS = [start for start, _ in _IDEOGRAPHS]


@dataclass(frozen=True, slots=True)
class Selection:
    """Words selected in a source: offsets in the paragraph's text, end exclusive."""

    paragraph: int
    start: int
    end: int


def _is_ideograph(character: str) -> bool:
    code = ord(character)
    k = bisect.bisect_right(_IDEOGRAPH_STARTS, code) - 1
    return k >= 0 and code <= _IDEOGRAPHS[k][1]


def _plain_class(character: str) -> int:
    if character.isspace():
        return SPACE
    if _is_ideograph(character):
        return IDEOGRAPH
    if character.isalnum() or character == "_":
        return WORD
    return PUNCTUATION


def char_class(text: str, i: int) -> int:
    """The class of text[i] for word motions: SPACE, PUNCTUATION, WORD or IDEOGRAPH."""
    character = text[i]
    if unicodedata.category(character)[0] == "M":
        # A combining mark belongs to the character it combines with.
        # Walked back a bounded way: a hostile run of marks must not make each step quadratic.
        j = i
        while j > max(0, i - MARKS_LIMIT) and unicodedata.category(text[j])[0] == "M":
            j -= 1
        return WORD if unicodedata.category(text[j])[0] == "M" else char_class(text, j)
    kind = _plain_class(character)
    if kind != PUNCTUATION or not 0 < i < len(text) - 1:
        return kind
    before, after = text[i - 1], text[i + 1]
    if character in APOSTROPHES:
        joined = before.isalpha() and after.isalpha()
    elif character in HYPHENS:
        joined = before.isalnum() and after.isalnum()
    elif character in DIGIT_MARKS:
        joined = before.isdigit() and after.isdigit()
    else:
        joined = False
    return WORD if joined else PUNCTUATION


def word_forward(text: str, offset: int) -> int | None:
    """`w`: where the next word starts, or None when offset is in the text's last word."""
    if not 0 <= offset < len(text):
        return None
    n = min(len(text), offset + SCAN_LIMIT)
    i = offset
    kind = char_class(text, i)
    if kind != SPACE:
        i += 1
        if kind != IDEOGRAPH:
            while i < n and char_class(text, i) == kind:
                i += 1
    while i < n and char_class(text, i) == SPACE:
        i += 1
    if i < n:
        return i
    return n - 1 if n < len(text) else None  # stopped at the limit: as far as it looked


def word_end(text: str, offset: int) -> int | None:
    """`e`: the last character of the word, or of the next one when offset is on it already;
    None when there is no word after offset."""
    n = min(len(text), max(0, offset + 1) + SCAN_LIMIT)
    i = offset + 1
    while i < n and char_class(text, i) == SPACE:
        i += 1
    if i >= n:
        return n - 1 if n < len(text) else None
    kind = char_class(text, i)
    if kind != IDEOGRAPH:
        while i + 1 < n and char_class(text, i + 1) == kind:
            i += 1
    return i


def word_back(text: str, offset: int) -> int | None:
    """`b`: where the word starts, or the previous one when offset is at its start already;
    None when there is no word before offset."""
    i = min(offset, len(text)) - 1
    floor = max(0, i - SCAN_LIMIT)
    while i >= floor and char_class(text, i) == SPACE:
        i -= 1
    if i < floor:
        return floor if floor > 0 else None
    kind = char_class(text, i)
    if kind != IDEOGRAPH:
        while i > floor and char_class(text, i - 1) == kind:
            i -= 1
    return i


# --- screen lines ----------------------------------------------------------------------------


def line_of(breaks: list[int], offset: int) -> int:
    """Which wrapped line (from 0) holds offset; breaks as `wrap_breaks` gives them."""
    return bisect.bisect_right(breaks, offset)


def line_bounds(text: str, breaks: list[int], row: int) -> tuple[int, int]:
    """The offsets a wrapped line covers, end exclusive (its trailing space included)."""
    start = breaks[row - 1] if row > 0 else 0
    end = breaks[row] if row < len(breaks) else len(text)
    return start, end


def last_visible(text: str, start: int, end: int) -> int:
    """The last character of text[start:end] that is not a space (start if none is)."""
    i = end - 1
    while i > start and text[i].isspace():
        i -= 1
    return i


def column_of(text: str, breaks: list[int], offset: int) -> int:
    """Cells from the start of offset's wrapped line to offset."""
    start, _ = line_bounds(text, breaks, line_of(breaks, offset))
    return sum(get_character_cell_size(c) for c in text[start:offset])


def at_column(text: str, start: int, end: int, column: int) -> int:
    """The character of text[start:end] drawn over the given cell column; past the line's
    last visible character, that character."""
    last = last_visible(text, start, end)
    used = 0
    for i in range(start, last + 1):
        used += get_character_cell_size(text[i])
        if used > column:
            return i
    return last


def line_down(text: str, breaks: list[int], offset: int, column: int) -> int | None:
    """`j`: the character at column on the next wrapped line; None on the last line."""
    row = line_of(breaks, offset) + 1
    if row > len(breaks):
        return None
    return at_column(text, *line_bounds(text, breaks, row), column)


def line_up(text: str, breaks: list[int], offset: int, column: int) -> int | None:
    """`k`: the character at column on the previous wrapped line; None on the first line."""
    row = line_of(breaks, offset) - 1
    if row < 0:
        return None
    return at_column(text, *line_bounds(text, breaks, row), column)


def line_start(text: str, breaks: list[int], offset: int) -> int:
    """`0`: the start of the wrapped line; already there, the paragraph's start."""
    start, _ = line_bounds(text, breaks, line_of(breaks, offset))
    return start if offset != start else 0


def line_end(text: str, breaks: list[int], offset: int) -> int:
    """`$`: the last visible character of the wrapped line; already there, the paragraph's."""
    start, end = line_bounds(text, breaks, line_of(breaks, offset))
    last = last_visible(text, start, end)
    return last if offset != last else last_visible(text, 0, len(text))


# --- finding words ---------------------------------------------------------------------------


def words_pattern(words: str) -> re.Pattern[str] | None:
    """Typed words as a pattern: case ignored, any run of spaces or line breaks between them.
    None for nothing to find, or more than WORDS_LIMIT characters."""
    parts = words.split()
    if not parts or len(words) > WORDS_LIMIT:
        return None
    return re.compile(r"\s+".join(re.escape(part) for part in parts), re.IGNORECASE)


def find_words(text: str, words: str, start: int = 0) -> tuple[int, int] | None:
    """The first place at or after start where the words occur: (start, end), end exclusive."""
    pattern = words_pattern(words)
    if pattern is None:
        return None
    match = pattern.search(text, max(0, start))
    return (match.start(), match.end()) if match else None


def clamp(text: str, offset: int) -> int:
    """offset kept on a character of text (0 for an empty text)."""
    return max(0, min(offset, len(text) - 1))


def next_match(
    texts: Sequence[str], paragraph: int, offset: int, words: str
) -> tuple[int, int, int] | None:
    """`/` without a selection: the next place after (paragraph, offset) where the words
    occur, going on past the last paragraph to the first: (paragraph, start, end)."""
    pattern = words_pattern(words)
    count = len(texts)
    if pattern is None or not 0 < paragraph <= count:
        return None
    for step in range(count + 1):
        number = (paragraph - 1 + step) % count + 1
        text = texts[number - 1]
        start = offset + 1 if step == 0 else 0
        match = pattern.search(text, start)
        if match is None:
            continue
        if step == count and match.start() > offset:
            return None  # back where it started: only what lies before the caret is new
        return number, match.start(), match.end()
    return None
