"""Activations: each function is one SymPy expression, everything else is derived.

A `Family` is an expression in z with parameters and their defaults, such as sigmoid
σ_{β,γ}(z) = γ / (1 + e^{−βz}) (the families by name are in activation_catalogue.py). A layer uses
the family bound to its parameter values, an `Activation`. Its derivative f'(z) comes from
`sympy.diff`; where f can be inverted, f' is also rewritten in terms of the output x = f(z)
(σ' = x(1 − x), tanh' = 1 − x²), which is the form a hand solution writes and the form the engine
evaluates.

Where f' does not exist (ReLU, PReLU, threshold and sign at 0, ELU at 0 when β ≠ 1) the
Piecewise definition decides: the branch that holds at z = 0 is z ≤ 0, so ReLU'(0) = 0,
PReLU'(0) = β, threshold'(0) = sign'(0) = 0. A layer can set another value (`derivative_at_kink`).

Softmax is defined by its numerator exp(z_i) over the column sum; its Jacobian entries are
derived from that definition and rewritten in terms of the outputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
import sympy as sp

from solver.cache import remembered
from solver.symbolic.numeric import numpy_function

z = sp.Symbol("z", real=True)
"""The net input an activation is applied to."""
y = sp.Symbol("y", real=True)
"""The activation's output, for derivatives written in terms of the output."""
BETA, GAMMA = sp.symbols("beta gamma", real=True)


@dataclass(frozen=True)
class Parameter:
    name: str
    symbol: sp.Symbol
    default: float
    meaning: str




def _textbook(expr: sp.Expr) -> sp.Expr:
    """The shorter of the expanded and the factored form, factored on a tie, with a leading
    minus moved into a factor: y(1 - y) rather than -y(y - 1), 1 - y^2 rather than -(y - 1)(y + 1)."""
    expanded, factored = sp.expand(expr), sp.factor(expr)
    if isinstance(factored, sp.Mul) and factored.could_extract_minus_sign():
        for factor in factored.args:
            if isinstance(factor, sp.Add):
                rest = [arg for arg in factored.args if arg is not factor]
                factored = sp.Mul(*rest, -1) * (-factor)
                break
    return expanded if sp.count_ops(expanded) < sp.count_ops(factored) else factored


def _in_terms_of_output(f: sp.Expr, derivative: sp.Expr) -> sp.Expr | None:
    """f'(z) written as a function of y = f(z), or None when f cannot be inverted simply.

    Two cheap routes, no general `solve`: f itself may occur in f' (tanh' = 1 - tanh^2), or f
    may be a rational function of a single exponential u, in which case y = f(u) is solved for
    u as a polynomial equation of degree one.
    """
    if f.has(sp.Piecewise):
        return None
    replaced = derivative.subs(f, y)
    if z not in replaced.free_symbols:
        return _textbook(replaced)
    exponentials = f.atoms(sp.exp)
    if len(exponentials) != 1:
        return None
    (atom,) = exponentials
    u = sp.Dummy("u", positive=True)
    f_u, derivative_u = f.subs(atom, u), derivative.subs(atom, u)
    if z in f_u.free_symbols or z in derivative_u.free_symbols:
        return None
    numerator, denominator = sp.fraction(sp.together(y - f_u))
    try:
        polynomial = sp.Poly(numerator, u)
    except sp.PolynomialError:  # y = f(u) is not algebraic in u (softplus: log(1 + u))
        return None
    if polynomial.degree() != 1:
        return None
    slope, intercept = polynomial.all_coeffs()
    in_output = sp.cancel(derivative_u.subs(u, -intercept / slope))
    return _textbook(in_output) if z not in in_output.free_symbols else None


@dataclass(frozen=True)
class Activation:
    """An elementwise activation x = f(z) with its scalar parameter values bound into
    `expression`. A parameter with one value per unit stays a symbol in `expression` and its
    values (`per_unit`) are passed to the compiled functions as a column."""

    name: str
    title: str
    latex_name: str
    expression: sp.Expr
    parameters: tuple[tuple[str, float | tuple[float, ...]], ...] = ()
    kink: float | None = None
    kink_derivative: float | None = None
    elementwise: bool = True
    per_unit: tuple[tuple[sp.Symbol, tuple[float, ...]], ...] = ()

    @property
    def arguments(self) -> tuple[sp.Symbol, ...]:
        """The per-unit parameter symbols, in the order `columns()` gives their values."""
        return tuple(symbol for symbol, _ in self.per_unit)

    def columns(self) -> list[np.ndarray]:
        return [np.array(values, dtype=np.float64).reshape(-1, 1) for _, values in self.per_unit]

    @cached_property
    def derivative(self) -> sp.Expr:
        """f'(z), as `sympy.diff` gives it (remembered across runs: solver/cache.py)."""
        return remembered("derivative", (sp.srepr(self.expression),), lambda: sp.diff(self.expression, z))

    @cached_property
    def derivative_of_output(self) -> sp.Expr | None:
        """f'(z) in terms of the output y = f(z), or None when there is no such form
        (remembered across runs: solver/cache.py)."""
        return remembered("derivative_of_output", (sp.srepr(self.expression),),
                          lambda: _in_terms_of_output(self.expression, self.derivative))

    @cached_property
    def _function(self):
        return numpy_function((z, *self.arguments), self.expression)

    @cached_property
    def _derivative_function(self):
        if self.derivative_of_output is not None:
            return numpy_function((y, *self.arguments), self.derivative_of_output)
        return numpy_function((z, *self.arguments), self.derivative)

    def evaluate(self, net: np.ndarray) -> np.ndarray:
        """f applied to every entry of `net`."""
        return self._function(net, *self.columns())

    def evaluate_derivative(self, net: np.ndarray, output: np.ndarray) -> np.ndarray:
        """f'(z) for every entry, from the output form when there is one; at the kink, the
        layer's chosen value when it set one."""
        if self.derivative_of_output is not None:
            values = self._derivative_function(output, *self.columns())
        else:
            values = self._derivative_function(net, *self.columns())
        if self.kink is not None and self.kink_derivative is not None:
            values = np.where(np.asarray(net) == self.kink, self.kink_derivative, values)
        return values


