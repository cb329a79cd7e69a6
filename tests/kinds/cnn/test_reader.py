"""Bad cnn input is one line naming the key (and the line, when the file is given), exit status 2,
nothing written."""

from __future__ import annotations

import subprocess
import sys

import pytest

from solver.errors import ExerciseError
from solver.exercise import parse_exercise

GOOD = {"kind": "cnn", "input": [32, 32, 1],
        "layers": [{"type": "conv", "filters": 6, "size": 5}, {"type": "pool", "size": 2}, {"type": "fc", "units": 10}]}


def read(**changes):
    data = {**GOOD, **changes}
    return parse_exercise({k: v for k, v in data.items() if v is not None}, "cnn.toml")


def layers(*changed):
    return {"layers": list(changed)}


@pytest.mark.parametrize("changes,key,words", [
    (layers({"type": "convolution", "filters": 6, "size": 5}), "layers[0].type", "did you mean 'conv'"),
    (layers({"type": "conv", "filter": 6, "size": 5}), "layers[0].filter", "did you mean 'filters'"),
    (layers({"typ": "conv", "filters": 6, "size": 5}), "layers[0].typ", "did you mean 'type'"),
    (layers({"filters": 6, "size": 5}), "layers[0]", "missing type"),
    (layers({"type": "pool", "size": 2, "padding": 1}), "layers[0].padding", "unknown key"),
    (layers({"type": "fc", "units": 0}), "layers[0].units", "from 1"),
    (layers({"type": "conv", "filters": -1, "size": 5}), "layers[0].filters", "from 1"),
    (layers({"type": "conv", "filters": 6, "size": 0}), "layers[0].size", "from 1"),
    (layers({"type": "conv", "filters": 6, "size": 5, "stride": 0}), "layers[0].stride", "from 1"),
    (layers({"type": "conv", "filters": 6, "size": 5, "padding": -1}), "layers[0].padding", "from 0"),
    (layers({"type": "conv", "filters": 6, "size": [5, 0]}), "layers[0].size[1]", "from 1"),
    (layers({"type": "conv", "filters": 6, "size": [5, 5, 5]}), "layers[0].size", "[width, height]"),
    (layers({"type": "conv", "filters": 6, "size": 2.5}), "layers[0].size", "whole number"),
    (layers({"type": "conv", "filters": 6, "size": True}), "layers[0].size", "whole number"),
    (layers({"type": "conv", "filters": 6}), "layers[0].size", "missing"),
    (layers({"type": "conv", "filters": 6, "size": 33}), "layers[0].size", "does not fit a width of 32"),
    (layers({"type": "conv", "filters": 6, "size": 37, "padding": 2}), "layers[0].size", "padded by 2"),
    (layers({"type": "conv", "filters": 6, "size": 5, "stride": 2}), "layers[0].stride", "strides that fit: 1, 3, 9, 27"),
    (layers({"type": "pool", "size": 3}), "layers[0].stride", "(32 − 3)/3 + 1"),
    (layers({"type": "pool", "size": 2, "op": "min"}), "layers[0].op", "expected one of"),
    (layers({"type": "fc", "units": 3}, {"type": "conv", "filters": 1, "size": 1}), "layers[1].type", "expected 'fc'"),
    (layers({"type": "conv", "filters": 2, "size": 5, "input_channels": [1]}), "layers[0].input_channels", "2 whole"),
    (layers({"type": "conv", "filters": 1, "size": 5, "input_channels": [2]}), "layers[0].input_channels",
     "cannot see 2 channels"),
    ({"input": [32, 32]}, "input", "[width, height, channels]"),
    ({"input": [32, 32, 0]}, "input[2]", "from 1"),
    ({"input": [3], "layers": [{"type": "pool", "size": 1}]}, "layers[0].type", "a vector input"),
    ({"input": [2**60, 1, 1]}, "input[0]", "from 1 to 1,000,000"),
    ({"input": [2**70, 1, 1]}, "input[0]", "from 1 to 1,000,000"),
    ({"input": None}, "input", "missing"),
    ({"layers": None}, "layers", "missing"),
    ({"layers": []}, "layers", "list of layer tables"),
    ({"layers": [5]}, "layers[0]", "layer table"),
    ({"conventions": {"bias_is_connection": "yes"}}, "conventions.bias_is_connection", "true or false"),
    ({"conventions": {"batch_reduction": "sum"}}, "conventions.batch_reduction", "unknown key"),
    ({"parts": [{"start": "initial"}, {"start": "previous"}]}, "parts[1].start", "counts its own network"),
    ({"parts": [{"layer": []}]}, "parts[0].layer", "did you mean 'layers'"),
    ({"network": {}}, "network", "unknown key"),
])
def test_bad_input_is_one_line_naming_the_key(changes, key, words):
    with pytest.raises(ExerciseError) as caught:
        read(**changes)
    assert caught.value.key == key, caught.value
    assert words in caught.value.message, caught.value.message
    assert "\n" not in str(caught.value)


def test_counts_beyond_float64s_whole_numbers_are_refused():
    # 10^6 × 10^6 inputs times 10^6 filters of 1 × 1 × 10^6: 10^24 connections, far beyond 2^53
    huge = {"input": [10**6, 10**6, 10**6], "layers": [{"type": "conv", "filters": 10**6, "size": 1}]}
    with pytest.raises(ExerciseError) as caught:
        read(**huge)
    assert caught.value.key == "layers[0]" and "beyond 2^53" in caught.value.message
    # each layer's 10^9 outputs × 1001 connections ≈ 1.0·10^15 < 2^53 ≈ 9.0·10^15, ten of them above:
    # the totals are checked too
    layer = {"type": "conv", "filters": 1000, "size": 1}
    read(input=[10**6, 10**3, 1000], layers=[layer] * 8)
    with pytest.raises(ExerciseError) as caught:
        read(input=[10**6, 10**3, 1000], layers=[layer] * 10)
    assert caught.value.key == "layers[9]" and "add up beyond 2^53" in caught.value.message


def test_a_size_that_is_not_whole_exits_2_with_the_explanation_and_writes_nothing(tmp_path):
    # Krizhevsky et al. (2012) print a 224 × 224 input for AlexNet's first layer: 54.25 is not a size
    path = tmp_path / "alexnet-224.toml"
    path.write_text('kind = "cnn"\ninput = [224, 224, 3]\n'
                    'layers = [{ type = "conv", filters = 96, size = 11, stride = 4, padding = 0 }]\n')
    out = tmp_path / "sheet.md"
    run = subprocess.run([sys.executable, "-m", "solver", "solve", str(path), "-o", str(out)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 2 and run.stdout == "" and not out.exists()
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"byhand: {path}:3: layers[0].stride: (224 + 2·0 − 11)/4 + 1 = 217/4")
    assert "widths that fit: 223 or 227" in run.stderr
