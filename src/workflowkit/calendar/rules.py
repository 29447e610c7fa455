"""Named statutory deadlines a workflow's due date (or creation date) can refer to.

Each :class:`DeadlineRule` computes a deadline from a client and a reporting period,
says which clients it applies to, which working-day policy it follows by default, and
cites its rule. Payment deadlines move to the previous working day (HMRC: "If the
deadline falls on a weekend or bank holiday, make sure your payment reaches HMRC on the
last working day before it"); filing deadlines and Companies House never move.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Final, get_args

from workflowkit.calendar.deadlines import (
    companies_house_accounts_due,
    confirmation_statement_due,
    corporation_tax_payment_due,
    corporation_tax_periods,
    ct600_due,
    payroll_deadlines,
    self_assessment_deadlines,
    vat_return_due,
)
from workflowkit.calendar.errors import MissingClientDataError, NotApplicableError
from workflowkit.calendar.models import (
    COMPANIES,
    CORPORATION_TAX_PAYERS,
    Client,
    DeadlineName,
    WorkingDayPolicy,
)

Compute = Callable[[Client, date, date], date]
Signature = Callable[[Client], tuple[object, ...]]


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    """One named deadline."""

    name: DeadlineName
    title: str
    citation: str
    working_day: WorkingDayPolicy
    """The default policy when a workflow does not set one."""
    compute: Compute
    """``(client, period_start, period_end) -> date``."""
    lag: tuple[int, int]
    """Bounds, in days, of ``deadline - period_end`` for any period (used to find the
    periods whose deadline falls in a window)."""
    company_types: frozenset[str] | None = None
    """The company types it applies to (``None``: every client)."""
    needs: str | None = None
    """``"vat"`` or ``"payroll"`` when the client must have that registration."""
    signature: Signature = lambda client: ()
    """The client data the deadline depends on (clients with equal signatures share it)."""

    def check(self, client: Client) -> None:
        """Raise when the deadline does not apply to ``client`` or it lacks data."""
        if self.company_types is not None and client.company_type not in self.company_types:
            raise NotApplicableError(
                client.id,
                self.name,
                f"it applies to {_describe(self.company_types)}, not a "
                f"{client.company_type.replace('_', ' ')}",
            )
        if self.needs == "vat" and client.vat is None:
            raise MissingClientDataError(client.id, "VAT registration", f"deadline {self.name}")
        if self.needs == "payroll" and client.payroll is None:
            raise MissingClientDataError(client.id, "payroll", f"deadline {self.name}")


def _describe(types: frozenset[str]) -> str:
    names = sorted(t.replace("_", " ") for t in types)
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


def _vat(client: Client, start: date, end: date) -> date:
    return vat_return_due(end, annual=client.vat is not None and client.vat.annual_accounting)


def _ch_accounts(client: Client, start: date, end: date) -> date:
    return companies_house_accounts_due(
        end,
        public=client.company_type == "public_limited",
        incorporated=client.incorporated
        if client.incorporated and client.incorporated <= end
        else None,
        period_start=start,
    )


def _ct_payment(client: Client, start: date, end: date) -> date:
    # A period of account longer than 12 months holds two accounting periods; the
    # first one's tax is due first.
    first = corporation_tax_periods(start, end)[0]
    return corporation_tax_payment_due(first.end)


def _ct600(client: Client, start: date, end: date) -> date:
    return min(
        ct600_due(ap.end, period_of_account=(start, end))
        for ap in corporation_tax_periods(start, end)
    )


def _sa(field: str) -> Compute:
    def compute(client: Client, start: date, end: date) -> date:
        value: date = getattr(self_assessment_deadlines(end), field)
        return value

    return compute


def _paye(field: str) -> Compute:
    def compute(client: Client, start: date, end: date) -> date:
        value: date = getattr(payroll_deadlines(end), field)
        return value

    return compute


_SA = "TMA 1970 s.7, s.8(1D), s.59A, s.59B; HMRC 'Self Assessment tax returns: deadlines'"
_PAYE = "PAYE Regulations 2003 (SI 2003/2682) reg 69(1); HMRC 'Pay employers' PAYE'"

DEADLINES: Final[dict[str, DeadlineRule]] = {
    r.name: r
    for r in (
        DeadlineRule(
            "vat_return",
            "VAT return and payment",
            "VAT Regulations 1995 reg 25(1), 25A(20), 40; Notice 700/12; VATAC1300; VATAAS3400",
            "previous",
            _vat,
            (28, 62),
            needs="vat",
            signature=lambda c: (c.vat is not None and c.vat.annual_accounting,),
        ),
        DeadlineRule(
            "companies_house_accounts",
            "Accounts to Companies House",
            "Companies Act 2006 s.442, s.443",
            "none",
            _ch_accounts,
            (89, 280),
            company_types=COMPANIES,
            signature=lambda c: (c.company_type == "public_limited", c.incorporated),
        ),
        DeadlineRule(
            "corporation_tax_payment",
            "Corporation Tax payment",
            "TMA 1970 s.59D; HMRC manual CTM01800",
            "previous",
            _ct_payment,
            (80, 280),
            company_types=CORPORATION_TAX_PAYERS,
        ),
        DeadlineRule(
            "ct600",
            "Company Tax Return (CT600)",
            "Finance Act 1998 Sch 18 para 14; HMRC manual CTM93030",
            "none",
            _ct600,
            (0, 560),
            company_types=CORPORATION_TAX_PAYERS,
        ),
        DeadlineRule(
            "confirmation_statement",
            "Confirmation statement",
            "Companies Act 2006 s.853A",
            "none",
            lambda c, s, e: confirmation_statement_due(e),
            (14, 14),
            company_types=COMPANIES,
        ),
        DeadlineRule(
            "self_assessment_registration",
            "Register for Self Assessment",
            _SA,
            "none",
            _sa("registration"),
            (183, 548),
        ),
        DeadlineRule(
            "self_assessment_paper_return",
            "Self Assessment paper return",
            _SA,
            "none",
            _sa("paper_return"),
            (209, 574),
        ),
        DeadlineRule(
            "self_assessment_online_return",
            "Self Assessment online return",
            _SA,
            "none",
            _sa("online_return"),
            (301, 666),
        ),
        DeadlineRule(
            "self_assessment_balancing_payment",
            "Self Assessment balancing payment",
            _SA,
            "previous",
            _sa("balancing_payment"),
            (301, 666),
        ),
        DeadlineRule(
            "first_payment_on_account",
            "First payment on account",
            _SA,
            "previous",
            _sa("first_payment_on_account"),
            (-65, 300),
        ),
        DeadlineRule(
            "second_payment_on_account",
            "Second payment on account",
            _SA,
            "previous",
            _sa("second_payment_on_account"),
            (117, 482),
        ),
        DeadlineRule(
            "eps",
            "Employer Payment Summary",
            "HMRC 'Running payroll: reporting to HMRC: EPS'",
            "none",
            _paye("eps"),
            (14, 45),
            needs="payroll",
        ),
        DeadlineRule(
            "paye_payment",
            "PAYE payment (electronic)",
            _PAYE,
            "previous",
            _paye("payment_electronic"),
            (17, 48),
            needs="payroll",
        ),
        DeadlineRule(
            "paye_payment_post",
            "PAYE payment (by post)",
            _PAYE,
            "previous",
            _paye("payment_post"),
            (14, 45),
            needs="payroll",
        ),
        DeadlineRule(
            "p60",
            "P60s to employees",
            "PAYE Regulations 2003 reg 67",
            "none",
            _paye("p60"),
            (56, 421),
            needs="payroll",
        ),
        DeadlineRule(
            "p11d",
            "P11D and P11D(b)",
            "PAYE Regulations 2003 reg 85; SSC Regulations 2001 reg 80",
            "none",
            _paye("p11d"),
            (92, 457),
            needs="payroll",
        ),
        DeadlineRule(
            "class_1a_payment",
            "Class 1A NICs payment (electronic)",
            "Social Security (Contributions) Regulations 2001 reg 71",
            "previous",
            _paye("class_1a_electronic"),
            (108, 473),
            needs="payroll",
        ),
    )
}

assert set(DEADLINES) == set(get_args(DeadlineName)), "every DeadlineName needs a rule"
