"""Printing text output safely: :func:`emit` and the escaping of ``source.safe_text``.

The escaping itself (what is a control character, how it is shown) lives in one place,
:mod:`workflowkit.source.safe_text`, so the core renderers use it too.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from workflowkit.source.safe_text import clean, has_unsafe, terminal

__all__ = ["clean", "emit", "has_unsafe", "silence_stdout", "terminal"]


def emit(
    text: str,
    *,
    file: TextIO | None = None,
    end: str = "\n",
    commands: bool = False,
    escaped: bool = False,
) -> bool:
    """Print ``text`` through :func:`terminal`. Returns False when the reader has gone.

    ``escaped``: the text was put through :func:`terminal` already and holds colour codes
    of ours (cli.colour), which must not be escaped again.

    On a broken pipe, standard output is pointed at ``os.devnull`` (as the Python docs
    recommend), so nothing fails again at interpreter shutdown; the caller keeps its own
    exit code.
    """
    out = file if file is not None else sys.stdout
    try:
        out.write((text if escaped else terminal(text, commands=commands)) + end)
        out.flush()
    except BrokenPipeError:
        silence_stdout()
        return False
    return True


def silence_stdout() -> None:
    """Point standard output at ``os.devnull`` after the reader closed the pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file descriptor (captured)
        pass
