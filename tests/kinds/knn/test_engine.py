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
    # every tied point named, the rule, and which are in and out
    assert (r"Points $\mathbf{p}_{1}$, $\mathbf{p}_{2}$, $\mathbf{p}_{5}$, $\mathbf{p}_{6}$ and $\mathbf{p}_{7}$ are all "
            r"at distance $2.23607$ and tie for places 3 to 7; the $k$-th place falls among them, and by the rule "
            r"(the lower point number first) $\mathbf{p}_{1}$ and $\mathbf{p}_{2}$ are among the 4 nearest and "
            r"$\mathbf{p}_{5}$, $\mathbf{p}_{6}$ and $\mathbf{p}_{7}$ are not.") in sheet
    # query 1 = (2, 2): p1, p3, p6 all at √2, inside the 4 nearest
    assert (r"Points $\mathbf{p}_{1}$, $\mathbf{p}_{3}$ and $\mathbf{p}_{6}$ are all at distance $1.41421$ and tie for "
            r"places 1 to 3. Tied points are listed by their number.") in sheet
    assert (r'$\mathrm{A}$ and $\mathrm{B}$ tie with 2 votes each; by the tie rule the tied class '
            r"of the nearest of their points wins: $\mathbf{p}_{3}$, of class $\mathrm{A}$. Class: $\mathrm{A}$.") in sheet
    # the blocks say it too: the sorted list, and the class of a tied vote
    assert sheet.count(r"\quad \text{(tied points are listed by their number)}") == 4  # 2 queries, 2 lines each
    assert (r"\operatorname{argmax}\left(\text{votes}\right)\quad \text{(a tie between }\mathrm{A}\text{ and }"
            r"\mathrm{B}\text{: the class of the nearest of their points wins}\text{)}") in sheet


def test_the_two_tie_rules_can_disagree():
    data = {"kind": "knn", "points": [[1], [2], [3], [4]], "labels": ["A", "B", "B", "A"], "query": [0], "k": 4}
    assert solver.solve(parse_exercise(data))["a.q1.class"] == 1  # nearest: p1 is A
    smaller = solver.solve(parse_exercise({**data, "tie": "smaller_k"}))
    assert smaller["a.q1.class"] == 2  # k = 3: A, B, B
    sheet = smaller.render("md")
    assert r"with the 3 nearest it is $\mathrm{A}$: 1, $\mathrm{B}$: 2, so the class is $\mathrm{B}$" in sheet
    assert r"\text{: the vote again with the }3\text{ nearest decides}" in sheet


def test_one_neighbour_is_singular_and_both_distances_read_x_minus_p():
    data = {"kind": "knn", "points": [[1, 1], [2, 4]], "labels": ["A", "B"], "query": [2, 2], "k": 1,
            "distance": "l1"}
    sheet = solver.solve(parse_exercise(data)).render("md")
    # |2 − 1| + |2 − 1| = 2 and |2 − 2| + |2 − 4| = 2: a tie, p1 first by its number
    assert r"the nearest point is $\mathbf{p}_{1}$ ($\mathrm{A}$, $2$)" in sheet and "the 1 nearest" not in sheet
    assert (r"Points $\mathbf{p}_{1}$ and $\mathbf{p}_{2}$ are both at distance $2$ and tie for places 1 and 2; the "
            r"$k$-th place falls among them, and by the rule (the lower point number first) $\mathbf{p}_{1}$ is the "
            r"nearest and $\mathbf{p}_{2}$ is not.") in sheet
    assert r"\left|{x_{1} - p_{1}}\right| + \left|{x_{2} - p_{2}}\right|" in sheet
    l2 = solver.solve(parse_exercise({**data, "distance": "l2"})).render("md")
    assert r"\left(x_{1} - p_{1}\right)^{2}" in l2


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


def test_right_votes_rule_out_k_plus_one_for_a_wrong_class():
    # reviewer's case: query 2 = (3, 2) with k = 4 ties 2 : 2 and the nearest point (p3, A) decides.
    # With k + 1 = 5 the votes would be 2 : 3 and the class B, so right votes and the class B are
    # not k + 1 neighbours but the tie rule missed.
    points, labels = [[1, 1], [2, 4], [3, 1], [4, 3], [5, 1], [1, 3], [4, 0]], ["A", "B", "A", "B", "B", "A", "B"]
    _, _, votes, winner = brute_force(points, labels, [3, 2], 4, "l2", "nearest")
    _, _, more_votes, more_winner = brute_force(points, labels, [3, 2], 5, "l2", "nearest")
    assert (votes["A"], votes["B"], winner) == (2, 2, "A") and (more_votes["A"], more_votes["B"]) == (2, 3)
    exercise = solver.load_exercise(EXERCISES / "knn-two-classes.toml")
    answers = f'"a.q2.votes" = [2, 2]\n"a.q2.class" = {"AB".index(more_winner) + 1}'
    report = check(exercise, parse_answers(tomllib.loads(answers), "answers.toml"))
    votes_verdict, class_verdict = report.verdicts
    assert votes_verdict.outcome == "correct" and class_verdict.outcome == "wrong"
    assert Slip.ONE_NEIGHBOUR_MORE not in class_verdict.slips, class_verdict.slips
    assert "k + 1 neighbours" not in report.render("text")
    # without the votes answered, k + 1 is still the slip that gives the class B
    alone = check(exercise, parse_answers(tomllib.loads(answers.splitlines()[1]), "answers.toml"))
    assert Slip.ONE_NEIGHBOUR_MORE in alone.verdicts[0].slips


