"""The loss catalogue and the output delta δ[L] = ∂E/∂z[L], both derived with SymPy.

Most losses are a sum over output components of one term in the output x, the target t and
the number of outputs n. The term's gradient ∂E/∂x comes from `sympy.diff`. The multiclass hinge
loss (seed 004) is not such a sum, so it is a `VectorLoss`, derived on n symbols. E is summed
over the samples of a batch or averaged (see Conventions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
import sympy as sp

from solver.symbolic.activations import SOFTMAX_I, SOFTMAX_J, Activation, Softmax, y
from solver.symbolic.activations import z as ACTIVATION_INPUT
from solver.cache import remembered
from solver.lazy import LazyTable
from solver.symbolic.numeric import compile_numpy, numpy_function

x = sp.Symbol("x", real=True)
"""One component of the network's output."""
t = sp.Symbol("t", real=True)
"""The matching component of the target."""
n = sp.Symbol("n", positive=True, integer=True)
"""The number of output components."""


@dataclass(frozen=True)
class Loss:
    """E = sum over output components of `term`(x, t, n)."""

    name: str
    title: str
    term: sp.Expr
    separable: bool = True

    @property
    def uses_log(self) -> bool:
        """Whether E takes a log of the output, so that an output of 0 is a hazard."""
        return self.term.has(sp.log)

    @cached_property
    def gradient(self) -> sp.Expr:
        """∂E/∂x for one component, as `sympy.diff` gives it (remembered across runs: solver/cache.py)."""
        return remembered("loss_gradient", (sp.srepr(self.term),), lambda: sp.diff(self.term, x))

    @cached_property
    def _term_function(self):
        return numpy_function((x, t, n), self.term)

    @cached_property
    def _gradient_function(self):
        return numpy_function((x, t, n), self.gradient)

    def per_sample(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        """E of each sample (column): a row of length m."""
        return self._term_function(output, target, output.shape[0]).sum(axis=0)

    def evaluate_gradient(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        """∂E/∂x entry by entry, same shape as `output`."""
        return self._gradient_function(output, target, output.shape[0])


@dataclass(frozen=True)
class VectorLoss:
    """A loss of the whole output column at once: `build(xs, ts)` gives E for n components.

    `summand` is what the sheet shows under Σ_i, in x_i, t_i and the symbol `x_y` (the output of
    the target class)."""

    name: str
    title: str
    summand: sp.Expr
    separable: bool = False
    uses_log: bool = False

    def build(self, outputs: tuple[sp.Symbol, ...], targets: tuple[sp.Symbol, ...]) -> sp.Expr:
        true_output = sum(target * output for output, target in zip(outputs, targets))
        return sum(self.summand.subs({x: output, t: target, X_Y: true_output}) for output, target in zip(outputs, targets))

    @property
    def term(self) -> sp.Expr:
        return self.summand

    def per_sample(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        value, _ = _vector_functions(self, output.shape[0])
        return np.array([value(*output[:, k], *target[:, k]) for k in range(output.shape[1])], dtype=float)

    def evaluate_gradient(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        _, gradient = _vector_functions(self, output.shape[0])
        return np.column_stack([np.array(gradient(*output[:, k], *target[:, k]), dtype=float).reshape(-1)
                                for k in range(output.shape[1])])


X_Y = sp.Symbol("x_y", real=True)
"""In a VectorLoss summand: the output of the class the target marks (Σ_i t_i x_i)."""


@cache
def _vector_functions(loss_entry: VectorLoss, size: int):
    """E and its gradient for `size` outputs, derived and compiled once per size. max(0, a) has
    no derivative at a = 0; the derivative there is taken as 0 (Heaviside(0) = 0)."""
    outputs = sp.symbols(f"x1:{size + 1}", real=True)
    targets = sp.symbols(f"t1:{size + 1}", real=True)
    energy = loss_entry.build(outputs, targets)
    gradient = [sp.diff(energy, output).replace(sp.Heaviside, lambda a, *_: sp.Heaviside(a, 0)) for output in outputs]
    arguments = (*outputs, *targets)
    return compile_numpy(arguments, energy), compile_numpy(arguments, gradient)


_ENTRIES: dict[str, Callable[[], Loss | VectorLoss]] = {
    "half_sse": lambda: Loss("half_sse", "half the sum of squared errors", sp.Rational(1, 2) * (x - t) ** 2),
    "sse": lambda: Loss("sse", "sum of squared errors", (x - t) ** 2),
    "mse": lambda: Loss("mse", "mean squared error over the outputs", (x - t) ** 2 / n),
    "cross_entropy": lambda: Loss("cross_entropy", "cross-entropy", -t * sp.log(x)),
    "binary_cross_entropy": lambda: Loss("binary_cross_entropy", "binary cross-entropy",
                                         -(t * sp.log(x) + (1 - t) * sp.log(1 - x))),
    "hinge": lambda: VectorLoss("hinge", "multiclass hinge loss (margin 1)", (1 - t) * sp.Max(0, x - X_Y + 1)),
}


LOSSES: LazyTable[Loss | VectorLoss] = LazyTable(_ENTRIES)
"""The losses by name, each built the first time it is looked up (as the activations are)."""


def written_as_sum(term: sp.Expr, outputs: int | None = None) -> tuple[bool, sp.Expr, sp.Expr]:
    """E = ± factor · Σ_i summand, the loss's constant pulled out of the sum as a hand solution
    writes it: (negative, factor, summand), factor 1 when there is none; n becomes `outputs`."""
    coefficient, summand = (term if outputs is None else term.subs(n, outputs)).as_coeff_Mul()
    return coefficient < 0, abs(coefficient), summand


def loss(name: str, expression: str | None = None) -> Loss | VectorLoss:
    """The catalogue entry called `name`, or for "custom" the loss `expression` defines;
    KeyError when there is none."""
    if name == "custom":
        return custom_loss(expression)
    return LOSSES[name]


@cache
def custom_loss(text: str) -> Loss:
    """E = sum over outputs of the term `text` writes in x (output), t (target) and n (the
    number of outputs). ExpressionError when the text is not in the whitelist."""
    from solver.symbolic.expressions import parse_expression

    # the title never repeats `text`: a sheet shows the parsed expression, not what the file wrote
    return Loss("custom", "custom loss", parse_expression(text, {"x": x, "t": t, "n": n}))


@dataclass(frozen=True)
class OutputDelta:
    """How δ[L] = ∂E/∂z[L] follows from a loss and the output activation.

    Elementwise activations: δ[L] = ∂E/∂x[L] ∘ f'(z[L]), which for some pairs collapses to a
    shorter expression in x and t (sigmoid with binary cross-entropy: x − t). Softmax: δ[L] =
    Jᵀ ∂E/∂x[L] with J its Jacobian, which for some losses collapses to an expression in x_i and
    t_i alone (x − t for cross-entropy), provided each target column sums to 1.
    """

    loss: Loss | VectorLoss
    activation: Activation | Softmax

    @cached_property
    def elementwise_form(self) -> sp.Expr | None:
        """δ_i in terms of x_i, t_i (and z_i, and per-unit parameters) when the chain rule
        collapses to something shorter than its two factors, else None."""
        if not self.loss.separable or self.loss.gradient.has(n):
            return None
        if self.activation.elementwise:
            return self._collapsed_product()
        if isinstance(self.activation, Softmax):
            return self._collapsed_jacobian()
        return None  # coupled custom outputs: the Jacobian numerically, the derivation on its own

    def _collapsed_product(self) -> sp.Expr | None:
        """∂E/∂x · f'(z), in terms of the output where f' has such a form, else in terms of z
        (remembered across runs: solver/cache.py)."""
        key = (sp.srepr(self.loss.gradient), sp.srepr(self.activation.expression))
        return remembered("collapsed_product", key, self._derive_collapsed_product)

    def _derive_collapsed_product(self) -> sp.Expr | None:
        gradient = self.loss.gradient
        derivative = self.activation.derivative_of_output
        if derivative is not None:
            product, factors = sp.cancel(gradient * derivative.subs(y, x)), derivative
        else:
            factors = self.activation.derivative
            product = sp.cancel(gradient.subs(x, self.activation.expression) * factors)
        if sp.count_ops(product) < sp.count_ops(gradient) + sp.count_ops(factors):
            return sp.factor(product)
        return None

    def _collapsed_jacobian(self) -> sp.Expr | None:
        outputs = sp.symbols("s1:4", positive=True)
        targets = sp.symbols("t1:4", real=True)
        diagonal, off_diagonal = self.activation.jacobian_entries
        gradients = [self.loss.gradient.subs({x: s, t: target}) for s, target in zip(outputs, targets)]
        # δ_1 = Σ_j (∂s_j/∂z_1) ∂E/∂s_j
        column = [diagonal.subs(SOFTMAX_I, outputs[0])] + [
            off_diagonal.subs({SOFTMAX_I: s, SOFTMAX_J: outputs[0]}) for s in outputs[1:]
        ]
        delta = sum(entry * gradient for entry, gradient in zip(column, gradients))
        delta = sp.cancel(delta.subs(targets[2], 1 - targets[0] - targets[1]))
        if delta.free_symbols <= {outputs[0], targets[0]}:
            return delta.subs({outputs[0]: x, targets[0]: t})
        return None

    @property
    def needs_one_hot(self) -> bool:
        """Whether `elementwise_form` holds only for targets that sum to 1 (softmax's)."""
        return not self.activation.elementwise

    @cached_property
    def _elementwise_function(self):
        extra = self.activation.arguments if self.activation.elementwise else ()
        return numpy_function((x, t, ACTIVATION_INPUT, *extra), self.elementwise_form)

    def evaluate_elementwise(self, output: np.ndarray, target: np.ndarray, net: np.ndarray) -> np.ndarray:
        """δ[L] from `elementwise_form`."""
        columns = self.activation.columns() if self.activation.elementwise else []
        return self._elementwise_function(output, target, net, *columns)

    def evaluate_through_jacobian(self, output: np.ndarray, gradient: np.ndarray, net: np.ndarray) -> np.ndarray:
        """δ[L] = Jᵀ ∂E/∂x, column by column, for the loss gradient `gradient`."""
        columns = [
            self.activation.jacobian(output[:, k], net[:, k]).T @ gradient[:, k] for k in range(output.shape[1])
        ]
        return np.stack(columns, axis=1)


@cache
def output_delta(loss_entry: Loss | VectorLoss, activation_entry: Activation | Softmax) -> OutputDelta:
    """The output delta for this pair, one per pair, so that its derivation and compiled function
    are made once however many updates, solves and checks use it."""
    return OutputDelta(loss_entry, activation_entry)
