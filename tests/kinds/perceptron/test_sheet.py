"""The perceptron sheets and the command line: the README's excerpts are real, LaTeX compiles,
bad input is one line with exit 2, and template, check and JSON work with no perceptron code."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import solver
from tests.conftest import EXERCISES, OUTPUT, needs_pdflatex

SHIPPED = sorted(EXERCISES.glob("perceptron-*.toml"))


def byhand(*args, cwd):
    return subprocess.run([sys.executable, "-m", "solver", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_readme_excerpts_are_real():
    readme = (OUTPUT.parent / "README.md").read_text()
    start = readme.index("| $k$ | $i$ |")
    excerpt = readme[start: readme.index("\n\n", start)]
    assert excerpt.count("\n") == 5 and excerpt in (OUTPUT / "perceptron-and-gate.md").read_text()
    xor = (OUTPUT / "perceptron-xor-not-separable.md").read_text()
    section = readme[readme.index("### The perceptron kind"): readme.index("### The k-NN kind")]
    quoted = [line[2:] for line in section.splitlines() if line.startswith("> ") and len(line) > 2]
    assert len(quoted) == 2 and all(line in xor for line in quoted)


def test_the_sheets_say_how_the_run_ends():
    sheets = {path.stem: (OUTPUT / f"{path.stem}.md").read_text() for path in SHIPPED}
    assert "Epoch 6 made no update" in sheets["perceptron-and-gate"]
    assert "### Epoch 1\n" in sheets["perceptron-and-gate"] and "### Epoch 6\n" in sheets["perceptron-and-gate"]
    assert "### Epoch 7\n" not in sheets["perceptron-and-gate"]
    assert "the line $x_{2} = -2 x_{1} + 2$" in sheets["perceptron-and-gate"]
    # OR from zero weights ends at w = (0, 1, 1): x₁ + x₂ = 0, so x₂ = −x₁, the coefficient −1 not written
    assert "the line $x_{2} = -x_{1}$" in sheets["perceptron-or-gate"]
    assert "there are no weights $w_{0}, w_{1}, w_{2}$ that satisfy" in sheets["perceptron-xor-not-separable"]
    assert "the XOR gate is not linearly separable" in sheets["perceptron-xor-not-separable"]
    assert "the plane $-1 + x_{1} + x_{2} + x_{3} = 0$" in sheets["perceptron-majority-3"]
    assert r"so exactly 0 gives $-1$" in sheets["perceptron-majority-3"]


@needs_pdflatex
@pytest.mark.parametrize("path", SHIPPED[:2], ids=lambda path: path.stem)
def test_the_latex_sheet_compiles(tmp_path, path):
    (tmp_path / "sheet.tex").write_text(solver.solve(solver.load_exercise(path)).render("tex"))
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "sheet.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]


@pytest.mark.parametrize("text,message", [
    ('kind = "perceptron"\ndataset = "andd"\n', "bad.toml:2: dataset: unknown gate 'andd' (did you mean 'and'?)"),
    ('kind = "perceptron"\nsamples = [{ input = [0, 1], target = 1 }, { input = [1], target = 0 }]\n',
     "bad.toml:2: samples[1].input: expected 2 numbers"),
    ('kind = "perceptron"\nactivation = "sign"\nsamples = [{ input = [0, 1], target = 0 }]\n',
     "bad.toml:3: samples[0].target: expected -1 or 1"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, text, message):
    (tmp_path / "bad.toml").write_text(text)
    run = byhand("solve", "bad.toml", "-f", "md", "-o", "out.md", cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == "" and not (tmp_path / "out.md").exists()
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in run.stderr, run.stderr


def test_template_check_and_json_from_the_command_line(tmp_path):
    exercise = str(EXERCISES / "perceptron-and-gate.toml")
    template = byhand("template", exercise, cwd=tmp_path)
    assert template.returncode == 0 and '"a.e1.s4.w_new" = ""' in template.stdout
    assert '"a.separable" = ""' in template.stdout and '"a.y_final" = ""' in template.stdout
    (tmp_path / "mine.toml").write_text('"a.e1.s4.error" = 1\n"a.e1.s4.w_new" = [1, 1, 1]\n"a.y_final" = [0, 0, 0, 1]\n')
    checked = byhand("check", exercise, "mine.toml", cwd=tmp_path)
    assert checked.returncode == 0 and "3 correct" in checked.stdout, checked.stdout + checked.stderr
    steps = json.loads(byhand("solve", exercise, "--format", "json", cwd=tmp_path).stdout)["steps"]
    assert {"id": "a.y_final", "value": [[0.0], [0.0], [0.0], [1.0]]}.items() <= \
        next(step for step in steps if step["id"] == "a.y_final").items()


def test_a_reversed_error_is_named_at_the_error_step(tmp_path):
    # AND from w = 0: samples 1-3 give s = 0, y = 0 = t; sample 4, (1, 1) -> 1, gives s = 0, y = 0,
    # so e = t - y = 1 and the slip writes y - t = -1; its update 0 + 1 * (-1) * (1, 1, 1) = (-1, -1, -1)
    exercise = str(EXERCISES / "perceptron-and-gate.toml")
    (tmp_path / "mine.toml").write_text('"a.e1.s4.error" = -1\n"a.e1.s4.w_new" = [-1, -1, -1]\n')
    checked = byhand("check", exercise, "mine.toml", cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr
    report = checked.stdout
    error_line = report.index("a.e1.s4.error: wrong")
    update_line = report.index("a.e1.s4.w_new: follows through")
    assert error_line < report.index("likely slip: the error is written y − t where e = t − y belongs") < update_line
