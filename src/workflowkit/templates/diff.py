"""A semantic diff of two versions of a template, for reviewing a change in a pull request.

Both sides are compared resolved (``extends`` and library checks applied), by check id:
checks added, removed, moved, retitled or otherwise changed, and review-policy changes.
The diff also says which semantic-version bump the change calls for, and whether the new
version number makes at least that bump.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from workflowkit.errors import warn_renamed
from workflowkit.templates.resolve import ResolvedCheck, ResolvedTemplate
from workflowkit.templates.versions import SemVer

Bump = Literal["none", "patch", "minor", "major"]
_ORDER: dict[str, int] = {"none": 0, "patch": 1, "minor": 2, "major": 3}

_CHECK_FIELDS = ("title", "guidance", "section", "kind", "data_check", "params", "requires", "tags")
_TEXT_FIELDS = frozenset({"title", "guidance", "section", "tags"})


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class CheckChange:
    """A check present on both sides whose content changed."""

    id: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class Move:
    id: str
    old_position: int
    new_position: int


@dataclass(frozen=True)
class TemplateDiff:
    """What changed between ``old`` and ``new``; empty tuples mean nothing of that sort."""

    template_id: str
    old_version: str
    new_version: str
    added: tuple[tuple[int, ResolvedCheck], ...] = ()
    removed: tuple[tuple[int, ResolvedCheck], ...] = ()
    moved: tuple[Move, ...] = ()
    changed: tuple[CheckChange, ...] = ()
    review: tuple[FieldChange, ...] = ()
    metadata: tuple[FieldChange, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (
            self.added or self.removed or self.moved or self.changed or self.review or self.metadata
        )

    @property
    def retitled(self) -> tuple[CheckChange, ...]:
        return tuple(c for c in self.changed if any(f.field == "title" for f in c.changes))

    @property
    def required_bump(self) -> Bump:
        """The smallest semver bump that honestly describes the change."""
        if self.removed or self.moved:
            return "major"
        if self.review:
            return "major" if any(f.field == "levels" for f in self.review) else "minor"
        behavioural = any(f.field not in _TEXT_FIELDS for c in self.changed for f in c.changes)
        if self.added or behavioural:
            return "minor"
        if self.changed or self.metadata:
            return "patch"
        return "none"

    @property
    def actual_bump(self) -> Bump:
        try:
            old, new = SemVer.parse(self.old_version), SemVer.parse(self.new_version)
        except ValueError:
            return "none"
        if new.major != old.major:
            return "major" if new > old else "none"
        if new.minor != old.minor:
            return "minor" if new > old else "none"
        if new.patch != old.patch or new != old:
            return "patch" if new > old else "none"
        return "none"

    @property
    def bump_ok(self) -> bool:
        return _ORDER[self.actual_bump] >= _ORDER[self.required_bump]

    def to_dict(self) -> dict[str, Any]:
        """Deprecated alias of :meth:`to_data` (goes in 0.3)."""
        warn_renamed("TemplateDiff.to_dict()", "to_data()")
        return self.to_data()

    def to_data(self) -> dict[str, Any]:
        def check(pos: int, c: ResolvedCheck) -> dict[str, Any]:
            return {"id": c.id, "title": c.title, "position": pos + 1}

        return {
            "template": self.template_id,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "added": [check(p, c) for p, c in self.added],
            "removed": [check(p, c) for p, c in self.removed],
            "moved": [
                {"id": m.id, "from": m.old_position + 1, "to": m.new_position + 1}
                for m in self.moved
            ],
            "changed": [{"id": c.id, "changes": [_fc(f) for f in c.changes]} for c in self.changed],
            "retitled": [c.id for c in self.retitled],
            "review": [_fc(f) for f in self.review],
            "metadata": [_fc(f) for f in self.metadata],
            "required_bump": self.required_bump,
            "actual_bump": self.actual_bump,
            "bump_ok": self.bump_ok,
        }


def _fc(f: FieldChange) -> dict[str, Any]:
    return {"field": f.field, "old": _plain(f.old), "new": _plain(f.new)}


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _lcs(a: list[str], b: list[str]) -> set[str]:
    """Ids on the longest common subsequence of two orders: the ones that did not move."""
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            table[i][j] = (
                table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
            )
    keep: set[str] = set()
    i = j = 0
    while i < n and j < m:
        if a[i] == b[j]:
            keep.add(a[i])
            i += 1
            j += 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return keep


def diff_templates(old: ResolvedTemplate, new: ResolvedTemplate) -> TemplateDiff:
    """Compare two resolved templates check by check."""
    old_pos = {c.id: i for i, c in enumerate(old.checks)}
    new_pos = {c.id: i for i, c in enumerate(new.checks)}
    added = tuple((i, c) for i, c in enumerate(new.checks) if c.id not in old_pos)
    removed = tuple((i, c) for i, c in enumerate(old.checks) if c.id not in new_pos)
    common_old = [c.id for c in old.checks if c.id in new_pos]
    common_new = [c.id for c in new.checks if c.id in old_pos]
    stay = _lcs(common_old, common_new)
    moved = tuple(Move(cid, old_pos[cid], new_pos[cid]) for cid in common_new if cid not in stay)
    changed = []
    for c in new.checks:
        if c.id not in old_pos:
            continue
        before = old.checks[old_pos[c.id]]
        fields = tuple(
            FieldChange(name, getattr(before, name), getattr(c, name))
            for name in _CHECK_FIELDS
            if getattr(before, name) != getattr(c, name)
        )
        if fields:
            changed.append(CheckChange(c.id, fields))
    review = tuple(
        FieldChange(name, getattr(old.review, name), getattr(new.review, name))
        for name in type(old.review).model_fields
        if getattr(old.review, name) != getattr(new.review, name)
    )
    metadata = tuple(
        FieldChange(name, getattr(old, name), getattr(new, name))
        for name in ("id", "name", "description", "period")
        if getattr(old, name) != getattr(new, name)
    )
    return TemplateDiff(
        template_id=new.id,
        old_version=old.version,
        new_version=new.version,
        added=added,
        removed=removed,
        moved=moved,
        changed=tuple(changed),
        review=review,
        metadata=metadata,
    )


def _short(value: Any, width: int = 60) -> str:
    text = str(_plain(value))
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(d: TemplateDiff) -> str:
    """A readable summary for a pull request."""
    lines = [f"template {d.template_id}: {d.old_version} -> {d.new_version}"]
    if d.empty:
        lines.append("  no changes")
    for pos, c in d.added:
        lines.append(f"  + added    {c.id} at {pos + 1}: {c.title}")
    for pos, c in d.removed:
        lines.append(f"  - removed  {c.id} (was {pos + 1}): {c.title}")
    for m in d.moved:
        lines.append(f"  ~ moved    {m.id}: {m.old_position + 1} -> {m.new_position + 1}")
    for change in d.changed:
        for f in change.changes:
            verb = "retitled" if f.field == "title" else f"{f.field} changed"
            lines.append(f"  * {change.id}: {verb}: {_short(f.old)!r} -> {_short(f.new)!r}")
    for f in d.review:
        lines.append(f"  * review.{f.field}: {_short(f.old)} -> {_short(f.new)}")
    for f in d.metadata:
        lines.append(f"  * {f.field}: {_short(f.old)!r} -> {_short(f.new)!r}")
    verdict = "ok" if d.bump_ok else "TOO SMALL"
    lines.append(f"version bump: needs {d.required_bump}, got {d.actual_bump} ({verdict})")
    return "\n".join(lines)
