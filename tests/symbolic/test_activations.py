"""The activation catalogue: derivatives derived by SymPy against central differences, the
textbook forms, and the derivatives printed in seed 003 (one of which is a slip)."""

import numpy as np
import pytest
import sympy as sp

from solver.symbolic import ACTIVATIONS, activation
from solver.symbolic.activations import BETA, GAMMA, y, z

FAMILIES = sorted(name for name, family in ACTIVATIONS.items() if family.elementwise)
PARAMETER_VALUES = [{}, {"beta": 0.5}, {"beta": 2.0, "gamma": 1.5}, {"beta": 3.0}]
GRID = np.linspace(-4, 4, 81).reshape(-1, 1)
GRID = GRID[np.abs(GRID[:, 0]) > 1e-3]  # away from the kinks at 0


def bindings():
    for name in FAMILIES:
        names = {p.name for p in ACTIVATIONS[name].parameters}
        seen = set()
        for values in PARAMETER_VALUES:
            usable = tuple(sorted((k, v) for k, v in values.items() if k in names))
            if usable not in seen:
                seen.add(usable)
                yield pytest.param(name, dict(usable), id=f"{name}-{dict(usable)}")


@pytest.mark.parametrize("name,parameters", list(bindings()))
def test_derivative_matches_central_differences(name, parameters):
    f = activation(name, parameters)
    h = 1e-6
    numeric = (f.evaluate(GRID + h) - f.evaluate(GRID - h)) / (2 * h)
    np.testing.assert_allclose(f.evaluate_derivative(GRID, f.evaluate(GRID)), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(
    "name,parameters,textbook",
    [
        ("sigmoid", {}, y * (1 - y)),
        ("sigmoid", {"beta": 2.0, "gamma": 3.0}, 2 * y * (1 - y / 3)),  # β σ (1 − σ/γ), seed 003
        ("tanh", {}, 1 - y**2),
        ("identity", {}, sp.Integer(1)),
    ],
)
def test_derivative_in_terms_of_output_is_the_textbook_form(name, parameters, textbook):
    derived = activation(name, parameters).derivative_of_output
    assert sp.expand(derived - textbook) == 0
    if not parameters:
        assert sp.srepr(derived) == sp.srepr(textbook)  # written that way, not only equal


SIGMA = GAMMA / (1 + sp.exp(-BETA * z))
SOFTPLUS_B1 = sp.log(1 + sp.exp(BETA * z)) / BETA
# the derivatives as seed 003 §2.1.1 prints them, with its parameters
SEED_003 = {
    "sigmoid": BETA * SIGMA * (1 - SIGMA / GAMMA),
    "softplus": SIGMA,
    "squareplus": sp.Rational(1, 2) + z / (2 * sp.sqrt(z**2 + BETA)),
    "mish": sp.tanh(SOFTPLUS_B1) + z * SIGMA.subs(GAMMA, 1) * sp.sech(SOFTPLUS_B1) ** 2,
    "elu": sp.Piecewise((BETA * sp.exp(z), z <= 0), (1, True)),
    "prelu": sp.Piecewise((BETA, z <= 0), (1, True)),
}


@pytest.mark.parametrize("name", SEED_003)
@pytest.mark.parametrize("beta,gamma", [(1.0, 1.0), (0.7, 2.0)])
def test_derivatives_agree_with_seed_003(name, beta, gamma):
    f = activation(name, {k: v for k, v in (("beta", beta), ("gamma", gamma))
                          if k in {p.name for p in ACTIVATIONS[name].parameters}})
    printed = sp.lambdify(z, SEED_003[name].subs({BETA: beta, GAMMA: gamma}), "numpy")
    np.testing.assert_allclose(f.evaluate_derivative(GRID, f.evaluate(GRID)), np.broadcast_to(printed(GRID), GRID.shape),
                               rtol=1e-9, atol=1e-12)


def test_seed_003_silu_derivative_is_a_slip():
    # seed 003 prints SiLU' = σ (1 + x − σ/γ); the derivative of x σ(x) is σ (1 + β x (1 − σ/γ))
    silu = activation("silu")
    sigma = 1 / (1 + np.exp(-GRID))
    printed = sigma * (1 + GRID - sigma)
    truth = sigma * (1 + GRID * (1 - sigma))
    derived = silu.evaluate_derivative(GRID, silu.evaluate(GRID))
    np.testing.assert_allclose(derived, truth, rtol=1e-12)
    assert not np.allclose(derived, printed)


@pytest.mark.parametrize("name,at_zero", [("relu", 0.0), ("threshold", 0.0), ("sign", 0.0), ("prelu", 0.01), ("elu", 1.0)])
def test_derivative_at_the_kink_defaults_to_the_left_branch(name, at_zero):
    f = activation(name)
    zero = np.zeros((1, 1))
    assert f.evaluate_derivative(zero, f.evaluate(zero))[0, 0] == pytest.approx(at_zero)


def test_derivative_at_the_kink_can_be_set():
    relu = activation("relu", kink_derivative=1.0)
    net = np.array([[0.0], [-1.0], [2.0]])
    np.testing.assert_array_equal(relu.evaluate_derivative(net, relu.evaluate(net))[:, 0], [1.0, 0.0, 1.0])


@pytest.mark.parametrize("name,values,expected", [
    ("threshold", [-1, 0, 2], [0, 0, 1]),
    ("sign", [-1, 0, 2], [-1, -1, 1]),
    ("prelu", [-2, 3], [-0.02, 3]),
    ("squareplus", [0], [0.5]),
])
def test_piecewise_definitions_follow_seed_003(name, values, expected):
    net = np.array(values, dtype=float).reshape(-1, 1)
    np.testing.assert_allclose(activation(name).evaluate(net)[:, 0], expected)


def test_aliases():
    assert activation("leaky_relu") == activation("prelu") and activation("swish") == activation("silu")


def test_unknown_parameter():
    with pytest.raises(KeyError):
        activation("relu", {"beta": 1.0})


def test_softmax_jacobian_matches_central_differences():
    softmax = activation("softmax")
    z_column = np.array([[0.3], [-1.2], [2.0], [0.1]])
    h = 1e-6
    numeric = np.column_stack([
        ((softmax.evaluate(z_column + h * e) - softmax.evaluate(z_column - h * e)) / (2 * h))[:, 0]
        for e in np.eye(4)[:, :, None]
    ])
    np.testing.assert_allclose(softmax.jacobian(softmax.evaluate(z_column)[:, 0]), numeric, rtol=1e-6, atol=1e-9)


def test_softmax_columns_sum_to_one_without_overflow():
    values = activation("softmax").evaluate(np.array([[1000.0, 1.0], [0.0, 2.0]]))
    np.testing.assert_allclose(values.sum(axis=0), 1.0)
    np.testing.assert_allclose(values[:, 0], [1.0, 0.0])
