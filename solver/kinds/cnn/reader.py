"""The cnn kind's part of an exercise file: an input volume and its layers, to be counted.

    kind = "cnn"
    input = [32, 32, 1]                      # width, height, channels; or [n], a vector of n values
    layers = [
      { type = "conv", filters = 6, size = 5, stride = 1, padding = 0 },
      { type = "pool", size = 2, stride = 2, op = "max" },
      { type = "fc", units = 120 },
    ]
    [conventions]
    bias_is_connection = true                # seed 002 / LeNet-5: (F·F·C + 1) connections per output
    [[parts]]                                # optional; a part may give its own input and layers
    compare_with = "a"                       # in a part: its parameters and connections against part a's

Sizes, strides and paddings are a whole number or [width, height]. Every output size must come
out whole: a window that does not tile its input is refused with the explanation of what would
fit (solver/kinds/cnn/sizes.py), never rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from solver.exercise import PART_HEADER_KEYS, parts_tables, read_standalone_part
from solver.fields import FieldReader, closest, describe, join
from solver.kinds.cnn.counts import LayerProblem, network_counts
from solver.limits import Limits

KEYS = frozenset({"input", "layers", "conventions", "parts"})
PART_KEYS = PART_HEADER_KEYS | {"input", "layers", "compare_with"}
CONVENTION_KEYS = {"bias_is_connection"}
LAYER_KEYS = {
    "conv": {"type", "filters", "size", "stride", "padding", "input_channels"},
    "pool": {"type", "size", "stride", "op"},
    "fc": {"type", "units"},
}
TYPE_NAMES = {"convolution": "conv", "conv2d": "conv", "convolutional": "conv", "pooling": "pool",
              "maxpool": "pool", "max_pool": "pool", "avgpool": "pool", "subsampling": "pool", "dense": "fc",
              "linear": "fc", "fully_connected": "fc", "full": "fc"}
"""Other names of the layer types, for the suggestion in an error message."""
POOL_OPS = ("max", "avg", "subsample")
MAX_LENGTH = 10**6
"""The largest width, height, channel count, filter count or unit count read."""
MAX_LAYERS = 500


@dataclass(frozen=True)
class Pair:
    """A size, stride or padding along the width and along the height."""

    width: int
    height: int

    @property
    def square(self) -> bool:
        return self.width == self.height


@dataclass(frozen=True)
class Volume:
    """An input of width × height × channels values; a vector of n values is 1 × 1 × n with `vector` set."""

    width: int
    height: int
    channels: int
    vector: bool = False


@dataclass(frozen=True)
class Conv:
    """`filters` filters of size.width × size.height × (input channels); `input_channels`, when
    given, is how many input channels each filter sees (LeNet-5's C3 table), else all of them."""

    filters: int
    size: Pair
    stride: Pair
    padding: Pair
    input_channels: tuple[int, ...] | None = None
    type: str = "conv"


@dataclass(frozen=True)
class Pool:
    """A pooling window per channel: `op` is max, avg, or subsample (LeNet-5's: the window's sum times
    a trainable coefficient plus a trainable bias, per channel)."""

    size: Pair
    stride: Pair
    op: str
    type: str = "pool"


@dataclass(frozen=True)
class Dense:
    units: int
    type: str = "fc"


@dataclass(frozen=True)
class Network:
    input: Volume
    layers: tuple[Conv | Pool | Dense, ...]


@dataclass(frozen=True)
class Counting:
    """How connections are counted: with the bias as one more connection per output value
    (seed 002, LeCun et al. 1998), or weights only."""

    bias_is_connection: bool = True


@dataclass(frozen=True)
class Part:
    name: str
    title: str
    start: str
    network: Network
    conventions: Counting = Counting()
    compare_with: str | None = None
    """An earlier part whose parameters and connections this part's are divided into."""


def read_cnn_problem(read: FieldReader, data: dict, limits: Limits) -> tuple[Network | None, tuple[Part, ...]]:
    """The top-level network (None when every part gives its own) and the parts of a cnn exercise."""
    counting = _counting(read, data.get("conventions", {}))
    top_input = _input(read, data["input"], "input") if "input" in data else None
    top_layers = data.get("layers")
    parts_data = parts_tables(read, data)
    parts: list[Part] = []
    for index, part_data in enumerate(parts_data):
        where = f"parts[{index}]"
        header = read_standalone_part(read, part_data, index, [p.name for p in parts], PART_KEYS,
                                      "a cnn part counts its own network")
        volume = _input(read, part_data["input"], f"{where}.input") if "input" in part_data else top_input
        if volume is None:
            raise read.error("input", "missing; expected input = [width, height, channels], or [n] for a vector")
        layers_key = f"{where}.layers" if "layers" in part_data else "layers"
        layers_data = part_data.get("layers", top_layers)
        if layers_data is None:
            raise read.error("layers", "missing; expected layers = [{ type = \"conv\", … }, …], input side first")
        network = Network(volume, _layers(read, layers_data, layers_key, volume))
        _check_counts(read, network, layers_key, counting)
        compare_with = None
        if "compare_with" in part_data:
            if not parts:
                raise read.error(f"{where}.compare_with", "names a part to compare with, but no part comes before this "
                                 "one; compare_with goes in a later part and names an earlier one")
            compare_with = read.choice(part_data, "compare_with", where, [p.name for p in parts], "")
        parts.append(Part(header.name, header.title, header.start, network, counting, compare_with))
    top = Network(top_input, parts[0].network.layers) if top_input is not None and top_layers is not None else None
    return top, tuple(parts)


def _counting(read: FieldReader, data: Any) -> Counting:
    read.table(data, "conventions", CONVENTION_KEYS)
    return Counting(read.boolean(data, "bias_is_connection", "conventions", True))


def _input(read: FieldReader, value: Any, key: str) -> Volume:
    if not isinstance(value, list) or len(value) not in (1, 3):
        raise read.error(key, f"expected [width, height, channels] or [n] (a vector of n values), got {describe(value)}")
    lengths = [_length(read, v, f"{key}[{i}]") for i, v in enumerate(value)]
    return Volume(1, 1, lengths[0], vector=True) if len(lengths) == 1 else Volume(*lengths)


def _length(read: FieldReader, value: Any, key: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_LENGTH:
        raise read.error(key, f"expected a whole number from {minimum} to {MAX_LENGTH:,}, got {describe(value)}")
    return value


def _pair(read: FieldReader, data: dict, key: str, where: str, default: int | None, minimum: int = 1) -> Pair:
    """A whole number for both dimensions, or [width, height]."""
    value = data.get(key, default)
    if value is None:
        raise read.error(join(where, key), "missing; expected a whole number or [width, height]")
    if isinstance(value, list):
        if len(value) != 2:
            raise read.error(join(where, key), f"expected a whole number or [width, height], got {describe(value)}")
        return Pair(*(_length(read, v, f"{join(where, key)}[{i}]", minimum) for i, v in enumerate(value)))
    number = _length(read, value, join(where, key), minimum)
    return Pair(number, number)


def _layers(read: FieldReader, value: Any, key: str, volume: Volume) -> tuple[Conv | Pool | Dense, ...]:
    if not isinstance(value, list) or not value:
        raise read.error(key, f"expected a list of layer tables, input side first, got {describe(value)}")
    if len(value) > MAX_LAYERS:
        raise read.error(key, f"{len(value):,} layers; expected at most {MAX_LAYERS}")
    layers: list[Conv | Pool | Dense] = []
    for index, layer_data in enumerate(value):
        where = f"{key}[{index}]"
        if not isinstance(layer_data, dict):
            raise read.error(where, f"expected a layer table {{ type = \"conv\", … }}, got {describe(layer_data)}")
        kind = layer_data.get("type")
        if "type" not in layer_data:
            read.table(layer_data, where, set().union(*LAYER_KEYS.values()))  # a misspelled type: suggest it
            raise read.error(where, "missing type; expected type = 'conv', 'pool' or 'fc'")
        if not isinstance(kind, str) or kind not in LAYER_KEYS:
            raise read.error(join(where, "type"), f"expected one of 'conv', 'pool', 'fc', got {describe(kind)}"
                                                  f"{_suggestion(kind)}")
        read.table(layer_data, where, LAYER_KEYS[kind])
        follows_vector = volume.vector if not layers else layers[-1].type == "fc"
        if kind != "fc" and follows_vector:
            after = "a vector input" if not layers else "a fully-connected layer"
            raise read.error(join(where, "type"), f"a {kind} layer slides over a width and a height, which {after} "
                                                  "does not have; expected 'fc'")
        layers.append(_layer(read, layer_data, kind, where))
    return tuple(layers)


def _suggestion(kind: Any) -> str:
    """", did you mean 'conv'?" for a near miss or another name of a type, else ""."""
    if not isinstance(kind, str):
        return ""
    other = TYPE_NAMES.get(kind.strip().lower().replace("-", "_").replace(" ", "_"))
    return f" (did you mean {other!r}?)" if other else closest(kind, LAYER_KEYS)


def _layer(read: FieldReader, data: dict, kind: str, where: str) -> Conv | Pool | Dense:
    if kind == "fc":
        return Dense(_length(read, data.get("units"), join(where, "units")))
    size = _pair(read, data, "size", where, None)
    if kind == "pool":
        op = read.choice(data, "op", where, POOL_OPS, "max")
        return Pool(size, _pair(read, data, "stride", where, None) if "stride" in data else size, op)
    filters = _length(read, data.get("filters"), join(where, "filters"))
    conv = Conv(filters, size, _pair(read, data, "stride", where, 1), _pair(read, data, "padding", where, 0, minimum=0))
    if "input_channels" not in data:
        return conv
    value = data["input_channels"]
    if not isinstance(value, list) or len(value) != filters:
        raise read.error(join(where, "input_channels"), f"expected {filters} whole numbers (how many input channels "
                                                        f"each filter sees), got {describe(value)}")
    channels = tuple(_length(read, v, f"{join(where, 'input_channels')}[{i}]") for i, v in enumerate(value))
    return Conv(filters, size, conv.stride, conv.padding, channels)


def _check_counts(read: FieldReader, network: Network, key: str, counting: Counting) -> None:
    """Every layer fits its input and every count stays exact in float64; else the error names the layer."""
    try:
        network_counts(network, counting.bias_is_connection)
    except LayerProblem as problem:
        where = f"{key}[{problem.index}]"
        raise read.error(join(where, problem.key) if problem.key else where, problem.message) from None
