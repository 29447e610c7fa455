"""The transition table rendered for ``docs/review.md``: a Mermaid diagram and a table.

python -m workflowkit.review.render                  # print the generated section
python -m workflowkit.review.render docs/review.md   # rewrite it in place
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Final

from workflowkit.review.table import ACTORS, CANCELLED, COMPLETED, TRANSITIONS

BEGIN: Final = "<!-- BEGIN GENERATED: transition table (python -m workflowkit.review.render) -->"
END: Final = "<!-- END GENERATED: transition table -->"


def render_mermaid() -> str:
    """The table as a Mermaid state diagram."""
    lines = ["stateDiagram-v2"]
    for t in TRANSITIONS:
        src = "[*]" if t.source is None else t.source.value
        lines.append(f"    {src} --> {t.target.value}: {t.command} ({t.actor})")
    lines.append(f"    {COMPLETED.value} --> [*]")
    lines.append(f"    note right of {COMPLETED.value}: locked, accepts no command")
    lines.append(f"    {CANCELLED.value} --> [*]")
    lines.append(f"    note right of {CANCELLED.value}: ended, kept in history, accepts no command")
    return "\n".join(lines)


def render_table() -> str:
    """The table as a Markdown table."""
    out = [
        "| From | Command | Who | When | To |",
        "|---|---|---|---|---|",
    ]
    for t in TRANSITIONS:
        src = "(new)" if t.source is None else f"`{t.source.value}`"
        out.append(f"| {src} | `{t.command}` | {t.actor} | {t.guard} | `{t.target.value}` |")
    return "\n".join(out)


def render_actors() -> str:
    return "\n".join(f"- **{name}**: {text}" for name, text in ACTORS.items())


def render_markdown() -> str:
    """The generated section of ``docs/review.md``, markers included."""
    return "\n".join(
        [
            BEGIN,
            "",
            "```mermaid",
            render_mermaid(),
            "```",
            "",
            render_table(),
            "",
            "Who the actors are:",
            "",
            render_actors(),
            "",
            END,
        ]
    )


_SECTION = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)


def update_doc(text: str) -> str:
    """``text`` with its generated section replaced by the current table."""
    if not _SECTION.search(text):
        raise ValueError("the page has no generated transition table section")
    return _SECTION.sub(lambda _: render_markdown(), text, count=1)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(render_markdown())
        return 0
    path = Path(args[0])
    old = path.read_text(encoding="utf-8")
    new = update_doc(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
        print(f"updated {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
