"""Large inputs and zero probabilities: correct limits, no warnings, clear errors."""

import tomllib
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import solver
from solver.errors import ExerciseError, NumericError, SolverError
from solver.exercise import parse_exercise
from solver.symbolic import activation
from tests.conftest import EXERCISES
from tests.hostile import FUZZ

HUGE = np.array([[1000.0], [-1000.0], [745.2], [-745.2], [0.0]])


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize(
    "name,expected",
    [
        ("sigmoid", [1.0, 0.0, 1.0, 0.0, 0.5]),
        ("tanh", [1.0, -1.0, 1.0, -1.0, 0.0]),
        ("softplus", [1000.0, 0.0, 745.2, 0.0, np.log(2)]),
    ],
)
def test_activations_reach_their_limits(name, expected):
    entry = activation(name)
    values = entry.evaluate(HUGE)
    np.testing.assert_allclose(values[:, 0], expected, atol=1e-300)
    assert np.all(np.isfinite(entry.evaluate_derivative(HUGE, values)))


def test_softplus_derivative_at_the_limits():
    softplus = activation("softplus")
    z = np.array([[1000.0], [-1000.0]])
    np.testing.assert_allclose(softplus.evaluate_derivative(z, softplus.evaluate(z))[:, 0], [1.0, 0.0])


def test_softmax_of_a_thousand():
    np.testing.assert_allclose(activation("softmax").evaluate(np.array([[1000.0], [0.0]]))[:, 0], [1.0, 0.0])


def test_zero_probability_in_cross_entropy_is_a_clear_error():
    # x[2] is about 0.46, so a weight of 2000 gives z[3] about 924 and e^-924 = 0 in float64 on the target's unit
    data = tomllib.loads((EXERCISES / "mlp-4-4-3-3-softmax-ce.toml").read_text())
    data["network"]["layers"][2]["weights"] = [[2000, 0, 0], [0, 0, 0], [0, 0, 0]]
    data["training"]["samples"] = [{"input": [1000, 0, 0, 0], "target": [0, 1, 0]}]
    with pytest.raises(NumericError, match=r"a.E: a predicted probability is 0 .* set probability_clip"):
        solver.solve(parse_exercise(data, "zero.toml"))
    data["training"]["probability_clip"] = 1e-12
    solution = solver.solve(parse_exercise(data, "zero.toml"))
    assert solution["a.E"] == pytest.approx(-np.log(1e-12))
    assert "clipped" in solution.render("md")


def test_a_number_too_large_for_the_calculation_is_refused_at_its_key():
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["training"]["samples"] = [{"input": [1e300, 1, 0, 0, 0], "target": [1, 0]}]
    with pytest.raises(ExerciseError) as caught:
        solver.solve(parse_exercise(data, "overflow.toml"))
    assert str(caught.value).startswith("overflow.toml: training.samples[0].input[0]: expected a number of at most "
                                        "10^12 in size, got 1e+300")


def test_overflow_is_an_error_on_its_step():
    # every given number is allowed (at most 10^12), but their product is not: 10^12 · 10^12 · … overflows
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["network"]["layers"][0].update(activation="custom", expression="z^30", parameters={})
    data["network"]["weights"] = 1e12
    data["training"]["samples"] = [{"input": [1e12, 1, 0, 0, 0], "target": [1, 0]}]
    with pytest.raises(NumericError) as caught:
        solver.solve(parse_exercise(data, "overflow.toml"))
    assert str(caught.value).startswith("overflow.toml: a.x1: the value overflows float64")


def test_saturated_sigmoid_network_is_worked_without_trouble():
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["network"]["weights"] = 500.0
    solution = solver.solve(parse_exercise(data, "saturated.toml"))
    np.testing.assert_array_equal(solution["a.x2"], [[1.0], [1.0]])
    assert solution["a.delta2"][0, 0] == 0.0


@pytest.mark.parametrize("expression", ["exp((w*z)^2 + 1)", "exp(sum((w_j*z_j)^2) + 1)", "(w*z)^30", "w^30*z"])
def test_overflow_inside_a_compiled_function_is_a_numeric_error(expression):
    # 1e12 (the largest number a file may give) is put into the expression as an exact number; its
    # powers overflow in Python arithmetic, which raises OverflowError before NumPy is reached
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["network"]["layers"][1].update(activation="custom", expression=expression, parameters={"w": 1e12})
    data["training"]["loss"] = "cross_entropy" if "sum" in expression else "half_sse"
    with pytest.raises(NumericError, match=r"a\.(x2|E): the value overflows float64"):
        solver.solve(parse_exercise(data, "overflow.toml"))


def test_a_compiled_function_that_raises_falls_back_to_mpmath():
    import sympy as sp

    from solver.symbolic.numeric import compile_numpy, numpy_function

    z = sp.Symbol("z")
    huge = sp.Integer(10) ** 200
    np.testing.assert_allclose(numpy_function(z, sp.log(huge * z) - sp.log(huge))(np.array([[2.0], [3.0]])),
                               [[np.log(2)], [np.log(3)]])
    vector = compile_numpy(z, [huge * z / huge, (huge * z) ** 2])(np.array(1e-150))
    assert vector[0] == pytest.approx(1e-150) and vector[1] == pytest.approx(1e100)


huge = st.sampled_from([1e300, -1e300, 1e200, 1e154, 709.8, -745.2, 1e-300, 0.0])
expressions = st.sampled_from(["exp((w*z)^2 + 1)", "(w*z)^3", "w*exp(z)", "log(w*z^2 + 1)", "sqrt(w*z*z)",
                               "w^2*z", "exp(sum((w_j*z_j)^2) + 1)", "sum(w_j*z_j) + z", "softplus(w*z)",
                               "tanh(w*z)*w", "1/(w*z)", "max(w*z, 0)", "cosh(w*z)", "z^100*w", "1000000^100*z*w",
                               "log(1000000^100*z)"])


@FUZZ
@given(expressions, huge, st.sampled_from(["half_sse", "cross_entropy"]))
def test_custom_expressions_with_huge_parameters_are_solved_or_a_numeric_error(expression, w, loss):
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["network"]["layers"][1].update(activation="custom", expression=expression, parameters={"w": w})
    data["training"]["loss"] = loss
    try:
        solution = solver.solve(parse_exercise(data, "overflow.toml"))
    except SolverError:
        return
    for format in ("md", "tex", "json"):
        solution.render(format)
