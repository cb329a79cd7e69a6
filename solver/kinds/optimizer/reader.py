"""The optimizer kind's part of an exercise file: parameter updates without a network.

    kind = "optimizer"
    steps = 2                          # updates, at the top level or per part
    objective = "w^2/2"                # or a [gradients] table: the same gradient at every step
    [parameters]
    w = [[0.5, -1.0], [2.0, 0.0]]      # a number, a list (a column) or a list of rows
    [optimizer]
    name = "adam"                      # and the keys of README "Optimisers"
    learning_rate = 0.1
    [state]                            # optional: where the optimiser stands
    t = 5                              # updates already done
    [state.w]
    first_moment = [[…]]               # velocity, square_sum, square_average, first_moment, second_moment

The objective is a scalar expression in the parameters' names, applied entry by entry: for a
matrix w, f = Σ_ij f(w_ij), and its gradient ∂f/∂w is derived by SymPy and evaluated entry by entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from solver.arrays import read_only
from solver.conventions import Conventions, read_conventions
from solver.exercise import PART_HEADER_KEYS, parts_tables, read_part_header
from solver.fields import FieldReader, describe, join
from solver.limits import Limits
from solver.symbolic.expressions import ExpressionError, parse_expression
from solver.symbolic.optimizers import STATES
from solver.training import Clipping, Optimizer, read_clipping, read_optimizer

KEYS = frozenset({"parameters", "gradients", "objective", "optimizer", "state", "steps", "clipping", "conventions",
                  "detail", "parts"})
PART_KEYS = PART_HEADER_KEYS | {"steps", "optimizer", "clipping", "conventions", "detail", "state"}
DETAILS = ("first", "all", "summary")
RESERVED = {"f", "iteration", "norm", "t", "e", "pi"}


@dataclass(frozen=True)
class Problem:
    """The parameters (name, starting value) in the order written; the gradient, as a constant per
    parameter or derived from the objective; and the optimiser state the first part starts from."""

    parameters: tuple[tuple[str, np.ndarray], ...]
    gradients: tuple[tuple[str, np.ndarray], ...] = ()
    objective: sp.Expr | None = None
    symbols: tuple[tuple[str, sp.Symbol], ...] = ()
    state: tuple[tuple[str, tuple[tuple[str, np.ndarray], ...]], ...] = ()
    updates_done: int = 0

    def gradient_of(self, name: str) -> sp.Expr:
        """∂f/∂name, derived from the objective."""
        return sp.diff(self.objective, dict(self.symbols)[name])


@dataclass(frozen=True)
class Part:
    name: str
    title: str
    start: str
    steps: int
    optimizer: Optimizer
    clipping: Clipping | None
    conventions: Conventions
    detail: str = "first"
    state: Problem | None = None  # a part's own starting state (and t), in place of the one it starts from


def read_optimizer_problem(read: FieldReader, data: dict, limits: Limits) -> tuple[Problem, tuple[Part, ...]]:
    """The problem and the parts of an optimizer exercise, from the file's tables other than the header."""
    parameters = _parameters(read, data.get("parameters"), limits)
    problem = _gradients(read, data, parameters)
    problem = _state(read, data.get("state", {}), problem, "state")
    conventions = read_conventions(read, data.get("conventions", {}), "conventions", Conventions())
    if "optimizer" not in data:
        raise read.error("optimizer", "missing; expected an [optimizer] table with name = \"sgd\", \"momentum\", "
                                      "\"nesterov\", \"adagrad\", \"rmsprop\" or \"adam\"")
    optimizer = read_optimizer(read, data["optimizer"], "optimizer")
    if optimizer.learning_rate is None:
        raise read.error("optimizer.learning_rate", "missing; expected the learning rate η, such as 0.1")
    defaults = Part("", "", "initial", read.integer(data, "steps", "", 1, maximum=limits.steps), optimizer,
                    read_clipping(read, data["clipping"], "clipping") if "clipping" in data else None, conventions,
                    read.choice(data, "detail", "", DETAILS, "first"))
    parts_data = parts_tables(read, data)
    parts: list[Part] = []
    for index, part_data in enumerate(parts_data):
        parts.append(_part(read, part_data, index, parts[-1] if parts else defaults, [p.name for p in parts], limits,
                           problem))
    _check_states(read, parts[0].optimizer, problem, "state")
    return problem, tuple(parts)


def _parameters(read: FieldReader, data: Any, limits: Limits) -> tuple[tuple[str, np.ndarray], ...]:
    if data is None:
        raise read.error("parameters", "missing; expected a [parameters] table such as w = [[1, 2], [3, 4]]")
    if not isinstance(data, dict) or not data:
        raise read.error("parameters", f"expected a table of one or more named values, got {describe(data)}")
    parameters = []
    for name, value in data.items():
        if not (name.isascii() and name.isalnum() and name[0].isalpha() and len(name) <= 12):
            raise read.error(f"parameters.{name}", "expected a name of letters and digits (at most 12), "
                                                   "starting with a letter, such as w, b2 or theta")
        if name in RESERVED or (name[0] == "d" and name[1:] in data):
            raise read.error(f"parameters.{name}", f"{name!r} names a step of the solution (f is the objective, "
                                                   "dw the gradient of w); expected another name")
        parameters.append((name, _array(read, value, f"parameters.{name}")))
    if sum(value.size for _, value in parameters) > limits.parameters:
        raise read.error("parameters", f"more than the limit of {limits.parameters:,} numbers; raise it with "
                                       "--max-parameters")
    return tuple(parameters)


