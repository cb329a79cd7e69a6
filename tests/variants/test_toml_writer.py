"""The TOML writer against the standard library's reader: whatever it writes reads back as the
data it was given (tomllib is the independent oracle)."""

import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solver.variants.toml_writer import dumps
from tests.hostile import FUZZ

scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),  # nan != nan; nan is written as "nan" (checked below)
    st.text(max_size=20),
)
keys = st.text(max_size=8)


def values(inner):
    return st.one_of(scalars, st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=3))


documents = st.dictionaries(keys, st.recursive(scalars, values, max_leaves=20), max_size=6)


@FUZZ
@given(documents)
def test_what_is_written_reads_back_the_same(data):
    assert tomllib.loads(dumps(data)) == data


@pytest.mark.parametrize("value, text", [
    (0.3, "0.3"), (1.0, "1.0"), (-0.0, "-0.0"), (1e-05, "1e-05"), (1e16, "1e+16"), (7, "7"), (True, "true"),
    ('say "hi"\\', '"say \\"hi\\"\\\\"'), ("tab\there\n", '"tab\\there\\n"'), ("\x1b[31m\x7f", '"\\u001B[31m\\u007F"'),
    (float("inf"), "inf"), ([1, [2.5, "a"]], '[1, [2.5, "a"]]'),
])
def test_values_are_written_as_toml_writes_them(value, text):
    assert dumps({"x": value}) == f"x = {text}\n"
    assert tomllib.loads(dumps({"x": value})) == {"x": value}


def test_nan_is_written_as_toml_nan():
    assert dumps({"x": float("nan")}) == "x = nan\n"


def test_tables_and_lists_of_tables_get_headers_after_the_plain_keys():
    data = {"network": {"layers": [{"units": 3}, {"units": 2, "weights": [[0.1, 0.2]]}], "inputs": 5},
            "title": "t", "training": {"samples": [{"input": [1, 0], "target": [1]}]}, "a b": {}}
    text = dumps(data)
    assert text.splitlines() == [
        'title = "t"', "", "[network]", "inputs = 5", "", "[[network.layers]]", "units = 3", "",
        "[[network.layers]]", "units = 2", "weights = [[0.1, 0.2]]", "", "[training]", "",
        "[[training.samples]]", "input = [1, 0]", "target = [1]", "", '["a b"]',
    ]
    assert tomllib.loads(text) == data


def test_a_date_is_refused():
    import datetime

    with pytest.raises(TypeError):
        dumps({"x": datetime.date(2026, 1, 1)})
