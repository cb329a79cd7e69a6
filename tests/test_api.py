"""The Python API: load, solve, read steps by id, render, show in a notebook."""

import numpy as np
import pytest

import solver
from solver.errors import SolverError


@pytest.fixture(scope="module")
def solution():
    return solver.solve("mlp-5-3-2-sigmoid")


def test_step_by_id_is_a_read_only_array(solution):
    value = solution["a.x1"]
    assert isinstance(value, np.ndarray) and value.shape == (3, 1)
    with pytest.raises(ValueError):
        value[0, 0] = 0.0


def test_steps_know_their_inputs_and_formula(solution):
    step = solution.step("a.delta1")
    assert step.inputs == ("a.W2", "a.delta2", "a.fprime1")
    assert step.symbol == r"\delta^{[1]}" and step.part == "a"


def test_unknown_step_id(solution):
    with pytest.raises(SolverError, match=r"no step with id 'a.z9'; did you mean a\.z2, a\.z1\?"):
        solution["a.z9"]


def test_ids_follow_the_order_of_a_hand_solution(solution):
    ids = list(solution.ids)
    order = ["a.W1", "a.x0", "a.z1", "a.x1", "a.z2", "a.x2", "a.E", "a.delta2", "a.delta1", "a.dW2", "a.dW1",
             "a.W2_new", "a.W1_new", "b.W1", "b.q1.z1", "b.q1.class"]
    assert [ids.index(i) for i in order] == sorted(ids.index(i) for i in order)


def test_notebook_display_is_the_markdown_sheet(solution):
    assert solution._repr_markdown_() == solver.render(solution, "md")


def test_load_by_path_and_by_name_agree():
    by_name = solver.load("mlp-4-4-3-3-tanh")
    by_path = solver.load_exercise(solver.find_exercise("mlp-4-4-3-3-tanh.toml"))
    assert by_name.title == by_path.title


def test_overrides_feed_later_steps():
    exercise = solver.load("mlp-5-3-2-sigmoid")
    from solver.engine import solve

    changed = solve(exercise, overrides={"a.x1": np.full((3, 1), 0.5)})
    np.testing.assert_allclose(changed["a.z2"], np.full((2, 1), 0.15))


def test_unknown_format(solution):
    with pytest.raises(SolverError, match=r"format: expected one of md, tex, html, pdf, json, got str .docx."):
        solution.render("docx")


def test_check_answers_from_python(tmp_path):
    answers = tmp_path / "mine.toml"
    answers.write_text('"a.x1" = [0.5498, 0.5498, 0.5498]\n"a.delta2" = [0.1139, -0.1344]\n')
    report = solver.check_answers("mlp-5-3-2-sigmoid", answers)
    assert [v.outcome for v in report.verdicts] == ["correct", "wrong"]
    assert report.exit_status == 1
    assert report._repr_markdown_().startswith("# Check of")


def test_template_from_python():
    assert '"b.q1.class" = ""' in solver.template("mlp-5-3-2-sigmoid")


@pytest.mark.parametrize("call, message", [
    (lambda: solver.solve(None), "exercise: expected an exercise file's path or a shipped exercise's name, got None"),
    (lambda: solver.solve(3), "exercise: expected an exercise file's path or a shipped exercise's name, got int 3"),
    (lambda: solver.solve("mlp-5-3-2-sigmoid")[0], "a step id is a string such as 'a."),
    (lambda: solver.check_answers("mlp-5-3-2-sigmoid", 5), "answers: expected an answers file's path"),
    (lambda: solver.check_answers("mlp-5-3-2-sigmoid", "a.toml", sigfigs="3"),
     "sigfigs: expected a number of significant figures, got str '3'"),
    (lambda: solver.check_answers("mlp-5-3-2-sigmoid", "a.toml", sigfigs=True), "sigfigs: expected a number of "
     "significant figures, got True"),
    (lambda: solver.check_answers("mlp-5-3-2-sigmoid", "a.toml", rtol=2), "rtol: expected a relative tolerance of "
     "at least 0 and below 1, got 2"),
    (lambda: solver.make_variants("mlp-5-3-2-sigmoid", "3", seed=1), "count: expected a count, got str '3'"),
    (lambda: solver.make_variants("mlp-5-3-2-sigmoid", 0, seed=1), "count: expected a count from 1 to 10,000, got 0"),
    (lambda: solver.make_variants("mlp-5-3-2-sigmoid", 2, seed=-1), "seed: expected a seed of 0 or more, got -1"),
    (lambda: solver.moodle_quiz("mlp-5-3-2-sigmoid", variants=0, seed=1), "variants: expected a count of variants"),
    (lambda: solver.moodle_quiz("mlp-5-3-2-sigmoid", variants=2), "seed: the variants need a seed"),
    (lambda: solver.solve("mlp-5-3-2-sigmoid").render("md", precision=2.5), "precision: expected a number of "
     "significant figures, got float 2.5"),
    (lambda: solver.solve("mlp-5-3-2-sigmoid").render(["md"]), "format: expected one of md, tex, html, pdf, json, got a list"),
    (lambda: solver.solve("mlp-5-3-2-sigmoid").render("md", full="yes"), "full: expected True or False, got str 'yes'"),
    (lambda: solver.solve("perceptron-and-gate", limits=None), "limits: expected a solver.limits.Limits, got None"),
    (lambda: solver.load_answers(None), "path: expected an answers file's path, got None"),
    (lambda: solver.render_derivations(None), "derivations: expected a list of derivations, got None"),
    (lambda: solver.solve("x" * 5000), "x"),  # a name too long for the file system: not found, no OSError
    (lambda: solver.derive_activation("softplus", {"beta": float("nan")}), "parameters: beta = nan: expected a finite"),
])
def test_a_wrong_argument_is_a_solver_error_naming_the_parameter(call, message):
    """From Python a wrong argument names the parameter as the caller wrote it, never a CLI option
    or a raw TypeError."""
    with pytest.raises(SolverError) as raised:
        call()
    assert str(raised.value).startswith(message) and "--" not in str(raised.value) and "\n" not in str(raised.value)


def test_numpy_whole_numbers_are_whole_numbers():
    variants = solver.make_variants("mlp-5-3-2-sigmoid", np.int64(2), seed=np.int32(1))
    assert [v.text for v in variants] == [v.text for v in solver.make_variants("mlp-5-3-2-sigmoid", 2, seed=1)]
    sheet = solver.solve("mlp-5-3-2-sigmoid").render("md", precision=np.int64(3))
    assert sheet == solver.solve("mlp-5-3-2-sigmoid").render("md", precision=3)
