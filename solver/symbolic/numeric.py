"""Turn a SymPy expression into the NumPy function the engine evaluates.

`sympy.lambdify` with the NumPy printer and an explicit namespace: asking lambdify for the
"numpy" module star-imports every lazy NumPy submodule and costs a fifth of a second at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter

_NAMESPACE = {"numpy": np}


def numpy_function(args: sp.Symbol | Sequence[sp.Symbol], expr: sp.Expr) -> Callable[..., np.ndarray]:
    """A float64 function of arrays; a constant expression still returns an array of the
    arguments' broadcast shape."""
    printer = NumPyPrinter({"fully_qualified_modules": True, "allow_unknown_functions": False})
    compiled = sp.lambdify(args, expr, modules=[_NAMESPACE], printer=printer)

    def evaluate(*arrays: np.ndarray) -> np.ndarray:
        shape = np.broadcast_shapes(*(np.shape(a) for a in arrays))
        with np.errstate(over="ignore"):
            result = compiled(*arrays)
        return np.broadcast_to(np.asarray(result, dtype=np.float64), shape).copy()

    return evaluate
