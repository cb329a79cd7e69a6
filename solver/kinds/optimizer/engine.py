"""Parameter updates without a network: an optimiser's steps on given gradients or an objective.

Each update (group ``t<k>``, or no group for a single update) states the parameters, the
optimiser's starting state (first update of a part only) and the iteration counter t, then the
objective's value and gradient (derived by SymPy, evaluated entry by entry) or the given gradient,
then the optimiser's assignments (solver/engine/optimizer.py). Step ids: ``a.t2.w``, ``a.t2.f``,
``a.t2.dw``, ``a.t2.m_w``, ``a.t2.w_new`` …; see README "Step ids".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
import sympy as sp

from solver.engine import optimizer as optimiser
from solver.engine.optimizer import Iteration, Parameter
from solver.engine.scope import Scope, Tracked
from solver.engine.slips import Slip
from solver.engine.steps import Recorder, Solution
from solver.exercise import Exercise
from solver.formula import Constant, Expression, Formula, Ref
from solver.kinds.optimizer.reader import Problem
from solver.symbolic.numeric import numpy_function


@dataclass(frozen=True)
class Progress:
    """Where the parameters stand: their values, the optimiser's states, and the updates made."""

    values: Mapping[str, np.ndarray]
    states: Mapping[str, Mapping[str, np.ndarray]]
    updates: int


def solve(exercise: Exercise, overrides: Mapping[str, np.ndarray] | None = None, slip: Slip | None = None,
          *, require_finite: bool = True) -> Solution:
    """Work every part of the optimizer `exercise` (solver.engine.solve calls this)."""
    recorder = Recorder(overrides, source=exercise.path, require_finite=require_finite, limits=exercise.limits,
                        fractions=exercise.number_format == "fraction")
    problem: Problem = exercise.setup
    initial = _progress(dict(problem.parameters), problem)
    final = initial
    with np.errstate(all="ignore"):
        for part in exercise.parts:
            start = initial if part.start == "initial" else final
            if part.state is not None:
                start = _progress(start.values, part.state)
            final = _solve_part(Scope(recorder, part, "", slip), problem, start)
    return Solution(exercise, recorder.steps(), recorder.recomputed())


def _progress(values: Mapping[str, np.ndarray], state: Problem) -> Progress:
    return Progress(values, {name: dict(states) for name, states in state.state}, state.updates_done)


def symbol(name: str) -> str:
    """A parameter's symbol on the sheet: theta is θ, w1 is w₁."""
    return sp.latex(sp.Symbol(name))


def _solve_part(scope: Scope, problem: Problem, start: Progress) -> Progress:
    part = scope.part
    rule = part.optimizer.rule(scope.slip)
    names = [Parameter(name, symbol(name), "updated parameter") for name, _ in problem.parameters]
    iteration_rate = Constant(scope.notation.rate, np.array(part.optimizer.learning_rate))
    progress, states = start, None
    for k in range(1, part.steps + 1):
        group = scope.within("" if part.steps == 1 else f"t{k}")
        given = {p.name: group.record(p.name, "given", "parameter", p.symbol, progress.values[p.name]) for p in names}
        if states is None:
            states = {p.name: optimiser.starting_state(group, rule, p, given[p.name].value.shape,
                                                       progress.states.get(p.name), progress.updates) for p in names}
        counter = optimiser.iteration(group, rule, progress.updates)
        at = given
        if rule.look_ahead is not None:
            at = {p.name: optimiser.look_ahead(group, part.optimizer, rule, p, given[p.name], states[p.name],
                                               progress.updates + 1) for p in names}
        gradients = _gradients(group, problem, names, given, at)
        if part.clipping is not None:
            gradients = dict(zip(gradients, optimiser.clip(group, part.clipping, names, list(gradients.values()))))
        new_values, new_states = {}, {}
        for p in names:
            new, new_states[p.name] = optimiser.update(group, part.optimizer, rule, p, given[p.name], gradients[p.name],
                                                       states[p.name], Iteration(iteration_rate, counter),
                                                       progress.updates + 1)
            new_values[p.name] = new.value
        states = new_states
        progress = Progress(new_values, {name: {k: v.value for k, v in s.items()} for name, s in new_states.items()},
                            progress.updates + 1)
    return progress


def _gradients(scope: Scope, problem: Problem, names: list[Parameter], given: Mapping[str, Tracked],
               at: Mapping[str, Tracked]) -> dict[str, Tracked]:
    """The objective's value at the parameters, and each gradient at `at` (the look-ahead point
    for Nesterov), derived by SymPy; or the given gradients."""
    if problem.objective is None:
        return {p.name: scope.record(f"d{p.name}", "given", "gradient", rf"g_{{{p.symbol}}}", value)
                for p, (_, value) in zip(names, problem.gradients)}
    symbols = dict(problem.symbols)
    scope.record("f", "objective", "loss", "f", _objective_value(problem, given),
                 _formula(problem.objective, symbols, given, summed=_summed(problem)))
    gradients = {}
    for p in names:
        expression = problem.gradient_of(p.name)
        value = _evaluate(expression, symbols, at, p.name)
        gradients[p.name] = scope.record(f"d{p.name}", "gradients", "gradient",
                                         rf"\frac{{\partial f}}{{\partial {p.symbol}}}", value,
                                         _formula(expression, symbols, at))
    return gradients


def _summed(problem: Problem) -> bool:
    return any(value.size > 1 for _, value in problem.parameters)


def _objective_value(problem: Problem, given: Mapping[str, Tracked]) -> float:
    """f summed over the entries: Σ_ij f(w_ij) (parameters broadcast together)."""
    names = tuple(name for name, _ in problem.parameters)
    function = _compiled(tuple(dict(problem.symbols)[n] for n in names), problem.objective)
    return float(np.sum(function(*(given[n].value for n in names))))


def _evaluate(expression: sp.Expr, symbols: Mapping[str, sp.Symbol], at: Mapping[str, Tracked], name: str):
    """An entry-by-entry expression at the parameters, in the shape of parameter `name`."""
    used = [n for n in symbols if symbols[n] in expression.free_symbols and n != name]
    function = _compiled((symbols[name], *(symbols[n] for n in used)), expression)
    return function(at[name].value, *(at[n].value for n in used))


@cache
def _compiled(arguments: tuple[sp.Symbol, ...], expression: sp.Expr):
    return numpy_function(arguments, expression)


def _formula(expression: sp.Expr, symbols: Mapping[str, sp.Symbol], values: Mapping[str, Tracked],
             summed: bool = False) -> Formula:
    refs = tuple((symbols[n], Ref(values[n].id)) for n in symbols if symbols[n] in expression.free_symbols)
    return Formula(((r"\sum " if summed else ""), Expression(expression, symbols=refs)))
