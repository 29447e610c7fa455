"""Helpers of the report tests: the demo store, headless Chromium, a DOM reader."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PRACTICE = ROOT / "examples" / "practice"


def _script() -> ModuleType:
    name = "report_screenshot"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "report_screenshot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


shot = _script()


def need_chromium() -> str:
    """The Chromium binary; skip (fail under ``CI=true``) when it is not installed."""
    exe = shot.chromium_path()
    if exe is None:
        message = f"Chromium is not installed: {shot.INSTALL_HINT}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {message}")
        pytest.skip(message)
    return str(exe)


class Dom(HTMLParser):
    """Every element (tag, attributes) and the text under each element with an ``id``,
    ``data-status``, ``data-client`` or ``data-count``."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._open: list[tuple[str, dict[str, str], list[str]]] = []
        self.by_key: dict[str, str] = {}
        self.rows: dict[str, str] = {}
        self.title = ""
        self._in_title = False
        self.feed(html)
        self.close()

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "col", "area", "base", "wbr"})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if tag == "title" and not self._open_svg():
            self._in_title = True
        if tag not in self.VOID:
            self._open.append((tag, a, []))

    def _open_svg(self) -> bool:
        return any(t == "svg" for t, _, _ in self._open)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        while self._open:
            t, a, parts = self._open.pop()
            text = "".join(parts)
            for key in ("data-status", "data-client", "id"):
                if key in a:
                    self.by_key.setdefault(f"{key}={a[key]}", text)
            if "data-client" in a and t == "tr":
                self.rows[a["data-client"]] = text
            if self._open:
                self._open[-1][2].append(text)
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_title:
            self.title += data
        if self._open:
            self._open[-1][2].append(data)

    def tags(self, name: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == name]


def page_requests(netlog: Path) -> list[str]:
    """The URLs the page asked the network for, from Chromium's ``--log-net-log``: the
    requests with an initiator (the browser's own have ``not an origin``)."""
    data: dict[str, Any] = json.loads(netlog.read_text(encoding="utf-8"))
    kinds = {v: k for k, v in data["constants"]["logEventTypes"].items()}
    out = []
    for e in data["events"]:
        if kinds.get(e["type"]) != "URL_REQUEST_START_JOB":
            continue
        params = e.get("params", {})
        if params.get("initiator", "not an origin") != "not an origin":
            out.append(str(params.get("url")))
    return out
