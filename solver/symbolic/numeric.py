"""Turn a SymPy expression into the NumPy function the engine evaluates.

`sympy.lambdify` with the NumPy printer and an explicit namespace: asking lambdify for the
"numpy" module star-imports every lazy NumPy submodule and costs a fifth of a second at start-up.

float64 overflows where the mathematics does not: softplus(1000) is log(1 + e^1000) = 1000, but
e^1000 is inf in float64. Entries that come out inf or NaN are evaluated again from the same
expression with mpmath, whose exponents do not overflow, and only what is still not finite then
(a true infinity, log 0) stays so, for the engine to report.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter

_NAMESPACE = {"numpy": np, "functools": functools}  # Max and Min print as functools.reduce


def compile_numpy(args: sp.Symbol | Sequence[sp.Symbol], expr) -> Callable:
    """`sympy.lambdify` for NumPy, with the explicit namespace; `expr` may be a list (a vector or
    a matrix of expressions)."""
    printer = NumPyPrinter({"fully_qualified_modules": True, "allow_unknown_functions": False})
    return sp.lambdify(args, expr, modules=[_NAMESPACE], printer=printer)


def numpy_function(args: sp.Symbol | Sequence[sp.Symbol], expr: sp.Expr) -> Callable[..., np.ndarray]:
    """A float64 function of arrays; a constant expression still returns an array of the
    arguments' broadcast shape."""
    compiled = compile_numpy(args, expr)
    precise: list[Callable] = []  # the mpmath version, made the first time it is needed

    def evaluate(*arrays: np.ndarray) -> np.ndarray:
        arrays = tuple(np.asarray(a, dtype=np.float64) for a in arrays)
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        with np.errstate(all="ignore"):
            result = np.broadcast_to(np.asarray(compiled(*arrays), dtype=np.float64), shape).copy()
        hazards = ~np.isfinite(result)
        if hazards.any():
            if not precise:
                precise.append(sp.lambdify(args, expr, "mpmath"))
            inputs = np.broadcast_arrays(*arrays)
            for index in zip(*np.nonzero(hazards)):
                result[index] = _as_float(precise[0], [a[index] for a in inputs])
        return result

    return evaluate


def _as_float(function: Callable, values: list[float]) -> float:
    try:
        return float(function(*values))
    except (ArithmeticError, ValueError, TypeError):  # log of 0, a complex result, 0 * inf
        return float("nan")
