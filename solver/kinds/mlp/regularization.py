"""L2 and L1 regularisation of an MLP's training, in the forms the seeds write (README
"Regularisation"): a penalty Ω added to the loss, its gradient added to the backprop gradient, and,
for plain gradient descent, the update written as weight decay.

With λ the `strength`, M the number of samples the update takes (when `divide_by_batch`), and w
the weights (and the biases, when `biases`):
- L2: Ω = λ/(2M) Σ_l ‖w^[l]‖²_F, ∂Ω/∂w = (λ/M) w; weight decay w ← (1 − ηλ/M) w − η ∂E/∂w;
- L1: Ω = λ/M Σ_l ‖w^[l]‖₁, ∂Ω/∂w = (λ/M) sign(w) with |0|′ = 0 (seed 003); w ← w − ηλ/M sign(w) − η ∂E/∂w.
Without `divide_by_batch`, λ takes the place of λ/M. Batch norm's γ and β are never penalised.

Step ids per update (README "Step ids"): ``norm_W1`` (‖W1‖²_F or ‖W1‖₁), ``penalty`` (Ω),
``J`` (E + Ω), ``dW1_penalty`` (∂Ω/∂W1) and ``dW1_reg`` (∂J/∂W1), and the same for b1 with
`biases`. The slips of this module are read here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import sympy as sp

from solver.engine.optimizer import Iteration, Parameter
from solver.engine.scope import Scope, Tracked
from solver.engine.slips import Slip
from solver.fields import FieldReader, join
from solver.formula import Constant, Expression, Formula, Ref, Scalar
from solver.symbolic.numeric import numpy_function

PENALTIES = ("l2", "l1", "none")
FORMS = ("penalty", "weight_decay")
REGULARIZATION_KEYS = {"penalty", "strength", "divide_by_batch", "biases", "form"}

LAMBDA, M, ETA = Scalar("lambda", positive=True), Scalar("M", positive=True), Scalar("eta", positive=True)
THETA, G, P = sp.symbols("theta g p", real=True)


@dataclass(frozen=True)
class Regularization:
    """A part's penalty on its weights: "l2", "l1" or "none"; λ (`strength`); whether λ is divided
    by the update's batch size M (seed 004); whether biases are penalised too (seed 003); and how
    the sheet writes a plain gradient-descent update ("penalty": w − η ∂J/∂w, "weight_decay":
    (1 − ηλ) w − η ∂E/∂w). Defaults: none; seed 002's λ, weights only, penalty form."""

    penalty: str = "none"
    strength: float = 0.0
    divide_by_batch: bool = False
    biases: bool = False
    form: str = "penalty"

    @property
    def active(self) -> bool:
        return self.penalty != "none"


def read_regularization(read: FieldReader, data: Any, where: str, inherited: Regularization) -> Regularization:
    """A regularization table; keys it does not name keep the `inherited` values. λ ≥ 0."""
    read.table(data, where, REGULARIZATION_KEYS)
    if not inherited.active and "penalty" not in data:
        raise read.error(join(where, "penalty"), 'missing; expected penalty = "l2" or "l1" (or "none")')
    penalty = read.choice(data, "penalty", where, PENALTIES, inherited.penalty)
    if penalty != "none" and not inherited.active and "strength" not in data:
        raise read.error(join(where, "strength"), "missing; expected the regularisation strength λ ≥ 0, such as 0.01")
    strength = inherited.strength
    if "strength" in data:
        strength = read.number(data["strength"], join(where, "strength"))
        if strength < 0:
            raise read.error(join(where, "strength"), f"expected a number of at least 0 (λ ≥ 0), got {strength:g}")
    return Regularization(
        penalty=penalty,
        strength=strength,
        divide_by_batch=read.boolean(data, "divide_by_batch", where, inherited.divide_by_batch),
        biases=read.boolean(data, "biases", where, inherited.biases),
        form=read.choice(data, "form", where, FORMS, inherited.form),
    )


