"""Gradient checking (seed 004): the backprop gradient of a part's first update next to central
differences of the loss, parameter by parameter, and their relative difference.

For every entry θᵢ of every weight matrix and bias (and batch norm's γ, β): J(θ + ε eᵢ) and
J(θ − ε eᵢ), with J the loss of the update's batch (sum or mean, as the part's conventions say)
plus the regularisation penalty when the part has one; then (J⁺ − J⁻)/(2ε) next to ∂J/∂θ from
backprop; per layer and over all layers ‖g_approx − g‖₂/(‖g_approx‖₂ + ‖g‖₂) (0 when both are 0);
and the verdict [difference ≤ threshold]. It costs two forward passes per parameter, so a part
whose check would take more passes than the step limit, or compute more numbers than the value
limit, is refused before anything is worked.

Step ids (README "Step ids"): ``J_plus_W1``, ``J_minus_W1`` (matrices the shape of W1),
``dW1_approx``, ``rel_diff1``, ``passed1`` per layer, and ``rel_diff``, ``passed`` over all.
"""

from __future__ import annotations

from dataclasses import dataclass
import numpy as np

from solver.engine.scope import Scope, Tracked
from solver.fields import FieldReader, join
from solver.formula import Constant, Formula, Ref
from solver.kinds.mlp.regularization import penalized, penalty_value
from solver.limits import Limits

GRADIENT_CHECK_KEYS = {"gradient_check", "gradient_check_epsilon", "gradient_check_threshold"}


@dataclass(frozen=True)
class GradientCheck:
    """ε of the central differences and the threshold of the verdict (seed 004: both 1e-7)."""

    epsilon: float = 1e-7
    threshold: float = 1e-7


def read_gradient_check(read: FieldReader, data: dict, where: str) -> GradientCheck | None:
    """A part's gradient-check settings, or None when it does not check."""
    if not read.boolean(data, "gradient_check", where, False):
        for key in ("gradient_check_epsilon", "gradient_check_threshold"):
            if key in data:
                raise read.error(join(where, key), "only a part with gradient_check = true takes this key")
        return None
    values = {}
    for key, default in (("epsilon", GradientCheck.epsilon), ("threshold", GradientCheck.threshold)):
        name = f"gradient_check_{key}"
        value = read.number(data.get(name, default), join(where, name))
        if not 0 < value < 1:
            raise read.error(join(where, name), f"expected a number above 0 and below 1, such as 1e-7, got {value:g}")
        values[key] = value
    return GradientCheck(**values)


def refusal(network, part) -> tuple[str, str] | None:
    """Why the gradient of `part` cannot be checked, as (key within the part, reason), or None.
    Every reason a gradient check is refused is decided here, in one place."""
    if not part.train:
        return "train", "a part that does not train has no gradient to check; remove gradient_check or train"
    return None


def check_allowed(read: FieldReader, where: str, network, part, limits: Limits) -> None:
    """Refuse a gradient check that cannot be made, or that costs more than the limits allow:
    each of its 2 forward passes per parameter counts as a step, and the numbers they compute
    (batch size × units per pass) count against the value limit."""
    if part.gradient_check is None:
        return
    refused = refusal(network, part)
    if refused is not None:
        raise read.error(join(where, refused[0]) if refused[0] else join(where, "gradient_check"), refused[1])
    parameters = sum(value.size for layer in network.layers for value in layer.initial_values)
    passes = 2 * parameters
    if passes > limits.steps:
        raise read.error(join(where, "gradient_check"),
                         f"checking {parameters:,} parameters takes {passes:,} forward passes, more than the limit "
                         f"of {limits.steps:,} steps; raise it with --max-steps")
    batch = part.batch
    numbers = passes * batch * sum(layer.units for layer in network.layers)
    if numbers > limits.values:
        raise read.error(join(where, "gradient_check"),
                         f"its {passes:,} forward passes on {batch} sample{'s' if batch > 1 else ''} compute "
                         f"{numbers:,} numbers, more than the limit of {limits.values:,}; raise it with --max-values")


def objective(network, part, values, X: np.ndarray, T: np.ndarray) -> float:
    """J at the parameter arrays `values` ((W, b) or (W, γ, β) per layer) on the batch X, T: the
    loss reduced as the part's conventions say, plus the part's penalty (M = the batch's size).
    Batch norm uses the batch's own mean and biased variance, as the update does."""
    x = X
    for layer, (W, *rest) in zip(network.layers, values):
        settings = layer.normalization
        if settings is None:
            x = layer.function.evaluate(W @ x + rest[0])
            continue
        z = W @ x
        mu = z.mean(axis=1, keepdims=True)
        var = ((z - mu) ** 2).mean(axis=1, keepdims=True)
        x = layer.function.evaluate(rest[0] * (z - mu) / np.sqrt(var + settings.epsilon) + rest[1])
    criterion = part.criterion()
    output = x
    if criterion.uses_log and part.probability_clip is not None:
        output = np.clip(x, part.probability_clip, 1 - part.probability_clip)
    per_sample = criterion.per_sample(output, T)
    loss = float(per_sample.mean() if part.conventions.batch_reduction == "mean" and X.shape[1] > 1
                 else per_sample.sum())
    regularization = part.regularization
    if not regularization.active:
        return loss
    covered = [layer[p] for layer in values for p in penalized(regularization, tuple(layer))]
    return loss + penalty_value(regularization, covered, X.shape[1])


