"""Large inputs and zero probabilities: correct limits, no warnings, clear errors."""

import cmath
import tomllib
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import solver
from solver.errors import ExerciseError, NumericError, SolverError
from solver.exercise import parse_exercise
from solver.symbolic import activation
from tests.conftest import EXERCISES
from tests.hostile import FUZZ

HUGE = np.array([[1000.0], [-1000.0], [745.2], [-745.2], [0.0]])


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize(
    "name,expected",
    [
        ("sigmoid", [1.0, 0.0, 1.0, 0.0, 0.5]),
        ("tanh", [1.0, -1.0, 1.0, -1.0, 0.0]),
        ("softplus", [1000.0, 0.0, 745.2, 0.0, np.log(2)]),
    ],
)
def test_activations_reach_their_limits(name, expected):
    entry = activation(name)
    values = entry.evaluate(HUGE)
    np.testing.assert_allclose(values[:, 0], expected, atol=1e-300)
    assert np.all(np.isfinite(entry.evaluate_derivative(HUGE, values)))


def test_softplus_derivative_at_the_limits():
    softplus = activation("softplus")
    z = np.array([[1000.0], [-1000.0]])
    np.testing.assert_allclose(softplus.evaluate_derivative(z, softplus.evaluate(z))[:, 0], [1.0, 0.0])


def test_softmax_of_a_thousand():
    np.testing.assert_allclose(activation("softmax").evaluate(np.array([[1000.0], [0.0]]))[:, 0], [1.0, 0.0])


def test_zero_probability_in_cross_entropy_is_a_clear_error():
    # x[2] is about 0.46, so a weight of 2000 gives z[3] about 924 and e^-924 = 0 in float64 on the target's unit
    data = tomllib.loads((EXERCISES / "mlp-4-4-3-3-softmax-ce.toml").read_text())
    data["network"]["layers"][2]["weights"] = [[2000, 0, 0], [0, 0, 0], [0, 0, 0]]
    data["training"]["samples"] = [{"input": [1000, 0, 0, 0], "target": [0, 1, 0]}]
    with pytest.raises(NumericError, match=r"a.E: a predicted probability is 0 .* set probability_clip"):
        solver.solve(parse_exercise(data, "zero.toml"))
    data["training"]["probability_clip"] = 1e-12
    solution = solver.solve(parse_exercise(data, "zero.toml"))
    assert solution["a.E"] == pytest.approx(-np.log(1e-12))
    assert "clipped" in solution.render("md")


def test_a_number_too_large_for_the_calculation_is_refused_at_its_key():
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["training"]["samples"] = [{"input": [1e300, 1, 0, 0, 0], "target": [1, 0]}]
    with pytest.raises(ExerciseError) as caught:
        solver.solve(parse_exercise(data, "overflow.toml"))
    assert str(caught.value).startswith("overflow.toml: training.samples[0].input[0]: expected a number of at most "
                                        "10^12 in size, got 1e+300")


def test_overflow_is_an_error_on_its_step():
    # every given number is allowed (at most 10^12), but their product is not: 10^12 · 10^12 · … overflows
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["network"]["layers"][0].update(activation="custom", expression="z^30", parameters={})
    data["network"]["weights"] = 1e12
    data["training"]["samples"] = [{"input": [1e12, 1, 0, 0, 0], "target": [1, 0]}]
    with pytest.raises(NumericError) as caught:
        solver.solve(parse_exercise(data, "overflow.toml"))
    assert str(caught.value).startswith("overflow.toml: network.layers[0].expression: a.x1: the value is infinite: "
                                        "it overflows float64")


def test_saturated_sigmoid_network_is_worked_without_trouble():
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["network"]["weights"] = 500.0
    solution = solver.solve(parse_exercise(data, "saturated.toml"))
    np.testing.assert_array_equal(solution["a.x2"], [[1.0], [1.0]])
    assert solution["a.delta2"][0, 0] == 0.0


@pytest.mark.parametrize("expression", ["exp((w*z)^2 + 1)", "exp(sum((w_j*z_j)^2) + 1)", "(w*z)^30", "w^30*z"])
def test_overflow_inside_a_compiled_function_is_a_numeric_error(expression):
    # 1e12 (the largest number a file may give) is put into the expression as an exact number; its
    # powers overflow in Python arithmetic, which raises OverflowError before NumPy is reached
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["network"]["layers"][1].update(activation="custom", expression=expression, parameters={"w": 1e12})
    data["training"]["loss"] = "cross_entropy" if "sum" in expression else "half_sse"
    with pytest.raises(NumericError, match=r"(network\.layers\[1\]\.expression: a\.x2|a\.E): the value is infinite: "
                                           r"it overflows float64"):
        solver.solve(parse_exercise(data, "overflow.toml"))


