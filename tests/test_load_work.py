"""What the faster load and index paths must keep: the same strings, the same fields set, the
same rows. Each fast path is checked against the plain one it replaced, on real briefings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pydantic import BaseModel

from tui.index import LibraryIndex
from tui.index.rows import read_rows
from tui.loader import load_briefing, parse_briefing
from tui.schema import Briefing, item_strings

from .conftest import ROOT, SEED_BRIEFING, MakeProject

BRIEFINGS = [SEED_BRIEFING, *sorted((ROOT / "tests" / "data" / "format2").glob("*.yaml"))]


def _plain_strings(item: BaseModel) -> list[str]:
    """item_strings as it was written first: one getattr a field, isinstance for each value."""
    parts: list[str] = [item.label]  # type: ignore[attr-defined]  # every item has a label
    stack: list[object] = [
        getattr(item, name) for name in type(item).model_fields if name != "evidence"
    ]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, BaseModel):
            stack.extend(getattr(value, name) for name in type(value).model_fields)
        elif isinstance(value, list | tuple):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
    return parts


def _models(value: object) -> list[BaseModel]:
    found: list[BaseModel] = []
    stack = [value]
    while stack:
        each = stack.pop()
        if isinstance(each, BaseModel):
            found.append(each)
            stack.extend(getattr(each, name) for name in type(each).model_fields)
        elif isinstance(each, list | tuple):
            stack.extend(each)
        elif isinstance(each, dict):
            stack.extend(each.values())
    return found


@pytest.mark.parametrize("path", BRIEFINGS, ids=lambda p: p.name)
def test_item_strings_are_the_plain_walks(path: Path) -> None:
    briefing = load_briefing(path).briefing
    items = [item for _loc, item in briefing.items()]
    assert items
    for item in items:
        assert item_strings(item) == _plain_strings(item)


def test_models_share_their_fields_sets_and_keep_what_was_given() -> None:
    """Pydantic's per-instance set of given fields is shared between models given the same
    fields (a third of a big briefing's memory), yet still says what each was given."""
    raw = SEED_BRIEFING.read_bytes()
    briefing = parse_briefing(raw, SEED_BRIEFING).briefing
    models = _models(briefing)
    sets = {id(m.model_fields_set) for m in models}
    kinds = {frozenset(m.model_fields_set) for m in models}
    assert len(models) > 100
    assert len(sets) == len(kinds)  # one set object per combination, not one per model
    # Each still holds exactly the fields written for it: an item without a status has none.
    party = briefing.parties[0]
    assert party.model_fields_set == {
        name
        for name, field in type(party).model_fields.items()
        if (field.alias or name) in _written_keys(raw, party.id)
    }
    # A copy with a change gets a set of its own; the shared one is untouched.
    anchor = next(m for m in models if type(m).__name__ == "Anchor")
    before = set(anchor.model_fields_set)
    copied = anchor.model_copy(update={"paragraph": 1})
    assert "paragraph" in copied.model_fields_set
    assert anchor.model_fields_set == before
    assert copied.model_fields_set is not anchor.model_fields_set
    # The same bytes validated again give models equal to the first ones.
    assert parse_briefing(raw, SEED_BRIEFING).briefing == briefing
    assert isinstance(briefing, Briefing)


def _written_keys(raw: bytes, party_id: str) -> set[str]:
    """The keys written in the YAML mapping of the party with this id."""
    import yaml

    data = yaml.safe_load(raw)
    (entry,) = [p for p in data["parties"] if p["id"] == party_id]
    return set(entry)


def test_index_rows_match_one_insert_a_doc(tmp_path: Path) -> None:
    """Docs and their full-text rows are written two statements a briefing: the ids are those
    SQLite gives one insert at a time, and each text sits under its doc's id."""
    index = LibraryIndex(tmp_path / "index.sqlite3")
    folder = SEED_BRIEFING.parent
    many = [
        read_rows(path, str(folder), path.stat())
        for path in [SEED_BRIEFING, SEED_BRIEFING]  # the second replaces the first
    ]
    index.store(many[0])
    index.store(many[1])
    index.close()
    db = sqlite3.connect(tmp_path / "index.sqlite3")
    docs = db.execute("SELECT id, kind, ref FROM docs ORDER BY id").fetchall()
    texts = dict(db.execute("SELECT rowid, text FROM fts").fetchall())
    expected = many[1].docs
    assert len(docs) == len(expected) == len(texts)
    first = docs[0][0]
    assert [d[0] for d in docs] == list(range(first, first + len(expected)))
    for (doc_id, kind, ref), doc in zip(docs, expected, strict=True):
        assert (kind, ref) == (doc[0], doc[1])
        assert texts[doc_id] == doc[6]


def test_released_chunks_give_the_same_model_and_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold load drops each chunk of a long section from the parsed data once it has
    validated (its mappings freed as their models are made): the model is the same, and a
    chunk that fails keeps its data, so every problem is placed and worded as before."""
    from tui import loader, strict_yaml

    text = SEED_BRIEFING.read_text(encoding="utf-8")
    monkeypatch.setattr(loader, "VALIDATE_CHUNK", 2)
    whole = loader._validate(strict_yaml.load(text)[0])
    data = strict_yaml.load(text)[0]
    released = loader._validate(data, release=True)
    assert released == whole
    assert released.model_dump_json(exclude_unset=True) == whole.model_dump_json(exclude_unset=True)
    assert all(entry is None for entry in data["parties"])  # 13 parties: 7 chunks, all freed

    broken = text.replace("kind: person", "kind: persona", 1)
    kept = strict_yaml.load(broken)[0]
    with pytest.raises(loader._Invalid) as plain:
        loader._validate(strict_yaml.load(broken)[0])
    with pytest.raises(loader._Invalid) as caught:
        loader._validate(kept, release=True)
    assert caught.value.details == plain.value.details
    (index,) = {d["loc"][1] for d in caught.value.details if d["loc"][0] == "parties"}
    assert kept["parties"][index] is not None  # the failing chunk is still there to place it
    chunk = range(index - index % 2, index - index % 2 + 2)
    assert all(kept["parties"][n] is None for n in range(len(kept["parties"])) if n not in chunk)
    # And the whole load places the problem exactly as before.
    with pytest.raises(loader.BriefingError) as error:
        loader.parse_briefing(broken.encode(), SEED_BRIEFING)
    assert any("persona" in d.message for d in error.value.diagnostics)


def test_a_payload_written_in_pieces_reads_back_whole_and_verified() -> None:
    """The loader writes a long briefing's cache payload a line at a time (never joined in
    memory): it is signed as the bytes the pieces make, reads back verified, and a cold load
    then a warm one give the same briefing."""
    from tui import cache, loader

    cold = load_briefing(SEED_BRIEFING).briefing
    pieces = loader._payload_pieces(cold)
    whole = loader._to_payload(cold)
    assert b"".join(pieces) == whole
    cache.write("perf-pieces", {"note": 1}, pieces)
    found = cache.read("perf-pieces")
    assert found is not None and found[1] == whole and found[0]["note"] == 1
    assert cache.read("perf-pieces-elsewhere") is None
    assert load_briefing(SEED_BRIEFING).briefing == cold  # warm, from the entry written


def test_a_cold_load_parses_the_text_with_the_bytes_let_go(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """load_keyed decodes the bytes and drops them before parsing (46 MB at the peak of
    100,000 items): parse_briefing gets the text, and text or bytes give the same result."""
    from tui import loader

    given: list[type] = []
    real = loader.parse_briefing

    def spy(raw: bytes | str, *args: object, **kwargs: object) -> loader.Loaded:
        given.append(type(raw))
        return real(raw, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "parse_briefing", spy)
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    loaded = loader.load_briefing(SEED_BRIEFING)
    assert given == [str]
    raw = SEED_BRIEFING.read_bytes()
    from_bytes = real(raw, SEED_BRIEFING.resolve())
    from_text = real(raw.decode("utf-8"), SEED_BRIEFING.resolve())
    assert from_bytes.briefing == from_text.briefing == loaded.briefing
    assert from_bytes.diagnostics == from_text.diagnostics


def test_the_library_table_measures_no_cell(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every column of the library's table is given its width and every row is one line, so
    no cell is measured when rows arrive (DataTable measured all 4,000 cells of 1,000
    briefings), and the table's size is the one DataTable works out by measuring."""
    import asyncio
    import shutil

    import textual.widgets._data_table as data_table
    from textual.widgets import DataTable

    from tui.screens.library import COLUMNS, LibraryScreen, SizedTable

    from .conftest import SEED_SOURCE, reader

    folder = make_project().parent
    shutil.copy(SEED_BRIEFING, folder / SEED_BRIEFING.name)
    shutil.copy(SEED_SOURCE, folder.parent / "seeds" / SEED_SOURCE.name)
    measured: list[object] = []
    real_measure = data_table.measure

    def counting(*args: object, **kwargs: object) -> int:
        measured.append(args[1])
        return real_measure(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(data_table, "measure", counting)

    async def main() -> None:
        async with reader(folder, (100, 24)) as (app, pilot):
            library = app.screen
            assert isinstance(library, LibraryScreen)
            for _ in range(100):
                if len(library.entries) == 2:
                    break
                await pilot.pause(0.05)
            await pilot.pause()
            table = library.query_one("#table", SizedTable)
            assert table.row_count == 2
            cells = table.row_count * len(table.columns)
            # Only the headers, when columns are added; no cell.
            assert {getattr(m, "plain", m) for m in measured} <= set(COLUMNS)
            measured.clear()
            size = table.virtual_size
            # Stock DataTable's own reckoning, measuring every cell, agrees.
            DataTable._update_dimensions(table, list(table.rows))
            assert table.virtual_size == size
            assert len(measured) >= cells  # as it did before

    asyncio.run(main())


def test_the_shared_fields_sets_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past FIELDS_SETS_CAP combinations a model keeps a set of its own: a file made to give
    a new combination for each model cannot grow the process's table without end."""
    from tui import schema

    monkeypatch.setattr(schema, "_FIELDS_SETS", {})
    monkeypatch.setattr(schema, "FIELDS_SETS_CAP", 2)
    briefing = parse_briefing(SEED_BRIEFING.read_bytes(), SEED_BRIEFING).briefing
    assert len(schema._FIELDS_SETS) == 2
    models = _models(briefing)
    shared = {id(s) for s in schema._FIELDS_SETS.values()}
    own = [m for m in models if id(m.model_fields_set) not in shared]
    assert own and len({id(m.model_fields_set) for m in own}) == len(own)
    assert all(m.model_fields_set == set(m.model_fields_set) for m in models)
