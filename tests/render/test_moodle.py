"""The Moodle XML export, parsed back and checked against Moodle's documentation of the format:

- https://docs.moodle.org/en/Moodle_XML_format: a <quiz> root; a category is a
  <question type="category"> holding <category><text>$course$/top/…</text></category>; a question
  has <name><text>, <questiontext format="html"><text>, <generalfeedback>, <penalty>, <hidden>;
  embedded-answers questions are type="cloze".
- https://docs.moodle.org/en/Embedded_Answers_(Cloze)_question_type: a blank is
  {weight:NUMERICAL:answers}, answers separated by ~, each =value:tolerance#feedback (full marks) or
  %n%value:tolerance#feedback (n percent); } # ~ / " \\ inside feedback are escaped with a backslash.

The true values are worked here by a separate plain-NumPy forward and backward pass from the
variant files' numbers (parsed with tomllib), not taken from byhand.
"""

import math
import re
import tomllib
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from solver.variants.make import make_variants
from solver.variants.quiz import moodle_quiz
from solver.variants.toml_writer import dumps
from tests.conftest import EXERCISES, REPO

BLANK = re.compile(r"\{(\d*):NUMERICAL:((?:\\.|[^\\}])*)\}")
ANSWER = re.compile(r"(=|%(\d+)%)(-?\d+(?:\.\d+)?):(\d+(?:\.\d+)?)#((?:\\.|[^\\])*)", re.S)
EXAMPLE = REPO / "docs" / "moodle-mlp-5-3-2-sigmoid.xml"


def blanks(text: str) -> list[list[tuple[int, float, float, str]]]:
    """Each blank's answers as (credit, value, tolerance, feedback), read by the documented syntax."""
    found = []
    for weight, body in BLANK.findall(text):
        assert weight == "1"
        answers = []
        for part in re.split(r"(?<!\\)~", body):
            match = ANSWER.fullmatch(part)
            assert match, part
            credit = 100 if match.group(1) == "=" else int(match.group(2))
            feedback = re.sub(r"\\(.)", r"\1", match.group(5))
            answers.append((credit, float(match.group(3)), float(match.group(4)), feedback))
        found.append(answers)
    return found


def questions(xml: str) -> list[ET.Element]:
    root = ET.fromstring(xml)
    assert root.tag == "quiz"
    category, *rest = root.findall("question")
    assert category.get("type") == "category"
    assert category.find("category/text").text.startswith("$course$/top/")
    for question in rest:
        assert question.get("type") == "cloze"
        assert question.find("name/text").text
        assert question.find("questiontext").get("format") == "html"
        assert question.find("generalfeedback").get("format") == "html"
        assert 0 <= float(question.find("penalty").text) <= 1 and question.find("hidden").text == "0"
    return rest


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def plain_5_3_2(data: dict) -> dict:
    """x2 and W1_new (and W1 + η dW1, the added gradient) of a 5-3-2 sigmoid network with zero
    biases, squared error, learning rate 1: the seed 001 exercise worked by hand."""
    W1 = np.array(data["network"]["layers"][0]["weights"], dtype=float)
    W2 = np.array(data["network"]["layers"][1]["weights"], dtype=float)
    x = np.array(data["training"]["samples"][0]["input"], dtype=float)
    t = np.array(data["training"]["samples"][0]["target"], dtype=float)
    x1 = sigmoid(W1 @ x)
    x2 = sigmoid(W2 @ x1)
    delta2 = (x2 - t) * x2 * (1 - x2)
    delta1 = (W2.T @ delta2) * x1 * (1 - x1)
    dW1 = np.outer(delta1, x)
    return {"x2": x2, "W1_new": W1 - dW1, "W1_added": W1 + dW1}


def half_unit(value: float, digits: int = 6) -> float:
    return 0.5 * 10.0 ** (math.floor(math.log10(abs(value))) - digits + 1)


def step_tolerances(values: np.ndarray) -> list[float]:
    """Half a unit of the 6th significant figure; for a 0, the finest of the step's others."""
    own = [half_unit(v) if v != 0 else None for v in values.ravel()]
    finest = min(t for t in own if t is not None)
    return [finest if t is None else t for t in own]


