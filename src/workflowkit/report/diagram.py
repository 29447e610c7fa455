"""The review diagram, laid out from the transition table (``workflowkit.review.table``).

States sit in a row in the order the table first names them; a command that keeps an
instance where it is is listed inside its state's box; a command that moves it is an
arrow, forwards above the row and backwards below it. Positions are computed here, so
the template only draws, and the table itself goes beside the picture as its text.
"""

from __future__ import annotations

from collections.abc import Sequence

from workflowkit.report.model import Diagram, DiagramEdge, DiagramNode, TransitionRow
from workflowkit.review.table import ACTORS, Transition

NEW = "new"
"""The node before ``start``: the instance does not exist yet."""

_WIDTH = 190
_GAP = 110
_LINE = 16
_TOP = 110


def _name(state: object) -> str:
    return NEW if state is None else str(getattr(state, "value", state))


def _label(key: str) -> str:
    return "(no instance)" if key == NEW else key.replace("_", " ")


def layout(transitions: Sequence[Transition]) -> Diagram:
    """The diagram of ``transitions`` (a tuple like ``TRANSITIONS``)."""
    order: list[str] = []
    for t in transitions:
        for state in (_name(t.source), _name(t.target)):
            if state not in order:
                order.append(state)
    loops: dict[str, list[str]] = {k: [] for k in order}
    moves: dict[tuple[str, str], list[str]] = {}
    for t in transitions:
        s, d = _name(t.source), _name(t.target)
        if s == d:
            if t.command not in loops[s]:
                loops[s].append(t.command)
        else:
            labels = moves.setdefault((s, d), [])
            if t.command not in labels:
                labels.append(t.command)
    tallest = max((len(v) for v in loops.values()), default=0)
    height = 44 + _LINE * tallest
    nodes = tuple(
        DiagramNode(
            key=k,
            label=_label(k),
            x=20 + i * (_WIDTH + _GAP),
            y=_TOP,
            width=_WIDTH,
            height=height,
            loops=tuple(loops[k]),
        )
        for i, k in enumerate(order)
    )
    at = {n.key: n for n in nodes}
    edges: list[DiagramEdge] = []
    for (s, d), labels in moves.items():
        a, b = at[s], at[d]
        forward = order.index(d) > order.index(s)
        span = abs(order.index(d) - order.index(s))
        x1, x2 = a.x + a.width // 2 + (20 if forward else -20), b.x + b.width // 2
        if forward:
            y, lift = a.y, -(30 + 30 * span)
        else:
            y, lift = a.y + a.height, 30 + 30 * span
        path = f"M {x1} {y} C {x1} {y + lift} {x2} {y + lift} {x2} {y}"
        mid_y = y + (3 * lift) // 4 + (-6 if forward else 14)
        edges.append(
            DiagramEdge(
                source=s,
                target=d,
                label=" / ".join(labels),
                path=path,
                label_x=(x1 + x2) // 2,
                label_y=mid_y,
            )
        )
    rows = tuple(
        TransitionRow(
            source=_label(_name(t.source)),
            command=t.command,
            target=_label(_name(t.target)),
            actor=ACTORS.get(t.actor, t.actor),
            guard=t.guard,
        )
        for t in transitions
    )
    width = 40 + len(order) * _WIDTH + (len(order) - 1) * _GAP
    return Diagram(
        width=width,
        height=_TOP + height + 110,
        nodes=nodes,
        edges=tuple(edges),
        transitions=rows,
    )
