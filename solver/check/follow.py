"""What follows from a student's own answers: the engine run with them in place of the true values,
the band a later step can take given how well each answer is known, and which wrong answers a
step's value comes from.

Each answered number stands for a range of values the student may have carried forward: what was
written ± half its last digit (a student who writes 0.108795 may have carried −0.1087950323's
digits), never coarser than the third significant figure for a wrong answer and the fourth for one
right at face value, whose true value, carried unrounded, is in its range too (a right 1.37 for
1.36788 stands for 1.36788 to 1.3705, not for anything that rounds to 1.37); exactly what was
written for a whole number, a fraction or a number equal to its true value; and for a 0 written
where the value is not 0, what rounds to 0.
The exercise is worked at the middle of every range; with every number moved to either end
together, and alternately, to see that each step moves back and forth by the same amount (smooth);
and with the answers moved in groups, whose moves are added up into the step's band. A step that
is not smooth (a class, an order or a threshold flips inside the ranges), or whose value from the
answers as written lies outside its band, has no band.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from solver.check.answers import Entry
from solver.check.tolerance import figure_unit
from solver.engine import solve
from solver.engine.steps import Solution
from solver.errors import SolverError
from solver.exercise import Exercise

LINEAR = 0.1
"""How far the moves up and down of a smooth step may differ, as a share of the larger one."""

GROUPS = 12
"""The answers are moved in this many groups, every twelfth answer in sheet order together, and the
groups' moves added up: s = q − r moves by both when q and r move apart, as a student's could."""

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
    figures = 4 if right else 3  # a right answer is not a licence to carry anything that rounds to it
    halves = np.array([_half_unit(n.value, n.unit, t, figures) for n, t in zip(entry.flat, np.ravel(true))],
                      dtype=float).reshape(written.shape)
    low, high = written - halves, written + halves
    if right:  # or the true value itself, carried unrounded
        low, high = np.minimum(low, true), np.maximum(high, true)
    return (low + high) / 2, (high - low) / 2


def _half_unit(value: float, unit: float | None, true: float, figures: int) -> float:
    """Half the last written digit, never coarser than the significant figure `figures`; a 0 written
    for a value that is not 0 stands for what rounds to 0 at that figure of the true value (a net
    input of 0.00049 written 0 may have been either side of a threshold)."""
    if value == 0 and true != 0 and np.isfinite(true):
        return figure_unit(true, figures) / 2
    if unit is None or value == 0 or value == true or (unit >= 1 and float(value).is_integer()):
        return 0.0
    return min(unit, figure_unit(value, figures)) / 2


def follow(exercise: Exercise, written: Mapping[str, np.ndarray], ranges: Mapping[str, Band],
           judged: Iterable[str]) -> Followed:
    """The exercise worked from the `written` answers (step id → value in the step's shape), with
    the band of every `judged` step as those answers move within their `ranges`."""
    base = Followed(solve(exercise, overrides=dict(written), require_finite=False))
    moving = [step_id for step_id, (_, half) in ranges.items() if half.any()]
    if not moving:
        return base
    middles = {step_id: middle for step_id, (middle, _) in ranges.items()}

    def run(shifts: Mapping[str, np.ndarray]) -> Followed:
        return Followed(solve(exercise, overrides={**middles, **shifts}, require_finite=False))

    sizes = [ranges[i][1].size for i in moving]  # alternating across every moving number, not within each answer
    signs = dict(zip(moving, np.split(np.where(np.arange(sum(sizes)) % 2 == 0, 1.0, -1.0), np.cumsum(sizes)[:-1])))
    try:
        middle = run({})
        together = [run({i: middles[i] + sign * (ranges[i][1] if up else signs[i].reshape(ranges[i][1].shape)
                                                                    * ranges[i][1]) for i in moving})
                    for up in (True, False) for sign in (1.0, -1.0)]
        groups = [moving[k::GROUPS] for k in range(min(GROUPS, len(moving)))]  # neighbours in different groups
        alone = [[run({i: middles[i] + pattern(ranges[i][1]) for i in group}) for pattern in (_up, _alternating)]
                 for group in groups]
    except SolverError:  # answers moved where the exercise cannot take them (a size no longer whole)
        return Followed(base.solution, {step_id: None for step_id in judged})
    bands = {}
    for step_id in judged:
        centre = np.asarray(middle.value(step_id), dtype=float)
        smooth = _smooth(centre, [np.asarray(r.value(step_id), dtype=float) for r in together])
        # each group's own largest move, added up: moves of different answers may cancel when all move at once
        widths = [np.max([np.abs(np.asarray(r.value(step_id), dtype=float) - centre) for r in runs], axis=0)
                  for runs in alone]
        width = np.sum(widths, axis=0)
        # the answers as written are one corner of their ranges: a step whose value there is outside
        # the band jumped between (a class, an order)
        inside = np.all(np.abs(np.asarray(base.value(step_id), dtype=float) - centre) <= width * (1 + LINEAR) + 1e-12)
        bands[step_id] = (centre, width) if smooth and inside and np.all(np.isfinite(width)) else None
    return Followed(base.solution, bands)


def _up(half: np.ndarray) -> np.ndarray:
    return half


def _alternating(half: np.ndarray) -> np.ndarray:
    return half * np.where(np.arange(half.size) % 2 == 0, 1.0, -1.0).reshape(half.shape)


def _smooth(middle: np.ndarray, moved: list[np.ndarray]) -> bool:
    """Whether every move up is matched by one down (see LINEAR): (up, down) pairs in `moved`."""
    if not (np.all(np.isfinite(middle)) and all(np.all(np.isfinite(m)) for m in moved)):
        return False
    for up, down in (moved[0:2], moved[2:4]):
        up, down = up - middle, down - middle
        if np.any(np.abs(up + down) > LINEAR * np.maximum(np.abs(up), np.abs(down)) + 1e-12 * (1 + np.abs(middle))):
            return False
    return True


class Origins:
    """Which earlier wrong answers a step's value comes from: those that, put right, would change
    it (the student's other answers held as written). A wrong answer whose effect is cut off (by a
    ReLU, a max, or a later answer of the student's that overrides it) is not named. Each answer
    put right is one run of the exercise, made once."""

    def __init__(self, exercise: Exercise, written: Mapping[str, np.ndarray], truth: Solution, followed: Followed):
        self._exercise, self._written, self._truth, self._followed = exercise, dict(written), truth, followed
        self._put_right: dict[str, Followed | None] = {}

    def of(self, step_id: str, candidates: Mapping[str, tuple[str, ...]]) -> tuple[tuple[str, ...], bool]:
        """`candidates`: each earlier answer → where its error comes from (itself if wrong, its own
        origins if it follows through, nothing if right). The origins of `step_id`, in order, and
        whether any candidate moves it at all (a right one, rounded, may)."""
        found: list[str] = []
        moved = False
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
                moved = True
                found.extend(source for source in sources if source not in found)
        return tuple(found), moved