def test_a_compiled_function_that_raises_falls_back_to_mpmath():
    import sympy as sp

    from solver.symbolic.numeric import compile_numpy, numpy_function

    z = sp.Symbol("z")
    huge = sp.Integer(10) ** 200
    np.testing.assert_allclose(numpy_function(z, sp.log(huge * z) - sp.log(huge))(np.array([[2.0], [3.0]])),
                               [[np.log(2)], [np.log(3)]])
    vector = compile_numpy(z, [huge * z / huge, (huge * z) ** 2])(np.array(1e-150))
    assert vector[0] == pytest.approx(1e-150) and vector[1] == pytest.approx(1e100)


huge = st.sampled_from([1e300, -1e300, 1e200, 1e154, 709.8, -745.2, 1e-300, 0.0])
expressions = st.sampled_from(["exp((w*z)^2 + 1)", "(w*z)^3", "w*exp(z)", "log(w*z^2 + 1)", "sqrt(w*z*z)",
                               "w^2*z", "exp(sum((w_j*z_j)^2) + 1)", "sum(w_j*z_j) + z", "softplus(w*z)",
                               "tanh(w*z)*w", "1/(w*z)", "max(w*z, 0)", "cosh(w*z)", "z^100*w", "1000000^100*z*w",
                               "log(1000000^100*z)"])


@FUZZ
@given(expressions, huge, st.sampled_from(["half_sse", "cross_entropy"]))
def test_custom_expressions_with_huge_parameters_are_solved_or_a_numeric_error(expression, w, loss):
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["network"]["layers"][1].update(activation="custom", expression=expression, parameters={"w": w})
    data["training"]["loss"] = loss
    try:
        solution = solver.solve(parse_exercise(data, "overflow.toml"))
    except SolverError:
        return
    for format in ("md", "tex", "json"):
        solution.render(format)


CUSTOM = """[network]
inputs = 2
activation = "sigmoid"
weights = {weights}
biases = 0

[[network.layers]]
units = 2
activation = "custom"
expression = "{expression}"

[[network.layers]]
units = 1

[training]
loss = "{loss}"
samples = [{{ input = [1, 1], target = [1] }}]
"""


