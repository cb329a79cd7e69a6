"""Checking answers: the seed's own numbers, complete files, every slip diagnosed, follow-through."""

import tomllib

import numpy as np
import pytest

import solver
from solver.check import check, parse_answers
from solver.check.checker import CORRECT, FOLLOWS_THROUGH, NOT_CHECKED, WRONG
from solver.engine import solve
from solver.engine.slips import NETWORK_SLIPS, Slip
from solver.exercise import parse_exercise
from tests.conftest import EXERCISES, REPO, network_exercise
from tests.kinds.mlp.test_seed_exercises import SIGMOID, SOFTMAX, TANH_BATCH

FIXTURES = REPO / "tests" / "fixtures"
SHIPPED = sorted(EXERCISES.glob("*.toml"))


def fill(template: str, values: dict[str, str]) -> str:
    """The template with `"id" = ""` replaced by the TOML value text given for that id."""
    lines = []
    for line in template.splitlines():
        for step_id, text in values.items():
            if line.startswith(f'"{step_id}" = ""'):
                line = f'"{step_id}" = {text}'
        lines.append(line)
    return "\n".join(lines) + "\n"


def toml_value(rows, shape) -> str:
    """Rows of printed numbers (strings) as a TOML value: a column as a flat list."""
    if shape[1:] == (1,) or len(shape) < 2:
        flat = [r[0] for r in rows] if isinstance(rows[0], list) else rows
        return "[" + ", ".join(flat) + "]"
    return "[" + ", ".join("[" + ", ".join(row) + "]" for row in rows) + "]"


def checked(exercise, text, **tolerance):
    return check(exercise, parse_answers(tomllib.loads(text)), **tolerance)


def as_text(value: np.ndarray, digits: int = 6) -> str:
    def one(v):  # quoted, so that 1e+03 keeps the digits it claims (a TOML number would be 1000.0)
        return f'"{v:.{digits}g}"'
    if value.ndim == 0:
        return one(value)
    if value.shape[1] == 1:
        return "[" + ", ".join(one(v) for v in value[:, 0]) + "]"
    return "[" + ", ".join("[" + ", ".join(one(v) for v in row) + "]" for row in value) + "]"


def all_digits(value: np.ndarray) -> str:
    def one(v):
        return f'"{v:.7e}"'
    if value.ndim == 0:
        return one(value)
    return "[" + ", ".join("[" + ", ".join(one(v) for v in row) + "]" for row in value) + "]"


@pytest.mark.parametrize(
    "name,printed", [("mlp-5-3-2-sigmoid", SIGMOID), ("mlp-4-4-3-3-tanh", TANH_BATCH), ("mlp-4-4-3-3-softmax-ce", SOFTMAX)]
)
def test_seed_printed_numbers_in_a_blank_template_are_all_correct(name, printed):
    exercise = solver.load(name)
    truth = solve(exercise)
    values = {step_id: toml_value(rows, truth[step_id].shape) for step_id, rows in printed.items()}
    values.update({"b.q1.class": "1"} if name == "mlp-5-3-2-sigmoid" else {})
    report = checked(exercise, fill(solver.template(name), values))
    assert len(report.verdicts) == len(values)
    assert {v.step_id: v.outcome for v in report.verdicts} == {step_id: CORRECT for step_id in values}
    assert report.exit_status == 0


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
@pytest.mark.parametrize("digits", [6, 3])
def test_a_complete_correct_file_is_all_correct(path, digits):
    exercise = solver.load_exercise(path)
    truth = solve(exercise)
    values = {step.id: as_text(step.value, digits) for step in truth.steps if step.section != "given"}
    template = solver.template(str(path))
    # a template may list fewer steps (a perceptron's lists its first epoch only): the student adds the others
    added = "".join(f'"{step_id}" = {text}\n' for step_id, text in values.items() if f'"{step_id}" = ""' not in template)
    report = checked(exercise, fill(template, values) + added)
    assert report.counts[CORRECT] == len(values) and report.exit_status == 0


def test_truncated_digits_are_correct():
    exercise = solver.load("mlp-5-3-2-sigmoid")
    report = checked(exercise, '"a.x1" = [0.5498, 0.5498, 0.5498]\n"a.delta2" = [-0.11393, 0.13436]\n')
    assert [v.outcome for v in report.verdicts] == [CORRECT, CORRECT]


def test_fractions_are_exact():
    exercise = solver.load("mlp-5-3-2-sigmoid")
    report = checked(exercise, '"a.z1" = ["1/5", "1/5", "1/5"]\n"a.x2" = ["1/2", "1/2"]\n')
    assert [v.outcome for v in report.verdicts] == [CORRECT, WRONG]


