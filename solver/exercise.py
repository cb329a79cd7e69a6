"""Exercise files (TOML) → frozen dataclasses, validated with the file and key of every problem.

The format is documented in README.md ("Exercise format") and in the annotated example
`exercises/mlp-5-3-2-sigmoid.toml`. Files are data: they are parsed with tomllib, never executed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from solver.conventions import (
    BATCH_REDUCTIONS,
    DELTA_SIGNS,
    NOTATION_FIELDS,
    NOTATION_PROFILES,
    Conventions,
)
from solver.errors import ExerciseError
from solver.fields import FieldReader, describe, join, read_toml
from solver.symbolic import ACTIVATIONS, LOSSES, activation, loss
from solver.symbolic.activations import custom_family
from solver.symbolic.coupled import coupled_activation, is_coupled
from solver.symbolic.expressions import ExpressionError

MODES = ("stochastic", "batch")
STARTS = ("initial", "previous")
DEFAULT_PRECISION = 6


@dataclass(frozen=True)
class Limits:
    """How big an exercise may be before byhand refuses it: a hand calculation is small, and a
    student's file must not be able to exhaust the memory or time of whoever runs it."""

    parameters: int = 10**6
    steps: int = 10**4


@dataclass(frozen=True)
class Layer:
    """One layer: `units` neurons fed by the previous layer. weights: units × inputs, biases: units × 1.
    `parameters` are the activation's (β, γ …) where the layer sets them."""

    units: int
    activation: str
    weights: np.ndarray
    biases: np.ndarray
    parameters: tuple[tuple[str, float | tuple[float, ...]], ...] = ()
    derivative_at_kink: float | None = None
    expression: str | None = None

    def bound_activation(self):
        """The activation with this layer's parameters: from the catalogue, or the layer's own
        `expression` when the activation is "custom"."""
        if self.activation == "custom" and is_coupled(self.expression):
            return coupled_activation(self.expression, self.parameters, self.units)
        if self.activation == "custom":
            family = custom_family(self.expression, tuple(name for name, _ in self.parameters))
            return family.bind(dict(self.parameters), self.derivative_at_kink)
        return activation(self.activation, dict(self.parameters), self.derivative_at_kink)


@dataclass(frozen=True)
class Network:
    inputs: int
    layers: tuple[Layer, ...]


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
NETWORK_KEYS = {"inputs", "activation", "weights", "biases", "layers", "parameters", "derivative_at_kink", "expression"}
LAYER_KEYS = {"units", "activation", "weights", "biases", "parameters", "derivative_at_kink", "expression"}
TRAINING_KEYS = {"mode", "learning_rate", "loss", "loss_expression", "samples", "probability_clip"}
PART_KEYS = {"name", "title", "start", "train", "add_samples", "queries", "conventions"} | TRAINING_KEYS
CONVENTION_KEYS = {"batch_reduction", "delta", "update_biases", "first_class", "notation", "symbols"}


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
    network = _network(read, data["network"], limits)
    conventions = _conventions(read, data.get("conventions", {}), "conventions", Conventions())
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


