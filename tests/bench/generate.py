"""Synthetic briefings of any size, valid by construction and deterministic from a seed.

N items are spread over the sections (parties first, so every reference has a party to
point at); each item cites one or two sentences of a generated source of M paragraphs. Every
quote carries a unique tag (`Ref 17:`) so it occurs once in its paragraph and once in the
source, and every as-reported string (dates, quantities, money) is written inside the item's
first quote. The source's sha256 is computed from the bytes written.

    uv run python -m tests.bench.generate --items 10000 --paragraphs 5000 --seed 1 OUT_DIR

writes OUT_DIR/briefings/x.yaml and OUT_DIR/seeds/x.txt (the source path is ../seeds/x.txt).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tui.schema import SCHEMA_VERSION
from tui.sections import SECTION_KEYS

WRITTEN = (
    "parties",
    "agreements",
    "drills",
    "arms_sales",
    "events",
    "statements",
    "places",
    "relationships",
)
"""The sections this generator knows how to write (each has its block in `generate`)."""

_WORDS = (
    "officials ministry delegation forces cooperation region border command exercise naval "
    "strategic partners security summit defence staff talks programme logistics readiness "
    "coastal mountain units observers council envoy aviation garrison framework protocol "
    "assessment framework capability transfer maintenance doctrine patrol schedule timetable"
).split()
_FIRST = (
    "Northern Eastern Western Southern Central Pacific Arctic Coastal Joint United Allied "
    "Federal Royal National Strategic Maritime"
).split()
_SECOND = (
    "Fleet Command Ministry Council Group Directorate Agency Alliance Office Brigade Corps "
    "Bureau Forum Division Staff Service"
).split()
_COUNTRIES = ("RU", "CN", "IN", "KZ", "BY", "VN", "IR", "EG", "DZ", "TR")
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_EQUIPMENT = (
    ("troops", None),
    ("battle tanks", "T-72B3"),
    ("helicopters", "Mi-8 AMTSh"),
    ("fighter jets", "Su-35"),
    ("warships", "Type 052D"),
    ("air defence systems", "S-400"),
)


@dataclass
class Generated:
    """What was written: the two files and the number of items per section."""

    briefing: Path
    source: Path
    counts: dict[str, int]
    paragraphs: int
    title: str


@dataclass
class _Paragraphs:
    sentences: list[list[str]] = field(default_factory=list)

    def add(self, number: int, sentence: str) -> None:
        self.sentences[number - 1].append(sentence)


def section_counts(items: int) -> dict[str, int]:
    """Items per section: an even spread, the remainder to the first sections."""
    base, extra = divmod(items, len(SECTION_KEYS))
    return {key: base + (i < extra) for i, key in enumerate(SECTION_KEYS)}


def title_for(items: int, paragraphs: int) -> str:
    """The briefing's title: short, so an 80-column first frame shows all of it."""
    return f"Bench {items}x{paragraphs}"


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML; the text is ASCII)."""
    return json.dumps(text)


def _date(rng: random.Random) -> tuple[str, str]:
    """(value, reported words) of a day in 2010-2019."""
    year = rng.randint(2010, 2019)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    return f"{year}-{month:02d}-{day:02d}", f"on {day} {_MONTHS[month - 1]} {year}"


def _filler(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def generate(items: int, paragraphs: int, seed: int, out_dir: Path, name: str = "x") -> Generated:
    """Write out_dir/briefings/NAME.yaml and out_dir/seeds/NAME.txt; return what was made."""
    if items < 0 or paragraphs < 1:
        raise ValueError("items must be >= 0 and paragraphs >= 1")
    unwritten = [key for key in SECTION_KEYS if key not in WRITTEN]
    if unwritten:  # a registry section the generator cannot write would be silently empty
        raise ValueError(f"the generator does not write section(s) {', '.join(unwritten)}")
    rng = random.Random(seed)
    counts = section_counts(items)
    if items and counts["parties"] < 1:  # pragma: no cover - section_counts gives parties first
        raise ValueError("no parties to refer to")
    if counts["parties"] < 2:  # a relationship links two parties: too few, more parties
        counts["parties"] += counts["relationships"]
        counts["relationships"] = 0
    paras = _Paragraphs([[] for _ in range(paragraphs)])
    lines: list[str] = []
    out = lines.append
    serial = 0  # the unique tag of each quote

    def cite(body: str) -> tuple[int, str]:
        """Place a tagged sentence in the source; return (paragraph, quote)."""
        nonlocal serial
        serial += 1
        number = (serial - 1) % paragraphs + 1
        quote = f"Ref {serial}: {body}."
        paras.add(number, quote)
        return number, quote

    def evidence(first_body: str, extra: bool) -> None:
        out("    evidence:")
        anchors = [cite(first_body)]
        if extra:
            anchors.append(cite(_filler(rng, rng.randint(4, 9))[:-1]))
        for number, quote in anchors:
            out(f"      - paragraph: {number}")
            out(f"        quote: {_q(quote)}")

    party_ids: list[str] = []
    party_names: list[str] = []
    for i in range(counts["parties"]):
        party_ids.append(f"party-{i + 1}")
        party_names.append(f"{rng.choice(_FIRST)} {rng.choice(_SECOND)} {i + 1}")

    def party() -> str:
        return rng.choice(party_ids)

    # Places are written after the statements (registry order), but drills and events name
    # them: their ids are known from the start.
    place_ids = [f"place-{i + 1}" for i in range(counts["places"])]

    def parties(k: int) -> list[str]:
        return rng.sample(party_ids, min(k, len(party_ids)))

    def flow(ids: list[str]) -> str:
        return "[" + ", ".join(ids) + "]"

    title = title_for(items, paragraphs)
    out(f"schema: {SCHEMA_VERSION}")  # places and relationships are new in format 2
    out(f"id: bench-{items}-{paragraphs}-{seed}")
    out(f"title: {_q(title)}")
    out(f"summary: {_q(f'A synthetic briefing of {items} items over {paragraphs} paragraphs.')}")
    out("sources:")
    out("  - id: src")
    out(f"    path: ../seeds/{name}.txt")
    sha_line = len(lines)
    out("    sha256: PLACEHOLDER")
    out(f"    title: {_q(f'Synthetic source, seed {seed}')}")
    out("    outlet: Bench Wire")
    out("    language: en")
    out("    reliability: C")

    # Parties.
    if counts["parties"]:
        out("parties:")
    for i, pid in enumerate(party_ids):
        name_ = party_names[i]
        out(f"  - id: {pid}")
        out(f"    kind: {rng.choice(['state', 'organisation', 'military', 'person', 'group'])}")
        out(f"    name: {_q(name_)}")
        out(f"    country: {rng.choice(_COUNTRIES)}")
        if i > 0 and i % 5 == 1:  # points at a lower index: never a cycle, never itself
            out(f"    affiliation: {party_ids[i // 2]}")
        out(f"    stated: {rng.choice(['plainly', 'unclearly', 'implied'])}")
        evidence(f"officials of the {name_} took part", i % 3 == 0)

    # Agreements.
    agreement_ids: list[str] = []
    if counts["agreements"]:
        out("agreements:")
    for i in range(counts["agreements"]):
        aid = f"agreement-{i + 1}"
        agreement_ids.append(aid)
        value, reported = _date(rng)
        topic = rng.choice(_WORDS)
        out(f"  - id: {aid}")
        out(f"    title: {_q(f'Agreement on {topic} {i + 1}')}")
        out(f"    parties: {flow(parties(2))}")
        out(f"    status: {rng.choice(['proposed', 'agreed', 'signed', 'in_force'])}")
        out("    date:")
        out(f"      reported: {_q(reported)}")
        out(f"      value: {_q(value)}")
        out(f"    terms: {_q(_filler(rng, 8))}")
        out(f"    stated: {rng.choice(['plainly', 'unclearly', 'implied'])}")
        evidence(f"the sides agreed {reported} on {topic} matters", i % 3 == 1)

    # Drills.
    if counts["drills"]:
        out("drills:")
    for i in range(counts["drills"]):
        value, reported = _date(rng)
        who = parties(2)
        equipment, designation = rng.choice(_EQUIPMENT)
        number = rng.randint(2, 2000)
        qty_reported = f"about {number} {equipment}"
        out(f"  - id: drill-{i + 1}")
        out(f"    name: {_q(f'Joint Sea {i + 1}')}")
        out(f"    location: {_q(f'{rng.choice(_FIRST)} range')}")
        if place_ids:
            out(f"    place: {rng.choice(place_ids)}")
        out("    date:")
        out(f"      reported: {_q(reported)}")
        out(f"      value: {_q(value)}")
        out(f"    participants: {flow(who)}")
        out("    contributions:")
        out(f"      - party: {who[0]}")
        out(f"        equipment: {_q(equipment)}")
        if designation:
            out(f"        designation: {_q(designation)}")
        out("        quantity:")
        out(f"          value: {number}")
        out("          qualifier: about")
        out(f"          unit: {_q(equipment)}")
        out(f"          reported: {_q(qty_reported)}")
        out(f"    stated: {rng.choice(['plainly', 'unclearly', 'implied'])}")
        evidence(f"{qty_reported} joined the drill {reported}", i % 3 == 2)

    # Arms sales.
    if counts["arms_sales"]:
        out("arms_sales:")
    for i in range(counts["arms_sales"]):
        supplier, recipient = (parties(2) + party_ids)[:2]
        equipment, designation = rng.choice(_EQUIPMENT[1:])
        number = rng.randint(2, 200)
        billions = rng.randint(1, 90)
        money = f"${billions / 10:.1f} billion"
        qty_reported = f"{number} {equipment}"
        out(f"  - id: sale-{i + 1}")
        out(f"    title: {_q(f'{designation} sale {i + 1}')}")
        out(f"    supplier: {supplier}")
        out(f"    recipient: {recipient}")
        out("    items:")
        out(f"      - equipment: {_q(equipment)}")
        out(f"        designation: {_q(designation)}")
        out("        quantity:")
        out(f"          value: {number}")
        out(f"          unit: {_q(equipment)}")
        out(f"          reported: {_q(qty_reported)}")
        out("    value:")
        out(f"      value: {billions * 100_000_000}")
        out("      currency: USD")
        out(f"      reported: {_q(money)}")
        out(f"    status: {rng.choice(['proposed', 'negotiating', 'contracted', 'delivered'])}")
        out(f"    stated: {rng.choice(['plainly', 'unclearly', 'implied'])}")
        evidence(f"a deal for {qty_reported} worth {money} was reported", i % 3 == 0)

    # Events.
    if counts["events"]:
        out("events:")
    for i in range(counts["events"]):
        value, reported = _date(rng)
        kind = rng.choice(["meeting", "summit", "visit", "talks", "ceremony"])
        out(f"  - id: event-{i + 1}")
        out(f"    kind: {kind}")
        out(f"    title: {_q(f'{kind.title()} {i + 1} in {rng.choice(_FIRST)} City')}")
        out("    date:")
        out(f"      reported: {_q(reported)}")
        out(f"      value: {_q(value)}")
        out(f"    participants: {flow(parties(2))}")
        if place_ids and i % 2 == 0:
            out(f"    place: {flow(rng.sample(place_ids, min(2, len(place_ids))))}")
        out(f"    status: {rng.choice(['held', 'planned'])}")
        out(f"    stated: {rng.choice(['plainly', 'unclearly', 'implied'])}")
        evidence(f"a {kind} was held {reported}", i % 3 == 1)

    # Statements.
    if counts["statements"]:
        out("statements:")
    for i in range(counts["statements"]):
        said = _filler(rng, rng.randint(6, 14))[:-1]
        out(f"  - id: statement-{i + 1}")
        out(f"    speaker: {party()}")
        out(f"    text: {_q(said)}")
        out(f"    mode: {rng.choice(['direct', 'paraphrase'])}")
        if agreement_ids:
            out(f"    about: [{rng.choice(agreement_ids)}]")
        out(f"    attributed_to: {party()}")
        out(f"    stated: {rng.choice(['plainly', 'unclearly', 'implied'])}")
        evidence(said, i % 3 == 2)

    # Places.
    if place_ids:
        out("places:")
    for i, lid in enumerate(place_ids):
        name_ = f"{rng.choice(_FIRST)} Harbour {i + 1}"
        out(f"  - id: {lid}")
        out(f"    name: {_q(name_)}")
        out("    aliases:")
        out(f"      - name: {_q(f'Gavan {i + 1}')}")
        out("        language: ru-Latn")
        out(f"    kind: {rng.choice(['city', 'port', 'base', 'region'])}")
        out(f"    country: {rng.choice(_COUNTRIES)}")
        if i % 2 == 0:
            out("    coordinates:")
            out(f"      latitude: {rng.uniform(-60, 70):.3f}")
            out(f"      longitude: {rng.uniform(-180, 180):.3f}")
            out(f"      precision: {rng.choice(['city', 'exact', 'region'])}")
        out(f"    stated: {rng.choice(['plainly', 'unclearly', 'implied'])}")
        evidence(f"the forces gathered at {name_}", i % 3 == 0)

    # Relationships.
    if counts["relationships"]:
        out("relationships:")
    for i in range(counts["relationships"]):
        one, other = parties(2)
        kind = rng.choice(["member_of", "allied_with", "counterpart_of", "supplies", "commands"])
        year = rng.randint(1990, 2019)
        out(f"  - id: relationship-{i + 1}")
        out(f"    party: {one}")
        out(f"    kind: {kind}")
        out(f"    other: {other}")
        out("    start:")
        out(f"      reported: {_q(f'since {year}')}")
        out(f'      value: "{year}"')
        out(f"    stated: {rng.choice(['plainly', 'unclearly', 'implied'])}")
        evidence(f"ties {kind.replace('_', ' ')} the other side since {year}", i % 3 == 1)

    blocks = [
        " ".join(sentences) if sentences else _filler(rng, rng.randint(8, 30))
        for sentences in paras.sentences
    ]
    source_bytes = ("\n\n".join(blocks) + "\n").encode("utf-8")
    lines[sha_line] = f"    sha256: {hashlib.sha256(source_bytes).hexdigest()}"

    briefing = out_dir / "briefings" / f"{name}.yaml"
    source = out_dir / "seeds" / f"{name}.txt"
    briefing.parent.mkdir(parents=True, exist_ok=True)
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(source_bytes)
    briefing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Generated(briefing, source, counts, paragraphs, title)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.generate",
        description="Write a synthetic briefing and its source: DIR/briefings/NAME.yaml and "
        "DIR/seeds/NAME.txt.",
    )
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--paragraphs", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--name", default="x", help="file name stem (default: x)")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    args = parser.parse_args(argv)
    made = generate(args.items, args.paragraphs, args.seed, args.out_dir, args.name)
    print(
        f"{made.briefing} ({sum(made.counts.values())} items: "
        + ", ".join(f"{k} {v}" for k, v in made.counts.items())
        + f"); {made.source} ({made.paragraphs} paragraphs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
