"""A network's sizes and counts in plain integers, layer by layer: what the reader checks before
anything is worked (every window fits, every count is exact in float64). The engine records the
same quantities as steps from their SymPy formulas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from solver.engine.counting import dense_counts
from solver.kinds.cnn.sizes import misfit, output_length

if TYPE_CHECKING:
    from solver.kinds.cnn.reader import Network

EXACT_LIMIT = 2**53
"""Whole numbers above this are not all exact in float64, which every step value is."""


class LayerProblem(Exception):
    """Layer `index` cannot be counted; `key` is the layer's key at fault ("" for the layer)."""

    def __init__(self, index: int, key: str, message: str):
        super().__init__(message)
        self.index, self.key, self.message = index, key, message


@dataclass(frozen=True)
class LayerCounts:
    width: int
    height: int
    channels: int
    weights: int
    biases: int
    parameters: int
    connections: int
    activations: int


def network_counts(network: Network, bias_is_connection: bool = True) -> tuple[LayerCounts, ...]:
    """Each layer's output size and counts; LayerProblem when a window does not fit its input, a
    filter sees more channels than there are, or a count is beyond EXACT_LIMIT."""
    width, height, channels = network.input.width, network.input.height, network.input.channels
    bias = 1 if bias_is_connection else 0
    found = []
    for index, layer in enumerate(network.layers):
        if layer.type == "fc":
            dense = dense_counts(width * height * channels, layer.units, bias_is_connection)
            counts = LayerCounts(1, 1, layer.units, dense.weights, dense.biases, dense.parameters, dense.connections,
                                 dense.activations)
        else:
            padding = layer.padding if layer.type == "conv" else None
            width, height = (_length(index, layer, "width", width, padding), _length(index, layer, "height", height, padding))
            window = layer.size.width * layer.size.height
            if layer.type == "conv":
                seen = layer.input_channels or (channels,) * layer.filters
                if max(seen) > channels:
                    raise LayerProblem(index, "input_channels", f"a filter cannot see {max(seen)} channels of an input "
                                                                f"with {channels}; expected at most {channels}")
                weights, biases = window * sum(seen), layer.filters
                channels = layer.filters
                connections = width * height * (weights + bias * biases)
            elif layer.op == "subsample":
                weights = biases = channels
                connections = (window + bias) * width * height * channels
            else:
                weights = biases = 0
                connections = window * width * height * channels
            counts = LayerCounts(width, height, channels, weights, biases, weights + biases, connections,
                                 width * height * channels)
        width, height, channels = counts.width, counts.height, counts.channels
        for name in ("parameters", "connections", "activations"):
            if getattr(counts, name) > EXACT_LIMIT:
                raise LayerProblem(index, "", f"its {name} ({getattr(counts, name):.3g}) are beyond 2^53, where float64 "
                                              "no longer holds every whole number; expected a smaller layer")
        found.append(counts)
    totals = {name: sum(getattr(c, name) for c in found) for name in ("parameters", "connections", "activations")}
    for name, total in totals.items():
        if total > EXACT_LIMIT:
            raise LayerProblem(len(found) - 1, "", f"the network's {name} ({total:.3g}) add up beyond 2^53, where "
                                                   "float64 no longer holds every whole number; expected a smaller network")
    return tuple(found)


def _length(index: int, layer, dimension: str, length: int, padding) -> int:
    size, stride = getattr(layer.size, dimension), getattr(layer.stride, dimension)
    pad = getattr(padding, dimension) if padding is not None else 0
    problem = misfit(length, size, pad, stride, dimension, paddable=padding is not None)
    if problem is not None:
        key = "size" if size > length + 2 * pad else "stride"
        raise LayerProblem(index, key, problem)
    return int(output_length(length, size, pad, stride))
