"""The public functions: load an exercise, solve it, render the solution."""

from __future__ import annotations

from pathlib import Path

from solver.arguments import instance, real_number, reference, whole_number
from solver.engine import solve as _solve
from solver.engine.steps import Solution
from solver.errors import ExerciseError, SolverError
from solver.exercise import Exercise, load_exercise
from solver.limits import Limits
from solver.resources import exercises_dir, shipped_exercises


def find_exercise(name: str | Path) -> Path:
    """`name` as a path when it exists. Otherwise, when `name` is a bare name or ``exercises/NAME``
    (with or without .toml), the shipped exercise of that name, so that the commands in the README
    work from any directory. ExerciseError when there is neither."""
    path = Path(reference(name, "exercise", "an exercise file's path or a shipped exercise's name"))
    if _exists(path):
        return path
    if path.parent in (Path("."), Path("exercises")):
        for candidate in (exercises_dir() / path.name, exercises_dir() / f"{path.name}.toml"):
            if _exists(candidate, as_file=True):
                return candidate
    raise ExerciseError("file not found (and no shipped exercise has that name; see `byhand list`)", file=str(name))


def _exists(path: Path, as_file: bool = False) -> bool:
    """Whether `path` exists (as a regular file); False where the file system cannot even look, as
    for a name longer than it allows."""
    try:
        return path.is_file() if as_file else path.exists()
    except OSError:
        return False


def load(name: str | Path, limits: Limits = Limits()) -> Exercise:
    """Load an exercise file, or a shipped exercise by name such as "mlp-5-3-2-sigmoid"."""
    return load_exercise(find_exercise(name), _limits(limits))


def _exercise(exercise: Exercise | str | Path, limits: Limits) -> Exercise:
    """An Exercise as given, or loaded from a path or a shipped name."""
    _limits(limits)
    return exercise if isinstance(exercise, Exercise) else load(exercise, limits)


def solve(exercise: Exercise | str | Path, limits: Limits = Limits()) -> Solution:
    """The worked solution: every step, in order. Accepts an Exercise, a path or a shipped name."""
    return _solve(_exercise(exercise, limits))


def list_exercises() -> list[tuple[str, str]]:
    """(name, title) of every shipped exercise."""
    return [(path.stem, load_exercise(path).title) for path in shipped_exercises()]


def check_answers(exercise: Exercise | str | Path, answers, *, rtol: float | None = None,
                  sigfigs: int | None = None, limits: Limits = Limits()):
    """Judge a student's answers (a path, or an Answers) against the exercise's solution.

    Tolerance comes from the digits written unless `rtol` or `sigfigs` is given."""
    from solver.check import Answers, check, load_answers

    tolerance = _tolerance(rtol, sigfigs)
    if not isinstance(answers, Answers):
        answers = load_answers(reference(answers, "answers", "an answers file's path or an Answers"), _limits(limits))
    return check(_exercise(exercise, limits), answers, tolerance)


def template(exercise: Exercise | str | Path, limits: Limits = Limits()) -> str:
    """A blank answers file for the exercise: every computed step id in sheet order."""
    from solver.check import answers_template

    name = exercise.path if isinstance(exercise, Exercise) else str(exercise)
    return answers_template(_solve(_exercise(exercise, limits)), name)


def make_variants(exercise: str | Path, count: int, seed: int, limits: Limits = Limits()):
    """`count` variants of an exercise file with a `[variants]` table, drawn with `seed`: each a
    Variant with its TOML text, Exercise and Solution (solver/variants/)."""
    from solver.variants.make import make_variants as make

    return make(find_exercise(exercise), count, seed, _limits(limits))


def moodle_quiz(exercise: str | Path, *, variants: int | None = None, seed: int | None = None,
                precision: int | None = None, limits: Limits = Limits()) -> str:
    """Moodle XML: one Cloze question for the exercise, or one per variant (`variants` drawn
    with `seed`), asking for the steps of its `ask` list (solver/render/moodle.py)."""
    from solver.variants.quiz import moodle_quiz as quiz

    return quiz(find_exercise(exercise), variants, seed, precision, _limits(limits))


def _limits(limits: object) -> Limits:
    return instance(limits, "limits", Limits, "a solver.limits.Limits")


def _tolerance(rtol: float | None, sigfigs: int | None):
    from solver.check import Tolerance

    if rtol is not None and sigfigs is not None:
        raise SolverError("give rtol or sigfigs, not both", key="sigfigs")
    if rtol is not None:
        rtol = real_number(rtol, "rtol", 0.0, 1.0, "a relative tolerance")
    if sigfigs is not None:
        sigfigs = whole_number(sigfigs, "sigfigs", 1, 15, "a number of significant figures")
    return Tolerance(rtol=rtol, sigfigs=sigfigs)
