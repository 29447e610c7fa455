"""``workflowkit review ...``: run workflows by hand over a SQLite store.

    workflowkit review start monthly-bookkeeping --client acme --period 2024-01 \\
        --assignee ann --reviewer rob --due 2024-02-07 --as mia
    workflowkit review check acme/monthly-bookkeeping/2024-01 bank-reconciliation complete --as ann
    workflowkit review show acme/monthly-bookkeeping/2024-01

Every command takes ``--db PATH`` (default ``$WORKFLOWKIT_DB`` or ``workflowkit.db``),
``--as USER`` (default ``$WORKFLOWKIT_USER`` or the login name) and ``--at TIME`` (an ISO
datetime; default: now). The clock is read here, at the edge, never in the library.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from workflowkit.cli.review_verify import Scope, Verdict

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

StatusName = Literal["pending", "complete", "complete_with_issues", "not_applicable"]

STATUS_WORDS: dict[str, StatusName] = {
    "complete": "complete",
    "done": "complete",
    "issues": "complete_with_issues",
    "complete-with-issues": "complete_with_issues",
    "complete_with_issues": "complete_with_issues",
    "na": "not_applicable",
    "n/a": "not_applicable",
    "not-applicable": "not_applicable",
    "not_applicable": "not_applicable",
    "undo": "pending",
    "pending": "pending",
}


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2024-02-07") from None


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if days < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days (0 or more)")
    return days


def _datetime(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO datetime like 2024-02-01T09:30:00+00:00"
        ) from None
    return value if value.tzinfo is not None else value.astimezone()


def _default_user() -> str:
    user = os.environ.get("WORKFLOWKIT_USER")
    if user:
        return user
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover (no login name at all)
        return "unknown"


def _common() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--db",
        metavar="PATH",
        default=None,
        help="the store: a SQLite file or a postgresql:// URL "
        "(default: $WORKFLOWKIT_DB or ./workflowkit.db)",
    )
    p.add_argument(
        "--as",
        dest="actor",
        metavar="USER",
        default=None,
        help="who gives the command (default: $WORKFLOWKIT_USER or your login name)",
    )
    p.add_argument(
        "--team",
        metavar="PATH",
        default=None,
        help="the Team document, or a practice folder holding it (default: $WORKFLOWKIT_TEAM, "
        "else the team of $WORKFLOWKIT_PRACTICE or of the config file's paths): people not "
        "on it, leavers and roles without the permission are refused",
    )
    p.add_argument(
        "--at",
        type=_datetime,
        default=None,
        metavar="TIME",
        help="when, as an ISO datetime (default: now); a time without offset is local",
    )
    return p


def register(sub: Any) -> None:
    common = _common()
    p = sub.add_parser(
        "review",
        help="start and work workflows over a SQLite store",
        description="Start workflow instances, work their checks, review, approve and "
        "verify the audit trail, over a SQLite store.",
    )
    rs = p.add_subparsers(dest="review_command", metavar="ACTION", required=True)

    s = rs.add_parser("start", parents=[common], help="start a workflow from a template")
    s.add_argument("template", help="template id, optionally id@version-range")
    s.add_argument("--client", required=True)
    s.add_argument("--period", required=True, help="reporting period, e.g. 2024-01")
    s.add_argument("--assignee", required=True)
    s.add_argument(
        "--reviewer",
        dest="reviewers",
        action="append",
        default=[],
        help="one per review level, in order (repeat)",
    )
    s.add_argument("--due", type=_date, required=True, help="due date, e.g. 2024-02-07")
    s.add_argument(
        "--id",
        dest="instance_id",
        default=None,
        help="instance id (default: client/template/period)",
    )
    s.add_argument(
        "--templates",
        metavar="DIR",
        action="append",
        default=[],
        help="a practice folder of templates (besides the built-ins)",
    )
    s.add_argument(
        "--practice",
        metavar="DIR",
        default=None,
        help="the practice (default: $WORKFLOWKIT_PRACTICE, else the config file's paths): "
        "an unknown client, or a period "
        "that does not fit the template, is refused; its templates are used unless "
        "--templates is given",
    )

    ls = rs.add_parser("list", parents=[common], help="list instances")
    ls.add_argument("--client")
    ls.add_argument("--status", choices=("in_progress", "in_review", "completed", "cancelled"))
    ls.add_argument("--assignee")
    ls.add_argument("--waiting-on", dest="waiting_on", metavar="USER")
    ls.add_argument("--template")
    ls.add_argument("--due-from", dest="due_from", type=_date, metavar="DATE")
    ls.add_argument("--due-to", dest="due_to", type=_date, metavar="DATE")
    ls.add_argument(
        "--overdue-on",
        dest="overdue_on",
        type=_date,
        metavar="DATE",
        help="due before DATE and not completed",
    )
    ls.add_argument(
        "--overdue",
        action="store_true",
        help="due before today (the day of --at) and not completed",
    )
    ls.add_argument(
        "--due-within",
        dest="due_within",
        type=_days,
        metavar="DAYS",
        help="not completed and due from today to DAYS days on (today: the day of --at)",
    )
    ls.add_argument("--format", "-f", choices=("text", "json"), default="text")

    sh = rs.add_parser("show", parents=[common], help="the checklist, comments, review level")
    sh.add_argument("id")
    sh.add_argument("--format", "-f", choices=("text", "json"), default="text")

    c = rs.add_parser("check", parents=[common], help="set a check's status (or undo it)")
    c.add_argument("id")
    c.add_argument("check")
    c.add_argument(
        "status",
        choices=sorted(STATUS_WORDS),
        metavar="STATUS",
        help="complete | issues | na | undo",
    )
    c.add_argument(
        "--comment", "-m", default=None, help="why (required with issues; the reason with na)"
    )

    cm = rs.add_parser("comment", parents=[common], help="comment on a check or the workflow")
    cm.add_argument("id")
    cm.add_argument("text")
    cm.add_argument("--check", default=None)

    at = rs.add_parser("attach", parents=[common], help="attach a file reference")
    at.add_argument("id")
    at.add_argument("file", help="the file (hashed here; only the reference is stored)")
    at.add_argument("--check", default=None)
    at.add_argument("--media-type", dest="media_type", default=None)

    rs.add_parser("submit", parents=[common], help="submit for review").add_argument("id")

    ap = rs.add_parser("approve", parents=[common], help="approve the current review level")
    ap.add_argument("id")
    ap.add_argument("--comment", "-m", default=None)

    hb = rs.add_parser("hand-back", parents=[common], help="hand back to the assignee")
    hb.add_argument("id")
    hb.add_argument("feedback")

    rs.add_parser(
        "complete", parents=[common], help="complete a workflow without review levels"
    ).add_argument("id")

    ra = rs.add_parser("reassign", parents=[common], help="give the work to someone else")
    ra.add_argument("id")
    ra.add_argument("to", metavar="USER")

    ca = rs.add_parser("cancel", parents=[common], help="cancel an instance (it stays in history)")
    ca.add_argument("id")
    ca.add_argument("--reason", required=True, help="why it is cancelled (recorded)")

    fi = rs.add_parser(
        "findings", parents=[common], help="record a data check's result on an automated check"
    )
    fi.add_argument("id")
    fi.add_argument("check")
    fi.add_argument("result", metavar="RESULT.json", help="a CheckResult as JSON")

    rc = rs.add_parser(
        "run-checks",
        parents=[common],
        help="run the automated checks on a ledger snapshot and record their findings",
    )
    rc.add_argument("id")
    rc.add_argument("snapshot", metavar="SNAPSHOT", help="a .json snapshot or a folder of CSVs")
    rc.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        metavar="DATE",
        help="the reporting date (default: the snapshot's as_of)",
    )

    hi = rs.add_parser("history", parents=[common], help="the audit trail, in words")
    hi.add_argument("id")
    hi.add_argument(
        "--format",
        "-f",
        choices=("text", "json", "jsonl"),
        default="text",
        help="jsonl: the events themselves, one per line (an export)",
    )

    ve = rs.add_parser("verify", parents=[common], help="check the audit trail's hash chain")
    ve.add_argument("id", nargs="?", help="an instance in the store")
    ve.add_argument(
        "--events",
        metavar="FILE",
        default=None,
        help="verify an exported trail (history --format jsonl) instead",
    )
    ve.add_argument("--head", default=None, help="with --events: the hash the last must have")
    ve.add_argument(
        "--all",
        dest="all_instances",
        action="store_true",
        help="every instance in the store (chains, replays and summary rows)",
    )
    ve.add_argument(
        "--checkpoints",
        metavar="DIR|FILE",
        default=None,
        help="signed checkpoints the store must extend (needs --public-key)",
    )
    ve.add_argument(
        "--public-key",
        dest="public_key",
        metavar="FILE",
        default=None,
        help="the PEM public key the checkpoints are signed with",
    )
    ve.add_argument(
        "--format",
        "-f",
        choices=("text", "json"),
        default="text",
        help="json: one workflowkit.review.verify object (docs/outputs.md)",
    )

    ex = rs.add_parser("export", parents=[common], help="export audit trails as JSON Lines")
    ex.add_argument("id", nargs="?", help="an instance in the store")
    ex.add_argument("--all", dest="all_instances", action="store_true", help="every instance")
    ex.add_argument("--format", "-f", choices=("jsonl",), default="jsonl")
    ex.add_argument("--out", metavar="FILE", default=None, help="write here (default: stdout)")

    cp = rs.add_parser(
        "checkpoint", parents=[common], help="sign a checkpoint of every instance's head"
    )
    cp.add_argument(
        "--key-file",
        dest="key_file",
        metavar="FILE",
        default=None,
        help="the Ed25519 private key, PEM (default: $WORKFLOWKIT_CHECKPOINT_KEY holds it)",
    )
    cp.add_argument("--origin", required=True, help="the practice's name in the note")
    cp.add_argument(
        "--out",
        required=True,
        metavar="DIR|FILE",
        help="a folder (a new file per checkpoint) or a file; keep it outside the database",
    )

    kg = rs.add_parser("keygen", help="make an Ed25519 key pair for checkpoints")
    kg.add_argument("--private", required=True, metavar="FILE", help="where the key goes")
    kg.add_argument("--public", required=True, metavar="FILE", help="where its public half goes")

    p.set_defaults(func=run)


# ---------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    action = args.review_command.replace("-", "_")
    if action == "verify" and args.events is not None:
        return _verify_file(args)
    if action == "keygen":
        return _keygen(args)
    if action == "verify" and args.checkpoints is not None:
        args.all_instances = args.id is None
    if action in ("verify", "export") and (args.id is None) == (not args.all_instances):
        print(f"workflowkit review {action}: give an instance id or --all (not both)")
        return EXIT_USAGE
    if action == "verify" and (args.checkpoints is None) != (args.public_key is None):
        print("workflowkit review verify: --checkpoints and --public-key go together")
        return EXIT_USAGE
    # Commands that only read open the store read-only: never created, never migrated.
    reading = action in _READ_ONLY
    store = _open(args, create=action == "start", read_only=reading)
    try:
        handler = {
            "run_checks": _run_checks,
            "start": _start,
            "list": _list,
            "show": _show,
            "history": _history,
            "verify": _verify_all if args.__dict__.get("all_instances") else _verify,
            "export": _export,
            "checkpoint": _checkpoint,
        }.get(action)
        if handler is not None:
            return handler(args, store)
        return _command(args, store, action)
    finally:
        store.close()


_READ_ONLY = frozenset({"list", "show", "history", "verify", "export", "checkpoint"})
"""The actions that only read the store (they open it read-only)."""


def _open(args: argparse.Namespace, *, create: bool, read_only: bool = False) -> Any:
    """The store ``--db`` (else ``$WORKFLOWKIT_DB``, else ``./workflowkit.db``) names: a
    SQLite file path or a ``postgresql://`` URL."""
    from workflowkit.store import open_store

    url = args.db or os.environ.get("WORKFLOWKIT_DB") or "workflowkit.db"
    return open_store(url, create=create and not read_only, read_only=read_only)


