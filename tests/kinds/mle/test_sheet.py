"""The maximum-likelihood sheets and the command line: LaTeX that compiles, JSON with the exact
θ̂, template and check through the real command (fractions accepted as answers), and bad input
refused in one line with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import solver
from tests.conftest import EXERCISES, needs_pdflatex

COIN = EXERCISES / "mle-coin.toml"
GAUSSIAN = EXERCISES / "mle-gaussian-2-classes.toml"


def byhand(*args, cwd):
    return subprocess.run([sys.executable, "-m", "solver", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


@needs_pdflatex
@pytest.mark.parametrize("path", [COIN, GAUSSIAN])
def test_the_latex_sheet_compiles(tmp_path, path):
    (tmp_path / "sheet.tex").write_text(solver.solve(solver.load_exercise(path)).render("tex"))
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "sheet.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]


def test_the_coin_sheet_and_json():
    solution = solver.solve(solver.load_exercise(COIN))
    sheet = solution.render("md")
    assert "\\hat{\\theta} &= \\frac{k}{n} \\\\\n&= \\frac{4}{8} \\\\\n&= \\frac{1}{2}" in sheet
    steps = {step["id"]: step for step in json.loads(solution.render("json"))["steps"]}
    assert steps["a.theta_hat"]["value"] == 0.5 and steps["a.theta_hat"]["exact"] == "1/2"
    assert "exact" not in steps["a.L2"]


def test_the_gaussian_sheet_names_the_classes():
    sheet = solver.solve(solver.load_exercise(GAUSSIAN)).render("md")
    assert "### Class 1" in sheet and "class 1 is $\\mathrm{A}$" in sheet
    assert r"\boldsymbol{\mu}_{1}" in sheet and r"\begin{bmatrix} 2 \\ \frac{5}{2} \end{bmatrix}" in sheet


@pytest.mark.parametrize("path,right,wrong,ids", [
    (COIN, '"a.theta_hat" = "1/2"\n"a.k" = 4\n"a.best" = 3\n"a.L2" = 0.001236\n',
     '"a.theta_hat" = "4/5"\n"a.k" = 4\n', ("a.n", "a.k", "a.L1", "a.L3", "a.best", "a.theta_hat", "a.logL_hat")),
    (GAUSSIAN, '"a.c1.mu" = ["2", "5/2"]\n"a.c1.Sigma" = [["1/2", "1/4"], ["1/4", "5/4"]]\n"a.q1.D1" = "74/9"\n'
               '"a.q1.class" = 1\n',
     '"a.c1.mu" = ["2", "5/2"]\n"a.q1.class" = 2\n', ("a.c2.Sigma_inv", "a.c1.det", "a.q1.lp2", "a.q2.class")),
])
def test_template_and_check_from_the_command_line(tmp_path, path, right, wrong, ids):
    template = byhand("template", str(path), cwd=tmp_path)
    assert template.returncode == 0
    for id in ids:
        assert f'"{id}" = ""' in template.stdout
    (tmp_path / "right.toml").write_text(right)
    checked = byhand("check", str(path), "right.toml", cwd=tmp_path)
    count = right.count("\n")
    assert checked.returncode == 0 and f"{count} correct" in checked.stdout, checked.stdout
    (tmp_path / "wrong.toml").write_text(wrong)
    checked = byhand("check", str(path), "wrong.toml", cwd=tmp_path)
    assert checked.returncode == 1 and "1 correct" in checked.stdout and "1 wrong" in checked.stdout, checked.stdout


BAD = [
    ('points = [[0, 0], [1, 2], [2, 4], [5, 5], [6, 5], [5, 7]]\nlabels = [1, 1, 1, 2, 2, 2]\nquery = [1, 1]\n',
     "bad.toml:2: points: the covariance matrix of class 1 is singular (determinant 0): its points' deviations from "
     "the class mean satisfy coordinate 2 = 2 × coordinate 1, so it has no Gaussian density; expected points that "
     "spread in all 2 dimensions"),
    ('points = [[0, 0], [5, 5], [6, 5], [5, 7]]\nlabels = ["A", "B", "B", "B"]\nquery = [1, 1]\n',
     "bad.toml:3: labels: class A has 1 point: its covariance is 0 and it has no Gaussian density; expected at least "
     "3 points per class in 2 dimensions"),
    ('points = [[0, 1], [1, 1], [2, 1], [5, 5], [6, 5], [5, 7]]\nlabels = [1, 1, 1, 2, 2, 2]\nquery = [1, 1]\n',
     "bad.toml:2: points: the covariance matrix of class 1 is singular (determinant 0): coordinate 2 is the same for "
     "all its points, so it has no Gaussian density; expected points that spread in all 2 dimensions"),
    ('sequence = "H T E"\n',
     "bad.toml:2: sequence: expected two outcomes, one of them the success 'H' (set success = …), got 'H', 'T', 'E'"),
    ('sequence = "H T"\ncandidates = [0.5, 1.5]\n',
     "bad.toml:3: candidates[1]: expected a probability from 0 to 1, got 1.5"),
    ('sequence = "H T"\nquery = [1, 2]\n',
     "bad.toml:3: query: expected either sequence = \"H T H …\" (a Bernoulli sequence, with success and candidates) "
     "or points, labels and query (Gaussian classes), and not keys of both"),
    ('sequence = "H T"\nsucess = "T"\n',
     "bad.toml:3: sucess: unknown key (did you mean 'success'?); expected one of ask, candidates, covariance, "
     "description, exact, kind, labels, number_format, parts, points, precision, prior, queries, query, sequence, "
     "source, success, title, variants"),
    ('points = [[0, 0], [1, 2], [2, 1], [5, 5], [6, 5], [5, 7]]\nlabels = [1, 1, 1, 2, 2, 2]\nquery = [1]\n',
     "bad.toml:4: query: expected 2 numbers (2 coordinates, as the points have), got a list of 1"),
    ('points = [[0, 0], [1, 2], [2, 1], [5, 5], [6, 5], [5, 7]]\nlabels = [1, 1, 1, 2, 2, 2]\nquery = [1, 1]\n'
     'covariance = "sample"\n',
     "bad.toml:5: covariance: expected one of 'biased', 'unbiased', got 'sample'"),
]


@pytest.mark.parametrize("body,message", BAD)
def test_bad_input_is_one_line_and_exit_2(tmp_path, body, message):
    (tmp_path / "bad.toml").write_text('kind = "mle"\n' + body)
    run = byhand("solve", "bad.toml", cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.strip().splitlines() == [f"byhand: {message}"], run.stderr
