"""A rule set compiled into the indexes ``resolve`` runs on.

Everything that does not depend on the item is worked out here, once:

- every rule value becomes a shared :class:`Source` (layer, rule id, fill mode, value);
- each supplier/customer rule is merged with the account defaults into a ``Stack``: the
  winning layer of every field when the document read it, the fields an ``always`` rule
  wins (``fixed``), and the few fields whose winner changes when the document left them
  blank (``cond``);
- contact rules are indexed by contact id and by case-folded name and alias (and by each
  name as written, so most lookups skip ``casefold``); user and payment method rules by
  case-folded key;
- publish and line item decisions are prebuilt per rule and item type;
- equal tables are shared between stacks, so the hot path stays in the CPU cache.

A resolution records, per field, a small layer code rather than an object: the rule
behind it is the one matched at that layer, kept once per resolution.

Where rules collide (two rules for one supplier, one payment method or one user, which
the linter reports), the winner is chosen by rule id and then content, never by the
order of the file, so resolution does not depend on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from workflowkit.rules.approvals import approval_plans
from workflowkit.rules.decisions import (
    LINE_ITEMS_NO_RULE,
    NO_AUTO_PUBLISH,
    LineItemsDecision,
    PublishAction,
    PublishDecision,
    Source,
)
from workflowkit.rules.fields import (
    DEFAULT_FILL,
    FIELDS,
    LAYER_FIELDS,
    N_CODING,
    Layer,
)
from workflowkit.rules.item import LINE_ITEM_TYPES, ItemType, Side
from workflowkit.rules.models import (
    AccountDefaults,
    ContactRule,
    PaymentMethodRule,
    RuleSet,
    UserRule,
    fill_of,
)
from workflowkit.rules.split import SplitPlan

R = TypeVar("R", bound=BaseModel)
T = TypeVar("T")


def sources_of(
    rule: BaseModel, layer: Layer, rule_id: str, fields: Iterable[str] | None = None
) -> tuple[Source | None, ...]:
    """One ``Source`` (or ``None``) per field for the values a rule sets."""
    allowed = LAYER_FIELDS[Layer.SUPPLIER if layer is Layer.CUSTOMER else layer]
    names = set(fields) if fields is not None else allowed
    default = DEFAULT_FILL[layer]
    out: list[Source | None] = []
    for name in FIELDS:
        raw = getattr(rule, name, None) if name in names and name in allowed else None
        if raw is None:
            out.append(None)
            continue
        value, fill = fill_of(raw, default)
        out.append(
            Source.make(name, layer, rule_id, fill if name in FIELDS[:N_CODING] else None, value)
        )
    return tuple(out)


# Layer codes a resolution records per field (the rule itself is the one matched at that
# layer, kept once per resolution): small ints, so the hot path touches no per-rule object.
USER, PAYMENT, CONTACT, PREDICTED, ACCOUNT, DOCUMENT = range(6)
CODE_OF: dict[Layer, int] = {
    Layer.USER: USER,
    Layer.PAYMENT_METHOD: PAYMENT,
    Layer.SUPPLIER: CONTACT,
    Layer.CUSTOMER: CONTACT,
    Layer.AUTO_CATEGORISATION: PREDICTED,
    Layer.SMART_SUGGESTION: PREDICTED,
    Layer.ACCOUNT: ACCOUNT,
    Layer.DOCUMENT: DOCUMENT,
}

Interner = dict[Any, Any]
"""One shared object per distinct table within a compiled rule set, so stacks of the
same shape share their tables and the hot path stays in the CPU cache."""


def _shared(intern: Interner, entry: tuple[Any, ...]) -> Any:
    """The one tuple equal to ``entry`` (values compared with their types, so ``1`` and
    ``True`` stay apart)."""
    key = tuple((type(v).__name__, v) for v in entry)
    return intern.setdefault(key, entry)


NF: int = len(FIELDS)
"""Offset of the layer codes in a resolution's value-and-code vector."""


