"""The `byhand` command: a thin layer over the public API.

Each subcommand parses its arguments, calls the library, writes the result. A SolverError
becomes one line on stderr and exit status 2 (`--debug` shows the traceback instead).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from solver.api import find_exercise, list_exercises
from solver.engine import solve
from solver.errors import OutputError, SolverError
from solver.exercise import load_exercise
from solver.output import write_all
from solver.render import EXTENSIONS, FORMATS, render

SOLVE_HELP = """\
Work an exercise and print its sheet (Markdown by default).

examples:
  byhand solve exercises/mlp-5-3-2-sigmoid.toml
  byhand solve mlp-4-4-3-3-tanh --format tex -o sheet.tex
  byhand solve exercises/*.toml --format md --format tex -o output/

EXERCISE is a path, or the name of a shipped exercise (see `byhand list`). With several
exercises or formats, -o names a directory and each sheet is called after its exercise.
Nothing is written unless every sheet could be made.
"""

LIST_HELP = """\
List the exercises that ship with byhand, with their titles.

example:
  byhand list
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="byhand",
        description="Neural-network exercises worked step by step, as a careful person writes them by hand.",
        epilog="example: byhand solve mlp-5-3-2-sigmoid",
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    solve_command = commands.add_parser("solve", help="work an exercise and write its sheet", description=SOLVE_HELP,
                                        formatter_class=argparse.RawDescriptionHelpFormatter)
    solve_command.add_argument("exercises", nargs="+", metavar="EXERCISE", help="exercise file or shipped name")
    solve_command.add_argument("-f", "--format", action="append", choices=list(FORMATS), dest="formats",
                               help="md (default), tex or json; repeat for several")
    solve_command.add_argument("-o", "--output", metavar="FILE_OR_DIR", help="where to write (default: stdout)")
    solve_command.add_argument("--precision", type=int, metavar="N",
                               help="significant figures (default: the exercise's, else 6)")
    solve_command.set_defaults(run=_solve)

    list_command = commands.add_parser("list", help="list the shipped exercises", description=LIST_HELP,
                                       formatter_class=argparse.RawDescriptionHelpFormatter)
    list_command.set_defaults(run=_list)
    return parser


def _solve(args) -> int:
    formats = args.formats or ["md"]
    paths = [find_exercise(name) for name in args.exercises]
    sheets = {(path, format): render(solve(load_exercise(path)), format, args.precision)
              for path in paths for format in formats}
    if args.output is None:
        if len(sheets) > 1:
            raise OutputError("several sheets need -o DIRECTORY", key="--output")
        sys.stdout.write(next(iter(sheets.values())))
        return 0
    target = Path(args.output)
    as_directory = len(sheets) > 1 or target.is_dir() or args.output.endswith(("/", "\\"))
    outputs = {
        (target / f"{path.stem}{EXTENSIONS[format]}" if as_directory else target): text
        for (path, format), text in sheets.items()
    }
    write_all(outputs, protected=set(paths))
    return 0


def _list(args) -> int:
    for name, title in list_exercises():
        print(f"{name:32} {title}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except SolverError as error:
        if args.debug:
            raise
        print(f"byhand: {error}", file=sys.stderr)
        return 2
