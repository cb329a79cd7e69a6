"""Fuzzing the [variants] table and the ask list: whatever they hold, `byhand variants` and the
Moodle export make their files or refuse with a SolverError; no other exception escapes, and a
variant that is made is an exercise its kind's reader accepts."""

import tomllib
from contextlib import suppress

from hypothesis import given
from hypothesis import strategies as st

from solver.errors import SolverError
from solver.exercise import parse_exercise
from solver.variants.make import make_variants
from solver.variants.quiz import moodle_quiz
from solver.variants.toml_writer import dumps
from tests.conftest import EXERCISES
from tests.hostile import FUZZ

BASE = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
numbers = st.one_of(st.integers(min_value=-5, max_value=5), st.floats(allow_nan=False),
                    st.sampled_from([0, 0.1, -1, 1e-300, 1e300, 2**64, True]))
anything = st.one_of(numbers, st.text(max_size=8), st.lists(numbers, max_size=4),
                     st.lists(st.lists(numbers, max_size=3), max_size=3), st.dictionaries(st.text(max_size=5), numbers))
paths = st.one_of(st.sampled_from(["network.weights", "network.layers[0].weights", "network.layers[1].units",
                                   "training.samples[0].input", "training.samples[0].target", "training.learning_rate",
                                   "network.layers[9].weights", "parts[1].queries", "title", "variants", "ask"]),
                  st.text(max_size=20))
rules = st.one_of(
    st.fixed_dictionaries({}, optional={"from": anything, "to": anything, "step": anything, "shape": anything}),
    st.fixed_dictionaries({"choices": st.one_of(st.lists(anything, max_size=4), anything)},
                          optional={"shape": st.one_of(st.sampled_from([[3, 5], [2], []]), anything)}),
    anything,
)
tables = st.dictionaries(paths, rules, max_size=3).flatmap(
    lambda table: st.fixed_dictionaries({}, optional={
        "conditions": st.one_of(st.lists(st.sampled_from(["no_tied_output", "no_zero_gradient", "finite", "x"])),
                                anything),
        "description": anything,
    }).map(lambda extra: {**table, **extra}))


@FUZZ
@given(tables)
def test_any_variants_table_makes_valid_exercises_or_is_refused(tmp_path_factory, table):
    path = tmp_path_factory.mktemp("fuzz") / "e.toml"
    path.write_text(dumps({**BASE, "variants": table}))
    with suppress(SolverError):
        for variant in make_variants(path, 2, seed=0):
            parse_exercise(tomllib.loads(variant.text), "variant.toml")


@FUZZ
@given(st.one_of(st.lists(st.one_of(st.sampled_from(["a.x2", "a.W1_new", "b.q1.class", "a.W1", "a.E"]), anything),
                          max_size=4), anything))
def test_any_ask_list_exports_or_is_refused(tmp_path_factory, ask):
    path = tmp_path_factory.mktemp("fuzz") / "e.toml"
    path.write_text(dumps({**BASE, "ask": ask}))
    with suppress(SolverError):
        moodle_quiz(path)
