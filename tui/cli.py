"""The `briefing` command: read (the default), validate, schema, export, new, migrate,
serve."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .files import briefing_files, default_target
from .safe_text import clean

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130
"""128 + SIGINT, as a shell reports a command Ctrl+C stopped."""
COMMANDS = (
    "validate",
    "schema",
    "read",
    "export",
    "new",
    "edit",
    "migrate",
    "serve",
    "draft",
    "-h",
    "--help",
    "--version",
)
FORMATS = ("markdown", "json", "stix")
WATCH_INTERVAL = 0.5


class _Version(argparse.Action):
    """--version: the installed package's version, looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="print the version"
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("briefing")
        except PackageNotFoundError:
            number = "(version unknown: the package is not installed)"
        print(f"briefing {number}")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing",
        usage="%(prog)s [-h] [--version] [PATH]\n"
        "       %(prog)s {validate,schema,export,new,edit,migrate,serve,draft,read} ...",
        description="Read structured intelligence briefings beside their sources.",
        epilog="With no command, opens the reader on PATH (a file or a folder of briefings).",
    )
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command")
    validate = sub.add_parser("validate", help="check briefings; gcc-style errors, exit 1 if any")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (placeholders left in, a changed source) as errors",
    )
    mode = validate.add_mutually_exclusive_group()
    mode.add_argument(
        "--watch", action="store_true", help="check again on every save (Ctrl+C stops)"
    )
    mode.add_argument(
        "--propose-fixes",
        action="store_true",
        help="print a unified diff relocating the quotes of a changed source (never writes)",
    )
    sub.add_parser("schema", help="print the JSON Schema of the briefing format")
    export = sub.add_parser("export", help="write a briefing as Markdown, JSON or STIX 2.1")
    export.add_argument("path", type=Path, metavar="FILE", help="a briefing file")
    export.add_argument("--format", choices=FORMATS, default="markdown")
    export.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="write to OUT (default: standard output)"
    )
    new = sub.add_parser("new", help="write a skeleton briefing for a source text")
    new.add_argument("source", type=Path, metavar="SOURCE", help="the source text (UTF-8)")
    new.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="BRIEFING",
        help="where to write it (default: briefings/<source name>.yaml for a source in its tree, else beside the source)",
    )
    new.add_argument(
        "--edit", action="store_true", help="then open it in edit mode (briefing edit)"
    )
    edit = sub.add_parser("edit", help="open a briefing in edit mode: changes are written to it")
    edit.add_argument("path", type=Path, metavar="FILE", help="a briefing file")
    migrate = sub.add_parser(
        "migrate",
        help="rewrite a version 1 briefing as version 2, comments and layout kept",
    )
    migrate.add_argument("path", type=Path, metavar="FILE", help="a briefing file")
    migrate.add_argument(
        "--check",
        action="store_true",
        help="print the changes as a unified diff and write nothing (exit 1 if there are any)",
    )
    serve_ = sub.add_parser("serve", help="run the reader in a web browser (textual-serve)")
    serve_.add_argument("path", nargs="?", type=Path, metavar="PATH")
    serve_.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine)"
    )
    serve_.add_argument("--port", type=int, default=8000, help="port to bind (default: 8000)")
    serve_.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use: needed with --host 0.0.0.0, or behind a proxy "
        "(scheme://host[:port]); default http://HOST:PORT",
    )
    serve_.add_argument(
        "--token",
        metavar="TOKEN",
        help="the secret the browser must show (default: a new random one each run)",
    )
    serve_.add_argument(
        "--no-token",
        action="store_true",
        help="no secret (loopback only): any program or user on this machine can read",
    )
    draft_ = sub.add_parser(
        "draft", help="propose parties, counts, sums and dates from a source text, one a line"
    )
    draft_.add_argument("source", type=Path, metavar="SOURCE", help="the source text (UTF-8)")
    draft_.add_argument(
        "--score",
        type=Path,
        metavar="BRIEFING",
        help="also print the proposals' precision and recall against a briefing of SOURCE",
    )
    read = sub.add_parser("read", help="open the reader (the default command)")
    read.add_argument("path", nargs="?", type=Path, metavar="PATH")
    for command in sub.choices.values():
        command.add_argument("--version", action=_Version)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status.

    A closed pipe (`briefing schema | head`) ends any command quietly with status 1, and
    Ctrl+C with 130 (128 + SIGINT): neither prints a traceback.
    """
    try:
        status = _main(argv)
        # Output still buffered meets a closed pipe here, not in the interpreter's exit.
        sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_INVALID
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return status


def _discard_stdout() -> None:
    """Point standard output at the null device, as the Python docs advise on EPIPE, so the
    interpreter's own flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def _main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the command."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in COMMANDS:
        args_list.insert(0, "read")
    parser = _parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
    try:
        if args.command == "validate":
            if args.propose_fixes:
                return propose_fixes(args.paths)
            if args.watch:
                return watch(args.paths, args.format, strict=args.strict)
            return validate(args.paths, args.format, strict=args.strict)
        if args.command == "export":
            return export(args.path, args.format, args.output)
        if args.command == "new":
            return new(args.source, args.output, edit=args.edit)
        if args.command == "edit":
            return edit_file(args.path)
        if args.command == "migrate":
            return migrate(args.path, check=args.check)
        if args.command == "draft":
            return draft(args.source, args.score)
        if args.command == "serve":
            return serve(
                args.path, args.host, args.port, args.public_url, args.token, args.no_token
            )
    except BrokenPipeError:  # `briefing validate ... | head`: the reader left, no traceback
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_INVALID
    if args.command == "schema":
        from .schema import json_schema

        print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
        return EXIT_OK
    return read(args.path)


