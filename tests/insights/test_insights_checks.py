"""The other built-in checks on small ledgers with known answers."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Literal

import pytest
from insights_ledgers import AS_OF, acme, bill, contact, d, invoice, m, org, snapshot

from workflowkit.insights import (
    Account,
    BankAccount,
    BankTransaction,
    CheckResult,
    CreditNote,
    Journal,
    JournalLine,
    LedgerSnapshot,
    Line,
    LockDateChange,
    TaxRate,
    run_check,
)
from workflowkit.insights.checks.aged import bucket_labels, bucket_of
from workflowkit.insights.checks.lockdate import expected_lock_date


def codes(res: CheckResult) -> list[str]:
    return [f.code for f in res.findings]


# -- bank-reconciliation -------------------------------------------------------------


def tx(
    id: str,
    day: str,
    total: str,
    *,
    bank: str = "b1",
    kind: Literal["receive", "spend"] = "spend",
    reconciled: bool = False,
    status: Literal["authorised", "voided", "deleted"] = "authorised",
    currency: str = "GBP",
) -> BankTransaction:
    return BankTransaction(
        id=id,
        bank_account_id=bank,
        kind=kind,
        date=d(day),
        total=m(total),
        reconciled=reconciled,
        status=status,
        currency=currency,
        reference=id.upper(),
    )


def test_bank_reconciliation_per_account_in_its_currency() -> None:
    banks = (
        BankAccount(
            id="b1",
            name="Current",
            account_code="090",
            statement_balance=m("100.00"),
            ledger_balance=m("100.00"),
        ),
        BankAccount(
            id="b2",
            name="Dollars",
            currency="USD",
            statement_balance=m("50.00"),
            ledger_balance=m("45.50"),
            balance_date=AS_OF,
        ),
    )
    res = run_check(
        "bank-reconciliation",
        snapshot(
            bank_accounts=banks,
            bank_transactions=(
                tx("t1", "2024-06-25", "20.00"),
                tx("t2", "2024-06-28", "5.00", kind="receive"),
                tx("t3", "2024-03-01", "7.00", bank="b2", currency="USD"),
                tx("t4", "2024-03-01", "9.00", reconciled=True),
                tx("t5", "2024-03-01", "9.00", status="deleted"),
                tx("t6", "2024-07-01", "9.00"),  # after the as-of date
            ),
        ),
        as_of=AS_OF,
    )
    assert codes(res) == ["balance-difference", "unreconciled-items", "unreconciled-items"]
    diff, dollars, current = res.findings  # errors, then warnings, then information
    assert (diff.amount, diff.currency) == (Decimal("4.50"), "USD")
    assert current.severity == "info"  # 5 days old: normal feed lag
    assert (current.amount, current.currency) == (Decimal("-15.00"), "GBP")
    assert [r.id for r in current.records] == ["b1", "t1", "t2"]
    assert dollars.severity == "warning" and "older than 30 days" in dollars.message
    assert "oldest 2024-03-01" in res.summary and "1 statement difference" in res.summary
    assert "GBP -15.00, USD -7.00" in res.summary


def test_bank_reconciliation_tolerance_and_account_filter() -> None:
    banks = (
        BankAccount(
            id="b1",
            name="Current",
            account_code="090",
            statement_balance=m("100.00"),
            ledger_balance=m("99.99"),
        ),
        BankAccount(id="b2", name="Savings", statement_balance=m("1.00"), ledger_balance=m("0.00")),
    )
    snap = snapshot(bank_accounts=banks)
    assert (
        run_check(
            "bank-reconciliation",
            snap,
            {"balance_tolerance": "0.01", "accounts": ["090"]},
            as_of=AS_OF,
        ).outcome
        == "pass"
    )
    assert (
        run_check("bank-reconciliation", snap, {"accounts": ["Savings"]}, as_of=AS_OF).outcome
        == "issues"
    )


# -- multi-coded-contacts ------------------------------------------------------------


def test_multi_coded_contacts_accounts_and_tax_codes() -> None:
    snap = snapshot(
        contacts=(
            contact("s1", "Office Supplies Co"),
            contact("s2", "Quiet Ltd"),
            contact("s3", "Gone Quiet Ltd"),
        ),
        accounts=(Account(id="a", code="453", name="Office Expenses"),),
        invoices=(
            bill("b1", "s1", "2024-06-01", "10.00", account="453"),
            bill("b2", "s1", "2024-06-02", "20.00", account="453"),
            bill("b3", "s1", "2024-05-02", "30.00", account="429", tax="NONE"),
            bill("b4", "s2", "2024-06-02", "30.00", account="429"),
            bill("b5", "s3", "2023-12-01", "30.00", account="429"),  # not active recently
            bill("b6", "s3", "2023-12-02", "30.00", account="400"),
        ),
    )
    res = run_check("multi-coded-contacts", snap, as_of=AS_OF)
    assert codes(res) == ["multi-coded-contact", "multi-coded-contact"]
    accounts, taxes = res.findings
    assert "coded to 2 accounts: 453 Office Expenses (2 lines), 429 (1 line)" in accounts.message
    assert accounts.amount == Decimal("30.00")
    assert [r.id for r in accounts.records] == ["s1", "b3"]
    assert "2 tax codes: INPUT2 (2 lines), NONE (1 line)" in taxes.message
    only_tax = run_check("multi-coded-contacts", snap, {"compare": "tax_codes"}, as_of=AS_OF)
    assert len(only_tax.findings) == 1
    ignoring = run_check(
        "multi-coded-contacts",
        snap,
        {"compare": "accounts", "ignore_accounts": ["429"]},
        as_of=AS_OF,
    )
    assert ignoring.outcome == "pass"
    wide = run_check("multi-coded-contacts", snap, {"active_within_days": 365}, as_of=AS_OF)
    assert {r.id for f in wide.findings for r in f.records if r.type == "contact"} == {"s1", "s3"}
    later = run_check("multi-coded-contacts", snap, {"since": "2024-06-01"}, as_of=AS_OF)
    assert later.outcome == "pass"


# -- dormant-accounts ----------------------------------------------------------------


def test_dormant_accounts_ignore_system_and_archived_accounts() -> None:
    snap = snapshot(
        accounts=(
            Account(id="1", code="090", name="Current", type="bank"),
            Account(id="2", code="200", name="Sales", type="revenue"),
            Account(id="3", code="477", name="Wages", type="overheads"),
            Account(id="4", code="720", name="Computers", type="fixed_asset"),
            Account(id="5", code="820", name="VAT", type="current_liability", system=True),
            Account(id="6", code="999", name="Old", status="archived"),
            Account(id="7", name="Savings", type="bank"),
        ),
        bank_accounts=(
            BankAccount(id="b1", name="Current", account_code="090"),
            BankAccount(id="7", name="Savings"),
        ),
        bank_transactions=(tx("t1", "2024-06-01", "1.00"),),
        invoices=(invoice("i1", "k", "2023-06-29", "10.00"),),
        contacts=(contact("k", "K", "customer"),),
        journals=(
            Journal(
                id="j",
                date=d("2022-01-31"),
                lines=(JournalLine(account_code="477", amount=m("1")),),
            ),
        ),
    )
    res = run_check("dormant-accounts", snap, as_of=AS_OF)
    found = {f.records[0].id: f.message for f in res.findings}
    assert set(found) == {"2", "3", "4", "7"}
    assert "last used 2023-06-29" in found["2"]
    assert "never used" in found["4"]
    assert "4 of 5 accounts dormant" in res.summary
    recent = run_check("dormant-accounts", snap, {"since": "2023-01-01"}, as_of=AS_OF)
    assert {f.records[0].id for f in recent.findings} == {"3", "4", "7"}
    banks = run_check("dormant-accounts", snap, {"account_types": ["bank"]}, as_of=AS_OF)
    assert {f.records[0].id for f in banks.findings} == {"7"}


# -- aged-receivables / aged-payables -------------------------------------------------


def test_buckets() -> None:
    assert bucket_labels((30, 60, 90)) == [
        "current",
        "1-30 days",
        "31-60 days",
        "61-90 days",
        "91+ days",
    ]
    assert [bucket_of(x, (30, 60, 90)) for x in (-5, 0, 1, 30, 31, 90, 91)] == [0, 0, 1, 1, 2, 3, 4]


def test_aged_receivables() -> None:
    snap = snapshot(
        contacts=(contact("k1", "Bright Ideas", "customer"), contact("k2", "Tiny", "customer")),
        invoices=(
            invoice("i1", "k1", "2024-02-01", "3000.00", due="2024-03-02", amount_due="2500.00"),
            invoice("i2", "k1", "2024-06-15", "100.00", due="2024-07-15", amount_due="100.00"),
            invoice("i3", "k2", "2024-03-01", "50.00", due="2024-03-31", amount_due="50.00"),
            invoice(
                "i4",
                "k2",
                "2024-03-01",
                "70.00",
                due="2024-03-31",
                currency="EUR",
                amount_due="70.00",
            ),
            invoice(
                "i5",
                "k2",
                "2024-03-01",
                "90.00",
                due="2024-03-31",
                status="draft",
                amount_due="90.00",
            ),
            bill("b1", "k2", "2024-01-01", "999.00", amount_due="999.00"),
        ),
    )
    res = run_check("aged-receivables", snap, as_of=AS_OF)
    over = [f for f in res.findings if f.code == "overdue-contact"]
    assert [(f.records[0].id, f.amount, f.currency) for f in over] == [
        ("k1", Decimal("2500.00"), "GBP"),
        ("k2", Decimal("70.00"), "EUR"),
        ("k2", Decimal("50.00"), "GBP"),
    ]
    ageing = [f.message for f in res.findings if f.code == "ageing"]
    assert ageing == [
        "EUR: current 0.00, 1-30 days 0.00, 31-60 days 0.00, 61-90 days 0.00, 91+ days 70.00 "
        "(total 70.00)",
        "GBP: current 100.00, 1-30 days 0.00, 31-60 days 0.00, 61-90 days 0.00, "
        "91+ days 2,550.00 (total 2,650.00)",
    ]
    oldest = [f.records[0].id for f in res.findings if f.code == "oldest-item"]
    assert oldest == ["i1", "i3", "i4"]
    assert res.summary.startswith("EUR 70.00, GBP 2,650.00 outstanding on 4 invoices")
    high = run_check("aged-receivables", snap, {"contact_threshold": "1000"}, as_of=AS_OF)
    assert [f.records[0].id for f in high.findings if f.code == "overdue-contact"] == ["k1"]
    by_date = run_check(
        "aged-receivables",
        snap,
        {"age_by": "date", "overdue_after_days": 120, "top_items": 1},
        as_of=AS_OF,
    )
    assert "more than 120 days old" in by_date.summary
    assert len([f for f in by_date.findings if f.code == "oldest-item"]) == 1


def test_aged_payables_looks_at_bills_only() -> None:
    snap = snapshot(
        contacts=(contact("s", "Park Estates"),),
        invoices=(
            bill("b1", "s", "2024-02-01", "600.00", due="2024-03-01", amount_due="600.00"),
            invoice("i1", "s", "2024-02-01", "600.00", due="2024-03-01", amount_due="600.00"),
        ),
    )
    res = run_check("aged-payables", snap, as_of=AS_OF)
    assert [f.records[-1].id for f in res.findings if f.code == "overdue-contact"] == ["b1"]
    assert "1 supplier" in res.summary
    empty = run_check("aged-payables", snapshot(), as_of=AS_OF)
    assert empty.outcome == "pass" and empty.summary == "No outstanding bills at 2024-06-30"


# -- lock-date ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "weeks", "expected"),
    [
        ("2024-06-14", 2, "2024-05-31"),
        ("2024-06-13", 2, "2024-04-30"),
        ("2024-06-30", 2, "2024-05-31"),
        ("2024-03-14", 2, "2024-02-29"),
        ("2024-01-10", 1, "2023-12-31"),
        ("2024-01-06", 1, "2023-11-30"),
    ],
)
def test_expected_lock_date(as_of: str, weeks: int, expected: str) -> None:
    assert expected_lock_date(d(as_of), weeks) == d(expected)


def test_lock_date() -> None:
    behind = snapshot(organisation=org(period_lock_date=d("2024-04-30")))
    res = run_check("lock-date", behind, as_of=AS_OF)
    assert codes(res) == ["not-locked"] and "expected 2024-05-31 or later" in res.summary
    year_end = snapshot(
        organisation=org(period_lock_date=d("2024-04-30"), end_of_year_lock_date=d("2024-05-31"))
    )
    assert run_check("lock-date", year_end, as_of=AS_OF).outcome == "pass"
    never = snapshot()
    assert "no lock date is set" in run_check("lock-date", never, as_of=AS_OF).findings[0].message
    assert run_check("lock-date", never, {"grace_period_weeks": 0}, as_of=AS_OF).outcome == "pass"
    assert run_check("lock-date", behind, {"grace_period_weeks": 6}, as_of=AS_OF).outcome == "pass"


def test_lock_date_moved_back_or_removed_is_flagged() -> None:
    history = (
        LockDateChange(detected_on=d("2024-05-20"), old=d("2024-04-30"), new=d("2024-03-31")),
        LockDateChange(detected_on=d("2024-05-21"), old=d("2024-03-31"), new=d("2024-04-30")),
        LockDateChange(
            detected_on=d("2024-06-01"),
            old=d("2024-04-30"),
            new=None,
            kind="end_of_year",
            note="removed",
        ),
        LockDateChange(detected_on=d("2022-01-01"), old=d("2021-12-31"), new=d("2021-01-31")),
        LockDateChange(detected_on=d("2024-06-02"), old=None, new=d("2024-05-31")),
    )
    snap = snapshot(organisation=org(period_lock_date=d("2024-05-31")), lock_date_history=history)
    res = run_check("lock-date", snap, as_of=AS_OF)
    assert codes(res) == ["lock-date-moved-back", "lock-date-moved-back"]
    assert "from 2024-04-30 to 2024-03-31" in res.findings[0].message
    assert (
        "end-of-year lock date was moved back from 2024-04-30 (removed)" in res.findings[1].message
    )
    assert "2 lock-date changes re-opened a period" in res.summary


# -- vat-sanity -----------------------------------------------------------------------


def sale(id: str, day: str, net: str, tax: str = "OUTPUT2", **kw: object) -> object:
    return invoice(id, "k", day, net, tax=tax, **kw)


SALES_ACCOUNTS = (
    Account(id="s", code="200", name="Sales", type="revenue"),
    Account(id="l", code="900", name="Loan", type="non_current_liability"),
)


def test_large_zero_rated_and_no_vat_lines() -> None:
    snap = snapshot(
        contacts=(contact("k", "Globex", "customer"),),
        accounts=SALES_ACCOUNTS,
        invoices=(
            sale("i1", "2024-05-01", "1000.00", "ZERORATEDOUTPUT"),
            sale("i2", "2024-05-01", "999.99", "ZERORATEDOUTPUT"),
            sale("i3", "2024-05-01", "5000.00", "EXEMPTOUTPUT"),
            sale("i4", "2024-03-31", "5000.00", "NONE"),  # before the quarter
            sale("i5", "2024-06-30", "2000.00", "MYZERO"),
            bill("b1", "k", "2024-06-01", "1500.00", tax="NONE"),
        ),
    )
    res = run_check("vat-sanity", snap, as_of=AS_OF)
    assert [(f.code, f.records[0].id) for f in res.findings] == [
        ("zero-rated-line", "i1"),
        ("no-vat-line", "b1"),
    ]
    assert "from 2024-04-01 to 2024-06-30" in res.summary
    extra = run_check(
        "vat-sanity", snap, {"zero_rated_codes": ["MYZERO"], "period_months": 4}, as_of=AS_OF
    )
    assert {f.records[0].id for f in extra.findings} == {"i1", "b1", "i4", "i5"}
    rates = snapshot(
        contacts=snap.contacts,
        accounts=SALES_ACCOUNTS,
        invoices=snap.invoices,
        tax_rates=(TaxRate(code="MYZERO", kind="zero_rated", rate=m("0")),),
    )
    assert "i5" in {f.records[0].id for f in run_check("vat-sanity", rates, as_of=AS_OF).findings}
    unregistered = snapshot(
        organisation=org(vat_registered=False), contacts=snap.contacts, invoices=snap.invoices
    )
    assert not any(
        f.code.endswith("-line")
        for f in run_check("vat-sanity", unregistered, as_of=AS_OF).findings
    )


def _turnover_ledger(total: str, **org_kw: object) -> LedgerSnapshot:
    amount = Decimal(total) / 4
    tax = "NONE" if org_kw.get("vat_registered") is False else "OUTPUT2"
    quarters = ("2023-07-01", "2023-10-01", "2024-01-01", "2024-06-30")
    return snapshot(
        organisation=org(**org_kw),
        contacts=(contact("k", "Customer", "customer"),),
        accounts=SALES_ACCOUNTS,
        invoices=(
            *(invoice(f"i{q}", "k", day, str(amount), tax=tax) for q, day in enumerate(quarters)),
            invoice("old", "k", "2023-06-30", "100000.00", tax=tax),  # outside 12 months
            invoice("ex", "k", "2024-01-01", "100000.00", tax="EXEMPTOUTPUT"),  # exempt
            invoice("loan", "k", "2024-01-01", "100000.00", tax=tax, account="900"),
        ),
    )


@pytest.mark.parametrize(
    ("total", "as_of", "code", "severity"),
    [
        ("80000.00", "2024-06-30", None, None),
        ("81000.00", "2024-06-30", "vat-registration-threshold", "warning"),
        ("90000.00", "2024-06-30", "vat-registration-threshold", "warning"),
        ("90000.04", "2024-06-30", "vat-registration-threshold", "error"),
        ("86000.00", "2024-03-31", "vat-registration-threshold", "error"),  # 85,000 until April
    ],
)
def test_registration_threshold(
    total: str, as_of: str, code: str | None, severity: str | None
) -> None:
    snap = _turnover_ledger(total, vat_registered=False)
    day = d(as_of)
    back = AS_OF - day  # the same ledger, a quarter earlier
    snap = dataclasses.replace(
        snap, invoices=tuple(dataclasses.replace(i, date=i.date - back) for i in snap.invoices)
    )
    res = run_check("vat-sanity", snap, as_of=day)
    found = [(f.code, f.severity.value) for f in res.findings]
    assert found == ([] if code is None else [(code, severity)])


def test_flat_rate_uses_income_including_vat_and_schemes_their_limits() -> None:
    snap = _turnover_ledger("200000.00", vat_flat_rate=True)
    with_vat = dataclasses.replace(
        snap,
        invoices=tuple(
            dataclasses.replace(
                i,
                lines=tuple(dataclasses.replace(ln, tax_amount=ln.amount / 5) for ln in i.lines),
            )
            for i in snap.invoices
        ),
    )
    res = run_check("vat-sanity", with_vat, as_of=AS_OF)
    (f,) = [f for f in res.findings if f.code == "flat-rate-threshold"]
    assert f.severity == "error" and f.amount == Decimal("360000.00")  # 240k + 100k exempt, +20%
    cash = _turnover_ledger("1500000.00", vat_basis="cash")
    (f,) = run_check("vat-sanity", cash, as_of=AS_OF).findings
    assert f.code == "cash-accounting-threshold" and f.severity == "warning"
    annual = _turnover_ledger("1700000.00", vat_annual_accounting=True)
    (f,) = run_check("vat-sanity", annual, as_of=AS_OF).findings
    assert f.code == "annual-accounting-threshold" and f.severity == "error"


def test_foreign_currency_counts_through_its_base_total() -> None:
    snap = snapshot(
        organisation=org(vat_registered=False),
        contacts=(contact("k", "Globex", "customer"),),
        invoices=(
            invoice(
                "i1",
                "k",
                "2024-05-01",
                "100000.00",
                currency="USD",
                base_total="79000.00",
                tax="NONE",
            ),
            invoice("i2", "k", "2024-05-02", "50000.00", currency="USD", tax="NONE"),
        ),
        credit_notes=(
            CreditNote(
                id="c1",
                kind="sales",
                contact_id="k",
                date=d("2024-05-03"),
                total=m("1000.00"),
                lines=(Line(amount=m("1000.00"), tax_code="NONE"),),
            ),
        ),
    )
    res = run_check("vat-sanity", snap, as_of=AS_OF)
    turnover = [f for f in res.findings if f.code == "vat-registration-threshold"]
    assert turnover == [] and "Taxable turnover GBP 78,000.00" in res.summary
    assert [f.code for f in res.findings] == ["foreign-currency-left-out"]


def test_the_example_client_has_issues_everywhere() -> None:
    from workflowkit.insights import run_all

    results = run_all(acme(), as_of=AS_OF)
    # Acme has no payroll, entertainment, monthly suppliers or forward-looking sales, and is
    # VAT-registered: those checks have their own ledgers in test_insights_more_checks.py.
    quiet = {"control-accounts", "entertainment", "regular-suppliers", "vat-forward-look"}
    assert {k for k, r in results.items() if r.outcome == "pass"} == quiet
    assert len(results) == 17
