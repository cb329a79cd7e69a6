"""A variants spec or an ask list that cannot be used: one line on stderr naming the file, line
and key, exit status 2, nothing written, and refused quickly."""

import time

import pytest

from solver.errors import ExerciseError
from solver.variants.make import make_variants
from solver.variants.quiz import moodle_quiz
from tests.conftest import EXERCISES
from tests.test_cli import byhand

ORIGINAL = (EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text().partition("\n# Variants")[0]
VARIANTS_LINE = ORIGINAL.count("\n") + 2  # the line after the [variants] header

BAD_SPECS = [
    ('"network.layer[0].weights" = { from = -1, to = 1, step = 0.1 }',
     'variants."network.layer[0].weights"', "no such key (did you mean 'network.layers[0].units'?)"),
    ('"training.sample[0].input" = { choices = [0, 1] }',
     'variants."training.sample[0].input"', "did you mean 'training.samples[0].input'?"),
    ('"network.layers[0].weights" = { from = -1, to = 1, step = 0.1 }',
     'variants."network.layers[0].weights"', "give the shape of its value"),
    ('"network.weights" = { from = 1, to = -1, step = 0.1 }', 'variants."network.weights".to', "the range is empty"),
    ('"network.weights" = { from = -1, to = 1, step = 0 }', 'variants."network.weights".step', "a step above 0"),
    ('"network.weights" = { from = -1.5, to = 1 }', 'variants."network.weights".step', "needs a step"),
    ('"network.weights" = { choices = [] }', 'variants."network.weights".choices', "one or more values"),
    ('"network.weights" = { choices = [1, { a = 1 }] }', 'variants."network.weights".choices[1]', "got a table"),
    ('"network.weights" = { from = 0, to = 1e300, step = 1 }', 'variants."network.weights".to', "at most 10^12"),
    ('"network.weights" = { from = -1, to = 1, step = 0.1, stpe = 3 }', 'variants."network.weights".stpe',
     "did you mean 'step'?"),
    ('"network.weights" = { choices = [1] }\nconditions = ["no_tie"]', "variants.conditions[0]",
     "did you mean 'no_tied_output'?"),
    ('"training.samples[0].target" = { choices = [[1, 1]] }\nconditions = ["no_tied_output"]', "variants.conditions",
     "no draw met the conditions (no_tied_output) in 50 tries"),
    ('"network.layers[0].weights" = { choices = [1], shape = [3, 4] }', 'variants."network.layers[0].weights"',
     "variant 1 is not a valid exercise: network.layers[0].weights: expected a number or a 3×5 matrix"),
    ('"network.weights" = { choices = [1] }\n"network.weights" = { choices = [2] }', None, "invalid TOML"),
    ('"variants.x" = { choices = [1] }', 'variants."variants.x"', "expected a key path"),
    # 2 × 10³⁰ grid points: once a decimal.InvalidOperation traceback (Decimal's 28 digits)
    ('"network.weights" = { from = -1, to = 1, step = 1e-30 }', 'variants."network.weights".step',
     "makes 2e+30 values from -1 to 1; expected at most 1e+12"),
    ('"network.weights" = { from = -1, to = 1, step = 1e-300 }', 'variants."network.weights".step', "2e+300 values"),
    # beyond a float: once an OverflowError traceback while saying the count
    ('"network.weights" = { from = -1e12, to = 1e12, step = 1e-300 }', 'variants."network.weights".step',
     "2e+312 values"),
]


@pytest.mark.parametrize("table, key, message", BAD_SPECS, ids=[k or "toml" for _, k, _ in BAD_SPECS])
def test_a_bad_spec_is_one_line_with_its_place_and_nothing_is_written(tmp_path, table, key, message):
    path = tmp_path / "exercise.toml"
    path.write_text(f"{ORIGINAL}\n[variants]\n{table}\n")
    start = time.perf_counter()
    with pytest.raises(ExerciseError) as error:
        make_variants(path, 200, seed=1)
    assert time.perf_counter() - start < 3  # generous under load; benchmarks/variants.py reports the figure
    assert message in error.value.message and (key is None or error.value.key == key)
    if key is not None and key.startswith("variants"):
        assert error.value.line is not None and error.value.line >= VARIANTS_LINE - 1
    run = byhand("variants", str(path), "-n", "3", "--seed", "1", "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and run.stderr.startswith(f"byhand: {path}") and message in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "out").exists()


def test_an_exercise_without_a_variants_table_is_refused(tmp_path):
    path = tmp_path / "plain.toml"
    path.write_text(ORIGINAL)
    with pytest.raises(ExerciseError, match=r"no \[variants\] table"):
        make_variants(path, 3, seed=1)


@pytest.mark.parametrize("count, seed", [(0, 1), (10_001, 1), (3, -1)])
def test_a_count_or_seed_out_of_range_is_refused(count, seed):
    with pytest.raises(Exception, match="expected a"):
        make_variants(EXERCISES / "mlp-5-3-2-sigmoid.toml", count, seed)


BAD_ASKS = [
    ('ask = ["a.x9"]', "ask[0]", "no step with id 'a.x9'; did you mean"),
    ('ask = ["a.x2", "a.W1_nwe"]', "ask[1]", "did you mean a.W1_new"),
    ('ask = ["a.W1"]', "ask[0]", "is given in the exercise"),
    ("ask = []", "ask", "expected a list of 1 to 50 step ids"),
    ("ask = [3]", "ask[0]", "expected a step id"),
    ("", "ask", "no ask list"),
]


@pytest.mark.parametrize("ask, key, message", BAD_ASKS, ids=[k + str(i) for i, (_, k, _) in enumerate(BAD_ASKS)])
def test_an_ask_the_solution_does_not_have_is_refused(tmp_path, ask, key, message):
    text = (EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text()
    path = tmp_path / "exercise.toml"
    path.write_text(text.replace('ask = ["a.x2", "a.W1_new"]', ask))
    with pytest.raises(ExerciseError) as error:
        moodle_quiz(path, 3, 1)
    assert error.value.key == key and message in error.value.message
    if ask:
        assert error.value.line == 10  # the line of ask in the file
    out = tmp_path / "quiz.xml"
    run = byhand("export", "moodle", str(path), "--variants", "2", "--seed", "1", "-o", str(out), cwd=tmp_path)
    assert run.returncode == 2 and len(run.stderr.splitlines()) == 1 and message in run.stderr
    assert not out.exists()


def test_solving_a_file_reports_a_mistake_in_its_variants_table(tmp_path):
    path = tmp_path / "exercise.toml"
    rule = '"network.weights" = { from = 1, to = -1, step = 0.1 }'
    text = f"{ORIGINAL}\n[variants]\n{rule}\n"
    path.write_text(text)
    run = byhand("solve", str(path), cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    line = text.splitlines().index(rule) + 1
    assert run.stderr == f'byhand: {path}:{line}: variants."network.weights".to: the range is empty: to = -1 is below from = 1\n'


KNN = (EXERCISES / "knn-two-classes.toml").read_text().partition("\n# Variants")[0]


@pytest.mark.parametrize("table, path, expected", [
    # a path made up of nothing the file has: no suggestion, and never the [variants] table's own
    ('"nonexistent.key" = { choices = [1] }', "nonexistent.key", None),
    # a path near one the file has is still helped
    ('"querys[0]" = { choices = [[1, 1]] }', "querys[0]", "queries"),
])
def test_a_suggestion_is_never_a_path_under_variants_itself(tmp_path, table, path, expected):
    exercise = tmp_path / "knn.toml"
    exercise.write_text(f"{KNN}\n[variants]\n{table}\n")
    run = byhand("solve", str(exercise), cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == "" and len(run.stderr.splitlines()) == 1, run.stderr
    assert f'variants."{path}": the exercise has no such key' in run.stderr
    assert "'variants." not in run.stderr
    if expected is None:
        assert "did you mean" not in run.stderr
    else:
        assert f"(did you mean '{expected}'?)" in run.stderr


def test_variants_of_another_draw_in_the_directory_are_not_mixed_in(tmp_path):
    """-n 3 --seed 7, then -n 2 --seed 1 into the same directory would leave v003 of the first
    draw beside v001–v002 of the second: refused, nothing written; the same run again is fine."""
    first = byhand("variants", "mlp-5-3-2-sigmoid", "-n", "3", "--seed", "7", "-o", "D", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = {path.name: path.read_bytes() for path in (tmp_path / "D").iterdir()}
    second = byhand("variants", "mlp-5-3-2-sigmoid", "-n", "2", "--seed", "1", "-o", "D", cwd=tmp_path)
    assert second.returncode == 2 and second.stderr.count("\n") == 1
    assert "mlp-5-3-2-sigmoid-v003" in second.stderr and "empty directory" in second.stderr
    assert {path.name: path.read_bytes() for path in (tmp_path / "D").iterdir()} == before
    again = byhand("variants", "mlp-5-3-2-sigmoid", "-n", "3", "--seed", "7", "-o", "D", cwd=tmp_path)
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("rule", ['{ from = true, to = 1, step = 0.1 }', '{ from = -1, to = 1, step = nan }',
                                  '{ from = -1e300, to = 1, step = 0.1 }'])
def test_a_value_refused_in_a_rule_is_said_at_the_rules_line(tmp_path, rule):
    path = tmp_path / "exercise.toml"
    path.write_text(f'{ORIGINAL}\n[variants]\n# a comment line between\n"network.weights" = {rule}\n')
    with pytest.raises(ExerciseError) as error:
        make_variants(path, 3, seed=1)
    lines = path.read_text().splitlines()
    rule_line = next(number for number, line in enumerate(lines, 1) if line.startswith('"network.weights"'))
    assert lines[rule_line - 3] == "[variants]"  # so the header's line would be a wrong answer
    assert error.value.line == rule_line and error.value.key.startswith('variants."network.weights".')
