"""The mle kind's engine: a Bernoulli sequence (bernoulli.py) or Gaussian classes (gaussian.py),
whichever the exercise gives. Exact fractions are kept unless the checker overrides a step (a
student's values are decimals)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from solver.engine.scope import Scope
from solver.engine.slips import Slip
from solver.engine.steps import Recorder, Solution
from solver.exercise import Exercise
from solver.kinds.mle import bernoulli, gaussian
from solver.kinds.mle.reader import Sequence


def solve(exercise: Exercise, overrides: Mapping[str, np.ndarray] | None = None, slip: Slip | None = None,
          *, require_finite: bool = True) -> Solution:
    """Work the mle `exercise` (solver.engine.solve calls this)."""
    recorder = Recorder(overrides, source=exercise.path, require_finite=require_finite, limits=exercise.limits,
                        fractions=exercise.number_format == "fraction")
    setup = exercise.setup
    with np.errstate(all="ignore"):
        for part in exercise.parts:
            scope = Scope(recorder, part, "", slip)
            if isinstance(setup, Sequence):
                bernoulli.work(scope, setup, exact=not overrides)
            else:
                gaussian.work(scope, setup, exact=setup.exact and not overrides)
    return Solution(exercise, recorder.steps(), recorder.recomputed())
