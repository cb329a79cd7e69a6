"""How an optimizer sheet reads: the objective under its own name, plain numbers multiplied with a
dot, and a later iteration shown by its results with the sheet saying so."""

import tomllib

import solver
from solver.exercise import parse_exercise

ADAM = parse_exercise(tomllib.loads('kind = "optimizer"\nsteps = 2\nobjective = "x^2 + 3*y^2"\n[parameters]\n'
                                    'x = 1.5\ny = -0.5\n[optimizer]\nname = "adam"\nlearning_rate = 0.1\n'), "adam.toml")


def test_the_objective_is_headed_as_such_and_numbers_are_multiplied_with_a_dot():
    sheet = solver.solve(ADAM).render("md")
    assert "**Objective**" in sheet and "**Loss**" not in sheet
    # s = β₂ s₀ + (1 − β₂) g ∘ g with g = ∂f/∂x = 2x = 3: between plain numbers a dot, not a circle
    assert r"\left(1 - 0.999\right) \cdot 3 \cdot 3" in sheet
    assert r"3 \circ 3" not in sheet


def _adam(detail=None):
    text = ('kind = "optimizer"\nsteps = 2\nobjective = "x^2"\n[parameters]\nx = 1.5\n[optimizer]\nname = "adam"\n'
            'learning_rate = 0.1\n')
    data = {**tomllib.loads(text), **({"detail": detail} if detail else {})}
    return solver.solve(parse_exercise(data, "adam.toml")).render("md")


def test_a_later_iteration_shown_by_its_results_says_how_to_see_every_step():
    first = _adam()  # the default detail: the first iteration in full
    assert "### Iteration 2" in first and "After the first, an iteration shows its results only" in first
    assert '`detail = "all"` in the part writes every step' in first
    assert "Every iteration shows its results only" in _adam("summary")
    assert "results only" not in _adam("all")
