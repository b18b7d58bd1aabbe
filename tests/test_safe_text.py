"""The one sanitiser: every class of unsafe character becomes exactly one visible character."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.safe_text import (
    C1_MARK,
    FORMAT_MARK,
    QUOTE_LIMIT,
    SEPARATOR_MARK,
    clean,
    clipped_repr,
    is_clean,
)

CASES = [
    ("osc52-clipboard", "\x1b]52;c;cm0gLXJmIH4K\x07", "␛]52;c;cm0gLXJmIH4K␇"),
    ("osc0-title", "\x1b]0;pwned\x1b\\", "␛]0;pwned␛\\"),
    ("osc2-title", "\x1b]2;pwned\x07", "␛]2;pwned␇"),
    ("osc8-link", "\x1b]8;;https://e.x/\x1b\\a\x1b]8;;\x1b\\", "␛]8;;https://e.x/␛\\a␛]8;;␛\\"),
    ("csi-clear", "\x1b[2J\x1b[H\x1b[?1049l", "␛[2J␛[H␛[?1049l"),
    ("c1-csi", "\x9b31m", f"{C1_MARK}31m"),
    ("c1-osc-st", "\x9d0;t\x9c", f"{C1_MARK}0;t{C1_MARK}"),
    ("c1-nel", "a\x85b", f"a{C1_MARK}b"),
    ("dcs", "\x1bP+q544e\x1b\\", "␛P+q544e␛\\"),
    ("bel-bs", "ok\x07\x08\x08xx", "ok␇␈␈xx"),
    ("cr-overwrite", "safe\rEVIL", "safe␍EVIL"),
    ("nul-del-so-si", "\x00\x7f\x0e\x0f", "␀␡␎␏"),
    (
        "bidi",
        "\u202eabc\u202c\u2066x\u2069\u061c",
        f"{FORMAT_MARK}abc{FORMAT_MARK}{FORMAT_MARK}x{FORMAT_MARK}{FORMAT_MARK}",
    ),
    (
        "zero-width",
        "a\u200bb\u200cc\u200dd\u2060e\ufeff",
        f"a{FORMAT_MARK}b{FORMAT_MARK}c{FORMAT_MARK}d{FORMAT_MARK}e{FORMAT_MARK}",
    ),
    ("tag-characters", "x\U000e0041\U000e007f", f"x{FORMAT_MARK}{FORMAT_MARK}"),
    ("hangul-fillers", "\u3164\u115f\uffa0", FORMAT_MARK * 3),
    ("separators", "a\u2028b\u2029", f"a{SEPARATOR_MARK}b{SEPARATOR_MARK}"),
    ("lone-surrogates", "\ud800x\udfff", f"{C1_MARK}x{C1_MARK}"),
    ("tab-newline", "a\tb\nc", "a b c"),
]


@pytest.mark.parametrize(("raw", "shown"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_unsafe_character_becomes_one_visible_one(raw: str, shown: str) -> None:
    assert clean(raw) == shown
    assert len(clean(raw)) == len(raw)
    assert is_clean(clean(raw))
    assert not is_clean(raw)


def test_keep_lines_keeps_newlines_only() -> None:
    assert clean("a\nb\r\x1b", keep_lines=True) == "a\nb␍␛"
    assert is_clean("a\nb", keep_lines=True) and not is_clean("a\nb")


def test_safe_text_passes_unchanged() -> None:
    text = "中俄军事合作 — Z̷̛a̴l̸g̵o é 😀 Ünïcödé ₽ 1 000"
    assert clean(text) is text


def test_every_control_format_and_separator_character_is_cleaned() -> None:
    unsafe = {"Cc", "Cf", "Cs", "Zl", "Zp"}
    missed = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if unicodedata.category(chr(code)) in unsafe and is_clean(chr(code))
    ]
    assert missed == []


@given(st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF)))
def test_clean_preserves_length_and_is_idempotent(text: str) -> None:
    for keep_lines in (False, True):
        shown = clean(text, keep_lines=keep_lines)
        assert len(shown) == len(text)
        assert is_clean(shown, keep_lines=keep_lines)
        assert clean(shown, keep_lines=keep_lines) == shown
        assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in shown if c != "\n")


def test_a_value_quoted_in_a_message_is_clipped_before_repr() -> None:
    """The one helper every message quotes a value with (loader, files, strict_yaml, checks)."""
    assert clipped_repr("short") == "'short'"
    huge = "\x1b" * 1_000_000  # repr of each is 4 characters: clipped first, 60 are kept
    assert clipped_repr(huge) == repr("\x1b" * (QUOTE_LIMIT - 1) + "…")
    assert clipped_repr("a" * 200, 80) == repr("a" * 79 + "…")
    assert clipped_repr(list(range(1_000))) == repr(list(range(1_000)))[: QUOTE_LIMIT - 1] + "…"
    assert clipped_repr(7) == "7"
