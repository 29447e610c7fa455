"""A report a bookkeeper can act on: per check the status, the summary and the top
findings, then the health score. Text for people, JSON for tools."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workflowkit.insights.checks._common import money
from workflowkit.insights.health import HealthScore
from workflowkit.insights.results import CheckResult, Finding


@dataclass(frozen=True, slots=True)
class ReportHeader:
    """What the report is about."""

    snapshot: str
    organisation: str
    source: str
    as_of: dt.date
    template: str | None = None


def _finding_line(f: Finding) -> str:
    text = f"{f.severity.value:<8} {f.message}"
    return text


def render_text(
    header: ReportHeader,
    results: Mapping[str, CheckResult],
    health: HealthScore,
    *,
    top: int = 5,
) -> str:
    """The report as plain text."""
    lines = [
        f"{header.organisation} ({header.source}), as of {header.as_of.isoformat()}",
        f"snapshot: {header.snapshot}"
        + (f"; template: {header.template}" if header.template else ""),
        "",
    ]
    for key, res in results.items():
        status = "PASS" if res.outcome == "pass" else "ISSUES"
        name = key if key == res.check else f"{key} ({res.check})"
        lines.append(f"{status:<7} {name}: {res.summary}")
        shown = res.findings[:top] if top >= 0 else res.findings
        for f in shown:
            lines.append(f"          {_finding_line(f)}")
        if len(res.findings) > len(shown):
            lines.append(
                f"          ... and {len(res.findings) - len(shown)} more "
                "(--top N, or --format json for all)"
            )
    lines.append("")
    if health.score is None:
        lines.append("Health score: none (no weighted check ran)")
    else:
        band = health.band
        colour = f", {band.colour}" if band else ""
        lines.append(f"Health score: {health.score}/100 ({band.value if band else '-'}{colour})")
        for c in sorted(health.components, key=lambda c: (-c.lost, c.key)):
            lines.append(
                f"  {c.key:<28} weight {c.weight:>3}  score {c.score:>3}  "
                f"findings {c.findings:>4}  costs {c.lost} points"
            )
    issues = sum(1 for r in results.values() if r.outcome == "issues")
    lines.append("")
    lines.append(f"{issues} of {len(results)} checks found issues.")
    return "\n".join(lines)


def _finding_data(f: Finding) -> dict[str, Any]:
    data = f.model_dump(mode="json")
    if f.amount is not None:
        data["amount_text"] = money(f.amount, f.currency)
    return data


def report_data(
    header: ReportHeader, results: Mapping[str, CheckResult], health: HealthScore
) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "snapshot": header.snapshot,
        "organisation": header.organisation,
        "source": header.source,
        "as_of": header.as_of.isoformat(),
        "template": header.template,
        "results": {
            key: {
                "check": r.check,
                "outcome": r.outcome,
                "suggested_status": r.suggested_status,
                "summary": r.summary,
                "findings": [_finding_data(f) for f in r.findings],
            }
            for key, r in results.items()
        },
        "health": health.model_dump(mode="json"),
        "issues": sum(1 for r in results.values() if r.outcome == "issues"),
    }


def render_json(
    header: ReportHeader, results: Mapping[str, CheckResult], health: HealthScore
) -> str:
    return json.dumps(report_data(header, results, health), indent=2, ensure_ascii=False)