def validate(
    paths: Sequence[Path], output: str = "text", stamp: str = "", *, strict: bool = False
) -> int:
    """Check each briefing; print every diagnostic and a summary line (after stamp).

    Placeholders the skeleton left (`TODO:`) are warnings; strict makes every warning an error.
    """
    from .authoring import placeholders
    from .loader import BriefingError, Diagnostic, display_path, internal_error, load_briefing

    missing = [p for p in paths if not p.exists()]
    if missing:
        for path in missing:
            print(clean(f"briefing: {path}: no such file or folder"), file=sys.stderr)
        return EXIT_USAGE
    files = list(briefing_files(paths))
    if not files:
        shown = ", ".join(str(p) for p in paths)
        print(clean(f"briefing: no briefing files (*.yaml, *.yml) in {shown}"), file=sys.stderr)
        return EXIT_USAGE
    report: list[dict[str, object]] = []
    errors = warnings = invalid = 0
    for path in files:
        diagnostics: list[Diagnostic]
        try:
            diagnostics = load_briefing(path).diagnostics
            valid = True
        except BriefingError as error:
            diagnostics = error.diagnostics
            valid = False
        except Exception as error:  # a bug must still be a diagnostic, never a traceback
            diagnostics = [internal_error(path, error)]
            valid = False
        # Only in a file that loads: a refused one has its errors to fix first, and may be
        # a hostile 50 MB that should cost no second read.
        left = placeholders(path) if valid else []
        if left:
            diagnostics = sorted([*diagnostics, *left], key=lambda d: (d.line, d.column))
        if strict and any(d.severity == "warning" for d in diagnostics):
            diagnostics = [
                Diagnostic(d.file, d.line, d.column, "error", d.message) for d in diagnostics
            ]
            valid = False
        invalid += not valid
        errors += sum(d.severity == "error" for d in diagnostics)
        warnings += sum(d.severity == "warning" for d in diagnostics)
        if output == "json":
            report.append(
                {
                    "file": display_path(path),
                    "valid": valid,
                    "diagnostics": [
                        {
                            "file": d.file,
                            "line": d.line,
                            "column": d.column,
                            "severity": d.severity,
                            "message": d.message,
                        }
                        for d in diagnostics
                    ],
                }
            )
        else:
            for diagnostic in diagnostics:
                print(diagnostic.format())
    if output == "json":
        print(json.dumps({"files": report, "errors": errors, "warnings": warnings}, indent=2))
    else:
        noun = "file" if len(files) == 1 else "files"
        verdict = "all valid" if not invalid else f"{invalid} invalid"
        print(
            f"{stamp}{len(files)} {noun} checked, {verdict}: {errors} errors, {warnings} warnings"
        )
    return EXIT_INVALID if invalid else EXIT_OK


