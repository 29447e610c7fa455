"""Reading events and instances back from JSON: strict types, clear errors.

JSON written by ``to_json`` reads back to an equal object. Anything else is refused with
an :class:`InvalidRecordError` that lists each problem with its location
(``command.at: Input should be a valid datetime``), and nothing is built.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from workflowkit.review.errors import InvalidRecordError

T = TypeVar("T")

MAX_RECORD_BYTES = 16 * 1024 * 1024
"""A single event or instance larger than this is refused (a template is far smaller)."""


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def adapter(cls: Any) -> TypeAdapter[Any]:
    """The (cached) pydantic adapter that reads ``cls`` from JSON."""
    hit = _ADAPTERS.get(cls)
    if hit is None:
        hit = _ADAPTERS[cls] = TypeAdapter(cls)
    return hit


def _problems(error: ValidationError) -> list[str]:
    out = []
    for e in error.errors(include_url=False):
        where = ".".join(str(p) for p in e["loc"]) or "(top)"
        msg = str(e["msg"])
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        out.append(f"{where}: {msg}")
    return out


def parse_json(cls: type[T], text: str | bytes, what: str) -> T:
    """Validate JSON ``text`` as ``cls`` (strict types: no "3" for 3), or raise."""
    if len(text) > MAX_RECORD_BYTES:
        raise InvalidRecordError(what, [f"larger than {MAX_RECORD_BYTES} bytes"])
    try:
        value: T = adapter(cls).validate_json(text, strict=True)
    except ValidationError as exc:
        raise InvalidRecordError(what, _problems(exc)) from None
    return value
