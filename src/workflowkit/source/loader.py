"""Read one YAML or JSON document into plain data, keeping where every value came from.

YAML is composed by ruamel.yaml (the C parser when ``ruamel.yaml.clib`` is installed)
under YAML 1.2, so ``NO`` stays the string ``"NO"``. We build the Python data from the
node graph ourselves rather than with a constructor: that is where duplicate keys,
custom tags, merge keys, nesting depth and alias expansion are caught, each with its own
code, and it never executes anything a file asks for.

A plain document (no anchors, aliases, tags or merge keys, no duplicate key, within the
limits: nearly every file a practice keeps) is first read straight from the parser's
event stream by :mod:`workflowkit.source.yaml_events`, with the same scalar typing and
no node graph at all; one written as JSON is tried even before that, with ``json.loads``
(:mod:`workflowkit.source.json_fast`). Anything else, and every error, is read the full
way described above, so every diagnostic is made here, exactly as before.

Positions are not copied into a side table: :meth:`LoadedDocument.locate` walks the
composed node graph along a JSON pointer only when a diagnostic needs a line and column
(composing it then, for a document read by the fast path). Valid files, the common case,
pay nothing for it.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers
from ruamel.yaml.tag import Tag

from workflowkit.errors import Diagnostic, DocumentError, Severity

Format = Literal["yaml", "json"]

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(
    _CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)
_MERGE_TAG = _CORE + "merge"
_RESOLVED_TAGS = _ALLOWED_TAGS | {_MERGE_TAG}
_API_VERSION = "workflowkit/v1"


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one file may cost. Past each, a diagnostic with its own code."""

    max_bytes: int = 2_000_000
    max_depth: int = 50
    max_nodes: int = 250_000
    max_checks: int = 500
    max_extends_depth: int = 8
    max_diagnostics: int = 200
    """Diagnostics reported for one file; past it, one closing WK119 "and N more"."""


DEFAULT_LIMITS = Limits()


class _Abort(Exception):
    """Raised inside the builder to stop at the first fatal structural problem."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _core_table() -> dict[str, list[tuple[Tag, Any]]]:
    table: dict[str, list[tuple[Tag, Any]]] = {}
    anywhere: list[tuple[Tag, Any]] = []
    for versions, tag, regexp, first in implicit_resolvers:
        # ruamel also lists the YAML 1.1 `=` (value) and `!`/`&`/`*` (yaml) types for
        # 1.2; they are not in the 1.2 core schema, so those scalars stay strings.
        if (1, 2) not in versions or tag not in _RESOLVED_TAGS:
            continue
        if not first:
            anywhere.append((Tag(suffix=tag), regexp))
        for ch in first or ():
            table.setdefault(ch, []).append((Tag(suffix=tag), regexp))
    for entries in table.values():
        entries.extend(anywhere)
    table[""] = table.get("", []) + anywhere
    table["\0default"] = anywhere
    return table


class _Yaml12Resolver(VersionedResolver):
    """YAML 1.2 core-schema resolution, table-driven.

    ruamel's own resolver works out the YAML version again for every scalar, which is
    most of the cost of composing a file; the answer here is always 1.2 (a ``%YAML``
    directive does not switch workflowkit files to 1.1 rules such as ``NO`` = false).
    """

    _TABLE = _core_table()
    _STR = Tag(suffix=_CORE + "str")
    _SEQ = Tag(suffix=_CORE + "seq")
    _MAP = Tag(suffix=_CORE + "map")

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode:
            return resolve_scalar(value, implicit[0])
        if kind is SequenceNode:
            return self._SEQ
        return self._MAP


_STR_TAG = _Yaml12Resolver._STR


def resolve_scalar(value: str, plain: bool) -> Tag:
    """The YAML 1.2 core-schema tag of a scalar without an explicit tag: a quoted one
    (``plain`` false) is a string; a plain one is matched against the core table."""
    if plain:
        table = _Yaml12Resolver._TABLE
        entries = table.get(value[0] if value else "") or table["\0default"]
        for tag, regexp in entries:
            if regexp.match(value):
                return tag
    return _STR_TAG


def _yaml() -> YAML:
    y = YAML(typ="safe")
    y.Resolver = _Yaml12Resolver
    return y


_YAML_SINGLETON: YAML | None = None


def _composer() -> YAML:
    global _YAML_SINGLETON
    if _YAML_SINGLETON is None:
        _YAML_SINGLETON = _yaml()
    return _YAML_SINGLETON


def _tag(node: Node) -> str:
    return _tag_text(node.tag)


def _tag_text(tag: object) -> str:
    """A tag's text (``tag:yaml.org,2002:int``), whether a ``Tag`` or a string."""
    value = getattr(tag, "value", tag)
    return str(value) if value is not None else ""


