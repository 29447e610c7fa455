"""The engine's shortcut caches are safe when many threads replay at once."""

from __future__ import annotations

import sys
import threading
from datetime import UTC, date, datetime

from workflowkit.review import replay, start
from workflowkit.review.events import Event
from workflowkit.templates import TemplateRegistry


def test_concurrent_replays_with_fresh_templates_do_not_race() -> None:
    base = TemplateRegistry().get("health-review")
    now = datetime(2024, 1, 1, tzinfo=UTC)
    _, event = start(
        base,
        client="a",
        period="p",
        assignee="ann",
        reviewers=["rob"],
        due=date(2024, 2, 1),
        at=now,
        by="m",
    )
    text = event.to_json()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(400):
                replay([Event.from_json(text)])  # a fresh template object each time
        except BaseException as exc:
            errors.append(exc)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert not errors, errors[:3]