def check_form(read: FieldReader, regularization: Regularization, optimizer_name: str, clipped: bool,
               where: str, data: dict) -> None:
    """The weight-decay form rewrites plain gradient descent's update w − η(∂E/∂w + λw); with another
    optimiser, or with clipping, the regularised gradient goes through them and that rewriting
    no longer holds, so it is refused rather than silently changed."""
    if not regularization.active or regularization.form != "weight_decay":
        return
    key = join(where, "regularization.form") if "regularization" in data else join(where, "optimizer")
    if optimizer_name != "sgd":
        raise read.error(key, f"the weight-decay form rewrites plain gradient descent (sgd); with {optimizer_name} "
                              "the penalty's gradient goes into the optimiser: use form = \"penalty\"")
    if clipped:
        raise read.error(key, "the weight-decay form cannot show a clipped gradient (clipping acts on ∂E/∂w + "
                              "∂Ω/∂w together): use form = \"penalty\" or remove clipping")


def slips(regularization: Regularization, batch_sizes: set[int], update_biases: bool) -> tuple[Slip, ...]:
    """The slips of the penalty that can change a number, given the batch sizes M of the updates."""
    if not regularization.active or regularization.strength == 0:
        return ()
    possible = {
        Slip.STRENGTH_NOT_DIVIDED: regularization.divide_by_batch and max(batch_sizes, default=1) > 1,
        Slip.STRENGTH_DIVIDED: not regularization.divide_by_batch and max(batch_sizes, default=1) > 1,
        Slip.PENALTY_GRADIENT_DOUBLED: regularization.penalty == "l2",
        Slip.BIASES_PENALIZED: not regularization.biases and update_biases,
        Slip.BIASES_NOT_PENALIZED: regularization.biases and update_biases,
    }
    return tuple(slip for slip, can in possible.items() if can)


def _divided(regularization: Regularization, slip: Slip | None) -> bool:
    if slip is Slip.STRENGTH_NOT_DIVIDED:
        return False
    if slip is Slip.STRENGTH_DIVIDED:
        return True
    return regularization.divide_by_batch


def penalizes_biases(regularization: Regularization, slip: Slip | None = None) -> bool:
    """Whether the biases are in the penalty (as the student who makes `slip` would have it)."""
    if slip is Slip.BIASES_PENALIZED:
        return True
    if slip is Slip.BIASES_NOT_PENALIZED:
        return False
    return regularization.biases


def penalty_value(regularization: Regularization, weights: list[np.ndarray], m: int) -> float:
    """Ω of the arrays `weights` for a batch of `m`, without slips (the gradient check's objective)."""
    lam = regularization.strength / (m if regularization.divide_by_batch else 1)
    if regularization.penalty == "l2":
        return float(lam / 2 * sum(np.sum(w * w) for w in weights))
    return float(lam * sum(np.sum(np.abs(w)) for w in weights))


def penalized(regularization: Regularization, layer_parameters: tuple, slip: Slip | None = None) -> list[int]:
    """The positions in a layer's (W, b) or (W, γ, β) that the penalty covers: W, and b with `biases`."""
    positions = [0]
    if len(layer_parameters) == 2 and penalizes_biases(regularization, slip):
        positions.append(1)
    return positions


def _constants(regularization: Regularization, m: int) -> dict[sp.Symbol, Constant]:
    return {LAMBDA: Constant(r"\lambda", np.array(regularization.strength)), M: Constant("M", np.array(float(m)))}


def _expression(expr: sp.Expr, steps: dict[sp.Symbol, Tracked], constants: dict[sp.Symbol, Constant | Tracked]
                ) -> Expression:
    used = expr.free_symbols
    tracked = {s: t for s, t in {**steps, **constants}.items() if isinstance(t, Tracked)}
    fixed = {s: c for s, c in constants.items() if isinstance(c, Constant)}
    return Expression(expr, symbols=tuple((s, Ref(t.id)) for s, t in tracked.items() if s in used),
                      constants=tuple((s, c) for s, c in fixed.items() if s in used))


