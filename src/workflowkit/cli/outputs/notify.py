"""``workflowkit notify --format json``: what was derived, queued and sent."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from workflowkit.cli.outputs.base import DateText, Output, Part, TimeText


class AddressOut(Part):
    name: str
    email: str


class NotificationOut(Part):
    id: str = Field(description="Stable: 32 hex digits of a SHA-256.")
    kind: str
    recipient: str
    to: AddressOut | None
    instance: str
    client: str
    period: str
    template: str
    due: DateText
    at: TimeText
    by: str | None
    level: int | None
    feedback: str | None
    source: str


class UnaddressedOut(Part):
    id: str
    recipient: str


class RefusedOut(Part):
    id: str
    reason: str


class NotifyOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.notify"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit notify --format json: notifications derived and sent"

    format: Literal["workflowkit.notify"]
    format_version: Literal[1]
    dry_run: bool
    derived: list[NotificationOut]
    queued: list[str]
    pending: list[NotificationOut]
    sent: list[str]
    unaddressed: list[UnaddressedOut]
    refused: list[RefusedOut]
