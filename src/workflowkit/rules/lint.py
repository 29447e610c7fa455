"""The rule set linter, run by ``workflowkit validate``.

In one document (:func:`check_ruleset`): rules for unknown payment methods or users,
two rules for one supplier/customer, payment method or user, duplicate rule ids, a
supplier set to auto-publish while an approval workflow covers all its items, values a
higher layer always overrides, Smart Splits that cannot add up or that clash with line
item extraction, and rules that set nothing. Across documents (:func:`check_workspace`):
rule set ids and clients used twice, and clients no ClientList knows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from workflowkit.errors import Diagnostic
from workflowkit.rules.lint_effects import (
    approval_blocks,
    contacts,
    fold,
    sets_nothing,
    shadowed,
    splits,
    value_of,
)
from workflowkit.rules.models import (
    ContactRule,
    RuleSet,
)
from workflowkit.source.loader import LoadedDocument
from workflowkit.source.models import did_you_mean


def _unknown_payment_methods(rs: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    known = {fold(m) for m in rs.payment_methods}
    declared = sorted(rs.payment_methods)
    out: list[Diagnostic] = []

    def check(name: str, pointer: str, what: str) -> None:
        if fold(name) in known:
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
                value_of(urule.payment_method),
                f"/user_rules/{k}/payment_method",
                f"the user rule for {urule.user!r}",
            )
    for key, layer, k, crule in contacts(rs):
        if crule.payment_method is not None:
            check(
                value_of(crule.payment_method),
                f"/{key}/{k}/payment_method",
                f"{layer.value} rule {crule.id!r}",
            )
    if rs.account.payment_method is not None:
        check(value_of(rs.account.payment_method), "/account/payment_method", "the account default")
    return out


def _unknown_users(rs: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    known = {fold(u) for u in rs.users}
    declared = sorted(rs.users)
    out = []
    for k, urule in enumerate(rs.user_rules):
        if fold(urule.user) in known:
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
    for key, _, k, crule in contacts(rs):
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
            names = {fold(n): n for n in (crule.name, *crule.aliases) if n is not None}
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
            folded = fold(getattr(rule, attr))
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


def lint(rs: RuleSet, doc: LoadedDocument) -> list[Diagnostic]:
    """Every in-document problem of a rule set."""
    out: list[Diagnostic] = []
    for check in (
        _unknown_payment_methods,
        _unknown_users,
        _duplicates,
        approval_blocks,
        shadowed,
        splits,
        sets_nothing,
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