def _actor(args: argparse.Namespace) -> str:
    return str(args.actor) if args.actor else _default_user()


def _now(args: argparse.Namespace) -> datetime:
    if args.at is not None:
        return args.at  # type: ignore[no-any-return]
    from datetime import UTC

    return datetime.now(UTC)


def _configured_practice(args: argparse.Namespace) -> list[str] | None:
    """The practice's paths from ``$WORKFLOWKIT_PRACTICE``, else from a config file's
    ``paths`` (``[tool.workflowkit]`` / ``workflowkit.yaml``); ``None`` without either."""
    env = os.environ.get("WORKFLOWKIT_PRACTICE")
    if env:
        return [env]
    settings = getattr(args, "settings", None)
    if settings is not None and settings.origins["paths"].layer == "file":
        return list(settings.paths)
    return None


def _team(args: argparse.Namespace, practice: Any = None) -> Any:
    """The team the command is checked against: ``--team`` (a Team file, or a folder
    holding one), else ``$WORKFLOWKIT_TEAM``, else the practice's (given, or from
    :func:`_configured_practice`); ``None`` without one."""
    if practice is not None and not (args.team or os.environ.get("WORKFLOWKIT_TEAM")):
        return practice.team
    given = args.team or os.environ.get("WORKFLOWKIT_TEAM")
    paths = [given] if given else _configured_practice(args)
    if not paths:
        return None
    where = ", ".join(paths)
    from workflowkit.errors import DocumentError, Severity
    from workflowkit.source.workspace import read_workspace
    from workflowkit.team import team_of

    ws = read_workspace(paths)
    # Only the team's own errors matter here (or, when no team was read, those of the
    # file named, which may be a team that does not parse).
    team_files = {doc.name for doc in ws.of_kind("Team")} or set(paths)
    errors = [d for d in ws.diagnostics() if d.severity is Severity.ERROR and d.file in team_files]
    if errors:
        raise DocumentError.of(errors, f"the team in {where} is invalid")
    team = team_of(ws)
    if team is None:
        raise DocumentError.of([], f"{where}: no Team document (or more than one) here")
    return team


