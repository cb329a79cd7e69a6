"""k nearest neighbours, by hand: every distance from the query to every point, the points sorted
by distance, the vote of the k nearest, and the class (seed 002, "K-nearest neighbors").

Distances: L2, √(Σⱼ (xⱼ − pⱼ)²), or L1, Σⱼ |xⱼ − pⱼ|, each a SymPy expression printed and
evaluated. Sorting: nearest first; distances equal to 10 significant figures are a tie, broken by
the lower point number. Vote: each of the k nearest gives its class one vote; a tie between
classes is broken by the tie rule: "nearest", the tied class with the nearest point among the k,
or "smaller_k", vote again with k − 1, k − 2, … until one class leads.

Step ids (README "The k-NN kind"): ``a.points``, ``a.labels`` given; ``a.q1.x`` (query 1),
``a.q1.d3`` (its distance to point 3), ``a.q1.order`` (every point number, nearest first),
``a.q1.votes`` (one count per class), ``a.q1.class``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import sympy as sp

from solver.engine.scope import Scope
from solver.engine.slips import Slip
from solver.engine.steps import Recorder, Solution
from solver.exercise import Exercise
from solver.formula import Constant, Expression, Formula, Ref
from solver.kinds.knn.reader import Part, Points
from solver.symbolic.numeric import numpy_function

TIE_DIGITS = 10


@dataclass(frozen=True)
class Vote:
    """The k asked for, the votes per class (in the order of Points.classes), the class label, the
    classes that tied at that k (empty when none did), and, with tie = "smaller_k", the k whose
    vote decided and its votes."""

    k: int
    votes: tuple[int, ...]
    label: str
    tied: tuple[str, ...] = ()
    decided_k: int | None = None
    decided_votes: tuple[int, ...] = ()


def solve(exercise: Exercise, overrides: Mapping[str, np.ndarray] | None = None, slip: Slip | None = None,
          *, require_finite: bool = True) -> Solution:
    """Work every query of the knn `exercise` (solver.engine.solve calls this)."""
    recorder = Recorder(overrides, source=exercise.path, require_finite=require_finite, limits=exercise.limits,
                        fractions=exercise.number_format == "fraction")
    points: Points = exercise.setup
    with np.errstate(all="ignore"):
        for part in exercise.parts:
            scope = Scope(recorder, part, "", slip)
            scope.record("points", "given", "points", r"\mathbf{P}", points.x)
            scope.record("labels", "given", "classes", r"\mathbf{c}",
                         np.array([[points.number_of(label)] for label in points.labels], dtype=float))
            for index, query in enumerate(part.queries):
                _query(scope.within(f"q{index + 1}"), points, part, query)
    return Solution(exercise, recorder.steps(), recorder.recomputed())


def distance_expression(dimensions: int, norm: str, root: bool = True) -> tuple[sp.Expr, tuple, tuple]:
    """The distance between x and p as a SymPy expression, with the x and p symbols."""
    x = sp.symbols(f"x1:{dimensions + 1}", real=True)
    p = sp.symbols(f"p1:{dimensions + 1}", real=True)
    if norm == "l1":  # unevaluated, or SymPy writes |p − x|; both distances are written with x − p
        return sp.Add(*(sp.Abs(a - b, evaluate=False) for a, b in zip(x, p))), x, p
    squares = sp.Add(*((a - b) ** 2 for a, b in zip(x, p)))
    return (sp.sqrt(squares) if root else squares), x, p


@cache
def _compiled(dimensions: int, norm: str, root: bool):
    expr, x, p = distance_expression(dimensions, norm, root)
    return numpy_function((*x, *p), expr)


def tie_key(distance: float) -> float:
    """The distance to TIE_DIGITS significant figures: points with equal keys tie."""
    return float(f"{distance:.{TIE_DIGITS}g}")


def ranking(distances: Sequence[float]) -> tuple[int, ...]:
    """Point indices (from 0), nearest first; tied points (equal tie_key) by their number."""
    return tuple(sorted(range(len(distances)), key=lambda i: (tie_key(distances[i]), i)))


def vote(order: Sequence[int], points: Points, k: int, tie: str) -> Vote:
    """The vote of the first k points of `order`, its tie broken by `tie`."""
    return decide(_counts(order, points, k), order, points, k, tie)


def decide(counts: Sequence[float], order: Sequence[int], points: Points, k: int, tie: str) -> Vote:
    """The class that `counts` (one per class) elect, a tie broken by `tie` with the points in
    `order`. Apart from vote(), so that a class follows from the votes as recorded: a student's,
    when byhand check substitutes them."""
    counts = tuple(counts)
    best = max(counts)
    tied = tuple(c for c, n in zip(points.classes, counts) if n == best)
    if len(tied) == 1:
        return Vote(k, counts, tied[0])
    if tie == "nearest":
        label = next(points.labels[i] for i in order[:k] if points.labels[i] in tied)
        return Vote(k, counts, label, tied)
    # the nearest point alone never ties, so the vote of 1 decides at the latest (also when a
    # student's tied votes at k = 1 are decided)
    for smaller in range(max(k - 1, 1), 0, -1):
        fewer = _counts(order, points, smaller)
        leaders = [c for c, n in zip(points.classes, fewer) if n == max(fewer)]
        if len(leaders) == 1 or smaller == 1:
            return Vote(k, counts, leaders[0], tied, smaller, fewer)


def _counts(order: Sequence[int], points: Points, k: int) -> tuple[int, ...]:
    nearest = [points.labels[i] for i in order[:k]]
    return tuple(nearest.count(c) for c in points.classes)


def _query(scope: Scope, points: Points, part: Part, query: np.ndarray) -> None:
    x = scope.record("x", "given", "query", r"\mathbf{x}", query)
    n, m = points.x.shape
    norm = part.distance
    if scope.slip is Slip.DISTANCE_NORM_SWAPPED:
        norm = "l1" if norm == "l2" else "l2"
    root = not (scope.slip is Slip.SQUARE_ROOT_OMITTED and norm == "l2")
    expr, xs, ps = distance_expression(n, norm, root)
    function = _compiled(n, norm, root)
    distances, refs = [], []
    for i in range(m):
        point = points.x[:, i]
        constants = tuple((s, Constant(f"x_{{{j + 1}}}", np.array(x.value[j, 0]))) for j, s in enumerate(xs))
        constants += tuple((s, Constant(f"p_{{{i + 1},{j + 1}}}", np.array(point[j]))) for j, s in enumerate(ps))
        value = function(*x.value[:, 0], *point)
        step = scope.record(f"d{i + 1}", "distances", "distance", f"d_{{{i + 1}}}", float(value),
                            Formula((Expression(expr, constants=constants, elementwise=False),)))
        distances.append(float(step.value))
        refs.append(Ref(step.id))
    order = ranking(distances)
    listed = [token for i, ref in enumerate(refs) for token in ((", ", ref) if i else (ref,))]
    tied = len({tie_key(d) for d in distances}) < len(distances)
    note = (r"\quad \text{(tied points are listed by their number)}",) if tied else ()
    ordered = scope.record("order", "neighbours", "neighbours", r"\text{order}",
                           np.array([[i + 1] for i in order], dtype=float),
                           Formula((r"\operatorname{argsort}\left(", *listed, r"\right)", *note)))
    k = part.k + {Slip.ONE_NEIGHBOUR_MORE: 1, Slip.ONE_NEIGHBOUR_FEWER: -1}.get(scope.slip, 0)
    k = min(max(k, 1), m)
    # the votes are counted from the order as recorded (a student's, when byhand check substitutes
    # it), the class decided from the votes as recorded; an order that names no points cannot be counted
    order = _as_order(ordered.value, m)
    counted = vote(order, points, k, part.tie) if order is not None else None
    votes = scope.record("votes", "vote", "votes", r"\text{votes}",
                         np.array([[v] for v in counted.votes] if counted else [[np.nan]] * len(points.classes)),
                         Formula((r"\text{each class counted among the first } ", Constant("k", np.array(float(k))),
                                  r"\text{ of } ", Ref(ordered.id))))
    countable = order is not None and bool(np.all(np.isfinite(votes.value)))
    result = decide(votes.value[:, 0], order, points, k, part.tie) if countable else None
    scope.record("class", "class", "class", r"\text{class}", float(points.number_of(result.label)) if result else np.nan,
                 Formula((r"\operatorname{argmax}\left(", Ref(votes.id), r"\right)",
                          *(_tie_note(result, part.tie) if result else ()))))


def _as_order(recorded: np.ndarray, m: int) -> tuple[int, ...] | None:
    """The recorded order (point numbers from 1) as indices from 0, or None when an entry is not
    the number of a point. A student's order, substituted by byhand check, is taken as written,
    a point listed twice included: that is what they counted."""
    numbers = recorded.ravel()
    if not np.all(np.isfinite(numbers)) or not np.all(numbers == np.round(numbers)):
        return None
    if not np.all((numbers >= 1) & (numbers <= m)):
        return None
    return tuple(int(number) - 1 for number in numbers)


def _tie_note(result: Vote, tie: str) -> tuple[str, ...]:
    """What the class block says when the vote is tied: which classes, and the rule that decides."""
    if not result.tied:
        return ()
    classes = r"\text{ and }".join(rf"\mathrm{{{c}}}" for c in result.tied)
    if tie == "nearest":
        rule = r"\text{: the class of the nearest of their points wins}"
    else:
        rule = rf"\text{{: the vote again with the }}{result.decided_k}\text{{ nearest decides}}"
    return (rf"\quad \text{{(a tie between }}{classes}{rule}\text{{)}}",)
