"""Number formatting: significant figures, zero-chopping, noise printed as 0."""

from fractions import Fraction

import numpy as np
import pytest

from solver.render.format import NumberFormat, fraction, matrix, number, plain_number

SIX = NumberFormat(precision=6)


@pytest.mark.parametrize(
    "value,text",
    [
        (0.5498339973124778, "0.549834"),
        (0.1, "0.1"),
        (1.0, "1"),
        (10.0, "10"),
        (-0.11393714789, "-0.113937"),
        (0.000505747, "0.000505747"),
        (0.0994942527, "0.0994943"),
        (-3.5156e-18, "0"),
        (1e-13, "0"),
        (0.0, "0"),
        (-0.0, "0"),
        (1.5e-7, r"1.5 \times 10^{-7}"),
        (123456789.0, r"1.23457 \times 10^{8}"),
    ],
)
def test_number(value, text):
    assert number(value, SIX) == text


COUNTS = NumberFormat(precision=6, whole_numbers=True)


@pytest.mark.parametrize(
    "value,text",
    [
        (138357544.0, "138{,}357{,}544"),  # VGG-16's parameters, every digit (6 figures would drop "544")
        (122304.0, "122{,}304"),
        (4704.0, "4{,}704"),  # four digits are grouped too, so that a sum of counts reads alike (1{,}728 + 122{,}304)
        (999.0, "999"),
        (0.0, "0"),
        (-15489942504.0, "-15{,}489{,}942{,}504"),
        (float(2**53), "9{,}007{,}199{,}254{,}740{,}992"),
        (float(2**53) * 4, r"3.60288 \times 10^{16}"),  # beyond float64's whole numbers: figures again
        (54.25, "54.25"),  # a fraction is not a count
    ],
)
def test_whole_numbers_are_written_in_full(value, text):
    assert number(value, COUNTS) == text


@pytest.mark.parametrize("precision,text", [(1, "0.5"), (3, "0.55"), (4, "0.5498"), (10, "0.5498339973")])
def test_precision(precision, text):
    assert number(0.5498339973124778, NumberFormat(precision=precision)) == text


def test_matrix_writes_every_entry_by_rows():
    assert matrix(np.array([[1.0, 0.5], [-2e-18, 3.0]]), SIX) == r"\begin{bmatrix} 1 & 0.5 \\ 0 & 3 \end{bmatrix}"


def test_scalar_is_a_number():
    assert matrix(np.array(0.25), SIX) == "0.25"


@pytest.mark.parametrize("value,text", [(Fraction(2), "2"), (Fraction(-3), "-3"), (Fraction(1, 2), r"\frac{1}{2}"),
                                        (Fraction(-3, 4), r"-\frac{3}{4}"), (Fraction(0), "0")])
def test_an_exact_fraction(value, text):
    assert fraction(value) == text


@pytest.mark.parametrize("value,latex,plain", [
    (105705600.0, "105{,}705{,}600", "105,705,600"),
    (1728.0, "1{,}728", "1,728"),
    (999.0, "999", "999"),
    (54.25, "54.25", "54.25"),
    (1.5e-7, r"1.5 \times 10^{-7}", "1.5e-07"),
    (-3.5156e-18, "0", "0"),
    (float("nan"), r"\mathrm{NaN}", "nan"),
])
def test_plain_text_has_the_sheets_digits(value, latex, plain):
    # one rule for both: a report's number reads as the sheet's, spelt without LaTeX
    assert number(value, COUNTS) == latex and plain_number(value, None, COUNTS) == plain


def test_a_toml_file_gets_its_counts_ungrouped():
    toml = NumberFormat(whole_numbers=True, group_thousands=False)
    assert plain_number(105705600.0, None, toml) == "105705600" and number(1728.0, toml) == "1728"
