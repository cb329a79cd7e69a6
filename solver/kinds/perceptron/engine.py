"""The perceptron learning rule, sample by sample, epoch by epoch (seed 003 §2.2.2.3).

For sample i with input x (x₀ = 1 in front when the bias is w₀), weights w and target t:
s = wᵀx, y = f(s) with f = Threshold or Sign (f(0) is the low value, as seed 003 defines them),
e = t − y, and w ← w + η e x (with a separate b: w ← w + η e x, b ← b + η e). An epoch works
every sample in order; training stops after an epoch without an update, or after max_epochs.
A set that no hyperplane separates (separability.py) is not trained: the rule would never have
an epoch without an update.

Step ids (README "The perceptron kind"): ``a.x``, ``a.t``, ``a.w`` (and ``a.b``) given;
``a.separable``, 1 when a hyperplane separates the classes and 0 when none does;
``a.e2.s3.net``, ``a.e2.s3.y``, ``a.e2.s3.error``, ``a.e2.s3.w_new`` (and ``a.e2.s3.b_new``) for
sample 3 of epoch 2; ``a.e2.updates``, the samples of epoch 2 that changed the weights;
``a.y_final``, every sample's prediction with the final weights.

How many epochs are recorded is decided by the true run: a checker's run with a student's
values or with a slip records the same steps, so every id is found in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import sympy as sp

from solver.engine.scope import Scope, Tracked
from solver.engine.slips import Slip
from solver.engine.steps import Recorder, Solution
from solver.exercise import Exercise
from solver.formula import Constant, Expression, Formula, Ref
from solver.kinds.perceptron.reader import Part, Samples
from solver.kinds.perceptron.separability import separability

NOISE = 1e-9
"""A net input within this much of 0, relative to the exercise's own scale (η·max|x| + max|w|,
times the number of terms), is 0: with η = 0.1, 0.1 + 0.2 − 0.3 is 5.6 · 10⁻¹⁷ in float64, and
Threshold must see the 0 that the hand calculation has."""
ACTIVATION_NAMES = {"threshold": r"\operatorname{Threshold}", "sign": r"\operatorname{Sign}"}
T, Y = sp.symbols("t y", real=True)


@dataclass(frozen=True)
class Run:
    """What the true run of a part comes to: the epochs worked, whether the last one made no
    update, and the final weights (bias first)."""

    separable: bool
    epochs: int
    converged: bool
    weights: np.ndarray


def solve(exercise: Exercise, overrides: Mapping[str, np.ndarray] | None = None, slip: Slip | None = None,
          *, require_finite: bool = True) -> Solution:
    """Work every part of the perceptron `exercise` (solver.engine.solve calls this)."""
    recorder = Recorder(overrides, source=exercise.path, require_finite=require_finite, limits=exercise.limits,
                        fractions=exercise.number_format == "fraction")
    with np.errstate(all="ignore"):
        for part in exercise.parts:
            epochs = None if not overrides and slip is None else true_run(exercise, part).epochs
            _train(Scope(recorder, part, "", slip), exercise.setup, epochs)
    return Solution(exercise, recorder.steps(), recorder.recomputed())


def true_run(exercise: Exercise, part: Part) -> Run:
    """The part worked without overrides or slips: how many epochs the sheet shows, and where it ends."""
    recorder = Recorder(source=exercise.path, limits=exercise.limits,
                        fractions=exercise.number_format == "fraction")
    with np.errstate(all="ignore"):
        return _train(Scope(recorder, part), exercise.setup, None)


def augmented(samples: Samples) -> np.ndarray:
    """The inputs with x₀ = 1 on top: (n + 1) × m."""
    return np.vstack([np.ones((1, samples.count)), samples.x])


def zero_band(samples: Samples, part: Part) -> float:
    """How near 0 a net input may be and still be the 0 of exact arithmetic (see NOISE)."""
    x = augmented(samples)
    return NOISE * (part.learning_rate * float(np.max(np.abs(x))) + float(np.max(np.abs(part.weights))) + 1.0) \
        * x.shape[0]


def activate(s: float, band: float, samples: Samples, high_at_zero: bool = False) -> float:
    """f(s): the high value for s > 0, the low value for s ≤ 0 (s within `band` of 0 is 0)."""
    low, high = samples.values
    positive = s > band or (high_at_zero and abs(s) <= band)
    return high if positive else low


def _train(scope: Scope, samples: Samples, epochs: int | None) -> Run:
    part: Part = scope.part
    separate = samples.bias == "b"
    x_all = augmented(samples)
    if separate:
        x = scope.record("x", "given", "input", r"\mathbf{X}", samples.x)
    else:
        x = scope.record("x", "given", "input", r"\mathbf{X}", x_all)
    scope.record("t", "given", "target", r"\mathbf{t}", samples.t)
    if separate:
        w = scope.record("w", "given", "weights", r"\mathbf{w}_{0}", part.weights[1:])
        b = scope.record("b", "given", "bias", "b_{0}", part.weights[0, 0])
    else:
        w, b = scope.record("w", "given", "weights", r"\mathbf{w}_{0}", part.weights), None
    # recorded, so that JSON and a checker see the answer to "is it separable?" (1 yes, 0 no)
    separable = separability(samples.x, samples.t == samples.values[1]).separable
    scope.record("separable", "separability", "linear separability", r"\text{separable}", float(separable))
    if not separable:
        return Run(False, 0, False, part.weights)
    eta = Constant(r"\eta", np.array(part.learning_rate))
    epoch, iteration = 0, 0
    while True:
        epoch += 1
        updates = 0
        for i in range(samples.count):
            iteration += 1
            sample = scope.within(f"e{epoch}.s{i + 1}")
            w, b, error = _sample(sample, samples, i, iteration, w, b, eta, zero_band(samples, part))
            updates += int(error != 0)
        scope.within(f"e{epoch}").record("updates", "changes", "updates", r"\text{updates}", updates)
        if (epochs is None and (updates == 0 or epoch >= part.max_epochs)) or epoch == epochs:
            break
    final = np.vstack([[b.value], w.value]) if separate else w.value
    _check(scope, samples, x, w, b, zero_band(samples, part))
    return Run(True, epoch, updates == 0, final)


def _sample(scope: Scope, samples: Samples, i: int, k: int, w: Tracked, b: Tracked | None,
            eta: Constant, band: float) -> tuple[Tracked, Tracked | None, float]:
    """One sample: net input, prediction, error, update; the new weights (and bias) and the error."""
    separate = b is not None
    column = samples.x[:, i : i + 1] if separate else augmented(samples)[:, i : i + 1]
    x = Constant(rf"\mathbf{{x}}^{{({i + 1})}}", column)
    s_value = float(np.sum(w.value * column)) + (float(b.value) if separate else 0.0)
    tokens = (Ref(w.id, transpose=True), " ", x) + ((" + ", Ref(b.id)) if separate else ())
    s = scope.record("net", "prediction", "net input", "s", s_value, Formula(tokens))
    y_value = activate(float(s.value), band, samples, scope.slip is Slip.ACTIVATION_HIGH_AT_ZERO)
    y = scope.record("y", "prediction", "prediction", "y",  y_value,
                     Formula((ACTIVATION_NAMES[samples.activation] + r"\left(", Ref(s.id), r"\right)")))
    t = Constant(rf"t^{{({i + 1})}}", np.array(samples.t[i, 0]))
    # the slip y − t is made where the error is written, so a checker names it at that step
    reversed_error = scope.slip is Slip.PERCEPTRON_ERROR_REVERSED
    difference = (Y - T) if reversed_error else (T - Y)
    sign = -1.0 if reversed_error else 1.0
    error = scope.record("error", "error", "error", "e", sign * (float(samples.t[i, 0]) - float(y.value)),
                         Formula((Expression(difference, symbols=((Y, Ref(y.id)),), constants=((T, t),)),)))
    e = float(error.value)
    rate = 1.0 if scope.slip is Slip.RATE_OMITTED else float(eta.value)
    step = rate * e * column
    if not separate and scope.slip is Slip.BIAS_NOT_UPDATED:
        step = np.vstack([[0.0], step[1:]])
    w_new = scope.record("w_new", "update", "updated weights", rf"\mathbf{{w}}_{{{k}}}", w.value + step,
                         Formula((Ref(w.id), " + ", eta, r" \cdot ", Ref(error.id), r" \cdot ", x)))
    if not separate:
        return w_new, None, e
    bias_step = 0.0 if scope.slip is Slip.BIAS_NOT_UPDATED else rate * e
    b_new = scope.record("b_new", "update", "updated biases", f"b_{{{k}}}", float(b.value) + bias_step,
                         Formula((Ref(b.id), " + ", eta, r" \cdot ", Ref(error.id))))
    return w_new, b_new, e


def _check(scope: Scope, samples: Samples, x: Tracked, w: Tracked, b: Tracked | None, band: float) -> None:
    """Every sample's prediction with the final weights: the boundary separates when it is t."""
    net = (x.value.T @ w.value) + (float(b.value) if b is not None else 0.0)
    values = [[activate(float(s), band, samples)] for s in net.ravel()]
    tokens = (ACTIVATION_NAMES[samples.activation] + r"\left(", Ref(x.id, transpose=True), " ", Ref(w.id))
    tokens += ((" + ", Ref(b.id)) if b is not None else ()) + (r"\right)",)
    scope.record("y_final", "check", "final predictions", r"\mathbf{y}", np.array(values), Formula(tokens))
