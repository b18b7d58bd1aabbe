"""Diagnostics as the library index keeps them (tui/index/rows.py), read back without a screen."""

from __future__ import annotations

import json

from tui.index.rows import as_diagnostics, invalid_reason, store_diagnostics, stored_diagnostics
from tui.loader import Diagnostic

WRITTEN = [
    Diagnostic("b.yaml", 1, 1, "warning", "drift report: the source changed"),
    Diagnostic("b.yaml", 7, 3, "error", "quote   not\nfound"),
    Diagnostic("b.yaml", 9, 5, "error", "unknown party"),
]


def test_what_is_stored_comes_back_as_written() -> None:
    stored = stored_diagnostics(store_diagnostics(WRITTEN))
    assert stored[1] == (7, 3, "error", "quote   not\nfound", "b.yaml")
    assert as_diagnostics(stored) == WRITTEN


def test_a_tampered_list_keeps_only_what_is_as_written() -> None:
    entries = [
        [1, 2, "error", "kept", "f"],
        [1, 2, "fatal", "an unknown severity reads as an error", "f"],
        [1, 2, "warning", "short"],
        ["1", 2, "error", "a line that is text", "f"],
        [True, 2, "error", "a line that is a boolean", "f"],
        [1, 2, "error", {"not": "text"}, "f"],
        7,
        "text",
    ]
    stored = stored_diagnostics(json.dumps(entries))
    assert [s[3] for s in stored] == ["kept", "an unknown severity reads as an error"]
    assert {s[2] for s in stored} == {"error"}
    for broken in ("", "not json", "{}", "7", "[" * 100_000):
        assert stored_diagnostics(broken) == []


def test_the_librarys_reason_is_the_first_error_not_the_first_warning() -> None:
    stored = stored_diagnostics(store_diagnostics(WRITTEN))
    assert invalid_reason(stored) == "quote not found (2 errors, line 7)"
    assert invalid_reason(stored[:1]) == "drift report: the source changed (invalid, line 1)"
    assert invalid_reason([]) == ""
