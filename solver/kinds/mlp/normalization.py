"""Batch norm inside an MLP layer (z → BN → f), as worked by hand (seed 004): z = W x (no bias),
μ and σ² (the biased variance) over the batch's columns, ẑ = (z − μ)/√(σ² + ε), z̃ = γ ∘ ẑ + β and
x = f(z̃). Backward: from δ at z̃, ∂E/∂γ = Σ δ ∘ ẑ, ∂E/∂β = Σ δ, and δ at z by the closed form
(γ/(m√(σ² + ε))) ∘ (m δ − Σ δ − ẑ ∘ Σ (δ ∘ ẑ)) (the batch-norm kind, solver/kinds/batchnorm, also
has the staged form). After each update the running averages move towards the batch's:
running ← momentum · running + (1 − momentum) · batch value; queries normalise with them.

Step ids (README "Step ids"): ``mu1``, ``var1``, ``zhat1``, ``ztilde1``, ``dgamma1``, ``dbeta1``,
``delta_z1``, ``running_mean1``, ``running_var1`` (and ``running_mean1_start`` …, where a part starts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from solver.engine.scope import Scope, Tracked
from solver.formula import Constant, Expression, Formula, Ref, Scalar
from solver.kinds.mlp.network import Normalization

Z, MU, VAR, ZHAT, GAMMA, BETA, DELTA, RUNNING = sp.symbols("z mu sigma2 zhat gamma beta delta running", real=True)
M, EPS, MOMENTUM = Scalar("m", positive=True), Scalar("epsilon", positive=True), Scalar("momentum", positive=True)
RUNNING_START = (0.0, 1.0)
"""The running mean and variance before the first update: 0 and 1."""


@dataclass(frozen=True)
class Statistics:
    """What the backward pass and the running averages need from a layer's forward batch norm."""

    mu: Tracked
    var: Tracked
    zhat: Tracked


def _expression(expr: sp.Expr, steps: dict[sp.Symbol, Tracked], constants: dict[sp.Symbol, Constant]) -> Expression:
    used = expr.free_symbols
    return Expression(expr, symbols=tuple((s, Ref(t.id)) for s, t in steps.items() if s in used),
                      constants=tuple((s, c) for s, c in constants.items() if s in used))


def _constants(m: int, settings: Normalization) -> dict[sp.Symbol, Constant]:
    return {M: Constant("m", np.array(float(m))), EPS: Constant(r"\epsilon", np.array(settings.epsilon)),
            MOMENTUM: Constant(r"\mathrm{momentum}", np.array(settings.momentum))}


def _ones(m: int) -> Constant:
    return Constant(r"\mathbf{1}", np.ones((m, 1)))


def normalize(scope: Scope, l: int, settings: Normalization, z: Tracked, gamma: Tracked, beta: Tracked,
              running: tuple[Tracked, Tracked] | None = None) -> tuple[Tracked, Statistics | None]:
    """z̃ of layer `l`, with the batch's μ and σ² (training), or the `running` averages (a query);
    returns z̃ and, in training, the batch statistics."""
    n = scope.notation
    m = z.value.shape[1]
    constants = _constants(m, settings)
    statistics = None
    if running is None:
        steps = {Z: z}
        mu = scope.record(f"mu{l}", "forward", "batch mean", n.layered(r"\mu", l), z.value.mean(axis=1, keepdims=True),
                          Formula((r"\left(", _expression(Z / M, steps, constants), r"\right) ", _ones(m))))
        steps[MU] = mu
        var = scope.record(f"var{l}", "forward", "batch variance", n.layered(r"\sigma^{2}", l),
                           ((z.value - mu.value) ** 2).mean(axis=1, keepdims=True),
                           Formula((r"\left(", _expression((Z - MU) ** 2 / M, steps, constants), r"\right) ", _ones(m))))
    else:
        mu, var = running
    steps = {Z: z, MU: mu, VAR: var}
    zhat = scope.record(f"zhat{l}", "forward", "normalized net", n.layered(r"\hat{z}", l),
                        (z.value - mu.value) / np.sqrt(var.value + settings.epsilon),
                        Formula((_expression((Z - MU) / sp.sqrt(VAR + EPS), steps, constants),)))
    if running is None:
        statistics = Statistics(mu, var, zhat)
    steps = {ZHAT: zhat, GAMMA: gamma, BETA: beta}
    ztilde = scope.record(f"ztilde{l}", "forward", "scaled net", n.layered(r"\tilde{z}", l),
                          gamma.value * zhat.value + beta.value,
                          Formula((_expression(GAMMA * ZHAT + BETA, steps, constants),)))
    return ztilde, statistics


