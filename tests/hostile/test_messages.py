"""An error is one printable line however hostile the file, and it comes quickly."""

import subprocess
import sys
import time

import pytest

from solver.errors import ExerciseError
from solver.exercise import load_exercise
from solver.fields import locate
from tests.conftest import EXERCISES

SHIPPED = (EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text()


def test_a_key_with_terminal_escapes_and_newlines_prints_as_one_line(tmp_path):
    path = tmp_path / "escape.toml"
    path.write_text(SHIPPED + '\n["\\u001b[2J\\u001b]0;pwned\\u0007\\nbyhand: forged line"]\nx = 1\n')
    run = subprocess.run([sys.executable, "-m", "solver", "solve", str(path)], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "\x1b" not in run.stderr and "\x07" not in run.stderr
    assert "unknown key" in run.stderr and "forged line" in run.stderr


@pytest.mark.parametrize("text", ["\x1b[31m", "a\nb", "\u2028", "x" * 5000, "\x00\x7f\x9b"])
def test_every_part_of_a_message_is_printable(text):
    message = str(ExerciseError(text, file=text, key=text, line=3))
    assert message.isprintable() and len(message) < 1000


@pytest.mark.parametrize("spaces", [2_000, 4_000, 200_000])
def test_the_line_locator_is_linear(spaces):
    text = SHIPPED + "\n[" + " " * spaces + "\n" + "[[" + " " * spaces + "x" + "\n"
    started = time.perf_counter()
    locate(text, "network.layers[1].weights")
    locate(text, "parts[1].queries[0]")
    assert time.perf_counter() - started < 1


def test_a_long_line_after_a_bracket_is_refused_at_once(tmp_path):
    path = tmp_path / "spaces.toml"
    path.write_text(SHIPPED.replace("[network]", "[network]\n[" + " " * 4000 + "\n", 1))
    started = time.perf_counter()
    with pytest.raises(ExerciseError):
        load_exercise(path)
    assert time.perf_counter() - started < 1