def test_a_student_distance_follows_through_to_the_order():
    exercise = solver.load_exercise(EXERCISES / "knn-two-classes.toml")
    answers = '"a.q1.d2" = 1\n"a.q1.order" = [2, 1, 3, 6, 4, 7, 5]'
    report = check(exercise, parse_answers(tomllib.loads(answers), "answers.toml"))
    assert [v.outcome for v in report.verdicts] == ["wrong", "follows through"]


def test_the_class_follows_from_the_students_votes_and_the_votes_from_their_order():
    """byhand check substitutes a student's answers: the class is the argmax of the votes as
    written, and the votes are counted from the order as written (follow-through)."""
    points, labels = [[1, 1], [2, 4], [3, 1], [4, 3], [5, 1], [1, 3], [4, 0]], ["A", "B", "A", "B", "B", "A", "B"]
    exercise = solver.load_exercise(EXERCISES / "knn-two-classes.toml")
    answers = '"a.q2.votes" = [1, 3]\n"a.q2.class" = 2'  # B has the most of the student's votes
    report = check(exercise, parse_answers(tomllib.loads(answers), "answers.toml"))
    assert [v.outcome for v in report.verdicts] == ["wrong", "follows through"]
    # an order of query 1 with two points swapped: its first 4 are counted by hand
    _, order, _, _ = brute_force(points, labels, [2, 2], 4, "l2", "nearest")
    swapped = [i + 1 for i in order]
    # one of the 4 nearest swapped with a farther point of the other class, so that the votes change
    near, far = next((i, j) for i in range(4) for j in range(4, len(order)) if labels[order[i]] != labels[order[j]])
    swapped[near], swapped[far] = swapped[far], swapped[near]
    counted = Counter(labels[number - 1] for number in swapped[:4])
    answers = f'"a.q1.order" = {swapped}\n"a.q1.votes" = [{counted["A"]}, {counted["B"]}]'
    report = check(exercise, parse_answers(tomllib.loads(answers), "answers.toml"))
    assert [v.outcome for v in report.verdicts] == ["wrong", "follows through"]


def test_tied_votes_of_a_student_at_k_1_are_decided_by_the_nearest_point():
    """With tie = "smaller_k" and k = 1, tied votes (only a student's can tie) fall back to the
    vote of the nearest point: a class, not an endless search for a smaller k."""
    exercise = tomllib.loads((EXERCISES / "knn-two-classes.toml").read_text())
    exercise.update(k=1, tie="smaller_k")
    parsed = parse_exercise(exercise, "k1.toml")
    points, labels = exercise["points"], exercise["labels"]
    _, order, _, _ = brute_force(points, labels, [2, 2], 1, "l2", "smaller_k")
    nearest = "AB".index(labels[order[0]]) + 1
    answers = f'"a.q1.votes" = [1, 1]\n"a.q1.class" = {nearest}'
    report = check(parsed, parse_answers(tomllib.loads(answers), "answers.toml"))
    assert [v.outcome for v in report.verdicts] == ["wrong", "correct"]  # the nearest point's class is the true one


def test_an_order_is_counted_as_written_and_one_naming_no_point_is_not_followed():
    """A student's order listing a point twice is what they counted: [3, 1, 6, 3] gives class A
    four votes (labels read here). An order naming a point that does not exist (9 of 7) cannot be
    counted: no "from your values it would be" is claimed."""
    labels = ["A", "B", "A", "B", "B", "A", "B"]
    exercise = solver.load_exercise(EXERCISES / "knn-two-classes.toml")
    order = [3, 1, 6, 3, 2, 5, 7]
    counted = Counter(labels[number - 1] for number in order[:4])
    answers = f'"a.q2.order" = {order}\n"a.q2.votes" = [{counted["A"]}, {counted["B"]}]'
    report = check(exercise, parse_answers(tomllib.loads(answers), "answers.toml"))
    assert [v.outcome for v in report.verdicts] == ["wrong", "follows through"]
    answers = '"a.q2.order" = [9, 1, 6, 3, 2, 5, 7]\n"a.q2.votes" = [4, 0]'
    report = check(exercise, parse_answers(tomllib.loads(answers), "answers.toml"))
    assert [v.outcome for v in report.verdicts] == ["wrong", "wrong"]
    assert report.verdicts[1].followed is None and "it would be" not in report.render("text")