def escape_pointer_part(part: str | int) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def pointer_of(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """RFC 6901 pointer for a path of keys and indexes (``""`` is the root)."""
    return "".join("/" + escape_pointer_part(p) for p in parts)


def split_pointer(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


EVENT_WALKS = 2
"""How many places of a plain document are found by walking its events before its node
graph is composed (a walk reads up to the place; the graph, once, reads it all)."""


@dataclass(eq=False)
class LoadedDocument:
    """One file's data with a way back to line and column.

    ``data`` holds plain values only: ``dict`` (str keys), ``list``, ``str``, ``int``,
    ``float``, ``bool`` and ``None``. YAML timestamps stay strings, so YAML and JSON give
    the same data.
    """

    name: str
    data: Any
    format: Format
    text: str
    _root: Node | None = field(default=None, repr=False)
    _root_loaded: bool = field(default=False, repr=False)
    _keys: dict[int, dict[str, tuple[Node, Node]]] = field(default_factory=dict, repr=False)
    _plain: bool = field(default=False, repr=False)
    """Read by a fast path: a plain document, whose places the event walk can find."""
    _walks: int = field(default=0, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        # The node graph is not sent between processes: it is composed again on demand.
        state = {k: getattr(self, k) for k in ("name", "data", "format", "text", "_plain")}
        state.update(_root=None, _root_loaded=False, _keys={}, _walks=0)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, v)

    # -- locating -----------------------------------------------------------------
    def _root_node(self) -> Node | None:
        if not self._root_loaded:
            self._root_loaded = True
            if self._root is None:
                text = self.text
                if self.format == "json":
                    text = _json_as_yaml(text)
                try:
                    self._root = _composer().compose(text)
                except (YAMLError, ValueError):
                    self._root = None
        return self._root

    def locate(self, pointer: str, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, col) of the value at ``pointer`` (its key with ``key=True``).

        When the pointer goes past what exists (a missing key), the deepest node that
        exists is used, which is where a person would add the missing piece.

        A plain document (one a fast path read) is first walked as the parser's events,
        up to the place (:mod:`workflowkit.source.locate_events`); from its
        ``EVENT_WALKS + 1``-th place on, or when the walk is unsure, its graph is composed
        once and read instead. Both give the same place.
        """
        if self._plain and not self._root_loaded and self._walks < EVENT_WALKS:
            from workflowkit.source.locate_events import locate_by_events

            self._walks += 1
            place = locate_by_events(self.text, split_pointer(pointer), key=key)
            if place is not None:
                return place
        node = self._root_node()
        if node is None:
            return (1, 1)
        best = (node.start_mark.line + 1, node.start_mark.column + 1)
        for part in split_pointer(pointer):
            if isinstance(node, MappingNode):
                found = self._pairs(node).get(part)
                if found is None:
                    return best
                k_node, node = found
                if key:
                    best = (k_node.start_mark.line + 1, k_node.start_mark.column + 1)
                else:
                    best = (node.start_mark.line + 1, node.start_mark.column + 1)
            elif isinstance(node, SequenceNode):
                try:
                    node = node.value[int(part)]
                except (ValueError, IndexError):
                    return best
                best = (node.start_mark.line + 1, node.start_mark.column + 1)
            else:
                return best
        return best

    def _pairs(self, node: MappingNode) -> dict[str, tuple[Node, Node]]:
        """The (key, value) nodes of a mapping by key text, indexed once per mapping, so
        locating many keys of one large mapping stays linear."""
        index = self._keys.get(id(node))
        if index is None:
            index = {}
            for k, v in node.value:
                if isinstance(k, ScalarNode):
                    index[str(k.value)] = (k, v)
            self._keys[id(node)] = index
        return index

    def diagnostic(
        self,
        code: str,
        message: str,
        pointer: str = "",
        *,
        key: bool = False,
        severity: Severity = Severity.ERROR,
        hint: str | None = None,
    ) -> Diagnostic:
        """A diagnostic located at ``pointer`` in this document."""
        line, col = self.locate(pointer, key=key)
        return Diagnostic(
            code=code,
            message=message,
            file=self.name,
            line=line,
            col=col,
            pointer=pointer,
            severity=severity,
            hint=hint,
        )


# ---------------------------------------------------------------------------------
# YAML
# ---------------------------------------------------------------------------------


MAX_INT_DIGITS = 4300
"""The longest integer read (Python's own limit for converting text to ``int``)."""

_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class SourceFloat(float):
    """A float read from a file that keeps the text it was written as.

    Money is built from ``text`` (``100.000000000000001`` stays exact), never from the
    binary float; everything else sees an ordinary ``float``.
    """

    __slots__ = ("text",)
    text: str

    def __new__(cls, value: float, text: str) -> SourceFloat:
        self = super().__new__(cls, value)
        self.text = text
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (SourceFloat, (float(self), self.text))


def number_from_text(text: str) -> float:
    """A float for JSON's or YAML's number ``text``, keeping the text when it is plain."""
    value = float(text)
    if math.isfinite(value) and _PLAIN_NUMBER.fullmatch(text):
        return SourceFloat(value, text)
    return value


class TooLongNumber(ValueError):
    """An integer literal longer than :data:`MAX_INT_DIGITS` digits."""

    def __init__(self, text: str) -> None:
        super().__init__(f"an integer of {len(text)} characters")
        self.text = text


def json_int(text: str) -> int:
    """``parse_int`` for ``json.loads``: refuses over-long integers with a typed error."""
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise TooLongNumber(text)
    return int(text)


def too_long_number(name: str, digits: str, line: int, col: int) -> Diagnostic:
    return Diagnostic(
        "WK120",
        f"a number of {len(digits)} digits is too long to read (the limit is "
        f"{MAX_INT_DIGITS} digits)",
        file=name,
        line=line,
        col=col,
        hint="quote it if it is text; no amount or count needs that many digits",
    )


def _int(text: str) -> int:
    t = text.replace("_", "")
    sign = -1 if t.startswith("-") else 1
    body = t.lstrip("+-")
    low = body.lower()
    if low.startswith("0o"):
        return sign * int(body[2:], 8)
    if low.startswith("0x"):
        return sign * int(body[2:], 16)
    if low.startswith("0b"):
        return sign * int(body[2:], 2)
    return sign * int(body, 10)


def _float(text: str) -> float:
    t = text.replace("_", "").lower()
    if t in (".inf", "+.inf"):
        return math.inf
    if t == "-.inf":
        return -math.inf
    if t == ".nan":
        return math.nan
    return number_from_text(t)


_Path = tuple[Any, str | int] | None
"""A linked path from the root: (parent path, key or index); None is the root."""


def _unlink(path: _Path) -> list[str | int]:
    parts: list[str | int] = []
    while path is not None:
        path, part = path
        parts.append(part)
    return parts[::-1]


_BUILDING = object()
"""Marks a collection whose value is being built (an alias to it is recursive)."""


class _Builder:
    """Turns a composed node graph into plain data, enforcing the limits.

    An alias is the same node object met a second time. Its value is built once and
    shared, and its expanded size is counted (measured once per node, memoised), so a
    "billion laughs" file fails at the first alias that crosses ``max_nodes`` without
    expanding anything, in memory proportional to the file, not to the expansion.
    """

    __slots__ = ("built", "count", "limits", "name", "sizes")

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.count = 0
        self.built: dict[int, Any] = {}
        self.sizes: dict[int, tuple[int, int]] = {}

    def _abort(
        self, code: str, message: str, node: Node, hint: str | None = None, pointer: str = ""
    ) -> _Abort:
        return _Abort(
            Diagnostic(
                code=code,
                message=message,
                file=self.name,
                line=node.start_mark.line + 1,
                col=node.start_mark.column + 1,
                pointer=pointer,
                hint=hint,
            )
        )

    def _too_many(self, node: Node) -> _Abort:
        return self._abort(
            "WK110",
            f"the document expands to more than {self.limits.max_nodes} nodes "
            "(aliases expanding past the limit)",
            node,
            hint="write the values out, or use fewer nested aliases",
        )

    def build(self, node: Node, depth: int, path: _Path) -> Any:
        self.count += 1
        if self.count > self.limits.max_nodes:
            raise self._too_many(node)
        if depth > self.limits.max_depth:
            raise self._abort(
                "WK109",
                f"nesting deeper than {self.limits.max_depth} levels",
                node,
            )
        tag_obj: object = node.tag  # a Tag at run time, whatever ruamel's hints say
        node_type = type(node)
        if tag_obj is _STR_TAG and node_type is ScalarNode:  # the common case, fast
            return node.value
        tag = _tag(node)
        if tag not in _ALLOWED_TAGS:
            if tag == _MERGE_TAG and node_type is ScalarNode and node.value == "<<":
                return node.value  # `<<` as a value is a string; only a `<<` key merges
            if tag == _MERGE_TAG:
                raise self._abort(
                    "WK118",
                    "YAML merge keys (<<) are not supported",
                    node,
                    hint="write the keys out; use `extends` to reuse a template",
                )
            raise self._abort(
                "WK104",
                f"tag {tag!r} is not allowed: only plain YAML values are read",
                node,
                hint="remove the tag; workflowkit never constructs objects from tags",
            )
        if isinstance(node, ScalarNode):
            return self._scalar(node, tag)
        key = id(node)
        again = self.built.get(key, self)
        if again is not self:
            return self._alias(node, again, depth)
        self.built[key] = _BUILDING
        value = self._collection(node, depth, path)
        self.built[key] = value
        return value

    def _alias(self, node: Node, value: Any, depth: int) -> Any:
        """A collection met again through an alias: count its expansion, share its value."""
        if value is _BUILDING:
            raise self._abort(
                "WK110",
                "an alias refers to a value that contains it (a recursive alias)",
                node,
                hint="aliases cannot point at an enclosing value; write the values out",
            )
        size, height = self._measure(node)
        self.count += size - 1
        if self.count > self.limits.max_nodes:
            raise self._too_many(node)
        if depth + height > self.limits.max_depth:
            raise self._abort("WK109", f"nesting deeper than {self.limits.max_depth} levels", node)
        return value

    def _measure(self, node: Node) -> tuple[int, int]:
        """(nodes, height) of ``node`` with every alias expanded, memoised per node."""
        known = self.sizes.get(id(node))
        if known is not None:
            return known
        size, height = 1, 0
        if isinstance(node, SequenceNode | MappingNode):
            children = node.value if isinstance(node, SequenceNode) else [v for _, v in node.value]
            for child in children:
                s, h = self._measure(child)
                size += s
                height = max(height, h + 1)
        self.sizes[id(node)] = (size, height)
        return size, height

    def _collection(self, node: Node, depth: int, path: _Path) -> Any:
        if isinstance(node, SequenceNode):
            d = depth + 1
            return [self.build(v, d, (path, i)) for i, v in enumerate(node.value)]
        if isinstance(node, MappingNode):
            out: dict[str, Any] = {}
            d = depth + 1
            for k_node, v_node in node.value:
                if k_node.tag is not _STR_TAG and _tag(k_node) == _MERGE_TAG:
                    raise self._abort("WK118", "YAML merge keys (<<) are not supported", k_node)
                if type(k_node) is not ScalarNode:
                    raise self._abort(
                        "WK117", "a mapping key must be a plain string, not a collection", k_node
                    )
                k = str(k_node.value)
                if k in out:
                    where = pointer_of(_unlink((path, k)))
                    raise self._abort(
                        "WK103",
                        f"duplicate key {k!r} (at {where}); YAML keeps only one of them",
                        k_node,
                        hint="remove or rename one of the two keys",
                        pointer=where,
                    )
                out[k] = self.build(v_node, d, (path, k))
            return out
        raise self._abort("WK104", "unsupported YAML node", node)  # pragma: no cover

    def _scalar(self, node: ScalarNode, tag: str) -> Any:
        value = str(node.value)
        kind = tag[len(_CORE) :]
        try:
            return core_value(kind, value)
        except NumberTooLong:
            mark = node.start_mark
            d = too_long_number(self.name, value, mark.line + 1, mark.column + 1)
            raise _Abort(d) from None
        except ValueError:
            raise self._abort("WK114", f"{value!r} is not a valid {kind}", node) from None


class NumberTooLong(ValueError):
    """An integer of more than :data:`MAX_INT_DIGITS` digits (WK120 where it is located)."""


def core_value(kind: str, value: str) -> Any:
    """The Python value of a scalar that the YAML 1.2 core schema types as ``kind``
    (``str``, ``timestamp``, ``null``, ``bool``, ``int`` or ``float``; dates stay text).
    Both readers (the node builder and the event fast path) convert through here.
    ``ValueError`` for a number that cannot be read, :class:`NumberTooLong` for an
    integer over the digit limit."""
    if kind == "null":
        return None
    if kind == "bool":
        return value.lower() == "true"
    if kind == "int":
        if len(value) > MAX_INT_DIGITS:
            raise NumberTooLong(value)
        return _int(value)
    if kind == "float":
        return _float(value)
    return value  # str and timestamp: the text itself


_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def _mark_diag(name: str, code: str, exc: MarkedYAMLError, text: str = "") -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or str(exc).splitlines()[0]
    if mark is None:
        return Diagnostic(code=code, message=str(problem), file=name, line=1, col=1)
    line, col = mark.line + 1, mark.column + 1
    if text:
        # The parser reads a text that does not end in a line break as if it did, so a
        # problem at its very end is marked on the line after the last: point at the end
        # of the last line instead, where the text stops.
        lines = _LINE_BREAKS.split(text)
        if line > len(lines):
            line, col = len(lines), len(lines[-1]) + 1
    return Diagnostic(code=code, message=str(problem), file=name, line=line, col=col)


_SCAN_MARKERS = ("[", "{", "- ", "-\t", "? ", "?\t")
_SCAN_ABOVE = 1000
_SCAN_BYTES = 256_000


def _may_nest_deeply(text: str) -> bool:
    """Whether ``text`` could nest deeper than composing safely handles.

    Every level of nesting needs a flow bracket, a compact ``- `` / ``? `` or a deeper
    indent, so few markers (and a modest size) bound the depth. Above the bound the
    events are scanned first: the C composer recurses without limit (tens of thousands
    of levels crash the interpreter) and libyaml slows down quadratically with depth.
    """
    if len(text) > _SCAN_BYTES:
        return True
    return sum(text.count(m) for m in _SCAN_MARKERS) > _SCAN_ABOVE


def _scan_depth(y: YAML, text: str, name: str, limits: Limits) -> None:
    """Stream the events and stop at the first one nested past ``limits.max_depth``."""
    depth = 0
    for event in y.parse(text):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > limits.max_depth + 1:  # the root collection is depth 0 to the builder
                mark = event.start_mark
                raise DocumentError.of(
                    [
                        Diagnostic(
                            "WK109",
                            f"nesting deeper than {limits.max_depth} levels",
                            file=name,
                            line=mark.line + 1,
                            col=mark.column + 1,
                        )
                    ]
                )
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def _empty(name: str) -> DocumentError:
    return DocumentError.of(
        [
            Diagnostic(
                code="WK107",
                message="the document is empty",
                file=name,
                line=1,
                col=1,
                hint=f"start the file with `apiVersion: {_API_VERSION}` and a `kind`",
            )
        ]
    )


_YAML_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
"""Characters YAML refuses anywhere in a stream (it allows tab, LF, CR and NEL)."""


def _control_character(text: str, name: str) -> DocumentError | None:
    m = _YAML_CONTROL.search(text)
    if m is None:
        return None
    pos = m.start()
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return DocumentError.of(
        [
            Diagnostic(
                "WK101",
                f"the control character U+{ord(m.group(0)):04X} is not allowed in YAML",
                file=name,
                line=line,
                col=col,
                hint='write it as an escape inside double quotes (e.g. "\\x1b"), or remove it',
            )
        ]
    )


def _load_yaml(text: str, name: str, limits: Limits) -> LoadedDocument:
    bad = _control_character(text, name)
    if bad is not None:
        raise bad
    from workflowkit.source import json_fast, yaml_events

    fast = json_fast.build_from_json(text, limits)  # a document written as JSON
    if fast is None:
        fast = yaml_events.build_from_events(text, limits)
    if fast is not None:  # a plain document: the graph is composed only to locate a problem
        return LoadedDocument(name=name, data=fast[0], format="yaml", text=text, _plain=True)
    y = _composer()
    try:
        if _may_nest_deeply(text):
            _scan_depth(y, text, name, limits)
        root = y.compose(text)
    except MarkedYAMLError as exc:
        problem = str(exc.problem or "")
        if "expected a single document" in str(exc) or "another document" in problem:
            d = _mark_diag(name, "WK106", exc, text)
            d = Diagnostic(
                code="WK106",
                message="a file holds one document; found a second one (---)",
                file=name,
                line=d.line,
                col=d.col,
                hint="split the documents into separate files",
            )
            raise DocumentError.of([d]) from None
        if "found undefined tag handle" in problem or ("tag" in problem and "handle" in problem):
            raise DocumentError.of([_mark_diag(name, "WK104", exc, text)]) from None
        raise DocumentError.of([_mark_diag(name, "WK101", exc, text)]) from None
    except YAMLError as exc:
        raise DocumentError.of(
            [Diagnostic(code="WK101", message=str(exc), file=name, line=1, col=1)]
        ) from None
    except (ValueError, RecursionError) as exc:  # clib raises plain errors on rare inputs
        raise DocumentError.of(
            [Diagnostic(code="WK101", message=f"cannot parse: {exc}", file=name, line=1, col=1)]
        ) from None
    if root is None or (
        type(root) is ScalarNode and root.value == "" and _tag(root) == _CORE + "null"
    ):
        raise _empty(name)
    try:
        data = _Builder(name, limits).build(root, 0, None)
    except _Abort as abort:
        raise DocumentError.of([abort.diagnostic]) from None
    except RecursionError:
        raise DocumentError.of(
            [Diagnostic("WK109", "nesting too deep", file=name, line=1, col=1)]
        ) from None
    return LoadedDocument(
        name=name, data=data, format="yaml", text=text, _root=root, _root_loaded=True
    )


# ---------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------


class DuplicateJsonKey(Exception):
    """Raised by :func:`strict_json_pairs` on a key that a JSON object holds twice."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def strict_json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An ``object_pairs_hook`` for ``json.loads`` that refuses duplicate keys."""
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise DuplicateJsonKey(k)
        out[k] = v
    return out


def _json_depth(value: Any, limit: int) -> list[str | int] | None:
    """The path to the first value nested deeper than ``limit``, or None (no recursion)."""
    stack: list[tuple[Any, int, _Path]] = [(value, 0, None)]
    while stack:
        v, d, path = stack.pop()
        if d > limit:
            return _unlink(path)
        if isinstance(v, dict):
            stack.extend((x, d + 1, (path, k)) for k, x in reversed(v.items()))
        elif isinstance(v, list):
            stack.extend((x, d + 1, (path, i)) for i, x in reversed(list(enumerate(v))))
    return None


def _find_duplicate_line(text: str, key: str) -> tuple[int, int]:
    needle = json.dumps(key)
    hits = list(_find_all(text, needle))
    pos = hits[1] if len(hits) > 1 else (hits[0] if hits else 0)
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def _find_all(text: str, needle: str) -> Iterator[int]:
    start = text.find(needle)
    while start != -1:
        yield start
        start = text.find(needle, start + 1)


def _json_duplicate(text: str, key: str, name: str, limits: Limits) -> Diagnostic:
    """Where the second ``key`` is: JSON is YAML 1.2, so the YAML builder finds it exactly;
    a text search is the fallback for JSON the YAML reader does not take."""
    line, col = _find_duplicate_line(text, key)
    pointer = ""
    if not _may_nest_deeply(text):
        try:
            _Builder(name, limits).build(_composer().compose(_json_as_yaml(text)), 0, None)
        except _Abort as abort:
            d = abort.diagnostic
            if d.code == "WK103" and d.line is not None and d.col is not None:
                line, col, pointer = d.line, d.col, d.pointer
        except (YAMLError, ValueError, RecursionError):
            pass
    return Diagnostic(
        "WK103",
        f"duplicate key {key!r}"
        + (f" (at {pointer})" if pointer else "")
        + "; JSON keeps only one of them",
        file=name,
        line=line,
        col=col,
        pointer=pointer,
        hint="remove or rename one of the two keys",
    )


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _json_as_yaml(text: str) -> str:
    """JSON text the YAML composer reads with every position unchanged.

    JSON is YAML 1.2 but for surrogate-pair escapes and a few raw characters inside
    strings (C1 controls, U+2028, ...) that YAML refuses or reads as line breaks; each
    gets a stand-in of the same length.
    """
    if "\\u" in text:
        text = _SURROGATE_ESCAPE.sub(r"\\u0020", text)
    return _NOT_YAML_PRINTABLE.sub(" ", text)


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if _SURROGATE.search(v):
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def _lone_surrogate(text: str, name: str) -> DocumentError:
    m = _LONE_SURROGATE_ESCAPE.search(text)
    pos = m.start() if m else 0
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return DocumentError.of(
        [
            Diagnostic(
                "WK102",
                "a \\u escape is half of a surrogate pair: it is not a character",
                file=name,
                line=line,
                col=col,
                hint="write the character itself, or both halves of the pair",
            )
        ]
    )


def _load_json(text: str, name: str, limits: Limits) -> LoadedDocument:
    if not text.strip():
        raise _empty(name)
    try:
        data = json.loads(
            text,
            object_pairs_hook=strict_json_pairs,
            parse_int=json_int,
            parse_float=number_from_text,
        )
    except TooLongNumber as exc:
        pos = max(text.find(exc.text), 0)
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        raise DocumentError.of([too_long_number(name, exc.text, line, col)]) from None
    except DuplicateJsonKey as dup:
        raise DocumentError.of([_json_duplicate(text, dup.key, name, limits)]) from None
    except json.JSONDecodeError as exc:
        raise DocumentError.of(
            [Diagnostic("WK102", exc.msg, file=name, line=exc.lineno, col=exc.colno)]
        ) from None
    except RecursionError:
        raise DocumentError.of(
            [Diagnostic("WK109", "nesting too deep", file=name, line=1, col=1)]
        ) from None
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(data):
        raise _lone_surrogate(text, name)
    too_deep = _json_depth(data, limits.max_depth)
    if too_deep is not None:
        pointer = pointer_of(too_deep)
        line, col = 1, 1
        if not _may_nest_deeply(text):
            line, col = LoadedDocument(name, data, "json", text).locate(pointer)
        raise DocumentError.of(
            [
                Diagnostic(
                    "WK109",
                    f"nesting deeper than {limits.max_depth} levels",
                    file=name,
                    line=line,
                    col=col,
                    pointer=pointer,
                )
            ]
        )
    return LoadedDocument(name=name, data=data, format="json", text=text)


# ---------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------


DATA_FORMATS = ("workflowkit.ledger/",)
"""``format`` values of data files (ledger snapshots) that live beside documents."""


def is_data_file(doc: LoadedDocument) -> bool:
    """A data file (a ledger snapshot), not a document: it has a known ``format`` and no
    ``apiVersion``/``kind``. Folders of documents may hold them; ``validate`` skips them."""
    data = doc.data
    return (
        isinstance(data, dict)
        and "apiVersion" not in data
        and "kind" not in data
        and isinstance(data.get("format"), str)
        and data["format"].startswith(DATA_FORMATS)
    )


def detect_format(name: str) -> Format:
    return "json" if name.lower().endswith(".json") else "yaml"


def too_large(name: str, size: int | str, limit: int) -> DocumentError:
    """WK108: the file at ``name`` is over the size limit (``size`` as known)."""
    return DocumentError.of(
        [
            Diagnostic(
                "WK108",
                f"the file is {size} bytes; the limit is {limit}",
                file=name,
                line=1,
                col=1,
            )
        ]
    )


def load_text(
    text: str | bytes,
    *,
    name: str = "<input>",
    format: Format | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> LoadedDocument:
    """Parse one document from text. Raises :class:`DocumentError` with located diagnostics."""
    size = len(text.encode("utf-8")) if isinstance(text, str) else len(text)
    if size > limits.max_bytes:
        raise too_large(name, size, limits.max_bytes)
    if isinstance(text, bytes):
        raw: bytes = text
        nul = raw.find(b"\x00")
        if nul != -1 and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            # UTF-16 (or UTF-32) without a BOM decodes as "UTF-8" full of NULs.
            before = raw[:nul]
            raise DocumentError.of(
                [
                    Diagnostic(
                        "WK100",
                        "the file is not UTF-8: it holds NUL bytes (UTF-16 without a BOM, "
                        "or not text at all)",
                        file=name,
                        line=before.count(b"\n") + 1,
                        col=len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1,
                        hint="save the file as UTF-8",
                    )
                ]
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            before = raw[: exc.start]
            line = before.count(b"\n") + 1
            col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
            raise DocumentError.of(
                [
                    Diagnostic(
                        "WK100",
                        f"the file is not UTF-8: byte 0x{raw[exc.start]:02x} ({exc.reason})",
                        file=name,
                        line=line,
                        col=col,
                        hint="save the file as UTF-8",
                    )
                ]
            ) from None
    elif text.startswith("\ufeff"):
        text = text[1:]
    fmt = format or detect_format(name)
    if fmt == "json":
        return _load_json(text, name, limits)
    return _load_yaml(text, name, limits)


def read_path(
    path: str | os.PathLike[str], *, display: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> LoadedDocument:
    """Read and parse one file.

    A path that is not a readable regular file raises :class:`~workflowkit.source.paths.
    UnreadablePath` (a :class:`DocumentError`): missing or unopenable (WK100), a dangling
    link (WK127), a FIFO or a device (WK128). Opening never blocks on a FIFO.
    """
    from workflowkit.source.paths import read_bytes

    p = Path(path)
    name = display or str(path)

    try:
        size = p.stat().st_size
    except OSError:
        size = 0  # read_bytes says why
    if size > limits.max_bytes:
        raise too_large(name, size, limits.max_bytes)
    raw = read_bytes(p, name, limits.max_bytes)
    if len(raw) > limits.max_bytes:  # it grew since, or its size was not known
        raise too_large(name, f"over {limits.max_bytes}", limits.max_bytes)
    return load_text(raw, name=name, format=detect_format(name), limits=limits)
