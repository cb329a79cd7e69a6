"""The arithmetic of one update of a network, as a careful person writes it: the forward pass
(forward.py), the loss, the deltas from the output layer down (each preceded by f'(z)) and the
gradients. Samples are columns; a batch keeps one column per sample. Conventions (delta sign, sum
or mean over a batch) are read here and nowhere else, and so are the network slips (see
solver/engine/slips.py) a checker may switch on to reproduce a student's mistake. What is done
with the gradients (the optimiser) is solver/engine/optimizer.py's job.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

import numpy as np
import sympy as sp

from solver.conventions import Conventions, Notation, atom
from solver.engine.scope import Scope, Tracked
from solver.engine.slips import Slip
from solver.errors import NumericError, blamed_on
from solver.kinds.mlp.fractions import exact_loss, exact_output_delta
from solver.formula import Constant, Expression, Formula, Ref
from solver.kinds.mlp.dropout import dropout_delta
from solver.kinds.mlp.forward import Parameters, forward
from solver.kinds.mlp.log_loss import clipped_output, flat_under_clip, for_loss, require_probabilities
from solver.kinds.mlp.network import Network
from solver.kinds.mlp.normalization import Statistics, delta_through, scale_shift_gradients
from solver.kinds.mlp.reader import Part, Sample
from solver.symbolic import output_delta
from solver.symbolic.activations import y as OUTPUT, z as NET
from solver.symbolic.losses import X_Y, written_as_sum, n as LOSS_OUTPUTS, t as TARGET, x as OUTPUT_COMPONENT

Gradients = tuple[tuple[Tracked, ...], ...]
"""(∂E/∂W, ∂E/∂b), or (∂E/∂W, ∂E/∂γ, ∂E/∂β), per layer."""


HALF_SWAPPED = {"half_sse": 2.0, "sse": 0.5}
"""What E becomes when the ½ of ½Σ(x − t)² is left out, or written in front of Σ(x − t)²."""


def backpropagate(scope: Scope, network: Network, parameters: Parameters, samples: tuple[Sample, ...],
                  rate: float, dropout: tuple[np.ndarray | None, ...] | None = None
                  ) -> tuple[Gradients, list[Statistics | None]]:
    """The forward pass, loss, deltas and gradients of one update on `samples` (one column each),
    with each batch-norm layer's batch statistics. `rate` is the learning rate, which only a
    student who updates the weights too early uses here; `dropout` the layers' masks (see forward)."""
    n, part = scope.notation, scope.part
    conventions: Conventions = part.conventions
    m = len(samples)
    x0 = scope.record("x0", "given", "input", n.layered(n.activation, 0), np.hstack([s.input for s in samples]))
    target = scope.record("t", "given", "target", n.target, np.hstack([s.target for s in samples]))
    layers, statistics = forward(scope, network, parameters, x0, dropout=dropout)
    L = len(layers)
    criterion = part.criterion()
    require_probabilities(scope, layers[-1][1].value)
    clipped = clipped_output(scope, layers[-1][1], L)
    output = (layers[-1][1] if clipped is None else clipped).value  # the student's x̂, when they wrote one
    with np.errstate(divide="ignore", invalid="ignore"):  # a swapped log(0) is the student's, not ours
        per_sample = (criterion.per_sample(target.value, output) if scope.slip is Slip.OUTPUT_AND_TARGET_SWAPPED
                      else criterion.per_sample(output, target.value))
    # a custom loss's NaN may be log −1 as well as 0 · log 0: the E step reports it, at loss_expression
    undefined = np.isinf(per_sample) if part.loss == "custom" else ~np.isfinite(per_sample)
    if criterion.uses_log and np.any(undefined) and scope.recorder.require_finite:
        raise NumericError(
            "a predicted probability is 0 (or 1) where the loss takes its log; set probability_clip "
            "(for example 1e-12) in [training] to clip probabilities to [ε, 1 − ε]",
            file=scope.recorder.source, key=scope.id_of("E"))
    mean = conventions.batch_reduction == "mean"
    if scope.slip in (Slip.MEAN_INSTEAD_OF_SUM, Slip.SUM_INSTEAD_OF_MEAN):
        mean = scope.slip is Slip.MEAN_INSTEAD_OF_SUM
    reduce_mean = mean and m > 1
    E = per_sample.mean() if reduce_mean else per_sample.sum()
    if scope.slip is Slip.LOSS_HALF_SWAPPED and part.loss in HALF_SWAPPED:
        E = E * HALF_SWAPPED[part.loss]  # in writing E only: the deltas below still come from the true loss
    with blamed_on(part.loss_origin):
        scope.record("E", "loss", "loss", n.loss, E,
                     _loss_formula(scope.notation, criterion.term, L, network.layers[-1].units, m, reduce_mean,
                                   clipped is not None),
                     exact=exact_loss(scope, criterion, layers[-1][1], target, network.layers[-1].units, reduce_mean))

    sign, scale = conventions.delta_sign, (1.0 / m if reduce_mean else 1.0)
    prefix = ("-" if sign < 0 else "") + (rf"\frac{{1}}{{{m}}} " if reduce_mean else "")
    # per layer from the top: (δ at the activation's input, δ at z)
    deltas = [_through_normalization(scope, network, L, _output_delta(scope, network, criterion, layers, target, clipped),
                                     parameters, statistics)]
    for l in range(L - 1, 0, -1):
        z, x, fed, mask = layers[l - 1]
        fprime = _fprime(scope, network, l, z, x)
        W_next = parameters[l][0]
        above = deltas[-1][1]
        W = W_next.value
        if scope.slip is Slip.UPDATED_WEIGHTS_IN_BACKWARD:
            W = W - rate * sign * scale * above.value @ fed.value.T
        # W in place of W^T is a slip only a square W lets a student make
        untransposed = scope.slip is Slip.WEIGHTS_NOT_TRANSPOSED and W.shape[0] == W.shape[1]
        backpropagated = W @ above.value if untransposed else W.T @ above.value
        if mask is not None:
            delta = dropout_delta(scope, l, network.layers[l - 1].dropout, mask, W_next, above, fprime, backpropagated)
            deltas.append(_through_normalization(scope, network, l, delta, parameters, statistics))
            continue
        exact = scope.exact(W_next, above, fprime)
        delta = scope.record(
            f"delta{l}", "backward", "delta", n.layered(n.delta, l),
            backpropagated * fprime.value,
            Formula((r"\left(", Ref(W_next.id, transpose=True), " ", Ref(above.id), r"\right) \circ ", Ref(fprime.id))),
            exact=(exact[0].T @ exact[1]) * exact[2] if exact else None,
        )
        deltas.append(_through_normalization(scope, network, l, delta, parameters, statistics))
    deltas.reverse()

    ones = Constant(r"\mathbf{1}", np.ones((m, 1)))
    gradients = []
    for l in range(L, 0, -1):
        delta_activation, delta = deltas[l - 1]
        below = x0 if l == 1 else layers[l - 2][2]
        exact = scope.exact(delta, below)
        factor = Fraction(sign) / (m if reduce_mean else 1)
        dW = scope.record(f"dW{l}", "gradients", "weight gradient", _partial(n.loss, n.layered(n.weight, l)),
                          sign * scale * delta.value @ below.value.T,
                          Formula((prefix, Ref(delta.id), " ", Ref(below.id, transpose=True))),
                          exact=factor * (exact[0] @ exact[1].T) if exact else None)
        settings = network.layers[l - 1].normalization
        if settings is not None:
            gradients.append((dW, *scale_shift_gradients(scope, l, settings, delta_activation, statistics[l - 1],
                                                         sign * scale, prefix)))
            continue
        db = scope.record(f"db{l}", "gradients", "bias gradient", _partial(n.loss, n.layered(n.bias, l)),
                          sign * scale * delta.value.sum(axis=1, keepdims=True),
                          Formula((prefix, Ref(delta.id)) + ((" ", ones) if m > 1 else ())),
                          exact=factor * exact[0].sum(axis=1, keepdims=True) if exact else None)
        gradients.append((dW, db))
    return tuple(reversed(gradients)), statistics


