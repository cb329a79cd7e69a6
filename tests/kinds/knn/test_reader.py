"""Bad k-NN input is one line naming the key (and the line, when the file is given)."""

from __future__ import annotations

import pytest

from solver.errors import ExerciseError
from solver.exercise import load_exercise, parse_exercise

GOOD = {"kind": "knn", "points": [[0, 0], [1, 0], [0, 2]], "labels": ["A", "B", "A"], "query": [1, 1], "k": 1}


def read(**changes):
    data = {**GOOD, **changes}
    return parse_exercise({k: v for k, v in data.items() if v is not None}, "knn.toml")


def test_names_are_numbered_in_order_and_whole_numbers_are_their_own_class():
    assert read().setup.classes == ("A", "B") and read().setup.numbers == (1, 2)
    numbered = read(labels=[7, 3, 7]).setup
    assert numbered.classes == ("3", "7") and numbered.numbers == (3, 7)


@pytest.mark.parametrize("changes,key,words", [
    ({"k": 4}, "k", "more than the 3 points"),
    ({"k": 0}, "k", "from 1 to 3"),
    ({"k": -1}, "k", "from 1 to 3"),
    ({"k": 1.5}, "k", "from 1 to 3"),
    ({"k": None}, "k", "missing"),
    ({"points": [[0, 0], [1]]}, "points[1]", "expected 2 numbers"),
    ({"points": []}, "points", "one list of coordinates per point"),
    ({"points": [[0, "x"], [1, 0], [0, 2]]}, "points[0][1]", "expected a number"),
    ({"labels": ["A", "B"]}, "labels", "3 labels"),
    ({"labels": ["A", 1, "B"]}, "labels", "not a mix"),
    ({"labels": ["A", "B b", "A"]}, "labels[1]", "name of up to 12"),
    ({"labels": ["A", True, "A"]}, "labels[1]", "whole number or a name"),
    ({"query": [1, 1, 1]}, "query", "2 coordinates"),
    ({"queries": [[1, 1]]}, "queries", "not both"),
    ({"query": None}, "query", "missing; expected query"),
    ({"query": None, "queries": []}, "queries", "1 to 20 points"),
    ({"query": None, "queries": [[1, 1], [2]]}, "queries[1]", "2 coordinates"),
    ({"distance": "l3"}, "distance", "expected one of 'l2', 'l1'"),
    ({"distance": "euclid"}, "distance", "got 'euclid'"),
    ({"tie": "random"}, "tie", "expected one of"),
    ({"parts": [{}, {}]}, "parts", "one [[parts]]"),
    ({"parts": [{"k": 2}]}, "parts[0].k", "unknown key"),
    ({"neighbours": 3}, "neighbours", "unknown key"),
])
def test_bad_input_is_one_line_naming_the_key(changes, key, words):
    with pytest.raises(ExerciseError) as caught:
        read(**changes)
    assert caught.value.key == key
    assert words in caught.value.message, caught.value.message
    assert "\n" not in str(caught.value)


def test_the_line_is_named_when_the_file_is_given(tmp_path):
    path = tmp_path / "knn.toml"
    path.write_text('kind = "knn"\npoints = [[0, 0], [1, 1]]\nlabels = [1, 2]\nquery = [0, 1]\nk = 3\n')
    with pytest.raises(ExerciseError) as caught:
        load_exercise(path)
    assert str(caught.value).startswith(f"{path}:5: k: k = 3 is more than the 2 points")
