"""The logic gates a perceptron exercise may name as its `dataset`: every input in {0, 1}ⁿ, in
binary counting order ((0, 0), (0, 1), (1, 0), (1, 1)), with the gate's output as the target."""

from __future__ import annotations

import itertools
from collections.abc import Callable

GATES: dict[str, Callable[[tuple[int, ...]], int]] = {
    "and": lambda bits: int(all(bits)),
    "or": lambda bits: int(any(bits)),
    "nand": lambda bits: int(not all(bits)),
    "nor": lambda bits: int(not any(bits)),
    "xor": lambda bits: sum(bits) % 2,  # with n inputs, parity: 1 when an odd number of them are 1
    # seed 003 §2.2.2.3.1: "more than half of its inputs are 1" (exactly half is 0)
    "majority": lambda bits: int(2 * sum(bits) > len(bits)),
}
GATE_NAMES = tuple(GATES)
MAX_GATE_INPUTS = 6
"""2⁶ = 64 samples: the most a sheet (and the exact separability test) is asked to work."""


def gate_samples(name: str, inputs: int) -> tuple[tuple[tuple[int, ...], int], ...]:
    """(input bits, 0/1 target) for every input of the gate `name` with `inputs` inputs."""
    return tuple((bits, GATES[name](bits)) for bits in itertools.product((0, 1), repeat=inputs))
