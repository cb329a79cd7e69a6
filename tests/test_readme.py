"""The README's examples are what byhand does: a whole exercise it shows is read without error,
and the check report it quotes is the report byhand writes."""

import re
import tomllib
from pathlib import Path

import pytest

import solver
from solver.check import parse_answers
from solver.exercise import parse_exercise

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
TOML_BLOCKS = [(README[: match.start()].count("\n") + 2, match.group(1))
               for match in re.finditer(r"```toml\n(.*?)```", README, re.S)]


def _is_whole_exercise(text: str) -> bool:
    """A block that shows a whole exercise, not a fragment such as a [conventions] table."""
    return bool(re.search(r"^kind = ", text, re.M)) or ("[network]" in text and re.search(r"^inputs = ", text, re.M))


WHOLE = [(line, text) for line, text in TOML_BLOCKS if _is_whole_exercise(text)]


def test_the_readme_shows_an_exercise_of_every_kind():
    kinds = {parse_exercise(tomllib.loads(text)).kind for _, text in WHOLE}
    assert kinds == {"mlp", "optimizer", "graph", "batchnorm", "perceptron", "knn", "cnn", "least_squares", "mle"}


@pytest.mark.parametrize("line, text", WHOLE, ids=[f"README.md:{line}" for line, _ in WHOLE])
def test_a_whole_exercise_in_the_readme_is_read_and_solved(line, text):
    exercise = parse_exercise(tomllib.loads(text), f"README.md:{line}")
    assert solver.solve(exercise).render("md")


def test_the_wrong_line_the_readme_quotes_is_the_report_byhand_writes():
    quoted = re.search(r"A wrong line in the report looks like this:\n\n```\n(.*?)```", README, re.S).group(1)
    step_id = quoted.split(":")[0]
    written = re.search(r"you wrote: (.*)", quoted).group(1)
    answers = parse_answers({step_id: tomllib.loads(f"v = {written}")["v"]}, "mine.toml")
    report = solver.check_answers("mlp-5-3-2-sigmoid", answers).render("text")
    assert quoted.strip() in report.split("\n\n")  # the step's whole paragraph, every line