def _network(read: FieldReader, data: Any, limits: Limits) -> Network:
    read.table(data, "network", NETWORK_KEYS)
    inputs = read.integer(data, "inputs", "network")
    layers_data = data.get("layers")
    if not isinstance(layers_data, list) or not layers_data:
        raise read.error("network.layers", "expected one or more [[network.layers]] tables")
    # count before any matrix exists, so that units = 10**9 never reaches NumPy
    sizes = [inputs]
    for index, layer_data in enumerate(layers_data):
        read.table(layer_data, f"network.layers[{index}]", LAYER_KEYS)
        sizes.append(read.integer(layer_data, "units", f"network.layers[{index}]"))
    parameters = sum(units * (fan_in + 1) for fan_in, units in zip(sizes, sizes[1:]))
    if parameters > limits.parameters:
        raise read.error("network", f"{parameters:,} weights and biases is more than the limit of "
                                    f"{limits.parameters:,}; raise it with --max-parameters")
    layers = []
    fan_in = inputs
    for index, layer_data in enumerate(layers_data):
        where = f"network.layers[{index}]"
        read.table(layer_data, where, LAYER_KEYS)
        units = read.integer(layer_data, "units", where)
        activation = read.choice(layer_data, "activation", where, (*ACTIVATIONS, "custom"), data.get("activation"))
        if activation == "softmax" and index != len(layers_data) - 1:
            raise read.error(f"{where}.activation", "softmax is supported in the output layer only")
        for key in ("weights", "biases"):
            if key not in layer_data and key not in data:
                raise read.error(f"{where}.{key}", f"missing; give {key} here or once in [network]")
        weights = read.matrix_or_constant(layer_data.get("weights", data.get("weights")), f"{where}.weights", units, fan_in)
        biases = layer_data.get("biases", data.get("biases"))
        biases = (
            read.vector(biases, f"{where}.biases", units, "one per unit")
            if isinstance(biases, list)
            else read.matrix_or_constant(biases, f"{where}.biases", units, 1)
        )
        expression = None
        if activation == "custom":
            source = layer_data if "expression" in layer_data else data
            expression = read.text(source, "expression", where if source is layer_data else "network")
        parameters, kink = _activation_settings(read, layer_data, data, where, units, custom=activation == "custom")
        layer = Layer(units, activation, weights, biases, parameters, kink, expression)
        try:
            bound = layer.bound_activation()
        except ExpressionError as problem:
            raise read.error(f"{where}.expression" if "expression" in layer_data else "network.expression",
                             problem.message) from None
        except KeyError as unknown:
            names = ", ".join(p.name for p in ACTIVATIONS[activation].parameters) or "none"
            raise read.error(f"{where}.parameters.{unknown.args[0]}",
                             f"{activation} has no such parameter; expected {names}") from None
        if not bound.elementwise and activation == "custom" and index != len(layers_data) - 1:
            raise read.error(f"{where}.expression", "a sum over the units couples them; such an activation is "
                                                    "supported in the output layer only")
        if bound.elementwise and bound.expression.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise read.error(f"{where}.parameters", f"these values leave {activation} undefined (a division by 0)")
        layers.append(layer)
        fan_in = units
    return Network(inputs, tuple(layers))


def _activation_settings(read: FieldReader, layer_data: dict, network_data: dict, where: str, units: int,
                         custom: bool):
    """(parameters, derivative_at_kink) of a layer, each falling back to the [network] value.
    A parameter is a number, or a list of one number per unit."""
    source = layer_data if "parameters" in layer_data else network_data
    key = f"{where}.parameters" if "parameters" in layer_data else "network.parameters"
    raw = source.get("parameters", {})
    values = read.table(raw, key, set(raw) if custom and isinstance(raw, dict) else _parameter_names())
    parameters = []
    for name, value in sorted(values.items()):
        if custom and not name.isidentifier():
            raise read.error(f"{key}.{name}", "expected a parameter name made of letters, digits and _")
        if isinstance(value, list):
            parameters.append((name, tuple(read.vector(value, f"{key}.{name}", units, "one per unit")[:, 0])))
        else:
            parameters.append((name, read.number(value, f"{key}.{name}")))
    kink = layer_data.get("derivative_at_kink", network_data.get("derivative_at_kink"))
    where_kink = f"{where}.derivative_at_kink" if "derivative_at_kink" in layer_data else "network.derivative_at_kink"
    return tuple(parameters), (None if kink is None else read.number(kink, where_kink))


def _parameter_names() -> set[str]:
    return {p.name for family in ACTIVATIONS.values() for p in family.parameters}


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
        conventions = _conventions(read, data["conventions"], f"{where}.conventions", conventions)
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


def _conventions(read: FieldReader, data: Any, where: str, inherited: Conventions) -> Conventions:
    read.table(data, where, CONVENTION_KEYS)
    signs = {value: name for name, value in DELTA_SIGNS.items()}
    delta = read.choice(data, "delta", where, tuple(DELTA_SIGNS), signs[inherited.delta_sign])
    notation = inherited.notation
    if "notation" in data:
        notation = NOTATION_PROFILES[read.choice(data, "notation", where, tuple(NOTATION_PROFILES), "zx")]
    symbols = read.table(data.get("symbols", {}), f"{where}.symbols", set(NOTATION_FIELDS))
    notation = replace(notation, **{key: read.symbol(symbols, key, f"{where}.symbols") for key in symbols})
    return Conventions(
        batch_reduction=read.choice(data, "batch_reduction", where, BATCH_REDUCTIONS, inherited.batch_reduction),
        delta_sign=DELTA_SIGNS[delta],
        update_biases=read.boolean(data, "update_biases", where, inherited.update_biases),
        first_class=read.integer(data, "first_class", where, inherited.first_class, minimum=0, maximum=10**6),
        notation=notation,
    )