def scale_shift_gradients(scope: Scope, l: int, settings: Normalization, delta: Tracked, statistics: Statistics,
                          factor: float, prefix: str) -> tuple[Tracked, Tracked]:
    """(∂E/∂γ, ∂E/∂β) of layer `l` from `delta`, the δ at z̃; `factor` and `prefix` are the
    gradients' sign and 1/m (as a number, and as the sheet writes it)."""
    n = scope.notation
    m = delta.value.shape[1]
    steps = {DELTA: delta, ZHAT: statistics.zhat}
    constants = _constants(m, settings)
    ones = _ones(m)
    product = delta.value * statistics.zhat.value
    dgamma = scope.record(f"dgamma{l}", "gradients", "scale gradient", _partial(n.loss, n.layered(r"\gamma", l)),
                          factor * product.sum(axis=1, keepdims=True),
                          Formula((prefix, r"\left(", _expression(DELTA * ZHAT, steps, constants), r"\right) ", ones)))
    dbeta = scope.record(f"dbeta{l}", "gradients", "shift gradient", _partial(n.loss, n.layered(r"\beta", l)),
                         factor * delta.value.sum(axis=1, keepdims=True), Formula((prefix, Ref(delta.id), " ", ones)))
    return dgamma, dbeta


def delta_through(scope: Scope, l: int, settings: Normalization, delta: Tracked, gamma: Tracked,
                  statistics: Statistics) -> Tracked:
    """δ at z of layer `l` from `delta`, the δ at z̃, by the closed form."""
    n = scope.notation
    m = delta.value.shape[1]
    constants = _constants(m, settings)
    steps = {DELTA: delta, ZHAT: statistics.zhat, GAMMA: gamma, VAR: statistics.var}
    ones = _ones(m)
    product = delta.value * statistics.zhat.value
    value = (gamma.value / (m * np.sqrt(statistics.var.value + settings.epsilon))
             * (m * delta.value - delta.value.sum(axis=1, keepdims=True)
                - statistics.zhat.value * product.sum(axis=1, keepdims=True)))
    formula = Formula((_expression(GAMMA / (M * sp.sqrt(VAR + EPS)), steps, constants), r" \circ \left(",
                       _expression(M * DELTA, steps, constants), " - ", Ref(delta.id), " ", ones, " - ",
                       Ref(statistics.zhat.id), r" \circ \left(\left(", _expression(DELTA * ZHAT, steps, constants),
                       r"\right) ", ones, r"\right)\right)"))
    return scope.record(f"delta_z{l}", "backward", "delta", rf"{n.layered(n.delta, l)}_{{z}}", value, formula)


def starting_averages(scope: Scope, l: int, values: tuple[np.ndarray, np.ndarray], suffix: str = "_start"
                      ) -> tuple[Tracked, Tracked]:
    """The running mean and variance a part starts from, as given steps."""
    n = scope.notation
    return (scope.record(f"running_mean{l}{suffix}", "given", "running mean", n.layered(r"\bar{\mu}", l),
                         values[0]),
            scope.record(f"running_var{l}{suffix}", "given", "running variance",
                         n.layered(r"\bar{\sigma}^{2}", l), values[1]))


def running_averages(scope: Scope, l: int, settings: Normalization, previous: tuple[Tracked, Tracked],
                     statistics: Statistics) -> tuple[Tracked, Tracked]:
    """The running mean and variance after an update: momentum · running + (1 − momentum) · batch value."""
    n = scope.notation
    constants = _constants(statistics.zhat.value.shape[1], settings)
    averages = []
    for (name, kind, symbol), old, batch in zip(
            (("running_mean", "running mean", r"\bar{\mu}"),
             ("running_var", "running variance", r"\bar{\sigma}^{2}")),
            previous, (statistics.mu, statistics.var)):
        steps = {RUNNING: old, MU: batch}
        averages.append(scope.record(
            f"{name}{l}", "update", kind, n.layered(symbol, l),
            settings.momentum * old.value + (1 - settings.momentum) * batch.value,
            Formula((_expression(MOMENTUM * RUNNING + (1 - MOMENTUM) * MU, steps, constants),))))
    return averages[0], averages[1]


def _partial(numerator: str, denominator: str) -> str:
    return rf"\frac{{\partial {numerator}}}{{\partial {denominator}}}"
