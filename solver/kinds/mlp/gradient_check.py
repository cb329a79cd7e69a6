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
``dW1_approx``, ``diff_norm1``, ``approx_norm1``, ``backprop_norm1``, ``rel_diff1``, ``passed1``
per layer, and ``diff_norm``, ``approx_norm``, ``backprop_norm``, ``rel_diff``, ``passed`` over all.
"""

from __future__ import annotations

from dataclasses import dataclass
import numpy as np

from solver.engine.scope import Scope, Tracked
from solver.fields import FieldReader, join
from solver.formula import Constant, Formula, Ref
from solver.kinds.mlp.log_loss import for_loss
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
    dropped = [index for index, layer in enumerate(network.layers, 1) if layer.dropout is not None]
    if dropped:
        return "", (f"gradient checking does not work with dropout (seed 004): dropout makes the loss a different "
                    f"function on every pass, so J(θ + ε) and J(θ − ε) would not be the J that backprop "
                    f"differentiates; remove the dropout of layer {dropped[0]}, check, then put it back")
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


_CHUNK = 256
"""Shifted copies of a parameter worked out together: one pass through the network per chunk of
copies, the copies side by side (their memory stays below a few MB whatever the parameter's size)."""


def shifted_losses(network, part, values, X: np.ndarray, T: np.ndarray, layer: int, position: int,
                   shift: float) -> np.ndarray:
    """J with entry i of parameter `position` of layer `layer` (from 0) moved by `shift`, for every
    entry i, in the parameter's shape. J is the loss on the batch X, T reduced as the part's
    conventions say, plus the part's penalty (M = the batch's size); batch norm uses the batch's
    own mean and biased variance, as the update does. The copies go through the network side by
    side (an array axis) instead of one forward pass each."""
    parameter = values[layer][position]
    k = parameter.size
    losses = np.empty(k)
    for start in range(0, k, _CHUNK):
        count = min(_CHUNK, k - start)
        stack = np.repeat(parameter[None], count, axis=0)
        stack.reshape(count, -1)[np.arange(count), np.arange(start, start + count)] += shift
        losses[start:start + count] = _losses(network, part, values, X, T, layer, position, stack)
    return losses.reshape(parameter.shape)


def _losses(network, part, values, X, T, layer: int, position: int, stack: np.ndarray) -> np.ndarray:
    """J for each copy in `stack` (copies × the parameter's shape) of parameter `position` of `layer`."""
    x = X[None]  # copies × units × samples; one copy until the shifted layer
    for index, (settings, parameters) in enumerate(zip(network.layers, values)):
        arrays = [p[None] for p in parameters]
        if index == layer:
            arrays[position] = stack
        z = np.matmul(arrays[0], x)
        if settings.normalization is None:
            z = z + arrays[1]
        else:
            mu = z.mean(axis=2, keepdims=True)
            var = ((z - mu) ** 2).mean(axis=2, keepdims=True)
            z = arrays[1] * (z - mu) / np.sqrt(var + settings.normalization.epsilon) + arrays[2]
        copies, units, samples = z.shape
        # an activation such as softmax works on columns: the copies' columns side by side
        flat = settings.function.evaluate(z.transpose(1, 0, 2).reshape(units, copies * samples))
        x = flat.reshape(units, copies, samples).transpose(1, 0, 2)
    copies, outputs, samples = x.shape
    criterion = part.criterion()
    output = x.transpose(1, 0, 2).reshape(outputs, copies * samples)
    output = for_loss(part, output)
    per_sample = criterion.per_sample(output, np.tile(T, (1, copies))).reshape(copies, samples)
    mean = part.conventions.batch_reduction == "mean" and samples > 1
    loss = per_sample.mean(axis=1) if mean else per_sample.sum(axis=1)
    regularization = part.regularization
    if not regularization.active:
        return loss
    covered = [(l, p) for l, parameters in enumerate(values) for p in penalized(regularization, tuple(parameters))]
    others = [values[l][p] for l, p in covered if (l, p) != (layer, position)]
    base = penalty_value(regularization, others, samples)
    if (layer, position) not in covered:
        return loss + base
    return loss + base + np.array([penalty_value(regularization, [copy], samples) for copy in stack])


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
    loss_sizes: list[float] = []  # the largest |J±| of each layer: how finely its differences resolve
    with np.errstate(all="ignore"):
        for l, layer_names in enumerate(names):
            found = []
            size = 0.0
            for position, parameter in enumerate(layer_names):
                shifted = {}
                for sign, label in ((1, "plus"), (-1, "minus")):
                    where = "+" if sign > 0 else "-"
                    shifted[label] = scope.record(
                        f"J_{label}_{parameter.name}", "gradient check", "shifted loss",
                        rf"{J}\left({_subscripted(parameter.symbol, 'ij')} {where} \varepsilon\right)",
                        shifted_losses(network, part, values, X, T, l, position, sign * settings.epsilon))
                size = max(size, float(np.max(np.abs(shifted["plus"].value))), float(np.max(np.abs(shifted["minus"].value))))
                found.append(scope.record(
                    f"d{parameter.name}_approx", "gradient check", "approximate gradient",
                    r"\Delta " + _subscripted(parameter.symbol, APPROX),
                    (shifted["plus"].value - shifted["minus"].value) / (2 * settings.epsilon),
                    Formula((r"\frac{", Ref(shifted["plus"].id), " - ", Ref(shifted["minus"].id), "}{2 ", epsilon, "}"),
                            substitute=False)))
            approximations.append(found)
            loss_sizes.append(size)
    differences = []
    for l, (found, exact) in enumerate(zip(approximations, gradients), 1):
        difference = _relative_difference(scope, str(l), l, found, list(exact),
                                          _resolution(loss_sizes[l - 1], settings.epsilon))
        _verdict(scope, f"passed{l}", difference, threshold, n.layered(r"\mathrm{passed}", l))
        differences.append(difference)
    overall = _relative_difference(scope, "", None, [a for layer in approximations for a in layer],
                                   [g for layer in gradients for g in layer],
                                   _resolution(max(loss_sizes, default=0.0), settings.epsilon))
    _verdict(scope, "passed", overall, threshold, r"\mathrm{passed}")


APPROX = r"\mathrm{approx}"


def _subscripted(symbol: str, subscript: str) -> str:
    """`symbol` with `subscript` under its superscript (w^{[1]}_{ij}, as written by hand); braced
    when it has a subscript of its own, which a second _ would make a LaTeX error."""
    return f"{{{symbol}}}_{{{subscript}}}" if "_" in symbol else f"{symbol}_{{{subscript}}}"


UNIT_ROUNDOFF = 2.0**-53


def _resolution(loss_size: float, epsilon: float) -> float:
    """The smallest gradient entry a two-sided difference can tell from 0: J± are each rounded
    to about u·|J| (u = 2⁻⁵³, float64's unit roundoff), and their difference is divided by 2ε."""
    return UNIT_ROUNDOFF * max(loss_size, 1.0) / epsilon


def _relative_difference(scope: Scope, suffix: str, layer: int | None, approximate: list[Tracked],
                         exact: list[Tracked], resolution: float) -> Tracked:
    """‖a − g‖₂/(‖a‖₂ + ‖g‖₂) over all the entries of the arrays together (one layer's, or every
    layer's when `layer` is None), each norm a step of its own so that the division is written
    out with its numbers. The denominator is at least the two-sided difference's resolution over
    all entries, ρ√n: where the true gradient is 0, a ≈ 0 and g is rounding noise, and their ratio
    says nothing (it would be 1, a false alarm)."""
    n = scope.notation
    a = np.concatenate([t.value.ravel() for t in approximate])
    g = np.concatenate([t.value.ravel() for t in exact])
    theta = n.layered(r"\theta", layer) if layer else r"\theta"
    a_symbol, g_symbol = r"\Delta " + _subscripted(theta, APPROX), rf"\Delta {theta}"

    def stacked(tracked: list[Tracked]) -> tuple:
        tokens: list = [r"\left("]
        for index, t in enumerate(tracked):
            tokens += [", " if index else "", Ref(t.id)]
        return (*tokens, r"\right)")

    def norm(quantity: str, symbol: str, value: np.ndarray, inside: tuple) -> Tracked:
        return scope.record(f"{quantity}{suffix}", "gradient check", "norm", rf"\left\|{symbol}\right\|_2",
                            float(np.linalg.norm(value)),
                            Formula((r"\left\|", *inside, r"\right\|_2"), substitute=False))

    apart = norm("diff_norm", f"{a_symbol} - {g_symbol}", a - g, (*stacked(approximate), " - ", *stacked(exact)))
    a_norm = norm("approx_norm", a_symbol, a, stacked(approximate))
    g_norm = norm("backprop_norm", g_symbol, g, stacked(exact))
    below = float(a_norm.value) + float(g_norm.value)
    floor = resolution * np.sqrt(a.size)
    value = float(apart.value) / max(below, floor) if max(below, floor) > 0 else 0.0
    denominator: tuple = (Ref(a_norm.id), " + ", Ref(g_norm.id))
    if below < floor:  # say so: the floor, not the norms, is the denominator here
        denominator = (r"\max\left(", *denominator, ", ", Constant(r"\rho \sqrt{n}", np.array(floor)), r"\right)")
    symbol = n.layered(r"\mathrm{diff}", layer) if layer else r"\mathrm{diff}"
    return scope.record(f"rel_diff{suffix}", "gradient check", "relative difference", symbol, value,
                        Formula((r"\frac{", Ref(apart.id), "}{", *denominator, "}")))


def _verdict(scope: Scope, quantity: str, difference: Tracked, threshold: Constant, symbol: str) -> Tracked:
    """1 when the relative difference is at most the threshold, else 0."""
    return scope.record(quantity, "gradient check", "verdict", symbol,
                        float(float(difference.value) <= float(threshold.value)),
                        Formula((r"\left[", Ref(difference.id), r" \leq ", threshold, r"\right]")))