def _start(args: argparse.Namespace, store: Any) -> int:
    from workflowkit.review import history, start
    from workflowkit.templates.validate import load_registry

    template_id, _, version = args.template.partition("@")
    practice = None
    where = [args.practice] if args.practice else _configured_practice(args)
    if where:
        from workflowkit.calendar import load_practice

        practice = load_practice(where, skip_invalid_workflows=True)
    registry = (
        practice.templates
        if practice is not None and not args.templates
        else load_registry(args.templates)
    )
    template = registry.get(template_id, version or None)
    inst, event = start(
        template,
        client=args.client,
        period=args.period,
        assignee=args.assignee,
        reviewers=args.reviewers,
        due=args.due,
        at=_now(args),
        by=_actor(args),
        instance_id=args.instance_id,
        practice=practice,
        team=_team(args, practice),
    )
    store.append(inst.id, [event], 0)
    print(inst.id)
    print(f"  {history([event])[0].text}")
    return EXIT_OK


def _run_checks(args: argparse.Namespace, store: Any) -> int:
    """Run the instance's automated checks on a snapshot; record each result (the hook)."""
    from workflowkit.insights import load_snapshot, run_template_checks
    from workflowkit.review import record_check_results

    snapshot = load_snapshot(args.snapshot)
    as_of = args.as_of or snapshot.as_of
    if as_of is None:
        print("workflowkit review run-checks: the snapshot has no as_of; give --as-of DATE")
        return EXIT_USAGE
    by, at = _actor(args), _now(args)
    inst, _ = _load(store, args.id)
    results = run_template_checks(inst.setup.template, snapshot, as_of=as_of)
    if not results:
        print(f"{inst.id}: the template has no automated checks")
        return EXIT_OK
    inst, new = record_check_results(inst, results, by=by, at=at)
    store.append(inst.id, new, new[0].version - 1)
    for cid, result in results.items():
        print(f"{cid}: {result.outcome} (suggests {result.suggested_status}): {result.summary}")
    return EXIT_OK


