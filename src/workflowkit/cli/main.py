"""``workflowkit <command>``: parsing, dispatch and exit codes.

Exit codes: 0 clean, 1 findings, 2 usage error or unreadable input, 3 internal error.
Each command lives in its own module with ``register(subparsers)``; modules import the
engines inside their run functions, so ``workflowkit --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence

from workflowkit import __version__
from workflowkit.errors import DocumentError, WorkflowkitError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

COMMAND_MODULES: tuple[str, ...] = (
    "workflowkit.cli.validate",
    "workflowkit.cli.schema",
    "workflowkit.cli.templates",
    "workflowkit.cli.plan",
    "workflowkit.cli.review",
    "workflowkit.cli.run",
    "workflowkit.cli.agenda",
    "workflowkit.cli.rules",
    "workflowkit.cli.checks",
    "workflowkit.cli.diff",
    "workflowkit.cli.fmt",
    "workflowkit.cli.notify",
    "workflowkit.cli.report",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workflowkit",
        description="Workflow-as-code for accounting practices.",
    )
    parser.add_argument("--version", action="version", version=f"workflowkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for dotted in COMMAND_MODULES:
        importlib.import_module(dotted).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code = func(args)
        return int(code)
    except DocumentError as exc:
        for d in exc.diagnostics:
            print(d.format(), file=sys.stderr)
        if not exc.diagnostics:
            print(f"workflowkit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except WorkflowkitError as exc:
        print(f"workflowkit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away before the command chose its exit code. Commands that
        # report findings print through safe_text.emit and keep theirs; here, silence
        # stdout so the interpreter does not fail again flushing it at shutdown.
        from workflowkit.cli.safe_text import silence_stdout

        silence_stdout()
        return EXIT_OK
    except Exception:
        print("workflowkit: internal error (please report it):", file=sys.stderr)
        traceback.print_exc()
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
