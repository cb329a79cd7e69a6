"""Weight initialisation (solver/kinds/mlp/initialization.py): the draws re-implemented here from
Python's random.Random and the Box–Muller formula, a few numbers pinned, seed 002's printed
variances, and sample means and variances over many draws."""

from __future__ import annotations

import math
import random
import tomllib

import numpy as np
import pytest

from solver.engine import solve
from solver.exercise import parse_exercise
from tests.conftest import EXERCISES


def _data() -> dict:
    return tomllib.loads((EXERCISES / "mlp-4-3-2-he-xavier-init.toml").read_text())


def _solve(data: dict, **options):
    return solve(parse_exercise(data, "init.toml"), **options)


def _normal(generator: random.Random) -> float:
    u1, u2 = generator.random(), generator.random()
    return math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)


def _draws(generator, rows, columns, normal=True):
    return np.array([[_normal(generator) if normal else generator.random() for _ in range(columns)]
                     for _ in range(rows)])


def test_the_shipped_exercise_reproduces_the_draws_exactly():
    solution = _solve(_data())
    epsilon = _draws(random.Random(11), 3, 4)
    u = _draws(random.Random(12), 2, 3, normal=False)
    # pinned: the first draws of random.Random(11) through Box–Muller, and of random.Random(12)
    assert solution["a.init.draws1"][0, :3].tolist() == [-1.0209384005340467, -2.218774767463573, -1.0157392703635546]
    assert solution["a.init.draws2"][0, :2].tolist() == [0.4745706786885481, 0.6574725026572553]
    assert np.array_equal(solution["a.init.draws1"], epsilon)
    assert np.array_equal(solution["a.init.draws2"], u)
    assert solution["a.init.var1"] == 2 / 4 and np.isclose(solution["a.init.std1"], math.sqrt(0.5))
    assert np.isclose(solution["a.init.var2"], 1 / 3) and np.isclose(solution["a.init.limit2"], 1.0)
    assert np.allclose(solution["a.init.W1"], math.sqrt(0.5) * epsilon)
    assert np.allclose(solution["a.init.W2"], 2 * u - 1)
    assert np.array_equal(solution["a.W1"], solution["a.init.W1"])  # training starts from the drawn weights
    assert np.array_equal(solution["a.b1"], np.zeros((3, 1)))


@pytest.mark.parametrize("scheme,expected", [("xavier", 1 / 4), ("glorot", 2 / 7), ("he", 2 / 4), ("tanh", 1 / 4)])
def test_seed_002s_variances_of_a_4_3_layer(scheme, expected):
    # seed 002 prints var(w) = 1/4 (1/n_in) and 2/7 (2/(n_in + n_out)) for n_in = 4, n_out = 3; He is 2/n_in
    data = _data()
    data["network"]["layers"][0]["initialization"] = {"scheme": scheme, "seed": 3}
    solution = _solve(data)
    assert np.isclose(solution["a.init.var1"], expected)
    assert np.allclose(solution["a.init.W1"], math.sqrt(expected) * _draws(random.Random(3), 3, 4))


def test_a_network_initialization_continues_one_stream_across_the_layers():
    data = _data()
    for layer in data["network"]["layers"]:
        del layer["initialization"]
    data["network"]["initialization"] = {"scheme": "glorot", "distribution": "uniform", "seed": 9}
    solution = _solve(data)
    stream = random.Random(9)
    first, second = _draws(stream, 3, 4, normal=False), _draws(stream, 2, 3, normal=False)
    assert np.allclose(solution["a.init.W1"], math.sqrt(3 * 2 / 7) * (2 * first - 1))
    assert np.allclose(solution["a.init.W2"], math.sqrt(3 * 2 / 5) * (2 * second - 1))


def test_a_layers_own_weights_win_over_the_network_initialization():
    data = _data()
    data["network"]["initialization"] = {"scheme": "zeros"}
    data["network"]["layers"][1] = {"units": 2, "activation": "sigmoid", "weights": 0.5}
    solution = _solve(data)
    assert np.array_equal(solution["a.W2"], np.full((2, 3), 0.5))
    assert "a.init.W2" not in {step.id for step in solution.steps}


@pytest.mark.parametrize("table,expected", [
    ({"scheme": "zeros"}, lambda: np.zeros((3, 4))),
    ({"scheme": "constant", "value": 0.25}, lambda: np.full((3, 4), 0.25)),
    ({"scheme": "uniform", "low": -0.5, "high": 1.5, "seed": 4},
     lambda: -0.5 + 2.0 * _draws(random.Random(4), 3, 4, normal=False)),
    ({"scheme": "normal", "mean": 0.1, "std": 0.01, "seed": 4}, lambda: 0.1 + 0.01 * _draws(random.Random(4), 3, 4)),
])
def test_the_plain_schemes(table, expected):
    data = _data()
    data["network"]["layers"][0]["initialization"] = table
    assert np.allclose(_solve(data)["a.init.W1"], expected())


@pytest.mark.parametrize("scheme,variance", [("xavier", 1 / 200), ("glorot", 2 / 500), ("he", 2 / 200)])
@pytest.mark.parametrize("distribution", ["normal", "uniform"])
def test_sample_mean_and_variance_over_many_draws(scheme, variance, distribution):
    data = {"network": {"inputs": 200, "activation": "relu", "layers": [
        {"units": 300, "initialization": {"scheme": scheme, "distribution": distribution, "seed": 21}},
        {"units": 1, "weights": 0.0, "biases": 0.0}]}, "parts": [{"name": "a", "train": False, "queries": [[0.0] * 200]}]}
    weights = _solve(data)["a.init.W1"]
    count = weights.size  # 60,000 draws: the sample mean is within 5 standard errors of 0
    assert abs(weights.mean()) < 5 * math.sqrt(variance / count)
    assert weights.var() == pytest.approx(variance, rel=0.03)
    if distribution == "uniform":
        assert np.abs(weights).max() < math.sqrt(3 * variance)


def test_an_overridden_initial_weight_is_followed():
    data = _data()
    truth = _solve(data)
    changed = truth["a.init.W2"] + 0.1
    solution = _solve(data, overrides={"a.init.W2": changed})
    assert np.allclose(solution["a.W2"], changed)
    assert not np.allclose(solution["a.x2"], truth["a.x2"])
