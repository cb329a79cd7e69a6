"""One optimiser update of one parameter, recorded step by step; any kind that trains calls this.

Each assignment of the optimiser's rule (solver/symbolic/optimizers.py) becomes a step: the states
(velocity, squared-gradient sum or average, first and second moments), their bias-corrected
forms, and the updated parameter. Step ids put the state's prefix before the parameter's name:
``v_W1``, ``s_W1``, ``m_W1``, ``mhat_W1``, ``shat_W1``, then ``W1_new``; the state a part starts
from is ``v0_W1`` …; Nesterov's look-ahead point is ``W1_ahead``. Gradient clipping records
``norm_dW1`` (or ``norm`` over all parameters) and ``dW1_clipped``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
import sympy as sp

from solver.engine.scope import Scope, Tracked
from solver.engine.slips import Slip
from solver.formula import Constant, Expression, Formula, Ref
from solver.symbolic.numeric import numpy_function
from solver.symbolic.optimizers import (
    ALL_STATES, BETA1, BETA2, EPSILON, ETA, FIRST_HAT, FIRST_MOMENT, G, MU, RHO, SECOND_HAT, SQUARE_SUM, T, THETA,
    VELOCITY, VELOCITY_HAT, Rule, State,
)
from solver.training import Clipping, Optimizer

_ARGUMENTS = (THETA, G, VELOCITY.symbol, SQUARE_SUM.symbol, FIRST_MOMENT.symbol, VELOCITY_HAT.symbol,
              FIRST_HAT.symbol, SECOND_HAT.symbol, ETA, MU, RHO, BETA1, BETA2, EPSILON, T)
_HYPERPARAMETERS = {MU: ("mu", r"\mu"), RHO: ("rho", r"\rho"), BETA1: ("beta_1", r"\beta_1"),
                    BETA2: ("beta_2", r"\beta_2"), EPSILON: ("epsilon", r"\varepsilon")}


@dataclass(frozen=True)
class Parameter:
    """A parameter being trained: the stem of its step ids (W1, b1, w), its symbol on the sheet,
    and the kind of its updated step ("updated weights", "updated biases", "updated parameter")."""

    name: str
    symbol: str
    updated: str


@dataclass(frozen=True)
class Iteration:
    """What one update needs besides the parameter: the learning rate (a step when a schedule
    sets it, else a constant) and the iteration counter t (a step, when the rule uses it)."""

    rate: Tracked | Constant
    counter: Tracked | None = None


@cache
def _function(expression: sp.Expr):
    return numpy_function(_ARGUMENTS, expression)


def iteration(scope: Scope, rule: Rule, updates_done: int) -> Tracked | None:
    """The step t of this update (1 for the first) when the rule counts its iterations, else None;
    with the slip ITERATION_NOT_COUNTED a student's t stuck at 1."""
    if not rule.counts_iterations:
        return None
    t = 1 if scope.slip is Slip.ITERATION_NOT_COUNTED else updates_done + 1
    return scope.record("iteration", "given", "iteration", "t", t)


def starting_state(scope: Scope, rule: Rule, parameter: Parameter, shape: tuple[int, ...],
                   given: Mapping[str, np.ndarray] | None = None, done: int = 0) -> dict[str, Tracked]:
    """The states `rule` keeps, as given steps (``v0_W1`` …): the `given` values, else zeros;
    `done` is the number of updates made before, shown as the states' superscript."""
    given = given or {}
    return {state.name: scope.record(f"{state.prefix}0_{parameter.name}", "given", "optimizer state",
                                     _symbol(state, parameter, done), given.get(state.name, np.zeros(shape)))
            for state in rule.states}


def look_ahead(scope: Scope, optimizer: Optimizer, rule: Rule, parameter: Parameter, theta: Tracked,
               state: Mapping[str, Tracked], t: int) -> Tracked:
    """Nesterov's point θ + μv, where the gradient of update `t` is taken."""
    return _assign(scope, optimizer, rule.look_ahead, f"{parameter.name}_ahead", "look-ahead", "look-ahead",
                   rf"\tilde{{{parameter.symbol}}}", theta, None, _carried(scope, state, t), None)


def _carried(scope: Scope, state: Mapping[str, Tracked], t: int) -> Mapping[str, Tracked]:
    """The state update `t` starts from, or zeros for a student who resets it every update."""
    if scope.slip is Slip.STATE_RESET and t > 1:
        return {name: Tracked(tracked.id, np.zeros_like(tracked.value)) for name, tracked in state.items()}
    return state


def update(scope: Scope, optimizer: Optimizer, rule: Rule, parameter: Parameter, theta: Tracked, gradient: Tracked,
           state: Mapping[str, Tracked], iteration: Iteration, t: int) -> tuple[Tracked, dict[str, Tracked]]:
    """Record the rule's assignments for one parameter; returns the new parameter and states."""
    current = dict(_carried(scope, state, t))
    new = theta
    for assignment in rule.assignments:
        target = assignment.target
        if target is None:
            new = _assign(scope, optimizer, assignment.expression, f"{parameter.name}_new", "update", parameter.updated,
                          rf"{parameter.symbol}_{{\mathrm{{new}}}}", theta, gradient, current, iteration)
            continue
        kind = "optimizer state" if target.kept else "corrected state"
        current[target.name] = _assign(scope, optimizer, assignment.expression, f"{target.prefix}_{parameter.name}",
                                       "update", kind, _symbol(target, parameter, t), theta, gradient, current,
                                       iteration)
    return new, {state.name: current[state.name] for state in rule.states}


