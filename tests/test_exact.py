"""Exact values beside the float ones (solver/exact.py, Step.exact): read as written, kept by the
recorder unless a step is overridden, printed as fractions in LaTeX and as plain text in JSON."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from solver.engine.steps import Recorder
from solver.exact import dependence, fractions, is_short_decimal, rational_matrix, to_fraction
from solver.render.format import NumberFormat, matrix, number, plain_fraction, plain_nested

STYLE = NumberFormat()


@pytest.mark.parametrize("value,expected", [(0.1, Fraction(1, 10)), (3, Fraction(3)), (-2.5, Fraction(-5, 2)),
                                            (1e-05, Fraction(1, 100000)), (0.3333, Fraction(3333, 10000))])
def test_numbers_are_the_rationals_they_are_written_as(value, expected):
    assert to_fraction(value) == expected


@pytest.mark.parametrize("value,short", [(2, True), (0.25, True), (-0.125, True), (0.12345, False),
                                         (1 / 3, False), (1e7, False), (2.5e-3, True)])
def test_short_decimals(value, short):
    assert is_short_decimal(value) is short


@pytest.mark.parametrize("value,latex,plain", [
    (Fraction(1, 2), r"\frac{1}{2}", "1/2"), (Fraction(-3, 4), r"-\frac{3}{4}", "-3/4"), (Fraction(2), "2", "2"),
    (Fraction(-7), "-7", "-7"), (Fraction(0), "0", "0"), (Fraction(123457, 1000003), r"\frac{123457}{1000003}",
                                                          "123457/1000003"),
])
def test_fractions_print_exactly(value, latex, plain):
    assert number(value, STYLE) == latex
    assert plain_fraction(value) == plain


def test_a_matrix_of_fractions():
    exact = fractions(sp.Matrix([[sp.Rational(1, 2), -3], [sp.Rational(-3, 4), 0]]))
    assert matrix(exact, STYLE) == r"\begin{bmatrix} \frac{1}{2} & -3 \\ -\frac{3}{4} & 0 \end{bmatrix}"
    assert plain_nested(exact) == [["1/2", "-3"], ["-3/4", "0"]]
    assert plain_nested(fractions(sp.Rational(5, 3))) == "5/3"


def test_the_recorder_keeps_exact_values_and_drops_them_when_overridden():
    recorder = Recorder({"b": np.array([[0.3]])})
    value = recorder.record("a", part="a", group="", section="s", kind="k", symbol="a",
                            exact=sp.Matrix([[sp.Rational(1, 3)]]))
    assert value[0, 0] == pytest.approx(1 / 3)
    recorder.record("b", part="a", group="", section="s", kind="k", symbol="b", exact=sp.Matrix([[sp.Rational(1, 4)]]))
    a, b = recorder.steps()
    assert a.exact[0, 0] == Fraction(1, 3) and not a.exact.flags.writeable
    assert b.exact is None and b.value[0, 0] == 0.3


def test_an_exact_value_must_have_the_value_s_shape():
    with pytest.raises(ValueError, match="shape"):
        Recorder().record("a", part="a", group="", section="s", kind="k", symbol="a", value=np.zeros((2, 1)),
                          exact=sp.Matrix([[1]]))


@pytest.mark.parametrize("columns,expected", [
    ([[1, 2, 2], [2, 0, 4], [3, 1, 6]], (2, ((0, Fraction(2)),))),
    ([[1, 0], [2, 0]], (1, ())),
    ([[1, 2, 3], [0, 1, 1], [1, 0, 1]], (2, ((0, Fraction(1)), (1, Fraction(1))))),
    ([[1, 0], [0, 1]], None),
])
def test_dependence_names_one_relation_between_columns(columns, expected):
    assert dependence(rational_matrix(np.array(columns, dtype=float))) == expected


def test_a_fraction_too_large_for_float64_is_refused_as_an_overflow():
    from solver.errors import NumericError
    from solver.exact import floats

    assert floats(fractions(sp.Matrix([[sp.Integer(10) ** 400, -sp.Integer(10) ** 400]]))).tolist() == [
        [float("inf"), float("-inf")]]
    with pytest.raises(NumericError, match="overflows"):
        Recorder().record("a", part="a", group="", section="s", kind="k", symbol="a",
                          exact=sp.Matrix([[sp.Integer(10) ** 400]]))
