"""The MLP's part of an exercise file: [network], [training], [conventions] and [[parts]].

[training] holds the defaults of the first part; each part inherits its training settings from
the part before it and overrides what it names. The header (title, …, kind) and each part's
name, title and start are read by solver/exercise.py.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from solver.conventions import Conventions, read_conventions
from solver.exercise import PART_HEADER_KEYS, parts_tables, read_part_header
from solver.errors import Location
from solver.fields import FieldReader, describe, join
from solver.kinds.mlp.gradient_check import GRADIENT_CHECK_KEYS, GradientCheck, check_allowed, read_gradient_check
from solver.kinds.mlp.dropout import check_mask_counts
from solver.kinds.mlp.network import Network, read_network
from solver.kinds.mlp.regularization import Regularization, check_form, read_regularization
from solver.limits import Limits
from solver.symbolic import LOSSES, loss
from solver.symbolic.expressions import ExpressionError
from solver.text import counted
from solver.training import Clipping, Optimizer, Schedule, read_clipping, read_optimizer, read_schedule

MODES = ("stochastic", "batch", "minibatch")
DETAILS = ("first", "all", "summary")


@dataclass(frozen=True)
class Sample:
    """A training pair, both as columns."""

    input: np.ndarray
    target: np.ndarray


@dataclass(frozen=True)
class Training:
    """How a part trains; a part inherits it from the part before it (the first from [training])
    and overrides what it names."""

    mode: str
    learning_rate: float
    loss: str
    samples: tuple[Sample, ...]
    probability_clip: float | None = None
    loss_expression: str | None = None
    optimizer: Optimizer = Optimizer()
    batch_size: int | None = None
    shuffle: bool = False
    seed: int = 0
    epochs: int = 1
    validation: tuple[Sample, ...] = ()
    schedule: Schedule = Schedule()
    clipping: Clipping | None = None
    detail: str = "first"
    regularization: Regularization = Regularization()
    loss_expression_at: Location | None = None
    """Where the file writes the `loss_expression` in force: a loss it cannot give is reported there."""

    @property
    def batch(self) -> int:
        """How many samples one update takes."""
        return {"stochastic": 1, "batch": len(self.samples), "minibatch": self.batch_size or 1}[self.mode]

    @property
    def updates_per_epoch(self) -> int:
        return -(-len(self.samples) // max(1, self.batch))


@dataclass(frozen=True, kw_only=True)
class Part(Training):
    """One question of the exercise: (a), (b)… Settings are already inherited and overridden."""

    name: str
    title: str
    start: str
    train: bool
    queries: tuple[np.ndarray, ...]
    conventions: Conventions
    gradient_check: GradientCheck | None = None
    """Not inherited: only the part that sets gradient_check = true checks its first update."""
    size_at: Location | None = None
    """The key that set how many updates the part makes (its epochs, else its samples): a solution
    that outgrows the step limit while the part trains is reported there."""

    @property
    def rate(self) -> float:
        """η₀: the optimizer table's learning_rate, else the part's."""
        return self.optimizer.learning_rate if self.optimizer.learning_rate is not None else self.learning_rate

    def criterion(self):
        """The loss: from the catalogue, or the part's own `loss_expression` for "custom"."""
        return loss(self.loss, self.loss_expression)

    @property
    def log_clip(self) -> float | None:
        """ε of probability_clip when the loss takes a log of the output (else it clips nothing)."""
        return self.probability_clip if self.probability_clip is not None and self.criterion().uses_log else None

    @property
    def loss_origin(self) -> Location | None:
        """Where the custom loss in force is written; None for a loss from the catalogue."""
        return self.loss_expression_at if self.loss == "custom" else None


KEYS = frozenset({"network", "training", "conventions", "parts"})
SMALLEST_CLIP = 1e-15
"""The smallest probability_clip ε for which 1 − ε differs from 1 in float64 (2⁻⁵³ ≈ 1.1e-16), with room."""
TRAINING_KEYS = {"mode", "learning_rate", "loss", "loss_expression", "samples", "probability_clip", "optimizer",
                 "batch_size", "shuffle", "seed", "epochs", "validation", "schedule", "clipping", "detail",
                 "regularization"}
PART_KEYS = PART_HEADER_KEYS | {"train", "add_samples", "queries", "conventions"} | TRAINING_KEYS | GRADIENT_CHECK_KEYS


