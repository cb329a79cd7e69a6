"""Least squares by the normal equations (seed 002): every product, the inverse, the solution, the
fit, the residuals and the loss at the optimum.

One output (samples as rows of X):  θ = (XᵀX)⁻¹ Xᵀy,  L = f (y − Xθ)ᵀ(y − Xθ).
Several outputs (samples as columns of X and Y, seed 002's homework):  W = (Y Xᵀ)(X Xᵀ)⁻¹,
L = f tr((Y − WX)ᵀ(Y − WX)). f is the loss factor, ½ by default.

With `exact` the whole calculation runs on SymPy Rationals and every step keeps its fractions
(solver/exact.py); otherwise, and whenever the checker overrides a step (the student's values are
decimals), it runs on floats. The same lines below do both: a SymPy matrix and a NumPy array
share @, .T and −.

Slips (solver/engine/slips.py), each made in one place: the ones left out of X (`_operands`) and
the ½ of the loss swapped (`_factor`).

Step ids (README "The least_squares kind"): ``a.X``, ``a.y`` given (``a.Y`` for several outputs);
``a.XtX``, ``a.Xty``, ``a.XtX_inv``, ``a.theta``, ``a.y_hat``, ``a.r``, ``a.L``; for several
outputs ``a.XXt``, ``a.YXt``, ``a.XXt_inv``, ``a.W``, ``a.Y_hat``, ``a.R``, ``a.L``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from solver.engine.scope import Scope
from solver.engine.slips import Slip
from solver.engine.steps import Recorder, Solution
from solver.exact import rational_matrix
from solver.exercise import Exercise
from solver.formula import Formula, Ref
from solver.kinds.least_squares.reader import Data


def solve(exercise: Exercise, overrides: Mapping[str, np.ndarray] | None = None, slip: Slip | None = None,
          *, require_finite: bool = True) -> Solution:
    """Fit the least_squares `exercise` (solver.engine.solve calls this)."""
    recorder = Recorder(overrides, source=exercise.path, require_finite=require_finite, limits=exercise.limits,
                        fractions=exercise.number_format == "fraction")
    data: Data = exercise.setup
    with np.errstate(all="ignore"):
        for part in exercise.parts:
            worker = _Worker(Scope(recorder, part, "", slip), data.exact and not overrides)
            if data.form == "multi":
                _several_outputs(worker, data)
            else:
                _one_output(worker, data)
    return Solution(exercise, recorder.steps(), recorder.recomputed())


def solution(data: Data) -> Any:
    """θ (or W) of `data`, as SymPy Rationals when `data.exact`, else as floats: for the sheet's prose."""
    X, y = _operands(data, data.exact)
    if data.form == "multi":
        return (y @ X.T) @ _inverse(X @ X.T)
    return _inverse(X.T @ X) @ (X.T @ y)


@dataclass(frozen=True)
class _Worker:
    """Records a step and hands back the operand later steps use: its SymPy matrix when exact,
    else the recorded (possibly overridden) float value."""

    scope: Scope
    exact: bool

    def record(self, quantity: str, section: str, kind: str, symbol: str, value, tokens: tuple) -> Any:
        formula = Formula(tokens) if tokens else None
        if self.exact:
            self.scope.record(quantity, section, kind, symbol, None, formula, exact=value)
            return value
        return self.scope.record(quantity, section, kind, symbol, value, formula).value

    def ref(self, quantity: str, transpose: bool = False) -> Ref:
        return Ref(self.scope.id_of(quantity), transpose)


def _operands(data: Data, exact: bool, slip: Slip | None = None) -> tuple[Any, Any]:
    X = data.X
    if slip is Slip.INTERCEPT_FORGOTTEN and data.intercept:  # the ones are X's last column (last row for "multi")
        X = X[:-1, :] if data.form == "multi" else X[:, :-1]
    if exact:
        return rational_matrix(X), rational_matrix(data.y)
    return X, data.y


def _inverse(matrix: Any) -> Any:
    if isinstance(matrix, sp.MatrixBase):
        return matrix.inv()
    try:
        return np.linalg.inv(matrix)
    except np.linalg.LinAlgError:  # only a student's overridden product can be singular (the reader refuses the rest)
        return np.full(matrix.shape, np.nan)


