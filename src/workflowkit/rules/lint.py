"""The rule set linter, run by ``workflowkit validate``.

In one document (:func:`check_ruleset`): rules for unknown payment methods or users,
two rules for one supplier/customer, payment method or user, duplicate rule ids, a
supplier set to auto-publish while an approval workflow covers all its items, values a
higher layer always overrides, Smart Splits that cannot add up or that clash with line
item extraction, and rules that set nothing. Across documents (:func:`check_workspace`):
rule set ids and clients used twice, and clients no ClientList knows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from workflowkit.errors import Diagnostic, Severity
from workflowkit.rules.fields import CODING_FIELDS, Layer
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
from workflowkit.source.models import did_you_mean

W = Severity.WARNING


def _fold(text: str) -> str:
    return text.casefold()


def _is_always(raw: Any, layer: Layer) -> bool:
    from workflowkit.rules.fields import DEFAULT_FILL, FillMode

    _, fill = fill_of(raw, DEFAULT_FILL[layer])
    return fill is FillMode.ALWAYS


def _value(raw: Any) -> Any:
    return raw.value if isinstance(raw, Filled) else raw


def _contacts(rs: RuleSet) -> Iterator[tuple[str, Layer, int, ContactRule]]:
    for k, rule in enumerate(rs.suppliers):
        yield "suppliers", Layer.SUPPLIER, k, rule
    for k, rule in enumerate(rs.customers):
        yield "customers", Layer.CUSTOMER, k, rule


def _unknown_payment_methods(rs: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    known = {_fold(m) for m in rs.payment_methods}
    declared = sorted(rs.payment_methods)
    out: list[Diagnostic] = []

    def check(name: str, pointer: str, what: str) -> None:
        if _fold(name) in known:
            return
        hint = did_you_mean(name, declared) or (
            f"declare it under `payment_methods:` (known: {', '.join(declared)})"
            if declared
            else "declare the account's payment methods under `payment_methods:`"
        )
        out.append(
            doc.diagnostic(
                "WK501", f"{what} names unknown payment method {name!r}", pointer, hint=hint
            )
        )

    for k, prule in enumerate(rs.payment_method_rules):
        check(
            prule.payment_method,
            f"/payment_method_rules/{k}/payment_method",
            "a payment method rule",
        )
    for k, urule in enumerate(rs.user_rules):
        if urule.payment_method is not None:
            check(
                _value(urule.payment_method),
                f"/user_rules/{k}/payment_method",
                f"the user rule for {urule.user!r}",
            )
    for key, layer, k, crule in _contacts(rs):
        if crule.payment_method is not None:
            check(
                _value(crule.payment_method),
                f"/{key}/{k}/payment_method",
                f"{layer.value} rule {crule.id!r}",
            )
    if rs.account.payment_method is not None:
        check(_value(rs.account.payment_method), "/account/payment_method", "the account default")
    return out


def _unknown_users(rs: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    known = {_fold(u) for u in rs.users}
    declared = sorted(rs.users)
    out = []
    for k, urule in enumerate(rs.user_rules):
        if _fold(urule.user) in known:
            continue
        hint = did_you_mean(urule.user, declared) or (
            "declare it under `users:`"
            if declared
            else "declare the account's users under `users:`"
        )
        out.append(
            doc.diagnostic(
                "WK502",
                f"user rule for unknown user {urule.user!r}",
                f"/user_rules/{k}/user",
                hint=hint,
            )
        )
    return out


def _duplicates(rs: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    ids: dict[str, str] = {}
    for key, _, k, crule in _contacts(rs):
        pointer = f"/{key}/{k}"
        if crule.id in ids:
            out.append(
                doc.diagnostic(
                    "WK508",
                    f"rule id {crule.id!r} is used twice (first at {ids[crule.id]})",
                    pointer + "/id",
                )
            )
        else:
            ids[crule.id] = pointer
    approvals: dict[str, str] = {}
    for k, wf in enumerate(rs.approval_workflows):
        pointer = f"/approval_workflows/{k}"
        if wf.id in approvals:
            out.append(
                doc.diagnostic(
                    "WK508",
                    f"approval workflow id {wf.id!r} is used twice (first at {approvals[wf.id]})",
                    pointer + "/id",
                )
            )
        else:
            approvals[wf.id] = pointer
    for key in ("suppliers", "customers"):
        rules: tuple[ContactRule, ...] = getattr(rs, key)
        by_contact: dict[str, str] = {}
        by_name: dict[str, tuple[str, str]] = {}
        for k, crule in enumerate(rules):
            pointer = f"/{key}/{k}"
            if crule.contact_id is not None:
                first = by_contact.get(crule.contact_id)
                if first is not None:
                    out.append(
                        doc.diagnostic(
                            "WK503",
                            f"two rules for contact id {crule.contact_id!r}: {first!r} and "
                            f"{crule.id!r}",
                            pointer + "/contact_id",
                            hint="merge them into one rule",
                        )
                    )
                else:
                    by_contact[crule.contact_id] = crule.id
            names = {_fold(n): n for n in (crule.name, *crule.aliases) if n is not None}
            for folded, name in names.items():
                seen = by_name.get(folded)
                if seen is not None and seen[0] != crule.id:
                    out.append(
                        doc.diagnostic(
                            "WK503",
                            f"two rules for {key[:-1]} {name!r}: {seen[0]!r} and {crule.id!r} "
                            "(names match case-insensitively)",
                            pointer,
                            hint="merge them into one rule, or drop the alias",
                        )
                    )
                elif seen is None:
                    by_name[folded] = (crule.id, name)
    for key, attr, what in (
        ("payment_method_rules", "payment_method", "payment method"),
        ("user_rules", "user", "user"),
    ):
        seen_keys: dict[str, int] = {}
        for k, rule in enumerate(getattr(rs, key)):
            folded = _fold(getattr(rule, attr))
            if folded in seen_keys:
                out.append(
                    doc.diagnostic(
                        "WK509",
                        f"two rules for {what} {getattr(rule, attr)!r} "
                        f"(/{key}/{seen_keys[folded]} and /{key}/{k})",
                        f"/{key}/{k}/{attr}",
                        hint="merge them into one rule",
                    )
                )
            else:
                seen_keys[folded] = k
    return out


def _covers(wf: ApprovalWorkflow, side: str, rule: ContactRule | None) -> bool:
    """Whether the approval workflow covers every item of ``rule`` (or of the account)."""
    if wf.side != side or wf.item_types or wf.over is not None:
        return False
    if not wf.contacts:
        return True
    if rule is None:
        return False
    names = {_fold(n) for n in (rule.name, *rule.aliases, rule.contact_id) if n is not None}
    return any(_fold(c) in names for c in wf.contacts)


def _approval_blocks(rs: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    out = []
    for key, _, k, crule in _contacts(rs):
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


def _shadowed(rs: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    """Values a higher layer always overrides."""
    out: list[Diagnostic] = []
    # (a) Every user has a user rule that always sets the field: supplier rules (Costs,
    #     where user rules apply) never win it.
    users = {_fold(u) for u in rs.users}
    for name in ("payment_method", "project"):
        always = {
            _fold(u.user)
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
    methods = {_fold(p.payment_method): p for p in rs.payment_method_rules}
    user_sets_method = any(u.payment_method is not None for u in rs.user_rules)
    for key, layer, k, crule in _contacts(rs):
        if crule.payment_method is None or not _is_always(crule.payment_method, layer):
            continue
        if key == "suppliers" and user_sets_method:
            continue
        prule = methods.get(_fold(_value(crule.payment_method)))
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
            value = _value(raw)
            return str(value)
    return None


def _splits(rs: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    out = []
    for key, layer, k, crule in _contacts(rs):
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


def _sets_nothing(rs: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    out = []
    coding = (*CODING_FIELDS, "publish_to")
    for key, layer, k, crule in _contacts(rs):
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


def lint(rs: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    """Every in-document problem of a rule set."""
    out: list[Diagnostic] = []
    for check in (
        _unknown_payment_methods,
        _unknown_users,
        _duplicates,
        _approval_blocks,
        _shadowed,
        _splits,
        _sets_nothing,
    ):
        out.extend(check(rs, doc))
    return out


def check_ruleset(spec: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    """The in-document checker ``workflowkit validate`` runs on a RuleSet."""
    return lint(spec, doc)


def _client_ids(ws: Any) -> set[str] | None:
    """Client ids of the workspace's ClientLists (``None`` when it has none)."""
    lists = list(ws.specs("ClientList"))
    if not lists:
        return None
    ids: set[str] = set()
    for spec in lists:
        for client in getattr(spec, "clients", ()) or ():
            cid = getattr(client, "id", None)
            if isinstance(cid, str):
                ids.add(cid)
    return ids


