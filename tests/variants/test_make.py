"""Variants: drawn values checked against the same seeded generator run here by hand, the same
seed giving the same files, and a variant of every kind being a valid exercise whose answer key
`byhand check` marks all correct."""

import random
import tomllib
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from solver.api import check_answers, solve
from solver.check import parse_answers
from solver.exercise import load_exercise
from solver.variants.files import variant_files
from solver.variants.make import make_variants
from tests.conftest import EXERCISES


def with_variants(tmp_path: Path, exercise: str, table: str) -> Path:
    """A copy of a shipped exercise with `table` as its [variants] table (in place of its own)."""
    path = tmp_path / f"{exercise}.toml"
    text = (EXERCISES / f"{exercise}.toml").read_text().partition("\n[variants]")[0]
    path.write_text(text + "\n[variants]\n" + table)
    return path


def test_grid_values_are_the_seeded_generators_own_draws(tmp_path):
    path = with_variants(tmp_path, "optimizer-momentum-given-velocity",
                         '"gradients.w" = { from = -1, to = 1, step = 0.1 }\n'
                         '"parameters.w" = { from = -3, to = 3 }\n')
    variants = make_variants(path, 3, seed=42)
    rng = random.Random(42)  # the documented procedure: randrange over the grid, rule by rule, entry by entry
    for variant in variants:
        gradient = [float(Decimal(-1) + rng.randrange(21) * Decimal("0.1")) for _ in range(2)]
        weights = [-3 + rng.randrange(7) for _ in range(2)]
        data = tomllib.loads(variant.text)
        assert data["gradients"]["w"] == gradient and data["parameters"]["w"] == weights
        assert all(isinstance(w, int) for w in data["parameters"]["w"])
        assert f"w = {gradient!r}".replace("'", "") in variant.text  # 0.3 written as 0.3


def test_a_tenth_step_writes_short_decimals(tmp_path):
    path = with_variants(tmp_path, "optimizer-momentum-given-velocity",
                         '"gradients.w" = { from = -1, to = 1, step = 0.1 }\n')
    for variant in make_variants(path, 30, seed=5):
        line = next(line for line in variant.text.splitlines() if line.startswith("w = ") and "0." in line)
        for number in line[5:-1].split(", "):
            assert len(number.lstrip("-")) <= 4, line  # 0.3, -1.0: never 0.30000000000000004


def test_the_same_seed_gives_the_same_files_and_a_longer_run_starts_alike(tmp_path):
    path = EXERCISES / "mlp-5-3-2-sigmoid.toml"
    first = variant_files(make_variants(path, 4, seed=9))
    again = variant_files(make_variants(path, 4, seed=9))
    longer = variant_files(make_variants(path, 6, seed=9))
    other = variant_files(make_variants(path, 4, seed=10))
    assert first == again
    assert all(longer[name] == content for name, content in first.items())
    assert first["mlp-5-3-2-sigmoid-v001.toml"] != other["mlp-5-3-2-sigmoid-v001.toml"]


def test_the_shipped_spec_draws_on_its_grid_and_meets_its_conditions():
    variants = make_variants(EXERCISES / "mlp-5-3-2-sigmoid.toml", 20, seed=1)
    for variant in variants:
        data = tomllib.loads(variant.text)
        assert "variants" not in data and data["ask"] == ["a.x2", "a.W1_new"]
        assert data["title"].endswith(f"— variant {variant.number}")
        weights = np.array(data["network"]["layers"][0]["weights"])
        assert weights.shape == (3, 5) and np.all(np.abs(weights) <= 1)
        assert np.allclose(weights * 10, np.round(weights * 10))
        assert set(data["training"]["samples"][0]["input"]) <= {0, 1}
        assert data["training"]["samples"][0]["target"] in ([1, 0], [0, 1])
        # no tie: the two outputs differ (in part (a) and for the query of part (b))
        for output in ("a.x2", "b.q1.x2"):
            x = variant.solution[output].ravel()
            assert abs(x[0] - x[1]) > 1e-6


def test_a_variant_of_a_default_value_keeps_the_sheet_of_the_original_when_nothing_varies(tmp_path):
    """A one-choice spec reproduces the exercise: the variant's sheet differs only in its title."""
    path = with_variants(tmp_path, "mlp-5-3-2-sigmoid", '"training.learning_rate" = { choices = [1.0] }\n')
    variant = make_variants(path, 1, seed=0)[0]
    original = (EXERCISES.parent / "output" / "mlp-5-3-2-sigmoid.md").read_text()
    sheet = variant_files([variant])["mlp-5-3-2-sigmoid-v001.md"]
    assert sheet.replace(" — variant 1", "", 1).replace("-v001-network.svg", "-network.svg") == original


EVERY_KIND = [
    ("mlp-5-3-2-sigmoid", None),
    ("optimizer-momentum-given-velocity", '"gradients.w" = { from = -1, to = 1, step = 0.1 }\nconditions = ["no_zero_gradient"]\n'),
    ("graph-sigmoid-neuron", '"values.w0" = { from = -3, to = 3 }\n"values.x1" = { from = -2, to = 2, step = 0.5 }\n'),
    ("batchnorm-3-samples-2-features", '"samples" = { from = -5, to = 5 }\nconditions = ["finite"]\n'),
    ("perceptron-or-gate", '"learning_rate" = { choices = [0.5, 1, 2] }\n'),
    ("knn-two-classes", '"queries" = { from = 0, to = 5 }\n'),
    ("cnn-3-4-2-count", '"layers[0].units" = { from = 2, to = 9 }\n"input" = { from = 2, to = 6 }\n'),
    ("least-squares-line-3-points", '"y" = { from = -3, to = 3 }\n'),
    ("mle-coin", '"sequence" = { choices = ["H T H", "T T H H T", "H H H T"] }\n'),
]


@pytest.mark.parametrize("exercise, table", EVERY_KIND, ids=[e for e, _ in EVERY_KIND])
def test_every_kind_has_variants_that_are_exercises_with_correct_keys(tmp_path, exercise, table):
    path = EXERCISES / f"{exercise}.toml" if table is None else with_variants(tmp_path, exercise, table)
    variants = make_variants(path, 3, seed=2026)
    files = variant_files(variants)
    for name, content in files.items():
        (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    original = load_exercise(EXERCISES / f"{exercise}.toml")
    texts = set()
    for variant in variants:
        reloaded = load_exercise(tmp_path / f"{variant.name}.toml")
        assert reloaded.kind == original.kind
        resolved = solve(reloaded)  # the file written is the exercise that was solved
        assert resolved.ids == variant.solution.ids
        assert all(np.array_equal(resolved[i], variant.solution[i]) for i in resolved.ids)
        key = tomllib.loads(files[f"{variant.name}-key.toml"])
        report = check_answers(reloaded, parse_answers(key))
        assert report.counts["correct"] == len(key) > 0 and report.exit_status == 0
        texts.add(variant.text.split("\n", 3)[3].replace(f"variant {variant.number}", ""))
    assert len(texts) > 1  # the numbers did vary
