"""Fuzzing the perceptron and k-NN readers: whatever their keys hold, the exercise is solved and
rendered, or refused with a SolverError; no other exception escapes."""

from contextlib import suppress

from hypothesis import given
from hypothesis import strategies as st

import solver
from solver.check import answers_template, check, parse_answers
from solver.check.answers import _number
from solver.errors import SolverError
from solver.exercise import parse_exercise
from solver.limits import Limits
from tests.hostile import FUZZ

SMALL = Limits(parameters=5000, steps=500)
numbers = st.one_of(st.integers(min_value=-5, max_value=5), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([0, 1, -1, 0.1, 0.5, 1e-300, 1e300, 2**64, True]))
small_lists = st.lists(numbers, max_size=4)
anything = st.one_of(numbers, st.text(max_size=10), small_lists, st.lists(small_lists, max_size=4),
                     st.dictionaries(st.text(max_size=6), numbers, max_size=3))


def run(data: dict) -> None:
    with suppress(SolverError):
        solution = solver.solve(parse_exercise(data, "fuzz.toml", limits=SMALL))
        for format in ("md", "tex", "json"):
            solution.render(format)
        answers_template(solution, "fuzz.toml")  # each kind's own template (a perceptron's first epoch)


samples = st.lists(st.fixed_dictionaries({"input": st.one_of(small_lists, anything),
                                          "target": st.one_of(st.sampled_from([0, 1, -1]), anything)}),
                   max_size=5)
perceptron = st.fixed_dictionaries({"kind": st.just("perceptron")}, optional={
    "dataset": st.one_of(st.sampled_from(["and", "or", "nand", "nor", "xor", "majority", "xnor"]), anything),
    "inputs": st.one_of(st.integers(min_value=-1, max_value=7), anything),
    "samples": st.one_of(samples, anything),
    "activation": st.one_of(st.sampled_from(["threshold", "sign"]), anything),
    "bias": st.one_of(st.sampled_from(["w0", "b"]), anything),
    "learning_rate": st.one_of(numbers, anything),
    "max_epochs": st.one_of(st.integers(min_value=-1, max_value=30), anything),
    "weights": st.one_of(numbers, small_lists, anything),
    "parts": st.one_of(st.lists(st.dictionaries(st.sampled_from(["name", "learning_rate", "weights", "start"]),
                                                anything, max_size=2), max_size=2), anything),
})
points = st.lists(st.lists(st.integers(min_value=-3, max_value=3), min_size=2, max_size=2), max_size=6)
knn = st.fixed_dictionaries({"kind": st.just("knn")}, optional={
    "points": st.one_of(points, anything),
    "labels": st.one_of(st.lists(st.sampled_from(["A", "B", 1, 2, "a b", True]), max_size=6), anything),
    "query": st.one_of(small_lists, anything),
    "queries": st.one_of(st.lists(small_lists, max_size=3), anything),
    "k": st.one_of(st.integers(min_value=-1, max_value=7), anything),
    "distance": st.one_of(st.sampled_from(["l1", "l2"]), anything),
    "tie": st.one_of(st.sampled_from(["nearest", "smaller_k"]), anything),
    "parts": st.one_of(st.lists(st.dictionaries(st.sampled_from(["name", "title", "k"]), anything, max_size=2),
                                max_size=2), anything),
})


@FUZZ
@given(perceptron)
def test_any_perceptron_exercise_is_solved_or_refused_cleanly(data):
    run(data)


@FUZZ
@given(knn)
def test_any_knn_exercise_is_solved_or_refused_cleanly(data):
    run(data)


# a number as a student might write it: digits, grouped thousands, decimal commas, noise
digit_runs = st.text(alphabet="0123456789", min_size=1, max_size=4)
written = st.one_of(
    numbers, st.text(max_size=12), st.text(alphabet="0123456789,. -+/e", max_size=12),
    st.lists(digit_runs, min_size=1, max_size=4).map(",".join),
    st.lists(digit_runs, min_size=1, max_size=4).map(" ".join),
)


@FUZZ
@given(written)
def test_any_written_number_is_read_or_refused_in_one_line(raw):
    try:
        number = _number(raw)
    except ValueError as problem:
        assert "\n" not in str(problem) and str(problem)
        return
    # a number read from grouped digits is the digits without their separators (a fraction may be spaced: 0/ 1)
    if isinstance(raw, str) and ("," in raw or " " in raw.strip()) and "/" not in raw:
        digits = raw.strip().replace(",", "").replace(" ", "")
        assert number.value == float(digits) and number.text == raw.strip()


AND = parse_exercise({"kind": "perceptron", "dataset": "and"}, "and.toml")
KNN = parse_exercise({"kind": "knn", "points": [[1, 1], [2, 4], [3, 1], [4, 3]], "labels": ["A", "B", "A", "B"],
                      "query": [3, 2], "k": 3, "distance": "l1"}, "knn.toml")
# a tie at the k-th place, decided with smaller k: the student's own votes go through that loop too
KNN_TIED = parse_exercise({"kind": "knn", "points": [[0, 0], [2, 0], [0, 2], [5, 5]], "labels": ["A", "B", "A", "B"],
                           "query": [1, 1], "k": 2, "tie": "smaller_k"}, "tied.toml")
LEAST_SQUARES = parse_exercise({"kind": "least_squares", "x": [0, 1, 2], "y": [1, 2, 4]}, "ls.toml")
GAUSSIAN = parse_exercise({"kind": "mle", "points": [[0, 1], [1, 0], [1, 1], [4, 4], [5, 4], [4, 5]],
                           "labels": ["A", "A", "A", "B", "B", "B"], "query": [2, 2]}, "mle.toml")
ids = st.sampled_from(["a.separable", "a.e1.s4.error", "a.e1.s4.w_new", "a.e2.s1.net", "a.e9.s1.y", "a.y_final",
                       "a.q1.d1", "a.q1.d2", "a.q1.order", "a.q1.votes", "a.q1.class", "a.q2.d1",
                       "a.XtX", "a.theta", "a.y_hat", "a.L", "a.c1.mu", "a.c1.Sigma", "a.q1.lp1", "a.q1.lp2"])


@FUZZ
@given(st.dictionaries(ids, st.one_of(written, st.lists(written, max_size=5)), max_size=6))
def test_any_answers_are_checked_and_reported(answers):
    for exercise in (AND, KNN, KNN_TIED, LEAST_SQUARES, GAUSSIAN):
        report = check(exercise, parse_answers(answers, "fuzz-answers.toml"))
        assert len(report.verdicts) == sum(value != "" for value in answers.values())  # "" is not answered
        for format in ("text", "md", "json"):
            report.render(format)
