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

from workflowkit.calendar.dates import ONE_DAY, Period, guard
from workflowkit.calendar.deadlines import (
    companies_house_accounts_due,
    confirmation_statement_due,
    corporation_tax_payment_due,
    corporation_tax_periods,
    ct600_due,
    payroll_deadlines,
    psa_deadlines,
    quarterly_paye_deadlines,
    self_assessment_deadlines,
    tax_quarter_of,
    vat_return_due,
)
from workflowkit.calendar.errors import MissingClientDataError, NotApplicableError
from workflowkit.calendar.instalments import (
    ct_instalment_dates,
    interim_due_in_month,
    vat_payments_on_account,
)
from workflowkit.calendar.models import (
    COMPANIES,
    CORPORATION_TAX_PAYERS,
    Client,
    DeadlineName,
    WorkingDayPolicy,
)
from workflowkit.calendar.reference_dates import shortened_period_accounts_due
from workflowkit.errors import CalendarError

Compute = Callable[[Client, date, date], date | None]
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
    """``(client, period_start, period_end) -> date``, or ``None`` when the deadline
    does not fall in that period (a tax month that ends no tax quarter, a short
    accounting period without a second instalment): ``plan`` then makes no occurrence."""
    lag: tuple[int, int]
    """Bounds, in days, of ``deadline - period_end`` for any period (used to find the
    periods whose deadline falls in a window)."""
    company_types: frozenset[str] | None = None
    """The company types it applies to (``None``: every client)."""
    needs: str | None = None
    """``"vat"`` or ``"payroll"`` when the client must have that registration."""
    signature: Signature = lambda client: ()
    """The client data the deadline depends on (clients with equal signatures share it)."""
    applies: Callable[[Client], str | None] | None = None
    """A further condition on the client: the reason it does not apply, or ``None``."""

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
        if self.applies is not None:
            reason = self.applies(client)
            if reason:
                raise NotApplicableError(client.id, self.name, reason)


def _describe(types: frozenset[str]) -> str:
    names = sorted(t.replace("_", " ") for t in types)
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


def _vat(client: Client, start: date, end: date) -> date:
    return vat_return_due(end, annual=client.vat is not None and client.vat.annual_accounting)


def _ch_accounts(client: Client, start: date, end: date) -> date:
    normal = companies_house_accounts_due(
        end,
        public=client.company_type == "public_limited",
        incorporated=client.incorporated
        if client.incorporated and client.incorporated <= end
        else None,
        period_start=start,
    )
    for change in client.reference_date_changes:
        if (change.period_start, change.new_end) == (start, end):
            from workflowkit.calendar.periods import original_period_end

            before = original_period_end(client, start)
            if before is not None and end < before:
                # Companies Act 2006 s.442(4): a period shortened by notice
                return shortened_period_accounts_due(normal, change.notified)
    return normal


def _poa(client: Client, start: date, end: date) -> Period:
    from workflowkit.calendar.periods import period_of_account

    return period_of_account(client, Period(start, end))


def _ct_payment(client: Client, start: date, end: date) -> date:
    # A period of account longer than 12 months holds two accounting periods; given
    # one (the accounting_period_end event) it pays on its own date; given the period
    # of account (year_end), the first one's tax is due first.
    first = corporation_tax_periods(start, end)[0]
    return corporation_tax_payment_due(first.end)


def _ct600(client: Client, start: date, end: date) -> date:
    poa = _poa(client, start, end)
    return min(
        ct600_due(ap.end, period_of_account=(poa.start, poa.end))
        for ap in corporation_tax_periods(start, end)
    )


def _ct_instalment(index: int | None) -> Compute:
    """The ``index``-th instalment (0-based; ``None``: the final one) of the first
    accounting period of ``start..end``."""

    def compute(client: Client, start: date, end: date) -> date | None:
        ap = corporation_tax_periods(start, end)[0]
        dates = ct_instalment_dates(ap.start, ap.end, client.corporation_tax_size)
        if index is None:
            return dates[-1]
        # the final instalment is never numbered: a short period may have only it
        return dates[index] if index < len(dates) - 1 else None

    return compute


def _large(client: Client) -> str | None:
    if client.corporation_tax_size == "standard":
        return (
            "it applies to large and very large companies (corporation_tax_size), and this "
            "client pays 9 months and 1 day after the period"
        )
    return None


def _quarterly_paye(field: str) -> Compute:
    @guard("paye_quarterly_payment")
    def compute(client: Client, start: date, end: date) -> date | None:
        quarter = tax_quarter_of(end)
        if end != quarter.end:
            return None  # a tax month inside the quarter: the payment follows the quarter
        value: date = getattr(quarterly_paye_deadlines(end), field)
        return value

    return compute


def _is_quarterly(client: Client) -> str | None:
    if client.payroll is not None and not client.payroll.quarterly:
        return "the client pays PAYE monthly (set payroll.quarterly: true for a quarterly payer)"
    return None


def _psa(field: str) -> Compute:
    def compute(client: Client, start: date, end: date) -> date:
        value: date = getattr(psa_deadlines(end), field)
        return value

    return compute


def _has_psa(client: Client) -> str | None:
    if client.payroll is not None and not client.payroll.psa:
        return "the client has no PAYE Settlement Agreement (payroll.psa)"
    return None


def _on_poa(client: Client) -> str | None:
    if client.vat is not None and not client.vat.payments_on_account:
        return "the client is not in the VAT Payments on Account scheme (vat.payments_on_account)"
    return None


def _on_aas(client: Client) -> str | None:
    if client.vat is not None and not client.vat.annual_accounting:
        return "the client is not on the Annual Accounting Scheme (vat.annual_accounting)"
    return None


