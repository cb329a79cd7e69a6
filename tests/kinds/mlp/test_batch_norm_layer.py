"""Batch norm on an MLP layer (solver/kinds/mlp/normalization.py) against a plain-NumPy oracle
written here: its forward pass (z = W x, batch μ and biased σ², ẑ, z̃ = γẑ + β, x = f(z̃)), central
finite differences of its batch loss for ∂E/∂W, ∂E/∂γ, ∂E/∂β, and its own training loop for the
updates, the running averages and the query that uses them.
"""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import numpy as np
import pytest

import solver
from solver.errors import ExerciseError
from solver.exercise import parse_exercise

EXERCISE = Path(__file__).parents[3] / "exercises" / "mlp-batch-norm-layer.toml"
FUNCTIONS = {"tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "identity": lambda z: z}


def _data() -> dict:
    return tomllib.loads(EXERCISE.read_text())


def _solve(data: dict):
    return solver.solve(parse_exercise(data, "bn.toml"))


def _network(data: dict) -> list[dict]:
    """The layers as plain arrays: W, and b or (γ, β, ε, momentum)."""
    layers = []
    for layer in data["network"]["layers"]:
        units = layer["units"]
        plain = {"f": FUNCTIONS[layer["activation"]], "W": np.array(layer["weights"], dtype=float)}
        if layer.get("batch_norm"):
            plain.update(gamma=np.full((units, 1), 1.0) * np.array(layer.get("gamma", 1.0)).reshape(-1, 1),
                         beta=np.full((units, 1), 1.0) * np.array(layer.get("beta", 0.0)).reshape(-1, 1),
                         eps=layer.get("epsilon", 1e-5), momentum=layer.get("momentum", 0.9),
                         mean=np.zeros((units, 1)), var=np.ones((units, 1)))
        else:
            plain["b"] = np.array(layer["biases"], dtype=float).reshape(-1, 1)
        layers.append(plain)
    return layers


def _forward(layers, x, training=True):
    """The output, and each batch-norm layer's (μ, σ²) of this batch."""
    statistics = []
    for layer in layers:
        z = layer["W"] @ x
        if "gamma" in layer:
            mu, var = (z.mean(axis=1, keepdims=True), z.var(axis=1, keepdims=True)) if training else (
                layer["mean"], layer["var"])
            statistics.append((mu, var))
            z = layer["gamma"] * (z - mu) / np.sqrt(var + layer["eps"]) + layer["beta"]
        else:
            z = z + layer["b"]
        x = layer["f"](z)
    return x, statistics


def _loss(layers, x, t) -> float:
    return float(0.5 * ((_forward(layers, x)[0] - t) ** 2).sum())


def _numeric_gradient(layers, x, t, index: int, name: str, h=1e-6) -> np.ndarray:
    gradient = np.zeros_like(layers[index][name])
    for position in np.ndindex(gradient.shape):
        shifted = [copy.deepcopy(layers), copy.deepcopy(layers)]
        shifted[0][index][name][position] += h
        shifted[1][index][name][position] -= h
        gradient[position] = (_loss(shifted[0], x, t) - _loss(shifted[1], x, t)) / (2 * h)
    return gradient


def _batch(data: dict, rows=None):
    samples = data["training"]["samples"]
    rows = range(len(samples)) if rows is None else rows
    return (np.array([samples[i]["input"] for i in rows], dtype=float).T,
            np.array([samples[i]["target"] for i in rows], dtype=float).T)


@pytest.mark.parametrize("gamma, beta", [(1.0, 0.0), ([1.5, 0.5, -0.8], [0.2, -0.1, 0.3])])
def test_gradients_agree_with_finite_differences_of_the_batch_loss(gamma, beta):
    data = _data()
    data["network"]["layers"][0].update(gamma=gamma, beta=beta)
    solution = _solve(data)
    layers = _network(data)
    x, t = _batch(data)
    for stem, index, name in (("dW1", 0, "W"), ("dgamma1", 0, "gamma"), ("dbeta1", 0, "beta"),
                              ("dW2", 1, "W"), ("db2", 1, "b")):
        np.testing.assert_allclose(solution.step(f"a.t1.{stem}").value, _numeric_gradient(layers, x, t, index, name),
                                   rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("mode", ["batch", "minibatch"])
def test_updates_running_averages_and_query_agree_with_a_plain_loop(mode):
    data = _data()
    training = data["training"]
    training["samples"].append({"input": [-1, 0.5], "target": [0]})
    if mode == "minibatch":
        training.update(mode="minibatch", batch_size=2)
    solution = _solve(data)
    layers = _network(data)
    rate, size = training["learning_rate"], training.get("batch_size", len(training["samples"]))
    t_index = 0
    for _ in range(training["epochs"]):
        for start in range(0, len(training["samples"]), size):
            t_index += 1
            x, t = _batch(data, range(start, start + size))
            gradients = {(i, name): _numeric_gradient(layers, x, t, i, name)
                         for i, layer in enumerate(layers) for name in ("W", "b", "gamma", "beta") if name in layer}
            _, statistics = _forward(layers, x)
            for (i, name), gradient in gradients.items():
                layers[i][name] = layers[i][name] - rate * gradient
            mu, var = statistics[0]
            hidden = layers[0]
            hidden["mean"] = hidden["momentum"] * hidden["mean"] + (1 - hidden["momentum"]) * mu
            hidden["var"] = hidden["momentum"] * hidden["var"] + (1 - hidden["momentum"]) * var
            for stem, expected in (("W1_new", layers[0]["W"]), ("gamma1_new", hidden["gamma"]),
                                   ("beta1_new", hidden["beta"]), ("W2_new", layers[1]["W"]),
                                   ("b2_new", layers[1]["b"]), ("running_mean1", hidden["mean"]),
                                   ("running_var1", hidden["var"])):
                np.testing.assert_allclose(solution.step(f"a.t{t_index}.{stem}").value, expected, rtol=1e-6, atol=1e-8)
    query = np.array(data["parts"][0]["queries"][0], dtype=float).reshape(-1, 1)
    output, _ = _forward(layers, query, training=False)
    np.testing.assert_allclose(solution.step("a.q1.x2").value, output, rtol=1e-6)
    z = layers[0]["W"] @ query
    expected_zhat = (z - hidden["mean"]) / np.sqrt(hidden["var"] + hidden["eps"])
    np.testing.assert_allclose(solution.step("a.q1.zhat1").value, expected_zhat, rtol=1e-6)


def test_the_batch_statistics_are_steps_and_the_bias_is_gone():
    solution = _solve(_data())
    x, _ = _batch(_data())
    z = solution.step("a.t1.z1").value
    np.testing.assert_allclose(z, np.array(_data()["network"]["layers"][0]["weights"]) @ x)
    np.testing.assert_allclose(solution.step("a.t1.mu1").value, z.mean(axis=1, keepdims=True))
    np.testing.assert_allclose(solution.step("a.t1.var1").value, z.var(axis=1, keepdims=True))
    assert "a.t1.b1" not in solution.ids and "a.t1.ztilde1" in solution.ids
    np.testing.assert_allclose(solution.step("a.t1.running_var1_start").value, np.ones((3, 1)))


@pytest.mark.parametrize("change, key, message", [
    ({"training": {"mode": "stochastic"}}, "training.mode", "over one, σ² = 0"),
    ({"training": {"mode": "minibatch", "batch_size": 2}}, "training.mode", "has one"),
    ({"layer": {"gamma": [1.0, 2.0]}}, "network.layers[0].gamma", "expected 3 numbers"),
    ({"layer": {"biases": [0.0, 0.0, 0.0]}}, "network.layers[0].biases", "no bias"),
    ({"layer": {"batch_norm": False}}, "network.layers[0].gamma", "batch_norm = true"),
    ({"layer": {"momentum": 1.0}}, "network.layers[0].momentum", "not including"),
])
def test_bad_input_is_one_line(change, key, message):
    data = _data()
    data["training"].update(change.get("training", {}))
    data["network"]["layers"][0].update(change.get("layer", {}))
    with pytest.raises(ExerciseError) as raised:
        _solve(data)
    text = str(raised.value)
    assert raised.value.key == key and message in text and "\n" not in text


def test_a_later_part_starts_from_the_running_averages_reached():
    data = _data()
    data["parts"].append({"name": "b", "start": "previous", "train": False, "queries": [[0, 1]]})
    solution = _solve(data)
    for stem in ("running_mean1", "running_var1"):
        np.testing.assert_array_equal(solution.step(f"b.{stem}").value, solution.step(f"a.t2.{stem}").value)


def test_the_parameter_limit_counts_gamma_and_beta():
    """A batch-norm layer has W, γ and β: one number per unit more than W and b."""
    import tomllib

    from solver.errors import ExerciseError
    from solver.exercise import parse_exercise
    from solver.limits import Limits
    from tests.conftest import EXERCISES

    data = tomllib.loads((EXERCISES / "mlp-batch-norm-layer.toml").read_text())
    network = data["network"]
    sizes = [network["inputs"]] + [layer["units"] for layer in network["layers"]]
    counted = sum(units * (fan_in + 1) for fan_in, units in zip(sizes, sizes[1:]))
    counted += sum(layer["units"] for layer in network["layers"] if layer.get("batch_norm"))
    parse_exercise(data, "limit.toml", limits=Limits(parameters=counted))
    with pytest.raises(ExerciseError, match="more than the limit"):
        parse_exercise(data, "limit.toml", limits=Limits(parameters=counted - 1))
