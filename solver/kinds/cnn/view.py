"""What a cnn sheet says around the steps: the input and the layers in words, the counting
conventions, and the table of the whole network. Math between $…$; numbers written by
solver/render/format.py."""

from __future__ import annotations

from solver.engine.steps import Step
from solver.exercise import Exercise
from solver.kinds.cnn.reader import Conv, Counting, Dense, Network, Pair, Part, Pool
from solver.render.format import NumberFormat, number
from solver.render.view import Table

SETUP_HEADING = "The network"
POOL_NAMES = {"max": "max pooling", "avg": "average pooling", "subsample": "subsampling (LeNet-5)"}
POOL_CELLS = {"max": "max pool", "avg": "avg pool", "subsample": "subsampling"}
TABLE_TITLE = "The whole network"


def network_facts(exercise: Exercise, style: NumberFormat) -> tuple[str, ...]:
    """The input and layers (when every part shares them), then how each type of layer present is counted."""
    parts: tuple[Part, ...] = exercise.parts
    facts: list[str] = []
    if len({part.network.input for part in parts}) == 1:
        facts.append(_input_fact(parts[0].network, style))
        if len({part.network.layers for part in parts}) == 1:
            facts += _layer_facts(parts[0].network, style)
    layers = [layer for part in parts for layer in part.network.layers]
    if any(isinstance(layer, Conv) for layer in layers):
        facts.append(r"A convolution's output is $\frac{W + 2P - F}{S} + 1$ wide (and likewise high) for an input $W$ "
                     r"wide, filters $F$ wide, padding $P$ on each side and stride $S$ (seed 002). Each of its $K$ filters "
                     r"spans every input channel: $F \cdot F \cdot C$ weights and one bias.")
    if any(isinstance(layer, Pool) for layer in layers):
        facts.append(r"Pooling works on each channel alone and takes no padding: $\frac{W - F}{S} + 1$ (seed 002). "
                     r"Max and average pooling have no parameters; each output value is connected to the $F \cdot F$ "
                     "inputs of its window.")
    if any(isinstance(layer, Pool) and layer.op == "subsample" for layer in layers):
        facts.append("LeNet-5's subsampling multiplies the sum of a window by a trainable coefficient and adds a "
                     "trainable bias, one of each per channel.")
    if any(isinstance(layer, Dense) for layer in layers):
        facts.append(r"A fully-connected layer of $m$ units over $n$ inputs (the previous layer's values, flattened) "
                     r"has $n m$ weights and $m$ biases.")
    if all(isinstance(layer, Dense) for layer in layers):
        facts.append("Each unit is a neuron: the neurons are counted as the activations, one value per unit, "
                     "and the input's values are not neurons.")
    if len({part.network.layers for part in parts}) == 1 and any(isinstance(layer, (Conv, Pool)) for layer in layers):
        facts.append("A size that is not a whole number would be refused, with the strides and paddings that fit, "
                     "never rounded.")
    return tuple(facts)


def convention_facts(counting: Counting) -> tuple[str, ...]:
    if counting.bias_is_connection:
        bias = ("Each output value is connected to each of its inputs and, as one more connection, to its bias (seed "
                "002 counts LeNet-5's 122,304 this way, as LeCun et al. 1998 do).")
    else:
        bias = "Each output value is connected to each of its inputs; a bias is not counted as a connection."
    return (bias, "Activations are the values a layer outputs; the input's values are not counted. The layers "
                  "counted are those with parameters (VGG-16's 16 are its 13 convolutions and 3 fully-connected layers).")


def part_facts(exercise: Exercise, part: Part, style: NumberFormat) -> tuple[str, ...]:
    parts: tuple[Part, ...] = exercise.parts
    facts: list[str] = []
    if len({p.network.input for p in parts}) > 1:
        facts.append(_input_fact(part.network, style))
    if len({p.network.layers for p in parts}) > 1:
        facts += _layer_facts(part.network, style)
    return tuple(facts)


