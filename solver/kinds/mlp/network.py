"""The network of an exercise: its layers, read from the [network] table of an exercise file.

Each layer has its size, activation (with its parameters, from the catalogue or a custom
expression), weights and biases. The size limit is checked here, before any matrix exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import sympy as sp

from solver.errors import Location
from solver.fields import FieldReader
from solver.kinds.mlp.dropout import Dropout, read_dropout
from solver.kinds.mlp.initialization import Initialization, NetworkStream, read_scheme, read_weights
from solver.limits import Limits
from solver.symbolic import ACTIVATIONS, activation
from solver.symbolic.activation_catalogue import custom_family
from solver.symbolic.coupled import coupled_activation, is_coupled
from solver.symbolic.expressions import CONSTANTS, FUNCTIONS, ExpressionError

NETWORK_KEYS = {"inputs", "activation", "weights", "biases", "layers", "parameters", "derivative_at_kink", "expression",
                "initialization"}
LAYER_KEYS = {"units", "activation", "weights", "biases", "parameters", "derivative_at_kink", "expression",
              "batch_norm", "gamma", "beta", "epsilon", "momentum", "initialization", "dropout"}
NORMALIZATION_KEYS = ("gamma", "beta", "epsilon", "momentum")


@dataclass(frozen=True)
class Normalization:
    """A layer's batch norm (z → BN → f): initial scale γ and shift β (units × 1), the ε under the
    root, and the momentum of the running averages (running ← momentum·running + (1 − momentum)·batch)."""

    gamma: np.ndarray
    beta: np.ndarray
    epsilon: float = 1e-5
    momentum: float = 0.9


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
    normalization: Normalization | None = None
    """Batch norm between z and f; such a layer has no bias (b is redundant with β)."""
    initialization: Initialization | None = None
    """How the weights were drawn, when the exercise gives a scheme instead of weights."""
    dropout: Dropout | None = None
    """Dropout after the activation, in training only."""
    expression_at: Location | None = None
    """Where the file writes `expression`: a value it cannot give is reported there."""

    @property
    def initial_values(self) -> tuple[np.ndarray, ...]:
        """The trained parameters' starting values: (W, b), or (W, γ, β) with batch norm."""
        if self.normalization is not None:
            return self.weights, self.normalization.gamma, self.normalization.beta
        return self.weights, self.biases

    @cached_property
    def function(self):
        """The activation with this layer's parameters: from the catalogue, or the layer's own
        `expression` when the activation is "custom". Worked out once per layer."""
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


def read_network(read: FieldReader, data: Any, limits: Limits) -> Network:
    """The [network] table as a Network; ExerciseError (through `read`) for what is wrong."""
    read.table(data, "network", NETWORK_KEYS)
    inputs = read.integer(data, "inputs", "network")
    layers_data = data.get("layers")
    if not isinstance(layers_data, list) or not layers_data:
        raise read.error("network.layers", "expected one or more [[network.layers]] tables")
    # count before any matrix exists, so that units = 10**9 never reaches NumPy
    sizes, normalized = [inputs], []
    for index, layer_data in enumerate(layers_data):
        read.table(layer_data, f"network.layers[{index}]", LAYER_KEYS)
        sizes.append(read.integer(layer_data, "units", f"network.layers[{index}]"))
        normalized.append(layer_data.get("batch_norm") is True)
    # W and b per layer; a batch-norm layer has γ and β in place of b: one more number per unit
    parameters = sum(units * (fan_in + 1 + extra) for fan_in, units, extra in zip(sizes, sizes[1:], normalized))
    if parameters > limits.parameters:
        raise read.error("network", f"{parameters:,} weights and biases is more than the limit of "
                                    f"{limits.parameters:,}; raise it with --max-parameters")
    layers = []
    fan_in = inputs
    stream = NetworkStream(read_scheme(read, data["initialization"], "network.initialization")
                           if "initialization" in data else None)
    if stream.scheme is not None and "weights" in data:
        raise read.error("network.initialization", "[network] takes weights or an initialization, not both")
    for index, layer_data in enumerate(layers_data):
        where = f"network.layers[{index}]"
        read.table(layer_data, where, LAYER_KEYS)
        units = read.integer(layer_data, "units", where)
        activation = read.choice(layer_data, "activation", where, (*ACTIVATIONS, "custom"), data.get("activation"))
        if activation == "softmax" and index != len(layers_data) - 1:
            raise read.error(f"{where}.activation", "softmax is supported in the output layer only")
        normalization = _normalization(read, layer_data, where, units)
        initialization = read_weights(read, layer_data, where, units, fan_in, stream)
        # a layer whose weights are drawn has biases 0 unless they are given (README "Initialisation")
        default_biases = 0.0 if initialization is not None else None
        for key in ("weights", "biases"):
            if (key not in layer_data and key not in data and not (key == "biases" and normalization)
                    and not (key == "weights" and initialization) and not (key == "biases" and initialization)):
                raise read.error(f"{where}.{key}", f"missing; give {key} here or once in [network]")
        weights = initialization.weights if initialization is not None else read.matrix_or_constant(
            layer_data.get("weights", data.get("weights")), f"{where}.weights", units, fan_in)
        biases = np.zeros((units, 1)) if normalization else _vector_or_constant(
            read, layer_data.get("biases", data.get("biases", default_biases)), f"{where}.biases", units)
        dropout = None
        if "dropout" in layer_data:
            dropout = read_dropout(read, layer_data["dropout"], f"{where}.dropout", units,
                                   index == len(layers_data) - 1)
        expression = expression_at = None
        if activation == "custom":
            source = layer_data if "expression" in layer_data else data
            expression = read.text(source, "expression", where if source is layer_data else "network")
            expression_at = read.location(f"{where}.expression" if source is layer_data else "network.expression")
        parameters, kink = _activation_settings(read, layer_data, data, where, units, custom=activation == "custom")
        layer = Layer(units, activation, weights, biases, parameters, kink, expression, normalization,
                      initialization, dropout, expression_at)
        try:
            bound = layer.function
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
        # the expression itself has a value (the parser refuses 1/(z − z)): the parameters' values took it away
        if bound.elementwise and bound.expression.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            key = f"{where}.parameters" if "parameters" in layer_data else "network.parameters"
            raise read.error(key, f"these values leave {activation} undefined (a division by 0 or log 0)")
        layers.append(layer)
        fan_in = units
    return Network(inputs, tuple(layers))