def _load(store: Any, instance_id: str) -> tuple[Any, list[Any]]:
    from workflowkit.review import replay

    events = store.load(instance_id)
    return replay(events), events


def _make(args: argparse.Namespace, action: str, by: str, at: datetime) -> Any:
    from workflowkit import review as r

    if action == "check":
        return r.SetCheckStatus(
            check=args.check,
            status=STATUS_WORDS[args.status],
            comment=args.comment,
            by=by,
            at=at,
        )
    if action == "comment":
        return r.AddComment(check=args.check, text=args.text, by=by, at=at)
    if action == "attach":
        return _attach(args, by, at)
    if action == "submit":
        return r.SubmitForReview(by=by, at=at)
    if action == "approve":
        return r.Approve(comment=args.comment, by=by, at=at)
    if action == "hand_back":
        return r.HandBack(feedback=args.feedback, by=by, at=at)
    if action == "complete":
        return r.Complete(by=by, at=at)
    if action == "reassign":
        return r.Reassign(to=args.to, by=by, at=at)
    if action == "cancel":
        return r.Cancel(reason=args.reason, by=by, at=at)
    if action == "findings":
        return _findings(args, by, at)
    raise AssertionError(action)  # pragma: no cover


def _attach(args: argparse.Namespace, by: str, at: datetime) -> Any:
    import hashlib
    import mimetypes
    from pathlib import Path

    from workflowkit.errors import NotFoundError
    from workflowkit.review import Attach

    path = Path(args.file)
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    media = args.media_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Attach(
        check=args.check,
        name=path.name,
        sha256=digest.hexdigest(),
        size=path.stat().st_size,
        media_type=media,
        by=by,
        at=at,
    )


