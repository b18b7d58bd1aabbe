"""The section registry: every section it lists is handled by every consumer, or a test fails.

For each registry entry a briefing is built with one item of that section, made from the
examples its model's fields carry (so a new section is tested with no change here), and each
consumer is asked about it: the description, the links and the timeline, the three exports, the
library index and its Items column, and the reader's outline and number keys. The last test
adds a section to a copy of the package, touching only the registry, the schema (its model)
and describe (its rows), and runs these same tests there.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from tui import export, sections, value_checks
from tui.describe import DESCRIBERS, describe
from tui.index import LibraryIndex, section_key
from tui.links import Links
from tui.loader import Loaded, load_briefing
from tui.schema import MODELS, SCHEMA_VERSION, Briefing, Date, Item, Party, walk_reported
from tui.sections import SECTIONS, Section

OTHERS = "Other parties are named in this paragraph."


def _example_item(section: Section) -> dict[str, Any]:
    """An item of the section from its model's field examples (the common fields aside)."""
    model = MODELS[section.key]
    data: dict[str, Any] = {"id": f"the-{section.key.replace('_', '-')}", "stated": "plainly"}
    for name, info in model.model_fields.items():
        if name not in Item.model_fields and info.examples:
            data[name] = info.examples[0]
    return data


def _party(party_id: str) -> dict[str, Any]:
    return {
        "id": party_id,
        "kind": "state",
        "name": party_id.title(),
        "stated": "plainly",
        "evidence": [{"paragraph": 3, "quote": OTHERS}],
    }


def _place(place_id: str) -> dict[str, Any]:
    return {
        "id": place_id,
        "name": place_id.title(),
        "country": "RU",
        "stated": "plainly",
        "evidence": [{"paragraph": 3, "quote": OTHERS}],
    }


def build(section: Section, folder: Path) -> tuple[Loaded, Item]:
    """briefings/x.yaml with one item of the section (and the parties it names), loaded."""
    data = _example_item(section)
    model = MODELS[section.key]
    draft = model.model_validate({**data, "evidence": [{"quote": "x"}]})
    # A reference to an item of another section (an event's part_of) has no item here.
    dropped = {
        str(sub[0]) for sub, _ref, wanted in draft.references() if wanted not in ("parties", "any")
    }
    if dropped:
        data = {k: v for k, v in data.items() if k not in dropped}
        draft = model.model_validate({**data, "evidence": [{"quote": "x"}]})
    # The item's quote holds every as-reported value, as the format requires.
    words = [text for _path, text in walk_reported(draft)] or ["The item is reported"]
    paragraph = "; ".join(words) + "."
    data["evidence"] = [{"paragraph": 2, "quote": paragraph}]
    wanted = {ref: w for _sub, ref, w in draft.references() if ref != draft.id}
    parties = [_party(p) for p in sorted(wanted) if wanted[p] != "places"]
    places = [_place(p) for p in sorted(wanted) if wanted[p] == "places"]
    if section.key == "parties":
        parties.insert(0, data)
    source = f"Registry test\n\n{paragraph}\n\n{OTHERS}\n"
    (folder / "seeds").mkdir(parents=True, exist_ok=True)
    (folder / "briefings").mkdir(exist_ok=True)
    (folder / "seeds" / "x.txt").write_text(source, encoding="utf-8")
    briefing: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "id": "registry-test",
        "title": "Registry test",
        "summary": "One item of one section.",
        "sources": [
            {
                "id": "src",
                "path": "../seeds/x.txt",
                "sha256": hashlib.sha256(source.encode()).hexdigest(),
                "title": "Registry source",
                "language": "en",
                "reliability": "C",
            }
        ],
        "parties": parties,
    }
    if places:
        briefing["places"] = places
    if section.key != "parties":
        briefing[section.key] = [data]
    path = folder / "briefings" / "x.yaml"
    path.write_text(yaml.safe_dump(briefing, sort_keys=False, allow_unicode=True), "utf-8")
    loaded = load_briefing(path)
    errors = [d for d in loaded.diagnostics if d.severity == "error"]
    assert not errors, errors
    return loaded, getattr(loaded.briefing, section.key)[0]


@pytest.fixture(params=SECTIONS, ids=lambda s: s.key)
def one(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Section, Loaded, Item]:
    # Each field's example is valid alone, but together they need not agree with each other
    # or with a publication date ("in August this year" with no basis): those checks are not
    # what is tested here.
    monkeypatch.setattr(value_checks, "check_values", lambda _briefing: [])
    section: Section = request.param
    loaded, item = build(section, tmp_path)
    return section, loaded, item


def _count(loaded: Loaded, section: Section) -> int:
    """Items in the section (the parties section holds the item and the parties it names)."""
    return len(getattr(loaded.briefing, section.key))