def _array(read: FieldReader, value: Any, key: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """A number, a list of numbers (a column) or a list of equal rows; `shape`, when given, is required."""
    if isinstance(value, list) and value and all(isinstance(row, list) for row in value):
        columns = len(value[0])
        if columns == 0 or any(len(row) != columns for row in value):
            raise read.error(key, f"expected a list of rows of equal length, got {describe(value)}")
        array = read_only([[read.number(v, f"{key}[{i}][{j}]") for j, v in enumerate(row)]
                           for i, row in enumerate(value)])
    elif isinstance(value, list) and value:
        array = read_only([[read.number(v, f"{key}[{i}]")] for i, v in enumerate(value)])
    else:
        array = read_only(np.array(read.number(value, key)))
    if shape is not None and array.shape != shape:
        raise read.error(key, f"expected the shape of its parameter, {_shape(shape)}, got {_shape(array.shape)}")
    return array


def _shape(shape: tuple[int, ...]) -> str:
    return "a number" if not shape else "×".join(map(str, shape))


def _gradients(read: FieldReader, data: dict, parameters) -> Problem:
    names = dict(parameters)
    if ("gradients" in data) == ("objective" in data):
        raise read.error("objective", "expected either objective = \"…\" (the function to minimise, in the "
                                      "parameters' names) or a [gradients] table, and not both")
    if "gradients" in data:
        given = read.table(data["gradients"], "gradients", set(names))
        missing = [name for name in names if name not in given]
        if missing:
            raise read.error(f"gradients.{missing[0]}", "missing; every parameter needs its gradient")
        return Problem(parameters, tuple((name, _array(read, given[name], f"gradients.{name}", names[name].shape))
                                         for name in names))
    symbols = {name: sp.Symbol(name, real=True) for name in names}
    text = read.text(data, "objective", "")
    try:
        objective = parse_expression(text, symbols)
    except ExpressionError as problem:
        raise read.error("objective", problem.message) from None
    problem = Problem(parameters, objective=objective, symbols=tuple(symbols.items()))
    for name, value in parameters:
        used = problem.gradient_of(name).free_symbols
        try:
            shape = np.broadcast_shapes(value.shape, *(names[s.name].shape for s in used))
        except ValueError:
            shape = None
        if shape != value.shape:
            raise read.error("objective", f"∂f/∂{name} combines parameters whose shapes do not fit {name}'s "
                                          f"({_shape(value.shape)}); the objective is applied entry by entry")
    return problem


def _state(read: FieldReader, data: Any, problem: Problem, where: str) -> Problem:
    """`problem` with the optimiser state of the table `where` (per parameter, and t)."""
    names = dict(problem.parameters)
    read.table(data, where, {"t", *names})
    per_parameter = []
    for name in names:
        if name not in data:
            continue
        given = read.table(data[name], f"{where}.{name}", set(STATES))
        per_parameter.append((name, tuple((state, _array(read, value, f"{where}.{name}.{state}", names[name].shape))
                                          for state, value in given.items())))
    return Problem(problem.parameters, problem.gradients, problem.objective, problem.symbols, tuple(per_parameter),
                   read.integer(data, "t", where, 0, minimum=0, maximum=10**6))


def _check_states(read: FieldReader, optimizer: Optimizer, state: Problem, where: str) -> None:
    """Every given state is one the optimiser keeps."""
    kept = {s.name for s in optimizer.rule().states}
    for name, states in state.state:
        for given, _ in states:
            if given not in kept:
                raise read.error(f"{where}.{name}.{given}", f"{optimizer.name} keeps {', '.join(sorted(kept)) or 'no state'}; "
                                                            "expected one of those")


def _part(read: FieldReader, data: Any, index: int, inherited: Part, earlier: list[str], limits: Limits,
          problem: Problem) -> Part:
    where = f"parts[{index}]"
    read.table(data, where, PART_KEYS)
    header = read_part_header(read, data, index, earlier)
    optimizer = inherited.optimizer
    if "optimizer" in data:
        optimizer = read_optimizer(read, data["optimizer"], join(where, "optimizer"), inherited.optimizer)
    clipping = read_clipping(read, data["clipping"], join(where, "clipping")) if "clipping" in data else inherited.clipping
    conventions = inherited.conventions
    if "conventions" in data:
        conventions = read_conventions(read, data["conventions"], f"{where}.conventions", conventions)
    state = None
    if "state" in data:
        state = _state(read, data["state"], problem, f"{where}.state")
        _check_states(read, optimizer, state, f"{where}.state")
    return Part(header.name, header.title, header.start,
                read.integer(data, "steps", where, inherited.steps, maximum=limits.steps), optimizer, clipping,
                conventions, read.choice(data, "detail", where, DETAILS, inherited.detail), state)

