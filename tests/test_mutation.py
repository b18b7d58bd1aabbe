"""Mutation test: validation catches harmful single changes and accepts neutral ones.

A sample here, to stay fast; `uv run python -m tests.mutate` runs every mutant and prints
the figures.
"""

from __future__ import annotations

import random
from pathlib import Path

from tests.bench.generate import generate
from tests.mutate import ROOT, Base, Mutant, _load_hostile, errors, harmful, load, measure, neutral

SAMPLE = 60


def sampled(mutants: list[Mutant]) -> list[Mutant]:
    return random.Random(1).sample(mutants, min(SAMPLE, len(mutants)))


def bases(tmp_path: Path) -> list[Base]:
    found = [load(p) for p in sorted((ROOT / "briefings").glob("*.yaml"))]
    found += [_load_hostile(p) for p in sorted((ROOT / "tests" / "hostile").glob("valid-*.yaml"))]
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
