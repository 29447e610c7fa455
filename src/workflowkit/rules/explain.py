"""Why each field has its value: the reference statement of precedence.

For one field, the candidates are listed in priority order: the user rule, the payment
method rule, the supplier/customer rule, the prediction (auto-categorisation or a Smart
Suggestion), the account default and the document's own value. A candidate is
*applicable* when its fill mode lets it (``always``; ``if_blank`` only where the
document gave nothing) and, for a prediction, when the document gave nothing and it is
sure enough (and, for a suggestion, auto-apply is on). The first applicable candidate
wins; every other candidate is reported with the reason it lost.

``resolve`` computes the same winners on its fast path; this module is built on demand,
from the same inputs, when someone asks why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workflowkit.rules.decisions import (
    LineItemsDecision,
    Prediction,
    PublishDecision,
    Source,
)
from workflowkit.rules.fields import FIELDS, N_CODING, Layer
from workflowkit.rules.item import Item, Mode
from workflowkit.rules.split import SplitLine

if TYPE_CHECKING:
    from workflowkit.rules.errors import SplitError
    from workflowkit.rules.resolution import Resolution


@dataclass(frozen=True, slots=True)
class Candidate:
    """One value a field could have taken, and why it won or lost."""

    source: Source
    applicable: bool
    why: str

    def to_data(self) -> dict[str, Any]:
        return {**self.source.to_data(), "applicable": self.applicable, "why": self.why}


@dataclass(frozen=True, slots=True)
class FieldProvenance:
    """A field's value, the source that won, and the candidates it beat."""

    field: str
    value: Any
    winner: Candidate
    beaten: tuple[Candidate, ...]

    @property
    def source(self) -> Source:
        return self.winner.source

    def to_data(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "value": _plain(self.value),
            "source": self.winner.to_data(),
            "beaten": [c.to_data() for c in self.beaten],
        }


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def candidates(res: Resolution, i: int) -> list[tuple[Source, bool, str]]:
    """Every candidate for field ``i`` in priority order, with applicability and the
    reason a non-applicable one does not apply."""
    item: Item = res.item
    rules = res.rules
    stack, user, pay = res.matched
    name = FIELDS[i]
    document = getattr(item, name) if i < N_CODING else None
    blank = document is None
    out: list[tuple[Source, bool, str]] = []

    def rule(src: Source | None) -> None:
        if src is None:
            return
        if src.always or blank:
            out.append((src, True, ""))
        else:
            out.append(
                (src, False, f"fill mode if_blank, and the document already had {_show(document)}")
            )

    if user is not None:
        rule(user.sources[i])
    if pay is not None:
        rule(pay.sources[i])
    rule(stack.contact[i])
    prediction: Prediction | None = res.predictions.get(name)
    if prediction is not None:
        layer = Layer.AUTO_CATEGORISATION if name == "category" else Layer.SMART_SUGGESTION
        src = Source.make(
            name, layer, prediction.model, None, prediction.value, prediction.confidence
        )
        minimum = rules.categorise_min if name == "category" else rules.suggest_min
        if layer is Layer.SMART_SUGGESTION and name not in rules.suggest_apply:
            out.append((src, False, f"auto-apply is off for {name}: a suggestion only"))
        elif prediction.confidence < minimum:
            out.append(
                (
                    src,
                    False,
                    f"confidence {prediction.confidence:.2f} is below the minimum {minimum:.2f}",
                )
            )
        else:
            out.append((src, True, ""))
    rule(rules.account[i])
    out.append((Source.make(name, Layer.DOCUMENT, None, None, document), True, ""))
    return out


def _winner_why(src: Source, document: Any) -> str:
    if src.layer is Layer.DOCUMENT:
        if src.value is None:
            return "no rule sets this field and the document gave nothing"
        return "read from the document; no applicable rule overrides it"
    if src.layer in (Layer.AUTO_CATEGORISATION, Layer.SMART_SUGGESTION):
        return "predicted from past coding; no rule set the field and the document gave nothing"
    if src.fill is not None and document is not None:
        return "the highest applicable candidate; fill mode always overrides the document"
    if src.fill is not None:
        return f"the highest applicable candidate; the document gave nothing ({src.fill.value})"
    return "the highest applicable candidate"