def check_gradients(scope: Scope, network, names, parameters, gradients, samples) -> None:
    """Record the gradient check of one update: `parameters` are where backprop took `gradients`
    (∂J/∂θ, regularised where the part regularises), on `samples`."""
    part, n = scope.part, scope.notation
    settings: GradientCheck = part.gradient_check
    X = np.hstack([s.input for s in samples])
    T = np.hstack([s.target for s in samples])
    values = [[p.value for p in layer] for layer in parameters]
    J = rf"\tilde{{{n.loss}}}" if part.regularization.active else n.loss
    epsilon = Constant(r"\varepsilon", np.array(settings.epsilon))
    threshold = Constant(r"\tau", np.array(settings.threshold))
    approximations: list[list[Tracked]] = []
    with np.errstate(all="ignore"):
        for l, layer_names in enumerate(names):
            found = []
            for position, parameter in enumerate(layer_names):
                shifted = {}
                for sign, label in ((1, "plus"), (-1, "minus")):
                    result = np.empty(values[l][position].shape)
                    for index in np.ndindex(result.shape):
                        trial = [list(layer) for layer in values]
                        trial[l][position] = values[l][position].copy()
                        trial[l][position][index] += sign * settings.epsilon
                        result[index] = objective(network, part, trial, X, T)
                    where = "+" if sign > 0 else "-"
                    shifted[label] = scope.record(
                        f"J_{label}_{parameter.name}", "gradient check", "shifted loss",
                        rf"{J}\left({{{parameter.symbol}}}_{{ij}} {where} \varepsilon\right)", result)
                found.append(scope.record(
                    f"d{parameter.name}_approx", "gradient check", "approximate gradient",
                    rf"\Delta {{{parameter.symbol}}}_{{\mathrm{{approx}}}}",
                    (shifted["plus"].value - shifted["minus"].value) / (2 * settings.epsilon),
                    Formula((r"\frac{", Ref(shifted["plus"].id), " - ", Ref(shifted["minus"].id), "}{2 ", epsilon, "}"),
                            substitute=False)))
            approximations.append(found)
    differences = []
    for l, (found, exact) in enumerate(zip(approximations, gradients), 1):
        difference = _relative_difference(scope, f"rel_diff{l}", n.layered(r"\mathrm{diff}", l), found, list(exact))
        _verdict(scope, f"passed{l}", difference, threshold, n.layered(r"\mathrm{passed}", l))
        differences.append(difference)
    overall = _relative_difference(scope, "rel_diff", r"\mathrm{diff}", [a for layer in approximations for a in layer],
                                   [g for layer in gradients for g in layer])
    _verdict(scope, "passed", overall, threshold, r"\mathrm{passed}")


def _relative_difference(scope: Scope, quantity: str, symbol: str, approximate: list[Tracked],
                         exact: list[Tracked]) -> Tracked:
    """‖a − g‖₂/(‖a‖₂ + ‖g‖₂) over all the entries of the arrays together; 0 when both are 0."""
    a = np.concatenate([t.value.ravel() for t in approximate])
    g = np.concatenate([t.value.ravel() for t in exact])
    below = np.linalg.norm(a) + np.linalg.norm(g)
    value = float(np.linalg.norm(a - g) / below) if below > 0 else 0.0

    def stacked(tracked: list[Tracked]) -> tuple:
        tokens: list = [r"\left("]
        for index, t in enumerate(tracked):
            tokens += [", " if index else "", Ref(t.id)]
        return (*tokens, r"\right)")

    formula = Formula((r"\frac{\left\|", *stacked(approximate), " - ", *stacked(exact), r"\right\|_2}{\left\|",
                       *stacked(approximate), r"\right\|_2 + \left\|", *stacked(exact), r"\right\|_2}"),
                      substitute=False)
    return scope.record(quantity, "gradient check", "relative difference", symbol, value, formula)


def _verdict(scope: Scope, quantity: str, difference: Tracked, threshold: Constant, symbol: str) -> Tracked:
    """1 when the relative difference is at most the threshold, else 0."""
    return scope.record(quantity, "gradient check", "verdict", symbol,
                        float(float(difference.value) <= float(threshold.value)),
                        Formula((r"\left[", Ref(difference.id), r" \leq ", threshold, r"\right]")))

