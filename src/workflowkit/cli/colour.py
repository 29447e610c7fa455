"""Colour for status words and severities, on a terminal only.

:func:`enabled` decides once per stream: ``NO_COLOR`` (any non-empty value) turns colour
off, then ``FORCE_COLOR`` (any non-empty value) turns it on, even in a pipe or CI; else
colour only on a terminal, never when ``TERM=dumb`` and never in CI logs (``CI`` or
``GITHUB_ACTIONS`` set). Only fixed words are painted (``error``, ``warning``, a code,
``valid``, ``reformatted``), never the data (file names, messages, values).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final, TextIO

_CODES: Final = {
    "error": "31;1",  # bold red
    "warning": "33",  # yellow
    "info": "36",  # cyan
    "ok": "32",  # green
    "dim": "2",
}


def enabled(stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    """Whether to colour what is written to ``stream``."""
    e = os.environ if env is None else env
    if e.get("NO_COLOR"):
        return False
    if e.get("FORCE_COLOR"):
        return True
    if e.get("TERM") == "dumb" or e.get("CI") or e.get("GITHUB_ACTIONS"):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):  # a closed or odd stream
        return False


class Palette:
    """Paints fixed words in one style each, or leaves them alone when colour is off."""

    def __init__(self, on: bool) -> None:
        self.on = on

    def paint(self, word: str, style: str) -> str:
        if not self.on or not word:
            return word
        return f"\x1b[{_CODES[style]}m{word}\x1b[0m"

    def severity(self, word: str, severity: str) -> str:
        """``word`` in the colour of ``severity`` (``error``, ``warning`` or ``info``)."""
        return self.paint(word, severity if severity in _CODES else "info")


def palette(stream: TextIO, env: Mapping[str, str] | None = None) -> Palette:
    return Palette(enabled(stream, env))


PLAIN: Final = Palette(False)
