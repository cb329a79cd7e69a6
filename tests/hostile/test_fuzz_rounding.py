"""Fuzzing the `rounding` convention's reader (solver/rounding.py) and the engine behind it:
whatever the table holds, only SolverError escapes, and a solution that is made is rendered."""

from contextlib import suppress

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import solver
from solver.errors import SolverError
from solver.exercise import parse_exercise
from solver.rounding import CATEGORIES
from tests.conftest import network_exercise
from tests.hostile import FUZZ
from tests.hostile.test_fuzz import toml_values

keys = st.sampled_from([*CATEGORIES, "decimals", "significant", "Decimals", "activations"]) | st.text(max_size=8)
rules = st.dictionaries(st.sampled_from(["decimals", "significant"]) | st.text(max_size=6),
                        st.integers(-3, 40) | toml_values, max_size=3)
roundings = st.dictionaries(keys, rules | st.integers(-3, 40) | toml_values, max_size=4) | toml_values


@FUZZ
@given(roundings, st.floats(-50, 50, allow_nan=False))
def test_random_rounding_tables(rounding, weight):
    data = network_exercise([2, 2, 1], ["tanh", "sigmoid"], weights=[[[weight, 0.1], [0.2, -0.3]], [[0.5, -weight]]],
                            biases=[[0.1, 0.0], [0.0]], samples=[{"input": [1, -2], "target": [1]}],
                            conventions={"rounding": rounding})
    with suppress(SolverError):
        solution = solver.solve(parse_exercise(data, "fuzz.toml"))
        for format in ("md", "tex", "json"):
            solution.render(format)


short_decimals = st.integers(-2000, 2000).map(lambda k: k / 100) | st.floats(-10, 10, allow_nan=False)


@FUZZ
@given(st.sampled_from(["fraction", "decimal"]) | toml_values, st.sampled_from(["identity", "relu", "sigmoid", "tanh"]),
       st.lists(short_decimals, min_size=7, max_size=7), st.sampled_from([{}, {"decimals": 2}, {"significant": 3}]))
def test_number_format_and_fractions(number_format, activation, numbers, rounding):
    data = network_exercise([2, 2, 1], [activation, "identity"], weights=[[numbers[:2], numbers[2:4]], [numbers[4:6]]],
                            biases=[[numbers[6], 0.0], [0.5]], samples=[{"input": [1, -2], "target": [1]}],
                            conventions={"rounding": rounding})
    data["number_format"] = number_format
    with suppress(SolverError):
        solution = solver.solve(parse_exercise(data, "fuzz.toml"))
        for step in solution.steps:
            if step.exact is not None:  # a fraction on the sheet is the number the engine used
                floats = np.array([float(f) for f in step.exact.flat]).reshape(step.value.shape)
                np.testing.assert_allclose(floats, step.value, rtol=1e-9, atol=1e-12)
        for format in ("md", "tex", "json"):
            solution.render(format)
