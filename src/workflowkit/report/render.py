"""Rendering the report: HTML through Jinja2 (autoescaping on), or JSON.

The templates are package data (``workflowkit/report/templates``). Jinja2 is the
optional extra ``workflowkit[report]``, imported only when HTML is asked for.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from workflowkit.report.errors import ReportExtraMissingError
from workflowkit.report.model import Report, to_data

TEMPLATE = "report.html.j2"


@cache
def _environment() -> Any:
    try:
        import jinja2
    except ImportError:
        raise ReportExtraMissingError("jinja2") from None
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("workflowkit.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = _day
    env.filters["moment"] = _moment
    env.filters["money"] = _money
    env.filters["size"] = _size
    return env


def _day(value: date | None) -> str:
    return "" if value is None else value.strftime("%a %d %b %Y")


def _moment(value: datetime | None) -> str:
    return "" if value is None else value.isoformat(timespec="minutes")


def _money(amount: Decimal | None, currency: str | None = None) -> str:
    if amount is None:
        return ""
    text = f"{amount:,.2f}"
    return f"{currency} {text}" if currency else text


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n / (1024 * 1024):.1f} MiB"


def render_html(report: Report) -> str:
    """The self-contained page: inline CSS and SVG, no script, nothing from the network."""
    template = _environment().get_template(TEMPLATE)
    text: str = template.render(r=report)
    return text


def render_json(report: Report, *, indent: int | None = None) -> str:
    """The data behind the page (``format`` and ``format_version`` first)."""
    return json.dumps(to_data(report), indent=indent, ensure_ascii=False)
