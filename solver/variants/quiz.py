"""A quiz from an exercise file: the exercise itself, or its variants, as Moodle XML questions
asking for the steps its `ask` list names (solver/render/moodle.py)."""

from __future__ import annotations

from pathlib import Path

from solver.arguments import whole_number
from solver.engine import solve
from solver.engine.steps import Solution
from solver.errors import ExerciseError, SolverError
from solver.exercise import load_exercise
from solver.fields import describe, read_toml
from solver.limits import Limits
from solver.locate import locate
from solver.variants.make import MAX_COUNT, make_variants

MAX_ASKED = 50
MAX_BLANKS = 400
"""Blanks in one question: a hand exercise asks for a few vectors and matrices."""


def moodle_quiz(path: str | Path, variants: int | None = None, seed: int | None = None,
                precision: int | None = None, limits: Limits = Limits()) -> str:
    """Moodle XML with one question for the exercise at `path`, or one for each of `variants`
    variants drawn with `seed`; students give `precision` significant figures (default: the
    exercise's). ExerciseError when `ask` is missing or names a step the solution has not."""
    from solver.render.moodle import moodle_xml

    if precision is not None:
        precision = whole_number(precision, "precision", 1, 15, "a number of significant figures")
    if (variants is None) != (seed is None):
        raise SolverError("the variants need a seed to be drawn with" if seed is None else
                          "a seed draws variants: say how many", key="seed" if seed is None else "variants")
    if variants is not None:
        variants = whole_number(variants, "variants", 1, MAX_COUNT, "a count of variants")
    exercise = load_exercise(path, limits)
    data, text = read_toml(path, ExerciseError, "an exercise file")
    ask = read_ask(data, str(path), text, solve(exercise))
    if variants is None:
        solutions = [solve(exercise)]
    else:
        solutions = [variant.solution for variant in make_variants(path, variants, seed, limits)]
        for variant, solution in enumerate(solutions, 1):
            for step_id in ask:
                if step_id not in solution:
                    raise ExerciseError(f"variant {variant} has no step {step_id!r}: its draws change the steps",
                                        file=str(path), key="ask")
    return moodle_xml(solutions, ask, precision or exercise.precision, exercise.title)


def read_ask(data: dict, path: str, text: str | None, solution: Solution) -> tuple[str, ...]:
    """The step ids of `ask`, each one the solution computes; ExerciseError otherwise."""
    line = locate(text, "ask") if text is not None else None
    ask = data.get("ask")
    if ask is None:
        raise ExerciseError('no ask list: name the steps a quiz asks for, e.g. ask = ["a.x2", "a.W1_new"]',
                            file=path, key="ask")
    if not isinstance(ask, list) or not ask or len(ask) > MAX_ASKED:
        raise ExerciseError(f"expected a list of 1 to {MAX_ASKED} step ids, got {describe(ask)}", file=path,
                            key="ask", line=line)
    blanks = 0
    for index, step_id in enumerate(ask):
        key = f"ask[{index}]"
        if not isinstance(step_id, str):
            raise ExerciseError(f"expected a step id, got {describe(step_id)}", file=path, key=key, line=line)
        try:
            step = solution.step(step_id)
        except SolverError as error:
            raise ExerciseError(error.message, file=path, key=key, line=line) from None
        if step.section == "given":
            raise ExerciseError(f"{step_id!r} is given in the exercise; ask for a step the student computes",
                                file=path, key=key, line=line)
        blanks += step.value.size
    if blanks > MAX_BLANKS:
        raise ExerciseError(f"the asked steps have {blanks:,} numbers; a question has at most {MAX_BLANKS}",
                            file=path, key="ask", line=line)
    return tuple(dict.fromkeys(ask))
