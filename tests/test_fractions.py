"""number_format = "fraction": a step whose every value is rational is written as fractions,
decimals otherwise, never a fraction of a float's noise. The fractions are checked against the
same network worked in SymPy Rationals (written here from the pseudo-code, not from byhand)."""

import json
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from solver.engine import solve
from solver.errors import ExerciseError
from solver.exact import as_written
from solver.exercise import load_exercise, parse_exercise
from tests.conftest import EXERCISES, needs_pdflatex, network_exercise
from tests.test_cli import byhand

R = sp.Rational
SAMPLES = [{"input": [1, 2], "target": [1]}, {"input": [-1, 0.5], "target": [0]}]


def _relu_identity(number_format="fraction"):
    data = network_exercise([2, 2, 1], ["relu", "identity"], weights=[[[0.1, -0.2], [0.3, 0.4]], [[0.2, -0.3]]],
                            biases=[[0.5, -0.1], [0.1]], samples=SAMPLES, mode="stochastic", learning_rate=0.5)
    if number_format:
        data["number_format"] = number_format
    return parse_exercise(data)


def _sympy_run():
    """Two stochastic updates of the ReLU-identity network in exact arithmetic: each step by id."""
    W1, b1 = sp.Matrix([[R(1, 10), R(-2, 10)], [R(3, 10), R(4, 10)]]), sp.Matrix([R(1, 2), R(-1, 10)])
    W2, b2 = sp.Matrix([[R(2, 10), R(-3, 10)]]), sp.Matrix([R(1, 10)])
    eta, steps = R(1, 2), {}
    for k, (x0, t) in enumerate([(sp.Matrix([1, 2]), sp.Matrix([1])), (sp.Matrix([-1, R(1, 2)]), sp.Matrix([0]))], 1):
        z1 = W1 * x0 + b1
        x1 = z1.applyfunc(lambda v: sp.Max(v, 0))
        z2 = W2 * x1 + b2
        x2 = z2
        E = R(1, 2) * sum((x2 - t).applyfunc(lambda v: v**2))
        d2 = x2 - t
        d1 = (W2.T * d2).multiply_elementwise(z1.applyfunc(lambda v: 1 if v > 0 else 0))
        dW2, db2, dW1, db1 = d2 * x1.T, d2, d1 * x0.T, d1
        W2n, b2n, W1n, b1n = W2 - eta * dW2, b2 - eta * db2, W1 - eta * dW1, b1 - eta * db1
        steps |= {f"a.s{k}.{name}": value for name, value in dict(
            z1=z1, x1=x1, z2=z2, x2=x2, E=E, delta2=d2, delta1=d1, dW2=dW2, db2=db2, dW1=dW1, db1=db1,
            W2_new=W2n, b2_new=b2n, W1_new=W1n, b1_new=b1n).items()}
        W1, b1, W2, b2 = W1n, b1n, W2n, b2n
    return steps


def _as_fractions(value):
    entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
    return [Fraction(int(v.p), int(v.q)) for v in entries]


def test_a_relu_identity_network_in_fractions_agrees_with_sympy():
    solution = solve(_relu_identity())
    expected = _sympy_run()
    assert expected["a.s1.W2_new"] == sp.Matrix([[R(79, 250), R(7, 25)]])  # 1/5 + 1/2·29/125, by hand
    for step_id, value in expected.items():
        step = solution.step(step_id)
        assert step.exact is not None, step_id
        assert list(step.exact.flat) == _as_fractions(value), step_id
    assert all(step.exact is not None for step in solution.steps)
    assert r"\frac{79}{250}" in solution.render("md")
    assert r"- \frac{1}{2} \cdot \begin{bmatrix}" in solution.render("md")  # η = 0.5 written as 1/2 too
    document = json.loads(solution.render("json"))
    assert next(s for s in document["steps"] if s["id"] == "a.s1.W2_new")["exact"] == [["79/250", "7/25"]]


def test_decimal_is_the_default():
    solution = solve(_relu_identity(None))
    assert all(step.exact is None for step in solution.steps)
    sheet = solution.render("md")
    assert r"\frac{79}{250}" not in sheet and r"\frac{1}{10}" not in sheet and "0.316" in sheet


