"""Shared helpers: exercises built from dictionaries, numbers compared to the digits printed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

# byhand's cache on disk (solver/cache.py) goes to a directory of this test run, not the user's
os.environ.setdefault("BYHAND_CACHE_DIR", tempfile.mkdtemp(prefix="byhand-test-cache-"))

REPO = Path(__file__).resolve().parent.parent
EXERCISES = REPO / "exercises"
OUTPUT = REPO / "output"

def _has_tikz() -> bool:
    if shutil.which("kpsewhich") is None:
        return False
    found = subprocess.run(["kpsewhich", "tikz.sty"], capture_output=True, text=True)
    return bool(found.stdout.strip())


# sheets with a picture (every MLP and graph sheet) load TikZ
needs_pdflatex = pytest.mark.skipif(
    shutil.which("pdflatex") is None or not _has_tikz(),
    reason="pdflatex with TikZ is not installed (.ci/run installs Debian's texlive-latex-base and texlive-pictures)",
)


def agrees_to_printed_digits(value: float, printed: str) -> bool:
    """True when `value` rounds to `printed` at the number of decimals `printed` shows."""
    decimals = -Decimal(printed).as_tuple().exponent
    return round(float(value), decimals) == float(printed) or abs(float(value) - float(printed)) <= 0.5 * 10.0**-decimals


def assert_printed(value: np.ndarray, printed) -> None:
    """Every entry of `value` agrees with the seed's printed matrix (strings, row by row)."""
    expected = np.array(printed, dtype=object).reshape(np.shape(value))
    for index in np.ndindex(np.shape(value)):
        assert agrees_to_printed_digits(value[index], expected[index]), (index, value[index], expected[index])


def network_exercise(sizes, activations, *, weights, biases, samples, loss="half_sse", mode="batch",
                     learning_rate=0.5, conventions=None, parts=None) -> dict:
    """The TOML structure of an exercise, as the loader receives it."""
    layers = [
        {"units": units, "activation": act, "weights": w, "biases": b}
        for units, act, w, b in zip(sizes[1:], activations, weights, biases)
    ]
    data = {
        "title": "test network",
        "network": {"inputs": sizes[0], "layers": layers},
        "training": {"loss": loss, "mode": mode, "learning_rate": learning_rate, "samples": samples},
    }
    if conventions:
        data["conventions"] = conventions
    if parts:
        data["parts"] = parts
    return data


def write_uniform_network(path, sizes, weight: float, sample_input, target) -> None:
    """Write an exercise file of a sigmoid network whose weights are all `weight` and biases 0,
    one sample, one batch step of ½Σ(x − t)² (a wide sheet for the tests of elision and layout)."""
    from solver.variants.toml_writer import dumps

    data = network_exercise(sizes, ["sigmoid"] * (len(sizes) - 1),
                            weights=[np.full((m, n), weight).tolist() for n, m in zip(sizes, sizes[1:])],
                            biases=[[0.0] * m for m in sizes[1:]],
                            samples=[{"input": list(sample_input), "target": list(target)}])
    path.write_text(dumps(data), encoding="utf-8")


def wide_network_solution():
    """A 20-12-3 network on one sample: its weight matrices are wider than ELIDE_ABOVE, so its
    sheets elide them (tests of elision in md, tex and html)."""
    import solver
    from solver.exercise import parse_exercise

    sizes = [20, 12, 3]
    draw = np.random.default_rng(1)
    weights = [np.round(draw.normal(0, 0.3, (m, n)), 3).tolist() for n, m in zip(sizes, sizes[1:])]
    data = network_exercise(sizes, ["tanh", "sigmoid"], weights=weights, biases=[[0.0] * 12, [0.0] * 3],
                            samples=[{"input": np.round(draw.uniform(0, 1, 20), 2).tolist(), "target": [1, 0, 0]}])
    return solver.solve(parse_exercise(data))
