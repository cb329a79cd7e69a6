"""How big an MLP is, counted as seed 002 counts its 3-4-2 network: layers (the inputs are not a
layer), units, weights, biases and parameters, each written as the sum over the layers it is.
The arithmetic is solver/engine/counting.py's, which the cnn kind's fully-connected layers share."""

from __future__ import annotations

from solver.engine.counting import dense_counts
from solver.kinds.mlp.network import Network
from solver.render.format import NumberFormat, number

COUNTS = NumberFormat(whole_numbers=True)
_TWICE = r"2 \cdot "


def count_fact(network: Network) -> str:
    """One sentence: ``2 layers, 4 + 2 = 6 units, 3 · 4 + 4 · 2 = 20 weights, …, 26 parameters``.
    A batch-norm layer has no biases but a scale γ and a shift β per unit."""
    fan_ins = [network.inputs, *(layer.units for layer in network.layers[:-1])]
    layers = [dense_counts(n_in, layer.units) for n_in, layer in zip(fan_ins, network.layers)]
    normalized = [layer.normalization is not None for layer in network.layers]
    units = _sum([c.units for c in layers])
    weights = _sum([c.weights for c in layers], [_n(c.inputs) + r" \cdot " + _n(c.units) for c in layers])
    biases = [c.biases for c, bn in zip(layers, normalized) if not bn]
    parts = [f"{_plural(len(layers), 'layer')} (the inputs are not a layer)",
             f"${units[0]}$ {_noun(units[1], 'unit')}", f"${weights[0]}$ {_noun(weights[1], 'weight')}"]
    total = sum(c.weights for c in layers) + sum(biases)
    if biases:
        written, count = _sum(biases)
        parts.append(f"${written}$ {_noun(count, 'bias', 'biases')}")
    if any(normalized):
        scales = [2 * c.units for c, bn in zip(layers, normalized) if bn]
        written = _sum(scales, [_TWICE + _n(c.units) for c, bn in zip(layers, normalized) if bn])[0]
        parts.append(f"${written}$ batch-norm scales and shifts ($\\gamma$, $\\beta$)")
        total += sum(scales)
    return f"Its size, counted as seed 002 counts: {', '.join(parts)}; ${_n(total)}$ parameters in all."


def _sum(values: list[int], terms: list[str] | None = None) -> tuple[str, int]:
    """``4 + 2 = 6`` (or the single value), with `terms` written in place of the values."""
    written = terms or [_n(v) for v in values]
    total = sum(values)
    return (written[0] if len(values) == 1 and not terms else " + ".join(written) + f" = {_n(total)}"), total


def _n(value: int) -> str:
    return number(value, COUNTS)


def _noun(count: int, one: str, many: str | None = None) -> str:
    return one if count == 1 else many or one + "s"


def _plural(count: int, one: str) -> str:
    return f"{count} {_noun(count, one)}"
