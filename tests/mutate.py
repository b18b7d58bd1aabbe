"""Single-change mutants of a valid briefing, and how many of them validation catches.

Harmful mutants change what a value says (digits, scale, currency, qualifier, date, a direct
quote's words, an as-reported field); validation must reject at least 95% of them. Neutral
mutants change nothing a reader relies on (notes, ids with every reference, ordering);
validation must accept every one. Mutants are made on the parsed data and checked in-process
(the same checks parse_briefing runs, anchors aside: no mutant touches a quote).

    uv run python -m tests.mutate            # the figures, on every base briefing
"""

from __future__ import annotations

import copy
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tui import strict_yaml
from tui.loader import parse_briefing
from tui.schema import MODELS, Briefing, Problem, check_references
from tui.sections import SECTION_KEYS
from tui.value_checks import check_values

ROOT = Path(__file__).resolve().parent.parent
Data = dict[str, Any]
Mutant = tuple[str, str, Data]
"""(kind, what was changed, the mutated data)."""

SECTIONS = SECTION_KEYS
QUALIFIERS = ("exact", "more_than", "at_least", "about", "at_most", "less_than")
CURRENCIES = ("USD", "EUR", "GBP", "RUB", "CNY", "JPY")


@dataclass
class Base:
    name: str
    data: Data


def load(path: Path) -> Base:
    """A base briefing: it must be valid as it stands."""
    parse_briefing(path.read_bytes(), path.resolve())
    data, _positions = strict_yaml.load(path.read_text(encoding="utf-8-sig"))
    return Base(path.name, data)


def errors(data: Data) -> list[str]:
    """The errors validation finds in mutated data (the checks parse_briefing runs)."""
    try:
        briefing = Briefing.model_validate(data)
    except ValidationError as error:
        return [str(error)]
    problems: list[Problem] = check_references(briefing)
    problems.extend(check_values(briefing))
    return [p.message for p in problems if p.severity == "error"]


# --- where the values are ---------------------------------------------------------------------


def _walk(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("evidence", "inferred"):
                yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, path + (i,))


