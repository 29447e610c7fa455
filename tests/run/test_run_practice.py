"""`run` on practices made for the case: template edits never reach running instances,
one-offs cover missed clients once, skips name the workflow and never stop the others,
and each person's agenda."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from workflowkit.calendar import Practice, load_practice
from workflowkit.cli.main import main
from workflowkit.errors import DocumentError
from workflowkit.review import HandBack, SetCheckStatus, SubmitForReview, apply, replay
from workflowkit.run import agenda, run
from workflowkit.store import SQLiteEventStore

ROOT = Path(__file__).resolve().parents[2]
JAN = datetime(2026, 1, 1, tzinfo=UTC)
APR = datetime(2026, 4, 1, tzinfo=UTC)
JUL = datetime(2026, 7, 1, tzinfo=UTC)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "practice"
    shutil.copytree(ROOT / "examples" / "practice", dest)
    return dest


def write(path: Path, text: str) -> None:
    path.write_text(text.lstrip("\n"), encoding="utf-8")


def test_a_template_edit_never_reaches_running_instances(folder: Path) -> None:
    with SQLiteEventStore(":memory:") as store:
        first = run(load_practice(folder), store, now=APR, since=JAN)
        books = [e for e in first.started if e.workflow == "monthly-books"]
        assert books and {e.template_version for e in books} == {"1.2.0"}
        pinned = {
            e.instance: [c.id for c in replay(store.load(e.instance)).setup.template.checks]
            for e in books
        }

        path = folder / "templates" / "monthly-books.yaml"
        text = path.read_text(encoding="utf-8").replace("version: 1.2.0", "version: 1.3.0")
        text = text.replace(
            "        - use: time-recorded\n",
            "        - use: time-recorded\n        - id: client-sign-off\n"
            "          title: Client signed off the month\n",
            1,
        )
        path.write_text(text, encoding="utf-8")

        later = run(load_practice(folder), store, now=JUL)
        new_books = [e for e in later.started if e.workflow == "monthly-books"]
        assert new_books and {e.template_version for e in new_books} == {"1.3.0"}
        for e in new_books:
            checks = [c.id for c in replay(store.load(e.instance)).setup.template.checks]
            assert "client-sign-off" in checks
        for iid, checks in pinned.items():  # the running ones keep their checklist
            inst = replay(store.load(iid))
            assert [c.id for c in inst.setup.template.checks] == checks
            assert "client-sign-off" not in checks
            assert inst.setup.template.version == "1.2.0"
        old_hash = {e.template_hash for e in books}
        new_hash = {e.template_hash for e in new_books}
        assert len(old_hash) == len(new_hash) == 1 and old_hash != new_hash
        rows = dict(store._conn.execute("SELECT instance_id, template_hash FROM occurrences"))
        assert {rows[e.instance] for e in books} == old_hash
        assert {rows[e.instance] for e in new_books} == new_hash
        # each distinct checklist is stored once, however many instances pin it
        stored = store._conn.execute("SELECT count(*) FROM templates").fetchone()[0]
        assert stored == len({rows[i] for i in rows})


ONE_OFF = """
apiVersion: workflowkit/v1
kind: Workflow
id: {id}
name: Cover {client}
template: {{id: ledger-monthly-books}}
clients: {{ids: [{client}]}}
assignee: alice
reviewers: [bob]
one_off:
  period: {{start: 2026-02-01, end: 2026-02-28}}
  create_on: 2026-03-10
  due_on: 2026-03-20
