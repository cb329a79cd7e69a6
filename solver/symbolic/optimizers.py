"""The update rules of the optimisers, each one a short sequence of SymPy assignments.

An assignment sets one quantity (a state such as the velocity, a bias-corrected moment, or the
parameter itself) to an expression in the parameter θ, its gradient g, the states as they were
before this iteration, the quantities assigned before it, and the hyperparameters. Products are
elementwise. The engine evaluates these expressions and the sheet prints them, so the formula
on the sheet is the one computed. Where a slip changes a rule, it is read here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from solver.engine.slips import Slip
from solver.formula import Scalar

THETA, G = sp.symbols("theta g", real=True)
ETA, MU, RHO, BETA1, BETA2, EPSILON, T = (Scalar(name, positive=True)
                                          for name in ("eta", "mu", "rho", "beta_1", "beta_2", "epsilon", "t"))
HYPERPARAMETERS = (ETA, MU, RHO, BETA1, BETA2, EPSILON, T)
"""η, μ, ρ, β₁, β₂, ε and the iteration counter t, in the order the engine passes their values."""


def _times(*factors) -> sp.Expr:
    """A product written in the order given (the sheet shows it so: μ v, (1 − β₁) g)."""
    return sp.Mul(*factors, evaluate=False)


def _plus(*terms) -> sp.Expr:
    return sp.Add(*terms, evaluate=False)


def _minus(term) -> sp.Expr:
    return _times(-1, term)

OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")


@dataclass(frozen=True)
class State:
    """A quantity an optimiser keeps from one iteration to the next (or works out on the way)."""

    name: str  # the key in an exercise's [state.<parameter>] table, and the step id's prefix
    prefix: str  # step ids: v_W1, s_W1, m_W1, mhat_W1 …
    latex: str  # its symbol on the sheet, before the parameter's subscript
    kept: bool  # carried to the next iteration (a bias-corrected form is not)
    symbol: sp.Symbol


def _state(name: str, prefix: str, latex: str, kept: bool = True) -> State:
    return State(name, prefix, latex, kept, sp.Symbol(prefix, real=True))


VELOCITY = _state("velocity", "v", "v")
VELOCITY_HAT = _state("velocity_corrected", "vhat", r"\hat{v}", kept=False)
SQUARE_SUM = _state("square_sum", "s", "s")
SQUARE_AVERAGE = _state("square_average", "s", "s")
FIRST_MOMENT = _state("first_moment", "m", "m")
SECOND_MOMENT = _state("second_moment", "s", "s")
FIRST_HAT = _state("first_moment_corrected", "mhat", r"\hat{m}", kept=False)
SECOND_HAT = _state("second_moment_corrected", "shat", r"\hat{s}", kept=False)
STATES = {state.name: state for state in (VELOCITY, SQUARE_SUM, SQUARE_AVERAGE, FIRST_MOMENT, SECOND_MOMENT)}
"""The states an exercise may give, by the names of its [state.<parameter>] keys."""
ALL_STATES = {**STATES, **{state.name: state for state in (VELOCITY_HAT, FIRST_HAT, SECOND_HAT)}}


@dataclass(frozen=True)
class Assignment:
    """`target` ← `expression`; `target` is a State, or None for the parameter itself."""

    target: State | None
    expression: sp.Expr


@dataclass(frozen=True)
class Rule:
    """An optimiser's assignments in order; `look_ahead` is where Nesterov takes the gradient."""

    name: str
    assignments: tuple[Assignment, ...]
    look_ahead: sp.Expr | None = None

    @property
    def states(self) -> tuple[State, ...]:
        """The states this rule keeps between iterations, in the order it updates them."""
        return tuple(a.target for a in self.assignments if a.target is not None and a.target.kept)

    @property
    def counts_iterations(self) -> bool:
        return any(a.expression.has(T) for a in self.assignments)


def _moving_average(state: sp.Symbol, decay: sp.Symbol, value: sp.Expr, slip: Slip | None) -> sp.Expr:
    """decay · state + (1 − decay) · value, or a student's version of it."""
    if slip is Slip.MOVING_AVERAGE_WITHOUT_ONE_MINUS:
        return _plus(_times(decay, state), value)
    if slip is Slip.DECAY_AND_ONE_MINUS_SWAPPED:
        return _plus(_times(_plus(1, _minus(decay)), state), _times(decay, value))
    return _plus(_times(decay, state), _times(_plus(1, _minus(decay)), value))


