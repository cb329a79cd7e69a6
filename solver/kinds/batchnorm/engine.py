"""Batch normalisation of one batch, forward and backward, as worked by hand (seeds 002 and 004).

Forward: μ = (1/m) Σⱼ xⱼ, σ² = (1/m) Σⱼ (xⱼ − μ)² (the biased variance), x̂ = (x − μ)/√(σ² + ε),
y = γ ∘ x̂ + β. Backward, in seed 002's stages: ∂L/∂γ, ∂L/∂β, ∂L/∂x̂, ∂L/∂σ², ∂L/∂μ, ∂L/∂x; then
seed 004's closed form of ∂L/∂x as its own step. Every local derivative (∂x̂/∂σ², ∂x̂/∂μ, ∂σ²/∂μ,
∂x̂/∂x, ∂σ²/∂x, ∂μ/∂x) is `sympy.diff` of the forward formula it belongs to, so the sheet's formula
and the evaluated function are one expression. A sum over the samples is a product with a column
of m ones, 𝟏, as in the MLP's bias gradient.

Step ids (README "The batch-norm kind"): ``a.x``, ``a.gamma``, ``a.beta``, ``a.t``, ``a.mu``,
``a.var``, ``a.xhat``, ``a.y``, ``a.L``, ``a.dy``, ``a.dgamma``, ``a.dbeta``, ``a.dxhat``,
``a.dvar``, ``a.dmu``, ``a.dx``, ``a.dx_compact``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
import sympy as sp

from solver.engine.scope import Scope, Tracked
from solver.engine.slips import Slip
from solver.engine.steps import Recorder, Solution
from solver.exercise import Exercise
from solver.formula import Constant, Expression, Formula, Ref, Scalar
from solver.kinds.batchnorm.reader import Batch, Part
from solver.symbolic.losses import loss as catalogue_loss
from solver.symbolic.losses import t as LOSS_TARGET
from solver.symbolic.losses import x as LOSS_OUTPUT
from solver.symbolic.numeric import numpy_function

X, MU, VAR, XHAT, Y, T = sp.symbols("x mu sigma2 xhat y t", real=True)
GAMMA, BETA = sp.symbols("gamma beta", real=True)
DY, DXHAT, DVAR, DMU, DX, DGAMMA, DBETA = sp.symbols("dy dxhat dvar dmu dx dgamma dbeta", real=True)
M, EPS = Scalar("m", positive=True), Scalar("epsilon", positive=True)


def partial(of: str) -> str:
    """∂L/∂`of` as the sheet writes it."""
    return rf"\frac{{\partial L}}{{\partial {of}}}"


@dataclass(frozen=True)
class Forms:
    """The forward formulas, per entry, as the engine is asked to write them (correctly, or with a
    slip); every derivative of the backward pass is taken from these. σ² = Σⱼ `variance_term`."""

    mean_term: sp.Expr
    variance_term: sp.Expr
    root: sp.Expr

    @property
    def xhat(self) -> sp.Expr:
        return (X - MU) / self.root


def forms(slip: Slip | None) -> Forms:
    """The forward formulas; the two forward slips are read here and nowhere else."""
    divisor = M - 1 if slip is Slip.UNBIASED_VARIANCE else M
    root = sp.sqrt(VAR) + EPS if slip is Slip.EPSILON_ON_THE_OTHER_SIDE else sp.sqrt(VAR + EPS)
    return Forms(X / M, (X - MU) ** 2 / divisor, root)


def solve(exercise: Exercise, overrides: Mapping[str, np.ndarray] | None = None, slip: Slip | None = None,
          *, require_finite: bool = True) -> Solution:
    """Work every part of the batchnorm `exercise` (solver.engine.solve calls this)."""
    recorder = Recorder(overrides, source=exercise.path, require_finite=require_finite, limits=exercise.limits,
                        fractions=exercise.number_format == "fraction")
    with np.errstate(all="ignore"):
        for part in exercise.parts:
            _solve_part(Scope(recorder, part, "", slip), exercise.setup)
    return Solution(exercise, recorder.steps(), recorder.recomputed())


class _PartRecorder:
    """Records the steps of one part: each value is computed from the same SymPy expression its
    formula prints, with the steps' (possibly overridden) values in place of the symbols."""

    def __init__(self, scope: Scope, batch: Batch):
        self.scope = scope
        self.m = batch.samples
        self.constants = ((M, Constant("m", np.array(float(self.m)))),
                          (EPS, Constant(r"\epsilon", np.array(batch.epsilon))))
        self.ones = Constant(r"\mathbf{1}", np.ones((self.m, 1)))
        self.steps: dict[sp.Symbol, Tracked] = {}

    def given(self, symbol: sp.Symbol, quantity: str, kind: str, latex: str, value) -> Tracked:
        self.steps[symbol] = self.scope.record(quantity, "given", kind, latex, value)
        return self.steps[symbol]

    def expression(self, expr: sp.Expr) -> Expression:
        used = expr.free_symbols
        return Expression(expr, symbols=tuple((s, Ref(t.id)) for s, t in self.steps.items() if s in used),
                          constants=tuple((s, c) for s, c in self.constants if s in used))

    def value(self, expr: sp.Expr) -> np.ndarray:
        """`expr` at the recorded steps, entry by entry (columns broadcast along the samples)."""
        arguments = tuple(s for s in self.steps if s in expr.free_symbols)
        constants = dict(self.constants)
        scalars = tuple(s for s in (M, EPS) if s in expr.free_symbols)
        function = _compiled(arguments + scalars, expr)
        return function(*(self.steps[s].value for s in arguments), *(constants[s].value for s in scalars))

    def summed(self, expr: sp.Expr) -> np.ndarray:
        """Σⱼ over the samples of `expr`: a column of n."""
        return np.broadcast_to(self.value(expr), (self.steps[X].value.shape[0], self.m)).sum(axis=1, keepdims=True)

    def sum_tokens(self, expr: sp.Expr) -> tuple:
        return (r"\left(", self.expression(expr), r"\right) ", self.ones)

    def record(self, symbol: sp.Symbol, quantity: str, section: str, kind: str, latex: str, value, tokens) -> Tracked:
        self.steps[symbol] = self.scope.record(quantity, section, kind, latex, value, Formula(tuple(tokens)))
        return self.steps[symbol]

    def entrywise(self, symbol: sp.Symbol, quantity: str, section: str, kind: str, latex: str, expr: sp.Expr) -> Tracked:
        return self.record(symbol, quantity, section, kind, latex, self.value(expr), (self.expression(expr),))

    def sum_over_samples(self, symbol: sp.Symbol, quantity: str, section: str, kind: str, latex: str,
                         expr: sp.Expr) -> Tracked:
        return self.record(symbol, quantity, section, kind, latex, self.summed(expr), self.sum_tokens(expr))


