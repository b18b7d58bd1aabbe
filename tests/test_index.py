"""The library index: incremental rebuilds, deletion, concurrent readers, a damaged file,
full-text search (with hostile queries), filters and the party pivot. No Textual here."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import tui.loader
from tests.conftest import ROOT, SEED_BRIEFING, SEED_SOURCE, MakeProject
from tui.index import LibraryIndex, default_path, fts_query, parse_query
from tui.index import rows as index_rows
from tui.index import store as index_module
from tui.sections import SECTION_KEYS

BAD_YAML = "schema: 1\nid: bad\ntitle: [unclosed\n"


def make_library(make_project: MakeProject) -> Path:
    """briefings/ holding bad.yaml (invalid), the seed briefing and test.yaml (minimal)."""
    test = make_project()
    folder = test.parent
    shutil.copy(SEED_BRIEFING, folder / SEED_BRIEFING.name)
    shutil.copy(SEED_SOURCE, folder.parent / "seeds" / SEED_SOURCE.name)
    (folder / "bad.yaml").write_text(BAD_YAML, encoding="utf-8")
    (folder / "notes.txt").write_text("not a briefing", encoding="utf-8")
    return folder


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the briefings the loader is asked for, in order."""
    seen: list[str] = []
    real = tui.loader.load_briefing

    def counting(path: Path):  # type: ignore[no-untyped-def]
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(tui.loader, "load_briefing", counting)
    return seen


