"""Whatever an answers file holds, `byhand check` judges each entry or says why it cannot: no
traceback, no hang. Numbers at and beyond float64's range, nesting, huge fractions, long runs
of digits, and many entries."""

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

import solver
from solver.check import check, parse_answers
from solver.check.checker import CORRECT, NOT_CHECKED, WRONG
from tests.hostile import FUZZ

EXERCISE = solver.load("mlp-5-3-2-sigmoid")
TRUTH = solver.solve(EXERCISE)


def verdict_of(value, step_id="a.E"):
    report = check(EXERCISE, parse_answers({step_id: value}, "extreme.toml"))
    for format in ("text", "md", "json"):
        report.render(format)
    (verdict,) = report.verdicts
    return verdict


@pytest.mark.parametrize("value", [
    "1e400", "-1e400", "1e-400", 5e-324, -5e-324, 1e-310, "1e-301", 1e301, 1.7976931348623157e308,
    "0e-400", "9" * 65, "1" * 310 + "/3", "3/" + "1" * 310, "1/" + "0" * 10, "1" * 5000 + "x",
    "." + "0" * 64, "1e99999999999999999999", "+-1", "1e", "--1", "1/-3", "nan", "inf", "-inf", "0x10", "1_000",
])
def test_extreme_strings_are_refused_with_a_reason(value):
    verdict = verdict_of(value)
    assert verdict.outcome == NOT_CHECKED and verdict.reason


@pytest.mark.parametrize("value,outcome", [
    ("1e-300", WRONG), ("1e300", WRONG), (1e-300, WRONG), ("-0.0", WRONG), ("2/3", WRONG),
    ("." + "0" * 63, WRONG),
])
def test_extremes_inside_the_range_are_judged(value, outcome):
    assert verdict_of(value).outcome == outcome


def test_the_seed_value_written_as_a_fraction_is_judged():
    exact = TRUTH["a.E"].item()
    numerator = round(exact * 10**12)
    assert verdict_of(f"{numerator}/{10**12}").outcome == CORRECT


@pytest.mark.parametrize("depth", [3, 4, 65, 200])
def test_lists_nested_deeper_than_a_matrix_are_refused(depth):
    value = 1.0
    for _ in range(depth):
        value = [value]
    verdict = verdict_of(value, "a.W1")
    assert verdict.outcome == NOT_CHECKED and "nested deeper than a matrix" in verdict.reason


def test_a_long_run_of_digits_is_refused_in_linear_time():
    started = time.perf_counter()
    verdict = verdict_of("1" * 2_000_000 + "x")
    assert verdict.outcome == NOT_CHECKED
    assert time.perf_counter() - started < 5  # a backtracking pattern took minutes on this


def test_many_entries_are_refused_as_a_whole():
    from solver.errors import AnswersError

    with pytest.raises(AnswersError, match="more than"):
        parse_answers({f"x{i}": 1 for i in range(20_001)}, "many.toml")


extreme_text = st.one_of(
    st.from_regex(r"[+-]?[0-9]{0,70}(\.[0-9]{0,70})?([eE][+-]?[0-9]{1,6})?", fullmatch=True),
    st.from_regex(r"[+-]?[0-9]{1,400}/[0-9]{1,400}", fullmatch=True),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**80), max_value=2**80),
)
nested = st.recursive(extreme_text, lambda inner: st.lists(inner, min_size=1, max_size=3), max_leaves=12)


@FUZZ
@given(st.sampled_from(list(TRUTH.ids)), nested)
def test_random_extreme_numbers_are_judged_or_refused(step_id, value):
    if value == "":  # not answered
        return
    verdict = verdict_of(value, step_id)
    assert verdict.outcome in (CORRECT, WRONG, NOT_CHECKED, "follows through")
    assert verdict.outcome != NOT_CHECKED or verdict.reason
