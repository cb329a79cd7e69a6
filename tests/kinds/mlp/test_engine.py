"""Every gradient the engine records agrees with central finite differences of the loss.

The loss is computed by a reference forward pass written here in plain NumPy, independent of
the engine and of SymPy, on random small networks: each activation, each loss, both update
modes, both batch reductions, both delta signs, depths 1 to 4.
"""

import itertools
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.engine import solve
from solver.exercise import parse_exercise
from tests.conftest import network_exercise

REFERENCE_ACTIVATIONS = {
    "identity": lambda z: z,
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
    "softmax": lambda z: np.exp(z) / np.exp(z).sum(axis=0, keepdims=True),
}
def _sigmoid(z, beta=1.0, gamma=1.0):
    return gamma / (1 + np.exp(-beta * z))


# plain NumPy definitions from seed 003 §2.1.1, with the parameters the test below uses
FAMILY_REFERENCES = {
    "threshold": ({}, lambda z: (z > 0).astype(float)),
    "sign": ({}, lambda z: np.where(z > 0, 1.0, -1.0)),
    "prelu": ({"beta": 0.2}, lambda z: np.where(z > 0, z, 0.2 * z)),
    "silu": ({"beta": 1.5, "gamma": 0.8}, lambda z: z * _sigmoid(z, 1.5, 0.8)),
    "elu": ({"beta": 0.7}, lambda z: np.where(z > 0, z, 0.7 * (np.exp(z) - 1))),
    "softplus": ({"beta": 2.0, "gamma": 1.5}, lambda z: 1.5 / 2.0 * np.log1p(np.exp(2.0 * z))),
    "mish": ({"beta": 1.3}, lambda z: z * np.tanh(np.log1p(np.exp(1.3 * z)) / 1.3)),
    "squareplus": ({"beta": 2.0}, lambda z: (z + np.sqrt(z**2 + 2.0)) / 2),
    "sigmoid": ({"beta": 2.0, "gamma": 3.0}, lambda z: _sigmoid(z, 2.0, 3.0)),
}
def _hinge(x, t):
    true = (t * x).sum(axis=0)
    margins = np.maximum(0, x - true + 1)
    return (margins * (1 - t)).sum(axis=0)  # every class but the target's


REFERENCE_LOSSES = {
    "half_sse": lambda x, t: 0.5 * ((x - t) ** 2).sum(axis=0),
    "sse": lambda x, t: ((x - t) ** 2).sum(axis=0),
    "mse": lambda x, t: ((x - t) ** 2).mean(axis=0),
    "cross_entropy": lambda x, t: -(t * np.log(x)).sum(axis=0),
    "binary_cross_entropy": lambda x, t: -(t * np.log(x) + (1 - t) * np.log(1 - x)).sum(axis=0),
    "hinge": _hinge,
}


def reference_loss(weights, biases, activations, X, T, loss, reduction):
    x = X
    for W, b, name in zip(weights, biases, activations):
        x = REFERENCE_ACTIVATIONS[name](W @ x + b)
    per_sample = REFERENCE_LOSSES[loss](x, T)
    return per_sample.mean() if reduction == "mean" else per_sample.sum()


def central_difference(weights, biases, activations, X, T, loss, reduction, h=1e-6):
    """dE/dW and dE/db for every layer, one entry at a time."""
    def E(ws, bs):
        return reference_loss(ws, bs, activations, X, T, loss, reduction)

    gradients = []
    for l in range(len(weights)):
        pair = []
        for params, is_weight in ((weights, True), (biases, False)):
            grad = np.zeros_like(params[l])
            for index in np.ndindex(params[l].shape):
                up = [p.copy() for p in params]
                down = [p.copy() for p in params]
                up[l][index] += h
                down[l][index] -= h
                if is_weight:
                    grad[index] = (E(up, biases) - E(down, biases)) / (2 * h)
                else:
                    grad[index] = (E(weights, up) - E(weights, down)) / (2 * h)
            pair.append(grad)
        gradients.append(pair)
    return gradients


def random_case(rng, sizes, activations, loss, samples):
    weights = [rng.normal(0, 0.8, (n, m)) for m, n in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(0, 0.3, (n, 1)) for n in sizes[1:]]
    X = rng.normal(0, 1, (sizes[0], samples))
    if (loss == "cross_entropy" and activations[-1] == "softmax") or loss == "hinge":
        T = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], samples)]
    elif loss in ("cross_entropy", "binary_cross_entropy"):
        T = rng.uniform(0.1, 0.9, (sizes[-1], samples))
    else:
        T = rng.normal(0, 1, (sizes[-1], samples))
    return weights, biases, X, T


