"""Locating one place in a plain YAML document from the parser's events, without the graph.

A document read by a fast path (:mod:`workflowkit.source.json_fast`,
:mod:`workflowkit.source.yaml_events`) keeps only its text; a diagnostic about it asks
:meth:`~workflowkit.source.loader.LoadedDocument.locate` for the line and column of a
key or a value. Composing the whole node graph for that costs as much as reading the
file the full way; most diagnostics name one place near the top (``extends``, ``id``),
so the first one is found here instead: the same parser's events are walked along the
pointer, the values before it skipped, and the walk stops at the place itself.

It gives what the graph gives: the same marks (the composer copies each node's from its
event), the deepest existing place when the pointer goes past what exists, the key's
mark with ``key=True``, ``int()`` of a sequence index. It takes only what a fast path
took (one document, scalar keys, no duplicate key, no alias: it is only asked about
such documents), and returns ``None`` for anything else it meets on the way (an alias,
a collection as a key, a negative index, a parse error), so the caller composes the
graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamStartEvent,
)

from workflowkit.source.loader import _composer


class _Unsure(Exception):
    """The walk met something the graph may read otherwise: compose it instead."""


def _mark(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1)


def _skip(events: Iterator[Any], event: Any) -> None:
    """Consume the rest of the node ``event`` starts."""
    kind = type(event)
    if kind is AliasEvent:
        raise _Unsure
    if kind is not MappingStartEvent and kind is not SequenceStartEvent:
        return
    depth = 1
    for e in events:
        k = type(e)
        if k is MappingStartEvent or k is SequenceStartEvent:
            depth += 1
        elif k is MappingEndEvent or k is SequenceEndEvent:
            depth -= 1
            if depth == 0:
                return
        elif k is AliasEvent:
            raise _Unsure


def _walk(events: Iterator[Any], parts: list[str], key: bool) -> tuple[int, int]:
    event = next(events)
    if type(event) not in (ScalarEvent, MappingStartEvent, SequenceStartEvent):
        raise _Unsure  # an alias, or no document: the graph says (1, 1)
    best = _mark(event)
    for part in parts:
        kind = type(event)
        if kind is MappingStartEvent:
            while True:
                k = next(events)
                if type(k) is MappingEndEvent:
                    return best  # no such key: the mapping, where it would go
                if type(k) is not ScalarEvent:
                    raise _Unsure  # a collection or an alias as a key
                if k.value == part:
                    event = next(events)
                    if type(event) is AliasEvent:
                        raise _Unsure
                    best = _mark(k) if key else _mark(event)
                    break
                _skip(events, next(events))
        elif kind is SequenceStartEvent:
            try:
                index = int(part)
            except ValueError:
                return best
            if index < 0:
                raise _Unsure  # the graph counts from the end
            for _ in range(index):
                item = next(events)
                if type(item) is SequenceEndEvent:
                    return best
                _skip(events, item)
            event = next(events)
            if type(event) is SequenceEndEvent:
                return best
            if type(event) is AliasEvent:
                raise _Unsure
            best = _mark(event)
        else:
            return best  # a scalar has nothing inside
    return best


def locate_by_events(text: str, parts: list[str], *, key: bool = False) -> tuple[int, int] | None:
    """1-based (line, col) of the place ``parts`` names in the plain document ``text``
    (as :meth:`LoadedDocument.locate` gives it from the graph), or ``None`` when the
    graph must say it."""
    events = _composer().parse(text)
    try:
        if type(next(events)) is not StreamStartEvent:
            return None
        if type(next(events)) is not DocumentStartEvent:
            return None
        return _walk(events, parts, key)
    except _Unsure:
        return None
    except Exception:  # a parse error, or the stream ending early: the graph decides
        return None
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()