def _vector_or_constant(read: FieldReader, value: Any, where: str, units: int) -> np.ndarray:
    if isinstance(value, list):
        return read.vector(value, where, units, "one per unit")
    return read.matrix_or_constant(value, where, units, 1)


def _normalization(read: FieldReader, layer_data: dict, where: str, units: int) -> Normalization | None:
    """The layer's batch norm, or None; its keys without `batch_norm = true`, and `biases` with it,
    are refused."""
    if not read.boolean(layer_data, "batch_norm", where, False):
        for key in NORMALIZATION_KEYS:
            if key in layer_data:
                raise read.error(f"{where}.{key}", "only a layer with batch_norm = true takes this key")
        return None
    if "biases" in layer_data:
        raise read.error(f"{where}.biases", "a batch-norm layer has no bias (β takes its place); remove biases")
    epsilon = read.number(layer_data.get("epsilon", 1e-5), f"{where}.epsilon")
    if not epsilon > 0:
        raise read.error(f"{where}.epsilon", f"expected a number greater than 0, such as 1e-5, got {epsilon}")
    momentum = read.number(layer_data.get("momentum", 0.9), f"{where}.momentum")
    if not 0 <= momentum < 1:
        raise read.error(f"{where}.momentum", f"expected a number from 0 up to (not including) 1, got {momentum}")
    return Normalization(_vector_or_constant(read, layer_data.get("gamma", 1.0), f"{where}.gamma", units),
                         _vector_or_constant(read, layer_data.get("beta", 0.0), f"{where}.beta", units),
                         epsilon, momentum)


def _activation_settings(read: FieldReader, layer_data: dict, network_data: dict, where: str, units: int,
                         custom: bool):
    """(parameters, derivative_at_kink) of a layer, each falling back to the [network] value.
    A parameter is a number, or a list of one number per unit."""
    source = layer_data if "parameters" in layer_data else network_data
    key = f"{where}.parameters" if "parameters" in layer_data else "network.parameters"
    raw = source.get("parameters", {})
    # an empty table needs no list of the names (which builds every activation of the catalogue)
    values = read.table(raw, key, set(raw) if (custom or not raw) and isinstance(raw, dict) else _parameter_names())
    parameters = []
    for name, value in sorted(values.items()):
        if custom and (not _PARAMETER_NAME.fullmatch(name) or name in RESERVED_NAMES):
            raise read.error(f"{key}.{name}", "expected a parameter name of ASCII letters and digits (at most 12), "
                                              "starting with a letter, and not a function's name, such as w or w2")
        if isinstance(value, list):
            parameters.append((name, tuple(read.vector(value, f"{key}.{name}", units, "one per unit")[:, 0])))
        else:
            parameters.append((name, read.number(value, f"{key}.{name}")))
    kink = layer_data.get("derivative_at_kink", network_data.get("derivative_at_kink"))
    where_kink = f"{where}.derivative_at_kink" if "derivative_at_kink" in layer_data else "network.derivative_at_kink"
    return tuple(parameters), (None if kink is None else read.number(kink, where_kink))


_PARAMETER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{0,11}")
RESERVED_NAMES = {*FUNCTIONS, *CONSTANTS, "z", "x", "sum", "numpy", "functools", "mpmath", "math", "builtins"}
"""Names a parameter may not take: they mean something else in an expression, or in the module
namespace its compiled function runs in."""


def _parameter_names() -> set[str]:
    return {p.name for family in ACTIVATIONS.values() for p in family.parameters}