def exercise_for(sizes, activations, weights, biases, X, T, loss, mode, conventions=None):
    samples = [{"input": X[:, k].tolist(), "target": T[:, k].tolist()} for k in range(X.shape[1])]
    data = network_exercise(
        sizes, activations,
        weights=[w.tolist() for w in weights], biases=[b.ravel().tolist() for b in biases],
        samples=samples, loss=loss, mode=mode, conventions=conventions,
    )
    return parse_exercise(data)


def assert_gradients_match(solution, prefix, expected):
    for l, (dW, db) in enumerate(expected, 1):
        np.testing.assert_allclose(solution[f"{prefix}dW{l}"], dW, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(solution[f"{prefix}db{l}"], db, rtol=1e-5, atol=1e-7)


HIDDEN = ["identity", "sigmoid", "tanh", "relu"]
OUTPUT_AND_LOSS = [
    ("identity", "half_sse"), ("sigmoid", "half_sse"), ("tanh", "sse"), ("relu", "half_sse"),
    ("sigmoid", "cross_entropy"), ("softmax", "cross_entropy"), ("softmax", "half_sse"),
    ("sigmoid", "binary_cross_entropy"), ("identity", "mse"), ("tanh", "mse"), ("identity", "hinge"), ("softmax", "hinge"),
]


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("output,loss", OUTPUT_AND_LOSS)
@pytest.mark.parametrize("depth", [1, 2, 4])
def test_batch_gradients_match_finite_differences(hidden, output, loss, depth):
    rng = np.random.default_rng(zlib.crc32(f"{hidden}-{output}-{loss}-{depth}".encode()))
    sizes = [3] + [4, 3, 4][: depth - 1] + [3]
    activations = [hidden] * (depth - 1) + [output]
    weights, biases, X, T = random_case(rng, sizes, activations, loss, samples=3)
    solution = solve(exercise_for(sizes, activations, weights, biases, X, T, loss, "batch"))
    expected = central_difference(weights, biases, activations, X, T, loss, "sum")
    assert_gradients_match(solution, "a.", expected)


@pytest.mark.parametrize("reduction,sign", list(itertools.product(["sum", "mean"], ["dE/dz", "-dE/dz"])))
def test_conventions_keep_the_true_gradient(reduction, sign):
    rng = np.random.default_rng(7)
    sizes, activations = [2, 3, 2], ["tanh", "sigmoid"]
    weights, biases, X, T = random_case(rng, sizes, activations, "half_sse", samples=4)
    conventions = {"batch_reduction": reduction, "delta": sign}
    solution = solve(exercise_for(sizes, activations, weights, biases, X, T, "half_sse", "batch", conventions))
    assert_gradients_match(solution, "a.", central_difference(weights, biases, activations, X, T, "half_sse", reduction))
    E = reference_loss(weights, biases, activations, X, T, "half_sse", reduction)
    assert solution["a.E"] == pytest.approx(E, rel=1e-12)


def test_negative_delta_sign_flips_delta_only():
    rng = np.random.default_rng(3)
    sizes, activations = [2, 3, 2], ["tanh", "sigmoid"]
    case = random_case(rng, sizes, activations, "half_sse", samples=1)
    plus = solve(exercise_for(sizes, activations, *case, "half_sse", "batch"))
    minus = solve(exercise_for(sizes, activations, *case, "half_sse", "batch", {"delta": "-dE/dz"}))
    np.testing.assert_allclose(minus["a.delta1"], -plus["a.delta1"])
    np.testing.assert_allclose(minus["a.W1_new"], plus["a.W1_new"])


def test_stochastic_updates_one_sample_at_a_time():
    rng = np.random.default_rng(11)
    sizes, activations = [3, 4, 2], ["sigmoid", "sigmoid"]
    weights, biases, X, T = random_case(rng, sizes, activations, "half_sse", samples=3)
    solution = solve(exercise_for(sizes, activations, weights, biases, X, T, "half_sse", "stochastic"))
    rate = 0.5
    for k in range(3):
        expected = central_difference(weights, biases, activations, X[:, [k]], T[:, [k]], "half_sse", "sum")
        assert_gradients_match(solution, f"a.s{k + 1}.", expected)
        weights = [w - rate * dW for w, (dW, _) in zip(weights, expected)]
        biases = [b - rate * db for b, (_, db) in zip(biases, expected)]
        np.testing.assert_allclose(solution[f"a.s{k + 1}.W1_new"], weights[0], rtol=1e-5, atol=1e-7)


def test_softmax_cross_entropy_with_soft_targets_uses_the_jacobian():
    # targets that do not sum to 1: x - t would be wrong, J^T dE/dx is still the gradient
    rng = np.random.default_rng(5)
    sizes, activations = [2, 3], ["softmax"]
    weights, biases, X, _ = random_case(rng, sizes, activations, "half_sse", samples=2)
    T = rng.uniform(0.1, 0.9, (3, 2))
    solution = solve(exercise_for(sizes, activations, weights, biases, X, T, "cross_entropy", "batch"))
    assert_gradients_match(solution, "a.", central_difference(weights, biases, activations, X, T, "cross_entropy", "sum"))


def test_bias_update_can_be_switched_off():
    rng = np.random.default_rng(1)
    sizes, activations = [2, 2], ["sigmoid"]
    case = random_case(rng, sizes, activations, "half_sse", samples=1)
    solution = solve(exercise_for(sizes, activations, *case, "half_sse", "batch", {"update_biases": False}))
    assert "a.b1_new" not in solution
    assert "a.W1_new" in solution


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 4), min_size=2, max_size=4),
    hidden=st.sampled_from(HIDDEN),
    output=st.sampled_from(["identity", "sigmoid", "tanh"]),
    samples=st.integers(1, 3),
    seed=st.integers(0, 2**16),
)
def test_random_networks_match_finite_differences(sizes, hidden, output, samples, seed):
    rng = np.random.default_rng(seed)
    activations = [hidden] * (len(sizes) - 2) + [output]
    weights, biases, X, T = random_case(rng, sizes, activations, "half_sse", samples)
    if hidden == "relu":  # keep clear of the kink, where a finite difference is not a derivative
        pre = X
        for W, b in zip(weights[:-1], biases[:-1]):
            z = W @ pre + b
            if np.abs(z).min() < 1e-3:
                return
            pre = np.maximum(z, 0)
    solution = solve(exercise_for(sizes, activations, weights, biases, X, T, "half_sse", "batch"))
    assert_gradients_match(solution, "a.", central_difference(weights, biases, activations, X, T, "half_sse", "sum"))


