"""``workflowkit fmt PATH...``: write documents in canonical form, keeping comments."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "fmt",
        help="write documents in canonical form (comments kept)",
        description="Rewrite YAML/JSON documents in canonical form: two-space indentation, "
        "apiVersion and kind first, keys in the language reference's order; comments and "
        "quoting are kept. With --check, change nothing and exit 1 if any file would change.",
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders (default: the config's paths)"
    )
    p.add_argument(
        "--exclude",
        action="append",
        metavar="GLOB",
        help="leave out files matching GLOB (repeatable; replaces the config's exclude)",
    )
    p.add_argument(
        "--check", action="store_true", help="report files that are not formatted; exit 1 if any"
    )
    p.add_argument("--diff", action="store_true", help="with --check, show a unified diff")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import difflib

    from workflowkit.cli.colour import palette
    from workflowkit.cli.config import select_files
    from workflowkit.errors import DocumentError
    from workflowkit.source.fmt import format_text
    from workflowkit.source.workspace import iter_files

    paint = palette(sys.stdout).paint
    unformatted = 0
    failed = False
    for path, missing in iter_files(select_files(args, args.paths)):
        if missing is not None:
            print(missing.format(), file=sys.stderr)
            failed = True
            continue
        try:
            original = path.read_text(encoding="utf-8")
            formatted = format_text(original, name=str(path))
        except DocumentError as exc:
            for d in exc.diagnostics:
                print(d.format(), file=sys.stderr)
            failed = True
            continue
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{path}: WK100 cannot read the file: {exc}", file=sys.stderr)
            failed = True
            continue
        if formatted == original:
            continue
        unformatted += 1
        if args.check:
            print(f"{paint('would reformat', 'warning')} {path}")
            if args.diff:
                sys.stdout.writelines(
                    difflib.unified_diff(
                        original.splitlines(keepends=True),
                        formatted.splitlines(keepends=True),
                        f"{path} (current)",
                        f"{path} (formatted)",
                    )
                )
        else:
            path.write_text(formatted, encoding="utf-8")
            if not getattr(args, "quiet", False):
                print(f"{paint('reformatted', 'ok')} {path}")
    if failed:
        return 2
    return 1 if args.check and unformatted else 0
