"""Wrapping by offsets: every line fits its width in cells, and the lines rejoin to the text."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.widgets.wrap import wrap_breaks

TEXT = st.text(st.sampled_from(list("ab xyz  中文字漢😀é\u0301-")), max_size=80)


def lines(text: str, width: int) -> list[str]:
    bounds = [0, *wrap_breaks(text, width), len(text)]
    return [text[a:b] for a, b in pairwise(bounds)]


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(min_value=2, max_value=30))
def test_wrapped_lines_fit_and_rejoin(text: str, width: int) -> None:
    wrapped = lines(text, width)
    assert "".join(wrapped) == text
    for line in wrapped:
        assert cell_len(line.rstrip()) <= width, (line, width)


def test_wide_characters_wrap_by_cells_not_by_length() -> None:
    text = "中文字中文字中文字"  # 9 characters, 18 cells
    assert wrap_breaks(text, 6) == [3, 6]
    assert wrap_breaks("ab cd ef", 5) == [6]
