"""When is a number the student wrote the same as the true value?

By default the digits written decide: 0.5498 claims four significant figures, and is right when
the true value rounds or truncates to it (0.549834 and 0.549876 both accept 0.5498). A written 0
is judged at the finest digit of the other numbers in the same answer. `rtol` or `sigfigs`
replace that rule for every number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from solver.check.answers import Number

_SLACK = 1e-9  # relative slack for binary floating point at the boundary of a digit
EXACT_RTOL = 1e-9  # a fraction is exact: judged to nine significant figures


@dataclass(frozen=True)
class Tolerance:
    rtol: float | None = None
    sigfigs: int | None = None

    def unit(self, written: Number, finest_sibling: float | None) -> float | None:
        """The place value of the last digit that counts, or None to compare relatively."""
        if self.rtol is not None:
            return None
        if written.value == 0:
            return finest_sibling or (10.0 ** -self.sigfigs if self.sigfigs else written.unit)
        if self.sigfigs is not None:
            return 10.0 ** (math.floor(math.log10(abs(written.value))) - self.sigfigs + 1)
        return written.unit

    def accepts(self, written: Number, true: float, finest_sibling: float | None = None) -> bool:
        unit = self.unit(written, finest_sibling)
        if unit is None:
            rtol = self.rtol if self.rtol is not None else EXACT_RTOL
            return abs(true - written.value) <= rtol * abs(true) + 1e-12
        margin = unit * _SLACK
        rounded = abs(true - written.value) <= 0.5 * unit + margin
        same_side = written.value == 0 or (true > 0) == (written.value > 0)
        truncated = same_side and abs(written.value) - margin <= abs(true) < abs(written.value) + unit - margin
        return rounded or truncated


def finest_unit(numbers: list[Number]) -> float | None:
    """The smallest place value among the non-zero numbers, for judging the zeros beside them."""
    units = [n.unit for n in numbers if n.value != 0 and n.unit is not None]
    return min(units) if units else None
