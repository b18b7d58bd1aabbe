"""Hostile input at the loader and `briefing validate` level.

Every briefing and source comes from anyone. For each hostile file, `briefing validate` must
exit 1 quickly with one `file:line:col: error: ...` line per problem, print nothing a terminal
would act on (ESC, C1, BEL, bidi...), never show a traceback, and write nothing.
The small files live in tests/hostile/; big or special ones (FIFOs, devices, 100 MB files,
symlinks, unreadable files) are made in tmp dirs here.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from tests.conftest import MINIMAL_SOURCE, ROOT, minimal_yaml
from tui import files, strict_yaml
from tui.cli import main
from tui.loader import BriefingError, load_briefing, parse_briefing
from tui.safe_text import clean

T = TypeVar("T")

HOSTILE = Path(__file__).parent / "hostile"

# What a terminal may act on or hide: C0 but tab/newline, DEL, C1, surrogates, bidi controls,
# zero-width and other invisible format characters.
TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u00ad\u061c\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\ufeff\U000e0000-\U000e007f]"
)
DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (.+)$")
SUMMARY = re.compile(r"^\d+ files? checked, ")


def assert_terminal_safe(text: str) -> None:
    found = TERMINAL_UNSAFE.search(text)
    assert found is None, f"unsafe U+{ord(found.group()):04X} reaches the terminal: {text!r}"


@pytest.fixture(autouse=True, scope="module")
def project_untouched() -> Iterator[None]:
    """Nothing here may write into the project's briefings/ or seeds/."""

    def snapshot() -> dict[str, tuple[int, int]]:
        found: dict[str, tuple[int, int]] = {}
        for folder in (ROOT / "briefings", ROOT / "seeds"):
            if folder.is_dir():
                for path in folder.rglob("*"):
                    info = path.lstat()
                    found[str(path)] = (info.st_size, info.st_mtime_ns)
        return found

    before = snapshot()
    yield
    assert snapshot() == before


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail instead of hanging forever (a FIFO opened for reading blocks)."""

    def hung(_signum: int, _frame: object) -> None:
        raise TimeoutError("the loader blocked")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def project(tmp_path: Path, briefing: str | bytes, source: str | bytes = MINIMAL_SOURCE) -> Path:
    (tmp_path / "briefings").mkdir(exist_ok=True)
    (tmp_path / "seeds").mkdir(exist_ok=True)
    target = tmp_path / "seeds" / "source.txt"
    if isinstance(source, bytes):
        target.write_bytes(source)
    else:
        target.write_text(source, encoding="utf-8", newline="")
    path = tmp_path / "briefings" / "test.yaml"
    if isinstance(briefing, bytes):
        path.write_bytes(briefing)
    else:
        path.write_text(briefing, encoding="utf-8", newline="")
    return path


def counted(run: Callable[[], T]) -> tuple[T, int]:
    """What run returns, and the work it took: the Python and C functions it called.

    Counted, not timed: the count is the same on a fast machine, a slow one and a busy one.
    The YAML parser reads its text through a Python feed a piece at a time, so reading far
    into a huge file counts too.
    """
    calls = 0

    def count(_frame: object, event: str, _arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        result = run()
    finally:
        sys.setprofile(None)
    return result, calls


def validate(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, list[str], int]:
    """Run `briefing validate path`; the exit code, the diagnostic lines, the work it took."""
    valid_work()  # first: its warm-up run does the lazy imports, which are not this file's work
    code, calls = counted(lambda: main(["validate", str(path)]))
    out, err = capsys.readouterr()
    assert_terminal_safe(out)
    assert_terminal_safe(err)
    assert "Traceback" not in out + err
    lines = out.splitlines()
    assert lines and SUMMARY.match(lines[-1]), out
    diagnostics = lines[:-1]
    for line in diagnostics:
        assert DIAGNOSTIC.match(line), line
    return code, diagnostics, calls


@functools.cache
def valid_work() -> int:
    """The work of validating the minimal valid briefing, imports and caches warmed."""
    with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(io.StringIO()):
        path = project(Path(folder), minimal_yaml())
        main(["validate", str(path)])
        return counted(lambda: main(["validate", str(path)]))[1]


def cheap(calls: int) -> bool:
    """No more work than a few times validating the minimal valid briefing takes."""
    return calls <= 4 * valid_work()


def positions(lines: list[str]) -> list[tuple[int, int]]:
    return [(int(m["line"]), int(m["col"])) for m in map(DIAGNOSTIC.match, lines) if m]


def refused(capsys: pytest.CaptureFixture[str], path: Path, *expected: tuple[int, int, str]) -> str:
    """Assert validate exits 1 fast with exactly these errors; return the output."""
    code, lines, work = validate(capsys, path)
    assert code == 1, lines
    assert cheap(work), f"{work:,} calls against {valid_work():,} for a valid briefing"
    assert len(lines) == len(expected), lines
    for line, (row, column, fragment) in zip(lines, expected, strict=True):
        match = DIAGNOSTIC.match(line)
        assert match is not None
        assert (int(match["line"]), int(match["col"]), match["sev"]) == (row, column, "error"), line
        assert fragment in line, line
    return "\n".join(lines)


# --- the corpus in tests/hostile/ -----------------------------------------------------------

REFUSED: dict[str, list[tuple[int, int, str]]] = {
    # terminal control through double-quoted escapes, quoted back in messages
    "osc52-in-id.yaml": [(2, 5, "is not a valid id")],
    "osc0-title-in-key.yaml": [(25, 1, "unknown field '\\x1b]0;pwned\\x07\\x1b]2;pwned")],
    "c1-csi-osc-in-key.yaml": [(25, 1, "unknown field '\\x9b31m\\x9d0;pwned\\x9c'")],
    "osc8-link-in-quote.yaml": [(18, 31, 'quote "␛]8;;https://evil.example/␛')],
    "dcs-in-country.yaml": [(16, 14, "is not a valid country")],
    "bel-bs-cr-in-kind.yaml": [(14, 11, "is not allowed; expected")],
    "csi-clear-in-duplicate-key.yaml": [(26, 1, "duplicate key '\\x1b[2J\\x1b[H'")],
    # raw control bytes in the YAML text itself
    "raw-esc-byte.yaml": [(3, 13, "character U+001B is not allowed")],
    "raw-c1-byte.yaml": [(3, 13, "character U+009B is not allowed")],
    "raw-del-byte.yaml": [(3, 13, "character U+007F is not allowed")],
    "raw-nul-byte.yaml": [(3, 13, "character U+0000 is not allowed")],
    # unicode
    "bidi-in-id.yaml": [(2, 5, "is not a valid id")],
    "zero-width-in-key.yaml": [
        (1, 1, "missing required field 'title'"),
        (3, 1, "did you mean 'title'?"),
    ],
    "invalid-utf8.yaml": [(3, 13, "not UTF-8: byte 0xFF")],
    "lone-surrogate-escape.yaml": [(3, 16, "invalid Unicode character escape")],
    "lone-surrogate-escape-in-key.yaml": [(25, 4, "invalid Unicode character escape")],
    # YAML
    "billion-laughs.yaml": [(1, 4, "anchors (&a) are not allowed")],
    "alias-in-briefing.yaml": [(14, 11, "anchors (&kind) are not allowed")],
    "duplicate-key.yaml": [(25, 1, "duplicate key 'title' (first at line 3, column 1)")],
    "duplicate-nested-key.yaml": [(16, 5, "duplicate key 'name' (first at line 15, column 5)")],
    "merge-key.yaml": [(25, 1, "merge keys (<<) are not allowed")],
    "python-tag.yaml": [(25, 6, "python/object/apply:os.system' are not allowed")],
    "python-tag-root.yaml": [(1, 1, "python/object/apply:os.system' are not allowed")],
    "unknown-tag.yaml": [(3, 8, "tags such as '!secret' are not allowed")],
    "str-tag.yaml": [(3, 8, "tags such as 'tag:yaml.org,2002:str' are not allowed")],
    "impossible-date.yaml": [(26, 85, "'2014-02-30' is not a real calendar date")],
    "huge-integer.yaml": [(1, 9, "is not a version this reader knows")],
    "infinite-float.yaml": [(1, 9, "schema '1e999' is not a version")],
    "root-list.yaml": [(1, 1, "a briefing is a mapping of fields, not a list")],
    "root-scalar.yaml": [(1, 1, "not a single value")],
    "empty.yaml": [(1, 1, "the file is empty")],
    "only-comments.yaml": [(1, 1, "the file is empty")],
    "multi-document.yaml": [(25, 1, "holds one YAML document")],
    "unclosed-flow.yaml": [(4, 8, "YAML syntax")],
    "bad-indent.yaml": [(16, 3, "YAML syntax")],
    "non-text-key.yaml": [(25, 1, "keys must be plain text, not a list")],
    # paths
    "path-absolute.yaml": [(7, 11, "source path '/etc/passwd' is absolute")],
    "path-climbs-out.yaml": [(7, 11, "leads outside the briefing's tree")],
    "path-device.yaml": [(7, 11, "'/dev/zero' is absolute")],
    "path-directory.yaml": [(7, 11, "is a directory")],
    "path-missing.yaml": [(7, 11, "'../seeds/nothing.txt' does not exist")],
    "path-nul.yaml": [(7, 11, "contains a NUL character")],
    "path-osc-in-name.yaml": [(7, 11, "does not exist")],
}

VALID = sorted(p.name for p in HOSTILE.glob("valid-*.yaml"))


def test_every_hostile_file_has_an_expectation() -> None:
    on_disk = {p.name for p in HOSTILE.glob("*.yaml")}
    assert on_disk == set(REFUSED) | set(VALID)


def copy_in(tmp_path: Path, name: str, source: str | bytes = MINIMAL_SOURCE) -> Path:
    path = project(tmp_path, b"", source)
    shutil.copyfile(HOSTILE / name, path)
    return path


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_briefing_is_refused(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(capsys, copy_in(tmp_path, name), *REFUSED[name])


def test_python_tag_runs_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "pwned"
    text = minimal_yaml(body=f"run: !!python/object/apply:os.system ['touch {marker}']\n")
    refused(capsys, project(tmp_path, text), (25, 6, "are not allowed"))
    assert not marker.exists()


BOM_CRLF_SOURCE = "\ufeffTitle line\r\n\r\nAlice met Bob in Paris on Monday.\r\n\r\nBob sold 3 tanks to Alice.\r\n"


@pytest.mark.parametrize("name", VALID)
def test_hostile_but_valid_briefing_loads_clean_output(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = BOM_CRLF_SOURCE if "source" in name else MINIMAL_SOURCE
    path = copy_in(tmp_path, name, source)
    code, lines, work = validate(capsys, path)
    assert (code, lines) == (0, [])
    assert cheap(work), f"{work:,} calls against {valid_work():,} for a valid briefing"
    loaded = load_briefing(path)
    assert [p.text for p in loaded.sources["src"].paragraphs] == [
        "Title line",
        "Alice met Bob in Paris on Monday.",
        "Bob sold 3 tanks to Alice.",
    ]


def test_models_keep_the_raw_text_and_display_cleans_it(tmp_path: Path) -> None:
    briefing = load_briefing(copy_in(tmp_path, "valid-osc52-title.yaml")).briefing
    raw = "\x1b]52;c;aGVsbG8=\x07\x9b2J\x7f\x00 Test"
    assert briefing.title == raw
    assert clean(briefing.title) == "␛]52;c;aGVsbG8=␇\ufffd2J␡␀ Test"
    assert len(clean(briefing.title)) == len(raw)

    title = load_briefing(copy_in(tmp_path, "valid-bidi-zero-width-title.yaml")).briefing.title
    assert title == "\u202eTest\u2066 \u200bbriefing\u2069\ufeff"
    assert clean(title) == "⌧Test⌧ ⌧briefing⌧⌧"


def test_cjk_emoji_combining_survive_untouched(tmp_path: Path) -> None:
    title = load_briefing(copy_in(tmp_path, "valid-cjk-emoji-combining.yaml")).briefing.title
    assert title.startswith("中俄军事合作 👨")
    assert "Z̷̛a̴l̸g̵o" in title and "\t" in title
    assert clean(title).startswith("中俄军事合作 👨⌧👩⌧👧 Z̷̛a̴l̸g̵o")  # joiners shown
    assert len(clean(title)) == len(title)


def test_yaml_1_1_scalars_stay_strings(tmp_path: Path) -> None:
    briefing = load_briefing(copy_in(tmp_path, "valid-yaml11-scalars.yaml")).briefing
    alice, bob = briefing.parties
    assert briefing.title == "yes"
    assert alice.country == "NO" and alice.role == "on"
    assert bob.role == "010"
    assert bob.aliases == ["1:30", "0x1F", "off", "2014-11-05"]


def test_nul_in_a_double_quoted_value_is_kept_raw(tmp_path: Path) -> None:
    briefing = load_briefing(copy_in(tmp_path, "valid-nul-escape.yaml")).briefing
    assert briefing.title == "Test \x00 briefing"
    assert clean(briefing.title) == "Test ␀ briefing"


# --- line ends, BOMs and control characters in the source -----------------------------------

PARAGRAPHS = ["Title line", "Alice met Bob in Paris on Monday.", "Bob sold 3 tanks to Alice."]


@pytest.mark.parametrize(
    "source",
    [
        MINIMAL_SOURCE,
        MINIMAL_SOURCE.replace("\n", "\r\n"),
        MINIMAL_SOURCE.replace("\n", "\r"),
        "\ufeff" + MINIMAL_SOURCE.replace("\n", "\r\n"),
        MINIMAL_SOURCE.replace("\n\n", "\n \t \n"),
    ],
    ids=["lf", "crlf", "lone-cr", "bom-crlf", "blank-lines-with-spaces-and-tabs"],
)
def test_source_line_ends_split_paragraphs_the_same(tmp_path: Path, source: str) -> None:
    loaded = load_briefing(project(tmp_path, minimal_yaml(source), source))
    assert [p.text for p in loaded.sources["src"].paragraphs] == PARAGRAPHS
    assert loaded.diagnostics == []


def test_terminal_control_in_the_source_is_kept_raw_and_printed_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "Title \x1b]0;pwned\x07line\n\n"
        "Alice met Bob\x1b]52;c;aGk=\x07 in Paris\x9b2J on\u202e Monday.\x00\x08\x08\r\n\n"
        "Bob sold 3 tanks to Alice.\n"
    )
    text = minimal_yaml(source).replace(
        "quote: Bob in Paris}", 'quote: "Bob\\e]52;c;aGk=\\a in Paris"}'
    )
    path = project(tmp_path, text, source)
    loaded = load_briefing(path)
    paragraph = loaded.sources["src"].paragraph(2).text
    assert "\x1b]52;c;aGk=\x07" in paragraph and "\x9b" in paragraph
    # A quote that misses: the closest passage, control characters and all, is quoted back.
    missing = text.replace("quote: Alice met Bob}", "quote: Alice met Bob in Paris}")
    path.write_text(missing, encoding="utf-8")
    output = refused(capsys, path, (18, 31, "closest passage is paragraph 2"))
    assert "␛]52;c;aGk=␇" in output


def test_source_with_invalid_utf8_or_nul(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = MINIMAL_SOURCE.encode().replace(b"Monday", b"Mon\xffday")
    refused(capsys, project(tmp_path, minimal_yaml(), raw), (7, 11, "source is not UTF-8"))
    with_nul = MINIMAL_SOURCE.replace("Monday", "Mon\x00day")
    loaded = load_briefing(project(tmp_path, minimal_yaml(with_nul), with_nul))
    assert "\x00" in loaded.sources["src"].text


def test_hostile_file_name_is_printed_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project(tmp_path, "", MINIMAL_SOURCE)
    folder = tmp_path / "briefings"
    (folder / "test.yaml").unlink()
    (folder / "\x1b]0;pwned\x07\u202e\x9b.yaml").write_text("- not a mapping\n")
    code, lines, _ = validate(capsys, folder)
    assert code == 1 and len(lines) == 1
    assert "␛]0;pwned␇⌧\ufffd.yaml:1:1: error:" in lines[0]


# --- big and deep YAML ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a: " + "[" * 10_000 + "]" * 10_000 + "\n", "YAML syntax"),
        ("a: " + "{a: " * 10_000 + "}" * 10_000 + "\n", "nesting deeper than 40 levels"),
        ("- " * 10_000 + "x\n", "nesting deeper than 40 levels"),
        ("a:\n" + "- " * 10_000 + "x\n", "not a list"),  # lists in a section: the first refused
        ("".join(" " * i + "a:\n" for i in range(10_000)), "nesting deeper than 40 levels"),
    ],
    ids=["flow-lists", "flow-maps", "block-lists", "section-of-lists", "block-maps-50MB"],
)
def test_ten_thousand_levels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, fragment: str
) -> None:
    code, lines, work = validate(capsys, project(tmp_path, text))
    assert code == 1 and len(lines) == 1 and fragment in lines[0]
    assert cheap(work), f"{work:,} calls against {valid_work():,} for a valid briefing"


def test_hundred_megabyte_briefing_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project(tmp_path, "")
    with path.open("r+b") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: costs no disk
    read = os.read

    def no_read(fd: int, n: int) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(files.os, "read", no_read)
    try:
        refused(capsys, path, (1, 1, "over the 67,108,864-byte limit"))
    finally:
        monkeypatch.setattr(files.os, "read", read)


def test_huge_scalar_is_refused_by_the_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Under strict_yaml.MAX_SPAN, so the schema (not the YAML cap) is what refuses it.
    text = minimal_yaml().replace("Alice and Bob met.", "x" * 500_000)
    refused(capsys, project(tmp_path, text), (4, 10, "at most 20000 characters"))


def test_too_many_nodes_stop_at_the_node_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real cap (4 million, for the 100,000-item benchmark) takes some 20 s to reach: test
    # the mechanism with a small one.
    monkeypatch.setattr(strict_yaml, "MAX_NODES", 1_000)
    text = minimal_yaml(body="extra:\n" + "- 1\n" * 3_000_000)  # 12 MB
    line = 26 + 1_000 - 60  # the minimal briefing holds 59 values, "extra" one more
    refused(capsys, project(tmp_path, text), (line, 3, "more than 1,000 values"))


def test_a_huge_key_is_clipped_in_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = "\x1b" + "k" * 1_000_000
    text = minimal_yaml(body=f'? "\\e{key[1:]}"\n: 1\n? "\\e{key[1:]}"\n: 2\n')
    output = refused(capsys, project(tmp_path, text), (27, 3, "duplicate key '\\x1bkkk"))
    assert len(output) < 300


def test_messages_quoting_huge_values_stay_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = minimal_yaml().replace("schema: 1", "schema: " + "9" * 1_000_000)
    output = refused(capsys, project(tmp_path, text), (1, 9, "is not a version"))
    assert len(output) < 1000


# --- source paths ---------------------------------------------------------------------------


def with_path(tmp_path: Path, source_path: str) -> Path:
    return project(tmp_path, minimal_yaml().replace("../seeds/source.txt", source_path))


def test_symlink_leading_out_of_the_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = with_path(tmp_path, "../seeds/link.txt")
    (tmp_path / "seeds" / "link.txt").symlink_to("/etc/passwd")
    refused(capsys, path, (7, 11, "leads outside the briefing's tree"))


def test_symlink_to_dev_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], alarm: None
) -> None:
    path = with_path(tmp_path, "../seeds/zero.txt")
    (tmp_path / "seeds" / "zero.txt").symlink_to("/dev/zero")
    refused(capsys, path, (7, 11, "leads outside the briefing's tree"))


def test_symlink_loop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = with_path(tmp_path, "../seeds/loop.txt")
    (tmp_path / "seeds" / "loop.txt").symlink_to("loop.txt")
    refused(capsys, path, (7, 11, "cannot be resolved"))


def test_symlink_inside_the_tree_is_followed(tmp_path: Path) -> None:
    path = with_path(tmp_path, "../seeds/link.txt")
    (tmp_path / "seeds" / "link.txt").symlink_to("source.txt")
    assert load_briefing(path).diagnostics == []


def test_fifo_source_does_not_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], alarm: None
) -> None:
    path = with_path(tmp_path, "../seeds/fifo.txt")
    os.mkfifo(tmp_path / "seeds" / "fifo.txt")
    refused(capsys, path, (7, 11, "is not a regular file"))


def test_fifo_briefing_does_not_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], alarm: None
) -> None:
    fifo = tmp_path / "briefing.yaml"
    os.mkfifo(fifo)
    refused(capsys, fifo, (1, 1, "is not a regular file"))


def test_device_as_briefing(capsys: pytest.CaptureFixture[str], alarm: None) -> None:
    refused(capsys, Path("/dev/zero"), (1, 1, "is not a regular file"))


def test_briefing_symlinked_to_a_device(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], alarm: None
) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    refused(capsys, link, (1, 1, "is not a regular file"))


def test_device_node_inside_the_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], alarm: None
) -> None:
    path = with_path(tmp_path, "../seeds/zero.txt")
    try:
        os.mknod(tmp_path / "seeds" / "zero.txt", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except (PermissionError, OSError) as error:
        pytest.skip(f"cannot make a device node here: {error}")
    refused(capsys, path, (7, 11, "is not a regular file"))


def test_source_over_the_cap_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project(tmp_path, minimal_yaml())
    with (tmp_path / "seeds" / "source.txt").open("r+b") as handle:
        handle.truncate(files.SOURCE_CAP + 1)
    refused(capsys, path, (7, 11, "over the 33,554,432-byte limit"))


def test_unreadable_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project(tmp_path, minimal_yaml())
    source = tmp_path / "seeds" / "source.txt"
    source.chmod(0)
    if os.access(source, os.R_OK):  # root reads anyway: make open() answer as for a user
        real_open = os.open

        def denied(target: object, flags: int, *args: object, **kwargs: object) -> int:
            if Path(os.fsdecode(target)) == source.resolve():  # type: ignore[arg-type]
                raise PermissionError(13, "Permission denied")
            return real_open(target, flags, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(files.os, "open", denied)
    try:
        refused(capsys, path, (7, 11, "source permission denied"))
    finally:
        monkeypatch.undo()
        source.chmod(0o644)


def test_source_in_the_briefing_folder_when_not_named_briefings(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    briefing = tmp_path / "notes" / "b.yaml"
    (tmp_path / "notes" / "source.txt").write_text(MINIMAL_SOURCE)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "source.txt").write_text(MINIMAL_SOURCE)
    briefing.write_text(minimal_yaml().replace("../seeds/source.txt", "source.txt"))
    assert load_briefing(briefing).diagnostics == []
    briefing.write_text(minimal_yaml())  # ../seeds is outside notes/
    with pytest.raises(BriefingError, match="leads outside the briefing's tree"):
        load_briefing(briefing)


def test_parse_briefing_refuses_alias_bombs_without_expanding() -> None:
    bomb = (HOSTILE / "billion-laughs.yaml").read_bytes()

    def refuse() -> None:
        with pytest.raises(BriefingError, match="anchors"):
            parse_briefing(bomb, Path("/nonexistent/briefings/bomb.yaml"))

    _none, work = counted(refuse)
    assert cheap(work), f"{work:,} calls against {valid_work():,} for a valid briefing"


# --- as a real process: time and peak memory ------------------------------------------------


# Runs `python -m tui` and writes its peak RSS (VmHWM, KiB) to peak.txt at exit. ru_maxrss will
# not do: Linux carries the forking parent's high-water mark (pytest's, hundreds of MB) over exec.
MEASURED_TUI = """
import atexit, re, runpy, sys
def peak():
    with open("/proc/self/status") as status:
        found = re.search(r"VmHWM:\\s+(\\d+)", status.read())
    with open("peak.txt", "w") as out:
        out.write(found.group(1) if found else "0")
