"""The k-NN sheet and the command line: the README's excerpt is real, LaTeX compiles, bad input
is one line with exit 2, and template and check work with no k-NN code."""

from __future__ import annotations

import subprocess
import sys

import pytest

import solver
from tests.conftest import EXERCISES, OUTPUT, needs_pdflatex

SHIPPED = EXERCISES / "knn-two-classes.toml"


def byhand(*args, cwd):
    return subprocess.run([sys.executable, "-m", "solver", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_readme_excerpt_is_real():
    readme = (OUTPUT.parent / "README.md").read_text()
    start = readme.index("$$\n\\begin{aligned}\nd_{1} &= ")
    excerpt = readme[start: readme.index("\\end{aligned}\n$$", start) + len("\\end{aligned}\n$$")]
    assert excerpt in (OUTPUT / "knn-two-classes.md").read_text()


@needs_pdflatex
@pytest.mark.parametrize("tie", ["nearest", "smaller_k"])
def test_the_latex_sheet_compiles(tmp_path, tie):
    # with tie = "smaller_k" the sheet once wrote "k − 1" and the key's underscore as LaTeX prose
    (tmp_path / "ex.toml").write_text(SHIPPED.read_text().replace('tie = "nearest"', f'tie = "{tie}"'))
    assert f'tie = "{tie}"' in (tmp_path / "ex.toml").read_text()
    (tmp_path / "sheet.tex").write_text(solver.solve(solver.load_exercise(tmp_path / "ex.toml")).render("tex"))
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "sheet.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]


@pytest.mark.parametrize("k,message", [
    ("4", "bad.toml:5: k: k = 4 is more than the 3 points; expected a whole number from 1 to 3"),
    ("0", "bad.toml:5: k: expected a whole number from 1 to 3, got 0"),
])
def test_bad_k_is_one_line_and_exit_2(tmp_path, k, message):
    (tmp_path / "bad.toml").write_text(f'kind = "knn"\npoints = [[0, 0], [1, 1], [2, 2]]\nlabels = [1, 2, 2]\n'
                                       f'query = [0, 1]\nk = {k}\n')
    run = byhand("solve", "bad.toml", cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.strip().splitlines() == [f"byhand: {message}"], run.stderr


def test_template_and_check_from_the_command_line(tmp_path):
    template = byhand("template", str(SHIPPED), cwd=tmp_path)
    assert template.returncode == 0 and '"a.q2.order" = ""' in template.stdout and '"a.q1.d7" = ""' in template.stdout
    (tmp_path / "mine.toml").write_text('"a.q1.d2" = 2\n"a.q2.votes" = [2, 2]\n"a.q2.class" = 2\n')
    checked = byhand("check", str(SHIPPED), "mine.toml", cwd=tmp_path)
    assert checked.returncode == 1 and "2 correct" in checked.stdout and "a.q2.class: wrong" in checked.stdout


def test_one_is_not_accepted_for_the_square_root_of_two(tmp_path):
    # query 1 = (2, 2), point 1 = (1, 1): d = √(1² + 1²) = √2 = 1.414213…; "1" has one figure and √2
    # rounds to it, but an answer must agree to 3 figures unless it is exactly the true value
    (tmp_path / "mine.toml").write_text('"a.q1.d1" = 1\n"a.q1.d3" = 1.41\n"a.q1.d2" = 2\n')
    checked = byhand("check", str(SHIPPED), "mine.toml", cwd=tmp_path)
    report = checked.stdout
    assert checked.returncode == 1 and "a.q1.d1: wrong" in report, report + checked.stderr
    # point 3 = (3, 1): √2 again, to 3 figures; point 2 = (2, 4): exactly 2
    assert "a.q1.d3: correct" in report and "a.q1.d2: correct" in report
    assert f"expected:  {2 ** 0.5:.6g}\n" in report and "expected:  1\n" not in report


def test_the_json_export_names_the_classes(tmp_path):
    import json

    document = json.loads(byhand("solve", str(SHIPPED), "--format", "json", cwd=tmp_path).stdout)
    # labels A, B, A, B, B, A, B: names numbered from 1 in the order they first appear
    assert document["classes"] == [{"number": 1, "name": "A"}, {"number": 2, "name": "B"}]
    (tmp_path / "numbers.toml").write_text('kind = "knn"\npoints = [[0], [1], [2]]\nlabels = [7, 3, 7]\n'
                                           'query = [0]\nk = 1\n')
    numbers = json.loads(byhand("solve", "numbers.toml", "--format", "json", cwd=tmp_path).stdout)
    assert numbers["classes"] == [{"number": 3, "name": "3"}, {"number": 7, "name": "7"}]  # whole numbers: themselves
    assert numbers["kind"] == "knn" and "classes" not in json.loads(
        byhand("solve", str(EXERCISES / "perceptron-and-gate.toml"), "--format", "json", cwd=tmp_path).stdout)


def test_every_distance_is_a_row_of_a_table():
    import math

    points = [(1, 1), (2, 4), (3, 1), (4, 3), (5, 1), (1, 3), (4, 0)]
    labels = "ABABBAB"
    sheet = (OUTPUT / "knn-two-classes.md").read_text()
    assert sheet.count("**Every point the same way**") == 2 and sheet.count("\n") < 200
    for query in ((2, 2), (3, 2)):
        for i, (p, label) in enumerate(zip(points, labels), 1):
            dx, dy = query[0] - p[0], query[1] - p[1]
            row = (f"| ${i}$ | $({p[0]}, {p[1]})$ | $\\mathrm{{{label}}}$ | $({dx}, {dy})$ | "
                   f"${math.hypot(dx, dy):.6g}$ | ")
            assert row + "\n" in sheet, row
