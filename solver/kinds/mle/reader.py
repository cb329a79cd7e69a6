"""The mle kind's part of an exercise file: a Bernoulli sequence, or labelled points for Gaussian
classes (seed 002, "Maximum likelihood estimation" and "MLE - classification").

    kind = "mle"
    sequence = "H T H H T T H T"   # the outcomes, separated by spaces or commas (or one letter each)
    success = "H"                  # the outcome θ is the probability of (default "H")
    candidates = [1, 0.75, 0.5]    # optional: models θ to compare by their likelihood

    # … or Gaussian classes:
    points = [[1, 2], [2, 3], …]   # one list of coordinates per point
    labels = ["A", "A", …]         # one per point: whole numbers, or names
    query = [2, 2]                 # or queries = [[…], …]
    covariance = "biased"          # divide by n (the maximum-likelihood estimate), or "unbiased": n − 1
    prior = "equal"                # P(y = j) = 1/k (seed 002), or "frequency": n_j / N
    exact = "auto"                 # means and covariances in fractions when every coordinate is a short decimal

A class whose covariance matrix is singular (one point, or points on a line in the plane) has no
Gaussian density: the file is refused, naming the class and the dependence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from solver.conventions import Conventions
from solver.exact import all_short, dependence, rational_matrix
from solver.exercise import PART_HEADER_KEYS, parts_tables, read_standalone_part
from solver.fields import FieldReader, describe
from solver.kinds.knn.reader import Points, read_queries
from solver.kinds.knn.reader import _points as read_points  # the same labelled points as k-NN's
from solver.limits import Limits
from solver.render.format import plain_fraction
from solver.text import quoted

BERNOULLI_KEYS = frozenset({"sequence", "success", "candidates"})
GAUSSIAN_KEYS = frozenset({"points", "labels", "query", "queries", "covariance", "prior", "exact"})
KEYS = BERNOULLI_KEYS | GAUSSIAN_KEYS | {"parts"}
COVARIANCES = ("biased", "unbiased")
PRIORS = ("equal", "frequency")
MAX_OUTCOMES = 1000
MAX_CANDIDATES = 20
_OUTCOME = re.compile(r"[A-Za-z0-9]{1,12}")


@dataclass(frozen=True)
class Sequence:
    """A Bernoulli sequence: its outcomes, the one counted as success, the other (None when only
    successes appear), and the candidate θ to compare (may be empty)."""

    outcomes: tuple[str, ...]
    success: str
    failure: str | None
    candidates: tuple[float, ...]

    @property
    def n(self) -> int:
        return len(self.outcomes)

    @property
    def k(self) -> int:
        return self.outcomes.count(self.success)


@dataclass(frozen=True)
class Classes:
    """Labelled points (knn's Points: one column each, class numbers), the queries, and how the
    covariance (divisor n or n − 1) and the prior are taken; `exact`: means and covariances in fractions."""

    points: Points
    queries: tuple[np.ndarray, ...]
    covariance: str
    prior: str
    exact: bool

    def members(self, label: str) -> tuple[int, ...]:
        """The point indices (from 0) of class `label`."""
        return tuple(i for i, other in enumerate(self.points.labels) if other == label)


@dataclass(frozen=True)
class Part:
    name: str
    title: str
    start: str
    conventions: Conventions = Conventions()


def read_mle_problem(read: FieldReader, data: dict, limits: Limits) -> tuple[Sequence | Classes, tuple[Part, ...]]:
    """The sequence or the classes, and the one part, of an mle exercise."""
    bernoulli = sorted(BERNOULLI_KEYS & set(data))
    gaussian = sorted(GAUSSIAN_KEYS & set(data))
    if bool(bernoulli) == bool(gaussian) or ("sequence" in data) == ("points" in data):
        key = gaussian[0] if bernoulli and gaussian else "sequence"
        raise read.error(key, "expected either sequence = \"H T H …\" (a Bernoulli sequence, with success and "
                              "candidates) or points, labels and query (Gaussian classes), and not keys of both")
    setup = _sequence(read, data) if "sequence" in data else _classes(read, data)
    parts = parts_tables(read, data)
    if len(parts) != 1:
        raise read.error("parts", "expected one [[parts]] table: a maximum-likelihood exercise is one estimate")
    header = read_standalone_part(read, parts[0], 0, [], PART_HEADER_KEYS, "an mle part has nothing to carry over")
    return setup, (Part(header.name, header.title, header.start),)


def _sequence(read: FieldReader, data: dict) -> Sequence:
    text = read.text(data, "sequence", "", maximum=20 * MAX_OUTCOMES)
    words = text.replace(",", " ").split()
    if len(words) == 1 and len(words[0]) > 1 and words[0].isalpha():
        words = list(words[0])  # "HTHHTTHT": one letter per outcome
    if not 1 <= len(words) <= MAX_OUTCOMES:
        raise read.error("sequence", f"expected 1 to {MAX_OUTCOMES} outcomes separated by spaces, got {len(words):,}")
    bad = next((w for w in words if not _OUTCOME.fullmatch(w)), None)
    if bad is not None:
        raise read.error("sequence", f"expected outcomes of 1 to 12 ASCII letters or digits, got {quoted(bad)}")
    success = read.text(data, "success", "", "H")
    if not _OUTCOME.fullmatch(success):
        raise read.error("success", f"expected an outcome of 1 to 12 ASCII letters or digits, got {quoted(success)}")
    kinds = list(dict.fromkeys(words))
    others = [w for w in kinds if w != success]
    if len(others) > 1 or (success not in kinds and "success" not in data):
        listed = ", ".join(quoted(w) for w in kinds[:5])
        raise read.error("success" if "success" in data else "sequence",
                         f"expected two outcomes, one of them the success {quoted(success)} (set success = …), "
                         f"got {listed}")
    candidates = _candidates(read, data.get("candidates", []))
    return Sequence(tuple(words), success, others[0] if others else None, candidates)


def _candidates(read: FieldReader, value: Any) -> tuple[float, ...]:
    if not isinstance(value, list) or len(value) > MAX_CANDIDATES:
        raise read.error("candidates", f"expected a list of up to {MAX_CANDIDATES} values of θ, got {describe(value)}")
    found = []
    for i, v in enumerate(value):
        theta = read.number(v, f"candidates[{i}]")
        if not 0 <= theta <= 1:
            raise read.error(f"candidates[{i}]", f"expected a probability from 0 to 1, got {describe(v)}")
        found.append(theta)
    return tuple(found)


def _classes(read: FieldReader, data: dict) -> Classes:
    points = read_points(read, data)
    queries = read_queries(read, data, points.x.shape[0])
    covariance = read.choice(data, "covariance", "", COVARIANCES, "biased")
    prior = read.choice(data, "prior", "", PRIORS, "equal")
    value = data.get("exact", "auto")
    if value not in (True, False, "auto") or isinstance(value, (int, float)) and not isinstance(value, bool):
        raise read.error("exact", f"expected true, false or \"auto\", got {describe(value)}")
    exact = all_short(points.x.ravel()) and all(all_short(q.ravel()) for q in queries) if value == "auto" else value
    classes = Classes(points, queries, covariance, prior, bool(exact))
    for label in points.classes:
        _spread(read, classes, label)
    return classes


def _spread(read: FieldReader, classes: Classes, label: str) -> None:
    """Refuse a class whose covariance matrix is singular, saying why."""
    members = classes.members(label)
    n = classes.points.x.shape[0]
    if len(members) == 1:
        raise read.error("labels", f"class {label} has 1 point: its covariance is 0 and it has no Gaussian density; "
                                   f"expected at least {n + 1} points per class in {n} dimensions")
    coordinates = rational_matrix(classes.points.x[:, members]).T  # one row per point
    ones = sp.ones(len(members), 1)
    mean = ones.T * coordinates / len(members)
    centred = coordinates - ones * mean
    found = dependence(centred)
    if found is None:
        return
    j, terms = found
    if terms:
        combination = " + ".join(f"{'' if c == 1 else plain_fraction(c) + ' × '}coordinate {i + 1}" for i, c in terms)
        how = f"its points' deviations from the class mean satisfy coordinate {j + 1} = {combination}"
        how = how.replace("+ -", "− ").replace("= -", "= −")
    else:
        how = f"coordinate {j + 1} is the same for all its points"
    raise read.error("points", f"the covariance matrix of class {label} is singular (determinant 0): {how}, so it "
                               f"has no Gaussian density; expected points that spread in all {n} dimensions")