@pytest.mark.parametrize("family", FAMILY_REFERENCES)
def test_every_activation_family_with_parameters_matches_finite_differences(family):
    parameters, reference = FAMILY_REFERENCES[family]
    REFERENCE_ACTIVATIONS[f"{family}*"] = reference
    rng = np.random.default_rng(zlib.crc32(family.encode()))
    sizes, activations = [3, 4, 2], [f"{family}*", "identity"]
    weights, biases, X, T = random_case(rng, sizes, ["tanh", "identity"], "half_sse", samples=3)
    data = network_exercise(
        sizes, [family, "identity"], weights=[w.tolist() for w in weights], biases=[b.ravel().tolist() for b in biases],
        samples=[{"input": X[:, k].tolist(), "target": T[:, k].tolist()} for k in range(3)], loss="half_sse", mode="batch",
    )
    data["network"]["layers"][0]["parameters"] = parameters
    solution = solve(parse_exercise(data))
    np.testing.assert_allclose(solution["a.x1"], reference(weights[0] @ X + biases[0]), rtol=1e-12, atol=1e-12)
    expected = central_difference(weights, biases, activations, X, T, "half_sse", "sum")
    assert_gradients_match(solution, "a.", expected)


def test_output_coupled_through_a_sum_matches_finite_differences():
    # seed 001's x_k = exp(Σ_j (w_j z_j)² + 1), read as written: every output is the same sum
    rng = np.random.default_rng(8)
    sizes = [2, 3, 3]
    weights, biases, X, _ = random_case(rng, sizes, ["tanh", "identity"], "half_sse", samples=2)
    weights[1] *= 0.3
    T = np.eye(3)[:, [0, 2]]
    w = np.array([[0.5], [0.2], [0.4]])

    def coupled(z):
        return np.exp(((w * z) ** 2).sum(axis=0, keepdims=True) + 1) * np.ones_like(z)

    REFERENCE_ACTIVATIONS["coupled*"] = coupled
    data = network_exercise(
        sizes, ["tanh", "custom"], weights=[w_.tolist() for w_ in weights], biases=[b.ravel().tolist() for b in biases],
        samples=[{"input": X[:, k].tolist(), "target": T[:, k].tolist()} for k in range(2)], loss="cross_entropy",
        mode="batch",
    )
    data["network"]["layers"][1]["expression"] = "exp(sum((w_j*z_j)^2) + 1)"
    data["network"]["layers"][1]["parameters"] = {"w": w.ravel().tolist()}
    solution = solve(parse_exercise(data))
    expected = central_difference(weights, biases, ["tanh", "coupled*"], X, T, "cross_entropy", "sum")
    assert_gradients_match(solution, "a.", expected)
    # δ_k = −2 w_k² z_k for one-hot targets (the derivation's result), not the seed's −2 t_k w_k² z_k
    np.testing.assert_allclose(solution["a.delta2"], -2 * w**2 * solution["a.z2"], rtol=1e-10)
