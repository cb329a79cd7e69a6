"""byhand: neural-network exercises worked step by step, as a careful person writes them by hand.

    >>> import solver
    >>> solution = solver.solve("mlp-5-3-2-sigmoid")
    >>> solution["a.x1"]            # any step by id, as a NumPy array
    >>> print(solution.render("md"))  # or "tex", "html", "json"; "pdf" gives bytes
    >>> report = solver.check_answers("mlp-5-3-2-sigmoid", "my-answers.toml")
    >>> print(report.render("text")); report.exit_status
    >>> solver.make_variants("mlp-5-3-2-sigmoid", count=3, seed=1)     # versions with other numbers; seed is required
    >>> xml = solver.moodle_quiz("mlp-5-3-2-sigmoid", variants=3, seed=1)
"""

from solver.api import check_answers, find_exercise, list_exercises, load, make_variants, moodle_quiz, solve, template
from solver.engine.steps import Solution, Step
from solver.errors import ExerciseError, SolverError
from solver.exercise import Exercise, load_exercise
from solver.render import render

_LAZY = {"load_answers": "solver.check", "derive_activation": "solver.derive", "derive_delta": "solver.derive",
         "render_derivations": "solver.derive"}
"""Imported when first used (PEP 562): `byhand solve` loads neither the checker nor the derivations."""


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_LAZY[name]), name)


__all__ = [
    "Exercise",
    "ExerciseError",
    "Solution",
    "SolverError",
    "Step",
    "check_answers",
    "derive_activation",
    "derive_delta",
    "find_exercise",
    "list_exercises",
    "load",
    "load_answers",
    "load_exercise",
    "make_variants",
    "moodle_quiz",
    "render",
    "render_derivations",
    "solve",
    "template",
]
