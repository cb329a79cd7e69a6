"""Least squares against independent oracles: numpy.linalg.lstsq for the floats, SymPy's own
least-squares solver (not the normal equations the engine writes out) for the fractions, and a
plain loop for the loss."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

import solver
from solver.engine import solve as engine_solve
from solver.exercise import parse_exercise
from tests.conftest import EXERCISES
from tests.hostile import FUZZ


def solve(data: dict):
    return solver.solve(parse_exercise({"kind": "least_squares", **data}))


def exact(solution, id):
    step = solution.step(id)
    assert step.exact is not None, id
    return step.exact


def plain_loss(X, y, theta, factor):
    total = 0.0
    for row, target in zip(X, y):
        prediction = sum(a * b for a, b in zip(row, theta))
        total += (target - prediction) ** 2
    return factor * total


def test_three_point_line_in_fractions():
    """(0, 1), (1, 2), (2, 4): a = Sxy/Sxx = 3/2, b = ȳ − a x̄ = 7/3 − 3/2 = 5/6 (worked by hand);
    residuals 1/6, −1/3, 1/6, so L = ½ · 6/36 = 1/12."""
    solution = solver.solve(solver.load_exercise(EXERCISES / "least-squares-line-3-points.toml"))
    assert exact(solution, "a.theta").ravel().tolist() == [Fraction(3, 2), Fraction(5, 6)]
    assert exact(solution, "a.XtX").tolist() == [[5, 3], [3, 3]]
    assert exact(solution, "a.Xty").ravel().tolist() == [10, 7]
    assert exact(solution, "a.XtX_inv").tolist() == [[Fraction(1, 2), Fraction(-1, 2)], [Fraction(-1, 2), Fraction(5, 6)]]
    assert exact(solution, "a.r").ravel().tolist() == [Fraction(1, 6), Fraction(-1, 3), Fraction(1, 6)]
    assert exact(solution, "a.L")[()] == Fraction(1, 12)
    X = np.array([[0, 1], [1, 1], [2, 1]], dtype=float)
    theta, *_ = np.linalg.lstsq(X, np.array([1, 2, 4.0]), rcond=None)
    np.testing.assert_allclose(solution["a.theta"].ravel(), theta)
    assert solution["a.L"] == pytest.approx(1 / 12)


def test_several_outputs_against_lstsq_and_sympy():
    solution = solver.solve(solver.load_exercise(EXERCISES / "least-squares-multi-output.toml"))
    X = np.array([[1, 2, 3, 4], [0, 1, 0, 1], [1, 1, 1, 1]], dtype=float)  # the ones row added
    Y = np.array([[1, 3, 2, 5], [0, 1, 1, 2]], dtype=float)
    W_t, *_ = np.linalg.lstsq(X.T, Y.T, rcond=None)  # samples as rows: X^T W^T = Y^T
    np.testing.assert_allclose(solution["a.W"], W_t.T, atol=1e-12)
    W_exact = sp.Matrix(X.T.astype(int)).solve_least_squares(sp.Matrix(Y.T.astype(int))).T
    assert exact(solution, "a.W").tolist() == [[Fraction(int(v.p), int(v.q)) for v in W_exact.row(i)] for i in range(2)]
    residual = Y - W_t.T @ X
    assert solution["a.L"] == pytest.approx(0.5 * sum(v * v for v in residual.ravel()))
    assert exact(solution, "a.L")[()] == Fraction(1, 8)


def test_loss_factor_one_doubles_the_loss_and_keeps_theta():
    half = solve({"x": [0, 1, 2], "y": [1, 2, 4]})
    whole = solve({"x": [0, 1, 2], "y": [1, 2, 4], "loss_factor": 1})
    np.testing.assert_array_equal(half["a.theta"], whole["a.theta"])
    assert exact(whole, "a.L")[()] == 2 * exact(half, "a.L")[()] == Fraction(1, 6)


def test_line_through_the_origin():
    """y = a x fitted to (1, 2), (2, 3), (4, 9): a = Σxy/Σx² = (2 + 6 + 36)/21 = 44/21."""
    solution = solve({"x": [1, 2, 4], "y": [2, 3, 9], "intercept": False})
    assert exact(solution, "a.theta").ravel().tolist() == [Fraction(44, 21)]
    assert solution["a.X"].shape == (3, 1)


def test_decimals_that_are_not_short_are_worked_in_floats():
    data = {"X": [[0.12345, 1.5], [2.25, 1], [3, 0.1], [1, 1]], "y": [1, 2, 0.3, 1]}
    solution = solve(data)
    assert solution.step("a.theta").exact is None
    theta, *_ = np.linalg.lstsq(np.array(data["X"]), np.array(data["y"]), rcond=None)
    np.testing.assert_allclose(solution["a.theta"].ravel(), theta, rtol=1e-10)
    forced = solve({**data, "exact": True})
    assert forced.step("a.theta").exact is not None
    np.testing.assert_allclose(forced["a.theta"].ravel(), theta, rtol=1e-10)


def test_short_decimals_are_exact_as_written():
    """0.1 is read as 1/10, not as the binary float nearest to it: y = 0.1 x + 0.2 exactly."""
    solution = solve({"x": [1, 2, 3], "y": [0.3, 0.4, 0.5]})
    assert exact(solution, "a.theta").ravel().tolist() == [Fraction(1, 10), Fraction(1, 5)]
    assert exact(solution, "a.L")[()] == 0


def test_an_override_is_followed_through_in_floats():
    """The checker's follow-through: with the student's XᵀX, θ is their inverse times Xᵀy."""
    exercise = parse_exercise({"kind": "least_squares", "x": [0, 1, 2], "y": [1, 2, 4]})
    theirs = np.array([[5.0, 3.0], [3.0, 4.0]])
    solution = engine_solve(exercise, overrides={"a.XtX": theirs})
    assert solution.step("a.theta").exact is None
    np.testing.assert_allclose(solution["a.theta"].ravel(), np.linalg.solve(theirs, [10.0, 7.0]))


def test_a_singular_override_gives_nan_not_a_crash():
    exercise = parse_exercise({"kind": "least_squares", "x": [0, 1, 2], "y": [1, 2, 4]})
    solution = engine_solve(exercise, overrides={"a.XtX": np.ones((2, 2))}, require_finite=False)
    assert np.isnan(solution["a.theta"]).all()


small = st.integers(min_value=-6, max_value=6)


@FUZZ
@given(st.integers(min_value=1, max_value=3).flatmap(
    lambda p: st.tuples(st.lists(st.lists(small, min_size=p, max_size=p), min_size=p + 1, max_size=6),
                        st.booleans())),
       st.data())
def test_random_integer_data_agree_with_lstsq_and_sympy(shape, data):
    rows, intercept = shape
    X = np.array(rows, dtype=float)
    design = np.hstack([X, np.ones((len(rows), 1))]) if intercept else X
    assume(np.linalg.matrix_rank(design) == design.shape[1])
    y = data.draw(st.lists(small, min_size=len(rows), max_size=len(rows)))
    solution = solve({"X": rows, "y": y, "intercept": intercept})
    theta, *_ = np.linalg.lstsq(design, np.array(y, dtype=float), rcond=None)
    np.testing.assert_allclose(solution["a.theta"].ravel(), theta, atol=1e-9)
    oracle = sp.Matrix(design.astype(int)).solve_least_squares(sp.Matrix(y))
    assert exact(solution, "a.theta").ravel().tolist() == [Fraction(int(v.p), int(v.q)) for v in oracle]
    assert solution["a.L"] == pytest.approx(plain_loss(design, y, theta, 0.5), abs=1e-9)
