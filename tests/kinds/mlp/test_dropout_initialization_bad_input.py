"""Bad dropout and initialisation settings: one line naming the file, line and key and what was
expected (the closest name suggested for a misspelt scheme), exit status 2, nothing written."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from solver.errors import ExerciseError
from solver.exercise import parse_exercise
from tests.conftest import EXERCISES

DROPOUT = (EXERCISES / "mlp-dropout-inverted-masks.toml").read_text()
INIT = (EXERCISES / "mlp-4-3-2-he-xavier-init.toml").read_text()


def refused(text: str) -> str:
    with pytest.raises(ExerciseError) as raised:
        parse_exercise(tomllib.loads(text), "bad.toml", text=text)
    message = str(raised.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("table,expected", [
    ("{ keep_prob = 0, masks = [1, 0, 1, 1] }", "network.layers[0].dropout.keep_prob: expected a number greater than 0 and at most 1, got 0"),
    ("{ keep_prob = 1.2, masks = [1, 0, 1, 1] }", "dropout.keep_prob: expected a number greater than 0 and at most 1, got 1.2"),
    ("{ keep_prob = -0.5, seed = 1 }", "dropout.keep_prob: expected a number greater than 0 and at most 1"),
    ("{ drop_ratio = 1, seed = 1 }", "dropout.drop_ratio: expected a number from 0 up to (not including) 1, got 1"),
    ("{ keep_prob = 0.8, drop_ratio = 0.2, seed = 1 }", "dropout.keep_prob: expected keep_prob = p (0 < p ≤ 1) or drop_ratio"),
    ("{ keep_prob = 0.8, masks = [1, 0, 1] }", "dropout.masks: expected a mask of 4 numbers (0 or 1, one per unit)"),
    ("{ keep_prob = 0.8, masks = [[1, 0, 1, 1], [1, 1]] }", "dropout.masks[1]: expected a mask of 4 numbers"),
    ("{ keep_prob = 0.8, masks = [1, 0, 0.5, 1] }", "dropout.masks[2]: expected 0 (dropped) or 1 (kept), got 0.5"),
    ("{ keep_prob = 0.8, masks = [[1, 0, 1, 1], [1, 2, 1, 1]] }", "dropout.masks[1][1]: expected 0 (dropped) or 1 (kept), got 2"),
    ("{ keep_prob = 0.8, masks = [[1, 0, 1, 1], [1, 1, 1, 1], [0, 1, 1, 1]] }",
     "dropout.masks: expected one mask, or one per sample presentation of part (a): 2 (2 samples × 1 epoch), got 3 masks"),
    ("{ keep_prob = 0.8 }", "dropout.masks: expected masks = [[…], …] (0 drops a unit, 1 keeps it) or seed = n"),
    ("{ keep_prob = 0.8, seed = 1, masks = [1, 1, 1, 1] }", "dropout.masks: expected masks = "),
    ("{ keep_prob = 0.8, seed = 1, form = \"inverse\" }", "dropout.form: expected one of 'inverted', 'scaled_mask', got 'inverse' (did you mean 'inverted'?)"),
    ("{ keep_prob = 0.8, seed = 1, keep = 1 }", "dropout.keep: unknown key (did you mean 'keep_prob'?)"),
    ("0.8", "network.layers[0].dropout: expected a table, got 0.8"),
])
def test_bad_dropout(table, expected):
    text = DROPOUT.replace("dropout = { keep_prob = 0.8, masks = [[1, 0, 1, 1], [0, 1, 1, 1]] }", f"dropout = {table}")
    message = refused(text)
    assert expected in message
    assert message.startswith("bad.toml:")  # with the line the key is on


def test_dropout_on_the_output_layer_is_refused():
    text = DROPOUT.replace('weights = [[0.3, -0.2, 0.5, 0.1], [-0.4, 0.2, 0.1, 0.6]]',
                           'weights = [[0.3, -0.2, 0.5, 0.1], [-0.4, 0.2, 0.1, 0.6]]\ndropout = { keep_prob = 0.5, seed = 1 }')
    assert "network.layers[1].dropout: dropout is for hidden layers" in refused(text)


@pytest.mark.parametrize("table,expected", [
    ('{ scheme = "kaiming", seed = 1 }', "initialization.scheme: expected one of 'zeros', 'constant', 'uniform', 'normal', 'xavier', 'glorot', 'he', 'tanh', got 'kaiming'"),
    ('{ scheme = "xavir", seed = 1 }', "(did you mean 'xavier'?)"),
    ('{ scheme = "glorrot" }', "(did you mean 'glorot'?)"),
    ('{ seed = 1 }', "network.layers[0].initialization.scheme: missing; expected one of"),
    ('{ scheme = "he", distribution = "gaussian" }', "initialization.distribution: expected one of 'normal', 'uniform'"),
    ('{ scheme = "he", std = 2 }', 'initialization.std: scheme = "he" does not take this key; it takes distribution, seed'),
    ('{ scheme = "constant" }', 'initialization.value: missing; scheme = "constant" needs value = …'),
    ('{ scheme = "uniform", low = 1, high = 1 }', "initialization.high: expected a number greater than low = 1, got 1"),
    ('{ scheme = "normal", std = 0 }', "initialization.std: expected a number greater than 0, got 0"),
    ('{ scheme = "he", seed = -3 }', "initialization.seed: expected a whole number from 0"),
    ('{ scheme = "zeros", seed = 1 }', 'initialization.seed: scheme = "zeros" does not take this key; it takes no other key'),
])
def test_bad_initialization(table, expected):
    text = INIT.replace('initialization = { scheme = "he", distribution = "normal", seed = 11 }',
                        f"initialization = {table}")
    assert expected in refused(text)


def test_weights_and_an_initialization_on_one_layer_are_refused():
    text = INIT.replace('initialization = { scheme = "he", distribution = "normal", seed = 11 }',
                        'initialization = { scheme = "he" }\nweights = 0.1')
    assert "network.layers[0].initialization: a layer takes weights or an initialization, not both" in refused(text)
    text = INIT.replace("biases = 0.0", 'biases = 0.0\nweights = 0.1\ninitialization = { scheme = "he" }')
    assert "network.initialization: [network] takes weights or an initialization, not both" in refused(text)


def test_a_bad_file_is_one_line_exit_2_and_nothing_written(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(INIT.replace('scheme = "he"', 'scheme = "hee"'))
    run = subprocess.run([sys.executable, "-m", "solver", "solve", str(path), "-o", str(tmp_path / "out.md")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert "bad.toml:18: network.layers[0].initialization.scheme: expected one of" in run.stderr
    assert "did you mean 'he'?" in run.stderr
    assert not (tmp_path / "out.md").exists()
