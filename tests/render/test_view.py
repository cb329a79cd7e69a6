"""The sheet view: headings and what the exercise's kind says around the steps."""

import pytest

import solver
from solver.render.view import _group_heading, sheet_view
from tests.conftest import EXERCISES


@pytest.mark.parametrize("group,heading", [("", ""), ("s2", "Sample 2"), ("q1", "Query 1"), ("t3", "Iteration 3"),
                                           ("e10", "Epoch 10")])
def test_group_headings_by_prefix(group, heading):
    assert _group_heading(group) == heading


def test_the_kind_writes_the_setup_and_places_its_derivation_before_the_backward_pass():
    view = sheet_view(solver.solve(EXERCISES / "mlp-5-3-2-sigmoid.toml"))
    assert view.setup_heading == "The network" and view.setup[0].startswith("A 5-3-2 network")
    titles = [block.title for group in view.parts[0].groups for block in group.blocks]
    assert titles.count("Output delta, derived") == 1
    assert titles[titles.index("Output delta, derived") + 1] == "Backward pass"
