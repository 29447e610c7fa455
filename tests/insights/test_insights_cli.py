"""``workflowkit checks``: exit codes, text and JSON reports, located errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workflowkit.cli.main import main

DATA = Path(__file__).parent / "data"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["checks", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_issues_found_exit_1_with_a_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "run", str(DATA / "acme.json"))
    assert code == 1 and err == ""
    assert out.startswith("Acme Trading Ltd (xero), as of 2024-06-30")
    assert "ISSUES  bank-reconciliation: 2 bank accounts" in out
    assert "error    Business Current: statement balance GBP 10,012.00" in out
    assert "Health score: 70/100 (fair, amber)" in out
    assert "13 of 17 checks found issues." in out


def test_csv_folder_gives_the_same_report(capsys: pytest.CaptureFixture[str]) -> None:
    _, from_json, _ = run(capsys, "run", str(DATA / "acme.json"), "--format", "json")
    _, from_csv, _ = run(capsys, "run", str(DATA / "acme-csv"), "--format", "json")
    a, b = json.loads(from_json), json.loads(from_csv)
    assert a["snapshot"] != b["snapshot"]
    a.pop("snapshot"), b.pop("snapshot")
    assert a == b


def test_all_pass_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "run", str(DATA / "clean.json"), "--top", "0")
    assert code == 0
    assert "Health score: 100/100 (good, teal)" in out and "0 of 17 checks" in out
    assert "PASS    lock-date: Locked to 2024-05-31" in out


def test_json_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "run", str(DATA / "acme.json"), "-f", "json", "--as-of", "2024-07-31"
    )
    data = json.loads(out)
    assert code == 1 and data["as_of"] == "2024-07-31" and data["issues"] == 14
    bank = data["results"]["bank-reconciliation"]
    assert bank["outcome"] == "issues" and bank["suggested_status"] == "complete_with_issues"
    first = bank["findings"][0]
    assert first["code"] == "balance-difference" and first["amount"] == "12.00"
    assert first["amount_text"] == "GBP 12.00"
    assert data["health"]["band"] in ("good", "fair", "poor")


def test_top_limits_the_findings_shown(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "run", str(DATA / "acme.json"), "--top", "1")
    assert "... and 3 more (--top N, or --format json for all)" in out


def test_template_runs_its_automated_checks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "t.yaml").write_text(
        "apiVersion: workflowkit/v1\nkind: WorkflowTemplate\nid: quick-look\nname: Quick\n"
        "version: 1.0.0\nchecks:\n"
        "  - {id: dupes, title: Duplicates, kind: automated, data_check: duplicate-transactions,"
        " params: {window_days: 7}}\n"
        "  - {id: manual, title: Look at the suspense account}\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys,
        "run",
        str(DATA / "acme.json"),
        "--template",
        "quick-look",
        "--templates",
        str(tmp_path),
    )
    assert code == 1
    assert "template: quick-look@1.0.0" in out
    assert "ISSUES  dupes (duplicate-transactions): 2 possible duplicates" in out
    assert "1 of 1 checks found issues." in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["run", str(DATA / "missing.json")], "WK601 no such file or folder"),
        (["run", str(DATA / "acme.json"), "--template", "monthly-bookkeepin"], "no template"),
        (["run", str(DATA / "acme.json"), "--as-of", "2024-13-01"], "is not a date"),
        (["run", str(DATA / "acme.json"), "--top", "-1"], "not a count"),
    ],
)
def test_bad_input_exits_2_without_a_traceback(
    capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    try:
        code = main(["checks", *args])
    except SystemExit as exc:  # argparse errors
        code = int(exc.code or 0)
    _, err = capsys.readouterr()
    assert code == 2
    assert fragment in err and "Traceback" not in err


def test_invalid_snapshot_is_located(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"organisation": {"name": "A"},\n "contacts": [{"id": "c1"}]}\n', encoding="utf-8"
    )
    code, out, err = run(capsys, "run", str(bad))
    assert code == 2 and out == ""
    assert f"{bad}:2:15: WK603 /contacts/0: missing required field 'name'" in err


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0 and "duplicate-transactions: The same contact and value" in out
    assert "window_days (default 5)" in out
    code, out, _ = run(capsys, "list", "--format", "json")
    rows = json.loads(out)["checks"]
    assert {r["id"] for r in rows} >= {"vat-sanity", "lock-date"}


def test_checks_without_an_action_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 2 and "run" in out


def test_the_console_script(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "workflowkit",
            "checks",
            "run",
            str(DATA / "clean.json"),
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["health"]["score"] == 100


def test_the_size_limits_are_flags_of_checks_run(capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(DATA / "acme-csv")
    code, out, err = run(capsys, "run", folder, "--max-rows", "5")
    assert code == 2 and "WK607" in out + err and "more than 5 rows" in out + err
    assert "--max-rows" in out + err  # the hint says how to raise it
    code, out, err = run(capsys, "run", folder, "--max-rows", "1,000,000", "--max-mb", "1")
    assert code in (0, 1) and "WK607" not in out + err
    with pytest.raises(SystemExit) as bad:
        run(capsys, "run", folder, "--max-rows", "0")
    assert bad.value.code == 2 and "is not a limit" in capsys.readouterr().err
