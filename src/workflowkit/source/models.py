"""The base every document model builds on, and pydantic errors turned into diagnostics."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, ValidationError

from workflowkit.errors import Diagnostic
from workflowkit.source.loader import DEFAULT_LIMITS, LoadedDocument, pointer_of

API_VERSION = "workflowkit/v1"

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
"""A stable id: lower-case letters, digits and single hyphens, 1 to 80 characters."""

_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


_CONTROL_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _refuse(value: str, pattern: re.Pattern[str], what: str) -> str:
    found = pattern.search(value)
    if found is not None:
        ch = found.group(0)
        raise ValueError(
            f"{what} holds the control character U+{ord(ch):04X} at position "
            f"{found.start() + 1}: write printable text only (no escapes, NUL or bidi overrides)"
        )
    return value


def printable_line(value: str) -> str:
    """A name or title: no C0/C1 controls (line breaks included), NUL, DEL or bidi
    embeddings, overrides and isolates, which would forge or reorder output."""
    return _refuse(value, _CONTROL_IN_LINE, "a name or title")


def printable_text(value: str) -> str:
    """Free text (descriptions, guidance): as :func:`printable_line`, but line breaks and
    tabs are allowed (every text output escapes them, see ``source.safe_text``)."""
    return _refuse(value, _CONTROL_IN_TEXT, "the text")


PrintableLine = AfterValidator(printable_line)
"""Add to a name or title type: ``Annotated[str, ..., PrintableLine]``."""
PrintableText = AfterValidator(printable_text)
"""Add to a free-text type: ``Annotated[str, ..., PrintableText]``."""


def is_semver(text: str) -> bool:
    return bool(_SEMVER.match(text))


class Spec(BaseModel):
    """Base of every spec model: immutable, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @classmethod
    def input_hint(cls, value: Any) -> str | None:
        """How to write ``value`` (given where a mapping of this model is due) in this
        model's form, for the diagnostic's hint; ``None`` when there is nothing to say.
        Models whose values people write in another form override it (``YearEnd``)."""
        return None


M = TypeVar("M", bound=BaseModel)

_TYPE_ERRORS = frozenset(
    {
        "string_type",
        "int_type",
        "int_parsing",
        "int_from_float",
        "float_type",
        "float_parsing",
        "bool_type",
        "bool_parsing",
        "dict_type",
        "list_type",
        "tuple_type",
        "set_type",
        "frozen_set_type",
        "model_type",
        "model_attributes_type",
        "dataclass_type",
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "datetime_type",
        "datetime_parsing",
        "decimal_type",
        "decimal_parsing",
        "time_type",
        "time_parsing",
        "none_required",
        "is_instance_of",
        "union_tag_invalid",
        "union_tag_not_found",
    }
)


_DATE_ERRORS = frozenset(
    {
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
        "datetime_type",
        "datetime_parsing",
        "datetime_from_date_parsing",
        "datetime_object_invalid",
    }
)
DATE_FORM = "YYYY-MM-DD"
DATETIME_FORM = "YYYY-MM-DDTHH:MM:SS+HH:MM"
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day_first(text: str) -> tuple[int, int, int] | None:
    """``(year, month, day)`` of a date written day first (``11/04/2016``, ``11.04.2016``,
    ``11-04-2016``), as the UK writes dates; ``None`` if ``text`` is not one that exists."""
    import datetime as dt

    found = _DAY_FIRST.match(text)
    if found is None:
        return None
    day, month, year = (int(g) for g in found.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return year, month, day


def date_problem(etype: str, value: Any, reason: str = "") -> tuple[str, str | None]:
    """The message and hint for a value that is not a date (or date and time): the form to
    use, with the value itself rewritten in it when it reads as a day-first date."""
    is_datetime = etype.startswith("datetime")
    what = "a date and time" if is_datetime else "a date"
    form = DATETIME_FORM if is_datetime else DATE_FORM
    shown = repr(value) if isinstance(value, str) else _describe(value)
    why = f" ({reason})" if reason and isinstance(value, str) and value.strip() else ""
    parts = day_first(value) if isinstance(value, str) else None
    hint = None
    if parts is not None:
        year, month, day = parts
        example = f"{year:04d}-{month:02d}-{day:02d}"
        if is_datetime:
            example += "T09:00:00+00:00"
        if month != day and month <= 12 and day <= 12:
            hint = (
                f"{value.strip()} is read day first, as {day} {_MONTHS[month - 1]} {year}; "
                f"for {month} {_MONTHS[day - 1]} {year} write {year:04d}-{day:02d}-{month:02d}"
            )
        why = ""
    else:
        example = "2016-04-11T09:00:00+01:00" if is_datetime else "2016-04-11"
    if is_datetime and parts is None:
        hint = "give the UTC offset (+00:00, or +01:00 in British Summer Time)"
    return f"{shown} is not {what}{why}: use {form}, e.g. {example}", hint


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...], name: str) -> Any:
    """The model class named ``name`` that the annotation at ``loc`` may hold, or None."""
    types_: list[Any] = [model]
    for part in loc:
        nxt: list[Any] = []
        for tp in types_:
            nxt.extend(_children(tp, part))
        types_ = nxt
    for tp in types_:
        for m in _model_candidates(tp):
            if m.__name__ == name:
                return m
    return None


