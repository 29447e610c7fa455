"""Running the practice: repeating and one-off workflows start their own instances.

    practice = load_practice("practice/")
    with SQLiteEventStore("practice.db") as store:
        report = run(practice, store, now=datetime.now(UTC), since=first_run_start)
        todo = agenda(store, "alice", on=date.today())

* :func:`run`: start every occurrence created since the store's cursor for the
  practice, each exactly once, and move the cursor (the edge step: it writes).
* :func:`due` and :func:`occurrences_between`: the pure step behind it.
* :func:`agenda`: what one person has to do next.
* :func:`workload`: hours due per person and week or month, against capacity; the pure
  part is :func:`workload_of`.
* :func:`cover`: stand-ins for people away on an occurrence's due date (``run`` uses it).

The only package that joins the calendar, review and the store (DESIGN.md §1). The clock
is always a parameter. The guide is ``docs/running.md``.
"""

from workflowkit.run.agenda import Agenda, AgendaItem, agenda
from workflowkit.run.due import Due, due, instance_id, occurrences_between, period_label
from workflowkit.run.materialise import (
    DEFAULT_PRACTICE,
    RUN_ACTOR,
    NoCursorError,
    RunEntry,
    RunReport,
    WindowError,
    run,
)
from workflowkit.run.stand_ins import Cover, Swap, cover
from workflowkit.run.workload import (
    StackedReviews,
    Workload,
    WorkloadError,
    WorkloadRow,
    workload,
    workload_of,
)

__all__ = [
    "DEFAULT_PRACTICE",
    "RUN_ACTOR",
    "Agenda",
    "AgendaItem",
    "Cover",
    "Due",
    "NoCursorError",
    "RunEntry",
    "RunReport",
    "StackedReviews",
    "Swap",
    "WindowError",
    "Workload",
    "WorkloadError",
    "WorkloadRow",
    "agenda",
    "cover",
    "due",
    "instance_id",
    "occurrences_between",
    "period_label",
    "run",
    "workload",
    "workload_of",
]
