"""The batchnorm kind's part of an exercise file: one batch through batch normalisation and back.

    kind = "batchnorm"
    samples = [[1.0, 2.0], [3.0, 0.0], [5.0, 4.0]]   # one list of features per sample: m × n
    gamma = [1.0, 0.5]                               # a number, or one per feature
    beta = 0.0                                       # a number, or one per feature
    epsilon = 0.01                                   # optional, > 0; 1e-5 when left out
    upstream = [[0.1, -0.2], [0.3, 0.0], [-0.1, 0.4]]  # ∂L/∂y per sample, the shape of samples
    # … or instead of upstream: loss = "half_sse" (or "sse") and targets = [[…], …] (the shape of samples)
    [[parts]]                                        # optional; a part may give its own upstream,
    name = "a"                                       # or its own loss and targets

Features are stored as columns, as everywhere in byhand: x is n × m, one column per sample, and
μ, σ², γ, β are columns of n. The file is written sample by sample because that is how a batch is
printed in the notes (seed 004: x is (m, n_x)); the reader transposes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from solver.arrays import read_only
from solver.conventions import Conventions
from solver.exercise import PART_HEADER_KEYS, parts_tables, read_standalone_part
from solver.fields import FieldReader, describe, join
from solver.limits import Limits

KEYS = frozenset({"samples", "gamma", "beta", "epsilon", "upstream", "loss", "targets", "parts"})
PART_KEYS = PART_HEADER_KEYS | {"upstream", "loss", "targets"}
LOSSES = ("half_sse", "sse")
DEFAULT_EPSILON = 1e-5
"""PyTorch's and the original paper's implementations' default; an exam usually sets its own."""


@dataclass(frozen=True)
class Batch:
    """The batch x (n features × m samples, one column per sample), the scale γ and shift β
    (columns of n), and ε, added to σ² inside the square root."""

    x: np.ndarray
    gamma: np.ndarray
    beta: np.ndarray
    epsilon: float

    @property
    def features(self) -> int:
        return self.x.shape[0]

    @property
    def samples(self) -> int:
        return self.x.shape[1]


@dataclass(frozen=True)
class Upstream:
    """Where ∂L/∂y comes from: given (`gradient`, n × m), or a loss on y with its targets (n × m)."""

    gradient: np.ndarray | None = None
    loss: str | None = None
    targets: np.ndarray | None = None


@dataclass(frozen=True)
class Part:
    name: str
    title: str
    start: str
    upstream: Upstream
    conventions: Conventions = Conventions()


def read_batchnorm_problem(read: FieldReader, data: dict, limits: Limits) -> tuple[Batch, tuple[Part, ...]]:
    """The batch and the parts of a batchnorm exercise, from the file's tables other than the header."""
    if "samples" not in data:
        raise read.error("samples", "missing; expected samples = [[…], …], one list of features per sample")
    x = _per_sample(read, data["samples"], "samples", None)
    n, m = x.shape
    if x.size > limits.parameters:
        raise read.error("samples", f"more than the limit of {limits.parameters:,} numbers; raise it with "
                                    "--max-parameters")
    if m < 2:
        raise read.error("samples", "a batch of one sample has σ² = 0, so every x̂ = 0/√ε = 0 and y = β whatever "
                                    "x is; batch norm needs m ≥ 2 samples")
    epsilon = read.number(data.get("epsilon", DEFAULT_EPSILON), "epsilon")
    if epsilon <= 0:
        raise read.error("epsilon", f"expected a number > 0 (it keeps √(σ² + ε) away from 0), got {epsilon:g}")
    batch = Batch(x, _per_feature(read, data, "gamma", n, 1.0), _per_feature(read, data, "beta", n, 0.0), epsilon)
    top = _upstream(read, data, "", x.shape)
    parts_data = parts_tables(read, data)
    parts: list[Part] = []
    for index, part_data in enumerate(parts_data):
        where = f"parts[{index}]"
        header = read_standalone_part(read, part_data, index, [p.name for p in parts], PART_KEYS,
                                      "a batch-norm part carries nothing over from the previous one")
        upstream = _upstream(read, part_data, where, x.shape) or top
        if upstream is None:
            key = join(where, "upstream") if "parts" in data else "upstream"  # no [[parts]]: the file's own key
            raise read.error(key, "missing; expected upstream = [[…], …] (∂L/∂y per sample), "
                                                      "or loss = \"half_sse\" with targets = [[…], …]")
        parts.append(Part(header.name, header.title, header.start, upstream))
    return batch, tuple(parts)


def _upstream(read: FieldReader, data: dict, where: str, shape: tuple[int, int]) -> Upstream | None:
    """∂L/∂y as given in `data`, or the loss and targets it comes from; None when neither is there."""
    given = "upstream" in data
    if given and ("loss" in data or "targets" in data):
        raise read.error(join(where, "upstream"), "expected either upstream (∂L/∂y) or a loss with targets, "
                                                  "not both")
    if given:
        return Upstream(gradient=_per_sample(read, data["upstream"], join(where, "upstream"), shape))
    if "loss" not in data and "targets" not in data:
        return None
    if "targets" not in data:
        raise read.error(join(where, "targets"), "missing; a loss needs targets = [[…], …], the shape of samples")
    loss = read.choice(data, "loss", where, LOSSES, "half_sse")
    return Upstream(loss=loss, targets=_per_sample(read, data["targets"], join(where, "targets"), shape))


def _per_sample(read: FieldReader, value: Any, key: str, shape: tuple[int, int] | None) -> np.ndarray:
    """A list of samples, each a list of features, as an n × m array (one column per sample);
    `shape` (n, m), when given, is required."""
    wanted = f"{shape[1]} samples of {shape[0]} features" if shape else "one list of features per sample"
    if not (isinstance(value, list) and value and all(isinstance(row, list) and row for row in value)):
        raise read.error(key, f"expected a list of samples, each a list of numbers ({wanted}), got {describe(value)}")
    features = len(value[0])
    if any(len(row) != features for row in value):
        raise read.error(key, f"expected every sample to have the same number of features ({features}), got "
                              f"{describe(value)}")
    rows = [[read.number(v, f"{key}[{j}][{i}]") for i, v in enumerate(row)] for j, row in enumerate(value)]
    if shape is not None and (features, len(value)) != shape:
        raise read.error(key, f"expected the shape of samples, {wanted}, got {len(value)} samples of {features} "
                              "features")
    return read_only(np.array(rows, dtype=float).T)


def _per_feature(read: FieldReader, data: dict, key: str, features: int, default: float) -> np.ndarray:
    """A number for every feature, or a list of one per feature, as a column."""
    value = data.get(key, default)
    if isinstance(value, list):
        return read.vector(value, key, features, "one per feature")
    return read_only(np.full((features, 1), read.number(value, key)))
