"""What a k-NN sheet says around the steps: the points and their classes, the distance, the tie
rules, and for each query the sorted neighbours, the vote and any tie in words. Math between $…$,
numbers written by solver/render/format.py."""

from __future__ import annotations

from solver.conventions import Conventions
from solver.exercise import Exercise
from solver.kinds.knn.engine import distance_expression, ranking, tie_key, vote
from solver.kinds.knn.reader import Part, Points
from solver.engine.steps import Step
from solver.render.format import NumberFormat, number
from solver.render.formula_latex import expression_latex
from solver.render.view import Table
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
           "the vote is taken again with $k - 1$, $k - 2$, $\\ldots$ neighbours until one class leads")
    facts = [f"$k = {part.k}$, with the {DISTANCE_NAMES[part.distance]} distance "
             f"$d(\\mathbf{{x}}, \\mathbf{{p}}) = {expression_latex(expr)}$. The points are sorted nearest first; "
             f"distances equal to 10 significant figures tie, and tied points are listed by their number (the lower "
             f"number first), also when the tie falls at the $k$-th place, so that the lower numbers are among the "
             f"$k$ nearest. Each of the "
             f"$k$ nearest gives its class one vote; when classes tie, {tie}."]
    for index, query in enumerate(part.queries):
        facts.append(_query_fact(index + 1, query[:, 0], points, part, style))
    return tuple(facts)


def derived_blocks(exercise: Exercise, part: Part) -> tuple:
    return ()


def distances_table(exercise: Exercise, part: Part, section: str, steps: list[Step], style: NumberFormat
                    ) -> Table | None:
    """A query's distances as a hand solution lists them, one row per point: the point, its class,
    x − p and the distance (the first is worked in full above the table)."""
    if section != "distances" or len(steps) < 3:
        return None
    points: Points = exercise.setup
    query = part.queries[int(steps[0].group[1:]) - 1][:, 0]
    rows = []
    for step in steps:
        i = int(step.id.rpartition(".d")[2]) - 1
        rows.append((str(i + 1), _point(points.x[:, i], style), _label(points, i).strip("$"),
                     _point(query - points.x[:, i], style), number(step.value, style)))
    headers = ("i", r"\mathbf{p}_{i}", r"\text{class}", r"\mathbf{x} - \mathbf{p}_{i}", "d_{i}")
    return Table(headers, tuple(rows), "Every point the same way")


def _query_fact(index: int, query, points: Points, part: Part, style: NumberFormat) -> str:
    n, m = points.x.shape
    expr, xs, ps = distance_expression(n, part.distance)
    function = numpy_function((*xs, *ps), expr)
    distances = [float(function(*query, *points.x[:, i])) for i in range(m)]
    order = ranking(distances)
    k = part.k

    def point(i: int) -> str:
        return f"$\\mathbf{{p}}_{{{i + 1}}}$"

    nearest = ", ".join(f"{point(i)} ({_label(points, i)}, ${number(distances[i], style)}$)" for i in order[:k])
    head = f"the nearest point is {nearest}" if k == 1 else f"the {k} nearest are {nearest}"
    text = f"Query {index}, $\\mathbf{{x}} = {_point(query, style)}$: {head}."
    groups = [[i for i in order if tie_key(distances[i]) == key]
              for key in dict.fromkeys(tie_key(distances[i]) for i in order)]
    for group in (g for g in groups if len(g) > 1):
        first = order.index(group[0]) + 1
        both, last = len(group) == 2, first + len(group) - 1
        text += (f" Points {_listed([point(i) for i in group])} are {'both' if both else 'all'} at distance "
                 f"${number(distances[group[0]], style)}$ and tie for places {first} {'and' if both else 'to'} {last}")
        taken = [i for i in group if order.index(i) < k]
        if taken and len(taken) < len(group):  # the k-th place falls inside the tie
            left = [i for i in group if i not in taken]
            text += (f"; the $k$-th place falls among them, and by the rule (the lower point number first) "
                     f"{_listed([point(i) for i in taken])} {'is' if len(taken) == 1 else 'are'} "
                     f"{'the nearest' if k == 1 else f'among the {k} nearest'} and "
                     f"{_listed([point(i) for i in left])} {'is' if len(left) == 1 else 'are'} not")
        text += "."
    if any(len(g) > 1 for g in groups):
        text += " Tied points are listed by their number."
    result = vote(order, points, k, part.tie)
    counts = ", ".join(f"$\\mathrm{{{c}}}$: {v}" for c, v in zip(points.classes, result.votes))
    text += f" Votes {counts}"
    if result.tied:
        tied = _listed([f"$\\mathrm{{{c}}}$" for c in result.tied])
        if part.tie == "nearest":
            decider = next(i for i in order[:k] if points.labels[i] in result.tied)
            how = (f"by the tie rule the tied class of the nearest of their points wins: "
                   f"{point(decider)}, of class")
        else:
            fewer = ", ".join(f"$\\mathrm{{{c}}}$: {v}" for c, v in zip(points.classes, result.decided_votes))
            how = (f"by the tie rule the vote is taken again with fewer neighbours; with the "
                   f"{result.decided_k} nearest it is {fewer}, so the class is")
        text += f": {tied} tie with {max(result.votes)} votes each; {how} $\\mathrm{{{result.label}}}$"
    return text + f". Class: $\\mathrm{{{result.label}}}$."


def _listed(items: list[str]) -> str:
    """a, b and c."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _label(points: Points, i: int) -> str:
    return f"$\\mathrm{{{points.labels[i]}}}$"


def _point(values, style: NumberFormat) -> str:
    return "(" + ", ".join(number(float(v), style) for v in values) + ")"
