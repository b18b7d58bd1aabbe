"""Hostile input in the reader: the same errors as `briefing validate`, or the text shown literally.

Textual and Rich strip only BEL, BS, VT, FF and CR: ESC, C1, NUL, DEL, SO and SI reach the
terminal from every widget, and Static, Label, OptionList, notify and the command palette parse
markup in plain strings. So for every file of tests/hostile/ (and a few generated cases) the
reader must show `validate`'s diagnostics on its error screen, and for valid briefings carrying
terminal control, markup, bidi and zero-width characters in every displayed field (and in the
source their quotes point into), every screen must show them as visible characters, literally.

What reaches the terminal is read back from the compositor (every line of the screen), from
every row of the scrolling widgets (rendered in full, not only the visible part) and from the
SVG screenshot.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.geometry import Region
from textual.pilot import Pilot
from textual.scroll_view import ScrollView
from textual.widgets import DataTable, Input, OptionList

from tests.conftest import MINIMAL_SOURCE, Body, minimal_yaml, run_reader
from tui.app import BriefingApp
from tui.cli import main
from tui.loader import BriefingError, load_briefing
from tui.safe_text import clean
from tui.screens.briefing import BriefingScreen
from tui.screens.errors import ErrorScreen
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.widgets.detail import Detail
from tui.widgets.source_view import SourceView

HOSTILE = Path(__file__).parent / "hostile"
BOM_CRLF_SOURCE = "\ufeffTitle line\r\n\r\nAlice met Bob in Paris on Monday.\r\n\r\nBob sold 3 tanks to Alice.\r\n"

# What must never reach the screen: C0 controls (tab and CR included: only newlines end the
# lines read back here), DEL, C1, lone surrogates, bidi controls, zero-width and other
# invisible format characters.
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u00ad\u061c\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\ufeff\U000e0000-\U000e007f]"
)


def assert_safe(text: str, where: str = "screen") -> None:
    found = UNSAFE.search(text)
    assert found is None, (
        f"U+{ord(found.group()):04X} reaches the {where}: "
        f"{text[max(0, found.start() - 60) : found.end() + 60]!r}"
    )


def screen_lines(app: BriefingApp) -> list[str]:
    """Every line of the screen as the compositor draws it."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app: BriefingApp) -> str:
    return "\n".join(screen_lines(app))


def full_text(widget: ScrollView) -> str:
    """Every row of a line-API widget, those scrolled out of view included (no borders)."""
    widget.render_lines(Region(0, 0, *widget.outer_size))  # brings its line cache up to date
    top = widget.scroll_offset.y
    lines = range(-top, max(widget.virtual_size.height, widget.size.height) - top)
    return "\n".join(widget.render_line(y).text for y in lines)


def check(app: BriefingApp, svg: bool = False) -> str:
    """Assert nothing unsafe is on screen (or in any row of a list); return the screen text."""
    assert app.is_running and app._exception is None
    text = screen_text(app)
    assert_safe(text)
    for widget in app.screen.query(ScrollView):
        if widget.display and widget.size.area:
            assert_safe(full_text(widget), f"{type(widget).__name__} (every row)")
    if svg:
        assert_safe(app.export_screenshot(), "SVG screenshot")
    return text


def squeeze(text: str) -> str:
    """Text without whitespace and box drawing: wrapped rows compare with unwrapped lines."""
    return re.sub(r"[\s\u2500-\u259f]+", "", text)


def run(target: Path, *bodies: Body, size: tuple[int, int] = (120, 36)) -> None:
    """Open target in the reader headlessly, wait for the load, run the bodies."""
    run_reader(target, *bodies, size=size)


