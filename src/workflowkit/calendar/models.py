"""The calendar language: ``ClientList`` and ``Workflow`` documents.

A ``ClientList`` holds the practice's clients: year ends, incorporation dates, VAT
registrations, payroll, bank-holiday division and tags. A ``Workflow`` assigns a
template to clients (by id or by tag) with an assignee and reviewers, and is either
**one-off** (one reporting period and an explicit due date) or **repeating** (a cron
schedule, a fixed cadence, or a client event such as the year end or a VAT period end).
The reference with every key is ``docs/calendar.md``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    Discriminator,
    Field,
    PrivateAttr,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)

from workflowkit.source.models import PrintableLine, PrintableText, Slug, Spec, did_you_mean

Title = Annotated[
    str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True), PrintableLine
]
Text = Annotated[str, StringConstraints(max_length=20_000), PrintableText]
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
"""A wall-clock time ``HH:MM`` (24-hour) in the client's timezone."""

CompanyType = Literal["private_limited", "public_limited", "llp", "sole_trader", "partnership"]
COMPANIES: frozenset[str] = frozenset({"private_limited", "public_limited", "llp"})
"""Company types that file accounts and confirmation statements at Companies House."""
CORPORATION_TAX_PAYERS: frozenset[str] = frozenset({"private_limited", "public_limited"})

Division = Literal["england_and_wales", "scotland", "northern_ireland"]
WorkingDayPolicy = Literal["none", "previous", "next"]
CompanySize = Literal["standard", "large", "very_large"]
InterimPayments = Literal["monthly", "quarterly"]
PayrollFrequency = Literal["weekly", "two_weekly", "four_weekly", "monthly"]

Event = Literal[
    "year_end",
    "accounting_period_end",
    "vat_period_end",
    "confirmation_statement",
    "tax_month_end",
    "tax_year_end",
]
"""Client events a repeating workflow can trigger on (each gives the client's periods)."""

SchedulePeriod = Literal[
    "interval",
    "previous_day",
    "previous_week",
    "previous_month",
    "previous_quarter",
    "previous_year",
    "previous_tax_month",
    "previous_tax_year",
    "current_week",
    "current_month",
    "current_quarter",
    "current_year",
]
"""The reporting period of a scheduled occurrence, relative to the date it fires."""

DeadlineName = Literal[
    "vat_return",
    "companies_house_accounts",
    "corporation_tax_payment",
    "ct600",
    "confirmation_statement",
    "self_assessment_registration",
    "self_assessment_paper_return",
    "self_assessment_online_return",
    "self_assessment_balancing_payment",
    "first_payment_on_account",
    "second_payment_on_account",
    "eps",
    "paye_payment",
    "paye_payment_post",
    "p60",
    "p11d",
    "class_1a_payment",
    "self_assessment_online_return_paye_coding",
    "paye_quarterly_payment",
    "paye_quarterly_payment_post",
    "psa_payment",
    "psa_payment_post",
    "ct_instalment_1",
    "ct_instalment_2",
    "ct_instalment_3",
    "ct_instalment_final",
    "vat_payment_on_account_1",
    "vat_payment_on_account_2",
    "vat_poa_balancing_payment",
    "vat_annual_interim_payment",
]
"""Named statutory deadlines a due date can be set on (see ``workflowkit.calendar.rules``)."""


def _zone_problem(key: str) -> str | None:
    try:
        ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(key, sorted(available_timezones()))
        return f"unknown timezone {key!r}" + (f"; {hint}" if hint else "")
    return None


# -- clients -----------------------------------------------------------------------------


class YearEnd(Spec):
    """A day and month: the accounting reference date (companies) or accounting date."""

    month: int = Field(ge=1, le=12, description="1 (January) to 12 (December).")
    day: int = Field(
        ge=1, le=31, description="Day of the month; 29 February means the last day of February."
    )

    @model_validator(mode="after")
    def _day_exists(self) -> YearEnd:
        longest = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[self.month - 1]
        if self.day > longest:
            raise ValueError(f"month {self.month} has no day {self.day}")
        return self

    @classmethod
    def input_hint(cls, value: Any) -> str | None:
        """The ``{month: M, day: D}`` form of a year end written as a date (``2026-03-31``,
        ``31/03/2026``) or a day and month (``31/03``, ``31-03``), for a diagnostic's hint."""
        from workflowkit.source.models import day_first

        text = str(value).strip() if isinstance(value, str | date) else ""
        parts: tuple[int, int] | None = None
        try:
            iso = date.fromisoformat(text)
            parts = (iso.month, iso.day)
        except ValueError:
            dmy = day_first(text)
            short = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})", text)
            if dmy is not None:
                parts = (dmy[1], dmy[2])
            elif short is not None and 1 <= int(short[2]) <= 12:
                parts = (int(short[2]), int(short[1]))
        if parts is None:
            return "write the day and month, e.g. {month: 3, day: 31}"
        month, day = parts
        return (
            f"write {{month: {month}, day: {day}}}: a year end is a day and month, "
            "the same every year"
        )

    def on(self, year: int) -> date:
        """The year end in ``year`` (29 February in a non-leap year is the 28th)."""
        from workflowkit.calendar.dates import days_in_month

        return date(year, self.month, min(self.day, days_in_month(year, self.month)))


