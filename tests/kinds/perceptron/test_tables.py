"""The perceptron's compact sheet (a table per epoch), its answers template (the first epoch only)
and the recorded separability: every number from a plain loop of the rule written here."""

from __future__ import annotations

import json
import tomllib
from itertools import product

import pytest

import solver
from solver.check import check, parse_answers
from tests.conftest import EXERCISES, OUTPUT


def plain_run(inputs, targets, eta, low, separate):
    """The rule by hand: rows (k, i, x, t, s, y, e, Δw, w[, Δb, b]) of every epoch, until one has no update."""
    w = [0.0] * (len(inputs[0]) + (0 if separate else 1))
    b = 0.0
    epochs, k = [], 0
    while True:
        rows, updates = [], 0
        for i, (x, t) in enumerate(zip(inputs, targets), 1):
            k += 1
            xs = list(x) if separate else [1, *x]
            s = sum(wj * xj for wj, xj in zip(w, xs)) + (b if separate else 0)
            y = 1 if s > 0 else low
            e = t - y
            change = [eta * e * xj for xj in xs]
            w = [wj + c for wj, c in zip(w, change)]
            b += eta * e if separate else 0
            updates += e != 0
            rows.append((k, i, xs, t, s, y, e, change, list(w), eta * e, b))
        epochs.append((updates, rows))
        if updates == 0:
            return epochs


def g(v) -> str:
    return f"{v + 0.0:g}"  # -0.0 + 0.0 is 0.0: a sheet writes 0


def vec(values) -> str:
    return "(" + ", ".join(g(v) for v in values) + ")"


def row_text(row, separate) -> str:
    k, i, xs, t, s, y, e, change, w, db, b = row
    cells = [g(k), g(i), vec(xs), g(t), g(s), g(y), g(e), vec(change)]
    cells += [g(db), vec(w), g(b)] if separate else [vec(w)]
    return "| " + "".join(f"${cell}$ | " for cell in cells)


@pytest.mark.parametrize("name,inputs,targets,eta,low,separate", [
    ("perceptron-and-gate", list(product((0, 1), repeat=2)), [0, 0, 0, 1], 1, 0, False),
    ("perceptron-or-gate", list(product((0, 1), repeat=2)), [0, 1, 1, 1], 1, 0, False),
    ("perceptron-majority-3", list(product((0, 1), repeat=3)), [1 if sum(x) >= 2 else -1 for x in
                                                                 product((0, 1), repeat=3)], 0.5, -1, True),
])
def test_each_epoch_is_a_table_of_the_rule(name, inputs, targets, eta, low, separate):
    sheet = (OUTPUT / f"{name}.md").read_text()
    epochs = plain_run(inputs, targets, eta, low, separate)
    for number, (updates, rows) in enumerate(epochs, 1):
        assert f"### Epoch {number}\n\n**{updates} of the {len(inputs)} samples changed the weights**" in sheet
        for row in rows:
            assert row_text(row, separate) + "\n" in sheet, row_text(row, separate)
    assert f"### Epoch {len(epochs) + 1}\n" not in sheet


def test_the_sheets_are_short():
    lines = {name: (OUTPUT / f"{name}.md").read_text().count("\n")
             for name in ("perceptron-and-gate", "perceptron-majority-3", "perceptron-or-gate")}
    assert lines["perceptron-and-gate"] < 300 and lines["perceptron-majority-3"] < 500, lines


def test_the_template_does_not_give_the_epochs_away():
    # AND takes 6 epochs and OR 4 (plain_run): their templates list the same steps, epoch 1's only
    assert len(plain_run(list(product((0, 1), repeat=2)), [0, 0, 0, 1], 1, 0, False)) == 6
    assert len(plain_run(list(product((0, 1), repeat=2)), [0, 1, 1, 1], 1, 0, False)) == 4
    templates = [solver.template(str(EXERCISES / f"perceptron-{gate}-gate.toml")) for gate in ("and", "or")]
    ids = [[line.split('"')[1] for line in t.splitlines() if line.startswith('"')] for t in templates]
    assert ids[0] == ids[1]
    assert not any(".e2." in step_id or step_id.startswith("a.e2") for step_id in ids[0])
    assert "a.e1.updates" in ids[0] and "a.y_final" in ids[0] and "a.separable" in ids[0]
    assert '# Epochs 2, 3, …: the same ids with e2, e3, … ("a.e2.s1.net", …),' in templates[0]


def test_later_epochs_written_by_the_student_are_checked():
    # AND's epoch 2, sample 1: w = (1, 1, 1) after epoch 1, x = (1, 0, 0): s = 1, y = 1, e = 0 − 1 = −1
    exercise = solver.load_exercise(EXERCISES / "perceptron-and-gate.toml")
    text = '"a.e2.s1.net" = 1\n"a.e2.s1.error" = -1\n"a.e7.s1.net" = 0\n'
    outcomes = [v.outcome for v in check(exercise, parse_answers(tomllib.loads(text))).verdicts]
    assert outcomes == ["correct", "correct", "could not check"]


def test_xor_not_separable_is_a_step():
    exercise = solver.load_exercise(EXERCISES / "perceptron-xor-not-separable.toml")
    steps = {step["id"]: step for step in json.loads(solver.solve(exercise).render("json"))["steps"]}
    assert steps["a.separable"]["value"] == 0.0 and not any(".e1." in step_id for step_id in steps)
    report = check(exercise, parse_answers(tomllib.loads('"a.separable" = 1\n')))
    assert [v.outcome for v in report.verdicts] == ["wrong"]
    assert '"a.separable" = ""' in solver.template(str(EXERCISES / "perceptron-xor-not-separable.toml"))