@dataclass(frozen=True)
class Family:
    """A catalogue entry: an expression in z and its parameters, bound per layer."""

    name: str
    title: str
    latex_name: str
    expression: sp.Expr
    parameters: tuple[Parameter, ...] = ()
    kink: float | None = None
    elementwise: bool = True

    def bind(self, values: dict | None = None, kink_derivative: float | None = None) -> Activation:
        """This family with its parameters set: a number, or a list with one value per unit;
        defaults for the ones not given. KeyError for an unknown or missing parameter."""
        values = values or {}
        unknown = set(values) - {p.name for p in self.parameters}
        if unknown:
            raise KeyError(sorted(unknown)[0])
        chosen = []
        for p in self.parameters:
            value = values.get(p.name, p.default)
            if value is None:
                raise KeyError(p.name)
            chosen.append((p.name, tuple(float(v) for v in value) if isinstance(value, (list, tuple)) else float(value)))
        return _bound(self, tuple(chosen), kink_derivative)


@cache
def _bound(family: Family, chosen: tuple, kink_derivative: float | None) -> Activation:
    pairs = list(zip(family.parameters, chosen))
    scalars = {p.symbol: _exact(value) for p, (_, value) in pairs if not isinstance(value, tuple)}
    per_unit = tuple((p.symbol, value) for p, (_, value) in pairs if isinstance(value, tuple))
    shown = [f"{value:g}" for _, (_, value) in pairs if not isinstance(value, tuple)]
    default = all(value == p.default for p, (_, value) in pairs)
    latex = family.latex_name if default or not shown else rf"{family.latex_name}_{{{','.join(shown)}}}"
    return Activation(family.name, family.title, latex, family.expression.subs(scalars), chosen,
                      family.kink, kink_derivative, per_unit=per_unit)


def _exact(value: float) -> sp.Expr:
    """A parameter as SymPy writes it exactly: a short decimal (0.01, 1.5) as its fraction directly,
    anything else through nsimplify, which is slower (a hundredth of a second at start-up)."""
    text = repr(value)
    if "e" not in text and len(text.lstrip("-").replace(".", "")) <= 7:
        return sp.Rational(text)
    return sp.nsimplify(value)



@dataclass(frozen=True)
class Softmax:
    """softmax(z)_i = exp(z_i) / sum_j exp(z_j), applied to each column of z."""

    name: str = "softmax"
    title: str = "softmax"
    latex_name: str = r"\operatorname{softmax}"
    numerator: sp.Expr = sp.exp(z)
    elementwise: bool = False
    parameters: tuple = ()
    kink: float | None = None

    def bind(self, values: dict[str, float] | None = None, kink_derivative: float | None = None) -> Softmax:
        if values:
            raise KeyError(sorted(values)[0])
        return self

    @cached_property
    def jacobian_entries(self) -> tuple[sp.Expr, sp.Expr]:
        """(d s_i/d z_i, d s_i/d z_j) in terms of the outputs s_i, s_j (the symbols below).

        Derived on three inputs: differentiate, write exp(z_k) = s_k * S, and use sum_k s_k = 1.
        Softmax treats its inputs alike, so the (1,1) and (1,2) entries give every entry.
        """
        nets = sp.symbols("z1:4", real=True)
        outputs = sp.symbols("s1:4", positive=True)
        total = sp.Symbol("S", positive=True)
        terms = [self.numerator.subs(z, net) for net in nets]
        first = terms[0] / sp.Add(*terms)
        in_outputs = {term: s * total for term, s in zip(terms, outputs)}
        sums_to_one = {outputs[2]: 1 - outputs[0] - outputs[1]}

        def entry(wrt):
            return _textbook(sp.cancel(sp.diff(first, wrt).subs(in_outputs).subs(sums_to_one)))

        diagonal = entry(nets[0]).subs(outputs[0], SOFTMAX_I)
        off_diagonal = entry(nets[1]).subs({outputs[0]: SOFTMAX_I, outputs[1]: SOFTMAX_J})
        return diagonal, off_diagonal

    @cached_property
    def _numerator_function(self):
        return numpy_function(z, self.numerator)

    @cached_property
    def _jacobian_functions(self):
        diagonal, off_diagonal = self.jacobian_entries
        return (
            numpy_function(SOFTMAX_I, diagonal),
            numpy_function((SOFTMAX_I, SOFTMAX_J), off_diagonal),
        )

    def evaluate(self, net: np.ndarray) -> np.ndarray:
        """Softmax of each column. Softmax is unchanged by adding a constant to a column, so the
        column maximum is subtracted first and exp never overflows."""
        terms = self._numerator_function(net - net.max(axis=0, keepdims=True))
        return terms / terms.sum(axis=0, keepdims=True)

    def jacobian(self, output_column: np.ndarray, net_column: np.ndarray | None = None) -> np.ndarray:
        """J[i, j] = d s_i / d z_j for one column of outputs (softmax's needs only the outputs)."""
        diagonal, off_diagonal = self._jacobian_functions
        s = output_column.reshape(-1)
        full = off_diagonal(s[:, None], s[None, :])
        np.fill_diagonal(full, diagonal(s))
        return full


SOFTMAX_I, SOFTMAX_J = sp.symbols("s_i s_j", positive=True)
