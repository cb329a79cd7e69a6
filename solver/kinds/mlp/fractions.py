"""The MLP's steps in exact fractions (number_format = "fraction", solver/exact.py), computed with the
same arithmetic as their floats from the fractions of their inputs; None wherever an input has none
or a result is not rational (σ, tanh, a log). The Recorder keeps them only when they equal the float.
W x + b, δ and the gradients are products written beside their floats in backprop.py; f′, a
collapsed output δ and the optimiser's updates are one expression each, which the Recorder works
out itself."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from solver.engine.scope import Scope, Tracked
from solver.exact import substituted
from solver.symbolic.activations import z as NET
from solver.symbolic.losses import n as LOSS_OUTPUTS, t as TARGET, x as OUTPUT_COMPONENT


def exact_activation(scope: Scope, f, z: Tracked) -> np.ndarray | None:
    """x = f(z) in fractions, when z has them and f gives a rational at each (identity, ReLU)."""
    exact = scope.exact(z)
    if exact is None or not f.elementwise or f.per_unit:
        return None
    return substituted(f.expression, {NET: exact[0]}, z.value.shape)


def exact_loss(scope: Scope, criterion, x: Tracked, target: Tracked, outputs: int, mean: bool):
    """E in fractions, when the output and target have them and every term is rational."""
    exact = scope.exact(x, target)
    if exact is None or scope.slip is not None or not criterion.separable or criterion.uses_log:
        return None
    terms = substituted(criterion.term.subs(LOSS_OUTPUTS, outputs), {OUTPUT_COMPONENT: exact[0], TARGET: exact[1]},
                        x.value.shape)
    if terms is None:
        return None
    total = sum(terms.flat, Fraction(0))
    return Fraction(total, x.value.shape[1]) if mean else total


def exact_output_delta(scope: Scope, criterion, x: Tracked, target: Tracked, fprime: Tracked, sign: int):
    """δ = ∂E/∂x ∘ f′ in fractions, when its inputs have them and ∂E/∂x is rational at each entry."""
    exact = scope.exact(x, target, fprime)
    if exact is None or not criterion.separable:
        return None
    gradient = substituted(criterion.gradient.subs(LOSS_OUTPUTS, x.value.shape[0]),
                           {OUTPUT_COMPONENT: exact[0], TARGET: exact[1]}, x.value.shape)
    return None if gradient is None else Fraction(sign) * gradient * exact[2]
