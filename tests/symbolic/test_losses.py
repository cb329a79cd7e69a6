"""Loss gradients and the softmax output delta, derived by SymPy, against independent checks."""

import numpy as np
import pytest
import sympy as sp

from solver.symbolic import ACTIVATIONS, LOSSES, activation, output_delta
from solver.symbolic.losses import t, x


@pytest.mark.parametrize("name", LOSSES)
def test_loss_gradient_matches_central_differences(name):
    entry = LOSSES[name]
    rng = np.random.default_rng(0)
    X, T = rng.uniform(0.2, 0.8, (3, 2)), rng.uniform(0, 1, (3, 2))
    if name == "hinge":
        T = np.eye(3)[:, [0, 2]]
    h = 1e-6
    numeric = np.zeros_like(X)
    for index in np.ndindex(X.shape):
        bump = np.zeros_like(X)
        bump[index] = h
        numeric[index] = ((entry.per_sample(X + bump, T) - entry.per_sample(X - bump, T)) / (2 * h))[index[1]]
    np.testing.assert_allclose(entry.evaluate_gradient(X, T), numeric, rtol=1e-6)


def test_softmax_with_cross_entropy_collapses_to_output_minus_target():
    assert sp.simplify(output_delta(LOSSES["cross_entropy"], activation("softmax")).elementwise_form - (x - t)) == 0


def test_softmax_with_squared_error_does_not_collapse():
    assert output_delta(LOSSES["half_sse"], activation("softmax")).elementwise_form is None


def test_elementwise_output_has_no_collapsed_form_here():
    assert output_delta(LOSSES["half_sse"], activation("sigmoid")).elementwise_form is None


def test_sigmoid_with_binary_cross_entropy_collapses_to_output_minus_target():
    form = output_delta(LOSSES["binary_cross_entropy"], activation("sigmoid")).elementwise_form
    assert sp.simplify(form - (x - t)) == 0


def test_mean_squared_error_divides_by_the_number_of_outputs():
    X, T = np.array([[1.0], [3.0]]), np.array([[0.0], [0.0]])
    assert LOSSES["mse"].per_sample(X, T)[0] == 5.0
    np.testing.assert_allclose(LOSSES["mse"].evaluate_gradient(X, T)[:, 0], [1.0, 3.0])


def test_hinge_loss_follows_seed_004():
    # scores (3.2, 5.1, -1.7) with the first class true: max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9
    X, T = np.array([[3.2], [5.1], [-1.7]]), np.array([[1.0], [0.0], [0.0]])
    assert LOSSES["hinge"].per_sample(X, T)[0] == pytest.approx(2.9)
    np.testing.assert_allclose(LOSSES["hinge"].evaluate_gradient(X, T)[:, 0], [-1.0, 1.0, 0.0])


# (loss, output activation) pairs that make sense: a log only of outputs in (0, 1)
PLAIN_LOSSES = ["half_sse", "sse", "mse", "hinge"]
LOG_LOSSES = ["cross_entropy", "binary_cross_entropy"]
ELEMENTWISE = sorted({name for name, f in ACTIVATIONS.items() if f.elementwise} - {"leaky_relu", "swish"})
PAIRS = [(l, a) for l in PLAIN_LOSSES for a in [*ELEMENTWISE, "softmax"]] + [
    (l, a) for l in LOG_LOSSES for a in ("sigmoid", "softmax")]


@pytest.mark.parametrize("loss_name,activation_name", PAIRS)
def test_output_delta_matches_finite_differences_of_E_of_z(loss_name, activation_name):
    """δ[L] as the engine computes it (collapsed, chain rule or Jacobian) is ∂E/∂z[L]."""
    from solver.engine import solve
    from solver.exercise import parse_exercise
    from tests.conftest import network_exercise

    rng = np.random.default_rng(3)
    units = 3
    net = rng.uniform(-2, 2, (units, 2))
    net[np.abs(net) < 0.05] = 0.3  # away from kinks at 0
    if loss_name in ("hinge", "cross_entropy") and activation_name == "softmax" or loss_name == "hinge":
        T = np.eye(units)[:, [0, 2]]
    else:
        T = rng.uniform(0.1, 0.9, (units, 2))
    data = network_exercise(
        [units, units], [activation_name], weights=[np.eye(units).tolist()], biases=[[0.0] * units],
        samples=[{"input": net[:, k].tolist(), "target": T[:, k].tolist()} for k in range(2)],
        loss=loss_name, mode="batch",
    )
    solution = solve(parse_exercise(data))
    f, criterion = activation(activation_name), LOSSES[loss_name]
    h = 1e-6
    numeric = np.zeros_like(net)
    for index in np.ndindex(net.shape):
        bump = np.zeros_like(net)
        bump[index] = h
        up = criterion.per_sample(f.evaluate(net + bump), T)[index[1]]
        down = criterion.per_sample(f.evaluate(net - bump), T)[index[1]]
        numeric[index] = (up - down) / (2 * h)
    np.testing.assert_allclose(solution["a.delta1"], numeric, rtol=1e-5, atol=1e-7)