class VatPeriodSpec(Spec):
    """One non-standard VAT period, both dates inclusive."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> VatPeriodSpec:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        return self


class VatRegistration(Spec):
    """How a client accounts for VAT: a stagger, non-standard periods, or annual accounting."""

    stagger: int | None = Field(
        default=None,
        ge=0,
        le=3,
        description="0 monthly; 1 quarters ending Mar/Jun/Sep/Dec; 2 Apr/Jul/Oct/Jan; "
        "3 May/Aug/Nov/Feb.",
    )
    periods: tuple[VatPeriodSpec, ...] = Field(
        default=(), description="Non-standard periods agreed with HMRC, in order, without overlaps."
    )
    annual_accounting: bool = Field(
        default=False, description="On the Annual Accounting Scheme (one return a year)."
    )
    interim_payments: InterimPayments = Field(
        default="monthly",
        description="Annual Accounting Scheme: nine monthly interim payments (months 4 to 12) "
        "or three quarterly ones (months 4, 7 and 10).",
    )
    payments_on_account: bool = Field(
        default=False,
        description="In the VAT Payments on Account scheme (annual liability over £2.3m): "
        "quarterly staggers only.",
    )
    year_end_month: int | None = Field(
        default=None,
        ge=1,
        le=12,
        description="Annual Accounting Scheme: the month the VAT year ends.",
    )
    registered: date | None = Field(
        default=None, description="Effective date of registration: no period starts before it."
    )
    deregistered: date | None = Field(
        default=None, description="Date the registration was cancelled: no period ends after it."
    )

    @model_validator(mode="after")
    def _one_scheme(self) -> VatRegistration:
        given = [
            name
            for name, on in (
                ("stagger", self.stagger is not None),
                ("periods", bool(self.periods)),
                ("annual_accounting", self.annual_accounting),
            )
            if on
        ]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of stagger, periods or annual_accounting"
                + (f" (found {', '.join(given)})" if given else "")
            )
        if self.annual_accounting and self.year_end_month is None:
            raise ValueError("annual_accounting needs year_end_month (the month the VAT year ends)")
        if self.year_end_month is not None and not self.annual_accounting:
            raise ValueError("year_end_month is only for annual_accounting")
        if self.interim_payments != "monthly" and not self.annual_accounting:
            raise ValueError("interim_payments is only for annual_accounting")
        if self.payments_on_account and (self.stagger is None or self.stagger == 0):
            raise ValueError(
                "payments_on_account needs a quarterly stagger (1, 2 or 3): monthly returners "
                "and the Annual Accounting Scheme make no payments on account"
            )
        return self


class Payroll(Spec):
    """A PAYE scheme the practice runs or files for."""

    frequency: PayrollFrequency = Field(
        default="monthly", description="How often employees are paid."
    )
    started: date | None = Field(
        default=None, description="First day of the scheme: no tax month before it is planned."
    )
    quarterly: bool = Field(
        default=False,
        description="Pays PAYE quarterly (average monthly payments under £1,500; PAYE "
        "Regulations 2003 reg 70).",
    )
    psa: bool = Field(default=False, description="Has a PAYE Settlement Agreement (Class 1B NICs).")


class ReferenceDateChange(Spec):
    """A notice changing the accounting reference date (Companies Act 2006 s.392)."""

    period_start: date = Field(
        description="First day of the accounting reference period the notice changes."
    )
    new_end: date = Field(
        description="The new last day of that period; later periods end on its anniversaries."
    )
    notified: date = Field(description="The day the notice was given to Companies House.")

    @model_validator(mode="after")
    def _bounds(self) -> ReferenceDateChange:
        from workflowkit.calendar.reference_dates import longest_period_end

        if self.new_end < self.period_start:
            raise ValueError(
                f"new_end ({self.new_end}) is before period_start ({self.period_start})"
            )
        if self.period_start.year < 9990 and self.new_end > longest_period_end(self.period_start):
            raise ValueError(
                f"a period beginning {self.period_start} may end no later than "
                f"{longest_period_end(self.period_start)}: 18 months (Companies Act 2006 s.392(5))"
            )
        return self


class Client(Spec):
    """One client of the practice."""

    id: Slug = Field(description="Stable client id, unique in the practice (e.g. acme-ltd).")
    name: Title
    timezone: str = Field(
        default="Europe/London",
        description="IANA timezone of the client's schedule; cron times are wall-clock times here.",
    )
    company_type: CompanyType
    year_end: YearEnd | None = Field(
        default=None,
        description="Accounting reference date (day and month). Companies default to the last "
        "day of the month of their incorporation anniversary (Companies Act 2006 s.391(4)).",
    )
    incorporated: date | None = Field(
        default=None,
        description="Date of incorporation (sole traders and partnerships: when trading began).",
    )
    confirmation_date: date | None = Field(
        default=None,
        description="The end of a past confirmation statement review period; later review "
        "periods end on its anniversaries. Default: the day before each anniversary of "
        "incorporation.",
    )
    vat: VatRegistration | None = Field(default=None, description="VAT registration, if any.")
    payroll: Payroll | None = Field(default=None, description="PAYE scheme, if any.")
    corporation_tax_size: CompanySize = Field(
        default="standard",
        description="standard (tax due 9 months and 1 day after the period), large "
        "(quarterly instalments, months 7, 10, 13, 16) or very_large (months 3, 6, 9, 12); "
        "SI 1998/3175 reg 3, 5, 5AZA.",
    )
    reference_date_changes: tuple[ReferenceDateChange, ...] = Field(
        default=(),
        description="Notices changing the accounting reference date, in order (s.392).",
    )
    bank_holidays: Division = Field(
        default="england_and_wales", description="Which UK bank holidays apply to the client."
    )
    tags: tuple[Slug, ...] = Field(default=(), description="Labels workflows select clients by.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        problem = _zone_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _changes_in_order(self) -> Client:
        previous: ReferenceDateChange | None = None
        for change in self.reference_date_changes:
            if previous is not None and change.period_start <= previous.new_end:
                raise ValueError(
                    "reference_date_changes must be in order, each changing a period that "
                    f"begins after the previous change's new_end ({previous.new_end})"
                )
            previous = change
        if self.reference_date_changes and not self.is_company:
            raise ValueError("reference_date_changes are for companies and LLPs (s.392)")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_company(self) -> bool:
        return self.company_type in COMPANIES


class ClientList(Spec):
    """A ``kind: ClientList`` document."""

    api_version: Literal["workflowkit/v1"] = Field(alias="apiVersion")
    kind: Literal["ClientList"]
    name: Title | None = None
    description: Text = ""
    holidays_file: str | None = Field(
        default=None,
        description="A bank-holiday file (CSV `date,division[,title]`, or GOV.UK "
        "bank-holidays JSON), relative to this document; it replaces the holidays "
        "package for the divisions and years it lists.",
    )
    clients: tuple[Client, ...] = Field(default=(), description="The clients.")


# -- workflows ---------------------------------------------------------------------------


class TemplateRef(Spec):
    """A template by id, and optionally a version range (highest match wins)."""

    id: Slug
    version: str | None = Field(
        default=None, description="A version or range: 1.2.0, ^1.2, ~1.2, 1.x, >=1.0.0 <2.0.0."
    )


class ClientSelector(Spec):
    """Which clients a workflow applies to: by id, by tag, or all, then filtered."""

    ids: tuple[Slug, ...] = Field(default=(), description="Client ids.")
    tags: tuple[Slug, ...] = Field(default=(), description="Clients carrying any of these tags.")
    all: bool = Field(default=False, description="Every client in the practice.")
    company_types: tuple[CompanyType, ...] = Field(
        default=(), description="Keep only clients of these company types."
    )
    exclude: tuple[Slug, ...] = Field(default=(), description="Client ids to leave out.")

    @model_validator(mode="after")
    def _something(self) -> ClientSelector:
        if not (self.ids or self.tags or self.all):
            raise ValueError("select clients with ids, tags or `all: true`")
        return self


def _exactly_one(obj: Any, names: tuple[str, ...]) -> list[str]:
    return [n for n in names if getattr(obj, n) is not None]


class Offset(Spec):
    """A non-negative number of days or weeks."""

    days: int | None = Field(default=None, ge=0, le=3660)
    weeks: int | None = Field(default=None, ge=0, le=520)

    @model_validator(mode="after")
    def _one(self) -> Offset:
        if len(_exactly_one(self, ("days", "weeks"))) != 1:
            raise ValueError("give exactly one of days or weeks")
        return self

    @property
    def total_days(self) -> int:
        return self.days if self.days is not None else 7 * (self.weeks or 0)


class SignedOffset(Spec):
    """Days or weeks before (negative) or after (positive) a date."""

    days: int | None = Field(default=None, ge=-3660, le=3660)
    weeks: int | None = Field(default=None, ge=-520, le=520)

    @model_validator(mode="after")
    def _one(self) -> SignedOffset:
        if len(_exactly_one(self, ("days", "weeks"))) != 1:
            raise ValueError("give exactly one of days or weeks")
        return self

    @property
    def total_days(self) -> int:
        return self.days if self.days is not None else 7 * (self.weeks or 0)


class BeforeDeadline(Offset):
    """Create N days or weeks before a statutory deadline (default: the due deadline)."""

    deadline: DeadlineName | None = Field(
        default=None, description="The deadline; omitted means the one `due.deadline` names."
    )


class CreateRule(Spec):
    """When an occurrence is created (for event and cadence triggers, and its clock time)."""

    after_period_end: Offset | None = Field(
        default=None, description="Days or weeks after the period ends (default 1 day)."
    )
    before_deadline: BeforeDeadline | None = Field(
        default=None, description="Days or weeks before a statutory deadline."
    )
    at: ClockTime = Field(default="00:00", description="Wall-clock time of creation (HH:MM).")
    working_day: WorkingDayPolicy = Field(
        default="none", description="Move the creation date to a working day: none, previous, next."
    )

    @model_validator(mode="after")
    def _one(self) -> CreateRule:
        if self.after_period_end is not None and self.before_deadline is not None:
            raise ValueError("give after_period_end or before_deadline, not both")
        return self


class DueRule(Spec):
    """When an occurrence is due: within N days/weeks of creation, or on a deadline."""

    within: Offset | None = Field(default=None, description="Days or weeks after creation.")
    deadline: DeadlineName | None = Field(default=None, description="A named statutory deadline.")
    offset: SignedOffset | None = Field(
        default=None, description="With deadline: days or weeks before (negative) or after it."
    )
    working_day: WorkingDayPolicy | None = Field(
        default=None,
        description="none, previous or next; default: the deadline's own rule, or none.",
    )

    @model_validator(mode="after")
    def _one(self) -> DueRule:
        if len(_exactly_one(self, ("within", "deadline"))) != 1:
            raise ValueError("give exactly one of within or deadline")
        if self.offset is not None and self.deadline is None:
            raise ValueError("offset needs a deadline to count from")
        return self


class Every(Spec):
    """A fixed cadence: every N days, weeks, months, quarters or years."""

    days: int | None = Field(default=None, ge=1, le=3660)
    weeks: int | None = Field(default=None, ge=1, le=520)
    months: int | None = Field(default=None, ge=1, le=120)
    quarters: int | None = Field(default=None, ge=1, le=40)
    years: int | None = Field(default=None, ge=1, le=10)

    @model_validator(mode="after")
    def _one(self) -> Every:
        if len(_exactly_one(self, ("days", "weeks", "months", "quarters", "years"))) != 1:
            raise ValueError("give exactly one of days, weeks, months, quarters or years")
        return self

    def step(self) -> tuple[int, str]:
        """``(n, "days")`` or ``(n, "months")``: the cadence in days or in months."""
        if self.days is not None:
            return self.days, "days"
        if self.weeks is not None:
            return 7 * self.weeks, "days"
        if self.months is not None:
            return self.months, "months"
        if self.quarters is not None:
            return 3 * self.quarters, "months"
        return 12 * (self.years or 0), "months"


class CronTrigger(Spec):
    """A cron schedule (5 fields, in the client's timezone, at most once a day)."""

    cron: str = Field(description="minute hour day-of-month month day-of-week, e.g. `0 9 5 * *`.")
    period: SchedulePeriod = Field(
        default="interval", description="The reporting period relative to the firing date."
    )


class CadenceTrigger(Spec):
    """Every N days, weeks, months, quarters or years from a start date."""

    every: Every
    starting: date = Field(description="The first date it fires; later dates count from it.")
    period: SchedulePeriod = Field(
        default="interval", description="The reporting period relative to the firing date."
    )


class EventTrigger(Spec):
    """A client event: the end of each of the client's periods of that kind."""

    event: Event


def _trigger_tag(value: Any) -> str | None:
    if isinstance(value, Spec):
        return type(value).__name__
    if isinstance(value, dict):
        for key, tag in (
            ("cron", "CronTrigger"),
            ("every", "CadenceTrigger"),
            ("event", "EventTrigger"),
        ):
            if key in value:
                return tag
    return None


Trigger = Annotated[
    Annotated[CronTrigger, Tag("CronTrigger")]
    | Annotated[CadenceTrigger, Tag("CadenceTrigger")]
    | Annotated[EventTrigger, Tag("EventTrigger")],
    Discriminator(
        _trigger_tag,
        custom_error_type="trigger_kind",
        custom_error_message="a trigger needs one of cron, every (with starting) or event",
    ),
]


class Repeating(Spec):
    """A repeating workflow: its trigger, when each occurrence is created and due."""

    trigger: Trigger
    create: CreateRule = Field(default_factory=CreateRule)
    due: DueRule
    starts_on: date | None = Field(
        default=None, description="No occurrence is created before this date."
    )
    ends_on: date | None = Field(default=None, description="No occurrence is created after it.")

    @model_validator(mode="after")
    def _window(self) -> Repeating:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self


class PeriodSpec(Spec):
    """A reporting period, both dates inclusive."""

    start: date
    end: date


class OneOff(Spec):
    """A one-off workflow: one reporting period and an explicit due date."""

    period: PeriodSpec
    create_on: date | None = Field(
        default=None, description="Default: the day after the period ends, or due_on if earlier."
    )
    due_on: date


class ClientPeople(Spec):
    """Other people for some of a workflow's clients: an assignee, reviewers, or both."""

    clients: tuple[Slug, ...] = Field(min_length=1, description="The client ids this applies to.")
    assignee: Slug | None = Field(default=None, description="Prepares these clients' work.")
    reviewers: tuple[Slug, ...] | None = Field(
        default=None,
        description="Review these clients' work, one per level; [] for none (the assignee "
        "completes), within the template's min_reviewers..max_reviewers.",
    )

    @model_validator(mode="after")
    def _something(self) -> ClientPeople:
        if self.assignee is None and self.reviewers is None:
            raise ValueError("give an assignee, reviewers, or both")
        return self


class Workflow(Spec):
    """A ``kind: Workflow`` document."""

    api_version: Literal["workflowkit/v1"] = Field(alias="apiVersion")
    kind: Literal["Workflow"]
    id: Slug = Field(description="Stable workflow id: part of every occurrence key.")
    name: Title
    description: Text = ""
    template: TemplateRef
    clients: ClientSelector
    assignee: Slug = Field(description="The user who prepares the work.")
    reviewers: tuple[Slug, ...] = Field(
        default=(), description="Users who review, one per sequential review level."
    )
    per_client: tuple[ClientPeople, ...] = Field(
        default=(),
        description="Other assignees or reviewers for some clients (the first entry naming "
        "a client wins); every other client gets the workflow's own.",
    )
    _people: dict[str, tuple[str, tuple[str, ...]]] | None = PrivateAttr(default=None)
    one_off: OneOff | None = None
    repeating: Repeating | None = None
    tags: tuple[Slug, ...] = ()

    @model_validator(mode="after")
    def _one_type(self) -> Workflow:
        if (self.one_off is None) == (self.repeating is None):
            raise ValueError("a workflow is either one_off or repeating: give exactly one")
        return self

    def people_for(self, client: str) -> tuple[str, tuple[str, ...]]:
        """The assignee and reviewers of ``client``'s instances."""
        if not self.per_client:
            return self.assignee, self.reviewers
        index = self._people
        if index is None:  # built once: a plan asks for every client, every period
            index = {}
            for entry in self.per_client:
                people = (
                    entry.assignee if entry.assignee is not None else self.assignee,
                    entry.reviewers if entry.reviewers is not None else self.reviewers,
                )
                for c in entry.clients:
                    index.setdefault(c, people)  # the first entry naming a client wins
            self._people = index
        return index.get(client, (self.assignee, self.reviewers))