def _fingerprint(paths: Sequence[Path]) -> tuple[tuple[str, int, int] | None, ...]:
    """Modification time and size of every briefing named (None for one that is missing)."""
    found: list[tuple[str, int, int] | None] = []
    for path in paths:
        try:
            files = list(briefing_files([path])) if path.is_dir() else [path]
            for file in files:
                info = file.stat()
                found.append((str(file), info.st_mtime_ns, info.st_size))
        except OSError:
            found.append(None)
    return tuple(found)


def watch(
    paths: Sequence[Path],
    output: str = "text",
    *,
    strict: bool = False,
    interval: float = WATCH_INTERVAL,
    polls: int | None = None,
    sleep: Callable[[float], object] = time.sleep,
) -> int:
    """Validate now and again whenever a briefing's mtime or size changes; Ctrl+C ends it.

    polls bounds the number of checks (for tests); None watches until interrupted.
    """
    last: object = None
    done = 0
    shown = ", ".join(str(p) for p in paths)
    print(clean(f"briefing: watching {shown}; Ctrl+C stops"), file=sys.stderr)
    try:
        while polls is None or done < polls:
            current = _fingerprint(paths)
            if current != last:
                last = current
                validate(paths, output, time.strftime("[%H:%M:%S] "), strict=strict)
                sys.stdout.flush()
            done += 1
            if polls is None or done < polls:
                sleep(interval)
    except KeyboardInterrupt:
        print()
    return EXIT_OK


def _emit(text: str) -> None:
    """Data for standard output: cleaned on a terminal, exact when piped to a tool."""
    if sys.stdout.isatty():
        text = clean(text, keep_lines=True)
    sys.stdout.write(text)
    sys.stdout.flush()


def migrate(path: Path, *, check: bool = False) -> int:
    """Rewrite a version 1 briefing as version 2 in place, or with check print the diff."""
    from .authoring import _diff_name, _unified
    from .migrate import MigrateError, migrate_file

    if not path.is_file():
        print(clean(f"briefing: {path}: no such file"), file=sys.stderr)
        return EXIT_USAGE
    try:
        migration = migrate_file(path, write=not check)
    except MigrateError as error:
        print(clean(f"{path}:{error.line}:{error.column}: error: {error.message}"), file=sys.stderr)
        return EXIT_INVALID
    if not migration.changed:
        print(clean(f"briefing: {path}: {', '.join(migration.notes)}; nothing to do"))
        return EXIT_OK
    if check:
        _emit(_unified(migration.old, migration.new, _diff_name(path)))
        return EXIT_INVALID
    noun = "field" if migration.renamed == 1 else "fields"
    print(clean(f"briefing: {path}: now schema 2 ({migration.renamed} {noun} renamed)"))
    return EXIT_OK


def propose_fixes(paths: Sequence[Path]) -> int:
    """Print a unified diff relocating the quotes of a changed source; notes to stderr."""
    if len(paths) != 1 or not paths[0].is_file():
        print("briefing: --propose-fixes takes one briefing file", file=sys.stderr)
        return EXIT_USAGE
    from .authoring import propose_fixes as propose

    proposal = propose(paths[0])
    if proposal.diff:
        _emit(proposal.diff)
    elif not proposal.ok:
        for diagnostic in proposal.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
    for note in proposal.notes:
        print(clean(note), file=sys.stderr)
    return EXIT_OK if proposal.ok else EXIT_INVALID


