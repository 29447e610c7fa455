"""Rules and automation: precedence with explanations, auto-categorisation, Smart Split.

``resolve(item, ruleset)`` applies a ``RuleSet`` to an ``Item`` and returns a
``Resolution``: the final value of every field with where it came from (and, on
demand, what it beat), the workflow notes, the Smart Split lines, whether line items are
extracted, and the publish decision with its reason. See ``docs/rules.md``.
"""

from workflowkit.rules.decisions import (
    LineItemsDecision,
    Prediction,
    PublishAction,
    PublishDecision,
    Source,
)
from workflowkit.rules.errors import (
    ItemError,
    LearnerError,
    SplitError,
    SplitMissingTotalError,
    SplitOverHundredError,
    SplitOverTotalError,
    SplitPrecisionError,
    SplitTooLongError,
)
from workflowkit.rules.explain import Candidate, Explanation, FieldProvenance
from workflowkit.rules.fields import FIELDS, FillMode, Layer
from workflowkit.rules.impact import Impact, impact
from workflowkit.rules.item import Approval, Item, ItemType, Mode, Side
from workflowkit.rules.items_io import parse_items, read_items
from workflowkit.rules.learn import (
    NaiveBayesLearner,
    SmartSuggester,
    amount_band,
    train_categoriser,
)
from workflowkit.rules.models import RuleSet
from workflowkit.rules.resolution import Categoriser, Resolution, Suggester, resolve, resolve_all
from workflowkit.rules.split import SplitLine, SplitPlan, places_for, smart_split

__all__ = [
    "FIELDS",
    "Approval",
    "Candidate",
    "Categoriser",
    "Explanation",
    "FieldProvenance",
    "FillMode",
    "Impact",
    "Item",
    "ItemError",
    "ItemType",
    "Layer",
    "LearnerError",
    "LineItemsDecision",
    "Mode",
    "NaiveBayesLearner",
    "Prediction",
    "PublishAction",
    "PublishDecision",
    "Resolution",
    "RuleSet",
    "Side",
    "SmartSuggester",
    "Source",
    "SplitError",
    "SplitLine",
    "SplitMissingTotalError",
    "SplitOverHundredError",
    "SplitOverTotalError",
    "SplitPlan",
    "SplitPrecisionError",
    "SplitTooLongError",
    "Suggester",
    "amount_band",
    "impact",
    "parse_items",
    "places_for",
    "read_items",
    "resolve",
    "resolve_all",
    "smart_split",
    "train_categoriser",
]