def test_a_sigmoid_network_stays_decimal():
    exercise = replace(load_exercise(EXERCISES / "mlp-5-3-2-sigmoid.toml"), number_format="fraction")
    solution = solve(exercise)
    # the given values and z1 = W1 x0 + b1 are rational; σ(z) is not, nor anything computed from it
    assert {step.id for step in solution.steps if step.exact is not None} == {
        "a.W1", "a.b1", "a.W2", "a.b2", "a.x0", "a.t", "a.z1", "b.q1.x0"}
    assert list(solution.step("a.z1").exact.flat) == [Fraction(1, 5)] * 3
    sheet = solution.render("md")
    assert "0.549834" in sheet and r"\frac{1}{5}" in sheet


def test_never_a_fraction_of_a_float_s_noise():
    assert 0.1 + 0.2 != 0.3 and as_written(np.array([0.1 + 0.2])) is None
    data = network_exercise([2, 1], ["identity"], weights=[[[0.1, 0.2]]], biases=[[0.0]],
                            samples=[{"input": [1, 1], "target": [1]}])
    data["number_format"] = "fraction"
    solution = solve(parse_exercise(data))
    assert solution["a.z1"].item() == 0.1 + 0.2  # the float has its noise …
    assert list(solution.step("a.z1").exact.flat) == [Fraction(3, 10)]  # … the fraction has not
    sheet = solution.render("tex")
    assert r"\frac{3}{10}" in sheet and "5404319552844595" not in sheet and "18014398509481984" not in sheet


def test_a_long_decimal_datum_stays_decimal():
    data = network_exercise([1, 1], ["identity"], weights=[[[0.1234567]]], biases=[[0.0]],
                            samples=[{"input": [1], "target": [1]}])
    data["number_format"] = "fraction"
    solution = solve(parse_exercise(data))
    assert solution.step("a.W1").exact is None and solution.step("a.z1").exact is None


def test_rounding_keeps_a_fraction_only_where_it_changed_nothing():
    data = network_exercise([1, 1], ["identity"], weights=[[[0.5]]], biases=[[0.0]],
                            samples=[{"input": [0.3], "target": [1]}], conventions={"rounding": {"decimals": 1}})
    data["number_format"] = "fraction"
    solution = solve(parse_exercise(data))
    assert solution["a.z1"].item() == 0.2 and solution.step("a.z1").exact is None  # 0.15 → 0.2: decimal
    assert list(solution.step("a.x0").exact.flat) == [Fraction(3, 10)]


def test_number_format_is_checked():
    data = network_exercise([1, 1], ["identity"], weights=[[[0.5]]], biases=[[0.0]],
                            samples=[{"input": [1], "target": [1]}])
    data["number_format"] = "fractions"
    with pytest.raises(ExerciseError, match=r"number_format: expected one of 'decimal', 'fraction', got "
                                            r"'fractions' \(did you mean 'fraction'\?\)"):
        parse_exercise(data)


def test_the_fractions_flag(tmp_path):
    (tmp_path / "net.toml").write_text(
        'title = "t"\n[network]\ninputs = 2\nactivation = "identity"\nweights = 0.1\nbiases = 0.0\n'
        '[[network.layers]]\nunits = 1\n[training]\nloss = "half_sse"\nlearning_rate = 0.5\n'
        'samples = [{ input = [1, 2], target = [1] }]\n')
    plain = byhand("solve", "net.toml", cwd=tmp_path)
    fractions = byhand("solve", "net.toml", "--fractions", cwd=tmp_path)
    assert plain.returncode == fractions.returncode == 0
    assert r"\frac{3}{10}" in fractions.stdout and r"\frac{3}{10}" not in plain.stdout and "0.3" in plain.stdout


@needs_pdflatex
@pytest.mark.parametrize("name", ["mlp-2-2-1-relu-fractions", "mlp-5-3-2-textbook-rounding"])
def test_the_shipped_fraction_and_rounding_sheets_compile(tmp_path, name):
    import subprocess

    (tmp_path / "sheet.tex").write_text(solve(load_exercise(EXERCISES / f"{name}.toml")).render("tex"))
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "sheet.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]


def test_the_shipped_fraction_sheet_is_fractions_throughout():
    solution = solve(load_exercise(EXERCISES / "mlp-2-2-1-relu-fractions.toml"))
    assert all(step.exact is not None for step in solution.steps)
    assert solution.step("a.s1.W2_new").exact.tolist() == [[Fraction(79, 250), Fraction(7, 25)]]
