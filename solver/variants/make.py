"""Variants of an exercise: numbers drawn from its `[variants]` table, each variant a complete
exercise file checked by its kind's reader and worked by its engine.

A variant's file is the exercise's data with the drawn values in place, written back as TOML
(solver/variants/toml_writer.py), which reads back as the same data: what is solved is exactly
what the file says. Its title ends in "— variant N"; its description is `[variants].description`
when the table gives one; the `[variants]` table itself is left out (a variant is one exercise,
not a recipe) and `ask` is kept. One generator runs through all variants, so the first 3 of `--count 200` are the 3
of `--count 3` with the same seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from solver.arguments import whole_number
from solver.engine import solve
from solver.engine.steps import Solution
from solver.errors import ExerciseError, NumericError
from solver.exercise import Exercise, load_exercise, parse_exercise
from solver.fields import read_toml
from solver.limits import Limits
from solver.text import one_line
from solver.variants.conditions import CONDITIONS
from solver.variants.draw import draw
from solver.variants.paths import replaced
from solver.variants.spec import TABLE, VariantSpec, read_spec
from solver.variants.toml_writer import dumps

MAX_COUNT = 10_000
FIRST_TRIES = 50
"""Draws tried before the conditions are declared unmet when none of them met them: a spec
whose conditions no draw can meet is refused in a fraction of a second."""
TRIES_PER_VARIANT = 100
"""Draws tried in all, per variant asked, before strict conditions are declared too strict."""


@dataclass(frozen=True)
class Variant:
    """One drawn exercise: `name` is its file name without .toml, `text` its TOML file."""

    number: int
    name: str
    text: str
    exercise: Exercise
    solution: Solution


def make_variants(path: str | Path, count: int, seed: int, limits: Limits = Limits(),
                  progress: Callable[[int, int], None] | None = None) -> tuple[Variant, ...]:
    """`count` variants of the exercise file at `path`, drawn with `seed`; `progress(done,
    count)` is called after each. ExerciseError when the spec is wrong, or its conditions reject
    the first FIRST_TRIES draws, or more than TRIES_PER_VARIANT × count draws in all."""
    count = whole_number(count, "count", 1, MAX_COUNT, "a count")
    seed = whole_number(seed, "seed", 0, what="a seed")
    load_exercise(path, limits)  # the exercise itself first: its errors point at its own lines
    data, text = read_toml(path, ExerciseError, "an exercise file")
    spec = read_spec(data, str(path), text)
    rng = random.Random(seed)
    stem, width = Path(path).stem, max(3, len(str(count)))
    origin = f"{Path(path).name} with seed {seed}"
    variants: list[Variant] = []
    tries = 0
    while len(variants) < count:
        tries += 1
        if (tries > FIRST_TRIES and not variants) or tries > TRIES_PER_VARIANT * count:
            raise ExerciseError(_too_strict(spec, tries - 1, len(variants), count), file=str(path),
                                key=f"{TABLE}.conditions", line=spec.line)
        number = len(variants) + 1
        name = f"{stem}-v{number:0{width}d}"
        variant = _draw_one(data, spec, rng, name, number, origin, limits, str(path))
        if variant is not None:
            variants.append(variant)
            if progress is not None:
                progress(number, count)
    return tuple(variants)


def _draw_one(data: dict, spec: VariantSpec, rng: random.Random, name: str, number: int, origin: str,
              limits: Limits, source: str) -> Variant | None:
    """Variant `number` from one draw, or None when the draw does not meet the conditions."""
    variant = _data(data, spec, draw(spec, rng), number)
    try:
        exercise = parse_exercise(variant, f"{name}.toml", None, limits)
    except ExerciseError as error:
        # blame the rule that drew the value refused, else the table
        rule = next((rule for rule in spec.rules if (error.key or "").startswith(rule.path)), None)
        key, line = (f'{TABLE}."{rule.path}"', rule.line) if rule else (TABLE, spec.line)
        raise ExerciseError(f"variant {number} is not a valid exercise: {error.key}: {error.message}",
                            file=source, key=key, line=line) from None
    try:
        solution = solve(exercise)
    except NumericError as error:
        if "finite" in spec.conditions:
            return None
        raise ExerciseError(f"variant {number} is not finite at {error.key}: {error.message} (add \"finite\" to the "
                            "conditions to draw it again instead)", file=source, key=TABLE, line=spec.line) from None
    if not all(CONDITIONS[condition](solution) for condition in spec.conditions):
        return None
    # the file is written from the same data (tomllib reads back what dumps writes: tested)
    return Variant(number, name, _header(number, origin) + dumps(variant), exercise, solution)


def _too_strict(spec: VariantSpec, tries: int, made: int, count: int) -> str:
    conditions = ", ".join(spec.conditions)
    if not made:
        return f"no draw met the conditions ({conditions}) in {tries} tries; widen the ranges or drop a condition"
    return (f"only {made} of {count} variants met the conditions ({conditions}) in {tries:,} tries; widen the "
            "ranges or drop a condition")


def _data(data: dict, spec: VariantSpec, values: dict, number: int) -> dict:
    variant = replaced({key: value for key, value in data.items() if key != TABLE}, values)
    variant["title"] = f"{data.get('title', 'Untitled exercise')} — variant {number}"
    if spec.description is not None:
        variant["description"] = spec.description
    return variant


def _header(number: int, origin: str) -> str:
    return (f"# Variant {number} of {one_line(origin, 200)}, drawn by `byhand variants`.\n"
            f"# Its numbers come from that exercise's [{TABLE}] table, which is left out here.\n\n")
