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
