"""Conditions a drawn variant must meet, by name: a fixed vocabulary, never an expression from a
file. Each is a function of the variant's worked solution that says whether to keep the draw;
none knows a kind: they look at the steps' sections and kinds (solver/engine/steps.py).

`finite` is met by a solution at all: a draw whose numbers overflow raises NumericError while it
is worked, and with this condition that draw is drawn again instead of being an error.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from solver.engine.steps import Solution

ZERO = 1e-12
"""What a sheet prints as 0 (solver/render/format.py's zero tolerance)."""


def no_tied_output(solution: Solution) -> bool:
    """In every part (and every sample or query of it), the last forward step, the output a
    class is read from, has one largest entry in each column: the two largest differ within
    the sheet's significant figures."""
    last: dict[tuple[str, str], np.ndarray] = {}
    for step in solution.steps:
        if step.section == "forward":
            last[step.part, step.group] = step.value
    precision = getattr(solution.exercise, "precision", 6)
    for value in last.values():
        columns = value.reshape(value.shape[0], -1) if value.ndim else value.reshape(1, 1)
        if columns.shape[0] < 2:
            continue
        top = np.sort(columns, axis=0)[-2:]
        if np.any(np.abs(top[1] - top[0]) <= 10.0 ** -precision * np.maximum(np.abs(top[1]), ZERO)):
            return False
    return True


def no_zero_gradient(solution: Solution) -> bool:
    """No computed gradient or δ (a step whose kind is "… gradient" or "delta") is 0 in every
    entry: the update it drives would change nothing."""
    return not any(step.section != "given" and (step.kind.endswith("gradient") or step.kind == "delta")
                   and np.all(np.abs(step.value) < ZERO) for step in solution.steps)


def finite(solution: Solution) -> bool:
    """Every value is a finite number (an overflowing draw never gets this far: see above)."""
    return all(np.all(np.isfinite(step.value)) for step in solution.steps)


CONDITIONS: dict[str, Callable[[Solution], bool]] = {
    "no_tied_output": no_tied_output,
    "no_zero_gradient": no_zero_gradient,
    "finite": finite,
}