def _through_normalization(scope: Scope, network: Network, l: int, delta: Tracked, parameters: Parameters,
                           statistics: list[Statistics | None]) -> tuple[Tracked, Tracked]:
    """(δ at the activation's input, δ at z) of layer `l`: the same without batch norm."""
    settings = network.layers[l - 1].normalization
    if settings is None:
        return delta, delta
    return delta, delta_through(scope, l, settings, delta, parameters[l - 1][1], statistics[l - 1])


def _output_delta(scope: Scope, network: Network, criterion, layers, target: Tracked, clipped: Tracked | None
                  ) -> Tracked:
    """δ at the output layer's net input; `clipped` is the step x̂ where the clip moves an output."""
    n, sign, slip = scope.notation, scope.part.conventions.delta_sign, scope.slip
    L = len(layers)
    z, x, *_ = layers[-1]
    f = network.layers[-1].function
    symbol = n.layered(n.delta, L)
    step_symbols = ((OUTPUT_COMPONENT, Ref(x.id)), (TARGET, Ref(target.id)), (NET, Ref(z.id)))
    output, wanted = (x if clipped is None else clipped).value, target.value
    if slip is Slip.OUTPUT_AND_TARGET_SWAPPED:
        output, wanted = wanted, output
    if slip is Slip.ERROR_SIGN_FLIPPED:
        sign = -sign
    if slip is Slip.DELTA_HALF_SWAPPED and scope.part.loss in HALF_SWAPPED:
        sign = sign * HALF_SWAPPED[scope.part.loss]  # ∂/∂x of Σ(x − t)² is 2(x − t): every δ below doubles
    delta = output_delta(criterion, f)
    gradient_shown = _gradient_display(criterion, n.layered(n.activation, L), network.layers[-1].units)
    flat = None if clipped is None else flat_under_clip(scope.part, x.value)
    if clipped is not None:  # the loss and its gradient see the clipped output x̂
        step_symbols = ((OUTPUT_COMPONENT, Ref(clipped.id)), *step_symbols[1:])
    collapsed = delta.elementwise_form is not None and flat is None and slip not in (
        Slip.DERIVATIVE_OMITTED, Slip.FUNCTION_FOR_DERIVATIVE, Slip.SOFTMAX_AS_ELEMENTWISE, Slip.TANH_DERIVATIVE_UNSQUARED)
    if collapsed and (not delta.needs_one_hot or np.allclose(target.value.sum(axis=0), 1.0, rtol=0, atol=1e-12)):
        return scope.record(f"delta{L}", "backward", "delta", symbol,
                            sign * delta.evaluate_elementwise(output, wanted, z.value),
                            Formula((Expression(sign * delta.elementwise_form, step_symbols),)))
    gradient = criterion.evaluate_gradient(output, wanted)
    kept = ()  # where the clip moves an output the clipped loss is flat: ∂E/∂x is 0 there
    if flat is not None:
        gradient = np.where(flat, 0.0, gradient)
        kept = (r" \circ ", Constant(rf"\left[\varepsilon \le {n.layered(n.activation, L)} \le 1 - \varepsilon\right]",
                                     (~flat).astype(float)))
    if f.elementwise:
        fprime = _fprime(scope, network, L, z, x)
        if isinstance(gradient_shown, sp.Expr):
            formula = Formula((r"\left(", Expression(sign * gradient_shown, step_symbols), r"\right)", *kept, r" \circ ",
                               Ref(fprime.id)))
        else:
            formula = Formula(("-" if sign < 0 else "", gradient_shown, *kept, r" \circ ", Ref(fprime.id)), substitute=False)
        return scope.record(f"delta{L}", "backward", "delta", symbol, sign * gradient * fprime.value, formula,
                            exact=exact_output_delta(scope, criterion, x, target, fprime, sign) if flat is None else None)
    if slip in (Slip.SOFTMAX_AS_ELEMENTWISE, Slip.DERIVATIVE_OMITTED):
        derivative = x.value * (1 - x.value) if slip is Slip.SOFTMAX_AS_ELEMENTWISE else 1.0
        return scope.record(f"delta{L}", "backward", "delta", symbol, sign * gradient * derivative)
    shown = Expression(gradient_shown, step_symbols) if isinstance(gradient_shown, sp.Expr) else gradient_shown
    formula = Formula(("-" if sign < 0 else "", rf"J_{{{f.latex_name}}}\left(", Ref(z.id), r"\right)^{T} \left(",
                       shown, *kept, r"\right)"), substitute=False)
    return scope.record(f"delta{L}", "backward", "delta", symbol,
                        sign * delta.evaluate_through_jacobian(x.value, gradient, z.value), formula)