def _vat_poa(index: int) -> Compute:
    def compute(client: Client, start: date, end: date) -> date:
        return vat_payments_on_account(end)[index]

    return compute


@guard("vat_annual_interim_payment")
def _aas_interim(client: Client, start: date, end: date) -> date | None:
    vat = client.vat
    assert vat is not None and vat.year_end_month is not None
    if (
        start.day != 1
        or (start.year, start.month) != (end.year, end.month)
        or (end + ONE_DAY).day != 1
    ):
        raise CalendarError(
            f"deadline vat_annual_interim_payment is set per calendar month: period "
            f"{start.isoformat()}..{end.isoformat()} is not one (use a monthly schedule "
            "with period: previous_month or current_month)"
        )
    return interim_due_in_month(vat.year_end_month, vat.interim_payments, Period(start, end))


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


_INSTALMENTS = (
    "Corporation Tax (Instalment Payments) Regulations 1998 (SI 1998/3175) reg 5, 5AZA; "
    "HMRC manual CTM92560-CTM92580, CTM92805"
)
_POA = "VAT (Payments on Account) Order 1993 (SI 1993/2001); Notice 700/60; VDSOG400"
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
            signature=lambda c: (
                c.company_type == "public_limited",
                c.incorporated,
                c.year_end,
                c.reference_date_changes,
            ),
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
            signature=lambda c: (
                c.year_end,
                c.incorporated,
                c.company_type,
                c.reference_date_changes,
            ),
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
        DeadlineRule(
            "self_assessment_online_return_paye_coding",
            "Self Assessment online return (tax collected through PAYE coding)",
            "HMRC 'Self Assessment tax returns: deadlines'; PAYE Regulations 2003 reg 186",
            "none",
            _sa("online_return_paye_coding"),
            (269, 634),
        ),
        DeadlineRule(
            "paye_quarterly_payment",
            "PAYE payment, quarterly payer (electronic)",
            "PAYE Regulations 2003 (SI 2003/2682) reg 70, 69(1)(a)",
            "previous",
            _quarterly_paye("payment_electronic"),
            (17, 17),
            needs="payroll",
            signature=lambda c: (c.payroll is not None and c.payroll.quarterly,),
            applies=_is_quarterly,
        ),
        DeadlineRule(
            "paye_quarterly_payment_post",
            "PAYE payment, quarterly payer (by post)",
            "PAYE Regulations 2003 (SI 2003/2682) reg 70, 69(1)(b)",
            "previous",
            _quarterly_paye("payment_post"),
            (14, 14),
            needs="payroll",
            signature=lambda c: (c.payroll is not None and c.payroll.quarterly,),
            applies=_is_quarterly,
        ),
        DeadlineRule(
            "psa_payment",
            "PAYE Settlement Agreement tax and Class 1B NICs (electronic)",
            "PAYE Regulations 2003 Part 6 (reg 109, 112); SSC Regulations 2001 reg 71; "
            "HMRC 'PAYE Settlement Agreements'",
            "previous",
            _psa("payment_electronic"),
            (200, 565),
            needs="payroll",
            applies=_has_psa,
        ),
        DeadlineRule(
            "psa_payment_post",
            "PAYE Settlement Agreement tax and Class 1B NICs (by post)",
            "PAYE Regulations 2003 Part 6 (reg 109, 112); SSC Regulations 2001 reg 71; "
            "HMRC 'PAYE Settlement Agreements'",
            "previous",
            _psa("payment_post"),
            (197, 562),
            needs="payroll",
            applies=_has_psa,
        ),
        *(
            DeadlineRule(
                name,  # type: ignore[arg-type]
                title,
                _INSTALMENTS,
                "previous",
                _ct_instalment(index),
                (-320, 110),
                company_types=CORPORATION_TAX_PAYERS,
                signature=lambda c: (c.corporation_tax_size,),
                applies=_large,
            )
            for name, title, index in (
                ("ct_instalment_1", "Corporation Tax instalment 1", 0),
                ("ct_instalment_2", "Corporation Tax instalment 2", 1),
                ("ct_instalment_3", "Corporation Tax instalment 3", 2),
                ("ct_instalment_final", "Corporation Tax final instalment", None),
            )
        ),
        DeadlineRule(
            "vat_payment_on_account_1",
            "VAT payment on account (end of the quarter's second month)",
            _POA,
            "previous",
            _vat_poa(0),
            (-31, -28),
            needs="vat",
            applies=_on_poa,
        ),
        DeadlineRule(
            "vat_payment_on_account_2",
            "VAT payment on account (end of the quarter's third month)",
            _POA,
            "previous",
            _vat_poa(1),
            (0, 0),
            needs="vat",
            applies=_on_poa,
        ),
        DeadlineRule(
            "vat_poa_balancing_payment",
            "VAT balancing payment, Payments on Account scheme (no 7 extra days)",
            _POA,
            "previous",
            _vat_poa(2),
            (28, 31),
            needs="vat",
            applies=_on_poa,
        ),
        DeadlineRule(
            "vat_annual_interim_payment",
            "VAT Annual Accounting Scheme interim payment",
            "VAT Regulations 1995 reg 50, 52; HMRC manual VATAAS4300; Notice 732",
            "previous",
            _aas_interim,
            (0, 0),
            needs="vat",
            signature=lambda c: (
                c.vat.year_end_month if c.vat is not None else None,
                c.vat.interim_payments if c.vat is not None else None,
            ),
            applies=_on_aas,
        ),
    )
}

assert set(DEADLINES) == set(get_args(DeadlineName)), "every DeadlineName needs a rule"
