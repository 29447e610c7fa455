"""What ``workflowkit review verify`` found, for its text and its JSON output.

The checks say each problem to a :class:`Verdict`: in text mode it is printed at once, as
``KIND: message`` (so a long ``--all`` shows its progress); with ``--format json`` the
verdict is kept and printed at the end as one ``workflowkit.review.verify`` object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["TAMPERED", "INVALID", "SUMMARY", "DAMAGED", "CHECKPOINT"]
Scope = Literal["instance", "file", "store"]


@dataclass
class Verdict:
    """The problems found, and what was verified when the trail holds."""

    scope: Scope
    json: bool = False
    instance: str | None = None
    file: str | None = None
    instances: int | None = None
    events: int | None = None
    head: str | None = None
    version: int | None = None
    status: str | None = None
    checkpoints: int | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)

    def problem(self, kind: Kind, message: str, instance: str | None = None) -> None:
        """One problem: printed now in text mode (``KIND: [instance: ]message``)."""
        self.problems.append({"kind": kind, "instance": instance, "message": message})
        if not self.json:
            print(
                f"{kind}: {instance}: {message}" if instance is not None else f"{kind}: {message}"
            )

    def say(self, line: str) -> None:
        """A line of the text output only (a summary, an ``ok:``)."""
        if not self.json:
            print(line)

    def to_data(self) -> dict[str, Any]:
        return {
            "ok": not self.problems,
            "scope": self.scope,
            "instance": self.instance,
            "file": self.file,
            "instances": self.instances,
            "events": self.events,
            "head": self.head,
            "version": self.version,
            "status": self.status,
            "checkpoints": self.checkpoints,
            "problems": self.problems,
        }

    def finish(self, code: int) -> int:
        """Print the JSON output (in JSON mode) and return ``code``."""
        if self.json:
            from workflowkit.cli.outputs.base import render
            from workflowkit.cli.outputs.review import ReviewVerifyOutput

            print(render(ReviewVerifyOutput, self.to_data(), ensure_ascii=False))
        return code
