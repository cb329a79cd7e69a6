"""The digits a student writes decide how close the number must be."""

import pytest

from solver.check.answers import _number
from solver.check.tolerance import Tolerance

DIGITS = Tolerance()


@pytest.mark.parametrize(
    "written,true,accepted",
    [
        (0.5498, 0.549834, True),      # rounded to 4 significant figures
        (0.5498, 0.549876, True),      # truncated
        (0.5499, 0.549876, True),      # rounded up
        (0.5497, 0.549834, False),
        (-0.1139, -0.113937, True),    # negative, rounded
        (-0.1139, -0.113987, True),    # negative, truncated toward zero
        (-0.1139, 0.113937, False),    # wrong sign
        (0.5, 0.541144, True),         # one decimal: the true value rounds to 0.5
        (0.6, 0.541144, False),
        ("0.50", 0.504, True),         # trailing zero counts in a string
        ("0.50", 0.51, False),
        ("1/3", 1 / 3, True),          # a fraction is exact
        ("1/3", 0.3333, False),
        (12, 12.4, True),
        (12, 13.1, False),
        (1.5e-3, 0.00150004, True),
    ],
)
def test_digits_written(written, true, accepted):
    assert DIGITS.accepts(_number(written), true) is accepted


def test_zero_is_judged_at_the_finest_digit_beside_it():
    zero = _number(0)
    assert DIGITS.accepts(zero, 3e-18, finest_sibling=1e-8)
    assert not DIGITS.accepts(zero, 0.0005, finest_sibling=1e-8)


def test_sigfigs_override():
    assert Tolerance(sigfigs=2).accepts(_number(0.55), 0.549834)
    assert not Tolerance(sigfigs=6).accepts(_number(0.55), 0.549834)


def test_rtol_override():
    assert Tolerance(rtol=0.01).accepts(_number(0.55), 0.549834)
    assert not Tolerance(rtol=1e-6).accepts(_number(0.5498), 0.549834)
