"""Regression tests for what an outside audit of this pass found (16,300 mutated exercises,
4,100 answers files, 6,156 LaTeX compiles): each is now one line, quick, or a sheet that compiles."""

import json
import subprocess
import sys
import time
import tomllib

import pytest

import solver
from solver.check import check, parse_answers
from solver.errors import SolverError
from solver.exercise import parse_exercise
from tests.conftest import EXERCISES, needs_pdflatex

SHIPPED = (EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text()


def one_line_refusal(tmp_path, text: str, *arguments: str) -> str:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    run = subprocess.run([sys.executable, "-m", "solver", *(arguments or ("solve",)), str(path)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "Traceback" not in run.stderr, run.stderr
    return run.stderr


CUSTOM = """title = "t"
[network]
inputs = 1
weights = 1.0
biases = 0.0
[[network.layers]]
units = 1
activation = "custom"
expression = "{expression}"
parameters = {{ {parameters} }}
[training]
samples = [{{ input = [1], target = [1] }}]
"""


@pytest.mark.parametrize("name", ["numpy", "functools", "exp", "a_b_c", "__x"])
def test_a_custom_parameter_may_not_take_a_reserved_or_scripted_name(tmp_path, name):
    text = CUSTOM.format(expression=f"{name}*z", parameters=f"{name} = [1.0]")
    assert "expected a parameter name of ASCII letters and digits" in one_line_refusal(tmp_path, text)


def test_a_parameter_just_below_the_float64_maximum_is_one_line(tmp_path):
    text = CUSTOM.format(expression="w*z", parameters="w = 1.7976931348623157e308").replace("weights = 1.0",
                                                                                           "weights = 1e-300")
    one_line_refusal(tmp_path, text)


@pytest.mark.parametrize("text", ["precision = " + "1" * 4400, "title = 0x" + "f" * 3600])
def test_integers_of_thousands_of_digits_are_one_line(tmp_path, text):
    one_line_refusal(tmp_path, text + "\n" + SHIPPED.replace('title = "A 5-3-2', 'x_title = "A 5-3-2'))


def test_an_answers_file_with_a_key_of_a_thousand_parts_is_judged():
    data = current = {}
    for _ in range(1000):
        current["a"] = {}
        current = current["a"]
    current["b"] = 1
    report = check(solver.load("mlp-5-3-2-sigmoid"), parse_answers(data, "deep.toml"))
    assert report.verdicts[0].outcome == "could not check"


def test_thousands_of_unknown_ids_are_reported_quickly():
    answers = parse_answers({f"a.z{i}x": 1 for i in range(4000)}, "unknown.toml")
    started = time.perf_counter()
    report = check(solver.load("mlp-5-3-2-sigmoid"), answers)
    assert time.perf_counter() - started < 5 and report.counts["could not check"] == 4000


def test_a_key_of_forty_thousand_parts_is_located_in_linear_time(tmp_path):
    path = tmp_path / "dots.toml"
    path.write_text(SHIPPED + '\n"' + ".".join(["a"] * 40_000) + '" = 1\n')
    started = time.perf_counter()
    with pytest.raises(SolverError):
        solver.load(path)
    assert time.perf_counter() - started < 2


def test_thousands_of_parts_are_refused_at_once():
    data = tomllib.loads(SHIPPED)
    data["parts"] = [{"name": f"p{i}", "train": False} for i in range(20_000)]
    started = time.perf_counter()
    with pytest.raises(SolverError, match="20,000 parts; an exercise has at most 100"):
        parse_exercise(data, "parts.toml")
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("name", ["中", "٣", "Ⅻ", "x" * 41])
def test_part_names_are_short_ascii(name):
    data = tomllib.loads(SHIPPED)
    data["parts"][0]["name"] = name
    with pytest.raises(SolverError, match="parts\\[0\\].name: expected up to 40 ASCII letters"):
        parse_exercise(data, "names.toml")


def test_long_text_fields_are_refused():
    data = tomllib.loads(SHIPPED)
    data["description"] = "x" * 200_000
    with pytest.raises(SolverError, match="description: expected at most 20,000 characters"):
        parse_exercise(data, "long.toml")


def test_the_answers_template_is_printable_toml():
    data = tomllib.loads(SHIPPED)
    data["title"] = "Evil \x1b[2J\x1b]0;pwned\x07"
    data["parts"][0]["title"] = "part \x1b[31m"
    template = solver.template(parse_exercise(data, "evil\x1b.toml"))
    assert "\x1b" not in template and "\x07" not in template
    tomllib.loads(template)  # what `byhand template -o` writes is a file `byhand check` reads


def test_a_blank_source_leaves_no_stray_emphasis():
    data = tomllib.loads(SHIPPED)
    data["source"] = "   "
    assert "\n**\n" not in solver.solve(parse_exercise(data, "blank.toml")).render("md")


def test_two_sheets_for_one_file_are_refused(tmp_path):
    for folder in ("s1", "s2"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.toml").write_text(SHIPPED)
    run = subprocess.run([sys.executable, "-m", "solver", "solve", str(tmp_path / "s1/x.toml"),
                          str(tmp_path / "s2/x.toml"), "-o", str(tmp_path / "out") + "/"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "two sheets would be written to" in run.stderr
    assert not (tmp_path / "out").exists()


def test_json_keeps_the_description_and_the_part_titles():
    document = json.loads(solver.solve("mlp-5-3-2-sigmoid").render("json"))
    assert document["description"].startswith("Initialise the weights")
    assert [part["title"] for part in document["parts"]] == ["One stochastic gradient descent step",
                                                             "The class of a new point"]


def test_a_large_integer_in_an_answers_file_is_judged():
    verdict = check(solver.load("mlp-5-3-2-sigmoid"), parse_answers({"a.E": 10**20})).verdicts[0]
    assert verdict.outcome == "wrong"


@needs_pdflatex
def test_names_letters_brackets_and_wide_matrices_compile(tmp_path):
    data = tomllib.loads(SHIPPED)
    data["title"] = "Þórr, Ðóra <x> | y ##"
    data["parts"][0]["name"] = "_x_"
    data["parts"][0]["title"] = "__init__ and Homework #"
    data["network"]["inputs"] = 45
    data["training"]["samples"] = [{"input": [1] * 45, "target": [1, 0]}]
    data["parts"][1]["queries"] = [[0] * 45]
    sheet = solver.solve(parse_exercise(data, "wide.toml")).render("tex")
    (tmp_path / "sheet.tex").write_text(sheet)
    run = subprocess.run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "sheet.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