@cache
def _compiled(arguments: tuple[sp.Symbol, ...], expr: sp.Expr):
    return numpy_function(arguments, expr)


def _solve_part(scope: Scope, batch: Batch) -> None:
    part: Part = scope.part
    recorder = _PartRecorder(scope, batch)
    f = forms(scope.slip)
    recorder.given(X, "x", "input", "x", batch.x)
    recorder.given(GAMMA, "gamma", "scale", r"\gamma", batch.gamma)
    recorder.given(BETA, "beta", "shift", r"\beta", batch.beta)
    upstream = part.upstream
    if upstream.gradient is not None:
        recorder.given(DY, "dy", "output gradient", partial("y"), upstream.gradient)
    else:
        recorder.given(T, "t", "target", "t", upstream.targets)

    recorder.sum_over_samples(MU, "mu", "forward", "batch mean", r"\mu", f.mean_term)
    recorder.sum_over_samples(VAR, "var", "forward", "variance", r"\sigma^{2}", f.variance_term)
    recorder.entrywise(XHAT, "xhat", "forward", "normalized input", r"\hat{x}", f.xhat)
    recorder.entrywise(Y, "y", "forward", "output", "y", GAMMA * XHAT + BETA)

    if upstream.gradient is None:
        term = catalogue_loss(upstream.loss).term.subs({LOSS_OUTPUT: Y, LOSS_TARGET: T})
        recorder.record(sp.Symbol("L"), "L", "loss", "loss", "L", float(np.sum(recorder.value(term))),
                     (r"\sum_{i,j} ", recorder.expression(term)))
        recorder.entrywise(DY, "dy", "loss", "output gradient", partial("y"), sp.diff(term, Y))

    averaged = 1 / M if scope.slip is Slip.MEAN_INSTEAD_OF_SUM else 1  # a student's mean over the batch
    recorder.sum_over_samples(DGAMMA, "dgamma", "gradients", "scale gradient", partial(r"\gamma"),
                           averaged * DY * sp.diff(GAMMA * XHAT + BETA, GAMMA))
    recorder.sum_over_samples(DBETA, "dbeta", "gradients", "shift gradient", partial(r"\beta"),
                           averaged * DY * sp.diff(GAMMA * XHAT + BETA, BETA))
    _backward(recorder, f, scope.slip)


def _backward(recorder: _PartRecorder, f: Forms, slip: Slip | None) -> None:
    """Seed 002's stages, each local derivative from the forward formula; then seed 004's closed form."""
    recorder.entrywise(DXHAT, "dxhat", "backward", "normalized gradient", partial(r"\hat{x}"),
                    DY * sp.diff(GAMMA * XHAT + BETA, XHAT))
    recorder.sum_over_samples(DVAR, "dvar", "backward", "variance gradient", partial(r"\sigma^{2}"),
                           DXHAT * sp.diff(f.xhat, VAR))
    # factored, so that the sheet writes −2(x − μ)/m as the notes do, not (2μ − 2x)/m
    through_xhat, through_var = DXHAT * sp.diff(f.xhat, MU), sp.factor(sp.diff(f.variance_term, MU))
    recorder.record(DMU, "dmu", "backward", "mean gradient", partial(r"\mu"),
                 recorder.summed(through_xhat) + recorder.steps[DVAR].value * recorder.summed(through_var),
                 (*recorder.sum_tokens(through_xhat), " + ", Ref(recorder.steps[DVAR].id), r" \circ \left(",
                  *recorder.sum_tokens(through_var), r"\right)"))
    paths = DXHAT * sp.diff(f.xhat, X) + DVAR * sp.factor(sp.diff(f.variance_term, X))
    if slip is not Slip.MEAN_PATH_OMITTED:
        paths += DMU * sp.diff(f.mean_term, X)
    recorder.entrywise(DX, "dx", "backward", "input gradient", partial("x"), paths)
    recorder.entrywise(sp.Symbol("dx_compact"), "dx_compact", "closed form", "input gradient", partial("x"),
                    GAMMA / (M * f.root) * (M * DY - DBETA - XHAT * DGAMMA))

