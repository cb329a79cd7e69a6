"""Fuzzing the regularization table and the gradient-check keys of a part: whatever they hold,
the exercise gives a solution or a clean SolverError, never another exception."""

from contextlib import suppress

from hypothesis import given
from hypothesis import strategies as st

import solver
from solver.errors import SolverError
from solver.exercise import parse_exercise
from solver.limits import Limits
from tests.hostile import FUZZ

SMALL = Limits(parameters=5000, steps=500)
values = st.one_of(
    st.sampled_from(["l2", "l1", "none", "L2", "penalty", "weight_decay", "", 0, -1, 1e-7, 1e308, 2**64, True, False]),
    st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.text(max_size=10),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
keys = st.sampled_from(["penalty", "strength", "divide_by_batch", "biases", "form"]) | st.text(max_size=10)
check_keys = st.sampled_from(["gradient_check", "gradient_check_epsilon", "gradient_check_threshold"])


def exercise(table, part: dict, training: dict) -> dict:
    return {
        "title": "fuzz",
        "network": {"inputs": 2, "activation": "sigmoid", "weights": 0.1, "biases": 0.0,
                    "layers": [{"units": 2}, {"units": 1}]},
        "training": {"samples": [{"input": [1, 0], "target": [1]}, {"input": [0, 1], "target": [0]}],
                     "regularization": table, **training},
        "parts": [{"name": "a", **part}, {"name": "b", "regularization": table, "start": "previous"}],
    }


@FUZZ
@given(st.one_of(st.dictionaries(keys, values, max_size=6), values),
       st.dictionaries(check_keys, values, max_size=3),
       st.fixed_dictionaries({}, optional={"mode": st.sampled_from(["batch", "minibatch", "stochastic"]),
                                           "batch_size": st.integers(0, 3),
                                           "optimizer": st.sampled_from([{"name": "adam"}, {"name": "sgd"}, 3]),
                                           "clipping": st.sampled_from([{"threshold": 1.0}, {}])}))
def test_any_regularization_table_gives_a_solution_or_a_clean_error(table, part, training):
    with suppress(SolverError):
        solution = solver.solve(parse_exercise(exercise(table, part, training), "fuzz.toml", limits=SMALL))
        for format in ("md", "tex", "json"):
            solution.render(format)
