"""Words in messages and templates: counts with the right number, shapes in words."""

import pytest

from solver.text import counted, matrix_in_words


@pytest.mark.parametrize("count,noun,words", [
    (0, "row", "0 rows"), (1, "row", "1 row"), (2, "row", "2 rows"), (1, "number", "1 number"),
    (12, "number", "12 numbers"),
])
def test_a_count_is_singular_only_for_one(count, noun, words):
    assert counted(count, noun) == words


@pytest.mark.parametrize("rows,columns,words", [
    (1, 2, "a 1×2 matrix (1 row of 2 numbers)"),
    (3, 1, "a 3×1 matrix (3 rows of 1 number)"),
    (3, 5, "a 3×5 matrix (3 rows of 5 numbers)"),
])
def test_a_matrix_in_words(rows, columns, words):
    assert matrix_in_words(rows, columns) == words


def test_a_boolean_is_quoted_as_toml_writes_it():
    from solver.text import quoted

    assert (quoted(True), quoted(False)) == ("true", "false")
