"""Activation derivatives, derived by SymPy, against central differences and the textbook forms."""

import numpy as np
import pytest
import sympy as sp

from solver.symbolic import ACTIVATIONS
from solver.symbolic.activations import y

ELEMENTWISE = [name for name, entry in ACTIVATIONS.items() if entry.elementwise]
GRID = np.linspace(-4, 4, 41).reshape(-1, 1)
GRID = GRID[np.abs(GRID[:, 0]) > 1e-3]  # away from the kink of ReLU at 0


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_central_differences(name):
    entry = ACTIVATIONS[name]
    h = 1e-6
    numeric = (entry.evaluate(GRID + h) - entry.evaluate(GRID - h)) / (2 * h)
    np.testing.assert_allclose(entry.evaluate_derivative(GRID, entry.evaluate(GRID)), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name,textbook", [("sigmoid", y * (1 - y)), ("tanh", 1 - y**2), ("identity", sp.Integer(1))])
def test_derivative_in_terms_of_output_is_the_textbook_form(name, textbook):
    derived = ACTIVATIONS[name].derivative_of_output
    assert sp.expand(derived - textbook) == 0
    assert sp.srepr(derived) == sp.srepr(textbook)  # written that way, not only equal


def test_relu_derivative_at_zero_is_zero():
    relu = ACTIVATIONS["relu"]
    zero = np.zeros((1, 1))
    assert relu.evaluate_derivative(zero, relu.evaluate(zero))[0, 0] == 0.0


def test_softmax_jacobian_matches_central_differences():
    softmax = ACTIVATIONS["softmax"]
    z = np.array([[0.3], [-1.2], [2.0], [0.1]])
    h = 1e-6
    numeric = np.column_stack([
        ((softmax.evaluate(z + h * e) - softmax.evaluate(z - h * e)) / (2 * h))[:, 0]
        for e in np.eye(4)[:, :, None]
    ])
    np.testing.assert_allclose(softmax.jacobian(softmax.evaluate(z)[:, 0]), numeric, rtol=1e-6, atol=1e-9)


def test_softmax_columns_sum_to_one_without_overflow():
    values = ACTIVATIONS["softmax"].evaluate(np.array([[1000.0, 1.0], [0.0, 2.0]]))
    np.testing.assert_allclose(values.sum(axis=0), 1.0)
    np.testing.assert_allclose(values[:, 0], [1.0, 0.0])
