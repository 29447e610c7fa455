"""Make the screenshot of the example practice's report for ``docs/report.md``.

Builds a demo store for ``examples/practice/`` (``workflowkit run`` over two months,
then some work on a few instances: checks done, one with issues, one in review, one
handed back, one locked), writes the report and has Debian's Chromium, headless, take a
1280x800 screenshot of it:

    python scripts/report_screenshot.py                 # docs/report.png
    python scripts/report_screenshot.py --out shot.png --html report.html

The tests (``tests/report``) use :func:`build_demo_store` and :func:`chromium` too.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from workflowkit.calendar import load_practice  # noqa: E402
from workflowkit.review import (  # noqa: E402
    AddComment,
    Approve,
    Attach,
    Complete,
    HandBack,
    SetCheckStatus,
    SubmitForReview,
    apply,
    replay,
)
from workflowkit.review.errors import IllegalCommandError  # noqa: E402
from workflowkit.review.events import Event  # noqa: E402
from workflowkit.review.state import Instance  # noqa: E402
from workflowkit.run import run  # noqa: E402
from workflowkit.store import open_store  # noqa: E402
from workflowkit.store.protocol import EventStore  # noqa: E402

PRACTICE = ROOT / "examples" / "practice"
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
SINCE = datetime(2026, 10, 1, tzinfo=UTC)
CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
INSTALL_HINT = "apt-get install -y chromium (Debian's package; no browser is downloaded)"


def chromium_path() -> str | None:
    """Debian's Chromium, when installed."""
    found = shutil.which("chromium") if not Path(CHROMIUM).exists() else CHROMIUM
    return found


def chromium(args: Sequence[str], *, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with a fresh profile and ``args``; the completed process."""
    exe = chromium_path()
    if exe is None:
        raise FileNotFoundError(f"Chromium is not installed: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="wk-chromium-") as profile:
        return subprocess.run(
            [exe, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )


def screenshot(html: Path, png: Path, *, width: int = 1280, height: int = 800) -> None:
    """A ``width`` x ``height`` screenshot of the page at ``html``."""
    chromium(
        [
            f"--screenshot={png.resolve()}",
            f"--window-size={width},{height}",
            html.resolve().as_uri(),
        ]
    )


def _do(
    store: EventStore, inst: Instance, events: list[Event], command: object
) -> tuple[Instance, list[Event]]:
    new, event = apply(inst, command)  # type: ignore[arg-type]
    store.append(inst.id, [event], inst.version)
    return new, [*events, event]


def _tick(at: list[datetime]) -> datetime:
    at[0] += timedelta(minutes=7)
    return at[0]


def _resolve_all(
    store: EventStore,
    inst: Instance,
    events: list[Event],
    at: list[datetime],
    *,
    issues: str | None = None,
) -> tuple[Instance, list[Event]]:
    """Set every pending check complete (the first with issues when ``issues`` is given),
    attaching a file where a check needs one."""
    for i, spec in enumerate(inst.template.checks):
        if inst.checks[i].resolved:
            continue
        status, comment = "complete", None
        if issues is not None and i == 0:
            status, comment = "complete_with_issues", issues
        command = SetCheckStatus(
            check=spec.id, status=status, comment=comment, by=inst.assignee, at=_tick(at)
        )
        try:
            inst, events = _do(store, inst, events, command)
        except IllegalCommandError:
            digest = hashlib.sha256(spec.id.encode()).hexdigest()
            attach = Attach(
                check=spec.id,
                name=f"{spec.id}.pdf",
                sha256=digest,
                size=48_213,
                media_type="application/pdf",
                by=inst.assignee,
                at=_tick(at),
            )
            inst, events = _do(store, inst, events, attach)
            command = SetCheckStatus(
                check=spec.id,
                status=status,
                comment=comment or "Evidence attached.",
                by=inst.assignee,
                at=_tick(at),
            )
            inst, events = _do(store, inst, events, command)
    return inst, events


def build_demo_store(
    db: str | Path,
    *,
    practice_dir: Path = PRACTICE,
    now: datetime = NOW,
    since: datetime = SINCE,
    comment: str = "Bank feed was two days behind; the client sent the missing statement.",
) -> list[str]:
    """Run the practice into a new store at ``db`` and work a few instances; the ids of
    the instances worked, in order: with issues, in review, handed back, locked."""
    practice = load_practice(practice_dir, skip_invalid_workflows=True)
    worked: list[str] = []
    with open_store(db) as store:
        run(practice, store, now=now - timedelta(days=1), since=since)
        summaries = [s for s in store.instances() if s.reviewers]
        picks = summaries[:4]
        at = [now - timedelta(hours=20)]
        for n, s in enumerate(picks):
            events = store.load(s.id)
            inst = replay(events)
            inst, events = _do(
                store,
                inst,
                events,
                AddComment(text=comment, by=inst.assignee, at=_tick(at)),
            )
            inst, events = _resolve_all(
                store, inst, events, at, issues="Two receipts are missing." if n == 0 else None
            )
            if n >= 1:
                inst, events = _do(
                    store, inst, events, SubmitForReview(by=inst.assignee, at=_tick(at))
                )
            if n == 2:
                inst, events = _do(
                    store,
                    inst,
                    events,
                    HandBack(
                        feedback="Please reconcile the card account again.",
                        by=inst.reviewers[0],
                        at=_tick(at),
                    ),
                )
            if n == 3:
                for reviewer in inst.reviewers:
                    inst, events = _do(
                        store,
                        inst,
                        events,
                        Approve(comment="Looks right.", by=reviewer, at=_tick(at)),
                    )
                if not inst.locked:
                    inst, events = _do(
                        store, inst, events, Complete(by=inst.assignee, at=_tick(at))
                    )
            worked.append(s.id)
    return worked


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--html", type=Path, default=None, help="keep the HTML here too")
    args = parser.parse_args(argv)
    if chromium_path() is None:
        print(f"Chromium is not installed: {INSTALL_HINT}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="wk-report-") as tmp:
        db = Path(tmp) / "demo.db"
        build_demo_store(db)
        html = args.html or Path(tmp) / "report.html"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "workflowkit",
                "report",
                str(PRACTICE),
                "--db",
                str(db),
                "--now",
                NOW.isoformat(),
                "--from",
                date(2026, 12, 1).isoformat(),
                "--to",
                date(2027, 3, 31).isoformat(),
                "--out",
                str(html),
            ],
            check=True,
            cwd=tmp,
        )
        screenshot(html, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
