"""Variants of an exercise: numbers drawn from its `[variants]` table, each variant a complete
exercise file checked by its kind's reader and worked by its engine.

A variant's file is the exercise's data with the drawn values in place, written back as TOML
(solver/variants/toml_writer.py) and read again, so that what is solved is exactly what the file
says. Its title ends in "— variant N"; its description is `[variants].description` when the table
gives one; the `[variants]` table itself is left out (a variant is one exercise, not a recipe) and
`ask` is kept. One generator runs through all variants, so the first 3 of `--count 200` are the 3
of `--count 3` with the same seed.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from solver.engine import solve
from solver.engine.steps import Solution
from solver.errors import ExerciseError, NumericError, SolverError
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
TRIES = 100
"""Draws tried for one variant before the conditions are declared too strict."""


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
    count)` is called after each. ExerciseError when the spec is wrong or its conditions reject
    TRIES draws in a row."""
    if not 1 <= count <= MAX_COUNT:
        raise SolverError(f"expected a count from 1 to {MAX_COUNT:,}, got {count}", key="--count")
    if seed < 0:
        raise SolverError(f"expected a seed of 0 or more, got {seed}", key="--seed")
    load_exercise(path, limits)  # the exercise itself first: its errors point at its own lines
    data, text = read_toml(path, ExerciseError, "an exercise file")
    spec = read_spec(data, str(path), text)
    rng = random.Random(seed)
    stem, width = Path(path).stem, max(3, len(str(count)))
    variants = []
    for number in range(1, count + 1):
        name = f"{stem}-v{number:0{width}d}"
        variants.append(_one_variant(data, spec, rng, name, number, f"{Path(path).name} with seed {seed}", limits,
                                     str(path)))
        if progress is not None:
            progress(number, count)
    return tuple(variants)


def _one_variant(data: dict, spec: VariantSpec, rng: random.Random, name: str, number: int, origin: str,
                 limits: Limits, source: str) -> Variant:
    for _ in range(TRIES):
        variant = _data(data, spec, draw(spec, rng), number)
        text = _header(number, origin) + dumps(variant)
        try:
            exercise = parse_exercise(tomllib.loads(text), f"{name}.toml", text, limits)
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
                continue
            raise ExerciseError(f"variant {number} overflows at {error.key} (add \"finite\" to the conditions to "
                                "draw it again instead)", file=source, key=TABLE) from None
        if all(CONDITIONS[condition](solution) for condition in spec.conditions):
            return Variant(number, name, text, exercise, solution)
    raise ExerciseError(f"no draw met the conditions ({', '.join(spec.conditions)}) in {TRIES} tries for variant "
                        f"{number}; widen the ranges or drop a condition", file=source, key=f"{TABLE}.conditions",
                        line=spec.line)


def _data(data: dict, spec: VariantSpec, values: dict, number: int) -> dict:
    variant = replaced({key: value for key, value in data.items() if key != TABLE}, values)
    variant["title"] = f"{data.get('title', 'Untitled exercise')} — variant {number}"
    if spec.description is not None:
        variant["description"] = spec.description
    return variant


def _header(number: int, origin: str) -> str:
    return (f"# Variant {number} of {one_line(origin, 200)}, drawn by `byhand variants`.\n"
            f"# Its numbers come from that exercise's [{TABLE}] table, which is left out here.\n\n")
