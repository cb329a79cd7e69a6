"""The knn kind's part of an exercise file: labelled points, the queries, k, the distance and the tie rule.

    kind = "knn"
    points = [[1, 2], [3, 0], [0, 0]]    # one list of coordinates per point
    labels = ["A", "B", "A"]             # one per point: whole numbers, or names (letters and digits)
    query = [1, 1]                       # or queries = [[1, 1], [2, 2]]
    k = 3
    distance = "l2"                      # or "l1"
    tie = "nearest"                      # or "smaller_k" (README "The k-NN kind")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from solver.arrays import read_only
from solver.conventions import Conventions
from solver.exercise import PART_HEADER_KEYS, read_part_header
from solver.fields import FieldReader, describe
from solver.limits import Limits
from solver.text import quoted

KEYS = frozenset({"points", "labels", "query", "queries", "k", "distance", "tie", "parts"})
DISTANCES = ("l2", "l1")
TIE_RULES = ("nearest", "smaller_k")
MAX_POINTS = 200
MAX_COORDINATES = 10
MAX_QUERIES = 20


@dataclass(frozen=True)
class Points:
    """The points (n × m, one column per point), their classes, and the class names in order:
    `classes[c]` is the label of class number `numbers[c]`."""

    x: np.ndarray
    labels: tuple[str, ...]
    classes: tuple[str, ...]
    numbers: tuple[int, ...]

    def number_of(self, label: str) -> int:
        return self.numbers[self.classes.index(label)]


@dataclass(frozen=True)
class Part:
    name: str
    title: str
    start: str
    queries: tuple[np.ndarray, ...]
    k: int
    distance: str
    tie: str
    conventions: Conventions = Conventions()


def read_queries(read: FieldReader, data: dict, n: int) -> tuple[np.ndarray, ...]:
    """`query = […]` (one point) or `queries = [[…], …]`, each of the points' `n` coordinates."""
    if "query" in data and "queries" in data:
        raise read.error("queries", "expected either query = […] (one point) or queries = [[…], …], not both")
    if "query" not in data and "queries" not in data:
        raise read.error("query", "missing; expected query = […] (one point) or queries = [[…], …]")
    if "query" in data:
        return (read.vector(data["query"], "query", n, f"{n} coordinates, as the points have"),)
    given = data["queries"]
    if not isinstance(given, list) or not 1 <= len(given) <= MAX_QUERIES:
        raise read.error("queries", f"expected a list of 1 to {MAX_QUERIES} points, got {describe(given)}")
    return tuple(read.vector(q, f"queries[{i}]", n, f"{n} coordinates, as the points have") for i, q in enumerate(given))


def read_knn_problem(read: FieldReader, data: dict, limits: Limits) -> tuple[Points, tuple[Part, ...]]:
    """The points and the one part of a knn exercise."""
    points = _points(read, data)
    n, m = points.x.shape
    queries = read_queries(read, data, n)
    if "k" not in data:
        raise read.error("k", f"missing; expected the number of neighbours that vote, from 1 to the {m} points")
    if isinstance(data["k"], int) and not isinstance(data["k"], bool) and data["k"] > m:
        raise read.error("k", f"k = {data['k']} is more than the {m} points; expected a whole number from 1 to {m}")
    k = read.integer(data, "k", "", minimum=1, maximum=m)
    distance = read.choice(data, "distance", "", DISTANCES, "l2")
    tie = read.choice(data, "tie", "", TIE_RULES, "nearest")
    parts_data = data.get("parts", [{}])
    if not isinstance(parts_data, list) or len(parts_data) != 1:
        raise read.error("parts", "expected one [[parts]] table (the queries are the repeated calculation)")
    read.table(parts_data[0], "parts[0]", set(PART_HEADER_KEYS))
    header = read_part_header(read, parts_data[0], 0, [])
    return points, (Part(header.name, header.title, header.start, queries, k, distance, tie),)


def _points(read: FieldReader, data: dict) -> Points:
    value = data.get("points")
    if not isinstance(value, list) or not value or not all(isinstance(p, list) and p for p in value):
        raise read.error("points", f"expected points = [[…], …], one list of coordinates per point, got "
                                   f"{describe(value)}")
    if len(value) > MAX_POINTS:
        raise read.error("points", f"{len(value):,} points; a k-NN exercise has at most {MAX_POINTS}")
    n = len(value[0])
    if n > MAX_COORDINATES:
        raise read.error("points[0]", f"expected at most {MAX_COORDINATES} coordinates, got {n}")
    columns = [read.vector(p, f"points[{i}]", n, f"{n} coordinates, as the first point has")
               for i, p in enumerate(value)]
    labels = data.get("labels")
    if not isinstance(labels, list) or len(labels) != len(value):
        raise read.error("labels", f"expected {len(value)} labels, one per point, got {describe(labels)}")
    words = tuple(_label(read, label, f"labels[{i}]") for i, label in enumerate(labels))
    kinds = {isinstance(label, int) for label in labels}
    if len(kinds) > 1:
        raise read.error("labels", "expected labels that are all whole numbers or all names, not a mix")
    if kinds == {True}:  # whole-number classes are their own numbers
        classes = tuple(sorted(set(words), key=int))
        numbers = tuple(int(c) for c in classes)
    else:  # names are numbered from 1 in the order they first appear
        classes = tuple(dict.fromkeys(words))
        numbers = tuple(range(1, len(classes) + 1))
    return Points(read_only(np.hstack(columns)), words, classes, numbers)


def _label(read: FieldReader, value: Any, key: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > 10**6:
            raise read.error(key, f"expected a class number of at most a million in size, got {describe(value)}")
        return str(value)
    if isinstance(value, str) and 1 <= len(value) <= 12 and value.isascii() and value.isalnum() \
            and value[0].isalpha():
        return value
    raise read.error(key, f"expected a whole number or a name of up to 12 ASCII letters and digits starting "
                          f"with a letter, got {quoted(value) if isinstance(value, str) else describe(value)}")
