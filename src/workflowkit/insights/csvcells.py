"""Cells many records of a CSV export share, read once: dates, amounts, codes.

A million-row bank export has a few thousand distinct dates, a few distinct currencies
and account codes, and amounts that repeat (a line's amount is usually its document's
total). :class:`Cells` parses each distinct date and plain amount once and keeps each
code once, so the records share the objects; pydantic validates the objects as it would
the text, and keeps them. Text that is not plain (``1e3``, ``2024/06/30``) goes to
pydantic unchanged, so its errors stay the same.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
_PLAIN_DECIMAL = re.compile(r"-?\d{1,40}(?:\.\d{1,40})?\Z", re.ASCII)
_SHARED_CODES = frozenset(
    {
        "bank_account_id",
        "contact_id",
        "currency",
        "base_currency",
        "account_code",
        "tax_code",
        "source_type",
        "document_id",
    }
)
"""Columns that hold a code or a reference: few distinct values, kept once each."""
_SHARED_TEXT = frozenset({"reference", "description"})
"""Free text that often repeats (bank references): kept once while in a bounded cache."""
_BOUNDED = 1 << 16


class Cells:
    """Parses and shares the cells of one load.

    Dates and plain amounts are parsed here, once per distinct text, and handed to
    pydantic as objects (it validates them as it would the text, and keeps them); codes
    and repeated references are kept once. Texts that are not plain (``1e3``,
    ``2024/06/30``) go to pydantic unchanged, so its errors stay the same.
    """

    def __init__(self) -> None:
        self.dates: dict[str, dt.date] = {}
        self.amounts: dict[str, Decimal] = {}
        self.codes: dict[str, str] = {}
        self.text: dict[str, str] = {}

    def date(self, text: str) -> dt.date | str:
        day = self.dates.get(text)
        if day is None:
            if not _ISO_DATE.match(text):
                return text
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                return text
            self.dates[text] = day
        return day

    def amount(self, text: str) -> Decimal | str:
        value = self.amounts.get(text)
        if value is None:
            if not _PLAIN_DECIMAL.match(text):
                return text
            if len(self.amounts) >= _BOUNDED:
                self.amounts.clear()
            value = self.amounts[text] = Decimal(text)
        return value

    def code(self, text: str) -> str:
        return self.codes.setdefault(text, text)

    def shared_text(self, text: str) -> str:
        kept = self.text.get(text)
        if kept is None:
            if len(self.text) >= _BOUNDED:
                self.text.clear()
            kept = self.text[text] = text
        return kept


def _kind(annotation: Any) -> str | None:
    """``date``, ``amount`` or None for a field's annotation (``Annotated`` and ``| None``
    looked through)."""
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kind(args[0])
    if args and origin is not tuple and origin is not typing.Literal:
        kinds = {_kind(a) for a in args if a is not type(None)}
        return kinds.pop() if len(kinds) == 1 else None
    if annotation is dt.date:
        return "date"
    if annotation is Decimal:
        return "amount"
    return None


@cache
def converters(cls: type, prefix: str = "") -> dict[str, str]:
    """Column name -> how :class:`Cells` reads it, for the fields of record class ``cls``."""
    out: dict[str, str] = {}
    for name, annotation in typing.get_type_hints(cls, include_extras=True).items():
        kind = _kind(annotation)
        if kind is None and name in _SHARED_CODES:
            kind = "code"
        elif kind is None and name in _SHARED_TEXT:
            kind = "text"
        if kind is not None:
            out[prefix + name] = kind
    return out


Reader = Callable[[str], Any] | None


def readers(cells: Cells, names: Sequence[str], how: dict[str, str]) -> list[Reader]:
    """For each column of ``names``, the :class:`Cells` method that reads it (or None)."""
    by_kind: dict[str, Reader] = {
        "date": cells.date,
        "amount": cells.amount,
        "code": cells.code,
        "text": cells.shared_text,
    }
    return [by_kind[how[n]] if n in how else None for n in names]


def parsed(names: Sequence[str], read: Sequence[Reader], cells: Sequence[str]) -> dict[str, Any]:
    """The non-empty cells of a row by column name, read by ``read`` (see :class:`Cells`)."""
    return {
        k: (f(v) if f is not None else v) for k, f, v in zip(names, read, cells, strict=False) if v
    }


def convert(values: dict[str, str], how: dict[str, str], cells: Cells) -> dict[str, Any]:
    """A copy of ``values`` with the cells named in ``how`` read by ``cells``."""
    names = list(values)
    return parsed(names, readers(cells, names, how), list(values.values()))
