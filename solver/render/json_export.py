"""Every step as JSON, values at full precision, for scripts and autograders."""

from __future__ import annotations

import json

from solver.engine.steps import Solution


def to_json(solution: Solution) -> str:
    exercise = solution.exercise
    document = {
        "title": exercise.title,
        "source": exercise.source,
        "description": exercise.description,
        "parts": [{"name": part.name, "title": part.title} for part in exercise.parts],
        "exercise": exercise.path,
        "kind": exercise.kind,
        "steps": [
            {
                "id": step.id,
                "part": step.part,
                "kind": step.kind,
                "symbol": step.symbol,
                "inputs": list(step.inputs),
                "shape": list(step.value.shape),
                "value": step.value.tolist(),
            }
            for step in solution.steps
        ],
    }
    return json.dumps(document, indent=2) + "\n"