def derived_blocks(exercise: Exercise, part: Part) -> tuple:
    return ()


def network_table(exercise: Exercise, part: Part, steps: list[Step], style: NumberFormat) -> Table:
    """One row per layer (its type, output size and counts) and a row of totals."""
    values = {step.id.split(".", 1)[1]: step.value for step in steps}

    def cell(key: str) -> str:
        return number(float(values[key]), style)

    headers = (r"\ell", r"\text{layer}", r"\text{output}", r"\text{weights}", r"\text{biases}", r"\text{parameters}",
               r"\text{connections}", r"\text{activations}")
    rows = []
    for index, layer in enumerate(part.network.layers, 1):
        prefix = f"l{index}."
        output = (cell(prefix + "activations") if isinstance(layer, Dense) else
                  r" \times ".join(cell(prefix + key) for key in ("width", "height", "channels")))
        rows.append((str(index), _layer_cell(layer, style), output,
                     *(cell(prefix + key) for key in ("weights", "biases", "params", "connections", "activations"))))
    rows.append(("{}", r"\text{total}", "{}", *(cell(key) for key in ("weights", "biases", "params", "connections",
                                                                    "activations"))))
    return Table(headers, tuple(rows), TABLE_TITLE)


def _input_fact(network: Network, style: NumberFormat) -> str:
    volume = network.input
    if volume.vector:
        return f"The input is a vector of ${number(volume.channels, style)}$ values."
    return (f"The input is ${_volume(volume.width, volume.height, volume.channels, style)}$ values "
            r"(width $\times$ height $\times$ channels).")


def _layer_facts(network: Network, style: NumberFormat) -> list[str]:
    return [f"Layer {index}: {_layer_words(layer, style)}." for index, layer in enumerate(network.layers, 1)]


def _layer_words(layer: Conv | Pool | Dense, style: NumberFormat) -> str:
    if isinstance(layer, Dense):
        return f"fully connected, $m = {number(layer.units, style)}$ units"
    size = _size(layer.size, style)
    if isinstance(layer, Pool):
        return f"{POOL_NAMES[layer.op]} over ${size}$ windows, stride ${_pair(layer.stride, style)}$"
    filters = (f"$K = {number(layer.filters, style)}$ filters of ${size}$ over all input channels"
               if layer.input_channels is None else
               f"$K = {number(layer.filters, style)}$ filters of ${size}$, filter $k$ over $c_k$ input channels "
               f"($c_k$ = {', '.join(f'${number(c, style)}$' for c in layer.input_channels)})")
    return (f"convolution, {filters}, stride ${_pair(layer.stride, style)}$, padding "
            f"${_pair(layer.padding, style)}$")


def _layer_cell(layer: Conv | Pool | Dense, style: NumberFormat) -> str:
    """``conv 5 × 5, S = 1`` (and P, the padding, when there is some), ``max pool 2 × 2, S = 2``, ``fc``."""
    if isinstance(layer, Dense):
        return r"\text{fc}"
    name = r"\text{conv}" if isinstance(layer, Conv) else rf"\text{{{POOL_CELLS[layer.op]}}}"
    cell = rf"{name}\ {_size(layer.size, style)},\ S = {_pair(layer.stride, style)}"
    if isinstance(layer, Conv) and (layer.padding.width or layer.padding.height):
        cell += rf",\ P = {_pair(layer.padding, style)}"
    return cell


def _size(pair: Pair, style: NumberFormat) -> str:
    return rf"{number(pair.width, style)} \times {number(pair.height, style)}"


def _pair(pair: Pair, style: NumberFormat) -> str:
    """One number when width and height agree, else both."""
    return number(pair.width, style) if pair.square else _size(pair, style)


def _volume(width: int, height: int, channels: int, style: NumberFormat) -> str:
    return r" \times ".join(number(v, style) for v in (width, height, channels))
