"""The one sanitiser: untrusted text made safe to show on a terminal.

Textual and Rich strip only BEL, BS, VT, FF and CR; ESC, C1 controls, NUL and DEL reach the
terminal unchanged, so one string can set the clipboard (OSC 52), the title, or leave the
alternate screen. Every string from a briefing or a source passes through `clean` where it
becomes display or an error message.

Each unsafe character becomes exactly one visible character, so offsets into a text (quote
highlights) stay valid after cleaning:

- C0 controls become their Unicode control pictures (ESC shows as ␛), DEL shows as ␡;
- 8-bit C1 controls and lone surrogates show as �;
- invisible format characters (bidi overrides, zero-width spaces and joiners, tag characters,
  the byte-order mark) and the blank Hangul fillers show as ⌧, so Trojan-Source reorderings
  and hidden text are visible;
- line and paragraph separators show as ␤.
"""

from __future__ import annotations

import re

FORMAT_MARK = "\u2327"  # ⌧
C1_MARK = "\ufffd"  # �
SEPARATOR_MARK = "\u2424"  # ␤

_FORMAT = (
    "\u00ad\u115f\u1160\u3164\uffa0\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f"
)
_UNSAFE_KEEP_LINES = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029{_FORMAT}]")
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029{_FORMAT}]")


def _mark(character: str, keep_lines: bool) -> str:
    code = ord(character)
    if character == "\t":
        return " "
    if character == "\n":
        return "\n" if keep_lines else " "
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if code <= 0x9F or 0xD800 <= code <= 0xDFFF:
        return C1_MARK
    if code in (0x2028, 0x2029):
        return SEPARATOR_MARK
    return FORMAT_MARK


def clean(text: str, *, keep_lines: bool = False) -> str:
    """Text with every unsafe character replaced by one visible character.

    Tabs become a space. Newlines become a space unless keep_lines is set.
    """
    if is_clean(text, keep_lines=keep_lines):
        return text
    pattern = _UNSAFE_KEEP_LINES if keep_lines else _UNSAFE
    return pattern.sub(lambda m: _mark(m.group(), keep_lines), text)


def _plain(text: str) -> bool:
    """Printable ASCII only (0x20-0x7e), which holds nothing unsafe: two C scans, about ten
    times faster than the pattern's search (50,000 paragraphs: 8 ms against 85)."""
    return text.isascii() and text.isprintable()


def clip(text: str, limit: int) -> str:
    """Text cut to at most limit characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


QUOTE_LIMIT = 60
"""Characters of a value quoted in a message, by default."""


def clipped_repr(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A value quoted in a message, clipped: a hostile megabyte stays out of the output.

    Text is clipped before repr(): repr of a megabyte would copy the megabyte first. What
    repr leaves (a lone surrogate, a format character) still needs `clean` to be printed.
    """
    if isinstance(value, str):
        return repr(clip(value, limit))
    return clip(repr(value), limit)


def is_clean(text: str, *, keep_lines: bool = False) -> bool:
    """Whether text would pass through clean unchanged."""
    if _plain(text):
        return True
    pattern = _UNSAFE_KEEP_LINES if keep_lines else _UNSAFE
    return pattern.search(text) is None


INPUT_ALLOWED = r"[^\x00-\x1f\x7f-\x9f\u2028\u2029]*"
"""For Input(restrict=...): a pasted escape sequence is refused, never echoed to the terminal."""
