"""The `byhand` command: a thin layer over the public API.

Each subcommand parses its arguments, calls the library, writes the result. A SolverError
becomes one line on stderr and exit status 2 (`--debug` shows the traceback instead).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from dataclasses import replace
from pathlib import Path

from solver.api import check_answers, find_exercise, list_exercises, moodle_quiz, template
from solver.batch import sheet_name, solve_batch
from solver.check import REPORT_FORMATS
from solver.cli_help import CHECK_HELP, DERIVE_HELP, EXPORT_HELP, LIST_HELP, SOLVE_HELP, TEMPLATE_HELP, VARIANTS_HELP
from solver.engine import solve
from solver.errors import OutputError, SolverError
from solver.exercise import load_exercise
from solver.limits import Limits
from solver.output import progress_bar, progress_line, write_all, write_stdout
from solver.render import BINARY_FORMATS, DERIVATION_FORMATS, FORMATS, render, require

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="byhand",
        description="Neural-network exercises worked step by step, as a careful person writes them by hand.",
        epilog="examples: byhand solve mlp-5-3-2-sigmoid; byhand template mlp-5-3-2-sigmoid > mine.toml; "
               "byhand check mlp-5-3-2-sigmoid mine.toml",
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    limits = argparse.ArgumentParser(add_help=False)
    limits.add_argument("--max-parameters", type=int, default=Limits.parameters, metavar="N",
                        help=f"refuse networks with more weights and biases (default {Limits.parameters:,})")
    limits.add_argument("--max-steps", type=int, default=Limits.steps, metavar="N",
                        help=f"refuse solutions (and answers files) with more steps (default {Limits.steps:,})")
    limits.add_argument("--max-values", type=int, default=Limits.values, metavar="N",
                        help=f"refuse solutions (and answers files) with more numbers in all (default {Limits.values:,})")

    solve_command = commands.add_parser("solve", help="work an exercise and write its sheet", description=SOLVE_HELP,
                                        formatter_class=argparse.RawDescriptionHelpFormatter, parents=[limits])
    solve_command.add_argument("exercises", nargs="+", metavar="EXERCISE", help="exercise file or shipped name")
    solve_command.add_argument("-f", "--format", action="append", choices=list(FORMATS), dest="formats",
                               help="md (default), tex, html, pdf or json; repeat for several")
    solve_command.add_argument("-o", "--output", metavar="FILE_OR_DIR", help="where to write (default: stdout)")
    solve_command.add_argument("--precision", type=int, metavar="N",
                               help="significant figures (default: the exercise's, else 6)")
    solve_command.add_argument("--full", action="store_true",
                               help="write every entry of large matrices (by default a vector or matrix with more "
                                    "than 10 rows or columns shows its first and last 3)")
    solve_command.add_argument("--fractions", action="store_true",
                               help="write a step whose every value is rational as fractions (number_format = "
                                    "\"fraction\"); decimals elsewhere")
    solve_command.add_argument("--keep-going", action="store_true",
                               help="with several exercises, go on past one that cannot be solved: write the "
                                    "others' sheets, list it, and exit with status 1")
    solve_command.set_defaults(run=_solve, command=solve_command)

    template_command = commands.add_parser("template", help="write a blank answers file", description=TEMPLATE_HELP,
                                           formatter_class=argparse.RawDescriptionHelpFormatter, parents=[limits])
    template_command.add_argument("exercise", metavar="EXERCISE", help="exercise file or shipped name")
    template_command.add_argument("-o", "--output", metavar="FILE", help="where to write (default: stdout)")
    template_command.add_argument("--force", action="store_true", help="replace FILE if it already exists")
    template_command.set_defaults(run=_template, command=template_command)

    check_command = commands.add_parser("check", help="check your answers step by step", description=CHECK_HELP,
                                        formatter_class=argparse.RawDescriptionHelpFormatter, parents=[limits])
    check_command.add_argument("exercise", metavar="EXERCISE", help="exercise file or shipped name")
    check_command.add_argument("answers", metavar="ANSWERS", help="your answers (TOML, see `byhand template`)")
    check_command.add_argument("-f", "--format", choices=list(REPORT_FORMATS), default="text",
                               help="text (default), md, html or json")
    tolerance = check_command.add_mutually_exclusive_group()
    tolerance.add_argument("--rtol", type=float, metavar="R", help="accept a relative error up to R instead")
    tolerance.add_argument("--sigfigs", type=int, metavar="N", help="judge every number to N significant figures")
    check_command.set_defaults(run=_check, command=check_command)

    derive_command = commands.add_parser("derive", help="derive f' or the output delta symbolically",
                                         description=DERIVE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    derive_command.add_argument("what", choices=["activation", "delta"], help="activation NAME, or delta")
    derive_command.add_argument("name", nargs="?", metavar="NAME", help="the activation (with `activation`)")
    derive_command.add_argument("--activation", dest="activation_name", help="the output activation (with `delta`)")
    derive_command.add_argument("--loss", dest="loss_name", help="the loss (with `delta`)")
    derive_command.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", dest="parameters",
                                help="an activation parameter, e.g. beta=2; repeat for several")
    derive_command.add_argument("--expression", help="the expression of a custom activation, in z (or x)")
    derive_command.add_argument("--loss-expression", help="the term of a custom loss, in x and t (and n, the number of outputs)")
    derive_command.add_argument("-f", "--format", choices=list(DERIVATION_FORMATS), default="md")
    derive_command.set_defaults(run=_derive, command=derive_command)

    variants_command = commands.add_parser("variants", help="write N versions of an exercise with their keys",
                                           description=VARIANTS_HELP, parents=[limits],
                                           formatter_class=argparse.RawDescriptionHelpFormatter)
    variants_command.add_argument("exercises", nargs="+", metavar="EXERCISE", help="exercise file or shipped name")
    variants_command.add_argument("-n", "--count", type=int, required=True, metavar="N", help="how many variants")
    variants_command.add_argument("--seed", type=int, required=True, metavar="S",
                                  help="the seed of the draws (the same seed, the same variants)")
    variants_command.add_argument("-o", "--output", required=True, metavar="DIR", help="the directory to write to")
    variants_command.add_argument("-f", "--format", action="append", choices=list(FORMATS), dest="formats",
                                  help="the sheets' format: md (default), tex, html, pdf or json; repeat for several")
    variants_command.add_argument("--precision", type=int, metavar="N",
                                  help="significant figures of the sheets and keys (default: the exercise's)")
    variants_command.add_argument("--keep-going", action="store_true",
                                  help="write the variants of the other exercises when one cannot be used (exit 1)")
    variants_command.set_defaults(run=_variants, command=variants_command)

    export_command = commands.add_parser("export", help="export a quiz (Moodle XML)", description=EXPORT_HELP,
                                         formatter_class=argparse.RawDescriptionHelpFormatter, parents=[limits])
    export_command.add_argument("target", choices=["moodle"], help="the platform: moodle")
    export_command.add_argument("exercise", metavar="EXERCISE", help="exercise file or shipped name")
    export_command.add_argument("--variants", type=int, metavar="N",
                                help="one question per variant, N variants (default: the exercise itself)")
    export_command.add_argument("--seed", type=int, metavar="S", help="the seed of the variants (with --variants)")
    export_command.add_argument("--precision", type=int, metavar="N",
                                help="significant figures a student gives (default: the exercise's)")
    export_command.add_argument("-o", "--output", metavar="FILE", help="where to write (default: stdout)")
    export_command.set_defaults(run=_export, command=export_command)

    list_command = commands.add_parser("list", help="list the shipped exercises", description=LIST_HELP,
                                       formatter_class=argparse.RawDescriptionHelpFormatter)
    list_command.set_defaults(run=_list, command=list_command)
    return parser


def _solve(args) -> int:
    formats = list(dict.fromkeys(args.formats or ["md"]))  # -f md -f md: one Markdown sheet
    for format in formats:
        require(format)
    if args.output is None:
        if len(args.exercises) * len(formats) > 1:
            raise OutputError("several sheets need -o DIRECTORY", key="--output")
        if formats[0] in BINARY_FORMATS and sys.stdout.isatty():
            raise OutputError(f"a {formats[0].upper()} sheet is binary: give -o FILE or redirect the output",
                              key="--output")
        sheet = render(_solution(args, args.exercises[0])[1], formats[0], args.precision, full=args.full)
        write_stdout(sheet)
        return 0
    for name in args.exercises if not args.keep_going else ():
        find_exercise(name)  # a name that is no file is said at once, not after the others are worked
    target = Path(args.output)
    as_directory = len(args.exercises) * len(formats) > 1 or target.is_dir() or args.output.endswith(("/", "\\"))
    batch = solve_batch(args.exercises, formats, lambda path, format: target / sheet_name(path, format)
                        if as_directory else target, lambda name: _solution(args, name),
                        precision=args.precision, full=args.full, keep_going=args.keep_going,
                        progress=progress_line if sys.stderr.isatty() and len(args.exercises) > 1 else None,
                        failed=lambda failure: print(f"byhand: {failure.error}", file=sys.stderr))
    if batch.solved:
        inputs = {find_exercise(name) for name in batch.solved} | {Path(n) for n in args.exercises if Path(n).exists()}
        write_all(batch.outputs, protected=inputs)
    if len(args.exercises) > 1 or batch.failures:
        print(batch.summary(), file=sys.stderr)
    return 1 if batch.failures else 0


def _solution(args, name: str):
    """(path, solution) of the exercise called `name`, loaded with the command's limits."""
    path = find_exercise(name)
    exercise = load_exercise(path, _limits(args))
    if args.fractions:
        exercise = replace(exercise, number_format="fraction")
    return path, solve(exercise)