def test_shape_problems_and_unknown_ids_are_reported_on_their_line():
    exercise = solver.load("mlp-5-3-2-sigmoid")
    report = checked(exercise, '"a.z1" = [0.2, 0.2]\n"a.zz" = 1\n"a.x1" = [0.549834, 0.549834, 0.549834]\n')
    outcomes = {v.step_id: (v.outcome, v.reason) for v in report.verdicts}
    assert outcomes["a.z1"] == (NOT_CHECKED, "expected a column of 3 numbers, got a list of 2 numbers")
    assert outcomes["a.zz"][0] == NOT_CHECKED and "no step with id 'a.zz'" in outcomes["a.zz"][1]
    assert outcomes["a.x1"] == (CORRECT, None)
    assert report.exit_status == 1


def test_an_empty_file_checks_nothing_and_does_not_pass():
    report = checked(solver.load("mlp-5-3-2-sigmoid"), "")
    assert report.verdicts == () and report.exit_status == 1  # an autograder must not pass a blank template


def test_tolerance_overrides():
    exercise = solver.load("mlp-5-3-2-sigmoid")
    from solver.check import Tolerance

    assert checked(exercise, '"a.x1" = [0.55, 0.55, 0.55]\n', tolerance=Tolerance(sigfigs=6)).verdicts[0].outcome == WRONG
    assert checked(exercise, '"a.x1" = [0.55, 0.55, 0.55]\n', tolerance=Tolerance(rtol=0.01)).verdicts[0].outcome == CORRECT


def test_follow_through_names_the_slip_it_follows():
    exercise = solver.load("mlp-5-3-2-sigmoid")
    truth = solve(exercise)
    wrong_fprime = truth["a.x1"]  # f(z) written for f'(z)
    delta1 = (truth["a.W2"].T @ truth["a.delta2"]) * wrong_fprime
    dW1 = delta1 @ truth["a.x0"].T
    report = checked(exercise, f'"a.fprime1" = {as_text(wrong_fprime)}\n"a.delta1" = {as_text(delta1)}\n'
                               f'"a.dW1" = {as_text(dW1)}\n')
    verdicts = {v.step_id: v for v in report.verdicts}
    assert verdicts["a.fprime1"].outcome == WRONG and verdicts["a.fprime1"].slips[0] is Slip.FUNCTION_FOR_DERIVATIVE
    assert verdicts["a.delta1"].outcome == FOLLOWS_THROUGH and verdicts["a.delta1"].follows_from == ("a.fprime1",)
    assert verdicts["a.dW1"].outcome == FOLLOWS_THROUGH and verdicts["a.dW1"].follows_from == ("a.fprime1",)
    assert report.exit_status == 1


def test_correct_from_rounded_earlier_answers_is_correct():
    # x1 rounded to 4 figures is right; f'(z1) computed from it differs in the 6th figure
    exercise = solver.load("mlp-5-3-2-sigmoid")
    report = checked(exercise, '"a.x1" = [0.5498, 0.5498, 0.5498]\n"a.fprime1" = [0.24752, 0.24752, 0.24752]\n')
    assert [v.outcome for v in report.verdicts] == [CORRECT, CORRECT]


# W ≠ Wᵀ needs a square W, softmax needs a softmax output; the other fixture shows every other slip
SOFTMAX_ONLY = {Slip.WEIGHTS_NOT_TRANSPOSED, Slip.SOFTMAX_AS_ELEMENTWISE}
SLIP_FIXTURES = {slip: "slips-softmax.toml" if slip in SOFTMAX_ONLY else "slips-sigmoid-tanh-batch.toml" for slip in NETWORK_SLIPS}


@pytest.mark.parametrize("slip", NETWORK_SLIPS, ids=lambda slip: slip.name)
def test_each_slip_injected_is_diagnosed(slip):
    exercise = solver.load_exercise(FIXTURES / SLIP_FIXTURES[slip])
    truth, variant = solve(exercise), solve(exercise, slip=slip)
    made = [s for s in truth.steps if s.kind in slip.made_at and np.all(np.isfinite(variant[s.id]))
            and not np.allclose(variant[s.id], s.value, rtol=1e-6)]
    assert made, f"{slip.name} changes no number in {SLIP_FIXTURES[slip]}"
    step = made[0]
    # every digit written, trailing zeros too (in quotes), so the tolerance is the 8th figure
    report = checked(exercise, f'"{step.id}" = {all_digits(variant[step.id])}\n')
    (verdict,) = report.verdicts
    assert verdict.outcome == WRONG
    assert slip in verdict.slips, (step.id, verdict.slips)


def test_a_wrong_value_no_slip_explains_says_so():
    report = checked(solver.load("mlp-5-3-2-sigmoid"), '"a.x1" = [0.7, 0.7, 0.7]\n')
    assert report.verdicts[0].outcome == WRONG and report.verdicts[0].slips == ()
    assert "no typical slip reproduces this value" in report.render("text")


def test_a_diagnosed_wrong_step_keeps_the_earlier_slip_it_builds_on():
    # x1 is wrong (no slip explains 0.7); f'(z1) is written as the true x1, the slip f(z) for f'(z).
    # From the student's x1 it would be 0.7(1 − 0.7) = 0.21 (shown as the sheet writes it).
    exercise = solver.load("mlp-5-3-2-sigmoid")
    truth = solve(exercise)
    report = checked(exercise, f'"a.x1" = [0.7, 0.7, 0.7]\n"a.fprime1" = {as_text(truth["a.x1"])}\n')
    verdict = {v.step_id: v for v in report.verdicts}["a.fprime1"]
    assert verdict.outcome == WRONG and verdict.slips[0] is Slip.FUNCTION_FOR_DERIVATIVE
    assert verdict.follows_from == ("a.x1",)
    assert "from your values of a.x1 it would be [0.21, 0.21, 0.21]" in report.render("text")


