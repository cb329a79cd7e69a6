"""The activations an exercise can name, and the family it defines with its own expression.

An entry of the catalogue is a family such as sigmoid σ_{β,γ}(z) = γ / (1 + e^{−βz}) with its
parameters and their defaults (seed 003 §2.1.1); activations.py binds it and derives the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import sympy as sp

from solver.lazy import LazyTable
from solver.symbolic.activations import BETA, GAMMA, Family, Parameter, Softmax, z

STEEPNESS = Parameter("beta", BETA, 1.0, "steepness")
SCALE = Parameter("gamma", GAMMA, 1.0, "scale")


def _sigmoid() -> sp.Expr:
    return GAMMA / (1 + sp.exp(-BETA * z))


_ENTRIES: dict[str, Callable[[], Family | Softmax]] = {
    "identity": lambda: Family("identity", "identity", r"\operatorname{id}", z),
    "threshold": lambda: Family("threshold", "threshold", r"\operatorname{threshold}",
                                sp.Piecewise((0, z <= 0), (1, True)), kink=0.0),
    "sign": lambda: Family("sign", "sign", r"\operatorname{sign}", sp.Piecewise((-1, z <= 0), (1, True)), kink=0.0),
    "sigmoid": lambda: Family("sigmoid", "logistic sigmoid", r"\sigma", _sigmoid(), (STEEPNESS, SCALE)),
    "tanh": lambda: Family("tanh", "hyperbolic tangent", r"\tanh", sp.tanh(z)),
    "relu": lambda: Family("relu", "rectified linear unit", r"\operatorname{ReLU}",
                           sp.Piecewise((0, z <= 0), (z, True)), kink=0.0),
    "prelu": lambda: Family("prelu", "parametric (leaky) ReLU", r"\operatorname{PReLU}",
                            sp.Piecewise((BETA * z, z <= 0), (z, True)),
                            (Parameter("beta", BETA, 0.01, "slope below 0"),), kink=0.0),
    "silu": lambda: Family("silu", "SiLU (swish)", r"\operatorname{SiLU}", z * _sigmoid(), (STEEPNESS, SCALE)),
    "elu": lambda: Family("elu", "exponential linear unit", r"\operatorname{ELU}",
                          sp.Piecewise((BETA * (sp.exp(z) - 1), z <= 0), (z, True)),
                          (Parameter("beta", BETA, 1.0, "scale below 0"),), kink=0.0),
    "softplus": lambda: Family("softplus", "softplus", r"\operatorname{softplus}",
                               GAMMA / BETA * sp.log(1 + sp.exp(BETA * z)),
                               (Parameter("beta", BETA, 1.0, "sharpness"), SCALE)),
    "mish": lambda: Family("mish", "mish", r"\operatorname{mish}", z * sp.tanh(sp.log(1 + sp.exp(BETA * z)) / BETA),
                           (Parameter("beta", BETA, 1.0, "sharpness"),)),
    "squareplus": lambda: Family("squareplus", "squareplus", r"\operatorname{squareplus}",
                                 (z + sp.sqrt(z**2 + BETA)) / 2, (Parameter("beta", BETA, 1.0, "smoothness, at least 0"),)),
    "softmax": Softmax,
}
_ALIASES = {"leaky_relu": "prelu", "swish": "silu"}
"""Leaky ReLU is PReLU with its usual small slope; swish is SiLU."""


ACTIVATIONS: LazyTable[Family | Softmax] = LazyTable(_ENTRIES, _ALIASES)
"""The activations by name, each built the first time it is looked up: a run that uses the sigmoid
does not build the other expressions."""


def activation(name: str, parameters: dict[str, float] | None = None, kink_derivative: float | None = None):
    """The catalogue entry called `name` bound to `parameters`; KeyError for an unknown name
    or parameter."""
    return ACTIVATIONS[name].bind(parameters, kink_derivative)


@cache
def custom_family(text: str, parameter_names: tuple[str, ...]) -> Family:
    """The family an exercise defines with `expression = "…"` in the variable z (or x), with
    the parameters it declares (no defaults: each must be given). ExpressionError when the
    text is not in the whitelist of expressions.py."""
    from solver.symbolic.expressions import ExpressionError, parse_expression

    reserved = {"z", "x", "pi", "e"}
    clash = sorted(set(parameter_names) & reserved)
    if clash:
        raise ExpressionError(f"a parameter may not be called {clash[0]}")
    symbols = {name: sp.Symbol(name, real=True) for name in parameter_names}
    expression = parse_expression(text, {"z": z, "x": z, **symbols})
    parameters = tuple(Parameter(name, symbols[name], None, "set in the exercise") for name in parameter_names)
    # the title never repeats `text`: a sheet shows the parsed expression, not what the file wrote
    return Family("custom", "custom", "f", expression, parameters)
