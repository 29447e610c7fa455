"""``workflowkit plan``: formats, filters, exit codes, and never a traceback."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workflowkit.cli.main import main

DATA = Path(__file__).resolve().parent / "data"
PRACTICE = str(DATA / "valid" / "practice")
YEAR = ["--from", "2025-01-01", "--to", "2025-12-31"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_table_grouped_by_month(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["plan", PRACTICE, "--from", "2025-01-01", "--to", "2025-02-28"], capsys)
    assert code == 0, err
    assert out.index("January 2025") < out.index("February 2025")
    assert "Acme Ltd" in out and "VAT returns" in out
    assert re.search(r"^\d+ occurrence\(s\)$", out, re.M)


def test_table_grouped_by_week(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["plan", PRACTICE, "--from", "2025-01-01", "--to", "2025-01-19", "--group", "week"], capsys
    )
    assert code == 0
    assert out.index("Week 2025-W01 (30 Dec to 5 Jan 2025)") < out.index(
        "Week 2025-W03 (13 Jan to 19 Jan 2025)"
    )
    assert "Week 2025-W02" not in out  # nothing is due that week


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["plan", PRACTICE, *YEAR, "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert (data["from"], data["to"], data["by"]) == ("2025-01-01", "2026-01-01", "due")
    occ = data["occurrences"]
    assert data["count"] == len(occ) > 20
    assert all("2025-01-01" <= o["due_on"] <= "2025-12-31" for o in occ)
    assert len({o["key"] for o in occ}) == len(occ)
    assert [o["due_on"] for o in occ] == sorted(o["due_on"] for o in occ)


def test_csv_and_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "plan",
            PRACTICE,
            *YEAR,
            "-f",
            "csv",
            "--client",
            "acme-ltd",
            "--workflow",
            "vat-returns",
            "--by",
            "create",
        ],
        capsys,
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["period_end"] for r in rows] == [
        "2024-12-31",
        "2025-03-31",
        "2025-06-30",
        "2025-09-30",
    ]
    assert {r["client"] for r in rows} == {"acme-ltd"}
    assert rows[0]["deadline"] == "vat_return" and rows[0]["reviewers"] == "bob"


def _unfold(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def test_ics(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["plan", PRACTICE, *YEAR, "-f", "ics"], capsys)
    assert code == 0
    raw = out
    assert raw.startswith("BEGIN:VCALENDAR\r\n") and raw.endswith("END:VCALENDAR\r\n")
    for line in raw.split("\r\n"):
        assert len(line.encode()) <= 75
    lines = _unfold(raw)
    uids = [line[4:] for line in lines if line.startswith("UID:")]
    assert uids and len(set(uids)) == len(uids)
    assert all(re.fullmatch(r"[0-9a-f]{32}@workflowkit", u) for u in uids)
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == len(uids)
    assert all(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", x) for x in lines if x.startswith("DTSTAMP"))
    description = next(x for x in lines if x.startswith("DESCRIPTION:Client: Acme Ltd"))
    assert "\\nWorkflow: " in description and "\\nPeriod: " in description
    # the same plan gives the same file, byte for byte
    code, again, _ = run(["plan", PRACTICE, *YEAR, "-f", "ics"], capsys)
    assert again == out


def test_ics_uids_are_the_keys(capsys: pytest.CaptureFixture[str]) -> None:
    run(["plan", PRACTICE, *YEAR, "-f", "json"], capsys)
    _, js, _ = run(["plan", PRACTICE, *YEAR, "-f", "json"], capsys)
    _, ics, _ = run(["plan", PRACTICE, *YEAR, "-f", "ics"], capsys)
    keys = {o["key"] for o in json.loads(js)["occurrences"]}
    uids = {line[4:-12] for line in _unfold(ics) if line.startswith("UID:")}
    assert keys == uids


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "2025-13-01", "--to", "2025-12-31"], "not a date"),
        (["--from", "yesterday", "--to", "2025-12-31"], "not a date"),
        (["--from", "2025-02-01", "--to", "2025-01-01"], "before"),
        (["--to", "2025-01-01"], "before"),  # --from defaults to today
        ([*YEAR, "--format", "xml"], "invalid choice"),
        ([*YEAR, "--client", "acme-ltf"], "did you mean 'acme-ltd'"),
        ([*YEAR, "--workflow", "nope"], "no workflow"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        code = main(["plan", PRACTICE, *argv])
        raise SystemExit(code)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("cron-malformed", "WK310"),
        ("unknown-client", "WK320"),
        ("unknown-template", "WK322"),
        ("no-matching-version", "WK323"),
        ("event-client-without-vat", "WK324"),
        ("misspelt-key", "WK113"),
    ],
)
def test_invalid_practice_is_located_diagnostics_not_a_traceback(
    case: str, code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code, out, err = run(["plan", str(DATA / "invalid" / case), *YEAR], capsys)
    assert exit_code == 2
    assert out == ""
    assert re.search(rf"\.yaml:\d+:\d+: {code} ", err), err
    assert "Traceback" not in err


def test_missing_folder(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["plan", str(DATA / "nope"), *YEAR], capsys)
    assert code == 2 and "WK100" in err


def test_warnings_go_to_stderr_and_strict_fails(capsys: pytest.CaptureFixture[str]) -> None:
    case = str(DATA / "invalid" / "unknown-tag")
    code, out, err = run(["plan", case, *YEAR], capsys)
    assert code == 0 and "WK321" in err and "no occurrences" in out
    code, _, err = run(["plan", case, *YEAR, "--strict"], capsys)
    assert code == 2 and "WK321" in err


def test_holidays_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "h.csv"
    f.write_text("2025-01-06,england_and_wales,Practice closed\n")
    argv = [
        "plan",
        PRACTICE,
        "--from",
        "2025-01-01",
        "--to",
        "2025-01-31",
        "--by",
        "create",
        "-f",
        "json",
        "--workflow",
        "monthly-books",
        "--client",
        "acme-ltd",
    ]
    _, out, _ = run(argv, capsys)
    assert {o["create_on"] for o in json.loads(out)["occurrences"]} == {"2025-01-06"}
    _, out, _ = run([*argv, "--holidays", str(f)], capsys)
    assert {o["create_on"] for o in json.loads(out)["occurrences"]} == {"2025-01-07"}
    f.write_text("not,a,date\n")
    code, _, err = run([*argv, "--holidays", str(f)], capsys)
    assert code == 2 and "WK303" in err


def test_console_script_and_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workflowkit", "plan", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "--from DATE" in result.stdout and "ics" in result.stdout


def test_window_defaults_to_three_months_from_the_start(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["plan", PRACTICE, "--from", "2025-01-01", "-f", "json"]) == 0
    occurrences = json.loads(capsys.readouterr().out)["occurrences"]
    assert occurrences
    assert all("2025-01-01" <= o["due_on"] <= "2025-03-31" for o in occurrences)
    assert main(["plan", PRACTICE, *YEAR, "-f", "json"]) == 0
    year = json.loads(capsys.readouterr().out)["occurrences"]
    assert [o for o in year if o["due_on"] <= "2025-03-31"] == occurrences
