"""Fuzzing the cnn reader: whatever the input and layers hold, loading gives either a solution
(solved and rendered in every format) or a clean SolverError; never another exception."""

from __future__ import annotations

from contextlib import suppress

from hypothesis import given
from hypothesis import strategies as st

import solver
from solver.errors import SolverError
from solver.exercise import parse_exercise
from solver.limits import Limits
from tests.hostile import FUZZ

SMALL = Limits(parameters=5000, steps=500)

sizes = st.one_of(st.integers(-3, 40), st.sampled_from([0, 2**53, 2**53 + 1, 2**64, 10**6, 10**6 + 1, -(2**70)]),
                  st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.text(max_size=5), st.none())
pairs = st.one_of(sizes, st.lists(sizes, max_size=3))
layer_values = {
    "type": st.one_of(st.sampled_from(["conv", "pool", "fc", "convolution", "dense", "Conv", ""]), st.text(max_size=6),
                      st.integers(), st.lists(st.sampled_from(["conv", 1]), max_size=2), st.just({"conv": 1})),
    "filters": sizes, "size": pairs, "stride": pairs, "padding": pairs, "units": sizes,
    "op": st.one_of(st.sampled_from(["max", "avg", "subsample", "min"]), st.text(max_size=4), st.lists(sizes, max_size=2)),
    "input_channels": st.one_of(st.lists(sizes, max_size=6), sizes),
}
layer = st.dictionaries(st.sampled_from([*layer_values, "tipe", "\x1b[2J"]), st.just(None), max_size=6).flatmap(
    lambda keys: st.fixed_dictionaries({key: layer_values.get(key, sizes) for key in keys}))
network = st.fixed_dictionaries({
    "kind": st.just("cnn"),
    "input": st.one_of(st.lists(sizes, max_size=4), sizes),
    "layers": st.one_of(st.lists(st.one_of(layer, sizes), max_size=5), sizes),
}, optional={
    "conventions": st.one_of(st.fixed_dictionaries({}, optional={"bias_is_connection": st.one_of(st.booleans(), sizes),
                                                                 "delta": st.text(max_size=3)}), sizes),
    "parts": st.one_of(st.lists(st.fixed_dictionaries({}, optional={
        "name": st.text(max_size=5), "start": st.sampled_from(["initial", "previous", "x"]),
        "input": st.lists(sizes, max_size=4), "layers": st.lists(layer, max_size=3),
        "compare_with": st.one_of(st.sampled_from(["a", "b", "c"]), st.text(max_size=3), sizes)}), max_size=3), sizes),
})


def without_none(value):
    """TOML has no null: a None stands for a key left out."""
    if isinstance(value, dict):
        return {k: without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_none(v) for v in value if v is not None]
    return value


@FUZZ
@given(network)
def test_any_cnn_exercise_is_a_solution_or_a_clean_error(data):
    with suppress(SolverError):
        solution = solver.solve(parse_exercise(without_none(data), "fuzz.toml", limits=SMALL))
        for format in ("md", "tex", "json"):
            solution.render(format)


@FUZZ
@given(st.integers(1, 30), st.integers(1, 30), st.integers(1, 9), st.integers(1, 9), st.integers(0, 3))
def test_a_window_that_does_not_fit_is_always_explained(width, size, stride, padding, channels):
    data = {"kind": "cnn", "input": [width, width, channels + 1],
            "layers": [{"type": "conv", "filters": 2, "size": size, "stride": stride, "padding": padding}]}
    fits = size <= width + 2 * padding and (width + 2 * padding - size) % stride == 0
    try:
        solution = solver.solve(parse_exercise(data, "fit.toml"))
    except SolverError as problem:
        assert not fits and problem.key in ("layers[0].size", "layers[0].stride") and "\n" not in str(problem)
        assert "fit" in problem.message
    else:
        assert fits and solution["a.l1.width"] == (width + 2 * padding - size) // stride + 1
