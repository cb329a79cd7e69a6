"""Every step as JSON, values at full precision, for scripts and autograders.

The document is indented for reading, each step on one line of its own: the value of a large
matrix as a nested list on that line. (Indenting every number would make Python's JSON encoder
fall back from C to Python, several times slower on a sheet of millions of values.)
A step computed exactly (solver/exact.py) also has "exact": its fractions as text, "1/2".
"""

from __future__ import annotations

import json

from solver.engine.steps import Solution, Step
from solver.kinds import kind
from solver.render.format import plain_nested


def to_json(solution: Solution) -> str:
    exercise = solution.exercise
    header = {
        "title": exercise.title,
        "source": exercise.source,
        "description": exercise.description,
        "parts": [_part(part) for part in exercise.parts],
        "exercise": exercise.path,
        "kind": exercise.kind,
    }
    # what the kind adds for a program to read its steps (k-NN's class names); never the header's own keys
    header.update({key: value for key, value in kind(exercise.kind).json_header(exercise).items() if key not in header})
    steps = [json.dumps(_step(step)) for step in solution.steps]
    opening = json.dumps(header, indent=2)[:-2]  # without the closing "\n}"
    return opening + ',\n  "steps": [\n    ' + ",\n    ".join(steps) + "\n  ]\n}\n"


def _part(part) -> dict:
    """A part's name and title, and its textbook rounding (solver/rounding.py) when it has one:
    "rounding": {"activation": {"decimals": 3}, …}; its steps' values are the rounded ones."""
    record = {"name": part.name, "title": part.title}
    rounding = getattr(part.conventions, "rounding", None)
    if rounding:
        record["rounding"] = rounding.as_data()
    return record


def _step(step: Step) -> dict:
    """A step's record; a step computed exactly also has "exact", its value as fractions in
    plain text ("1/2", "-3", in the nested shape of "value")."""
    record = {
        "id": step.id,
        "part": step.part,
        "kind": step.kind,
        "symbol": step.symbol,
        "inputs": list(step.inputs),
        "shape": list(step.value.shape),
        "value": step.value.tolist(),
    }
    if step.exact is not None:
        record["exact"] = plain_nested(step.exact)
    return record
