"""The `briefing` command: read (the default), validate, schema."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from .safe_text import clean

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
BRIEFING_SUFFIXES = (".yaml", ".yml")


def bundled_briefings() -> Path:
    """The seed briefings: package data in a wheel, the repository's folder in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "bundled" / "briefings"
    return packaged if packaged.is_dir() else here.parent / "briefings"


def default_target() -> Path:
    """`./briefings` when the working folder has one, else the bundled briefings."""
    local = Path("briefings")
    return local if local.is_dir() else bundled_briefings()


def briefing_files(paths: Sequence[Path]) -> Iterator[Path]:
    """The briefing files named, folders expanded to the YAML files directly inside them."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix in BRIEFING_SUFFIXES)
        else:
            yield path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing",
        description="Read structured intelligence briefings beside their sources.",
        epilog="With no command, opens the reader on PATH (a file or a folder of briefings).",
    )
    sub = parser.add_subparsers(dest="command")
    validate = sub.add_parser("validate", help="check briefings; gcc-style errors, exit 1 if any")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    sub.add_parser("schema", help="print the JSON Schema of the briefing format")
    read = sub.add_parser("read", help="open the reader (the default command)")
    read.add_argument("path", nargs="?", type=Path, metavar="PATH")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in ("validate", "schema", "read", "-h", "--help"):
        args_list.insert(0, "read")
    parser = _parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
    if args.command == "validate":
        try:
            return validate(args.paths, args.format)
        except BrokenPipeError:  # `briefing validate ... | head`: the reader left, no traceback
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_INVALID
    if args.command == "schema":
        from .schema import json_schema

        print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
        return EXIT_OK
    return read(args.path)


def validate(paths: Sequence[Path], output: str = "text") -> int:
    """Check each briefing; print every diagnostic and a summary line."""
    from .loader import BriefingError, Diagnostic, display_path, load_briefing

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
            message = f"internal error while loading: {type(error).__name__}: {error}"
            diagnostics = [Diagnostic(display_path(path), 1, 1, "error", message)]
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
        print(f"{len(files)} {noun} checked, {verdict}: {errors} errors, {warnings} warnings")
    return EXIT_INVALID if invalid else EXIT_OK


def read(path: Path | None) -> int:
    """Open the reader on a briefing file or a folder of them."""
    target = path if path is not None else default_target()
    if not target.exists():
        print(clean(f"briefing: {target}: no such file or folder"), file=sys.stderr)
        return EXIT_USAGE
    from .app import BriefingApp

    app = BriefingApp(target)
    app.run()
    return app.return_code or EXIT_OK
