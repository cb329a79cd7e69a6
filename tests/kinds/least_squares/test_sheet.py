"""The least-squares sheets and the command line: fractions on the sheet and in JSON, LaTeX that
compiles, template and check through the real command (fractions accepted as answers), and bad
input refused in one line with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

import solver
from solver.errors import ExerciseError
from solver.exercise import parse_exercise
from tests.conftest import EXERCISES, needs_pdflatex

LINE = EXERCISES / "least-squares-line-3-points.toml"
MULTI = EXERCISES / "least-squares-multi-output.toml"


def byhand(*args, cwd):
    return subprocess.run([sys.executable, "-m", "solver", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_the_sheet_writes_fractions_and_the_fitted_line():
    sheet = solver.solve(solver.load_exercise(LINE)).render("md")
    assert r"\begin{bmatrix} \frac{3}{2} \\ \frac{5}{6} \end{bmatrix}" in sheet
    assert r"$a = \theta_{1} = \frac{3}{2}$ and $b = \theta_{2} = \frac{5}{6}$" in sheet
    assert r"L &= \frac{1}{2}\," in sheet and r"&= \frac{1}{12}" in sheet


def test_the_several_outputs_sheet_states_the_orientation():
    sheet = solver.solve(solver.load_exercise(MULTI)).render("md")
    assert "one per COLUMN of $\\mathbf{X}$" in sheet and "a row of ones is appended" in sheet
    assert r"\mathbf{W} &= \mathbf{Y}\mathbf{X}^{T}\left(\mathbf{X}\mathbf{X}^{T}\right)^{-1}" in sheet


def test_json_keeps_floats_and_adds_the_fractions():
    document = json.loads(solver.solve(solver.load_exercise(LINE)).render("json"))
    steps = {step["id"]: step for step in document["steps"]}
    assert steps["a.theta"]["value"] == [[1.5], [5 / 6]]
    assert steps["a.theta"]["exact"] == [["3/2"], ["5/6"]]
    assert steps["a.L"]["exact"] == "1/12" and steps["a.L"]["value"] == pytest.approx(1 / 12)
    assert steps["a.XtX_inv"]["exact"] == [["1/2", "-1/2"], ["-1/2", "5/6"]]


@needs_pdflatex
@pytest.mark.parametrize("path", [LINE, MULTI])
def test_the_latex_sheet_compiles(tmp_path, path):
    (tmp_path / "sheet.tex").write_text(solver.solve(solver.load_exercise(path)).render("tex"))
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "sheet.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]


def test_template_and_check_from_the_command_line(tmp_path):
    template = byhand("template", str(LINE), cwd=tmp_path)
    assert template.returncode == 0
    for id in ("a.XtX", "a.Xty", "a.XtX_inv", "a.theta", "a.y_hat", "a.r", "a.L"):
        assert f'"{id}" = ""' in template.stdout
    assert "# given: a.X = " in template.stdout
    filled = template.stdout.replace('"a.theta" = ""', '"a.theta" = ["3/2", "5/6"]') \
        .replace('"a.L" = ""', '"a.L" = "1/12"').replace('"a.XtX" = ""', '"a.XtX" = [[5, 3], [3, 3]]')
    (tmp_path / "right.toml").write_text(filled)
    right = byhand("check", str(LINE), "right.toml", cwd=tmp_path)
    assert right.returncode == 0 and "3 correct" in right.stdout and "0 wrong" in right.stdout, right.stdout
    (tmp_path / "wrong.toml").write_text('"a.theta" = ["3/2", "1/2"]\n"a.L" = 0.0833\n')
    wrong = byhand("check", str(LINE), "wrong.toml", cwd=tmp_path)
    assert wrong.returncode == 1 and "a.theta: wrong" in wrong.stdout and "1 correct" in wrong.stdout


BAD = [
    ('X = [[1, 2, 2], [2, 0, 4], [3, 1, 6], [4, 4, 8]]\ny = [1, 2, 3, 4]\n',
     "bad.toml:2: X: the columns of the design matrix are linearly dependent (column 3 = 2 × column 1), so XᵀX is "
     "singular and the least-squares solution is not unique; drop that one or change the data"),
    ('X = [[1, 0], [0, 1]]\nY = [[1, 2]]\nintercept = true\n',
     "bad.toml:2: X: the rows of the design matrix are linearly dependent (row 3 (the ones) = row 1 + row 2); 3 "
     "unknowns need at least 3 samples, there are 2, so X Xᵀ is singular and the least-squares solution is not "
     "unique; drop that one or change the data"),
    ('x = [2, 2, 2]\ny = [1, 2, 3]\n',
     "bad.toml:2: x: every x is 2: the points lie on the vertical line x = 2, and no line y = a x + b fits them "
     "uniquely (XᵀX is singular); expected at least two different x"),
    ('x = [1, 2, 3]\ny = [1, 2]\n', "bad.toml:3: y: expected 3 numbers (one per sample), got a list of 2"),
    ('X = [[1, 2], [3]]\ny = [1, 2]\n',
     "bad.toml:2: X[1]: expected 2 numbers (as many as the first row has: one row per sample), got a list of 1"),
    ('X = [[1, 2, 3], [0, 1, 1]]\nY = [[1, 2]]\n', "bad.toml:3: Y: expected 3 columns, one per sample as X has, got 2"),
    ('x = [1, 2, 3]\ny = [1, 2, 3]\nweights = 1\n',
     "bad.toml:4: weights: unknown key; expected one of X, Y, ask, description, exact, intercept, kind, loss_factor, "
     "number_format, parts, precision, source, title, variants, x, y"),
    ('x = [1, 2, 3]\ny = [1, 2, 3]\nloss_factor = 0.7\n',
     "bad.toml:4: loss_factor: expected 0.5 (L = ½ Σ (y − ŷ)², seed 002) or 1 (L = Σ (y − ŷ)²), got 0.7"),
    ('x = [1, 2, 3]\nX = [[1], [2], [3]]\ny = [1, 2, 3]\n',
     "bad.toml:2: x: expected either x = […] and y = […] (a line y = a x + b) or X = [[…], …] with y = […] or "
     "Y = [[…], …], and not both x and X"),
]


@pytest.mark.parametrize("body,message", BAD)
def test_bad_input_is_one_line_and_exit_2(tmp_path, body, message):
    (tmp_path / "bad.toml").write_text('kind = "least_squares"\n' + body)
    run = byhand("solve", "bad.toml", "-o", "out", cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.strip().splitlines() == [f"byhand: {message}"], run.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_large_singular_matrix_is_refused_quickly():
    rows = [[i, 2 * i, i % 7, 1] for i in range(100)]  # column 2 = 2 × column 1
    started = time.perf_counter()
    with pytest.raises(ExerciseError, match=r"column 2 = 2 × column 1"):
        parse_exercise({"kind": "least_squares", "X": rows, "y": list(range(100))})
    assert time.perf_counter() - started < 0.5


def test_readme_excerpt_is_real():
    from tests.conftest import OUTPUT

    readme = (OUTPUT.parent / "README.md").read_text()
    start = readme.index("$$\n\\begin{aligned}\n\\boldsymbol{\\theta} &= ")
    excerpt = readme[start: readme.index("\\end{aligned}\n$$", start) + len("\\end{aligned}\n$$")]
    assert excerpt in (OUTPUT / "least-squares-line-3-points.md").read_text()
