"""Drawing one variant's values from a spec with a seeded generator.

The generator is Python's `random.Random(seed)` (the Mersenne Twister, the same sequence on every
machine and Python version since 3.2). Each draw takes `randrange(n)` for the index of a grid
point or a choice, rule after rule in the order of the `[variants]` table, entries in row-major
order. A grid point is from + k·step computed in decimal, so a 0.1 step gives 0.3, not
0.30000000000000004; a whole-number grid gives int.
"""

from __future__ import annotations

import random
from typing import Any

from solver.variants.paths import Key
from solver.variants.spec import Rule, VariantSpec


def draw(spec: VariantSpec, rng: random.Random) -> dict[tuple[Key, ...], Any]:
    """The new value of every varied path, for one variant."""
    return {rule.keys: _value(rule, rng) for rule in spec.rules}


def _value(rule: Rule, rng: random.Random) -> Any:
    if rule.choices and any(isinstance(choice, list) for choice in rule.choices):
        return rule.choices[rng.randrange(len(rule.choices))]  # whole values: one choice for all
    if rule.shape is not None:
        return _shaped(rule, rule.shape, rng)
    return _like(rule, rule.current, rng)


def _shaped(rule: Rule, shape: tuple[int, ...], rng: random.Random) -> Any:
    if not shape:
        return _entry(rule, rng)
    return [_shaped(rule, shape[1:], rng) for _ in range(shape[0])]


def _like(rule: Rule, current: Any, rng: random.Random) -> Any:
    """A value nested like `current`, every entry drawn."""
    if isinstance(current, list):
        return [_like(rule, item, rng) for item in current]
    return _entry(rule, rng)


def _entry(rule: Rule, rng: random.Random) -> Any:
    if rule.choices:
        return rule.choices[rng.randrange(len(rule.choices))]
    point = rule.start + rng.randrange(rule.size) * rule.step
    return int(point) if rule.integer else float(point)
