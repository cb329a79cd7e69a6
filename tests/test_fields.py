"""Where an error points (the line of a key, also inside a multi-line inline list) and what it suggests."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from solver.errors import ExerciseError
from solver.fields import FieldReader, closest
from solver.locate import locate

CNN = """title = "x"
kind = "cnn"
input = [32, 32, 1]
layers = [
  { type = "conv", filters = 6, size = 5, stride = 1, padding = 0 },  # C1 [not a bracket]
  { type = "pool", size = 2, stride = 0, op = "max" },

  { type = "fc", units = 120 },
]
"""

MATRIX = """title = "x"
[network]
weights = [
  [1, 2],   # row 0 [x]
  ["a]b", 3],
]
"""


@pytest.mark.parametrize("key,line", [
    ("layers[0]", 5), ("layers[1]", 6), ("layers[1].size", 6), ("layers[1].stride", 6), ("layers[2].units", 8),
    ("layers[9]", 4), ("input[1]", 3), ("title", 1),
])
def test_an_element_of_an_inline_list_is_found_on_its_own_line(key, line):
    assert locate(CNN, key) == line


@pytest.mark.parametrize("key,line", [("network.weights[0][1]", 4), ("network.weights[1][1]", 5),
                                      ("network.weights[1]", 5), ("network", 2)])
def test_rows_of_a_matrix_are_found_past_strings_and_comments(key, line):
    assert locate(MATRIX, key) == line


def test_the_cli_points_at_the_layer(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(CNN)
    run = subprocess.run([sys.executable, "-m", "solver", "solve", str(path)], capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [run.stderr.strip()]
    assert f"{path}:6: layers[1].stride" in run.stderr


@pytest.mark.parametrize("written,options,suggested", [
    ("maks", ("max", "avg", "subsample"), "max"),
    ("Sigmiod", ("sigmoid", "tanh"), "sigmoid"),
])
def test_a_near_miss_is_suggested(written, options, suggested):
    assert closest(written, options) == f" (did you mean {suggested!r}?)"


def test_an_unrelated_word_is_not_suggested():
    assert closest("banana", ("max", "avg", "subsample")) == ""


def test_a_choice_written_in_other_capitals_is_that_choice():
    read = FieldReader("x.toml", "")
    assert read.choice({"distance": "L1"}, "distance", "", ("l1", "l2"), "l2") == "l1"


@pytest.mark.parametrize("values,bad", [
    ([1, 1e13, 2], "[1]"), ([0.5, True], "[1]"), ([2**60, 1], "[0]"), ([1.0, float("nan")], "[1]"), (["1", 2], "[0]"),
])
def test_a_list_read_all_at_once_still_names_the_entry_that_is_refused(values, bad):
    # vectors and matrices of plain numbers are checked at once; any other list goes number by number
    read = FieldReader("x.toml", "")
    with pytest.raises(Exception) as caught:
        read.vector(values, "v", len(values), "a test")
    assert f"v{bad}" in str(caught.value)
    with pytest.raises(Exception) as caught:
        read.matrix_or_constant([values], "m", 1, len(values))
    assert f"m[0]{bad}" in str(caught.value)


@pytest.mark.parametrize("rows,columns,expected", [
    (1, 2, "expected a number or a 1×2 matrix (1 row of 2 numbers), got "),
    (2, 1, "expected a number or a 2×1 matrix (2 rows of 1 number), got "),
])
def test_a_matrix_of_the_wrong_shape_says_the_shape_in_words(rows, columns, expected):
    with pytest.raises(ExerciseError, match=re.escape(expected)):
        FieldReader("x.toml", "").matrix_or_constant([[1, 2, 3]], "m", rows, columns)


def test_a_list_read_all_at_once_equals_the_numbers_read_one_by_one():
    read = FieldReader("x.toml", "")
    values = [1, -2.5, 0, 1e12, -1e-300]
    assert read.vector(values, "v", 5, "a test")[:, 0].tolist() == [read.number(v, "v") for v in values]
