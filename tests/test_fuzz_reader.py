"""Fuzzing the reader: random Unicode in every text field of a briefing and in its source.

Whatever the text (control and format characters included), the reader opens the briefing
headlessly without an exception, nothing unsafe reaches the screen or the clipboard, and the
quotes still resolve (the source carries the same random text around its anchors).

An app costs some 0.35 s to start, so one app serves every example: Hypothesis runs in a
thread and hands each briefing to the app's event loop, where a fresh briefing screen loads
it as the reader does. The default budget is small (CI has two cores); `--fuzz` runs a larger
one, still well under a minute.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot

from tests.conftest import reader
from tests.test_hostile_reader import CONTROL, FORMAT, MARKUP, assert_safe, check, q
from tui.app import BriefingApp
from tui.screens.briefing import BriefingScreen
from tui.screens.errors import ErrorScreen

SMALL = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
LARGE = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))

PIECES = [MARKUP, CONTROL, FORMAT, "[/bold]", "[@click=app.quit]x[/]", "\t", "\r\n", "😀", "中"]
# Any code point but lone surrogates (no UTF-8 for them): controls, format characters,
# non-characters, combining marks, private use; and pieces known to matter.
field = st.lists(
    st.one_of(
        st.text(st.characters(codec="utf-8"), min_size=1, max_size=12), st.sampled_from(PIECES)
    ),
    min_size=1,
    max_size=4,
).map("".join)
FIELDS = ("title", "summary", "outlet", "name", "alias", "role", "notes", "event", "says")


def briefing(values: dict[str, str], source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    v = {key: q(value) for key, value in values.items()}
    return f"""schema: 1
id: fuzz
title: {v["title"]}
summary: {v["summary"]}
sources:
  - id: src
    path: ../seeds/source.txt
    sha256: {digest}
    title: Fuzz source
    outlet: {v["outlet"]}
    language: en
    reliability: C
parties:
  - id: alice
    kind: person
    name: {v["name"]}
    aliases: [{v["alias"]}]
    role: {v["role"]}
    notes: {v["notes"]}
    confidence: high
    evidence: [{{quote: ANCHORA}}]
  - id: bob
    kind: person
    name: Bob
    confidence: high
    evidence: [{{quote: {v["quote"]}}}]
events:
  - id: meeting
    kind: meeting
    title: {v["event"]}
    status: held
    participants: [alice, bob]
    confidence: high
    evidence: [{{quote: ANCHORB}}]
statements:
  - id: says
    speaker: alice
    mode: paraphrase
    text: {v["says"]}
    confidence: high
    evidence: [{{quote: ANCHORC}}, {{quote: {v["quote"]}}}]
"""


def source_text(paragraphs: list[str], quote: str) -> str:
    """Paragraphs around unique anchor words; the hostile quote stands inside one of them."""
    return (
        f"{paragraphs[0]}\n\n"
        f"Alice ANCHORA met {paragraphs[1]} Bob.\n\n"
        f"{paragraphs[2]} ANCHORB {quote} then\n\n"
        f"ANCHORC {paragraphs[3]}\n"
    )


def run_examples(folder: Path, config: settings) -> int:
    """Run the property under config in one app; the number of examples shown."""
    (folder / "briefings").mkdir()
    (folder / "seeds").mkdir()
    counter = itertools.count()
    shown: list[str] = []

    def write(values: dict[str, str], paragraphs: list[str]) -> Path:
        # Delimited so a short random quote is still unique in the source.
        values = {**values, "quote": f"«{values['quote']}»"}
        source = source_text(paragraphs, values["quote"])
        (folder / "seeds" / "source.txt").write_text(source, encoding="utf-8", newline="")
        path = folder / "briefings" / f"fuzz-{next(counter)}.yaml"
        path.write_text(briefing(values, source), encoding="utf-8")
        return path

    first = write(dict.fromkeys((*FIELDS, "quote"), "x"), ["p"] * 4)

    async def open_one(app: BriefingApp, pilot: Pilot, path: Path, query: str) -> None:  # type: ignore[type-arg]
        await app.switch_screen(BriefingScreen(path))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app._exception is None, f"the reader crashed: {app._exception!r}"
        screen = app.screen
        check(app)
        shown.append(type(screen).__name__)
        if isinstance(screen, ErrorScreen):
            return
        assert isinstance(screen, BriefingScreen)
        # Every pane is on screen (and every row of each checked): show the statement, copy
        # its quote, search.
        await pilot.press("6", "y")
        assert_safe(app.clipboard, "clipboard")
        screen.search(query)
        await pilot.pause()
        check(app)

    async def main() -> None:
        async with reader(first, (100, 30)) as (app, pilot):
            loop = asyncio.get_running_loop()

            @config
            @given(
                values=st.fixed_dictionaries(dict.fromkeys((*FIELDS, "quote"), field)),
                paragraphs=st.lists(field, min_size=4, max_size=4),
                query=field,
            )
            def property_(values: dict[str, str], paragraphs: list[str], query: str) -> None:
                path = write(values, paragraphs)
                future = asyncio.run_coroutine_threadsafe(
                    asyncio.wait_for(open_one(app, pilot, path, query), 60), loop
                )
                future.result()

            # The thread runs in a copy of this context (the active app and its pilot's), and
            # so do the coroutines it hands back to the loop.
            await loop.run_in_executor(None, contextvars.copy_context().run, property_)

    asyncio.run(main())
    assert shown, "no example reached the screen"
    return shown.count("BriefingScreen")


def test_random_unicode_in_every_field_and_the_source(tmp_path: Path) -> None:
    opened = run_examples(tmp_path, SMALL)
    assert opened >= 1, "every example was refused: the property tests nothing"


@pytest.mark.fuzz
def test_random_unicode_larger_budget(tmp_path: Path) -> None:
    opened = run_examples(tmp_path, LARGE)
    assert opened >= 10