def byhand(*args, cwd):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "solver", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def refusal(tmp_path, text: str) -> str:
    (tmp_path / "c.toml").write_text(text)
    run = byhand("solve", "c.toml", "-o", "out", cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == "", run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and not (tmp_path / "out").exists(), run.stderr
    return lines[0]


def test_a_custom_activation_outside_its_domain_is_not_defined_at_its_key(tmp_path):
    # z1 = W x0 = (−1 − 1, −1 − 1) = (−2, −2) by hand, and log −2 has no real value
    assert cmath.log(-2).imag != 0  # no real value: not defined, which no size of float would fix
    line = refusal(tmp_path, CUSTOM.format(weights=-1, expression="log(z)", loss="half_sse"))
    assert line == ("byhand: c.toml:10: network.layers[0].expression: a.x1: the value is not defined (NaN): the step "
                    "divides by 0, takes the logarithm or square root of a negative number, or works out 0/0, 0 · ∞ "
                    "or ∞ − ∞")


def test_a_custom_activation_at_a_pole_is_not_called_an_overflow(tmp_path):
    # weights 0: z1 = 0 by hand, and 1/z has no value there (SymPy: 1/0 is complex infinity, zoo)
    import sympy as sp

    assert (1 / sp.Symbol("z")).subs("z", 0) is sp.zoo
    line = refusal(tmp_path, CUSTOM.format(weights=0, expression="1/z", loss="half_sse"))
    assert line.startswith("byhand: c.toml:10: network.layers[0].expression: a.x1: the value is not defined (NaN): "
                           "the step divides by 0")
    assert "overflow" not in line


def test_a_network_wide_custom_activation_is_named_where_the_network_writes_it(tmp_path):
    text = CUSTOM.format(weights=-1, expression="sqrt(z)", loss="half_sse").replace(
        'activation = "sigmoid"', 'activation = "custom"\nexpression = "sqrt(z)"').replace(
        'activation = "custom"\nexpression = "sqrt(z)"\n\n[[network.layers]]', '\n[[network.layers]]', 1)
    text = text.replace('units = 2\nactivation = "custom"\nexpression = "sqrt(z)"\n', 'units = 2\n')
    assert 'expression = "sqrt(z)"' in text.splitlines()[3]
    line = refusal(tmp_path, text)
    assert line.startswith("byhand: c.toml:4: network.expression: a.x1: the value is not defined (NaN)")


def test_a_custom_loss_outside_its_domain_is_not_defined_at_its_key(tmp_path):
    # the output x2 is a sigmoid's, below 1 = t, so log(x − t) is of a negative number
    text = CUSTOM.format(weights=1, expression="z", loss='custom"\nloss_expression = "log(x - t)')
    line = refusal(tmp_path, text)
    assert line.startswith("byhand: c.toml:17: training.loss_expression: a.E: the value is not defined (NaN)")


def test_overflow_of_a_catalogue_step_still_names_the_step():
    from solver.engine.steps import Recorder

    with pytest.raises(NumericError, match=r"^a: the value is infinite: it overflows float64"):
        Recorder().record("a", part="a", group="", section="s", kind="k", symbol="a", value=np.array([np.inf]))
    with pytest.raises(NumericError, match=r"^a: the value is not defined \(NaN\)"):
        Recorder().record("a", part="a", group="", section="s", kind="k", symbol="a", value=np.array([1.0, np.nan]))


def test_complex_infinity_compiles_to_not_defined():
    # SymPy writes 1/0 as zoo, an infinity of no sign: no real value, where NumPy's printer had no name for it
    import sympy as sp

    from solver.symbolic.numeric import compile_numpy, numpy_function

    z = sp.Symbol("z")
    assert 1 / sp.Integer(0) is sp.zoo
    assert np.isnan(numpy_function(z, z + sp.zoo)(np.array([[1.0], [2.0]]))).all()
    vector = compile_numpy(z, [sp.zoo * sp.log(z), 2 * z])(np.array(3.0))
    assert np.isnan(vector[0]) and vector[1] == 6.0


@pytest.mark.parametrize(
    "loss_expression,reason",
    [
        ("log(0)", "infinite for every value: it divides by 0 or takes log 0"),
        ("(x-x)/(x-x)", "not defined for any value: it works out 0/0, 0 · ∞ or ∞ − ∞"),
    ],
)
def test_a_custom_loss_with_no_value_is_refused_at_its_key(tmp_path, loss_expression, reason):
    text = CUSTOM.format(weights=1, expression="z", loss=f'custom"\nloss_expression = "{loss_expression}')
    assert text.splitlines()[16] == f'loss_expression = "{loss_expression}"'
    assert refusal(tmp_path, text) == f"byhand: c.toml:17: training.loss_expression: {reason}"


def test_a_custom_activation_with_no_value_is_refused_at_its_expression(tmp_path):
    text = CUSTOM.format(weights=1, expression="1/(z-z)", loss="half_sse")
    assert text.splitlines()[9] == 'expression = "1/(z-z)"'
    assert refusal(tmp_path, text) == ("byhand: c.toml:10: network.layers[0].expression: infinite for every "
                                       "value: it divides by 0 or takes log 0")


def test_an_objective_and_a_graph_node_with_no_value_are_refused_at_their_keys(tmp_path):
    objective = (EXERCISES / "optimizer-adagrad-rmsprop-objective.toml").read_text()
    assert 'objective = "x^2 + 10*y^2"' in objective.splitlines()[7]
    line = refusal(tmp_path, objective.replace("10*y^2", "log(y - y)"))
    assert line == "byhand: c.toml:8: objective: infinite for every value: it divides by 0 or takes log 0"
    graph = (EXERCISES / "graph-add-multiply-max.toml").read_text()
    assert '"f = 2 * s * x"' in graph.splitlines()[5]
    line = refusal(tmp_path, graph.replace('"f = 2 * s * x"', '"f = (s - s)/(x - x)"'))
    assert line == "byhand: c.toml:6: nodes[3]: not defined for any value: it works out 0/0, 0 · ∞ or ∞ − ∞"


@pytest.mark.parametrize("where", ["layer", "network"])
def test_parameters_that_leave_an_activation_undefined_are_named_where_they_are_written(tmp_path, where):
    from solver.exercise import load_exercise

    # z·log(a) has a value for every a > 0; a = 0 makes it z·log 0, which is not a number
    text = CUSTOM.format(weights=1, expression="z*log(a)", loss="half_sse")
    if where == "layer":
        text = text.replace('expression = "z*log(a)"', 'expression = "z*log(a)"\nparameters = { a = 0 }')
    else:
        text = text.replace("biases = 0\n", "biases = 0\nparameters = { a = 0 }\n", 1)
    (tmp_path / "c.toml").write_text(text)
    with pytest.raises(ExerciseError) as refused:
        load_exercise(tmp_path / "c.toml")
    line = text.splitlines().index("parameters = { a = 0 }") + 1
    key = "network.layers[0].parameters" if where == "layer" else "network.parameters"
    assert (refused.value.key, refused.value.line) == (key, line)
    assert "undefined (a division by 0 or log 0)" in str(refused.value)