def export(path: Path, form: str, output: Path | None = None) -> int:
    """Write a briefing as Markdown, JSON or STIX 2.1 to standard output or a file."""
    from .loader import BriefingError, display_path, load_briefing

    if not path.is_file():
        print(clean(f"briefing: {path}: no such file"), file=sys.stderr)
        return EXIT_USAGE
    if output is not None:
        if output.is_dir():
            print(clean(f"briefing: {output} is a folder; name a file"), file=sys.stderr)
            return EXIT_USAGE
        if output.resolve() == path.resolve():
            print(clean(f"briefing: refusing to overwrite the input {path}"), file=sys.stderr)
            return EXIT_USAGE
    try:
        loaded = load_briefing(path)
    except BriefingError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        return EXIT_INVALID
    for diagnostic in loaded.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    from .export import export as render
    from .files import write_atomically
    from .saving import is_input

    if output is not None and is_input(loaded, output):
        print(clean(f"briefing: refusing to overwrite the input {output}"), file=sys.stderr)
        return EXIT_USAGE
    text = render(loaded, form)
    if output is None:
        _emit(text)
        return EXIT_OK
    try:
        write_atomically(output, text.encode("utf-8"))
    except OSError as error:
        shown = display_path(output)
        print(clean(f"briefing: {shown}: cannot write: {error.strerror or error}"), file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def new(source: Path, output: Path | None = None, *, edit: bool = False) -> int:
    """Write a skeleton briefing for a source text; never overwrites. With edit, open it in
    edit mode once written."""
    from .authoring import AuthoringError, new_briefing
    from .loader import BriefingError, display_path, load_briefing

    if not source.is_file():
        print(clean(f"briefing: {source}: no such file"), file=sys.stderr)
        return EXIT_USAGE
    try:
        written = new_briefing(source, output)
    except AuthoringError as error:
        print(clean(f"briefing: {error}"), file=sys.stderr)
        return EXIT_INVALID
    shown = display_path(written)
    try:
        problems = load_briefing(written).diagnostics
    except BriefingError as error:
        problems = error.diagnostics
    for diagnostic in problems:
        print(diagnostic.format(), file=sys.stderr)
    if edit:
        print(clean(f"wrote {shown}"))
        return edit_file(written)
    print(clean(f"wrote {shown}: fill in the TODOs, then `briefing validate --watch {shown}`"))
    return EXIT_OK


def edit_file(path: Path) -> int:
    """Open the reader in edit mode on one briefing file (plain `briefing FILE` never writes)."""
    if not path.is_file():
        print(
            clean(f"briefing: {path}: no such file (edit takes one briefing file)"), file=sys.stderr
        )
        return EXIT_USAGE
    from .app import BriefingApp

    app = BriefingApp(path, edit=True)
    app.run()
    return app.return_code or EXIT_OK


def draft(source: Path, briefing: Path | None = None) -> int:
    """Print the proposals drawn from a source, and with a briefing their precision and
    recall; a source or briefing that cannot be read is one line on standard error."""
    from .drafting import DraftError, draft_lines

    try:
        lines = draft_lines(source, briefing)
    except DraftError as error:
        print(clean(f"briefing: {error}"), file=sys.stderr)
        return EXIT_INVALID
    print("\n".join(lines))
    return EXIT_OK


def serve(
    path: Path | None,
    host: str,
    port: int,
    url: str | None = None,
    token: str | None = None,
    no_token: bool = False,
) -> int:
    """Serve the reader to web browsers (one reader process per browser session)."""
    target = path if path is not None else default_target()
    if not target.exists():
        print(clean(f"briefing: {target}: no such file or folder"), file=sys.stderr)
        return EXIT_USAGE
    if not 0 < port < 65536:
        print(f"briefing: --port {port}: not a port (1-65535)", file=sys.stderr)
        return EXIT_USAGE
    from .serve import ServeUsageError, configure
    from .serve import serve as run_server

    try:
        config = configure(target, host, port, url, token, no_token)
    except ServeUsageError as error:
        print(clean(f"briefing: {error}"), file=sys.stderr)
        return EXIT_USAGE
    return run_server(config)


def read(path: Path | None) -> int:
    """Open the reader on a briefing file or a folder of them."""
    target = path if path is not None else default_target()
    if not target.exists():
        print(clean(f"briefing: {target}: no such file or folder"), file=sys.stderr)
        return EXIT_USAGE
    if target.is_file():
        from . import plan

        plan.read_ahead(target)  # while the interface is imported (tui/plan.py)
    from .app import BriefingApp

    app = BriefingApp(target)
    app.run()
    return app.return_code or EXIT_OK