def _assign(scope: Scope, optimizer: Optimizer, expression: sp.Expr, quantity: str, section: str, kind: str,
            symbol: str, theta: Tracked, gradient: Tracked | None, state: Mapping[str, Tracked],
            iteration: Iteration | None) -> Tracked:
    """Evaluate one assignment and record it with its formula (the same expression)."""
    steps = {THETA: theta, **({G: gradient} if gradient is not None else {})}
    steps |= {ALL_STATES[name].symbol: tracked for name, tracked in state.items()}
    constants: dict[sp.Symbol, Constant] = {}
    hyperparameters = optimizer.hyperparameters()
    for symbol_, (name, latex) in _HYPERPARAMETERS.items():
        constants[symbol_] = Constant(latex, np.array(hyperparameters[name]))
    if iteration is not None:
        _place(ETA, iteration.rate, steps, constants)
        if iteration.counter is not None:
            steps[T] = iteration.counter
    used = expression.free_symbols
    arguments = [_value(symbol_, steps, constants, theta.value) for symbol_ in _ARGUMENTS]
    value = _function(expression)(*arguments)
    formula = Formula((Expression(
        expression,
        symbols=tuple((s, Ref(steps[s].id)) for s in _ARGUMENTS if s in used and s in steps),
        constants=tuple((s, constants[s]) for s in _ARGUMENTS if s in used and s in constants),
    ),))
    return scope.record(quantity, section, kind, symbol, value, formula)


def _place(symbol: sp.Symbol, value: Tracked | Constant, steps: dict, constants: dict) -> None:
    if isinstance(value, Tracked):
        steps[symbol] = value
    else:
        constants[symbol] = value


def _value(symbol: sp.Symbol, steps: Mapping, constants: Mapping, like: np.ndarray):
    if symbol in steps:
        return steps[symbol].value
    if symbol in constants:
        return constants[symbol].value
    return np.zeros_like(like)  # not used by this expression


def _symbol(state: State, parameter: Parameter, t: int) -> str:
    return rf"{state.latex}_{{{parameter.symbol}}}^{{({t})}}"


def clip(scope: Scope, clipping: Clipping, parameters: list[Parameter], gradients: list[Tracked]) -> list[Tracked]:
    """The gradients clipped by norm (seed 002: if ‖g‖ ≥ c then g ← c g/‖g‖), each by its own norm
    or all by their joint norm; the norms and the clipped gradients are steps."""
    c = Constant("c", np.array(clipping.threshold))
    if clipping.scope == "global":
        total = float(np.sqrt(sum(np.sum(g.value**2) for g in gradients)))
        terms = " + ".join(rf"\|{scope.recorder.step(g.id).symbol}\|^2" for g in gradients)
        norm = scope.record("norm", "clipping", "gradient norm", r"\|g\|", total,
                            Formula((rf"\sqrt{{{terms}}}",), substitute=False))
        norms = [norm] * len(gradients)
    else:
        norms = [scope.record(f"norm_{g.id.rpartition('.')[2]}", "clipping", "gradient norm",
                              rf"\|{scope.recorder.step(g.id).symbol}\|", float(np.linalg.norm(g.value)),
                              Formula((r"\sqrt{\textstyle\sum_{i,j} \left(", Ref(g.id), r"\right)_{ij}^2}"),
                                      substitute=False))
                 for g in gradients]
    clipped = []
    for parameter, gradient, norm in zip(parameters, gradients, norms):
        factor = min(1.0, clipping.threshold / float(norm.value)) if float(norm.value) > 0 else 1.0
        clipped.append(scope.record(
            f"{gradient.id.rpartition('.')[2]}_clipped", "clipping", "clipped gradient",
            rf"g^{{\mathrm{{clip}}}}_{{{parameter.symbol}}}", factor * gradient.value,
            Formula((r"\min\left(1, \frac{", c, "}{", Ref(norm.id), r"}\right) ", Ref(gradient.id))),
        ))
    return clipped


def possible_slips(optimizer: Optimizer, updates: int) -> tuple[Slip, ...]:
    """The slips of an optimiser's update that can change a number in `updates` updates."""
    if updates == 0:
        return ()
    rule = optimizer.rule()
    scaled = optimizer.name in ("adagrad", "rmsprop", "adam")
    averaged = optimizer.name in ("rmsprop", "adam") or (optimizer.name == "momentum" and optimizer.form == "average")
    possible = {
        Slip.GRADIENT_ADDED: True,
        Slip.RATE_OMITTED: True,
        Slip.EPSILON_ON_THE_OTHER_SIDE: scaled,
        Slip.BIAS_CORRECTION_FORGOTTEN: any(not a.target.kept for a in rule.assignments if a.target is not None),
        Slip.MOVING_AVERAGE_WITHOUT_ONE_MINUS: averaged,
        Slip.DECAY_AND_ONE_MINUS_SWAPPED: averaged,
        Slip.STATE_RESET: bool(rule.states) and updates > 1,
        Slip.GRADIENT_NOT_SQUARED: scaled,
        Slip.ITERATION_NOT_COUNTED: rule.counts_iterations and updates > 1,
    }
    return tuple(slip for slip, can in possible.items() if can)