def _at(data: Data, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _targets(data: Data, kind: str) -> list[tuple[Any, ...]]:
    """Paths of the quantities, sums or dates (with reported words and a value) of items."""
    found = []
    for path, node in _walk({k: data.get(k) for k in SECTIONS if data.get(k)}):
        if not (isinstance(node, dict) and node.get("reported") and path):
            continue
        if node.get("value") is None:
            continue
        if (
            # A count: an item's quantity, a drill's totals, a delivery's number delivered,
            # a claim's count (format 2).
            (kind == "quantity" and path[-1] in ("quantity", "count"))
            # A sum: a sale's value, a claim's amount.
            or (kind == "money" and path[-1] in ("value", "amount") and "currency" in node)
            or (kind == "duration" and path[-1] == "duration")
            or (
                kind == "date"
                and isinstance(node.get("value"), str)
                # A claim's value in words ("purely defensive") is no date.
                and re.match(r"\d{4}(-\d\d){0,2}$", node["value"]) is not None
            )
        ):
            found.append(path)
    return found


def _number_variants(value: int | float) -> Iterator[tuple[str, int | float]]:
    digits = str(value)
    swapped = digits[::-1].lstrip("0") or "0"
    if swapped != digits and "." not in digits:
        yield "digits reversed", int(swapped)
    if len(digits) >= 2 and "." not in digits and digits[0] != digits[1]:
        yield "two digits swapped", int(digits[1] + digits[0] + digits[2:])
    yield "plus one", value + 1
    yield "minus one", value - 1 if value >= 1 else value + 2
    yield "times ten", value * 10
    yield "a thousand times (scale word)", value * 1000
    if value >= 1000 and value % 1000 == 0:
        yield "a thousandth (scale word)", value // 1000


def _date_variants(value: str, end: str | None) -> Iterator[tuple[str, Data]]:
    parts = value.split("-")
    year = int(parts[0])
    yield "year plus one", {"value": "-".join([str(year + 1), *parts[1:]])}
    yield "year minus one", {"value": "-".join([str(year - 1), *parts[1:]])}
    if len(parts) >= 2:
        month = int(parts[1])
        other = month % 12 + 1
        yield "month changed", {"value": "-".join([parts[0], f"{other:02d}", *parts[2:]])}
        yield "precision coarsened to the year", {"value": parts[0], "end": None}
    if len(parts) == 3:
        day = int(parts[2])
        yield "day changed", {"value": f"{parts[0]}-{parts[1]}-{day % 28 + 1:02d}"}
        yield "precision coarsened to the month", {"value": f"{parts[0]}-{parts[1]}", "end": None}
        if end is None:
            yield "a span added", {"end": f"{parts[0]}-{parts[1]}-{min(day + 2, 28):02d}"}
    if end is not None:
        yield "span end moved", {"end": f"{int(end[:4]) + 1}{end[4:]}"}
        yield "span dropped", {"end": None}


def harmful(data: Data) -> Iterator[Mutant]:
    """Every single harmful change of the kinds the checks are for."""
    for path in _targets(data, "quantity"):
        node = _at(data, path)
        for what, number in _number_variants(node["value"]):
            yield "quantity digits/scale", f"{path}: {what}", _set(data, path, value=number)
        for qualifier in QUALIFIERS:
            if qualifier != node.get("qualifier", "exact"):
                yield (
                    "quantity qualifier",
                    f"{path}: {qualifier}",
                    _set(data, path, qualifier=qualifier),
                )
        yield (
            "quantity dropped",
            f"{path}: value null",
            _set(data, path, value=None, qualifier="unknown"),
        )
        if _bump_digit(node["reported"]) != node["reported"]:  # "five ships" has no digit
            yield (
                "reported words",
                f"{path}: digits in words",
                _set(data, path, reported=_bump_digit(node["reported"])),
            )
    for path in _targets(data, "money"):
        node = _at(data, path)
        for what, number in _number_variants(node["value"]):
            yield "money amount/scale", f"{path}: {what}", _set(data, path, value=number)
        for code in CURRENCIES:
            if code != node.get("currency"):
                yield "money currency", f"{path}: {code}", _set(data, path, currency=code)
        for qualifier in QUALIFIERS:
            if qualifier != node.get("qualifier", "exact"):
                yield (
                    "money qualifier",
                    f"{path}: {qualifier}",
                    _set(data, path, qualifier=qualifier),
                )
    for path in _targets(data, "duration"):
        node = _at(data, path)
        for what, number in _number_variants(node["value"]):
            if number > 0:
                yield "duration", f"{path}: {what}", _set(data, path, value=number)
        for unit in ("day", "week", "month", "year"):
            if unit != node.get("unit"):
                yield "duration", f"{path}: unit {unit}", _set(data, path, unit=unit)
    yield from _format_2(data)
    for path in _targets(data, "date"):
        node = _at(data, path)
        for what, change in _date_variants(node["value"], node.get("end")):
            mutated = _set(data, path, **change)
            target = _at(mutated, path)
            for key in [k for k, v in target.items() if v is None and k == "end"]:
                del target[key]
            yield "date", f"{path}: {what}", mutated
    for section in ("statements",):
        for i, item in enumerate(data.get(section) or []):
            if item.get("mode") != "direct":
                continue
            words = item["text"].split()
            middle = len(words) // 2
            yield (
                "direct quote words",
                f"{i}: word replaced",
                _set(
                    data,
                    (section, i),
                    text=" ".join(words[:middle] + ["certain"] + words[middle + 1 :]),
                ),
            )
            yield (
                "direct quote words",
                f"{i}: 'not' inserted",
                _set(data, (section, i), text=" ".join(words[:middle] + ["not"] + words[middle:])),
            )
            yield (
                "direct quote words",
                f"{i}: middle word dropped",
                _set(data, (section, i), text=" ".join(words[:middle] + words[middle + 1 :])),
            )
            if middle >= 1:
                swapped = words[:]
                swapped[middle - 1], swapped[middle] = swapped[middle], swapped[middle - 1]
                if swapped != words:
                    yield (
                        "direct quote words",
                        f"{i}: two words swapped",
                        _set(data, (section, i), text=" ".join(swapped)),
                    )
    for i, item in enumerate(data.get("arms_sales") or []):
        if item.get("recipient_reported"):
            yield (
                "as-reported field",
                f"{i}: recipient_reported",
                _set(data, ("arms_sales", i), recipient_reported="Atlantis"),
            )


def _format_2(data: Data) -> Iterator[Mutant]:
    """Format 2's values that are not counts, sums or dates: credibility off the Admiralty
    scale, a claim's words in text that its quotes do not hold, and a verdict the claims'
    values contradict (agreed or corroborated over different values, conflict over one)."""
    for section in SECTIONS:
        for i, item in enumerate(data.get(section) or []):
            if item.get("credibility") is not None:
                for grade in (0, 7, "high"):
                    yield (
                        "credibility",
                        f"{section}[{i}]: {grade!r}",
                        _set(data, (section, i), credibility=grade),
                    )
            claims = item.get("claims") or []
            for k, claim in enumerate(claims):
                if claim.get("reported") and claim.get("value") is not None:
                    yield (
                        "claim words",
                        f"{section}[{i}].claims[{k}]: reported",
                        _set(data, (section, i, "claims", k), reported=f"not {claim['reported']}"),
                    )
            for k, assessment in enumerate(item.get("assessments") or []):
                shown = {_claimed(c) for c in claims if c.get("field") == assessment.get("field")}
                wrong = ("agreed", "corroborated") if len(shown) > 1 else ("conflict",)
                for verdict in wrong:
                    if verdict != assessment.get("verdict"):
                        yield (
                            "assessment verdict",
                            f"{section}[{i}].assessments[{k}]: {verdict}",
                            _set(data, (section, i, "assessments", k), verdict=verdict),
                        )


def _claimed(claim: Data) -> tuple[Any, ...]:
    """What two claims share when they give one value, their words aside (Claim.shown)."""
    for key, parts in (
        ("count", ("value", "qualifier")),
        ("amount", ("value", "currency", "qualifier")),
        ("date", ("value", "end")),
    ):
        if isinstance(claim.get(key), dict):
            node = claim[key]
            return (key, *(node.get(p, "exact" if p == "qualifier" else None) for p in parts))
    return ("value", " ".join(str(claim.get("value", "")).casefold().split()))


def _bump_digit(words: str) -> str:
    return re.sub(r"\d", lambda m: str((int(m.group(0)) + 1) % 10), words, count=1)


def _set(data: Data, path: tuple[Any, ...], **changes: Any) -> Data:
    mutated = copy.deepcopy(data)
    _at(mutated, path).update(changes)
    return mutated


def neutral(data: Data) -> Iterator[Mutant]:
    """Changes that must never make a valid briefing invalid."""
    for section in SECTIONS:
        items = data.get(section) or []
        for i, item in enumerate(items):
            mutated = copy.deepcopy(data)
            mutated[section][i]["notes"] = "An analyst's note: 13 tanks, $7.7 billion, not 2014."
            yield "notes", f"{section}[{i}] notes", mutated
            yield "id renamed", f"{section}[{i}] {item['id']}", _renamed(data, item["id"])
        if len(items) > 1:
            mutated = copy.deepcopy(data)
            mutated[section].reverse()
            yield "ordering", f"{section} reversed", mutated
        for i, item in enumerate(items):
            for key in (
                "contributions",
                "items",
                "participants",
                "aliases",
                "evidence",
                "totals",
                "claims",
                "withheld",
                "translations",
            ):
                if isinstance(item.get(key), list) and len(item[key]) > 1:
                    mutated = copy.deepcopy(data)
                    mutated[section][i][key].reverse()
                    yield "ordering", f"{section}[{i}].{key} reversed", mutated


def _renamed(data: Data, old: str) -> Data:
    """The id renamed, and every reference to it as its item's model names them (so the
    reference fields of a section added later are renamed too)."""
    new = f"renamed-{old}"[:100]
    mutated = copy.deepcopy(data)
    for section in SECTIONS:
        for item in mutated.get(section) or []:
            model = MODELS[section].model_validate(item)
            found = [sub for sub, ref, _wanted in model.references() if ref == old]
            if item["id"] == old:
                item["id"] = new
            for sub in found:
                node = item
                for part in sub[:-1]:
                    node = node[part]
                node[sub[-1]] = new
    return mutated


# --- bases and figures -----------------------------------------------------------------------


def bases(workdir: Path) -> list[Base]:
    """The bundled briefing, the valid hostile briefings, and a small generated one."""
    from tests.bench.generate import generate

    found = [load(p) for p in sorted((ROOT / "briefings").glob("*.yaml"))]
    found += [_load_hostile(p) for p in sorted((ROOT / "tests" / "hostile").glob("valid-*.yaml"))]
    found += [load(p) for p in format_2_examples()]
    generated = generate(36, 12, 7, workdir / "gen")
    found.append(load(generated.briefing))
    return found


def format_2_examples() -> list[Path]:
    """The worked examples of format 2: claims, totals, deliveries, durations, credibility."""
    folder = ROOT / "tests" / "data" / "format2"
    return sorted([*folder.glob("*.yaml"), *(folder / "naval").glob("*.yaml")])


def _load_hostile(path: Path) -> Base:
    """A hostile valid briefing, parsed as data (its sources are made by its own tests)."""
    data, _positions = strict_yaml.load(path.read_bytes().decode("utf-8-sig"))
    return Base(path.name, data)


@dataclass
class Figures:
    harmful: int = 0
    caught: int = 0
    neutral: int = 0
    false_alarms: int = 0

    def add(self, other: Figures) -> None:
        self.harmful += other.harmful
        self.caught += other.caught
        self.neutral += other.neutral
        self.false_alarms += other.false_alarms


def measure(
    base: Base,
    sample: Callable[[list[Mutant]], list[Mutant]] = lambda m: m,
    missed: list[str] | None = None,
) -> dict[str, Figures]:
    """Figures by kind of change for one base: how many mutants, how many caught."""
    assert errors(base.data) == [], f"{base.name} is not valid as a base"
    by_kind: dict[str, Figures] = {}
    for kind, what, mutated in sample(list(harmful(base.data))):
        figures = by_kind.setdefault(kind, Figures())
        figures.harmful += 1
        if errors(mutated):
            figures.caught += 1
        elif missed is not None:
            missed.append(f"{base.name}: {kind}: {what}")
    for kind, what, mutated in sample(list(neutral(base.data))):
        figures = by_kind.setdefault(kind, Figures())
        figures.neutral += 1
        found = errors(mutated)
        if found:
            figures.false_alarms += 1
            if missed is not None:
                missed.append(f"{base.name}: false alarm on {kind}: {what}: {found[0][:120]}")
    return by_kind


def main() -> int:
    total = Figures()
    missed: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for base in bases(Path(folder)):
            by_kind = measure(base, missed=missed)
            for kind, figures in sorted(by_kind.items()):
                total.add(figures)
                if figures.harmful:
                    print(f"{base.name}: {kind}: caught {figures.caught}/{figures.harmful}")
                if figures.neutral:
                    print(
                        f"{base.name}: {kind} (neutral): "
                        f"{figures.false_alarms}/{figures.neutral} rejected"
                    )
    rate = total.caught / total.harmful if total.harmful else 1.0
    print(
        f"\nharmful: {total.caught}/{total.harmful} caught ({rate:.1%}); "
        f"neutral: {total.false_alarms}/{total.neutral} rejected"
    )
    for line in missed:
        print("  missed:", line)
    return 0 if rate >= 0.95 and total.false_alarms == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
