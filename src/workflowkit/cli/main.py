"""``workflowkit <command>``: parsing, dispatch and exit codes.

Exit codes: 0 clean, 1 findings, 2 usage error or unreadable input, 3 internal error.
Each command lives in its own module with ``register(subparsers)``; modules import the
engines inside their run functions, so ``workflowkit --help`` stays fast.

Every parser refuses abbreviated flags (``allow_abbrev=False``: ``--form`` is not
``--format``), suggests the nearest subcommand or flag for an unknown one, and takes
``-q/--quiet`` and ``-v/--verbose``. After parsing, :func:`workflowkit.cli.config.resolve`
builds the one ``Settings`` value (flags > env > file > defaults) the command reads.
"""

from __future__ import annotations

import argparse
import importlib
import re
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
    "workflowkit.cli.config",
    "workflowkit.cli.completion",
    "workflowkit.cli.workload",
)


_INVALID_CHOICE = re.compile(r"invalid choice: '(?P<got>[^']*)' \(choose from (?P<choices>.*)\)")


def _did_you_mean(word: str, options: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs["allow_abbrev"] = False  # `--form` must not be read as `--format`
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> None:  # type: ignore[override]
        m = _INVALID_CHOICE.search(message)
        if m:
            choices = re.findall(r"'([^']*)'", m.group("choices"))
            message += _did_you_mean(m.group("got"), choices)
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                out.append(child)
                out.extend(_subparsers(child))
    return out


def _common_options(parser: argparse.ArgumentParser) -> None:
    """-q/-v on every command, the UNSET defaults of the setting flags, and the parser
    itself recorded (``args.wk_parser``) for the settings and the did-you-mean."""
    from workflowkit.cli.config import prepare

    known = {o for a in parser._actions for o in a.option_strings}
    if "--quiet" not in known:
        parser.add_argument(
            "-q",
            "--quiet",
            action="store_true",
            default=argparse.SUPPRESS,
            help="print only results and problems: no notes, progress or chatter",
        )
        parser.add_argument(
            "-v",
            "--verbose",
            action="store_true",
            default=argparse.SUPPRESS,
            help="also say which config file and settings are used, and what was excluded",
        )
    prepare(parser)
    parser.set_defaults(wk_parser=parser)


def _command_of(argv: Sequence[str] | None) -> str | None:
    """The module of the command ``argv`` names (its first word), if it names one."""
    words = sys.argv[1:] if argv is None else argv
    first = next((w for w in words if not w.startswith("-")), None)
    dotted = f"workflowkit.cli.{first}"
    return dotted if dotted in COMMAND_MODULES else None


def build_parser(argv: Sequence[str] | None = ()) -> argparse.ArgumentParser:
    """The whole parser; given the arguments (``None``: ``sys.argv``) that name a command,
    only that command is registered, which saves a tenth of a second of start-up (every
    module's parser built) on each run. Anything else (no command, an unknown one, a
    typo to suggest for, ``--help``) gets every command."""
    parser = _Parser(
        prog="workflowkit",
        description="Workflow-as-code for accounting practices.",
    )
    parser.add_argument("--version", action="version", version=f"workflowkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    only = _command_of(argv) if argv != () else None
    for dotted in (only,) if only else COMMAND_MODULES:
        importlib.import_module(dotted).register(sub)
    _common_options(parser)
    for child in _subparsers(parser):
        _common_options(child)
    return parser


def _unknown(parser: argparse.ArgumentParser, extras: list[str]) -> int:
    options = [o for a in parser._actions for o in a.option_strings]
    first = extras[0]
    hint = _did_you_mean(first.split("=", 1)[0], options) if first.startswith("-") else ""
    parser.print_usage(sys.stderr)
    sys.stderr.write(f"{parser.prog}: error: unrecognized arguments: {' '.join(extras)}{hint}\n")
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(argv)
    args, extras = parser.parse_known_args(argv)
    leaf = getattr(args, "wk_parser", parser)
    if extras:
        return _unknown(leaf, extras)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if getattr(args, "quiet", False) and getattr(args, "verbose", False):
        leaf.print_usage(sys.stderr)
        message = "-q/--quiet and -v/--verbose exclude each other"
        print(f"{leaf.prog}: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    try:
        from workflowkit.cli.config import resolve

        resolve(args, leaf)
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
