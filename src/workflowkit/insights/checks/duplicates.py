"""``duplicate-transactions``: the same contact and value within ±N days.

How it runs in O(n log n): documents are grouped in one pass by (direction, contact,
currency, total): only documents in the same group can be duplicates. Each group of
two or more is sorted by date and swept once; a run of documents each within N days of
the previous one is one cluster (so days 1, 4 and 7 at ±5 days are one cluster of
three). Nothing is compared pairwise.

What is compared: sales invoices with sales invoices and bills with bills; with
``include_bank_transactions``, receive-money transactions join the sales side and
spend-money transactions the purchases side (a cost entered once as a bill and again as
a bank payment is the classic double count). Drafts, voided and deleted documents, zero
totals and bank transactions without a contact are left out.

Credit notes: a document is cancelled when credit notes allocated to it cover its
whole total, or when an unallocated credit note of the same direction, contact,
currency and total is dated on or after the cluster's first document (each such note
cancels one document, the latest first). A cluster left with fewer than two live
documents is reported as information (``duplicate-cancelled``), not as an issue.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from workflowkit.insights.checks._common import (
    by_currency,
    doc_ref,
    doc_words,
    money,
    plural,
    result,
)
from workflowkit.insights.grouping import partition_arrays, same_hash
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity
from workflowkit.insights.snapshot import (
    LIVE_STATUSES,
    BankTransaction,
    CreditNote,
    Invoice,
    LedgerSnapshot,
)
from workflowkit.templates.data_checks import DuplicateTransactionsParams

CHECK = "duplicate-transactions"

Item = Invoice | BankTransaction
Key = tuple[bool, str, str, Decimal]
"""(purchases side?, contact id, currency, total)."""


def _key(item: Item) -> Key:
    if isinstance(item, Invoice):
        return (item.kind == "bill", item.contact_id, item.currency, item.total)
    return (item.kind == "spend", item.contact_id or "", item.currency, item.total)


def candidate_groups(
    snapshot: LedgerSnapshot, start: dt.date, end: dt.date, with_bank: bool
) -> tuple[int, list[list[Item]]]:
    """How many documents were examined, and the groups of two or more with one key.

    Only documents with the same key (direction, contact, currency, total) can be
    duplicates; the grouping is cache-partitioned (:mod:`workflowkit.insights.grouping`),
    so time and memory grow linearly with the number of documents.
    """
    n_hint = len(snapshot.invoices) + (len(snapshot.bank_transactions) if with_bank else 0)
    mask, hashes, places = partition_arrays(n_hint)
    kept: list[Item] = []
    keep = kept.append
    live = LIVE_STATUSES
    for d in snapshot.invoices:
        if d.status in live and d.total and start <= d.date <= end:
            h = hash((d.kind == "bill", d.contact_id, d.currency, d.total))
            hashes[h & mask].append(h)
            places[h & mask].append(len(kept))
            keep(d)
    if with_bank:
        for t in snapshot.bank_transactions:
            if (
                t.contact_id is not None
                and t.status == "authorised"
                and t.total
                and start <= t.date <= end
            ):
                h = hash((t.kind == "spend", t.contact_id, t.currency, t.total))
                hashes[h & mask].append(h)
                places[h & mask].append(len(kept))
                keep(t)
    # Visit the candidates in memory order (positions ascending), not group by group:
    # at a million documents, jumping about costs more than the work itself.
    candidates = sorted(i for group in same_hash(hashes, places) for i in group)
    by_key: dict[Key, list[Item]] = defaultdict(list)  # equal hashes, unequal keys split
    for i in candidates:
        item = kept[i]
        by_key[_key(item)].append(item)
    return len(kept), [g for g in by_key.values() if len(g) > 1]


def clusters(items: list[Item], window: int) -> Iterator[list[Item]]:
    """Runs of items, in date order, each within ``window`` days of the previous one."""
    items = sorted(items, key=lambda d: (d.date, d.id))
    run = [items[0]]
    for item in items[1:]:
        if (item.date - run[-1].date).days <= window:
            run.append(item)
        else:
            if len(run) > 1:
                yield run
            run = [item]
    if len(run) > 1:
        yield run


def find_clusters(
    snapshot: LedgerSnapshot, start: dt.date, end: dt.date, with_bank: bool, window: int
) -> tuple[int, list[tuple[Key, list[Item]]]]:
    """How many documents were examined, and every cluster of possible duplicates,
    ordered by direction, contact, currency, total and date."""
    examined, groups = candidate_groups(snapshot, start, end, with_bank)
    found = [(_key(c[0]), c) for g in groups for c in clusters(g, window)]
    found.sort(key=lambda kc: (kc[0][0], kc[0][1], kc[0][2], kc[0][3], kc[1][0].date))
    return examined, found


class _Credits:
    """Credit notes, indexed for cancelling duplicates."""

    def __init__(self, snapshot: LedgerSnapshot, end: dt.date) -> None:
        self.allocated: dict[str, Decimal] = defaultdict(Decimal)
        self.allocated_by: dict[str, list[CreditNote]] = defaultdict(list)
        self.free: dict[Key, list[CreditNote]] = defaultdict(list)
        for c in snapshot.credit_notes:
            if c.status not in LIVE_STATUSES or c.date > end:
                continue
            if c.allocations:
                for a in c.allocations:
                    self.allocated[a.document_id] += a.amount
                    self.allocated_by[a.document_id].append(c)
            else:
                self.free[(c.kind == "purchases", c.contact_id, c.currency, c.total)].append(c)
        for notes in self.free.values():
            notes.sort(key=lambda c: (c.date, c.id))
        self.used: set[str] = set()

    def cancel(self, key: Key, run: list[Item]) -> tuple[list[Item], list[Item], list[CreditNote]]:
        """(live items, cancelled items, credit notes that cancelled them)."""
        live: list[Item] = []
        cancelled: list[Item] = []
        notes: list[CreditNote] = []
        for item in run:
            if isinstance(item, Invoice) and self.allocated.get(item.id, Decimal(0)) >= item.total:
                cancelled.append(item)
                notes.extend(self.allocated_by[item.id])
            else:
                live.append(item)
        earliest = run[0].date
        for note in self.free.get(key, ()):
            if note.id in self.used or note.date < earliest:
                continue
            target = next((i for i in reversed(live) if isinstance(i, Invoice)), None)
            if target is None:
                break
            self.used.add(note.id)
            live.remove(target)
            cancelled.append(target)
            notes.append(note)
        return live, cancelled, notes


def _describe(items: list[Item]) -> str:
    return ", ".join(f"{doc_words(i)} ({i.date.isoformat()})" for i in items)


def _cancelled_message(
    live: list[Item],
    cancelled: list[Item],
    notes: list[CreditNote],
    contact: str,
    total: Decimal,
    currency: str,
) -> str:
    by = ", ".join(dict.fromkeys(n.number or n.id for n in notes))
    what = f"({contact}, {money(total, currency)})"
    if not live:
        return f"{_describe(cancelled)} {what} were all cancelled by credit note {by}"
    verb = "was" if len(cancelled) == 1 else "were"
    return (
        f"{_describe(cancelled)} duplicated {_describe(live)} {what} and {verb} cancelled "
        f"by credit note {by}"
    )


def _what(items: list[Item], key: Key) -> str:
    kinds = {type(i) for i in items}
    if kinds == {Invoice}:
        return "bills" if key[0] else "invoices"
    if kinds == {BankTransaction}:
        return "spend-money transactions" if key[0] else "receive-money transactions"
    return "bills and payments" if key[0] else "invoices and receipts"


def run(
    snapshot: LedgerSnapshot, params: DuplicateTransactionsParams, *, as_of: dt.date
) -> CheckResult:
    start = as_of - dt.timedelta(days=params.lookback_days)
    window = params.window_days
    examined, found = find_clusters(
        snapshot, start, as_of, params.include_bank_transactions, window
    )
    credits: _Credits | None = None
    findings: list[Finding] = []
    at_risk: dict[str, Decimal] = defaultdict(Decimal)
    for key, cluster in found:
        if credits is None:
            credits = _Credits(snapshot, as_of)
        live, cancelled, notes = credits.cancel(key, cluster)
        contact = snapshot.contact_name(key[1])
        currency, total = key[2], key[3]
        if len(live) >= 2:
            extra = total * (len(live) - 1)
            at_risk[currency] += extra
            message = (
                f"{len(live)} {_what(live, key)} from {contact} for {money(total, currency)} "
                f"within {window} days: {_describe(live)}"
            )
            if cancelled:
                message += f" ({_describe(cancelled)} cancelled by credit note)"
            findings.append(
                Finding(
                    code="possible-duplicate",
                    severity=FindingSeverity.WARNING,
                    message=message,
                    amount=extra,
                    currency=currency,
                    records=tuple(doc_ref(i) for i in live),
                )
            )
        else:
            findings.append(
                Finding(
                    code="duplicate-cancelled",
                    severity=FindingSeverity.INFO,
                    message=_cancelled_message(live, cancelled, notes, contact, total, currency),
                    amount=total,
                    currency=currency,
                    records=tuple(doc_ref(i) for i in (*live, *cancelled, *notes)),
                )
            )
    scope = (
        "invoices, bills and bank transactions"
        if params.include_bank_transactions
        else ("invoices and bills")
    )
    where = f"among {examined:,} {scope} in the last {params.lookback_days} days (±{window} days)"
    dupes = sum(1 for f in findings if f.code == "possible-duplicate")
    if dupes:
        summary = f"{plural(dupes, 'possible duplicate')} ({by_currency(at_risk)}) {where}"
    else:
        summary = f"No duplicates {where}"
    return result(CHECK, summary, findings)
