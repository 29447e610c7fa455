"""Semantic versions and version ranges for templates.

A workflow pins a template by id and a range; the highest version inside the range is
used. Ranges: an exact version (``1.2.0``), a caret (``^1.2``: same major), a tilde
(``~1.2``: same minor), a wildcard (``1.x``, ``1.*``, ``*``), or comparisons joined by
commas or spaces (``>=1.0.0, <2.0.0``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import total_ordering

from workflowkit.source.models import is_semver


@total_ordering
class SemVer:
    __slots__ = ("major", "minor", "patch", "pre")

    def __init__(self, major: int, minor: int, patch: int, pre: tuple[str, ...] = ()) -> None:
        self.major, self.minor, self.patch, self.pre = major, minor, patch, pre

    @classmethod
    def parse(cls, text: str) -> SemVer:
        if not is_semver(text):
            raise ValueError(f"{text!r} is not a semantic version (MAJOR.MINOR.PATCH)")
        core, _, _build = text.partition("+")
        core, _, pre = core.partition("-")
        ma, mi, pa = (int(x) for x in core.split("."))
        return cls(ma, mi, pa, tuple(pre.split(".")) if pre else ())

    def _key(self) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
        pre = tuple((0, int(p)) if p.isdigit() else (1, p) for p in self.pre)
        return (self.major, self.minor, self.patch, 0 if self.pre else 1, pre)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SemVer) and self._key() == other._key()

    def __lt__(self, other: SemVer) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        base = f"{self.major}.{self.minor}.{self.patch}"
        return base + ("-" + ".".join(self.pre) if self.pre else "")


_PARTIAL = re.compile(r"^(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-[0-9A-Za-z.-]+)?$")


def _partial(text: str) -> tuple[int | None, int | None, int | None]:
    m = _PARTIAL.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a version or version range")
    parts = [None if g is None or g in "xX*" else int(g) for g in m.groups()]
    return parts[0], parts[1], parts[2]


Predicate = Callable[[SemVer], bool]


def _clause(text: str) -> Predicate:
    for op in (">=", "<=", ">", "<", "=", "^", "~"):
        if text.startswith(op):
            rest = text[len(op) :].strip()
            break
    else:
        op, rest = "", text
    if op in (">=", "<=", ">", "<", "="):
        v = SemVer.parse(_fill(rest))
        return {
            ">=": lambda x: x >= v,
            "<=": lambda x: x <= v,
            ">": lambda x: x > v,
            "<": lambda x: x < v,
            "=": lambda x: x == v,
        }[op]
    ma, mi, pa = _partial(rest)
    if op == "^":
        if ma is None:
            return lambda x: True
        lo = SemVer(ma, mi or 0, pa or 0)
        if ma > 0 or mi is None:
            return lambda x: x >= lo and x.major == ma
        if mi > 0 or pa is None:
            return lambda x: x >= lo and x.major == 0 and x.minor == mi
        return lambda x: x == lo
    if op == "~":
        if ma is None:
            return lambda x: True
        lo = SemVer(ma, mi or 0, pa or 0)
        if mi is None:
            return lambda x: x >= lo and x.major == ma
        return lambda x: x >= lo and x.major == ma and x.minor == mi
    if is_semver(rest):
        exact = SemVer.parse(rest)
        return lambda x: x == exact
    return lambda x: (
        (ma is None or x.major == ma)
        and (mi is None or x.minor == mi)
        and (pa is None or x.patch == pa)
    )


def _fill(text: str) -> str:
    if is_semver(text):
        return text
    ma, mi, pa = _partial(text)
    return f"{ma or 0}.{mi or 0}.{pa or 0}"


def parse_range(spec: str) -> Predicate:
    """A predicate for a version range; ``ValueError`` with the reason when malformed."""
    spec = spec.strip()
    if not spec:
        raise ValueError("an empty version range")
    clauses = [c for c in re.split(r"[,\s]+", spec.replace(">= ", ">=").replace("<= ", "<="))
               if c]
    preds = [_clause(c) for c in clauses]
    return lambda v: all(p(v) for p in preds)


def is_range(spec: str) -> bool:
    try:
        parse_range(spec)
    except ValueError:
        return False
    return True


def best_version(versions: Sequence[str], spec: str | None) -> str | None:
    """The highest of ``versions`` inside ``spec`` (any, when ``spec`` is None)."""
    parsed = []
    for v in versions:
        try:
            parsed.append((SemVer.parse(v), v))
        except ValueError:
            continue
    pred: Predicate = parse_range(spec) if spec else (lambda v: not v.pre)
    matching = [p for p in parsed if pred(p[0])]
    if not matching and spec is None:
        matching = parsed
    return max(matching)[1] if matching else None
