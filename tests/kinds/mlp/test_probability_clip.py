"""probability_clip: the loss is worked on the clipped output, and so is its gradient. Where the clip
moves an output the clipped loss is flat, so ∂E/∂x is 0 there; checked against central differences
of the clipped loss written here in plain NumPy. An output that is no probability is refused."""

import numpy as np
import pytest

import solver
from solver.errors import NumericError
from solver.exercise import parse_exercise
from tests.conftest import needs_pdflatex, network_exercise

EPSILON = 1e-12


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _clipped_bce(W, b, x, t):
    """E = −Σ [t log x̂ + (1 − t) log(1 − x̂)], x̂ = clip(σ(W x + b), ε, 1 − ε)."""
    out = np.clip(_sigmoid(W @ x + b), EPSILON, 1 - EPSILON)
    return float(-np.sum(t * np.log(out) + (1 - t) * np.log(1 - out)))


def _central_difference(W, b, x, t, h=1e-6):
    grad = np.zeros_like(W)
    for index in np.ndindex(W.shape):
        up, down = W.copy(), W.copy()
        up[index] += h
        down[index] -= h
        grad[index] = (_clipped_bce(up, b, x, t) - _clipped_bce(down, b, x, t)) / (2 * h)
    return grad


def _exercise(W, b, x, t, activation="sigmoid", clip=EPSILON):
    data = network_exercise([len(x), len(t)], [activation], weights=[W.tolist()], biases=[b.ravel().tolist()],
                            samples=[{"input": x.ravel().tolist(), "target": t.ravel().tolist()}],
                            loss="binary_cross_entropy")
    if clip is not None:
        data["training"]["probability_clip"] = clip
    return parse_exercise(data, "clip.toml")


def test_the_gradient_is_that_of_the_clipped_loss_where_the_clip_acts_and_where_it_does_not():
    # unit 1 saturates (σ(40) is 1.0 in float64, clipped to 1 − ε, target 0); unit 2 does not
    W = np.array([[40.0, 0.0], [0.5, -0.25]])
    b = np.zeros((2, 1))
    x, t = np.array([[1.0], [2.0]]), np.array([[0.0], [1.0]])
    solution = solver.solve(_exercise(W, b, x, t))
    expected = _central_difference(W, b, x, t)
    np.testing.assert_allclose(solution["a.dW1"], expected, rtol=1e-6, atol=1e-9)
    assert expected[0].tolist() == [0.0, 0.0] and np.all(expected[1] != 0)
    assert solution["a.E"] == pytest.approx(_clipped_bce(W, b, x, t), rel=1e-12)
    np.testing.assert_array_equal(solution["a.x1_clipped"], np.clip(_sigmoid(W @ x + b), EPSILON, 1 - EPSILON))
    sheet = solution.render("md")
    assert r"\left[\varepsilon \le x^{[1]} \le 1 - \varepsilon\right]" in sheet
    # x̂ comes before E, which is written in it; the collapsed δ's derivation says where it holds
    assert sheet.index(r"\hat{x}^{[1]} &= \operatorname{clip}") < sheet.index("E &= ") < sheet.index(r"\delta^{[1]} &=")
    assert r"\log{\left(\hat{x}^{[1]}_{i} \right)}" in sheet
    assert "Output delta, derived (where the clip moves no output)" in sheet


def test_the_gradient_check_of_a_clipped_output_passes():
    W = np.array([[40.0]])
    for target in (0.0, 1.0):
        data = network_exercise([1, 1], ["sigmoid"], weights=[W.tolist()], biases=[[0.0]],
                                samples=[{"input": [1.0], "target": [target]}], loss="binary_cross_entropy",
                                parts=[{"name": "a", "gradient_check": True}])
        data["training"]["probability_clip"] = EPSILON
        solution = solver.solve(parse_exercise(data, "clip.toml"))
        assert solution["a.passed"] == 1.0, target


def test_where_the_clip_moves_nothing_the_sheet_is_as_without_it():
    W, b = np.array([[0.5, -0.25]]), np.zeros((1, 1))
    x, t = np.array([[1.0], [2.0]]), np.array([[1.0]])
    clipped, plain = solver.solve(_exercise(W, b, x, t)), solver.solve(_exercise(W, b, x, t, clip=None))
    assert "a.x1_clipped" not in clipped
    np.testing.assert_array_equal(clipped["a.dW1"], plain["a.dW1"])
    np.testing.assert_allclose(clipped["a.dW1"], _central_difference(W, b, x, t), rtol=1e-6)


