"""The real entry points, run from an empty directory as a user would after `pip install .`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXERCISES

CONSOLE_SCRIPT = Path(sys.executable).parent / "byhand"


def byhand(*args, cwd, entry=(sys.executable, "-m", "solver")):
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run([*entry, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def test_console_script_solves_a_shipped_exercise_by_name(tmp_path):
    assert CONSOLE_SCRIPT.exists(), "install byhand first: pip install '.[test]'"
    run = byhand("solve", "mlp-5-3-2-sigmoid", cwd=tmp_path, entry=(str(CONSOLE_SCRIPT),))
    assert run.returncode == 0, run.stderr
    assert "0.549834" in run.stdout and run.stdout.startswith("# A 5-3-2 sigmoid network")


def test_list_shows_the_shipped_exercises(tmp_path):
    run = byhand("list", cwd=tmp_path)
    assert run.returncode == 0
    names = [line.split()[0] for line in run.stdout.splitlines()]
    assert names == sorted(p.stem for p in EXERCISES.glob("*.toml"))


@pytest.mark.parametrize("format,marker", [("md", "# A 5-3-2"), ("tex", r"\documentclass"), ("json", '"steps"')])
def test_formats_to_stdout(tmp_path, format, marker):
    run = byhand("solve", str(EXERCISES / "mlp-5-3-2-sigmoid.toml"), "--format", format, cwd=tmp_path)
    assert run.returncode == 0 and marker in run.stdout


def test_output_file_and_directory(tmp_path):
    run = byhand("solve", "mlp-5-3-2-sigmoid", "-f", "tex", "-o", "sheet.tex", cwd=tmp_path)
    assert run.returncode == 0 and run.stdout == ""
    assert (tmp_path / "sheet.tex").read_text().startswith(r"\documentclass")
    run = byhand("solve", "mlp-5-3-2-sigmoid", "mlp-4-4-3-3-tanh", "-f", "md", "-f", "json", "-o", "sheets", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "sheets").iterdir()) == [
        "mlp-4-4-3-3-tanh.json", "mlp-4-4-3-3-tanh.md", "mlp-5-3-2-sigmoid.json", "mlp-5-3-2-sigmoid.md",
    ]


def test_precision_option(tmp_path):
    run = byhand("solve", "mlp-5-3-2-sigmoid", "--precision", "3", cwd=tmp_path)
    assert "0.55 " in run.stdout and "0.549834" not in run.stdout


BAD = {
    "missing": None,
    "malformed": "title = \n",
    "shape": (EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text().replace(
        "units = 3\n", "units = 3\nweights = [[0.1, 0.1, 0.1, 0.1], [0.1, 0.1, 0.1, 0.1], [0.1, 0.1, 0.1, 0.1]]\n"),
    "activation": (EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text().replace('"sigmoid"', '"sigmoidal"'),
    "key": (EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text().replace("inputs = 5", "inputs = 5\nsize = 3"),
    "target": (EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text().replace("target = [1, 0]", "target = [1]"),
    "rate": (EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text().replace("learning_rate = 1.0", "learning_rate = [1]"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, case):
    exercise = tmp_path / f"{case}.toml"
    if BAD[case] is not None:
        exercise.write_text(BAD[case])
    (tmp_path / "out").mkdir()
    previous = tmp_path / "out" / "old.md"
    previous.write_text("previous sheet")
    run = byhand("solve", "mlp-5-3-2-sigmoid", str(exercise), "-f", "md", "-o", "out", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    assert lines[0].startswith(f"byhand: {exercise}"), lines[0]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["old.md"]
    assert previous.read_text() == "previous sheet"


def test_debug_shows_the_traceback(tmp_path):
    run = byhand("--debug", "solve", str(tmp_path / "nope.toml"), cwd=tmp_path)
    assert run.returncode != 0 and "Traceback" in run.stderr


def test_refuses_to_overwrite_the_exercise(tmp_path):
    exercise = tmp_path / "mine.toml"
    exercise.write_text((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    run = byhand("solve", str(exercise), "-o", str(exercise), cwd=tmp_path)
    assert run.returncode == 2 and "refusing to overwrite" in run.stderr
    assert exercise.read_text() == (EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text()


@pytest.mark.parametrize("command", [[], ["solve"], ["list"]])
def test_help_has_an_example(tmp_path, command):
    run = byhand(*command, "--help", cwd=tmp_path)
    assert run.returncode == 0 and "example" in run.stdout and "byhand" in run.stdout


def test_readme_command_works_from_any_directory(tmp_path):
    run = byhand("solve", "exercises/mlp-5-3-2-sigmoid.toml", cwd=tmp_path)
    assert run.returncode == 0 and "0.0994943" in run.stdout


def test_a_missing_path_elsewhere_is_not_replaced_by_a_shipped_exercise(tmp_path):
    run = byhand("solve", "somewhere/mlp-5-3-2-sigmoid.toml", cwd=tmp_path)
    assert run.returncode == 2 and "file not found" in run.stderr
