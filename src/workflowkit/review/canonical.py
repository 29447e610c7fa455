"""The canonical JSON form that events are hashed over, and the checks on plain values.

Canonical JSON here is RFC 8785, the JSON Canonicalization Scheme (JCS): object keys
sorted by their UTF-16 code units, no whitespace, strings with only ``"``, ``\\`` and
the C0 controls escaped (``\\b \\t \\n \\f \\r`` short, the rest as ``\\u00xx``),
every other character written as itself (UTF-8 when hashed), numbers as ECMAScript
writes them (``1.0`` is ``1``, ``1e-7`` is ``1e-7``, ``1e21`` is ``1e+21``), no NaN or
infinity. One extension: an integer beyond +-(2**53 - 1), which JCS leaves out (it
cannot be an IEEE double), is written in full, as 0.1 did (only an ``Attach`` size of
over 8 PB could hold one). Before JSON, datetimes and dates become
ISO 8601 strings (``datetime.isoformat()``, so an aware time keeps its UTC offset) and
Decimals their ``str()``. The hash of an event is the SHA-256 of the UTF-8 bytes of that
text. Any JCS library gives the same bytes (``tests/audit`` holds us to ``rfc8785``).

The engine writes the canonical text of each event by hand on its hot path (see
``commands.py``); :func:`canonical_json` is the general, slow definition that ``verify``
and the store use, and tests check that the two always agree.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any, Final

from workflowkit.review.errors import InvalidCommandError

GENESIS: Final = ""
"""The ``prev`` of the first event of an instance: there is nothing before it."""

_LEGACY = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)

MAX_SAFE_INTEGER: Final = 2**53 - 1
"""The largest integer JCS (and I-JSON, RFC 7493) can write exactly."""

jstr = encode_basestring
"""A string as a JSON string literal, exactly as ``json.dumps(ensure_ascii=False)`` writes it."""


def jopt(value: str | None) -> str:
    """An optional string as JSON (``null`` for None)."""
    return "null" if value is None else encode_basestring(value)


_TWO: Final = tuple(f"{n:02d}" for n in range(100))
_UTC: Final = UTC


def iso_time(at: datetime) -> str:
    """``at.isoformat()``, exactly, written faster for the common case: a plain UTC
    ``datetime`` (with or without microseconds). Anything else (another offset, a zone,
    a subclass) is left to ``isoformat`` itself. Every event's time goes through here."""
    if type(at) is datetime and at.tzinfo is _UTC:
        two = _TWO
        year = at.year
        us = at.microsecond
        return (
            f"{year if year > 999 else f'{year:04d}'}-{two[at.month]}-{two[at.day]}"
            f"T{two[at.hour]}:{two[at.minute]}:{two[at.second]}"
            f"{f'.{us:06d}' if us else ''}+00:00"
        )
    return at.isoformat()


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
    """The canonical (RFC 8785) JSON text of plain data (dicts, lists, str, int, float,
    bool, None; dates, datetimes and Decimals as their strings).

    Raises ``ValueError`` for NaN and infinity, and ``TypeError`` for anything else that
    is not plain data.
    """
    data = plain(data)
    if _plain_enough(data):
        # No floats, no keys beyond U+FFFF, no big integers: JCS is exactly what the C
        # encoder writes with keys sorted (tests/audit holds the two equal).
        return _LEGACY.encode(data)
    out: list[str] = []
    _encode(data, out)
    return "".join(out)


def _plain_enough(value: Any) -> bool:
    if isinstance(value, str) or value is None or value is True or value is False:
        return True
    if isinstance(value, int):
        return True
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not (key.isascii() or max(key) <= "\uffff"):
                return False
            if not _plain_enough(item):
                return False
        return True
    if isinstance(value, list | tuple):
        return all(_plain_enough(v) for v in value)
    return False


def legacy_json(data: Any) -> str:
    """The canonical form of workflowkit 0.1 and 0.2 (``json.dumps`` with keys sorted by
    code point, floats as Python writes them). It differs from :func:`canonical_json`
    only for floats (``1.0``, ``1e-05``, ``1e+16``, ``-0.0``) and for keys holding
    characters beyond U+FFFF; ``verify`` uses it to explain such old events."""
    return _LEGACY.encode(plain(data))


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _encode(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, int):
        out.append(str(int(value)))  # beyond +-(2**53 - 1): exact digits (see above)
    elif isinstance(value, float):
        out.append(es6_number(value))
    elif isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise TypeError(f"keys must be strings, not {type(key).__name__}")
        out.append("{")
        for n, key in enumerate(sorted(value, key=_utf16)):
            if n:
                out.append(",")
            out.append(encode_basestring(key))
            out.append(":")
            _encode(value[key], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for n, item in enumerate(value):
            if n:
                out.append(",")
            _encode(item, out)
        out.append("]")
    else:
        raise TypeError(f"{type(value).__name__} is not plain JSON data")


def es6_number(value: float) -> str:
    """A float as ECMAScript's ``Number.prototype.toString`` writes it (RFC 8785 3.2.2.3).

    Python's ``repr`` gives the same shortest round-trip digits; only the layout differs.
    """
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{value} is not a JSON number")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mantissa, _, exp = repr(abs(value)).partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = whole + frac
    point = len(whole) + (int(exp) if exp else 0)
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    k, n = len(digits), point
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        e = n - 1
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + ("e+" if e >= 0 else "e-")
        text += str(abs(e))
    return sign + text


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
