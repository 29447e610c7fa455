"""The fast path of reading YAML: plain data straight from the parser's event stream.

:func:`workflowkit.source.loader.load_text` reads a YAML file here first (after
:mod:`workflowkit.source.json_fast`, for a document written as JSON). The events come
from the same parser the composer uses (libyaml through ``ruamel.yaml.clib`` when it is
installed), and every scalar is typed by the same YAML 1.2 resolution
(:func:`~workflowkit.source.loader.resolve_scalar`) and converted by the same functions as
:class:`~workflowkit.source.loader._Builder`, so the data is the same. What it skips is
the node graph (a Python object per node, and another pass over the events to bound the
nesting of a large file), which is most of the cost of reading a large client list.

It takes only the plain case: no anchor, alias or explicit tag, no merge key, no
collection or alias as a key, no duplicate key, one document, nesting and size within
the limits, every number readable. Anything else, and every parse error, returns
``None``, and the caller reads the file again the full way, which judges it and gives
the diagnostics with their lines and columns exactly as before. Nothing a diagnostic
says comes from here: valid files read fast, and every located diagnostic is made by
the full path (``LoadedDocument.locate`` composes the graph on demand).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ruamel.yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from workflowkit.source.loader import (
    _ALLOWED_TAGS,
    _CORE,
    _MERGE_TAG,
    _STR_TAG,
    Limits,
    _composer,
    _tag_text,
    core_value,
    resolve_scalar,
)

_NOT_PLAIN = object()
"""Returned inside the builder for a value the fast path leaves to the full reader."""

_NO_KEY = object()
"""A mapping's slot before its next key."""


class _Bail(Exception):
    """Stops the fast path: the full reader takes the file."""


def _scalar(value: str, plain: bool) -> Any:
    """The value of an untagged scalar, as :meth:`_Builder.build` gives it."""
    tag = resolve_scalar(value, plain)
    if tag is _STR_TAG:
        return value
    text = _tag_text(tag)
    if text not in _ALLOWED_TAGS:
        if text == _MERGE_TAG and value == "<<":
            return value  # `<<` as a value is a string; only a `<<` key merges
        raise _Bail
    try:
        return core_value(text[len(_CORE) :], value)
    except ValueError:  # an unreadable or over-long number: the full reader locates it
        raise _Bail from None


def _key(event: Any) -> str:
    """A mapping key: a plain, untagged, unanchored scalar that is not ``<<``."""
    if type(event) is not ScalarEvent or event.anchor is not None or event.tag is not None:
        raise _Bail  # a collection or an alias as a key (WK117), or anchored or tagged
    value: str = event.value
    if event.implicit[0]:
        tag = resolve_scalar(value, True)
        if tag is not _STR_TAG and _tag_text(tag) == _MERGE_TAG:
            raise _Bail  # a merge key: WK118
    return value


def build_from_events(text: str, limits: Limits) -> tuple[Any] | None:
    """``(data,)`` when ``text`` is one plain YAML document the fast path takes (see the
    module's docstring); ``None`` when the full reader must judge it."""
    events = _composer().parse(text)
    try:
        return (_build(events, limits),)
    except _Bail:
        return None
    except Exception:  # a parse error (or the C parser's plain errors): the full path says it
        return None
    finally:
        events.close()


def _build(events: Iterator[Any], limits: Limits) -> Any:
    if type(next(events)) is not StreamStartEvent or type(next(events)) is not DocumentStartEvent:
        raise _Bail  # no document at all: the full path says it is empty
    max_nodes, max_depth = limits.max_nodes, limits.max_depth
    count = 0
    # The open collections, innermost last: a list, or a dict and the key whose value
    # comes next (_NO_KEY while the next event is a key or the mapping's end).
    stack: list[Any] = []
    keys: list[Any] = []
    root: Any = _NOT_PLAIN
    for event in events:
        kind = type(event)
        if stack:
            top = stack[-1]
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                if (kind is MappingEndEvent) is not (type(top) is dict) or keys[-1] is not _NO_KEY:
                    raise _Bail  # pragma: no cover - the parser never ends out of place
                stack.pop()
                keys.pop()
                if not stack:
                    root = top
                    break
                continue
            if type(top) is dict and keys[-1] is _NO_KEY:
                key = _key(event)
                if key in top:
                    raise _Bail  # a duplicate key: WK103, located by the full path
                keys[-1] = key
                continue
        else:
            top = None
        if kind is ScalarEvent:
            opened = False
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            opened = True
        else:
            raise _Bail  # an alias (the full path counts its expansion), or out of place
        if event.anchor is not None or event.tag is not None:
            raise _Bail  # anchors and explicit tags: the full path judges them
        count += 1
        if count > max_nodes or len(stack) > max_depth:
            raise _Bail  # WK110, WK109: the full path locates them
        value: Any
        if opened:
            value = {} if kind is MappingStartEvent else []
        else:
            value = _scalar(event.value, event.implicit[0])
        if top is None:
            if not opened:
                if value is None and event.value == "":
                    raise _Bail  # an empty document: WK107
                root = value
                break
        elif type(top) is dict:
            top[keys[-1]] = value
            keys[-1] = _NO_KEY
        else:
            top.append(value)
        if opened:
            stack.append(value)
            keys.append(_NO_KEY)
    if root is _NOT_PLAIN:
        raise _Bail
    # One document and nothing after it (a second one is WK106).
    if type(next(events)) is not DocumentEndEvent or type(next(events)) is not StreamEndEvent:
        raise _Bail
    return root
