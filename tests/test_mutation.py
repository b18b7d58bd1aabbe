"""Mutation test: validation catches harmful single changes and accepts neutral ones.

A sample here, to stay fast; `uv run python -m tests.mutate` runs every mutant and prints
the figures.
"""

from __future__ import annotations

import random
from pathlib import Path

from tests.bench.generate import generate
from tests.mutate import (
    ROOT,
    Base,
    Mutant,
    _load_hostile,
    errors,
    format_2_examples,
    harmful,
    load,
    measure,
    neutral,
)

SAMPLE = 60


def sampled(mutants: list[Mutant]) -> list[Mutant]:
    return random.Random(1).sample(mutants, min(SAMPLE, len(mutants)))


def bases(tmp_path: Path) -> list[Base]:
    found = [load(p) for p in sorted((ROOT / "briefings").glob("*.yaml"))]
    found += [_load_hostile(p) for p in sorted((ROOT / "tests" / "hostile").glob("valid-*.yaml"))]
    found += [load(p) for p in format_2_examples()]
    found.append(load(generate(24, 8, 3, tmp_path).briefing))
    return found


def test_harmful_changes_are_caught_and_neutral_ones_pass(tmp_path: Path) -> None:
    harmful_count = caught = neutral_count = false_alarms = 0
    missed: list[str] = []
    for base in bases(tmp_path):
        for figures in measure(base, sampled, missed).values():
            harmful_count += figures.harmful
            caught += figures.caught
            neutral_count += figures.neutral
            false_alarms += figures.false_alarms
    assert harmful_count >= 100 and neutral_count >= 50  # the sample is a real one
    assert caught >= 0.95 * harmful_count, missed
    assert false_alarms == 0, missed


def test_the_bundled_briefing_yields_every_kind_of_mutant() -> None:
    base = load(next((ROOT / "briefings").glob("*.yaml")))
    kinds = {kind for kind, _what, _data in harmful(base.data)}
    assert kinds >= {
        "quantity digits/scale",
        "quantity qualifier",
        "money amount/scale",
        "money currency",
        "money qualifier",
        "date",
        "direct quote words",
        "as-reported field",
    }
    assert {kind for kind, _w, _d in neutral(base.data)} == {"notes", "id renamed", "ordering"}


def test_a_mutant_is_a_copy() -> None:
    base = load(next((ROOT / "briefings").glob("*.yaml")))
    for _kind, _what, _data in harmful(base.data):
        pass
    assert errors(base.data) == []


def test_the_naval_briefing_yields_format_2_mutants_and_each_is_caught() -> None:
    base = load(ROOT / "tests" / "data" / "format2" / "naval" / "iron-tide.yaml")
    mutants = list(harmful(base.data))
    kinds = {kind for kind, _what, _data in mutants}
    assert kinds >= {
        "credibility",
        "claim words",
        "assessment verdict",
        "duration",
        "money qualifier",  # a claim's amount
        "quantity digits/scale",  # totals, claims' counts
        "date",  # the order, the report, the confirmation, deliveries' years, claims' dates
    }
    whats = " ".join(what for _kind, what, _data in mutants)
    assert "'claims', 1, 'count'" in whats and "'deliveries', 0, 'date'" in whats
    assert "'totals', 0, 'quantity'" in whats and "'claims', 0, 'amount'" in whats
    missed = [what for _kind, what, data in mutants if not errors(data)]
    assert missed == []


def test_a_mutant_always_changes_something() -> None:
    # "five ships" has no digit to bump: such a "mutant" was the base itself, counted missed.
    for path in format_2_examples():
        base = load(path)
        assert all(data != base.data for _kind, _what, data in harmful(base.data)), path.name