class Stack:
    """One supplier/customer rule (or none) merged with the account defaults.

    The hot path works on one list per item: the values of the ``NF`` fields followed
    by their ``NF`` layer codes. It starts as ``[*document values, *tail]`` (``tail``:
    the publishing fields and every field's winning code when the document read it),
    then ``fixed`` sets the coding fields an ``always`` rule wins, and ``cond`` lists
    ``(field, field + NF, code, value)`` for the fields whose winner changes when the
    document left them blank.
    """

    __slots__ = (
        "by_type",
        "categorised_split",
        "codes0",
        "cond",
        "contact",
        "fixed",
        "notes",
        "publish",
        "rule",
        "split",
        "tail",
    )

    def __init__(
        self,
        rule: ContactRule | None,
        contact: tuple[Source | None, ...],
        account: tuple[Source | None, ...],
        publish: PublishDecision,
        line_items: dict[ItemType, LineItemsDecision],
        exceptions: dict[ItemType, PublishDecision],
        intern: Interner,
    ) -> None:
        self.rule = rule
        self.contact = contact
        codes0: list[int] = []
        cond: list[tuple[int, int, int, Any]] = []
        fixed: list[tuple[int, Any]] = []
        publishing: list[Any] = []
        for i in range(NF):
            candidates = [c for c in (contact[i], account[i]) if c is not None]
            present = next((c for c in candidates if c.always), None)
            blank = candidates[0] if candidates else None
            codes0.append(CODE_OF[present.layer] if present is not None else DOCUMENT)
            if blank is not present:
                assert blank is not None
                cond.append((i, i + NF, CODE_OF[blank.layer], blank.value))
            if i >= N_CODING:
                publishing.append(present.value if present is not None else None)
            elif present is not None:
                fixed.append((i, present.value))
        self.codes0: tuple[int, ...] = tuple(codes0)
        self.cond: tuple[tuple[int, int, int, Any], ...] = _shared(
            intern, tuple(_shared(intern, e) for e in cond)
        )
        self.fixed: tuple[tuple[int, Any], ...] = _shared(
            intern, tuple(_shared(intern, e) for e in fixed)
        )
        self.tail: tuple[Any, ...] = _shared(intern, (*publishing, *codes0))
        self.publish = publish
        by_type = {t: (line_items[t], exceptions.get(t)) for t in ItemType}
        key = ("by_type", tuple(sorted(by_type.items())))
        self.by_type: dict[ItemType, tuple[LineItemsDecision, PublishDecision | None]] = (
            intern.setdefault(key, by_type)
        )
        """Per item type: the line item decision, and the account's item type exception
        (a decision not to publish) or ``None``."""
        self.notes: tuple[str, ...] = (
            (rule.workflow_note,) if rule is not None and rule.workflow_note else ()
        )
        self.split = (
            SplitPlan.of(rule.smart_split, rule=rule.id)
            if rule is not None and rule.smart_split is not None
            else None
        )
        self.categorised_split = self.split is not None and self.split.categorised


def _hot(sources: tuple[Source | None, ...]) -> tuple[tuple[int, int, Any, bool], ...]:
    """``(field, field + NF, value, always)`` for the fields a rule sets."""
    return tuple((i, i + NF, s.value, s.always) for i, s in enumerate(sources) if s is not None)


def _spellings(folded: dict[str, T], spellings: Iterable[str]) -> dict[str, T]:
    """The case-folded index plus each name as written, where it finds the same entry,
    so a lookup can skip ``casefold`` for a name written as in the rule."""
    out = dict(folded)
    for name in spellings:
        target = folded.get(name.casefold())
        if target is not None:
            out.setdefault(name, target)
    return out


class UserPlan:
    """A user rule: the fields it sets, as ``(field, value, always)``."""

    __slots__ = ("fields", "rule", "sources")

    def __init__(self, rule: UserRule) -> None:
        self.rule = rule
        self.sources = sources_of(rule, Layer.USER, rule.user)
        self.fields = _hot(self.sources)


