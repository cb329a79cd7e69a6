"""When is a number the student wrote the same as the true value?

By default the digits written decide, with a floor: 0.5498 claims four significant figures, and
is right when the true value rounds or truncates to it (0.549834 and 0.549876 both accept 0.5498).
But an answer is never judged more loosely than `fewest` significant figures of the true value
(3, or the sheet's precision when that is fewer): 1 is not accepted for √2 = 1.41421… merely
because √2 rounds to 1, nor 1.4; 1.41 and 1.414 are. An answer that is exactly the true value
(1 for 1, 0.5 for 0.5, "1/3" for 1/3) is accepted whatever its digits. A written 0 is judged at
the finest digit of the other numbers in the same answer, and a true value within the sheet's
zero tolerance (floating-point noise, printed 0) accepts a written 0. `rtol` or `sigfigs`
replace the whole rule for every number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from solver.check.answers import Number
from solver.render.format import DEFAULT_ZERO_TOLERANCE

_SLACK = 1e-9  # relative slack for binary floating point at the boundary of a digit
EXACT_RTOL = 1e-9  # a fraction is exact: judged to nine significant figures
FEWEST_SIGFIGS = 3
"""The fewest significant figures a written number is judged to (README "Checking your own answers")."""


@dataclass(frozen=True)
class Tolerance:
    rtol: float | None = None
    sigfigs: int | None = None
    fewest: int = FEWEST_SIGFIGS
    """With the digits-written rule: the fewest significant figures of the true value an answer must
    agree with (see the module's docstring)."""

    def for_sheet(self, precision: int) -> Tolerance:
        """This tolerance for a sheet written to `precision` significant figures: the floor is
        never finer than the sheet itself."""
        return replace(self, fewest=max(1, min(self.fewest, precision)))

    @property
    def digits_written(self) -> bool:
        return self.rtol is None and self.sigfigs is None

    def unit(self, written: Number, finest_sibling: float | None) -> float | None:
        """The place value of the last digit the student wrote that counts, or None to compare
        relatively (before the floor, which depends on the true value)."""
        if self.rtol is not None:
            return None
        if written.value == 0:
            return finest_sibling or (10.0 ** -self.sigfigs if self.sigfigs else written.unit)
        if self.sigfigs is not None:
            return figure_unit(written.value, self.sigfigs)
        return written.unit

    def accepts(self, written: Number, true: float, finest_sibling: float | None = None, spread: float = 0.0) -> bool:
        """Whether `written` is `true` to the digits it claims. `spread`: the true value is known only
        to ± this much (a value worked from the student's own rounded answers: solver/check/follow.py)."""
        unit = self.unit(written, finest_sibling)
        if unit is None:
            rtol = self.rtol if self.rtol is not None else EXACT_RTOL
            return abs(true - written.value) <= rtol * abs(true) + 1e-12 + spread
        if self.digits_written and abs(true) >= DEFAULT_ZERO_TOLERANCE:
            unit = min(unit, figure_unit(true, self.fewest))
        margin = unit * _SLACK
        rounded = abs(true - written.value) <= 0.5 * unit + margin + spread
        same_side = written.value == 0 or (true > 0) == (written.value > 0)
        low, high = abs(written.value) - margin - spread, abs(written.value) + unit - margin + spread
        truncated = same_side and low <= abs(true) < high
        return rounded or truncated


def figure_unit(value: float, figures: int) -> float:
    """The place value of `value`'s significant figure number `figures`: 0.001 for 0.5498 and 3."""
    return 10.0 ** (math.floor(math.log10(abs(value))) - figures + 1)


def finest_unit(numbers: list[Number]) -> float | None:
    """The smallest place value among the non-zero numbers, for judging the zeros beside them."""
    units = [n.unit for n in numbers if n.value != 0 and n.unit is not None]
    return min(units) if units else None
