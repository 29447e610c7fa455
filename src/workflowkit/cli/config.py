"""``workflowkit config``: the settings in force and where each came from; and the CLI edge
that builds the one :class:`~workflowkit.settings.Settings` value every command reads.

The edge (:func:`resolve`) runs in ``main`` after parsing: it collects the flags the user
really gave (their parser defaults are replaced by :data:`UNSET`), reads the environment
and the configuration file, merges them (flags > env > file > defaults) and writes the
result back into the command's arguments, with ``args.settings`` holding the value.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Final

from workflowkit.settings import KEYS, Settings, excluded_files, load_settings


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()
"""The parser default of ``--format``, ``--db``, ``--strict`` and ``--exclude``: not given."""

SETTING_DESTS: Final = ("format", "db", "strict", "exclude")
PATH_DESTS: Final = ("paths", "practice")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "config",
        help="print the settings in force and where each came from",
        description="Print the settings in force (paths, exclude, db, format, strict) and "
        "where each came from: a flag, the environment (WORKFLOWKIT_DB), the configuration "
        "file (path:line) or the default. The file is [tool.workflowkit] in pyproject.toml "
        "or workflowkit.yaml, found upwards from the working directory (docs/config.md).",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="document paths (as other commands)")
    p.add_argument("--exclude", action="append", metavar="GLOB", help="an exclude glob")
    p.add_argument("--db", metavar="PATH", help="the store")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument(
        "--format",
        "-f",
        dest="output",
        choices=("text", "json"),
        default="text",
        help="how to print the settings (the format setting itself is set in the file)",
    )
    p.set_defaults(func=run)


def prepare(parser: argparse.ArgumentParser) -> None:
    """Give the setting flags of ``parser`` the :data:`UNSET` default (original kept)."""
    for action in parser._actions:
        if (
            action.option_strings
            and action.dest in SETTING_DESTS
            and action.default is not UNSET
            and not isinstance(action, argparse._AppendAction)  # None already means unset
        ):
            action.wk_default = action.default  # type: ignore[attr-defined]
            action.default = UNSET


def resolve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Settings:
    """Merge the flags in ``args`` with env, file and defaults; write the result back."""
    actions = {a.dest: a for a in parser._actions}
    flags: dict[str, Any] = {}
    for dest in SETTING_DESTS:
        value = getattr(args, dest, UNSET)
        if dest in actions and not isinstance(value, _Unset) and value is not None:
            flags[dest] = tuple(value) if dest == "exclude" else value
    path_dest = next(
        (d for d in PATH_DESTS if d in actions and not actions[d].option_strings), None
    )
    if path_dest is not None and getattr(args, path_dest):
        flags["paths"] = tuple(getattr(args, path_dest))
    settings, warnings = load_settings(flags)
    args.quiet = quiet = bool(getattr(args, "quiet", False))
    args.verbose = bool(getattr(args, "verbose", False))
    if not quiet:
        for w in warnings:
            print(w.format(), file=sys.stderr)
    if path_dest is not None and not getattr(args, path_dest):
        setattr(args, path_dest, list(settings.paths))
    for dest in SETTING_DESTS:
        given = getattr(args, dest, None)
        if dest not in actions or not (given is UNSET or (dest == "exclude" and given is None)):
            continue
        original = getattr(actions[dest], "wk_default", None)
        if dest == "format":
            choices = actions[dest].choices or ()
            use = settings.format is not None and settings.format in choices
            setattr(args, dest, settings.format if use else original)
        elif dest == "db":
            given = settings.origins["db"].layer in ("env", "file")
            setattr(args, dest, settings.db if given else original)
        elif dest == "strict":
            setattr(args, dest, settings.strict)
        else:
            setattr(args, dest, list(settings.exclude))
    args.settings = settings
    if getattr(args, "verbose", False):
        where = settings.config_file or "none found"
        print(f"workflowkit: config file: {where}", file=sys.stderr)
        for key in KEYS:
            print(
                f"workflowkit: {key} = {_show(settings.value(key))} "
                f"({settings.origins[key].describe()})",
                file=sys.stderr,
            )
    return settings


def select_files(args: argparse.Namespace, paths: list[str]) -> list[str]:
    """The files under ``paths`` that no exclude glob matches (paths with a problem are
    passed on, for the reader to report); the configuration file itself is left out."""
    from workflowkit.source.workspace import iter_files

    settings: Settings | None = getattr(args, "settings", None)
    if settings is None:
        return paths
    config = os.path.abspath(settings.config_file) if settings.config_file else None
    if not settings.exclude and config is None:
        return paths
    files: list[str] = []
    dropped = False
    for path, problem in iter_files(paths):
        if problem is None and config and os.path.abspath(path) == config:
            dropped = True
        else:
            files.append(str(path))
    kept, out = excluded_files(settings, files)
    if getattr(args, "verbose", False):
        for f in out:
            print(f"workflowkit: excluded {f}", file=sys.stderr)
    # Nothing left out: keep the paths as given (messages then name the folders).
    return kept if out or dropped else paths


def _show(value: Any) -> str:
    if value is None:
        return "(each command's own default)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ", ".join(value) if value else "(none)"
    return str(value)


def report_data(settings: Settings) -> dict[str, Any]:
    """The JSON form of ``workflowkit config``."""
    return {
        "format": "workflowkit.config",
        "format_version": 1,
        "config_file": str(settings.config_file) if settings.config_file else None,
        "settings": {
            key: {
                "value": list(v) if isinstance(v := settings.value(key), tuple) else v,
                "source": settings.origins[key].layer,
                "where": settings.origins[key].where or None,
            }
            for key in KEYS
        },
    }


def run(args: argparse.Namespace) -> int:
    from workflowkit.cli.safe_text import emit

    settings: Settings = args.settings
    if args.output == "json":
        from workflowkit.cli.outputs.base import render
        from workflowkit.cli.outputs.config import ConfigOutput

        emit(render(ConfigOutput, report_data(settings)))
        return 0
    lines = [f"config file: {settings.config_file or 'none found'}"]
    width = max(len(k) for k in KEYS)
    for key in KEYS:
        origin = settings.origins[key].describe()
        lines.append(f"{key.ljust(width)} = {_show(settings.value(key))}  # {origin}")
    emit("\n".join(lines))
    return 0
