"""Shared fixtures: paths of the seed, a factory for small briefing projects on disk, and the
scaffold of every test that drives the reader under Textual's Pilot (`reader`, `run_reader`,
`wait_loaded`, `notices`)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import pytest

# Every xdist worker and every `briefing` subprocess imports the same test and tui modules:
# under PYTHONDONTWRITEBYTECODE each rewrote and compiled them from source again (collection
# 4.9 s of CPU per worker, 2.1 s with the bytecode cached). Only the cache is written.
sys.dont_write_bytecode = False

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from tui.app import BriefingApp

ROOT = Path(__file__).resolve().parent.parent
SEED_SOURCE = ROOT / "seeds" / "russia-china-military-cooperation-2014.txt"
SEED_BRIEFING = ROOT / "briefings" / "russia-china-military-cooperation-2014.yaml"

MINIMAL_SOURCE = "Title line\n\nAlice met Bob in Paris on Monday.\n\nBob sold 3 tanks to Alice.\n"

MakeProject = Callable[..., Path]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz",
        action="store_true",
        help="also run the tests marked fuzz (larger Hypothesis budgets; .ci/run turns it on)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the default run quick: fuzz-marked tests run with --fuzz (or when -m names them)."""
    if config.getoption("--fuzz") or "fuzz" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="larger fuzz budget: run with --fuzz")
    for item in items:
        if "fuzz" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _private_xdg(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the user's cache or state, nor each other's."""
    base = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "xdg-cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(base / "xdg-state"))


def minimal_yaml(source_text: str = MINIMAL_SOURCE, body: str = "", sha: str | None = None) -> str:
    """A small valid briefing (two parties, one event) with extra YAML appended."""
    digest = sha or hashlib.sha256(source_text.encode()).hexdigest()
    return f"""schema: 1
id: test-briefing
title: Test briefing
summary: Alice and Bob met.
sources:
  - id: src
    path: ../seeds/source.txt
    sha256: {digest}
    title: Test source
    language: en
    reliability: C
parties:
  - id: alice
    kind: person
    name: Alice
    confidence: high
    evidence:
      - {{paragraph: 2, quote: Alice met Bob}}
  - id: bob
    kind: person
    name: Bob
    confidence: high
    evidence:
      - {{paragraph: 2, quote: Bob in Paris}}
{body}"""


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Write briefings/test.yaml and seeds/source.txt under tmp_path; return the briefing."""

    def make(yaml_text: str | None = None, source_text: str | bytes = MINIMAL_SOURCE) -> Path:
        (tmp_path / "briefings").mkdir(exist_ok=True)
        (tmp_path / "seeds").mkdir(exist_ok=True)
        source = tmp_path / "seeds" / "source.txt"
        if isinstance(source_text, bytes):
            source.write_bytes(source_text)
        else:
            source.write_text(source_text, encoding="utf-8", newline="")
        briefing = tmp_path / "briefings" / "test.yaml"
        text = (
            yaml_text
            if yaml_text is not None
            else minimal_yaml(source_text if isinstance(source_text, str) else MINIMAL_SOURCE)
        )
        briefing.write_text(text, encoding="utf-8")
        return briefing

    return make


# --- the reader under Pilot -----------------------------------------------------------------

Body = Callable[["BriefingApp", "Pilot[Any]"], Awaitable[None]]
"""A step of a UI test: what it does with the app once loaded."""

_NOTICES: WeakKeyDictionary[BriefingApp, list[str]] = WeakKeyDictionary()


async def wait_loaded(pilot: Pilot[Any], rounds: int = 1) -> None:
    """Until the app's workers are done and what they posted is handled. rounds=2 where a
    worker's result starts another (the library: the index opens, then fills the rows)."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@contextlib.asynccontextmanager
async def reader(
    target: Path, size: tuple[int, int] = (80, 24), *, rounds: int = 1, notifications: bool = False
) -> AsyncIterator[tuple[BriefingApp, Pilot[Any]]]:
    """The reader on target (a briefing or a folder) headless at size, its first load done
    (`wait_loaded` with rounds; 0 to start at once). Its notices are recorded (`notices`);
    notifications=True also draws them, as a real run does."""
    from tui.app import BriefingApp

    app = BriefingApp(target)
    _NOTICES[app] = heard = []
    real = app.notify

    def notify(message: str, **options: Any) -> None:
        heard.append(str(message))
        real(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=size, notifications=notifications) as pilot:
        await wait_loaded(pilot, rounds)
        yield app, pilot


def run_reader(
    target: Path, *bodies: Body, size: tuple[int, int] = (80, 24), rounds: int = 1
) -> None:
    """Open target in the reader, wait for the load, then run the bodies in turn.

    Several checks share one app where their order is harmless: starting an app costs more
    than most checks.
    """

    async def main() -> None:
        async with reader(target, size, rounds=rounds) as (app, pilot):
            for body in bodies:
                await body(app, pilot)

    asyncio.run(main())


def notices(app: BriefingApp) -> list[str]:
    """Every notification the app has sent so far, in order, expired ones included (for an
    app opened by `reader`)."""
    return _NOTICES[app]


@pytest.hookimpl(optionalhook=True)  # runs without xdist too (tests that run pytest in a copy)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Two workers per core for `-n auto`: part of the suite waits on ptys, subprocesses and
    the app's event loop rather than computing, so fewer workers leave a core idle, but each
    worker costs about 2 s of CPU collecting and more workers than that make every test cost
    more CPU (2 cores, 1,444 tests, bytecode cached, one half hour, the machine shared: 3
    workers 111 s wall and 149 s of CPU, 4 workers 96 s and 158 s, 6 workers 107 s and 178 s)."""
    return min(8, 2 * (os.cpu_count() or 1))
