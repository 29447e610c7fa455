"""Auto-categorisation and Smart Suggestions: a small, deterministic learner.

``NaiveBayesLearner`` is a multinomial naive Bayes over three kinds of feature of an
item: its supplier (contact id and case-folded name), the words of its description and
the band its total falls in. It learns one target field from items already coded:

- it predicts nothing until it has seen ``min_examples`` coded items, nor for an item
  none of whose features it has seen;
- it gives a confidence: the posterior probability of its answer (0 to 1);
- it is deterministic: the same training items, in any order, give the same model, the
  same JSON and the same predictions (ties go to the alphabetically first value);
- it saves to and loads from JSON.

``train_categoriser`` builds the learner behind auto-categorisation (the
:class:`~workflowkit.rules.resolution.Categoriser` protocol); ``SmartSuggester`` holds
one learner per Smart Suggestion field (the ``Suggester`` protocol). An app can bring
its own model instead: anything with the protocol's one method will do.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from workflowkit.rules.decisions import Prediction
from workflowkit.rules.errors import LearnerError
from workflowkit.rules.fields import CODING_FIELDS, SUGGESTION_FIELDS
from workflowkit.rules.item import Item

FORMAT: Final[str] = "workflowkit/naive-bayes/1"
SUGGESTER_FORMAT: Final[str] = "workflowkit/smart-suggester/1"
_WORD = re.compile(r"[^\W_]{2,}", re.UNICODE)
_BANDS: Final[tuple[tuple[Decimal, str], ...]] = tuple(
    (Decimal(limit), label)
    for limit, label in (
        ("10", "under-10"),
        ("50", "10-50"),
        ("100", "50-100"),
        ("500", "100-500"),
        ("1000", "500-1000"),
        ("5000", "1000-5000"),
        ("25000", "5000-25000"),
    )
)
MAX_WORDS: Final[int] = 40


def amount_band(total: Decimal | None) -> str | None:
    """The band of an amount (by size, whatever its sign): ``under-10`` ... ``25000+``."""
    if total is None:
        return None
    size = abs(total)
    for limit, label in _BANDS:
        if size < limit:
            return label
    return "25000+"


def features(item: Item, *, words: bool = True) -> list[str]:
    """The features of an item, sorted and without repeats."""
    out: set[str] = set()
    if item.contact_id:
        out.add("id:" + item.contact_id)
    if item.contact_name:
        out.add("s:" + item.contact_name.casefold().strip())
    if words and item.description:
        for word in _WORD.findall(item.description.casefold())[:MAX_WORDS]:
            out.add("w:" + word)
    band = amount_band(item.total)
    if band is not None:
        out.add("a:" + band)
    return sorted(out)


class NaiveBayesLearner:
    """A trained model of one target field. Immutable once built; build with
    :meth:`train` or :meth:`from_json`."""

    __slots__ = (
        "_classes",
        "_loglik",
        "_logprior",
        "_unseen",
        "alpha",
        "counts",
        "examples",
        "feature_counts",
        "min_examples",
        "name",
        "target",
        "vocabulary",
    )

    def __init__(
        self,
        *,
        target: str,
        counts: Mapping[str, int],
        feature_counts: Mapping[str, Mapping[str, int]],
        min_examples: int = 20,
        alpha: float = 1.0,
        name: str = "naive-bayes",
    ) -> None:
        if target not in CODING_FIELDS or target in ("due_days",):
            raise LearnerError(f"cannot learn field {target!r}: use a text coding field")
        if min_examples < 1:
            raise LearnerError(f"min_examples must be at least 1, got {min_examples}")
        if not alpha > 0:
            raise LearnerError(f"alpha must be more than 0, got {alpha}")
        self.target = target
        self.min_examples = min_examples
        self.alpha = float(alpha)
        self.name = name
        self.counts = {k: int(counts[k]) for k in sorted(counts)}
        self.feature_counts = {
            k: {f: int(n) for f, n in sorted(feature_counts.get(k, {}).items())}
            for k in self.counts
        }
        self.examples = sum(self.counts.values())
        self.vocabulary = frozenset(f for fc in self.feature_counts.values() for f in fc)
        self._classes = tuple(self.counts)
        n_classes = len(self._classes)
        n_vocab = len(self.vocabulary)
        self._logprior = tuple(
            math.log((self.counts[c] + self.alpha) / (self.examples + self.alpha * n_classes))
            for c in self._classes
        )
        totals = [sum(self.feature_counts[c].values()) for c in self._classes]
        self._unseen = tuple(
            math.log(self.alpha / (t + self.alpha * n_vocab)) if n_vocab else 0.0 for t in totals
        )
        self._loglik = tuple(
            {
                f: math.log((n + self.alpha) / (t + self.alpha * n_vocab))
                for f, n in self.feature_counts[c].items()
            }
            for c, t in zip(self._classes, totals, strict=True)
        )

    # -- training --------------------------------------------------------------
    @classmethod
    def train(
        cls,
        items: Iterable[Item],
        *,
        target: str = "category",
        min_examples: int = 20,
        alpha: float = 1.0,
        name: str = "naive-bayes",
    ) -> NaiveBayesLearner:
        """Learn ``target`` from items already coded (items without it are skipped)."""
        counts: dict[str, int] = {}
        feature_counts: dict[str, dict[str, int]] = {}
        for item in items:
            label = getattr(item, target)
            if label is None:
                continue
            label = str(label)
            counts[label] = counts.get(label, 0) + 1
            table = feature_counts.setdefault(label, {})
            for f in features(item, words=target != "description"):
                table[f] = table.get(f, 0) + 1
        return cls(
            target=target,
            counts=counts,
            feature_counts=feature_counts,
            min_examples=min_examples,
            alpha=alpha,
            name=name,
        )

    # -- predicting ------------------------------------------------------------
    @property
    def ready(self) -> bool:
        """Whether it has seen enough coded items to predict."""
        return self.examples >= self.min_examples and bool(self._classes)

    def predict(self, item: Item) -> Prediction | None:
        """The most likely value of the target field for ``item``, with a confidence, or
        ``None`` before ``min_examples`` coded items or for an item it knows nothing of."""
        if not self.ready:
            return None
        seen = [
            f for f in features(item, words=self.target != "description") if f in self.vocabulary
        ]
        if not seen:
            return None
        scores = []
        for k in range(len(self._classes)):
            loglik = self._loglik[k]
            unseen = self._unseen[k]
            scores.append(self._logprior[k] + sum(loglik.get(f, unseen) for f in seen))
        best = max(range(len(scores)), key=lambda k: (scores[k], -k))
        top = scores[best]
        total = sum(math.exp(s - top) for s in scores)
        return Prediction(self._classes[best], 1.0 / total, self.name)

    def suggest(self, item: Item, field: str) -> Prediction | None:
        """The ``Suggester`` protocol, for this learner's own target field."""
        return self.predict(item) if field == self.target else None

    # -- saving ----------------------------------------------------------------
    def to_data(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "target": self.target,
            "name": self.name,
            "min_examples": self.min_examples,
            "alpha": self.alpha,
            "counts": self.counts,
            "feature_counts": self.feature_counts,
        }

    def to_json(self) -> str:
        """Canonical JSON: the same model always gives the same text."""
        return json.dumps(self.to_data(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_data(cls, data: Any, *, where: str = "model") -> NaiveBayesLearner:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise LearnerError(f"{where}: not a saved {FORMAT} model")
        try:
            counts = data["counts"]
            fcounts = data["feature_counts"]
            if not isinstance(counts, dict) or not isinstance(fcounts, dict):
                raise TypeError("counts and feature_counts must be mappings")
            for table in [counts, *fcounts.values()]:
                if not isinstance(table, dict) or not all(
                    isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
                    for k, v in table.items()
                ):
                    raise TypeError("counts must map text to whole numbers of 0 or more")
            if set(fcounts) - set(counts):
                raise TypeError("feature_counts names a value counts does not have")
            return cls(
                target=str(data["target"]),
                counts=counts,
                feature_counts=fcounts,
                min_examples=int(data["min_examples"]),
                alpha=float(data["alpha"]),
                name=str(data.get("name", "naive-bayes")),
            )
        except LearnerError as exc:
            raise LearnerError(f"{where}: {exc}") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise LearnerError(f"{where}: invalid model: {exc}") from None

    @classmethod
    def from_json(cls, text: str, *, where: str = "model") -> NaiveBayesLearner:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LearnerError(f"{where}: not JSON ({exc.msg} at line {exc.lineno})") from None
        return cls.from_data(data, where=where)

    def save(self, path: str | os.PathLike[str]) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> NaiveBayesLearner:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LearnerError(f"{path}: cannot read the model: {exc}") from None
        return cls.from_json(text, where=str(path))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NaiveBayesLearner) and self.to_data() == other.to_data()

    def __hash__(self) -> int:
        return hash(self.to_json())

    def __repr__(self) -> str:
        return (
            f"NaiveBayesLearner(target={self.target!r}, examples={self.examples}, "
            f"values={len(self._classes)}, ready={self.ready})"
        )


def train_categoriser(
    items: Iterable[Item], *, min_examples: int = 20, alpha: float = 1.0
) -> NaiveBayesLearner:
    """The auto-categorisation learner, trained from coded Costs items."""
    return NaiveBayesLearner.train(
        (i for i in items if i.side.value == "costs"),
        target="category",
        min_examples=min_examples,
        alpha=alpha,
        name="naive-bayes",
    )


class SmartSuggester:
    """Smart Suggestions: one learner per field (project, project 2, description)."""

    __slots__ = ("models",)

    def __init__(self, models: Mapping[str, NaiveBayesLearner]) -> None:
        for field, model in models.items():
            if field not in SUGGESTION_FIELDS:
                raise LearnerError(
                    f"Smart Suggestions cover {', '.join(SUGGESTION_FIELDS)}, not {field!r}"
                )
            if model.target != field:
                raise LearnerError(f"the model for {field!r} learns {model.target!r}")
        self.models = dict(sorted(models.items()))

    @classmethod
    def train(
        cls,
        items: Iterable[Item],
        *,
        fields: Iterable[str] = SUGGESTION_FIELDS,
        min_examples: int = 20,
        alpha: float = 1.0,
    ) -> SmartSuggester:
        coded = list(items)
        return cls(
            {
                f: NaiveBayesLearner.train(
                    coded, target=f, min_examples=min_examples, alpha=alpha, name="naive-bayes"
                )
                for f in fields
            }
        )

    def suggest(self, item: Item, field: str) -> Prediction | None:
        model = self.models.get(field)
        return model.predict(item) if model is not None else None

    def to_json(self) -> str:
        data = {
            "format": SUGGESTER_FORMAT,
            "models": {f: m.to_data() for f, m in self.models.items()},
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str, *, where: str = "suggester") -> SmartSuggester:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LearnerError(f"{where}: not JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(data, dict) or data.get("format") != SUGGESTER_FORMAT:
            raise LearnerError(f"{where}: not a saved {SUGGESTER_FORMAT} suggester")
        models = data.get("models")
        if not isinstance(models, dict):
            raise LearnerError(f"{where}: `models` must be a mapping")
        return cls(
            {
                str(f): NaiveBayesLearner.from_data(m, where=f"{where}: {f}")
                for f, m in models.items()
            }
        )

    def save(self, path: str | os.PathLike[str]) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SmartSuggester:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LearnerError(f"{path}: cannot read the suggester: {exc}") from None
        return cls.from_json(text, where=str(path))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SmartSuggester) and self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash(self.to_json())
