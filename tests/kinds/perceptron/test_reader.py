"""Bad perceptron input is one line naming the key (and the line, when the file is given)."""

from __future__ import annotations

import numpy as np
import pytest

from solver.errors import ExerciseError
from solver.exercise import load_exercise, parse_exercise

GOOD = {"kind": "perceptron", "dataset": "and"}


def read(**changes):
    data = {**GOOD, **changes}
    return parse_exercise({k: v for k, v in data.items() if v is not None}, "p.toml")


def test_a_gate_is_every_input_in_counting_order_and_sign_writes_its_zero_as_minus_one():
    samples = read(dataset="majority", inputs=3, activation="sign").setup
    assert samples.x.shape == (3, 8)
    np.testing.assert_array_equal(samples.x[:, 3], [0, 1, 1])
    np.testing.assert_array_equal(samples.t.ravel(), [-1, -1, -1, 1, -1, 1, 1, 1])


def test_weights_default_to_zero_and_a_number_fills_them():
    assert read().parts[0].weights.ravel().tolist() == [0, 0, 0]
    assert read(weights=0.5).parts[0].weights.ravel().tolist() == [0.5, 0.5, 0.5]


SAMPLES = [{"input": [0, 1], "target": 1}, {"input": [1, 1], "target": 0}]


@pytest.mark.parametrize("changes,key,words", [
    ({"dataset": "xnor"}, "dataset", "did you mean 'xor'?"),
    ({"dataset": "AND"}, "dataset", "did you mean 'and'?"),
    ({"dataset": "majority"}, "inputs", "number of inputs"),
    ({"dataset": "and", "inputs": 0}, "inputs", "from 1 to 6"),
    ({"dataset": "and", "inputs": 7}, "inputs", "from 1 to 6"),
    ({"dataset": None}, "dataset", "either dataset"),
    ({"samples": SAMPLES}, "dataset", "not both"),
    ({"dataset": None, "samples": SAMPLES, "inputs": 2}, "inputs", "goes with a dataset"),
    ({"dataset": None, "samples": [{"input": [0, 1], "target": 2}]}, "samples[0].target", "expected 0 or 1"),
    ({"dataset": None, "samples": [{"input": [0, 1], "target": 0}], "activation": "sign"}, "samples[0].target",
     "expected -1 or 1"),
    ({"dataset": None, "samples": [{"input": [0, 1], "target": 1}, {"input": [1], "target": 0}]},
     "samples[1].input", "expected 2 numbers"),
    ({"dataset": None, "samples": [{"input": [0, 1]}]}, "samples[0]", "input = […] and target"),
    ({"dataset": None, "samples": [{"input": 3, "target": 1}]}, "samples[0].input", "list of 1 to 16"),
    ({"dataset": None, "samples": [{"input": [0, 1], "target": 1, "label": 3}]}, "samples[0].label", "unknown key"),
    ({"dataset": None, "samples": []}, "samples", "list of samples"),
    ({"dataset": None, "samples": [{"input": [0, 1], "target": [1]}]}, "samples[0].target", "expected a number"),
    ({"weights": [0, 0]}, "weights", "expected 3 numbers"),
    ({"weights": [[0, 0, 0]]}, "weights", "expected 3 numbers"),
    ({"learning_rate": 0}, "learning_rate", "> 0"),
    ({"learning_rate": "fast"}, "learning_rate", "expected a number"),
    ({"max_epochs": 0}, "max_epochs", "from 1 to 1000"),
    ({"activation": "relu"}, "activation", "expected one of"),
    ({"bias": "w_0"}, "bias", "did you mean 'w0'?"),
    ({"parts": [{"start": "initial"}, {"start": "previous"}]}, "parts[1].start", "its own weights"),
    ({"parts": [{"weights": [1]}]}, "parts[0].weights", "expected 3 numbers"),
    ({"parts": [{"k": 3}]}, "parts[0].k", "unknown key"),
])
def test_bad_input_is_one_line_naming_the_key(changes, key, words):
    with pytest.raises(ExerciseError) as caught:
        read(**changes)
    assert caught.value.key == key
    assert words in caught.value.message, caught.value.message
    assert "\n" not in str(caught.value)


def test_the_line_is_named_when_the_file_is_given(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('kind = "perceptron"\ntitle = "x"\ndataset = "nand2"\n')
    with pytest.raises(ExerciseError) as caught:
        load_exercise(path)
    assert str(caught.value).startswith(f"{path}:3: dataset: unknown gate 'nand2' (did you mean 'nand'?)")
