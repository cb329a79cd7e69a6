"""The batch-norm sheet: what it says around the steps, its README excerpt, and its LaTeX compiles."""

from __future__ import annotations

import subprocess

import solver
from tests.conftest import EXERCISES, OUTPUT, needs_pdflatex

SHIPPED = EXERCISES / "batchnorm-3-samples-2-features.toml"


def test_the_sheet_says_what_is_given_and_the_conventions():
    sheet = solver.solve(solver.load_exercise(SHIPPED)).render("md")
    assert "## The batch" in sheet
    assert "A batch of $m = 3$ samples of $n = 2$ features" in sheet
    assert r"$\epsilon = 0.01$" in sheet
    assert "biased one" in sheet and r"\sqrt{\sigma^{2} + \epsilon}" in sheet
    assert r"The upstream gradient $\frac{\partial L}{\partial y}$ is given" in sheet
    assert r"$L = \frac{1}{2} \sum_{i,j} (y_{ij} - t_{ij})^2$" in sheet
    assert sheet.count("**Closed form**") == 2


def test_readme_excerpt_is_real():
    readme = (OUTPUT.parent / "README.md").read_text()
    start = readme.index("$$\n\\begin{aligned}\n\\frac{\\partial L}{\\partial \\mu}")
    excerpt = readme[start: readme.index("\\end{aligned}\n$$", start) + len("\\end{aligned}\n$$")]
    assert excerpt in (OUTPUT / "batchnorm-3-samples-2-features.md").read_text()


@needs_pdflatex
def test_the_latex_sheet_compiles(tmp_path):
    (tmp_path / "sheet.tex").write_text(solver.solve(solver.load_exercise(SHIPPED)).render("tex"))
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "sheet.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]