def _findings(args: argparse.Namespace, by: str, at: datetime) -> Any:
    from pathlib import Path

    from pydantic import ValidationError

    from workflowkit.errors import NotFoundError
    from workflowkit.insights.results import CheckResult
    from workflowkit.review import InvalidRecordError, RecordFindings

    path = Path(args.result)
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    try:
        result = CheckResult.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        raise InvalidRecordError(
            f"check result in {path}",
            [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()],
        ) from None
    return RecordFindings(check=args.check, result=result, by=by, at=at)


def _check_hint(inst: Any, check: str) -> str:
    """A did-you-mean for an unknown check id, from the instance's own checks (or, with
    none close, where to see them)."""
    from workflowkit.source.models import did_you_mean

    ids = [c.id for c in inst.setup.template.checks]
    near = did_you_mean(check, ids)
    if near:
        return f" ({near})"
    return f" (see its {len(ids)} check ids with `workflowkit review show {inst.id}`)"


def _command(args: argparse.Namespace, store: Any, action: str) -> int:
    from workflowkit.review import InvalidCommandError, UnknownCheckError, apply, history
    from workflowkit.store import ConflictError

    by, at = _actor(args), _now(args)
    try:
        command = _make(args, action, by, at)
    except InvalidCommandError as exc:
        print(f"workflowkit review {args.review_command}: {exc}")
        return EXIT_USAGE
    team = _team(args)
    for attempt in range(3):
        inst, events = _load(store, args.id)
        try:
            inst, event = apply(inst, command, team=team)
        except UnknownCheckError as exc:
            print(f"workflowkit: error: {exc}{_check_hint(inst, exc.check)}", file=sys.stderr)
            return EXIT_USAGE
        try:
            store.append(inst.id, [event], event.version - 1)
        except ConflictError:
            if attempt == 2:
                raise
            continue  # someone else wrote first: reload and apply again
        print(f"{inst.id} v{event.version}: {history([*events, event])[-1].text}")
        return EXIT_OK
    raise AssertionError("unreachable")  # pragma: no cover


