"""An error is one printable line however hostile the file, and it comes quickly."""

import subprocess
import sys
import time
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solver.errors import ExerciseError
from solver.exercise import load_exercise, parse_exercise
from solver.locate import locate
from tests.conftest import EXERCISES
from tests.hostile import FUZZ

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


header_noise = st.lists(st.sampled_from(["[", "[[", "]", "]]", " ", "\t", "#", "a", ".", '"', "=", "x = 1", "\n"]),
                        max_size=400).map("".join)


@FUZZ
@given(header_noise, st.sampled_from(["network.layers[1].weights", "parts[0].title", "a.b.c[3]", "x"]))
def test_random_header_noise_is_located_in_linear_time(noise, key):
    text = SHIPPED + "\n" + noise * 20
    started = time.perf_counter()
    line = locate(text, key)
    assert time.perf_counter() - started < 1
    assert line is None or 1 <= line <= text.count("\n") + 1


KNOWN_KEYS = set(tomllib.loads(SHIPPED)) | {"kind", "precision", "description", "source", "title", "conventions"}
control_text = st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp", "L", "Zs"]),
                       min_size=1, max_size=30).filter(lambda key: key not in KNOWN_KEYS)  # a real key is no error


@FUZZ
@given(control_text)
def test_unknown_keys_with_control_characters_are_one_printable_line(key):
    data = tomllib.loads(SHIPPED)
    data[key] = 1
    with pytest.raises(ExerciseError) as raised:
        parse_exercise(data, "keys.toml", SHIPPED)
    message = str(raised.value)
    assert message.isprintable() and len(message) < 1000
