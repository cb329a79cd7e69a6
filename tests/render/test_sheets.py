"""Whole sheets: output/ is fresh, LaTeX compiles, the seed's numbers and no noise appear."""

import json
import re
import subprocess

import pytest

import solver
from solver.render import EXTENSIONS, render_with_images
from tests.conftest import EXERCISES, OUTPUT, needs_pdflatex

SHIPPED = sorted(EXERCISES.glob("*.toml"))
REGENERATE = "byhand solve exercises/*.toml --format md --format tex -o output/"


@pytest.fixture(scope="module", params=SHIPPED, ids=lambda p: p.stem)
def shipped(request):
    return request.param, solver.solve(solver.load_exercise(request.param))


@pytest.mark.parametrize("format", ["md", "tex"])
def test_output_is_fresh(shipped, format):
    path, solution = shipped
    sheet = OUTPUT / f"{path.stem}{EXTENSIONS[format]}"
    text, images = render_with_images(solution, format, path.stem)
    assert sheet.exists(), f"{sheet} is missing; regenerate with: {REGENERATE}"
    assert sheet.read_text() == text, f"{sheet} is stale; regenerate with: {REGENERATE}"
    for name, image in images.items():
        assert (OUTPUT / name).exists(), f"{name} is missing; regenerate with: {REGENERATE}"
        assert (OUTPUT / name).read_text() == image, f"{name} is stale; regenerate with: {REGENERATE}"


def test_output_holds_only_shipped_sheets():
    expected = {f"{p.stem}{ext}" for p in SHIPPED for ext in (".md", ".tex")}
    pictures = {p.name for p in OUTPUT.glob("*.svg")}
    assert {p.name for p in OUTPUT.iterdir()} - pictures == expected
    # every picture belongs to a shipped sheet that links to it
    for name in pictures:
        sheet = OUTPUT / f"{name.rpartition('-')[0]}.md"
        assert sheet.exists() and f"]({name})" in sheet.read_text(), name


@needs_pdflatex
def test_latex_sheet_compiles(shipped, tmp_path):
    path, solution = shipped
    (tmp_path / "sheet.tex").write_text(solution.render("tex"))
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "sheet.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert (tmp_path / "sheet.pdf").stat().st_size > 0


@pytest.mark.parametrize("format", ["md", "tex"])
def test_no_floating_point_noise_on_a_sheet(shipped, format):
    # below the zero tolerance (1e-12) a number is noise and prints as 0; an optimiser's squared
    # gradients are genuinely as small as 1e-10
    _, solution = shipped
    assert not re.search(r"10\^\{-(1[3-9]|[2-9][0-9])\}|e-(1[3-9]|[2-9][0-9])", solution.render(format))


def test_sheet_shows_formula_substitution_and_result():
    sheet = solver.solve(solver.load_exercise(EXERCISES / "mlp-5-3-2-sigmoid.toml")).render("md")
    block = sheet[sheet.index("x^{[1]} &= \\sigma"):]
    block = block[: block.index("$$")]
    lines = [line for line in block.splitlines() if line.strip()]
    assert lines[0].startswith(r"x^{[1]} &= \sigma\left(z^{[1]}\right)")
    assert r"\sigma\left(\begin{bmatrix} 0.2 \\ 0.2 \\ 0.2 \end{bmatrix}\right)" in lines[1]
    assert r"0.549834 \\ 0.549834 \\ 0.549834" in lines[2]


def test_precision_setting_changes_the_digits():
    solution = solver.solve(solver.load_exercise(EXERCISES / "mlp-5-3-2-sigmoid.toml"))
    assert "0.5498 " in solution.render("md", precision=4)
    assert "0.549834" not in solution.render("md", precision=4)


def test_softmax_sheet_prints_the_zero_deltas_as_zero():
    solution = solver.solve(solver.load_exercise(EXERCISES / "mlp-4-4-3-3-softmax-ce.toml"))
    assert solution["a.delta1"].any()  # really -3.5e-18 and the like, not exact zeros
    sheet = solution.render("md")
    delta1 = sheet[sheet.index(r"\delta^{[1]} &="):]
    assert delta1[: delta1.index(r"\end{aligned}")].rstrip().endswith(r"\begin{bmatrix} 0 & 0 \\ 0 & 0 \\ 0 & 0 \\ 0 & 0 \end{bmatrix}")


def test_json_has_every_step_at_full_precision():
    solution = solver.solve(solver.load_exercise(EXERCISES / "mlp-5-3-2-sigmoid.toml"))
    document = json.loads(solution.render("json"))
    assert [step["id"] for step in document["steps"]] == list(solution.ids)
    x1 = next(step for step in document["steps"] if step["id"] == "a.x1")
    assert x1["shape"] == [3, 1] and x1["part"] == "a" and x1["symbol"] == "x^{[1]}"
    assert x1["value"][0][0] == solution["a.x1"][0, 0]  # every bit kept


def test_json_names_the_kind():
    document = json.loads(solver.solve(solver.load_exercise(EXERCISES / "mlp-5-3-2-sigmoid.toml")).render("json"))
    assert document["kind"] == "mlp"


def test_readme_excerpt_is_real():
    readme = (OUTPUT.parent / "README.md").read_text()
    excerpt = readme[readme.index("$$\n\\begin{aligned}\n\\delta^{[2]}"):]
    excerpt = excerpt[: excerpt.index("\\end{aligned}\n$$") + len("\\end{aligned}\n$$")]
    assert excerpt in (OUTPUT / "mlp-5-3-2-sigmoid.md").read_text()


VARIETY = OUTPUT.parent / "tests" / "fixtures" / "conventions-variety.toml"


@needs_pdflatex
def test_every_convention_and_activation_compiles(tmp_path):
    # ReLU (Piecewise derivative), identity, softmax through its Jacobian, stochastic samples,
    # notation "sa", batch mean and delta = -dE/dz: every kind of formula the engine writes
    (tmp_path / "sheet.tex").write_text(solver.solve(solver.load_exercise(VARIETY)).render("tex"))
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "sheet.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]


def test_notation_profile_reaches_the_sheet():
    sheet = solver.solve(solver.load_exercise(VARIETY)).render("md")
    assert r"s^{(1)} &= W^{(1)} a^{(0)} + b^{(1)}" in sheet
    assert r"-\frac{1}{2} \delta^{(3)}" in sheet  # mean over the batch of two, delta = -dE/dz


def test_a_part_that_changes_conventions_says_so(tmp_path):
    text = (OUTPUT.parent / "exercises" / "mlp-4-4-3-3-tanh.toml").read_text()
    text = text.replace('mode = "batch"', 'mode = "batch"\nconventions = { batch_reduction = "mean" }')
    (tmp_path / "mean.toml").write_text(text)
    sheet = solver.solve(solver.load_exercise(tmp_path / "mean.toml")).render("md")
    part_b = sheet[sheet.index("## Part (b)"):]
    assert "In this part:" in part_b and "the mean over the samples" in part_b
    assert "In this part:" not in sheet[: sheet.index("## Part (b)")]