def _factor(worker: _Worker, factor: float) -> tuple[Any, tuple[str, ...]]:
    """The loss factor as a number of the calculation's kind, and as the formula's opening text."""
    if worker.scope.slip is Slip.LOSS_HALF_SWAPPED:
        factor = 1.0 if factor == 0.5 else 0.5
    if factor == 1:
        return 1, ()
    return (sp.Rational(1, 2) if worker.exact else 0.5), (r"\frac{1}{2}\,",)


def _scalar(worker: _Worker, matrix: Any) -> Any:
    return matrix[0, 0] if worker.exact else float(np.asarray(matrix)[0, 0])


def _one_output(w: _Worker, data: Data) -> None:
    X, y = _operands(data, w.exact, w.scope.slip)
    X = w.record("X", "given", "design matrix", r"\mathbf{X}", X, ())
    y = w.record("y", "given", "targets", r"\mathbf{y}", y, ())
    XtX = w.record("XtX", "normal equations", "gram matrix", r"\mathbf{X}^{T}\mathbf{X}", X.T @ X,
                   (w.ref("X", True), w.ref("X")))
    Xty = w.record("Xty", "normal equations", "moment vector", r"\mathbf{X}^{T}\mathbf{y}", X.T @ y,
                   (w.ref("X", True), w.ref("y")))
    inverse = w.record("XtX_inv", "inverse", "inverse", r"\left(\mathbf{X}^{T}\mathbf{X}\right)^{-1}", _inverse(XtX),
                       (r"\left(", w.ref("XtX"), r"\right)^{-1}"))
    theta = w.record("theta", "solution", "parameters", r"\boldsymbol{\theta}", inverse @ Xty,
                     (w.ref("XtX_inv"), w.ref("Xty")))
    y_hat = w.record("y_hat", "prediction", "prediction", r"\hat{\mathbf{y}}", X @ theta, (w.ref("X"), w.ref("theta")))
    r = w.record("r", "error", "residual", r"\mathbf{r}", y - y_hat, (w.ref("y"), " - ", w.ref("y_hat")))
    factor, opening = _factor(w, data.loss_factor)
    w.record("L", "loss", "loss", "L", factor * _scalar(w, r.T @ r), (*opening, w.ref("r", True), w.ref("r")))


def _several_outputs(w: _Worker, data: Data) -> None:
    X, Y = _operands(data, w.exact, w.scope.slip)
    X = w.record("X", "given", "design matrix", r"\mathbf{X}", X, ())
    Y = w.record("Y", "given", "targets", r"\mathbf{Y}", Y, ())
    XXt = w.record("XXt", "normal equations", "gram matrix", r"\mathbf{X}\mathbf{X}^{T}", X @ X.T,
                   (w.ref("X"), w.ref("X", True)))
    YXt = w.record("YXt", "normal equations", "moment matrix", r"\mathbf{Y}\mathbf{X}^{T}", Y @ X.T,
                   (w.ref("Y"), w.ref("X", True)))
    inverse = w.record("XXt_inv", "inverse", "inverse", r"\left(\mathbf{X}\mathbf{X}^{T}\right)^{-1}", _inverse(XXt),
                       (r"\left(", w.ref("XXt"), r"\right)^{-1}"))
    W = w.record("W", "solution", "parameters", r"\mathbf{W}", YXt @ inverse, (w.ref("YXt"), w.ref("XXt_inv")))
    Y_hat = w.record("Y_hat", "prediction", "prediction", r"\hat{\mathbf{Y}}", W @ X, (w.ref("W"), w.ref("X")))
    R = w.record("R", "error", "residual", r"\mathbf{R}", Y - Y_hat, (w.ref("Y"), " - ", w.ref("Y_hat")))
    factor, opening = _factor(w, data.loss_factor)
    trace = (R.T @ R).trace() if w.exact else float(np.trace(R.T @ R))
    w.record("L", "loss", "loss", "L", factor * trace,
             (*opening, r"\operatorname{tr}\left(", w.ref("R", True), w.ref("R"), r"\right)"))
