"""Custom output activations whose units are coupled through a sum, such as seed 001's
x_k = exp(Σ_j (w_j z_j)² + 1).

The expression is written for one unit k, with `sum(...)` over the units j of the layer (`z_j`,
`w_j` inside it, `z`, `w` for unit k outside). For a layer of n units it is expanded into n
expressions in z_1 … z_n; the Jacobian ∂x_k/∂z_j comes from `sympy.diff`, and δ[L] = Jᵀ ∂E/∂x,
as for softmax. Like softmax, such an activation is for the output layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
import sympy as sp

from solver.symbolic.activations import z
from solver.symbolic.expressions import SumOverUnits, parse_expression
from solver.symbolic.numeric import compile_numpy


@dataclass(frozen=True)
class CoupledActivation:
    """x_k = `template`(z_k, Σ_j …) for a layer of `units` units, parameters bound."""

    template: sp.Expr
    own: tuple[tuple[str, sp.Symbol], ...]  # parameter name → symbol for unit k
    indexed: tuple[tuple[str, sp.Symbol], ...]  # name → symbol for unit j (z first)
    parameters: tuple[tuple[str, float | tuple[float, ...]], ...]
    units: int
    name: str = "custom"
    title: str = "custom, coupled through a sum over the units"
    latex_name: str = "f"
    elementwise: bool = False
    kink: float | None = None

    @cached_property
    def nets(self) -> tuple[sp.Symbol, ...]:
        return sp.symbols(f"z1:{self.units + 1}", real=True)

    @property
    def expression(self) -> sp.Expr:
        """x_k as written, the sum shown as Σ_{j=1}^{n}."""
        j = sp.Symbol("j", integer=True)
        return self.template.replace(SumOverUnits, lambda summand: sp.Sum(summand, (j, 1, self.units)))

    @cached_property
    def outputs(self) -> tuple[sp.Expr, ...]:
        """x_1 … x_n as expressions in z_1 … z_n, the parameters' values put in."""
        nets, values, outputs = expand(self.template, self.own, self.indexed, self.units)
        given = dict(self.parameters)
        numbers = {symbol: sp.nsimplify(given[name][unit] if isinstance(given[name], tuple) else given[name])
                   for (name, unit), symbol in values.items()}
        return tuple(output.subs(dict(zip(nets, self.nets))).subs(numbers) for output in outputs)

    @cached_property
    def _functions(self):
        jacobian = [[sp.diff(output, net) for net in self.nets] for output in self.outputs]
        return compile_numpy(self.nets, list(self.outputs)), compile_numpy(self.nets, jacobian)

    def evaluate(self, net: np.ndarray) -> np.ndarray:
        values, _ = self._functions
        with np.errstate(all="ignore"):
            return np.column_stack([np.array(values(*net[:, k]), dtype=float) for k in range(net.shape[1])])

    def jacobian(self, output_column: np.ndarray, net_column: np.ndarray) -> np.ndarray:
        """J[k, j] = ∂x_k/∂z_j at this column."""
        _, jacobian = self._functions
        with np.errstate(all="ignore"):
            return np.array(jacobian(*np.ravel(net_column)), dtype=float)


def expand(template: sp.Expr, own, indexed, units: int):
    """(z_1 … z_n, {(parameter, unit): symbol}, x_1 … x_n) with the parameters left as symbols."""
    nets = sp.symbols(f"z1:{units + 1}", real=True)
    values = {(name, unit): sp.Symbol(f"{name}{unit + 1}", real=True) for name, _ in own for unit in range(units)}
    indexed = dict(indexed)

    def summed(summand):
        return sum(summand.subs({indexed["z"]: nets[j], **{indexed[name]: values[(name, j)] for name, _ in own}})
                   for j in range(units))

    expanded = template.replace(SumOverUnits, summed)
    outputs = tuple(expanded.subs({z: nets[k], **{symbol: values[(name, k)] for name, symbol in own}})
                    for k in range(units))
    return nets, values, outputs


@cache
def coupled_template(text: str, parameter_names: tuple[str, ...]):
    """(template, own, indexed) of an expression with sum(...) over the units."""
    own = {name: sp.Symbol(name, real=True) for name in parameter_names}
    indexed = {"z": sp.Symbol("z_j", real=True), **{name: sp.Symbol(f"{name}_j", real=True) for name in parameter_names}}
    summed = {"z_j": indexed["z"], "x_j": indexed["z"], **{f"{name}_j": indexed[name] for name in parameter_names}}
    template = parse_expression(text, {"z": z, "x": z, "z_k": z, **own, **{f"{n}_k": s for n, s in own.items()}}, summed)
    return template, tuple(own.items()), tuple(indexed.items())


def is_coupled(text: str) -> bool:
    """Whether a custom expression sums over the units (it is then an output-layer activation)."""
    return "sum(" in text.replace(" ", "")


@cache
def coupled_activation(text: str, parameters: tuple, units: int) -> CoupledActivation:
    template, own, indexed = coupled_template(text, tuple(name for name, _ in parameters))
    return CoupledActivation(template, own, indexed, parameters, units)
