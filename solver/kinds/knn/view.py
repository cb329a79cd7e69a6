"""What a k-NN sheet says around the steps: the points and their classes, the distance, the tie
rules, and for each query the sorted neighbours, the vote and any tie in words. Math between $…$,
numbers written by solver/render/format.py."""

from __future__ import annotations

from solver.conventions import Conventions
from solver.exercise import Exercise
from solver.kinds.knn.engine import distance_expression, ranking, vote
from solver.kinds.knn.reader import Part, Points
from solver.render.format import NumberFormat, expression_latex, number
from solver.symbolic.numeric import numpy_function

SETUP_HEADING = "The points"
DISTANCE_NAMES = {"l2": "L2 (Euclidean)", "l1": "L1 (Manhattan)"}


def points_facts(exercise: Exercise, style: NumberFormat) -> tuple[str, ...]:
    points: Points = exercise.setup
    n, m = points.x.shape
    listed = ", ".join(f"$\\mathbf{{p}}_{{{i + 1}}} = {_point(points.x[:, i], style)}$ ({_label(points, i)})"
                       for i in range(m))
    facts = [f"{m} labelled points in {n} dimension{'s' if n > 1 else ''}, the columns of $\\mathbf{{P}}$: {listed}."]
    if points.numbers != tuple(int(c) for c in points.classes if c.lstrip('-').isdigit()):
        numbering = ", ".join(f"$\\mathrm{{{c}}} = {number}$" for c, number in zip(points.classes, points.numbers))
        facts.append(f"The classes are numbered in the order they first appear, {numbering}: $\\mathbf{{c}}$, "
                     "the votes and the class are written with these numbers.")
    return tuple(facts)


def convention_facts(conventions: Conventions) -> tuple[str, ...]:
    return ()


def part_facts(exercise: Exercise, part: Part, style: NumberFormat) -> tuple[str, ...]:
    points: Points = exercise.setup
    n = points.x.shape[0]
    expr, _, _ = distance_expression(n, part.distance)
    tie = ("the tied class whose point comes first among the k nearest wins" if part.tie == "nearest" else
           "the vote is taken again with k − 1, k − 2, … neighbours until one class leads")
    facts = [f"$k = {part.k}$, with the {DISTANCE_NAMES[part.distance]} distance "
             f"$d(\\mathbf{{x}}, \\mathbf{{p}}) = {expression_latex(expr)}$. The points are sorted nearest first; "
             f"distances equal to 10 significant figures tie and keep the order of the point numbers. Each of the "
             f"$k$ nearest gives its class one vote; when classes tie, {tie} (tie = \"{part.tie}\")."]
    for index, query in enumerate(part.queries):
        facts.append(_query_fact(index + 1, query[:, 0], points, part, style))
    return tuple(facts)


def derived_blocks(exercise: Exercise, part: Part) -> tuple:
    return ()


def _query_fact(index: int, query, points: Points, part: Part, style: NumberFormat) -> str:
    n, m = points.x.shape
    expr, xs, ps = distance_expression(n, part.distance)
    function = numpy_function((*xs, *ps), expr)
    distances = [float(function(*query, *points.x[:, i])) for i in range(m)]
    order = ranking(distances)
    nearest = ", ".join(f"$\\mathbf{{p}}_{{{i + 1}}}$ ({_label(points, i)}, ${number(distances[i], style)}$)"
                        for i in order[: part.k])
    result = vote(order, points, part.k, part.tie)
    counts = ", ".join(f"$\\mathrm{{{c}}}$: {v}" for c, v in zip(points.classes, result.votes))
    text = (f"Query {index}, $\\mathbf{{x}} = {_point(query, style)}$: the {part.k} nearest are {nearest}; "
            f"votes {counts}")
    if part.k < m and _tie_key(distances[order[part.k - 1]]) == _tie_key(distances[order[part.k]]):
        text += (f". Point $\\mathbf{{p}}_{{{order[part.k] + 1}}}$ is as near as the $k$-th; the lower point number "
                 "is taken")
    if result.tied:
        tied = " and ".join(f"$\\mathrm{{{c}}}$" for c in result.tied)
        if part.tie == "nearest":
            how = "the nearest of their points is of class"
        else:
            fewer = ", ".join(f"$\\mathrm{{{c}}}$: {v}" for c, v in zip(points.classes, result.decided_votes))
            how = f"with the {result.decided_k} nearest the votes are {fewer}, so the class is"
        text += f". {tied} tie; {how} $\\mathrm{{{result.label}}}$"
    return text + f". Class: $\\mathrm{{{result.label}}}$."


def _tie_key(value: float) -> float:
    return float(f"{value:.10g}")


def _label(points: Points, i: int) -> str:
    return f"$\\mathrm{{{points.labels[i]}}}$"


def _point(values, style: NumberFormat) -> str:
    return "(" + ", ".join(number(float(v), style) for v in values) + ")"
