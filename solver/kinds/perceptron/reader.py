"""The perceptron kind's part of an exercise file: labelled samples (or a logic gate by name), the
activation, where the bias stands, and how the rule is run.

    kind = "perceptron"
    dataset = "and"              # a gate: and, or, nand, nor, xor, majority (datasets.py) …
    inputs = 2                   # … with this many inputs (default 2; majority needs it)
    # … or, instead of dataset, the samples:
    samples = [ { input = [0, 1], target = 1 }, … ]
    activation = "threshold"     # Threshold(s) ∈ {0, 1}, or "sign": Sign(s) ∈ {−1, 1}
    bias = "w0"                  # w₀ with x₀ = 1 (seed 003's simplified notation), or "b": a separate b
    learning_rate = 1
    max_epochs = 20
    weights = [0, 0, 0]          # the bias first, then w₁ … wₙ; a number fills all (default 0)
    [[parts]]                    # optional; a part may set its own learning_rate, max_epochs, weights

Inputs are stored as columns, one per sample (n × m), as everywhere in byhand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from solver.arrays import read_only
from solver.conventions import Conventions
from solver.exercise import PART_HEADER_KEYS, parts_tables, read_standalone_part
from solver.fields import FieldReader, closest, describe, join
from solver.kinds.perceptron.datasets import GATE_NAMES, MAX_GATE_INPUTS, gate_samples
from solver.limits import Limits
from solver.text import quoted

RULE_KEYS = frozenset({"learning_rate", "max_epochs", "weights"})
KEYS = frozenset({"dataset", "inputs", "samples", "activation", "bias", "parts"}) | RULE_KEYS
PART_KEYS = PART_HEADER_KEYS | RULE_KEYS
ACTIVATIONS = {"threshold": (0.0, 1.0), "sign": (-1.0, 1.0)}
"""Each activation's two values, (at s ≤ 0, at s > 0), as seed 003 §2.1.1.1–2 defines them."""
BIAS_FORMS = ("w0", "b")
MAX_SAMPLES = 64
MAX_FEATURES = 16
MAX_EPOCHS = 1000
DEFAULT_MAX_EPOCHS = 20


@dataclass(frozen=True)
class Samples:
    """The data: inputs x (n × m, one column per sample), targets t (a column of m, each one of
    the activation's two values), the activation, the bias form, and the gate's name if any."""

    x: np.ndarray
    t: np.ndarray
    activation: str
    bias: str
    dataset: str | None = None

    @property
    def features(self) -> int:
        return self.x.shape[0]

    @property
    def count(self) -> int:
        return self.x.shape[1]

    @property
    def values(self) -> tuple[float, float]:
        """What the activation gives at s ≤ 0 and at s > 0."""
        return ACTIVATIONS[self.activation]


@dataclass(frozen=True)
class Part:
    """One run of the perceptron rule: η, the most epochs, and the starting weights (a column of
    n + 1, the bias first)."""

    name: str
    title: str
    start: str
    learning_rate: float
    max_epochs: int
    weights: np.ndarray
    conventions: Conventions = Conventions()


def read_perceptron_problem(read: FieldReader, data: dict, limits: Limits) -> tuple[Samples, tuple[Part, ...]]:
    """The samples and the parts of a perceptron exercise, from the file's tables other than the header."""
    activation = read.choice(data, "activation", "", tuple(ACTIVATIONS), "threshold")
    bias = read.choice(data, "bias", "", BIAS_FORMS, "w0")
    if ("dataset" in data) == ("samples" in data):
        raise read.error("dataset", "expected either dataset = \"and\" (a logic gate by name) or samples = "
                                    "[{ input = […], target = … }, …], and not both")
    if "dataset" in data:
        samples = _gate(read, data, activation, bias)
    else:
        if "inputs" in data:
            raise read.error("inputs", "inputs = n goes with a dataset; samples give their own inputs")
        samples = _samples(read, data["samples"], activation, bias)
    top = _rule(read, data, "", samples.features, None)
    parts_data = parts_tables(read, data)
    parts: list[Part] = []
    for index, part_data in enumerate(parts_data):
        where = f"parts[{index}]"
        header = read_standalone_part(read, part_data, index, [p.name for p in parts], PART_KEYS,
                                      "a perceptron part starts from its own weights")
        rate, epochs, weights = _rule(read, part_data, where, samples.features, top)
        parts.append(Part(header.name, header.title, header.start, rate, epochs, weights))
    return samples, tuple(parts)