def test_every_variant_is_one_cloze_question_with_the_true_values_and_the_slips():
    xml = moodle_quiz(EXERCISES / "mlp-5-3-2-sigmoid.toml", 4, 2026)
    variants = make_variants(EXERCISES / "mlp-5-3-2-sigmoid.toml", 4, 2026)
    found = questions(xml)
    assert len(found) == 4
    for question, variant in zip(found, variants):
        assert question.find("name/text").text == variant.exercise.title
        text = question.find("questiontext/text").text
        assert "\\(w^{[1]} = \\begin{bmatrix}" in text and "Give each number to 6 significant figures." in text
        oracle = plain_5_3_2(tomllib.loads(variant.text))
        asked = blanks(text)
        assert len(asked) == 2 + 15  # x2: a column of 2; W1_new: 3×5, row by row
        expected = [*oracle["x2"], *oracle["W1_new"].ravel()]
        tolerances = [*step_tolerances(oracle["x2"]), *step_tolerances(oracle["W1_new"])]
        added = [None, None, *oracle["W1_added"].ravel()]
        for answers, true, own, slip in zip(asked, expected, tolerances, added):
            credit, value, tolerance, feedback = answers[0]
            assert credit == 100 and feedback == "Correct."
            assert abs(value - true) < 1e-9
            assert tolerance == pytest.approx(own, rel=1e-9)
            assert all(credit == 0 for credit, *_ in answers[1:])
            if slip is not None and abs(slip - true) > tolerance:
                # the student who adds the gradient is told so
                hits = [f for _, v, t, f in answers[1:] if abs(v - slip) <= t]
                assert hits and "the gradient is added instead of subtracted" in hits[0]
            for _, wrong, wrong_tolerance, _ in answers[1:]:
                assert abs(wrong - true) > tolerance and wrong_tolerance > 0


def test_a_true_zero_is_judged_at_its_neighbours_tolerance_and_never_accepts_zero_for_a_small_value(tmp_path):
    """dW1 of seed 001: entries 0.000505747 beside exact zeros (the inputs that are 0)."""
    text = (EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text().replace('ask = ["a.x2", "a.W1_new"]',
                                                                      'ask = ["a.dW1", "a.delta1"]')
    path = tmp_path / "e.toml"
    path.write_text(text)
    (question,) = questions(moodle_quiz(path))
    asked = blanks(question.find("questiontext/text").text)
    small = 0.0005057466  # δ^[1] of the seed, printed there as 0.000505747
    for answers in asked:
        credit, value, tolerance, _ = answers[0]
        if value == 0:
            assert tolerance == pytest.approx(half_unit(small))  # 5e-10, not 0 and not 0.5e-6
        else:
            assert value == pytest.approx(small, rel=1e-6) and tolerance < abs(value) / 1000
    assert sum(answers[0][1] == 0 for answers in asked) == 9


def test_text_from_the_file_is_escaped_for_html_and_cloze(tmp_path):
    hostile = '<script>alert(1)</script> & {1:NUMERICAL:=5:0} ~#/"\\ '
    data = tomllib.loads((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    data["title"] = hostile + data["title"]
    data["description"] = hostile
    path = tmp_path / "e.toml"
    path.write_text(dumps(data))
    (question,) = questions(moodle_quiz(path))
    assert question.find("name/text").text == data["title"]
    body = question.find("questiontext/text").text
    assert "<script>" not in body and body.count("&lt;script&gt;alert(1)&lt;/script&gt; &amp; ") == 2
    # the title's {1:NUMERICAL:…} stays text: its braces are character references, no blank
    assert body.count("&#123;1:NUMERICAL:=5:0&#125;") == 2 and len(blanks(body)) == 2 + 15


def test_the_example_in_docs_is_up_to_date():
    assert EXAMPLE.read_text() == moodle_quiz(EXERCISES / "mlp-5-3-2-sigmoid.toml", 3, 2026), (
        "regenerate: byhand export moodle mlp-5-3-2-sigmoid --variants 3 --seed 2026 -o docs/moodle-mlp-5-3-2-sigmoid.xml")
    assert len(questions(EXAMPLE.read_text())) == 3
