"""A cnn sheet reads as a lecturer writes it: formula, numbers substituted, result; the whole network
as a table; JSON, templates and checking work through the common pipeline."""

from __future__ import annotations

import json
import subprocess
import sys

import solver
from solver.check import check, parse_answers
from solver.exercise import parse_exercise
from tests.conftest import OUTPUT


def test_lenet5_c1_is_formula_numbers_result():
    sheet = solver.solve("cnn-lenet-5").render("md")
    # a count is one line, formula = numbers = result, as a hand-written page has it
    assert "W^{[1]} &= \\frac{W^{[0]} + 2 P - F}{S} + 1 = \\frac{32 + 2 \\cdot 0 - 5}{1} + 1 = 28" in sheet
    assert ("\\text{connections}^{[1]} &= \\left(F^{2} C^{[0]} + 1\\right) W^{[1]} H^{[1]} K = "
            "\\left(5^{2} \\cdot 1 + 1\\right) \\cdot 28 \\cdot 28 \\cdot 6 = 122{,}304") in sheet
    assert "### Layer 3" in sheet and "**Totals**" in sheet


def test_the_whole_network_is_a_table_with_totals():
    sheet = solver.solve("cnn-vgg-16").render("md")
    table = sheet[sheet.index("**The whole network**"):]
    rows = [line for line in table.splitlines() if line.startswith("| $")]
    assert len(rows) == 1 + 21 + 1  # the header, VGG-16's 21 layers, the totals
    assert "$224 \\times 224 \\times 64$" in rows[1] and "$138{,}357{,}544$" in rows[-1]
    assert "$$" not in table.replace("$$\n", "")  # no empty math cell, which Markdown reads as display math


def test_every_count_is_written_in_full_never_rounded():
    # 6 significant figures would print 138,357,544 as 1.38358 × 10^8
    sheet = solver.solve("cnn-vgg-16").render("tex")
    assert "138{,}357{,}544" in sheet and "10^{8}" not in sheet


def test_rectangular_sizes_name_width_and_height_symbols():
    exercise = parse_exercise({"kind": "cnn", "input": [12, 9, 2], "layers": [
        {"type": "conv", "filters": 4, "size": [5, 3], "stride": [1, 2], "padding": [0, 1]}]}, "rect.toml")
    sheet = solver.solve(exercise).render("md")
    assert "H^{[1]} &= \\frac{H^{[0]} + 2 P_{h} - F_{h}}{S_{h}} + 1" in sheet
    assert "= \\frac{9 + 2 \\cdot 1 - 3}{2} + 1 = 5" in sheet
    assert "\\text{weights}^{[1]} &= F_{w} F_{h} C^{[0]} K" in sheet


def test_json_has_every_step_with_its_inputs():
    document = json.loads(solver.solve("cnn-3-4-2-count").render("json"))
    steps = {step["id"]: step for step in document["steps"]}
    assert document["kind"] == "cnn" and steps["a.params"]["value"] == 26
    assert steps["a.l2.weights"]["inputs"] == ["a.l2.inputs"]


def test_template_lists_every_count_and_check_accepts_exact_integers():
    template = solver.template("cnn-fc-vs-conv-32x32x3")
    assert '"b.l1.width" = ""' in template and '"a.l1.inputs" = ""' in template
    assert "# given: a.input.width" in template
    answers = parse_answers({"b.l1.width": 29, "b.l1.activations": 84100, "b.l1.params": 4900,
                             "a.l1.params": 1536001, "a.params": "1.54e6"}, "mine.toml")
    outcomes = {v.step_id: v.outcome for v in check(solver.load("cnn-fc-vs-conv-32x32x3"), answers).verdicts}
    assert outcomes == {"b.l1.width": "correct", "b.l1.activations": "correct", "b.l1.params": "correct",
                        "a.l1.params": "wrong", "a.params": "correct"}  # an integer is exact; 1.54e6 claims 3 figures
    # (1,536,500 rounds to 1.5e6 too, but two figures are fewer than the 3 an answer must agree to, issue 12)


def test_the_readme_excerpts_are_real():
    readme = (OUTPUT.parent / "README.md").read_text()
    section = readme[readme.index("### The cnn kind"):readme.index("### Conventions")]
    sheet = (OUTPUT / "cnn-lenet-5.md").read_text()
    blocks = section.split("$$\n")[1::2]
    assert len(blocks) == 2
    for block in blocks:
        assert f"$$\n{block}$$" in sheet
    rows = [line for line in section.splitlines() if line.startswith("| $")]
    assert len(rows) == 4 and all(row + " " in sheet for row in rows)


def test_template_and_check_from_the_command_line(tmp_path):
    run = subprocess.run([sys.executable, "-m", "solver", "template", "cnn-lenet-5"], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0 and '"a.l1.connections" = ""' in run.stdout
    answers = tmp_path / "mine.toml"
    answers.write_text("[a.l1]\nwidth = 28\nconnections = 122304\n[a]\nparams = 60000\n")
    run = subprocess.run([sys.executable, "-m", "solver", "check", "cnn-lenet-5", str(answers)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0 and "3 correct" in run.stdout
    answers.write_text("[a.l1]\nconnections = 117600\n")  # seed 002's count without the bias: 25 · 28 · 28 · 6
    run = subprocess.run([sys.executable, "-m", "solver", "check", "cnn-lenet-5", str(answers)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 1 and "the bias is not counted as a connection" in run.stdout
