"""The library's filters on format 2's fields: tlp:, analyst:, credibility:, status:,
conflict: (alone: any claims in conflict) and verdict:, over the format 2 examples."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tui.index import LibraryIndex, parse_query

FORMAT2 = ROOT / "tests" / "data" / "format2"
EXAMPLES = {
    "iron-tide": FORMAT2 / "naval" / "iron-tide.yaml",  # amber, credibility 2-4, planned
    "border-talks": FORMAT2 / "naval" / "border-talks.yaml",  # green, no credibility
    "core": FORMAT2 / "core.yaml",  # amber+strict
    "claims": FORMAT2 / "claims.yaml",  # a personnel conflict, no TLP
    "transfers": FORMAT2 / "transfers.yaml",  # a planned drill, no conflict
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lib")
    for name, path in EXAMPLES.items():
        shutil.copy(path, folder / f"{name}.yaml")
        shutil.copy(path.with_suffix(".txt"), folder / path.with_suffix(".txt").name)
    return folder


def found(folder: Path, typed: str) -> set[str]:
    with LibraryIndex() as index:
        index.refresh(folder)
        keys = index.matching(folder, parse_query(typed))
    return {Path(str(k).lstrip("?")).stem for k in keys}


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ("tlp:amber", {"iron-tide"}),
        ("tlp:TLP:AMBER", {"iron-tide"}),
        ("tlp:amber+strict", {"core"}),
        ("tlp:green", {"border-talks"}),
        ("tlp:red", set()),
        ("analyst:lund", {"iron-tide"}),
        ('analyst:"border desk"', {"border-talks"}),
        ("credibility:4", {"iron-tide"}),
        ("status:planned", {"iron-tide", "border-talks", "transfers", "claims"}),
        ("status:contracted", {"iron-tide", "transfers"}),
        ("status:planned tlp:green", {"border-talks"}),
        ("conflict:", {"iron-tide", "claims"}),
        ("conflict:any", {"iron-tide", "claims"}),
        ("conflict:purpose", {"iron-tide"}),
        ("verdict:disputed", {"iron-tide"}),
        ("verdict:conflict", {"iron-tide", "claims"}),
    ],
)
def test_the_filters_on_format_2_fields(library: Path, typed: str, names: set[str]) -> None:
    assert found(library, typed) == names


def test_credibility_takes_a_range(library: Path) -> None:
    assert found(library, "credibility:1-2") >= {"iron-tide"}
    assert "iron-tide" not in found(library, "credibility:5-6")


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("tlp:purple", "tlp: wants clear, green, amber, amber+strict, red, not 'purple'"),
        ("credibility:9", "credibility: wants 1-6 or a range such as 1-2, not '9'"),
        ("verdict:maybe", "verdict: wants agreed, corroborated, conflict, disputed, not 'maybe'"),
    ],
)
def test_a_bad_value_says_what_the_filter_wants(typed: str, problem: str) -> None:
    query = parse_query(typed)
    assert query.problems == [problem] and not query.filters


def test_disputed_alone_is_still_a_word_to_search_for() -> None:
    assert parse_query("disputed").words == ["disputed"]


@pytest.mark.parametrize("typed", ["tlp:", "TLP:", "party:", "from:", "section:", "analyst:"])
def test_a_filter_name_typed_without_its_value_filters_nothing_yet(typed: str) -> None:
    # It was a word to search for, which matched nothing: the table emptied as it was typed.
    query = parse_query(f"china {typed}")
    assert query.words == ["china"] and not query.filters and not query.problems
    assert parse_query("foo:").words == ["foo:"]  # not a filter's name: a word


def test_the_library_keeps_its_rows_while_a_filter_is_typed(library: Path) -> None:
    import asyncio

    from textual.widgets import DataTable

    from tests.conftest import reader

    async def main() -> None:
        async with reader(library, (120, 24)) as (app, pilot):
            table = app.screen.query_one("#table", DataTable)
            assert table.row_count == len(EXAMPLES)
            await pilot.press(*"tlp:")
            await pilot.pause()
            assert table.row_count == len(EXAMPLES)  # the filter is not there yet
            await pilot.press(*"amber ")
            await pilot.pause()
            assert table.row_count == 1

    asyncio.run(main())
