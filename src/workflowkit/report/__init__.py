"""The static HTML dashboard of a practice, and the JSON behind it.

    report = collect(practice, store, snapshots=find_snapshots(folder, practice),
                     now=now, today=now.date(), start=start, end=end)
    Path("report.html").write_text(render_html(report))

:func:`build_report` is the pure part (no I/O, no clock); :func:`collect` reads the store
and calls it. HTML needs Jinja2 (``pip install "workflowkit[report]"``). See
``docs/report.md``.
"""

from workflowkit.report.build import PlanDigest, build_report, digest_plan
from workflowkit.report.collect import collect, event_ids, find_snapshots
from workflowkit.report.errors import ReportError, ReportExtraMissingError, ReportWindowError
from workflowkit.report.health import SnapshotInput
from workflowkit.report.model import FORMAT, FORMAT_VERSION, Limits, PersonInfo, Report, to_data
from workflowkit.report.render import render_html, render_json

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "Limits",
    "PersonInfo",
    "PlanDigest",
    "Report",
    "ReportError",
    "ReportExtraMissingError",
    "ReportWindowError",
    "SnapshotInput",
    "build_report",
    "collect",
    "digest_plan",
    "event_ids",
    "find_snapshots",
    "render_html",
    "render_json",
    "to_data",
]
