"""`byhand variants` from the command line: the files, the summary line, --keep-going."""

import tomllib

from tests.conftest import EXERCISES
from tests.test_cli import byhand


def test_variants_writes_exercise_sheet_and_key_and_a_summary(tmp_path):
    run = byhand("variants", "mlp-5-3-2-sigmoid", "--count", "3", "--seed", "7", "-o", "out", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(f"mlp-5-3-2-sigmoid-v00{n}{end}" for n in (1, 2, 3)
                           for end in (".toml", ".md", "-key.toml", "-network.svg"))
    assert run.stdout == ""
    # stderr is not a terminal here: no progress bar, only the summary
    assert run.stderr.startswith("wrote 3 variants (12 files) to out in ") and run.stderr.count("\n") == 1
    # the key is an answers file the checker accepts in full
    check = byhand("check", "out/mlp-5-3-2-sigmoid-v002.toml", "out/mlp-5-3-2-sigmoid-v002-key.toml", cwd=tmp_path)
    assert check.returncode == 0 and "0 wrong" in check.stdout


def test_the_same_seed_gives_byte_identical_files_in_another_process(tmp_path):
    for out in ("one", "two"):
        byhand("variants", "mlp-5-3-2-sigmoid", "-n", "2", "--seed", "11", "-o", out, "-f", "md", "-f", "tex",
               cwd=tmp_path)
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert one == two and any(name.endswith(".tex") for name in one)


def test_keep_going_writes_the_good_exercises_names_the_broken_one_and_exits_1(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('title = "x"\n[variants]\n"network.nothing" = { choices = [1] }\n')
    args = ("variants", str(EXERCISES / "mlp-5-3-2-sigmoid.toml"), str(broken), "-n", "2", "--seed", "1", "-o", "out")
    stopped = byhand(*args, cwd=tmp_path)
    assert stopped.returncode == 2 and len(stopped.stderr.splitlines()) == 1 and not (tmp_path / "out").exists()
    going = byhand(*args, "--keep-going", cwd=tmp_path)
    assert going.returncode == 1
    lines = going.stderr.splitlines()
    assert lines[0].startswith(f"byhand: {broken}") and "expected a [network] table" in lines[0]
    assert lines[1].startswith("wrote 2 variants (8 files) to out in ") and lines[1].endswith(
        f"1 exercise could not be used: {broken}")
    variant = tomllib.loads((tmp_path / "out" / "mlp-5-3-2-sigmoid-v001.toml").read_text())
    assert "variants" not in variant


def test_variants_never_overwrite_the_exercise(tmp_path):
    source = tmp_path / "e.toml"
    source.write_text((EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text())
    (tmp_path / "e-v001.toml").write_text("old")
    run = byhand("variants", "e.toml", "-n", "1", "--seed", "1", "-o", ".", cwd=tmp_path)
    assert run.returncode == 0 and (tmp_path / "e-v001.toml").read_text() != "old"
    assert source.read_text() == (EXERCISES / "mlp-5-3-2-sigmoid.toml").read_text()


def test_a_progress_bar_is_drawn_only_on_a_terminal(tmp_path, monkeypatch, capsys):
    import io
    import sys

    from solver.cli import main

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["variants", "mlp-5-3-2-sigmoid", "-n", "4", "--seed", "1", "-o", str(tmp_path / "out")]) == 0
    drawn = terminal.getvalue()
    assert drawn.count("\r") == 4 and "] 1/4" in drawn and "] 4/4\n" in drawn
    assert drawn.splitlines()[-1].startswith("wrote 4 variants (16 files) to ")