def _corrected(state: State, hat: State, decay: sp.Symbol, slip: Slip | None) -> Assignment:
    if slip is Slip.BIAS_CORRECTION_FORGOTTEN:
        return Assignment(hat, state.symbol)
    return Assignment(hat, _times(state.symbol, sp.Pow(_plus(1, _minus(decay**T)), -1, evaluate=False)))


def _descent(base: sp.Expr, term: sp.Expr, slip: Slip | None) -> sp.Expr:
    """base − term, the step against the gradient (term holds η), or a student's version of it."""
    if slip is Slip.RATE_OMITTED:
        term = term.xreplace({ETA: sp.Integer(1)})
    return _plus(base, term) if slip is Slip.GRADIENT_ADDED else _plus(base, _minus(term))


def _scaled_step(numerator: sp.Expr, square: sp.Symbol, inside: bool, slip: Slip | None) -> sp.Expr:
    """θ − η · numerator / (√square + ε), or with ε inside the root: θ − η · numerator / √(square + ε)."""
    if slip is Slip.EPSILON_ON_THE_OTHER_SIDE:
        inside = not inside
    denominator = sp.sqrt(_plus(square, EPSILON)) if inside else _plus(sp.sqrt(square), EPSILON)
    return _descent(THETA, _times(ETA, numerator, sp.Pow(denominator, -1, evaluate=False)), slip)


@cache
def update_rule(name: str, form: str = "velocity", bias_correction: bool = False, epsilon_inside: bool = False,
                slip: Slip | None = None) -> Rule:
    """The rule of optimiser `name` with these settings (see solver/optimization.py)."""
    square = _times(G, G) if slip is not Slip.GRADIENT_NOT_SQUARED else G
    v, s, m = VELOCITY.symbol, SQUARE_SUM.symbol, FIRST_MOMENT.symbol
    if name == "sgd":
        return Rule(name, (Assignment(None, _descent(THETA, _times(ETA, G), slip)),))
    if name in ("momentum", "nesterov") and form == "velocity":
        look_ahead = _plus(THETA, _times(MU, v)) if name == "nesterov" else None
        velocity = _descent(_times(MU, v), _times(ETA, G), slip)
        return Rule(name, (Assignment(VELOCITY, velocity), Assignment(None, _plus(THETA, v))), look_ahead)
    if name == "momentum":  # the average form of seeds 003 and 004
        assignments = [Assignment(VELOCITY, _moving_average(v, MU, G, slip))]
        used = v
        if bias_correction:
            assignments.append(_corrected(VELOCITY, VELOCITY_HAT, MU, slip))
            used = VELOCITY_HAT.symbol
        return Rule(name, (*assignments, Assignment(None, _descent(THETA, _times(ETA, used), slip))))
    if name == "adagrad":
        return Rule(name, (Assignment(SQUARE_SUM, _plus(s, square)),
                           Assignment(None, _scaled_step(G, s, epsilon_inside, slip))))
    if name == "rmsprop":
        s = SQUARE_AVERAGE.symbol
        return Rule(name, (Assignment(SQUARE_AVERAGE, _moving_average(s, RHO, square, slip)),
                           Assignment(None, _scaled_step(G, s, epsilon_inside, slip))))
    if name == "adam":
        s = SECOND_MOMENT.symbol
        assignments = [Assignment(FIRST_MOMENT, _moving_average(m, BETA1, G, slip)),
                       Assignment(SECOND_MOMENT, _moving_average(s, BETA2, square, slip))]
        if bias_correction:
            assignments += [_corrected(FIRST_MOMENT, FIRST_HAT, BETA1, slip),
                            _corrected(SECOND_MOMENT, SECOND_HAT, BETA2, slip)]
            m, s = FIRST_HAT.symbol, SECOND_HAT.symbol
        return Rule(name, (*assignments, Assignment(None, _scaled_step(m, s, epsilon_inside, slip))))
    raise ValueError(f"no optimiser {name!r}")


ETA0, EPOCH, DECAY, BASE, K = (Scalar(name, positive=True) for name in ("eta_0", "e", "d", "b", "k"))
SCHEDULES = {
    "constant": ETA0,
    "inverse": _times(sp.Pow(_plus(1, _times(DECAY, EPOCH)), -1, evaluate=False), ETA0),
    "exponential": _times(sp.Pow(BASE, EPOCH, evaluate=False), ETA0),
    "inverse_sqrt": _times(K, sp.Pow(sp.sqrt(EPOCH), -1, evaluate=False), ETA0),
}
"""The learning rate of epoch e (seed 004), with d the decay rate, b the base and k the constant."""