# --- the registry itself -----------------------------------------------------------------------


def test_the_registry_is_consistent() -> None:
    keys = [s.key for s in SECTIONS]
    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"[a-z][a-z_]*", k) for k in keys)
    shorts = [s.short for s in SECTIONS]
    assert len(set(shorts)) == len(shorts), "the library could not tell two sections apart"
    aliases = [a for s in SECTIONS for a in s.aliases]
    assert len(set(aliases)) == len(aliases) and not set(aliases) & set(keys)
    # The reader's number keys are single digits: the sections, then the timeline.
    assert sections.TIMELINE_NUMBER <= 9
    assert [sections.NUMBERS[k] for k in keys] == list(range(1, len(keys) + 1))
    for section in SECTIONS:
        assert section.stix_type in (
            "identity",
            "grouping",
            "note",
            "location",
            "relationship",
        ), section.key
        # A STIX identity is built from a party's fields: nothing else can be one.
        assert (section.stix_type == "identity") == (MODELS[section.key] is Party), section.key


def test_schema_models_and_briefing_fields_follow_the_registry() -> None:
    assert tuple(MODELS) == sections.SECTION_KEYS
    fields = [name for name in Briefing.model_fields if name in MODELS]
    assert tuple(fields) == sections.SECTION_KEYS
    for key, model in MODELS.items():
        assert model.section == key
        assert Briefing.model_fields[key].description == sections.BY_KEY[key].description


def test_the_bench_generator_writes_every_section() -> None:
    from tests.bench import generate

    assert set(generate.WRITTEN) == set(sections.SECTION_KEYS), (
        "teach tests/bench/generate.py the section"
    )


# --- every consumer, for every section ---------------------------------------------------------


def test_describe_shows_the_item_and_links_every_reference(
    one: tuple[Section, Loaded, Item],
) -> None:
    section, loaded, item = one
    assert type(item) in DESCRIBERS, f"describe has no rows for {section.key}"
    rows = describe(item, Links.build(loaded))
    targets = {row.target for row in rows}
    assert {ref for _sub, ref, _w in item.references()} <= targets
    assert any(row.evidence == 0 for row in rows)


def test_links_know_the_item_its_roles_and_its_date(one: tuple[Section, Loaded, Item]) -> None:
    section, loaded, item = one
    links = Links.build(loaded)
    assert links.section_of[item.id] == section.key
    for sub, ref, _wanted in item.references():
        assert str(sub[0]) in type(item).roles, f"{section.key}.{sub[0]} has no role name"
        assert (type(item).roles[str(sub[0])], item.id) in links.referenced_by[ref]
    dated = [
        getattr(item, n) for n in type(item).model_fields if isinstance(getattr(item, n), Date)
    ]
    if dated:  # a dated item that the timeline skipped would vanish from it
        assert item.when() in dated
        assert item.id in [row.item_id for row in links.timeline()]


def test_every_export_carries_the_item(one: tuple[Section, Loaded, Item]) -> None:
    section, loaded, item = one
    markdown = export.to_markdown(loaded)
    assert f"## {section.title} ({_count(loaded, section)})" in markdown
    assert f"### {export.md(export._clip(item.label, 100))}" in markdown
    data = json.loads(export.to_json(loaded))
    (dumped,) = [d for d in data["briefing"][section.key] if d["id"] == item.id]
    assert dumped["evidence"][0]["resolved"] is not None
    bundle = json.loads(export.to_stix(loaded))
    oid = export.stix_id(section.stix_type, loaded.briefing.id, item.id)
    (obj,) = [o for o in bundle["objects"] if o["id"] == oid]
    assert obj["type"] == section.stix_type
    report = bundle["objects"][0]
    assert oid in report["object_refs"]
    if section.stix_type != "identity":  # an identity is labelled by the party's kind
        # (a relationship adds its kind: ["relationship", "member-of"])
        assert obj["labels"][0] == section.stix_label


def test_the_index_and_the_library_count_and_find_the_item(
    one: tuple[Section, Loaded, Item],
) -> None:
    from tui.screens.library import Entry

    section, loaded, item = one
    folder = loaded.path.parent
    with LibraryIndex() as index:
        index.refresh(folder)
        (record,) = index.records(folder)
        assert record.valid and len(record.counts) == len(sections.SECTION_KEYS)
        count = _count(loaded, section)
        assert record.counts[sections.SECTION_KEYS.index(section.key)] == count
        cells = Entry(loaded.path, record).cells()
        assert f"{count}{section.short}" in cells[3].split()
        word = max(re.findall(r"[A-Za-z]{3,}", item.label) or [item.id], key=len)
        hits, problem = index.search(folder, f"section:{section.key} {word}")
        assert problem is None
        assert [(h.ref, h.section) for h in hits if h.kind == "item"] == [(item.id, section.key)]
    for word in (section.key, *section.aliases):
        assert section_key(word) == section.key


