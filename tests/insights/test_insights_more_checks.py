"""The checks of issue 16 part 8, each on a hand-computed ledger (the same as docs/insights.md).

control-accounts, contact-defaults, fixed-assets, entertainment, debtor-days,
customer-reliance, regular-suppliers and vat-forward-look; properties of debtor days and
customer shares.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from insights_ledgers import AS_OF, bill, contact, d, invoice, m, org, snapshot

from workflowkit.insights import (
    Account,
    BankAccount,
    BankTransaction,
    CreditNote,
    FixedAsset,
    Invoice,
    Journal,
    JournalLine,
    Line,
    RepeatingInvoice,
    run_check,
)
from workflowkit.insights.checks.controls import last_complete_month
from workflowkit.insights.checks.debtors import customer_shares, debtor_days
from workflowkit.insights.checks.vatforward import occurrences

BANK = BankAccount(id="b1", name="Current", account_code="090")


def spend(id: str, day: str, amount: str, account: str, contact_id: str | None = None):  # type: ignore[no-untyped-def]
    return BankTransaction(
        id=id,
        bank_account_id="b1",
        kind="spend",
        date=d(day),
        total=m(amount),
        contact_id=contact_id,
        reference=id.upper(),
        lines=(Line(amount=m(amount), account_code=account),),
    )


def journal(id: str, day: str, *lines: tuple[str, str]) -> Journal:
    return Journal(
        id=id,
        date=d(day),
        number=id.upper(),
        lines=tuple(JournalLine(account_code=a, amount=m(x)) for a, x in lines),
    )


# -- control-accounts ---------------------------------------------------------------------

PAYROLL_ACCOUNTS = (
    Account(id="a090", code="090", name="Current", type="bank"),
    Account(id="a477", code="477", name="Wages and Salaries", type="overheads"),
    Account(id="a814", code="814", name="Wages Payable", type="current_liability"),
    Account(id="a825", code="825", name="PAYE Payable", type="current_liability"),
)


def payroll(*, paid_paye: bool = True) -> object:
    return snapshot(
        accounts=PAYROLL_ACCOUNTS,
        bank_accounts=(BANK,),
        journals=(
            journal(
                "pr-may", "2024-05-31", ("477", "4000.00"), ("825", "-1000.00"), ("814", "-3000.00")
            ),
            journal(
                "pr-jun", "2024-06-30", ("477", "4100.00"), ("825", "-1100.00"), ("814", "-3000.00")
            ),
        ),
        bank_transactions=(
            *((spend("hmrc-jun", "2024-06-22", "1000.00", "825"),) if paid_paye else ()),
            spend("wages-may", "2024-05-31", "3000.00", "814"),
            spend("wages-jun", "2024-06-28", "2950.00", "814"),
        ),
    )


def test_control_accounts_clear_after_payment_and_say_what_is_left() -> None:
    res = run_check("control-accounts", payroll(), as_of=AS_OF)  # type: ignore[arg-type]
    # PAYE: balance -1,100 at 30 June, all accrued in June: clear. Net wages: -50 left.
    # Pension: no account 826 in the chart.
    assert [f.code for f in res.findings] == ["control-not-cleared"]
    wages = res.findings[0]
    assert wages.amount == Decimal("50.00") and "net wages" in wages.message
    assert "PAYE clear" in res.summary and "pension: no account 826" in res.summary

    unpaid = run_check("control-accounts", payroll(paid_paye=False), as_of=AS_OF)  # type: ignore[arg-type]
    paye = [f for f in unpaid.findings if "PAYE" in f.message]
    assert len(paye) == 1 and paye[0].amount == Decimal("1000.00")
    assert "accrued before 2024-06-01 is still unpaid" in paye[0].message
    assert {r.id for r in paye[0].records} == {"a825", "pr-may"}


def test_control_accounts_overpaid_and_month_boundaries() -> None:
    over = dataclasses.replace(
        payroll(),  # type: ignore[type-var]
        bank_transactions=(spend("hmrc-jun", "2024-06-22", "1200.00", "825"),),
        journals=(journal("pr-may", "2024-05-31", ("825", "-1000.00")),),
    )
    res = run_check("control-accounts", over, {"net_wages_accounts": []}, as_of=AS_OF)
    assert [(f.code, f.amount) for f in res.findings] == [("control-overpaid", Decimal("200.00"))]
    assert last_complete_month(d("2024-06-30")) == (d("2024-06-01"), d("2024-06-30"))
    assert last_complete_month(d("2024-06-29")) == (d("2024-05-01"), d("2024-05-31"))
    assert last_complete_month(d("2024-03-01")) == (d("2024-02-01"), d("2024-02-29"))


def test_journals_the_ledger_generated_for_documents_are_not_counted_twice() -> None:
    doubled = dataclasses.replace(
        payroll(),  # type: ignore[type-var]
        journals=(
            *payroll().journals,  # type: ignore[attr-defined]
            Journal(
                id="gen",
                date=d("2024-06-22"),
                source_type="CASHPAID",
                lines=(JournalLine(account_code="825", amount=m("1000.00")),),
            ),
        ),
    )
    res = run_check("control-accounts", doubled, {"net_wages_accounts": []}, as_of=AS_OF)
    assert res.outcome == "pass"


# -- contact-defaults ---------------------------------------------------------------------


def test_contacts_without_defaults() -> None:
    snap = snapshot(
        contacts=(
            contact("s1", "Paper Mill Ltd"),
            contact("s2", "Ink Co", purchases_account_code="429", purchases_tax_code="INPUT2"),
            contact("s3", "One-off Ltd"),
        ),
        invoices=(
            bill("b1", "s1", "2024-05-01", "100.00", account="461"),
            bill("b2", "s1", "2024-06-01", "100.00", account="461"),
            bill("b3", "s2", "2024-05-01", "50.00"),
            bill("b4", "s2", "2024-06-01", "50.00"),
            bill("b5", "s3", "2024-06-01", "50.00"),
        ),
    )
    res = run_check("contact-defaults", snap, as_of=AS_OF)
    assert [f.code for f in res.findings] == ["missing-contact-default"]
    f = res.findings[0]
    assert f.message.startswith(
        "Paper Mill Ltd: no default purchases account (its documents use 461)"
    )
    assert [r.id for r in f.records] == ["s1", "b1", "b2"]
    only_tax = run_check("contact-defaults", snap, {"require": "tax_codes"}, as_of=AS_OF)
    assert "account" not in only_tax.findings[0].message.split(";")[0].replace("tax code", "")
    qbo = dataclasses.replace(snap, organisation=org(source="qbo"))
    assert run_check("contact-defaults", qbo, as_of=AS_OF).outcome == "pass"


# -- fixed-assets -------------------------------------------------------------------------

ASSET_ACCOUNTS = (
    Account(id="a429", code="429", name="General Expenses", type="overheads"),
    Account(id="a469", code="469", name="Rent", type="overheads"),
    Account(id="a720", code="720", name="Office Equipment", type="fixed_asset"),
)


def test_fixed_assets_expensed_and_register_against_ledger() -> None:
    snap = snapshot(
        accounts=ASSET_ACCOUNTS,
        contacts=(contact("s1", "Office World"),),
        invoices=(
            bill("b1", "s1", "2024-04-10", "1500.00", account="429"),
            bill("b2", "s1", "2024-04-11", "2000.00", account="469"),
            bill("b3", "s1", "2024-04-12", "999.99", account="429"),
            bill("b4", "s1", "2024-02-01", "2400.00", account="720"),
            bill("b5", "s1", "2024-05-01", "600.00", account="720"),
        ),
        fixed_assets=(
            FixedAsset(
                id="fa1",
                name="Server",
                account_code="720",
                purchase_date=d("2024-02-01"),
                cost=m("2400.00"),
            ),
            FixedAsset(
                id="fa2",
                name="Old laptop",
                account_code="720",
                purchase_date=d("2020-02-01"),
                cost=m("900.00"),
                status="disposed",
                disposal_date=d("2023-12-31"),
            ),
        ),
    )
    res = run_check("fixed-assets", snap, as_of=AS_OF)
    codes = [(f.code, f.amount, f.records[0].id) for f in res.findings]
    assert codes == [
        ("possible-capital-item", Decimal("1500.00"), "b1"),
        ("register-difference", Decimal("600.00"), "a720"),
    ]
    assert "ledger holds GBP 3,000.00" in res.findings[1].message
    assert "register GBP 2,400.00" in res.findings[1].message
    without = dataclasses.replace(snap, fixed_assets=())
    assert "no asset register" in run_check("fixed-assets", without, as_of=AS_OF).summary


# -- entertainment ------------------------------------------------------------------------


def _ent(id: str, account: str, tax: str, vat: str) -> Invoice:
    return Invoice(
        id=id,
        kind="bill",
        contact_id="s1",
        date=d("2024-06-05"),
        total=m("250.00") + m(vat),
        number=id.upper(),
        lines=(Line(amount=m("250.00"), account_code=account, tax_code=tax, tax_amount=m(vat)),),
    )


def test_vat_reclaimed_on_business_entertainment_is_an_error() -> None:
    snap = snapshot(
        accounts=(
            Account(id="a420", code="420", name="Entertainment", type="overheads"),
            Account(id="a421", code="421", name="Staff Entertainment", type="overheads"),
        ),
        contacts=(contact("s1", "The Ivy"),),
        invoices=(
            _ent("e1", "420", "INPUT2", "50.00"),
            _ent("e2", "421", "INPUT2", "50.00"),
            _ent("e3", "420", "NONE", "0"),
        ),
    )
    res = run_check("entertainment", snap, as_of=AS_OF)
    assert [(f.code, f.severity.value, f.amount) for f in res.findings] == [
        ("vat-on-entertainment", "error", Decimal("50.00"))
    ]
    assert "Input Tax) Order 1992 art 5" in res.findings[0].message
    assert res.findings[0].records[0].id == "e1"
    unregistered = dataclasses.replace(snap, organisation=org(vat_registered=False))
    assert run_check("entertainment", unregistered, as_of=AS_OF).outcome == "pass"


# -- debtor-days and customer-reliance ----------------------------------------------------


def debtors_ledger() -> object:
    return snapshot(
        contacts=(contact("c1", "Big Buyer", "customer"), contact("c2", "Small Buyer", "customer")),
        invoices=(
            invoice("i1", "c1", "2023-07-02", "45625.00"),
            invoice("i2", "c2", "2024-06-01", "45625.00", amount_due="15000.00"),
        ),
    )


def test_debtor_days_by_hand() -> None:
    snap = debtors_ledger()
    # 15,000 owed / 91,250 credit sales x 365 days = 60.0 days
    assert debtor_days(snap, AS_OF, 365) == (m("15000.00"), m("91250.00"), m("60.0"), 365, 0)  # type: ignore[arg-type]
    assert run_check("debtor-days", snap, as_of=AS_OF).outcome == "pass"  # type: ignore[arg-type]
    high = run_check("debtor-days", snap, {"max_days": 59}, as_of=AS_OF)  # type: ignore[arg-type]
    assert [(f.code, f.amount) for f in high.findings] == [("debtor-days-high", m("15000.00"))]
    assert high.findings[0].records[0].id == "i2"
    # a ledger with one month of history is measured over that month: 30 days
    young = dataclasses.replace(snap, invoices=snap.invoices[1:])  # type: ignore[attr-defined]
    assert debtor_days(young, AS_OF, 365)[2:4] == (m("9.9"), 30)


def test_customer_reliance_by_hand() -> None:
    snap = snapshot(
        contacts=tuple(contact(f"c{i}", n, "customer") for i, n in enumerate("ABC", 1)),
        invoices=(
            invoice("i1", "c1", "2024-03-01", "5000.00"),
            invoice("i2", "c2", "2024-03-01", "3500.00"),
            invoice("i3", "c3", "2024-03-01", "2000.00"),
        ),
        credit_notes=(
            CreditNote(
                id="n1",
                kind="sales",
                contact_id="c2",
                date=d("2024-04-01"),
                total=m("500.00"),
                lines=(Line(amount=m("500.00"), account_code="200"),),
            ),
        ),
    )
    shares, total, _ = customer_shares(snap, AS_OF - dt.timedelta(days=365), AS_OF)
    assert shares == {"c1": Fraction(1, 2), "c2": Fraction(3, 10), "c3": Fraction(1, 5)}
    assert total == m("10000.00")
    res = run_check("customer-reliance", snap, as_of=AS_OF)
    assert [(f.code, f.amount, f.records[0].id) for f in res.findings] == [
        ("customer-reliance", m("5000.00"), "c1")
    ]
    assert "A is 50.0% of net sales" in res.findings[0].message
    assert run_check("customer-reliance", snap, {"threshold": "0.5"}, as_of=AS_OF).outcome == "pass"


# -- regular-suppliers --------------------------------------------------------------------


def test_an_expected_monthly_bill_is_missing() -> None:
    snap = snapshot(
        bank_accounts=(BANK,),
        contacts=(contact("p", "Power Co"), contact("t", "Phone Co"), contact("o", "Once Ltd")),
        invoices=(
            bill("p3", "p", "2024-03-05", "120.00"),
            bill("p4", "p", "2024-04-05", "130.00"),
            bill("p5", "p", "2024-05-05", "125.00"),
            bill("t3", "t", "2024-03-09", "40.00"),
            bill("t4", "t", "2024-04-09", "40.00"),
            bill("o4", "o", "2024-04-20", "900.00"),
        ),
        bank_transactions=(
            spend("dd5", "2024-05-09", "40.00", "429", "t"),
            spend("dd6", "2024-06-09", "40.00", "429", "t"),
        ),
    )
    res = run_check("regular-suppliers", snap, as_of=AS_OF)
    assert [(f.code, f.amount, f.records[0].id) for f in res.findings] == [
        ("expected-bill-missing", m("125.00"), "p")
    ]
    assert "nothing dated in 2024-06" in res.findings[0].message
    assert [r.id for r in res.findings[0].records[1:]] == ["p5", "p4", "p3"]
    assert res.summary.startswith("1 of 2 regular supplier(s)")
    # without bank transactions, Phone Co has no May bill and is not regular
    bills_only = run_check(
        "regular-suppliers", snap, {"include_bank_transactions": False}, as_of=AS_OF
    )
    assert bills_only.summary.startswith("1 of 1 regular supplier(s)")
    # on 29 June the period is May, which Power Co's bill covers (no Feb: not regular)
    assert run_check("regular-suppliers", snap, as_of=d("2024-06-29")).outcome == "pass"


# -- vat-forward-look ---------------------------------------------------------------------


def forward(extra: str | None = None) -> object:
    rep = RepeatingInvoice(
        id="r1",
        kind="invoice",
        contact_id="c1",
        next_date=d("2024-06-10"),
        total=m("50000.00"),
        reference="Retainer",
        lines=(Line(amount=m("50000.00"), account_code="200", tax_code="NONE"),),
    )
    weekly = RepeatingInvoice(
        id="r2",
        kind="invoice",
        contact_id="c1",
        next_date=d("2024-05-25"),
        unit="week",
        total=m("1000.00"),
    )
    invoices = [invoice("f1", "c1", "2024-06-20", "35000.00", tax="NONE")]
    if extra:
        invoices.append(invoice("f2", "c1", "2024-06-30", extra, tax="NONE"))
    return snapshot(
        organisation=org(vat_registered=False),
        contacts=(contact("c1", "Client A", "customer"),),
        invoices=tuple(invoices),
        repeating_invoices=(rep, weekly),
    )


def test_vat_registration_forward_look_by_hand() -> None:
    june = d("2024-06-01")
    # 50,000 (10 June) + 35,000 (20 June) + 5 x 1,000 (1, 8, 15, 22, 29 June) = 90,000:
    # not over the 90,000 threshold ("will exceed"), but at 100% of it: a warning
    res = run_check("vat-forward-look", forward(), as_of=june)  # type: ignore[arg-type]
    assert [(f.code, f.severity.value, f.amount) for f in res.findings] == [
        ("vat-registration-forward-look", "warning", m("90000.00"))
    ]
    assert "2024-06-01 to 2024-06-30" in res.summary
    over = run_check("vat-forward-look", forward("0.01"), as_of=june)  # type: ignore[arg-type]
    assert [(f.severity.value, f.amount) for f in over.findings] == [("error", m("90000.01"))]
    assert "tell HMRC by 2024-06-30" in over.findings[0].message
    assert over.findings[0].records[0].id == "r1"
    registered = dataclasses.replace(forward(), organisation=org())  # type: ignore[type-var]
    assert run_check("vat-forward-look", registered, as_of=june).outcome == "pass"
    # a day later the 30 days run to 1 July: the 1 June weekly invoice drops out
    later = run_check("vat-forward-look", forward(), as_of=d("2024-06-02"))  # type: ignore[arg-type]
    assert later.findings[0].amount == m("89000.00")


def test_occurrences_of_a_repeating_invoice() -> None:
    monthly = RepeatingInvoice(
        id="r",
        kind="invoice",
        contact_id="c",
        next_date=d("2024-01-31"),
        total=m("1"),
        every=1,
        end_date=d("2024-05-31"),
    )
    assert list(occurrences(monthly, d("2024-02-01"), d("2024-12-31"))) == [
        d("2024-02-29"),
        d("2024-03-31"),
        d("2024-04-30"),
        d("2024-05-31"),
    ]
    weekly = dataclasses.replace(monthly, unit="week", every=2, end_date=None)
    assert list(occurrences(weekly, d("2024-02-01"), d("2024-02-29"))) == [
        d("2024-02-14"),
        d("2024-02-28"),
    ]


# -- properties ---------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
days = st.integers(0, 500).map(lambda n: AS_OF - dt.timedelta(days=n))


@st.composite
def sales_ledgers(draw: st.DrawFn) -> object:
    n_contacts = draw(st.integers(1, 6))
    contacts = tuple(contact(f"c{i}", f"Customer {i}", "customer") for i in range(n_contacts))
    docs = []
    for i in range(draw(st.integers(0, 25))):
        total = draw(amounts)
        docs.append(
            Invoice(
                id=f"i{i}",
                kind="invoice",
                contact_id=f"c{draw(st.integers(0, n_contacts - 1))}",
                date=draw(days),
                total=total,
                amount_due=draw(st.sampled_from([Decimal(0), total])),
                lines=(Line(amount=total, account_code="200"),),
            )
        )
    notes = []
    for i in range(draw(st.integers(0, 4))):
        total = draw(amounts)
        notes.append(
            CreditNote(
                id=f"n{i}",
                kind="sales",
                contact_id=f"c{draw(st.integers(0, n_contacts - 1))}",
                date=draw(days),
                total=total,
                remaining_credit=draw(st.sampled_from([0, total])),
                lines=(Line(amount=total, account_code="200"),),
            )
        )
    return snapshot(contacts=contacts, invoices=tuple(docs), credit_notes=tuple(notes))


@settings(max_examples=60, deadline=None)
@given(sales_ledgers(), st.randoms(use_true_random=False))
def test_debtor_days_do_not_depend_on_record_order(snap: object, rnd: random.Random) -> None:
    invoices = list(snap.invoices)  # type: ignore[attr-defined]
    notes = list(snap.credit_notes)  # type: ignore[attr-defined]
    rnd.shuffle(invoices)
    rnd.shuffle(notes)
    shuffled = dataclasses.replace(snap, invoices=tuple(invoices), credit_notes=tuple(notes))  # type: ignore[type-var]
    assert debtor_days(snap, AS_OF, 365) == debtor_days(shuffled, AS_OF, 365)  # type: ignore[arg-type]
    a = run_check("debtor-days", snap, as_of=AS_OF)  # type: ignore[arg-type]
    assert a == run_check("debtor-days", shuffled, as_of=AS_OF)


@settings(max_examples=60, deadline=None)
@given(sales_ledgers())
def test_customer_shares_add_up_to_one(snap: object) -> None:
    shares, total, _ = customer_shares(snap, AS_OF - dt.timedelta(days=365), AS_OF)  # type: ignore[arg-type]
    if shares:
        assert sum(shares.values()) == 1 and all(0 < s <= 1 for s in shares.values())
        assert total > 0
    else:
        assert total == 0
    res = run_check("customer-reliance", snap, {"threshold": "0.5"}, as_of=AS_OF)  # type: ignore[arg-type]
    assert len([f for f in res.findings if f.code == "customer-reliance"]) <= 1


@pytest.mark.parametrize(
    "check",
    [
        "control-accounts",
        "contact-defaults",
        "fixed-assets",
        "entertainment",
        "debtor-days",
        "customer-reliance",
        "regular-suppliers",
        "vat-forward-look",
    ],
)
def test_every_new_check_passes_an_empty_ledger(check: str) -> None:
    assert run_check(check, snapshot(), as_of=AS_OF).outcome == "pass"