"""


def test_a_one_off_covers_a_missed_client_once(folder: Path) -> None:
    # greenway-gardens is not tagged monthly-books: the repeating workflow missed it.
    write(
        folder / "workflows" / "cover-greenway.yaml",
        ONE_OFF.format(id="cover-greenway", client="greenway-gardens"),
    )
    # acme-widgets-ltd has its February instance from the repeating workflow already.
    write(
        folder / "workflows" / "cover-acme.yaml",
        ONE_OFF.format(id="cover-acme", client="acme-widgets-ltd"),
    )
    practice = load_practice(folder)
    with SQLiteEventStore(":memory:") as store:
        run(practice, store, now=datetime(2026, 3, 5, tzinfo=UTC), since=JAN)
        report = run(practice, store, now=APR)
        started = {e.instance for e in report.started}
        assert "greenway-gardens/cover-greenway/2026-02" in started
        assert not any(i.startswith("acme-widgets-ltd/cover-acme") for i in started)
        (covered,) = [e for e in report.entries if e.outcome == "covered"]
        assert covered.instance == "acme-widgets-ltd/monthly-books/2026-02"
        (note,) = [d for d in report.skipped if d.code == "WK704"]
        assert note.file is not None and note.file.endswith("cover-acme.yaml")
        assert note.line is not None and "acme-widgets-ltd/monthly-books/2026-02" in note.message
        again = run(practice, store, now=APR, since=JAN)
        assert again.started == []
        assert store.instances(client="greenway-gardens", template="ledger-monthly-books")


def with_workflow(practice: Practice, workflow_id: str, **update: object) -> Practice:
    """The practice with one workflow changed as an app might (no validation)."""
    changed = practice.workflow(workflow_id).model_copy(update=update)
    return dataclasses.replace(
        practice,
        workflows=tuple(changed if w.id == workflow_id else w for w in practice.workflows),
    )


def test_an_occurrence_that_cannot_start_is_skipped_and_the_others_go_on() -> None:
    practice = load_practice(ROOT / "examples" / "practice")
    # vat-return-preparation takes 0 to 2 reviewers: three is out of its limits
    broken = with_workflow(practice, "vat-returns", reviewers=("bob", "carol", "dave"))
    path = practice.sources["workflow:vat-returns"]
    with SQLiteEventStore(":memory:") as store:
        report = run(broken, store, now=APR, since=JAN)
        skips = [d for d in report.skipped if d.code == "WK703"]
        assert skips and all(d.file == path for d in skips)
        text = Path(path).read_text(encoding="utf-8").splitlines()
        line = next(n for n, t in enumerate(text, 1) if t.startswith("reviewers"))
        assert {d.line for d in skips} == {line}
        assert "0 to 2 reviewer(s)" in skips[0].message
        assert not any(e.workflow == "vat-returns" for e in report.entries)
        assert any(e.workflow == "monthly-books" for e in report.started)


def test_an_invalid_workflow_document_is_skipped_with_its_own_errors(folder: Path) -> None:
    path = folder / "workflows" / "vat-returns.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("version: ^1.0", "version: ^9"),
        encoding="utf-8",
    )
    with pytest.raises(DocumentError):
        load_practice(folder)
    practice = load_practice(folder, skip_invalid_workflows=True)
    assert "vat-returns" not in {w.id for w in practice.workflows}
    with SQLiteEventStore(":memory:") as store:
        report = run(practice, store, now=APR, since=JAN)
        (skip,) = report.skipped
        assert skip.file == str(path) and skip.line is not None and "^9" in skip.message
        assert any(e.workflow == "monthly-books" for e in report.started)
    clients = folder / "clients" / "clients.yaml"
    clients.write_text(clients.read_text(encoding="utf-8") + "  - {}\n", encoding="utf-8")
    with pytest.raises(DocumentError):  # an error outside the workflows stops the run
        load_practice(folder, skip_invalid_workflows=True)


def test_a_client_without_the_data_is_skipped_for_that_workflow_only() -> None:
    practice = load_practice(ROOT / "examples" / "practice")
    vat = practice.workflow("vat-returns")
    everyone = vat.clients.model_copy(update={"tags": (), "all": True})
    broken = with_workflow(practice, "vat-returns", clients=everyone)
    with SQLiteEventStore(":memory:") as store:
        report = run(broken, store, now=APR, since=JAN)
        skipped = [d for d in report.skipped if d.code == "WK702"]
        no_vat = {c.id for c in practice.clients if c.vat is None}
        assert no_vat and {re.findall(r"client '([^']+)'", d.message)[0] for d in skipped} == no_vat
        assert all(d.file and d.file.endswith("vat-returns.yaml") and d.line for d in skipped)
        vat_clients = {e.client for e in report.started if e.workflow == "vat-returns"}
        assert vat_clients and not vat_clients & no_vat


def test_agenda_lists_what_waits_on_each_person() -> None:
    practice = load_practice(ROOT / "examples" / "practice")
    with SQLiteEventStore(":memory:") as store:
        report = run(practice, store, now=datetime(2026, 2, 10, tzinfo=UTC), since=JAN)
        books = [e for e in report.started if e.workflow == "monthly-books"]
        one, two = books[0].instance, books[1].instance
        at = datetime(2026, 2, 10, 9, tzinfo=UTC)
        for iid in (one, two):
            inst = replay(store.load(iid))
            events = []
            for c in inst.setup.template.checks:
                inst, e = apply(
                    inst,
                    SetCheckStatus(
                        check=c.id, status="not_applicable", comment="n/a", by="alice", at=at
                    ),
                )
                events.append(e)
            inst, e = apply(inst, SubmitForReview(by="alice", at=at))
            events.append(e)
            if iid == two:
                inst, e = apply(inst, HandBack(feedback="Bank feed missing", by="bob", at=at))
                events.append(e)
            store.append(iid, events, expected_version=1)

        alice = agenda(store, "alice", on=date(2026, 2, 10))
        assert [i.instance for i in alice.handed_back] == [two]
        assert alice.handed_back[0].feedback == "Bank feed missing"
        assert alice.handed_back[0].feedback_by == "bob"
        assert one not in {i.instance for i in alice.checks}
        assert all(i.pending_checks for i in alice.checks)
        dues = [i.due for i in alice.checks]
        assert dues == sorted(dues)
        assert {i.instance for i in alice.overdue} == {
            s.id for s in store.instances(waiting_on="alice", overdue_on=date(2026, 2, 10))
        }
        bob = agenda(store, "bob", on=date(2026, 2, 10))
        assert [(i.instance, i.role) for i in bob.reviews] == [(one, "reviewer at level 1")]
        assert agenda(store, "nobody", on=date(2026, 2, 10)).empty


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse refuses a bad argument
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_run_agenda_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "practice.db")
    practice = str(ROOT / "examples" / "practice")
    code, _, err = cli(capsys, "run", practice, "--db", db, "--now", "2026-03-01T00:00:00+00:00")
    assert code == 2 and "--since" in err and not Path(db).exists()
    code, out, _ = cli(
        capsys,
        "run",
        practice,
        "--db",
        db,
        "--now",
        "2026-03-01T00:00:00+00:00",
        "--since",
        "2026-01-01",
        "--dry-run",
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["counts"]["would_start"] > 0
    assert not Path(db).exists(), "a dry run on a new store writes no file"
    code, out, _ = cli(
        capsys,
        "run",
        practice,
        "--db",
        db,
        "--now",
        "2026-03-01T00:00:00+00:00",
        "--since",
        "2026-01-01",
    )
    assert code == 0 and "started" in out and "cursor: 2026-03-01T00:00:00+00:00" in out
    code, out, _ = cli(
        capsys,
        "run",
        practice,
        "--db",
        db,
        "--now",
        "2026-03-01T00:00:00+00:00",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert code == 0 and data["counts"]["started"] == 0 and data["entries"] == []
    code, _, err = cli(
        capsys,
        "run",
        practice,
        "--db",
        db,
        "--now",
        "2026-03-01T00:00:00+00:00",
        "--until",
        "2026-12-31",
    )
    assert code == 2 and "after now" in err
    code, _, err = cli(capsys, "run", practice, "--db", db, "--since", "yesterday")
    assert code == 2 and "not an ISO datetime" in err

    code, out, _ = cli(
        capsys, "agenda", "--as", "alice", "--on", "2026-03-01", "--db", db, "--format", "json"
    )
    found = json.loads(out)
    assert code == 0 and found["person"] == "alice" and found["checks"]
    code, out, _ = cli(capsys, "agenda", "--as", "alice", "--on", "2026-03-01", "--db", db)
    assert code == 0 and "Checks waiting on you" in out

    at = "2026-03-01T09:00:00+00:00"
    code, out, _ = cli(
        capsys, "review", "list", "--db", db, "--overdue", "--at", at, "--format", "json"
    )
    overdue = json.loads(out)["instances"]
    assert code == 0 and overdue and all(r["due"] < "2026-03-01" for r in overdue)
    code, out, _ = cli(
        capsys, "review", "list", "--db", db, "--due-within", "7", "--at", at, "--format", "json"
    )
    soon = json.loads(out)["instances"]
    assert code == 0 and all("2026-03-01" <= r["due"] <= "2026-03-08" for r in soon)
    code, _, err = cli(capsys, "review", "list", "--db", db, "--due-within", "-3")
    assert code == 2 and "number of days" in err
    rows = sqlite3.connect(db).execute("SELECT count(*) FROM occurrences").fetchone()[0]
    listed = json.loads(cli(capsys, "review", "list", "--db", db, "-f", "json")[1])
    assert rows == len(listed["instances"])


def test_cli_run_exits_1_and_prints_each_skip(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = folder / "workflows" / "vat-returns.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "reviewers: [bob]", "reviewers: [bob, carol, dave]"
        ),
        encoding="utf-8",
    )
    code, out, err = cli(
        capsys,
        "run",
        str(folder),
        "--db",
        str(tmp_path / "s.db"),
        "--now",
        "2026-04-01T00:00:00+00:00",
        "--since",
        "2026-01-01",
    )
    assert code == 1
    assert re.search(rf"{re.escape(str(path))}:\d+:\d+: WK315 ", err)
    assert "skipped" in out


def test_a_one_off_and_the_repeating_occurrence_it_doubles_in_one_run(folder: Path) -> None:
    write(
        folder / "workflows" / "cover-acme.yaml",
        ONE_OFF.format(id="cover-acme", client="acme-widgets-ltd"),
    )
    with SQLiteEventStore(":memory:") as store:
        report = run(load_practice(folder), store, now=APR, since=JAN)
        assert "acme-widgets-ltd/monthly-books/2026-02" in {e.instance for e in report.started}
        assert not any(e.workflow == "cover-acme" for e in report.started)
        assert [d.code for d in report.skipped] == ["WK704"]


def test_a_clock_behind_the_cursor_does_nothing(folder: Path) -> None:
    practice = load_practice(folder)
    with SQLiteEventStore(":memory:") as store:
        run(practice, store, now=APR, since=JAN)
        before = store.instances()
        report = run(practice, store, now=datetime(2026, 3, 31, 23, tzinfo=UTC))
        assert report.entries == () and report.cursor_after == APR
        assert store.instances() == before and store.cursor("default") == APR


def test_a_dry_run_reports_an_id_taken_by_hand(tmp_path: Path) -> None:
    practice = load_practice(ROOT / "examples" / "practice")
    with SQLiteEventStore(":memory:") as store:
        planned = run(practice, store, now=APR, since=JAN, dry_run=True)
        first = planned.entries[0]
        from workflowkit.review import start

        template = practice.templates.get(first.template, first.template_version)
        _, event = start(
            template,
            client=first.client,
            period=first.period,
            assignee=first.assignee,
            reviewers=first.reviewers,
            due=first.due,
            at=first.create_at,
            by="mia",
            instance_id=first.instance,
        )
        store.append(first.instance, [event], expected_version=0)
        dry = run(practice, store, now=APR, since=JAN, dry_run=True)
        real = run(practice, store, now=APR, since=JAN)
        assert [d.code for d in dry.skipped] == [d.code for d in real.skipped] == ["WK703"]
        assert len(dry.entries) == len(real.started) == len(planned.entries) - 1
