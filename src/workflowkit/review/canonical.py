"""The canonical JSON form that events are hashed over, and the checks on plain values.

Canonical JSON here means: ``json.dumps`` with keys sorted (by code point), no
whitespace (``","`` and ``":"`` separators), non-ASCII characters written as themselves
(UTF-8 when hashed), no NaN or infinity; datetimes and dates as ISO 8601 strings
(``datetime.isoformat()``, so an aware time keeps its UTC offset) and Decimals as their
``str()``. The hash of an event is the SHA-256 of the UTF-8 bytes of that text.

The engine writes the canonical text of each event by hand on its hot path (see
``commands.py``); :func:`canonical_json` is the general, slow definition that ``verify``
and the store use, and tests check that the two always agree.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any, Final

from workflowkit.review.errors import InvalidCommandError

GENESIS: Final = ""
"""The ``prev`` of the first event of an instance: there is nothing before it."""

_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)

jstr = encode_basestring
"""A string as a JSON string literal, exactly as ``json.dumps(ensure_ascii=False)`` writes it."""


def jopt(value: str | None) -> str:
    """An optional string as JSON (``null`` for None)."""
    return "null" if value is None else encode_basestring(value)


def plain(value: Any) -> Any:
    """``value`` with dates, datetimes and Decimals turned into their canonical strings."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def canonical_json(data: Any) -> str:
    """The canonical JSON text of plain data (dicts, lists, str, int, bool, None)."""
    return _ENCODER.encode(plain(data))


# ---------------------------------------------------------------------------------
# Checks on the plain values commands and records carry (used where they are made)
# ---------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$")

MAX_NAME = 200
MAX_TEXT = 20_000


def _utf8(what: str, field: str, value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidCommandError(what, field, "contains a lone surrogate (not UTF-8)") from None


def check_name(what: str, field: str, value: object, *, limit: int = MAX_NAME) -> str:
    """A person, client, period or file name: non-blank, one line, trimmed, bounded."""
    if (
        type(value) is str
        and 0 < len(value) <= limit
        and value.isascii()
        and value.isprintable()
        and value[0] != " "
        and value[-1] != " "
    ):
        return value  # the common case: plain printable ASCII
    if not isinstance(value, str):
        raise InvalidCommandError(what, field, f"must be a string, got {type(value).__name__}")
    if not value or value != value.strip():
        raise InvalidCommandError(what, field, "must not be empty or start or end with a space")
    if len(value) > limit:
        raise InvalidCommandError(what, field, f"is longer than {limit} characters")
    if _CONTROL.search(value):
        raise InvalidCommandError(what, field, "contains a control character")
    _utf8(what, field, value)
    return value


def check_text(what: str, field: str, value: object, *, limit: int = MAX_TEXT) -> str:
    """A comment, reason or feedback: not blank, bounded, valid UTF-8."""
    if not isinstance(value, str):
        raise InvalidCommandError(what, field, f"must be a string, got {type(value).__name__}")
    if not value.strip():
        raise InvalidCommandError(what, field, "must not be blank")
    if len(value) > limit:
        raise InvalidCommandError(what, field, f"is longer than {limit} characters")
    _utf8(what, field, value)
    return value


def check_slug(what: str, field: str, value: object) -> str:
    """A check id: lower-case letters, digits and single hyphens."""
    if not isinstance(value, str) or not _SLUG.match(value):
        raise InvalidCommandError(
            what, field, f"{value!r} is not a check id (lower-case letters, digits, hyphens)"
        )
    return value


def check_time(what: str, field: str, value: object) -> datetime:
    """A timezone-aware datetime (time always comes from the caller, never the clock)."""
    if not isinstance(value, datetime):
        raise InvalidCommandError(what, field, f"must be a datetime, got {type(value).__name__}")
    offset = value.utcoffset()
    if offset is None:
        raise InvalidCommandError(what, field, "must be timezone-aware (give a UTC offset)")
    if offset.seconds % 60 or offset.microseconds:
        total = offset.total_seconds()
        sign, seconds = ("-" if total < 0 else "+"), int(abs(total))
        shown = f"{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        raise InvalidCommandError(
            what, field, f"has a UTC offset of {shown}: give one in whole minutes"
        )
    return value


def check_date(what: str, field: str, value: object) -> date:
    """A calendar date (not a datetime)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidCommandError(what, field, f"must be a date, got {type(value).__name__}")
    return value


def check_sha256(what: str, field: str, value: object) -> str:
    if not isinstance(value, str) or not _SHA256.match(value):
        raise InvalidCommandError(what, field, "must be 64 lower-case hex digits (SHA-256)")
    return value


def check_media_type(what: str, field: str, value: object) -> str:
    if not isinstance(value, str) or not _MEDIA_TYPE.match(value):
        raise InvalidCommandError(
            what, field, f"{value!r} is not a media type like application/pdf"
        )
    return value


def check_size(what: str, field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidCommandError(what, field, "must be a whole number of bytes, 0 or more")
    return value


def is_hash(value: object) -> bool:
    return isinstance(value, str) and bool(_SHA256.match(value))
