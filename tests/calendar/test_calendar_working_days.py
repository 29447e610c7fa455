"""Bank holidays per UK division, practice-provided files, working-day policies."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from workflowkit.calendar import BankHolidays
from workflowkit.errors import CalendarError, DocumentError

D = date


@pytest.fixture(scope="module")
def package() -> BankHolidays:
    return BankHolidays()


@pytest.mark.parametrize(
    ("day", "england", "scotland", "northern_ireland"),
    [
        (D(2024, 4, 1), False, True, False),  # Easter Monday: not a bank holiday in Scotland
        (D(2025, 1, 2), True, False, True),  # 2 January: Scotland only
        (D(2024, 12, 2), True, False, True),  # St Andrew's Day (substitute): Scotland
        (D(2024, 8, 5), True, False, True),  # Scotland's summer bank holiday
        (D(2024, 8, 26), False, True, False),  # England's, Wales's and NI's
        (D(2024, 7, 12), True, True, False),  # Battle of the Boyne: Northern Ireland
        (D(2025, 3, 17), True, True, False),  # St Patrick's Day: Northern Ireland
        (D(2024, 12, 25), False, False, False),
        (D(2023, 5, 8), False, False, False),  # the coronation bank holiday
        (D(2024, 6, 1), False, False, False),  # a Saturday
        (D(2024, 6, 3), True, True, True),  # an ordinary Monday
    ],
)
def test_divisions(
    package: BankHolidays, day: date, england: bool, scotland: bool, northern_ireland: bool
) -> None:
    assert package.is_working_day(day, "england_and_wales") is england
    assert package.is_working_day(day, "scotland") is scotland
    assert package.is_working_day(day, "northern_ireland") is northern_ireland


def test_policies(package: BankHolidays) -> None:
    sunday = D(2024, 9, 22)  # a PAYE payment date on a Sunday
    assert package.adjust(sunday, "none") == sunday
    assert package.adjust(sunday, "previous") == D(2024, 9, 20)
    assert package.adjust(sunday, "next") == D(2024, 9, 23)
    # Christmas 2024 falls on Wednesday: 25 and 26 December
    assert package.adjust(D(2024, 12, 25), "next") == D(2024, 12, 27)
    assert package.adjust(D(2024, 12, 26), "previous") == D(2024, 12, 24)
    # Easter 2024 in England: Good Friday 29 March to Easter Monday 1 April
    assert package.adjust(D(2024, 3, 30), "next", "england_and_wales") == D(2024, 4, 2)
    assert package.adjust(D(2024, 3, 30), "next", "scotland") == D(2024, 4, 1)
    assert package.add_working_days(D(2024, 12, 24), 1) == D(2024, 12, 27)
    assert package.add_working_days(D(2024, 12, 27), -2) == D(2024, 12, 23)


def test_csv_file_replaces_covered_years(tmp_path: Path) -> None:
    f = tmp_path / "holidays.csv"
    f.write_text(
        "# practice closure days\n"
        "date,division,title\n"
        "2025-12-24,england_and_wales,Christmas Eve (office closed)\n"
        "2025-12-25,england-and-wales,Christmas Day\n"
    )
    h = BankHolidays.from_file(f)
    assert not h.is_working_day(D(2025, 12, 24))
    # 26 December 2025 is not in the file, and the file covers 2025: a working day
    assert h.is_working_day(D(2025, 12, 26))
    # 2026 is not covered: the package still gives its bank holidays
    assert not h.is_working_day(D(2026, 12, 25))
    # Scotland is not in the file at all
    assert not h.is_working_day(D(2025, 1, 2), "scotland")


def test_gov_uk_json(tmp_path: Path) -> None:
    f = tmp_path / "bank-holidays.json"
    f.write_text(
        json.dumps(
            {
                "england-and-wales": {
                    "division": "england-and-wales",
                    "events": [
                        {"title": "Extra", "date": "2030-06-03", "notes": "", "bunting": True}
                    ],
                },
                "scotland": {"division": "scotland", "events": []},
            }
        )
    )
    h = BankHolidays.from_file(f)
    assert not h.is_working_day(D(2030, 6, 3))
    assert h.holidays("england_and_wales", 2030) == frozenset({D(2030, 6, 3)})


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("2025-12-25\n", 1),
        ("date,division\n2025-13-01,scotland\n", 2),
        ("2025-12-25,wales\n", 1),
    ],
)
def test_bad_csv_lines_are_located(tmp_path: Path, text: str, line: int) -> None:
    f = tmp_path / "h.csv"
    f.write_text(text)
    with pytest.raises(DocumentError) as info:
        BankHolidays.from_file(f)
    (d,) = info.value.diagnostics
    assert (d.code, d.file, d.line) == ("WK303", str(f), line)


def test_bad_json_and_missing_file(tmp_path: Path) -> None:
    f = tmp_path / "h.json"
    f.write_text("{not json")
    with pytest.raises(DocumentError) as info:
        BankHolidays.from_file(f)
    assert info.value.diagnostics[0].code == "WK303"
    with pytest.raises(DocumentError):
        BankHolidays.from_file(tmp_path / "missing.csv")


def test_unknown_division_and_impossible_runs() -> None:
    with pytest.raises(CalendarError):
        BankHolidays({"wales": [D(2025, 1, 1)]})  # type: ignore[dict-item]
    every_day = [D(2025, 1, 1).fromordinal(D(2025, 1, 1).toordinal() + i) for i in range(60)]
    h = BankHolidays({"england_and_wales": every_day})
    with pytest.raises(CalendarError, match="no working day"):
        h.adjust(D(2025, 1, 10), "next")