def validate_lines(path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """`briefing validate path`: its diagnostic lines (the summary line dropped)."""
    capsys.readouterr()
    main(["validate", str(path)])
    out, _err = capsys.readouterr()
    return out.splitlines()[:-1]


def assert_error_screen(app: BriefingApp, path: Path, expected: list[str]) -> None:
    """The error screen of path, with exactly validate's diagnostics, all of them on screen."""
    screen = app.screen
    assert isinstance(screen, ErrorScreen), f"{path.name}: on {type(screen).__name__}"
    assert expected, f"{path.name}: validate found no error"
    errors = screen.query_one("#errors", OptionList)
    shown = [errors.get_option_at_index(i).prompt.plain for i in range(errors.option_count)]
    # The screen lists the errors first, each kind in validate's order.
    assert shown == sorted(expected, key=lambda line: ": error: " not in line)
    text = check(app)
    count = sum(": error: " in line for line in expected)
    assert clean(f"{path.name} is not a valid briefing: {count} error") in text
    rows = squeeze(full_text(errors))
    for line in expected:
        assert squeeze(line) in rows


# --- the corpus of tests/hostile/, and generated cases -------------------------------------


def corpus_case(tmp_path: Path, name: str, briefing: bytes, source: str | bytes) -> Path:
    folder = tmp_path / f"case-{len(list(tmp_path.iterdir()))}"
    (folder / "briefings").mkdir(parents=True)
    (folder / "seeds").mkdir()
    target = folder / "seeds" / "source.txt"
    if isinstance(source, bytes):
        target.write_bytes(source)
    else:
        target.write_text(source, encoding="utf-8", newline="")
    path = folder / "briefings" / name
    path.write_bytes(briefing)
    return path


def generated_cases(tmp_path: Path) -> list[Path]:
    """Refused briefings whose messages quote hostile text: the source, a name, a key."""
    source = (
        "Title \x1b]0;pwned\x07line\n\n"
        "Alice met Bob\x1b]52;c;aGk=\x07 in Paris\x9b2J on\u202e Monday [bold]x[/bold].\x00\n\n"
        "Bob sold 3 tanks to Alice.\n"
    )
    closest = minimal_yaml(source).replace(
        "quote: Alice met Bob}", "quote: Alice met Bob in Paris on Monday}"
    )
    markup_quote = minimal_yaml().replace(
        "quote: Bob in Paris}", 'quote: "[@click=app.quit]Bob[/] [/bold] $accent"}'
    )
    key = "\x1b" + "k" * 100_000
    huge_key = minimal_yaml(body=f'? "\\e{key[1:]}"\n: 1\n? "\\e{key[1:]}"\n: 2\n')
    return [
        corpus_case(tmp_path, "closest-passage.yaml", closest.encode(), source),
        corpus_case(
            tmp_path, "markup-in-missing-quote.yaml", markup_quote.encode(), MINIMAL_SOURCE
        ),
        corpus_case(
            tmp_path,
            "\x1b]0;pwned\x07\u202e\x9b[bold]x [@click=app.quit]q.yaml",
            b"- not a mapping\n",
            MINIMAL_SOURCE,
        ),
        corpus_case(tmp_path, "huge-key.yaml", huge_key.encode(), MINIMAL_SOURCE),
    ]


def test_every_hostile_file_in_the_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every file on the screen the reader picks for it, in one app.

    The first file is opened by BriefingApp(path) itself; the others are loaded as the
    briefing screen's worker loads them and their screen is pushed over the last one (never
    popped: showing the screen below again costs a render). Starting an app per file costs
    some 0.35 s and a briefing screen that switches to the error screen twice a plain error
    screen, so a few files go the whole way, each in a fresh app, in the test below.
    """
    cases = [
        corpus_case(
            tmp_path,
            path.name,
            path.read_bytes(),
            BOM_CRLF_SOURCE if "source" in path.name else MINIMAL_SOURCE,
        )
        for path in sorted(HOSTILE.glob("*.yaml"))
    ]
    cases += generated_cases(tmp_path)
    expected = {path: validate_lines(path, capsys) for path in cases}
    seen: dict[str, str] = {}

    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        for n, path in enumerate(cases):
            if n:
                try:
                    loaded = load_briefing(path)
                except BriefingError as error:
                    await app.push_screen(ErrorScreen(path, error.diagnostics))
                else:
                    await app.push_screen(BriefingScreen(path, loaded))
                await pilot.pause()
            if path.name.startswith("valid-"):
                assert expected[path] == [], path.name
                assert isinstance(app.screen, BriefingScreen), path.name
                text = check(app)
                title = clean(load_briefing(path).briefing.title)
                assert title[:40] in text, path.name
            else:
                assert_error_screen(app, path, expected[path])
            seen[path.name] = screen_text(app)

    run(cases[0], body, size=(120, 30))
    assert len(seen) == len(cases) == 56
    # Hostile text quoted back in messages is shown as visible characters. Compared without
    # whitespace: a diagnostic starts with the file's absolute path, so where its message
    # wraps on screen depends on the temporary folder's length.
    everything = squeeze("".join(seen.values()))
    for name, needle in [
        ("closest-passage.yaml", "closest passage is paragraph 2"),
        ("closest-passage.yaml", "␛]52;c;aGk=␇"),
        ("markup-in-missing-quote.yaml", "[@click=app.quit]Bob[/] [/bold] $accent"),
        ("huge-key.yaml", "duplicate key '\\x1bkkk"),
        ("osc0-title-in-key.yaml", "unknown field '\\x1b]0;pwned\\x07"),
        ("valid-osc52-title.yaml", "␛]52;c;aGVsbG8=␇\ufffd2J␡␀ Test"),
        ("valid-bidi-zero-width-title.yaml", "⌧Test⌧ ⌧briefing⌧⌧"),
    ]:
        assert squeeze(needle) in squeeze(seen[name]), (name, needle)
    assert squeeze("␛]0;pwned␇⌧\ufffd[bold]x [@click=app.quit]q.yaml is not a valid briefing") in (
        everything
    )


@pytest.mark.parametrize(
    "name",
    ["osc52-in-id.yaml", "raw-esc-byte.yaml", "invalid-utf8.yaml", "valid-osc52-title.yaml"],
)
def test_hostile_file_opened_by_a_fresh_app(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = corpus_case(tmp_path, name, (HOSTILE / name).read_bytes(), MINIMAL_SOURCE)
    expected = validate_lines(path, capsys)

    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        if name.startswith("valid-"):
            assert isinstance(app.screen, BriefingScreen)
            check(app, svg=True)
        else:
            assert_error_screen(app, path, expected)
            assert_safe(app.export_screenshot(), "SVG screenshot")
            await pilot.press("j", "k", "escape")  # escape on the first screen stays
            assert isinstance(app.screen, ErrorScreen)

    run(path, body, size=(80, 24))


# --- valid briefings with hostile text in every displayed field -----------------------------

MARKUP = "[bold]x[/bold] [@click=app.quit]CLICK[/] [link=https://x]l[/link] $accent [/bold]"
CONTROL = "\x1b[2J\x1b]52;c;aGk=\x07\x1b]0;pwned\x07\x9b2J\x9d0;t\x9c\x00\x7f\x08\x0e\x0f\x85"
FORMAT = "\u202eevil\u202c \u2066x\u2069 zero\u200bwidth\u200d\u2060\ufeff\u00ad"
TEXT = "中文 😀 e\u0301 Z\u0337\u031ba \ttab"


def hostile(tag: str) -> str:
    """A hostile value led by a tag saying where it belongs."""
    return f"{tag} {MARKUP} {CONTROL} {FORMAT} {TEXT}"


def q(text: str) -> str:
    """A YAML double-quoted scalar: control and invisible characters escaped, the rest raw."""
    out = []
    for character in text:
        code = ord(character)
        if character in '"\\':
            out.append("\\" + character)
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        elif code in (0xFEFF, 0xFFFE, 0xFFFF, 0x2028, 0x2029) or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")  # not printable in YAML, or a line break to it
        else:
            out.append(character)
    return '"' + "".join(out) + '"'


# Quotes are unique by their tag; each names its paragraph as well.
PARAGRAPHS = [
    "Title " + hostile("P1"),
    "Alice met Bob " + hostile("P2") + " in Paris on Monday.",
    "Bob sold 3 tanks to Alice " + hostile("P3") + ".",
    "They agreed " + hostile("P4") + " in 2014.",
    "A drill " + hostile("P5") + " was held.",
    "An event " + hostile("P6") + " took place.",
    "Alice said " + hostile("P7") + ".",
]
HOSTILE_SOURCE = "\n\n".join(PARAGRAPHS) + "\n"


def anchor(paragraph: int) -> str:
    return f"{{paragraph: {paragraph}, quote: {q(hostile(f'P{paragraph}'))}}}"


def hostile_briefing(source: str = HOSTILE_SOURCE, briefing_id: str = "hostile") -> str:
    digest = hashlib.sha256(source.encode()).hexdigest()
    notes = q(hostile("NOTES") + " carriage\rreturn, form\x0cfeed")
    return f"""schema: 1