@cache
def _function(arguments: tuple[sp.Symbol, ...], expr: sp.Expr):
    return numpy_function(arguments, expr)


def _evaluate(expr: sp.Expr, values: dict[sp.Symbol, np.ndarray]) -> np.ndarray:
    arguments = tuple(sorted(values, key=str))
    return _function(arguments, expr)(*(values[a] for a in arguments))


def regularize(scope: Scope, names, parameters, gradients, m: int):
    """Record the penalty of one update on `m` samples, the regularised loss and, per penalised
    parameter, the penalty's gradient and the regularised gradient; returns the gradients with
    ∂J/∂θ in place of ∂E/∂θ where the penalty applies."""
    part, n, slip = scope.part, scope.notation, scope.slip
    regularization: Regularization = part.regularization
    constants = _constants(regularization, m)
    values = {LAMBDA: constants[LAMBDA].value, M: constants[M].value}
    norms: list[Tracked] = []
    covered = [penalized(regularization, layer, slip) for layer in parameters]
    for layer_names, layer, positions in zip(names, parameters, covered):
        for position in positions:
            norms.append(_norm(scope, regularization, layer_names[position], layer[position]))
    symbols = sp.symbols(f"N1:{len(norms) + 1}", real=True)
    below = sp.Integer(2 if regularization.penalty == "l2" else 1)
    if _divided(regularization, slip):
        below = M if below == 1 else sp.Mul(below, M, evaluate=False)
    total = sp.Add(*symbols, evaluate=False) if len(symbols) > 1 else symbols[0]
    over = (sp.Pow(below, -1, evaluate=False),) if below != 1 else ()
    expr = sp.Mul(LAMBDA, total, *over, evaluate=False)
    penalty = scope.record("penalty", "regularization", "penalty", r"\Omega",
                           float(_evaluate(expr, {**values, **{s: t.value for s, t in zip(symbols, norms)}})),
                           Formula((_expression(expr, dict(zip(symbols, norms)), constants),)))
    E = scope.recorder.step(scope.id_of("E"))
    J = sp.Add(G, P, evaluate=False)
    loss = Tracked(E.id, E.value)
    scope.record("J", "regularization", "regularised loss", rf"\tilde{{{n.loss}}}", float(E.value + penalty.value),
                 Formula((_expression(J, {G: loss, P: penalty}, {}),)))
    updated = []
    for layer_names, layer, layer_gradients, positions in zip(names, parameters, gradients, covered):
        layer_gradients = list(layer_gradients)
        for position in positions:
            layer_gradients[position] = _regularized_gradient(scope, regularization, layer_names[position],
                                                              layer[position], layer_gradients[position], constants)
        updated.append(tuple(layer_gradients))
    return tuple(updated)


def _norm(scope: Scope, regularization: Regularization, parameter: Parameter, value: Tracked) -> Tracked:
    """‖θ‖²_F (L2) or ‖θ‖₁ (L1), summed over every entry."""
    if regularization.penalty == "l2":
        return scope.record(f"norm_{parameter.name}", "regularization", "norm", rf"\|{parameter.symbol}\|_F^2",
                            float(np.sum(value.value**2)),
                            Formula((r"\textstyle\sum_{i,j} \left(", Ref(value.id), r"\right)_{ij}^2"), substitute=False))
    return scope.record(f"norm_{parameter.name}", "regularization", "norm", rf"\|{parameter.symbol}\|_1",
                        float(np.sum(np.abs(value.value))),
                        Formula((r"\textstyle\sum_{i,j} \left|\left(", Ref(value.id), r"\right)_{ij}\right|"),
                                substitute=False))


