"""The real entry points, run from an empty directory as a user would after `pip install .`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXERCISES, needs_pdflatex, write_uniform_network

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
        "mlp-4-4-3-3-tanh-network.svg", "mlp-4-4-3-3-tanh.json", "mlp-4-4-3-3-tanh.md",
        "mlp-5-3-2-sigmoid-network.svg", "mlp-5-3-2-sigmoid.json", "mlp-5-3-2-sigmoid.md",
    ]


def test_a_graph_sheet_written_to_a_file_has_its_picture_beside_it(tmp_path):
    run = byhand("solve", "graph-add-multiply-max", "-o", "sheets/graph.md", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "sheets").iterdir()) == ["graph-a.svg", "graph.md"]
    assert "](graph-a.svg)" in (tmp_path / "sheets" / "graph.md").read_text()
    assert (tmp_path / "sheets" / "graph-a.svg").read_text().startswith("<svg ")
    run = byhand("solve", "graph-add-multiply-max", "-f", "md", "-f", "tex", "-o", "all/", cwd=tmp_path)
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == [
        "graph-add-multiply-max-a.svg", "graph-add-multiply-max.md", "graph-add-multiply-max.tex"]


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


@pytest.mark.parametrize("name,message", [("mine.toml", "refusing to write a sheet to a .toml file"),
                                          ("mine.exercise", "refusing to overwrite an input file")])
def test_refuses_to_overwrite_the_exercise(tmp_path, name, message):
    exercise = tmp_path / name
    exercise.write_text((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    run = byhand("solve", str(exercise), "-o", str(exercise), cwd=tmp_path)
    assert run.returncode == 2 and message in run.stderr
    assert exercise.read_text() == (EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text()


def test_a_sheet_never_replaces_an_answers_file(tmp_path):
    (tmp_path / "answers.toml").write_text('"a.z1" = [0.2, 0.2, 0.2]\n')
    run = byhand("solve", "mlp-5-3-2-sigmoid", "-o", "answers.toml", cwd=tmp_path)
    assert run.returncode == 2 and (tmp_path / "answers.toml").read_text() == '"a.z1" = [0.2, 0.2, 0.2]\n'


@pytest.mark.parametrize("command", [[], ["solve"], ["list"], ["template"], ["check"], ["derive"]])
def test_help_has_an_example(tmp_path, command):
    run = byhand(*command, "--help", cwd=tmp_path)
    assert run.returncode == 0 and "example" in run.stdout and "byhand" in run.stdout


def test_readme_command_works_from_any_directory(tmp_path):
    run = byhand("solve", "exercises/mlp-5-3-2-sigmoid.toml", cwd=tmp_path)
    assert run.returncode == 0 and "0.0994943" in run.stdout


def test_a_missing_path_elsewhere_is_not_replaced_by_a_shipped_exercise(tmp_path):
    run = byhand("solve", "somewhere/mlp-5-3-2-sigmoid.toml", cwd=tmp_path)
    assert run.returncode == 2 and "file not found" in run.stderr


def test_template_lists_every_computed_step_in_sheet_order(tmp_path):
    import tomllib

    import solver

    run = byhand("template", "mlp-5-3-2-sigmoid", cwd=tmp_path)
    assert run.returncode == 0
    listed = list(tomllib.loads(run.stdout))
    solution = solver.solve("mlp-5-3-2-sigmoid")
    assert listed == [step.id for step in solution.steps if step.section != "given"]
    assert '"a.dW1" = ""  # ∂E/∂w^[1]: a 3×5 matrix (3 rows of 5 numbers)' in run.stdout


def test_template_keeps_existing_answers(tmp_path):
    (tmp_path / "mine.toml").write_text('"a.z1" = [0.2, 0.2, 0.2]\n')
    run = byhand("template", "mlp-5-3-2-sigmoid", "-o", "mine.toml", cwd=tmp_path)
    assert run.returncode == 2 and "--force" in run.stderr
    assert (tmp_path / "mine.toml").read_text() == '"a.z1" = [0.2, 0.2, 0.2]\n'
    assert byhand("template", "mlp-5-3-2-sigmoid", "-o", "mine.toml", "--force", cwd=tmp_path).returncode == 0
    assert (tmp_path / "mine.toml").read_text().startswith("# Answers for")


@pytest.mark.parametrize(
    "answers,status,marker",
    [
        ('"a.x1" = [0.549834, 0.549834, 0.549834]\n', 0, "1 correct"),
        ('"a.x1" = [0.6, 0.6, 0.6]\n', 1, "1 wrong"),
        ('"a.x1" = [0.5, 0.5]\n', 1, "1 could not check"),
        ('"a.x1" = [0.5,\n', 2, "invalid TOML"),
        ('"a.x1" = ""\n', 1, "No answers found"),  # a blank template is not a pass
    ],
)
def test_check_exit_status(tmp_path, answers, status, marker):
    (tmp_path / "mine.toml").write_text(answers)
    run = byhand("check", "mlp-5-3-2-sigmoid", "mine.toml", cwd=tmp_path)
    assert run.returncode == status
    assert marker in (run.stdout if status < 2 else run.stderr)
    if status == 2:
        assert len(run.stderr.strip().splitlines()) == 1 and run.stdout == ""


def test_check_json_for_scripts(tmp_path):
    import json

    (tmp_path / "mine.toml").write_text('"a.W2_new" = [[0.0373535, 0.0373535, 0.0373535], [0.173881, 0.173881, 0.173881]]\n')
    run = byhand("check", "mlp-5-3-2-sigmoid", "mine.toml", "--format", "json", cwd=tmp_path)
    report = json.loads(run.stdout)
    assert run.returncode == 1 and report["exit_status"] == 1
    (step,) = report["steps"]
    assert step["verdict"] == "wrong" and step["slips"][0]["name"] == "gradient_added"
    assert report["summary"] == {"correct": 0, "follows through": 0, "wrong": 1, "could not check": 0}


def test_check_markdown_escapes_the_student_file(tmp_path):
    (tmp_path / "mine.toml").write_text('"<script>alert(1)</script>" = 1\n')
    run = byhand("check", "mlp-5-3-2-sigmoid", "mine.toml", "--format", "md", cwd=tmp_path)
    assert "<script>" not in run.stdout and "&lt;script&gt;" in run.stdout


def test_check_tolerance_options_exclude_each_other(tmp_path):
    (tmp_path / "mine.toml").write_text('"a.x1" = [0.55, 0.55, 0.55]\n')
    assert byhand("check", "mlp-5-3-2-sigmoid", "mine.toml", "--sigfigs", "2", cwd=tmp_path).returncode == 0
    assert byhand("check", "mlp-5-3-2-sigmoid", "mine.toml", "--sigfigs", "6", cwd=tmp_path).returncode == 1
    assert byhand("check", "mlp-5-3-2-sigmoid", "mine.toml", "--rtol", "0.01", "--sigfigs", "2", cwd=tmp_path).returncode == 2


@pytest.mark.parametrize(
    "args,marker",
    [
        (["activation", "sigmoid"], r"x \left(1 - x\right)"),
        (["activation", "tanh"], r"1 - x^{2}"),
        (["activation", "sigmoid", "--param", "beta", "--param", "gamma"], r"\frac{\beta x \left(\gamma - x\right)}{\gamma}"),
        (["activation", "custom", "--expression", "x**3/3 + x"], r"f'(z) &= 1 + z^{2}"),
        (["delta", "--loss", "cross_entropy", "--activation", "softmax"], r"\delta &= x^{[L]} - t"),
        (["delta", "--loss", "binary_cross_entropy", "--activation", "sigmoid"], r"\delta &= \sigma\left(z^{[L]}\right) - t"),
    ],
)
def test_derive(tmp_path, args, marker):
    run = byhand("derive", *args, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert marker in run.stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (["activation"], "name the activation"),
        (["activation", "nope"], "NAME: unknown activation 'nope'"),
        (["activation", "sigmod"], "NAME: unknown activation 'sigmod' (did you mean 'sigmoid'?)"),
        (["activation", "softplus", "--param", "beta=nan"], "--param: beta = nan: expected a finite number"),
        (["activation", "custom", "--expression", "z", "--param", "a b=2"], "--param: 'a b' is not a parameter's name"),
        (["activation", "sigmoid", "--loss", "mse"], "--loss: belongs to `byhand derive delta`"),
        (["activation", "sigmoid", "--expression", "z"], "--expression: an expression is for the activation custom"),
        (["delta", "sigmoid", "--loss", "mse", "--activation", "sigmoid"], "NAME: `derive delta` takes no NAME"),
        (["delta", "--loss", "mse"], "--activation: give --loss and --activation"),
        (["activation", "relu", "--param", "beta=2"], "--param: relu has no parameter 'beta'"),
        (["delta", "--loss", "cross_entrop", "--activation", "softmax"], "--loss: unknown loss 'cross_entrop' (did you"),
        (["delta", "--loss", "cross_entropy", "--activation", "softmx"], "--activation: unknown activation 'softmx' (did"),
        (["activation", "custom", "--expression", "__import__('os')"], "calling"),
        (["delta", "--loss", "cross_entropy"], "give --loss and --activation"),
        (["delta", "--loss", "custom", "--activation", "sigmoid"], "--loss-expression: a custom loss needs an expression"),
        (["activation", "sigmoid", "--param", "beta=fast"], "expected NAME=NUMBER"),
        (["activation", "custom", "--expression", "1/(z-z)"], "--expression: infinite for every value"),
        (["delta", "--loss", "custom", "--loss-expression", "log(0)", "--activation", "sigmoid"],
         "--loss-expression: infinite for every value"),
        # softplus is (γ/β) log(1 + e^(βz)): β = 0 divides by 0
        (["activation", "softplus", "--param", "beta=0"], "--param: these values leave softplus undefined"),
        (["activation", "custom", "--expression", "z/w", "--param", "w=0"], "--param: these values leave custom"),
    ],
)
def test_derive_errors(tmp_path, args, message):
    run = byhand("derive", *args, cwd=tmp_path)
    assert run.returncode == 2 and message in run.stderr and "Traceback" not in run.stderr


@needs_pdflatex
def test_derive_latex_compiles(tmp_path):
    run = byhand("derive", "delta", "--loss", "half_sse", "--activation", "tanh", "--format", "tex", cwd=tmp_path)
    (tmp_path / "d.tex").write_text(run.stdout)
    assert subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "d.tex"], cwd=tmp_path,
                          capture_output=True, timeout=120).returncode == 0


def test_the_command_exits_through_run_and_loses_nothing_at_exit(tmp_path):
    """`byhand` and `python -m solver` end in solver.cli.run, which skips Python's last sweep for
    reference cycles: the whole of a large sheet written to a pipe must still arrive, and an error
    must still give status 2."""
    import json
    import tomllib

    import solver
    from solver.render import render

    with open(EXERCISES.parent / "pyproject.toml", "rb") as file:
        assert tomllib.load(file)["project"]["scripts"]["byhand"] == "solver.cli:run"
    assert "from solver.cli import run" in (EXERCISES.parent / "solver" / "__main__.py").read_text()
    exercise = EXERCISES / "mlp-4-4-3-3-tanh.toml"
    expected = render(solver.solve(solver.load_exercise(exercise)), "json")
    for entry in [(str(CONSOLE_SCRIPT),), (sys.executable, "-m", "solver")]:
        run = byhand("solve", str(exercise), "-f", "json", cwd=tmp_path, entry=entry)
        assert run.returncode == 0, run.stderr
        assert run.stdout == expected and json.loads(run.stdout)["steps"]
        (tmp_path / "bad.toml").write_text("title = \n")
        run = byhand("solve", "bad.toml", cwd=tmp_path, entry=entry)
        assert run.returncode == 2 and run.stderr.count("\n") == 1 and "bad.toml" in run.stderr


def test_a_markdown_sheet_into_a_pipe_keeps_its_picture_inside(tmp_path):
    """Nothing is written beside a FIFO (for -o /dev/stdout that would be /dev/stdout-network.svg):
    the picture goes inside the sheet as on stdout."""
    import threading

    fifo = tmp_path / "sheet.md"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    run = byhand("solve", "mlp-5-3-2-sigmoid", "-o", str(fifo), cwd=tmp_path)
    reader.join(timeout=60)
    assert run.returncode == 0, run.stderr
    assert received[0].startswith("# A 5-3-2") and "data:image/svg+xml" in received[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.md"]


@pytest.mark.parametrize("command", [["list"], ["solve", "mlp-5-3-2-sigmoid"], ["template", "mlp-5-3-2-sigmoid"]])
def test_a_reader_that_goes_away_stops_byhand_quietly(tmp_path, command):
    """byhand … | head -1: the pipe is closed before byhand writes. No traceback, status 1."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    process = subprocess.Popen([sys.executable, "-m", "solver", *command], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # long before the first write: importing NumPy alone takes longer
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1 and stderr == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full (a device whose writes fail: disk full)")
def test_a_full_disk_on_stdout_is_one_line(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "solver", "solve", "mlp-5-3-2-sigmoid"], cwd=tmp_path, env=env,
                             stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert run.returncode == 2
    assert run.stderr == "byhand: cannot write to standard output (No space left on device)\n"


