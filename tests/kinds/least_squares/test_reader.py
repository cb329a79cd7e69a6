"""Nearly dependent data: worked in floats, an ill-conditioned XᵀX is refused before anything is
worked (one line, exit 2); worked in fractions it is solved exactly. Condition numbers and solutions
come from numpy.linalg.cond and numpy.linalg.lstsq, never from the engine."""

from __future__ import annotations

import math
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
import tomllib

import solver
from solver.errors import ExerciseError
from solver.exercise import parse_exercise
from tests.conftest import EXERCISES

NEARLY = {"X": [[1, 2], [2, 4.00001], [3, 6]], "y": [1, 2, 3]}  # y is column 1 exactly: θ = (1, 0), L = 0
SHEET_FIGURES = 6
FLOAT64_DIGITS = 16


def byhand(*args, cwd):
    return subprocess.run([sys.executable, "-m", "solver", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def gram_condition(X) -> float:
    X = np.array(X, dtype=float)
    return float(np.linalg.cond(X.T @ X))


def exact_gram_condition(X) -> float:
    """cond(XᵀX) from XᵀX's eigenvalues worked in SymPy Rationals: floats cannot compute it near 10¹⁶."""
    X = sp.Matrix([[sp.Rational(repr(float(v))) for v in row] for row in X])
    eigenvalues = [sp.N(value, 30) for value in (X.T * X).eigenvals()]
    return float(max(eigenvalues) / min(eigenvalues))


@pytest.mark.parametrize("name", ["least-squares-line-3-points.toml", "least-squares-multi-output.toml"])
def test_the_shipped_exercises_are_well_conditioned_and_still_solve_in_floats(name):
    data = tomllib.loads((EXERCISES / name).read_text())
    X, targets = np.array(data.get("X", data.get("x")), dtype=float), data.get("Y", data.get("y"))
    if "x" in data:
        X = np.hstack([X.reshape(-1, 1), np.ones((X.size, 1))])
    else:  # several outputs: one column per sample, the row of ones added
        X = np.vstack([X, np.ones((1, X.shape[1]))]).T
    assert gram_condition(X) < 10 ** (FLOAT64_DIGITS - SHEET_FIGURES)
    solution = solver.solve(parse_exercise({**data, "exact": False}))
    fitted, *_ = np.linalg.lstsq(X, np.array(targets, dtype=float).T, rcond=None)
    found = solution["a.W"].T if "Y" in data else solution["a.theta"].ravel()
    np.testing.assert_allclose(found, fitted, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("body", [
    'X = [[1, 2], [2, 4.00001], [3, 6]]\ny = [1, 2, 3]\n',
    'X = [[1, 2], [2, 4.0000001], [3, 6]]\ny = [1, 2, 3]\n',  # once "a.XtX_inv: the value overflows float64"
    'X = [[1, 2], [2, 4.0001], [3, 6]]\ny = [1, 2, 3]\nexact = false\n',
])
def test_nearly_dependent_columns_in_floats_are_refused_in_one_line(tmp_path, body):
    (tmp_path / "bad.toml").write_text('kind = "least_squares"\n' + body)
    X = tomllib.loads(body)["X"]
    condition = exact_gram_condition(X)
    assert condition > 10 ** (FLOAT64_DIGITS - SHEET_FIGURES)  # the oracle: fewer than 6 figures would be left
    run = byhand("solve", "bad.toml", "-o", "out", cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("byhand: bad.toml:2: X: the columns of the design matrix are nearly dependent: XᵀX "
                               "has condition number ")
    kept = max(0, math.floor(FLOAT64_DIGITS - math.log10(condition)))
    figures = f"keeps only about {kept} of θ's significant figures" if kept else "keeps none of θ's figures"
    assert figures in lines[0] and "exact = true" in lines[0]
    written = lines[0].split("condition number ")[1].split(",")[0]
    mantissa, power = written.split(" × 10^")
    assert float(mantissa) * 10 ** int(power) == pytest.approx(condition, rel=0.1)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_nearly_dependent_rows_of_several_outputs_are_refused():
    X = [[1, 2, 3], [2, 4.00001, 6]]  # samples as columns: row 2 ≈ 2 × row 1
    assert gram_condition(np.array(X).T) > 10 ** (FLOAT64_DIGITS - SHEET_FIGURES)
    with pytest.raises(ExerciseError, match=r"X: the rows of the design matrix are nearly dependent: X Xᵀ has "):
        parse_exercise({"kind": "least_squares", "X": X, "Y": [[1, 2, 3]]})


@pytest.mark.parametrize("s,refused", [(2e-4, False), (1e-4, True)])
def test_the_limit_is_a_condition_number_of_ten_to_the_eight(s, refused):
    """X = [[1, 0], [0, s], [1, 0]]: XᵀX = diag(2, s²), condition number 2/s² (5 × 10⁷, then 2 × 10⁸)."""
    X = [[1, 0], [0, s], [1, 0]]
    assert gram_condition(X) == pytest.approx(2 / s**2)
    data = {"kind": "least_squares", "X": X, "y": [1, 1, 3], "exact": False}
    if refused:
        with pytest.raises(ExerciseError, match="nearly dependent"):
            parse_exercise(data)
        return
    fitted, *_ = np.linalg.lstsq(np.array(X), np.array([1.0, 1, 3]), rcond=None)
    np.testing.assert_allclose(solver.solve(parse_exercise(data))["a.theta"].ravel(), fitted, rtol=1e-9)


def test_fractions_serve_nearly_dependent_data_exactly():
    """With exact = true the calculation is exact: θ = (1, 0) and L = 0, as lstsq finds (to its
    rounding) and as y = column 1 shows by hand."""
    solution = solver.solve(parse_exercise({"kind": "least_squares", **NEARLY, "exact": True}))
    assert solution.step("a.theta").exact.ravel().tolist() == [Fraction(1), Fraction(0)]
    assert solution.step("a.L").exact[()] == 0
    fitted, *_ = np.linalg.lstsq(np.array(NEARLY["X"]), np.array(NEARLY["y"], dtype=float), rcond=None)
    np.testing.assert_allclose(solution["a.theta"].ravel(), fitted, atol=1e-9)


def test_a_condition_number_beyond_floats_is_refused_not_an_overflow():
    """x = (0, 0, 7e-202) (found by the fuzzer): cond(X)² overflows a float; the data are refused in one line."""
    data = {"kind": "least_squares", "x": [0, 0, 7e-202], "y": [1, 2, 4], "exact": False}
    with pytest.raises(ExerciseError, match="nearly dependent: XᵀX has condition number") as raised:
        parse_exercise(data)
    assert "\n" not in str(raised.value)
