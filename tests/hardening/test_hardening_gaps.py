"""Issue 19 part 2: end-to-end tests for items that had a unit test but none through the
command a user runs (F1 through `validate` on JSON; F4 and F9 through `review show`,
`plan`, ICS and `checks run`), and the hypothesis property on people's ids (F3)."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflowkit.calendar.models import Client
from workflowkit.calendar.plan import Occurrence
from workflowkit.calendar.render import Names, to_ics
from workflowkit.cli.main import main
from workflowkit.review import InvalidStartError, start
from workflowkit.team.ids import person_key, same_person
from workflowkit.templates.resolve import ResolvedTemplate

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "Evil\r\n::error::forged\x1b[2J\x1b]0;owned\x07\x9b31m\u202e"
CONTROLS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))]


def no_controls(text: str) -> bool:
    """Nothing a terminal or GitHub would act on: no C0 (but newline), C1, or bidi override."""
    return not any(ch in text for ch in CONTROLS if ch != "\n") and "\u202e" not in text


def no_forged_lines(text: str) -> bool:
    return not any(line.lstrip().startswith("::") for line in text.splitlines())


# ---------------------------------------------------------------------------------
# F1: an over-long JSON integer through `validate`
# ---------------------------------------------------------------------------------


def test_f1_validate_a_json_integer_of_over_4300_digits_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "t.json"
    doc.write_text(
        '{"apiVersion": "workflowkit/v1", "kind": "WorkflowTemplate", "id": "t",\n'
        ' "name": "T", "version": "1.0.0", "checks": [], "x": ' + "9" * 5000 + "}\n",
        encoding="utf-8",
    )
    assert main(["validate", "-f", "json", str(doc)]) == 1  # was a traceback, exit 3
    report = json.loads(capsys.readouterr().out)
    (diag,) = report["files"][0]["diagnostics"]
    assert (diag["code"], diag["line"], diag["col"]) == ("WK120", 2, 54)


# ---------------------------------------------------------------------------------
# F4: comment text in `review show`
# ---------------------------------------------------------------------------------

TEMPLATE = """\
apiVersion: workflowkit/v1
kind: WorkflowTemplate
id: small
name: Small
version: 1.0.0
checks:
  - id: bank
    title: Bank
review:
  levels:
    - role: reviewer