id: {briefing_id}
title: {q(hostile("TITLE"))}
summary: {q(hostile("SUMMARY"))}
sources:
  - id: src
    path: ../seeds/source.txt
    sha256: {digest}
    title: {q(hostile("SOURCE"))}
    outlet: {q(hostile("OUTLET"))}
    language: en
    reliability: C
    reliability_basis: {q(hostile("BASIS"))}
parties:
  - id: alice
    kind: person
    name: {q(hostile("NAME"))}
    aliases: [{q(hostile("ALIAS"))}]
    role: {q(hostile("ROLE"))}
    notes: {notes}
    inferred: {{role: {q(hostile("INFERRED"))}}}
    confidence: high
    evidence: [{anchor(2)}]
  - id: bob
    kind: organisation
    name: Bob
    confidence: moderate
    evidence: [{anchor(3)}]
agreements:
  - id: pact
    title: {q(hostile("AGREEMENT"))}
    parties: [alice, bob]
    status: agreed
    date: {{value: "2014", reported: "中文", inferred: true, basis: {q(hostile("BASIS"))}}}
    terms: {q(hostile("TERMS"))}
    confidence: high
    evidence: [{anchor(4)}]
drills:
  - id: drill
    name: {q(hostile("DRILL"))}
    location: {q(hostile("LOCATION"))}
    date: {{value: "2014-08", inferred: true, basis: {q(hostile("DATEBASIS"))}}}
    participants: [alice, bob]
    contributions:
      - party: alice
        equipment: {q(hostile("EQUIPMENT"))}
        designation: {q(hostile("DESIGNATION"))}
        quantity: {{value: null, qualifier: unknown, unit: {q(hostile("UNIT"))}, reported: "中文"}}
    confidence: low
    evidence: [{anchor(5)}]
