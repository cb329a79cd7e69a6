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
        # fewer than 3 significant figures are not enough, though the true value rounds to them
        # (issue 12: "1" was accepted for the distance √2 = 1.414…)
        (0.5, 0.541144, False),
        (0.6, 0.541144, False),
        ("0.50", 0.504, False),
        ("0.500", 0.504, False),
        ("0.504", 0.504, True),        # three figures, trailing zero or not
        ("0.500", 0.5004, True),       # trailing zeros count in a string
        (1, 2 ** 0.5, False),
        (1.4, 2 ** 0.5, False),
        (1.41, 2 ** 0.5, True),
        (1.414, 2 ** 0.5, True),
        (1.42, 2 ** 0.5, False),
        (1, 1.0, True),                # exactly the true value, whatever its digits
        (0.5, 0.5, True),
        (3, 3.0000000000004, True),    # … up to floating-point noise
        (0, 0.3, False),               # a 0 is no escape from the floor
        (0, 3e-17, True),              # noise that the sheet prints as 0
        ("1/3", 1 / 3, True),          # a fraction is exact
        ("1/3", 0.3333, False),
        (12, 12.4, False),             # two figures: was accepted before the floor
        (12, 12.0, True),
        (12.4, 12.4, True),
        (12, 13.1, False),
        (60000, 60000.0, True),
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


def test_the_floor_is_never_finer_than_the_sheet():
    # a sheet of 2 significant figures writes 0.54 for 0.541144; 0.54 is then enough
    assert not DIGITS.accepts(_number(0.54), 0.541144)
    assert DIGITS.for_sheet(2).accepts(_number(0.54), 0.541144)
    assert DIGITS.for_sheet(6).fewest == 3 and DIGITS.for_sheet(1).fewest == 1


def test_overrides_have_no_floor():
    assert Tolerance(sigfigs=1).accepts(_number(1), 2 ** 0.5)
    assert Tolerance(rtol=0.5).accepts(_number(1), 2 ** 0.5)
