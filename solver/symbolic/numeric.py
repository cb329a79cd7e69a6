"""Turn a SymPy expression into the NumPy function the engine evaluates.

`sympy.lambdify` with the NumPy printer and an explicit namespace: asking lambdify for the
"numpy" module star-imports every lazy NumPy submodule and costs a fifth of a second at start-up.

float64 overflows where the mathematics does not: softplus(1000) is log(1 + e^1000) = 1000, but
e^1000 is inf in float64. Entries that come out inf or NaN are evaluated again from the same
expression with mpmath, whose exponents do not overflow, and only what is still not finite then
(a true infinity, log 0) stays so, for the engine to report.
"""

from __future__ import annotations

import builtins
import functools
import inspect
from collections.abc import Callable, Sequence

import mpmath
import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter

from solver.cache import remembered

_NAMESPACE = {"numpy": np, "functools": functools}  # Max and Min print as functools.reduce
_FUNCTION = "_lambdifygenerated"
"""The name lambdify gives the function it prints."""


def compile_numpy(args: sp.Symbol | Sequence[sp.Symbol], expr) -> Callable:
    """`sympy.lambdify` for NumPy, with the explicit namespace; `expr` may be a list (a vector or
    a matrix of expressions). Where the compiled code raises instead of returning inf (Python
    arithmetic on a huge exact constant, such as (10^300 z)^2, raises OverflowError before NumPy
    is reached), the expression is evaluated with mpmath entry by entry instead."""
    compiled = _lambdified(args, expr)
    precise = _Precise(args, expr)

    def guarded(*arrays):
        try:
            with np.errstate(all="ignore"):
                return _real(compiled(*arrays))
        except (ArithmeticError, TypeError):
            return precise.evaluate(arrays)

    return guarded


def _lambdified(args, expr) -> Callable:
    """sympy.lambdify's function, from its Python source as an earlier run printed it (printing is
    most of lambdify's time; the source is filed under the expression's srepr, solver/cache.py)."""
    key = (sp.srepr(args if isinstance(args, sp.Basic) else tuple(args)), sp.srepr(expr))
    source = remembered("lambdify", key, lambda: _source(args, expr))
    namespace = {**_NAMESPACE, "builtins": builtins, "range": range}
    exec(compile(source, "<byhand lambdify>", "exec"), namespace)  # noqa: S102 - our own printer's code
    return namespace[_FUNCTION]


def _source(args, expr) -> str:
    printer = NumPyPrinter({"fully_qualified_modules": True, "allow_unknown_functions": False})
    function = sp.lambdify(args, _printable(expr), modules=[_NAMESPACE], printer=printer)
    return inspect.getsource(function)


def _printable(expr):
    """`expr` with SymPy's complex infinity (what 1/0 and log 0 simplify to) as NaN: neither the
    NumPy nor the mpmath printer has a name for it, and an infinity of no sign has no real value."""
    if isinstance(expr, (list, tuple)):
        return [_printable(item) for item in expr]
    return expr.xreplace({sp.zoo: sp.nan}) if hasattr(expr, "xreplace") else expr  # an expression or a Matrix


def _real(value):
    """A result with no complex entries: where a constant made it complex (√w with w < 0), an entry
    with an imaginary part is NaN, since it has no real value, and one without is its real part."""
    if isinstance(value, (list, tuple)):
        return [_real(item) for item in value]
    array = np.asarray(value)
    if np.iscomplexobj(array):
        return np.where(array.imag == 0, array.real, np.nan)
    return value


def numpy_function(args: sp.Symbol | Sequence[sp.Symbol], expr: sp.Expr) -> Callable[..., np.ndarray]:
    """A float64 function of arrays; a constant expression still returns an array of the
    arguments' broadcast shape. Entries that come out inf or NaN are evaluated again with mpmath."""
    compiled = compile_numpy(args, expr)
    precise = _Precise(args, expr)

    def evaluate(*arrays: np.ndarray) -> np.ndarray:
        arrays = tuple(np.asarray(a, dtype=np.float64) for a in arrays)
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        try:
            raw = np.asarray(compiled(*arrays), dtype=np.float64)
        except (ArithmeticError, TypeError):  # an exact integer beyond float64 in the result itself
            raw = np.asarray(precise.evaluate(arrays), dtype=np.float64)
        result = np.broadcast_to(raw, shape).copy()
        hazards = ~np.isfinite(result)
        if hazards.any():
            inputs = np.broadcast_arrays(*arrays)
            for index in map(tuple, np.argwhere(hazards)):  # argwhere, unlike nonzero, takes a 0-d array
                result[index] = precise.at([a[index] for a in inputs])
        return result

    return evaluate


class _Precise:
    """The mpmath version of an expression, compiled the first time it is needed."""

    def __init__(self, args, expr):
        self.args, self.expr = args, expr
        self._function: Callable | None = None

    def at(self, values: list[float]):
        """The value (a float, or nested lists of floats for a list of expressions) at one point;
        NaN where even mpmath has no finite real value (log 0, a complex result, 0 · ∞)."""
        if self._function is None:
            self._function = sp.lambdify(self.args, _printable(self.expr), "mpmath")
        try:
            value = self._function(*(mpmath.mpf(float(v)) for v in values))  # no float arithmetic
        except (ArithmeticError, ValueError, TypeError):
            return float("nan")
        return _as_float(value)

    def evaluate(self, arrays) -> np.ndarray:
        """Every entry of the broadcast arguments; the expression's own shape comes first."""
        inputs = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in arrays))
        shape = inputs[0].shape if inputs else ()
        points = [np.array(self.at([a[index] for a in inputs]), dtype=float) for index in np.ndindex(shape)]
        return np.stack(points, axis=-1).reshape(points[0].shape + shape)


def _as_float(value):
    if isinstance(value, (list, tuple)):
        return [_as_float(item) for item in value]
    try:
        return float(value)
    except (ArithmeticError, ValueError, TypeError):  # too large for float64, or complex
        return float("nan")