def bump(path: Path) -> None:
    """A new modification time, as a save would give (coarse file systems included)."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 2_000_000_000))


def test_the_index_lives_in_the_xdg_cache_and_lists_the_folder(
    make_project: MakeProject, loads: list[str]
) -> None:
    folder = make_library(make_project)
    path = default_path()
    assert path is not None and path.name == "library.sqlite3"
    assert path.parent == Path(os.environ["XDG_CACHE_HOME"]) / "briefing"
    with LibraryIndex() as index:
        report = index.refresh(folder)
        assert sorted(loads) == sorted(["bad.yaml", SEED_BRIEFING.name, "test.yaml"])
        assert report.total == 3
        records = index.records(folder)
    assert path.exists()
    assert [r.name for r in records] == ["bad.yaml", SEED_BRIEFING.name, "test.yaml"]
    bad, seed, minimal = records
    assert not bad.valid and bad.error.startswith("invalid: ")
    assert (
        seed.valid
        and seed.title.startswith("Russia and China")
        and seed.date == "5 Nov 2014 (inferred)"
    )
    two_parties = tuple(2 if key == "parties" else 0 for key in SECTION_KEYS)
    assert minimal.counts == two_parties and minimal.outlet == "source.txt"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_rebuild_is_incremental(make_project: MakeProject, loads: list[str]) -> None:
    folder = make_library(make_project)
    with LibraryIndex() as index:
        index.refresh(folder)
        loads.clear()
        # Nothing changed: nothing is read.
        assert index.refresh(folder).read == [] and loads == []
        # One file saved: only it is read again.
        bump(folder / "test.yaml")
        report = index.refresh(folder)
        assert loads == ["test.yaml"] and report.read == [str(folder / "test.yaml")]
        loads.clear()
        # A new file: only it.
        shutil.copy(folder / "test.yaml", folder / "again.yaml")
        assert [Path(k).name for k in index.refresh(folder).read] == ["again.yaml"]
        assert loads == ["again.yaml"]
        loads.clear()
        # A source changed: the briefings citing it are read again, and only they.
        source = folder.parent / "seeds" / "source.txt"
        source.write_text(source.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
        bump(source)
        report = index.refresh(folder)
        assert sorted(loads) == ["again.yaml", "test.yaml"]
    # Another process (a new connection) finds the index up to date.
    loads.clear()
    with LibraryIndex() as index:
        assert index.refresh(folder).read == [] and loads == []


def test_deleted_files_are_dropped(make_project: MakeProject) -> None:
    folder = make_library(make_project)
    with LibraryIndex() as index:
        index.refresh(folder)
        assert index.search(folder, "billion")[0]
        (folder / SEED_BRIEFING.name).unlink()
        report = index.refresh(folder)
        assert report.dropped == 1 and report.read == []
        assert [r.name for r in index.records(folder)] == ["bad.yaml", "test.yaml"]
        assert index.search(folder, "billion")[0] == []
        assert index.pivot(folder, "china") == []


def test_deleting_the_index_is_harmless(make_project: MakeProject, loads: list[str]) -> None:
    folder = make_library(make_project)
    with LibraryIndex() as index:
        index.refresh(folder)
    path = default_path()
    assert path is not None
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    loads.clear()
    with LibraryIndex() as index:
        assert index.notice is None
        assert len(index.refresh(folder).read) == 3 and len(loads) == 3


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(b"this is not a database at all" * 100, id="garbage"),
        pytest.param(b"", id="empty"),
        pytest.param(None, id="truncated"),
    ],
)
def test_a_corrupt_index_is_replaced_with_a_notice(
    make_project: MakeProject, damage: bytes | None
) -> None:
    folder = make_library(make_project)
    with LibraryIndex() as index:
        index.refresh(folder)
    # Closed: the last connection folded the write-ahead log into the file.
    path = default_path()
    assert path is not None
    if damage is None:
        raw = path.read_bytes()
        path.write_bytes(raw[:100] + b"\xff" * 4000 + raw[4100:])
    else:
        path.write_bytes(damage)
    with LibraryIndex() as index:
        records = index.records(folder) if not index.notice else []
        if damage == b"":
            # An empty file is a new database: nothing to say.
            assert index.notice is None
        else:
            assert index.notice and "replaced" in index.notice
        report = index.refresh(folder)
        assert len(report.read) == 3 or records
        assert [r.name for r in index.records(folder)] == [
            "bad.yaml",
            SEED_BRIEFING.name,
            "test.yaml",
        ]
        assert index.search(folder, "billion")[0]


def test_an_index_of_another_layout_is_rebuilt(make_project: MakeProject) -> None:
    folder = make_library(make_project)
    with LibraryIndex() as index:
        index.refresh(folder)
    with contextlib.closing(sqlite3.connect(str(default_path()))) as db, db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'layout'")
    with LibraryIndex() as index:
        assert index.records(folder) == []
        assert len(index.refresh(folder).read) == 3


def test_the_layout_key_follows_the_section_registry() -> None:
    keys = SECTION_KEYS
    assert index_module.layout_key(keys) == index_module.LAYOUT
    changed = [
        (*keys, "sanctions"),  # a section added
        keys[:-1],  # one removed
        (keys[1], keys[0], *keys[2:]),  # two moved
        tuple(k.replace("drills", "exercises") for k in keys),  # one renamed
    ]
    assert len({index_module.layout_key(k) for k in changed} | {index_module.LAYOUT}) == 5
    assert index_module.layout_key(("ab", "c")) != index_module.layout_key(("a", "bc"))


def test_an_index_written_under_another_section_registry_is_rebuilt_not_misread(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counts are stored as a list in the registry's order: an index written before a section
    was added holds lists one short, each count after the new section under its neighbour."""
    folder = make_library(make_project)
    older = tuple(key for key in SECTION_KEYS if key != "drills")
    with monkeypatch.context() as patched:
        patched.setattr(index_rows, "SECTION_KEYS", older)
        patched.setattr(index_module, "LAYOUT", index_module.layout_key(older))
        with LibraryIndex() as index:
            index.refresh(folder)
            assert {len(r.counts) for r in index.records(folder)} == {len(older)}
    with LibraryIndex() as index:
        assert index.records(folder) == []
        assert len(index.refresh(folder).read) == 3
        records = {r.name: r for r in index.records(folder)}
    seed = tui.loader.load_briefing(folder / SEED_BRIEFING.name).briefing.counts()
    assert records[SEED_BRIEFING.name].counts == tuple(seed[key] for key in SECTION_KEYS)
    assert records["bad.yaml"].counts == (0,) * len(SECTION_KEYS)