def data_path(data: Any, loc: tuple[int | str, ...]) -> list[str | int]:
    """The part of a pydantic ``loc`` that indexes into ``data``.

    pydantic puts union member names and validator names into ``loc``; walking the
    data alongside it keeps only the keys and indexes that exist (for a missing key,
    the path of its parent).
    """
    path: list[str | int] = []
    current = data
    for part in loc:
        in_dict = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            path.append(part)
            current = current[part]
    return path


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def union_members(tp: Any) -> list[Any]:
    """The types an annotation may hold: ``Annotated`` unwrapped, unions flattened."""
    tp = _unwrap(tp)
    if get_origin(tp) in (Union, types.UnionType):
        out: list[Any] = []
        for a in get_args(tp):
            out.extend(union_members(a))
        return out
    return [tp]


def _model_candidates(tp: Any) -> list[type[BaseModel]]:
    """Models a type annotation may hold (through Optional, Union, Annotated)."""
    return [m for m in union_members(tp) if isinstance(m, type) and issubclass(m, BaseModel)]


def _children(tp: Any, part: str | int) -> list[Any]:
    """The annotations reached from ``tp`` by one loc step."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _children(get_args(tp)[0], part)
    if origin in (Union, types.UnionType):
        args = get_args(tp)
        named = [a for a in args if getattr(_unwrap(a), "__name__", None) == part]
        if named:
            return named
        out: list[Any] = []
        for a in args:
            out.extend(_children(a, part))
        return out
    if origin in (list, tuple, set, frozenset, typing.Sequence):
        items = [a for a in get_args(tp) if a is not Ellipsis]
        return items[:1] if isinstance(part, int) else []
    if origin is dict:
        kv = get_args(tp)
        return [kv[1]] if len(kv) == 2 else []
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, f in tp.model_fields.items():
            if part in (name, f.alias):
                return [f.annotation]
        return []
    return []


def allowed_keys(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The keys accepted at ``loc`` (the parent of an unknown key), for "did you mean"."""
    types_: list[Any] = [model]
    for part in loc:
        nxt: list[Any] = []
        for tp in types_:
            nxt.extend(_children(tp, part))
        if nxt:
            types_ = nxt
    keys: list[str] = []
    for tp in types_:
        for m in _model_candidates(tp):
            for name, f in m.model_fields.items():
                keys.append(f.alias or name)
    return sorted(set(keys))


