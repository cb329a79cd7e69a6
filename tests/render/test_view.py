"""The sheet view: headings and what the exercise's kind says around the steps."""

import pytest

import solver
from solver.render.format import NumberFormat, matrix
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


def run_with(detail: str):
    import tomllib

    from solver.exercise import parse_exercise

    data = tomllib.loads((EXERCISES / "mlp-minibatch-sgd-3-epochs.toml").read_text())
    data["training"]["detail"] = detail
    return solver.solve(parse_exercise(data, "detail.toml"))


def worked_groups(view) -> list[str]:
    return [group.heading for group in view.parts[0].groups if any(b.title == "Forward pass" for b in group.blocks)]


@pytest.mark.parametrize("detail,worked", [("all", [f"Iteration {t}" for t in range(1, 7)]),
                                            ("first", ["Iteration 1"]), ("summary", [])])
def test_detail_decides_which_iterations_are_worked(detail, worked):
    view = sheet_view(run_with(detail))
    assert worked_groups(view) == worked
    compact = [g for g in view.parts[0].groups if g.heading.startswith("Iteration") and g.heading not in worked]
    for group in compact:  # the loss and the updated weights and biases, each a single value
        (block,) = group.blocks
        assert block.compact and [e.step_id.rpartition(".")[2] for e in block.equations] == \
            ["E", "W2_new", "b2_new", "W1_new", "b1_new"]


def test_json_and_the_answers_template_cover_every_step_whatever_the_detail():
    full, summary = run_with("all"), run_with("summary")
    assert full.ids == summary.ids
    template = solver.template(EXERCISES / "mlp-minibatch-sgd-3-epochs.toml")
    assert all(f'"{step.id}"' in template for step in summary.steps if step.section != "given")


def test_a_training_part_ends_with_its_losses_per_epoch():
    solution = run_with("first")
    table = sheet_view(solution).parts[0].table
    assert table.headers == ("e", r"E_{\mathrm{train}}", r"E_{\mathrm{val}}")
    assert [row[0] for row in table.rows] == ["1", "2", "3"]
    assert table.rows[2][1] == matrix(solution["a.e3.E_train"], NumberFormat())