def _gate(read: FieldReader, data: dict, activation: str, bias: str) -> Samples:
    name = read.text(data, "dataset", "")
    if name not in GATE_NAMES:
        raise read.error("dataset", f"unknown gate {quoted(name)}{closest(name.lower(), GATE_NAMES)}; expected one "
                                    f"of {', '.join(GATE_NAMES)}")
    if name == "majority" and "inputs" not in data:
        raise read.error("inputs", "missing; the majority function needs its number of inputs, e.g. inputs = 3")
    inputs = read.integer(data, "inputs", "", 2, minimum=1, maximum=MAX_GATE_INPUTS)
    rows = gate_samples(name, inputs)
    low, high = ACTIVATIONS[activation]
    x = np.array([bits for bits, _ in rows], dtype=float).T
    t = np.array([[high if target else low] for _, target in rows])
    return Samples(read_only(x), read_only(t), activation, bias, name)


def _samples(read: FieldReader, value: Any, activation: str, bias: str) -> Samples:
    wanted = "samples = [{ input = [0, 1], target = 1 }, …]"
    if not isinstance(value, list) or not value:
        raise read.error("samples", f"expected a list of samples, {wanted}, got {describe(value)}")
    if len(value) > MAX_SAMPLES:
        raise read.error("samples", f"{len(value):,} samples; a perceptron exercise has at most {MAX_SAMPLES}")
    columns, targets, features = [], [], None
    for index, sample in enumerate(value):
        where = f"samples[{index}]"
        read.table(sample, where, {"input", "target"})
        if "input" not in sample or "target" not in sample:
            raise read.error(where, f"expected a table with input = […] and target = …, as in {wanted}")
        given = sample["input"]
        if features is None:
            if not isinstance(given, list) or not 1 <= len(given) <= MAX_FEATURES:
                raise read.error(f"{where}.input", f"expected a list of 1 to {MAX_FEATURES} numbers, got "
                                                   f"{describe(given)}")
            features = len(given)
        columns.append(read.vector(given, f"{where}.input", features, "as many inputs as the first sample has"))
        targets.append(_target(read, sample["target"], f"{where}.target", activation))
    return Samples(read_only(np.hstack(columns)), read_only(np.array([[t] for t in targets])), activation, bias)


def _target(read: FieldReader, value: Any, key: str, activation: str) -> float:
    low, high = ACTIVATIONS[activation]
    target = read.number(value, key)
    if target not in (low, high):
        raise read.error(key, f"expected {low:g} or {high:g}, the values of the {activation} activation, got "
                              f"{describe(value)}")
    return target


def _rule(read: FieldReader, data: dict, where: str, features: int,
          inherited: tuple[float, int, np.ndarray] | None) -> tuple[float, int, np.ndarray]:
    """η, the most epochs and the starting weights set in `data`, the rest from `inherited`."""
    rate, epochs, weights = inherited or (1.0, DEFAULT_MAX_EPOCHS, read_only(np.zeros((features + 1, 1))))
    if "learning_rate" in data:
        rate = read.number(data["learning_rate"], join(where, "learning_rate"))
        if rate <= 0:
            raise read.error(join(where, "learning_rate"), f"expected a number > 0, got {rate:g}")
    epochs = read.integer(data, "max_epochs", where, epochs, minimum=1, maximum=MAX_EPOCHS)
    if "weights" in data:
        value = data["weights"]
        key = join(where, "weights")
        if isinstance(value, list):
            weights = read.vector(value, key, features + 1, f"the bias, then one weight per input: {features + 1}")
        else:
            weights = read_only(np.full((features + 1, 1), read.number(value, key)))
    return rate, epochs, weights
