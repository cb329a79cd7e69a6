"""Conventions that differ between courses, as one frozen record.

The engine and the renderer read these settings and nothing else decides them. The defaults are
those of the worked exercises in seed 001: delta = dE/dz, the batch gradient is the sum over
samples, biases are updated, classes are numbered from 1, and the symbols are w, b, z, x
with the target written z. `read_conventions` reads a [conventions] table for any kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from solver.fields import FieldReader
from solver.rounding import Rounding, read_rounding


@dataclass(frozen=True)
class Notation:
    """Symbols the sheet uses, each a LaTeX fragment. Layer numbers are written `open`ℓ`close`."""

    weight: str = "w"
    bias: str = "b"
    net: str = "z"
    activation: str = "x"
    target: str = "z"
    delta: str = r"\delta"
    loss: str = "E"
    rate: str = r"\eta"
    layer_open: str = "["
    layer_close: str = "]"

    def layered(self, base: str, layer: int) -> str:
        """`base` with the layer superscript, e.g. ``z^{[2]}``."""
        return f"{atom(base)}^{{{self.layer_open}{layer}{self.layer_close}}}"


def atom(symbol: str) -> str:
    """`symbol` ready for a sub- or superscript of its own: a symbol that already has one, or a
    prime, is braced (``{y_{k}{}}``), since ``y_{k}_{i}`` and ``y'^{[1]}`` do not compile. The
    empty group keeps TeX from unpacking a braced single atom, which amsmath's accents do."""
    return f"{{{symbol}{{}}}}" if any(mark in symbol for mark in "_^'") else symbol


NOTATION_PROFILES: dict[str, Notation] = {
    # seed 001: z net input, x activation, the target also called z, [ℓ] superscripts
    "zx": Notation(),
    # seed 003: s net input, a activation, y target, W^{(k)}
    "sa": Notation(weight="W", net="s", activation="a", target="y", layer_open="(", layer_close=")"),
    # the common textbook form: W, z, a, y and a loss called L
    "za": Notation(weight="W", net="z", activation="a", target="y", loss="L"),
}

BATCH_REDUCTIONS = ("sum", "mean")
DELTA_SIGNS = {"dE/dz": 1, "-dE/dz": -1}


@dataclass(frozen=True)
class Conventions:
    """How a course writes the calculation; see README "Conventions"."""

    batch_reduction: str = "sum"
    delta_sign: int = 1
    update_biases: bool = True
    first_class: int = 1
    notation: Notation = field(default_factory=Notation)
    rounding: Rounding = field(default_factory=Rounding)
    """Textbook rounding of intermediate values (solver/rounding.py); none by default."""


NOTATION_FIELDS = tuple(f.name for f in fields(Notation))
CONVENTION_KEYS = {"batch_reduction", "delta", "update_biases", "first_class", "notation", "symbols", "rounding"}


def read_conventions(read: FieldReader, data: Any, where: str, inherited: Conventions) -> Conventions:
    """The [conventions] table at `where`: each setting it names, the rest from `inherited`."""
    read.table(data, where, CONVENTION_KEYS)
    signs = {value: name for name, value in DELTA_SIGNS.items()}
    delta = read.choice(data, "delta", where, tuple(DELTA_SIGNS), signs[inherited.delta_sign])
    notation = inherited.notation
    if "notation" in data:
        notation = NOTATION_PROFILES[read.choice(data, "notation", where, tuple(NOTATION_PROFILES), "zx")]
    symbols = read.table(data.get("symbols", {}), f"{where}.symbols", set(NOTATION_FIELDS))
    notation = replace(notation, **{key: (read.bracket if key in ("layer_open", "layer_close") else read.symbol)(
        symbols, key, f"{where}.symbols") for key in symbols})
    return Conventions(
        batch_reduction=read.choice(data, "batch_reduction", where, BATCH_REDUCTIONS, inherited.batch_reduction),
        delta_sign=DELTA_SIGNS[delta],
        update_biases=read.boolean(data, "update_biases", where, inherited.update_biases),
        first_class=read.integer(data, "first_class", where, inherited.first_class, minimum=0, maximum=10**6),
        notation=notation,
        rounding=read_rounding(read, data["rounding"], f"{where}.rounding") if "rounding" in data else inherited.rounding,
    )