atexit.register(peak)
sys.argv[0] = "briefing"
runpy.run_module("tui", run_name="__main__", alter_sys=True)
"""


def run_process(command: list[str], cwd: Path) -> tuple[int, str, str, float, int]:
    """Run a command; its exit code, output and wall seconds (and its peak RSS, unreliable)."""
    out_path, err_path = cwd / "stdout.txt", cwd / "stderr.txt"
    started = time.perf_counter()
    with out_path.open("wb") as out_file, err_path.open("wb") as err_file:
        process = subprocess.Popen(command, cwd=cwd, stdout=out_file, stderr=err_file)
        _pid, status, usage = os.wait4(process.pid, 0)  # this child's rusage alone
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    out = out_path.read_bytes().decode("utf-8", "surrogateescape")
    err = err_path.read_bytes().decode("utf-8", "surrogateescape")
    return process.returncode, out, err, elapsed, usage.ru_maxrss


@pytest.mark.parametrize(
    "make",
    [
        lambda tmp: shutil.copyfile(HOSTILE / "billion-laughs.yaml", tmp / "briefings/test.yaml"),
        lambda tmp: (tmp / "briefings/test.yaml").write_text("a: " + "{a: " * 10_000),
        lambda tmp: (tmp / "briefings/test.yaml").write_text("a: " + "- " * 10_000),
    ],
    ids=["billion-laughs", "deep-flow", "deep-block"],
)
def test_validate_process_is_small(tmp_path: Path, make: object) -> None:
    """As a real process, refusing costs no more memory than a valid file; its work is
    counted in-process by the tests above (timing a process would test the machine)."""
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to measure peak memory")
    project(tmp_path, minimal_yaml())
    command = [sys.executable, "-c", MEASURED_TUI, "validate", "briefings/test.yaml"]
    code, _out, _err, _elapsed, _rss = run_process(command, tmp_path)
    assert code == 0
    baseline_rss = int((tmp_path / "peak.txt").read_text())
    make(tmp_path)  # type: ignore[operator]
    code, out, err, _elapsed, _rss = run_process(command, tmp_path)
    rss = int((tmp_path / "peak.txt").read_text())
    assert code == 1
    assert "Traceback" not in err and err == ""
    assert_terminal_safe(out)
    assert re.match(r"^briefings/test\.yaml:\d+:\d+: error: ", out)
    assert rss < baseline_rss + 20 * 1024, f"peak {rss} KiB against {baseline_rss} KiB"
    assert rss < 200 * 1024, f"peak {rss // 1024} MiB"


def test_console_script_on_hostile_control_characters(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("briefing")
    if not script.exists():
        pytest.skip("the console script is not installed")
    shutil.copyfile(HOSTILE / "osc0-title-in-key.yaml", project(tmp_path, ""))
    code, out, err, _elapsed, _rss = run_process(
        [str(script), "validate", "briefings/test.yaml"], tmp_path
    )
    assert code == 1 and err == ""
    assert_terminal_safe(out)
    assert "\x1b" not in out and "\x07" not in out