def test_a_reader_that_leaves_halfway_is_not_a_success(tmp_path):
    """A sheet larger than a pipe holds (64 kB), read for one byte: Python's buffered stdout
    reports the cut-short write as a success; byhand must not (status 1, no traceback)."""
    write_uniform_network(tmp_path / "big.toml", [60, 60, 3], 0.01, [0.5] * 60, [1, 0, 0])
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    reader = subprocess.Popen([sys.executable, "-c", "import os, time; time.sleep(1); os.read(0, 1)"],
                              stdin=subprocess.PIPE)
    writer = subprocess.run([sys.executable, "-m", "solver", "solve", "big.toml", "--full"], cwd=tmp_path, env=env,
                            stdout=reader.stdin, stderr=subprocess.PIPE, text=True, timeout=120)
    reader.stdin.close()
    reader.wait(timeout=60)
    whole = byhand("solve", "big.toml", "--full", cwd=tmp_path)
    assert len(whole.stdout.encode()) > 65536  # more than a pipe holds
    assert writer.returncode == 1 and writer.stderr == ""


def test_a_sheet_written_through_a_link_has_its_picture_beside_it(tmp_path):
    """-o A/sheet.md where A/sheet.md links to B/real.md: the sheet lands in B, and so must the
    picture it links to, under the name the sheet uses."""
    (tmp_path / "A").mkdir()
    (tmp_path / "B").mkdir()
    (tmp_path / "A" / "sheet.md").symlink_to("../B/real.md")
    run = byhand("solve", "mlp-5-3-2-sigmoid", "-o", "A/sheet.md", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    sheet = (tmp_path / "B" / "real.md").read_text()
    assert "](real-network.svg)" in sheet and (tmp_path / "B" / "real-network.svg").exists()
    assert sorted(p.name for p in (tmp_path / "A").iterdir()) == ["sheet.md"]


@pytest.mark.parametrize("args, line", [
    (["export", "moodle", "mlp-5-3-2-sigmoid", "--variants", "0", "--seed", "1"],
     "byhand: --variants: expected a count of variants from 1 to 10,000, got 0"),
    (["export", "moodle", "mlp-5-3-2-sigmoid", "--variants", "2"], "byhand: --seed: the variants need a seed"),
    (["variants", "mlp-5-3-2-sigmoid", "-n", "0", "--seed", "1", "-o", "out"],
     "byhand: --count: expected a count from 1 to 10,000, got 0"),
    (["check", "mlp-5-3-2-sigmoid", "mine.toml", "--rtol", "3"], "byhand: --rtol: expected a relative tolerance"),
    (["solve", "mlp-5-3-2-sigmoid", "--precision", "0"], "byhand: --precision: expected a number of significant"),
])
def test_an_error_names_the_option_the_command_was_given(tmp_path, args, line):
    """The library names its parameters (count); each command says the option that set it."""
    run = byhand(*args, cwd=tmp_path)
    assert run.returncode == 2 and run.stderr.startswith(line) and len(run.stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_list_keeps_every_name_apart_from_its_title(tmp_path):
    run = byhand("list", cwd=tmp_path)
    names = {path.stem for path in EXERCISES.glob("*.toml")}
    listed = [line.split("  ")[0] for line in run.stdout.splitlines()]  # two spaces at least after every name
    assert sorted(listed) == sorted(names)


def test_a_format_given_twice_is_written_once(tmp_path):
    run = byhand("solve", "mlp-5-3-2-sigmoid", "-f", "md", "-f", "md", "-o", "sheet.md", cwd=tmp_path)
    assert run.returncode == 0 and (tmp_path / "sheet.md").is_file()


@pytest.mark.parametrize("option", ["--max-steps", "--max-values", "--max-parameters"])
def test_a_limit_below_1_is_refused(tmp_path, option):
    run = byhand("solve", "mlp-5-3-2-sigmoid", option, "-5", cwd=tmp_path)
    assert run.returncode == 2 and run.stderr == f"byhand: {option}: expected a limit of 1 or more, got -5\n"
