"""The step-recording NumPy engine: what every kind's engine shares (steps.py, slips.py), and
`solve`, which works an exercise with the engine of its kind (solver/kinds/<kind>/engine.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from solver.engine.slips import Slip
from solver.engine.steps import Solution, Step
from solver.kinds import kind

if TYPE_CHECKING:
    import numpy as np

    from solver.exercise import Exercise

__all__ = ["solve", "Solution", "Step"]


def solve(exercise: Exercise, overrides: Mapping[str, np.ndarray] | None = None, slip: Slip | None = None,
          *, require_finite: bool = True) -> Solution:
    """Work every part of `exercise`. `overrides` replaces the value of the steps it names (later
    steps use it); `slip` makes the engine commit that mistake. A value that is not finite raises
    NumericError unless `require_finite` is False (a checker running on a student's numbers)."""
    return kind(exercise.kind).solve(exercise, overrides, slip, require_finite=require_finite)