def did_you_mean(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str | None:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else None


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_PLAIN_WORDS = (
    (re.compile(r"\bvalid (tuple|list|set|frozenset)\b"), "list"),
    (re.compile(r"^(Tuple|Set|Frozenset) should"), "List should"),
    (re.compile(r" after validation"), ""),
    (re.compile(r"valid dictionary or instance of (\w+)"), r"mapping (a \1)"),
    (re.compile(r"valid dictionary"), "mapping"),
)


def _plain_words(msg: str) -> str:
    """pydantic's words for YAML's: a list, not a tuple; a mapping, not a dictionary."""
    for pattern, repl in _PLAIN_WORDS:
        msg = pattern.sub(repl, msg)
    return msg


def diagnostics_from_validation(
    doc: LoadedDocument,
    model: type[BaseModel],
    error: ValidationError,
    *,
    max_diagnostics: int | None = None,
) -> list[Diagnostic]:
    """Map a pydantic ``ValidationError`` to located, coded diagnostics."""
    out: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    errors = error.errors(include_url=False)
    limit = max_diagnostics if max_diagnostics is not None else DEFAULT_LIMITS.max_diagnostics
    # Every lookup below is computed once per mapping (or per error), never by rescanning
    # the other errors, so a file with 100,000 unknown keys costs linear time.
    keys_at: dict[tuple[int | str, ...], list[str]] = {}

    def keys_of(parent: tuple[int | str, ...]) -> list[str]:
        found = keys_at.get(parent)
        if found is None:
            found = keys_at[parent] = allowed_keys(model, parent)
        return found

    # A loc is a prefix of a deeper error's loc ("too short" explained by an item inside).
    prefixes: set[tuple[int | str, ...]] = set()
    for e in errors:
        loc_e = tuple(e["loc"])
        prefixes.update(loc_e[:i] for i in range(len(loc_e)))
    # A misspelt key shows up twice: unknown 'titel' and missing 'title'. Keep the first,
    # whose hint names the fix, and drop the missing-key error it explains.
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    misspelt: set[tuple[int | str, ...]] = set()
    close_of: dict[tuple[int | str, ...], str | None] = {}
    unknown = [e for e in errors if e["type"] == "extra_forbidden"] if missing else []
    for err in unknown[:limit]:  # bounded: keys past the limit are not listed anyway
        loc = tuple(err["loc"])
        close = difflib.get_close_matches(str(loc[-1]), keys_of(loc[:-1]), n=1, cutoff=0.6)
        close_of[loc] = close[0] if close else None
        if close:
            misspelt.add((*loc[:-1], close[0]))
    more = 0
    for err in errors:
        etype = err["type"]
        loc = tuple(err["loc"])
        if etype == "too_short" and loc in prefixes:
            continue  # an item inside failed; that error says more than "too short"
        if etype == "missing" and loc in misspelt:
            continue
        if len(out) >= limit:
            more += 1
            continue
        if etype == "extra_forbidden":
            path = data_path(doc.data, loc)
            key = str(loc[-1])
            parent_loc = loc[:-1]
            if loc in close_of:
                near = close_of[loc]
                hint = f"did you mean {near!r}?" if near else None
            else:
                hint = did_you_mean(key, keys_of(parent_loc))
            if not hint:
                keys = keys_of(parent_loc)
                hint = "allowed keys: " + ", ".join(keys) if keys else None
            pointer = pointer_of(path)
            d = doc.diagnostic("WK113", f"unknown key {key!r}", pointer, key=True, hint=hint)
        elif etype == "missing":
            path = data_path(doc.data, loc[:-1])
            pointer = pointer_of(path)
            key = str(loc[-1])
            d = doc.diagnostic(
                "WK115",
                f"missing required key {key!r}" + (f" in {pointer}" if pointer else ""),
                pointer,
            )
        else:
            path = data_path(doc.data, loc)
            pointer = pointer_of(path)
            code = "WK114" if etype in _TYPE_ERRORS else "WK116"
            msg = str(err["msg"])
            ctx = err.get("ctx") or {}
            if etype == "string_pattern_mismatch" and ctx.get("pattern") == SLUG_PATTERN:
                msg = (
                    f"{err.get('input')!r} is not a valid id: use lower-case letters, digits "
                    "and single hyphens (e.g. bank-reconciliation)"
                )
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, ") :]
            msg = _plain_words(msg)
            hint = None
            if etype in _DATE_ERRORS:
                code = "WK114"
                msg, hint = date_problem(etype, err.get("input"), str(ctx.get("error", "")))
            elif code == "WK114":
                got = err.get("input")
                msg = f"{msg}, got {_describe(got)}"
                if etype == "string_type" and isinstance(got, int | float | bool):
                    what = "true/false" if isinstance(got, bool) else "a number"
                    hint = f"put the value in quotes to keep it text (YAML reads it as {what})"
                if etype == "model_type":
                    target = _model_at(model, loc, str(ctx.get("class_name", "")))
                    note = getattr(target, "input_hint", None)
                    hint = note(got) if callable(note) else None
            where = pointer or "/"
            d = doc.diagnostic(code, f"{where}: {msg}", pointer, hint=hint)
        sig = (d.code, d.pointer + d.message)
        if sig not in seen:
            seen.add(sig)
            out.append(d)
    if more:
        out.append(too_many(doc, more))
    return out


def too_many(doc: LoadedDocument, more: int) -> Diagnostic:
    """The closing WK119 diagnostic of a file whose diagnostics were cut at the limit."""
    return doc.diagnostic(
        "WK119",
        f"and {more} more problem(s) in this file, not listed",
        hint="fix the ones listed and validate again",
    )


def cap_diagnostics(
    doc: LoadedDocument, diagnostics: list[Diagnostic], limit: int | None = None
) -> list[Diagnostic]:
    """At most ``limit`` diagnostics for one file, the rest counted in one closing WK119."""
    limit = limit if limit is not None else DEFAULT_LIMITS.max_diagnostics
    if len(diagnostics) <= limit or (
        len(diagnostics) == limit + 1 and diagnostics[-1].code == "WK119"
    ):
        return diagnostics
    return [*diagnostics[:limit], too_many(doc, len(diagnostics) - limit)]


def validate_model(doc: LoadedDocument, model: type[M]) -> tuple[M | None, list[Diagnostic]]:
    """Validate ``doc.data`` against ``model``: the spec, or located diagnostics."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, diagnostics_from_validation(doc, model, exc)
