"""`byhand derive`: the derivative of an activation, or the output delta of a loss and an output
activation, as a short derivation in Markdown or LaTeX."""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

import sympy as sp

from solver.arguments import choice, instance
from solver.errors import SolverError
from solver.fields import closest
from solver.render import DERIVATION_FORMATS
from solver.symbolic import activation, loss
from solver.symbolic.activation_catalogue import ACTIVATIONS, custom_family
from solver.symbolic.coupled import coupled_activation, is_coupled
from solver.symbolic.derivations import Derivation, activation_derivation, delta_derivation
from solver.symbolic.expressions import ExpressionError
from solver.symbolic.losses import LOSSES
from solver.text import quoted



@dataclass(frozen=True)
class DerivationView:
    title: str
    lines: tuple[tuple[str, str], ...]


def _activation(name: str, parameters: dict[str, float | None] | None, expression: str | None, key: str):
    """The activation `name` bound to `parameters`; `key` names the argument that gave `name`."""
    if name != "custom" and expression is not None:
        raise SolverError(f"an expression is for the activation custom, not {name}", key="expression")
    if name != "custom" and name not in ACTIVATIONS:
        raise SolverError(f"unknown activation {quoted(name)}{closest(name, [*ACTIVATIONS, 'custom'])}", key=key)
    bound = _bound_activation(name, parameters, expression)
    # the expression has a value (the parser refuses 1/(z − z)): the values of --param took it away
    if bound.elementwise and bound.expression.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise SolverError(f"these values leave {name} undefined (a division by 0 or log 0)", key="parameters")
    return bound


def _bound_activation(name: str, parameters: dict[str, float | None] | None, expression: str | None):
    # a parameter given without a value stays a symbol: bound as a per-unit parameter, which
    # the expression keeps symbolic
    for key, value in (parameters or {}).items():
        if not (isinstance(key, str) and key.isidentifier()):
            raise SolverError(f"{quoted(key)} is not a parameter's name (letters, digits and _)", key="parameters")
        values = value if isinstance(value, tuple) else (value,)  # a tuple: one value per unit
        if value is not None and not all(isinstance(v, Real) and not isinstance(v, bool) and math.isfinite(v)
                                         for v in values):
            raise SolverError(f"{key} = {value}: expected a finite number", key="parameters")
    parameters = {key: (1.0,) if value is None else value for key, value in (parameters or {}).items()}
    try:
        if name == "custom":
            if expression is None:
                raise SolverError("a custom activation needs an expression", key="expression")
            if is_coupled(expression):  # a derivation needs only the expression, written for three units
                return coupled_activation(expression, tuple(sorted(parameters.items())), 3)
            return custom_family(expression, tuple(sorted(parameters or {}))).bind(parameters)
        return activation(name, parameters)
    except ExpressionError as problem:
        raise SolverError(problem.message, key="expression") from None
    except KeyError as unknown:
        raise SolverError(f"{name} has no parameter {quoted(unknown.args[0])}", key="parameters") from None


def derive_activation(name: str, parameters: dict[str, float] | None = None, expression: str | None = None) -> Derivation:
    """f, f' and the steps between them for the activation `name` (or "custom" with `expression`)."""
    f = _activation(name, parameters, expression, "name")
    if not f.elementwise:
        raise SolverError("softmax is not elementwise; `derive delta --activation softmax` shows its Jacobian",
                          key="name")
    return activation_derivation(f)


def derive_delta(loss_name: str, activation_name: str, parameters: dict[str, float] | None = None,
                 expression: str | None = None, loss_expression: str | None = None) -> Derivation:
    """How δ[L] = ∂E/∂z[L] follows from the loss and the output activation."""
    if loss_name == "custom" and loss_expression is None:
        raise SolverError("a custom loss needs an expression, in x and t", key="loss_expression")
    try:
        criterion = loss(loss_name, loss_expression)
    except ExpressionError as problem:
        raise SolverError(problem.message, key="loss_expression") from None
    except (KeyError, TypeError):
        raise SolverError(f"unknown loss {quoted(loss_name)}{closest(loss_name, [*LOSSES, 'custom'])}", key="loss_name") from None
    return delta_derivation(criterion, _activation(activation_name, parameters, expression, "activation_name"))


def render_derivations(derivations: list[Derivation], format: str = "md") -> str:
    """Derivations as Markdown or a standalone LaTeX document."""
    from solver.render.environment import environment
    from solver.render.formula_latex import derivation_lines

    choice(format, "format", DERIVATION_FORMATS)
    for derivation in instance(derivations, "derivations", (list, tuple), "a list of derivations"):
        instance(derivation, "derivations", Derivation, "a list of derivations (from derive_activation or derive_delta)")
    # titles are written by derivations.py, math between $…$; none is taken from input
    views = [DerivationView(d.title, tuple(derivation_lines(d))) for d in derivations]
    return environment(format).get_template(f"derivation.{format}.j2").render(derivations=views)