def read_mlp(read: FieldReader, data: dict, limits: Limits) -> tuple[Network, tuple[Part, ...]]:
    """The network and the parts of an MLP exercise, from the file's tables other than the header."""
    if "network" not in data:
        raise read.error("network", "missing; expected a [network] table")
    network = read_network(read, data["network"], limits)
    conventions = read_conventions(read, data.get("conventions", {}), "conventions", Conventions())
    if isinstance(data.get("training"), dict) and "gradient_check" in data["training"]:
        raise read.error("training.gradient_check", "gradient_check is a setting of a part, not inherited: put "
                                                    "gradient_check = true in the [[parts]] table to check")
    training = read.table(data.get("training", {}), "training", TRAINING_KEYS)
    defaults = _training(read, training, "training", network, _FIRST_PART_DEFAULTS)
    parts_data = parts_tables(read, data)
    parts: list[Part] = []
    settings = defaults
    for index, part_data in enumerate(parts_data):
        part = _part(read, part_data, index, network, settings, conventions, [p.name for p in parts])
        check_allowed(read, f"parts[{index}]", network, part, limits)
        parts.append(part)
        settings = Training(**{f.name: getattr(part, f.name) for f in fields(Training)})
    parts = _check_size(read, network, parts, limits, training, parts_data)
    check_mask_counts(read, network.layers, parts)
    return network, tuple(parts)


def _check_size(read: FieldReader, network: Network, parts: list[Part], limits: Limits, training: dict,
                parts_data: list) -> list[Part]:
    """The parts, each with the key that set its number of updates; refuses a part whose updates
    would record more steps than the limit, before any is worked, at that key."""
    each = least_steps_per_update(network)
    located = []
    for index, part in enumerate(parts):
        key = (_written_at(training, parts_data, index, ("epochs",))
               or _written_at(training, parts_data, index, ("samples", "add_samples")) or "training")
        updates = part.epochs * part.updates_per_epoch if part.train else 0
        if updates * each > limits.steps:
            raise read.error(key, f"{counted(part.epochs, 'epoch')} of {counted(part.updates_per_epoch, 'update')} "
                                  f"is {counted(updates, 'update')} of at least {each:,} steps each "
                                  f"({updates * each:,} steps), more than the limit of {counted(limits.steps, 'step')}; "
                                  "raise it with --max-steps")
        located.append(replace(part, size_at=read.location(key)) if part.train else part)
    return located


def least_steps_per_update(network: Network) -> int:
    """The fewest steps one update records, whatever the optimiser and settings add: the input, the
    target and the loss, and per layer its weights and biases as given, z, x, δ, ∂E/∂W, ∂E/∂b and
    the new weights (the new biases are left out: `update_biases = false` keeps them; a batch-norm
    layer records γ and β in place of b, which is more)."""
    return 3 + 8 * len(network.layers)


def _written_at(training: dict, parts_data: list, index: int, keys: tuple[str, ...]) -> str | None:
    """The key of the file that sets parts[index]'s value of one of `keys`: the part's own, else
    the nearest part's before it (settings are inherited), else [training]'s; None when none does."""
    for earlier in range(index, -1, -1):
        found = next((key for key in keys if key in parts_data[earlier]), None)
        if found is not None:
            return f"parts[{earlier}].{found}"
    return next((f"training.{key}" for key in keys if key in training), None)


_FIRST_PART_DEFAULTS = Training("stochastic", 1.0, "half_sse", ())


def _training(read: FieldReader, data: Any, where: str, network: Network, inherited: Training) -> Training:
    mode = read.choice(data, "mode", where, MODES, inherited.mode)
    loss_name = read.choice(data, "loss", where, (*LOSSES, "custom"), inherited.loss)
    expression, expression_at = inherited.loss_expression, inherited.loss_expression_at
    if "loss_expression" in data:
        expression = read.text(data, "loss_expression", where)
        expression_at = read.location(join(where, "loss_expression"))
    if loss_name == "custom":
        if expression is None:
            raise read.error(join(where, "loss_expression"), "missing; a custom loss needs loss_expression = \"…\" in x and t")
        try:
            loss(loss_name, expression)
        except ExpressionError as problem:
            raise read.error(join(where, "loss_expression"), problem.message) from None
    rate = read.number(data.get("learning_rate", inherited.learning_rate), join(where, "learning_rate"))
    samples = _samples(read, data["samples"], f"{where}.samples", network) if "samples" in data else inherited.samples
    clip = inherited.probability_clip
    if "probability_clip" in data:
        clip = read.number(data["probability_clip"], join(where, "probability_clip"))
        if not SMALLEST_CLIP <= clip < 0.5:  # below it 1 − ε is 1 in float64, and an output of 1 is not clipped
            raise read.error(join(where, "probability_clip"), f"expected a number from 1e-15 to below 0.5, such as "
                                                              f"1e-12 (closer to 0, 1 − ε is too close to 1 to clip in floating point), got {clip:g}")
    optimizer = inherited.optimizer
    if "optimizer" in data:
        optimizer = read_optimizer(read, data["optimizer"], join(where, "optimizer"), inherited.optimizer)
    batch_size = inherited.batch_size
    if "batch_size" in data:
        batch_size = read.integer(data, "batch_size", where)
    if mode == "minibatch" and batch_size is None:
        raise read.error(join(where, "batch_size"), "missing; mode = \"minibatch\" needs batch_size = k")
    validation = inherited.validation
    if "validation" in data:
        validation = _samples(read, data["validation"], f"{where}.validation", network)
    schedule = read_schedule(read, data["schedule"], join(where, "schedule")) if "schedule" in data else inherited.schedule
    clipping = read_clipping(read, data["clipping"], join(where, "clipping")) if "clipping" in data else inherited.clipping
    regularization = inherited.regularization
    if "regularization" in data:
        regularization = read_regularization(read, data["regularization"], join(where, "regularization"), regularization)
    check_form(read, regularization, optimizer.name, clipping is not None, where, data)
    return Training(
        mode, rate, loss_name, samples, clip, expression, optimizer, batch_size,
        shuffle=read.boolean(data, "shuffle", where, inherited.shuffle),
        seed=read.integer(data, "seed", where, inherited.seed, minimum=0, maximum=2**32 - 1),
        epochs=read.integer(data, "epochs", where, inherited.epochs, maximum=10**6),
        validation=validation,
        schedule=schedule,
        clipping=clipping,
        detail=read.choice(data, "detail", where, DETAILS, inherited.detail),
        regularization=regularization,
        loss_expression_at=expression_at,
    )


