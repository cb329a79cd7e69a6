"""Gaussian classes by maximum likelihood (seed 002, "MLE - classification"): each class's mean
and covariance from its points, then the class of a query by the largest (prior ×) density.

μⱼ = (1/nⱼ) Σ pᵢ;  P̃ⱼ = Pⱼ − μⱼ1ᵀ;  Σⱼ = (1/nⱼ) P̃ⱼP̃ⱼᵀ = (1/nⱼ) Σ (pᵢ − μⱼ)(pᵢ − μⱼ)ᵀ (the maximum-likelihood estimate; 1/(nⱼ − 1)
with covariance = "unbiased");  Δⱼ = (x − μⱼ)ᵀ Σⱼ⁻¹ (x − μⱼ);  p(x | j) = e^(−Δⱼ/2) / √((2π)^d |Σⱼ|).
The density is one SymPy expression, printed and evaluated, and its log (seed 002's form) is
SymPy's log of it; the class is chosen by logs (log πⱼ + log pⱼ), which do not underflow. With `exact`, the means, covariances,
inverses, determinants, priors and Δ are SymPy Rationals and keep their fractions.

Slips (solver/engine/slips.py), each made in one place: the pooled mean of all points at μⱼ, the
other divisor (n − 1 for n, or n for n − 1) at Σⱼ, and the prior left out of the class decision.

Step ids: ``a.points``, ``a.labels`` given; per class (c1, c2, … in class order) ``a.c1.mu``,
``a.c1.P_c`` (its points minus the mean, one column each), ``a.c1.Sigma``,
``a.c1.Sigma_inv``, ``a.c1.det``, ``a.c1.prior``; per query ``a.q1.x``,
``a.q1.D1`` (Δ for class 1), ``a.q1.lp1`` (its log-density), ``a.q1.p1`` (its density), with prior = "frequency" ``a.q1.s1``
(prior × density), and ``a.q1.class`` (the class number).
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np
import sympy as sp

from solver.engine.scope import Scope
from solver.engine.slips import Slip
from solver.exact import rational_matrix
from solver.formula import Constant, Expression, Formula, Ref
from solver.kinds.mle.reader import Classes
from solver.symbolic.numeric import numpy_function

DELTA, DET = sp.Symbol("Delta", nonnegative=True), sp.Symbol("det", positive=True)
TIE_DIGITS = 10


def density_expression(dimensions: int) -> sp.Expr:
    """p(x | j) in terms of Δ and |Σ|: e^(−Δ/2) / √((2π)^d |Σ|)."""
    return sp.exp(-DELTA / 2) / sp.sqrt((2 * sp.pi) ** dimensions * DET)


def log_density_expression(dimensions: int) -> sp.Expr:
    """log p(x | j) = −Δ/2 − ½ log |Σ| − (d/2) log 2π, seed 002's form of the log of
    density_expression (tests/kinds/mle check that SymPy finds the two equal)."""
    return -DELTA / 2 - sp.log(DET) / 2 - sp.Rational(dimensions, 2) * sp.log(2 * sp.pi)


@cache
def _density(dimensions: int):
    return numpy_function((DELTA, DET), density_expression(dimensions))


@cache
def _log_density(dimensions: int):
    return numpy_function((DELTA, DET), log_density_expression(dimensions))


def chosen(scores: list[float]) -> int:
    """The index of the largest score; equal to TIE_DIGITS figures, the first."""
    keys = [float(f"{s:.{TIE_DIGITS}g}") if math.isfinite(s) else s for s in scores]
    return keys.index(max(keys))


class _Values:
    """Records a step and hands back what later steps compute with: its SymPy value when exact,
    else its recorded (possibly overridden) float value."""

    def __init__(self, exact: bool):
        self.exact = exact

    def record(self, scope: Scope, quantity: str, section: str, kind: str, symbol: str, value: Any,
               tokens: tuple) -> tuple[str, Any]:
        formula = Formula(tokens) if tokens else None
        if self.exact:
            return scope.record(quantity, section, kind, symbol, None, formula, exact=value).id, value
        tracked = scope.record(quantity, section, kind, symbol, value, formula)
        return tracked.id, tracked.value

    def matrix(self, array: np.ndarray) -> Any:
        return rational_matrix(array) if self.exact else np.asarray(array, dtype=float)

    def inverse(self, matrix: Any) -> Any:
        if self.exact:
            return matrix.inv()
        try:
            return np.linalg.inv(matrix)
        except np.linalg.LinAlgError:  # only a student's overridden covariance can be singular
            return np.full(matrix.shape, np.nan)

    def det(self, matrix: Any) -> Any:
        return matrix.det() if self.exact else float(np.linalg.det(matrix))

    def scalar(self, matrix: Any) -> Any:
        return matrix[0, 0] if self.exact else float(np.asarray(matrix)[0, 0])

    def fraction(self, numerator: int, denominator: int) -> Any:
        return sp.Rational(numerator, denominator) if self.exact else numerator / denominator


def work(scope: Scope, classes: Classes, exact: bool) -> None:
    values = _Values(exact)
    points = classes.points
    d, total = points.x.shape
    scope.record("points", "given", "points", r"\mathbf{P}", points.x)
    scope.record("labels", "given", "classes", r"\mathbf{c}",
                 np.array([[points.number_of(label)] for label in points.labels], dtype=float))
    statistics = [_class(scope.within(f"c{j + 1}"), values, classes, label, j + 1, total)
                  for j, label in enumerate(points.classes)]
    for index, query in enumerate(classes.queries):
        _query(scope.within(f"q{index + 1}"), values, classes, query, statistics)


def _class(scope: Scope, values: _Values, classes: Classes, label: str, j: int, total: int) -> dict:
    members = classes.members(label)
    n = len(members)
    columns = [Constant(rf"\mathbf{{p}}_{{{i + 1}}}", classes.points.x[:, [i]]) for i in members]
    count = Constant(f"n_{{{j}}}", np.array(float(n)))
    X = values.matrix(classes.points.x[:, members])
    # the slip of the pooled mean averages the points of every class where the class's own belong
    summed = values.matrix(classes.points.x) if scope.slip is Slip.POOLED_MEAN else X
    size = summed.shape[1]
    sum_tokens = tuple(token for i, c in enumerate(columns) for token in ((" + ", c) if i else (c,)))
    mu_id, mu = values.record(scope, "mu", "class statistics", "mean", rf"\boldsymbol{{\mu}}_{{{j}}}",
                              summed @ (sp.ones(size, 1) if values.exact else np.ones((size, 1)))
                              * values.fraction(1, size),
                              (r"\frac{1}{", count, r"}\left(", *sum_tokens, r"\right)"))
    ones = sp.ones(1, n) if values.exact else np.ones((1, n))
    centred_id, centred = values.record(
        scope, "P_c", "class statistics", "centred points", rf"\tilde{{\mathbf{{P}}}}_{{{j}}}", X - mu @ ones,
        (Constant(rf"\mathbf{{P}}_{{{j}}}", classes.points.x[:, members]), " - ", Ref(mu_id), r"\mathbf{1}^{T}"))
    unbiased = classes.covariance == "unbiased"
    if scope.slip in (Slip.UNBIASED_COVARIANCE, Slip.BIASED_COVARIANCE):  # n − 1 for n, or n for n − 1
        unbiased = not unbiased
    sigma_id, sigma = values.record(
        scope, "Sigma", "class statistics", "covariance", rf"\boldsymbol{{\Sigma}}_{{{j}}}",
        centred @ centred.T * values.fraction(1, n - 1 if unbiased else n),
        (r"\frac{1}{", count, " - 1" if unbiased else "", r"}\,", Ref(centred_id), Ref(centred_id, True)))
    inverse_id, inverse = values.record(scope, "Sigma_inv", "class statistics", "inverse",
                                        rf"\boldsymbol{{\Sigma}}_{{{j}}}^{{-1}}", values.inverse(sigma),
                                        (r"\left(", Ref(sigma_id), r"\right)^{-1}"))
    det_id, det = values.record(scope, "det", "class statistics", "determinant", rf"\left|\boldsymbol{{\Sigma}}_{{{j}}}"
                                r"\right|", values.det(sigma), (r"\det\left(", Ref(sigma_id), r"\right)"))
    if classes.prior == "equal":
        k = len(classes.points.classes)
        prior = values.record(scope, "prior", "class statistics", "prior", rf"\pi_{{{j}}}", values.fraction(1, k),
                              (r"\frac{1}{", Constant("k", np.array(float(k))), "}"))
    else:
        prior = values.record(scope, "prior", "class statistics", "prior", rf"\pi_{{{j}}}", values.fraction(n, total),
                              (r"\frac{", count, "}{", Constant("N", np.array(float(total))), "}"))
    return {"mu": (mu_id, mu), "inverse": (inverse_id, inverse), "det": (det_id, det), "prior": prior}


def _query(scope: Scope, values: _Values, classes: Classes, query: np.ndarray, statistics: list[dict]) -> None:
    points = classes.points
    d = points.x.shape[0]
    x_id, x = values.record(scope, "x", "given", "query", r"\mathbf{x}", values.matrix(query), ())
    scores = []
    for j, stats in enumerate(statistics, start=1):
        (mu_id, mu), (inverse_id, inverse), (det_id, det), (prior_id, prior) = (
            stats["mu"], stats["inverse"], stats["det"], stats["prior"])
        gap = x - mu
        delta_id, delta = values.record(
            scope, f"D{j}", "density", "squared distance", rf"\Delta_{{{j}}}", values.scalar(gap.T @ inverse @ gap),
            (r"\left(", Ref(x_id), " - ", Ref(mu_id), r"\right)^{T}", Ref(inverse_id), r"\left(", Ref(x_id), " - ",
             Ref(mu_id), r"\right)"))
        symbols = ((DELTA, Ref(delta_id)), (DET, Ref(det_id)))
        log_density = scope.record(f"lp{j}", "density", "log density", rf"\log p_{{{j}}}",
                                   float(_log_density(d)(float(delta), float(det))),
                                   Formula((Expression(log_density_expression(d), symbols, elementwise=False),)))
        density = scope.record(f"p{j}", "density", "density", rf"p_{{{j}}}", float(_density(d)(float(delta), float(det))),
                               Formula((Expression(density_expression(d), symbols, elementwise=False),)))
        if classes.prior == "frequency":
            scope.record(f"s{j}", "density", "score", rf"\pi_{{{j}}} p_{{{j}}}", float(prior) * float(density.value),
                         Formula((Ref(prior_id), r" \cdot ", Ref(density.id))))
        # by logs, so that a query far from every mean (each density 0 in float64) still has a class
        log_prior = math.log(float(prior)) if float(prior) > 0 else -math.inf
        scores.append((0.0 if scope.slip is Slip.PRIOR_LEFT_OUT else log_prior) + float(log_density.value))
    best = chosen(scores)
    rule = r"\left(\log \pi_{j} + \log p_{j}\right)" if classes.prior == "frequency" else r"\log p_{j}"
    scope.record("class", "class", "class", r"\text{class}", float(points.numbers[best]),
                 Formula((rf"\operatorname{{argmax}}_{{j}}\, {rule}",)))