def field_provenance(res: Resolution, i: int) -> FieldProvenance:
    """The full provenance of field ``i`` of a resolution."""
    name = FIELDS[i]
    document = getattr(res.item, name) if i < N_CODING else None
    listed = candidates(res, i)
    win = next(k for k, (_, ok, _) in enumerate(listed) if ok)
    wsrc = listed[win][0]
    winner = Candidate(wsrc, True, _winner_why(wsrc, document))
    beaten: list[Candidate] = []
    for k, (src, ok, why) in enumerate(listed):
        if k == win:
            continue
        if src.layer is Layer.DOCUMENT and src.value is None:
            continue  # nothing was read: not a candidate
        if ok:
            if src.layer is Layer.DOCUMENT:
                why = f"overridden by {wsrc.describe()}"
            else:
                why = f"lower priority than {wsrc.describe()}"
        beaten.append(Candidate(src, ok, why))
    return FieldProvenance(name, res[1][i], winner, tuple(beaten))


@dataclass(frozen=True, slots=True)
class Explanation:
    """Every field's provenance and the decisions about the item."""

    item: Item
    mode: Mode
    fields: tuple[FieldProvenance, ...]
    publish: PublishDecision
    line_items: LineItemsDecision
    notes: tuple[str, ...]
    split: tuple[SplitLine, ...]
    split_error: SplitError | None
    predictions: dict[str, Prediction]

    def field(self, name: str) -> FieldProvenance:
        return self.fields[FIELDS.index(name)]

    def to_data(self) -> dict[str, Any]:
        return {
            "item": self.item.to_data(),
            "mode": self.mode.value,
            "values": {p.field: _plain(p.value) for p in self.fields},
            "fields": [p.to_data() for p in self.fields],
            "publish": self.publish.to_data(),
            "line_items": self.line_items.to_data(),
            "notes": list(self.notes),
            "split": [ln.to_data() for ln in self.split],
            "split_error": str(self.split_error) if self.split_error else None,
            "predictions": {
                k: {
                    "value": _plain(p.value),
                    "confidence": round(p.confidence, 6),
                    "model": p.model,
                }
                for k, p in sorted(self.predictions.items())
            },
        }

    def to_text(self) -> str:
        """A readable table: field, value, source, and what it beat; then the decisions."""
        item = self.item
        who = item.contact_name or item.contact_id or "unknown contact"
        head = (
            f"item {item.id or '(no id)'}: {item.side.value} {item.type.value.replace('_', ' ')} "
            f"from {who!r}"
            + (f", uploaded by {item.uploaded_by}" if item.uploaded_by else "")
            + f" (mode {self.mode.value})"
        )
        rows = [("FIELD", "VALUE", "SOURCE", "BEAT")]
        for p in self.fields:
            beat = [
                f"{c.source.describe()} {_show(c.source.value)}: {c.why}" for c in p.beaten
            ] or ["-"]
            value = "-" if p.value is None else str(p.value)
            rows.append((p.field, value, p.winner.source.describe(), beat[0]))
            rows.extend(("", "", "", extra) for extra in beat[1:])
        widths = [max(len(r[k]) for r in rows) for k in range(3)]
        lines = [head, ""]
        for r in rows:
            cells = "  ".join(r[k].ljust(widths[k]) for k in range(3))
            lines.append(f"{cells}  {r[3]}".rstrip())
        lines.append("")
        lines.append(f"publish: {self.publish.action.value} ({self.publish.reason})")
        li = self.line_items
        lines.append(f"line items: {'extract' if li.extract else 'no'} ({li.reason})")
        for note in self.notes:
            lines.append(f"note: {note}")
        if self.split:
            lines.append("split:")
            for ln in self.split:
                pct = f" {ln.percent}%" if ln.percent is not None else ""
                lines.append(
                    f"  {ln.kind}{pct}: {ln.amount} -> {ln.category or '-'}"
                    + (f" ({ln.description})" if ln.description else "")
                )
        if self.split_error is not None:
            lines.append(f"split: not made: {self.split_error}")
        return "\n".join(lines)


def explain(res: Resolution) -> Explanation:
    """The full explanation of a resolution."""
    return Explanation(
        item=res.item,
        mode=res.mode,
        fields=tuple(field_provenance(res, i) for i in range(len(FIELDS))),
        publish=res.publish,
        line_items=res.line_items,
        notes=res.notes,
        split=res.split,
        split_error=res.split_error,
        predictions=res.predictions,
    )
