"""The answers template and the answers key are TOML a student or grader fills in or reads."""

from __future__ import annotations

import tomllib

import solver
from solver.check import check, parse_answers
from solver.check.template import answers_key, answers_template


def test_the_key_writes_counts_as_toml_numbers_and_checks_correct():
    # a count on the sheet is 105{,}705{,}600; a TOML number cannot hold the commas
    solution = solver.solve(solver.load("cnn-alexnet-first-layers"))
    key = tomllib.loads(answers_key(solution, "cnn-alexnet-first-layers"))
    assert key["a.l1.connections"] == (11 * 11 * 3 + 1) * 55 * 55 * 96
    report = check(solution.exercise, parse_answers(key, "key.toml"))
    assert report.counts["correct"] == len(report.verdicts) > 0


def test_a_one_row_matrix_is_described_as_one_row():
    # mlp-2-2-1-relu-fractions has a 1×2 output weight matrix
    solution = solver.solve(solver.load("mlp-2-2-1-relu-fractions"))
    template = answers_template(solution, "mlp-2-2-1-relu-fractions")
    one_row = [line for line in template.splitlines() if "a 1×2 matrix" in line]
    assert one_row and all(line.endswith("a 1×2 matrix (1 row of 2 numbers)") for line in one_row)
    assert "(1 rows" not in template