def _template(args) -> int:
    text = template(args.exercise, _limits(args))
    if args.output is None:
        write_stdout(text)
        return 0
    target = Path(args.output)
    if target.exists() and not args.force:
        raise OutputError("already exists; your answers there are kept (use --force to replace it)",
                          file=str(target))
    write_all({target: text}, protected={find_exercise(args.exercise)}, sheets=False)
    return 0


def _check(args) -> int:
    report = check_answers(args.exercise, args.answers, rtol=args.rtol, sigfigs=args.sigfigs, limits=_limits(args))
    write_stdout(report.render(args.format))
    return report.exit_status


def _variants(args) -> int:
    from solver.variants.batch import write_variants

    formats = list(dict.fromkeys(args.formats or ["md"]))
    for format in formats:
        require(format)
    batch = write_variants(args.exercises, args.count, args.seed, args.output, formats=formats,
                           precision=args.precision, keep_going=args.keep_going, limits=_limits(args),
                           find=find_exercise, progress=progress_bar,
                           on_failure=lambda name, error: print(f"byhand: {error}", file=sys.stderr))
    print(batch.summary, file=sys.stderr)
    return 1 if batch.failed else 0


def _export(args) -> int:
    quiz = moodle_quiz(args.exercise, variants=args.variants, seed=args.seed, precision=args.precision,
                       limits=_limits(args))
    if args.output is None:
        write_stdout(quiz)
        return 0
    write_all({Path(args.output): quiz}, protected={find_exercise(args.exercise)})
    return 0