@pytest.mark.parametrize("clip", [None, EPSILON])
def test_an_output_that_is_no_probability_is_refused(clip):
    exercise = _exercise(np.array([[1.5]]), np.zeros((1, 1)), np.array([[1.0]]), np.array([[1.0]]), "identity", clip)
    with pytest.raises(NumericError) as raised:
        solver.solve(exercise)
    assert str(raised.value) == ("clip.toml: a.E: an output of 1.5 is outside what binary_cross_entropy takes: "
                                 "log x and log(1 − x), which need outputs from 0 to 1 (a sigmoid or softmax output "
                                 "layer gives such outputs)")


def test_cross_entropy_takes_an_output_above_1_but_not_below_0():
    """−Σ t log x is defined for any x > 0 (seed 001 feeds it exp(…)); a negative output is refused as such."""
    W = np.array([[1.5], [0.5]])
    data = network_exercise([1, 2], ["identity"], weights=[W.tolist()], biases=[[0.0, 0.0]],
                            samples=[{"input": [1.0], "target": [1.0, 0.0]}], loss="cross_entropy")
    solution = solver.solve(parse_exercise(data, "ce.toml"))
    assert solution["a.E"] == pytest.approx(-np.log(1.5))
    data["network"]["layers"][0]["weights"] = [[1.5], [-0.5]]
    with pytest.raises(NumericError, match=r"ce.toml: a.E: an output of -0.5 is outside what cross_entropy takes: "
                                           r"log x, which needs outputs of 0 or more"):
        solver.solve(parse_exercise(data, "ce.toml"))


@pytest.mark.parametrize("clip", [1e-16, 1e-30, 0.5])
def test_a_clip_that_floating_point_cannot_apply_is_refused(clip):
    """Below 1e-15, 1 − ε is too close to 1 to clip an output of 1 reliably (below about 5.6e-17 it is 1)."""
    from solver.errors import ExerciseError

    with pytest.raises(ExerciseError, match=r"clip.toml: training.probability_clip: expected a number from 1e-15 to "
                                            r"below 0.5"):
        _exercise(np.array([[0.5]]), np.zeros((1, 1)), np.array([[1.0]]), np.array([[1.0]]), clip=clip)


@needs_pdflatex
def test_a_sheet_where_the_clip_acts_compiles_and_renders_to_html():
    """The clipped output x̂, clip(…), the factor [ε ≤ x ≤ 1 − ε] and E in x̂ are LaTeX no other sheet has."""
    from solver.render.pdf import compile_pdf

    W, b = np.array([[40.0, 0.0], [0.5, -0.25]]), np.zeros((2, 1))
    solution = solver.solve(_exercise(W, b, np.array([[1.0], [2.0]]), np.array([[0.0], [1.0]])))
    assert compile_pdf(solution.render("tex")).startswith(b"%PDF-")
    pytest.importorskip("latex2mathml", reason='the HTML format needs latex2mathml: pip install ".[test]"')
    page = solution.render("html")
    assert "\\varepsilon" not in page and "\\operatorname" not in page and "<math" in page


def test_a_loss_worked_from_the_students_own_clipped_output_follows_through():
    """E is worked from x̂, so a student's wrong x̂ carries into E: −Σ[t log x̂ + (1 − t) log(1 − x̂)]
    with x̂ = (0.5, 0.8) written for the true (1 − ε, σ(0.0)) is follows-through, not wrong."""
    from solver.check import check, parse_answers

    W, b = np.array([[40.0, 0.0], [0.5, -0.25]]), np.zeros((2, 1))
    exercise = _exercise(W, b, np.array([[1.0], [2.0]]), np.array([[0.0], [1.0]]))
    wrong = np.array([0.5, 0.8])
    E = -(np.log(1 - wrong[0]) + np.log(wrong[1]))
    report = check(exercise, parse_answers({"a.x1_clipped": wrong.tolist(), "a.E": f"{E:.6g}"}, "mine.toml"))
    verdicts = {v.step_id: v for v in report.verdicts}
    assert verdicts["a.x1_clipped"].outcome == "wrong"
    assert verdicts["a.E"].outcome == "follows through" and verdicts["a.E"].follows_from == ("a.x1_clipped",)