"""


def test_f4_a_comment_cannot_forge_a_line_or_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "small.yaml").write_text(TEMPLATE, encoding="utf-8")
    monkeypatch.setenv("WORKFLOWKIT_DB", str(tmp_path / "p.db"))
    monkeypatch.delenv("WORKFLOWKIT_USER", raising=False)
    monkeypatch.chdir(tmp_path)
    at = "2024-02-01T09:00:00+00:00"
    common = ["--as", "ann", "--at", at]
    assert (
        main(
            [
                "review",
                "start",
                "small",
                "--templates",
                "templates",
                "--client",
                "acme",
                "--period",
                "2024-01",
                "--assignee",
                "ann",
                "--reviewer",
                "rob",
                "--due",
                "2024-02-07",
                *common,
            ]
        )
        == 0
    )
    forged = "ok\nv9 rob approved: completed and locked\x1b[2J\x1b]0;title\x07"
    iid = "acme/small/2024-01"
    assert main(["review", "comment", iid, forged, "--as", "ann", "--at", at]) == 0
    capsys.readouterr()
    assert main(["review", "show", iid]) == 0
    out = capsys.readouterr().out
    assert no_controls(out)
    assert not any(line.startswith("v9 rob approved") for line in out.splitlines())
    assert "status: in progress" in out or "status: in_progress" in out


# ---------------------------------------------------------------------------------
# F9: names in `plan`, ICS and `checks run`
# ---------------------------------------------------------------------------------


def test_f9_plan_refuses_control_characters_in_client_and_workflow_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    practice = tmp_path / "practice"
    practice.mkdir()
    (practice / "clients.yaml").write_text(
        "apiVersion: workflowkit/v1\nkind: ClientList\nclients:\n"
        '  - id: acme\n    name: "Acme\\r\\n::error::x\\e[2J"\n',
        encoding="utf-8",
    )
    code = main(["plan", str(practice), "--from", "2025-01-01", "--to", "2025-01-31"])
    out, err = capsys.readouterr()
    assert code != 0
    assert "WK116" in out + err and "/clients/0/name" in out + err
    assert no_controls(out + err) and no_forged_lines(out + err)


def test_f9_ics_text_holds_no_control_characters() -> None:
    client = Client.model_construct(id="acme", name=HOSTILE)
    when = datetime(2025, 1, 1, 9, tzinfo=UTC)
    occurrence = Occurrence(
        workflow="books",
        client="acme",
        template="small",
        template_version="1.0.0",
        period_start=date(2024, 12, 1),
        period_end=date(2024, 12, 31),
        create_on=date(2025, 1, 1),
        create_at=when,
        due_on=date(2025, 1, 10),
        assignee="ann\x1b",
        reviewers=("rob",),
        deadline=None,
        key="books/acme/2024-12",
    )
    ics = to_ics([occurrence], names=Names(clients={"acme": client}))
    body = ics.replace("\r\n", "\n")
    assert "\x1b" not in ics and "\x07" not in ics and "\x9b" not in ics and "\u202e" not in ics
    assert all(no_controls(line) for line in body.splitlines())
    summary = next(line for line in body.splitlines() if line.startswith("SUMMARY:"))
    assert summary.startswith("SUMMARY:books: Evil\\n::error::forged")


def test_f9_checks_run_text_escapes_contact_and_bank_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = json.loads((ROOT / "tests" / "insights" / "data" / "acme.json").read_text())
    for contact in snapshot["contacts"]:
        contact["name"] = HOSTILE + contact["name"]
    for bank in snapshot["bank_accounts"]:
        bank["name"] = HOSTILE + bank["name"]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(snapshot), encoding="utf-8")
    code = main(["checks", "run", str(path)])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert "Evil" in out, "the hostile names are in the report"
    assert no_controls(out) and no_forged_lines(out)


# ---------------------------------------------------------------------------------
# F3: one normal form for people, in the separation-of-duties rule
# ---------------------------------------------------------------------------------

REVIEWED = ResolvedTemplate.model_validate(
    {
        "id": "books",
        "version": "1.0.0",
        "name": "Books",
        "period": "monthly",
        "review": {"levels": [{"role": "reviewer"}, {"role": "partner"}]},
        "checks": [{"id": "bank", "title": "Bank"}],
    }
)


def _variants(base: str) -> st.SearchStrategy[str]:
    """Spellings of ``base`` equal to it under the normal form: case, width, NFD, spaces."""

    def spell(flips: list[bool], wide: list[bool], decompose: bool, pad: tuple[str, str]) -> str:
        out = []
        for ch, flip, w in zip(base, flips, wide, strict=True):
            c = ch.upper() if flip else ch
            if w and "!" <= c <= "~":
                c = chr(ord(c) + 0xFEE0)  # the fullwidth form, NFKC-equal to c
            out.append(c)
        text = "".join(out)
        if decompose:
            text = unicodedata.normalize("NFD", text)
        return pad[0] + text + pad[1]

    n = len(base)
    return st.builds(
        spell,
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.booleans(),
        st.tuples(st.sampled_from(["", " "]), st.sampled_from(["", " "])),
    )


BASES = ["ann", "rob", "jos\u00e9", "ann@x.test", "mary-jane"]


@given(data=st.data(), base=st.sampled_from(BASES))
def test_f3_ids_equal_under_the_normal_form_are_one_person_in_start(
    data: st.DataObject, base: str
) -> None:
    spelling = data.draw(_variants(base))
    assert person_key(spelling) == person_key(base) and same_person(spelling, base)
    other = data.draw(_variants(base))
    common = {
        "client": "acme",
        "period": "2026-04",
        "due": date(2026, 5, 10),
        "at": datetime(2026, 5, 1, tzinfo=UTC),
        "by": "office",
    }
    # The assignee may not review their own work, whichever way either is spelt.
    with pytest.raises(InvalidStartError, match="may not review their own work"):
        start(REVIEWED, assignee=base, reviewers=(spelling, "zed"), **common)
    with pytest.raises(InvalidStartError, match="may not review their own work"):
        start(REVIEWED, assignee=spelling, reviewers=("zed", other), **common)
    # Nor may one person review at both levels.
    with pytest.raises(InvalidStartError, match="two levels"):
        start(REVIEWED, assignee="zed", reviewers=(base, spelling), **common)
    # Distinct people still may.
    inst, _ = start(REVIEWED, assignee="zed", reviewers=(base, "yan"), **common)
    assert inst.setup.reviewers[0] == base
