"""End to end: events in a store, the outbox, and a real SMTP server on 127.0.0.1
(aiosmtpd, started inside the test). Asserts the messages that arrive, and that a rerun
sends nothing twice."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from notify_helpers import DIRECTORY, FEEDBACK, at, begin, full_trail, resolve_and_submit, run

from workflowkit.cli.main import main
from workflowkit.notify import (
    DeliveryError,
    Message,
    SenderSettingsError,
    SmtpSender,
    SmtpSettings,
    deliver,
    notify,
)
from workflowkit.review import Approve
from workflowkit.store import SQLiteEventStore

NOW = datetime(2024, 2, 8, 9, 0, tzinfo=UTC)  # acme (due 2024-02-07) is late by then
REFUSED = "nobody@practice.test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address == REFUSED:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        mail = message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(mail, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), mail))
        return "250 Message accepted for delivery"

    def take(self) -> list[tuple[list[str], EmailMessage]]:
        out, self.messages = self.messages, []
        return out


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def settings(port: int) -> SmtpSettings:
    return SmtpSettings(
        host="127.0.0.1",
        port=port,
        security="none",
        sender="Practice <workflowkit@practice.test>",
        timeout=5,
    )


def body_of(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def stored(tmp_path: Path) -> SQLiteEventStore:
    store = SQLiteEventStore(tmp_path / "practice.db")
    _, events = full_trail("acme")
    store.append(events[0].instance, events, expected_version=0)
    return store


def test_messages_arrive_in_order_and_a_rerun_sends_nothing_twice(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    with stored(tmp_path) as store:
        # an open instance, late at NOW, waiting on its first reviewer
        inst, first = begin("globex", due=date(2024, 2, 5))
        inst, events = run(inst, resolve_and_submit("ann", 1))
        store.append(inst.id, [first, *events], expected_version=0)

        with SmtpSender(settings(port)) as sender:
            report = notify(store, sender, DIRECTORY, now=NOW)
        got = inbox.take()
        assert len(report.queued) == len(report.delivery.sent) == len(got) == 11
        assert store.pending_notifications() == []
        assert store.notify_cursor() == {"acme/monthly/2024-01": 9, "globex/monthly/2024-01": 4}

        seen = [(rcpt, str(m["To"]), str(m["Subject"])) for rcpt, m in got]
        assert seen[:8] == [
            (
                ["ann@practice.test"],
                "Ann Preparer <ann@practice.test>",
                "Assigned to you: Monthly bookkeeping for acme (2024-01)",
            ),
            (
                ["rob@practice.test"],
                "Rob Reviewer <rob@practice.test>",
                "For your review, level 1: Monthly bookkeeping for acme (2024-01)",
            ),
            (
                ["rita@practice.test"],
                "Rita Manager <rita@practice.test>",
                "For your review, level 2: Monthly bookkeeping for acme (2024-01)",
            ),
            (
                ["ann@practice.test"],
                "Ann Preparer <ann@practice.test>",
                "Handed back to you: Monthly bookkeeping for acme (2024-01)",
            ),
            (
                ["rob@practice.test"],
                "Rob Reviewer <rob@practice.test>",
                "For your review, level 1: Monthly bookkeeping for acme (2024-01)",
            ),
            (
                ["rita@practice.test"],
                "Rita Manager <rita@practice.test>",
                "For your review, level 2: Monthly bookkeeping for acme (2024-01)",
            ),
            (
                ["ann@practice.test"],
                "Ann Preparer <ann@practice.test>",
                "Approved and locked: Monthly bookkeeping for acme (2024-01)",
            ),
            (
                ["rob@practice.test"],
                "Rob Reviewer <rob@practice.test>",
                "Approved and locked: Monthly bookkeeping for acme (2024-01)",
            ),
        ]
        assert [s for _, _, s in seen[8:]] == [
            "Assigned to you: Monthly bookkeeping for globex (2024-01)",
            "For your review, level 1: Monthly bookkeeping for globex (2024-01)",
            "Overdue since 2024-02-05: Monthly bookkeeping for globex (2024-01)",
        ]
        assert seen[10][0] == ["rob@practice.test"]  # the late one waits on rob
        for (_, mail), n in zip(got, report.delivery.sent, strict=True):
            assert str(mail["Message-ID"]) == f"<{n.id}@notify.workflowkit>"
            assert str(mail["From"]) == "Practice <workflowkit@practice.test>"
            assert n.instance in body_of(mail)
        hand_back = body_of(got[3][1])
        assert FEEDBACK in hand_back and "rita handed this work back" in hand_back

        # a rerun, even a day later, sends nothing twice (the late one was told already)
        with SmtpSender(settings(port)) as sender:
            again = notify(store, sender, DIRECTORY, now=NOW + timedelta(days=1))
        assert again.queued == () and again.delivery.sent == () and inbox.take() == []

        # new events: only what they call for is sent
        inst, more = run(inst, [Approve(by="rob", at=at(30))])
        store.append(inst.id, more, expected_version=4)
        with SmtpSender(settings(port)) as sender:
            third = notify(store, sender, DIRECTORY, now=NOW + timedelta(days=1))
        arrived = inbox.take()
        assert [(r, str(m["Subject"])) for r, m in arrived] == [
            (
                ["rita@practice.test"],
                "For your review, level 2: Monthly bookkeeping for globex (2024-01)",
            ),
            # rita now holds late work: she is told once too (rob was told before)
            (
                ["rita@practice.test"],
                "Overdue since 2024-02-05: Monthly bookkeeping for globex (2024-01)",
            ),
        ]
        assert [n.kind for n in third.delivery.sent] == ["submitted", "overdue"]


def test_no_server_raises_a_typed_error_and_marks_nothing(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    with stored(tmp_path) as store:
        dead = SmtpSender(settings(free_port()))
        with pytest.raises(DeliveryError, match="cannot connect"):
            notify(store, dead, DIRECTORY, now=NOW)
        assert len(store.pending_notifications()) == 8  # queued, none marked sent
        with SmtpSender(settings(port)) as sender:
            report = deliver(store, sender, now=NOW)
        assert len(report.sent) == len(inbox.take()) == 8
        assert store.pending_notifications() == []


def test_a_crash_between_send_and_mark_resends_with_the_same_message_id(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp

    class Crashing(SQLiteEventStore):
        def mark_sent(self, ids: Any, at: datetime) -> list[str]:
            raise SystemExit("killed after the send, before the mark")

    with stored(tmp_path) as store:
        notify(store, None, DIRECTORY, now=NOW)  # queue only
    with (
        Crashing(tmp_path / "practice.db") as crashing,
        SmtpSender(settings(port)) as sender,
        pytest.raises(SystemExit),
    ):
        deliver(crashing, sender, now=NOW)
    [(_, first)] = inbox.take()
    with SQLiteEventStore(tmp_path / "practice.db") as store, SmtpSender(settings(port)) as s:
        assert len(store.pending_notifications()) == 8
        report = deliver(store, s, now=NOW)
    again = inbox.take()
    assert len(report.sent) == len(again) == 8
    assert again[0][1]["Message-ID"] == first["Message-ID"]  # a receiver can drop it


def test_a_refused_recipient_stays_pending_and_the_rest_go(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    book = {
        p: {"name": a.name, "email": a.email}
        for p, a in ((p, DIRECTORY.address(p)) for p in DIRECTORY)
        if a is not None
    }
    book["rob"] = {"name": "Rob", "email": REFUSED}
    from workflowkit.notify import MappingDirectory

    with stored(tmp_path) as store, SmtpSender(settings(port)) as sender:
        report = notify(store, sender, MappingDirectory(book), now=NOW)
        assert len(report.delivery.refused) == 3  # rob's three
        assert all("550" in why for _, why in report.delivery.refused)
        assert len(report.delivery.sent) == len(inbox.take()) == 5
        assert {n.recipient for n, _ in report.delivery.refused} == {"rob"}
        assert len(store.pending_notifications()) == 3


def test_an_unknown_person_stays_pending_until_an_address_is_known(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    from workflowkit.notify import MappingDirectory

    only_ann = MappingDirectory({"ann": {"name": "Ann", "email": "ann@practice.test"}})
    with stored(tmp_path) as store, SmtpSender(settings(port)) as sender:
        report = notify(store, sender, only_ann, now=NOW)
        assert len(report.delivery.sent) == 3
        assert {n.recipient for n in report.delivery.unaddressed} == {"rob", "rita"}
        later = deliver(store, sender, now=NOW, directory=DIRECTORY)
        assert len(later.sent) == 5 and later.unaddressed == ()
    assert len(inbox.take()) == 8


def test_settings_come_from_the_environment() -> None:
    env = {
        "WORKFLOWKIT_SMTP_HOST": "mail.practice.test",
        "WORKFLOWKIT_SMTP_FROM": "wk@practice.test",
        "WORKFLOWKIT_SMTP_SECURITY": "SSL",
        "WORKFLOWKIT_SMTP_USER": "wk",
        "WORKFLOWKIT_SMTP_PASSWORD": "s3cret",
    }
    s = SmtpSettings.from_env(env)
    assert (s.host, s.effective_port, s.security, s.user, s.password) == (
        "mail.practice.test",
        465,
        "ssl",
        "wk",
        "s3cret",
    )
    assert SmtpSettings.from_env({**env, "WORKFLOWKIT_SMTP_SECURITY": ""}).effective_port == 587
    for key, value, setting in [
        ("WORKFLOWKIT_SMTP_HOST", "", "HOST"),
        ("WORKFLOWKIT_SMTP_FROM", "", "FROM"),
        ("WORKFLOWKIT_SMTP_FROM", "not an address", "FROM"),
        ("WORKFLOWKIT_SMTP_PORT", "smtp", "PORT"),
        ("WORKFLOWKIT_SMTP_PORT", "70000", "PORT"),
        ("WORKFLOWKIT_SMTP_SECURITY", "tls-ish", "SECURITY"),
        ("WORKFLOWKIT_SMTP_TIMEOUT", "soon", "TIMEOUT"),
    ]:
        with pytest.raises(SenderSettingsError) as info:
            SmtpSettings.from_env({**env, key: value})
        assert info.value.setting == f"WORKFLOWKIT_SMTP_{setting}"


def test_an_app_can_plug_in_its_own_sender(tmp_path: Path) -> None:
    class ListSender:
        def __init__(self) -> None:
            self.sent: list[Message] = []

        def send(self, message: Message) -> None:
            self.sent.append(message)

    mine = ListSender()
    with stored(tmp_path) as store:
        notify(store, mine, DIRECTORY, now=NOW)
        notify(store, mine, DIRECTORY, now=NOW)
    assert len(mine.sent) == 8 and mine.sent[3].notification.feedback == FEEDBACK


def test_the_cli_sends_once_and_a_dry_run_writes_nothing(
    tmp_path: Path,
    smtp: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = smtp
    stored(tmp_path).close()
    db = str(tmp_path / "practice.db")
    book = tmp_path / "people.yaml"
    book.write_text(
        "".join(
            f"{p}:\n  name: {a.name}\n  email: {a.email}\n"
            for p, a in ((p, DIRECTORY.address(p)) for p in DIRECTORY)
            if a is not None
        ),
        encoding="utf-8",
    )
    args = ["notify", "--db", db, "--addresses", str(book), "--now", NOW.isoformat()]
    # without SMTP settings nothing is done
    for key in ("HOST", "PORT", "SECURITY", "FROM", "USER", "PASSWORD"):
        monkeypatch.delenv(f"WORKFLOWKIT_SMTP_{key}", raising=False)
    assert main(args) == 2
    assert "WORKFLOWKIT_SMTP_HOST" in capsys.readouterr().err
    assert main([*args, "--dry-run", "--format", "json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] is True and len(dry["derived"]) == 8 and dry["queued"] == []
    with SQLiteEventStore(db) as store:
        assert store.pending_notifications() == [] and store.notify_cursor() == {}
    monkeypatch.setenv("WORKFLOWKIT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("WORKFLOWKIT_SMTP_PORT", str(port))
    monkeypatch.setenv("WORKFLOWKIT_SMTP_SECURITY", "none")
    monkeypatch.setenv("WORKFLOWKIT_SMTP_FROM", "workflowkit@practice.test")
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "queued 8, sent 8" in out and len(inbox.take()) == 8
    assert main(args) == 0
    assert "queued 0, sent 0" in capsys.readouterr().out and inbox.take() == []
    assert main([*args[:-4], "--now", NOW.isoformat()]) == 0  # no addresses: nothing new
    capsys.readouterr()
    assert main(["notify", "--db", str(tmp_path / "missing.db")]) == 2
    assert "no store here" in capsys.readouterr().err