def _list(args: argparse.Namespace, store: Any) -> int:
    from datetime import timedelta

    today = _now(args).date()
    due_from, due_to, overdue_on = args.due_from, args.due_to, args.overdue_on
    if args.overdue:
        overdue_on = today if overdue_on is None else min(overdue_on, today)
    if args.due_within is not None:
        ahead = today + timedelta(days=args.due_within)
        due_from = today if due_from is None else max(due_from, today)
        due_to = ahead if due_to is None else min(due_to, ahead)
    from workflowkit.store.trust import checked_instances

    rows, withheld = checked_instances(
        store,
        client=args.client,
        status=args.status,
        assignee=args.assignee,
        waiting_on=args.waiting_on,
        template=args.template,
        due_from=due_from,
        due_to=due_to,
        overdue_on=overdue_on,
    )
    if args.due_within is not None:
        rows = [s for s in rows if s.status not in ("completed", "cancelled")]
    if args.status is None:  # cancelled instances leave every queue (--status cancelled shows them)
        rows = [s for s in rows if s.status != "cancelled"]
    for w in withheld:
        print(f"workflowkit review list: withheld {w}; run review verify", file=sys.stderr)
    code = EXIT_FINDINGS if withheld else EXIT_OK
    if args.format == "json":
        from workflowkit.cli.outputs.base import render
        from workflowkit.cli.outputs.review import ReviewListOutput

        data = {"instances": [_summary_data(s) for s in rows]}
        print(render(ReviewListOutput, data, ensure_ascii=False))
        return code
    headers = ("ID", "CLIENT", "TEMPLATE", "PERIOD", "STATUS", "WAITING ON", "DUE", "V")
    table = [
        (
            s.id,
            s.client,
            f"{s.template_id}@{s.template_version}",
            s.period,
            _status_words(s.status, s.level, len(s.reviewers), s.handed_back, bool(s.issues)),
            s.waiting_on or "-",
            s.due.isoformat(),
            str(s.version),
        )
        for s in rows
    ]
    from workflowkit.cli.safe_text import clean

    cells = [[clean(c) for c in r] for r in table]  # a name cannot break the table
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for r in cells:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    if not cells:
        print("(no instances)")
    return code


def _summary_data(s: Any) -> dict[str, Any]:
    return {
        "id": s.id,
        "template": s.template_id,
        "template_version": s.template_version,
        "client": s.client,
        "period": s.period,
        "assignee": s.assignee,
        "reviewers": list(s.reviewers),
        "status": s.status,
        "level": s.level,
        "waiting_on": s.waiting_on,
        "due": s.due.isoformat(),
        "version": s.version,
        "head": s.head,
        "started_at": s.started_at.isoformat(),
        "updated_at": s.updated_at.isoformat(),
        "handed_back": s.handed_back,
        "issues": list(s.issues),
    }


def _status_words(
    status: str, level: int, levels: int, handed_back: bool = False, with_issues: bool = False
) -> str:
    if status == "in_review":
        return f"in review {level + 1}/{levels}"
    if status == "in_progress" and handed_back:
        return "handed back"
    if status == "in_progress" and with_issues:
        return "in progress, with issues"
    return status.replace("_", " ")


def _show(args: argparse.Namespace, store: Any) -> int:

    from workflowkit.review.text import describe

    store.get(args.id)  # a damaged summary row is an error here too, not a traceback later
    inst, events = _load(store, args.id)
    if args.format == "json":
        from workflowkit.cli.outputs.base import render
        from workflowkit.cli.outputs.review import ReviewShowOutput

        data = inst.to_data()
        checks = inst.setup.template.checks
        data["checks"] = [{"id": c.id, **s} for c, s in zip(checks, data["checks"], strict=True)]
        print(render(ReviewShowOutput, data, ensure_ascii=False))
    else:
        from workflowkit.cli.safe_text import emit

        emit(describe(inst, events))
    return EXIT_OK


