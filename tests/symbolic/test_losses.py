"""Loss gradients and the softmax output delta, derived by SymPy, against independent checks."""

import numpy as np
import pytest
import sympy as sp

from solver.symbolic import LOSSES, activation, output_delta
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