def _gradient_display(criterion, output_symbol: str, outputs: int) -> sp.Expr | str:
    """∂E/∂x as the sheet writes it: the loss's per-component gradient (n, the number of outputs,
    written as its value), or the symbol ∂E/∂x for a loss of the whole column."""
    if criterion.separable:
        return criterion.gradient.subs(LOSS_OUTPUTS, outputs)
    return _partial("E", output_symbol)


def _fprime(scope: Scope, network: Network, l: int, z: Tracked, x: Tracked) -> Tracked:
    """f'(z) of layer l, written in terms of x where the catalogue derives such a form."""
    n = scope.notation
    f = network.layers[l - 1].function
    if f.derivative_of_output is not None:
        formula = Formula((Expression(f.derivative_of_output, ((OUTPUT, Ref(x.id)),)),))
    else:
        formula = Formula((Expression(f.derivative, ((NET, Ref(z.id)),)),),
                          substitute=not f.derivative.has(sp.Piecewise))
    net = n.net if network.layers[l - 1].normalization is None else r"\tilde{z}"
    symbol = rf"{f.latex_name}'\left({n.layered(net, l)}\right)"
    with blamed_on(network.layers[l - 1].expression_at):
        return scope.record(f"fprime{l}", "backward", "derivative", symbol, _derivative_value(scope.slip, f, z, x),
                            formula)


