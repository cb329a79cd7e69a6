"""What follows from a student's own answers: the engine run with them in place of the true values,
and how far rounding those answers to the digits written can move each step.

A student who carries 0.108795 forward and one who carries −0.1087950323 (the same slip, kept to
more digits) reach values that differ in their last digits. So the engine is run again with every
answer moved by half its last written digit, all up and then alternately up and down; the largest
move of a step is its spread, within which a value worked from the student's answers is right.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from solver.check.answers import Entry
from solver.engine import solve
from solver.engine.steps import Solution
from solver.errors import SolverError
from solver.exercise import Exercise

MAX_SPREAD = 0.01
"""Of a step's value: a larger move is a jump (an order, a class or a maximum changed), not rounding,
and the step then gets no spread."""


@dataclass(frozen=True)
class Followed:
    """Each step as worked from the given answers, and the spread of the answered ones."""

    solution: Solution
    spreads: Mapping[str, np.ndarray] = field(default_factory=dict)

    def value(self, step_id: str) -> np.ndarray:
        """The step worked from its inputs (for an answered step: not the answer itself)."""
        return self.solution.recomputed.get(step_id, self.solution[step_id])

    def spread(self, step_id: str) -> np.ndarray:
        return self.spreads.get(step_id, np.zeros(np.shape(self.value(step_id))))


def follow(exercise: Exercise, answers: Mapping[str, tuple[Entry, np.ndarray]], truth: Solution | None = None
           ) -> Followed:
    """The exercise worked with `answers` (step id → (entry, value in the step's shape)) in place of
    the true values, with the spread of every answered step. With `truth`, a number written exactly
    as its true value is exact, whatever its digits (0.5 for 1/2)."""
    overrides = {step_id: value for step_id, (_, value) in answers.items()}
    base = Followed(solve(exercise, overrides=overrides, require_finite=False))
    halves = {step_id: _half_units(entry, value.shape, None if truth is None else truth[step_id])
              for step_id, (entry, value) in answers.items()}
    if not any(half.any() for half in halves.values()):
        return base
    moved = []
    for pattern in (_up, _alternating):
        shifted = {step_id: value + pattern(halves[step_id]) for step_id, value in overrides.items()}
        try:
            moved.append(Followed(solve(exercise, overrides=shifted, require_finite=False)))
        except SolverError:  # moved answers the exercise cannot take (a size no longer whole): no spread
            return base
    spreads = {step_id: _spread(base.value(step_id), [m.value(step_id) for m in moved]) for step_id in answers}
    return Followed(base.solution, spreads)


def _half_units(entry: Entry, shape: tuple[int, ...], true: np.ndarray | None) -> np.ndarray:
    """Half the place value of each number's last digit, in the step's shape, never coarser than
    its third significant figure (the checker judges every number to at least three: README
    "Tolerance"); 0 for a number that is exact as written: a fraction, a 0, a whole number (a count,
    a class, a size), or a number equal to its `true` value."""
    trues = np.ravel(true) if true is not None else [None] * len(entry.flat)
    halves = []
    for n, t in zip(entry.flat, trues):
        if n.unit is None or n.value == 0 or (n.unit >= 1 and float(n.value).is_integer()) or n.value == t:
            halves.append(0.0)
        else:
            third = 10.0 ** (math.floor(math.log10(abs(n.value))) - 2)
            halves.append(min(n.unit, third) / 2)
    return np.array(halves, dtype=float).reshape(shape)


def _up(half: np.ndarray) -> np.ndarray:
    return half


def _alternating(half: np.ndarray) -> np.ndarray:
    signs = np.where(np.arange(half.size) % 2 == 0, 1.0, -1.0).reshape(half.shape)
    return half * signs


def _spread(value: np.ndarray, moved: list[np.ndarray]) -> np.ndarray:
    """The largest move of each entry; 0 where a move is not finite or is a jump (MAX_SPREAD)."""
    value = np.asarray(value, dtype=float)
    with np.errstate(invalid="ignore"):
        largest = np.max([np.abs(np.asarray(m, dtype=float) - value) for m in moved], axis=0)
        smooth = np.isfinite(largest) & (largest <= MAX_SPREAD * np.abs(value))
    return np.where(smooth, largest, 0.0)


class Sources:
    """Which wrong answers a step's value follows from, where the steps' recorded inputs do not
    say (a loss written as a sum, a parameter carried into the next update): the exercise is
    worked from the right answers with each wrong one added alone, and a step that then moves
    follows from it. Each such run is made once."""

    def __init__(self, exercise: Exercise, right: Mapping[str, tuple[Entry, np.ndarray]], from_right: Followed):
        self._exercise, self._right, self._from_right = exercise, dict(right), from_right
        self._with: dict[str, Followed] = {}

    def of(self, step_id: str, wrong: Mapping[str, tuple[Entry, np.ndarray]]) -> tuple[str, ...]:
        """The answers in `wrong` (step id → answer) that move `step_id` beyond its spread."""
        found = []
        for wrong_id, answer in wrong.items():
            if wrong_id not in self._with:
                overrides = {i: value for i, (_, value) in {**self._right, wrong_id: answer}.items()}
                try:
                    self._with[wrong_id] = Followed(solve(self._exercise, overrides=overrides, require_finite=False))
                except SolverError:  # the exercise cannot be worked from this answer alone
                    self._with[wrong_id] = self._from_right
            moved = np.asarray(self._with[wrong_id].value(step_id), dtype=float)
            still = np.asarray(self._from_right.value(step_id), dtype=float)
            if not np.allclose(moved, still, rtol=1e-9, atol=float(np.max(self._from_right.spread(step_id), initial=0))):
                found.append(wrong_id)
        return tuple(found)
