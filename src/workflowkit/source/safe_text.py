"""Text output that a terminal or a CI log shows as written, never as commands.

Every text printer passes what it prints through here (the core renderers too):

- :func:`clean` for one value (a file name, a client name, a comment): every control
  character is escaped, line breaks included, so a value can never start a line of its
  own, move the cursor, clear the screen, set a window title or reorder the text.
- :func:`terminal` for a whole output made of lines: controls are escaped except the
  line breaks between lines (and tabs), and a line that would start with ``::`` (a GitHub Actions
  workflow command such as ``::add-mask::`` or ``::error``) is defused.
- ``workflowkit.cli.safe_text.emit`` prints an output through :func:`terminal` (the I/O
  lives in the CLI); a reader that goes away (``| head -1``) keeps the exit code.

Escaped are the C0 controls (U+0000-U+001F, tab included), DEL (U+007F), the C1 controls
(U+0080-U+009F, where 8-bit CSI and OSC live), the line and paragraph separators
(U+2028, U+2029) and the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
U+2066-U+2069) that make text read differently from its order. Each becomes a visible
``\\xNN`` or ``\\uNNNN``; a backslash itself stays as it is.
"""

from __future__ import annotations

import re
from typing import Final

_UNSAFE: Final = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_LINES: Final = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
"""What :func:`terminal` escapes: as :data:`_UNSAFE`, but for tab and the line break."""
_NAMED: Final[dict[str, str]] = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\x1b"}
_COMMAND_START: Final = re.compile(r"^([ \t]*):(?=:)", re.M)


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def clean(value: object) -> str:
    """``str(value)`` with every control character escaped (line breaks included)."""
    text = value if isinstance(value, str) else str(value)
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def has_unsafe(text: str) -> bool:
    """Whether ``text`` holds a character :func:`clean` would escape."""
    return _UNSAFE.search(text) is not None


def terminal(text: str, *, commands: bool = False) -> str:
    """A whole output: controls escaped but for the ``\\n`` between lines, and no line
    starting with ``::`` (GitHub runs such lines as workflow commands) unless
    ``commands`` (the GitHub reporter, whose values are escaped already)."""
    if _UNSAFE_IN_LINES.search(text):
        text = _UNSAFE_IN_LINES.sub(_escape, text)
    if not commands and "::" in text:
        text = _COMMAND_START.sub(r"\1\\x3a", text)
    return text
