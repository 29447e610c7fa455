"""The report's data and page, without a browser: the pure builder, JSON, escaping, CLI."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_helpers import PRACTICE, Dom, shot

from workflowkit.calendar import load_practice
from workflowkit.cli.main import main
from workflowkit.report import (
    FORMAT,
    FORMAT_VERSION,
    Limits,
    PersonInfo,
    ReportExtraMissingError,
    build_report,
    collect,
    render_html,
    render_json,
    to_data,
)
from workflowkit.report import render as render_module
from workflowkit.report.diagram import layout
from workflowkit.review.table import TRANSITIONS
from workflowkit.store import open_store

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
START, END = date(2026, 12, 1), date(2027, 3, 31)


@pytest.fixture(scope="module")
def practice():  # type: ignore[no-untyped-def]
    return load_practice(PRACTICE, skip_invalid_workflows=True)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    shot.build_demo_store(db)
    return db


def _bare(practice, **kw):  # type: ignore[no-untyped-def]
    args = {
        "practice": practice,
        "occurrences": practice.plan(START, date(2027, 4, 1), by="due"),
        "summaries": [],
        "events": {},
        "snapshots": [],
        "now": NOW,
        "today": TODAY,
        "start": START,
        "end": END,
        "has_store": False,
    }
    args.update(kw)
    return build_report(**args)


def test_the_calendar_counts_every_occurrence_due_in_the_window(practice) -> None:  # type: ignore[no-untyped-def]
    occ = practice.plan(START, date(2027, 4, 1), by="due")
    report = _bare(practice)
    cal = report.calendar
    assert cal.total == len(occ) > 0
    assert sum(r.total for r in cal.by_workflow) == len(occ)
    assert sum(r.total for r in cal.by_person) == len(occ)
    assert all(w.weekday() == 0 for w in cal.weeks)
    assert cal.weeks[0] <= START <= cal.weeks[-1] + (cal.weeks[1] - cal.weeks[0])
    statutory = sum(1 for o in occ if o.deadline is not None)
    assert sum(d.count for d in cal.deadlines) == statutory > 0
    assert max(max(r.levels) for r in cal.by_workflow) == 5
    # nothing in the store: the work created by today and due in the window is not started
    expected = sum(1 for o in occ if o.create_on <= TODAY)
    assert {s.key: s.count for s in report.statuses}["not_started"] == expected


def test_statuses_pages_and_chains_from_the_demo_store(practice, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    with open_store(demo_db, create=False) as store:
        report = collect(practice, store, now=NOW, today=TODAY, start=START, end=END)
        total = len(store.instances())
    counts = {s.key: s.count for s in report.statuses}
    assert counts["with_issues"] == counts["handed_back"] == counts["locked"] == 1
    assert counts["in_review_1"] == 1
    assert sum(counts.values()) >= total
    assert report.overdue_total == len(report.overdue) > 0
    assert all(i.due < TODAY for i in report.overdue)
    assert all(i.due >= TODAY for i in report.due_soon)
    assert all(p.chain_verified for p in report.instances)
    worked = next(p for p in report.instances if p.status == "with_issues")
    assert worked.comments and worked.trail[0].action == "start"
    assert any(c.status == "complete_with_issues" for c in worked.checks)
    locked = [p for p in report.instances if p.status == "locked"]
    assert [p.reason for p in locked] == ["locked recently"]


def test_a_tampered_chain_shows_as_not_verifying(practice, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    with open_store(demo_db, create=False) as store:
        summaries = store.instances()
        target = next(s for s in summaries if s.version > 3)
        events = {target.id: store.load(target.id)}
    cut = {target.id: events[target.id][:-1]}  # the last event dropped
    report = _bare(practice, summaries=summaries, events=cut, has_store=True)
    page = next(p for p in report.instances if p.id == target.id)
    assert not page.chain_verified and "cut off" in page.chain_detail
    html = render_html(report)
    assert "does not verify" in html


def test_pages_and_tables_are_capped_and_the_rest_counted(practice, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    limits = Limits(table_rows=3, instance_pages=2)
    with open_store(demo_db, create=False) as store:
        report = collect(practice, store, now=NOW, today=TODAY, start=START, end=END, limits=limits)
    assert len(report.overdue) == 3 < report.overdue_total
    assert len(report.instances) == 2 < report.instances_eligible
    html = render_html(report)
    assert f"the first 3 of {report.overdue_total}" in html
    assert f"{report.overdue_total - 3} more not listed here" in html


def test_json_is_the_same_data_with_its_format(practice, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    with open_store(demo_db, create=False) as store:
        report = collect(practice, store, now=NOW, today=TODAY, start=START, end=END)
    data = json.loads(render_json(report))
    assert list(data)[:2] == ["format", "format_version"]
    assert (data["format"], data["format_version"]) == (FORMAT, FORMAT_VERSION)
    assert data == to_data(report)
    assert data["overdue_total"] == report.overdue_total
    assert [s["count"] for s in data["statuses"]] == [s.count for s in report.statuses]


def test_people_show_names_and_capacity_when_a_team_gives_them(practice) -> None:  # type: ignore[no-untyped-def]
    people = {"alice": PersonInfo("Alice Able", Decimal("37.5"))}
    report = _bare(practice, people=people)
    assert report.has_team
    alice = next(p for p in report.people if p.id == "alice")
    assert (alice.name, alice.weekly_capacity) == ("Alice Able", Decimal("37.5"))
    assert any(r.label == "Alice Able" for r in report.calendar.by_person)
    html = render_html(report)
    assert "Weekly capacity" in html and "37.5" in html
    assert "Weekly capacity" not in render_html(_bare(practice))


def test_the_diagram_is_drawn_from_the_transition_table() -> None:
    d = layout(TRANSITIONS)
    states = {"new"} | {t.target.value for t in TRANSITIONS}
    assert [n.key for n in d.nodes][:4] == ["new", "in_progress", "in_review", "completed"]
    assert {n.key for n in d.nodes} == states
    assert len(d.transitions) == len(TRANSITIONS)
    moves = {(e.source, e.target): e.label for e in d.edges}
    assert moves[("in_progress", "in_review")] == "submit_for_review"
    assert moves[("in_review", "in_progress")] == "hand_back"
    assert moves[("in_review", "completed")] == "approve"
    assert "comment" in next(n for n in d.nodes if n.key == "in_review").loops
    # every command of the table is on the picture, as an arrow or inside a box
    drawn = {c for e in d.edges for c in e.label.split(" / ")} | {
        c for n in d.nodes for c in n.loops
    }
    assert drawn == {t.command for t in TRANSITIONS}


class _Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.data.append(data)


@settings(max_examples=25)
@given(
    st.lists(
        st.sampled_from(
            ["<", ">", '"', "'", "&", "/", "=", ";", " ", "a", "<script>", "</td>", "<img ", "{{"]
        ),
        min_size=1,
        max_size=20,
    )
    .map("".join)
    .filter(lambda s: s.strip() == s and bool(s))
)
def test_any_client_name_is_escaped(name: str) -> None:
    practice = load_practice(PRACTICE, skip_invalid_workflows=True)
    clients = tuple(
        c.model_copy(update={"name": name}) if i == 0 else c for i, c in enumerate(practice.clients)
    )
    report = _bare(dataclasses.replace(practice, clients=clients))
    html = render_html(report)
    plain = render_html(_bare(practice))
    parsed, baseline = _Texts(), _Texts()
    parsed.feed(html)
    baseline.feed(plain)
    # the same elements as with a harmless name: nothing was injected
    assert sorted(set(parsed.tags)) == sorted(set(baseline.tags))
    assert "script" not in parsed.tags and "img" not in parsed.tags


def test_the_page_is_self_contained() -> None:
    practice = load_practice(PRACTICE, skip_invalid_workflows=True)
    html = render_html(_bare(practice))
    dom = Dom(html)
    assert dom.tags("script") == [] and dom.tags("img") == []
    for _, attrs in dom.elements:
        for key in ("src", "href"):
            assert not attrs.get(key, "#").startswith(("http:", "https:", "//")), attrs
    assert "@import" not in html and "url(http" not in html
    assert "@media print" in html
    assert all(t.get("role") == "img" for t in dom.tags("svg"))
    assert len(dom.tags("caption")) >= len(dom.tags("table"))


def test_a_missing_jinja2_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    render_module._environment.cache_clear()
    monkeypatch.setitem(sys.modules, "jinja2", None)
    try:
        practice = load_practice(PRACTICE, skip_invalid_workflows=True)
        with pytest.raises(ReportExtraMissingError, match=r"workflowkit\[report\]"):
            render_html(_bare(practice))
    finally:
        render_module._environment.cache_clear()


def test_cli_writes_html_and_refuses_bad_input_changing_nothing(
    tmp_path: Path, demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    base = ["report", str(PRACTICE), "--now", NOW.isoformat(), "--out", str(out)]
    assert main([*base, "--db", str(demo_db)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    before = out.read_bytes()
    assert main([*base, "--db", str(tmp_path / "missing.db")]) == 2
    assert main([*base, "--from", "2027-01-02", "--to", "2027-01-01"]) == 2
    assert main([*base, "--snapshots", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "--from 2027-01-02 must be before --to 2027-01-01" in err
    assert "nowhere: not a folder" in err
    assert out.read_bytes() == before
    assert not (tmp_path / "missing.db").exists()
    assert list(tmp_path.iterdir()) == [out]


def test_the_cli_reads_names_and_capacity_from_a_team_document(tmp_path: Path) -> None:
    pytest.importorskip("workflowkit.team.models")
    from workflowkit.cli.report import people_of

    team = tmp_path / "team.yaml"
    team.write_text(
        "apiVersion: workflowkit/v1\nkind: Team\nid: t\nname: T\n"
        "roles: [{id: bookkeeper}]\n"
        "people: [{id: alice, name: Alice Able, roles: [bookkeeper], capacity_hours: 30}]\n",
        encoding="utf-8",
    )
    people = people_of([str(tmp_path)])
    assert people is not None
    assert people["alice"] == PersonInfo("Alice Able", Decimal("30.0"))
    assert people_of([str(PRACTICE / "rules")]) is None