def test_a_slip_made_above_a_correct_answer_is_not_named_below_it():
    # 5-3-2 sigmoid, weights 0.1, x = (1, 1, 0, 0, 0), t = (1, 0): δ² = (x² − t) σ′(z²), ∂E/∂w² = δ² x¹ᵀ.
    # The sign of (x − t) flipped is made at δ²; with δ² written right, −∂E/∂w² is not that slip.
    from math import exp

    def sigma(z):
        return 1 / (1 + exp(-z))

    x1 = sigma(0.2)
    x2 = sigma(3 * 0.1 * x1)
    delta2 = [(x2 - t) * x2 * (1 - x2) for t in (1, 0)]
    flipped = "[" + ", ".join("[" + ", ".join(f'"{-d * x1:.7e}"' for _ in range(3)) + "]" for d in delta2) + "]"
    exercise = solver.load("mlp-5-3-2-sigmoid")
    alone = checked(exercise, f'"a.dW2" = {flipped}\n')
    assert Slip.ERROR_SIGN_FLIPPED in alone.verdicts[0].slips  # the slip does give this value
    right_delta = "[" + ", ".join(f'"{d:.7e}"' for d in delta2) + "]"
    report = checked(exercise, f'"a.delta2" = {right_delta}\n"a.dW2" = {flipped}\n')
    delta_verdict, gradient_verdict = report.verdicts
    assert delta_verdict.outcome == CORRECT and gradient_verdict.outcome == WRONG
    assert Slip.ERROR_SIGN_FLIPPED not in gradient_verdict.slips, gradient_verdict.slips


def test_a_slip_made_at_the_wrong_step_alone_is_named_below_a_correct_one():
    # LeNet-5: C1 is (32 − 5)/1 + 1 = 28 and S2 28/2 = 14, both right; C3 on the 14 × 14 map, the
    # + 1 left out there only, is (14 − 5)/1 = 9. C3 is an output size, where the slip is made,
    # so S2 right above it does not rule it out.
    report = checked(solver.load("cnn-lenet-5"), '"a.l1.width" = 28\n"a.l2.width" = 14\n"a.l3.width" = 9\n')
    first, second, third = report.verdicts
    assert first.outcome == second.outcome == CORRECT and third.outcome == WRONG
    assert Slip.PLUS_ONE_FORGOTTEN in third.slips, third.slips


def test_expected_is_shown_to_the_sheets_precision():
    # issue 12: shown to the digits judged, the expected value said "1" for the 1.41421 a sheet
    # writes; it is now what the sheet writes, whatever the tolerance. σ(0.2) = 1/(1 + e^-0.2):
    from math import exp

    from solver.check import Tolerance

    exercise = solver.load("mlp-5-3-2-sigmoid")
    report = checked(exercise, '"a.x1" = [0.7000, 0.7000, 0.7000]\n', tolerance=Tolerance(sigfigs=2))
    sigma = f"{1 / (1 + exp(-0.2)):.6g}"
    assert f"expected:  [{sigma}, {sigma}, {sigma}]" in report.render("text")


def test_a_trailing_zero_written_without_quotes_counts(tmp_path):
    """x¹ = σ(0.2) = 0.549834: 0.550 is right to the three decimals written; 0.5500 claims four, and
    to four decimals x¹ is 0.5498 (TOML alone would read both as 0.55)."""
    path = tmp_path / "mine.toml"
    outcomes = []
    for written in ("0.550", "0.5500"):
        path.write_text(f'"a.x1" = [{written}, {written}, {written}]\n')
        outcomes.append(solver.check_answers("mlp-5-3-2-sigmoid", path).verdicts[0].outcome)
    assert outcomes == [CORRECT, WRONG]


def test_the_bias_left_out_of_the_net_input_is_named():
    """z¹ = W¹x without b¹, worked here: a student's most common forward-pass slip."""
    data = network_exercise([2, 2, 1], ["sigmoid", "sigmoid"], weights=[[[0.5, -0.3], [0.2, 0.4]], [[0.7, -0.6]]],
                            biases=[[0.1, -0.2], [0.3]], samples=[{"input": [1, 2], "target": [1]}], mode="stochastic")
    without = np.array([[0.5, -0.3], [0.2, 0.4]]) @ np.array([1.0, 2.0])  # (−0.1, 1.0)
    report = check(parse_exercise(data, "net.toml"), parse_answers({"a.z1": without.tolist()}, "mine.toml"))
    (verdict,) = report.verdicts
    assert verdict.outcome == WRONG and verdict.slips[0] is Slip.BIAS_LEFT_OUT_OF_NET
