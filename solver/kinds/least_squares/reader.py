"""The least_squares kind's part of an exercise file: the data in one of three forms, the
intercept, the ½ in the loss and whether to work in fractions.

    kind = "least_squares"
    x = [0, 1, 2]                 # a line y = a x + b through the points (x, y) …
    y = [1, 2, 4]
    # … or X = [[1, 2], [2, 0], [3, 1]] with y: one row of X per sample (seed 002: X has rows x̂ᵀ) …
    # … or X = [[…], …] with Y = [[…], …]: several outputs, one COLUMN per sample in both, as seed
    #   002's homework writes them: W = (Y Xᵀ)(X Xᵀ)⁻¹
    intercept = true              # add the column (row, for X/Y) of ones; default true for x, false for X
    loss_factor = 0.5             # L = ½ Σ (y − ŷ)² (seed 002), or 1
    exact = "auto"                # fractions when every datum is a short decimal; or true, false

A design matrix whose columns (rows, for X/Y) are linearly dependent has no unique solution: the
file is refused with the dependence named ("column 2 = 3 × column 1"), since there is no inverse
to work and the student needs to know which data to change. One whose columns are only nearly
dependent is refused too when it is worked in floats (see MAX_CONDITION): exact fractions serve
it, floats cannot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from solver.arrays import read_only
from solver.conventions import Conventions
from solver.exact import all_short, dependence, rational_matrix
from solver.exercise import PART_HEADER_KEYS, parts_tables, read_standalone_part
from solver.fields import FieldReader, describe
from solver.limits import Limits
from solver.render.format import plain_fraction

KEYS = frozenset({"x", "y", "X", "Y", "intercept", "loss_factor", "exact", "parts"})
LOSS_FACTORS = (0.5, 1.0)
EXACT_CHOICES = (True, False, "auto")
MAX_SAMPLES = 100
MAX_FEATURES = 10
MAX_OUTPUTS = 10
FLOAT64_DIGITS = 16
"""float64 carries about 16 significant digits (2⁻⁵³ ≈ 1.1 × 10⁻¹⁶)."""
MAX_CONDITION = 10.0**8
"""The largest condition number of XᵀX (X Xᵀ) worked in floats. Inverting a matrix of condition
number κ loses about log₁₀ κ of float64's 16 digits, so θ keeps about 16 − log₁₀ κ: at most 10⁸
leaves 8, a default sheet's 6 figures and 2 spare for the rounding in forming XᵀX and in the
products after the inverse. (4.00001 in place of 4 in X = [[1, 2], [2, 4], [3, 6]] gives
κ ≈ 4.9 × 10¹², and floats printed θ₂ = −1.5 × 10⁻⁵ for 0.) The reader does not know the
precision a sheet will be printed at: a sheet of more than 8 figures on data near the limit
prints digits that floats do not hold; exact = true works such data exactly."""


@dataclass(frozen=True)
class Data:
    """What is fitted. `form` is "line" (x, y), "columns" (X, y: one row per sample) or "multi"
    (X, Y: one column per sample). `X` is the design matrix the engine uses, the ones already
    added when `intercept` (the last column, or the last row for "multi"); `y` is N × 1, or c × N
    for "multi". `names` names each column (row) of X for the sheet; `exact`: worked in fractions."""

    form: str
    X: np.ndarray
    y: np.ndarray
    intercept: bool
    loss_factor: float
    exact: bool
    names: tuple[str, ...]

    @property
    def samples(self) -> int:
        return self.X.shape[1] if self.form == "multi" else self.X.shape[0]


@dataclass(frozen=True)
class Part:
    name: str
    title: str
    start: str
    conventions: Conventions = Conventions()


def read_least_squares_problem(read: FieldReader, data: dict, limits: Limits) -> tuple[Data, tuple[Part, ...]]:
    """The data and the one part of a least_squares exercise."""
    if ("x" in data) == ("X" in data):
        raise read.error("x", "expected either x = […] and y = […] (a line y = a x + b) or X = [[…], …] with "
                              "y = […] or Y = [[…], …], and not both x and X")
    if "x" in data:
        if "Y" in data:
            raise read.error("Y", "Y goes with X (several outputs); a line through points (x, y) takes y = […]")
        key, form = "x", "line"
        x = _numbers(read, data["x"], "x")
        features = read_only(np.array(x).reshape(-1, 1))
        targets = _targets(read, data, len(x))
    else:
        key = "X"
        if ("y" in data) == ("Y" in data):
            raise read.error("y", "expected y = […] (one output: one row of X per sample) or Y = [[…], …] (several "
                                  "outputs: one column of X and of Y per sample), and not both")
        form = "columns" if "y" in data else "multi"
        if form == "columns":
            features = _rows(read, data["X"], "X", MAX_SAMPLES, MAX_FEATURES, "one row per sample")
            targets = _targets(read, data, features.shape[0])
        else:
            features = _rows(read, data["X"], "X", MAX_FEATURES, MAX_SAMPLES, "one row per feature, one column per "
                                                                              "sample")
            targets = _rows(read, data["Y"], "Y", MAX_OUTPUTS, MAX_SAMPLES, "one row per output, one column per sample")
            if targets.shape[1] != features.shape[1]:
                raise read.error("Y", f"expected {features.shape[1]} columns, one per sample as X has, got "
                                      f"{targets.shape[1]}")
    intercept = read.boolean(data, "intercept", "", form == "line")
    design, names = _design(features, form, intercept)
    _independent(read, key, design, names, form)
    factor = _loss_factor(read, data)
    exact = _exact(read, data, design, targets)
    if not exact:
        _well_conditioned(read, key, design, form)
    header = read_standalone_part(read, _one_part(read, data), 0, [], PART_HEADER_KEYS,
                                  "a least-squares part has nothing to carry over")
    fitted = Data(form, read_only(design), read_only(targets), intercept, factor, exact, names)
    return fitted, (Part(header.name, header.title, header.start),)


def _numbers(read: FieldReader, value: Any, key: str) -> list[float]:
    if not isinstance(value, list) or not 2 <= len(value) <= MAX_SAMPLES:
        raise read.error(key, f"expected a list of 2 to {MAX_SAMPLES} numbers, got {describe(value)}")
    return [read.number(v, f"{key}[{i}]") for i, v in enumerate(value)]


def _targets(read: FieldReader, data: dict, samples: int) -> np.ndarray:
    if "y" not in data:
        raise read.error("y", f"missing; expected y = […], {samples} numbers, one per sample")
    return read.vector(data["y"], "y", samples, "one per sample")


def _rows(read: FieldReader, value: Any, key: str, max_rows: int, max_columns: int, what: str) -> np.ndarray:
    wanted = f"a matrix written as a list of rows ({what})"
    if not isinstance(value, list) or not value or not all(isinstance(row, list) and row for row in value):
        raise read.error(key, f"expected {wanted}, got {describe(value)}")
    if len(value) > max_rows or len(value[0]) > max_columns:
        raise read.error(key, f"expected at most {max_rows} rows of at most {max_columns} numbers ({what}), got "
                              f"{describe(value)}")
    columns = len(value[0])
    return np.hstack([read.vector(row, f"{key}[{i}]", columns, f"as many as the first row has: {what}")
                      for i, row in enumerate(value)]).T


def _design(features: np.ndarray, form: str, intercept: bool) -> tuple[np.ndarray, tuple[str, ...]]:
    """The design matrix with the ones added (a last column, or a last row for "multi"), and the
    names of its columns (rows)."""
    if form == "multi":
        names = tuple(f"row {i + 1}" for i in range(features.shape[0]))
        if intercept:
            return np.vstack([features, np.ones((1, features.shape[1]))]), (*names, f"row {len(names) + 1} (the ones)")
        return features, names
    if form == "line":
        names = ("column 1 (x)",)
    else:
        names = tuple(f"column {i + 1}" for i in range(features.shape[1]))
    if intercept:
        return np.hstack([features, np.ones((features.shape[0], 1))]), (*names, f"column {len(names) + 1} (the ones)")
    return features, names


def _independent(read: FieldReader, key: str, design: np.ndarray, names: tuple[str, ...], form: str) -> None:
    """Refuse a design matrix whose columns (rows, for "multi") are dependent, naming one dependence."""
    matrix = rational_matrix(design.T if form == "multi" else design)
    found = dependence(matrix)
    if found is None:
        return
    if form == "line":
        x = plain_fraction(matrix[0, 0])
        what = (f"the points lie on the vertical line x = {x}, and no line y = a x + b fits them uniquely"
                if design.shape[1] == 2 else "the line y = a x through the origin has no unique slope")
        raise read.error(key, f"every x is {x}: {what} (XᵀX is singular); expected at least two different x")
    j, terms = found
    if terms:
        combination = " + ".join(f"{'' if c == 1 else plain_fraction(c) + ' × '}{names[i]}" for i, c in terms)
        relation = f"{names[j]} = {combination}".replace("+ -", "− ").replace("= -", "= −")
    else:
        relation = f"{names[j]} is all zeros"
    product = "X Xᵀ" if form == "multi" else "XᵀX"
    samples, size = matrix.shape
    few = f"; {size} unknowns need at least {size} samples, there are {samples}" if samples < size else ""
    raise read.error(key, f"the {'rows' if form == 'multi' else 'columns'} of the design matrix are linearly "
                          f"dependent ({relation}){few}, so {product} is singular and the least-squares solution is "
                          "not unique; drop that one or change the data")


def _well_conditioned(read: FieldReader, key: str, design: np.ndarray, form: str) -> None:
    """Refuse a design matrix whose Gram matrix is too ill-conditioned to be inverted in floats
    (MAX_CONDITION), saying how many figures floats would keep."""
    X = design.T if form == "multi" else design
    try:
        condition = float(np.linalg.cond(X)) ** 2  # cond(XᵀX) = cond(X)², and X's is the accurate one to compute
    except (np.linalg.LinAlgError, OverflowError):  # an SVD that does not converge, or cond² beyond floats
        condition = math.inf
    if condition <= MAX_CONDITION:
        return
    product = "X Xᵀ" if form == "multi" else "XᵀX"
    solved = "W" if form == "multi" else "θ"
    kept = max(0, math.floor(FLOAT64_DIGITS - math.log10(condition))) if math.isfinite(condition) else 0
    figures = f"only about {kept} of {solved}'s significant figures" if kept else f"none of {solved}'s figures"
    raise read.error(key, f"the {'rows' if form == 'multi' else 'columns'} of the design matrix are nearly "
                          f"dependent: {product} has condition number {_magnitude(condition)}, above "
                          f"{_magnitude(MAX_CONDITION)}, so inverting it in float64 keeps {figures}, too few "
                          "for a sheet; change the data, or write exact = true to work it in fractions")


def _magnitude(value: float) -> str:
    """A large positive number as plain text: ``4.9 × 10^12``, ``10^8``."""
    if not math.isfinite(value):
        return "infinite"
    mantissa, exponent = f"{value:.1e}".split("e")
    power = f"10^{int(exponent)}"
    return power if mantissa == "1.0" else f"{mantissa} × {power}"


def _loss_factor(read: FieldReader, data: dict) -> float:
    value = data.get("loss_factor", 0.5)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or float(value) not in LOSS_FACTORS:
        raise read.error("loss_factor", f"expected 0.5 (L = ½ Σ (y − ŷ)², seed 002) or 1 (L = Σ (y − ŷ)²), got "
                                        f"{describe(value)}")
    return float(value)


def _exact(read: FieldReader, data: dict, design: np.ndarray, targets: np.ndarray) -> bool:
    value = data.get("exact", "auto")
    if value not in EXACT_CHOICES or isinstance(value, (int, float)) and not isinstance(value, bool):
        raise read.error("exact", f"expected true (fractions), false (decimals) or \"auto\" (fractions when every "
                                  f"datum is a whole number or has at most 4 decimals), got {describe(value)}")
    if value == "auto":
        return all_short(design.ravel()) and all_short(targets.ravel())
    return bool(value)


def _one_part(read: FieldReader, data: dict) -> Any:
    parts = parts_tables(read, data)
    if len(parts) != 1:
        raise read.error("parts", "expected one [[parts]] table: a least-squares exercise is one fit")
    return parts[0]
