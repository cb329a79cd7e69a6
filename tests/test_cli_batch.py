"""`byhand solve` over many exercises (solver/batch.py): the one-line summary, --keep-going past
a broken file (listed, exit status 1, its sheets not written), and without it the first broken
file stopping everything with exit status 2 and nothing written."""

from solver.batch import Batch, Failure
from solver.errors import ExerciseError
from tests.conftest import EXERCISES
from tests.test_cli import byhand

GOOD = [str(EXERCISES / "mlp-5-3-2-sigmoid.toml"), str(EXERCISES / "perceptron-and-gate.toml")]
BROKEN = 'title = "broken"\n[network]\ninputs = 2\n'


def test_several_exercises_end_with_a_summary_line(tmp_path):
    run = byhand("solve", *GOOD, "-o", "out", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stderr == "solved 2 exercises\n"  # no progress lines when stderr is not a terminal
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "mlp-5-3-2-sigmoid-network.svg", "mlp-5-3-2-sigmoid.md", "perceptron-and-gate.md"]


def test_keep_going_lists_the_broken_file_and_writes_the_others(tmp_path):
    (tmp_path / "bad.toml").write_text(BROKEN)
    run = byhand("solve", GOOD[0], "bad.toml", "missing.toml", GOOD[1], "-f", "md", "-f", "tex", "-o", "out",
                 "--keep-going", cwd=tmp_path)
    assert run.returncode == 1
    lines = run.stderr.splitlines()
    assert lines[0].startswith("byhand: bad.toml:2: network.layers: expected one or more")
    assert lines[1].startswith("byhand: missing.toml: file not found")
    assert lines[2:] == ["solved 2 exercises, 2 failed: bad.toml, missing.toml"]
    assert "Traceback" not in run.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "mlp-5-3-2-sigmoid-network.svg", "mlp-5-3-2-sigmoid.md", "mlp-5-3-2-sigmoid.tex",
        "perceptron-and-gate.md", "perceptron-and-gate.tex"]


def test_keep_going_with_nothing_solved_writes_nothing(tmp_path):
    (tmp_path / "bad.toml").write_text(BROKEN)
    run = byhand("solve", "bad.toml", "-o", "out", "--keep-going", cwd=tmp_path)
    assert run.returncode == 1 and run.stderr.splitlines()[-1] == "solved 0 exercises, 1 failed: bad.toml"
    assert not (tmp_path / "out").exists()


def test_without_keep_going_the_first_broken_file_stops_everything(tmp_path):
    (tmp_path / "bad.toml").write_text(BROKEN)
    run = byhand("solve", GOOD[0], "bad.toml", GOOD[1], "-o", "out", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.splitlines() == ["byhand: bad.toml:2: network.layers: expected one or more "
                                       "[[network.layers]] tables"]
    assert not (tmp_path / "out").exists()


def test_the_summary_names_at_most_five_failures():
    failures = tuple(Failure(f"bad{i}.toml", ExerciseError("x")) for i in range(7))
    assert Batch({}, ("a",), failures).summary() == (
        "solved 1 exercise, 7 failed: bad0.toml, bad1.toml, bad2.toml, bad3.toml, bad4.toml and 2 more")


def test_progress_on_a_terminal(tmp_path):
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    run = subprocess.run([sys.executable, "-m", "solver", "solve", *GOOD, "-o", "out"], cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=follower, env=env, timeout=120)
    os.close(follower)
    written = os.read(leader, 10_000).decode()
    os.close(leader)
    assert run.returncode == 0
    assert written.replace("\r\n", "\n").splitlines() == [f"[1/2] {GOOD[0]}", f"[2/2] {GOOD[1]}", "solved 2 exercises"]
