"""Arrays that cannot change once recorded."""

from __future__ import annotations

from typing import Any

import numpy as np


def read_only(values: Any) -> np.ndarray:
    """A float64 copy of `values` that cannot be written to."""
    array = np.array(values, dtype=np.float64)
    array.setflags(write=False)
    return array
