"""What follows from a student's own answers: the engine run with them in place of the true values,
the band a later step can take given how well each answer is known, and which wrong answers a
step's value comes from.

Each answered number stands for a range of values the student may have carried forward:
- an answer right at face value, anything from what was written to the true value (0.5498 for
  0.549834: the student carried either, or something between);
- any other answer, what was written ± half its last digit, never coarser than its third
  significant figure (a student who writes 0.108795 may have carried −0.1087950323's digits);
- exactly what was written for a whole number, a fraction, a 0 or a number equal to its true value.
The exercise is worked at the middle of every range, and again with every number moved to either
end in two patterns (all together, and alternately); a step that moves back and forth by the same
amount is smooth there, and its band is that middle ± the largest move. A step that does not
(a class, an order or a maximum flips inside the ranges, a kink) has no band.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from solver.check.answers import Entry
from solver.engine import solve
from solver.engine.steps import Solution
from solver.errors import SolverError
from solver.exercise import Exercise

LINEAR = 0.1
"""How far the moves up and down of a smooth step may differ, as a share of the larger one."""

Band = tuple[np.ndarray, np.ndarray]
"""(middle, half-width) of a step's values, elementwise."""


@dataclass(frozen=True)
class Followed:
    """The exercise worked from some answers as written, and each judged step's band (None: not
    smooth inside the answers' ranges)."""

    solution: Solution
    bands: Mapping[str, Band | None] = field(default_factory=dict)

    def value(self, step_id: str) -> np.ndarray:
        """The step worked from its inputs (for an answered step: not the answer itself)."""
        return self.solution.recomputed.get(step_id, self.solution[step_id])

    def band(self, step_id: str) -> Band | None:
        if step_id not in self.bands:
            return self.value(step_id), np.zeros(np.shape(self.value(step_id)))
        return self.bands[step_id]


def answer_range(entry: Entry, written: np.ndarray, true: np.ndarray, right: bool) -> Band:
    """(middle, half-width) of the values an answer stands for (see the module's docstring)."""
    written, true = np.asarray(written, dtype=float), np.asarray(true, dtype=float)
    if right:
        return (written + true) / 2, np.abs(true - written) / 2
    halves = [_half_unit(n.value, n.unit, t) for n, t in zip(entry.flat, np.ravel(true))]
    return written, np.array(halves, dtype=float).reshape(written.shape)


def _half_unit(value: float, unit: float | None, true: float) -> float:
    if unit is None or value == 0 or value == true or (unit >= 1 and float(value).is_integer()):
        return 0.0
    return min(unit, 10.0 ** (math.floor(math.log10(abs(value))) - 2)) / 2


def follow(exercise: Exercise, written: Mapping[str, np.ndarray], ranges: Mapping[str, Band],
           judged: Iterable[str]) -> Followed:
    """The exercise worked from the `written` answers (step id → value in the step's shape), with
    the band of every `judged` step as those answers move within their `ranges`."""
    base = Followed(solve(exercise, overrides=dict(written), require_finite=False))
    if not any(half.any() for _, half in ranges.values()):
        return base
    order = list(ranges)
    sizes = [ranges[i][1].size for i in order]
    patterns = [np.ones(sum(sizes)), np.where(np.arange(sum(sizes)) % 2 == 0, 1.0, -1.0)]
    runs = []
    try:
        middle = Followed(solve(exercise, overrides={i: ranges[i][0] for i in order}, require_finite=False))
        for pattern in patterns:
            for sign in (1.0, -1.0):
                shifted = {}
                for i, piece in zip(order, np.split(pattern, np.cumsum(sizes)[:-1])):
                    shifted[i] = ranges[i][0] + sign * piece.reshape(ranges[i][1].shape) * ranges[i][1]
                runs.append(Followed(solve(exercise, overrides=shifted, require_finite=False)))
    except SolverError:  # answers moved where the exercise cannot take them (a size no longer whole)
        return Followed(base.solution, {step_id: None for step_id in judged})
    return Followed(base.solution, {step_id: _band(middle.value(step_id), [r.value(step_id) for r in runs])
                                    for step_id in judged})


def _band(middle: np.ndarray, moved: list[np.ndarray]) -> Band | None:
    """The middle ± the largest move, when every move up is matched by one down (see LINEAR)."""
    middle = np.asarray(middle, dtype=float)
    moves = [np.asarray(m, dtype=float) - middle for m in moved]
    if not all(np.all(np.isfinite(move)) for move in moves) or not np.all(np.isfinite(middle)):
        return None
    for up, down in (moves[0:2], moves[2:4]):
        larger = np.maximum(np.abs(up), np.abs(down))
        if np.any(np.abs(up + down) > LINEAR * larger + 1e-12 * (1 + np.abs(middle))):
            return None
    return middle, np.max(np.abs(moves), axis=0)


class Origins:
    """Which earlier wrong answers a step's value comes from: those that, put right, would change
    it (the student's other answers held as written). A wrong answer whose effect is cut off (by a
    ReLU, a max, or a later answer of the student's that overrides it) is not named. Each answer
    put right is one run of the exercise, made once."""

    def __init__(self, exercise: Exercise, written: Mapping[str, np.ndarray], truth: Solution, followed: Followed):
        self._exercise, self._written, self._truth, self._followed = exercise, dict(written), truth, followed
        self._put_right: dict[str, Followed | None] = {}

    def of(self, step_id: str, candidates: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
        """`candidates`: each earlier answer that is wrong or follows through → where its error comes
        from (itself, or its own origins). The origins of `step_id` among them, in order."""
        found: list[str] = []
        for answer_id, sources in candidates.items():
            if answer_id not in self._put_right:
                overrides = {**self._written, answer_id: self._truth[answer_id]}
                try:
                    self._put_right[answer_id] = Followed(solve(self._exercise, overrides=overrides,
                                                                require_finite=False))
                except SolverError:
                    self._put_right[answer_id] = None
            corrected = self._put_right[answer_id]
            if corrected is None:
                continue
            now, then = self._followed.value(step_id), corrected.value(step_id)
            if not np.allclose(np.asarray(now, dtype=float), np.asarray(then, dtype=float), rtol=1e-9, atol=1e-12,
                               equal_nan=True):
                found.extend(source for source in sources if source not in found)
        return tuple(found)
