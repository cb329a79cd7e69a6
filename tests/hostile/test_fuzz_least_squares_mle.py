"""Fuzzing the least_squares and mle readers: whatever their keys hold, the exercise is solved and
rendered, or refused with a SolverError; no other exception escapes."""

from contextlib import suppress

from hypothesis import given
from hypothesis import strategies as st

import solver
from solver.errors import SolverError
from solver.exercise import parse_exercise
from solver.limits import Limits
from tests.hostile import FUZZ

SMALL = Limits(parameters=5000, steps=500)
numbers = st.one_of(st.integers(min_value=-5, max_value=5), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([0, 1, -1, 0.1, 0.5, 1e-300, 1e300, 2**64, True, 0.123456789]))
small_lists = st.lists(numbers, max_size=4)
matrices = st.lists(st.lists(st.integers(min_value=-3, max_value=3), min_size=1, max_size=3), max_size=5)
anything = st.one_of(numbers, st.text(max_size=10), small_lists, st.lists(small_lists, max_size=4),
                     st.dictionaries(st.text(max_size=6), numbers, max_size=3))


def run(data: dict) -> None:
    with suppress(SolverError):
        solution = solver.solve(parse_exercise(data, "fuzz.toml", limits=SMALL))
        for format in ("md", "tex", "json"):
            solution.render(format)


least_squares = st.fixed_dictionaries({"kind": st.just("least_squares")}, optional={
    "x": st.one_of(small_lists, st.lists(st.integers(-3, 3), min_size=2, max_size=5), anything),
    "y": st.one_of(small_lists, st.lists(st.integers(-3, 3), min_size=2, max_size=5), anything),
    "X": st.one_of(matrices, anything),
    "Y": st.one_of(matrices, anything),
    "intercept": st.one_of(st.booleans(), anything),
    "loss_factor": st.one_of(st.sampled_from([0.5, 1, 2]), anything),
    "exact": st.one_of(st.sampled_from([True, False, "auto", 1]), anything),
    "parts": st.one_of(st.lists(st.dictionaries(st.sampled_from(["name", "title", "start"]), anything, max_size=2),
                                max_size=2), anything),
})
points = st.lists(st.lists(st.integers(min_value=-3, max_value=3), min_size=2, max_size=2), max_size=8)
mle = st.fixed_dictionaries({"kind": st.just("mle")}, optional={
    "sequence": st.one_of(st.text(alphabet="HT ,x", max_size=12), anything),
    "success": st.one_of(st.sampled_from(["H", "T", "x y", ""]), anything),
    "candidates": st.one_of(st.lists(st.sampled_from([0, 0.25, 1, 1.5, -1]), max_size=3), anything),
    "points": st.one_of(points, anything),
    "labels": st.one_of(st.lists(st.sampled_from(["A", "B", 1, 2, True]), max_size=8), anything),
    "query": st.one_of(small_lists, anything),
    "queries": st.one_of(st.lists(small_lists, max_size=3), anything),
    "covariance": st.one_of(st.sampled_from(["biased", "unbiased"]), anything),
    "prior": st.one_of(st.sampled_from(["equal", "frequency"]), anything),
    "exact": st.one_of(st.booleans(), anything),
    "parts": st.one_of(st.lists(st.dictionaries(st.sampled_from(["name", "title"]), anything, max_size=2),
                                max_size=2), anything),
})


@FUZZ
@given(least_squares)
def test_any_least_squares_exercise_is_solved_or_refused_cleanly(data):
    run(data)


@FUZZ
@given(mle)
def test_any_mle_exercise_is_solved_or_refused_cleanly(data):
    run(data)