def test_the_outline_lists_and_numbers_the_section(one: tuple[Section, Loaded, Item]) -> None:
    from textual.binding import Binding

    from tui.screens.briefing import BriefingScreen
    from tui.widgets.outline import Outline

    section, loaded, item = one
    outline = Outline()
    outline.set_links(Links.build(loaded))
    heading = outline.section_rows[section.key]
    number = sections.NUMBERS[section.key]
    label = f"{number} {section.title} ({_count(loaded, section)})"
    assert str(outline.get_option_at_index(heading).prompt) == label
    assert outline.first_in(section.key) == outline.get_option_index(item.id)
    keys = {b.key for b in BriefingScreen.BINDINGS if isinstance(b, Binding)}
    assert str(number) in keys and str(sections.TIMELINE_NUMBER) in keys


# --- adding a section ----------------------------------------------------------------------------

SANCTION_SECTION = """    Section(
        key="sanctions",
        title="Sanctions",
        singular="Sanction",
        short="Sn",
        stix_type="grouping",
        stix_label="sanction",
        description="Sanctions a party imposes on others.",
        aliases=("sanction", "embargo"),
    ),
"""
SANCTION_MODEL = '''
class Sanction(Item):
    """A sanction one party imposes on others."""

    section: ClassVar[str] = "sanctions"
    roles: ClassVar[dict[str, str]] = {**Item.roles, "imposer": "imposer", "targets": "target"}
    title: ShortText = Field(description="A short title.", examples=["Export ban on drones"])
    imposer: Slug = Field(description="The id of the imposing party.", examples=["russia"])
    targets: list[Slug] = Field(
        min_length=1, description="The ids of the parties it targets.", examples=[["china"]]
    )
    date: Date | None = Field(
        None, description="When it was imposed.", examples=[{"reported": "in March 2014"}]
    )

    @property
    def label(self) -> str:
        return self.title

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        yield ("imposer",), self.imposer, "parties"
        for i, ref in enumerate(self.targets):
            yield ("targets", i), ref, "parties"

'''
SANCTION_ROWS = """

from .schema import Sanction  # noqa: E402


@describes(Sanction)
def _sanction(item: Sanction, links: Links) -> list[DetailRow]:
    rows = [DetailRow("Title", item.title)]
    rows.append(DetailRow("Imposed by", links.name(item.imposer), target=item.imposer))
    rows.extend(_party_rows("Targets", item.targets, links))
    if item.date:
        rows.append(DetailRow("Date", format_date(item.date)))
    return rows
"""


def _insert(path: Path, before: str, text: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert content.count(before) == 1, f"{path.name}: {before!r}"
    path.write_text(content.replace(before, text + before), encoding="utf-8")


def _copy_with_sanctions(tmp_path: Path, describe_it: bool) -> Path:
    """A copy of the package and of this test, a sanctions section added in three files."""
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "tui", copy / "tui", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "tests" / "bench").mkdir(parents=True)
    for name in ("__init__.py", "conftest.py", "test_registry.py"):
        shutil.copy(ROOT / "tests" / name, copy / "tests" / name)
    for name in ("__init__.py", "generate.py"):
        shutil.copy(ROOT / "tests" / "bench" / name, copy / "tests" / "bench" / name)
    _insert(copy / "tui" / "sections.py", ")\n\n# Derived views", SANCTION_SECTION)
    _insert(copy / "tui" / "schema.py", "\ndef _section_models(", SANCTION_MODEL)
    if describe_it:
        rows = copy / "tui" / "describe.py"
        rows.write_text(rows.read_text(encoding="utf-8") + SANCTION_ROWS, encoding="utf-8")
    return copy


def _run_registry_tests(copy: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
        + ["-p", "no:randomly", "-o", "addopts=", "tests/test_registry.py", "-k", "sanctions"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_section_added_to_the_registry_its_model_and_describe_works_everywhere(
    tmp_path: Path,
) -> None:
    done = _run_registry_tests(_copy_with_sanctions(tmp_path, describe_it=True))
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b5 passed\b", done.stdout), done.stdout  # every consumer, sanctions


def test_a_section_without_its_description_fails_here_and_still_shows_its_fields(
    tmp_path: Path,
) -> None:
    done = _run_registry_tests(_copy_with_sanctions(tmp_path, describe_it=False))
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"\b1 failed, 4 passed\b", done.stdout), done.stdout
    assert "describe has no rows for sanctions" in done.stdout
    # Meanwhile every consumer but that test (the exports use describe) still carried the
    # item: its fields are shown plainly rather than dropped.
