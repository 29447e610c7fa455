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


_PARTIAL = re.compile(
    r"^(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$"
)
_OPERATORS = (">=", "<=", ">", "<", "=", "^", "~")


def _partial(text: str) -> tuple[int | None, int | None, int | None, tuple[str, ...]]:
    """Major, minor, patch (None where left out or a wildcard) and pre-release parts."""
    m = _PARTIAL.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a version or version range")
    parts = [None if g is None or g in "xX*" else int(g) for g in m.groups()[:3]]
    # After a wildcard, nothing more specific may follow (1.x.3 means nothing).
    for i in range(1, 3):
        if parts[i - 1] is None:
            parts[i] = None
    pre = tuple(m.group(4).split(".")) if m.group(4) and parts[2] is not None else ()
    return parts[0], parts[1], parts[2], pre


Predicate = Callable[[SemVer], bool]


def _any(_: SemVer) -> bool:
    return True


def _bounds(
    lo: SemVer | None, hi: SemVer | None, *, lo_open: bool = False, hi_open: bool = True
) -> Predicate:
    def pred(x: SemVer) -> bool:
        if lo is not None and (x <= lo if lo_open else x < lo):
            return False
        return not (hi is not None and (x >= hi if hi_open else x > hi))

    return pred


def _clause(text: str) -> tuple[Predicate, tuple[int, int, int] | None]:
    """One comparator as a predicate, and the version it names when it has a pre-release.

    Partial versions follow npm: ``>1.2`` is ``>=1.3.0``, ``<=1.2`` is ``<1.3.0``,
    ``1.2`` and ``=1.2`` are ``1.2.x``, ``^1.2`` is ``>=1.2.0 <2.0.0``, ``~1.2`` is
    ``>=1.2.0 <1.3.0``, ``^0.2.3`` is ``>=0.2.3 <0.3.0``.
    """
    op = next((o for o in _OPERATORS if text.startswith(o)), "")
    ma, mi, pa, pre = _partial(text[len(op) :])
    named = (ma, mi, pa) if pre and ma is not None and mi is not None and pa is not None else None
    if ma is None:  # *, x: anything (and `<*` or `>*`, which npm also reads as anything)
        return _any, None
    lo = SemVer(ma, mi or 0, pa or 0, pre)
    # The first version past the partial: 1 -> 2.0.0, 1.2 -> 1.3.0, 1.2.3 -> none.
    if mi is None:
        up: SemVer | None = SemVer(ma + 1, 0, 0)
    elif pa is None:
        up = SemVer(ma, mi + 1, 0)
    else:
        up = None
    if op in ("", "="):
        return (_bounds(lo, up) if up is not None else (lambda x: x == lo)), named
    if op == ">=":
        return _bounds(lo, None), named
    if op == ">":
        return (_bounds(up, None) if up is not None else _bounds(lo, None, lo_open=True)), named
    if op == "<":
        return _bounds(None, lo), named
    if op == "<=":
        return (_bounds(None, up) if up is not None else _bounds(None, lo, hi_open=False)), named
    if op == "~":
        hi = SemVer(ma + 1, 0, 0) if mi is None else SemVer(ma, mi + 1, 0)
        return _bounds(lo, hi), named
    # ^: keep the left-most non-zero part fixed.
    if ma > 0 or mi is None:
        hi = SemVer(ma + 1, 0, 0)
    elif mi > 0 or pa is None:
        hi = SemVer(0, mi + 1, 0)
    else:
        hi = SemVer(0, 0, (pa or 0) + 1)
    return _bounds(lo, hi), named


def parse_range(spec: str) -> Predicate:
    """A predicate for a version range; ``ValueError`` with the reason when malformed.

    Comparators joined by commas or spaces must all hold. As in npm, a pre-release
    version (``1.3.0-beta.1``) is in a range only when a comparator names a pre-release
    of the same ``MAJOR.MINOR.PATCH``, so ``^1.2`` never picks up a beta.
    """
    text = spec.strip()
    if not text:
        raise ValueError("an empty version range")
    text = re.sub(r"(>=|<=|>|<|=|\^|~)\s+", r"\1", text)
    clauses = [c for c in re.split(r"[,\s]+", text) if c]
    parsed = [_clause(c) for c in clauses]
    preds = [p for p, _ in parsed]
    allowed = {n for _, n in parsed if n is not None}

    def pred(v: SemVer) -> bool:
        if v.pre and (v.major, v.minor, v.patch) not in allowed:
            return False
        return all(p(v) for p in preds)

    return pred


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
