"""What an optimizer sheet says around the steps: the parameters, where the gradient comes from,
and how each part updates them. Math between $…$, numbers written by solver/render/format.py."""

from __future__ import annotations

from solver.conventions import Conventions
from solver.exercise import Exercise
from solver.formula import Expression
from solver.kinds.optimizer.engine import symbol
from solver.kinds.optimizer.reader import Part, Problem
from solver.render.format import NumberFormat
from solver.render.formula_latex import expression
from solver.render.training import clipping_fact, optimizer_fact

SETUP_HEADING = "The problem"


def problem_facts(exercise: Exercise, style: NumberFormat) -> tuple[str, ...]:
    problem: Problem = exercise.setup
    shapes = ", ".join(f"${symbol(name)}$ ({_shape(value.shape)})" for name, value in problem.parameters)
    facts = [f"Parameters: {shapes}; their starting values are given in the first update."]
    if problem.objective is None:
        facts.append("The gradient of each parameter is given, and is the same at every update.")
    else:
        scalar = all(value.size == 1 for _, value in problem.parameters)
        entrywise = "" if scalar else " applied entry by entry (for a matrix $w$, $f = \\sum_{ij} f(w_{ij})$)"
        facts.append(f"Objective: $f = {_latex(problem.objective)}${entrywise}.")
        gradients = ", ".join(rf"$\frac{{\partial f}}{{\partial {symbol(name)}}} = {_latex(problem.gradient_of(name))}$"
                              for name, _ in problem.parameters)
        facts.append(f"Its gradient, derived by SymPy: {gradients}.")
    if problem.updates_done or problem.state:
        facts.append(f"The optimiser has already made $t = {problem.updates_done}$ updates"
                     + ("; its state is given." if problem.state else "."))
    return tuple(facts)


def convention_facts(conventions: Conventions) -> tuple[str, ...]:
    return ("Products and powers of vectors and matrices are entry by entry ($\\circ$); the square root too.",)


def part_facts(exercise: Exercise, part: Part, style: NumberFormat) -> tuple[str, ...]:
    facts = ["Starts from the parameters and optimiser state at the end of the previous part."
             if part.start == "previous" else "Starts from the given parameters and optimiser state.",
             f"{part.steps} update{'s' if part.steps > 1 else ''}.",
             optimizer_fact(part.optimizer, part.optimizer.learning_rate, part.conventions.notation.rate, style)]
    if part.clipping is not None:
        facts.append(clipping_fact(part.clipping, style))
    return tuple(facts)


def derived_blocks(exercise: Exercise, part: Part) -> tuple:
    return ()


def _latex(expr) -> str:
    return expression(Expression(expr, elementwise=False), {})


def _shape(shape: tuple[int, ...]) -> str:
    if not shape:
        return "a number"
    if len(shape) == 2 and shape[1] == 1:
        return f"a column of {shape[0]}"
    return "×".join(map(str, shape))