class PaymentPlan:
    """A payment method rule: its fields and its auto-publish decision (or ``None``)."""

    __slots__ = ("fields", "fixed", "publish", "rule", "sources")

    def __init__(self, rule: PaymentMethodRule) -> None:
        self.rule = rule
        self.sources = sources_of(rule, Layer.PAYMENT_METHOD, rule.payment_method)
        hot = _hot(self.sources)
        self.fields = tuple(f for f in hot if f[0] < N_CODING)
        """Coding fields: they apply where no user rule won and the fill mode lets them."""
        self.fixed = tuple((i, j, value) for i, j, value, _ in hot if i >= N_CODING)
        """Publishing fields: no user rule sets them, so they always apply."""
        key = rule.payment_method
        self.publish: PublishDecision | None
        if rule.auto_publish == "always":
            self.publish = PublishDecision.to_publish(
                f"payment method rule {key!r} auto-publishes always",
                Layer.PAYMENT_METHOD,
                key,
            )
        elif rule.auto_publish == "never":
            self.publish = PublishDecision(
                PublishAction.INBOX,
                f"payment method rule {key!r} never auto-publishes",
                Layer.PAYMENT_METHOD,
                key,
            )
        else:
            self.publish = None


def _deterministic(rules: Sequence[R], key: Callable[[R], str]) -> list[R]:
    """Rules sorted by key, then by content, so file order never matters."""
    return sorted(rules, key=lambda r: (key(r), r.model_dump_json()))


def _account_publish(account: AccountDefaults) -> PublishDecision:
    if account.auto_publish:
        return PublishDecision.to_publish(
            "the account auto-publishes all items", Layer.ACCOUNT, "account"
        )
    return NO_AUTO_PUBLISH


def _contact_publish(rule: ContactRule, layer: Layer, fallback: PublishDecision) -> PublishDecision:
    if rule.auto_publish is None:
        return fallback
    if rule.auto_publish:
        return PublishDecision.to_publish(
            f"{layer.value} rule {rule.id!r} auto-publishes", layer, rule.id
        )
    return PublishDecision(
        PublishAction.INBOX,
        f"{layer.value} rule {rule.id!r} turns auto-publish off",
        layer,
        rule.id,
    )


def _line_items(rule: ContactRule | None, side: Side) -> dict[ItemType, LineItemsDecision]:
    out: dict[ItemType, LineItemsDecision] = {}
    for t in ItemType:
        if rule is None or not rule.extract_line_items:
            out[t] = LINE_ITEMS_NO_RULE
        elif side is Side.SALES:
            out[t] = LineItemsDecision(
                False, "line item extraction works on Costs items only", rule.id
            )
        elif rule.smart_split is not None:
            out[t] = LineItemsDecision(
                False,
                f"supplier rule {rule.id!r} has a Smart Split, which makes the lines",
                rule.id,
            )
        elif t not in LINE_ITEM_TYPES:
            out[t] = LineItemsDecision(
                False,
                "line item extraction works on invoices, receipts, credit notes and delivery "
                f"notes, not on a {t.value.replace('_', ' ')}",
                rule.id,
            )
        else:
            out[t] = LineItemsDecision(
                True, f"supplier rule {rule.id!r} extracts line items", rule.id
            )
    return out


