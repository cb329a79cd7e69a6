"""The k-NN engine against a brute-force count written from the pseudo-code (store the points;
find the k nearest of x; choose the most common class), with its tie rules, and its slips."""

from __future__ import annotations

import math
import tomllib
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

import solver
from solver.check import check, parse_answers
from solver.engine.slips import Slip
from solver.exercise import parse_exercise
from tests.conftest import EXERCISES
from tests.hostile import FUZZ


def brute_force(points, labels, query, k, norm, tie):
    """(distances, order, votes by label, winning label), by plain Python."""
    if norm == "l2":
        distances = [math.sqrt(sum((q - p) ** 2 for q, p in zip(query, point))) for point in points]
    else:
        distances = [sum(abs(q - p) for q, p in zip(query, point)) for point in points]
    order = sorted(range(len(points)), key=lambda i: (round(distances[i], 9), i))
    votes = Counter(labels[i] for i in order[:k])
    best = max(votes.values())
    tied = [label for label, n in votes.items() if n == best]
    if len(tied) == 1:
        return distances, order, votes, tied[0]
    if tie == "nearest":
        return distances, order, votes, next(labels[i] for i in order if labels[i] in tied)
    for smaller in range(k - 1, 0, -1):
        fewer = Counter(labels[i] for i in order[:smaller])
        top = [label for label, n in fewer.items() if n == max(fewer.values())]
        if len(top) == 1:
            return distances, order, votes, top[0]


coordinates = st.integers(min_value=-4, max_value=4)
problems = st.integers(min_value=1, max_value=3).flatmap(lambda n: st.tuples(
    st.lists(st.lists(coordinates, min_size=n, max_size=n), min_size=1, max_size=9),
    st.lists(coordinates, min_size=n, max_size=n)))


@FUZZ
@given(problems, st.data(), st.sampled_from(["l1", "l2"]), st.sampled_from(["nearest", "smaller_k"]))
def test_every_number_agrees_with_a_brute_force_count(problem, data, norm, tie):
    points, query = problem
    labels = data.draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=len(points), max_size=len(points)))
    k = data.draw(st.integers(min_value=1, max_value=len(points)))
    exercise = parse_exercise({"kind": "knn", "points": points, "labels": labels, "query": query, "k": k,
                               "distance": norm, "tie": tie})
    solution = solver.solve(exercise)
    distances, order, votes, winner = brute_force(points, labels, query, k, norm, tie)
    for i, d in enumerate(distances, 1):
        assert solution[f"a.q1.d{i}"] == pytest.approx(d, abs=1e-12)
    assert solution["a.q1.order"].ravel().tolist() == [i + 1 for i in order]
    classes = list(dict.fromkeys(labels))
    assert solution["a.q1.votes"].ravel().tolist() == [votes.get(c, 0) for c in classes]
    assert solution["a.q1.class"] == classes.index(winner) + 1
    solution.render("md")


def test_the_shipped_example_and_its_ties():
    solution = solver.solve(solver.load_exercise(EXERCISES / "knn-two-classes.toml"))
    # query 2 = (3, 2): p3 at 1, p4 at √2, then p1, p2, p5, p6, p7 all at √5; k = 4 takes p1 and p2
    assert solution["a.q2.d4"] == pytest.approx(math.sqrt(2))
    assert solution["a.q2.order"].ravel().tolist() == [3, 4, 1, 2, 5, 6, 7]
    assert solution["a.q2.votes"].ravel().tolist() == [2, 2]
    assert solution["a.q2.class"] == 1  # A: the tied class with the nearest point, p3
    sheet = solution.render("md")
    assert r"Point $\mathbf{p}_{5}$ is as near as the $k$-th; the lower point number is taken" in sheet
    assert r"$\mathrm{A}$ and $\mathrm{B}$ tie; the nearest of their points is of class $\mathrm{A}$" in sheet


def test_the_two_tie_rules_can_disagree():
    data = {"kind": "knn", "points": [[1], [2], [3], [4]], "labels": ["A", "B", "B", "A"], "query": [0], "k": 4}
    assert solver.solve(parse_exercise(data))["a.q1.class"] == 1  # nearest: p1 is A
    smaller = solver.solve(parse_exercise({**data, "tie": "smaller_k"}))
    assert smaller["a.q1.class"] == 2  # k = 3: A, B, B
    assert r"with the 3 nearest the votes are $\mathrm{A}$: 1, $\mathrm{B}$: 2, so the class is $\mathrm{B}$" \
        in smaller.render("md")


@pytest.mark.parametrize("answer,slip", [
    ('"a.q1.d3" = 2', Slip.DISTANCE_NORM_SWAPPED),
    ('"a.q1.d4" = 5', Slip.SQUARE_ROOT_OMITTED),
    ('"a.q2.votes" = [2, 1]', Slip.ONE_NEIGHBOUR_FEWER),
    ('"a.q1.votes" = [3, 2]', Slip.ONE_NEIGHBOUR_MORE),
])
def test_the_checker_names_the_slips(answer, slip):
    exercise = solver.load_exercise(EXERCISES / "knn-two-classes.toml")
    report = check(exercise, parse_answers(tomllib.loads(answer), "answers.toml"))
    assert report.verdicts[0].outcome == "wrong" and slip in report.verdicts[0].slips


def test_a_student_distance_follows_through_to_the_order():
    exercise = solver.load_exercise(EXERCISES / "knn-two-classes.toml")
    answers = '"a.q1.d2" = 1\n"a.q1.order" = [2, 1, 3, 6, 4, 7, 5]'
    report = check(exercise, parse_answers(tomllib.loads(answers), "answers.toml"))
    assert [v.outcome for v in report.verdicts] == ["wrong", "follows through"]
