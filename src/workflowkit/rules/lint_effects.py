"""Rule set lint checks for settings that can never take effect: auto-publish under an
approval workflow, values a higher layer always overrides, Smart Splits that cannot add
up, and rules that set nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from workflowkit.errors import Diagnostic, Severity
from workflowkit.rules.fields import CODING_FIELDS, DEFAULT_FILL, FillMode, Layer
from workflowkit.rules.models import (
    AccountDefaults,
    ApprovalWorkflow,
    ContactRule,
    Filled,
    RuleSet,
    fill_of,
)
from workflowkit.rules.split import SplitPlan, places_for
from workflowkit.source.loader import LoadedDocument

W = Severity.WARNING


def fold(text: str) -> str:
    return text.casefold()


def _is_always(raw: Any, layer: Layer) -> bool:
    _, fill = fill_of(raw, DEFAULT_FILL[layer])
    return fill is FillMode.ALWAYS


def value_of(raw: Any) -> Any:
    return raw.value if isinstance(raw, Filled) else raw


def contacts(rs: RuleSet) -> Iterator[tuple[str, Layer, int, ContactRule]]:
    for k, rule in enumerate(rs.suppliers):
        yield "suppliers", Layer.SUPPLIER, k, rule
    for k, rule in enumerate(rs.customers):
        yield "customers", Layer.CUSTOMER, k, rule


def _covers(wf: ApprovalWorkflow, side: str, rule: ContactRule | None) -> bool:
    """Whether the approval workflow covers every item of ``rule`` (or of the account)."""
    if wf.side != side or wf.item_types or wf.over is not None:
        return False
    if not wf.contacts:
        return True
    if rule is None:
        return False
    names = {fold(n) for n in (rule.name, *rule.aliases, rule.contact_id) if n is not None}
    return any(fold(c) in names for c in wf.contacts)


def approval_blocks(rs: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    out = []
    for key, _, k, crule in contacts(rs):
        if not crule.auto_publish:
            continue
        side = "costs" if key == "suppliers" else "sales"
        for wf in rs.approval_workflows:
            if _covers(wf, side, crule):
                out.append(
                    doc.diagnostic(
                        "WK504",
                        f"{key[:-1]} rule {crule.id!r} auto-publishes, but approval workflow "
                        f"{wf.id!r} covers all its items: they are held for approval and never "
                        "auto-publish when they arrive",
                        f"/{key}/{k}/auto_publish",
                        severity=W,
                        hint="turn auto_publish off here, or narrow the approval workflow",
                    )
                )
                break
    if rs.account.auto_publish:
        for wf in rs.approval_workflows:
            if _covers(wf, wf.side, None):
                out.append(
                    doc.diagnostic(
                        "WK504",
                        f"the account auto-publishes all items, but approval workflow {wf.id!r} "
                        f"covers every {wf.side} item: they are held for approval instead",
                        "/account/auto_publish",
                        severity=W,
                    )
                )
                break
    return out


def shadowed(rs: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    """Values a higher layer always overrides."""
    out: list[Diagnostic] = []
    # (a) Every user has a user rule that always sets the field: supplier rules (Costs,
    #     where user rules apply) never win it.
    users = {fold(u) for u in rs.users}
    for name in ("payment_method", "project"):
        always = {
            fold(u.user)
            for u in rs.user_rules
            if getattr(u, name) is not None and _is_always(getattr(u, name), Layer.USER)
        }
        if users and users <= always:
            for k, crule in enumerate(rs.suppliers):
                if getattr(crule, name) is not None:
                    out.append(
                        doc.diagnostic(
                            "WK505",
                            f"supplier rule {crule.id!r} sets {name}, but every user has a user "
                            f"rule that always sets it: this value never applies",
                            f"/suppliers/{k}/{name}",
                            key=True,
                            severity=W,
                        )
                    )
    # (b) A contact rule always sets the payment method, and that method's rule always
    #     sets the same field (and no user rule can change the method).
    methods = {fold(p.payment_method): p for p in rs.payment_method_rules}
    user_sets_method = any(u.payment_method is not None for u in rs.user_rules)
    for key, layer, k, crule in contacts(rs):
        if crule.payment_method is None or not _is_always(crule.payment_method, layer):
            continue
        if key == "suppliers" and user_sets_method:
            continue
        prule = methods.get(fold(value_of(crule.payment_method)))
        if prule is None:
            continue
        for name in (*CODING_FIELDS, "publish_to"):
            if name == "payment_method":
                continue
            mine = getattr(crule, name, None)
            theirs = getattr(prule, name, None)
            if mine is None or theirs is None:
                continue
            if name != "publish_to" and not _is_always(theirs, Layer.PAYMENT_METHOD):
                continue
            out.append(
                doc.diagnostic(
                    "WK505",
                    f"{layer.value} rule {crule.id!r} sets {name}, but its items are always paid "
                    f"by {prule.payment_method!r}, whose payment method rule always sets it: "
                    "this value never applies",
                    f"/{key}/{k}/{name}",
                    key=True,
                    severity=W,
                )
            )
        if crule.auto_publish is not None and prule.auto_publish != "none":
            out.append(
                doc.diagnostic(
                    "WK505",
                    f"{layer.value} rule {crule.id!r} sets auto_publish, but its items are always "
                    f"paid by {prule.payment_method!r}, whose rule says {prule.auto_publish}: "
                    "this setting never applies",
                    f"/{key}/{k}/auto_publish",
                    key=True,
                    severity=W,
                )
            )
    return out


def _currency(rule: ContactRule, account: AccountDefaults) -> str | None:
    for raw in (rule.currency, account.currency):
        if raw is not None:
            value = value_of(raw)
            return str(value)
    return None


def splits(rs: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    out = []
    for key, layer, k, crule in contacts(rs):
        split = crule.smart_split
        if split is None:
            continue
        pointer = f"/{key}/{k}/smart_split"
        plan = SplitPlan.of(split, rule=crule.id)
        places = places_for(_currency(crule, rs.account))
        for problem in plan.static_problems(places):
            message = str(problem).split(": ", 1)[-1]
            out.append(
                doc.diagnostic(
                    "WK506",
                    f"the Smart Split of {layer.value} rule {crule.id!r} cannot add up: {message}",
                    pointer,
                )
            )
        if split.remainder is not None and plan.percent and plan.percent_sum == 100:
            out.append(
                doc.diagnostic(
                    "WK506",
                    f"the Smart Split of {layer.value} rule {crule.id!r} has percentages adding "
                    "up to 100%, so its remainder line is always zero",
                    pointer + "/remainder",
                    key=True,
                    severity=W,
                )
            )
        if crule.extract_line_items:
            out.append(
                doc.diagnostic(
                    "WK507",
                    f"{layer.value} rule {crule.id!r} has a Smart Split and line item extraction: "
                    "the split makes the lines, so turn extraction off",
                    f"/{key}/{k}/extract_line_items",
                    key=True,
                )
            )
    return out


def sets_nothing(rs: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    out = []
    coding = (*CODING_FIELDS, "publish_to")
    for key, layer, k, crule in contacts(rs):
        if (
            all(getattr(crule, f) is None for f in coding)
            and crule.auto_publish is None
            and crule.workflow_note is None
            and crule.smart_split is None
            and not crule.extract_line_items
        ):
            out.append(
                doc.diagnostic(
                    "WK512",
                    f"{layer.value} rule {crule.id!r} matches items but sets nothing",
                    f"/{key}/{k}",
                    severity=W,
                )
            )
        if key == "customers" and crule.extract_line_items:
            out.append(
                doc.diagnostic(
                    "WK512",
                    f"customer rule {crule.id!r} turns on line item extraction, which works on "
                    "Costs items only: it has no effect",
                    f"/{key}/{k}/extract_line_items",
                    key=True,
                    severity=W,
                )
            )
    for k, prule in enumerate(rs.payment_method_rules):
        if prule.auto_publish == "none" and all(
            getattr(prule, f, None) is None
            for f in (*CODING_FIELDS, "publish_to", "bank_account")
            if f != "payment_method"
        ):
            out.append(
                doc.diagnostic(
                    "WK512",
                    f"the payment method rule for {prule.payment_method!r} sets nothing",
                    f"/payment_method_rules/{k}",
                    severity=W,
                )
            )
    for k, urule in enumerate(rs.user_rules):
        if urule.payment_method is None and urule.project is None:
            out.append(
                doc.diagnostic(
                    "WK512",
                    f"the user rule for {urule.user!r} sets nothing",
                    f"/user_rules/{k}",
                    severity=W,
                )
            )
    return out
