"""duplicate-transactions on small ledgers with known answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from insights_ledgers import AS_OF, bill, contact, d, invoice, m, snapshot

from workflowkit.insights import (
    Allocation,
    BankAccount,
    BankTransaction,
    CheckResult,
    CreditNote,
    run_check,
)

CONTACTS = (
    contact("s1", "Park Estates LLP"),
    contact("s2", "Fine Foods Ltd"),
    contact("k1", "Bright Ideas Ltd", "customer"),
)
BANK = (BankAccount(id="bank", name="Current"),)


def run(params: dict[str, object] | None = None, /, **kw: object) -> CheckResult:
    kw.setdefault("contacts", CONTACTS)
    kw.setdefault("bank_accounts", BANK)
    return run_check("duplicate-transactions", snapshot(**kw), params or {}, as_of=AS_OF)


def groups(res: CheckResult, code: str = "possible-duplicate") -> list[set[str]]:
    return [{r.id for r in f.records} for f in res.findings if f.code == code]


@pytest.mark.parametrize("window", [3, 5, 7, 13, 31])
def test_the_boundary_of_the_window_is_inside_and_one_day_more_is_outside(window: int) -> None:
    first = AS_OF - dt.timedelta(days=40)
    on_edge = (first + dt.timedelta(days=window)).isoformat()
    past_edge = (first + dt.timedelta(days=window + 1)).isoformat()
    inside = run(
        {"window_days": window},
        invoices=(
            bill("b1", "s1", first.isoformat(), "1200.00"),
            bill("b2", "s1", on_edge, "1200.00"),
        ),
    )
    outside = run(
        {"window_days": window},
        invoices=(
            bill("b1", "s1", first.isoformat(), "1200.00"),
            bill("b2", "s1", past_edge, "1200.00"),
        ),
    )
    assert groups(inside) == [{"b1", "b2"}]
    assert inside.outcome == "issues" and inside.suggested_status == "complete_with_issues"
    assert inside.findings[0].amount == Decimal("1200.00")
    assert groups(outside) == [] and outside.outcome == "pass"


def test_default_window_is_five_days() -> None:
    res = run(
        invoices=(
            bill("b1", "s1", "2024-06-01", "50.00"),
            bill("b2", "s1", "2024-06-06", "50.00"),
            bill("b3", "s2", "2024-06-01", "80.00"),
            bill("b4", "s2", "2024-06-07", "80.00"),
        )
    )
    assert groups(res) == [{"b1", "b2"}]
    assert "1 possible duplicate" in res.summary and "±5 days" in res.summary


def test_same_value_different_contact_side_or_currency_is_not_a_duplicate() -> None:
    res = run(
        invoices=(
            bill("b1", "s1", "2024-06-01", "100.00"),
            bill("b2", "s2", "2024-06-01", "100.00"),  # another contact
            bill("b3", "s1", "2024-06-01", "100.00", currency="EUR"),  # another currency
            invoice("i1", "s1", "2024-06-01", "100.00"),  # a sale, not a purchase
            bill("b4", "s1", "2024-06-02", "100.01"),  # another value
        )
    )
    assert groups(res) == []


def test_accounts_in_several_currencies_compare_within_a_currency_only() -> None:
    res = run(
        invoices=(
            invoice("i1", "k1", "2024-06-01", "2000.00", currency="USD"),
            invoice("i2", "k1", "2024-06-02", "2000.00", currency="GBP"),
            invoice("i3", "k1", "2024-06-03", "2000.00", currency="USD"),
            invoice("i4", "k1", "2024-06-04", "2000.00", currency="EUR"),
        )
    )
    (f,) = res.findings
    assert {r.id for r in f.records} == {"i1", "i3"} and f.currency == "USD"
    assert "USD 2,000.00" in res.summary


def test_a_credit_note_allocated_to_one_of_a_pair_cancels_it() -> None:
    note = CreditNote(
        id="cn1",
        kind="purchases",
        contact_id="s1",
        date=d("2024-06-10"),
        total=m("1200.00"),
        number="CN-1",
        allocations=(Allocation(document_id="b2", amount=m("1200.00")),),
    )
    res = run(
        invoices=(
            bill("b1", "s1", "2024-06-03", "1200.00"),
            bill("b2", "s1", "2024-06-05", "1200.00"),
        ),
        credit_notes=(note,),
    )
    assert res.outcome == "pass"
    (f,) = res.findings
    assert f.code == "duplicate-cancelled" and f.severity == "info"
    assert {r.id for r in f.records} == {"b1", "b2", "cn1"}
    assert "B2" in f.message and "cancelled by credit note CN-1" in f.message


def test_a_partial_credit_note_does_not_cancel() -> None:
    note = CreditNote(
        id="cn1",
        kind="purchases",
        contact_id="s1",
        date=d("2024-06-10"),
        total=m("200.00"),
        allocations=(Allocation(document_id="b2", amount=m("200.00")),),
    )
    res = run(
        invoices=(
            bill("b1", "s1", "2024-06-03", "1200.00"),
            bill("b2", "s1", "2024-06-05", "1200.00"),
        ),
        credit_notes=(note,),
    )
    assert groups(res) == [{"b1", "b2"}]


def test_an_unallocated_credit_note_for_the_same_value_cancels_the_later_one() -> None:
    note = CreditNote(
        id="cn1",
        kind="purchases",
        contact_id="s1",
        date=d("2024-06-20"),
        total=m("1200.00"),
        number="CN-1",
    )
    early = CreditNote(
        id="cn0",
        kind="purchases",
        contact_id="s1",
        date=d("2024-05-01"),
        total=m("1200.00"),
        number="CN-0",
    )  # before the pair: not about it
    wrong_side = CreditNote(
        id="cn2", kind="sales", contact_id="s1", date=d("2024-06-20"), total=m("1200.00")
    )
    docs = (
        bill("b1", "s1", "2024-06-03", "1200.00"),
        bill("b2", "s1", "2024-06-05", "1200.00"),
        bill("b3", "s1", "2024-06-07", "1200.00"),
    )
    res = run(invoices=docs, credit_notes=(early, wrong_side, note))
    (f,) = res.findings
    assert f.code == "possible-duplicate" and {r.id for r in f.records} == {"b1", "b2"}
    assert "cancelled by credit note" in f.message
    only_early = run(invoices=docs[:2], credit_notes=(early,))
    assert groups(only_early) == [{"b1", "b2"}]


def test_voided_deleted_and_draft_documents_are_left_out() -> None:
    res = run(
        invoices=(
            bill("b1", "s1", "2024-06-03", "10.00"),
            bill("b2", "s1", "2024-06-03", "10.00", status="voided"),
            bill("b3", "s1", "2024-06-03", "10.00", status="deleted"),
            bill("b4", "s1", "2024-06-03", "10.00", status="draft"),
        )
    )
    assert groups(res) == []
    paid = run(
        invoices=(
            bill("b1", "s1", "2024-06-03", "10.00", status="paid"),
            bill("b2", "s1", "2024-06-04", "10.00", status="submitted"),
        )
    )
    assert groups(paid) == [{"b1", "b2"}]


def test_a_run_of_close_dates_is_one_cluster() -> None:
    res = run(
        invoices=(
            bill("b1", "s1", "2024-06-01", "10.00"),
            bill("b2", "s1", "2024-06-05", "10.00"),
            bill("b3", "s1", "2024-06-09", "10.00"),
            bill("b4", "s1", "2024-06-20", "10.00"),
        )
    )
    (f,) = res.findings
    assert {r.id for r in f.records} == {"b1", "b2", "b3"}
    assert f.amount == Decimal("20.00")  # counted twice too many


def spend(id: str, day: str, total: str, contact_id: str | None = "s1") -> BankTransaction:
    return BankTransaction(
        id=id,
        bank_account_id="bank",
        kind="spend",
        date=d(day),
        total=m(total),
        contact_id=contact_id,
        reference=id.upper(),
    )


def test_bank_transactions_only_when_asked() -> None:
    kw: dict[str, object] = {
        "invoices": (bill("b1", "s1", "2024-06-03", "1200.00"),),
        "bank_transactions": (
            spend("t1", "2024-06-04", "1200.00"),
            spend("t2", "2024-06-20", "30.00"),
            spend("t3", "2024-06-21", "30.00"),
            spend("t4", "2024-06-21", "30.00", contact_id=None),
        ),
    }
    assert groups(run(**kw)) == []
    res = run({"include_bank_transactions": True}, **kw)
    assert sorted(map(sorted, groups(res))) == [["b1", "t1"], ["t2", "t3"]]
    assert any("bills and payments" in f.message for f in res.findings)
    assert "bank transactions" in res.summary


def test_lookback_and_as_of_bound_what_is_compared() -> None:
    docs = (
        bill("b1", "s1", "2024-01-02", "10.00"),
        bill("b2", "s1", "2024-01-03", "10.00"),
        bill("b3", "s1", "2024-07-02", "10.00"),
        bill("b4", "s1", "2024-07-03", "10.00"),
    )
    assert groups(run(invoices=docs)) == []  # too old for 90 days; after the as-of date
    assert groups(run({"lookback_days": 365}, invoices=docs)) == [{"b1", "b2"}]
