"""Exercise files (TOML) → frozen dataclasses, validated with the file and key of every problem.

The format is documented in README.md ("Exercise format") and in the annotated example
`exercises/mlp-5-3-2-sigmoid.toml`. Files are data: they are parsed with tomllib, never executed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from solver.conventions import Conventions, read_conventions
from solver.errors import ExerciseError
from solver.fields import FieldReader, describe, join, read_toml
from solver.limits import Limits
from solver.kinds.mlp.network import Network, read_network
from solver.symbolic import LOSSES, loss
from solver.symbolic.expressions import ExpressionError

MODES = ("stochastic", "batch")
STARTS = ("initial", "previous")
DEFAULT_PRECISION = 6


@dataclass(frozen=True)
class Sample:
    """A training pair, both as columns."""

    input: np.ndarray
    target: np.ndarray


@dataclass(frozen=True)
class Part:
    """One question of the exercise: (a), (b)… Settings are already inherited and overridden."""

    name: str
    title: str
    start: str
    train: bool
    mode: str
    learning_rate: float
    loss: str
    samples: tuple[Sample, ...]
    queries: tuple[np.ndarray, ...]
    conventions: Conventions
    probability_clip: float | None = None
    loss_expression: str | None = None

    def criterion(self):
        """The loss: from the catalogue, or the part's own `loss_expression` for "custom"."""
        return loss(self.loss, self.loss_expression)


@dataclass(frozen=True)
class Exercise:
    path: str
    title: str
    source: str
    description: str
    precision: int
    network: Network
    parts: tuple[Part, ...]
    limits: Limits = Limits()


TOP_KEYS = {"title", "source", "description", "precision", "network", "training", "conventions", "parts"}
TRAINING_KEYS = {"mode", "learning_rate", "loss", "loss_expression", "samples", "probability_clip"}
PART_KEYS = {"name", "title", "start", "train", "add_samples", "queries", "conventions"} | TRAINING_KEYS


def load_exercise(path: str | Path, limits: Limits = Limits()) -> Exercise:
    """Read and validate an exercise file; ExerciseError says what is wrong and where."""
    data, text = read_toml(path, ExerciseError, "an exercise file")
    return parse_exercise(data, str(path), text, limits)


def parse_exercise(data: dict, path: str = "<exercise>", text: str | None = None, limits: Limits = Limits()) -> Exercise:
    """Validate already parsed TOML; `path` names the file in error messages and `text`, when
    given, lets them name the line."""
    read = FieldReader(path, text)
    read.table(data, "", TOP_KEYS)
    if "network" not in data:
        raise read.error("network", "missing; expected a [network] table")
    network = read_network(read, data["network"], limits)
    conventions = read_conventions(read, data.get("conventions", {}), "conventions", Conventions())
    training = read.table(data.get("training", {}), "training", TRAINING_KEYS)
    defaults = _training(read, training, "training", network, _FIRST_PART_DEFAULTS)
    parts_data = data.get("parts", [{"name": "a"}])
    if not isinstance(parts_data, list) or not parts_data:
        raise read.error("parts", "expected one or more [[parts]] tables")
    parts: list[Part] = []
    settings = defaults
    for index, part_data in enumerate(parts_data):
        part = _part(read, part_data, index, network, settings, conventions)
        if part.name in {p.name for p in parts}:
            raise read.error(f"parts[{index}].name", f"expected a name not used by another part, got {part.name!r}")
        parts.append(part)
        settings = _Settings(part.mode, part.learning_rate, part.loss, part.samples, part.probability_clip,
                             part.loss_expression)
    return Exercise(
        path=path,
        title=read.text(data, "title", "", "Untitled exercise"),
        source=read.text(data, "source", "", ""),
        description=read.text(data, "description", "", ""),
        precision=read.integer(data, "precision", "", DEFAULT_PRECISION, maximum=17),
        network=network,
        parts=tuple(parts),
        limits=limits,
    )


@dataclass(frozen=True)
class _Settings:
    """What a part inherits from the part before it (the first part from [training])."""

    mode: str
    learning_rate: float
    loss: str
    samples: tuple[Sample, ...]
    probability_clip: float | None = None
    loss_expression: str | None = None


_FIRST_PART_DEFAULTS = _Settings("stochastic", 1.0, "half_sse", ())


def _training(read: FieldReader, data: Any, where: str, network: Network, inherited: _Settings) -> _Settings:
    mode = read.choice(data, "mode", where, MODES, inherited.mode)
    loss_name = read.choice(data, "loss", where, (*LOSSES, "custom"), inherited.loss)
    expression = inherited.loss_expression
    if "loss_expression" in data:
        expression = read.text(data, "loss_expression", where)
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
        if not 0 < clip < 0.5:
            raise read.error(join(where, "probability_clip"), f"expected a number between 0 and 0.5, such as 1e-12, got {clip}")
    return _Settings(mode, rate, loss_name, samples, clip, expression)


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


def _part(read, data, index: int, network, inherited: _Settings, conventions) -> Part:
    where = f"parts[{index}]"
    read.table(data, where, PART_KEYS)
    settings = _training(read, data, where, network, inherited)
    if "add_samples" in data:
        extra = _samples(read, data["add_samples"], f"{where}.add_samples", network)
        settings = replace(settings, samples=settings.samples + extra)
    train = read.boolean(data, "train", where, True)
    if train and not settings.samples:
        raise read.error(f"{where}.samples", "missing; a part that trains needs samples (or set train = false)")
    queries = data.get("queries", [])
    if not isinstance(queries, list):
        raise read.error(f"{where}.queries", f"expected a list of inputs, got {describe(queries)}")
    start = read.choice(data, "start", where, STARTS, "initial")
    if index == 0 and start == "previous":
        raise read.error(f"{where}.start", "the first part has no previous part; expected 'initial'")
    name = read.text(data, "name", where, chr(ord("a") + index) if index < 26 else f"part{index + 1}")
    if not name or not all(c.isalnum() or c in "-_" for c in name):
        raise read.error(f"{where}.name", f"expected letters, digits, - or _, got {name!r}")
    if "conventions" in data:
        conventions = read_conventions(read, data["conventions"], f"{where}.conventions", conventions)
    return Part(
        name=name,
        title=read.text(data, "title", where, ""),
        start=start,
        train=train,
        mode=settings.mode,
        learning_rate=settings.learning_rate,
        loss=settings.loss,
        samples=settings.samples if train else (),
        queries=tuple(
            read.vector(q, f"{where}.queries[{i}]", network.inputs, "one per network input") for i, q in enumerate(queries)
        ),
        conventions=conventions,
        probability_clip=settings.probability_clip,
        loss_expression=settings.loss_expression,
    )
