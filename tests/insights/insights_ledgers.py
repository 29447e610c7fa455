"""Small hand-made ledgers with known answers, shared by the insights tests.

``acme()`` is the example client whose JSON and CSV forms live in ``data/``
(``test_insights_snapshot_load.py`` checks the files still match it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from workflowkit.insights import (
    Account,
    Allocation,
    BankAccount,
    BankTransaction,
    Contact,
    CreditNote,
    Invoice,
    Journal,
    JournalLine,
    LedgerSnapshot,
    Line,
    LockDateChange,
    Organisation,
)

AS_OF = dt.date(2024, 6, 30)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def m(text: str) -> Decimal:
    return Decimal(text)


def org(**kw: object) -> Organisation:
    base: dict[str, object] = {"name": "Test Ltd", "source": "xero"}
    base.update(kw)
    return Organisation(**base)  # type: ignore[arg-type]


def bill(
    id: str,
    contact: str,
    day: str,
    total: str,
    *,
    kind: str = "bill",
    account: str = "429",
    tax: str | None = "INPUT2",
    currency: str = "GBP",
    due: str | None = None,
    amount_due: str = "0",
    status: str = "authorised",
    base_total: str | None = None,
    number: str | None = None,
) -> Invoice:
    return Invoice(
        id=id,
        kind=kind,  # type: ignore[arg-type]
        contact_id=contact,
        date=d(day),
        total=m(total),
        currency=currency,
        number=number or id.upper(),
        due_date=d(due) if due else None,
        amount_due=m(amount_due),
        status=status,  # type: ignore[arg-type]
        base_total=m(base_total) if base_total else None,
        lines=(Line(amount=m(total), account_code=account, tax_code=tax),),
    )


def invoice(id: str, contact: str, day: str, total: str, **kw: object) -> Invoice:
    kw.setdefault("account", "200")
    kw.setdefault("tax", "OUTPUT2")
    return bill(id, contact, day, total, kind="invoice", **kw)  # type: ignore[arg-type]


def contact(id: str, name: str, type: str = "supplier", **kw: object) -> Contact:
    return Contact(id=id, name=name, type=type, **kw)  # type: ignore[arg-type]


def snapshot(**kw: object) -> LedgerSnapshot:
    kw.setdefault("organisation", org())
    kw.setdefault("as_of", AS_OF)
    return LedgerSnapshot(**kw)  # type: ignore[arg-type]


def acme() -> LedgerSnapshot:
    """Acme Trading Ltd at 30 June 2024: one or more findings for every built-in check."""
    accounts = (
        Account(id="a090", code="090", name="Business Current", type="bank"),
        Account(id="a091", code="091", name="USD Account", type="bank"),
        Account(id="a200", code="200", name="Sales", type="revenue"),
        Account(id="a260", code="260", name="Other Revenue", type="revenue"),
        Account(id="a400", code="400", name="Advertising", type="overheads"),
        Account(id="a429", code="429", name="General Expenses", type="overheads"),
        Account(id="a453", code="453", name="Office Expenses", type="overheads"),
        Account(id="a461", code="461", name="Printing & Stationery", type="overheads"),
        Account(id="a469", code="469", name="Rent", type="overheads"),
        Account(id="a477", code="477", name="Wages and Salaries", type="overheads"),
        Account(
            id="a610", code="610", name="Accounts Receivable", type="current_asset", system=True
        ),
        Account(id="a720", code="720", name="Computer Equipment", type="fixed_asset"),
        Account(
            id="a800", code="800", name="Accounts Payable", type="current_liability", system=True
        ),
        Account(id="a820", code="820", name="VAT", type="current_liability", system=True),
        Account(
            id="a999", code="999", name="Old Suspense", type="current_liability", status="archived"
        ),
    )
    banks = (
        BankAccount(
            id="bank-gbp",
            name="Business Current",
            currency="GBP",
            account_code="090",
            balance_date=AS_OF,
            statement_balance=m("10012.00"),
            ledger_balance=m("10000.00"),
        ),
        BankAccount(
            id="bank-usd",
            name="USD Account",
            currency="USD",
            account_code="091",
            balance_date=AS_OF,
            statement_balance=m("500.00"),
            ledger_balance=m("500.00"),
        ),
    )
    contacts = (
        contact("c-fine1", "Fine Foods Ltd"),
        contact("c-fine2", "FINE FOODS LIMITED"),
        contact("c-sains1", "Sainsbury's"),
        contact("c-sains2", "Sainsbury"),
        contact("c-bright", "Bright Ideas Ltd", "customer"),
        contact("c-globex", "Globex Corporation", "customer"),
        contact("c-office", "Office Supplies Co"),
        contact("c-park", "Park Estates LLP"),
        contact("c-gone", "Fine Foods", status="archived"),
    )
    invoices = (
        invoice("i1", "c-bright", "2024-02-01", "3000.00", due="2024-03-02", amount_due="3000.00"),
        invoice("i2", "c-bright", "2024-06-15", "1500.00", due="2024-07-15", amount_due="1500.00"),
        invoice(
            "i3",
            "c-globex",
            "2024-04-01",
            "2000.00",
            currency="USD",
            due="2024-05-01",
            amount_due="2000.00",
            tax="ZERORATEDOUTPUT",
            base_total="1580.00",
        ),
        invoice("i4", "c-globex", "2024-04-02", "2000.00", due="2024-05-02"),
        bill("b1", "c-park", "2024-06-03", "1200.00", account="469", tax="EXEMPTINPUT"),
        bill("b2", "c-park", "2024-06-08", "1200.00", account="469", tax="EXEMPTINPUT"),
        bill("b3", "c-fine1", "2024-05-10", "240.00", account="429"),
        bill("b4", "c-fine1", "2024-05-16", "240.00", account="429"),
        bill("b5", "c-office", "2024-06-10", "99.00", account="453"),
        bill("b6", "c-office", "2024-06-12", "99.00", account="453"),
        bill(
            "b7",
            "c-park",
            "2024-02-01",
            "600.00",
            account="469",
            tax="EXEMPTINPUT",
            due="2024-03-01",
            amount_due="600.00",
        ),
        bill("b8", "c-office", "2024-05-05", "1500.00", account="429", tax="NONE"),
        bill("b9", "c-fine1", "2024-06-01", "75.00", status="voided"),
    )
    credit_notes = (
        CreditNote(
            id="cn1",
            kind="purchases",
            contact_id="c-office",
            date=d("2024-06-14"),
            total=m("99.00"),
            number="CN-1",
            allocations=(Allocation(document_id="b6", amount=m("99.00")),),
            lines=(Line(amount=m("99.00"), account_code="453", tax_code="INPUT2"),),
        ),
    )
    bank_transactions = (
        BankTransaction(
            id="t1",
            bank_account_id="bank-gbp",
            kind="spend",
            date=d("2024-06-20"),
            total=m("45.00"),
            contact_id="c-sains1",
            reference="Card 1234",
            lines=(Line(amount=m("45.00"), account_code="429", tax_code="INPUT2"),),
        ),
        BankTransaction(
            id="t2",
            bank_account_id="bank-gbp",
            kind="spend",
            date=d("2024-04-15"),
            total=m("120.00"),
            contact_id="c-office",
            reference="DD OFFICE",
            lines=(Line(amount=m("120.00"), account_code="461", tax_code="INPUT2"),),
        ),
        BankTransaction(
            id="t3",
            bank_account_id="bank-gbp",
            kind="receive",
            date=d("2024-05-01"),
            total=m("1000.00"),
            contact_id="c-bright",
            reference="BACS",
            reconciled=True,
            lines=(Line(amount=m("1000.00"), account_code="260", tax_code="OUTPUT2"),),
        ),
        BankTransaction(
            id="t4",
            bank_account_id="bank-gbp",
            kind="spend",
            date=d("2024-06-04"),
            total=m("1200.00"),
            contact_id="c-park",
            reference="SO RENT",
            reconciled=True,
            lines=(Line(amount=m("1200.00"), account_code="469", tax_code="EXEMPTINPUT"),),
        ),
        BankTransaction(
            id="t5",
            bank_account_id="bank-usd",
            kind="receive",
            date=d("2024-05-20"),
            total=m("2000.00"),
            currency="USD",
            contact_id="c-globex",
            reference="WIRE",
            reconciled=True,
        ),
    )
    journals = (
        Journal(
            id="j1",
            date=d("2023-01-31"),
            number="MJ-1",
            reference="Wages accrual",
            lines=(
                JournalLine(account_code="477", amount=m("500.00")),
                JournalLine(account_code="800", amount=m("-500.00")),
            ),
        ),
        Journal(
            id="j2",
            date=d("2024-06-30"),
            number="MJ-2",
            reference="Advertising",
            lines=(
                JournalLine(account_code="400", amount=m("250.00")),
                JournalLine(account_code="800", amount=m("-250.00")),
            ),
        ),
    )
    history = (
        LockDateChange(
            detected_on=d("2024-05-20"),
            old=d("2024-04-30"),
            new=d("2024-03-31"),
            note="re-opened to fix a bill",
        ),
        LockDateChange(detected_on=d("2024-05-25"), old=d("2024-03-31"), new=d("2024-04-30")),
    )
    return LedgerSnapshot(
        organisation=Organisation(
            name="Acme Trading Ltd",
            source="xero",
            base_currency="GBP",
            vat_registered=True,
            period_lock_date=d("2024-04-30"),
        ),
        as_of=AS_OF,
        accounts=accounts,
        bank_accounts=banks,
        bank_transactions=bank_transactions,
        invoices=invoices,
        credit_notes=credit_notes,
        contacts=contacts,
        journals=journals,
        lock_date_history=history,
    )


def clean() -> LedgerSnapshot:
    """A tidy client at 30 June 2024: every built-in check passes."""
    return LedgerSnapshot(
        organisation=Organisation(
            name="Tidy Books Ltd",
            source="qbo",
            vat_registered=True,
            period_lock_date=d("2024-05-31"),
        ),
        as_of=AS_OF,
        accounts=(
            Account(id="1", code="1000", name="Current Account", type="bank"),
            Account(id="2", code="4000", name="Sales", type="revenue"),
            Account(id="3", code="5000", name="Purchases", type="direct_costs"),
            Account(
                id="4", code="1100", name="Accounts Receivable", type="current_asset", system=True
            ),
        ),
        bank_accounts=(
            BankAccount(
                id="b1",
                name="Current Account",
                account_code="1000",
                balance_date=AS_OF,
                statement_balance=m("5000.00"),
                ledger_balance=m("5000.00"),
            ),
        ),
        contacts=(
            contact("k1", "Northwind Traders", "customer"),
            contact("k2", "Northwind Traders", "supplier"),
            contact("k3", "Harbour Cafe", "customer"),
            contact("k4", "Bay Dental Practice", "customer"),
        ),
        invoices=(
            invoice(
                "s1",
                "k1",
                "2024-06-03",
                "600.00",
                due="2024-07-03",
                amount_due="600.00",
                account="4000",
            ),
            bill("p1", "k2", "2024-06-05", "240.00", account="5000"),
            invoice("s2", "k3", "2024-06-10", "900.00", due="2024-07-10", account="4000"),
            invoice("s3", "k4", "2024-06-12", "900.00", due="2024-07-12", account="4000"),
        ),
        bank_transactions=(
            BankTransaction(
                id="t1",
                bank_account_id="b1",
                kind="receive",
                date=d("2024-06-20"),
                total=m("600.00"),
                contact_id="k1",
                reference="BACS",
                reconciled=True,
                lines=(Line(amount=m("500.00"), account_code="4000", tax_code="OUTPUT2"),),
            ),
        ),
    )
