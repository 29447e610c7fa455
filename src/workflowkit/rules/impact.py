"""How a change to a rule set changes the resolution of a batch of items.

``impact(old, new, items)`` resolves every item under both rule sets and reports, per
field, how many items' values (or only their sources) changed, how publish decisions
moved, and each changed item with its before and after. Meant for reviewing a rules
change in a pull request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from workflowkit.rules.fields import FIELDS
from workflowkit.rules.item import Item, Mode
from workflowkit.rules.models import RuleSet
from workflowkit.rules.resolution import Categoriser, Resolution, Suggester, resolve


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one item, before and after."""

    field: str
    old: Any
    new: Any
    old_source: str
    new_source: str

    @property
    def value_changed(self) -> bool:
        return bool(self.old != self.new)

    def to_data(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "old": _plain(self.old),
            "new": _plain(self.new),
            "old_source": self.old_source,
            "new_source": self.new_source,
        }


@dataclass(frozen=True, slots=True)
class ItemImpact:
    """Everything that changed for one item."""

    item: str
    fields: tuple[FieldChange, ...]
    publish: tuple[str, str] | None
    publish_reasons: tuple[str, str] | None
    line_items: tuple[bool, bool] | None
    split_changed: bool
    notes_changed: bool

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"item": self.item, "fields": [f.to_data() for f in self.fields]}
        if self.publish is not None and self.publish_reasons is not None:
            out["publish"] = {
                "old": self.publish[0],
                "new": self.publish[1],
                "old_reason": self.publish_reasons[0],
                "new_reason": self.publish_reasons[1],
            }
        if self.line_items is not None:
            out["line_items"] = {"old": self.line_items[0], "new": self.line_items[1]}
        out["split_changed"] = self.split_changed
        out["notes_changed"] = self.notes_changed
        return out


@dataclass(frozen=True, slots=True)
class Impact:
    """The effect of a rules change on a batch of items."""

    items: int
    values: dict[str, int]
    """Per field: items whose value changed."""
    sources: dict[str, int]
    """Per field: items whose value stayed the same but now comes from another source."""
    publish: dict[str, int]
    """``"old -> new"`` publish actions, counted."""
    line_items: int
    split: int
    notes: int
    changed: tuple[ItemImpact, ...]

    @property
    def changed_items(self) -> int:
        return len(self.changed)

    def to_data(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "changed_items": self.changed_items,
            "values": self.values,
            "sources": self.sources,
            "publish": self.publish,
            "line_items": self.line_items,
            "split": self.split,
            "notes": self.notes,
            "changed": [c.to_data() for c in self.changed],
        }

    def to_text(self) -> str:
        lines = [f"{self.items} item(s), {self.changed_items} changed", ""]
        lines.append(f"{'FIELD':<16}{'VALUE CHANGED':>14}{'SOURCE ONLY':>13}")
        for name in FIELDS:
            lines.append(f"{name:<16}{self.values[name]:>14}{self.sources[name]:>13}")
        lines.append("")
        if self.publish:
            for move, n in self.publish.items():
                lines.append(f"publish {move}: {n}")
        else:
            lines.append("publish: no change")
        lines.append(f"line item extraction changed: {self.line_items}")
        lines.append(f"Smart Split changed: {self.split}")
        lines.append(f"workflow notes changed: {self.notes}")
        if self.changed:
            lines.append("")
            lines.append("changed items:")
        for c in self.changed:
            lines.append(f"  {c.item}")
            for f in c.fields:
                if f.value_changed:
                    lines.append(
                        f"    {f.field}: {f.old!r} ({f.old_source}) -> {f.new!r} ({f.new_source})"
                    )
                else:
                    lines.append(
                        f"    {f.field}: {f.new!r} now from {f.new_source} (was {f.old_source})"
                    )
            if c.publish is not None and c.publish_reasons is not None:
                lines.append(
                    f"    publish: {c.publish[0]} -> {c.publish[1]} ({c.publish_reasons[1]})"
                )
            if c.line_items is not None:
                lines.append(f"    line items: {c.line_items[0]} -> {c.line_items[1]}")
            if c.split_changed:
                lines.append("    Smart Split lines changed")
            if c.notes_changed:
                lines.append("    workflow notes changed")
        return "\n".join(lines)


def _compare(key: str, a: Resolution, b: Resolution) -> ItemImpact | None:
    fields = []
    for name in FIELDS:
        sa, sb = a.source(name), b.source(name)
        va, vb = a.value(name), b.value(name)
        if va != vb or (sa.layer, sa.rule, sa.fill) != (sb.layer, sb.rule, sb.fill):
            fields.append(FieldChange(name, va, vb, sa.describe(), sb.describe()))
    pa, pb = a.publish, b.publish
    publish = (pa.action.value, pb.action.value) if pa != pb else None
    reasons = (pa.reason, pb.reason) if pa != pb else None
    la, lb = a.extract_line_items, b.extract_line_items
    line_items = (la, lb) if la != lb else None
    split_changed = a.split != b.split or str(a.split_error) != str(b.split_error)
    notes_changed = a.notes != b.notes
    if (
        not fields
        and publish is None
        and line_items is None
        and not (split_changed or notes_changed)
    ):
        return None
    return ItemImpact(
        key, tuple(fields), publish, reasons, line_items, split_changed, notes_changed
    )


def impact(
    old: RuleSet,
    new: RuleSet,
    items: Iterable[Item],
    *,
    mode: Mode | str = Mode.NEW,
    categoriser: Categoriser | None = None,
    suggester: Suggester | None = None,
) -> Impact:
    """Resolve ``items`` under ``old`` and ``new`` and report what changed."""
    values = dict.fromkeys(FIELDS, 0)
    sources = dict.fromkeys(FIELDS, 0)
    publish: dict[str, int] = {}
    line_items = split = notes = 0
    changed: list[ItemImpact] = []
    count = 0
    for k, item in enumerate(items):
        count += 1
        a = resolve(item, old, mode=mode, categoriser=categoriser, suggester=suggester)
        b = resolve(item, new, mode=mode, categoriser=categoriser, suggester=suggester)
        found = _compare(item.id or f"#{k + 1}", a, b)
        if found is None:
            continue
        changed.append(found)
        for f in found.fields:
            if f.value_changed:
                values[f.field] += 1
            else:
                sources[f.field] += 1
        if found.publish is not None:
            move = f"{found.publish[0]} -> {found.publish[1]}"
            publish[move] = publish.get(move, 0) + 1
        line_items += found.line_items is not None
        split += found.split_changed
        notes += found.notes_changed
    return Impact(
        items=count,
        values=values,
        sources=sources,
        publish=dict(sorted(publish.items())),
        line_items=line_items,
        split=split,
        notes=notes,
        changed=tuple(changed),
    )