def _history(args: argparse.Namespace, store: Any) -> int:

    from workflowkit.review import dump_events, history

    store.get(args.id)  # a damaged summary row is an error here too
    events = store.load(args.id)
    if args.format == "jsonl":
        print(dump_events(events), end="")
    elif args.format == "json":
        from workflowkit.cli.outputs.base import render
        from workflowkit.cli.outputs.review import ReviewHistoryOutput

        entries = [
            {
                "version": h.version,
                "at": h.at.isoformat(),
                "by": h.by,
                "action": h.action,
                "text": h.text,
            }
            for h in history(events)
        ]
        data = {"instance": args.id, "events": entries}
        print(render(ReviewHistoryOutput, data, ensure_ascii=False))
    else:
        from workflowkit.cli.safe_text import clean

        for entry in history(events):
            print(clean(str(entry)))
    return EXIT_OK


def _verdict(args: argparse.Namespace, scope: Scope) -> Verdict:
    from workflowkit.cli.review_verify import Verdict

    return Verdict(scope, json=getattr(args, "format", "text") == "json")


def _check_trail(events: list[Any], head: str | None, instance: str | None, v: Verdict) -> int:
    from workflowkit.review import ReplayError, TamperError, replay, verify

    try:
        chain = verify(events, head=head, instance=instance)
        inst = replay(events)
    except TamperError as exc:
        v.problem("TAMPERED", str(exc))
        return EXIT_FINDINGS
    except ReplayError as exc:
        v.problem("INVALID", str(exc))
        return EXIT_FINDINGS
    v.instance, v.events, v.head = chain.instance, chain.count, chain.head
    v.version, v.status = inst.version, inst.status.value
    v.say(
        f"ok: {chain.instance}: {chain.count} events, chain intact, head {chain.head}; "
        f"replays to version {inst.version} ({inst.status.value})"
    )
    return EXIT_OK


def _verify(args: argparse.Namespace, store: Any) -> int:
    from workflowkit.review import InvalidRecordError
    from workflowkit.store.trust import summary_differences

    v = _verdict(args, "instance")
    v.instance = args.id
    try:
        summary, events = store.snapshot(args.id)
    except InvalidRecordError as exc:
        v.problem("TAMPERED", f"an event cannot be read: {exc}")
        return v.finish(EXIT_FINDINGS)
    code = _check_trail(events, summary.head, args.id, v)
    if code == EXIT_OK:
        for d in summary_differences(summary, events):
            v.problem("SUMMARY", str(d), args.id)
            code = EXIT_FINDINGS
    return v.finish(code)


def _verify_all(args: argparse.Namespace, store: Any) -> int:
    from workflowkit.cli.review_audit import verify_all

    v = _verdict(args, "store")
    code = verify_all(store, checkpoints=args.checkpoints, public_key=args.public_key, verdict=v)
    return v.finish(code)


def _export(args: argparse.Namespace, store: Any) -> int:
    from workflowkit.cli.review_audit import export

    return export(store, None if args.all_instances else args.id, args.out)


def _checkpoint(args: argparse.Namespace, store: Any) -> int:
    from workflowkit.cli.review_audit import checkpoint

    return checkpoint(store, args.key_file, args.origin, args.out, _now(args))


def _keygen(args: argparse.Namespace) -> int:
    from workflowkit.cli.review_audit import keygen

    return keygen(args.private, args.public)


def _verify_file(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workflowkit.errors import NotFoundError
    from workflowkit.review import InvalidRecordError, load_events

    path = Path(args.events)
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    v = _verdict(args, "file")
    v.file, v.instance = str(path), args.id
    try:
        events = load_events(path.read_text(encoding="utf-8"))
    except InvalidRecordError as exc:
        v.problem("TAMPERED", f"{path}: {exc}")
        return v.finish(EXIT_FINDINGS)
    except UnicodeDecodeError:
        v.problem("TAMPERED", f"{path}: not UTF-8 text")
        return v.finish(EXIT_FINDINGS)
    return v.finish(_check_trail(events, args.head, args.id, v))