def _samples(read: FieldReader, data: Any, where: str, network: Network) -> tuple[Sample, ...]:
    if not isinstance(data, list):
        raise read.error(where, f"expected a list of {{ input = [...], target = [...] }}, got {describe(data)}")
    samples = []
    for index, sample in enumerate(data):
        key = f"{where}[{index}]"
        read.table(sample, key, {"input", "target"})
        for required in ("input", "target"):
            if required not in sample:
                raise read.error(f"{key}.{required}", "missing")
        samples.append(
            Sample(
                read.vector(sample["input"], f"{key}.input", network.inputs, "one per network input"),
                read.vector(sample["target"], f"{key}.target", network.layers[-1].units, "one per output unit"),
            )
        )
    return tuple(samples)


def _part(read, data, index: int, network, inherited: Training, conventions, earlier: list[str]) -> Part:
    where = f"parts[{index}]"
    read.table(data, where, PART_KEYS)
    settings = _training(read, data, where, network, inherited)
    if "add_samples" in data:
        extra = _samples(read, data["add_samples"], f"{where}.add_samples", network)
        settings = replace(settings, samples=settings.samples + extra)
    train = read.boolean(data, "train", where, True)
    if train and not settings.samples:
        raise read.error(f"{where}.samples", "missing; a part that trains needs samples (or set train = false)")
    if train and settings.mode == "minibatch" and settings.batch_size > len(settings.samples):
        key = f"{where}.batch_size" if "batch_size" in data else "training.batch_size"
        raise read.error(key, f"expected at most the {len(settings.samples)} samples, got {settings.batch_size}")
    if train and any(layer.normalization for layer in network.layers):
        _check_batches(read, settings, where, data)
    queries = data.get("queries", [])
    if not isinstance(queries, list):
        raise read.error(f"{where}.queries", f"expected a list of inputs, got {describe(queries)}")
    header = read_part_header(read, data, index, earlier)
    if "conventions" in data:
        conventions = read_conventions(read, data["conventions"], f"{where}.conventions", conventions)
    inherited = {f.name: getattr(settings, f.name) for f in fields(Training)}
    return Part(
        name=header.name,
        title=header.title,
        start=header.start,
        train=train,
        queries=tuple(
            read.vector(q, f"{where}.queries[{i}]", network.inputs, "one per network input") for i, q in enumerate(queries)
        ),
        conventions=conventions,
        gradient_check=read_gradient_check(read, data, where),
        **{**inherited, "samples": settings.samples if train else ()},
    )


def _check_batches(read: FieldReader, settings: Training, where: str, data: dict) -> None:
    """Batch norm needs two or more samples in every update: over one, σ² = 0 and ẑ = 0."""
    key = join(where, "mode") if "mode" in data else "training.mode"
    if settings.batch == 1:
        raise read.error(key, f"batch norm needs two or more samples per update (over one, σ² = 0); "
                              f"mode = \"{settings.mode}\" updates on one sample at a time")
    if len(settings.samples) % settings.batch == 1:
        raise read.error(key, f"batch norm needs two or more samples per update (over one, σ² = 0); the last "
                              f"mini-batch of {len(settings.samples)} samples in batches of {settings.batch} has one")
