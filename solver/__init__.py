"""byhand: neural-network exercises worked step by step, as a careful person writes them by hand.

    >>> import solver
    >>> solution = solver.solve("mlp-5-3-2-sigmoid")
    >>> solution["a.x1"]            # any step by id, as a NumPy array
    >>> print(solution.render("md"))  # or "tex", "json"
"""

from solver.api import find_exercise, list_exercises, load, solve
from solver.engine.steps import Solution, Step
from solver.errors import ExerciseError, SolverError
from solver.exercise import Exercise, load_exercise
from solver.render import render

__all__ = [
    "Exercise",
    "ExerciseError",
    "Solution",
    "SolverError",
    "Step",
    "find_exercise",
    "list_exercises",
    "load",
    "load_exercise",
    "render",
    "solve",
]
