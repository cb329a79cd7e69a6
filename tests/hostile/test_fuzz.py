"""Fuzzing the loaders: whatever a file holds, the only exception that may escape is SolverError.

Three depths: random text as a file; random TOML-shaped structures; and the shipped exercises
with random keys replaced, removed or added, run through the whole pipeline (load, solve, render).
"""

import datetime
import tomllib
from contextlib import suppress

import pytest

from hypothesis import given
from hypothesis import strategies as st

import solver
from solver.check import check, load_answers, parse_answers
from solver.errors import SolverError
from solver.exercise import load_exercise, parse_exercise
from solver.limits import Limits
from tests.conftest import EXERCISES
from tests.hostile import FUZZ

SMALL = Limits(parameters=5000, steps=500)  # keep each example fast; the limits themselves are tested too

numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, -1, 0.1, 1e-300, 1e300, 10**6, 2**64]),
)
words = st.sampled_from(
    ["sigmoid", "tanh", "relu", "softmax", "identity", "softplus", "batch", "stochastic", "half_sse",
     "cross_entropy", "previous", "initial", "mean", "sum", "-dE/dz", "zx", r"\input{/etc/passwd}", "<script>",
     "optimizer", "mlp", "adam", "momentum", "nesterov", "adagrad", "rmsprop", "minibatch", "average", "inside",
     "w^2/2", "x*y", "w", "velocity", "first_moment", "square_sum", "inverse", "global", "summary",
     "graph", "batchnorm", "q = x + y", "f = q * z", "W @ x", "max(x, y)", "1/(1 + exp(-x))", "gate", "expanded",
     "perceptron", "knn", "and", "xor", "majority", "threshold", "sign", "w0", "b", "l1", "l2", "nearest", "smaller_k"]
)
leaves = st.one_of(numbers, st.booleans(), st.text(max_size=20), words,
                   st.datetimes(min_value=datetime.datetime(1900, 1, 1)), st.dates())
toml_values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=12) | words, inner, max_size=6),
    max_leaves=40,
)


def run_pipeline(data: dict) -> None:
    with suppress(SolverError):  # the one exception that may escape
        solution = solver.solve(parse_exercise(data, "fuzz.toml", limits=SMALL))
        for format in ("md", "tex", "html", "json"):
            solution.render(format)


@FUZZ
@given(st.text(max_size=400))
def test_random_text_as_an_exercise_file(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "exercise.toml"
    path.write_text(text)
    with suppress(SolverError):
        load_exercise(path)


@FUZZ
@given(st.dictionaries(st.sampled_from(["title", "network", "training", "parts", "conventions", "precision", "kind",
                                        "parameters", "gradients", "objective", "optimizer", "state", "steps",
                                        "clipping", "detail", "nodes", "values", "expression", "sigmoid",
                                        "output", "samples", "gamma", "beta", "epsilon", "upstream", "targets",
                                        "loss", "dataset", "inputs", "activation", "bias", "learning_rate",
                                        "max_epochs", "weights", "points", "labels", "query", "queries", "k",
                                        "distance", "tie"]) | st.text(max_size=8),
                       toml_values, max_size=6))
def test_random_structures_as_an_exercise(data):
    run_pipeline(data)


SHIPPED = [tomllib.loads(path.read_text()) for path in sorted(EXERCISES.glob("*.toml"))]


def paths(value, prefix=()):
    """Every place in a parsed TOML document: (path tuple) for dict keys and list items."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def mutated(document, path, action, replacement):
    import copy

    document = copy.deepcopy(document)
    if not path:
        return document
    *parents, last = path
    holder = document
    for step in parents:
        holder = holder[step]
    if action == "replace":
        holder[last] = replacement
    elif action == "delete":
        del holder[last]
    elif isinstance(holder, dict):
        holder[f"{last}_extra"] = replacement
    else:
        holder.append(replacement)
    return document


@FUZZ
@given(st.data())
def test_shipped_exercises_with_random_changes(data):
    document = data.draw(st.sampled_from(SHIPPED))
    for _ in range(data.draw(st.integers(1, 3))):
        places = list(paths(document))
        path = data.draw(st.sampled_from(places))
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        document = mutated(document, path, action, data.draw(toml_values))
    run_pipeline(document)


extreme_numbers = st.one_of(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.sampled_from([0, 0.0, -0.0, 1e-320, 1e300, -1e300, 1e154, 709.8, -745.2, 2**53, 1, -1, 100, 1000]),
)


def with_numbers_changed(value, draw_number, chance, in_list=False):
    """`value` with some of its data numbers replaced by `draw_number()`: floats and list entries
    (weights, biases, rates, samples), not the whole numbers that give the network its shape."""
    if isinstance(value, dict):
        return {key: with_numbers_changed(item, draw_number, chance) for key, item in value.items()}
    if isinstance(value, list):
        return [with_numbers_changed(item, draw_number, chance, True) for item in value]
    if (isinstance(value, float) or (in_list and isinstance(value, int) and not isinstance(value, bool))) and chance():
        return draw_number()
    return value


@FUZZ
@given(st.data())
def test_shipped_exercises_with_extreme_numbers(data):
    # the structure stays valid, so most examples reach the engine and the renderers
    document = data.draw(st.sampled_from(SHIPPED))
    rate = data.draw(st.floats(0.05, 0.5))
    run_pipeline(with_numbers_changed(document, lambda: data.draw(extreme_numbers),
                                      lambda: data.draw(st.floats(0, 1)) < rate))


EXERCISE = solver.load("mlp-5-3-2-sigmoid")
STEP_IDS = list(solver.solve(EXERCISE).ids)


@FUZZ
@given(st.dictionaries(st.sampled_from(STEP_IDS) | st.text(max_size=10), toml_values, max_size=8))
def test_random_answers(data):
    with suppress(SolverError):
        report = check(EXERCISE, parse_answers(data, "fuzz.toml"))
        for format in ("text", "md", "html", "json"):
            report.render(format)


@FUZZ
@given(st.text(max_size=300))
def test_random_text_as_an_answers_file(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "answers.toml"
    path.write_text(text)
    with suppress(SolverError):
        check(EXERCISE, load_answers(path)).render("text")


def test_deeply_nested_toml_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    for loader in (load_exercise, load_answers):
        with pytest.raises(SolverError, match="invalid TOML"):
            loader(path)


def test_huge_integers_are_refused_on_their_key():
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["network"]["weights"] = 10**5000
    with pytest.raises(SolverError, match=r"network.layers\[0\].weights: expected a number below 2\^53 in size, got an integer of about 5001 digits"):
        parse_exercise(data, "huge.toml")
    assert check(EXERCISE, parse_answers({"a.z1": 10**5000})).verdicts[0].reason.endswith("about 5001 digits")