def _gradient_expression(regularization: Regularization, slip: Slip | None) -> sp.Expr:
    """∂Ω/∂θ: (λ/M) θ for L2 (2(λ/M) θ for a student who forgets the ½), (λ/M) sign(θ) for L1."""
    over = (sp.Pow(M, -1, evaluate=False),) if _divided(regularization, slip) else ()
    if regularization.penalty == "l1":
        return sp.Mul(LAMBDA, sp.sign(THETA), *over, evaluate=False)
    doubled = (2,) if slip is Slip.PENALTY_GRADIENT_DOUBLED else ()
    return sp.Mul(*doubled, LAMBDA, THETA, *over, evaluate=False)


def _regularized_gradient(scope: Scope, regularization: Regularization, parameter: Parameter, theta: Tracked,
                          gradient: Tracked, constants: dict[sp.Symbol, Constant]) -> Tracked:
    n = scope.notation
    expr = _gradient_expression(regularization, scope.slip)
    values = {LAMBDA: constants[LAMBDA].value, M: constants[M].value, THETA: theta.value}
    stem = gradient.id.rpartition(".")[2]
    penalty = scope.record(f"{stem}_penalty", "regularization", "penalty gradient",
                           rf"\frac{{\partial \Omega}}{{\partial {parameter.symbol}}}", _evaluate(expr, values),
                           Formula((_expression(expr, {THETA: theta}, constants),)))
    total = sp.Add(G, P, evaluate=False)
    return scope.record(f"{stem}_reg", "regularization", "regularised gradient",
                        rf"\frac{{\partial \tilde{{{n.loss}}}}}{{\partial {parameter.symbol}}}",
                        gradient.value + penalty.value,
                        Formula((_expression(total, {G: gradient, P: penalty}, {}),)))


@dataclass(frozen=True)
class WeightDecay:
    """What a weight-decay update needs besides the parameter: the backprop gradients ∂E/∂θ of the
    update (per layer, as backprop returns them) and its batch size M."""

    gradients: tuple
    m: int


def decays(scope: Scope, layer_parameters: tuple, position: int) -> bool:
    """Whether the parameter at `position` of a layer is updated in the weight-decay form."""
    regularization: Regularization = scope.part.regularization
    return (regularization.active and regularization.form == "weight_decay"
            and position in penalized(regularization, layer_parameters, scope.slip))


def weight_decay_update(scope: Scope, parameter: Parameter, theta: Tracked, gradient: Tracked,
                        iteration: Iteration, m: int) -> Tracked:
    """θ_new = (1 − η λ/M) θ − η ∂E/∂θ (L2) or θ − η (λ/M) sign(θ) − η ∂E/∂θ (L1), written so."""
    regularization: Regularization = scope.part.regularization
    slip = scope.slip
    over = (sp.Pow(M, -1, evaluate=False),) if _divided(regularization, slip) else ()
    doubled = (2,) if slip is Slip.PENALTY_GRADIENT_DOUBLED else ()
    sign = 1 if slip is Slip.GRADIENT_ADDED else -1
    step = sp.Mul(sign, G, evaluate=False) if slip is Slip.RATE_OMITTED else sp.Mul(sign, ETA, G, evaluate=False)
    if regularization.penalty == "l2":
        shrink = sp.Add(1, sp.Mul(-1, *doubled, ETA, LAMBDA, *over, evaluate=False), evaluate=False)
        expr = sp.Add(sp.Mul(shrink, THETA, evaluate=False), step, evaluate=False)
    else:
        expr = sp.Add(THETA, sp.Mul(-1, ETA, LAMBDA, sp.sign(THETA), *over, evaluate=False), step, evaluate=False)
    constants: dict[sp.Symbol, Constant | Tracked] = {**_constants(regularization, m), ETA: iteration.rate}
    values = {LAMBDA: regularization.strength, M: float(m), ETA: np.asarray(iteration.rate.value, dtype=float),
              THETA: theta.value, G: gradient.value}
    return scope.record(f"{parameter.name}_new", "update", parameter.updated, rf"{parameter.symbol}_{{\mathrm{{new}}}}",
                        _evaluate(expr, values),
                        Formula((_expression(expr, {THETA: theta, G: gradient}, constants),)))