def _limits(args) -> Limits:
    return Limits(parameters=args.max_parameters, steps=args.max_steps, values=args.max_values)


def _derive(args) -> int:
    parameters = _parameters(args.parameters)
    delta_only = {"--loss": args.loss_name, "--activation": args.activation_name, "--loss-expression": args.loss_expression}
    if args.what == "activation" and any(delta_only.values()):
        raise SolverError("belongs to `byhand derive delta`", key=next(k for k, v in delta_only.items() if v))
    if args.what == "delta" and args.name:
        raise SolverError(f"`derive delta` takes no NAME: give the output activation as --activation {args.name}",
                          key="NAME")
    if args.what == "activation":
        if not args.name:
            raise SolverError("name the activation, e.g. `byhand derive activation sigmoid`", key="NAME")
        from solver.derive import derive_activation

        derivation = derive_activation(args.name, parameters, args.expression)
    else:
        if not args.loss_name or not args.activation_name:
            raise SolverError("give --loss and --activation, e.g. --loss cross_entropy --activation softmax",
                              key="--activation" if args.loss_name else "--loss")
        from solver.derive import derive_delta

        derivation = derive_delta(args.loss_name, args.activation_name, parameters, args.expression, args.loss_expression)
    from solver.derive import render_derivations

    write_stdout(render_derivations([derivation], args.format))
    return 0


def _parameters(pairs: list[str]) -> dict[str, float | None]:
    """NAME=NUMBER sets a parameter; a bare NAME keeps it a symbol (the general derivation)."""
    parameters = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        try:
            parameters[name.strip()] = float(value) if equals else None
        except ValueError:
            raise SolverError(f"expected NAME=NUMBER or NAME, got {pair!r}", key="--param") from None
    return parameters


def _list(args) -> int:
    shipped = list_exercises()
    width = max((len(name) for name, _ in shipped), default=0) + 2
    write_stdout("".join(f"{name:{width}}{title}\n" for name, title in shipped))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:
        # the reader of stdout went away (byhand list | head -1): stop quietly, as cat does, and
        # keep Python from failing again on the unwritten rest when it flushes at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except SolverError as error:
        if args.debug:
            raise
        print(f"byhand: {_as_typed(error, args.command)}", file=sys.stderr)
        return 2


def _as_typed(error: SolverError, command: argparse.ArgumentParser) -> SolverError:
    """The error with a library parameter's name as its key (count) said as the option that set it here
    (--count in `variants`, --variants in `export`): the library names its arguments as Python does."""
    options = {action.dest: action.option_strings[-1] if action.option_strings else action.metavar
               for action in command._actions}
    typed = options.get(error.key) if error.key else None
    return SolverError(error.message, file=error.file, key=typed, line=error.line) if typed else error


def run() -> None:
    """The `byhand` command and `python -m solver`: main(), then exit without Python's last sweep.

    On exit Python searches every object still alive for reference cycles before it frees the
    modules; with NumPy and SymPy loaded that search is about a fifth of a cold `byhand solve`
    (benchmarks/startup.py). byhand needs nothing from it: every file is closed when written, and
    atexit handlers and the flush of stdout still run. gc.freeze() takes the live objects out of
    the search. Tests call main() instead, so that their processes collect as usual.
    """
    status = main()
    gc.freeze()
    sys.exit(status)

