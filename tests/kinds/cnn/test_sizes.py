"""A window that does not tile its input is explained: which widths, strides and paddings would
fit, each list checked here by trying every candidate."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from solver.kinds.cnn.sizes import fitting_paddings, fitting_strides, misfit
from tests.hostile import FUZZ


def tiles(length: int, size: int, padding: int, stride: int) -> bool:
    """Whether sliding the window by `stride` from the left edge ends exactly at the right edge."""
    last = 0
    while last + stride + size <= length + 2 * padding:
        last += stride
    return size <= length + 2 * padding and last + size == length + 2 * padding


def test_seed_002_stride_3_does_not_fit_7x7():
    # seed 002: "In 7 × 7 we can do stride = 1, 2 or 4, not 3" (a 3 × 3 filter, no padding)
    text = misfit(7, 3, 0, 3, "width")
    assert "7/3" in text and "strides that fit: 1, 2, 4" in text and "paddings that fit stride 3: 1" in text
    assert fitting_strides(7, 3, 0) == (1, 2, 4)
    assert misfit(7, 3, 0, 2, "width") is None


def test_alexnet_224_does_not_fit_and_227_does():
    # Krizhevsky et al. (2012) write a 224 × 224 input; (224 − 11)/4 + 1 = 54.25. Seed 002 writes 227.
    text = misfit(224, 11, 0, 4, "width")
    assert "217/4" in text and "widths that fit: 223 or 227" in text and "no padding fits stride 4" in text
    assert misfit(227, 11, 0, 4, "width") is None


def test_a_filter_larger_than_the_padded_input():
    assert "does not fit a width of 3 padded by 1 on each side to 5" in misfit(3, 7, 1, 1, "width")


@FUZZ
@given(st.integers(1, 60), st.integers(1, 12), st.integers(0, 4), st.integers(1, 9))
def test_every_listed_stride_and_padding_fits_and_no_other_does(length, size, padding, stride):
    assert (misfit(length, size, padding, stride, "width") is None) == tiles(length, size, padding, stride)
    if size < length + 2 * padding:  # when the window covers the whole input, every stride fits
        candidates = range(1, length + 2 * padding + 2)
        assert fitting_strides(length, size, padding) == tuple(s for s in candidates if tiles(length, size, padding, s))
    paddings = fitting_paddings(length, size, stride)
    assert all(tiles(length, size, p, stride) for p in paddings)
    assert all(not tiles(length, size, p, stride) for p in range(2 * stride) if p not in paddings)
