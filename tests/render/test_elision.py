"""Large matrices on a sheet are written as NumPy prints a large array: first and last rows and
columns, with ⋮, ⋯ and ⋱ for the rest; --full and JSON keep every value."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest

import solver
from solver.render.format import EDGE_ITEMS, ELIDE_ABOVE, NumberFormat, matrix
from tests.conftest import needs_pdflatex, wide_network_solution, write_uniform_network

ELIDED = NumberFormat(elide=True)


def _cells(latex: str) -> list[list[str]]:
    body = latex.removeprefix(r"\begin{bmatrix} ").removesuffix(r" \end{bmatrix}")
    return [row.split(" & ") for row in body.split(r" \\ ")]


def _numpy_summary(array: np.ndarray) -> list[list[str]]:
    """The entries NumPy itself shows of `array` when it summarises, '...' where it leaves some out."""
    text = np.array2string(array, threshold=0, edgeitems=EDGE_ITEMS, separator=" ", max_line_width=10**6)
    rows = [re.findall(r"-?\d+|\.\.\.", line) for line in text.splitlines()]
    return [row for row in rows if row]


@pytest.mark.parametrize("shape", [(11, 14), (30, 4), (4, 30), (784, 1), (100, 784)])
def test_a_large_matrix_keeps_what_numpy_keeps(shape):
    array = np.arange(np.prod(shape)).reshape(shape)
    ours = _cells(matrix(array, ELIDED))
    theirs = _numpy_summary(array)
    # NumPy writes one '...' row; ours writes ⋮ in every column and ⋱ where both are left out
    # NumPy writes a left-out band of rows as one '...'; ours writes ⋮ (and ⋱) in every column
    ours_as_numpy = [["..."] if row[0] == r"\vdots" else ["..." if cell == r"\cdots" else cell for cell in row]
                     for row in ours]
    assert ours_as_numpy == theirs


@pytest.mark.parametrize("length, shown", [(ELIDE_ABOVE, ELIDE_ABOVE), (ELIDE_ABOVE + 1, 2 * EDGE_ITEMS + 1)])
def test_elision_starts_above_the_threshold(length, shown):
    assert len(_cells(matrix(np.ones((length, 2)), ELIDED))) == shown
    assert len(_cells(matrix(np.ones((2, length)), ELIDED))[0]) == shown


def test_without_elision_every_entry_is_written():
    assert len(_cells(matrix(np.ones((40, 3)), NumberFormat()))) == 40


def test_a_sheet_says_it_elides_and_full_writes_everything():
    solution = wide_network_solution()
    elided, full = solution.render("md"), solution.render("md", full=True)
    assert r"\vdots" in elided and "--full" in elided
    assert r"\vdots" not in full and "--full" not in full
    assert len(full) > len(elided)
    steps = json.loads(solution.render("json"))["steps"]
    w1 = next(step for step in steps if step["id"] == "a.W1")
    assert np.array(w1["value"]).shape == (12, 20)  # JSON holds every value


def test_a_small_sheet_is_never_elided():
    sheet = solver.solve(solver.load_exercise("exercises/mlp-5-3-2-sigmoid.toml")).render("md")
    assert r"\vdots" not in sheet and "--full" not in sheet


def test_the_full_option_on_the_command_line(tmp_path):
    write_uniform_network(tmp_path / "wide.toml", [12, 2], 0.1, [1, 0] * 6, [1, 0])

    def sheet(*options):
        run = subprocess.run([sys.executable, "-m", "solver", "solve", "wide.toml", *options], cwd=tmp_path,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        return run.stdout

    assert r"\vdots" in sheet() and r"\cdots" in sheet("--format", "tex")
    assert r"\vdots" not in sheet("--full") and r"\cdots" not in sheet("--full", "--format", "tex")


@needs_pdflatex
def test_an_elided_latex_sheet_compiles(tmp_path):
    (tmp_path / "sheet.tex").write_text(wide_network_solution().render("tex"))
    run = subprocess.run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "sheet.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