def _rulesets(ws: Any) -> Iterable[tuple[Any, RuleSet]]:
    for parsed in ws.of_kind("RuleSet"):
        if isinstance(parsed.spec, RuleSet):
            yield parsed, parsed.spec


def check_workspace(ws: Any) -> list[Diagnostic]:
    """Checks across documents: rule set ids and clients used twice, unknown clients."""
    out: list[Diagnostic] = []
    by_id: dict[str, str] = {}
    by_client: dict[str, str] = {}
    clients = _client_ids(ws)
    for parsed, rs in _rulesets(ws):
        doc = parsed.source
        if rs.id in by_id:
            out.append(
                doc.diagnostic(
                    "WK510",
                    f"rule set id {rs.id!r} is also used by {by_id[rs.id]}",
                    "/id",
                )
            )
        else:
            by_id[rs.id] = parsed.name
        if rs.client is None:
            continue
        if rs.client in by_client:
            out.append(
                doc.diagnostic(
                    "WK510",
                    f"client {rs.client!r} already has a rule set in {by_client[rs.client]}",
                    "/client",
                    hint="a client's rules live in one RuleSet",
                )
            )
        else:
            by_client[rs.client] = parsed.name
        if clients is not None and rs.client not in clients:
            out.append(
                doc.diagnostic(
                    "WK511",
                    f"unknown client {rs.client!r}: no ClientList in the workspace has it",
                    "/client",
                    hint=did_you_mean(rs.client, sorted(clients)),
                )
            )
    return out


__all__ = ["check_ruleset", "check_workspace", "lint"]
