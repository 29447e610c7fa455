"""Occurrences as a table, JSON, CSV or an iCalendar (RFC 5545) file.

The iCalendar output has one all-day event per occurrence on its due date, with the
occurrence key as the UID (``{key}@workflowkit``), so a calendar that subscribes to the
file sees the same event updated, never duplicated, when the plan is regenerated.
``DTSTAMP`` is the occurrence's creation moment, so regenerating the same plan gives a
byte-identical file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, timedelta
from typing import Final, Literal

from workflowkit.calendar.models import Client, Workflow
from workflowkit.calendar.plan import Occurrence

Format = Literal["table", "json", "csv", "ics"]
Group = Literal["week", "month"]
FORMATS: Final[tuple[Format, ...]] = ("table", "json", "csv", "ics")
CSV_FIELDS: Final = (
    "key",
    "workflow",
    "client",
    "template",
    "template_version",
    "period_start",
    "period_end",
    "create_on",
    "create_at",
    "due_on",
    "deadline",
    "assignee",
    "reviewers",
)


class Names:
    """Display names of clients and workflows (falling back to their ids)."""

    def __init__(
        self,
        clients: Mapping[str, Client] | None = None,
        workflows: Mapping[str, Workflow] | None = None,
    ) -> None:
        self._clients = dict(clients or {})
        self._workflows = dict(workflows or {})

    def client(self, cid: str) -> str:
        c = self._clients.get(cid)
        return c.name if c is not None else cid

    def workflow(self, wid: str) -> str:
        w = self._workflows.get(wid)
        return w.name if w is not None else wid


def _chosen(o: Occurrence, by: str) -> date:
    return o.due_on if by == "due" else o.create_on


# -- JSON and CSV ------------------------------------------------------------------------


def to_json(
    occurrences: Sequence[Occurrence], *, start: date, end: date, by: str = "create"
) -> str:
    """``{"from", "to", "by", "count", "occurrences": [...]}``; ``to`` is exclusive."""
    return json.dumps(
        {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "by": by,
            "count": len(occurrences),
            "occurrences": [o.to_data() for o in occurrences],
        },
        indent=2,
    )


def to_csv(occurrences: Sequence[Occurrence]) -> str:
    """One row per occurrence; reviewers joined with ``;``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for o in occurrences:
        d = o.to_data()
        d["reviewers"] = ";".join(o.reviewers)
        d["deadline"] = d["deadline"] or ""
        writer.writerow([d[f] for f in CSV_FIELDS])
    return buf.getvalue()


# -- table -------------------------------------------------------------------------------


def _group_of(d: date, group: Group) -> tuple[tuple[int, int], str]:
    if group == "month":
        return (d.year, d.month), d.strftime("%B %Y")
    year, week, _ = d.isocalendar()
    monday = d - timedelta(days=d.weekday())
    sunday = monday + timedelta(days=6)
    return (year, week), (
        f"Week {year}-W{week:02d} ({monday.day} {monday:%b} to {sunday.day} {sunday:%b %Y})"
    )


def to_table(
    occurrences: Sequence[Occurrence],
    *,
    names: Names | None = None,
    by: str = "create",
    group: Group = "month",
) -> str:
    """A readable plain-text calendar, one section per week or month."""
    names = names or Names()
    if not occurrences:
        return "no occurrences in this window"
    label = "due" if by == "due" else "created"
    header = (label, "client", "workflow", "period", "created" if by == "due" else "due")
    rows_by_group: dict[tuple[int, int], tuple[str, list[tuple[str, ...]]]] = {}
    for o in occurrences:
        key, title = _group_of(_chosen(o, by), group)
        other = o.create_on if by == "due" else o.due_on
        row = (
            _chosen(o, by).strftime("%a %d %b"),
            names.client(o.client),
            names.workflow(o.workflow),
            f"{o.period_start.isoformat()} to {o.period_end.isoformat()}",
            other.isoformat() + (f" ({o.deadline})" if o.deadline and by != "due" else ""),
        )
        rows_by_group.setdefault(key, (title, []))[1].append(row)
    widths = [len(h) for h in header]
    for _, group_rows in rows_by_group.values():
        for cells in group_rows:
            widths = [max(w, len(c)) for w, c in zip(widths, cells, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out: list[str] = []
    for key in sorted(rows_by_group):
        title, rows = rows_by_group[key]
        if out:
            out.append("")
        out.append(f"{title} ({len(rows)})")
        out.append(line(header))
        out.append(line(["-" * w for w in widths]))
        out.extend(line(r) for r in rows)
    out.append("")
    out.append(f"{len(occurrences)} occurrence(s)")
    return "\n".join(out)


# -- iCalendar ---------------------------------------------------------------------------


def _escape(text: str) -> str:
    """RFC 5545 §3.3.11 TEXT escaping. TEXT holds no CONTROL characters (ESC, a lone CR,
    DEL and the rest; C1 and bidi overrides too): each becomes U+FFFD."""
    import re  # local: the rest of this module needs no regular expressions

    text = (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )
    unsafe = "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
    return re.sub(unsafe, "\ufffd", text)


def _fold(line: str) -> list[str]:
    """RFC 5545 §3.1: lines of at most 75 octets, continuations start with a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return [line]
    out: list[str] = []
    limit = 75
    while data:
        cut = min(limit, len(data))
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:  # inside a UTF-8 sequence
            cut -= 1
        out.append(("" if not out else " ") + data[:cut].decode("utf-8"))
        data = data[cut:]
        limit = 74
    return out


def to_ics(
    occurrences: Sequence[Occurrence],
    *,
    names: Names | None = None,
    calendar_name: str = "workflowkit",
) -> str:
    """An iCalendar file: one all-day event per occurrence on its due date."""
    from workflowkit import __version__

    names = names or Names()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//workflowkit//workflowkit {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(calendar_name)}",
    ]
    for o in occurrences:
        client, workflow = names.client(o.client), names.workflow(o.workflow)
        description = "\n".join(
            [
                f"Client: {client} ({o.client})",
                f"Workflow: {workflow} ({o.workflow})",
                f"Period: {o.period_start.isoformat()} to {o.period_end.isoformat()}",
                f"Template: {o.template} {o.template_version}",
                f"Created: {o.create_on.isoformat()}",
                f"Assignee: {o.assignee}",
                *([f"Reviewers: {', '.join(o.reviewers)}"] if o.reviewers else []),
                *([f"Deadline: {o.deadline}"] if o.deadline else []),
            ]
        )
        stamp = o.create_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{o.key}@workflowkit",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{o.due_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{o.due_on + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(f'{workflow}: {client}')}",
            f"DESCRIPTION:{_escape(description)}",
            f"CATEGORIES:{_escape(o.workflow)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    folded: list[str] = []
    for line in lines:
        folded.extend(_fold(line))
    return "\r\n".join(folded) + "\r\n"


RENDERERS: Final[dict[str, Callable[..., str]]] = {
    "json": to_json,
    "csv": to_csv,
    "table": to_table,
    "ics": to_ics,
}
