"""Client health: each snapshot's data checks, health score and band, and top findings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from workflowkit.insights.health import health_score
from workflowkit.insights.runner import run_all
from workflowkit.insights.snapshot import LedgerSnapshot
from workflowkit.report.model import ClientHealth, FailingCheck, FindingRow

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class SnapshotInput:
    """One ledger snapshot and the client it belongs to (``client`` is its id)."""

    client: str
    source: str
    """Where it was read from (a file or folder name), for the reader."""
    snapshot: LedgerSnapshot


def client_health(
    snapshots: Sequence[SnapshotInput],
    client_names: Mapping[str, str],
    *,
    today: date,
    findings_per_check: int,
) -> tuple[ClientHealth, ...]:
    """Every snapshot's health, the least healthy first (no score last), then by client."""
    out: list[ClientHealth] = []
    for item in snapshots:
        snap = item.snapshot
        results = run_all(snap, as_of=snap.as_of or today)
        score = health_score(results)
        failing: list[FailingCheck] = []
        for res in results.values():
            if res.outcome != "issues":
                continue
            ordered = sorted(
                res.findings, key=lambda f: (_SEVERITY_ORDER.get(f.severity.value, 3), f.code)
            )
            top = ordered[:findings_per_check]
            failing.append(
                FailingCheck(
                    check=res.check,
                    summary=res.summary,
                    findings=tuple(
                        FindingRow(f.severity.value, f.code, f.message, f.amount, f.currency)
                        for f in top
                    ),
                    more=len(ordered) - len(top),
                )
            )
        out.append(
            ClientHealth(
                client=item.client,
                client_name=client_names.get(item.client, snap.organisation.name),
                in_practice=item.client in client_names,
                source=item.source,
                as_of=snap.as_of,
                score=score.score,
                band=None if score.band is None else score.band.value,
                checks_run=len(results),
                failing=tuple(failing),
            )
        )
    out.sort(key=lambda h: (h.score is None, h.score if h.score is not None else 0, h.client))
    return tuple(out)
