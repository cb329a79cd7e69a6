"""How big an exercise may be: checked by every kind's reader and by the step recorder."""

from __future__ import annotations

from dataclasses import dataclass

from solver.arguments import whole_number


@dataclass(frozen=True)
class Limits:
    """How big an exercise may be before byhand refuses it: a hand calculation is small, and a
    student's file must not be able to exhaust the memory or time of whoever runs it."""

    parameters: int = 10**5
    """weights and biases of a network (or entries of an optimiser's parameters): --max-parameters"""
    steps: int = 5000
    """steps in a solution, and entries in an answers file: --max-steps"""
    values: int = 3 * 10**5
    """numbers in all the steps of a solution together, and in an answers file: --max-values.
    The cost of a sheet grows with the numbers written; see README "Files from someone else"."""

    def __post_init__(self) -> None:
        for name in ("parameters", "steps", "values"):
            whole_number(getattr(self, name), f"max_{name}", 1, what="a limit")