def test_an_index_written_by_other_code_is_rebuilt_not_trusted(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows keep the loader's verdict: after an upgrade that changes a check, a file the old
    code called valid must not stay listed as valid until it is edited."""
    folder = make_library(make_project)
    with monkeypatch.context() as patched:
        patched.setattr(index_module, "code_version", lambda: "an older program")
        with LibraryIndex() as index:
            index.refresh(folder)
            assert len(index.records(folder)) == 3
    with LibraryIndex() as index:
        assert index.records(folder) == []  # nothing of the old program's answers is shown
        assert len(index.refresh(folder).read) == 3


def test_two_connections_index_and_read_at_once(make_project: MakeProject) -> None:
    folder = make_library(make_project)
    for n in range(6):
        shutil.copy(folder / "test.yaml", folder / f"copy-{n}.yaml")
    first, second = LibraryIndex(), LibraryIndex()
    errors: list[BaseException] = []

    def run(index: LibraryIndex) -> None:
        try:
            for _ in range(3):
                index.refresh(folder)
                index.records(folder)
                index.search(folder, "alice")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(first.records(folder)) == len(second.records(folder)) == 9
    # Each briefing's rows once, whoever wrote them.
    with contextlib.closing(sqlite3.connect(str(default_path()))) as db:
        docs = db.execute("SELECT path, COUNT(*) FROM docs GROUP BY path ORDER BY path").fetchall()
        fts = db.execute("SELECT COUNT(*) FROM fts").fetchone()[0]
    assert fts == sum(count for _path, count in docs)
    counts = {Path(p).name: c for p, c in docs}
    assert counts["copy-0.yaml"] == counts["test.yaml"] == counts["copy-5.yaml"]
    first.close()
    second.close()


def test_two_processes_write_the_same_index(make_project: MakeProject) -> None:
    folder = make_library(make_project)
    for n in range(10):
        shutil.copy(folder / "test.yaml", folder / f"copy-{n}.yaml")
    LibraryIndex().close()  # the file made: what is tested is writing, not creating, at once
    code = (
        "import sys; from pathlib import Path; from tui.index import LibraryIndex\n"
        "with LibraryIndex() as index:\n"
        "    print(len(index.refresh(Path(sys.argv[1])).read), index.notice)\n"
    )
    helpers = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    outputs = [helper.communicate(timeout=60) for helper in helpers]
    for helper, (out, err) in zip(helpers, outputs, strict=True):
        assert helper.returncode == 0, err.decode()
        assert out.split()[-1] == b"None", out  # no damage seen
    with LibraryIndex() as index:
        assert index.plan(folder).stale == []
        assert len(index.records(folder)) == 13
        assert len(index.search(folder, "alice met")[0]) == 11


def test_parallel_update_reads_through_helpers(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_library(make_project)
    for n in range(5):
        shutil.copy(folder / "test.yaml", folder / f"copy-{n}.yaml")
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 2)
    seen: list[tuple[int, int]] = []
    with LibraryIndex() as index:
        report = index.update_parallel(
            index.plan(folder), lambda done, total, _records: seen.append((done, total)), every=0
        )
        assert len(report.read) == 8 and seen[-1] == (8, 8)
        assert len(index.records(folder)) == 8


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"unclosed phrase',
        "AND",
        "OR NOT",
        "NEAR(a b",
        "*",
        "^start",
        "col:value",
        "text:billion",
        "a + b - c",
        "'); DROP TABLE fts; --",
        "\x00\x1b[31m",
        "(((",
        "billion)",
        "{text}: x",
    ],
)
def test_hostile_queries_never_fail(make_project: MakeProject, text: str) -> None:
    folder = make_library(make_project)
    with LibraryIndex() as index:
        index.refresh(folder)
        hits, _problem = index.search(folder, text)
        assert isinstance(hits, list)
        assert index.search(folder, "billion")[0]  # nothing was dropped


def test_fts_query_quotes_every_term() -> None:
    assert fts_query(["China", "tanks"]) == '"China" "tanks"*'
    assert fts_query(['say "hi"'], prefix=False) == '"say ""hi"""'
    assert fts_query(["(", "*", "-"]) is None
    assert fts_query([]) is None


def test_search_finds_items_and_paragraphs(make_project: MakeProject) -> None:
    folder = make_library(make_project)
    with LibraryIndex() as index:
        index.refresh(folder)
        hits, problem = index.search(folder, "billion")
        assert problem is None
        found = {(h.kind, h.ref) for h in hits}
        assert ("item", "russia-arms-contracts-2014") in found
        assert ("paragraph", "11") in found
        paragraph = next(h for h in hits if h.kind == "paragraph" and h.ref == "11")
        assert paragraph.start == 11 and paragraph.name == SEED_BRIEFING.name
        assert any(marked and "billion" in text.lower() for text, marked in paragraph.snippet)
        item = next(h for h in hits if h.ref == "russia-arms-contracts-2014")
        assert item.start == "russia-arms-contracts-2014" and item.section == "arms_sales"
        # The last word is a prefix while typing; every word must be found.
        assert index.search(folder, "billio")[0]
        assert index.search(folder, "billion zzzz")[0] == []
        # Diacritics fold; case does not matter.
        assert index.search(folder, "BİLLION")[0] or index.search(folder, "BILLION")[0]
        # Filters narrow it: section keeps items of that section only.
        drills = index.search(folder, "section:drills tanks")[0]
        assert drills and all(h.kind == "item" and h.section == "drills" for h in drills)
        assert index.search(folder, "party:alice billion")[0] == []
        assert index.search(folder, "party:alice alice")[0]
        _hits, problem = index.search(folder, "from:20x4 billion")
        assert problem and "from:" in problem


def test_filters(make_project: MakeProject) -> None:
    folder = make_library(make_project)
    with LibraryIndex() as index:
        index.refresh(folder)

        def names(text: str) -> list[str] | None:
            found = index.matching(folder, parse_query(text))
            return None if found is None else sorted(Path(k).name for k in found)

        seed = SEED_BRIEFING.name
        assert names("just words") is None
        assert names("party:china") == [seed]
        assert names("party:CHINA party:putin") == [seed]
        assert names('party:"xi jinping"') == [seed]
        assert names("party:people's") == [seed]  # an alias
        assert names("party:alice") == ["test.yaml"]
        assert names("country:cn") == [seed]
        assert names("country:FR") == []
        assert names("section:drills") == [seed]
        assert names("section:parties") == [seed, "test.yaml"]
        assert names("section:arms") == [seed]
        assert names("from:2014 to:2014") == [seed]
        assert names("from:2014-11-05 to:2014-11-05") == [seed]
        assert names("from:2030") == []
        assert names("to:1999") == []
    query = parse_query("party:china country:CN section:st from:2014-02 to:2015 hello")
    assert query.party == ["china"] and query.country == ["CN"]
    assert query.section == ["statements"]
    assert (query.date_from, query.date_to) == ("2014-02-01", "2015-12-31")
    assert query.words == ["hello"] and query.problems == []
    assert parse_query("section:nothing from:2014-13").problems == [
        "no section 'nothing'",
        "from: wants YYYY, YYYY-MM or YYYY-MM-DD, not '2014-13'",
    ]
    assert parse_query("http://example.org").words == ["http://example.org"]


def test_party_pivot(make_project: MakeProject) -> None:
    folder = make_library(make_project)
    with LibraryIndex() as index:
        index.refresh(folder)
        groups = index.pivot(folder, "CHINA")
        assert [g.party_name for g in groups] == ["China", "China's state agency"]
        china = groups[0]
        assert china.name == SEED_BRIEFING.name and china.country == "CN"
        roles = {i.item_id: i.role for i in china.items}
        assert china.items[0].item_id == "china" and china.items[0].role == "entry"
        assert roles["sco-joint-drills-2014"] == "participant"
        assert roles["pla"] == "member"
        assert {i.section for i in china.items} >= {"parties", "agreements", "drills"}
        names = dict(index.party_names(folder, ""))
        assert names["China"] == 1 and names["Alice"] == 1
        assert index.pivot(folder, "  ") == []
        assert index.pivot(folder, "nobody") == []


def test_the_index_does_not_import_textual() -> None:
    code = (
        "import sys, tui.index; "
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False"


def test_no_cache_keeps_the_index_in_memory(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_library(make_project)
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    assert default_path() is None
    with LibraryIndex() as index:
        assert len(index.refresh(folder).read) == 3
        assert index.search(folder, "billion")[0]
    assert not (Path(os.environ["XDG_CACHE_HOME"]) / "briefing" / "library.sqlite3").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_the_index_makes_its_folder_private() -> None:
    mask = os.umask(0o022)
    try:
        LibraryIndex().close()
    finally:
        os.umask(mask)
    path = default_path()
    assert path is not None and path.exists()
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_cancelling_a_parallel_update_leaves_no_helper_running(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    folder = make_library(make_project)
    for n in range(5):
        shutil.copy(folder / "test.yaml", folder / f"copy-{n}.yaml")
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 2)
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1  # after the helpers were started

    with LibraryIndex() as index:
        report = index.update_parallel(index.plan(folder), workers=2, cancelled=cancelled)
    assert len(asked) >= 2 and report.read == []  # nothing read in this process after
    assert multiprocessing.active_children() == []


HELPERS_THEN_GONE = """
import multiprocessing, os, sys
from pathlib import Path
from tui.index import LibraryIndex, store

store.PARALLEL_MIN = 1
with LibraryIndex() as index:
    plan = index.plan(Path(sys.argv[1]))

    def cancelled() -> bool:
        # As a signal does: the reader ends at once, nothing cleaned up, helpers running.
        helpers = multiprocessing.active_children()
        if helpers:
            print(" ".join(str(p.pid) for p in helpers), flush=True)
            os._exit(0)
        return False

    index.update_parallel(plan, workers=2, cancelled=cancelled)
"""


def alive(pid: int) -> bool:
    """Running, a zombie waiting for its parent's wait aside."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status.rpartition(")")[2].split()[0] not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_helpers_end_when_the_reader_is_gone(make_project: MakeProject) -> None:
    folder = make_library(make_project)
    for n in range(40):
        shutil.copy(folder / "test.yaml", folder / f"copy-{n}.yaml")
    reader = subprocess.Popen(
        [sys.executable, "-c", HELPERS_THEN_GONE, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert reader.stdout is not None
    pids = [int(p) for p in reader.stdout.readline().split()]
    assert pids
    try:
        # The pipes end once the reader, its helpers and anything they started are all gone.
        _out, errors = reader.communicate(timeout=60)
        assert not any(alive(pid) for pid in pids)
    finally:
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    # Nothing on the terminal after the reader: no traceback, no "leaked semaphore" warning.
    assert errors == b""
