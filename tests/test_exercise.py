"""Loading exercise files: parts inherit and override; every kind of bad input is located."""

import textwrap

import numpy as np
import pytest

from solver.errors import ExerciseError
from solver.exercise import load_exercise
from tests.conftest import EXERCISES

BASE = """
title = "t"
[network]
inputs = 5
activation = "sigmoid"
weights = 0.1
biases = 0.0
[[network.layers]]
units = 3
[[network.layers]]
units = 2
[training]
learning_rate = 1.0
samples = [{ input = [1, 1, 0, 0, 0], target = [1, 0] }]
"""


def write(tmp_path, text, name="exercise.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def load_error(tmp_path, text) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ExerciseError) as caught:
        load_exercise(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert "\n" not in message
    return message


def test_missing_file(tmp_path):
    with pytest.raises(ExerciseError, match="file not found"):
        load_exercise(tmp_path / "nope.toml")


def test_malformed_toml_names_the_line(tmp_path):
    assert "invalid TOML" in load_error(tmp_path, BASE + "\nthis is not toml\n") and "line" in load_error(tmp_path, BASE + "\nx = \n")


def test_wrong_weight_shape(tmp_path):
    text = BASE.replace("units = 3", "units = 3\nweights = [[0.1, 0.1, 0.1, 0.1], [0.1, 0.1, 0.1, 0.1], [0.1, 0.1, 0.1, 0.1]]")
    message = load_error(tmp_path, text)
    assert "network.layers[0].weights" in message
    assert "3×5 matrix" in message and "got a 3×4 list" in message


def test_unknown_activation(tmp_path):
    message = load_error(tmp_path, BASE.replace('"sigmoid"', '"sigmoidal"'))
    assert "network.layers[0].activation" in message and "sigmoid" in message and "'sigmoidal'" in message


def test_unknown_key(tmp_path):
    message = load_error(tmp_path, BASE.replace("inputs = 5", "inputs = 5\nlayers_count = 2"))
    assert "network.layers_count: unknown key" in message


def test_target_of_wrong_length(tmp_path):
    message = load_error(tmp_path, BASE.replace("target = [1, 0]", "target = [1, 0, 0]"))
    assert "training.samples[0].target" in message and "expected 2 numbers (one per output unit)" in message


def test_learning_rate_not_a_number(tmp_path):
    message = load_error(tmp_path, BASE.replace("learning_rate = 1.0", 'learning_rate = "fast"'))
    assert "training.learning_rate: expected a number, got 'fast'" in message


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_numbers_are_rejected(tmp_path, value):
    assert "expected a finite number" in load_error(tmp_path, BASE.replace("weights = 0.1", f"weights = {value}"))


def test_softmax_only_in_the_output_layer(tmp_path):
    text = BASE.replace("units = 3", 'units = 3\nactivation = "softmax"')
    assert "softmax is supported in the output layer only" in load_error(tmp_path, text)


def test_first_part_cannot_continue(tmp_path):
    assert "parts[0].start" in load_error(tmp_path, BASE + '[[parts]]\nstart = "previous"\n')


def test_training_part_needs_samples(tmp_path):
    text = BASE.replace("samples = [{ input = [1, 1, 0, 0, 0], target = [1, 0] }]", "")
    assert "parts[0].samples: missing" in load_error(tmp_path, text)


def test_parts_inherit_and_override(tmp_path):
    text = BASE + textwrap.dedent("""
        [[parts]]
        name = "a"
        [[parts]]
        name = "b"
        mode = "batch"
        learning_rate = 0.1
        add_samples = [{ input = [0, 0, 1, 0, 0], target = [0, 1] }]
        [[parts]]
        name = "c"
        start = "previous"
        train = false
        queries = [[1, 0, 0, 0, 1]]
    """)
    a, b, c = load_exercise(write(tmp_path, text)).parts
    assert (a.mode, a.learning_rate, len(a.samples)) == ("stochastic", 1.0, 1)
    assert (b.mode, b.learning_rate, len(b.samples), b.start) == ("batch", 0.1, 2, "initial")
    assert (c.train, c.start, len(c.queries)) == (False, "previous", 1)
    np.testing.assert_array_equal(c.queries[0].ravel(), [1, 0, 0, 0, 1])


def test_loaded_arrays_are_read_only():
    exercise = load_exercise(EXERCISES / "mlp-5-3-2-sigmoid.toml")
    with pytest.raises(ValueError):
        exercise.setup.layers[0].weights[0, 0] = 1.0


@pytest.mark.parametrize("path", sorted(EXERCISES.glob("*.toml")), ids=lambda p: p.stem)
def test_shipped_exercises_load(path):
    assert load_exercise(path).title


@pytest.mark.parametrize("symbol", ["t", r"\hat{y}", r"\theta", "y_{true}", r"\mathbf{t}", "y^{(k)}"])
def test_notation_symbols_accept_math(tmp_path, symbol):
    text = BASE + "[conventions]\nsymbols = { target = '" + symbol + "' }\n"
    exercise = load_exercise(write(tmp_path, text))
    assert exercise.parts[0].conventions.notation.target == symbol


@pytest.mark.parametrize("symbol", [r"\input{/etc/passwd}", r"\immediate\write18{ls}", "{", r"\thetax", "$x$", r"\def\x{y}"])
def test_notation_symbols_refuse_latex_commands(tmp_path, symbol):
    text = BASE + "[conventions]\nsymbols = { target = '" + symbol + "' }\n"
    assert "conventions.symbols.target: expected a symbol" in load_error(tmp_path, text)


def test_errors_name_the_line(tmp_path):
    text = BASE.replace("[[network.layers]]\nunits = 2", "[[network.layers]]\nunits = 2\nactivation = \"sigmoidal\"")
    message = load_error(tmp_path, text)
    line = text.splitlines().index('activation = "sigmoidal"') + 1
    assert message.startswith(f"{tmp_path / 'exercise.toml'}:{line}: network.layers[1].activation:")


def test_a_key_in_an_inline_list_names_the_line_of_its_list(tmp_path):
    message = load_error(tmp_path, BASE.replace("target = [1, 0]", "target = [1]"))
    line = BASE.splitlines().index("samples = [{ input = [1, 1, 0, 0, 0], target = [1, 0] }]") + 1
    assert f":{line}: training.samples[0].target" in message


def test_parameter_limit_is_checked_before_any_matrix_exists(tmp_path):
    from solver.limits import Limits

    text = BASE.replace("units = 3", "units = 1000000000")
    path = write(tmp_path, text)
    with pytest.raises(ExerciseError, match="raise it with --max-parameters"):
        load_exercise(path)
    with pytest.raises(ExerciseError, match="more than the limit of 10"):
        load_exercise(write(tmp_path, BASE, "small.toml"), Limits(parameters=10))


def test_step_limit_names_its_option(tmp_path):
    from solver.engine import solve
    from solver.errors import LimitError
    from solver.limits import Limits

    # the one update records at least 3 + 8 · 2 = 19 steps, which the reader allows; it records 23
    # (x0, t, E, and per layer W, b, z, x, f', δ, ∂W, ∂b, W_new, b_new, less the output's f'), past 20
    exercise = load_exercise(write(tmp_path, BASE), Limits(steps=20))
    with pytest.raises(LimitError, match="more than 20 steps; raise the limit with --max-steps"):
        solve(exercise)
    with pytest.raises(ExerciseError, match="more than the limit of 12 steps; raise it with --max-steps"):
        load_exercise(write(tmp_path, BASE), Limits(steps=12))


def test_file_size_limit(tmp_path):
    path = tmp_path / "big.toml"
    path.write_text(BASE + "\n# " + "x" * (5 * 2**20) + "\n")
    with pytest.raises(ExerciseError, match="larger than 4 MiB"):
        load_exercise(path)


def test_activation_parameters_per_layer_and_for_the_network(tmp_path):
    text = BASE.replace('activation = "sigmoid"', 'activation = "sigmoid"\nparameters = { beta = 2.0 }')
    text = text.replace("[[network.layers]]\nunits = 2", '[[network.layers]]\nunits = 2\nactivation = "elu"\nparameters = { beta = 0.5 }\nderivative_at_kink = 1.0')
    first, second = load_exercise(write(tmp_path, text)).setup.layers
    assert first.parameters == (("beta", 2.0),) and first.function.latex_name == r"\sigma_{2,1}"
    assert second.parameters == (("beta", 0.5),) and second.derivative_at_kink == 1.0


def test_unknown_activation_parameter(tmp_path):
    text = BASE.replace("[[network.layers]]\nunits = 3", '[[network.layers]]\nunits = 3\nactivation = "relu"\nparameters = { beta = 1 }')
    assert "network.layers[0].parameters.beta: relu has no such parameter; expected none" in load_error(tmp_path, text)


def test_parameters_that_divide_by_zero(tmp_path):
    text = BASE.replace('activation = "sigmoid"', 'activation = "softplus"\nparameters = { beta = 0 }')
    assert "leave softplus undefined" in load_error(tmp_path, text)


CUSTOM = BASE.replace("[[network.layers]]\nunits = 2", """[[network.layers]]
units = 2
activation = "custom"
expression = "x**3/3 + a*x"
parameters = { a = [1.0, 0.5] }""").replace("learning_rate = 1.0", 'learning_rate = 1.0\nloss = "custom"\nloss_expression = "(x - t)**4 / 4"')


def test_custom_activation_and_loss_match_finite_differences(tmp_path):
    from solver.engine import solve

    solution = solve(load_exercise(write(tmp_path, CUSTOM)))
    x1, W2, b2, target = solution["a.x1"], solution["a.W2"], solution["a.b2"], solution["a.t"]
    a = np.array([[1.0], [0.5]])

    def E(W):
        z2 = W @ x1 + b2
        return (((z2**3 / 3 + a * z2) - target) ** 4 / 4).sum()

    h = 1e-6
    numeric = np.zeros_like(W2)
    for index in np.ndindex(W2.shape):
        bump = np.zeros_like(W2)
        bump[index] = h
        numeric[index] = (E(W2 + bump) - E(W2 - bump)) / (2 * h)
    np.testing.assert_allclose(solution["a.dW2"], numeric, rtol=1e-6)
    sheet = solution.render("md")
    assert r"f(z) = \frac{z^{3}}{3} + a z" in sheet and "custom" not in sheet.split("## Part")[0].split("Layer 2")[0]
    assert "x**3/3 + a*x" not in sheet and "(x - t)**4" not in sheet  # only the parsed expressions are shown


@pytest.mark.parametrize(
    "change,key,message",
    [
        (('expression = "x**3/3 + a*x"', 'expression = "__import__(\'os\')"'), "network.layers[1].expression", "calling"),
        (('expression = "x**3/3 + a*x"', 'expression = "x.real"'), "network.layers[1].expression", "attribute"),
        (('loss_expression = "(x - t)**4 / 4"', 'loss_expression = "open(t)"'), "training.loss_expression", "calling open"),
        (('parameters = { a = [1.0, 0.5] }', 'parameters = { a = [1.0] }'), "network.layers[1].parameters.a", "expected 2 numbers"),
        (('parameters = { a = [1.0, 0.5] }', 'parameters = { }'), "network.layers[1].expression", "unknown name 'a'"),
    ],
)
def test_custom_expression_errors_name_their_key(tmp_path, change, key, message):
    text = CUSTOM.replace(*change)
    error = load_error(tmp_path, text)
    assert key in error and message in error


def test_kind_mlp_is_the_default(tmp_path):
    from solver.engine import solve

    implicit = load_exercise(write(tmp_path, BASE, "implicit.toml"))
    explicit = load_exercise(write(tmp_path, 'kind = "mlp"\n' + BASE, "explicit.toml"))
    assert implicit.kind == explicit.kind == "mlp"
    first, second = solve(implicit), solve(explicit)
    assert first.ids == second.ids
    for step_id in first.ids:
        np.testing.assert_array_equal(first[step_id], second[step_id])


def test_unknown_kind(tmp_path):
    text = 'kind = "foo"\n' + BASE
    message = load_error(tmp_path, text)
    line = text.splitlines().index('kind = "foo"') + 1
    assert message == (f"{tmp_path / 'exercise.toml'}:{line}: kind: unknown kind 'foo'; expected one of mlp, optimizer, "
                       "graph, batchnorm, perceptron, knn, cnn, least_squares, mle")


def test_a_top_level_key_is_known_to_the_header_or_the_kind(tmp_path):
    message = load_error(tmp_path, "epochs = 3\n" + BASE)
    assert "epochs: unknown key; expected one of ask, conventions, description, kind, network, number_format, parts, " \
           "precision, source, title, training, variants" in message
