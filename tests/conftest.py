"""Shared fixtures: paths of the seed, and a factory for small briefing projects on disk."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

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
