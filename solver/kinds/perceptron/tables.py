"""The perceptron sheet in the compact form a hand solution has: one table per epoch, one row per
sample (x, t, s, y, e, the change η e x and the weights after it), and a table of the epochs.
Also the answers template, which lists the first epoch only, so that it does not give away how
many epochs the run takes. The step ids are the engine's; only how they are written changes."""

from __future__ import annotations

import re

import numpy as np

from solver.engine.steps import Solution, Step
from solver.exercise import Exercise
from solver.kinds.perceptron.engine import augmented
from solver.kinds.perceptron.reader import Part, Samples
from solver.render.format import NumberFormat, number
from solver.render.view import Table

_SAMPLE = re.compile(r"e(\d+)\.s(\d+)")
_EPOCH = re.compile(r"e(\d+)")


def epoch_table(exercise: Exercise, part: Part, group: str, steps: list[Step], style: NumberFormat) -> Table | None:
    """Epoch `group` ("e2") as one table, one row per sample; None for any other group."""
    epoch = _EPOCH.fullmatch(group)
    if epoch is None:
        return None
    samples: Samples = exercise.setup
    separate = samples.bias == "b"
    columns = augmented(samples) if not separate else samples.x
    by_name = {(step.group, step.id.rpartition(".")[2]): step for step in steps}
    rows = []
    for step in steps:
        sample = _SAMPLE.fullmatch(step.group)
        if sample is None or step.id.rpartition(".")[2] != "net":
            continue
        i = int(sample.group(2))
        k = (int(epoch.group(1)) - 1) * samples.count + i
        value = {name: by_name[(step.group, name)].value for name in ("net", "y", "error", "w_new", "b_new")
                 if (step.group, name) in by_name}
        change = part.learning_rate * float(value["error"]) * columns[:, i - 1]
        row = [str(k), str(i), _vector(columns[:, i - 1], style), number(samples.t[i - 1, 0], style),
               number(value["net"], style), number(value["y"], style), number(value["error"], style),
               _vector(change, style)]
        if separate:
            row.append(number(part.learning_rate * float(value["error"]), style))
        row.append(_vector(value["w_new"].ravel(), style))
        if separate:
            row.append(number(value["b_new"], style))
        rows.append(tuple(row))
    updates = next((int(step.value) for step in steps if step.id.rpartition(".")[2] == "updates"), 0)
    x = r"\mathbf{x}^{(i)}"
    headers = ["k", "i", x, "t^{(i)}", "s", "y", "e", rf"\eta\, e\, {x}"]
    headers += [r"\eta\, e", r"\mathbf{w}_{k}", "b_{k}"] if separate else [r"\mathbf{w}_{k}"]
    title = f"{updates} of the {samples.count} samples changed the weights"
    return Table(tuple(headers), tuple(rows), title)


def epochs_table(exercise: Exercise, part: Part, steps: list[Step], style: NumberFormat) -> Table | None:
    """One row per epoch: how many samples updated the weights, and the weights after it."""
    separate = exercise.setup.bias == "b"
    last: dict[str, Step] = {}
    rows = []
    for step in steps:
        sample = _SAMPLE.fullmatch(step.group)
        if sample is not None:
            last[step.id.rpartition(".")[2]] = step
        elif _EPOCH.fullmatch(step.group) and step.id.endswith(".updates"):
            row = [step.group[1:], number(step.value, style), _vector(last["w_new"].value.ravel(), style)]
            rows.append(tuple(row + ([number(last["b_new"].value, style)] if separate else [])))
    if not rows:
        return None
    headers = (r"\text{epoch}", r"\text{updates}", r"\mathbf{w}") + ((r"b",) if separate else ())
    return Table(headers, tuple(rows), "Per epoch: the weights after it")


def answer_template(solution: Solution) -> tuple[Step | str, ...]:
    """Every step but those of epoch 2 on, which a comment names: the template is the same size
    whether the run takes 2 epochs or 20."""
    items: list[Step | str] = []
    previous: tuple[str, int | None] = ("", None)
    for step in solution.steps:
        epoch = _epoch_of(step.group)
        if previous == (step.part, 1) and epoch != 1:
            items += [f"Epochs 2, 3, …: the same ids with e2, e3, … (\"{step.part}.e2.s1.net\", …),",
                      "for as many epochs as your run takes; it stops after an epoch without an update."]
        previous = (step.part, epoch)
        if epoch is None or epoch == 1:
            items.append(step)
    return tuple(items)


def _epoch_of(group: str) -> int | None:
    found = _EPOCH.match(group)
    return int(found.group(1)) if found and (len(found.group(0)) == len(group) or group[found.end()] == ".") \
        else None


def _vector(values, style: NumberFormat) -> str:
    return "(" + ", ".join(number(float(v), style) for v in np.ravel(values)) + ")"
