"""The report in a real browser: Debian's Chromium, headless, from the file.

Without Chromium these tests skip with one line saying how to install it; under
``CI=true`` they fail instead (.ci/run installs it).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from report_helpers import PRACTICE, Dom, need_chromium, page_requests, shot

from workflowkit.cli.main import main

NOW = "2026-12-07T09:00:00+00:00"
HOSTILE_NAME = (
    "<script>document.title='pwned'</script>"
    '"><img src=x onerror="document.title=\'pwned\'"><b id="injected">bold</b>'
)
HOSTILE_COMMENT = (
    "</td></tr></table><script>document.body.dataset.owned='yes'</script>"
    "<img src=x onerror=\"document.body.dataset.owned='yes'\">"
)


def _report(practice: Path, db: Path, out: Path, fmt: str = "html") -> Path:
    code = main(
        [
            "report",
            str(practice),
            "--db",
            str(db),
            "--now",
            NOW,
            "--from",
            "2026-12-01",
            "--to",
            "2027-03-31",
            "--format",
            fmt,
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return out


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("report")
    db = tmp / "demo.db"
    shot.build_demo_store(db)
    html = _report(PRACTICE, db, tmp / "report.html")
    data = json.loads(_report(PRACTICE, db, tmp / "report.json", "json").read_text())
    return html, data


def _dom(html: Path, *extra: str) -> str:
    need_chromium()
    return shot.chromium([*extra, "--dump-dom", html.resolve().as_uri()]).stdout


def test_the_page_loads_from_the_file_with_no_network_request(
    example: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    html, _ = example
    netlog = tmp_path / "net.json"
    dom = _dom(html, f"--log-net-log={netlog}")
    assert "Due work per week" in dom
    assert page_requests(netlog) == []
    # The detector itself sees a page that does reach out (so the check above can fail).
    control = tmp_path / "control.html"
    control.write_text(
        '<!DOCTYPE html><title>c</title><img src="http://127.0.0.1:9/x.png">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/font.css">',
        encoding="utf-8",
    )
    control_log = tmp_path / "control.json"
    _dom(control, f"--log-net-log={control_log}")
    assert sorted(page_requests(control_log)) == [
        "http://127.0.0.1:9/font.css",
        "http://127.0.0.1:9/x.png",
    ]


def test_the_dom_holds_the_counts_and_client_rows(example: tuple[Path, dict[str, Any]]) -> None:
    html, data = example
    dom = Dom(_dom(html))
    assert dom.by_key["id=client-count"] == "25"
    statuses = {s["key"]: s["count"] for s in data["statuses"]}
    for key, count in statuses.items():
        assert dom.by_key[f"data-status={key}"] == str(count), key
    # the demo store's worked instances, one in each state
    assert statuses["with_issues"] == 1
    assert statuses["handed_back"] == 1
    assert statuses["in_review_1"] == 1
    assert statuses["locked"] == 1
    assert statuses["not_started"] > 0
    assert dom.by_key["id=overdue-total"] == str(data["overdue_total"])
    rows = [a for a in dom.tags("tr") if "data-instance" in a]
    listed = len(data["overdue"]) + len(data["due_soon"])
    assert len(rows) == listed > 0
    # client health: the three example ledgers, each with its score and band
    assert set(dom.rows) == {"acme-widgets-ltd", "bramble-bakery-ltd", "castle-joinery-ltd"}
    for h in data["health"]:
        row = dom.rows[h["client"]]
        assert h["client_name"] in row
        assert str(h["score"]) in row and h["band"] in row
    assert "Acme Widgets Ltd" in dom.rows["acme-widgets-ltd"]
    scores = {h["client"]: h["score"] for h in data["health"]}
    assert scores["bramble-bakery-ltd"] > scores["acme-widgets-ltd"]
    # instance pages are anchors in the same file
    pages = [a for a in dom.tags("article") if "data-instance" in a]
    assert len(pages) == len(data["instances"]) > 0
    assert all(a["id"] for a in pages)


def test_a_hostile_name_is_shown_as_text_and_runs_nothing(tmp_path: Path) -> None:
    need_chromium()
    practice = tmp_path / "practice"
    shutil.copytree(PRACTICE, practice)
    clients = practice / "clients" / "clients.yaml"
    text = clients.read_text(encoding="utf-8")
    assert "name: Acme Widgets Ltd\n" in text
    clients.write_text(
        text.replace("name: Acme Widgets Ltd\n", f"name: {json.dumps(HOSTILE_NAME)}\n"),
        encoding="utf-8",
    )
    db = tmp_path / "demo.db"
    shot.build_demo_store(db, practice_dir=practice, comment=HOSTILE_COMMENT)
    html = _report(practice, db, tmp_path / "report.html")
    source = html.read_text(encoding="utf-8")
    assert "<script" not in source and "<img" not in source
    dom = Dom(_dom(html))
    # the payloads would have set the title, added elements, or marked the body
    assert dom.title == "Practice report: practice: 2026-12-07"
    assert dom.tags("script") == [] and dom.tags("img") == []
    assert not any("onerror" in a for _, a in dom.elements)
    assert not any(a.get("id") == "injected" for _, a in dom.elements)
    assert all("data-owned" not in a for a in dom.tags("body"))
    # and they are there, as text, where the name and the comment are shown
    text_of_page = "".join(dom.text)
    assert HOSTILE_NAME in text_of_page
    assert HOSTILE_COMMENT in text_of_page
    assert HOSTILE_NAME in dom.rows["acme-widgets-ltd"]


def test_a_1280x800_screenshot_is_not_blank(
    example: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    from PIL import Image, ImageStat

    need_chromium()
    html, _ = example
    png = tmp_path / "shot.png"
    shot.screenshot(html, png)
    blank_html = tmp_path / "blank.html"
    blank_html.write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
    blank = tmp_path / "blank.png"
    shot.screenshot(blank_html, blank)
    with Image.open(png) as img, Image.open(blank) as empty:
        assert img.size == (1280, 800)
        page = ImageStat.Stat(img.convert("L"))
        control = ImageStat.Stat(empty.convert("L"))
        colours = len(img.convert("RGB").getcolors(1 << 20) or ())
    assert control.var[0] < 1.0  # a blank page has (almost) no variance...
    assert page.var[0] > 500.0  # ...the report has text, tables and shading
    assert colours > 50
