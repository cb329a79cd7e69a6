"""The maximum-likelihood estimate of a Bernoulli θ from a sequence of outcomes (seed 002's coin).

L(θ) = θ^k (1 − θ)^(n − k) for k successes in n outcomes: one SymPy expression gives the
likelihood of each candidate θ (printed and evaluated), the log-likelihood and its derivative
(the sheet's derivation), and the zero of the derivative, θ̂ = k/n.

The slip of counting the other outcome (solver/engine/slips.py) is made at k; every later step
carries it forward.

Step ids: ``a.n``, ``a.k`` (the counts), ``a.L1`` … (the likelihood of each candidate),
``a.best`` (the number of the most likely candidate), ``a.theta_hat``, ``a.L_hat`` (the likelihood
at θ̂), ``a.logL_hat`` (its log).
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

import numpy as np
import sympy as sp

from solver.engine.scope import Scope
from solver.engine.slips import Slip
from solver.formula import Constant, Expression, Formula, Ref
from solver.kinds.mle.reader import Sequence
from solver.symbolic.numeric import numpy_function

THETA, K, N = sp.Symbol("theta", positive=True), sp.Symbol("k", nonnegative=True), sp.Symbol("n", positive=True)
LIKELIHOOD = THETA**K * (1 - THETA) ** (N - K)
TIE_DIGITS = 10


@cache
def _likelihood():
    return numpy_function((THETA, K, N), LIKELIHOOD)


def log_likelihood(k: int | sp.Symbol = K, n: int | sp.Symbol = N) -> sp.Expr:
    """log L(θ) = k log θ + (n − k) log(1 − θ), for numbers or the symbols k and n."""
    return sp.expand_log(sp.log(LIKELIHOOD.subs({K: k, N: n})), force=True)


def stationary_points(k: int, n: int) -> list[sp.Expr]:
    """The θ in (0, 1) where d log L / dθ = 0: [k/n] when 0 < k < n, else none (L is monotone)."""
    return [root for root in sp.solve(sp.diff(log_likelihood(k, n), THETA), THETA) if 0 < root < 1]


def best_candidate(likelihoods: list[float]) -> int:
    """The index of the largest likelihood; equal to TIE_DIGITS figures, the first."""
    keys = [float(f"{value:.{TIE_DIGITS}g}") for value in likelihoods]
    return keys.index(max(keys))


def work(scope: Scope, sequence: Sequence, exact: bool) -> None:
    success = rf"\mathrm{{{sequence.success}}}"
    n = scope.record("n", "counts", "count", "n", float(sequence.n), Formula((r"\text{number of outcomes}",)))
    successes = sequence.n - sequence.k if scope.slip is Slip.OTHER_OUTCOME_COUNTED else sequence.k
    k = scope.record("k", "counts", "count", "k", float(successes),
                     Formula((rf"\#\{{i : x^{{(i)}} = {success}\}}",)))
    symbols = ((K, Ref(k.id)), (N, Ref(n.id)))
    function = _likelihood()
    likelihoods = []
    for j, theta in enumerate(sequence.candidates):
        constant = Constant(rf"\theta_{{{j + 1}}}", np.array(theta))
        step = scope.record(f"L{j + 1}", "likelihood", "likelihood", rf"L(\theta_{{{j + 1}}})",
                            float(function(theta, k.value, n.value)),
                            Formula((Expression(LIKELIHOOD, symbols, elementwise=False, constants=((THETA, constant),)),)))
        likelihoods.append(float(step.value))
    if likelihoods:
        listed = ", ".join(rf"L(\theta_{{{j + 1}}})" for j in range(len(likelihoods)))
        scope.record("best", "likelihood", "choice", r"j^{*}", float(best_candidate(likelihoods) + 1),
                     Formula((rf"\operatorname{{argmax}}_{{j}} \left({listed}\right)",)))
    ratio = K / N
    value = float(k.value) / float(n.value) if float(n.value) else np.nan
    theta_hat = scope.record("theta_hat", "estimate", "estimate", r"\hat{\theta}", value,
                             Formula((Expression(ratio, symbols, elementwise=False),)),
                             exact=np.array(Fraction(successes, sequence.n), dtype=object) if exact else None)
    L_hat = scope.record("L_hat", "estimate", "likelihood", r"L(\hat{\theta})",
                         float(function(float(theta_hat.value), k.value, n.value)),
                         Formula((Expression(LIKELIHOOD, symbols, elementwise=False,
                                             constants=((THETA, Constant(r"\hat{\theta}", theta_hat.value)),)),)))
    log = sp.Symbol("L")
    scope.record("logL_hat", "estimate", "log-likelihood", r"\log L(\hat{\theta})",
                 float(np.log(float(L_hat.value))) if float(L_hat.value) > 0 else -np.inf,
                 Formula((Expression(sp.log(log), ((log, Ref(L_hat.id)),), elementwise=False),)))