arms_sales:
  - id: sale
    title: {q(hostile("SALE"))}
    supplier: bob
    recipient_reported: {q("😀")}
    items:
      - equipment: {q(hostile("ITEM"))}
    value: {{value: 7700000000, currency: USD, reported: {q("[bold]x[/bold]")}, inferred: true,
             basis: {q(hostile("MONEYBASIS"))}}}
    status: delivered
    confidence: moderate
    evidence: [{anchor(3)}]
events:
  - id: meeting
    kind: meeting
    title: {q(hostile("EVENT"))}
    status: held
    date: {{value: "2014-11-05", reported: {q("$accent")}, inferred: true, basis: x}}
    location: {q(hostile("WHERE"))}
    participants: [alice, bob]
    confidence: high
    evidence: [{anchor(6)}]
statements:
  - id: says
    speaker: alice
    mode: paraphrase
    text: {q(hostile("SAYS"))}
    about: [pact, meeting]
    attributed_to: bob
    confidence: high
    evidence: [{anchor(7)}, {anchor(2)}]
"""


def hostile_project(tmp_path: Path) -> Path:
    (tmp_path / "briefings").mkdir(exist_ok=True)
    (tmp_path / "seeds").mkdir(exist_ok=True)
    (tmp_path / "seeds" / "source.txt").write_text(HOSTILE_SOURCE, encoding="utf-8", newline="")
    path = tmp_path / "briefings" / "hostile.yaml"
    path.write_text(hostile_briefing(), encoding="utf-8")
    return path


def test_hostile_briefing_is_valid_and_keeps_its_text_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile_project(tmp_path)
    assert validate_lines(path, capsys) == []
    loaded = load_briefing(path)
    assert loaded.briefing.title == hostile("TITLE")
    for item_id, evidence in loaded.evidence.items():
        for found in evidence:
            assert found.span is not None, item_id
            text = loaded.sources["src"].paragraphs[found.span.paragraph - 1].text
            assert text[found.span.start : found.span.end] == found.anchor.quote
            assert "\x1b]52;c;aGk=\x07" in found.anchor.quote


def on_screen(text: str, *fragments: str) -> None:
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} is not on screen:\n{text}"


async def click_on(app: BriefingApp, pilot: Pilot, fragment: str) -> bool:  # type: ignore[type-arg]
    """Click the first place a fragment is drawn; whether it was found."""
    for y, line in enumerate(screen_lines(app)):
        at = line.find(fragment)
        if at >= 0:
            await pilot.click(offset=(cell_len(line[:at]) + 3, y))
            await pilot.pause()
            return True
    return False


async def still_running(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
    await pilot.pause()
    assert app.is_running and not app._exit and app.return_code is None


async def navigate(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
    screen = app.screen
    assert isinstance(screen, BriefingScreen) and screen.loaded is not None
    text = check(app, svg=True)
    # Markup shown literally: header (title, outlet), outline, detail, source.
    on_screen(text, "TITLE [bold]x[/bold] [@click=app.quit]CLICK[/]")
    on_screen(text, "NAME [bold]x[/bold]", "$accent", "␛]52;c;aGk=␇␛]0;pwned␇\ufffd2J")
    on_screen(text, "⌧evil⌧ ⌧x⌧", "zero⌧width⌧⌧⌧⌧", "中文 😀")  # a line may wrap between
    on_screen(text, "P2 [bold]x[/bold]")  # the source, at the quote

    # [@click=app.quit] is text, not an action.
    assert await click_on(app, pilot, "[@click=app.quit]")
    assert await click_on(app, pilot, "[link=https://x]")
    await still_running(app, pilot)

    # Every section, and the rows in it.
    wanted = {
        1: ("NAME [bold]x", "ALIAS [bold]x", "ROLE [bold]x", "NOTES [bold]x", "INFERRED [bold]x"),
        2: ("AGREEMENT [bold]x", "TERMS [bold]x"),
        3: ("DRILL [bold]x", "LOCATION [bold]x", "EQUIPMENT [bold]x", "DESIGNATION [bold]x"),
        4: ("SALE [bold]x", "ITEM [bold]x", "US$7.7 billion", "as reported: “[bold]x[/bold]”"),
        5: ("EVENT [bold]x", "WHERE [bold]x", "as reported: “$accent”"),
        6: ("SAYS [bold]x", "Claimed by"),
        7: ("Timeline",),
    }
    for section, fragments in wanted.items():
        await pilot.press(str(section))
        await pilot.pause()
        text = check(app)
        # Long values wrap in the detail pane: look for each in its rows.
        shown = squeeze(text + full_text(screen.query_one(Detail)))
        for fragment in fragments:
            assert squeeze(fragment) in shown, f"section {section}: {fragment!r}"
        await pilot.press("j")
        check(app)

    # Detail: down its rows, follow a link, back.
    await pilot.press("6", "tab")
    assert isinstance(app.focused, Detail)
    for _ in range(3):
        await pilot.press("j")
        check(app)
    await pilot.press("enter")
    await pilot.pause()
    check(app)
    await pilot.press("backspace", "]", "]", "[")
    await pilot.pause()
    check(app)

    # Source: every paragraph, what cites it, and follow it.
    await pilot.press("tab")
    assert isinstance(app.focused, SourceView)
    await pilot.press("g")
    for _ in range(3):
        await pilot.press("j")
        check(app)
    await pilot.press("G", "pageup", "k", "enter")
    await pilot.pause()
    check(app)

    # Zoom, theme.
    await pilot.press("z")
    check(app)
    await pilot.press("z", "t")
    check(app)
    await pilot.press("escape")


async def search_and_copy(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
    screen = app.screen
    assert isinstance(screen, BriefingScreen)
    # Typed (a few keys) and pasted (the rest: a key costs a frame).
    await pilot.press("1", "slash", *"[bo")
    search = screen.query_one("#search", Input)
    search.insert_text_at_cursor("ld]x[/bold]")
    await pilot.pause()
    assert search.value == "[bold]x[/bold]"
    text = check(app)
    await pilot.press("enter")
    await pilot.pause()
    text = check(app)
    on_screen(text, "/[bold]x[/bold]: hit 1 of")
    assert len(screen.hits) > 10
    for key in ("n", "n", "N", "N", "N"):  # item hits, and back round to source hits
        await pilot.press(key)
        check(app)
    # A search for the hostile text itself finds it in the source (the needle is raw).
    screen.search(CONTROL)
    await pilot.pause()
    text = check(app)
    assert screen.hits and any(hit.item is None for hit in screen.hits)
    on_screen(text, "/␛[2J␛]52;c;aGk=␇␛]0;pwned␇")
    await pilot.press("escape")

    # y copies the quote with its citation, cleaned, markup literal.
    await pilot.press("1")
    await pilot.pause()
    await pilot.press("y")
    await pilot.pause()
    copied = app.clipboard
    assert_safe(copied, "clipboard")
    assert copied.startswith("“P2 [bold]x[/bold] [@click=app.quit]CLICK[/]")
    assert "␛]52;c;aGk=␇" in copied and copied.endswith(", paragraph 2)")
    assert "SOURCE [bold]x[/bold]" in copied
    check(app)
    await pilot.press("6", "]", "y")
    await pilot.pause()
    assert_safe(app.clipboard, "clipboard")
    assert app.clipboard.startswith("“P2 ") or app.clipboard.startswith("“P7 ")


async def help_and_palette(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    check(app)
    await pilot.press("escape")
    await pilot.pause()

    # The command palette: item labels as plain text, the fuzzy highlight included.
    await pilot.press("ctrl+p")
    await pilot.pause(0.2)
    text = check(app)
    await pilot.press(*"says")
    await app.workers.wait_for_complete()
    await pilot.pause(0.3)
    text = check(app)
    on_screen(text, "Statement: SAYS [bold]x[/bold] [@click=app.quit]CLICK[/]")
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, BriefingScreen) and screen.place is not None
    assert screen.place.item == "says"
    check(app)
    await pilot.press("ctrl+p", *"[/b")
    await app.workers.wait_for_complete()
    await pilot.pause(0.3)
    check(app)
    await pilot.press("escape")
    await still_running(app, pilot)


def test_hostile_briefing_in_the_reader(tmp_path: Path) -> None:
    run(hostile_project(tmp_path), navigate, search_and_copy, help_and_palette, still_running)


def test_hostile_briefing_on_a_small_terminal(tmp_path: Path) -> None:
    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        text = check(app, svg=True)
        on_screen(text, "TITLE [bold]x[/bold]")
        for key in "1234567":
            await pilot.press(key, "j")
            check(app)
        await pilot.press("tab", "tab", "j", "j", "z")
        check(app)

    run(hostile_project(tmp_path), body, size=(80, 24))


def test_library_with_hostile_names_and_titles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = hostile_project(tmp_path).parent
    (folder / "hostile.yaml").rename(folder / "\x1b]0;pwned\x07\u202e[bold]x.yaml")
    hostile_name = "\x9b\u200b[@click=app.quit]q [bold]\x1b[2J.yaml"
    shutil.copyfile(HOSTILE / "osc0-title-in-key.yaml", folder / hostile_name)
    (folder / "z-markup-error.yaml").write_text(
        minimal_yaml(HOSTILE_SOURCE).replace("title: Test briefing", f"title: {q(MARKUP)}")
        + "kind: [/bold]\n",
        encoding="utf-8",
    )
    expected = {path.name: validate_lines(path, capsys) for path in folder.iterdir()}

    async def body(app: BriefingApp, pilot: Pilot) -> None:  # type: ignore[type-arg]
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert screen.query_one(DataTable).row_count == 3
        text = check(app, svg=True)
        on_screen(text, "TITLE [bold]x[/bold] [@click=app.quit]CLICK[/]", "OUTLET [bold]x")
        on_screen(text, "\ufffd⌧[@click=app.quit]q [bold]␛[2J.yaml")  # a file name, cleaned
        on_screen(text, "unknown field '\\x1b]0;pwned\\x07")  # the first error of a bad file
        on_screen(text, "unknown field 'kind'")
        # A click on a row may open it (DataTable selects a clicked row): come back.
        assert await click_on(app, pilot, "[@click=app.quit]")
        await still_running(app, pilot)
        check(app)
        if app.screen is not screen:
            await pilot.press("escape")
            await pilot.pause()
        assert app.screen is screen
        screen.query_one(DataTable).focus()

        # Filter with markup typed in.
        await pilot.press(*"[bold")
        await pilot.pause()
        text = check(app)
        assert screen.query_one("#filter", Input).value == "[bold"
        on_screen(text, "[bold")
        assert screen.query_one(DataTable).row_count == 2, text
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one(DataTable).row_count == 3

        # Open each row: the invalid ones on the error screen with validate's diagnostics.
        table = screen.query_one(DataTable)
        opened = set()
        for row in range(table.row_count):
            table.move_cursor(row=row)
            table.focus()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown = app.screen
            assert isinstance(shown, ErrorScreen | BriefingScreen)
            opened.add(shown.path.name)
            if isinstance(shown, ErrorScreen):
                assert_error_screen(app, shown.path, expected[shown.path.name])
            else:
                text = check(app)
                on_screen(text, "TITLE [bold]x[/bold]")
                await pilot.press("3", "j", "tab")
                check(app)
            await pilot.press("escape", "escape")
            await pilot.pause()
            assert app.screen is screen
        assert opened == set(expected)
        await still_running(app, pilot)

    run(folder, body, size=(160, 48))