def _derivative_value(slip: Slip | None, f, z: Tracked, x: Tracked) -> np.ndarray:
    if slip is Slip.FUNCTION_FOR_DERIVATIVE:
        return x.value
    if slip is Slip.DERIVATIVE_OMITTED:
        return np.ones_like(x.value)
    if slip is Slip.TANH_DERIVATIVE_UNSQUARED and f.name == "tanh":
        return 1 - x.value
    return f.evaluate_derivative(z.value, x.value)


@cache  # the same for every update of a run: a SymPy Sum is slow to build
def _loss_formula(n: Notation, term: sp.Expr, layer: int, outputs: int, samples: int, mean: bool,
                  clipped: bool = False) -> Formula:
    """E as a sum over output components i (and samples k of a batch), with the loss's own factor;
    in the clipped output x̂ when `clipped`."""
    i = sp.Symbol("i", integer=True)
    output, target = sp.Symbol("x_i"), sp.Symbol("t_i")
    index = "i" if samples == 1 else "ik"
    negative, factor, summand = written_as_sum(term, outputs)
    summed = sp.Sum(summand.subs({OUTPUT_COMPONENT: output, TARGET: target}), (i, 1, outputs))
    true_class = "y" if samples == 1 else "y_k"
    written = n.layered(rf"\hat{{{atom(n.activation)}}}" if clipped else n.activation, layer)
    names = ((output, f"{written}_{{{index}}}"), (target, f"{atom(n.target)}_{{{index}}}"),
             (X_Y, f"{written}_{{{true_class}}}"))
    tokens: list = ["-"] if negative else []
    if mean:
        tokens.append(rf"\frac{{1}}{{{samples}}}")
    if samples > 1:
        tokens.append(rf"\sum_{{k=1}}^{{{samples}}} ")
    if factor != 1:
        tokens.append(Expression(factor, elementwise=False))
    tokens.append(Expression(summed, names=names, elementwise=False))
    return Formula(tuple(tokens), substitute=False)


def _partial(numerator: str, denominator: str) -> str:
    return rf"\frac{{\partial {numerator}}}{{\partial {denominator}}}"


def dataset_loss(network: Network, part: Part, values, samples: tuple[Sample, ...], running=None) -> float:
    """The loss over `samples` with the weights and biases `values`, reduced as the part's
    conventions say (sum or mean over the samples): the loss after an epoch, and a validation loss.
    Batch norm uses the `running` (mean, variance) arrays, as a query does."""
    x = np.hstack([sample.input for sample in samples])
    for l, (layer, (W, *rest)) in enumerate(zip(network.layers, values)):
        settings = layer.normalization
        if settings is None:
            x = layer.function.evaluate(W @ x + rest[0])
            continue
        mean, var = running[l]
        x = layer.function.evaluate(rest[0] * (W @ x - mean) / np.sqrt(var + settings.epsilon) + rest[1])
    criterion = part.criterion()
    with np.errstate(divide="ignore", invalid="ignore"):
        per_sample = criterion.per_sample(for_loss(part, x), np.hstack([s.target for s in samples]))
    return float(per_sample.mean() if part.conventions.batch_reduction == "mean" else per_sample.sum())