class ContactIndex:
    """Stacks of one side (Costs: suppliers, Sales: customers) by contact id and name."""

    __slots__ = ("by_id", "by_name", "default", "lookup", "stacks")

    def __init__(
        self,
        rules: Sequence[ContactRule],
        layer: Layer,
        side: Side,
        account: tuple[Source | None, ...],
        account_publish: PublishDecision,
        exceptions: dict[ItemType, PublishDecision],
        intern: Interner,
    ) -> None:
        self.default = Stack(
            None,
            (None,) * len(FIELDS),
            account,
            account_publish,
            _line_items(None, side),
            exceptions,
            intern,
        )
        self.by_id: dict[str, Stack] = {}
        self.by_name: dict[str, Stack] = {}
        self.stacks: dict[str, Stack] = {}
        for rule in _deterministic(rules, lambda r: r.id):
            stack = Stack(
                rule,
                sources_of(rule, layer, rule.id),
                account,
                _contact_publish(rule, layer, account_publish),
                _line_items(rule, side),
                exceptions,
                intern,
            )
            self.stacks.setdefault(rule.id, stack)  # a duplicate id (WK508): first by content
            if rule.contact_id is not None:
                self.by_id.setdefault(rule.contact_id, stack)
            for name in (rule.name, *rule.aliases):
                if name is not None:
                    self.by_name.setdefault(name.casefold(), stack)
        self.by_name = _spellings(
            self.by_name,
            (n for r in rules for n in (r.name, *r.aliases) if n is not None),
        )
        self.lookup = (self.by_id, self.by_name, self.default)

    def find(self, contact_id: str | None, name: str | None) -> Stack | None:
        """The matching rule's stack: by contact id first, then by name or alias."""
        if contact_id is not None:
            found = self.by_id.get(contact_id)
            if found is not None:
                return found
        if name is not None:
            found = self.by_name.get(name)
            return found if found is not None else self.by_name.get(name.casefold())
        return None


class CompiledRules:
    """A rule set ready for ``resolve``. Build with :func:`compile_rules` (or
    ``RuleSet.compiled``, which caches it)."""

    __slots__ = (
        "account",
        "approvals",
        "categorise",
        "categorise_min",
        "compiled",
        "costs",
        "costs_lookup",
        "exceptions",
        "payment_methods",
        "ruleset",
        "sales",
        "sales_lookup",
        "suggest_apply",
        "suggest_min",
        "users",
    )

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.account = sources_of(ruleset.account, Layer.ACCOUNT, "account")
        publish = _account_publish(ruleset.account)
        self.exceptions: dict[ItemType, PublishDecision] = {
            t: PublishDecision(
                PublishAction.INBOX,
                f"the account never auto-publishes a {t.value.replace('_', ' ')} "
                "(an item type exception, which applies at every level)",
                Layer.ACCOUNT,
                "account",
            )
            for t in ruleset.account.auto_publish_exceptions
        }
        intern: Interner = {}
        self.costs = ContactIndex(
            ruleset.suppliers,
            Layer.SUPPLIER,
            Side.COSTS,
            self.account,
            publish,
            self.exceptions,
            intern,
        )
        self.sales = ContactIndex(
            ruleset.customers,
            Layer.CUSTOMER,
            Side.SALES,
            self.account,
            publish,
            self.exceptions,
            intern,
        )
        self.compiled = self
        """Itself, so ``resolve`` reads ``ruleset.compiled`` of a RuleSet or of this."""
        users: dict[str, UserPlan] = {}
        for urule in _deterministic(ruleset.user_rules, lambda r: r.user.casefold()):
            users.setdefault(urule.user.casefold(), UserPlan(urule))
        self.users = _spellings(users, (r.user for r in ruleset.user_rules))
        self.costs_lookup = self.costs.lookup
        self.sales_lookup = self.sales.lookup
        methods: dict[str, PaymentPlan] = {}
        for prule in _deterministic(
            ruleset.payment_method_rules, lambda r: r.payment_method.casefold()
        ):
            methods.setdefault(prule.payment_method.casefold(), PaymentPlan(prule))
        self.payment_methods = _spellings(
            methods, (r.payment_method for r in ruleset.payment_method_rules)
        )
        self.approvals = approval_plans(ruleset.approval_workflows)
        settings = ruleset.settings
        self.categorise = settings.auto_categorisation
        self.categorise_min = settings.auto_categorisation_min_confidence
        self.suggest_apply = frozenset(settings.smart_suggestions.auto_apply)
        self.suggest_min = settings.smart_suggestions.min_confidence

    def index(self, side: Side) -> ContactIndex:
        return self.costs if side is Side.COSTS else self.sales


def compile_rules(ruleset: RuleSet) -> CompiledRules:
    """Compile a rule set (prefer ``ruleset.compiled``, which does this once)."""
    return CompiledRules(ruleset)
