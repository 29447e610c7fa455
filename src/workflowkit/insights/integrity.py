"""Ids used once and references that resolve: the checks every snapshot passes."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from workflowkit.errors import Diagnostic
from workflowkit.insights.errors import SnapshotError
from workflowkit.insights.snapshot import LedgerSnapshot

Problem = tuple[str, str, str]
"""(code, message, JSON pointer into the snapshot's data)."""

MAX_PROBLEMS = 200


def _duplicates(kind: str, ids: Iterable[str]) -> list[Problem]:
    out: list[Problem] = []
    first: dict[str, int] = {}
    for i, rid in enumerate(ids):
        if rid in first:
            out.append(
                (
                    "WK605",
                    f"{kind} id {rid!r} is used twice (first at /{kind}/{first[rid]})",
                    f"/{kind}/{i}/id",
                )
            )
        else:
            first[rid] = i
    return out


def snapshot_problems(snapshot: LedgerSnapshot) -> list[Problem]:
    """Duplicate ids (WK605) and references to records the snapshot lacks (WK606)."""
    out: list[Problem] = []
    out += _duplicates("accounts", (a.id for a in snapshot.accounts))
    out += _duplicates("bank_accounts", (b.id for b in snapshot.bank_accounts))
    out += _duplicates("bank_transactions", (t.id for t in snapshot.bank_transactions))
    out += _duplicates("invoices", (d.id for d in snapshot.invoices))
    out += _duplicates("credit_notes", (d.id for d in snapshot.credit_notes))
    out += _duplicates("contacts", (c.id for c in snapshot.contacts))
    out += _duplicates("journals", (j.id for j in snapshot.journals))
    out += _duplicates("tax_rates", (t.code for t in snapshot.tax_rates))
    out += _duplicates("fixed_assets", (a.id for a in snapshot.fixed_assets))
    out += _duplicates("repeating_invoices", (r.id for r in snapshot.repeating_invoices))
    contacts = snapshot.contacts_by_id
    banks = snapshot.bank_accounts_by_id
    invoices = snapshot.invoices_by_id

    def missing(what: str, rid: str, pointer: str) -> None:
        out.append(("WK606", f"no {what} with id {rid!r}", pointer))

    for i, t in enumerate(snapshot.bank_transactions):
        if t.bank_account_id not in banks:
            missing("bank account", t.bank_account_id, f"/bank_transactions/{i}/bank_account_id")
        if t.contact_id is not None and t.contact_id not in contacts:
            missing("contact", t.contact_id, f"/bank_transactions/{i}/contact_id")
    for i, d in enumerate(snapshot.invoices):
        if d.contact_id not in contacts:
            missing("contact", d.contact_id, f"/invoices/{i}/contact_id")
    for i, c in enumerate(snapshot.credit_notes):
        if c.contact_id not in contacts:
            missing("contact", c.contact_id, f"/credit_notes/{i}/contact_id")
        for k, a in enumerate(c.allocations):
            if a.document_id not in invoices:
                missing(
                    "invoice or bill",
                    a.document_id,
                    f"/credit_notes/{i}/allocations/{k}/document_id",
                )
    for i, r in enumerate(snapshot.repeating_invoices):
        if r.contact_id not in contacts:
            missing("contact", r.contact_id, f"/repeating_invoices/{i}/contact_id")
    return out


Locator = Callable[[str, str, str], Diagnostic]


def check_snapshot(
    snapshot: LedgerSnapshot, *, name: str = "<snapshot>", locate: Locator | None = None
) -> None:
    """Raise :class:`SnapshotError` listing every integrity problem (nothing if clean)."""
    problems = snapshot_problems(snapshot)
    if not problems:
        return

    def plain(code: str, message: str, pointer: str) -> Diagnostic:
        return Diagnostic(code=code, message=f"{pointer}: {message}", file=name, pointer=pointer)

    make = locate or plain
    diagnostics = sorted(
        (make(code, msg, ptr) for code, msg, ptr in problems[:MAX_PROBLEMS]),
        key=lambda d: d.sort_key(),
    )
    raise SnapshotError.of(diagnostics, f"{name}: the snapshot is inconsistent")
