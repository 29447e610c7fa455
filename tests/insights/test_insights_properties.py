"""Properties of the checks and the health score (hypothesis)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st
from insights_ledgers import AS_OF

from workflowkit.insights import (
    Account,
    Allocation,
    BankAccount,
    BankTransaction,
    CheckResult,
    Contact,
    CreditNote,
    Finding,
    FindingSeverity,
    Invoice,
    Journal,
    JournalLine,
    LedgerSnapshot,
    Line,
    LockDateChange,
    Organisation,
    RecordRef,
    health_score,
    match_reason,
    normalise,
    run_check,
)
from workflowkit.insights.checks.contacts import common_words, matching_pairs
from workflowkit.insights.checks.duplicates import find_clusters
from workflowkit.insights.names import LEVELS

DAY_BASED = (
    "bank-reconciliation",
    "duplicate-transactions",
    "duplicate-contacts",
    "multi-coded-contacts",
    "dormant-accounts",
    "aged-receivables",
    "aged-payables",
)
CALENDAR_BASED = ("lock-date", "vat-sanity")
PARAMS: dict[str, dict[str, Any]] = {
    "duplicate-transactions": {"include_bank_transactions": True, "lookback_days": 400},
    "vat-sanity": {"registration_threshold": "5000", "line_threshold": "100"},
}

NAMES = [
    "Fine Foods",
    "Fine Food",
    "Park Estates",
    "Sainsbury",
    "Sainsburys",
    "Twins 5",
    "Twins 6",
    "Smart Agency",
    "City Agency",
    "Acme",
    "Acme Trading",
    "Bolt",
    "Bolts",
    "Jones & Smith",
    "Smith and Jones",
    "Unit 4 Motors",
    "Unit 12 Motors",
    "Smyth",
]
SUFFIXES = ["", " Ltd", " Limited", " LLP", " PLC", " & Co", " Inc."]
AMOUNTS = [Decimal(x) for x in ("10.00", "99.00", "120.00", "1200.00", "2500.50")]
CODES = ["200", "400", "429", "453"]
TAXES = ["OUTPUT2", "INPUT2", "NONE", "ZERORATEDOUTPUT", "EXEMPTINPUT"]
START = AS_OF - dt.timedelta(days=200)

days = st.integers(0, 200).map(lambda n: START + dt.timedelta(days=n))


@st.composite
def ledgers(draw: st.DrawFn) -> LedgerSnapshot:
    n_contacts = draw(st.integers(1, 8))
    contacts = tuple(
        Contact(
            id=f"c{i}",
            name=draw(st.sampled_from(NAMES)) + draw(st.sampled_from(SUFFIXES)),
            type=draw(st.sampled_from(["customer", "supplier"])),
        )
        for i in range(n_contacts)
    )
    contact_ids = st.sampled_from([c.id for c in contacts])
    lines = st.lists(
        st.builds(
            Line,
            amount=st.sampled_from(AMOUNTS),
            account_code=st.sampled_from(CODES),
            tax_code=st.sampled_from(TAXES),
        ),
        max_size=2,
    ).map(tuple)
    invoices: list[Invoice] = []
    for i in range(draw(st.integers(0, 14))):
        total = draw(st.sampled_from(AMOUNTS))
        day = draw(days)
        invoices.append(
            Invoice(
                id=f"i{i}",
                kind=draw(st.sampled_from(["invoice", "bill"])),
                contact_id=draw(contact_ids),
                date=day,
                total=total,
                currency=draw(st.sampled_from(["GBP", "GBP", "USD"])),
                number=f"N{i}",
                due_date=day + dt.timedelta(days=draw(st.integers(0, 60))),
                amount_due=draw(st.sampled_from([Decimal(0), total])),
                status=draw(st.sampled_from(["authorised", "paid", "voided"])),
                lines=draw(lines),
            )
        )
    notes = []
    for i in range(draw(st.integers(0, 3))):
        target: Invoice | None = None
        allocated: bool = draw(st.booleans())
        if invoices and allocated:
            target = draw(st.sampled_from(invoices))
        notes.append(
            CreditNote(
                id=f"n{i}",
                kind="purchases" if target is None or target.kind == "bill" else "sales",
                contact_id=target.contact_id if target else draw(contact_ids),
                date=draw(days),
                total=target.total if target else draw(st.sampled_from(AMOUNTS)),
                allocations=(Allocation(document_id=target.id, amount=target.total),)
                if target
                else (),
                lines=draw(lines),
            )
        )
    banks = (
        BankAccount(
            id="b1",
            name="Current",
            account_code="090",
            statement_balance=draw(st.sampled_from(AMOUNTS)),
            ledger_balance=draw(st.sampled_from(AMOUNTS)),
            balance_date=AS_OF,
        ),
    )
    bank_tx = tuple(
        BankTransaction(
            id=f"t{i}",
            bank_account_id="b1",
            kind=draw(st.sampled_from(["spend", "receive"])),
            date=draw(days),
            total=draw(st.sampled_from(AMOUNTS)),
            contact_id=draw(st.none() | contact_ids),
            reconciled=draw(st.booleans()),
            lines=draw(lines),
        )
        for i in range(draw(st.integers(0, 8)))
    )
    accounts = (
        *(
            Account(
                id=f"a{c}",
                code=c,
                name=f"Account {c}",
                type="revenue" if c == "200" else "overheads",
            )
            for c in CODES
        ),
        Account(id="a090", code="090", name="Current", type="bank"),
        Account(id="a999", code="999", name="Never", type="overheads"),
    )
    journals = tuple(
        Journal(
            id=f"j{i}",
            date=draw(days),
            lines=(JournalLine(account_code=draw(st.sampled_from(CODES)), amount=Decimal(1)),),
        )
        for i in range(draw(st.integers(0, 2)))
    )
    history = tuple(
        LockDateChange(
            detected_on=draw(days), old=draw(st.none() | days), new=draw(st.none() | days)
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    org = Organisation(
        name="Prop Ltd",
        source=draw(st.sampled_from(["xero", "qbo"])),
        vat_registered=draw(st.booleans()),
        vat_flat_rate=draw(st.booleans()),
        period_lock_date=draw(st.none() | days),
    )
    return LedgerSnapshot(
        organisation=org,
        as_of=AS_OF,
        accounts=accounts,
        bank_accounts=banks,
        bank_transactions=bank_tx,
        invoices=tuple(invoices),
        credit_notes=tuple(notes),
        contacts=contacts,
        journals=journals,
        lock_date_history=history,
    )


def shift(value: Any, by: dt.timedelta) -> Any:
    """Every date in a snapshot (or record) moved by ``by``."""
    if isinstance(value, dt.date):
        return value + by
    if isinstance(value, tuple):
        return tuple(shift(v, by) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: shift(getattr(value, f.name), by) for f in dataclasses.fields(value)}
        )
    return value


def rename(value: Any, ids: dict[str, str], names: Callable[[str], str]) -> Any:
    """Contacts given new ids and names, and every reference to them updated."""
    if isinstance(value, tuple):
        return tuple(rename(v, ids, names) for v in value)
    if isinstance(value, Contact):
        return dataclasses.replace(value, id=ids[value.id], name=names(value.name))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if f.name == "contact_id" and v is not None:
                changes[f.name] = ids[v]
            elif isinstance(v, tuple) or dataclasses.is_dataclass(v):
                changes[f.name] = rename(v, ids, names)
        return dataclasses.replace(value, **changes)
    return value


def essence(res: CheckResult, ids: dict[str, str] | None = None) -> list[tuple[Any, ...]]:
    """Findings without their words: code, severity, money and records (ids mapped)."""
    ids = ids or {}
    return sorted(
        (
            f.code,
            f.severity.value,
            str(f.amount),
            f.currency or "",
            tuple(
                sorted(
                    (r.type, ids.get(r.id, r.id) if r.type == "contact" else r.id)
                    for r in f.records
                )
            ),
        )
        for f in res.findings
    )


def run_all(
    snap: LedgerSnapshot, checks: tuple[str, ...], as_of: dt.date = AS_OF
) -> dict[str, CheckResult]:
    return {c: run_check(c, snap, PARAMS.get(c, {}), as_of=as_of) for c in checks}


# -- duplicate transactions ------------------------------------------------------------


@given(ledgers(), st.sampled_from([3, 5, 7, 13, 31]), st.integers(0, 31), st.data())
def test_a_transaction_duplicated_within_the_window_is_always_found(
    snap: LedgerSnapshot, window: int, gap: int, data: st.DataObject
) -> None:
    assume(gap <= window)
    day = data.draw(days)
    original = Invoice(
        id="orig",
        kind="bill",
        contact_id=snap.contacts[0].id,
        date=day,
        total=Decimal("777.77"),
        number="ORIG",
    )
    copy = dataclasses.replace(
        original, id="copy", number="COPY", date=day + dt.timedelta(days=gap)
    )
    snap = dataclasses.replace(snap, invoices=(*snap.invoices, original, copy))
    res = run_check(
        "duplicate-transactions",
        snap,
        {"window_days": window, "lookback_days": 400},
        as_of=AS_OF + dt.timedelta(days=31),
    )
    assert any(
        {"orig", "copy"} <= {r.id for r in f.records}
        for f in res.findings
        if f.code == "possible-duplicate"
    )


@given(ledgers(), st.sampled_from([3, 5, 7, 13, 31]), st.integers(1, 60), st.data())
def test_a_transaction_repeated_outside_the_window_never_is(
    snap: LedgerSnapshot, window: int, extra: int, data: st.DataObject
) -> None:
    day = data.draw(days)
    original = Invoice(
        id="orig",
        kind="bill",
        contact_id=snap.contacts[0].id,
        date=day,
        total=Decimal("777.77"),
        number="ORIG",
    )
    copy = dataclasses.replace(
        original, id="copy", number="COPY", date=day + dt.timedelta(days=window + extra)
    )
    snap = dataclasses.replace(snap, invoices=(*snap.invoices, original, copy))
    res = run_check(
        "duplicate-transactions",
        snap,
        {"window_days": window, "lookback_days": 400},
        as_of=AS_OF + dt.timedelta(days=100),
    )
    assert not any({"orig", "copy"} & {r.id for r in f.records} for f in res.findings)


@given(ledgers(), st.sampled_from([3, 5, 7, 13, 31]), st.booleans())
def test_the_sweep_finds_exactly_the_pairs_of_the_definition(
    snap: LedgerSnapshot, window: int, with_bank: bool
) -> None:
    start = AS_OF - dt.timedelta(days=400)
    docs: list[Any] = [d for d in snap.invoices if d.status != "voided"]
    if with_bank:
        docs += [t for t in snap.bank_transactions if t.contact_id is not None]
    naive = {
        frozenset((a.id, b.id))
        for a, b in itertools.combinations(docs, 2)
        if (a.kind in ("bill", "spend")) == (b.kind in ("bill", "spend"))
        and (a.contact_id, a.currency, a.total) == (b.contact_id, b.currency, b.total)
        and abs((a.date - b.date).days) <= window
    }
    _, clusters = find_clusters(snap, start, AS_OF, with_bank, window)
    fast = {
        frozenset((a.id, b.id))
        for _, c in clusters
        for a, b in itertools.combinations(c, 2)
        if abs((a.date - b.date).days) <= window
    }
    assert fast == naive


# -- invariance ------------------------------------------------------------------------


@given(ledgers(), st.integers(-3000, 3000))
def test_shifting_every_date_changes_no_finding(snap: LedgerSnapshot, days_: int) -> None:
    by = dt.timedelta(days=days_)
    before = run_all(snap, DAY_BASED)
    after = run_all(shift(snap, by), DAY_BASED, AS_OF + by)
    assert {k: essence(v) for k, v in before.items()} == {k: essence(v) for k, v in after.items()}


@given(ledgers(), st.integers(0, 2))
def test_calendar_checks_follow_the_calendar(snap: LedgerSnapshot, cycles: int) -> None:
    """Lock dates and VAT periods are calendar months, and VAT thresholds are the ones in
    force: the Gregorian calendar repeats its month ends every 28 years (between 1901 and
    2099), so moving forward 28 or 56 years (the latest thresholds stay in force) changes
    no finding. Moving back would reach years before the thresholds this version knows."""
    by = shift(AS_OF, dt.timedelta(0)).replace(year=AS_OF.year + 28 * cycles) - AS_OF
    before = run_all(snap, CALENDAR_BASED)
    after = run_all(shift(snap, by), CALENDAR_BASED, AS_OF + by)
    assert {k: essence(v) for k, v in before.items()} == {k: essence(v) for k, v in after.items()}


@given(ledgers(), st.randoms())
def test_renaming_contacts_consistently_changes_nothing_but_names(
    snap: LedgerSnapshot, rnd: Any
) -> None:
    new_ids = [f"new-{i}" for i in range(len(snap.contacts))]
    rnd.shuffle(new_ids)
    ids = {c.id: new_ids[i] for i, c in enumerate(snap.contacts)}
    fresh = {c.name: f"Person {i} Zz" for i, c in enumerate(snap.contacts)}
    others = tuple(c for c in DAY_BASED + CALENDAR_BASED if c != "duplicate-contacts")
    before = run_all(snap, others)
    after = run_all(rename(snap, ids, lambda n: fresh[n]), others)
    assert {k: essence(v, ids) for k, v in before.items()} == {
        k: essence(v) for k, v in after.items()
    }

    # duplicate-contacts reads the names: change only what normalisation ignores
    def restyle(name: str) -> str:
        return "  " + name.upper().replace(" LTD", " Limited").replace("&", "and") + "."

    for precision in LEVELS:
        params = {"precision": precision}
        a = run_check("duplicate-contacts", snap, params, as_of=AS_OF)
        b = run_check("duplicate-contacts", rename(snap, ids, restyle), params, as_of=AS_OF)
        assert essence(a, ids) == essence(b)


# -- duplicate contacts ----------------------------------------------------------------

name_lists = st.lists(
    st.builds(
        lambda n, s, typo: (n[:typo] + n[typo + 1 :] if typo < len(n) else n) + s,
        st.sampled_from(NAMES),
        st.sampled_from(SUFFIXES),
        st.integers(0, 30),
    ),
    max_size=25,
)


@given(name_lists, st.sampled_from(LEVELS), st.integers(2, 6))
def test_blocking_finds_exactly_the_pairs_of_the_definition(
    raw: list[str], precision: Any, cap: int
) -> None:
    keys = list({k.compact: k for k in map(normalise, raw) if k.compact}.values())
    common = common_words(keys, cap) if precision == "rough" else frozenset()
    naive = {
        (i, j): r
        for i, j in itertools.combinations(range(len(keys)), 2)
        if (r := match_reason(keys[i], keys[j], precision, common)) is not None
    }
    assert matching_pairs(keys, precision, cap) == naive


@given(name_lists)
def test_looser_precision_finds_everything_stricter_does(raw: list[str]) -> None:
    keys = list({k.compact: k for k in map(normalise, raw) if k.compact}.values())
    found = [set(matching_pairs(keys, p, 10**6)) for p in LEVELS]
    assert found[0] <= found[1] <= found[2] <= found[3]


# -- health score ----------------------------------------------------------------------

CHECK_IDS = ["bank-reconciliation", "duplicate-transactions", "lock-date", "custom-check"]
findings = st.builds(
    Finding,
    code=st.sampled_from(["a", "b", "c"]),
    severity=st.sampled_from(list(FindingSeverity)),
    message=st.just("m"),
    records=st.lists(
        st.builds(RecordRef, type=st.just("invoice"), id=st.sampled_from(["1", "2", "3"])),
        max_size=2,
    ).map(tuple),
)
results = st.dictionaries(
    st.sampled_from(CHECK_IDS),
    st.lists(findings, max_size=6),
    min_size=1,
).map(
    lambda d: {
        k: CheckResult(check=k, outcome="issues" if v else "pass", summary="s", findings=tuple(v))
        for k, v in d.items()
    }
)


@given(results, st.data())
def test_the_health_score_is_monotonic_in_the_findings(
    res: dict[str, CheckResult], data: st.DataObject
) -> None:
    before = health_score(res)
    key = data.draw(st.sampled_from(sorted(res)))
    extra = data.draw(findings)
    more = dict(res)
    more[key] = CheckResult(
        check=key, outcome="issues", summary="s", findings=(*res[key].findings, extra)
    )
    after = health_score(more)
    assert before.score is not None and after.score is not None
    assert after.score <= before.score
    assert 0 <= after.score <= 100
    fewer = {k: CheckResult(check=k, outcome="pass", summary="s") for k in res}
    assert health_score(fewer).score == 100 >= before.score
