"""Bad batch-norm input is one line naming the key (and the line, when the file is given)."""

from __future__ import annotations

import numpy as np
import pytest

from solver.errors import ExerciseError
from solver.exercise import parse_exercise

GOOD = {"kind": "batchnorm", "samples": [[1.0, 2.0], [3.0, 0.0], [5.0, 4.0]], "upstream": [[1, 0], [0, 1], [1, 1]]}


def read(**changes):
    data = {**GOOD, **changes}
    return parse_exercise({k: v for k, v in data.items() if v is not None}, "bn.toml")


def test_samples_are_stored_as_columns_and_gamma_beta_per_feature():
    batch = read(gamma=[1.0, 2.0], beta=0.5).setup
    np.testing.assert_array_equal(batch.x, [[1, 3, 5], [2, 0, 4]])
    np.testing.assert_array_equal(batch.gamma, [[1], [2]])
    np.testing.assert_array_equal(batch.beta, [[0.5], [0.5]])
    assert (batch.samples, batch.features) == (3, 2)


@pytest.mark.parametrize("changes,key,words", [
    ({"samples": [[1.0, 2.0]], "upstream": [[1, 0]]}, "samples", "m ≥ 2"),
    ({"samples": [[1.0, 2.0], [3.0]]}, "samples", "same number of features"),
    ({"samples": []}, "samples", "list of samples"),
    ({"samples": None}, "samples", "missing"),
    ({"samples": [[1.0, "two"], [3.0, 0.0], [5.0, 4.0]]}, "samples[0][1]", "expected a number"),
    ({"upstream": [[1, 0], [0, 1]]}, "upstream", "3 samples of 2 features"),
    ({"upstream": [[1, 0, 2], [0, 1, 2], [1, 1, 2]]}, "upstream", "3 samples of 2 features"),
    ({"upstream": None}, "upstream", "missing"),  # no [[parts]]: the key the file would have
    ({"upstream": None, "parts": [{"name": "a"}]}, "parts[0].upstream", "missing"),
    ({"loss": "half_sse"}, "upstream", "not both"),
    ({"upstream": None, "loss": "half_sse"}, "targets", "missing"),
    ({"upstream": None, "loss": "hinge", "targets": [[1, 0], [0, 1], [1, 1]]}, "loss", "expected one of"),
    ({"upstream": None, "targets": [[1, 0], [0, 1]]}, "targets", "3 samples"),
    ({"epsilon": 0}, "epsilon", "> 0"),
    ({"epsilon": -1e-5}, "epsilon", "> 0"),
    ({"epsilon": "small"}, "epsilon", "expected a number"),
    ({"epsilon": float("nan")}, "epsilon", "finite"),
    ({"gamma": [1.0, 2.0, 3.0]}, "gamma", "2 numbers"),
    ({"beta": True}, "beta", "expected a number"),
    ({"parts": [{"start": "initial"}, {"start": "previous"}]}, "parts[1].start", "carries nothing"),
    ({"parts": [{"steps": 2}]}, "parts[0].steps", "unknown key"),
    ({"momentum": 0.9}, "momentum", "unknown key"),
])
def test_bad_input_is_one_line_naming_the_key(changes, key, words):
    with pytest.raises(ExerciseError) as caught:
        read(**changes)
    assert caught.value.key == key
    assert words in caught.value.message
    assert "\n" not in str(caught.value)


def test_the_line_is_named_when_the_file_is_given(tmp_path):
    path = tmp_path / "bn.toml"
    path.write_text('kind = "batchnorm"\nsamples = [[1, 2], [3, 4]]\nupstream = [[1, 0], [0, 1]]\nepsilon = 0\n')
    from solver.exercise import load_exercise
    with pytest.raises(ExerciseError) as caught:
        load_exercise(path)
    assert str(caught.value).startswith(f"{path}:4: epsilon: ")
