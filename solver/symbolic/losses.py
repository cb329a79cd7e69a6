"""The loss catalogue and the output delta delta[L] = dE/dz[L], both derived with SymPy.

A loss is the contribution of one output component, a SymPy expression in the output x and the
target t; E is its sum over components (and over the samples of a batch, see Conventions). Its
gradient dE/dx comes from `sympy.diff`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import sympy as sp

from solver.symbolic.activations import SOFTMAX_I, SOFTMAX_J, Activation, Softmax
from solver.symbolic.numeric import numpy_function

x = sp.Symbol("x", real=True)
"""One component of the network's output."""
t = sp.Symbol("t", real=True)
"""The matching component of the target."""


@dataclass(frozen=True)
class Loss:
    """E = sum over output components of `term`(x, t)."""

    name: str
    title: str
    term: sp.Expr

    @property
    def uses_log(self) -> bool:
        """Whether E takes a log of the output, so that an output of 0 is a hazard."""
        return self.term.has(sp.log)

    @cached_property
    def gradient(self) -> sp.Expr:
        """dE/dx for one component, as `sympy.diff` gives it."""
        return sp.diff(self.term, x)

    @cached_property
    def _term_function(self):
        return numpy_function((x, t), self.term)

    @cached_property
    def _gradient_function(self):
        return numpy_function((x, t), self.gradient)

    def per_sample(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        """E of each sample (column): a row of length m."""
        return self._term_function(output, target).sum(axis=0)

    def evaluate_gradient(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        """dE/dx entry by entry, same shape as `output`."""
        return self._gradient_function(output, target)


LOSSES: dict[str, Loss] = {
    entry.name: entry
    for entry in (
        Loss("half_sse", "half the sum of squared errors", sp.Rational(1, 2) * (x - t) ** 2),
        Loss("sse", "sum of squared errors", (x - t) ** 2),
        Loss("cross_entropy", "cross-entropy", -t * sp.log(x)),
    )
}


def loss(name: str) -> Loss:
    """The catalogue entry called `name`; KeyError when there is none."""
    return LOSSES[name]


@dataclass(frozen=True)
class OutputDelta:
    """How delta[L] = dE/dz[L] follows from a loss and the output activation.

    Elementwise activations: delta[L] = dE/dx[L] o f'(z[L]). Softmax: delta[L] = J^T dE/dx[L]
    with J its Jacobian, which for some losses collapses to an expression in x_i and t_i alone
    (`elementwise_form`, e.g. x - t for cross-entropy) provided each target column sums to 1.
    """

    loss: Loss
    activation: Activation | Softmax

    @cached_property
    def elementwise_form(self) -> sp.Expr | None:
        """delta_i in terms of x_i and t_i when J^T dE/dx reduces to one, else None."""
        if self.activation.elementwise:
            return None
        outputs = sp.symbols("s1:4", positive=True)
        targets = sp.symbols("t1:4", real=True)
        diagonal, off_diagonal = self.activation.jacobian_entries
        gradients = [self.loss.gradient.subs({x: s, t: target}) for s, target in zip(outputs, targets)]
        # delta_1 = sum_j (d s_j / d z_1) dE/ds_j
        column = [diagonal.subs(SOFTMAX_I, outputs[0])] + [
            off_diagonal.subs({SOFTMAX_I: s, SOFTMAX_J: outputs[0]}) for s in outputs[1:]
        ]
        delta = sum(entry * gradient for entry, gradient in zip(column, gradients))
        delta = sp.cancel(delta.subs(targets[2], 1 - targets[0] - targets[1]))
        if delta.free_symbols <= {outputs[0], targets[0]}:
            return delta.subs({outputs[0]: x, targets[0]: t})
        return None

    @cached_property
    def _elementwise_function(self):
        return numpy_function((x, t), self.elementwise_form)

    def evaluate_elementwise(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        """delta[L] from `elementwise_form`, for targets whose columns sum to 1."""
        return self._elementwise_function(output, target)

    def evaluate_through_jacobian(self, output: np.ndarray, gradient: np.ndarray) -> np.ndarray:
        """delta[L] = J^T dE/dx, column by column, for the loss gradient `gradient`."""
        columns = [
            self.activation.jacobian(output[:, k]).T @ gradient[:, k] for k in range(output.shape[1])
        ]
        return np.stack(columns, axis=1)


def output_delta(loss_entry: Loss, activation_entry: Activation | Softmax) -> OutputDelta:
    """The output delta for this pair."""
    return OutputDelta(loss_entry, activation_entry)
