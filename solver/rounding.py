"""Rounding like a textbook: every recorded value of a named kind of quantity is rounded before
later steps use it, to N decimals or N significant figures, half away from zero (0.0005 → 0.001
at 3 decimals), from the number's shortest decimal text (2.675 → 2.68 at 2 decimals, as written).

The convention is `rounding` in a [conventions] table (solver/conventions.py reads it):
``{ decimals = 4 }`` or ``{ significant = 3 }`` for every kind of quantity, or a table per kind,
``{ activation = { decimals = 3 }, delta = { decimals = 4 } }``; a kind not named is not rounded.
Which steps belong to which kind of quantity is one table, STEP_CATEGORIES; given values and
steps of other kinds are never rounded. The Recorder (solver/engine/steps.py) applies it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

import numpy as np

from solver.fields import FieldReader, join

CATEGORIES = ("net", "activation", "derivative", "loss", "delta", "gradient", "weight", "state")
"""The kinds of quantity a rounding convention names, in the order a sheet lists them."""

CATEGORY_WORDS = {
    "net": "net inputs",
    "activation": "activations",
    "derivative": "derivatives $f'$",
    "loss": "losses",
    "delta": r"error terms $\delta$",
    "gradient": "gradients",
    "weight": "updated weights and biases",
    "state": "optimiser states",
}

STEP_CATEGORIES: dict[str, str] = {
    # net inputs, and batch norm's normalised and scaled net inputs
    "net": "net", "net input": "net", "normalized net": "net", "scaled net": "net",
    "activation": "activation", "dropped activation": "activation",
    "derivative": "derivative",
    "loss": "loss", "epoch loss": "loss", "regularised loss": "loss", "penalty": "loss",
    "delta": "delta", "error": "delta",
    "weight gradient": "gradient", "bias gradient": "gradient", "gradient": "gradient",
    "clipped gradient": "gradient", "penalty gradient": "gradient", "regularised gradient": "gradient",
    "scale gradient": "gradient", "shift gradient": "gradient",
    "updated weights": "weight", "updated biases": "weight", "updated parameter": "weight",
    "updated scales": "weight", "updated shifts": "weight",
    "optimizer state": "state", "corrected state": "state",
}
"""Step kind (Step.kind, as the engines record it) → the kind of quantity it is rounded as.
A step kind not listed here (a given value, a count, a class, a gradient check's shifted loss,
batch statistics…) is never rounded."""

RULE_KEYS = ("decimals", "significant")
MAX_DECIMALS = 15
MAX_SIGNIFICANT = 17
_CONTEXT = Context(prec=400)  # enough digits to quantize any float64 to 15 decimals exactly


@dataclass(frozen=True)
class Rule:
    """Round to `digits` decimals (`significant` False) or significant figures (True)."""

    digits: int
    significant: bool = False

    def apply(self, value: float) -> float:
        """`value` rounded half away from zero from its shortest decimal text; 0 stays 0 (never -0)."""
        if value == 0 or not math.isfinite(value):
            return value
        written = Decimal(repr(float(value)))
        exponent = written.adjusted() - self.digits + 1 if self.significant else -self.digits
        return float(written.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP, context=_CONTEXT)) + 0.0

    def words(self) -> str:
        unit = "significant figure" if self.significant else "decimal"
        return f"{self.digits} {unit}{'s' if self.digits != 1 else ''}"


@dataclass(frozen=True)
class Rounding:
    """The rule for each kind of quantity that is rounded, in CATEGORIES order; none by default."""

    rules: tuple[tuple[str, Rule], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.rules)

    def rule_for(self, step_kind: str) -> Rule | None:
        """The rule a step of `step_kind` is rounded by, or None."""
        category = STEP_CATEGORIES.get(step_kind)
        return dict(self.rules).get(category) if category else None

    def apply(self, step_kind: str, value: Any) -> np.ndarray | None:
        """`value` rounded as its step kind asks, as a float array; None when the kind is not rounded."""
        rule = self.rule_for(step_kind)
        if rule is None:
            return None
        array = np.asarray(value, dtype=float)
        return np.vectorize(rule.apply, otypes=[float])(array) if array.size else array

    def as_data(self) -> dict[str, dict[str, int]]:
        """The convention as a table, as an exercise file writes it per kind (for JSON)."""
        return {category: {"significant" if rule.significant else "decimals": rule.digits}
                for category, rule in self.rules}

    def sentence(self) -> str:
        """What a sheet says about it: which quantities are rounded to what."""
        rules = dict(self.rules)
        if len(rules) == len(CATEGORIES) and len(set(rules.values())) == 1:
            named = f"every computed value (net inputs, activations, …, optimiser states) to {rules['net'].words()}"
        else:
            named = _series([f"{CATEGORY_WORDS[category]} to {rule.words()}" for category, rule in self.rules])
        return (f"Intermediate values are rounded as a textbook rounds them, before later steps use them: {named} "
                "(half away from zero); given values are not rounded.")


def _series(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def read_rounding(read: FieldReader, data: Any, where: str) -> Rounding:
    """`rounding` at `where`: ``{decimals = N}`` or ``{significant = N}`` for every kind of
    quantity, or a table per kind of quantity (CATEGORIES), each such a rule; {} for none."""
    read.table(data, where, set(RULE_KEYS) | set(CATEGORIES))
    uniform = [key for key in RULE_KEYS if key in data]
    named = [key for key in CATEGORIES if key in data]
    if uniform and named:
        raise read.error(join(where, named[0]), "give decimals or significant for every quantity, or a table per "
                                                "kind of quantity, not both")
    if uniform:
        rule = _rule(read, data, where)
        return Rounding(tuple((category, rule) for category in CATEGORIES))
    return Rounding(tuple((category, _rule(read, read.table(data[category], join(where, category), set(RULE_KEYS)),
                                           join(where, category))) for category in named))


def _rule(read: FieldReader, data: dict, where: str) -> Rule:
    given = [key for key in RULE_KEYS if key in data]
    if len(given) != 1:
        raise read.error(where, "expected exactly one of decimals = N or significant = N"
                                + (", not both" if given else ""))
    if given[0] == "decimals":
        return Rule(read.integer(data, "decimals", where, minimum=0, maximum=MAX_DECIMALS))
    return Rule(read.integer(data, "significant", where, minimum=1, maximum=MAX_SIGNIFICANT), significant=True)


def rounds(exercise: Any) -> bool:
    """Whether any part of `exercise` (of any kind) rounds intermediates."""
    return any(getattr(part.conventions, "rounding", None) for part in exercise.parts)


def without_rounding(exercise: Any) -> Any:
    """`exercise` with every part's rounding taken away: the full-precision chain a checker
    also accepts."""
    parts = tuple(replace(part, conventions=replace(part.conventions, rounding=Rounding()))
                  if getattr(part.conventions, "rounding", None) else part for part in exercise.parts)
    return replace(exercise, parts=parts)
