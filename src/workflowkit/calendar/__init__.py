"""The calendar: clients, reporting periods, repeating triggers, UK statutory deadlines
and ``plan``.

* Documents: :class:`ClientList` (clients with year ends, VAT registrations, payroll,
  bank-holiday division, tags) and :class:`Workflow` (a template assigned to clients,
  one-off or repeating on a cron schedule, a cadence or a client event).
* Statutory deadlines, each citing its rule: :func:`vat_return_due`,
  :func:`companies_house_accounts_due`, :func:`corporation_tax_payment_due`,
  :func:`ct600_due`, :func:`confirmation_statement_due`,
  :func:`self_assessment_deadlines`, :func:`payroll_deadlines`; and periods:
  :func:`vat_periods`, :func:`accounting_periods`.
* Planning: :func:`plan` (occurrences in a window) and :func:`catch_up` (exactly the
  occurrences created between two moments), each :class:`Occurrence` with a stable
  key (:func:`occurrence_key`).
* :func:`load_practice` reads and validates a practice folder into a :class:`Practice`.

The language reference is ``docs/calendar.md``.
"""

from workflowkit.calendar.dates import Period, add_months, tax_month_of, tax_year_of
from workflowkit.calendar.deadlines import (
    PayrollDeadlines,
    SelfAssessmentDeadlines,
    companies_house_accounts_due,
    confirmation_statement_due,
    corporation_tax_payment_due,
    corporation_tax_periods,
    ct600_due,
    payroll_deadlines,
    self_assessment_deadlines,
    vat_return_due,
)
from workflowkit.calendar.errors import (
    DateOutOfRangeError,
    InvalidCronError,
    InvalidPeriodError,
    InvalidStaggerError,
    InvalidTaxPeriodError,
    MissingClientDataError,
    NaiveDatetimeError,
    NotApplicableError,
    UnknownReferenceError,
)
from workflowkit.calendar.models import (
    Client,
    ClientList,
    ClientSelector,
    CreateRule,
    DueRule,
    OneOff,
    Repeating,
    TemplateRef,
    VatRegistration,
    Workflow,
    YearEnd,
)
from workflowkit.calendar.periods import (
    accounting_periods,
    confirmation_periods,
    tax_months,
    tax_years,
    vat_periods,
)
from workflowkit.calendar.plan import Occurrence, catch_up, occurrence_key, plan
from workflowkit.calendar.practice import Practice, load_practice
from workflowkit.calendar.rules import DEADLINES, DeadlineRule
from workflowkit.calendar.working_days import BankHolidays

__all__ = [
    "DEADLINES",
    "BankHolidays",
    "Client",
    "ClientList",
    "ClientSelector",
    "CreateRule",
    "DateOutOfRangeError",
    "DeadlineRule",
    "DueRule",
    "InvalidCronError",
    "InvalidPeriodError",
    "InvalidStaggerError",
    "InvalidTaxPeriodError",
    "MissingClientDataError",
    "NaiveDatetimeError",
    "NotApplicableError",
    "Occurrence",
    "OneOff",
    "PayrollDeadlines",
    "Period",
    "Practice",
    "Repeating",
    "SelfAssessmentDeadlines",
    "TemplateRef",
    "UnknownReferenceError",
    "VatRegistration",
    "Workflow",
    "YearEnd",
    "accounting_periods",
    "add_months",
    "catch_up",
    "companies_house_accounts_due",
    "confirmation_periods",
    "confirmation_statement_due",
    "corporation_tax_payment_due",
    "corporation_tax_periods",
    "ct600_due",
    "load_practice",
    "occurrence_key",
    "payroll_deadlines",
    "plan",
    "self_assessment_deadlines",
    "tax_month_of",
    "tax_months",
    "tax_year_of",
    "tax_years",
    "vat_periods",
    "vat_return_due",
]
