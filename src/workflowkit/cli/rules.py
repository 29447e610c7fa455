"""``workflowkit rules explain|impact``: why an item is coded as it is, and what a rules
change would change.

- ``rules explain RULESET ITEM`` prints each field, its value, where it came from and
  what it beat, then the publish decision and its reason. Exit 0; 2 for bad input.
- ``rules impact OLD NEW ITEMS`` resolves a batch of items (JSON or CSV) under both rule
  sets and prints the counts per field and the changed items. Always exit 0 on valid
  input (it is meant for pull request review); 2 for bad input.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

FORMATS = ("text", "json")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "rules",
        help="explain how rules code an item, or the impact of a rules change",
        description="Rules and automation: explain one item's resolution, or show how a "
        "rule set change would change a batch of items.",
    )
    actions = p.add_subparsers(dest="rules_action", metavar="ACTION", parser_class=type(p))

    ex = actions.add_parser(
        "explain",
        help="each field of an item: value, source and what it beat",
        description="Apply RULESET to the item in ITEM (a .json, .yaml or .csv file with "
        "one item, or several and --id) and explain every field and the publish decision.",
    )
    ex.add_argument("ruleset", metavar="RULESET", help="a RuleSet file")
    ex.add_argument("item", metavar="ITEM", help="the item (.json, .yaml or .csv)")
    ex.add_argument("--id", default=None, help="the item to explain when ITEM holds several")
    _common(ex)
    ex.set_defaults(func=run_explain)

    im = actions.add_parser(
        "impact",
        help="how a rules change changes a batch of items (for pull request review)",
        description="Resolve the items in ITEMS (.json or .csv) under OLD and NEW rule sets "
        "and show, per field, how many items change, then each changed item. Exit 0.",
    )
    im.add_argument("old", metavar="OLD", help="the rule set before the change")
    im.add_argument("new", metavar="NEW", help="the rule set after the change")
    im.add_argument("items", metavar="ITEMS", help="items (.json or .csv)")
    _common(im)
    im.set_defaults(func=run_impact)
    p.set_defaults(func=lambda args: _usage(p))


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", "-f", choices=FORMATS, default="text")
    p.add_argument(
        "--mode",
        choices=("new", "inbox"),
        default="new",
        help="new: just extracted (default); inbox: 'Apply to all inbox items'",
    )
    p.add_argument(
        "--categoriser", metavar="MODEL", help="a saved auto-categorisation model (JSON)"
    )
    p.add_argument("--suggester", metavar="MODEL", help="a saved Smart Suggestions model (JSON)")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _models(args: argparse.Namespace) -> tuple[Any, Any]:
    from workflowkit.rules.learn import NaiveBayesLearner, SmartSuggester

    categoriser = NaiveBayesLearner.load(args.categoriser) if args.categoriser else None
    suggester = SmartSuggester.load(args.suggester) if args.suggester else None
    return categoriser, suggester


def _ruleset(path: str) -> Any:
    from workflowkit.source.workspace import load_spec

    return load_spec(path, "RuleSet")


def run_explain(args: argparse.Namespace) -> int:
    from workflowkit.rules.errors import ItemError
    from workflowkit.rules.items_io import read_items
    from workflowkit.rules.resolution import resolve

    ruleset = _ruleset(args.ruleset)
    items = read_items(args.item)
    if args.id is not None:
        chosen = [i for i in items if i.id == args.id]
        if not chosen:
            known = ", ".join(i.id for i in items[:10] if i.id)
            raise ItemError(f"{args.item}: no item with id {args.id!r} (ids: {known or 'none'})")
        item = chosen[0]
    elif len(items) == 1:
        item = items[0]
    else:
        raise ItemError(f"{args.item}: holds {len(items)} items; choose one with --id")
    categoriser, suggester = _models(args)
    res = resolve(item, ruleset, mode=args.mode, categoriser=categoriser, suggester=suggester)
    explanation = res.explain()
    if args.format == "json":
        from workflowkit.cli.outputs.base import render
        from workflowkit.cli.outputs.rules import RulesExplainOutput

        print(render(RulesExplainOutput, explanation.to_data()))
    else:
        from workflowkit.cli.safe_text import emit

        emit(explanation.to_text())
    return 0


def run_impact(args: argparse.Namespace) -> int:
    from workflowkit.rules.impact import impact
    from workflowkit.rules.items_io import read_items

    old = _ruleset(args.old)
    new = _ruleset(args.new)
    items = read_items(args.items)
    categoriser, suggester = _models(args)
    report = impact(old, new, items, mode=args.mode, categoriser=categoriser, suggester=suggester)
    if args.format == "json":
        from workflowkit.cli.outputs.base import render
        from workflowkit.cli.outputs.rules import RulesImpactOutput

        print(render(RulesImpactOutput, report.to_data()))
    else:
        from workflowkit.cli.safe_text import emit

        emit(report.to_text())
    return 0
