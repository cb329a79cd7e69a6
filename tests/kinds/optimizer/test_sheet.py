"""How an optimizer sheet reads: the objective under its own name, plain numbers multiplied with a
dot, and a later iteration shown by its results with the sheet saying so."""

import tomllib

import solver
from solver.exercise import parse_exercise
from solver.render.view import SUMMARY_FACT

ADAM = parse_exercise(tomllib.loads('kind = "optimizer"\nsteps = 2\nobjective = "x^2 + 3*y^2"\n[parameters]\n'
                                    'x = 1.5\ny = -0.5\n[optimizer]\nname = "adam"\nlearning_rate = 0.1\n'), "adam.toml")


def test_the_objective_is_headed_as_such_and_numbers_are_multiplied_with_a_dot():
    sheet = solver.solve(ADAM).render("md")
    assert "**Objective**" in sheet and "**Loss**" not in sheet
    # s = β₂ s₀ + (1 − β₂) g ∘ g with g = ∂f/∂x = 2x = 3: between plain numbers a dot, not a circle
    assert r"\left(1 - 0.999\right) \cdot 3 \cdot 3" in sheet
    assert r"3 \circ 3" not in sheet


def test_a_later_iteration_shown_by_its_results_says_how_to_see_every_step():
    summary = solver.solve(ADAM).render("md")
    assert "### Iteration 2" in summary and SUMMARY_FACT in summary
    every = solver.solve(parse_exercise({**tomllib.loads('kind = "optimizer"\nsteps = 2\nobjective = "x^2"\n'
                                                         '[parameters]\nx = 1.5\n[optimizer]\nname = "adam"\n'
                                                         'learning_rate = 0.1\n'), "detail": "all"}, "all.toml"))
    assert SUMMARY_FACT not in every.render("md")
