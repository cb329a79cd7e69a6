"""Whether a filter or pooling window fits its input along one dimension, and if not, why not and
what would fit: the explanation a sheet gives instead of a rounded size (seed 002: "in 7 × 7 we
can do stride = 1, 2 or 4, not 3").

Plain integer arithmetic; the engine's steps compute the same sizes from the SymPy formula
(W + 2P − F)/S + 1, and the tests compare both with a loop of their own.
"""

from __future__ import annotations

from fractions import Fraction

SHOWN = 8
"""At most this many strides or paddings are listed in an explanation."""


def output_length(length: int, size: int, padding: int, stride: int) -> Fraction:
    """(length + 2·padding − size)/stride + 1, exactly; whole when the window fits."""
    return Fraction(length + 2 * padding - size, stride) + 1


def misfit(length: int, size: int, padding: int, stride: int, dimension: str, paddable: bool = True) -> str | None:
    """None when a `size`-wide window with this padding and stride tiles `length` exactly; else one
    sentence saying why not and which strides (and, when the layer takes padding, which paddings) fit.
    `dimension` is "width" or "height"."""
    padded = length + 2 * padding
    if size > padded:
        pad = f" padded by {padding} on each side to {padded}" if padding else ""
        return (f"a filter {size} wide does not fit a {dimension} of {length}{pad}; expected a size of at most "
                f"{padded}")
    span = padded - size
    if span % stride == 0:
        return None
    numerator = f"{length} + 2·{padding} − {size}" if paddable else f"{length} − {size}"
    written = f"({numerator})/{stride} + 1 = {_fraction(output_length(length, size, padding, stride))}"
    below = length - span % stride
    nearest = " or ".join(str(n) for n in (below, below + stride) if n + 2 * padding >= size)
    text = (f"{written} is not a whole number: a stride of {stride} does not fit a {dimension} of {length} with "
            f"a window of {size}{f' and padding {padding}' if padding else ''}; {dimension}s that fit: {nearest}; "
            f"strides that fit: {_listed(fitting_strides(length, size, padding))}")
    if paddable:
        paddings = fitting_paddings(length, size, stride)
        text += (f"; paddings that fit stride {stride}: {_listed(paddings)}" if paddings else
                 f"; no padding fits stride {stride}, since {length} − {size} is odd and 2P is even")
    return text


def fitting_strides(length: int, size: int, padding: int) -> tuple[int, ...]:
    """The strides S for which (length + 2·padding − size)/S + 1 is whole: the divisors of the span
    (just 1 when the window covers the whole input, where any stride gives one output)."""
    span = length + 2 * padding - size
    small = [s for s in range(1, int(span**0.5) + 1) if span % s == 0]
    return tuple(sorted({*small, *(span // s for s in small)})) if span else (1,)


def fitting_paddings(length: int, size: int, stride: int) -> tuple[int, ...]:
    """The smallest paddings P ≥ 0 (up to SHOWN) for which the stride fits, or () when none can."""
    found = [p for p in range(2 * stride) if (length + 2 * p - size) % stride == 0 and length + 2 * p >= size]
    return tuple(found[:SHOWN])


def _listed(values: tuple[int, ...]) -> str:
    shown = ", ".join(str(v) for v in values[:SHOWN])
    return shown + (f", … ({len(values)} in all)" if len(values) > SHOWN else "")


def _fraction(value: Fraction) -> str:
    whole, rest = divmod(value.numerator, value.denominator)
    return f"{value.numerator}/{value.denominator}" if whole == 0 else f"{value} = {whole} {rest}/{value.denominator}"
